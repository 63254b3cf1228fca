//! Any bytes, cut into chunks of any size, through the event-stream `Decoder`: it never panics,
//! it holds at most one message, the verdict does not depend on the chunking, and every message
//! it reads encodes back to the bytes it was read from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smithy_runtime::event_stream::{Decoder, Limits, Message};

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, bytes)) = data.split_first() else { return };
    // Small limits, so that the fuzzer reaches them.
    let limits = Limits::default()
        .with_max_message_len(4096)
        .with_max_headers_len(1024)
        .with_max_header_count(16);
    let whole = decode(bytes, bytes.len().max(1), limits);
    let chunked = decode(bytes, usize::from(chunk).max(1), limits);
    assert_eq!(whole, chunked);
    if let Ok(messages) = whole {
        let encoded: Vec<u8> = messages
            .iter()
            .flat_map(|m| {
                let mut out = Vec::new();
                m.encode_into(&mut out, &limits).expect("a decoded message encodes");
                out
            })
            .collect();
        assert_eq!(encoded, bytes);
    }
});

fn decode(bytes: &[u8], chunk: usize, limits: Limits) -> Result<Vec<Message>, String> {
    let mut decoder = Decoder::with_limits(limits);
    let mut messages = Vec::new();
    for piece in bytes.chunks(chunk) {
        let mut input = piece;
        while let Some(message) = decoder.decode(&mut input).map_err(|e| e.to_string())? {
            messages.push(message);
        }
        assert!(decoder.buffered() <= 4096);
    }
    decoder.finish().map_err(|e| e.to_string())?;
    Ok(messages)
}
