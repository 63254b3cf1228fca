//! Test support for applications (feature `test-util`): a client that answers from rules
//! instead of the network, in the spirit of the official SDK's `aws-smithy-mocks`.
//!
//! ```ignore
//! use my_service::client::mock::{mock, mock_client};
//! let get = mock(Client::get_meeting)
//!     .match_requests(|input| input.meeting_id() == Some("m-1"))
//!     .then_output(|| GetMeetingOutput::builder().build());
//! let client = mock_client(&[&get]);
//! client.get_meeting().meeting_id("m-1").send().await?;
//! assert_eq!(get.num_calls(), 1);
//! ```
//!
//! Each call still goes through the client (endpoint, serialization, signing with test
//! credentials), so [`Rule::requests`] holds the HTTP requests it would have sent; the first
//! rule whose operation and matcher accept the input answers, with a canned output, a canned
//! error (retried like a real one when retryable) or a raw HTTP response read by the
//! operation's real reader. A call no rule answers fails with a dispatch failure naming the
//! operation input.

use std::any::{type_name, Any, TypeId};
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::config::{Config, ConfigBuilder, Region};
use super::credentials::Credentials;
use super::retry::RetryConfig;
use super::transport::TransportError;

/// An operation's fluent builder, as the mocks see it: its input, output and error types.
pub trait MockOperation {
    /// The operation's input.
    type Input: Any + Send + Sync;
    /// The operation's output.
    type Output: Any + Send;
    /// The operation's error enum.
    type Error: Any + Send;
}

/// How a mock client picks the rule that answers a call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleMode {
    /// The first rule (in the order given) that accepts the call, as often as it does.
    #[default]
    MatchAny,
    /// The rules in the order given, each answering one call.
    Sequential,
}

pub(crate) enum Answer<O, E> {
    Output(O),
    Error(E),
    Http(http::Response<Vec<u8>>),
}

type Matcher = dyn Fn(&dyn Any) -> bool + Send + Sync;
type Responder = dyn Fn() -> Box<dyn Any + Send> + Send + Sync;

struct RuleInner {
    input: TypeId,
    input_name: &'static str,
    matcher: Box<Matcher>,
    responder: Box<Responder>,
    calls: AtomicUsize,
    requests: Mutex<Vec<http::Request<Vec<u8>>>>,
}

/// A rule: which calls it answers, and how. Cheap to clone (clones share their counts).
#[derive(Clone)]
pub struct Rule {
    inner: Arc<RuleInner>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("input", &self.inner.input_name)
            .field("calls", &self.num_calls())
            .finish()
    }
}

impl Rule {
    /// How many calls the rule answered.
    pub fn num_calls(&self) -> usize {
        self.inner.calls.load(Ordering::SeqCst)
    }

    /// The HTTP requests (signed) of the calls the rule answered, oldest first.
    pub fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        self.inner.requests.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A rule being built: for the operation whose client method is given to [`mock`].
pub struct RuleBuilder<I, O, E> {
    matcher: Box<Matcher>,
    types: PhantomData<fn(I) -> (O, E)>,
}

impl<I, O, E> fmt::Debug for RuleBuilder<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleBuilder").field("input", &type_name::<I>()).finish()
    }
}

/// A rule for the operation of a client method: `mock(Client::get_meeting)`.
pub fn mock<C, B, F>(_method: F) -> RuleBuilder<B::Input, B::Output, B::Error>
where
    B: MockOperation,
    F: Fn(&C) -> B,
{
    RuleBuilder { matcher: Box::new(|_| true), types: PhantomData }
}

impl<I: Any + Send + Sync, O: Any + Send, E: Any + Send> RuleBuilder<I, O, E> {
    /// Answers only the calls whose input `matches` accepts.
    pub fn match_requests(mut self, matches: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Box::new(move |input| input.downcast_ref::<I>().is_some_and(&matches));
        self
    }

    /// Answers with an output.
    pub fn then_output(self, output: impl Fn() -> O + Send + Sync + 'static) -> Rule {
        self.then(move || Answer::<O, E>::Output(output()))
    }

    /// Answers with an error (the operation's error enum: a modeled error, or `Unhandled`).
    pub fn then_error(self, error: impl Fn() -> E + Send + Sync + 'static) -> Rule {
        self.then(move || Answer::<O, E>::Error(error()))
    }

    /// Answers with an HTTP response, read by the operation's reader.
    pub fn then_http_response(
        self,
        response: impl Fn() -> http::Response<Vec<u8>> + Send + Sync + 'static,
    ) -> Rule {
        self.then(move || Answer::<O, E>::Http(response()))
    }

    fn then(self, answer: impl Fn() -> Answer<O, E> + Send + Sync + 'static) -> Rule {
        Rule {
            inner: Arc::new(RuleInner {
                input: TypeId::of::<I>(),
                input_name: type_name::<I>(),
                matcher: self.matcher,
                responder: Box::new(move || Box::new(answer())),
                calls: AtomicUsize::new(0),
                requests: Mutex::new(Vec::new()),
            }),
        }
    }
}

/// The rules of a mock client.
pub(crate) struct Mocks {
    rules: Vec<Rule>,
    mode: RuleMode,
    next: AtomicUsize,
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocks").field("rules", &self.rules).field("mode", &self.mode).finish()
    }
}

impl Mocks {
    /// The answer to a call with `input`, whose signed request is `request`.
    pub(crate) fn answer<I: Any, O: Any, E: Any>(
        &self,
        input: &I,
        request: http::Request<Vec<u8>>,
    ) -> Result<Answer<O, E>, TransportError> {
        let accepts =
            |rule: &Rule| rule.inner.input == TypeId::of::<I>() && (rule.inner.matcher)(input);
        let rule = match self.mode {
            RuleMode::MatchAny => self.rules.iter().find(|r| accepts(r)),
            RuleMode::Sequential => {
                let index = self.next.fetch_add(1, Ordering::SeqCst);
                self.rules.get(index).filter(|r| accepts(r))
            }
        };
        let Some(rule) = rule else {
            return Err(TransportError::other(format!(
                "no mock rule answers this `{}` call",
                type_name::<I>()
            )));
        };
        rule.inner.calls.fetch_add(1, Ordering::SeqCst);
        rule.inner.requests.lock().unwrap_or_else(|p| p.into_inner()).push(request);
        match (rule.inner.responder)().downcast::<Answer<O, E>>() {
            Ok(answer) => Ok(*answer),
            Err(_) => {
                Err(TransportError::other("a mock rule answered with another operation's types"))
            }
        }
    }
}

/// The configuration of a mock client: region `us-east-1`, test credentials, no retries (a
/// canned error comes back as it is; set `retry_config` to see retries), no network.
pub fn mock_config(mode: RuleMode, rules: &[&Rule]) -> ConfigBuilder {
    let mocks = Mocks {
        rules: rules.iter().map(|r| (*r).clone()).collect(),
        mode,
        next: AtomicUsize::new(0),
    };
    Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials(Credentials::new("AKIDMOCK", "mock-secret", None, None, "mock"))
        .endpoint_url("https://mock.invalid")
        .retry_config(RetryConfig::disabled())
        .transport(NoNetwork)
        .sleep_impl(super::transport::NoSleep)
        .mocks(Arc::new(mocks))
}

/// A client answering from `rules` ([`RuleMode::MatchAny`]).
pub fn mock_client(rules: &[&Rule]) -> super::Client {
    super::Client::from_conf(mock_config(RuleMode::MatchAny, rules).build())
}

/// The transport of a mock client: never reached (the rules answer first).
#[derive(Debug)]
struct NoNetwork;

impl super::transport::Transport for NoNetwork {
    fn send(&self, _request: http::Request<Vec<u8>>) -> super::transport::TransportFuture<'_> {
        Box::pin(std::future::ready(Err(TransportError::other("a mock client has no network"))))
    }
}
