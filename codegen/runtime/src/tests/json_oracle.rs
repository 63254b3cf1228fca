//! The JSON reader and writer (`primitives/json.rs`) against `serde_json`: the same documents,
//! the same escaping, the same verdict on invalid input, the same nesting limit (give or take
//! one level, see [`nesting_limit_is_serde_json_s`]).

use proptest::prelude::*;
use serde_json::Value;

use crate::primitives::json::{parse, JsonWriter, MAX_DEPTH};
use crate::primitives::{Document, Number};

// ---------------------------------------------------------------------------
// Conversions and generators
// ---------------------------------------------------------------------------

pub(super) fn to_value(document: &Document) -> Value {
    match document {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        // Non-finite floats have no JSON form; the generators make none.
        Document::Number(Number::Float(f)) => Value::from(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Document::Object(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
        }
    }
}

fn to_document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(if let Some(n) = n.as_u64() {
            Number::PosInt(n)
        } else if let Some(n) = n.as_i64() {
            Number::NegInt(n)
        } else {
            Number::Float(n.as_f64().expect("a JSON number"))
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(to_document).collect()),
        Value::Object(entries) => {
            Document::Object(entries.iter().map(|(k, v)| (k.clone(), to_document(v))).collect())
        }
    }
}

/// Strings rich in what JSON escapes: quotes, backslashes, control characters, non-ASCII,
/// characters outside the BMP (surrogate pairs in `\u` form).
pub(super) fn json_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '"', '\\', '/', '\n', '\t', '\r', '\u{8}', '\u{c}', '\u{0}', '\u{1f}', '\u{7f}', 'a', 'é',
        '\u{2028}', '\u{fffd}', '\u{ffff}', '😀',
    ]);
    prop::collection::vec(prop_oneof![special, any::<char>()], 0..12)
        .prop_map(|chars| chars.into_iter().collect())
}

pub(super) fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::from)),
        // Floats with few digits, where the decimal/exponent boundaries are.
        (-30i32..30, -1000i64..1000).prop_map(|(e, m)| Value::from(m as f64 * 10f64.powi(e))),
        json_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(json_string(), inner, 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// `a` and `b` are the same JSON value, floats allowed a relative difference of 1e-15 (a few
/// units in the last place): `serde_json`'s default float parsing is not always correctly
/// rounded (it is with its `float_roundtrip` feature, which would then be on for the whole
/// workspace). Where the parser here reads text, floats are compared exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_u64(), y.as_u64(), x.as_i64(), y.as_i64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => {
                    let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
                    x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs())
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn write_document(document: &Document) -> String {
    let mut writer = JsonWriter::new();
    writer.document(document);
    writer.finish()
}

// ---------------------------------------------------------------------------
// Reading what serde_json writes
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// serde_json's output, compact and pretty, reads as the value it wrote (floats exactly:
    /// serde_json writes the shortest text that reads back, and the parser rounds correctly).
    #[test]
    fn reads_what_serde_json_writes(value in json_value()) {
        for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
            let document = parse(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(to_value(&document), value.clone(), "{}", text);
        }
    }

    /// What the writer writes, serde_json reads as the document written.
    #[test]
    fn serde_json_reads_what_the_writer_writes(value in json_value()) {
        let text = write_document(&to_document(&value));
        let read: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert!(same(&read, &value), "{} read as {}", text, read);
        // And the parser reads it back exactly.
        prop_assert_eq!(to_value(&parse(text.as_bytes()).unwrap()), value);
    }

    /// Strings are escaped byte for byte as serde_json escapes them (`"`, `\`, the control
    /// characters as `\n`, `\t`, `\r`, `\b`, `\f` or lowercase `\u00xx`; nothing else).
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(s in json_string()) {
        let mut writer = JsonWriter::new();
        writer.string(&s);
        prop_assert_eq!(writer.finish(), serde_json::to_string(&s).unwrap());
    }

    /// Integers are written as serde_json writes them; floats as text that serde_json reads
    /// as a number and that reads back as the same `f64`.
    #[test]
    fn numbers_are_json_numbers(u in any::<u64>(), i in any::<i64>(), f in any::<f64>(), g in any::<f32>()) {
        let mut writer = JsonWriter::new();
        writer.u64(u);
        prop_assert_eq!(writer.finish(), serde_json::to_string(&u).unwrap());
        let mut writer = JsonWriter::new();
        writer.i64(i);
        prop_assert_eq!(writer.finish(), serde_json::to_string(&i).unwrap());
        if f.is_finite() {
            let mut writer = JsonWriter::new();
            writer.f64(f);
            let text = writer.finish();
            prop_assert!(serde_json::from_str::<Value>(&text).is_ok_and(|v| v.is_number()), "{}", text);
            prop_assert_eq!(text.parse::<f64>().unwrap(), f);
        }
        if g.is_finite() {
            let mut writer = JsonWriter::new();
            writer.f32(g);
            let text = writer.finish();
            prop_assert!(serde_json::from_str::<Value>(&text).is_ok_and(|v| v.is_number()), "{}", text);
            prop_assert_eq!(text.parse::<f32>().unwrap(), g);
        }
    }

    /// Any pair of `\u` escapes: accepted exactly when serde_json accepts it (a surrogate pair,
    /// or two non-surrogates), with the same string.
    #[test]
    fn unicode_escapes_as_serde_json(a in any::<u16>(), b in any::<u16>(), tail in prop::sample::select(vec!["", "x", "\\n"])) {
        let text = format!("\"\\u{a:04x}\\u{b:04X}{tail}\"");
        let ours = parse(text.as_bytes());
        let theirs = serde_json::from_str::<Value>(&text);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{}: {:?} / {:?}", text, ours, theirs);
        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
            prop_assert_eq!(to_value(&ours), theirs);
        }
    }
}

// ---------------------------------------------------------------------------
// Invalid input
// ---------------------------------------------------------------------------

/// One edit of a JSON text: a byte replaced, inserted or removed.
#[derive(Clone, Debug)]
pub(super) enum Edit {
    Replace(usize, u8),
    Insert(usize, u8),
    Remove(usize),
}

pub(super) fn edit() -> impl Strategy<Value = Edit> {
    // Mostly the bytes that matter to JSON's grammar, sometimes any byte.
    let byte = prop_oneof![
        4 => prop::sample::select(b"{}[]\",:\\ 0123456789.eE+-tfnulrx\t\n".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<usize>(), byte).prop_map(|(at, b)| Edit::Insert(at, b)),
        any::<usize>().prop_map(Edit::Remove),
    ]
}

pub(super) fn apply(text: &mut Vec<u8>, edit: &Edit) {
    match *edit {
        Edit::Replace(at, byte) if !text.is_empty() => {
            let at = at % text.len();
            text[at] = byte;
        }
        Edit::Insert(at, byte) => text.insert(at % (text.len() + 1), byte),
        Edit::Remove(at) if !text.is_empty() => {
            text.remove(at % text.len());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// A valid text with a few bytes edited is accepted exactly when serde_json accepts it,
    /// and then read as the same value. The one difference is deliberate: a number too large
    /// for `f64` (`1e400`) is an error for serde_json and infinity here (`parse`'s documented
    /// behaviour), so such texts are only checked to parse.
    #[test]
    fn accepts_and_rejects_as_serde_json(value in json_value(), edits in prop::collection::vec(edit(), 1..4)) {
        let mut text = serde_json::to_vec(&value).unwrap();
        for edit in &edits {
            apply(&mut text, edit);
        }
        let ours = parse(&text);
        let theirs = serde_json::from_slice::<Value>(&text);
        let shown = String::from_utf8_lossy(&text).into_owned();
        match (&ours, &theirs) {
            (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
            (Ok(ours), Ok(theirs)) => prop_assert!(same(&to_value(ours), theirs), "{}", shown),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{}: ours {:?}, serde_json {:?}", shown, ours, theirs),
        }
    }
}

/// Both reject nesting past a limit of about 128 levels: serde_json's recursion limit takes
/// 127 levels and rejects 128; `parse` takes [`MAX_DEPTH`] = 128 and rejects 129.
#[test]
fn nesting_limit_is_serde_json_s() {
    fn arrays(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }
    fn objects(depth: usize) -> String {
        format!("{}0{}", "{\"k\":".repeat(depth), "}".repeat(depth))
    }
    for text in [arrays as fn(usize) -> String, objects] {
        let ours = |depth: usize| parse(text(depth).as_bytes()).is_ok();
        let theirs = |depth: usize| serde_json::from_str::<Value>(&text(depth)).is_ok();
        for depth in [1, 2, 64, 127] {
            assert!(ours(depth) && theirs(depth), "{}", text(depth));
        }
        assert!(ours(MAX_DEPTH) && !theirs(MAX_DEPTH), "{}", text(MAX_DEPTH));
        for depth in [MAX_DEPTH + 1, 1000, 100_000] {
            assert!(!ours(depth) && !theirs(depth), "depth {depth}");
        }
    }
}
