//! `cargo xtask diff OLD NEW [--format markdown|json] [--docs] [--service SHAPE_ID]`: the API
//! changelog between two model files, with the semver verdict.

use std::io::Write;
use std::path::Path;

use smithy_codegen::diff::{self, render};
use smithy_codegen::resolve::Options;

/// The output format of `cargo xtask diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A Markdown changelog entry (for a PR comment or CHANGELOG.md).
    Markdown,
    /// JSON, for tools.
    Json,
}

/// Compares `old` with `new` and prints the changelog; 0 on success (whatever the verdict).
pub fn run(
    old: &Path,
    new: &Path,
    format: Format,
    docs: bool,
    service: Option<String>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let (old_text, new_text) = match (read(old), read(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            let _ = writeln!(stderr, "error: {e}");
            return 1;
        }
    };
    let diff =
        match diff::diff_str(&old_text, &new_text, &Options { service, ..Default::default() }) {
            Ok(diff) => diff,
            Err(error) => {
                let _ = writeln!(stderr, "error: {} → {}: {error}", old.display(), new.display());
                return 1;
            }
        };
    let text = match format {
        Format::Markdown => render::markdown(&diff, &render::Markdown { heading: None, docs }),
        Format::Json => {
            let mut value = render::json(&diff);
            value["old"] = old.display().to_string().into();
            value["new"] = new.display().to_string().into();
            serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
        }
    };
    let _ = write!(stdout, "{text}");
    0
}
