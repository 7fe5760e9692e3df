//! The command line as clap reads it. Option groups are separate structs so that later
//! commands can take the same options as `lint` by flattening them (`InputArgs` is what a
//! `baseline` command needs; suppression flags get a struct of their own).

use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::checks::adopt::DEFAULT_BASELINE_FILE;
use crate::finding::Severity;
use crate::report::{Format, REPORTERS};

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above the --fail-on level, and no more warnings than --max-warnings
  1  findings at or above the --fail-on level (default: error), or too many warnings
  2  usage, configuration or input errors (a file that cannot be read or parsed, a broken
     $ref), also when other files had findings
  128+N  stopped by signal N (SIGHUP, SIGINT, SIGTERM); report files are left as they were";

/// A fast OpenAPI linter for Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2, with exact locations through
/// `$ref`s.
#[derive(Debug, Parser)]
#[command(name = "oaslint", version = env!("OASLINT_VERSION"), after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint OpenAPI documents (files, directories, glob patterns, or `-` for standard input).
    #[command(after_help = EXIT_CODES)]
    Lint(LintArgs),
    /// List the rules with their severities under the configured ruleset.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Write the current findings to a baseline file, which `lint --baseline` then accepts.
    ///
    /// Takes `lint`'s paths and its input and configuration options. Entries of the files
    /// checked are replaced by this run's findings (those not already suppressed inline or by
    /// an override); entries of other files are kept.
    Baseline(BaselineArgs),
    /// Write a commented `.oaslint.yaml` into the current directory (never overwrites one).
    Init(InitArgs),
    /// Print a completion script for a shell.
    Completions(CompletionsArgs),
    /// Run the language server over standard input and output, for editors.
    ///
    /// Diagnostics as you type for open OpenAPI documents and the fragments they
    /// reference, quick fixes, "ignore here", and hover on status codes. Editors start it;
    /// see the README for VS Code, Neovim and Helix.
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for editors that start every server with `--stdio`; standard input and
    /// output are the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub gate: GateArgs,
    #[command(flatten)]
    pub suppress: SuppressArgs,
    #[command(flatten)]
    pub fix: FixArgs,
}

/// Fixing what is found: in place, or as a diff.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// Apply the safe fixes (documentation only) to the files, then report what remains.
    /// Each fix is checked first: the fixed document must parse, lose the finding and gain none.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: also the unsafe fixes, which change the API's contract (200
    /// becomes 201 on a POST that creates).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing; exit code 1 when there is
    /// anything to fix, 0 otherwise.
    #[arg(long)]
    pub diff: bool,
}

/// Accepting findings without fixing them: the baseline, and showing what is suppressed.
#[derive(Debug, Args)]
pub struct SuppressArgs {
    /// Accept the findings a baseline file lists (default file: .oaslint-baseline.json);
    /// report only new ones, and note entries that no longer match. Give a file as
    /// `--baseline=FILE`, or put it before the paths.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = DEFAULT_BASELINE_FILE)]
    pub baseline: Option<PathBuf>,
    /// Remove the baseline's entries that no longer match (implies --baseline). New
    /// findings are never added: `oaslint baseline` does that.
    #[arg(long)]
    pub update_baseline: bool,
    /// Also list suppressed findings (inline ignores, overrides, the baseline), marked as such.
    #[arg(long)]
    pub show_suppressed: bool,
}

impl SuppressArgs {
    /// The baseline file to read, if any.
    pub fn baseline_file(&self) -> Option<PathBuf> {
        match (&self.baseline, self.update_baseline) {
            (Some(file), _) => Some(file.clone()),
            (None, true) => Some(PathBuf::from(DEFAULT_BASELINE_FILE)),
            (None, false) => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The baseline file to write.
    #[arg(long, value_name = "FILE", default_value = DEFAULT_BASELINE_FILE)]
    pub baseline: PathBuf,
}

/// What to lint and with which configuration: shared by every command that lints.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, directories (walked honouring .gitignore) or quoted glob patterns; `-` reads
    /// standard input. Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The file name standard input stands for: shown in reports, and the base of its
    /// relative `$ref`s.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Skip files named on the command line that are not OpenAPI documents (no `openapi`
    /// or `swagger` key) and that no OpenAPI document of the project references, instead
    /// of checking them on their own; for pre-commit hooks. Finding no document is then
    /// not an error.
    #[arg(long)]
    pub skip_non_openapi: bool,
    /// Succeed when the paths hold no OpenAPI document at all (by default that is an
    /// error, exit code 2: a moved spec or a mistyped `include` must not pass CI).
    #[arg(long)]
    pub allow_empty: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Where the configuration comes from.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Read this configuration file instead of looking for `.oaslint.yaml` in the current
    /// directory and its parents.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// A built-in ruleset name or a ruleset file; wins over the configuration's `ruleset`.
    #[arg(long, value_name = "NAME|FILE")]
    pub ruleset: Option<String>,
}

impl ConfigArgs {
    /// The choice these flags make, for the configuration layer.
    pub fn choice(&self) -> crate::config::settings::ConfigChoice {
        crate::config::settings::ConfigChoice {
            config: self.config.clone(),
            no_config: self.no_config,
            ruleset: self.ruleset.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format (default: human); repeat to write several, routing all but one to files
    /// with --output.
    #[arg(long = "format", short = 'f', value_name = "FORMAT", value_parser = format_parser())]
    pub formats: Vec<Format>,
    /// Write a format to a file: `FORMAT=FILE` (repeatable; also selects that format), or
    /// `FILE` for the one --format given, or the format its extension names (`.sarif`).
    /// Formats not routed go to standard output.
    /// Files are replaced whole once the run is done, never one the run reads.
    #[arg(long = "output", short = 'o', value_name = "[FORMAT=]FILE")]
    pub outputs: Vec<OutputTarget>,
    /// Colour in human output: `auto` is on for a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Wrap human output at this many columns (default: $COLUMNS, else the terminal's width,
    /// else no wrapping).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
    /// List only the findings at or above the --fail-on level, in every format; the
    /// summary still counts them all.
    #[arg(long, short = 'q', visible_alias = "display-only-failures")]
    pub quiet: bool,
    /// List at most N findings (in every format), and say how many were left out; the
    /// exit code and the counts take them all into account.
    #[arg(long, value_name = "N")]
    pub max_problems: Option<usize>,
}

/// When the run fails.
#[derive(Debug, Args)]
pub struct GateArgs {
    /// Exit with 1 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Also exit with 1 when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (`no-body`) or an input problem id (`unresolved-ref`).
    #[arg(value_name = "RULE")]
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The built-in ruleset the new configuration names.
    #[arg(long, value_name = "NAME", default_value = crate::checks::ruleset::DEFAULT_RULESET)]
    pub ruleset: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--fail-on`: the least severe finding that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Hint => Severity::Hint,
        }
    }
}

/// One `--output` value: `sarif=out.sarif`, or a bare `out.sarif` for the single --format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputTarget {
    pub format: Option<Format>,
    pub path: PathBuf,
}

/// `--format`'s values, with their help, from the one table of reporters.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    let values = REPORTERS.iter().map(|spec| clap::builder::PossibleValue::new(spec.name).help(spec.about));
    clap::builder::PossibleValuesParser::new(values)
        .try_map(|name| name.parse::<Format>().map_err(|err| err.to_string()))
}

impl FromStr for OutputTarget {
    type Err = String;

    fn from_str(value: &str) -> Result<OutputTarget, String> {
        // `name=path` only when `name` is a format, so a file name may contain `=`.
        if let Some((name, path)) = value.split_once('=') {
            if let Ok(format) = name.parse::<Format>() {
                if path.is_empty() {
                    return Err(format!("no file after `{name}=`"));
                }
                return Ok(OutputTarget { format: Some(format), path: PathBuf::from(path) });
            }
        }
        if value.is_empty() {
            return Err("the file name is empty".to_owned());
        }
        Ok(OutputTarget { format: None, path: PathBuf::from(value) })
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use clap::CommandFactory;

    use super::{Cli, OutputTarget};
    use crate::report::Format;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn output_targets_name_a_format_or_a_file() {
        let routed: OutputTarget = "sarif=out/x.sarif".parse().unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(routed, OutputTarget { format: Some(Format::SARIF), path: PathBuf::from("out/x.sarif") });
        let bare: OutputTarget = "a=b.json".parse().unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(bare, OutputTarget { format: None, path: PathBuf::from("a=b.json") });
        assert!("json=".parse::<OutputTarget>().is_err());
        assert!("".parse::<OutputTarget>().is_err());
    }
}
