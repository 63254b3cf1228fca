//! Client-side rate limiting of AWS's "adaptive" retry mode: after the first throttling
//! response, every attempt takes a token from a bucket whose fill rate follows the rate the
//! service accepts, adjusted by CUBIC (cut by `BETA` on throttling, then grown back along a
//! cubic curve). The send rate is measured in half-second buckets and smoothed.
//!
//! The AWS SDKs define the algorithm (botocore's `retries/adaptive.py`, `throttling.py` and
//! `bucket.py` are the reference the tests compare against); times are seconds since the Unix
//! epoch, as `f64`.

use std::sync::Mutex;
use std::time::Duration;

/// The share of the rate kept after a throttling response.
const BETA: f64 = 0.7;
/// CUBIC's scale constant.
const SCALE_CONSTANT: f64 = 0.4;
/// The weight of the latest half-second in the measured send rate.
const SMOOTHING: f64 = 0.8;
/// The measuring buckets per second.
const BUCKETS_PER_SECOND: f64 = 2.0;
/// The lowest fill rate (tokens per second).
const MIN_FILL_RATE: f64 = 0.5;
/// The most the allowed rate may exceed the measured send rate.
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

/// A client's rate limiter (shared by its clones), used in adaptive mode.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
}

/// What the limiter knows; public to the crate's tests.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct State {
    /// Off until the first throttling response.
    pub(crate) enabled: bool,
    /// The token bucket: tokens per second, its capacity, what it holds (negative: tokens
    /// promised to attempts still waiting) and when it was last refilled.
    pub(crate) fill_rate: f64,
    pub(crate) max_capacity: f64,
    pub(crate) capacity: f64,
    pub(crate) last_refill: Option<f64>,
    /// The measured send rate, the bucket it was last measured in and the responses since.
    pub(crate) measured_rate: f64,
    pub(crate) last_bucket: f64,
    pub(crate) count: u64,
    /// CUBIC: the rate at the last throttling response, and when it came.
    pub(crate) last_max_rate: f64,
    pub(crate) last_throttle: f64,
}

impl RateLimiter {
    /// A limiter created at `now`.
    pub(crate) fn new(now: f64) -> Self {
        RateLimiter {
            state: Mutex::new(State {
                enabled: false,
                // botocore starts its bucket at 1 token per second.
                fill_rate: 1.0,
                max_capacity: 1.0,
                capacity: 0.0,
                // The bucket fills from the limiter's creation (botocore's does).
                last_refill: Some(now),
                measured_rate: 0.0,
                last_bucket: now.floor(),
                count: 0,
                last_max_rate: 0.0,
                last_throttle: now,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A snapshot of the state (for tests).
    #[allow(dead_code)]
    pub(crate) fn state(&self) -> State {
        self.lock().clone()
    }

    /// Takes a token for an attempt at `now`: how long the attempt must wait first (zero while
    /// the limiter is off or the bucket holds a token). The token is taken at once, so
    /// attempts waiting together are spaced out.
    pub(crate) fn acquire(&self, now: f64) -> Duration {
        let mut state = self.lock();
        if !state.enabled {
            return Duration::ZERO;
        }
        state.refill(now);
        let wait =
            if state.capacity >= 1.0 { 0.0 } else { (1.0 - state.capacity) / state.fill_rate };
        state.capacity -= 1.0;
        Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX)
    }

    /// Learns from a response received at `now`: a throttling error cuts the rate (and turns
    /// the limiter on); anything else grows it back.
    pub(crate) fn update(&self, now: f64, throttled: bool) {
        let mut state = self.lock();
        let measured = state.measure(now);
        let new_rate = if throttled {
            let rate = if state.enabled { measured.min(state.fill_rate) } else { measured };
            state.last_max_rate = rate;
            state.last_throttle = now;
            state.enabled = true;
            rate * BETA
        } else {
            let k = (state.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
            SCALE_CONSTANT * (now - state.last_throttle - k).powi(3) + state.last_max_rate
        };
        state.set_rate(now, new_rate.min(MAX_RATE_ADJUST_SCALE * measured));
    }
}

impl State {
    /// Adds the tokens earned since the last refill, up to the capacity.
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let earned = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + earned).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    /// Counts a response and returns the measured send rate (updated once per bucket).
    fn measure(&mut self, now: f64) -> f64 {
        let bucket = (now * BUCKETS_PER_SECOND).floor() / BUCKETS_PER_SECOND;
        self.count += 1;
        if bucket > self.last_bucket {
            let rate = self.count as f64 / (bucket - self.last_bucket);
            self.measured_rate = rate * SMOOTHING + self.measured_rate * (1.0 - SMOOTHING);
            self.count = 0;
            self.last_bucket = bucket;
        }
        self.measured_rate
    }

    /// The bucket's new rate: at least the minimum; its capacity the rate (at least 1).
    fn set_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(1.0);
        self.capacity = self.capacity.min(self.max_capacity);
    }
}
