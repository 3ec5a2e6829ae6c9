//! A checkout quote: an upgrade preview and the quota right after it (R-UPGRADE-1 to
//! R-UPGRADE-4, R-QUOTA-1, R-UPLOAD-1 to R-UPLOAD-4).
//!
//! It composes two rules and adds none of its own: the price is
//! [`plan_change::upgrade`]'s, the quota is [`quota::quota_with_allowance`]'s with the
//! allowance the upgrade gives.

use crate::catalogue::Catalogue;
use crate::error::RuleError;
use crate::plan_change;
use crate::quota;
use crate::wire::{
    PlanChangeRequest, QuotaRequest, QuoteRequest, QuoteResponse, Subscription, check_len,
};

/// `POST /api/v1/quote`.
pub(crate) fn quote(catalogue: &Catalogue, req: &QuoteRequest) -> Result<QuoteResponse, RuleError> {
    check_len("generations", req.generations.len())?;
    check_len("uploads", req.uploads.len())?;
    let preview = plan_change::upgrade(
        catalogue,
        &PlanChangeRequest {
            catalogue: None,
            subscription: req.subscription.clone(),
            to_plan: req.to_plan.clone(),
            at: req.at,
            tax_rate_bp: req.tax_rate_bp,
        },
    )?;
    // After the change the subscription is on the new plan: anchored at the change when
    // it came from the free plan, as before otherwise; a running trial keeps its end
    // (R-TRIAL-2).
    let in_trial = req
        .subscription
        .trial_ends_at
        .is_some_and(|end| req.at < end);
    let subscription = Subscription {
        plan: req.to_plan.clone(),
        started_at: if in_trial {
            req.subscription.started_at
        } else {
            preview.anchor
        },
        trial_ends_at: req.subscription.trial_ends_at.filter(|_| in_trial),
        interval: if preview.remaining.is_some() || in_trial {
            req.subscription.interval
        } else {
            crate::catalogue::Interval::Month
        },
        ..req.subscription.clone()
    };
    let quota = quota::quota_with_allowance(
        catalogue,
        &QuotaRequest {
            catalogue: None,
            subscription,
            at: req.at,
            generations: req.generations.clone(),
            uploads: req.uploads.clone(),
        },
        preview.allowance.credits,
    )?;
    let explanation = preview
        .explanation
        .iter()
        .chain(&quota.explanation)
        .cloned()
        .collect();
    Ok(QuoteResponse {
        due_now: preview.due_now,
        preview,
        quota,
        explanation,
    })
}
