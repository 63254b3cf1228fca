//! Errors shared by every operation: unmodeled service errors, builder, request and response
//! errors; what every error tells about itself ([`ProvideErrorMetadata`], [`ErrorMetadata`]),
//! the request id of outputs and errors ([`RequestId`]), and [`DisplayErrorContext`], which
//! prints an error with its sources.

use std::error::Error as StdError;
use std::fmt;

#[cfg(feature = "client")]
pub use crate::client::SdkError;

/// What an error response says about itself: the error code, the message and the request id.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// A modeled error's code is its shape's name, kept without a copy.
    code: Option<std::borrow::Cow<'static, str>>,
    texts: Texts,
}

/// An error's message and request id, kept in one allocation: an error response usually has
/// both, and reading one costs an allocation less.
#[derive(Clone, Default, PartialEq, Eq)]
struct Texts {
    /// The message, then the request id (no allocation when both are empty or absent).
    text: String,
    /// Where the message ends in `text`, when there is one.
    message_end: Option<usize>,
    /// Whether the rest of `text` is a request id.
    request_id: bool,
}

impl Texts {
    const NONE: Texts = Texts { text: String::new(), message_end: None, request_id: false };

    fn new(message: Option<&str>, request_id: Option<&str>) -> Self {
        let (m, r) = (message.unwrap_or_default(), request_id.unwrap_or_default());
        let mut text = String::with_capacity(m.len().saturating_add(r.len()));
        text.push_str(m);
        text.push_str(r);
        Texts { text, message_end: message.map(str::len), request_id: request_id.is_some() }
    }

    fn message(&self) -> Option<&str> {
        self.text.get(..self.message_end?)
    }

    fn request_id(&self) -> Option<&str> {
        if !self.request_id {
            return None;
        }
        self.text.get(self.message_end.unwrap_or(0)..)
    }
}

impl fmt::Debug for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorMetadata")
            .field("code", &self.code)
            .field("message", &self.message())
            .field("request_id", &self.request_id())
            .finish()
    }
}

impl ErrorMetadata {
    /// No code, no message, no request id.
    pub const fn empty() -> Self {
        ErrorMetadata { code: None, texts: Texts::NONE }
    }

    /// Metadata from what a response said.
    pub(crate) fn from_parts(
        code: Option<std::borrow::Cow<'static, str>>,
        message: Option<&str>,
        request_id: Option<&str>,
    ) -> Self {
        ErrorMetadata { code, texts: Texts::new(message, request_id) }
    }

    /// A builder for error metadata (to build errors in tests and mocks).
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    /// The error code (`NotFoundException`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message.
    pub fn message(&self) -> Option<&str> {
        self.texts.message()
    }

    /// The request id the service gave the call (`x-amzn-requestid`), for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.texts.request_id()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("error"))?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = self.request_id() {
            write!(f, " (request id {request_id})")?;
        }
        Ok(())
    }
}

/// Builds an [`ErrorMetadata`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadataBuilder {
    inner: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    /// The error code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(std::borrow::Cow::Owned(code.into()));
        self
    }

    /// The error message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        let texts = &self.inner.texts;
        self.inner.texts = Texts::new(Some(&message.into()), texts.request_id());
        self
    }

    /// The request id.
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        let texts = &self.inner.texts;
        self.inner.texts = Texts::new(texts.message(), Some(&request_id.into()));
        self
    }

    /// The metadata.
    pub fn build(self) -> ErrorMetadata {
        self.inner
    }
}

/// What every error of the crate tells about itself: its code, its message and the rest of
/// its [`ErrorMetadata`]. Implemented by the error structures, every operation's error enum,
/// the crate's [`Error`](crate::Error), [`Unhandled`] and (feature `client`) `SdkError`.
pub trait ProvideErrorMetadata {
    /// The error's metadata.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, if known.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message, if known.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// The request id the service gave a call (the `x-amzn-requestid` response header), for AWS
/// support: implemented by every operation output, the error structures, the operation error
/// enums, [`Unhandled`] and (feature `client`) `SdkError`.
pub trait RequestId {
    /// The request id, when the response carried one.
    fn request_id(&self) -> Option<&str>;
}

/// What the response a value was read from said about it (the request id; for an error, its
/// code and message too), kept beside the modeled members of outputs and error structures.
///
/// It is not part of the value: any two are equal, so comparing two outputs (or errors)
/// compares their members.
#[derive(Clone, Debug, Default)]
pub(crate) struct ResponseMeta(
    #[allow(dead_code)] // read only by crates with operations
    pub(crate)  ErrorMetadata,
);

impl PartialEq for ResponseMeta {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl ResponseMeta {
    /// The request id of a response with these headers.
    #[allow(dead_code)] // used only by crates with operations
    pub(crate) fn from_headers(headers: &http::HeaderMap) -> Self {
        let request_id =
            headers.get(crate::primitives::protocol::REQUEST_ID).and_then(|v| v.to_str().ok());
        ResponseMeta(ErrorMetadata::from_parts(None, None, request_id))
    }

    /// The metadata of a modeled error built by hand: its code and message.
    #[allow(dead_code)] // used only by crates with error structures
    pub(crate) fn modeled(code: &'static str, message: Option<&str>) -> Self {
        ResponseMeta(ErrorMetadata::from_parts(
            Some(std::borrow::Cow::Borrowed(code)),
            message,
            None,
        ))
    }
}

/// An error response the model does not describe.
///
/// It keeps what the service sent, so nothing is lost: the error code, the message,
/// the HTTP status and the request id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unhandled {
    meta: ErrorMetadata,
    status: Option<u16>,
}

impl Unhandled {
    /// An unmodeled error with the given code and message.
    pub fn new(code: Option<String>, message: Option<String>) -> Self {
        let code = code.map(std::borrow::Cow::Owned);
        Unhandled { meta: ErrorMetadata::from_parts(code, message.as_deref(), None), status: None }
    }

    /// The same error with the HTTP status of its response (a server answers with it).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The same error with the request id of its response.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        let texts = &self.meta.texts;
        self.meta.texts = Texts::new(texts.message(), Some(&request_id.into()));
        self
    }

    /// The error code the service sent (`X-Amzn-ErrorType`, `code` or `__type`), sanitized.
    pub fn code(&self) -> Option<&str> {
        self.meta.code()
    }

    /// The error message the service sent.
    pub fn message(&self) -> Option<&str> {
        self.meta.message()
    }

    /// The HTTP status code of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The request id (`x-amzn-requestid`), for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl RequestId for Unhandled {
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl ::std::fmt::Display for Unhandled {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("unmodeled service error")?;
        if let Some(code) = self.code() {
            write!(f, " {code}")?;
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = self.request_id() {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl ::std::error::Error for Unhandled {}

/// A failure that is none of the service's modeled errors, in the crate's [`Error`](crate::Error):
/// an [`Unhandled`] service error, or (feature `client`) a call that got no usable answer
/// (the request could not be made, no credentials, no connection, a timeout, an unreadable
/// response). Its [`Display`](fmt::Display) and sources are the failure's own.
#[derive(Debug)]
pub struct UnhandledError {
    source: Box<dyn StdError + Send + Sync + 'static>,
    meta: ErrorMetadata,
}

impl UnhandledError {
    #[allow(dead_code)] // used only by crates with operations
    pub(crate) fn new(
        source: Box<dyn StdError + Send + Sync + 'static>,
        meta: ErrorMetadata,
    ) -> Self {
        UnhandledError { source, meta }
    }

    /// The failure itself.
    pub fn inner(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.source
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl StdError for UnhandledError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.source()
    }
}

impl ProvideErrorMetadata for UnhandledError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl RequestId for UnhandledError {
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

/// Prints an error and its sources, outermost first, separated by `: ` (an error's
/// `Display` prints only itself): `println!("{}", DisplayErrorContext(&err))`.
pub struct DisplayErrorContext<E>(pub E);

impl<E: StdError> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        // Bounded: a source chain that loops does not print forever.
        let mut depth = 0;
        while let Some(error) = source {
            if depth == 32 {
                return f.write_str(": ...");
            }
            write!(f, ": {error}")?;
            source = error.source();
            depth += 1;
        }
        Ok(())
    }
}

impl<E: StdError> fmt::Debug for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DisplayErrorContext").field(&format_args!("{self}")).finish()
    }
}

/// A builder's `build()` failed: a required member was not set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    member: &'static str,
}

impl BuildError {
    #[allow(dead_code)] // used only by crates with required members
    pub(crate) fn missing_field(type_name: &'static str, member: &'static str) -> Self {
        BuildError { type_name, member }
    }

    /// The structure being built.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The model name of the required member that was not set.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl ::std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(
            f,
            "cannot build `{}`: the required member `{}` was not set",
            self.type_name, self.member
        )
    }
}

impl ::std::error::Error for BuildError {}

/// A request could not be built; nothing was sent.
///
/// Only what makes a request impossible stops it: a missing or empty URI label, a
/// missing required query parameter, or a value that cannot go in a header or URI.
/// Constraint traits are not enforced here (see the inputs' `validate()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError {
    message: String,
}

impl RequestError {
    #[allow(dead_code)] // used only by operations with URI labels
    pub(crate) fn missing_label(member: &str) -> Self {
        RequestError { message: format!("the URI label `{member}` is missing or empty") }
    }

    #[allow(dead_code)] // used only by operations with required query parameters
    pub(crate) fn missing_query(member: &str) -> Self {
        RequestError { message: format!("the required query parameter `{member}` is missing") }
    }

    pub(crate) fn invalid_value(message: String) -> Self {
        RequestError { message }
    }
}

impl ::std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "cannot build the request: {}", self.message)
    }
}

impl ::std::error::Error for RequestError {}

/// A response the crate could not read (malformed JSON, a value of the wrong type...).
///
/// One pointer wide (its details are boxed): every reader returns `Result<_, DeserializeError>`,
/// and a small error keeps those results small, most of them returned in registers.
#[derive(Clone, PartialEq, Eq)]
pub struct DeserializeError(Box<Details>);

/// What a [`DeserializeError`] knows.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    path: Vec<String>,
    message: String,
    /// A constraint of the model that reading found broken (a server refuses the request
    /// with a validation error): its text in Smithy's words and the value's length.
    #[cfg(feature = "server")]
    broken: Option<(String, Option<u64>)>,
}

impl ::std::fmt::Debug for DeserializeError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        let mut s = f.debug_struct("DeserializeError");
        s.field("path", &self.0.path).field("message", &self.0.message);
        #[cfg(feature = "server")]
        s.field("broken", &self.0.broken);
        s.finish()
    }
}

impl DeserializeError {
    #[cold]
    pub(crate) fn new(message: impl Into<String>) -> Self {
        DeserializeError(Box::new(Details {
            path: Vec::new(),
            message: message.into(),
            #[cfg(feature = "server")]
            broken: None,
        }))
    }

    /// A value that breaks a constraint of the model, found while reading: `message` for
    /// people, `constraint` in the words of Smithy's `ValidationException`, `length` the
    /// value's length when the constraint is about it.
    #[cfg(feature = "server")]
    #[cold]
    pub(crate) fn broken_constraint(
        message: impl Into<String>,
        constraint: String,
        length: Option<u64>,
    ) -> Self {
        DeserializeError(Box::new(Details {
            path: Vec::new(),
            message: message.into(),
            broken: Some((constraint, length)),
        }))
    }

    /// Adds the member (or header, or map key) being read, outermost last; a long map
    /// key is cut (error messages do not grow with the input).
    #[cold]
    pub(crate) fn in_member(mut self, member: &str) -> Self {
        self.0.path.push(crate::primitives::protocol::echo(member).into_owned());
        self
    }

    /// The constraint found broken, with the value's length, if that is what is wrong.
    #[cfg(feature = "server")]
    pub(crate) fn constraint(&self) -> Option<(&str, Option<u64>)> {
        self.0.broken.as_ref().map(|(constraint, length)| (constraint.as_str(), *length))
    }

    /// What is wrong, without the path.
    #[cfg(feature = "server")]
    pub(crate) fn message(&self) -> &str {
        &self.0.message
    }

    /// The path of members to the bad value, outermost first.
    pub fn path(&self) -> String {
        self.0.path.iter().rev().cloned().collect::<Vec<_>>().join(".")
    }
}

impl ::std::fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        if self.0.path.is_empty() {
            write!(f, "cannot read the response: {}", self.0.message)
        } else {
            write!(f, "cannot read the response: `{}`: {}", self.path(), self.0.message)
        }
    }
}

impl ::std::error::Error for DeserializeError {}

/// The outcome of reading an operation's response when it is not the output.
#[derive(Debug)]
pub enum ResponseError<E> {
    /// The service answered with an error (modeled, or [`Unhandled`]).
    Service(E),
    /// A success response that could not be read.
    Deserialize(DeserializeError),
}

impl<E: ::std::fmt::Display> ::std::fmt::Display for ResponseError<E> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match self {
            ResponseError::Service(e) => ::std::fmt::Display::fmt(e, f),
            ResponseError::Deserialize(e) => ::std::fmt::Display::fmt(e, f),
        }
    }
}

impl<E: ::std::error::Error + 'static> ::std::error::Error for ResponseError<E> {
    fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
        match self {
            ResponseError::Service(e) => Some(e),
            ResponseError::Deserialize(e) => Some(e),
        }
    }
}

/// One broken constraint found by `validate()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    path: String,
    message: String,
    constraint: String,
    length: Option<u64>,
}

impl ValidationError {
    pub(crate) fn new(
        path: String,
        message: String,
        constraint: String,
        length: Option<u64>,
    ) -> Self {
        ValidationError { path, message, constraint, length }
    }

    /// The path as a JSON pointer of member names (`/Attendees/2/ExternalUserId`), as
    /// Smithy's `ValidationException` lists it.
    pub fn pointer(&self) -> String {
        let mut out = String::from("/");
        for c in self.path.chars() {
            match c {
                '.' | '[' => out.push('/'),
                ']' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// The violation in the words of Smithy's `ValidationException`
    /// (`Value at '/name' failed to satisfy constraint: Member must not be null`).
    pub fn framework_message(&self) -> String {
        match self.length {
            Some(length) => {
                format!(
                    "Value with length {length} at '{}' failed to satisfy constraint: {}",
                    self.pointer(),
                    self.constraint
                )
            }
            None => {
                format!(
                    "Value at '{}' failed to satisfy constraint: {}",
                    self.pointer(),
                    self.constraint
                )
            }
        }
    }

    /// The member path of the value (`Attendees[2].ExternalUserId`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl ::std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "`{}` {}", self.path, self.message)
    }
}

/// The broken constraints of a value, in the order the members were checked: the first
/// 100 found, and how many there were in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
    total: usize,
}

impl ValidationErrors {
    pub(crate) fn new(errors: Vec<ValidationError>, total: usize) -> Self {
        let total = total.max(errors.len());
        ValidationErrors { errors, total }
    }

    /// The violations kept: the first 100 found.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// How many violations were found, those not kept included.
    pub fn total(&self) -> usize {
        self.total
    }
}

impl ::std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{} constraint violation(s): ", self.total)?;
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            ::std::fmt::Display::fmt(e, f)?;
        }
        let more = self.total.saturating_sub(self.errors.len());
        if more > 0 {
            write!(f, "; and {more} more")?;
        }
        Ok(())
    }
}

impl ::std::error::Error for ValidationErrors {}

impl<E> From<DeserializeError> for ResponseError<E> {
    fn from(e: DeserializeError) -> Self {
        ResponseError::Deserialize(e)
    }
}
