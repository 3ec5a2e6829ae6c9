//! A subscription resolved against a catalogue, and what every subscription rule shares:
//! its calendar, its current period on the wire, the calendar reasons of a renewal and
//! the refusals common to all of them.

use chrono::{DateTime, TimeZone, Utc};

use crate::calendar::{Cycle, DstAdjust, Renewal, Schedule, in_zone, parse_zone};
use crate::catalogue::{Catalogue, CatalogueKind, Interval, PlanSpec};
use crate::error::RuleError;
use crate::money::Currency;
use crate::reason::Reason;
use crate::wire::{Period, Subscription};
use crate::zone::Zone;

/// A subscription resolved against a catalogue: its zone, plan, interval, currency and
/// trial, each checked.
pub(crate) struct Sub<'c> {
    pub zone: Zone,
    /// When it started: the trial's start if it began with one (R-TRIAL-3).
    pub started_at: DateTime<Utc>,
    pub plan: &'c PlanSpec,
    /// How often it is billed (R-INTERVAL-1).
    pub interval: Interval,
    /// The currency it is billed in, for good (R-CURRENCY-1).
    pub currency: Currency,
    /// The end of its trial, its first renewal and anchor (R-TRIAL-3).
    pub trial_ends_at: Option<DateTime<Utc>>,
}

impl<'c> Sub<'c> {
    pub(crate) fn resolve(catalogue: &'c Catalogue, sub: &Subscription) -> Result<Self, RuleError> {
        let plan = catalogue.plan(&sub.plan)?;
        let currency = catalogue.priced_currency(sub.currency)?;
        catalogue.price_or_err(plan, sub.interval, currency)?;
        let started_at = sub.started_at.to_utc();
        let trial_ends_at = sub.trial_ends_at.map(|t| t.to_utc());
        if let Some(end) = trial_ends_at {
            if plan.price_minor == 0 {
                return Err(RuleError::Impossible {
                    detail: format!("the free plan `{}` has no trial", plan.id),
                });
            }
            if end <= started_at {
                return Err(RuleError::Impossible {
                    detail: format!(
                        "`trial_ends_at` ({}) must be after `started_at` ({})",
                        end.to_rfc3339(),
                        started_at.to_rfc3339()
                    ),
                });
            }
        }
        Ok(Sub {
            zone: parse_zone(&sub.time_zone)?,
            started_at,
            plan,
            interval: sub.interval,
            currency,
            trial_ends_at,
        })
    }

    pub(crate) fn is_free(&self) -> bool {
        self.plan.price_minor == 0
    }

    /// The anchor of its renewals: the trial's end, or the start (R-CYCLE-1, R-TRIAL-3).
    pub(crate) fn anchor_at(&self) -> DateTime<Utc> {
        self.trial_ends_at.unwrap_or(self.started_at)
    }

    /// Whether its trial is still running at `t` (R-TRIAL-2).
    pub(crate) fn in_trial_at(&self, t: DateTime<Utc>) -> bool {
        self.trial_ends_at.is_some_and(|end| t < end)
    }

    /// How the plan renews: on its anchor every month or year, or on the first of the
    /// month if free.
    pub(crate) fn schedule(&self) -> Schedule {
        if self.is_free() {
            Schedule::FirstOfMonth
        } else {
            Schedule::OnAnchor {
                months: self.interval.months(),
            }
        }
    }

    /// The billing calendar (R-CYCLE, R-INTERVAL-1, R-TRIAL-3).
    pub(crate) fn cycle(&self) -> Cycle<'_, Zone> {
        self.cycle_of(self.schedule())
    }

    /// The allowance calendar: monthly from the anchor whatever the billing interval
    /// (R-INTERVAL-2), with the trial as its first period (R-TRIAL-1).
    pub(crate) fn allowance_cycle(&self) -> Cycle<'_, Zone> {
        let schedule = match self.schedule() {
            Schedule::OnAnchor { .. } => Schedule::MONTHLY,
            free @ Schedule::FirstOfMonth => free,
        };
        self.cycle_of(schedule)
    }

    /// The first reasons of a change within the current period: the subscriber's zone
    /// (R-TIME-1) and the period from `start` to `end` in it (R-CYCLE-5).
    pub(crate) fn period_reasons(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<Reason>, RuleError> {
        Ok(vec![
            Reason::TimeZone {
                zone: self.zone.name().to_owned(),
            },
            Reason::CurrentPeriod {
                start: in_zone(start, &self.zone)?,
                end: in_zone(end, &self.zone)?,
            },
        ])
    }

    /// Why a subscription starting now on a yearly plan still gets its allowance
    /// monthly: its first allowance period, from the start to one month later
    /// (R-INTERVAL-2).
    pub(crate) fn monthly_allowance_reason(&self) -> Result<Reason, RuleError> {
        let first_month = self.allowance_cycle().renewal(1)?;
        Ok(Reason::MonthlyAllowance {
            plan: self.plan.name.clone(),
            start: in_zone(self.started_at, &self.zone)?,
            end: in_zone(first_month.at, &self.zone)?,
        })
    }

    fn cycle_of(&self, schedule: Schedule) -> Cycle<'_, Zone> {
        match self.trial_ends_at {
            Some(end) => Cycle::with_trial(&self.zone, self.started_at, end, schedule),
            None => Cycle::new(&self.zone, self.started_at, schedule),
        }
    }

    /// Its interval and currency, the key of its prices.
    pub(crate) fn billing(&self) -> (Interval, Currency) {
        (self.interval, self.currency)
    }

    /// The price of `plan` per this subscription's interval in its currency, at the price
    /// list that applies to period `k` starting at `period_start` (R-PRICE-LOCK-1,
    /// R-PRICE-CHANGE-1, R-CURRENCY-1).
    pub(crate) fn price_of(
        &self,
        catalogue: &Catalogue,
        plan: &PlanSpec,
        k: u64,
        period_start: DateTime<Utc>,
    ) -> Result<(String, i64), RuleError> {
        catalogue.price_for(
            &plan.id,
            (self.interval, self.currency),
            self.anchor_at(),
            period_start,
            k,
        )
    }
}

/// The period of `cycle` containing `t`, as wire instants.
pub(crate) fn wire_period<Z: TimeZone>(
    zone: &Z,
    start: &Renewal,
    end: &Renewal,
) -> Result<Period, RuleError> {
    Ok(Period {
        start: in_zone(start.at, zone)?,
        end: in_zone(end.at, zone)?,
    })
}

/// Refuses a catalogue that sells no subscriptions.
pub(crate) fn require_subscription(catalogue: &Catalogue) -> Result<(), RuleError> {
    if catalogue.kind() != CatalogueKind::Subscription {
        return Err(RuleError::Impossible {
            detail: format!(
                "catalogue `{}` sells no subscriptions, so it has no plan changes or renewals",
                catalogue.id()
            ),
        });
    }
    Ok(())
}

pub(crate) fn calendar_reasons(
    r: &Renewal,
    anchor_day: u32,
    zone: &Zone,
    out: &mut Vec<Reason>,
) -> Result<(), RuleError> {
    if r.clamped {
        out.push(Reason::MonthEnd {
            renewal: in_zone(r.at, zone)?,
            anchor_day,
        });
    }
    match r.dst {
        Some(DstAdjust::Gap { seconds }) => out.push(Reason::DstGap {
            local: r.local,
            at: in_zone(r.at, zone)?,
            gap_seconds: seconds,
        }),
        Some(DstAdjust::Fold) => out.push(Reason::DstFold {
            local: r.local,
            at: in_zone(r.at, zone)?,
        }),
        None => {}
    }
    Ok(())
}

/// Refuses an instant before the subscription started.
pub(crate) fn before_start(at: DateTime<Utc>, started: DateTime<Utc>) -> RuleError {
    RuleError::Impossible {
        detail: format!(
            "the instant {} is before the subscription started ({})",
            at.to_rfc3339(),
            started.to_rfc3339()
        ),
    }
}
