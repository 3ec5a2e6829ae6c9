//! IANA time zones (R-TIME-1) from a compact copy of the tz database.
//!
//! The zone data is `zone/tzdata.bin`, generated from chrono-tz (see
//! `tests/tzdata.rs`, which also proves every zone answers exactly as chrono-tz does).
//! It holds only what the rules need, the total UTC offset over time, so the whole
//! database costs about 190 KB before compression and about 21 KB after brotli, instead
//! of the megabyte of tables chrono-tz links. The native server and the Wasm widget read
//! the same bytes with the same code, so they can never disagree about a zone.
//!
//! # Format
//!
//! Every integer is a LEB128 varint; a signed one is zigzag-encoded first.
//!
//! * `RCTZ`, a format byte (1), then the IANA release as a length-prefixed string.
//! * The name count, then per name (sorted by bytes): its length, its bytes and the index
//!   of its zone. Links such as `US/Eastern` share their target's zone.
//! * The zone count, then per zone a little-endian `u32`: where its record starts,
//!   counted from the end of this table.
//! * Per zone record: the count of distinct offsets, each offset in seconds (signed),
//!   the index of the offset before the first transition, the transition count, then
//!   per transition the seconds since the previous one (signed; the first counts from
//!   the Unix epoch) and one byte: the index of the offset in force from then on.

use std::fmt;
use std::sync::OnceLock;

use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeZone};

use crate::error::RuleError;

/// The encoded database; see the module documentation for its format.
static TZDATA: &[u8] = include_bytes!("zone/tzdata.bin");

/// The decoded name index and the lazily decoded zones.
struct Database {
    version: &'static str,
    /// Every name with its zone index, sorted by name.
    names: Vec<(&'static str, u16)>,
    /// Where each zone's record starts in [`TZDATA`].
    starts: Vec<usize>,
    /// Each zone, decoded on first use.
    zones: Vec<OnceLock<ZoneData>>,
}

/// One zone's offsets over time.
#[derive(Debug)]
struct ZoneData {
    /// Distinct offsets in seconds east of UTC.
    offsets: Vec<i32>,
    /// The index of the offset before the first transition.
    first: u8,
    /// Transition instants in Unix seconds, ascending.
    times: Vec<i64>,
    /// The offset index in force from each transition on.
    after: Vec<u8>,
}

/// A reader over the encoded bytes. The data is compiled in and checked by the tests, so
/// a malformed read is a build defect; it decodes as zero rather than panicking.
struct Reader {
    at: usize,
}

impl Reader {
    fn byte(&mut self) -> u8 {
        let b = TZDATA.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn unsigned(&mut self) -> u64 {
        let mut value = 0u64;
        let mut shift = 0u32;
        loop {
            let b = self.byte();
            value |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            shift += 7;
            if b & 0x80 == 0 || shift > 63 {
                return value;
            }
        }
    }

    fn signed(&mut self) -> i64 {
        let z = self.unsigned();
        // Zigzag: 0, -1, 1, -2, … map to 0, 1, 2, 3, ….
        ((z >> 1) as i64) ^ -((z & 1) as i64)
    }

    fn len(&mut self) -> usize {
        usize::try_from(self.unsigned()).unwrap_or(0)
    }

    fn str(&mut self) -> &'static str {
        let len = self.len();
        let bytes = TZDATA.get(self.at..self.at + len).unwrap_or_default();
        self.at += len;
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

fn database() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| {
        let mut r = Reader { at: 5 };
        let version = r.str();
        let name_count = r.len();
        let mut names = Vec::with_capacity(name_count);
        for _ in 0..name_count {
            let name = r.str();
            let zone = u16::try_from(r.unsigned()).unwrap_or(0);
            names.push((name, zone));
        }
        let zone_count = r.len();
        let table = r.at;
        let data = table + 4 * zone_count;
        let starts = (0..zone_count)
            .map(|i| {
                let at = table + 4 * i;
                let bytes = TZDATA.get(at..at + 4).unwrap_or(&[0; 4]);
                let offset = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                data + usize::try_from(offset).unwrap_or(0)
            })
            .collect();
        Database {
            version,
            names,
            starts,
            zones: (0..zone_count).map(|_| OnceLock::new()).collect(),
        }
    })
}

fn decode(start: usize) -> ZoneData {
    let mut r = Reader { at: start };
    let count = r.len();
    let offsets = (0..count)
        .map(|_| i32::try_from(r.signed()).unwrap_or(0))
        .collect();
    let first = r.byte();
    let transitions = r.len();
    let mut times = Vec::with_capacity(transitions);
    let mut after = Vec::with_capacity(transitions);
    let mut t = 0i64;
    for _ in 0..transitions {
        t = t.saturating_add(r.signed());
        times.push(t);
        after.push(r.byte());
    }
    ZoneData {
        offsets,
        first,
        times,
        after,
    }
}

impl ZoneData {
    /// The offset of span `i`: span 0 is before the first transition, span `i` starts at
    /// transition `i − 1`.
    fn offset(&self, span: usize) -> i32 {
        let index = if span == 0 {
            self.first
        } else {
            self.after[span - 1]
        };
        self.offsets[usize::from(index)]
    }

    /// The span in force at a Unix timestamp.
    fn span_at_utc(&self, timestamp: i64) -> usize {
        self.times.partition_point(|&t| t <= timestamp)
    }

    /// Whether the local timestamp falls in span `i`'s local-time range, which runs from
    /// its starting transition to its ending one, both read with the span's own offset.
    fn local_contains(&self, span: usize, local: i64) -> bool {
        let offset = i64::from(self.offset(span));
        let begins = span == 0 || self.times[span - 1] + offset <= local;
        let ends = span == self.times.len() || local < self.times[span] + offset;
        begins && ends
    }
}

/// An IANA time zone, such as `Europe/London` (R-TIME-1).
///
/// A `Zone` is a small copyable handle; it implements [`chrono::TimeZone`], so
/// `instant.with_timezone(&zone)` reads the wall-clock time there.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    index: u16,
    /// The name the zone was looked up by, for display.
    name: &'static str,
}

impl Zone {
    /// Looks up a zone by its IANA name, exactly as spelled in the tz database (links
    /// such as `US/Eastern` included).
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] for a name the database does not hold.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use ratecard_rules::Zone;
    /// let london = Zone::named("Europe/London")?;
    /// let summer = Utc.with_ymd_and_hms(2027, 7, 1, 12, 0, 0).unwrap().with_timezone(&london);
    /// assert_eq!(summer.to_rfc3339(), "2027-07-01T13:00:00+01:00");
    /// assert!(Zone::named("Mars/Olympus_Mons").is_err());
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn named(name: &str) -> Result<Zone, RuleError> {
        let db = database();
        db.names
            .binary_search_by(|(n, _)| (*n).cmp(name))
            .map(|i| Zone {
                index: db.names[i].1,
                name: db.names[i].0,
            })
            .map_err(|_| RuleError::UnknownId {
                kind: "time zone",
                id: name.to_owned(),
                valid: vec![
                    "an IANA name such as UTC, Europe/London or America/New_York".to_owned(),
                ],
            })
    }

    /// The zone's name, as looked up.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Zone;
    /// assert_eq!(Zone::named("US/Eastern")?.name(), "US/Eastern");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every zone name the database holds, sorted.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Zone;
    /// assert!(Zone::names().any(|n| n == "Asia/Kolkata"));
    /// ```
    pub fn names() -> impl Iterator<Item = &'static str> {
        database().names.iter().map(|(n, _)| *n)
    }

    /// The IANA tz database release the zone data comes from, such as `2025b`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Zone;
    /// assert!(Zone::database_version().starts_with("20"));
    /// ```
    #[must_use]
    pub fn database_version() -> &'static str {
        database().version
    }

    /// Every change of offset: the Unix second it takes effect and the new offset in
    /// seconds east of UTC, in order. Before the first one the zone keeps its first
    /// offset (usually local mean time); after the last one, its last offset.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Zone;
    /// let ny = Zone::named("America/New_York")?;
    /// // 2027-03-14 07:00 UTC: 02:00 EST becomes 03:00 EDT.
    /// assert!(ny.transitions().any(|t| t == (1_805_007_600, -4 * 3600)));
    /// assert_eq!(Zone::named("UTC")?.transitions().count(), 0);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn transitions(&self) -> impl Iterator<Item = (i64, i32)> + use<> {
        let data = self.data();
        (0..data.times.len()).map(move |i| (data.times[i], data.offset(i + 1)))
    }

    fn data(&self) -> &'static ZoneData {
        let db = database();
        let index = usize::from(self.index);
        db.zones[index].get_or_init(|| decode(db.starts[index]))
    }

    fn offset(&self, seconds: i32) -> ZoneOffset {
        ZoneOffset {
            zone: *self,
            // Every offset in the database is well inside a day, which the tests check.
            fixed: FixedOffset::east_opt(seconds).unwrap_or_else(|| chrono::Utc.fix()),
        }
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// The offset of a [`Zone`] at one instant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Debug for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.fixed, f)
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fixed, f)
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        // Like chrono-tz: any offset in force during the day will do; prefer one that
        // holds at midnight, then one that holds at the day's last second.
        let start = self.offset_from_local_datetime(&local.and_time(chrono::NaiveTime::MIN));
        match start {
            MappedLocalTime::Single(o) | MappedLocalTime::Ambiguous(o, _) => {
                MappedLocalTime::Single(o)
            }
            MappedLocalTime::None => {
                match local
                    .and_hms_opt(23, 59, 59)
                    .map(|t| self.offset_from_local_datetime(&t))
                {
                    Some(MappedLocalTime::Single(o) | MappedLocalTime::Ambiguous(o, _)) => {
                        MappedLocalTime::Single(o)
                    }
                    _ => MappedLocalTime::None,
                }
            }
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let data = self.data();
        let local = local.and_utc().timestamp();
        // A local time belongs to the span in force at `local − offset`; every offset is
        // within a day, so the candidates are the spans in force a day either side.
        let first = data.span_at_utc(local.saturating_sub(86_400));
        let last = data.span_at_utc(local.saturating_add(86_400));
        let mut found = (first..=last).filter(|&span| data.local_contains(span, local));
        match (found.next(), found.next()) {
            (Some(a), None) => MappedLocalTime::Single(self.offset(data.offset(a))),
            (Some(a), Some(b)) => {
                MappedLocalTime::Ambiguous(self.offset(data.offset(a)), self.offset(data.offset(b)))
            }
            (None, _) => MappedLocalTime::None,
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        let data = self.data();
        self.offset(data.offset(data.span_at_utc(utc.and_utc().timestamp())))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::Zone;

    #[test]
    fn new_york_keeps_its_dst_rules() {
        let ny = Zone::named("America/New_York").unwrap();
        let winter = Utc.with_ymd_and_hms(2027, 1, 15, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2027, 7, 15, 12, 0, 0).unwrap();
        assert_eq!(winter.with_timezone(&ny).offset().to_string(), "-05:00");
        assert_eq!(summer.with_timezone(&ny).offset().to_string(), "-04:00");
    }

    #[test]
    fn gaps_and_folds_are_reported() {
        let ny = Zone::named("America/New_York").unwrap();
        let gap = chrono::NaiveDate::from_ymd_opt(2027, 3, 14)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert!(matches!(
            ny.offset_from_local_datetime(&gap),
            chrono::MappedLocalTime::None
        ));
        let fold = chrono::NaiveDate::from_ymd_opt(2027, 11, 7)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        let chrono::MappedLocalTime::Ambiguous(a, b) = ny.offset_from_local_datetime(&fold) else {
            panic!("a fold is ambiguous");
        };
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("-04:00".into(), "-05:00".into())
        );
    }

    #[test]
    fn unknown_names_are_refused_with_a_hint() {
        let err = Zone::named("Europe/Atlantis").unwrap_err();
        assert!(err.to_string().contains("Europe/Atlantis"));
        assert!(Zone::named("europe/london").is_err());
    }
}
