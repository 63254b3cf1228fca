//! Timeouts: the configuration is AWS's own [`TimeoutConfig`] (from `aws-smithy-types`, the
//! type the official SDK and `aws-config` use). The connect and read timeouts travel with each
//! request to the transport (`TransportSettings`); the attempt and operation timeouts are
//! enforced here, by racing the work against the configured sleep.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};

use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep};

/// `work`'s output, or `Err(())` if `limit` passed first. Without a limit (or a sleep), just
/// `work`.
///
/// `work` comes pinned by the caller: an `async fn` keeps its arguments for its whole life, so a
/// future taken by value and pinned inside would be held twice (the call's future would be as
/// large as two orchestrations, and copied whole at each move before its first poll).
pub(crate) async fn within<F: Future>(
    limit: Option<Duration>,
    sleep: Option<&SharedAsyncSleep>,
    mut work: Pin<&mut F>,
) -> Result<F::Output, ()> {
    let (Some(limit), Some(sleep)) = (limit, sleep) else {
        return Ok(work.await);
    };
    let mut timer = sleep.sleep(limit);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = work.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match Pin::new(&mut timer).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(())),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}
