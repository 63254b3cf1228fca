//! The adaptive retry mode's rate limiter (`client/rate_limit.rs`) against botocore's: the
//! scenarios of `tests/client/adaptive_fixtures.json` (made by `adaptive_fixtures.py` with
//! botocore's own `ClientRateLimiter` on a fake clock) replayed event by event; every wait
//! before an attempt, every measured send rate, fill rate and bucket capacity must agree.

use serde_json::Value;

use crate::client::rate_limit::RateLimiter;

const FIXTURES: &str = include_str!("../../../../tests/client/adaptive_fixtures.json");

/// Equal to 10 µs (or a relative 1e-5): the fixtures move the clock 1 µs past each wait, so
/// that botocore's bucket holds a whole token despite rounding.
fn close(ours: f64, theirs: f64) -> bool {
    (ours - theirs).abs() <= 1e-5 * theirs.abs().max(1.0)
}

fn number(event: &Value, key: &str) -> f64 {
    event[key].as_f64().unwrap_or_else(|| panic!("`{key}` in {event}"))
}

#[test]
fn the_rate_limiter_agrees_with_botocores() {
    let fixtures: Value = serde_json::from_str(FIXTURES).expect("fixtures");
    let scenarios = fixtures["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), 4);
    let mut waits = 0;
    for scenario in scenarios {
        let name = scenario["name"].as_str().unwrap_or_default();
        let limiter = RateLimiter::new(number(scenario, "start"));
        for (i, event) in scenario["events"].as_array().expect("events").iter().enumerate() {
            if event.get("send").is_some() {
                let wait = limiter.acquire(number(event, "send")).as_secs_f64();
                let expected = number(event, "wait");
                assert!(close(wait, expected), "{name} #{i}: waited {wait}, botocore {expected}");
                waits += usize::from(expected > 0.0);
            } else {
                let throttled = event["throttled"].as_bool().expect("throttled");
                limiter.update(number(event, "recv"), throttled);
                let state = limiter.state();
                for (ours, key) in [
                    (state.measured_rate, "measured_rate"),
                    (state.fill_rate, "fill_rate"),
                    (state.max_capacity, "max_capacity"),
                ] {
                    let theirs = number(event, key);
                    assert!(close(ours, theirs), "{name} #{i}: {key} {ours}, botocore {theirs}");
                }
                assert!(state.enabled || !throttled, "{name} #{i}: a throttle turns it on");
            }
        }
    }
    assert!(waits > 100, "the scenarios make attempts wait ({waits})");
}

#[test]
fn off_until_the_first_throttle() {
    let limiter = RateLimiter::new(1000.0);
    for i in 0..50 {
        let now = 1000.0 + f64::from(i) * 0.01;
        assert!(limiter.acquire(now).is_zero());
        limiter.update(now, false);
    }
    assert!(!limiter.state().enabled);
    limiter.update(1000.6, true);
    assert!(limiter.state().enabled);
    // Attempts sent together are spaced out: each waits longer than the one before.
    let waits: Vec<_> = (0..4).map(|_| limiter.acquire(1000.6)).collect();
    assert!(waits.windows(2).all(|w| w[0] < w[1]), "{waits:?}");
}
