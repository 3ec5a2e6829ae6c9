//! Renewals and plan changes: R-CYCLE, R-UPGRADE-1 to R-UPGRADE-4, R-DOWNGRADE-1,
//! R-CANCEL-1, R-CANCEL-2, R-PRICE-LOCK-1 and R-PRICE-CHANGE-1.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::calendar::{Cycle, DstAdjust, Schedule, in_zone};
use crate::catalogue::{Catalogue, DowngradeTiming, Interval, PlanSpec, UpgradeAllowance};
use crate::error::RuleError;
use crate::explain::{line_description, lines};
use crate::money::{Currency, Fraction, Money, checked_sum_minor};
use crate::reason::Reason;
use crate::rule_id::RuleId;
use crate::subscription::{Sub, before_start, calendar_reasons, require_subscription, wire_period};
use crate::wire::{
    Allowance, CancelPreview, CancelRequest, DowngradePreview, Line, LineKind, Period,
    PlanChangeRequest, Remaining, RenewalDetail, RenewalsRequest, RenewalsResponse, Subscription,
    UpgradePreview,
};

/// The tax of R-MONEY-3 on a subtotal.
pub(crate) enum Tax {
    /// No rate was given: no tax line and no reason.
    NoRate,
    /// The subtotal is negative: no tax, and the reason says so.
    OnCredit(Reason),
    /// The tax due on the subtotal, with its reason.
    Due {
        /// The tax in minor units.
        amount: i64,
        /// [`Reason::Tax`].
        reason: Reason,
    },
}

/// The tax of R-MONEY-3 on `subtotal` at `rate_bp`, if a rate is given.
pub(crate) fn tax(
    subtotal: i64,
    rate_bp: Option<u32>,
    currency: Currency,
) -> Result<Tax, RuleError> {
    let Some(rate_bp) = rate_bp else {
        return Ok(Tax::NoRate);
    };
    let subtotal_money = Money::new(subtotal, currency);
    if subtotal < 0 {
        // R-MONEY-3: no tax on a negative subtotal.
        return Ok(Tax::OnCredit(Reason::NoTaxOnCredit {
            subtotal: subtotal_money,
        }));
    }
    let amount = Fraction::from_basis_points(rate_bp).apply(subtotal)?;
    Ok(Tax::Due {
        amount,
        reason: Reason::Tax {
            rate_bp,
            subtotal: subtotal_money,
            tax: Money::new(amount, currency),
        },
    })
}

/// Appends the tax line of R-MONEY-3 for `subtotal`, if a rate is given.
pub(crate) fn push_tax(
    subtotal: i64,
    rate_bp: Option<u32>,
    currency: Currency,
    out: &mut Vec<Line>,
    reasons: &mut Vec<Reason>,
) -> Result<(), RuleError> {
    match tax(subtotal, rate_bp, currency)? {
        Tax::NoRate => {}
        Tax::OnCredit(reason) => reasons.push(reason),
        Tax::Due { amount, reason } => {
            out.push(Line {
                kind: LineKind::Tax,
                amount_minor: amount,
                description: line_description(LineKind::Tax, "", false),
                rule: RuleId::Money3.into(),
            });
            reasons.push(reason);
        }
    }
    Ok(())
}

/// An upgrade in the middle of a paid period, decided (R-UPGRADE-1, R-UPGRADE-2,
/// R-UPGRADE-4): the preview and the ledger both apply this one decision.
pub(crate) enum UpgradeDecision {
    /// The target plan's price for the period is not above the current one's.
    NotDearer,
    /// An upgrade, prorated over the rest of the period.
    Prorated(MidPeriodUpgrade),
}

/// The numbers of a mid-period upgrade.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MidPeriodUpgrade {
    /// How much of the period is left.
    pub remaining: Remaining,
    /// The credit for the unused time on the old plan; negative.
    pub credit: i64,
    /// The charge for the rest of the period on the new plan.
    pub charge: i64,
    /// The credit allowance for the rest of the period (R-UPGRADE-4).
    pub allowance: u64,
}

/// Decides an upgrade from `from` at `old_price` to `to` at `new_price` (both the prices
/// of the current period) at `at`, in the period `[start, end)`.
pub(crate) fn decide_upgrade(
    catalogue: &Catalogue,
    (from, old_price): (&PlanSpec, i64),
    (to, new_price): (&PlanSpec, i64),
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    at: DateTime<Utc>,
) -> Result<UpgradeDecision, RuleError> {
    if new_price <= old_price {
        return Ok(UpgradeDecision::NotDearer);
    }
    let remaining = remaining_of(at, start, end);
    let (credit, charge) = prorate(old_price, new_price, remaining)?;
    Ok(UpgradeDecision::Prorated(MidPeriodUpgrade {
        remaining,
        credit,
        charge,
        allowance: upgraded_allowance(catalogue, from, to, remaining),
    }))
}

impl MidPeriodUpgrade {
    /// The reason of the credit line (R-UPGRADE-2).
    pub(crate) fn credit_reason(&self, from: &PlanSpec, currency: Currency) -> Reason {
        Reason::UnusedCredit {
            plan: from.name.clone(),
            seconds_left: self.remaining.seconds_left,
            seconds_in_period: self.remaining.seconds_in_period,
            amount: Money::new(self.credit, currency),
        }
    }

    /// The reason of the charge line (R-UPGRADE-2).
    pub(crate) fn charge_reason(&self, to: &PlanSpec, currency: Currency) -> Reason {
        Reason::RemainingCharge {
            plan: to.name.clone(),
            seconds_left: self.remaining.seconds_left,
            seconds_in_period: self.remaining.seconds_in_period,
            amount: Money::new(self.charge, currency),
        }
    }

    /// The reason of the allowance (R-UPGRADE-4); `used` is what the period has used so
    /// far, when known.
    pub(crate) fn allowance_reason(
        &self,
        catalogue: &Catalogue,
        to: &PlanSpec,
        used: Option<u64>,
    ) -> Reason {
        Reason::UpgradeAllowance {
            plan: to.name.clone(),
            credits: self.allowance,
            used,
            prorated: catalogue.policy().upgrade_allowance == UpgradeAllowance::Prorated,
        }
    }

    /// The credit and the charge together, before tax.
    pub(crate) fn subtotal(&self) -> Result<i64, RuleError> {
        checked_sum_minor([self.credit, self.charge])
    }
}

/// A downgrade at once with the unused difference kept as a credit balance, decided
/// (R-DOWNGRADE-1's alternative policy): the preview and the ledger both apply it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ImmediateDowngrade {
    /// How much of the period is left.
    pub remaining: Remaining,
    /// The credit for the unused time on the old plan; negative.
    pub credit: i64,
    /// The charge for the rest of the period on the new plan.
    pub charge: i64,
}

impl ImmediateDowngrade {
    /// Prorates `old_price` and `new_price` over the rest of `[start, end)` at `at`.
    pub(crate) fn decide(
        old_price: i64,
        new_price: i64,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        at: DateTime<Utc>,
    ) -> Result<Self, RuleError> {
        let remaining = remaining_of(at, start, end);
        let (credit, charge) = prorate(old_price, new_price, remaining)?;
        Ok(ImmediateDowngrade {
            remaining,
            credit,
            charge,
        })
    }

    /// The credit and the charge together; never above 0, so never taxed (R-MONEY-3).
    pub(crate) fn subtotal(&self) -> Result<i64, RuleError> {
        checked_sum_minor([self.credit, self.charge])
    }

    /// The credit balance the change leaves, as a positive amount.
    pub(crate) fn balance(&self) -> Result<i64, RuleError> {
        Ok(self
            .subtotal()?
            .checked_neg()
            .ok_or(RuleError::Overflow {
                what: "negating a credit",
            })?
            .max(0))
    }

    /// The reasons of the credit and the charge (R-UPGRADE-2's proration).
    pub(crate) fn proration_reasons(
        &self,
        from: &PlanSpec,
        to: &PlanSpec,
        currency: Currency,
    ) -> [Reason; 2] {
        [
            Reason::UnusedCredit {
                plan: from.name.clone(),
                seconds_left: self.remaining.seconds_left,
                seconds_in_period: self.remaining.seconds_in_period,
                amount: Money::new(self.credit, currency),
            },
            Reason::RemainingCharge {
                plan: to.name.clone(),
                seconds_left: self.remaining.seconds_left,
                seconds_in_period: self.remaining.seconds_in_period,
                amount: Money::new(self.charge, currency),
            },
        ]
    }

    /// The reason of the change and its balance (R-DOWNGRADE-1).
    pub(crate) fn outcome_reason(
        &self,
        from: &PlanSpec,
        to: &PlanSpec,
        currency: Currency,
    ) -> Result<Reason, RuleError> {
        Ok(Reason::DowngradeNow {
            from: from.name.clone(),
            to: to.name.clone(),
            credit: Money::new(self.balance()?, currency),
        })
    }
}

/// The price of `plan` for period `k` (starting at `start`) of a subscription that started
/// at `started_at`, with the version label and the reason: the price list kept for the
/// initial term (R-PRICE-LOCK-1), or a newer one that reached the subscription at a
/// renewal (R-PRICE-CHANGE-1).
pub(crate) fn price_reason<Z: TimeZone>(
    catalogue: &Catalogue,
    plan: &PlanSpec,
    billing: Billing,
    zone: &Z,
    started_at: DateTime<Utc>,
    k: u64,
    start: DateTime<Utc>,
) -> Result<(String, i64, Reason), RuleError> {
    let (version, price) = catalogue.price_for(&plan.id, billing, started_at, start, k)?;
    let money = Money::new(price, billing.1);
    let (locked, _) = catalogue.price_for(&plan.id, billing, started_at, started_at, 0)?;
    let reason = if version == locked {
        Reason::PriceLock {
            version: version.clone(),
            plan: plan.name.clone(),
            price: money,
        }
    } else {
        let effective = catalogue
            .version_effective_from(&version)
            .unwrap_or(started_at);
        Reason::PriceChange {
            version: version.clone(),
            plan: plan.name.clone(),
            price: money,
            from: in_zone(
                first_renewal_from(catalogue, billing.0, zone, started_at, effective)?,
                zone,
            )?,
        }
    };
    Ok((version, price, reason))
}

/// [`price_reason`] for a resolved subscription, as a price and a list of reasons.
pub(crate) fn price_reasons(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    plan: &PlanSpec,
    k: u64,
    start: DateTime<Utc>,
) -> Result<(i64, Vec<Reason>), RuleError> {
    let (_, price, reason) = price_reason(
        catalogue,
        plan,
        sub.billing(),
        &sub.zone,
        sub.anchor_at(),
        k,
        start,
    )?;
    Ok((price, vec![reason]))
}

/// The first renewal on or after `effective`, and not inside the initial term
/// (R-PRICE-CHANGE-1).
fn first_renewal_from<Z: TimeZone>(
    catalogue: &Catalogue,
    interval: Interval,
    zone: &Z,
    started_at: DateTime<Utc>,
    effective: DateTime<Utc>,
) -> Result<DateTime<Utc>, RuleError> {
    let months = interval.months();
    let cycle = Cycle::new(zone, started_at, Schedule::OnAnchor { months });
    let effective = effective.max(started_at);
    let (k, start, _) = cycle.period_at(effective)?;
    let first = if start.at == effective { k } else { k + 1 };
    let first = first.max(u64::from(catalogue.policy().initial_term_periods));
    Ok(cycle.renewal(first)?.at)
}

/// The price key of a subscription: its interval and currency (R-INTERVAL-1,
/// R-CURRENCY-1).
pub(crate) type Billing = (Interval, Currency);

/// The reasons of a paid subscription's anchor: its trial (R-TRIAL-3), its currency when
/// it is not the only one (R-CURRENCY-1), and its renewal day (R-CYCLE-1, R-INTERVAL-1).
pub(crate) fn anchor_reasons(sub: &Sub<'_>, reasons: &mut Vec<Reason>) -> Result<(), RuleError> {
    if let Some(end) = sub.trial_ends_at {
        reasons.push(Reason::TrialPeriod {
            start: in_zone(sub.started_at, &sub.zone)?,
            end: in_zone(end, &sub.zone)?,
        });
    }
    let anchor = in_zone(sub.anchor_at(), &sub.zone)?;
    reasons.push(match sub.interval {
        Interval::Month => Reason::Anchor {
            plan: sub.plan.name.clone(),
            anchor,
        },
        Interval::Year => Reason::YearlyRenewal {
            plan: sub.plan.name.clone(),
            anchor,
        },
    });
    Ok(())
}

/// `POST /api/v1/renewals`.
pub(crate) fn renewals(
    catalogue: &Catalogue,
    req: &RenewalsRequest,
) -> Result<RenewalsResponse, RuleError> {
    require_subscription(catalogue)?;
    if !(1..=120).contains(&req.count) {
        return Err(RuleError::Impossible {
            detail: format!("count must be 1 to 120, got {}", req.count),
        });
    }
    let sub = Sub::resolve(catalogue, &req.subscription)?;
    let cycle = sub.cycle();
    let anchor = cycle.renewal(0)?;
    let anchor_day = chrono::Datelike::day(&anchor.local);
    let mut reasons = vec![Reason::TimeZone {
        zone: req.subscription.time_zone.clone(),
    }];
    if sub.is_free() {
        reasons.push(Reason::FreeRenewal {
            next: in_zone(cycle.renewal(1)?.at, &sub.zone)?,
        });
    } else {
        anchor_reasons(&sub, &mut reasons)?;
        billed_in(catalogue, &sub, &mut reasons);
        if sub.interval == Interval::Year {
            reasons.push(Reason::InitialTerm {
                periods: catalogue.policy().initial_term_periods,
                interval: sub.interval,
            });
        }
    }
    let mut out = Vec::new();
    let mut details = Vec::new();
    let mut last_version: Option<String> = None;
    for k in 1..=u64::from(req.count) {
        let r = cycle.renewal(k)?;
        calendar_reasons(&r, anchor_day, &sub.zone, &mut reasons)?;
        let (version, price, why) = price_reason(
            catalogue,
            sub.plan,
            sub.billing(),
            &sub.zone,
            sub.anchor_at(),
            k,
            r.at,
        )?;
        if last_version.as_deref() != Some(version.as_str()) {
            reasons.push(why);
            last_version = Some(version.clone());
        }
        let adjustment = match (r.dst, r.clamped) {
            (Some(DstAdjust::Gap { .. }), _) => Some("dst-gap"),
            (Some(DstAdjust::Fold), _) => Some("dst-fold"),
            (None, true) => Some("month-end"),
            (None, false) => None,
        };
        let at = in_zone(r.at, &sub.zone)?;
        out.push(at);
        details.push(RenewalDetail {
            at,
            local: crate::calendar::wall_clock(at.naive_local(), true).replacen(' ', "T", 1),
            price_minor: price,
            catalogue_version: version,
            adjustment: adjustment.map(str::to_owned),
        });
    }
    Ok(RenewalsResponse {
        renewals: out,
        details,
        currency: sub.currency,
        explanation: lines(&reasons),
        reasons,
    })
}

/// The most reasons an upgrade preview gives: the time zone, the period, the price, the
/// change, the credit, the charge, the tax, the allowance, the minor units and the sum.
const UPGRADE_REASONS: usize = 10;

/// The most lines an upgrade preview has: a credit, a charge and the tax.
const UPGRADE_LINES: usize = 3;

/// `POST /api/v1/previews/upgrade`.
pub(crate) fn upgrade(
    catalogue: &Catalogue,
    req: &PlanChangeRequest,
) -> Result<UpgradePreview, RuleError> {
    require_subscription(catalogue)?;
    let sub = Sub::resolve(catalogue, &req.subscription)?;
    let to = catalogue.plan(&req.to_plan)?;
    let at = req.at.to_utc();
    if at < sub.started_at {
        return Err(before_start(at, sub.started_at));
    }
    if to.id == sub.plan.id {
        return Err(RuleError::Impossible {
            detail: format!("the subscription is already on `{}`", to.id),
        });
    }
    if to.price_minor == 0 {
        return Err(RuleError::Impossible {
            detail: format!(
                "moving to the free plan `{}` is a cancellation; use the cancel preview",
                to.id
            ),
        });
    }
    if sub.is_free() {
        return start_paid(catalogue, &sub, to, Interval::Month, at, req.tax_rate_bp);
    }
    if sub.in_trial_at(at) {
        return trial_change(catalogue, &sub, to, sub.interval, at);
    }
    mid_period_upgrade(catalogue, &sub, to, at, req.tax_rate_bp)
}

/// A change during a trial (R-TRIAL-2): nothing is charged now, the trial keeps its end,
/// the new plan's allowance applies to the trial with the usage so far counting against
/// it, and the new choice's price is charged when the trial ends.
pub(crate) fn trial_change(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    to_interval: Interval,
    at: DateTime<Utc>,
) -> Result<UpgradePreview, RuleError> {
    let currency = sub.currency;
    let (_, start, end) = sub.cycle().period_at(at)?;
    let price = catalogue.price_or_err(to, to_interval, currency)?;
    let ends_at = in_zone(end.at, &sub.zone)?;
    let mut reasons = vec![
        Reason::TimeZone {
            zone: sub.zone.name().to_owned(),
        },
        Reason::TrialPeriod {
            start: in_zone(start.at, &sub.zone)?,
            end: ends_at,
        },
    ];
    billed_in(catalogue, sub, &mut reasons);
    reasons.push(Reason::TrialChange {
        to: to.name.clone(),
        ends_at,
        then_charged: Money::new(price, currency),
    });
    reasons.push(Reason::UpgradeAllowance {
        plan: to.name.clone(),
        credits: to.credits_per_period,
        used: None,
        prorated: false,
    });
    Ok(UpgradePreview {
        from_plan: sub.plan.id.clone(),
        to_plan: to.id.clone(),
        due_now: Money::new(0, currency),
        lines: Vec::new(),
        period: wire_period(&sub.zone, &start, &end)?,
        next_renewal: ends_at,
        anchor: ends_at,
        remaining: None,
        allowance: Allowance {
            credits: to.credits_per_period,
            upload_seconds: u64::from(to.upload_seconds_per_period),
        },
        explanation: lines(&reasons),
        reasons,
    })
}

/// A paid subscription to `to` per `interval` starting at `at`, from the free plan
/// `sub` (R-UPGRADE-3; R-INTERVAL-6 for a yearly one): the full price plus tax is due now
/// and `at` becomes the anchor.
pub(crate) fn start_paid(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    interval: Interval,
    at: DateTime<Utc>,
    tax_rate_bp: Option<u32>,
) -> Result<UpgradePreview, RuleError> {
    let currency = sub.currency;
    let mut reasons = Vec::with_capacity(UPGRADE_REASONS);
    reasons.push(Reason::TimeZone {
        zone: sub.zone.name().to_owned(),
    });
    let mut out = Vec::with_capacity(UPGRADE_LINES);
    let new_sub = Sub {
        zone: sub.zone,
        started_at: at,
        plan: to,
        interval,
        currency,
        trial_ends_at: None,
    };
    let cycle = new_sub.cycle();
    let next = cycle.renewal(1)?;
    let (price, price_why) = price_reasons(catalogue, &new_sub, to, 0, at)?;
    let anchor = in_zone(at, &sub.zone)?;
    reasons.push(Reason::FromFree {
        to: to.name.clone(),
        price: Money::new(price, currency),
        anchor,
    });
    if interval == Interval::Year {
        reasons.push(Reason::YearlyFromOrToFree {
            plan: to.name.clone(),
            to_yearly: true,
        });
    }
    anchor_reasons(&new_sub, &mut reasons)?;
    billed_in(catalogue, &new_sub, &mut reasons);
    reasons.extend(price_why);
    out.push(Line {
        kind: LineKind::Charge,
        amount_minor: price,
        description: line_description(LineKind::Charge, &to.name, true),
        rule: RuleId::Upgrade3.into(),
    });
    push_tax(price, tax_rate_bp, currency, &mut out, &mut reasons)?;
    let due = checked_sum_minor(out.iter().map(|l| l.amount_minor))?;
    reasons.push(Reason::UpgradeAllowance {
        plan: to.name.clone(),
        credits: to.credits_per_period,
        used: None,
        prorated: false,
    });
    if interval == Interval::Year {
        reasons.push(new_sub.monthly_allowance_reason()?);
    }
    push_totals(due, &out, currency, &mut reasons);
    Ok(UpgradePreview {
        from_plan: sub.plan.id.clone(),
        to_plan: to.id.clone(),
        due_now: Money::new(due, currency),
        lines: out,
        period: wire_period(&sub.zone, &cycle.renewal(0)?, &next)?,
        next_renewal: in_zone(next.at, &sub.zone)?,
        anchor,
        remaining: None,
        allowance: Allowance {
            credits: to.credits_per_period,
            upload_seconds: u64::from(to.upload_seconds_per_period),
        },
        explanation: lines(&reasons),
        reasons,
    })
}

/// The reason of R-CURRENCY-1, when the subscription is billed in a currency other than
/// the catalogue's default.
pub(crate) fn billed_in(catalogue: &Catalogue, sub: &Sub<'_>, reasons: &mut Vec<Reason>) {
    if sub.currency != catalogue.currency() {
        reasons.push(Reason::BilledIn {
            currency: sub.currency,
        });
    }
}

/// An upgrade of a paid subscription in the middle of its billing period (R-UPGRADE-1,
/// R-UPGRADE-2, R-UPGRADE-4; over the year on a yearly plan, R-INTERVAL-5).
pub(crate) fn mid_period_upgrade(
    catalogue: &Catalogue,
    sub: &Sub<'_>,
    to: &PlanSpec,
    at: DateTime<Utc>,
    tax_rate_bp: Option<u32>,
) -> Result<UpgradePreview, RuleError> {
    let currency = sub.currency;
    let mut reasons = Vec::with_capacity(UPGRADE_REASONS);
    reasons.push(Reason::TimeZone {
        zone: sub.zone.name().to_owned(),
    });
    let mut out = Vec::with_capacity(UPGRADE_LINES);
    let cycle = sub.cycle();
    let (k, start, end) = cycle.period_at(at)?;
    let (old_price, old_why) = price_reasons(catalogue, sub, sub.plan, k, start.at)?;
    let (new_price, _) = price_reasons(catalogue, sub, to, k, start.at)?;
    let up = match decide_upgrade(
        catalogue,
        (sub.plan, old_price),
        (to, new_price),
        (start.at, end.at),
        at,
    )? {
        UpgradeDecision::Prorated(up) => up,
        UpgradeDecision::NotDearer => {
            return Err(RuleError::Impossible {
                detail: format!(
                    "`{}` is not dearer than `{}`, so this is not an upgrade; use the downgrade preview",
                    to.id, sub.plan.id
                ),
            });
        }
    };
    reasons.push(Reason::CurrentPeriod {
        start: in_zone(start.at, &sub.zone)?,
        end: in_zone(end.at, &sub.zone)?,
    });
    if sub.interval == Interval::Year {
        reasons.push(Reason::YearlyUpgrade {
            from: sub.plan.name.clone(),
            to: to.name.clone(),
            start: in_zone(start.at, &sub.zone)?,
            end: in_zone(end.at, &sub.zone)?,
        });
    }
    billed_in(catalogue, sub, &mut reasons);
    reasons.extend(old_why);
    reasons.push(Reason::UpgradeNow {
        from: sub.plan.name.clone(),
        to: to.name.clone(),
        next_renewal: in_zone(end.at, &sub.zone)?,
    });
    out.push(Line {
        kind: LineKind::Credit,
        amount_minor: up.credit,
        description: line_description(LineKind::Credit, &sub.plan.name, false),
        rule: RuleId::Upgrade2.into(),
    });
    reasons.push(up.credit_reason(sub.plan, currency));
    out.push(Line {
        kind: LineKind::Charge,
        amount_minor: up.charge,
        description: line_description(LineKind::Charge, &to.name, false),
        rule: RuleId::Upgrade2.into(),
    });
    reasons.push(up.charge_reason(to, currency));
    push_tax(
        up.subtotal()?,
        tax_rate_bp,
        currency,
        &mut out,
        &mut reasons,
    )?;
    let due = checked_sum_minor(out.iter().map(|l| l.amount_minor))?;
    reasons.push(up.allowance_reason(catalogue, to, None));
    push_totals(due, &out, currency, &mut reasons);
    Ok(UpgradePreview {
        from_plan: sub.plan.id.clone(),
        to_plan: to.id.clone(),
        due_now: Money::new(due, currency),
        lines: out,
        period: wire_period(&sub.zone, &start, &end)?,
        next_renewal: in_zone(end.at, &sub.zone)?,
        anchor: in_zone(sub.anchor_at(), &sub.zone)?,
        remaining: Some(up.remaining),
        allowance: Allowance {
            credits: up.allowance,
            upload_seconds: u64::from(to.upload_seconds_per_period),
        },
        explanation: lines(&reasons),
        reasons,
    })
}

fn count_lines(out: &[Line]) -> u32 {
    u32::try_from(out.len()).unwrap_or(u32::MAX)
}

/// The closing reasons of a priced answer: minor units (R-MONEY-1), and `due` as the sum
/// of the rounded `out` lines (R-MONEY-2).
pub(crate) fn push_totals(due: i64, out: &[Line], currency: Currency, reasons: &mut Vec<Reason>) {
    reasons.push(Reason::MinorUnits {
        currency: currency.code().to_owned(),
        exponent: currency.exponent(),
    });
    reasons.push(Reason::LinesSum {
        total: Money::new(due, currency),
        lines: count_lines(out),
    });
}

/// The cancellation of `subscription` at `at`, as a change to the free plan `to`
/// (R-CANCEL-1, R-CANCEL-2).
pub(crate) fn cancel_to(
    catalogue: &Catalogue,
    subscription: &Subscription,
    to: &PlanSpec,
    at: DateTime<FixedOffset>,
    tax_rate_bp: Option<u32>,
) -> Result<CancelPreview, RuleError> {
    cancel(
        catalogue,
        &CancelRequest {
            catalogue: None,
            subscription: subscription.clone(),
            to_plan: Some(to.id.clone()),
            at,
            tax_rate_bp,
            generations: Vec::new(),
            uploads: Vec::new(),
        },
    )
}

/// The remaining part of `[start, end)` at `at`, to the second (R-UPGRADE-2).
pub(crate) fn remaining_of(
    at: DateTime<Utc>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Remaining {
    Remaining {
        seconds_left: (end - at).num_seconds().max(0),
        seconds_in_period: (end - start).num_seconds().max(1),
    }
}

/// The credit and charge lines of R-UPGRADE-2: `−round(old × f)` and `+round(new × f)`.
pub(crate) fn prorate(old: i64, new: i64, remaining: Remaining) -> Result<(i64, i64), RuleError> {
    let f = Fraction::new(
        i128::from(remaining.seconds_left),
        i128::from(remaining.seconds_in_period),
    )?;
    let credit = f.apply(old)?.checked_neg().ok_or(RuleError::Overflow {
        what: "negating a credit",
    })?;
    let charge = f.apply(new)?;
    Ok((credit, charge))
}

/// The credit allowance after an upgrade (R-UPGRADE-4): the new plan's full allowance, or
/// under the prorated policy the old allowance for the time before the change plus the
/// new one for the time after, rounded down.
pub(crate) fn upgraded_allowance(
    catalogue: &Catalogue,
    from: &PlanSpec,
    to: &PlanSpec,
    remaining: Remaining,
) -> u64 {
    match catalogue.policy().upgrade_allowance {
        UpgradeAllowance::Full => to.credits_per_period,
        UpgradeAllowance::Prorated => {
            let left = u128::from(remaining.seconds_left.unsigned_abs());
            let total = u128::from(remaining.seconds_in_period.unsigned_abs()).max(1);
            let before = total.saturating_sub(left);
            let credits = (u128::from(from.credits_per_period) * before
                + u128::from(to.credits_per_period) * left)
                / total;
            u64::try_from(credits).unwrap_or(u64::MAX)
        }
    }
}

/// `POST /api/v1/previews/downgrade`.
pub(crate) fn downgrade(
    catalogue: &Catalogue,
    req: &PlanChangeRequest,
) -> Result<DowngradePreview, RuleError> {
    require_subscription(catalogue)?;
    let sub = Sub::resolve(catalogue, &req.subscription)?;
    let to = catalogue.plan(&req.to_plan)?;
    let at = req.at.to_utc();
    if at < sub.started_at {
        return Err(before_start(at, sub.started_at));
    }
    if to.price_minor == 0 {
        // A move to the free plan is a cancellation (R-CANCEL-1).
        let c = cancel_to(catalogue, &req.subscription, to, req.at, req.tax_rate_bp)?;
        return Ok(DowngradePreview {
            from_plan: c.from_plan,
            to_plan: c.to_plan,
            effective_at: c.effective_at,
            due_now: c.due_now,
            lines: Vec::new(),
            credit_balance_minor: 0,
            allowance_lost: c.allowance_lost,
            next_renewal: c.free_period.end,
            explanation: c.explanation,
            reasons: c.reasons,
        });
    }
    if sub.is_free() {
        return Err(RuleError::Impossible {
            detail: "the free plan has no cheaper plan to move to".to_owned(),
        });
    }
    if sub.in_trial_at(at) {
        return Err(RuleError::Impossible {
            detail: "a change during a trial takes effect at once and charges nothing; \
                     use the change preview"
                .to_owned(),
        });
    }
    let cycle = sub.cycle();
    let (k, start, end) = cycle.period_at(at)?;
    let (old_price, _) = price_reasons(catalogue, &sub, sub.plan, k, start.at)?;
    let (new_price, _) = price_reasons(catalogue, &sub, to, k, start.at)?;
    if to.id == sub.plan.id || new_price >= old_price {
        return Err(RuleError::Impossible {
            detail: format!(
                "`{}` is not cheaper than `{}`, so this is not a downgrade; use the upgrade preview",
                to.id, sub.plan.id
            ),
        });
    }
    let currency = sub.currency;
    let mut reasons = sub.period_reasons(start.at, end.at)?;
    billed_in(catalogue, &sub, &mut reasons);
    // A yearly plan always waits for the end of its year (R-INTERVAL-6).
    let timing = match sub.interval {
        Interval::Month => catalogue.policy().downgrade,
        Interval::Year => DowngradeTiming::EndOfPeriod,
    };
    match timing {
        DowngradeTiming::EndOfPeriod => {
            reasons.push(Reason::DowngradeAtEnd {
                from: sub.plan.name.clone(),
                to: to.name.clone(),
                effective_at: in_zone(end.at, &sub.zone)?,
            });
            if sub.interval == Interval::Year {
                reasons.push(Reason::YearlyChangeAtEnd {
                    from: sub.plan.name.clone(),
                    to: to.name.clone(),
                    to_interval: Interval::Year,
                    effective_at: in_zone(end.at, &sub.zone)?,
                });
            }
            Ok(DowngradePreview {
                from_plan: sub.plan.id.clone(),
                to_plan: to.id.clone(),
                effective_at: in_zone(end.at, &sub.zone)?,
                due_now: Money::new(0, currency),
                lines: Vec::new(),
                credit_balance_minor: 0,
                allowance_lost: None,
                next_renewal: in_zone(end.at, &sub.zone)?,
                explanation: lines(&reasons),
                reasons,
            })
        }
        DowngradeTiming::ImmediateCredit => {
            let down = ImmediateDowngrade::decide(old_price, new_price, (start.at, end.at), at)?;
            reasons.extend(down.proration_reasons(sub.plan, to, currency));
            let mut out = vec![
                Line {
                    kind: LineKind::Credit,
                    amount_minor: down.credit,
                    description: line_description(LineKind::Credit, &sub.plan.name, false),
                    rule: RuleId::Downgrade1.into(),
                },
                Line {
                    kind: LineKind::Charge,
                    amount_minor: down.charge,
                    description: line_description(LineKind::Charge, &to.name, false),
                    rule: RuleId::Downgrade1.into(),
                },
            ];
            push_tax(
                down.subtotal()?,
                req.tax_rate_bp,
                currency,
                &mut out,
                &mut reasons,
            )?;
            let balance = down.balance()?;
            reasons.push(down.outcome_reason(sub.plan, to, currency)?);
            Ok(DowngradePreview {
                from_plan: sub.plan.id.clone(),
                to_plan: to.id.clone(),
                effective_at: req.at,
                due_now: Money::new(0, currency),
                lines: out,
                credit_balance_minor: balance,
                allowance_lost: Some(Allowance {
                    credits: sub
                        .plan
                        .credits_per_period
                        .saturating_sub(to.credits_per_period),
                    upload_seconds: u64::from(
                        sub.plan
                            .upload_seconds_per_period
                            .saturating_sub(to.upload_seconds_per_period),
                    ),
                }),
                next_renewal: in_zone(end.at, &sub.zone)?,
                explanation: lines(&reasons),
                reasons,
            })
        }
    }
}

/// `POST /api/v1/previews/cancel`.
pub(crate) fn cancel(
    catalogue: &Catalogue,
    req: &CancelRequest,
) -> Result<CancelPreview, RuleError> {
    require_subscription(catalogue)?;
    let sub = Sub::resolve(catalogue, &req.subscription)?;
    let at = req.at.to_utc();
    if at < sub.started_at {
        return Err(before_start(at, sub.started_at));
    }
    let free = catalogue.free_plan().ok_or_else(|| RuleError::Impossible {
        detail: "the catalogue has no free plan".to_owned(),
    })?;
    if let Some(to) = &req.to_plan {
        let to = catalogue.plan(to)?;
        if to.id != free.id {
            return Err(RuleError::Impossible {
                detail: format!(
                    "a cancellation moves to the free plan `{}`, not `{}`",
                    free.id, to.id
                ),
            });
        }
    }
    if sub.is_free() {
        return Err(RuleError::Impossible {
            detail: "the subscription is already on the free plan".to_owned(),
        });
    }
    // What is left of the paid allowance of the current allowance period is lost
    // (R-CANCEL-1; the monthly one on a yearly plan, R-INTERVAL-7).
    let (_, start, allowance_end) = sub.allowance_cycle().period_at(at)?;
    let tally = crate::quota::tally(
        catalogue,
        sub.plan,
        &sub.zone,
        (start.at, at),
        &req.generations,
        &req.uploads,
        crate::quota::CreditAllowance::OfPlan,
    )?;
    let lost = Allowance {
        credits: tally.credits.remaining,
        upload_seconds: tally.upload_seconds.remaining,
    };
    let free_cycle = Cycle::new(&sub.zone, at, Schedule::FirstOfMonth);
    let free_end = free_cycle.renewal(1)?;
    let effective_at = in_zone(at, &sub.zone)?;
    let mut reasons = vec![
        Reason::TimeZone {
            zone: req.subscription.time_zone.clone(),
        },
        Reason::CancelNow {
            from: sub.plan.name.clone(),
            lost_credits: lost.credits,
            lost_upload_seconds: lost.upload_seconds,
        },
    ];
    if sub.in_trial_at(at) {
        reasons.push(Reason::TrialCancel);
    } else if sub.interval == Interval::Year {
        reasons.push(Reason::YearlyFromOrToFree {
            plan: sub.plan.name.clone(),
            to_yearly: false,
        });
        reasons.push(Reason::YearlyCancel {
            allowance_end: in_zone(allowance_end.at, &sub.zone)?,
        });
    }
    reasons.extend([
        Reason::FreeAfterCancel {
            credits: free.credits_per_period,
            upload_seconds: u64::from(free.upload_seconds_per_period),
            until: in_zone(free_end.at, &sub.zone)?,
        },
        Reason::FreeRenewal {
            next: in_zone(free_end.at, &sub.zone)?,
        },
        Reason::LicenceFollowsTrack {
            plan: sub.plan.name.clone(),
            current: Some(free.name.clone()),
        },
    ]);
    Ok(CancelPreview {
        from_plan: sub.plan.id.clone(),
        to_plan: free.id.clone(),
        effective_at,
        due_now: Money::new(0, sub.currency),
        allowance_lost: Some(lost),
        free_period: Period {
            start: effective_at,
            end: in_zone(free_end.at, &sub.zone)?,
        },
        free_allowance: Allowance {
            credits: free.credits_per_period,
            upload_seconds: u64::from(free.upload_seconds_per_period),
        },
        explanation: lines(&reasons),
        reasons,
    })
}
