//! The local server under unauthenticated abuse, over real loopback TCP: held bodies,
//! slowloris heads, idle connections over the cap, file descriptors running out, huge
//! collections, replayed bodies, oversized values echoed back. Each attack is bounded in
//! connections (at most a few hundred, far below `ulimit -n`) and in time (a few seconds).
//!
//! The memory and CPU figures are those of a server in a process of its own: this test binary
//! run again as [`server_process`], its `VmRSS`/`VmHWM` and CPU time read from `/proc`.

use std::io::{BufRead, BufReader, Lines};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use chime_local_server::http::{Limits, Options, Server};
use chime_local_server::{InMemoryChime, Verify};
use chime_sdk_meetings::client::{Client, Config, Credentials, Region, RetryConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const KEY: &str = "AKIDLOCALABUSE";
const SECRET: &str = "abuse/secret";
const MIB: u64 = 1024 * 1024;

fn verify() -> Verify {
    Verify::Key { access_key_id: KEY.into(), secret_access_key: SECRET.into() }
}

fn options(verify: Verify, limits: Limits) -> Options {
    Options { limits, ..chime_local_server::options(verify) }
}

async fn start(verify: Verify, limits: Limits) -> (Server, InMemoryChime) {
    let service = InMemoryChime::default();
    let server = chime_local_server::http::bind(
        "127.0.0.1:0".parse().unwrap(),
        options(verify, limits),
        chime_local_server::handler(service.clone()),
    )
    .await
    .unwrap();
    (server, service)
}

fn client(endpoint: &str) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials(Credentials::new(KEY, SECRET, None, None, "test"))
        .retry_config(RetryConfig::standard())
        .build();
    Client::new(config)
}

/// An `Authorization` header of the right form for any-key mode, or for a key the server does
/// not know: what an attacker can write without the secret.
fn forged_headers() -> String {
    format!(
        "x-amz-date: 20260301T000000Z\r\nauthorization: AWS4-HMAC-SHA256 Credential=AKIDATTACKER/20260301/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\n",
        "0".repeat(64)
    )
}

/// Sends `head` (and `body`) on a new connection with `Connection: close`; the status and body
/// of the answer.
async fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut request = format!(
        "{head}host: {addr}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    parse_response(&response)
}

fn parse_response(response: &[u8]) -> (u16, Vec<u8>) {
    let text = String::from_utf8_lossy(response);
    assert!(
        text.starts_with("HTTP/1.1 "),
        "not an HTTP response: {:?}",
        &text[..text.len().min(200)]
    );
    let status = text[9..12].parse().unwrap();
    let split =
        response.windows(4).position(|w| w == b"\r\n\r\n").map_or(response.len(), |i| i + 4);
    (status, response[split..].to_vec())
}

/// Reads until the peer closes the connection (or resets it): true if it did within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut sink = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut sink)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The server in a process of its own
// ---------------------------------------------------------------------------------------------

/// The server of the process-level tests: this binary, run again by [`ServerProcess::start`]
/// with `CHIME_ABUSE_SERVER` set, serves with the limits given there until killed. Run without
/// it (`--ignored`), it returns at once.
#[test]
#[ignore = "the server process the other tests start; not a test of its own"]
fn server_process() {
    let Ok(config) = std::env::var("CHIME_ABUSE_SERVER") else { return };
    let mut limits = Limits::default();
    let mut verify = Verify::AnyKey;
    for setting in config.split(',') {
        let (key, value) = setting.split_once('=').unwrap();
        let n: u64 = value.parse().unwrap_or(0);
        match key {
            "verify" if value == "key" => verify = self::verify(),
            "verify" => {}
            "max_connections" => limits.max_connections = n as usize,
            "max_body_bytes" => limits.max_body_bytes = n as usize,
            "body_budget_bytes" => limits.body_budget_bytes = n as usize,
            "body_read_timeout_ms" => limits.body_read_timeout = Duration::from_millis(n),
            "idle_timeout_ms" => limits.idle_timeout = Duration::from_millis(n),
            other => panic!("unknown setting {other}"),
        }
    }
    let result = chime_local_server::serve_blocking(
        "127.0.0.1:0".parse().unwrap(),
        options(verify, limits),
        |addr| {
            println!("listening on {addr}");
        },
    );
    panic!("the server stopped: {result:?}");
}

/// A server process, killed when dropped.
struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    /// Its standard output, kept open (the process must not write to a closed pipe).
    _stdout: Lines<BufReader<ChildStdout>>,
}

impl ServerProcess {
    fn start(config: &str) -> ServerProcess {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["server_process", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env("CHIME_ABUSE_SERVER", config)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines.next().expect("the server process printed its address").unwrap();
            // (After libtest's `test server_process ... `.)
            if let Some((_, addr)) = line.split_once("listening on ") {
                break addr.trim().parse().unwrap();
            }
        };
        ServerProcess { child, addr, _stdout: lines }
    }

    fn status(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with(field)).unwrap();
        let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kib * 1024
    }

    /// Resident memory now, in bytes.
    fn rss(&self) -> u64 {
        self.status("VmRSS:")
    }

    /// The peak of resident memory so far, in bytes.
    fn peak_rss(&self) -> u64 {
        self.status("VmHWM:")
    }

    /// User and system CPU time so far.
    fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of the line, counted from the pid; after the
        // command name, 12 and 13 (from 1). Clock ticks: 100 per second on Linux.
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        Duration::from_millis(ticks * 10)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB as f64
}

// ---------------------------------------------------------------------------------------------
// Held bodies
// ---------------------------------------------------------------------------------------------

/// Connections that send a request head and then hold its body, unauthenticated: each is
/// answered 403 at once, without the server waiting for (or reading) the body, and the
/// server's memory does not grow with the bodies sent.
#[test]
fn held_bodies_without_credentials_are_refused_unread() {
    let server = ServerProcess::start("verify=key");
    let addr = server.addr;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let baseline = server.rss();
    let attackers = 150;
    let started = Instant::now();
    let refused = runtime.block_on(async move {
        let mut tasks = Vec::new();
        for i in 0..attackers {
            tasks.push(tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                // Without credentials, or with a forged signature for an unknown key.
                let auth = if i % 2 == 0 { String::new() } else { forged_headers() };
                let head = format!(
                    "POST /meetings HTTP/1.1\r\nhost: {addr}\r\n{auth}content-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    MIB - 1
                );
                stream.write_all(head.as_bytes()).await.unwrap();
                // The answer comes before any of the body is sent.
                let mut answer = [0u8; 12];
                tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut answer))
                    .await
                    .expect("answered before the body was sent")
                    .unwrap();
                // Then send what the kernel takes of the body, and hold the connection.
                let chunk = vec![b'x'; 64 * 1024];
                for _ in 0..15 {
                    if tokio::time::timeout(Duration::from_millis(200), stream.write_all(&chunk)).await.map_or(true, |r| r.is_err()) {
                        break;
                    }
                }
                (String::from_utf8_lossy(&answer).into_owned(), stream)
            }));
        }
        let mut held = Vec::new();
        for task in tasks {
            let (answer, stream) = task.await.unwrap();
            assert_eq!(answer, "HTTP/1.1 403", "every unauthenticated request is refused");
            held.push(stream);
        }
        held.len()
    });
    let elapsed = started.elapsed();
    let peak = server.peak_rss();
    eprintln!(
        "{refused} held bodies refused in {elapsed:?}; server RSS {:.1} MiB before, peak {:.1} MiB",
        mib(baseline),
        mib(peak)
    );
    assert_eq!(refused, attackers);
    // 150 connections holding up to 1 MiB each: had the bodies been buffered, 150 MiB.
    assert!(peak < baseline + 24 * MIB, "peak {:.1} MiB from {:.1} MiB", mib(peak), mib(baseline));
}

/// Well-formed requests (any-key mode takes any key) that send most of a 1 MiB body and hold
/// the rest, more of them than the connection cap (64 here): the bodies held at once stay
/// within the budget (8 MiB here), the server's memory with it; each is cut off at the body
/// timeout, or its connection closed to make room for newer ones; a request without a body is
/// answered meanwhile; and memory is returned once the connections are gone (RSS does not stay at the
/// peak).
#[test]
fn held_signed_bodies_stay_within_the_budget_and_time_out() {
    let server = ServerProcess::start(&format!(
        "verify=any,max_connections=64,max_body_bytes={},body_budget_bytes={},body_read_timeout_ms=2500",
        MIB,
        8 * MIB
    ));
    let addr = server.addr;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let baseline = server.rss();
    let attackers = 120;
    let (statuses, valid_latency) = runtime.block_on(async move {
        let mut tasks = Vec::new();
        for _ in 0..attackers {
            tasks.push(tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                let head = format!(
                    "POST /meetings HTTP/1.1\r\nhost: {addr}\r\n{}content-type: application/json\r\ncontent-length: {MIB}\r\n\r\n",
                    forged_headers()
                );
                stream.write_all(head.as_bytes()).await.unwrap();
                let (mut reader, mut writer) = stream.into_split();
                // Send all but the last byte (as far as the server takes it), then hold.
                let sender = tokio::spawn(async move {
                    let chunk = vec![b' '; 64 * 1024];
                    let mut sent = 0u64;
                    while sent + (chunk.len() as u64) < MIB {
                        if writer.write_all(&chunk).await.is_err() {
                            break;
                        }
                        sent += chunk.len() as u64;
                    }
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    drop(writer);
                });
                let mut response = Vec::new();
                let read = tokio::time::timeout(Duration::from_secs(8), reader.read_to_end(&mut response)).await;
                sender.abort();
                assert!(read.is_ok(), "the server ended the held request within its body timeout");
                // Closed unanswered: evicted to make room.
                (!response.is_empty()).then(|| parse_response(&response).0)
            }));
        }
        // Meanwhile, a request without a body is answered.
        tokio::time::sleep(Duration::from_millis(800)).await;
        let asked = Instant::now();
        let (status, _) = exchange(
            addr,
            &format!("GET /meetings/11111111-2222-4333-8444-555555555555 HTTP/1.1\r\n{}", forged_headers()),
            b"",
        )
        .await;
        let valid_latency = asked.elapsed();
        assert_eq!(status, 404, "a GetMeeting for an unknown meeting");
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        (statuses, valid_latency)
    });
    let peak = server.peak_rss();
    // The connections are closed: the memory goes back (the lowest of a few samples: freeing
    // takes a moment).
    let after = (0..15)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(100));
            server.rss()
        })
        .min()
        .unwrap();
    let timed_out = statuses.iter().filter(|s| **s == Some(408)).count();
    let over_budget = statuses.iter().filter(|s| **s == Some(503)).count();
    let evicted = statuses.iter().filter(|s| s.is_none()).count();
    eprintln!(
        "{attackers} held signed bodies: {timed_out} timed out (408), {over_budget} over the budget (503), {evicted} closed to make room; server RSS {:.1} MiB before, peak {:.1} MiB, {:.1} MiB after; a GetMeeting meanwhile took {valid_latency:?}",
        mib(baseline),
        mib(peak),
        mib(after)
    );
    assert_eq!(timed_out + over_budget + evicted, attackers, "{statuses:?}");
    // Over the cap of 64, older held connections were closed for newer ones.
    assert!(evicted >= attackers / 4, "{statuses:?}");
    assert!(valid_latency < Duration::from_secs(2), "{valid_latency:?}");
    // 120 MiB sent; the budget is 8 MiB (hyper's read buffers come on top).
    assert!(peak < baseline + 40 * MIB, "peak {:.1} MiB from {:.1} MiB", mib(peak), mib(baseline));
    // Not all of it: the allocator keeps some of what it had (glibc's arenas, about half).
    assert!(
        after < peak - (peak - baseline) / 4,
        "RSS {:.1} MiB after, peak {:.1} MiB, from {:.1} MiB",
        mib(after),
        mib(peak),
        mib(baseline)
    );
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

/// Slowloris (a head trickled a byte at a time) is closed at the header timeout; a connection
/// that sends nothing at the idle timeout (not before: the two are separate); a body shorter
/// than its `Content-Length` gets a 408 at the body timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_heads_idle_connections_and_short_bodies_time_out() {
    let limits = Limits {
        header_read_timeout: Duration::from_millis(1000),
        idle_timeout: Duration::from_millis(3000),
        body_read_timeout: Duration::from_millis(1000),
        ..Limits::default()
    };
    let (server, _) = start(Verify::AnyKey, limits).await;
    let addr = server.local_addr();
    let started = tokio::time::Instant::now();

    let mut slowloris = Vec::new();
    for _ in 0..100 {
        slowloris.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let head = b"POST /meetings HTTP/1.1\r\nhost: 127.0.0.1\r\nx-padding: ";
            for byte in head.iter().chain(std::iter::repeat(&b'a')) {
                if stream.write_all(&[*byte]).await.is_err() {
                    break;
                }
                let mut sink = [0u8; 256];
                match tokio::time::timeout(Duration::from_millis(100), stream.read(&mut sink)).await
                {
                    Ok(Ok(0)) | Ok(Err(_)) => break,
                    _ => {}
                }
                if started.elapsed() > Duration::from_secs(6) {
                    return None;
                }
            }
            Some(started.elapsed())
        }));
    }
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let short_body = tokio::spawn(async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /meetings HTTP/1.1\r\nhost: {addr}\r\n{}content-type: application/json\r\ncontent-length: 1000\r\n\r\n{{\"Media",
            forged_headers()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response))
            .await
            .unwrap()
            .unwrap();
        (parse_response(&response).0, started.elapsed())
    });

    for task in slowloris {
        let closed = task.await.unwrap().expect("the slowloris connection was closed");
        assert!(closed >= Duration::from_millis(900), "closed early: {closed:?}");
        assert!(closed < Duration::from_millis(2500), "closed late: {closed:?}");
    }
    let (status, at) = short_body.await.unwrap();
    assert_eq!(status, 408);
    assert!(at < Duration::from_millis(2500), "{at:?}");
    // At 2 s the idle connections are still open (their timeout is 3 s, not the head's 1 s)...
    tokio::time::sleep_until(started + Duration::from_secs(2)).await;
    for stream in &mut idle {
        assert!(
            !closed_within(stream, Duration::from_millis(1)).await,
            "closed before its idle timeout"
        );
    }
    // ...and closed by 4.5 s.
    for stream in &mut idle {
        let left = (started + Duration::from_millis(4500))
            .saturating_duration_since(tokio::time::Instant::now());
        assert!(closed_within(stream, left).await, "an idle connection outlived its timeout");
    }
    // (The server forgets a connection just after closing it.)
    let mut open = server.open_connections();
    for _ in 0..50 {
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        open = server.open_connections();
    }
    assert_eq!(open, 0);
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// Connection cap
// ---------------------------------------------------------------------------------------------

/// Idle connections far over the cap: the server never holds more than the cap (the oldest
/// idle one is closed to make room), and signed requests keep working, each answered quickly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_over_the_cap_do_not_lock_clients_out() {
    let cap = 16;
    let limits = Limits { max_connections: cap, ..Limits::default() };
    let (server, service) = start(verify(), limits).await;
    let addr = server.local_addr();
    let c = client(&server.endpoint_url());
    let mut idle = Vec::new();
    let mut slowest = Duration::ZERO;
    for round in 0..10 {
        for _ in 0..30 {
            idle.push(TcpStream::connect(addr).await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(server.open_connections() <= cap, "{} open", server.open_connections());
        let asked = Instant::now();
        c.create_meeting()
            .media_region("us-east-1")
            .external_meeting_id(format!("round-{round}"))
            .send()
            .await
            .unwrap();
        slowest = slowest.max(asked.elapsed());
    }
    let mut closed = 0;
    for stream in &mut idle {
        if closed_within(stream, Duration::from_millis(20)).await {
            closed += 1;
        }
    }
    eprintln!("{} idle connections, {closed} closed by the server; the slowest valid request took {slowest:?}", idle.len());
    assert!(closed >= idle.len() - cap, "{closed} of {} closed", idle.len());
    assert!(slowest < Duration::from_secs(2), "{slowest:?}");
    assert_eq!(service.meeting_count(), 10);
    server.shutdown().await;
}

/// With too few file descriptors for its connections (`prlimit`), the server neither spins on
/// the accept error nor stops answering: it closes its oldest idle connection, backs off, and
/// a request still gets through.
#[test]
fn out_of_file_descriptors_does_not_spin() {
    let server = ServerProcess::start("verify=any,max_connections=100000");
    let status = Command::new("prlimit")
        .args([format!("--pid={}", server.child.id()), "--nofile=64:64".to_owned()])
        .status()
        .expect("prlimit (util-linux) runs");
    assert!(status.success());
    let addr = server.addr;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        let mut idle = Vec::new();
        for _ in 0..150 {
            idle.push(TcpStream::connect(addr).await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let cpu_before = server.cpu();
        let window = Instant::now();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let cpu = server.cpu() - cpu_before;
        let window = window.elapsed();
        let asked = Instant::now();
        let (status, _) = tokio::time::timeout(
            Duration::from_secs(5),
            exchange(
                addr,
                &format!(
                    "GET /meetings/11111111-2222-4333-8444-555555555555 HTTP/1.1\r\n{}",
                    forged_headers()
                ),
                b"",
            ),
        )
        .await
        .expect("a request gets through");
        let latency = asked.elapsed();
        eprintln!(
            "out of file descriptors: {cpu:?} of CPU in {window:?}; a request took {latency:?}"
        );
        assert_eq!(status, 404);
        assert!(cpu < window / 4, "{cpu:?} of CPU in {window:?}");
        assert!(latency < Duration::from_secs(2), "{latency:?}");
        drop(idle);
    });
}

// ---------------------------------------------------------------------------------------------
// Costly inputs
// ---------------------------------------------------------------------------------------------

/// A list the model limits to 5 sent with 300,000 elements is refused at once (one violation,
/// a small response); a request with 400 violations lists the first 100 and counts the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_collections_and_many_violations_cost_little() {
    let (server, service) = start(Verify::AnyKey, Limits::default()).await;
    let addr = server.local_addr();
    let tenants = vec!["\"\""; 300_000].join(",");
    let body = format!(
        r#"{{"ClientRequestToken":"t","MediaRegion":"us-east-1","ExternalMeetingId":"huge","TenantIds":[{tenants}]}}"#
    );
    assert!(body.len() < 1024 * 1024);
    let asked = Instant::now();
    let (status, response) = exchange(
        addr,
        &format!(
            "POST /meetings HTTP/1.1\r\n{}content-type: application/json\r\n",
            forged_headers()
        ),
        body.as_bytes(),
    )
    .await;
    let took = asked.elapsed();
    eprintln!("300,000 TenantIds: {status} in {took:?}, {} bytes", response.len());
    assert_eq!(status, 400);
    let doc: serde_json::Value = serde_json::from_slice(&response).unwrap();
    assert_eq!(doc["fieldList"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["fieldList"][0]["path"], "/TenantIds");
    assert!(
        doc["message"].as_str().unwrap().contains("Value with length 300000 at '/TenantIds'"),
        "{doc}"
    );
    assert!(response.len() < 1024, "{} bytes", response.len());
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(service.meeting_count(), 0);

    // 100 attendees, each with 4 violations.
    let attendee =
        r#"{"ExternalUserId":"x","Capabilities":{"Audio":"Bad","Video":"Bad","Content":"Bad"}}"#;
    let body = format!(r#"{{"Attendees":[{}]}}"#, vec![attendee; 100].join(","));
    let (status, response) = exchange(
        addr,
        &format!(
            "POST /meetings/11111111-2222-4333-8444-555555555555/attendees?operation=batch-create HTTP/1.1\r\n{}content-type: application/json\r\n",
            forged_headers()
        ),
        body.as_bytes(),
    )
    .await;
    assert_eq!(status, 400);
    let doc: serde_json::Value = serde_json::from_slice(&response).unwrap();
    assert_eq!(doc["fieldList"].as_array().unwrap().len(), 100, "{doc}");
    let message = doc["message"].as_str().unwrap();
    assert!(message.starts_with("400 validation errors detected. "), "{message}");
    // The message lists what fits in 8192 characters and counts the rest.
    let listed = message.matches("failed to satisfy constraint").count();
    assert!((10..100).contains(&listed), "{listed} listed");
    assert!(message.ends_with(&format!("; and {} more", 400 - listed)), "{message}");
    assert!(message.len() <= 8192, "{} bytes", message.len());
    assert!(response.len() < 64 * 1024, "{} bytes", response.len());
    server.shutdown().await;
}

/// Values a client sent come back cut to 100 characters: a 60 KB `Authorization` header in a
/// 403, a 60 KB query value in a 400. An unreadable body is called the request body.
#[tokio::test]
async fn refusals_echo_at_most_100_characters() {
    let (server, _) = start(verify(), Limits::default()).await;
    let addr = server.local_addr();
    let huge = "A".repeat(60_000);
    let (status, body) = exchange(
        addr,
        &format!("GET /meetings HTTP/1.1\r\nx-amz-date: 20260301T000000Z\r\nauthorization: AWS4-HMAC-SHA256 Credential={huge}, SignedHeaders=host, Signature=0\r\n"),
        b"",
    )
    .await;
    assert_eq!(status, 403);
    let message = String::from_utf8_lossy(&body).into_owned();
    assert!(message.contains(&format!("{}…", "A".repeat(100))), "{message}");
    assert!(body.len() < 512, "{} bytes: {message}", body.len());
    server.shutdown().await;

    let (server, _) = start(Verify::AnyKey, Limits::default()).await;
    let addr = server.local_addr();
    let digits = "9".repeat(60_000);
    let (status, body) = exchange(
        addr,
        &format!(
            "GET /meetings/11111111-2222-4333-8444-555555555555/attendees?max-results={digits} HTTP/1.1\r\n{}",
            forged_headers()
        ),
        b"",
    )
    .await;
    let message = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(status, 400, "{message}");
    assert!(message.contains(&format!("{}…", "9".repeat(100))), "{message}");
    assert!(body.len() < 512, "{} bytes: {message}", body.len());

    let (status, body) = exchange(
        addr,
        &format!(
            "POST /meetings HTTP/1.1\r\n{}content-type: application/json\r\n",
            forged_headers()
        ),
        b"{\"MediaRegion\":",
    )
    .await;
    let message = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("the request body is not valid JSON"), "{message}");
    assert!(!message.contains("response"), "{message}");
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// Replays
// ---------------------------------------------------------------------------------------------

/// A CreateMeeting request signed with the server's key (aws-sigv4), over raw TCP: `payload`
/// says how the body is signed; the request is sent with `sent` as its body.
async fn signed_create_meeting(
    addr: SocketAddr,
    signed_body: &[u8],
    unsigned_payload: bool,
    sent: &[u8],
) -> (u16, String) {
    use aws_sigv4::http_request::{
        sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
    };
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    let identity = aws_credential_types::Credentials::new(KEY, SECRET, None, None, "abuse").into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("chime")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = addr.to_string();
    let uri = format!("http://{host}/meetings");
    let body = if unsigned_payload {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(signed_body)
    };
    let headers = [("host", host.as_str()), ("content-type", "application/json")];
    let signable = SignableRequest::new("POST", &uri, headers.into_iter(), body).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = http::Request::builder()
        .method("POST")
        .uri(&uri)
        .header("content-type", "application/json")
        .body(())
        .unwrap();
    instructions.apply_to_request_http1x(&mut request);
    let mut head = String::from("POST /meetings HTTP/1.1\r\n");
    for (name, value) in request.headers() {
        if name != "host" {
            head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
        }
    }
    let (status, body) = exchange(addr, &head, sent).await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A captured signed request replayed with another body is refused: with `UNSIGNED-PAYLOAD`
/// (no Chime operation allows it) and with the signed payload hash; the request as signed works.
#[tokio::test]
async fn replayed_bodies_are_refused() {
    let (server, service) = start(verify(), Limits::default()).await;
    let addr = server.local_addr();
    let legit = br#"{"ClientRequestToken":"legit-1","MediaRegion":"us-east-1","ExternalMeetingId":"legit"}"#;
    let attacker = br#"{"ClientRequestToken":"evil-1","MediaRegion":"us-east-1","ExternalMeetingId":"attacker-chosen"}"#;

    let (status, body) = signed_create_meeting(addr, legit, true, attacker).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("UNSIGNED-PAYLOAD"), "{body}");
    let (status, body) = signed_create_meeting(addr, legit, true, legit).await;
    assert_eq!(status, 403, "even with the body it was made for: {body}");

    let (status, body) = signed_create_meeting(addr, legit, false, attacker).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("SHA-256"), "{body}");
    assert_eq!(service.meeting_count(), 0);

    let (status, body) = signed_create_meeting(addr, legit, false, legit).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(service.meeting_count(), 1);
    assert!(body.contains("\"ExternalMeetingId\":\"legit\""), "{body}");
    server.shutdown().await;
}
