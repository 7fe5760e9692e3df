//! The commands besides `lint`, which read no documents: `rules`, `explain`, `init`,
//! `completions`.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use crate::checks::adopt::{UNUSED_SUPPRESSION, unused_suppression_meta};
use crate::checks::ruleset::{Level, Ruleset};
use crate::checks::{CHECKS, InputProblem, docs};
use crate::finding::Severity;

use super::args::{Cli, CompletionsArgs, ExplainArgs, InitArgs, RulesArgs};
use super::error::CliError;
use crate::config::{self, closest, settings};

/// `oaslint rules`: every check with its severity under the configured ruleset.
pub fn rules(args: &RulesArgs) -> Result<(), CliError> {
    let cwd = settings::current_dir()?;
    let config = settings::load_config(&args.config.choice(), &cwd)?;
    let ruleset = settings::ruleset(&args.config.choice(), &config, &cwd)?;
    let source = config.file.as_deref().map(|file| file.strip_prefix(&cwd).unwrap_or(file).display().to_string());
    print(&rules_table(&ruleset, &config.rules, source.as_deref()))
}

fn rules_table(ruleset: &Ruleset, levels: &[(String, Level)], config_file: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Ruleset: {} ({})", ruleset.name(), ruleset.title());
    if let Some(file) = config_file {
        let _ = writeln!(out, "Configuration: {file}");
    }
    let width = CHECKS
        .iter()
        .map(|check| check.meta().id.len())
        .chain(InputProblem::ALL.iter().map(|problem| problem.id().len()));
    let width = width.max().unwrap_or(0);
    let _ = writeln!(out, "\n{:width$}  {:8}  {:6}  SUMMARY", "RULE", "SEVERITY", "FIX");
    for check in CHECKS {
        let meta = check.meta();
        let severity = ruleset.severity(meta.id).map_or("off", |severity| severity.as_str());
        let fix = meta.fix.map_or("", |fix| fix.label());
        let _ = writeln!(out, "{:width$}  {severity:8}  {fix:6}  {}.", meta.id, meta.summary);
    }
    // Not checks: rulesets do not set them; the configuration's `rules:` and `overrides:` may.
    let unused = unused_suppression_meta();
    let adjustable = std::iter::once((unused.id, unused.summary, unused.default_severity))
        .chain(InputProblem::warnings().map(|problem| (problem.id(), problem.summary(), Severity::Warning)));
    for (id, summary, default) in adjustable {
        let severity = match levels.iter().find(|(rule, _)| rule == id) {
            Some((_, level)) => level.severity().map_or("off", Severity::as_str),
            None => default.as_str(),
        };
        let _ = writeln!(out, "{id:width$}  {severity:8}  {:6}  {summary}.", "");
    }
    let _ = writeln!(
        out,
        "\nProblems with the input itself (errors: the document could not be checked fully, exit code 2):"
    );
    for problem in InputProblem::ALL.iter().filter(|problem| !problem.is_warning()) {
        let _ = writeln!(out, "{:width$}  {}.", problem.id(), problem.summary());
    }
    let _ = writeln!(
        out,
        "\n`oaslint explain RULE` prints a rule's documentation. FIX: `oaslint lint --fix` applies the safe fixes, \
         `--fix --unsafe-fixes` also the unsafe ones (they change the API's contract)."
    );
    out
}

/// `oaslint explain RULE`: the rule's documentation page (Markdown).
pub fn explain(args: &ExplainArgs) -> Result<(), CliError> {
    let id = args.rule.as_str();
    if let Some(page) = docs::page(id) {
        return print(&page);
    }
    let known: Vec<&str> = CHECKS
        .iter()
        .map(|check| check.meta().id)
        .chain([UNUSED_SUPPRESSION])
        .chain(InputProblem::ALL.iter().map(|problem| problem.id()))
        .collect();
    Err(CliError::UnknownRule { id: id.to_owned(), suggestion: closest(id, &known).map(str::to_owned) })
}

/// `oaslint init`: a commented `.oaslint.yaml` in the working directory.
pub fn init(args: &InitArgs) -> Result<(), CliError> {
    let path = settings::current_dir()?.join(config::FILE_NAME);
    let text = init_template(&args.ruleset);
    write_new(&path, &text)?;
    print(&format!("Wrote {}: edit it, then run `oaslint lint`.\n", config::FILE_NAME))
}

/// Create the file atomically, failing if it exists (also if it appears meanwhile: the
/// temporary file is linked into place only where nothing is).
fn write_new(path: &Path, text: &str) -> Result<(), CliError> {
    match crate::source::write::write_new(path, text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            let name = path.file_name().map_or_else(|| path.to_owned(), std::path::PathBuf::from);
            Err(CliError::ConfigExists { path: name })
        }
        Err(source) => Err(CliError::Write { path: path.to_owned(), source }),
    }
}

/// The configuration `oaslint init` writes: every key, explained, with safe defaults.
pub fn init_template(ruleset: &str) -> String {
    format!(
        r##"# oaslint configuration (https://github.com/oaslint/oaslint#configuration).
# oaslint reads the nearest .oaslint.yaml from the working directory up; paths and
# globs here are relative to this file's directory. Command-line flags win.
# Each commented block below is an example: remove the "# " before its lines to use it.

# A built-in ruleset (recommended, apinf, azure, codemify, ed-fi, platform-of-trust,
# rest-api-guide, zalando) or a ruleset file of your own (docs/rulesets.md).
ruleset: {ruleset}

# Severity per rule: error, warning, info, hint or off. `oaslint rules` lists them.
# rules:
#   no-body: warning
#   async-202: off

# Which files a directory walk picks up (default: every .yaml, .yml and .json file
# that .gitignore does not ignore)...
# include:
#   - "specs/**"

# ...and which it leaves out, also when they are named on the command line. A pattern
# without "/" matches at any depth; a directory matches everything under it.
# exclude:
#   - "**/generated/**"

# `$ref`s may read files under the root document's own directory, and under these.
# refs:
#   allowed_roots:
#     - ../shared-schemas

# Files larger than this are refused: a number of bytes or a size such as 64MiB.
# max_file_size: 256MiB

# Refuse unescaped C1 control characters (U+0080 to U+009F) and comments glued to a
# quoted value (`"x"#c`) in YAML, as YAML 1.2 does, instead of reading them with a
# `control-character` or `glued-comment` warning.
# yaml:
#   strict: true

# Severities, or off, for part of the API, by file, API path or operation (README:
# "Adopting oaslint on an existing API"). Later entries win.
# overrides:
#   - paths: ["/legacy/**"]
#     rules: {{all: warning}}
"##
    )
}

/// `oaslint completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> Result<(), CliError> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "oaslint", &mut out);
    print(&String::from_utf8_lossy(&out))
}

fn print(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map_err(CliError::Stdout),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::init_template;
    use crate::checks::ruleset::BUILTIN_NAMES;
    use crate::config::parse;

    fn read(text: &str) -> Result<crate::config::Config, String> {
        parse(Path::new("/p/.oaslint.yaml"), ".oaslint.yaml".to_owned(), text.as_bytes().to_vec())
            .map_err(|err| format!("{err}\n{text}"))
    }

    /// What `init` writes is a valid configuration naming the chosen ruleset.
    #[test]
    fn init_template_is_a_valid_configuration() {
        for name in BUILTIN_NAMES {
            let config = read(&init_template(name)).unwrap_or_else(|err| panic!("{err}"));
            assert_eq!(config.ruleset, Some(crate::config::RulesetRef::Builtin((*name).to_owned())));
        }
    }

    /// Every commented example (a `# key:` line and the indented `#   ` lines under it),
    /// uncommented as it stands, gives a valid configuration that sets that key; and so
    /// do all of them at once.
    #[test]
    fn every_example_of_the_init_template_can_be_uncommented() {
        let template = init_template("recommended");
        let lines: Vec<&str> = template.lines().collect();
        let is_key = |line: &str| {
            line.strip_prefix("# ").is_some_and(|rest| {
                rest.split_once(':')
                    .is_some_and(|(key, _)| !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            })
        };
        let mut blocks = Vec::new();
        let mut index = 0;
        while index < lines.len() {
            if lines.get(index).is_some_and(|line| is_key(line)) {
                let start = index;
                index += 1;
                while lines.get(index).is_some_and(|line| line.starts_with("#   ")) {
                    index += 1;
                }
                blocks.push(start..index);
            } else {
                index += 1;
            }
        }
        let keys: Vec<&str> =
            blocks.iter().filter_map(|block| lines.get(block.start)?.strip_prefix("# ")?.split(':').next()).collect();
        assert_eq!(keys, ["rules", "include", "exclude", "refs", "max_file_size", "yaml", "overrides"]);
        let uncomment = |chosen: &[std::ops::Range<usize>]| {
            let mut text: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
            for block in chosen {
                for line in text.get_mut(block.clone()).unwrap_or_default() {
                    *line = line.strip_prefix("# ").unwrap_or(line).to_owned();
                }
            }
            text.join("\n") + "\n"
        };
        let default = read(&template).unwrap_or_else(|err| panic!("{err}"));
        for block in &blocks {
            let config = read(&uncomment(std::slice::from_ref(block))).unwrap_or_else(|err| panic!("{err}"));
            assert_ne!(format!("{config:?}"), format!("{default:?}"), "block {block:?} sets nothing");
        }
        read(&uncomment(&blocks)).unwrap_or_else(|err| panic!("{err}"));
    }
}
