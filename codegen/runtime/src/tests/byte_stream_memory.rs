//! `ByteStream` in a generated crate's default build (no feature): bytes in memory, with their
//! length.

use crate::byte_stream::ByteStream;
use crate::primitives::Blob;

#[test]
fn in_memory_streams_know_their_bytes_and_length() {
    let stream = ByteStream::from("hello");
    assert_eq!(stream.content_length(), Some(5));
    assert_eq!(stream.bytes(), Some(&b"hello"[..]));
    assert_eq!(ByteStream::default().content_length(), Some(0));
    assert_eq!(ByteStream::from(vec![1, 2, 3]).bytes(), Some(&[1, 2, 3][..]));
    assert_eq!(ByteStream::from(Blob::new(vec![9; 70_000])).content_length(), Some(70_000));
    assert_eq!(ByteStream::from(String::from("é")).content_length(), Some(2));
    assert_eq!(ByteStream::from(&b"ab"[..]).bytes(), Some(&b"ab"[..]));
    assert_eq!(
        format!("{:?}", ByteStream::from("hello")),
        "ByteStream { kind: \"in memory\", content_length: Some(5) }"
    );
}
