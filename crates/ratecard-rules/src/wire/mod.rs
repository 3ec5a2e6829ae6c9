//! The wire types of the HTTP API (`API.md`): every request and response, by family.
//!
//! The widget and the server both speak these types, so neither shell redefines them;
//! [`crate::api`] re-exports them next to the endpoint functions. Field names follow
//! `API.md` exactly; extra fields are additions, never renames. Requests refuse unknown
//! fields. Every response carries an `explanation`: a list of `{rule, text}` lines
//! rendered by the crate's one English renderer from typed [`Reason`]s, which stay
//! available to Rust callers in the skipped `reasons` field.
//!
//! This module holds data only: it calls no rule.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, CatalogueSpec, Interval};
use crate::error::RuleError;
use crate::money::Currency;
#[cfg(doc)]
use crate::reason::Reason;

/// Defines a request that moves a subscription to another plan, with the fields every such
/// request starts with (the catalogue, the subscription, the plan to move to, the instant
/// and the tax rate) followed by its own. The request words the docs of `subscription`
/// and `at`, which name the kind of change.
macro_rules! plan_change_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(#[$subscription:meta])*
            subscription,
            $(#[$at:meta])*
            at,
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The catalogue; `stable-audio` when absent.
            #[serde(default)]
            pub catalogue: Option<$crate::wire::CatalogueRef>,
            $(#[$subscription])*
            pub subscription: $crate::wire::Subscription,
            /// The plan to move to.
            #[cfg_attr(feature = "openapi", schema(example = "studio"))]
            pub to_plan: String,
            $(#[$at])*
            #[cfg_attr(feature = "openapi", schema(example = "2026-02-10T09:00:00Z"))]
            pub at: ::chrono::DateTime<::chrono::FixedOffset>,
            /// The tax rate in basis points (R-MONEY-3); no tax line when absent.
            #[serde(default)]
            #[cfg_attr(feature = "openapi", schema(example = 2000))]
            pub tax_rate_bp: Option<u32>,
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }
    };
}

mod change;
mod ledger;
mod licence;
mod plan_change;
mod prepaid;
mod quota;
mod quote;
mod refund;
mod terms;
mod topup;

pub use self::change::*;
pub use self::ledger::*;
pub use self::licence::*;
pub use self::plan_change::*;
pub use self::prepaid::*;
pub use self::quota::*;
pub use self::quote::*;
pub use self::refund::*;
pub use self::terms::*;
pub use self::topup::*;

/// An RFC 3339 instant with its offset (R-TIME-1).
pub type Instant = DateTime<FixedOffset>;

/// The most items any list of a request may hold; longer lists are refused with
/// [`RuleError::Impossible`], so every call does bounded work.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// Refuses a list longer than [`MAX_LIST_ITEMS`].
pub(crate) fn check_len(field: &str, len: usize) -> Result<(), RuleError> {
    if len > MAX_LIST_ITEMS {
        return Err(RuleError::Impossible {
            detail: format!("`{field}` holds {len} items; at most {MAX_LIST_ITEMS} are accepted"),
        });
    }
    Ok(())
}

/// The `catalogue` field of a request: a known id, or a whole catalogue inline.
///
/// It deserialises by hand so that a malformed inline catalogue reports the field at
/// fault rather than "did not match any variant".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "stable-audio"))]
#[serde(untagged)]
pub enum CatalogueRef {
    /// The id of a built-in catalogue such as `stable-audio`.
    Id(String),
    /// A whole catalogue, in the shape `GET /api/v1/catalogues/{id}` returns.
    Inline(Box<CatalogueSpec>),
}

impl<'de> Deserialize<'de> for CatalogueRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than a buffered value: the string or the object is read once,
        // by whichever deserialiser the caller has (serde_json on the server, the
        // browser's parsed object in the widget).
        struct RefVisitor;

        impl<'de> serde::de::Visitor<'de> for RefVisitor {
            type Value = CatalogueRef;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a catalogue id or a whole catalogue object")
            }

            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<CatalogueRef, E> {
                Ok(CatalogueRef::Id(id.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, id: String) -> Result<CatalogueRef, E> {
                Ok(CatalogueRef::Id(id))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<CatalogueRef, A::Error> {
                use serde::de::Error;
                CatalogueSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|spec| CatalogueRef::Inline(Box::new(spec)))
                    .map_err(|e| A::Error::custom(format!("inline catalogue: {e}")))
            }
        }

        deserializer.deserialize_any(RefVisitor)
    }
}

/// One entry of `GET /api/v1/catalogues`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueSummary {
    /// The catalogue id.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// The version label (R-PRICE-LOCK-1).
    pub version: String,
    /// The currency of every price.
    pub currency: Currency,
}

impl CatalogueSummary {
    /// The summary of `catalogue`: the one mapping from a catalogue to its list entry,
    /// for built-in catalogues and for those a server loads from files alike.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, api::CatalogueSummary};
    /// let s = CatalogueSummary::of(&Catalogue::builtin("api-credits")?);
    /// assert_eq!((s.id.as_str(), s.currency.code()), ("api-credits", "USD"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn of(catalogue: &Catalogue) -> CatalogueSummary {
        CatalogueSummary {
            id: catalogue.id().to_owned(),
            name: catalogue.spec().name.clone(),
            version: catalogue.spec().version.clone(),
            currency: catalogue.currency(),
        }
    }
}

/// A subscription as the API describes it (R-TIME-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// The plan id.
    #[cfg_attr(feature = "openapi", schema(example = "pro"))]
    pub plan: String,
    /// When the subscription started; its anchor (R-CYCLE-1).
    #[cfg_attr(feature = "openapi", schema(example = "2026-01-31T09:00:00Z"))]
    pub started_at: DateTime<FixedOffset>,
    /// The customer's IANA time zone.
    #[serde(default = "default_time_zone")]
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Berlin"))]
    pub time_zone: String,
    /// How often it is billed (R-INTERVAL-1); `month` when absent.
    #[serde(default, skip_serializing_if = "Interval::is_month")]
    pub interval: Interval,
    /// The currency it is billed in, for good (R-CURRENCY-1); the catalogue's default when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The end of its free trial, while one runs or ran (R-TRIAL-3): its first renewal and
    /// its anchor. `started_at` is then the trial's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_ends_at: Option<DateTime<FixedOffset>>,
}

impl Subscription {
    /// A monthly subscription in the catalogue's default currency, without a trial.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::api::Subscription;
    /// let s = Subscription::monthly("pro", "2027-01-31T09:00:00Z".parse().unwrap(), "UTC");
    /// assert_eq!(serde_json::to_string(&s).unwrap(),
    ///     r#"{"plan":"pro","started_at":"2027-01-31T09:00:00Z","time_zone":"UTC"}"#);
    /// ```
    #[must_use]
    pub fn monthly(plan: &str, started_at: DateTime<FixedOffset>, time_zone: &str) -> Subscription {
        Subscription {
            plan: plan.to_owned(),
            started_at,
            time_zone: time_zone.to_owned(),
            interval: Interval::Month,
            currency: None,
            trial_ends_at: None,
        }
    }
}

pub(crate) fn default_time_zone() -> String {
    "UTC".to_owned()
}

/// One line of an explanation: the rule applied and a sentence with the actual numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExplanationLine {
    /// The rule id, such as `R-UPGRADE-2`.
    pub rule: String,
    /// The sentence, in English.
    pub text: String,
}

/// A half-open period `[start, end)` (R-CYCLE-5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// The first instant of the period.
    pub start: DateTime<FixedOffset>,
    /// The first instant after the period: the next renewal.
    pub end: DateTime<FixedOffset>,
}

/// A generation, as a usage event (R-CREDIT-COST-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GenerationEvent {
    /// The model id.
    #[cfg_attr(feature = "openapi", schema(example = "stable-audio-2.0"))]
    pub model: String,
    /// When it was made.
    pub at: DateTime<FixedOffset>,
}

/// An upload, as a usage event (R-UPLOAD-1 to R-UPLOAD-4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UploadEvent {
    /// The length of the uploaded audio, in seconds, before cropping.
    #[cfg_attr(feature = "openapi", schema(example = 90))]
    pub seconds: u32,
    /// When it was uploaded.
    pub at: DateTime<FixedOffset>,
    /// Whether the copyright scan flagged it as someone else's (R-UPLOAD-3).
    #[serde(default)]
    pub copyright_flagged: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_ref_is_an_id_or_a_whole_catalogue_and_nothing_else() {
        let id: CatalogueRef = serde_json::from_str(r#""stable-audio""#).expect("an id");
        assert_eq!(id, CatalogueRef::Id("stable-audio".into()));

        let spec = crate::catalogue::Catalogue::builtin("stable-audio")
            .expect("built in")
            .to_json();
        let inline: CatalogueRef = serde_json::from_str(&spec).expect("a catalogue");
        assert!(matches!(&inline, CatalogueRef::Inline(s) if s.id == "stable-audio"));

        let broken = spec.replacen("\"price_minor\": 1199", "\"price_minor\": true", 1);
        let err = serde_json::from_str::<CatalogueRef>(&broken).expect_err("a boolean price");
        assert!(
            err.to_string()
                .starts_with("inline catalogue: invalid type: boolean"),
            "{err}"
        );

        let err = serde_json::from_str::<CatalogueRef>("5").expect_err("a number");
        assert!(
            err.to_string()
                .contains("expected a catalogue id or a whole catalogue object"),
            "{err}"
        );
    }
}
