//! The generated client's timeouts, retry modes and per-call `customize()` against local
//! loopback servers that stall or fail on purpose, through the default hyper transport and
//! tokio's timer (nothing simulated): connect timeout (a listener whose accept queue is full,
//! so connections hang in the handshake), read timeout (a server that reads the request and
//! never answers), attempt and operation timeouts (a server slower than the limits, retries
//! counted on the server), standard retries of 500s, adaptive mode's client-side rate limiting
//! after a throttling error (the retry waits for a token, where standard mode does not), and
//! `customize()` overriding retries, timeouts and the endpoint for one call and changing the
//! request before it is signed.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chime_sdk_meetings::client::{
    Client, Config, Credentials, Region, RetryConfig, SdkError, TimeoutConfig, TimeoutKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the server does with the n-th request.
#[derive(Clone, Copy, Debug)]
enum Act {
    /// Answers with this status (an error type header for errors; a meeting for a 200).
    Reply(u16),
    /// Answers with a 200 after this long.
    Late(Duration),
    /// Keeps the connection open and never answers.
    Stall,
}

const MEETING: &str = r#"{"Meeting":{"MeetingId":"m-1","MediaRegion":"us-east-1"}}"#;

/// What a server received: when each request had arrived whole, and its request line and
/// headers, in order.
type Seen = Arc<Mutex<Vec<(Instant, String)>>>;

/// A loopback HTTP/1.1 server acting out `script` (its last act repeats), one request per
/// connection; returns its URL and what it received.
async fn server(script: Vec<Act>) -> (String, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut socket, _)) = listener.accept().await {
            let act = script[n.min(script.len() - 1)];
            n += 1;
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match socket.read(&mut byte).await {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let length = head
                    .lines()
                    .find_map(|l| {
                        let l = l.to_ascii_lowercase();
                        l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0usize);
                let mut body = vec![0u8; length];
                if socket.read_exact(&mut body).await.is_err() {
                    return;
                }
                log.lock().unwrap().push((Instant::now(), head));
                let (status, extra, body) = match act {
                    Act::Stall => {
                        // Hold the connection until the client gives up.
                        let _ = socket.read(&mut byte).await;
                        return;
                    }
                    Act::Late(delay) => {
                        tokio::time::sleep(delay).await;
                        (200, "", MEETING)
                    }
                    Act::Reply(200) => (200, "", MEETING),
                    Act::Reply(429) => (
                        429,
                        "x-amzn-errortype: ThrottlingException\r\n",
                        r#"{"Message":"slow down"}"#,
                    ),
                    Act::Reply(status) => (
                        status,
                        "x-amzn-errortype: ServiceFailureException\r\n",
                        r#"{"Message":"failed"}"#,
                    ),
                };
                let reply = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, seen)
}

/// Fast retries (tiny backoff) unless `retry` says otherwise.
fn client(url: &str, retry: RetryConfig, timeouts: TimeoutConfig) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(url)
        .retry_config(retry)
        .timeout_config(timeouts)
        .build();
    Client::from_conf(config)
}

fn fast_retries(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn count(seen: &Seen) -> usize {
    seen.lock().unwrap().len()
}

#[tokio::test]
async fn the_connect_timeout_ends_a_hanging_handshake() {
    // A listener that never accepts, its queue filled: further handshakes get no answer.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    let filled = loop {
        match tokio::time::timeout(Duration::from_millis(200), tokio::net::TcpStream::connect(addr))
            .await
        {
            Ok(Ok(stream)) if held.len() < 16 => held.push(stream),
            Ok(_) => break false,
            Err(_) => break true,
        }
    };
    assert!(filled, "the accept queue never filled");
    let timeouts = TimeoutConfig::builder().connect_timeout(Duration::from_millis(300)).build();
    let client = client(&format!("http://{addr}"), RetryConfig::disabled(), timeouts);
    let start = Instant::now();
    let err = client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    let elapsed = start.elapsed();
    let SdkError::DispatchFailure(failure) = &err else { panic!("{err:?}") };
    assert!(failure.is_timeout(), "{failure:?}");
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(2500),
        "the connect timeout, not the default: {elapsed:?}"
    );
    drop(listener);
}

#[tokio::test]
async fn the_read_timeout_ends_a_stalled_response_and_is_retried() {
    let (url, seen) = server(vec![Act::Stall]).await;
    let timeouts = TimeoutConfig::builder().read_timeout(Duration::from_millis(200)).build();
    let client = client(&url, fast_retries(2), timeouts);
    let start = Instant::now();
    let err = client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    let elapsed = start.elapsed();
    let SdkError::DispatchFailure(failure) = &err else { panic!("{err:?}") };
    assert!(failure.is_timeout(), "{failure:?}");
    assert_eq!(count(&seen), 2, "a timeout is retried");
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn the_attempt_timeout_retries_a_slow_attempt_and_reports_the_last() {
    // Slow, slow, then in time.
    let slow = Act::Late(Duration::from_millis(800));
    let (url, seen) = server(vec![slow, slow, Act::Reply(200)]).await;
    let timeouts =
        TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(200)).build();
    let out = client(&url, fast_retries(3), timeouts.clone())
        .get_meeting()
        .meeting_id("m-1")
        .send()
        .await
        .expect("the third attempt is in time");
    assert_eq!(out.meeting().and_then(|m| m.meeting_id()), Some("m-1"));
    assert_eq!(count(&seen), 3);

    // Always slow: the last attempt's timeout is the error.
    let (url, seen) = server(vec![slow]).await;
    let err = client(&url, fast_retries(2), timeouts)
        .get_meeting()
        .meeting_id("m-1")
        .send()
        .await
        .unwrap_err();
    let SdkError::TimeoutError(timeout) = &err else { panic!("{err:?}") };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(count(&seen), 2);
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call_retries_included() {
    let (url, seen) = server(vec![Act::Late(Duration::from_millis(300))]).await;
    let timeouts = TimeoutConfig::builder()
        .operation_attempt_timeout(Duration::from_millis(100))
        .operation_timeout(Duration::from_millis(350))
        .build();
    let start = Instant::now();
    let err = client(&url, fast_retries(10), timeouts)
        .get_meeting()
        .meeting_id("m-1")
        .send()
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    let SdkError::TimeoutError(timeout) = &err else { panic!("{err:?}") };
    assert_eq!(timeout.kind(), TimeoutKind::Operation);
    assert!(
        elapsed >= Duration::from_millis(330) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    let attempts = count(&seen);
    assert!((2..10).contains(&attempts), "attempts within the operation timeout: {attempts}");
}

#[tokio::test]
async fn standard_retries_get_past_server_errors_up_to_max_attempts() {
    let (url, seen) = server(vec![Act::Reply(500), Act::Reply(503), Act::Reply(200)]).await;
    let out = client(&url, fast_retries(3), TimeoutConfig::disabled())
        .get_meeting()
        .meeting_id("m-1")
        .send()
        .await
        .expect("the third attempt succeeds");
    assert!(out.meeting().is_some());
    assert_eq!(count(&seen), 3);

    let (url, seen) = server(vec![Act::Reply(500)]).await;
    let err = client(&url, fast_retries(3), TimeoutConfig::disabled())
        .get_meeting()
        .meeting_id("m-1")
        .send()
        .await
        .unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_service_failure_exception()), "{err:?}");
    assert_eq!(count(&seen), 3);
}

/// The gap between the arrivals of the last two requests a server received.
fn last_gap(seen: &Seen) -> Duration {
    let seen = seen.lock().unwrap();
    let [.., (before, _), (last, _)] = &seen[..] else { panic!("fewer than two requests") };
    last.duration_since(*before)
}

#[tokio::test]
async fn adaptive_mode_waits_for_a_token_after_throttling() {
    // Throttled twice, then fine. Standard mode retries after its (tiny) backoff.
    let script = vec![Act::Reply(429), Act::Reply(429), Act::Reply(200)];
    let (url, seen) = server(script.clone()).await;
    client(&url, fast_retries(3), TimeoutConfig::disabled())
        .get_meeting()
        .meeting_id("m-1")
        .send()
        .await
        .expect("standard: retried");
    assert_eq!(count(&seen), 3);
    let standard = last_gap(&seen);

    // Adaptive mode: the first throttle turns the client-side rate limiter on, at a rate of at
    // most 1.12 tokens per second (70 % of the send rate measured so far, 1.6 at most after
    // one response); the second cuts it to at most 0.784 (70 % of the lower of the two), and
    // the bucket, emptied by the second attempt, refills at that rate: the third attempt
    // arrives at least 1 / 0.784 = 1.28 s after the second, however loaded the machine is
    // (the time before the first throttle, which fills the bucket, is not in it).
    let (url, seen) = server(script).await;
    let adaptive = fast_retries(3).with_retry_mode(chime_sdk_meetings::client::RetryMode::Adaptive);
    client(&url, adaptive, TimeoutConfig::disabled())
        .get_meeting()
        .meeting_id("m-1")
        .send()
        .await
        .expect("adaptive: retried");
    assert_eq!(count(&seen), 3);
    let limited = last_gap(&seen);
    // Lower bounds only, so that a loaded machine cannot fail it.
    assert!(limited >= Duration::from_millis(1200), "the retry waited for a token: {limited:?}");
    assert!(limited > standard, "{limited:?} against {standard:?}");
}

#[tokio::test]
async fn customize_overrides_retries_timeouts_and_endpoint_for_one_call() {
    let (failing, seen) = server(vec![Act::Reply(500)]).await;
    let client = client(&failing, fast_retries(3), TimeoutConfig::disabled());

    // Retries: one attempt for this call only; the client's three for the next.
    client
        .get_meeting()
        .meeting_id("m-1")
        .customize()
        .config_override(Config::builder().retry_config(RetryConfig::disabled()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(count(&seen), 1);
    client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    assert_eq!(count(&seen), 4);

    // Timeouts: an operation timeout for this call against a server that stalls.
    let (stalling, stalled) = server(vec![Act::Stall]).await;
    let stall_client = self::client(&stalling, fast_retries(3), TimeoutConfig::disabled());
    let err = stall_client
        .get_meeting()
        .meeting_id("m-1")
        .customize()
        .config_override(Config::builder().timeout_config(
            TimeoutConfig::builder().operation_timeout(Duration::from_millis(200)).build(),
        ))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::TimeoutError(t) if t.kind() == TimeoutKind::Operation),
        "{err:?}"
    );
    assert_eq!(count(&stalled), 1);

    // Endpoint: this call goes to a healthy server, with a header added before signing.
    let (healthy, answered) = server(vec![Act::Reply(200)]).await;
    let out = client
        .get_meeting()
        .meeting_id("m-1")
        .customize()
        .config_override(Config::builder().endpoint_url(healthy.as_str()))
        .mutate_request(|request| {
            request.headers_mut().insert("x-trace", http::HeaderValue::from_static("call-7"));
        })
        .send()
        .await
        .expect("the overriding endpoint answers");
    assert!(out.meeting().is_some());
    let head = answered.lock().unwrap()[0].1.to_ascii_lowercase();
    assert!(head.starts_with("get /meetings/m-1 "), "{head}");
    assert!(head.contains("x-trace: call-7"), "{head}");
    let signed = head.lines().find(|l| l.starts_with("authorization:")).unwrap_or_default();
    assert!(signed.contains("x-trace"), "the added header is signed: {signed}");
    assert_eq!(count(&seen), 4, "the client's own endpoint was not asked");
    // The client keeps its own endpoint (resolved once, by its first call) for the next call.
    client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    assert_eq!(count(&seen), 7);
    assert_eq!(answered.lock().unwrap().len(), 1);
}
