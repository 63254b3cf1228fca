//! The orchestration's own header values.

use crate::client::orchestrate::attempt_header;

#[test]
fn the_attempt_header_reads_as_formatted_for_every_count() {
    for max in [1, 2, 3, 4, 5, 6, 10, 1_000, u32::MAX] {
        for attempt in [0, 1, 2, 3, 4, 5, 6, max.saturating_sub(1), max, max.saturating_add(1)] {
            let value = attempt_header(attempt, max).expect("an ASCII header value");
            assert_eq!(
                value.to_str().expect("visible ASCII"),
                format!("attempt={attempt}; max={max}"),
                "attempt {attempt} of {max}"
            );
        }
    }
}
