// Behaviour of the crate generated from `names.json`: an sdkId starting with a digit
// ("3D Names": the crate is `service-3d-names`, its server trait `Service3dNames`), a title with
// quotes, a backslash and a tab (in `Cargo.toml`, escaped; in the docs, one line), and
// operations named like the files and modules the generator writes beside them (`Mod`, `Json`,
// `Server`, `Md5`, `Operation`, `Protocol`: modules `mod_operation`, ...) or like the crate's
// other modules (`Error`, `Builders`, `Lib`, `Dynamic`, `Client`, `Router`, `Primitives`,
// `Types`), and `Self`, `Super`, `Crate` (modules `self_`, `super_`, `crate_`; client methods
// `self_with`, not `self__with`), and protocol test cases whose ids give one test name
// (`ModRequest`, `Mod_Request`, `ModRequest_2`: `mod_request`, `mod_request_2`,
// `mod_request_2_2`). The crate compiles warning-free and its protocol tests pass (the corpus
// test); here every operation gets its own module, request, route and client methods.

use service_3d_names::client::Client;
use service_3d_names::dynamic::OPERATIONS;
use service_3d_names::operation::crate_::{Crate, CrateInput};
use service_3d_names::operation::json_operation::{Json, JsonInput};
use service_3d_names::operation::md5_operation::{Md5, Md5Input};
use service_3d_names::operation::mod_operation::{Mod, ModInput};
use service_3d_names::operation::operation_operation::{Operation, OperationInput};
use service_3d_names::operation::protocol_operation::{Protocol, ProtocolInput};
use service_3d_names::operation::self_::{SelfValue, SelfValueInput};
use service_3d_names::operation::server_operation::{Server, ServerInput};
use service_3d_names::operation::super_::{Super, SuperInput};
use service_3d_names::primitives::FixedTokens;
use service_3d_names::server::OperationName;

/// The URI and the header of the request an operation's `serialize_request` writes.
macro_rules! request {
    ($op:ty, $input:ty) => {{
        let input = <$input>::builder().value("v").header("h").build();
        let request = <$op>::serialize_request(&input, "https://example.com", &FixedTokens::counter())
            .expect("request");
        let header = request.headers().iter().find(|(name, _)| name.as_str().starts_with("x-"));
        let header = header.map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()));
        (request.uri().path().to_string(), header.unwrap_or_default(), request)
    }};
}

#[test]
fn operations_named_like_generated_files_have_their_own_modules() {
    let cases = [
        (request!(Mod, ModInput), "/mod", "x-mod: h", OperationName::Mod),
        (request!(Json, JsonInput), "/json", "x-json: h", OperationName::Json),
        (request!(Server, ServerInput), "/server", "x-server: h", OperationName::Server),
        (request!(Md5, Md5Input), "/md5", "x-md5: h", OperationName::Md5),
        (request!(Operation, OperationInput), "/operation", "x-operation: h", OperationName::Operation),
        (request!(Protocol, ProtocolInput), "/protocol", "x-protocol: h", OperationName::Protocol),
        (request!(SelfValue, SelfValueInput), "/self", "x-self: h", OperationName::SelfValue),
        (request!(Super, SuperInput), "/super", "x-super: h", OperationName::Super),
        (request!(Crate, CrateInput), "/crate", "x-crate: h", OperationName::Crate),
    ];
    for ((path, header, request), expected_path, expected_header, name) in cases {
        assert_eq!(path, expected_path);
        assert_eq!(header, expected_header);
        assert_eq!(OperationName::route(&request), Some(name), "{path}");
    }
}

#[test]
fn every_operation_is_listed_once_by_its_model_name() {
    let mut names = OPERATIONS.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 17);
    for name in ["Mod", "Json", "Server", "Md5", "Self", "Super", "Crate", "Operation", "Protocol"] {
        assert!(OPERATIONS.contains(&name), "{name}");
    }
}

#[test]
fn client_methods_are_plain_snake_case() {
    // Compiles only if the methods exist under these names.
    let _ = Client::self_;
    let _ = Client::self_with;
    let _ = Client::super_with;
    let _ = Client::crate_with;
    let _ = Client::mod_operation;
    let _ = Client::mod_operation_with;
    let _ = Client::json_operation_with;
}
