//! `ByteStream` read as it arrives (features `client`, `server`): from bodies, streams,
//! readers and files; in chunks, whole, and as an `AsyncRead`; declared lengths checked; one
//! chunk held at a time however long the stream.

use std::io::Write as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};

use crate::byte_stream::{ByteStream, ByteStreamErrorKind};

fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

/// Chunks of the given sizes, as a `Stream`, each filled with its index.
struct Chunks(Vec<usize>, usize);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let i = self.1;
        self.1 += 1;
        Poll::Ready(self.0.get(i).map(|&size| Ok(Bytes::from(vec![i as u8; size]))))
    }
}

/// A body yielding data, then trailers, then more data, then failing.
struct Odd(u8);

impl Body for Odd {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.0 += 1;
        Poll::Ready(match self.0 {
            1 => Some(Ok(Frame::data(Bytes::from_static(b"ab")))),
            2 => Some(Ok(Frame::trailers(http::HeaderMap::new()))),
            3 => Some(Ok(Frame::data(Bytes::new()))),
            4 => Some(Ok(Frame::data(Bytes::from_static(b"c")))),
            5 => Some(Err(std::io::Error::other("connection reset"))),
            _ => None,
        })
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(3)
    }
}

#[test]
fn chunks_whole_and_as_a_reader() {
    run(async {
        let mut stream = ByteStream::from_stream(Chunks(vec![3, 0, 5], 0));
        assert_eq!(stream.content_length(), None);
        assert_eq!(stream.next().await.unwrap().unwrap(), Bytes::from(vec![0u8; 3]));
        // Empty chunks are skipped.
        assert_eq!(stream.next().await.unwrap().unwrap(), Bytes::from(vec![2u8; 5]));
        assert!(stream.next().await.is_none());
        assert!(stream.next().await.is_none());

        let all = ByteStream::from_stream(Chunks(vec![1, 2, 3], 0)).collect().await.unwrap();
        assert_eq!(&all[..], &[0, 1, 1, 2, 2, 2]);
        let memory = ByteStream::from(vec![5; 10]).collect().await.unwrap();
        assert_eq!(&memory[..], &[5; 10]);
        assert!(ByteStream::empty().collect().await.unwrap().is_empty());

        let mut read = Vec::new();
        let mut reader = ByteStream::from_stream(Chunks(vec![4, 4], 0)).into_async_read();
        let mut small = [0u8; 3];
        assert_eq!(reader.read(&mut small).await.unwrap(), 3);
        reader.read_to_end(&mut read).await.unwrap();
        assert_eq!(read, [0, 1, 1, 1, 1]);
    });
}

#[test]
fn bodies_trailers_and_errors() {
    run(async {
        let mut stream = ByteStream::from_body(Odd(0));
        assert_eq!(stream.content_length(), Some(3));
        assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"ab");
        assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"c");
        let error = stream.next().await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::Source);
        assert_eq!(error.to_string(), "reading the body failed: connection reset");
        assert!(stream.next().await.is_none(), "a failed stream ends");
        let error = ByteStream::from_body(Odd(0)).collect().await.unwrap_err();
        assert!(std::error::Error::source(&error).is_some());
        let io = ByteStream::from_body(Odd(0)).into_async_read().read_to_end(&mut Vec::new()).await;
        assert_eq!(io.unwrap_err().kind(), std::io::ErrorKind::Other);
    });
}

#[test]
fn declared_lengths_are_checked() {
    run(async {
        let exact = ByteStream::from_stream(Chunks(vec![2, 3], 0)).with_content_length(5);
        assert_eq!(exact.content_length(), Some(5));
        assert_eq!(exact.size_hint().exact(), Some(5));
        assert_eq!(exact.collect().await.unwrap().len(), 5);

        let long = ByteStream::from_stream(Chunks(vec![2, 3], 0)).with_content_length(4);
        let error = long.collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::LengthMismatch);
        assert_eq!(error.to_string(), "the body was declared 4 bytes long but it is longer");

        let mut short = ByteStream::from_stream(Chunks(vec![2, 3], 0)).with_content_length(6);
        assert!(short.next().await.unwrap().is_ok());
        assert_eq!(short.content_length(), Some(4));
        assert!(short.next().await.unwrap().is_ok());
        let error = short.next().await.unwrap().unwrap_err();
        assert_eq!(error.to_string(), "the body was declared 6 bytes long but it ended after 5");

        let memory = ByteStream::from("abc").with_content_length(2);
        assert_eq!(memory.collect().await.unwrap_err().kind(), ByteStreamErrorKind::LengthMismatch);
    });
}

#[test]
fn files_are_read_with_their_length() {
    let mut file = tempfile_in_target("bytes");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    file.1.write_all(&data).unwrap();
    drop(file.1);
    run(async {
        let stream = ByteStream::from_path(&file.0).await.unwrap();
        assert_eq!(stream.content_length(), Some(200_000));
        let mut stream = stream;
        let mut sizes = Vec::new();
        let mut all = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            sizes.push(chunk.len());
            all.extend_from_slice(&chunk);
        }
        assert_eq!(all, data);
        assert!(sizes.iter().all(|&s| s <= 64 * 1024), "{sizes:?}");
        assert!(ByteStream::from_path(file.0.with_extension("missing")).await.is_err());
    });
    std::fs::remove_file(&file.0).unwrap();
}

/// A file under `target/` (the tests write nowhere else).
fn tempfile_in_target(name: &str) -> (std::path::PathBuf, std::fs::File) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/runtime-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}

/// A byte counter (0, 1, ..., 255, 0, ...) twice over, to slice any stretch of it from.
fn cycle() -> Vec<u8> {
    (0..512).map(|i| i as u8).collect()
}

/// `left` bytes of the counter, produced as read: nothing is held but the reader's buffer.
struct Counter {
    left: u64,
    next: u8,
    cycle: Vec<u8>,
}

impl AsyncRead for Counter {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let mut count = (buf.remaining() as u64).min(self.left) as usize;
        self.left -= count as u64;
        while count > 0 {
            let n = count.min(256);
            let start = usize::from(self.next);
            buf.put_slice(&self.cycle[start..start + n]);
            self.next = self.next.wrapping_add(n as u8);
            count -= n;
        }
        Poll::Ready(Ok(()))
    }
}

#[test]
fn a_long_stream_is_read_one_bounded_chunk_at_a_time() {
    // 64 MiB through the reader adapter and back out as an AsyncRead, checked as it passes:
    // every chunk is at most 64 KiB and nothing accumulates.
    const LEN: u64 = 64 * 1024 * 1024;
    run(async {
        let cycle = cycle();
        let stream = ByteStream::from_reader(Counter { left: LEN, next: 0, cycle: cycle.clone() })
            .with_content_length(LEN);
        let mut reader = stream.into_async_read();
        let mut buffer = vec![0u8; 100_000];
        let mut expected = 0u8;
        let mut total = 0u64;
        loop {
            let n = reader.read(&mut buffer).await.unwrap();
            if n == 0 {
                break;
            }
            assert!(n <= 64 * 1024);
            for piece in buffer[..n].chunks(256) {
                let start = usize::from(expected);
                assert_eq!(piece, &cycle[start..start + piece.len()]);
                expected = expected.wrapping_add(piece.len() as u8);
            }
            total += n as u64;
        }
        assert_eq!(total, LEN);
    });
}

#[test]
fn body_and_stream_traits() {
    let stream = ByteStream::from("abc");
    assert_eq!(Body::size_hint(&stream).exact(), Some(3));
    assert!(!stream.is_end_stream());
    assert!(ByteStream::empty().is_end_stream());
    assert_eq!(futures_core::Stream::size_hint(&ByteStream::empty()), (0, Some(0)));
    let unknown = ByteStream::from_stream(Chunks(vec![1], 0));
    assert_eq!(Body::size_hint(&unknown).exact(), None);
    assert_eq!(format!("{unknown:?}"), "ByteStream { kind: \"streaming\", content_length: None }");
    run(async {
        let mut stream = ByteStream::from_stream(Chunks(vec![1, 1], 0));
        let mut frames = 0;
        while let Some(frame) =
            std::future::poll_fn(|cx| Pin::new(&mut stream).poll_frame(cx)).await
        {
            assert!(frame.unwrap().is_data());
            frames += 1;
        }
        assert_eq!(frames, 2);
        assert!(stream.is_end_stream());
    });
}

// --- MessageReader: the messages of a body --------------------------------------------------

use crate::event_stream::{FrameError, Message, MessageReader, ReadError};

/// A body of `bytes` cut into the given chunk sizes (the rest in one last chunk).
fn body_of(bytes: &[u8], sizes: &[usize]) -> ByteStream {
    let mut chunks = Vec::new();
    let mut rest = bytes;
    for &size in sizes {
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        chunks.push(Ok::<_, std::io::Error>(Bytes::copy_from_slice(chunk)));
        rest = tail;
    }
    chunks.push(Ok(Bytes::copy_from_slice(rest)));
    ByteStream::from_stream(Iter(chunks.into_iter()))
}

struct Iter<I>(I);

impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
    type Item = I::Item;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.0.next())
    }
}

#[test]
fn messages_are_read_from_a_body_in_any_chunking() {
    let messages: Vec<Message> = (0..20u8)
        .map(|i| Message::event("Tick", Some("application/json"), vec![i; usize::from(i) * 37]))
        .collect();
    let bytes: Vec<u8> = messages.iter().flat_map(|m| m.encode().unwrap()).collect();
    for sizes in [vec![], vec![1; 2000], vec![7, 300, 5, 1, 12, 999, 3], vec![bytes.len() / 2]] {
        run(async {
            let mut reader = MessageReader::new(body_of(&bytes, &sizes));
            let mut read = Vec::new();
            while let Some(message) = reader.recv().await.unwrap() {
                read.push(message);
            }
            assert_eq!(read, messages);
            assert!(reader.recv().await.unwrap().is_none());
        });
    }
}

#[test]
fn a_reader_stops_at_the_first_error() {
    let frame = Message::new(b"one".to_vec()).encode().unwrap();
    run(async {
        // Cut short: the first message, then the stream ends inside the second.
        let mut cut = frame.clone();
        cut.extend_from_slice(&frame[..10]);
        let mut reader = MessageReader::new(body_of(&cut, &[5]));
        assert!(reader.recv().await.unwrap().is_some());
        let error = reader.recv().await.unwrap_err();
        assert!(
            matches!(error, ReadError::Frame(FrameError::Truncated { have: 10, need: 12 })),
            "{error}"
        );
        assert!(reader.recv().await.unwrap().is_none());
        // A damaged frame.
        let mut bad = frame.clone();
        bad[14] ^= 1;
        let mut reader = MessageReader::new(body_of(&bad, &[]));
        assert!(matches!(
            reader.recv().await,
            Err(ReadError::Frame(FrameError::MessageChecksumMismatch { .. }))
        ));
        assert!(reader.recv().await.unwrap().is_none());
        // The body fails: while a prelude is incomplete (`abc`), and between messages.
        let mut reader = MessageReader::new(ByteStream::from_body(Odd(0)));
        assert!(matches!(reader.recv().await, Err(ReadError::Body(_))));
        assert!(reader.recv().await.unwrap().is_none());
        let mut reader = MessageReader::new(ByteStream::from_stream(Iter(
            vec![Ok(Bytes::from(frame.clone())), Err(std::io::Error::other("reset"))].into_iter(),
        )));
        assert!(reader.recv().await.unwrap().is_some());
        let error = reader.recv().await.unwrap_err();
        assert!(matches!(error, ReadError::Body(_)));
        assert_eq!(
            error.to_string(),
            "reading the event stream failed: reading the body failed: reset"
        );
    });
}
