//! Staging and moving a [`Plan`] into the output directory, with every change journaled so a
//! failure part way undoes what was done.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Plan, Rendered, MANIFEST};
use crate::error::{Error, Result};

/// A change made to the output directory (or beside it), in the order made.
enum Done {
    /// A directory the write created.
    CreatedDir(PathBuf),
    /// A file moved (a staged file into place, or a replaced or stale one into the staging
    /// directory).
    Moved { from: PathBuf, to: PathBuf },
    /// A directory removed because removing stale files emptied it.
    RemovedDir(PathBuf),
    /// The staging directory (beside the output, possibly in a directory the write created).
    Staging(PathBuf),
}

/// Stages and moves `plan` into place; on failure, undoes every change before returning the
/// error.
pub(super) fn apply(
    plan: &Plan,
    rendered: &Rendered,
    before_step: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> Result<()> {
    let mut journal = Vec::new();
    match run(plan, rendered, before_step, &mut journal) {
        Ok(()) => {
            // Done: what was replaced or removed goes with the staging directory.
            for done in &journal {
                if let Done::Staging(staging) = done {
                    let _ = fs::remove_dir_all(staging);
                }
            }
            Ok(())
        }
        Err(error) => {
            let failures = undo(journal);
            if failures.is_empty() {
                Err(Error::Output {
                    path: plan.dir.clone(),
                    message: format!(
                        "writing failed ({error}); everything it had moved was put back: \
                         nothing was changed"
                    ),
                })
            } else {
                Err(Error::Output {
                    path: plan.dir.clone(),
                    message: format!(
                        "{error}; undoing the write then failed ({}); the staging directory \
                         beside it, which holds the replaced files, is kept",
                        failures.join("; ")
                    ),
                })
            }
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

fn run(
    plan: &Plan,
    rendered: &Rendered,
    before_step: &mut dyn FnMut(&Path) -> io::Result<()>,
    journal: &mut Vec<Done>,
) -> Result<()> {
    let dir = std::path::absolute(&plan.dir).map_err(io_error(&plan.dir))?;
    create_dirs(&dir, before_step, journal)?;

    // Stage every new file (flat numbered names: nothing to create below the staging dir).
    let stage = staging_dir(&dir)?;
    journal.push(Done::Staging(stage.clone()));
    let (new, old) = (stage.join("new"), stage.join("old"));
    fs::create_dir(&new).map_err(io_error(&new))?;
    fs::create_dir(&old).map_err(io_error(&old))?;
    // The manifest last: until it is in place, the previous one still describes the directory.
    let mut files: Vec<(&str, &[u8])> = plan
        .summary
        .written
        .iter()
        .filter(|rel| rel.as_str() != MANIFEST)
        .map(|rel| (rel.as_str(), rendered[rel].as_bytes()))
        .collect();
    if let Some(manifest) = &plan.manifest {
        files.push((MANIFEST, manifest.as_bytes()));
    }
    for (i, (_, contents)) in files.iter().enumerate() {
        let staged = new.join(i.to_string());
        fs::write(&staged, contents).map_err(io_error(&staged))?;
    }

    // Move them into place, keeping what they replace.
    for (i, (rel, _)) in files.iter().enumerate() {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            create_dirs(parent, before_step, journal)?;
        }
        if fs::symlink_metadata(&target).is_ok() {
            let backup = old.join(format!("w{i}"));
            move_file(&target, &backup, before_step, journal)?;
        }
        move_file(&new.join(i.to_string()), &target, before_step, journal)?;
    }

    // Remove stale files (into the staging directory, until the end), then the directories
    // that left empty, up to the output directory (never itself).
    for (i, rel) in plan.summary.removed.iter().enumerate() {
        let target = dir.join(rel);
        move_file(&target, &old.join(format!("r{i}")), before_step, journal)?;
        let mut parent = target.parent();
        while let Some(d) = parent.filter(|d| *d != dir && d.starts_with(&dir)) {
            let empty = fs::read_dir(d).map_err(io_error(d))?.next().is_none();
            if !empty {
                break;
            }
            before_step(d).map_err(io_error(d))?;
            fs::remove_dir(d).map_err(io_error(d))?;
            journal.push(Done::RemovedDir(d.to_path_buf()));
            parent = d.parent();
        }
    }
    Ok(())
}

/// Creates `dir` and its missing ancestors, journaling each.
fn create_dirs(
    dir: &Path,
    before_step: &mut dyn FnMut(&Path) -> io::Result<()>,
    journal: &mut Vec<Done>,
) -> Result<()> {
    let mut missing = Vec::new();
    let mut current = Some(dir);
    while let Some(d) = current {
        if fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d);
        current = d.parent();
    }
    for d in missing.into_iter().rev() {
        before_step(d).map_err(io_error(d))?;
        fs::create_dir(d).map_err(io_error(d))?;
        journal.push(Done::CreatedDir(d.to_path_buf()));
    }
    Ok(())
}

fn move_file(
    from: &Path,
    to: &Path,
    before_step: &mut dyn FnMut(&Path) -> io::Result<()>,
    journal: &mut Vec<Done>,
) -> Result<()> {
    before_step(to).map_err(io_error(to))?;
    fs::rename(from, to).map_err(io_error(to))?;
    journal.push(Done::Moved { from: from.to_path_buf(), to: to.to_path_buf() });
    Ok(())
}

/// A new directory beside `dir` (same file system, so moves are renames), made for this run.
fn staging_dir(dir: &Path) -> Result<PathBuf> {
    let parent = dir.parent().ok_or_else(|| Error::Output {
        path: dir.to_path_buf(),
        message: "has no parent directory to stage the files in".into(),
    })?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut n = 0;
    loop {
        let candidate = parent.join(format!(".{name}.codegen-staging-{}-{n}", std::process::id()));
        match fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(source) => return Err(Error::Io { path: candidate, source }),
        }
    }
}

/// Undoes `journal` in reverse; returns what could not be undone. The staging directory is
/// removed in its turn, unless something could not be put back (it then holds that file).
fn undo(journal: Vec<Done>) -> Vec<String> {
    let mut failures = Vec::new();
    for done in journal.into_iter().rev() {
        let result = match &done {
            Done::CreatedDir(d) => fs::remove_dir(d),
            Done::Moved { from, to } => fs::rename(to, from),
            Done::RemovedDir(d) => fs::create_dir(d),
            Done::Staging(_) if !failures.is_empty() => Ok(()),
            Done::Staging(d) => fs::remove_dir_all(d),
        };
        if let Err(e) = result {
            let what = match done {
                Done::CreatedDir(d) | Done::RemovedDir(d) | Done::Staging(d) => d,
                Done::Moved { from, .. } => from,
            };
            failures.push(format!("{}: {e}", what.display()));
        }
    }
    failures
}
