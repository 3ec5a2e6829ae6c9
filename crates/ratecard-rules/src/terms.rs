//! Dates and limits of the terms: R-TERMS-1 to R-TERMS-6.

use chrono::{DateTime, FixedOffset, Months};

use crate::calendar::{add_days, add_months, sub_months};
use crate::error::RuleError;
use crate::explain::lines;
use crate::money::{Currency, Money, checked_add_minor};
use crate::reason::Reason;
use crate::wire::{Payment, TermsRequest, TermsResponse};

/// The floor of the liability cap: USD 100 (R-TERMS-3).
pub(crate) const LIABILITY_FLOOR_USD_MINOR: i64 = 10_000;

/// The minimum age (R-TERMS-1).
pub(crate) const MINIMUM_AGE: u32 = 18;

/// The liability cap for a claim arising at `claim_at` (R-TERMS-3): the greater of USD 100
/// and what was paid in the six months up to the claim. Refunds paid out in that window
/// (R-REFUND-4) reduce the amount paid, never below 0. Returns the cap, the amount paid
/// and the reason. The floor is only compared in USD; no exchange rates are used.
pub(crate) fn liability_cap(
    payments: &[Payment],
    refunds: &[Payment],
    claim_at: DateTime<FixedOffset>,
    currency: Currency,
) -> Result<(i64, i64, Reason), RuleError> {
    let window_start = sub_months(claim_at, 6)?;
    let in_window = |p: &Payment| window_start <= p.at && p.at <= claim_at;
    let mut paid: i64 = 0;
    for p in payments {
        if p.amount_minor < 0 {
            return Err(RuleError::Impossible {
                detail: format!("a payment cannot be negative, got {}", p.amount_minor),
            });
        }
        if in_window(p) {
            paid = checked_add_minor(paid, p.amount_minor)?;
        }
    }
    let mut refunded: Option<i64> = None;
    for r in refunds {
        if r.amount_minor < 0 {
            return Err(RuleError::Impossible {
                detail: format!("a refund cannot be negative, got {}", r.amount_minor),
            });
        }
        if in_window(r) {
            refunded = Some(checked_add_minor(refunded.unwrap_or(0), r.amount_minor)?);
        }
    }
    if let Some(r) = refunded {
        paid = paid.saturating_sub(r).max(0);
    }
    let floor = Money::new(LIABILITY_FLOOR_USD_MINOR, Currency::Usd);
    let cap = if currency == Currency::Usd {
        paid.max(LIABILITY_FLOOR_USD_MINOR)
    } else {
        paid
    };
    let reason = Reason::LiabilityCap {
        paid: Money::new(paid, currency),
        floor,
        cap: Money::new(cap, currency),
        window_start,
        window_end: claim_at,
        refunded: refunded.map(|r| Money::new(r, currency)),
    };
    Ok((cap, paid, reason))
}

/// The arbitration opt-out deadline (R-TERMS-2): 30 days after the account was created, or
/// after an update to the arbitration terms took effect, whichever is later.
pub(crate) fn opt_out_by(
    created: DateTime<FixedOffset>,
    updated: Option<DateTime<FixedOffset>>,
) -> Result<(DateTime<FixedOffset>, bool), RuleError> {
    let by_creation = add_days(created, 30)?;
    match updated {
        Some(u) => {
            let by_update = add_days(u, 30)?;
            if by_update > by_creation {
                Ok((by_update, true))
            } else {
                Ok((by_creation, false))
            }
        }
        None => Ok((by_creation, false)),
    }
}

/// `POST /api/v1/terms/dates`.
pub(crate) fn dates(req: &TermsRequest) -> Result<TermsResponse, RuleError> {
    let currency = req.currency.unwrap_or(Currency::Usd);
    let mut reasons = Vec::new();
    let adult_on = match req.date_of_birth {
        Some(d) => Some(d.checked_add_months(Months::new(MINIMUM_AGE * 12)).ok_or(
            RuleError::Overflow {
                what: "computing a calendar date",
            },
        )?),
        None => None,
    };
    reasons.push(Reason::MinimumAge { adult_on });
    let (opt_out, after_update) =
        opt_out_by(req.account_created_at, req.arbitration_terms_updated_at)?;
    reasons.push(Reason::ArbitrationOptOut {
        by: opt_out,
        after_update,
    });
    let claim_at = req
        .claim_at
        .or_else(|| req.payments.iter().map(|p| p.at).max())
        .unwrap_or(req.account_created_at);
    let (cap, paid, why) = liability_cap(&req.payments, &[], claim_at, currency)?;
    reasons.push(why);
    let inactive_after = match req.last_active_at {
        Some(t) => {
            let after = add_months(t, 12)?;
            reasons.push(Reason::Inactivity { after });
            Some(after)
        }
        None => None,
    };
    let deleted_by = match req.cancelled_at {
        Some(t) => {
            let by = add_days(t, 90)?;
            reasons.push(Reason::DataDeletion { by });
            Some(by)
        }
        None => None,
    };
    let may_start = match req.dispute_notified_at {
        Some(t) => {
            let at = add_days(t, 60)?;
            reasons.push(Reason::InformalResolution { may_start: at });
            Some(at)
        }
        None => None,
    };
    Ok(TermsResponse {
        minimum_age: MINIMUM_AGE,
        adult_on,
        arbitration_opt_out_by: opt_out,
        liability_cap_minor: cap,
        paid_in_window_minor: paid,
        currency,
        arbitration_may_start_at: may_start,
        inactive_termination_after: inactive_after,
        data_deleted_by: deleted_by,
        explanation: lines(&reasons),
        reasons,
    })
}
