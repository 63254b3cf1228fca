//! [`ByteStream`], the body of a `@streaming` blob: bytes in memory, or (features `client` and
//! `server`) a body read as it arrives — from any `http_body::Body` (hyper's, for one), any
//! `futures_core::Stream` of chunks, any `tokio::io::AsyncRead`, or a file.
//!
//! It is read in chunks ([`next`](ByteStream::next)), whole ([`collect`](ByteStream::collect)),
//! or as an [`AsyncRead`](tokio::io::AsyncRead) ([`into_async_read`](ByteStream::into_async_read));
//! it is itself an `http_body::Body` and a `Stream`, so a transport or a server sends it as it
//! is. Only one chunk is held at a time (up to 64 KiB from a reader or a file), so a download
//! or an upload of any size costs bounded memory.
//!
//! A stream may know its length ([`content_length`](ByteStream::content_length): in memory, a
//! file, or declared with [`with_content_length`](ByteStream::with_content_length)), which
//! `Content-Length` needs (`@requiresLength`); a declared length is checked as the bytes pass:
//! a body longer or shorter than declared fails with a [`ByteStreamError`].

#[cfg(any(feature = "client", feature = "server"))]
pub use self::streaming::{ByteStreamError, ByteStreamErrorKind, ByteStreamReader};

use std::fmt;

/// The body of a `@streaming` blob: bytes in memory, or (features `client` and `server`) a
/// stream of chunks read as they arrive. See the [module documentation](self).
pub struct ByteStream {
    inner: Inner,
    /// The declared length, checked as the bytes pass (`None` for bytes in memory, whose
    /// length is their own).
    #[cfg_attr(not(any(feature = "client", feature = "server")), allow(dead_code))]
    declared: Option<u64>,
    /// The bytes read so far (checked against `declared`).
    #[cfg_attr(not(any(feature = "client", feature = "server")), allow(dead_code))]
    read: u64,
    /// The file it reads ([`from_path`](ByteStream::from_path)): a client hashes it for the
    /// request's signature before sending it.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    path: Option<std::path::PathBuf>,
}

enum Inner {
    /// Bytes in memory, not yet read.
    Memory(Vec<u8>),
    /// A body read as it arrives.
    #[cfg(any(feature = "client", feature = "server"))]
    Body(std::pin::Pin<Box<streaming::DynBody>>),
    /// Everything was read (or reading failed).
    #[cfg_attr(not(any(feature = "client", feature = "server")), allow(dead_code))]
    Done,
}

impl ByteStream {
    /// A stream of these bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        ByteStream { inner: Inner::Memory(bytes.into()), declared: None, read: 0, path: None }
    }

    /// An empty stream.
    pub fn empty() -> Self {
        ByteStream::new(Vec::new())
    }

    /// The length of the stream, if known: the bytes in memory, a file's length, the
    /// declared length, or the exact size an `http_body::Body` reports; less what was
    /// already read.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Memory(bytes) => Some(bytes.len() as u64),
            #[cfg(any(feature = "client", feature = "server"))]
            Inner::Body(body) => match self.declared {
                Some(declared) => Some(declared.saturating_sub(self.read)),
                None => http_body::Body::size_hint(body.as_ref().get_ref()).exact(),
            },
            Inner::Done => Some(0),
        }
    }

    /// The bytes, if the stream is in memory and unread (a stream in memory can be sent
    /// again, on a retry; one read as it arrives cannot).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Memory(bytes) => Some(bytes),
            _ => None,
        }
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::empty()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.inner {
            Inner::Memory(_) => "in memory",
            #[cfg(any(feature = "client", feature = "server"))]
            Inner::Body(_) => "streaming",
            Inner::Done => "read",
        };
        f.debug_struct("ByteStream")
            .field("kind", &kind)
            .field("content_length", &self.content_length())
            .finish()
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<&[u8]> for ByteStream {
    fn from(bytes: &[u8]) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::new(text)
    }
}

impl From<&str> for ByteStream {
    fn from(text: &str) -> Self {
        ByteStream::new(text)
    }
}

impl From<crate::primitives::Blob> for ByteStream {
    fn from(blob: crate::primitives::Blob) -> Self {
        ByteStream::new(blob.into_inner())
    }
}

#[cfg(any(feature = "client", feature = "server"))]
mod streaming {
    use std::error::Error as StdError;
    use std::fmt;
    use std::future::poll_fn;
    use std::io;
    use std::path::Path;
    use std::pin::Pin;
    use std::task::{ready, Context, Poll};

    use bytes::{Buf, Bytes};
    use http_body::{Body, Frame, SizeHint};
    use tokio::io::{AsyncRead, ReadBuf};

    use super::{ByteStream, Inner};

    type BoxError = Box<dyn StdError + Send + Sync>;

    /// The boxed body of a streaming [`ByteStream`].
    pub(super) type DynBody = dyn Body<Data = Bytes, Error = BoxError> + Send + Sync;

    /// How much a reader or a file is read at a time.
    const CHUNK: usize = 64 * 1024;

    /// The most [`ByteStream::collect`] reserves ahead for a length it was told.
    const MAX_RESERVE: u64 = 8 * 1024 * 1024;

    /// What kind of failure a [`ByteStreamError`] is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[non_exhaustive]
    pub enum ByteStreamErrorKind {
        /// The underlying body, stream or reader failed.
        Source,
        /// The stream was longer or shorter than its declared length.
        LengthMismatch,
    }

    /// A [`ByteStream`] could not be read.
    #[derive(Debug)]
    pub struct ByteStreamError {
        kind: ByteStreamErrorKind,
        message: String,
        source: Option<BoxError>,
    }

    impl ByteStreamError {
        fn source_failed(source: BoxError) -> Self {
            ByteStreamError {
                kind: ByteStreamErrorKind::Source,
                message: "reading the body failed".into(),
                source: Some(source),
            }
        }

        fn length(declared: u64, actual: &str) -> Self {
            ByteStreamError {
                kind: ByteStreamErrorKind::LengthMismatch,
                message: format!("the body was declared {declared} bytes long but {actual}"),
                source: None,
            }
        }

        /// Its kind.
        pub fn kind(&self) -> ByteStreamErrorKind {
            self.kind
        }
    }

    impl fmt::Display for ByteStreamError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.message)?;
            if let Some(source) = &self.source {
                write!(f, ": {source}")?;
            }
            Ok(())
        }
    }

    impl StdError for ByteStreamError {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.source.as_deref().map(|e| e as &(dyn StdError + 'static))
        }
    }

    impl From<ByteStreamError> for io::Error {
        fn from(error: ByteStreamError) -> Self {
            io::Error::other(error)
        }
    }

    impl ByteStream {
        /// A stream of what `body` yields (its trailers are dropped).
        pub fn from_body<B>(body: B) -> Self
        where
            B: Body<Data = Bytes> + Send + Sync + 'static,
            B::Error: Into<BoxError>,
        {
            ByteStream::boxed(Box::pin(ErasedBody(Box::pin(body))))
        }

        /// A stream of the chunks `stream` yields.
        pub fn from_stream<S, E>(stream: S) -> Self
        where
            S: futures_core::Stream<Item = Result<Bytes, E>> + Send + Sync + 'static,
            E: Into<BoxError>,
        {
            ByteStream::boxed(Box::pin(StreamBody(Box::pin(stream))))
        }

        /// A stream of what `reader` reads, up to its end, in chunks of up to 64 KiB.
        pub fn from_reader<R>(reader: R) -> Self
        where
            R: AsyncRead + Send + Sync + 'static,
        {
            ByteStream::boxed(Box::pin(ReaderBody(Some(Box::pin(reader)), Vec::new())))
        }

        /// A stream of the file at `path`, whose length is the file's (checked as it is
        /// read). It needs a tokio runtime (`tokio::fs`).
        pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
            let file = tokio::fs::File::open(path.as_ref()).await?;
            let length = file.metadata().await?.len();
            let mut stream = ByteStream::from_reader(file).with_content_length(length);
            stream.path = Some(path.as_ref().to_path_buf());
            Ok(stream)
        }

        fn boxed(body: Pin<Box<DynBody>>) -> Self {
            ByteStream { inner: Inner::Body(body), declared: None, read: 0, path: None }
        }

        /// The file the stream reads, if it was made by [`from_path`](ByteStream::from_path)
        /// and not read yet.
        #[cfg(feature = "client")]
        pub(crate) fn unread_file(&self) -> Option<&Path> {
            match self.read {
                0 => self.path.as_deref(),
                _ => None,
            }
        }

        /// Takes the stream out of `slot` if it is read as it arrives (leaving an empty stream
        /// in memory); a stream in memory stays (it is part of the request, and of its
        /// retries).
        #[cfg(feature = "client")]
        #[allow(dead_code)] // used only by crates with streaming blob inputs
        pub(crate) fn take_streaming(slot: &mut ByteStream) -> Option<ByteStream> {
            match slot.inner {
                Inner::Memory(_) => None,
                _ => Some(std::mem::take(slot)),
            }
        }

        /// The same stream, declared `length` bytes long: a body longer or shorter fails when
        /// read, with [`ByteStreamErrorKind::LengthMismatch`].
        pub fn with_content_length(mut self, length: u64) -> Self {
            self.declared = Some(length);
            self
        }

        /// The next chunk; `None` at the end.
        pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
            poll_fn(|cx| self.poll_chunk(cx)).await
        }

        /// Reads the whole stream into memory.
        pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
            if let Inner::Memory(bytes) = &mut self.inner {
                let bytes = std::mem::take(bytes);
                self.inner = Inner::Done;
                self.check_length(bytes.len() as u64, false)?;
                return Ok(Bytes::from(bytes));
            }
            // A stream of one chunk is returned as it is, without a copy.
            let mut first: Option<Bytes> = None;
            let mut all: Vec<u8> = Vec::new();
            while let Some(chunk) = self.next().await {
                let chunk = chunk?;
                if first.is_none() && all.is_empty() {
                    first = Some(chunk);
                    continue;
                }
                if let Some(first) = first.take() {
                    // The length still to come, as far as it is known, capped: a length
                    // announced by a peer is not trusted with an allocation.
                    let expected = self.content_length().unwrap_or(0).min(MAX_RESERVE) as usize;
                    all.reserve(first.len() + chunk.len() + expected);
                    all.extend_from_slice(&first);
                }
                all.extend_from_slice(&chunk);
            }
            Ok(first.unwrap_or_else(|| Bytes::from(all)))
        }

        /// The stream as a tokio [`AsyncRead`].
        pub fn into_async_read(self) -> ByteStreamReader {
            ByteStreamReader { stream: self, chunk: Bytes::new() }
        }

        /// Checks the bytes read so far against the declared length (`done`: at the end).
        fn check_length(&mut self, count: u64, done: bool) -> Result<(), ByteStreamError> {
            self.read = self.read.saturating_add(count);
            match self.declared {
                Some(declared) if self.read > declared => {
                    self.inner = Inner::Done;
                    Err(ByteStreamError::length(declared, "it is longer"))
                }
                Some(declared) if done && self.read < declared => {
                    Err(ByteStreamError::length(declared, &format!("it ended after {}", self.read)))
                }
                _ => Ok(()),
            }
        }

        fn poll_chunk(
            &mut self,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
            loop {
                let polled = match &mut self.inner {
                    Inner::Memory(bytes) => {
                        let bytes = std::mem::take(bytes);
                        self.inner = Inner::Done;
                        let count = bytes.len() as u64;
                        return Poll::Ready(match self.check_length(count, true) {
                            Err(e) => Some(Err(e)),
                            Ok(()) if count == 0 => None,
                            Ok(()) => Some(Ok(Bytes::from(bytes))),
                        });
                    }
                    Inner::Body(body) => ready!(body.as_mut().poll_frame(cx)),
                    Inner::Done => return Poll::Ready(None),
                };
                match polled {
                    Some(Ok(frame)) => {
                        let Ok(data) = frame.into_data() else { continue }; // trailers
                        if data.is_empty() {
                            continue;
                        }
                        if let Err(e) = self.check_length(data.len() as u64, false) {
                            return Poll::Ready(Some(Err(e)));
                        }
                        return Poll::Ready(Some(Ok(data)));
                    }
                    Some(Err(e)) => {
                        self.inner = Inner::Done;
                        return Poll::Ready(Some(Err(ByteStreamError::source_failed(e))));
                    }
                    None => {
                        self.inner = Inner::Done;
                        return Poll::Ready(self.check_length(0, true).err().map(Err));
                    }
                }
            }
        }
    }

    impl Body for ByteStream {
        type Data = Bytes;
        type Error = ByteStreamError;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
            self.get_mut().poll_chunk(cx).map(|chunk| chunk.map(|r| r.map(Frame::data)))
        }

        fn is_end_stream(&self) -> bool {
            match &self.inner {
                Inner::Memory(bytes) => bytes.is_empty(),
                Inner::Body(body) => {
                    body.is_end_stream() && self.declared.map_or(true, |d| d == self.read)
                }
                Inner::Done => true,
            }
        }

        fn size_hint(&self) -> SizeHint {
            match (&self.inner, self.content_length()) {
                (_, Some(length)) => SizeHint::with_exact(length),
                (Inner::Body(body), None) => body.size_hint(),
                _ => SizeHint::default(),
            }
        }
    }

    impl futures_core::Stream for ByteStream {
        type Item = Result<Bytes, ByteStreamError>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.get_mut().poll_chunk(cx)
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            match self.content_length() {
                Some(0) => (0, Some(0)),
                _ => (0, None),
            }
        }
    }

    /// A [`ByteStream`] read as a tokio [`AsyncRead`] ([`ByteStream::into_async_read`]).
    #[derive(Debug)]
    pub struct ByteStreamReader {
        stream: ByteStream,
        chunk: Bytes,
    }

    impl AsyncRead for ByteStreamReader {
        fn poll_read(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let this = self.get_mut();
            while this.chunk.is_empty() {
                match ready!(this.stream.poll_chunk(cx)) {
                    Some(Ok(chunk)) => this.chunk = chunk,
                    Some(Err(e)) => return Poll::Ready(Err(e.into())),
                    None => return Poll::Ready(Ok(())),
                }
            }
            let count = this.chunk.len().min(buf.remaining());
            buf.put_slice(&this.chunk[..count]);
            this.chunk.advance(count);
            Poll::Ready(Ok(()))
        }
    }

    /// A body with its error boxed.
    struct ErasedBody<B>(Pin<Box<B>>);

    impl<B> Body for ErasedBody<B>
    where
        B: Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            self.0.as_mut().poll_frame(cx).map(|f| f.map(|r| r.map_err(Into::into)))
        }

        fn is_end_stream(&self) -> bool {
            self.0.is_end_stream()
        }

        fn size_hint(&self) -> SizeHint {
            self.0.size_hint()
        }
    }

    /// A stream of chunks as a body.
    struct StreamBody<S>(Pin<Box<S>>);

    impl<S, E> Body for StreamBody<S>
    where
        S: futures_core::Stream<Item = Result<Bytes, E>>,
        E: Into<BoxError>,
    {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            self.0.as_mut().poll_next(cx).map(|c| c.map(|r| r.map(Frame::data).map_err(Into::into)))
        }
    }

    /// A reader as a body: the reader (`None` once it reached its end) and the buffer it
    /// reads into, handed out as the chunk once filled.
    struct ReaderBody<R>(Option<Pin<Box<R>>>, Vec<u8>);

    impl<R: AsyncRead> Body for ReaderBody<R> {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            let this = self.get_mut();
            let Some(reader) = this.0.as_mut() else { return Poll::Ready(None) };
            if this.1.len() != CHUNK {
                this.1.resize(CHUNK, 0);
            }
            let mut buf = ReadBuf::new(&mut this.1);
            match ready!(reader.as_mut().poll_read(cx, &mut buf)) {
                Err(e) => {
                    this.0 = None;
                    Poll::Ready(Some(Err(e.into())))
                }
                Ok(()) => {
                    let count = buf.filled().len();
                    if count == 0 {
                        this.0 = None;
                        this.1 = Vec::new();
                        return Poll::Ready(None);
                    }
                    let mut chunk = std::mem::take(&mut this.1);
                    chunk.truncate(count);
                    Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))))
                }
            }
        }

        fn is_end_stream(&self) -> bool {
            self.0.is_none()
        }
    }
}
