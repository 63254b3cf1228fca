//! The README's quick start runs as written: its Rust block is `examples/quickstart.rs`, byte
//! for byte, and that program, pointed at a test server by the environment variables the README
//! sets, creates a meeting with two attendees there.

mod quickstart {
    include!("../examples/quickstart.rs");
    /// The example's `main`.
    pub fn run() -> Result<(), Box<dyn std::error::Error>> {
        main()
    }
}

use chime_local_server::{InMemoryChime, Verify};
use chime_sdk_meetings::operation::list_attendees::ListAttendeesInput;

/// The fenced block after `marker` in the README.
fn readme_block(readme: &str, marker: &str, lang: &str) -> String {
    let at = readme.find(marker).unwrap_or_else(|| panic!("README has no `{marker}`"));
    let rest = &readme[at..];
    let open = format!("```{lang}\n");
    let start = rest.find(&open).unwrap_or_else(|| panic!("no ```{lang} block after `{marker}`"))
        + open.len();
    let end = rest[start..].find("```").expect("closed block") + start;
    rest[start..end].to_owned()
}

#[test]
fn readme_quick_start_is_the_example_and_runs() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let example = include_str!("../examples/quickstart.rs");
    let block = readme_block(&readme, "## Quick start", "rust");
    assert_eq!(
        block, example,
        "README's quick start differs from local-server/examples/quickstart.rs"
    );
    assert!(block.lines().count() < 20, "the quick start is under 20 lines");

    // The shell block's environment, read from the README itself.
    let shell = readme_block(&readme, "## Quick start", "sh");
    let mut vars = Vec::new();
    for word in shell.split_whitespace() {
        if let Some((name, value)) = word.split_once('=') {
            if name.starts_with("AWS_") {
                vars.push((name.to_owned(), value.to_owned()));
            }
        }
    }
    let var = |n: &str| {
        vars.iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("README sets no {n}"))
    };
    let (key, secret) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY"));
    let readme_endpoint = var("AWS_ENDPOINT_URL_CHIME_SDK_MEETINGS");
    let credentials = shell
        .split_whitespace()
        .skip_while(|w| *w != "--credentials")
        .nth(1)
        .expect("the README's serve command passes --credentials");
    assert_eq!(
        credentials,
        format!("{key}:{secret}"),
        "the server and the client use the same key"
    );

    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let service = InMemoryChime::default();
    let verify = Verify::Key { access_key_id: key.clone(), secret_access_key: secret.clone() };
    let server = runtime
        .block_on(chime_local_server::start_with(
            "127.0.0.1:0".parse().unwrap(),
            verify,
            service.clone(),
        ))
        .unwrap();
    // The README's variables, with this test server's port instead of 8000.
    assert!(readme_endpoint.starts_with("http://127.0.0.1:"));
    for name in ["AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_MAX_ATTEMPTS"]
    {
        std::env::remove_var(name);
    }
    for (name, value) in &vars {
        std::env::set_var(name, value);
    }
    std::env::set_var("AWS_ENDPOINT_URL_CHIME_SDK_MEETINGS", server.endpoint_url());

    quickstart::run().expect("the quick start runs");

    let meetings = service.summary();
    assert_eq!(meetings.len(), 1, "{meetings:?}");
    let (id, count) = meetings.into_iter().next().unwrap();
    assert_eq!(count, 2);
    let listed =
        service.list_attendees(ListAttendeesInput::builder().meeting_id(id).build()).unwrap();
    let names: Vec<_> =
        listed.attendees.unwrap().into_iter().map(|a| a.external_user_id.unwrap()).collect();
    assert_eq!(names, ["alice", "bob"]);
    runtime.block_on(server.shutdown());
}

/// The README's "against AWS" claim: the same configuration without the endpoint variable sends
/// the quick start's request to the regional AWS endpoint, signed for `chime` (captured by a
/// transport here; nothing leaves the machine).
#[test]
fn without_the_endpoint_variable_the_request_goes_to_aws() {
    use chime_sdk_meetings::client::{Client, Config, Transport, TransportError, TransportFuture};
    use chime_sdk_meetings::types::CreateAttendeeRequestItem as Attendee;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<http::Request<Vec<u8>>>>>);
    impl Transport for Capture {
        fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
            self.0.lock().unwrap().push(request);
            Box::pin(async { Err(TransportError::other("captured, not sent")) })
        }
    }
    let env = |name: &str| match name {
        "AWS_REGION" => Some("us-east-1".to_owned()),
        "AWS_ACCESS_KEY_ID" => Some("AKIDREAL".to_owned()),
        "AWS_SECRET_ACCESS_KEY" => Some("real-secret".to_owned()),
        _ => None,
    };
    let capture = Capture::default();
    let config = Config::builder()
        .load_env_with(env)
        .transport(capture.clone())
        .retry_config(chime_sdk_meetings::client::RetryConfig::disabled())
        .build();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let result = runtime.block_on(
        Client::new(config)
            .create_meeting_with_attendees()
            .media_region("us-east-1")
            .external_meeting_id("quickstart")
            .attendees(Attendee::builder().external_user_id("alice").build().unwrap())
            .send(),
    );
    assert!(result.is_err(), "the capturing transport sends nothing");
    let sent = capture.0.lock().unwrap();
    assert_eq!(sent.len(), 1);
    let uri = sent[0].uri().to_string();
    assert!(uri.starts_with("https://meetings-chime.us-east-1.amazonaws.com/meetings"), "{uri}");
    let auth = sent[0].headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("/us-east-1/chime/aws4_request"), "{auth}");
    assert!(auth.contains("Credential=AKIDREAL/"), "{auth}");
}
