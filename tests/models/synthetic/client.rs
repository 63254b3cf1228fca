// Behaviour of the client generated from `client.json` (sdkId "Synthetic Client", feature
// `client`): a service without `aws.auth#sigv4` (requests are not signed) and without endpoint
// rules (the endpoint URL must be configured); `@retryable` errors (throttling or not) retried,
// other modeled errors not; service-level `@paginated` defaults merged with an operation's,
// a nested output token (`page.next`) and nested items (`page.things`); map items; an
// operation named `Config` (the client's method becomes `config_operation`) and an input
// member named `send` (the fluent setter becomes `send_value`).

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use synthetic_client::client::{
    AsyncSleep, Client, Config, Credentials, Region, RetryConfig, SdkError, Sleep, Transport,
    TransportError, TransportFuture,
};
use synthetic_client::operation::list_things::ListThingsError;
use synthetic_client::operation::put_thing::PutThingError;

struct NoopWaker;

impl Wake for NoopWaker {
    fn wake(self: Arc<Self>) {}
}

/// Runs a future whose I/O (the test doubles below) completes at once.
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

/// (status, error code, body)
type Reply = (u16, &'static str, &'static str);

#[derive(Clone, Default)]
struct Scripted {
    replies: Arc<Mutex<VecDeque<Reply>>>,
    requests: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
}

impl Scripted {
    fn new(replies: Vec<Reply>) -> Self {
        Scripted { replies: Arc::new(Mutex::new(replies.into())), requests: Arc::default() }
    }
    fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        self.requests.lock().unwrap().clone()
    }
}

impl Transport for Scripted {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        self.requests.lock().unwrap().push(request);
        let (status, error, body) =
            self.replies.lock().unwrap().pop_front().unwrap_or((200, "", "{}"));
        let mut response = http::Response::builder().status(status);
        if !error.is_empty() {
            response = response.header("x-amzn-errortype", error);
        }
        let response: Result<_, TransportError> =
            Ok(response.body(body.as_bytes().to_vec()).unwrap());
        Box::pin(async move { response })
    }
}

#[derive(Clone, Debug, Default)]
struct NoWait(Arc<Mutex<usize>>);

impl AsyncSleep for NoWait {
    fn sleep(&self, _: Duration) -> Sleep {
        *self.0.lock().unwrap() += 1;
        Sleep::new(async {})
    }
}

fn client(transport: &Scripted, endpoint: Option<&str>) -> Client {
    let mut config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .transport(transport.clone())
        .sleep_impl(NoWait::default())
        .retry_config(RetryConfig::standard());
    if let Some(endpoint) = endpoint {
        config = config.endpoint_url(endpoint);
    }
    Client::new(config.build())
}

#[test]
fn without_sigv4_requests_are_not_signed_and_without_rules_the_endpoint_is_required() {
    let transport = Scripted::new(vec![]);
    let err = block_on(client(&transport, None).put_thing().name("a").send()).unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let cause = std::error::Error::source(&err).map(|e| e.to_string()).unwrap_or_default();
    assert!(cause.contains("endpoint"), "{cause}");
    assert!(transport.requests().is_empty());

    block_on(client(&transport, Some("http://localhost:1/base")).put_thing().name("a").send())
        .unwrap();
    let request = &transport.requests()[0];
    assert_eq!(request.uri().to_string(), "http://localhost:1/base/things/a");
    assert!(request.headers().get("authorization").is_none());
    assert!(request.headers().get("x-amz-date").is_none());
}

#[test]
fn retryable_errors_are_retried_and_others_are_not() {
    // `Busy` (@retryable throttling, a service error) and `Flaky` (@retryable): 400s, retried.
    let transport = Scripted::new(vec![
        (400, "Busy", "{}"),
        (400, "Flaky", "{}"),
        (200, "", r#"{"page":{"things":["t"]}}"#),
    ]);
    let out = block_on(client(&transport, Some("http://h")).list_things().send()).unwrap();
    assert_eq!(out.page.unwrap().things, ["t"]);
    assert_eq!(transport.requests().len(), 3);
    // `Invalid`: not retried.
    let transport = Scripted::new(vec![(400, "Invalid", r#"{"message":"no"}"#)]);
    let err = block_on(client(&transport, Some("http://h")).list_things().send()).unwrap_err();
    assert!(matches!(err.as_service_error(), Some(ListThingsError::Invalid(_))), "{err:?}");
    assert_eq!(transport.requests().len(), 1);
    // Three `Flaky`: the last is returned.
    let transport = Scripted::new(vec![
        (400, "Flaky", "{}"),
        (400, "Flaky", "{}"),
        (400, "Flaky", "{}"),
        (200, "", "{}"),
    ]);
    let err = block_on(client(&transport, Some("http://h")).list_things().send()).unwrap_err();
    assert!(matches!(err.as_service_error(), Some(ListThingsError::Flaky(_))), "{err:?}");
    assert_eq!(transport.requests().len(), 3);
}

#[test]
fn idempotency_tokens_are_kept_across_retries() {
    let transport = Scripted::new(vec![(500, "", "{}"), (200, "", "{}")]);
    block_on(client(&transport, Some("http://h")).put_thing().name("n").send()).unwrap();
    let requests = transport.requests();
    let token = |r: &http::Request<Vec<u8>>| {
        serde_json::from_slice::<serde_json::Value>(r.body()).unwrap()["token"].clone()
    };
    assert_eq!(requests.len(), 2);
    assert!(
        token(&requests[0]).as_str().is_some_and(|t| t.len() == 36),
        "{:?}",
        token(&requests[0])
    );
    assert_eq!(token(&requests[0]), token(&requests[1]));
    let transport = Scripted::new(vec![(400, "Invalid", "{}")]);
    let err =
        block_on(client(&transport, Some("http://h")).put_thing().name("n").send()).unwrap_err();
    assert!(matches!(err.into_service_error(), PutThingError::Invalid(_)));
}

#[test]
fn nested_tokens_and_items_with_the_services_pagination_defaults() {
    let transport = Scripted::new(vec![
        (200, "", r#"{"page":{"things":["a","b"],"next":"c2"}}"#),
        (200, "", r#"{"page":{"things":[]  ,"next":"c3"}}"#),
        (200, "", r#"{"page":{"things":["c"]}}"#),
    ]);
    let client = client(&transport, Some("http://h"));
    let mut items = client.list_things().into_paginator().page_size(2).items().send();
    let mut all = Vec::new();
    while let Some(item) = block_on(items.next()) {
        all.push(item.unwrap());
    }
    assert_eq!(all, ["a", "b", "c"]);
    let queries: Vec<_> =
        transport.requests().iter().map(|r| r.uri().query().unwrap_or("").to_string()).collect();
    assert_eq!(queries, ["limit=2", "cursor=c2&limit=2", "cursor=c3&limit=2"]);
}

#[test]
fn map_items_are_key_value_pairs() {
    let transport = Scripted::new(vec![
        (200, "", r#"{"entries":{"b":2,"a":1},"token":"t2"}"#),
        (200, "", r#"{"entries":{"c":3}}"#),
    ]);
    let client = client(&transport, Some("http://h"));
    let mut items = client.list_entries().into_paginator().items().send();
    let mut all = Vec::new();
    while let Some(item) = block_on(items.next()) {
        all.push(item.unwrap());
    }
    assert_eq!(all, [("a".to_string(), 1), ("b".to_string(), 2), ("c".to_string(), 3)]);
    let bodies: Vec<_> =
        transport.requests().iter().map(|r| String::from_utf8(r.body().clone()).unwrap()).collect();
    assert_eq!(bodies, ["{}", r#"{"token":"t2"}"#]);
}

#[test]
fn names_that_collide_with_client_methods_get_suffixes() {
    let transport = Scripted::new(vec![]);
    let client = client(&transport, Some("http://h"));
    block_on(client.config_operation().send_value("x").send()).unwrap();
    assert_eq!(client.config().region(), Some(&Region::new("us-east-1")));
    assert_eq!(transport.requests()[0].body(), br#"{"send":"x"}"#);
}
