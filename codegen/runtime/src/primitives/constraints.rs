//! Checking the model's constraint traits (`@required`, `@length`, `@pattern`, `@range`, enum
//! values) for the generated `validate()` methods.

use std::sync::OnceLock;

use super::pattern::Pattern;
use super::protocol::echo;
use crate::error::{ValidationError, ValidationErrors};

/// Most violations a `validate()` keeps; the others are counted, not kept (a value with a
/// million bad elements must not cost a million messages).
pub(crate) const MAX_VIOLATIONS: usize = 100;

/// Collects the violations found while walking a value: the first [`MAX_VIOLATIONS`], and how
/// many there were in all.
#[derive(Default)]
pub(crate) struct Violations {
    found: Vec<ValidationError>,
    total: usize,
}

/// The path of a member below `path` (`Outer.Inner`).
pub(crate) fn child(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_string()
    } else {
        format!("{path}.{member}")
    }
}

/// The path of a map's entry (`Map[key]`); a long key is cut (see [`echo`]).
pub(crate) fn entry(path: &str, key: &str) -> String {
    format!("{path}[{}]", echo(key))
}

/// `@length`'s constraint in the words of Smithy's `ValidationException`.
pub(crate) fn length_constraint(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => {
            format!("Member must have length between {min} and {max}, inclusive")
        }
        (Some(min), None) => format!("Member must have length greater than or equal to {min}"),
        (None, Some(max)) => format!("Member must have length less than or equal to {max}"),
        (None, None) => String::new(),
    }
}

impl Violations {
    /// A violation at `path`: `texts` gives its message for people and its constraint in the
    /// words of Smithy's `ValidationException` (`Member must ...`), called only while fewer than
    /// [`MAX_VIOLATIONS`] are kept; `length` is the length of the value when the constraint is
    /// about it.
    pub(crate) fn push(
        &mut self,
        path: &str,
        length: Option<u64>,
        texts: impl FnOnce() -> (String, String),
    ) {
        self.total = self.total.saturating_add(1);
        if self.found.len() < MAX_VIOLATIONS {
            let (message, constraint) = texts();
            self.found.push(ValidationError::new(path.to_string(), message, constraint, length));
        }
    }

    pub(crate) fn required(&mut self, path: &str) {
        self.push(path, None, || {
            ("is required but not set".to_string(), "Member must not be null".to_string())
        });
    }

    /// `@length`: characters of a string, bytes of a blob, entries of a list or map.
    pub(crate) fn length(&mut self, path: &str, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = u64::try_from(len).unwrap_or(u64::MAX);
        if let Some(low) = min.filter(|min| len < *min) {
            self.push(path, Some(len), || {
                (format!("length {len} is below the minimum of {low}"), length_constraint(min, max))
            });
        }
        if let Some(high) = max.filter(|max| len > *max) {
            self.push(path, Some(len), || {
                (
                    format!("length {len} is above the maximum of {high}"),
                    length_constraint(min, max),
                )
            });
        }
    }

    /// `@range` of a number.
    pub(crate) fn range(&mut self, path: &str, value: f64, min: Option<f64>, max: Option<f64>) {
        let constraint = || match (min, max) {
            (Some(min), Some(max)) => format!("Member must be between {min} and {max}, inclusive"),
            (Some(min), None) => format!("Member must be greater than or equal to {min}"),
            (None, Some(max)) => format!("Member must be less than or equal to {max}"),
            (None, None) => String::new(),
        };
        if let Some(min) = min.filter(|min| value < *min || value.is_nan()) {
            self.push(path, None, || {
                (format!("value {value} is below the minimum of {min}"), constraint())
            });
        }
        if let Some(max) = max.filter(|max| value > *max) {
            self.push(path, None, || {
                (format!("value {value} is above the maximum of {max}"), constraint())
            });
        }
    }

    /// `@pattern` (ECMA-262, matched anywhere unless anchored). A pattern this crate cannot
    /// compile is not checked: the service remains the judge.
    pub(crate) fn pattern(
        &mut self,
        path: &str,
        text: &str,
        source: &'static str,
        cache: &OnceLock<Option<Pattern>>,
    ) {
        let compiled =
            cache.get_or_init(|| Pattern::new(source).ok().filter(|p| !p.never_matches()));
        if let Some(pattern) = compiled {
            if !pattern.is_match(text) {
                self.push(path, None, || {
                    (
                        format!("does not match the pattern `{source}`"),
                        format!("Member must satisfy regular expression pattern: {source}"),
                    )
                });
            }
        }
    }

    /// A value outside an enum's known values.
    pub(crate) fn unknown_enum_value<T: std::fmt::Display>(
        &mut self,
        path: &str,
        value: &str,
        known: &[T],
    ) {
        self.push(path, None, || {
            let known: Vec<String> = known.iter().map(ToString::to_string).collect();
            (
                format!("`{}` is not one of the enum's known values", echo(value)),
                format!("Member must satisfy enum value set: [{}]", known.join(", ")),
            )
        });
    }

    /// `@uniqueItems`: no two elements of a list are equal.
    pub(crate) fn unique_items<T: PartialEq>(&mut self, path: &str, items: &[T]) {
        let repeated =
            items.iter().enumerate().any(|(i, a)| items.iter().skip(i + 1).any(|b| a == b));
        if repeated {
            self.push(path, None, || {
                ("has repeated values".to_string(), "Member must have unique values".to_string())
            });
        }
    }

    pub(crate) fn finish(self) -> Result<(), ValidationErrors> {
        if self.total == 0 {
            Ok(())
        } else {
            Err(ValidationErrors::new(self.found, self.total))
        }
    }
}
