//! Smithy `bigInteger` and `bigDecimal` support.
//!
//! Both types keep the validated decimal text of the number, so no precision
//! is lost and no arbitrary-precision arithmetic library is needed. Equality
//! and hashing compare that text (`1.0` and `1.00` are different values).

use std::fmt;
use std::str::FromStr;

/// An arbitrary-precision integer (a Smithy `bigInteger`), kept as its
/// decimal text: an optional `-` followed by one or more ASCII digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInteger(String);

/// An arbitrary-precision decimal number (a Smithy `bigDecimal`), kept as its
/// text in JSON number syntax with optional leading zeros: an optional `-`,
/// digits, an optional `.digits` fraction and an optional exponent
/// (`e`/`E`, optional sign, digits), for example `-12.5e-3`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigDecimal(String);

/// The error returned when text is not a valid [`BigInteger`] or
/// [`BigDecimal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseBigNumberError {
    target: &'static str,
    reason: &'static str,
}

impl ParseBigNumberError {
    /// A short description of what is wrong with the input.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for ParseBigNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.target, self.reason)
    }
}

impl std::error::Error for ParseBigNumberError {}

/// Skips ASCII digits from `pos`; returns the new position and how many were
/// skipped.
fn skip_digits(bytes: &[u8], mut pos: usize) -> (usize, usize) {
    let start = pos;
    while matches!(bytes.get(pos), Some(b'0'..=b'9')) {
        pos = pos.saturating_add(1);
    }
    (pos, pos.saturating_sub(start))
}

fn validate_integer(text: &str) -> Result<(), &'static str> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err("empty input");
    }
    let start = usize::from(bytes.first() == Some(&b'-'));
    let (end, count) = skip_digits(bytes, start);
    if count == 0 {
        return Err("expected digits");
    }
    if end != bytes.len() {
        return Err("unexpected character (expected an optional `-` and digits)");
    }
    Ok(())
}

fn validate_decimal(text: &str) -> Result<(), &'static str> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err("empty input");
    }
    let start = usize::from(bytes.first() == Some(&b'-'));
    let (mut pos, count) = skip_digits(bytes, start);
    if count == 0 {
        return Err("expected digits");
    }
    if bytes.get(pos) == Some(&b'.') {
        let (next, count) = skip_digits(bytes, pos.saturating_add(1));
        if count == 0 {
            return Err("expected digits after the decimal point");
        }
        pos = next;
    }
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        pos = pos.saturating_add(1);
        if matches!(bytes.get(pos), Some(b'+' | b'-')) {
            pos = pos.saturating_add(1);
        }
        let (next, count) = skip_digits(bytes, pos);
        if count == 0 {
            return Err("expected digits in the exponent");
        }
        pos = next;
    }
    if pos != bytes.len() {
        return Err("unexpected character in the number");
    }
    Ok(())
}

impl BigInteger {
    /// Validates `text` (`-?[0-9]+`) and wraps it.
    ///
    /// # Errors
    ///
    /// Returns [`ParseBigNumberError`] if `text` is not an integer in that form.
    pub fn new(text: &str) -> Result<Self, ParseBigNumberError> {
        validate_integer(text)
            .map(|()| BigInteger(text.to_owned()))
            .map_err(|reason| ParseBigNumberError { target: "bigInteger", reason })
    }

    /// The decimal text of the number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the value and returns its decimal text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl BigDecimal {
    /// Validates `text` (JSON number syntax, leading zeros allowed) and wraps
    /// it.
    ///
    /// # Errors
    ///
    /// Returns [`ParseBigNumberError`] if `text` is not a number in that form.
    pub fn new(text: &str) -> Result<Self, ParseBigNumberError> {
        validate_decimal(text)
            .map(|()| BigDecimal(text.to_owned()))
            .map_err(|reason| ParseBigNumberError { target: "bigDecimal", reason })
    }

    /// The text of the number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the value and returns its text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl FromStr for BigInteger {
    type Err = ParseBigNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BigInteger::new(s)
    }
}

impl FromStr for BigDecimal {
    type Err = ParseBigNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BigDecimal::new(s)
    }
}

impl AsRef<str> for BigInteger {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for BigDecimal {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for BigDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for BigInteger {
    fn from(value: i64) -> Self {
        BigInteger(value.to_string())
    }
}

impl From<u64> for BigInteger {
    fn from(value: u64) -> Self {
        BigInteger(value.to_string())
    }
}

impl From<i128> for BigInteger {
    fn from(value: i128) -> Self {
        BigInteger(value.to_string())
    }
}

impl From<u128> for BigInteger {
    fn from(value: u128) -> Self {
        BigInteger(value.to_string())
    }
}

impl From<i64> for BigDecimal {
    fn from(value: i64) -> Self {
        BigDecimal(value.to_string())
    }
}

impl From<u64> for BigDecimal {
    fn from(value: u64) -> Self {
        BigDecimal(value.to_string())
    }
}

impl From<BigInteger> for BigDecimal {
    fn from(value: BigInteger) -> Self {
        BigDecimal(value.0)
    }
}

impl TryFrom<f64> for BigInteger {
    type Error = ParseBigNumberError;

    /// Converts a finite float without a fractional part to its exact
    /// decimal text (`1e20` gives `100000000000000000000`).
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        let error = |reason| ParseBigNumberError { target: "bigInteger", reason };
        if !value.is_finite() {
            return Err(error("not a finite number"));
        }
        if value.fract() != 0.0 {
            return Err(error("not an integer"));
        }
        if value == 0.0 {
            // Also covers -0.0, which would print as "-0".
            return Ok(BigInteger("0".to_owned()));
        }
        BigInteger::new(&format!("{value:.0}"))
    }
}

impl TryFrom<f64> for BigDecimal {
    type Error = ParseBigNumberError;

    /// Converts a finite float to the shortest text that reads back as the
    /// same float (`1.5`, `1e300`, `1e-7`).
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if !value.is_finite() {
            return Err(ParseBigNumberError {
                target: "bigDecimal",
                reason: "not a finite number",
            });
        }
        BigDecimal::new(&format!("{value:?}")).or_else(|_| BigDecimal::new(&format!("{value}")))
    }
}

#[cfg(feature = "serde")]
impl ::serde_core::Serialize for BigInteger {
    /// Serializes as a string holding the decimal text.
    fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl ::serde_core::Serialize for BigDecimal {
    /// Serializes as a string holding the number's text.
    fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
struct BigIntegerVisitor;

#[cfg(feature = "serde")]
impl ::serde_core::de::Visitor<'_> for BigIntegerVisitor {
    type Value = BigInteger;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding an integer")
    }

    fn visit_str<E: ::serde_core::de::Error>(self, v: &str) -> Result<BigInteger, E> {
        BigInteger::new(v).map_err(E::custom)
    }

    fn visit_i64<E: ::serde_core::de::Error>(self, v: i64) -> Result<BigInteger, E> {
        Ok(BigInteger::from(v))
    }

    fn visit_u64<E: ::serde_core::de::Error>(self, v: u64) -> Result<BigInteger, E> {
        Ok(BigInteger::from(v))
    }

    fn visit_i128<E: ::serde_core::de::Error>(self, v: i128) -> Result<BigInteger, E> {
        Ok(BigInteger::from(v))
    }

    fn visit_u128<E: ::serde_core::de::Error>(self, v: u128) -> Result<BigInteger, E> {
        Ok(BigInteger::from(v))
    }

    fn visit_f64<E: ::serde_core::de::Error>(self, v: f64) -> Result<BigInteger, E> {
        BigInteger::try_from(v).map_err(E::custom)
    }
}

#[cfg(feature = "serde")]
impl<'de> ::serde_core::Deserialize<'de> for BigInteger {
    /// Deserializes from a string holding an integer, or from any integer or
    /// integral float (a JSON number beyond `u64`/`i64` reaches us as an
    /// `f64` and may already have lost precision).
    fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BigIntegerVisitor)
    }
}

#[cfg(feature = "serde")]
struct BigDecimalVisitor;

#[cfg(feature = "serde")]
impl ::serde_core::de::Visitor<'_> for BigDecimalVisitor {
    type Value = BigDecimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding a number")
    }

    fn visit_str<E: ::serde_core::de::Error>(self, v: &str) -> Result<BigDecimal, E> {
        BigDecimal::new(v).map_err(E::custom)
    }

    fn visit_i64<E: ::serde_core::de::Error>(self, v: i64) -> Result<BigDecimal, E> {
        Ok(BigDecimal::from(v))
    }

    fn visit_u64<E: ::serde_core::de::Error>(self, v: u64) -> Result<BigDecimal, E> {
        Ok(BigDecimal::from(v))
    }

    fn visit_i128<E: ::serde_core::de::Error>(self, v: i128) -> Result<BigDecimal, E> {
        Ok(BigDecimal(v.to_string()))
    }

    fn visit_u128<E: ::serde_core::de::Error>(self, v: u128) -> Result<BigDecimal, E> {
        Ok(BigDecimal(v.to_string()))
    }

    fn visit_f64<E: ::serde_core::de::Error>(self, v: f64) -> Result<BigDecimal, E> {
        BigDecimal::try_from(v).map_err(E::custom)
    }
}

#[cfg(feature = "serde")]
impl<'de> ::serde_core::Deserialize<'de> for BigDecimal {
    /// Deserializes from a string holding a number, or from any number
    /// (floats are written in their shortest round-trip form; a JSON number
    /// reaches us as an `f64` and may already have lost precision).
    fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BigDecimalVisitor)
    }
}
