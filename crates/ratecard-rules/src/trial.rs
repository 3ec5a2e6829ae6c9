//! Free trials: when a new subscription starts with one, when it ends and what is charged
//! then (R-TRIAL-1, R-TRIAL-3).

use chrono::{DateTime, Days, Utc};

use crate::calendar::{Renewal, in_zone, parse_zone, resolve_local};
use crate::catalogue::{Catalogue, Interval, PlanSpec};
use crate::error::RuleError;
use crate::explain::{line_description, lines};
use crate::money::{Money, checked_sum_minor};
use crate::plan_change::{anchor_reasons, billed_in, push_tax, push_totals};
use crate::reason::Reason;
use crate::rule_id::RuleId;
use crate::subscription::{Sub, calendar_reasons, require_subscription};
use crate::wire::{
    Allowance, FirstCharge, Line, LineKind, Subscription, TrialStart, TrialStartRequest,
};
use crate::zone::Zone;

/// The end of a trial of `days` days that starts at `start`: the same local time `days`
/// days later, moved forward across a DST gap and the earlier of a fold (R-TRIAL-1,
/// R-CYCLE-3).
///
/// # Errors
///
/// [`RuleError::Impossible`] past the last date the calendar can write.
pub(crate) fn trial_end(
    zone: &Zone,
    start: DateTime<Utc>,
    days: u32,
) -> Result<DateTime<Utc>, RuleError> {
    Ok(trial_end_local(zone, start, days)?.at)
}

/// [`trial_end`] with its local time and the DST adjustment made, if any.
fn trial_end_local(zone: &Zone, start: DateTime<Utc>, days: u32) -> Result<Renewal, RuleError> {
    let local = start.with_timezone(zone).naive_local();
    let end = local
        .checked_add_days(Days::new(u64::from(days)))
        .ok_or_else(|| RuleError::Impossible {
            detail: format!("a trial of {days} days from {local} ends past the calendar"),
        })?;
    let (at, dst) = resolve_local(zone, end)?;
    Ok(Renewal {
        at,
        local: end,
        clamped: false,
        dst,
    })
}

/// Why a subscription to `plan` starts without a trial: the account is not eligible
/// (R-TRIAL-1) or the plan offers none, so it pays at once (R-TRIAL-2).
pub(crate) fn no_trial(plan: &PlanSpec) -> Vec<Reason> {
    let mut why = Vec::with_capacity(2);
    if plan.trial_days.is_some() {
        why.push(Reason::TrialNotEligible {
            plan: plan.name.clone(),
        });
    }
    why.push(Reason::NoTrial {
        plan: plan.name.clone(),
        plan_offers_one: plan.trial_days.is_some(),
    });
    why
}

/// `POST /api/v1/trials/start`.
pub(crate) fn start(
    catalogue: &Catalogue,
    req: &TrialStartRequest,
) -> Result<TrialStart, RuleError> {
    require_subscription(catalogue)?;
    let plan = catalogue.plan(&req.plan)?;
    if plan.price_minor == 0 {
        return Err(RuleError::Impossible {
            detail: format!(
                "`{}` is the free plan: it needs neither a trial nor a payment",
                plan.id
            ),
        });
    }
    let currency = catalogue.priced_currency(req.currency)?;
    let zone = parse_zone(&req.time_zone)?;
    let at = req.at.to_utc();
    let trial_days = plan.trial_days.filter(|_| !req.had_paid_or_trial);
    let trial_end = trial_days
        .map(|days| trial_end_local(&zone, at, days))
        .transpose()?;
    let trial_ends_at = trial_end.as_ref().map(|r| r.at);
    let sub = Sub {
        zone,
        started_at: at,
        plan,
        interval: req.interval,
        currency,
        trial_ends_at,
    };
    let charge_at = sub.anchor_at();
    // The price list in force when the subscription starts (R-PRICE-LOCK-1).
    let (_, price) = sub.price_of(catalogue, plan, u64::from(trial_days.is_some()), charge_at)?;
    let mut reasons = vec![Reason::TimeZone {
        zone: zone.name().to_owned(),
    }];
    let mut out = vec![Line {
        kind: LineKind::Charge,
        amount_minor: price,
        description: line_description(LineKind::Charge, &plan.name, true),
        rule: match trial_days {
            Some(_) => RuleId::Trial1,
            None => RuleId::Upgrade3,
        }
        .into(),
    }];
    let mut tax_reasons = Vec::new();
    push_tax(price, req.tax_rate_bp, currency, &mut out, &mut tax_reasons)?;
    let amount = checked_sum_minor(out.iter().map(|l| l.amount_minor))?;
    match (trial_days, trial_ends_at) {
        (Some(days), Some(end)) => reasons.push(Reason::TrialStarts {
            plan: plan.name.clone(),
            days,
            ends_at: in_zone(end, &zone)?,
            first_charge: Money::new(amount, currency),
        }),
        _ => reasons.extend(no_trial(plan)),
    }
    if let Some(end) = &trial_end {
        // R-CYCLE-3: a trial ending in a DST gap or fold.
        calendar_reasons(end, 0, &zone, &mut reasons)?;
    }
    anchor_reasons(&sub, &mut reasons)?;
    billed_in(catalogue, &sub, &mut reasons);
    reasons.extend(tax_reasons);
    if req.interval == Interval::Year && trial_days.is_none() {
        reasons.push(sub.monthly_allowance_reason()?);
    }
    push_totals(amount, &out, currency, &mut reasons);
    let started_at = in_zone(at, &zone)?;
    let trial_ends_at = trial_ends_at.map(|t| in_zone(t, &zone)).transpose()?;
    Ok(TrialStart {
        trial: trial_days.is_some(),
        trial_ends_at,
        first_charge: FirstCharge {
            at: trial_ends_at.unwrap_or(started_at),
            amount_minor: amount,
            currency,
            lines: out,
        },
        subscription: Subscription {
            plan: plan.id.clone(),
            started_at,
            time_zone: zone.name().to_owned(),
            interval: req.interval,
            currency: (currency != catalogue.currency()).then_some(currency),
            trial_ends_at,
        },
        allowance: Allowance {
            credits: plan.credits_per_period,
            upload_seconds: u64::from(plan.upload_seconds_per_period),
        },
        explanation: lines(&reasons),
        reasons,
    })
}
