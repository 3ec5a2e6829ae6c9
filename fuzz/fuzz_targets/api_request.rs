//! API request decoding plus calculation (issue 7).
//!
//! The first byte picks an endpoint (`data[0] % 15`, in the order of [`Endpoint::ALL`]);
//! the rest is decoded as that endpoint's JSON request with the server's own decoder
//! (`ratecard_server::extract::decode_object`, which also builds the problem detail on a bad
//! shape). The request's catalogue is resolved with `api::resolve_catalogue` and the
//! calculation is run. Any `Err` is fine; a panic is a bug. On success the invariants of
//! API.md and RULES.md that hold for every answer are asserted, and the answer must
//! serialise.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratecard_rules::api::{self, ChangeKind, Endpoint, Line, Usage};
use ratecard_rules::{Catalogue, Currency, Interval, Money};
use ratecard_server::extract::decode_object;

fn sum(lines: &[Line]) -> i64 {
    lines
        .iter()
        .try_fold(0i64, |acc, l| acc.checked_add(l.amount_minor))
        .unwrap_or_else(|| panic!("the lines of a successful answer overflow: {lines:?}"))
}

/// The currency a subscription is billed in (R-CURRENCY-1): one the catalogue prices in,
/// since the calculation succeeded.
fn billed_in(c: &Catalogue, s: &api::Subscription) -> Currency {
    c.priced_currency(s.currency).unwrap_or_else(|e| {
        panic!("an answer for a subscription in a currency the catalogue refuses: {e}")
    })
}

fn due_is_sum(what: &str, due: &Money, lines: &[Line], currency: Currency) {
    assert_eq!(
        due.amount_minor,
        sum(lines),
        "{what}: due_now is not the sum of the lines"
    );
    assert_eq!(
        due.currency, currency,
        "{what}: due_now is not in the subscription's currency"
    );
}

/// A change that charges nothing now still names the subscription's currency.
fn nothing_due(what: &str, due: &Money, currency: Currency) {
    assert_eq!(due.amount_minor, 0, "{what}: charges now");
    assert_eq!(due.currency, currency, "{what}: currency");
}

fn usage_ok(what: &str, u: &Usage) {
    assert!(
        u.used <= u.allowance,
        "{what}: used exceeds the allowance: {u:?}"
    );
    assert_eq!(
        u.remaining,
        u.allowance - u.used,
        "{what}: remaining: {u:?}"
    );
}

fn upgrade_ok(currency: Currency, at: api::Instant, p: &api::UpgradePreview) {
    due_is_sum("upgrade", &p.due_now, &p.lines, currency);
    assert!(
        p.period.start < p.period.end,
        "upgrade: empty period {:?}",
        p.period
    );
    assert!(
        p.next_renewal > at,
        "upgrade: next renewal {} not after {at}",
        p.next_renewal
    );
    if let Some(r) = p.remaining {
        assert!(
            r.seconds_in_period > 0 && (0..=r.seconds_in_period).contains(&r.seconds_left),
            "upgrade: remaining out of range {r:?}"
        );
    }
}

fn quota_ok(q: &api::QuotaResponse) {
    usage_ok("quota credits", &q.credits);
    usage_ok("quota upload_seconds", &q.upload_seconds);
    assert!(
        q.period.start < q.period.end,
        "quota: empty period {:?}",
        q.period
    );
    for u in &q.uploads {
        if u.refused {
            assert_eq!(u.counted_seconds, 0, "quota: a refused upload counts {u:?}");
        }
        assert!(
            u.counted_seconds <= u64::from(u.seconds),
            "quota: counted more than uploaded {u:?}"
        );
    }
    assert!(
        q.uploads.windows(2).all(|w| w[0].at <= w[1].at),
        "quota: uploads out of order"
    );
    assert!(
        q.refused.windows(2).all(|w| w[0].at <= w[1].at),
        "quota: refusals out of order"
    );
}

/// Runs `$f` on the decoded request and its resolved catalogue, then `$check`.
macro_rules! with_catalogue {
    ($bytes:expr, $req:ty, $f:path, |$c:ident, $r:ident, $res:ident| $check:block) => {{
        let Ok($r) = decode_object::<$req>($bytes) else { return };
        let Ok($c) = api::resolve_catalogue($r.catalogue.as_ref()) else { return };
        if let Ok($res) = $f(&$c, &$r) {
            $check
            serde_json::to_string(&$res).expect("an answer serialises");
        }
    }};
}

macro_rules! without_catalogue {
    ($bytes:expr, $req:ty, $f:path, |$r:ident, $res:ident| $check:block) => {{
        let Ok($r) = decode_object::<$req>($bytes) else { return };
        if let Ok($res) = $f(&$r) {
            $check
            serde_json::to_string(&$res).expect("an answer serialises");
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    match Endpoint::ALL[usize::from(selector) % Endpoint::ALL.len()] {
        Endpoint::Renewals => {
            with_catalogue!(body, api::RenewalsRequest, api::renewals, |c, r, res| {
                assert_eq!(res.renewals.len(), r.count as usize, "renewals: count");
                assert_eq!(res.details.len(), res.renewals.len(), "renewals: details");
                assert!(
                    res.renewals.windows(2).all(|w| w[0] < w[1]),
                    "renewals: not increasing"
                );
                assert!(
                    res.renewals
                        .first()
                        .is_none_or(|f| *f > r.subscription.started_at),
                    "renewals: first renewal not after the start"
                );
                assert_eq!(
                    res.currency,
                    billed_in(&c, &r.subscription),
                    "renewals: currency"
                );
                if let Some(end) = r.subscription.trial_ends_at {
                    // R-TRIAL-3: the trial's end is the first renewal.
                    assert_eq!(res.renewals.first(), Some(&end), "renewals: trial end");
                }
            })
        }
        Endpoint::UpgradePreview => with_catalogue!(
            body,
            api::PlanChangeRequest,
            api::upgrade_preview,
            |c, r, res| {
                upgrade_ok(billed_in(&c, &r.subscription), r.at, &res);
            }
        ),
        Endpoint::DowngradePreview => with_catalogue!(
            body,
            api::PlanChangeRequest,
            api::downgrade_preview,
            |c, r, res| {
                nothing_due("downgrade", &res.due_now, billed_in(&c, &r.subscription));
                assert!(
                    res.credit_balance_minor >= 0,
                    "downgrade: negative credit balance"
                );
                assert!(
                    res.effective_at >= r.at,
                    "downgrade: effective before the request"
                );
            }
        ),
        Endpoint::CancelPreview => with_catalogue!(
            body,
            api::CancelRequest,
            api::cancel_preview,
            |c, r, res| {
                nothing_due("cancel", &res.due_now, billed_in(&c, &r.subscription));
                assert!(
                    res.free_period.start < res.free_period.end,
                    "cancel: empty free period"
                );
            }
        ),
        Endpoint::Quota => with_catalogue!(body, api::QuotaRequest, api::quota, |c, r, res| {
            quota_ok(&res);
            assert!(
                res.period.start <= r.at && r.at < res.period.end,
                "quota: `at` outside its period"
            );
            assert!(
                res.tracks_left.keys().all(|m| c.model(m).is_ok()),
                "quota: unknown model in tracks_left"
            );
        }),
        Endpoint::RefundEligibility => with_catalogue!(
            body,
            api::RefundRequest,
            api::refund_eligibility,
            |c, r, res| {
                assert!(
                    res.reply_from <= res.reply_by,
                    "refund: reply window reversed"
                );
                assert!(
                    res.bank_business_days.min <= res.bank_business_days.max,
                    "refund: bank days"
                );
                let _ = (c, r);
            }
        ),
        Endpoint::LicenceCheck => with_catalogue!(
            body,
            api::LicenceCheckRequest,
            api::licence_check,
            |c, r, res| {
                assert!(
                    c.licence(&res.licence).is_ok(),
                    "licence: unknown licence in the answer"
                );
                let _ = r;
            }
        ),
        Endpoint::PrepaidBalance => {
            without_catalogue!(body, api::PrepaidRequest, api::prepaid_balance, |r, res| {
                let live: Option<u64> = res
                    .grants
                    .iter()
                    .filter(|g| !g.expired)
                    .try_fold(0u64, |acc, g| acc.checked_add(g.remaining));
                assert_eq!(
                    Some(res.balance),
                    live,
                    "prepaid: balance is not the sum of live grants"
                );
                assert!(
                    res.grants.iter().all(|g| g.remaining <= g.granted),
                    "prepaid: remaining > granted"
                );
                let _ = r;
            })
        }
        Endpoint::TopUpSimulation => {
            without_catalogue!(body, api::TopUpRequest, api::topup_simulation, |r, res| {
                let total = res
                    .topups
                    .iter()
                    .try_fold(0i64, |acc, t| acc.checked_add(t.charged_minor));
                assert_eq!(
                    Some(res.total_charged_minor),
                    total,
                    "topup: total is not the sum"
                );
                for t in &res.topups {
                    assert_eq!(
                        t.amount_minor.checked_add(t.tax_minor),
                        Some(t.charged_minor),
                        "topup: charged ≠ amount + tax {t:?}"
                    );
                }
                let _ = r;
            })
        }
        Endpoint::TermsDates => {
            without_catalogue!(body, api::TermsRequest, api::terms_dates, |r, res| {
                let _ = (&r, &res);
            })
        }
        Endpoint::Ledger => with_catalogue!(body, api::LedgerRequest, api::ledger, |c, r, res| {
            assert!(
                c.currencies().contains(&res.currency),
                "ledger: {} is not one of the catalogue's currencies",
                res.currency
            );
            assert!(
                res.ignored_events <= r.events.len() as u64,
                "ledger: ignored_events"
            );
        }),
        Endpoint::Quote => with_catalogue!(body, api::QuoteRequest, api::quote, |c, r, res| {
            assert_eq!(res.due_now, res.preview.due_now, "quote: due_now");
            upgrade_ok(billed_in(&c, &r.subscription), r.at, &res.preview);
            quota_ok(&res.quota);
        }),
        Endpoint::ChangePreview => with_catalogue!(
            body,
            api::ChangeRequest,
            api::change_preview,
            |c, r, res| {
                change_ok(&c, &r, &res);
            }
        ),
        Endpoint::TrialStart => with_catalogue!(
            body,
            api::TrialStartRequest,
            api::trial_start,
            |c, r, res| {
                trial_ok(&c, &r, &res);
            }
        ),
        Endpoint::Pricing => {
            with_catalogue!(body, api::PricingRequest, api::pricing, |c, r, res| {
                pricing_ok(&c, &r, &res);
            })
        }
    }
});

/// R-INTERVAL-4 to 6, R-CANCEL and R-TRIAL-2, for any change the rules accepted.
fn change_ok(c: &Catalogue, r: &api::ChangeRequest, p: &api::ChangePreview) {
    let currency = billed_in(c, &r.subscription);
    due_is_sum("change", &p.due_now, &p.lines, currency);
    assert_eq!(p.from_plan, r.subscription.plan, "change: from_plan");
    assert_eq!(p.to_plan, r.to_plan, "change: to_plan");
    assert_eq!(
        p.from_interval, r.subscription.interval,
        "change: from_interval"
    );
    // The free plan is sold per month: a cancellation ends there whatever the interval.
    let to_interval = match p.kind {
        ChangeKind::Cancel => Interval::Month,
        _ => r.to_interval.unwrap_or(r.subscription.interval),
    };
    assert_eq!(p.to_interval, to_interval, "change: to_interval");
    assert!(
        (p.from_plan.as_str(), p.from_interval) != (p.to_plan.as_str(), p.to_interval),
        "change: no change at all was accepted"
    );
    assert!(
        p.effective_at >= r.at,
        "change: effective before the request"
    );
    assert!(
        p.next_renewal > r.at,
        "change: next renewal not after the request"
    );
    let to = c.plan(&p.to_plan).expect("change: the target plan exists");
    let trial_end = r.subscription.trial_ends_at.filter(|end| r.at < *end);
    match p.kind {
        ChangeKind::IntervalChange => {
            // At once, from a monthly plan to a yearly one, with a new anchor: the change,
            // or the end of a trial that runs (R-TRIAL-2).
            assert_eq!(
                (p.from_interval, p.to_interval),
                (Interval::Month, Interval::Year),
                "change: an interval change is monthly to yearly"
            );
            assert_eq!(
                p.effective_at, r.at,
                "change: an interval change is at once"
            );
            assert_eq!(
                p.anchor,
                trial_end.unwrap_or(r.at),
                "change: an interval change restarts the anchor"
            );
        }
        ChangeKind::Downgrade | ChangeKind::Cancel => {
            assert_eq!(
                p.due_now.amount_minor, 0,
                "change: {:?} charges now",
                p.kind
            );
        }
        ChangeKind::Upgrade => {}
    }
    if p.kind == ChangeKind::Cancel {
        assert_eq!(
            c.price(to, Interval::Month, currency),
            Some(0),
            "change: a cancellation to a paid plan"
        );
    }
    // R-TRIAL-2: a change during the trial charges nothing now and keeps its end.
    if let Some(end) = trial_end {
        assert_eq!(p.due_now.amount_minor, 0, "change: charged during a trial");
        if p.kind != ChangeKind::Cancel {
            assert_eq!(p.trial_ends_at, Some(end), "change: the trial's end moved");
        }
    }
}

/// R-TRIAL-1 and R-TRIAL-3 for any start the rules accepted.
fn trial_ok(c: &Catalogue, r: &api::TrialStartRequest, t: &api::TrialStart) {
    let currency = c
        .priced_currency(r.currency)
        .expect("trial: a start in a currency the catalogue refuses");
    assert_eq!(
        t.trial,
        t.trial_ends_at.is_some(),
        "trial: trial ⇔ trial_ends_at"
    );
    let plan = c.plan(&r.plan).expect("trial: the plan exists");
    if r.had_paid_or_trial || plan.trial_days.is_none() {
        assert!(
            !t.trial,
            "trial: granted to an account or a plan without one"
        );
    }
    match t.trial_ends_at {
        Some(end) => {
            assert!(end > r.at, "trial: ends before it starts");
            assert_eq!(t.first_charge.at, end, "trial: first charge not at its end");
        }
        None => assert_eq!(
            t.first_charge.at, r.at,
            "trial: no trial, yet a later charge"
        ),
    }
    assert_eq!(t.first_charge.currency, currency, "trial: currency");
    assert_eq!(
        t.first_charge.amount_minor,
        sum(&t.first_charge.lines),
        "trial: the first charge is not the sum of its lines"
    );
    let price = c
        .price(plan, r.interval, currency)
        .expect("trial: a plan not sold per this interval started");
    assert!(
        t.first_charge.amount_minor >= price,
        "trial: the first charge is below the price"
    );
    assert_eq!(t.subscription.plan, r.plan, "trial: subscription plan");
    assert_eq!(
        t.subscription.interval, r.interval,
        "trial: subscription interval"
    );
    assert_eq!(
        t.subscription.trial_ends_at, t.trial_ends_at,
        "trial: subscription end"
    );
}

/// R-INTERVAL-3, R-CURRENCY-2 and R-DISPLAY-1 for any pricing table.
fn pricing_ok(c: &Catalogue, r: &api::PricingRequest, t: &api::PricingTable) {
    assert!(
        c.currencies().contains(&t.currency),
        "pricing: {} is not one of the catalogue's currencies",
        t.currency
    );
    if let Some(asked) = r.currency {
        assert_eq!(t.currency, asked, "pricing: not the currency asked for");
    }
    let ids: Vec<&str> = t.plans.iter().map(|p| p.id.as_str()).collect();
    let expected: Vec<&str> = c.spec().plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, expected, "pricing: every plan, in catalogue order");
    assert!(
        t.plans.iter().filter(|p| p.recommended).count() <= 1,
        "pricing: more than one recommended plan"
    );
    for plan in &t.plans {
        let spec = c.plan(&plan.id).expect("pricing: a catalogue plan");
        assert_eq!(plan.trial_days, spec.trial_days, "pricing: trial days");
        assert_eq!(plan.recommended, spec.recommended, "pricing: recommended");
        assert!(
            plan.prices
                .windows(2)
                .all(|w| w[0].interval < w[1].interval),
            "pricing: prices not monthly first, or one interval twice"
        );
        let monthly = c.price(spec, Interval::Month, t.currency);
        for p in &plan.prices {
            assert_eq!(
                Some(p.amount_minor),
                c.price(spec, p.interval, t.currency),
                "pricing: a price the catalogue does not set"
            );
            if r.tax_inclusive_rate_bp.is_none_or(|bp| bp == 0) {
                assert_eq!(p.shown_minor, p.amount_minor, "pricing: shown without tax");
            } else {
                assert!(
                    p.shown_minor >= p.amount_minor,
                    "pricing: tax lowered a price"
                );
            }
            match p.interval {
                Interval::Month => {
                    assert_eq!(
                        p.per_month_minor, None,
                        "pricing: per month of a monthly price"
                    );
                    assert_eq!(p.saving_percent, None, "pricing: saving on a monthly price");
                }
                Interval::Year => {
                    let per_month = p
                        .per_month_minor
                        .expect("pricing: a yearly price per month");
                    assert!(
                        (i128::from(per_month) * 12 - i128::from(p.shown_minor)).abs() <= 6,
                        "pricing: per_month_minor is not round(shown / 12): {p:?}"
                    );
                    let saving = monthly.and_then(|m| {
                        let twelve = i128::from(m) * 12;
                        let pct = (twelve - i128::from(p.amount_minor)) * 100 / twelve.max(1);
                        u32::try_from(pct).ok().filter(|s| *s > 0)
                    });
                    assert_eq!(p.saving_percent, saving, "pricing: saving of {p:?}");
                }
            }
        }
    }
}
