//! Code written against the official `aws-sdk-chimesdkmeetings` crate compiles against the
//! generated crate with only the crate name changed. `tests/official_api/*.rs` are programs
//! in the official crate's documented API: its README and rustdoc examples (1.121.0) and our
//! own covering every operation, errors, paginators and enums. Each is copied into one
//! scratch crate with `aws_sdk_chimesdkmeetings` renamed `chime_sdk_meetings` (nothing else
//! changes), beside `aws-config` as an application has it, and the crate is checked with one
//! `cargo check`. What cannot be matched, and why, is listed in `tests/official_api/README.md`.

mod support;

use std::path::Path;

const OFFICIAL: &str = "aws_sdk_chimesdkmeetings";
const OURS: &str = "chime_sdk_meetings";

#[test]
fn programs_for_the_official_crate_compile_against_ours() {
    let root = support::root();
    let programs_dir = root.join("tests/official_api");
    let mut programs: Vec<_> = std::fs::read_dir(&programs_dir)
        .expect("tests/official_api")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    programs.sort();
    assert!(programs.len() >= 7, "{programs:?}");

    let dir = support::shared_target_dir().join("official-api");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let generated = root.join("generated");
    let manifest = format!(
        r#"[package]
name = "official-api-programs"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
chime-sdk-meetings = {{ path = {generated:?}, features = ["client", "rustls", "aws-config"] }}
aws-config = {{ version = "1.13", default-features = false, features = ["rt-tokio", "behavior-version-latest"] }}
aws-types = "1"
http = "1"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

[workspace]
"#
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file: the same versions as the rest of the tests build.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    // Examples are fragments: unused bindings and `unimplemented!()` stand-ins are theirs.
    let mut lib =
        String::from("#![allow(unused, dead_code, deprecated, unreachable_code, clippy::all)]\n");
    for program in &programs {
        let name = program.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(program).unwrap();
        assert!(text.contains(OFFICIAL), "{name}: written against the official crate");
        assert!(!text.contains(OURS), "{name}: names only the official crate");
        write(&dir.join("src").join(format!("{name}.rs")), &text.replace(OFFICIAL, OURS));
        lib.push_str(&format!("mod {name};\n"));
    }
    write(&dir.join("src/lib.rs"), &lib);
    support::run_ok(
        support::cargo(&dir, &["check", "--quiet", "--lib"]),
        "official API programs: cargo check",
    );
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
