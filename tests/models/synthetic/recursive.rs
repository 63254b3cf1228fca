// absent: Unreached
//
// Behaviour of the crate generated from `recursive.json` (sdkId "Synthetic Recursive"):
// a structure that contains itself (`Node`), mutual recursion (`Alpha` <-> `Beta`, with a
// required edge), a three-structure cycle (`X` -> `Y` -> `Z` -> `X`), recursion through a list
// (`Tree`) and a map (`Dir`), which need no `Box`, and a recursive error shape (`Failure`).
//
// `Unreached` (which contains itself) is reachable from nothing: it must not be generated.

use std::collections::BTreeMap;

use synthetic_recursive::operation::walk::{WalkError, WalkInput, WalkOutput};
use synthetic_recursive::types::error::Failure;
use synthetic_recursive::types::{Alpha, Beta, Dir, Holder, Leaf, Node, Tree, X, Y, Z};

/// Compiles only if the value has type `T`.
fn has_type<T>(_: &T) {}

fn json<T: serde_core::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn list(values: &[i32]) -> Option<Node> {
    values.iter().rev().fold(None, |next, value| {
        Some(Node::builder().value(*value).set_next(next.map(Box::new)).build())
    })
}

#[test]
fn a_structure_that_contains_itself_is_boxed() {
    let node = list(&[1, 2, 3]).unwrap();
    has_type::<Option<Box<Node>>>(&node.next);
    let mut values = Vec::new();
    let mut cursor = Some(&node);
    while let Some(n) = cursor {
        values.push(n.value.unwrap());
        cursor = n.next.as_deref();
    }
    assert_eq!(values, [1, 2, 3]);

    // The builder takes the unboxed value and boxes it.
    let built = Node::builder().value(1).next(Node::builder().value(2).build()).build();
    assert_eq!(built.next.as_deref().and_then(|n| n.value), Some(2));
    assert_eq!(
        format!("{built:?}"),
        "Node { value: Some(1), next: Some(Node { value: Some(2), next: None }) }"
    );

    let text = r#"{"value":1,"next":{"value":2,"next":{"value":3}}}"#;
    assert_eq!(json(&node), text);
    assert_eq!(serde_json::from_str::<Node>(text).unwrap(), node);
}

#[test]
fn long_recursive_chains_round_trip() {
    let values: Vec<i32> = (0..60).collect();
    let node = list(&values).unwrap();
    let text = json(&node);
    assert!(text.starts_with(r#"{"value":0,"next":{"value":1,"#), "{text}");
    assert!(text.ends_with(&format!(r#"{{"value":59{}"#, "}".repeat(60))), "{text}");
    assert_eq!(serde_json::from_str::<Node>(&text).unwrap(), node);
}

#[test]
fn mutual_recursion() {
    // Alpha.beta is @required: a non-optional Box, and build() fails without it.
    let error = Alpha::builder().name("a").build().unwrap_err();
    assert_eq!(error.member(), "beta");
    assert_eq!(error.type_name(), "Alpha");

    let inner =
        Alpha::builder().name("inner").beta(Beta::builder().count(0).build()).build().unwrap();
    let outer = Alpha::builder()
        .name("outer")
        .beta(Beta::builder().count(1).alpha(inner.clone()).build())
        .build()
        .unwrap();
    has_type::<Box<Beta>>(&outer.beta);
    has_type::<Option<Box<Alpha>>>(&outer.beta.alpha);
    assert_eq!(outer.beta.alpha.as_deref(), Some(&inner));

    let text = r#"{"name":"outer","beta":{"count":1,"alpha":{"name":"inner","beta":{"count":0}}}}"#;
    assert_eq!(json(&outer), text);
    assert_eq!(serde_json::from_str::<Alpha>(text).unwrap(), outer);
    // The required member is checked at every depth.
    let error =
        serde_json::from_str::<Alpha>(r#"{"name":"outer","beta":{"alpha":{"name":"inner"}}}"#)
            .unwrap_err();
    assert!(error.to_string().contains("`beta`"), "{error}");
}

#[test]
fn a_three_structure_cycle() {
    let x = X::builder()
        .tag("first")
        .y(Y::builder()
            .z(Z::builder()
                .leaf(Leaf::builder().label("leaf").build())
                .x(X::builder().tag("second").build())
                .build())
            .build())
        .build();
    has_type::<Option<Box<Y>>>(&x.y);
    has_type::<Option<Box<Z>>>(&x.y.as_ref().unwrap().z);
    has_type::<Option<Box<X>>>(&x.y.as_ref().unwrap().z.as_ref().unwrap().x);
    // `Z.leaf` is not on the cycle: it is not boxed.
    has_type::<Option<Leaf>>(&x.y.as_ref().unwrap().z.as_ref().unwrap().leaf);
    let text = r#"{"y":{"z":{"x":{"tag":"second"},"leaf":{"label":"leaf"}}},"tag":"first"}"#;
    assert_eq!(json(&x), text);
    assert_eq!(serde_json::from_str::<X>(text).unwrap(), x);
}

fn count(tree: &Tree) -> usize {
    1 + tree.children.iter().flatten().map(count).sum::<usize>()
}

#[test]
fn recursion_through_a_list_needs_no_box() {
    let tree = Tree::builder()
        .label("root")
        .set_children(Some(vec![
            Tree::builder().label("a").build(),
            Tree::builder().label("b").set_children(Some(vec![Tree::builder().label("b1").build()])).build(),
        ]))
        .build();
    has_type::<Option<Vec<Tree>>>(&tree.children);
    assert_eq!(count(&tree), 4);
    let text =
        r#"{"label":"root","children":[{"label":"a"},{"label":"b","children":[{"label":"b1"}]}]}"#;
    assert_eq!(json(&tree), text);
    assert_eq!(serde_json::from_str::<Tree>(text).unwrap(), tree);
}

fn total(dir: &Dir) -> i64 {
    dir.size.unwrap_or(0) + dir.entries.iter().flat_map(|e| e.values()).map(total).sum::<i64>()
}

#[test]
fn recursion_through_a_map_needs_no_box() {
    let dir = Dir::builder()
        .size(1)
        .set_entries(Some(BTreeMap::from([
            (
                "usr".to_string(),
                Dir::builder()
                    .size(10)
                    .set_entries(Some(BTreeMap::from([(
                        "bin".to_string(),
                        Dir::builder().size(100).build(),
                    )])))
                    .build(),
            ),
            ("etc".to_string(), Dir::builder().build()),
        ])))
        .build();
    has_type::<Option<BTreeMap<String, Dir>>>(&dir.entries);
    assert_eq!(total(&dir), 111);
    let text =
        r#"{"entries":{"etc":{},"usr":{"entries":{"bin":{"size":100}},"size":10}},"size":1}"#;
    assert_eq!(json(&dir), text);
    assert_eq!(serde_json::from_str::<Dir>(text).unwrap(), dir);
}

#[test]
fn non_recursive_members_targeting_recursive_shapes_are_not_boxed() {
    let holder = Holder::builder()
        .leaf(Leaf::builder().build())
        .node(Node::builder().value(5).build())
        .build()
        .unwrap();
    has_type::<Leaf>(&holder.leaf);
    has_type::<Node>(&holder.node);
    assert_eq!(json(&holder), r#"{"leaf":{},"node":{"value":5}}"#);
    assert_eq!(
        Holder::builder().leaf(Leaf::builder().build()).build().unwrap_err().member(),
        "node"
    );
}

#[test]
fn a_recursive_error_shape() {
    let root = Failure::builder().message("disk").build();
    let failure = Failure::builder().message("write failed").cause(root.clone()).build();
    has_type::<Option<Box<Failure>>>(&failure.cause);
    assert_eq!(failure.cause.as_deref(), Some(&root));
    assert_eq!(failure.to_string(), "Failure: write failed");
    assert!(failure.is_server_fault());
    assert_eq!(failure.http_status(), Some(500));
    let text = r#"{"message":"write failed","cause":{"message":"disk"}}"#;
    assert_eq!(json(&failure), text);
    assert_eq!(serde_json::from_str::<Failure>(text).unwrap(), failure);
    assert_eq!(WalkError::Failure(failure).code(), Some("Failure"));
}

#[test]
fn operation_shapes() {
    let input = WalkInput::builder()
        .node(list(&[1]).unwrap())
        .tree(Tree::builder().build())
        .dir(Dir::builder().build())
        .x(X::builder().build())
        .build();
    assert_eq!(json(&input), r#"{"node":{"value":1},"x":{},"tree":{},"dir":{}}"#);
    assert_eq!(input.alpha, None);
    assert_eq!(input.holder, None);
    let output = WalkOutput::builder().visited(3).last(list(&[3]).unwrap()).build().unwrap();
    assert_eq!(json(&output), r#"{"visited":3,"last":{"value":3}}"#);
    assert_eq!(WalkOutput::builder().build().unwrap_err().member(), "visited");
}
