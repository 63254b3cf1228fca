//! The pull reader (`json::Reader`) against `json::parse` (itself held to serde_json in
//! `json_oracle`): the same verdict on every text, the same values when its tokens are walked,
//! the same nesting limit; and each typed read against the `Document` readers of `primitives::protocol` that
//! the server still uses, so a client reads exactly what it read through a `Document`.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::json_oracle::{apply, edit, json_value};
use crate::error::DeserializeError;
use crate::primitives::json::{parse, room_guess, Reader, MAX_DEPTH};
use crate::primitives::{protocol, Document, Format};

/// Reads any value through the reader's tokens only (numbers through `document`).
fn walk(r: &mut Reader<'_>) -> Result<Document, DeserializeError> {
    Ok(match r.peek_byte()? {
        b'{' => {
            r.begin_object()?;
            let mut entries = BTreeMap::new();
            while let Some(key) = r.next_key()? {
                let value = walk(r)?;
                entries.insert(key.into_owned(), value);
            }
            Document::Object(entries)
        }
        b'[' => {
            r.begin_array()?;
            let mut items = Vec::new();
            while r.next_element()? {
                items.push(walk(r)?);
            }
            Document::Array(items)
        }
        b'"' => Document::String(r.string()?),
        b't' | b'f' => Document::Bool(r.boolean()?),
        b'n' => {
            assert!(r.null()?, "`n` starts null");
            Document::Null
        }
        _ => r.document()?,
    })
}

fn walked(text: &[u8]) -> Result<Document, DeserializeError> {
    let mut r = Reader::new(text);
    let document = walk(&mut r)?;
    r.end()?;
    Ok(document)
}

fn skipped(text: &[u8]) -> Result<(), DeserializeError> {
    let mut r = Reader::new(text);
    r.skip_value()?;
    r.end()
}

fn whole(text: &[u8]) -> Result<Document, DeserializeError> {
    let mut r = Reader::new(text);
    let document = r.document()?;
    r.end()?;
    Ok(document)
}

/// `read` through the reader, against `reference` on the parsed document: both succeed with
/// the same value, or both fail (texts that do not parse are left out).
fn same_read<'t, T: PartialEq + std::fmt::Debug>(
    text: &'t [u8],
    read: impl Fn(&mut Reader<'t>) -> Result<T, DeserializeError>,
    reference: impl Fn(&Document) -> Result<T, DeserializeError>,
) -> Result<(), TestCaseError> {
    let Ok(document) = parse(text) else { return Ok(()) };
    let mut r = Reader::new(text);
    let ours = read(&mut r).and_then(|v| r.end().map(|()| v));
    let theirs = reference(&document);
    let shown = String::from_utf8_lossy(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{}", shown),
        (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string(), "{}", shown),
        _ => prop_assert!(false, "{}: reader {:?}, document {:?}", shown, ours, theirs),
    }
    Ok(())
}

/// Values that the typed readers take or refuse: numbers of every size, number-like and
/// timestamp-like strings, base64, and the values of [`json_value`].
fn typed_value() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "0",
        "-0",
        "1",
        "-1",
        "127",
        "128",
        "-129",
        "32768",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "1.0",
        "1.5",
        "1e3",
        "-1e400",
        "1e400",
        "9e18",
        "\"NaN\"",
        "\"Infinity\"",
        "\"-Infinity\"",
        "\"1.5\"",
        "\"x\"",
        "\"2026-11-23T10:00:00Z\"",
        "\"Mon, 23 Nov 2026 10:00:00 GMT\"",
        "1700000000",
        "1700000000.25",
        "\"aGVsbG8=\"",
        "\"a\\u0062c\"",
        "\"===\"",
        "true",
        "null",
        "[]",
        "{}",
        "[1,null,2]",
        "[\"a\",null]",
        "{\"a\":1,\"b\":null,\"a\":2}",
        "{\"k\":\"v\",\"n\":null}",
    ]);
    prop_oneof![
        special.prop_map(str::to_string),
        json_value().prop_map(|v| serde_json::to_string(&v).unwrap())
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Walking the tokens, skipping and reading a whole document accept exactly the texts
    /// `parse` accepts, and the walk and the document are the value `parse` reads.
    #[test]
    fn accepts_and_reads_as_parse(value in json_value(), edits in prop::collection::vec(edit(), 0..4)) {
        let mut text = serde_json::to_vec(&value).unwrap();
        for edit in &edits {
            apply(&mut text, edit);
        }
        let shown = String::from_utf8_lossy(&text).into_owned();
        let reference = parse(&text);
        let walk = walked(&text);
        prop_assert_eq!(walk.is_ok(), reference.is_ok(), "{}: walk {:?}", shown, walk);
        prop_assert_eq!(skipped(&text).is_ok(), reference.is_ok(), "{}", shown);
        if let Ok(reference) = reference {
            prop_assert_eq!(walk.unwrap(), reference.clone(), "{}", shown);
            prop_assert_eq!(whole(&text).unwrap(), reference, "{}", shown);
        }
    }

    /// Each typed read gives what the `Document` reader gives, errors included.
    #[test]
    fn typed_reads_are_the_document_reads(text in typed_value()) {
        let t = text.as_bytes();
        same_read(t, Reader::string, protocol::string)?;
        same_read(t, Reader::boolean, protocol::boolean)?;
        same_read(t, Reader::i8, protocol::i8)?;
        same_read(t, Reader::i16, protocol::i16)?;
        same_read(t, Reader::i32, protocol::i32)?;
        same_read(t, Reader::i64, protocol::i64)?;
        same_read(t, |r| r.f64().map(f64::to_bits), |d| protocol::f64(d).map(f64::to_bits))?;
        same_read(t, |r| r.f32().map(f32::to_bits), |d| protocol::f32(d).map(f32::to_bits))?;
        same_read(t, Reader::blob, protocol::blob)?;
        same_read(t, Reader::big_integer, protocol::big_integer)?;
        same_read(t, Reader::big_decimal, protocol::big_decimal)?;
        same_read(t, Reader::document, protocol::document)?;
        for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
            same_read(t, |r| r.timestamp(format), |d| protocol::timestamp(d, format))?;
        }
        same_read(t, |r| r.list(Reader::i32), |d| protocol::list(d, protocol::i32))?;
        same_read(t, |r| r.sparse_list(Reader::string), |d| protocol::sparse_list(d, protocol::string))?;
        let key = |k: &str| k.to_string();
        same_read(t, |r| r.map(key, Reader::i64), |d| protocol::map(d, key, protocol::i64))?;
        same_read(t, |r| r.map(key, Reader::string), |d| protocol::map(d, key, protocol::string))?;
        same_read(t, |r| r.sparse_map(key, Reader::i64), |d| protocol::sparse_map(d, key, protocol::i64))?;
    }
}

/// The known keys of the object [`member_object`] writes, as a generated reader passes them to
/// `next_member` (one of them not ASCII).
const KNOWN_KEYS: [&str; 4] = ["Audio", "Video", "Content", "Caf\u{e9}"];

/// An object whose keys are known ones in or out of order, unknown ones (some a prefix or an
/// extension of a known one), known ones written with escapes, and repeats; with whitespace
/// around every token.
fn member_object() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "\"Audio\"",
        "\"Video\"",
        "\"Content\"",
        "\"Caf\u{e9}\"",
        "\"Aud\\u0069o\"",
        "\"Caf\\u00e9\"",
        "\"Audi\"",
        "\"AudioX\"",
        "\"\"",
        "\"Other\"",
    ]);
    let value = prop::sample::select(vec!["1", "\"SendReceive\"", "null", "{\"Audio\":2}", "[]"]);
    // Mostly none: members written as services write them are the ones read in place.
    let space = prop::sample::select(vec!["", "", "", " ", "\n\t"]);
    prop::collection::vec((key, value, space.clone(), space), 0..8).prop_map(|members| {
        let members: Vec<String> = members
            .into_iter()
            .map(|(key, value, before, after)| format!("{before}{key}{after}:{before}{value}"))
            .collect();
        format!("{{{}}}", members.join(","))
    })
}

/// The members of an object as `next_member` finds them (the index of each key, the known
/// keys' count for an unknown one), each value skipped.
fn members_in_place(text: &[u8]) -> Result<Vec<usize>, String> {
    let mut r = Reader::new(text);
    let mut found = Vec::new();
    let mut next = 0;
    let mut read = || -> Result<(), DeserializeError> {
        r.begin_object()?;
        while let Some(index) = r.next_member(&KNOWN_KEYS, &mut next)? {
            found.push(index);
            r.skip_value()?;
        }
        r.end()
    };
    read().map_err(|e| e.to_string())?;
    Ok(found)
}

/// The same as a generated reader finds them: the key expected next and the object's end
/// compared in place first (`key_in_place`, `end_in_place`), then `next_member`.
fn members_as_generated(text: &[u8]) -> Result<Vec<usize>, String> {
    let mut r = Reader::new(text);
    let mut found = Vec::new();
    let mut read = || -> Result<(), DeserializeError> {
        object_as_generated(&mut r, &mut found)?;
        r.end()
    };
    read().map_err(|e| e.to_string())?;
    Ok(found)
}

/// One object read by `r` as a generated reader reads it (its values skipped), the index of
/// each member pushed on `found`.
fn object_as_generated(r: &mut Reader<'_>, found: &mut Vec<usize>) -> Result<(), DeserializeError> {
    r.begin_object()?;
    let mut next = 0;
    loop {
        let index = match next {
            0 if r.key_in_place(b"\"Audio\":") => {
                next = 1;
                0
            }
            1 if r.key_in_place(b"\"Video\":") => {
                next = 2;
                1
            }
            2 if r.key_in_place(b"\"Content\":") => {
                next = 3;
                2
            }
            3 if r.key_in_place("\"Caf\u{e9}\":".as_bytes()) => {
                next = 4;
                3
            }
            _ if r.end_in_place() => break,
            _ => match r.next_member(&KNOWN_KEYS, &mut next)? {
                Some(index) => index,
                None => break,
            },
        };
        found.push(index);
        r.skip_value()?;
    }
    Ok(())
}

/// The same through `next_key`, each key looked up among the known ones.
fn members_by_name(text: &[u8]) -> Result<Vec<usize>, String> {
    let mut r = Reader::new(text);
    let mut found = Vec::new();
    let mut read = || -> Result<(), DeserializeError> {
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            found.push(KNOWN_KEYS.iter().position(|k| *k == key).unwrap_or(KNOWN_KEYS.len()));
            r.skip_value()?;
        }
        r.end()
    };
    read().map_err(|e| e.to_string())?;
    Ok(found)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Keys recognized in place are the keys `next_key` reads, on any text: the same members,
    /// the same errors, whatever the order, the escapes, the whitespace or the damage.
    #[test]
    fn members_found_in_place_are_the_keys_read(
        text in member_object(),
        edits in prop::collection::vec(edit(), 0..3),
    ) {
        let mut text = text.into_bytes();
        for edit in &edits {
            apply(&mut text, edit);
        }
        let shown = String::from_utf8_lossy(&text).into_owned();
        prop_assert_eq!(members_in_place(&text), members_by_name(&text), "{}", shown);
        prop_assert_eq!(members_as_generated(&text), members_by_name(&text), "{}", shown);
    }
}

#[test]
fn members_in_place_cover_order_escapes_and_prefixes() {
    let text =
        br#"{"Video":1,"Audio":2,"Aud\u0069o":3,"AudioX":4,"Content":5,"Content":6,"Caf\u00e9":7}"#;
    assert_eq!(members_in_place(text), Ok(vec![1, 0, 0, 4, 2, 2, 3]));
    assert_eq!(members_as_generated(text), Ok(vec![1, 0, 0, 4, 2, 2, 3]));
    // A key cut off by the end of the input, and one not followed by `:`.
    for text in [&br#"{"Audio"#[..], br#"{"Audio""#, br#"{"Audio" 1}"#, br#"{"Audio":1,"Vid"#] {
        assert!(members_in_place(text).is_err(), "{}", String::from_utf8_lossy(text));
        assert_eq!(members_in_place(text), members_by_name(text));
        assert_eq!(members_as_generated(text), members_by_name(text));
    }
}

/// `key_in_place` takes a key only as services write it (right after `{` or `,`, quoted, its
/// colon next) and consumes nothing otherwise; `end_in_place` takes only a `}` that is next.
#[test]
fn keys_and_ends_in_place_take_only_what_is_next() {
    let mut r = Reader::new(br#"{"Audio":1,"Video" :2, "Content":3,"Cafe":{}}"#);
    r.begin_object().unwrap();
    assert!(!r.key_in_place(b"\"Video\":"), "not the first key");
    assert!(!r.end_in_place());
    assert!(r.key_in_place(b"\"Audio\":"));
    assert_eq!(r.i32().unwrap(), 1);
    // A space before the colon: read by `next_member` instead.
    assert!(!r.key_in_place(b"\"Video\":"));
    assert_eq!(r.next_member(&KNOWN_KEYS, &mut 1).unwrap(), Some(1));
    assert_eq!(r.i32().unwrap(), 2);
    // A space after the comma.
    assert!(!r.key_in_place(b"\"Content\":"));
    assert_eq!(r.next_member(&KNOWN_KEYS, &mut 2).unwrap(), Some(2));
    assert_eq!(r.i32().unwrap(), 3);
    // A key that the expected one is a prefix of.
    assert!(!r.key_in_place(b"\"Caf\":"));
    assert!(r.key_in_place(b"\"Cafe\":"));
    r.begin_object().unwrap();
    assert!(r.end_in_place(), "an empty object ends at once");
    assert!(!r.key_in_place(b"\"Audio\":"), "no comma after the last member");
    assert!(r.end_in_place());
    r.end().unwrap();
    // Cut off: the key runs past the end of the input.
    let mut r = Reader::new(br#"{"Aud"#);
    r.begin_object().unwrap();
    assert!(!r.key_in_place(b"\"Audio\":"));
    assert!(!r.end_in_place());
    assert!(r.next_member(&KNOWN_KEYS, &mut 0).is_err());
}

/// The known values of a small enum, as a generated reader compares them in place.
const KNOWN_VALUES: [&str; 4] = ["SendReceive", "Send", "Receive", "Caf\u{e9}"];

/// The next value read as a generated reader reads a small enum: each known value compared in
/// place, then the value read as a string (`Err` for one that is not a string); the index of
/// the known value, `KNOWN_VALUES.len()` for another string.
fn enum_as_generated(r: &mut Reader<'_>) -> Result<usize, DeserializeError> {
    for (index, value) in KNOWN_VALUES.iter().enumerate() {
        if r.value_in_place(format!("\"{value}\"").as_bytes()) {
            return Ok(index);
        }
    }
    enum_by_text(r)
}

/// The same read as a string, then looked up.
fn enum_by_text(r: &mut Reader<'_>) -> Result<usize, DeserializeError> {
    let text = r.text()?;
    Ok(KNOWN_VALUES.iter().position(|v| *v == text).unwrap_or(KNOWN_VALUES.len()))
}

/// A list of values: known ones, escaped, prefixes and extensions of known ones, other types.
fn value_list() -> impl Strategy<Value = String> {
    let value = prop::sample::select(vec![
        "\"SendReceive\"",
        "\"Send\"",
        "\"Receive\"",
        "\"Caf\u{e9}\"",
        "\"Caf\\u00e9\"",
        "\"Sen\\u0064\"",
        "\"Sen\"",
        "\"SendX\"",
        "\"\"",
        "1",
        "null",
        "{}",
    ]);
    let space = prop::sample::select(vec!["", "", "", " ", "\n"]);
    prop::collection::vec((value, space), 0..8).prop_map(|values| {
        let values: Vec<String> = values.into_iter().map(|(v, s)| format!("{s}{v}")).collect();
        format!("[{}]", values.join(","))
    })
}

/// The values of a list as `read` reads them, each `null` skipped.
fn values_read(
    text: &[u8],
    read: fn(&mut Reader<'_>) -> Result<usize, DeserializeError>,
) -> Result<Vec<usize>, String> {
    let mut r = Reader::new(text);
    let mut all = || -> Result<Vec<usize>, DeserializeError> {
        let list = r.list(read)?;
        r.end()?;
        Ok(list)
    };
    all().map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Enum values compared in place are the values read as strings, on any text.
    #[test]
    fn enum_values_in_place_are_the_texts_read(
        text in value_list(),
        edits in prop::collection::vec(edit(), 0..3),
    ) {
        let mut text = text.into_bytes();
        for edit in &edits {
            apply(&mut text, edit);
        }
        let shown = String::from_utf8_lossy(&text).into_owned();
        prop_assert_eq!(values_read(&text, enum_as_generated), values_read(&text, enum_by_text), "{}", shown);
    }
}

#[test]
fn enum_values_in_place_take_only_the_whole_string() {
    let text = br#"["Send","SendReceive","Send","SendX",  "Send","Send"x]"#;
    let mut r = Reader::new(text);
    r.begin_array().unwrap();
    let read = |r: &mut Reader<'_>| {
        assert!(r.next_element().unwrap());
        enum_as_generated(r).unwrap()
    };
    assert_eq!([read(&mut r), read(&mut r), read(&mut r), read(&mut r)], [1, 0, 1, 4]);
    // Whitespace before the value: read as a string, the same value.
    assert!(r.next_element().unwrap());
    assert!(!r.value_in_place(b"\"Send\""));
    assert_eq!(enum_as_generated(&mut r).unwrap(), 1);
    // A known value followed by something else: taken, and the list then fails.
    assert!(r.next_element().unwrap());
    assert!(r.value_in_place(b"\"Send\""));
    assert!(r.next_element().is_err());
    // Not a string: nothing taken.
    let mut r = Reader::new(b"5");
    assert!(!r.value_in_place(b"\"Send\""));
    assert!(enum_as_generated(&mut r).is_err());
}

/// An object that ends in place closes as one read by `next_member` does: a list of more
/// objects than the nesting limit is read whole.
#[test]
fn objects_ended_in_place_close_their_nesting() {
    let text = format!("[{}]", vec![r#"{"Audio":1,"Video":{}}"#; MAX_DEPTH + 10].join(","));
    let mut r = Reader::new(text.as_bytes());
    let mut found = Vec::new();
    let list = r.list(|r| object_as_generated(r, &mut found));
    assert_eq!(list.map(|l| l.len()).map_err(|e| e.to_string()), Ok(MAX_DEPTH + 10));
    assert_eq!(found.len(), 2 * (MAX_DEPTH + 10));
    r.end().unwrap();
}

#[test]
fn nesting_limit_is_parse_s() {
    let arrays = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = |depth: usize| format!("{}0{}", "{\"k\":".repeat(depth), "}".repeat(depth));
    for depth in [1, MAX_DEPTH, MAX_DEPTH + 1, 100_000] {
        for text in [arrays(depth), objects(depth)] {
            let ok = depth <= MAX_DEPTH;
            assert_eq!(parse(text.as_bytes()).is_ok(), ok, "{depth}");
            assert_eq!(walked(text.as_bytes()).is_ok(), ok, "walk {depth}");
            assert_eq!(skipped(text.as_bytes()).is_ok(), ok, "skip {depth}");
            assert_eq!(whole(text.as_bytes()).is_ok(), ok, "document {depth}");
        }
    }
    // Depth counts from where the reader is: a document two levels in may nest two less.
    let inner = arrays(MAX_DEPTH - 2);
    let text = format!("{{\"a\":[{inner}]}}");
    let mut r = Reader::new(text.as_bytes());
    r.begin_object().unwrap();
    assert_eq!(r.next_key().unwrap().as_deref(), Some("a"));
    r.begin_array().unwrap();
    assert!(r.next_element().unwrap());
    assert!(r.document().is_ok());
    let deeper = format!("{{\"a\":[[{inner}]]}}");
    let mut r = Reader::new(deeper.as_bytes());
    r.begin_object().unwrap();
    r.next_key().unwrap();
    r.begin_array().unwrap();
    assert!(r.next_element().unwrap());
    assert!(r.document().is_err());
}

#[test]
fn strings_are_borrowed_unless_escaped() {
    let mut r = Reader::new(r#"["plain é", "with \" escape", "bad \u12"]"#.as_bytes());
    r.begin_array().unwrap();
    assert!(r.next_element().unwrap());
    assert!(matches!(r.text().unwrap(), std::borrow::Cow::Borrowed("plain é")));
    assert!(r.next_element().unwrap());
    assert!(matches!(r.text().unwrap(), std::borrow::Cow::Owned(s) if s == "with \" escape"));
    assert!(r.next_element().unwrap());
    let error = r.text().unwrap_err().to_string();
    assert!(error.contains("not valid JSON"), "{error}");
    let mut r = Reader::new(b"\"\xff\"");
    assert!(r.text().unwrap_err().to_string().contains("invalid UTF-8"));
}

/// `string` reads what `text` reads, owned: plain, escaped, badly escaped, and in a body that
/// is not UTF-8 as a whole (each string is then checked on its own), keys included.
#[test]
fn owned_strings_are_the_texts() {
    let body: &[u8] =
        b"{\"plain \xc3\xa9\": \"x\", \"k\\u0065y\": \"with \\\" escape\", \"b\": \"bad \\u12\"}";
    let bodies: [&[u8]; 2] = [body, &[body, b" \xff"].concat()];
    for text in bodies {
        let mut r = Reader::new(text);
        r.begin_object().unwrap();
        assert_eq!(r.next_key().unwrap().as_deref(), Some("plain \u{e9}"));
        assert_eq!(r.string().unwrap(), "x");
        assert_eq!(r.next_key().unwrap().as_deref(), Some("key"));
        assert_eq!(r.string().unwrap(), "with \" escape");
        assert_eq!(r.next_key().unwrap().as_deref(), Some("b"));
        let error = r.string().unwrap_err().to_string();
        assert!(error.contains("not valid JSON"), "{error}");
    }
    for bad in [&b"\"\xff\""[..], b"\"a\xc3\"", b"\"\x01\"", b"\"open"] {
        let error = Reader::new(bad).string().unwrap_err().to_string();
        assert_eq!(error, Reader::new(bad).text().unwrap_err().to_string());
    }
    let mut r = Reader::new(b"{\"\xff\": 1}");
    r.begin_object().unwrap();
    let error = r.next_key().unwrap_err().to_string();
    assert!(error.contains("invalid UTF-8"), "{error}");
}

#[test]
fn type_errors_name_what_was_found() {
    let error = |text: &str| {
        let mut r = Reader::new(text.as_bytes());
        r.begin_object()
            .and_then(|()| r.next_key())
            .and_then(|_| r.member("Size", Reader::i32))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error(r#"{"Size":"7"}"#),
        protocol::member(&obj("7"), "Size", protocol::i32).unwrap_err().to_string()
    );
    assert!(error(r#"{"Size":"7"}"#).contains("expected an integer, found a string"));
    assert!(error(r#"{"Size":x}"#).contains("not valid JSON"));
}

fn obj(value: &str) -> BTreeMap<String, Document> {
    BTreeMap::from([("Size".to_string(), Document::String(value.to_string()))])
}

#[test]
fn read_body_reports_syntax_before_types() {
    // The first member has the wrong type, the JSON breaks later: as when the body was parsed
    // whole first, the syntax error is the error.
    let body = br#"{"Size":"7","Other":tru}"#;
    let error = protocol::read_body(body, |r| {
        r.begin_object()?;
        r.next_key()?;
        r.member("Size", Reader::i32)
    })
    .unwrap_err()
    .to_string();
    assert!(error.contains("not valid JSON"), "{error}");
    // An empty body reads as `{}`; trailing data is an error.
    let empty = protocol::read_body(b"  ", |r| {
        r.begin_object()?;
        r.next_key().map(|key| key.map(std::borrow::Cow::into_owned))
    });
    assert_eq!(empty.unwrap(), None);
    let trailing = protocol::read_body(b"{} {}", |r| r.document()).unwrap_err().to_string();
    assert!(trailing.contains("unexpected data after the value"), "{trailing}");
}

#[test]
fn error_parts_read_the_texts_of_the_body() {
    let headers = http::HeaderMap::new();
    let body = br#"{"__type":"aws#NotFound","message":5,"Message":"gone","message":null,"x":[{}]}"#;
    let parts = protocol::ErrorParts::read(404, &headers, body);
    assert_eq!(parts.code(), Some("NotFound"));
    assert_eq!(parts.message().as_deref(), Some("gone"));
    assert_eq!(parts.reader().document().unwrap(), parse(body).unwrap());
    for not_an_object in [&b"<html>"[..], b"[]", b"", b"{\"code\":\"A\"} x"] {
        let parts = protocol::ErrorParts::read(500, &headers, not_an_object);
        assert_eq!(parts.code(), None);
        assert_eq!(parts.reader().document().unwrap(), Document::Object(BTreeMap::new()));
    }
}

/// What [`protocol::read_error`] gave in [`read_error_agrees_with_the_whole_body`]: the modeled
/// error (its `Size` member, the code and message of its metadata) or an unmodeled one.
#[derive(Clone, Debug, PartialEq)]
enum ReadError {
    Modeled { size: Option<i32>, code: Option<String>, message: Option<String> },
    Unhandled { code: Option<String>, message: Option<String> },
}

/// The code and message the whole body gives, from its `Document` (the rules of
/// `docs/protocol.md`, written again independently of `ErrorParts`): `None` for a body that is
/// not a JSON object.
fn texts_of(doc: Option<&Document>, header: Option<&str>) -> (Option<String>, Option<String>) {
    let empty = BTreeMap::new();
    let map = match doc {
        Some(Document::Object(map)) => map,
        _ => &empty,
    };
    let text = |key: &str| match map.get(key) {
        Some(Document::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let code = header.or_else(|| text("code")).or_else(|| text("__type"));
    let code = code.map(|raw| {
        let raw = raw.split(':').next().unwrap_or(raw);
        raw.rsplit('#').next().unwrap_or(raw).trim().to_string()
    });
    let message = text("message").or_else(|| text("Message")).or_else(|| text("errorMessage"));
    (code.filter(|c| !c.is_empty()), message.map(str::to_string))
}

/// The modeled error of [`read_error_agrees_with_the_whole_body`] (one member, `Size`) read
/// from `parts`: key by key with `next_key`, or as generated code reads it (`Size` compared in
/// place, then `next_member_among` with the noted keys after the member's, and every other
/// value to `note_and_skip`).
fn read_modeled(
    parts: &mut protocol::ErrorParts<'_>,
    as_generated: bool,
) -> Result<ReadError, crate::error::DeserializeError> {
    let mut size = None;
    let r = &mut parts.reader();
    r.begin_object()?;
    if as_generated {
        let keys = ["Size", "code", "__type", "message", "Message", "errorMessage"];
        assert_eq!(keys[1..], protocol::TEXT_KEYS);
        let mut next = 0;
        loop {
            let index = match next {
                0 if r.key_in_place(b"\"Size\":") => {
                    next = 1;
                    0
                }
                _ if r.end_in_place() => break,
                _ => match r.next_member_among(&keys, 1, &mut next)? {
                    Some(index) => index,
                    None => break,
                },
            };
            match index {
                0 => size = r.member("Size", Reader::i32)?,
                _ => parts.note_and_skip(index - 1, r)?,
            }
        }
    } else {
        while let Some(key) = r.next_key()? {
            parts.note(&key, r)?;
            match key.as_ref() {
                "Size" => size = r.member("Size", Reader::i32)?,
                _ => r.skip_value()?,
            }
        }
    }
    parts.finish(r)?;
    Ok(ReadError::Modeled {
        size,
        code: parts.code().map(str::to_string),
        message: parts.message(),
    })
}

#[test]
fn read_error_agrees_with_the_whole_body() {
    const KEYS: [&str; 7] = ["code", "__type", "message", "Message", "errorMessage", "Size", "x"];
    const VALUES: [&str; 10] = [
        r#""Modeled""#,
        r#""aws#Modeled:http://internal""#,
        r#""Other""#,
        r#""""#,
        r#""Mod\u0065led""#,
        "5",
        "null",
        r#""7""#,
        "[{}]",
        "2147483648",
    ];
    let mut rng = super::rng::Rng(0x5EED_E770);
    let (mut once, mut modeled_cases) = (0, 0);
    for case in 0..20_000 {
        let members: Vec<(&str, &str)> =
            (0..rng.below(6)).map(|_| (*rng.pick(&KEYS), *rng.pick(&VALUES))).collect();
        let text: Vec<String> = members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        // Mostly as services write it; sometimes with spaces (not read in place).
        let comma = if rng.below(4) == 0 { ", " } else { "," };
        let mut body = format!("{{{}}}", text.join(comma));
        match rng.below(10) {
            0 => body.push_str(" x"),
            1 => body.truncate(body.len() / 2),
            2 => body = "<html>".into(),
            _ => {}
        }
        let header = *rng.pick(&[None, None, Some("Modeled"), Some("Other"), Some("")]);
        let mut headers = http::HeaderMap::new();
        if let Some(code) = header {
            headers.insert("x-amzn-errortype", code.parse().unwrap());
        }
        let read = |as_generated| {
            let mut calls = 0;
            let got = protocol::read_error(
                400,
                &headers,
                body.as_bytes(),
                |code, parts| {
                    calls += 1;
                    (code == "Modeled").then(|| read_modeled(parts, as_generated))
                },
                |e| ReadError::Unhandled {
                    code: e.code().map(str::to_string),
                    message: e.message().map(str::to_string),
                },
            );
            (got, calls)
        };
        let (got, calls) = read(false);
        assert_eq!(read(true), (got.clone(), calls), "case {case}: as generated, body {body}");
        let doc = parse(body.as_bytes()).ok().filter(|d| matches!(d, Document::Object(_)));
        let (code, message) = texts_of(doc.as_ref(), header);
        // Each `Size` is read in turn: the last counts, a wrong type anywhere is an error.
        let mut size = Ok(None);
        if doc.is_some() {
            for (_, value) in members.iter().filter(|(key, _)| *key == "Size") {
                size = size.and_then(|_| match parse(value.as_bytes()) {
                    Ok(Document::Null) => Ok(None),
                    Ok(Document::Number(n)) => {
                        protocol::integer_of(n, i32::MIN.into(), i32::MAX.into(), "an integer")
                            .map(|v| Some(v as i32))
                            .map_err(drop)
                    }
                    _ => Err(()),
                });
            }
        }
        let want = match (code.as_deref(), size) {
            (Some("Modeled"), Ok(size)) => {
                modeled_cases += 1;
                ReadError::Modeled { size, code, message }
            }
            _ => ReadError::Unhandled { code, message },
        };
        assert_eq!(got, want, "case {case}: header {header:?}, body {body}");
        // A modeled error is read once when the header names it, or when the body is an object
        // with one code text: the common cases.
        let code_keys = members.iter().filter(|(k, _)| matches!(*k, "code" | "__type")).count();
        if matches!(want, ReadError::Modeled { .. })
            && doc.is_some()
            && (header == Some("Modeled") || (header.is_none() && code_keys == 1))
        {
            assert_eq!(calls, 1, "case {case}: header {header:?}, body {body}");
            once += 1;
        }
    }
    assert!(modeled_cases > 2_000 && once > 1_500, "{once} of {modeled_cases}");
}

#[test]
fn read_error_reads_a_code_that_comes_last() {
    let headers = http::HeaderMap::new();
    let body = br#"{"Size":3,"Message":"gone","__type":"Other","code":"aws#Modeled"}"#;
    let got = protocol::read_error(
        404,
        &headers,
        body,
        |code, parts| {
            (code == "Modeled").then(|| {
                let r = &mut parts.reader();
                r.begin_object()?;
                while let Some(key) = r.next_key()? {
                    parts.note(&key, r)?;
                    r.skip_value()?;
                }
                parts.finish(r)?;
                Ok((parts.code().map(str::to_string), parts.message()))
            })
        },
        |e| (e.code().map(|c| format!("unhandled {c}")), None),
    );
    assert_eq!(got, (Some("Modeled".to_string()), Some("gone".to_string())));
}

/// The string scan reads sixteen bytes at a time, then the last bytes as overlapping words: a
/// quote, a backslash or a control character (escaped, as a string may hold them, or raw, as it
/// may not) at every offset of strings of up to 40 one-, two- or three-byte characters (DEL
/// among them), the string in an array, as a key and as the whole text (where the scan runs
/// out of input), must end the plain run exactly there: parsed as serde_json parses it
/// (accepted or not, the same value), walked, skipped, read whole and read alone (`text`) as
/// parsed, and its text written as serde_json writes it.
#[test]
fn special_bytes_at_every_offset_of_the_scan() {
    use super::json_oracle::to_value;
    use crate::primitives::json::JsonWriter;
    let escaped = ["\\\"", "\\\\", "\\n", "\\u0001", "\\u00e9"];
    let raw = ["\u{0}", "\u{1}", "\u{1f}", "\""];
    let mut checked = 0;
    for fill in ["a", "é", "\u{7f}", "€"] {
        for len in 0..=40 {
            for at in 0..=len {
                for special in escaped.iter().chain(&raw) {
                    let content = format!("{}{special}{}", fill.repeat(at), fill.repeat(len - at));
                    let alone = format!("\"{content}\"");
                    for text in [format!("[{alone}]"), format!("{{{alone}:0}}"), alone.clone()] {
                        let t = text.as_bytes();
                        let ours = parse(t);
                        let theirs = serde_json::from_slice::<serde_json::Value>(t);
                        assert_eq!(ours.is_ok(), theirs.is_ok(), "{text:?}: {ours:?}");
                        assert_eq!(walked(t).is_ok(), ours.is_ok(), "{text:?}");
                        assert_eq!(skipped(t).is_ok(), ours.is_ok(), "{text:?}");
                        if text == alone {
                            // Read alone, the string is serde_json's (and ends the text).
                            let read = Reader::new(t).text().ok().map(|s| s.into_owned());
                            let read = read.filter(|_| skipped(t).is_ok());
                            let want = theirs.as_ref().ok().and_then(|v| v.as_str());
                            assert_eq!(read.as_deref(), want, "{text:?}");
                        }
                        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                            assert_eq!(to_value(&ours), theirs, "{text:?}");
                            assert_eq!(walked(t).unwrap(), ours, "{text:?}");
                            assert_eq!(whole(t).unwrap(), ours, "{text:?}");
                            if let serde_json::Value::String(s) = &theirs {
                                let mut writer = JsonWriter::new();
                                writer.string(s);
                                assert_eq!(writer.finish(), serde_json::to_string(s).unwrap());
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        // A string read alone ends at its closing quote, whatever follows.
        for len in 0..=40 {
            let before = fill.repeat(len);
            let body = format!("\"{before}\"tail");
            assert_eq!(Reader::new(body.as_bytes()).text().unwrap(), before.as_str());
        }
    }
    // The escaped specials are valid in all three places, the raw ones in none.
    assert_eq!(checked, 4 * 861 * escaped.len() * 3);
}

/// A page of records written alike takes room for all of them once it outgrows its first
/// allocation, and no more than they need.
#[test]
fn a_page_of_records_is_allocated_once_to_its_size() {
    for (records, trailer) in
        [(100, ""), (100, r#","NextToken":"bmV4dC1wYWdl""#), (37, ""), (5, "")]
    {
        let items: Vec<String> = (0..records)
            .map(|i| format!(r#"{{"Id":"attendee-{i:06}","Token":"t-{i:08}"}}"#))
            .collect();
        let text = format!(r#"{{"Items":[{}]{trailer}}}"#, items.join(","));
        let mut r = Reader::new(text.as_bytes());
        r.begin_object().unwrap();
        assert!(r.next_key().unwrap().is_some());
        let list = r.list(Reader::document).unwrap();
        assert_eq!(list.len(), records);
        // Room for the rest after the first four (and one for the trailer's bytes at most).
        assert!(
            (records..=records + 2).contains(&list.capacity()),
            "{records} records then {trailer:?}: capacity {}",
            list.capacity()
        );
    }
}

/// A guess from the first elements is only a guess: lists that turn out shorter give the
/// room back, so what a list keeps stays within what doubling would have kept; and a list of
/// a few elements is allocated as before.
#[test]
fn room_guessed_too_large_is_given_back() {
    // Lists of lists: each inner list guesses from the whole input after it.
    let inner = "[1,2,3,4,5,6]";
    let text = format!("[{}]", vec![inner; 500].join(","));
    let lists = Reader::new(text.as_bytes()).list(|r| r.list(Reader::i32)).unwrap();
    assert_eq!(lists.len(), 500);
    for list in &lists {
        assert_eq!(list, &[1, 2, 3, 4, 5, 6]);
        assert!(list.capacity() <= 2 * list.len(), "capacity {}", list.capacity());
    }
    assert!((500..=502).contains(&lists.capacity()), "capacity {}", lists.capacity());

    // A short list in the middle of a long body.
    let text = format!(r#"{{"Ids":["a","b","c","d","e","f"],"Rest":"{}"}}"#, "x".repeat(100_000));
    let mut r = Reader::new(text.as_bytes());
    r.begin_object().unwrap();
    r.next_key().unwrap();
    let ids = r.list(Reader::string).unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
    assert!(ids.capacity() <= 2 * ids.len(), "capacity {}", ids.capacity());

    // A list of a few elements guesses nothing: room for four, as a vector's first push
    // takes, however long the body after it.
    let text = format!(r#"{{"Ids":["a","b","c"],"Rest":"{}"}}"#, "x".repeat(100_000));
    let mut r = Reader::new(text.as_bytes());
    r.begin_object().unwrap();
    r.next_key().unwrap();
    let ids = r.list(Reader::string).unwrap();
    assert_eq!((ids.len(), ids.capacity()), (3, 4));

    // Sparse lists too.
    let text = format!("[{}]", vec!["[null,1,null,2,null,3]"; 100].join(","));
    let lists = Reader::new(text.as_bytes()).list(|r| r.sparse_list(Reader::i32)).unwrap();
    assert!(lists.iter().all(|l| l.len() == 6 && l.capacity() <= 12));
}

/// The guess: the rest of the input written like the elements read, at most 64 KiB of room.
#[test]
fn the_guess_is_the_rest_written_alike_and_capped() {
    // Five elements of 9 bytes, then 100 bytes: ten more of 9 bytes and a comma each, and
    // one for what ends the array.
    assert_eq!(room_guess(5, 45, 100, 144), 11);
    // Nothing left but the end: still one.
    assert_eq!(room_guess(5, 45, 0, 144), 1);
    // Elements of no bytes (impossible, but no division by zero).
    assert_eq!(room_guess(5, 0, 10, 8), 11);
    // However long the rest: 64 KiB of room.
    assert_eq!(room_guess(5, 10, usize::MAX, 8), 64 * 1024 / 8);
    assert_eq!(room_guess(5, 10, usize::MAX, 0), 64 * 1024);
    assert_eq!(room_guess(5, 10, usize::MAX, 100_000), 1);
}
