// absent: UnusedUnion
//
// Behaviour of the crate generated from `unions.json` (sdkId "Synthetic Unions"): unions with
// structure, string, list, Unit, number, enum, timestamp and sensitive members; a union with a
// member named `unknown` (the catch-all then becomes `UnknownValue`); a @sensitive union; and
// the recursive union `Expr` (directly, through a list, a map and structures).
//
// `UnusedUnion` is reachable from nothing: it must not be generated.

use std::collections::BTreeMap;

use synthetic_unions::operation::draw::{DrawError, DrawInput, DrawOutput};
use synthetic_unions::operation::evaluate::{EvaluateError, EvaluateInput, EvaluateOutput};
use synthetic_unions::primitives::DateTime;
use synthetic_unions::types::error::InvalidShape;
use synthetic_unions::types::{
    Circle, Color, Drawing, Expr, NotExpr, Pair, SecretChoice, Shape, Status,
};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn circle(radius: f64) -> Shape {
    Shape::Circle(Circle::builder().radius(radius).build().unwrap())
}

fn json<T: serde_core::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn every_member_kind_is_a_variant() {
    let cases: Vec<(Shape, &str)> = vec![
        (circle(2.5), r#"{"circle":{"radius":2.5}}"#),
        (Shape::Label("hi".to_string()), r#"{"label":"hi"}"#),
        (Shape::Tags(vec!["a".to_string(), "b".to_string()]), r#"{"tags":["a","b"]}"#),
        (Shape::Nothing, r#"{"nothing":{}}"#),
        (Shape::Sides(3), r#"{"sides":3}"#),
        (Shape::Color(Color::Red), r#"{"color":"red"}"#),
        (Shape::DrawnAt(DateTime::from_secs(0)), r#"{"drawnAt":"1970-01-01T00:00:00Z"}"#),
        (Shape::Password("pw".to_string()), r#"{"password":"pw"}"#),
    ];
    for (shape, expected) in cases {
        assert_eq!(json(&shape), expected);
        assert_eq!(serde_json::from_str::<Shape>(expected).unwrap(), shape, "{expected}");
    }
}

#[test]
fn variant_payload_types() {
    fn describe(shape: &Shape) -> String {
        match shape {
            Shape::Circle(c) => {
                let radius: f64 = c.radius;
                format!("circle {radius}")
            }
            Shape::Label(l) => {
                let l: &String = l;
                format!("label {l}")
            }
            Shape::Tags(t) => {
                let t: &Vec<String> = t;
                format!("{} tags", t.len())
            }
            Shape::Nothing => "nothing".to_string(),
            Shape::Sides(n) => {
                let n: i32 = *n;
                format!("{n} sides")
            }
            Shape::Color(c) => {
                let c: &Color = c;
                format!("color {c}")
            }
            Shape::DrawnAt(t) => {
                let t: &DateTime = t;
                format!("at {}", t.secs())
            }
            Shape::Password(_) => "password".to_string(),
            other => format!("unknown {other:?}"),
        }
    }
    assert_eq!(describe(&circle(1.0)), "circle 1");
    assert_eq!(describe(&Shape::Nothing), "nothing");
    assert_eq!(describe(&Shape::Sides(4)), "4 sides");
    assert_eq!(
        describe(&serde_json::from_str(r#"{"fromTheFuture":true}"#).unwrap()),
        "unknown Unknown"
    );
}

#[test]
fn unknown_members_deserialize_to_the_catch_all() {
    let shape: Shape = serde_json::from_str(r#"{"brandNew":{"x":[1,2,3]}}"#).unwrap();
    assert!(matches!(shape, Shape::Unknown { .. }), "{shape:?}");
    assert_eq!(format!("{shape:?}"), "Unknown");
    // The catch-all keeps no member: it is written as an empty object, which does not read back.
    assert_eq!(serde_json::to_string(&shape).unwrap(), "{}");
    assert!(serde_json::from_str::<Shape>("{}").is_err());
}

#[test]
fn null_members_are_not_set() {
    assert_eq!(
        serde_json::from_str::<Shape>(r#"{"brandNew":null,"label":"x"}"#).unwrap(),
        Shape::Label("x".to_string())
    );
    assert_eq!(
        serde_json::from_str::<Shape>(r#"{"label":null,"sides":3}"#).unwrap(),
        Shape::Sides(3)
    );
}

#[test]
fn exactly_one_member_must_be_set() {
    for bad in [
        r#"{}"#,
        r#"{"label":null}"#,
        r#"{"label":"a","sides":1}"#,
        r#"{"nothing":{},"brandNew":1}"#,
    ] {
        let error = serde_json::from_str::<Shape>(bad).unwrap_err();
        assert!(error.to_string().contains("exactly one member"), "{bad}: {error}");
    }
}

#[test]
fn debug_redacts_sensitive_members() {
    assert_eq!(format!("{:?}", Shape::Label("visible".to_string())), r#"Label("visible")"#);
    assert_eq!(format!("{:?}", Shape::Nothing), "Nothing");
    let debug = format!("{:?}", Shape::Password("hunter2".to_string()));
    assert_eq!(debug, format!("Password({REDACTED})"));

    // A @sensitive union redacts every member.
    let debug = format!("{:?}", SecretChoice::Pin(1234));
    assert!(!debug.contains("1234") && debug.contains(REDACTED), "{debug}");
    let debug = format!("{:?}", SecretChoice::Phrase("open sesame".to_string()));
    assert!(!debug.contains("open sesame") && debug.contains(REDACTED), "{debug}");
    let output = EvaluateOutput::builder().value(1).secret(SecretChoice::Pin(1234)).build();
    let debug = format!("{output:?}");
    assert!(!debug.contains("1234") && debug.contains(REDACTED), "{debug}");
    assert_eq!(json(&output), r#"{"value":1,"secret":{"pin":1234}}"#);
}

#[test]
fn a_member_named_unknown_moves_the_catch_all() {
    // The model's `unknown` member is `Status::Unknown`; the catch-all is `Status::UnknownValue`.
    assert_eq!(serde_json::from_str::<Status>(r#"{"unknown":{}}"#).unwrap(), Status::Unknown);
    assert_eq!(json(&Status::Unknown), r#"{"unknown":{}}"#);
    assert_eq!(json(&Status::Known("k".to_string())), r#"{"known":"k"}"#);
    let other: Status = serde_json::from_str(r#"{"other":"x"}"#).unwrap();
    assert!(matches!(other, Status::UnknownValue { .. }), "{other:?}");
    assert_ne!(other, Status::Unknown);
    assert_eq!(serde_json::to_string(&other).unwrap(), "{}");
}

#[test]
fn unions_in_structures() {
    // @required union in a non-input structure: non-optional, build() fails without it.
    let error = Drawing::builder().build().unwrap_err();
    assert_eq!(error.member(), "main");
    let drawing = Drawing::builder().main(Shape::Nothing).extra(circle(1.5)).build().unwrap();
    let main: Shape = drawing.main.clone();
    let extra: Option<Shape> = drawing.extra.clone();
    assert_eq!((main, extra), (Shape::Nothing, Some(circle(1.5))));
    assert_eq!(json(&drawing), r#"{"main":{"nothing":{}},"extra":{"circle":{"radius":1.5}}}"#);

    // In the @input structure the required union is optional.
    let input: DrawInput = DrawInput::builder().build();
    let shape: Option<Shape> = input.shape;
    assert_eq!(shape, None);
    let input = DrawInput::builder()
        .shape(Shape::Sides(5))
        .set_shapes(Some(vec![Shape::Label("a".to_string()), Shape::Nothing]))
        .status(Status::Known("ok".to_string()))
        .build();
    let text =
        r#"{"shape":{"sides":5},"shapes":[{"label":"a"},{"nothing":{}}],"status":{"known":"ok"}}"#;
    assert_eq!(json(&input), text);
    assert_eq!(serde_json::from_str::<DrawInput>(text).unwrap(), input);

    let output = DrawOutput::builder().drawing(drawing.clone()).build().unwrap();
    assert_eq!(output.drawing, drawing);
    // A list of unions tolerates members it does not know.
    let input: DrawInput =
        serde_json::from_str(r#"{"shapes":[{"future":1},{"sides":1}]}"#).unwrap();
    let shapes = input.shapes.unwrap();
    assert!(matches!(shapes[0], Shape::Unknown { .. }));
    assert_eq!(shapes[1], Shape::Sides(1));
}

/// Compiles only if the value has type `T`.
fn has_type<T>(_: &T) {}

fn eval(expr: &Expr) -> i32 {
    match expr {
        Expr::Literal(n) => *n,
        Expr::Negate(inner) => {
            has_type::<Box<Expr>>(inner);
            -eval(inner)
        }
        Expr::All(items) => {
            let items: &Vec<Expr> = items;
            items.iter().map(eval).sum()
        }
        Expr::ByName(items) => {
            let items: &BTreeMap<String, Expr> = items;
            items.values().map(eval).sum()
        }
        Expr::Not(not) => {
            has_type::<Box<NotExpr>>(not);
            has_type::<Box<Expr>>(&not.inner);
            i32::from(eval(&not.inner) == 0)
        }
        Expr::Pair(pair) => {
            has_type::<Box<Pair>>(pair);
            let left: &Option<Box<Expr>> = &pair.left;
            left.as_deref().map_or(0, eval) + pair.right.as_deref().map_or(0, eval)
        }
        other => panic!("cannot evaluate {other:?}"),
    }
}

#[test]
fn recursive_union_builds_and_round_trips() {
    let expr = Expr::All(vec![
        Expr::Literal(10),
        Expr::Negate(Box::new(Expr::Literal(3))),
        Expr::Not(Box::new(NotExpr::builder().inner(Expr::Literal(0)).build().unwrap())),
        Expr::ByName(BTreeMap::from([
            ("b".to_string(), Expr::Literal(2)),
            ("a".to_string(), Expr::Literal(1)),
        ])),
        Expr::Pair(Box::new(Pair::builder().left(Expr::Literal(100)).label("p").build())),
    ]);
    assert_eq!(eval(&expr), 10 - 3 + 1 + 3 + 100);
    let text = concat!(
        r#"{"all":[{"literal":10},{"negate":{"literal":3}},{"not":{"inner":{"literal":0}}},"#,
        r#"{"byName":{"a":{"literal":1},"b":{"literal":2}}},{"pair":{"left":{"literal":100},"label":"p"}}]}"#
    );
    assert_eq!(json(&expr), text);
    assert_eq!(serde_json::from_str::<Expr>(text).unwrap(), expr);

    let error = NotExpr::builder().build().unwrap_err();
    assert_eq!(error.member(), "inner");
    let error = serde_json::from_str::<Expr>(r#"{"not":{}}"#).unwrap_err();
    assert!(error.to_string().contains("`inner`"), "{error}");
}

#[test]
fn deeply_nested_recursion() {
    let mut text = String::from(r#"{"literal":7}"#);
    for _ in 0..40 {
        text = format!(r#"{{"negate":{text}}}"#);
    }
    let expr: Expr = serde_json::from_str(&text).unwrap();
    assert_eq!(eval(&expr), 7);
    assert_eq!(json(&expr), text);
    let input = EvaluateInput::builder().expr(expr.clone()).build();
    assert_eq!(input.expr.as_ref(), Some(&expr));
}

#[test]
fn errors_carry_unions() {
    let error = InvalidShape::builder().message("too round").shape(circle(9.0)).build();
    assert_eq!(error.to_string(), "InvalidShape: too round");
    assert_eq!(error.http_status(), Some(422));
    assert_eq!(json(&error), r#"{"message":"too round","shape":{"circle":{"radius":9.0}}}"#);
    let draw_error = DrawError::InvalidShape(error.clone());
    assert_eq!(draw_error.code(), Some("InvalidShape"));
    let evaluate_error = EvaluateError::InvalidShape(error);
    assert_eq!(evaluate_error.to_string(), "InvalidShape: too round");
}
