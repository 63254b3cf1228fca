//! [`PaginationStream`]: the pages (or items) of a paginated operation as an async stream, the
//! official SDK's shape: `next().await`, `collect()`, `try_collect()`, and
//! `futures_core::Stream` for the stream combinators of any async library.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

/// A stream of pages (`Result<Output, SdkError<E>>`) or items, made by a paginator's `send()`.
/// It stops after the last page, and after an error.
pub struct PaginationStream<T> {
    inner: Pin<Box<dyn Stream<Item = T> + Send>>,
}

impl<T> std::fmt::Debug for PaginationStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PaginationStream")
    }
}

impl<T> PaginationStream<T> {
    #[allow(dead_code)] // used only by crates with paginated operations
    pub(crate) fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        PaginationStream { inner: Box::pin(stream) }
    }

    /// The next page or item; `None` at the end.
    pub async fn next(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every page or item, to the end.
    pub async fn collect<C: Default + Extend<T>>(mut self) -> C {
        let mut out = C::default();
        while let Some(item) = self.next().await {
            out.extend(Some(item));
        }
        out
    }
}

impl<O, E> PaginationStream<Result<O, E>> {
    /// The next page or item, or the error that ended the stream; `Ok(None)` at the end.
    pub async fn try_next(&mut self) -> Result<Option<O>, E> {
        self.next().await.transpose()
    }

    /// Every page or item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O>, E> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<T> Stream for PaginationStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// A stream from a state and a step: `step(state)` gives the next item and state, or `None`
/// to end.
#[allow(dead_code)] // used only by crates with paginated operations
pub(crate) fn unfold<S, T, F, Fut>(state: S, step: F) -> Unfold<S, F, Fut>
where
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Option<(T, S)>>,
{
    Unfold { state: Some(state), step, pending: None }
}

/// The stream [`unfold`] makes.
#[allow(dead_code)] // used only by crates with paginated operations
pub(crate) struct Unfold<S, F, Fut> {
    state: Option<S>,
    step: F,
    pending: Option<Pin<Box<Fut>>>,
}

impl<S, F, Fut> Unpin for Unfold<S, F, Fut> {}

impl<S, T, F, Fut> Stream for Unfold<S, F, Fut>
where
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Option<(T, S)>>,
{
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = &mut *self;
        if this.pending.is_none() {
            match this.state.take() {
                Some(state) => this.pending = Some(Box::pin((this.step)(state))),
                None => return Poll::Ready(None),
            }
        }
        let Some(pending) = this.pending.as_mut() else { return Poll::Ready(None) };
        match pending.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(next) => {
                this.pending = None;
                match next {
                    Some((item, state)) => {
                        this.state = Some(state);
                        Poll::Ready(Some(item))
                    }
                    None => Poll::Ready(None),
                }
            }
        }
    }
}
