//! API request decoding plus calculation (issue 7).
//!
//! The first byte picks an endpoint (`data[0] % 12`, in the order of [`Endpoint::ALL`]);
//! the rest is decoded as that endpoint's JSON request with the server's own decoder
//! (`ratecard_server::extract::decode`, which also builds the problem detail on a bad
//! shape). The request's catalogue is resolved with `api::resolve_catalogue` and the
//! calculation is run. Any `Err` is fine; a panic is a bug. On success the invariants of
//! API.md and RULES.md that hold for every answer are asserted, and the answer must
//! serialise.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratecard_rules::api::{self, Endpoint, Line, Usage};
use ratecard_rules::{Catalogue, Money};
use ratecard_server::extract::decode;

fn sum(lines: &[Line]) -> i64 {
    lines
        .iter()
        .try_fold(0i64, |acc, l| acc.checked_add(l.amount_minor))
        .unwrap_or_else(|| panic!("the lines of a successful answer overflow: {lines:?}"))
}

fn due_is_sum(what: &str, due: &Money, lines: &[Line], c: &Catalogue) {
    assert_eq!(
        due.amount_minor,
        sum(lines),
        "{what}: due_now is not the sum of the lines"
    );
    assert_eq!(
        due.currency,
        c.currency(),
        "{what}: due_now is not in the catalogue currency"
    );
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

fn upgrade_ok(c: &Catalogue, at: api::Instant, p: &api::UpgradePreview) {
    due_is_sum("upgrade", &p.due_now, &p.lines, c);
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
        let Ok($r) = decode::<$req>($bytes) else { return };
        let Ok($c) = api::resolve_catalogue($r.catalogue.as_ref()) else { return };
        if let Ok($res) = $f(&$c, &$r) {
            $check
            serde_json::to_string(&$res).expect("an answer serialises");
        }
    }};
}

macro_rules! without_catalogue {
    ($bytes:expr, $req:ty, $f:path, |$r:ident, $res:ident| $check:block) => {{
        let Ok($r) = decode::<$req>($bytes) else { return };
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
                assert_eq!(res.currency, c.currency(), "renewals: currency");
            })
        }
        Endpoint::UpgradePreview => with_catalogue!(
            body,
            api::PlanChangeRequest,
            api::upgrade_preview,
            |c, r, res| {
                upgrade_ok(&c, r.at, &res);
            }
        ),
        Endpoint::DowngradePreview => with_catalogue!(
            body,
            api::PlanChangeRequest,
            api::downgrade_preview,
            |c, r, res| {
                assert_eq!(res.due_now.amount_minor, 0, "downgrade: charges now");
                assert_eq!(res.due_now.currency, c.currency(), "downgrade: currency");
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
                assert_eq!(res.due_now.amount_minor, 0, "cancel: charges now");
                assert_eq!(res.due_now.currency, c.currency(), "cancel: currency");
                assert!(
                    res.free_period.start < res.free_period.end,
                    "cancel: empty free period"
                );
                let _ = r;
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
            assert_eq!(res.currency, c.currency(), "ledger: currency");
            assert!(
                res.ignored_events <= r.events.len() as u64,
                "ledger: ignored_events"
            );
        }),
        Endpoint::Quote => with_catalogue!(body, api::QuoteRequest, api::quote, |c, r, res| {
            assert_eq!(res.due_now, res.preview.due_now, "quote: due_now");
            upgrade_ok(&c, r.at, &res.preview);
            quota_ok(&res.quota);
        }),
    }
});
