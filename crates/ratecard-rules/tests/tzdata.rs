//! The compact zone database (`src/zone/tzdata.bin`) against chrono-tz, its source.
//!
//! By default this proves the committed bytes answer exactly as chrono-tz does: the same
//! names, the same release, and the same offsets at every transition, around every
//! transition in local time, and at thousands of pseudo-random instants per zone.
//!
//! `UPDATE_TZDATA=1 cargo test -p ratecard-rules --test tzdata` regenerates the file from
//! the chrono-tz sources in the Cargo registry (found with `cargo metadata`), after a
//! chrono-tz upgrade.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, MappedLocalTime, NaiveDateTime, Offset, TimeZone};
use ratecard_rules::Zone;

const TZDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/zone/tzdata.bin");
const TZINDEX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/zone/tzindex.bin");

#[test]
fn the_committed_index_is_the_databases() {
    let index = ratecard_rules::zone_index();
    if std::env::var_os("UPDATE_TZDATA").is_some() {
        std::fs::write(TZINDEX, &index).expect("write tzindex.bin");
    }
    let committed = std::fs::read(TZINDEX).expect("read tzindex.bin");
    assert!(
        committed == index,
        "src/zone/tzindex.bin is stale: run `UPDATE_TZDATA=1 cargo test -p ratecard-rules --test tzdata`"
    );
}

/// Every zone file installs under every name of its zone, and answers as the compiled-in
/// database does; a byte changed anywhere in it is refused.
#[test]
fn every_zone_file_installs_and_a_changed_one_is_refused() {
    let files: BTreeMap<String, Vec<u8>> = ratecard_rules::zone_files().into_iter().collect();
    let distinct: std::collections::BTreeSet<&[u8]> = files.values().map(Vec::as_slice).collect();
    assert_eq!(distinct.len(), files.len(), "one file per distinct zone");
    for name in Zone::names() {
        // With the database compiled in nothing needs fetching, and yet each name's record
        // is one of the files, which the check accepts.
        assert_eq!(ratecard_rules::zone_file_needed(name), Ok(None));
        let accepted = files
            .values()
            .filter(|record| ratecard_rules::install_zone(name, record).is_ok())
            .count();
        assert_eq!(accepted, 1, "{name}: exactly one file is its zone's");
    }
    let (_, record) = files.iter().next().expect("a file");
    for at in [0, record.len() / 2, record.len() - 1] {
        let mut changed = record.clone();
        changed[at] ^= 1;
        assert!(files.values().all(|r| *r != changed));
        assert!(Zone::names().all(|n| ratecard_rules::install_zone(n, &changed).is_err()));
    }
}

fn chrono_tz_zone(name: &str) -> chrono_tz::Tz {
    name.parse().expect("a chrono-tz name")
}

/// The total offsets of a local-time lookup, earliest first.
fn local_offsets<Z: TimeZone>(zone: &Z, local: &NaiveDateTime) -> Vec<i32> {
    match zone.offset_from_local_datetime(local) {
        MappedLocalTime::Single(o) => vec![o.fix().local_minus_utc()],
        MappedLocalTime::Ambiguous(a, b) => {
            vec![a.fix().local_minus_utc(), b.fix().local_minus_utc()]
        }
        MappedLocalTime::None => vec![],
    }
}

fn utc_offset<Z: TimeZone>(zone: &Z, t: i64) -> Option<i32> {
    let at = DateTime::from_timestamp(t, 0)?.naive_utc();
    Some(zone.offset_from_utc_datetime(&at).fix().local_minus_utc())
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An instant between 1800 and 2200.
    fn instant(&mut self) -> i64 {
        const FROM: i64 = -5_364_662_400;
        const SPAN: u64 = 12_623_040_000;
        FROM + i64::try_from(self.next() % SPAN).expect("fits")
    }
}

#[test]
fn names_and_release_match_chrono_tz() {
    let mut expected: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    expected.sort_unstable();
    let ours: Vec<&str> = Zone::names().collect();
    assert_eq!(ours, expected);
    assert_eq!(Zone::database_version(), chrono_tz::IANA_TZDB_VERSION);
}

#[test]
fn every_zone_answers_like_chrono_tz() {
    if std::env::var_os("UPDATE_TZDATA").is_some() {
        regenerate();
    }
    let mut mix = Mix(0x7a7a);
    let mut checked = 0u64;
    for tz in chrono_tz::TZ_VARIANTS {
        let ours = Zone::named(tz.name()).expect("every chrono-tz name");
        // Every transition is checked on both sides in UTC and in local time, where the
        // gaps and folds are; random instants check the spans in between.
        let edges: Vec<i64> = ours.transitions().map(|(t, _)| t).collect();
        let instants: Vec<i64> = (0..2_000).map(|_| mix.instant()).collect();
        for &t in instants.iter().chain(&edges) {
            for probe in [t - 1, t, t + 1] {
                assert_eq!(
                    utc_offset(&ours, probe),
                    utc_offset(&tz, probe),
                    "{} at {probe}",
                    tz.name()
                );
                checked += 1;
            }
        }
        for &t in &edges {
            let before = i64::from(utc_offset(&ours, t - 1).expect("in range"));
            let after = i64::from(utc_offset(&ours, t).expect("in range"));
            for local in [
                t + before - 1,
                t + before,
                t + after - 1,
                t + after,
                t + before.min(after) + 30,
            ] {
                let local = DateTime::from_timestamp(local, 0)
                    .expect("in range")
                    .naive_utc();
                assert_eq!(
                    local_offsets(&ours, &local),
                    local_offsets(&tz, &local),
                    "{} at local {local}",
                    tz.name()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 2_000_000, "only {checked} lookups compared");
}

#[test]
fn every_offset_is_within_a_day_and_whole_seconds_survive() {
    let lmt = Zone::named("America/New_York").unwrap();
    let t = DateTime::from_timestamp(-3_000_000_000, 0).unwrap();
    assert_eq!(
        t.with_timezone(&lmt).offset().fix().local_minus_utc(),
        t.with_timezone(&chrono_tz_zone("America/New_York"))
            .offset()
            .fix()
            .local_minus_utc()
    );
    assert_eq!(
        t.with_timezone(&lmt).offset().fix().local_minus_utc(),
        -17_762
    );
}

/// Rewrites `src/zone/tzdata.bin` from chrono-tz's generated tables.
fn regenerate() {
    let source = chrono_tz_source();
    let text = std::fs::read_to_string(&source).expect("read chrono-tz's timezones.rs");

    // The name of every variant: `("America/New_York", Tz::America__New_York),`.
    let mut variant_of: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("(\"")
            && let Some((name, variant)) = rest.split_once("\", Tz::")
            && let Some(variant) = variant.strip_suffix("),")
        {
            variant_of.insert(name.to_owned(), variant.to_owned());
        }
    }
    assert_eq!(variant_of.len(), chrono_tz::TZ_VARIANTS.len());

    // Every variant's spans: `Tz::X => {` then `(t, FixedTimespan { utc_offset: u,
    // dst_offset: d, … }),` lines, then `first: FixedTimespan {` with two offset lines.
    let mut spans: BTreeMap<String, (i64, Vec<(i64, i64)>)> = BTreeMap::new();
    let mut current: Option<(String, Vec<(i64, i64)>)> = None;
    let mut first: Vec<i64> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(variant) = line
            .strip_prefix("Tz::")
            .and_then(|l| l.strip_suffix(" => {"))
        {
            current = Some((variant.to_owned(), Vec::new()));
            first.clear();
        } else if let Some((_, rest)) = current.as_mut()
            && let Some(body) = line.strip_prefix('(')
            && let Some((t, span)) = body.split_once(", FixedTimespan { utc_offset: ")
        {
            let (utc, span) = span.split_once(", dst_offset: ").expect("dst_offset");
            let (dst, _) = span.split_once(',').expect("name");
            let total = utc.parse::<i64>().unwrap() + dst.parse::<i64>().unwrap();
            rest.push((t.parse().unwrap(), total));
        } else if current.is_some()
            && let Some(value) = line
                .strip_prefix("utc_offset: ")
                .or_else(|| line.strip_prefix("dst_offset: "))
        {
            first.push(value.trim_end_matches(',').parse().unwrap());
            if first.len() == 2 {
                let (variant, rest) = current.take().expect("a block");
                spans.insert(variant, (first[0] + first[1], rest));
            }
        }
    }
    assert_eq!(spans.len(), chrono_tz::TZ_VARIANTS.len());

    // Identical zones (links and zones merged upstream) share one record.
    let mut records: Vec<Vec<u8>> = Vec::new();
    let mut index_of_record: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut names: Vec<(String, usize)> = Vec::new();
    for (name, variant) in &variant_of {
        let (first, rest) = &spans[variant];
        let record = encode_zone(*first, rest);
        let next = index_of_record.len();
        let index = *index_of_record.entry(record.clone()).or_insert_with(|| {
            records.push(record);
            next
        });
        names.push((name.clone(), index));
    }
    names.sort();

    let mut out = b"RCTZ\x01".to_vec();
    put_str(&mut out, chrono_tz::IANA_TZDB_VERSION);
    put_unsigned(&mut out, names.len() as u64);
    for (name, index) in &names {
        put_str(&mut out, name);
        put_unsigned(&mut out, *index as u64);
    }
    put_unsigned(&mut out, records.len() as u64);
    let mut at = 0u32;
    for record in &records {
        out.extend_from_slice(&at.to_le_bytes());
        at += u32::try_from(record.len()).unwrap();
    }
    for record in &records {
        out.extend_from_slice(record);
    }
    std::fs::write(TZDATA, out).expect("write tzdata.bin");
}

fn encode_zone(first: i64, rest: &[(i64, i64)]) -> Vec<u8> {
    let mut offsets = vec![first];
    for (_, o) in rest {
        if !offsets.contains(o) {
            offsets.push(*o);
        }
    }
    assert!(offsets.len() <= 256, "an offset index must fit a byte");
    let index = |o: i64| u8::try_from(offsets.iter().position(|x| *x == o).unwrap()).unwrap();
    let mut out = Vec::new();
    put_unsigned(&mut out, offsets.len() as u64);
    for o in &offsets {
        put_signed(&mut out, *o);
    }
    out.push(0);
    put_unsigned(&mut out, rest.len() as u64);
    let mut previous = 0i64;
    for (t, o) in rest {
        put_signed(&mut out, t - previous);
        previous = *t;
        out.push(index(*o));
    }
    out
}

fn put_unsigned(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = u8::try_from(value & 0x7f).unwrap();
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_signed(out: &mut Vec<u8>, value: i64) {
    put_unsigned(out, ((value << 1) ^ (value >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_unsigned(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// `src/prebuilt/timezones.rs` of the chrono-tz this workspace locks.
fn chrono_tz_source() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(output.status.success(), "cargo metadata failed");
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout).expect("metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "chrono-tz")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("chrono-tz in the dependency graph");
    PathBuf::from(manifest)
        .parent()
        .expect("a crate directory")
        .join("src/prebuilt/timezones.rs")
}
