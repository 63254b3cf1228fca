//! The manifest: the files the generator wrote in an output directory, each with the SHA-256 of
//! its contents, kept in that directory as [`MANIFEST`]. It is what lets the generator prove a
//! stale file is its own before removing it.
//!
//! The text is deterministic (sorted by path, one `<sha256>  <path>` line per file, under a
//! two-line header), so a regenerated directory's manifest changes only when its files do.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{check_relative, existing, Existing, Rendered, MARKER};
use crate::error::{Error, Result};

/// The manifest's file name, in the output directory.
pub const MANIFEST: &str = ".codegen-manifest";

/// The lowercase hex SHA-256 of `bytes`.
pub fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest of `rendered`.
pub fn text(rendered: &Rendered) -> String {
    let mut out = format!(
        "# {MARKER}; do not edit.\n\
         # The files the generator wrote here and their SHA-256: it removes a file it no longer \
         generates only if the file is listed here, unchanged, and still carries the marker.\n"
    );
    for (path, contents) in rendered {
        out.push_str(&hash(contents.as_bytes()));
        out.push_str("  ");
        out.push_str(path);
        out.push('\n');
    }
    out
}

/// The manifest of `dir`, path → hash; `None` when there is none (a new directory, or one
/// generated before manifests existed).
pub fn read(dir: &Path) -> Result<Option<BTreeMap<String, String>>> {
    let bytes = match existing(dir, MANIFEST)? {
        Existing::Absent => return Ok(None),
        Existing::File(bytes) => bytes,
    };
    let broken = |message: String| Error::Output {
        path: dir.join(MANIFEST),
        message: format!(
            "{message}; the manifest was edited or damaged, so nothing was changed (delete it to \
             regenerate: that run removes no stale files)"
        ),
    };
    let text = String::from_utf8(bytes).map_err(|_| broken("not UTF-8".into()))?;
    let mut entries = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let entry = line.split_once("  ").filter(|(hash, _)| {
            hash.len() == 64
                && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        let Some((hash, path)) = entry else {
            return Err(broken(format!("line {} is not `<sha256>  <path>`", number + 1)));
        };
        if let Err(reason) = check_relative(path) {
            return Err(broken(format!(
                "line {} names `{path}`, which is not a path the generator writes ({reason})",
                number + 1
            )));
        }
        entries.insert(path.to_string(), hash.to_string());
    }
    Ok(Some(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_hash_and_stable_text() {
        assert_eq!(
            hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let rendered: Rendered =
            [("src/lib.rs".to_string(), "abc".to_string()), ("Cargo.toml".into(), String::new())]
                .into_iter()
                .collect();
        let text = text(&rendered);
        let lines: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(
            lines,
            [
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  Cargo.toml",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  src/lib.rs",
            ]
        );
    }
}
