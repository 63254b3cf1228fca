//! House rules the compiler does not check, checked over the generator's sources.
//!
//! emit reads only the IR: every file under `codegen/src/emit/` turns an `ir::Service` into
//! tokens and never names the loaded model (`crate::load`, `load::...`), whose raw traits
//! resolve has already decided.

use std::path::{Path, PathBuf};

/// Whether `source` names the `load` module as a path segment (`crate::load`, `load::Model`,
/// `use crate::{load, ..}` is not written in this code base), leaving words that merely end in
/// `load` (`payload::`, `download::`) alone.
fn names_load_module(source: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (at, _) in source.match_indices("load") {
        let before = source[..at].chars().next_back();
        let after = &source[at + "load".len()..];
        if before.is_some_and(is_ident) || after.starts_with(is_ident) {
            continue;
        }
        let path_before = source[..at].ends_with("::");
        let path_after = after.starts_with("::");
        if path_before || path_after {
            return Some(source[..at].lines().count().max(1));
        }
    }
    None
}

/// The `.rs` files under `dir`, recursively, in a stable order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_matcher_finds_the_load_module_and_nothing_else() {
    assert_eq!(names_load_module("use crate::load::Model;"), Some(1));
    assert_eq!(names_load_module("fn f() {}\nlet m = load::load_str(s);"), Some(2));
    assert_eq!(names_load_module("use crate::load;"), Some(1));
    assert_eq!(names_load_module("let x = smithy_codegen::load::Model::default();"), Some(1));
    assert_eq!(names_load_module("mod payload::x; let download = 1; // load the file"), None);
    assert_eq!(names_load_module("fn reload() { preload::go(); }"), None);
}

#[test]
fn emit_does_not_name_the_loaded_model() {
    let emit = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
    let files = rust_files(&emit);
    assert!(files.len() >= 10, "expected the emit modules under {}", emit.display());
    let offenders: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let source = std::fs::read_to_string(path).expect("a readable source file");
            let line = names_load_module(&source)?;
            let shown = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path);
            Some(format!("{}:{line}", shown.display()))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "emit must read only the IR (crate::ir), not the loaded model; these files name \
         `crate::load`: {}",
        offenders.join(", ")
    );
}
