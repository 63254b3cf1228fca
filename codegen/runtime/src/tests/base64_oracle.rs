//! Base64 (`primitives/blob.rs`, `blob::base64`) against the `base64` crate configured as the
//! runtime decodes: standard alphabet, padding written; when reading, padding is optional but
//! must be complete if present (`Zg==` or `Zg`, not `Zg=`), and non-zero unused trailing bits
//! are ignored.

use ::base64::alphabet::STANDARD;
use ::base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use ::base64::engine::DecodePaddingMode;
use ::base64::Engine as _;
use proptest::prelude::*;

use crate::primitives::blob::base64;

const PADDED: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

const UNPADDED: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// The `base64` crate's reading of `text`: canonical padding if it ends with `=`, else none.
fn oracle_decode(text: &str) -> Result<Vec<u8>, ::base64::DecodeError> {
    if text.ends_with('=') {
        PADDED.decode(text)
    } else {
        UNPADDED.decode(text)
    }
}

/// Text made of base64 symbols, with some `=`, and now and then a byte from outside the
/// alphabet (whitespace, URL-safe symbols, non-ASCII).
fn base64ish() -> impl Strategy<Value = String> {
    let symbol = prop_oneof![
        12 => prop::sample::select(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".to_vec()
        )
        .prop_map(char::from),
        3 => Just('='),
        1 => prop::sample::select(vec![' ', '\n', '-', '_', '.', 'é', '\0']),
    ];
    prop::collection::vec(symbol, 0..24).prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn encodes_as_the_base64_crate(bytes in prop::collection::vec(any::<u8>(), 0..100)) {
        let encoded = base64::encode(&bytes);
        prop_assert_eq!(&encoded, &PADDED.encode(&bytes));
        prop_assert_eq!(base64::decode(&encoded).unwrap(), bytes.clone());
        prop_assert_eq!(base64::decode(encoded.trim_end_matches('=')).unwrap(), bytes);
    }

    /// Any text is accepted exactly when the `base64` crate accepts it, with the same bytes.
    #[test]
    fn decodes_as_the_base64_crate(text in base64ish()) {
        let ours = base64::decode(&text);
        let theirs = oracle_decode(&text);
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs, "{:?}", text),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{:?}: ours {:?}, base64 {:?}", text, ours, theirs),
        }
    }
}

/// Every text of up to four symbols from a small alphabet that covers each case (data,
/// padding, junk) in each position: the same verdict and bytes as the `base64` crate.
#[test]
fn every_short_text_as_the_base64_crate() {
    let alphabet = ['A', 'Q', 'g', '/', '=', '-', ' '];
    let mut texts = vec![String::new()];
    for _ in 0..4 {
        texts = texts
            .iter()
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .chain(texts.iter().cloned())
            .collect();
        texts.sort();
        texts.dedup();
    }
    assert_eq!(texts.len(), 1 + 7 + 49 + 343 + 2401);
    let mut accepted = 0;
    for text in &texts {
        let ours = base64::decode(text).ok();
        assert_eq!(ours, oracle_decode(text).ok(), "{text:?}");
        accepted += usize::from(ours.is_some());
    }
    assert!(accepted > 100, "{accepted}");
}
