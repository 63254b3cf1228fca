//! The maintainers' CLI: `cargo xtask codegen [--model PATH] [--out DIR] [--check]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use smithy_codegen::resolve::Options;
use smithy_codegen::write;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for the Smithy code generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the Rust crate from a Smithy JSON AST model.
    Codegen {
        /// The model (default: model/chime-sdk-meetings.json in the workspace).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Where to write the crate (default: generated/ in the workspace).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The service shape id, when the model holds several services.
        #[arg(long)]
        service: Option<String>,
        /// Write nothing; fail if the output directory is stale.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen { model, out, service, check } => {
            let root = workspace_root();
            let model = model.unwrap_or_else(|| root.join("model/chime-sdk-meetings.json"));
            let out = out.unwrap_or_else(|| root.join("generated"));
            codegen(&model, &out, service, check)
        }
    }
}

/// The workspace root: xtask lives in `<root>/xtask`, so this works from any directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(model: &Path, out: &Path, service: Option<String>, check: bool) -> ExitCode {
    let rendered = match smithy_codegen::generate_file(model, &Options { service }) {
        Ok(rendered) => rendered,
        Err(error) => {
            eprintln!("error: {}: {error}", model.display());
            eprintln!("nothing was written to {}", out.display());
            return ExitCode::FAILURE;
        }
    };
    let shown = display_path(out);
    if check {
        return match write::check(out, &rendered) {
            Ok(summary) if summary.is_fresh() => {
                println!("{shown} is up to date ({} files)", summary.unchanged.len());
                ExitCode::SUCCESS
            }
            Ok(summary) => {
                eprintln!("{shown} is stale:");
                for file in &summary.written {
                    eprintln!("  needs update: {file}");
                }
                for file in &summary.removed {
                    eprintln!("  needs removal: {file}");
                }
                eprintln!("run `cargo xtask codegen` to regenerate it (and `cargo insta review` for the snapshots)");
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    match write::write(out, &rendered) {
        Ok(summary) => {
            println!(
                "{shown}: {} written, {} unchanged, {} removed",
                summary.written.len(),
                summary.unchanged.len(),
                summary.removed.len()
            );
            for file in summary.written.iter().chain(&summary.removed) {
                println!("  {file}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}
