//! The `@pattern` matcher (`primitives/pattern.rs`) against the `regex` crate, on every pattern
//! of the repository's models and a table of syntax, for the patterns both compile.
//!
//! `@pattern` is ECMA-262 and `regex` is not, so each pattern is given to `regex` with the
//! ECMA-262 meaning of the few escapes whose meaning differs ([`ecma_to_regex`]): `\d` and
//! `\w` are ASCII-only, `\s` is ECMA-262's WhiteSpace and LineTerminator, `.` excludes the four
//! line terminators, and `\b` looks at ASCII word characters. Texts come from `proptest`'s
//! generator for the pattern (so many match), then get characters inserted, removed and
//! replaced (so many do not), from an alphabet heavy in the characters where the two dialects
//! would part if the translation were wrong (`é`, `\r`, U+2028, U+00A0, U+FEFF, U+0085, emoji).

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use regex::Regex;

use super::rng::Rng;
use crate::primitives::pattern::Pattern;

/// ECMA-262's `\s`: WhiteSpace and LineTerminator (as `primitives/pattern.rs` lists them).
const ECMA_SPACE: &str = r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// The pattern in `regex` syntax with ECMA-262 semantics; `None` for what cannot be said so
/// simply (the caller then skips the pattern, as when `regex` rejects the result).
fn ecma_to_regex(source: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = source.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                match escaped {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    's' => out.push_str(&format!("[{ECMA_SPACE}]")),
                    'S' => out.push_str(&format!("[^{ECMA_SPACE}]")),
                    'b' if !in_class => out.push_str(r"(?-u:\b)"),
                    'B' if !in_class => out.push_str(r"(?-u:\B)"),
                    // `\b` in a class is a backspace; `\c`, `\0` and octal have no `regex` form.
                    'b' | 'c' | '0'..='9' => return None,
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '.' if !in_class => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // `[]` matches nothing and `[^]` anything in ECMA-262; `regex` reads a `]`
                // there as a literal.
                let rest = chars.as_str();
                if rest.starts_with(']') || rest.starts_with("^]") {
                    return None;
                }
                if let Some(after) = rest.strip_prefix('^') {
                    out.push('^');
                    chars = after.chars();
                }
            }
            // A nested `[` is literal in ECMA-262 and a nested class in `regex`.
            '[' => out.push_str(r"\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // `&&`, `--` and `~~` are class operators in `regex`, literal pairs in ECMA-262.
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// The texts the generator is built from: the pattern without its anchors and word
/// boundaries, which `proptest` cannot generate for.
fn generator_source(translated: &str) -> String {
    translated.replace(r"(?-u:\b)", "").replace(r"(?-u:\B)", "").replace(['^', '$'], "")
}

/// Characters for the edits: ASCII that patterns mention, and the characters where ECMA-262
/// and `regex` would disagree without the translation.
const EDIT_ALPHABET: &[char] = &[
    'a', 'z', 'A', 'Z', '0', '9', '_', '-', '.', ':', '/', '@', ' ', '\t', '\n', '\r', '=', '+',
    '$', 'é', 'À', 'ÿ', '\u{A0}', '\u{85}', '\u{2028}', '\u{FEFF}', '\u{1680}', '😀', '\u{0}',
];

/// Up to `count` texts for the pattern: generated ones, and each edited a little.
fn texts(translated: &str, count: usize, runner: &mut TestRunner, rng: &mut Rng) -> Vec<String> {
    let mut out = vec![String::new()];
    if let Ok(strategy) = proptest::string::string_regex(&generator_source(translated)) {
        for _ in 0..count {
            if let Ok(tree) = strategy.new_tree(runner) {
                out.push(tree.current());
            }
        }
    }
    let generated = out.len();
    for i in 0..generated.max(count / 2) {
        let mut chars: Vec<char> = out[i % generated].chars().collect();
        for _ in 0..=rng.below(3) {
            let c = *rng.pick(EDIT_ALPHABET);
            let at = rng.below(chars.len() + 1);
            match rng.below(3) {
                0 => chars.insert(at, c),
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => chars[at] = c,
                _ => chars.push(c),
            }
        }
        out.push(chars.into_iter().collect());
    }
    out
}

/// Patterns for the syntax: classes, escapes, quantifiers, groups, anchors, boundaries.
const SYNTAX: &[&str] = &[
    r"^[a-z]+$",
    r"[^a-z0-9]",
    r"^\d{3}-\d{4}$",
    r"^\w+@\w+\.\w{2,}$",
    r"^\s*$",
    r"\S\s\S",
    r"^.{1,5}$",
    r"^.*$",
    r"a.b",
    r"\bword\b",
    r"\Bx\B",
    r"^(?:ab|cd)*e?$",
    r"^(a|b|)+$",
    r"^a{2}b{1,}c{0,2}$",
    r"^a*?b+?c??$",
    r"^[\w.-]+$",
    r"^[\d\s]+$",
    r"^[^\s]+$",
    r"^[\D]+$",
    r"^[\W_]+$",
    r"^[À-ÿ]+$",
    r"^[\u0041-\u005A]+$",
    r"^\x41\u0042$",
    r"\$\^\.\*\+\?\(\)\[\]\{\}\|\\\/",
    r"^[.]$",
    r"^[$^]+$",
    r"^(?:(?:a|b)c|d(?:e|f)){1,3}$",
    r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$",
    r"^(\d{1,3}\.){3}\d{1,3}$",
    r"x|^y|z$",
];

#[test]
fn matches_as_the_regex_crate_does() {
    let (traits, documented) = super::pattern::model_patterns();
    let sources: Vec<&str> = traits
        .keys()
        .chain(documented.keys())
        .map(String::as_str)
        .chain(SYNTAX.iter().copied())
        .collect();
    let mut runner = TestRunner::deterministic();
    let mut rng = Rng(0x0005_eed0_fec3_a262);
    let (mut compared, mut matched, mut unmatched) = (0, 0, 0);
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for source in &sources {
        // The patterns the matcher knowingly reports unsupported (their check is skipped).
        if super::pattern::UNSUPPORTED_IN_MODELS.iter().any(|(p, _)| p == source) {
            continue;
        }
        let (Ok(ours), Some(translated)) = (Pattern::new(source), ecma_to_regex(source)) else {
            skipped.push(*source);
            continue;
        };
        let Ok(theirs) = Regex::new(&translated) else {
            skipped.push(*source);
            continue;
        };
        compared += 1;
        for text in texts(&translated, 24, &mut runner, &mut rng) {
            let (a, b) = (ours.is_match(&text), theirs.is_match(&text));
            if a != b {
                failures.push(format!("{source:?} on {text:?}: ours {a}, regex {b}"));
            }
            if a {
                matched += 1;
            } else {
                unmatched += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
    // Most patterns were compared, on texts that both match and do not.
    assert!(compared >= 50 && skipped.len() * 10 < sources.len(), "skipped {skipped:#?}");
    assert!(matched > 500 && unmatched > 500, "{matched} matched, {unmatched} did not");
}
