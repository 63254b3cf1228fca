//! **resolve**: a loaded [`Model`] → the [`ir::Service`](crate::ir::Service) to emit.
//!
//! [`closure`] finds the shapes the service reaches; this module decides, for each of them,
//! where its Rust type lives and what every member becomes (optionality, defaults, boxing of
//! recursive shapes, redaction). Names come from [`symbols`].

pub mod closure;
pub mod endpoint;
pub mod graph;
pub mod http;
pub mod nesting;
pub mod protocol_tests;
pub mod streaming;
pub mod symbols;
pub mod usage;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::{
    Bounds, Constraints, DefIndex, Enum, EnumVariant, ErrorInfo, ErrorRef, Field, HttpBinding,
    IntEnum, IntEnumVariant, Operation, Pagination, PathSegment, RustType, Service, Structure,
    TimestampFormat, TypeDef, TypePath, Union, UnionVariant, Usage, Value as IrValue, ValueKind,
};
use crate::load::{shape_name, Member, Model, Shape, ShapeId, ShapeKind, Traits};
use crate::prelude::is_unit;

/// The protocol this generator implements.
pub const REST_JSON_1: &str = "aws.protocols#restJson1";

/// Protocol traits the generator recognizes (to name them in its refusal).
const OTHER_PROTOCOLS: &[&str] = &[
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restXml",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "smithy.protocols#rpcv2Cbor",
];

/// Options of the resolve stage.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The service to generate, when the model holds several.
    pub service: Option<ShapeId>,
    /// Protocol test cases emitted with `#[ignore]` (see [`crate::emit::protocol_tests`]).
    pub known_failures: Vec<crate::emit::protocol_tests::KnownFailure>,
}

/// Resolves the model's (single, or chosen) restJson1 service.
pub fn resolve(model: &Model, options: &Options) -> Result<Service> {
    let service = find_service(model, options)?;
    check_protocol(service)?;
    let closure = closure::Closure::walk(model, service)?;
    Resolver::new(model, service, &closure)?.service()
}

/// Loads a Smithy JSON AST and resolves its service: [`crate::load::load_str`], then [`resolve`].
pub fn resolve_str(model_json: &str, options: &Options) -> Result<Service> {
    resolve(&crate::load::load_str(model_json)?, options)
}

pub(crate) fn find_service<'m>(model: &'m Model, options: &Options) -> Result<&'m Shape> {
    let services: Vec<&Shape> =
        model.shapes.values().filter(|s| matches!(s.kind, ShapeKind::Service(_))).collect();
    match (&options.service, services.as_slice()) {
        (Some(id), _) => services.iter().find(|s| &s.id == id).copied().ok_or_else(|| {
            Error::Model { shape: Some(id.clone()), message: "no such service in the model".into() }
        }),
        (None, []) => {
            Err(Error::Model { shape: None, message: "the model has no service shape".into() })
        }
        (None, [one]) => Ok(one),
        (None, many) => Err(Error::Model {
            shape: None,
            message: format!(
                "the model has several service shapes ({}); choose one with --service",
                many.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

fn check_protocol(service: &Shape) -> Result<()> {
    if service.traits.get_abs(REST_JSON_1).is_some() {
        return Ok(());
    }
    let other: Vec<&str> =
        OTHER_PROTOCOLS.iter().copied().filter(|p| service.traits.get_abs(p).is_some()).collect();
    let message = if other.is_empty() {
        format!("no protocol trait; only {REST_JSON_1} is supported")
    } else {
        format!("unsupported protocol {}; only {REST_JSON_1} is supported", other.join(", "))
    };
    Err(Error::unsupported(&service.id, message))
}

/// Whether `name` is an HTTP field name: one or more token characters (RFC 9110, section 5.1).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The names a structure's or union's members take on the wire: `@httpHeader` names and
/// `@httpPrefixHeaders` prefixes must be header names (a `\r\n` in one would be a header
/// injection, any other character a request the `http` crate refuses); two members may not bind
/// the same header (case-insensitively) or the same `@httpQuery` key, nor share a JSON key (their
/// `@jsonName`, else their name: a reader would match one key twice).
fn check_wire_names(shape: &str, members: &[Member]) -> Result<()> {
    let mut headers: BTreeMap<String, &str> = BTreeMap::new();
    let mut queries: BTreeMap<&str, &str> = BTreeMap::new();
    let mut json_keys: BTreeMap<&str, &str> = BTreeMap::new();
    for m in members {
        let member_id = || format!("{shape}${}", m.name);
        let text = |name: &str| m.traits.get(name).map(|v| v.as_str().ok_or(v));
        let json_key = match text("jsonName") {
            None => m.name.as_str(),
            Some(Ok(key)) => key,
            Some(Err(v)) => {
                return Err(Error::model(
                    member_id(),
                    format!("@jsonName must be a string, not {v}"),
                ))
            }
        };
        if let Some(other) = json_keys.insert(json_key, &m.name) {
            return Err(Error::model(
                member_id(),
                format!("has the JSON key `{json_key}`, as member `{other}` does"),
            ));
        }
        if let Some(header) = text("httpHeader") {
            let header = header.map_err(|v| {
                Error::model(member_id(), format!("@httpHeader must be a string, not {v}"))
            })?;
            if !is_header_name(header) {
                return Err(Error::model(
                    member_id(),
                    format!("@httpHeader {header:?} is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
                ));
            }
            if let Some(other) = headers.insert(header.to_ascii_lowercase(), &m.name) {
                return Err(Error::model(
                    member_id(),
                    format!("binds the header `{header}`, as member `{other}` does"),
                ));
            }
        }
        if let Some(prefix) = text("httpPrefixHeaders") {
            let prefix = prefix.map_err(|v| {
                Error::model(member_id(), format!("@httpPrefixHeaders must be a string, not {v}"))
            })?;
            if !prefix.is_empty() && !is_header_name(prefix) {
                return Err(Error::model(
                    member_id(),
                    format!("@httpPrefixHeaders {prefix:?} is not the start of an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
                ));
            }
        }
        if let Some(Ok(key)) = text("httpQuery") {
            if let Some(other) = queries.insert(key, &m.name) {
                return Err(Error::model(
                    member_id(),
                    format!("binds the query parameter `{key}`, as member `{other}` does"),
                ));
            }
        }
    }
    Ok(())
}

/// Two members of an enum (or intEnum) may not have one value: the generated `From` would
/// match it twice, and a value read could not say which member it is.
fn check_distinct_values<'a, V: Ord + std::fmt::Debug + 'a>(
    shape: &str,
    members: impl IntoIterator<Item = (&'a String, &'a V)>,
) -> Result<()> {
    let mut seen: BTreeMap<&V, &str> = BTreeMap::new();
    for (name, value) in members {
        if let Some(other) = seen.insert(value, name) {
            return Err(Error::model(
                format!("{shape}${name}"),
                format!("has the value {value:?}, as member `{other}` does"),
            ));
        }
    }
    Ok(())
}

struct Resolver<'m> {
    model: &'m Model,
    service: &'m Shape,
    closure: &'m closure::Closure,
    /// Rust path of every shape that becomes a named type.
    paths: BTreeMap<ShapeId, TypePath>,
    /// Member edges (container, member name) that need `Box` to break a cycle.
    boxed: BTreeSet<(ShapeId, String)>,
}

impl<'m> Resolver<'m> {
    fn new(model: &'m Model, service: &'m Shape, closure: &'m closure::Closure) -> Result<Self> {
        let rename = match &service.kind {
            ShapeKind::Service(s) => s.rename.clone(),
            _ => BTreeMap::new(),
        };
        let mut paths = BTreeMap::new();
        let mut names: Vec<(String, String)> = Vec::new();
        for id in &closure.types {
            let shape = &model.shapes[id];
            let local = rename.get(id).map(String::as_str).unwrap_or_else(|| shape_name(id));
            let name = symbols::type_name(local);
            let module = if shape.traits.has("error") {
                vec!["types".into(), "error".into()]
            } else {
                vec!["types".into()]
            };
            names.push((id.clone(), name.clone()));
            paths.insert(id.clone(), TypePath { module, name });
        }
        symbols::ensure_unique(
            &service.id,
            "shapes",
            names.iter().map(|(id, name)| (id.as_str(), name.as_str())),
        )?;
        // One file per type (`src/types/_meeting.rs`), compared as a case-insensitive file
        // system would.
        let files: Vec<(&str, String)> = names
            .iter()
            .map(|(id, name)| (id.as_str(), symbols::file_module(name).to_lowercase()))
            .collect();
        symbols::ensure_unique(
            &service.id,
            "shapes' files",
            files.iter().map(|(id, file)| (*id, file.as_str())),
        )?;
        let boxed = closure::recursive_edges(model, &closure.types);
        Ok(Resolver { model, service, closure, paths, boxed })
    }

    fn shape(&self, id: &str) -> &'m Shape {
        // The closure walk has checked that every reachable target exists.
        &self.model.shapes[id]
    }

    fn service(&self) -> Result<Service> {
        let ShapeKind::Service(svc) = &self.service.kind else {
            unreachable!("find_service returns services")
        };
        let sdk_id = self
            .service
            .traits
            .get_abs("aws.api#service")
            .and_then(|v| v.get("sdkId"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let title = [
            self.service.traits.get("title").and_then(Value::as_str),
            sdk_id.as_deref(),
            Some(shape_name(&self.service.id)),
        ]
        .into_iter()
        .flatten()
        .map(symbols::title)
        .find(|title| !title.is_empty())
        .unwrap_or_default();

        let mut operations = Vec::new();
        for op_id in &self.closure.operations {
            operations.push(self.operation(op_id, &svc.errors)?);
        }
        operations.sort_by(|a, b| a.module.cmp(&b.module));
        symbols::ensure_unique(
            &self.service.id,
            "operations",
            operations.iter().map(|o| (o.id.as_str(), o.module.as_str())),
        )?;

        let mut types = Vec::new();
        let mut errors = Vec::new();
        for id in &self.closure.types {
            let path = self.paths[id].clone();
            let shape = self.shape(id);
            match &shape.kind {
                ShapeKind::Structure { members } => {
                    let s = self.structure(shape, members, path, false)?;
                    if s.error.is_some() {
                        errors.push(s);
                    } else {
                        types.push(TypeDef::Structure(s));
                    }
                }
                ShapeKind::Union { members } => {
                    types.push(TypeDef::Union(self.union(shape, members, path)?))
                }
                ShapeKind::Enum { members } => {
                    let variants: Vec<EnumVariant> = members
                        .iter()
                        .map(|m| EnumVariant {
                            ident: symbols::variant_name(&m.name),
                            value: m.value.clone(),
                            docs: m.traits.documentation().map(str::to_string),
                            deprecated: m.traits.has("deprecated"),
                            internal: m.traits.has("internal"),
                        })
                        .collect();
                    symbols::ensure_unique(
                        id,
                        "enum values",
                        members
                            .iter()
                            .zip(&variants)
                            .map(|(m, v)| (m.name.as_str(), v.ident.as_str())),
                    )?;
                    check_distinct_values(id, members.iter().map(|m| (&m.name, &m.value)))?;
                    types.push(TypeDef::Enum(Enum {
                        shape: id.clone(),
                        file: symbols::file_module(&path.name),
                        path,
                        docs: shape.traits.documentation().map(str::to_string),
                        unknown: symbols::unknown_variant(
                            variants.iter().map(|v| v.ident.as_str()),
                        ),
                        variants,
                        sensitive: shape.traits.has("sensitive"),
                    }));
                }
                ShapeKind::IntEnum { members } => {
                    let mut variants = Vec::new();
                    for m in members {
                        let value = i32::try_from(m.value).map_err(|_| {
                            Error::model(
                                format!("{id}${}", m.name),
                                "intEnum values must fit in a 32-bit integer",
                            )
                        })?;
                        variants.push(IntEnumVariant {
                            ident: symbols::variant_name(&m.name),
                            value,
                            docs: m.traits.documentation().map(str::to_string),
                            deprecated: m.traits.has("deprecated"),
                            internal: m.traits.has("internal"),
                        });
                    }
                    symbols::ensure_unique(
                        id,
                        "intEnum values",
                        members
                            .iter()
                            .zip(&variants)
                            .map(|(m, v)| (m.name.as_str(), v.ident.as_str())),
                    )?;
                    check_distinct_values(id, members.iter().map(|m| (&m.name, &m.value)))?;
                    types.push(TypeDef::IntEnum(IntEnum {
                        shape: id.clone(),
                        file: symbols::file_module(&path.name),
                        path,
                        docs: shape.traits.documentation().map(str::to_string),
                        unknown: symbols::unknown_variant(
                            variants.iter().map(|v| v.ident.as_str()),
                        ),
                        variants,
                        sensitive: shape.traits.has("sensitive"),
                    }));
                }
                other => {
                    unreachable!("closure types are aggregates or enums, not {}", other.type_name())
                }
            }
        }
        types.sort_by(|a, b| a.path().name.cmp(&b.path().name));
        errors.sort_by(|a, b| a.path.name.cmp(&b.path.name));
        let mut index = BTreeMap::new();
        for (i, def) in types.iter().enumerate() {
            index.insert(def.shape().clone(), DefIndex::Type(i));
        }
        for (i, s) in errors.iter().enumerate() {
            index.insert(s.shape.clone(), DefIndex::Error(i));
        }
        let service_paginated = self.service.traits.get("paginated");

        let mut service = Service {
            id: self.service.id.clone(),
            crate_name: symbols::crate_name(sdk_id.as_deref(), shape_name(&self.service.id)),
            sdk_id: sdk_id.clone().unwrap_or_else(|| shape_name(&self.service.id).to_string()),
            title,
            docs: self.service.traits.documentation().map(str::to_string),
            version: svc.version.clone(),
            sigv4_signing_name: self
                .service
                .traits
                .get_abs("aws.auth#sigv4")
                .and_then(|v| v.get("name"))
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
            operations,
            types,
            errors,
            index,
            endpoint: None,
            event_streams: Vec::new(),
        };
        for i in 0..service.operations.len() {
            let own = self.shape(&service.operations[i].id).traits.get("paginated");
            let pagination = pagination(&service, &service.operations[i], own, service_paginated)?;
            service.operations[i].pagination = pagination;
        }
        streaming::mark(self.model, &mut service)?;
        usage::mark(&mut service);
        service.endpoint = endpoint::rule_set(self.service)?;
        Ok(service)
    }

    fn operation(&self, id: &str, service_errors: &[ShapeId]) -> Result<Operation> {
        let shape = self.shape(id);
        let ShapeKind::Operation(op) = &shape.kind else {
            unreachable!("closure operations are operations")
        };
        let name = symbols::type_name(shape_name(id));
        let module = symbols::operation_module(shape_name(id));
        let op_path = |suffix: &str| TypePath {
            module: vec!["operation".into(), module.clone()],
            name: format!("{name}{suffix}"),
        };
        let io = |target: &Option<ShapeId>, suffix: &str| -> Result<Structure> {
            let path = op_path(suffix);
            match target.as_deref() {
                None | Some("smithy.api#Unit") => Ok(Structure {
                    shape: "smithy.api#Unit".into(),
                    file: module.clone(),
                    path,
                    docs: None,
                    fields: Vec::new(),
                    sensitive: false,
                    error: None,
                    usage: Usage::default(),
                    protocol_tests: Vec::new(),
                    output: suffix == "Output",
                }),
                Some(target) => {
                    let target_shape = self.shape(target);
                    match &target_shape.kind {
                        ShapeKind::Structure { members } => {
                            let mut s =
                                self.structure(target_shape, members, path, suffix == "Input")?;
                            s.file = module.clone();
                            s.output = suffix == "Output";
                            Ok(s)
                        }
                        other => Err(Error::model(
                            id,
                            format!("`{target}` is a {}, not a structure", other.type_name()),
                        )),
                    }
                }
            }
        };
        let http = http::operation(shape)?;
        let mut input = io(&op.input, "Input")?;
        let output = io(&op.output, "Output")?;
        // Labels of the URI template: each names an `@httpLabel` member of the input.
        for segment in &http.uri.segments {
            if let PathSegment::Label { member, greedy } = segment {
                let field =
                    input.fields.iter_mut().find(|f| &f.member == member).ok_or_else(|| {
                        Error::model(id, format!("the URI label `{member}` has no input member"))
                    })?;
                if !matches!(field.http, HttpBinding::Label { .. }) {
                    return Err(Error::model(
                        format!("{}${member}", input.shape),
                        "a member named by a URI label needs @httpLabel",
                    ));
                }
                field.http = HttpBinding::Label { greedy: *greedy };
            }
        }
        for part in http.host_prefix.iter().flat_map(|p| &p.parts) {
            if let crate::ir::HostPrefixPart::Label(label) = part {
                if !input.fields.iter().any(|f| &f.member == label) {
                    return Err(Error::model(
                        id,
                        format!("the hostPrefix label `{label}` has no input member"),
                    ));
                }
            }
        }

        let mut errors = Vec::new();
        for error_id in op.errors.iter().chain(service_errors) {
            if errors.iter().any(|e: &ErrorRef| &e.shape == error_id) {
                continue;
            }
            let path = self.paths[error_id].clone();
            errors.push(ErrorRef {
                shape: error_id.clone(),
                variant: path.name.clone(),
                predicate: symbols::error_predicate(&path.name),
                path,
            });
        }
        let error_name = format!("{name}Error");
        symbols::ensure_unique(
            id,
            "errors",
            errors.iter().map(|e| (e.shape.as_str(), e.variant.as_str())),
        )?;
        symbols::ensure_unique(
            id,
            "error predicates",
            errors.iter().map(|e| (e.shape.as_str(), e.predicate.as_str())),
        )?;
        let unhandled =
            symbols::catch_all_variant("Unhandled", errors.iter().map(|e| e.variant.as_str()));
        Ok(Operation {
            id: id.to_string(),
            name,
            module,
            docs: shape.traits.documentation().map(str::to_string),
            input,
            output,
            error_name,
            unhandled,
            errors,
            http,
            checksum_required: shape.traits.has("httpChecksumRequired"),
            request_compression: shape
                .traits
                .get("requestCompression")
                .and_then(|t| t.get("encodings"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|e| *e == "gzip")
                .map(str::to_string)
                .collect(),
            unsigned_payload: shape.traits.get_abs("aws.auth#unsignedPayload").is_some()
                || shape.traits.has("unsignedPayload"),
            pagination: None,
            protocol_tests: protocol_tests::operation(id, &shape.traits)?,
            input_stream: None,
            output_stream: None,
        })
    }

    /// A structure; `operation_input` makes every member optional, as `@input` does.
    fn structure(
        &self,
        shape: &Shape,
        members: &[Member],
        path: TypePath,
        operation_input: bool,
    ) -> Result<Structure> {
        let is_input = operation_input || shape.traits.has("input");
        check_wire_names(&shape.id, members)?;
        let mut fields = Vec::new();
        for member in members {
            let member_id = format!("{}${}", shape.id, member.name);
            let target = self.shape(&member.target);
            let mut ty = self.rust_type(&member_id, target)?;
            if self.boxed.contains(&(shape.id.clone(), member.name.clone())) {
                ty = RustType::Boxed(Box::new(ty));
            }
            let default = self.default_value(member, target);
            let required = member.traits.has("required");
            let optional =
                member.traits.has("clientOptional") || is_input || !(required || default.is_some());
            fields.push(Field {
                member: member.name.clone(),
                ident: symbols::field_name(&member.name),
                method: String::new(),
                setter: symbols::setter_name(&member.name),
                getter: symbols::getter_name(&member.name),
                accessor: None,
                docs: member.traits.documentation().map(str::to_string),
                ty,
                value: self.value(&member_id, &member.traits, target)?,
                model_default: member.traits.get("default").filter(|d| !d.is_null()).cloned(),
                optional,
                required,
                http: http::binding(&member.traits),
                json_name: json_name(&member.name, &member.traits),
                idempotency_token: member.traits.has("idempotencyToken"),
                host_label: member.traits.has("hostLabel"),
                default: if optional { None } else { default },
                redact: shape.traits.has("sensitive")
                    || member.traits.has("sensitive")
                    || self.is_sensitive(&member.target, &mut BTreeSet::new()),
                deprecated: member.traits.has("deprecated"),
            });
        }
        symbols::ensure_unique(
            &shape.id,
            "members",
            fields.iter().map(|f| (f.member.as_str(), f.ident.as_str())),
        )?;
        symbols::builder_methods(&mut fields, shape.traits.has("error"));

        let error = shape.traits.get("error").map(|fault| ErrorInfo {
            fault: fault.as_str().unwrap_or("client").to_string(),
            http_status: shape
                .traits
                .get("httpError")
                .and_then(Value::as_u64)
                .and_then(|v| u16::try_from(v).ok()),
            message_field: fields
                .iter()
                .find(|f| f.member.eq_ignore_ascii_case("message"))
                .map(|f| f.ident.clone()),
            code: shape_name(&shape.id).to_string(),
            retryable: shape
                .traits
                .get("retryable")
                .map(|r| r.get("throttling").and_then(Value::as_bool).unwrap_or(false)),
        });
        Ok(Structure {
            shape: shape.id.clone(),
            file: symbols::file_module(&path.name),
            path,
            docs: shape.traits.documentation().map(str::to_string),
            fields,
            sensitive: shape.traits.has("sensitive"),
            protocol_tests: match error {
                Some(_) => protocol_tests::error(&shape.id, &shape.traits)?,
                None => Vec::new(),
            },
            error,
            usage: Usage::default(),
            output: false,
        })
    }

    fn union(&self, shape: &Shape, members: &[Member], path: TypePath) -> Result<Union> {
        check_wire_names(&shape.id, members)?;
        let mut variants = Vec::new();
        for member in members {
            let member_id = format!("{}${}", shape.id, member.name);
            let (ty, value) = if is_unit(&member.target) {
                (None, None)
            } else {
                let target = self.shape(&member.target);
                let mut ty = self.rust_type(&member_id, target)?;
                if self.boxed.contains(&(shape.id.clone(), member.name.clone())) {
                    ty = RustType::Boxed(Box::new(ty));
                }
                (Some(ty), Some(self.value(&member_id, &member.traits, target)?))
            };
            variants.push(UnionVariant {
                member: member.name.clone(),
                ident: symbols::variant_name(&member.name),
                ty,
                value,
                json_name: json_name(&member.name, &member.traits),
                docs: member.traits.documentation().map(str::to_string),
                redact: shape.traits.has("sensitive")
                    || member.traits.has("sensitive")
                    || self.is_sensitive(&member.target, &mut BTreeSet::new()),
                deprecated: member.traits.has("deprecated"),
            });
        }
        symbols::ensure_unique(
            &shape.id,
            "members",
            variants.iter().map(|v| (v.member.as_str(), v.ident.as_str())),
        )?;
        Ok(Union {
            shape: shape.id.clone(),
            file: symbols::file_module(&path.name),
            path,
            docs: shape.traits.documentation().map(str::to_string),
            unknown: symbols::unknown_variant(variants.iter().map(|v| v.ident.as_str())),
            variants,
            sensitive: shape.traits.has("sensitive"),
            streaming: shape.traits.has("streaming"),
            usage: Usage::default(),
        })
    }

    /// What `member_id` (with `member_traits`) targets, as the wire and the checks see it.
    fn value(&self, member_id: &str, member_traits: &Traits, target: &Shape) -> Result<IrValue> {
        let traited = |name: &str| member_traits.get(name).or_else(|| target.traits.get(name));
        let text = |name: &str| target.traits.get(name).and_then(Value::as_str).map(str::to_string);
        let kind = match &target.kind {
            ShapeKind::Blob => ValueKind::Blob {
                media_type: text("mediaType"),
                streaming: target.traits.has("streaming"),
                requires_length: target.traits.has("requiresLength"),
            },
            ShapeKind::Boolean => ValueKind::Boolean,
            ShapeKind::String => ValueKind::String { media_type: text("mediaType") },
            ShapeKind::Byte => ValueKind::Byte,
            ShapeKind::Short => ValueKind::Short,
            ShapeKind::Integer => ValueKind::Integer,
            ShapeKind::Long => ValueKind::Long,
            ShapeKind::Float => ValueKind::Float,
            ShapeKind::Double => ValueKind::Double,
            ShapeKind::BigInteger => ValueKind::BigInteger,
            ShapeKind::BigDecimal => ValueKind::BigDecimal,
            ShapeKind::Timestamp => ValueKind::Timestamp,
            ShapeKind::Document => ValueKind::Document,
            ShapeKind::List { member, .. } => ValueKind::List {
                element: Box::new(self.value(
                    &format!("{}$member", target.id),
                    &member.traits,
                    self.shape(&member.target),
                )?),
                sparse: target.traits.has("sparse"),
            },
            ShapeKind::Map { key, value } => ValueKind::Map {
                key: Box::new(self.value(
                    &format!("{}$key", target.id),
                    &key.traits,
                    self.shape(&key.target),
                )?),
                value: Box::new(self.value(
                    &format!("{}$value", target.id),
                    &value.traits,
                    self.shape(&value.target),
                )?),
                sparse: target.traits.has("sparse"),
            },
            ShapeKind::Enum { .. } => ValueKind::Enum(self.named(member_id, target)?),
            ShapeKind::IntEnum { .. } => ValueKind::IntEnum(self.named(member_id, target)?),
            ShapeKind::Structure { .. } => ValueKind::Structure(self.named(member_id, target)?),
            ShapeKind::Union { .. } => ValueKind::Union {
                path: self.named(member_id, target)?,
                streaming: target.traits.has("streaming"),
            },
            ShapeKind::Service(_) | ShapeKind::Resource(_) | ShapeKind::Operation(_) => {
                return Err(Error::model(
                    member_id,
                    format!("a member cannot target a {}", target.kind.type_name()),
                ))
            }
        };
        let timestamp_format = match (&kind, traited("timestampFormat")) {
            (ValueKind::Timestamp, Some(format)) => {
                Some(format.as_str().and_then(TimestampFormat::parse).ok_or_else(|| {
                    Error::model(
                        member_id,
                        format!("unknown @timestampFormat {format}; expected date-time, http-date or epoch-seconds"),
                    )
                })?)
            }
            _ => None,
        };
        let constraints = Constraints {
            length: traited("length").map(|v| {
                let get = |k: &str| v.get(k).and_then(Value::as_f64).map(|f| f.max(0.0) as u64);
                Bounds { min: get("min"), max: get("max") }
            }),
            range: traited("range").map(|v| {
                let get = |k: &str| v.get(k).and_then(Value::as_f64);
                Bounds { min: get("min"), max: get("max") }
            }),
            pattern: traited("pattern").and_then(Value::as_str).map(str::to_string),
            unique_items: matches!(target.kind, ShapeKind::List { unique: true, .. }),
        };
        Ok(IrValue { shape: target.id.clone(), kind, timestamp_format, constraints })
    }

    /// The Rust path of a named type (`member_id` names the place for errors).
    fn named(&self, member_id: &str, target: &Shape) -> Result<TypePath> {
        if is_unit(&target.id) {
            return Err(Error::model(member_id, "only union members may target smithy.api#Unit"));
        }
        Ok(self.paths[&target.id].clone())
    }

    /// The Rust type of a value of `target` (`member_id` names the place for errors).
    fn rust_type(&self, member_id: &str, target: &Shape) -> Result<RustType> {
        Ok(match &target.kind {
            ShapeKind::Blob => RustType::Blob,
            ShapeKind::Boolean => RustType::Bool,
            ShapeKind::String => RustType::String,
            ShapeKind::Byte => RustType::I8,
            ShapeKind::Short => RustType::I16,
            ShapeKind::Integer => RustType::I32,
            ShapeKind::Long => RustType::I64,
            ShapeKind::Float => RustType::F32,
            ShapeKind::Double => RustType::F64,
            ShapeKind::BigInteger => RustType::BigInteger,
            ShapeKind::BigDecimal => RustType::BigDecimal,
            ShapeKind::Timestamp => RustType::Timestamp,
            ShapeKind::Document => RustType::Document,
            ShapeKind::List { member, .. } => RustType::List {
                element: Box::new(
                    self.rust_type(&format!("{}$member", target.id), self.shape(&member.target))?,
                ),
                sparse: target.traits.has("sparse"),
            },
            ShapeKind::Map { key, value } => {
                let key_shape = self.shape(&key.target);
                if !matches!(key_shape.kind, ShapeKind::String | ShapeKind::Enum { .. }) {
                    return Err(Error::model(
                        format!("{}$key", target.id),
                        format!(
                            "map keys must target a string or enum shape, not `{}` ({})",
                            key_shape.id,
                            key_shape.kind.type_name()
                        ),
                    ));
                }
                RustType::Map {
                    key: Box::new(self.rust_type(&format!("{}$key", target.id), key_shape)?),
                    value: Box::new(
                        self.rust_type(&format!("{}$value", target.id), self.shape(&value.target))?,
                    ),
                    sparse: target.traits.has("sparse"),
                }
            }
            ShapeKind::Structure { .. }
            | ShapeKind::Union { .. }
            | ShapeKind::Enum { .. }
            | ShapeKind::IntEnum { .. } => {
                if is_unit(&target.id) {
                    return Err(Error::model(
                        member_id,
                        "only union members may target smithy.api#Unit",
                    ));
                }
                RustType::Named(self.paths[&target.id].clone())
            }
            ShapeKind::Service(_) | ShapeKind::Resource(_) | ShapeKind::Operation(_) => {
                return Err(Error::model(
                    member_id,
                    format!("a member cannot target a {}", target.kind.type_name()),
                ))
            }
        })
    }

    /// The member's default: `@default` on the member, or IDL 1.0's zero value for an unboxed
    /// number or boolean. `@default(null)` means no default.
    fn default_value(&self, member: &Member, target: &Shape) -> Option<Value> {
        if let Some(value) = member.traits.get("default") {
            return (!value.is_null()).then(|| value.clone());
        }
        if self.model.is_idl_1_0()
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

    /// Whether values of `id` must not be printed by a container's `Debug`: the shape is
    /// `@sensitive`, or it is a list or map whose elements are (named types redact themselves).
    fn is_sensitive(&self, id: &str, seen: &mut BTreeSet<ShapeId>) -> bool {
        if !seen.insert(id.to_string()) {
            return false;
        }
        let shape = self.shape(id);
        if shape.traits.has("sensitive") {
            return true;
        }
        match &shape.kind {
            ShapeKind::List { member, .. } => self.is_sensitive(&member.target, seen),
            ShapeKind::Map { key, value } => {
                self.is_sensitive(&key.target, seen) || self.is_sensitive(&value.target, seen)
            }
            _ => false,
        }
    }
}

/// The key of a member in a JSON body: `@jsonName`, else the member name.
fn json_name(member: &str, traits: &Traits) -> String {
    traits.get("jsonName").and_then(Value::as_str).unwrap_or(member).to_string()
}

/// The `@paginated` members of `op` (its trait: `own`), the service's defaults
/// (`service_default`) merged in; `None` unless both tokens are named.
fn pagination(
    service: &Service,
    op: &Operation,
    own: Option<&Value>,
    service_default: Option<&Value>,
) -> Result<Option<Pagination>> {
    let Some(own) = own else { return Ok(None) };
    let get = |key: &str| {
        own.get(key)
            .and_then(Value::as_str)
            .or_else(|| service_default?.get(key).and_then(Value::as_str))
    };
    let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken")) else {
        // `@paginated` without tokens (only pageSize): nothing to chain.
        return Ok(None);
    };
    let input_field = |name: &str| -> Result<&Field> {
        op.input.fields.iter().find(|f| f.member == name).ok_or_else(|| {
            Error::model(
                &op.id,
                format!("@paginated names the input member `{name}`, which does not exist"),
            )
        })
    };
    let token = input_field(input_token)?;
    let output_path = member_path(service, &op.output, output_token, &op.id)?;
    let page_size = get("pageSize").map(input_field).transpose()?;
    let items = match get("items") {
        Some(p) => Some(member_path(service, &op.output, p, &op.id)?),
        // Not named: the output's only list member, if it has exactly one.
        None => {
            let lists: Vec<&Field> = op
                .output
                .fields
                .iter()
                .filter(|f| matches!(f.value.kind, ValueKind::List { .. }))
                .collect();
            match lists.as_slice() {
                [only] => Some(vec![*only]),
                _ => None,
            }
        }
    };
    if output_path.last().map(|f| &f.value.kind) != Some(&token.value.kind) {
        return Err(Error::unsupported(
            &op.id,
            "@paginated: the input token and the output token have different types",
        ));
    }
    if let Some(items) = &items {
        if !matches!(
            items.last().map(|f| &f.value.kind),
            Some(ValueKind::List { .. } | ValueKind::Map { .. })
        ) {
            return Err(Error::unsupported(&op.id, "@paginated: `items` is not a list or a map"));
        }
    }
    let names = |fields: Vec<&Field>| fields.into_iter().map(|f| f.member.clone()).collect();
    Ok(Some(Pagination {
        input_token: token.member.clone(),
        output_token: names(output_path),
        page_size: page_size.map(|f| f.member.clone()),
        items: items.map(names),
    }))
}

/// The fields along a dotted member path (`Result.NextToken`) from `start`.
fn member_path<'s>(
    service: &'s Service,
    start: &'s Structure,
    dotted: &str,
    op: &str,
) -> Result<Vec<&'s Field>> {
    let mut fields = Vec::new();
    let mut current = start;
    let segments: Vec<&str> = dotted.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let field = current.fields.iter().find(|f| f.member == *segment).ok_or_else(|| {
            Error::model(
                op,
                format!(
                    "@paginated path `{dotted}`: `{}` has no member `{segment}`",
                    current.shape
                ),
            )
        })?;
        if i + 1 < segments.len() {
            current = match &field.value.kind {
                ValueKind::Structure(_) => service.structure(&field.value.shape),
                _ => None,
            }
            .ok_or_else(|| {
                Error::unsupported(
                    op,
                    format!("@paginated path `{dotted}`: `{segment}` is not a structure"),
                )
            })?;
        }
        fields.push(field);
    }
    Ok(fields)
}
