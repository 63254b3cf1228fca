//! The service's shape closure: what the service reaches, and nothing else.
//!
//! From the service: its operations (directly and through resources, recursively), their
//! input, output and errors, the service's own errors, and every shape those members target.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::load::{members_of, Model, Shape, ShapeId, ShapeKind};
use crate::prelude::is_unit;

/// The reachable operations and the shapes that become named Rust types.
#[derive(Debug, Clone, Default)]
pub struct Closure {
    /// Every operation bound to the service (directly or through resources).
    pub operations: BTreeSet<ShapeId>,
    /// Structures, unions, enums and intEnums that become named types: the error shapes and
    /// everything a member reaches. Operation inputs and outputs are generated in their
    /// operation's module, so they are here only when a member also targets them.
    pub types: BTreeSet<ShapeId>,
    /// Every shape the inputs, outputs and errors reach through members (simple shapes, lists
    /// and maps included).
    pub shapes: BTreeSet<ShapeId>,
}

impl Closure {
    /// Walks the closure of `service`, checking that every reference resolves and that its
    /// values nest within the limits of [`super::nesting`].
    pub fn walk(model: &Model, service: &Shape) -> Result<Closure> {
        let mut closure = Closure::default();
        let ShapeKind::Service(svc) = &service.kind else {
            return Err(Error::model(&service.id, "not a service"));
        };
        let mut errors: Vec<ShapeId> = svc.errors.clone();
        let mut resources: Vec<ShapeId> = svc.resources.clone();
        let mut operations: Vec<ShapeId> = svc.operations.clone();
        let mut seen_resources = BTreeSet::new();
        while let Some(resource) = resources.pop() {
            if !seen_resources.insert(resource.clone()) {
                continue;
            }
            let shape = lookup(model, &service.id, "resource", &resource)?;
            let ShapeKind::Resource(r) = &shape.kind else {
                return Err(Error::model(
                    &resource,
                    format!("bound as a resource but is a {}", shape.kind.type_name()),
                ));
            };
            operations.extend(r.lifecycle.iter().cloned());
            operations.extend(r.operations.iter().cloned());
            resources.extend(r.resources.iter().cloned());
        }

        let mut data_roots: Vec<(ShapeId, ShapeId)> = Vec::new();
        for op_id in operations {
            let op_shape = lookup(model, &service.id, "operation", &op_id)?;
            let ShapeKind::Operation(op) = &op_shape.kind else {
                return Err(Error::model(
                    &op_id,
                    format!("bound as an operation but is a {}", op_shape.kind.type_name()),
                ));
            };
            if !closure.operations.insert(op_id.clone()) {
                continue;
            }
            for (what, io) in [("input", &op.input), ("output", &op.output)] {
                let Some(io) = io else { continue };
                let shape = lookup(model, &op_id, what, io)?;
                if !is_unit(io) {
                    let Some(members) = members_of(&shape.kind)
                        .filter(|_| matches!(shape.kind, ShapeKind::Structure { .. }))
                    else {
                        return Err(Error::model(
                            &op_id,
                            format!("{what} `{io}` must be a structure"),
                        ));
                    };
                    for member in members {
                        data_roots.push((format!("{io}${}", member.name), member.target.clone()));
                    }
                }
            }
            errors.extend(op.errors.iter().cloned());
        }
        for error in errors {
            let shape = lookup(model, &service.id, "error", &error)?;
            if !shape.traits.has("error") || !matches!(shape.kind, ShapeKind::Structure { .. }) {
                return Err(Error::model(
                    &error,
                    "bound as an error but is not a structure with the @error trait",
                ));
            }
            data_roots.push((format!("{error} (error)"), error.clone()));
        }

        let mut seen: BTreeSet<ShapeId> = BTreeSet::new();
        while let Some((from, id)) = data_roots.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let shape = model.shape(&id).ok_or_else(|| {
                Error::model(&from, format!("targets `{id}`, which does not exist"))
            })?;
            match &shape.kind {
                ShapeKind::Structure { .. } | ShapeKind::Union { .. } if is_unit(&id) => {}
                ShapeKind::Structure { .. }
                | ShapeKind::Union { .. }
                | ShapeKind::Enum { .. }
                | ShapeKind::IntEnum { .. } => {
                    closure.types.insert(id.clone());
                }
                _ => {}
            }
            if let Some(members) = members_of(&shape.kind) {
                for member in members {
                    data_roots.push((format!("{id}${}", member.name), member.target.clone()));
                }
            }
        }
        closure.shapes = seen;
        super::nesting::check(model, &closure.shapes)?;
        Ok(closure)
    }
}

fn lookup<'m>(model: &'m Model, from: &str, what: &str, id: &str) -> Result<&'m Shape> {
    model.shape(id).ok_or_else(|| Error::model(from, format!("its {what} `{id}` does not exist")))
}

/// Member edges `(container, member)` that must hold a `Box`: those on a cycle of structure
/// and union members not broken by a list or map (which already allocate).
///
/// Every such edge is boxed, so the decision depends only on the model's shape graph and not
/// on traversal order: the same model always boxes the same members. An edge is on a cycle when
/// both ends are in one strongly connected component (linear, not a search per edge).
pub fn recursive_edges(model: &Model, types: &BTreeSet<ShapeId>) -> BTreeSet<(ShapeId, String)> {
    let aggregates: Vec<&ShapeId> = types
        .iter()
        .filter(|id| {
            matches!(model.shapes[*id].kind, ShapeKind::Structure { .. } | ShapeKind::Union { .. })
        })
        .collect();
    let number: BTreeMap<&str, usize> =
        aggregates.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    // Direct (unboxed) member edges between aggregate shapes: (member name, target).
    let edges: Vec<Vec<(&str, usize)>> = aggregates
        .iter()
        .map(|id| match &model.shapes[*id].kind {
            ShapeKind::Structure { members } | ShapeKind::Union { members } => members
                .iter()
                .filter_map(|m| number.get(m.target.as_str()).map(|&t| (m.name.as_str(), t)))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let successors: Vec<Vec<usize>> =
        edges.iter().map(|out| out.iter().map(|&(_, t)| t).collect()).collect();
    let component = super::graph::components(&successors);
    let mut boxed = BTreeSet::new();
    for (from, out) in edges.iter().enumerate() {
        for &(member, target) in out {
            if component[from] == component[target] {
                boxed.insert((aggregates[from].clone(), member.to_string()));
            }
        }
    }
    boxed
}
