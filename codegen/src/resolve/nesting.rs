//! How deeply a service's values nest, checked on its closure before anything walks the shapes.
//!
//! Three rules, so that every later walk over the model (resolve, emit, validate, diff) either
//! is iterative or recurses a bounded number of times, and the generated crate can read every
//! value its model describes:
//!
//! - A list or map that contains itself through lists and maps only (`list L { member: L }`) is
//!   refused: Smithy forbids it (such a cycle must pass through a structure or union), and its
//!   Rust type, `Vec<Vec<…>>`, would be infinite. With a structure or union in the cycle it is
//!   fine: the named type breaks it (`Vec` already allocates).
//! - Lists and maps directly inside one another become one anonymous Rust type
//!   (`Vec<BTreeMap<String, Vec<…>>>`) and nested code: at most [`MAX_COLLECTION_NESTING`].
//!   (rustdoc, working out the auto traits of such a type, exceeds the compiler's default
//!   recursion limit at 12 nested sparse maps; 8 of them document cleanly.)
//! - The longest chain of structures, unions, lists and maps a value can be made of without going
//!   round a cycle: at most [`MAX_DEPTH`], the nesting the generated crate's JSON reader accepts
//!   (`primitives::json::MAX_DEPTH`), so no value the model describes is unreadable. Values of
//!   recursive shapes are bounded by the reader alone.
//!
//! Everything here is linear in the closure's shapes and members, and iterative.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::load::{members_of, Model, ShapeId, ShapeKind};
use crate::prelude::is_unit;
use crate::resolve::graph;

/// The most lists and maps that may nest directly inside one another.
pub const MAX_COLLECTION_NESTING: usize = 8;

/// The deepest a value may nest (structures, unions, lists and maps, cycles counted once): the
/// generated crate's JSON reader's limit.
pub const MAX_DEPTH: usize = 128;

/// Checks the three rules on `shapes` (the closure's data shapes; others are ignored).
pub fn check(model: &Model, shapes: &BTreeSet<ShapeId>) -> Result<()> {
    // The aggregate shapes, numbered in id order (so every report is deterministic).
    let ids: Vec<&ShapeId> = shapes
        .iter()
        .filter(|id| {
            !is_unit(id)
                && model.shape(id).is_some_and(|s| {
                    matches!(
                        s.kind,
                        ShapeKind::Structure { .. }
                            | ShapeKind::Union { .. }
                            | ShapeKind::List { .. }
                            | ShapeKind::Map { .. }
                    )
                })
        })
        .collect();
    let number: BTreeMap<&str, usize> =
        ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let is_collection: Vec<bool> = ids
        .iter()
        .map(|id| matches!(model.shapes[*id].kind, ShapeKind::List { .. } | ShapeKind::Map { .. }))
        .collect();
    let successors: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| {
            let mut next: Vec<usize> = members_of(&model.shapes[*id].kind)
                .unwrap_or_default()
                .iter()
                .filter_map(|m| number.get(m.target.as_str()).copied())
                .collect();
            next.sort_unstable();
            next.dedup();
            next
        })
        .collect();

    // Lists and maps inside lists and maps.
    let collection_successors: Vec<Vec<usize>> = successors
        .iter()
        .enumerate()
        .map(|(i, next)| {
            if is_collection[i] {
                next.iter().copied().filter(|&j| is_collection[j]).collect()
            } else {
                Vec::new()
            }
        })
        .collect();
    let component = graph::components(&collection_successors);
    let cyclic = graph::on_cycle(&collection_successors, &component);
    if let Some(first) = (0..ids.len()).find(|&i| cyclic[i]) {
        // Show the cycle: from `first`, follow members that stay in its component.
        let mut path = vec![first];
        let mut node = first;
        loop {
            let next = collection_successors[node]
                .iter()
                .copied()
                .find(|&j| component[j] == component[first])
                .unwrap_or(first);
            path.push(next);
            if next == first || path.len() > ids.len() {
                break;
            }
            node = next;
        }
        let kind = model.shapes[ids[first]].kind.type_name();
        return Err(Error::model(
            ids[first],
            format!(
                "a {kind} that contains itself through lists and maps only ({}); its Rust type \
                 would be infinite (and Smithy requires such a cycle to pass through a structure \
                 or union)",
                chain(&ids, &path)
            ),
        ));
    }
    // No cycle left: every component is one node, numbered successors first.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by_key(|&i| component[i]);
    let (depth, next) = longest(&order, |i| &collection_successors[i], |i| is_collection[i]);
    if let Some(root) = deepest(&depth, MAX_COLLECTION_NESTING) {
        return Err(Error::unsupported(
            ids[root],
            format!(
                "lists and maps nested {} deep ({}); the generator allows {MAX_COLLECTION_NESTING} \
                 (put a structure between them)",
                depth[root],
                chain(&ids, &follow(root, &next))
            ),
        ));
    }

    // Every aggregate, cycles counted once: the longest path over the components.
    let component = graph::components(&successors);
    let count = component.iter().map(|c| c + 1).max().unwrap_or(0);
    let mut nodes_of: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, &c) in component.iter().enumerate() {
        nodes_of[c].push(node);
    }
    let mut component_depth = vec![0usize; count];
    // The edge (from, to) that gives a component its depth.
    let mut via: Vec<Option<(usize, usize)>> = vec![None; count];
    for c in 0..count {
        let mut best = 0;
        for &node in &nodes_of[c] {
            for &succ in &successors[node] {
                let d = component[succ];
                if d != c && component_depth[d] > best {
                    best = component_depth[d];
                    via[c] = Some((node, succ));
                }
            }
        }
        component_depth[c] = best + 1;
    }
    let depth: Vec<usize> = component.iter().map(|&c| component_depth[c]).collect();
    if let Some(root) = deepest(&depth, MAX_DEPTH) {
        let mut path = vec![root];
        let mut c = component[root];
        while let Some((from, to)) = via[c] {
            if path.last() != Some(&from) {
                path.push(from);
            }
            path.push(to);
            c = component[to];
        }
        return Err(Error::unsupported(
            ids[root],
            format!(
                "its values nest {} levels deep ({}); the generated crate reads at most \
                 {MAX_DEPTH} levels of JSON, so the generator allows that many",
                depth[root],
                chain(&ids, &path)
            ),
        ));
    }
    Ok(())
}

/// The longest path from each node, over `order` (successors first); only nodes `counts`
/// accepts count. Returns the depth of each node and the successor it continues with.
fn longest<'a>(
    order: &[usize],
    successors: impl Fn(usize) -> &'a Vec<usize>,
    counts: impl Fn(usize) -> bool,
) -> (Vec<usize>, Vec<Option<usize>>) {
    let n = order.len();
    let mut depth = vec![0usize; n];
    let mut next = vec![None; n];
    for &node in order {
        if !counts(node) {
            continue;
        }
        let mut best = 0;
        for &succ in successors(node) {
            if depth[succ] > best {
                best = depth[succ];
                next[node] = Some(succ);
            }
        }
        depth[node] = best + 1;
    }
    (depth, next)
}

/// The first node of greatest depth, if that depth exceeds `limit`.
fn deepest(depth: &[usize], limit: usize) -> Option<usize> {
    let max = depth.iter().copied().max().unwrap_or(0);
    (max > limit).then(|| depth.iter().position(|&d| d == max)).flatten()
}

fn follow(root: usize, next: &[Option<usize>]) -> Vec<usize> {
    let mut path = vec![root];
    let mut node = root;
    while let Some(succ) = next[node] {
        path.push(succ);
        node = succ;
    }
    path
}

/// `a` → `b` → `c`, the middle of a long chain elided.
fn chain(ids: &[&ShapeId], path: &[usize]) -> String {
    let name = |i: &usize| format!("`{}`", ids[*i]);
    if path.len() <= 6 {
        return path.iter().map(name).collect::<Vec<_>>().join(" → ");
    }
    let head: Vec<String> = path[..3].iter().map(name).collect();
    let tail: Vec<String> = path[path.len() - 2..].iter().map(name).collect();
    format!("{} → … ({} more) … → {}", head.join(" → "), path.len() - 5, tail.join(" → "))
}
