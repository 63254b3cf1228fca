//! Percent-encoding (`primitives/encoding.rs`) against the `percent-encoding` crate: labels and
//! query values keep exactly RFC 3986's unreserved characters (plus `/` in a greedy label), and
//! decoding is `percent_decode` with invalid UTF-8 replaced.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use proptest::prelude::*;

use crate::primitives::encoding::{percent_decode, percent_encode_label, percent_encode_query};

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const NOT_UNRESERVED: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// The same, keeping `/` (a greedy label spans path segments).
const NOT_UNRESERVED_OR_SLASH: &AsciiSet = &NOT_UNRESERVED.remove(b'/');

/// Text rich in what percent-encoding treats specially: reserved characters, `%` with and
/// without hex digits, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '%', '/', '?', '#', '[', ']', '@', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=',
        ' ', ':', '-', '.', '_', '~', 'a', 'F', '0', '9', 'é', '😀', '\0', '\u{7f}',
    ]);
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..16)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn encodes_as_the_percent_encoding_crate(s in text()) {
        let query = utf8_percent_encode(&s, NOT_UNRESERVED).to_string();
        prop_assert_eq!(percent_encode_query(&s), query.clone());
        prop_assert_eq!(percent_encode_label(&s, false), query);
        prop_assert_eq!(
            percent_encode_label(&s, true),
            utf8_percent_encode(&s, NOT_UNRESERVED_OR_SLASH).to_string()
        );
        // And decoding undoes it.
        prop_assert_eq!(percent_decode(&percent_encode_label(&s, true)), s);
    }

    /// Any text, valid escapes or not, decodes as the crate decodes it (`%` without two hex
    /// digits kept, `+` kept, invalid UTF-8 replaced by U+FFFD).
    #[test]
    fn decodes_as_the_percent_encoding_crate(s in text(), escapes in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4)) {
        let mut s = s;
        for (at, byte) in escapes {
            let mut at = at % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            s.insert_str(at, &format!("%{byte:02X}"));
        }
        prop_assert_eq!(percent_decode(&s), percent_decode_str(&s).decode_utf8_lossy().into_owned());
    }
}
