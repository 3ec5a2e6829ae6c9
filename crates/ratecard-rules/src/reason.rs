//! Why a result is what it is: [`Reason`], a rule id with the numbers it used, and the
//! [`Problem`] and [`Action`] of a refused history event.
//!
//! This module holds data only; `explain.rs` renders it to English.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::catalogue::Interval;
use crate::money::{Currency, Money};
use crate::rule_id::RuleId;

/// One reason behind a result: the rule applied and the values it applied to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
#[allow(missing_docs)] // Each variant documents its rule; the fields are the rule's values.
pub enum Reason {
    /// R-MONEY-1: amounts are whole minor units.
    MinorUnits { currency: String, exponent: u32 },
    /// R-MONEY-2: lines are rounded once and summed.
    LinesSum { total: Money, lines: u32 },
    /// R-MONEY-3: tax on a subtotal.
    Tax {
        rate_bp: u32,
        subtotal: Money,
        tax: Money,
    },
    /// R-MONEY-3: no tax on a negative subtotal.
    NoTaxOnCredit { subtotal: Money },
    /// R-TIME-1: the zone used for wall-clock rules.
    TimeZone { zone: String },
    /// R-CYCLE-1: a paid plan renews on its anchor.
    Anchor {
        plan: String,
        anchor: DateTime<FixedOffset>,
    },
    /// R-CYCLE-2: a renewal clamped to the month's last day.
    MonthEnd {
        renewal: DateTime<FixedOffset>,
        anchor_day: u32,
    },
    /// R-CYCLE-3: a renewal in a DST gap.
    DstGap {
        local: NaiveDateTime,
        at: DateTime<FixedOffset>,
        gap_seconds: i64,
    },
    /// R-CYCLE-3: a renewal in a DST fold.
    DstFold {
        local: NaiveDateTime,
        at: DateTime<FixedOffset>,
    },
    /// R-CYCLE-4: the free plan renews on the first of the month.
    FreeRenewal { next: DateTime<FixedOffset> },
    /// R-CYCLE-5: the current period.
    CurrentPeriod {
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    },
    /// R-PRICE-LOCK-1: the price list kept during the initial term.
    PriceLock {
        version: String,
        plan: String,
        price: Money,
    },
    /// R-PRICE-CHANGE-1: a newer price list reaching the subscription at a renewal.
    PriceChange {
        version: String,
        plan: String,
        price: Money,
        from: DateTime<FixedOffset>,
    },
    /// R-UPGRADE-1: an upgrade takes effect at once.
    UpgradeNow {
        from: String,
        to: String,
        next_renewal: DateTime<FixedOffset>,
    },
    /// R-UPGRADE-2: the credit for unused time.
    UnusedCredit {
        plan: String,
        seconds_left: i64,
        seconds_in_period: i64,
        amount: Money,
    },
    /// R-UPGRADE-2: the charge for remaining time.
    RemainingCharge {
        plan: String,
        seconds_left: i64,
        seconds_in_period: i64,
        amount: Money,
    },
    /// R-UPGRADE-3: from the free plan, a new paid subscription.
    FromFree {
        to: String,
        price: Money,
        anchor: DateTime<FixedOffset>,
    },
    /// R-UPGRADE-4: the allowance after an upgrade.
    UpgradeAllowance {
        plan: String,
        credits: u64,
        used: Option<u64>,
        prorated: bool,
    },
    /// R-DOWNGRADE-1: a downgrade at the end of the period.
    DowngradeAtEnd {
        from: String,
        to: String,
        effective_at: DateTime<FixedOffset>,
    },
    /// R-DOWNGRADE-1: an immediate downgrade with a credit balance.
    DowngradeNow {
        from: String,
        to: String,
        credit: Money,
    },
    /// R-CANCEL-1: a cancellation takes effect at once.
    CancelNow {
        from: String,
        lost_credits: u64,
        lost_upload_seconds: u64,
    },
    /// R-CANCEL-2: the free allowance after cancelling.
    FreeAfterCancel {
        credits: u64,
        upload_seconds: u64,
        until: DateTime<FixedOffset>,
    },
    /// R-CREDIT-COST-1: what a model costs.
    ModelCost { model: String, credits: u32 },
    /// R-QUOTA-1: credits used and left.
    Credits {
        allowance: u64,
        used: u64,
        remaining: u64,
    },
    /// R-QUOTA-1: a refused generation.
    GenerationRefused {
        at: DateTime<FixedOffset>,
        model: String,
        cost: u64,
        remaining: u64,
    },
    /// R-UPLOAD-1: upload time used and left.
    Uploads {
        plan: String,
        allowance: u64,
        used: u64,
        remaining: u64,
    },
    /// R-UPLOAD-2: an upload cropped to the plan's limit.
    UploadCropped {
        at: DateTime<FixedOffset>,
        seconds: u64,
        crop: u64,
    },
    /// R-UPLOAD-3: a flagged upload, deleted but counted.
    UploadDeleted {
        at: DateTime<FixedOffset>,
        counted: u64,
        remaining: u64,
    },
    /// R-UPLOAD-4: an upload longer than the time left, refused.
    UploadRefused {
        at: DateTime<FixedOffset>,
        seconds: u64,
        remaining: u64,
    },
    /// R-UPLOAD-4: an upload cropped to the time left (crop policy).
    UploadCroppedToRemaining {
        at: DateTime<FixedOffset>,
        seconds: u64,
        remaining: u64,
    },
    /// R-REFUND-1: an accidental purchase by a friend or family member.
    RefundAccidental,
    /// R-REFUND-2: a charge the cardholder does not know.
    RefundUnauthorized,
    /// R-REFUND-3: the 48-hour, 2 % test.
    RefundWindow(RefundWindow),
    /// R-REFUND-4: every refund is discretionary.
    RefundDiscretionary { eligible: bool },
    /// R-REFUND-5: the expected timeline.
    RefundTimeline {
        reply_from: NaiveDate,
        reply_by: NaiveDate,
        bank_from: u32,
        bank_to: u32,
    },
    /// R-REFUND-6: prepaid credits and pay-as-you-go fees are not refundable.
    RefundNonRefundable { catalogue: String },
    /// R-REFUND-7: termination for breach.
    RefundBreach,
    /// R-LICENCE-1: the licence of a plan.
    LicenceOfPlan {
        plan: String,
        licence: String,
        by_agreement: bool,
    },
    /// R-LICENCE-2: a use checked against the licence.
    LicenceUse {
        licence: String,
        use_: String,
        allowed: bool,
        commercial: bool,
        mau: Option<u64>,
        limit: Option<u64>,
    },
    /// R-LICENCE-3: the licence follows the plan a track was made on.
    LicenceFollowsTrack {
        plan: String,
        current: Option<String>,
    },
    /// R-PREPAID-1: when a grant expires.
    GrantExpiry {
        id: String,
        credits: u64,
        expires_at: DateTime<FixedOffset>,
        default_months: Option<u32>,
    },
    /// R-PREPAID-1: credits that expired unspent.
    GrantExpired {
        id: String,
        credits: u64,
        at: DateTime<FixedOffset>,
    },
    /// R-PREPAID-1: credits are not money.
    CreditsNotMoney,
    /// R-PREPAID-2: a spend taken from the grants expiring first.
    Spend {
        at: DateTime<FixedOffset>,
        credits: u64,
        from: Vec<(String, u64)>,
    },
    /// R-PREPAID-2: the balance and what expires next.
    PrepaidBalance {
        balance: u64,
        next: Option<(u64, DateTime<FixedOffset>)>,
    },
    /// R-TOPUP-1: one automatic top-up.
    TopUp {
        at: DateTime<FixedOffset>,
        balance: Money,
        threshold: Money,
        amount: Money,
        tax: Money,
    },
    /// R-TOPUP-1: the simulation's totals.
    TopUpSummary {
        count: u64,
        charged: Money,
        balance: Money,
    },
    /// R-TERMS-1: the minimum age.
    MinimumAge { adult_on: Option<NaiveDate> },
    /// R-TERMS-2: the arbitration opt-out deadline.
    ArbitrationOptOut {
        by: DateTime<FixedOffset>,
        after_update: bool,
    },
    /// R-TERMS-3: the liability cap. `paid` is net of `refunded`, the refunds paid out in
    /// the window (absent when there were none).
    LiabilityCap {
        paid: Money,
        floor: Money,
        cap: Money,
        window_start: DateTime<FixedOffset>,
        window_end: DateTime<FixedOffset>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refunded: Option<Money>,
    },
    /// R-TERMS-4: inactivity.
    Inactivity { after: DateTime<FixedOffset> },
    /// R-TERMS-5: data deletion after cancellation.
    DataDeletion { by: DateTime<FixedOffset> },
    /// R-TERMS-6: informal resolution before arbitration.
    InformalResolution { may_start: DateTime<FixedOffset> },
    /// R-DOWNGRADE-1: a credit balance applied to a charge.
    CreditApplied { amount: Money },
    /// R-MONEY-1: a charge recorded in an account history.
    RecordedCharge {
        amount: Money,
        description: Option<String>,
    },
    /// R-REFUND-4: a refund paid out, at the provider's discretion, recorded in an account
    /// history; it reduces the amount paid.
    RecordedRefund {
        amount: Money,
        description: Option<String>,
    },
    /// R-INTERVAL-1: a yearly plan renews every 12 months on its anchor.
    YearlyRenewal {
        plan: String,
        anchor: DateTime<FixedOffset>,
    },
    /// R-INTERVAL-2: on a yearly plan the allowance is granted per month.
    MonthlyAllowance {
        plan: String,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    },
    /// R-INTERVAL-3: a yearly price as a pricing table shows it.
    YearlyPrice {
        plan: String,
        yearly: Money,
        per_month: Money,
        saving_percent: Option<u32>,
    },
    /// R-INTERVAL-4: a monthly plan to a yearly one, at once, restarting the calendar.
    ToYearly {
        from: String,
        to: String,
        price: Money,
        anchor: DateTime<FixedOffset>,
    },
    /// R-INTERVAL-5: a yearly plan to a dearer yearly one, prorated over the year.
    YearlyUpgrade {
        from: String,
        to: String,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    },
    /// R-INTERVAL-6: a change from a yearly plan that waits for the end of the year.
    YearlyChangeAtEnd {
        from: String,
        to: String,
        to_interval: Interval,
        effective_at: DateTime<FixedOffset>,
    },
    /// R-INTERVAL-6: the free plan to a yearly plan, or a yearly plan to the free plan.
    YearlyFromOrToFree { plan: String, to_yearly: bool },
    /// R-INTERVAL-7: the initial term counted in periods of the subscription's interval.
    InitialTerm { periods: u32, interval: Interval },
    /// R-INTERVAL-7: cancelling a yearly plan loses the rest of the allowance period.
    YearlyCancel {
        allowance_end: DateTime<FixedOffset>,
    },
    /// R-CURRENCY-1: the subscription is priced in the currency it started in.
    BilledIn { currency: Currency },
    /// R-CURRENCY-2: the currency a pricing table shows, and why.
    ShownCurrency {
        currency: Currency,
        asked: bool,
        region: Option<String>,
    },
    /// R-DISPLAY-1: prices shown including tax.
    TaxIncluded { rate_bp: u32 },
    /// R-TRIAL-1: a trial starts; the first charge comes at its end.
    TrialStarts {
        plan: String,
        days: u32,
        ends_at: DateTime<FixedOffset>,
        first_charge: Money,
    },
    /// R-TRIAL-1: the account had a paid subscription or a trial before, so it gets none.
    TrialNotEligible { plan: String },
    /// R-TRIAL-2: no trial, because the account is not eligible or the plan offers none.
    NoTrial { plan: String, plan_offers_one: bool },
    /// R-TRIAL-2: a change during a trial charges nothing now and keeps its end.
    TrialChange {
        to: String,
        ends_at: DateTime<FixedOffset>,
        then_charged: Money,
    },
    /// R-TRIAL-2: cancelling during a trial charges nothing.
    TrialCancel,
    /// R-TRIAL-3: the trial is the first allowance period and its end the anchor.
    TrialPeriod {
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    },
    /// A history event that could not apply, named by the rule of the action tried.
    Refused {
        action: Action,
        from: Option<String>,
        to: Option<String>,
        problem: Problem,
    },
}

/// The numbers of R-REFUND-3's test: how long after the charge the request came, and how
/// much of the monthly allowance was used since the charge, each against its limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundWindow {
    /// The whole seconds from the charge to the request.
    pub seconds: i64,
    /// Whether the request came a fraction of a second after `seconds` whole seconds.
    pub partial_second: bool,
    /// The hours the policy allows after the charge.
    pub window_hours: u32,
    /// The credits used since the charge.
    pub credits_used: u64,
    /// The plan's monthly allowance of credits.
    pub allowance: u64,
    /// The credits used as a share of the allowance, in basis points.
    pub usage_bp: u64,
    /// The policy's limit on that share, in basis points.
    pub threshold_bp: u32,
    /// Whether the request came within `window_hours`.
    pub within: bool,
    /// Whether the usage was strictly below the limit.
    pub below: bool,
}

/// Why an action in an account history could not apply, for [`Reason::Refused`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// There is no subscription to change.
    NoSubscription,
    /// The account already has a paid subscription.
    AlreadyPaid,
    /// The target plan is not dearer than the current one.
    NotDearer,
    /// The target plan is not cheaper than the current one.
    NotCheaper,
    /// The account is already on the free plan.
    AlreadyFree,
    /// There is no charge to refund.
    NoCharge,
}

/// An action in an account history, for [`Reason::Refused`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Subscribing (R-CYCLE-1).
    Subscribe,
    /// Upgrading (R-UPGRADE-1).
    Upgrade,
    /// Downgrading (R-DOWNGRADE-1).
    Downgrade,
    /// Cancelling (R-CANCEL-1).
    Cancel,
    /// Uploading (R-UPLOAD-1).
    Upload,
    /// Asking for a refund (R-REFUND-4).
    Refund,
}

impl Reason {
    /// The rule id this reason applies.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Reason, RuleId};
    /// assert_eq!(Reason::RefundBreach.rule(), RuleId::Refund7);
    /// ```
    #[must_use]
    pub fn rule(&self) -> RuleId {
        match self {
            Reason::MinorUnits { .. } => RuleId::Money1,
            Reason::LinesSum { .. } => RuleId::Money2,
            Reason::Tax { .. } | Reason::NoTaxOnCredit { .. } => RuleId::Money3,
            Reason::TimeZone { .. } => RuleId::Time1,
            Reason::Anchor { .. } => RuleId::Cycle1,
            Reason::MonthEnd { .. } => RuleId::Cycle2,
            Reason::DstGap { .. } | Reason::DstFold { .. } => RuleId::Cycle3,
            Reason::FreeRenewal { .. } => RuleId::Cycle4,
            Reason::CurrentPeriod { .. } => RuleId::Cycle5,
            Reason::PriceLock { .. } => RuleId::PriceLock1,
            Reason::PriceChange { .. } => RuleId::PriceChange1,
            Reason::UpgradeNow { .. } => RuleId::Upgrade1,
            Reason::UnusedCredit { .. } | Reason::RemainingCharge { .. } => RuleId::Upgrade2,
            Reason::FromFree { .. } => RuleId::Upgrade3,
            Reason::UpgradeAllowance { .. } => RuleId::Upgrade4,
            Reason::DowngradeAtEnd { .. } | Reason::DowngradeNow { .. } => RuleId::Downgrade1,
            Reason::CancelNow { .. } => RuleId::Cancel1,
            Reason::FreeAfterCancel { .. } => RuleId::Cancel2,
            Reason::ModelCost { .. } => RuleId::CreditCost1,
            Reason::Credits { .. } | Reason::GenerationRefused { .. } => RuleId::Quota1,
            Reason::Uploads { .. } => RuleId::Upload1,
            Reason::UploadCropped { .. } => RuleId::Upload2,
            Reason::UploadDeleted { .. } => RuleId::Upload3,
            Reason::UploadRefused { .. } | Reason::UploadCroppedToRemaining { .. } => {
                RuleId::Upload4
            }
            Reason::RefundAccidental => RuleId::Refund1,
            Reason::RefundUnauthorized => RuleId::Refund2,
            Reason::RefundWindow(_) => RuleId::Refund3,
            Reason::RefundDiscretionary { .. } => RuleId::Refund4,
            Reason::RefundTimeline { .. } => RuleId::Refund5,
            Reason::RefundNonRefundable { .. } => RuleId::Refund6,
            Reason::RefundBreach => RuleId::Refund7,
            Reason::LicenceOfPlan { .. } => RuleId::Licence1,
            Reason::LicenceUse { .. } => RuleId::Licence2,
            Reason::LicenceFollowsTrack { .. } => RuleId::Licence3,
            Reason::GrantExpiry { .. } | Reason::GrantExpired { .. } | Reason::CreditsNotMoney => {
                RuleId::Prepaid1
            }
            Reason::Spend { .. } | Reason::PrepaidBalance { .. } => RuleId::Prepaid2,
            Reason::TopUp { .. } | Reason::TopUpSummary { .. } => RuleId::Topup1,
            Reason::MinimumAge { .. } => RuleId::Terms1,
            Reason::ArbitrationOptOut { .. } => RuleId::Terms2,
            Reason::LiabilityCap { .. } => RuleId::Terms3,
            Reason::Inactivity { .. } => RuleId::Terms4,
            Reason::DataDeletion { .. } => RuleId::Terms5,
            Reason::InformalResolution { .. } => RuleId::Terms6,
            Reason::CreditApplied { .. } => RuleId::Downgrade1,
            Reason::RecordedCharge { .. } => RuleId::Money1,
            Reason::RecordedRefund { .. } => RuleId::Refund4,
            Reason::YearlyRenewal { .. } => RuleId::Interval1,
            Reason::MonthlyAllowance { .. } => RuleId::Interval2,
            Reason::YearlyPrice { .. } => RuleId::Interval3,
            Reason::ToYearly { .. } => RuleId::Interval4,
            Reason::YearlyUpgrade { .. } => RuleId::Interval5,
            Reason::YearlyChangeAtEnd { .. } | Reason::YearlyFromOrToFree { .. } => {
                RuleId::Interval6
            }
            Reason::InitialTerm { .. } | Reason::YearlyCancel { .. } => RuleId::Interval7,
            Reason::BilledIn { .. } => RuleId::Currency1,
            Reason::ShownCurrency { .. } => RuleId::Currency2,
            Reason::TaxIncluded { .. } => RuleId::Display1,
            Reason::TrialStarts { .. } | Reason::TrialNotEligible { .. } => RuleId::Trial1,
            Reason::NoTrial { .. } | Reason::TrialChange { .. } | Reason::TrialCancel => {
                RuleId::Trial2
            }
            Reason::TrialPeriod { .. } => RuleId::Trial3,
            Reason::Refused { action, .. } => match action {
                Action::Subscribe => RuleId::Cycle1,
                Action::Upgrade => RuleId::Upgrade1,
                Action::Downgrade => RuleId::Downgrade1,
                Action::Cancel => RuleId::Cancel1,
                Action::Upload => RuleId::Upload1,
                Action::Refund => RuleId::Refund4,
            },
        }
    }
}
