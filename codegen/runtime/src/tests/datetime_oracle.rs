//! Timestamps (`primitives/datetime.rs`) against the `time` crate (RFC 3339 and IMF-fixdate,
//! formatting and parsing, and the calendar behind epoch seconds) and `httpdate` (the three
//! HTTP date forms, RFC 850 and asctime included).
//!
//! Where the runtime is deliberately stricter than `time` the tests say so: RFC 3339 leap
//! seconds (`23:59:60`) and UTC offsets of 24 hours or more are rejected, as RFC 3339's grammar
//! and Smithy's timestamps (which cannot hold a leap second) require.

use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;
use time::format_description::well_known::Rfc3339;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::primitives::{DateTime, Format};

/// `0001-01-01T00:00:00Z` and `9999-12-31T23:59:59Z`, the instants RFC 3339 and http-date
/// can be written for.
const FIRST: i64 = -62_135_596_800;
const LAST: i64 = 253_402_300_799;

const IMF_FIXDATE: &[BorrowedFormatItem<'_>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

fn oracle(secs: i64, nanos: u32) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(secs) * 1_000_000_000 + i128::from(nanos))
        .expect("in time's range")
}

fn nanos_of(dt: DateTime) -> i128 {
    i128::from(dt.secs()) * 1_000_000_000 + i128::from(dt.subsec_nanos())
}

/// An instant RFC 3339 can hold: any second of years 1 to 9999, and sub-second parts that are
/// often whole milliseconds or microseconds.
fn instant() -> impl Strategy<Value = (i64, u32)> {
    let nanos = prop_oneof![
        Just(0u32),
        (0u32..1000).prop_map(|ms| ms * 1_000_000),
        (0u32..1_000_000).prop_map(|us| us * 1000),
        0u32..1_000_000_000,
    ];
    let secs = prop_oneof![FIRST..=LAST, -10_000_000_000i64..10_000_000_000];
    (secs, nanos)
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// RFC 3339 and IMF-fixdate are written as `time` writes them, and epoch seconds are
    /// the instant `time` has (whole seconds, then the fraction with trailing zeros trimmed).
    #[test]
    fn formats_as_time_does((secs, nanos) in instant()) {
        let ours = DateTime::from_secs_and_nanos(secs, nanos);
        let theirs = oracle(secs, nanos);
        prop_assert_eq!(ours.fmt(Format::DateTime).unwrap(), theirs.format(&Rfc3339).unwrap());
        prop_assert_eq!(ours.fmt(Format::HttpDate).unwrap(), theirs.format(IMF_FIXDATE).unwrap());

        let epoch = ours.fmt(Format::EpochSeconds).unwrap();
        let (whole, fraction) = epoch.split_once('.').unwrap_or((&epoch, ""));
        prop_assert!(!fraction.ends_with('0') && fraction.len() <= 9, "{}", epoch);
        let magnitude = whole.trim_start_matches('-').parse::<i128>().unwrap() * 1_000_000_000
            + format!("{fraction:0<9}").parse::<i128>().unwrap();
        let text_nanos = if epoch.starts_with('-') { -magnitude } else { magnitude };
        prop_assert_eq!(text_nanos, theirs.unix_timestamp_nanos(), "{}", epoch);
        prop_assert_eq!(DateTime::from_str(&epoch, Format::EpochSeconds).unwrap(), ours);
    }

    /// The same instants written by `time`, in any UTC offset, read back as `time` reads them.
    #[test]
    fn reads_what_time_writes((secs, nanos) in instant(), offset in -86_399i32..86_400) {
        let utc = oracle(secs, nanos);
        let offset = time::UtcOffset::from_whole_seconds(offset / 60 * 60).unwrap();
        // Offsets beyond the years 1..=9999 are left out (time cannot write them either).
        if let Some(local) = utc.checked_to_offset(offset) {
            if (1..=9999).contains(&local.year()) {
                let text = local.format(&Rfc3339).unwrap();
                prop_assert_eq!(nanos_of(DateTime::from_str(&text, Format::DateTime).unwrap()), utc.unix_timestamp_nanos(), "{}", text);
            }
        }
        let text = utc.format(IMF_FIXDATE).unwrap();
        let read = DateTime::from_str(&text, Format::HttpDate).unwrap();
        prop_assert_eq!(nanos_of(read), i128::from(secs) * 1_000_000_000, "{}", text);
    }
}

// ---------------------------------------------------------------------------
// Parsing texts that may be invalid
// ---------------------------------------------------------------------------

/// The fields of an RFC 3339 text, each sometimes just out of range.
#[derive(Clone, Debug)]
struct Rfc3339Fields {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    fraction: String,
    t: char,
    offset: Option<(char, u32, u32)>,
    z: char,
}

impl Rfc3339Fields {
    fn text(&self) -> String {
        let offset = match self.offset {
            None => self.z.to_string(),
            Some((sign, h, m)) => format!("{sign}{h:02}:{m:02}"),
        };
        format!(
            "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}{}{offset}",
            self.year,
            self.month,
            self.day,
            self.t,
            self.hour,
            self.minute,
            self.second,
            self.fraction
        )
    }
}

/// Years, often those where the leap-year rule has its exceptions.
fn year() -> impl Strategy<Value = u32> {
    prop_oneof![
        0u32..=9999,
        prop::sample::select(vec![0, 1, 4, 100, 400, 1600, 1700, 1900, 2000, 2024, 2100, 9996]),
    ]
}

/// Days of the month, often the last ones.
fn day() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..=32, 28u32..=31]
}

fn rfc3339_fields() -> impl Strategy<Value = Rfc3339Fields> {
    let fraction = prop_oneof![Just(String::new()), "\\.[0-9]{1,12}".prop_map(|s| s),];
    (
        (year(), prop_oneof![1u32..=12, Just(2), Just(0), Just(13)], day()),
        (0u32..=24, 0u32..=60, 0u32..=60, fraction),
        (
            prop::sample::select(vec!['T', 't']),
            prop::option::of((prop::sample::select(vec!['+', '-']), 0u32..=25, 0u32..=60)),
            prop::sample::select(vec!['Z', 'z']),
        ),
    )
        .prop_map(|((year, month, day), (hour, minute, second, fraction), (t, offset, z))| {
            Rfc3339Fields { year, month, day, hour, minute, second, fraction, t, offset, z }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Any such text is accepted exactly when `time` accepts it, as the same instant, except
    /// where the runtime is stricter by design: leap seconds.
    /// (Fraction digits past the ninth are truncated by both.)
    #[test]
    fn parses_rfc3339_as_time_does(fields in rfc3339_fields()) {
        let text = fields.text();
        let ours = DateTime::from_str(&text, Format::DateTime);
        let theirs = OffsetDateTime::parse(&text, &Rfc3339);
        let stricter = fields.second == 60;
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => {
                prop_assert!(!stricter, "{}", text);
                prop_assert_eq!(nanos_of(*ours), theirs.unix_timestamp_nanos(), "{}", text);
            }
            (Err(_), Err(_)) => {}
            (Err(_), Ok(_)) if stricter => {}
            _ => prop_assert!(false, "{}: ours {:?}, time {:?}", text, ours, theirs),
        }
    }
}

/// The fields of an HTTP date: the weekday is the date's own (both libraries check it, the
/// runtime does not), the day and the time are sometimes out of range.
#[derive(Clone, Debug)]
struct HttpDateFields {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

fn http_date_fields() -> impl Strategy<Value = HttpDateFields> {
    let year = year().prop_map(|y| y.max(1970) as i32);
    let month = prop_oneof![1u8..=12, Just(2)];
    let day = day().prop_map(|d| d.max(1) as u8);
    (year, month, day, 0u8..=24, 0u8..=60, 0u8..=60).prop_map(
        |(year, month, day, hour, minute, second)| HttpDateFields {
            year,
            month,
            day,
            hour,
            minute,
            second,
        },
    )
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl HttpDateFields {
    /// The weekday of the date if it is one, else Monday (an invalid date is rejected anyway).
    fn weekday(&self) -> time::Weekday {
        time::Month::try_from(self.month)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(self.year, m, self.day).ok())
            .map_or(time::Weekday::Monday, |d| d.weekday())
    }

    fn month_name(&self) -> &'static str {
        MONTHS[usize::from(self.month - 1)]
    }

    fn imf_fixdate(&self) -> String {
        let day_name = &self.weekday().to_string()[..3];
        format!(
            "{day_name}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            self.day,
            self.month_name(),
            self.year,
            self.hour,
            self.minute,
            self.second
        )
    }

    fn rfc850(&self) -> String {
        format!(
            "{}, {:02}-{}-{:02} {:02}:{:02}:{:02} GMT",
            self.weekday(),
            self.day,
            self.month_name(),
            self.year % 100,
            self.hour,
            self.minute,
            self.second
        )
    }

    fn asctime(&self) -> String {
        format!(
            "{} {} {:>2} {:02}:{:02}:{:02} {:04}",
            &self.weekday().to_string()[..3],
            self.month_name(),
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.year
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// IMF-fixdate, RFC 850 and asctime texts: accepted exactly when `httpdate` accepts them,
    /// as the same instant; IMF-fixdate also exactly when `time` does. (RFC 850's two-digit
    /// years are 1970 to 2069 in both.)
    #[test]
    fn parses_http_dates_as_httpdate_does(fields in http_date_fields()) {
        let imf = fields.imf_fixdate();
        let time_reading = PrimitiveDateTime::parse(&imf, IMF_FIXDATE).map(|t| t.assume_utc().unix_timestamp_nanos());
        let ours = DateTime::from_str(&imf, Format::HttpDate).map(nanos_of);
        prop_assert_eq!(ours.as_ref().ok(), time_reading.as_ref().ok(), "{}", imf);

        let rfc850_in_range = (1970..2070).contains(&fields.year);
        for (text, compare) in [(imf, true), (fields.rfc850(), rfc850_in_range), (fields.asctime(), true)] {
            if !compare {
                continue;
            }
            let ours = DateTime::from_str(&text, Format::HttpDate).map(nanos_of);
            let theirs = httpdate::parse_http_date(&text).map(|t| {
                i128::try_from(t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_nanos()).unwrap()
            });
            prop_assert_eq!(ours.as_ref().ok(), theirs.as_ref().ok(), "{}", text);
        }
    }
}

/// The one deliberate difference from `time`: it reads a leap second at the end of a month as
/// the last nanosecond before it; the runtime rejects leap seconds wherever they are.
#[test]
fn leap_seconds_are_rejected_where_time_accepts_them() {
    for text in ["2016-12-31T23:59:60Z", "2016-06-30T23:59:60.5Z", "2016-12-31T20:59:60-03:00"] {
        assert!(OffsetDateTime::parse(text, &Rfc3339).is_ok(), "{text}");
        let error = DateTime::from_str(text, Format::DateTime).unwrap_err();
        assert_eq!(error.reason(), "leap seconds are not supported", "{text}");
    }
}
