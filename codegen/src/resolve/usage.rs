//! Where each named structure and union travels ([`Usage`]): reachable from operation inputs,
//! from request bodies, from response and error bodies; decided once over the IR so the
//! emitters generate exactly the writers, readers and checks that are used.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Field, Service, TypeDef, Usage, Value, ValueKind};
use crate::load::ShapeId;

/// Fills the `usage` of every structure and union of `service`.
pub fn mark(service: &mut Service) {
    // The values each named aggregate holds, by shape id.
    let mut members: BTreeMap<ShapeId, Vec<Value>> = BTreeMap::new();
    for def in &service.types {
        match def {
            TypeDef::Structure(s) => {
                members.insert(s.shape.clone(), s.fields.iter().map(|f| f.value.clone()).collect());
            }
            TypeDef::Union(u) => {
                members.insert(
                    u.shape.clone(),
                    u.variants.iter().filter_map(|v| v.value.clone()).collect(),
                );
            }
            TypeDef::Enum(_) | TypeDef::IntEnum(_) => {}
        }
    }
    for s in &service.errors {
        members.insert(s.shape.clone(), s.fields.iter().map(|f| f.value.clone()).collect());
    }

    let (mut input, mut request, mut response, mut error) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let body = |fields: &[Field]| -> Vec<Value> {
        fields.iter().filter(|f| f.http.in_body()).map(|f| f.value.clone()).collect()
    };
    for op in &service.operations {
        reach(&members, op.input.fields.iter().map(|f| f.value.clone()).collect(), &mut input);
        reach(&members, body(&op.input.fields), &mut request);
        reach(&members, body(&op.output.fields), &mut response);
        for e in &op.errors {
            error.insert(e.shape.clone());
            if let Some(s) = service.errors.iter().find(|s| s.shape == e.shape) {
                reach(&members, body(&s.fields), &mut response);
            }
        }
    }
    let usage = |id: &ShapeId| Usage {
        input: input.contains(id),
        request_body: request.contains(id),
        response_body: response.contains(id),
        error: error.contains(id),
    };
    for def in &mut service.types {
        match def {
            TypeDef::Structure(s) => s.usage = usage(&s.shape),
            TypeDef::Union(u) => u.usage = usage(&u.shape),
            TypeDef::Enum(_) | TypeDef::IntEnum(_) => {}
        }
    }
    for s in &mut service.errors {
        s.usage = usage(&s.shape);
    }
}

/// Adds to `set` the named aggregates reached from `start` (iteratively: models may nest
/// deeply).
fn reach(members: &BTreeMap<ShapeId, Vec<Value>>, start: Vec<Value>, set: &mut BTreeSet<ShapeId>) {
    let mut stack = start;
    while let Some(value) = stack.pop() {
        match value.kind {
            ValueKind::Structure(_) | ValueKind::Union { .. }
                if set.insert(value.shape.clone()) =>
            {
                if let Some(inner) = members.get(&value.shape) {
                    stack.extend(inner.iter().cloned());
                }
            }
            ValueKind::List { element, .. } => stack.push(*element),
            ValueKind::Map { key, value, .. } => {
                stack.push(*key);
                stack.push(*value);
            }
            _ => {}
        }
    }
}
