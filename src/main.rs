use std::error::Error as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use oaslint::cli::{Cli, CliError, EXIT_ERROR, run};

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            print_error(&err);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// `error: ...`, the offending line of a located error, then each cause not already
/// spelled out by the message before it.
fn print_error(err: &CliError) {
    let mut stderr = std::io::stderr().lock();
    let mut shown = err.to_string();
    let _ = writeln!(stderr, "error: {shown}");
    if let Some(snippet) = err.snippet() {
        let _ = writeln!(stderr, "{snippet}");
    }
    let mut cause = err.source();
    while let Some(current) = cause {
        let text = current.to_string();
        if !shown.contains(&text) {
            let _ = writeln!(stderr, "  caused by: {text}");
        }
        shown = text;
        cause = current.source();
    }
}
