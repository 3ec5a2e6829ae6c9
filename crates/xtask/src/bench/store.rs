//! The account store under `cargo xtask bench`, on SQLite and on PostgreSQL.
//!
//! For each database, the release server runs on a fresh database (a SQLite file under
//! `target/bench/store/`, or a new database on the throwaway PostgreSQL cluster) with an
//! ingest and a support key made by `ratecard-server keys create`; then:
//!
//! * **ingestion**: events posted to `POST /api/v1/accounts/{id}/events` from one
//!   keep-alive client, one event a request and then 100 a request, in five chunks each
//!   (a sample is a chunk's events per second), then from four clients at once, each to
//!   its own account;
//! * **the account ledger**: one account with a year of history (`demo::bench_account`,
//!   the largest that fits in one 64 KiB `POST /api/v1/ledger` body), read with
//!   `GET /api/v1/accounts/{id}/ledger?at=…` under wrk, beside its floor, the same events
//!   posted to the stateless `POST /api/v1/ledger`, in interleaved rounds like the server
//!   rows. The budget: the p99 of the GET at most 1.5 × the p99 of the POST.

use std::path::Path;
use std::time::Instant;

use ratecard_bench::{Stats, percentile};
use serde_json::{Value, json};

use super::report::{Budget, Row};
use super::wrk::{self, CONNECTIONS, THREADS, Target};
use super::{Plan, fresh_dir, part, ratio};
use crate::demo;
use crate::http::Client;
use crate::postgres::TestCluster;
use crate::server::RunningServer;
use crate::tools;
use crate::util::{Result, step};

/// The account-ledger budget: GET p99 over the POST floor's p99.
const LEDGER_RATIO_BUDGET: f64 = 1.5;
/// The ingestion budgets, in events per second of one client: (database, one event a
/// request, 100 events a request). This 2-core machine measured about 250 and 6,000 on
/// both databases (fsync on); each budget keeps a margin of 40 to 50 % for a slow stretch
/// of the machine, and the batched one still fails a store that loses its batching (one
/// transaction a batch), which would fall to the rate of one event a request.
const INGEST_BUDGETS: [(&str, f64, f64); 2] =
    [("SQLite", 150.0, 3_000.0), ("PostgreSQL", 150.0, 3_000.0)];
/// The clients of the concurrent ingestion run.
const CLIENTS: usize = 4;
/// The largest body the server takes, less a margin.
const BODY_LIMIT: usize = 64 * 1024 - 256;
/// The account the ledger runs read.
const LEDGER_ACCOUNT: &str = "bench-ledger-year";
/// The PostgreSQL database of the benchmark, made afresh on the cluster.
const PG_DATABASE: &str = "ratecard_bench";

/// How much each part ingests, and how many requests the one-client ledger run makes.
struct Sizes {
    /// Accounts of the run with one event a request; each is one sample.
    single_accounts: usize,
    /// Events an account with one event a request.
    single_events: usize,
    /// Accounts of the run with 100 events a request; each is one sample.
    batch_accounts: usize,
    /// Events an account with 100 events a request: a year of history, about.
    batch_events: usize,
    /// Accounts each client of the concurrent run fills, `batch_events` each.
    client_accounts: usize,
    /// Requests of each route in the one-client ledger run.
    latency_requests: usize,
}

fn sizes(plan: &Plan) -> Sizes {
    if plan.smoke {
        Sizes {
            single_accounts: 2,
            single_events: 10,
            batch_accounts: 2,
            batch_events: 200,
            client_accounts: 1,
            latency_requests: 10,
        }
    } else {
        Sizes {
            single_accounts: 5,
            single_events: 400,
            batch_accounts: 10,
            batch_events: 1_000,
            client_accounts: 3,
            latency_requests: 300,
        }
    }
}

/// Every row of the store part: SQLite, then PostgreSQL on `cluster` or on a cluster of
/// its own.
pub(super) fn rows(
    plan: &Plan,
    server_bin: &Path,
    work: &Path,
    cluster: Option<&TestCluster>,
) -> Vec<Row> {
    let dir = work.join("store");
    let mut rows = part(
        "store, SQLite",
        sqlite_database(&dir).and_then(|url| backend(plan, server_bin, work, "SQLite", &url, "")),
    );
    // A cluster of its own when `cargo xtask test` did not lend one; stopped on return.
    let owned = cluster.is_none().then(|| {
        tools::ensure_postgres().and_then(|pg| {
            step(&format!(
                "store: a throwaway PostgreSQL cluster ({})",
                pg.version
            ));
            TestCluster::start(&pg)
        })
    });
    let cluster: Result<&TestCluster> = match (cluster, &owned) {
        (Some(cluster), _) => Ok(cluster),
        (None, Some(Ok(cluster))) => Ok(cluster),
        (None, Some(Err(e))) => Err(e.clone()),
        (None, None) => Err("no PostgreSQL cluster".to_owned()),
    };
    let pg_rows = cluster.and_then(|cluster| {
        cluster.drop_database(PG_DATABASE)?;
        let url = cluster.create_database(PG_DATABASE)?;
        let result = backend(
            plan,
            server_bin,
            work,
            "PostgreSQL",
            &url,
            &format!("{}, fsync on", cluster.version),
        );
        let _ = cluster.drop_database(PG_DATABASE);
        result
    });
    rows.extend(part("store, PostgreSQL", pg_rows));
    rows
}

/// A fresh SQLite file's URL.
fn sqlite_database(dir: &Path) -> Result<String> {
    fresh_dir(dir)?;
    Ok(format!("sqlite://{}", dir.join("bench.db").display()))
}

/// Makes a key with `ratecard-server keys create` and returns it.
fn create_key(server_bin: &Path, database: &str, name: &str, role: &str) -> Result<String> {
    let out = demo::keys(
        server_bin,
        database,
        &["create", "--name", name, "--role", role],
    )?;
    let key = out.trim().to_owned();
    if key.is_empty() {
        Err(format!("keys create --name {name} printed no key"))
    } else {
        Ok(key)
    }
}

/// Every row of one database.
fn backend(
    plan: &Plan,
    server_bin: &Path,
    work: &Path,
    name: &str,
    database: &str,
    version: &str,
) -> Result<Vec<Row>> {
    step(&format!("store, {name}: the release server on {database}"));
    let args = ["--listen", "127.0.0.1:0", "--database", database].map(str::to_owned);
    // The keys first: `keys create` migrates the fresh database before the server opens it.
    let ingest_key = create_key(server_bin, database, "bench-ingest", "ingest")?;
    let support_key = create_key(server_bin, database, "bench-support", "support")?;
    let server = RunningServer::start(server_bin, &args, false)?;
    let client = Client::new(&server.addr);
    let ingest = client.with_key(&ingest_key);
    let support = client.with_key(&support_key);

    // Each half reports on its own, so one failing does not hide the other's figures.
    let mut rows = part(
        &format!("store, {name}: ingestion"),
        ingestion(plan, name, version, &ingest),
    );
    rows.extend(part(
        &format!("store, {name}: account ledger"),
        ledger(plan, name, work, &server.addr, &ingest, &support),
    ));
    Ok(rows)
}

/// A generation event with a unique id, `n` minutes into 2026.
fn generation(prefix: &str, n: usize) -> Value {
    let minutes = i64::try_from(n).unwrap_or(0);
    let at = chrono::DateTime::from_timestamp(1_767_225_600 + 60 * (7 * 24 * 60 + minutes), 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    json!({
        "id": format!("{prefix}-{n:07}"),
        "type": "generation",
        "at": at,
        "model": demo::MODELS[n % demo::MODELS.len()],
    })
}

/// Puts an account for the ingestion runs.
fn put_account(ingest: &Client, id: &str) -> Result<()> {
    let body = json!({
        "email": format!("{id}@example.com"),
        "name": id,
        "time_zone": "Europe/Berlin",
        "created_at": "2026-01-01T00:00:00Z",
    })
    .to_string();
    ingest
        .put(&format!("/api/v1/accounts/{id}"), &body)?
        .expect(&format!("PUT /api/v1/accounts/{id}"), &[200, 201])
        .map(|_| ())
}

/// Posts events `from..to` of account `id`, `batch` a request; fails unless each is
/// stored (none is a duplicate).
fn post_events(ingest: &Client, id: &str, from: usize, to: usize, batch: usize) -> Result<()> {
    let path = format!("/api/v1/accounts/{id}/events");
    let mut n = from;
    while n < to {
        let end = (n + batch).min(to);
        let events: Vec<Value> = (n..end).map(|i| generation(id, i)).collect();
        let body = json!({ "events": events }).to_string();
        let answer = ingest
            .post(&path, &body)?
            .expect(&format!("POST {path}"), &[200, 201])?;
        let counts = answer.json(&format!("POST {path}"))?;
        if counts["stored"].as_u64() != Some((end - n) as u64) {
            return Err(format!(
                "POST {path}: expected {} stored, got {}",
                end - n,
                answer.body
            ));
        }
        n = end;
    }
    Ok(())
}

/// One client filling `accounts` accounts with `events` events each, `batch` a request:
/// a sample of events per second per account.
fn sequential(
    ingest: &Client,
    prefix: &str,
    accounts: usize,
    events: usize,
    batch: usize,
) -> Result<Vec<f64>> {
    let mut rates = Vec::new();
    for a in 0..accounts {
        let id = format!("{prefix}-{a}");
        put_account(ingest, &id)?;
        let started = Instant::now();
        post_events(ingest, &id, 0, events, batch)?;
        rates.push(events as f64 / started.elapsed().as_secs_f64());
    }
    Ok(rates)
}

fn ingestion(plan: &Plan, name: &str, version: &str, ingest: &Client) -> Result<Vec<Row>> {
    let s = sizes(plan);
    let (_, single_budget, batch_budget) = INGEST_BUDGETS
        .iter()
        .copied()
        .find(|(db, _, _)| *db == name)
        .unwrap_or((name, 0.0, 0.0));
    let concurrent_events = CLIENTS * s.client_accounts * s.batch_events;
    step(&format!(
        "store, {name}: ingesting {} × {} events one a request, {} × {} a hundred a request, then {CLIENTS} clients at once",
        s.single_accounts, s.single_events, s.batch_accounts, s.batch_events
    ));
    let single = sequential(
        ingest,
        "bench-ingest-1",
        s.single_accounts,
        s.single_events,
        1,
    )?;
    let batched = sequential(
        ingest,
        "bench-ingest-100",
        s.batch_accounts,
        s.batch_events,
        100,
    )?;
    let ids = |c: usize| -> Vec<String> {
        (0..s.client_accounts)
            .map(|a| format!("bench-ingest-c{c}-{a}"))
            .collect()
    };
    for c in 0..CLIENTS {
        for id in ids(c) {
            put_account(ingest, &id)?;
        }
    }
    let started = Instant::now();
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                // Each client its own connection.
                let client = ingest.clone_fresh();
                let ids = ids(c);
                scope.spawn(move || {
                    ids.iter()
                        .try_for_each(|id| post_events(&client, id, 0, s.batch_events, 100))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a client panicked".to_owned()))
            })
            .collect()
    });
    results.into_iter().collect::<Result<Vec<()>>>()?;
    let concurrent = concurrent_events as f64 / started.elapsed().as_secs_f64();
    let stats = |rates: &[f64]| Stats::of(rates);
    println!(
        "xtask: {name}: {:.0} events/s one a request, {:.0} events/s a hundred a request, {concurrent:.0} events/s from {CLIENTS} clients",
        stats(&single).map_or(0.0, |s| s.median),
        stats(&batched).map_or(0.0, |s| s.median),
    );
    let prefix = if version.is_empty() {
        String::new()
    } else {
        format!("{version}; ")
    };
    Ok(vec![
        Row::new(
            format!("store, {name}: ingest, 1 event a request"),
            "events/s",
            stats(&single),
        )
        .budget(
            Budget::AtLeast(single_budget),
            format!("≥ {single_budget:.0} events/s"),
        )
        .note(format!(
            "{prefix}one keep-alive client, {} accounts of {} events (a sample an account)",
            s.single_accounts, s.single_events
        )),
        Row::new(
            format!("store, {name}: ingest, 100 events a request"),
            "events/s",
            stats(&batched),
        )
        .budget(
            Budget::AtLeast(batch_budget),
            format!("≥ {} events/s", thousands(batch_budget)),
        )
        .note(format!(
            "one keep-alive client, {} accounts of {} events (a sample an account)",
            s.batch_accounts, s.batch_events
        )),
        Row::new(
            format!("store, {name}: ingest, {CLIENTS} clients, 100 events a request"),
            "events/s",
            Some(Stats::one(concurrent)),
        )
        .note(format!(
            "{CLIENTS} clients at once, each filling {} accounts of {} events",
            s.client_accounts, s.batch_events
        )),
    ])
}

/// `5000.0` as `5,000`.
fn thousands(value: f64) -> String {
    let digits = format!("{value:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The benchmark account: the largest year that fits in one `POST /api/v1/ledger` body.
fn ledger_account(at: &str) -> demo::Account {
    let (mut low, mut high) = (1u32, 200u32);
    while low < high {
        let mid = (low + high).div_ceil(2);
        if demo::bench_account(LEDGER_ACCOUNT, mid)
            .ledger_body(at)
            .len()
            <= BODY_LIMIT
        {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    demo::bench_account(LEDGER_ACCOUNT, low)
}

fn ledger(
    plan: &Plan,
    name: &str,
    work: &Path,
    addr: &str,
    ingest: &Client,
    support: &Client,
) -> Result<Vec<Row>> {
    let at = demo::end_instant();
    let account = ledger_account(&at);
    let events = account.events.len();
    let body = account.ledger_body(&at);
    demo::upload_account(ingest, &account, demo::BATCH)?;
    let get_route = format!("/api/v1/accounts/{LEDGER_ACCOUNT}/ledger?at={at}");
    let post_route = "/api/v1/ledger";
    let got = support
        .get(&get_route)?
        .expect(&format!("GET {get_route}"), &[200])?;
    let posted = support
        .post(post_route, &body)?
        .expect(&format!("POST {post_route}"), &[200])?;
    let same = got.json("GET")? == posted.json("POST")?;
    if !same {
        eprintln!(
            "xtask: warning: {name}: GET {get_route} and POST {post_route} answer differently"
        );
    }
    let script = wrk::script(
        work,
        &format!("store-ledger-{}", name.to_lowercase()),
        &body,
    )?;
    step(&format!(
        "store, {name}: the ledger of {events} events, GET against POST, {} rounds of {} s each (wrk -t{THREADS} -c{CONNECTIONS})",
        plan.rounds, plan.round_seconds
    ));
    let auth = format!(
        "Authorization: Bearer {}",
        support.key().unwrap_or_default()
    );
    let get = Target {
        addr,
        route: &get_route,
        header: Some(&auth),
        script: None,
    };
    let post = Target {
        addr,
        route: post_route,
        header: None,
        script: Some(&script),
    };
    let (gets, posts) = wrk::rounds(plan, ("GET", &get), ("POST", &post))?;
    let errors = wrk::errors(&gets) + wrk::errors(&posts);
    // The same two requests from one keep-alive client, one at a time: the cost of a
    // request without queueing.
    let n = sizes(plan).latency_requests;
    step(&format!(
        "store, {name}: the ledger GET and POST from one client, {n} requests each"
    ));
    let (mut get_ms, mut post_ms) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let started = Instant::now();
        support
            .get(&get_route)?
            .expect(&format!("GET {get_route}"), &[200])?;
        get_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        support
            .post(post_route, &body)?
            .expect(&format!("POST {post_route}"), &[200])?;
        post_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let one_get = Stats::of(&get_ms);
    let one_post = Stats::of(&post_ms);
    let get_rps = wrk::rps(&gets).map_or(0.0, |s| s.median);
    let post_rps = wrk::rps(&posts).map_or(0.0, |s| s.median);
    Ok(vec![
        Row::new(
            format!("store, {name}: account ledger GET p99, {events} events"),
            "ms",
            wrk::p99(&gets),
        )
        .note(format!(
            "GET /api/v1/accounts/{{id}}/ledger of a year of history ({events} events), {get_rps:.0} req/s; {}",
            if same {
                "the same JSON as the POST"
            } else {
                "its JSON differs from the POST's"
            }
        )),
        Row::new(
            format!("store floor, {name}: POST /api/v1/ledger p99, the same events"),
            "ms",
            wrk::p99(&posts),
        )
        .note(format!(
            "the stateless ledger of the same {events} events ({} bytes), {post_rps:.0} req/s",
            body.len()
        )),
        Row::new(
            format!("store, {name}: ledger GET / POST, p99"),
            "×",
            ratio(wrk::p99(&gets), wrk::p99(&posts)),
        )
        .budget(
            Budget::AtMost(LEDGER_RATIO_BUDGET),
            format!("≤ {LEDGER_RATIO_BUDGET} ×"),
        ),
        Row::new(
            format!("store, {name}: account ledger GET, one client"),
            "ms",
            one_get,
        )
        .note(format!(
            "{n} requests one at a time, interleaved with the POST; p99 {:.2} ms",
            percentile(&get_ms, 99.0)
        )),
        Row::new(
            format!("store floor, {name}: POST /api/v1/ledger, one client"),
            "ms",
            one_post,
        )
        .note(format!("p99 {:.2} ms", percentile(&post_ms, 99.0))),
        Row::new(
            format!("store, {name}: ledger GET / POST, one client, median"),
            "×",
            ratio(one_get, one_post),
        ),
        Row::new(
            format!("store, {name}: errors in the ledger runs"),
            "",
            Some(Stats::one(errors)),
        )
        .budget(Budget::AtMost(0.0), "0"),
    ])
}

/// The paragraph of `BENCHMARKS.md` that says how the store rows are taken.
pub(super) fn how(plan: &Plan) -> String {
    let s = sizes(plan);
    format!(
        "- **Store**: the release server on a fresh SQLite file and on a fresh database of a \
         throwaway PostgreSQL cluster (`initdb` in a temporary folder, `fsync` on), with keys \
         from `ratecard-server keys create`. Ingestion: one keep-alive client posts generation \
         events with new ids to `POST /api/v1/accounts/{{id}}/events`, one a request into {} \
         accounts of {} events, then 100 a request into {} accounts of {} events (a year of \
         history; a sample is an account's events per second), then {CLIENTS} clients at once \
         fill {} accounts of {} events each, 100 a request. Account ledger: one account with a \
         year of history (subscription, upgrade, grant, charge, refund request, generations and \
         uploads every month), the largest that fits in one 64 KiB body, read with \
         `GET /api/v1/accounts/{{id}}/ledger?at=…` under wrk (-t{THREADS} \
         -c{CONNECTIONS}), interleaved with its floor, the same events posted to the \
         stateless `POST /api/v1/ledger`, {} rounds of {} s each; the budget compares the \
         medians of the rounds' p99. Then the same two requests {} times each from one \
         keep-alive client, one at a time.",
        s.single_accounts,
        s.single_events,
        s.batch_accounts,
        s.batch_events,
        s.client_accounts,
        s.batch_events,
        plan.rounds,
        plan.round_seconds,
        s.latency_requests
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_account_is_the_largest_year_that_fits_one_body() {
        let at = demo::end_instant();
        let account = ledger_account(&at);
        let body = account.ledger_body(&at);
        assert!(body.len() <= BODY_LIMIT, "{}", body.len());
        assert!(
            (750..=1000).contains(&account.events.len()),
            "{} events",
            account.events.len()
        );
        println!("{} events, {} bytes", account.events.len(), body.len());
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(5000.0), "5,000");
        assert_eq!(thousands(200.0), "200");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
    }
}
