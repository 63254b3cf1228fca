//! The class of each change: its effect on the users of the generated crate.
//!
//! The rules follow the evaluators of Smithy's `smithy diff` (`RemovedShape`,
//! `RemovedOperationError`, `ChangedMemberTarget`, `AddedRequiredMember`, `ChangedNullability`,
//! `ChangedDefault`, `ChangedEnumTrait`, `ChangedLengthTrait`, `ChangedRangeTrait`,
//! `TraitBreakingChange`), adjusted to the Rust API this generator emits:
//!
//! - structures, enums, unions and operation error enums are `#[non_exhaustive]`, so a new
//!   member, enum value, union variant or modeled error is **additive**;
//! - removing anything (operation, member, type, enum value, error) is **breaking**;
//! - a changed member type (other than between two simple shapes of the same Smithy type, which
//!   are the same Rust type) is **breaking**;
//! - a new `@required` member without a default is **breaking** (Smithy's `AddedRequiredMember`:
//!   old callers do not send it; a builder's `build()` starts failing);
//! - the members of an operation's input are all `Option` in the generated crate, so a member of
//!   an input becoming `@required` changes no Rust type: it is still classed **breaking**,
//!   because it is a *behaviour* change (a call that omitted it is now refused by the service);
//!   an input member that is no longer required is **patch**. Elsewhere a change of
//!   `@required` or `@default` that changes a field between `T` and `Option<T>` is **breaking**;
//! - a stricter constraint (`@length`/`@range` narrowed, a `@pattern` added or changed) is
//!   **breaking** (it can reject values that were valid); a looser one is **patch**;
//! - changes of protocol bindings (`@http`, `@jsonName`, `@httpHeader`, `@timestampFormat`...)
//!   are **breaking** (the wire format changes under unchanged code); `@deprecated`,
//!   `@sensitive`, `@paginated`, `@idempotencyToken` and other traits are **patch**;
//! - documentation, endpoint rule sets and endpoint tests are **patch**.

use serde_json::Value;

use crate::load::{EnumMember, IntEnumMember, Member, Model, Shape, ShapeKind, Traits};
use crate::resolve::symbols;

use super::Part;

/// The effect of a change on the generated crate's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// No API change: documentation, endpoints, relaxed constraints (semver patch).
    Patch,
    /// New API, nothing existing breaks (semver minor).
    Additive,
    /// Existing code or calls may break (semver major).
    Breaking,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Patch => "patch",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

/// A classified change: its kind tag, its description, its class.
pub type Classified = (&'static str, String, Class);

/// A member that is new: its class, and a note for the message.
pub fn added_member(
    required: bool,
    has_default: bool,
    in_union: bool,
    part: Part,
) -> (Class, &'static str) {
    if in_union {
        (Class::Additive, " (union variant)")
    } else if required && !has_default {
        match part {
            Part::Request => (Class::Breaking, " (required)"),
            _ => (Class::Breaking, " (required: builders of this structure now need it)"),
        }
    } else if required {
        (Class::Additive, " (required, with a default)")
    } else {
        (Class::Additive, "")
    }
}

/// A change of `@required` (`now_required`), on an operation input's member (`input`) or
/// elsewhere; `optionality_changed` when the Rust field moves between `T` and `Option<T>`.
pub fn required_change(
    now_required: bool,
    input: bool,
    optionality_changed: bool,
    part: Part,
) -> (Class, &'static str) {
    match (now_required, input) {
        (true, true) => (Class::Breaking, " (behaviour: requests without it are refused)"),
        (false, true) => (Class::Patch, ""),
        _ if optionality_changed => (
            Class::Breaking,
            if now_required {
                " (field is no longer an `Option`)"
            } else {
                " (field becomes an `Option`)"
            },
        ),
        _ if now_required && part == Part::Request => (Class::Breaking, ""),
        _ => (Class::Patch, ""),
    }
}

/// The member's effective default, as the resolver computes it: `@default` (but `null` is
/// none), or IDL 1.0's zero for an unboxed boolean or number.
pub fn default_value(model: &Model, member: &Member, target: &Shape) -> Option<Value> {
    if let Some(value) = member.traits.get("default") {
        return (!value.is_null()).then(|| value.clone());
    }
    if model.is_idl_1_0()
        && target.kind.is_primitive_1_0()
        && !target.traits.has("box")
        && !member.traits.has("box")
    {
        return Some(match target.kind {
            ShapeKind::Boolean => Value::Bool(false),
            _ => Value::from(0),
        });
    }
    None
}

/// Whether two defaults are equal (numbers by value: `0` and `0.0` are the same default).
pub fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// `@length` and `@range` bounds.
fn bounds(traits: &Traits, name: &str) -> Option<(Option<f64>, Option<f64>)> {
    let value = traits.get(name)?;
    let get = |key: &str| {
        value.get(key).and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
    };
    Some((get("min"), get("max")))
}

fn show_bounds(b: Option<(Option<f64>, Option<f64>)>) -> String {
    match b {
        None => "none".into(),
        Some((min, max)) => {
            let show = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
            format!("{}..{}", show(min), show(max))
        }
    }
}

/// Changes of `@length`, `@range` and `@pattern` between two trait sets.
pub fn constraints(old: &Traits, new: &Traits) -> Vec<Classified> {
    let mut out = Vec::new();
    for (name, kind) in [("length", "length-changed"), ("range", "range-changed")] {
        let (a, b) = (bounds(old, name), bounds(new, name));
        if a == b {
            continue;
        }
        let (amin, amax) = a.unwrap_or((None, None));
        let (bmin, bmax) = b.unwrap_or((None, None));
        // Narrower when a bound appears or moves inward.
        let narrower_min = match (amin, bmin) {
            (None, Some(_)) => true,
            (Some(x), Some(y)) => y > x,
            _ => false,
        };
        let narrower_max = match (amax, bmax) {
            (None, Some(_)) => true,
            (Some(x), Some(y)) => y < x,
            _ => false,
        };
        let class = if narrower_min || narrower_max { Class::Breaking } else { Class::Patch };
        let how = if class == Class::Breaking { "tightened" } else { "loosened" };
        out.push((kind, format!("@{name} {how}: {} → {}", show_bounds(a), show_bounds(b)), class));
    }
    let (a, b) =
        (old.get("pattern").and_then(Value::as_str), new.get("pattern").and_then(Value::as_str));
    match (a, b) {
        (None, Some(p)) => {
            out.push(("pattern-added", format!("@pattern added: `{p}`"), Class::Breaking))
        }
        (Some(p), None) => {
            out.push(("pattern-removed", format!("@pattern removed (was `{p}`)"), Class::Patch))
        }
        (Some(x), Some(y)) if x != y => {
            out.push((
                "pattern-changed",
                format!("@pattern changed: `{x}` → `{y}`"),
                Class::Breaking,
            ));
        }
        _ => {}
    }
    out
}

/// Values of an enum: matched by the value sent on the wire; a value whose Rust variant name
/// changes is renamed (breaking), as is a removed value.
pub fn enum_values(old: &[EnumMember], new: &[EnumMember]) -> Vec<Classified> {
    let mut out = Vec::new();
    for m in old {
        match new.iter().find(|x| x.value == m.value) {
            None => out.push((
                "enum-value-removed",
                format!("value `{}` removed", m.value),
                Class::Breaking,
            )),
            Some(x) if symbols::variant_name(&x.name) != symbols::variant_name(&m.name) => out
                .push((
                    "enum-value-renamed",
                    format!(
                        "value `{}` renamed: variant `{}` → `{}`",
                        m.value,
                        symbols::variant_name(&m.name),
                        symbols::variant_name(&x.name)
                    ),
                    Class::Breaking,
                )),
            Some(_) => {}
        }
    }
    for m in new {
        if !old.iter().any(|x| x.value == m.value) {
            out.push(("enum-value-added", format!("value `{}` added", m.value), Class::Additive));
        }
    }
    out
}

/// Values of an intEnum, matched by name.
pub fn int_enum_values(old: &[IntEnumMember], new: &[IntEnumMember]) -> Vec<Classified> {
    let mut out = Vec::new();
    for m in old {
        match new.iter().find(|x| x.name == m.name) {
            None => out.push((
                "enum-value-removed",
                format!("`{}` ({}) removed", m.name, m.value),
                Class::Breaking,
            )),
            Some(x) if x.value != m.value => out.push((
                "enum-value-changed",
                format!("`{}` changed value: {} → {}", m.name, m.value, x.value),
                Class::Breaking,
            )),
            Some(_) => {}
        }
    }
    for m in new.iter().filter(|m| !old.iter().any(|x| x.name == m.name)) {
        out.push((
            "enum-value-added",
            format!("`{}` ({}) added", m.name, m.value),
            Class::Additive,
        ));
    }
    out
}

/// Traits whose change alters the wire format the generated code reads and writes.
const PROTOCOL_TRAITS: &[&str] = &[
    "smithy.api#http",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#httpError",
    "smithy.api#jsonName",
    "smithy.api#timestampFormat",
    "smithy.api#mediaType",
    "smithy.api#endpoint",
    "smithy.api#hostLabel",
    "smithy.api#streaming",
    "smithy.api#eventPayload",
    "smithy.api#eventHeader",
    "aws.protocols#restJson1",
];

/// Any other trait added, removed or changed.
pub fn trait_change(name: &str, old: Option<&Value>, new: Option<&Value>) -> Classified {
    let short = name.strip_prefix("smithy.api#").unwrap_or(name);
    let what = match (old, new) {
        (None, _) => "added",
        (_, None) => "removed",
        _ => "changed",
    };
    let class = if PROTOCOL_TRAITS.contains(&name) { Class::Breaking } else { Class::Patch };
    let detail = match new {
        Some(v) if matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)) => {
            format!(" ({v})")
        }
        Some(v) if name == "smithy.api#http" => {
            format!(
                " ({} {})",
                v.get("method").and_then(Value::as_str).unwrap_or("?"),
                v.get("uri").and_then(Value::as_str).unwrap_or("?")
            )
        }
        _ => String::new(),
    };
    ("trait-changed", format!("@{short} {what}{detail}"), class)
}
