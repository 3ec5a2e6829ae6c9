//! The wire types of prepaid credits (R-PREPAID).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::*;
use crate::reason::Reason;

/// A grant of prepaid or promotional credits (R-PREPAID-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// A label for the grant.
    #[cfg_attr(feature = "openapi", schema(example = "welcome-credits"))]
    pub id: String,
    /// Credits granted.
    #[cfg_attr(feature = "openapi", schema(example = 1000))]
    pub credits: u64,
    /// When they were purchased or issued.
    pub granted_at: DateTime<FixedOffset>,
    /// When they expire; one year after `granted_at` when absent.
    #[serde(default)]
    pub expires_at: Option<DateTime<FixedOffset>>,
}

/// Credits spent at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Spend {
    /// Credits spent.
    #[cfg_attr(feature = "openapi", schema(example = 100))]
    pub credits: u64,
    /// When.
    pub at: DateTime<FixedOffset>,
}

/// `POST /api/v1/prepaid/balance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrepaidRequest {
    /// The grants, in any order.
    #[serde(default)]
    pub grants: Vec<Grant>,
    /// The spends, in any order.
    #[serde(default)]
    pub spends: Vec<Spend>,
    /// The instant to report on.
    pub at: DateTime<FixedOffset>,
    /// Months until a grant without `expires_at` expires; 12 when absent (R-PREPAID-1).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1200, example = 12))]
    pub expiry_months: Option<u32>,
}

/// The credits that expire next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expiring {
    /// How many credits expire at that instant.
    pub credits: u64,
    /// When.
    pub expires_at: DateTime<FixedOffset>,
}

/// One grant's state at the reported instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantBalance {
    /// The grant's label.
    pub id: String,
    /// Credits granted.
    pub granted: u64,
    /// Credits not yet spent.
    pub remaining: u64,
    /// When it expires.
    pub expires_at: DateTime<FixedOffset>,
    /// Whether it has expired at the reported instant; a grant read at its expiry instant
    /// itself has expired (it is live on `[granted_at, expires_at)`, R-PREPAID-2).
    pub expired: bool,
}

/// The answer of `POST /api/v1/prepaid/balance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrepaidResponse {
    /// Unexpired, unspent credits.
    pub balance: u64,
    /// What expires next, or `null` when nothing is left.
    pub expiring_next: Option<Expiring>,
    /// Every grant that was issued by the reported instant.
    pub grants: Vec<GrantBalance>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
