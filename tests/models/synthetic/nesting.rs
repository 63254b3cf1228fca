// Behaviour of the crate generated from `nesting.json` (sdkId "Synthetic Nesting"): lists and
// maps nested 32 deep (`Level0` to `Level31`, alternately a list and a map: the most the
// generator allows), ending in a structure with a constrained member. The crate compiles
// warning-free (the corpus test), and the value travels through the request writer, the
// response reader, the document form and `validate()` at full depth.

use synthetic_nesting::operation::put::{Put, PutInput, PutOutput};
use synthetic_nesting::primitives::FixedTokens;

/// The document form of `grid`: `[{"k": [{"k": ... {"value": cell}}]}]`, 32 levels.
fn grid(cell: i64) -> serde_json::Value {
    let mut value = serde_json::json!({ "value": cell });
    for level in (0..32).rev() {
        value = if level % 2 == 0 {
            serde_json::json!([value])
        } else {
            serde_json::json!({ "k": value })
        };
    }
    value
}

/// How many arrays and objects the value nests.
fn depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn input(cell: i64) -> PutInput {
    serde_json::from_value(serde_json::json!({ "grid": grid(cell) })).expect("the document form")
}

#[test]
fn the_value_goes_out_and_comes_back_at_full_depth() {
    let input = input(7);
    let request = Put::serialize_request(&input, "https://example.com", &FixedTokens::counter())
        .expect("request");
    let body: serde_json::Value = serde_json::from_slice(request.body()).expect("JSON body");
    assert_eq!(body, serde_json::json!({ "grid": grid(7) }));
    assert_eq!(depth(&body), 34); // the body, 32 levels, the structure

    let response = http::Response::builder().status(200).body(request.body().clone()).unwrap();
    let output: PutOutput = Put::deserialize_response(&response).expect("response");
    assert_eq!(serde_json::to_value(&output).unwrap(), serde_json::json!({ "grid": grid(7) }));
}

#[test]
fn validation_reaches_the_bottom() {
    assert!(input(0).validate().is_ok());
    let errors = input(-1).validate().expect_err("a negative cell");
    let paths: Vec<&str> = errors.errors().iter().map(|e| e.path()).collect();
    let expected = format!("grid{}.value", "[0][k]".repeat(16));
    assert_eq!(paths, [expected.as_str()]);
}
