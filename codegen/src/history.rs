//! **history**: generating into a directory that already holds a generated crate continues its
//! history.
//!
//! Besides the code, the generator owns three things in the output directory:
//! - [`MODEL_FILE`] (`model.json`): the exact bytes of the model the crate was generated from;
//! - the `version` in `Cargo.toml`;
//! - [`CHANGELOG_FILE`] (`CHANGELOG.md`): one entry per model change, newest first.
//!
//! When the model differs from the stored one, the two are compared ([`crate::diff`]): the version
//! is bumped by the verdict (Cargo's semver: at 0.x a breaking change bumps the minor, anything
//! else the patch) and the changelog entry is prepended. When the model is the same, version and
//! changelog are kept as they are, so regenerating changes nothing. A directory without
//! `model.json` starts a new history: version [`INITIAL_VERSION`], an "initial release" entry.
//! No git is involved: the directory is the whole state.

use std::fs;
use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;

use crate::diff::{self, render, Diff};
use crate::emit::{Content, File};
use crate::error::{Error, Result};
use crate::resolve::{self, Options};
use crate::write::{self, Rendered, MARKER};

pub use crate::emit::krate::INITIAL_VERSION;

/// The copy of the model the crate was generated from.
pub const MODEL_FILE: &str = "model.json";
/// The changelog the generator maintains.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// What a previous generation left in the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// The exact text of the model it was generated from.
    pub model: String,
    /// The crate version in its `Cargo.toml`.
    pub version: String,
    /// Its `CHANGELOG.md` (empty if missing).
    pub changelog: String,
}

impl Previous {
    /// Reads the history of `dir`: `None` when it holds no `model.json` (a new crate).
    pub fn read(dir: &Path) -> Result<Option<Previous>> {
        let model_path = dir.join(MODEL_FILE);
        let model = match fs::read_to_string(&model_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Io { path: model_path, source }),
        };
        let cargo_path = dir.join("Cargo.toml");
        let cargo = fs::read_to_string(&cargo_path)
            .map_err(|source| Error::Io { path: cargo_path.clone(), source })?;
        let version = package_version(&cargo).ok_or_else(|| Error::History {
            path: cargo_path.clone(),
            message: "no `version = \"x.y.z\"` in [package]; restore it, or delete model.json to start a new history".into(),
        })?;
        let changelog = match fs::read_to_string(dir.join(CHANGELOG_FILE)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(Error::Io { path: dir.join(CHANGELOG_FILE), source }),
        };
        Ok(Some(Previous { model, version, changelog }))
    }
}

/// The `version` of the `[package]` section of a `Cargo.toml` (`None` when it has none, or is
/// not TOML).
pub fn package_version(cargo_toml: &str) -> Option<String> {
    let doc: DocumentMut = cargo_toml.parse().ok()?;
    doc.get("package")?.get("version")?.as_str().map(str::to_string)
}

/// `cargo_toml` with the `version` of its `[package]` section set to `version` (`None` when it
/// has none, or is not TOML). Everything else is kept as it is, comments and layout included.
pub fn set_package_version(cargo_toml: &str, version: &str) -> Option<String> {
    let mut doc: DocumentMut = cargo_toml.parse().ok()?;
    let old = doc.get_mut("package")?.get_mut("version")?.as_value_mut()?;
    let decor = old.decor().clone();
    *old = version.into();
    *old.decor_mut() = decor;
    Some(doc.to_string())
}

/// A crate generated with its history.
#[derive(Debug)]
pub struct Generated {
    /// Every file, `model.json` and `CHANGELOG.md` included.
    pub rendered: Rendered,
    /// The crate version written to `Cargo.toml`.
    pub version: String,
    /// The version before (`None` for a new history).
    pub previous_version: Option<String>,
    /// The comparison with the previous model, when it differed.
    pub diff: Option<Diff>,
    /// The changelog entry this generation added, if any.
    pub entry: Option<String>,
}

/// Generates the crate for `model_json`, continuing `previous` (see the module docs).
pub fn generate(
    model_json: &str,
    options: &Options,
    previous: Option<&Previous>,
) -> Result<Generated> {
    let model = crate::load::load_str(model_json)?;
    // Errors of the new model come first, before the history is looked at.
    let service = resolve::resolve(&model, options)?;

    let (version, diff, entry, changelog) = match previous {
        None => {
            let entry = initial_entry(&service);
            let changelog = format!("{}{entry}", changelog_header(&service.crate_name));
            (INITIAL_VERSION.to_string(), None, Some(entry), changelog)
        }
        Some(previous) if previous.model == model_json => {
            (previous.version.clone(), None, None, previous.changelog.clone())
        }
        Some(previous) => {
            let old = crate::load::load_str(&previous.model).map_err(|e| Error::History {
                path: PathBuf::from(MODEL_FILE),
                message: format!("the model this crate was last generated from cannot be read ({e}); restore it, or delete it to start a new history"),
            })?;
            // The new model resolved above: what fails here is the stored one.
            let diff = diff::diff(&old, &model, options).map_err(|e| Error::History {
                path: PathBuf::from(MODEL_FILE),
                message: format!(
                    "cannot compare with the model this crate was last generated from: {e}"
                ),
            })?;
            let verdict = diff.verdict();
            let version = verdict.bump(&previous.version).ok_or_else(|| Error::History {
                path: PathBuf::from("Cargo.toml"),
                message: format!("version `{}` is not `major.minor.patch`", previous.version),
            })?;
            if diff.is_empty() {
                (version, Some(diff), None, previous.changelog.clone())
            } else {
                let heading = format!("{version} - {} - {}", diff.title, diff.summary());
                let entry = render::markdown(
                    &diff,
                    &render::Markdown { heading: Some(heading), docs: false },
                );
                let changelog = prepend(&service.crate_name, &previous.changelog, &entry);
                (version, Some(diff), Some(entry), changelog)
            }
        }
    };

    let (_, mut rendered) = crate::emit_crate(&model, options, &version)?;
    for (path, text) in [(MODEL_FILE, model_json.to_string()), (CHANGELOG_FILE, changelog)] {
        write::render_into(
            &mut rendered,
            File { path: path.into(), content: Content::Text(text) },
        )?;
    }
    Ok(Generated {
        rendered,
        version,
        previous_version: previous.map(|p| p.version.clone()),
        diff,
        entry,
    })
}

/// [`generate`] from a model file into (the history of) `dir`; writes nothing.
pub fn generate_for(model: &Path, dir: &Path, options: &Options) -> Result<Generated> {
    let text = fs::read_to_string(model)
        .map_err(|source| Error::Io { path: model.to_path_buf(), source })?;
    let previous = Previous::read(dir)?;
    generate(&text, options, previous.as_ref()).map_err(|error| match error {
        // Name the history's files by their place in `dir`.
        Error::History { path, message } => Error::History { path: dir.join(path), message },
        other => other,
    })
}

fn changelog_header(crate_name: &str) -> String {
    format!(
        "<!-- {MARKER}: each model change prepends an entry; do not edit. -->\n\
         # Changelog of `{crate_name}`\n\n\
         Every entry is the API change between two versions of the model (`cargo xtask diff`), \
         newest first, with the version it gave the crate. At 0.x, Cargo's semver applies: a \
         breaking change bumps the minor version, anything else the patch.\n\n"
    )
}

fn initial_entry(service: &crate::ir::Service) -> String {
    let api = service.version.as_deref().map(|v| format!(" (API version {v})")).unwrap_or_default();
    format!(
        "## {INITIAL_VERSION} - {} - initial release\n\nGenerated from the model of `{}`{api}: {} operation{}.\n",
        service.title,
        service.id,
        service.operations.len(),
        if service.operations.len() == 1 { "" } else { "s" }
    )
}

/// The new entry on top of the previous entries (the header is rewritten, entries kept as
/// they are).
fn prepend(crate_name: &str, previous: &str, entry: &str) -> String {
    let older = if previous.starts_with("## ") {
        previous
    } else {
        previous.find("\n## ").map_or("", |at| &previous[at + 1..])
    };
    let mut out = changelog_header(crate_name);
    out.push_str(entry);
    if !older.is_empty() {
        out.push('\n');
        out.push_str(older);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_version_is_read_and_set_as_toml() {
        let manifest = "# top\n[dependencies]\nversion = \"9\"\n\n[package] # p\nname = \"x\"\nversion   =   \"0.1.0\" # kept\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.1.0"));
        assert_eq!(
            set_package_version(manifest, "0.2.0").as_deref(),
            Some("# top\n[dependencies]\nversion = \"9\"\n\n[package] # p\nname = \"x\"\nversion   =   \"0.2.0\" # kept\n")
        );
        // Not a version this generator wrote: none to read or set.
        for other in ["[package]\nversion.workspace = true\n", "[package\nversion = \"1\"", ""] {
            assert_eq!(package_version(other), None, "{other}");
            assert_eq!(set_package_version(other, "1.0.0"), None, "{other}");
        }
    }
}
