//! Code written against the official `aws-sdk-chimesdkmeetings` crate compiles against the
//! generated crate with only the crate name changed. `tests/official_api/*.rs` are programs
//! in the official crate's documented API: its README and rustdoc examples (1.121.0) and our
//! own covering every operation, errors, paginators and enums. They are the modules of the
//! workspace crate `official-api-programs` (`tests/official_api/`), whose manifest gives the
//! generated crate the official crate's name, beside `aws-config` as an application has it: the
//! workspace's build compiles them (this test depends on that crate). What cannot be matched,
//! and why, is listed in `tests/official_api/README.md`.

mod support;

const OFFICIAL: &str = "aws_sdk_chimesdkmeetings";
const OURS: &str = "chime_sdk_meetings";

/// Every program of the directory is written against the official crate, names only it, and
/// is a module of the crate that compiles them.
#[test]
fn programs_for_the_official_crate_compile_against_ours() {
    let dir = support::root().join("tests/official_api");
    let mut programs: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/official_api")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.file_stem().expect("a file name").to_string_lossy().into_owned())
        .filter(|name| name != "lib")
        .collect();
    programs.sort();
    assert!(programs.len() >= 7, "{programs:?}");
    for name in &programs {
        let path = dir.join(format!("{name}.rs"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(text.contains(OFFICIAL), "{name}: written against the official crate");
        assert!(!text.contains(OURS), "{name}: names only the official crate");
    }
    let mut compiled: Vec<&str> = official_api_programs::PROGRAMS.to_vec();
    compiled.sort_unstable();
    assert_eq!(compiled, programs, "tests/official_api/lib.rs: `programs!` lists every program");

    // The one change: the generated crate under the official crate's name.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    let renamed = format!(
        "{} = {{ package = \"chime-sdk-meetings\", path = \"../../generated\"",
        OFFICIAL.replace('_', "-")
    );
    assert!(manifest.contains(&renamed), "tests/official_api/Cargo.toml: {renamed}");
}
