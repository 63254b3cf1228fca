//! **load**: Smithy JSON AST text → a typed [`Model`].
//!
//! Everything the AST can say is kept: every shape type of Smithy 2.0, the IDL 1.0 forms still
//! found in AWS models (`set`, the `smithy.api#enum` trait on strings, `smithy.api#box`), mixins
//! (flattened here, so later stages never see them), `apply` statements, and the prelude.
//! Traits stay JSON values; the resolver reads the ones it needs.
//!
//! The document is read by serde into the records of the JSON AST ([`RawShape`] and the
//! records it holds, `#[derive(Deserialize)]`); a record that is not what the AST says is an
//! error naming the shape (or member) and the field. Mixins, `apply`, the IDL 1.0 forms and the
//! checks of names are transforms of those records, after reading.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(transparent)]
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
    let mut json = serde_json::Deserializer::from_str(text);
    let Object(document): Object<RawDocument> =
        serde_path_to_error::deserialize(&mut json).map_err(read_error)?;
    json.end().map_err(|e| Error::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let smithy_version = match document.smithy {
        Some(Value::String(v)) => v,
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

    let mut loader = Loader { raw: BTreeMap::new(), applies: Vec::new() };
    for (id, shape) in document.shapes {
        if !id.contains('#') {
            return Err(Error::model(&id, "shape ids must be absolute (`namespace#Name`)"));
        }
        let is_apply = shape.ty.as_deref() == Some("apply");
        if !is_shape_id(&id, is_apply) {
            return Err(Error::model(&id, format!("not a valid shape id: {SHAPE_ID_RULE}")));
        }
        match shape.ty.as_deref() {
            Some("apply") => loader.applies.push((id, shape.0.traits)),
            Some(_) => {
                loader.raw.insert(id, shape.0);
            }
            None => return Err(Error::model(&id, "a shape needs a string `type`")),
        }
    }

    loader.patch_applies();
    let mut shapes = prelude::shapes();
    shapes.extend(loader.build_all()?);
    loader.apply_traits(&mut shapes)?;
    Ok(Model { smithy_version, shapes })
}

/// An error of serde reading the document: malformed JSON with its position, or a record that
/// is not what the JSON AST says, named by the shape (or member) and the field where it is.
fn read_error(error: serde_path_to_error::Error<serde_json::Error>) -> Error {
    use serde_path_to_error::Segment;
    let path: Vec<String> = error
        .path()
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => "?".into(),
        })
        .collect();
    let inner = error.into_inner();
    let message = strip_position(&inner.to_string());
    if !inner.is_data() {
        return Error::Json { line: inner.line(), column: inner.column(), message };
    }
    let field = |rest: &[String]| {
        if rest.is_empty() {
            message.clone()
        } else {
            format!("`{}`: {message}", rest.join("."))
        }
    };
    match path.as_slice() {
        [] => Error::Model {
            shape: None,
            message: "the document must be a JSON object with `smithy` and `shapes`".into(),
        },
        [shapes] if shapes == "shapes" => {
            Error::Model { shape: None, message: "`shapes` must be an object".into() }
        }
        [shapes, id, members, name, rest @ ..] if shapes == "shapes" && members == "members" => {
            Error::model(format!("{id}${name}"), field(rest))
        }
        [shapes, id, rest @ ..] if shapes == "shapes" => Error::model(id, field(rest)),
        rest => Error::Model { shape: None, message: field(rest) },
    }
}

/// A record read only from a JSON object (serde's derived structs also take an array of their
/// fields in order, which no JSON AST record is).
struct Object<T>(T);

/// What a record is, for the message when the JSON is not an object.
trait Record {
    const WHAT: &'static str;
}

impl<'de, T: Deserialize<'de> + Record> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Record> serde::de::Visitor<'de> for Visit<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(T::WHAT)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData)).map(Object)
    }
}

impl<T> std::ops::Deref for Object<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Object<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// The JSON AST document as serde reads it (`metadata` is not read).
#[derive(Deserialize)]
struct RawDocument {
    /// Checked after reading, for its own messages.
    #[serde(default)]
    smithy: Option<Value>,
    /// In the document's order (the first of two broken shapes is reported).
    #[serde(default)]
    shapes: IndexMap<ShapeId, Object<RawShape>>,
}

/// A shape record of the JSON AST: `type`, `traits`, `mixins`, and the fields of its type
/// (what a type does not use is left empty). `apply` statements are records too.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawShape {
    /// Checked after reading, for its own message.
    #[serde(rename = "type", default)]
    ty: Option<String>,
    #[serde(default)]
    traits: Traits,
    #[serde(default)]
    mixins: Vec<Object<RawReference>>,
    /// Structures, unions, enums and intEnums: in the document's order.
    #[serde(default)]
    members: IndexMap<String, Object<RawMember>>,
    /// Lists.
    #[serde(default)]
    member: Option<Object<RawMember>>,
    /// Maps.
    #[serde(default)]
    key: Option<Object<RawMember>>,
    #[serde(default)]
    value: Option<Object<RawMember>>,
    /// Services.
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    rename: IndexMap<ShapeId, String>,
    /// Services and resources.
    #[serde(default)]
    operations: Vec<Object<RawReference>>,
    #[serde(default)]
    resources: Vec<Object<RawReference>>,
    /// Services and operations.
    #[serde(default)]
    errors: Vec<Object<RawReference>>,
    /// Resources.
    #[serde(default)]
    identifiers: IndexMap<String, Object<RawReference>>,
    #[serde(default)]
    properties: IndexMap<String, Object<RawReference>>,
    #[serde(default)]
    create: Option<Object<RawReference>>,
    #[serde(default)]
    put: Option<Object<RawReference>>,
    #[serde(default)]
    read: Option<Object<RawReference>>,
    #[serde(default)]
    update: Option<Object<RawReference>>,
    #[serde(default)]
    delete: Option<Object<RawReference>>,
    #[serde(default)]
    list: Option<Object<RawReference>>,
    #[serde(default)]
    collection_operations: Vec<Object<RawReference>>,
    /// Operations.
    #[serde(default)]
    input: Option<Object<RawReference>>,
    #[serde(default)]
    output: Option<Object<RawReference>>,
}

/// A member record: its target and traits.
#[derive(Deserialize)]
struct RawMember {
    target: ShapeId,
    #[serde(default)]
    traits: Traits,
}

/// A shape reference: `{ "target": "ns#Shape" }`.
#[derive(Deserialize)]
struct RawReference {
    target: ShapeId,
}

impl Record for RawDocument {
    const WHAT: &'static str = "a JSON object with `smithy` and `shapes`";
}

impl Record for RawShape {
    const WHAT: &'static str = "a shape: a JSON object with a `type`";
}

impl Record for RawMember {
    const WHAT: &'static str = "a member: a JSON object with a string `target`";
}

impl Record for RawReference {
    const WHAT: &'static str = "a reference: a JSON object with a string `target`";
}

/// The targets of references, in order.
fn targets(references: &[Object<RawReference>]) -> Vec<ShapeId> {
    references.iter().map(|r| r.target.clone()).collect()
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
    raw: BTreeMap<ShapeId, RawShape>,
    /// `apply` statements: their target and the traits they apply.
    applies: Vec<(ShapeId, Traits)>,
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
        let raw = self.raw.get(id).ok_or_else(|| Error::model(id, "not defined"))?;
        Ok(targets(&raw.mixins))
    }

    /// Builds one shape, flattening its mixins, which are already in `built`.
    fn build(&self, id: &str, built: &BTreeMap<ShapeId, Shape>) -> Result<Shape> {
        let raw = self.raw.get(id).ok_or_else(|| Error::model(id, "not defined"))?;
        let ty = raw.ty.as_deref().unwrap_or_default();
        let local_traits = raw.traits.clone();

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
                let mut members =
                    local_members(id, raw.member.iter().map(|m| ("member", &m.0)), inherited_members)?;
                let member = take_member(id, &mut members, "member")?;
                ShapeKind::List { member, unique: ty == "set" || traits.has("uniqueItems") }
            }
            "map" => {
                let fixed = [("key", &raw.key), ("value", &raw.value)];
                let declared = fixed.into_iter().filter_map(|(name, m)| Some((name, &m.as_ref()?.0)));
                let mut members = local_members(id, declared, inherited_members)?;
                let key = take_member(id, &mut members, "key")?;
                let value = take_member(id, &mut members, "value")?;
                ShapeKind::Map { key, value }
            }
            "structure" => ShapeKind::Structure {
                members: local_members(id, declared(&raw.members), inherited_members)?,
            },
            "union" => ShapeKind::Union {
                members: local_members(id, declared(&raw.members), inherited_members)?,
            },
            "enum" => {
                let members = local_members(id, declared(&raw.members), inherited_members)?;
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
                let members = local_members(id, declared(&raw.members), inherited_members)?;
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
                version: raw.version.clone(),
                operations: targets(&raw.operations),
                resources: targets(&raw.resources),
                errors: targets(&raw.errors),
                rename: raw
                    .rename
                    .iter()
                    .map(|(k, s)| {
                        if is_identifier(s) {
                            Ok((k.clone(), s.clone()))
                        } else {
                            Err(Error::model(
                                id,
                                format!("`rename` of `{k}`: `{s}` is not a valid shape name: {SHAPE_ID_RULE}"),
                            ))
                        }
                    })
                    .collect::<Result<_>>()?,
            }),
            "resource" => {
                let identifiers =
                    raw.identifiers.values().chain(raw.properties.values()).map(|r| r.target.clone());
                let lifecycle = [&raw.create, &raw.put, &raw.read, &raw.update, &raw.delete, &raw.list];
                let mut operations = targets(&raw.operations);
                operations.extend(targets(&raw.collection_operations));
                ShapeKind::Resource(ResourceShape {
                    identifiers: identifiers.collect(),
                    lifecycle: lifecycle.into_iter().flatten().map(|r| r.target.clone()).collect(),
                    operations,
                    resources: targets(&raw.resources),
                })
            }
            "operation" => {
                let mut errors = inherited_operation.errors;
                for e in targets(&raw.errors) {
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                }
                let target =
                    |r: &Option<Object<RawReference>>| r.as_ref().map(|r| r.target.clone());
                ShapeKind::Operation(OperationShape {
                    input: target(&raw.input).or(inherited_operation.input),
                    output: target(&raw.output).or(inherited_operation.output),
                    errors,
                })
            }
            other => return Err(Error::model(id, format!("unknown shape type `{other}`"))),
        };
        Ok(Shape { id: id.to_string(), kind, traits })
    }

    /// Folds `apply` statements into the shape records before anything is built, so traits
    /// applied to a mixin (or a mixin's member) reach the shapes that use it. Applies to
    /// members a shape only inherits (or to a list's or map's members) are kept for
    /// [`Loader::apply_traits`].
    fn patch_applies(&mut self) {
        let mut remaining = Vec::new();
        for (id, traits) in std::mem::take(&mut self.applies) {
            let (shape_id, member) = match id.split_once('$') {
                Some((s, m)) => (s, Some(m)),
                None => (id.as_str(), None),
            };
            // A prelude shape or a mistake is reported after building.
            let target = self.raw.get_mut(shape_id).and_then(|shape| match member {
                None => Some(&mut shape.traits),
                Some(name) => shape.members.get_mut(name).map(|m| &mut m.traits),
            });
            match target {
                Some(target) => target.0.extend(traits.0),
                None => remaining.push((id, traits)),
            }
        }
        self.applies = remaining;
    }

    /// Applies what [`Loader::patch_applies`] could not: traits on inherited members.
    fn apply_traits(&self, shapes: &mut BTreeMap<ShapeId, Shape>) -> Result<()> {
        for (id, traits) in &self.applies {
            let traits = traits.clone();
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

/// The members a structure, union or enum record declares, by name.
fn declared(
    members: &IndexMap<String, Object<RawMember>>,
) -> impl Iterator<Item = (&str, &RawMember)> {
    members.iter().map(|(name, m)| (name.as_str(), &m.0))
}

/// The members declared on the shape `id`, merged over the members inherited from mixins.
fn local_members<'r>(
    id: &str,
    declared: impl Iterator<Item = (&'r str, &'r RawMember)>,
    mut members: Members,
) -> Result<Vec<Member>> {
    for (name, raw) in declared {
        if !is_identifier(name) {
            return Err(Error::model(
                format!("{id}${name}"),
                format!("not a valid member name: {SHAPE_ID_RULE}"),
            ));
        }
        members.merge(Member {
            name: name.to_string(),
            target: raw.target.clone(),
            traits: raw.traits.clone(),
        });
    }
    Ok(members.list)
}

/// An IDL 1.0 `smithy.api#enum` definition.
#[derive(Deserialize)]
struct EnumDefinition {
    value: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    documentation: Option<Value>,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    tags: Vec<String>,
}

/// IDL 1.0: a string shape with the `smithy.api#enum` trait becomes an enum.
fn enum_trait_members(id: &str, traits: &Traits) -> Result<Vec<EnumMember>> {
    let definitions = traits.get("enum").map(Vec::<EnumDefinition>::deserialize);
    let Some(definitions) = definitions else {
        return Err(Error::model(id, "the @enum trait must be a list"));
    };
    let definitions = definitions.map_err(|e| Error::model(id, format!("the @enum trait: {e}")))?;
    let mut members = Vec::new();
    for definition in definitions {
        let mut member_traits = Traits::default();
        if let Some(doc) = definition.documentation {
            member_traits.0.insert("smithy.api#documentation".into(), doc);
        }
        if definition.deprecated {
            member_traits.0.insert("smithy.api#deprecated".into(), Value::Object(Map::new()));
        }
        // IDL 1.0 marks internal values with the `internal` tag (2.0: the @internal trait).
        if definition.tags.iter().any(|t| t == "internal") {
            member_traits.0.insert("smithy.api#internal".into(), Value::Object(Map::new()));
        }
        members.push(EnumMember {
            name: definition.name.unwrap_or_else(|| definition.value.clone()),
            value: definition.value,
            traits: member_traits,
        });
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

#[cfg(test)]
mod read_tests {
    use super::*;

    fn error(text: &str) -> String {
        load_str(text).expect_err(text).to_string()
    }

    #[test]
    fn records_that_are_not_the_ast_name_their_shape_and_field() {
        let shape = |json: &str| format!(r#"{{"smithy": "2.0", "shapes": {{"ex#A": {json}}}}}"#);
        for (text, expected) in [
            ("[1, 2]".to_string(), "invalid model: the document must be a JSON object with `smithy` and `shapes`"),
            (r#"{"smithy": "2.0", "shapes": []}"#.to_string(), "invalid model: `shapes` must be an object"),
            (r#"{"shapes": {}}"#.to_string(), "invalid model: missing the `smithy` version key"),
            (r#"{"smithy": 2}"#.to_string(), "invalid model: `smithy` must be a version string"),
            (shape(r#"["string"]"#), "invalid model: shape `ex#A`: invalid type: sequence, expected a shape: a JSON object with a `type`"),
            (shape(r#"{"traits": {}}"#), "invalid model: shape `ex#A`: a shape needs a string `type`"),
            (shape(r#"{"type": 1}"#), "invalid model: shape `ex#A`: `type`: invalid type: integer `1`, expected a string"),
            (shape(r#"{"type": "widget"}"#), "invalid model: shape `ex#A`: unknown shape type `widget`"),
            (shape(r#"{"type": "structure", "traits": []}"#), "invalid model: shape `ex#A`: `traits`: invalid type: sequence, expected a map"),
            (shape(r#"{"type": "structure", "mixins": {}}"#), "invalid model: shape `ex#A`: `mixins`: invalid type: map, expected a sequence"),
            (shape(r#"{"type": "structure", "members": {"m": "ex#B"}}"#), "invalid model: member `ex#A$m`: invalid type: string \"ex#B\", expected a member: a JSON object with a string `target`"),
            (shape(r#"{"type": "structure", "members": {"m": {"target": 1}}}"#), "invalid model: member `ex#A$m`: `target`: invalid type: integer `1`, expected a string"),
            (shape(r#"{"type": "structure", "members": {"m": {}}}"#), "invalid model: member `ex#A$m`: missing field `target`"),
            (shape(r#"{"type": "list", "member": ["ex#B"]}"#), "invalid model: shape `ex#A`: `member`: invalid type: sequence, expected a member: a JSON object with a string `target`"),
            (shape(r#"{"type": "service", "operations": [{"target": "ex#Op"}, "ex#Op2"]}"#), "invalid model: shape `ex#A`: `operations.1`: invalid type: string \"ex#Op2\", expected a reference: a JSON object with a string `target`"),
            (shape(r#"{"type": "string", "traits": {"smithy.api#enum": [{"name": "A"}]}}"#), "invalid model: shape `ex#A`: the @enum trait: missing field `value`"),
            (shape(r#"{"type": "structure", "members": {"m": {"target": "ex#B"}}}"#).replace("\"m\"", "\"m-1\""), "invalid model: member `ex#A$m-1`: not a valid member name"),
        ] {
            let message = error(&text);
            assert!(message.starts_with(expected), "{text}\n  gives: {message}\n  wants: {expected}");
        }
        // Malformed JSON is reported with its position, not as a model error.
        assert_eq!(
            error("{\"smithy\": \"2.0\",\n \"shapes\": {\"ex#A\": {\"type\": }}}"),
            "malformed JSON at line 2, column 30: expected value"
        );
        assert_eq!(
            error("{\"smithy\": \"2.0\"} x"),
            "malformed JSON at line 1, column 19: trailing characters"
        );
    }

    #[test]
    fn records_are_read_in_the_documents_order() {
        let model = load_str(
            r#"{"smithy": "2.0", "metadata": {"x": 1}, "shapes": {
                "ex#S": {"type": "structure", "members": {
                    "z": {"target": "smithy.api#String"},
                    "a": {"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}}}
                }, "unknownField": true},
                "ex#S$a": {"type": "apply", "traits": {"smithy.api#documentation": "A."}},
                "ex#L": {"type": "set", "member": {"target": "ex#S"}},
                "ex#E": {"type": "string", "traits": {"smithy.api#enum": [
                    {"value": "v", "name": "V", "tags": ["internal"], "deprecated": true}
                ]}}
            }}"#,
        )
        .expect("loads");
        let ShapeKind::Structure { members } = &model.shapes["ex#S"].kind else { panic!() };
        let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["z", "a"]);
        assert!(members[1].traits.has("required"));
        assert_eq!(members[1].traits.documentation(), Some("A."));
        assert!(matches!(model.shapes["ex#L"].kind, ShapeKind::List { unique: true, .. }));
        let ShapeKind::Enum { members } = &model.shapes["ex#E"].kind else { panic!() };
        assert_eq!((members[0].name.as_str(), members[0].value.as_str()), ("V", "v"));
        assert!(members[0].traits.has("internal") && members[0].traits.has("deprecated"));
    }
}
