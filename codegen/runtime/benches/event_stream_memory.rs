//! Peak memory of a long output event stream read as it arrives: a loopback HTTP/1.1 server
//! sends `MIB` MiB of events (64 KiB payloads, chunked), the client reads them with hyper, turns
//! the body into a `ByteStream` and reads it with `EventStream::from_body`, one event at a time;
//! it prints the bytes received, the time and the peak resident set (`VmHWM`). Run by
//! `scripts/event-stream-memory.sh` (release build); not a test (no timing is asserted).
//!
//!   cargo bench -p smithy-runtime --bench event_stream_memory -- 2048

use std::time::Instant;

use http_body_util::Empty;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use smithy_runtime::byte_stream::ByteStream;
use smithy_runtime::error::DeserializeError;
use smithy_runtime::event_stream::{EventStream, Kind, Message, Unmarshalled};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PAYLOAD: usize = 64 * 1024;

/// An event is its payload's length; no exception.
fn unmarshal(
    message: &Message,
    _kind: Kind<'_>,
) -> Result<Unmarshalled<usize, ()>, DeserializeError> {
    Ok(Unmarshalled::Event(message.payload().len()))
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // The first number among the arguments (`cargo bench` adds `--bench`).
    let mib: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2048);
    let events = mib * 1024 * 1024 / PAYLOAD;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let frame = Message::event("chunk", Some("application/octet-stream"), vec![7; PAYLOAD])
            .encode()
            .unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut buf).await.unwrap();
                head.extend_from_slice(&buf[..n]);
            }
            let start = b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\ntransfer-encoding: chunked\r\n\r\n";
            socket.write_all(start).await.unwrap();
            let chunk_head = format!("{:x}\r\n", frame.len());
            for _ in 0..events {
                socket.write_all(chunk_head.as_bytes()).await.unwrap();
                socket.write_all(&frame).await.unwrap();
                socket.write_all(b"\r\n").await.unwrap();
            }
            socket.write_all(b"0\r\n\r\n").await.unwrap();
        });

        let before = peak_rss_kib();
        let started = Instant::now();
        let client = Client::builder(TokioExecutor::new()).build_http::<Empty<bytes::Bytes>>();
        let uri: http::Uri = format!("http://{address}/stream").parse().unwrap();
        let response = client.get(uri).await.unwrap();
        let body = ByteStream::from_body(response.into_body());
        let mut stream: EventStream<usize, ()> = EventStream::from_body(body, unmarshal);
        let (mut count, mut bytes) = (0usize, 0usize);
        while let Some(len) = stream.recv().await.unwrap() {
            count += 1;
            bytes += len;
        }
        let elapsed = started.elapsed();
        assert_eq!(count, events);
        println!(
            "events: {count}, payload bytes: {bytes} ({} MiB) in {:.1} s; peak RSS: {} KiB before reading, {} KiB after",
            bytes / (1024 * 1024),
            elapsed.as_secs_f64(),
            before.map_or("?".into(), |k| k.to_string()),
            peak_rss_kib().map_or("?".into(), |k| k.to_string()),
        );
    });
}
