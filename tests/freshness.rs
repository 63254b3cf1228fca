//! `generated/` must be exactly what the codegen produces from `model/` now (like
//! rust-analyzer's generated-file checks): plain `cargo test` catches a stale crate.

mod support;

/// Checked with the crate's history (`generated/model.json`, its version and CHANGELOG.md), as
/// `cargo xtask codegen` writes it: a model change not regenerated shows up here.
#[test]
fn generated_crate_is_fresh() {
    let root = support::root();
    let generated = smithy_codegen::history::generate_for(
        &root.join("model/chime-sdk-meetings.json"),
        &root.join("generated"),
        &Default::default(),
    )
    .expect("generate with history");
    assert!(
        generated.diff.is_none(),
        "generated/ was generated from another model: run `cargo xtask codegen`"
    );
    let summary = smithy_codegen::write::check(&root.join("generated"), &generated.rendered)
        .expect("check generated/");
    assert!(
        summary.is_fresh(),
        "generated/ is stale: {} file(s) differ ({:?}), {} stale file(s) ({:?}).\nRun `cargo xtask codegen` and commit the result.",
        summary.written.len(),
        summary.written,
        summary.removed.len(),
        summary.removed
    );
}

/// The same model always yields the same bytes.
#[test]
fn generation_is_deterministic() {
    let first = support::generate("model/chime-sdk-meetings.json");
    let second = support::generate("model/chime-sdk-meetings.json");
    assert_eq!(first, second);
}

/// `--check` (what CI runs) passes on the committed crate and writes nothing.
#[test]
fn xtask_check_passes_on_committed_crate() {
    let (code, stdout, stderr) = support::xtask(&["codegen", "--check"]);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("is up to date"), "{stdout}");
}
