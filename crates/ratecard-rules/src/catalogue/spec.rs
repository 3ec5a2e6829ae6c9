//! The serialisable shape of a catalogue, before validation, and the policy settings with
//! the rule book's defaults.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::Currency;

/// The serialisable shape of a catalogue, before validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogueSpec {
    /// A stable id such as `stable-audio`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, example = "my-catalogue"))]
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// The version label of this price list (R-PRICE-LOCK-1).
    pub version: String,
    /// When this version takes effect (R-PRICE-LOCK-1, R-PRICE-CHANGE-1).
    pub effective_from: DateTime<Utc>,
    /// The default currency: `plans[].price_minor` is in it, and it is `currencies[0]`
    /// when `currencies` is given (R-CURRENCY-1).
    pub currency: Currency,
    /// Every currency the catalogue prices in, the default first (R-CURRENCY-1); absent
    /// means `[currency]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<Currency>,
    /// The currency shown to visitors of each region, keyed by ISO 3166-1 alpha-2 code
    /// (R-CURRENCY-2); a region not listed sees the default currency.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub currency_by_region: BTreeMap<String, Currency>,
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
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 2))]
    pub reply_business_days: [u32; 2],
    /// Business days from approval to the bank: from, to; 5 and 10.
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 2))]
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
    /// The plan's prices per interval and currency (R-INTERVAL-1, R-CURRENCY-1). Absent,
    /// the plan is sold per month at `price_minor` in the default currency (a free plan
    /// costs 0 in every currency); present, `price_minor` equals its monthly price in the
    /// default currency, and every currency of the catalogue has a price for every
    /// interval the plan is sold at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<PriceSpec>,
    /// The length of the plan's free trial in days (R-TRIAL-1); no trial when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_days: Option<u32>,
    /// Whether pricing tables mark this plan as recommended; at most one plan is.
    #[serde(default, skip_serializing_if = "is_false")]
    pub recommended: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How often a plan is billed (R-INTERVAL-1).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Interval {
    /// Every month on the anchor (R-CYCLE-1).
    #[default]
    Month,
    /// Every 12 months on the anchor (R-INTERVAL-1).
    Year,
}

impl Interval {
    /// Both intervals, monthly first.
    pub const ALL: [Interval; 2] = [Interval::Month, Interval::Year];

    /// The months between two renewals: 1 or 12.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Interval;
    /// assert_eq!(Interval::Year.months(), 12);
    /// ```
    #[must_use]
    pub fn months(self) -> u32 {
        match self {
            Interval::Month => 1,
            Interval::Year => 12,
        }
    }

    /// The wire name: `month` or `year`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Interval;
    /// assert_eq!(Interval::Month.as_str(), "month");
    /// ```
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }

    /// Whether this is the default, [`Interval::Month`] (for `skip_serializing_if`).
    #[must_use]
    pub fn is_month(&self) -> bool {
        *self == Interval::Month
    }
}

/// One price of a plan: per interval, in one currency (R-INTERVAL-1, R-CURRENCY-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceSpec {
    /// How often it is charged.
    pub interval: Interval,
    /// The currency of the amount.
    pub currency: Currency,
    /// The amount per interval in minor units, tax-exclusive (R-MONEY-3).
    pub amount_minor: i64,
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
