//! The command line: clap arguments ([`args`]) and one module per command. `main` parses
//! the arguments, calls [`run`] and prints the error chain if there is one.
//!
//! - `lint` and `baseline` ([`lint`], over [`crate::pipeline`]): configuration ([`config`],
//!   [`settings`]), reports ([`output`]).
//! - `rules`, `explain`, `init`, `completions` ([`info`]).

pub mod args;
pub mod config;
mod error;
pub mod info;
pub mod lint;
pub mod output;
pub mod settings;

use std::process::ExitCode;

pub use args::Cli;
pub use error::CliError;
pub use lint::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

use args::Command;

/// Run a parsed command line. `Ok` carries the exit code (0, 1 or 2); an `Err` means the
/// command could not do its work and exits with 2.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Baseline(args) => lint::baseline(&args),
        Command::Rules(args) => info::rules(&args).map(|()| ExitCode::SUCCESS),
        Command::Explain(args) => info::explain(&args).map(|()| ExitCode::SUCCESS),
        Command::Init(args) => info::init(&args).map(|()| ExitCode::SUCCESS),
        Command::Completions(args) => info::completions(&args).map(|()| ExitCode::SUCCESS),
    }
}
