//! A [`Diff`] as Markdown (a CHANGELOG entry or a PR comment, shaped like AWS's own API
//! changelog: "3 updated api methods", then per method its request and response changes) or as
//! JSON for tools.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::{Change, Diff, Scope, Verdict};

/// What to put in the Markdown.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// The heading's text (after `## `); default `<title> - <summary>`, as AWS's changelog.
    pub heading: Option<String>,
    /// List every documentation change instead of counting them.
    pub docs: bool,
}

/// What a verdict means for a 1.x crate and for a 0.x one (Cargo's semver).
pub fn verdict_note(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::None => "nothing to release",
        Verdict::Patch => "no API change; a 0.x crate takes a patch bump too",
        Verdict::Minor => {
            "additive changes only; for a 0.x crate Cargo's semver makes this a patch bump"
        }
        Verdict::Major => {
            "breaking changes; for a 0.x crate Cargo's semver makes this a minor bump"
        }
    }
}

fn line(out: &mut String, change: &Change, prefix: &str) {
    let _ = writeln!(out, "- {prefix}{} *({})*", change.message, change.class.as_str());
}

/// The Markdown changelog entry.
pub fn markdown(diff: &Diff, options: &Markdown) -> String {
    let mut out = String::new();
    let heading =
        options.heading.clone().unwrap_or_else(|| format!("{} - {}", diff.title, diff.summary()));
    let verdict = diff.verdict();
    let _ = writeln!(out, "## {heading}\n");
    let _ = writeln!(out, "Verdict: **{}** ({}).", verdict.as_str(), verdict_note(verdict));

    let section = |out: &mut String, title: &str, pick: &dyn Fn(&Scope) -> bool| {
        let changes: Vec<&Change> = diff.changes.iter().filter(|c| pick(&c.scope)).collect();
        if !changes.is_empty() {
            let _ = writeln!(out, "\n### {title}\n");
            for change in changes {
                line(out, change, "");
            }
        }
    };
    section(&mut out, "New api methods", &|s| matches!(s, Scope::OperationAdded));
    section(&mut out, "Removed api methods", &|s| matches!(s, Scope::OperationRemoved));

    let (_, _, updated) = diff.operations();
    if !updated.is_empty() {
        let _ = writeln!(out, "\n### Updated api methods");
        for op in updated {
            let _ = writeln!(out, "\n**`{op}`**\n");
            for change in &diff.changes {
                if let Scope::Operation { name, part } = &change.scope {
                    if name == op {
                        line(&mut out, change, &format!("{}: ", part.as_str()));
                    }
                }
            }
        }
    }
    section(&mut out, "Shapes", &|s| matches!(s, Scope::Shape));
    section(&mut out, "Error shapes", &|s| matches!(s, Scope::ErrorShape));
    section(&mut out, "Service", &|s| matches!(s, Scope::Service));
    section(&mut out, "Endpoints", &|s| matches!(s, Scope::Endpoints));

    if !diff.docs.is_empty() {
        let n = diff.docs.len();
        let plural = if n == 1 { "" } else { "s" };
        if options.docs {
            let _ = writeln!(out, "\n### Documentation\n");
            for subject in &diff.docs {
                let _ = writeln!(out, "- `{subject}`");
            }
        } else {
            let _ = writeln!(
                out,
                "\nDocumentation updated in {n} place{plural} *(patch; `--docs` lists them)*."
            );
        }
    }
    if diff.is_empty() {
        let _ = writeln!(out, "\nNo changes.");
    }
    out
}

/// The JSON form: the verdict, and every change with its scope, class and kind.
pub fn json(diff: &Diff) -> Value {
    let (added, removed, updated) = diff.operations();
    let changes: Vec<Value> = diff
        .changes
        .iter()
        .map(|c| {
            let (scope, operation, part) = match &c.scope {
                Scope::OperationAdded => ("operation-added", None, None),
                Scope::OperationRemoved => ("operation-removed", None, None),
                Scope::Operation { name, part } => {
                    ("operation", Some(name.as_str()), Some(part.as_str()))
                }
                Scope::Shape => ("shape", None, None),
                Scope::ErrorShape => ("error-shape", None, None),
                Scope::Service => ("service", None, None),
                Scope::Endpoints => ("endpoints", None, None),
            };
            json!({
                "scope": scope,
                "operation": operation,
                "part": part,
                "subject": c.subject,
                "kind": c.kind,
                "class": c.class.as_str(),
                "message": c.message,
            })
        })
        .collect();
    json!({
        "service": diff.title,
        "summary": diff.summary(),
        "verdict": diff.verdict().as_str(),
        "class": diff.class().map(|c| c.as_str()),
        "operations": { "added": added, "removed": removed, "updated": updated },
        "changes": changes,
        "docs": diff.docs,
    })
}
