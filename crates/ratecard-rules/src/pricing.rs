//! What a pricing table shows: the currency (R-CURRENCY-2), every plan's prices with the
//! monthly equivalent and the saving of a yearly price (R-INTERVAL-3), and prices
//! including tax when the page asks (R-DISPLAY-1).

use crate::catalogue::{Catalogue, Interval, PlanSpec};
use crate::error::RuleError;
use crate::explain::lines;
use crate::money::{Currency, Fraction, Money, checked_sum_minor};
use crate::reason::Reason;
use crate::wire::{PlanPricing, PricingRequest, PricingTable, ShownPrice};

/// `POST /api/v1/pricing`: [`table_without_text`] with the English explanation.
pub(crate) fn table(
    catalogue: &Catalogue,
    req: &PricingRequest,
) -> Result<PricingTable, RuleError> {
    let mut t = table_without_text(catalogue, req)?;
    t.explanation = lines(&t.reasons);
    Ok(t)
}

/// The pricing table with its typed `reasons` but an empty `explanation`, for a caller
/// that words the reasons itself (the widget does, in the reader's language), so the
/// English renderer stays out of its code.
pub(crate) fn table_without_text(
    catalogue: &Catalogue,
    req: &PricingRequest,
) -> Result<PricingTable, RuleError> {
    let region = req
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let currency = catalogue.display_currency(req.currency, region)?;
    let mut reasons = vec![Reason::ShownCurrency {
        currency,
        asked: req.currency.is_some(),
        region: region
            .filter(|r| {
                req.currency.is_none()
                    && catalogue
                        .spec()
                        .currency_by_region
                        .keys()
                        .any(|k| k.eq_ignore_ascii_case(r))
            })
            .map(str::to_ascii_uppercase),
    }];
    if let Some(rate_bp) = req.tax_inclusive_rate_bp {
        reasons.push(Reason::TaxIncluded { rate_bp });
    }
    let mut plans = Vec::with_capacity(catalogue.plans().len());
    for plan in catalogue.plans() {
        plans.push(plan_pricing(
            catalogue,
            plan,
            currency,
            req.tax_inclusive_rate_bp,
            &mut reasons,
        )?);
    }
    reasons.push(Reason::MinorUnits {
        currency: currency.code().to_owned(),
        exponent: currency.exponent(),
    });
    Ok(PricingTable {
        currency,
        tax_inclusive_rate_bp: req.tax_inclusive_rate_bp,
        plans,
        explanation: Vec::new(),
        reasons,
    })
}

/// One plan's prices in `currency`, and the reason of its yearly price.
fn plan_pricing(
    catalogue: &Catalogue,
    plan: &PlanSpec,
    currency: Currency,
    tax_rate_bp: Option<u32>,
    reasons: &mut Vec<Reason>,
) -> Result<PlanPricing, RuleError> {
    let monthly = catalogue.price(plan, Interval::Month, currency);
    let mut prices = Vec::with_capacity(Interval::ALL.len());
    for interval in Interval::ALL {
        let Some(amount) = catalogue.price(plan, interval, currency) else {
            continue;
        };
        let shown = shown_price(amount, tax_rate_bp)?;
        let (per_month, saving) = match interval {
            Interval::Month => (None, None),
            Interval::Year => {
                let per_month = Fraction::new(1, 12)?.apply(shown)?;
                let saving = monthly.and_then(|m| saving_percent(m, amount));
                reasons.push(Reason::YearlyPrice {
                    plan: plan.name.clone(),
                    yearly: Money::new(shown, currency),
                    per_month: Money::new(per_month, currency),
                    saving_percent: saving,
                });
                (Some(per_month), saving)
            }
        };
        prices.push(ShownPrice {
            interval,
            amount_minor: amount,
            shown_minor: shown,
            per_month_minor: per_month,
            saving_percent: saving,
        });
    }
    Ok(PlanPricing {
        id: plan.id.clone(),
        recommended: plan.recommended,
        trial_days: plan.trial_days,
        prices,
    })
}

/// The price shown with tax at `rate_bp`, `price + round(price × rate)` (R-DISPLAY-1);
/// the price itself without a rate.
///
/// # Errors
///
/// [`RuleError::Overflow`] when the sum does not fit.
pub(crate) fn shown_price(price: i64, rate_bp: Option<u32>) -> Result<i64, RuleError> {
    match rate_bp {
        None => Ok(price),
        Some(bp) => checked_sum_minor([price, Fraction::from_basis_points(bp).apply(price)?]),
    }
}

/// The saving of a yearly price against twelve monthly payments, as a whole percentage
/// rounded down, `floor(100 × (12 × monthly − yearly) / (12 × monthly))`; `None` when it is
/// 0 or less (R-INTERVAL-3).
pub(crate) fn saving_percent(monthly: i64, yearly: i64) -> Option<u32> {
    let twelve = i128::from(monthly) * 12;
    if twelve <= 0 {
        return None;
    }
    let saved = twelve - i128::from(yearly);
    if saved <= 0 {
        return None;
    }
    // Both are non-negative, so integer division rounds down.
    u32::try_from(saved * 100 / twelve).ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_saving_is_rounded_down_and_absent_when_none() {
        assert_eq!(saving_percent(1199, 11_990), Some(16));
        // 12 × 1000 = 12000; (12000 − 10001) / 12000 = 16.66 %.
        assert_eq!(saving_percent(1000, 10_001), Some(16));
        assert_eq!(saving_percent(1000, 12_000), None);
        assert_eq!(saving_percent(1000, 11_990), None);
        assert_eq!(saving_percent(1000, 13_000), None);
        assert_eq!(saving_percent(0, 0), None);
    }

    #[test]
    fn tax_inclusive_prices_round_half_away_from_zero() {
        // 1099 × 19 % = 208.81 → 209.
        assert_eq!(shown_price(1099, Some(1900)), Ok(1308));
        // 1800 × 10 % = 180.
        assert_eq!(shown_price(1800, Some(1000)), Ok(1980));
        assert_eq!(shown_price(1800, None), Ok(1800));
    }
}
