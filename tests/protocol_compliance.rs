//! AWS's official restJson1 protocol compliance suite, as the Rust tests the generator emits
//! for it (see `codegen/protocol_tests/README.md`), run through `cargo xtask protocol-tests`' own code
//! (`xtask::protocol_tests`): every case must pass, except those listed in
//! `codegen/protocol_tests/known-failures.txt`, which must still fail.
//!
//! Run alone: `cargo test -p integration-tests --test protocol_compliance -- --nocapture`.

mod support;

/// The checks the generated tests call, tested here directly.
#[path = "../codegen/protocol_tests/support.rs"]
mod protocol_support;

use serde_json::Value;
use xtask::protocol_tests::{self, Config};

#[test]
fn rest_json_protocol_compliance() {
    let config = config(None);
    built_together();
    let mut log = Vec::new();
    let report = protocol_tests::run(&config, &mut log).unwrap_or_else(|e| panic!("{e}"));
    let text = protocol_tests::render(&report);
    eprintln!("{}{text}", String::from_utf8_lossy(&log));
    assert!(report.is_ok(), "the protocol tests failed:\n{text}");
    // Every client case of the suite ran (the numbers docs/protocol.md gives).
    let total = report.total();
    assert!(total.passed + total.skipped >= 240, "{text}");
}

/// The suite's second restJson1 service: constraint traits, whose cases are mostly malformed
/// requests a server must reject.
#[test]
fn rest_json_validation_protocol_compliance() {
    let config = config(Some(VALIDATION));
    built_together();
    let mut log = Vec::new();
    let report = protocol_tests::run(&config, &mut log).unwrap_or_else(|e| panic!("{e}"));
    let text = protocol_tests::render(&report);
    eprintln!("{}{text}", String::from_utf8_lossy(&log));
    assert!(report.is_ok(), "the protocol tests failed:\n{text}");
    assert!(report.total().passed >= 1, "{text}");
}

/// The suite's second restJson1 service.
const VALIDATION: &str = "aws.protocoltests.restjson.validation#RestJsonValidation";

/// The run of one service of the suite (the default's when `None`): its crate a member of the
/// tests' compliance workspace (see [`built_together`]), linted with clippy (the generated code
/// and its tests are clippy-clean too, like every generated crate), with the dev-dependencies
/// the tests give every generated crate they build ([`support::DEV_DEPENDENCIES`]: with the
/// corpus's crates' dependencies, built before, these crates' are compiled once).
fn config(service: Option<&str>) -> Config {
    let mut config = Config::defaults(&support::root());
    if let Some(service) = service {
        config.service = Some(service.into());
    }
    config.dir = support::shared_target_dir().join("compliance");
    config.workspace_member = true;
    config.clippy = true;
    config.dev_dependencies = support::DEV_DEPENDENCIES.iter().map(|d| d.to_string()).collect();
    config
}

/// Writes the three compliance crates (the suite's two services, and the doctored copy of the
/// first) as the members of one cargo workspace and builds their tests in one cargo command,
/// once for the three tests that run them: their libraries, each a long compilation on one
/// core, compile side by side instead of one after another. Each test's run then finds its
/// crate built.
fn built_together() {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let configs = [config(None), config(Some(VALIDATION)), doctored_suite().0];
        let mut packages = Vec::new();
        for config in &configs {
            let written = protocol_tests::write(config).unwrap_or_else(|e| panic!("{e}"));
            packages.push(written.package);
        }
        let dir = &configs[0].dir;
        let members = packages.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ");
        let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{members}]\n");
        let path = dir.join("Cargo.toml");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest.as_str()) {
            std::fs::write(&path, manifest).expect("the compliance workspace's manifest");
        }
        let mut args = vec!["test", "--quiet", "--all-features", "--no-run", "--test", "*"];
        for package in &packages {
            args.extend(["-p", package.as_str()]);
        }
        support::run_ok(
            support::linted(support::cargo(dir, &args)),
            "compliance: the three crates' tests built (clippy -D warnings, all features)",
        );
    });
}

/// Changes `case` (found by id in the trait `trait_id` of shape `shape`) with `doctor`.
fn doctor(
    model: &mut Value,
    shape: &str,
    trait_id: &str,
    id: &str,
    doctor: impl FnOnce(&mut Value),
) {
    let cases = model["shapes"][shape]["traits"][trait_id]
        .as_array_mut()
        .unwrap_or_else(|| panic!("{shape} has no {trait_id}"));
    let case = cases
        .iter_mut()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{shape} has no case {id}"));
    doctor(case);
}

/// The copy of the suite in which some cases expect something else than the right answer
/// (`doctored_cases_fail`): its run, and the cases doctored.
fn doctored_suite() -> (Config, Vec<(&'static str, &'static str)>) {
    let mut config = config(None);
    let text = std::fs::read_to_string(&config.model).expect("the suite");
    let mut model: Value = serde_json::from_str(&text).expect("JSON");
    let ns = "aws.protocoltests.restjson#";
    let req = "smithy.test#httpRequestTests";
    let res = "smithy.test#httpResponseTests";
    let doctored: Vec<(&'static str, &'static str)> = vec![
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
        // The same cases seen from the server, where they apply to servers too (the host and
        // Content-MD5 are not a server's to check; the known failure stays a known failure).
        ("server-requests", "RestJsonAllQueryStringTypes"),
        ("server-requests", "RestJsonQueryStringEscaping"),
        ("server-requests", "RestJsonInputAndOutputWithStringHeaders"),
        ("server-requests", "RestJsonHttpRequestWithGreedyLabelInPath"),
        ("server-requests", "DocumentTypeInputWithObject"),
        ("server-requests", "RestJsonSupportsNaNFloatInputs"),
        ("server-requests", "RestJsonHttpPayloadTraitsWithBlob"),
        ("server-responses", "RestJsonSimpleScalarProperties"),
        ("server-responses", "RestJsonSupportsNaNFloatInputs"),
        ("server-responses", "RestJsonJsonTimestamps"),
        ("server-responses", "RestJsonJsonBlobs"),
        ("server-responses", "RestJsonInvalidGreetingError"),
        ("malformed-requests", "RestJsonStringPayloadNoContentType"),
        ("malformed-requests", "RestJsonStringPayloadUnsatisfiableAccept"),
    ];
    let malformed = "smithy.test#httpMalformedRequestTests";
    doctor(
        &mut model,
        &format!("{ns}HttpStringPayload"),
        malformed,
        "RestJsonStringPayloadNoContentType",
        |c| {
            c["response"]["code"] = 400.into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}HttpStringPayload"),
        malformed,
        "RestJsonStringPayloadUnsatisfiableAccept",
        |c| {
            c["response"]["headers"]["x-amzn-errortype"] = "SerializationException".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}AllQueryStringTypes"),
        req,
        "RestJsonAllQueryStringTypes",
        |c| {
            c["queryParams"][0] = "String=Hello%20where".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}AllQueryStringTypes"),
        req,
        "RestJsonQueryStringEscaping",
        |c| {
            c["params"]["queryString"] = " %:/?#[]@!$&'()*+,;=".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}InputAndOutputWithHeaders"),
        req,
        "RestJsonInputAndOutputWithStringHeaders",
        |c| {
            c["headers"]["X-String"] = "Hellö".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}HttpRequestWithGreedyLabelInPath"),
        req,
        "RestJsonHttpRequestWithGreedyLabelInPath",
        |c| {
            c["method"] = "POST".into();
        },
    );
    doctor(&mut model, &format!("{ns}DocumentType"), req, "DocumentTypeInputWithObject", |c| {
        c["body"] = "{\"stringValue\": \"string\", \"documentValue\": {\"foo\": \"baz\"}}".into();
    });
    doctor(
        &mut model,
        &format!("{ns}SimpleScalarProperties"),
        req,
        "RestJsonSupportsNaNFloatInputs",
        |c| {
            c["params"]["floatValue"] = "Infinity".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}HttpPayloadTraits"),
        req,
        "RestJsonHttpPayloadTraitsWithBlob",
        |c| {
            c["body"] = "blobby blob blub".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}EndpointWithHostLabelOperation"),
        req,
        "RestJsonEndpointTraitWithHostLabel",
        |c| {
            c["resolvedHost"] = "foo.baz.example.com".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}HttpChecksumRequired"),
        req,
        "RestJsonHttpChecksumRequired",
        |c| {
            c["headers"]["Content-MD5"] = "iB0/3YSo7maijL0IGOgA9w==".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}SimpleScalarProperties"),
        res,
        "RestJsonSimpleScalarProperties",
        |c| {
            c["params"]["stringValue"] = "strung".into();
        },
    );
    doctor(
        &mut model,
        &format!("{ns}SimpleScalarProperties"),
        res,
        "RestJsonSupportsNaNFloatInputs",
        |c| {
            c["params"]["floatValue"] = "Infinity".into();
        },
    );
    doctor(&mut model, &format!("{ns}JsonTimestamps"), res, "RestJsonJsonTimestamps", |c| {
        c["params"]["normal"] = 1398796239.into();
    });
    doctor(
        &mut model,
        &format!("{ns}FractionalSeconds"),
        res,
        "RestJsonDateTimeWithFractionalSeconds",
        |c| {
            c["params"]["datetime"] = serde_json::json!(946845296.124);
        },
    );
    doctor(&mut model, &format!("{ns}JsonBlobs"), res, "RestJsonJsonBlobs", |c| {
        c["params"]["data"] = "valve".into();
    });
    doctor(&mut model, &format!("{ns}InvalidGreeting"), res, "RestJsonInvalidGreetingError", |c| {
        c["params"]["Message"] = "Ho".into();
    });
    doctor(&mut model, &format!("{ns}FooError"), res, "RestJsonFooErrorUsingCode", |c| {
        c["body"] = "{\"code\": \"InvalidGreeting\"}".into();
    });

    // A crate of another name, a member of the same workspace as the real one (and cargo
    // names a package's artifacts in the shared target directory by its name alone).
    let sdk_id =
        &mut model["shapes"][format!("{ns}RestJson")]["traits"]["aws.api#service"]["sdkId"];
    assert!(sdk_id.is_string(), "the suite's service has an sdkId");
    *sdk_id = "Rest Json Protocol Doctored".into();
    let dir = support::shared_target_dir().join("protocol-doctored");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join("doctored-suite.json");
    // Written aside and renamed over the file: two tests make this copy at once.
    let aside = dir.join(format!("doctored-suite.{:?}.json", std::thread::current().id()));
    std::fs::write(&aside, serde_json::to_string(&model).expect("JSON"))
        .expect("write the doctored suite");
    std::fs::rename(&aside, &path).expect("move the doctored suite into place");
    config.model = path;
    (config, doctored)
}

/// The generated tests are not vacuous: in a copy of the suite where some cases expect
/// something else than the right answer, exactly those cases fail (client and server side);
/// the known failures stay known failures.
#[test]
fn doctored_cases_fail() {
    let (config, doctored) = doctored_suite();
    built_together();
    let mut log = Vec::new();
    let report = protocol_tests::run(&config, &mut log).unwrap_or_else(|e| panic!("{e}"));
    let mut failed: Vec<(String, String)> = report
        .failures
        .iter()
        .map(|(category, id, _)| (category.to_string(), id.clone()))
        .collect();
    failed.sort();
    let mut expected: Vec<(String, String)> =
        doctored.iter().map(|(c, i)| (c.to_string(), i.to_string())).collect();
    expected.sort();
    assert_eq!(
        failed,
        expected,
        "exactly the doctored cases must fail:\n{}",
        protocol_tests::render(&report)
    );
}

#[test]
fn support_checks() {
    use protocol_support::*;
    assert!(regex_match("^abc.*xyz$", "abc123xyz"));
    assert!(!regex_match("^abc.*xyz$", "ab123xyz"));
    assert!(regex_match("Value at '/x' .*", "oh: Value at '/x' failed"));
    assert!(regex_match("^a\\.b$", "a.b"));
    assert!(!regex_match("^a\\.b$", "axb"));
    assert!(regex_match("^$", ""));
    assert_eq!(percent_decode("a%20b%F0%9F%98%B9%zz%2"), "a b\u{1F639}%zz%2");

    let mut diffs = Vec::new();
    json_diff(
        &serde_json::json!({"a": 1, "b": [1.0, "x"]}),
        &serde_json::json!({"a": 1.0, "b": [1, "x"]}),
        "body",
        &mut diffs,
    );
    assert!(diffs.is_empty(), "{diffs:?}");
    json_diff(
        &serde_json::json!({"a": 1, "b": [2]}),
        &serde_json::json!({"a": 1.5, "c": null, "b": [2, 3]}),
        "body",
        &mut diffs,
    );
    assert_eq!(diffs.len(), 3, "{diffs:?}");

    let request = request(
        "POST",
        "/p/a%20b",
        &["k=v%20w", "flag"],
        &[("X-A", "1"), ("x-a", "2")],
        b"{\"n\": 1}",
    );
    let expected = ExpectedRequest {
        method: "POST",
        uri: "/p/a%20b",
        query_params: &["k=v w", "flag"],
        forbid_query_params: &["other"],
        require_query_params: &["k"],
        headers: &[("x-a", "1, 2")],
        forbid_headers: &["x-b"],
        require_headers: &["X-A", "Content-Length"],
        body: Some(Body::Json("{\"n\": 1.0}")),
        ..Default::default()
    };
    assert_eq!(request_problems(&request, &expected), Vec::<String>::new());
    let wrong = ExpectedRequest {
        method: "GET",
        uri: "/p/a b",
        query_params: &["k=v"],
        forbid_query_params: &["flag"],
        require_query_params: &["z"],
        headers: &[("x-a", "1")],
        forbid_headers: &["x-a"],
        require_headers: &["x-b"],
        body: Some(Body::Bytes(b"{}")),
        resolved_host: Some("example.com"),
    };
    assert_eq!(
        request_problems(&request, &wrong).len(),
        10,
        "{:#?}",
        request_problems(&request, &wrong)
    );

    let answer = response(404, &[("X-Y", "z")], b"");
    let ok = ExpectedResponse {
        code: 404,
        headers: &[("x-y", "z")],
        body: Some(Body::Json("")),
        ..Default::default()
    };
    assert!(response_problems(&answer, &ok).is_empty());
    let bad = ExpectedResponse {
        code: 200,
        headers: &[("x-y", "w")],
        forbid_headers: &["x-y"],
        require_headers: &["q", "Content-Length"],
        body: Some(Body::Json("{}")),
    };
    assert_eq!(
        response_problems(&answer, &bad).len(),
        6,
        "{:#?}",
        response_problems(&answer, &bad)
    );
    assert_eq!(block_on(async { 7 }), 7);
}
