//! The `@pattern` regular-expression engine (`primitives/pattern.rs`): every pattern of the
//! repository's models, the syntax table by table, errors and limits, pathological patterns,
//! and no panics on random input.

use crate::primitives::pattern::{Pattern, PatternError, PatternErrorKind};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn compile(source: &str) -> Pattern {
    Pattern::new(source).unwrap_or_else(|e| panic!("{source:?} should compile: {e}"))
}

fn compile_error(source: &str) -> PatternError {
    match Pattern::new(source) {
        Ok(pattern) => panic!("{source:?} should not compile, got {pattern:?}"),
        Err(e) => e,
    }
}

/// Checks a table of (pattern, text, expected `is_match`).
fn check_table(cases: &[(&str, &str, bool)]) {
    let mut failures = Vec::new();
    for &(source, text, expected) in cases {
        let actual = compile(source).is_match(text);
        if actual != expected {
            failures.push(format!("{source:?} on {text:?}: expected {expected}, got {actual}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

use super::rng::Rng;

fn assert_fast(what: &str, limit: Duration, run: impl FnOnce() -> bool, expected: bool) {
    let start = Instant::now();
    let actual = run();
    let elapsed = start.elapsed();
    assert_eq!(actual, expected, "{what}");
    assert!(elapsed < limit, "{what} took {elapsed:?}");
}

// ---------------------------------------------------------------------------
// Every pattern in the repository's models
// ---------------------------------------------------------------------------

/// Patterns from the models that use a feature the engine deliberately does
/// not implement. `Pattern::new` reports them as `Unsupported`, which the
/// generated `validate()` treats as "cannot check here" (the service still
/// validates).
pub(super) const UNSUPPORTED_IN_MODELS: &[(&str, &str)] = &[
    // chime-sdk-meetings `TenantId` (and every model in model/history):
    // "no character repeated four times in a row", written with a negative
    // lookahead and a backreference. Neither fits a linear-time automaton.
    (r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$", "lookahead + backreference"),
    // ivs `TagKey` / `TagValue`: Unicode property escapes (Java syntax; in
    // ECMA-262 without the `u` flag `\p` would mean a literal `p`). Exact
    // support needs Unicode general-category tables in every crate.
    (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$", "Unicode property escape"),
    (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "Unicode property escape"),
    // connect: lookaheads (reserved prefixes such as `aws:`, "not only dots") and Unicode
    // property escapes, as above.
    (
        r#"^(?!\\.$)(?!\\.\\.$)[\\p{L}\\p{Z}\\p{N}\\-_.:=@'|]+$"#,
        "lookahead + Unicode property escape",
    ),
    (r#"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"#, "lookahead + Unicode property escape"),
    (r#"^(?!aws:)[a-zA-Z+-=._:/]+$"#, "lookahead"),
    (r#"^(?!aws:|connect:)[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]+$"#, "lookahead"),
    (r#"^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$"#, "lookahead"),
    (r#"^([\p{L}\p{N}_.:\/=+\-@()']+[\p{L}\p{Z}\p{N}_.:\/=+\-@()']*)$"#, "Unicode property escape"),
    (
        r#"^([\p{L}\p{N}_.:\/=+\-@,()']+[\p{L}\p{Z}\p{N}_.:\/=+\-@,()']*)$"#,
        "Unicode property escape",
    ),
    (r#"^([\p{L}\p{Z}\p{N}_.:\/=+\-@]*)$"#, "Unicode property escape"),
    (r#"^/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/$"#, "lookahead"),
    (r#"^[\P{C}\r\n\t]{1,127}$"#, "Unicode property escape"),
    (r#"^[\P{C}\r\n\t]{1,250}$"#, "Unicode property escape"),
    (r#"^[\p{L}\p{Z}\p{N}\-_.:=@'|]+$"#, "Unicode property escape"),
    (r#"^\P{C}*$"#, "Unicode property escape"),
    (r#"(?=^.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}"#, "lookahead"),
    // lambda (event-streams corpus): lookaheads ("not only digits", a reserved `system.`
    // prefix) and a lookbehind ("not ending in a dot").
    (r#"^((?!^\d+$)^[0-9a-zA-Z-_]+$)$"#, "lookahead"),
    (r#"^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$"#, "lookahead"),
    (r#"^(^(?!(system\x2e)))(^[_a-zA-Z0-9])([^$]*)$"#, "lookahead"),
    (r#"^[0-9A-Za-z\.\-_]*(?<!\.)$"#, "lookbehind"),
];

/// Patterns from the models that compile but can match no text at all.
const NEVER_MATCHING_IN_MODELS: &[&str] = &[
    // dataexchange `AwsAccountId`: a JavaScript regex literal with its `/`
    // delimiters kept, so `^` comes after a `/` and can never hold.
    r"/^[\d]{12}$/",
];

fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR")); // codegen/runtime
    manifest_dir.ancestors().nth(2).expect("codegen/runtime is two levels down").to_path_buf()
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
}

/// `smithy.api#pattern` values, and `Pattern: <code>...</code>` examples in
/// documentation, anywhere in `value`.
fn collect_patterns(value: &Value, traits: &mut Vec<String>, documented: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("smithy.api#pattern", Value::String(p)) => traits.push(p.clone()),
                    ("smithy.api#documentation", Value::String(doc)) => {
                        let mut rest = doc.as_str();
                        while let Some(at) = rest.find("Pattern: <code>") {
                            rest = &rest[at + "Pattern: <code>".len()..];
                            if let Some(end) = rest.find("</code>") {
                                documented.push(rest[..end].to_owned());
                                rest = &rest[end..];
                            }
                        }
                    }
                    _ => collect_patterns(value, traits, documented),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_patterns(item, traits, documented);
            }
        }
        _ => {}
    }
}

/// `smithy.api#pattern` values and documented patterns: each with the files it appears in.
pub(super) type ModelPatterns = (BTreeMap<String, Vec<String>>, BTreeMap<String, Vec<String>>);

/// Every pattern in model/ and tests/models/, with the files it appears in (read once).
pub(super) fn model_patterns() -> &'static ModelPatterns {
    static PATTERNS: OnceLock<ModelPatterns> = OnceLock::new();
    PATTERNS.get_or_init(read_model_patterns)
}

fn read_model_patterns() -> ModelPatterns {
    let root = repo_root();
    let mut files = Vec::new();
    json_files(&root.join("model"), &mut files);
    json_files(&root.join("tests/models"), &mut files);
    assert!(files.len() > 10, "found only {} model files", files.len());
    let mut traits = BTreeMap::<String, Vec<String>>::new();
    let mut documented = BTreeMap::<String, Vec<String>>::new();
    for file in files {
        let name = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
        let text = std::fs::read_to_string(&file).expect("readable model");
        let json: Value = match serde_json::from_str(&text) {
            Ok(json) => json,
            // Deliberately malformed test inputs.
            Err(_) if name.contains("broken") => continue,
            Err(e) => panic!("{name} is not JSON: {e}"),
        };
        let (mut found, mut docs) = (Vec::new(), Vec::new());
        collect_patterns(&json, &mut found, &mut docs);
        for p in found {
            traits.entry(p).or_default().push(name.clone());
        }
        for p in docs {
            documented.entry(p).or_default().push(name.clone());
        }
    }
    (traits, documented)
}

#[test]
fn every_model_pattern_compiles() {
    let (traits, documented) = model_patterns();
    assert!(traits.len() >= 40, "found only {} patterns", traits.len());
    // The one unsupported pattern of the main model is really there.
    assert!(traits.contains_key(UNSUPPORTED_IN_MODELS[0].0));

    let mut failures = Vec::new();
    for (source, files) in traits.iter().chain(documented) {
        let unsupported = UNSUPPORTED_IN_MODELS.iter().find(|(p, _)| p == source);
        match (Pattern::new(source), unsupported) {
            (Ok(pattern), None) => {
                let never = NEVER_MATCHING_IN_MODELS.contains(&source.as_str());
                if pattern.never_matches() != never {
                    failures.push(format!("{source:?}: never_matches() should be {never}"));
                }
            }
            (Err(e), None) => failures.push(format!("{source:?} (in {files:?}): {e}")),
            (Err(e), Some(_)) if e.kind() == PatternErrorKind::Unsupported => {}
            (result, Some((_, why))) => failures
                .push(format!("{source:?} ({why}) should be reported unsupported, got {result:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The chime-sdk-meetings documentation states the ExternalUserId pattern.
    assert!(documented.contains_key(r##"[-_&@+=,(){}\[\]\/«».:|'"#a-zA-Z0-9À-ÿ\s]*"##));
}

#[test]
fn unsupported_model_patterns_report_why() {
    for (source, _) in UNSUPPORTED_IN_MODELS {
        let e = compile_error(source);
        assert_eq!(e.kind(), PatternErrorKind::Unsupported, "{source:?}: {e}");
    }
    let e = compile_error(UNSUPPORTED_IN_MODELS[0].0);
    assert_eq!(e.offset(), Some(1));
    assert_eq!(
        e.to_string(),
        "unsupported regular expression feature at character 1: lookahead assertions are not supported"
    );
    let e = compile_error(r"^([\p{L}]+)$");
    assert_eq!(e.offset(), Some(3));
    assert!(e.message().contains(r"\p{...}"), "{e}");
}

#[test]
fn never_matching_model_pattern() {
    let p = compile(r"/^[\d]{12}$/");
    assert!(p.never_matches());
    for text in ["123456789012", "/123456789012/", "", "/"] {
        assert!(!p.is_match(text), "{text:?}");
    }
    assert!(!compile(r"^\d{12}$").never_matches());
    // Other ways to match nothing.
    for source in
        ["[]", "[^\\s\\S]", "a^", "$a", "x$y", "\\uD800", "[\\uD800-\\uDFFF]", "(?:$a|b^)+"]
    {
        assert!(compile(source).never_matches(), "{source:?}");
    }
    for source in ["", "^", "$", "^$", "a$|^b", "[^]", "a*$", "^(?:^a)?$", "\\b", "(?:$)*"] {
        assert!(!compile(source).never_matches(), "{source:?}");
    }
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

#[test]
fn search_semantics_and_anchors() {
    check_table(&[
        ("abc", "xabcx", true),
        ("abc", "abc", true),
        ("abc", "ab", false),
        ("abc", "", false),
        ("abc", "aabbcc", false),
        ("^abc$", "xabcx", false),
        ("^abc$", "abc", true),
        ("^abc$", "abcabc", false),
        ("^abc", "abcx", true),
        ("^abc", "xabc", false),
        ("abc$", "xabc", true),
        ("abc$", "abcx", false),
        ("^a|b$", "ax", true),
        ("^a|b$", "xb", true),
        ("^a|b$", "xa", false),
        ("^a|b$", "bx", false),
        ("^a|b$", "", false),
        ("^(?:a|b)$", "ab", false),
        ("", "", true),
        ("", "anything", true),
        ("^", "x", true),
        ("$", "x", true),
        ("^$", "", true),
        ("^$", "x", false),
        ("^$", "\n", false),
        ("^a$", "a\n", false),
        ("^a$", "\na", false),
        ("^^$|^x$$", "", true),
        ("^^$|^x$$", "x", true),
        ("^^$|^x$$", "xx", false),
        ("a^b", "a^b", false),
        ("a$b", "a$b", false),
        ("$a", "a", false),
        ("(?:^|,)b", "a,b", true),
        ("(?:^|,)b", "ab", false),
        ("(?:^|,)b", "b", true),
        ("a(?:$|,)", "ba", true),
        ("a(?:$|,)", "ab", false),
    ]);
}

#[test]
fn dot_and_unicode() {
    check_table(&[
        (".", "a", true),
        (".", "", false),
        (".", "\n", false),
        (".", "\r", false),
        (".", "\u{2028}", false),
        (".", "\u{2029}", false),
        (".", "\t", true),
        (".", "\u{85}", true),
        ("a.c", "a\nc", false),
        ("a.c", "a-c", true),
        ("^.$", "é", true),
        // Characters, not UTF-8 bytes or UTF-16 code units.
        ("^.$", "😀", true),
        ("^..$", "😀", false),
        ("^.{3}$", "aé😀", true),
        ("^[À-ÿ]+$", "é", true),
        ("[À-ÿ]+", "é", true),
        ("[À-ÿ]+", "e", false),
        ("^[À-ÿ]+$", "éÿÀ", true),
        ("^[À-ÿ]+$", "éĀ", false),
        ("^[\\u00C0-\\u00FF]+$", "éÿÀ", true),
        ("^[\\u00C0-\\u00FF]+$", "Ā", false),
        ("^[\\u00c0-\\u00ff]$", "¿", false),
        ("\\u00e9", "café", true),
        ("^\\u{1F600}$", "😀", true),
        ("^\\u{e9}$", "é", true),
        ("^\\uD83D\\uDE00$", "😀", true),
        ("^[\\uD83D\\uDE00-\\uD83D\\uDE4F]$", "🙏", true),
        ("^[\\uD83D\\uDE00-\\uD83D\\uDE4F]$", "🚀", false),
        // A lone surrogate is not a character: it matches nothing.
        ("\\uD83D", "😀", false),
        ("^[\\uD800-\\uDFFF]*$", "", true),
        ("^[^a]$", "😀", true),
        ("^[«»]+$", "«»", true),
        ("é", "café", true),
        ("^é+$", "éé", true),
    ]);
}

#[test]
fn classes() {
    check_table(&[
        ("^[a-c]+$", "abcab", true),
        ("^[a-c]+$", "abcd", false),
        ("^[abc]$", "b", true),
        ("^[^a-c]+$", "xyz", true),
        ("^[^a-c]+$", "xaz", false),
        ("[^a]", "a", false),
        ("[^a]", "\n", true),
        ("[^a]", "", false),
        ("[]", "a", false),
        ("[]", "", false),
        ("[^]", "\n", true),
        ("[^]", "", false),
        ("^[\\s\\S]*$", "any\nthing", true),
        ("^[-a]+$", "-a-", true),
        ("^[-a]+$", "b", false),
        ("^[a-]+$", "-a", true),
        ("^[^-]$", "-", false),
        ("^[^-]$", "a", true),
        ("^[a\\-z]+$", "-az", true),
        ("^[a\\-z]+$", "b", false),
        ("^[--/]+$", "-./", true),
        // `+-=` is the range U+002B..=U+003D (it includes `,` and digits).
        ("^[+-=]$", ",", true),
        ("^[+-=]$", "5", true),
        ("^[+-=]$", "a", false),
        // After a range, `-` is literal: `[a-zA-Z-,]` is letters, `-` and `,`.
        ("^[a-zA-Z-,]+$", "a-,Z", true),
        ("^[a-zA-Z-,]+$", "a.", false),
        ("^[a-z0-9-.]+$", "a-b.c", true),
        ("^[a-z0-9-.]+$", "a_b", false),
        // `,-.` is the range `,` `-` `.`.
        ("^[a-zA-Z0-9,-._]+$", "a,b-c.d_e", true),
        ("^[a-zA-Z0-9,-._]+$", "a/b", false),
        // A class escape next to `-` makes the `-` literal.
        ("^[\\w-=]+$", "a-=", true),
        ("^[\\w-=]+$", "a+", false),
        ("^[=-\\d]+$", "=-5", true),
        ("^[\\d]+$", "0123", true),
        ("^[\\d]+$", "012a", false),
        ("^[\\D]+$", "abc", true),
        ("^[\\D]+$", "a1", false),
        ("^[\\w]+$", "a_Z9", true),
        ("^[\\W]+$", "-+ é", true),
        ("^[\\s]+$", " \t\n", true),
        ("^[\\S]+$", "a b", false),
        ("^[^\\s]+$", "ab", true),
        ("^[^\\s]+$", "a b", false),
        ("^[^\\d\\s]+$", "ab", true),
        ("^[^\\d\\s]+$", "a1", false),
        ("[\\]]", "]", true),
        ("[\\]]", "\\", false),
        ("[\\\\]", "\\", true),
        ("^[\\[\\]]+$", "[]", true),
        ("[[]", "[", true),
        ("[\\/]", "/", true),
        ("^[\\b]$", "\u{8}", true),
        ("^[\\b]$", "b", false),
        ("^[\\t\\n]+$", "\t\n", true),
        ("^[\\x41-\\x43]+$", "ABC", true),
        ("^[\\x41-\\x43]+$", "D", false),
        ("^[\\u0041-\\u{43}]+$", "ABC", true),
        ("^[.]$", "a", false),
        ("^[.]$", ".", true),
        ("^[$^|*+?(){}]+$", "$^|*+?(){}", true),
        ("^[\\^]$", "^", true),
        ("^[a^]+$", "^a", true),
        ("^[\\0]$", "\0", true),
        ("^[\\cA]$", "\u{1}", true),
    ]);
}

#[test]
fn escapes_and_literals() {
    check_table(&[
        ("\\.", "a", false),
        ("\\.", ".", true),
        ("a\\/b", "a/b", true),
        ("a/b", "a/b", true),
        ("\\^", "^", true),
        ("\\$", "$", true),
        ("^\\$LATEST$", "$LATEST", true),
        ("\\(\\)", "()", true),
        ("\\[\\]", "[]", true),
        ("\\{\\}", "{}", true),
        ("\\\\", "\\", true),
        ("\\\\", "", false),
        ("\\*\\+\\?\\|", "*+?|", true),
        ("\\-", "-", true),
        ("\\:\\_\\@\\#\\ ", ":_@# ", true),
        ("\\t", "\t", true),
        ("\\n", "\n", true),
        ("\\r", "\r", true),
        ("\\f", "\u{c}", true),
        ("\\v", "\u{b}", true),
        ("\\0", "\0", true),
        ("\\cJ", "\n", true),
        ("\\cj", "\n", true),
        ("\\x41", "A", true),
        ("^\\x41$", "a", false),
        ("\\u0041", "A", true),
        ("\\d", "5", true),
        ("\\d", "٣", false),
        ("^\\D$", "a", true),
        ("^\\D$", "5", false),
        ("^\\w+$", "a_Z9", true),
        ("^\\w+$", "é", false),
        ("^\\W$", "é", true),
        ("^\\W$", "_", false),
        ("^\\s$", " ", true),
        ("^\\s$", "\u{A0}", true),
        ("^\\s$", "\u{FEFF}", true),
        ("^\\s$", "\u{3000}", true),
        ("^\\s$", "\u{2028}", true),
        ("^\\s$", "\u{85}", false),
        ("^\\s$", "\u{200B}", false),
        ("^\\S+$", "a b", false),
        ("^\\S+$", "ab", true),
        ("\\S", "", false),
        ("\\S", " \t", false),
        ("\\S", " x ", true),
        // Literal braces and brackets where they cannot be syntax.
        ("]", "]", true),
        ("}", "}", true),
        ("a{", "a{", true),
        ("a{1", "a{1", true),
        ("a{,5}", "a{,5}", true),
        ("x{a}", "x{a}", true),
        ("{", "{", true),
        ("^a{1,2}{$", "aa{", true),
    ]);
}

#[test]
fn word_boundaries() {
    check_table(&[
        ("\\bfoo\\b", "a foo b", true),
        ("\\bfoo\\b", "foo", true),
        ("\\bfoo\\b", "afoob", false),
        ("\\bfoo\\b", "foo_", false),
        ("\\bfoo\\b", "foo-", true),
        ("\\Bfoo", "afoo", true),
        ("\\Bfoo", "foo", false),
        ("^\\b$", "", false),
        ("^\\B$", "", true),
        ("\\b", "a", true),
        ("\\b", "-", false),
        ("\\B", "", true),
        ("é\\b", "é", false),
    ]);
}

#[test]
fn quantifiers() {
    check_table(&[
        ("^a*$", "", true),
        ("^a*$", "aaa", true),
        ("^a*$", "aab", false),
        ("^a+$", "", false),
        ("^a+$", "aaa", true),
        ("^a?$", "", true),
        ("^a?$", "a", true),
        ("^a?$", "aa", false),
        ("^a{3}$", "aaa", true),
        ("^a{3}$", "aa", false),
        ("^a{3}$", "aaaa", false),
        ("^a{2,}$", "aa", true),
        ("^a{2,}$", "aaaaaaa", true),
        ("^a{2,}$", "a", false),
        ("^a{2,3}$", "a", false),
        ("^a{2,3}$", "aa", true),
        ("^a{2,3}$", "aaa", true),
        ("^a{2,3}$", "aaaa", false),
        ("^a{0}$", "", true),
        ("^a{0}$", "a", false),
        ("^a{0,0}b$", "b", true),
        ("^a{0,2}$", "aa", true),
        ("^a{0,2}$", "aaa", false),
        ("^a{1,1}$", "a", true),
        ("a{3}", "xaaax", true),
        ("a{3}", "xaax", false),
        ("^(?:ab){2}$", "abab", true),
        ("^(?:ab){2}$", "aba", false),
        ("^(?:a|bc){2,3}$", "abc", true),
        ("^(?:a|bc){2,3}$", "bcbcbca", false),
        ("^\\d{12}$", "123456789012", true),
        ("^\\d{12}$", "12345678901", false),
        ("^\\d{12}$", "1234567890123", false),
        // Lazy forms: same answers.
        ("^a*?$", "aa", true),
        ("^a+?b$", "aab", true),
        ("^a??$", "a", true),
        ("^a??$", "aa", false),
        ("^a{2,3}?$", "aa", true),
        ("^a{2,}?$", "a", false),
        ("^a{2}?$", "aa", true),
        ("a*?", "", true),
        // Empty loops terminate.
        ("^(?:a*)*$", "aaa", true),
        ("^(?:a*)*$", "aab", false),
        ("^(?:a?)+b$", "b", true),
        ("^(?:)*$", "", true),
        ("^(?:)+x$", "x", true),
        ("^(?:|a)+$", "aa", true),
        ("^(?:^)*a$", "a", true),
        ("^(?:$)*a$", "a", true),
        ("^(?:){5}$", "", true),
        ("^(?:){4294967295}$", "", true),
        ("^(?:a{0}){4294967295}b$", "b", true),
    ]);
}

#[test]
fn groups_and_alternation() {
    check_table(&[
        ("^(ab)+$", "abab", true),
        ("^(ab)+$", "aba", false),
        ("^(?:a|bc)*$", "abca", true),
        ("^(?:a|bc)*$", "ab", false),
        ("^(a|)$", "", true),
        ("^(|a)$", "a", true),
        ("^(?<name>x)$", "x", true),
        ("^(?<n1>x)(?<$n_2>y)$", "xy", true),
        ("^()$", "", true),
        ("^(?:)$", "", true),
        ("a|", "zzz", true),
        ("|", "", true),
        ("cat|dog", "hotdog", true),
        ("cat|dog", "cow", false),
        ("^(cat|dog)s?$", "dogs", true),
        ("^(cat|dog)s?$", "cats!", false),
        ("(a|ab)(c|bcd)(d*)", "abcd", true),
        ("^((a|b)(c|d))+$", "acbdad", true),
        ("^((a|b)(c|d))+$", "acbda", false),
        ("^(((((x)))))$", "x", true),
    ]);
}

// ---------------------------------------------------------------------------
// Real patterns
// ---------------------------------------------------------------------------

/// The chime-sdk-meetings ExternalUserId / ExternalMeetingId pattern, as its
/// documentation states it.
const CHIME_EXTERNAL_ID: &str = r##"[-_&@+=,(){}\[\]\/«».:|'"#a-zA-Z0-9À-ÿ\s]*"##;

#[test]
fn chime_patterns() {
    let anchored = format!("^{CHIME_EXTERNAL_ID}$");
    check_table(&[
        // Unanchored and `*`: it matches the empty string, so every text.
        (CHIME_EXTERNAL_ID, "", true),
        (CHIME_EXTERNAL_ID, "😀~", true),
        (&anchored, "José «x» [1]/{2}(3)", true),
        (&anchored, "a\tb\nc", true),
        (&anchored, r##"-_&@+=,'"#.:|"##, true),
        (&anchored, "ÀÿÉ", true),
        (&anchored, "a😀", false),
        (&anchored, "~", false),
        (&anchored, "a;b", false),
        (&anchored, "Ā", false),
        (&anchored, "\\", false),
        // chime-sdk-meetings resource ARNs.
        (r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", "arn:aws:chime::123456789012:meeting/abc-def_1.0", true),
        (r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", "arn", false),
        (r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", "xarn:aws", false),
        (r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", "arn:aws:x y", false),
        (r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", "arn:aws:é", false),
        (
            r"^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$",
            "123e4567-E89B-12d3-a456-426614174000",
            true,
        ),
        (
            r"^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$",
            "123e4567-e89b-12d3-a456-42661417400g",
            false,
        ),
        (
            r"^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$",
            "123e4567-e89b-12d3-426614174000",
            false,
        ),
        (r"^[-_a-zA-Z0-9]*$", "", true),
        (r"^[-_a-zA-Z0-9]*$", "a-b_C9", true),
        (r"^[-_a-zA-Z0-9]*$", "a b", false),
        (r"^[0-9a-zA-Z._-]+$", "us-east-1.a_b", true),
        (r"^[0-9a-zA-Z._-]+$", "", false),
        (r"^[A-Z_, ]+$", "AUDIO, VIDEO_X", true),
        (r"^[A-Z_, ]+$", "audio", false),
        (r"^[\s\w+-=\.:/@]*$", "key=value:1/2@x.y z", true),
        (r"^[\s\w+-=\.:/@]*$", "a&b", false),
        (r"^[a-zA-Z+-=._:/]+$", "a+b=c.d_e:f/g", true),
        (r"^[a-zA-Z+-=._:/]+$", "a b", false),
        (r"^[a-zA-Z-,]+$", "Audio,Video-X", true),
        (r"^[a-zA-Z-,]+$", "Audio;Video", false),
        (r"^[a-zA-Z0-9,-._]+$", "a,b.c-d_e", true),
        (r"^arn:", "arn:aws:chime", true),
        (r"^arn:", "xarn:", false),
    ]);
}

#[test]
fn other_aws_patterns() {
    let arn = r"^arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}$";
    let long_resource = format!("arn:aws:s3:::{}", "x".repeat(1024));
    let too_long_resource = format!("arn:aws:s3:::{}", "x".repeat(1025));
    let grants = r"^[a-zA-Z0-9]{30,40}$|^arn:aws:dataexchange:[\-a-z0-9]*:(\d{12}):data-grants\/[a-zA-Z0-9]{30,40}$";
    let id30 = "a".repeat(30);
    let id41 = "a".repeat(41);
    let grant_arn = format!("arn:aws:dataexchange:us-east-1:123456789012:data-grants/{id30}");
    let lambda = r"^arn:aws:lambda:[a-z]{2}-[a-z]+-\d{1}:\d{12}:function:[a-zA-Z0-9\-_\.]+(:(\$LATEST|[a-zA-Z0-9\-_]+))?$";
    let resource_name =
        r"^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]*$";
    // IAM's policy document pattern (not in this repository): the surrogate
    // pairs `\uD800\uDC00` and `\uDBFF\uDFFF` are the range U+10000..=U+10FFFF.
    let iam_policy = r"^[\u0009\u000A\u000D\u0020-\u00FF]+$|^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$";
    let base64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";
    let ivs_ad = r"^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:ad-configuration/[a-zA-Z0-9-]+$$";
    let long_s = "s".repeat(8192);
    let too_long_s = "s".repeat(8193);
    check_table(&[
        (arn, "arn:aws:iam::123456789012:role/my-role", true),
        (arn, "arn:aws:iam::123456789012:/role", false),
        (arn, "arn::iam::123:role", false),
        (arn, "arn:aws:iam::123456789012:role\n", false),
        (arn, &long_resource, true),
        (arn, &too_long_resource, false),
        (grants, &id30, true),
        (grants, &id41, false),
        (grants, &grant_arn, true),
        (grants, &format!("{grant_arn}!"), false),
        (lambda, "arn:aws:lambda:us-east-1:123456789012:function:my-fn", true),
        (lambda, "arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST", true),
        (lambda, "arn:aws:lambda:us-east-1:123456789012:function:my-fn:v2", true),
        (lambda, "arn:aws:lambda:us-east-1:123456789012:function:my-fn:$OTHER", false),
        (lambda, "arn:aws:lambda:useast-1:123456789012:function:my-fn", false),
        (r"^arn:aws:iam::(\d{12}):role\/.+$", "arn:aws:iam::123456789012:role/x", true),
        (r"^arn:aws:iam::(\d{12}):role\/.+$", "arn:aws:iam::123456789012:role/", false),
        (
            r"^arn:aws:lex:[a-z]{2}-[a-z]+-\d{1}:\d{12}:bot-alias/[A-Z0-9]{10}/[A-Z0-9]{10}$",
            "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/0123456789",
            true,
        ),
        (resource_name, "hello\tworld\r\n", true),
        (resource_name, "é ✓ \u{85}", true),
        (resource_name, "\u{1}", false),
        (resource_name, "\u{FFFE}", false),
        // `\u10000` is `\u1000` then `0`: supplementary characters are not
        // in the class (as in JavaScript and Java).
        (resource_name, "😀", false),
        (iam_policy, "{\"Version\": \"2012-10-17\"}", true),
        (iam_policy, "😀", true),
        (iam_policy, "\u{1}", false),
        (base64, "", true),
        (base64, "aGVsbG8=", true),
        (base64, "aGVsbA==", true),
        (base64, "aGVsbG8h", true),
        (base64, "aGVsbG8", false),
        (base64, "a===", false),
        (r"^([A-Za-z]_?)+$", "a_b_c", true),
        (r"^([A-Za-z]_?)+$", "ab_", true),
        (r"^([A-Za-z]_?)+$", "a__b", false),
        (r"^([A-Za-z]_?)+$", "_a", false),
        (r"^[A-Za-z0-9]([A-Za-z0-9\:\-\_\.\@]{0,62}[A-Za-z0-9])?$", "a", true),
        (r"^[A-Za-z0-9]([A-Za-z0-9\:\-\_\.\@]{0,62}[A-Za-z0-9])?$", "a:b-c_d.e@f", true),
        (r"^[A-Za-z0-9]([A-Za-z0-9\:\-\_\.\@]{0,62}[A-Za-z0-9])?$", "a-", false),
        (r"^[\x21-\x7E]{1,64}$", "!~", true),
        (r"^[\x21-\x7E]{1,64}$", "a b", false),
        (r"^\S{1,8192}$", &long_s, true),
        (r"^\S{1,8192}$", &too_long_s, false),
        (r"^\S{1,8192}$", "", false),
        (ivs_ad, "", true),
        (ivs_ad, "arn:aws:ivs:us-west-2:123456789012:ad-configuration/abc-123", true),
        (ivs_ad, "arn:aws:ivs:us-west-2:123456789012:channel/abc", false),
        (r"^st-[a-zA-Z0-9]+$", "st-abc", true),
        (r"^st-[a-zA-Z0-9]+$", "st-", false),
        (r"^[a-z0-9]{7}$", "abc1234", true),
        (r".*", "", true),
        (r"\S", "", false),
    ]);
}

// ---------------------------------------------------------------------------
// Errors and limits
// ---------------------------------------------------------------------------

#[test]
fn errors() {
    use PatternErrorKind::{Syntax, TooComplex, Unsupported};
    let cases: &[(&str, PatternErrorKind)] = &[
        ("(", Syntax),
        ("(a", Syntax),
        ("a)", Syntax),
        (")", Syntax),
        ("[a", Syntax),
        ("[", Syntax),
        ("[^", Syntax),
        ("[a-", Syntax),
        ("[z-a]", Syntax),
        ("[\\u00FF-\\u00C0]", Syntax),
        ("\\", Syntax),
        ("a\\", Syntax),
        ("*", Syntax),
        ("+a", Syntax),
        ("?", Syntax),
        ("a|*", Syntax),
        ("(*)", Syntax),
        ("a**", Syntax),
        ("a*??", Syntax),
        ("a{2}{3}", Syntax),
        ("a{2}*", Syntax),
        ("{2}", Syntax),
        ("a{3,2}", Syntax),
        ("^*", Syntax),
        ("$+", Syntax),
        ("\\b*", Syntax),
        ("(?", Syntax),
        ("(?)", Syntax),
        ("(?#comment)", Syntax),
        ("(?<>a)", Syntax),
        ("(?<1a>a)", Syntax),
        ("(?<a", Syntax),
        ("\\x4", Syntax),
        ("\\xZZ", Syntax),
        ("\\u12", Syntax),
        ("\\u{}", Syntax),
        ("\\u{110000}", Syntax),
        ("\\u{41", Syntax),
        ("\\c", Syntax),
        ("\\c1", Syntax),
        ("\\q", Syntax),
        ("\\A", Syntax),
        ("\\z", Syntax),
        ("[\\B]", Syntax),
        ("[\\q]", Syntax),
        ("(?=a)", Unsupported),
        ("(?!a)", Unsupported),
        ("(?<=a)b", Unsupported),
        ("(?<!a)b", Unsupported),
        ("(a)\\1", Unsupported),
        ("\\9", Unsupported),
        ("(?<n>a)\\k<n>", Unsupported),
        ("\\p{L}", Unsupported),
        ("\\P{L}", Unsupported),
        ("[\\p{N}]", Unsupported),
        ("\\01", Unsupported),
        ("[\\1]", Unsupported),
        ("(?i)abc", Unsupported),
        ("(?i:abc)", Unsupported),
        ("a{1000}{1000}", Syntax),
        ("(?:a{1000}){1000}", TooComplex),
        ("a{20001}", TooComplex),
        ("a{4294967295}", TooComplex),
        ("a{99999999999999999999}", TooComplex),
        ("a{0,4294967295}", TooComplex),
        ("a{1,}{2}", Syntax),
        ("(?:(?:a{100}){100}){100}", TooComplex),
        ("[\\s\\S]{0,65535}", TooComplex),
    ];
    let mut failures = Vec::new();
    for &(source, kind) in cases {
        match Pattern::new(source) {
            Err(e) if e.kind() == kind => {
                // Display works and names the problem.
                assert!(!e.to_string().is_empty());
            }
            other => failures.push(format!("{source:?}: expected {kind:?}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let e = compile_error("ab[c");
    assert_eq!(e.offset(), Some(2));
    assert_eq!(
        e.to_string(),
        "invalid regular expression at character 2: unterminated character class"
    );
    let e = compile_error("a{20001}");
    assert_eq!(e.offset(), None);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
    assert!(boxed.to_string().contains("too complex"));
}

#[test]
fn size_limit_boundary() {
    // 19 999 characters and the final match instruction: exactly the limit.
    assert!(compile("^a{19998}").is_match(&"a".repeat(19998)));
    assert!(!compile("^a{19998}").is_match(&"a".repeat(19997)));
    assert_eq!(compile_error("^a{19999}").kind(), PatternErrorKind::TooComplex);
    assert!(compile(".{0,1023}").is_match(""));
    // Compiles and matches quickly even for the largest program.
    let p = compile("a{9999}b");
    assert_fast(
        "a{9999}b against 3 000 `a`s",
        Duration::from_secs(10),
        || p.is_match(&"a".repeat(3_000)),
        false,
    );
}

#[test]
fn nesting_depth_limit() {
    let nested = |depth: usize| format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
    assert!(compile(&nested(50)).is_match("a"));
    assert_eq!(compile_error(&nested(51)).kind(), PatternErrorKind::TooComplex);
    // Deep nesting never overflows the stack.
    for depth in [1_000, 100_000] {
        let e = compile_error(&nested(depth));
        assert_eq!(e.kind(), PatternErrorKind::TooComplex);
        assert_eq!(e.offset(), Some(50));
        let e = compile_error(&"(?:".repeat(depth));
        assert_eq!(e.kind(), PatternErrorKind::TooComplex);
        let e = compile_error(&"[".repeat(depth));
        assert_eq!(e.kind(), PatternErrorKind::Syntax);
    }
    // Long flat patterns are fine.
    let long = "ab|".repeat(3_000) + "c";
    assert!(compile(&long).is_match("xc"));
    // Many nested groups in sequence.
    let many = "((a))".repeat(2_000);
    assert!(compile(&many).is_match(&"a".repeat(2_000)));
}

// ---------------------------------------------------------------------------
// Adversarial inputs
// ---------------------------------------------------------------------------

#[test]
fn pathological_patterns_are_linear() {
    let a50k = "a".repeat(50_000);
    let limit = Duration::from_secs(5);
    let cases: &[(&str, bool)] = &[
        ("(a*)*b", false),
        ("^(a*)*b$", false),
        ("(a+)+b", false),
        ("(a|a)*b", false),
        ("(a|aa)*b", false),
        ("(?:a?){30}a{30}b", false),
        ("(.*)*x", false),
        ("^(a+)+$", true),
        ("(a*)*$", true),
        ("(?:a*)*a{20}$", true),
        ("\\b(?:a|\\B)*b", false),
    ];
    for &(source, expected) in cases {
        let p = compile(source);
        assert_fast(source, limit, || p.is_match(&a50k), expected);
    }
    let p = compile(r"^([A-Za-z]_?)+$");
    let text = "a_".repeat(20_000) + "!";
    assert_fast("tag-like pattern", limit, || p.is_match(&text), false);
    let p = compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");
    let text = "A".repeat(40_001);
    assert_fast("base64 pattern", limit, || p.is_match(&text), false);
    let p = compile(
        r"^arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}$",
    );
    let text = format!("arn:{}", ":".repeat(20_000));
    assert_fast("arn pattern", limit, || p.is_match(&text), false);
}

/// Pieces that random patterns are made of: metacharacters, escapes (valid
/// and not), brace forms and a few literals.
const PIECES: &[&str] = &[
    "a",
    "b",
    "é",
    "😀",
    "-",
    ".",
    "*",
    "+",
    "?",
    "|",
    "(",
    ")",
    "(?:",
    "(?=",
    "(?<n>",
    "[",
    "]",
    "[^",
    "^",
    "$",
    "{",
    "}",
    "{2}",
    "{0,3}",
    "{1,}",
    "{9,2}",
    ",",
    "0",
    "1",
    "9",
    "\\",
    "\\d",
    "\\D",
    "\\w",
    "\\W",
    "\\s",
    "\\S",
    "\\b",
    "\\B",
    "\\u",
    "\\u00e9",
    "\\uD83D",
    "\\uDE00",
    "\\u{1F600}",
    "\\u{",
    "\\x",
    "\\x4",
    "\\x41",
    "\\c",
    "\\cA",
    "\\0",
    "\\1",
    "\\p{L}",
    "\\-",
    "\\]",
    "\\\\",
    "\\/",
    "\\.",
    "\\n",
    "\\t",
    "\\k",
    "\\q",
    "*?",
    "??",
    "+?",
];

const TEXT_CHARS: &[char] =
    &['a', 'b', 'é', '😀', '-', '0', '1', '9', ' ', '\n', '_', '{', ']', '\u{8}'];

#[test]
fn fuzz_no_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut compiled = 0;
    let start = Instant::now();
    for _ in 0..100_000 {
        let mut source = String::new();
        for _ in 0..rng.below(12) {
            let piece: &&str = rng.pick(PIECES);
            source.push_str(piece);
        }
        let Ok(p) = Pattern::new(&source) else {
            continue;
        };
        compiled += 1;
        let _ = p.never_matches();
        // Wrapping a pattern in a group changes nothing.
        let wrapped = Pattern::new(&format!("(?:{source})"));
        for _ in 0..4 {
            let text: String = (0..rng.below(10)).map(|_| *rng.pick(TEXT_CHARS)).collect();
            let matched = p.is_match(&text);
            if let Ok(wrapped) = &wrapped {
                assert_eq!(wrapped.is_match(&text), matched, "{source:?} on {text:?}");
            }
            // A match anywhere is a match in a longer text... unless anchors,
            // `\b` or `\B` look at the surroundings.
            if matched && !source.contains(['^', '$', '\\']) {
                assert!(p.is_match(&format!("x{text}x")), "{source:?} on {text:?}");
            }
        }
    }
    assert!(compiled > 10_000, "only {compiled} random patterns compiled");
    assert!(start.elapsed() < Duration::from_secs(120), "fuzz took {:?}", start.elapsed());
}

#[test]
fn fuzz_random_characters() {
    // Arbitrary characters, including unusual ones, never panic either.
    let mut rng = Rng(42);
    let chars: Vec<char> =
        "()[]{}|*+?.^$\\-,:=!<>/ab0123456789dDwWsSbBuxcpkntrfv0é😀\u{0}".chars().collect();
    for _ in 0..20_000 {
        let source: String = (0..rng.below(16)).map(|_| *rng.pick(&chars)).collect();
        if let Ok(p) = Pattern::new(&source) {
            let text: String = (0..rng.below(8)).map(|_| *rng.pick(&chars)).collect();
            let _ = p.is_match(&text);
            let _ = p.never_matches();
        }
    }
}

// ---------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------

#[test]
fn api() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Pattern>();
    assert_send_sync::<PatternError>();

    static LAZY: std::sync::OnceLock<Result<Pattern, PatternError>> = std::sync::OnceLock::new();
    let p = LAZY.get_or_init(|| Pattern::new("^[a-z]+$"));
    assert!(p.as_ref().is_ok_and(|p| p.is_match("abc")));

    let p = compile(r"^\d+$");
    assert_eq!(p.as_str(), r"^\d+$");
    assert_eq!(format!("{p:?}"), r#"Pattern { source: "^\\d+$", .. }"#);
    let q = p.clone();
    assert!(q.is_match("42"));

    std::thread::scope(|s| {
        for i in 0..2 {
            let p = &p;
            s.spawn(move || assert!(p.is_match(&i.to_string())));
        }
    });
}
