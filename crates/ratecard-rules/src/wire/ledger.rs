//! The wire types of the support ledger.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::*;
use crate::catalogue::Interval;
use crate::money::Currency;
use crate::reason::Reason;

/// One event of an account's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum LedgerEvent {
    /// A subscription starts (R-CYCLE-1; R-UPGRADE-3 for a paid plan).
    Subscribe {
        /// When.
        at: DateTime<FixedOffset>,
        /// The plan id.
        #[cfg_attr(feature = "openapi", schema(example = "pro"))]
        plan: String,
        /// How often it is billed (R-INTERVAL-1); `month` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interval: Option<Interval>,
        /// The currency it is billed in for good (R-CURRENCY-1); the catalogue's default
        /// when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        currency: Option<Currency>,
        /// Whether it starts with the plan's free trial (R-TRIAL-1).
        #[serde(default, skip_serializing_if = "core::ops::Not::not")]
        trial: bool,
    },
    /// A move to a dearer plan (R-UPGRADE; R-INTERVAL-5 between yearly plans).
    Upgrade {
        /// When.
        at: DateTime<FixedOffset>,
        /// The plan id.
        #[cfg_attr(feature = "openapi", schema(example = "studio"))]
        to_plan: String,
        /// The interval after the change; the current one when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_interval: Option<Interval>,
    },
    /// A move to a cheaper plan (R-DOWNGRADE-1; R-INTERVAL-6 from a yearly plan).
    Downgrade {
        /// When.
        at: DateTime<FixedOffset>,
        /// The plan id.
        #[cfg_attr(feature = "openapi", schema(example = "pro"))]
        to_plan: String,
        /// The interval after the change; the current one when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_interval: Option<Interval>,
    },
    /// Any change of plan and interval, decided as `POST /api/v1/previews/change` decides
    /// it (R-INTERVAL-4 to R-INTERVAL-6, R-TRIAL-2).
    IntervalChange {
        /// When.
        at: DateTime<FixedOffset>,
        /// The plan id.
        #[cfg_attr(feature = "openapi", schema(example = "pro"))]
        to_plan: String,
        /// The interval after the change.
        to_interval: Interval,
    },
    /// A cancellation (R-CANCEL).
    Cancel {
        /// When.
        at: DateTime<FixedOffset>,
        /// Whether the whole account is closed as well (R-TERMS-5).
        #[serde(default)]
        close_account: bool,
    },
    /// A generation (R-CREDIT-COST-1, R-QUOTA-1).
    Generation {
        /// When.
        at: DateTime<FixedOffset>,
        /// The model id.
        #[cfg_attr(feature = "openapi", schema(example = "stable-audio-2.0"))]
        model: String,
    },
    /// An upload (R-UPLOAD).
    Upload {
        /// When.
        at: DateTime<FixedOffset>,
        /// Its length before cropping.
        #[cfg_attr(feature = "openapi", schema(example = 90))]
        seconds: u32,
        /// Whether it was flagged as someone else's copyright.
        #[serde(default)]
        copyright_flagged: bool,
    },
    /// A charge made outside the plan calendar, such as a one-off purchase.
    Charge {
        /// When.
        at: DateTime<FixedOffset>,
        /// How much, tax included, in minor units.
        #[cfg_attr(feature = "openapi", schema(example = 1199))]
        amount_minor: i64,
        /// What it was for.
        #[serde(default)]
        description: Option<String>,
    },
    /// A refund paid out for an earlier charge (R-REFUND-4: granted at the provider's
    /// discretion). It reduces the amount paid (R-TERMS-3).
    Refund {
        /// When it was paid out.
        at: DateTime<FixedOffset>,
        /// How much, tax included, in minor units; above 0.
        #[cfg_attr(feature = "openapi", schema(example = 1199))]
        amount_minor: i64,
        /// What it was for.
        #[serde(default)]
        description: Option<String>,
    },
    /// A refund request about the latest charge before it (R-REFUND).
    RefundRequest {
        /// When it was submitted.
        at: DateTime<FixedOffset>,
        /// The reason given.
        #[serde(default)]
        reason: RefundReason,
        /// Whether the account was terminated for breach (R-REFUND-7).
        #[serde(default)]
        terminated_for_breach: bool,
    },
    /// A grant of prepaid or promotional credits (R-PREPAID-1).
    Grant {
        /// When.
        at: DateTime<FixedOffset>,
        /// A label; `grant-N` when absent.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(example = "welcome-credits"))]
        id: Option<String>,
        /// Credits granted.
        #[cfg_attr(feature = "openapi", schema(example = 500))]
        credits: u64,
        /// When they expire; a year later when absent.
        #[serde(default)]
        expires_at: Option<DateTime<FixedOffset>>,
    },
}

impl LedgerEvent {
    /// The instant of the event.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::api::LedgerEvent;
    /// let e: LedgerEvent = serde_json::from_str(
    ///     r#"{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"}"#).unwrap();
    /// assert_eq!(e.at().to_rfc3339(), "2027-02-01T00:00:00+00:00");
    /// ```
    #[must_use]
    pub fn at(&self) -> DateTime<FixedOffset> {
        match self {
            LedgerEvent::Subscribe { at, .. }
            | LedgerEvent::Upgrade { at, .. }
            | LedgerEvent::Downgrade { at, .. }
            | LedgerEvent::IntervalChange { at, .. }
            | LedgerEvent::Cancel { at, .. }
            | LedgerEvent::Generation { at, .. }
            | LedgerEvent::Upload { at, .. }
            | LedgerEvent::Charge { at, .. }
            | LedgerEvent::Refund { at, .. }
            | LedgerEvent::RefundRequest { at, .. }
            | LedgerEvent::Grant { at, .. } => *at,
        }
    }
}

// An event is a JSON object whose `type` names its kind. It deserialises by hand (see
// `event_de`) so that each member is read once, straight into its type: no copy of the
// object is buffered first, and an error names the member at fault.
impl<'de> Deserialize<'de> for LedgerEvent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(event_de::EventVisitor)
    }
}

/// The hand-written reader of [`LedgerEvent`].
///
/// serde's derived reader of an internally tagged enum first copies the whole object into
/// a buffer, because `type` may come last; every kind of event then has its own reader
/// over that buffer. That was 29 KB of the support console's Wasm. This reader keeps
/// one slot per member name (a name has one type in every kind of event), reads each
/// member into its slot as it comes, and builds the event once `type` is known. Its
/// errors are serde's: `missing field`, `unknown field … expected one of`, `duplicate
/// field`, `unknown variant`, and each member's own type error at that member's path.
mod event_de {
    use chrono::{DateTime, FixedOffset};
    use serde::Deserialize;
    use serde::de::{Error, MapAccess, Visitor};

    use super::LedgerEvent;
    use crate::catalogue::Interval;
    use crate::money::Currency;
    use crate::wire::RefundReason;

    /// The kind of event, from `type`.
    #[derive(Clone, Copy)]
    enum Kind {
        Subscribe,
        Upgrade,
        Downgrade,
        IntervalChange,
        Cancel,
        Generation,
        Upload,
        Charge,
        Refund,
        RefundRequest,
        Grant,
    }

    /// The values of `type`, in the order serde's message lists them.
    const KINDS: [(&str, Kind); 11] = [
        ("subscribe", Kind::Subscribe),
        ("upgrade", Kind::Upgrade),
        ("downgrade", Kind::Downgrade),
        ("interval-change", Kind::IntervalChange),
        ("cancel", Kind::Cancel),
        ("generation", Kind::Generation),
        ("upload", Kind::Upload),
        ("charge", Kind::Charge),
        ("refund", Kind::Refund),
        ("refund-request", Kind::RefundRequest),
        ("grant", Kind::Grant),
    ];
    /// The same names alone, for serde's `unknown variant` message.
    const KIND_NAMES: [&str; 11] = {
        let mut names = [""; 11];
        let mut i = 0;
        while i < KINDS.len() {
            names[i] = KINDS[i].0;
            i += 1;
        }
        names
    };

    impl<'de> Deserialize<'de> for Kind {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Kind, D::Error> {
            Kind::named(&String::deserialize(deserializer)?)
        }
    }

    impl Kind {
        /// The kind `type` names; serde's `unknown variant` error otherwise.
        fn named<E: Error>(name: &str) -> Result<Kind, E> {
            KINDS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, kind)| *kind)
                .ok_or_else(|| E::unknown_variant(name, &KIND_NAMES))
        }

        /// The members an event of this kind may have, beside `type`.
        fn members(self) -> &'static [&'static str] {
            match self {
                Kind::Subscribe => &["at", "plan", "interval", "currency", "trial"],
                Kind::Upgrade | Kind::Downgrade | Kind::IntervalChange => {
                    &["at", "to_plan", "to_interval"]
                }
                Kind::Cancel => &["at", "close_account"],
                Kind::Generation => &["at", "model"],
                Kind::Upload => &["at", "seconds", "copyright_flagged"],
                Kind::Charge | Kind::Refund => &["at", "amount_minor", "description"],
                Kind::RefundRequest => &["at", "reason", "terminated_for_breach"],
                Kind::Grant => &["at", "id", "credits", "expires_at"],
            }
        }
    }

    /// Every member seen so far, each in its own slot.
    #[derive(Default)]
    struct Members {
        at: Option<DateTime<FixedOffset>>,
        plan: Option<String>,
        to_plan: Option<String>,
        interval: Option<Option<Interval>>,
        to_interval: Option<Option<Interval>>,
        currency: Option<Option<Currency>>,
        trial: Option<bool>,
        close_account: Option<bool>,
        model: Option<String>,
        seconds: Option<u32>,
        copyright_flagged: Option<bool>,
        amount_minor: Option<i64>,
        description: Option<Option<String>>,
        reason: Option<RefundReason>,
        terminated_for_breach: Option<bool>,
        id: Option<Option<String>>,
        credits: Option<u64>,
        expires_at: Option<Option<DateTime<FixedOffset>>>,
    }

    /// Reads the next value into `slot`, refusing a second one.
    fn fill<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(A::Error::duplicate_field(name));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }

    /// A required member's value.
    fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(name))
    }

    pub(super) struct EventVisitor;

    impl<'de> Visitor<'de> for EventVisitor {
        type Value = LedgerEvent;

        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("an event object with a `type`")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LedgerEvent, A::Error> {
            let mut kind: Option<Kind> = None;
            let mut m = Members::default();
            // The names read before `type`, checked once it is known.
            let mut early: Vec<String> = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                match kind {
                    None if name != "type" => early.push(name.clone()),
                    Some(kind) if name != "type" && !kind.members().contains(&name.as_str()) => {
                        return Err(A::Error::unknown_field(&name, kind.members()));
                    }
                    _ => {}
                }
                match name.as_str() {
                    "type" => fill(&mut map, &mut kind, "type")?,
                    "at" => fill(&mut map, &mut m.at, "at")?,
                    "plan" => fill(&mut map, &mut m.plan, "plan")?,
                    "to_plan" => fill(&mut map, &mut m.to_plan, "to_plan")?,
                    "interval" => fill(&mut map, &mut m.interval, "interval")?,
                    "to_interval" => fill(&mut map, &mut m.to_interval, "to_interval")?,
                    "currency" => fill(&mut map, &mut m.currency, "currency")?,
                    "trial" => fill(&mut map, &mut m.trial, "trial")?,
                    "close_account" => fill(&mut map, &mut m.close_account, "close_account")?,
                    "model" => fill(&mut map, &mut m.model, "model")?,
                    "seconds" => fill(&mut map, &mut m.seconds, "seconds")?,
                    "copyright_flagged" => {
                        fill(&mut map, &mut m.copyright_flagged, "copyright_flagged")?;
                    }
                    "amount_minor" => fill(&mut map, &mut m.amount_minor, "amount_minor")?,
                    "description" => fill(&mut map, &mut m.description, "description")?,
                    "reason" => fill(&mut map, &mut m.reason, "reason")?,
                    "terminated_for_breach" => {
                        fill(
                            &mut map,
                            &mut m.terminated_for_breach,
                            "terminated_for_breach",
                        )?;
                    }
                    "id" => fill(&mut map, &mut m.id, "id")?,
                    "credits" => fill(&mut map, &mut m.credits, "credits")?,
                    "expires_at" => fill(&mut map, &mut m.expires_at, "expires_at")?,
                    // A name no kind of event has, read before `type`: refused below.
                    _ => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
            }
            let kind = required(kind, "type")?;
            if let Some(name) = early
                .iter()
                .find(|name| !kind.members().contains(&name.as_str()))
            {
                return Err(A::Error::unknown_field(name, kind.members()));
            }
            let at = required(m.at, "at")?;
            Ok(match kind {
                Kind::Subscribe => LedgerEvent::Subscribe {
                    at,
                    plan: required(m.plan, "plan")?,
                    interval: m.interval.flatten(),
                    currency: m.currency.flatten(),
                    trial: m.trial.unwrap_or_default(),
                },
                Kind::Upgrade => LedgerEvent::Upgrade {
                    at,
                    to_plan: required(m.to_plan, "to_plan")?,
                    to_interval: m.to_interval.flatten(),
                },
                Kind::Downgrade => LedgerEvent::Downgrade {
                    at,
                    to_plan: required(m.to_plan, "to_plan")?,
                    to_interval: m.to_interval.flatten(),
                },
                Kind::IntervalChange => LedgerEvent::IntervalChange {
                    at,
                    to_plan: required(m.to_plan, "to_plan")?,
                    to_interval: required(m.to_interval.flatten(), "to_interval")?,
                },
                Kind::Cancel => LedgerEvent::Cancel {
                    at,
                    close_account: m.close_account.unwrap_or_default(),
                },
                Kind::Generation => LedgerEvent::Generation {
                    at,
                    model: required(m.model, "model")?,
                },
                Kind::Upload => LedgerEvent::Upload {
                    at,
                    seconds: required(m.seconds, "seconds")?,
                    copyright_flagged: m.copyright_flagged.unwrap_or_default(),
                },
                Kind::Charge => LedgerEvent::Charge {
                    at,
                    amount_minor: required(m.amount_minor, "amount_minor")?,
                    description: m.description.flatten(),
                },
                Kind::Refund => LedgerEvent::Refund {
                    at,
                    amount_minor: required(m.amount_minor, "amount_minor")?,
                    description: m.description.flatten(),
                },
                Kind::RefundRequest => LedgerEvent::RefundRequest {
                    at,
                    reason: m.reason.unwrap_or_default(),
                    terminated_for_breach: m.terminated_for_breach.unwrap_or_default(),
                },
                Kind::Grant => LedgerEvent::Grant {
                    at,
                    id: m.id.flatten(),
                    credits: required(m.credits, "credits")?,
                    expires_at: m.expires_at.flatten(),
                },
            })
        }
    }
}

/// `POST /api/v1/ledger`: an account history to explain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LedgerRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The customer's IANA time zone.
    #[serde(default = "default_time_zone")]
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Berlin"))]
    pub time_zone: String,
    /// The instant to report the state at; later events are ignored.
    #[cfg_attr(feature = "openapi", schema(example = "2026-02-10T09:00:00Z"))]
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points for charges the ledger computes (R-MONEY-3).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2000))]
    pub tax_rate_bp: Option<u32>,
    /// The history, in any order; it is sorted by time, stably.
    pub events: Vec<LedgerEvent>,
}

/// The kind of a timeline entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// Money charged.
    Charge,
    /// Money credited (negative amount).
    Credit,
    /// Tax charged (R-MONEY-3).
    Tax,
    /// An allowance starts afresh (R-CYCLE-5).
    AllowanceReset,
    /// An event was refused.
    Refusal,
    /// The plan changed.
    PlanChange,
    /// A downgrade was scheduled for the end of the period (R-DOWNGRADE-1).
    ChangeScheduled,
    /// Paid allowance was lost (R-CANCEL-1).
    AllowanceLost,
    /// Prepaid credits were granted (R-PREPAID-1).
    Grant,
    /// Prepaid credits were spent (R-PREPAID-2).
    GrantSpend,
    /// Prepaid credits expired (R-PREPAID-1).
    GrantExpiry,
    /// An upload was deleted for copyright (R-UPLOAD-3).
    UploadDeleted,
    /// A refund request was judged (R-REFUND).
    RefundReview,
}

/// One entry of the ledger timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// What happened.
    pub kind: EntryKind,
    /// The plan in force after the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// The amount of money, for charges, credits and tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_minor: Option<i64>,
    /// The credits or seconds concerned, for allowances, grants and refusals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
    /// The rules applied.
    pub rules: Vec<String>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// The refund position of the latest charge, as if asked at the report instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundState {
    /// The charge in question.
    pub charge: ChargeRef,
    /// Whether it is eligible for review.
    pub eligible: bool,
    /// The rules that decided it.
    pub rules: Vec<String>,
    /// Credits used since the charge, in basis points of the monthly allowance.
    pub usage_bp: u64,
    /// The reply date for a request made at the report instant.
    pub reply_by: NaiveDate,
}

/// The licence of the current plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceState {
    /// The licence id.
    pub id: String,
    /// The licence name.
    pub name: String,
    /// Whether commercial use is allowed.
    pub commercial_use: bool,
    /// The MAU limit for commercial products, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mau_limit: Option<u64>,
}

/// The prepaid credits at the report instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrepaidState {
    /// Unexpired, unspent credits.
    pub balance: u64,
    /// What expires next.
    pub expiring_next: Option<Expiring>,
}

/// Key dates of the terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermsState {
    /// The last instant to opt out of arbitration (R-TERMS-2).
    pub arbitration_opt_out_by: DateTime<FixedOffset>,
    /// When the data is deleted by, if the account was closed (R-TERMS-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_deleted_by: Option<DateTime<FixedOffset>>,
    /// The liability cap for a claim arising at the report instant (R-TERMS-3).
    pub liability_cap_minor: i64,
}

/// What a support agent needs to know at the report instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountState {
    /// The current plan, if subscribed.
    pub plan: Option<String>,
    /// How the current plan is billed (R-INTERVAL-1), if subscribed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// The current allowance period (R-CYCLE-5; monthly on a yearly plan, R-INTERVAL-2).
    pub period: Option<Period>,
    /// The current billing period, when it differs from the allowance period: a yearly
    /// plan's year (R-INTERVAL-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period: Option<Period>,
    /// The end of the running trial, if any (R-TRIAL-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_ends_at: Option<DateTime<FixedOffset>>,
    /// A downgrade waiting for the end of the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_plan: Option<String>,
    /// The interval a change waiting for the end of the period moves to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_interval: Option<Interval>,
    /// The catalogue version whose prices apply to the current period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue_version: Option<String>,
    /// Credits of the period.
    pub credits: Usage,
    /// Upload seconds of the period.
    pub upload_seconds: Usage,
    /// Money credited and not yet used (immediate-credit downgrades).
    pub credit_balance_minor: i64,
    /// The refund position of the latest charge.
    pub refund: Option<RefundState>,
    /// The licence of the current plan.
    pub licence: Option<LicenceState>,
    /// Prepaid credits.
    pub prepaid: PrepaidState,
    /// Key dates of the terms; absent before the first event.
    pub terms: Option<TermsState>,
}

/// The answer of `POST /api/v1/ledger`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerResponse {
    /// The currency of every amount.
    pub currency: Currency,
    /// Every charge, credit, allowance reset and refusal, in time order.
    pub timeline: Vec<LedgerEntry>,
    /// The state at the report instant.
    pub state: AccountState,
    /// Events after the report instant, which were not applied.
    pub ignored_events: u64,
    /// A summary of the state, sentence by sentence.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<LedgerEvent, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    const AT: &str = "2027-02-01T00:00:00Z";

    #[test]
    fn every_kind_of_event_reads_back_what_it_writes() {
        let at: DateTime<FixedOffset> = AT.parse().expect("an instant");
        let events = [
            LedgerEvent::Subscribe {
                at,
                plan: "pro".into(),
                interval: Some(Interval::Year),
                currency: Some(Currency::Usd),
                trial: true,
            },
            LedgerEvent::Subscribe {
                at,
                plan: "pro".into(),
                interval: None,
                currency: None,
                trial: false,
            },
            LedgerEvent::Upgrade {
                at,
                to_plan: "studio".into(),
                to_interval: None,
            },
            LedgerEvent::Downgrade {
                at,
                to_plan: "pro".into(),
                to_interval: Some(Interval::Month),
            },
            LedgerEvent::IntervalChange {
                at,
                to_plan: "pro".into(),
                to_interval: Interval::Year,
            },
            LedgerEvent::Cancel {
                at,
                close_account: true,
            },
            LedgerEvent::Generation {
                at,
                model: "stable-audio-2.0".into(),
            },
            LedgerEvent::Upload {
                at,
                seconds: 90,
                copyright_flagged: true,
            },
            LedgerEvent::Charge {
                at,
                amount_minor: 1199,
                description: Some("top-up".into()),
            },
            LedgerEvent::Refund {
                at,
                amount_minor: 1199,
                description: None,
            },
            LedgerEvent::RefundRequest {
                at,
                reason: RefundReason::AccidentalPurchase,
                terminated_for_breach: true,
            },
            LedgerEvent::Grant {
                at,
                id: Some("welcome".into()),
                credits: 500,
                expires_at: Some(at),
            },
        ];
        for event in events {
            let json = serde_json::to_string(&event).expect("serialisable");
            assert_eq!(read(&json), Ok(event), "{json}");
        }
    }

    #[test]
    fn type_may_come_anywhere_and_optional_members_may_be_null() {
        let event = read(&format!(
            r#"{{"at": "{AT}", "id": null, "credits": 5, "expires_at": null, "type": "grant"}}"#
        ));
        assert!(
            matches!(
                event,
                Ok(LedgerEvent::Grant {
                    id: None,
                    credits: 5,
                    expires_at: None,
                    ..
                })
            ),
            "{event:?}"
        );
    }

    #[test]
    fn errors_are_the_ones_serde_names() {
        let cases = [
            (
                format!(r#"{{"at": "{AT}", "plan": "pro"}}"#),
                "missing field `type`",
            ),
            (
                format!(r#"{{"type": "teleport", "at": "{AT}"}}"#),
                "unknown variant `teleport`, expected one of `subscribe`, `upgrade`",
            ),
            (
                format!(r#"{{"type": 5, "at": "{AT}"}}"#),
                "invalid type: integer `5`, expected a string",
            ),
            (
                format!(r#"{{"type": "subscribe", "at": "{AT}"}}"#),
                "missing field `plan`",
            ),
            (r#"{"type": "cancel"}"#.to_owned(), "missing field `at`"),
            (
                format!(r#"{{"type": "interval-change", "at": "{AT}", "to_plan": "pro"}}"#),
                "missing field `to_interval`",
            ),
            // A member of another kind, before and after `type`.
            (
                format!(r#"{{"plan": "pro", "type": "cancel", "at": "{AT}"}}"#),
                "unknown field `plan`, expected `at` or `close_account`",
            ),
            (
                format!(r#"{{"type": "cancel", "at": "{AT}", "plan": "pro"}}"#),
                "unknown field `plan`, expected `at` or `close_account`",
            ),
            // A member no kind has, before and after `type`.
            (
                format!(r#"{{"colour": 1, "type": "generation", "at": "{AT}", "model": "m"}}"#),
                "unknown field `colour`, expected `at` or `model`",
            ),
            (
                format!(r#"{{"type": "generation", "at": "{AT}", "model": "m", "colour": 1}}"#),
                "unknown field `colour`, expected `at` or `model`",
            ),
            (
                format!(r#"{{"type": "cancel", "type": "cancel", "at": "{AT}"}}"#),
                "duplicate field `type`",
            ),
            (
                format!(r#"{{"type": "generation", "at": "{AT}", "model": "a", "model": "b"}}"#),
                "duplicate field `model`",
            ),
            (
                format!(r#"{{"type": "upload", "at": "{AT}", "seconds": -3}}"#),
                "invalid value: integer `-3`, expected u32",
            ),
            (
                format!(r#"{{"type": "charge", "at": "{AT}", "amount_minor": 1e20}}"#),
                "invalid type: floating point `1e+20`, expected i64",
            ),
            (
                "[1, 2]".to_owned(),
                "invalid type: sequence, expected an event object with a `type`",
            ),
        ];
        for (json, says) in cases {
            let err = read(&json).expect_err(&json);
            assert!(err.starts_with(says), "{json}: {err}");
        }
    }
}
