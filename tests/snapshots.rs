//! insta snapshots of the generated crate, one snapshot per generated file, so that a model
//! update shows up in review as a per-file diff (`cargo insta review`).
//!
//! Snapshot sets (under `tests/snapshots/`):
//! - `chime-sdk-meetings/`: the current model (`model/chime-sdk-meetings.json`), every file;
//! - `history-2022-03-16/` and `history-2022-04-13/`: either side of the 2022-03-21 release that
//!   added `PrimaryMeetingId` (the runtime `primitives/` files are left out: they do not depend
//!   on the model and are locked by the first set).

mod support;

use std::collections::BTreeSet;

use similar::{ChangeTag, TextDiff};

fn snapshot_name(path: &str) -> String {
    path.replace('/', "__")
}

/// Asserts one snapshot per file, and that the set has no snapshot of a file no longer generated.
fn assert_snapshots(set: &str, model: &str, include_runtime: bool) {
    let rendered = support::generate(model);
    let mut expected = BTreeSet::new();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(format!("snapshots/{set}"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(model);
    settings.bind(|| {
        for (path, text) in &rendered {
            if !include_runtime && path.starts_with("src/primitives/") {
                continue;
            }
            let name = snapshot_name(path);
            expected.insert(format!("{name}.snap"));
            insta::assert_snapshot!(name, text);
        }
    });
    let dir = support::root().join("tests/snapshots").join(set);
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".snap") && !expected.contains(n))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty(),
        "snapshots of files no longer generated (delete them): {stale:?} in {}",
        dir.display()
    );
}

#[test]
fn current_model() {
    assert_snapshots("chime-sdk-meetings", "model/chime-sdk-meetings.json", true);
}

#[test]
fn history_2022_03_16() {
    assert_snapshots("history-2022-03-16", "model/history/2022-03-16.json", false);
}

#[test]
fn history_2022_04_13() {
    assert_snapshots("history-2022-04-13", "model/history/2022-04-13.json", false);
}

/// The 2022-03-21 release (seed 004) added `PrimaryMeetingId` to CreateMeeting,
/// CreateMeetingWithAttendees and Meeting, and nothing else: the generated diff must say exactly
/// that (in the types, in the request writers and the `Meeting` reader of the protocol
/// layer, and in the client's fluent builders of the two operations), so a reviewer reading it learns the API change and nothing spurious.
#[test]
fn primary_meeting_id_release_diff_is_exactly_the_new_member() {
    let before = support::generate("model/history/2022-03-16.json");
    let after = support::generate("model/history/2022-04-13.json");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file added or removed"
    );

    let changed: Vec<&str> = after
        .iter()
        .filter(|(path, text)| before[*path] != **text)
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(
        changed,
        [
            "src/client/builders.rs",
            "src/operation/create_meeting.rs",
            "src/operation/create_meeting_with_attendees.rs",
            "src/protocol/create_meeting.rs",
            "src/protocol/create_meeting_with_attendees.rs",
            "src/protocol/json.rs",
            "src/types/_meeting.rs",
        ],
        "the two inputs and Meeting (types, their restJson1 writers and reader, and the client's fluent builders of the two inputs), nothing else"
    );

    let member_docs = [
        "When specified, replicates the media from the primary meeting to the new meeting.",
        "When specified, replicates the media from the primary meeting to this meeting.",
    ];
    for path in changed {
        let diff = TextDiff::from_lines(&before[path], &after[path]);
        // Consecutive added lines form a hunk; every hunk must be about the new member, and
        // every doc line in it must be the member's documentation.
        let mut hunks: Vec<Vec<&str>> = Vec::new();
        let mut in_hunk = false;
        for change in diff.iter_all_changes() {
            match change.tag() {
                ChangeTag::Equal => in_hunk = false,
                ChangeTag::Delete => panic!("{path}: a line was removed: {}", change.value()),
                ChangeTag::Insert => {
                    if !in_hunk {
                        hunks.push(Vec::new());
                        in_hunk = true;
                    }
                    hunks.last_mut().expect("hunk").push(change.value().trim());
                }
            }
        }
        let added: usize = hunks.iter().map(Vec::len).sum();
        for hunk in &hunks {
            let text = hunk.join("\n");
            assert!(
                text.contains("primary_meeting_id") || text.contains("PrimaryMeetingId"),
                "{path}: an added hunk unrelated to PrimaryMeetingId:\n{text}"
            );
            for doc in hunk.iter().filter_map(|l| l.strip_prefix("///")) {
                assert!(member_docs.contains(&doc.trim()), "{path}: unrelated doc line: {doc}");
            }
        }
        assert!(added > 0, "{path}: no line added");
    }
}
