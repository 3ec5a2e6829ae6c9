//! The account store through the real binary on a loopback socket: the `keys` commands,
//! `kill -9` in the middle of ingestion, a PostgreSQL outage and its recovery, and a
//! signed Stripe webhook delivery. Each runs on SQLite and, where a PostgreSQL server is
//! configured (`RATECARD_TEST_POSTGRES_URL`, as `cargo xtask test` does), on PostgreSQL.

mod common;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::db::TestDb;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_ratecard-server");

/// Runs `ratecard-server keys …` and returns (exit code, stdout, stderr).
fn keys(database: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .arg("keys")
        .args(args)
        .args(["--database", database])
        .stdin(Stdio::null())
        .output()
        .expect("run keys");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn create_key(database: &str, name: &str, role: &str) -> String {
    let (code, stdout, stderr) = keys(database, &["create", "--name", name, "--role", role]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the key alone on one line: {stdout:?}");
    lines[0].to_owned()
}

/// A running server; killed (`SIGKILL`) when dropped.
struct Running {
    child: Child,
    base: String,
}

impl Running {
    fn start(database: &str, extra: &[&str]) -> Running {
        let mut args = vec!["--database", database];
        args.extend_from_slice(extra);
        let (child, addr, _unused_db) = common::process::spawn(&args, &[]);
        Running {
            child,
            base: format!("http://{addr}"),
        }
    }

    fn kill_9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill_9();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

async fn put_account(http: &reqwest::Client, base: &str, key: &str, id: &str) {
    let r = http
        .put(format!("{base}/api/v1/accounts/{id}"))
        .bearer_auth(key)
        .json(&json!({"email": "kim@example.com", "time_zone": "Asia/Tokyo", "created_at": "2025-06-01T00:00:00Z"}))
        .send()
        .await
        .expect("put");
    assert!(
        r.status().is_success(),
        "{}",
        r.text().await.unwrap_or_default()
    );
}

async fn stored_ids(http: &reqwest::Client, base: &str, key: &str, id: &str) -> BTreeSet<String> {
    let r = http
        .get(format!("{base}/api/v1/accounts/{id}/events"))
        .bearer_auth(key)
        .send()
        .await
        .expect("get events");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    v["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------

#[test]
fn keys_are_created_listed_and_revoked_from_the_command_line() {
    let db = TestDb::sqlite();
    let url = db.url();
    let key = create_key(&url, "billing", "ingest");
    assert!(key.starts_with("rck_") && key.len() == 68, "{key}");
    let other = create_key(&url, "agent", "support");
    assert_ne!(key, other);

    let (code, _, stderr) = keys(&url, &["create", "--name", "billing", "--role", "support"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("`billing` exists"), "{stderr}");
    let (code, _, stderr) = keys(&url, &["create", "--name", "x", "--role", "admin"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("ingest") && stderr.contains("support"),
        "{stderr}"
    );

    let (code, list, _) = keys(&url, &["list"]);
    assert_eq!(code, 0);
    assert!(
        !list.contains(&key) && !list.contains(&other),
        "a key is shown once only"
    );
    let agent = list
        .lines()
        .find(|l| l.starts_with("agent "))
        .expect("agent listed");
    assert!(
        agent.contains("support") && agent.trim_end().ends_with('-'),
        "{agent}"
    );

    let (code, _, _) = keys(&url, &["revoke", "agent"]);
    assert_eq!(code, 0);
    let (_, list, _) = keys(&url, &["list"]);
    let agent = list
        .lines()
        .find(|l| l.starts_with("agent "))
        .expect("agent listed");
    assert!(
        agent.trim_end().ends_with('Z'),
        "revocation date shown: {agent}"
    );
    let (code, _, stderr) = keys(&url, &["revoke", "agent"]);
    assert_eq!(code, 1, "{stderr}");

    // A database that cannot be opened is exit code 5 with a message, not a panic.
    let (code, _, stderr) = keys("sqlite:///proc/ratecard/none.db", &["list"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("unavailable"), "{stderr}");
}

/// Ingests events one by one from a client, kills the server with `SIGKILL` at a random
/// moment while requests are in flight, restarts it on the same database and checks that
/// every acknowledged event is stored, and nothing that was never sent.
async fn kill_9_loses_nothing_acknowledged(db: &TestDb) {
    let url = db.url();
    let ingest = create_key(&url, "billing", "ingest");
    let support = create_key(&url, "agent", "support");
    let mut server = Running::start(&url, &[]);
    let http = client();
    put_account(&http, &server.base, &ingest, "acct_k").await;
    let r = http
        .post(format!("{}/api/v1/accounts/acct_k/events", server.base))
        .bearer_auth(&ingest)
        .json(&json!({"events": [{"id": "sub", "type": "subscribe", "at": "2025-06-01T00:00:00Z", "plan": "max"}]}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(r.status(), 200);

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = Arc::clone(&stop);
        let base = server.base.clone();
        let http = http.clone();
        let ingest = ingest.clone();
        tokio::spawn(async move {
            let mut acked = BTreeSet::new();
            let mut sent = BTreeSet::new();
            let mut n = 0_u32;
            while !stop.load(Ordering::Relaxed) && n < 20_000 {
                let id = format!("g{n}");
                sent.insert(id.clone());
                let at = chrono::DateTime::from_timestamp(1_748_736_000 + i64::from(n) * 60, 0)
                    .expect("instant")
                    .to_rfc3339();
                let answer = http
                    .post(format!("{base}/api/v1/accounts/acct_k/events"))
                    .bearer_auth(&ingest)
                    .json(&json!({"events": [{"id": id, "type": "generation", "at": at, "model": "stable-audio-1.0"}]}))
                    .send()
                    .await;
                match answer {
                    Ok(r) if r.status() == 200 => {
                        let v: Value = r.json().await.unwrap_or(Value::Null);
                        if v["stored"] == 1 {
                            acked.insert(id);
                        }
                    }
                    _ => break,
                }
                n += 1;
            }
            (acked, sent)
        })
    };
    // Somewhere between 0.3 s and 1.5 s into the stream.
    let mut random = [0_u8; 2];
    getrandom::fill(&mut random).expect("random");
    let wait = 300 + u64::from(u16::from_le_bytes(random)) % 1200;
    tokio::time::sleep(Duration::from_millis(wait)).await;
    server.kill_9();
    stop.store(true, Ordering::Relaxed);
    let (acked, sent) = writer.await.expect("writer");
    assert!(
        acked.len() > 5,
        "the kill came after some acknowledged events ({})",
        acked.len()
    );

    let server = Running::start(&url, &[]);
    let mut stored = stored_ids(&http, &server.base, &support, "acct_k").await;
    assert!(stored.remove("sub"));
    let lost: Vec<_> = acked.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "acknowledged but lost after kill -9: {lost:?}"
    );
    let invented: Vec<_> = stored.difference(&sent).collect();
    assert!(invented.is_empty(), "stored but never sent: {invented:?}");
    // At most the one request in flight at the kill may be stored unacknowledged.
    assert!(
        stored.len() <= acked.len() + 1,
        "{} stored, {} acknowledged",
        stored.len(),
        acked.len()
    );
    eprintln!(
        "kill -9 after {wait} ms: {} acknowledged, {} stored",
        acked.len(),
        stored.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_on_sqlite() {
    kill_9_loses_nothing_acknowledged(&TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_on_postgres() {
    let Some(db) = TestDb::postgres("kill_9").await else {
        return;
    };
    kill_9_loses_nothing_acknowledged(&db).await;
    db.drop_database().await;
}

/// A TCP relay in front of PostgreSQL that can be cut and restored, to make the database
/// unreachable for the server without stopping the shared test server.
struct Relay {
    listen: SocketAddr,
    target: SocketAddr,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let listen = listener.local_addr().expect("addr");
        let mut relay = Relay {
            listen,
            target,
            task: None,
        };
        relay.serve(listener);
        relay
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let target = self.target;
        self.task = Some(tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                conns.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Closes the listener and every relayed connection.
    fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    /// Listens again on the same port.
    async fn restore(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match tokio::net::TcpListener::bind(self.listen).await {
                Ok(l) => break l,
                Err(e) => {
                    assert!(Instant::now() < deadline, "cannot listen again: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        self.serve(listener);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_outage_is_503_and_the_server_recovers_by_itself() {
    let Some(db) = TestDb::postgres("outage").await else {
        return;
    };
    let direct = db.url();
    let ingest = create_key(&direct, "billing", "ingest");
    let support = create_key(&direct, "agent", "support");
    // The server reaches the database through the relay.
    let host_port = direct
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("host:port in the URL");
    let target: SocketAddr = tokio::net::lookup_host(host_port)
        .await
        .expect("resolve")
        .next()
        .expect("an address");
    let mut relay = Relay::start(target).await;
    let via_relay = direct.replacen(host_port, &relay.listen.to_string(), 1);
    let server = Running::start(&via_relay, &[]);
    let http = client();
    put_account(&http, &server.base, &ingest, "acct_o").await;

    relay.cut();
    let r = http
        .get(format!("{}/api/v1/accounts/acct_o", server.base))
        .bearer_auth(&support)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let p: Value = r.json().await.expect("problem");
    assert_eq!(p["type"], "https://ratecard.dev/problems/store-unavailable");
    assert!(
        !p.to_string().contains(host_port),
        "no database address leaks: {p}"
    );
    // The calculations do not need the database.
    let r = http
        .get(format!("{}/api/v1/catalogues", server.base))
        .send()
        .await
        .expect("catalogues");
    assert_eq!(r.status(), 200);
    let r = http
        .post(format!("{}/api/v1/accounts/acct_o/events", server.base))
        .bearer_auth(&ingest)
        .json(&json!({"events": [{"id": "x", "type": "subscribe", "at": "2025-06-01T00:00:00Z", "plan": "pro"}]}))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        r.status(),
        503,
        "a write while the database is away is refused"
    );

    relay.restore().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = http
            .get(format!("{}/api/v1/accounts/acct_o", server.base))
            .bearer_auth(&support)
            .send()
            .await
            .expect("answer");
        if r.status() == 200 {
            break;
        }
        assert_eq!(r.status(), 503);
        assert!(
            Instant::now() < deadline,
            "the server did not recover within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Nothing of the refused write was stored.
    assert!(
        stored_ids(&http, &server.base, &support, "acct_o")
            .await
            .is_empty()
    );
    drop(server);
    relay.cut();
    db.drop_database().await;
}

#[test]
fn the_server_starts_while_the_database_is_down() {
    // Nothing listens on this port: the server starts, the calculations answer and the
    // account endpoints answer 503.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let url = format!("postgres://nobody:secret@127.0.0.1:{port}/none");
    let mut server = Running::start(&url, &[]);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let http = client();
        let r = http
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .expect("healthz");
        assert_eq!(r.status(), 200);
        let r = http
            .get(format!("{}/api/v1/accounts?q=a", server.base))
            .bearer_auth("rck_nope")
            .send()
            .await
            .expect("answer");
        assert_eq!(r.status(), 503);
        let body = r.text().await.expect("body");
        assert!(!body.contains("secret"), "{body}");
    });
    server.kill_9();
}

/// The deliveries of `tests/fixtures/stripe/`, in the order Stripe would send them.
const DELIVERIES: [&str; 10] = [
    include_str!("fixtures/stripe/subscription_created.json"),
    include_str!("fixtures/stripe/subscription_updated_upgrade.json"),
    include_str!("fixtures/stripe/subscription_updated_downgrade.json"),
    include_str!("fixtures/stripe/subscription_updated_cancel_at_period_end.json"),
    include_str!("fixtures/stripe/invoice_paid_subscription.json"),
    include_str!("fixtures/stripe/invoice_paid_one_off.json"),
    include_str!("fixtures/stripe/charge_refunded.json"),
    include_str!("fixtures/stripe/charge_refunded_again.json"),
    include_str!("fixtures/stripe/subscription_deleted.json"),
    include_str!("fixtures/stripe/plan_created.json"),
];

const SECRET: &str = "whsec_test_4f1c8a";
const CUSTOMER: &str = "cus_QXg1o8vcGmoR32";

async fn deliver(
    http: &reqwest::Client,
    base: &str,
    body: &str,
    signature: Option<String>,
) -> reqwest::Response {
    let mut req = http
        .post(format!("{base}/api/v1/webhooks/stripe"))
        .header("content-type", "application/json; charset=utf-8")
        .body(body.to_owned());
    if let Some(signature) = signature {
        req = req.header("Stripe-Signature", signature);
    }
    req.send().await.expect("delivery")
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn problem_type(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let p: Value = r.json().await.expect("problem");
    (status, p["type"].as_str().unwrap_or_default().to_owned())
}

/// Signed Stripe deliveries over a real socket: verified, mapped to account events,
/// stored once, and read back through the support endpoints.
async fn stripe_deliveries_become_the_account_history(db: &TestDb) {
    let url = db.url();
    let support = create_key(&url, "agent", "support");
    let server = Running::start(&url, &["--stripe-webhook-secret", SECRET]);
    let http = client();

    // Refused: no signature, a wrong secret, a tampered body, a stale timestamp.
    let body = DELIVERIES[0];
    let r = deliver(&http, &server.base, body, None).await;
    assert_eq!(
        problem_type(r).await,
        (
            400,
            "https://ratecard.dev/problems/invalid-signature".to_owned()
        )
    );
    let wrong = ratecard_server::stripe::sign("whsec_other", now_unix(), body.as_bytes());
    let r = deliver(&http, &server.base, body, Some(wrong)).await;
    let status = r.status().as_u16();
    let text = r.text().await.expect("body");
    assert_eq!(status, 400, "{text}");
    assert!(!text.contains(SECRET), "the secret is never echoed: {text}");
    let signed = ratecard_server::stripe::sign(SECRET, now_unix(), body.as_bytes());
    let tampered = body.replacen(
        "price_stable_audio_pro_monthly",
        "price_stable_audio_max_monthly",
        1,
    );
    assert_ne!(tampered, body);
    let r = deliver(&http, &server.base, &tampered, Some(signed)).await;
    assert_eq!(problem_type(r).await.0, 400);
    let stale = ratecard_server::stripe::sign(SECRET, now_unix() - 301, body.as_bytes());
    let r = deliver(&http, &server.base, body, Some(stale)).await;
    assert_eq!(problem_type(r).await.0, 400);
    let r = http
        .get(format!("{}/api/v1/accounts/{CUSTOMER}", server.base))
        .bearer_auth(&support)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404, "nothing was stored by refused deliveries");

    // Accepted: each delivery once, with a second `v1` for a rolled secret beside it.
    let mut stored = 0;
    for body in DELIVERIES {
        let t = now_unix();
        let old = ratecard_server::stripe::sign("whsec_rolled_away", t, body.as_bytes());
        let new = ratecard_server::stripe::sign(SECRET, t, body.as_bytes());
        let header = format!("{new},{}", old.split(',').nth(1).expect("v1"));
        let r = deliver(&http, &server.base, body, Some(header)).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
        let receipt: Value = r.json().await.expect("receipt");
        stored += receipt["stored"].as_u64().expect("stored");
    }
    assert_eq!(
        stored, 7,
        "subscribe, upgrade, downgrade, charge, two refunds, cancel"
    );
    // A repeated delivery is acknowledged and stored once.
    let again = DELIVERIES[6];
    let r = deliver(
        &http,
        &server.base,
        again,
        Some(ratecard_server::stripe::sign(
            SECRET,
            now_unix(),
            again.as_bytes(),
        )),
    )
    .await;
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.expect("receipt");
    assert_eq!(receipt["applied"], false);
    assert_eq!(receipt["stored"], 0);

    let events = http
        .get(format!("{}/api/v1/accounts/{CUSTOMER}/events", server.base))
        .bearer_auth(&support)
        .send()
        .await
        .expect("events")
        .json::<Value>()
        .await
        .expect("json");
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        kinds,
        [
            "subscribe",
            "upgrade",
            "downgrade",
            "charge",
            "refund",
            "refund",
            "cancel"
        ]
    );
    assert!(
        events["events"][0]["id"]
            .as_str()
            .expect("id")
            .starts_with("stripe:evt_")
    );

    // The stored ledger is the ledger endpoint's answer for the same history.
    let at = "2027-03-11T00:00:00Z";
    let stored_ledger = http
        .get(format!(
            "{}/api/v1/accounts/{CUSTOMER}/ledger?at={at}",
            server.base
        ))
        .bearer_auth(&support)
        .send()
        .await
        .expect("ledger");
    assert_eq!(stored_ledger.status(), 200);
    let stored_ledger = stored_ledger.text().await.expect("body");
    let history: Vec<Value> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.as_object_mut().expect("object").remove("id");
            e
        })
        .collect();
    let posted = http
        .post(format!("{}/api/v1/ledger", server.base))
        .json(&json!({"time_zone": "UTC", "at": at, "events": history}))
        .send()
        .await
        .expect("post ledger")
        .text()
        .await
        .expect("body");
    assert_eq!(stored_ledger, posted);
    assert!(
        stored_ledger.contains("R-REFUND-4"),
        "the refunds are explained: {stored_ledger}"
    );

    let audit: Value = http
        .get(format!("{}/api/v1/audit?account={CUSTOMER}", server.base))
        .bearer_auth(&support)
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("json");
    let writers: BTreeSet<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "write")
        .map(|e| e["key"].as_str().expect("key"))
        .collect();
    assert_eq!(writers, BTreeSet::from(["stripe-webhook"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stripe_webhook_on_sqlite() {
    stripe_deliveries_become_the_account_history(&TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stripe_webhook_on_postgres() {
    let Some(db) = TestDb::postgres("stripe").await else {
        return;
    };
    stripe_deliveries_become_the_account_history(&db).await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secret_the_webhook_says_how_to_configure_it() {
    let db = TestDb::sqlite();
    let server = Running::start(&db.url(), &[]);
    let body = DELIVERIES[0];
    let r = deliver(
        &client(),
        &server.base,
        body,
        Some(ratecard_server::stripe::sign(
            SECRET,
            now_unix(),
            body.as_bytes(),
        )),
    )
    .await;
    let status = r.status().as_u16();
    let p: Value = r.json().await.expect("problem");
    assert_eq!(status, 503);
    assert_eq!(
        p["type"],
        "https://ratecard.dev/problems/webhook-not-configured"
    );
    assert!(
        p["detail"]
            .as_str()
            .expect("detail")
            .contains("--stripe-webhook-secret"),
        "{p}"
    );
}
