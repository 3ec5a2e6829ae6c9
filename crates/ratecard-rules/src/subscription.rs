//! A subscription resolved against a catalogue, and what every subscription rule shares:
//! its calendar, its current period on the wire, the calendar reasons of a renewal and
//! the refusals common to all of them.

use chrono::{DateTime, TimeZone, Utc};

use crate::calendar::{Cycle, DstAdjust, Renewal, Schedule, in_zone, parse_zone};
use crate::catalogue::{Catalogue, CatalogueKind, PlanSpec};
use crate::error::RuleError;
use crate::reason::Reason;
use crate::wire::{Period, Subscription};
use crate::zone::Zone;

/// A subscription resolved against a catalogue.
pub(crate) struct Sub<'c> {
    pub zone: Zone,
    pub started_at: DateTime<Utc>,
    pub plan: &'c PlanSpec,
}

impl<'c> Sub<'c> {
    pub(crate) fn resolve(catalogue: &'c Catalogue, sub: &Subscription) -> Result<Self, RuleError> {
        Ok(Sub {
            zone: parse_zone(&sub.time_zone)?,
            started_at: sub.started_at.to_utc(),
            plan: catalogue.plan(&sub.plan)?,
        })
    }

    pub(crate) fn is_free(&self) -> bool {
        self.plan.price_minor == 0
    }

    /// How the plan renews: on its anchor, or on the first of the month if free.
    pub(crate) fn schedule(&self) -> Schedule {
        if self.is_free() {
            Schedule::FirstOfMonth
        } else {
            Schedule::OnAnchor
        }
    }

    pub(crate) fn cycle(&self) -> Cycle<'_, Zone> {
        Cycle::new(&self.zone, self.started_at, self.schedule())
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
