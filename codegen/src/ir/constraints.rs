//! The constraint traits of a value (`@length`, `@range`, `@pattern`, `@uniqueItems`), read once
//! from the member and its target (the member's trait wins, trait by trait).

/// A value's constraints; all absent means nothing to check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `@length`: characters of a string, bytes of a blob, items of a list, entries of a map.
    pub length: Option<Bounds<u64>>,
    /// `@range`: the numeric bounds of a number.
    pub range: Option<Bounds<f64>>,
    /// `@pattern`: an ECMA-262 regular expression a string must match (anywhere, unless anchored).
    pub pattern: Option<String>,
    /// `@uniqueItems` (or an IDL 1.0 `set`): list items must be distinct.
    pub unique_items: bool,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.range.is_none()
            && self.pattern.is_none()
            && !self.unique_items
    }
}

/// Inclusive bounds; either side may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds<T> {
    pub min: Option<T>,
    pub max: Option<T>,
}
