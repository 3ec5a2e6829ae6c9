//! Refund eligibility: R-REFUND-1 to R-REFUND-7.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use crate::calendar::add_business_days;
use crate::catalogue::{Catalogue, CatalogueKind, PlanSpec};
use crate::error::RuleError;
use crate::explain::lines;
use crate::quota::cost_of;
use crate::reason::{Reason, RefundWindow};
use crate::rule_id::RuleId;
use crate::subscription::Sub;
use crate::wire::{BusinessDays, GenerationEvent, RefundReason, RefundRequest, RefundResponse};

/// The facts a refund decision rests on.
pub(crate) struct RefundCase<'a> {
    /// The plan the charge was for; none for prepaid and pay-as-you-go charges.
    pub plan: Option<&'a PlanSpec>,
    pub charge_at: DateTime<Utc>,
    pub request_at: DateTime<Utc>,
    pub credits_used: u64,
    pub reason: RefundReason,
    pub terminated_for_breach: bool,
}

/// A refund decision.
pub(crate) struct Judgement {
    pub eligible: bool,
    pub rules: Vec<String>,
    pub seconds: i64,
    pub usage_bp: u64,
    pub reply_from: chrono::NaiveDate,
    pub reply_by: chrono::NaiveDate,
    pub reasons: Vec<Reason>,
}

/// Credits used by the generations in `[from, to]` (R-REFUND-3).
pub(crate) fn credits_between(
    catalogue: &Catalogue,
    generations: &[GenerationEvent],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<u64, RuleError> {
    let mut used: u64 = 0;
    for g in generations {
        let cost = cost_of(catalogue, &g.model)?;
        let t = g.at.to_utc();
        if from <= t && t <= to {
            used = used.checked_add(cost).ok_or(RuleError::Overflow {
                what: "adding credits",
            })?;
        }
    }
    Ok(used)
}

/// Judges a refund case. The request is judged at its submission instant, however late it
/// is handled (R-REFUND-3).
pub(crate) fn judge<Z: TimeZone>(
    catalogue: &Catalogue,
    zone: &Z,
    case: &RefundCase<'_>,
) -> Result<Judgement, RuleError> {
    if case.request_at < case.charge_at {
        return Err(RuleError::Impossible {
            detail: format!(
                "the refund request ({}) is before the charge ({})",
                case.request_at.to_rfc3339(),
                case.charge_at.to_rfc3339()
            ),
        });
    }
    let policy = catalogue.refund_policy();
    // The elapsed time is compared exactly, to the nanosecond, so 48 h exactly is within
    // and 48 h plus any fraction of a second is beyond (R-REFUND-3); `seconds` is only the
    // whole seconds shown to a reader.
    let elapsed = case.request_at - case.charge_at;
    let seconds = elapsed.num_seconds();
    let partial_second = elapsed.subsec_nanos() != 0;
    let allowance = case.plan.map_or(0, |p| p.credits_per_period);
    let used = u128::from(case.credits_used);
    let usage_bp = if allowance == 0 {
        if used == 0 { 0 } else { 10_000 }
    } else {
        u64::try_from(used * 10_000 / u128::from(allowance)).unwrap_or(u64::MAX)
    };
    // Both sides exact: used / allowance < threshold / 10 000 (R-REFUND-3, strictly below).
    let below = used * 10_000 < u128::from(policy.usage_threshold_bp) * u128::from(allowance);
    let window =
        TimeDelta::try_hours(i64::from(policy.window_hours)).ok_or(RuleError::Overflow {
            what: "the refund window",
        })?;
    let within = elapsed <= window;

    let mut reasons = Vec::new();
    let mut rules = Vec::new();
    let eligible = if catalogue.kind() != CatalogueKind::Subscription {
        reasons.push(Reason::RefundNonRefundable {
            catalogue: catalogue.spec().name.clone(),
        });
        rules.push(RuleId::Refund6.into());
        false
    } else if case.terminated_for_breach {
        reasons.push(Reason::RefundBreach);
        rules.push(RuleId::Refund7.into());
        false
    } else {
        match case.reason {
            RefundReason::AccidentalPurchase => {
                reasons.push(Reason::RefundAccidental);
                rules.push(RuleId::Refund1.into());
            }
            RefundReason::UnauthorizedCharge => {
                reasons.push(Reason::RefundUnauthorized);
                rules.push(RuleId::Refund2.into());
            }
            RefundReason::None => {}
        }
        reasons.push(Reason::RefundWindow(RefundWindow {
            seconds,
            partial_second,
            window_hours: policy.window_hours,
            credits_used: case.credits_used,
            allowance,
            usage_bp,
            threshold_bp: policy.usage_threshold_bp,
            within,
            below,
        }));
        let by_window = within && below;
        if by_window || rules.is_empty() {
            rules.push(RuleId::Refund3.into());
        }
        by_window || case.reason != RefundReason::None
    };
    reasons.push(Reason::RefundDiscretionary { eligible });
    let day = case.request_at.with_timezone(zone).date_naive();
    let [reply_min, reply_max] = policy.reply_business_days;
    let [bank_min, bank_max] = policy.bank_business_days;
    let reply_from = add_business_days(day, reply_min)?;
    let reply_by = add_business_days(day, reply_max)?;
    reasons.push(Reason::RefundTimeline {
        reply_from,
        reply_by,
        bank_from: bank_min,
        bank_to: bank_max,
    });
    Ok(Judgement {
        eligible,
        rules,
        seconds,
        usage_bp,
        reply_from,
        reply_by,
        reasons,
    })
}

/// `POST /api/v1/refunds/eligibility`.
pub(crate) fn eligibility(
    catalogue: &Catalogue,
    req: &RefundRequest,
) -> Result<RefundResponse, RuleError> {
    let sub = Sub::resolve(catalogue, &req.subscription)?;
    if req.charge.amount_minor < 0 {
        return Err(RuleError::Impossible {
            detail: format!(
                "a charge cannot be negative, got {}",
                req.charge.amount_minor
            ),
        });
    }
    let charge_at = req.charge.at.to_utc();
    let request_at = req.request_at.to_utc();
    let credits_used = credits_between(catalogue, &req.generations, charge_at, request_at)?;
    let j = judge(
        catalogue,
        &sub.zone,
        &RefundCase {
            plan: Some(sub.plan),
            charge_at,
            request_at,
            credits_used,
            reason: req.reason,
            terminated_for_breach: req.terminated_for_breach,
        },
    )?;
    let [bank_min, bank_max] = catalogue.refund_policy().bank_business_days;
    let mut reasons = vec![Reason::TimeZone {
        zone: req.subscription.time_zone.clone(),
    }];
    reasons.extend(j.reasons);
    Ok(RefundResponse {
        eligible: j.eligible,
        status: if j.eligible {
            "eligible-for-review"
        } else {
            "not-eligible"
        }
        .to_owned(),
        rules: j.rules,
        hours_since_charge: j.seconds / 3600,
        seconds_since_charge: j.seconds,
        credits_used,
        usage_bp: j.usage_bp,
        reply_by: j.reply_by,
        reply_from: j.reply_from,
        bank_business_days: BusinessDays {
            min: bank_min,
            max: bank_max,
        },
        explanation: lines(&reasons),
        reasons,
    })
}
