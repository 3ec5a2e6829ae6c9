//! The wire types of terms dates (R-TERMS).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::*;
use crate::money::Currency;
use crate::reason::Reason;

/// A payment made by the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// How much, in minor units.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, example = 1199))]
    pub amount_minor: i64,
}

/// `POST /api/v1/terms/dates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TermsRequest {
    /// When the account was created (R-TERMS-2).
    pub account_created_at: DateTime<FixedOffset>,
    /// When the claim arose (R-TERMS-3); the latest payment when absent.
    #[serde(default)]
    pub claim_at: Option<DateTime<FixedOffset>>,
    /// When a dispute was notified (R-TERMS-6).
    #[serde(default)]
    pub dispute_notified_at: Option<DateTime<FixedOffset>>,
    /// Payments made (R-TERMS-3).
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// The currency of the payments; USD when absent.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// When an update to the arbitration terms took effect (R-TERMS-2).
    #[serde(default)]
    pub arbitration_terms_updated_at: Option<DateTime<FixedOffset>>,
    /// When the account was cancelled (R-TERMS-5).
    #[serde(default)]
    pub cancelled_at: Option<DateTime<FixedOffset>>,
    /// When the account was last active (R-TERMS-4).
    #[serde(default)]
    pub last_active_at: Option<DateTime<FixedOffset>>,
    /// The customer's date of birth (R-TERMS-1).
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
}

/// The answer of `POST /api/v1/terms/dates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermsResponse {
    /// The minimum age, 18 (R-TERMS-1).
    pub minimum_age: u32,
    /// The date the customer turns 18, when a date of birth was given (R-TERMS-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adult_on: Option<NaiveDate>,
    /// The last instant to opt out of arbitration (R-TERMS-2).
    pub arbitration_opt_out_by: DateTime<FixedOffset>,
    /// The liability cap in minor units of `currency` (R-TERMS-3).
    pub liability_cap_minor: i64,
    /// What was paid in the six months before the claim (R-TERMS-3).
    pub paid_in_window_minor: i64,
    /// The currency of the cap.
    pub currency: Currency,
    /// When either side may start arbitration (R-TERMS-6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arbitration_may_start_at: Option<DateTime<FixedOffset>>,
    /// After this instant the account may be terminated for inactivity (R-TERMS-4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_termination_after: Option<DateTime<FixedOffset>>,
    /// The account's data is deleted by this instant (R-TERMS-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_deleted_by: Option<DateTime<FixedOffset>>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
