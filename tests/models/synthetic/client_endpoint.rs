// Behaviour of the client generated from `client_endpoint.json` (sdkId "Synthetic Client
// Endpoint"): the endpoint comes from the model's rules (compiled into `crate::endpoint`); the
// resolved endpoint's headers are sent, and its `authSchemes` property overrides the signing
// name (`aws.auth#sigv4` says `things`) and the signing region (the config's).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use synthetic_client_endpoint::client::{
    Client, Config, Credentials, Region, RetryConfig, Transport, TransportError, TransportFuture,
};

struct NoopWaker;

impl Wake for NoopWaker {
    fn wake(self: Arc<Self>) {}
}

/// Runs a future whose I/O (the test double below) completes at once.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(NoopWaker));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<http::Request<Vec<u8>>>>>);

impl Transport for Capture {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        self.0.lock().unwrap().push(request);
        let response: Result<_, TransportError> =
            Ok(http::Response::builder().status(200).body(b"{}".to_vec()).unwrap());
        Box::pin(async move { response })
    }
}

fn send(endpoint: Option<&str>) -> http::Request<Vec<u8>> {
    let capture = Capture::default();
    let mut config = Config::builder()
        .region(Region::new("eu-west-3"))
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .transport(capture.clone())
        .retry_config(RetryConfig::disabled());
    if let Some(endpoint) = endpoint {
        config = config.endpoint_url(endpoint);
    }
    block_on(Client::new(config.build()).ping().send()).unwrap();
    let request = capture.0.lock().unwrap().remove(0);
    request
}

#[test]
fn the_rules_endpoint_its_headers_and_its_auth_scheme_are_used() {
    let request = send(None);
    assert_eq!(request.uri().to_string(), "https://things.eu-west-3.example.com/ping");
    let values: Vec<_> = request
        .headers()
        .get_all("x-endpoint-header")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(values, ["one", "two"]);
    let authorization = request.headers().get("authorization").unwrap().to_str().unwrap();
    assert!(authorization.contains("/us-signing-1/things-signer/aws4_request"), "{authorization}");
}

#[test]
fn a_custom_endpoint_signs_with_the_models_name_and_the_configs_region() {
    let request = send(Some("http://localhost:8080"));
    assert_eq!(request.uri().to_string(), "http://localhost:8080/ping");
    assert!(request.headers().get("x-endpoint-header").is_none());
    let authorization = request.headers().get("authorization").unwrap().to_str().unwrap();
    assert!(authorization.contains("/eu-west-3/things/aws4_request"), "{authorization}");
}
