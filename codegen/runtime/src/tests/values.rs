//! Timestamps, blobs and base64, documents and big numbers (`primitives/{datetime,blob,document,
//! big_number}.rs`): known values, rejections, serde, and no panics on random input.

use crate::primitives::blob::base64;
use crate::primitives::{BigDecimal, BigInteger, Blob, DateTime, Document, Format, Number};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

use super::rng::Rng;

fn parse(s: &str, format: Format) -> DateTime {
    DateTime::from_str(s, format).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

fn fmt(dt: DateTime, format: Format) -> String {
    dt.fmt(format).unwrap()
}

fn dt(secs: i64, nanos: u32) -> DateTime {
    DateTime::from_secs_and_nanos(secs, nanos)
}

// ---------------------------------------------------------------------------
// DateTime: construction
// ---------------------------------------------------------------------------

#[test]
fn datetime_constructors() {
    let d = DateTime::from_secs(1515531081);
    assert_eq!((d.secs(), d.subsec_nanos()), (1515531081, 0));

    let d = dt(5, 1_500_000_000);
    assert_eq!((d.secs(), d.subsec_nanos()), (6, 500_000_000));
    let d = dt(i64::MAX, 2_000_000_000);
    assert_eq!((d.secs(), d.subsec_nanos()), (i64::MAX, 999_999_999));
    let d = dt(-1, u32::MAX);
    assert_eq!((d.secs(), d.subsec_nanos()), (3, 294_967_295));

    let d = DateTime::from_millis(1_515_531_081_123);
    assert_eq!((d.secs(), d.subsec_nanos()), (1515531081, 123_000_000));
    let d = DateTime::from_millis(-1);
    assert_eq!((d.secs(), d.subsec_nanos()), (-1, 999_000_000));
    let d = DateTime::from_millis(i64::MIN);
    assert_eq!(d.secs(), i64::MIN.div_euclid(1000));
    let d = DateTime::from_millis(i64::MAX);
    assert_eq!((d.secs(), d.subsec_nanos()), (i64::MAX / 1000, 807_000_000));

    assert_eq!(dt(1, 500_000_000).as_secs_f64(), 1.5);
    assert_eq!(dt(-2, 500_000_000).as_secs_f64(), -1.5);
}

#[test]
fn datetime_from_fractional_secs() {
    let d = DateTime::from_fractional_secs(946845296.123).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (946845296, 123_000_000));
    let d = DateTime::from_fractional_secs(-1.5).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (-2, 500_000_000));
    let d = DateTime::from_fractional_secs(-0.25).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (-1, 750_000_000));
    let d = DateTime::from_fractional_secs(1.0).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (1, 0));
    let d = DateTime::from_fractional_secs(-0.0).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (0, 0));
    let d = DateTime::from_fractional_secs(1e-12).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (0, 0));
    let d = DateTime::from_fractional_secs(1.5e9).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (1_500_000_000, 0));
    let d = DateTime::from_fractional_secs(5e-324).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (0, 0));
    let d = DateTime::from_fractional_secs(-9.2e18).unwrap();
    assert_eq!((d.secs(), d.subsec_nanos()), (-9_200_000_000_000_000_000, 0));

    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e19, -1e19, 9.3e18, f64::MAX, f64::MIN]
    {
        assert_eq!(DateTime::from_fractional_secs(bad), None, "{bad}");
    }
}

#[test]
fn datetime_system_time() {
    let t = UNIX_EPOCH + Duration::new(1515531081, 123_456_789);
    let d = DateTime::from(t);
    assert_eq!((d.secs(), d.subsec_nanos()), (1515531081, 123_456_789));
    assert_eq!(SystemTime::try_from(d).unwrap(), t);

    let t = UNIX_EPOCH - Duration::new(1, 250_000_000);
    let d = DateTime::from(t);
    assert_eq!((d.secs(), d.subsec_nanos()), (-2, 750_000_000));
    assert_eq!(SystemTime::try_from(d).unwrap(), t);

    let t = UNIX_EPOCH - Duration::from_secs(86_400);
    let d = DateTime::from(t);
    assert_eq!((d.secs(), d.subsec_nanos()), (-86_400, 0));
    assert_eq!(SystemTime::try_from(d).unwrap(), t);

    let now = SystemTime::now();
    assert_eq!(SystemTime::try_from(DateTime::from(now)).unwrap(), now);

    // Whether these fit is platform dependent; they must not panic.
    for extreme in [
        DateTime::from_secs(i64::MAX),
        DateTime::from_secs(i64::MIN),
        dt(i64::MAX, 999_999_999),
        dt(i64::MIN, 999_999_999),
    ] {
        if let Ok(t) = SystemTime::try_from(extreme) {
            assert_eq!(DateTime::from(t), extreme);
        } else {
            let err = SystemTime::try_from(extreme).unwrap_err();
            assert!(err.to_string().contains("SystemTime"));
        }
    }
}

// ---------------------------------------------------------------------------
// DateTime: known instants in all three formats
// ---------------------------------------------------------------------------

/// (epoch seconds, nanos, RFC 3339, http-date, epoch-seconds text)
const KNOWN: &[(i64, u32, &str, &str, &str)] = &[
    (1515531081, 0, "2018-01-09T20:51:21Z", "Tue, 09 Jan 2018 20:51:21 GMT", "1515531081"),
    (
        946845296,
        123_000_000,
        "2000-01-02T20:34:56.123Z",
        "Sun, 02 Jan 2000 20:34:56 GMT",
        "946845296.123",
    ),
    (1576540098, 0, "2019-12-16T23:48:18Z", "Mon, 16 Dec 2019 23:48:18 GMT", "1576540098"),
    (
        1576540098,
        520_000_000,
        "2019-12-16T23:48:18.52Z",
        "Mon, 16 Dec 2019 23:48:18 GMT",
        "1576540098.52",
    ),
    (1398796238, 0, "2014-04-29T18:30:38Z", "Tue, 29 Apr 2014 18:30:38 GMT", "1398796238"),
    (0, 0, "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT", "0"),
    (0, 1, "1970-01-01T00:00:00.000000001Z", "Thu, 01 Jan 1970 00:00:00 GMT", "0.000000001"),
    (-1, 0, "1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 GMT", "-1"),
    (-2, 500_000_000, "1969-12-31T23:59:58.5Z", "Wed, 31 Dec 1969 23:59:58 GMT", "-1.5"),
    (-1, 900_000_000, "1969-12-31T23:59:59.9Z", "Wed, 31 Dec 1969 23:59:59 GMT", "-0.1"),
    (-86_400, 0, "1969-12-31T00:00:00Z", "Wed, 31 Dec 1969 00:00:00 GMT", "-86400"),
    (-2_208_988_800, 0, "1900-01-01T00:00:00Z", "Mon, 01 Jan 1900 00:00:00 GMT", "-2208988800"),
    (-62_135_596_800, 0, "0001-01-01T00:00:00Z", "Mon, 01 Jan 0001 00:00:00 GMT", "-62135596800"),
    (
        253_402_300_799,
        999_999_999,
        "9999-12-31T23:59:59.999999999Z",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "253402300799.999999999",
    ),
    // Leap days.
    (951_782_400, 0, "2000-02-29T00:00:00Z", "Tue, 29 Feb 2000 00:00:00 GMT", "951782400"),
    (1_709_164_800, 0, "2024-02-29T00:00:00Z", "Thu, 29 Feb 2024 00:00:00 GMT", "1709164800"),
    (1_709_251_199, 0, "2024-02-29T23:59:59Z", "Thu, 29 Feb 2024 23:59:59 GMT", "1709251199"),
    (-2_203_891_200, 0, "1900-03-01T00:00:00Z", "Thu, 01 Mar 1900 00:00:00 GMT", "-2203891200"),
    (4_107_542_400, 0, "2100-03-01T00:00:00Z", "Mon, 01 Mar 2100 00:00:00 GMT", "4107542400"),
];

#[test]
fn datetime_known_instants() {
    for &(secs, nanos, rfc3339, http, epoch) in KNOWN {
        let d = dt(secs, nanos);
        assert_eq!(fmt(d, Format::DateTime), rfc3339);
        assert_eq!(fmt(d, Format::HttpDate), http);
        assert_eq!(fmt(d, Format::EpochSeconds), epoch);
        assert_eq!(d.to_string(), rfc3339);
        assert_eq!(format!("{d:?}"), rfc3339);

        assert_eq!(parse(rfc3339, Format::DateTime), d, "{rfc3339}");
        assert_eq!(rfc3339.parse::<DateTime>().unwrap(), d);
        assert_eq!(parse(epoch, Format::EpochSeconds), d, "{epoch}");
        // http-date drops the fraction.
        assert_eq!(parse(http, Format::HttpDate), dt(secs, 0), "{http}");
    }
}

#[test]
fn datetime_formattable_range() {
    let min = dt(-62_135_596_800, 0);
    let max = dt(253_402_300_799, 999_999_999);
    assert!(min.fmt(Format::DateTime).is_ok());
    assert!(max.fmt(Format::HttpDate).is_ok());

    let before = DateTime::from_secs(-62_135_596_801);
    let after = DateTime::from_secs(253_402_300_800);
    for d in [before, after, DateTime::from_secs(i64::MIN), DateTime::from_secs(i64::MAX)] {
        for format in [Format::DateTime, Format::HttpDate] {
            let err = d.fmt(format).unwrap_err();
            assert!(err.to_string().contains("0001..=9999"), "{err}");
        }
        // Epoch seconds always work and round-trip.
        let text = d.fmt(Format::EpochSeconds).unwrap();
        assert_eq!(parse(&text, Format::EpochSeconds), d);
    }
    assert_eq!(before.to_string(), "0000-12-31T23:59:59Z");
    assert_eq!(after.to_string(), "+10000-01-01T00:00:00Z");
    assert_eq!(DateTime::from_secs(-62_167_219_201).to_string(), "-0001-12-31T23:59:59Z");
    assert_eq!(DateTime::from_secs(i64::MAX).to_string(), "+292277026596-12-04T15:30:07Z");
    assert_eq!(DateTime::from_secs(i64::MIN).to_string(), "-292277022657-01-27T08:29:52Z");
    assert_eq!(
        dt(i64::MAX, 999_999_999).fmt(Format::EpochSeconds).unwrap(),
        "9223372036854775807.999999999"
    );
    assert_eq!(
        dt(i64::MIN, 1).fmt(Format::EpochSeconds).unwrap(),
        "-9223372036854775807.999999999"
    );
    assert_eq!(
        DateTime::from_secs(i64::MIN).fmt(Format::EpochSeconds).unwrap(),
        "-9223372036854775808"
    );
    // Year 0000 parses (RFC 3339 allows it) but is not formatted.
    let year0 = parse("0000-03-01T00:00:00Z", Format::DateTime);
    assert_eq!(year0.secs(), -62_162_035_200);
    assert!(year0.fmt(Format::DateTime).is_err());
}

/// Every day over six centuries, checked against a naive day-by-day calendar:
/// format, then parse back, in all formats.
#[test]
fn datetime_round_trip_every_day() {
    fn month_len(y: i64, m: u32) -> u32 {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1]
    }
    let (mut y, mut m, mut d) = (1599i64, 12u32, 25u32);
    let start = parse("1599-12-25T00:00:00Z", Format::DateTime).secs();
    let mut previous: Option<DateTime> = None;
    for day in 0..(600 * 366) {
        let secs = start + day * 86_400 + (day * 7919) % 86_400;
        let value = dt(secs, ((day * 104_729) % 1_000_000_000) as u32);
        let rfc = fmt(value, Format::DateTime);
        assert!(rfc.starts_with(&format!("{y:04}-{m:02}-{d:02}T")), "{rfc}");
        assert_eq!(parse(&rfc, Format::DateTime), value, "{rfc}");
        let http = fmt(value, Format::HttpDate);
        assert_eq!(parse(&http, Format::HttpDate), dt(secs, 0), "{http}");
        let epoch = fmt(value, Format::EpochSeconds);
        assert_eq!(parse(&epoch, Format::EpochSeconds), value, "{epoch}");
        if let Some(prev) = previous {
            assert!(prev < value);
        }
        previous = Some(value);
        d += 1;
        if d > month_len(y, m) {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    assert_eq!((y, m, d), (2201, 3, 24));
}

#[test]
fn datetime_leap_years() {
    assert_eq!(parse("2000-02-29T12:00:00Z", Format::DateTime).secs(), 951_825_600);
    assert_eq!(parse("2024-02-29T00:00:00Z", Format::DateTime).secs(), 1_709_164_800);
    assert_eq!(parse("1600-02-29T00:00:00Z", Format::DateTime).secs(), -11_670_998_400);
    for bad in [
        "1900-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-02-30T00:00:00Z",
    ] {
        assert!(DateTime::from_str(bad, Format::DateTime).is_err(), "{bad}");
    }
    assert!(DateTime::from_str("Thu, 29 Feb 1900 00:00:00 GMT", Format::HttpDate).is_err());
    let next_second = |s: &str| dt(parse(s, Format::DateTime).secs() + 1, 0);
    assert_eq!(fmt(next_second("2024-02-28T23:59:59Z"), Format::DateTime), "2024-02-29T00:00:00Z");
    assert_eq!(fmt(next_second("2023-02-28T23:59:59Z"), Format::DateTime), "2023-03-01T00:00:00Z");
    assert_eq!(fmt(next_second("1900-02-28T23:59:59Z"), Format::DateTime), "1900-03-01T00:00:00Z");
}

// ---------------------------------------------------------------------------
// DateTime: RFC 3339 parsing
// ---------------------------------------------------------------------------

#[test]
fn rfc3339_variants() {
    let expected = DateTime::from_secs(1576540098);
    for s in [
        "2019-12-16T23:48:18Z",
        "2019-12-16t23:48:18z",
        "2019-12-16T23:48:18+00:00",
        "2019-12-16T23:48:18-00:00",
        "2019-12-16T22:48:18-01:00",
        "2019-12-17T00:48:18+01:00",
        "2019-12-16T15:48:18-08:00",
        "2019-12-17T05:18:18+05:30",
        "2019-12-15T23:49:18-23:59",
        "2019-12-17T23:47:18+23:59",
    ] {
        assert_eq!(parse(s, Format::DateTime), expected, "{s}");
    }
    // Offsets cross day, month and year boundaries.
    assert_eq!(
        fmt(parse("2019-12-31T23:30:00-01:00", Format::DateTime), Format::DateTime),
        "2020-01-01T00:30:00Z"
    );
    assert_eq!(
        fmt(parse("2020-01-01T00:30:00+01:00", Format::DateTime), Format::DateTime),
        "2019-12-31T23:30:00Z"
    );
    // Fractions of any length; digits beyond nanoseconds are truncated.
    let cases: &[(&str, u32)] = &[
        ("2019-12-16T23:48:18.1Z", 100_000_000),
        ("2019-12-16T23:48:18.12Z", 120_000_000),
        ("2019-12-16T23:48:18.123456Z", 123_456_000),
        ("2019-12-16T23:48:18.123456789Z", 123_456_789),
        ("2019-12-16T23:48:18.1234567899999Z", 123_456_789),
        ("2019-12-16T23:48:18.000Z", 0),
        ("2019-12-16T23:48:18.999999999999999999999999999999Z", 999_999_999),
    ];
    for &(s, nanos) in cases {
        assert_eq!(parse(s, Format::DateTime), dt(1576540098, nanos), "{s}");
    }
    let long = format!("2019-12-16T23:48:18.5{}Z", "9".repeat(10_000));
    assert_eq!(parse(&long, Format::DateTime), dt(1576540098, 599_999_999));
}

#[test]
fn rfc3339_rejections() {
    for bad in [
        "",
        " ",
        "garbage",
        "2019-13-01T00:00:00Z",
        "2019-00-01T00:00:00Z",
        "2019-02-30T00:00:00Z",
        "2019-04-31T00:00:00Z",
        "2019-01-00T00:00:00Z",
        "2019-01-32T00:00:00Z",
        "2019-12-16T24:00:00Z",
        "2019-12-16T23:60:00Z",
        "2019-12-16T23:59:60Z",
        "2019-12-16T23:59:61Z",
        "2019-12-16T23:48:18",
        "2019-12-16T23:48:18.Z",
        "2019-12-16T23:48Z",
        "2019-12-16 23:48:18Z",
        "2019-12-16T23:48:18Z ",
        " 2019-12-16T23:48:18Z",
        "2019-12-16T23:48:18ZZ",
        "2019-12-16T23:48:18+01",
        "2019-12-16T23:48:18+0100",
        "2019-12-16T23:48:18+24:00",
        "2019-12-16T23:48:18+01:60",
        "2019-12-16T23:48:18+1:00",
        "2019-12-16",
        "19-12-16T23:48:18Z",
        "+2019-12-16T23:48:18Z",
        "20190-12-16T23:48:18Z",
        "2019-1-16T23:48:18Z",
        "2019-12-1T23:48:18Z",
        "2019-12-16T3:48:18Z",
        "2019-12-16T23:48:18,5Z",
        "２019-12-16T23:48:18Z",
        "2019-12-16T23:48:18.５Z",
        "1515531081",
        "Tue, 09 Jan 2018 20:51:21 GMT",
    ] {
        let err = DateTime::from_str(bad, Format::DateTime).unwrap_err();
        assert_eq!(err.format(), Format::DateTime);
        assert!(err.to_string().starts_with("invalid `date-time` timestamp: "), "{err}");
        assert!(bad.parse::<DateTime>().is_err(), "{bad}");
    }
    let err = DateTime::from_str("2019-02-30T00:00:00Z", Format::DateTime).unwrap_err();
    assert_eq!(err.reason(), "day out of range for the month");
    let err = DateTime::from_str("2019-12-16T23:59:60Z", Format::DateTime).unwrap_err();
    assert_eq!(err.reason(), "leap seconds are not supported");
    let err = DateTime::from_str("2019-13-01T00:00:00Z", Format::DateTime).unwrap_err();
    assert_eq!(err.to_string(), "invalid `date-time` timestamp: month out of range");
}

// ---------------------------------------------------------------------------
// DateTime: http-date parsing
// ---------------------------------------------------------------------------

#[test]
fn http_date_variants() {
    let cases: &[(&str, i64, u32)] = &[
        ("Sun, 02 Jan 2000 20:34:56.123 GMT", 946845296, 123_000_000),
        ("Sun, 02 Jan 2000 20:34:56.000 GMT", 946845296, 0),
        ("Sun, 02 Jan 2000 20:34:56.5 GMT", 946845296, 500_000_000),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784111777, 0),
        ("sun, 06 nov 1994 08:49:37 GMT", 784111777, 0),
        ("SUN, 06 NOV 1994 08:49:37 GMT", 784111777, 0),
        // The day name is not checked against the date.
        ("Mon, 06 Nov 1994 08:49:37 GMT", 784111777, 0),
        // RFC 850.
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784111777, 0),
        ("Sunday, 02-Jan-00 20:34:56 GMT", 946845296, 0),
        ("Thursday, 01-Jan-70 00:00:00 GMT", 0, 0),
        ("Wednesday, 31-Dec-69 00:00:00 GMT", 3_155_673_600, 0),
        // asctime.
        ("Sun Nov  6 08:49:37 1994", 784111777, 0),
        ("Sun Jan 02 20:34:56 2000", 946845296, 0),
        ("Tue Jan  9 20:51:21 2018", 1515531081, 0),
    ];
    for &(s, secs, nanos) in cases {
        assert_eq!(parse(s, Format::HttpDate), dt(secs, nanos), "{s}");
    }
}

#[test]
fn http_date_rejections() {
    for bad in [
        "",
        "GMT",
        "Sun,",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 GMTX",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:49:60 GMT",
        "Sun, 06 Nov 1994 08:49:37. GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        "2019-12-16T23:48:18Z",
        "1515531081",
    ] {
        let err = DateTime::from_str(bad, Format::HttpDate).unwrap_err();
        assert_eq!(err.format(), Format::HttpDate, "{bad}");
        assert!(err.to_string().starts_with("invalid `http-date` timestamp: "));
    }
}

// ---------------------------------------------------------------------------
// DateTime: epoch-seconds parsing
// ---------------------------------------------------------------------------

#[test]
fn epoch_seconds_variants() {
    let cases: &[(&str, i64, u32)] = &[
        ("0", 0, 0),
        ("-0", 0, 0),
        ("+5", 5, 0),
        ("1515531081", 1515531081, 0),
        ("1515531081.123", 1515531081, 123_000_000),
        ("1515531081.000", 1515531081, 0),
        ("0001515531081", 1515531081, 0),
        ("-1", -1, 0),
        ("-1.5", -2, 500_000_000),
        ("-0.000000001", -1, 999_999_999),
        ("-0.0000000001", 0, 0),
        ("0.1234567891", 0, 123_456_789),
        ("1.5e9", 1_500_000_000, 0),
        ("1.5E+9", 1_500_000_000, 0),
        ("15e-1", 1, 500_000_000),
        ("1515531081123e-3", 1515531081, 123_000_000),
        ("-1515531081123E-3", -1515531082, 877_000_000),
        ("0e999999999999999999999999", 0, 0),
        ("1e-99999999999999999999999", 0, 0),
        ("123e-99999999999999999999999", 0, 0),
        ("9223372036854775807", i64::MAX, 0),
        ("-9223372036854775808", i64::MIN, 0),
        ("9223372036854775807.999999999", i64::MAX, 999_999_999),
        ("-9223372036854775807.5", i64::MIN, 500_000_000),
        ("9.223372036854775807e18", i64::MAX, 0),
    ];
    for &(s, secs, nanos) in cases {
        assert_eq!(parse(s, Format::EpochSeconds), dt(secs, nanos), "{s}");
    }
}

#[test]
fn epoch_seconds_rejections() {
    for bad in [
        "",
        "-",
        "+",
        ".5",
        "1.",
        "1.e5",
        "1e",
        "1e+",
        "--1",
        "1 ",
        " 1",
        "0x10",
        "1,5",
        "NaN",
        "inf",
        "١٢",
        "99999999999999999999",
        "9223372036854775808",
        "-9223372036854775809",
        "-9223372036854775808.5",
        "18446744073709551616",
        "1e19",
        "1e999999999999999999999999",
        "2019-12-16T23:48:18Z",
    ] {
        let err = DateTime::from_str(bad, Format::EpochSeconds).unwrap_err();
        assert_eq!(err.format(), Format::EpochSeconds, "{bad}");
    }
    let long_digits = "9".repeat(100_000);
    assert!(DateTime::from_str(&long_digits, Format::EpochSeconds).is_err());
    assert!(DateTime::from_str(&long_digits, Format::DateTime).is_err());
    assert!(DateTime::from_str(&long_digits, Format::HttpDate).is_err());
    // A very long fraction is fine.
    let long_fraction = format!("1.{}", "0".repeat(100_000));
    assert_eq!(parse(&long_fraction, Format::EpochSeconds), dt(1, 0));
    let long_zeros = format!("{}1", "0".repeat(100_000));
    assert_eq!(parse(&long_zeros, Format::EpochSeconds), dt(1, 0));
}

#[test]
fn format_names() {
    assert_eq!(Format::DateTime.to_string(), "date-time");
    assert_eq!(Format::HttpDate.as_str(), "http-date");
    assert_eq!(Format::EpochSeconds.as_str(), "epoch-seconds");
}

#[test]
fn datetime_ordering_and_hash() {
    use std::collections::HashSet;
    let a = dt(-2, 500_000_000); // -1.5
    let b = dt(-1, 0); // -1
    let c = dt(-1, 1);
    let d = dt(0, 0);
    assert!(a < b && b < c && c < d);
    let set: HashSet<DateTime> = [a, b, c, d, dt(-1, 0)].into_iter().collect();
    assert_eq!(set.len(), 4);
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn datetime_serde() {
    let d = dt(946845296, 123_000_000);
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(json, "\"2000-01-02T20:34:56.123Z\"");
    assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), d);

    assert_eq!(
        serde_json::from_str::<DateTime>("\"2019-12-16T22:48:18-01:00\"").unwrap(),
        DateTime::from_secs(1576540098)
    );
    assert_eq!(
        serde_json::from_str::<DateTime>("1515531081").unwrap(),
        DateTime::from_secs(1515531081)
    );
    assert_eq!(serde_json::from_str::<DateTime>("-1").unwrap(), DateTime::from_secs(-1));
    assert_eq!(serde_json::from_str::<DateTime>("946845296.123").unwrap(), d);
    assert_eq!(
        serde_json::from_str::<DateTime>("1.5e9").unwrap(),
        DateTime::from_secs(1_500_000_000)
    );
    for bad in [
        "\"2019-02-30T00:00:00Z\"",
        "\"garbage\"",
        "18446744073709551615",
        "1e300",
        "true",
        "null",
        "[]",
        "{}",
    ] {
        assert!(serde_json::from_str::<DateTime>(bad).is_err(), "{bad}");
    }
    let err = serde_json::from_str::<DateTime>("\"2019-13-01T00:00:00Z\"").unwrap_err();
    assert!(err.to_string().contains("month out of range"), "{err}");

    // Out of range years fall back to epoch seconds.
    let far = DateTime::from_secs(253_402_300_800);
    assert_eq!(serde_json::to_string(&far).unwrap(), "253402300800");
    assert_eq!(serde_json::from_str::<DateTime>("253402300800").unwrap(), far);
    let far_frac = dt(253_402_300_800, 500_000_000);
    assert_eq!(serde_json::to_string(&far_frac).unwrap(), "253402300800.5");
    assert_eq!(serde_json::from_str::<DateTime>("253402300800.5").unwrap(), far_frac);

    // Inside a structure.
    let v: Vec<DateTime> = serde_json::from_str("[\"1970-01-01T00:00:00Z\", 0, 0.0]").unwrap();
    assert_eq!(v, vec![DateTime::from_secs(0); 3]);
}

// ---------------------------------------------------------------------------
// Blob / base64
// ---------------------------------------------------------------------------

const RFC4648_VECTORS: &[(&str, &str)] = &[
    ("", ""),
    ("f", "Zg=="),
    ("fo", "Zm8="),
    ("foo", "Zm9v"),
    ("foob", "Zm9vYg=="),
    ("fooba", "Zm9vYmE="),
    ("foobar", "Zm9vYmFy"),
];

#[test]
fn base64_rfc4648_vectors() {
    for &(plain, encoded) in RFC4648_VECTORS {
        assert_eq!(base64::encode(plain.as_bytes()), encoded);
        assert_eq!(base64::decode(encoded).unwrap(), plain.as_bytes());
        // Missing padding is tolerated.
        let unpadded = encoded.trim_end_matches('=');
        assert_eq!(base64::decode(unpadded).unwrap(), plain.as_bytes());
    }
}

#[test]
fn base64_all_bytes_and_lengths() {
    let all: Vec<u8> = (0..=255).collect();
    let encoded = base64::encode(&all);
    assert_eq!(
        encoded,
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w=="
    );
    assert_eq!(base64::decode(&encoded).unwrap(), all);
    let mut rng = Rng(0x1234_5678_9abc_def0);
    for len in 0..200usize {
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let encoded = base64::encode(&data);
        assert_eq!(encoded.len(), len.div_ceil(3) * 4);
        assert_eq!(base64::decode(&encoded).unwrap(), data);
        assert_eq!(base64::decode(encoded.trim_end_matches('=')).unwrap(), data);
    }
    assert_eq!(base64::decode("+/+/").unwrap(), vec![0xfb, 0xff, 0xbf]);
    // Non-zero unused trailing bits are ignored.
    assert_eq!(base64::decode("QR==").unwrap(), b"A");
}

#[test]
fn base64_rejections() {
    use base64::DecodeError;
    let cases: &[(&str, DecodeError)] = &[
        ("Z", DecodeError::Length),
        ("Zm9vY", DecodeError::Length),
        ("Z===", DecodeError::Padding),
        ("=", DecodeError::Padding),
        ("==", DecodeError::Padding),
        ("====", DecodeError::Padding),
        ("Zg=", DecodeError::Padding),
        ("Zg===", DecodeError::Padding),
        ("Zm8==", DecodeError::Padding),
        ("Zm9v=", DecodeError::Padding),
        ("Zm9v====", DecodeError::Padding),
        ("Zg==Zg==", DecodeError::Padding),
        ("Z=g=", DecodeError::Padding),
        ("Zm9v\n", DecodeError::Byte { index: 4, byte: b'\n' }),
        ("Zm 9v", DecodeError::Byte { index: 2, byte: b' ' }),
        ("Zm-_", DecodeError::Byte { index: 2, byte: b'-' }),
        ("Zm9é", DecodeError::Byte { index: 3, byte: 0xc3 }),
    ];
    for (input, expected) in cases {
        assert_eq!(base64::decode(input).as_ref(), Err(expected), "{input:?}");
    }
    let err = base64::decode("Zm9v!").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid base64: byte 0x21 at offset 4 is not in the standard alphabet"
    );
}

#[test]
fn blob_api() {
    let b = Blob::new("hello");
    assert_eq!(b.as_ref(), b"hello");
    assert_eq!(b, Blob::from("hello".to_string()));
    assert_eq!(b, Blob::from(&b"hello"[..]));
    assert_eq!(b, Blob::from(b"hello".to_vec()));
    assert_eq!(b.clone().into_inner(), b"hello".to_vec());
    assert_eq!(Vec::<u8>::from(b), b"hello".to_vec());
    assert_eq!(Blob::default().as_ref(), b"");
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn blob_serde() {
    let b = Blob::new("foobar");
    let json = serde_json::to_string(&b).unwrap();
    assert_eq!(json, "\"Zm9vYmFy\"");
    assert_eq!(serde_json::from_str::<Blob>(&json).unwrap(), b);
    assert_eq!(serde_json::from_str::<Blob>("\"Zm9vYg\"").unwrap(), Blob::new("foob"));
    assert_eq!(serde_json::from_str::<Blob>("[102, 111, 111]").unwrap(), Blob::new("foo"));
    assert_eq!(serde_json::from_str::<Blob>("\"\"").unwrap(), Blob::default());
    for bad in ["\"Zm9v!\"", "[256]", "[-1]", "5", "null", "{}"] {
        assert!(serde_json::from_str::<Blob>(bad).is_err(), "{bad}");
    }
    let err = serde_json::from_str::<Blob>("\"Z\"").unwrap_err();
    assert!(err.to_string().contains("invalid base64"), "{err}");

    // Raw bytes through a serde Deserializer that produces them.
    use serde::de::value::{BytesDeserializer, Error as ValueError};
    use serde::Deserialize;
    let raw = Blob::deserialize(BytesDeserializer::<ValueError>::new(b"\x00\xff")).unwrap();
    assert_eq!(raw.as_ref(), b"\x00\xff");
}

// ---------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------

#[test]
fn document_api() {
    assert!(Document::Null.is_null());
    assert!(Document::default().is_null());
    assert_eq!(Document::from(true).as_bool(), Some(true));
    assert_eq!(Document::from("x").as_str(), Some("x"));
    assert_eq!(Document::from("x".to_string()).as_str(), Some("x"));
    assert_eq!(Document::from(-5i64), Document::Number(Number::NegInt(-5)));
    assert_eq!(Document::from(5i64), Document::Number(Number::PosInt(5)));
    assert_eq!(Document::from(5), Document::Number(Number::PosInt(5)));
    assert_eq!(Document::from(-5), Document::Number(Number::NegInt(-5)));
    assert_eq!(Document::from(5u32), Document::Number(Number::PosInt(5)));
    assert_eq!(Document::from(u64::MAX), Document::Number(Number::PosInt(u64::MAX)));
    assert_eq!(Document::from(1.5), Document::Number(Number::Float(1.5)));
    let array = Document::from(vec![Document::Null, Document::from(1)]);
    assert_eq!(array.as_array().map(Vec::len), Some(2));
    let mut map = BTreeMap::new();
    map.insert("k".to_string(), Document::from("v"));
    let object = Document::from(map);
    assert_eq!(object.as_object().and_then(|m| m.get("k")).and_then(Document::as_str), Some("v"));
    assert_eq!(object.as_str(), None);
    assert_eq!(object.as_bool(), None);
    assert_eq!(object.as_number(), None);
    assert_eq!(object.as_array(), None);
    assert!(!object.is_null());
    assert_eq!(array.as_object(), None);

    assert_eq!(Number::PosInt(5).as_i64(), Some(5));
    assert_eq!(Number::PosInt(u64::MAX).as_i64(), None);
    assert_eq!(Number::PosInt(u64::MAX).as_u64(), Some(u64::MAX));
    assert_eq!(Number::NegInt(-1).as_u64(), None);
    assert_eq!(Number::NegInt(i64::MIN).as_i64(), Some(i64::MIN));
    assert_eq!(Number::NegInt(-3).as_f64(), -3.0);
    assert_eq!(Number::Float(1.5).as_f64(), 1.5);
    assert_eq!(Number::Float(1.0).as_i64(), None);
    assert_eq!(Number::Float(1.0).as_u64(), None);
    assert!(Number::PosInt(1).is_integer());
    assert!(!Number::Float(1.0).is_integer());
    assert_eq!(Number::from(i64::MIN), Number::NegInt(i64::MIN));
    assert_eq!(Number::from(0i64), Number::PosInt(0));
    assert_eq!(Number::NegInt(-7).to_string(), "-7");
    assert_eq!(Number::Float(1.5).to_string(), "1.5");
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn document_serde_round_trip() {
    let json = r#"{"a":[1,-2,1.5,18446744073709551615,-9223372036854775808,true,false,null,"s",{}],"b":{"c":[]},"unicode":"é\n\u0000"}"#;
    let doc: Document = serde_json::from_str(json).unwrap();
    let a = doc.as_object().unwrap().get("a").unwrap().as_array().unwrap();
    assert_eq!(a[0], Document::Number(Number::PosInt(1)));
    assert_eq!(a[1], Document::Number(Number::NegInt(-2)));
    assert_eq!(a[2], Document::Number(Number::Float(1.5)));
    assert_eq!(a[3], Document::Number(Number::PosInt(u64::MAX)));
    assert_eq!(a[4], Document::Number(Number::NegInt(i64::MIN)));
    assert_eq!(a[5], Document::Bool(true));
    assert_eq!(a[7], Document::Null);
    assert_eq!(a[8], Document::from("s"));
    assert_eq!(a[9], Document::Object(BTreeMap::new()));
    assert_eq!(doc.as_object().unwrap().get("unicode").unwrap().as_str(), Some("é\n\0"));
    let out = serde_json::to_string(&doc).unwrap();
    assert_eq!(out, json);
    assert_eq!(serde_json::from_str::<Document>(&out).unwrap(), doc);

    // Same as serde_json's own model.
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), value);
    let from_value: Document = serde_json::from_value(value).unwrap();
    assert_eq!(from_value, doc);

    // Scalars.
    for (text, expected) in [
        ("null", Document::Null),
        ("0", Document::Number(Number::PosInt(0))),
        // serde_json reports `-0` as the float -0.0.
        ("-0", Document::Number(Number::Float(-0.0))),
        ("-0.0", Document::Number(Number::Float(-0.0))),
        ("1e2", Document::Number(Number::Float(100.0))),
        ("\"\"", Document::from("")),
    ] {
        assert_eq!(serde_json::from_str::<Document>(text).unwrap(), expected, "{text}");
    }
    // Duplicate keys: last wins.
    let dup: Document = serde_json::from_str(r#"{"k":1,"k":2}"#).unwrap();
    assert_eq!(dup.as_object().unwrap().get("k"), Some(&Document::from(2)));
    // Non-finite floats are written as null by serde_json.
    assert_eq!(serde_json::to_string(&Document::from(f64::NAN)).unwrap(), "null");
    // Number on its own.
    assert_eq!(serde_json::from_str::<Number>("-3").unwrap(), Number::NegInt(-3));
    assert_eq!(serde_json::to_string(&Number::Float(1.5)).unwrap(), "1.5");
    assert!(serde_json::from_str::<Number>("\"3\"").is_err());
    // Options map to Null.
    assert_eq!(serde_json::from_str::<Option<Document>>("null").unwrap(), None);
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn document_deep_nesting() {
    let depth = 100;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let doc: Document = serde_json::from_str(&json).unwrap();
    let mut level = &doc;
    let mut count = 1;
    while let Some([inner]) = level.as_array().map(Vec::as_slice) {
        level = inner;
        count += 1;
    }
    assert_eq!(count, depth);
    assert_eq!(serde_json::to_string(&doc).unwrap(), json);

    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let doc: Document = serde_json::from_str(&objects).unwrap();
    assert_eq!(serde_json::to_string(&doc).unwrap(), objects);

    // Beyond serde_json's recursion limit: an error, not a stack overflow.
    let too_deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(serde_json::from_str::<Document>(&too_deep).is_err());
    let too_deep = "{\"a\":".repeat(100_000);
    assert!(serde_json::from_str::<Document>(&too_deep).is_err());
}

// ---------------------------------------------------------------------------
// BigInteger / BigDecimal
// ---------------------------------------------------------------------------

#[test]
fn big_integer() {
    for ok in ["0", "-0", "007", "123456789012345678901234567890", "-1"] {
        assert_eq!(BigInteger::new(ok).unwrap().as_str(), ok);
        assert_eq!(ok.parse::<BigInteger>().unwrap().to_string(), ok);
    }
    for bad in ["", "-", "+1", "1.0", "1e3", " 1", "1 ", "--1", "0x1", "١", "1-"] {
        let err = BigInteger::new(bad).unwrap_err();
        assert!(err.to_string().starts_with("invalid bigInteger: "), "{err}");
    }
    assert_eq!(BigInteger::from(i64::MIN).as_str(), "-9223372036854775808");
    assert_eq!(BigInteger::from(u64::MAX).as_str(), "18446744073709551615");
    assert_eq!(BigInteger::from(u128::MAX).as_str(), "340282366920938463463374607431768211455");
    assert_eq!(BigInteger::from(-5i128).into_string(), "-5");
    assert_eq!(BigInteger::try_from(1e20).unwrap().as_str(), "100000000000000000000");
    assert_eq!(BigInteger::try_from(-0.0).unwrap().as_str(), "0");
    assert_eq!(BigInteger::try_from(-3.0).unwrap().as_str(), "-3");
    assert!(BigInteger::try_from(1.5).is_err());
    assert!(BigInteger::try_from(f64::NAN).is_err());
    assert!(BigInteger::try_from(f64::INFINITY).is_err());
    assert_eq!(BigInteger::try_from(f64::MAX).unwrap().as_str().len(), 309);
}

#[test]
fn big_decimal() {
    for ok in [
        "0",
        "-0",
        "1.5",
        "-1.5",
        "1e10",
        "1E+10",
        "1.25e-3",
        "007.50",
        "123456789012345678901234567890.123456789",
    ] {
        assert_eq!(BigDecimal::new(ok).unwrap().as_str(), ok);
        assert_eq!(ok.parse::<BigDecimal>().unwrap().to_string(), ok);
    }
    for bad in [
        "", "-", ".5", "1.", "1.e3", "1e", "1e+", "+1", "1.5.5", "NaN", "Infinity", " 1", "1 ",
        "1,5", "0x1", "1e1.5",
    ] {
        let err = BigDecimal::new(bad).unwrap_err();
        assert!(err.to_string().starts_with("invalid bigDecimal: "), "{err}");
    }
    assert_eq!(BigDecimal::from(-5i64).as_str(), "-5");
    assert_eq!(BigDecimal::from(u64::MAX).as_str(), "18446744073709551615");
    assert_eq!(BigDecimal::from(BigInteger::new("42").unwrap()).as_str(), "42");
    assert_eq!(BigDecimal::try_from(1.5).unwrap().as_str(), "1.5");
    assert_eq!(BigDecimal::try_from(0.1).unwrap().as_str(), "0.1");
    assert_eq!(BigDecimal::try_from(1e300).unwrap().as_str(), "1e300");
    assert_eq!(BigDecimal::try_from(1e-7).unwrap().as_str(), "1e-7");
    assert_eq!(BigDecimal::try_from(-2.0).unwrap().as_str(), "-2.0");
    assert!(BigDecimal::try_from(f64::NAN).is_err());
    assert!(BigDecimal::try_from(f64::NEG_INFINITY).is_err());
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn big_number_serde() {
    let i = BigInteger::new("123456789012345678901234567890").unwrap();
    let json = serde_json::to_string(&i).unwrap();
    assert_eq!(json, "\"123456789012345678901234567890\"");
    assert_eq!(serde_json::from_str::<BigInteger>(&json).unwrap(), i);
    assert_eq!(serde_json::from_str::<BigInteger>("-42").unwrap().as_str(), "-42");
    assert_eq!(
        serde_json::from_str::<BigInteger>("18446744073709551615").unwrap().as_str(),
        "18446744073709551615"
    );
    assert_eq!(serde_json::from_str::<BigInteger>("1e3").unwrap().as_str(), "1000");
    for bad in ["1.5", "\"1.5\"", "\"x\"", "true", "null", "[]"] {
        assert!(serde_json::from_str::<BigInteger>(bad).is_err(), "{bad}");
    }

    let d = BigDecimal::new("-1.25e-3").unwrap();
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(json, "\"-1.25e-3\"");
    assert_eq!(serde_json::from_str::<BigDecimal>(&json).unwrap(), d);
    assert_eq!(serde_json::from_str::<BigDecimal>("1.5").unwrap().as_str(), "1.5");
    assert_eq!(serde_json::from_str::<BigDecimal>("-7").unwrap().as_str(), "-7");
    assert_eq!(
        serde_json::from_str::<BigDecimal>("18446744073709551615").unwrap().as_str(),
        "18446744073709551615"
    );
    assert_eq!(serde_json::from_str::<BigDecimal>("1e300").unwrap().as_str(), "1e300");
    for bad in ["\"1.\"", "\"abc\"", "false", "null", "{}"] {
        assert!(serde_json::from_str::<BigDecimal>(bad).is_err(), "{bad}");
    }
}

// ---------------------------------------------------------------------------
// No panics on arbitrary input
// ---------------------------------------------------------------------------

const SEEDS: &[&str] = &[
    "2019-12-16T23:48:18Z",
    "2019-12-16T22:48:18.123456789-01:00",
    "0000-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59.999999999-23:59",
    "Sun, 02 Jan 2000 20:34:56.123 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "1515531081.123",
    "-9223372036854775808",
    "9223372036854775807.999999999",
    "1.5e9",
    "1e-99999999999999999999",
    "Zm9vYmFy",
    "Zm9vYg==",
    "-12.5e-3",
    "",
];

const ALPHABET: &[u8] = b"0123456789+-.:eETtZzGMTSunMonJanFebDec ,=/ABCabcxyz\x00\xff\xc3\xa9\n";

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] = *rng.pick(ALPHABET);
            }
            1 => {
                let i = rng.below(bytes.len() + 1);
                bytes.insert(i, *rng.pick(ALPHABET));
            }
            2 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes.remove(i);
            }
            3 => {
                let i = rng.below(bytes.len() + 1);
                bytes.truncate(i);
            }
            4 => {
                let i = rng.below(bytes.len() + 1);
                let digit = b'0' + rng.below(10) as u8;
                let run = vec![digit; rng.below(40)];
                bytes.splice(i..i, run);
            }
            _ => {
                let len = rng.below(24);
                bytes = (0..len).map(|_| *rng.pick(ALPHABET)).collect();
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn no_panics_on_random_input() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0usize;
    for round in 0..200_000 {
        let input = mutate(&mut rng, SEEDS[round % SEEDS.len()]);
        for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
            if let Ok(d) = DateTime::from_str(&input, format) {
                parsed += 1;
                // Whatever parses formats without panicking and round-trips
                // through epoch seconds.
                let _ = d.fmt(Format::DateTime);
                let _ = d.fmt(Format::HttpDate);
                let _ = d.to_string();
                let epoch = d.fmt(Format::EpochSeconds).unwrap();
                assert_eq!(DateTime::from_str(&epoch, Format::EpochSeconds).unwrap(), d);
                if let Ok(rfc) = d.fmt(Format::DateTime) {
                    assert_eq!(DateTime::from_str(&rfc, Format::DateTime).unwrap(), d);
                }
                let _ = SystemTime::try_from(d);
            }
        }
        let _ = input.parse::<DateTime>();
        if let Ok(bytes) = base64::decode(&input) {
            let reencoded = base64::encode(&bytes);
            assert_eq!(base64::decode(&reencoded).unwrap(), bytes);
        }
        if let Ok(i) = BigInteger::new(&input) {
            assert_eq!(i.as_str(), input);
            assert!(BigDecimal::new(&input).is_ok());
        }
        let _ = BigDecimal::new(&input);
        let _ = serde_json::from_str::<Document>(&input);
        let _ = serde_json::from_str::<DateTime>(&input);
        let _ = serde_json::from_str::<Blob>(&input);
        let _ = serde_json::from_str::<BigInteger>(&input);
        let _ = serde_json::from_str::<BigDecimal>(&input);
    }
    assert!(parsed > 1000, "the fuzzer should produce some valid inputs ({parsed})");
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn no_panics_on_extreme_values() {
    let mut rng = Rng(42);
    let mut values: Vec<DateTime> = vec![
        DateTime::from_secs(i64::MIN),
        DateTime::from_secs(i64::MAX),
        dt(i64::MAX, 999_999_999),
        dt(i64::MIN, 999_999_999),
    ];
    for _ in 0..100_000 {
        values.push(dt(rng.next() as i64, rng.next() as u32));
        let _ = DateTime::from_fractional_secs(f64::from_bits(rng.next()));
        let _ = DateTime::from_millis(rng.next() as i64);
    }
    for d in values {
        let epoch = d.fmt(Format::EpochSeconds).unwrap();
        assert_eq!(DateTime::from_str(&epoch, Format::EpochSeconds).unwrap(), d, "{epoch}");
        let display = d.to_string();
        if let Ok(rfc) = d.fmt(Format::DateTime) {
            assert_eq!(rfc, display);
            assert_eq!(DateTime::from_str(&rfc, Format::DateTime).unwrap(), d);
        }
        if let Ok(http) = d.fmt(Format::HttpDate) {
            assert_eq!(
                DateTime::from_str(&http, Format::HttpDate).unwrap(),
                DateTime::from_secs(d.secs())
            );
        }
        let json = serde_json::to_string(&d).unwrap();
        let back: DateTime = serde_json::from_str(&json).unwrap_or(d);
        if d.subsec_nanos() == 0 || d.fmt(Format::DateTime).is_ok() {
            assert_eq!(back, d, "{json}");
        }
        let _ = SystemTime::try_from(d).map(DateTime::from);
    }
}
