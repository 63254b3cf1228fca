//! AWS's restJson1 protocol compliance suite against the crate generated for
//! `aws.protocoltests.restjson#RestJson`.
//!
//! This file is copied into the generated crate's `tests/` by `tests/protocol_compliance.rs`
//! (see `tests/protocol/README.md`); it reads the Smithy JSON AST named by
//! `$PROTOCOL_TESTS_MODEL` and runs, through the crate's `dynamic` module, every
//! `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests` case of the service's
//! operations (and the `httpResponseTests` of their error structures) whose protocol is
//! restJson1 and that applies to clients.
//!
//! Parameters are Smithy node values; they are converted to the crate's document form by
//! walking the model (blobs base64, non-finite floats as real floats, timestamps kept as epoch
//! seconds on input and written as RFC 3339 on output, big numbers as strings). Values go in
//! and come out through a small serde data model of our own ([`Node`]) rather than
//! `serde_json::Value`, because JSON values cannot hold `NaN` or the infinities.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use rest_json_protocol::dynamic::{self, Outcome};
use rest_json_protocol::primitives::FixedTokens;
use serde_json::{Map, Value};

const SERVICE: &str = "aws.protocoltests.restjson#RestJson";
const PROTOCOL: &str = "aws.protocols#restJson1";
/// The idempotency token the suite expects clients to fill in.
const TOKEN: &str = "00000000-0000-4000-8000-000000000000";
const DEFAULT_HOST: &str = "example.com";

/// Cases that test a feature the generator does not implement: not counted as failures (they
/// still run, and the test fails if one starts passing, so the list stays honest).
/// `(kind, case id, reason)`; `kind` is `"request"` or `"response"`.
const SKIPS: &[(&str, &str, &str)] = &[
    (
        "request",
        "RestJsonHttpChecksumRequired",
        "@httpChecksumRequired is not implemented: no Content-MD5 header is computed",
    ),
    (
        "request",
        "SDKAppliedContentEncoding_restJson1",
        "@requestCompression is not implemented: the body is not gzipped, Content-Encoding not set",
    ),
    (
        "request",
        "SDKAppendedGzipAfterProvidedEncoding_restJson1",
        "@requestCompression is not implemented: the body is not gzipped, Content-Encoding not set",
    ),
];

/// Cases that fail because of generator bugs already reported: still run and counted as
/// failures, but they do not fail the test (any other failure does, and so does one of these
/// passing, so the list stays honest). `(kind, case id, bug)`.
const KNOWN_FAILURES: &[(&str, &str, &str)] = &[];

// ---------------------------------------------------------------------------------------------
// A serde data model that can hold what the document form needs (including NaN)
// ---------------------------------------------------------------------------------------------

/// A value in the document form.
#[derive(Clone, Debug)]
enum Node {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(BTreeMap<String, Node>),
}

type SerdeError = serde_core::de::value::Error;

impl From<&Value> for Node {
    fn from(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => number_node(n),
            Value::String(s) => Node::Str(s.clone()),
            Value::Array(items) => Node::Seq(items.iter().map(Node::from).collect()),
            Value::Object(map) => Node::Map(map.iter().map(|(k, v)| (k.clone(), Node::from(v))).collect()),
        }
    }
}

fn number_node(n: &serde_json::Number) -> Node {
    if let Some(i) = n.as_i64() {
        Node::I64(i)
    } else if let Some(u) = n.as_u64() {
        Node::U64(u)
    } else {
        Node::F64(n.as_f64().unwrap_or(f64::NAN))
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Null => f.write_str("null"),
            Node::Bool(b) => write!(f, "{b}"),
            Node::I64(n) => write!(f, "{n}"),
            Node::U64(n) => write!(f, "{n}"),
            Node::F64(n) => write!(f, "{n:?}"),
            Node::Str(s) => write!(f, "{s:?}"),
            Node::Seq(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Node::Map(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl<'de> serde_core::Deserializer<'de> for Node {
    type Error = SerdeError;

    fn deserialize_any<V: serde_core::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::I64(n) => visitor.visit_i64(n),
            Node::U64(n) => visitor.visit_u64(n),
            Node::F64(n) => visitor.visit_f64(n),
            Node::Str(s) => visitor.visit_string(s),
            Node::Seq(items) => visitor.visit_seq(serde_core::de::value::SeqDeserializer::new(items.into_iter())),
            Node::Map(map) => visitor.visit_map(serde_core::de::value::MapDeserializer::new(map.into_iter())),
        }
    }

    fn deserialize_option<V: serde_core::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        match self {
            Node::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    serde_core::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> serde_core::de::IntoDeserializer<'de, SerdeError> for Node {
    type Deserializer = Node;
    fn into_deserializer(self) -> Node {
        self
    }
}

/// Serializes into a [`Node`].
struct NodeSerializer;

struct SeqBuilder(Vec<Node>);

struct MapBuilder {
    map: BTreeMap<String, Node>,
    key: Option<String>,
}

fn ser_error(message: &str) -> SerdeError {
    <SerdeError as serde_core::ser::Error>::custom(message)
}

impl serde_core::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = SerdeError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = serde_core::ser::Impossible<Node, SerdeError>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = serde_core::ser::Impossible<Node, SerdeError>;

    fn serialize_bool(self, v: bool) -> Result<Node, SerdeError> {
        Ok(Node::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, SerdeError> {
        Ok(Node::I64(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, SerdeError> {
        Ok(Node::I64(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, SerdeError> {
        Ok(Node::I64(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, SerdeError> {
        Ok(Node::I64(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Node, SerdeError> {
        Ok(Node::U64(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, SerdeError> {
        Ok(Node::U64(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, SerdeError> {
        Ok(Node::U64(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, SerdeError> {
        Ok(Node::U64(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, SerdeError> {
        // Through the shortest decimal text, so that 1.1f32 compares equal to 1.1.
        if v.is_finite() {
            Ok(Node::F64(v.to_string().parse().unwrap_or(f64::from(v))))
        } else {
            Ok(Node::F64(f64::from(v)))
        }
    }
    fn serialize_f64(self, v: f64) -> Result<Node, SerdeError> {
        Ok(Node::F64(v))
    }
    fn serialize_char(self, v: char) -> Result<Node, SerdeError> {
        Ok(Node::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, SerdeError> {
        Ok(Node::Str(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, SerdeError> {
        Ok(Node::Seq(v.iter().map(|b| Node::U64((*b).into())).collect()))
    }
    fn serialize_none(self) -> Result<Node, SerdeError> {
        Ok(Node::Null)
    }
    fn serialize_some<T: serde_core::Serialize + ?Sized>(self, value: &T) -> Result<Node, SerdeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, SerdeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, SerdeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, SerdeError> {
        Ok(Node::Str(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: serde_core::Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, SerdeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: serde_core::Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, SerdeError> {
        Ok(Node::Map(BTreeMap::from([(variant.to_owned(), value.serialize(NodeSerializer)?)])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, SerdeError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, SerdeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder, SerdeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerdeError> {
        Err(ser_error("tuple variants are not part of the document form"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapBuilder, SerdeError> {
        Ok(MapBuilder { map: BTreeMap::new(), key: None })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, SerdeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerdeError> {
        Err(ser_error("struct variants are not part of the document form"))
    }
}

impl serde_core::ser::SerializeSeq for SeqBuilder {
    type Ok = Node;
    type Error = SerdeError;
    fn serialize_element<T: serde_core::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.0.push(value.serialize(NodeSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Node, SerdeError> {
        Ok(Node::Seq(self.0))
    }
}

impl serde_core::ser::SerializeTuple for SeqBuilder {
    type Ok = Node;
    type Error = SerdeError;
    fn serialize_element<T: serde_core::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        serde_core::ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, SerdeError> {
        serde_core::ser::SerializeSeq::end(self)
    }
}

impl serde_core::ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Node;
    type Error = SerdeError;
    fn serialize_field<T: serde_core::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        serde_core::ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, SerdeError> {
        serde_core::ser::SerializeSeq::end(self)
    }
}

impl serde_core::ser::SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = SerdeError;
    fn serialize_key<T: serde_core::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerdeError> {
        match key.serialize(NodeSerializer)? {
            Node::Str(s) => self.key = Some(s),
            other => self.key = Some(other.to_string()),
        }
        Ok(())
    }
    fn serialize_value<T: serde_core::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        let key = self.key.take().ok_or_else(|| ser_error("a map value without a key"))?;
        if self.map.insert(key.clone(), value.serialize(NodeSerializer)?).is_some() {
            return Err(ser_error(&format!("duplicate key `{key}`")));
        }
        Ok(())
    }
    fn end(self) -> Result<Node, SerdeError> {
        Ok(Node::Map(self.map))
    }
}

impl serde_core::ser::SerializeStruct for MapBuilder {
    type Ok = Node;
    type Error = SerdeError;
    fn serialize_field<T: serde_core::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerdeError> {
        serde_core::ser::SerializeMap::serialize_entry(self, key, value)
    }
    fn end(self) -> Result<Node, SerdeError> {
        Ok(Node::Map(self.map))
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing values
// ---------------------------------------------------------------------------------------------

fn as_f64(node: &Node) -> Option<f64> {
    match node {
        Node::I64(n) => Some(*n as f64),
        Node::U64(n) => Some(*n as f64),
        Node::F64(n) => Some(*n),
        // The document form writes NaN and the infinities as these strings.
        Node::Str(s) => non_finite(s),
        _ => None,
    }
}

fn as_i128(node: &Node) -> Option<i128> {
    match node {
        Node::I64(n) => Some((*n).into()),
        Node::U64(n) => Some((*n).into()),
        _ => None,
    }
}

fn numbers_equal(a: &Node, b: &Node) -> Option<bool> {
    if let (Some(x), Some(y)) = (as_i128(a), as_i128(b)) {
        return Some(x == y);
    }
    let (x, y) = (as_f64(a)?, as_f64(b)?);
    Some(x == y || (x.is_nan() && y.is_nan()))
}

/// Every difference between `expected` and `actual`, one line each, named by path.
fn diff(expected: &Node, actual: &Node, path: &str, out: &mut Vec<String>) {
    if let Some(equal) = numbers_equal(expected, actual) {
        if !equal {
            out.push(format!("{path}: expected {expected}, got {actual}"));
        }
        return;
    }
    match (expected, actual) {
        (Node::Null, Node::Null) => {}
        (Node::Bool(a), Node::Bool(b)) if a == b => {}
        (Node::Str(a), Node::Str(b)) if a == b => {}
        (Node::Seq(a), Node::Seq(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: expected {} items {expected}, got {} items {actual}", a.len(), b.len()));
                return;
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (Node::Map(a), Node::Map(b)) => {
            for (k, x) in a {
                match b.get(k) {
                    Some(y) => diff(x, y, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: expected {x}, missing")),
                }
            }
            for (k, y) in b {
                if !a.contains_key(k) {
                    out.push(format!("{path}.{k}: not expected, got {y}"));
                }
            }
        }
        _ => out.push(format!("{path}: expected {expected}, got {actual}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

struct Model {
    shapes: Map<String, Value>,
}

fn short_name(id: &str) -> &str {
    id.rsplit('#').next().unwrap_or(id)
}

impl Model {
    fn shape(&self, id: &str) -> Option<&Value> {
        self.shapes.get(id)
    }

    /// The shape type, prelude shapes included (`smithy.api#PrimitiveLong` is `long`).
    fn type_of(&self, id: &str) -> String {
        if let Some(shape) = self.shape(id) {
            return shape["type"].as_str().unwrap_or_default().to_owned();
        }
        let name = id.strip_prefix("smithy.api#").unwrap_or_else(|| panic!("unknown shape `{id}`"));
        let name = name.strip_prefix("Primitive").unwrap_or(name);
        if name == "Unit" {
            return "structure".into();
        }
        let mut chars = name.chars();
        let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or_default();
        std::iter::once(first).chain(chars).collect()
    }

    /// The members of a structure or union, mixins flattened (name -> member, with its
    /// `target` and `traits`; a member's own traits extend those it inherits).
    fn members(&self, id: &str) -> BTreeMap<String, Value> {
        let mut out: BTreeMap<String, Value> = BTreeMap::new();
        let Some(shape) = self.shape(id) else { return out };
        for mixin in shape["mixins"].as_array().into_iter().flatten() {
            out.extend(self.members(mixin["target"].as_str().unwrap_or_default()));
        }
        for (name, member) in shape["members"].as_object().into_iter().flatten() {
            let mut merged = member.clone();
            if let Some(inherited) = out.get(name) {
                let mut traits = inherited["traits"].as_object().cloned().unwrap_or_default();
                traits.extend(member["traits"].as_object().cloned().unwrap_or_default());
                merged["traits"] = Value::Object(traits);
                if merged.get("target").is_none() {
                    merged["target"] = inherited["target"].clone();
                }
            }
            out.insert(name.clone(), merged);
        }
        out
    }

    fn has_trait(&self, id: &str, trait_id: &str) -> bool {
        self.shape(id).is_some_and(|s| s["traits"].get(trait_id).is_some())
    }

    fn member_target(&self, id: &str, member: &str) -> String {
        self.shape(id)
            .and_then(|s| s[member]["target"].as_str())
            .unwrap_or_else(|| panic!("`{id}` has no {member}"))
            .to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Smithy node values -> the document form
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    /// What `serialize_request` reads.
    Input,
    /// What the output's `Serialize` writes.
    Output,
}

fn non_finite(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Converts the node value `value` of shape `id` to the document form.
fn to_document(model: &Model, value: &Value, id: &str, dir: Direction) -> Result<Node, String> {
    let kind = model.type_of(id);
    if value.is_null() {
        return Ok(Node::Null);
    }
    match kind.as_str() {
        "structure" | "union" => {
            let object = value.as_object().ok_or_else(|| format!("`{id}`: expected an object, got {value}"))?;
            let members = model.members(id);
            let mut out = BTreeMap::new();
            for (name, v) in object {
                let member = members.get(name).ok_or_else(|| format!("`{id}` has no member `{name}`"))?;
                if v.is_null() {
                    continue; // a null member is an absent member
                }
                out.insert(name.clone(), to_document(model, v, member["target"].as_str().unwrap_or_default(), dir)?);
            }
            // What the crate reads is built by its builders, which apply `@default`s: a member
            // with a non-null default (not `@clientOptional`, outside `@input` structures) is
            // never absent from an output, whatever the params say.
            if dir == Direction::Output && kind == "structure" && !model.has_trait(id, "smithy.api#input") {
                for (name, member) in &members {
                    let traits = &member["traits"];
                    let default = traits.get("smithy.api#default").filter(|d| !d.is_null());
                    if let (Some(default), false) = (default, out.contains_key(name)) {
                        if traits.get("smithy.api#clientOptional").is_none() {
                            let target = member["target"].as_str().unwrap_or_default();
                            out.insert(name.clone(), to_document(model, default, target, dir)?);
                        }
                    }
                }
            }
            Ok(Node::Map(out))
        }
        "list" | "set" => {
            let items = value.as_array().ok_or_else(|| format!("`{id}`: expected an array, got {value}"))?;
            let target = model.member_target(id, "member");
            items.iter().map(|v| to_document(model, v, &target, dir)).collect::<Result<_, _>>().map(Node::Seq)
        }
        "map" => {
            let object = value.as_object().ok_or_else(|| format!("`{id}`: expected an object, got {value}"))?;
            let target = model.member_target(id, "value");
            let mut out = BTreeMap::new();
            for (k, v) in object {
                out.insert(k.clone(), to_document(model, v, &target, dir)?);
            }
            Ok(Node::Map(out))
        }
        "blob" => {
            let text = value.as_str().ok_or_else(|| format!("`{id}`: expected a string, got {value}"))?;
            Ok(Node::Str(base64(text.as_bytes())))
        }
        "timestamp" => match value {
            Value::Number(n) if dir == Direction::Output => {
                epoch_to_rfc3339(n).map(Node::Str).ok_or_else(|| format!("`{id}`: timestamp {n} out of range"))
            }
            Value::Number(n) => Ok(number_node(n)),
            Value::String(s) => Ok(Node::Str(s.clone())),
            other => Err(format!("`{id}`: expected a timestamp, got {other}")),
        },
        "float" | "double" => match value {
            Value::String(s) => non_finite(s).map(Node::F64).ok_or_else(|| format!("`{id}`: bad float {s:?}")),
            Value::Number(n) => Ok(Node::F64(n.as_f64().unwrap_or(f64::NAN))),
            other => Err(format!("`{id}`: expected a float, got {other}")),
        },
        "bigInteger" | "bigDecimal" => match value {
            Value::Number(n) => Ok(Node::Str(n.to_string())),
            Value::String(s) => Ok(Node::Str(s.clone())),
            other => Err(format!("`{id}`: expected a number, got {other}")),
        },
        // string, enum, intEnum, boolean, integers, document: as they are.
        _ => Ok(Node::from(value)),
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Epoch seconds (an integer, or a decimal fraction) as RFC 3339, the way the crate writes
/// timestamps in the document form: `2000-01-02T20:34:56.123Z`, no fraction when it is zero.
fn epoch_to_rfc3339(n: &serde_json::Number) -> Option<String> {
    let text = n.to_string();
    let (mut seconds, mut nanos) = if text.contains(['e', 'E']) {
        let f = n.as_f64()?;
        let whole = f.floor();
        (whole as i64, ((f - whole) * 1e9).round() as u32)
    } else {
        let negative = text.starts_with('-');
        let digits = text.trim_start_matches('-');
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let whole: i64 = whole.parse().ok()?;
        let fraction: String = fraction.chars().chain(std::iter::repeat('0')).take(9).collect();
        let nanos: u32 = fraction.parse().ok()?;
        if negative {
            (-whole, nanos)
        } else {
            (whole, nanos)
        }
    };
    if text.starts_with('-') && nanos > 0 && !text.contains(['e', 'E']) {
        seconds -= 1;
        nanos = 1_000_000_000 - nanos;
    }
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if !(1..=9999).contains(&year) {
        return None;
    }
    let mut out =
        format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", of_day / 3600, of_day / 60 % 60, of_day % 60);
    if nanos > 0 {
        let fraction = format!("{nanos:09}");
        let _ = write!(out, ".{}", fraction.trim_end_matches('0'));
    }
    out.push('Z');
    Some(out)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| char::from(b).to_digit(16);
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Request,
    Response,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::Response => "response",
        }
    }
}

struct Case {
    kind: Kind,
    /// The operation the case runs against.
    operation: String,
    /// For error response cases: the error structure's shape id.
    error: Option<String>,
    case: Map<String, Value>,
}

impl Case {
    fn id(&self) -> &str {
        self.case["id"].as_str().unwrap_or("?")
    }

    fn str(&self, key: &str) -> Option<&str> {
        self.case.get(key).and_then(Value::as_str)
    }

    fn strings(&self, key: &str) -> Vec<&str> {
        self.case.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
    }

    fn params(&self) -> Value {
        self.case.get("params").cloned().unwrap_or_else(|| Value::Object(Map::new()))
    }
}

fn applies_to_clients(case: &Value) -> bool {
    case["protocol"] == PROTOCOL && matches!(case.get("appliesTo").and_then(Value::as_str), None | Some("client"))
}

fn collect_cases(model: &Model) -> Vec<Case> {
    let service = model.shape(SERVICE).unwrap_or_else(|| panic!("the model has no `{SERVICE}`"));
    let mut operations: Vec<&str> =
        service["operations"].as_array().into_iter().flatten().filter_map(|o| o["target"].as_str()).collect();
    operations.sort_unstable();
    let mut cases = Vec::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new(); // error id -> first operation using it
    for op_id in &operations {
        let op = model.shape(op_id).unwrap_or_else(|| panic!("no operation `{op_id}`"));
        for (trait_id, kind) in
            [("smithy.test#httpRequestTests", Kind::Request), ("smithy.test#httpResponseTests", Kind::Response)]
        {
            for case in op["traits"][trait_id].as_array().into_iter().flatten() {
                if applies_to_clients(case) {
                    cases.push(Case {
                        kind,
                        operation: short_name(op_id).to_owned(),
                        error: None,
                        case: case.as_object().cloned().unwrap_or_default(),
                    });
                }
            }
        }
        for error in op["errors"].as_array().into_iter().flatten().filter_map(|e| e["target"].as_str()) {
            errors.entry(error.to_owned()).or_insert_with(|| short_name(op_id).to_owned());
        }
    }
    for error in service["errors"].as_array().into_iter().flatten().filter_map(|e| e["target"].as_str()) {
        if let Some(first) = operations.first() {
            errors.entry(error.to_owned()).or_insert_with(|| short_name(first).to_owned());
        }
    }
    for (error, operation) in errors {
        let shape = model.shape(&error).unwrap_or_else(|| panic!("no error `{error}`"));
        for case in shape["traits"]["smithy.test#httpResponseTests"].as_array().into_iter().flatten() {
            if applies_to_clients(case) {
                cases.push(Case {
                    kind: Kind::Response,
                    operation: operation.clone(),
                    error: Some(error.clone()),
                    case: case.as_object().cloned().unwrap_or_default(),
                });
            }
        }
    }
    cases
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

fn operation_shape<'m>(model: &'m Model, operation: &str) -> &'m Value {
    let id = format!("{}#{operation}", SERVICE.split('#').next().unwrap_or_default());
    model.shape(&id).unwrap_or_else(|| panic!("no operation `{id}`"))
}

fn io_shape(model: &Model, operation: &str, which: &str) -> String {
    operation_shape(model, operation)[which]["target"].as_str().unwrap_or("smithy.api#Unit").to_owned()
}

fn show_request(request: &http::Request<Vec<u8>>) -> String {
    let mut out = format!("    {} {}\n", request.method(), request.uri());
    for (name, value) in request.headers() {
        let _ = writeln!(out, "    {name}: {}", String::from_utf8_lossy(value.as_bytes()));
    }
    let body = String::from_utf8_lossy(request.body());
    let shown: String = body.chars().take(300).collect();
    let more = if shown.len() < body.len() { format!(" ... ({} bytes)", body.len()) } else { String::new() };
    let _ = writeln!(out, "    body: {shown:?}{more}");
    out
}

/// The header's value(s), joined by `, ` when repeated; `None` when absent.
fn header_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> =
        headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn compare_body(case: &Case, actual: &[u8], problems: &mut Vec<String>) {
    let Some(expected) = case.str("body") else { return };
    let media = case.str("bodyMediaType").unwrap_or_default();
    if media == "application/json" || media.ends_with("+json") {
        if expected.trim().is_empty() {
            if !actual.is_empty() {
                problems.push(format!("body: expected empty, got {:?}", String::from_utf8_lossy(actual)));
            }
            return;
        }
        let expected_json: Value = match serde_json::from_str(expected) {
            Ok(v) => v,
            Err(e) => return problems.push(format!("body: the case's JSON does not parse: {e}")),
        };
        let actual_json: Value = match serde_json::from_slice(actual) {
            Ok(v) => v,
            Err(e) => {
                return problems.push(format!(
                    "body: not JSON ({e}): {:?}, expected {expected_json}",
                    String::from_utf8_lossy(actual)
                ))
            }
        };
        let mut lines = Vec::new();
        diff(&Node::from(&expected_json), &Node::from(&actual_json), "body", &mut lines);
        problems.extend(lines);
    } else if expected.as_bytes() != actual {
        problems.push(format!("body: expected {expected:?}, got {:?}", String::from_utf8_lossy(actual)));
    }
}

/// Runs a request case; `Err` holds what differs.
fn run_request(model: &Model, case: &Case) -> Result<(), String> {
    let input = io_shape(model, &case.operation, "input");
    let params =
        to_document(model, &case.params(), &input, Direction::Input).map_err(|e| format!("harness: params: {e}"))?;
    let host = case.str("host").unwrap_or(DEFAULT_HOST);
    let endpoint = format!("https://{host}");
    let tokens = FixedTokens::new([TOKEN]);
    let request = dynamic::serialize_request(&case.operation, params.clone(), &endpoint, &tokens)
        .map_err(|e| format!("serialize_request failed: {e}\n    params: {params}"))?;

    let mut problems = Vec::new();
    if let Some(method) = case.str("method") {
        if request.method().as_str() != method {
            problems.push(format!("method: expected {method}, got {}", request.method()));
        }
    }
    if let Some(uri) = case.str("uri") {
        if request.uri().path() != uri {
            problems.push(format!("uri: expected {uri}, got {}", request.uri().path()));
        }
    }
    if let Some(resolved) = case.str("resolvedHost") {
        let actual = request.uri().host().unwrap_or_default();
        if actual != resolved {
            problems.push(format!("host: expected {resolved}, got {actual}"));
        }
    }
    let query: Vec<&str> = request.uri().query().unwrap_or_default().split('&').filter(|p| !p.is_empty()).collect();
    let mut decoded: Vec<String> = query.iter().map(|p| percent_decode(p)).collect();
    let keys: Vec<String> = query.iter().map(|p| percent_decode(p.split('=').next().unwrap_or_default())).collect();
    for expected in case.strings("queryParams") {
        let wanted = percent_decode(expected);
        match decoded.iter().position(|p| *p == wanted) {
            Some(i) => {
                decoded.remove(i);
            }
            None => problems
                .push(format!("query: expected `{expected}` in `{}`", request.uri().query().unwrap_or_default())),
        }
    }
    for forbidden in case.strings("forbidQueryParams") {
        if keys.iter().any(|k| k == forbidden) {
            problems.push(format!(
                "query: `{forbidden}` is forbidden, got `{}`",
                request.uri().query().unwrap_or_default()
            ));
        }
    }
    for required in case.strings("requireQueryParams") {
        if !keys.iter().any(|k| k == required) {
            problems
                .push(format!("query: `{required}` is required, got `{}`", request.uri().query().unwrap_or_default()));
        }
    }
    if let Some(headers) = case.case.get("headers").and_then(Value::as_object) {
        for (name, expected) in headers {
            let expected = expected.as_str().unwrap_or_default();
            match header_value(request.headers(), name) {
                Some(actual) if actual == expected => {}
                Some(actual) => problems.push(format!("header {name}: expected {expected:?}, got {actual:?}")),
                None => problems.push(format!("header {name}: expected {expected:?}, missing")),
            }
        }
    }
    for forbidden in case.strings("forbidHeaders") {
        if let Some(actual) = header_value(request.headers(), forbidden) {
            problems.push(format!("header {forbidden}: forbidden, got {actual:?}"));
        }
    }
    for required in case.strings("requireHeaders") {
        // The sans-IO request has no Content-Length: the HTTP client sets it from the body.
        if !required.eq_ignore_ascii_case("content-length") && header_value(request.headers(), required).is_none() {
            problems.push(format!("header {required}: required, missing"));
        }
    }
    compare_body(case, request.body(), &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n  request sent:\n{}", problems.join("\n"), show_request(&request)))
    }
}

/// Runs a response case; `Err` holds what differs.
fn run_response(model: &Model, case: &Case) -> Result<(), String> {
    let mut builder =
        http::Response::builder().status(case.case.get("code").and_then(Value::as_u64).unwrap_or(200) as u16);
    if let Some(headers) = case.case.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str().unwrap_or_default());
        }
    }
    let body = case.str("body").unwrap_or_default().as_bytes().to_vec();
    let response = builder.body(body).map_err(|e| format!("harness: cannot build the response: {e}"))?;
    let shape = match &case.error {
        Some(error) => error.clone(),
        None => io_shape(model, &case.operation, "output"),
    };
    let expected =
        to_document(model, &case.params(), &shape, Direction::Output).map_err(|e| format!("harness: params: {e}"))?;
    let outcome = dynamic::deserialize_response(&case.operation, &response, || NodeSerializer)
        .map_err(|e| format!("deserialize_response failed: {e}"))?;
    let mut problems = Vec::new();
    match (&case.error, outcome) {
        (None, Outcome::Output(actual)) => diff(&expected, &actual, "output", &mut problems),
        (None, Outcome::Error { report, .. }) => {
            problems.push(format!("expected the output, got an error: {report:?}"))
        }
        (Some(_), Outcome::Output(actual)) => problems.push(format!("expected an error, got the output {actual}")),
        (Some(error), Outcome::Error { report, fields }) => {
            if report.shape != Some(short_name(error)) {
                problems.push(format!(
                    "error shape: expected {}, got {:?} ({report:?})",
                    short_name(error),
                    report.shape
                ));
            }
            match fields {
                Some(actual) => diff(&expected, &actual, "error", &mut problems),
                None => problems.push("error fields: expected the modeled error's members, got none".into()),
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn lookup<'a>(list: &'a [(&str, &str, &str)], kind: Kind, id: &str) -> Option<&'a str> {
    list.iter().find(|(k, i, _)| *k == kind.name() && *i == id).map(|(_, _, why)| *why)
}

fn load() -> (Model, Vec<Case>) {
    let path =
        std::env::var_os("PROTOCOL_TESTS_MODEL").expect("PROTOCOL_TESTS_MODEL names the Smithy JSON AST of the suite");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.to_string_lossy()));
    let ast: Value = serde_json::from_str(&text).expect("the suite is JSON");
    let model = Model { shapes: ast["shapes"].as_object().expect("shapes").clone() };
    let cases = collect_cases(&model);
    (model, cases)
}

fn run(model: &Model, case: &Case) -> Result<(), String> {
    match case.kind {
        Kind::Request => run_request(model, case),
        Kind::Response => run_response(model, case),
    }
}

fn label(case: &Case) -> String {
    let error = case.error.as_deref().map(|e| format!(", error {}", short_name(e))).unwrap_or_default();
    format!("{} {} ({}{error})", case.kind.name(), case.id(), case.operation)
}

#[test]
fn rest_json_protocol_compliance() {
    let (model, cases) = load();
    for (list, name) in [(SKIPS, "SKIPS"), (KNOWN_FAILURES, "KNOWN_FAILURES")] {
        for (kind, id, _) in list {
            assert!(
                cases.iter().any(|c| c.kind.name() == *kind && c.id() == *id),
                "{name} names {kind} case `{id}`, which the suite does not have (or not for clients)"
            );
        }
    }

    #[derive(Default)]
    struct Tally {
        total: usize,
        passed: usize,
        skipped: usize,
        failed: usize,
    }
    let mut tallies: BTreeMap<Kind, Tally> = BTreeMap::new();
    let mut skipped_by_reason: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut known: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut stale = Vec::new();
    let mut report = String::new();
    for case in &cases {
        let tally = tallies.entry(case.kind).or_default();
        tally.total += 1;
        let label = label(case);
        // Skipped cases run too, only to notice when one starts passing.
        let result = run(&model, case);
        if let Some(reason) = lookup(SKIPS, case.kind, case.id()) {
            tally.skipped += 1;
            skipped_by_reason.entry(reason).or_default().push(label.clone());
            if result.is_ok() {
                stale.push(format!("{label} passes: remove it from SKIPS"));
            }
            continue;
        }
        let bug = lookup(KNOWN_FAILURES, case.kind, case.id());
        match result {
            Ok(()) => {
                tally.passed += 1;
                if bug.is_some() {
                    stale.push(format!("{label} passes: remove it from KNOWN_FAILURES"));
                }
            }
            Err(problems) => {
                tally.failed += 1;
                let tag = bug.map(|b| format!("\n  known generator bug: {b}")).unwrap_or_default();
                let _ = writeln!(report, "FAIL {label}{tag}\n  {}\n", problems.trim_end().replace('\n', "\n  "));
                match bug {
                    Some(bug) => known.entry(bug).or_default().push(label),
                    None => unexpected.push(label),
                }
            }
        }
    }

    let mut summary = format!("\nrestJson1 protocol compliance ({SERVICE}, {PROTOCOL}, cases for clients)\n");
    for (kind, t) in &tallies {
        let _ = writeln!(
            summary,
            "  {:<8} {:>3} cases: {:>3} passed, {:>2} failed, {:>2} skipped",
            kind.name(),
            t.total,
            t.passed,
            t.failed,
            t.skipped
        );
    }
    summary
        .push_str("  Content-Length is never checked: the sans-IO request carries none (the HTTP client sets it).\n");
    for (title, groups) in
        [("skipped (unsupported features)", &skipped_by_reason), ("failing (known generator bugs)", &known)]
    {
        if !groups.is_empty() {
            let _ = writeln!(summary, "  {title}:");
            for (reason, labels) in groups {
                let _ = writeln!(summary, "    {} x {reason}", labels.len());
                for label in labels {
                    let _ = writeln!(summary, "        {label}");
                }
            }
        }
    }
    if !unexpected.is_empty() {
        let _ = writeln!(summary, "  failing (unexpected): {}", unexpected.len());
        for label in &unexpected {
            let _ = writeln!(summary, "        {label}");
        }
    }
    eprintln!("{report}{summary}");
    assert!(stale.is_empty(), "the skip and known-failure lists are stale:\n{}", stale.join("\n"));
    assert!(unexpected.is_empty(), "{} unexpected failures:\n{}", unexpected.len(), unexpected.join("\n"));
}

/// The checks are not vacuous: a doctored copy of a passing case fails.
#[test]
fn doctored_cases_fail() {
    let (model, cases) = load();
    let find = |kind: Kind, id: &str| -> &Case {
        cases.iter().find(|c| c.kind == kind && c.id() == id).unwrap_or_else(|| panic!("no {} case {id}", kind.name()))
    };
    type Doctor = fn(&mut Map<String, Value>);
    let doctored: &[(Kind, &str, &str, Doctor)] = &[
        (Kind::Request, "RestJsonAllQueryStringTypes", "a query value", |c| {
            c["queryParams"][0] = "String=Hello%20where".into()
        }),
        (Kind::Request, "RestJsonAllQueryStringTypes", "a forbidden query key", |c| {
            c.insert("forbidQueryParams".into(), serde_json::json!(["Integer"]));
        }),
        (Kind::Request, "RestJsonQueryStringEscaping", "the query escaping", |c| {
            c["params"]["queryString"] = " %:/?#[]@!$&'()*+,;=".into();
        }),
        (Kind::Request, "RestJsonInputAndOutputWithStringHeaders", "a header value", |c| {
            c["headers"]["X-String"] = "Hellö".into()
        }),
        (Kind::Request, "RestJsonInputAndOutputWithStringHeaders", "a forbidden header", |c| {
            c.insert("forbidHeaders".into(), serde_json::json!(["x-string"]));
        }),
        (Kind::Request, "RestJsonInputAndOutputWithStringHeaders", "a required header", |c| {
            c.insert("requireHeaders".into(), serde_json::json!(["X-Missing"]));
        }),
        (Kind::Request, "RestJsonHttpRequestWithGreedyLabelInPath", "the path", |c| {
            c["uri"] = "/HttpRequestWithGreedyLabelInPath/foo/hello/escape/baz/there/guy".into();
        }),
        (Kind::Request, "RestJsonHttpRequestWithGreedyLabelInPath", "the method", |c| c["method"] = "POST".into()),
        (Kind::Request, "DocumentTypeInputWithObject", "a JSON body", |c| {
            c["body"] = "{\"stringValue\": \"string\", \"documentValue\": {\"foo\": \"baz\"}}".into();
        }),
        (Kind::Request, "RestJsonSupportsNaNFloatInputs", "a NaN in a JSON body", |c| {
            c["params"]["floatValue"] = "Infinity".into();
        }),
        (Kind::Request, "RestJsonHttpPayloadTraitsWithBlob", "a raw body", |c| c["body"] = "blobby blob blub".into()),
        (Kind::Request, "RestJsonEndpointTraitWithHostLabel", "the host", |c| {
            c["resolvedHost"] = "foo.baz.example.com".into()
        }),
        (Kind::Response, "RestJsonSimpleScalarProperties", "an output member", |c| {
            c["params"]["stringValue"] = "strung".into()
        }),
        (Kind::Response, "RestJsonSimpleScalarProperties", "a missing output member", |c| {
            c["params"].as_object_mut().expect("params").remove("longValue");
        }),
        (Kind::Response, "RestJsonSupportsNaNFloatInputs", "a NaN output", |c| {
            c["params"]["floatValue"] = "Infinity".into()
        }),
        (Kind::Response, "RestJsonJsonTimestamps", "a timestamp output", |c| c["params"]["normal"] = 1398796239.into()),
        (Kind::Response, "RestJsonDateTimeWithFractionalSeconds", "a fractional timestamp", |c| {
            c["params"]["datetime"] = serde_json::json!(946845296.124);
        }),
        (Kind::Response, "RestJsonJsonBlobs", "a blob output", |c| c["params"]["data"] = "valve".into()),
        (Kind::Response, "RestJsonInvalidGreetingError", "an error member", |c| c["params"]["Message"] = "Ho".into()),
        (Kind::Response, "RestJsonFooErrorUsingCode", "the error shape", |c| {
            c["body"] = "{\"code\": \"InvalidGreeting\"}".into();
        }),
    ];
    let mut missed = Vec::new();
    for (kind, id, what, doctor) in doctored {
        let original = find(*kind, id);
        assert!(
            run(&model, original).is_ok() || lookup(KNOWN_FAILURES, *kind, id).is_some(),
            "{id} should pass undoctored"
        );
        let mut case = Case {
            kind: original.kind,
            operation: original.operation.clone(),
            error: original.error.clone(),
            case: original.case.clone(),
        };
        doctor(&mut case.case);
        if run(&model, &case).is_ok() {
            missed.push(format!("{} {id}: {what}", kind.name()));
        }
    }
    assert!(missed.is_empty(), "the harness did not notice these changes:\n{}", missed.join("\n"));
}

#[test]
fn conversions() {
    let n = |text: &str| serde_json::from_str::<serde_json::Number>(text).expect("number");
    assert_eq!(epoch_to_rfc3339(&n("0")).as_deref(), Some("1970-01-01T00:00:00Z"));
    assert_eq!(epoch_to_rfc3339(&n("1576540098")).as_deref(), Some("2019-12-16T23:48:18Z"));
    assert_eq!(epoch_to_rfc3339(&n("946845296.123")).as_deref(), Some("2000-01-02T20:34:56.123Z"));
    assert_eq!(epoch_to_rfc3339(&n("951782400")).as_deref(), Some("2000-02-29T00:00:00Z"));
    assert_eq!(epoch_to_rfc3339(&n("-1.5")).as_deref(), Some("1969-12-31T23:59:58.5Z"));
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"value"), "dmFsdWU=");
    assert_eq!(percent_decode("a%20b%F0%9F%98%B9%zz%2"), "a b\u{1F639}%zz%2");
}

/// The server side of the suite (`tests/protocol/server.rs` in the project).
#[path = "compliance_server/mod.rs"]
mod server;
