// absent: UnusedEnum
//
// Behaviour of the crate generated from `idl1.json` (Smithy IDL 1.0, sdkId "Synthetic Legacy"):
// `set` shapes; strings with the `smithy.api#enum` trait, with and without `name`s; the 1.0
// optionality rules (unboxed byte/short/integer/long/float/double/boolean members get an
// implicit zero default and are not optional; `@box`ed shapes, `@box`ed members and the prelude's
// boxed `smithy.api#Integer`/`Boolean` are optional; `smithy.api#Primitive*` are not); and
// `@sensitive` on a member, which IDL 1.0 allows.
//
// `UnusedEnum` (and the set of it) is reachable from nothing: it must not be generated.

use std::collections::BTreeMap;

use synthetic_legacy::operation::put_legacy::{PutLegacyError, PutLegacyInput, PutLegacyOutput};
use synthetic_legacy::types::error::LegacyFault;
use synthetic_legacy::types::{Record, Size, Zone};

/// Compiles only if the value has type `T`.
fn has_type<T>(_: &T) {}

fn json<T: serde_core::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn unboxed_primitives_default_to_zero_and_boxed_ones_are_optional() {
    let record = Record::builder().name("r").build().unwrap();
    // Unboxed: non-optional, zero by default.
    let count: i32 = record.count;
    let primitive_integer: i32 = record.primitive_integer;
    let primitive_long: i64 = record.primitive_long;
    let primitive_boolean: bool = record.primitive_boolean;
    let plain_byte: i8 = record.plain_byte;
    let plain_short: i16 = record.plain_short;
    let plain_float: f32 = record.plain_float;
    let plain_double: f64 = record.plain_double;
    let plain_boolean: bool = record.plain_boolean;
    // @required on an unboxed integer: it has the implicit zero default, so build() does not
    // need it.
    let required_count: i32 = record.required_count;
    assert_eq!(
        (count, primitive_integer, primitive_long, plain_byte, plain_short, required_count),
        (0, 0, 0, 0, 0, 0)
    );
    assert_eq!((plain_float, plain_double), (0.0, 0.0));
    assert!(!primitive_boolean && !plain_boolean);
    // Boxed: optional, no default.
    let boxed_count: Option<i32> = record.boxed_count;
    let member_boxed: Option<i32> = record.member_boxed;
    let prelude_integer: Option<i32> = record.prelude_integer;
    let prelude_boolean: Option<bool> = record.prelude_boolean;
    assert_eq!(
        (boxed_count, member_boxed, prelude_integer, prelude_boolean),
        (None, None, None, None)
    );
    // Strings are never primitive.
    let name: String = record.name.clone();
    assert_eq!(name, "r");

    assert_eq!(
        json(&record),
        concat!(
            r#"{"name":"r","count":0,"primitiveInteger":0,"primitiveLong":0,"primitiveBoolean":false,"#,
            r#""plainByte":0,"plainShort":0,"plainFloat":0.0,"plainDouble":0.0,"plainBoolean":false,"requiredCount":0}"#
        )
    );
    assert_eq!(serde_json::from_str::<Record>(r#"{"name":"r"}"#).unwrap(), record);
}

#[test]
fn required_strings_are_still_required() {
    let error = Record::builder().count(1).build().unwrap_err();
    assert_eq!(error.member(), "name");
    let error = serde_json::from_str::<Record>(r#"{"count":1}"#).unwrap_err();
    assert!(error.to_string().contains("`name`"), "{error}");
}

#[test]
fn explicit_values_including_zero_for_boxed_members() {
    let record = Record::builder()
        .name("r")
        .count(3)
        .boxed_count(0)
        .member_boxed(0)
        .prelude_integer(-1)
        .prelude_boolean(false)
        .plain_float(2.5f32)
        .required_count(9)
        .build()
        .unwrap();
    assert_eq!(
        (record.count, record.boxed_count, record.member_boxed, record.prelude_integer),
        (3, Some(0), Some(0), Some(-1))
    );
    let text = json(&record);
    assert!(
        text.starts_with(r#"{"name":"r","count":3,"boxedCount":0,"memberBoxed":0,"preludeInteger":-1,"primitiveInteger":0,"#),
        "{text}"
    );
    assert!(
        text.contains(r#""preludeBoolean":false,"#) && text.contains(r#""plainFloat":2.5,"#),
        "{text}"
    );
    assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), record);
}

#[test]
fn sets_are_lists() {
    let record =
        Record::builder().name("r").set_tags(Some(vec!["b".to_string(), "a".to_string()])).build().unwrap();
    has_type::<Option<Vec<String>>>(&record.tags);
    assert!(json(&record).contains(r#""tags":["b","a"]"#));
    let input = PutLegacyInput::builder().set_tags(Some(vec!["x".to_string()])).build();
    has_type::<Option<Vec<String>>>(&input.tags);
    assert_eq!(input.validate(), Ok(()));
    // A set is a list with `@uniqueItems`: a repeated value is a violation.
    let repeated = PutLegacyInput::builder().tags("x").tags("x").build();
    let errors = repeated.validate().expect_err("a set with a repeated value");
    assert_eq!(errors.total(), 1, "{errors}");
    assert_eq!(errors.errors()[0].path(), "tags");
    assert_eq!(errors.errors()[0].message(), "has repeated values");
}

#[test]
#[allow(deprecated)]
fn enum_trait_with_names() {
    assert_eq!(Size::values(), &["s", "m", "xl"]);
    assert_eq!(Size::from("s"), Size::Small);
    assert_eq!(Size::from("m"), Size::Medium);
    assert_eq!(Size::from("xl"), Size::ExtraLarge);
    assert_eq!(Size::ExtraLarge.as_str(), "xl");
    assert_eq!(Size::from("xxl").as_str(), "xxl");
    assert!(!Size::values().contains(&"xxl"));
    // The `name` is for code; the value is what is sent.
    assert_eq!(Size::from("SMALL").as_str(), "SMALL");
    assert_ne!(Size::from("SMALL"), Size::Small);

    let sizes = BTreeMap::from([(Size::ExtraLarge, 3), (Size::Small, 1), (Size::Medium, 2)]);
    let record =
        Record::builder().name("r").set_sizes(Some(sizes.clone())).size(Size::Medium).build().unwrap();
    has_type::<Option<BTreeMap<Size, i32>>>(&record.sizes);
    let text = json(&record);
    assert!(text.contains(r#""sizes":{"s":1,"m":2,"xl":3},"size":"m""#), "{text}");
    assert_eq!(serde_json::from_str::<Record>(&text).unwrap().sizes, Some(sizes));
}

#[test]
fn enum_trait_without_names_derives_them_from_values() {
    let all = [
        (Zone::UsEast1a, "us-east-1a"),
        (Zone::EuWest1, "eu-west-1"),
        (Zone::All, "ALL"),
        (Zone::CamelValue, "camelValue"),
        (Zone::Value1x, "1x"),
    ];
    for (variant, value) in &all {
        assert_eq!(variant.as_str(), *value);
        assert_eq!(&Zone::from(*value), variant);
    }
    assert_eq!(Zone::values(), &["us-east-1a", "eu-west-1", "ALL", "camelValue", "1x"]);
    let output = PutLegacyOutput::builder().set_zones(Some(vec![Zone::All, Zone::from("mars-1")])).build();
    assert_eq!(json(&output), r#"{"zones":["ALL","mars-1"]}"#);
    assert_eq!(
        serde_json::from_str::<PutLegacyOutput>(r#"{"zones":["ALL","mars-1"]}"#).unwrap(),
        output
    );
}

#[test]
fn operation_inputs_are_client_optional_even_without_the_input_trait() {
    // IDL 1.0 has no @input, but an operation's input is generated as if it had it (as the AWS
    // SDKs do): the unboxed `count` is optional, so an unset default is not sent
    // (Smithy protocol test RestJsonClientSkipsTopLevelDefaultValuesInInput).
    let input = PutLegacyInput::builder().build();
    let count: Option<i32> = input.count;
    assert_eq!(count, None);
    assert_eq!(json(&input), r#"{}"#);
    let input = PutLegacyInput::builder().count(0).build();
    assert_eq!(json(&input), r#"{"count":0}"#);
}

#[test]
fn errors_follow_1_0_rules() {
    let fault = LegacyFault::builder().message("m").build();
    let retry_after: i32 = fault.retry_after;
    assert_eq!(retry_after, 0);
    assert_eq!(json(&fault), r#"{"message":"m","retryAfter":0}"#);
    assert!(fault.is_server_fault());
    assert_eq!(PutLegacyError::LegacyFault(fault).to_string(), "LegacyFault: m");
}

#[test]
fn sensitive_members_are_redacted() {
    // IDL 1.0 allows @sensitive on a member (2.0 only on shapes): it must be honoured.
    let record = Record::builder().name("r").pin("8731").build().unwrap();
    let debug = format!("{record:?}");
    assert!(!debug.contains("8731"), "{debug}");
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    assert!(!format!("{:?}", Record::builder().pin("8731")).contains("8731"));
    // The document form still carries the value.
    assert!(json(&record).contains(r#""pin":"8731""#));
}
