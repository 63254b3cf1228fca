// absent: Orphan
// absent: OrphanColor
//
// Behaviour of the crate generated from `shapes.json` (sdkId "Synthetic Shapes"): every simple
// type, collections (sparse, enum-keyed, nested), sensitive data, `@default`, `@required`,
// `@clientOptional`, `@input` optionality, error shapes and the document-form serde impls.
//
// `Orphan` and `OrphanColor` are reachable from nothing: they must not be generated.

use std::collections::BTreeMap;

use synthetic_shapes::error::{BuildError, Unhandled};
use synthetic_shapes::operation::ping::{PingError, PingInput, PingOutput};
use synthetic_shapes::operation::put_everything::{
    PutEverythingError, PutEverythingInput, PutEverythingOutput,
};
use synthetic_shapes::primitives::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
use synthetic_shapes::types::error::{BadThing, Broken, Leaky};
use synthetic_shapes::types::{
    Collections, Color, Credentials, Defaults, RequiredThings, Scalars, SecretColor, Secrets,
};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn full_scalars() -> Scalars {
    Scalars::builder()
        .blob(Blob::new(b"hi".to_vec()))
        .boolean(true)
        .string("text")
        .byte(-8i8)
        .short(1000i16)
        .integer(-42)
        .long(1i64 << 40)
        .float(1.5f32)
        .double(-0.125)
        .big_integer(BigInteger::new("123456789012345678901234567890").unwrap())
        .big_decimal(BigDecimal::new("-1.000000000000000000001").unwrap())
        .timestamp(DateTime::from_secs(1_576_540_098))
        .epoch_timestamp(DateTime::from_secs(0))
        .http_date_timestamp(DateTime::from_secs_and_nanos(1, 500_000_000))
        .document(Document::Array(vec![Document::from(1i64), Document::from("x"), Document::Null]))
        .build()
}

const FULL_SCALARS_JSON: &str = concat!(
    r#"{"blob":"aGk=","boolean":true,"string":"text","byte":-8,"short":1000,"integer":-42,"#,
    r#""long":1099511627776,"float":1.5,"double":-0.125,"#,
    r#""bigInteger":"123456789012345678901234567890","bigDecimal":"-1.000000000000000000001","#,
    r#""timestamp":"2019-12-16T23:48:18Z","epochTimestamp":"1970-01-01T00:00:00Z","#,
    r#""httpDateTimestamp":"1970-01-01T00:00:01.5Z","document":[1,"x",null]}"#
);

#[test]
fn scalar_members_have_the_rust_types_of_their_simple_types() {
    let Scalars {
        blob,
        boolean,
        string,
        byte,
        short,
        integer,
        long,
        float,
        double,
        big_integer,
        big_decimal,
        timestamp,
        epoch_timestamp,
        http_date_timestamp,
        document,
        ..
    } = full_scalars();
    let blob: Option<Blob> = blob;
    let boolean: Option<bool> = boolean;
    let string: Option<String> = string;
    let byte: Option<i8> = byte;
    let short: Option<i16> = short;
    let integer: Option<i32> = integer;
    let long: Option<i64> = long;
    let float: Option<f32> = float;
    let double: Option<f64> = double;
    let big_integer: Option<BigInteger> = big_integer;
    let big_decimal: Option<BigDecimal> = big_decimal;
    let timestamp: Option<DateTime> = timestamp;
    let epoch_timestamp: Option<DateTime> = epoch_timestamp;
    let http_date_timestamp: Option<DateTime> = http_date_timestamp;
    let document: Option<Document> = document;

    assert_eq!(blob.unwrap().as_ref(), b"hi");
    assert_eq!(boolean, Some(true));
    assert_eq!(string.as_deref(), Some("text"));
    assert_eq!(byte, Some(-8));
    assert_eq!(short, Some(1000));
    assert_eq!(integer, Some(-42));
    assert_eq!(long, Some(1_099_511_627_776));
    assert_eq!(float, Some(1.5));
    assert_eq!(double, Some(-0.125));
    assert_eq!(big_integer.unwrap().as_str(), "123456789012345678901234567890");
    assert_eq!(big_decimal.unwrap().as_str(), "-1.000000000000000000001");
    assert_eq!(timestamp.unwrap().secs(), 1_576_540_098);
    assert_eq!(epoch_timestamp.unwrap().secs(), 0);
    assert_eq!(http_date_timestamp.unwrap().subsec_nanos(), 500_000_000);
    assert_eq!(document.unwrap().as_array().map(Vec::len), Some(3));
}

#[test]
fn an_all_optional_structure_is_default_and_empty() {
    let empty = Scalars::builder().build();
    assert_eq!(empty, Scalars::default());
    assert_eq!(empty.string, None);
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    assert_eq!(serde_json::from_str::<Scalars>("{}").unwrap(), empty);
}

#[test]
fn scalars_serialize_in_document_form() {
    // Keys are the model's member names in model order; blobs are base64; big numbers are
    // strings; every timestamp is RFC 3339 in the document form, whatever its
    // @timestampFormat (that trait governs the wire protocol, not the document form).
    let scalars = full_scalars();
    assert_eq!(serde_json::to_string(&scalars).unwrap(), FULL_SCALARS_JSON);
    assert_eq!(serde_json::from_str::<Scalars>(FULL_SCALARS_JSON).unwrap(), scalars);
}

#[test]
fn scalars_deserialize_from_alternative_forms_and_ignore_unknown_members() {
    let json = r#"{"timestamp":1576540098,"epochTimestamp":1.5,"bigInteger":12345,"notInTheModel":{"x":[1,2]},"string":"kept"}"#;
    let scalars: Scalars = serde_json::from_str(json).unwrap();
    assert_eq!(scalars.timestamp, Some(DateTime::from_secs(1_576_540_098)));
    assert_eq!(scalars.epoch_timestamp, Some(DateTime::from_secs_and_nanos(1, 500_000_000)));
    assert_eq!(scalars.big_integer.as_ref().map(BigInteger::as_str), Some("12345"));
    assert_eq!(scalars.string.as_deref(), Some("kept"));
    assert_eq!(scalars.integer, None);
    assert_eq!(
        serde_json::to_string(&scalars).unwrap(),
        r#"{"string":"kept","bigInteger":"12345","timestamp":"2019-12-16T23:48:18Z","epochTimestamp":"1970-01-01T00:00:01.5Z"}"#
    );
}

#[test]
fn documents_keep_their_json_shape() {
    let scalars: Scalars =
        serde_json::from_str(r#"{"document":{"b":[true,1.5,-2,7],"a":null,"c":"s"}}"#).unwrap();
    let document = scalars.document.clone().unwrap();
    let object = document.as_object().unwrap();
    assert_eq!(object.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b", "c"]);
    assert!(object["a"].is_null());
    assert_eq!(object["c"].as_str(), Some("s"));
    let array = object["b"].as_array().unwrap();
    assert_eq!(array[0], Document::Bool(true));
    assert_eq!(array[1], Document::Number(Number::Float(1.5)));
    assert_eq!(array[2], Document::Number(Number::NegInt(-2)));
    assert_eq!(array[3], Document::Number(Number::PosInt(7)));
    assert_eq!(
        serde_json::to_string(&scalars).unwrap(),
        r#"{"document":{"a":null,"b":[true,1.5,-2,7],"c":"s"}}"#
    );
}

#[test]
fn collections_have_vec_and_btreemap_types() {
    let Collections {
        strings,
        counts,
        by_color,
        colors,
        sparse_strings,
        sparse_counts,
        nested,
        timestamps,
        blobs,
        ..
    } = Collections::builder().build();
    let _: Option<Vec<String>> = strings;
    let _: Option<BTreeMap<String, i32>> = counts;
    let _: Option<BTreeMap<Color, String>> = by_color;
    let _: Option<Vec<Color>> = colors;
    let _: Option<Vec<Option<String>>> = sparse_strings;
    let _: Option<BTreeMap<String, Option<i32>>> = sparse_counts;
    let _: Option<Vec<Vec<String>>> = nested;
    let _: Option<Vec<DateTime>> = timestamps;
    let _: Option<BTreeMap<String, Blob>> = blobs;
}

#[test]
fn collections_serialize_in_document_form() {
    let collections = Collections::builder()
        .set_strings(Some(vec!["b".to_string(), "a".to_string()]))
        .set_counts(Some(BTreeMap::from([("z".to_string(), 26), ("a".to_string(), 1)])))
        .set_by_color(Some(BTreeMap::from([
            (Color::from("purple"), "p".to_string()),
            (Color::Blue, "b".to_string()),
            (Color::Red, "r".to_string()),
        ])))
        .set_colors(Some(vec![Color::Green, Color::from("magenta")]))
        .set_sparse_strings(Some(vec![Some("a".to_string()), None]))
        .set_sparse_counts(Some(BTreeMap::from([("x".to_string(), None), ("y".to_string(), Some(1))])))
        .set_nested(Some(vec![vec!["a".to_string()], vec![]]))
        .set_timestamps(Some(vec![DateTime::from_secs(86_400)]))
        .set_blobs(Some(BTreeMap::from([("k".to_string(), Blob::new(vec![0u8, 255]))])))
        .build();
    // Lists keep their order; string-keyed maps are sorted by key; enum-keyed maps are sorted
    // in the enum's model order with unknown values after the known ones.
    let json = concat!(
        r#"{"strings":["b","a"],"counts":{"a":1,"z":26},"byColor":{"red":"r","blue":"b","purple":"p"},"#,
        r#""colors":["green","magenta"],"sparseStrings":["a",null],"sparseCounts":{"x":null,"y":1},"#,
        r#""nested":[["a"],[]],"timestamps":["1970-01-02T00:00:00Z"],"blobs":{"k":"AP8="}}"#
    );
    assert_eq!(serde_json::to_string(&collections).unwrap(), json);
    let back: Collections = serde_json::from_str(json).unwrap();
    assert_eq!(back, collections);
    assert_eq!(
        back.by_color.unwrap().keys().map(Color::as_str).collect::<Vec<_>>(),
        ["red", "blue", "purple"]
    );
    assert_eq!(back.sparse_strings.unwrap(), vec![Some("a".to_string()), None]);
}

#[test]
fn enums_convert_and_keep_unknown_values() {
    assert_eq!(Color::values(), &["red", "green", "blue"]);
    assert_eq!(Color::from("red"), Color::Red);
    assert_eq!(Color::Green.as_str(), "green");
    assert_eq!("blue".parse::<Color>().unwrap(), Color::Blue);
    assert_eq!(Color::Blue.to_string(), "blue");
    assert_eq!(format!("{:?}", Color::Red), "Red");
    // Enum values are case-sensitive: "RED" is not a known value.
    assert_eq!(Color::from("RED").as_str(), "RED");
    assert!(!matches!(Color::from("RED"), Color::Red));

    let unknown = Color::from("brand-new");
    assert_eq!(unknown.as_str(), "brand-new");
    assert_eq!(unknown.to_string(), "brand-new");
    assert!(!Color::values().contains(&unknown.as_str()));
    assert_eq!(Color::from(String::from("brand-new")), unknown);
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""brand-new""#);
    assert_eq!(serde_json::from_str::<Color>(r#""brand-new""#).unwrap(), unknown);
    assert_eq!(serde_json::from_str::<Color>(r#""green""#).unwrap(), Color::Green);
}

#[test]
fn sensitive_members_are_redacted_in_debug_but_not_in_serde() {
    let secrets = Secrets::builder()
        .user("alice")
        .password("hunter2")
        .set_previous_passwords(Some(vec!["old-secret-1".to_string()]))
        .set_passwords_by_host(Some(BTreeMap::from([("db".to_string(), "db-secret".to_string())])))
        .credentials(Credentials::builder().access_key("AKIDSECRET").expires(3600).build())
        .secret_color(SecretColor::Teal)
        .build();
    let _: Option<String> = secrets.password.clone();
    let _: Option<Vec<String>> = secrets.previous_passwords.clone();
    let _: Option<BTreeMap<String, String>> = secrets.passwords_by_host.clone();

    let debug = format!("{secrets:?}");
    assert!(debug.contains("alice"), "{debug}");
    assert!(debug.contains(REDACTED), "{debug}");
    for secret in ["hunter2", "old-secret-1", "db-secret", "AKIDSECRET", "3600", "Teal", "teal"] {
        assert!(!debug.contains(secret), "{secret} leaked: {debug}");
    }
    // The whole @sensitive structure, and the @sensitive enum, redact themselves too.
    let credentials = secrets.credentials.clone().unwrap();
    let debug = format!("{credentials:?}");
    assert!(!debug.contains("AKIDSECRET") && !debug.contains("3600"), "{debug}");
    assert!(debug.contains(REDACTED), "{debug}");
    assert_eq!(format!("{:?}", SecretColor::Teal), REDACTED);
    // So does the builder.
    let debug = format!("{:?}", Secrets::builder().password("hunter2"));
    assert!(!debug.contains("hunter2") && debug.contains(REDACTED), "{debug}");

    // The document form carries the real values.
    assert_eq!(
        serde_json::to_string(&secrets).unwrap(),
        concat!(
            r#"{"user":"alice","password":"hunter2","previousPasswords":["old-secret-1"],"#,
            r#""passwordsByHost":{"db":"db-secret"},"credentials":{"accessKey":"AKIDSECRET","expires":3600},"#,
            r#""secretColor":"teal"}"#
        )
    );
}

#[test]
fn defaults_are_applied_by_build() {
    // A structure whose non-optional members all have defaults builds infallibly.
    let defaults: Defaults = Defaults::builder().build();
    let count: i32 = defaults.count;
    let ratio: f64 = defaults.ratio;
    let fraction: f32 = defaults.fraction;
    let tiny: i8 = defaults.tiny;
    let short: i16 = defaults.short;
    let big: i64 = defaults.big;
    let enabled: bool = defaults.enabled;
    let primitive: i32 = defaults.primitive;
    let primitive_flag: bool = defaults.primitive_flag;
    let retries: i32 = defaults.retries;
    assert_eq!((count, ratio, fraction, tiny, short, big), (5, 1.5, 0.25, -3, 300, 9_000_000_000));
    assert!(enabled);
    assert_eq!((primitive, primitive_flag, retries), (0, false, 3));
    let label: &String = &defaults.label;
    assert_eq!(label, "none");
    let color: &Color = &defaults.color;
    assert_eq!(color, &Color::Green);
    let tags: &Vec<String> = &defaults.tags;
    assert!(tags.is_empty());
    let counts: &BTreeMap<String, i32> = &defaults.counts;
    assert!(counts.is_empty());
    let empty_blob: &Blob = &defaults.empty_blob;
    assert!(empty_blob.as_ref().is_empty());
    let epoch: DateTime = defaults.epoch;
    assert_eq!(epoch, DateTime::from_secs(1_700_000_000));
    let doc_string: &Document = &defaults.doc_string;
    assert_eq!(doc_string, &Document::String("hello".to_string()));
    let doc_object: &Document = &defaults.doc_object;
    assert_eq!(doc_object, &Document::Object(BTreeMap::new()));
    // @default(null) removes the target's default: the member is optional again.
    let no_default: Option<i64> = defaults.no_default;
    assert_eq!(no_default, None);
    // @clientOptional makes clients ignore the default.
    let optional_default: Option<i32> = defaults.optional_default;
    assert_eq!(optional_default, None);
    // Document defaults of every allowed kind, a float default written as an integer, and a
    // string default that needs escaping.
    assert_eq!(defaults.doc_array, Document::Array(Vec::new()));
    assert_eq!(defaults.doc_number, Document::Number(Number::Float(-1.5)));
    assert_eq!(defaults.doc_bool, Document::Bool(false));
    let float_from_int: f32 = defaults.float_from_int;
    assert_eq!(float_from_int, 1.0);
    assert_eq!(defaults.escaped, "a \"quoted\" \\ line\n");
    // A blob default is any base64 text; big numbers take number defaults; a timestamp default
    // may be a date-time string.
    let blob_default: &Blob = &defaults.blob_default;
    assert_eq!(blob_default.as_ref(), b"hi");
    let big_integer_default: &BigInteger = &defaults.big_integer_default;
    assert_eq!(big_integer_default.as_str(), "10");
    let big_decimal_default: &BigDecimal = &defaults.big_decimal_default;
    assert_eq!(big_decimal_default.as_str(), "1.5");
    let date_time_default: DateTime = defaults.date_time_default;
    assert_eq!(date_time_default, DateTime::from_secs(946_845_296));
}

#[test]
fn explicit_values_override_defaults() {
    let defaults = Defaults::builder()
        .count(9)
        .label("set")
        .color(Color::Red)
        .set_retries(Some(0))
        .optional_default(1)
        .build();
    assert_eq!(defaults.count, 9);
    assert_eq!(defaults.label, "set");
    assert_eq!(defaults.color, Color::Red);
    assert_eq!(defaults.retries, 0);
    assert_eq!(defaults.optional_default, Some(1));
    // Setting `None` falls back to the default again.
    assert_eq!(Defaults::builder().count(9).set_count(None).build().count, 5);
}

#[test]
fn defaults_in_document_form() {
    // Every non-optional member is serialized, including defaulted ones; optional members
    // without a value are omitted.
    let json = concat!(
        r#"{"count":5,"ratio":1.5,"fraction":0.25,"tiny":-3,"short":300,"big":9000000000,"enabled":true,"#,
        r#""label":"none","color":"green","tags":[],"counts":{},"primitive":0,"primitiveFlag":false,"#,
        r#""emptyBlob":"","epoch":"2023-11-14T22:13:20Z","docString":"hello","docObject":{},"retries":3,"#,
        r#""docArray":[],"docNumber":-1.5,"docBool":false,"floatFromInt":1.0,"escaped":"a \"quoted\" \\ line\n","#,
        r#""blobDefault":"aGk=","bigIntegerDefault":"10","bigDecimalDefault":"1.5","dateTimeDefault":"2000-01-02T20:34:56Z"}"#
    );
    let defaults = Defaults::builder().build();
    assert_eq!(serde_json::to_string(&defaults).unwrap(), json);
    // Deserializing fills absent members with their defaults, like build().
    assert_eq!(serde_json::from_str::<Defaults>("{}").unwrap(), defaults);
    let partial: Defaults =
        serde_json::from_str(r#"{"count":1,"noDefault":2,"optionalDefault":3}"#).unwrap();
    assert_eq!(
        (partial.count, partial.no_default, partial.optional_default, partial.retries),
        (1, Some(2), Some(3), 3)
    );
}

#[test]
fn required_members_make_build_fallible() {
    let error: BuildError = RequiredThings::builder().build().unwrap_err();
    assert_eq!(error.type_name(), "RequiredThings");
    assert_eq!(error.member(), "id");
    assert!(error.to_string().contains("`id`"), "{error}");

    let error = RequiredThings::builder().id("x").build().unwrap_err();
    assert_eq!(error.member(), "size");
    assert_eq!(
        error.to_string(),
        "cannot build `RequiredThings`: the required member `size` was not set"
    );
    let error =
        RequiredThings::builder().id("x").size(1).set_items(Some(Vec::<String>::new())).build().unwrap_err();
    assert_eq!(error.member(), "color");

    let things = RequiredThings::builder()
        .id("x")
        .size(2)
        .set_items(Some(vec!["i".to_string()]))
        .color(Color::Blue)
        .build()
        .unwrap();
    let id: String = things.id.clone();
    let size: i32 = things.size;
    let items: Vec<String> = things.items.clone();
    let color: Color = things.color.clone();
    // Not required, and @required + @clientOptional: both optional for clients.
    let note: Option<String> = things.note.clone();
    let lax: Option<String> = things.lax.clone();
    assert_eq!(
        (id.as_str(), size, items, color, note, lax),
        ("x", 2, vec!["i".to_string()], Color::Blue, None, None)
    );

    assert_eq!(
        serde_json::to_string(&things).unwrap(),
        r#"{"id":"x","size":2,"items":["i"],"color":"blue"}"#
    );
    let error = serde_json::from_str::<RequiredThings>(r#"{"id":"x","items":[],"color":"red"}"#)
        .unwrap_err();
    assert!(error.to_string().contains("`size`"), "{error}");
}

#[test]
fn input_structures_make_every_member_optional() {
    // @input: @required and @default members are optional for clients, and build() cannot fail.
    let input: PutEverythingInput = PutEverythingInput::builder().build();
    let id: Option<String> = input.id.clone();
    let count: Option<i32> = input.count;
    assert_eq!((id, count), (None, None));
    assert_eq!(serde_json::to_string(&input).unwrap(), "{}");

    let input = PutEverythingInput::builder()
        .id("abc")
        .count(2)
        .scalars(Scalars::builder().integer(1).build())
        .defaults(Defaults::builder().build())
        .build();
    let json = serde_json::to_string(&input).unwrap();
    assert!(
        json.starts_with(r#"{"id":"abc","count":2,"scalars":{"integer":1},"defaults":{"count":5,"#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<PutEverythingInput>(&json).unwrap(), input);
}

#[test]
fn output_structures_keep_required_members() {
    let error = PutEverythingOutput::builder().build().unwrap_err();
    assert_eq!(error.member(), "requestId");
    assert_eq!(error.type_name(), "PutEverythingOutput");
    let output = PutEverythingOutput::builder().request_id("req-1").build().unwrap();
    let request_id: String = output.request_id.clone();
    assert_eq!(request_id, "req-1");
    assert_eq!(serde_json::to_string(&output).unwrap(), r#"{"requestId":"req-1"}"#);
}

#[test]
fn unit_input_and_output_are_empty_structures() {
    assert_eq!(PingInput::builder().build(), PingInput::default());
    assert_eq!(PingOutput::builder().build(), PingOutput::default());
    assert_eq!(serde_json::to_string(&PingInput::default()).unwrap(), "{}");
    assert_eq!(
        serde_json::from_str::<PingOutput>(r#"{"ignored":[1]}"#).unwrap(),
        PingOutput::default()
    );
    let error = PingError::Unhandled(Unhandled::new(Some("Throttled".into()), None));
    assert_eq!(error.code(), Some("Throttled"));
}

#[test]
fn error_shapes() {
    let bad = BadThing::builder().message("it broke").code(7).build();
    assert_eq!(BadThing::CODE, "BadThing");
    assert_eq!(bad.message(), Some("it broke"));
    assert_eq!(bad.to_string(), "BadThing: it broke");
    assert!(!bad.is_server_fault());
    assert_eq!(bad.http_status(), Some(400));
    assert_eq!(BadThing::builder().build().to_string(), "BadThing");
    assert_eq!(serde_json::to_string(&bad).unwrap(), r#"{"message":"it broke","code":7}"#);

    // A required `Message` member (capitalized) is the message too.
    assert_eq!(Broken::builder().build().unwrap_err().member(), "Message");
    let broken = Broken::builder().message("down").build().unwrap();
    let message: String = broken.message.clone();
    assert_eq!(message, "down");
    assert_eq!(broken.message(), Some("down"));
    assert_eq!(broken.to_string(), "Broken: down");
    assert!(broken.is_server_fault());
    assert_eq!(broken.http_status(), Some(503));
    assert_eq!(serde_json::to_string(&broken).unwrap(), r#"{"Message":"down"}"#);

    // A sensitive message is neither displayed nor returned by message().
    let leaky = Leaky::builder().message("top-secret").build();
    assert_eq!(leaky.message(), None);
    assert_eq!(leaky.to_string(), "Leaky");
    assert!(!format!("{leaky:?}").contains("top-secret"));
    assert_eq!(leaky.http_status(), Some(403));

    let error = PutEverythingError::BadThing(bad);
    assert_eq!(error.code(), Some("BadThing"));
    assert_eq!(error.to_string(), "BadThing: it broke");
    // The variant's error is the same failure, not its cause: no source, one message.
    let as_std: &dyn std::error::Error = &error;
    assert!(as_std.source().is_none());
    assert_eq!(PutEverythingError::Broken(broken).code(), Some("Broken"));
    assert_eq!(PutEverythingError::Leaky(leaky).code(), Some("Leaky"));

    let unhandled =
        PutEverythingError::Unhandled(Unhandled::new(Some("Weird".into()), Some("odd".into())));
    assert_eq!(unhandled.code(), Some("Weird"));
    assert_eq!(unhandled.to_string(), "unmodeled service error Weird: odd");
}
