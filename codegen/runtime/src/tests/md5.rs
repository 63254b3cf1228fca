//! The MD5 of `protocol/md5.rs` (emitted for `@httpChecksumRequired`) against RFC 1321's test
//! suite, and against the `md-5` crate on lengths around every padding boundary and on random
//! input.

use crate::protocol::md5;
use md5_oracle::Digest as _;
use proptest::prelude::*;

fn hex(digest: [u8; 16]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn rfc_1321_test_suite() {
    let cases = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "d174ab98d277d9f5a5611c2c9f419d9f",
        ),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(hex(md5::digest(input.as_bytes())), expected, "MD5({input:?})");
    }
}

fn oracle(data: &[u8]) -> [u8; 16] {
    md5_oracle::Md5::digest(data).into()
}

/// The lengths of the former Python `hashlib` fixture: each padding boundary (55/56/57 bytes,
/// one and two 64-byte blocks) and a few long inputs.
#[test]
fn md5_crate_reference() {
    const LENGTHS: [usize; 17] =
        [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 10240, 100000];
    for length in LENGTHS {
        let data: Vec<u8> = (0..length).map(|i| ((i * 7 + 3) % 256) as u8).collect();
        assert_eq!(hex(md5::digest(&data)), hex(oracle(&data)), "MD5 of {length} bytes");
    }
    // Every length up to three blocks, so each position of the padding is met.
    for length in 0..=192 {
        let data: Vec<u8> = (0..length).map(|i| (i as u8).wrapping_mul(31)).collect();
        assert_eq!(md5::digest(&data), oracle(&data), "MD5 of {length} bytes");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn md5_agrees_with_the_md5_crate(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(md5::digest(&data), oracle(&data));
    }
}
