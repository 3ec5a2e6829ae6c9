//! The wire types of the support ledger.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::*;
use crate::catalogue::Interval;
use crate::money::Currency;
use crate::reason::Reason;

/// One event of an account's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
