//! Automatic top-up simulation: R-TOPUP-1, with tax per R-MONEY-3.

use crate::error::RuleError;
use crate::explain::lines;
use crate::money::{Currency, Fraction, Money, checked_add_minor};
use crate::reason::Reason;
use crate::wire::{TopUp, TopUpRequest, TopUpResponse};

fn impossible(detail: String) -> RuleError {
    RuleError::Impossible { detail }
}

/// `POST /api/v1/topups/simulate`.
pub(crate) fn simulate(req: &TopUpRequest) -> Result<TopUpResponse, RuleError> {
    let currency = req.currency.unwrap_or(Currency::Usd);
    if req.topup_minor <= 0 {
        return Err(impossible(format!(
            "a top-up must credit more than 0, got {}",
            req.topup_minor
        )));
    }
    if req.threshold_minor < 0 {
        return Err(impossible(format!(
            "the threshold cannot be negative, got {}",
            req.threshold_minor
        )));
    }
    if let Some(u) = req.usage.iter().find(|u| u.amount_minor < 0) {
        return Err(impossible(format!(
            "usage cannot be negative, got {} at {}",
            u.amount_minor,
            u.at.to_rfc3339()
        )));
    }
    let mut usage: Vec<_> = req.usage.iter().collect();
    usage.sort_by_key(|u| u.at);
    let tax_of = |amount: i64| -> Result<i64, RuleError> {
        match req.tax_rate_bp {
            Some(bp) => Fraction::from_basis_points(bp).apply(amount),
            None => Ok(0),
        }
    };
    let tax = tax_of(req.topup_minor)?;
    let charged = checked_add_minor(req.topup_minor, tax)?;
    let mut balance = req.balance_minor;
    let mut topups = Vec::new();
    let mut reasons = vec![Reason::MinorUnits {
        currency: currency.code().to_owned(),
        exponent: currency.exponent(),
    }];
    if let Some(rate_bp) = req.tax_rate_bp {
        reasons.push(Reason::Tax {
            rate_bp,
            subtotal: Money::new(req.topup_minor, currency),
            tax: Money::new(tax, currency),
        });
    }
    let mut total: i64 = 0;
    for u in usage {
        balance = balance
            .checked_sub(u.amount_minor)
            .ok_or(RuleError::Overflow {
                what: "subtracting usage from a balance",
            })?;
        // R-TOPUP-1: one top-up each time usage leaves the balance below the threshold.
        if balance < req.threshold_minor {
            reasons.push(Reason::TopUp {
                at: u.at,
                balance: Money::new(balance, currency),
                threshold: Money::new(req.threshold_minor, currency),
                amount: Money::new(req.topup_minor, currency),
                tax: Money::new(tax, currency),
            });
            balance = checked_add_minor(balance, req.topup_minor)?;
            total = checked_add_minor(total, charged)?;
            topups.push(TopUp {
                at: u.at,
                amount_minor: req.topup_minor,
                tax_minor: tax,
                charged_minor: charged,
                balance_after_minor: balance,
            });
        }
    }
    reasons.push(Reason::TopUpSummary {
        count: u64::try_from(topups.len()).unwrap_or(u64::MAX),
        charged: Money::new(total, currency),
        balance: Money::new(balance, currency),
    });
    Ok(TopUpResponse {
        topups,
        final_balance_minor: balance,
        total_charged_minor: total,
        currency,
        explanation: lines(&reasons),
        reasons,
    })
}
