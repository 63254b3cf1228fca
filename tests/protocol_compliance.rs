//! AWS's official restJson1 protocol compliance suite against the crate the generator produces
//! for its service `aws.protocoltests.restjson#RestJson` (see `tests/protocol/README.md`).
//!
//! The crate is generated in memory from `tests/models/protocol-tests/smithy-aws-protocol-tests.json`,
//! written into `<shared target dir>/protocol-compliance/rest-json/` with
//! `tests/protocol/compliance.rs` as its test, and `cargo test` runs there; that test reads
//! the suite's cases from the same model file and checks each against the crate's
//! `dynamic::serialize_request` and `dynamic::deserialize_response`.
//!
//! Run alone: `cargo test -p integration-tests --test protocol_compliance -- --nocapture`
//! (the per-case report and the summary go to stderr).

mod support;

const SERVICE: &str = "aws.protocoltests.restjson#RestJson";
const MODEL: &str = "tests/models/protocol-tests/smithy-aws-protocol-tests.json";

const VALIDATION_SERVICE: &str = "aws.protocoltests.restjson.validation#RestJsonValidation";

#[test]
fn rest_json_protocol_compliance() {
    run_suite(SERVICE, "rest-json", &[]);
}

/// The `RestJsonValidation` service has server-side cases only (its malformed requests, whose
/// answers are `ValidationException`s): its crate runs the server part of the harness.
#[test]
fn rest_json_validation_server_compliance() {
    run_suite(VALIDATION_SERVICE, "rest-json-validation", &["server::"]);
}

fn run_suite(service: &str, dir_name: &str, filter: &[&str]) {
    let root = support::root();
    let model = root.join(MODEL);
    let options = smithy_codegen::resolve::Options { service: Some(service.into()) };
    let mut rendered =
        smithy_codegen::generate_file(&model, &options).unwrap_or_else(|e| panic!("{}: {e}", model.display()));

    let manifest = rendered.get_mut("Cargo.toml").expect("the generated crate has a Cargo.toml");
    // The harness is written against `rest_json_protocol`: another service's crate keeps its
    // package name (the shared target directory tells packages apart by name) and takes that
    // library name.
    if !manifest.contains("\nname = \"rest-json-protocol\"") {
        manifest.push_str("\n[lib]\nname = \"rest_json_protocol\"\n");
    }
    assert!(
        manifest.contains("\nname = \"rest-json-protocol\"") || manifest.contains("\nname = \"rest_json_protocol\""),
        "the test names the crate `rest_json_protocol`:\n{manifest}"
    );
    // A standalone crate (not a member of any workspace above it) with serde_json for the test.
    manifest.push_str("\n[dev-dependencies]\nserde_json = \"1\"\n\n[workspace]\n");
    let test =
        std::fs::read_to_string(root.join("tests/protocol/compliance.rs")).expect("tests/protocol/compliance.rs");
    rendered.insert("tests/compliance.rs".into(), test);
    let server = std::fs::read_to_string(root.join("tests/protocol/server.rs")).expect("tests/protocol/server.rs");
    rendered.insert("tests/compliance_server/mod.rs".into(), server);

    let dir = support::shared_target_dir().join("protocol-compliance").join(dir_name);
    support::write_crate(&dir, &rendered);

    // The generated code itself must be warning-free under clippy, like every generated crate.
    support::run_ok(support::cargo(&dir, &["clippy", "--quiet", "--lib", "--all-features"]), "cargo clippy (-D warnings) on the RestJson crate");
    let mut args = vec!["test", "--quiet", "--features", "serde,server", "--test", "compliance", "--", "--nocapture"];
    args.extend(filter);
    let mut cargo = support::cargo(&dir, &args);
    cargo.env("PROTOCOL_TESTS_MODEL", &model);
    cargo.env("PROTOCOL_TESTS_SERVICE", service);
    let output = cargo.output().unwrap_or_else(|e| panic!("cargo test in {}: cannot start: {e}", dir.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "the protocol compliance test of the generated crate failed ({}) in {}:\n{stdout}",
        output.status,
        dir.display()
    );
}
