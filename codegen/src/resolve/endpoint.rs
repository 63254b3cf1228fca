//! The service's `smithy.rules#endpointRuleSet` and `smithy.rules#endpointTests`, parsed and
//! type-checked into [`ir::endpoint`](crate::ir::endpoint).
//!
//! Types are static: every parameter and bound variable has a [`Type`] and may be unset or
//! not. A condition narrows: `isSet(X)` and passing `X` where a set value is needed prove `X` set
//! for the rest of the rule, and `assign` binds a set value. Outside conditions (URLs, headers,
//! properties, error messages) every value must be set. Function calls are checked for arity and
//! argument types, `getAttr` paths against the record they read. The partition data is parsed
//! here too, when the rules call `aws.partition`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::ir::endpoint::{
    Assign, Attribute, BuiltIn, Call, Condition, Document, Endpoint, Expectation, Expr, ExprKind,
    Number, Parameter, ParameterType, ParameterValue, Partition, PartitionOutputs, PathStep,
    Property, Rule, RuleBody, RuleSet, TemplatePart, TestCase, Type,
};
use crate::load::Shape;
use crate::resolve::symbols;

/// AWS's partition data (botocore's `partitions.json`; see `codegen/data/SOURCE.md`).
pub const PARTITIONS_JSON: &str = include_str!("../../data/partitions.json");

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const TESTS: &str = "smithy.rules#endpointTests";

/// The service's rule set and tests, type-checked; `None` when it has no rule set.
pub fn rule_set(service: &Shape) -> Result<Option<RuleSet>> {
    let Some(json) = service.traits.get_abs(RULE_SET) else {
        return Ok(None);
    };
    let owner = service.id.as_str();
    let mut checker = Checker { owner, calls_partition: false };
    let parameters = checker.parameters(json)?;
    let rules_json = json
        .get("rules")
        .and_then(Value::as_array)
        .ok_or_else(|| type_error(owner, "no `rules` array"))?;
    let mut scope = Scope::new();
    for p in &parameters {
        // A required parameter without a default is checked set before the rules run.
        let optional = p.optional() && !p.required;
        scope.insert(p.name.clone(), Var { ty: p.value_type(), optional });
    }
    let rules = checker.rule_list(rules_json, &scope)?;
    let partitions = if checker.calls_partition { Some(partitions(owner)?) } else { None };
    let mut rule_set = RuleSet { parameters, rules, tests: None, partitions };
    if let Some(tests) = service.traits.get_abs(TESTS) {
        rule_set.tests = Some(test_cases(owner, &rule_set, tests)?);
    }
    Ok(Some(rule_set))
}

fn type_error(owner: &str, message: impl Into<String>) -> Error {
    Error::unsupported(owner, format!("endpoint rule set: {}", message.into()))
}

/// The local variable for a rule-set name (`PartitionResult` → `partition_result`): never
/// `params` (the resolver's argument), never a keyword.
fn local_name(name: &str) -> String {
    let mut local = symbols::field_name(name).trim_start_matches("r#").to_owned();
    if local == "params" || local == "self_" || syn::parse_str::<syn::Ident>(&local).is_err() {
        local = format!("var_{local}");
    }
    local
}

/// The static type of a variable in scope.
#[derive(Debug, Clone, Copy)]
struct Var {
    ty: Type,
    optional: bool,
}

type Scope = BTreeMap<String, Var>;

/// Where an expression is: in a condition, where an unset value makes the condition false (the
/// references it proves set are collected), or in a value, where everything must be set.
enum Place<'a> {
    Condition {
        narrowed: &'a mut Vec<String>,
    },
    /// The whole value, for the message.
    Value {
        whole: &'a Value,
    },
}

struct Checker<'a> {
    owner: &'a str,
    calls_partition: bool,
}

impl Checker<'_> {
    fn err(&self, message: impl Into<String>) -> Error {
        type_error(self.owner, message)
    }

    fn parameters(&self, rule_set: &Value) -> Result<Vec<Parameter>> {
        let params_json = rule_set
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(|| self.err("no `parameters` object"))?;
        let mut params = Vec::new();
        for (name, p) in params_json {
            let lower = p.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase);
            let ty = match lower.as_deref() {
                Some("string") => ParameterType::String,
                Some("boolean") => ParameterType::Boolean,
                Some("stringarray") => ParameterType::StringArray,
                other => {
                    return Err(
                        self.err(format!("parameter `{name}` has the unsupported type {other:?}"))
                    )
                }
            };
            let default = match p.get("default") {
                None => None,
                Some(d) => Some(parameter_value(ty, d).ok_or_else(|| {
                    self.err(format!("parameter `{name}` has a default of the wrong type"))
                })?),
            };
            let mut field = symbols::field_name(name);
            if field == "params" {
                field.push('_');
            }
            params.push(Parameter {
                name: name.clone(),
                method: field.clone(),
                setter: format!("set_{}", field.trim_start_matches("r#")),
                field,
                local: local_name(name),
                ty,
                default,
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                built_in: p.get("builtIn").and_then(Value::as_str).map(BuiltIn::from_name),
                docs: p.get("documentation").and_then(Value::as_str).map(str::to_owned),
            });
        }
        symbols::ensure_unique(
            self.owner,
            "endpoint parameter",
            params.iter().map(|p| (p.name.as_str(), p.field.as_str())),
        )?;
        let mut methods: Vec<(String, String)> =
            params.iter().map(|p| (p.method.clone(), p.setter.clone())).collect();
        symbols::claim_builder_methods(&mut methods);
        for (p, (method, setter)) in params.iter_mut().zip(methods) {
            (p.method, p.setter) = (method, setter);
        }
        Ok(params)
    }

    /// A list of rules, each checked in the scope of the list.
    fn rule_list(&mut self, rules: &[Value], scope: &Scope) -> Result<Vec<Rule>> {
        rules.iter().map(|rule| self.rule(rule, scope)).collect()
    }

    fn rule(&mut self, rule: &Value, scope: &Scope) -> Result<Rule> {
        let conditions_json =
            rule.get("conditions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let mut inner = scope.clone();
        let mut conditions = Vec::new();
        for c in conditions_json {
            conditions.push(self.condition(c, rule, &mut inner)?);
        }
        let body = self.rule_body(rule, &inner)?;
        Ok(Rule { conditions, body })
    }

    fn rule_body(&mut self, rule: &Value, scope: &Scope) -> Result<RuleBody> {
        match rule.get("type").and_then(Value::as_str).unwrap_or("") {
            "tree" => {
                let rules = rule
                    .get("rules")
                    .and_then(Value::as_array)
                    .ok_or_else(|| self.err("a tree rule without `rules`"))?;
                Ok(RuleBody::Tree(self.rule_list(rules, scope)?))
            }
            "error" => {
                let e =
                    rule.get("error").ok_or_else(|| self.err("an error rule without `error`"))?;
                Ok(RuleBody::Error(self.string_value(e, scope)?))
            }
            "endpoint" => {
                let e = rule
                    .get("endpoint")
                    .ok_or_else(|| self.err("an endpoint rule without `endpoint`"))?;
                let url = self.string_value(
                    e.get("url").ok_or_else(|| self.err("an endpoint without `url`"))?,
                    scope,
                )?;
                let mut headers = Vec::new();
                for (name, values) in
                    e.get("headers").and_then(Value::as_object).into_iter().flatten()
                {
                    let values = values
                        .as_array()
                        .ok_or_else(|| self.err(format!("header `{name}` is not a list")))?
                        .iter()
                        .map(|v| self.string_value(v, scope))
                        .collect::<Result<Vec<_>>>()?;
                    headers.push((name.clone(), values));
                }
                let properties = match e.get("properties").and_then(Value::as_object) {
                    Some(p) => self.property_map(p, scope)?,
                    None => Vec::new(),
                };
                Ok(RuleBody::Endpoint(Endpoint { url, headers, properties }))
            }
            other => Err(self.err(format!("unknown rule type {other:?}"))),
        }
    }

    fn property_map(
        &mut self,
        map: &Map<String, Value>,
        scope: &Scope,
    ) -> Result<Vec<(String, Property)>> {
        map.iter().map(|(k, v)| Ok((k.clone(), self.property(v, scope)?))).collect()
    }

    /// A property value: JSON whose strings are templates and whose `ref` / `fn` objects are
    /// string or boolean expressions.
    fn property(&mut self, value: &Value, scope: &Scope) -> Result<Property> {
        Ok(match value {
            Value::Null => Property::Null,
            Value::Bool(b) => Property::Bool(*b),
            Value::Number(n) => Property::Number(number(n)),
            Value::String(_) => Property::String(self.string_value(value, scope)?),
            Value::Array(items) => Property::Array(
                items.iter().map(|v| self.property(v, scope)).collect::<Result<_>>()?,
            ),
            Value::Object(map) if map.contains_key("ref") || map.contains_key("fn") => {
                let e = self.value(value, scope)?;
                if !matches!(e.ty, Type::Str | Type::Bool) {
                    return Err(
                        self.err("an endpoint property that is not a string or boolean expression")
                    );
                }
                Property::Expr(e)
            }
            Value::Object(map) => Property::Object(self.property_map(map, scope)?),
        })
    }

    /// A URL, header value or error message: a template or a string expression, set.
    fn string_value(&mut self, value: &Value, scope: &Scope) -> Result<Expr> {
        if let Value::String(s) = value {
            return self.template(s, scope);
        }
        let e = self.value(value, scope)?;
        if e.ty != Type::Str {
            return Err(self.err("a URL, header or error that is not a string"));
        }
        Ok(e)
    }

    /// An expression outside a condition: everything it reads must be set.
    fn value(&mut self, value: &Value, scope: &Scope) -> Result<Expr> {
        let e = self.expr(value, scope, &mut Place::Value { whole: value })?;
        if e.optional {
            return Err(self.unset(value));
        }
        Ok(e)
    }

    fn unset(&self, value: &Value) -> Error {
        self.err(format!("the value {value} may be unset where it is used"))
    }

    /// A template string: `{Name}` and `{Name#path}` interpolate, `{{` and `}}` escape.
    fn template(&mut self, s: &str, scope: &Scope) -> Result<Expr> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
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
                    let json = match name.split_once('#') {
                        Some((var, path)) => {
                            serde_json::json!({ "fn": "getAttr", "argv": [{ "ref": var }, path] })
                        }
                        None => serde_json::json!({ "ref": name }),
                    };
                    let e = self.value(&json, scope)?;
                    if e.ty != Type::Str {
                        return Err(self.err(format!(
                            "template {s:?} interpolates `{name}`, which is not a string"
                        )));
                    }
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(TemplatePart::Value(e));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        Ok(Expr { kind: ExprKind::String(parts), ty: Type::Str, optional: false })
    }

    /// One condition, updating the scope with what it proves set and what it binds.
    fn condition(&mut self, c: &Value, rule: &Value, scope: &mut Scope) -> Result<Condition> {
        let assign = c.get("assign").and_then(Value::as_str).map(|name| Assign {
            name: name.to_owned(),
            local: local_name(name),
            used: false,
        });
        let mut narrowed = Vec::new();
        let expr = self.expr(c, scope, &mut Place::Condition { narrowed: &mut narrowed })?;
        let mut condition = Condition { expr, assign };
        let rule_ast_refers = |name: &str| refers_to_json(rule, name);
        if let Some(a) = &mut condition.assign {
            // An assignment nothing in the rule reads is only a test of the value.
            a.used = rule_ast_refers(&a.name);
        }
        let binds = condition.assign.as_ref().filter(|a| a.used);
        // `isSet(X)` proves `X` set for the rest of the rule.
        if let (None, ExprKind::Call(call)) = (binds, &condition.expr.kind) {
            if let Call::IsSet(Expr { kind: ExprKind::Ref(name), .. }) = call.as_ref() {
                narrowed.push(name.clone());
            }
        }
        for name in narrowed {
            if let Some(var) = scope.get_mut(&name) {
                var.optional = false;
            }
        }
        if let Some(a) = binds {
            if scope.contains_key(&a.name) {
                return Err(self.err(format!("`{}` is assigned twice in scope", a.name)));
            }
            let ty = condition.expr.ty;
            scope.insert(a.name.clone(), Var { ty, optional: false });
        }
        Ok(condition)
    }

    /// An argument that must be set: in a condition an unset one makes the condition false (a
    /// reference is proven set for the rest of the rule); elsewhere it is an error.
    fn require(&self, e: &Expr, place: &mut Place<'_>) -> Result<()> {
        if !e.optional {
            return Ok(());
        }
        match place {
            Place::Value { whole } => Err(self.unset(whole)),
            Place::Condition { narrowed } => {
                if let ExprKind::Ref(name) = &e.kind {
                    narrowed.push(name.clone());
                }
                Ok(())
            }
        }
    }

    fn expect(&self, e: &Expr, ty: Type, f: &str) -> Result<()> {
        if e.ty != ty {
            return Err(self.err(format!("`{f}` expects a {ty:?} argument, got a {:?}", e.ty)));
        }
        Ok(())
    }

    fn expr(&mut self, e: &Value, scope: &Scope, place: &mut Place<'_>) -> Result<Expr> {
        match e {
            Value::Bool(b) => {
                Ok(Expr { kind: ExprKind::Bool(*b), ty: Type::Bool, optional: false })
            }
            Value::String(s) => self.template(s, scope),
            Value::Object(map) if map.contains_key("ref") => {
                let name = map.get("ref").and_then(Value::as_str).unwrap_or("");
                let var =
                    scope.get(name).ok_or_else(|| self.err(format!("`{name}` is not defined")))?;
                Ok(Expr {
                    kind: ExprKind::Ref(name.to_owned()),
                    ty: var.ty,
                    optional: var.optional,
                })
            }
            Value::Object(map) if map.contains_key("fn") => {
                let f = map.get("fn").and_then(Value::as_str).unwrap_or("");
                let argv =
                    map.get("argv").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                self.call(f, argv, scope, place)
            }
            other => Err(self.err(format!("unsupported expression {other}"))),
        }
    }

    fn call(
        &mut self,
        f: &str,
        argv: &[Value],
        scope: &Scope,
        place: &mut Place<'_>,
    ) -> Result<Expr> {
        let arity = |n: usize| -> Result<()> {
            if argv.len() != n {
                return Err(self.err(format!("`{f}` takes {n} arguments, not {}", argv.len())));
            }
            Ok(())
        };
        let done = |call: Call, ty: Type, optional: bool| Expr {
            kind: ExprKind::Call(Box::new(call)),
            ty,
            optional,
        };
        match f {
            "isSet" => {
                arity(1)?;
                let v = self.expr(&argv[0], scope, place)?;
                Ok(done(Call::IsSet(v), Type::Bool, false))
            }
            "not" => {
                arity(1)?;
                let v = self.expr(&argv[0], scope, place)?;
                // `not(isSet(X))` reads `X` unset or set alike.
                if !matches!(&v.kind, ExprKind::Call(c) if matches!(c.as_ref(), Call::IsSet(_))) {
                    self.require(&v, place)?;
                    self.expect(&v, Type::Bool, f)?;
                }
                Ok(done(Call::Not(v), Type::Bool, false))
            }
            "booleanEquals" | "stringEquals" => {
                arity(2)?;
                let a = self.argument(&argv[0], scope, place)?;
                let b = self.argument(&argv[1], scope, place)?;
                let (ty, call) = if f == "booleanEquals" {
                    (Type::Bool, Call::BooleanEquals as fn(Expr, Expr) -> Call)
                } else {
                    (Type::Str, Call::StringEquals as fn(Expr, Expr) -> Call)
                };
                self.expect(&a, ty, f)?;
                self.expect(&b, ty, f)?;
                Ok(done(call(a, b), Type::Bool, false))
            }
            "getAttr" => {
                arity(2)?;
                let target = self.argument(&argv[0], scope, place)?;
                let path =
                    argv[1].as_str().ok_or_else(|| self.err("`getAttr` needs a literal path"))?;
                self.get_attr(target, path)
            }
            "substring" => {
                arity(4)?;
                let input = self.argument(&argv[0], scope, place)?;
                self.expect(&input, Type::Str, f)?;
                let bound = |v: &Value| {
                    v.as_u64()
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| self.err("`substring` needs literal integer bounds"))
                };
                let (start, stop) = (bound(&argv[1])?, bound(&argv[2])?);
                let reverse = self.argument(&argv[3], scope, place)?;
                self.expect(&reverse, Type::Bool, f)?;
                Ok(done(Call::Substring { input, start, stop, reverse }, Type::Str, true))
            }
            "uriEncode" | "parseURL" | "aws.partition" | "aws.parseArn" => {
                arity(1)?;
                let s = self.argument(&argv[0], scope, place)?;
                self.expect(&s, Type::Str, f)?;
                Ok(match f {
                    "uriEncode" => done(Call::UriEncode(s), Type::Str, false),
                    "parseURL" => done(Call::ParseUrl(s), Type::Url, true),
                    "aws.partition" => {
                        self.calls_partition = true;
                        done(Call::Partition(s), Type::Partition, true)
                    }
                    _ => done(Call::ParseArn(s), Type::Arn, true),
                })
            }
            "isValidHostLabel" | "aws.isVirtualHostableS3Bucket" => {
                arity(2)?;
                let value = self.argument(&argv[0], scope, place)?;
                let allow_sub_domains = self.argument(&argv[1], scope, place)?;
                self.expect(&value, Type::Str, f)?;
                self.expect(&allow_sub_domains, Type::Bool, f)?;
                let call = if f == "isValidHostLabel" {
                    Call::IsValidHostLabel { value, allow_sub_domains }
                } else {
                    Call::IsVirtualHostableS3Bucket { value, allow_sub_domains }
                };
                Ok(done(call, Type::Bool, false))
            }
            other => Err(self.err(format!("the function `{other}` is not supported"))),
        }
    }

    /// A function argument, which must be set.
    fn argument(&mut self, e: &Value, scope: &Scope, place: &mut Place<'_>) -> Result<Expr> {
        let v = self.expr(e, scope, place)?;
        self.require(&v, place)?;
        Ok(v)
    }

    /// `getAttr(target, "a.b[0]")`.
    fn get_attr(&self, target: Expr, path: &str) -> Result<Expr> {
        let mut steps = Vec::new();
        let (mut ty, mut optional) = (target.ty, false);
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
            if optional {
                return Err(self
                    .err(format!("getAttr path {path:?} goes through a value that may be unset")));
            }
            if !name.is_empty() {
                let (attribute, attribute_ty) = Attribute::of(ty, name).ok_or_else(|| {
                    self.err(format!("getAttr: a {ty:?} has no attribute `{name}`"))
                })?;
                steps.push(PathStep::Attribute(attribute));
                ty = attribute_ty;
            }
            if let Some(i) = index {
                if ty != Type::StrArray {
                    return Err(self.err(format!("getAttr path {path:?} indexes a {ty:?}")));
                }
                steps.push(PathStep::Index(i));
                (ty, optional) = (Type::Str, true);
            }
        }
        Ok(Expr { kind: ExprKind::Call(Box::new(Call::GetAttr(target, steps))), ty, optional })
    }
}

/// Whether `value` (a rule's JSON) reads `name`: a `ref` to it, or a template interpolating it.
fn refers_to_json(value: &Value, name: &str) -> bool {
    match value {
        Value::Object(map) => {
            map.get("ref").and_then(Value::as_str) == Some(name)
                || map.values().any(|v| refers_to_json(v, name))
        }
        Value::Array(items) => items.iter().any(|v| refers_to_json(v, name)),
        Value::String(s) => s.contains(&format!("{{{name}}}")) || s.contains(&format!("{{{name}#")),
        _ => false,
    }
}

/// A parameter value of type `ty`, if `value` is one.
fn parameter_value(ty: ParameterType, value: &Value) -> Option<ParameterValue> {
    Some(match (ty, value) {
        (ParameterType::String, Value::String(s)) => ParameterValue::String(s.clone()),
        (ParameterType::Boolean, Value::Bool(b)) => ParameterValue::Boolean(*b),
        (ParameterType::StringArray, Value::Array(items)) => ParameterValue::StringArray(
            items.iter().map(|s| s.as_str().map(str::to_owned)).collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

fn number(n: &serde_json::Number) -> Number {
    if let Some(u) = n.as_u64() {
        Number::PosInt(u)
    } else if let Some(i) = n.as_i64() {
        Number::NegInt(i)
    } else {
        Number::Float(n.as_f64().unwrap_or(0.0))
    }
}

fn document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(number(n)),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(document).collect()),
        Value::Object(map) => Document::Object(document_map(map)),
    }
}

fn document_map(map: &Map<String, Value>) -> Vec<(String, Document)> {
    map.iter().map(|(k, v)| (k.clone(), document(v))).collect()
}

/// A list of strings; what is not a string reads as empty (the test cases' own lists).
fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The `smithy.rules#endpointTests` cases, checked against the parameters.
fn test_cases(owner: &str, rule_set: &RuleSet, tests: &Value) -> Result<Vec<TestCase>> {
    let err = |m: String| type_error(owner, m);
    let cases = tests.get("testCases").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut names = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let documentation =
            case.get("documentation").and_then(Value::as_str).unwrap_or("").to_owned();
        let base = if documentation.is_empty() { "case" } else { documentation.as_str() };
        let function = symbols::claim_unique(&mut names, symbols::test_name(base));
        let mut params = Vec::new();
        for (k, v) in case.get("params").and_then(Value::as_object).into_iter().flatten() {
            let p = rule_set.parameter(k).ok_or_else(|| {
                err(format!("endpoint test {i} sets the unknown parameter `{k}`"))
            })?;
            let value = match (p.ty, v) {
                (ParameterType::StringArray, Value::Array(_)) => {
                    ParameterValue::StringArray(strings(v))
                }
                _ => parameter_value(p.ty, v).ok_or_else(|| {
                    err(format!("endpoint test {i}: parameter `{k}` has a value of the wrong type"))
                })?,
            };
            params.push((k.clone(), value));
        }
        let expect =
            case.get("expect").ok_or_else(|| err(format!("endpoint test {i} has no `expect`")))?;
        let expect = if let Some(message) = expect.get("error").and_then(Value::as_str) {
            Expectation::Error(message.to_owned())
        } else if let Some(ep) = expect.get("endpoint") {
            Expectation::Endpoint {
                url: ep.get("url").and_then(Value::as_str).unwrap_or("").to_owned(),
                headers: ep
                    .get("headers")
                    .and_then(Value::as_object)
                    .map(|h| h.iter().map(|(k, v)| (k.clone(), strings(v))).collect()),
                properties: ep.get("properties").and_then(Value::as_object).map(document_map),
            }
        } else {
            return Err(err(format!("endpoint test {i} expects neither an endpoint nor an error")));
        };
        out.push(TestCase { documentation, function, params, expect });
    }
    Ok(out)
}

/// AWS's partitions, from the embedded `partitions.json`.
fn partitions(owner: &str) -> Result<Vec<Partition>> {
    let err = |m: &str| type_error(owner, format!("the embedded partitions.json: {m}"));
    let data: Value = serde_json::from_str(PARTITIONS_JSON).map_err(|e| err(&e.to_string()))?;
    let partitions =
        data.get("partitions").and_then(Value::as_array).ok_or_else(|| err("no `partitions`"))?;
    let mut out = Vec::new();
    for p in partitions {
        let id =
            p.get("id").and_then(Value::as_str).ok_or_else(|| err("a partition without `id`"))?;
        let region_regex = p
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
        let mut region_overrides = Vec::new();
        for (name, region) in p.get("regions").and_then(Value::as_object).into_iter().flatten() {
            let overrides = region.as_object().filter(|o| o.keys().any(|k| k != "description"));
            match overrides {
                Some(o) => {
                    let outputs = partition_outputs(outputs, Some(o))
                        .ok_or_else(|| err("incomplete region outputs"))?;
                    region_overrides.push((name.clone(), outputs));
                }
                None => regions.push(name.clone()),
            }
        }
        out.push(Partition {
            id: id.to_owned(),
            region_regex: region_regex.to_owned(),
            regions,
            region_overrides,
            outputs: base,
        });
    }
    Ok(out)
}

/// A partition's outputs, with a region's overrides.
fn partition_outputs(
    outputs: &Map<String, Value>,
    overrides: Option<&Map<String, Value>>,
) -> Option<PartitionOutputs> {
    let get = |key: &str| overrides.and_then(|o| o.get(key)).or_else(|| outputs.get(key));
    let s = |key: &str| get(key).and_then(Value::as_str).map(str::to_owned);
    let b = |key: &str| get(key).and_then(Value::as_bool);
    Some(PartitionOutputs {
        name: s("name")?,
        dns_suffix: s("dnsSuffix")?,
        dual_stack_dns_suffix: s("dualStackDnsSuffix")?,
        supports_fips: b("supportsFIPS")?,
        supports_dual_stack: b("supportsDualStack")?,
        implicit_global_region: s("implicitGlobalRegion")?,
    })
}
