//! Smithy `document` support: untyped, JSON-like data.

use std::collections::BTreeMap;
use std::fmt;

/// A Smithy `document`: a JSON-like value whose shape is not described by the
/// model.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Document {
    /// The null value.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An ordered list of documents.
    Array(Vec<Document>),
    /// A map from string keys to documents (sorted by key).
    Object(BTreeMap<String, Document>),
}

/// A number inside a [`Document`].
///
/// Integers keep their exact value: non-negative integers are always
/// [`PosInt`](Number::PosInt) and negative ones [`NegInt`](Number::NegInt).
/// Numbers with a fraction or exponent in their source are
/// [`Float`](Number::Float).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer (always below zero).
    NegInt(i64),
    /// A floating point number.
    Float(f64),
}

impl Number {
    /// The value as `f64` (large integers may lose precision).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }

    /// The value as `i64` if it is an integer that fits; `None` for
    /// [`Float`](Number::Float) (like `serde_json::Number`).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::PosInt(v) => i64::try_from(v).ok(),
            Number::NegInt(v) => Some(v),
            Number::Float(_) => None,
        }
    }

    /// The value as `u64` if it is a non-negative integer; `None` for
    /// negative integers and [`Float`](Number::Float).
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::PosInt(v) => Some(v),
            Number::NegInt(_) | Number::Float(_) => None,
        }
    }

    /// Whether this is an integer ([`PosInt`](Number::PosInt) or
    /// [`NegInt`](Number::NegInt)).
    pub fn is_integer(&self) -> bool {
        !matches!(self, Number::Float(_))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::PosInt(v) => write!(f, "{v}"),
            Number::NegInt(v) => write!(f, "{v}"),
            Number::Float(v) => write!(f, "{v}"),
        }
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Number::PosInt(value)
    }
}

impl From<i64> for Number {
    /// Non-negative values become [`PosInt`](Number::PosInt), negative ones
    /// [`NegInt`](Number::NegInt).
    fn from(value: i64) -> Self {
        match u64::try_from(value) {
            Ok(positive) => Number::PosInt(positive),
            Err(_) => Number::NegInt(value),
        }
    }
}

impl From<u32> for Number {
    fn from(value: u32) -> Self {
        Number::PosInt(u64::from(value))
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Self {
        Number::from(i64::from(value))
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Number::Float(value)
    }
}

impl Document {
    /// Whether this is [`Document::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Document::Null)
    }

    /// The boolean, if this is a [`Document::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Document::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The number, if this is a [`Document::Number`].
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Document::Number(value) => Some(value),
            _ => None,
        }
    }

    /// The string, if this is a [`Document::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(value) => Some(value),
            _ => None,
        }
    }

    /// The elements, if this is a [`Document::Array`].
    pub fn as_array(&self) -> Option<&Vec<Document>> {
        match self {
            Document::Array(value) => Some(value),
            _ => None,
        }
    }

    /// The elements, mutably, if this is a [`Document::Array`].
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Document>> {
        match self {
            Document::Array(value) => Some(value),
            _ => None,
        }
    }

    /// The entries, if this is a [`Document::Object`].
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(value) => Some(value),
            _ => None,
        }
    }

    /// The entries, mutably, if this is a [`Document::Object`].
    pub fn as_object_mut(&mut self) -> Option<&mut BTreeMap<String, Document>> {
        match self {
            Document::Object(value) => Some(value),
            _ => None,
        }
    }
}

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Document::Bool(value)
    }
}

impl From<&str> for Document {
    fn from(value: &str) -> Self {
        Document::String(value.to_owned())
    }
}

impl From<String> for Document {
    fn from(value: String) -> Self {
        Document::String(value)
    }
}

impl From<Number> for Document {
    fn from(value: Number) -> Self {
        Document::Number(value)
    }
}

impl From<i64> for Document {
    /// See [`Number`]'s `From<i64>`.
    fn from(value: i64) -> Self {
        Document::Number(Number::from(value))
    }
}

impl From<u64> for Document {
    fn from(value: u64) -> Self {
        Document::Number(Number::PosInt(value))
    }
}

impl From<i32> for Document {
    fn from(value: i32) -> Self {
        Document::Number(Number::from(value))
    }
}

impl From<u32> for Document {
    fn from(value: u32) -> Self {
        Document::Number(Number::from(value))
    }
}

impl From<f64> for Document {
    fn from(value: f64) -> Self {
        Document::Number(Number::Float(value))
    }
}

impl From<Vec<Document>> for Document {
    fn from(value: Vec<Document>) -> Self {
        Document::Array(value)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(value: BTreeMap<String, Document>) -> Self {
        Document::Object(value)
    }
}

#[cfg(feature = "serde")]
impl ::serde_core::Serialize for Number {
    /// Serializes integers as `u64`/`i64` and floats as `f64` (`serde_json`
    /// writes non-finite floats as `null`).
    fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::PosInt(v) => serializer.serialize_u64(v),
            Number::NegInt(v) => serializer.serialize_i64(v),
            Number::Float(v) => serializer.serialize_f64(v),
        }
    }
}

#[cfg(feature = "serde")]
impl ::serde_core::Serialize for Document {
    /// Serializes as the corresponding JSON-like value.
    fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use ::serde_core::ser::{SerializeMap, SerializeSeq};
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(value) => serializer.serialize_bool(*value),
            Document::Number(value) => value.serialize(serializer),
            Document::String(value) => serializer.serialize_str(value),
            Document::Array(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for value in values {
                    seq.serialize_element(value)?;
                }
                seq.end()
            }
            Document::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(feature = "serde")]
struct NumberVisitor;

#[cfg(feature = "serde")]
impl ::serde_core::de::Visitor<'_> for NumberVisitor {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_i64<E: ::serde_core::de::Error>(self, v: i64) -> Result<Number, E> {
        Ok(Number::from(v))
    }

    fn visit_u64<E: ::serde_core::de::Error>(self, v: u64) -> Result<Number, E> {
        Ok(Number::PosInt(v))
    }

    fn visit_i128<E: ::serde_core::de::Error>(self, v: i128) -> Result<Number, E> {
        Ok(number_from_i128(v))
    }

    fn visit_u128<E: ::serde_core::de::Error>(self, v: u128) -> Result<Number, E> {
        Ok(number_from_u128(v))
    }

    fn visit_f64<E: ::serde_core::de::Error>(self, v: f64) -> Result<Number, E> {
        Ok(Number::Float(v))
    }
}

/// Exact integer when it fits `u64`/`i64`, otherwise the nearest float.
#[cfg(feature = "serde")]
fn number_from_i128(v: i128) -> Number {
    if let Ok(positive) = u64::try_from(v) {
        Number::PosInt(positive)
    } else if let Ok(negative) = i64::try_from(v) {
        Number::NegInt(negative)
    } else {
        Number::Float(v as f64)
    }
}

/// Exact integer when it fits `u64`, otherwise the nearest float.
#[cfg(feature = "serde")]
fn number_from_u128(v: u128) -> Number {
    match u64::try_from(v) {
        Ok(small) => Number::PosInt(small),
        Err(_) => Number::Float(v as f64),
    }
}

#[cfg(feature = "serde")]
impl<'de> ::serde_core::Deserialize<'de> for Number {
    /// Deserializes from any integer or floating point number.
    fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumberVisitor)
    }
}

#[cfg(feature = "serde")]
struct DocumentVisitor;

#[cfg(feature = "serde")]
impl<'de> ::serde_core::de::Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON-like value")
    }

    fn visit_bool<E: ::serde_core::de::Error>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Bool(v))
    }

    fn visit_i64<E: ::serde_core::de::Error>(self, v: i64) -> Result<Document, E> {
        Ok(Document::Number(Number::from(v)))
    }

    fn visit_u64<E: ::serde_core::de::Error>(self, v: u64) -> Result<Document, E> {
        Ok(Document::Number(Number::PosInt(v)))
    }

    fn visit_i128<E: ::serde_core::de::Error>(self, v: i128) -> Result<Document, E> {
        Ok(Document::Number(number_from_i128(v)))
    }

    fn visit_u128<E: ::serde_core::de::Error>(self, v: u128) -> Result<Document, E> {
        Ok(Document::Number(number_from_u128(v)))
    }

    fn visit_f64<E: ::serde_core::de::Error>(self, v: f64) -> Result<Document, E> {
        Ok(Document::Number(Number::Float(v)))
    }

    fn visit_str<E: ::serde_core::de::Error>(self, v: &str) -> Result<Document, E> {
        Ok(Document::String(v.to_owned()))
    }

    fn visit_string<E: ::serde_core::de::Error>(self, v: String) -> Result<Document, E> {
        Ok(Document::String(v))
    }

    fn visit_unit<E: ::serde_core::de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E: ::serde_core::de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: ::serde_core::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Document, D::Error> {
        ::serde_core::Deserialize::deserialize(deserializer)
    }

    fn visit_newtype_struct<D: ::serde_core::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Document, D::Error> {
        ::serde_core::Deserialize::deserialize(deserializer)
    }

    fn visit_seq<A: ::serde_core::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<Document, A::Error> {
        // Cap the pre-allocation: the size hint comes from untrusted input.
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(value) = seq.next_element::<Document>()? {
            values.push(value);
        }
        Ok(Document::Array(values))
    }

    fn visit_map<A: ::serde_core::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<Document, A::Error> {
        let mut entries = BTreeMap::new();
        // A repeated key keeps its last value.
        while let Some((key, value)) = map.next_entry::<String, Document>()? {
            entries.insert(key, value);
        }
        Ok(Document::Object(entries))
    }
}

#[cfg(feature = "serde")]
impl<'de> ::serde_core::Deserialize<'de> for Document {
    /// Deserializes any self-describing value. Nesting depth is bounded only
    /// by the deserializer (`serde_json` stops at 128 levels by default).
    fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}
