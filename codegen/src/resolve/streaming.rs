//! Streaming members and event streams, decided over the IR (with the model for the
//! `@eventHeader` and `@eventPayload` member traits): each operation's streaming input and
//! output member ([`StreamMember`]), each `@streaming` union's events, headers, payload forms and
//! exceptions ([`EventStream`]), and the checks that make them well-formed, each failing with
//! the shape or member it is about.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::ir::{
    Event, EventError, EventHeader, EventPayload, EventStream, HeaderType, HttpBinding,
    PayloadKind, RustType, Service, StreamBinding, StreamMember, Structure, TypePath, ValueKind,
};
use crate::load::{Model, ShapeKind};
use crate::resolve::symbols;

/// Fills `Operation::input_stream`/`output_stream` and `Service::event_streams`, and gives
/// event-stream members their [`RustType::EventStream`] type and streaming blob payloads
/// [`RustType::ByteStream`].
pub fn mark(model: &Model, service: &mut Service) -> Result<()> {
    // Every Rust type name of `crate::types` (and its errors): a stream's error enum takes a
    // name none of them has.
    let mut taken: BTreeSet<String> = service
        .types
        .iter()
        .map(|d| d.path().name.clone())
        .chain(service.errors.iter().map(|s| s.path.name.clone()))
        .collect();
    let mut streams: Vec<EventStream> = Vec::new();
    for i in 0..service.operations.len() {
        for input in [true, false] {
            let op = &service.operations[i];
            let structure = if input { &op.input } else { &op.output };
            let Some((pos, binding)) = stream_field(structure)? else { continue };
            if let StreamBinding::Events(union) = &binding {
                if let Some(existing) = streams.iter_mut().find(|s| &s.shape == union) {
                    existing.input |= input;
                    existing.output |= !input;
                } else {
                    let mut stream = event_stream(model, service, union, &mut taken)?;
                    stream.input = input;
                    stream.output = !input;
                    streams.push(stream);
                }
            }
            let op = &mut service.operations[i];
            let structure = if input { &mut op.input } else { &mut op.output };
            let field = &mut structure.fields[pos];
            match &binding {
                StreamBinding::Events(union) => {
                    let stream = streams.iter().find(|s| &s.shape == union).expect("pushed above");
                    field.ty = RustType::EventStream {
                        events: stream.union.clone(),
                        error: stream.error.clone(),
                    };
                }
                StreamBinding::Blob { .. } => field.ty = RustType::ByteStream,
            }
            let member =
                StreamMember { member: field.member.clone(), ident: field.ident.clone(), binding };
            if input {
                op.input_stream = Some(member);
            } else {
                op.output_stream = Some(member);
            }
        }
    }
    streams.sort_by(|a, b| a.union.name.cmp(&b.union.name));
    service.event_streams = streams;
    Ok(())
}

/// `<union>Error`, or the first of `<union>Error2`, `<union>Error3`... that no type has (a type
/// name stays UpperCamelCase).
fn claim_type_name(taken: &mut BTreeSet<String>, union: &str) -> String {
    let base = format!("{union}Error");
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// The position and binding of the member of `s` that streams, checked to be its payload.
fn stream_field(s: &Structure) -> Result<Option<(usize, StreamBinding)>> {
    let mut found = None;
    for (pos, f) in s.fields.iter().enumerate() {
        let binding = match &f.value.kind {
            ValueKind::Blob { streaming: true, requires_length, media_type } => {
                StreamBinding::Blob {
                    requires_length: *requires_length,
                    media_type: media_type.clone(),
                }
            }
            ValueKind::Union { streaming: true, .. } => {
                StreamBinding::Events(f.value.shape.clone())
            }
            _ => continue,
        };
        let member_id = format!("{}${}", s.shape, f.member);
        if f.http != HttpBinding::Payload {
            return Err(Error::model(
                member_id,
                "a @streaming member must be the @httpPayload of its structure",
            ));
        }
        if found.is_some() {
            return Err(Error::model(member_id, "a structure may have one @streaming member"));
        }
        found = Some((pos, binding));
    }
    Ok(found)
}

/// The event stream of the `@streaming` union `shape`.
fn event_stream(
    model: &Model,
    service: &Service,
    shape: &str,
    taken: &mut BTreeSet<String>,
) -> Result<EventStream> {
    let union = service
        .union(shape)
        .ok_or_else(|| Error::model(shape, "an event stream must be a union"))?;
    let mut events = Vec::new();
    let mut exceptions = Vec::new();
    for v in &union.variants {
        let member_id = format!("{shape}${}", v.member);
        let target = match &v.value {
            Some(value) if matches!(value.kind, ValueKind::Structure(_)) => &value.shape,
            _ => {
                return Err(Error::model(
                    member_id,
                    "a member of an event stream (a @streaming union) must target a structure",
                ))
            }
        };
        let s = service.structure(target).ok_or_else(|| {
            Error::model(&member_id, format!("`{target}` is not a generated structure"))
        })?;
        if s.error.is_some() {
            exceptions.push(EventError {
                name: v.member.clone(),
                variant: v.ident.clone(),
                structure: s.path.clone(),
                shape: s.shape.clone(),
            });
        } else {
            events.push(event(model, &v.member, &v.ident, s)?);
        }
    }
    symbols::ensure_unique(
        shape,
        "exceptions",
        exceptions.iter().map(|e| (e.name.as_str(), e.variant.as_str())),
    )?;
    let error = TypePath {
        module: union.path.module.clone(),
        name: claim_type_name(taken, &union.path.name),
    };
    Ok(EventStream {
        shape: shape.to_string(),
        union: union.path.clone(),
        unknown: union.unknown.clone(),
        error_unhandled: symbols::catch_all_variant(
            "Unhandled",
            exceptions.iter().map(|e| e.variant.as_str()),
        ),
        error,
        events,
        exceptions,
        input: false,
        output: false,
    })
}

/// One event: the member `name` (variant `variant`) targeting the structure `s`.
fn event(model: &Model, name: &str, variant: &str, s: &Structure) -> Result<Event> {
    let members = match model.shape(&s.shape).map(|shape| &shape.kind) {
        Some(ShapeKind::Structure { members }) => members,
        _ => return Err(Error::model(&s.shape, "an event must be a structure")),
    };
    let mut headers = Vec::new();
    let mut explicit = None;
    let mut rest = Vec::new();
    for f in &s.fields {
        let member_id = format!("{}${}", s.shape, f.member);
        let traits = members.iter().find(|m| m.name == f.member).map(|m| &m.traits);
        let is_header = traits.is_some_and(|t| t.has("eventHeader"));
        let is_payload = traits.is_some_and(|t| t.has("eventPayload"));
        if is_header && is_payload {
            return Err(Error::model(
                member_id,
                "@eventHeader and @eventPayload exclude each other",
            ));
        }
        if is_header {
            let (header_type, enum_type) = match &f.value.kind {
                ValueKind::Boolean => (HeaderType::Bool, None),
                ValueKind::Byte => (HeaderType::Byte, None),
                ValueKind::Short => (HeaderType::Short, None),
                ValueKind::Integer => (HeaderType::Int, None),
                ValueKind::Long => (HeaderType::Long, None),
                ValueKind::Blob { streaming: false, .. } => (HeaderType::Bytes, None),
                ValueKind::String { .. } => (HeaderType::String, None),
                ValueKind::Enum(path) => (HeaderType::String, Some(path.clone())),
                ValueKind::Timestamp => (HeaderType::Timestamp, None),
                _ => {
                    return Err(Error::model(
                        member_id,
                        "@eventHeader needs a boolean, byte, short, integer, long, blob, string, enum or timestamp member",
                    ))
                }
            };
            headers.push(EventHeader {
                name: f.member.clone(),
                field: f.ident.clone(),
                optional: f.optional,
                header_type,
                enum_type,
            });
        } else if is_payload {
            if explicit.is_some() {
                return Err(Error::model(member_id, "an event may have one @eventPayload member"));
            }
            let kind = match &f.value.kind {
                ValueKind::Blob { streaming: false, .. } => PayloadKind::Blob,
                ValueKind::String { .. } => PayloadKind::String,
                ValueKind::Structure(path) => PayloadKind::Structure(path.clone()),
                ValueKind::Union { path, streaming: false } => PayloadKind::Union(path.clone()),
                _ => {
                    return Err(Error::model(
                        member_id,
                        "@eventPayload needs a blob, string, structure or union member",
                    ))
                }
            };
            explicit = Some((f.ident.clone(), f.optional, kind));
        } else {
            rest.push(f);
        }
    }
    let payload = match explicit {
        Some((field, optional, kind)) => {
            if let Some(other) = rest.first() {
                return Err(Error::model(
                    format!("{}${}", s.shape, other.member),
                    "in an event with an @eventPayload member, every other member needs @eventHeader",
                ));
            }
            EventPayload::Explicit { field, optional, kind }
        }
        None if rest.is_empty() && !headers.is_empty() => EventPayload::None,
        None => EventPayload::Implicit { fields: rest.iter().map(|f| f.ident.clone()).collect() },
    };
    Ok(Event {
        name: name.to_string(),
        variant: variant.to_string(),
        structure: s.path.clone(),
        shape: s.shape.clone(),
        headers,
        payload,
    })
}

#[cfg(test)]
mod tests {
    use crate::ir::{EventPayload, HeaderType, PayloadKind, Service, StreamBinding};

    /// A service whose `Watch` streams `Events` out and whose `Upload` takes a streaming blob;
    /// `extra` shapes are added (or replace those here).
    fn service(extra: serde_json::Value) -> crate::error::Result<Service> {
        let mut shapes = serde_json::json!({
            "ex#Svc": {
                "type": "service", "version": "1",
                "operations": [{ "target": "ex#Watch" }, { "target": "ex#Upload" }],
                "traits": { "aws.protocols#restJson1": {} }
            },
            "ex#Watch": {
                "type": "operation",
                "output": { "target": "ex#WatchOutput" },
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/watch" } }
            },
            "ex#WatchOutput": { "type": "structure", "members": {
                "events": { "target": "ex#Events", "traits": { "smithy.api#httpPayload": {} } }
            } },
            "ex#Upload": {
                "type": "operation",
                "input": { "target": "ex#UploadInput" },
                "traits": { "smithy.api#http": { "method": "PUT", "uri": "/upload" } }
            },
            "ex#UploadInput": { "type": "structure", "members": {
                "body": { "target": "ex#Body", "traits": { "smithy.api#httpPayload": {} } }
            } },
            "ex#Body": { "type": "blob", "traits": {
                "smithy.api#streaming": {}, "smithy.api#requiresLength": {}, "smithy.api#mediaType": "video/mp4"
            } },
            "ex#Events": { "type": "union", "traits": { "smithy.api#streaming": {} }, "members": {
                "tick": { "target": "ex#Tick" },
                "note": { "target": "ex#Note" },
                "ping": { "target": "ex#Ping" },
                "fault": { "target": "ex#Fault" }
            } },
            "ex#Tick": { "type": "structure", "members": {
                "n": { "target": "smithy.api#Long", "traits": { "smithy.api#eventHeader": {} } },
                "data": { "target": "smithy.api#Blob", "traits": { "smithy.api#eventPayload": {} } }
            } },
            "ex#Note": { "type": "structure", "members": {
                "by": { "target": "smithy.api#String", "traits": { "smithy.api#eventHeader": {} } },
                "text": { "target": "smithy.api#String" }
            } },
            "ex#Ping": { "type": "structure", "members": {
                "at": { "target": "smithy.api#Timestamp", "traits": { "smithy.api#eventHeader": {} } }
            } },
            "ex#Fault": { "type": "structure", "members": {
                "message": { "target": "smithy.api#String" }
            }, "traits": { "smithy.api#error": "server" } }
        });
        if let (Some(shapes), Some(extra)) = (shapes.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                shapes.insert(k.clone(), v.clone());
            }
        }
        let text = serde_json::json!({ "smithy": "2.0", "shapes": shapes }).to_string();
        let model = crate::load::load_str(&text)?;
        crate::resolve::resolve(&model, &Default::default())
    }

    #[test]
    fn streams_of_operations_and_their_events() {
        let service = service(serde_json::json!({})).unwrap();
        let watch = service.operations.iter().find(|o| o.name == "Watch").unwrap();
        let stream = watch.output_stream.as_ref().unwrap();
        assert_eq!(stream.member, "events");
        assert_eq!(stream.binding, StreamBinding::Events("ex#Events".into()));
        assert!(watch.input_stream.is_none());
        assert!(watch.output.holds_stream());
        let upload = service.operations.iter().find(|o| o.name == "Upload").unwrap();
        assert_eq!(
            upload.input_stream.as_ref().unwrap().binding,
            StreamBinding::Blob { requires_length: true, media_type: Some("video/mp4".into()) }
        );

        let events = service.event_stream("ex#Events").unwrap();
        assert_eq!((events.input, events.output), (false, true));
        assert_eq!(events.error.name, "EventsError");
        assert_eq!(events.error_unhandled, "Unhandled");
        let names: Vec<&str> = events.events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["tick", "note", "ping"]);
        let tick = &events.events[0];
        assert_eq!(tick.headers[0].header_type, HeaderType::Long);
        assert!(
            matches!(&tick.payload, EventPayload::Explicit { field, kind: PayloadKind::Blob, .. } if field == "data")
        );
        let note = &events.events[1];
        assert_eq!(note.headers[0].header_type, HeaderType::String);
        assert_eq!(note.payload, EventPayload::Implicit { fields: vec!["text".into()] });
        assert_eq!(events.events[2].payload, EventPayload::None);
        assert_eq!(events.events[2].headers[0].header_type, HeaderType::Timestamp);
        let faults: Vec<&str> = events.exceptions.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(faults, ["fault"]);
    }

    #[test]
    fn the_error_enum_name_is_claimed_unique() {
        let taken = serde_json::json!({
            "ex#Note": { "type": "structure", "members": {
                "text": { "target": "smithy.api#String" },
                "other": { "target": "ex#EventsError" }
            } },
            "ex#EventsError": { "type": "structure", "members": {} }
        });
        let service = service(taken).unwrap();
        assert_eq!(service.event_stream("ex#Events").unwrap().error.name, "EventsError2");
    }
}
