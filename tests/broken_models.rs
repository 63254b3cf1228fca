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
    // Written as `cargo xtask codegen` writes it: with its history (model.json, CHANGELOG.md).
    let model_path = support::root().join("model/chime-sdk-meetings.json");
    let fresh = smithy_codegen::history::generate_for(&model_path, &out, &Default::default())
        .expect("generate");
    support::write_crate(&out, &fresh.rendered);
    let lib = out.join("src/lib.rs");
    std::fs::write(
        &lib,
        "// @generated by `cargo xtask codegen`; do not edit.\n// edited by hand\n",
    )
    .unwrap();
    let orphan = out.join("src/types/_gone.rs");
    std::fs::write(&orphan, "// @generated by `cargo xtask codegen`; do not edit.\n").unwrap();
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
    assert!(stderr.contains("run `cargo xtask codegen`"), "{stderr}");
    assert!(snapshot(&out) == before, "--check wrote something");

    // Regenerating repairs it: one file written, one removed, the rest untouched.
    let (code, stdout, _) = support::xtask(&[
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("1 written"), "{stdout}");
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
