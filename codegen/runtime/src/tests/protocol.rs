//! The JSON reader and writer, percent-encoding, header lists and idempotency tokens
//! (`primitives/{json,encoding,token}.rs`): known values, rejections, limits, and no panics on
//! random input.

use crate::primitives::encoding::{
    join_header_list, percent_decode, percent_encode_label, percent_encode_query,
    quote_header_list_item, sanitize_error_code, split_header_list, split_http_date_list,
};
use crate::primitives::json::{self, parse, JsonWriter, MAX_DEPTH};
use crate::primitives::{
    is_uuid_v4, Document, FixedTokens, IdempotencyTokenProvider, Number, RandomTokens,
};
use std::collections::{BTreeMap, HashSet};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

use super::rng::Rng;

fn ok(json: &str) -> Document {
    parse(json.as_bytes()).unwrap_or_else(|e| panic!("{json:?} should parse: {e}"))
}

fn err(json: &[u8]) -> json::JsonError {
    match parse(json) {
        Ok(doc) => panic!("{:?} should not parse, got {doc:?}", String::from_utf8_lossy(json)),
        Err(e) => e,
    }
}

fn num(json: &str) -> Number {
    match ok(json) {
        Document::Number(n) => n,
        other => panic!("{json:?} is not a number: {other:?}"),
    }
}

fn obj(entries: &[(&str, Document)]) -> Document {
    Document::Object(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

fn write(f: impl FnOnce(&mut JsonWriter)) -> String {
    let mut w = JsonWriter::new();
    f(&mut w);
    w.finish()
}

fn doc_json(doc: &Document) -> String {
    write(|w| w.document(doc))
}

// ---------------------------------------------------------------------------
// json::parse
// ---------------------------------------------------------------------------

#[test]
fn parses_rfc8259_examples() {
    let image = r#"
      {
        "Image": {
            "Width":  800,
            "Height": 600,
            "Title":  "View from 15th Floor",
            "Thumbnail": {
                "Url":    "http://www.example.com/image/481989943",
                "Height": 125,
                "Width":  100
            },
            "Animated" : false,
            "IDs": [116, 943, 234, 38793]
          }
      }"#;
    let thumbnail = obj(&[
        ("Url", "http://www.example.com/image/481989943".into()),
        ("Height", 125_u64.into()),
        ("Width", 100_u64.into()),
    ]);
    let expected = obj(&[(
        "Image",
        obj(&[
            ("Width", 800_u64.into()),
            ("Height", 600_u64.into()),
            ("Title", "View from 15th Floor".into()),
            ("Thumbnail", thumbnail),
            ("Animated", false.into()),
            (
                "IDs",
                Document::Array(vec![
                    116_u64.into(),
                    943_u64.into(),
                    234_u64.into(),
                    38793_u64.into(),
                ]),
            ),
        ]),
    )]);
    assert_eq!(ok(image), expected);

    let places = r#"[
        {
           "precision": "zip",
           "Latitude":  37.7668,
           "Longitude": -122.3959,
           "Address":   "",
           "City":      "SAN FRANCISCO",
           "State":     "CA",
           "Zip":       "94107",
           "Country":   "US"
        },
        {
           "precision": "zip",
           "Latitude":  37.371991,
           "Longitude": -122.026020,
           "Address":   "",
           "City":      "SUNNYVALE",
           "State":     "CA",
           "Zip":       "94085",
           "Country":   "US"
        }
    ]"#;
    let parsed = ok(places);
    let items = parsed.as_array().expect("array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_object().unwrap()["Latitude"], Document::Number(Number::Float(37.7668)));
    assert_eq!(
        items[1].as_object().unwrap()["Longitude"],
        Document::Number(Number::Float(-122.02602))
    );
    assert_eq!(items[1].as_object().unwrap()["City"], Document::from("SUNNYVALE"));

    // Scalars at the top level (RFC 8259 allows any value).
    assert_eq!(ok(r#""Hello world!""#), Document::from("Hello world!"));
    assert_eq!(ok("42"), Document::from(42_u64));
    assert_eq!(ok("true"), Document::Bool(true));
    assert_eq!(ok("false"), Document::Bool(false));
    assert_eq!(ok("null"), Document::Null);
    assert_eq!(ok(" \t\r\n[ ] \n"), Document::Array(vec![]));
    assert_eq!(ok("{ }"), Document::Object(BTreeMap::new()));
    assert_eq!(
        ok(r#"{"a":[1,{"b":null}],"c":{}}"#),
        obj(&[
            ("a", Document::Array(vec![1_u64.into(), obj(&[("b", Document::Null)])])),
            ("c", obj(&[])),
        ])
    );
}

#[test]
fn duplicate_keys_last_wins() {
    assert_eq!(ok(r#"{"a":1,"b":2,"a":3}"#), obj(&[("a", 3_u64.into()), ("b", 2_u64.into())]));
}

#[test]
fn string_escapes() {
    assert_eq!(
        ok(r#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \u0000""#),
        Document::from("\" \\ / \u{8} \u{c} \n \r \t A é € \u{0}")
    );
    // Surrogate pairs, either case of hex.
    assert_eq!(ok(r#""\uD83D\uDE00""#), Document::from("😀"));
    assert_eq!(ok(r#""\ud834\udd1e x""#), Document::from("𝄞 x"));
    assert_eq!(ok(r#""\uDBFF\uDFFF""#), Document::from("\u{10FFFF}"));
    // Raw UTF-8 passes through.
    assert_eq!(ok("\"héllo 😀 \u{7f}\""), Document::from("héllo 😀 \u{7f}"));

    // Lone and malformed surrogates.
    for bad in [
        r#""\uD83D""#,
        r#""\uD83D x""#,
        r#""\uD83D\n""#,
        r#""\uD83D\u0041""#,
        r#""\uDE00""#,
        r#""\uDE00\uD83D""#,
        r#""\uD83D\uD83D""#,
    ] {
        err(bad.as_bytes());
    }
    // Bad escapes.
    for bad in [
        r#""\x""#,
        r#""\u12""#,
        r#""\u12G4""#,
        r#""\'""#,
        r#""\"#,
        r#""\u"#,
        r#""abc"#,
        "\"\\\u{e9}\"",
    ] {
        err(bad.as_bytes());
    }
}

#[test]
fn control_characters_rejected_in_strings() {
    for byte in 0_u8..0x20 {
        let input = [b'"', b'a', byte, b'"'];
        let e = err(&input);
        assert_eq!(e.offset(), 2, "{byte:#x}");
    }
    // Whitespace between values is fine, but not inside a string unescaped.
    err(b"\"a\nb\"");
    err(b"\"\t\"");
}

#[test]
fn invalid_utf8_rejected() {
    for bad in [
        &b"\"\xff\""[..],
        b"\"a\xc3\"",
        b"\"\xc3\x28\"",
        b"\"\xe2\x82\"",
        b"\"\xed\xa0\x80\"",     // an encoded surrogate
        b"\"\xf4\x90\x80\x80\"", // above U+10FFFF
        b"\"\xc0\xaf\"",         // overlong
        b"[\"ok\", \"\x80\"]",
        b"\xff",
        b"[\xc3\xa9]",
    ] {
        err(bad);
    }
    let e = err(b"[\"ab\xff\"]");
    assert_eq!(e.offset(), 4);
    // A byte order mark is not accepted.
    err(b"\xef\xbb\xbf{}");
}

#[test]
fn numbers() {
    assert_eq!(num("0"), Number::PosInt(0));
    assert_eq!(num("7"), Number::PosInt(7));
    assert_eq!(num("-7"), Number::NegInt(-7));
    assert_eq!(num("18446744073709551615"), Number::PosInt(u64::MAX));
    assert_eq!(num("18446744073709551616"), Number::Float(18446744073709551616.0));
    assert_eq!(num("-9223372036854775808"), Number::NegInt(i64::MIN));
    assert_eq!(num("-9223372036854775809"), Number::Float(-9223372036854775809.0));
    assert_eq!(num("9223372036854775808"), Number::PosInt(9223372036854775808));
    match num("-0") {
        Number::Float(v) => assert!(v == 0.0 && v.is_sign_negative()),
        other => panic!("-0 gave {other:?}"),
    }
    match num("-0.0") {
        Number::Float(v) => assert!(v == 0.0 && v.is_sign_negative()),
        other => panic!("-0.0 gave {other:?}"),
    }
    assert_eq!(num("0.0"), Number::Float(0.0));
    assert_eq!(num("1.0"), Number::Float(1.0));
    assert_eq!(num("1.5"), Number::Float(1.5));
    assert_eq!(num("-1.5e3"), Number::Float(-1500.0));
    assert_eq!(num("1E2"), Number::Float(100.0));
    assert_eq!(num("1e+2"), Number::Float(100.0));
    assert_eq!(num("1e-2"), Number::Float(0.01));
    assert_eq!(num("1e400"), Number::Float(f64::INFINITY));
    assert_eq!(num("-1e400"), Number::Float(f64::NEG_INFINITY));
    assert_eq!(num("1e-400"), Number::Float(0.0));
    assert_eq!(num("5e-324"), Number::Float(5e-324));
    assert_eq!(num("1.7976931348623157e308"), Number::Float(f64::MAX));
    assert_eq!(num("0.1"), Number::Float(0.1));
    let huge = format!("1{}", "0".repeat(400));
    assert_eq!(num(&huge), Number::Float(f64::INFINITY));
    let long = format!("0.{}1", "0".repeat(10_000));
    assert_eq!(num(&long), Number::Float(0.0));
    assert_eq!(num("1e99999999999999999999999"), Number::Float(f64::INFINITY));

    for bad in [
        "01",
        "-01",
        "00",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "1.e3",
        "0x10",
        "1_000",
        "--1",
        "Infinity",
        "NaN",
        "-Infinity",
        "1.5.2",
        "1e2e3",
        "[01]",
        "[1.]",
    ] {
        err(bad.as_bytes());
    }
}

#[test]
fn structure_errors() {
    for bad in [
        "",
        " ",
        "\n\t",
        "[",
        "]",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1,,2]",
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{"a":}"#,
        r#"{a:1}"#,
        r#"{1:1}"#,
        r#"{"a":1 "b":2}"#,
        "{,}",
        "[}",
        "{]",
        "[1}",
        r#"{"a":1]"#,
        "true false",
        "{} {}",
        "[]]",
        "nul",
        "tru",
        "falsey",
        "nulll",
        "[true,]",
        "'a'",
        "[1]x",
        "1 2",
        "\"a\" \"b\"",
        "\u{a0}1",
    ] {
        err(bad.as_bytes());
    }
    let e = err(b"[1,2 x]");
    assert_eq!(e.offset(), 5);
    assert!(e.to_string().contains("byte 5"), "{e}");
    let e = err(b"");
    assert_eq!(e.offset(), 0);
    assert!(!e.message().is_empty());
    let _: &dyn std::error::Error = &e;
}

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{}{}", open.repeat(depth), inner, close.repeat(depth))
}

#[test]
fn depth_limit() {
    assert_eq!(MAX_DEPTH, 128);
    ok(&nested(128, "[", "", "]"));
    ok(&nested(128, "[", "1", "]"));
    ok(&nested(128, r#"{"a":"#, "null", "}"));
    ok(&nested(63, r#"[{"k":"#, "[]", "}]"));
    ok(&nested(64, r#"[{"k":"#, "1", "}]"));
    err(nested(64, r#"[{"k":"#, "[]", "}]").as_bytes());
    err(nested(129, "[", "", "]").as_bytes());
    err(nested(129, "[", "{}", "]").as_bytes());
    err(nested(129, r#"{"a":"#, "1", "}").as_bytes());
    err(nested(128, "[", "{}", "]").as_bytes());

    // Far too deep: an error, not a stack overflow.
    err("[".repeat(100_000).as_bytes());
    err(nested(100_000, "[", "", "]").as_bytes());
    err(r#"{"a":"#.repeat(100_000).as_bytes());

    // Siblings do not add up.
    let wide = format!("[{}]", vec![nested(127, "[", "", "]"); 50].join(","));
    ok(&wide);
}

#[test]
fn large_inputs() {
    let many = format!("[{}]", vec!["1.5"; 100_000].join(","));
    assert_eq!(ok(&many).as_array().unwrap().len(), 100_000);
    let long = format!("\"{}\"", "é".repeat(100_000));
    assert_eq!(ok(&long).as_str().unwrap().chars().count(), 100_000);
}

// ---------------------------------------------------------------------------
// json::JsonWriter
// ---------------------------------------------------------------------------

#[test]
fn writer_structure() {
    let out = write(|w| {
        w.begin_object();
        w.key("name");
        w.string("x");
        w.key("list");
        w.begin_array();
        w.i64(-1);
        w.u64(u64::MAX);
        w.bool(true);
        w.null();
        w.begin_object();
        w.end_object();
        w.begin_array();
        w.end_array();
        w.begin_array();
        w.bool(false);
        w.end_array();
        w.end_array();
        w.key("nested");
        w.begin_object();
        w.key("a");
        w.f64(0.5);
        w.key("b");
        w.begin_array();
        w.end_array();
        w.end_object();
        w.key("");
        w.i64(i64::MIN);
        w.end_object();
    });
    assert_eq!(
        out,
        r#"{"name":"x","list":[-1,18446744073709551615,true,null,{},[],[false]],"nested":{"a":0.5,"b":[]},"":-9223372036854775808}"#
    );
    assert!(parse(out.as_bytes()).is_ok());

    // The example in `JsonWriter`'s documentation.
    let mut w = JsonWriter::new();
    w.begin_object();
    w.key("name");
    w.string("a\"b");
    w.key("sizes");
    w.begin_array();
    w.i64(1);
    w.f64(2.5);
    w.end_array();
    w.end_object();
    assert_eq!(w.finish(), r#"{"name":"a\"b","sizes":[1,2.5]}"#);

    assert_eq!(write(|w| w.string("top")), r#""top""#);
    assert_eq!(write(|_| {}), "");
    let mut w = JsonWriter::default();
    w.begin_array();
    w.u64(1);
    assert_eq!(w.as_str(), "[1");
}

#[test]
fn writer_misuse_does_not_panic() {
    // Each produces some (invalid) JSON without panicking.
    write(|w| {
        w.end_object();
        w.end_array();
        w.end_array();
    });
    write(|w| {
        w.begin_object();
        w.i64(1);
        w.i64(2);
        w.end_array();
    });
    write(|w| {
        w.begin_array();
        w.key("a");
        w.key("b");
        w.end_object();
        w.end_object();
    });
    write(|w| {
        w.i64(1);
        w.i64(2);
    });
}

#[test]
fn writer_escapes_strings() {
    assert_eq!(write(|w| w.string(r#"a"b\c"#)), r#""a\"b\\c""#);
    assert_eq!(
        write(|w| w.string("\n\t\r\u{8}\u{c}\u{0}\u{1}\u{1f}\u{7f} ")),
        r#""\n\t\r\b\f\u0000\u0001\u001f"#.to_owned() + "\u{7f} \""
    );
    assert_eq!(write(|w| w.string("/é😀\u{2028}<>&'")), "\"/é😀\u{2028}<>&'\"");
    assert_eq!(write(|w| w.string("")), r#""""#);
    let out = write(|w| {
        w.begin_object();
        w.key("k\"\n");
        w.string("v");
        w.end_object();
    });
    assert_eq!(out, r#"{"k\"\n":"v"}"#);
    // Every string survives a round trip.
    let all: String = (0..0x800).filter_map(char::from_u32).chain(['😀', '\u{10FFFF}']).collect();
    assert_eq!(ok(&write(|w| w.string(&all))), Document::String(all));
}

#[test]
fn writer_floats() {
    let f = |v: f64| write(|w| w.f64(v));
    assert_eq!(f(0.1), "0.1");
    assert_eq!(f(1.5), "1.5");
    assert_eq!(f(-1.5), "-1.5");
    assert_eq!(f(1.0), "1");
    assert_eq!(f(100.0), "100");
    assert_eq!(f(0.0), "0");
    assert_eq!(f(-0.0), "-0");
    assert_eq!(f(1e20), "100000000000000000000");
    assert_eq!(f(1e21), "1e21");
    assert_eq!(f(1.5e300), "1.5e300");
    assert_eq!(f(-1e21), "-1e21");
    assert_eq!(f(1e-6), "0.000001");
    assert_eq!(f(1e-7), "1e-7");
    assert_eq!(f(-2.5e-7), "-2.5e-7");
    assert_eq!(f(5e-324), "5e-324");
    assert_eq!(f(f64::MAX), "1.7976931348623157e308");
    assert_eq!(f(f64::NAN), r#""NaN""#);
    assert_eq!(f(f64::INFINITY), r#""Infinity""#);
    assert_eq!(f(f64::NEG_INFINITY), r#""-Infinity""#);

    let g = |v: f32| write(|w| w.f32(v));
    assert_eq!(g(0.1), "0.1");
    assert_eq!(g(1.0), "1");
    assert_eq!(g(-0.0), "-0");
    assert_eq!(g(3.4028235e38), "3.4028235e38");
    assert_eq!(g(1e-7), "1e-7");
    assert_eq!(g(f32::NAN), r#""NaN""#);
    assert_eq!(g(f32::INFINITY), r#""Infinity""#);
    assert_eq!(g(f32::NEG_INFINITY), r#""-Infinity""#);

    // Every finite f64 reads back exactly.
    let mut rng = Rng(0x1234_5678);
    for _ in 0..50_000 {
        let v = f64::from_bits(rng.next());
        if !v.is_finite() {
            continue;
        }
        let text = f(v);
        assert_eq!(num(&text).as_f64().to_bits(), v.to_bits(), "{text}");
        let single = f32::from_bits(rng.next() as u32);
        if single.is_finite() {
            let text = g(single);
            assert_eq!(text.parse::<f32>().unwrap().to_bits(), single.to_bits(), "{text}");
            assert!(parse(text.as_bytes()).is_ok(), "{text}");
        }
    }
}

#[test]
fn writer_raw_numbers_and_blobs() {
    let r = |s: &str| write(|w| w.raw_number(s));
    assert_eq!(r("123456789012345678901234567890"), "123456789012345678901234567890");
    assert_eq!(r("-12.5e-3"), "-12.5e-3");
    assert_eq!(r("1E+10"), "1E+10");
    assert_eq!(r("007.50"), "7.50");
    assert_eq!(r("-000"), "-0");
    assert_eq!(r("0"), "0");
    assert_eq!(r("00"), "0");
    assert_eq!(r("-0012"), "-12");
    assert_eq!(r(""), r#""""#);
    assert_eq!(r("1.5.2"), r#""1.5.2""#);
    assert_eq!(r("NaN"), r#""NaN""#);
    assert_eq!(r("1 }"), r#""1 }""#);
    assert_eq!(r("."), r#"".""#);
    assert_eq!(r("1e"), r#""1e""#);
    assert_eq!(r("-"), r#""-""#);

    assert_eq!(write(|w| w.blob(b"hello")), r#""aGVsbG8=""#);
    assert_eq!(write(|w| w.blob(b"")), r#""""#);
    let out = write(|w| {
        w.begin_array();
        w.blob(b"a");
        w.raw_number("1");
        w.end_array();
    });
    assert_eq!(out, r#"["YQ==",1]"#);
}

#[test]
fn writer_documents() {
    let doc = obj(&[
        ("int", 1_u64.into()),
        ("neg", (-1_i64).into()),
        ("float", 1.0_f64.into()),
        ("negzero", (-0.0_f64).into()),
        ("big", 1e21_f64.into()),
        ("frac", 0.25_f64.into()),
        ("nan", f64::NAN.into()),
        ("inf", f64::INFINITY.into()),
        ("list", Document::Array(vec![Document::Null, true.into(), "s".into(), obj(&[])])),
    ]);
    assert_eq!(
        doc_json(&doc),
        r#"{"big":1e21,"float":1.0,"frac":0.25,"inf":"Infinity","int":1,"list":[null,true,"s",{}],"nan":"NaN","neg":-1,"negzero":-0.0}"#
    );
    // Deep documents are written without recursion (and reading them back
    // fails cleanly at the depth limit).
    let mut deep = Document::Null;
    for _ in 0..100_000 {
        deep = Document::Array(vec![deep]);
    }
    let text = doc_json(&deep);
    assert_eq!(text.len(), 200_004);
    err(text.as_bytes());
    // Drop the deep document without recursing.
    while let Document::Array(mut items) = deep {
        deep = items.pop().unwrap_or_default();
    }
}

fn random_string(rng: &mut Rng) -> String {
    const CHARS: &[char] = &[
        'a',
        'b',
        'Z',
        '0',
        ' ',
        '"',
        '\\',
        '/',
        '\n',
        '\t',
        '\u{0}',
        '\u{1f}',
        '\u{7f}',
        'é',
        '€',
        '😀',
        '\u{FFFF}',
        '\u{10FFFF}',
        '{',
        '[',
        ':',
        ',',
    ];
    (0..rng.below(8)).map(|_| *rng.pick(CHARS)).collect()
}

fn random_document(rng: &mut Rng, depth: usize) -> Document {
    let kinds = if depth == 0 { 6 } else { 8 };
    match rng.below(kinds) {
        0 => Document::Null,
        1 => Document::Bool(rng.next() & 1 == 1),
        2 => Document::String(random_string(rng)),
        3 => Document::Number(match rng.below(4) {
            0 => Number::PosInt(rng.next() >> rng.below(64)),
            1 => Number::NegInt(-1 - (rng.next() >> (rng.below(63) + 1)) as i64),
            _ => loop {
                let v = match rng.below(3) {
                    0 => f64::from_bits(rng.next()),
                    1 => (rng.next() % 2001) as f64 / 8.0 - 125.0,
                    _ => *rng.pick(&[0.0, -0.0, 1e21, 1e-7, 5e-324, f64::MAX, f64::MIN, 0.1]),
                };
                if v.is_finite() {
                    break Number::Float(v);
                }
            },
        }),
        4 | 5 => Document::Number(Number::PosInt(rng.below(10) as u64)),
        6 => Document::Array((0..rng.below(5)).map(|_| random_document(rng, depth - 1)).collect()),
        _ => Document::Object(
            (0..rng.below(5))
                .map(|_| (random_string(rng), random_document(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// Equality that also tells `0.0` from `-0.0`.
fn same(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Number(Number::Float(x)), Document::Number(Number::Float(y))) => {
            x.to_bits() == y.to_bits()
        }
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, a), (kb, b))| ka == kb && same(a, b))
        }
        _ => a == b,
    }
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn writer_parser_round_trip() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE);
    for _ in 0..20_000 {
        let doc = random_document(&mut rng, 4);
        let text = doc_json(&doc);
        let back = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(same(&doc, &back), "{doc:?}\n{text}\n{back:?}");
        // The writer agrees with serde_json's reading of it.
        let via_serde: Document =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(close(&via_serde, &back), "{text}");
        // Re-writing is stable.
        assert_eq!(doc_json(&back), text);
    }
}

// ---------------------------------------------------------------------------
// No-panic fuzzing and a differential check against serde_json
// ---------------------------------------------------------------------------

/// Equality with floats compared loosely (serde_json's default float parsing
/// may be off by an ulp).
fn close(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Number(Number::Float(x)), Document::Number(Number::Float(y))) => {
            x == y || (x - y).abs() <= f64::EPSILON * 4.0 * x.abs().max(y.abs())
        }
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| close(a, b))
        }
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, a), (kb, b))| ka == kb && close(a, b))
        }
        _ => a == b,
    }
}

fn has_non_finite(doc: &Document) -> bool {
    match doc {
        Document::Number(Number::Float(v)) => !v.is_finite(),
        Document::Array(items) => items.iter().any(has_non_finite),
        Document::Object(entries) => entries.values().any(has_non_finite),
        _ => false,
    }
}

const SEEDS: &[&str] = &[
    r#"{"a":[1,-2,3.5e-3,true,false,null],"b":{"c":"d\u00e9\n\"\\"},"e":[]}"#,
    r#"["\uD83D\uDE00", -0, 18446744073709551616, -9223372036854775809, 1E+2]"#,
    r#"{"__type":"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/"}"#,
    "[[[[[[[[[[]]]]]]]]]]",
    r#""plain string with / and \/ and \t""#,
    "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
    r#"a, "b,c", "say \"hi\"", , %20%2F%zz%"#,
    "é😀\u{0}",
];

const ALPHABET: &[u8] = b"{}[]:,\"\\/ \t\n01-+.eEtrufalsn#%2AFbu\xc3\xa9\xed\xa0\x80\xff";

fn fuzz_input(rng: &mut Rng) -> Vec<u8> {
    match rng.below(3) {
        0 => (0..rng.below(40)).map(|_| rng.next() as u8).collect(),
        1 => (0..rng.below(40)).map(|_| *rng.pick(ALPHABET)).collect(),
        _ => {
            let mut bytes = rng.pick(SEEDS).as_bytes().to_vec();
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(4) {
                    0 => bytes.insert(at, *rng.pick(ALPHABET)),
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    2 if at < bytes.len() => bytes[at] = rng.next() as u8,
                    _ => bytes.truncate(at),
                }
            }
            bytes
        }
    }
}

#[test]
#[cfg(feature = "serde")] // serde_json reads or writes the values
fn fuzz_no_panics() {
    let mut rng = Rng(0x0BAD_F00D_1234_5678);
    let mut parsed = 0;
    for _ in 0..200_000 {
        let bytes = fuzz_input(&mut rng);
        let ours = parse(&bytes);
        let theirs = serde_json::from_slice::<Document>(&bytes);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert!(close(a, b), "{:?}", String::from_utf8_lossy(&bytes)),
            (Ok(a), Err(_)) => {
                assert!(has_non_finite(a), "only we accept {:?}", String::from_utf8_lossy(&bytes))
            }
            (Err(e), Ok(_)) => {
                panic!("only serde_json accepts {:?}: {e}", String::from_utf8_lossy(&bytes))
            }
            (Err(e), Err(_)) => assert!(e.offset() <= bytes.len()),
        }
        if let Ok(doc) = ours {
            parsed += 1;
            // Whatever parses can be written and read back.
            let text = doc_json(&doc);
            assert!(parse(text.as_bytes()).is_ok(), "{text}");
        }
        let text = String::from_utf8_lossy(&bytes);
        let decoded = percent_decode(&text);
        assert_eq!(percent_decode(&percent_encode_query(&decoded)), decoded);
        assert_eq!(percent_decode(&percent_encode_label(&decoded, true)), decoded);
        let items = split_header_list(&text);
        assert_eq!(split_header_list(&join_header_list(&items)), items, "{text:?}");
        split_http_date_list(&text);
        let code = sanitize_error_code(&text);
        assert!(!code.contains([':', '#']));
        // The definition: before the first `:`, after the last `#` of that, trimmed.
        let before_colon = text.split(':').next().unwrap_or(&text);
        assert_eq!(
            code,
            before_colon.rsplit('#').next().unwrap_or(before_colon).trim(),
            "{text:?}"
        );
    }
    assert!(parsed > 1_000, "only {parsed} fuzz inputs parsed");
}

#[test]
fn integer_text_is_the_integers_display() {
    use crate::primitives::protocol::IntegerText;
    let mut rng = Rng(0x1D7E);
    let edges = [0, 1, -1, 9, 10, -10, i64::MAX, i64::MIN, i64::MIN + 1, i64::from(i32::MIN)];
    // Every length of text, both signs: a random value cut to a random number of digits.
    let random = (0..10_000).map(|_| {
        let value = (rng.next() >> rng.below(64)) as i64;
        if rng.below(2) == 0 {
            value
        } else {
            value.wrapping_neg()
        }
    });
    for value in edges.into_iter().chain(random) {
        assert_eq!(IntegerText::new(value).as_ref(), value.to_string());
    }
}

// ---------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------

#[test]
fn percent_encoding() {
    let s = "a b/c?d=e&f+g~h";
    assert_eq!(percent_encode_label(s, false), "a%20b%2Fc%3Fd%3De%26f%2Bg~h");
    assert_eq!(percent_encode_label(s, true), "a%20b/c%3Fd%3De%26f%2Bg~h");
    assert_eq!(percent_encode_query(s), "a%20b%2Fc%3Fd%3De%26f%2Bg~h");
    assert_eq!(percent_encode_label("é", false), "%C3%A9");
    assert_eq!(percent_encode_query("😀"), "%F0%9F%98%80");
    assert_eq!(percent_encode_query("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(
        percent_encode_query("%:@!$'()*;,[]#\"\\"),
        "%25%3A%40%21%24%27%28%29%2A%3B%2C%5B%5D%23%22%5C"
    );
    assert_eq!(percent_encode_label("/a//b/", true), "/a//b/");
    assert_eq!(percent_encode_label("", true), "");
    assert_eq!(percent_encode_query("\u{0}\u{7f}"), "%00%7F");

    assert_eq!(percent_decode("a%20b%2Fc%3fd"), "a b/c?d");
    assert_eq!(percent_decode("%C3%A9"), "é");
    assert_eq!(percent_decode("a+b"), "a+b");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz%2"), "%zz%2");
    assert_eq!(percent_decode("%%41"), "%A");
    assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    assert_eq!(percent_decode("%C3"), "\u{FFFD}");
    assert_eq!(percent_decode("é%"), "é%");

    let all: String = (0..0x300).filter_map(char::from_u32).chain(['😀', '€']).collect();
    assert_eq!(percent_decode(&percent_encode_query(&all)), all);
    assert_eq!(percent_decode(&percent_encode_label(&all, true)), all);
}

#[test]
fn header_lists() {
    assert_eq!(quote_header_list_item("a"), "a");
    assert_eq!(quote_header_list_item("a b"), "a b");
    assert_eq!(quote_header_list_item("b,c"), r#""b,c""#);
    assert_eq!(quote_header_list_item(r#""quoted""#), r#""\"quoted\"""#);
    assert_eq!(quote_header_list_item(r#"back\slash"#), r#"back\slash"#);
    assert_eq!(quote_header_list_item(r#"a,\b"#), r#""a,\\b""#);
    assert_eq!(quote_header_list_item(" padded"), r#"" padded""#);
    assert_eq!(quote_header_list_item("padded\t"), "\"padded\t\"");
    assert_eq!(quote_header_list_item(""), r#""""#);

    assert_eq!(split_header_list("a"), ["a"]);
    assert_eq!(split_header_list("a,b"), ["a", "b"]);
    assert_eq!(split_header_list(" a ,\tb , c "), ["a", "b", "c"]);
    assert_eq!(split_header_list(r#"a, "b,c", "\"quoted\"""#), ["a", "b,c", r#""quoted""#]);
    assert_eq!(split_header_list(r#""a\\b", "x\y""#), [r"a\b", "xy"]);
    assert_eq!(split_header_list(r#"" padded ", """#), [" padded ", ""]);
    assert_eq!(split_header_list("a,,b"), ["a", "", "b"]);
    assert_eq!(split_header_list("a,"), ["a", ""]);
    assert_eq!(split_header_list(""), Vec::<String>::new());
    assert_eq!(split_header_list("  "), Vec::<String>::new());
    assert_eq!(split_header_list(r#""unterminated, x"#), ["unterminated, x"]);
    assert_eq!(split_header_list(r#""a" tail , b"#), ["atail", "b"]);
    assert_eq!(split_header_list(r#"x"y, z"#), [r#"x"y"#, "z"]);

    let lists: &[&[&str]] = &[
        &[],
        &[""],
        &["", ""],
        &["a"],
        &["a", "b,c", r#""quoted""#, ""],
        &[" lead", "trail ", " ", "\\", "\"", ",", "a\\\"b"],
        &["Mon, 16 Dec 2019 23:48:18 GMT"],
    ];
    for list in lists {
        let joined = join_header_list(list.iter());
        assert_eq!(split_header_list(&joined), *list, "{joined:?}");
    }
    assert_eq!(join_header_list(["a", "b,c", ""]), r#"a, "b,c", """#);
}

#[test]
fn http_date_lists() {
    assert_eq!(
        split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT"),
        ["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]
    );
    assert_eq!(
        split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT"),
        ["Mon, 16 Dec 2019 23:48:18 GMT"]
    );
    assert_eq!(
        split_http_date_list(" Mon,16 Dec 2019 23:48:18 GMT ,Tue,  17 Dec 2019 23:48:18 GMT,Wed, 18 Dec 2019 00:00:00 GMT "),
        [
            "Mon, 16 Dec 2019 23:48:18 GMT",
            "Tue, 17 Dec 2019 23:48:18 GMT",
            "Wed, 18 Dec 2019 00:00:00 GMT"
        ]
    );
    assert_eq!(split_http_date_list(""), Vec::<String>::new());
    assert_eq!(split_http_date_list(" \t"), Vec::<String>::new());
    assert_eq!(
        split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Tue"),
        ["Mon, 16 Dec 2019 23:48:18 GMT", "Tue"]
    );
    assert_eq!(split_http_date_list("garbage"), ["garbage"]);
}

/// The sanitizer against its definition (before the first `:`, after the last `#` of that,
/// trimmed) on codes of every length up to twice what its bare-name check covers, made of the
/// characters that matter to it.
#[test]
fn error_codes_match_their_definition() {
    const PARTS: [&str; 10] = ["a", "Z", "#", ":", " ", "\t", "\u{a0}", "\u{2003}", "\u{b}", "é"];
    let mut rng = Rng(0x5A17_12E5_C0DE_0001);
    for _ in 0..20_000 {
        let len = rng.below(130);
        // Mostly name characters, as real codes are.
        let text: String = (0..len)
            .map(|_| if rng.below(4) == 0 { *rng.pick(&PARTS) } else { *rng.pick(&PARTS[..2]) })
            .collect();
        let before_colon = text.split(':').next().unwrap_or(&text);
        let expected = before_colon.rsplit('#').next().unwrap_or(before_colon).trim();
        assert_eq!(sanitize_error_code(&text), expected, "{text:?}");
    }
}

#[test]
fn error_codes() {
    assert_eq!(sanitize_error_code("FooError"), "FooError");
    assert_eq!(
        sanitize_error_code("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
        "FooError"
    );
    assert_eq!(
        sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
        "FooError"
    );
    assert_eq!(
        sanitize_error_code("com.amazonaws.chimesdkmeetings#NotFoundException"),
        "NotFoundException"
    );
    assert_eq!(sanitize_error_code("NotFoundException"), "NotFoundException");
    assert_eq!(sanitize_error_code("  FooError \t"), "FooError");
    assert_eq!(sanitize_error_code("a#b#FooError"), "FooError");
    assert_eq!(sanitize_error_code(""), "");
    // Whitespace that is not ASCII, or not what `u8::is_ascii_whitespace` means, is trimmed.
    assert_eq!(sanitize_error_code("\u{a0}FooError\u{2003}"), "FooError");
    assert_eq!(sanitize_error_code("FooError\u{b}"), "FooError");
    assert_eq!(sanitize_error_code("Foo Error"), "Foo Error");
    assert_eq!(sanitize_error_code(":"), "");
    assert_eq!(sanitize_error_code("#"), "");
    // Codes longer than the bare-name check covers (64 bytes) take the general path.
    let long = "E".repeat(80);
    assert_eq!(sanitize_error_code(&long), long);
    assert_eq!(sanitize_error_code(&format!("ns#{long}:suffix")), long);
    assert_eq!(sanitize_error_code(&format!(" {long}\t")), long);
    assert_eq!(sanitize_error_code(&format!("{long}#{long}")), long);
    assert_eq!(sanitize_error_code(&format!("{}:", "#".repeat(70))), "");
    assert_eq!(sanitize_error_code("ns#"), "");
}

// ---------------------------------------------------------------------------
// token
// ---------------------------------------------------------------------------

#[test]
fn uuid_check() {
    assert!(is_uuid_v4("00000000-0000-4000-8000-000000000000"));
    assert!(is_uuid_v4("f81d4fae-7dec-4d0e-a765-00a0c91e6bf6"));
    assert!(is_uuid_v4("F81D4FAE-7DEC-4D0E-B765-00A0C91E6BF6"));
    for bad in [
        "",
        "f81d4fae-7dec-1d0e-a765-00a0c91e6bf6",  // version 1
        "f81d4fae-7dec-4d0e-c765-00a0c91e6bf6",  // variant
        "f81d4fae7dec-4d0e-a765-00a0c91e6bf6-",  // hyphens misplaced
        "f81d4fae-7dec-4d0e-a765-00a0c91e6bf",   // short
        "f81d4fae-7dec-4d0e-a765-00a0c91e6bf6a", // long
        "g81d4fae-7dec-4d0e-a765-00a0c91e6bf6",  // not hex
        "{81d4fae-7dec-4d0e-a765-00a0c91e6bf6}",
        "f81d4fae-7dec-4d0e-a765-00a0c91e6bé",
    ] {
        assert!(!is_uuid_v4(bad), "{bad}");
    }
}

#[test]
fn random_tokens() {
    let provider = RandomTokens::new();
    let mut seen = HashSet::new();
    let mut ones = [0_u32; 128];
    for _ in 0..10_000 {
        let token = provider.make_token();
        assert!(is_uuid_v4(&token), "{token}");
        assert!(!token.bytes().any(|b| b.is_ascii_uppercase()), "{token}");
        let hex: String = token.chars().filter(|&c| c != '-').collect();
        let bits = u128::from_str_radix(&hex, 16).unwrap();
        for (bit, count) in ones.iter_mut().enumerate() {
            *count += ((bits >> bit) & 1) as u32;
        }
        assert!(seen.insert(token));
    }
    // The random bits look balanced (the fixed version and variant bits
    // aside).
    for (bit, &count) in ones.iter().enumerate() {
        if (76..80).contains(&bit) || (62..64).contains(&bit) {
            continue;
        }
        assert!((4_000..6_000).contains(&count), "bit {bit} set {count} times");
    }

    // Unique across threads and provider values too.
    let tokens: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..1_000).map(|_| RandomTokens::default().make_token()).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for token in tokens {
        assert!(is_uuid_v4(&token));
        assert!(seen.insert(token));
    }
}

#[test]
fn fixed_tokens() {
    let counter = FixedTokens::counter();
    assert_eq!(counter.made(), 0);
    assert_eq!(counter.make_token(), "00000000-0000-4000-8000-000000000001");
    assert_eq!(counter.make_token(), "00000000-0000-4000-8000-000000000002");
    for _ in 0..13 {
        assert!(is_uuid_v4(&counter.make_token()));
    }
    assert_eq!(counter.make_token(), "00000000-0000-4000-8000-000000000010");
    assert_eq!(counter.made(), 16);

    let listed = FixedTokens::new(["first", "second"]);
    assert_eq!(listed.make_token(), "first");
    assert_eq!(listed.make_token(), "second");
    assert_eq!(listed.make_token(), "first");
    assert_eq!(listed.made(), 3);

    let single = FixedTokens::new(vec!["00000000-0000-4000-8000-000000000000".to_owned()]);
    for _ in 0..5 {
        assert_eq!(single.make_token(), "00000000-0000-4000-8000-000000000000");
    }
    assert_eq!(single.made(), 5);

    let empty = FixedTokens::new(Vec::<String>::new());
    assert_eq!(empty.make_token(), "00000000-0000-4000-8000-000000000001");

    // Deterministic and thread-safe: every number handed out exactly once.
    let shared = FixedTokens::counter();
    let mut all: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| (0..500).map(|_| shared.make_token()).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    all.sort();
    let expected: Vec<String> =
        (1..=2_000).map(|n| format!("00000000-0000-4000-8000-{n:012x}")).collect();
    assert_eq!(all, expected);
    assert_eq!(shared.made(), 2_000);
}

#[test]
fn providers_are_interchangeable() {
    fn use_provider(provider: &dyn IdempotencyTokenProvider) -> String {
        provider.make_token()
    }
    assert_eq!(use_provider(&|| "from-closure".to_owned()), "from-closure");
    assert!(is_uuid_v4(&use_provider(&RandomTokens::new())));
    assert_eq!(use_provider(&FixedTokens::new(["x"])), "x");
    let boxed: Box<dyn IdempotencyTokenProvider + Send + Sync> = Box::new(FixedTokens::counter());
    assert_eq!(boxed.make_token(), "00000000-0000-4000-8000-000000000001");
}

/// `ErrorMetadata` keeps the message and the request id in one string: each reads back as it
/// was given (absent, empty or not), whatever the order the builder was given them in, and an
/// error read from a response says the same as one built by hand.
#[test]
fn error_metadata_keeps_the_message_and_request_id_apart() {
    use crate::error::ErrorMetadata;
    let texts = [None, Some(""), Some("gone"), Some("é ü"), Some("0a1b-2c3d")];
    for message in texts {
        for request_id in texts {
            let meta = ErrorMetadata::from_parts(None, message, request_id);
            assert_eq!((meta.message(), meta.request_id()), (message, request_id));
            let mut forwards = ErrorMetadata::builder();
            let mut backwards = ErrorMetadata::builder();
            if let Some(m) = message {
                forwards = forwards.message(m);
            }
            if let Some(r) = request_id {
                forwards = forwards.request_id(r);
                backwards = backwards.request_id(r);
            }
            if let Some(m) = message {
                backwards = backwards.message(m);
            }
            assert_eq!(forwards.build(), meta);
            assert_eq!(backwards.build(), meta);
            let unhandled = crate::error::Unhandled::new(None, message.map(str::to_string));
            let unhandled = match request_id {
                Some(r) => unhandled.with_request_id(r),
                None => unhandled,
            };
            assert_eq!((unhandled.message(), unhandled.request_id()), (message, request_id));
            let debug = format!("{meta:?}");
            assert_eq!(
                debug,
                format!("ErrorMetadata {{ code: None, message: {message:?}, request_id: {request_id:?} }}")
            );
        }
    }
    assert_eq!(ErrorMetadata::empty(), ErrorMetadata::default());
}
