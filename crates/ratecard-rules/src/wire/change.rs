//! The wire types of intervals, currencies and trials: any plan or interval change, the
//! start of a trial and what a pricing table shows (R-INTERVAL, R-CURRENCY, R-DISPLAY,
//! R-TRIAL).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::*;
use crate::money::{Currency, Money};
use crate::reason::Reason;

/// `POST /api/v1/previews/change`: any change of plan or interval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription before the change.
    pub subscription: Subscription,
    /// The plan to move to; the free plan is a cancellation.
    #[cfg_attr(feature = "openapi", schema(example = "studio"))]
    pub to_plan: String,
    /// The interval to move to; the subscription's own when absent.
    #[serde(default)]
    pub to_interval: Option<Interval>,
    /// When the change is made.
    #[cfg_attr(feature = "openapi", schema(example = "2026-02-10T09:00:00Z"))]
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points (R-MONEY-3); no tax line when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2000))]
    pub tax_rate_bp: Option<u32>,
}

/// What a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A monthly plan to a yearly one, at once with a new anchor (R-INTERVAL-4).
    IntervalChange,
    /// At once (R-UPGRADE, R-INTERVAL-5, and R-INTERVAL-6's free-to-yearly).
    Upgrade,
    /// At the end of the period (R-DOWNGRADE-1, R-INTERVAL-6).
    Downgrade,
    /// To the free plan, at once (R-CANCEL-1, R-CANCEL-2).
    Cancel,
}

/// The answer of `POST /api/v1/previews/change`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePreview {
    /// What the change is.
    pub kind: ChangeKind,
    /// The plan before the change.
    pub from_plan: String,
    /// The plan after the change.
    pub to_plan: String,
    /// The interval before the change.
    pub from_interval: Interval,
    /// The interval after the change.
    pub to_interval: Interval,
    /// When the change takes effect.
    pub effective_at: DateTime<FixedOffset>,
    /// The sum of the lines, in the subscription's currency (R-CURRENCY-1).
    pub due_now: Money,
    /// Credit, charge and tax lines; empty when nothing is charged now.
    pub lines: Vec<Line>,
    /// The next billing renewal after the change.
    pub next_renewal: DateTime<FixedOffset>,
    /// The anchor of renewals after the change.
    pub anchor: DateTime<FixedOffset>,
    /// The monthly allowance after the change takes effect.
    pub allowance: Allowance,
    /// The end of the trial, kept through the change (R-TRIAL-2), while one runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_ends_at: Option<DateTime<FixedOffset>>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// `POST /api/v1/trials/start`: a new subscription that may start with a trial.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrialStartRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The plan chosen.
    #[cfg_attr(feature = "openapi", schema(example = "pro"))]
    pub plan: String,
    /// The interval chosen; `month` when absent.
    #[serde(default)]
    pub interval: Interval,
    /// The currency; the catalogue's default when absent.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// When the subscription starts.
    #[cfg_attr(feature = "openapi", schema(example = "2026-02-10T09:00:00Z"))]
    pub at: DateTime<FixedOffset>,
    /// The customer's IANA time zone.
    #[serde(default = "default_time_zone")]
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Berlin"))]
    pub time_zone: String,
    /// Whether the account ever had a paid subscription or a trial (R-TRIAL-1).
    pub had_paid_or_trial: bool,
    /// The tax rate in basis points (R-MONEY-3) of the first charge.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2000))]
    pub tax_rate_bp: Option<u32>,
}

/// The first charge of a new subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstCharge {
    /// When it is charged: the trial's end, or the start without a trial.
    pub at: DateTime<FixedOffset>,
    /// What is charged, tax included: the sum of `lines`.
    pub amount_minor: i64,
    /// The subscription's currency.
    pub currency: Currency,
    /// The charge and its tax.
    pub lines: Vec<Line>,
}

/// The answer of `POST /api/v1/trials/start`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialStart {
    /// Whether the subscription starts with a free trial.
    pub trial: bool,
    /// The end of the trial; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_ends_at: Option<DateTime<FixedOffset>>,
    /// The first charge.
    pub first_charge: FirstCharge,
    /// The subscription as it starts, ready for the other endpoints (R-TRIAL-3).
    pub subscription: Subscription,
    /// The allowance of the first allowance period (the trial, or the first month).
    pub allowance: Allowance,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// `POST /api/v1/pricing`: what a pricing table shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PricingRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The currency the host page asks for (R-CURRENCY-2).
    #[serde(default)]
    pub currency: Option<Currency>,
    /// The visitor's region, ISO 3166-1 alpha-2 (R-CURRENCY-2).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "DE"))]
    pub region: Option<String>,
    /// Show prices including tax at this rate, in basis points (R-DISPLAY-1).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2000))]
    pub tax_inclusive_rate_bp: Option<u32>,
}

/// One price of a plan as a pricing table shows it (R-INTERVAL-3, R-DISPLAY-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShownPrice {
    /// Per month or per year.
    pub interval: Interval,
    /// The price, tax-exclusive.
    pub amount_minor: i64,
    /// The price shown: with tax when a rate is given (R-DISPLAY-1), else the price.
    pub shown_minor: i64,
    /// The monthly equivalent of a yearly price, `round(shown / 12)` (R-INTERVAL-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_month_minor: Option<i64>,
    /// The whole-percent saving of a yearly price against twelve monthly payments,
    /// rounded down; absent when there is none (R-INTERVAL-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saving_percent: Option<u32>,
}

/// One plan of a pricing table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanPricing {
    /// The plan id.
    pub id: String,
    /// Whether the catalogue recommends it.
    pub recommended: bool,
    /// The length of its free trial, if it has one (R-TRIAL-1); `null` otherwise.
    #[serde(default)]
    pub trial_days: Option<u32>,
    /// Its prices, monthly first.
    pub prices: Vec<ShownPrice>,
}

/// The answer of `POST /api/v1/pricing`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PricingTable {
    /// The currency shown (R-CURRENCY-2).
    pub currency: Currency,
    /// The tax rate the shown prices include, if any (R-DISPLAY-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_inclusive_rate_bp: Option<u32>,
    /// Every plan, the free plan included, in catalogue order.
    pub plans: Vec<PlanPricing>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
