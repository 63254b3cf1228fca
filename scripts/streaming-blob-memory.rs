//! Peak memory of a large `@streaming` blob download through a generated client (the crate of
//! `tests/models/synthetic/streaming_blobs.json`, its `Download` operation, the default hyper
//! transport): a loopback HTTP/1.1 server sends `MIB` MiB (64 KiB chunks, chunked encoding);
//! the client reads the body as it arrives (`stream`: `ByteStream::next`, nothing kept) or
//! whole (`whole`: `ByteStream::collect`, what reading the body into memory costs, as the
//! client did before bodies streamed). It prints the bytes received, the time and the peak
//! resident set (`VmHWM`) before and after. Built and run by `scripts/streaming-blob-memory.sh`.
//!
//!   streaming-blob-memory <MIB> <stream|whole>

use std::time::Instant;

use synthetic_blobs::client::{Client, Config, Credentials, HyperTransport, Region, TokioSleep};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHUNK: usize = 64 * 1024;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4096);
    let whole = args.next().as_deref() == Some("whole");
    let chunks = mib * 1024 * 1024 / CHUNK;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut buf).await.unwrap();
                head.extend_from_slice(&buf[..n]);
            }
            let start = b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n";
            socket.write_all(start).await.unwrap();
            let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat(7u8).take(CHUNK));
            chunk.extend_from_slice(b"\r\n");
            for _ in 0..chunks {
                socket.write_all(&chunk).await.unwrap();
            }
            socket.write_all(b"0\r\n\r\n").await.unwrap();
        });

        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials(Credentials::new("AKIDLOCAL", "local-secret", None, None, "local"))
            .endpoint_url(format!("http://{address}"))
            .transport(HyperTransport::new().unwrap())
            .sleep_impl(TokioSleep::new())
            .build();
        let client = Client::from_conf(config);
        let before = peak_rss_kib();
        let started = Instant::now();
        let mut output = client.download().key("large").send().await.unwrap();
        let bytes = if whole {
            output.body.collect().await.unwrap().len()
        } else {
            let mut bytes = 0;
            while let Some(chunk) = output.body.next().await {
                bytes += chunk.unwrap().len();
            }
            bytes
        };
        let elapsed = started.elapsed();
        assert_eq!(bytes, chunks * CHUNK);
        println!(
            "{}: {} MiB in {:.1} s; peak RSS: {} KiB before the download, {} KiB after",
            if whole { "read whole" } else { "read as it arrives" },
            bytes / (1024 * 1024),
            elapsed.as_secs_f64(),
            before.map_or("?".into(), |k| k.to_string()),
            peak_rss_kib().map_or("?".into(), |k| k.to_string()),
        );
    });
}
