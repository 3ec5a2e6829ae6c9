//! The wire types of renewals and plan changes (R-CYCLE, R-UPGRADE, R-DOWNGRADE, R-CANCEL).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::*;
use crate::money::{Currency, Money};
use crate::reason::Reason;

/// `POST /api/v1/renewals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenewalsRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription.
    pub subscription: Subscription,
    /// How many renewals to list, 1 to 120.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 120, example = 12))]
    pub count: u32,
}

/// One renewal with the price that applies from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalDetail {
    /// The renewal instant, in the subscriber's local offset.
    pub at: DateTime<FixedOffset>,
    /// The local date and time of the renewal.
    pub local: String,
    /// The price charged at this renewal, tax-exclusive (R-PRICE-LOCK-1, R-PRICE-CHANGE-1).
    pub price_minor: i64,
    /// The catalogue version whose price applies.
    pub catalogue_version: String,
    /// The calendar adjustment applied, if any: `month-end`, `dst-gap` or `dst-fold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<String>,
}

/// The answer of `POST /api/v1/renewals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalsResponse {
    /// The first `count` renewals after `started_at`.
    pub renewals: Vec<DateTime<FixedOffset>>,
    /// The same renewals with their local time, price and adjustment.
    pub details: Vec<RenewalDetail>,
    /// The currency of the prices.
    pub currency: Currency,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

plan_change_request! {
    /// `POST /api/v1/previews/upgrade` and `POST /api/v1/previews/downgrade`.
    pub struct PlanChangeRequest {
        /// The subscription before the change.
        subscription,
        /// When the change is made.
        at,
    }
}

/// `POST /api/v1/previews/cancel`: like a plan change, with `to_plan` optional (it can only
/// be the free plan) and the period's usage optional, to report the allowance lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription being cancelled.
    pub subscription: Subscription,
    /// The free plan, if given; any other plan is refused.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "free"))]
    pub to_plan: Option<String>,
    /// When the cancellation is made.
    #[cfg_attr(feature = "openapi", schema(example = "2026-02-10T09:00:00Z"))]
    pub at: DateTime<FixedOffset>,
    /// Accepted for symmetry with the other previews; a cancellation charges nothing.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2000))]
    pub tax_rate_bp: Option<u32>,
    /// Generations made so far, to compute the allowance lost.
    #[serde(default)]
    pub generations: Vec<GenerationEvent>,
    /// Uploads made so far, to compute the upload time lost.
    #[serde(default)]
    pub uploads: Vec<UploadEvent>,
}

/// The kind of a price line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// Money given back; the amount is negative.
    Credit,
    /// Money charged.
    Charge,
    /// Tax on the subtotal (R-MONEY-3).
    Tax,
}

/// One line of a price calculation. The lines always add up to the total (R-MONEY-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    /// Credit, charge or tax.
    pub kind: LineKind,
    /// The amount in minor units; negative for a credit.
    pub amount_minor: i64,
    /// A short English description.
    pub description: String,
    /// The rule that produced the line.
    pub rule: String,
}

/// The allowances of a plan for one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allowance {
    /// Credits (R-QUOTA-1).
    pub credits: u64,
    /// Upload seconds (R-UPLOAD-1).
    pub upload_seconds: u64,
}

/// How much of the period is left at the change (R-UPGRADE-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Remaining {
    /// Seconds from the change to the end of the period: the numerator of `f`.
    pub seconds_left: i64,
    /// Seconds in the whole period: the denominator of `f`.
    pub seconds_in_period: i64,
}

/// The answer of `POST /api/v1/previews/upgrade`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpgradePreview {
    /// The plan before the change.
    pub from_plan: String,
    /// The plan after the change.
    pub to_plan: String,
    /// The sum of the lines.
    pub due_now: Money,
    /// Credit, charge and tax lines.
    pub lines: Vec<Line>,
    /// The billing period the change falls in (a new one from the free plan).
    pub period: Period,
    /// The next renewal after the change.
    pub next_renewal: DateTime<FixedOffset>,
    /// The anchor of renewals after the change (R-UPGRADE-1, R-UPGRADE-3).
    pub anchor: DateTime<FixedOffset>,
    /// The remaining fraction of the period; absent when coming from the free plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<Remaining>,
    /// The allowance for the rest of the period (R-UPGRADE-4).
    pub allowance: Allowance,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// The answer of `POST /api/v1/previews/downgrade`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DowngradePreview {
    /// The plan before the change.
    pub from_plan: String,
    /// The plan after the change.
    pub to_plan: String,
    /// When the new plan takes effect.
    pub effective_at: DateTime<FixedOffset>,
    /// What is charged now: zero under both downgrade policies.
    pub due_now: Money,
    /// Price lines; empty under the end-of-period policy.
    pub lines: Vec<Line>,
    /// The credit balance left for later charges (immediate-credit policy), as a positive
    /// amount; zero otherwise.
    pub credit_balance_minor: i64,
    /// The allowance given up by the change, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowance_lost: Option<Allowance>,
    /// The next renewal, which is on the new plan.
    pub next_renewal: DateTime<FixedOffset>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// The answer of `POST /api/v1/previews/cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelPreview {
    /// The plan before the cancellation.
    pub from_plan: String,
    /// The free plan the account moves to.
    pub to_plan: String,
    /// When the cancellation takes effect: at once (R-CANCEL-1).
    pub effective_at: DateTime<FixedOffset>,
    /// Nothing is charged.
    pub due_now: Money,
    /// The paid allowance left unused and lost (R-CANCEL-1).
    pub allowance_lost: Option<Allowance>,
    /// The free period that follows, up to the next first of the month (R-CANCEL-2).
    pub free_period: Period,
    /// The free plan's allowance for that period (R-CANCEL-2).
    pub free_allowance: Allowance,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
