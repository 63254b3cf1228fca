//! Retries in AWS's "standard" and "adaptive" modes: which failures are retried, how long to
//! wait, the retry quota that stops a struggling client from retrying every call, and (in
//! adaptive mode) the client-side rate limiter of [`super::rate_limit`].
//!
//! The configuration is AWS's own [`RetryConfig`] (from `aws-smithy-types`, the type the
//! official SDK and `aws-config` use): [`RetryConfig::standard`] makes at most 3 attempts;
//! between attempts it waits a random time of up to `initial_backoff * 2^(attempt - 1)` (full
//! jitter), capped at `max_backoff` (20 s), or the wait a `Retry-After` /
//! `x-amz-retry-after` header asks for (also capped); retries draw on a quota shared by a
//! client's clones. [`RetryConfig::adaptive`] adds client-side rate limiting.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use aws_smithy_types::retry::{RetryConfig, RetryConfigBuilder, RetryMode};

/// The wait before attempt `attempt + 1` after `attempt` failed (1-based): a random fraction
/// `jitter` (in `0..1`) of the exponential backoff, capped.
pub(crate) fn backoff(config: &RetryConfig, attempt: u32, jitter: f64) -> Duration {
    let exp = 2_u32.saturating_pow(attempt.saturating_sub(1));
    let base = config.initial_backoff().saturating_mul(exp).min(config.max_backoff());
    base.mul_f64(jitter.clamp(0.0, 1.0))
}

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// The service asks the client to slow down.
    Throttling,
    /// A failure that may pass (5xx, a timeout, a broken connection).
    Transient,
    /// A transport timeout: transient, and costs more of the quota.
    Timeout,
}

/// Error codes AWS SDKs treat as throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes AWS SDKs treat as transient.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Statuses that are transient whatever the error.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Classifies an error response: the model's `@retryable` first, then the error code, then
/// the status. `None`: not retried.
pub(crate) fn classify_response(
    status: u16,
    code: Option<&str>,
    modeled: Option<RetryKind>,
) -> Option<RetryKind> {
    if modeled.is_some() {
        return modeled;
    }
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_CODES.contains(&code) {
            return Some(RetryKind::Transient);
        }
    }
    if status == 429 {
        return Some(RetryKind::Throttling);
    }
    if TRANSIENT_STATUSES.contains(&status) {
        return Some(RetryKind::Transient);
    }
    None
}

/// The wait a response asks for: `x-amz-retry-after` (milliseconds), else `Retry-After`
/// (seconds, or an HTTP date relative to `now`).
pub(crate) fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = headers
        .get("x-amz-retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return Some(Duration::from_millis(ms));
    }
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date =
        crate::primitives::DateTime::from_str(value, crate::primitives::Format::HttpDate).ok()?;
    let at = u64::try_from(date.secs()).ok().map(|s| UNIX_EPOCH + Duration::from_secs(s))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The retry quota of AWS's standard mode: 500 tokens; a retry takes 5 (10 after a
/// timeout); a call that succeeds gives back what its retries took, or 1 if it made none.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    tokens: Mutex<u32>,
}

const BUCKET_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;

impl TokenBucket {
    pub(crate) fn new() -> Self {
        TokenBucket { tokens: Mutex::new(BUCKET_CAPACITY) }
    }

    /// Takes the cost of a retry; `None` if the quota is exhausted.
    pub(crate) fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout { TIMEOUT_RETRY_COST } else { RETRY_COST };
        let mut tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// A call succeeded after its retries took `taken` tokens.
    pub(crate) fn release(&self, taken: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let back = if taken == 0 { 1 } else { taken };
        *tokens = tokens.saturating_add(back).min(BUCKET_CAPACITY);
    }
}

static JITTER_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A random number in `0..1` for the jitter (std's randomly keyed hasher; not cryptographic).
pub(crate) fn jitter() -> f64 {
    let count = JITTER_COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let bits = RandomState::new().hash_one((count, now)) >> 11;
    // 53 random bits over 2^53: uniform in [0, 1).
    bits as f64 / (1_u64 << 53) as f64
}
