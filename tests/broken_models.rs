//! A model the generator cannot handle gets a clear error naming the shape and the reason, and
//! the output directory is left exactly as it was. One broken model per error, in
//! `tests/models/broken/`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

/// (model file, a part of the error message that must appear).
const CASES: &[(&str, &str)] = &[
    ("malformed-json.json", "malformed JSON at line 4, column 34: key must be a string"),
    ("unknown-shape-type.json", "invalid model: shape `ex#Widget`: unknown shape type `widget`"),
    ("missing-member-target.json", "invalid model: member `ex#OpInput$color`: targets `ex#Color`, which does not exist"),
    ("missing-operation.json", "invalid model: shape `ex#Svc`: its operation `ex#Nope` does not exist"),
    ("no-service.json", "invalid model: the model has no service shape"),
    ("several-services.json", "the model has several service shapes (ex#Other, ex#Svc); choose one with --service"),
    ("unsupported-protocol.json", "shape `ex#Svc`: unsupported protocol aws.protocols#awsJson1_1; only aws.protocols#restJson1 is supported"),
    ("no-protocol.json", "shape `ex#Svc`: no protocol trait; only aws.protocols#restJson1 is supported"),
    ("shape-name-collision.json", "shapes `ex#Thing` and `other#Thing` of `ex#Svc` both become the Rust name `Thing`"),
    ("member-name-collision.json", "members `fooBar` and `foo_bar` of `ex#OpInput` both become the Rust name `foo_bar`"),
    ("input-not-structure.json", "invalid model: shape `ex#Op`: input `ex#OpInput` must be a structure"),
    ("mixin-cycle.json", "mixin cycle"),
    ("endpoint-unknown-function.json", "unsupported model: shape `ex#Svc`: endpoint rule set: the function `aws.teleport` is not supported"),
    ("endpoint-type-error.json", "unsupported model: shape `ex#Svc`: endpoint rule set: getAttr: a Partition has no attribute `noSuchAttribute`"),
    ("map-key-not-string.json", "member `ex#ByNumber$key`: map keys must target a string or enum shape, not `smithy.api#Integer`"),
    ("list-contains-itself.json", "invalid model: shape `ex#Nested`: a list that contains itself through lists and maps only (`ex#Nested` → `ex#Nested`); its Rust type would be infinite"),
    ("map-contains-itself.json", "invalid model: shape `ex#Tree`: a map that contains itself through lists and maps only (`ex#Tree` → `ex#Tree`)"),
    ("header-name-crlf.json", "invalid model: member `ex#OpInput$token`: @httpHeader \"X-Token\\r\\nX-Injected: yes\" is not an HTTP header name"),
    ("prefix-headers-invalid.json", "invalid model: member `ex#OpInput$meta`: @httpPrefixHeaders \"x meta-\" is not the start of an HTTP header name"),
    ("duplicate-header.json", "invalid model: member `ex#OpInput$second`: binds the header `x-trace`, as member `first` does"),
    ("invalid-shape-id.json", "invalid model: shape `ex#Shoe-Size`: not a valid shape id"),
    ("invalid-member-name.json", "invalid model: member `ex#OpInput$shoe size`: not a valid member name"),
    ("float-default-out-of-range.json", "unsupported model: member `ex#OpOutput$ratio`: default value 1e+300 does not fit the member's type"),
    ("duplicate-json-name.json", "invalid model: member `ex#Choice$byId`: has the JSON key `key`, as member `byName` does"),
    ("duplicate-enum-value.json", "invalid model: member `ex#Size$Short`: has the value \"s\", as member `Small` does"),
    ("list-map-cycle.json", "invalid model: shape `ex#Row`: a map that contains itself through lists and maps only (`ex#Row` → `ex#Rows` → `ex#Row`)"),
    ("event-stream-not-payload.json", "invalid model: member `ex#OpOutput$events`: a @streaming member must be the @httpPayload of its structure"),
    ("event-stream-member-not-structure.json", "invalid model: member `ex#Events$text`: a member of an event stream (a @streaming union) must target a structure"),
    ("event-header-type.json", "invalid model: member `ex#Tick$tags`: @eventHeader needs a boolean, byte, short, integer, long, blob, string, enum or timestamp member"),
    ("event-payload-twice.json", "invalid model: member `ex#Tick$b`: an event may have one @eventPayload member"),
];

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = entry.metadata().expect("metadata");
                let rel = path.strip_prefix(dir).expect("under dir").to_string_lossy().into_owned();
                out.insert(
                    rel,
                    (std::fs::read(&path).expect("read"), meta.modified().expect("mtime")),
                );
            }
        }
    }
    out
}

#[test]
fn every_broken_model_is_refused_and_nothing_is_written() {
    let listed: Vec<&str> = CASES.iter().map(|(file, _)| *file).collect();
    let dir = support::root().join("tests/models/broken");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("broken models")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(on_disk, sorted, "every broken model has exactly one expectation here");

    // A stand-in for generated/: the real crate, generated into a scratch directory.
    let out = support::shared_target_dir().join("broken-models-out");
    let _ = std::fs::remove_dir_all(&out);
    support::write_crate(&out, &support::generate("model/chime-sdk-meetings.json"));
    let before = snapshot(&out);
    assert!(before.len() > 50);

    for (file, expected) in CASES {
        let model = dir.join(file);
        let (code, stdout, stderr) = support::xtask(&[
            "codegen",
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{file}: exit code\nstdout: {stdout}\nstderr: {stderr}");
        assert!(stderr.contains(expected), "{file}: expected `{expected}` in:\n{stderr}");
        assert!(stderr.contains("nothing was written"), "{file}: {stderr}");
        assert!(stdout.is_empty(), "{file}: {stdout}");
        assert!(snapshot(&out) == before, "{file}: the output directory changed");
    }
}

/// The library refuses them too (the CLI is not the only guard).
#[test]
fn library_reports_the_same_errors() {
    for (file, expected) in CASES {
        let path = support::root().join("tests/models/broken").join(file);
        let err = smithy_codegen::generate_file(&path, &Default::default()).expect_err(file);
        assert!(err.to_string().contains(expected), "{file}: {err}");
    }
}

/// `--check` on a stale directory writes nothing, fails, and names the files and the command.
#[test]
fn check_reports_stale_files_without_writing() {
    let out = support::shared_target_dir().join("check-stale-out");
    let _ = std::fs::remove_dir_all(&out);
    // Written as `cargo xtask codegen` writes it: with its history (model.json, CHANGELOG.md),
    // and as if an earlier model had given one more type (`_gone.rs`, in the manifest).
    let model_path = support::root().join("model/chime-sdk-meetings.json");
    let fresh = smithy_codegen::history::generate_for(&model_path, &out, &Default::default())
        .expect("generate");
    let mut earlier = fresh.rendered.clone();
    earlier.insert(
        "src/types/_gone.rs".into(),
        "// @generated by `cargo xtask codegen`; do not edit.\npub struct Gone;\n".into(),
    );
    support::write_crate(&out, &earlier);
    let orphan = out.join("src/types/_gone.rs");
    let lib = out.join("src/lib.rs");
    std::fs::write(
        &lib,
        "// @generated by `cargo xtask codegen`; do not edit.\n// edited by hand\n",
    )
    .unwrap();
    let before = snapshot(&out);

    let model = support::root().join("model/chime-sdk-meetings.json");
    let (code, _, stderr) = support::xtask(&[
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("needs update: src/lib.rs"), "{stderr}");
    assert!(stderr.contains("needs removal: src/types/_gone.rs"), "{stderr}");
    assert!(stderr.contains("needs update: .codegen-manifest"), "{stderr}");
    assert!(stderr.contains("run `cargo xtask codegen`"), "{stderr}");
    assert!(snapshot(&out) == before, "--check wrote something");

    // Regenerating repairs it: lib.rs and the manifest written, the orphan removed.
    let (code, stdout, _) = support::xtask(&[
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("2 written"), "{stdout}");
    assert!(stdout.contains("1 removed"), "{stdout}");
    assert!(!orphan.exists());
    let (code, _, _) = support::xtask(&[
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(code, 0);
}

// ---------------------------------------------------------------------------------------------
// Deep and recursive models: a clear error or a correct crate, quickly, on a test thread's
// stack (2 MiB: the generator must not need a stack as deep as its input).

use serde_json::{json, Value};

/// A model of one service with one operation whose input has the members `input`, plus `shapes`.
fn service_model(input: Value, shapes: Value) -> String {
    let mut all = json!({
        "ex#Svc": {
            "type": "service", "version": "1", "operations": [{ "target": "ex#Op" }],
            "traits": { "aws.protocols#restJson1": {}, "aws.api#service": { "sdkId": "Deep" } }
        },
        "ex#Op": {
            "type": "operation", "input": { "target": "ex#OpInput" },
            "traits": { "smithy.api#http": { "method": "POST", "uri": "/op" } }
        },
        "ex#OpInput": { "type": "structure", "members": input }
    });
    all.as_object_mut().unwrap().extend(shapes.as_object().unwrap().clone());
    json!({ "smithy": "2.0", "shapes": all }).to_string()
}

/// Runs `generate` on a thread with a 2 MiB stack; returns its result and how long it took.
fn generate_on_small_stack(
    model: String,
) -> (Result<smithy_codegen::write::Rendered, String>, std::time::Duration) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let start = std::time::Instant::now();
            let result =
                smithy_codegen::generate(&model, &Default::default()).map_err(|e| e.to_string());
            (result, start.elapsed())
        })
        .expect("thread")
        .join()
        .expect("the generator must not overflow its stack")
}

/// `prefix0` → `prefix1` → ... → `prefix{n-1}`, each made by `shape(next target)`.
fn chain(prefix: &str, n: usize, last: &str, shape: impl Fn(&str) -> Value) -> Value {
    let mut shapes = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 < n { format!("ex#{prefix}{}", i + 1) } else { last.to_string() };
        shapes.insert(format!("ex#{prefix}{i}"), shape(&next));
    }
    Value::Object(shapes)
}

fn list_chain(n: usize) -> String {
    let shapes = chain(
        "L",
        n,
        "smithy.api#String",
        |next| json!({ "type": "list", "member": { "target": next } }),
    );
    service_model(json!({ "v": { "target": "ex#L0" } }), shapes)
}

fn map_chain(n: usize) -> String {
    let shapes = chain(
        "M",
        n,
        "smithy.api#String",
        |next| json!({ "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": next } }),
    );
    service_model(json!({ "v": { "target": "ex#M0" } }), shapes)
}

fn structure_chain(n: usize) -> String {
    let shapes = chain(
        "S",
        n,
        "smithy.api#String",
        |next| json!({ "type": "structure", "members": { "next": { "target": next } } }),
    );
    service_model(json!({ "v": { "target": "ex#S0" } }), shapes)
}

/// The input mixes in `X0`, which mixes in `X1`, ... each mixin with a member of its own.
fn mixin_chain(n: usize) -> String {
    let mut shapes = serde_json::Map::new();
    for i in 0..n {
        let mut shape = json!({
            "type": "structure",
            "members": { format!("m{i}"): { "target": "smithy.api#String" } },
            "traits": { "smithy.api#mixin": {} }
        });
        if i + 1 < n {
            shape["mixins"] = json!([{ "target": format!("ex#X{}", i + 1) }]);
        }
        shapes.insert(format!("ex#X{i}"), shape);
    }
    let mut model: Value =
        serde_json::from_str(&service_model(json!({}), Value::Object(shapes))).unwrap();
    model["shapes"]["ex#OpInput"]["mixins"] = json!([{ "target": "ex#X0" }]);
    model.to_string()
}

/// Two mixins per level, each mixing in both mixins of the next level: 2^n paths from the top.
fn mixin_diamond(n: usize) -> String {
    let mut shapes = serde_json::Map::new();
    for i in 0..n {
        for side in ["A", "B"] {
            let mut shape = json!({
                "type": "structure",
                "members": { format!("{}{i}", side.to_lowercase()): { "target": "smithy.api#String" } },
                "traits": { "smithy.api#mixin": {} }
            });
            if i + 1 < n {
                shape["mixins"] = json!([{ "target": format!("ex#A{}", i + 1) }, { "target": format!("ex#B{}", i + 1) }]);
            }
            shapes.insert(format!("ex#{side}{i}"), shape);
        }
    }
    let mut model: Value =
        serde_json::from_str(&service_model(json!({}), Value::Object(shapes))).unwrap();
    model["shapes"]["ex#OpInput"]["mixins"] = json!([{ "target": "ex#A0" }, { "target": "ex#B0" }]);
    model.to_string()
}

/// A bound only exponential (or badly quadratic) work can miss: each case takes well under a
/// second in a debug build.
const GENEROUS: std::time::Duration = std::time::Duration::from_secs(10);

/// How deeply `Vec<` and `BTreeMap<` nest in the declaration of the input's field `v`.
fn nesting_of_v(rendered: &smithy_codegen::write::Rendered) -> usize {
    let text = &rendered["src/operation/op.rs"];
    let start = text.find("pub v: Option<").expect("field v");
    // The type, up to its closing `>`.
    let mut depth = 0;
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            _ => {}
        }
        if c == '>' && depth == 0 {
            end = start + i;
            break;
        }
    }
    let declaration = &text[start..end];
    declaration.matches("Vec<").count() + declaration.matches("BTreeMap<").count()
}

#[test]
fn deep_chains_are_refused_with_the_limit_they_exceed() {
    let cases: [(&str, String, &str); 3] = [
        (
            "list chain of 300",
            list_chain(300),
            "unsupported model: shape `ex#L0`: lists and maps nested 300 deep (`ex#L0` → `ex#L1` → `ex#L2` → … (295 more) … → `ex#L298` → `ex#L299`); the generator allows 8",
        ),
        (
            "map chain of 1,000",
            map_chain(1000),
            "unsupported model: shape `ex#M0`: lists and maps nested 1000 deep",
        ),
        (
            "structure chain of 10,000",
            structure_chain(10_000),
            "unsupported model: shape `ex#S0`: its values nest 10000 levels deep (`ex#S0` → `ex#S1` → `ex#S2` → … (9995 more) … → `ex#S9998` → `ex#S9999`); the generated crate reads at most 128 levels of JSON",
        ),
    ];
    for (what, model, expected) in cases {
        let (result, took) = generate_on_small_stack(model);
        let error = result.expect_err(what);
        assert!(error.contains(expected), "{what}: expected `{expected}` in:\n{error}");
        assert!(took < GENEROUS, "{what}: {took:?}");
        eprintln!("{what}: refused in {took:?}");
    }
}

#[test]
fn chains_at_the_limits_generate() {
    // (case, model, a file, what it must hold, how many times)
    let cases: [(&str, String, &str, &str, usize); 4] = [
        ("list chain of 8", list_chain(8), "src/operation/op.rs", "pub v: Option<", 1),
        ("map chain of 8", map_chain(8), "src/types/mod.rs", "", 0),
        (
            "structure chain of 128",
            structure_chain(128),
            "src/types/_s127.rs",
            "pub struct S127",
            1,
        ),
        (
            "mixin chain of 1,000",
            mixin_chain(1000),
            "src/operation/op.rs",
            "pub m999: Option<String>",
            1,
        ),
    ];
    for (what, model, file, expected, times) in cases {
        let (result, took) = generate_on_small_stack(model);
        let rendered = result.unwrap_or_else(|e| panic!("{what}: {e}"));
        let text = rendered.get(file).unwrap_or_else(|| panic!("{what}: no {file}"));
        assert!(text.matches(expected).count() >= times, "{what}: `{expected}` in {file}");
        if what.starts_with("list") || what.starts_with("map") {
            assert_eq!(nesting_of_v(&rendered), 8, "{what}");
        }
        assert!(took < GENEROUS, "{what}: {took:?}");
        eprintln!("{what}: generated in {took:?}");
    }
}

#[test]
fn diamond_mixins_are_flattened_once_each() {
    // 40 levels: 2^40 paths through the mixins, 80 mixins.
    let (result, took) = generate_on_small_stack(mixin_diamond(40));
    let rendered = result.expect("diamond");
    let input = &rendered["src/operation/op.rs"];
    for i in 0..40 {
        assert!(input.contains(&format!("pub a{i}: Option<String>")), "a{i}");
        assert!(input.contains(&format!("pub b{i}: Option<String>")), "b{i}");
    }
    assert!(took < GENEROUS, "{took:?}");
    eprintln!("40-level mixin diamond: generated in {took:?}");
}
/// A cycle of 2,000 structures (each with a constraint to validate) nests only once, so it is
/// generated: resolving and emitting it must not recurse along it. On a 256 KiB stack (64 KiB
/// are enough for a cycle of 100), so a recursion of even 128 bytes per structure would
/// overflow; emitted without formatting, which goes one item at a time anyway (and formatting
/// 2,000 files in a debug build takes seconds).
#[test]
fn a_cycle_of_structures_is_walked_without_recursion() {
    let n = 2_000;
    let shapes = chain("R", n, "ex#R0", |next| {
        json!({ "type": "structure", "members": {
            "next": { "target": next },
            "code": { "target": "smithy.api#String", "traits": { "smithy.api#length": { "max": 3 } } }
        } })
    });
    let mut model: Value =
        serde_json::from_str(&service_model(json!({ "v": { "target": "ex#R0" } }), shapes))
            .unwrap();
    model["shapes"]["ex#Op"]["output"] = json!({ "target": "ex#OpOutput" });
    model["shapes"]["ex#OpOutput"] =
        json!({ "type": "structure", "members": { "v": { "target": format!("ex#R{}", n / 2) } } });
    let model = model.to_string();
    let (result, took) = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            let start = std::time::Instant::now();
            let result = (|| {
                let model = smithy_codegen::load::load_str(&model)?;
                let service = smithy_codegen::resolve::resolve(&model, &Default::default())?;
                let mut types = 0;
                smithy_codegen::emit::emit_each(&service, &[], &mut |file| {
                    types += usize::from(file.path.starts_with("src/types/_r"));
                    Ok(())
                })?;
                Ok::<_, smithy_codegen::Error>(types)
            })();
            (result, start.elapsed())
        })
        .expect("thread")
        .join()
        .expect("the generator must not overflow its stack");
    assert_eq!(result.expect("a cycle of structures"), n);
    assert!(took < GENEROUS, "{took:?}");
    eprintln!("a cycle of {n} structures: resolved and emitted in {took:?}");
}

/// JSON in traits nests as deep as the JSON parser allows (128): the walks over it must hold.
#[test]
fn deep_trait_values_generate() {
    let nested =
        |depth: usize| (0..depth).fold(json!({ "v": "leaf" }), |inner, _| json!({ "next": inner }));
    let shapes = json!({
        "ex#Node": {
            "type": "structure",
            "members": { "next": { "target": "ex#Node" }, "v": { "target": "smithy.api#String" } }
        },
        "ex#Out": {
            "type": "structure",
            "members": {
                "doc": { "target": "smithy.api#Document", "traits": { "smithy.api#default": nested(118) } }
            }
        }
    });
    let input =
        json!({ "node": { "target": "ex#Node" }, "doc": { "target": "smithy.api#Document" } });
    let mut model: Value = serde_json::from_str(&service_model(input, shapes)).unwrap();
    let case = |id: &str, params: Value| json!({ "id": id, "protocol": "aws.protocols#restJson1", "method": "POST", "uri": "/op", "params": params });
    model["shapes"]["ex#Op"]["output"] = json!({ "target": "ex#Out" });
    model["shapes"]["ex#Op"]["traits"]["smithy.test#httpRequestTests"] = json!([
        case("DeepStructures", json!({ "node": nested(118) })),
        case("ShallowStructures", json!({ "node": nested(20) })),
        case("DeepDocument", json!({ "doc": nested(118) })),
    ]);
    // Endpoint rules nested as deep as the JSON allows (three levels of JSON per rule).
    let rule =
        (0..40).fold(json!({ "type": "error", "conditions": [], "error": "deep" }), |inner, _| {
            json!({
                "type": "tree",
                "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Region" }] }],
                "rules": [inner]
            })
        });
    model["shapes"]["ex#Svc"]["traits"]["smithy.rules#endpointRuleSet"] = json!({
        "version": "1.0",
        "parameters": {
            "Region": { "builtIn": "AWS::Region", "required": false, "type": "String", "documentation": "The region." }
        },
        "rules": [rule]
    });
    let (result, took) = generate_on_small_stack(model.to_string());
    let rendered = result.expect("deep trait values");
    let tests = &rendered["tests/protocol_client_requests.rs"];
    // A case nested deeper than the generator writes as one expression becomes a failing test
    // that says why; the others are built.
    let deep = &tests[tests.find("fn deep_structures").expect("deep case")..];
    assert!(deep.contains("nested more than 64 values deep"), "{deep}");
    let shallow = &tests[tests.find("fn shallow_structures").expect("shallow case")..];
    let shallow = &shallow[..shallow.find("#[test]").unwrap_or(shallow.len())];
    assert!(!shallow.contains("panic!"), "{shallow}");
    assert!(rendered["src/endpoint/mod.rs"].contains("deep"));
    assert!(took < GENEROUS, "{took:?}");
}

// ---------------------------------------------------------------------------------------------
// Names: whatever the model holds becomes a valid, unique Rust name and file, or an error.

/// An sdkId that is empty, punctuation only, or starts with a digit still names a crate Cargo
/// accepts, with a library name Rust accepts (the generator used to panic on these).
#[test]
fn unusable_sdk_ids_fall_back() {
    for (sdk_id, crate_name) in [
        ("", "svc"),
        ("!!!", "svc"),
        ("3D Service", "service-3d-service"),
        ("Self", "self-service"),
        ("  ", "svc"),
    ] {
        let mut model: Value = serde_json::from_str(&service_model(json!({}), json!({}))).unwrap();
        model["shapes"]["ex#Svc"]["traits"]["aws.api#service"]["sdkId"] = json!(sdk_id);
        let (result, _) = generate_on_small_stack(model.to_string());
        let rendered = result.unwrap_or_else(|e| panic!("{sdk_id:?}: {e}"));
        let manifest = &rendered["Cargo.toml"];
        assert!(
            manifest.contains(&format!("\nname = \"{crate_name}\"\n")),
            "{sdk_id:?}:\n{manifest}"
        );
        let library = crate_name.replace('-', "_");
        assert!(
            rendered.values().all(|text| !text.contains("use 3") && !text.contains("::3")),
            "{sdk_id:?}: a path starting with a digit"
        );
        if let Some(tests) = rendered.get("tests/endpoint_tests.rs") {
            assert!(tests.contains(&format!("{library}::")), "{sdk_id:?}");
        }
    }
}

/// Operations named like the files the generator writes beside theirs get modules of their
/// own: nothing is written twice (the crate is compiled, warning-free, by the corpus test).
#[test]
fn operations_named_like_generated_files_do_not_overwrite_them() {
    let path = support::root().join("tests/models/synthetic/names.json");
    let rendered = smithy_codegen::generate_file(&path, &Default::default()).expect("names");
    for (file, holds) in [
        ("src/operation/mod.rs", "pub mod mod_operation;"),
        ("src/operation/mod_operation.rs", "pub struct Mod;"),
        ("src/protocol/mod.rs", "pub(crate) mod json;"),
        ("src/protocol/json.rs", "pub(crate) fn ser_"),
        ("src/protocol/json_operation.rs", "The restJson1 request and response of `Json`"),
        ("src/protocol/server_operation.rs", "The restJson1 request and response of `Server`"),
        ("src/protocol/md5_operation.rs", "The restJson1 request and response of `Md5`"),
        ("src/operation/self_.rs", "pub struct SelfValue;"),
    ] {
        let text = rendered.get(file).unwrap_or_else(|| panic!("no {file}"));
        assert!(text.contains(holds), "{file} should hold `{holds}`");
    }
    let client = &rendered["src/client/mod.rs"];
    assert!(client.contains("pub fn self_with(") && !client.contains("self__with"));
    // Test case ids `ModRequest`, `Mod_Request` and `ModRequest_2` give three test functions.
    for file in ["tests/protocol_client_requests.rs", "tests/protocol_server_requests.rs"] {
        for test in ["fn mod_request()", "fn mod_request_2()", "fn mod_request_2_2()"] {
            assert_eq!(rendered[file].matches(test).count(), 1, "{file}: {test}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The output directory: the generator removes only what it can prove it wrote (its manifest,
// the file's hash, the marker), never goes through a link or into `.git`, and a failure at any
// step leaves everything as it was.

/// Everything under `dir`, links not followed: each file's bytes and mtime, each directory,
/// each link's target.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let what = if meta.file_type().is_symlink() {
                format!("link to {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path);
                "dir".to_string()
            } else {
                let bytes = std::fs::read(&path).expect("read");
                format!("file {:?} {:x?}", meta.modified().unwrap(), bytes)
            };
            out.insert(rel, what);
        }
    }
    out
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = support::shared_target_dir().join("output-safety").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn codegen(model: &Path, out: &Path) -> (i32, String, String) {
    support::xtask(&["codegen", "--model", model.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

/// `shapes.json`, and a variant without its errors and without the `secrets` member (so the
/// error shapes and `Secrets` are no longer generated: their files are stale).
fn shapes_models(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let full = support::root().join("tests/models/synthetic/shapes.json");
    let mut model: Value = serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap();
    let shapes = model["shapes"].as_object_mut().unwrap();
    shapes["example.shapes#PutEverything"].as_object_mut().unwrap().remove("errors");
    shapes["example.shapes#PutEverythingInput"]["members"]
        .as_object_mut()
        .unwrap()
        .remove("secrets");
    let smaller = dir.join("smaller.json");
    std::fs::write(&smaller, model.to_string()).unwrap();
    (full, smaller)
}

#[test]
fn a_git_repository_is_left_alone() {
    let root = scratch("git");
    let repo = root.join("repo");
    std::fs::create_dir_all(repo.join("assets")).unwrap();
    std::fs::write(repo.join("README"), "mine\n").unwrap();
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&repo)
            .output()
            .expect("git");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "README"]);
    git(&["commit", "-q", "-m", "first"]);
    let dot_git = tree(&repo.join(".git"));
    assert!(dot_git.keys().any(|k| k == "refs/tags"), "an empty directory git keeps");

    let (full, smaller) = shapes_models(&root);
    // Twice, the second time with a model that leaves files stale.
    for model in [&full, &smaller] {
        let (code, stdout, stderr) = codegen(model, &repo);
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    assert!(tree(&repo.join(".git")) == dot_git, ".git changed");
    assert!(repo.join("assets").is_dir(), "the user's empty directory was removed");
    let status = git(&["status", "--porcelain"]);
    assert!(
        status.contains("?? Cargo.toml") && status.contains("?? .codegen-manifest"),
        "{status}"
    );
}

#[test]
fn stale_files_are_removed_only_with_proof() {
    let root = scratch("stale");
    let out = root.join("out");
    let (full, smaller) = shapes_models(&root);
    let (code, _, stderr) = codegen(&full, &out);
    assert_eq!(code, 0, "{stderr}");
    // Generated, then edited (the marker kept): no longer the generator's to remove.
    let edited = out.join("src/types/error/_broken.rs");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("pub struct", "// my note\npub struct")).unwrap();
    // Generated, then the marker taken out: the user claims it.
    let claimed = out.join("src/types/error/_leaky.rs");
    let text = std::fs::read_to_string(&claimed).unwrap();
    std::fs::write(&claimed, text.replace("@generated", "formerly generated")).unwrap();
    // Hand-written, with the marker in its first bytes, but not in the manifest.
    let handwritten = out.join("src/types/_handwritten.rs");
    std::fs::write(&handwritten, "// @generated by `cargo xtask codegen`; do not edit.\n// mine\n")
        .unwrap();
    // The user's directories, one of them empty.
    std::fs::create_dir_all(out.join("src/empty")).unwrap();
    std::fs::create_dir_all(out.join("notes")).unwrap();
    std::fs::write(out.join("notes/todo.md"), "- more\n").unwrap();

    let (code, stdout, stderr) = codegen(&smaller, &out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Removed: unchanged generated files no longer generated.
    assert!(!out.join("src/types/_secrets.rs").exists(), "{stdout}");
    assert!(!out.join("src/types/error/_bad_thing.rs").exists(), "{stdout}");
    assert!(stdout.contains("  src/types/_secrets.rs"), "{stdout}");
    // Kept, and said so.
    assert!(edited.exists() && claimed.exists() && handwritten.exists());
    assert!(
        stdout.contains("kept src/types/error/_broken.rs, no longer generated: it was changed since it was generated"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("kept src/types/error/_leaky.rs, no longer generated: it no longer carries"),
        "{stdout}"
    );
    assert!(out.join("src/empty").is_dir() && out.join("notes/todo.md").exists());
    // They left the manifest: the next run says nothing about them, and removes nothing.
    let manifest = std::fs::read_to_string(out.join(".codegen-manifest")).unwrap();
    assert!(!manifest.contains("_broken.rs") && !manifest.contains("_secrets.rs"), "{manifest}");
    let (code, stdout, _) = codegen(&smaller, &out);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(" 0 written") && stdout.contains(" 0 removed") && !stdout.contains("kept"),
        "{stdout}"
    );

    // Generating them again would write over the file the user claimed: refused.
    let before = tree(&out);
    let (code, _, stderr) = codegen(&full, &out);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "{}: exists and was not written by the generator",
            claimed.display()
        )),
        "{stderr}"
    );
    assert!(tree(&out) == before);

    // A directory the removals empty goes (never the output directory itself).
    std::fs::remove_file(&edited).unwrap();
    std::fs::remove_file(&claimed).unwrap();
    let (code, _, stderr) = codegen(&full, &out);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = codegen(&smaller, &out);
    assert_eq!(code, 0, "{stdout}");
    assert!(!out.join("src/types/error").exists(), "{stdout}");
    assert!(out.join("src/types").is_dir() && out.join("src/empty").is_dir());
}

#[test]
fn links_inside_the_output_are_never_followed() {
    let root = scratch("links");
    let (full, smaller) = shapes_models(&root);
    let other = root.join("other");
    let out = root.join("out");
    for dir in [&other, &out] {
        let (code, _, stderr) = codegen(&full, dir);
        assert_eq!(code, 0, "{stderr}");
    }
    let other_before = tree(&other);

    // A link to another generated crate, and two links to the directory itself.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&other, out.join("other")).unwrap();
        std::os::unix::fs::symlink(".", out.join("loop1")).unwrap();
        std::os::unix::fs::symlink(".", out.join("loop2")).unwrap();
        std::os::unix::fs::symlink("../../other/src/types", out.join("src/linked-types")).unwrap();
    }
    let start = std::time::Instant::now();
    let (code, stdout, stderr) = codegen(&smaller, &out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(start.elapsed() < GENEROUS);
    assert!(tree(&other) == other_before, "the other crate changed");
    for link in ["other", "loop1", "loop2", "src/linked-types"] {
        assert!(
            std::fs::symlink_metadata(out.join(link)).unwrap().file_type().is_symlink(),
            "{link}"
        );
    }

    // A link where the generator must write or remove: an error naming it, nothing changed.
    #[cfg(unix)]
    for (replaced, model) in [("src/types", &full), ("src/operation", &smaller)] {
        let real = out.join(replaced);
        let aside = root.join("aside");
        std::fs::rename(&real, &aside).unwrap();
        std::os::unix::fs::symlink(other.join(replaced), &real).unwrap();
        let before = tree(&out);
        let (code, stdout, stderr) = codegen(model, &out);
        assert_eq!(code, 1, "{stdout}{stderr}");
        assert!(
            stderr.contains(&format!("{}: is a symbolic link", real.display())),
            "{replaced}: {stderr}"
        );
        assert!(tree(&out) == before, "{replaced}: the output changed");
        assert!(tree(&other) == other_before, "{replaced}: the other crate changed");
        std::fs::remove_file(&real).unwrap();
        std::fs::rename(&aside, &real).unwrap();
    }
}

#[test]
fn files_the_generator_did_not_write_are_not_replaced() {
    let root = scratch("foreign");
    let out = root.join("project");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    std::fs::write(out.join("src/lib.rs"), "// my crate\n").unwrap();
    let before = tree(&out);
    let (code, stdout, stderr) =
        codegen(&support::root().join("tests/models/synthetic/shapes.json"), &out);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("exists and was not written by the generator"), "{stderr}");
    assert!(tree(&out) == before);

    // A damaged manifest stops it too.
    let out = root.join("damaged");
    let model = support::root().join("tests/models/synthetic/shapes.json");
    assert_eq!(codegen(&model, &out).0, 0);
    std::fs::write(out.join(".codegen-manifest"), "0000  ../../etc/passwd\n").unwrap();
    let before = tree(&out);
    let (code, _, stderr) = codegen(&model, &out);
    assert_eq!(code, 1);
    assert!(stderr.contains(".codegen-manifest: line 1 is not `<sha256>  <path>`"), "{stderr}");
    assert!(tree(&out) == before);
}

/// A directory generated before the manifest existed: its first write adopts the files it
/// generates (they carry the marker) and removes nothing, not even a stale generated file.
#[test]
fn a_directory_without_manifest_is_adopted_without_removals() {
    let root = scratch("adopt");
    let (full, smaller) = shapes_models(&root);
    let out = root.join("out");
    assert_eq!(codegen(&full, &out).0, 0);
    std::fs::remove_file(out.join(".codegen-manifest")).unwrap();
    let (code, stdout, stderr) = codegen(&smaller, &out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(" 0 removed"), "{stdout}");
    assert!(out.join("src/types/_secrets.rs").exists());
    let manifest = std::fs::read_to_string(out.join(".codegen-manifest")).unwrap();
    assert!(manifest.contains("  src/lib.rs\n") && !manifest.contains("_secrets.rs"), "{manifest}");
}

/// Every step of a write that replaces, adds and removes files, failed in turn: each time the
/// directory is exactly as before (contents, mtimes, directories). Then into a new directory:
/// nothing is left behind.
#[test]
fn a_failure_at_any_step_changes_nothing() {
    let root = scratch("rollback");
    let (full, smaller) = shapes_models(&root);
    let out = root.join("out");
    assert_eq!(codegen(&full, &out).0, 0);
    std::fs::create_dir_all(out.join("src/empty")).unwrap();
    let history = |model: &Path| {
        smithy_codegen::history::generate_for(model, &out, &Default::default()).expect("generate")
    };
    let next = history(&smaller).rendered;
    let before = tree(&out);
    let mut steps = 0;
    loop {
        match smithy_codegen::write::write_failing_at(&out, &next, steps) {
            Ok(summary) => {
                assert!(!summary.removed.is_empty() && !summary.written.is_empty());
                break;
            }
            Err(error) => {
                assert!(error.to_string().contains("injected failure"), "{error}");
                assert!(tree(&out) == before, "step {steps}: the directory changed");
                let leftovers: Vec<_> = std::fs::read_dir(&root)
                    .unwrap()
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().contains("staging"))
                    .collect();
                assert!(leftovers.is_empty(), "step {steps}: staging left behind");
                steps += 1;
            }
        }
    }
    assert!(steps > 20, "only {steps} steps");
    eprintln!("rolled back after a failure at each of {steps} steps");
    // Once it succeeds it is what `cargo xtask codegen` writes.
    let (code, stdout, _) = codegen(&smaller, &out);
    assert_eq!(code, 0);
    assert!(stdout.contains(" 0 written, ") && stdout.contains(" 0 removed"), "{stdout}");

    // A real failure part way, where permissions hold (not for root): a directory the write
    // must put files in is read-only, while others come before it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = out.join("src/types");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = locked.join("probe");
        if std::fs::write(&probe, "").is_ok() {
            let _ = std::fs::remove_file(&probe);
            eprintln!("running as root: the read-only directory case does not apply");
        } else {
            let next = history(&full).rendered;
            let before = tree(&out);
            let error = smithy_codegen::write::write(&out, &next).expect_err("read-only directory");
            assert!(error.to_string().contains("src/types"), "{error}");
            assert!(tree(&out) == before, "the directory changed");
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let fresh = root.join("new/deeper/out");
    let rendered = history(&full).rendered;
    for step in 0..5 {
        assert!(smithy_codegen::write::write_failing_at(&fresh, &rendered, step).is_err());
        assert!(!root.join("new").exists(), "step {step}: created directories left behind");
    }
}
