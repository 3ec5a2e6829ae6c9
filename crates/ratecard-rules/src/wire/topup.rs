//! The wire types of top-ups (R-TOPUP).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::*;
use crate::money::Currency;
use crate::reason::Reason;

/// Money used at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageCharge {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// How much, in minor units, not negative.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, example = 300))]
    pub amount_minor: i64,
}

/// `POST /api/v1/topups/simulate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopUpRequest {
    /// The balance before the first usage.
    #[cfg_attr(feature = "openapi", schema(example = 1000))]
    pub balance_minor: i64,
    /// A top-up happens when the balance falls below this.
    #[cfg_attr(feature = "openapi", schema(example = 500))]
    pub threshold_minor: i64,
    /// The amount credited by each top-up, tax-exclusive.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, example = 2000))]
    pub topup_minor: i64,
    /// The tax rate in basis points (R-MONEY-3).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2000))]
    pub tax_rate_bp: Option<u32>,
    /// The currency; USD when absent.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// The usage, in any order.
    #[serde(default)]
    pub usage: Vec<UsageCharge>,
}

/// One automatic top-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopUp {
    /// When it happened: the instant of the usage that triggered it.
    pub at: DateTime<FixedOffset>,
    /// The amount credited.
    pub amount_minor: i64,
    /// The tax on it.
    pub tax_minor: i64,
    /// `amount_minor + tax_minor`, the amount charged.
    pub charged_minor: i64,
    /// The balance right after the top-up.
    pub balance_after_minor: i64,
}

/// The answer of `POST /api/v1/topups/simulate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopUpResponse {
    /// Every top-up, in time order.
    pub topups: Vec<TopUp>,
    /// The balance after the last usage.
    pub final_balance_minor: i64,
    /// The sum of `charged_minor`.
    pub total_charged_minor: i64,
    /// The currency.
    pub currency: Currency,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
