//! The client's credentials: the cache in front of a provider (kept until 10 s before expiry,
//! 15 minutes without one, errors not kept) and the environment provider.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};

use crate::client::{CachedCredentials, Credentials, CredentialsError, EnvironmentCredentials};

/// Runs a future that completes without waiting (the providers here answer at once).
fn now_or_never<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => panic!("the future waited"),
    }
}

/// A provider counting its calls, whose credentials expire `lifetime` after the clock's time
/// (never when `None`), failing while `failing` is set.
#[derive(Debug)]
struct Counting {
    calls: Arc<AtomicUsize>,
    clock: Arc<Mutex<SystemTime>>,
    lifetime: Option<Duration>,
    failing: Arc<Mutex<bool>>,
}

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if *self.failing.lock().unwrap() {
            return future::ProvideCredentials::ready(Err(CredentialsError::not_loaded("down")));
        }
        let expiry = self.lifetime.map(|l| *self.clock.lock().unwrap() + l);
        let key = format!("AKID{n}");
        future::ProvideCredentials::ready(Ok(Credentials::new(key, "s", None, expiry, "count")))
    }
}

/// A cache over a [`Counting`] provider, with the provider's call count, clock and failure
/// switch.
type Harness = (CachedCredentials, Arc<AtomicUsize>, Arc<Mutex<SystemTime>>, Arc<Mutex<bool>>);

fn cached(lifetime: Option<Duration>) -> Harness {
    let calls = Arc::new(AtomicUsize::new(0));
    let clock = Arc::new(Mutex::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    let failing = Arc::new(Mutex::new(false));
    let provider =
        Counting { calls: calls.clone(), clock: clock.clone(), lifetime, failing: failing.clone() };
    let time = clock.clone();
    let cache =
        CachedCredentials::with_clock(SharedCredentialsProvider::new(provider), move || {
            *time.lock().unwrap()
        });
    (cache, calls, clock, failing)
}

#[test]
fn credentials_are_kept_until_shortly_before_they_expire() {
    let (cache, calls, clock, _) = cached(Some(Duration::from_secs(60)));
    let key = |c: &CachedCredentials| now_or_never(c.get()).unwrap().access_key_id().to_string();
    assert_eq!(key(&cache), "AKID0");
    *clock.lock().unwrap() += Duration::from_secs(49);
    assert_eq!(key(&cache), "AKID0", "49 s of 60: kept");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    *clock.lock().unwrap() += Duration::from_secs(2);
    assert_eq!(key(&cache), "AKID1", "51 s of 60: within 10 s of expiry, refreshed");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn credentials_without_expiry_are_kept_fifteen_minutes_and_errors_not_at_all() {
    let (cache, calls, clock, failing) = cached(None);
    *failing.lock().unwrap() = true;
    assert!(now_or_never(cache.get()).is_err());
    assert!(now_or_never(cache.get()).is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 2, "a failure is asked again");
    *failing.lock().unwrap() = false;
    assert!(now_or_never(cache.get()).is_ok());
    *clock.lock().unwrap() += Duration::from_secs(14 * 60);
    assert!(now_or_never(cache.get()).is_ok());
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    *clock.lock().unwrap() += Duration::from_secs(2 * 60);
    assert!(now_or_never(cache.get()).is_ok());
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[test]
fn environment_credentials_name_the_missing_variable() {
    let env = EnvironmentCredentials::with_lookup(|name| {
        (name == "AWS_ACCESS_KEY_ID").then(|| "AKID".to_string())
    });
    let error = env.load().unwrap_err();
    assert!(format!("{error:?}").contains("AWS_SECRET_ACCESS_KEY"), "{error:?}");
}
