// absent: Option
// absent: Result
// absent: Vec
// absent: Box
// absent: String
//
// Behaviour of the crate generated from `keywords.json` (sdkId "Synthetic Keywords"): members
// named after Rust keywords, shapes named after std prelude types (`Option`, `Result`, `Vec`,
// `Box`, `String`, `Self`) or after generated items (`Document`, `BuildError`, `WidgetBuilder`,
// `GetThingError`, `GetThingInput`, `Error`), an operation named after a keyword (`Match`),
// one shape used as both input and output, a service `rename`, and an enum whose member
// names need case conversion, including one named `UNKNOWN`.
//
// Shapes named like std prelude types get a `Value` suffix so that the prelude is never shadowed:
// no type may be generated under the bare names `Option`, `Result`, `Vec`, `Box` or `String`.

use synthetic_keywords::operation::echo::{EchoError, EchoInput, EchoOutput};
use synthetic_keywords::operation::get_thing::{GetThingError, GetThingInput, GetThingOutput};
use synthetic_keywords::operation::r#match::{MatchError, MatchInput, MatchOutput};
use synthetic_keywords::types::{
    BoxValue, BuildError, Document, EchoPayload, ForeignWidget, OptionValue, Region, ResultValue,
    SelfValue, StringValue, VecValue, Widget,
};

/// Compiles only if the value has type `T`.
fn has_type<T>(_: &T) {}

fn json<T: serde_core::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn keyword_members_become_raw_or_suffixed_identifiers() {
    let input = MatchInput::builder()
        .r#type("t")
        .r#match("m")
        .self_("s")
        .crate_("c")
        .super_("su")
        .r#async("as")
        .r#await("aw")
        .r#fn("f")
        .r#dyn("d")
        .r#try("tr")
        .r#gen("g")
        .r#yield("y")
        .r#abstract("ab")
        .r#impl("i")
        .r#loop("l")
        .union("u")
        .builder("b")
        .build();
    let fields = [
        &input.r#type,
        &input.r#match,
        &input.self_,
        &input.crate_,
        &input.super_,
        &input.r#async,
        &input.r#await,
        &input.r#fn,
        &input.r#dyn,
        &input.r#try,
        &input.r#gen,
        &input.r#yield,
        &input.r#abstract,
        &input.r#impl,
        &input.r#loop,
        &input.union,
        &input.builder,
    ];
    let values: Vec<&str> = fields.iter().map(|f| f.as_deref().unwrap()).collect();
    assert_eq!(
        values,
        ["t", "m", "s", "c", "su", "as", "aw", "f", "d", "tr", "g", "y", "ab", "i", "l", "u", "b"]
    );

    // The document form keeps the model's member names.
    let text = concat!(
        r#"{"type":"t","match":"m","self":"s","crate":"c","super":"su","async":"as","await":"aw","fn":"f","#,
        r#""dyn":"d","try":"tr","gen":"g","yield":"y","abstract":"ab","impl":"i","Loop":"l","union":"u","builder":"b"}"#
    );
    assert_eq!(json(&input), text);
    assert_eq!(serde_json::from_str::<MatchInput>(text).unwrap(), input);

    let debug = format!("{input:?}");
    assert!(debug.starts_with(r#"MatchInput { type: Some("t"), match: Some("m"), "#), "{debug}");
}

#[test]
fn setters_of_keyword_members() {
    let input = MatchInput::builder()
        .set_type(Some("t".into()))
        .set_match(Some("m".into()))
        .set_self(Some("s".into()))
        .set_crate(Some("c".into()))
        .set_super(Some("su".into()))
        .set_async(Some("a".into()))
        .set_fn(Some("f".into()))
        .set_loop(Some("l".into()))
        .set_builder(Some("b".into()))
        .build();
    assert_eq!(
        json(&input),
        r#"{"type":"t","match":"m","self":"s","crate":"c","super":"su","async":"a","fn":"f","Loop":"l","builder":"b"}"#
    );
}

#[test]
fn member_names_are_converted_to_snake_case() {
    let output = MatchOutput::builder()
        .self_("S")
        .r#type("T")
        .arn("arn:aws:x")
        .http_status(404)
        .already_snake("as")
        .camel_case("cc")
        .leading("_l")
        .v2("two")
        .unknown("u")
        .set_regions(Some(vec![Region::UsEast1]))
        .build();
    let text = concat!(
        r#"{"Self":"S","Type":"T","ARN":"arn:aws:x","HTTPStatus":404,"already_snake":"as","camelCase":"cc","#,
        r#""_leading":"_l","v2":"two","unknown":"u","regions":["us-east-1"]}"#
    );
    assert_eq!(json(&output), text);
    assert_eq!(serde_json::from_str::<MatchOutput>(text).unwrap(), output);
    // `IPv6Address` is a member too; whatever its Rust name, its document key is unchanged.
    let parsed: MatchOutput = serde_json::from_str(r#"{"IPv6Address":"::1"}"#).unwrap();
    assert_eq!(json(&parsed), r#"{"IPv6Address":"::1"}"#);
}

#[test]
fn shapes_named_like_prelude_types_get_a_suffix() {
    let input = MatchInput::builder()
        .option(OptionValue::builder().some("s").build())
        .result(ResultValue::builder().ok(true).err("e").build())
        .vec(VecValue::builder().len(3).build())
        .r#box(BoxValue::builder().inner(OptionValue::builder().build()).build())
        .string(StringValue::builder().value("v").build())
        .self_type(SelfValue::builder().me("me").build())
        .build();
    has_type::<Option<OptionValue>>(&input.option);
    has_type::<Option<ResultValue>>(&input.result);
    has_type::<Option<VecValue>>(&input.vec);
    has_type::<Option<BoxValue>>(&input.r#box);
    has_type::<Option<StringValue>>(&input.string);
    has_type::<Option<SelfValue>>(&input.self_type);
    has_type::<Option<OptionValue>>(&input.r#box.as_ref().unwrap().inner);
    // The prelude is not shadowed: these are still std's Option and String.
    let plain: Option<String> = input.string.as_ref().and_then(|s| s.value.clone());
    assert_eq!(plain.as_deref(), Some("v"));
    assert_eq!(
        json(&input),
        concat!(
            r#"{"option":{"some":"s"},"result":{"ok":true,"err":"e"},"vec":{"len":3},"box":{"inner":{}},"#,
            r#""string":{"value":"v"},"selfType":{"me":"me"}}"#
        )
    );
}

#[test]
fn shapes_named_like_generated_items() {
    // A structure called `Document` holding a document.
    let document =
        Document::builder().body(synthetic_keywords::primitives::Document::from("x")).build();
    has_type::<Option<synthetic_keywords::primitives::Document>>(&document.body);
    assert_eq!(json(&document), r#"{"body":"x"}"#);

    // A structure called `BuildError` is not the crate's builder error.
    let shape = BuildError::builder().reason("r").build();
    assert_eq!(shape.reason.as_deref(), Some("r"));
    // The crate's own builder error is still reachable under its path.
    let crate_error: Option<synthetic_keywords::error::BuildError> = None;
    assert!(crate_error.is_none());

    // A structure called `WidgetBuilder` next to `Widget`'s builder.
    let widget_builder: synthetic_keywords::types::builders::WidgetBuilder = Widget::builder();
    let widget = widget_builder.size(2).build();
    let shape: synthetic_keywords::types::WidgetBuilder =
        synthetic_keywords::types::WidgetBuilder::builder().widget(widget.clone()).build();
    let _: synthetic_keywords::types::builders::WidgetBuilderBuilder =
        synthetic_keywords::types::WidgetBuilder::builder();
    assert_eq!(shape.widget, Some(widget));
    assert_eq!(json(&shape), r#"{"widget":{"size":2}}"#);

    let input = MatchInput::builder()
        .widget_builder(shape.clone())
        .document(document.clone())
        .build_error(BuildError::builder().build())
        .build();
    assert_eq!(
        json(&input),
        r#"{"document":{"body":"x"},"widgetBuilder":{"widget":{"size":2}},"buildError":{}}"#
    );
}

#[test]
fn enum_member_names_are_converted_and_unknown_is_taken() {
    let all = [
        (Region::UsEast1, "us-east-1"),
        (Region::AllCaps, "ALL_CAPS"),
        (Region::CamelCase, "camelCase"),
        (Region::PascalCase, "PascalCase"),
        (Region::V2, "v2"),
        (Region::Unknown, "UNKNOWN"),
        (Region::Self_, "self"),
        (Region::Type, "type"),
        (Region::None, "none"),
        (Region::Some, "some"),
        (Region::Star, "*"),
        (Region::EmptyQuote, "say \"hi\"\\n"),
    ];
    for (variant, value) in &all {
        assert_eq!(variant.as_str(), *value);
        assert_eq!(&Region::from(*value), variant);
        assert_eq!(json(variant), serde_json::to_string(value).unwrap());
    }
    assert_eq!(Region::values(), all.iter().map(|(_, v)| *v).collect::<Vec<_>>().as_slice());

    // The modeled `UNKNOWN` member is `Region::Unknown`; the catch-all is `Region::UnknownValue`.
    let other = Region::from("brand-new");
    #[allow(deprecated)] // the catch-all's name is what this checks
    let caught = matches!(other, Region::UnknownValue(_));
    assert!(caught, "expected the catch-all, got {other:?}");
    assert_eq!(other.as_str(), "brand-new");
    assert_ne!(Region::from("unknown"), Region::Unknown);
    assert_eq!(Region::from("unknown").as_str(), "unknown");
    assert_eq!(serde_json::from_str::<Region>(r#""UNKNOWN""#).unwrap(), Region::Unknown);
    // `None` and `Some` variants do not shadow Option's.
    let maybe: Option<Region> = Some(Region::None);
    assert_eq!(maybe.map(|r| r.to_string()), Some("none".to_string()));
}

#[test]
fn operation_and_error_named_alike() {
    // `GetThing`'s error enum is `GetThingError`; the model's error shape `GetThingError` lives
    // in `types::error` and is one of the enum's variants.
    let shape =
        synthetic_keywords::types::error::GetThingError::builder().message("missing").build();
    assert_eq!(shape.to_string(), "GetThingError: missing");
    assert_eq!(shape.http_status(), Some(404));
    let error: GetThingError = GetThingError::GetThingError(shape.clone());
    assert_eq!(error.code(), Some("GetThingError"));
    assert_eq!(error.to_string(), "GetThingError: missing");
    assert_eq!(EchoError::GetThingError(shape).code(), Some("GetThingError"));

    // `GetThing`'s input is generated from `GetThingRequest`; the model's own `GetThingInput`
    // structure is an ordinary type in `types`.
    let input = GetThingInput::builder()
        .id("42")
        .r#ref(synthetic_keywords::types::GetThingInput::builder().note("n").build())
        .build();
    has_type::<Option<synthetic_keywords::types::GetThingInput>>(&input.r#ref);
    assert_eq!(json(&input), r#"{"id":"42","ref":{"note":"n"}}"#);
    let output = GetThingOutput::builder()
        .thing(synthetic_keywords::types::GetThingOutput::builder().name("t").build())
        .build();
    has_type::<Option<synthetic_keywords::types::GetThingOutput>>(&output.thing);
    assert_eq!(json(&output), r#"{"thing":{"name":"t"}}"#);
}

#[test]
fn an_error_shape_named_error() {
    let shape = synthetic_keywords::types::error::Error::builder()
        .message("bad")
        .r#type("Validation")
        .build();
    assert_eq!(shape.to_string(), "Error: bad");
    assert_eq!(synthetic_keywords::types::error::Error::CODE, "Error");
    assert_eq!(json(&shape), r#"{"message":"bad","type":"Validation"}"#);
    let error = MatchError::Error(shape);
    assert_eq!(error.code(), Some("Error"));
    let as_std: &dyn std::error::Error = &error;
    assert!(as_std.source().is_none(), "one message in a printed chain");
}

#[test]
fn one_shape_as_input_output_and_member() {
    let input: EchoInput = EchoInput::builder().text("hi").build();
    let output: EchoOutput = EchoOutput::builder().text("hi").build();
    let payload: EchoPayload = EchoPayload::builder().text("hi").build();
    assert_eq!(json(&input), r#"{"text":"hi"}"#);
    assert_eq!(json(&output), json(&input));
    assert_eq!(json(&payload), json(&input));
    let member = MatchInput::builder().echo(payload.clone()).build();
    assert_eq!(member.echo, Some(payload));
}

#[test]
fn renamed_shape_from_another_namespace() {
    // `example.keywords.other#Widget` is renamed to `ForeignWidget` by the service.
    let foreign = ForeignWidget::builder().origin("elsewhere").build();
    let input = MatchInput::builder()
        .foreign_widget(foreign.clone())
        .widget(Widget::builder().size(1).build())
        .build();
    has_type::<Option<ForeignWidget>>(&input.foreign_widget);
    has_type::<Option<Widget>>(&input.widget);
    assert_eq!(json(&input), r#"{"widget":{"size":1},"foreignWidget":{"origin":"elsewhere"}}"#);
    assert_eq!(format!("{foreign:?}"), r#"ForeignWidget { origin: Some("elsewhere") }"#);
}

#[test]
fn members_whose_rust_names_collide_with_builder_methods() {
    // `Reserved` has members `build` (the builder's finishing method) and `setX` and `x` (whose
    // builder methods are `set_x` and `set_x`): all legal Smithy names. Whatever Rust names the
    // generator picks, the document form keeps the model's names.
    let text = r#"{"reserved":{"build":"b","setX":"s","x":"x"}}"#;
    let output: MatchOutput = serde_json::from_str(text).unwrap();
    assert!(output.reserved.is_some());
    assert_eq!(json(&output), text);
}

#[test]
fn an_error_whose_message_is_not_a_string() {
    let text = r#"{"message":409}"#;
    let error: synthetic_keywords::types::error::OddMessage = serde_json::from_str(text).unwrap();
    assert_eq!(json(&error), text);
    assert!(error.to_string().starts_with("OddMessage"), "{error}");
    assert_eq!(error.http_status(), Some(409));
    assert_eq!(MatchError::OddMessage(error).code(), Some("OddMessage"));
}
