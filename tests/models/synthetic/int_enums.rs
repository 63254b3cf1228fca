// absent: UnusedIntEnum
//
// Behaviour of the crate generated from `int_enums.json` (sdkId "Synthetic Int Enums"): an intEnum
// with negative, zero, extreme and deprecated values, used as a structure member (optional,
// required, defaulted), in a list, a sparse list, a map, a union and an error; an intEnum with a
// member named `UNKNOWN`; a @sensitive intEnum; a deprecated structure member.
//
// `UnusedIntEnum` is reachable from nothing: it must not be generated.

use std::collections::BTreeMap;

use synthetic_int_enums::operation::schedule::{ScheduleError, ScheduleInput, ScheduleOutput};
use synthetic_int_enums::types::error::TooBusy;
use synthetic_int_enums::types::{Choice, Priority, SecretLevel, Status, Task};

/// Compiles only if the value has type `T`.
fn has_type<T>(_: &T) {}

fn json<T: serde_core::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
#[allow(deprecated)]
fn values_convert_both_ways() {
    let all = [
        (Priority::Low, 1),
        (Priority::Medium, 5),
        (Priority::High, 10),
        (Priority::Negative, -1),
        (Priority::Zero, 0),
        (Priority::Max, i32::MAX),
        (Priority::Min, i32::MIN),
        (Priority::Old, 99),
    ];
    for (variant, value) in all {
        assert_eq!(variant.as_i32(), value);
        assert_eq!(Priority::from(value), variant);
        assert_eq!(variant.to_string(), value.to_string());
        assert_eq!(json(&variant), value.to_string());
        assert_eq!(serde_json::from_str::<Priority>(&value.to_string()).unwrap(), variant);
    }
    assert_eq!(Priority::values(), &[1, 5, 10, -1, 0, i32::MAX, i32::MIN, 99]);
    assert_eq!(format!("{:?}", Priority::High), "High");
}

#[test]
fn unknown_values_are_kept() {
    let unknown = Priority::from(42);
    assert!(!Priority::values().contains(&unknown.as_i32()));
    assert_eq!(unknown, Priority::from(42));
    assert_eq!(unknown.as_i32(), 42);
    assert_eq!(unknown.to_string(), "42");
    assert_eq!(json(&unknown), "42");
    assert_eq!(serde_json::from_str::<Priority>("42").unwrap(), unknown);
    // Copy, Eq, Hash and Ord are derived.
    let copy = unknown;
    assert_eq!(copy, unknown);
    let mut set = std::collections::BTreeSet::new();
    set.insert(Priority::High);
    set.insert(Priority::Low);
    assert_eq!(set.len(), 2);
}

#[test]
fn non_integers_are_rejected() {
    for bad in [r#""1""#, "1.5", "true", "null", "2147483648"] {
        assert!(serde_json::from_str::<Priority>(bad).is_err(), "{bad}");
    }
}

#[test]
#[allow(deprecated)] // the catch-all's name is what this checks
fn a_member_named_unknown_moves_the_catch_all() {
    assert_eq!(Status::from(0), Status::Unknown);
    assert_eq!(Status::Unknown.as_i32(), 0);
    assert_eq!(Status::from(7), Status::UnknownValue(7));
    assert_eq!(Status::UnknownValue(7).as_i32(), 7);
    assert_eq!(Status::values(), &[0, 1]);
}

#[test]
fn sensitive_int_enums_are_redacted() {
    assert_eq!(format!("{:?}", SecretLevel::TopSecret), "*** Sensitive Data Redacted ***");
    assert_eq!(SecretLevel::TopSecret.as_i32(), 4);
    let task = Task::builder()
        .name("t")
        .required(Priority::Low)
        .level(SecretLevel::Confidential)
        .build()
        .unwrap();
    let debug = format!("{task:?}");
    assert!(
        !debug.contains("Confidential") && debug.contains("*** Sensitive Data Redacted ***"),
        "{debug}"
    );
    assert_eq!(json(&task), r#"{"name":"t","required":1,"defaulted":5,"level":3}"#);
}

#[test]
fn int_enums_in_structures_and_collections() {
    let error = Task::builder().name("t").build().unwrap_err();
    assert_eq!(error.member(), "required");

    let task = Task::builder()
        .name("write tests")
        .priority(Priority::High)
        .required(Priority::from(-7))
        .set_history(Some(vec![Priority::Low, Priority::from(3)]))
        .set_by_owner(Some(BTreeMap::from([
            ("bob".to_string(), Priority::Medium),
            ("ann".to_string(), Priority::Zero),
        ])))
        .set_sparse(Some(vec![Some(Priority::Min), None]))
        .status(Status::Active)
        .build()
        .unwrap();
    has_type::<Option<Priority>>(&task.priority);
    has_type::<Priority>(&task.required);
    has_type::<Priority>(&task.defaulted);
    has_type::<Option<Vec<Priority>>>(&task.history);
    has_type::<Option<BTreeMap<String, Priority>>>(&task.by_owner);
    has_type::<Option<Vec<Option<Priority>>>>(&task.sparse);
    has_type::<Option<SecretLevel>>(&task.level);
    // @default(5) on an intEnum member.
    assert_eq!(task.defaulted, Priority::Medium);

    let text = concat!(
        r#"{"name":"write tests","priority":10,"required":-7,"defaulted":5,"history":[1,3],"#,
        r#""byOwner":{"ann":0,"bob":5},"sparse":[-2147483648,null],"status":1}"#
    );
    assert_eq!(json(&task), text);
    assert_eq!(serde_json::from_str::<Task>(text).unwrap(), task);
    let defaulted: Task = serde_json::from_str(r#"{"name":"n","required":99}"#).unwrap();
    assert_eq!(defaulted.defaulted, Priority::Medium);
    assert_eq!(defaulted.required.as_i32(), 99);
}

#[test]
#[allow(deprecated)]
fn deprecated_members_still_work() {
    let task =
        Task::builder().name("n").required(Priority::Old).legacy("old name").build().unwrap();
    assert_eq!(task.legacy.as_deref(), Some("old name"));
    assert_eq!(json(&task), r#"{"name":"n","required":99,"defaulted":5,"legacy":"old name"}"#);
}

#[test]
fn int_enums_in_unions_operations_and_errors() {
    assert_eq!(json(&Choice::Priority(Priority::High)), r#"{"priority":10}"#);
    assert_eq!(
        serde_json::from_str::<Choice>(r#"{"status":0}"#).unwrap(),
        Choice::Status(Status::Unknown)
    );
    assert_eq!(
        serde_json::from_str::<Choice>(r#"{"status":5}"#).unwrap(),
        Choice::Status(Status::from(5))
    );

    let input: ScheduleInput = ScheduleInput::builder().priority(Priority::Low).build();
    has_type::<Option<Task>>(&input.task);
    assert_eq!(json(&input), r#"{"priority":1}"#);
    let output: ScheduleOutput = ScheduleOutput::builder()
        .set_accepted(Some(vec![Priority::Low, Priority::from(1000)]))
        .choice(Choice::Priority(Priority::Zero))
        .build();
    assert_eq!(json(&output), r#"{"accepted":[1,1000],"choice":{"priority":0}}"#);

    let busy = TooBusy::builder().message("later").max_priority(Priority::Low).build();
    assert!(busy.is_server_fault());
    assert_eq!(json(&busy), r#"{"message":"later","maxPriority":1}"#);
    assert_eq!(ScheduleError::TooBusy(busy).to_string(), "TooBusy: later");
}
