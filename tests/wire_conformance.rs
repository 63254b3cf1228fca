//! The generated Chime crate's protocol layer against botocore: every line of
//! `tests/wire/fixtures/chime-sdk-meetings/{requests,responses}.jsonl` (see
//! `tests/wire/README.md`) goes through the same functions as
//! `cargo xtask wire request|response`, and the result is compared with botocore's.
//!
//! The conversion, comparison, quirk handling and summary are the shared harness,
//! `tests/wire/harness.rs` (included below with `chime_sdk_meetings` as its `svc`). Where a line
//! is tagged with a `botocore_quirks` value whose behaviour contradicts the Smithy restJson1
//! specification, the Smithy behaviour is asserted instead and the deviation counted. A few
//! differences are only in how botocore *represents* a result (`""` for a missing message,
//! `Code`/`Message` left out of the error fields); those are normalised, not counted.
//!
//! The eight other services' fixtures run against their generated crates in
//! `tests/corpus.rs`, with the same harness.
//!
//! Run: `cargo test -p integration-tests --test wire_conformance -- --nocapture` (the summary
//! goes to stderr).

mod support;

#[path = "wire/harness.rs"]
mod harness;

use chime_sdk_meetings as svc;
use chime_sdk_meetings::primitives::{is_uuid_v4, FixedTokens, RandomTokens};
use serde_json::json;

use harness::Service;

const SERVICE: &str = "chime-sdk-meetings";

/// The fixture directory: `tests/wire/fixtures/chime-sdk-meetings`, or `$WIRE_FIXTURE_DIR`
/// (for freshly regenerated fixtures, or to check that the comparison catches a doctored line).
fn service() -> Service {
    let dir = std::env::var_os("WIRE_FIXTURE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| support::root().join("tests/wire/fixtures").join(SERVICE));
    Service::new(SERVICE, dir, &support::root().join("model/chime-sdk-meetings.json"))
}

#[test]
fn requests_match_botocore() {
    service().requests_test(300);
}

#[test]
fn responses_match_botocore() {
    service().responses_test(600);
}

#[test]
fn fixtures_cover_every_operation_and_modeled_error() {
    service().coverage_test();
}

/// The lines `cargo xtask wire` prints are the harness's (both run the `wire-lines` crate).
#[test]
fn xtask_wire_is_the_harness() {
    let service = service();
    for line in service.fixture("responses.jsonl").iter().step_by(25) {
        assert_eq!(
            xtask::wire::response_line(&line.value),
            harness::response_line(&line.value),
            "line {}",
            line.number
        );
    }
    let fixed = (FixedTokens::counter(), FixedTokens::counter());
    for line in service.fixture("requests.jsonl").iter().step_by(10) {
        assert_eq!(
            xtask::wire::request_line_with(&line.value, &fixed.0),
            harness::request_line_with(&line.value, &fixed.1),
            "line {}",
            line.number
        );
    }
}

/// `--tokens fixed` numbers the tokens across lines; explicit tokens are sent as given.
#[test]
fn token_providers_fill_only_unset_tokens() {
    let line = json!({"operation": "CreateMeeting", "params": {"MediaRegion": "us-east-1", "ExternalMeetingId": "x"}, "case": 7});
    let fixed = FixedTokens::counter();
    let first = xtask::wire::request_line_with(&line, &fixed);
    let second = xtask::wire::request_line_with(&line, &fixed);
    assert_eq!(first["body"]["ClientRequestToken"], "00000000-0000-4000-8000-000000000001");
    assert_eq!(second["body"]["ClientRequestToken"], "00000000-0000-4000-8000-000000000002");
    assert_eq!(first["case"], 7, "other keys are echoed");
    assert_eq!(first["operation"], "CreateMeeting");

    let random = xtask::wire::request_line_with(&line, &RandomTokens::new());
    assert!(is_uuid_v4(random["body"]["ClientRequestToken"].as_str().unwrap()), "{random}");

    let explicit = json!({"operation": "CreateMeeting", "params": {"ClientRequestToken": "mine", "MediaRegion": "r", "ExternalMeetingId": "x"}});
    assert_eq!(
        xtask::wire::request_line_with(&explicit, &fixed)["body"]["ClientRequestToken"],
        "mine"
    );
    assert_eq!(fixed.made(), 2, "an explicit token takes none from the provider");
}

#[test]
fn bad_lines_become_error_lines() {
    let unknown =
        xtask::wire::request_line(&json!({"operation": "Nope", "params": {}, "expected": 1}));
    assert_eq!(unknown["error"], "unknown-operation", "{unknown}");
    assert_eq!(unknown["expected"], 1);
    let params =
        xtask::wire::request_line(&json!({"operation": "GetMeeting", "params": {"MeetingId": 5}}));
    assert_eq!(params["error"], "params", "{params}");
    let label = xtask::wire::request_line(&json!({"operation": "GetMeeting", "params": {}}));
    assert_eq!(label["error"], "request", "{label}");
    let no_op = xtask::wire::response_line(&json!({"status": 200}));
    assert_eq!(no_op["error"], "invalid-line", "{no_op}");
    let unreadable = xtask::wire::response_line(
        &json!({"operation": "GetMeeting", "status": 200, "body": "{\"Meeting\": 5}", "case": "c"}),
    );
    assert!(
        unreadable["error"]["shape"].is_null() && unreadable["error"]["deserialize"].is_string(),
        "{unreadable}"
    );
    assert_eq!(unreadable["case"], "c");
    let binary = xtask::wire::response_line(
        &json!({"operation": "GetMeeting", "status": 200, "body_base64": "e30="}),
    );
    assert_eq!(binary["output"], json!({}), "{binary}");
}
