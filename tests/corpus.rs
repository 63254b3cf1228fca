//! The model corpus: every historical Chime model, the ten other AWS restJson1 services, the
//! four with event streams (`tests/models/event-streams/`) and the synthetic models generate
//! without error and compile without warnings (clippy, rustdoc).
//! The synthetic models' behaviour tests (`tests/models/synthetic/<name>.rs`) run against the
//! crates generated from them, the endpoint tests of every crate with a rule set run, and so do
//! the botocore wire fixtures of eight of the services (`tests/wire/fixtures/<service>`, through
//! the shared harness `tests/wire/harness.rs`, copied into each service crate with a small
//! `tests/botocore.rs`; see `tests/wire/README.md`).
//!
//! All crates go into one scratch workspace built by one cargo command with a shared target
//! directory, so CI pays for the common dependencies once.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use smithy_codegen::write::Rendered;

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem().expect("file name").to_string_lossy().into_owned()
}

fn generate(path: &Path) -> Rendered {
    smithy_codegen::generate_file(path, &Default::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Renames the package (history versions all share the name `chime-sdk-meetings`).
fn rename_package(rendered: &mut Rendered, name: &str) {
    let toml = rendered.get_mut("Cargo.toml").expect("Cargo.toml");
    let start = toml.find("\nname = \"").expect("package name") + 1;
    let end = start + toml[start..].find('\n').expect("line end");
    let old = toml[start..end].trim_start_matches("name = ").trim_matches('"').replace('-', "_");
    toml.replace_range(start..end, &format!("name = \"{name}\""));
    // The generated tests (`tests/endpoint_tests.rs`) name the library.
    let new = name.replace('-', "_");
    for (_, text) in rendered.iter_mut().filter(|(p, _)| p.starts_with("tests/")) {
        *text = text.replace(&format!("{old}::"), &format!("{new}::"));
    }
}

/// Endpoint test cases (`smithy.rules#endpointTests`) of historical models that the current
/// partition data contradicts: when those models were published the `aws-iso` and `aws-iso-b`
/// partitions did not support dual-stack, and the cases expect the rules' "does not support
/// DualStack" errors; `partitions.json` now says they do, so the rules give an endpoint.
/// botocore, given the same rule set and the same `partitions.json`, gives the same endpoints
/// as the generated code. These cases are run apart and must fail.
const STALE_ENDPOINT_MODELS: &[&str] =
    &["2023-04-04", "2023-04-27", "2023-08-17", "2023-10-26", "2023-12-19", "2025-05-20"];
const STALE_ENDPOINT_TESTS: &[&str] = &[
    "for_region_us_iso_east_1_with_fips_enabled_and_dual_stack_enabled",
    "for_region_us_iso_east_1_with_fips_disabled_and_dual_stack_enabled",
    "for_region_us_isob_east_1_with_fips_enabled_and_dual_stack_enabled",
    "for_region_us_isob_east_1_with_fips_disabled_and_dual_stack_enabled",
];

/// Services of `tests/models/other-services` without botocore wire fixtures (the README there
/// says why): their crates are compiled and their endpoint tests run, with no wire comparison.
const WITHOUT_WIRE_FIXTURES: &[&str] = &["cloudfront-keyvaluestore", "connect"];

/// The `tests/botocore.rs` of a service crate: the service's botocore fixtures against the crate,
/// through the harness copied next to it (`tests/botocore/harness.rs`), which reaches the crate
/// as `svc`. `$BOTOCORE_FIXTURES` and `$BOTOCORE_MODELS` say where the fixtures and the models
/// are.
const BOTOCORE_TEST: &str = r#"//! Written by `tests/corpus.rs`: the botocore wire fixtures of `@SERVICE@` against this crate,
//! through the shared harness (`tests/wire/harness.rs` in the generator's repository).

use @LIB@ as svc;

#[path = "botocore/harness.rs"]
mod harness;

const SERVICE: &str = "@SERVICE@";

#[test]
fn requests_match_botocore() {
    harness::Service::from_env(SERVICE).requests_test(svc::dynamic::OPERATIONS.len());
}

#[test]
fn responses_match_botocore() {
    harness::Service::from_env(SERVICE).responses_test(svc::dynamic::OPERATIONS.len());
}

#[test]
fn fixtures_cover_every_operation_and_modeled_error() {
    harness::Service::from_env(SERVICE).coverage_test();
}
"#;

/// Adds the botocore fixture test (and its dev-dependencies: the line conversion
/// `xtask/wire-lines` by path, and the tests' shared set, which has the harness's) to a service
/// crate.
fn add_botocore_test(rendered: &mut Rendered, service: &str, harness: &str, root: &Path) {
    let lib = package_name(rendered).replace('-', "_");
    let test = BOTOCORE_TEST.replace("@SERVICE@", service).replace("@LIB@", &lib);
    rendered.insert("tests/botocore.rs".into(), test);
    rendered.insert("tests/botocore/harness.rs".into(), harness.to_string());
    let wire_lines = root.join("xtask/wire-lines");
    let wire_lines = format!("wire-lines = {{ path = {:?} }}", wire_lines.display().to_string());
    add_dev_dependencies(rendered, &[wire_lines.as_str()]);
    add_dev_dependencies(rendered, support::DEV_DEPENDENCIES);
}

/// Adds dependencies to a crate's `[dev-dependencies]`
/// ([`xtask::protocol_tests::add_dev_dependencies`]).
fn add_dev_dependencies(rendered: &mut Rendered, dependencies: &[&str]) {
    let manifest = rendered.get_mut("Cargo.toml").expect("Cargo.toml");
    xtask::protocol_tests::add_dev_dependencies(manifest, dependencies);
}

fn package_name(rendered: &Rendered) -> String {
    let toml = &rendered["Cargo.toml"];
    let line = toml.lines().find(|l| l.starts_with("name = ")).expect("package name");
    line.trim_start_matches("name = ").trim_matches('"').to_string()
}

/// Names declared by `pub struct`/`pub enum` anywhere in the crate.
fn declared_types(rendered: &Rendered) -> Vec<String> {
    rendered
        .values()
        .flat_map(|text| text.lines())
        .filter_map(|l| {
            l.trim().strip_prefix("pub struct ").or_else(|| l.trim().strip_prefix("pub enum "))
        })
        .map(|rest| {
            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn corpus_generates_and_compiles_without_warnings() {
    let root = support::root();
    let workspace = support::shared_target_dir().join("corpus");
    let mut members: BTreeMap<String, Rendered> = BTreeMap::new();

    // Every historical Chime model (identical outputs, such as a formatting-only model change,
    // are compiled once).
    let mut seen: BTreeMap<Rendered, String> = BTreeMap::new();
    // Crates with generated endpoint tests (`tests/endpoint_tests.rs`). The tests need nothing
    // but the `endpoint` module (always compiled), so they run on the default features, except
    // in the crates with botocore tests, which build them with all features anyway (each crate
    // is built once).
    let mut default_endpoints = Vec::new();
    let mut with_endpoints = Vec::new();
    let mut stale_endpoints = Vec::new();
    let history = json_files(&root.join("model/history"));
    assert!(history.len() >= 10, "model/history holds the historical models");
    for path in &history {
        let mut rendered = generate(path);
        if let Some(first) = seen.get(&rendered) {
            eprintln!("{} generates the same crate as {first}", stem(path));
            continue;
        }
        seen.insert(rendered.clone(), stem(path));
        rename_package(&mut rendered, &format!("chime-sdk-meetings-history-{}", stem(path)));
        if rendered.contains_key("tests/endpoint_tests.rs") {
            let package = package_name(&rendered);
            if STALE_ENDPOINT_MODELS.contains(&stem(path).as_str()) {
                stale_endpoints.push(package);
            } else {
                default_endpoints.push(package);
            }
        }
        members.insert(format!("history-{}", stem(path)), rendered);
    }

    // The generality corpus: ten other AWS restJson1 services, eight with their botocore
    // fixture test.
    let others = json_files(&root.join("tests/models/other-services"));
    assert_eq!(others.len(), 10);
    let harness =
        std::fs::read_to_string(root.join("tests/wire/harness.rs")).expect("tests/wire/harness.rs");
    let mut services = Vec::new();
    for path in &others {
        let service = stem(path);
        let fixtures = root.join("tests/wire/fixtures").join(&service).join("requests.jsonl");
        let mut rendered = generate(path);
        if WITHOUT_WIRE_FIXTURES.contains(&service.as_str()) {
            assert!(
                !fixtures.exists(),
                "{service} has fixtures: take it off WITHOUT_WIRE_FIXTURES"
            );
        } else {
            assert!(
                fixtures.exists(),
                "{service}: no botocore fixtures in tests/wire/fixtures/{service}"
            );
            add_botocore_test(&mut rendered, &service, &harness, &root);
            services.push(package_name(&rendered));
        }
        if rendered.contains_key("tests/endpoint_tests.rs") {
            if WITHOUT_WIRE_FIXTURES.contains(&service.as_str()) {
                default_endpoints.push(package_name(&rendered));
            } else {
                with_endpoints.push(package_name(&rendered));
            }
        }
        members.insert(format!("service-{service}"), rendered);
    }

    // The four AWS restJson1 services with event streams (`tests/models/event-streams/`):
    // generated and compiled; their event-stream code is exercised by the synthetic
    // `event_streams` model's behaviour test over the compliance suite's frames.
    let event_streams = json_files(&root.join("tests/models/event-streams"));
    assert_eq!(event_streams.len(), 4);
    for path in &event_streams {
        let rendered = generate(path);
        assert!(
            rendered.contains_key("src/event_stream/stream.rs"),
            "{}: the crate carries the event-stream runtime",
            stem(path)
        );
        if rendered.contains_key("tests/endpoint_tests.rs") {
            default_endpoints.push(package_name(&rendered));
        }
        members.insert(format!("event-streams-{}", stem(path)), rendered);
    }

    // Synthetic models, with their behaviour tests.
    let synthetic_dir = root.join("tests/models/synthetic");
    let mut with_tests = Vec::new();
    for path in json_files(&synthetic_dir) {
        let mut rendered = generate(&path);
        let test_file = path.with_extension("rs");
        if test_file.exists() {
            let test = std::fs::read_to_string(&test_file).expect("behaviour test");
            let declared = declared_types(&rendered);
            for absent in test.lines().filter_map(|l| l.strip_prefix("// absent: ")) {
                assert!(
                    !declared.iter().any(|d| d == absent.trim()),
                    "{}: `{absent}` must not be generated",
                    stem(&path)
                );
            }
            rendered.insert("tests/behaviour.rs".into(), test);
            // The tests' shared set has what the behaviour tests use: bytes and futures-core
            // for the event-stream bodies whose chunks arrive when the test says; hyper,
            // hyper-util and tokio to serve `chat`'s router over loopback (HTTP/1.1 and HTTP/2)
            // and `streaming_blobs`' files.
            add_dev_dependencies(&mut rendered, support::DEV_DEPENDENCIES);
            with_tests.push(package_name(&rendered));
        }
        members.insert(format!("synthetic-{}", stem(&path)), rendered);
    }

    // A generated crate's targets are its library and its integration tests (`tests/*.rs`),
    // and the library has no test-only code: what clippy is asked to check below.
    for (dir, rendered) in &members {
        for (path, text) in rendered {
            assert!(
                ["src/bin/", "examples/", "benches/", "build.rs"]
                    .iter()
                    .all(|p| !path.starts_with(p)),
                "{dir}: {path}: a target the corpus does not check"
            );
            assert!(
                !path.starts_with("src/") || !text.contains("cfg(test)"),
                "{dir}: {path}: test-only code in the library (check its test harness too)"
            );
        }
    }

    // Each crate is written as the generator writes its output: only the files that changed
    // (the others keep their mtimes), so cargo compiles again only the crates that changed since
    // the last run (after a model update, that model's crate). Crates no longer in the corpus go.
    std::fs::create_dir_all(&workspace).expect("mkdir corpus");
    for entry in std::fs::read_dir(&workspace).expect("read the corpus directory").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !members.contains_key(&name) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    for (dir, rendered) in &members {
        let dir = workspace.join(dir);
        if smithy_codegen::write::write(&dir, rendered).is_err() {
            // Written before the corpus kept a manifest (files of the test's own that the
            // writer cannot claim): written afresh.
            let _ = std::fs::remove_dir_all(&dir);
            support::write_crate(&dir, rendered);
        }
    }
    let list = members.keys().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ");
    let mut manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{list}]\n");
    // The crates are compiled for their tests without debuginfo, which takes about a third less
    // time (their dependencies keep the default profile, shared with the other tests' crates).
    for rendered in members.values() {
        let package = package_name(rendered);
        manifest.push_str(&format!("\n[profile.dev.package.{package:?}]\ndebug = false\n"));
    }
    let manifest_path = workspace.join("Cargo.toml");
    if std::fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
        std::fs::write(&manifest_path, manifest).expect("workspace manifest");
    }
    eprintln!("corpus: {} crates in {}", members.len(), workspace.display());

    // Each crate is compiled once per configuration: the default build (no serde) and all
    // features. The crates whose endpoint tests run on the default features are built that way
    // below (with warnings denied), so only the others are checked here.
    let unbuilt: Vec<String> = members
        .values()
        .map(package_name)
        .filter(|p| !default_endpoints.contains(p) && !stale_endpoints.contains(p))
        .collect();
    if !unbuilt.is_empty() {
        let mut args = vec!["check", "--lib", "--keep-going", "--quiet"];
        for package in &unbuilt {
            args.extend(["-p", package.as_str()]);
        }
        support::run_ok(
            support::cargo(&workspace, &args),
            "corpus: cargo check (-D warnings, default features, crates not built so below)",
        );
    }
    // Every target of every crate under clippy, with all features: the library and its
    // integration tests. A generated library has no unit tests (no `cfg(test)` code, checked
    // above), so its test harness (what `--all-targets` adds) is the library again and is not
    // checked twice. The crates built with all features for their tests (the synthetic crates
    // and the services with botocore fixtures) are linted as they are built, below
    // (`support::linted`); the others are checked here.
    let unlinted: Vec<String> = members
        .values()
        .map(package_name)
        .filter(|p| !with_tests.contains(p) && !services.contains(p))
        .collect();
    let mut args =
        vec!["clippy", "--lib", "--test", "*", "--all-features", "--keep-going", "--quiet"];
    for package in &unlinted {
        args.extend(["-p", package.as_str()]);
    }
    support::run_ok(
        support::cargo(&workspace, &args),
        "corpus: cargo clippy (-D warnings, all features, crates not built so below)",
    );
    let mut by_size: Vec<(usize, String)> =
        members.values().map(|r| (r.values().map(String::len).sum(), package_name(r))).collect();
    by_size.sort_by(|a, b| b.cmp(a));
    let packages: Vec<String> = by_size.into_iter().map(|(_, package)| package).collect();
    support::doc_in_batches(&workspace, &packages, "corpus: cargo doc (-D warnings, all features)");
    // The endpoint rule sets' own test cases, compiled with their crates.
    assert!(default_endpoints.len() > 4, "endpoint tests: {default_endpoints:?}");
    assert!(with_endpoints.len() > 4, "endpoint tests: {with_endpoints:?}");
    let mut args = vec!["test", "--quiet"];
    for package in &default_endpoints {
        args.extend(["-p", package.as_str()]);
    }
    args.extend(["--test", "endpoint_tests"]);
    support::run_ok(
        support::cargo(&workspace, &args),
        "corpus: endpoint tests of the history and event-stream crates and of the services \
         without botocore fixtures (default features)",
    );
    if !stale_endpoints.is_empty() {
        let mut args = vec!["test", "--quiet", "--no-fail-fast"];
        for package in &stale_endpoints {
            args.extend(["-p", package.as_str()]);
        }
        args.extend(["--test", "endpoint_tests", "--", "--exact"]);
        let mut skipping = args.clone();
        for name in STALE_ENDPOINT_TESTS {
            skipping.extend(["--skip", name]);
        }
        support::run_ok(
            support::cargo(&workspace, &skipping),
            "corpus: endpoint tests of the stale history crates (stale cases skipped)",
        );
        // The stale cases still fail, all of them in each crate (else the list is out of date).
        args.extend(STALE_ENDPOINT_TESTS);
        let output =
            support::cargo(&workspace, &args).output().expect("cargo test (stale endpoint cases)");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let expected = format!("0 passed; {} failed", STALE_ENDPOINT_TESTS.len());
        let results: Vec<&str> = stdout.lines().filter(|l| l.starts_with("test result:")).collect();
        assert!(
            results.len() == stale_endpoints.len() && results.iter().all(|l| l.contains(&expected)),
            "the stale endpoint cases of {stale_endpoints:?} should all fail:\n{stdout}"
        );
    }

    // The crates built with all features for their tests, linted as they are built, in one
    // cargo command (their dependencies resolved once, so `tokio`, `hyper` and the others are
    // compiled once for all of them): the synthetic crates' integration tests (the behaviour
    // test, and the generated endpoint and protocol tests of some: the libraries have no unit
    // tests and no doc tests), and the service crates' endpoint tests and botocore fixtures
    // (whose summaries go to stderr).
    assert!(with_endpoints.iter().all(|p| services.contains(p)), "{with_endpoints:?}");
    assert!(!with_tests.is_empty() && !services.is_empty());
    let mut args = vec!["test", "--quiet", "--all-features"];
    for package in with_tests.iter().chain(&services) {
        args.push("-p");
        args.push(package);
    }
    args.extend(["--test", "*", "--", "--nocapture"]);
    let mut cmd = support::linted(support::cargo(&workspace, &args));
    cmd.env("BOTOCORE_FIXTURES", root.join("tests/wire/fixtures"))
        .env("BOTOCORE_MODELS", root.join("tests/models/other-services"));
    let start = std::time::Instant::now();
    let output = cmd.output().expect("cargo test (synthetic crates, botocore fixtures)");
    support::log_phase(
        "corpus: clippy and tests of the synthetic and service crates, endpoint tests and \
         botocore fixtures (all features)",
        start.elapsed(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr.lines().filter(|l| l.starts_with("== ") || l.starts_with("   ")) {
        eprintln!("{line}");
    }
    assert!(
        output.status.success(),
        "the tests of the synthetic and service crates failed ({}):\n{}\n{stderr}",
        output.status,
        String::from_utf8_lossy(&output.stdout)
    );
}

/// `--out DIR` writes a complete standalone crate: its own `Cargo.toml`, no workspace
/// inheritance, buildable with a plain `cargo build` in DIR.
#[test]
fn out_dir_is_a_standalone_crate() {
    let dir = std::env::temp_dir().join(format!("codegen-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let model = support::root().join("tests/models/other-services/apigatewaymanagementapi.json");
    let (code, stdout, stderr) = support::xtask(&[
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("written"), "{stdout}");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    assert!(!manifest.contains("workspace"), "{manifest}");
    support::run_ok(
        support::cargo(&dir, &["build", "--quiet"]),
        "cargo build in the --out directory",
    );
    // Regenerating into a directory that now also holds Cargo.lock keeps it and changes nothing.
    let (code, stdout, _) = support::xtask(&[
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains(" 0 written") || stdout.contains(": 0 written"), "{stdout}");
    assert!(dir.join("Cargo.lock").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
