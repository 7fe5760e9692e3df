//! The command line: clap arguments ([`args`]) and one module per command. `main` parses
//! the arguments, calls [`run`] and prints the error chain if there is one.
//!
//! - `lint` and `baseline` ([`lint`], over [`crate::pipeline`] and [`crate::config`]):
//!   reports ([`output`]).
//! - `rules`, `explain`, `init`, `completions` ([`info`]).
//! - `lsp`: the language server ([`crate::lsp`]).

pub mod args;
mod error;
mod fix;
pub mod info;
pub mod lint;
pub mod output;

use std::process::ExitCode;

pub use args::Cli;
pub use error::CliError;
pub use lint::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

use args::Command;

/// Run a parsed command line. `Ok` carries the exit code (0, 1 or 2); an `Err` means the
/// command could not do its work and exits with 2.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    if matches!(cli.command, Command::Lint(_) | Command::Baseline(_) | Command::Init(_)) {
        clean_up_on_signals();
    }
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Baseline(args) => lint::baseline(&args),
        Command::Rules(args) => info::rules(&args).map(|()| ExitCode::SUCCESS),
        Command::Explain(args) => info::explain(&args).map(|()| ExitCode::SUCCESS),
        Command::Init(args) => info::init(&args).map(|()| ExitCode::SUCCESS),
        Command::Completions(args) => info::completions(&args).map(|()| ExitCode::SUCCESS),
        Command::Lsp(args) => match crate::lsp::run_stdio(args.config.choice())? {
            crate::lsp::Ending::Shutdown => Ok(ExitCode::SUCCESS),
            crate::lsp::Ending::Abrupt => Ok(ExitCode::from(1)),
        },
    }
}

/// On SIGTERM, SIGINT or SIGHUP, remove the temporary files of unfinished writes (the
/// files they were to replace stay whole), then exit with 128 + the signal's number, as a
/// process killed by it would report. Only the commands that write files install it.
#[cfg(unix)]
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            crate::source::write::abandon_pending_writes();
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn clean_up_on_signals() {}
