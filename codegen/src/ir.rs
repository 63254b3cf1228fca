//! The intermediate representation between the Smithy model and the emitted tokens.
//!
//! [`crate::resolve`] builds it: every Rust name, module path and field type is decided there
//! (by [`crate::resolve::symbols`]), so [`crate::emit`] only turns these values into tokens.

use serde_json::Value;

use crate::load::{ShapeId, Traits};

/// The service and everything generated for it.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: ShapeId,
    /// Cargo package name (`chime-sdk-meetings`), from `aws.api#service` `sdkId` or the shape name.
    pub crate_name: String,
    /// Human title (`smithy.api#title`, else the sdkId, else the shape name).
    pub title: String,
    /// Service documentation (raw model HTML).
    pub docs: Option<String>,
    /// The service's API version (`2021-07-15`).
    pub version: Option<String>,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`): what a client signs for and a server
    /// checks; `None` when the service is not signed with SigV4.
    pub sigv4_signing_name: Option<String>,
    pub operations: Vec<Operation>,
    /// Types in `crate::types`, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Error structures in `crate::types::error`, sorted by Rust name.
    pub errors: Vec<Structure>,
}

impl Service {
    /// The Rust path of every named type (`crate::types` and `crate::types::error`), by shape id.
    pub fn type_paths(&self) -> std::collections::BTreeMap<ShapeId, TypePath> {
        let mut paths = std::collections::BTreeMap::new();
        for def in &self.types {
            paths.insert(def.shape().clone(), def.path().clone());
        }
        for s in &self.errors {
            paths.insert(s.shape.clone(), s.path.clone());
        }
        paths
    }
}

/// One operation: its module holds the input, the output and the error enum.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: ShapeId,
    /// PascalCase name (`CreateAttendee`).
    pub name: String,
    /// Module under `crate::operation` (`create_attendee`).
    pub module: String,
    pub docs: Option<String>,
    pub input: Structure,
    pub output: Structure,
    /// Name of the error enum (`CreateAttendeeError`).
    pub error_name: String,
    /// Its catch-all variant: `Unhandled`, unless a modeled error takes that name.
    pub unhandled: String,
    /// Modeled errors, operation errors first then service errors, without duplicates.
    pub errors: Vec<ErrorRef>,
    /// Operation traits (`smithy.api#http`, `smithy.api#idempotent`, ...).
    pub traits: Traits,
}

/// A modeled error of an operation.
#[derive(Debug, Clone)]
pub struct ErrorRef {
    pub shape: ShapeId,
    /// The variant of the operation's error enum.
    pub variant: String,
    pub path: TypePath,
}

/// A named Rust type generated for a shape.
#[derive(Debug, Clone)]
pub enum TypeDef {
    Structure(Structure),
    Enum(Enum),
    IntEnum(IntEnum),
    Union(Union),
}

impl TypeDef {
    /// The shape the type is generated for.
    pub fn shape(&self) -> &ShapeId {
        match self {
            TypeDef::Structure(s) => &s.shape,
            TypeDef::Enum(e) => &e.shape,
            TypeDef::IntEnum(e) => &e.shape,
            TypeDef::Union(u) => &u.shape,
        }
    }

    pub fn path(&self) -> &TypePath {
        match self {
            TypeDef::Structure(s) => &s.path,
            TypeDef::Enum(e) => &e.path,
            TypeDef::IntEnum(e) => &e.path,
            TypeDef::Union(u) => &u.path,
        }
    }
}

/// Where a generated type lives: `crate::<module...>::<name>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypePath {
    pub module: Vec<String>,
    pub name: String,
}

/// A structure (also used for operation inputs, outputs and error shapes).
#[derive(Debug, Clone)]
pub struct Structure {
    pub shape: ShapeId,
    pub path: TypePath,
    /// The file module that holds it (`_meeting`), for types in `crate::types`.
    pub file: String,
    pub docs: Option<String>,
    pub fields: Vec<Field>,
    /// The whole shape is `@sensitive`: `Debug` redacts every field.
    pub sensitive: bool,
    /// `Some` when the shape has `@error`.
    pub error: Option<ErrorInfo>,
    pub traits: Traits,
}

impl Structure {
    /// Whether `build()` can fail (a non-optional field without a default).
    pub fn has_required_without_default(&self) -> bool {
        self.fields.iter().any(|f| !f.optional && f.default.is_none())
    }
}

/// The `@error` details of an error structure.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// `client` or `server`.
    pub fault: String,
    pub http_status: Option<u16>,
    /// The field holding the error message (a member named `message`, any case).
    pub message_field: Option<String>,
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Field {
    /// The member name in the model (the key of the document form).
    pub member: String,
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub ident: String,
    /// The builder's fluent setter: the field name, unless that would collide with another
    /// builder method (`build`, or a `set_` method of another member).
    pub method: String,
    /// The `set_` builder method name.
    pub setter: String,
    pub target: ShapeId,
    pub docs: Option<String>,
    pub ty: RustType,
    /// `Option<ty>` in the struct.
    pub optional: bool,
    /// The `@default` value, when the field is not optional and has one.
    pub default: Option<Value>,
    /// `Debug` prints `*** Sensitive Data Redacted ***` instead of the value.
    pub redact: bool,
    pub deprecated: bool,
    pub traits: Traits,
}

/// A string enum with its known values and a catch-all variant.
#[derive(Debug, Clone)]
pub struct Enum {
    pub shape: ShapeId,
    pub path: TypePath,
    pub file: String,
    pub docs: Option<String>,
    pub variants: Vec<EnumVariant>,
    /// `Unknown`, or `UnknownValue` when a modeled value already takes `Unknown`.
    pub unknown: String,
    pub sensitive: bool,
}

/// A value of an [`Enum`].
#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub ident: String,
    pub value: String,
    pub docs: Option<String>,
    pub deprecated: bool,
}

/// An integer enum.
#[derive(Debug, Clone)]
pub struct IntEnum {
    pub shape: ShapeId,
    pub path: TypePath,
    pub file: String,
    pub docs: Option<String>,
    pub variants: Vec<IntEnumVariant>,
    pub unknown: String,
    pub sensitive: bool,
}

/// A value of an [`IntEnum`].
#[derive(Debug, Clone)]
pub struct IntEnumVariant {
    pub ident: String,
    pub value: i32,
    pub docs: Option<String>,
    pub deprecated: bool,
}

/// A tagged union.
#[derive(Debug, Clone)]
pub struct Union {
    pub shape: ShapeId,
    pub path: TypePath,
    pub file: String,
    pub docs: Option<String>,
    pub variants: Vec<UnionVariant>,
    pub unknown: String,
    pub sensitive: bool,
}

/// A member of a [`Union`].
#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub member: String,
    pub ident: String,
    pub target: ShapeId,
    /// `None` for a member targeting `smithy.api#Unit`.
    pub ty: Option<RustType>,
    pub docs: Option<String>,
    pub redact: bool,
    pub deprecated: bool,
    pub traits: Traits,
}

/// The Rust type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    String,
    Blob,
    Timestamp,
    Document,
    BigInteger,
    BigDecimal,
    Named(TypePath),
    /// `Vec<T>`, or `Vec<Option<T>>` when `sparse`.
    List {
        element: Box<RustType>,
        sparse: bool,
    },
    /// `BTreeMap<K, V>`, or `BTreeMap<K, Option<V>>` when `sparse`.
    Map {
        key: Box<RustType>,
        value: Box<RustType>,
        sparse: bool,
    },
    /// `Box<T>`: breaks a recursive cycle.
    Boxed(Box<RustType>),
}

impl RustType {
    /// Whether the type is `Copy` (cheap numbers and booleans).
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            RustType::Bool
                | RustType::I8
                | RustType::I16
                | RustType::I32
                | RustType::I64
                | RustType::F32
                | RustType::F64
        )
    }
}
