//! The model diff (`cargo xtask diff`) and the generated crate's history (`cargo xtask codegen`
//! bumping the version and prepending to CHANGELOG.md).
//!
//! - the 2022-03-21 release of seed 004 (`PrimaryMeetingId`), as AWS's own changelog shows it;
//! - the move from IDL 1.0 to 2.0 shows nothing, and a span across it shows exactly what the
//!   releases in between changed;
//! - an endpoint-only release;
//! - every consecutive pair of `model/history/` (the concatenated changelog is a snapshot);
//! - one synthetic pair per change class (`tests/models/diff/`, written by `make_variants.py`);
//! - codegen into a fresh directory, then newer models: version bumps, changelog entries,
//!   regenerating is a no-op, `--check` shows the pending entry.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use smithy_codegen::diff::{self, render, Class, Diff, Part, Scope, Verdict};
use smithy_codegen::resolve::Options;

fn diff_files(old: &str, new: &str) -> Diff {
    let read = |p: &str| {
        fs::read_to_string(support::root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
    };
    diff::diff_str(&read(old), &read(new), &Options::default())
        .unwrap_or_else(|e| panic!("{old} → {new}: {e}"))
}

fn history() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(support::root().join("model/history"))
        .expect("model/history")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn rel(path: &Path) -> String {
    path.strip_prefix(support::root()).unwrap_or(path).display().to_string()
}

/// (operation, part, subject, kind, class) of every operation-scoped change.
fn operation_changes(diff: &Diff) -> Vec<(String, Part, String, &'static str, Class)> {
    diff.changes
        .iter()
        .filter_map(|c| match &c.scope {
            Scope::Operation { name, part } => {
                Some((name.clone(), *part, c.subject.clone(), c.kind, c.class))
            }
            _ => None,
        })
        .collect()
}

/// Seed 004: "2022/03/21 - Amazon Chime SDK Meetings - 3 updated api methods": CreateMeeting and
/// CreateMeetingWithAttendees gain `{'PrimaryMeetingId': 'string'}` in the request and
/// `{'Meeting': {'PrimaryMeetingId': 'string'}}` in the response; GetMeeting the response only.
#[test]
fn seed_004_primary_meeting_id_release() {
    let diff = diff_files("model/history/2022-03-16.json", "model/history/2022-04-13.json");
    let (added, removed, updated) = diff.operations();
    assert!(added.is_empty() && removed.is_empty(), "{added:?} {removed:?}");
    assert_eq!(updated, ["CreateMeeting", "CreateMeetingWithAttendees", "GetMeeting"]);
    let added_member = |op: &str, part, path: &str| {
        (op.to_string(), part, path.to_string(), "member-added", Class::Additive)
    };
    assert_eq!(
        operation_changes(&diff),
        [
            added_member("CreateMeeting", Part::Request, "PrimaryMeetingId"),
            added_member("CreateMeeting", Part::Response, "Meeting.PrimaryMeetingId"),
            added_member("CreateMeetingWithAttendees", Part::Request, "PrimaryMeetingId"),
            added_member("CreateMeetingWithAttendees", Part::Response, "Meeting.PrimaryMeetingId"),
            added_member("GetMeeting", Part::Response, "Meeting.PrimaryMeetingId"),
        ]
    );
    assert_eq!(diff.changes.len(), 5, "nothing but the five member additions: {:#?}", diff.changes);
    assert_eq!(diff.class(), Some(Class::Additive));
    assert_eq!(diff.verdict(), Verdict::Minor);
    assert_eq!(diff.summary(), "3 updated api methods");

    let markdown = render::markdown(&diff, &Default::default());
    assert!(
        markdown.starts_with("## Amazon Chime SDK Meetings - 3 updated api methods\n"),
        "{markdown}"
    );
    assert!(markdown.contains("Verdict: **minor**"), "{markdown}");
    assert!(markdown.contains("**`CreateMeeting`**\n\n- request: added `PrimaryMeetingId: String` *(additive)*\n- response: added `Meeting.PrimaryMeetingId: String` *(additive)*\n"), "{markdown}");

    // The CLI prints the same, and the JSON form says the same.
    let (old, new) = (
        support::root().join("model/history/2022-03-16.json"),
        support::root().join("model/history/2022-04-13.json"),
    );
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let (code, stdout, stderr) = support::xtask(&["diff", &old, &new]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, markdown);
    let (code, stdout, stderr) = support::xtask(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(json["verdict"], "minor");
    assert_eq!(
        json["operations"]["updated"],
        serde_json::json!(["CreateMeeting", "CreateMeetingWithAttendees", "GetMeeting"])
    );
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(5));
    assert_eq!(json["changes"][1]["subject"], "Meeting.PrimaryMeetingId");
    assert_eq!(json["changes"][1]["part"], "response");
}

/// 2022-08-18 (IDL 1.0) → 2022-10-13 (IDL 2.0): `@enum` strings became enum shapes, `@box`
/// went, `@default(false)`, `@input` and `@output` appeared; nothing changed for users.
#[test]
fn idl_1_to_2_move_shows_no_change() {
    let version = |p: &str| -> String {
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(support::root().join(p)).expect("read"))
                .expect("json");
        v["smithy"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(version("model/history/2022-08-18.json"), "1.0");
    assert_eq!(version("model/history/2022-10-13.json"), "2.0");
    let diff = diff_files("model/history/2022-08-18.json", "model/history/2022-10-13.json");
    assert!(diff.is_empty(), "{:#?} {:?}", diff.changes, diff.docs);
    assert_eq!(diff.verdict(), Verdict::None);
}

/// 2022-06-22 (IDL 1.0) → 2023-04-04 (IDL 2.0): exactly the changes of the releases in between,
/// nothing from the representation change.
#[test]
fn idl_1_to_2_span_is_the_sum_of_its_releases() {
    let files = history();
    let names: Vec<String> = files.iter().map(|p| rel(p)).collect();
    let from = names.iter().position(|n| n.ends_with("2022-06-22.json")).expect("2022-06-22");
    let to = names.iter().position(|n| n.ends_with("2023-04-04.json")).expect("2023-04-04");
    let span = diff_files(&names[from], &names[to]);

    let key = |c: &diff::Change| (c.scope.clone(), c.subject.clone(), c.kind, c.class);
    let mut union = BTreeSet::new();
    let mut union_docs = BTreeSet::new();
    let mut endpoint_subjects = BTreeSet::new();
    for pair in names[from..=to].windows(2) {
        let d = diff_files(&pair[0], &pair[1]);
        for c in &d.changes {
            if c.scope == Scope::Endpoints {
                endpoint_subjects.insert(c.subject.clone());
            } else {
                union.insert(key(c));
            }
        }
        union_docs.extend(d.docs);
    }
    let spanned: BTreeSet<_> =
        span.changes.iter().filter(|c| c.scope != Scope::Endpoints).map(key).collect();
    assert_eq!(spanned, union);
    let span_endpoints: BTreeSet<String> = span
        .changes
        .iter()
        .filter(|c| c.scope == Scope::Endpoints)
        .map(|c| c.subject.clone())
        .collect();
    assert_eq!(span_endpoints, endpoint_subjects);
    let docs: BTreeSet<String> = span.docs.iter().cloned().collect();
    assert!(docs.is_subset(&union_docs), "{:?}", docs.difference(&union_docs).collect::<Vec<_>>());

    // What users see: three tagging operations, Tags/TenantIds/MeetingArn, no breaking change.
    let (added, removed, updated) = span.operations();
    assert_eq!(added, ["ListTagsForResource", "TagResource", "UntagResource"]);
    assert!(removed.is_empty());
    assert_eq!(updated, ["CreateMeeting", "CreateMeetingWithAttendees", "GetMeeting"]);
    assert!(span.changes.iter().all(|c| c.class != Class::Breaking), "{:#?}", span.changes);
    let kinds: BTreeSet<&str> = span.changes.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "endpoints-added",
            "error-added",
            "member-added",
            "operation-added",
            "type-added"
        ])
    );
    assert_eq!(span.verdict(), Verdict::Minor);
}

/// 2025-10-01 → 2025-10-17 changes the endpoint rule set only.
#[test]
fn endpoint_rule_set_only_release_is_a_patch() {
    let diff = diff_files("model/history/2025-10-01.json", "model/history/2025-10-17.json");
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
    assert_eq!(diff.changes[0].scope, Scope::Endpoints);
    assert_eq!(diff.changes[0].kind, "endpoints-changed");
    assert_eq!(diff.changes[0].subject, "endpoint rule set");
    assert!(diff.docs.is_empty());
    assert_eq!(diff.verdict(), Verdict::Patch);
    assert_eq!(diff.summary(), "endpoint rules only");
}

/// Every consecutive pair of the history diffs; together they are the API's changelog, locked
/// by a snapshot a reviewer can read (`tests/snapshots/diff/history_changelog.snap`).
#[test]
fn history_changelog() {
    let files = history();
    assert!(files.len() >= 20, "model/history holds every version");
    let mut changelog = String::from(
        "# Amazon Chime SDK Meetings: API history (`cargo xtask diff` of each consecutive pair)\n",
    );
    for pair in files.windows(2) {
        let (old, new) = (rel(&pair[0]), rel(&pair[1]));
        let diff = diff_files(&old, &new);
        let name =
            |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let heading = format!("{} → {} - {}", name(&pair[0]), name(&pair[1]), diff.summary());
        changelog.push('\n');
        changelog.push_str(&render::markdown(
            &diff,
            &render::Markdown { heading: Some(heading), docs: false },
        ));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/diff");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("history_changelog", changelog));
}

/// Against an independent reference (`tests/models/diff/reference_history.py`, which walks the
/// JSON AST of both models directly): for every consecutive pair of the history, the operations
/// added and removed, and per operation the members added or removed at any depth of the request
/// and response, and the errors added or removed, are the same.
#[test]
fn history_agrees_with_python_reference() {
    let text = fs::read_to_string(support::root().join("tests/models/diff/history-reference.json"))
        .expect("reference");
    let reference: serde_json::Value = serde_json::from_str(&text).expect("reference JSON");
    let pairs = reference.as_array().expect("a list of pairs");
    assert_eq!(
        pairs.len(),
        history().len() - 1,
        "regenerate the reference: python3 tests/models/diff/reference_history.py"
    );
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let mut compared = 0;
    for pair in pairs {
        let (old, new) =
            (pair["old"].as_str().unwrap_or_default(), pair["new"].as_str().unwrap_or_default());
        let diff = diff_files(&format!("model/history/{old}"), &format!("model/history/{new}"));
        let (added, removed, _) = diff.operations();
        assert_eq!(added, strings(&pair["added_operations"]), "{old} → {new}");
        assert_eq!(removed, strings(&pair["removed_operations"]), "{old} → {new}");
        let expected: BTreeSet<Vec<String>> =
            pair["changes"].as_array().expect("changes").iter().map(strings).collect();
        let got: BTreeSet<Vec<String>> = operation_changes(&diff)
            .into_iter()
            .filter(|(_, _, _, kind, _)| {
                kind.starts_with("member-") || kind.starts_with("operation-error-")
            })
            .map(|(op, part, subject, kind, _)| {
                // The reference names the member only (the last segment of the path).
                let leaf = subject
                    .rsplit('.')
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches("[]")
                    .to_string();
                vec![op, part.as_str().to_string(), kind.to_string(), leaf]
            })
            .collect();
        assert_eq!(got, expected, "{old} → {new}");
        compared += expected.len();
    }
    assert!(compared > 100, "the reference covers the history's changes ({compared})");
}

/// One synthetic model pair per change class, with the expected classification.
#[test]
fn synthetic_change_classes() {
    use Class::*;
    type Case<'a> = (&'a str, &'a str, Verdict, &'a [(&'a str, Class)]);
    let cases: &[Case] = &[
        ("base", "removed-member", Verdict::Major, &[("member-removed", Breaking)]),
        ("base", "added-required-member", Verdict::Major, &[("member-added", Breaking)]),
        ("base", "added-optional-member", Verdict::Minor, &[("member-added", Additive)]),
        ("base", "changed-target", Verdict::Major, &[("target-changed", Breaking)]),
        ("base", "enum-value-added", Verdict::Minor, &[("enum-value-added", Additive)]),
        ("enum-value-added", "base", Verdict::Major, &[("enum-value-removed", Breaking)]),
        ("base", "enum-value-renamed", Verdict::Major, &[("enum-value-renamed", Breaking)]),
        ("base", "length-loosened", Verdict::Patch, &[("length-changed", Patch)]),
        ("length-loosened", "base", Verdict::Major, &[("length-changed", Breaking)]),
        ("base", "range-tightened", Verdict::Major, &[("range-changed", Breaking)]),
        ("range-tightened", "base", Verdict::Patch, &[("range-changed", Patch)]),
        ("base", "pattern-changed", Verdict::Major, &[("pattern-changed", Breaking)]),
        ("base", "operation-added", Verdict::Minor, &[("operation-added", Additive)]),
        ("operation-added", "base", Verdict::Major, &[("operation-removed", Breaking)]),
        ("base", "docs-only", Verdict::Patch, &[]),
        ("base", "input-member-required", Verdict::Major, &[("required-changed", Breaking)]),
        ("input-member-required", "base", Verdict::Patch, &[("required-changed", Patch)]),
        // Tag is reached from the request and from the response: reported at both paths.
        (
            "base",
            "nested-member-required",
            Verdict::Major,
            &[("required-changed", Breaking), ("required-changed", Breaking)],
        ),
        ("base", "operation-error-added", Verdict::Minor, &[("operation-error-added", Additive)]),
        ("operation-error-added", "base", Verdict::Major, &[("operation-error-removed", Breaking)]),
        ("base", "endpoint-rules", Verdict::Patch, &[("endpoints-added", Patch)]),
        ("base", "http-uri-changed", Verdict::Major, &[("trait-changed", Breaking)]),
        // The same model in IDL 1.0 and 2.0: no change either way.
        ("base-idl1", "base", Verdict::None, &[]),
        ("base", "base-idl1", Verdict::None, &[]),
    ];
    for (old, new, verdict, expected) in cases {
        let diff = diff_files(
            &format!("tests/models/diff/{old}.json"),
            &format!("tests/models/diff/{new}.json"),
        );
        let got: Vec<(&str, Class)> = diff.changes.iter().map(|c| (c.kind, c.class)).collect();
        assert_eq!(got, *expected, "{old} → {new}: {:#?}", diff.changes);
        assert_eq!(diff.verdict(), *verdict, "{old} → {new}");
    }

    // Where the changes are reported.
    let diff = diff_files("tests/models/diff/base.json", "tests/models/diff/removed-member.json");
    assert_eq!(
        diff.changes[0].scope,
        Scope::Operation { name: "GetThing".into(), part: Part::Response }
    );
    assert_eq!(diff.changes[0].subject, "Thing.Color");
    let diff =
        diff_files("tests/models/diff/base.json", "tests/models/diff/nested-member-required.json");
    let subjects: Vec<&str> = diff.changes.iter().map(|c| c.subject.as_str()).collect();
    // GetThing's response, then PutThing's request.
    assert_eq!(subjects, ["Thing.Tags[].Value", "Tags[].Value"]);
    let diff = diff_files("tests/models/diff/base.json", "tests/models/diff/docs-only.json");
    assert_eq!(diff.docs, ["GetThing (operation)", "PutThingInput$Name", "Things (service)"]);
    let markdown = render::markdown(&diff, &Default::default());
    assert!(markdown.contains("Documentation updated in 3 places"), "{markdown}");
    let listed = render::markdown(&diff, &render::Markdown { heading: None, docs: true });
    assert!(
        listed.contains("### Documentation\n\n- `GetThing (operation)`\n- `PutThingInput$Name`\n"),
        "{listed}"
    );
}

#[test]
fn semver_bumps() {
    assert_eq!(Verdict::Major.bump("0.3.2").as_deref(), Some("0.4.0"));
    assert_eq!(Verdict::Minor.bump("0.3.2").as_deref(), Some("0.3.3"));
    assert_eq!(Verdict::Patch.bump("0.3.2").as_deref(), Some("0.3.3"));
    assert_eq!(Verdict::None.bump("0.3.2").as_deref(), Some("0.3.2"));
    assert_eq!(Verdict::Major.bump("1.3.2").as_deref(), Some("2.0.0"));
    assert_eq!(Verdict::Minor.bump("1.3.2").as_deref(), Some("1.4.0"));
    assert_eq!(Verdict::Patch.bump("1.3.2").as_deref(), Some("1.3.3"));
    assert_eq!(Verdict::Patch.bump("1.3"), None);
    assert_eq!(Verdict::Patch.bump("1.3.x"), None);

    use smithy_codegen::history::{package_version, set_package_version};
    let manifest = "# c\n[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nhttp = { version = \"1\" }\n";
    assert_eq!(package_version(manifest).as_deref(), Some("0.1.0"));
    let bumped = set_package_version(manifest, "0.2.3").expect("has a version");
    assert_eq!(bumped, manifest.replace("version = \"0.1.0\"", "version = \"0.2.3\""));
    assert_eq!(package_version(&bumped).as_deref(), Some("0.2.3"));
    assert_eq!(set_package_version("[dependencies]\nversion = \"1\"\n", "0.2.0"), None);
}

/// A scratch output directory under target/ (removed when dropped).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            support::root().join("target").join(format!("diff-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Scratch(dir)
    }
    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.0.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }
    fn codegen(&self, model: &str, extra: &[&str]) -> (i32, String, String) {
        let out = self.0.display().to_string();
        let mut args = vec!["codegen", "--model", model, "--out", &out];
        args.extend_from_slice(extra);
        support::xtask(&args)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn version(dir: &Scratch) -> String {
    smithy_codegen::history::package_version(&dir.read("Cargo.toml")).expect("version")
}

/// All files of a directory with their bytes (to prove a regeneration changed nothing).
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn codegen_bumps_version_and_prepends_changelog() {
    let dir = Scratch::new("history");
    let root = support::root();
    let model = |date: &str| root.join(format!("model/history/{date}.json")).display().to_string();

    // A fresh directory starts a history.
    let (code, stdout, stderr) = dir.codegen(&model("2021-12-01"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("new crate history: version 0.1.0"), "{stdout}");
    assert_eq!(version(&dir), "0.1.0");
    assert_eq!(dir.read("model.json"), fs::read_to_string(model("2021-12-01")).expect("model"));
    let changelog = dir.read("CHANGELOG.md");
    assert!(
        changelog.contains("\n## 0.1.0 - Amazon Chime SDK Meetings - initial release\n"),
        "{changelog}"
    );

    // A breaking release: 0.x bumps the minor.
    let (code, stdout, stderr) = dir.codegen(&model("2022-03-16"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("version 0.1.0 -> 0.2.0"), "{stdout}");
    assert_eq!(version(&dir), "0.2.0");

    // An additive release: 0.x bumps the patch; the entry goes on top, older ones stay.
    let (code, _, stderr) = dir.codegen(&model("2022-04-13"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(version(&dir), "0.2.1");
    assert_eq!(dir.read("model.json"), fs::read_to_string(model("2022-04-13")).expect("model"));
    let changelog = dir.read("CHANGELOG.md");
    let headings: Vec<&str> = changelog.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## 0.2.1 - Amazon Chime SDK Meetings - 3 updated api methods",
            "## 0.2.0 - Amazon Chime SDK Meetings - 1 updated api method",
            "## 0.1.0 - Amazon Chime SDK Meetings - initial release",
        ]
    );
    let expected_entry = render::markdown(
        &diff_files("model/history/2022-03-16.json", "model/history/2022-04-13.json"),
        &render::Markdown {
            heading: Some("0.2.1 - Amazon Chime SDK Meetings - 3 updated api methods".into()),
            docs: false,
        },
    );
    assert!(changelog.contains(&expected_entry), "{changelog}");
    assert!(changelog.starts_with("<!-- @generated by `cargo xtask codegen`"), "{changelog}");

    // Regenerating from the same model changes nothing at all.
    let before = contents(&dir.0);
    let (code, stdout, stderr) = dir.codegen(&model("2022-04-13"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(" 0 written,") && stdout.contains(" 0 removed"), "{stdout}");
    assert_eq!(contents(&dir.0), before);

    // --check against a newer model: stale, with the pending changelog entry; nothing written.
    let (code, _, stderr) = dir.codegen(&model("2022-04-28"), &["--check"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("needs update: CHANGELOG.md"), "{stderr}");
    assert!(stderr.contains("regenerating makes it 0.2.2 (from 0.2.1)"), "{stderr}");
    assert!(
        stderr.contains("## 0.2.2 - Amazon Chime SDK Meetings - 11 updated api methods"),
        "{stderr}"
    );
    assert_eq!(contents(&dir.0), before);

    // A model file whose API did not change (IDL 1.0 → 2.0): the version stays, no entry.
    let (code, _, stderr) = dir.codegen(&model("2022-08-18"), &[]);
    assert_eq!(code, 0, "{stderr}");
    let at = version(&dir);
    let entries = dir.read("CHANGELOG.md").matches("\n## ").count();
    let (code, stdout, stderr) = dir.codegen(&model("2022-10-13"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("its API did not"), "{stdout}");
    assert_eq!(version(&dir), at);
    assert_eq!(dir.read("CHANGELOG.md").matches("\n## ").count(), entries);
}

/// `generated/` carries the whole history: its model.json is the current model, its changelog
/// has an entry per release of model/history (replayed once with `cargo xtask codegen`).
#[test]
fn generated_crate_carries_the_history() {
    let root = support::root();
    assert_eq!(
        fs::read(root.join("generated/model.json")).expect("generated/model.json"),
        fs::read(root.join("model/chime-sdk-meetings.json")).expect("model")
    );
    let changelog =
        fs::read_to_string(root.join("generated/CHANGELOG.md")).expect("generated/CHANGELOG.md");
    let top = changelog.lines().find(|l| l.starts_with("## ")).expect("an entry");
    let cargo = fs::read_to_string(root.join("generated/Cargo.toml")).expect("Cargo.toml");
    let version = smithy_codegen::history::package_version(&cargo).expect("version");
    assert!(top.starts_with(&format!("## {version} - ")), "{top} vs {version}");
    assert!(changelog.contains("initial release"), "the history starts at the first model");
}

/// Without history, the crate is exactly what `smithy_codegen::generate` makes (what the
/// snapshot and corpus tests use), plus `model.json` and the initial `CHANGELOG.md`.
#[test]
fn first_generation_is_the_plain_pipeline_plus_history_files() {
    let model =
        fs::read_to_string(support::root().join("model/chime-sdk-meetings.json")).expect("model");
    let plain = smithy_codegen::generate(&model, &Options::default()).expect("generate");
    let mut with_history = smithy_codegen::history::generate(&model, &Options::default(), None)
        .expect("history")
        .rendered;
    assert_eq!(with_history.remove("model.json").as_deref(), Some(model.as_str()));
    let changelog = with_history.remove("CHANGELOG.md").expect("CHANGELOG.md");
    assert!(
        changelog.contains("## 0.1.0 - Amazon Chime SDK Meetings - initial release"),
        "{changelog}"
    );
    assert_eq!(with_history, plain);
}

/// A stored model that cannot be read stops the generation before anything is written.
#[test]
fn unreadable_stored_model_writes_nothing() {
    let dir = Scratch::new("corrupt");
    let model = support::root().join("model/history/2022-03-16.json").display().to_string();
    let (code, _, stderr) = dir.codegen(&model, &[]);
    assert_eq!(code, 0, "{stderr}");
    fs::write(dir.0.join("model.json"), "{ not json").expect("write");
    let before = contents(&dir.0);
    let newer = support::root().join("model/history/2022-04-13.json").display().to_string();
    let (code, _, stderr) = dir.codegen(&newer, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("model.json") && stderr.contains("delete it to start a new history"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(contents(&dir.0), before);
}

/// No false positives: every model of the corpora (mixins, resources, recursion, unions,
/// intEnums, IDL 1.0, eight other services) compared with itself reports nothing.
#[test]
fn every_model_compared_with_itself_is_empty() {
    let mut count = 0;
    for dir in [
        "tests/models/other-services",
        "tests/models/synthetic",
        "tests/models/diff",
        "model/history",
    ] {
        let mut files: Vec<PathBuf> = fs::read_dir(support::root().join(dir))
            .expect(dir)
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json") && !p.ends_with("history-reference.json")
            })
            .collect();
        files.sort();
        for path in files {
            let text = fs::read_to_string(&path).expect("read");
            let diff = diff::diff_str(&text, &text, &Options::default())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(diff.is_empty(), "{}: {:#?}", path.display(), diff.changes);
            count += 1;
        }
    }
    assert!(count > 50, "{count} models");
}
