//! The generated `chime_sdk_meetings::endpoint` against botocore's endpoint resolver.
//!
//! `tests/endpoints/fixtures/chime-sdk-meetings.jsonl` (written by
//! `tests/endpoints/botocore_endpoints.py`) holds botocore's `EndpointProvider` results for the
//! model's rule set over a grid of parameters: every region of `partitions.json`, unknown and
//! malformed regions, no region, FIPS and dual-stack on and off, with and without an endpoint
//! override. The model's own 27 `endpointTests` are the generated crate's
//! `tests/endpoint_tests.rs`.

use std::collections::BTreeMap;

use chime_sdk_meetings::endpoint::{resolve, BuiltIns, Endpoint, Params};
use serde_json::Value;

fn params_of(json: &Value) -> Params {
    let mut builder = Params::builder();
    for (name, value) in json.as_object().expect("params") {
        builder = match (name.as_str(), value) {
            ("Region", Value::String(s)) => builder.region(s.as_str()),
            ("Endpoint", Value::String(s)) => builder.endpoint(s.as_str()),
            ("UseFIPS", Value::Bool(b)) => builder.use_fips(*b),
            ("UseDualStack", Value::Bool(b)) => builder.use_dual_stack(*b),
            other => panic!("unexpected parameter {other:?}"),
        };
    }
    builder.build()
}

#[test]
fn resolution_agrees_with_botocore() {
    let fixtures = include_str!("endpoints/fixtures/chime-sdk-meetings.jsonl");
    let (mut endpoints, mut errors) = (0, 0);
    let mut mismatches = Vec::new();
    for line in fixtures.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("fixture line");
        let params = params_of(&case["params"]);
        let expect = &case["expect"];
        match (resolve(&params), expect.get("error").and_then(Value::as_str)) {
            (Err(e), Some(message)) => {
                errors += 1;
                if e.to_string() != message {
                    mismatches
                        .push(format!("{}: botocore error {message:?}, ours {e}", case["params"]));
                }
            }
            (Ok(endpoint), None) => {
                endpoints += 1;
                let url = expect["url"].as_str().expect("url");
                let no_headers = expect["headers"].as_object().is_none_or(|h| h.is_empty());
                let no_properties = expect["properties"].as_object().is_none_or(|p| p.is_empty());
                if endpoint.url != url
                    || !no_headers
                    || !no_properties
                    || !endpoint.headers.is_empty()
                    || !endpoint.properties.is_empty()
                {
                    mismatches
                        .push(format!("{}: botocore {expect}, ours {endpoint:?}", case["params"]));
                }
            }
            (ours, _) => {
                mismatches.push(format!("{}: botocore {expect}, ours {ours:?}", case["params"]))
            }
        }
    }
    eprintln!(
        "{} parameter sets compared with botocore: {endpoints} endpoints, {errors} errors",
        endpoints + errors
    );
    assert!(endpoints > 300 && errors > 300, "the fixture covers endpoints and errors");
    assert!(
        mismatches.is_empty(),
        "{} disagreements with botocore:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn builder_applies_the_rule_set_defaults() {
    let params = Params::builder().build();
    assert_eq!(params.region, None);
    assert!(!params.use_fips && !params.use_dual_stack);
    assert_eq!(params.endpoint, None);
    let set = Params::builder()
        .region("eu-west-1")
        .use_fips(true)
        .set_use_dual_stack(None)
        .set_endpoint(Some("https://x".into()))
        .build();
    assert_eq!(set.region.as_deref(), Some("eu-west-1"));
    assert!(set.use_fips && !set.use_dual_stack);
    assert_eq!(set.endpoint.as_deref(), Some("https://x"));
}

#[test]
fn from_built_ins_fills_the_parameters_that_declare_them() {
    let built_ins = BuiltIns {
        region: Some("ap-south-1".into()),
        use_fips: true,
        use_dual_stack: true,
        endpoint: None,
    };
    let params = Params::from_built_ins(&built_ins);
    assert_eq!(
        params,
        Params::builder().region("ap-south-1").use_fips(true).use_dual_stack(true).build()
    );
    assert_eq!(
        resolve(&params).expect("endpoint").url,
        "https://meetings-chime-fips.ap-south-1.api.aws"
    );
    assert_eq!(Params::from_built_ins(&BuiltIns::default()), Params::builder().build());
}

#[test]
fn errors_carry_the_rule_set_message() {
    let error = resolve(&Params::builder().build()).expect_err("no region");
    assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");
    assert_eq!(error.message(), "Invalid Configuration: Missing Region");
    let error: Box<dyn std::error::Error> = Box::new(
        resolve(&Params::builder().endpoint("https://x").use_fips(true).build()).expect_err("fips"),
    );
    assert_eq!(
        error.to_string(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    let endpoint = resolve(&Params::builder().endpoint("https://localhost:8443/base").build())
        .expect("override");
    assert_eq!(
        endpoint,
        Endpoint {
            url: "https://localhost:8443/base".into(),
            headers: BTreeMap::new(),
            properties: BTreeMap::new()
        }
    );
}
