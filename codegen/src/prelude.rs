//! The Smithy prelude: the `smithy.api#` shapes every model may target without defining them.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::load::{Shape, ShapeId, ShapeKind, Traits};

/// The prelude's shapes, keyed by id.
///
/// The boxed simple shapes (`smithy.api#Integer`, ...) carry `smithy.api#box` so that IDL 1.0
/// models, where unboxed numbers and booleans default to zero, treat them as nullable; the
/// `Primitive*` shapes carry the `@default` the 2.0 prelude gives them.
pub fn shapes() -> BTreeMap<ShapeId, Shape> {
    let simple: [(&str, ShapeKind, Option<Value>); 20] = [
        ("String", ShapeKind::String, None),
        ("Blob", ShapeKind::Blob, None),
        ("BigInteger", ShapeKind::BigInteger, None),
        ("BigDecimal", ShapeKind::BigDecimal, None),
        ("Timestamp", ShapeKind::Timestamp, None),
        ("Document", ShapeKind::Document, None),
        ("Boolean", ShapeKind::Boolean, None),
        ("Byte", ShapeKind::Byte, None),
        ("Short", ShapeKind::Short, None),
        ("Integer", ShapeKind::Integer, None),
        ("Long", ShapeKind::Long, None),
        ("Float", ShapeKind::Float, None),
        ("Double", ShapeKind::Double, None),
        ("PrimitiveBoolean", ShapeKind::Boolean, Some(json!(false))),
        ("PrimitiveByte", ShapeKind::Byte, Some(json!(0))),
        ("PrimitiveShort", ShapeKind::Short, Some(json!(0))),
        ("PrimitiveInteger", ShapeKind::Integer, Some(json!(0))),
        ("PrimitiveLong", ShapeKind::Long, Some(json!(0))),
        ("PrimitiveFloat", ShapeKind::Float, Some(json!(0))),
        ("PrimitiveDouble", ShapeKind::Double, Some(json!(0))),
    ];
    let mut shapes = BTreeMap::new();
    for (name, kind, default) in simple {
        let id = format!("smithy.api#{name}");
        let mut traits = Traits::default();
        match default {
            Some(value) => {
                traits.0.insert("smithy.api#default".into(), value);
            }
            None => {
                traits.0.insert("smithy.api#box".into(), json!({}));
            }
        }
        shapes.insert(id.clone(), Shape { id, kind, traits });
    }
    let unit = "smithy.api#Unit".to_string();
    let mut traits = Traits::default();
    traits.0.insert("smithy.api#unitType".into(), json!({}));
    shapes.insert(
        unit.clone(),
        Shape { id: unit, kind: ShapeKind::Structure { members: Vec::new() }, traits },
    );
    shapes
}

/// Whether a shape id is the prelude's `Unit` (no input, no output, a union variant without data).
pub fn is_unit(id: &str) -> bool {
    id == "smithy.api#Unit"
}
