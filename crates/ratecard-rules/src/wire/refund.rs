//! The wire types of refunds (R-REFUND).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::*;
use crate::reason::Reason;

/// Why a refund is asked for (R-REFUND-1 to R-REFUND-3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", schema(example = "accidental-purchase"))]
pub enum RefundReason {
    /// No special reason: only R-REFUND-3 can apply.
    #[default]
    None,
    /// Bought by accident by a friend or family member (R-REFUND-1).
    AccidentalPurchase,
    /// Not made by the cardholder or anyone they know (R-REFUND-2).
    UnauthorizedCharge,
}

/// A subscription charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChargeRef {
    /// When it was charged.
    #[cfg_attr(feature = "openapi", schema(example = "2026-01-31T09:00:00Z"))]
    pub at: DateTime<FixedOffset>,
    /// How much, in minor units.
    #[cfg_attr(feature = "openapi", schema(example = 1199))]
    pub amount_minor: i64,
}

/// `POST /api/v1/refunds/eligibility`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription that was charged.
    pub subscription: Subscription,
    /// The charge in question.
    pub charge: ChargeRef,
    /// When the request was submitted (R-REFUND-3).
    #[cfg_attr(feature = "openapi", schema(example = "2026-02-02T09:00:00Z"))]
    pub request_at: DateTime<FixedOffset>,
    /// The reason given.
    #[serde(default)]
    pub reason: RefundReason,
    /// Generations, to measure usage since the charge.
    #[serde(default)]
    pub generations: Vec<GenerationEvent>,
    /// Whether the account was terminated for breaching the terms (R-REFUND-7).
    #[serde(default)]
    pub terminated_for_breach: bool,
}

/// A range of business days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessDays {
    /// The fewest business days.
    pub min: u32,
    /// The most business days.
    pub max: u32,
}

/// The answer of `POST /api/v1/refunds/eligibility`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundResponse {
    /// Whether the charge is eligible for review; never "approved" (R-REFUND-4).
    pub eligible: bool,
    /// `eligible-for-review` or `not-eligible`.
    pub status: String,
    /// The R-REFUND ids that decided it.
    pub rules: Vec<String>,
    /// Whole hours from the charge to the request, rounded down.
    pub hours_since_charge: i64,
    /// Seconds from the charge to the request.
    pub seconds_since_charge: i64,
    /// Credits used from the charge to the request.
    pub credits_used: u64,
    /// Those credits as basis points of the monthly allowance, rounded down.
    pub usage_bp: u64,
    /// The latest reply date: the request date plus 3 business days (R-REFUND-5).
    pub reply_by: NaiveDate,
    /// The earliest expected reply date: plus 2 business days (R-REFUND-5).
    pub reply_from: NaiveDate,
    /// Business days from approval to the money reaching the bank (R-REFUND-5).
    pub bank_business_days: BusinessDays,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
