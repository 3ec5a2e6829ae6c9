//! The checkout preview: what changing from the current plan to a target plan costs now.
//!
//! Which preview applies follows from the two prices: a dearer target is an upgrade
//! (R-UPGRADE), a cheaper paid target a downgrade (R-DOWNGRADE-1), and a free target a
//! cancellation (R-CANCEL-1).

use chrono::{DateTime, FixedOffset};
use ratecard_rules::api::{
    self, Allowance, CancelPreview, CancelRequest, DowngradePreview, ExplanationLine, Line,
    PlanChangeRequest, Subscription, UpgradePreview,
};
use ratecard_rules::{Catalogue, Money, Reason, RuleError};

/// What the customer has and what they want.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutInput {
    /// The current plan id.
    pub current_plan: String,
    /// When the current subscription started (its anchor).
    pub started_at: DateTime<FixedOffset>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// The plan id the customer is looking at.
    pub target_plan: String,
    /// The instant the preview is computed for.
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points (R-MONEY-3).
    pub tax_rate_bp: u32,
}

/// The preview that applies to a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A dearer plan, at once and prorated (R-UPGRADE-1 to R-UPGRADE-4).
    Upgrade {
        /// The rules crate's preview.
        preview: Box<UpgradePreview>,
        /// The instant of the change, which is when it takes effect (R-UPGRADE-1).
        at: DateTime<FixedOffset>,
    },
    /// A cheaper paid plan, from the end of the period (R-DOWNGRADE-1).
    Downgrade {
        /// The rules crate's preview.
        preview: Box<DowngradePreview>,
        /// The target plan's allowance, which applies from `effective_at`.
        allowance_after: Allowance,
    },
    /// The free plan: a cancellation (R-CANCEL-1, R-CANCEL-2).
    Cancel(Box<CancelPreview>),
    /// The target is the current plan.
    NoChange,
}

/// The common facts every preview shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary<'a> {
    /// What kind of change it is, for the `ratecard:preview` event.
    pub kind: &'static str,
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
    /// The explanation, with rule ids.
    pub explanation: &'a [ExplanationLine],
    /// The typed reasons behind `explanation`, one per line and in the same order.
    pub reasons: &'a [Reason],
}

impl Change {
    /// The facts every kind of change shows, or `None` for no change.
    #[must_use]
    pub fn summary(&self) -> Option<Summary<'_>> {
        match self {
            Change::Upgrade { preview: p, at } => Some(Summary {
                kind: "upgrade",
                due_now: p.due_now,
                lines: &p.lines,
                effective_at: *at,
                next_renewal: p.next_renewal,
                allowance: p.allowance,
                explanation: &p.explanation,
                reasons: &p.reasons,
            }),
            Change::Downgrade {
                preview: p,
                allowance_after,
            } => Some(Summary {
                kind: "downgrade",
                due_now: p.due_now,
                lines: &p.lines,
                effective_at: p.effective_at,
                next_renewal: p.next_renewal,
                allowance: *allowance_after,
                explanation: &p.explanation,
                reasons: &p.reasons,
            }),
            Change::Cancel(p) => Some(Summary {
                kind: "cancel",
                due_now: p.due_now,
                lines: &[],
                effective_at: p.effective_at,
                next_renewal: p.free_period.end,
                allowance: p.free_allowance,
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
/// The rules crate's error for an unknown plan or zone, an instant before the start, or an
/// overflow.
///
/// # Example
///
/// ```
/// use ratecard::model::checkout::{CheckoutInput, Change, preview};
/// use ratecard_rules::Catalogue;
/// let input = CheckoutInput {
///     current_plan: "pro".into(),
///     started_at: "2027-02-01T00:00:00Z".parse().unwrap(),
///     time_zone: "UTC".into(),
///     target_plan: "studio".into(),
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
    let subscription = Subscription {
        plan: input.current_plan.clone(),
        started_at: input.started_at,
        time_zone: input.time_zone.clone(),
    };
    if current.id == target.id {
        return Ok(Change::NoChange);
    }
    if target.price_minor == 0 && current.price_minor > 0 {
        let request = CancelRequest {
            catalogue: None,
            subscription,
            to_plan: Some(target.id.clone()),
            at: input.at,
            tax_rate_bp: Some(input.tax_rate_bp),
            generations: Vec::new(),
            uploads: Vec::new(),
        };
        return Ok(Change::Cancel(Box::new(api::cancel_preview(
            catalogue, &request,
        )?)));
    }
    let request = PlanChangeRequest {
        catalogue: None,
        subscription,
        to_plan: target.id.clone(),
        at: input.at,
        tax_rate_bp: Some(input.tax_rate_bp),
    };
    if target.price_minor > current.price_minor {
        Ok(Change::Upgrade {
            preview: Box::new(api::upgrade_preview(catalogue, &request)?),
            at: input.at,
        })
    } else {
        Ok(Change::Downgrade {
            preview: Box::new(api::downgrade_preview(catalogue, &request)?),
            allowance_after: Allowance {
                credits: target.credits_per_period,
                upload_seconds: u64::from(target.upload_seconds_per_period),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(current: &str, target: &str, tax_rate_bp: u32) -> CheckoutInput {
        CheckoutInput {
            current_plan: current.into(),
            started_at: "2027-02-01T00:00:00Z".parse().expect("valid instant"),
            time_zone: "UTC".into(),
            target_plan: target.into(),
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
    fn the_same_plan_is_no_change() {
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
}
