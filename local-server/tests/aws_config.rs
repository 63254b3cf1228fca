//! The client configured by the official `aws-config` crate (feature `aws-config`:
//! `Client::new(&aws_config::load_defaults(BehaviorVersion::latest()).await)`), end to end over
//! loopback against the local server, which accepts one key pair and verifies every signature.
//! The credentials come from each of the standard sources in turn, found through the standard
//! environment variables only:
//!
//! - a shared credentials file with a named profile (`AWS_SHARED_CREDENTIALS_FILE`,
//!   `AWS_PROFILE`; the `default` profile holds a wrong key), the endpoint from the profile's
//!   `services` section;
//! - a fake ECS container credentials endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI` with
//!   `AWS_CONTAINER_AUTHORIZATION_TOKEN`), the endpoint from `AWS_ENDPOINT_URL_CHIME_SDK_MEETINGS`;
//! - a fake EC2 instance metadata service, IMDSv2 (`AWS_EC2_METADATA_SERVICE_ENDPOINT`), the
//!   endpoint from the global `AWS_ENDPOINT_URL`.
//!
//! Before them, our own `Config::from_env()` (no aws-config) with no credentials anywhere: a
//! clear error at once, naming the variables it looked for.
//!
//! Each source hands out its own session token, which the server sees on every request, so
//! each case proves its credentials came from where it says. The environment is the process's:
//! the cases run one after another in one test (this file is its own test binary).
//!
//! A second test, without the environment, checks that every other setting an `SdkConfig`
//! carries (endpoint, FIPS, dual-stack, retries, timeouts, app name) reaches the client's
//! `Config`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aws_config::BehaviorVersion;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use chime_local_server::http::{Handler, ResponseFuture};
use chime_local_server::{InMemoryChime, Verify};
use chime_sdk_meetings::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "AKIDAWSCONFIGE2E";
const SECRET: &str = "aws-config/e2e/secret";

/// Every variable the default chain reads that a developer's shell might set.
const CLEARED: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_CHIME_SDK_MEETINGS",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_SDK_UA_APP_ID",
];

/// What the server saw of a request: its session token and its User-Agent.
type SeenRequest = (Option<String>, String);

/// What the server saw of each request.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<SeenRequest>>>);

struct Recording<H> {
    inner: H,
    seen: Seen,
}

impl<H: Handler> Handler for Recording<H> {
    fn handle(&self, request: http::Request<Vec<u8>>) -> ResponseFuture {
        let header = |name: &str| {
            request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
        };
        let entry = (header("x-amz-security-token"), header("user-agent").unwrap_or_default());
        self.seen.0.lock().unwrap().push(entry);
        self.inner.handle(request)
    }

    fn unsigned_payload(&self, request: &http::request::Parts) -> bool {
        self.inner.unsigned_payload(request)
    }
}

/// A loopback HTTP/1.1 server answering from `routes` ((method, path) → (status, body); 404
/// otherwise), one request per connection, every answer with the IMDS token lifetime header;
/// `check` sees each request's path and headers (lowercase names) and may refuse it with a
/// 401. Enough for the metadata endpoints `aws-config` asks.
async fn fake_metadata_server(
    routes: BTreeMap<(&'static str, String), (u16, String)>,
    check: fn(&str, &BTreeMap<String, String>) -> bool,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let requests = log.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let mut lines = head.lines();
            let mut request_line = lines.next().unwrap_or_default().split(' ');
            let method = request_line.next().unwrap_or_default().to_string();
            let path = request_line.next().unwrap_or_default().to_string();
            let headers: BTreeMap<String, String> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            requests.lock().unwrap().push(format!("{method} {path}"));
            let (status, body) = if !check(&path, &headers) {
                (401, String::new())
            } else {
                routes
                    .iter()
                    .find(|((m, p), _)| *m == method && *p == path)
                    .map(|(_, reply)| reply.clone())
                    .unwrap_or((404, String::new()))
            };
            // IMDS gives its session token's lifetime with it; the header means nothing to ECS.
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\ncontent-type: text/plain\r\n\
                 x-aws-ec2-metadata-token-ttl-seconds: 21600\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    (url, log)
}

fn credentials_json(token: &str, imds: bool) -> String {
    let extra = if imds {
        r#""Code":"Success","Type":"AWS-HMAC","LastUpdated":"2026-01-01T00:00:00Z","#
    } else {
        ""
    };
    format!(
        r#"{{{extra}"AccessKeyId":"{KEY}","SecretAccessKey":"{SECRET}","Token":"{token}","Expiration":"2099-01-01T00:00:00Z"}}"#
    )
}

/// Sets the environment of one case: everything cleared, no shared files unless given, IMDS
/// off unless given, the region and the application name set.
fn environment(dir: &Path, vars: &[(&str, String)]) {
    for name in CLEARED {
        std::env::remove_var(name);
    }
    std::env::set_var("AWS_CONFIG_FILE", dir.join("absent-config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("absent-credentials"));
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_SDK_UA_APP_ID", "e2e-app");
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
}

/// `aws_config::load_defaults`, as an application calls it; its HTTP client (for the
/// metadata endpoints) is the rustls-on-ring one, as the generated crate's transport.
async fn load() -> aws_config::SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest()).http_client(http).load().await
}

/// Two calls through a client built from the `SdkConfig`, both verified by the server; returns
/// what it saw.
async fn two_calls(seen: &Seen) -> Vec<SeenRequest> {
    let sdk_config = load().await;
    let client = Client::new(&sdk_config);
    let created = client
        .create_meeting()
        .client_request_token("aws-config-e2e-token-1")
        .media_region("us-east-1")
        .external_meeting_id("aws-config")
        .send()
        .await
        .expect("create_meeting, signed with the loaded credentials");
    let id = created.meeting().and_then(|m| m.meeting_id()).expect("a meeting id").to_string();
    let got = client.get_meeting().meeting_id(&id).send().await.expect("get_meeting");
    assert_eq!(got.meeting().and_then(|m| m.meeting_id()), Some(id.as_str()));
    std::mem::take(&mut *seen.0.lock().unwrap())
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chime-aws-config-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_from_profiles_ecs_and_imds_sign_verified_requests() {
    let seen = Seen::default();
    let handler = Recording {
        inner: chime_local_server::handler(InMemoryChime::default()),
        seen: seen.clone(),
    };
    let verify = Verify::Key { access_key_id: KEY.into(), secret_access_key: SECRET.into() };
    let server = chime_local_server::http::bind(
        "127.0.0.1:0".parse().unwrap(),
        chime_local_server::options(verify),
        handler,
    )
    .await
    .unwrap();
    let endpoint = server.endpoint_url();
    let dir = scratch_dir();

    // 0. Our own `Config::from_env()` (environment variables only) with no credentials
    // anywhere fails at once, naming what it looked for; so without a region.
    environment(&dir, &[]);
    let message = chime_sdk_meetings::Config::from_env().unwrap_err().to_string();
    eprintln!("from_env without credentials: {message}");
    for looked_for in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
        assert!(message.contains(looked_for), "{message}");
    }
    std::env::remove_var("AWS_REGION");
    let message = chime_sdk_meetings::Config::from_env().unwrap_err().to_string();
    eprintln!("from_env without a region: {message}");
    for looked_for in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        assert!(message.contains(looked_for), "{message}");
    }

    // 1. A named profile in a shared credentials file; `default` holds a wrong key (the
    // server would refuse it). The endpoint is the profile's, for this service only (keyed by
    // the sdkId lowercased, spaces as hyphens: how aws-config names services in profiles).
    let credentials = dir.join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n\n\
             [e2e]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n\
             aws_session_token = from-profile\n"
        ),
    )
    .unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[profile e2e]\nservices = local\n\n[services local]\nchime-sdk-meetings =\n  endpoint_url = {endpoint}\n"
        ),
    )
    .unwrap();
    environment(
        &dir,
        &[
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.display().to_string()),
            ("AWS_CONFIG_FILE", config.display().to_string()),
            ("AWS_PROFILE", "e2e".into()),
        ],
    );
    let requests = two_calls(&seen).await;
    assert_eq!(requests.len(), 2, "{requests:?}");
    for (token, user_agent) in &requests {
        assert_eq!(token.as_deref(), Some("from-profile"));
        assert!(user_agent.ends_with(" app/e2e-app"), "{user_agent}");
    }

    // 2. ECS container credentials, from a fake endpoint that wants its authorization token.
    let routes = BTreeMap::from([(
        ("GET", "/creds".to_string()),
        (200, credentials_json("from-ecs", false)),
    )]);
    let (ecs, ecs_log) = fake_metadata_server(routes, |_, headers| {
        headers.get("authorization").map(String::as_str) == Some("ecs-secret-token")
    })
    .await;
    environment(
        &dir,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{ecs}/creds")),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-secret-token".into()),
            ("AWS_ENDPOINT_URL_CHIME_SDK_MEETINGS", endpoint.clone()),
        ],
    );
    let requests = two_calls(&seen).await;
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(requests.iter().all(|(token, _)| token.as_deref() == Some("from-ecs")), "{requests:?}");
    // Cached: one fetch for both calls.
    assert_eq!(*ecs_log.lock().unwrap(), ["GET /creds"]);

    // 3. EC2 instance metadata (IMDSv2: a session token first, then the role's credentials).
    let role = "/latest/meta-data/iam/security-credentials/e2e-role";
    let routes = BTreeMap::from([
        (("PUT", "/latest/api/token".to_string()), (200, "imds-session".to_string())),
        (
            ("GET", "/latest/meta-data/iam/security-credentials/".to_string()),
            (200, "e2e-role".to_string()),
        ),
        (("GET", role.to_string()), (200, credentials_json("from-imds", true))),
    ]);
    let (imds, imds_log) = fake_metadata_server(routes, |path, headers| {
        if path == "/latest/api/token" {
            headers.contains_key("x-aws-ec2-metadata-token-ttl-seconds")
        } else {
            headers.get("x-aws-ec2-metadata-token").map(String::as_str) == Some("imds-session")
        }
    })
    .await;
    environment(
        &dir,
        &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds), ("AWS_ENDPOINT_URL", endpoint.clone())],
    );
    std::env::remove_var("AWS_EC2_METADATA_DISABLED");
    let requests = two_calls(&seen).await;
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(
        requests.iter().all(|(token, _)| token.as_deref() == Some("from-imds")),
        "{requests:?}"
    );
    let asked = imds_log.lock().unwrap().clone();
    assert!(asked.contains(&"PUT /latest/api/token".to_string()), "{asked:?}");
    assert!(asked.contains(&format!("GET {role}")), "{asked:?}");

    let _ = std::fs::remove_dir_all(&dir);
    server.shutdown().await;
}

/// Everything else an `SdkConfig` carries reaches the client's `Config`: region, credentials
/// provider, endpoint URL, FIPS and dual-stack, retry and timeout configuration, app name.
/// (No environment: an `SdkConfig` built in code.)
#[test]
fn the_sdk_configs_settings_reach_the_client_config() {
    use std::time::Duration;

    use aws_config::retry::RetryConfig;
    use aws_config::timeout::TimeoutConfig;
    use aws_config::{AppName, Region, SdkConfig};
    use chime_sdk_meetings::config::{Credentials, SharedCredentialsProvider};

    let sdk_config = SdkConfig::builder()
        .region(Region::new("eu-central-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKID", "SECRET", None, None, "test",
        )))
        .endpoint_url("http://127.0.0.1:9")
        .use_fips(true)
        .use_dual_stack(true)
        .retry_config(RetryConfig::adaptive().with_max_attempts(7))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(1500))
                .operation_timeout(Duration::from_secs(9))
                .build(),
        )
        .app_name(AppName::new("billing").unwrap())
        .build();
    let config = chime_sdk_meetings::Config::new(&sdk_config);
    assert_eq!(config.region(), Some(&Region::new("eu-central-1")));
    assert!(config.credentials_provider().is_some());
    assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9"));
    assert!(config.use_fips() && config.use_dual_stack());
    let retry = config.retry_config().expect("a retry configuration");
    assert_eq!((retry.mode(), retry.max_attempts()), (aws_config::retry::RetryMode::Adaptive, 7));
    let timeouts = config.timeout_config().expect("a timeout configuration");
    assert_eq!(timeouts.connect_timeout(), Some(Duration::from_millis(1500)));
    assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(9)));
    assert_eq!(config.app_name(), Some("billing"));
    // The builder form, as the official crate's `config::Builder::from(&sdk_config)`.
    let config = chime_sdk_meetings::config::Builder::from(&sdk_config).app_name("other").build();
    assert_eq!(
        (config.app_name(), config.retry_config().map(|r| r.max_attempts())),
        (Some("other"), Some(7))
    );
}
