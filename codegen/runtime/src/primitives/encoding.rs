//! Text encodings of the Smithy HTTP bindings as restJson1 uses them:
//! percent-encoding of URI labels and query strings, list-valued headers,
//! and error codes.
//!
//! Every function accepts any input without panicking.

/// Whether `byte` is an RFC 3986 unreserved character
/// (`A-Z a-z 0-9 - . _ ~`).
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

fn percent_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s, keep_slash);
    out
}

/// Appends `s` percent-encoded to `out`: every byte but the unreserved characters (and `/`
/// with `keep_slash`) as `%XX`, as [`percent_encode_label`] and [`percent_encode_query`] do.
pub(crate) fn percent_encode_into(out: &mut String, s: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let kept = |byte: u8| is_unreserved(byte) || (keep_slash && byte == b'/');
    let bytes = s.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        // A run of bytes kept as they are, copied at once; then one byte encoded. A run is
        // ASCII, so a non-empty one starts and ends on character boundaries.
        let end = bytes[start..].iter().position(|&b| !kept(b)).map_or(bytes.len(), |n| start + n);
        if end > start {
            out.push_str(s.get(start..end).unwrap_or_default());
        }
        if let Some(&byte) = bytes.get(end) {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        start = end + 1;
    }
}

/// Percent-encodes a value bound to a URI path label (`@httpLabel`).
///
/// Every byte of the UTF-8 is encoded as `%XX` (uppercase hex) except the
/// RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`. For a greedy label
/// (`{name+}`), `/` is kept too so that the value spans path segments.
///
/// `percent_encode_label("a b/c", false)` is `a%20b%2Fc`, and
/// `percent_encode_label("a b/c", true)` is `a%20b/c`.
pub fn percent_encode_label(s: &str, greedy: bool) -> String {
    percent_encode(s, greedy)
}

/// Percent-encodes a query string key or value (`@httpQuery`).
///
/// Like [`percent_encode_label`] without `greedy`: only the unreserved
/// characters are kept, so a space is `%20`, `+` is `%2B`, `/` is `%2F` and
/// `=`, `&` and `?` are encoded too.
pub fn percent_encode_query(s: &str) -> String {
    percent_encode(s, false)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` sequences (either case of hex).
///
/// A `%` not followed by two hex digits is kept as is, `+` stays `+` (this is
/// RFC 3986 decoding, not form decoding), and bytes that do not form valid
/// UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while let Some(&byte) = bytes.get(pos) {
        if byte == b'%' {
            let high = bytes.get(pos + 1).copied().and_then(hex_value);
            let low = bytes.get(pos + 2).copied().and_then(hex_value);
            if let (Some(high), Some(low)) = (high, low) {
                out.push((high << 4) | low);
                pos += 3;
                continue;
            }
        }
        out.push(byte);
        pos += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Prepares one item of a list-valued header (a header bound to a list).
///
/// An item that contains `,` or `"`, starts or ends with whitespace, or is
/// empty is wrapped in double quotes, with `"` and `\` escaped by a
/// backslash; any other item is returned unchanged. [`split_header_list`]
/// undoes this.
///
/// `b,c` gives `"b,c"`, `say "hi"` gives `"say \"hi\""`, `a` gives `a`.
pub fn quote_header_list_item(s: &str) -> String {
    let needs_quotes = s.is_empty()
        || s.contains([',', '"'])
        || s.starts_with(is_header_whitespace)
        || s.ends_with(is_header_whitespace);
    if !needs_quotes {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Joins the items of a list-valued header with `, `, quoting each with
/// [`quote_header_list_item`].
pub fn join_header_list<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(&quote_header_list_item(item.as_ref()));
    }
    out
}

fn is_header_whitespace(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Splits the value of a list-valued header into its items.
///
/// Items are separated by commas outside double quotes, and surrounding
/// spaces and tabs are trimmed. A quoted item has its quotes removed and
/// its backslash escapes undone (`\x` gives `x`); text between its closing
/// quote and the next comma is appended unchanged, and an unterminated quote
/// runs to the end of the value. An empty (or all-whitespace) value is an
/// empty list; otherwise every piece is an item, empty ones included
/// (`a,,b` gives `a`, an empty item and `b`).
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    if value.trim_matches(is_header_whitespace).is_empty() {
        return items;
    }
    let mut chars = value.chars().peekable();
    loop {
        while chars.next_if(|&c| is_header_whitespace(c)).is_some() {}
        let mut item = String::new();
        if chars.next_if_eq(&'"').is_some() {
            // The quoted part, then anything up to the comma.
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            item.push(escaped);
                        }
                    }
                    c => item.push(c),
                }
            }
            let mut rest = String::new();
            while let Some(c) = chars.next_if(|&c| c != ',') {
                rest.push(c);
            }
            item.push_str(rest.trim_matches(is_header_whitespace));
        } else {
            while let Some(c) = chars.next_if(|&c| c != ',') {
                item.push(c);
            }
            let trimmed = item.trim_end_matches(is_header_whitespace).len();
            item.truncate(trimmed);
        }
        items.push(item);
        if chars.next().is_none() {
            return items;
        }
    }
}

/// Splits the value of a header bound to a list of `http-date` timestamps.
///
/// An IMF-fixdate contains a comma itself (`Mon, 16 Dec 2019 23:48:18 GMT`),
/// so the value is split on every comma and the pieces are joined again in
/// pairs (as `day, rest`), each trimmed. An odd last piece is an item of its
/// own; an empty (or all-whitespace) value is an empty list.
pub fn split_http_date_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    if value.trim().is_empty() {
        return items;
    }
    let mut pieces = value.split(',').map(str::trim);
    while let Some(day) = pieces.next() {
        match pieces.next() {
            Some(rest) => items.push(format!("{day}, {rest}")),
            None => items.push(day.to_owned()),
        }
    }
    items
}

/// Whether one of the eight bytes of `word` is `byte` (the classic test for a zero byte, on
/// `word` with `byte` cleared out: exact as a yes or no).
#[inline]
fn has_byte(word: u64, byte: u8) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// Extracts the error shape name from a restJson1 error code (the
/// `X-Amzn-Errortype` header or the body's `code`/`__type`).
///
/// Keeps the part before the first `:` (dropping suffixes such as
/// `:http://internal.amazon.com/coral/com.amazon.coral.validate/`), then the
/// part after the last `#` (dropping a namespace such as
/// `aws.protocoltests.restjson#`), trimmed of whitespace.
pub fn sanitize_error_code(raw: &str) -> &str {
    // Byte compares eight at a time: codes are short, and `split`/`rsplit` cost more in setting
    // up their searches than in searching (a tenth of reading a modeled error). Both bytes are
    // ASCII, so the slice bounds are character boundaries.
    let bytes = raw.as_bytes();
    let solid = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b.is_ascii());
    // The first word holding a `:` or a `#` (the last bytes, fewer than eight, one by one).
    let cut = |word: u64| has_byte(word, b':') || has_byte(word, b'#');
    let mut chunks = bytes.chunks_exact(8);
    let mut from = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        if cut(u64::from_le_bytes(word)) {
            break;
        }
        from += 8;
    }
    if from == bytes.len() - bytes.len() % 8
        && !chunks.remainder().iter().any(|&b| b == b':' || b == b'#')
    {
        // Nothing to cut, as most codes in a body (a bare name); and nothing to trim when both
        // ends are ASCII above the space (no whitespace, Unicode's included).
        if solid(bytes.first()) && solid(bytes.last()) {
            return raw;
        }
        return raw.trim();
    }
    // One pass from that word up to the first `:`, noting where the last `#` before it ends.
    let (mut start, mut end) = (0, bytes.len());
    for (at, &b) in bytes.iter().enumerate().skip(from) {
        match b {
            b':' => {
                end = at;
                break;
            }
            b'#' => start = at + 1,
            _ => {}
        }
    }
    let code = &raw[start..end];
    if solid(code.as_bytes().first()) && solid(code.as_bytes().last()) {
        return code;
    }
    code.trim()
}
