//! The generator emits and formats a crate's files on several threads: the files are the same
//! bytes as on one thread, and a model it cannot handle gives the same error.

use std::path::Path;

use smithy_codegen::{load, render, resolve};

fn model(path: &str) -> load::Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    load::load_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn threads_give_the_same_files() {
    for path in [
        "model/chime-sdk-meetings.json",
        "tests/models/synthetic/shapes.json",
        "tests/models/synthetic/names.json",
        "tests/models/other-services/ivs.json",
    ] {
        let service = resolve::resolve(&model(path), &Default::default()).expect(path);
        let one = render(&service, &[], 1).expect(path);
        assert!(one.len() > 20, "{path}: {} files", one.len());
        for threads in [2, 3, 8] {
            let many = render(&service, &[], threads).expect(path);
            assert_eq!(
                one.keys().collect::<Vec<_>>(),
                many.keys().collect::<Vec<_>>(),
                "{path}, {threads} threads: the same paths"
            );
            for (file, text) in &one {
                assert!(many[file] == *text, "{path}, {threads} threads: {file} differs");
            }
        }
    }
}
