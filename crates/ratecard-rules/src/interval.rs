//! Any change of plan or interval, decided once: monthly to yearly (R-INTERVAL-4), yearly
//! to a dearer yearly plan (R-INTERVAL-5), changes that wait for the end of a year
//! (R-INTERVAL-6), changes during a trial (R-TRIAL-2), and the plan changes of
//! `plan_change.rs` for everything else, all priced in the subscription's currency
//! (R-CURRENCY-1).

use chrono::{DateTime, Utc};

use crate::calendar::in_zone;
use crate::catalogue::{Catalogue, DowngradeTiming, Interval, PlanSpec};
use crate::error::RuleError;
use crate::explain::{line_description, lines};
use crate::money::{Fraction, Money, checked_sum_minor};
use crate::plan_change::{
    billed_in, cancel_to, downgrade, mid_period_upgrade, price_reasons, push_tax, push_totals,
    remaining_of, start_paid, trial_change,
};
use crate::reason::Reason;
use crate::rule_id::RuleId;
use crate::subscription::{Sub, before_start, require_subscription};
use crate::wire::{
    Allowance, ChangeKind, ChangePreview, ChangeRequest, Line, LineKind, PlanChangeRequest,
    UpgradePreview,
};

/// What the preview of a change is, before it is written out.
enum Decision {
    /// At once, with the numbers of an upgrade preview.
    Now(ChangeKind, Box<UpgradePreview>),
    /// At the end of the billing period, with nothing charged now.
    AtEnd {
        end: DateTime<Utc>,
        reasons: Vec<Reason>,
    },
}

/// `POST /api/v1/previews/change`.
pub(crate) fn change(
    catalogue: &Catalogue,
    req: &ChangeRequest,
) -> Result<ChangePreview, RuleError> {
    require_subscription(catalogue)?;
    let sub = Sub::resolve(catalogue, &req.subscription)?;
    let to = catalogue.plan(&req.to_plan)?;
    let to_interval = req.to_interval.unwrap_or(sub.interval);
    let at = req.at.to_utc();
    if at < sub.started_at {
        return Err(before_start(at, sub.started_at));
    }
    if to.price_minor == 0 {
        return to_free(catalogue, &sub, to, req);
    }
    // R-CURRENCY-1: the new plan must be sold per the interval in the subscription's
    // currency.
    let new_price = catalogue.price_or_err(to, to_interval, sub.currency)?;
    if to.id == sub.plan.id && to_interval == sub.interval {
        return Err(RuleError::Impossible {
            detail: format!(
                "the subscription is already on `{}` per {}",
                to.id,
                to_interval.as_str()
            ),
        });
    }
    let tax = req.tax_rate_bp;
    let decision = if sub.is_free() {
        // R-UPGRADE-3, and R-INTERVAL-6's free-to-yearly.
        Decision::Now(
            ChangeKind::Upgrade,
            Box::new(start_paid(catalogue, &sub, to, to_interval, at, tax)?),
        )
    } else if sub.in_trial_at(at) {
        let kind = trial_kind(catalogue, &sub, to, to_interval);
        let preview = trial_change(catalogue, &sub, to, to_interval, at)?;
        Decision::Now(kind, Box::new(preview))
    } else {
        match (sub.interval, to_interval) {
            (Interval::Month, Interval::Year) => Decision::Now(
                ChangeKind::IntervalChange,
                Box::new(to_yearly(catalogue, &sub, to, new_price, at, tax)?),
            ),
            (Interval::Month, Interval::Month) => {
                return same_interval_monthly(catalogue, &sub, to, req);
            }
            (Interval::Year, _) => yearly_change(catalogue, &sub, to, to_interval, at, tax)?,
        }
    };
    let trial_ends_at = sub
        .trial_ends_at
        .filter(|_| sub.in_trial_at(at))
        .map(|t| in_zone(t, &sub.zone))
        .transpose()?;
    let allowance = Allowance {
        credits: to.credits_per_period,
        upload_seconds: u64::from(to.upload_seconds_per_period),
    };
    match decision {
        Decision::Now(kind, p) => Ok(ChangePreview {
            kind,
            from_plan: sub.plan.id.clone(),
            to_plan: to.id.clone(),
            from_interval: sub.interval,
            to_interval,
            effective_at: req.at,
            due_now: p.due_now,
            lines: p.lines,
            next_renewal: p.next_renewal,
            anchor: p.anchor,
            allowance: Allowance {
                credits: p.allowance.credits,
                ..allowance
            },
            trial_ends_at,
            explanation: p.explanation,
            reasons: p.reasons,
        }),
        Decision::AtEnd { end, reasons } => {
            let end = in_zone(end, &sub.zone)?;
            Ok(ChangePreview {
                kind: ChangeKind::Downgrade,
                from_plan: sub.plan.id.clone(),
                to_plan: to.id.clone(),
                from_interval: sub.interval,
                to_interval,
                effective_at: end,
                due_now: Money::new(0, sub.currency),
                lines: Vec::new(),
                next_renewal: end,
                anchor: in_zone(sub.anchor_at(), &sub.zone)?,
                allowance,
                trial_ends_at,
                explanation: lines(&reasons),
                reasons,
            })
        }
    }
}

/// A change to the free plan: a cancellation (R-CANCEL-1, R-CANCEL-2, R-TRIAL-2).
fn to_free(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    req: &ChangeRequest,
) -> Result<ChangePreview, RuleError> {
    // The free plan is sold per month only; a cancellation moves to it whatever interval
    // was asked for (R-INTERVAL-6).
    let to_interval = Interval::Month;
    catalogue.price_or_err(to, to_interval, sub.currency)?;
    let c = cancel_to(catalogue, &req.subscription, to, req.at, req.tax_rate_bp)?;
    Ok(ChangePreview {
        kind: ChangeKind::Cancel,
        from_plan: c.from_plan,
        to_plan: c.to_plan,
        from_interval: sub.interval,
        to_interval,
        effective_at: c.effective_at,
        due_now: c.due_now,
        lines: Vec::new(),
        next_renewal: c.free_period.end,
        anchor: c.free_period.start,
        allowance: c.free_allowance,
        trial_ends_at: None,
        explanation: c.explanation,
        reasons: c.reasons,
    })
}

/// What a change during a trial is called: it charges nothing either way (R-TRIAL-2).
fn trial_kind(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    to_interval: Interval,
) -> ChangeKind {
    match (sub.interval, to_interval) {
        (Interval::Month, Interval::Year) => ChangeKind::IntervalChange,
        (Interval::Year, Interval::Month) => ChangeKind::Downgrade,
        _ => {
            let old = catalogue.price(sub.plan, sub.interval, sub.currency);
            let new = catalogue.price(to, to_interval, sub.currency);
            if new > old {
                ChangeKind::Upgrade
            } else {
                ChangeKind::Downgrade
            }
        }
    }
}

/// A change between monthly plans: the upgrade or downgrade previews of
/// `plan_change.rs` (R-UPGRADE, R-DOWNGRADE-1).
fn same_interval_monthly(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    req: &ChangeRequest,
) -> Result<ChangePreview, RuleError> {
    let at = req.at.to_utc();
    let (k, start, _) = sub.cycle().period_at(at)?;
    let (old_price, _) = price_reasons(catalogue, sub, sub.plan, k, start.at)?;
    let (new_price, _) = price_reasons(catalogue, sub, to, k, start.at)?;
    let allowance = Allowance {
        credits: to.credits_per_period,
        upload_seconds: u64::from(to.upload_seconds_per_period),
    };
    if new_price > old_price {
        let p = mid_period_upgrade(catalogue, sub, to, at, req.tax_rate_bp)?;
        return Ok(ChangePreview {
            kind: ChangeKind::Upgrade,
            from_plan: p.from_plan,
            to_plan: p.to_plan,
            from_interval: Interval::Month,
            to_interval: Interval::Month,
            effective_at: req.at,
            due_now: p.due_now,
            lines: p.lines,
            next_renewal: p.next_renewal,
            anchor: p.anchor,
            allowance: Allowance {
                credits: p.allowance.credits,
                ..allowance
            },
            trial_ends_at: None,
            explanation: p.explanation,
            reasons: p.reasons,
        });
    }
    let d = downgrade(
        catalogue,
        &PlanChangeRequest {
            catalogue: None,
            subscription: req.subscription.clone(),
            to_plan: to.id.clone(),
            at: req.at,
            tax_rate_bp: req.tax_rate_bp,
        },
    )?;
    let immediate = catalogue.policy().downgrade == DowngradeTiming::ImmediateCredit;
    Ok(ChangePreview {
        kind: ChangeKind::Downgrade,
        from_plan: d.from_plan,
        to_plan: d.to_plan,
        from_interval: Interval::Month,
        to_interval: Interval::Month,
        effective_at: d.effective_at,
        due_now: d.due_now,
        lines: if immediate { d.lines } else { Vec::new() },
        next_renewal: d.next_renewal,
        anchor: in_zone(sub.anchor_at(), &sub.zone)?,
        allowance,
        trial_ends_at: None,
        explanation: d.explanation,
        reasons: d.reasons,
    })
}

/// A change from a yearly plan: an upgrade over the year to a dearer yearly plan
/// (R-INTERVAL-5), else a change at the end of the year (R-INTERVAL-6).
fn yearly_change(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    to_interval: Interval,
    at: DateTime<Utc>,
    tax_rate_bp: Option<u32>,
) -> Result<Decision, RuleError> {
    let (k, start, end) = sub.cycle().period_at(at)?;
    if to_interval == Interval::Year {
        let (old_price, _) = price_reasons(catalogue, sub, sub.plan, k, start.at)?;
        let (new_price, _) = price_reasons(catalogue, sub, to, k, start.at)?;
        if new_price > old_price {
            return Ok(Decision::Now(
                ChangeKind::Upgrade,
                Box::new(mid_period_upgrade(catalogue, sub, to, at, tax_rate_bp)?),
            ));
        }
    }
    let mut reasons = sub.period_reasons(start.at, end.at)?;
    billed_in(catalogue, sub, &mut reasons);
    reasons.push(Reason::YearlyChangeAtEnd {
        from: sub.plan.name.clone(),
        to: to.name.clone(),
        to_interval,
        effective_at: in_zone(end.at, &sub.zone)?,
    });
    reasons.push(Reason::DowngradeAtEnd {
        from: sub.plan.name.clone(),
        to: to.name.clone(),
        effective_at: in_zone(end.at, &sub.zone)?,
    });
    Ok(Decision::AtEnd {
        end: end.at,
        reasons,
    })
}

/// A monthly plan to a yearly one (R-INTERVAL-4): credit for the unused monthly time,
/// the full yearly price, tax on their sum; the change instant becomes the anchor and a
/// new allowance period starts there.
fn to_yearly(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    yearly_price: i64,
    at: DateTime<Utc>,
    tax_rate_bp: Option<u32>,
) -> Result<UpgradePreview, RuleError> {
    let currency = sub.currency;
    let (k, start, end) = sub.cycle().period_at(at)?;
    let (old_price, old_why) = price_reasons(catalogue, sub, sub.plan, k, start.at)?;
    if yearly_price < old_price {
        return Err(RuleError::Impossible {
            detail: format!(
                "the yearly price of `{}` ({yearly_price}) is below the current monthly price \
                 of `{}` ({old_price}), in minor units of {}, so the change is not possible \
                 (R-INTERVAL-4)",
                to.id,
                sub.plan.id,
                currency.code()
            ),
        });
    }
    let remaining = remaining_of(at, start.at, end.at);
    let credit = Fraction::new(
        i128::from(remaining.seconds_left),
        i128::from(remaining.seconds_in_period),
    )?
    .apply(old_price)?
    .checked_neg()
    .ok_or(RuleError::Overflow {
        what: "negating a credit",
    })?;
    let anchor = in_zone(at, &sub.zone)?;
    // The yearly subscription the change starts, anchored at the change.
    let new_sub = Sub {
        zone: sub.zone,
        started_at: at,
        plan: to,
        interval: Interval::Year,
        currency,
        trial_ends_at: None,
    };
    let next = new_sub.cycle().renewal(1)?;
    let allowance_why = new_sub.monthly_allowance_reason()?;
    let mut reasons = sub.period_reasons(start.at, end.at)?;
    billed_in(catalogue, sub, &mut reasons);
    reasons.extend(old_why);
    reasons.push(Reason::ToYearly {
        from: sub.plan.name.clone(),
        to: to.name.clone(),
        price: Money::new(yearly_price, currency),
        anchor,
    });
    reasons.push(Reason::UnusedCredit {
        plan: sub.plan.name.clone(),
        seconds_left: remaining.seconds_left,
        seconds_in_period: remaining.seconds_in_period,
        amount: Money::new(credit, currency),
    });
    let mut out = vec![
        Line {
            kind: LineKind::Credit,
            amount_minor: credit,
            description: line_description(LineKind::Credit, &sub.plan.name, false),
            rule: RuleId::Interval4.into(),
        },
        Line {
            kind: LineKind::Charge,
            amount_minor: yearly_price,
            description: line_description(LineKind::Charge, &to.name, true),
            rule: RuleId::Interval4.into(),
        },
    ];
    push_tax(
        checked_sum_minor([credit, yearly_price])?,
        tax_rate_bp,
        currency,
        &mut out,
        &mut reasons,
    )?;
    let due = checked_sum_minor(out.iter().map(|l| l.amount_minor))?;
    reasons.push(Reason::YearlyRenewal {
        plan: to.name.clone(),
        anchor,
    });
    reasons.push(allowance_why);
    push_totals(due, &out, currency, &mut reasons);
    Ok(UpgradePreview {
        from_plan: sub.plan.id.clone(),
        to_plan: to.id.clone(),
        due_now: Money::new(due, currency),
        lines: out,
        period: crate::wire::Period {
            start: anchor,
            end: in_zone(next.at, &sub.zone)?,
        },
        next_renewal: in_zone(next.at, &sub.zone)?,
        anchor,
        remaining: Some(remaining),
        allowance: Allowance {
            credits: to.credits_per_period,
            upload_seconds: u64::from(to.upload_seconds_per_period),
        },
        explanation: lines(&reasons),
        reasons,
    })
}
