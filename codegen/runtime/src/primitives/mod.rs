//! Values the Smithy model's simple types need beyond `std`: timestamps, blobs, documents and
//! big numbers; idempotency token providers; and the helpers the generated code shares (JSON,
//! percent-encoding, the restJson1 readers and writers).

mod big_number;
pub(crate) mod blob; // `pub(crate)`: the runtime crate's tests call `blob::base64`
#[allow(dead_code)] // the checks a given service's constraints do not use
pub(crate) mod constraints;
mod datetime;
mod document;
#[allow(dead_code)] // the encoders a given service does not use
pub(crate) mod encoding;
#[allow(dead_code)] // the functions a given service's endpoint rules do not use
pub(crate) mod endpoint_lib;
#[allow(dead_code)] // the parts of the JSON writer a given service does not use
pub(crate) mod json;
mod operation;
#[allow(dead_code)] // the parts of the matcher a given service's patterns do not use
pub(crate) mod pattern;
#[allow(dead_code)] // the readers a given service does not use
pub(crate) mod protocol;
#[cfg(feature = "server")]
#[allow(dead_code)] // the server helpers a given service does not use
pub(crate) mod server;
mod token;

pub use self::big_number::*;
pub use self::blob::*;
pub use self::datetime::*;
pub use self::document::*;
pub use self::operation::*;
pub use self::token::*;

use std::fmt;

/// A value of an enum that this version of the crate does not know.
///
/// Kept as sent, so it round-trips unchanged; it can only be made by parsing (`From<&str>`).
/// It is opaque on purpose: the enum's `as_str()` reads the value, whichever variant holds it,
/// but code cannot single out one unknown value (`Unknown(v) if v == "NEW"`), which a later
/// version that knows `NEW` would silently route to another arm.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    #[allow(dead_code)] // used only by crates with enums
    pub(crate) fn new(value: &str) -> Self {
        UnknownVariantValue(value.to_owned())
    }

    /// The value as sent (the enum's `as_str()`).
    #[allow(dead_code)] // used only by crates with enums
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// What `Debug` prints in place of a `@sensitive` value.
pub(crate) struct Redacted;

/// The redaction marker.
#[allow(dead_code)] // used only by crates whose model marks something @sensitive
pub(crate) const REDACTED: Redacted = Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*** Sensitive Data Redacted ***")
    }
}

#[cfg(feature = "serde")]
/// A map key or string read by the generated `Deserialize` impls (borrowed when possible).
#[allow(dead_code)]
pub(crate) struct Key<'de>(std::borrow::Cow<'de, str>);

#[cfg(feature = "serde")]
#[allow(dead_code)]
impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "serde")]
impl<'de> serde_core::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde_core::de::Visitor<'de> for Visitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: serde_core::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde_core::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde_core::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(feature = "serde")]
/// Reads a string, naming what was expected in the error.
#[allow(dead_code)]
pub(crate) struct StrVisitor(&'static str);

#[cfg(feature = "serde")]
#[allow(dead_code)]
impl StrVisitor {
    pub(crate) fn new(expecting: &'static str) -> Self {
        StrVisitor(expecting)
    }
}

#[cfg(feature = "serde")]
impl serde_core::de::Visitor<'_> for StrVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: serde_core::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: serde_core::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v)
    }
}

#[cfg(feature = "serde")]
/// Serializes as an empty object: the value of a union member that targets `smithy.api#Unit`.
#[allow(dead_code)]
pub(crate) struct EmptyObject;

#[cfg(feature = "serde")]
impl serde_core::Serialize for EmptyObject {
    fn serialize<S: serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde_core::ser::SerializeMap as _;
        serializer.serialize_map(Some(0))?.end()
    }
}

#[cfg(feature = "serde")]
/// A float in the document form: a number, or the string `NaN`, `Infinity` or `-Infinity`
/// (as the Smithy JSON protocols write them), since JSON numbers cannot hold those.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Float {
    value: f64,
    /// Written with `f32` precision (`1.1`, not `1.100000023841858`).
    single: bool,
}

#[cfg(feature = "serde")]
impl Float {
    /// The value.
    pub fn value(self) -> f64 {
        self.value
    }
}

#[cfg(feature = "serde")]
impl From<f64> for Float {
    fn from(value: f64) -> Self {
        Float { value, single: false }
    }
}

#[cfg(feature = "serde")]
impl From<f32> for Float {
    fn from(value: f32) -> Self {
        Float { value: f64::from(value), single: true }
    }
}

#[cfg(feature = "serde")]
impl serde_core::Serialize for Float {
    fn serialize<S: serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let v = self.value;
        if v.is_nan() {
            serializer.serialize_str("NaN")
        } else if v.is_infinite() {
            serializer.serialize_str(if v > 0.0 { "Infinity" } else { "-Infinity" })
        } else if self.single {
            serializer.serialize_f32(v as f32)
        } else {
            serializer.serialize_f64(v)
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde_core::Deserialize<'de> for Float {
    fn deserialize<D: serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde_core::de::Visitor<'_> for Visitor {
            type Value = Float;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
            }
            fn visit_f64<E: serde_core::de::Error>(self, v: f64) -> Result<Float, E> {
                Ok(Float::from(v))
            }
            fn visit_i64<E: serde_core::de::Error>(self, v: i64) -> Result<Float, E> {
                Ok(Float::from(v as f64))
            }
            fn visit_u64<E: serde_core::de::Error>(self, v: u64) -> Result<Float, E> {
                Ok(Float::from(v as f64))
            }
            fn visit_str<E: serde_core::de::Error>(self, v: &str) -> Result<Float, E> {
                match v {
                    "NaN" => Ok(Float::from(f64::NAN)),
                    "Infinity" => Ok(Float::from(f64::INFINITY)),
                    "-Infinity" => Ok(Float::from(f64::NEG_INFINITY)),
                    other => Err(E::invalid_value(serde_core::de::Unexpected::Str(other), &self)),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
