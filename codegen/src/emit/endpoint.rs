//! `crate::endpoint`: the service's endpoint rule set ([`ir::endpoint`](crate::ir::endpoint), typed
//! and checked by resolve) compiled to Rust, and its test cases as the crate's
//! `tests/endpoint_tests.rs`.
//!
//! The rules become straight code: every condition an `if` / `if let` (an unset value makes a
//! condition false, an `assign` binds the value), tree rules nest, endpoint rules return an
//! `Endpoint` (URL template with `{Var}` / `{Var#attr}` interpolation, headers, properties) and
//! error rules a `ResolveError`. Values have the static types resolve gave them (string,
//! boolean, string array, and the records `aws.partition`, `parseURL` and `aws.parseArn`
//! return), so `getAttr` becomes a field access. Compound expressions are built with their
//! precedence known (`not(stringEquals(a, b))` is `a != b`, an operand is parenthesized when it
//! binds more loosely than its operator), so nesting never changes what a rule means. The
//! functions of the rules-engine standard library live in the hand-written runtime file
//! `primitives::endpoint_lib`; the partition data becomes a Rust table in
//! `src/endpoint/partitions.rs`.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::emit::tokens::{doc_lines, ident};
use crate::error::{Error, Result};
use crate::ir::endpoint::{
    Attribute, BuiltIn, Call, Condition, Document, Endpoint, Expectation, Expr, ExprKind, Number,
    Parameter, ParameterType, ParameterValue, Partition, PartitionOutputs, PathStep, Property,
    Rule, RuleBody, RuleSet, TemplatePart, TestCase, Type,
};
use crate::ir::Service;

/// The files of the endpoint module (and its tests), for every service.
pub fn files(service: &Service) -> Result<Vec<(String, TokenStream)>> {
    let Some(rule_set) = &service.endpoint else {
        return Ok(vec![("src/endpoint/mod.rs".into(), module_without_rules())]);
    };
    let compiler = Compiler { owner: service.id.as_str(), rule_set };
    let (module, uses_partitions) = compiler.module()?;
    let mut files = vec![("src/endpoint/mod.rs".to_string(), module)];
    match &rule_set.partitions {
        Some(partitions) if uses_partitions => {
            files.push(("src/endpoint/partitions.rs".to_string(), partitions_table(partitions)))
        }
        _ => {}
    }
    if let Some(tests) = &rule_set.tests {
        files.push((
            "tests/endpoint_tests.rs".to_string(),
            test_file(&service.crate_name, rule_set, tests),
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

/// How tightly a compiled expression binds, loosest first: an operand that binds more loosely
/// than its operator needs parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    /// `a == b`, `a != b`.
    Compare,
    /// `!a`.
    Unary,
    /// Literals, paths, calls, method calls, field accesses, macros.
    Atom,
}

/// A compiled expression. `tokens` evaluates to the value's *canonical* form (`&str`, `bool`,
/// `&[String]`, `Partition`, or a place of type `Url` / `Arn`), wrapped in `Option` when
/// `optional`. When `owned`, `tokens` is the owned form (`String`, `Vec<String>`, `Url`, `Arn`)
/// and [`canonical`] turns a binding of it into the canonical form.
#[derive(Clone)]
struct Val {
    tokens: TokenStream,
    prec: Prec,
    ty: Type,
    optional: bool,
    owned: bool,
    /// A literal boolean (`booleanEquals(x, true)` becomes `x`).
    literal_bool: Option<bool>,
    /// The empty string literal (`stringEquals(x, "")` becomes `x.is_empty()`).
    empty_str: bool,
    /// The optional parameter this value reads, with its local variable (binding it narrows
    /// the parameter).
    var: Option<(String, Ident)>,
    /// The negation of a boolean, when simpler than `!value` (`a != b`, `x.is_none()`, `x`
    /// for `!x`).
    negated: Option<(TokenStream, Prec)>,
}

impl Val {
    fn new(tokens: TokenStream, ty: Type) -> Self {
        Val::with_prec(tokens, Prec::Atom, ty)
    }

    fn with_prec(tokens: TokenStream, prec: Prec, ty: Type) -> Self {
        Val {
            tokens,
            prec,
            ty,
            optional: false,
            owned: false,
            literal_bool: None,
            empty_str: false,
            var: None,
            negated: None,
        }
    }

    fn literal(b: bool) -> Self {
        Val { literal_bool: Some(b), ..Val::new(quote! { #b }, Type::Bool) }
    }

    /// The tokens as an operand that must bind at least as tightly as `min`.
    fn operand(&self, min: Prec) -> TokenStream {
        let t = &self.tokens;
        if self.prec < min {
            quote! { (#t) }
        } else {
            t.clone()
        }
    }

    /// The boolean `!self`, in its simplest form.
    fn negate(self) -> Val {
        if let Some(b) = self.literal_bool {
            return Val::literal(!b);
        }
        match self.negated.clone() {
            Some((tokens, prec)) => Val {
                negated: Some((self.tokens, self.prec)),
                ..Val::with_prec(tokens, prec, Type::Bool)
            },
            None => {
                let operand = self.operand(Prec::Unary);
                Val {
                    negated: Some((self.tokens, self.prec)),
                    ..Val::with_prec(quote! { !#operand }, Prec::Unary, Type::Bool)
                }
            }
        }
    }

    /// `a == b` (with `a != b` as its negation); `a == !b` is `a != b`.
    fn equals(a: &Val, b: &Val) -> Val {
        let (a, b, negated) = match (a.not_of(), b.not_of()) {
            (None, Some(b)) => (a.clone(), b, true),
            (Some(a), None) => (a, b.clone(), true),
            _ => (a.clone(), b.clone(), false),
        };
        let (at, bt) = (a.operand(Prec::Unary), b.operand(Prec::Unary));
        let (eq, ne) = (quote! { #at == #bt }, quote! { #at != #bt });
        let (tokens, negation) = if negated { (ne, eq) } else { (eq, ne) };
        Val {
            negated: Some((negation, Prec::Compare)),
            ..Val::with_prec(tokens, Prec::Compare, Type::Bool)
        }
    }

    /// `x` when this is `!x`.
    fn not_of(&self) -> Option<Val> {
        match (&self.negated, self.tokens.clone().into_iter().next()) {
            (Some((tokens, prec)), Some(proc_macro2::TokenTree::Punct(p)))
                if p.as_char() == '!' && self.prec == Prec::Unary =>
            {
                Some(Val::with_prec(tokens.clone(), *prec, Type::Bool))
            }
            _ => None,
        }
    }

    /// `value.is_empty()` (on a `String` itself rather than its `.as_str()`).
    fn is_empty(&self) -> Val {
        let trees: Vec<proc_macro2::TokenTree> = self.tokens.clone().into_iter().collect();
        let receiver = match trees.as_slice() {
            [start @ .., proc_macro2::TokenTree::Punct(dot), proc_macro2::TokenTree::Ident(m), proc_macro2::TokenTree::Group(args)]
                if dot.as_char() == '.' && m == "as_str" && args.stream().is_empty() =>
            {
                start.iter().cloned().collect()
            }
            _ => self.operand(Prec::Atom),
        };
        Val::new(quote! { #receiver.is_empty() }, Type::Bool)
    }

    /// `value.method()`.
    fn method(&self, method: TokenStream) -> TokenStream {
        let t = self.operand(Prec::Atom);
        quote! { #t.#method() }
    }
}

/// A variable in scope: its canonical tokens and type; `local` for an optional parameter, the
/// variable that holds it once proven set.
#[derive(Clone)]
struct Var {
    tokens: TokenStream,
    ty: Type,
    optional: bool,
    local: Option<Ident>,
}

type Scope = BTreeMap<String, Var>;

/// One nesting level around a rule's body. A binding nothing inside reads is left out
/// (see [`nest`]).
enum Guard {
    /// `if condition`.
    If(TokenStream),
    /// `if let Some(local) = value`.
    IfLet(Ident, TokenStream),
    /// `let local = value;`, then `if local` when `test` (a boolean condition).
    Let { local: Ident, value: TokenStream, test: bool },
    /// An `if let` binding a parameter that may be unset: the rest of the rule sees it set.
    Narrow(String, Ident, Type, TokenStream),
}

impl Guard {
    /// Whether the guard always lets the body run.
    fn always_holds(&self) -> bool {
        matches!(self, Guard::Let { test: false, .. })
    }
}

struct Compiler<'a> {
    owner: &'a str,
    rule_set: &'a RuleSet,
}

fn type_error(owner: &str, message: impl Into<String>) -> Error {
    Error::unsupported(owner, format!("endpoint rule set: {}", message.into()))
}

fn field_type(p: &Parameter) -> TokenStream {
    let base = value_type(p.ty);
    if p.optional() {
        quote! { Option<#base> }
    } else {
        base
    }
}

fn value_type(ty: ParameterType) -> TokenStream {
    match ty {
        ParameterType::String => quote! { String },
        ParameterType::Boolean => quote! { bool },
        ParameterType::StringArray => quote! { Vec<String> },
    }
}

impl Compiler<'_> {
    /// An inconsistency between the tree and what resolve checked (a generator bug).
    fn err(&self, message: impl Into<String>) -> Error {
        type_error(self.owner, message)
    }

    /// `src/endpoint/mod.rs`, and whether it reads the partition table (`aws.partition` in a
    /// reachable rule).
    fn module(&self) -> Result<(TokenStream, bool)> {
        let common = common_types();
        let params = &self.rule_set.parameters;
        let fields = params.iter().map(|p| {
            let field = ident(&p.field);
            let ty = field_type(p);
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
                doc.push_str(&format!(", built-in `{}`", b.name()));
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
        let builder_fields = params.iter().map(|p| {
            let field = ident(&p.field);
            let ty = value_type(p.ty);
            quote! { #field: Option<#ty>, }
        });
        let setters = params.iter().map(|p| {
            let field = ident(&p.field);
            let method = ident(&p.method);
            let setter = ident(&p.setter);
            let ty = value_type(p.ty);
            let doc = format!(" Sets `{}`.", p.name);
            let (arg, conv) = match p.ty {
                ParameterType::String => (quote! { impl Into<String> }, quote! { value.into() }),
                _ => (ty.clone(), quote! { value }),
            };
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: #arg) -> Self {
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
        let build_fields = params.iter().map(|p| {
            let field = ident(&p.field);
            match &p.default {
                None => quote! { #field: self.#field },
                Some(ParameterValue::Boolean(b)) => quote! { #field: self.#field.unwrap_or(#b) },
                Some(d) => {
                    let d = parameter_value(d);
                    quote! { #field: self.#field.unwrap_or_else(|| #d) }
                }
            }
        });
        let from_built_ins = params.iter().filter_map(|p| {
            let value = match (p.ty, p.built_in.as_ref()?) {
                (ParameterType::String, BuiltIn::Region) => quote! { b.region.clone() },
                (ParameterType::String, BuiltIn::Endpoint) => quote! { b.endpoint.clone() },
                (ParameterType::Boolean, BuiltIn::UseFips) => quote! { Some(b.use_fips) },
                (ParameterType::Boolean, BuiltIn::UseDualStack) => {
                    quote! { Some(b.use_dual_stack) }
                }
                _ => return None,
            };
            let setter = ident(&p.setter);
            Some(quote! { .#setter(#value) })
        });
        // Required parameters without a default are checked first; then they are set.
        let mut required = Vec::new();
        let mut scope = Scope::new();
        for p in params {
            let field = ident(&p.field);
            let local = ident(&p.local);
            let (tokens, ty) = match (p.ty, p.optional()) {
                (ParameterType::String, true) => (quote! { params.#field.as_deref() }, Type::Str),
                (ParameterType::String, false) => (quote! { params.#field.as_str() }, Type::Str),
                (ParameterType::Boolean, _) => (quote! { params.#field }, Type::Bool),
                (ParameterType::StringArray, true) => {
                    (quote! { params.#field.as_deref() }, Type::StrArray)
                }
                (ParameterType::StringArray, false) => {
                    (quote! { params.#field.as_slice() }, Type::StrArray)
                }
            };
            if p.required && p.optional() {
                let message = format!("the endpoint parameter `{}` is required", p.name);
                scope.insert(
                    p.name.clone(),
                    Var { tokens: quote! { #local }, ty, optional: false, local: None },
                );
                required.push((field, local, tokens, message));
                continue;
            }
            let optional = p.optional();
            scope.insert(p.name.clone(), Var { tokens, ty, optional, local: Some(local) });
        }
        let mut counter = 0usize;
        let body = self.rule_list(&self.rule_set.rules, &scope, true, &mut counter)?;
        let required_checks = required.into_iter().map(|(field, local, tokens, message)| {
            if mentions(&body, &local) {
                quote! {
                    let Some(#local) = #tokens else {
                        return Err(ResolveError::new(#message));
                    };
                }
            } else {
                quote! {
                    if params.#field.is_none() {
                        return Err(ResolveError::new(#message));
                    }
                }
            }
        });
        let required_checks: Vec<TokenStream> = required_checks.collect();
        // Rules that decide without reading a parameter (or sets without parameters).
        let params_arg = if required_checks.is_empty() && !mentions(&body, &ident("params")) {
            ident("_params")
        } else {
            ident("params")
        };
        let from_built_ins: Vec<TokenStream> = from_built_ins.collect();
        let built_ins_arg = if from_built_ins.is_empty() { ident("_b") } else { ident("b") };
        let uses_partitions = mentions(&body, &ident("partitions"));
        let partitions = if uses_partitions {
            quote! { mod partitions; }
        } else {
            quote! {}
        };
        let module = quote! {
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
                    <ParamsBuilder as ::std::default::Default>::default()
                }

                /// The parameters an SDK fills from its built-in settings; the others keep their
                /// defaults.
                pub fn from_built_ins(#built_ins_arg: &BuiltIns) -> Params {
                    <ParamsBuilder as ::std::default::Default>::default() #(#from_built_ins)* .build()
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
            pub fn resolve(#params_arg: &Params) -> Result<Endpoint, ResolveError> {
                #(#required_checks)*
                #body
            }
        };
        Ok((module, uses_partitions))
    }

    /// A list of rules: the first whose conditions hold decides. In `tail` position the last
    /// value is the function's tail expression; otherwise every outcome `return`s.
    fn rule_list(
        &self,
        rules: &[Rule],
        scope: &Scope,
        tail: bool,
        counter: &mut usize,
    ) -> Result<TokenStream> {
        let mut out = TokenStream::new();
        for rule in rules {
            let mut inner = scope.clone();
            let mut guards = Vec::new();
            for c in &rule.conditions {
                self.condition(c, &mut inner, &mut guards, counter)?;
            }
            if guards.iter().all(Guard::always_holds) {
                // Always matches: the rules after it are unreachable.
                let body = self.rule_body(rule, &inner, tail, counter)?;
                out.extend(nest(guards, body));
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
        rule: &Rule,
        scope: &Scope,
        tail: bool,
        counter: &mut usize,
    ) -> Result<TokenStream> {
        let ret = |value: TokenStream| {
            if tail {
                value
            } else {
                quote! { return #value; }
            }
        };
        match &rule.body {
            RuleBody::Tree(rules) => self.rule_list(rules, scope, tail, counter),
            RuleBody::Error(e) => {
                let message = match self.string_parts(e, scope)? {
                    Some(Template::Literal(s)) => quote! { #s },
                    _ => self.owned_string(e, scope)?,
                };
                Ok(ret(quote! { Err(ResolveError::new(#message)) }))
            }
            RuleBody::Endpoint(Endpoint { url, headers, properties }) => {
                let url = self.owned_string(url, scope)?;
                let headers = if headers.is_empty() {
                    quote! { BTreeMap::new() }
                } else {
                    let entries = headers
                        .iter()
                        .map(|(name, values)| {
                            let values = values
                                .iter()
                                .map(|v| self.owned_string(v, scope))
                                .collect::<Result<Vec<_>>>()?;
                            Ok(quote! { (#name.to_owned(), vec![#(#values),*]) })
                        })
                        .collect::<Result<Vec<_>>>()?;
                    quote! { BTreeMap::from([#(#entries),*]) }
                };
                let properties = if properties.is_empty() {
                    quote! { BTreeMap::new() }
                } else {
                    self.property_map(properties, scope)?
                };
                Ok(ret(
                    quote! { Ok(Endpoint { url: #url, headers: #headers, properties: #properties }) },
                ))
            }
        }
    }

    fn property_map(&self, map: &[(String, Property)], scope: &Scope) -> Result<TokenStream> {
        let entries = map
            .iter()
            .map(|(k, v)| {
                let v = self.property(v, scope)?;
                Ok(quote! { (#k.to_owned(), #v) })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(quote! { BTreeMap::from([#(#entries),*]) })
    }

    /// A property value as a `Document`.
    fn property(&self, value: &Property, scope: &Scope) -> Result<TokenStream> {
        Ok(match value {
            Property::Null => quote! { Document::Null },
            Property::Bool(b) => quote! { Document::Bool(#b) },
            Property::Number(n) => number_document(*n),
            Property::String(e) => {
                let s = self.owned_string(e, scope)?;
                quote! { Document::String(#s) }
            }
            Property::Array(items) => {
                let items =
                    items.iter().map(|v| self.property(v, scope)).collect::<Result<Vec<_>>>()?;
                quote! { Document::Array(vec![#(#items),*]) }
            }
            Property::Expr(e) => {
                let v = self.value(e, scope)?;
                let t = v.operand(Prec::Atom);
                match v.ty {
                    Type::Str => quote! { Document::String(#t.to_owned()) },
                    _ => {
                        let t = v.tokens;
                        quote! { Document::Bool(#t) }
                    }
                }
            }
            Property::Object(map) => {
                let m = self.property_map(map, scope)?;
                quote! { Document::Object(#m) }
            }
        })
    }

    /// A template string's pieces; `None` for any other expression.
    fn string_parts(&self, e: &Expr, scope: &Scope) -> Result<Option<Template>> {
        match &e.kind {
            ExprKind::String(parts) => Ok(Some(self.template(parts, scope)?)),
            _ => Ok(None),
        }
    }

    /// A string-valued template or expression as an owned `String` (URLs, headers, errors).
    fn owned_string(&self, e: &Expr, scope: &Scope) -> Result<TokenStream> {
        if let Some(parts) = self.string_parts(e, scope)? {
            return Ok(match parts {
                Template::Literal(s) => quote! { #s.to_owned() },
                Template::Single(v) => v.method(quote! { to_owned }),
                Template::Format(t) => t,
            });
        }
        let v = self.value(e, scope)?;
        Ok(v.method(quote! { to_owned }))
    }

    /// An expression outside a condition: resolve has checked that it is set.
    fn value(&self, e: &Expr, scope: &Scope) -> Result<Val> {
        let mut guards = Vec::new();
        let mut counter = usize::MAX / 2;
        let v = self.expr(e, scope, &mut guards, &mut counter)?;
        if !guards.is_empty() || v.optional {
            return Err(self.err("a value that may be unset where it is used"));
        }
        Ok(v)
    }

    /// A template: `{Name}` interpolations go into `format!` (`{{` and `}}` escape).
    fn template(&self, parts: &[TemplatePart], scope: &Scope) -> Result<Template> {
        let mut fmt = String::new();
        let mut literal = String::new();
        let mut args = Vec::new();
        let mut single = None;
        let mut pieces = 0;
        for part in parts {
            match part {
                TemplatePart::Literal(text) => {
                    fmt.push_str(&text.replace('{', "{{").replace('}', "}}"));
                    literal.push_str(text);
                }
                TemplatePart::Value(e) => {
                    let v = self.value(e, scope)?;
                    match syn::parse2::<syn::Ident>(v.tokens.clone()) {
                        Ok(id) => fmt.push_str(&format!("{{{id}}}")),
                        Err(_) => {
                            fmt.push_str("{}");
                            args.push(v.tokens.clone());
                        }
                    }
                    single = Some(v);
                    pieces += 1;
                }
            }
        }
        Ok(match (pieces, single) {
            (1, Some(v)) if literal.is_empty() => Template::Single(v),
            (0, _) => Template::Literal(literal),
            _ => Template::Format(quote! { format!(#fmt #(, #args)*) }),
        })
    }

    /// Compiles one condition into guards, updating the scope with what it binds.
    fn condition(
        &self,
        c: &Condition,
        scope: &mut Scope,
        guards: &mut Vec<Guard>,
        counter: &mut usize,
    ) -> Result<()> {
        // An assignment nothing in the rule reads is only a test of the value.
        let assign = c.assign.as_ref().filter(|a| a.used);
        // `isSet(X)` narrows the variable for the rest of the rule.
        if let (None, ExprKind::Call(call)) = (assign, &c.expr.kind) {
            if let Call::IsSet(Expr { kind: ExprKind::Ref(name), .. }) = call.as_ref() {
                let var = self.lookup(scope, name)?;
                if var.optional {
                    let local = var.local.clone().ok_or_else(|| self.unbound(name))?;
                    guards.push(Guard::IfLet(local.clone(), var.tokens));
                    scope.insert(
                        name.to_owned(),
                        Var { tokens: quote! { #local }, ty: var.ty, optional: false, local: None },
                    );
                }
                return Ok(());
            }
        }
        let first = guards.len();
        let v = self.expr(&c.expr, scope, guards, counter)?;
        for g in &guards[first..] {
            if let Guard::Narrow(name, local, ty, _) = g {
                scope.insert(
                    name.clone(),
                    Var { tokens: quote! { #local }, ty: *ty, optional: false, local: None },
                );
            }
        }
        match assign {
            Some(a) => {
                let local = ident(&a.local);
                if v.optional {
                    guards.push(Guard::IfLet(local.clone(), v.tokens.clone()));
                } else {
                    let test = v.ty == Type::Bool;
                    guards.push(Guard::Let { local: local.clone(), value: v.tokens.clone(), test });
                }
                let tokens = canonical(quote! { #local }, v.ty, v.owned);
                scope
                    .insert(a.name.clone(), Var { tokens, ty: v.ty, optional: false, local: None });
            }
            None => {
                if v.optional {
                    guards.push(Guard::If(v.method(quote! { is_some })));
                } else if v.ty == Type::Bool && v.literal_bool != Some(true) {
                    guards.push(Guard::If(v.tokens));
                }
                // Any other set value is truthy.
            }
        }
        Ok(())
    }

    fn lookup(&self, scope: &Scope, name: &str) -> Result<Var> {
        scope.get(name).cloned().ok_or_else(|| self.err(format!("`{name}` is not defined")))
    }

    fn unbound(&self, name: &str) -> Error {
        self.err(format!("`{name}` may be unset and has no local variable"))
    }

    /// An argument that must be set: an optional value is bound by an `if let` guard first.
    fn require(&self, v: Val, guards: &mut Vec<Guard>, counter: &mut usize) -> Val {
        if !v.optional {
            return Val { tokens: canonical(v.tokens, v.ty, v.owned), owned: false, ..v };
        }
        if let Some((name, local)) = &v.var {
            guards.push(Guard::Narrow(name.clone(), local.clone(), v.ty, v.tokens));
            return Val::new(quote! { #local }, v.ty);
        }
        let local = quote::format_ident!("value_{}", *counter);
        *counter += 1;
        guards.push(Guard::IfLet(local.clone(), v.tokens));
        Val::new(canonical(quote! { #local }, v.ty, v.owned), v.ty)
    }

    fn expr(
        &self,
        e: &Expr,
        scope: &Scope,
        guards: &mut Vec<Guard>,
        counter: &mut usize,
    ) -> Result<Val> {
        match &e.kind {
            ExprKind::Bool(b) => Ok(Val::literal(*b)),
            ExprKind::String(parts) => Ok(match self.template(parts, scope)? {
                Template::Literal(s) => {
                    Val { empty_str: s.is_empty(), ..Val::new(quote! { #s }, Type::Str) }
                }
                Template::Single(v) => v,
                Template::Format(t) => Val { owned: true, ..Val::new(t, Type::Str) },
            }),
            ExprKind::Ref(name) => {
                let var = self.lookup(scope, name)?;
                let narrow = match (&var.local, var.optional) {
                    (Some(local), true) => Some((name.clone(), local.clone())),
                    (None, true) => return Err(self.unbound(name)),
                    _ => None,
                };
                Ok(Val { optional: var.optional, var: narrow, ..Val::new(var.tokens, var.ty) })
            }
            ExprKind::Call(call) => self.call(call, scope, guards, counter),
        }
    }

    /// A function argument, bound first when it may be unset.
    fn arg(
        &self,
        e: &Expr,
        scope: &Scope,
        guards: &mut Vec<Guard>,
        counter: &mut usize,
    ) -> Result<Val> {
        let v = self.expr(e, scope, guards, counter)?;
        Ok(self.require(v, guards, counter))
    }

    fn call(
        &self,
        call: &Call,
        scope: &Scope,
        guards: &mut Vec<Guard>,
        counter: &mut usize,
    ) -> Result<Val> {
        Ok(match call {
            Call::IsSet(e) => {
                let v = self.expr(e, scope, guards, counter)?;
                if v.optional {
                    Val {
                        negated: Some((v.method(quote! { is_none }), Prec::Atom)),
                        ..Val::new(v.method(quote! { is_some }), Type::Bool)
                    }
                } else {
                    Val::literal(true)
                }
            }
            Call::Not(e) => self.arg(e, scope, guards, counter)?.negate(),
            Call::BooleanEquals(a, b) => {
                let (a, b) =
                    (self.arg(a, scope, guards, counter)?, self.arg(b, scope, guards, counter)?);
                match (a.literal_bool, b.literal_bool) {
                    (Some(x), Some(y)) => Val::literal(x == y),
                    (_, Some(true)) => a,
                    (_, Some(false)) => a.negate(),
                    (Some(true), _) => b,
                    (Some(false), _) => b.negate(),
                    _ => Val::equals(&a, &b),
                }
            }
            Call::StringEquals(a, b) => {
                let (a, b) =
                    (self.arg(a, scope, guards, counter)?, self.arg(b, scope, guards, counter)?);
                match (a.empty_str, b.empty_str) {
                    (false, true) => a.is_empty(),
                    (true, false) => b.is_empty(),
                    _ => Val::equals(&a, &b),
                }
            }
            Call::GetAttr(target, steps) => {
                let target = self.arg(target, scope, guards, counter)?;
                get_attr(target, steps)
            }
            Call::Substring { input, start, stop, reverse } => {
                let (s, r) = (
                    self.arg(input, scope, guards, counter)?,
                    self.arg(reverse, scope, guards, counter)?,
                );
                let (st, rt) = (s.tokens, r.tokens);
                let (start, stop) =
                    (Literal::usize_unsuffixed(*start), Literal::usize_unsuffixed(*stop));
                Val {
                    optional: true,
                    owned: true,
                    ..Val::new(
                        quote! { endpoint_lib::substring(#st, #start, #stop, #rt) },
                        Type::Str,
                    )
                }
            }
            Call::UriEncode(s) => {
                let t = self.arg(s, scope, guards, counter)?.tokens;
                Val { owned: true, ..Val::new(quote! { endpoint_lib::uri_encode(#t) }, Type::Str) }
            }
            Call::ParseUrl(s) => {
                let t = self.arg(s, scope, guards, counter)?.tokens;
                Val {
                    optional: true,
                    owned: true,
                    ..Val::new(quote! { endpoint_lib::parse_url(#t) }, Type::Url)
                }
            }
            Call::IsValidHostLabel { value, allow_sub_domains }
            | Call::IsVirtualHostableS3Bucket { value, allow_sub_domains } => {
                let (s, b) = (
                    self.arg(value, scope, guards, counter)?,
                    self.arg(allow_sub_domains, scope, guards, counter)?,
                );
                let (st, bt) = (s.tokens, b.tokens);
                let func = if matches!(call, Call::IsValidHostLabel { .. }) {
                    quote! { is_valid_host_label }
                } else {
                    quote! { is_virtual_hostable_s3_bucket }
                };
                Val::new(quote! { endpoint_lib::#func(#st, #bt) }, Type::Bool)
            }
            Call::Partition(s) => {
                let t = self.arg(s, scope, guards, counter)?.tokens;
                Val {
                    optional: true,
                    ..Val::new(
                        quote! { endpoint_lib::partition(partitions::PARTITIONS, #t) },
                        Type::Partition,
                    )
                }
            }
            Call::ParseArn(s) => {
                let t = self.arg(s, scope, guards, counter)?.tokens;
                Val {
                    optional: true,
                    owned: true,
                    ..Val::new(quote! { endpoint_lib::parse_arn(#t) }, Type::Arn)
                }
            }
        })
    }
}

/// `getAttr(target, path)` on a set target.
fn get_attr(target: Val, steps: &[PathStep]) -> Val {
    let mut cur = target;
    for step in steps {
        let t = cur.operand(Prec::Atom);
        cur = match step {
            PathStep::Attribute(attribute) => {
                let (field, ty) = match attribute {
                    Attribute::PartitionName => (quote! { #t.name }, Type::Str),
                    Attribute::DnsSuffix => (quote! { #t.dns_suffix }, Type::Str),
                    Attribute::DualStackDnsSuffix => {
                        (quote! { #t.dual_stack_dns_suffix }, Type::Str)
                    }
                    Attribute::ImplicitGlobalRegion => {
                        (quote! { #t.implicit_global_region }, Type::Str)
                    }
                    Attribute::SupportsFips => (quote! { #t.supports_fips }, Type::Bool),
                    Attribute::SupportsDualStack => (quote! { #t.supports_dual_stack }, Type::Bool),
                    Attribute::Scheme => (quote! { #t.scheme.as_str() }, Type::Str),
                    Attribute::Authority => (quote! { #t.authority.as_str() }, Type::Str),
                    Attribute::Path => (quote! { #t.path.as_str() }, Type::Str),
                    Attribute::NormalizedPath => {
                        (quote! { #t.normalized_path.as_str() }, Type::Str)
                    }
                    Attribute::IsIp => (quote! { #t.is_ip }, Type::Bool),
                    Attribute::ArnPartition => (quote! { #t.partition.as_str() }, Type::Str),
                    Attribute::Service => (quote! { #t.service.as_str() }, Type::Str),
                    Attribute::Region => (quote! { #t.region.as_str() }, Type::Str),
                    Attribute::AccountId => (quote! { #t.account_id.as_str() }, Type::Str),
                    Attribute::ResourceId => (quote! { #t.resource_id.as_slice() }, Type::StrArray),
                };
                Val::new(field, ty)
            }
            PathStep::Index(i) => {
                let i = Literal::usize_unsuffixed(*i);
                Val {
                    optional: true,
                    ..Val::new(quote! { endpoint_lib::element(#t, #i) }, Type::Str)
                }
            }
        };
    }
    cur
}

enum Template {
    Literal(String),
    Single(Val),
    Format(TokenStream),
}

/// The canonical form of a binding of `ty` (`owned`: it holds the owned form).
fn canonical(tokens: TokenStream, ty: Type, owned: bool) -> TokenStream {
    match (ty, owned) {
        (Type::Str, true) => quote! { #tokens.as_str() },
        (Type::StrArray, true) => quote! { #tokens.as_slice() },
        _ => tokens,
    }
}

/// Wraps `body` in the guards, outermost first; consecutive conditions are joined with `&&`.
/// A binding that nothing inside it reads becomes a test (`if value.is_some()`, `if value`) or
/// goes (a `let` of a value that is always set).
fn nest(guards: Vec<Guard>, body: TokenStream) -> TokenStream {
    // Built from the inside out; `pending` holds the conditions of the innermost `if` not yet
    // written, innermost first.
    let mut inner = body;
    let mut pending: Vec<TokenStream> = Vec::new();
    let flush = |inner: TokenStream, pending: &mut Vec<TokenStream>| {
        if pending.is_empty() {
            return inner;
        }
        let conditions = pending.drain(..).rev();
        quote! { if #(#conditions)&&* { #inner } }
    };
    for g in guards.into_iter().rev() {
        let read = |local: &Ident, inner: &TokenStream, pending: &[TokenStream]| {
            mentions(inner, local) || pending.iter().any(|c| mentions(c, local))
        };
        match g {
            Guard::If(c) => pending.push(c),
            Guard::IfLet(local, value) | Guard::Narrow(_, local, _, value) => {
                if read(&local, &inner, &pending) {
                    inner = flush(inner, &mut pending);
                    inner = quote! { if let Some(#local) = #value { #inner } };
                } else {
                    pending.push(quote! { #value.is_some() });
                }
            }
            Guard::Let { local, value, test } => {
                if read(&local, &inner, &pending) {
                    if test {
                        pending.push(quote! { #local });
                    }
                    inner = flush(inner, &mut pending);
                    inner = quote! { { let #local = #value; #inner } };
                } else if test {
                    pending.push(value);
                }
            }
        }
    }
    flush(inner, &mut pending)
}

/// Whether `tokens` read the variable `local`: name it, or interpolate it in a format string
/// (`format!("{local}")`).
fn mentions(tokens: &TokenStream, local: &Ident) -> bool {
    let name = local.to_string();
    let inline = format!("{{{name}}}");
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(i) => i == name,
        proc_macro2::TokenTree::Group(g) => mentions(&g.stream(), local),
        proc_macro2::TokenTree::Literal(l) => l.to_string().contains(&inline),
        proc_macro2::TokenTree::Punct(_) => false,
    })
}

fn parameter_value(value: &ParameterValue) -> TokenStream {
    match value {
        ParameterValue::String(s) => quote! { #s.to_owned() },
        ParameterValue::Boolean(b) => quote! { #b },
        ParameterValue::StringArray(items) => quote! { vec![#(#items.to_owned()),*] },
    }
}

/// A JSON number as a `Document` (the same in literal and templated property values).
fn number_document(n: Number) -> TokenStream {
    match n {
        Number::PosInt(u) => quote! { Document::Number(Number::PosInt(#u)) },
        Number::NegInt(i) => quote! { Document::Number(Number::NegInt(#i)) },
        Number::Float(f) => {
            let f = Literal::f64_suffixed(f);
            quote! { Document::Number(Number::Float(#f)) }
        }
    }
}

fn literal_document_map(map: &[(String, Document)]) -> TokenStream {
    let entries = map.iter().map(|(k, v)| {
        let v = literal_document(v);
        quote! { (#k.to_owned(), #v) }
    });
    quote! { BTreeMap::from([#(#entries),*]) }
}

fn literal_document(value: &Document) -> TokenStream {
    match value {
        Document::Null => quote! { Document::Null },
        Document::Bool(b) => quote! { Document::Bool(#b) },
        Document::Number(n) => number_document(*n),
        Document::String(s) => quote! { Document::String(#s.to_owned()) },
        Document::Array(items) => {
            let items = items.iter().map(literal_document);
            quote! { Document::Array(vec![#(#items),*]) }
        }
        Document::Object(map) => {
            let m = literal_document_map(map);
            quote! { Document::Object(#m) }
        }
    }
}

/// `tests/endpoint_tests.rs`: one test per `smithy.rules#endpointTests` case.
fn test_file(crate_name: &str, rule_set: &RuleSet, cases: &[TestCase]) -> TokenStream {
    let krate = ident(&crate::resolve::symbols::library_name(crate_name));
    let fns = cases.iter().map(|case| {
        let fn_name = ident(&case.function);
        let setters = case.params.iter().filter_map(|(name, value)| {
            let method = ident(&rule_set.parameter(name)?.method);
            let value = match value {
                ParameterValue::String(s) => quote! { #s },
                ParameterValue::Boolean(b) => quote! { #b },
                ParameterValue::StringArray(items) => quote! { vec![#(#items.to_owned()),*] },
            };
            Some(quote! { .#method(#value) })
        });
        let check = match &case.expect {
            Expectation::Error(message) => quote! {
                let error = resolve(&params).expect_err("the rules give an error");
                assert_eq!(error.to_string(), #message);
            },
            Expectation::Endpoint { url, headers, properties } => {
                let headers = match headers {
                    None => quote! { BTreeMap::new() },
                    Some(headers) => {
                        let entries = headers.iter().map(|(k, vs)| {
                            quote! { (#k.to_owned(), vec![#(#vs.to_owned()),*]) }
                        });
                        quote! { BTreeMap::from([#(#entries),*]) }
                    }
                };
                let properties = match properties {
                    None => quote! { BTreeMap::new() },
                    Some(properties) => literal_document_map(properties),
                };
                quote! {
                    let endpoint = resolve(&params).expect("the rules give an endpoint");
                    assert_eq!(endpoint.url, #url);
                    let headers: BTreeMap<String, Vec<String>> = #headers;
                    assert_eq!(endpoint.headers, headers);
                    let properties: BTreeMap<String, Document> = #properties;
                    assert_eq!(endpoint.properties, properties);
                }
            }
        };
        let doc = if case.documentation.is_empty() {
            " (no documentation)".to_owned()
        } else {
            format!(" {}", case.documentation)
        };
        quote! {
            #[doc = #doc]
            #[test]
            fn #fn_name() {
                let params = Params::builder() #(#setters)* .build();
                #check
            }
        }
    });
    quote! {
        //! The model's `smithy.rules#endpointTests`, one test per case.
        #![allow(unused_imports)]

        use std::collections::BTreeMap;

        use #krate::endpoint::{resolve, Params};
        use #krate::primitives::{Document, Number};

        #(#fns)*
    }
}

/// `src/endpoint/partitions.rs`: the partition table `aws.partition` reads.
fn partitions_table(partitions: &[Partition]) -> TokenStream {
    let entries = partitions.iter().map(|p| {
        let (id, regex) = (&p.id, &p.region_regex);
        let regions = &p.regions;
        let overridden = p.region_overrides.iter().map(|(name, outputs)| {
            let outputs = partition_outputs(outputs);
            quote! { (#name, #outputs) }
        });
        let base = partition_outputs(&p.outputs);
        quote! {
            PartitionData {
                id: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                region_overrides: &[#(#overridden),*],
                outputs: #base,
            }
        }
    });
    quote! {
        //! AWS's partition data (from botocore's `partitions.json`), for `aws.partition`.

        use crate::primitives::endpoint_lib::{Partition, PartitionData};

        /// The partitions, in the order `aws.partition` tries their region patterns.
        pub(super) static PARTITIONS: &[PartitionData] = &[#(#entries),*];
    }
}

/// A `Partition` value.
fn partition_outputs(o: &PartitionOutputs) -> TokenStream {
    let (name, dns, dual_dns, fips, dual, global) = (
        &o.name,
        &o.dns_suffix,
        &o.dual_stack_dns_suffix,
        o.supports_fips,
        o.supports_dual_stack,
        &o.implicit_global_region,
    );
    quote! {
        Partition {
            name: #name,
            dns_suffix: #dns,
            dual_stack_dns_suffix: #dual_dns,
            supports_fips: #fips,
            supports_dual_stack: #dual,
            implicit_global_region: #global,
        }
    }
}
