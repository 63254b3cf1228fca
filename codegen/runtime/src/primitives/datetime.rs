//! Smithy `timestamp` support.
//!
//! [`DateTime`] is an instant in time, stored as whole seconds relative to the
//! Unix epoch (1970-01-01T00:00:00Z) plus a non-negative sub-second part in
//! nanoseconds. [`Format`] names the three wire formats Smithy defines through
//! the `@timestampFormat` trait:
//!
//! * `date-time`: RFC 3339, for example `2019-12-16T23:48:18Z`;
//! * `http-date`: the IMF-fixdate form of RFC 7231, for example
//!   `Mon, 16 Dec 2019 23:48:18 GMT`;
//! * `epoch-seconds`: a decimal number of seconds since the Unix epoch, for
//!   example `1576540098` or `1576540098.52`.
//!
//! Parsing never panics, whatever the input.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
/// `0001-01-01T00:00:00Z` as epoch seconds.
const MIN_FORMATTABLE_SECONDS: i64 = -62_135_596_800;
/// `9999-12-31T23:59:59Z` as epoch seconds.
const MAX_FORMATTABLE_SECONDS: i64 = 253_402_300_799;

const DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAY_NAMES: [&str; 7] =
    ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH_NAMES: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// An instant in time with nanosecond precision (a Smithy `timestamp`).
///
/// The value is `secs() + subsec_nanos() / 1e9` seconds after the Unix epoch;
/// the sub-second part is always in `0..1_000_000_000`, also for instants
/// before the epoch (`-1.5` seconds is stored as `-2` seconds plus
/// `500_000_000` nanoseconds). Ordering is chronological.
///
/// [`Debug`](fmt::Debug) and [`Display`](fmt::Display) print RFC 3339 (see
/// the `Display` implementation for years outside `0000..=9999`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    subsecond_nanos: u32,
}

/// The wire formats of a Smithy timestamp (the values of `@timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `date-time`: RFC 3339 in UTC, for example `2019-12-16T23:48:18Z`.
    DateTime,
    /// `http-date`: RFC 7231 IMF-fixdate, for example
    /// `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    /// `epoch-seconds`: seconds since the Unix epoch, for example
    /// `1576540098` or `1576540098.52`.
    EpochSeconds,
}

impl Format {
    /// The name of the format as written in a Smithy model
    /// (`"date-time"`, `"http-date"` or `"epoch-seconds"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::HttpDate => "http-date",
            Format::EpochSeconds => "epoch-seconds",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned by [`DateTime::fmt`] when the instant cannot be written
/// in the requested format (RFC 3339 and http-date are only produced for years
/// `0001..=9999`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeFormatError {
    format: Format,
    seconds: i64,
}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timestamp {} (epoch seconds) is outside the years 0001..=9999 and cannot be formatted as `{}`",
            self.seconds, self.format
        )
    }
}

impl std::error::Error for DateTimeFormatError {}

/// The error returned when a string is not a valid timestamp in the expected
/// [`Format`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    format: Format,
    reason: &'static str,
}

impl DateTimeParseError {
    /// The format the input was expected to be in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// A short description of what is wrong with the input.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid `{}` timestamp: {}", self.format, self.reason)
    }
}

impl std::error::Error for DateTimeParseError {}

/// The error returned when a [`DateTime`] cannot be represented as a
/// [`SystemTime`] on this platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeConversionError {
    seconds: i64,
}

impl fmt::Display for DateTimeConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timestamp {} (epoch seconds) cannot be represented as a SystemTime",
            self.seconds
        )
    }
}

impl std::error::Error for DateTimeConversionError {}

impl DateTime {
    /// The instant `secs` whole seconds after the Unix epoch (negative values
    /// are before it).
    pub fn from_secs(secs: i64) -> Self {
        DateTime { seconds: secs, subsecond_nanos: 0 }
    }

    /// The instant `secs` seconds plus `nanos` nanoseconds after the Unix epoch.
    ///
    /// `nanos` of one second or more are carried into the seconds; if that
    /// carry would overflow `i64`, the result saturates to the latest
    /// representable instant.
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        let carry = i64::from(nanos / NANOS_PER_SECOND);
        let nanos = nanos % NANOS_PER_SECOND;
        match secs.checked_add(carry) {
            Some(seconds) => DateTime { seconds, subsecond_nanos: nanos },
            None => DateTime { seconds: i64::MAX, subsecond_nanos: NANOS_PER_SECOND - 1 },
        }
    }

    /// The instant `secs` (possibly fractional) seconds after the Unix epoch.
    ///
    /// The conversion uses the shortest decimal representation of `secs`
    /// (the one `{}` prints), so `946845296.123` gives exactly
    /// `946845296` seconds and `123_000_000` nanoseconds; digits beyond
    /// nanoseconds are truncated toward zero. Returns `None` for NaN,
    /// infinities and values outside the range of `i64` seconds.
    pub fn from_fractional_secs(secs: f64) -> Option<Self> {
        if !secs.is_finite() || secs.abs() >= 9.3e18 {
            return None;
        }
        parse_epoch_seconds(format!("{secs}").as_bytes()).ok()
    }

    /// The instant `millis` milliseconds after the Unix epoch.
    pub fn from_millis(millis: i64) -> Self {
        // rem_euclid(1000) is in 0..1000, so the cast and product are exact.
        let sub_millis = millis.rem_euclid(1000) as u32;
        DateTime { seconds: millis.div_euclid(1000), subsecond_nanos: sub_millis * 1_000_000 }
    }

    /// Whole seconds since the Unix epoch, rounded toward negative infinity
    /// (so `-1.5` seconds gives `-2`).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// The sub-second part in nanoseconds, always in `0..1_000_000_000` and
    /// counted forward from [`secs`](Self::secs).
    pub fn subsec_nanos(&self) -> u32 {
        self.subsecond_nanos
    }

    /// Seconds since the Unix epoch as a floating point number (may lose
    /// precision).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsecond_nanos) / 1e9
    }

    /// Formats the instant in the given wire format.
    ///
    /// * `date-time` ([`Format::DateTime`]): `2019-12-16T23:48:18Z`; fractional seconds are
    ///   written only when non-zero, with trailing zeros trimmed
    ///   (`2000-01-02T20:34:56.123Z`).
    /// * `http-date` ([`Format::HttpDate`]): IMF-fixdate, `Mon, 16 Dec 2019 23:48:18 GMT`.
    ///   Fractional seconds are dropped (truncated), since IMF-fixdate has no
    ///   fraction and strict HTTP parsers reject one.
    /// * `epoch-seconds` ([`Format::EpochSeconds`]): `1576540098`, or with a trimmed fraction
    ///   `1576540098.52`; negative instants are written with a leading `-`
    ///   (`-1.5`).
    ///
    /// # Errors
    ///
    /// RFC 3339 and http-date are only produced for years `0001..=9999`;
    /// other instants return [`DateTimeFormatError`]. Epoch seconds never fail.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeFormatError> {
        let mut out = String::new();
        let result = match format {
            Format::EpochSeconds => write_epoch_seconds(&mut out, self),
            Format::DateTime | Format::HttpDate => {
                if !self.is_formattable() {
                    return Err(DateTimeFormatError { format, seconds: self.seconds });
                }
                if format == Format::DateTime {
                    write_rfc3339(&mut out, self)
                } else {
                    write_http_date(&mut out, self)
                }
            }
        };
        match result {
            Ok(()) => Ok(out),
            // Writing to a String cannot fail; report it rather than panic.
            Err(fmt::Error) => Err(DateTimeFormatError { format, seconds: self.seconds }),
        }
    }

    /// Parses a timestamp in the given wire format.
    ///
    /// * `date-time` ([`Format::DateTime`]): RFC 3339 (`2019-12-16T23:48:18Z`,
    ///   `2019-12-16t22:48:18.5-01:00`). `T`/`t` separate date and time;
    ///   the offset is `Z`, `z` or `±hh:mm` and is converted to UTC; any
    ///   number of fractional digits is accepted, keeping nanoseconds and
    ///   truncating the rest. Invalid calendar dates (February 30, month 13),
    ///   hour 24 and leap seconds (`:60`) are rejected.
    /// * `http-date` ([`Format::HttpDate`]): IMF-fixdate (`Sun, 02 Jan 2000 20:34:56 GMT`)
    ///   with optional fractional seconds (`20:34:56.123`), and the obsolete
    ///   RFC 850 (`Sunday, 02-Jan-00 20:34:56 GMT`, two-digit years `00..=69`
    ///   are 20xx and `70..=99` are 19xx) and asctime
    ///   (`Sun Jan  2 20:34:56 2000`) forms. Month and day names are matched
    ///   case-insensitively; the day name is not checked against the date.
    /// * `epoch-seconds` ([`Format::EpochSeconds`]): an optional sign, digits, an optional
    ///   `.digits` fraction and an optional exponent (`1515531081`,
    ///   `-1.5`, `1.5e9`). Fraction digits beyond nanoseconds are truncated
    ///   toward zero.
    ///
    /// Surrounding whitespace is not accepted.
    ///
    /// # Errors
    ///
    /// Returns [`DateTimeParseError`] if the input is not valid in that format
    /// or the instant does not fit in a [`DateTime`].
    pub fn from_str(s: &str, format: Format) -> Result<Self, DateTimeParseError> {
        let bytes = s.as_bytes();
        let result = match format {
            Format::DateTime => parse_rfc3339(bytes),
            Format::HttpDate => parse_http_date(bytes),
            Format::EpochSeconds => parse_epoch_seconds(bytes),
        };
        result.map_err(|reason| DateTimeParseError { format, reason })
    }

    fn is_formattable(&self) -> bool {
        (MIN_FORMATTABLE_SECONDS..=MAX_FORMATTABLE_SECONDS).contains(&self.seconds)
    }

    /// Builds an instant from seconds and nanoseconds computed in `i128`;
    /// `None` if the seconds do not fit `i64`. `nanos` must be below one second.
    fn from_wide(seconds: i128, nanos: u32) -> Option<Self> {
        let seconds = i64::try_from(seconds).ok()?;
        if nanos >= NANOS_PER_SECOND {
            return None;
        }
        Some(DateTime { seconds, subsecond_nanos: nanos })
    }
}

impl std::str::FromStr for DateTime {
    type Err = DateTimeParseError;

    /// Parses an RFC 3339 timestamp (see [`DateTime::from_str`] with
    /// [`Format::DateTime`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::from_str(s, Format::DateTime)
    }
}

impl fmt::Display for DateTime {
    /// Writes RFC 3339 (`2019-12-16T23:48:18Z`, `2000-01-02T20:34:56.123Z`).
    /// Years outside `0000..=9999` are written in the ISO 8601 expanded form
    /// with a sign and at least four digits (`+10000-01-01T00:00:00Z`,
    /// `-0001-12-31T00:00:00Z`); use [`DateTime::fmt`] for strict RFC 3339.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rfc3339(f, self)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rfc3339(f, self)
    }
}

impl From<SystemTime> for DateTime {
    /// Converts a [`SystemTime`]; instants beyond the range of `i64` seconds
    /// saturate to the earliest or latest representable [`DateTime`].
    fn from(time: SystemTime) -> Self {
        let (negative, duration) = match time.duration_since(UNIX_EPOCH) {
            Ok(duration) => (false, duration),
            Err(err) => (true, err.duration()),
        };
        let secs = i128::from(duration.as_secs());
        let nanos = duration.subsec_nanos();
        let converted = if !negative {
            DateTime::from_wide(secs, nanos)
        } else if nanos == 0 {
            DateTime::from_wide(-secs, 0)
        } else {
            DateTime::from_wide(-secs - 1, NANOS_PER_SECOND - nanos)
        };
        converted.unwrap_or(if negative {
            DateTime { seconds: i64::MIN, subsecond_nanos: 0 }
        } else {
            DateTime { seconds: i64::MAX, subsecond_nanos: NANOS_PER_SECOND - 1 }
        })
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeConversionError;

    /// Converts to a [`SystemTime`], failing if the platform cannot represent
    /// the instant.
    fn try_from(value: DateTime) -> Result<Self, Self::Error> {
        let error = DateTimeConversionError { seconds: value.seconds };
        let nanos = Duration::from_nanos(u64::from(value.subsecond_nanos));
        let whole = Duration::from_secs(value.seconds.unsigned_abs());
        let base = if value.seconds >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        base.and_then(|t| t.checked_add(nanos)).ok_or(error)
    }
}

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian calendar, after Howard Hinnant's
// `days_from_civil` / `civil_from_days`).
// ---------------------------------------------------------------------------

/// Days since 1970-01-01 of the given date. Callers keep `year` within a few
/// thousand years of the epoch, `month` in `1..=12` and `day` in `1..=31`, so
/// no operation can overflow.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let month = i64::from(month);
    let day = i64::from(day);
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400); // [0, 399]
    let shifted_month = if month > 2 { month - 3 } else { month + 9 }; // [0, 11]
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1; // [0, 365]
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A broken-down UTC date and time.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 = Sunday.
    weekday: usize,
}

/// Splits an instant into its UTC calendar fields. Valid for every `i64`:
/// `|days| < 1.1e14`, so the intermediate values stay far from overflow.
fn civil_from_secs(seconds: i64) -> Civil {
    let days = seconds.div_euclid(SECONDS_PER_DAY);
    let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY); // [0, 86399]
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let shifted_month = (5 * day_of_year + 2) / 153; // [0, 11]
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1; // [1, 31]
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 }; // [1, 12]
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // All the narrowing casts below are of values in small known ranges.
    Civil {
        year,
        month: month as u32,
        day: day as u32,
        hour: (second_of_day / 3600) as u32,
        minute: (second_of_day % 3600 / 60) as u32,
        second: (second_of_day % 60) as u32,
        weekday: (days + 4).rem_euclid(7) as usize,
    }
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

/// Writes `.fraction` with trailing zeros trimmed, or nothing for zero.
fn write_fraction(out: &mut impl fmt::Write, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        return Ok(());
    }
    let digits = format!("{nanos:09}");
    write!(out, ".{}", digits.trim_end_matches('0'))
}

fn write_rfc3339(out: &mut impl fmt::Write, value: &DateTime) -> fmt::Result {
    let civil = civil_from_secs(value.seconds);
    if (0..=9999).contains(&civil.year) {
        write!(out, "{:04}", civil.year)?;
    } else {
        write!(out, "{:+05}", civil.year)?;
    }
    write!(
        out,
        "-{:02}-{:02}T{:02}:{:02}:{:02}",
        civil.month, civil.day, civil.hour, civil.minute, civil.second
    )?;
    write_fraction(out, value.subsecond_nanos)?;
    out.write_char('Z')
}

fn write_http_date(out: &mut impl fmt::Write, value: &DateTime) -> fmt::Result {
    let civil = civil_from_secs(value.seconds);
    let day_name = DAY_NAMES.get(civil.weekday).copied().unwrap_or("???");
    let month_name = usize::try_from(civil.month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|m| MONTH_NAMES.get(m))
        .copied()
        .unwrap_or("???");
    write!(
        out,
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        day_name, civil.day, month_name, civil.year, civil.hour, civil.minute, civil.second
    )
}

fn write_epoch_seconds(out: &mut impl fmt::Write, value: &DateTime) -> fmt::Result {
    if value.subsecond_nanos == 0 {
        write!(out, "{}", value.seconds)
    } else if value.seconds < 0 {
        // secs + nanos/1e9 with secs < 0 is -(|secs + 1| + (1e9 - nanos)/1e9).
        let whole = (value.seconds + 1).unsigned_abs();
        write!(out, "-{whole}")?;
        write_fraction(out, NANOS_PER_SECOND - value.subsecond_nanos)
    } else {
        write!(out, "{}", value.seconds)?;
        write_fraction(out, value.subsecond_nanos)
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

type ParseResult<T> = Result<T, &'static str>;

/// A byte cursor over the input; every access is bounds-checked.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos = self.pos.saturating_add(1);
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos = self.pos.saturating_add(1);
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> ParseResult<()> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(reason)
        }
    }

    fn is_done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Exactly `count` (at most 4) ASCII digits as a number.
    fn fixed_digits(&mut self, count: usize, reason: &'static str) -> ParseResult<u32> {
        let mut value: u32 = 0;
        for _ in 0..count {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos = self.pos.saturating_add(1);
                }
                _ => return Err(reason),
            }
        }
        Ok(value)
    }

    /// A run of ASCII letters.
    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while matches!(self.peek(), Some(b) if b.is_ascii_alphabetic()) {
            self.pos = self.pos.saturating_add(1);
        }
        self.bytes.get(start..self.pos).unwrap_or(&[])
    }

    /// If the next byte is `.`, the fraction digits that follow as
    /// nanoseconds (at least one digit; digits past the ninth are truncated).
    fn optional_fraction(&mut self) -> ParseResult<u32> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let mut nanos: u32 = 0;
        let mut count: usize = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if count < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            count = count.saturating_add(1);
            self.pos = self.pos.saturating_add(1);
        }
        if count == 0 {
            return Err("expected digits after the decimal point");
        }
        for _ in count..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    /// `hh:mm:ss` with an optional fraction: (seconds of day, nanos).
    fn time_of_day(&mut self) -> ParseResult<(i64, u32)> {
        let hour = self.fixed_digits(2, "expected a two-digit hour")?;
        self.expect(b':', "expected `:` after the hour")?;
        let minute = self.fixed_digits(2, "expected a two-digit minute")?;
        self.expect(b':', "expected `:` after the minute")?;
        let second = self.fixed_digits(2, "expected two-digit seconds")?;
        let nanos = self.optional_fraction()?;
        if hour > 23 {
            return Err("hour out of range");
        }
        if minute > 59 {
            return Err("minute out of range");
        }
        if second == 60 {
            return Err("leap seconds are not supported");
        }
        if second > 59 {
            return Err("second out of range");
        }
        Ok((i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second), nanos))
    }
}

/// Epoch seconds of a validated date (year within `0..=9999`) at midnight.
fn date_to_secs(year: i64, month: u32, day: u32) -> ParseResult<i64> {
    if !(1..=12).contains(&month) {
        return Err("month out of range");
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err("day out of range for the month");
    }
    Ok(days_from_civil(year, month, day) * SECONDS_PER_DAY)
}

fn parse_rfc3339(bytes: &[u8]) -> ParseResult<DateTime> {
    let mut cur = Cursor::new(bytes);
    if cur.is_done() {
        return Err("empty input");
    }
    let year = cur.fixed_digits(4, "expected a four-digit year")?;
    cur.expect(b'-', "expected `-` after the year")?;
    let month = cur.fixed_digits(2, "expected a two-digit month")?;
    cur.expect(b'-', "expected `-` after the month")?;
    let day = cur.fixed_digits(2, "expected a two-digit day")?;
    if !(cur.eat(b'T') || cur.eat(b't')) {
        return Err("expected `T` between the date and the time");
    }
    let (second_of_day, nanos) = cur.time_of_day()?;
    let offset = match cur.bump() {
        Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = cur.fixed_digits(2, "expected a two-digit offset hour")?;
            cur.expect(b':', "expected `:` in the UTC offset")?;
            let minutes = cur.fixed_digits(2, "expected a two-digit offset minute")?;
            if hours > 23 || minutes > 59 {
                return Err("UTC offset out of range");
            }
            let offset = i64::from(hours) * 3600 + i64::from(minutes) * 60;
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return Err("expected a UTC offset (`Z` or `±hh:mm`)"),
    };
    if !cur.is_done() {
        return Err("unexpected characters after the timestamp");
    }
    let midnight = date_to_secs(i64::from(year), month, day)?;
    // Local time minus offset gives UTC; all values are small.
    Ok(DateTime { seconds: midnight + second_of_day - offset, subsecond_nanos: nanos })
}

fn position_of(names: &[&str], word: &[u8]) -> Option<usize> {
    names.iter().position(|name| name.as_bytes().eq_ignore_ascii_case(word))
}

fn parse_month_name(cur: &mut Cursor<'_>) -> ParseResult<u32> {
    let word = cur.word();
    let index = position_of(&MONTH_NAMES, word).ok_or("invalid month name")?;
    // index is in 0..12.
    Ok(index as u32 + 1)
}

fn parse_http_date(bytes: &[u8]) -> ParseResult<DateTime> {
    let mut cur = Cursor::new(bytes);
    if cur.is_done() {
        return Err("empty input");
    }
    let day_name = cur.word();
    let short_day = position_of(&DAY_NAMES, day_name).is_some();
    let long_day = position_of(&LONG_DAY_NAMES, day_name).is_some();
    let (year, month, day, second_of_day, nanos) = if short_day && cur.eat(b',') {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        cur.expect(b' ', "expected a space after the day name")?;
        let day = cur.fixed_digits(2, "expected a two-digit day")?;
        cur.expect(b' ', "expected a space after the day")?;
        let month = parse_month_name(&mut cur)?;
        cur.expect(b' ', "expected a space after the month")?;
        let year = cur.fixed_digits(4, "expected a four-digit year")?;
        cur.expect(b' ', "expected a space after the year")?;
        let (second_of_day, nanos) = cur.time_of_day()?;
        expect_gmt(&mut cur)?;
        (i64::from(year), month, day, second_of_day, nanos)
    } else if long_day && cur.eat(b',') {
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        cur.expect(b' ', "expected a space after the day name")?;
        let day = cur.fixed_digits(2, "expected a two-digit day")?;
        cur.expect(b'-', "expected `-` after the day")?;
        let month = parse_month_name(&mut cur)?;
        cur.expect(b'-', "expected `-` after the month")?;
        let short_year = cur.fixed_digits(2, "expected a two-digit year")?;
        let year = if short_year < 70 { 2000 + short_year } else { 1900 + short_year };
        cur.expect(b' ', "expected a space after the year")?;
        let (second_of_day, nanos) = cur.time_of_day()?;
        expect_gmt(&mut cur)?;
        (i64::from(year), month, day, second_of_day, nanos)
    } else if short_day && cur.eat(b' ') {
        // asctime: Sun Nov  6 08:49:37 1994
        let month = parse_month_name(&mut cur)?;
        cur.expect(b' ', "expected a space after the month")?;
        let day = if cur.eat(b' ') {
            cur.fixed_digits(1, "expected a day")?
        } else {
            cur.fixed_digits(2, "expected a two-digit day")?
        };
        cur.expect(b' ', "expected a space after the day")?;
        let (second_of_day, nanos) = cur.time_of_day()?;
        cur.expect(b' ', "expected a space after the time")?;
        let year = cur.fixed_digits(4, "expected a four-digit year")?;
        (i64::from(year), month, day, second_of_day, nanos)
    } else {
        return Err("expected a day name followed by `,` (IMF-fixdate) or a space (asctime)");
    };
    if !cur.is_done() {
        return Err("unexpected characters after the timestamp");
    }
    let midnight = date_to_secs(year, month, day)?;
    Ok(DateTime { seconds: midnight + second_of_day, subsecond_nanos: nanos })
}

fn expect_gmt(cur: &mut Cursor<'_>) -> ParseResult<()> {
    cur.expect(b' ', "expected ` GMT` after the time")?;
    if cur.word() == b"GMT" {
        Ok(())
    } else {
        Err("expected ` GMT` after the time")
    }
}

/// Parses `[+-]digits[.digits][(e|E)[+-]digits]` exactly (no floating point).
fn parse_epoch_seconds(bytes: &[u8]) -> ParseResult<DateTime> {
    const OUT_OF_RANGE: &str = "epoch seconds out of range";
    let mut cur = Cursor::new(bytes);
    if cur.is_done() {
        return Err("empty input");
    }
    let negative = if cur.eat(b'-') {
        true
    } else {
        cur.eat(b'+');
        false
    };
    let int_start = cur.pos;
    while matches!(cur.peek(), Some(b'0'..=b'9')) {
        cur.pos = cur.pos.saturating_add(1);
    }
    let int_digits = bytes.get(int_start..cur.pos).unwrap_or(&[]);
    if int_digits.is_empty() {
        return Err("expected digits");
    }
    let mut frac_digits: &[u8] = &[];
    if cur.eat(b'.') {
        let frac_start = cur.pos;
        while matches!(cur.peek(), Some(b'0'..=b'9')) {
            cur.pos = cur.pos.saturating_add(1);
        }
        frac_digits = bytes.get(frac_start..cur.pos).unwrap_or(&[]);
        if frac_digits.is_empty() {
            return Err("expected digits after the decimal point");
        }
    }
    let mut exponent: i64 = 0;
    if cur.eat(b'e') || cur.eat(b'E') {
        let exp_negative = if cur.eat(b'-') {
            true
        } else {
            cur.eat(b'+');
            false
        };
        let mut any = false;
        while let Some(b @ b'0'..=b'9') = cur.peek() {
            any = true;
            // Saturate: huge exponents are rejected or give zero below.
            exponent = exponent.saturating_mul(10).saturating_add(i64::from(b - b'0'));
            cur.pos = cur.pos.saturating_add(1);
        }
        if !any {
            return Err("expected digits in the exponent");
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    if !cur.is_done() {
        return Err("unexpected characters in epoch seconds");
    }

    // The decimal point sits after `point` digits of `int ++ frac`.
    let int_len = i64::try_from(int_digits.len()).map_err(|_| OUT_OF_RANGE)?;
    let point = int_len.saturating_add(exponent);
    let mut whole: u64 = 0;
    let mut nanos: u32 = 0;
    let mut index: i64 = 0;
    for &digit in int_digits.iter().chain(frac_digits.iter()) {
        let d = digit - b'0';
        if index < point {
            whole = whole
                .checked_mul(10)
                .and_then(|w| w.checked_add(u64::from(d)))
                .ok_or(OUT_OF_RANGE)?;
        } else {
            // Position after the decimal point, 0-based.
            let frac_pos = index.saturating_sub(point);
            if frac_pos < 9 {
                let mut scaled = u32::from(d);
                for _ in frac_pos..8 {
                    scaled *= 10;
                }
                nanos += scaled;
            }
            // Digits below a nanosecond are truncated.
        }
        index = index.saturating_add(1);
    }
    // Trailing zeros implied by a positive exponent.
    if point > index && whole != 0 {
        let mut remaining = point - index;
        while remaining > 0 {
            whole = whole.checked_mul(10).ok_or(OUT_OF_RANGE)?;
            remaining -= 1;
        }
    }
    let whole = i128::from(whole);
    let result = if !negative {
        DateTime::from_wide(whole, nanos)
    } else if nanos == 0 {
        DateTime::from_wide(-whole, 0)
    } else {
        DateTime::from_wide(-whole - 1, NANOS_PER_SECOND - nanos)
    };
    result.ok_or(OUT_OF_RANGE)
}

// ---------------------------------------------------------------------------
// serde
// ---------------------------------------------------------------------------

#[cfg(feature = "serde")]
impl ::serde_core::Serialize for DateTime {
    /// Serializes as an RFC 3339 string; instants outside the years
    /// `0001..=9999` are serialized as epoch seconds (an integer, or a float
    /// when there is a fractional part).
    fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.fmt(Format::DateTime) {
            Ok(text) => serializer.serialize_str(&text),
            Err(_) if self.subsecond_nanos == 0 => serializer.serialize_i64(self.seconds),
            Err(_) => serializer.serialize_f64(self.as_secs_f64()),
        }
    }
}

#[cfg(feature = "serde")]
struct DateTimeVisitor;

#[cfg(feature = "serde")]
impl ::serde_core::de::Visitor<'_> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp string or a number of epoch seconds")
    }

    fn visit_str<E: ::serde_core::de::Error>(self, v: &str) -> Result<DateTime, E> {
        DateTime::from_str(v, Format::DateTime).map_err(E::custom)
    }

    fn visit_i64<E: ::serde_core::de::Error>(self, v: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(v))
    }

    fn visit_u64<E: ::serde_core::de::Error>(self, v: u64) -> Result<DateTime, E> {
        i64::try_from(v)
            .map(DateTime::from_secs)
            .map_err(|_| E::custom("epoch seconds out of range"))
    }

    fn visit_f64<E: ::serde_core::de::Error>(self, v: f64) -> Result<DateTime, E> {
        DateTime::from_fractional_secs(v).ok_or_else(|| E::custom("epoch seconds out of range"))
    }
}

#[cfg(feature = "serde")]
impl<'de> ::serde_core::Deserialize<'de> for DateTime {
    /// Deserializes from an RFC 3339 string or a number of epoch seconds
    /// (integer or float).
    fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateTimeVisitor)
    }
}
