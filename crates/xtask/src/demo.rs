//! The demo database of `cargo xtask serve`: a few accounts with a year of history each,
//! for the support console, and the one-year history the store benchmarks replay.
//!
//! Everything is generated deterministically (a fixed seed per account), and every event
//! has a fixed id, so seeding again stores nothing new: the server answers that every
//! event is a duplicate.
//!
//! Each demo account has a subscription with upgrades or downgrades, generations on the
//! three models of the `stable-audio` catalogue every month, uploads (one of them flagged
//! as someone else's copyright), a one-off charge, a grant of promotional credits and a
//! refund request; one account cancels. Usage stays well inside each plan's allowance, so
//! the ledger refuses nothing (a unit test replays every history with the rules crate).

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::http::Client;
use crate::util::{Result, root, step};

/// The folder of the demo database, relative to the workspace root (gitignored).
pub const DATA_DIR: &str = "ratecard-data";
/// The server's default database, which the demo fills.
pub const DEFAULT_DATABASE: &str = "sqlite://ratecard-data/ratecard.db";
/// The demo keys, kept beside the database.
const KEYS_FILE: &str = "demo-keys.json";
const INGEST_KEY_NAME: &str = "demo-ingest";
const SUPPORT_KEY_NAME: &str = "demo-support";
/// Events per `POST /api/v1/accounts/{id}/events`, well under the 64 KiB body limit.
pub const BATCH: usize = 100;
/// Every history ends before this instant, which is also where the demo ledgers are
/// checked.
const END: (i32, u32, u32) = (2026, 11, 20);

/// The three generation models of the `stable-audio` catalogue.
pub const MODELS: [&str; 3] = ["stable-audio-1.0", "stable-audio-1.1", "stable-audio-2.0"];

/// One account and its history.
pub struct Account {
    pub id: String,
    pub name: String,
    pub email: String,
    pub time_zone: String,
    pub created_at: String,
    /// Events as the store takes them: each with an `id`, in time order.
    pub events: Vec<Value>,
}

impl Account {
    /// The body of `PUT /api/v1/accounts/{id}`.
    pub fn put_body(&self) -> String {
        json!({
            "email": self.email,
            "name": self.name,
            "time_zone": self.time_zone,
            "created_at": self.created_at,
        })
        .to_string()
    }

    /// The events as `POST /api/v1/ledger` takes them: without ids, except a grant's,
    /// which is its label.
    pub fn ledger_events(&self) -> Vec<Value> {
        self.events
            .iter()
            .map(|event| {
                let mut event = event.clone();
                if event["type"] != "grant"
                    && let Some(object) = event.as_object_mut()
                {
                    object.remove("id");
                }
                event
            })
            .collect()
    }

    /// The body of `POST /api/v1/ledger` for this history at `at`.
    pub fn ledger_body(&self, at: &str) -> String {
        json!({
            "time_zone": self.time_zone,
            "at": at,
            "events": self.ledger_events(),
        })
        .to_string()
    }
}

/// The instant at which the demo histories are complete, RFC 3339.
pub fn end_instant() -> String {
    rfc3339(ymd_hm(END.0, END.1, END.2, 0, 0))
}

/// A plan change or a one-off event of a history.
#[derive(Clone, Copy)]
enum Step {
    Subscribe(&'static str),
    Upgrade(&'static str),
    Downgrade(&'static str),
    Cancel,
    Charge(i64, &'static str),
    Grant(u64),
    RefundRequest(&'static str),
}

/// The script of one account; the usage between its steps is generated.
struct Profile {
    short: &'static str,
    name: &'static str,
    email: &'static str,
    time_zone: &'static str,
    /// When the account was created: (month, day) of 2026, at 08:00 UTC.
    created: (u32, u32),
    /// (month, day, hour UTC) of 2026, in time order.
    steps: &'static [((u32, u32, u32), Step)],
    /// Generations a month the account aims at; fewer when the plan allows fewer.
    generations_per_month: u32,
    /// The month of the upload flagged as someone else's copyright.
    flagged_month: u32,
    seed: u64,
}

const PROFILES: [Profile; 6] = [
    Profile {
        short: "ada",
        name: "Ada Lovelace",
        email: "ada@example.com",
        time_zone: "Europe/Berlin",
        created: (1, 4),
        steps: &[
            ((1, 5, 10), Step::Subscribe("pro")),
            ((2, 1, 9), Step::Grant(300)),
            ((4, 14, 15), Step::Upgrade("studio")),
            ((6, 10, 11), Step::Charge(499, "Sample pack")),
            ((6, 12, 8), Step::RefundRequest("accidental-purchase")),
            ((9, 2, 17), Step::Downgrade("pro")),
        ],
        generations_per_month: 60,
        flagged_month: 5,
        seed: 1,
    },
    Profile {
        short: "grace",
        name: "Grace Hopper",
        email: "grace@example.com",
        time_zone: "America/New_York",
        created: (1, 11),
        steps: &[
            ((1, 12, 14), Step::Subscribe("free")),
            ((3, 3, 16), Step::Upgrade("pro")),
            ((7, 21, 13), Step::Upgrade("max")),
            ((8, 15, 18), Step::Charge(1999, "Priority support")),
            ((8, 18, 12), Step::RefundRequest("unauthorized-charge")),
            ((10, 1, 12), Step::Grant(1000)),
        ],
        generations_per_month: 45,
        flagged_month: 8,
        seed: 2,
    },
    Profile {
        short: "alan",
        name: "Alan Turing",
        email: "alan@example.com",
        time_zone: "Europe/London",
        created: (1, 19),
        steps: &[
            ((1, 20, 9), Step::Subscribe("studio")),
            ((2, 25, 10), Step::Charge(299, "Stem export")),
            ((2, 27, 9), Step::RefundRequest("none")),
            ((3, 15, 12), Step::Grant(200)),
            ((5, 5, 19), Step::Downgrade("pro")),
        ],
        generations_per_month: 40,
        flagged_month: 3,
        seed: 3,
    },
    Profile {
        short: "katherine",
        name: "Katherine Johnson",
        email: "katherine@example.com",
        time_zone: "Asia/Tokyo",
        created: (1, 7),
        steps: &[
            ((1, 8, 3), Step::Subscribe("pro")),
            ((3, 10, 5), Step::Upgrade("studio")),
            ((4, 2, 6), Step::Grant(500)),
            ((7, 7, 2), Step::Charge(799, "Voice pack")),
            ((9, 12, 4), Step::RefundRequest("none")),
            ((10, 20, 7), Step::Cancel),
        ],
        generations_per_month: 50,
        flagged_month: 6,
        seed: 4,
    },
    Profile {
        short: "hedy",
        name: "Hedy Lamarr",
        email: "hedy@example.com",
        time_zone: "Australia/Sydney",
        created: (1, 14),
        steps: &[
            ((1, 15, 0), Step::Subscribe("max")),
            ((3, 20, 1), Step::Grant(400)),
            ((4, 2, 2), Step::Downgrade("studio")),
            ((8, 8, 3), Step::Upgrade("max")),
            ((10, 4, 22), Step::Charge(1299, "Commercial licence add-on")),
            ((10, 6, 23), Step::RefundRequest("accidental-purchase")),
        ],
        generations_per_month: 55,
        flagged_month: 9,
        seed: 5,
    },
    Profile {
        short: "edsger",
        name: "Edsger Dijkstra",
        email: "edsger@example.com",
        time_zone: "America/Los_Angeles",
        created: (1, 31),
        steps: &[
            ((2, 1, 17), Step::Subscribe("free")),
            ((4, 1, 18), Step::Grant(100)),
            ((6, 1, 19), Step::Upgrade("pro")),
            ((7, 30, 20), Step::Charge(199, "Extra upload minutes")),
            ((8, 2, 21), Step::RefundRequest("unauthorized-charge")),
            ((10, 15, 16), Step::Downgrade("free")),
        ],
        generations_per_month: 30,
        flagged_month: 7,
        seed: 6,
    },
];

/// The history the store benchmarks replay: a Berlin account on Studio, then Max, with
/// `generations_per_month` generations and three uploads a month for a year.
const BENCH_PROFILE: Profile = Profile {
    short: "bench",
    name: "Bench Account",
    email: "bench@example.com",
    time_zone: "Europe/Berlin",
    created: (1, 4),
    steps: &[
        ((1, 5, 10), Step::Subscribe("studio")),
        ((2, 1, 9), Step::Grant(300)),
        ((2, 10, 15), Step::Upgrade("max")),
        ((6, 10, 11), Step::Charge(499, "Sample pack")),
        ((6, 12, 8), Step::RefundRequest("accidental-purchase")),
    ],
    generations_per_month: 0,
    flagged_month: 5,
    seed: 99,
};

/// The demo accounts.
pub fn accounts() -> Vec<Account> {
    PROFILES.iter().map(|p| generate(p, None)).collect()
}

/// The benchmark account with `generations_per_month` generations a month (as many as
/// the plans allow): about 12 × (`generations_per_month` + 3) + 5 events.
pub fn bench_account(id: &str, generations_per_month: u32) -> Account {
    let mut account = generate(&BENCH_PROFILE, Some(generations_per_month));
    // Ids are unique per account in the store; the benchmark account's own id keeps them
    // readable in its logs.
    account.id = id.to_owned();
    account
}

/// The allowances of the `stable-audio` catalogue's plans: credits, upload seconds and
/// the crop length of an upload.
fn allowance(plan: &str) -> (u64, u64, u64) {
    match plan {
        "pro" => (500, 1800, 180),
        "studio" => (1350, 3600, 180),
        "max" => (2700, 5400, 180),
        _ => (20, 120, 30),
    }
}

/// SplitMix64: a tiny deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn ymd_hm(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, min, 0))
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn month_start(m: u32) -> DateTime<Utc> {
    if m > 12 {
        ymd_hm(2027, m - 12, 1, 0, 0)
    } else {
        ymd_hm(2026, m, 1, 0, 0)
    }
}

fn generate(profile: &Profile, per_month: Option<u32>) -> Account {
    let mut rng = Rng(profile.seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let at = |(m, d, h): (u32, u32, u32)| ymd_hm(2026, m, d, h, 0);
    let end = ymd_hm(END.0, END.1, END.2, 0, 0);
    let mut events: Vec<(DateTime<Utc>, Value)> = Vec::new();
    // The plans in force, as (from, plan); a downgrade counts from when it is asked for,
    // which only makes the usage budget smaller.
    let mut plans: Vec<(DateTime<Utc>, &str)> = Vec::new();
    let mut start = end;
    let mut stop = end;
    for &(when, step) in profile.steps {
        let t = at(when);
        let event = match step {
            Step::Subscribe(plan) => {
                plans.push((t, plan));
                start = t;
                json!({"type": "subscribe", "at": rfc3339(t), "plan": plan})
            }
            Step::Upgrade(plan) => {
                plans.push((t, plan));
                json!({"type": "upgrade", "at": rfc3339(t), "to_plan": plan})
            }
            Step::Downgrade(plan) => {
                plans.push((t, plan));
                json!({"type": "downgrade", "at": rfc3339(t), "to_plan": plan})
            }
            Step::Cancel => {
                stop = t;
                json!({"type": "cancel", "at": rfc3339(t)})
            }
            Step::Charge(amount, what) => json!({
                "type": "charge", "at": rfc3339(t), "amount_minor": amount, "description": what,
            }),
            Step::Grant(credits) => json!({
                "type": "grant", "at": rfc3339(t), "id": format!("{}-promo-credits", profile.short),
                "credits": credits,
            }),
            Step::RefundRequest(reason) => {
                json!({"type": "refund-request", "at": rfc3339(t), "reason": reason})
            }
        };
        events.push((t, event));
    }
    let plan_at = |t: DateTime<Utc>| {
        plans
            .iter()
            .rev()
            .find(|(from, _)| *from <= t)
            .map_or("free", |(_, plan)| *plan)
    };
    for m in 1..=12u32 {
        let (from, to) = (month_start(m), month_start(m + 1));
        // A margin after the subscription and before a cancellation or the end.
        let from = from.max(start + TimeDelta::hours(2));
        let to = to.min(stop - TimeDelta::hours(2)).min(end);
        if from >= to {
            continue;
        }
        // The smallest allowance in force from a month before this one to its end: any
        // renewal period overlaps at most two calendar months, and each takes at most
        // 35 % of it, so nothing is ever refused.
        let since = month_start(m.saturating_sub(1).max(1)).max(start);
        let smallest = [since, from, to]
            .into_iter()
            .chain(
                plans
                    .iter()
                    .map(|(t, _)| *t)
                    .filter(|t| *t > since && *t < to),
            )
            .map(|t| allowance(plan_at(t)))
            .fold((u64::MAX, u64::MAX, u64::MAX), |a, b| {
                (a.0.min(b.0), a.1.min(b.1), a.2.min(b.2))
            });
        let (credits, upload_seconds, crop) = smallest;
        let span = u64::try_from((to - from).num_seconds()).unwrap_or(0);
        let instant = |rng: &mut Rng| from + TimeDelta::seconds(rng.below(span) as i64);
        // Generations cost 1, 1 and 2 credits: 4/3 on average, at most 2.
        let budget = credits * 35 / 100;
        let wanted = u64::from(per_month.unwrap_or(profile.generations_per_month));
        let wanted = if per_month.is_some() {
            wanted
        } else {
            // The demo accounts vary a little from month to month.
            wanted * (80 + rng.below(41)) / 100
        };
        let mut spent = 0;
        for _ in 0..wanted {
            let model = MODELS[rng.below(3) as usize];
            let cost = if model == "stable-audio-2.0" { 2 } else { 1 };
            if spent + cost > budget {
                break;
            }
            spent += cost;
            let t = instant(&mut rng);
            events.push((
                t,
                json!({"type": "generation", "at": rfc3339(t), "model": model}),
            ));
        }
        let upload_budget = upload_seconds * 35 / 100;
        let mut uploaded = 0;
        for i in 0..3u64 {
            let longest = crop.min(170);
            let seconds = (longest * 2 / 3 + rng.below(longest / 3 + 1)).min(longest);
            if uploaded + seconds > upload_budget {
                break;
            }
            uploaded += seconds;
            let t = instant(&mut rng);
            let mut upload = json!({"type": "upload", "at": rfc3339(t), "seconds": seconds});
            if m == profile.flagged_month && i == 0 {
                upload["copyright_flagged"] = Value::Bool(true);
            }
            events.push((t, upload));
        }
    }
    // Time order; the script's steps come first at equal instants.
    events.sort_by_key(|(t, _)| *t);
    let mut number = 0;
    let events = events
        .into_iter()
        .map(|(_, mut event)| {
            if event["type"] != "grant" {
                number += 1;
                event["id"] = Value::String(format!("{}-{number:04}", profile.short));
            }
            event
        })
        .collect();
    let (cm, cd) = profile.created;
    Account {
        id: format!("demo-{}", profile.short),
        name: profile.name.to_owned(),
        email: profile.email.to_owned(),
        time_zone: profile.time_zone.to_owned(),
        created_at: rfc3339(ymd_hm(2026, cm, cd, 8, 0)),
        events,
    }
}

/// The demo keys, as kept in `ratecard-data/demo-keys.json`.
pub struct DemoKeys {
    pub ingest: String,
    pub support: String,
}

/// Runs `ratecard-server keys ARGS --database DATABASE` and returns its standard output.
///
/// The store answers "unavailable" (exit code 5) while another process migrates a fresh
/// SQLite database (the server migrates it just after it starts listening), so that is
/// retried for a few seconds.
pub fn keys(server: &Path, database: &str, args: &[&str]) -> Result<String> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let output = std::process::Command::new(server)
            .arg("keys")
            .args(args)
            .args(["--database", database])
            .current_dir(root())
            .output()
            .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
        if output.status.success() {
            return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
        }
        if output.status.code() == Some(5) && attempt < 10 {
            std::thread::sleep(std::time::Duration::from_millis(500));
            continue;
        }
        return Err(format!(
            "ratecard-server keys {} failed ({}): {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
}

/// Creates the key `name`; when the name is taken (its key was lost with the keys file),
/// revokes it and creates it again. A store that keeps revoked names taken gets the
/// first free `NAME-2` … `NAME-9` instead.
fn create_key(server: &Path, database: &str, name: &str, role: &str) -> Result<String> {
    let create = |name: &str| {
        keys(
            server,
            database,
            &["create", "--name", name, "--role", role],
        )
        .and_then(|out| {
            let key = out.trim().to_owned();
            if key.is_empty() || key.contains(char::is_whitespace) {
                Err(format!("`keys create` printed {out:?}, not one key"))
            } else {
                Ok(key)
            }
        })
    };
    let first = match create(name) {
        Ok(key) => return Ok(key),
        Err(e) => e,
    };
    println!(
        "xtask: the key {name} exists but its secret is lost ({first}): revoking it and creating it again"
    );
    // Already revoked is fine too.
    let _ = keys(server, database, &["revoke", name]);
    let mut last = match create(name) {
        Ok(key) => return Ok(key),
        Err(e) => e,
    };
    for n in 2..=9 {
        let other = format!("{name}-{n}");
        match create(&other) {
            Ok(key) => {
                println!(
                    "xtask: the name {name} stays taken after its revocation: the new key is {other}"
                );
                return Ok(key);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn keys_file() -> PathBuf {
    root().join(DATA_DIR).join(KEYS_FILE)
}

/// The demo keys from `ratecard-data/demo-keys.json` when it is for `database`, or new
/// ones (written there) when it is missing, for another database, or `renew` is set.
fn demo_keys(server: &Path, database: &str, renew: bool) -> Result<DemoKeys> {
    let file = keys_file();
    if !renew
        && let Ok(text) = fs::read_to_string(&file)
        && let Ok(saved) = serde_json::from_str::<Value>(&text)
        && saved["database"] == database
        && let (Some(ingest), Some(support)) = (saved["ingest"].as_str(), saved["support"].as_str())
    {
        return Ok(DemoKeys {
            ingest: ingest.to_owned(),
            support: support.to_owned(),
        });
    }
    step(&format!(
        "creating the demo keys {INGEST_KEY_NAME} and {SUPPORT_KEY_NAME} (ratecard-server keys create)"
    ));
    let ingest = create_key(server, database, INGEST_KEY_NAME, "ingest")?;
    let support = create_key(server, database, SUPPORT_KEY_NAME, "support")?;
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let saved = json!({
        "database": database,
        "ingest": ingest,
        "support": support,
        "note": "demo keys made by `cargo xtask serve`; delete this file to make new ones",
    });
    let text = serde_json::to_string_pretty(&saved).map_err(|e| e.to_string())?;
    fs::write(&file, text + "\n").map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(DemoKeys { ingest, support })
}

/// Puts one account and posts its events in batches; returns (stored, duplicates).
pub fn upload_account(ingest: &Client, account: &Account, batch: usize) -> Result<(u64, u64)> {
    let path = format!("/api/v1/accounts/{}", account.id);
    ingest
        .put(&path, &account.put_body())?
        .expect(&format!("PUT {path}"), &[200, 201])?;
    let (mut stored, mut duplicates) = (0, 0);
    for chunk in account.events.chunks(batch.max(1)) {
        let body = json!({ "events": chunk }).to_string();
        let answer = ingest
            .post(&format!("{path}/events"), &body)?
            .expect(&format!("POST {path}/events"), &[200, 201])?;
        let counts = answer.json(&format!("POST {path}/events"))?;
        stored += counts["stored"].as_u64().unwrap_or(0);
        duplicates += counts["duplicates"].as_u64().unwrap_or(0);
    }
    Ok((stored, duplicates))
}

/// Fills the database of the server at `addr` with the demo accounts, idempotently, and
/// returns the demo keys.
pub fn seed(server: &Path, database: &str, addr: &str) -> Result<DemoKeys> {
    let client = Client::new(addr);
    let mut keys = demo_keys(server, database, false)?;
    // Keys from the file that the database no longer knows (it was deleted and made
    // anew) are made again.
    let probe = client
        .with_key(&keys.support)
        .get("/api/v1/accounts?q=example.com")?;
    if probe.status == 401 {
        keys = demo_keys(server, database, true)?;
    }
    step("seeding the demo accounts (fixed event ids: seeding again stores nothing new)");
    let ingest = client.with_key(&keys.ingest);
    for account in accounts() {
        let (stored, duplicates) = upload_account(&ingest, &account, BATCH)?;
        println!(
            "xtask:   {:<16} {:<24} {:>4} events: {stored} stored, {duplicates} already there",
            account.id,
            account.email,
            account.events.len()
        );
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratecard_rules::Catalogue;
    use ratecard_rules::api::{self, EntryKind, LedgerRequest};

    fn replay(account: &Account) -> api::LedgerResponse {
        let request: LedgerRequest =
            serde_json::from_str(&account.ledger_body(&end_instant())).expect("a ledger request");
        let catalogue = Catalogue::builtin("stable-audio").expect("the catalogue");
        api::ledger(&catalogue, &request).expect("the ledger computes")
    }

    #[test]
    fn every_demo_history_replays_without_a_refusal() {
        for account in accounts() {
            let ledger = replay(&account);
            let refusals: Vec<_> = ledger
                .timeline
                .iter()
                .filter(|e| e.kind == EntryKind::Refusal)
                .map(|e| format!("{} {:?}", e.at, e.explanation))
                .collect();
            assert!(refusals.is_empty(), "{}: {refusals:#?}", account.id);
            assert_eq!(ledger.ignored_events, 0, "{}", account.id);
            assert!(
                account.events.len() > 100,
                "{}: {}",
                account.id,
                account.events.len()
            );
        }
    }

    #[test]
    fn the_demo_covers_every_kind_of_event() {
        let all: Vec<Value> = accounts().into_iter().flat_map(|a| a.events).collect();
        for kind in [
            "subscribe",
            "upgrade",
            "downgrade",
            "cancel",
            "generation",
            "upload",
            "charge",
            "grant",
            "refund-request",
        ] {
            assert!(all.iter().any(|e| e["type"] == kind), "no {kind}");
        }
        for model in MODELS {
            assert!(all.iter().any(|e| e["model"] == model), "no {model}");
        }
        assert!(all.iter().any(|e| e["copyright_flagged"] == true));
    }

    #[test]
    fn histories_are_deterministic_with_unique_ids() {
        let (a, b) = (accounts(), accounts());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.events, y.events);
            let mut ids: Vec<&str> = x.events.iter().filter_map(|e| e["id"].as_str()).collect();
            assert_eq!(ids.len(), x.events.len());
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), x.events.len(), "{}", x.id);
        }
    }

    #[test]
    fn the_bench_history_replays_without_a_refusal() {
        let account = bench_account("bench", 75);
        assert!(account.events.len() > 850, "{}", account.events.len());
        let ledger = replay(&account);
        assert!(ledger.timeline.iter().all(|e| e.kind != EntryKind::Refusal));
    }
}
