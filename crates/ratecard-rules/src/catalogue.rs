//! Catalogues: plans, models, licences and the policy settings of RULES.md.
//!
//! A [`CatalogueSpec`] is the plain serde shape shared by TOML files, JSON files and the
//! HTTP API. A [`Catalogue`] is a spec that passed [`Catalogue::validate`]; every
//! calculation takes a `Catalogue`, so none of them has to re-check ids or prices.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::money::Currency;

/// The id of the default catalogue.
pub const DEFAULT_CATALOGUE_ID: &str = "stable-audio";

/// The id of the built-in prepaid API credits catalogue (R-PREPAID).
pub const API_CREDITS_ID: &str = "api-credits";

/// The id of the built-in pay-as-you-go catalogue with automatic top-up (R-TOPUP).
pub const PAY_AS_YOU_GO_ID: &str = "pay-as-you-go";

/// The serialisable shape of a catalogue, before validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogueSpec {
    /// A stable id such as `stable-audio`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// The version label of this price list (R-PRICE-LOCK-1).
    pub version: String,
    /// When this version takes effect (R-PRICE-LOCK-1, R-PRICE-CHANGE-1).
    pub effective_from: DateTime<Utc>,
    /// The currency of every price in the catalogue.
    pub currency: Currency,
    /// The plans, cheapest first by convention.
    pub plans: Vec<PlanSpec>,
    /// The generation models and what they cost in credits (R-CREDIT-COST-1).
    #[serde(default)]
    pub models: Vec<ModelSpec>,
    /// The licence tiers plans refer to (R-LICENCE-1).
    #[serde(default)]
    pub licences: Vec<LicenceSpec>,
    /// What the catalogue sells: subscriptions, prepaid credits or pay-as-you-go usage.
    #[serde(default)]
    pub kind: CatalogueKind,
    /// The policy choices of RULES.md, with its defaults.
    #[serde(default)]
    pub policy: Policy,
    /// The refund policy (R-REFUND-3, R-REFUND-5).
    #[serde(default)]
    pub refund_policy: RefundPolicy,
    /// Prepaid credit settings (R-PREPAID-1).
    #[serde(default)]
    pub prepaid: PrepaidSettings,
    /// Automatic top-up settings (R-TOPUP-1), for pay-as-you-go catalogues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topup: Option<TopUpSettings>,
    /// Earlier price lists, oldest first, each replaced by the next (R-PRICE-LOCK-1,
    /// R-PRICE-CHANGE-1). The catalogue's own `version` and prices are the newest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_versions: Vec<PriceVersion>,
}

/// What a catalogue sells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CatalogueKind {
    /// Monthly subscriptions with exactly one free plan (R-CYCLE).
    #[default]
    Subscription,
    /// Packs of prepaid credits (R-PREPAID).
    Prepaid,
    /// Usage billed against a balance with automatic top-up (R-TOPUP).
    PayAsYouGo,
}

/// How an upgrade sets the allowance of the current period (R-UPGRADE-4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum UpgradeAllowance {
    /// The new plan's full allowance, with usage so far counted against it (default).
    #[default]
    Full,
    /// The old allowance for the time before the change plus the new one for the time after.
    Prorated,
}

/// When a downgrade takes effect (R-DOWNGRADE-1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DowngradeTiming {
    /// At the end of the current period, with nothing charged or refunded (default).
    #[default]
    EndOfPeriod,
    /// At once, with the unused difference kept as a credit balance.
    ImmediateCredit,
}

/// What happens to an upload longer than the upload time left (R-UPLOAD-4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum UploadOverflow {
    /// It is refused (default).
    #[default]
    Refuse,
    /// It is cropped to what remains.
    Crop,
}

/// The policy choices of RULES.md. Every field defaults to the rule book's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// R-UPGRADE-4.
    pub upgrade_allowance: UpgradeAllowance,
    /// R-DOWNGRADE-1.
    pub downgrade: DowngradeTiming,
    /// R-UPLOAD-4.
    pub upload_overflow: UploadOverflow,
    /// The length of the initial term in periods, during which prices are locked
    /// (R-PRICE-LOCK-1); 1 by default.
    pub initial_term_periods: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            upgrade_allowance: UpgradeAllowance::Full,
            downgrade: DowngradeTiming::EndOfPeriod,
            upload_overflow: UploadOverflow::Refuse,
            initial_term_periods: 1,
        }
    }
}

/// The refund policy (R-REFUND-3, R-REFUND-5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RefundPolicy {
    /// Hours after the charge within which a request may qualify, inclusive; 48.
    pub window_hours: u32,
    /// Usage since the charge must be strictly below this share of the monthly allowance,
    /// in basis points; 200 (2 %).
    pub usage_threshold_bp: u32,
    /// Business days within which a reply is expected: from, to; 2 and 3.
    pub reply_business_days: [u32; 2],
    /// Business days from approval to the bank: from, to; 5 and 10.
    pub bank_business_days: [u32; 2],
}

impl Default for RefundPolicy {
    fn default() -> Self {
        RefundPolicy {
            window_hours: 48,
            usage_threshold_bp: 200,
            reply_business_days: [2, 3],
            bank_business_days: [5, 10],
        }
    }
}

/// Prepaid credit settings (R-PREPAID-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct PrepaidSettings {
    /// Months after purchase or issue at which credits expire; 12.
    pub expiry_months: u32,
}

impl Default for PrepaidSettings {
    fn default() -> Self {
        PrepaidSettings { expiry_months: 12 }
    }
}

/// Automatic top-up settings (R-TOPUP-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopUpSettings {
    /// A top-up happens when the balance falls below this, in minor units.
    pub threshold_minor: i64,
    /// The amount each top-up credits, tax-exclusive, in minor units.
    pub topup_minor: i64,
}

/// An earlier price list of a catalogue (R-PRICE-LOCK-1, R-PRICE-CHANGE-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceVersion {
    /// The version label.
    pub version: String,
    /// When it took effect.
    pub effective_from: DateTime<Utc>,
    /// The price of each plan under it, by plan id, in minor units.
    pub prices: BTreeMap<String, i64>,
}

/// One plan of a catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// A stable id such as `pro`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// The price per period in minor units, tax-exclusive (R-MONEY-3); 0 for a free plan.
    pub price_minor: i64,
    /// Credits granted per period (R-QUOTA-1).
    pub credits_per_period: u64,
    /// Upload time granted per period, in seconds (R-UPLOAD-1).
    pub upload_seconds_per_period: u32,
    /// The length an upload is cropped to, in seconds (R-UPLOAD-2).
    pub upload_crop_seconds: u32,
    /// The id of the plan's licence (R-LICENCE-1).
    pub licence: String,
    /// The Stripe price ids that stand for this plan, so a Stripe webhook's subscription
    /// item finds its plan (API.md, "Accounts"). Each is non-empty and belongs to one plan
    /// only; none when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stripe_price_ids: Vec<String>,
}

/// One generation model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// A stable id such as `stable-audio-2.0`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// Credits one generation costs (R-CREDIT-COST-1).
    pub credits: u32,
}

/// One licence tier (R-LICENCE-1, R-LICENCE-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LicenceSpec {
    /// A stable id such as `creator`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// Whether commercial use is allowed at all.
    pub commercial_use: bool,
    /// Commercial products must stay strictly below this many monthly active users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mau_limit: Option<u64>,
    /// Whether the licence is granted by individual agreement only.
    #[serde(default)]
    pub by_agreement: bool,
}

/// A validated catalogue.
///
/// Its fields are private so that every `Catalogue` in existence has unique ids, known
/// licences and non-negative prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Catalogue {
    spec: CatalogueSpec,
}

impl Catalogue {
    /// Validates a spec. `source` names where it came from (a file name, a URL, `request`)
    /// and appears in every error.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] naming the source, the field and the problem.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let mut spec = Catalogue::builtin("stable-audio")?.spec().clone();
    /// spec.plans[1].licence = "platinum".into();
    /// let err = Catalogue::validate("mine.toml", spec).unwrap_err();
    /// assert!(err.to_string().contains("plans[1].licence"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn validate(source: &str, spec: CatalogueSpec) -> Result<Catalogue, RuleError> {
        match check_spec(&spec) {
            Ok(()) => Ok(Catalogue { spec }),
            Err((field, problem)) => Err(RuleError::InvalidCatalogue {
                source: source.to_owned(),
                field,
                problem,
            }),
        }
    }

    /// Parses and validates a catalogue written as JSON.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] for malformed JSON or a failed validation.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let json = Catalogue::builtin("stable-audio")?.to_json();
    /// assert_eq!(Catalogue::from_json("copy.json", &json)?, Catalogue::builtin("stable-audio")?);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn from_json(source: &str, text: &str) -> Result<Catalogue, RuleError> {
        let spec: CatalogueSpec =
            serde_json::from_str(text).map_err(|e| RuleError::InvalidCatalogue {
                source: source.to_owned(),
                field: serde_json::from_str(text)
                    .map_or_else(|_| DOCUMENT.to_owned(), |doc| field_at_fault(&doc)),
                problem: e.to_string(),
            })?;
        Catalogue::validate(source, spec)
    }

    /// Parses and validates a catalogue written as TOML, with the same schema as JSON.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] for malformed TOML or a failed validation.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let toml = Catalogue::builtin("stable-audio")?.to_toml()?;
    /// assert_eq!(Catalogue::from_toml("copy.toml", &toml)?, Catalogue::builtin("stable-audio")?);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml(source: &str, text: &str) -> Result<Catalogue, RuleError> {
        let spec: CatalogueSpec =
            toml::from_str(text).map_err(|e| RuleError::InvalidCatalogue {
                source: source.to_owned(),
                field: toml::from_str(text)
                    .map_or_else(|_| DOCUMENT.to_owned(), |doc| field_at_fault(&doc)),
                problem: e.message().to_owned(),
            })?;
        Catalogue::validate(source, spec)
    }

    /// The catalogue as pretty-printed JSON, in the shape of `GET /api/v1/catalogues/{id}`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// assert!(Catalogue::builtin("stable-audio")?.to_json().contains("\"price_minor\": 1199"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        // A catalogue holds only strings, integers, booleans and lists, which always
        // serialise; the fallback is unreachable but keeps the function total.
        serde_json::to_string_pretty(&self.spec).unwrap_or_default()
    }

    /// The catalogue as TOML.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] if the TOML writer refuses a value.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// assert!(Catalogue::builtin("stable-audio")?.to_toml()?.contains("price_minor = 1199"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn to_toml(&self) -> Result<String, RuleError> {
        toml::to_string(&self.spec).map_err(|e| RuleError::InvalidCatalogue {
            source: self.spec.id.clone(),
            field: DOCUMENT.into(),
            problem: e.to_string(),
        })
    }

    /// A built-in catalogue by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownCatalogue`] listing the built-in ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.plan("pro")?.price_minor, 1199);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn builtin(id: &str) -> Result<Catalogue, RuleError> {
        match id {
            DEFAULT_CATALOGUE_ID => Catalogue::validate(DEFAULT_CATALOGUE_ID, stable_audio()),
            API_CREDITS_ID => Catalogue::validate(API_CREDITS_ID, api_credits()),
            PAY_AS_YOU_GO_ID => Catalogue::validate(PAY_AS_YOU_GO_ID, pay_as_you_go()),
            _ => Err(RuleError::UnknownCatalogue {
                id: id.to_owned(),
                valid: Catalogue::builtin_ids()
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            }),
        }
    }

    /// The ids of the built-in catalogues.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// assert_eq!(Catalogue::builtin_ids(), ["stable-audio", "api-credits", "pay-as-you-go"]);
    /// ```
    #[must_use]
    pub fn builtin_ids() -> &'static [&'static str] {
        &[DEFAULT_CATALOGUE_ID, API_CREDITS_ID, PAY_AS_YOU_GO_ID]
    }

    /// The validated spec.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.spec().version, "2026-01");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn spec(&self) -> &CatalogueSpec {
        &self.spec
    }

    /// The catalogue id.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.id(), "stable-audio");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The currency of every price.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.currency().code(), "USD");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.spec.currency
    }

    /// The plans in catalogue order.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let ids: Vec<&str> = c.plans().iter().map(|p| p.id.as_str()).collect();
    /// assert_eq!(ids, ["free", "pro", "studio", "max"]);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn plans(&self) -> &[PlanSpec] {
        &self.spec.plans
    }

    /// The models in catalogue order.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let costs: Vec<u32> = c.models().iter().map(|m| m.credits).collect();
    /// assert_eq!(costs, [1, 1, 2]);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn models(&self) -> &[ModelSpec] {
        &self.spec.models
    }

    /// What the catalogue sells.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, CatalogueKind};
    /// assert_eq!(Catalogue::builtin("api-credits")?.kind(), CatalogueKind::Prepaid);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> CatalogueKind {
        self.spec.kind
    }

    /// The policy settings.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, DowngradeTiming};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.policy().downgrade, DowngradeTiming::EndOfPeriod);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.spec.policy
    }

    /// The refund policy.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.refund_policy().window_hours, 48);
    /// assert_eq!(c.refund_policy().usage_threshold_bp, 200);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn refund_policy(&self) -> &RefundPolicy {
        &self.spec.refund_policy
    }

    /// The free plan of a subscription catalogue: the one with price 0 (R-CYCLE-4).
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.free_plan().map(|p| p.id.as_str()), Some("free"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn free_plan(&self) -> Option<&PlanSpec> {
        self.spec.plans.iter().find(|p| p.price_minor == 0)
    }

    /// When a version of the price list took effect: the catalogue's own or an earlier one.
    pub(crate) fn version_effective_from(&self, version: &str) -> Option<DateTime<Utc>> {
        if version == self.spec.version {
            return Some(self.spec.effective_from);
        }
        self.spec
            .earlier_versions
            .iter()
            .find(|v| v.version == version)
            .map(|v| v.effective_from)
    }

    /// A model by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the valid model ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.model("stable-audio-2.0")?.credits, 2);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn model(&self, id: &str) -> Result<&ModelSpec, RuleError> {
        self.spec
            .models
            .iter()
            .find(|m| same_id(&m.id, id))
            .ok_or_else(|| RuleError::UnknownId {
                kind: "model",
                id: id.to_owned(),
                valid: self.spec.models.iter().map(|m| m.id.clone()).collect(),
            })
    }

    /// The price list that applies to a billing period starting at `period_start` of a
    /// subscription that started at `started_at`, where `period_index` counts periods from
    /// the start (0 for the first). Returns the version label and the plan's price.
    ///
    /// A subscription keeps the price list in force when it started for its initial term
    /// (R-PRICE-LOCK-1); a later list reaches it at the first renewal on or after the list's
    /// `effective_from` (R-PRICE-CHANGE-1).
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] for an unknown plan.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let t = Utc.with_ymd_and_hms(2027, 5, 1, 0, 0, 0).unwrap();
    /// assert_eq!(c.price_for("pro", t, t, 0)?, ("2026-01".to_owned(), 1199));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn price_for(
        &self,
        plan: &str,
        started_at: DateTime<Utc>,
        period_start: DateTime<Utc>,
        period_index: u64,
    ) -> Result<(String, i64), RuleError> {
        let current = self.plan(plan)?;
        // The list that decides: the one in force at the start during the initial term,
        // and the one in force at the renewal afterwards.
        let decisive = if period_index < u64::from(self.spec.policy.initial_term_periods) {
            started_at
        } else {
            period_start.max(started_at)
        };
        if decisive >= self.spec.effective_from {
            return Ok((self.spec.version.clone(), current.price_minor));
        }
        let earlier = self
            .spec
            .earlier_versions
            .iter()
            .rev()
            .find(|v| v.effective_from <= decisive)
            .or_else(|| self.spec.earlier_versions.first());
        match earlier {
            Some(v) => Ok((
                v.version.clone(),
                v.prices.get(plan).copied().unwrap_or(current.price_minor),
            )),
            None => Ok((self.spec.version.clone(), current.price_minor)),
        }
    }

    /// A plan by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the valid plan ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let err = c.plan("platinum").unwrap_err();
    /// assert_eq!(err.to_string(), "unknown plan `platinum`; valid plans: free, pro, studio, max");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn plan(&self, id: &str) -> Result<&PlanSpec, RuleError> {
        self.spec
            .plans
            .iter()
            .find(|p| same_id(&p.id, id))
            .ok_or_else(|| RuleError::UnknownId {
                kind: "plan",
                id: id.to_owned(),
                valid: self.spec.plans.iter().map(|p| p.id.clone()).collect(),
            })
    }

    /// The plan a Stripe price id stands for, by the plans' `stripe_price_ids`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let plan = c.plan_by_stripe_price("price_stable_audio_studio_monthly");
    /// assert_eq!(plan.map(|p| p.id.as_str()), Some("studio"));
    /// assert!(c.plan_by_stripe_price("price_unknown").is_none());
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn plan_by_stripe_price(&self, price_id: &str) -> Option<&PlanSpec> {
        self.spec
            .plans
            .iter()
            .find(|p| p.stripe_price_ids.iter().any(|id| id == price_id))
    }

    /// A licence by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the valid licence ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.licence("creator")?.mau_limit, Some(100_000));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn licence(&self, id: &str) -> Result<&LicenceSpec, RuleError> {
        self.spec
            .licences
            .iter()
            .find(|l| same_id(&l.id, id))
            .ok_or_else(|| RuleError::UnknownId {
                kind: "licence",
                id: id.to_owned(),
                valid: self.spec.licences.iter().map(|l| l.id.clone()).collect(),
            })
    }
}

/// Whether two ids are the same string, compared eight bytes at a time.
///
/// `str`'s `==` calls `memcmp`, which on wasm32 is a loop over single bytes. The ids of
/// one catalogue share long prefixes (`stable-audio-1.0`, `stable-audio-1.1`), and a quota
/// looks up one model per generation, so in the browser that loop was most of a quota's
/// time. The answer is always the same as `a == b`.
fn same_id(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    while let (Some((x, rest_a)), Some((y, rest_b))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if u64::from_ne_bytes(*x) != u64::from_ne_bytes(*y) {
            return false;
        }
        a = rest_a;
        b = rest_b;
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// A validation failure: the field at fault and the problem.
type Invalid = (String, String);

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Invalid {
    (field.into(), problem.into())
}

/// Every check of [`Catalogue::validate`], in document order.
fn check_spec(spec: &CatalogueSpec) -> Result<(), Invalid> {
    check_id(&spec.id).map_err(|p| invalid("id", p))?;
    check_name("name", &spec.name)?;
    if spec.version.trim().is_empty() {
        return Err(invalid("version", "must not be empty"));
    }
    if spec.plans.is_empty() {
        return Err(invalid("plans", "must list at least one plan"));
    }
    for (i, licence) in spec.licences.iter().enumerate() {
        check_id(&licence.id).map_err(|p| invalid(format!("licences[{i}].id"), p))?;
        check_name(&format!("licences[{i}].name"), &licence.name)?;
        if spec.licences.iter().take(i).any(|l| l.id == licence.id) {
            return Err(invalid(
                format!("licences[{i}].id"),
                format!("duplicate licence id `{}`", licence.id),
            ));
        }
        if licence.mau_limit.is_some() && !licence.commercial_use {
            return Err(invalid(
                format!("licences[{i}].mau_limit"),
                "a licence without commercial use cannot have a commercial MAU limit",
            ));
        }
    }
    for (i, model) in spec.models.iter().enumerate() {
        check_id(&model.id).map_err(|p| invalid(format!("models[{i}].id"), p))?;
        check_name(&format!("models[{i}].name"), &model.name)?;
        if spec.models.iter().take(i).any(|m| m.id == model.id) {
            return Err(invalid(
                format!("models[{i}].id"),
                format!("duplicate model id `{}`", model.id),
            ));
        }
        if model.credits == 0 {
            return Err(invalid(
                format!("models[{i}].credits"),
                "a generation must cost at least 1 credit",
            ));
        }
    }
    for (i, plan) in spec.plans.iter().enumerate() {
        check_plan(spec, i, plan)?;
    }
    if spec.kind == CatalogueKind::Subscription {
        let free = spec.plans.iter().filter(|p| p.price_minor == 0).count();
        if free != 1 {
            return Err(invalid(
                "plans",
                format!(
                    "a subscription catalogue needs exactly one free plan (price_minor = 0), found {free}"
                ),
            ));
        }
    }
    check_policies(spec)?;
    check_versions(spec)
}

fn check_name(field: &str, name: &str) -> Result<(), Invalid> {
    if name.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    Ok(())
}

fn check_plan(spec: &CatalogueSpec, i: usize, plan: &PlanSpec) -> Result<(), Invalid> {
    check_id(&plan.id).map_err(|p| invalid(format!("plans[{i}].id"), p))?;
    check_name(&format!("plans[{i}].name"), &plan.name)?;
    if spec.plans.iter().take(i).any(|p| p.id == plan.id) {
        return Err(invalid(
            format!("plans[{i}].id"),
            format!("duplicate plan id `{}`", plan.id),
        ));
    }
    if plan.price_minor < 0 {
        return Err(invalid(
            format!("plans[{i}].price_minor"),
            format!("a price cannot be negative, got {}", plan.price_minor),
        ));
    }
    if !spec.licences.iter().any(|l| l.id == plan.licence) {
        let valid: Vec<&str> = spec.licences.iter().map(|l| l.id.as_str()).collect();
        return Err(invalid(
            format!("plans[{i}].licence"),
            format!(
                "unknown licence `{}`; valid licences: {}",
                plan.licence,
                valid.join(", ")
            ),
        ));
    }
    if plan.upload_crop_seconds > plan.upload_seconds_per_period
        && plan.upload_seconds_per_period > 0
    {
        return Err(invalid(
            format!("plans[{i}].upload_crop_seconds"),
            format!(
                "the crop length ({} s) is longer than the upload allowance ({} s)",
                plan.upload_crop_seconds, plan.upload_seconds_per_period
            ),
        ));
    }
    if plan.upload_seconds_per_period > 0 && plan.upload_crop_seconds == 0 {
        return Err(invalid(
            format!("plans[{i}].upload_crop_seconds"),
            "a plan that allows uploads needs a crop length above 0 s",
        ));
    }
    check_stripe_price_ids(spec, i, plan)
}

/// The longest Stripe price id accepted; Stripe's own ids are far shorter.
const MAX_STRIPE_PRICE_ID: usize = 255;

fn check_stripe_price_ids(spec: &CatalogueSpec, i: usize, plan: &PlanSpec) -> Result<(), Invalid> {
    for (j, id) in plan.stripe_price_ids.iter().enumerate() {
        let field = || format!("plans[{i}].stripe_price_ids[{j}]");
        if id.is_empty() {
            return Err(invalid(field(), "a Stripe price id must not be empty"));
        }
        if id.len() > MAX_STRIPE_PRICE_ID {
            return Err(invalid(
                field(),
                format!(
                    "a Stripe price id is at most {MAX_STRIPE_PRICE_ID} characters, got {}",
                    id.len()
                ),
            ));
        }
        if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                field(),
                format!("the Stripe price id {id:?} contains a space or a control character"),
            ));
        }
        if plan.stripe_price_ids.iter().take(j).any(|x| x == id) {
            return Err(invalid(
                field(),
                format!("the Stripe price id `{id}` is listed twice"),
            ));
        }
        if let Some(other) = spec
            .plans
            .iter()
            .take(i)
            .find(|p| p.stripe_price_ids.iter().any(|x| x == id))
        {
            return Err(invalid(
                field(),
                format!(
                    "the Stripe price id `{id}` already belongs to plan `{}`; a price id names one plan",
                    other.id
                ),
            ));
        }
    }
    Ok(())
}

fn check_policies(spec: &CatalogueSpec) -> Result<(), Invalid> {
    if spec.policy.initial_term_periods == 0 {
        return Err(invalid("policy.initial_term_periods", "must be at least 1"));
    }
    let refund = &spec.refund_policy;
    if refund.window_hours == 0 {
        return Err(invalid("refund_policy.window_hours", "must be at least 1"));
    }
    if refund.usage_threshold_bp > 10_000 {
        return Err(invalid(
            "refund_policy.usage_threshold_bp",
            format!(
                "is at most 10000 (100 %), got {}",
                refund.usage_threshold_bp
            ),
        ));
    }
    for (field, [from, to]) in [
        (
            "refund_policy.reply_business_days",
            refund.reply_business_days,
        ),
        (
            "refund_policy.bank_business_days",
            refund.bank_business_days,
        ),
    ] {
        if from > to || to > 365 {
            return Err(invalid(
                field,
                format!("must be [from, to] with from <= to <= 365, got [{from}, {to}]"),
            ));
        }
    }
    if !(1..=1200).contains(&spec.prepaid.expiry_months) {
        return Err(invalid(
            "prepaid.expiry_months",
            format!("must be 1 to 1200, got {}", spec.prepaid.expiry_months),
        ));
    }
    if let Some(topup) = spec.topup {
        if topup.topup_minor <= 0 {
            return Err(invalid(
                "topup.topup_minor",
                format!(
                    "a top-up must credit more than 0, got {}",
                    topup.topup_minor
                ),
            ));
        }
        if topup.threshold_minor < 0 {
            return Err(invalid(
                "topup.threshold_minor",
                format!("cannot be negative, got {}", topup.threshold_minor),
            ));
        }
        if topup.threshold_minor >= topup.topup_minor {
            return Err(invalid(
                "topup.threshold_minor",
                format!(
                    "the threshold ({}) must be below the top-up amount ({}), or one top-up may not lift the balance above it",
                    topup.threshold_minor, topup.topup_minor
                ),
            ));
        }
    }
    if spec.kind == CatalogueKind::PayAsYouGo && spec.topup.is_none() {
        return Err(invalid(
            "topup",
            "a pay-as-you-go catalogue needs top-up settings",
        ));
    }
    Ok(())
}

fn check_versions(spec: &CatalogueSpec) -> Result<(), Invalid> {
    for (i, v) in spec.earlier_versions.iter().enumerate() {
        let field = format!("earlier_versions[{i}]");
        if v.version.trim().is_empty() || v.version == spec.version {
            return Err(invalid(
                format!("{field}.version"),
                "must be a non-empty label different from the catalogue's own version",
            ));
        }
        if spec
            .earlier_versions
            .iter()
            .take(i)
            .any(|w| w.version == v.version)
        {
            return Err(invalid(
                format!("{field}.version"),
                format!("duplicate version `{}`", v.version),
            ));
        }
        let next = spec
            .earlier_versions
            .get(i + 1)
            .map_or(spec.effective_from, |w| w.effective_from);
        if v.effective_from >= next {
            return Err(invalid(
                format!("{field}.effective_from"),
                "earlier versions must take effect in order, before the catalogue's own effective_from",
            ));
        }
        for (plan, price) in &v.prices {
            if !spec.plans.iter().any(|p| &p.id == plan) {
                return Err(invalid(
                    format!("{field}.prices.{plan}"),
                    format!("unknown plan `{plan}`"),
                ));
            }
            if *price < 0 {
                return Err(invalid(
                    format!("{field}.prices.{plan}"),
                    format!("a price cannot be negative, got {price}"),
                ));
            }
        }
    }
    Ok(())
}

/// Checks that an id is non-empty, short, and made of lower-case letters, digits, `-`, `_`
/// and `.`.
fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id must not be empty".into());
    }
    if id.len() > 64 {
        return Err(format!("an id is at most 64 characters, got {}", id.len()));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "`{id}` contains `{bad}`; ids use a-z, 0-9, `-`, `_` and `.`"
        ));
    }
    Ok(())
}

fn plan(
    id: &str,
    name: &str,
    price_minor: i64,
    credits_per_period: u64,
    upload_minutes: u32,
    upload_crop_seconds: u32,
    licence: &str,
) -> PlanSpec {
    PlanSpec {
        id: id.into(),
        name: name.into(),
        price_minor,
        credits_per_period,
        upload_seconds_per_period: upload_minutes * 60,
        upload_crop_seconds,
        licence: licence.into(),
        stripe_price_ids: Vec::new(),
    }
}

/// `plan` with one Stripe price id (API.md, "Accounts").
fn sold_as(mut plan: PlanSpec, stripe_price_id: &str) -> PlanSpec {
    plan.stripe_price_ids.push(stripe_price_id.into());
    plan
}

fn model(id: &str, name: &str, credits: u32) -> ModelSpec {
    ModelSpec {
        id: id.into(),
        name: name.into(),
        credits,
    }
}

fn licence(id: &str, name: &str, commercial_use: bool, mau_limit: Option<u64>) -> LicenceSpec {
    LicenceSpec {
        id: id.into(),
        name: name.into(),
        commercial_use,
        mau_limit,
        by_agreement: id == "enterprise",
    }
}

/// The models of the Stable Audio FAQ and their credit costs (R-CREDIT-COST-1).
fn stable_audio_models() -> Vec<ModelSpec> {
    vec![
        model("stable-audio-1.0", "Stable Audio 1.0", 1),
        model("stable-audio-1.1", "Stable Audio 1.1", 1),
        model("stable-audio-2.0", "Stable Audio 2.0", 2),
    ]
}

/// The three licence tiers (R-LICENCE-1, R-LICENCE-2).
fn stable_audio_licences() -> Vec<LicenceSpec> {
    vec![
        licence("personal", "Personal", false, None),
        licence("creator", "Creator", true, Some(100_000)),
        licence("enterprise", "Enterprise", true, None),
    ]
}

/// 2026-01-01T00:00:00Z, when the example catalogues take effect.
fn example_effective_from() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
}

/// The field named by a parse error that no single field can be blamed for.
const DOCUMENT: &str = "(document)";

/// Whether `value` fails to deserialise as a `T`.
fn fails<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> bool {
    serde_json::from_value::<T>(value.clone()).is_err()
}

/// The field of a parsed but ill-typed catalogue document that fails to deserialise, such
/// as `currency` or `plans[1].price_minor`, so a parse error names the field as well as
/// the file and the problem. Falls back to the list item, then to `(document)`.
fn field_at_fault(doc: &serde_json::Value) -> String {
    type Check = fn(&serde_json::Value) -> bool;
    type Fields<'a> = &'a [(&'a str, Check)];
    let Some(top) = doc.as_object() else {
        return DOCUMENT.to_owned();
    };
    let fields: [(&str, Check); 10] = [
        ("id", fails::<String>),
        ("name", fails::<String>),
        ("version", fails::<String>),
        ("effective_from", fails::<DateTime<Utc>>),
        ("currency", fails::<Currency>),
        ("kind", fails::<CatalogueKind>),
        ("policy", fails::<Policy>),
        ("refund_policy", fails::<RefundPolicy>),
        ("prepaid", fails::<PrepaidSettings>),
        ("topup", fails::<Option<TopUpSettings>>),
    ];
    for (name, check) in fields {
        if top.get(name).is_some_and(check) {
            return name.to_owned();
        }
    }
    let plan_fields: &[(&str, Check)] = &[
        ("id", fails::<String>),
        ("name", fails::<String>),
        ("price_minor", fails::<i64>),
        ("credits_per_period", fails::<u64>),
        ("upload_seconds_per_period", fails::<u32>),
        ("upload_crop_seconds", fails::<u32>),
        ("licence", fails::<String>),
    ];
    let model_fields: &[(&str, Check)] = &[
        ("id", fails::<String>),
        ("name", fails::<String>),
        ("credits", fails::<u32>),
    ];
    let licence_fields: &[(&str, Check)] = &[
        ("id", fails::<String>),
        ("name", fails::<String>),
        ("commercial_use", fails::<bool>),
        ("mau_limit", fails::<Option<u64>>),
        ("by_agreement", fails::<bool>),
    ];
    let version_fields: &[(&str, Check)] = &[
        ("version", fails::<String>),
        ("effective_from", fails::<DateTime<Utc>>),
        ("prices", fails::<BTreeMap<String, i64>>),
    ];
    let lists: [(&str, Check, Fields<'_>); 4] = [
        ("plans", fails::<PlanSpec>, plan_fields),
        ("models", fails::<ModelSpec>, model_fields),
        ("licences", fails::<LicenceSpec>, licence_fields),
        ("earlier_versions", fails::<PriceVersion>, version_fields),
    ];
    for (name, item_fails, item_fields) in lists {
        let Some(items) = top.get(name) else { continue };
        let Some(items) = items.as_array() else {
            return name.to_owned();
        };
        for (i, item) in items.iter().enumerate() {
            if !item_fails(item) {
                continue;
            }
            let bad = item.as_object().and_then(|o| {
                item_fields
                    .iter()
                    .find(|(field, check)| o.get(*field).is_some_and(check))
            });
            return match bad {
                Some((field, _)) => format!("{name}[{i}].{field}"),
                None => format!("{name}[{i}]"),
            };
        }
    }
    DOCUMENT.to_owned()
}

/// The default catalogue: the example table at the end of RULES.md.
fn stable_audio() -> CatalogueSpec {
    CatalogueSpec {
        id: DEFAULT_CATALOGUE_ID.into(),
        name: "Stable Audio".into(),
        version: "2026-01".into(),
        effective_from: example_effective_from(),
        currency: Currency::Usd,
        // R-UPLOAD-1 and R-UPLOAD-2: allowances and crop lengths per plan.
        plans: vec![
            plan("free", "Free", 0, 20, 2, 30, "personal"),
            sold_as(
                plan("pro", "Pro", 1199, 500, 30, 180, "creator"),
                "price_stable_audio_pro_monthly",
            ),
            sold_as(
                plan("studio", "Studio", 2999, 1350, 60, 180, "creator"),
                "price_stable_audio_studio_monthly",
            ),
            sold_as(
                plan("max", "Max", 8999, 2700, 90, 180, "creator"),
                "price_stable_audio_max_monthly",
            ),
        ],
        models: stable_audio_models(),
        licences: stable_audio_licences(),
        kind: CatalogueKind::Subscription,
        policy: Policy::default(),
        refund_policy: RefundPolicy::default(),
        prepaid: PrepaidSettings::default(),
        topup: None,
        earlier_versions: Vec::new(),
    }
}

/// Prepaid API credits that expire a year after purchase (R-PREPAID-1, R-REFUND-6). Each
/// plan is a credit pack; `credits_per_period` is the pack size.
fn api_credits() -> CatalogueSpec {
    CatalogueSpec {
        id: API_CREDITS_ID.into(),
        name: "API credits (prepaid)".into(),
        version: "2026-01".into(),
        effective_from: example_effective_from(),
        currency: Currency::Usd,
        plans: vec![
            plan("pack-1k", "1,000 credits", 1000, 1000, 0, 0, "creator"),
            plan("pack-10k", "10,000 credits", 9500, 10_000, 0, 0, "creator"),
            plan(
                "pack-100k",
                "100,000 credits",
                90_000,
                100_000,
                0,
                0,
                "creator",
            ),
        ],
        models: stable_audio_models(),
        licences: stable_audio_licences(),
        kind: CatalogueKind::Prepaid,
        policy: Policy::default(),
        refund_policy: RefundPolicy::default(),
        prepaid: PrepaidSettings { expiry_months: 12 },
        topup: None,
        earlier_versions: Vec::new(),
    }
}

/// Pay-as-you-go usage against a balance, topped up automatically by USD 20 when it falls
/// below USD 5 (R-TOPUP-1, R-REFUND-6).
fn pay_as_you_go() -> CatalogueSpec {
    CatalogueSpec {
        id: PAY_AS_YOU_GO_ID.into(),
        name: "Pay as you go".into(),
        version: "2026-01".into(),
        effective_from: example_effective_from(),
        currency: Currency::Usd,
        plans: vec![plan("metered", "Metered", 0, 0, 0, 0, "creator")],
        models: stable_audio_models(),
        licences: stable_audio_licences(),
        kind: CatalogueKind::PayAsYouGo,
        policy: Policy::default(),
        refund_policy: RefundPolicy::default(),
        prepaid: PrepaidSettings::default(),
        topup: Some(TopUpSettings {
            threshold_minor: 500,
            topup_minor: 2000,
        }),
        earlier_versions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::same_id;
    use super::{Catalogue, CatalogueSpec};
    use crate::error::RuleError;

    fn invalid_field(spec: CatalogueSpec) -> (String, String) {
        match Catalogue::validate("t.json", spec) {
            Err(RuleError::InvalidCatalogue { field, problem, .. }) => (field, problem),
            other => panic!("expected an invalid catalogue, got {other:?}"),
        }
    }

    #[test]
    fn stripe_price_ids_find_their_plan() {
        let c = Catalogue::builtin("stable-audio").expect("built in");
        for (price, plan) in [
            ("price_stable_audio_pro_monthly", "pro"),
            ("price_stable_audio_studio_monthly", "studio"),
            ("price_stable_audio_max_monthly", "max"),
        ] {
            assert_eq!(
                c.plan_by_stripe_price(price).map(|p| p.id.as_str()),
                Some(plan)
            );
        }
        assert!(c.plan_by_stripe_price("").is_none());
        assert!(c.plan_by_stripe_price("price_stable_audio_pro").is_none());
        assert!(c.plan("free").expect("free").stripe_price_ids.is_empty());
        // The other built-ins sell nothing through Stripe subscriptions.
        for id in ["api-credits", "pay-as-you-go"] {
            let c = Catalogue::builtin(id).expect("built in");
            assert!(c.plans().iter().all(|p| p.stripe_price_ids.is_empty()));
        }
    }

    #[test]
    fn stripe_price_ids_are_optional_and_not_written_when_empty() {
        let c = Catalogue::builtin("stable-audio").expect("built in");
        let json = c.to_json();
        assert!(
            json.contains("\"stripe_price_ids\": [\n        \"price_stable_audio_pro_monthly\"")
        );
        let free = serde_json::to_value(c.plan("free").expect("free")).expect("json");
        assert!(free.get("stripe_price_ids").is_none(), "{free}");
        // A document without the field reads, with none.
        let mut doc: serde_json::Value = serde_json::from_str(&json).expect("json");
        for plan in doc["plans"].as_array_mut().expect("plans") {
            plan.as_object_mut()
                .expect("plan")
                .remove("stripe_price_ids");
        }
        let read = Catalogue::from_json("old.json", &doc.to_string()).expect("valid");
        assert!(read.plans().iter().all(|p| p.stripe_price_ids.is_empty()));
        assert!(
            read.plan_by_stripe_price("price_stable_audio_pro_monthly")
                .is_none()
        );
    }

    #[test]
    fn stripe_price_ids_are_validated_by_field() {
        let base = Catalogue::builtin("stable-audio")
            .expect("built in")
            .spec()
            .clone();

        let mut spec = base.clone();
        spec.plans[2].stripe_price_ids = vec!["price_stable_audio_pro_monthly".into()];
        let (field, problem) = invalid_field(spec);
        assert_eq!(field, "plans[2].stripe_price_ids[0]");
        assert!(
            problem.contains("already belongs to plan `pro`"),
            "{problem}"
        );

        let mut spec = base.clone();
        spec.plans[3].stripe_price_ids.push(String::new());
        let (field, problem) = invalid_field(spec);
        assert_eq!(field, "plans[3].stripe_price_ids[1]");
        assert!(problem.contains("must not be empty"), "{problem}");

        let mut spec = base.clone();
        spec.plans[1]
            .stripe_price_ids
            .push("price_stable_audio_pro_monthly".into());
        let (field, problem) = invalid_field(spec);
        assert_eq!(field, "plans[1].stripe_price_ids[1]");
        assert!(problem.contains("listed twice"), "{problem}");

        let mut spec = base.clone();
        spec.plans[1].stripe_price_ids = vec!["price pro".into()];
        assert_eq!(invalid_field(spec).0, "plans[1].stripe_price_ids[0]");

        let mut spec = base.clone();
        spec.plans[1].stripe_price_ids = vec!["p".repeat(256)];
        assert_eq!(invalid_field(spec).0, "plans[1].stripe_price_ids[0]");

        // Several ids for one plan (a monthly and a yearly price, say) are fine.
        let mut spec = base;
        spec.plans[1]
            .stripe_price_ids
            .push("price_pro_yearly".into());
        let c = Catalogue::validate("t.json", spec).expect("valid");
        assert_eq!(
            c.plan_by_stripe_price("price_pro_yearly")
                .map(|p| p.id.as_str()),
            Some("pro")
        );
    }

    #[test]
    fn same_id_tells_apart_ids_that_share_a_prefix() {
        assert!(same_id("stable-audio-1.0", "stable-audio-1.0"));
        assert!(!same_id("stable-audio-1.0", "stable-audio-1.1"));
        assert!(!same_id("stable-audio-1.0", "stable-audio-2.0"));
        assert!(!same_id("stable-audio-2.0", "stable-audio-2.0 "));
        assert!(!same_id("pro", "max"));
        assert!(same_id("", ""));
        assert!(!same_id("", "a"));
        // A last byte decides, at the end of a word of eight bytes and after it.
        assert!(!same_id("creator-licence1", "creator-licence2"));
        assert!(!same_id("creator-licence-a", "creator-licence-b"));
    }

    /// Proptest is a dev-dependency on the host only, so the property is checked there; the
    /// cases above build for every target.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        use super::same_id;

        proptest! {
            /// `same_id` answers exactly as `==`, on ids drawn from a small alphabet so equal
            /// ids and ids that differ in one late byte are common.
            #[test]
            fn same_id_is_string_equality(
                a in "[ab.-]{0,24}",
                b in "[ab.-]{0,24}",
                cut in 0usize..24,
            ) {
                prop_assert_eq!(same_id(&a, &b), a == b);
                prop_assert!(same_id(&a, &a.clone()));
                // The same id with one byte changed is never the same.
                let mut c = a.clone().into_bytes();
                if let Some(byte) = c.get_mut(cut) {
                    *byte = if *byte == b'a' { b'b' } else { b'a' };
                    let c = String::from_utf8(c).expect("ASCII");
                    prop_assert!(!same_id(&a, &c));
                }
            }
        }
    }
}
