//! # ratecard-parity
//!
//! Same input, same answer, everywhere: a deterministic generator of valid requests for
//! every calculation endpoint of [`ratecard_rules::api`], the native oracle ([`answer`]),
//! and (natively) a loopback HTTP client (ureq) to ask the real server the same questions.
//!
//! * `build.rs` generates the seed set natively and writes the cases and their native
//!   answers to `OUT_DIR/parity_cases.tsv`; `tests/wasm.rs` recomputes them in Chromium.
//! * `tests/server.rs` posts the same cases to the real `ratecard-server` binary.
//! * `src/bin/parity.rs` is the deep run.

#[path = "generator.rs"]
mod generator;

pub use generator::{
    CASES_PER_SEED, CI_CASES, Case, ENDPOINTS, Rng, ZONES, answer, answer_for, cases, seed_set,
    seed_set_from,
};

#[cfg(not(target_arch = "wasm32"))]
pub mod http;

/// The seed-set size in effect: `RATECARD_PARITY_CASES` at build time, else [`CI_CASES`].
#[must_use]
pub fn configured_cases() -> usize {
    option_env!("RATECARD_PARITY_CASES")
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(CI_CASES)
}

/// The first seed in effect: `RATECARD_PARITY_SEED` at build time, else 1.
#[must_use]
pub fn configured_seed() -> u64 {
    option_env!("RATECARD_PARITY_SEED")
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1)
}

/// The seed set in effect: [`configured_cases`] cases from [`configured_seed`]. With no
/// build-time variables, the CI set: seeds 1 to 10, 300 cases.
#[must_use]
pub fn configured_set() -> Vec<Case> {
    seed_set_from(configured_seed(), configured_cases())
}

/// Parses one line of `parity_cases.tsv`: seed, endpoint, request JSON, native answer.
#[must_use]
pub fn parse_line(line: &str) -> Option<(u64, &str, &str, &str)> {
    let mut parts = line.splitn(4, '\t');
    let seed = parts.next()?.parse().ok()?;
    Some((seed, parts.next()?, parts.next()?, parts.next()?))
}

/// The canonical form of an answer for comparison: JSON re-serialised through
/// [`serde_json::Value`], or the `error:<code>` string as is.
#[must_use]
pub fn canonical(answer: &str) -> String {
    if answer.starts_with('{') || answer.starts_with('[') {
        serde_json::from_str::<serde_json::Value>(answer)
            .map_or_else(|_| answer.to_owned(), |v| sort_keys(v).to_string())
    } else {
        answer.to_owned()
    }
}

/// The value with every object's keys in sorted order. `serde_json` keeps insertion order
/// when some crate in the build enables its `preserve_order` feature, so the canonical
/// form must not depend on the map type.
fn sort_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sort_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sort_keys).collect())
        }
        other => other,
    }
}

/// Where two strings first differ, with some context from each.
#[must_use]
pub fn first_difference(a: &str, b: &str) -> String {
    let i = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = i.saturating_sub(60);
    let snip = |s: &str| -> String {
        let bytes = &s.as_bytes()[from.min(s.len())..(i + 80).min(s.len())];
        String::from_utf8_lossy(bytes).into_owned()
    };
    format!(
        "first difference at byte {i} (lengths {} and {}):\n  left:  …{}…\n  right: …{}…",
        a.len(),
        b.len(),
        snip(a),
        snip(b)
    )
}
