//! **diff**: what changed between two versions of a service's model, and what that means for
//! the generated crate's users.
//!
//! Both models are compared *after* [`load`](crate::load), which already normalises the IDL 1.0
//! forms (`set` → list, the `@enum` trait → enum shapes, `box` → no default), so a model moving
//! from IDL 1.0 to 2.0 shows only real changes. Only what the service reaches counts (the same
//! closure the generator walks), grouped by operation: request and response members are shown
//! with their path (`Meeting.PrimaryMeetingId`). Shape-level changes (enum values, constraints of
//! shared shapes, types added or removed) are listed once; documentation changes are counted
//! (and listed on request); endpoint rule set and endpoint test changes are reported as such.
//!
//! Every change gets a [`Class`] ([`classify`] holds the rules and their reasons); the verdict
//! is the highest class, and [`Verdict`] turns it into a semver bump. [`render`] writes Markdown
//! and JSON.

pub mod classify;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::load::{members_of, shape_name, Member, Model, Shape, ShapeId, ShapeKind};
use crate::prelude::is_unit;
use crate::resolve::{self, closure::Closure, Options};

pub use classify::Class;

/// The semver bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Nothing changed that users can see (not even documentation).
    None,
    Patch,
    Minor,
    Major,
}

impl Verdict {
    /// The name used in the outputs: `none`, `patch`, `minor`, `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::None => "none",
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        }
    }

    /// The next version of a crate at `version` (`major.minor.patch`): for a 0.x crate Cargo's
    /// semver rules apply (a breaking change bumps the minor, anything else the patch).
    /// `None` when `version` is not a plain `x.y.z`.
    pub fn bump(self, version: &str) -> Option<String> {
        let parts: Vec<u64> = version.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
        let [major, minor, patch] = parts.as_slice() else { return None };
        let (major, minor, patch) = (*major, *minor, *patch);
        Some(match (self, major) {
            (Verdict::None, _) => format!("{major}.{minor}.{patch}"),
            (Verdict::Major, 0) => format!("0.{}.0", minor + 1),
            (_, 0) => format!("0.{minor}.{}", patch + 1),
            (Verdict::Major, _) => format!("{}.0.0", major + 1),
            (Verdict::Minor, _) => format!("{major}.{}.0", minor + 1),
            (Verdict::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }
}

/// Where a change is reported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// A new operation.
    OperationAdded,
    /// An operation no longer bound to the service.
    OperationRemoved,
    /// An operation in both models: its request, response, errors, or its own traits.
    Operation { name: String, part: Part },
    /// A shape of the closure, reported once however many operations use it.
    Shape,
    /// An error shape's members.
    ErrorShape,
    /// The service shape (its errors, version, traits).
    Service,
    /// The endpoint rule set and endpoint tests.
    Endpoints,
}

/// The part of an updated operation a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Request,
    Response,
    Errors,
    Operation,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Request => "request",
            Part::Response => "response",
            Part::Errors => "errors",
            Part::Operation => "operation",
        }
    }
}

/// One change, with its class and a human description.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub scope: Scope,
    /// What changed: a member path (`Meeting.PrimaryMeetingId`), a shape or operation name.
    pub subject: String,
    /// A stable tag for tools (`member-added`, `enum-value-removed`, `length-changed`...).
    pub kind: &'static str,
    /// The change in words (`added `PrimaryMeetingId: String``).
    pub message: String,
    pub class: Class,
}

/// The result of comparing two models.
#[derive(Debug, Clone, Default)]
pub struct Diff {
    /// The service's title in the new model (`Amazon Chime SDK Meetings`).
    pub title: String,
    /// Every change but documentation, in a stable order.
    pub changes: Vec<Change>,
    /// Documentation-only changes: what they touched (`CreateMeeting`, `Meeting$MeetingId`).
    pub docs: Vec<String>,
}

impl Diff {
    /// The highest class of all changes (documentation changes are patch).
    pub fn class(&self) -> Option<Class> {
        let mut class = self.changes.iter().map(|c| c.class).max();
        if class.is_none() && !self.docs.is_empty() {
            class = Some(Class::Patch);
        }
        class
    }

    /// The semver bump the changes need.
    pub fn verdict(&self) -> Verdict {
        match self.class() {
            None => Verdict::None,
            Some(Class::Patch) => Verdict::Patch,
            Some(Class::Additive) => Verdict::Minor,
            Some(Class::Breaking) => Verdict::Major,
        }
    }

    /// Whether nothing at all changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.docs.is_empty()
    }

    /// Names of the operations added, removed and updated (sorted).
    pub fn operations(&self) -> (Vec<&str>, Vec<&str>, Vec<&str>) {
        let mut added = BTreeSet::new();
        let mut removed = BTreeSet::new();
        let mut updated = BTreeSet::new();
        for change in &self.changes {
            match &change.scope {
                Scope::OperationAdded => added.insert(change.subject.as_str()),
                Scope::OperationRemoved => removed.insert(change.subject.as_str()),
                Scope::Operation { name, .. } => updated.insert(name.as_str()),
                _ => false,
            };
        }
        (added.into_iter().collect(), removed.into_iter().collect(), updated.into_iter().collect())
    }

    /// A one-line summary in the style of AWS's changelog (`3 updated api methods`).
    pub fn summary(&self) -> String {
        let (added, removed, updated) = self.operations();
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("{} new", added.len()));
        }
        if !removed.is_empty() {
            parts.push(format!("{} removed", removed.len()));
        }
        if !updated.is_empty() {
            parts.push(format!("{} updated", updated.len()));
        }
        if !parts.is_empty() {
            let total = added.len() + removed.len() + updated.len();
            return format!("{} api method{}", parts.join(", "), if total == 1 { "" } else { "s" });
        }
        let has = |f: &dyn Fn(&Scope) -> bool| self.changes.iter().any(|c| f(&c.scope));
        if has(&|s| matches!(s, Scope::Shape | Scope::ErrorShape | Scope::Service)) {
            "updated shapes".into()
        } else if has(&|s| matches!(s, Scope::Endpoints)) {
            "endpoint rules only".into()
        } else if !self.docs.is_empty() {
            "documentation only".into()
        } else {
            "no changes".into()
        }
    }
}

/// Compares two Smithy JSON AST documents.
pub fn diff_str(old: &str, new: &str, options: &Options) -> Result<Diff> {
    let old = crate::load::load_str(old)?;
    let new = crate::load::load_str(new)?;
    diff(&old, &new, options)
}

/// Compares the service of two loaded models.
pub fn diff(old: &Model, new: &Model, options: &Options) -> Result<Diff> {
    let old_service = resolve::find_service(old, options)?;
    let new_service = resolve::find_service(new, options)?;
    let old_closure = Closure::walk(old, old_service)?;
    let new_closure = Closure::walk(new, new_service)?;
    let used_by = operations_using(new, &new_closure);
    let mut cx = Cx {
        old,
        new,
        changes: Vec::new(),
        docs: BTreeSet::new(),
        used_by,
        operation_count: new_closure.operations.len(),
    };
    cx.service(old_service, new_service);
    cx.operations(&old_closure, &new_closure)?;
    cx.shapes(old_service, new_service, &old_closure, &new_closure)?;
    let title = new_service
        .traits
        .get("title")
        .and_then(Value::as_str)
        .or_else(|| {
            new_service
                .traits
                .get_abs("aws.api#service")
                .and_then(|v| v.get("sdkId"))
                .and_then(Value::as_str)
        })
        .unwrap_or_else(|| shape_name(&new_service.id));
    // One line, as the crate's docs show it (it heads changelog entries).
    let title = crate::resolve::symbols::title(title);
    let mut changes = cx.changes;
    changes.sort();
    changes.dedup();
    Ok(Diff { title, changes, docs: cx.docs.into_iter().collect() })
}

/// Traits that never change what the generated crate does: documentation (reported apart),
/// the IDL 1.0 forms `load` already normalised, and review metadata.
const IGNORED_TRAITS: &[&str] = &[
    "smithy.api#documentation",
    "smithy.api#enum",
    "smithy.api#box",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#addedDefault",
    "smithy.api#suppress",
    "smithy.api#tags",
    "smithy.api#examples",
    "smithy.api#externalDocumentation",
    "smithy.api#since",
    "smithy.api#unstable",
    "smithy.api#references",
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#clientOptional",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#error",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
];

struct Cx<'m> {
    old: &'m Model,
    new: &'m Model,
    changes: Vec<Change>,
    docs: BTreeSet<String>,
    /// The operations (by name) of the new model whose request, response or errors reach a shape.
    used_by: BTreeMap<ShapeId, BTreeSet<String>>,
    operation_count: usize,
}

/// A step of [`Cx::aggregate`]'s walk.
enum Step<'m> {
    /// Compare two structures or unions reached at `prefix`.
    Aggregate { prefix: String, old: &'m str, new: &'m str, top: bool },
    /// Compare a member present in both models, reached at `path`.
    Member { path: String, old: &'m Member, new: &'m Member, input: bool },
}

/// The request or response walk of one operation.
struct Walk {
    op: String,
    part: Part,
    /// Pairs of aggregate shapes already compared on this walk (recursive shapes end here).
    seen: BTreeSet<(ShapeId, ShapeId)>,
}

impl<'m> Cx<'m> {
    fn push(
        &mut self,
        scope: Scope,
        subject: impl Into<String>,
        kind: &'static str,
        message: impl Into<String>,
        class: Class,
    ) {
        self.changes.push(Change {
            scope,
            subject: subject.into(),
            kind,
            message: message.into(),
            class,
        });
    }

    fn doc(&mut self, old: Option<&str>, new: Option<&str>, subject: impl Into<String>) {
        if old != new {
            self.docs.insert(subject.into());
        }
    }

    fn service(&mut self, old: &Shape, new: &Shape) {
        let (ShapeKind::Service(o), ShapeKind::Service(n)) = (&old.kind, &new.kind) else { return };
        let name = shape_name(&new.id).to_string();
        if o.version != n.version {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
            self.push(
                Scope::Service,
                &name,
                "api-version-changed",
                format!("API version {} → {}", show(&o.version), show(&n.version)),
                Class::Patch,
            );
        }
        for (trait_id, what) in [
            ("smithy.rules#endpointRuleSet", "endpoint rule set"),
            ("smithy.rules#endpointTests", "endpoint tests"),
        ] {
            match (old.traits.get_abs(trait_id), new.traits.get_abs(trait_id)) {
                (None, None) => {}
                (a, b) if a == b => {}
                (None, Some(_)) => self.push(
                    Scope::Endpoints,
                    what,
                    "endpoints-added",
                    format!("{what} added"),
                    Class::Patch,
                ),
                (Some(_), None) => self.push(
                    Scope::Endpoints,
                    what,
                    "endpoints-removed",
                    format!("{what} removed"),
                    Class::Patch,
                ),
                (Some(_), Some(_)) => self.push(
                    Scope::Endpoints,
                    what,
                    "endpoints-changed",
                    format!("{what} changed"),
                    Class::Patch,
                ),
            }
        }
        if old.traits.get_abs("aws.api#service").and_then(|v| v.get("sdkId"))
            != new.traits.get_abs("aws.api#service").and_then(|v| v.get("sdkId"))
        {
            self.push(
                Scope::Service,
                &name,
                "sdk-id-changed",
                "`sdkId` changed: the crate is renamed",
                Class::Breaking,
            );
        }
        // The rest of `aws.api#service` (endpoint prefix, ARN namespace...): patch.
        let without_sdk_id = |shape: &Shape| {
            let mut value = shape.traits.get_abs("aws.api#service").cloned();
            if let Some(serde_json::Value::Object(map)) = &mut value {
                map.remove("sdkId");
            }
            value
        };
        if without_sdk_id(old) != without_sdk_id(new) {
            self.push(
                Scope::Service,
                &name,
                "trait-changed",
                "@aws.api#service changed",
                Class::Patch,
            );
        }
        self.traits(Scope::Service, &name, old, new, &["aws.api#service"]);
        self.doc(
            old.traits.documentation(),
            new.traits.documentation(),
            format!("{name} (service)"),
        );
        for error in &o.errors {
            if !n.errors.contains(error) {
                self.push(
                    Scope::Service,
                    shape_name(error),
                    "service-error-removed",
                    format!("service error `{}` removed", shape_name(error)),
                    Class::Breaking,
                );
            }
        }
        for error in &n.errors {
            if !o.errors.contains(error) {
                self.push(
                    Scope::Service,
                    shape_name(error),
                    "service-error-added",
                    format!("service error `{}` added", shape_name(error)),
                    Class::Additive,
                );
            }
        }
    }

    /// Trait changes not handled elsewhere (protocol bindings, `@sensitive`, `@deprecated`...).
    fn traits(&mut self, scope: Scope, subject: &str, old: &Shape, new: &Shape, skip: &[&str]) {
        let names: BTreeSet<&String> = old.traits.0.keys().chain(new.traits.0.keys()).collect();
        for name in names {
            if IGNORED_TRAITS.contains(&name.as_str()) || skip.contains(&name.as_str()) {
                continue;
            }
            let (a, b) = (old.traits.0.get(name), new.traits.0.get(name));
            if a == b {
                continue;
            }
            let (kind, message, class) = classify::trait_change(name, a, b);
            self.push(scope.clone(), subject, kind, message, class);
        }
    }

    fn operations(&mut self, old: &Closure, new: &Closure) -> Result<()> {
        let old_ops: BTreeMap<&str, &ShapeId> =
            old.operations.iter().map(|id| (shape_name(id), id)).collect();
        let new_ops: BTreeMap<&str, &ShapeId> =
            new.operations.iter().map(|id| (shape_name(id), id)).collect();
        for name in old_ops.keys().filter(|n| !new_ops.contains_key(*n)) {
            self.push(
                Scope::OperationRemoved,
                *name,
                "operation-removed",
                format!("`{name}` removed"),
                Class::Breaking,
            );
        }
        for name in new_ops.keys().filter(|n| !old_ops.contains_key(*n)) {
            self.push(
                Scope::OperationAdded,
                *name,
                "operation-added",
                format!("`{name}` added"),
                Class::Additive,
            );
        }
        for (name, old_id) in &old_ops {
            let Some(new_id) = new_ops.get(name) else { continue };
            let (o_shape, n_shape) = (shape(self.old, old_id)?, shape(self.new, new_id)?);
            let (ShapeKind::Operation(o), ShapeKind::Operation(n)) = (&o_shape.kind, &n_shape.kind)
            else {
                continue;
            };
            let op = name.to_string();
            for (part, a, b) in
                [(Part::Request, &o.input, &n.input), (Part::Response, &o.output, &n.output)]
            {
                let mut walk = Walk { op: op.clone(), part, seen: BTreeSet::new() };
                let unit = |s: &Option<ShapeId>| match s.as_deref() {
                    None => true,
                    Some(id) => is_unit(id),
                };
                match (unit(a), unit(b)) {
                    (true, true) => {}
                    (false, false) => {
                        let (a, b) =
                            (a.as_deref().unwrap_or_default(), b.as_deref().unwrap_or_default());
                        self.aggregate(&mut walk, "", a, b, true)?;
                    }
                    (true, false) => self.push(
                        Scope::Operation { name: op.clone(), part },
                        &op,
                        "io-added",
                        format!("{} structure added", part.as_str()),
                        Class::Additive,
                    ),
                    (false, true) => self.push(
                        Scope::Operation { name: op.clone(), part },
                        &op,
                        "io-removed",
                        format!("{} structure removed", part.as_str()),
                        Class::Breaking,
                    ),
                }
            }
            let scope = Scope::Operation { name: op.clone(), part: Part::Errors };
            for error in
                o.errors.iter().filter(|e| !n.errors.iter().any(|x| shape_name(x) == shape_name(e)))
            {
                let error = shape_name(error);
                self.push(
                    scope.clone(),
                    error,
                    "operation-error-removed",
                    format!("error `{error}` removed"),
                    Class::Breaking,
                );
            }
            for error in
                n.errors.iter().filter(|e| !o.errors.iter().any(|x| shape_name(x) == shape_name(e)))
            {
                let error = shape_name(error);
                self.push(
                    scope.clone(),
                    error,
                    "operation-error-added",
                    format!("error `{error}` added"),
                    Class::Additive,
                );
            }
            self.traits(
                Scope::Operation { name: op.clone(), part: Part::Operation },
                &op,
                o_shape,
                n_shape,
                &[],
            );
            self.doc(
                o_shape.traits.documentation(),
                n_shape.traits.documentation(),
                format!("{op} (operation)"),
            );
        }
        Ok(())
    }

    /// Compares the members of two structures or unions reached at `prefix` (`Meeting.`), then
    /// what they hold, depth first. `top` is true for an operation's input structure itself,
    /// whose members the generated crate makes all optional.
    ///
    /// The walk keeps its own stack of [`Step`]s (a model may nest deeply), in the order a
    /// recursive walk would take them: that order decides at which path a shape reached twice
    /// is reported.
    fn aggregate(
        &mut self,
        walk: &mut Walk,
        prefix: &str,
        old_id: &'m str,
        new_id: &'m str,
        top: bool,
    ) -> Result<()> {
        let mut steps =
            vec![Step::Aggregate { prefix: prefix.to_string(), old: old_id, new: new_id, top }];
        while let Some(step) = steps.pop() {
            let before = steps.len();
            match step {
                Step::Aggregate { prefix, old, new, top } => {
                    self.aggregate_step(walk, &prefix, old, new, top, &mut steps)?
                }
                Step::Member { path, old, new, input } => {
                    self.member_step(walk, &path, old, new, input, &mut steps)?
                }
            }
            // What a step adds runs next, in the order it was added.
            steps[before..].reverse();
        }
        Ok(())
    }

    /// One [`Step::Aggregate`]: the members added and removed; the members of both are queued.
    fn aggregate_step(
        &mut self,
        walk: &mut Walk,
        prefix: &str,
        old_id: &'m str,
        new_id: &'m str,
        top: bool,
        steps: &mut Vec<Step<'m>>,
    ) -> Result<()> {
        if !walk.seen.insert((old_id.to_string(), new_id.to_string())) {
            return Ok(());
        }
        let (o, n) = (shape(self.old, old_id)?, shape(self.new, new_id)?);
        let (Some(o_members), Some(n_members)) = (aggregate_members(o), aggregate_members(n))
        else {
            return Ok(());
        };
        let is_union = matches!(n.kind, ShapeKind::Union { .. });
        let input = walk.part == Part::Request && top || n.traits.has("input");
        let scope = Scope::Operation { name: walk.op.clone(), part: walk.part };
        for m in &o_members {
            if !n_members.iter().any(|x| x.name == m.name) {
                let path = format!("{prefix}{}", m.name);
                self.push(
                    scope.clone(),
                    &path,
                    "member-removed",
                    format!("removed `{path}`"),
                    Class::Breaking,
                );
            }
        }
        for m in &n_members {
            let path = format!("{prefix}{}", m.name);
            let Some(old_member) = o_members.iter().find(|x| x.name == m.name) else {
                let target = shape(self.new, &m.target)?;
                let default = classify::default_value(self.new, m, target);
                let required = m.traits.has("required");
                let (class, note) =
                    classify::added_member(required, default.is_some(), is_union, walk.part);
                let ty = type_label(self.new, &m.target);
                self.push(
                    scope.clone(),
                    &path,
                    "member-added",
                    format!("added `{path}: {ty}`{note}"),
                    class,
                );
                continue;
            };
            steps.push(Step::Member { path, old: old_member, new: m, input });
        }
        Ok(())
    }

    /// One [`Step::Member`]: a member present in both models; what its target holds is queued.
    fn member_step(
        &mut self,
        walk: &mut Walk,
        path: &str,
        o: &'m Member,
        n: &'m Member,
        input: bool,
        steps: &mut Vec<Step<'m>>,
    ) -> Result<()> {
        let scope = Scope::Operation { name: walk.op.clone(), part: walk.part };
        let (ot, nt) = (shape(self.old, &o.target)?, shape(self.new, &n.target)?);
        let (old_ty, new_ty) = (type_label(self.old, &o.target), type_label(self.new, &n.target));
        if !same_type(self.old, self.new, ot, nt) {
            self.push(
                scope,
                path,
                "target-changed",
                format!("`{path}` type changed: `{old_ty}` → `{new_ty}`"),
                Class::Breaking,
            );
            return Ok(());
        }
        // Optionality, as the generated crate sees it.
        let (od, nd) =
            (classify::default_value(self.old, o, ot), classify::default_value(self.new, n, nt));
        let (oreq, nreq) = (o.traits.has("required"), n.traits.has("required"));
        let optional = |m: &Member, req: bool, def: &Option<Value>| {
            input || m.traits.has("clientOptional") || !(req || def.is_some())
        };
        let (oopt, nopt) = (optional(o, oreq, &od), optional(n, nreq, &nd));
        if oreq != nreq {
            let (class, why) = classify::required_change(nreq, input, oopt != nopt, walk.part);
            let what = if nreq { "now required" } else { "no longer required" };
            self.push(
                scope.clone(),
                path,
                "required-changed",
                format!("`{path}` {what}{why}"),
                class,
            );
        }
        if !classify::same_value(od.as_ref(), nd.as_ref()) {
            let show = |v: &Option<Value>| v.as_ref().map_or("none".to_string(), Value::to_string);
            let class = if oopt != nopt || (od.is_some() && nd.is_some() && !input) {
                Class::Breaking
            } else {
                Class::Patch
            };
            self.push(
                scope.clone(),
                path,
                "default-changed",
                format!("`{path}` default {} → {}", show(&od), show(&nd)),
                class,
            );
        }
        for (kind, message, class) in classify::constraints(&o.traits, &n.traits) {
            self.push(scope.clone(), path, kind, format!("`{path}` {message}"), class);
        }
        let names: BTreeSet<&String> = o.traits.0.keys().chain(n.traits.0.keys()).collect();
        for name in names {
            if IGNORED_TRAITS.contains(&name.as_str()) {
                continue;
            }
            let (a, b) = (o.traits.0.get(name), n.traits.0.get(name));
            if a != b {
                let (kind, message, class) = classify::trait_change(name, a, b);
                self.push(scope.clone(), path, kind, format!("`{path}`: {message}"), class);
            }
        }
        // Into the target: structure and union members, list elements, map values.
        match (&ot.kind, &nt.kind) {
            (ShapeKind::Structure { .. } | ShapeKind::Union { .. }, _) => {
                steps.push(Step::Aggregate {
                    prefix: format!("{path}."),
                    old: &ot.id,
                    new: &nt.id,
                    top: false,
                });
            }
            (ShapeKind::List { member: a, .. }, ShapeKind::List { member: b, .. }) => {
                steps.push(Step::Member {
                    path: format!("{path}[]"),
                    old: a,
                    new: b,
                    input: false,
                });
            }
            (ShapeKind::Map { key: ak, value: av }, ShapeKind::Map { key: bk, value: bv }) => {
                steps.push(Step::Member {
                    path: format!("{path}{{key}}"),
                    old: ak,
                    new: bk,
                    input: false,
                });
                steps.push(Step::Member {
                    path: format!("{path}{{}}"),
                    old: av,
                    new: bv,
                    input: false,
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Shape-level changes, each once: types added and removed, enum values, constraints and
    /// traits of shared shapes, error shapes' members, and documentation.
    fn shapes(
        &mut self,
        old_service: &Shape,
        new_service: &Shape,
        old: &Closure,
        new: &Closure,
    ) -> Result<()> {
        let named = |model: &Model, closure: &Closure| -> BTreeMap<String, ShapeId> {
            closure
                .types
                .iter()
                .filter(|id| !model.shapes[*id].traits.has("error"))
                .map(|id| (shape_name(id).to_string(), id.clone()))
                .collect()
        };
        let errors = |model: &Model, closure: &Closure| -> BTreeMap<String, ShapeId> {
            closure
                .types
                .iter()
                .filter(|id| model.shapes[*id].traits.has("error"))
                .map(|id| (shape_name(id).to_string(), id.clone()))
                .collect()
        };
        let (old_types, new_types) = (named(self.old, old), named(self.new, new));
        for (name, id) in &old_types {
            if !new_types.contains_key(name) {
                let kind = self.old.shapes[id].kind.type_name();
                self.push(
                    Scope::Shape,
                    name,
                    "type-removed",
                    format!("{kind} `{name}` removed"),
                    Class::Breaking,
                );
            }
        }
        for (name, id) in &new_types {
            if !old_types.contains_key(name) {
                let kind = self.new.shapes[id].kind.type_name();
                self.push(
                    Scope::Shape,
                    name,
                    "type-added",
                    format!("{kind} `{name}` added"),
                    Class::Additive,
                );
            }
        }
        let (old_errors, new_errors) = (errors(self.old, old), errors(self.new, new));
        for (name, _) in old_errors.iter().filter(|(n, _)| !new_errors.contains_key(*n)) {
            self.push(
                Scope::ErrorShape,
                name,
                "error-removed",
                format!("error `{name}` removed"),
                Class::Breaking,
            );
        }
        for (name, _) in new_errors.iter().filter(|(n, _)| !old_errors.contains_key(*n)) {
            self.push(
                Scope::ErrorShape,
                name,
                "error-added",
                format!("error `{name}` added"),
                Class::Additive,
            );
        }
        for (name, old_id) in &old_errors {
            let Some(new_id) = new_errors.get(name) else { continue };
            let (old_id, new_id) = (&shape(self.old, old_id)?.id, &shape(self.new, new_id)?.id);
            let mut walk = Walk { op: String::new(), part: Part::Response, seen: BTreeSet::new() };
            let before = self.changes.len();
            self.aggregate(&mut walk, &format!("{name}."), old_id, new_id, false)?;
            // Error members are reported under the error, not under an operation.
            for change in &mut self.changes[before..] {
                change.scope = Scope::ErrorShape;
            }
        }

        // Every shape both services reach, by id (members compared above; here the shapes).
        let (old_all, new_all) =
            (reachable(self.old, old_service, old), reachable(self.new, new_service, new));
        for id in old_all.intersection(&new_all) {
            let before = self.changes.len();
            self.shape(id)?;
            // Say which operations a shared shape's change reaches.
            let users = self.used_by.get(id).cloned().unwrap_or_default();
            let note = match users.len() {
                0 => String::new(),
                n if n == self.operation_count && n > 1 => " (used by every operation)".to_string(),
                _ => format!(
                    " (used by {})",
                    users.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            for change in &mut self.changes[before..] {
                if change.scope == Scope::Shape {
                    change.message.push_str(&note);
                }
            }
        }
        Ok(())
    }

    /// The changes of one shape both models reach (not its members' targets: those are
    /// compared along the operations' paths).
    fn shape(&mut self, id: &str) -> Result<()> {
        let (o, n) = (shape(self.old, id)?, shape(self.new, id)?);
        let name = shape_name(id);
        if !matches!(n.kind, ShapeKind::Operation(_)) {
            // Operations' documentation is compared with the operations.
            self.doc(o.traits.documentation(), n.traits.documentation(), name.to_string());
        }
        if let (Some(om), Some(nm)) = (members_of(&o.kind), members_of(&n.kind)) {
            for m in &nm {
                if let Some(x) = om.iter().find(|x| x.name == m.name) {
                    self.doc(
                        x.traits.documentation(),
                        m.traits.documentation(),
                        format!("{name}${}", m.name),
                    );
                }
            }
        }
        match (&o.kind, &n.kind) {
            (ShapeKind::Enum { members: a }, ShapeKind::Enum { members: b }) => {
                for (kind, message, class) in classify::enum_values(a, b) {
                    self.push(Scope::Shape, name, kind, format!("enum `{name}`: {message}"), class);
                }
                for m in b {
                    if let Some(x) = a.iter().find(|x| x.value == m.value) {
                        self.doc(
                            x.traits.documentation(),
                            m.traits.documentation(),
                            format!("{name}${}", m.name),
                        );
                    }
                }
            }
            (ShapeKind::IntEnum { members: a }, ShapeKind::IntEnum { members: b }) => {
                for (kind, message, class) in classify::int_enum_values(a, b) {
                    self.push(
                        Scope::Shape,
                        name,
                        kind,
                        format!("intEnum `{name}`: {message}"),
                        class,
                    );
                }
            }
            _ => {}
        }
        if matches!(n.kind, ShapeKind::Operation(_) | ShapeKind::Service(_)) {
            return Ok(());
        }
        if o.kind.type_name() != n.kind.type_name() {
            // Reported where members target it; a shape reached through no member is a type.
            return Ok(());
        }
        for (kind, message, class) in classify::constraints(&o.traits, &n.traits) {
            self.push(Scope::Shape, name, kind, format!("`{name}` {message}"), class);
        }
        self.traits(Scope::Shape, name, o, n, &[]);
        Ok(())
    }
}

fn shape<'m>(model: &'m Model, id: &str) -> Result<&'m Shape> {
    model.shape(id).ok_or_else(|| Error::model(id, "referenced but not defined"))
}

fn aggregate_members(shape: &Shape) -> Option<Vec<&Member>> {
    match &shape.kind {
        ShapeKind::Structure { members } | ShapeKind::Union { members } => {
            Some(members.iter().collect())
        }
        _ => None,
    }
}

/// For every shape, the operations whose request, response or errors reach it.
fn operations_using(model: &Model, closure: &Closure) -> BTreeMap<ShapeId, BTreeSet<String>> {
    let mut out: BTreeMap<ShapeId, BTreeSet<String>> = BTreeMap::new();
    for op in &closure.operations {
        let Some(ShapeKind::Operation(o)) = model.shape(op).map(|s| &s.kind) else { continue };
        let mut seen = BTreeSet::new();
        let mut stack: Vec<ShapeId> =
            o.input.iter().chain(&o.output).chain(&o.errors).cloned().collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(members) = model.shape(&id).and_then(|s| members_of(&s.kind)) {
                stack.extend(members.iter().map(|m| m.target.clone()));
            }
            out.entry(id).or_default().insert(shape_name(op).to_string());
        }
    }
    out
}

/// Every shape the service reaches: operations, their inputs, outputs and errors, the service's
/// errors, and every target of their members (simple shapes included, unlike [`Closure::types`]).
fn reachable(model: &Model, service: &Shape, closure: &Closure) -> BTreeSet<ShapeId> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<ShapeId> = closure.operations.iter().cloned().collect();
    stack.extend(closure.types.iter().cloned());
    if let ShapeKind::Service(s) = &service.kind {
        stack.extend(s.errors.iter().cloned());
    }
    while let Some(id) = stack.pop() {
        if !out.insert(id.clone()) {
            continue;
        }
        let Some(shape) = model.shape(&id) else { continue };
        match &shape.kind {
            ShapeKind::Operation(op) => {
                stack.extend(op.input.iter().chain(&op.output).chain(&op.errors).cloned());
            }
            kind => {
                if let Some(members) = members_of(kind) {
                    stack.extend(members.iter().map(|m| m.target.clone()));
                }
            }
        }
    }
    out.retain(|id| !id.starts_with("smithy.api#"));
    out
}

/// Whether two member targets give the member the same Rust type: simple shapes of the same
/// type (whatever their ids: `String` and `ExternalUserId` are both a `String`), the same named
/// type, or lists and maps of the same.
fn same_type(old: &Model, new: &Model, a: &Shape, b: &Shape) -> bool {
    match (&a.kind, &b.kind) {
        (
            ShapeKind::Structure { .. }
            | ShapeKind::Union { .. }
            | ShapeKind::Enum { .. }
            | ShapeKind::IntEnum { .. },
            _,
        ) => a.kind.type_name() == b.kind.type_name() && shape_name(&a.id) == shape_name(&b.id),
        (ShapeKind::List { member: x, .. }, ShapeKind::List { member: y, .. }) => {
            match (old.shape(&x.target), new.shape(&y.target)) {
                (Some(xa), Some(yb)) => same_type(old, new, xa, yb),
                _ => false,
            }
        }
        (ShapeKind::Map { key: xk, value: xv }, ShapeKind::Map { key: yk, value: yv }) => {
            match (
                old.shape(&xk.target),
                new.shape(&yk.target),
                old.shape(&xv.target),
                new.shape(&yv.target),
            ) {
                (Some(a1), Some(b1), Some(a2), Some(b2)) => {
                    same_type(old, new, a1, b1) && same_type(old, new, a2, b2)
                }
                _ => false,
            }
        }
        _ => a.kind.type_name() == b.kind.type_name(),
    }
}

/// How a member's type is shown: `String`, `Integer`, a named type (`Meeting`), `List<Attendee>`,
/// `Map<String, String>`.
pub fn type_label(model: &Model, id: &str) -> String {
    let Some(shape) = model.shape(id) else { return shape_name(id).to_string() };
    match &shape.kind {
        ShapeKind::Structure { .. }
        | ShapeKind::Union { .. }
        | ShapeKind::Enum { .. }
        | ShapeKind::IntEnum { .. } => shape_name(id).to_string(),
        ShapeKind::List { member, .. } => format!("List<{}>", type_label(model, &member.target)),
        ShapeKind::Map { key, value } => {
            format!("Map<{}, {}>", type_label(model, &key.target), type_label(model, &value.target))
        }
        kind => {
            let name = kind.type_name();
            let mut chars = name.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
    }
}
