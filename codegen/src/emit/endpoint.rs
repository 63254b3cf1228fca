//! `crate::endpoint`: the model's `smithy.rules#endpointRuleSet` compiled to Rust, and its
//! `smithy.rules#endpointTests` as the crate's `tests/endpoint_tests.rs`.
//!
//! The rules become straight code: every condition an `if` / `if let` (an unset value makes a
//! condition false, an `assign` binds the value), tree rules nest, endpoint rules return an
//! `Endpoint` (URL template with `{Var}` / `{Var#attr}` interpolation, headers, properties) and
//! error rules a `ResolveError`. Values are typed statically (string, boolean, string array, and
//! the records `aws.partition`, `parseURL` and `aws.parseArn` return), so `getAttr` becomes a
//! field access. The functions of the rules-engine standard library live in the hand-written
//! runtime file `primitives::endpoint_lib`; the partition data (AWS's `partitions.json`,
//! embedded in the generator) becomes a Rust table in `src/endpoint/partitions.rs`.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use crate::emit::tokens::{doc_lines, ident};
use crate::error::{Error, Result};
use crate::ir::Service;
use crate::load::Model;
use crate::resolve::symbols;

/// AWS's partition data (botocore's `partitions.json`; see `codegen/data/SOURCE.md`).
pub const PARTITIONS_JSON: &str = include_str!("../../data/partitions.json");

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const TESTS: &str = "smithy.rules#endpointTests";

/// The built-ins an SDK supplies, and the `BuiltIns` field each fills.
const BUILT_INS: &[(&str, &str)] = &[
    ("AWS::Region", "region"),
    ("AWS::UseFIPS", "use_fips"),
    ("AWS::UseDualStack", "use_dual_stack"),
    ("SDK::Endpoint", "endpoint"),
];

/// The files of the endpoint module (and its tests), for every service.
pub fn files(model: &Model, service: &Service) -> Result<Vec<(String, TokenStream)>> {
    let shape = model
        .shape(&service.id)
        .ok_or_else(|| Error::model(service.id.to_string(), "the service shape is missing"))?;
    let Some(rule_set) = shape.traits.get_abs(RULE_SET) else {
        return Ok(vec![("src/endpoint/mod.rs".into(), module_without_rules())]);
    };
    let owner = service.id.to_string();
    let compiler = Compiler::new(&owner, rule_set)?;
    let mut files = vec![("src/endpoint/mod.rs".to_string(), compiler.module()?)];
    if compiler.uses_partitions {
        files.push(("src/endpoint/partitions.rs".to_string(), partitions_table(&owner)?));
    }
    if let Some(tests) = shape.traits.get_abs(TESTS) {
        files.push((
            "tests/endpoint_tests.rs".to_string(),
            compiler.tests(&service.crate_name, tests)?,
        ));
    }
    Ok(files)
}

/// The types shared by every crate: `BuiltIns`, `Endpoint`, `ResolveError`.
fn common_types() -> TokenStream {
    quote! {
        /// The values an SDK supplies for rule-set parameters that declare a `builtIn`
        /// (`AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`).
        #[derive(Clone, Debug, Default)]
        pub struct BuiltIns {
            /// `AWS::Region`: the region to send requests to.
            pub region: Option<String>,
            /// `AWS::UseFIPS`: use a FIPS-compliant endpoint.
            pub use_fips: bool,
            /// `AWS::UseDualStack`: use a dual-stack (IPv4 and IPv6) endpoint.
            pub use_dual_stack: bool,
            /// `SDK::Endpoint`: an endpoint URL that overrides resolution.
            pub endpoint: Option<String>,
        }

        /// A resolved endpoint: where to send a request, with the headers and properties the
        /// rules attach (such as `authSchemes`).
        #[derive(Clone, Debug, PartialEq)]
        pub struct Endpoint {
            /// The URL (`https://host` with an optional base path).
            pub url: String,
            /// Headers to add to the request, by name.
            pub headers: BTreeMap<String, Vec<String>>,
            /// Properties of the endpoint, by name.
            pub properties: BTreeMap<String, Document>,
        }

        /// Why no endpoint could be resolved (the message is the rule set's own).
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct ResolveError {
            message: String,
        }

        impl ResolveError {
            #[allow(dead_code)] // unused when the model has no rule set
            fn new(message: impl Into<String>) -> Self {
                ResolveError { message: message.into() }
            }

            /// The message.
            pub fn message(&self) -> &str {
                &self.message
            }
        }

        impl fmt::Display for ResolveError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }

        impl std::error::Error for ResolveError {}
    }
}

fn module_without_rules() -> TokenStream {
    let common = common_types();
    quote! {
        //! Endpoint types. The model has no `smithy.rules#endpointRuleSet`, so there is no
        //! resolver: requests need an explicit endpoint URL.

        use std::collections::BTreeMap;
        use std::fmt;

        use crate::primitives::Document;

        #common
    }
}

/// The Rust type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParamType {
    String,
    Boolean,
    StringArray,
}

struct Param {
    /// The rule set's name (`UseFIPS`).
    name: String,
    field: String,
    ty: ParamType,
    default: Option<Value>,
    required: bool,
    built_in: Option<String>,
    docs: Option<String>,
}

impl Param {
    fn optional(&self) -> bool {
        self.default.is_none()
    }

    fn field_type(&self) -> TokenStream {
        let base = match self.ty {
            ParamType::String => quote! { String },
            ParamType::Boolean => quote! { bool },
            ParamType::StringArray => quote! { Vec<String> },
        };
        if self.optional() {
            quote! { Option<#base> }
        } else {
            base
        }
    }

    fn value_type(&self) -> TokenStream {
        match self.ty {
            ParamType::String => quote! { String },
            ParamType::Boolean => quote! { bool },
            ParamType::StringArray => quote! { Vec<String> },
        }
    }
}

/// The static type of a rules-language value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str,
    Bool,
    StrArray,
    Partition,
    Url,
    Arn,
}

/// A compiled expression. `tokens` evaluates to the value's *canonical* form (`&str`, `bool`,
/// `&[String]`, `Partition`, or a place of type `Url` / `Arn`), wrapped in `Option` when
/// `optional`. When `owned`, `tokens` is the owned form (`String`, `Vec<String>`, `Url`, `Arn`)
/// and [`Compiler::canonical`] turns a binding of it into the canonical form.
#[derive(Clone)]
struct Val {
    tokens: TokenStream,
    ty: Ty,
    optional: bool,
    owned: bool,
    /// A literal boolean (`booleanEquals(x, true)` becomes `x`).
    literal_bool: Option<bool>,
    /// The variable this value reads, when it may be unset (binding it narrows the variable).
    var: Option<String>,
}

impl Val {
    fn new(tokens: TokenStream, ty: Ty) -> Self {
        Val { tokens, ty, optional: false, owned: false, literal_bool: None, var: None }
    }
}

/// A variable in scope: its canonical tokens and type.
#[derive(Clone)]
struct Var {
    tokens: TokenStream,
    ty: Ty,
    optional: bool,
}

type Scope = BTreeMap<String, Var>;

/// One nesting level around a rule's body.
enum Guard {
    If(TokenStream),
    IfLet(TokenStream, TokenStream),
    Let(TokenStream, TokenStream),
    /// An `if let` binding a variable that may be unset: the rest of the rule sees it set.
    Narrow(String, Ty, TokenStream),
}

struct Compiler<'a> {
    owner: &'a str,
    params: Vec<Param>,
    rules: &'a [Value],
    /// The whole rule set (to find references).
    rules_json: &'a Value,
    uses_partitions: bool,
}

fn type_error(owner: &str, message: impl Into<String>) -> Error {
    Error::unsupported(owner, format!("endpoint rule set: {}", message.into()))
}

impl<'a> Compiler<'a> {
    fn new(owner: &'a str, rule_set: &'a Value) -> Result<Self> {
        let err = |m: String| type_error(owner, m);
        let params_json = rule_set
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(|| err("no `parameters` object".into()))?;
        let mut params = Vec::new();
        for (name, p) in params_json {
            let ty =
                match p.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref()
                {
                    Some("string") => ParamType::String,
                    Some("boolean") => ParamType::Boolean,
                    Some("stringarray") => ParamType::StringArray,
                    other => {
                        return Err(err(format!(
                            "parameter `{name}` has the unsupported type {other:?}"
                        )))
                    }
                };
            let default = p.get("default").cloned();
            if let Some(d) = &default {
                let ok = match ty {
                    ParamType::String => d.is_string(),
                    ParamType::Boolean => d.is_boolean(),
                    ParamType::StringArray => {
                        d.as_array().is_some_and(|a| a.iter().all(Value::is_string))
                    }
                };
                if !ok {
                    return Err(err(format!("parameter `{name}` has a default of the wrong type")));
                }
            }
            let mut field = symbols::field_name(name);
            if field == "params" {
                field.push('_');
            }
            params.push(Param {
                name: name.clone(),
                field,
                ty,
                default,
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
                docs: p.get("documentation").and_then(Value::as_str).map(str::to_owned),
            });
        }
        symbols::ensure_unique(
            owner,
            "endpoint parameter",
            params.iter().map(|p| (p.name.as_str(), p.field.as_str())),
        )?;
        let rules = rule_set
            .get("rules")
            .and_then(Value::as_array)
            .ok_or_else(|| err("no `rules` array".into()))?;
        let mut uses_partitions = false;
        find_fn(rule_set, "aws.partition", &mut uses_partitions);
        Ok(Compiler { owner, params, rules, rules_json: rule_set, uses_partitions })
    }

    fn err(&self, message: impl Into<String>) -> Error {
        type_error(self.owner, message)
    }

    /// `src/endpoint/mod.rs`.
    fn module(&self) -> Result<TokenStream> {
        let common = common_types();
        let fields = self.params.iter().map(|p| {
            let field = ident(&p.field);
            let ty = p.field_type();
            let mut doc = p
                .docs
                .as_deref()
                .map(crate::docs::html_to_markdown)
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| format!("The `{}` parameter.", p.name));
            let doc_len = doc.trim_end().len();
            doc.truncate(doc_len);
            doc.push_str(&format!("\n\nRule-set parameter `{}`", p.name));
            if let Some(b) = &p.built_in {
                doc.push_str(&format!(", built-in `{b}`"));
            }
            if let Some(d) = &p.default {
                doc.push_str(&format!(", default `{d}`"));
            }
            if p.required && p.default.is_none() {
                doc.push_str(", required");
            }
            doc.push('.');
            let doc = doc_lines(&doc);
            quote! { #doc pub #field: #ty, }
        });
        let builder_fields = self.params.iter().map(|p| {
            let field = ident(&p.field);
            let ty = p.value_type();
            quote! { #field: Option<#ty>, }
        });
        let setters = self.params.iter().map(|p| {
            let field = ident(&p.field);
            let setter = format_ident!("set_{}", p.field.trim_start_matches("r#"));
            let ty = p.value_type();
            let doc = format!(" Sets `{}`.", p.name);
            let (arg, conv) = match p.ty {
                ParamType::String => (quote! { impl Into<String> }, quote! { value.into() }),
                _ => (ty.clone(), quote! { value }),
            };
            quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: #arg) -> Self {
                    self.#field = Some(#conv);
                    self
                }
                #[doc = #doc]
                pub fn #setter(mut self, value: Option<#ty>) -> Self {
                    self.#field = value;
                    self
                }
            }
        });
        let build_fields = self.params.iter().map(|p| {
            let field = ident(&p.field);
            match &p.default {
                None => quote! { #field: self.#field },
                Some(Value::Bool(b)) => quote! { #field: self.#field.unwrap_or(#b) },
                Some(d) => {
                    let d = default_tokens(p.ty, d);
                    quote! { #field: self.#field.unwrap_or_else(|| #d) }
                }
            }
        });
        let from_built_ins = self.params.iter().filter_map(|p| {
            let built_in = p.built_in.as_deref()?;
            let (_, source) = BUILT_INS.iter().find(|(name, _)| *name == built_in)?;
            let field = ident(&p.field);
            let source = ident(source);
            let value = match (p.ty, built_in) {
                (ParamType::String, "AWS::Region" | "SDK::Endpoint") => {
                    quote! { b.#source.clone() }
                }
                (ParamType::Boolean, "AWS::UseFIPS" | "AWS::UseDualStack") => {
                    quote! { Some(b.#source) }
                }
                _ => return None,
            };
            let setter = format_ident!("set_{}", p.field.trim_start_matches("r#"));
            let _ = field;
            Some(quote! { .#setter(#value) })
        });
        // Required parameters without a default are checked first; then they are set.
        let mut required_checks = Vec::new();
        let mut scope = Scope::new();
        for p in &self.params {
            let field = ident(&p.field);
            let (tokens, ty) = match (p.ty, p.optional()) {
                (ParamType::String, true) => (quote! { params.#field.as_deref() }, Ty::Str),
                (ParamType::String, false) => (quote! { params.#field.as_str() }, Ty::Str),
                (ParamType::Boolean, _) => (quote! { params.#field }, Ty::Bool),
                (ParamType::StringArray, true) => {
                    (quote! { params.#field.as_deref() }, Ty::StrArray)
                }
                (ParamType::StringArray, false) => {
                    (quote! { params.#field.as_slice() }, Ty::StrArray)
                }
            };
            if p.required && p.optional() {
                let message = format!("the endpoint parameter `{}` is required", p.name);
                let mut referenced = false;
                find_ref(self.rules_json, &p.name, &mut referenced);
                if referenced {
                    let local = local_name(&p.name);
                    required_checks.push(quote! {
                        let Some(#local) = #tokens else {
                            return Err(ResolveError::new(#message));
                        };
                    });
                    scope.insert(
                        p.name.clone(),
                        Var { tokens: quote! { #local }, ty, optional: false },
                    );
                } else {
                    required_checks.push(quote! {
                        if params.#field.is_none() {
                            return Err(ResolveError::new(#message));
                        }
                    });
                }
                continue;
            }
            scope.insert(p.name.clone(), Var { tokens, ty, optional: p.optional() });
        }
        let mut counter = 0usize;
        let body = self.rule_list(self.rules, &scope, true, &mut counter)?;
        let partitions = if self.uses_partitions {
            quote! { mod partitions; }
        } else {
            quote! {}
        };
        Ok(quote! {
            //! Endpoint resolution, compiled from the model's `smithy.rules#endpointRuleSet`:
            //! [`resolve`] turns [`Params`] into an [`Endpoint`] (or a [`ResolveError`]).
            //!
            //! [`Params::from_built_ins`] fills the parameters an SDK supplies (region, FIPS,
            //! dual-stack, endpoint override) from [`BuiltIns`].

            use std::collections::BTreeMap;
            use std::fmt;

            #[allow(unused_imports)] // used when the rules attach properties
            use crate::primitives::{Document, Number};
            #[allow(unused_imports)] // the functions the rules call
            use crate::primitives::endpoint_lib;

            #partitions

            #common

            /// The parameters of the endpoint rule set.
            #[non_exhaustive]
            #[derive(Clone, Debug, PartialEq)]
            pub struct Params {
                #(#fields)*
            }

            impl Params {
                /// A builder; `build()` applies the rule set's defaults.
                pub fn builder() -> ParamsBuilder {
                    ParamsBuilder::default()
                }

                /// The parameters an SDK fills from its built-in settings; the others keep their
                /// defaults.
                pub fn from_built_ins(b: &BuiltIns) -> Params {
                    ParamsBuilder::default() #(#from_built_ins)* .build()
                }
            }

            /// A builder of [`Params`].
            #[derive(Clone, Debug, Default)]
            pub struct ParamsBuilder {
                #(#builder_fields)*
            }

            impl ParamsBuilder {
                #(#setters)*

                /// The parameters, with the rule set's defaults for those not set.
                pub fn build(self) -> Params {
                    Params { #(#build_fields,)* }
                }
            }

            /// Resolves the endpoint for `params` by the model's rules.
            ///
            /// # Errors
            ///
            /// The rule set's error for these parameters (such as an unsupported FIPS or
            /// dual-stack configuration), or a missing required parameter.
            pub fn resolve(params: &Params) -> Result<Endpoint, ResolveError> {
                #(#required_checks)*
                #body
            }
        })
    }

    /// A list of rules: the first whose conditions hold decides. In `tail` position the last
    /// value is the function's tail expression; otherwise every outcome `return`s.
    fn rule_list(
        &self,
        rules: &[Value],
        scope: &Scope,
        tail: bool,
        counter: &mut usize,
    ) -> Result<TokenStream> {
        let mut out = TokenStream::new();
        for rule in rules {
            let conditions =
                rule.get("conditions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            let mut inner = scope.clone();
            let mut guards = Vec::new();
            for c in conditions {
                self.condition(c, rule, &mut inner, &mut guards, counter)?;
            }
            if guards.is_empty() {
                // Always matches: the rules after it are unreachable.
                out.extend(self.rule_body(rule, &inner, tail, counter)?);
                return Ok(out);
            }
            let body = self.rule_body(rule, &inner, false, counter)?;
            out.extend(nest(guards, body));
        }
        let message = "no endpoint rule matched the parameters";
        if tail {
            out.extend(quote! { Err(ResolveError::new(#message)) });
        } else {
            out.extend(quote! { return Err(ResolveError::new(#message)); });
        }
        Ok(out)
    }

    fn rule_body(
        &self,
        rule: &Value,
        scope: &Scope,
        tail: bool,
        counter: &mut usize,
    ) -> Result<TokenStream> {
        let kind = rule.get("type").and_then(Value::as_str).unwrap_or("");
        let ret = |value: TokenStream| {
            if tail {
                value
            } else {
                quote! { return #value; }
            }
        };
        match kind {
            "tree" => {
                let rules = rule
                    .get("rules")
                    .and_then(Value::as_array)
                    .ok_or_else(|| self.err("a tree rule without `rules`"))?;
                self.rule_list(rules, scope, tail, counter)
            }
            "error" => {
                let e =
                    rule.get("error").ok_or_else(|| self.err("an error rule without `error`"))?;
                let message = match e.as_str().map(|s| self.template(s, scope)).transpose()? {
                    Some(Template::Literal(s)) => quote! { #s },
                    _ => self.owned_string(e, scope)?,
                };
                Ok(ret(quote! { Err(ResolveError::new(#message)) }))
            }
            "endpoint" => {
                let e = rule
                    .get("endpoint")
                    .ok_or_else(|| self.err("an endpoint rule without `endpoint`"))?;
                let url = self.owned_string(
                    e.get("url").ok_or_else(|| self.err("an endpoint without `url`"))?,
                    scope,
                )?;
                let headers = match e.get("headers").and_then(Value::as_object) {
                    Some(h) if !h.is_empty() => {
                        let entries = h
                            .iter()
                            .map(|(name, values)| {
                                let values = values
                                    .as_array()
                                    .ok_or_else(|| {
                                        self.err(format!("header `{name}` is not a list"))
                                    })?
                                    .iter()
                                    .map(|v| self.owned_string(v, scope))
                                    .collect::<Result<Vec<_>>>()?;
                                Ok(quote! { (#name.to_owned(), vec![#(#values),*]) })
                            })
                            .collect::<Result<Vec<_>>>()?;
                        quote! { BTreeMap::from([#(#entries),*]) }
                    }
                    _ => quote! { BTreeMap::new() },
                };
                let properties = match e.get("properties").and_then(Value::as_object) {
                    Some(p) if !p.is_empty() => self.document_map(p, scope)?,
                    _ => quote! { BTreeMap::new() },
                };
                Ok(ret(
                    quote! { Ok(Endpoint { url: #url, headers: #headers, properties: #properties }) },
                ))
            }
            other => Err(self.err(format!("unknown rule type {other:?}"))),
        }
    }

    fn document_map(&self, map: &Map<String, Value>, scope: &Scope) -> Result<TokenStream> {
        let entries = map
            .iter()
            .map(|(k, v)| {
                let v = self.document(v, scope)?;
                Ok(quote! { (#k.to_owned(), #v) })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(quote! { BTreeMap::from([#(#entries),*]) })
    }

    /// A property value: JSON whose strings are templates.
    fn document(&self, value: &Value, scope: &Scope) -> Result<TokenStream> {
        Ok(match value {
            Value::Null => quote! { Document::Null },
            Value::Bool(b) => quote! { Document::Bool(#b) },
            Value::Number(n) => number_document(n),
            Value::String(_) => {
                let s = self.owned_string(value, scope)?;
                quote! { Document::String(#s) }
            }
            Value::Array(items) => {
                let items =
                    items.iter().map(|v| self.document(v, scope)).collect::<Result<Vec<_>>>()?;
                quote! { Document::Array(vec![#(#items),*]) }
            }
            Value::Object(map) if map.contains_key("ref") || map.contains_key("fn") => {
                let v = self.value_no_guards(value, scope)?;
                match v.ty {
                    Ty::Str => {
                        let t = v.tokens;
                        quote! { Document::String(#t.to_owned()) }
                    }
                    Ty::Bool => {
                        let t = v.tokens;
                        quote! { Document::Bool(#t) }
                    }
                    _ => {
                        return Err(self.err(
                            "an endpoint property that is not a string or boolean expression",
                        ))
                    }
                }
            }
            Value::Object(map) => {
                let m = self.document_map(map, scope)?;
                quote! { Document::Object(#m) }
            }
        })
    }

    /// A string-valued template or expression as an owned `String` (URLs, headers, errors).
    fn owned_string(&self, value: &Value, scope: &Scope) -> Result<TokenStream> {
        if let Value::String(s) = value {
            let parts = self.template(s, scope)?;
            return Ok(match parts {
                Template::Literal(s) => quote! { #s.to_owned() },
                Template::Single(t) => quote! { #t.to_owned() },
                Template::Format(t) => t,
            });
        }
        let v = self.value_no_guards(value, scope)?;
        if v.ty != Ty::Str {
            return Err(self.err("a URL, header or error that is not a string"));
        }
        let t = v.tokens;
        Ok(quote! { #t.to_owned() })
    }

    /// An expression outside a condition: it must be set (the rules check that first).
    fn value_no_guards(&self, value: &Value, scope: &Scope) -> Result<Val> {
        let mut guards = Vec::new();
        let mut counter = usize::MAX / 2;
        let v = self.expr(value, scope, &mut guards, &mut counter)?;
        if !guards.is_empty() || v.optional {
            return Err(self.err(format!("the value {value} may be unset where it is used")));
        }
        Ok(v)
    }

    /// A template string: `{Name}` and `{Name#path}` interpolate, `{{` and `}}` escape.
    fn template(&self, s: &str, scope: &Scope) -> Result<Template> {
        let mut fmt = String::new();
        let mut literal = String::new();
        let mut args = Vec::new();
        let mut single = None;
        let mut chars = s.chars().peekable();
        let mut pieces = 0;
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    fmt.push_str("{{");
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    fmt.push_str("}}");
                    literal.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => name.push(c),
                            None => {
                                return Err(self.err(format!("unclosed `{{` in template {s:?}")))
                            }
                        }
                    }
                    let expr = match name.split_once('#') {
                        Some((var, path)) => {
                            serde_json::json!({ "fn": "getAttr", "argv": [{ "ref": var }, path] })
                        }
                        None => serde_json::json!({ "ref": name }),
                    };
                    let v = self.value_no_guards(&expr, scope)?;
                    if v.ty != Ty::Str {
                        return Err(self.err(format!(
                            "template {s:?} interpolates `{name}`, which is not a string"
                        )));
                    }
                    let t = v.tokens;
                    if let Ok(id) = syn::parse2::<syn::Ident>(t.clone()) {
                        fmt.push_str(&format!("{{{id}}}"));
                    } else {
                        fmt.push_str("{}");
                        args.push(t.clone());
                    }
                    single = Some(t);
                    pieces += 1;
                }
                c => {
                    fmt.push(c);
                    literal.push(c);
                }
            }
        }
        Ok(match (pieces, literal.is_empty()) {
            (0, _) => Template::Literal(literal),
            (1, true) => Template::Single(single.unwrap_or_default()),
            _ => Template::Format(quote! { format!(#fmt #(, #args)*) }),
        })
    }

    /// Compiles one condition into guards, updating the scope with what it binds.
    fn condition(
        &self,
        c: &Value,
        rule: &Value,
        scope: &mut Scope,
        guards: &mut Vec<Guard>,
        counter: &mut usize,
    ) -> Result<()> {
        // An assignment nothing in the rule reads is only a test of the value.
        let assign = c.get("assign").and_then(Value::as_str).filter(|name| {
            let mut used = false;
            find_ref(rule, name, &mut used);
            used
        });
        // `isSet(ref)` narrows the variable for the rest of the rule.
        if c.get("fn").and_then(Value::as_str) == Some("isSet") && assign.is_none() {
            if let Some(name) = c
                .get("argv")
                .and_then(|a| a.get(0))
                .and_then(|a| a.get("ref"))
                .and_then(Value::as_str)
            {
                let var = scope
                    .get(name)
                    .cloned()
                    .ok_or_else(|| self.err(format!("`{name}` is not defined")))?;
                if var.optional {
                    let local = local_name(name);
                    guards.push(Guard::IfLet(quote! { #local }, var.tokens));
                    scope.insert(
                        name.to_owned(),
                        Var { tokens: quote! { #local }, ty: var.ty, optional: false },
                    );
                }
                return Ok(());
            }
        }
        let first = guards.len();
        let v = self.expr(c, scope, guards, counter)?;
        for g in &guards[first..] {
            if let Guard::Narrow(name, ty, _) = g {
                let local = local_name(name);
                scope.insert(
                    name.clone(),
                    Var { tokens: quote! { #local }, ty: *ty, optional: false },
                );
            }
        }
        match assign {
            Some(name) => {
                if scope.contains_key(name) {
                    return Err(self.err(format!("`{name}` is assigned twice in scope")));
                }
                let local = local_name(name);
                let producer = v.tokens.clone();
                if v.optional {
                    guards.push(Guard::IfLet(quote! { #local }, producer));
                } else if v.ty == Ty::Bool {
                    guards.push(Guard::Let(quote! { #local }, producer));
                    guards.push(Guard::If(quote! { #local }));
                } else {
                    guards.push(Guard::Let(quote! { #local }, producer));
                }
                let tokens = canonical(quote! { #local }, v.ty, v.owned);
                scope.insert(name.to_owned(), Var { tokens, ty: v.ty, optional: false });
            }
            None => {
                if v.optional {
                    let t = v.tokens;
                    guards.push(Guard::If(quote! { #t.is_some() }));
                } else if v.ty == Ty::Bool {
                    match v.literal_bool {
                        Some(true) => {}
                        _ => guards.push(Guard::If(v.tokens)),
                    }
                }
                // Any other set value is truthy.
            }
        }
        Ok(())
    }

    /// An argument that must be set: an optional value is bound by an `if let` guard first.
    fn require(&self, v: Val, guards: &mut Vec<Guard>, counter: &mut usize) -> Val {
        if !v.optional {
            return Val { tokens: canonical(v.tokens, v.ty, v.owned), owned: false, ..v };
        }
        if let Some(name) = &v.var {
            let local = local_name(name);
            guards.push(Guard::Narrow(name.clone(), v.ty, v.tokens));
            return Val::new(quote! { #local }, v.ty);
        }
        let local = format_ident!("value_{}", *counter);
        *counter += 1;
        guards.push(Guard::IfLet(quote! { #local }, v.tokens));
        Val {
            tokens: canonical(quote! { #local }, v.ty, v.owned),
            ty: v.ty,
            optional: false,
            owned: false,
            literal_bool: None,
            var: None,
        }
    }

    fn expect(&self, v: &Val, ty: Ty, f: &str) -> Result<()> {
        if v.ty != ty {
            return Err(self.err(format!("`{f}` expects a {ty:?} argument, got a {:?}", v.ty)));
        }
        Ok(())
    }

    fn expr(
        &self,
        e: &Value,
        scope: &Scope,
        guards: &mut Vec<Guard>,
        counter: &mut usize,
    ) -> Result<Val> {
        match e {
            Value::Bool(b) => {
                Ok(Val { literal_bool: Some(*b), ..Val::new(quote! { #b }, Ty::Bool) })
            }
            Value::String(s) => Ok(match self.template(s, scope)? {
                Template::Literal(s) => Val::new(quote! { #s }, Ty::Str),
                Template::Single(t) => Val::new(t, Ty::Str),
                Template::Format(t) => Val { owned: true, ..Val::new(t, Ty::Str) },
            }),
            Value::Object(map) if map.contains_key("ref") => {
                let name = map.get("ref").and_then(Value::as_str).unwrap_or("");
                let var =
                    scope.get(name).ok_or_else(|| self.err(format!("`{name}` is not defined")))?;
                Ok(Val {
                    optional: var.optional,
                    var: var.optional.then(|| name.to_owned()),
                    ..Val::new(var.tokens.clone(), var.ty)
                })
            }
            Value::Object(map) if map.contains_key("fn") => {
                let f = map.get("fn").and_then(Value::as_str).unwrap_or("");
                let argv =
                    map.get("argv").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                self.call(f, argv, scope, guards, counter)
            }
            other => Err(self.err(format!("unsupported expression {other}"))),
        }
    }

    fn call(
        &self,
        f: &str,
        argv: &[Value],
        scope: &Scope,
        guards: &mut Vec<Guard>,
        counter: &mut usize,
    ) -> Result<Val> {
        let arity = |n: usize| -> Result<()> {
            if argv.len() != n {
                return Err(self.err(format!("`{f}` takes {n} arguments, not {}", argv.len())));
            }
            Ok(())
        };
        let arg = |i: usize, guards: &mut Vec<Guard>, counter: &mut usize| -> Result<Val> {
            let v = self.expr(&argv[i], scope, guards, counter)?;
            Ok(self.require(v, guards, counter))
        };
        match f {
            "isSet" => {
                arity(1)?;
                let v = self.expr(&argv[0], scope, guards, counter)?;
                let t = v.tokens;
                Ok(if v.optional {
                    Val::new(quote! { #t.is_some() }, Ty::Bool)
                } else {
                    Val { literal_bool: Some(true), ..Val::new(quote! { true }, Ty::Bool) }
                })
            }
            "not" => {
                arity(1)?;
                if let Some(inner) = argv[0]
                    .as_object()
                    .filter(|o| o.get("fn").and_then(Value::as_str) == Some("isSet"))
                {
                    let inner_argv = inner
                        .get("argv")
                        .and_then(Value::as_array)
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    if inner_argv.len() == 1 {
                        let v = self.expr(&inner_argv[0], scope, guards, counter)?;
                        let t = v.tokens;
                        return Ok(if v.optional {
                            Val::new(quote! { #t.is_none() }, Ty::Bool)
                        } else {
                            Val {
                                literal_bool: Some(false),
                                ..Val::new(quote! { false }, Ty::Bool)
                            }
                        });
                    }
                }
                let v = arg(0, guards, counter)?;
                self.expect(&v, Ty::Bool, f)?;
                let t = v.tokens;
                Ok(Val::new(quote! { !#t }, Ty::Bool))
            }
            "booleanEquals" => {
                arity(2)?;
                let a = arg(0, guards, counter)?;
                let b = arg(1, guards, counter)?;
                self.expect(&a, Ty::Bool, f)?;
                self.expect(&b, Ty::Bool, f)?;
                let (at, bt) = (a.tokens, b.tokens);
                let tokens = match (a.literal_bool, b.literal_bool) {
                    (Some(x), Some(y)) => {
                        let r = x == y;
                        return Ok(Val {
                            literal_bool: Some(r),
                            ..Val::new(quote! { #r }, Ty::Bool)
                        });
                    }
                    (_, Some(true)) => at,
                    (_, Some(false)) => quote! { !#at },
                    (Some(true), _) => bt,
                    (Some(false), _) => quote! { !#bt },
                    _ => quote! { #at == #bt },
                };
                Ok(Val::new(tokens, Ty::Bool))
            }
            "stringEquals" => {
                arity(2)?;
                let a = arg(0, guards, counter)?;
                let b = arg(1, guards, counter)?;
                self.expect(&a, Ty::Str, f)?;
                self.expect(&b, Ty::Str, f)?;
                let (at, bt) = (a.tokens, b.tokens);
                Ok(Val::new(quote! { #at == #bt }, Ty::Bool))
            }
            "getAttr" => {
                arity(2)?;
                let target = arg(0, guards, counter)?;
                let path =
                    argv[1].as_str().ok_or_else(|| self.err("`getAttr` needs a literal path"))?;
                self.get_attr(target, path)
            }
            "substring" => {
                arity(4)?;
                let s = arg(0, guards, counter)?;
                self.expect(&s, Ty::Str, f)?;
                let start = argv[1]
                    .as_u64()
                    .ok_or_else(|| self.err("`substring` needs literal integer bounds"))?;
                let stop = argv[2]
                    .as_u64()
                    .ok_or_else(|| self.err("`substring` needs literal integer bounds"))?;
                let rev = arg(3, guards, counter)?;
                self.expect(&rev, Ty::Bool, f)?;
                let (st, rt) = (s.tokens, rev.tokens);
                let (start, stop) = (
                    Literal::usize_unsuffixed(start as usize),
                    Literal::usize_unsuffixed(stop as usize),
                );
                Ok(Val {
                    optional: true,
                    owned: true,
                    ..Val::new(quote! { endpoint_lib::substring(#st, #start, #stop, #rt) }, Ty::Str)
                })
            }
            "uriEncode" => {
                arity(1)?;
                let s = arg(0, guards, counter)?;
                self.expect(&s, Ty::Str, f)?;
                let t = s.tokens;
                Ok(Val {
                    owned: true,
                    ..Val::new(quote! { endpoint_lib::uri_encode(#t) }, Ty::Str)
                })
            }
            "parseURL" => {
                arity(1)?;
                let s = arg(0, guards, counter)?;
                self.expect(&s, Ty::Str, f)?;
                let t = s.tokens;
                Ok(Val {
                    optional: true,
                    owned: true,
                    ..Val::new(quote! { endpoint_lib::parse_url(#t) }, Ty::Url)
                })
            }
            "isValidHostLabel" | "aws.isVirtualHostableS3Bucket" => {
                arity(2)?;
                let s = arg(0, guards, counter)?;
                let b = arg(1, guards, counter)?;
                self.expect(&s, Ty::Str, f)?;
                self.expect(&b, Ty::Bool, f)?;
                let (st, bt) = (s.tokens, b.tokens);
                let func = if f == "isValidHostLabel" {
                    quote! { is_valid_host_label }
                } else {
                    quote! { is_virtual_hostable_s3_bucket }
                };
                Ok(Val::new(quote! { endpoint_lib::#func(#st, #bt) }, Ty::Bool))
            }
            "aws.partition" => {
                arity(1)?;
                let s = arg(0, guards, counter)?;
                self.expect(&s, Ty::Str, f)?;
                let t = s.tokens;
                Ok(Val {
                    optional: true,
                    ..Val::new(
                        quote! { endpoint_lib::partition(partitions::PARTITIONS, #t) },
                        Ty::Partition,
                    )
                })
            }
            "aws.parseArn" => {
                arity(1)?;
                let s = arg(0, guards, counter)?;
                self.expect(&s, Ty::Str, f)?;
                let t = s.tokens;
                Ok(Val {
                    optional: true,
                    owned: true,
                    ..Val::new(quote! { endpoint_lib::parse_arn(#t) }, Ty::Arn)
                })
            }
            other => Err(self.err(format!("the function `{other}` is not supported"))),
        }
    }

    /// `getAttr(target, "a.b[0]")`.
    fn get_attr(&self, target: Val, path: &str) -> Result<Val> {
        let mut cur = target;
        for segment in path.split('.') {
            let (name, index) = match segment.split_once('[') {
                Some((name, rest)) => {
                    let i = rest
                        .strip_suffix(']')
                        .and_then(|i| i.parse::<usize>().ok())
                        .ok_or_else(|| self.err(format!("bad getAttr path {path:?}")))?;
                    (name, Some(i))
                }
                None => (segment, None),
            };
            if cur.optional {
                return Err(self
                    .err(format!("getAttr path {path:?} goes through a value that may be unset")));
            }
            if !name.is_empty() {
                let t = cur.tokens.clone();
                let (field, ty) = match (cur.ty, name) {
                    (Ty::Partition, "name") => (quote! { #t.name }, Ty::Str),
                    (Ty::Partition, "dnsSuffix") => (quote! { #t.dns_suffix }, Ty::Str),
                    (Ty::Partition, "dualStackDnsSuffix") => {
                        (quote! { #t.dual_stack_dns_suffix }, Ty::Str)
                    }
                    (Ty::Partition, "implicitGlobalRegion") => {
                        (quote! { #t.implicit_global_region }, Ty::Str)
                    }
                    (Ty::Partition, "supportsFIPS") => (quote! { #t.supports_fips }, Ty::Bool),
                    (Ty::Partition, "supportsDualStack") => {
                        (quote! { #t.supports_dual_stack }, Ty::Bool)
                    }
                    (Ty::Url, "scheme") => (quote! { #t.scheme.as_str() }, Ty::Str),
                    (Ty::Url, "authority") => (quote! { #t.authority.as_str() }, Ty::Str),
                    (Ty::Url, "path") => (quote! { #t.path.as_str() }, Ty::Str),
                    (Ty::Url, "normalizedPath") => {
                        (quote! { #t.normalized_path.as_str() }, Ty::Str)
                    }
                    (Ty::Url, "isIp") => (quote! { #t.is_ip }, Ty::Bool),
                    (Ty::Arn, "partition") => (quote! { #t.partition.as_str() }, Ty::Str),
                    (Ty::Arn, "service") => (quote! { #t.service.as_str() }, Ty::Str),
                    (Ty::Arn, "region") => (quote! { #t.region.as_str() }, Ty::Str),
                    (Ty::Arn, "accountId") => (quote! { #t.account_id.as_str() }, Ty::Str),
                    (Ty::Arn, "resourceId") => (quote! { #t.resource_id.as_slice() }, Ty::StrArray),
                    (ty, name) => {
                        return Err(self.err(format!("getAttr: a {ty:?} has no attribute `{name}`")))
                    }
                };
                cur = Val::new(field, ty);
            }
            if let Some(i) = index {
                if cur.ty != Ty::StrArray {
                    return Err(self.err(format!("getAttr path {path:?} indexes a {:?}", cur.ty)));
                }
                let t = cur.tokens;
                let i = Literal::usize_unsuffixed(i);
                cur = Val {
                    optional: true,
                    ..Val::new(quote! { endpoint_lib::element(#t, #i) }, Ty::Str)
                };
            }
        }
        Ok(cur)
    }

    /// `tests/endpoint_tests.rs`: one test per `smithy.rules#endpointTests` case.
    fn tests(&self, crate_name: &str, tests: &Value) -> Result<TokenStream> {
        let krate = ident(&symbols::library_name(crate_name));
        let cases =
            tests.get("testCases").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let mut names = std::collections::BTreeSet::new();
        let mut fns = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let doc = case.get("documentation").and_then(Value::as_str).unwrap_or("");
            let name = symbols::test_name(if doc.is_empty() { "case" } else { doc });
            let fn_name = ident(&symbols::claim_unique(&mut names, name));
            let mut setters = Vec::new();
            if let Some(params) = case.get("params").and_then(Value::as_object) {
                for (k, v) in params {
                    let p = self.params.iter().find(|p| &p.name == k).ok_or_else(|| {
                        self.err(format!("endpoint test {i} sets the unknown parameter `{k}`"))
                    })?;
                    let field = ident(&p.field);
                    let value = match (p.ty, v) {
                        (ParamType::String, Value::String(s)) => quote! { #s },
                        (ParamType::Boolean, Value::Bool(b)) => quote! { #b },
                        (ParamType::StringArray, Value::Array(a)) => {
                            let items = a.iter().map(|s| s.as_str().unwrap_or_default());
                            quote! { vec![#(#items.to_owned()),*] }
                        }
                        _ => {
                            return Err(self.err(format!(
                                "endpoint test {i}: parameter `{k}` has a value of the wrong type"
                            )))
                        }
                    };
                    setters.push(quote! { .#field(#value) });
                }
            }
            let expect = case
                .get("expect")
                .ok_or_else(|| self.err(format!("endpoint test {i} has no `expect`")))?;
            let check = if let Some(message) = expect.get("error").and_then(Value::as_str) {
                quote! {
                    let error = resolve(&params).expect_err("the rules give an error");
                    assert_eq!(error.to_string(), #message);
                }
            } else if let Some(ep) = expect.get("endpoint") {
                let url = ep.get("url").and_then(Value::as_str).unwrap_or("");
                let headers = ep.get("headers").and_then(Value::as_object).map(|h| {
                    let entries = h.iter().map(|(k, v)| {
                        let vs = v
                            .as_array()
                            .map(Vec::as_slice)
                            .unwrap_or(&[])
                            .iter()
                            .map(|s| s.as_str().unwrap_or_default());
                        quote! { (#k.to_owned(), vec![#(#vs.to_owned()),*]) }
                    });
                    quote! { BTreeMap::from([#(#entries),*]) }
                });
                let headers = headers.unwrap_or_else(|| quote! { BTreeMap::new() });
                let properties = match ep.get("properties").and_then(Value::as_object) {
                    Some(p) => literal_document_map(p),
                    None => quote! { BTreeMap::new() },
                };
                quote! {
                    let endpoint = resolve(&params).expect("the rules give an endpoint");
                    assert_eq!(endpoint.url, #url);
                    let headers: BTreeMap<String, Vec<String>> = #headers;
                    assert_eq!(endpoint.headers, headers);
                    let properties: BTreeMap<String, Document> = #properties;
                    assert_eq!(endpoint.properties, properties);
                }
            } else {
                return Err(
                    self.err(format!("endpoint test {i} expects neither an endpoint nor an error"))
                );
            };
            let doc = format!(" {}", if doc.is_empty() { "(no documentation)" } else { doc });
            fns.push(quote! {
                #[doc = #doc]
                #[test]
                fn #fn_name() {
                    let params = Params::builder() #(#setters)* .build();
                    #check
                }
            });
        }
        Ok(quote! {
            //! The model's `smithy.rules#endpointTests`, one test per case.
            #![allow(unused_imports)]

            use std::collections::BTreeMap;

            use #krate::endpoint::{resolve, Params};
            use #krate::primitives::{Document, Number};

            #(#fns)*
        })
    }
}

enum Template {
    Literal(String),
    Single(TokenStream),
    Format(TokenStream),
}

/// The canonical form of a binding of `ty` (`owned`: it holds the owned form).
fn canonical(tokens: TokenStream, ty: Ty, owned: bool) -> TokenStream {
    match (ty, owned) {
        (Ty::Str, true) => quote! { #tokens.as_str() },
        (Ty::StrArray, true) => quote! { #tokens.as_slice() },
        _ => tokens,
    }
}

/// The local variable for a rule-set name (`PartitionResult` → `partition_result`).
fn local_name(name: &str) -> syn::Ident {
    let mut local = symbols::field_name(name).trim_start_matches("r#").to_owned();
    if local == "params" || local == "self_" || syn::parse_str::<syn::Ident>(&local).is_err() {
        local = format!("var_{local}");
    }
    format_ident!("{}", local)
}

/// Wraps `body` in the guards, outermost first; consecutive `if`s are joined with `&&`.
fn nest(guards: Vec<Guard>, body: TokenStream) -> TokenStream {
    let mut merged: Vec<Guard> = Vec::new();
    for g in guards {
        match (merged.last_mut(), g) {
            (Some(Guard::If(prev)), Guard::If(next)) => {
                *prev = quote! { #prev && #next };
            }
            (_, g) => merged.push(g),
        }
    }
    merged.into_iter().rev().fold(body, |inner, g| match g {
        Guard::If(c) => quote! { if #c { #inner } },
        Guard::IfLet(pat, e) => quote! { if let Some(#pat) = #e { #inner } },
        Guard::Let(pat, e) => quote! { { let #pat = #e; #inner } },
        Guard::Narrow(name, _, e) => {
            let local = local_name(&name);
            quote! { if let Some(#local) = #e { #inner } }
        }
    })
}

fn default_tokens(ty: ParamType, d: &Value) -> TokenStream {
    match (ty, d) {
        (ParamType::String, Value::String(s)) => quote! { #s.to_owned() },
        (ParamType::Boolean, Value::Bool(b)) => quote! { #b },
        (ParamType::StringArray, Value::Array(a)) => {
            let items = a.iter().map(|s| s.as_str().unwrap_or_default());
            quote! { vec![#(#items.to_owned()),*] }
        }
        _ => quote! { Default::default() },
    }
}

fn literal_document_map(map: &Map<String, Value>) -> TokenStream {
    let entries = map.iter().map(|(k, v)| {
        let v = literal_document(v);
        quote! { (#k.to_owned(), #v) }
    });
    quote! { BTreeMap::from([#(#entries),*]) }
}

/// A JSON number as a `Document` (the same in literal and templated property values).
fn number_document(n: &serde_json::Number) -> TokenStream {
    if let Some(u) = n.as_u64() {
        quote! { Document::Number(Number::PosInt(#u)) }
    } else if let Some(i) = n.as_i64() {
        quote! { Document::Number(Number::NegInt(#i)) }
    } else {
        let f = Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
        quote! { Document::Number(Number::Float(#f)) }
    }
}

fn literal_document(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote! { Document::Null },
        Value::Bool(b) => quote! { Document::Bool(#b) },
        Value::Number(n) => number_document(n),
        Value::String(s) => quote! { Document::String(#s.to_owned()) },
        Value::Array(items) => {
            let items = items.iter().map(literal_document);
            quote! { Document::Array(vec![#(#items),*]) }
        }
        Value::Object(map) => {
            let m = literal_document_map(map);
            quote! { Document::Object(#m) }
        }
    }
}

/// Whether the rules (or templates in them) refer to `name`.
fn find_ref(value: &Value, name: &str, found: &mut bool) {
    match value {
        Value::Object(map) => {
            if map.get("ref").and_then(Value::as_str) == Some(name) {
                *found = true;
            }
            map.iter()
                .filter(|(k, _)| k.as_str() != "parameters")
                .for_each(|(_, v)| find_ref(v, name, found));
        }
        Value::Array(items) => items.iter().for_each(|v| find_ref(v, name, found)),
        Value::String(s)
            if s.contains(&format!("{{{name}}}")) || s.contains(&format!("{{{name}#")) =>
        {
            *found = true
        }
        _ => {}
    }
}

fn find_fn(value: &Value, name: &str, found: &mut bool) {
    match value {
        Value::Object(map) => {
            if map.get("fn").and_then(Value::as_str) == Some(name) {
                *found = true;
            }
            map.values().for_each(|v| find_fn(v, name, found));
        }
        Value::Array(items) => items.iter().for_each(|v| find_fn(v, name, found)),
        _ => {}
    }
}

/// `src/endpoint/partitions.rs`: the partition table `aws.partition` reads.
fn partitions_table(owner: &str) -> Result<TokenStream> {
    let err = |m: &str| type_error(owner, format!("the embedded partitions.json: {m}"));
    let data: Value = serde_json::from_str(PARTITIONS_JSON).map_err(|e| err(&e.to_string()))?;
    let partitions =
        data.get("partitions").and_then(Value::as_array).ok_or_else(|| err("no `partitions`"))?;
    let mut entries = Vec::new();
    for p in partitions {
        let id =
            p.get("id").and_then(Value::as_str).ok_or_else(|| err("a partition without `id`"))?;
        let regex = p
            .get("regionRegex")
            .and_then(Value::as_str)
            .ok_or_else(|| err("a partition without `regionRegex`"))?;
        let outputs = p
            .get("outputs")
            .and_then(Value::as_object)
            .ok_or_else(|| err("a partition without `outputs`"))?;
        let base =
            partition_outputs(outputs, None).ok_or_else(|| err("incomplete partition outputs"))?;
        let mut regions = Vec::new();
        let mut overridden = Vec::new();
        for (name, region) in p.get("regions").and_then(Value::as_object).into_iter().flatten() {
            let overrides = region.as_object().filter(|o| o.keys().any(|k| k != "description"));
            match overrides {
                Some(o) => {
                    let outputs = partition_outputs(outputs, Some(o))
                        .ok_or_else(|| err("incomplete region outputs"))?;
                    overridden.push(quote! { (#name, #outputs) });
                }
                None => regions.push(name.as_str()),
            }
        }
        entries.push(quote! {
            PartitionData {
                id: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                region_overrides: &[#(#overridden),*],
                outputs: #base,
            }
        });
    }
    Ok(quote! {
        //! AWS's partition data (from botocore's `partitions.json`), for `aws.partition`.

        use crate::primitives::endpoint_lib::{Partition, PartitionData};

        /// The partitions, in the order `aws.partition` tries their region patterns.
        pub(super) static PARTITIONS: &[PartitionData] = &[#(#entries),*];
    })
}

/// A `Partition` value from a partition's outputs, with a region's overrides.
fn partition_outputs(
    outputs: &Map<String, Value>,
    overrides: Option<&Map<String, Value>>,
) -> Option<TokenStream> {
    let get = |key: &str| overrides.and_then(|o| o.get(key)).or_else(|| outputs.get(key));
    let s = |key: &str| get(key).and_then(Value::as_str).map(str::to_owned);
    let b = |key: &str| get(key).and_then(Value::as_bool);
    let (name, dns, dual_dns, fips, dual, global) = (
        s("name")?,
        s("dnsSuffix")?,
        s("dualStackDnsSuffix")?,
        b("supportsFIPS")?,
        b("supportsDualStack")?,
        s("implicitGlobalRegion")?,
    );
    Some(quote! {
        Partition {
            name: #name,
            dns_suffix: #dns,
            dual_stack_dns_suffix: #dual_dns,
            supports_fips: #fips,
            supports_dual_stack: #dual,
            implicit_global_region: #global,
        }
    })
}
