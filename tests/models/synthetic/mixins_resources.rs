// absent: OrphanDetail
// absent: GetOrphanInput
// absent: GetOrphanOutput
// absent: GetOrphanError
// absent: NeverUsed
// absent: ThingIdMixin
// absent: Timestamps
// absent: Owned
// absent: Audited
// absent: SecretMixin
// absent: LocalSecretMixin
// absent: StatusMixin
// absent: UnavailableMixin
// absent: BaseColor
// absent: BaseAttachment
// absent: ValidatedOperation
//
// Behaviour of the crate generated from `mixins_resources.json` (sdkId "Synthetic Mixins"):
//
// - resources bound through the service's `resources`: every lifecycle operation (`create`,
//   `read`, `delete`, `list`), `operations`, `collectionOperations` and a nested resource's
//   `read` are generated; `GetThing` is bound both directly and as `read`, and appears once;
// - service-level `errors` are variants of every operation's error enum;
// - structure mixins (several, and a mixin of a mixin), member order (mixin members first),
//   a redeclared mixin member, enum and union mixins, an operation mixin adding an error;
// - traits inherited from mixins (`@sensitive`, `@httpError`, with later mixins taking
//   precedence), `localTraits` that are not inherited;
// - `apply` statements on a member, on a mixed-in member copy and on a mixin's own member.
//
// Mixins are never generated; the `OrphanResource` (not bound to the service), its operation
// `GetOrphan`, its shapes, and the structure `NeverUsed` are reachable from nothing.

use synthetic_mixins::operation::archive_thing::{
    ArchiveThingError, ArchiveThingInput, ArchiveThingOutput,
};
use synthetic_mixins::operation::count_things::{
    CountThingsError, CountThingsInput, CountThingsOutput,
};
use synthetic_mixins::operation::create_thing::{
    CreateThingError, CreateThingInput, CreateThingOutput,
};
use synthetic_mixins::operation::delete_thing::{
    DeleteThingError, DeleteThingInput, DeleteThingOutput,
};
use synthetic_mixins::operation::get_part::{GetPartError, GetPartInput, GetPartOutput};
use synthetic_mixins::operation::get_thing::{GetThingError, GetThingInput, GetThingOutput};
use synthetic_mixins::operation::list_things::{
    ListThingsError, ListThingsInput, ListThingsOutput,
};
use synthetic_mixins::operation::ping::{PingError, PingInput, PingOutput};
use synthetic_mixins::primitives::{Blob, DateTime};
use synthetic_mixins::types::error::{
    Conflict, NotFound, ServiceFault, Throttled, ValidationError,
};
use synthetic_mixins::types::{
    Attachment, AuditRecord, Color, Credentials, Part, PublicHint, Thing, ThingSummary,
};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Compiles only if the value has type `T`.
fn has_type<T>(_: &T) {}

fn json<T: serde_core::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn thing() -> Thing {
    Thing::builder()
        .created_at(DateTime::from_secs(0))
        .owner("olga")
        .thing_id("t-1")
        .name("widget")
        .color(Color::Blue)
        .attachment(Attachment::Url("https://example.com".to_string()))
        .build()
        .unwrap()
}

#[test]
fn mixin_members_come_first_in_mixin_order() {
    let thing = thing();
    has_type::<Option<DateTime>>(&thing.created_at);
    has_type::<Option<DateTime>>(&thing.updated_at);
    // `owner` is @required in the `Owned` mixin; `thingId` is @required locally.
    has_type::<String>(&thing.owner);
    has_type::<String>(&thing.thing_id);
    has_type::<Option<String>>(&thing.name);
    assert_eq!(
        json(&thing),
        r#"{"createdAt":"1970-01-01T00:00:00Z","owner":"olga","thingId":"t-1","name":"widget","color":"blue","attachment":{"url":"https://example.com"}}"#
    );
    assert_eq!(Thing::builder().thing_id("t").build().unwrap_err().member(), "owner");
    assert_eq!(Thing::builder().owner("o").build().unwrap_err().member(), "thingId");
}

#[test]
fn a_redeclared_mixin_member_and_an_applied_required_trait() {
    // `owner` is redeclared with @clientOptional; `name` is made @required by `apply`.
    let summary = ThingSummary::builder().name("n").build().unwrap();
    has_type::<Option<String>>(&summary.owner);
    has_type::<String>(&summary.name);
    assert_eq!(json(&summary), r#"{"name":"n"}"#);
    assert_eq!(ThingSummary::builder().owner("o").build().unwrap_err().member(), "name");
}

#[test]
fn a_mixin_of_a_mixin_and_apply_on_a_mixin_member() {
    // `Audited` mixes in `Timestamps`; `apply Audited$auditor @required` reaches every shape
    // that uses `Audited`.
    assert_eq!(AuditRecord::builder().action("a").build().unwrap_err().member(), "auditor");
    let record = AuditRecord::builder()
        .updated_at(DateTime::from_secs(60))
        .auditor("ann")
        .action("approve")
        .build()
        .unwrap();
    let auditor: String = record.auditor.clone();
    assert_eq!(auditor, "ann");
    assert_eq!(
        json(&record),
        r#"{"updatedAt":"1970-01-01T00:01:00Z","auditor":"ann","action":"approve"}"#
    );
}

#[test]
fn enum_and_union_mixins() {
    // `Color` mixes in `BaseColor { RED }` and adds `BLUE`.
    assert_eq!(Color::values(), &["red", "blue"]);
    assert_eq!(Color::from("red"), Color::Red);
    assert_eq!(Color::Red.as_str(), "red");
    assert_eq!(Color::from("blue"), Color::Blue);

    // `Attachment` mixes in `BaseAttachment { url }` and adds `inline`.
    assert_eq!(json(&Attachment::Url("u".to_string())), r#"{"url":"u"}"#);
    assert_eq!(json(&Attachment::Inline(Blob::new(b"abc".to_vec()))), r#"{"inline":"YWJj"}"#);
    assert_eq!(
        serde_json::from_str::<Attachment>(r#"{"inline":"YWJj"}"#).unwrap(),
        Attachment::Inline(Blob::new(b"abc".to_vec()))
    );
}

#[test]
fn mixin_traits_are_inherited_unless_local() {
    // `SecretMixin` is @sensitive: `Credentials` inherits it and redacts every member.
    let credentials = Credentials::builder().token("s3cr3t").key_id("AKID").build();
    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains("s3cr3t") && !debug.contains("AKID") && debug.contains(REDACTED),
        "{debug}"
    );
    // `LocalSecretMixin` lists @sensitive in `localTraits`: `PublicHint` is not sensitive.
    let hint = PublicHint::builder().hint("look left").build();
    assert_eq!(format!("{hint:?}"), r#"PublicHint { hint: Some("look left") }"#);

    // `ServiceFault` mixes in `StatusMixin @httpError(500)` then `UnavailableMixin
    // @httpError(503)`: the later mixin takes precedence.
    let fault = ServiceFault::builder().message("down").build();
    assert_eq!(fault.http_status(), Some(503));
    assert!(fault.is_server_fault());
}

#[test]
fn every_resource_operation_is_generated() {
    // create (with the `Owned` mixin on an @input structure: optional).
    let input: CreateThingInput = CreateThingInput::builder().owner("o").name("n").build();
    has_type::<Option<String>>(&input.owner);
    assert_eq!(json(&input), r#"{"owner":"o","name":"n"}"#);
    let output = CreateThingOutput::builder().thing(thing()).build().unwrap();
    has_type::<Thing>(&output.thing);
    assert_eq!(CreateThingOutput::builder().build().unwrap_err().member(), "thing");

    // read, bound both directly and as the resource's `read`.
    let input: GetThingInput = GetThingInput::builder().thing_id("t-1").build();
    has_type::<Option<String>>(&input.thing_id);
    assert_eq!(json(&input), r#"{"thingId":"t-1"}"#);
    let output = GetThingOutput::builder().thing(thing()).build();
    has_type::<Option<AuditRecord>>(&output.audit);

    // delete, with a Unit output.
    let input = DeleteThingInput::builder().thing_id("t-1").build();
    assert_eq!(json(&input), r#"{"thingId":"t-1"}"#);
    assert_eq!(DeleteThingOutput::builder().build(), DeleteThingOutput::default());

    // list.
    let input = ListThingsInput::builder().max_results(10).next_token("tok").build();
    assert_eq!(json(&input), r#"{"nextToken":"tok","maxResults":10}"#);
    let output = ListThingsOutput::builder()
        .set_things(Some(vec![ThingSummary::builder().name("a").build().unwrap()]))
        .build();
    assert_eq!(json(&output), r#"{"things":[{"name":"a"}]}"#);

    // an instance operation and a collection operation.
    let input = ArchiveThingInput::builder().thing_id("t-1").reason("old").build();
    assert_eq!(json(&input), r#"{"thingId":"t-1","reason":"old"}"#);
    assert_eq!(json(&ArchiveThingOutput::builder().build()), "{}");
    assert_eq!(json(&CountThingsInput::builder().build()), "{}");
    let output = CountThingsOutput::builder().count(7).build().unwrap();
    let count: i64 = output.count;
    assert_eq!(count, 7);

    // the nested resource's read.
    let input = GetPartInput::builder().thing_id("t-1").part_id("p-1").build();
    assert_eq!(json(&input), r#"{"thingId":"t-1","partId":"p-1"}"#);
    let output =
        GetPartOutput::builder().part(Part::builder().part_id("p-1").weight(0.5).build()).build();
    assert_eq!(json(&output), r#"{"part":{"partId":"p-1","weight":0.5}}"#);

    // an operation bound directly to the service.
    assert_eq!(PingInput::builder().build(), PingInput::default());
    assert_eq!(PingOutput::builder().build(), PingOutput::default());
}

fn fault() -> ServiceFault {
    ServiceFault::builder().message("down").build()
}

fn throttled() -> Throttled {
    Throttled::builder().message("slow down").build()
}

#[test]
fn service_errors_are_in_every_operation_error() {
    assert_eq!(PingError::ServiceFault(fault()).code(), Some("ServiceFault"));
    assert_eq!(PingError::Throttled(throttled()).code(), Some("Throttled"));
    assert_eq!(CreateThingError::ServiceFault(fault()).code(), Some("ServiceFault"));
    assert_eq!(GetThingError::Throttled(throttled()).code(), Some("Throttled"));
    assert_eq!(DeleteThingError::ServiceFault(fault()).to_string(), "ServiceFault: down");
    assert_eq!(ListThingsError::Throttled(throttled()).to_string(), "Throttled: slow down");
    assert_eq!(ArchiveThingError::ServiceFault(fault()).code(), Some("ServiceFault"));
    assert_eq!(CountThingsError::Throttled(throttled()).code(), Some("Throttled"));
    assert_eq!(GetPartError::ServiceFault(fault()).code(), Some("ServiceFault"));
    assert_eq!(throttled().http_status(), Some(429));
    assert!(!throttled().is_server_fault());

    // Operation errors come along with them.
    let not_found = NotFound::builder().message("no such thing").build();
    assert_eq!(GetThingError::NotFound(not_found.clone()).code(), Some("NotFound"));
    assert_eq!(DeleteThingError::NotFound(not_found).http_status_of_modeled(), Some(404));
    assert_eq!(CreateThingError::Conflict(Conflict::builder().build()).code(), Some("Conflict"));
}

#[test]
fn operation_mixins_contribute_errors() {
    // `CreateThing` uses the `ValidatedOperation` mixin, whose `errors` list `ValidationError`.
    let error = ValidationError::builder().message("bad name").field("name").build();
    assert_eq!(error.http_status(), Some(400));
    let error = CreateThingError::ValidationError(error);
    assert_eq!(error.code(), Some("ValidationError"));
    assert_eq!(error.to_string(), "ValidationError: bad name");
}

/// The modeled HTTP status of an operation error, through the public API of its variants.
trait HttpStatusOfModeled {
    fn http_status_of_modeled(&self) -> Option<u16>;
}

impl HttpStatusOfModeled for DeleteThingError {
    fn http_status_of_modeled(&self) -> Option<u16> {
        match self {
            DeleteThingError::NotFound(e) => e.http_status(),
            DeleteThingError::ServiceFault(e) => e.http_status(),
            DeleteThingError::Throttled(e) => e.http_status(),
            _ => None,
        }
    }
}
