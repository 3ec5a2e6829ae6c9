//! Catalogue loading and validation, TOML and JSON (issue 7).
//!
//! The input, as UTF-8, is offered to both `Catalogue::from_json` and
//! `Catalogue::from_toml`. Any `Err` is fine; a panic is a bug. Whenever one loader accepts
//! the text, the catalogue must survive every round trip unchanged:
//! JSON → JSON, TOML → TOML, and across formats, and re-validating its own spec must give
//! it back. What validation promises about intervals, currencies and trials must hold of
//! it too (R-INTERVAL-1, R-CURRENCY-1, R-CURRENCY-2, R-TRIAL-1).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratecard_rules::{Catalogue, CatalogueKind, Interval};

/// What an accepted catalogue guarantees about its prices, currencies, trials and
/// recommended plan.
fn offers_hold(origin: &str, c: &Catalogue) {
    let currencies = c.currencies();
    assert_eq!(
        currencies.first(),
        Some(&c.currency()),
        "{origin}: the default currency is not the first"
    );
    for (i, a) in currencies.iter().enumerate() {
        assert!(
            !currencies[..i].contains(a),
            "{origin}: {a} is listed twice"
        );
    }
    for (region, currency) in &c.spec().currency_by_region {
        assert!(
            currencies.contains(currency),
            "{origin}: region {region} sees {currency}, which the catalogue does not price in"
        );
        assert_eq!(
            c.display_currency(None, Some(region)).ok(),
            Some(*currency),
            "{origin}: region {region}"
        );
    }
    let mut recommended = 0;
    for plan in &c.spec().plans {
        let intervals = c.intervals(plan);
        assert!(
            !intervals.is_empty(),
            "{origin}: plan {} is sold at no interval",
            plan.id
        );
        // R-CURRENCY-1: every currency, for every interval the plan is sold at.
        for interval in &intervals {
            for currency in currencies {
                let price = c.price(plan, *interval, *currency).unwrap_or_else(|| {
                    panic!(
                        "{origin}: plan {} has no {} price in {currency}",
                        plan.id,
                        interval.as_str()
                    )
                });
                assert!(price >= 0, "{origin}: a negative price for {}", plan.id);
            }
        }
        // `price_minor` is the monthly price in the default currency (or the yearly one
        // of a plan sold per year only).
        let first = intervals[0];
        assert_eq!(
            c.price(plan, first, c.currency()),
            Some(plan.price_minor),
            "{origin}: price_minor of {}",
            plan.id
        );
        // R-INTERVAL-1: a yearly price is not below the monthly one.
        for currency in currencies {
            if let (Some(m), Some(y)) = (
                c.price(plan, Interval::Month, *currency),
                c.price(plan, Interval::Year, *currency),
            ) {
                assert!(
                    y >= m,
                    "{origin}: {} per year ({y}) below per month ({m}) in {currency}",
                    plan.id
                );
            }
        }
        if let Some(days) = plan.trial_days {
            assert!(
                (1..=366).contains(&days),
                "{origin}: a {days}-day trial on {}",
                plan.id
            );
            assert!(
                plan.price_minor > 0 && c.spec().kind == CatalogueKind::Subscription,
                "{origin}: a trial on {}, which is free or not a subscription",
                plan.id
            );
        }
        recommended += usize::from(plan.recommended);
    }
    assert!(
        recommended <= 1,
        "{origin}: {recommended} recommended plans"
    );
}

fn round_trips(origin: &str, c: &Catalogue) {
    offers_hold(origin, c);

    // Validation is idempotent: a validated spec validates again to the same catalogue.
    let again = Catalogue::validate("fuzz", c.spec().clone())
        .unwrap_or_else(|e| panic!("{origin}: a validated spec fails validation again: {e}"));
    assert_eq!(&again, c, "{origin}: re-validation changed the catalogue");

    // JSON round trip.
    let json = c.to_json();
    let from_json = Catalogue::from_json("fuzz.json", &json).unwrap_or_else(|e| {
        panic!("{origin}: to_json output does not load back: {e}\n--- json ---\n{json}")
    });
    assert_eq!(
        &from_json, c,
        "{origin}: JSON round trip changed the catalogue"
    );
    assert_eq!(from_json.to_json(), json, "{origin}: to_json is not stable");

    // TOML round trip. `to_toml` is documented as fallible, so a refusal is tolerated;
    // whatever it does write must load back to the same catalogue.
    if let Ok(toml) = c.to_toml() {
        let from_toml = Catalogue::from_toml("fuzz.toml", &toml).unwrap_or_else(|e| {
            panic!("{origin}: to_toml output does not load back: {e}\n--- toml ---\n{toml}")
        });
        assert_eq!(
            &from_toml, c,
            "{origin}: TOML round trip changed the catalogue"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = Catalogue::from_json("fuzz.json", text) {
        round_trips("from_json", &c);
    }
    if let Ok(c) = Catalogue::from_toml("fuzz.toml", text) {
        round_trips("from_toml", &c);
    }
});
