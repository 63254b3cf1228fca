//! The MD5 of `codegen/runtime/md5.rs` (emitted for `@httpChecksumRequired`) against RFC 1321's
//! test suite and against Python's `hashlib` (`fixtures/md5.txt`, written by `fixtures/md5.py`)
//! on lengths around every padding boundary.

#[path = "../runtime/src/protocol/md5.rs"]
mod md5;

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

#[test]
fn hashlib_reference() {
    let fixture = include_str!("fixtures/md5.txt");
    let mut checked = 0;
    for line in fixture.lines() {
        let (length, expected) = line.split_once(' ').expect("`<length> <digest>`");
        let length: usize = length.parse().expect("a length");
        let data: Vec<u8> = (0..length).map(|i| ((i * 7 + 3) % 256) as u8).collect();
        assert_eq!(hex(md5::digest(&data)), expected, "MD5 of {length} bytes");
        checked += 1;
    }
    assert_eq!(checked, 17);
}
