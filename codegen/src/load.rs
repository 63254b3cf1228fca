//! **load**: Smithy JSON AST text → a typed [`Model`].
//!
//! Everything the AST can say is kept: every shape type of Smithy 2.0, the IDL 1.0 forms still
//! found in AWS models (`set`, the `smithy.api#enum` trait on strings, `smithy.api#box`), mixins
//! (flattened here, so later stages never see them), `apply` statements, and the prelude.
//! Traits stay JSON values; the resolver reads the ones it needs.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::prelude;

/// An absolute shape id such as `com.example#Shape`.
pub type ShapeId = String;

/// The local name of a shape id: `Shape` for `com.example#Shape`.
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// Trait values keyed by absolute trait id (`smithy.api#required`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits(pub BTreeMap<String, Value>);

impl Traits {
    /// The value of a `smithy.api#` trait, if present (`name` without namespace).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(&format!("smithy.api#{name}"))
    }

    /// Whether a `smithy.api#` trait is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The value of a trait by absolute id (`aws.protocols#restJson1`).
    pub fn get_abs(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// The `smithy.api#documentation` text.
    pub fn documentation(&self) -> Option<&str> {
        self.get("documentation").and_then(Value::as_str)
    }
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub target: ShapeId,
    pub traits: Traits,
}

/// An operation's shape references.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperationShape {
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    pub errors: Vec<ShapeId>,
}

/// A resource's shape references (only what the closure walk needs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceShape {
    pub identifiers: Vec<ShapeId>,
    pub lifecycle: Vec<ShapeId>,
    pub operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
}

/// A service shape's references.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceShape {
    pub version: Option<String>,
    pub operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
    pub errors: Vec<ShapeId>,
    /// `rename`: shape id → the name to use for it within this service.
    pub rename: BTreeMap<ShapeId, String>,
}

/// The type of a shape, with the references that type carries.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    /// `list`, or an IDL 1.0 `set` (then `unique` is true).
    List {
        member: Member,
        unique: bool,
    },
    Map {
        key: Member,
        value: Member,
    },
    Structure {
        members: Vec<Member>,
    },
    Union {
        members: Vec<Member>,
    },
    /// `enum`, or an IDL 1.0 string with the `smithy.api#enum` trait.
    Enum {
        members: Vec<EnumMember>,
    },
    IntEnum {
        members: Vec<IntEnumMember>,
    },
    Service(ServiceShape),
    Resource(ResourceShape),
    Operation(OperationShape),
}

impl ShapeKind {
    /// The Smithy name of the shape type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Blob => "blob",
            ShapeKind::Boolean => "boolean",
            ShapeKind::String => "string",
            ShapeKind::Byte => "byte",
            ShapeKind::Short => "short",
            ShapeKind::Integer => "integer",
            ShapeKind::Long => "long",
            ShapeKind::Float => "float",
            ShapeKind::Double => "double",
            ShapeKind::BigInteger => "bigInteger",
            ShapeKind::BigDecimal => "bigDecimal",
            ShapeKind::Timestamp => "timestamp",
            ShapeKind::Document => "document",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure { .. } => "structure",
            ShapeKind::Union { .. } => "union",
            ShapeKind::Enum { .. } => "enum",
            ShapeKind::IntEnum { .. } => "intEnum",
            ShapeKind::Service(_) => "service",
            ShapeKind::Resource(_) => "resource",
            ShapeKind::Operation(_) => "operation",
        }
    }

    /// Whether the IDL 1.0 rules give members targeting this shape an implicit zero default.
    pub fn is_primitive_1_0(&self) -> bool {
        matches!(
            self,
            ShapeKind::Boolean
                | ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::Long
                | ShapeKind::Float
                | ShapeKind::Double
        )
    }
}

/// A value of an `enum` shape.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumMember {
    /// The member name (IDL 2.0) or the enum trait's `name` (IDL 1.0; derived from the value if absent).
    pub name: String,
    /// The string sent on the wire.
    pub value: String,
    pub traits: Traits,
}

/// A value of an `intEnum` shape.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnumMember {
    pub name: String,
    pub value: i64,
    pub traits: Traits,
}

/// A shape with its traits (mixins already applied).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub id: ShapeId,
    pub kind: ShapeKind,
    pub traits: Traits,
}

/// A loaded model: its shapes (the prelude included) and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The `smithy` version string of the file (`"1.0"`, `"2.0"`).
    pub smithy_version: String,
    pub shapes: BTreeMap<ShapeId, Shape>,
}

impl Model {
    /// Whether the model was written in IDL 1.0 (whose `box` rules give primitives a zero default).
    pub fn is_idl_1_0(&self) -> bool {
        self.smithy_version.starts_with('1')
    }

    /// Looks a shape up by id.
    pub fn shape(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }
}

/// Parses a Smithy JSON AST document.
pub fn load_str(text: &str) -> Result<Model> {
    let root: Value = serde_json::from_str(text).map_err(|e| Error::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let root = root.as_object().ok_or_else(|| Error::Model {
        shape: None,
        message: "the document must be a JSON object with `smithy` and `shapes`".into(),
    })?;
    let smithy_version = match root.get("smithy") {
        Some(Value::String(v)) => v.clone(),
        Some(_) => {
            return Err(Error::Model {
                shape: None,
                message: "`smithy` must be a version string".into(),
            })
        }
        None => {
            return Err(Error::Model {
                shape: None,
                message: "missing the `smithy` version key".into(),
            })
        }
    };
    if !(smithy_version.starts_with("1.")
        || smithy_version.starts_with("2.")
        || smithy_version == "1"
        || smithy_version == "2")
    {
        return Err(Error::Model {
            shape: None,
            message: format!("unsupported Smithy IDL version `{smithy_version}`"),
        });
    }
    let raw_shapes = match root.get("shapes") {
        Some(Value::Object(shapes)) => shapes.clone(),
        Some(_) => {
            return Err(Error::Model { shape: None, message: "`shapes` must be an object".into() })
        }
        None => Map::new(),
    };

    let mut loader = Loader { raw: BTreeMap::new(), applies: Vec::new() };
    for (id, value) in raw_shapes {
        if !id.contains('#') {
            return Err(Error::model(&id, "shape ids must be absolute (`namespace#Name`)"));
        }
        let is_apply = value.get("type").and_then(Value::as_str) == Some("apply");
        if !is_shape_id(&id, is_apply) {
            return Err(Error::model(&id, format!("not a valid shape id: {SHAPE_ID_RULE}")));
        }
        let obj = value
            .as_object()
            .cloned()
            .ok_or_else(|| Error::model(&id, "a shape must be a JSON object"))?;
        match obj.get("type").and_then(Value::as_str) {
            Some("apply") => loader.applies.push((id, obj)),
            Some(_) => {
                loader.raw.insert(id, obj);
            }
            None => return Err(Error::model(&id, "a shape needs a string `type`")),
        }
    }

    loader.patch_applies()?;
    let mut shapes = prelude::shapes();
    shapes.extend(loader.build_all()?);
    loader.apply_traits(&mut shapes)?;
    Ok(Model { smithy_version, shapes })
}

/// What Smithy allows in a shape id, for messages.
const SHAPE_ID_RULE: &str = "Smithy identifiers are ASCII letters, digits and `_`, start with a \
     letter or `_` and hold a letter or digit (`namespace.part#Name$member`)";

/// A Smithy identifier: `(1*"_" (ALPHA / DIGIT) / ALPHA) *(ALPHA / DIGIT / "_")`. Every Rust
/// name the generator makes starts from one, so none can be empty or hold what Rust cannot.
pub fn is_identifier(text: &str) -> bool {
    let rest = text.trim_start_matches('_');
    let Some(first) = rest.chars().next() else { return false };
    (first.is_ascii_alphabetic() || (first.is_ascii_digit() && rest.len() < text.len()))
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An absolute shape id, `namespace#Name` (with `$member` for an `apply` statement's target).
fn is_shape_id(id: &str, member_allowed: bool) -> bool {
    let Some((namespace, name)) = id.split_once('#') else { return false };
    let name = match name.split_once('$') {
        Some((shape, member)) if member_allowed => is_identifier(member).then_some(shape),
        Some(_) => None,
        None => Some(name),
    };
    namespace.split('.').all(is_identifier) && name.is_some_and(is_identifier)
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message[..pos].to_string(),
        None => message.to_string(),
    }
}

struct Loader {
    raw: BTreeMap<ShapeId, Map<String, Value>>,
    applies: Vec<(ShapeId, Map<String, Value>)>,
}

impl Loader {
    /// Builds every shape, each once, its mixins before it: a depth-first walk along `mixins`
    /// with an explicit stack (a chain of a thousand mixins needs no deep call stack), where a
    /// mixin met again while its own mixins are being built is a cycle. A shape mixed into many
    /// others is flattened once and reused, so diamonds cost their size, not their paths.
    fn build_all(&self) -> Result<BTreeMap<ShapeId, Shape>> {
        let mut built: BTreeMap<ShapeId, Shape> = BTreeMap::new();
        let mut in_progress: std::collections::BTreeSet<&str> = Default::default();
        for root in self.raw.keys() {
            if built.contains_key(root) {
                continue;
            }
            // (shape, its mixins, how many of them are handled)
            let mut stack: Vec<(&str, Vec<ShapeId>, usize)> =
                vec![(root.as_str(), self.mixins_of(root)?, 0)];
            in_progress.insert(root);
            while let Some((id, mixins, next)) = stack.last_mut() {
                let id: &str = id;
                if let Some(mixin) = mixins.get(*next) {
                    *next += 1;
                    let Some((mixin, _)) = self.raw.get_key_value(mixin) else {
                        return Err(Error::model(id, format!("mixin `{mixin}` does not exist")));
                    };
                    if in_progress.contains(mixin.as_str()) {
                        return Err(Error::model(mixin, format!("mixin cycle (through `{id}`)")));
                    }
                    if !built.contains_key(mixin) {
                        in_progress.insert(mixin);
                        stack.push((mixin, self.mixins_of(mixin)?, 0));
                    }
                    continue;
                }
                let shape = self.build(id, &built)?;
                in_progress.remove(id);
                stack.pop();
                built.insert(shape.id.clone(), shape);
            }
        }
        Ok(built)
    }

    /// The mixins a shape names, in order.
    fn mixins_of(&self, id: &str) -> Result<Vec<ShapeId>> {
        let obj = self.raw.get(id).ok_or_else(|| Error::model(id, "not defined"))?;
        references(id, obj.get("mixins"), "mixins")
    }

    /// Builds one shape, flattening its mixins, which are already in `built`.
    fn build(&self, id: &str, built: &BTreeMap<ShapeId, Shape>) -> Result<Shape> {
        let obj = self.raw.get(id).ok_or_else(|| Error::model(id, "not defined"))?;
        let ty = obj.get("type").and_then(Value::as_str).unwrap_or_default();
        let local_traits = parse_traits(id, obj.get("traits"))?;

        // Mixins contribute traits (not `@mixin` itself, nor the traits a mixin declares
        // `localTraits`; a later mixin wins over an earlier one, local traits over both) and
        // members, which come before local ones.
        let mut traits = Traits::default();
        let mut inherited_members = Members::default();
        let mut inherited_enum: Latest<EnumMember> = Latest::default();
        let mut inherited_int_enum: Latest<IntEnumMember> = Latest::default();
        let mut inherited_operation = OperationShape::default();
        for mixin_id in self.mixins_of(id)? {
            let mixin = built
                .get(&mixin_id)
                .ok_or_else(|| Error::model(id, format!("mixin `{mixin_id}` does not exist")))?;
            let Some(mixin_trait) = mixin.traits.get("mixin") else {
                return Err(Error::model(
                    id,
                    format!("`{mixin_id}` is used as a mixin but lacks the @mixin trait"),
                ));
            };
            let local_only: Vec<&str> = mixin_trait
                .get("localTraits")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (trait_id, value) in &mixin.traits.0 {
                if trait_id != "smithy.api#mixin" && !local_only.contains(&trait_id.as_str()) {
                    traits.0.insert(trait_id.clone(), value.clone());
                }
            }
            match &mixin.kind {
                ShapeKind::Enum { members } => {
                    for m in members {
                        inherited_enum.push(m.name.clone(), m.clone());
                    }
                }
                ShapeKind::IntEnum { members } => {
                    for m in members {
                        inherited_int_enum.push(m.name.clone(), m.clone());
                    }
                }
                ShapeKind::Operation(op) => {
                    inherited_operation.input = op.input.clone().or(inherited_operation.input);
                    inherited_operation.output = op.output.clone().or(inherited_operation.output);
                    for e in &op.errors {
                        if !inherited_operation.errors.contains(e) {
                            inherited_operation.errors.push(e.clone());
                        }
                    }
                }
                kind => {
                    for m in members_of(kind).unwrap_or_default() {
                        inherited_members.merge(m.clone());
                    }
                }
            }
        }
        traits.0.extend(local_traits.0);

        let kind = match ty {
            "blob" => ShapeKind::Blob,
            "boolean" => ShapeKind::Boolean,
            "string" if traits.has("enum") => {
                ShapeKind::Enum { members: enum_trait_members(id, &traits)? }
            }
            "string" => ShapeKind::String,
            "byte" => ShapeKind::Byte,
            "short" => ShapeKind::Short,
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "bigInteger" => ShapeKind::BigInteger,
            "bigDecimal" => ShapeKind::BigDecimal,
            "timestamp" => ShapeKind::Timestamp,
            "document" => ShapeKind::Document,
            "list" | "set" => {
                let mut members = self.local_members(id, obj, &["member"], inherited_members)?;
                let member = take_member(id, &mut members, "member")?;
                ShapeKind::List { member, unique: ty == "set" || traits.has("uniqueItems") }
            }
            "map" => {
                let mut members =
                    self.local_members(id, obj, &["key", "value"], inherited_members)?;
                let key = take_member(id, &mut members, "key")?;
                let value = take_member(id, &mut members, "value")?;
                ShapeKind::Map { key, value }
            }
            "structure" => ShapeKind::Structure {
                members: self.local_members(id, obj, &[], inherited_members)?,
            },
            "union" => {
                ShapeKind::Union { members: self.local_members(id, obj, &[], inherited_members)? }
            }
            "enum" => {
                let members = self.local_members(id, obj, &[], inherited_members)?;
                let mut out = Vec::new();
                for m in members {
                    let value = match m.traits.get("enumValue") {
                        Some(Value::String(v)) => v.clone(),
                        Some(_) => {
                            return Err(Error::model(
                                format!("{id}${}", m.name),
                                "enumValue of an enum must be a string",
                            ))
                        }
                        None => m.name.clone(),
                    };
                    out.push(EnumMember { name: m.name, value, traits: m.traits });
                }
                for m in out {
                    inherited_enum.push(m.name.clone(), m);
                }
                ShapeKind::Enum { members: inherited_enum.into_vec() }
            }
            "intEnum" => {
                let members = self.local_members(id, obj, &[], inherited_members)?;
                let mut out = Vec::new();
                for m in members {
                    let value =
                        m.traits.get("enumValue").and_then(Value::as_i64).ok_or_else(|| {
                            Error::model(
                                format!("{id}${}", m.name),
                                "intEnum members need an integer @enumValue",
                            )
                        })?;
                    out.push(IntEnumMember { name: m.name, value, traits: m.traits });
                }
                for m in out {
                    inherited_int_enum.push(m.name.clone(), m);
                }
                ShapeKind::IntEnum { members: inherited_int_enum.into_vec() }
            }
            "service" => ShapeKind::Service(ServiceShape {
                version: obj.get("version").and_then(Value::as_str).map(str::to_string),
                operations: references(id, obj.get("operations"), "operations")?,
                resources: references(id, obj.get("resources"), "resources")?,
                errors: references(id, obj.get("errors"), "errors")?,
                rename: match obj.get("rename") {
                    Some(Value::Object(map)) => map
                        .iter()
                        .map(|(k, v)| match v.as_str() {
                            Some(s) if is_identifier(s) => Ok((k.clone(), s.to_string())),
                            Some(s) => Err(Error::model(
                                id,
                                format!("`rename` of `{k}`: `{s}` is not a valid shape name: {SHAPE_ID_RULE}"),
                            )),
                            None => Err(Error::model(id, "`rename` values must be strings")),
                        })
                        .collect::<Result<_>>()?,
                    Some(_) => return Err(Error::model(id, "`rename` must be an object")),
                    None => BTreeMap::new(),
                },
            }),
            "resource" => {
                let mut identifiers = Vec::new();
                for key in ["identifiers", "properties"] {
                    if let Some(Value::Object(map)) = obj.get(key) {
                        for (name, r) in map {
                            identifiers.push(reference(id, r, &format!("{key}.{name}"))?);
                        }
                    }
                }
                let mut lifecycle = Vec::new();
                for key in ["create", "put", "read", "update", "delete", "list"] {
                    if let Some(r) = obj.get(key) {
                        lifecycle.push(reference(id, r, key)?);
                    }
                }
                let mut operations = references(id, obj.get("operations"), "operations")?;
                operations.extend(references(
                    id,
                    obj.get("collectionOperations"),
                    "collectionOperations",
                )?);
                ShapeKind::Resource(ResourceShape {
                    identifiers,
                    lifecycle,
                    operations,
                    resources: references(id, obj.get("resources"), "resources")?,
                })
            }
            "operation" => {
                let mut errors = inherited_operation.errors;
                for e in references(id, obj.get("errors"), "errors")? {
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                }
                ShapeKind::Operation(OperationShape {
                    input: obj
                        .get("input")
                        .map(|r| reference(id, r, "input"))
                        .transpose()?
                        .or(inherited_operation.input),
                    output: obj
                        .get("output")
                        .map(|r| reference(id, r, "output"))
                        .transpose()?
                        .or(inherited_operation.output),
                    errors,
                })
            }
            other => return Err(Error::model(id, format!("unknown shape type `{other}`"))),
        };
        Ok(Shape { id: id.to_string(), kind, traits })
    }

    /// Members declared on the shape, merged over the members inherited from mixins.
    fn local_members(
        &self,
        id: &str,
        obj: &Map<String, Value>,
        fixed: &[&str],
        mut members: Members,
    ) -> Result<Vec<Member>> {
        let declared: Vec<(String, &Value)> = if fixed.is_empty() {
            match obj.get("members") {
                Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
                Some(_) => return Err(Error::model(id, "`members` must be an object")),
                None => Vec::new(),
            }
        } else {
            fixed.iter().filter_map(|name| obj.get(*name).map(|v| (name.to_string(), v))).collect()
        };
        for (name, value) in declared {
            let member_id = format!("{id}${name}");
            if !is_identifier(&name) {
                return Err(Error::model(
                    &member_id,
                    format!("not a valid member name: {SHAPE_ID_RULE}"),
                ));
            }
            let target = reference(&member_id, value, "target")?;
            let traits = parse_traits(&member_id, value.get("traits"))?;
            members.merge(Member { name, target, traits });
        }
        Ok(members.list)
    }

    /// Folds `apply` statements into the shapes' JSON before anything is built, so traits
    /// applied to a mixin (or a mixin's member) reach the shapes that use it. Applies to
    /// members a shape only inherits are kept for [`Loader::apply_traits`].
    fn patch_applies(&mut self) -> Result<()> {
        let mut remaining = Vec::new();
        for (id, obj) in std::mem::take(&mut self.applies) {
            let traits = match obj.get("traits") {
                Some(Value::Object(map)) => map.clone(),
                Some(_) => return Err(Error::model(&id, "`traits` must be an object")),
                None => Map::new(),
            };
            let (shape_id, member) = match id.split_once('$') {
                Some((s, m)) => (s.to_string(), Some(m.to_string())),
                None => (id.clone(), None),
            };
            let Some(shape) = self.raw.get_mut(&shape_id) else {
                // A prelude shape or a mistake: reported after building.
                remaining.push((id, obj));
                continue;
            };
            let target = match &member {
                None => Some(shape),
                Some(name) => shape
                    .get_mut("members")
                    .and_then(Value::as_object_mut)
                    .and_then(|members| members.get_mut(name))
                    .and_then(Value::as_object_mut)
                    .or(None),
            };
            match target {
                Some(target) => {
                    let entry = target.entry("traits").or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(existing) = entry {
                        existing.extend(traits);
                    }
                }
                None => remaining.push((id, obj)),
            }
        }
        self.applies = remaining;
        Ok(())
    }

    /// Applies what [`Loader::patch_applies`] could not: traits on inherited members.
    fn apply_traits(&self, shapes: &mut BTreeMap<ShapeId, Shape>) -> Result<()> {
        for (id, obj) in &self.applies {
            let traits = parse_traits(id, obj.get("traits"))?;
            let (shape_id, member) = match id.split_once('$') {
                Some((s, m)) => (s, Some(m)),
                None => (id.as_str(), None),
            };
            let shape = shapes
                .get_mut(shape_id)
                .ok_or_else(|| Error::model(id, "`apply` targets a shape that does not exist"))?;
            match member {
                None => shape.traits.0.extend(traits.0),
                Some(name) => {
                    let member = members_of_mut(&mut shape.kind)
                        .and_then(|ms| ms.into_iter().find(|m| m.name == name))
                        .ok_or_else(|| {
                            Error::model(id, "`apply` targets a member that does not exist")
                        })?;
                    member.traits.0.extend(traits.0);
                }
            }
        }
        Ok(())
    }
}

/// Members in declaration order, found by name in logarithmic time (a shape at the end of a
/// long mixin chain inherits every member of the chain).
#[derive(Default)]
struct Members {
    list: Vec<Member>,
    index: BTreeMap<String, usize>,
}

impl Members {
    fn merge(&mut self, member: Member) {
        if let Some(&at) = self.index.get(&member.name) {
            // A redeclared mixin member keeps its place, takes the new target and gains (or
            // overrides) traits.
            let existing = &mut self.list[at];
            existing.target = member.target;
            existing.traits.0.extend(member.traits.0);
        } else {
            self.index.insert(member.name.clone(), self.list.len());
            self.list.push(member);
        }
    }
}

/// Enum values by name where a later definition replaces an earlier one and moves to the end.
struct Latest<T> {
    slots: Vec<Option<T>>,
    index: BTreeMap<String, usize>,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Latest { slots: Vec::new(), index: BTreeMap::new() }
    }
}

impl<T> Latest<T> {
    fn push(&mut self, name: String, value: T) {
        if let Some(at) = self.index.insert(name, self.slots.len()) {
            self.slots[at] = None;
        }
        self.slots.push(Some(value));
    }

    fn into_vec(self) -> Vec<T> {
        self.slots.into_iter().flatten().collect()
    }
}

fn take_member(id: &str, members: &mut Vec<Member>, name: &str) -> Result<Member> {
    let pos = members
        .iter()
        .position(|m| m.name == name)
        .ok_or_else(|| Error::model(id, format!("missing `{name}` member")))?;
    Ok(members.remove(pos))
}

/// The members of a structure, union, list or map (for mixins and `apply`).
pub fn members_of(kind: &ShapeKind) -> Option<Vec<&Member>> {
    match kind {
        ShapeKind::Structure { members } | ShapeKind::Union { members } => {
            Some(members.iter().collect())
        }
        ShapeKind::List { member, .. } => Some(vec![member]),
        ShapeKind::Map { key, value } => Some(vec![key, value]),
        _ => None,
    }
}

fn members_of_mut(kind: &mut ShapeKind) -> Option<Vec<&mut Member>> {
    match kind {
        ShapeKind::Structure { members } | ShapeKind::Union { members } => {
            Some(members.iter_mut().collect())
        }
        ShapeKind::List { member, .. } => Some(vec![member]),
        ShapeKind::Map { key, value } => Some(vec![key, value]),
        _ => None,
    }
}

fn parse_traits(id: &str, value: Option<&Value>) -> Result<Traits> {
    match value {
        None => Ok(Traits::default()),
        Some(Value::Object(map)) => {
            Ok(Traits(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
        }
        Some(_) => Err(Error::model(id, "`traits` must be an object")),
    }
}

fn reference(id: &str, value: &Value, what: &str) -> Result<ShapeId> {
    match value.get("target") {
        Some(Value::String(target)) => Ok(target.clone()),
        _ => Err(Error::model(id, format!("`{what}` must be an object with a string `target`"))),
    }
}

fn references(id: &str, value: Option<&Value>, what: &str) -> Result<Vec<ShapeId>> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(|r| reference(id, r, what)).collect(),
        Some(_) => Err(Error::model(id, format!("`{what}` must be a list of references"))),
    }
}

/// IDL 1.0: a string shape with the `smithy.api#enum` trait becomes an enum.
fn enum_trait_members(id: &str, traits: &Traits) -> Result<Vec<EnumMember>> {
    let values = traits
        .get("enum")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::model(id, "the @enum trait must be a list"))?;
    let mut members = Vec::new();
    for definition in values {
        let value = definition
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::model(id, "every @enum definition needs a string `value`"))?;
        let name = definition
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| value.to_string());
        let mut member_traits = Traits::default();
        if let Some(doc) = definition.get("documentation") {
            member_traits.0.insert("smithy.api#documentation".into(), doc.clone());
        }
        if definition.get("deprecated").and_then(Value::as_bool) == Some(true) {
            member_traits.0.insert("smithy.api#deprecated".into(), Value::Object(Map::new()));
        }
        // IDL 1.0 marks internal values with the `internal` tag (2.0: the @internal trait).
        let tags = definition.get("tags").and_then(Value::as_array);
        if tags.is_some_and(|t| t.iter().any(|t| t.as_str() == Some("internal"))) {
            member_traits.0.insert("smithy.api#internal".into(), Value::Object(Map::new()));
        }
        members.push(EnumMember { name, value: value.to_string(), traits: member_traits });
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_shape_ids() {
        for good in ["a", "Abc", "_a", "__1", "a_b_1", "A1"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in ["", "_", "__", "1a", "a-b", "a b", "é", "a.b", "a\r\n"] {
            assert!(!is_identifier(bad), "{bad:?}");
        }
        assert!(is_shape_id("com.example#Shape", false));
        assert!(is_shape_id("com.example#Shape$member", true));
        assert!(!is_shape_id("com.example#Shape$member", false));
        assert!(!is_shape_id("com..example#Shape", false));
        assert!(!is_shape_id("ex#", false));
        assert!(!is_shape_id("ex#My-Shape", false));
        assert!(!is_shape_id("ex#Shape$", true));
    }
}
