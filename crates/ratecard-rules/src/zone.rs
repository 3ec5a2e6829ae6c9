//! IANA time zones (R-TIME-1) from a compact copy of the tz database.
//!
//! The zone data is `zone/tzdata.bin`, generated from chrono-tz (see
//! `tests/tzdata.rs`, which also proves every zone answers exactly as chrono-tz does).
//! It holds only what the rules need, the total UTC offset over time, so the whole
//! database costs about 190 KB before compression and about 21 KB after brotli, instead
//! of the megabyte of tables chrono-tz links. The native server and the Wasm widget read
//! the same bytes with the same code, so they can never disagree about a zone.
//!
//! The widget's Wasm is built without the `tzdata` feature: it compiles in only the index
//! (`zone/tzindex.bin`: the names, and per zone 8 bytes of its record's SHA-256, about
//! 7 KB after brotli). Each record is a file of its own beside `ratecard.js`, named after
//! its digest ([`zone_files`]); the widget fetches the one a calculation needs
//! ([`zone_file_needed`]) and [`install_zone`] checks it against the index before the
//! same decoder reads it.
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
use sha2::Digest as _;

use crate::error::RuleError;

/// The encoded database; see the module documentation for its format.
#[cfg(feature = "tzdata")]
static TZDATA: &[u8] = include_bytes!("zone/tzdata.bin");

/// Without the `tzdata` feature (the widget's Wasm), only the database's index is compiled
/// in: every name, its zone, and per zone the first 8 bytes of the SHA-256 of its record.
/// Each record is a file of its own (see [`zone_files`]), fetched when a calculation needs
/// it and handed to [`install_zone`], which checks it against the index.
#[cfg(not(feature = "tzdata"))]
static TZINDEX: &[u8] = include_bytes!("zone/tzindex.bin");

/// The bytes of a zone record's digest kept in the index (64 bits of SHA-256).
const DIGEST_BYTES: usize = 8;

/// The decoded name index and the lazily decoded zones.
struct Database {
    version: &'static str,
    /// Every name with its zone index, sorted by name.
    names: Vec<(&'static str, u16)>,
    /// Each zone: where its record is, and its data once decoded.
    zones: Vec<Slot>,
}

/// One zone of the database.
struct Slot {
    /// The record's bytes in [`TZDATA`] (with `tzdata`) or its digest (without).
    source: Source,
    data: OnceLock<ZoneData>,
}

enum Source {
    /// The record is compiled in.
    #[cfg_attr(not(feature = "tzdata"), expect(dead_code))]
    Embedded(&'static [u8]),
    /// The record is a file of its own, named after this digest.
    #[cfg_attr(feature = "tzdata", expect(dead_code))]
    File([u8; DIGEST_BYTES]),
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

/// A reader over encoded bytes. The database is compiled in and checked by the tests, so
/// a malformed read is a build defect; it decodes as zero rather than panicking. A
/// fetched record is checked against its digest before it is read.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
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

    fn slice(&mut self, len: usize) -> &'a [u8] {
        let bytes = self.bytes.get(self.at..self.at + len).unwrap_or_default();
        self.at += len;
        bytes
    }

    fn str(&mut self) -> &'a str {
        let len = self.len();
        std::str::from_utf8(self.slice(len)).unwrap_or_default()
    }

    /// The header shared by the database and the index: the magic, the format byte (1),
    /// the release, then every name with its zone.
    fn header(&mut self) -> (&'a str, Vec<(&'a str, u16)>) {
        self.at = 5;
        let version = self.str();
        let name_count = self.len();
        let mut names = Vec::with_capacity(name_count);
        for _ in 0..name_count {
            let name = self.str();
            let zone = u16::try_from(self.unsigned()).unwrap_or(0);
            names.push((name, zone));
        }
        (version, names)
    }
}

fn slot(source: Source) -> Slot {
    Slot {
        source,
        data: OnceLock::new(),
    }
}

#[cfg(feature = "tzdata")]
fn database() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| {
        let mut r = Reader {
            bytes: TZDATA,
            at: 0,
        };
        let (version, names) = r.header();
        let zone_count = r.len();
        let table = r.at;
        let data = table + 4 * zone_count;
        let start = |i: usize| {
            let at = table + 4 * i;
            let bytes = TZDATA.get(at..at + 4).unwrap_or(&[0; 4]);
            let offset = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            data + usize::try_from(offset).unwrap_or(0)
        };
        let zones = (0..zone_count)
            .map(|i| {
                let end = if i + 1 == zone_count {
                    TZDATA.len()
                } else {
                    start(i + 1)
                };
                slot(Source::Embedded(
                    TZDATA.get(start(i)..end).unwrap_or_default(),
                ))
            })
            .collect();
        Database {
            version,
            names,
            zones,
        }
    })
}

#[cfg(not(feature = "tzdata"))]
fn database() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| {
        let mut r = Reader {
            bytes: TZINDEX,
            at: 0,
        };
        let (version, names) = r.header();
        let zone_count = r.len();
        let zones = (0..zone_count)
            .map(|_| {
                let mut digest = [0; DIGEST_BYTES];
                digest.copy_from_slice(r.slice(DIGEST_BYTES));
                slot(Source::File(digest))
            })
            .collect();
        Database {
            version,
            names,
            zones,
        }
    })
}

fn decode(record: &[u8]) -> ZoneData {
    let mut r = Reader {
        bytes: record,
        at: 0,
    };
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

/// The first [`DIGEST_BYTES`] of a record's SHA-256.
fn digest(record: &[u8]) -> [u8; DIGEST_BYTES] {
    let full = sha2::Sha256::digest(record);
    let mut digest = [0; DIGEST_BYTES];
    digest.copy_from_slice(&full[..DIGEST_BYTES]);
    digest
}

/// The name of a zone record's file: `zone-`, its digest in hexadecimal, then `.bin`. The
/// server caches a name with a content hash as immutable.
fn file_name(digest: &[u8; DIGEST_BYTES]) -> String {
    use fmt::Write as _;
    let mut name = String::with_capacity(2 * DIGEST_BYTES + 9);
    name.push_str("zone-");
    for b in digest {
        let _ = write!(name, "{b:02x}");
    }
    name.push_str(".bin");
    name
}

/// The file that holds a zone's data, when this build must fetch it first: `None` when
/// the data is at hand (always, with the `tzdata` feature), else the file's name, such as
/// `zone-3f2a…c1.bin`, to fetch from beside the widget's other files and hand to
/// [`install_zone`].
///
/// # Errors
///
/// [`RuleError::UnknownId`] for a name the database does not hold, as [`Zone::named`].
///
/// # Example
///
/// ```
/// use ratecard_rules::zone_file_needed;
/// assert_eq!(zone_file_needed("Europe/Berlin")?, None); // with the `tzdata` feature
/// assert!(zone_file_needed("Mars/Olympus_Mons").is_err());
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn zone_file_needed(name: &str) -> Result<Option<String>, RuleError> {
    let slot = &database().zones[lookup(name)?.1];
    Ok(match slot.source {
        Source::File(d) if slot.data.get().is_none() => Some(file_name(&d)),
        _ => None,
    })
}

/// The name of the file that holds a zone's data, whether or not this build needs it:
/// what `cargo xtask dist` writes and the widget fetches for that zone.
///
/// # Errors
///
/// [`RuleError::UnknownId`] for a name the database does not hold.
///
/// # Example
///
/// ```
/// use ratecard_rules::zone_file_name;
/// let file = zone_file_name("US/Eastern")?;
/// assert_eq!(file, zone_file_name("America/New_York")?, "a link shares its target's file");
/// assert!(file.starts_with("zone-") && file.ends_with(".bin"));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn zone_file_name(name: &str) -> Result<String, RuleError> {
    Ok(match &database().zones[lookup(name)?.1].source {
        Source::Embedded(bytes) => file_name(&digest(bytes)),
        Source::File(d) => file_name(d),
    })
}

/// Installs a zone's data fetched from the file [`zone_file_needed`] named, after checking
/// it against the digest compiled into the index.
///
/// # Errors
///
/// [`RuleError::UnknownId`] for a name the database does not hold, and
/// [`RuleError::Impossible`] when the bytes are not that zone's record.
///
/// # Example
///
/// ```
/// use ratecard_rules::install_zone;
/// assert!(install_zone("Europe/Berlin", b"not a zone").is_err());
/// ```
pub fn install_zone(name: &str, record: &[u8]) -> Result<(), RuleError> {
    let slot = &database().zones[lookup(name)?.1];
    let expected = match &slot.source {
        Source::Embedded(bytes) => digest(bytes),
        Source::File(d) => *d,
    };
    if digest(record) != expected {
        return Err(RuleError::Impossible {
            detail: format!("the time zone data fetched for {name} fails its integrity check"),
        });
    }
    slot.data.get_or_init(|| decode(record));
    Ok(())
}

/// Every zone record as the file the widget fetches: its name (see [`zone_file_needed`])
/// and its bytes, one per distinct zone. `cargo xtask dist` writes them beside
/// `ratecard.js`.
///
/// # Example
///
/// ```
/// let files = ratecard_rules::zone_files();
/// assert!(files.len() > 300);
/// assert!(files.iter().all(|(name, _)| name.len() == 25 && name.starts_with("zone-")));
/// ```
#[cfg(feature = "tzdata")]
#[must_use]
pub fn zone_files() -> Vec<(String, Vec<u8>)> {
    database()
        .zones
        .iter()
        .filter_map(|slot| match slot.source {
            Source::Embedded(bytes) => Some((file_name(&digest(bytes)), bytes.to_vec())),
            Source::File(_) => None,
        })
        .collect()
}

/// The index that a build without the `tzdata` feature compiles in (`src/zone/tzindex.bin`):
/// the database's header with, in place of the records, each record's digest.
/// `tests/tzdata.rs` checks the committed copy against it.
///
/// # Example
///
/// ```
/// assert!(ratecard_rules::zone_index().starts_with(b"RCTI\x01"));
/// ```
#[cfg(feature = "tzdata")]
#[must_use]
pub fn zone_index() -> Vec<u8> {
    let mut r = Reader {
        bytes: TZDATA,
        at: 0,
    };
    let _ = r.header();
    let header_end = r.at;
    let mut out = b"RCTI".to_vec();
    out.extend_from_slice(TZDATA.get(4..header_end).unwrap_or_default());
    let zones = &database().zones;
    let mut count = zones.len();
    loop {
        let byte = (count & 0x7f) as u8;
        count >>= 7;
        if count == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    for slot in zones {
        if let Source::Embedded(bytes) = slot.source {
            out.extend_from_slice(&digest(bytes));
        }
    }
    out
}

/// The position of a name in the index and its zone.
fn lookup(name: &str) -> Result<(usize, usize), RuleError> {
    let db = database();
    db.names
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .map(|i| (i, usize::from(db.names[i].1)))
        .map_err(|_| RuleError::UnknownId {
            kind: "time zone",
            id: name.to_owned(),
            valid: vec!["an IANA name such as UTC, Europe/London or America/New_York".to_owned()],
        })
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
#[derive(Clone, Copy)]
pub struct Zone {
    data: &'static ZoneData,
    /// The name the zone was looked up by, for display.
    name: &'static str,
}

/// Two handles are equal when they were looked up by the same name (a link and its
/// target share data but keep their names).
impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl std::hash::Hash for Zone {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl Zone {
    /// Looks up a zone by its IANA name, exactly as spelled in the tz database (links
    /// such as `US/Eastern` included).
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] for a name the database does not hold, and, in a build
    /// without the `tzdata` feature, [`RuleError::Impossible`] for a zone whose file has
    /// not been installed yet (see [`zone_file_needed`]).
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
        let (at, zone) = lookup(name)?;
        let db = database();
        let slot = &db.zones[zone];
        let data = match slot.source {
            Source::Embedded(bytes) => slot.data.get_or_init(|| decode(bytes)),
            Source::File(_) => slot.data.get().ok_or_else(|| RuleError::Impossible {
                detail: format!("the time zone data for {name} has not been loaded"),
            })?,
        };
        Ok(Zone {
            data,
            name: db.names[at].0,
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
        self.data
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

#[cfg(all(test, feature = "tzdata"))]
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

/// The build the widget's Wasm uses: only the index is compiled in, and a zone answers
/// once its file is installed. `cargo xtask test` runs these with
/// `--no-default-features`.
#[cfg(all(test, not(feature = "tzdata")))]
mod file_tests {
    use chrono::{TimeZone, Utc};

    use super::{Reader, Zone, install_zone, zone_file_needed};
    use crate::error::RuleError;

    /// Berlin's record, read from the whole database as `cargo xtask dist` writes it.
    fn berlin_record() -> Vec<u8> {
        let tzdata: &[u8] = include_bytes!("zone/tzdata.bin");
        let mut r = Reader {
            bytes: tzdata,
            at: 0,
        };
        let (_, names) = r.header();
        let zone = usize::from(names.iter().find(|(n, _)| *n == "Europe/Berlin").unwrap().1);
        let count = r.len();
        let table = r.at;
        let start = |i: usize| {
            let at = table + 4 * i;
            let b = &tzdata[at..at + 4];
            table + 4 * count + u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
        };
        let end = if zone + 1 == count {
            tzdata.len()
        } else {
            start(zone + 1)
        };
        tzdata[start(zone)..end].to_vec()
    }

    #[test]
    fn a_zone_answers_only_after_its_checked_file_is_installed() {
        let record = berlin_record();
        assert!(matches!(
            Zone::named("Europe/Berlin"),
            Err(RuleError::Impossible { .. })
        ));
        let file = zone_file_needed("Europe/Berlin")
            .unwrap()
            .expect("a file to fetch");
        assert_eq!(file, super::file_name(&super::digest(&record)));
        assert!(matches!(
            zone_file_needed("Mars/Olympus_Mons"),
            Err(RuleError::UnknownId { .. })
        ));

        let mut changed = record.clone();
        changed[1] ^= 1;
        assert!(install_zone("Europe/Berlin", &changed).is_err());
        assert!(install_zone("Europe/London", &record).is_err());
        assert!(Zone::named("Europe/Berlin").is_err());

        install_zone("Europe/Berlin", &record).unwrap();
        assert_eq!(zone_file_needed("Europe/Berlin"), Ok(None));
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let summer = Utc.with_ymd_and_hms(2027, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(
            summer.with_timezone(&berlin).to_rfc3339(),
            "2027-07-01T14:00:00+02:00"
        );
    }
}
