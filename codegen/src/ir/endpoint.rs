//! The service's endpoint rule set (`smithy.rules#endpointRuleSet`) and its test cases
//! (`smithy.rules#endpointTests`) as a typed syntax tree.
//!
//! [`crate::resolve::endpoint`] parses the JSON and type-checks it: every expression carries its
//! static [`Type`] and whether it may be unset, every function call is one of the standard
//! library's [`Call`]s with its arguments checked, `getAttr` paths are parsed into typed
//! [`PathStep`]s, templates into [`TemplatePart`]s, and the Rust names of parameters, bound
//! variables and test functions are decided there. [`crate::emit::endpoint`] only compiles this
//! tree to Rust.

use std::fmt;

/// A type-checked endpoint rule set, with its tests and the partition data it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The parameters, in the model's order.
    pub parameters: Vec<Parameter>,
    /// The top-level rules: the first whose conditions hold decides.
    pub rules: Vec<Rule>,
    /// `smithy.rules#endpointTests`: `None` when the service has no such trait.
    pub tests: Option<Vec<TestCase>>,
    /// AWS's partitions (`codegen/data/partitions.json`), when the rules call `aws.partition`.
    pub partitions: Option<Vec<Partition>>,
}

impl RuleSet {
    /// The parameter named `name` in the rule set.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// A rule-set parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The rule set's name (`UseFIPS`).
    pub name: String,
    /// The field of the generated `Params` and the name of its builder methods (`use_fips`).
    pub field: String,
    /// The builder's method taking a value (`use_fips`): the field, unless another method of the
    /// builder (`build`, or a `set_` method) takes the name.
    pub method: String,
    /// The builder's `set_` method taking an `Option` (`set_use_fips`).
    pub setter: String,
    /// The local variable that holds the value once checked set (`use_fips`).
    pub local: String,
    pub ty: ParameterType,
    pub default: Option<ParameterValue>,
    pub required: bool,
    pub built_in: Option<BuiltIn>,
    /// The parameter's documentation (model HTML).
    pub docs: Option<String>,
}

impl Parameter {
    /// Whether the value may be unset (there is no default).
    pub fn optional(&self) -> bool {
        self.default.is_none()
    }

    /// The static type of a reference to the parameter.
    pub fn value_type(&self) -> Type {
        match self.ty {
            ParameterType::String => Type::Str,
            ParameterType::Boolean => Type::Bool,
            ParameterType::StringArray => Type::StrArray,
        }
    }
}

/// The declared type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterType {
    String,
    Boolean,
    StringArray,
}

/// A value of a parameter: its default, or a value a test case sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterValue {
    String(String),
    Boolean(bool),
    StringArray(Vec<String>),
}

impl fmt::Display for ParameterValue {
    /// The value as the rule set writes it (JSON).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = match self {
            ParameterValue::String(s) => serde_json::Value::from(s.as_str()),
            ParameterValue::Boolean(b) => serde_json::Value::from(*b),
            ParameterValue::StringArray(items) => serde_json::Value::from(items.clone()),
        };
        write!(f, "{json}")
    }
}

/// A parameter's `builtIn`: a value an SDK supplies from its own settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuiltIn {
    /// `AWS::Region`.
    Region,
    /// `AWS::UseFIPS`.
    UseFips,
    /// `AWS::UseDualStack`.
    UseDualStack,
    /// `SDK::Endpoint`.
    Endpoint,
    /// Any other built-in (such as `AWS::S3::Accelerate`): documented, not filled in.
    Other(String),
}

impl BuiltIn {
    /// From the rule set's name of the built-in.
    pub fn from_name(name: &str) -> Self {
        match name {
            "AWS::Region" => BuiltIn::Region,
            "AWS::UseFIPS" => BuiltIn::UseFips,
            "AWS::UseDualStack" => BuiltIn::UseDualStack,
            "SDK::Endpoint" => BuiltIn::Endpoint,
            other => BuiltIn::Other(other.to_owned()),
        }
    }

    /// The rule set's name of the built-in (`AWS::Region`).
    pub fn name(&self) -> &str {
        match self {
            BuiltIn::Region => "AWS::Region",
            BuiltIn::UseFips => "AWS::UseFIPS",
            BuiltIn::UseDualStack => "AWS::UseDualStack",
            BuiltIn::Endpoint => "SDK::Endpoint",
            BuiltIn::Other(name) => name,
        }
    }
}

/// A rule: conditions, and what follows when they all hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub conditions: Vec<Condition>,
    pub body: RuleBody,
}

/// What a rule gives when its conditions hold.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleBody {
    /// An endpoint.
    Endpoint(Endpoint),
    /// An error with this message (a string expression).
    Error(Expr),
    /// The first of these rules whose conditions hold (one must).
    Tree(Vec<Rule>),
}

/// An endpoint rule's endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The URL (a string expression, usually a template).
    pub url: Expr,
    /// Headers by name, each with its values (string expressions), in the model's order.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Properties by name, in the model's order.
    pub properties: Vec<(String, Property)>,
}

/// The value of an endpoint property: JSON whose strings are templates and whose objects may be
/// expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum Property {
    Null,
    Bool(bool),
    Number(Number),
    /// A string: a template.
    String(Expr),
    Array(Vec<Property>),
    Object(Vec<(String, Property)>),
    /// A reference or function call (a string or a boolean).
    Expr(Expr),
}

/// A JSON number, as the generated `Document` holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    PosInt(u64),
    NegInt(i64),
    Float(f64),
}

/// A condition: an expression that holds when it is set and not `false`, optionally bound to a
/// name for the rest of the rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub expr: Expr,
    pub assign: Option<Assign>,
}

/// A condition's `assign`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    /// The rule set's name (`PartitionResult`).
    pub name: String,
    /// The local variable that holds the value (`partition_result`).
    pub local: String,
    /// Whether anything in the rule reads the name; when not, the condition only tests the value.
    pub used: bool,
}

/// The static type of a rules-language value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Str,
    Bool,
    StrArray,
    /// What `aws.partition` returns.
    Partition,
    /// What `parseURL` returns.
    Url,
    /// What `aws.parseArn` returns.
    Arn,
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    /// The value may be unset (an optional parameter not proven set, or a function result
    /// such as `parseURL`'s).
    pub optional: bool,
}

/// The kinds of expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `true` or `false`.
    Bool(bool),
    /// A string: a template of literal text and interpolated values (`{Region}`,
    /// `{PartitionResult#dnsSuffix}`), or only literal text.
    String(Vec<TemplatePart>),
    /// A reference to a parameter or a bound variable.
    Ref(String),
    /// A function call.
    Call(Box<Call>),
}

/// A piece of a template string.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Literal text (`{{` and `}}` already unescaped).
    Literal(String),
    /// An interpolated string: a reference, or a `getAttr` of one.
    Value(Expr),
}

/// A call of a function of the rules-engine standard library, with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    IsSet(Expr),
    Not(Expr),
    BooleanEquals(Expr, Expr),
    StringEquals(Expr, Expr),
    GetAttr(Expr, Vec<PathStep>),
    Substring {
        input: Expr,
        start: usize,
        stop: usize,
        reverse: Expr,
    },
    UriEncode(Expr),
    ParseUrl(Expr),
    IsValidHostLabel {
        value: Expr,
        allow_sub_domains: Expr,
    },
    /// `aws.partition`.
    Partition(Expr),
    /// `aws.parseArn`.
    ParseArn(Expr),
    /// `aws.isVirtualHostableS3Bucket`.
    IsVirtualHostableS3Bucket {
        value: Expr,
        allow_sub_domains: Expr,
    },
}

/// A step of a `getAttr` path (`resourceId[1]` is an attribute, then an index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep {
    Attribute(Attribute),
    /// An element of a string array (unset when out of range).
    Index(usize),
}

/// The attributes of the records the functions return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribute {
    /// A partition's `name`.
    PartitionName,
    /// A partition's `dnsSuffix`.
    DnsSuffix,
    /// A partition's `dualStackDnsSuffix`.
    DualStackDnsSuffix,
    /// A partition's `implicitGlobalRegion`.
    ImplicitGlobalRegion,
    /// A partition's `supportsFIPS`.
    SupportsFips,
    /// A partition's `supportsDualStack`.
    SupportsDualStack,
    /// A URL's `scheme`.
    Scheme,
    /// A URL's `authority`.
    Authority,
    /// A URL's `path`.
    Path,
    /// A URL's `normalizedPath`.
    NormalizedPath,
    /// A URL's `isIp`.
    IsIp,
    /// An ARN's `partition`.
    ArnPartition,
    /// An ARN's `service`.
    Service,
    /// An ARN's `region`.
    Region,
    /// An ARN's `accountId`.
    AccountId,
    /// An ARN's `resourceId`.
    ResourceId,
}

impl Attribute {
    /// The attribute `name` of a value of type `of`, and the attribute's type.
    pub fn of(of: Type, name: &str) -> Option<(Attribute, Type)> {
        use Attribute::*;
        Some(match (of, name) {
            (Type::Partition, "name") => (PartitionName, Type::Str),
            (Type::Partition, "dnsSuffix") => (DnsSuffix, Type::Str),
            (Type::Partition, "dualStackDnsSuffix") => (DualStackDnsSuffix, Type::Str),
            (Type::Partition, "implicitGlobalRegion") => (ImplicitGlobalRegion, Type::Str),
            (Type::Partition, "supportsFIPS") => (SupportsFips, Type::Bool),
            (Type::Partition, "supportsDualStack") => (SupportsDualStack, Type::Bool),
            (Type::Url, "scheme") => (Scheme, Type::Str),
            (Type::Url, "authority") => (Authority, Type::Str),
            (Type::Url, "path") => (Path, Type::Str),
            (Type::Url, "normalizedPath") => (NormalizedPath, Type::Str),
            (Type::Url, "isIp") => (IsIp, Type::Bool),
            (Type::Arn, "partition") => (ArnPartition, Type::Str),
            (Type::Arn, "service") => (Service, Type::Str),
            (Type::Arn, "region") => (Region, Type::Str),
            (Type::Arn, "accountId") => (AccountId, Type::Str),
            (Type::Arn, "resourceId") => (ResourceId, Type::StrArray),
            _ => return None,
        })
    }
}

/// An endpoint test case (`smithy.rules#endpointTests`).
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// The case's documentation (empty when it has none).
    pub documentation: String,
    /// The name of the generated test function (from the documentation, unique).
    pub function: String,
    /// The parameters it sets, by parameter name, in the model's order.
    pub params: Vec<(String, ParameterValue)>,
    pub expect: Expectation,
}

/// What a test case expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// The rules give an error with this message.
    Error(String),
    /// The rules give this endpoint (`headers` and `properties` as the case lists them, when it
    /// does).
    Endpoint {
        url: String,
        headers: Option<Vec<(String, Vec<String>)>>,
        properties: Option<Vec<(String, Document)>>,
    },
}

/// A literal JSON value (an expected endpoint property).
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Document>),
    Object(Vec<(String, Document)>),
}

/// A partition of AWS's partition data.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub id: String,
    /// The pattern of the partition's region names.
    pub region_regex: String,
    /// Its regions that keep the partition's outputs.
    pub regions: Vec<String>,
    /// Its regions with outputs of their own.
    pub region_overrides: Vec<(String, PartitionOutputs)>,
    pub outputs: PartitionOutputs,
}

/// What `aws.partition` returns for a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: String,
}
