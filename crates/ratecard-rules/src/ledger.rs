//! The support ledger: an account history replayed into a timeline and the state at an
//! instant, applying every rule family on the way.
//!
//! Work is linear in the events plus the renewals between them; the replay refuses
//! histories spanning more than [`MAX_RENEWALS`] renewals.

use crate::zone::Zone;
use chrono::{DateTime, FixedOffset, Utc};

use crate::calendar::{Cycle, Schedule, add_days, in_zone, parse_zone};
use crate::catalogue::{Catalogue, DowngradeTiming, Interval, PlanSpec};
use crate::error::RuleError;
use crate::explain::lines;
use crate::money::{Currency, Money, checked_add_minor, checked_sum_minor};
use crate::plan_change::{
    ImmediateDowngrade, Tax, UpgradeDecision, decide_upgrade, price_reason, prorate, remaining_of,
    tax,
};
use crate::prepaid::Pots;
use crate::quota::{Meter, cost_of};
use crate::reason::{Action, Problem, Reason};
use crate::refund::{RefundCase, judge};
use crate::rule_id::RuleId;
use crate::subscription::require_subscription;
use crate::terms::{liability_cap, opt_out_by};
use crate::trial::{no_trial, trial_end};
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
    /// How it is billed (R-INTERVAL-1).
    interval: Interval,
    /// The anchor of a paid plan (the trial's end after a trial), or the start of the free
    /// calendar.
    started_at: DateTime<Utc>,
    /// The trial's start, when the subscription began with one (R-TRIAL-3).
    trial_start: Option<DateTime<Utc>>,
    /// Renews on the first of the month (free plan) rather than on the anchor, every
    /// month or year.
    schedule: Schedule,
    /// The allowance period: monthly whatever the interval (R-INTERVAL-2).
    k: u64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// The billing period.
    bk: u64,
    bstart: DateTime<Utc>,
    bend: DateTime<Utc>,
    meter: Meter,
    /// A change waiting for the end of the billing period, with its interval.
    pending: Option<(&'c PlanSpec, Interval)>,
}

struct Replay<'c> {
    catalogue: &'c Catalogue,
    zone: Zone,
    /// The account's currency: the catalogue's default until a subscription names one,
    /// then for good (R-CURRENCY-1).
    currency: Currency,
    /// Whether the account ever had a paid subscription or a trial (R-TRIAL-1).
    had_paid_or_trial: bool,
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
        currency: catalogue.currency(),
        had_paid_or_trial: false,
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
        Money::new(amount, self.currency)
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
        match tax(subtotal, self.tax_rate_bp, self.currency)? {
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

    /// The billing and allowance calendars of the current subscription (R-CYCLE,
    /// R-INTERVAL-1, R-INTERVAL-2, R-TRIAL-3).
    fn cycles<'z>(&'z self, c: &Current<'c>) -> (Cycle<'z, Zone>, Cycle<'z, Zone>) {
        let allowance = match c.schedule {
            Schedule::OnAnchor { .. } => Schedule::MONTHLY,
            free @ Schedule::FirstOfMonth => free,
        };
        match c.trial_start {
            Some(start) => (
                Cycle::with_trial(&self.zone, start, c.started_at, c.schedule),
                Cycle::with_trial(&self.zone, start, c.started_at, allowance),
            ),
            None => (
                Cycle::new(&self.zone, c.started_at, c.schedule),
                Cycle::new(&self.zone, c.started_at, allowance),
            ),
        }
    }

    /// Puts the current subscription's billing and allowance periods at those containing
    /// `at`.
    fn locate(&mut self, at: DateTime<Utc>) -> Result<(), RuleError> {
        let Some(c) = self.current.take() else {
            return Ok(());
        };
        let found = {
            let (billing, allowance) = self.cycles(&c);
            billing
                .period_at(at)
                .and_then(|b| Ok((b, allowance.period_at(at)?)))
        };
        let mut c = c;
        let result = found.map(|((bk, bs, be), (k, s, e))| {
            (c.bk, c.bstart, c.bend) = (bk, bs.at, be.at);
            (c.k, c.start, c.end) = (k, s.at, e.at);
        });
        self.current = Some(c);
        result
    }

    /// Moves the current subscription to its next allowance period, and to its next
    /// billing period when `billing`: one renewal each, computed from the anchor
    /// (R-CYCLE-2), where [`Replay::locate`] would search.
    fn step(&mut self, billing: bool) -> Result<(), RuleError> {
        let Some(c) = self.current.take() else {
            return Ok(());
        };
        let next = {
            let (billing_cycle, allowance) = self.cycles(&c);
            let end = allowance.renewal(c.k + 2).map(|r| r.at);
            let bend = if billing {
                billing_cycle.renewal(c.bk + 2).map(|r| Some(r.at))
            } else {
                Ok(None)
            };
            end.and_then(|end| Ok((end, bend?)))
        };
        let mut c = c;
        let result = next.map(|(end, bend)| {
            (c.k, c.start, c.end) = (c.k + 1, c.end, end);
            if let Some(bend) = bend {
                (c.bk, c.bstart, c.bend) = (c.bk + 1, c.bend, bend);
            }
        });
        self.current = Some(c);
        result
    }

    /// Whether the current subscription is in its trial at `t` (R-TRIAL-2).
    fn in_trial(&self, t: DateTime<Utc>) -> bool {
        self.current
            .as_ref()
            .is_some_and(|c| c.trial_start.is_some() && t < c.started_at)
    }

    /// Starts a subscription to `plan` per `interval` at `at`, anchored there (R-CYCLE-1,
    /// R-UPGRADE-3), or at the end of a trial of `trial_days` days (R-TRIAL-1, R-TRIAL-3).
    fn start(
        &mut self,
        plan: &'c PlanSpec,
        interval: Interval,
        trial_days: Option<u32>,
        at: DateTime<Utc>,
        mut why: Vec<Reason>,
    ) -> Result<(), RuleError> {
        let free = plan.price_minor == 0;
        let schedule = if free {
            Schedule::FirstOfMonth
        } else {
            Schedule::OnAnchor {
                months: interval.months(),
            }
        };
        let trial_end = trial_days
            .filter(|_| !free)
            .map(|days| trial_end(&self.zone, at, days))
            .transpose()?;
        self.current = Some(Current {
            plan,
            interval: if free { Interval::Month } else { interval },
            started_at: trial_end.unwrap_or(at),
            trial_start: trial_end.map(|_| at),
            schedule,
            k: 0,
            start: at,
            end: at,
            bk: 0,
            bstart: at,
            bend: at,
            meter: Meter::new(plan, self.catalogue.policy().upload_overflow),
            pending: None,
        });
        self.locate(at)?;
        let (end, bend) = self.current.as_ref().map_or((at, at), |c| (c.end, c.bend));
        if free {
            why.push(Reason::FreeRenewal {
                next: self.local(end)?,
            });
            return self.reset_entry(at, &why);
        }
        self.had_paid_or_trial = true;
        let billing = (interval, self.currency);
        if let (Some(days), Some(ends)) = (trial_days, trial_end) {
            let (_, price) = self.catalogue.price_for(&plan.id, billing, ends, ends, 0)?;
            why.push(Reason::TrialStarts {
                plan: plan.name.clone(),
                days,
                ends_at: self.local(ends)?,
                first_charge: self.money(price),
            });
            why.push(Reason::TrialPeriod {
                start: self.local(at)?,
                end: self.local(ends)?,
            });
            return self.reset_entry(at, &why);
        }
        why.push(match interval {
            Interval::Month => Reason::Anchor {
                plan: plan.name.clone(),
                anchor: self.local(at)?,
            },
            Interval::Year => Reason::YearlyRenewal {
                plan: plan.name.clone(),
                anchor: self.local(at)?,
            },
        });
        if self.currency != self.catalogue.currency() {
            why.push(Reason::BilledIn {
                currency: self.currency,
            });
        }
        let (version, price) = self.catalogue.price_for(&plan.id, billing, at, at, 0)?;
        why.push(Reason::PriceLock {
            version,
            plan: plan.name.clone(),
            price: self.money(price),
        });
        self.charge(at, plan, price, why.clone())?;
        if bend != end {
            why.push(Reason::MonthlyAllowance {
                plan: plan.name.clone(),
                start: self.local(at)?,
                end: self.local(end)?,
            });
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

    /// Walks renewals up to and including `t` (R-CYCLE-5): every allowance period, and the
    /// billing renewals among them (R-INTERVAL-2).
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
            let billing = at >= c.bend;
            let trial_ended = c.trial_start.is_some() && at == c.started_at;
            let mut why = Vec::new();
            let mut rescheduled = false;
            if billing && let Some((next, interval)) = c.pending.take() {
                let (from, from_interval) = (c.plan, c.interval);
                c.plan = next;
                if interval != from_interval {
                    rescheduled = true;
                    c.interval = interval;
                    c.schedule = Schedule::OnAnchor {
                        months: interval.months(),
                    };
                    why.push(Reason::YearlyChangeAtEnd {
                        from: from.name.clone(),
                        to: next.name.clone(),
                        to_interval: interval,
                        effective_at: in_zone(at, &self.zone)?,
                    });
                } else {
                    why.push(Reason::DowngradeAtEnd {
                        from: from.name.clone(),
                        to: next.name.clone(),
                        effective_at: in_zone(at, &self.zone)?,
                    });
                }
            }
            c.meter = Meter::new(c.plan, self.catalogue.policy().upload_overflow);
            let (plan, started_at, schedule, interval) =
                (c.plan, c.started_at, c.schedule, c.interval);
            if rescheduled {
                // A new step between renewals: find the periods afresh.
                self.locate(at)?;
            } else {
                self.step(billing)?;
            }
            let Some(c) = &self.current else {
                return Ok(());
            };
            let (bk, bstart, end) = (c.bk, c.bstart, c.end);
            if schedule == Schedule::FirstOfMonth {
                why.push(Reason::FreeRenewal {
                    next: self.local(at)?,
                });
            } else if billing {
                if trial_ended {
                    why.push(Reason::TrialPeriod {
                        start: self.local(c.trial_start.unwrap_or(started_at))?,
                        end: self.local(started_at)?,
                    });
                }
                why.push(match interval {
                    Interval::Month => Reason::Anchor {
                        plan: plan.name.clone(),
                        anchor: self.local(started_at)?,
                    },
                    Interval::Year => Reason::YearlyRenewal {
                        plan: plan.name.clone(),
                        anchor: self.local(started_at)?,
                    },
                });
                let (billing_cycle, _) = self.cycles(c);
                let r = billing_cycle.renewal(bk)?;
                crate::subscription::calendar_reasons(
                    &r,
                    anchor_day(started_at, &self.zone),
                    &self.zone,
                    &mut why,
                )?;
                let (_, price, reason) = price_reason(
                    self.catalogue,
                    plan,
                    (interval, self.currency),
                    &self.zone,
                    started_at,
                    bk,
                    bstart,
                )?;
                why.push(reason);
                if price > 0 {
                    self.charge(at, plan, price, why.clone())?;
                }
            } else {
                why.push(Reason::MonthlyAllowance {
                    plan: plan.name.clone(),
                    start: self.local(at)?,
                    end: self.local(end)?,
                });
            }
            self.reset_entry(at, &why)?;
        }
    }

    fn apply(&mut self, e: &LedgerEvent, t: DateTime<Utc>) -> Result<(), RuleError> {
        match e {
            LedgerEvent::Subscribe {
                plan,
                interval,
                currency,
                trial,
                ..
            } => self.subscribe(plan, interval.unwrap_or_default(), *currency, *trial, t),
            LedgerEvent::Upgrade {
                to_plan,
                to_interval,
                ..
            } => self.upgrade(to_plan, *to_interval, t),
            LedgerEvent::Downgrade {
                to_plan,
                to_interval,
                ..
            } => self.downgrade(to_plan, *to_interval, t),
            LedgerEvent::IntervalChange {
                to_plan,
                to_interval,
                ..
            } => self.change(to_plan, *to_interval, t),
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
                let currency = self.currency;
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

    fn subscribe(
        &mut self,
        plan: &str,
        interval: Interval,
        currency: Option<Currency>,
        trial: bool,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        require_subscription(self.catalogue)?;
        let plan = self.catalogue.plan(plan)?;
        match &self.current {
            Some(c) if c.plan.price_minor > 0 => {
                self.refuse(t, Action::Subscribe, Some(plan), Problem::AlreadyPaid)?;
                return Ok(());
            }
            _ => {}
        }
        // R-CURRENCY-1: the account's currency is set by its first paid subscription and
        // kept for good.
        if let Some(currency) = currency {
            let currency = self.catalogue.priced_currency(Some(currency))?;
            if currency != self.currency && self.had_paid_or_trial {
                return Err(RuleError::Impossible {
                    detail: format!(
                        "the account is billed in {}, and a subscription keeps its currency \
                         (R-CURRENCY-1); it cannot subscribe in {}",
                        self.currency.code(),
                        currency.code()
                    ),
                });
            }
            self.currency = currency;
        }
        self.catalogue.price_or_err(plan, interval, self.currency)?;
        if plan.price_minor > 0 && self.current.is_some() {
            return self.change(&plan.id, interval, t);
        }
        // R-TRIAL-1: a trial only for a plan that offers one and an account that never had
        // a paid subscription or a trial; otherwise the plan is paid at once.
        let trial_days = plan.trial_days.filter(|_| trial && !self.had_paid_or_trial);
        let mut why = Vec::new();
        if trial && trial_days.is_none() && plan.price_minor > 0 {
            why.extend(no_trial(plan));
        }
        self.start(plan, interval, trial_days, t, why)
    }

    /// The price of `plan` per `interval` in the account's currency for the current
    /// billing period.
    fn period_price(&self, plan: &PlanSpec, interval: Interval) -> Result<i64, RuleError> {
        let c = self.current.as_ref().ok_or_else(|| RuleError::Impossible {
            detail: "there is no subscription".to_owned(),
        })?;
        let billing = (interval, self.currency);
        Ok(self
            .catalogue
            .price_for(&plan.id, billing, c.started_at, c.bstart, c.bk)?
            .1)
    }

    /// Any change of plan or interval, decided as the change preview decides it
    /// (R-UPGRADE, R-DOWNGRADE-1, R-INTERVAL-4 to R-INTERVAL-6, R-TRIAL-2).
    fn change(
        &mut self,
        to: &str,
        to_interval: Interval,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        require_subscription(self.catalogue)?;
        let to = self.catalogue.plan(to)?;
        let Some(c) = &self.current else {
            self.refuse(t, Action::Upgrade, Some(to), Problem::NoSubscription)?;
            return Ok(());
        };
        if to.price_minor == 0 {
            return self.cancel(false, t);
        }
        let (from, from_interval) = (c.plan, c.interval);
        if from.price_minor == 0 {
            return self.upgrade(&to.id, Some(to_interval), t);
        }
        if self.in_trial(t) {
            return self.trial_change(to, to_interval, t);
        }
        match (from_interval, to_interval) {
            (Interval::Month, Interval::Year) => self.switch_to_yearly(to, t),
            (Interval::Year, Interval::Month) => self.schedule_change(to, to_interval, t),
            (interval, _) => {
                if to.id == from.id {
                    self.refuse(t, Action::Upgrade, Some(to), Problem::NotDearer)?;
                    return Ok(());
                }
                let old = self.period_price(from, interval)?;
                let new = self.period_price(to, interval)?;
                if new > old {
                    self.upgrade(&to.id, Some(to_interval), t)
                } else {
                    self.downgrade(&to.id, Some(to_interval), t)
                }
            }
        }
    }

    /// A change during a trial (R-TRIAL-2): at once, nothing charged, the trial's end
    /// kept, the new plan's allowance for the trial with the usage so far counted.
    fn trial_change(
        &mut self,
        to: &'c PlanSpec,
        to_interval: Interval,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        self.catalogue
            .price_or_err(to, to_interval, self.currency)?;
        let Some(c) = &mut self.current else {
            return Ok(());
        };
        c.plan = to;
        c.interval = to_interval;
        c.schedule = Schedule::OnAnchor {
            months: to_interval.months(),
        };
        c.pending = None;
        c.meter.credit_allowance = to.credits_per_period;
        c.meter.upload_allowance = u64::from(to.upload_seconds_per_period);
        c.meter.crop = u64::from(to.upload_crop_seconds);
        let (ends, used) = (c.started_at, c.meter.credits_used);
        self.locate(t)?;
        let (_, price) =
            self.catalogue
                .price_for(&to.id, (to_interval, self.currency), ends, ends, 0)?;
        let why = [
            Reason::TrialChange {
                to: to.name.clone(),
                ends_at: self.local(ends)?,
                then_charged: self.money(price),
            },
            Reason::UpgradeAllowance {
                plan: to.name.clone(),
                credits: to.credits_per_period,
                used: Some(used),
                prorated: false,
            },
        ];
        self.push(
            t,
            EntryKind::PlanChange,
            None,
            Some(to.credits_per_period),
            &why,
        )
    }

    /// A change that waits for the end of the billing period (R-DOWNGRADE-1,
    /// R-INTERVAL-6).
    fn schedule_change(
        &mut self,
        to: &'c PlanSpec,
        to_interval: Interval,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        self.catalogue
            .price_or_err(to, to_interval, self.currency)?;
        let Some(c) = &mut self.current else {
            return Ok(());
        };
        c.pending = Some((to, to_interval));
        let (from, from_interval, bend) = (c.plan, c.interval, c.bend);
        let mut why = Vec::new();
        if from_interval == Interval::Year {
            why.push(Reason::YearlyChangeAtEnd {
                from: from.name.clone(),
                to: to.name.clone(),
                to_interval,
                effective_at: self.local(bend)?,
            });
        }
        why.push(Reason::DowngradeAtEnd {
            from: from.name.clone(),
            to: to.name.clone(),
            effective_at: self.local(bend)?,
        });
        self.push(t, EntryKind::ChangeScheduled, None, None, &why)
    }

    /// A monthly plan to a yearly one (R-INTERVAL-4): at once, a credit for the unused
    /// monthly time, the full yearly price, tax on their sum; a new anchor and a new
    /// allowance period with the new plan's full allowance.
    fn switch_to_yearly(&mut self, to: &'c PlanSpec, t: DateTime<Utc>) -> Result<(), RuleError> {
        let Some(c) = &self.current else {
            return Ok(());
        };
        let (from, bstart, bend) = (c.plan, c.bstart, c.bend);
        let old = self.period_price(from, Interval::Month)?;
        let (_, yearly) =
            self.catalogue
                .price_for(&to.id, (Interval::Year, self.currency), t, t, 0)?;
        if yearly < old {
            self.refuse(t, Action::Upgrade, Some(to), Problem::NotDearer)?;
            return Ok(());
        }
        let remaining = remaining_of(t, bstart, bend);
        let (credit, _) = prorate(old, 0, remaining)?;
        // The entries below name the plan in force after them: the new one.
        if let Some(c) = &mut self.current {
            c.plan = to;
            c.interval = Interval::Year;
            c.schedule = Schedule::OnAnchor { months: 12 };
            c.started_at = t;
            c.trial_start = None;
            c.pending = None;
            c.meter = Meter::new(to, self.catalogue.policy().upload_overflow);
        }
        let change = [Reason::ToYearly {
            from: from.name.clone(),
            to: to.name.clone(),
            price: self.money(yearly),
            anchor: self.local(t)?,
        }];
        self.push(t, EntryKind::PlanChange, None, None, &change)?;
        let credit_why = [Reason::UnusedCredit {
            plan: from.name.clone(),
            seconds_left: remaining.seconds_left,
            seconds_in_period: remaining.seconds_in_period,
            amount: self.money(credit),
        }];
        self.push(t, EntryKind::Credit, Some(credit), None, &credit_why)?;
        let charge_why = [Reason::YearlyRenewal {
            plan: to.name.clone(),
            anchor: self.local(t)?,
        }];
        self.push(t, EntryKind::Charge, Some(yearly), None, &charge_why)?;
        let total = self.push_tax(t, checked_sum_minor([credit, yearly])?)?;
        self.charges.push(ChargeRec {
            at: t,
            amount: total,
            plan: Some(to),
        });
        self.locate(t)?;
        let end = self.current.as_ref().map_or(t, |c| c.end);
        let why = [Reason::MonthlyAllowance {
            plan: to.name.clone(),
            start: self.local(t)?,
            end: self.local(end)?,
        }];
        self.reset_entry(t, &why)
    }

    fn upgrade(
        &mut self,
        to: &str,
        to_interval: Option<Interval>,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        require_subscription(self.catalogue)?;
        let to = self.catalogue.plan(to)?;
        let Some(c) = &self.current else {
            self.refuse(t, Action::Upgrade, Some(to), Problem::NoSubscription)?;
            return Ok(());
        };
        let to_interval = to_interval.unwrap_or(if c.plan.price_minor == 0 {
            Interval::Month
        } else {
            c.interval
        });
        if to.price_minor == 0 || (to.id == c.plan.id && to_interval == c.interval) {
            self.refuse(t, Action::Upgrade, Some(to), Problem::NotDearer)?;
            return Ok(());
        }
        if c.plan.price_minor == 0 {
            // R-UPGRADE-3: from the free plan, a new paid subscription anchored now.
            let (_, price) =
                self.catalogue
                    .price_for(&to.id, (to_interval, self.currency), t, t, 0)?;
            let why = vec![Reason::FromFree {
                to: to.name.clone(),
                price: self.money(price),
                anchor: self.local(t)?,
            }];
            return self.start(to, to_interval, None, t, why);
        }
        if self.in_trial(t) {
            return self.trial_change(to, to_interval, t);
        }
        match (c.interval, to_interval) {
            (Interval::Month, Interval::Year) => return self.switch_to_yearly(to, t),
            (Interval::Year, Interval::Month) => {
                return self.schedule_change(to, to_interval, t);
            }
            _ => {}
        }
        let (from, interval, bstart, bend) = (c.plan, c.interval, c.bstart, c.bend);
        let old_price = self.period_price(from, interval)?;
        let new_price = self.period_price(to, interval)?;
        let up = match decide_upgrade(
            self.catalogue,
            (from, old_price),
            (to, new_price),
            (bstart, bend),
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
        let mut change = vec![Reason::UpgradeNow {
            from: from.name.clone(),
            to: to.name.clone(),
            next_renewal: self.local(bend)?,
        }];
        if interval == Interval::Year {
            change.push(Reason::YearlyUpgrade {
                from: from.name.clone(),
                to: to.name.clone(),
                start: self.local(bstart)?,
                end: self.local(bend)?,
            });
        }
        change.push(up.allowance_reason(self.catalogue, to, Some(used)));
        self.push(t, EntryKind::PlanChange, None, Some(up.allowance), &change)?;
        let currency = self.currency;
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

    fn downgrade(
        &mut self,
        to: &str,
        to_interval: Option<Interval>,
        t: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        require_subscription(self.catalogue)?;
        let to = self.catalogue.plan(to)?;
        let Some(c) = &self.current else {
            self.refuse(t, Action::Downgrade, Some(to), Problem::NoSubscription)?;
            return Ok(());
        };
        if to.price_minor == 0 {
            return self.cancel(false, t);
        }
        let to_interval = to_interval.unwrap_or(c.interval);
        if c.plan.price_minor > 0 && self.in_trial(t) {
            return self.trial_change(to, to_interval, t);
        }
        let (from, interval, bstart, bend) = (c.plan, c.interval, c.bstart, c.bend);
        if from.price_minor > 0 {
            match (interval, to_interval) {
                (Interval::Month, Interval::Year) => return self.switch_to_yearly(to, t),
                (Interval::Year, Interval::Month) => {
                    return self.schedule_change(to, to_interval, t);
                }
                _ => {}
            }
        }
        let old_price = self.period_price(from, interval)?;
        let new_price = self.period_price(to, interval)?;
        if from.price_minor == 0 || new_price >= old_price {
            self.refuse(t, Action::Downgrade, Some(to), Problem::NotCheaper)?;
            return Ok(());
        }
        // A yearly plan always waits for the end of its year (R-INTERVAL-6).
        let timing = match interval {
            Interval::Month => self.catalogue.policy().downgrade,
            Interval::Year => DowngradeTiming::EndOfPeriod,
        };
        match timing {
            DowngradeTiming::EndOfPeriod => self.schedule_change(to, to_interval, t)?,
            DowngradeTiming::ImmediateCredit => {
                let down = ImmediateDowngrade::decide(old_price, new_price, (bstart, bend), t)?;
                let balance = down.balance()?;
                self.credit_balance = checked_add_minor(self.credit_balance, balance)?;
                if let Some(c) = &mut self.current {
                    c.plan = to;
                    c.pending = None;
                    c.meter.credit_allowance = to.credits_per_period;
                    c.meter.upload_allowance = u64::from(to.upload_seconds_per_period);
                    c.meter.crop = u64::from(to.upload_crop_seconds);
                }
                let [credit_why, charge_why] = down.proration_reasons(from, to, self.currency);
                let why = [
                    credit_why,
                    charge_why,
                    down.outcome_reason(from, to, self.currency)?,
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
        let (interval, allowance_end) = (c.interval, c.end);
        let mut lost = vec![Reason::CancelNow {
            from: from.name.clone(),
            lost_credits,
            lost_upload_seconds: lost_upload,
        }];
        if self.in_trial(t) {
            lost.push(Reason::TrialCancel);
        } else if interval == Interval::Year {
            lost.push(Reason::YearlyCancel {
                allowance_end: self.local(allowance_end)?,
            });
        }
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
        self.start(free, Interval::Month, None, t, why)
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
        let (interval, billing_period, trial_ends_at, pending_interval) = match &self.current {
            Some(c) => (
                Some(c.interval),
                if c.bstart == c.start && c.bend == c.end {
                    None
                } else {
                    Some(Period {
                        start: self.local(c.bstart)?,
                        end: self.local(c.bend)?,
                    })
                },
                if self.in_trial(at) {
                    Some(self.local(c.started_at)?)
                } else {
                    None
                },
                c.pending.map(|(_, i)| i),
            ),
            None => (None, None, None, None),
        };
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
                            .price_for(
                                &c.plan.id,
                                (c.interval, self.currency),
                                c.started_at,
                                c.bstart,
                                c.bk,
                            )?
                            .0,
                    )
                };
                (
                    Some(c.plan.id.clone()),
                    Some(Period {
                        start: self.local(c.start)?,
                        end: self.local(c.end)?,
                    }),
                    c.pending.map(|(p, _)| p.id.clone()),
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
                let (cap, _, why) = liability_cap(&payments, &refunds, now, self.currency)?;
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
            currency: self.currency,
            timeline: self.timeline,
            state: AccountState {
                plan,
                interval,
                period,
                billing_period,
                trial_ends_at,
                pending_plan: pending,
                pending_interval,
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
