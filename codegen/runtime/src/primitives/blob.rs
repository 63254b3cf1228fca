//! Smithy `blob` support: the [`Blob`] byte container and a small base64
//! codec (RFC 4648, standard alphabet).

#[cfg(feature = "serde")]
use std::fmt;

/// Binary data (a Smithy `blob`).
///
/// In JSON documents a blob is carried as a base64 string (standard alphabet,
/// with padding); the serde implementations follow that convention.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// Creates a blob from anything convertible into bytes.
    pub fn new(inner: impl Into<Vec<u8>>) -> Self {
        Blob { inner: inner.into() }
    }

    /// Consumes the blob and returns its bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(inner: Vec<u8>) -> Self {
        Blob { inner }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob { inner: bytes.to_vec() }
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob { inner: text.as_bytes().to_vec() }
    }
}

impl From<String> for Blob {
    fn from(text: String) -> Self {
        Blob { inner: text.into_bytes() }
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.inner
    }
}

/// Base64 encoding and decoding with the standard alphabet (RFC 4648 §4).
#[allow(dead_code)]
pub(crate) mod base64 {
    use std::fmt;

    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// The 6-bit value of a base64 symbol, or `None` outside the alphabet.
    fn decode_symbol(byte: u8) -> Option<u8> {
        match byte {
            b'A'..=b'Z' => Some(byte - b'A'),
            b'a'..=b'z' => Some(byte - b'a' + 26),
            b'0'..=b'9' => Some(byte - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }

    /// Why a base64 string could not be decoded.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub(crate) enum DecodeError {
        /// A byte outside the standard alphabet (and not correct padding) at
        /// the given byte offset.
        Byte {
            /// Byte offset in the input.
            index: usize,
            /// The offending byte.
            byte: u8,
        },
        /// The number of data characters cannot come from encoding whole bytes
        /// (one character left over in the last group).
        Length,
        /// `=` padding in the wrong place or of the wrong amount.
        Padding,
    }

    impl fmt::Display for DecodeError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                DecodeError::Byte { index, byte } => write!(
                    f,
                    "invalid base64: byte 0x{byte:02x} at offset {index} is not in the standard alphabet"
                ),
                DecodeError::Length => {
                    f.write_str("invalid base64: the input length is not valid")
                }
                DecodeError::Padding => f.write_str("invalid base64: incorrect `=` padding"),
            }
        }
    }

    impl std::error::Error for DecodeError {}

    fn symbol(index: u32) -> char {
        // `index & 63` is always within the 64-entry alphabet.
        char::from(ALPHABET.get((index & 63) as usize).copied().unwrap_or(b'A'))
    }

    /// Encodes `input` as base64 with the standard alphabet and `=` padding.
    pub(crate) fn encode(input: &[u8]) -> String {
        let mut out = String::with_capacity(input.len().div_ceil(3).saturating_mul(4));
        let mut chunks = input.chunks_exact(3);
        for chunk in &mut chunks {
            if let [a, b, c] = *chunk {
                let n = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
                out.push(symbol(n >> 18));
                out.push(symbol(n >> 12));
                out.push(symbol(n >> 6));
                out.push(symbol(n));
            }
        }
        match *chunks.remainder() {
            [a] => {
                let n = u32::from(a) << 16;
                out.push(symbol(n >> 18));
                out.push(symbol(n >> 12));
                out.push_str("==");
            }
            [a, b] => {
                let n = (u32::from(a) << 16) | (u32::from(b) << 8);
                out.push(symbol(n >> 18));
                out.push(symbol(n >> 12));
                out.push(symbol(n >> 6));
                out.push('=');
            }
            _ => {}
        }
        out
    }

    /// Decodes base64 with the standard alphabet.
    ///
    /// Padding may be omitted, but if present it must be correct (the padded
    /// length a multiple of four, `=` only at the end). Any other byte outside
    /// the alphabet, including whitespace and the URL-safe `-`/`_`, is an
    /// error. Non-zero unused bits in the last character are ignored.
    pub(crate) fn decode(input: &str) -> Result<Vec<u8>, DecodeError> {
        let bytes = input.as_bytes();
        let data_len =
            bytes.iter().rposition(|&b| b != b'=').map_or(0, |last| last.saturating_add(1));
        let padding = bytes.len().saturating_sub(data_len);
        let data = bytes.get(..data_len).unwrap_or(&[]);
        let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
        let mut acc: u32 = 0;
        let mut bits: u32 = 0;
        for (index, &byte) in data.iter().enumerate() {
            let Some(value) = decode_symbol(byte) else {
                return Err(if byte == b'=' {
                    DecodeError::Padding
                } else {
                    DecodeError::Byte { index, byte }
                });
            };
            acc = ((acc << 6) | u32::from(value)) & 0x00FF_FFFF;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push(((acc >> bits) & 0xFF) as u8);
            }
        }
        let total_rem = bytes.len() % 4;
        if padding > 0 && (padding > 2 || total_rem != 0) {
            return Err(DecodeError::Padding);
        }
        match data.len() % 4 {
            1 => Err(DecodeError::Length),
            // Padding, when present, must exactly complete the last group.
            rem if padding > 0 && rem.saturating_add(padding) != 4 => Err(DecodeError::Padding),
            _ => Ok(out),
        }
    }
}

#[cfg(feature = "serde")]
impl ::serde_core::Serialize for Blob {
    /// Serializes as a base64 string (standard alphabet, padded).
    fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::encode(&self.inner))
    }
}

#[cfg(feature = "serde")]
struct BlobVisitor;

#[cfg(feature = "serde")]
impl<'de> ::serde_core::de::Visitor<'de> for BlobVisitor {
    type Value = Blob;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string or bytes")
    }

    fn visit_str<E: ::serde_core::de::Error>(self, v: &str) -> Result<Blob, E> {
        base64::decode(v).map(Blob::from).map_err(E::custom)
    }

    fn visit_bytes<E: ::serde_core::de::Error>(self, v: &[u8]) -> Result<Blob, E> {
        Ok(Blob::from(v))
    }

    fn visit_byte_buf<E: ::serde_core::de::Error>(self, v: Vec<u8>) -> Result<Blob, E> {
        Ok(Blob::from(v))
    }

    fn visit_seq<A: ::serde_core::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Blob, A::Error> {
        // Cap the pre-allocation: the size hint comes from untrusted input.
        let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(byte) = seq.next_element::<u8>()? {
            bytes.push(byte);
        }
        Ok(Blob::from(bytes))
    }
}

#[cfg(feature = "serde")]
impl<'de> ::serde_core::Deserialize<'de> for Blob {
    /// Deserializes from a base64 string, raw bytes, or a sequence of `u8`.
    fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BlobVisitor)
    }
}
