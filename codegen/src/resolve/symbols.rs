//! The symbol provider: every naming decision of the generator is made here.
//!
//! Case conversion (heck), Rust keywords, names that collide after conversion, and names that
//! would collide with items or files the generator itself emits. Nothing else in the crate
//! invents a name.
//!
//! Every function here returns a valid Rust identifier (a raw one, `r#type`, for keywords that
//! allow it) whatever its input: the loader already refuses shape ids and member names that are
//! not Smithy identifiers, and what other strings become (enum values, test case ids, endpoint
//! parameters) is made of ASCII letters, digits and `_` here, never empty, never starting with a
//! digit. Names that then collide are an error naming both ([`ensure_unique`]).

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::error::{Error, Result};

/// Strict and reserved Rust keywords (2021 edition), plus weak keywords that matter in paths.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "gen",
];

/// Keywords that cannot be raw identifiers (`r#self` is invalid): they get a `_` suffix.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names of the standard prelude that generated code uses unqualified (`Option`, `String`,
/// `Into`...): a shape with one of these names gets a `Value` suffix, so the prelude is never
/// shadowed in the module that defines it.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "Box",
    "String",
    "ToString",
    "ToOwned",
    "Into",
    "From",
    "AsRef",
    "Default",
    "Iterator",
    "IntoIterator",
];

/// Makes a string a valid identifier: keywords become raw identifiers (or get `_`), a leading
/// digit gets a prefix, and so does an empty name (`words` has already left only ASCII letters,
/// digits and `_`).
fn sanitize(name: String, digit_prefix: &str) -> String {
    let name = if name.is_empty() || name.chars().all(|c| c == '_') {
        digit_prefix.trim_end_matches('_').to_string()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Keeps ASCII alphanumerics and separators so heck sees word boundaries (`us-east-1`, `a/b`).
fn words(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The Rust name of a generated type (`CreateAttendeeRequest`, `SseConfig`).
pub fn type_name(shape_name: &str) -> String {
    let name = words(shape_name).to_upper_camel_case();
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        return format!("{name}Value");
    }
    sanitize(name, "Shape")
}

/// The private file module holding a type in `crate::types` (`_meeting`): the leading
/// underscore keeps it clear of keywords and of the public modules beside it.
pub fn file_module(type_name: &str) -> String {
    format!("_{}", type_name.to_snake_case())
}

/// A struct field (and builder method): `meeting_id`, `r#type`, `self_`.
pub fn field_name(member: &str) -> String {
    sanitize(words(member).to_snake_case(), "member_")
}

/// A test function named after a protocol test case id (`RestJsonAllQueryStringTypes` →
/// `rest_json_all_query_string_types`).
pub fn test_name(case_id: &str) -> String {
    sanitize(words(case_id).to_snake_case(), "case_")
}

/// Claims a name not yet in `taken`: `base`, else the first free of `base_2`, `base_3`, ...
/// (test functions, one per case, whose ids may give one name: `ModRequest` and
/// `Mod_Request`; a case id `ModRequest_2` then does not take the name given to the second).
pub fn claim_unique(taken: &mut BTreeSet<String>, base: String) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let bare = base.strip_prefix("r#").unwrap_or(&base);
    let mut n = 2;
    loop {
        let name = format!("{bare}_{n}");
        if taken.insert(name.clone()) {
            return name;
        }
        n += 1;
    }
}

/// The `set_` builder method of a field.
pub fn setter_name(member: &str) -> String {
    format!("set_{}", words(member).to_snake_case())
}

/// The builder method reading a member back (`get_meeting_id`).
pub fn getter_name(member: &str) -> String {
    format!("get_{}", words(member).to_snake_case())
}

/// An operation error enum's test for one of its variants (`is_not_found_exception`).
pub fn error_predicate(variant: &str) -> String {
    format!("is_{}", words(variant).to_snake_case())
}

/// An enum or union variant: `Available`, `UsEast1`, `Value1080p`.
pub fn variant_name(member: &str) -> String {
    let name = words(member).to_upper_camel_case();
    sanitize(name, "Value")
}

/// Files beside the operation modules: `src/operation/mod.rs`, and in `src/protocol/` (where
/// each operation also has a module) `mod.rs`, `json.rs`, `server.rs` and `md5.rs`.
/// `operation` and `protocol` themselves are refused too: a module named like the module that
/// holds it is clippy's `module_inception`.
const FIXED_MODULES: &[&str] = &["mod", "json", "server", "md5", "operation", "protocol"];

/// The module of an operation under `crate::operation` and `crate::protocol`
/// (`create_attendee`), which is also its file name (without `r#`). A module that would take
/// the name of a file the generator writes beside it (`mod`, `json`, `server`, `md5`) or of
/// the module holding it gets an `_operation` suffix.
pub fn operation_module(operation: &str) -> String {
    let module = sanitize(words(operation).to_snake_case(), "op_");
    let bare = module.strip_prefix("r#").unwrap_or(&module);
    if FIXED_MODULES.contains(&bare) {
        format!("{bare}_operation")
    } else {
        module
    }
}

/// The service's title as one line of plain text (control characters and runs of whitespace
/// become one space), as docs, `Cargo.toml` and the changelog show it.
pub fn title(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Library names Cargo refuses for a package, or that would shadow a crate every Rust program
/// can name.
const RESERVED_CRATES: &[&str] = &["std", "core", "alloc", "test", "proc_macro"];

/// The Cargo package name of the generated crate (`chime-sdk-meetings`): the sdkId in kebab
/// case; when that leaves nothing (an sdkId of `""` or `"!!!"`), the service shape's name. A
/// name starting with a digit gets a `service-` prefix (`3D Service` → `service-3d-service`),
/// and one whose library name is a Rust keyword or a standard crate a `-service` suffix, so the
/// library name ([`library_name`]) is always a plain identifier.
pub fn crate_name(sdk_id: Option<&str>, service_shape: &str) -> String {
    let kebab = |name: &str| words(name).to_kebab_case();
    let mut name = sdk_id.map(kebab).unwrap_or_default();
    if name.is_empty() {
        name = kebab(service_shape);
    }
    if name.is_empty() {
        name = "service".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("service-{name}");
    }
    let library = name.replace('-', "_");
    if KEYWORDS.contains(&library.as_str()) || RESERVED_CRATES.contains(&library.as_str()) {
        name.push_str("-service");
    }
    name
}

/// The library (the `use` name) of the crate called `crate_name`: `chime_sdk_meetings`.
pub fn library_name(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// Whether `name` is a Rust identifier the generated code can use as it is: ASCII letters,
/// digits and `_`, not starting with a digit, not `_` alone; `r#name` for a keyword that can be
/// raw.
pub fn is_identifier(name: &str) -> bool {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(bare) => (true, bare),
        None => (false, name),
    };
    let plain = !bare.is_empty()
        && bare != "_"
        && !bare.starts_with(|c: char| c.is_ascii_digit())
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain && !(raw && NOT_RAW.contains(&bare))
}

/// The service trait of the generated server stubs (`crate::server::ChimeSdkMeetings`), from
/// the crate name (itself from the sdkId); `Service` is appended when it would take the name
/// of another item of the `server` module.
pub fn service_trait_name(crate_name: &str) -> String {
    let name = type_name(crate_name);
    if ["Router", "OperationName", "RequestRejection", "RejectionKind"].contains(&name.as_str()) {
        format!("{name}Service")
    } else {
        name
    }
}

/// The variable part of the service's endpoint environment variable,
/// `AWS_ENDPOINT_URL_<NAME>`: the crate name (from the sdkId) in upper snake case, as the AWS
/// SDKs derive it from the sdkId (`Chime SDK Meetings` → `CHIME_SDK_MEETINGS`).
pub fn env_service_name(crate_name: &str) -> String {
    words(crate_name).to_shouty_snake_case()
}

/// Methods of the generated `Client` itself, which operation methods must not take.
const CLIENT_METHODS: &[&str] = &["new", "config", "clone", "fmt"];

/// The `Client` methods of an operation: the fluent one (the operation module's name) and the
/// one taking a whole input (`<name>_with`; `self_` gives `self_with`, not `self__with`).
pub fn client_methods(operation_module: &str) -> (String, String) {
    let base = operation_module.strip_prefix("r#").unwrap_or(operation_module);
    let fluent = if CLIENT_METHODS.contains(&base) {
        format!("{base}_operation")
    } else {
        operation_module.to_string()
    };
    let with =
        format!("{}_with", fluent.strip_prefix("r#").unwrap_or(&fluent).trim_end_matches('_'));
    (fluent, with)
}

/// Methods of a fluent builder and a paginator that input members must not take.
const FLUENT_METHODS: &[&str] =
    &["send", "into_paginator", "as_input", "new", "clone", "fmt", "customize", "config_override"];

/// The fluent builder's method for an input builder's method: the same name, unless the fluent
/// builder's own methods take it (then with a `_value` suffix).
pub fn fluent_method(builder_method: &str) -> String {
    let base = builder_method.strip_prefix("r#").unwrap_or(builder_method);
    if FLUENT_METHODS.contains(&base) {
        format!("{base}_value")
    } else {
        builder_method.to_string()
    }
}

/// The client-side names of an operation: its fluent builder, its paginator and its item stream.
pub fn client_type_names(operation: &str) -> (String, String, String) {
    (
        format!("{operation}FluentBuilder"),
        format!("{operation}Paginator"),
        format!("{operation}Items"),
    )
}

/// The catch-all variant of an enum or union: `Unknown`, unless a modeled variant is called that.
pub fn unknown_variant<'a>(variants: impl IntoIterator<Item = &'a str>) -> String {
    catch_all_variant("Unknown", variants)
}

/// A generated variant named `base` (`Unknown`, `Unhandled`), or `baseValue`, `baseValue2`...
/// when the model already has a variant of that name.
pub fn catch_all_variant<'a>(base: &str, variants: impl IntoIterator<Item = &'a str>) -> String {
    let taken: Vec<&str> = variants.into_iter().collect();
    let mut candidate = base.to_string();
    let mut n = 1;
    while taken.contains(&candidate.as_str()) {
        candidate = if n == 1 { format!("{base}Value") } else { format!("{base}Value{n}") };
        n += 1;
    }
    candidate
}

/// Inherent methods of every structure, which accessors must not take (`validate` and
/// `fill_idempotency_tokens` exist only on some, but an accessor named so would be confusing).
const STRUCTURE_METHODS: &[&str] = &["builder", "validate", "fill_idempotency_tokens"];

/// Inherent methods of error structures.
const ERROR_METHODS: &[&str] = &["message", "meta", "is_server_fault", "http_status"];

/// Names the builder methods of each field: the fluent setter is the field name, the other
/// setter `set_<field>` and the getter `get_<field>`, unless one would collide with `build`
/// (for errors also `meta`/`set_meta`) or with another member's method; a colliding name gets
/// a `_value` suffix (in member order, so the result is deterministic). Then the structure's
/// accessors: the field name, with the same suffix when the structure has a method of that
/// name; an error's message member has none (the error's `message()` reads it).
pub fn builder_methods(fields: &mut [crate::ir::Field], error: bool) {
    let mut builder_taken = vec!["build".to_string()];
    if error {
        builder_taken.extend(["meta".to_string(), "set_meta".to_string()]);
    }
    let mut claim = claimer(builder_taken);
    for field in fields.iter_mut() {
        field.method = claim(&field.ident);
        field.setter = claim(&field.setter);
        field.getter = claim(&field.getter);
    }
    let mut struct_taken: Vec<String> = STRUCTURE_METHODS.iter().map(|m| m.to_string()).collect();
    if error {
        struct_taken.extend(ERROR_METHODS.iter().map(|m| m.to_string()));
    }
    let mut claim = claimer(struct_taken);
    for field in fields.iter_mut() {
        field.accessor = if error && field.member.eq_ignore_ascii_case("message") {
            None
        } else {
            Some(claim(&field.ident))
        };
    }
}

/// The naming rule of [`builder_methods`] for any other builder with a `build` method: each pair is (the
/// fluent setter wanted, the `set_` method wanted), renamed in place where taken.
pub fn claim_builder_methods(methods: &mut [(String, String)]) {
    let mut claim = claimer(vec!["build".to_string()]);
    for (method, setter) in methods.iter_mut() {
        *method = claim(method);
        *setter = claim(setter);
    }
}

/// A namer that hands out each wanted name once: a name already `taken` (or handed out) gets
/// `_value` appended (`r#type` → `type_value`) until it is free.
fn claimer(taken: Vec<String>) -> impl FnMut(&str) -> String {
    let mut taken = taken;
    move |wanted: &str| {
        let mut name = wanted.to_string();
        while taken.contains(&name) {
            name = if let Some(raw) = name.strip_prefix("r#") {
                format!("{raw}_value")
            } else {
                format!("{name}_value")
            };
        }
        taken.push(name.clone());
        name
    }
}

/// Checks that names produced for `what` are unique; `owner` names the scope in the message.
///
/// Each entry is (the model's name, the Rust name). Two model names with one Rust name cannot
/// be told apart by users, so the model must be changed (or the service must `rename` a shape).
pub fn ensure_unique<'a>(
    owner: &str,
    what: &str,
    names: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<()> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (model, rust) in names {
        if let Some(previous) = seen.insert(rust, model) {
            if previous != model {
                let fix = if what == "shapes" {
                    "give one of them a new name in the service's `rename` map"
                } else {
                    "rename one of them in the model"
                };
                return Err(Error::NameCollision {
                    message: format!("{what} `{previous}` and `{model}` of `{owner}` both become the Rust name `{rust}`; {fix}"),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits() {
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("MeetingId"), "meeting_id");
        assert_eq!(field_name("ARN"), "arn");
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(type_name("String"), "StringValue");
        assert_eq!(type_name("SSEConfig"), "SseConfig");
        assert_eq!(variant_name("us-east-1"), "UsEast1");
        assert_eq!(variant_name("1080p"), "Value1080p");
        assert_eq!(variant_name("*"), "Value");
        assert_eq!(operation_module("Match"), "r#match");
        assert_eq!(crate_name(Some("Chime SDK Meetings"), "Svc"), "chime-sdk-meetings");
        assert_eq!(file_module("Meeting"), "_meeting");
    }

    #[test]
    fn operation_modules_avoid_the_files_beside_them() {
        assert_eq!(operation_module("Mod"), "mod_operation");
        assert_eq!(operation_module("Json"), "json_operation");
        assert_eq!(operation_module("Server"), "server_operation");
        assert_eq!(operation_module("MD5"), "md5_operation");
        assert_eq!(operation_module("Self"), "self_");
        assert_eq!(operation_module("Crate"), "crate_");
        assert_eq!(operation_module("ModThing"), "mod_thing");
        assert_eq!(operation_module("Operation"), "operation_operation");
        assert_eq!(operation_module("Protocol"), "protocol_operation");
        assert_eq!(client_methods("self_"), ("self_".to_string(), "self_with".to_string()));
        assert_eq!(client_methods("super_"), ("super_".to_string(), "super_with".to_string()));
    }

    #[test]
    fn claimed_names_are_unique() {
        let mut taken = BTreeSet::new();
        let names: Vec<String> = ["ModRequest", "Mod_Request", "ModRequest_2", "Type", "type"]
            .into_iter()
            .map(|id| claim_unique(&mut taken, test_name(id)))
            .collect();
        assert_eq!(names, ["mod_request", "mod_request_2", "mod_request_2_2", "r#type", "type_2"]);
    }

    #[test]
    fn titles_are_one_line() {
        assert_eq!(title("  Amazon\tChime\n SDK\u{7}Meetings "), "Amazon Chime SDK Meetings");
        assert_eq!(title("\n\t"), "");
    }

    #[test]
    fn crate_names_are_usable_whatever_the_sdk_id() {
        assert_eq!(crate_name(Some(""), "FooService"), "foo-service");
        assert_eq!(crate_name(Some("!!!"), "FooService"), "foo-service");
        assert_eq!(crate_name(None, "FooService"), "foo-service");
        assert_eq!(crate_name(Some("3D Service"), "Svc"), "service-3d-service");
        assert_eq!(crate_name(Some("Self"), "Svc"), "self-service");
        assert_eq!(crate_name(Some("test"), "Svc"), "test-service");
        assert_eq!(crate_name(Some("std"), "Svc"), "std-service");
        assert_eq!(crate_name(Some("___"), "__"), "service");
        for (sdk_id, shape) in [("", "_1"), ("ÉÀ", "Svc"), ("a--b", "S"), ("9", "9")] {
            let name = crate_name(Some(sdk_id), shape);
            assert!(is_identifier(&library_name(&name)), "{sdk_id:?} → {name}");
        }
    }

    #[test]
    fn every_name_is_an_identifier() {
        let inputs =
            ["", "_", "__", "1", "1a", "a-b", "self", "Self", "type", "ÉÀ", "*", "a b", "r#x"];
        for input in inputs {
            for name in [
                type_name(input),
                field_name(input),
                variant_name(input),
                operation_module(input),
                test_name(input),
                file_module(&type_name(input)),
            ] {
                assert!(is_identifier(&name), "{input:?} → {name:?}");
            }
        }
        assert!(!is_identifier("r#self"));
        assert!(!is_identifier("3d"));
        assert!(!is_identifier("a-b"));
        assert!(is_identifier("r#type"));
    }

    #[test]
    fn unknown_variant_avoids_modeled_names() {
        assert_eq!(unknown_variant(["A", "B"]), "Unknown");
        assert_eq!(unknown_variant(["Unknown"]), "UnknownValue");
    }

    #[test]
    fn collisions_are_reported() {
        let err = ensure_unique("ns#S", "members", [("fooBar", "foo_bar"), ("foo_bar", "foo_bar")])
            .unwrap_err();
        assert!(err
            .to_string()
            .contains("`fooBar` and `foo_bar` of `ns#S` both become the Rust name `foo_bar`"));
    }

    #[test]
    fn client_names() {
        assert_eq!(env_service_name("chime-sdk-meetings"), "CHIME_SDK_MEETINGS");
        assert_eq!(
            client_methods("create_attendee"),
            ("create_attendee".to_string(), "create_attendee_with".to_string())
        );
        assert_eq!(
            client_methods("config"),
            ("config_operation".to_string(), "config_operation_with".to_string())
        );
        assert_eq!(client_methods("r#type"), ("r#type".to_string(), "type_with".to_string()));
        assert_eq!(fluent_method("send"), "send_value");
        assert_eq!(fluent_method("meeting_id"), "meeting_id");
        assert_eq!(fluent_method("r#as_input"), "as_input_value");
    }
}
