//! Peak memory of the generated streaming router (issue 11, the server side): a `@streaming`
//! blob of MIB MiB downloaded from it, or uploaded to it, over loopback HTTP/1.1 (hyper on both
//! ends, in this one process), 64 KiB chunks made as they are sent. Built and run by
//! `scripts/server-stream-memory.sh` against the crate of `tests/models/synthetic/chat.json`.
//! Prints the bytes moved, the time and the peak resident set (`VmHWM`, Linux) of the process,
//! server and client together.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use hyper_util::rt::TokioIo;
use synthetic_chat::byte_stream::ByteStream;
use synthetic_chat::operation::converse::{ConverseError, ConverseInput, ConverseOutput};
use synthetic_chat::operation::download::{DownloadError, DownloadInput, DownloadOutput};
use synthetic_chat::operation::upload::{UploadError, UploadInput, UploadOutput};
use synthetic_chat::server::{Router, SyntheticChat};

static CHUNK: [u8; 65536] = [7; 65536];

/// `left` chunks of 64 KiB, made as they are asked for.
struct Chunks {
    left: u64,
}

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, Infallible>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        self.left -= 1;
        Poll::Ready(Some(Ok(Bytes::from_static(&CHUNK))))
    }
}

struct Files {
    mib: u64,
}

impl SyntheticChat for Files {
    async fn converse(&self, _: ConverseInput) -> Result<ConverseOutput, ConverseError> {
        Ok(ConverseOutput::builder().build())
    }

    async fn download(&self, _: DownloadInput) -> Result<DownloadOutput, DownloadError> {
        let data = ByteStream::from_stream(Chunks { left: self.mib * 16 });
        Ok(DownloadOutput::builder().data(data).build())
    }

    async fn upload(&self, mut input: UploadInput) -> Result<UploadOutput, UploadError> {
        let mut body = input.body.take().unwrap_or_default();
        let mut size = 0;
        while let Some(chunk) = body.next().await {
            size += chunk.map(|c| c.len()).unwrap_or_default() as i64;
        }
        Ok(UploadOutput::builder().size(size).build())
    }
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or("VmHWM: 0 kB");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1024);
    let mode = args.next().unwrap_or_else(|| "download".into());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Arc::new(Router::new(Files { mib }));
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let router = router.clone();
                let service = hyper::service::service_fn(
                    move |request: http::Request<hyper::body::Incoming>| {
                        let router = router.clone();
                        async move {
                            let request = request.map(ByteStream::from_body);
                            Ok::<_, Infallible>(router.handle(request).await)
                        }
                    },
                );
                tokio::spawn(async move {
                    let http = hyper::server::conn::http1::Builder::new();
                    let _ = http.serve_connection(TokioIo::new(tcp), service).await;
                });
            }
        });
        let before = peak_rss_kib();
        let start = Instant::now();
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(tcp)).await.unwrap();
        tokio::spawn(connection);
        let moved = if mode == "upload" {
            let body = ByteStream::from_stream(Chunks { left: mib * 16 });
            let request =
                http::Request::put(format!("http://{addr}/files/big")).body(body).unwrap();
            let response = sender.send_request(request).await.unwrap();
            let size = response.headers()["x-size"].to_str().unwrap().parse::<u64>().unwrap();
            size
        } else {
            let request = http::Request::get(format!("http://{addr}/files/big"))
                .body(ByteStream::empty())
                .unwrap();
            let response = sender.send_request(request).await.unwrap();
            let mut body = ByteStream::from_body(response.into_body());
            let mut size = 0;
            while let Some(chunk) = body.next().await {
                size += chunk.unwrap().len() as u64;
            }
            size
        };
        assert_eq!(moved, mib * 1024 * 1024, "every byte moved");
        println!(
            "{mode}: {} MiB in {:.1} s; peak RSS {:.1} MiB (before: {:.1} MiB)",
            moved / (1024 * 1024),
            start.elapsed().as_secs_f64(),
            peak_rss_kib() as f64 / 1024.0,
            before as f64 / 1024.0,
        );
    });
}
