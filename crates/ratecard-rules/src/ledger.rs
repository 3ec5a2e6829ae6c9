//! The support ledger: an account history replayed into a timeline and the state at an
//! instant, applying every rule family on the way.
//!
//! Work is linear in the events plus the renewals between them; the replay refuses
//! histories spanning more than [`MAX_RENEWALS`] renewals.

use crate::zone::Zone;
use chrono::{DateTime, FixedOffset, Utc};

use crate::calendar::{Cycle, Schedule, add_days, in_zone, parse_zone};
use crate::catalogue::{Catalogue, DowngradeTiming, PlanSpec};
use crate::error::RuleError;
use crate::explain::lines;
use crate::money::{Money, checked_add_minor, checked_sum_minor};
use crate::plan_change::{
    Tax, UpgradeDecision, decide_upgrade, price_reason, prorate, remaining_of, tax,
};
use crate::prepaid::Pots;
use crate::quota::{Meter, cost_of};
use crate::reason::{Action, Problem, Reason};
use crate::refund::{RefundCase, judge};
use crate::rule_id::RuleId;
use crate::subscription::require_subscription;
use crate::terms::{liability_cap, opt_out_by};
use crate::wire::{
    AccountState, ChargeRef, EntryKind, LedgerEntry, LedgerEvent, LedgerRequest, LedgerResponse,
    LicenceState, Payment, Period, PrepaidState, RefundReason, RefundState, TermsState, Usage,
};

/// The most renewals one replay walks through (a century of monthly periods).
pub(crate) const MAX_RENEWALS: u64 = 1200;

/// A charge the account paid.
struct ChargeRec<'c> {
    at: DateTime<Utc>,
    amount: i64,
    plan: Option<&'c PlanSpec>,
}

/// The current subscription.
struct Current<'c> {
    plan: &'c PlanSpec,
    /// The anchor of a paid plan, or the start of the free calendar.
    started_at: DateTime<Utc>,
    /// Renews on the first of the month (free plan) rather than on the anchor.
    schedule: Schedule,
    k: u64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    meter: Meter,
    pending: Option<&'c PlanSpec>,
}

struct Replay<'c> {
    catalogue: &'c Catalogue,
    zone: Zone,
    tax_rate_bp: Option<u32>,
    current: Option<Current<'c>>,
    credit_balance: i64,
    charges: Vec<ChargeRec<'c>>,
    /// Refunds paid out (R-REFUND-4), in minor units above 0; they reduce the amount paid
    /// (R-TERMS-3).
    refunds: Vec<(DateTime<Utc>, i64)>,
    /// Plan credits spent, for usage since a charge (R-REFUND-3).
    usage: Vec<(DateTime<Utc>, u64)>,
    pots: Pots,
    grants_seen: usize,
    created_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    timeline: Vec<LedgerEntry>,
    renewals: u64,
}

/// `POST /api/v1/ledger`.
pub(crate) fn replay(
    catalogue: &Catalogue,
    req: &LedgerRequest,
) -> Result<LedgerResponse, RuleError> {
    let zone = parse_zone(&req.time_zone)?;
    let at = req.at.to_utc();
    let mut events: Vec<&LedgerEvent> = req.events.iter().collect();
    // Stable: events at the same instant keep their given order.
    events.sort_by_key(|e| e.at());
    let mut r = Replay {
        catalogue,
        zone,
        tax_rate_bp: req.tax_rate_bp,
        current: None,
        credit_balance: 0,
        charges: Vec::new(),
        refunds: Vec::new(),
        usage: Vec::new(),
        pots: Pots::default(),
        grants_seen: 0,
        created_at: None,
        closed_at: None,
        timeline: Vec::new(),
        renewals: 0,
    };
    let mut ignored: u64 = 0;
    for e in events {
        let t = e.at().to_utc();
        if t > at {
            ignored += 1;
            continue;
        }
        r.advance(t)?;
        r.created_at.get_or_insert(t);
        r.apply(e, t)?;
    }
    r.advance(at)?;
    r.finish(at, ignored)
}

fn unique_rules(reasons: &[Reason]) -> Vec<String> {
    let mut ids: Vec<RuleId> = Vec::new();
    for r in reasons {
        if !ids.contains(&r.rule()) {
            ids.push(r.rule());
        }
    }
    ids.into_iter().map(String::from).collect()
}

impl<'c> Replay<'c> {
    fn local(&self, t: DateTime<Utc>) -> Result<DateTime<FixedOffset>, RuleError> {
        in_zone(t, &self.zone)
    }

    fn money(&self, amount: i64) -> Money {
        Money::new(amount, self.catalogue.currency())
    }

    fn push(
        &mut self,
        at: DateTime<Utc>,
        kind: EntryKind,
        amount_minor: Option<i64>,
        quantity: Option<u64>,
        reasons: &[Reason],
    ) -> Result<(), RuleError> {
        let plan = self.current.as_ref().map(|c| c.plan.id.clone());
        self.timeline.push(LedgerEntry {
            at: self.local(at)?,
            kind,
            plan,
            amount_minor,
            quantity,
            rules: unique_rules(reasons),
            explanation: lines(reasons),
            reasons: reasons.to_vec(),
        });
        Ok(())
    }

    fn refuse(
        &mut self,
        at: DateTime<Utc>,
        action: Action,
        to: Option<&PlanSpec>,
        problem: Problem,
    ) -> Result<(), RuleError> {
        let why = [Reason::Refused {
            action,
            from: self.current.as_ref().map(|c| c.plan.name.clone()),
            to: to.map(|p| p.name.clone()),
            problem,
        }];
        self.push(at, EntryKind::Refusal, None, None, &why)
    }

    /// Records the tax of R-MONEY-3 on `subtotal` at `at`, as plan_change computes it, and
    /// answers the subtotal with its tax. The ledger's subtotals (a price, an upgrade's
    /// credit and charge) are never negative, so there is no "no tax on a credit" entry.
    fn push_tax(&mut self, at: DateTime<Utc>, subtotal: i64) -> Result<i64, RuleError> {
        match tax(subtotal, self.tax_rate_bp, self.catalogue.currency())? {
            Tax::Due { amount, reason } => {
                self.push(at, EntryKind::Tax, Some(amount), None, &[reason])?;
                checked_add_minor(subtotal, amount)
            }
            Tax::NoRate | Tax::OnCredit(_) => Ok(subtotal),
        }
    }

    /// Charges `price` (plus tax, less any credit balance) at `at`.
    fn charge(
        &mut self,
        at: DateTime<Utc>,
        plan: &'c PlanSpec,
        price: i64,
        mut why: Vec<Reason>,
    ) -> Result<(), RuleError> {
        self.push(at, EntryKind::Charge, Some(price), None, &why)?;
        let mut total = self.push_tax(at, price)?;
        if self.credit_balance > 0 && total > 0 {
            let applied = self.credit_balance.min(total);
            self.credit_balance -= applied;
            why = vec![Reason::CreditApplied {
                amount: self.money(applied),
            }];
            self.push(at, EntryKind::Credit, Some(-applied), None, &why)?;
            total -= applied;
        }
        self.charges.push(ChargeRec {
            at,
            amount: total,
            plan: Some(plan),
        });
        Ok(())
    }

    /// Starts a subscription to `plan` at `at`, anchored there (R-CYCLE-1, R-UPGRADE-3).
    fn start(
        &mut self,
        plan: &'c PlanSpec,
        at: DateTime<Utc>,
        mut why: Vec<Reason>,
    ) -> Result<(), RuleError> {
        let free = plan.price_minor == 0;
        let schedule = if free {
            Schedule::FirstOfMonth
        } else {
            Schedule::OnAnchor
        };
        let cycle = Cycle::new(&self.zone, at, schedule);
        let end = cycle.renewal(1)?.at;
        self.current = Some(Current {
            plan,
            started_at: at,
            schedule,
            k: 0,
            start: at,
            end,
            meter: Meter::new(plan, self.catalogue.policy().upload_overflow),
            pending: None,
        });
        if free {
            why.push(Reason::FreeRenewal {
                next: self.local(end)?,
            });
        } else {
            why.push(Reason::Anchor {
                plan: plan.name.clone(),
                anchor: self.local(at)?,
            });
            let (version, price) = self.catalogue.price_for(&plan.id, at, at, 0)?;
            why.push(Reason::PriceLock {
                version,
                plan: plan.name.clone(),
                price: self.money(price),
            });
            self.charge(at, plan, price, why.clone())?;
        }
        self.reset_entry(at, &why)
    }

    fn reset_entry(&mut self, at: DateTime<Utc>, why: &[Reason]) -> Result<(), RuleError> {
        let Some(c) = &self.current else {
            return Ok(());
        };
        let mut reasons = why.to_vec();
        reasons.push(Reason::CurrentPeriod {
            start: self.local(c.start)?,
            end: self.local(c.end)?,
        });
        reasons.push(Reason::Credits {
            allowance: c.meter.credit_allowance,
            used: 0,
            remaining: c.meter.credit_allowance,
        });
        let quantity = c.meter.credit_allowance;
        self.push(
            at,
            EntryKind::AllowanceReset,
            None,
            Some(quantity),
            &reasons,
        )?;
        Ok(())
    }

    /// Walks renewals up to and including `t` (R-CYCLE-5).
    fn advance(&mut self, t: DateTime<Utc>) -> Result<(), RuleError> {
        loop {
            let Some(c) = &mut self.current else {
                return Ok(());
            };
            if c.end > t {
                return Ok(());
            }
            self.renewals += 1;
            if self.renewals > MAX_RENEWALS {
                return Err(RuleError::Impossible {
                    detail: format!(
                        "the history spans more than {MAX_RENEWALS} renewals; ask about a shorter stretch"
                    ),
                });
            }
            let at = c.end;
            let mut why = Vec::new();
            if let Some(next) = c.pending.take() {
                why.push(Reason::DowngradeAtEnd {
                    from: c.plan.name.clone(),
                    to: next.name.clone(),
                    effective_at: in_zone(at, &self.zone)?,
                });
                c.plan = next;
            }
            let cycle = Cycle::new(&self.zone, c.started_at, c.schedule);
            c.k += 1;
            c.start = at;
            c.end = cycle.renewal(c.k + 1)?.at;
            c.meter = Meter::new(c.plan, self.catalogue.policy().upload_overflow);
            let (plan, k, started_at, schedule) = (c.plan, c.k, c.started_at, c.schedule);
            if schedule == Schedule::FirstOfMonth {
                why.push(Reason::FreeRenewal {
                    next: self.local(at)?,
                });
            } else {
                why.push(Reason::Anchor {
                    plan: plan.name.clone(),
                    anchor: self.local(started_at)?,
                });
                let r = cycle.renewal(k)?;
                crate::subscription::calendar_reasons(
                    &r,
                    anchor_day(started_at, &self.zone),
                    &self.zone,
                    &mut why,
                )?;
                let (_, price, reason) =
                    price_reason(self.catalogue, plan, &self.zone, started_at, k, at)?;
                why.push(reason);
                if price > 0 {
                    self.charge(at, plan, price, why.clone())?;
                }
            }
            self.reset_entry(at, &why)?;
        }
    }

    fn apply(&mut self, e: &LedgerEvent, t: DateTime<Utc>) -> Result<(), RuleError> {
        match e {
            LedgerEvent::Subscribe { plan, .. } => self.subscribe(plan, t),
            LedgerEvent::Upgrade { to_plan, .. } => self.upgrade(to_plan, t),
            LedgerEvent::Downgrade { to_plan, .. } => self.downgrade(to_plan, t),
            LedgerEvent::Cancel { close_account, .. } => self.cancel(*close_account, t),
            LedgerEvent::Generation { model, .. } => self.generate(model, t),
            LedgerEvent::Upload {
                seconds,
                copyright_flagged,
                ..
            } => {
                self.upload(*seconds, *copyright_flagged, t)?;
                Ok(())
            }
            LedgerEvent::Charge {
                amount_minor,
                description,
                ..
            } => {
                if *amount_minor < 0 {
                    return Err(RuleError::Impossible {
                        detail: format!("a charge cannot be negative, got {amount_minor}"),
                    });
                }
                let plan = self.current.as_ref().map(|c| c.plan);
                let currency = self.catalogue.currency();
                let why = [
                    Reason::RecordedCharge {
                        amount: self.money(*amount_minor),
                        description: description.clone(),
                    },
                    Reason::MinorUnits {
                        currency: currency.code().to_owned(),
                        exponent: currency.exponent(),
                    },
                ];
                self.push(t, EntryKind::Charge, Some(*amount_minor), None, &why)?;
                self.charges.push(ChargeRec {
                    at: t,
                    amount: *amount_minor,
                    plan,
                });
                Ok(())
            }
            LedgerEvent::Refund {
                amount_minor,
                description,
                ..
            } => self.refund(*amount_minor, description.as_deref(), t),
            LedgerEvent::RefundRequest {
                reason,
                terminated_for_breach,
                ..
            } => self.refund_request(*reason, *terminated_for_breach, t),
            LedgerEvent::Grant {
                id,
                credits,
                expires_at,
                at,
            } => {
                self.grants_seen += 1;
                let id = id
                    .clone()
                    .unwrap_or_else(|| format!("grant-{}", self.grants_seen));
                let why = self.pots.grant(
                    id,
                    *credits,
                    *at,
                    *expires_at,
                    self.catalogue.spec().prepaid.expiry_months,
                )?;
                self.push(t, EntryKind::Grant, None, Some(*credits), &[why])?;
                Ok(())
            }
        }
    }

    fn subscribe(&mut self, plan: &str, t: DateTime<Utc>) -> Result<(), RuleError> {
        require_subscription(self.catalogue)?;
        let plan = self.catalogue.plan(plan)?;
        match &self.current {
            Some(c) if c.plan.price_minor > 0 => {
                self.refuse(t, Action::Subscribe, Some(plan), Problem::AlreadyPaid)?;
                Ok(())
            }
            Some(_) if plan.price_minor > 0 => self.upgrade(&plan.id, t),
            _ => self.start(plan, t, Vec::new()),
        }
    }

    fn upgrade(&mut self, to: &str, t: DateTime<Utc>) -> Result<(), RuleError> {
        require_subscription(self.catalogue)?;
        let to = self.catalogue.plan(to)?;
        let Some(c) = &self.current else {
            self.refuse(t, Action::Upgrade, Some(to), Problem::NoSubscription)?;
            return Ok(());
        };
        if to.price_minor == 0 || to.id == c.plan.id {
            self.refuse(t, Action::Upgrade, Some(to), Problem::NotDearer)?;
            return Ok(());
        }
        if c.plan.price_minor == 0 {
            // R-UPGRADE-3: from the free plan, a new paid subscription anchored now.
            let (_, price) = self.catalogue.price_for(&to.id, t, t, 0)?;
            let why = vec![Reason::FromFree {
                to: to.name.clone(),
                price: self.money(price),
                anchor: self.local(t)?,
            }];
            return self.start(to, t, why);
        }
        let (from, k, start, end, started_at) = (c.plan, c.k, c.start, c.end, c.started_at);
        let (_, old_price) = self.catalogue.price_for(&from.id, started_at, start, k)?;
        let (_, new_price) = self.catalogue.price_for(&to.id, started_at, start, k)?;
        let up = match decide_upgrade(
            self.catalogue,
            (from, old_price),
            (to, new_price),
            (start, end),
            t,
        )? {
            UpgradeDecision::Prorated(up) => up,
            UpgradeDecision::NotDearer => {
                self.refuse(t, Action::Upgrade, Some(to), Problem::NotDearer)?;
                return Ok(());
            }
        };
        if let Some(c) = &mut self.current {
            c.plan = to;
            c.pending = None;
            c.meter.credit_allowance = up.allowance;
            c.meter.upload_allowance = u64::from(to.upload_seconds_per_period);
            c.meter.crop = u64::from(to.upload_crop_seconds);
        }
        let used = self.current.as_ref().map_or(0, |c| c.meter.credits_used);
        let change = vec![
            Reason::UpgradeNow {
                from: from.name.clone(),
                to: to.name.clone(),
                next_renewal: self.local(end)?,
            },
            up.allowance_reason(self.catalogue, to, Some(used)),
        ];
        self.push(t, EntryKind::PlanChange, None, Some(up.allowance), &change)?;
        let currency = self.catalogue.currency();
        let credit_why = up.credit_reason(from, currency);
        self.push(t, EntryKind::Credit, Some(up.credit), None, &[credit_why])?;
        let charge_why = up.charge_reason(to, currency);
        self.push(t, EntryKind::Charge, Some(up.charge), None, &[charge_why])?;
        let subtotal = up.subtotal()?;
        let total = self.push_tax(t, subtotal)?;
        self.charges.push(ChargeRec {
            at: t,
            amount: total,
            plan: Some(to),
        });
        Ok(())
    }

    fn downgrade(&mut self, to: &str, t: DateTime<Utc>) -> Result<(), RuleError> {
        require_subscription(self.catalogue)?;
        let to = self.catalogue.plan(to)?;
        let Some(c) = &self.current else {
            self.refuse(t, Action::Downgrade, Some(to), Problem::NoSubscription)?;
            return Ok(());
        };
        if to.price_minor == 0 {
            return self.cancel(false, t);
        }
        let (from, k, start, end, started_at) = (c.plan, c.k, c.start, c.end, c.started_at);
        let (_, old_price) = self.catalogue.price_for(&from.id, started_at, start, k)?;
        let (_, new_price) = self.catalogue.price_for(&to.id, started_at, start, k)?;
        if from.price_minor == 0 || new_price >= old_price {
            self.refuse(t, Action::Downgrade, Some(to), Problem::NotCheaper)?;
            return Ok(());
        }
        match self.catalogue.policy().downgrade {
            DowngradeTiming::EndOfPeriod => {
                if let Some(c) = &mut self.current {
                    c.pending = Some(to);
                }
                let why = [Reason::DowngradeAtEnd {
                    from: from.name.clone(),
                    to: to.name.clone(),
                    effective_at: self.local(end)?,
                }];
                self.push(t, EntryKind::ChangeScheduled, None, None, &why)?;
            }
            DowngradeTiming::ImmediateCredit => {
                let remaining = remaining_of(t, start, end);
                let (credit, charge) = prorate(old_price, new_price, remaining)?;
                let net = checked_sum_minor([credit, charge])?;
                let balance = net.checked_neg().unwrap_or(0).max(0);
                self.credit_balance = checked_add_minor(self.credit_balance, balance)?;
                if let Some(c) = &mut self.current {
                    c.plan = to;
                    c.pending = None;
                    c.meter.credit_allowance = to.credits_per_period;
                    c.meter.upload_allowance = u64::from(to.upload_seconds_per_period);
                    c.meter.crop = u64::from(to.upload_crop_seconds);
                }
                let why = [
                    Reason::UnusedCredit {
                        plan: from.name.clone(),
                        seconds_left: remaining.seconds_left,
                        seconds_in_period: remaining.seconds_in_period,
                        amount: self.money(credit),
                    },
                    Reason::RemainingCharge {
                        plan: to.name.clone(),
                        seconds_left: remaining.seconds_left,
                        seconds_in_period: remaining.seconds_in_period,
                        amount: self.money(charge),
                    },
                    Reason::DowngradeNow {
                        from: from.name.clone(),
                        to: to.name.clone(),
                        credit: self.money(balance),
                    },
                ];
                self.push(t, EntryKind::Credit, Some(-balance), None, &why)?;
            }
        }
        Ok(())
    }

    fn cancel(&mut self, close_account: bool, t: DateTime<Utc>) -> Result<(), RuleError> {
        if close_account {
            self.closed_at = Some(t);
        }
        let Some(c) = &self.current else {
            if !close_account {
                self.refuse(t, Action::Cancel, None, Problem::NoSubscription)?;
            }
            return Ok(());
        };
        if c.plan.price_minor == 0 {
            if !close_account {
                self.refuse(t, Action::Cancel, None, Problem::AlreadyFree)?;
            }
            return Ok(());
        }
        let free = self
            .catalogue
            .free_plan()
            .ok_or_else(|| RuleError::Impossible {
                detail: "the catalogue has no free plan".to_owned(),
            })?;
        let (from, lost_credits, lost_upload) = (
            c.plan,
            c.meter.credits_remaining(),
            c.meter.uploads_remaining(),
        );
        let lost = [Reason::CancelNow {
            from: from.name.clone(),
            lost_credits,
            lost_upload_seconds: lost_upload,
        }];
        self.push(t, EntryKind::AllowanceLost, None, Some(lost_credits), &lost)?;
        let end = Cycle::new(&self.zone, t, Schedule::FirstOfMonth)
            .renewal(1)?
            .at;
        let why = vec![
            Reason::FreeAfterCancel {
                credits: free.credits_per_period,
                upload_seconds: u64::from(free.upload_seconds_per_period),
                until: self.local(end)?,
            },
            Reason::LicenceFollowsTrack {
                plan: from.name.clone(),
                current: Some(free.name.clone()),
            },
        ];
        // R-CANCEL-2: the free plan's full allowance until the next first of the month.
        self.current = None;
        self.start(free, t, why)
    }

    fn generate(&mut self, model: &str, t: DateTime<Utc>) -> Result<(), RuleError> {
        let cost = cost_of(self.catalogue, model)?;
        let name = self.catalogue.model(model)?.name.clone();
        let from_plan = match &mut self.current {
            Some(c) => c
                .meter
                .generate(cost)
                .map_err(|_| c.meter.credits_remaining()),
            None => Err(0),
        };
        match from_plan {
            Ok(()) => {
                self.usage.push((t, cost));
                Ok(())
            }
            Err(remaining) => {
                let when = self.local(t)?;
                if let Ok(from) = self.pots.spend(cost, when) {
                    let why = [Reason::Spend {
                        at: when,
                        credits: cost,
                        from,
                    }];
                    self.push(t, EntryKind::GrantSpend, None, Some(cost), &why)?;
                    return Ok(());
                }
                let why = [Reason::GenerationRefused {
                    at: when,
                    model: name,
                    cost,
                    remaining,
                }];
                self.push(
                    t,
                    EntryKind::Refusal,
                    None,
                    Some(cost - remaining.min(cost)),
                    &why,
                )?;
                Ok(())
            }
        }
    }

    fn upload(&mut self, seconds: u32, flagged: bool, t: DateTime<Utc>) -> Result<(), RuleError> {
        let when = self.local(t)?;
        let Some(c) = &mut self.current else {
            return self.refuse(t, Action::Upload, None, Problem::NoSubscription);
        };
        let r = c.meter.upload(seconds);
        let crop = c.meter.crop;
        let left = c.meter.uploads_remaining();
        let mut why = Vec::new();
        if r.cropped {
            why.push(Reason::UploadCropped {
                at: when,
                seconds: u64::from(seconds),
                crop,
            });
        }
        if r.refused {
            why.push(Reason::UploadRefused {
                at: when,
                seconds: u64::from(seconds).min(crop),
                remaining: r.remaining_before,
            });
            let short = u64::from(seconds)
                .min(crop)
                .saturating_sub(r.remaining_before);
            self.push(t, EntryKind::Refusal, None, Some(short), &why)?;
        } else if flagged {
            why.push(Reason::UploadDeleted {
                at: when,
                counted: r.counted,
                remaining: left,
            });
            self.push(t, EntryKind::UploadDeleted, None, Some(r.counted), &why)?;
        }
        Ok(())
    }

    /// Records a refund paid out (R-REFUND-4): a credit of `-amount` that reduces the
    /// amount paid (R-TERMS-3).
    fn refund(
        &mut self,
        amount: i64,
        description: Option<&str>,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        if amount <= 0 {
            return Err(RuleError::Impossible {
                detail: format!(
                    "a refund must be above 0 (the amount paid back, in minor units), got {amount}"
                ),
            });
        }
        let currency = self.catalogue.currency();
        let why = [
            Reason::RecordedRefund {
                amount: self.money(amount),
                description: description.map(str::to_owned),
            },
            Reason::MinorUnits {
                currency: currency.code().to_owned(),
                exponent: currency.exponent(),
            },
        ];
        // `amount` is above 0, so its negation cannot overflow.
        self.push(t, EntryKind::Credit, Some(-amount), None, &why)?;
        self.refunds.push((t, amount));
        Ok(())
    }

    fn refund_request(
        &mut self,
        reason: RefundReason,
        breach: bool,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        let Some(j) = self.judge_latest(t, reason, breach)? else {
            self.refuse(t, Action::Refund, None, Problem::NoCharge)?;
            return Ok(());
        };
        self.push(t, EntryKind::RefundReview, None, None, &j.1.reasons)?;
        Ok(())
    }

    /// Judges the latest charge at `t`, if there is one.
    fn judge_latest(
        &self,
        t: DateTime<Utc>,
        reason: RefundReason,
        breach: bool,
    ) -> Result<Option<(ChargeRef, crate::refund::Judgement)>, RuleError> {
        let Some(charge) = self.charges.iter().rev().find(|c| c.at <= t) else {
            return Ok(None);
        };
        let plan = charge
            .plan
            .or_else(|| self.current.as_ref().map(|c| c.plan));
        let used = self
            .usage
            .iter()
            .filter(|(at, _)| charge.at <= *at && *at <= t)
            .fold(0_u64, |acc, (_, c)| acc.saturating_add(*c));
        let j = judge(
            self.catalogue,
            &self.zone,
            &RefundCase {
                plan,
                charge_at: charge.at,
                request_at: t,
                credits_used: used,
                reason,
                terminated_for_breach: breach,
            },
        )?;
        Ok(Some((
            ChargeRef {
                at: self.local(charge.at)?,
                amount_minor: charge.amount,
            },
            j,
        )))
    }

    fn finish(mut self, at: DateTime<Utc>, ignored: u64) -> Result<LedgerResponse, RuleError> {
        let now = self.local(at)?;
        // Grants that expired unspent by the report instant (R-PREPAID-1).
        let expired: Vec<(String, u64, DateTime<FixedOffset>)> = self
            .pots
            .pots()
            .iter()
            .filter(|p| p.expires_at <= now && p.remaining > 0)
            .map(|p| (p.id.clone(), p.remaining, p.expires_at))
            .collect();
        for (id, credits, when) in expired {
            let why = [Reason::GrantExpired {
                id,
                credits,
                at: when,
            }];
            self.push(
                when.to_utc(),
                EntryKind::GrantExpiry,
                None,
                Some(credits),
                &why,
            )?;
        }
        // Entries were produced in order except expiries; a stable sort keeps ties in order.
        self.timeline.sort_by_key(|e| e.at);

        let mut summary = Vec::new();
        let (plan, period, pending, version, credits, uploads, licence) = match &self.current {
            Some(c) => {
                summary.push(Reason::CurrentPeriod {
                    start: self.local(c.start)?,
                    end: self.local(c.end)?,
                });
                let credits = c.meter.credit_usage();
                let uploads = c.meter.upload_usage();
                summary.push(Reason::Credits {
                    allowance: credits.allowance,
                    used: credits.used,
                    remaining: credits.remaining,
                });
                summary.push(Reason::Uploads {
                    plan: c.plan.name.clone(),
                    allowance: uploads.allowance,
                    used: uploads.used,
                    remaining: uploads.remaining,
                });
                let l = self.catalogue.licence(&c.plan.licence)?;
                summary.push(Reason::LicenceOfPlan {
                    plan: c.plan.name.clone(),
                    licence: l.name.clone(),
                    by_agreement: l.by_agreement,
                });
                let version = if c.schedule == Schedule::FirstOfMonth {
                    None
                } else {
                    Some(
                        self.catalogue
                            .price_for(&c.plan.id, c.started_at, c.start, c.k)?
                            .0,
                    )
                };
                (
                    Some(c.plan.id.clone()),
                    Some(Period {
                        start: self.local(c.start)?,
                        end: self.local(c.end)?,
                    }),
                    c.pending.map(|p| p.id.clone()),
                    version,
                    credits,
                    uploads,
                    Some(LicenceState {
                        id: l.id.clone(),
                        name: l.name.clone(),
                        commercial_use: l.commercial_use,
                        mau_limit: l.mau_limit,
                    }),
                )
            }
            None => {
                let zero = Usage {
                    allowance: 0,
                    used: 0,
                    remaining: 0,
                };
                (None, None, None, None, zero, zero, None)
            }
        };
        let refund = match self.judge_latest(at, RefundReason::None, false)? {
            Some((charge, j)) => {
                summary.extend(
                    j.reasons
                        .iter()
                        .filter(|r| {
                            r.rule() == RuleId::Refund3
                                || r.rule() == RuleId::Refund5
                                || r.rule() == RuleId::Refund6
                        })
                        .cloned(),
                );
                Some(RefundState {
                    charge,
                    eligible: j.eligible,
                    rules: j.rules,
                    usage_bp: j.usage_bp,
                    reply_by: j.reply_by,
                })
            }
            None => None,
        };
        let balance = self.pots.balance(now);
        let expiring_next = self.pots.expiring_next(now);
        if !self.pots.pots().is_empty() {
            summary.push(Reason::PrepaidBalance {
                balance,
                next: expiring_next.map(|e| (e.credits, e.expires_at)),
            });
        }
        let terms = match self.created_at {
            Some(created) => {
                let (by, after_update) = opt_out_by(self.local(created)?, None)?;
                summary.push(Reason::ArbitrationOptOut { by, after_update });
                let payments: Vec<Payment> = self
                    .charges
                    .iter()
                    .filter(|c| c.amount > 0)
                    .map(|c| {
                        Ok(Payment {
                            at: self.local(c.at)?,
                            amount_minor: c.amount,
                        })
                    })
                    .collect::<Result<_, RuleError>>()?;
                let refunds: Vec<Payment> = self
                    .refunds
                    .iter()
                    .map(|(t, amount)| {
                        Ok(Payment {
                            at: self.local(*t)?,
                            amount_minor: *amount,
                        })
                    })
                    .collect::<Result<_, RuleError>>()?;
                let (cap, _, why) =
                    liability_cap(&payments, &refunds, now, self.catalogue.currency())?;
                summary.push(why);
                let deleted = match self.closed_at {
                    Some(t) => {
                        let by = add_days(self.local(t)?, 90)?;
                        summary.push(Reason::DataDeletion { by });
                        Some(by)
                    }
                    None => None,
                };
                Some(TermsState {
                    arbitration_opt_out_by: by,
                    data_deleted_by: deleted,
                    liability_cap_minor: cap,
                })
            }
            None => None,
        };
        Ok(LedgerResponse {
            currency: self.catalogue.currency(),
            timeline: self.timeline,
            state: AccountState {
                plan,
                period,
                pending_plan: pending,
                catalogue_version: version,
                credits,
                upload_seconds: uploads,
                credit_balance_minor: self.credit_balance,
                refund,
                licence,
                prepaid: PrepaidState {
                    balance,
                    expiring_next,
                },
                terms,
            },
            ignored_events: ignored,
            explanation: lines(&summary),
            reasons: summary,
        })
    }
}

fn anchor_day(started_at: DateTime<Utc>, zone: &Zone) -> u32 {
    chrono::Datelike::day(&started_at.with_timezone(zone))
}
