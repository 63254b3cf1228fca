// Behaviour of the crate generated from `nesting.json` (sdkId "Synthetic Nesting"): lists and
// maps nested 8 deep, the most the generator allows, ending in a structure with a constrained
// member: `grid` alternates lists and maps (`Level0` to `Level7`), `tree` is sparse maps only
// (`Branch0` to `Branch7`, the hardest case for rustdoc's auto traits). The crate compiles and
// documents warning-free (the corpus test), and the values travel through the request writer,
// the response reader, the document form and `validate()` at full depth.

use synthetic_nesting::operation::put::{Put, PutInput, PutOutput};
use synthetic_nesting::primitives::FixedTokens;

/// The document form of `grid`: `[{"k": [{"k": ... {"value": cell}}]}]`, 8 levels.
fn grid(cell: i64) -> serde_json::Value {
    let mut value = serde_json::json!({ "value": cell });
    for level in (0..8).rev() {
        value = if level % 2 == 0 {
            serde_json::json!([value])
        } else {
            serde_json::json!({ "k": value })
        };
    }
    value
}

/// The document form of `tree`: `{"a": {"a": ... {"value": cell}}, "gap": null}`, 8 levels,
/// a `null` (sparse) beside each.
fn tree(cell: i64) -> serde_json::Value {
    let mut value = serde_json::json!({ "value": cell });
    for _ in 0..8 {
        value = serde_json::json!({ "a": value, "gap": null });
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

fn document(cell: i64) -> serde_json::Value {
    serde_json::json!({ "grid": grid(cell), "tree": tree(cell) })
}

fn input(cell: i64) -> PutInput {
    serde_json::from_value(document(cell)).expect("the document form")
}

#[test]
fn the_values_go_out_and_come_back_at_full_depth() {
    let input = input(7);
    let request = Put::serialize_request(&input, "https://example.com", &FixedTokens::counter())
        .expect("request");
    let body: serde_json::Value = serde_json::from_slice(request.body()).expect("JSON body");
    assert_eq!(body, document(7));
    assert_eq!(depth(&body), 10); // the body, 8 levels, the structure

    let response = http::Response::builder().status(200).body(request.body().clone()).unwrap();
    let output: PutOutput = Put::deserialize_response(&response).expect("response");
    assert_eq!(serde_json::to_value(&output).unwrap(), document(7));
}

#[test]
fn validation_reaches_the_bottom() {
    assert!(input(0).validate().is_ok());
    let errors = input(-1).validate().expect_err("a negative cell");
    let mut paths: Vec<&str> = errors.errors().iter().map(|e| e.path()).collect();
    paths.sort_unstable();
    let grid = format!("grid{}.value", "[0][k]".repeat(4));
    let tree = format!("tree{}.value", "[a]".repeat(8));
    assert_eq!(paths, [grid.as_str(), tree.as_str()]);
}
