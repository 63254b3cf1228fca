//! AWS's official restJson1 protocol compliance suite, as the Rust tests the generator emits
//! for it (see `tests/protocol/README.md`), run through `cargo xtask protocol-tests`' own code
//! (`xtask::protocol_tests`): every case must pass, except those listed in
//! `tests/protocol/known-failures.txt`, which must still fail.
//!
//! Run alone: `cargo test -p integration-tests --test protocol_compliance -- --nocapture`.

mod support;

use serde_json::Value;
use xtask::protocol_tests::{self, Config};

#[test]
fn rest_json_protocol_compliance() {
    let mut config = Config::defaults(&support::root());
    // The generated code and its tests are clippy-clean too, like every generated crate.
    config.clippy = true;
    let mut log = Vec::new();
    let report = protocol_tests::run(&config, &mut log).unwrap_or_else(|e| panic!("{e}"));
    let text = protocol_tests::render(&report);
    eprintln!("{}{text}", String::from_utf8_lossy(&log));
    assert!(report.is_ok(), "the protocol tests failed:\n{text}");
    // Every client case of the suite ran (the numbers the README gives).
    let total = report.total();
    assert!(total.passed + total.skipped >= 240, "{text}");
}

/// Changes `case` (found by id in the trait `trait_id` of shape `shape`) with `doctor`.
fn doctor(model: &mut Value, shape: &str, trait_id: &str, id: &str, doctor: impl FnOnce(&mut Value)) {
    let cases = model["shapes"][shape]["traits"][trait_id].as_array_mut().unwrap_or_else(|| panic!("{shape} has no {trait_id}"));
    let case = cases.iter_mut().find(|c| c["id"] == id).unwrap_or_else(|| panic!("{shape} has no case {id}"));
    doctor(case);
}

/// The generated tests are not vacuous: in a copy of the suite where some cases expect
/// something else than the right answer, exactly those cases fail.
#[test]
fn doctored_cases_fail() {
    let root = support::root();
    let mut config = Config::defaults(&root);
    let text = std::fs::read_to_string(&config.model).expect("the suite");
    let mut model: Value = serde_json::from_str(&text).expect("JSON");
    let ns = "aws.protocoltests.restjson#";
    let req = "smithy.test#httpRequestTests";
    let res = "smithy.test#httpResponseTests";
    let doctored: Vec<(&str, &str)> = vec![
        ("client-requests", "RestJsonAllQueryStringTypes"),
        ("client-requests", "RestJsonQueryStringEscaping"),
        ("client-requests", "RestJsonInputAndOutputWithStringHeaders"),
        ("client-requests", "RestJsonHttpRequestWithGreedyLabelInPath"),
        ("client-requests", "DocumentTypeInputWithObject"),
        ("client-requests", "RestJsonSupportsNaNFloatInputs"),
        ("client-requests", "RestJsonHttpPayloadTraitsWithBlob"),
        ("client-requests", "RestJsonEndpointTraitWithHostLabel"),
        ("client-requests", "RestJsonHttpChecksumRequired"),
        ("client-responses", "RestJsonSimpleScalarProperties"),
        ("client-responses", "RestJsonSupportsNaNFloatInputs"),
        ("client-responses", "RestJsonJsonTimestamps"),
        ("client-responses", "RestJsonDateTimeWithFractionalSeconds"),
        ("client-responses", "RestJsonJsonBlobs"),
        ("client-responses", "RestJsonInvalidGreetingError"),
        ("client-responses", "RestJsonFooErrorUsingCode"),
    ];
    doctor(&mut model, &format!("{ns}AllQueryStringTypes"), req, "RestJsonAllQueryStringTypes", |c| {
        c["queryParams"][0] = "String=Hello%20where".into();
    });
    doctor(&mut model, &format!("{ns}AllQueryStringTypes"), req, "RestJsonQueryStringEscaping", |c| {
        c["params"]["queryString"] = " %:/?#[]@!$&'()*+,;=".into();
    });
    doctor(&mut model, &format!("{ns}InputAndOutputWithHeaders"), req, "RestJsonInputAndOutputWithStringHeaders", |c| {
        c["headers"]["X-String"] = "Hellö".into();
    });
    doctor(&mut model, &format!("{ns}HttpRequestWithGreedyLabelInPath"), req, "RestJsonHttpRequestWithGreedyLabelInPath", |c| {
        c["method"] = "POST".into();
    });
    doctor(&mut model, &format!("{ns}DocumentType"), req, "DocumentTypeInputWithObject", |c| {
        c["body"] = "{\"stringValue\": \"string\", \"documentValue\": {\"foo\": \"baz\"}}".into();
    });
    doctor(&mut model, &format!("{ns}SimpleScalarProperties"), req, "RestJsonSupportsNaNFloatInputs", |c| {
        c["params"]["floatValue"] = "Infinity".into();
    });
    doctor(&mut model, &format!("{ns}HttpPayloadTraits"), req, "RestJsonHttpPayloadTraitsWithBlob", |c| {
        c["body"] = "blobby blob blub".into();
    });
    doctor(&mut model, &format!("{ns}EndpointWithHostLabelOperation"), req, "RestJsonEndpointTraitWithHostLabel", |c| {
        c["resolvedHost"] = "foo.baz.example.com".into();
    });
    doctor(&mut model, &format!("{ns}HttpChecksumRequired"), req, "RestJsonHttpChecksumRequired", |c| {
        c["headers"]["Content-MD5"] = "iB0/3YSo7maijL0IGOgA9w==".into();
    });
    doctor(&mut model, &format!("{ns}SimpleScalarProperties"), res, "RestJsonSimpleScalarProperties", |c| {
        c["params"]["stringValue"] = "strung".into();
    });
    doctor(&mut model, &format!("{ns}SimpleScalarProperties"), res, "RestJsonSupportsNaNFloatInputs", |c| {
        c["params"]["floatValue"] = "Infinity".into();
    });
    doctor(&mut model, &format!("{ns}JsonTimestamps"), res, "RestJsonJsonTimestamps", |c| {
        c["params"]["normal"] = 1398796239.into();
    });
    doctor(&mut model, &format!("{ns}FractionalSeconds"), res, "RestJsonDateTimeWithFractionalSeconds", |c| {
        c["params"]["datetime"] = serde_json::json!(946845296.124);
    });
    doctor(&mut model, &format!("{ns}JsonBlobs"), res, "RestJsonJsonBlobs", |c| {
        c["params"]["data"] = "valve".into();
    });
    doctor(&mut model, &format!("{ns}InvalidGreeting"), res, "RestJsonInvalidGreetingError", |c| {
        c["params"]["Message"] = "Ho".into();
    });
    doctor(&mut model, &format!("{ns}FooError"), res, "RestJsonFooErrorUsingCode", |c| {
        c["body"] = "{\"code\": \"InvalidGreeting\"}".into();
    });

    let dir = support::shared_target_dir().join("protocol-doctored");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join("doctored-suite.json");
    std::fs::write(&path, serde_json::to_string(&model).expect("JSON")).expect("write the doctored suite");
    config.model = path;
    config.dir = dir.join("crate");
    config.known_failures = dir.join("no-known-failures.txt");
    // Its own target directory: cargo names the artifacts of a root package independently of
    // where it lives, so the doctored crate would overwrite the real one's tests.
    config.target_dir = dir.join("target");
    let mut log = Vec::new();
    let report = protocol_tests::run(&config, &mut log).unwrap_or_else(|e| panic!("{e}"));
    let mut failed: Vec<(String, String)> =
        report.failures.iter().map(|(category, id, _)| (category.to_string(), id.clone())).collect();
    failed.sort();
    let mut expected: Vec<(String, String)> = doctored.iter().map(|(c, i)| (c.to_string(), i.to_string())).collect();
    expected.sort();
    assert_eq!(failed, expected, "exactly the doctored cases must fail:\n{}", protocol_tests::render(&report));
}
