//! Credit and upload quotas: R-CREDIT-COST-1, R-QUOTA-1 and R-UPLOAD-1 to R-UPLOAD-4.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};

use crate::calendar::in_zone;
use crate::catalogue::{Catalogue, PlanSpec, UploadOverflow};
use crate::error::RuleError;
use crate::explain::lines;
use crate::reason::Reason;
use crate::rule_id::RuleId;
use crate::subscription::{Sub, calendar_reasons, wire_period};
use crate::wire::{
    GenerationEvent, QuotaRequest, QuotaResponse, Refusal, RefusalKind, UploadEvent, UploadOutcome,
    Usage,
};

/// The allowances of one period and what was used of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Meter {
    pub credit_allowance: u64,
    pub credits_used: u64,
    pub upload_allowance: u64,
    pub upload_used: u64,
    pub crop: u64,
    pub overflow: UploadOverflow,
}

/// What became of one upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UploadResult {
    /// Seconds counted against the allowance; 0 when refused.
    pub counted: u64,
    /// Cropped to the plan's limit (R-UPLOAD-2).
    pub cropped: bool,
    /// Cropped to what remained (R-UPLOAD-4, crop policy).
    pub cropped_to_remaining: bool,
    /// Refused (R-UPLOAD-4).
    pub refused: bool,
    /// The remaining upload time before the upload.
    pub remaining_before: u64,
}

impl Meter {
    /// A fresh period of `plan` (R-CYCLE-5).
    pub(crate) fn new(plan: &PlanSpec, overflow: UploadOverflow) -> Meter {
        Meter {
            credit_allowance: plan.credits_per_period,
            credits_used: 0,
            upload_allowance: u64::from(plan.upload_seconds_per_period),
            upload_used: 0,
            crop: u64::from(plan.upload_crop_seconds),
            overflow,
        }
    }

    /// Credits left, never below zero (R-QUOTA-1).
    pub(crate) fn credits_remaining(&self) -> u64 {
        self.credit_allowance.saturating_sub(self.credits_used)
    }

    /// Upload seconds left, never below zero (R-UPLOAD-1).
    pub(crate) fn uploads_remaining(&self) -> u64 {
        self.upload_allowance.saturating_sub(self.upload_used)
    }

    /// Spends `cost` credits, or returns the shortfall and spends nothing (R-QUOTA-1).
    pub(crate) fn generate(&mut self, cost: u64) -> Result<(), u64> {
        let remaining = self.credits_remaining();
        if cost > remaining {
            return Err(cost - remaining);
        }
        self.credits_used = self.credits_used.saturating_add(cost);
        Ok(())
    }

    /// Applies an upload: cropped to the plan's limit (R-UPLOAD-2), then refused or cropped
    /// to what remains when longer than that (R-UPLOAD-4). A copyright-flagged upload is
    /// counted the same way (R-UPLOAD-3).
    pub(crate) fn upload(&mut self, seconds: u32) -> UploadResult {
        let seconds = u64::from(seconds);
        let length = seconds.min(self.crop);
        let remaining = self.uploads_remaining();
        let mut result = UploadResult {
            counted: length,
            cropped: length < seconds,
            cropped_to_remaining: false,
            refused: false,
            remaining_before: remaining,
        };
        if length > remaining {
            match self.overflow {
                UploadOverflow::Refuse => {
                    result.counted = 0;
                    result.refused = true;
                }
                UploadOverflow::Crop if remaining > 0 => {
                    result.counted = remaining;
                    result.cropped_to_remaining = true;
                }
                UploadOverflow::Crop => {
                    result.counted = 0;
                    result.refused = true;
                }
            }
        }
        self.upload_used = self.upload_used.saturating_add(result.counted);
        result
    }

    pub(crate) fn credit_usage(&self) -> Usage {
        Usage {
            allowance: self.credit_allowance,
            used: self.credits_used.min(self.credit_allowance),
            remaining: self.credits_remaining(),
        }
    }

    pub(crate) fn upload_usage(&self) -> Usage {
        Usage {
            allowance: self.upload_allowance,
            used: self.upload_used.min(self.upload_allowance),
            remaining: self.uploads_remaining(),
        }
    }
}

/// The result of applying a period's usage.
pub(crate) struct Tally {
    pub credits: Usage,
    pub upload_seconds: Usage,
    pub refused: Vec<Refusal>,
    pub uploads: Vec<UploadOutcome>,
    pub reasons: Vec<Reason>,
}

/// The credit cost of a model (R-CREDIT-COST-1).
pub(crate) fn cost_of(catalogue: &Catalogue, model: &str) -> Result<u64, RuleError> {
    Ok(u64::from(catalogue.model(model)?.credits))
}

/// The credit allowance a period starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CreditAllowance {
    /// The plan's own allowance (R-QUOTA-1).
    OfPlan,
    /// The allowance an upgrade gave for the rest of the period (R-UPGRADE-4).
    Upgraded(u64),
}

/// Applies the generations and uploads made in the window `[start, at]`, in time order, to
/// a fresh period of `plan`. Events outside the window use nothing (R-CYCLE-5).
pub(crate) fn tally<Z: TimeZone>(
    catalogue: &Catalogue,
    plan: &PlanSpec,
    zone: &Z,
    (start, at): (DateTime<Utc>, DateTime<Utc>),
    generations: &[GenerationEvent],
    uploads: &[UploadEvent],
    credit_allowance: CreditAllowance,
) -> Result<Tally, RuleError> {
    let mut meter = Meter::new(plan, catalogue.policy().upload_overflow);
    if let CreditAllowance::Upgraded(credits) = credit_allowance {
        meter.credit_allowance = credits;
    }
    let mut reasons = Vec::new();
    let mut refused = Vec::new();
    let in_window = |t: DateTime<Utc>| start <= t && t <= at;

    let mut gens: Vec<(DateTime<Utc>, &GenerationEvent, u64)> =
        Vec::with_capacity(generations.len());
    for g in generations {
        // Every model id is checked, also outside the window, so a typo is never silent.
        let cost = cost_of(catalogue, &g.model)?;
        let t = g.at.to_utc();
        if in_window(t) {
            gens.push((t, g, cost));
        }
    }
    gens.sort_by_key(|(t, _, _)| *t);
    for (t, g, cost) in gens {
        let remaining = meter.credits_remaining();
        if let Err(shortfall) = meter.generate(cost) {
            let model = catalogue.model(&g.model)?.name.clone();
            let why = Reason::GenerationRefused {
                at: in_zone(t, zone)?,
                model,
                cost,
                remaining,
            };
            refused.push(Refusal {
                kind: RefusalKind::Generation,
                at: in_zone(t, zone)?,
                reason: why.text(),
                rule: why.rule().into(),
                shortfall,
            });
            reasons.push(why);
        }
    }

    let mut ups: Vec<(DateTime<Utc>, &UploadEvent)> = uploads
        .iter()
        .map(|u| (u.at.to_utc(), u))
        .filter(|(t, _)| in_window(*t))
        .collect();
    ups.sort_by_key(|(t, _)| *t);
    let mut outcomes = Vec::with_capacity(ups.len());
    for (t, u) in ups {
        let r = meter.upload(u.seconds);
        let when = in_zone(t, zone)?;
        if r.cropped {
            reasons.push(Reason::UploadCropped {
                at: when,
                seconds: u64::from(u.seconds),
                crop: meter.crop,
            });
        }
        if r.refused {
            let why = Reason::UploadRefused {
                at: when,
                seconds: u64::from(u.seconds).min(meter.crop),
                remaining: r.remaining_before,
            };
            refused.push(Refusal {
                kind: RefusalKind::Upload,
                at: when,
                reason: why.text(),
                rule: why.rule().into(),
                shortfall: u64::from(u.seconds)
                    .min(meter.crop)
                    .saturating_sub(r.remaining_before),
            });
            reasons.push(why);
        } else {
            if r.cropped_to_remaining {
                reasons.push(Reason::UploadCroppedToRemaining {
                    at: when,
                    seconds: u64::from(u.seconds).min(meter.crop),
                    remaining: r.remaining_before,
                });
            }
            if u.copyright_flagged {
                reasons.push(Reason::UploadDeleted {
                    at: when,
                    counted: r.counted,
                    remaining: meter.uploads_remaining(),
                });
            }
        }
        outcomes.push(UploadOutcome {
            at: when,
            seconds: u.seconds,
            counted_seconds: r.counted,
            cropped: r.cropped || r.cropped_to_remaining,
            deleted: u.copyright_flagged && !r.refused,
            refused: r.refused,
        });
    }
    refused.sort_by_key(|r| r.at);
    Ok(Tally {
        credits: meter.credit_usage(),
        upload_seconds: meter.upload_usage(),
        refused,
        uploads: outcomes,
        reasons,
    })
}

/// Generations left per model: `floor(remaining / cost)` (R-QUOTA-1).
pub(crate) fn tracks_left(catalogue: &Catalogue, remaining: u64) -> BTreeMap<String, u64> {
    catalogue
        .models()
        .iter()
        .map(|m| (m.id.clone(), remaining / u64::from(m.credits.max(1))))
        .collect()
}

/// `POST /api/v1/quota`.
pub(crate) fn quota(catalogue: &Catalogue, req: &QuotaRequest) -> Result<QuotaResponse, RuleError> {
    quota_from(catalogue, req, CreditAllowance::OfPlan)
}

/// The quota right after an upgrade: the period's credit allowance is `credits`, the one
/// the upgrade gave (R-UPGRADE-4).
pub(crate) fn quota_with_allowance(
    catalogue: &Catalogue,
    req: &QuotaRequest,
    credits: u64,
) -> Result<QuotaResponse, RuleError> {
    quota_from(catalogue, req, CreditAllowance::Upgraded(credits))
}

fn quota_from(
    catalogue: &Catalogue,
    req: &QuotaRequest,
    credit_allowance: CreditAllowance,
) -> Result<QuotaResponse, RuleError> {
    let sub = Sub::resolve(catalogue, &req.subscription)?;
    let at = req.at.to_utc();
    // Allowances are monthly whatever the billing interval (R-INTERVAL-2), and a trial
    // is one allowance period (R-TRIAL-1).
    let cycle = sub.allowance_cycle();
    let (_, start, end) = cycle.period_at(at)?;
    let mut reasons = vec![Reason::TimeZone {
        zone: req.subscription.time_zone.clone(),
    }];
    reasons.push(Reason::CurrentPeriod {
        start: in_zone(start.at, &sub.zone)?,
        end: in_zone(end.at, &sub.zone)?,
    });
    if let Some(trial_end) = sub.trial_ends_at {
        // R-TRIAL-3: the trial is the first allowance period, and its end the anchor of
        // those after it.
        reasons.push(Reason::TrialPeriod {
            start: in_zone(sub.started_at, &sub.zone)?,
            end: in_zone(trial_end, &sub.zone)?,
        });
    }
    if !sub.in_trial_at(at) && sub.interval == crate::catalogue::Interval::Year {
        reasons.push(Reason::MonthlyAllowance {
            plan: sub.plan.name.clone(),
            start: in_zone(start.at, &sub.zone)?,
            end: in_zone(end.at, &sub.zone)?,
        });
    }
    if sub.is_free() {
        reasons.push(Reason::FreeRenewal {
            next: in_zone(end.at, &sub.zone)?,
        });
    } else {
        let anchor_day = chrono::Datelike::day(&cycle.renewal(0)?.local);
        calendar_reasons(&start, anchor_day, &sub.zone, &mut reasons)?;
        calendar_reasons(&end, anchor_day, &sub.zone, &mut reasons)?;
    }
    for m in catalogue.models() {
        reasons.push(Reason::ModelCost {
            model: m.name.clone(),
            credits: m.credits,
        });
    }
    let t = tally(
        catalogue,
        sub.plan,
        &sub.zone,
        (start.at, at),
        &req.generations,
        &req.uploads,
        credit_allowance,
    )?;
    let (gen_reasons, upload_reasons): (Vec<Reason>, Vec<Reason>) = t
        .reasons
        .into_iter()
        .partition(|r| r.rule() == RuleId::Quota1);
    reasons.push(Reason::Credits {
        allowance: t.credits.allowance,
        used: t.credits.used,
        remaining: t.credits.remaining,
    });
    reasons.extend(gen_reasons);
    reasons.push(Reason::Uploads {
        plan: sub.plan.name.clone(),
        allowance: t.upload_seconds.allowance,
        used: t.upload_seconds.used,
        remaining: t.upload_seconds.remaining,
    });
    reasons.extend(upload_reasons);
    Ok(QuotaResponse {
        period: wire_period(&sub.zone, &start, &end)?,
        credits: t.credits,
        tracks_left: tracks_left(catalogue, t.credits.remaining),
        upload_seconds: t.upload_seconds,
        refused: t.refused,
        uploads: t.uploads,
        explanation: lines(&reasons),
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_faq_upload_example() {
        // 2:00 left, a flagged 30 s upload, 1:30 left (R-UPLOAD-3).
        let c = Catalogue::builtin("stable-audio").unwrap();
        let mut m = Meter::new(c.plan("free").unwrap(), UploadOverflow::Refuse);
        let r = m.upload(30);
        assert_eq!(r.counted, 30);
        assert_eq!(m.uploads_remaining(), 90);
    }
}
