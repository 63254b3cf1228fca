//! Errors shared by every operation: unmodeled service errors, builder, request and response errors.

/// An error response the model does not describe.
///
/// It keeps what the service sent, so nothing is lost: the error code, the message,
/// the HTTP status and the request id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unhandled {
    /// The error code the service sent (`X-Amzn-ErrorType`, `code` or `__type`), sanitized.
    pub code: Option<String>,
    /// The error message the service sent.
    pub message: Option<String>,
    /// The HTTP status code of the response.
    pub status: Option<u16>,
    /// The request id (`x-amzn-requestid`), for AWS support.
    pub request_id: Option<String>,
}

impl Unhandled {
    /// An unmodeled error with the given code and message.
    pub fn new(code: Option<String>, message: Option<String>) -> Self {
        Unhandled { code, message, status: None, request_id: None }
    }

    /// The error code, if the service sent one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl ::std::fmt::Display for Unhandled {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("unmodeled service error")?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl ::std::error::Error for Unhandled {}

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeserializeError {
    path: Vec<String>,
    message: String,
    /// A constraint of the model that reading found broken (a server refuses the request
    /// with a validation error): its text in Smithy's words and the value's length.
    #[cfg(feature = "server")]
    broken: Option<(String, Option<u64>)>,
}

impl DeserializeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        DeserializeError {
            path: Vec::new(),
            message: message.into(),
            #[cfg(feature = "server")]
            broken: None,
        }
    }

    /// A value that breaks a constraint of the model, found while reading: `message` for
    /// people, `constraint` in the words of Smithy's `ValidationException`, `length` the
    /// value's length when the constraint is about it.
    #[cfg(feature = "server")]
    pub(crate) fn broken_constraint(
        message: impl Into<String>,
        constraint: String,
        length: Option<u64>,
    ) -> Self {
        DeserializeError {
            path: Vec::new(),
            message: message.into(),
            broken: Some((constraint, length)),
        }
    }

    /// Adds the member (or header, or map key) being read, outermost last; a long map
    /// key is cut (error messages do not grow with the input).
    pub(crate) fn in_member(mut self, member: &str) -> Self {
        self.path.push(crate::primitives::wire::echo(member).into_owned());
        self
    }

    /// The constraint found broken, with the value's length, if that is what is wrong.
    #[cfg(feature = "server")]
    pub(crate) fn constraint(&self) -> Option<(&str, Option<u64>)> {
        self.broken.as_ref().map(|(constraint, length)| (constraint.as_str(), *length))
    }

    /// What is wrong, without the path.
    #[cfg(feature = "server")]
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The path of members to the bad value, outermost first.
    pub fn path(&self) -> String {
        self.path.iter().rev().cloned().collect::<Vec<_>>().join(".")
    }
}

impl ::std::fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "cannot read the response: {}", self.message)
        } else {
            write!(f, "cannot read the response: `{}`: {}", self.path(), self.message)
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
