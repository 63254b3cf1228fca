//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::process::Command;

use smithy_codegen::resolve::Options;
use smithy_codegen::write::Rendered;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Generates the crate for a model file (relative to the workspace root), in memory.
pub fn generate(model: &str) -> Rendered {
    let path = root().join(model);
    smithy_codegen::generate_file(&path, &Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `cargo xtask ...` in-process; returns (exit code, stdout, stderr).
pub fn xtask(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("xtask").chain(args.iter().copied()).map(str::to_string);
    let code = xtask::run(argv, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}

/// The target directory shared by every cargo build the tests start (kept apart from the
/// workspace's own so the running `cargo test` and its children never wait on each other).
pub fn shared_target_dir() -> PathBuf {
    std::env::var_os("CODEGEN_TEST_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target").join("codegen-tests"))
}

/// The dev-dependencies of every generated crate the tests build with all features for its
/// tests (the corpus's synthetic and service crates, the compliance crates): what their tests
/// use (a tokio runtime, a hyper client and server, bodies and streams, JSON), the same set for
/// all. Resolved alike, their dependencies (tokio, hyper, h2, rustls...) are compiled once in
/// the shared target directory for all of them, not once per feature set. `aws-sigv4` is the
/// dependency of a crate with event streams (as the generator declares it): a crate without
/// them gets it too, so that the features it adds to `sha2` and `aws-smithy-types` are the
/// same everywhere.
pub const DEV_DEPENDENCIES: &[&str] = &[
    "aws-sigv4 = { version = \"1.3\", default-features = false, features = [\"sign-http\", \"http1\", \"sign-eventstream\"] }",
    "bytes = \"1\"",
    "futures-core = \"0.3\"",
    "http = \"1\"",
    "hyper = { version = \"1\", features = [\"client\", \"server\", \"http1\", \"http2\"] }",
    "hyper-util = { version = \"0.1.10\", features = [\"tokio\"] }",
    "serde_json = \"1\"",
    "tokio = { version = \"1\", features = [\"fs\", \"io-util\", \"macros\", \"net\", \"rt-multi-thread\", \"sync\", \"time\"] }",
];

/// A `cargo` command for building generated crates ([`xtask::protocol_tests::cargo`]: warnings
/// denied, no incremental compilation) in the shared target directory, rustdoc's warnings
/// denied too.
pub fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = xtask::protocol_tests::cargo(dir, &shared_target_dir(), args);
    cmd.env("RUSTDOCFLAGS", "-D warnings");
    cmd
}

/// `cmd` (a cargo build) with clippy's lints in the compiler of the workspace's own crates
/// (`clippy-driver` as `RUSTC_WORKSPACE_WRAPPER`, as `cargo clippy` runs it for a check): a
/// crate that is built anyway is linted in the same compilation, not checked again apart.
/// Clippy's warnings are errors under the `-D warnings` of [`cargo`].
pub fn linted(mut cmd: Command) -> Command {
    cmd.env("RUSTC_WORKSPACE_WRAPPER", xtask::protocol_tests::clippy_driver());
    cmd
}

/// Runs a command and panics with its output when it fails. Its wall time goes to the phase
/// log (see [`log_phase`]).
pub fn run_ok(mut cmd: Command, what: &str) {
    let start = std::time::Instant::now();
    let output = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    log_phase(what, start.elapsed());
    assert_success(&output, what);
}

/// Panics with a command's output, naming `what`, when it failed.
fn assert_success(output: &std::process::Output, what: impl std::fmt::Display) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Appends `seconds<TAB>what` to `target/test-phases.log`, which `.ci/run` prints after the
/// tests: the slow phases of the suite (each cargo build of generated crates) by name.
pub fn log_phase(what: &str, elapsed: std::time::Duration) {
    use std::io::Write;
    let path = root().join("target").join("test-phases.log");
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        // One write per line, so lines from tests running at once do not interleave.
        let _ = file.write_all(format!("{:7.1}\t{what}\n", elapsed.as_secs_f64()).as_bytes());
    }
}

/// Writes a rendered crate into `dir` (replacing what was there).
pub fn write_crate(dir: &Path, rendered: &Rendered) {
    smithy_codegen::write::write(dir, rendered)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
}

/// Documents `packages` of the workspace in `dir` with all features (`cargo doc --no-deps`,
/// warnings denied), a few crates per cargo command, each command into a doc directory of its
/// own.
///
/// rustdoc merges every crate's search index and trait implementations into the files shared
/// by the doc directory, rewriting them for each crate documented: forty crates in one
/// directory spend most of their time there (a small crate took 7.5 s beside the others and
/// 1.4 s alone). So each batch's pages are moved aside after its command and kept for the next
/// run, which moves them back before the same batch: cargo then finds the unchanged crates'
/// pages where it wrote them and does not document those crates again. `packages` come largest
/// first, so the largest crates do not end the phase alone.
pub fn doc_in_batches(dir: &Path, packages: &[String], what: &str) {
    const BATCH: usize = 4;
    let target = shared_target_dir();
    let doc = target.join("doc");
    let kept = target.join("doc-batches");
    std::fs::create_dir_all(&kept).expect("mkdir doc-batches");
    let start = std::time::Instant::now();
    let batches: Vec<&[String]> = packages.chunks(BATCH).collect();
    for (i, batch) in batches.iter().enumerate() {
        let _ = std::fs::remove_dir_all(&doc);
        let _ = std::fs::rename(kept.join(i.to_string()), &doc);
        let mut args = vec!["doc", "--no-deps", "--all-features", "--keep-going", "--quiet"];
        for package in batch.iter() {
            args.extend(["-p", package.as_str()]);
        }
        let output = cargo(dir, &args).output().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_success(&output, format_args!("{what} for {batch:?}"));
        let _ = std::fs::rename(&doc, kept.join(i.to_string()));
    }
    // The pages of batches this run no longer has.
    for i in batches.len().. {
        if std::fs::remove_dir_all(kept.join(i.to_string())).is_err() {
            break;
        }
    }
    log_phase(what, start.elapsed());
}
