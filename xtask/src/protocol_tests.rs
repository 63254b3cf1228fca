//! `cargo xtask protocol-tests`: generates a service with its protocol tests (one Rust test
//! per `smithy.test` case of the model, see `smithy_codegen::emit::protocol_tests`) into a
//! scratch crate, runs them, and reports per category.
//!
//! The workspace test `tests/protocol_compliance.rs` calls [`run`] too, so CI runs the suite
//! through exactly this path.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use smithy_codegen::emit::protocol_tests::{self, Case, Category, KnownFailure};
use smithy_codegen::resolve::Options;

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The Smithy JSON AST.
    pub model: PathBuf,
    /// The service shape id (needed when the model holds several services).
    pub service: Option<String>,
    /// The known-failures file (`<category> <case id> <reason>` per line); absent means none.
    pub known_failures: PathBuf,
    /// Where the scratch crate is written.
    pub dir: PathBuf,
    /// The cargo target directory shared by the scratch builds.
    pub target_dir: PathBuf,
    /// Also lint the crate and its tests with clippy (`-D warnings`), as they are built.
    pub clippy: bool,
    /// Dependencies added to the crate's `[dev-dependencies]` (TOML lines, `name = ...`; see
    /// [`add_dev_dependencies`]). The workspace's tests give every generated crate they build
    /// the same set, so that all of them resolve their dependencies to the same features and
    /// share one compilation of each in the shared target directory.
    pub dev_dependencies: Vec<String>,
    /// The crate is a member of the cargo workspace at `dir`, whose manifest the caller writes
    /// (the workspace's tests build the compliance crates in one cargo command); else it is a
    /// workspace of its own.
    pub workspace_member: bool,
}

impl Config {
    /// The defaults of `cargo xtask protocol-tests` for the workspace at `root`: the restJson1
    /// service of AWS's suite in `tests/models/protocol-tests/`, the known failures in
    /// `codegen/protocol_tests/known-failures.txt`, the crate under `target/protocol-tests/`.
    pub fn defaults(root: &Path) -> Config {
        let target_dir = std::env::var_os("CODEGEN_TEST_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target").join("codegen-tests"));
        Config {
            model: root.join(DEFAULT_MODEL),
            service: Some(DEFAULT_SERVICE.into()),
            known_failures: root.join(KNOWN_FAILURES),
            dir: root.join("target").join("protocol-tests"),
            target_dir,
            clippy: false,
            dev_dependencies: Vec::new(),
            workspace_member: false,
        }
    }
}

pub const DEFAULT_MODEL: &str = "tests/models/protocol-tests/smithy-aws-protocol-tests.json";
pub const DEFAULT_SERVICE: &str = "aws.protocoltests.restjson#RestJson";
pub const KNOWN_FAILURES: &str = "codegen/protocol_tests/known-failures.txt";

/// The counts of one category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Report {
    pub tallies: BTreeMap<Category, Tally>,
    /// `(category, case id, test output)` of each unexpected failure.
    pub failures: Vec<(Category, String, String)>,
    /// Known-failure entries that pass, or name no case of the model.
    pub stale: Vec<String>,
}

impl Report {
    pub fn total(&self) -> Tally {
        let mut t = Tally::default();
        for v in self.tallies.values() {
            t.passed += v.passed;
            t.failed += v.failed;
            t.skipped += v.skipped;
        }
        t
    }

    /// One line per category, then `N passed, M failed, K skipped`.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for category in Category::ALL {
            let line = match self.tallies.get(&category) {
                Some(t) => format!(
                    "{}: {} passed, {} failed, {} skipped",
                    category.title(),
                    t.passed,
                    t.failed,
                    t.skipped
                ),
                None => format!("{}: no cases", category.title()),
            };
            lines.push(line);
        }
        let t = self.total();
        lines.push(format!("{} passed, {} failed, {} skipped", t.passed, t.failed, t.skipped));
        lines
    }

    /// No unexpected failure, and the known-failures list is exact.
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty() && self.stale.is_empty()
    }
}

/// A `cargo` command on generated crates in `dir` (the compliance crates here, every nested build
/// of the tests through `tests/support`): the cargo running us, `target_dir`, warnings denied,
/// no incremental compilation, no outer jobserver or compiler wrapper.
///
/// Incremental compilation made a generated crate's first build about a third slower (Connect's,
/// 690k lines: `cargo check` 32.7 s against 24.2 s; the corpus test from an empty target
/// directory 617 s against 443 s) and filled gigabytes with its caches (9.8 GB against 4.7 GB
/// for the corpus), and it saves little when such a crate is compiled again: a change to the
/// generator or to the runtime changes every crate throughout (the corpus test took 572 s after
/// a runtime change, with its caches).
pub fn cargo(dir: &Path, target_dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_MAKEFLAGS")
        .env_remove("RUSTC_WRAPPER");
    cmd
}

/// Adds dependencies (TOML lines, `name = ...`) to a crate manifest's `[dev-dependencies]`: to
/// the section the generator wrote when it has one (a crate with protocol tests has
/// `serde_json`), else to a new one. A dependency the section already names is left as it is.
pub fn add_dev_dependencies(manifest: &mut String, dependencies: &[impl AsRef<str>]) {
    if dependencies.is_empty() {
        return;
    }
    const SECTION: &str = "\n[dev-dependencies]\n";
    let start = match manifest.find(SECTION) {
        Some(at) => at + SECTION.len(),
        None => {
            manifest.push_str(SECTION);
            manifest.len()
        }
    };
    let end = manifest[start..].find("\n[").map_or(manifest.len(), |at| start + at + 1);
    let section = manifest[start..end].to_string();
    let mut added = String::new();
    for dependency in dependencies {
        let dependency = dependency.as_ref();
        let name = dependency.split(" = ").next().unwrap_or(dependency);
        let declared = |line: &str| line.starts_with(&format!("{name} ="));
        if !section.lines().chain(added.lines()).any(declared) {
            added.push_str(dependency);
            added.push('\n');
        }
    }
    manifest.insert_str(start, &added);
}

/// The `clippy-driver` of the toolchain running us (beside its `cargo`, which cargo names in
/// `$CARGO`), else the one on the `PATH`: as `RUSTC_WORKSPACE_WRAPPER`, it compiles a
/// workspace's crates with clippy's lints, as `cargo clippy` does for a check.
pub fn clippy_driver() -> PathBuf {
    std::env::var_os("CARGO")
        .map(|cargo| PathBuf::from(cargo).with_file_name("clippy-driver"))
        .filter(|driver| driver.exists())
        .unwrap_or_else(|| PathBuf::from("clippy-driver"))
}

fn run_ok(mut cmd: Command, what: &str) -> Result<(), String> {
    let output = cmd.output().map_err(|e| format!("{what}: cannot start cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The result of each test of one libtest run, and each failing test's output.
fn parse_libtest(stdout: &str) -> (BTreeMap<String, bool>, BTreeMap<String, String>) {
    let mut results = BTreeMap::new();
    let mut outputs: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test ") {
            if let Some((name, outcome)) = rest.rsplit_once(" ... ") {
                match outcome {
                    "ok" => {
                        results.insert(name.to_owned(), true);
                    }
                    "FAILED" => {
                        results.insert(name.to_owned(), false);
                    }
                    _ => {}
                }
                continue;
            }
        }
        if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name.to_owned());
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            current = None;
            continue;
        }
        if let Some(name) = &current {
            let text = outputs.entry(name.clone()).or_default();
            text.push_str(line);
            text.push('\n');
        }
    }
    (results, outputs)
}

/// The ids of every `smithy.test` case in the model, whatever its service (malformed cases
/// also as `<id>_<row>` for their parameter rows, as they are named in reports).
fn model_case_ids(model_json: &str) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    let Ok(ast) = serde_json::from_str::<serde_json::Value>(model_json) else { return ids };
    for shape in ast
        .get("shapes")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, s)| s)
    {
        for (trait_id, cases) in
            shape.get("traits").and_then(serde_json::Value::as_object).into_iter().flatten()
        {
            if !trait_id.starts_with("smithy.test#") {
                continue;
            }
            for case in cases.as_array().into_iter().flatten() {
                let Some(id) = case.get("id").and_then(serde_json::Value::as_str) else { continue };
                ids.insert(id.to_owned());
                let rows = case
                    .get("testParameters")
                    .and_then(serde_json::Value::as_object)
                    .map(|p| {
                        p.values()
                            .filter_map(serde_json::Value::as_array)
                            .map(Vec::len)
                            .max()
                            .unwrap_or(0)
                    })
                    .unwrap_or(0);
                ids.extend((0..rows).map(|row| format!("{id}_{row}")));
            }
        }
    }
    ids
}

/// A crate written by [`write`]: where, and what [`run`] needs to run its cases.
pub struct Written {
    /// The crate's directory (`config.dir` joined with its package name).
    pub dir: PathBuf,
    /// Its package name.
    pub package: String,
    service: String,
    cases: Vec<Case>,
    known: Vec<KnownFailure>,
    model_json: String,
}

/// Generates the crate with its tests into `config.dir` (as the generator writes its output:
/// only the files whose contents changed).
pub fn write(config: &Config) -> Result<Written, String> {
    let known: Vec<KnownFailure> = match std::fs::read_to_string(&config.known_failures) {
        Ok(text) => protocol_tests::parse_known_failures(&text)
            .map_err(|e| format!("{}: {e}", config.known_failures.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("{}: {e}", config.known_failures.display())),
    };
    let text = std::fs::read_to_string(&config.model)
        .map_err(|e| format!("{}: {e}", config.model.display()))?;
    let options = Options { service: config.service.clone(), known_failures: known.clone() };
    let model = smithy_codegen::load::load_str(&text)
        .map_err(|e| format!("{}: {e}", config.model.display()))?;
    let service = smithy_codegen::resolve::resolve(&model, &options)
        .map_err(|e| format!("{}: {e}", config.model.display()))?;
    let (_, cases) = protocol_tests::files(&service, &known);
    let mut rendered = smithy_codegen::generate(&text, &options)
        .map_err(|e| format!("{}: {e}", config.model.display()))?;
    if let Some(manifest) = rendered.get_mut("Cargo.toml") {
        add_dev_dependencies(manifest, &config.dev_dependencies);
        // Else a crate of its own, not a member of any workspace above the scratch directory.
        if !config.workspace_member {
            manifest.push_str("\n[workspace]\n");
        }
    }
    let dir = config.dir.join(&service.crate_name);
    smithy_codegen::write::write(&dir, &rendered).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(Written {
        dir,
        package: service.crate_name.clone(),
        service: service.id.to_string(),
        cases,
        known,
        model_json: text,
    })
}

/// Generates the crate with its tests into `config.dir` ([`write`]), runs them, and classifies
/// each case. Progress goes to `log`.
pub fn run(config: &Config, log: &mut dyn Write) -> Result<Report, String> {
    let Written { dir, service, cases, known, model_json: text, .. } = write(config)?;
    let _ = writeln!(
        log,
        "{}: {} cases of `{}` in {}",
        config.model.display(),
        cases.len(),
        service,
        dir.display()
    );

    let mut report = Report::default();
    // One list serves every service of a model: an entry must name a case of some service.
    let all_ids = model_case_ids(&text);
    for k in &known {
        if !all_ids.contains(&k.id)
            && !cases.iter().any(|c| c.category == k.category && c.id == k.id)
        {
            report.stale.push(format!(
                "{} {}: listed as a known failure, but the model has no such case",
                k.category, k.id
            ));
        }
    }
    if cases.is_empty() {
        return Ok(report);
    }
    // With `clippy`, clippy-driver compiles the crate (`RUSTC_WORKSPACE_WRAPPER`, as `cargo
    // clippy` runs it for a check): its lints run while the crate and its tests are built, not
    // in a check of their own. Every cargo command on the crate sets it, or cargo would build
    // the crate again without it. The library has no unit tests: only the integration tests
    // (`tests/*.rs`) are built and linted, not the library a second time as a test harness.
    let cargo = |args: &[&str]| {
        let mut cmd = cargo(&dir, &config.target_dir, args);
        if config.clippy {
            cmd.env("RUSTC_WORKSPACE_WRAPPER", clippy_driver());
        }
        cmd
    };
    let _ = writeln!(
        log,
        "building the tests{}",
        if config.clippy { " (clippy -D warnings on the crate and its tests)" } else { "" }
    );
    run_ok(
        cargo(&["test", "--quiet", "--all-features", "--test", "*", "--no-run"]),
        "building the protocol tests",
    )?;

    let mut by_category: BTreeMap<Category, Vec<&Case>> = BTreeMap::new();
    for case in &cases {
        by_category.entry(case.category).or_default().push(case);
    }
    for (category, cases) in by_category {
        // Known failures are ignored tests: run them as well, to notice when one passes.
        let output = cargo(&[
            "test",
            "--all-features",
            "--test",
            category.target(),
            "--",
            "--include-ignored",
            "--test-threads",
            "2",
        ])
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("cargo test --test {}: cannot start: {e}", category.target()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let (results, outputs) = parse_libtest(&stdout);
        if results.is_empty() {
            return Err(format!(
                "cargo test --test {} ran nothing ({}):\n{stdout}{}",
                category.target(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let tally = report.tallies.entry(category).or_default();
        for case in cases {
            let listed = known.iter().find(|k| k.category == case.category && k.id == case.id);
            match (results.get(&case.test), listed) {
                (Some(true), None) => tally.passed += 1,
                (Some(true), Some(_)) => {
                    tally.passed += 1;
                    report.stale.push(format!(
                        "{category} {}: listed as a known failure, but it passes",
                        case.id
                    ));
                }
                (Some(false), Some(_)) => tally.skipped += 1,
                (Some(false), None) => {
                    tally.failed += 1;
                    let text = outputs.get(&case.test).cloned().unwrap_or_default();
                    report.failures.push((category, case.id.clone(), text));
                }
                (None, _) => {
                    tally.failed += 1;
                    report.failures.push((
                        category,
                        case.id.clone(),
                        format!("test `{}` did not run", case.test),
                    ));
                }
            }
        }
    }
    Ok(report)
}

/// The text printed for a report: each failure with its output, the stale entries, then the
/// counts.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (category, id, text) in &report.failures {
        let _ = writeln!(out, "FAILED {category} {id}\n{}", text.trim_end());
        out.push('\n');
    }
    for stale in &report.stale {
        let _ = writeln!(out, "STALE {stale}");
    }
    for line in report.lines() {
        let _ = writeln!(out, "{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_output() {
        let stdout = "\nrunning 3 tests\ntest a ... ok\ntest b ... FAILED\ntest c::d ... ok\n\nfailures:\n\n---- b stdout ----\n\nthread 'b' panicked at x.rs:1:2:\nboom\n\n\nfailures:\n    b\n\ntest result: FAILED. 2 passed; 1 failed\n";
        let (results, outputs) = parse_libtest(stdout);
        assert_eq!(results.get("a"), Some(&true));
        assert_eq!(results.get("b"), Some(&false));
        assert_eq!(results.get("c::d"), Some(&true));
        assert!(outputs["b"].contains("boom"), "{outputs:?}");
    }

    #[test]
    fn dev_dependencies_added_to_the_section_once() {
        // To the section there is, before the next table; one it names is left as it is.
        let mut manifest = "[package]\nname = \"x\"\n\n[dev-dependencies]\nserde_json = \"1\"\n\n[features]\nserver = []\n".to_string();
        add_dev_dependencies(
            &mut manifest,
            &["serde_json = \"2\"", "bytes = \"1\"", "bytes = \"9\""],
        );
        assert_eq!(
            manifest,
            "[package]\nname = \"x\"\n\n[dev-dependencies]\nbytes = \"1\"\nserde_json = \"1\"\n\n[features]\nserver = []\n"
        );
        // A new section at the end when there is none; nothing at all for no dependencies.
        let mut manifest = "[package]\nname = \"x\"\n".to_string();
        add_dev_dependencies(&mut manifest, &[] as &[&str]);
        assert_eq!(manifest, "[package]\nname = \"x\"\n");
        add_dev_dependencies(&mut manifest, &["http = \"1\""]);
        assert_eq!(manifest, "[package]\nname = \"x\"\n\n[dev-dependencies]\nhttp = \"1\"\n");
    }
}
