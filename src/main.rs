use std::error::Error as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use oaslint::cli::{Cli, CliError, EXIT_ERROR, run};

// A 13 MB spec becomes millions of small allocations and a few very large ones; mimalloc
// serves both with less work than the system allocator (about 5% of a run on GitHub's
// spec). The library leaves the choice to the program that links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
