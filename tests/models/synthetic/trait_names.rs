// Behaviour of the crate generated from `trait_names.json` (sdkId "Synthetic Trait Names"):
// members, enum values, union members and operations named like the methods generated code calls
// (`Default`, `Clone`, `Into`, `From`, `Fmt`, `Eq`, `Hash`, `ToString`, ...) or defines itself
// (`Build`, `Builder`, `AsStr`, `AsI32`, `Values`, `Validate`, `Message`, `IsServerFault`,
// `HttpStatus`, `SerializeRequest`, `FillIdempotencyTokens`, ...), in structures, builders,
// unions, enums, errors, operation inputs and outputs, an HTTP label, query, header, idempotency
// token and a paginator's token, page size and items. A builder method named `default` must not
// change what `builder()` calls (`<Builder as Default>::default()`), and the generator's own
// methods keep their names: a member `Build` gets the builder method `build_value`.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use synthetic_trait_names::client::{
    Client, Config, Credentials, Region, Transport, TransportError, TransportFuture,
};
use synthetic_trait_names::endpoint::{resolve, Params};
use synthetic_trait_names::operation::default::{DefaultValue, DefaultValueInput};
use synthetic_trait_names::operation::get_thing::GetThingOutput;
use synthetic_trait_names::operation::put_thing::{
    PutThing, PutThingError, PutThingInput, PutThingInputBuilder, PutThingOutput,
};
use synthetic_trait_names::primitives::IdempotencyTokenProvider;
use synthetic_trait_names::types::error::TraitError;
use synthetic_trait_names::types::{Kind, Leaf, Level, Shape};

fn json<T: serde_core::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

struct FixedToken;

impl IdempotencyTokenProvider for FixedToken {
    fn make_token(&self) -> String {
        "00000000-0000-4000-8000-000000000000".into()
    }
}

fn put_thing_input() -> PutThingInput {
    PutThingInput::builder()
        .default("d/1")
        .clone("c")
        .build_value(2)
        .builder(true)
        .fmt(3)
        .from("f")
        .into("i")
        .as_str("s")
        .values(false)
        .to_owned(Kind::Clone)
        .set_clone_value(4)
        .message(Kind::AsStr)
        .serialize_request(Kind::Values)
        .build()
}

#[test]
fn builders_of_members_named_like_trait_methods() {
    // `builder()` is the builder's `Default`, not its `default` setter.
    assert_eq!(PutThingInput::builder(), <PutThingInputBuilder as Default>::default());
    let input = put_thing_input();
    assert_eq!(input.default.as_deref(), Some("d/1"));
    assert_eq!(input.clone.as_deref(), Some("c"));
    assert_eq!((input.build, input.builder, input.fmt), (Some(2), Some(true), Some(3)));
    assert_eq!((input.from.as_deref(), input.into.as_deref()), (Some("f"), Some("i")));
    assert_eq!((input.as_str.as_deref(), input.values), (Some("s"), Some(false)));
    assert_eq!((input.to_owned.clone(), input.set_clone), (Some(Kind::Clone), Some(4)));
    // The types' own trait methods are unaffected.
    assert_eq!(Clone::clone(&input), input);
    assert!(format!("{input:?}").starts_with("PutThingInput { clone: Some(\"c\"), build: Some(2)"));
    // Required members of an input are checked by `validate()`, which names the one missing.
    let err = PutThingInput::builder().clone("c").build_value(1).build().validate().unwrap_err();
    assert!(err.to_string().contains("Default"), "{err}");
}

#[test]
fn the_document_form_keeps_the_member_names() {
    let input = put_thing_input();
    let text = json(&input);
    assert!(text.starts_with(r#"{"Clone":"c","Build":2,"Builder":true,"Fmt":3,"#), "{text}");
    assert!(text.ends_with(r#""SerializeRequest":"values","Default":"d/1"}"#), "{text}");
    assert_eq!(serde_json::from_str::<PutThingInput>(&text).unwrap(), input);
    let leaf = Leaf::builder().default("x").clone(1).build_value(true).hash(Kind::Eq).build();
    let text = json(&leaf);
    assert_eq!(text, r#"{"Default":"x","Clone":1,"Build":true,"Hash":"eq"}"#);
    assert_eq!(serde_json::from_str::<Leaf>(&text).unwrap(), leaf);
}

#[test]
fn label_query_header_and_token_of_members_named_like_trait_methods() {
    let request = PutThing::serialize_request(&put_thing_input(), "https://h", &FixedToken)
        .expect("request");
    assert_eq!(request.uri().path(), "/things/d%2F1");
    assert_eq!(request.uri().query(), Some("into=i"));
    assert_eq!(request.headers()["x-from"], "f");
    let body = String::from_utf8(request.body().clone()).unwrap();
    assert!(body.contains(r#""Eq":"00000000-0000-4000-8000-000000000000""#), "{body}");
    assert!(!body.contains(r#""Default""#) && !body.contains(r#""Into""#), "{body}");

    let response = http::Response::builder()
        .status(200)
        .header("x-clone", "from-header")
        .body(r#"{"Build":["b"],"Into":5}"#)
        .unwrap();
    let output: PutThingOutput = PutThing::deserialize_response(&response).expect("output");
    assert_eq!(output.clone.as_deref(), Some("from-header"));
    assert_eq!((output.default, output.into), (7, Some(5)));
    assert_eq!(output.build, Some(vec!["b".to_string()]));
}

#[test]
fn errors_with_members_named_like_their_methods() {
    let error = TraitError::builder()
        .message("no")
        .default("d")
        .clone(1)
        .code("c")
        .is_server_fault(true)
        .http_status(599)
        .build_value("b")
        .build();
    // The error's own methods, beside the fields of the same names.
    assert_eq!(error.message(), Some("no"));
    assert!(!error.is_server_fault());
    assert_eq!(error.http_status(), Some(400));
    assert_eq!((error.is_server_fault, error.http_status), (Some(true), Some(599)));
    assert_eq!(error.build.as_deref(), Some("b"));
    let response = http::Response::builder()
        .status(400)
        .header("x-amzn-errortype", "TraitError")
        .body(r#"{"Message":"m","Default":"d","Clone":2}"#)
        .unwrap();
    match PutThing::deserialize_response(&response) {
        Err(synthetic_trait_names::error::ResponseError::Service(PutThingError::TraitError(e))) => {
            assert_eq!((e.message(), e.default.as_deref(), e.clone), (Some("m"), Some("d"), Some(2)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn enums_unions_and_operations_named_like_trait_methods() {
    assert_eq!(Kind::Default.as_str(), "default");
    assert_eq!(Kind::from("clone"), Kind::Clone);
    #[allow(deprecated)] // the catch-all's name is what this checks
    let caught = matches!(Kind::from("as_str".to_string()), Kind::Unknown(_));
    assert!(caught);
    assert_eq!(Kind::from("asstr"), Kind::AsStr);
    assert_eq!(Kind::values().len(), 9);
    assert_eq!((Level::Default.as_i32(), Level::from(2)), (1, Level::Clone));
    let shape = Shape::Default("x".into());
    assert_eq!(Clone::clone(&shape), shape);
    assert_eq!(format!("{:?}", Shape::Eq), "Eq");
    assert_eq!(json(&Shape::Values(vec!["v".into()])), r#"{"Values":["v"]}"#);
    assert!(Shape::Clone(1).validate().is_ok());
    // An operation named `Default`: its types take the `Value` suffix, its client method is
    // `default`.
    let input = DefaultValueInput::builder().default(1).clone(true).build();
    let request = DefaultValue::serialize_request(&input, "https://h", &FixedToken).unwrap();
    assert_eq!(request.uri().path(), "/default");
    assert_eq!(
        String::from_utf8(request.body().clone()).unwrap(),
        r#"{"Default":1,"Clone":true}"#
    );
}

struct NoopWaker;

impl Wake for NoopWaker {
    fn wake(self: Arc<Self>) {}
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(NoopWaker));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

#[derive(Clone, Default)]
struct Scripted {
    replies: Arc<Mutex<Vec<&'static str>>>,
    requests: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
}

impl Transport for Scripted {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        self.requests.lock().unwrap().push(request);
        let body = self.replies.lock().unwrap().remove(0);
        let response: Result<_, TransportError> =
            Ok(http::Response::builder().status(200).body(body.as_bytes().to_vec()).unwrap());
        Box::pin(async move { response })
    }
}

#[test]
fn a_paginator_whose_token_page_size_and_items_are_named_like_trait_methods() {
    let transport = Scripted {
        replies: Arc::new(Mutex::new(vec![
            r#"{"Values":[{"Default":"a"},{"Default":"b"}],"Clone":"t2"}"#,
            r#"{"Values":[{"Default":"c"}]}"#,
        ])),
        ..Scripted::default()
    };
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url("http://h")
        .transport(transport.clone())
        .build();
    let client = Client::new(config);
    let mut items = client.get_thing().send_value("s").into_paginator().page_size(2).items().send();
    let mut all = Vec::new();
    while let Some(item) = block_on(items.next()) {
        all.push(item.unwrap().default.unwrap());
    }
    assert_eq!(all, ["a", "b", "c"]);
    let queries: Vec<String> = transport
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.uri().query().unwrap_or("").to_string())
        .collect();
    assert_eq!(queries, ["build=2&send=s", "default=t2&build=2&send=s"]);
    // The client's own `Clone`, beside an operation named `Clone`.
    let _: builders_are_distinct::Both = (Client::clone(&client).default(), client.clone_operation());
    let output = GetThingOutput::builder().default(true).build();
    assert_eq!(output.default, Some(true));
}

mod builders_are_distinct {
    use synthetic_trait_names::client::builders::{CloneFluentBuilder, DefaultValueFluentBuilder};

    pub type Both = (DefaultValueFluentBuilder, CloneFluentBuilder);
}

#[test]
fn endpoint_parameters_named_like_builder_methods() {
    let params = Params::builder().default("x").build_value(true).build();
    assert_eq!(params.default.as_deref(), Some("x"));
    assert!(params.build);
    assert_eq!(resolve(&params).unwrap_err().to_string(), "build");
    let params = Params::builder().default("x").build();
    assert_eq!(resolve(&params).unwrap().url, "https://x.example.com");
    assert_eq!(Params::builder().build(), <synthetic_trait_names::endpoint::ParamsBuilder as Default>::default().build());
}
