//! The checkout preview: what changing from the current plan and interval to a target
//! plan and interval costs now, or, for a customer without a plan, what starting one
//! costs and whether it starts with a free trial.
//!
//! A change is [`api::change_preview`], the answer of `POST /api/v1/previews/change`: a
//! dearer plan is an upgrade (R-UPGRADE, R-INTERVAL-5), a cheaper one a downgrade
//! (R-DOWNGRADE-1, R-INTERVAL-6), the free plan a cancellation (R-CANCEL-1), monthly to
//! yearly an interval change (R-INTERVAL-4), and any change during a trial charges
//! nothing now (R-TRIAL-2). A new subscription is [`api::trial_start`]
//! (`POST /api/v1/trials/start`, R-TRIAL-1).

use chrono::{DateTime, FixedOffset};
use ratecard_rules::api::{
    self, Allowance, ChangeKind, ChangePreview, ChangeRequest, ExplanationLine, Line, Subscription,
    TrialStart, TrialStartRequest,
};
use ratecard_rules::{Catalogue, Currency, Interval, Money, Reason, RuleError};

/// What the customer has and what they want.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutInput {
    /// The current plan id.
    pub current_plan: String,
    /// How the current plan is billed.
    pub current_interval: Interval,
    /// When the current subscription started (its anchor, or its trial's start).
    pub started_at: DateTime<FixedOffset>,
    /// The end of its free trial, while one runs (R-TRIAL-3).
    pub trial_ends_at: Option<DateTime<FixedOffset>>,
    /// The subscription's currency; the catalogue's default when absent (R-CURRENCY-1).
    pub currency: Option<Currency>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// The plan id the customer is looking at.
    pub target_plan: String,
    /// The interval the customer is looking at; the current one when absent.
    pub target_interval: Option<Interval>,
    /// The instant the preview is computed for.
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points (R-MONEY-3).
    pub tax_rate_bp: u32,
}

impl CheckoutInput {
    /// The request of `POST /api/v1/previews/change` for this input.
    #[must_use]
    pub fn request(&self) -> ChangeRequest {
        ChangeRequest {
            catalogue: None,
            subscription: Subscription {
                plan: self.current_plan.clone(),
                started_at: self.started_at,
                time_zone: self.time_zone.clone(),
                interval: self.current_interval,
                currency: self.currency,
                trial_ends_at: self.trial_ends_at,
            },
            to_plan: self.target_plan.clone(),
            to_interval: self.target_interval,
            at: self.at,
            tax_rate_bp: Some(self.tax_rate_bp),
        }
    }

    /// The interval the change goes to.
    #[must_use]
    pub fn to_interval(&self) -> Interval {
        self.target_interval.unwrap_or(self.current_interval)
    }
}

/// The preview that applies to a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A change of plan or interval, with the rules crate's preview.
    Preview(Box<ChangePreview>),
    /// The target is the current plan at the current interval.
    NoChange,
}

/// The common facts every preview shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary<'a> {
    /// What kind of change it is, for the `ratecard:preview` event: `upgrade`,
    /// `downgrade`, `cancel` or `interval-change`.
    pub kind: &'static str,
    /// The interval after the change.
    pub interval: Interval,
    /// What is due now.
    pub due_now: Money,
    /// The lines that add up to `due_now`.
    pub lines: &'a [Line],
    /// When the change takes effect.
    pub effective_at: DateTime<FixedOffset>,
    /// The next renewal after the change.
    pub next_renewal: DateTime<FixedOffset>,
    /// The allowance the customer has after the change.
    pub allowance: Allowance,
    /// The end of the trial, kept through the change (R-TRIAL-2), while one runs.
    pub trial_ends_at: Option<DateTime<FixedOffset>>,
    /// The explanation, with rule ids.
    pub explanation: &'a [ExplanationLine],
    /// The typed reasons behind `explanation`, one per line and in the same order.
    pub reasons: &'a [Reason],
}

/// The `kind` of a change as the API writes it.
#[must_use]
pub fn kind_name(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::IntervalChange => "interval-change",
        ChangeKind::Upgrade => "upgrade",
        ChangeKind::Downgrade => "downgrade",
        ChangeKind::Cancel => "cancel",
    }
}

impl Change {
    /// The facts every kind of change shows, or `None` for no change.
    #[must_use]
    pub fn summary(&self) -> Option<Summary<'_>> {
        match self {
            Change::Preview(p) => Some(Summary {
                kind: kind_name(p.kind),
                interval: p.to_interval,
                due_now: p.due_now,
                lines: &p.lines,
                effective_at: p.effective_at,
                next_renewal: p.next_renewal,
                allowance: p.allowance,
                trial_ends_at: p.trial_ends_at,
                explanation: &p.explanation,
                reasons: &p.reasons,
            }),
            Change::NoChange => None,
        }
    }
}

/// Computes the preview for a change, entirely in the rules crate.
///
/// # Errors
///
/// The rules crate's error for an unknown plan, zone or currency, an instant before the
/// start, a plan not sold at the interval, or an overflow.
///
/// # Example
///
/// ```
/// use ratecard::model::checkout::{CheckoutInput, preview};
/// use ratecard_rules::{Catalogue, Interval};
/// let input = CheckoutInput {
///     current_plan: "pro".into(),
///     current_interval: Interval::Month,
///     started_at: "2027-02-01T00:00:00Z".parse().unwrap(),
///     trial_ends_at: None,
///     currency: None,
///     time_zone: "UTC".into(),
///     target_plan: "studio".into(),
///     target_interval: None,
///     at: "2027-02-15T00:00:00Z".parse().unwrap(),
///     tax_rate_bp: 0,
/// };
/// let change = preview(&Catalogue::builtin("stable-audio")?, &input)?;
/// assert_eq!(change.summary().map(|s| s.due_now.amount_minor), Some(900));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn preview(catalogue: &Catalogue, input: &CheckoutInput) -> Result<Change, RuleError> {
    let current = catalogue.plan(&input.current_plan)?;
    let target = catalogue.plan(&input.target_plan)?;
    catalogue.priced_currency(input.currency)?;
    if current.id == target.id && input.to_interval() == input.current_interval {
        return Ok(Change::NoChange);
    }
    Ok(Change::Preview(Box::new(api::change_preview(
        catalogue,
        &input.request(),
    )?)))
}

/// A new subscription: the plan chosen, its interval and currency, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSubscription {
    /// The plan id.
    pub plan: String,
    /// The interval chosen.
    pub interval: Interval,
    /// The currency; the catalogue's default when absent.
    pub currency: Option<Currency>,
    /// The instant it starts.
    pub at: DateTime<FixedOffset>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// The tax rate of the first charge (R-MONEY-3).
    pub tax_rate_bp: u32,
}

/// What starting a subscription costs: a free trial first when the plan offers one
/// (R-TRIAL-1), for a customer who never had a paid plan or a trial.
///
/// # Errors
///
/// The rules crate's error for an unknown plan, zone or currency, the free plan, or a plan
/// not sold at the interval.
///
/// # Example
///
/// ```
/// use ratecard::model::checkout::{NewSubscription, start};
/// use ratecard_rules::{Catalogue, Interval};
/// let new = NewSubscription {
///     plan: "pro".into(),
///     interval: Interval::Year,
///     currency: None,
///     at: "2027-03-01T09:00:00Z".parse().unwrap(),
///     time_zone: "UTC".into(),
///     tax_rate_bp: 0,
/// };
/// let started = start(&Catalogue::builtin("stable-audio")?, &new)?;
/// assert!(started.trial);
/// assert_eq!(started.first_charge.amount_minor, 11_990);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn start(catalogue: &Catalogue, new: &NewSubscription) -> Result<TrialStart, RuleError> {
    catalogue.priced_currency(new.currency)?;
    api::trial_start(
        catalogue,
        &TrialStartRequest {
            catalogue: None,
            plan: new.plan.clone(),
            interval: new.interval,
            currency: new.currency,
            at: new.at,
            time_zone: new.time_zone.clone(),
            had_paid_or_trial: false,
            tax_rate_bp: Some(new.tax_rate_bp),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(current: &str, target: &str, tax_rate_bp: u32) -> CheckoutInput {
        CheckoutInput {
            current_plan: current.into(),
            current_interval: Interval::Month,
            started_at: "2027-02-01T00:00:00Z".parse().expect("valid instant"),
            trial_ends_at: None,
            currency: None,
            time_zone: "UTC".into(),
            target_plan: target.into(),
            target_interval: None,
            at: "2027-02-15T00:00:00Z".parse().expect("valid instant"),
            tax_rate_bp,
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue::builtin("stable-audio").expect("the default catalogue is valid")
    }

    #[test]
    fn a_dearer_plan_is_a_prorated_upgrade_with_tax() {
        // 14 of 28 days left: −600 + 1500 = 900, and 20 % tax on 900 is 180.
        let change = preview(&catalogue(), &input("pro", "studio", 2000)).expect("previews");
        let summary = change.summary().expect("a change");
        assert_eq!(summary.kind, "upgrade");
        let amounts: Vec<i64> = summary.lines.iter().map(|l| l.amount_minor).collect();
        assert_eq!(amounts, [-600, 1500, 180]);
        assert_eq!(summary.due_now.amount_minor, 1080);
        assert_eq!(summary.allowance.credits, 1350);
    }

    #[test]
    fn the_upgrade_equals_the_upgrade_endpoints() {
        let i = input("pro", "max", 2000);
        let change = preview(&catalogue(), &i).expect("previews");
        let summary = change.summary().expect("a change");
        let upgrade = api::upgrade_preview(
            &catalogue(),
            &api::PlanChangeRequest {
                catalogue: None,
                subscription: Subscription::monthly("pro", i.started_at, "UTC"),
                to_plan: "max".into(),
                at: i.at,
                tax_rate_bp: Some(2000),
            },
        )
        .expect("the upgrade endpoint answers");
        assert_eq!(summary.due_now, upgrade.due_now);
        assert_eq!(summary.lines, upgrade.lines.as_slice());
        assert_eq!(summary.explanation, upgrade.explanation.as_slice());
        assert_eq!(summary.next_renewal, upgrade.next_renewal);
    }

    #[test]
    fn a_cheaper_paid_plan_is_a_downgrade_at_the_end_of_the_period() {
        let change = preview(&catalogue(), &input("max", "pro", 2000)).expect("previews");
        let summary = change.summary().expect("a change");
        assert_eq!(summary.kind, "downgrade");
        assert_eq!(summary.due_now.amount_minor, 0);
        assert_eq!(
            summary.effective_at.to_rfc3339(),
            "2027-03-01T00:00:00+00:00"
        );
    }

    #[test]
    fn the_free_plan_is_a_cancellation() {
        let change = preview(&catalogue(), &input("pro", "free", 2000)).expect("previews");
        let summary = change.summary().expect("a change");
        assert_eq!(summary.kind, "cancel");
        assert_eq!(summary.allowance.credits, 20);
    }

    #[test]
    fn monthly_to_yearly_is_an_interval_change_in_the_subscriptions_currency() {
        let mut i = input("pro", "pro", 2000);
        i.target_interval = Some(Interval::Year);
        i.currency = Some(Currency::Eur);
        let change = preview(&catalogue(), &i).expect("previews");
        let summary = change.summary().expect("a change");
        assert_eq!(summary.kind, "interval-change");
        assert_eq!(summary.interval, Interval::Year);
        assert_eq!(summary.due_now.currency, Currency::Eur);
        let api = api::change_preview(&catalogue(), &i.request()).expect("the API answers");
        assert_eq!(summary.due_now, api.due_now);
    }

    #[test]
    fn a_change_during_a_trial_charges_nothing_and_keeps_its_end() {
        let mut i = input("pro", "studio", 2000);
        i.started_at = "2027-02-12T00:00:00Z".parse().expect("instant");
        i.trial_ends_at = Some("2027-02-19T00:00:00Z".parse().expect("instant"));
        let change = preview(&catalogue(), &i).expect("previews");
        let summary = change.summary().expect("a change");
        assert_eq!(summary.due_now.amount_minor, 0);
        assert_eq!(summary.trial_ends_at, i.trial_ends_at);
    }

    #[test]
    fn the_same_plan_and_interval_is_no_change() {
        let change = preview(&catalogue(), &input("pro", "pro", 0)).expect("previews");
        assert_eq!(change, Change::NoChange);
    }

    #[test]
    fn an_unknown_target_names_the_valid_plans() {
        let err = preview(&catalogue(), &input("pro", "platinum", 0)).expect_err("unknown");
        assert!(
            err.to_string()
                .contains("valid plans: free, pro, studio, max")
        );
    }

    #[test]
    fn a_currency_the_catalogue_does_not_price_in_is_refused() {
        let mut i = input("pro", "studio", 0);
        i.currency = Some(Currency::Chf);
        let err = preview(&catalogue(), &i).expect_err("not priced");
        assert!(err.to_string().contains("USD, EUR, GBP, JPY"), "{err}");
    }

    #[test]
    fn a_new_pro_subscription_starts_with_its_trial() {
        let new = NewSubscription {
            plan: "pro".into(),
            interval: Interval::Month,
            currency: Some(Currency::Gbp),
            at: "2027-03-01T09:00:00Z".parse().expect("instant"),
            time_zone: "Europe/London".into(),
            tax_rate_bp: 2000,
        };
        let started = start(&catalogue(), &new).expect("starts");
        assert!(started.trial);
        assert_eq!(started.first_charge.currency, Currency::Gbp);
        // 9.99 and 20 % tax.
        assert_eq!(started.first_charge.amount_minor, 999 + 200);
        let studio = NewSubscription {
            plan: "studio".into(),
            ..new
        };
        let started = start(&catalogue(), &studio).expect("starts");
        assert!(!started.trial);
        assert_eq!(started.first_charge.at, studio.at);
    }
}
