//! The maintainers' CLI: `cargo xtask codegen [--model PATH] [--out DIR] [--check]` (which
//! continues the output directory's history, see `smithy_codegen::history`),
//! `cargo xtask diff OLD NEW` (see [`diff`]), `cargo xtask protocol-tests` (see
//! [`protocol_tests`]), `cargo xtask wire request|response` (see `wire`), and `cargo xtask
//! serve --listen ADDR [--credentials KEY:SECRET] [limits]` (the local Chime SDK Meetings
//! server of `local-server/`).
//!
//! The commands live in this library so that the integration tests run exactly what a
//! maintainer runs; `main.rs` only forwards the process's arguments and streams.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use smithy_codegen::resolve::Options;
use smithy_codegen::write;

pub mod diff;
pub mod protocol_tests;
#[cfg(feature = "wire")]
pub mod wire;

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
    /// Print the API changelog between two models, with the semver verdict.
    Diff {
        /// The older model (Smithy JSON AST).
        old: PathBuf,
        /// The newer model.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "markdown")]
        format: diff::Format,
        /// List every documentation change instead of counting them.
        #[arg(long)]
        docs: bool,
        /// The service shape id, when the models hold several.
        #[arg(long)]
        service: Option<String>,
    },
    /// Generate a service with its protocol tests (`smithy.test` cases) into a scratch crate
    /// under target/, run them, and print the counts per category.
    ProtocolTests {
        /// The model (default: AWS's suite in tests/models/protocol-tests/).
        #[arg(long)]
        model: Option<PathBuf>,
        /// The service shape id (default: aws.protocoltests.restjson#RestJson with the default
        /// model; needed when the model holds several services).
        #[arg(long)]
        service: Option<String>,
        /// The known-failures file (default: codegen/protocol_tests/known-failures.txt).
        #[arg(long)]
        known_failures: Option<PathBuf>,
        /// Also run clippy (-D warnings) on the crate and its tests.
        #[arg(long)]
        clippy: bool,
    },
    /// Run the generated chime-sdk-meetings protocol layer on JSON lines from stdin.
    Wire {
        #[command(subcommand)]
        command: WireCommand,
    },
    /// Run the local, in-memory Chime SDK Meetings server until stopped (Ctrl-C).
    Serve {
        /// The loopback address and port to listen on (port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:8000")]
        listen: std::net::SocketAddr,
        /// Verify SigV4 signatures against this access key and secret (`KEY:SECRET`); without
        /// it any access key is accepted (the signature must still be a well-formed SigV4
        /// header for the service).
        #[arg(long)]
        credentials: Option<String>,
        #[command(flatten)]
        limits: ServeLimits,
    },
}

/// The local server's limits that `cargo xtask serve` can change; each left out keeps the
/// server's default (see `chime_local_server::http::Limits` and the table in `docs/local-server.md`).
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
struct ServeLimits {
    /// Most connections open at once (default 256).
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Longest a request's headers may take to arrive, from their first byte (default 10).
    #[arg(long, value_name = "SECONDS")]
    header_read_timeout: Option<u64>,
    /// Longest a connection may stay idle (default 60).
    #[arg(long, value_name = "SECONDS")]
    idle_timeout: Option<u64>,
    /// Longest a request's body may take to arrive (default 10).
    #[arg(long, value_name = "SECONDS")]
    body_read_timeout: Option<u64>,
    /// Largest request body (default 1048576).
    #[arg(long, value_name = "BYTES")]
    max_body_bytes: Option<usize>,
    /// Most body bytes all requests hold at once (default 16777216).
    #[arg(long, value_name = "BYTES")]
    body_budget_bytes: Option<usize>,
    /// Most meetings the in-memory service holds (default 1000).
    #[arg(long, value_name = "N")]
    max_meetings: Option<usize>,
}

impl ServeLimits {
    /// The flags that give these limits again (for re-running xtask with its `serve` feature).
    #[cfg_attr(feature = "serve", allow(dead_code))]
    fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        let mut flag = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                args.extend([format!("--{name}"), value]);
            }
        };
        flag("max-connections", self.max_connections.map(|v| v.to_string()));
        flag("header-read-timeout", self.header_read_timeout.map(|v| v.to_string()));
        flag("idle-timeout", self.idle_timeout.map(|v| v.to_string()));
        flag("body-read-timeout", self.body_read_timeout.map(|v| v.to_string()));
        flag("max-body-bytes", self.max_body_bytes.map(|v| v.to_string()));
        flag("body-budget-bytes", self.body_budget_bytes.map(|v| v.to_string()));
        flag("max-meetings", self.max_meetings.map(|v| v.to_string()));
        args
    }
}

/// Where idempotency tokens come from when a token member is left unset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Tokens {
    /// Random version-4 UUIDs (`RandomTokens`).
    Random,
    /// `00000000-0000-4000-8000-000000000001`, `...02`, ... counted over the whole run
    /// (`FixedTokens::counter()`).
    Fixed,
}

#[derive(Subcommand)]
enum WireCommand {
    /// Build requests: reads `{"operation", "params", ...}` lines, prints the HTTP requests.
    Request {
        /// The idempotency tokens filled in for unset token members.
        #[arg(long, value_enum, default_value_t = Tokens::Random)]
        tokens: Tokens,
    },
    /// Read responses: reads `{"operation", "status", "headers", "body"}` lines, prints the
    /// outputs or errors.
    Response,
}

/// Runs the CLI with `args` (the first is the program name); returns the exit code.
pub fn run(
    args: impl IntoIterator<Item = String>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = write!(stderr, "{}", e.render());
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Codegen { model, out, service, check } => {
            let root = workspace_root();
            let model = model.unwrap_or_else(|| root.join("model/chime-sdk-meetings.json"));
            let out = out.unwrap_or_else(|| root.join("generated"));
            codegen(&model, &out, service, check, stdout, stderr)
        }
        Command::Diff { old, new, format, docs, service } => {
            diff::run(&old, &new, format, docs, service, stdout, stderr)
        }
        Command::Wire { command } => wire_command(command, stdout, stderr),
        Command::ProtocolTests { model, service, known_failures, clippy } => {
            let mut config = protocol_tests::Config::defaults(&workspace_root());
            if let Some(model) = model {
                config.model = model;
                config.service = service;
            } else if service.is_some() {
                config.service = service;
            }
            if let Some(path) = known_failures {
                config.known_failures = path;
            }
            config.clippy = clippy;
            match protocol_tests::run(&config, stderr) {
                Ok(report) => {
                    let _ = write!(stdout, "{}", protocol_tests::render(&report));
                    i32::from(!report.is_ok())
                }
                Err(error) => {
                    let _ = writeln!(stderr, "error: {error}");
                    1
                }
            }
        }
        Command::Serve { listen, credentials, limits } => {
            serve_command(listen, credentials, limits, stdout, stderr)
        }
    }
}

#[cfg(feature = "serve")]
fn serve_command(
    listen: std::net::SocketAddr,
    credentials: Option<String>,
    limits: ServeLimits,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let verify = match credentials.as_deref().map(chime_local_server::Verify::from_pair) {
        None => chime_local_server::Verify::AnyKey,
        Some(Ok(verify)) => verify,
        Some(Err(e)) => {
            let _ = writeln!(stderr, "error: --credentials: {e}");
            return 2;
        }
    };
    let checking = match &verify {
        chime_local_server::Verify::AnyKey => "any access key".to_owned(),
        chime_local_server::Verify::Key { access_key_id, .. } => {
            format!("signatures verified for access key {access_key_id}")
        }
    };
    let mut options = chime_local_server::options(verify);
    options.log = true;
    let server_limits = &mut options.limits;
    let seconds = std::time::Duration::from_secs;
    if let Some(n) = limits.max_connections {
        server_limits.max_connections = n;
    }
    if let Some(s) = limits.header_read_timeout {
        server_limits.header_read_timeout = seconds(s);
    }
    if let Some(s) = limits.idle_timeout {
        server_limits.idle_timeout = seconds(s);
    }
    if let Some(s) = limits.body_read_timeout {
        server_limits.body_read_timeout = seconds(s);
    }
    if let Some(n) = limits.max_body_bytes {
        server_limits.max_body_bytes = n;
    }
    if let Some(n) = limits.body_budget_bytes {
        server_limits.body_budget_bytes = n;
    }
    let mut settings = chime_local_server::Settings::default();
    if let Some(n) = limits.max_meetings {
        settings.max_meetings = n;
    }
    let service = chime_local_server::InMemoryChime::new(settings);
    let result = chime_local_server::serve_blocking_with(listen, options, service, |addr| {
        let _ = writeln!(stdout, "Chime SDK Meetings local server listening on http://{addr} (SigV4 for `{}`, {checking})", chime_local_server::SIGNING_NAME);
        let _ = stdout.flush();
    });
    match result {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot serve on {listen}: {e}");
            1
        }
    }
}

/// Without the `serve` feature, the server is the same binary rebuilt with it (see `wire`).
#[cfg(not(feature = "serve"))]
fn serve_command(
    listen: std::net::SocketAddr,
    credentials: Option<String>,
    limits: ServeLimits,
    _stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let listen = listen.to_string();
    let mut args = vec![
        "run",
        "--quiet",
        "--package",
        "xtask",
        "--features",
        "serve",
        "--",
        "serve",
        "--listen",
        listen.as_str(),
    ];
    if let Some(credentials) = credentials.as_deref() {
        args.extend(["--credentials", credentials]);
    }
    let limits = limits.to_args();
    args.extend(limits.iter().map(String::as_str));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    match std::process::Command::new(cargo).args(&args).current_dir(workspace_root()).status() {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot run cargo for the local server: {e}");
            1
        }
    }
}

#[cfg(feature = "wire")]
fn wire_command(command: WireCommand, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let mut stdin = std::io::stdin().lock();
    match command {
        WireCommand::Request { tokens } => wire::run_requests(&mut stdin, stdout, stderr, tokens),
        WireCommand::Response => wire::run_responses(&mut stdin, stdout, stderr),
    }
}

/// Without the `wire` feature (the plain `cargo xtask`, which must build even when generated/
/// does not), the wire tool is the same binary rebuilt with the feature: run that.
#[cfg(not(feature = "wire"))]
fn wire_command(command: WireCommand, _stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let mut args = vec!["run", "--quiet", "--package", "xtask", "--features", "wire", "--", "wire"];
    match command {
        WireCommand::Request { tokens: Tokens::Random } => {
            args.extend(["request", "--tokens", "random"])
        }
        WireCommand::Request { tokens: Tokens::Fixed } => {
            args.extend(["request", "--tokens", "fixed"])
        }
        WireCommand::Response => args.push("response"),
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    match std::process::Command::new(cargo).args(&args).current_dir(workspace_root()).status() {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot run cargo for the wire tool: {e}");
            1
        }
    }
}

/// The workspace root: xtask lives in `<root>/xtask`, so this works from any directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(
    model: &Path,
    out: &Path,
    service: Option<String>,
    check: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let generated = match smithy_codegen::history::generate_for(
        model,
        out,
        &Options { service, ..Default::default() },
    ) {
        Ok(generated) => generated,
        Err(error) => {
            let _ = writeln!(stderr, "error: {}: {error}", model.display());
            let _ = writeln!(stderr, "nothing was written to {}", out.display());
            return 1;
        }
    };
    let rendered = &generated.rendered;
    let shown = display_path(out);
    if check {
        return match write::check(out, rendered) {
            Ok(summary) if summary.is_fresh() => {
                let _ =
                    writeln!(stdout, "{shown} is up to date ({} files)", summary.unchanged.len());
                0
            }
            Ok(summary) => {
                let _ = writeln!(stderr, "{shown} is stale:");
                for file in &summary.written {
                    let _ = writeln!(stderr, "  needs update: {file}");
                }
                for file in &summary.removed {
                    let _ = writeln!(stderr, "  needs removal: {file}");
                }
                for (file, why) in &summary.kept {
                    let _ = writeln!(stderr, "  will be kept, no longer generated: {file} ({why})");
                }
                if let (Some(entry), Some(_)) = (&generated.entry, &generated.diff) {
                    let _ = writeln!(
                        stderr,
                        "\nthe model changed since {shown} was generated; regenerating makes it {} (from {}) with this changelog entry:\n",
                        generated.version,
                        generated.previous_version.as_deref().unwrap_or("none")
                    );
                    let _ = writeln!(stderr, "{entry}");
                }
                let _ = writeln!(stderr, "run `cargo xtask codegen` to regenerate it (and `cargo insta review` for the snapshots)");
                1
            }
            Err(error) => {
                let _ = writeln!(stderr, "error: {error}");
                1
            }
        };
    }
    match write::write(out, rendered) {
        Ok(summary) => {
            match (&generated.previous_version, &generated.diff) {
                (Some(before), Some(diff)) if diff.is_empty() => {
                    let _ = writeln!(
                        stdout,
                        "model file changed, its API did not: version stays {before}"
                    );
                }
                (Some(before), Some(diff)) => {
                    let _ = writeln!(
                        stdout,
                        "model changed: {} (verdict {}): version {before} -> {}; see {shown}/{}",
                        diff.summary(),
                        diff.verdict().as_str(),
                        generated.version,
                        smithy_codegen::history::CHANGELOG_FILE
                    );
                }
                (None, _) => {
                    let _ = writeln!(stdout, "new crate history: version {}", generated.version);
                }
                _ => {}
            }
            let _ = writeln!(
                stdout,
                "{shown}: {} written, {} unchanged, {} removed",
                summary.written.len(),
                summary.unchanged.len(),
                summary.removed.len()
            );
            for file in summary.written.iter().chain(&summary.removed) {
                let _ = writeln!(stdout, "  {file}");
            }
            for (file, why) in &summary.kept {
                let _ = writeln!(stdout, "  kept {file}, no longer generated: {why}");
            }
            0
        }
        Err(error) => {
            let _ = writeln!(stderr, "error: {error}");
            1
        }
    }
}

fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}
