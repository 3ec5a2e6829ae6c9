//! Billing calendars (R-CYCLE-1 to R-CYCLE-5, R-TIME-1) and calendar arithmetic.
//!
//! Renewals are computed in the subscriber's wall-clock time. The zone is any
//! [`chrono::TimeZone`]; the API reads IANA names from [`crate::Zone`]'s compact
//! database, and another zone source can be plugged in without touching the rules.
//! Renewal *k* is always computed from the anchor, and the period at an instant is found arithmetically, so a request about the
//! year 9999 costs the same as one about next month.

use crate::zone::Zone;
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Timelike, Utc, Weekday,
};

use crate::error::RuleError;

/// How a renewal's local time was adjusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DstAdjust {
    /// The local time fell in a DST gap and moved forward by the gap (R-CYCLE-3).
    Gap {
        /// The length of the gap in seconds.
        seconds: i64,
    },
    /// The local time occurred twice; the earlier instant counts (R-CYCLE-3).
    Fold,
}

/// One computed renewal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Renewal {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The wall-clock time intended, before any DST adjustment.
    pub local: NaiveDateTime,
    /// Whether the anchor day was clamped to the month's last day (R-CYCLE-2).
    pub clamped: bool,
    /// The DST adjustment, if any (R-CYCLE-3).
    pub dst: Option<DstAdjust>,
}

/// Parses an IANA time zone name (R-TIME-1).
pub(crate) fn parse_zone(name: &str) -> Result<Zone, RuleError> {
    Zone::named(name)
}

/// A wall-clock time as `YYYY-MM-DD HH:MM`, or `YYYY-MM-DD HH:MM:SS` with `seconds`.
/// Years outside 0 to 9999 carry a sign and at least four digits, as chrono's `%Y` does;
/// written by hand because chrono's formatter parses its pattern on every call.
pub(crate) fn wall_clock(t: NaiveDateTime, seconds: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(20);
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{}", WallClock(t, seconds));
    out
}

/// [`wall_clock`] as a `Display`, to write the time into a longer text without a string
/// of its own.
pub(crate) struct WallClock(pub NaiveDateTime, pub bool);

impl std::fmt::Display for WallClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let WallClock(t, seconds) = *self;
        let year = t.year();
        let usual_year = (0..=9999).contains(&year);
        if !usual_year {
            write!(f, "{year:+05}")?;
        }
        // The rest, digit by digit: the formatter's padding costs more than the time.
        let mut buf = *b"0000-00-00 00:00:00";
        put_digits(&mut buf[0..4], year.unsigned_abs());
        put_digits(&mut buf[5..7], t.month());
        put_digits(&mut buf[8..10], t.day());
        put_digits(&mut buf[11..13], t.hour());
        put_digits(&mut buf[14..16], t.minute());
        put_digits(&mut buf[17..19], t.second());
        let start = if usual_year { 0 } else { 4 };
        let end = if seconds { 19 } else { 16 };
        f.write_str(std::str::from_utf8(&buf[start..end]).map_err(|_| std::fmt::Error)?)
    }
}

/// Writes the last `out.len()` decimal digits of `n` into `out`, zero-padded.
pub(crate) fn put_digits(out: &mut [u8], mut n: u32) {
    for digit in out.iter_mut().rev() {
        // `n % 10` is below 10, so the cast cannot truncate.
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// The number of days in a month.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn out_of_range() -> RuleError {
    RuleError::Overflow {
        what: "computing a calendar date",
    }
}

/// The wall-clock time `local` in `zone`, resolved per R-CYCLE-3: a time in a gap moves
/// forward by the length of the gap, and a time in a fold takes the earlier instant.
pub(crate) fn resolve_local<Z: TimeZone>(
    zone: &Z,
    local: NaiveDateTime,
) -> Result<(DateTime<Utc>, Option<DstAdjust>), RuleError> {
    match zone.offset_from_local_datetime(&local) {
        chrono::LocalResult::Single(offset) => Ok((utc_of(local, offset.fix())?, None)),
        chrono::LocalResult::Ambiguous(a, b) => {
            let (a, b) = (utc_of(local, a.fix())?, utc_of(local, b.fix())?);
            Ok((a.min(b), Some(DstAdjust::Fold)))
        }
        chrono::LocalResult::None => {
            // In a gap: read the wall-clock time with the offset in force before the gap,
            // which lands the same distance past the gap as the time was into it.
            let mut probe = local;
            for _ in 0..4 {
                probe = probe
                    .checked_sub_signed(Duration::hours(12))
                    .ok_or_else(out_of_range)?;
                if let Some(before) = zone.offset_from_local_datetime(&probe).earliest() {
                    let at = utc_of(local, before.fix())?;
                    let shown = at.with_timezone(zone).naive_local();
                    let seconds = (shown - local).num_seconds();
                    return Ok((at, Some(DstAdjust::Gap { seconds })));
                }
            }
            Err(RuleError::Impossible {
                detail: format!("the local time {local} does not exist in the time zone"),
            })
        }
    }
}

fn utc_of(local: NaiveDateTime, offset: FixedOffset) -> Result<DateTime<Utc>, RuleError> {
    let utc = local
        .checked_sub_signed(Duration::seconds(i64::from(offset.local_minus_utc())))
        .ok_or_else(out_of_range)?;
    Ok(utc.and_utc())
}

/// When a subscription renews.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Schedule {
    /// A paid plan: on its anchor, the start's day of the month and time, every `months`
    /// months (R-CYCLE-1; 12 for a yearly plan, R-INTERVAL-1).
    OnAnchor { months: u32 },
    /// The free plan: at 00:00 on the first of every month (R-CYCLE-4).
    FirstOfMonth,
}

impl Schedule {
    /// A paid plan renewing every month on its anchor.
    pub(crate) const MONTHLY: Schedule = Schedule::OnAnchor { months: 1 };
}

/// A billing calendar: the renewals of one subscription in one zone.
///
/// Renewal 0 is the start. A subscription that began with a trial has its trial as
/// period 0, `[trial start, trial end)`, and is anchored at the trial's end from then on
/// (R-TRIAL-3); otherwise it is anchored at its start.
#[derive(Clone, Debug)]
pub(crate) struct Cycle<'z, Z: TimeZone> {
    zone: &'z Z,
    /// The start, when it differs from the anchor: the trial's start.
    trial_start: Option<DateTime<Utc>>,
    anchor_at: DateTime<Utc>,
    anchor: NaiveDateTime,
    /// The anchor's month as `year × 12 + month − 1`.
    anchor_month: i64,
    schedule: Schedule,
}

impl<'z, Z: TimeZone> Cycle<'z, Z> {
    /// The calendar of a subscription that started at `started_at`; a paid plan renews on
    /// its anchor (R-CYCLE-1), the free plan on the first of the month (R-CYCLE-4).
    pub(crate) fn new(zone: &'z Z, started_at: DateTime<Utc>, schedule: Schedule) -> Self {
        let anchor = started_at.with_timezone(zone).naive_local();
        let anchor_month = i64::from(anchor.year()) * 12 + i64::from(anchor.month0());
        Cycle {
            zone,
            trial_start: None,
            anchor_at: started_at,
            anchor,
            anchor_month,
            schedule,
        }
    }

    /// The calendar of a subscription whose trial runs from `trial_start` to `anchor_at`
    /// (R-TRIAL-3): the trial is period 0, and renewal `k ≥ 1` is renewal `k − 1` of a
    /// subscription anchored at the trial's end.
    pub(crate) fn with_trial(
        zone: &'z Z,
        trial_start: DateTime<Utc>,
        anchor_at: DateTime<Utc>,
        schedule: Schedule,
    ) -> Self {
        Cycle {
            trial_start: Some(trial_start),
            ..Cycle::new(zone, anchor_at, schedule)
        }
    }

    /// The first instant of the calendar: the start, or the trial's start.
    pub(crate) fn start(&self) -> DateTime<Utc> {
        self.trial_start.unwrap_or(self.anchor_at)
    }

    /// Renewal `k`, computed from the anchor (R-CYCLE-2); renewal 0 is the start itself.
    pub(crate) fn renewal(&self, k: u64) -> Result<Renewal, RuleError> {
        match (self.trial_start, k) {
            (Some(start), 0) => Ok(Renewal {
                at: start,
                local: start.with_timezone(self.zone).naive_local(),
                clamped: false,
                dst: None,
            }),
            (Some(_), k) => self.anchored(k - 1),
            (None, k) => self.anchored(k),
        }
    }

    /// The step between renewals, in months.
    fn step(&self) -> i64 {
        match self.schedule {
            Schedule::OnAnchor { months } => i64::from(months.max(1)),
            Schedule::FirstOfMonth => 1,
        }
    }

    /// Renewal `k` counted from the anchor.
    fn anchored(&self, k: u64) -> Result<Renewal, RuleError> {
        if k == 0 {
            return Ok(Renewal {
                at: self.anchor_at,
                local: self.anchor,
                clamped: false,
                dst: None,
            });
        }
        let k = i64::try_from(k).map_err(|_| out_of_range())?;
        let month = k
            .checked_mul(self.step())
            .and_then(|m| self.anchor_month.checked_add(m))
            .ok_or_else(out_of_range)?;
        let year = i32::try_from(month.div_euclid(12)).map_err(|_| out_of_range())?;
        let month = u32::try_from(month.rem_euclid(12) + 1).map_err(|_| out_of_range())?;
        let (day, time, clamped) = if self.schedule == Schedule::FirstOfMonth {
            (1, NaiveTime::MIN, false)
        } else {
            let last = days_in_month(year, month);
            let day = self.anchor.day().min(last);
            (day, self.anchor.time(), day != self.anchor.day())
        };
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(out_of_range)?;
        let local = date.and_time(time);
        let (at, dst) = resolve_local(self.zone, local)?;
        Ok(Renewal {
            at,
            local,
            clamped,
            dst,
        })
    }

    /// The period containing `t` (R-CYCLE-5): its index `k` and `[renewal k, renewal k+1)`.
    ///
    /// The index is estimated from the month difference and corrected by at most a couple
    /// of steps, never by walking from the start.
    pub(crate) fn period_at(&self, t: DateTime<Utc>) -> Result<(u64, Renewal, Renewal), RuleError> {
        if t < self.start() {
            return Err(RuleError::Impossible {
                detail: format!(
                    "the instant {} is before the subscription started ({})",
                    t.to_rfc3339(),
                    self.start().to_rfc3339()
                ),
            });
        }
        let offset = u64::from(self.trial_start.is_some());
        if offset == 1 && t < self.anchor_at {
            return Ok((0, self.renewal(0)?, self.renewal(1)?));
        }
        let local = t.with_timezone(self.zone).naive_local();
        let month = i64::from(local.year()) * 12 + i64::from(local.month0());
        let estimate = month.saturating_sub(self.anchor_month).max(0) / self.step();
        let mut k = u64::try_from(estimate).map_err(|_| out_of_range())?;
        for _ in 0..3 {
            if k > 0 && self.anchored(k)?.at > t {
                k -= 1;
            } else {
                break;
            }
        }
        for _ in 0..3 {
            if self.anchored(k + 1)?.at <= t {
                k += 1;
            } else {
                break;
            }
        }
        Ok((k + offset, self.anchored(k)?, self.anchored(k + 1)?))
    }
}

/// The instant in `t`'s own offset: the form used on the wire (R-TIME-1).
///
/// RFC 3339 writes offsets in whole minutes. Before a zone adopted standard time its
/// offset is local mean time, which has seconds (New York was −04:56:02 until 1883);
/// writing such an offset would drop the seconds and move the instant. Those offsets are
/// rounded to the nearest minute instead, so the instant written is always exact.
///
/// # Errors
///
/// [`RuleError::Impossible`] when the local date falls past 9999-12-31: RFC 3339 (R-TIME-1)
/// writes four-digit years only, so an answer cannot hold that instant.
pub(crate) fn in_zone<Z: TimeZone>(
    t: DateTime<Utc>,
    zone: &Z,
) -> Result<DateTime<FixedOffset>, RuleError> {
    let local = t.with_timezone(zone).fixed_offset();
    let seconds = local.offset().local_minus_utc();
    let local = if seconds % 60 == 0 {
        local
    } else {
        let minutes = (seconds + 30).div_euclid(60);
        FixedOffset::east_opt(minutes * 60)
            .map_or_else(|| t.fixed_offset(), |o| t.with_timezone(&o))
    };
    writable(local)
}

/// The last year RFC 3339 can write (R-TIME-1).
pub(crate) const LAST_YEAR: i32 = 9999;

/// The error of an answer that would hold a date past 9999-12-31.
pub(crate) fn past_year_9999(what: &dyn std::fmt::Display) -> RuleError {
    RuleError::Impossible {
        detail: format!(
            "the answer would hold {what}, after 9999-12-31, which RFC 3339 cannot write; \
             ask about an earlier instant"
        ),
    }
}

/// `t` if RFC 3339 can write it: its local date is not past 9999-12-31 (R-TIME-1).
pub(crate) fn writable(t: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, RuleError> {
    if t.year() > LAST_YEAR {
        return Err(past_year_9999(&format_args!(
            "an instant in the year {}",
            t.year()
        )));
    }
    Ok(t)
}

/// `t` plus whole calendar months in `t`'s own offset, clamped to the month's last day.
pub(crate) fn add_months(
    t: DateTime<FixedOffset>,
    months: u32,
) -> Result<DateTime<FixedOffset>, RuleError> {
    writable(
        t.checked_add_months(Months::new(months))
            .ok_or_else(out_of_range)?,
    )
}

/// `t` minus whole calendar months in `t`'s own offset, clamped to the month's last day.
pub(crate) fn sub_months(
    t: DateTime<FixedOffset>,
    months: u32,
) -> Result<DateTime<FixedOffset>, RuleError> {
    t.checked_sub_months(Months::new(months))
        .ok_or_else(out_of_range)
}

/// `t` plus whole days of 24 hours.
pub(crate) fn add_days(
    t: DateTime<FixedOffset>,
    days: i64,
) -> Result<DateTime<FixedOffset>, RuleError> {
    writable(
        t.checked_add_signed(Duration::days(days))
            .ok_or_else(out_of_range)?,
    )
}

/// The date `n` business days (Monday to Friday) after `date` (R-REFUND-5).
pub(crate) fn add_business_days(date: NaiveDate, n: u32) -> Result<NaiveDate, RuleError> {
    // `n` is at most a year of days (the catalogue validation caps it), so stepping a day
    // at a time is cheap.
    let mut d = date;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().ok_or_else(out_of_range)?;
        if !is_weekend(d) {
            left -= 1;
        }
    }
    if d.year() > LAST_YEAR {
        return Err(past_year_9999(&format_args!("the date {d}")));
    }
    Ok(d)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_local_mean_time_offset_is_written_without_moving_the_instant() {
        // 1800-01-01T00:00:00Z in New York is local mean time, UTC−04:56:02.
        let t = chrono::DateTime::parse_from_rfc3339("1800-01-01T00:00:00Z")
            .expect("a valid instant")
            .with_timezone(&chrono::Utc);
        let local = super::in_zone(t, &Zone::named("America/New_York").unwrap()).unwrap();
        assert_eq!(local.offset().local_minus_utc(), -(4 * 3600 + 56 * 60));
        let written = local.to_rfc3339();
        let read_back = chrono::DateTime::parse_from_rfc3339(&written).expect("RFC 3339");
        assert_eq!(read_back, t, "{written} must name the same instant");
    }

    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap()
    }

    #[test]
    fn business_days_skip_weekends() {
        let fri = NaiveDate::from_ymd_opt(2027, 3, 5).unwrap();
        assert_eq!(
            add_business_days(fri, 3).ok(),
            NaiveDate::from_ymd_opt(2027, 3, 10)
        );
        let sat = NaiveDate::from_ymd_opt(2027, 3, 6).unwrap();
        assert_eq!(
            add_business_days(sat, 3).ok(),
            NaiveDate::from_ymd_opt(2027, 3, 10)
        );
        assert_eq!(
            add_business_days(sat, 5).ok(),
            NaiveDate::from_ymd_opt(2027, 3, 12)
        );
        assert_eq!(
            add_business_days(fri, 10).ok(),
            NaiveDate::from_ymd_opt(2027, 3, 19)
        );
        assert_eq!(
            add_business_days(sat, 10).ok(),
            NaiveDate::from_ymd_opt(2027, 3, 19)
        );
        assert_eq!(
            add_business_days(sat, 6).ok(),
            NaiveDate::from_ymd_opt(2027, 3, 15)
        );
    }

    #[test]
    fn year_9999_is_instant() {
        let c = Cycle::new(&Utc, utc("2027-01-31T10:00:00Z"), Schedule::MONTHLY);
        let (k, s, e) = c.period_at(utc("9999-06-15T00:00:00Z")).unwrap();
        assert_eq!(k, (9999 - 2027) * 12 + 4);
        assert_eq!(s.at, utc("9999-05-31T10:00:00Z"));
        assert_eq!(e.at, utc("9999-06-30T10:00:00Z"));
    }

    #[test]
    fn wall_clock_writes_what_chrono_would() {
        for (y, m, d, h, min, sec) in [
            (2027, 3, 14, 2, 30, 5),
            (999, 1, 2, 3, 4, 5),
            (0, 12, 31, 23, 59, 59),
            (-1, 1, 1, 0, 0, 0),
            (10_000, 6, 30, 12, 0, 0),
            (-262_143, 1, 1, 0, 0, 0),
        ] {
            let t = chrono::NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|date| date.and_hms_opt(h, min, sec))
                .unwrap();
            assert_eq!(
                super::wall_clock(t, false),
                t.format("%Y-%m-%d %H:%M").to_string()
            );
            assert_eq!(
                super::wall_clock(t, true),
                t.format("%Y-%m-%d %H:%M:%S").to_string()
            );
        }
    }
}
