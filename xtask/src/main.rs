//! `cargo xtask`: see the library for the commands.

fn main() -> std::process::ExitCode {
    let code = xtask::run(std::env::args(), &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}
