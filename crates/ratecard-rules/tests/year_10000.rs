//! RFC 3339 writes four-digit years only (R-TIME-1). An answer that would hold an instant
//! or a date after 9999-12-31 is refused as impossible (a 422 from the server), rather
//! than written as `+10000-01-31T10:00:00Z`, which no RFC 3339 reader accepts.

use ratecard_rules::{Catalogue, RuleError, api};

fn stable_audio() -> Catalogue {
    Catalogue::builtin("stable-audio").expect("a built-in catalogue")
}

fn assert_past_9999(result: Result<impl std::fmt::Debug, RuleError>) {
    match result {
        Err(e @ RuleError::Impossible { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("after 9999-12-31") && text.contains("RFC 3339"),
                "{text}"
            );
        }
        other => panic!("expected the year-10000 refusal, got {other:?}"),
    }
}

#[test]
fn renewals_past_9999_are_refused() {
    let req: api::RenewalsRequest = serde_json::from_str(
        r#"{"subscription": {"plan": "pro", "started_at": "9999-12-31T10:00:00Z"}, "count": 1}"#,
    )
    .unwrap();
    assert_past_9999(api::renewals(&stable_audio(), &req));
    // An anchor earlier in December 9999 still has renewals to list up to the last one.
    let req: api::RenewalsRequest = serde_json::from_str(
        r#"{"subscription": {"plan": "pro", "started_at": "9999-11-30T10:00:00Z"}, "count": 1}"#,
    )
    .unwrap();
    let res = api::renewals(&stable_audio(), &req).unwrap();
    assert_eq!(res.renewals[0].to_rfc3339(), "9999-12-30T10:00:00+00:00");
    let req: api::RenewalsRequest = serde_json::from_str(
        r#"{"subscription": {"plan": "pro", "started_at": "9999-11-30T10:00:00Z"}, "count": 2}"#,
    )
    .unwrap();
    assert_past_9999(api::renewals(&stable_audio(), &req));
}

#[test]
fn a_ledger_at_the_end_of_9999_is_refused() {
    let req: api::LedgerRequest = serde_json::from_str(
        r#"{"at": "9999-12-31T12:00:00Z",
            "events": [{"type": "subscribe", "at": "9999-12-15T00:00:00Z", "plan": "pro"}]}"#,
    )
    .unwrap();
    assert_past_9999(api::ledger(&stable_audio(), &req));
}

#[test]
fn an_upgrade_preview_in_december_9999_is_refused() {
    let req: api::PlanChangeRequest = serde_json::from_str(
        r#"{"subscription": {"plan": "pro", "started_at": "9999-12-15T00:00:00Z"},
            "to_plan": "studio", "at": "9999-12-20T00:00:00Z"}"#,
    )
    .unwrap();
    assert_past_9999(api::upgrade_preview(&stable_audio(), &req));
}

#[test]
fn a_local_new_year_10000_is_refused_even_before_it_in_utc() {
    // 9999-12-31T23:30Z is already 10000-01-01 in Berlin.
    let req: api::QuotaRequest = serde_json::from_str(
        r#"{"subscription": {"plan": "free", "started_at": "9999-12-31T23:30:00Z",
                             "time_zone": "Europe/Berlin"},
            "at": "9999-12-31T23:40:00Z"}"#,
    )
    .unwrap();
    assert_past_9999(api::quota(&stable_audio(), &req));
}

#[test]
fn the_last_writable_instants_still_compute() {
    let req: api::PlanChangeRequest = serde_json::from_str(
        r#"{"subscription": {"plan": "pro", "started_at": "9999-10-15T00:00:00Z"},
            "to_plan": "studio", "at": "9999-11-20T00:00:00Z"}"#,
    )
    .unwrap();
    let p = api::upgrade_preview(&stable_audio(), &req).unwrap();
    assert_eq!(p.next_renewal.to_rfc3339(), "9999-12-15T00:00:00+00:00");
    let json = serde_json::to_string(&p).unwrap();
    assert!(!json.contains("+10000"), "{json}");
}
