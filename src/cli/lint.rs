//! `oaslint lint`: collect findings, apply the baseline, decide the exit code, write every
//! report. `oaslint baseline`: collect findings the same way and write them to a baseline.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::checks::adopt::{Baseline, BaselineEntry, UNUSED_SUPPRESSION};
use crate::checks::ruleset::Ruleset;
use crate::checks::{INPUT_PROBLEMS, rule_metas};
use crate::finding::{Category, Finding, RuleMeta, Severity};
use crate::report::Run;
use crate::source::FileIdentity;

use super::args::{BaselineArgs, GateArgs, InputArgs, LintArgs};
use super::collect::{Inputs, lint_inputs};
use super::error::CliError;
use super::{output, settings};

/// Exit codes, as `--help` and the README document them.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub fn run(args: &LintArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let cwd = settings::current_dir()?;
    let plan = output::plan(&args.output)?;
    let settings = settings::lint_settings(&args.input.config, &cwd)?;
    // Read before linting, so that a missing or broken baseline fails fast.
    let update = args.suppress.update_baseline;
    let baseline = match args.suppress.baseline_file() {
        Some(file) if is_yaml(&file) => {
            // `--baseline api.yaml`: the optional value took the spec meant to be linted.
            return Err(CliError::Usage(format!(
                "`--baseline {}`: a baseline is a JSON file; to lint that file against the default baseline, \
                 put the paths first or write `--baseline={}`",
                file.display(),
                crate::checks::adopt::DEFAULT_BASELINE_FILE
            )));
        }
        Some(file) => Some((load_baseline(&file, update, settings.load.limits.max_file_bytes)?, file)),
        None => None,
    };
    // Every file read so far (configuration, rulesets, baseline, a spec piped in under its
    // name); the workspaces add theirs. No report may replace one of them.
    let mut read = settings.read.clone();
    read.extend(
        baseline.as_ref().and_then(|(baseline, file)| Some((file.display().to_string(), baseline.identity()?))),
    );
    if let Some(name) = &args.input.stdin_filename {
        read.extend(FileIdentity::of_path(&cwd.join(name)).map(|identity| (name.display().to_string(), identity)));
    }
    output::check_inputs(&plan, &read)?;
    let planned = plan.clone();
    // Temporary files created before linting so that a bad path fails fast; nothing is
    // put in place before every report is written.
    let sinks = output::open(plan)?;
    let paths = input_paths(&args.input)?;
    let inputs = Inputs {
        paths: &paths,
        stdin_filename: args.input.stdin_filename.as_deref(),
        skip_non_openapi: args.input.skip_non_openapi,
    };
    let mut linted = lint_inputs(&inputs, &settings)?;
    if let Some((baseline, file)) = &baseline {
        let outcome = baseline.apply(&mut linted.findings, linted.loaded.iter().map(PathBuf::as_path));
        report_stale(&outcome.stale, file, update);
        if update && !outcome.stale.is_empty() {
            // Against the file as it is now: another run may have changed it meanwhile.
            let limit = settings.load.limits.max_file_bytes;
            Baseline::update_locked(file, limit, |current| current.without(&outcome.stale))?;
        }
    }
    let code = exit_code(&linted.findings, &args.gate);
    let rules = run_rules(&settings.ruleset);
    let mut run = Run::new(&linted.findings, &rules, &linted.files);
    run.elapsed = started.elapsed();
    run.exit_code = i32::from(code);
    run.source_root = Some(&cwd);
    run.show_suppressed = args.suppress.show_suppressed;
    read.extend(linted.identities.iter().cloned());
    output::check_inputs(&planned, &read)?;
    output::write(sinks, &run, &args.output)?;
    // Freeing a large spec's trees and findings takes a tenth of the run (GitHub's 13 MB
    // spec: ~14 ms); let a thread do it, which the process does not wait for at exit.
    std::thread::spawn(move || drop(linted));
    Ok(ExitCode::from(code))
}

/// `oaslint baseline`: lint as `lint` does, then write every finding not suppressed
/// inline or by an override to the baseline file (entries of files not checked are kept).
/// Input problems cannot be baselined: with one, nothing is written.
pub fn baseline(args: &BaselineArgs) -> Result<ExitCode, CliError> {
    let cwd = settings::current_dir()?;
    let settings = settings::lint_settings(&args.input.config, &cwd)?;
    let file = &args.baseline;
    let limit = settings.load.limits.max_file_bytes;
    // Read first so that a broken baseline fails fast; rewritten from the file as it is
    // at the end, under a lock, so that runs sharing it keep each other's entries.
    match Baseline::load_limited(file, limit) {
        Err(err) if err.is_not_found() => {}
        result => drop(result?),
    }
    let paths = input_paths(&args.input)?;
    let inputs = Inputs {
        paths: &paths,
        stdin_filename: args.input.stdin_filename.as_deref(),
        skip_non_openapi: args.input.skip_non_openapi,
    };
    let linted = lint_inputs(&inputs, &settings)?;
    let problems: Vec<&Finding> = linted
        .findings
        .iter()
        .filter(|finding| {
            !finding.is_suppressed() && finding.category == Category::Input && finding.severity == Severity::Error
        })
        .collect();
    if !problems.is_empty() {
        let mut stderr = std::io::stderr().lock();
        for finding in &problems {
            let at = finding.primary.start();
            let _ = writeln!(
                stderr,
                "{}:{}:{}: error [{}] {}",
                finding.primary.file_name(),
                at.line,
                at.column,
                finding.rule,
                finding.message
            );
        }
        return Err(CliError::InputProblems { count: problems.len(), path: file.clone() });
    }
    let new = Baseline::update_locked(file, limit, |current| {
        current.replace_checked(&linted.findings, linted.loaded.iter().map(PathBuf::as_path))
    })?;
    let mut stdout = std::io::stdout().lock();
    let entries = if new.len() == 1 { "entry" } else { "entries" };
    let _ = writeln!(stdout, "Wrote {} {entries} to {}.", new.len(), file.display());
    Ok(ExitCode::from(EXIT_OK))
}

/// Whether a path names a YAML file (never a baseline).
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml"))
}

/// The baseline `lint` applies. With `--update-baseline`, a missing file is an empty
/// baseline (so the run creates it); otherwise it is an error.
fn load_baseline(file: &Path, update: bool, limit: u64) -> Result<Baseline, CliError> {
    match Baseline::load_limited(file, limit) {
        Err(err) if update && err.is_not_found() => Ok(Baseline::empty(file.parent().unwrap_or(Path::new("")))),
        result => Ok(result?),
    }
}

/// Notes on standard error for baseline entries that matched no finding: the API improved.
fn report_stale(stale: &[BaselineEntry], file: &Path, updated: bool) {
    if stale.is_empty() {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    for entry in stale {
        let _ = writeln!(
            stderr,
            "note: baseline entry no longer matches: {} [{}] {}",
            entry.file, entry.rule, entry.message
        );
    }
    let count = stale.len();
    let entries = if count == 1 { "entry" } else { "entries" };
    let _ = if updated {
        writeln!(stderr, "note: removed {count} stale baseline {entries} from {}", file.display())
    } else {
        writeln!(
            stderr,
            "note: {count} stale baseline {entries}; `--update-baseline` removes them from {}",
            file.display()
        )
    };
}

/// The paths to lint: `--stdin-filename` alone means standard input (as editors call it).
fn input_paths(input: &InputArgs) -> Result<Vec<PathBuf>, CliError> {
    let stdin = Path::new("-");
    match (&input.stdin_filename, input.paths.is_empty()) {
        (Some(_), true) => Ok(vec![stdin.to_owned()]),
        (Some(_), false) if !input.paths.iter().any(|path| path == stdin) => {
            Err(CliError::Usage("`--stdin-filename` names standard input, but `-` is not among the paths".to_owned()))
        }
        _ => Ok(input.paths.clone()),
    }
}

/// 2 for an input error (the run could not check everything), else 1 for a finding at or
/// above `--fail-on` or more warnings than `--max-warnings`, else 0. Suppressed findings
/// never count.
pub fn exit_code(findings: &[Finding], gate: &GateArgs) -> u8 {
    let counted = || findings.iter().filter(|finding| !finding.is_suppressed());
    if counted().any(|finding| finding.category == Category::Input && finding.severity == Severity::Error) {
        return EXIT_ERROR;
    }
    let fail_on = gate.fail_on.severity();
    let warnings = counted().filter(|finding| finding.severity == Severity::Warning).count();
    if counted().any(|finding| finding.severity >= fail_on) || gate.max_warnings.is_some_and(|max| warnings > max) {
        return EXIT_FINDINGS;
    }
    EXIT_OK
}

/// The rules reports describe: every check the ruleset enables, at the severity it gives
/// them, `unused-suppression`, then the input problems.
pub fn run_rules(ruleset: &Ruleset) -> Vec<RuleMeta> {
    rule_metas()
        .into_iter()
        .filter_map(|meta| {
            if meta.id == UNUSED_SUPPRESSION || INPUT_PROBLEMS.iter().any(|(id, _)| *id == meta.id) {
                return Some(meta);
            }
            let severity = ruleset.severity(meta.id)?;
            Some(RuleMeta { default_severity: severity, ..meta })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, exit_code};
    use crate::cli::args::{FailOn, GateArgs};
    use crate::finding::{Category, Finding, Location, Severity, Suppression, SuppressionKind};
    use crate::source::{SourceFile, Span};

    fn finding(category: Category, severity: Severity) -> Finding {
        let (file, _) = SourceFile::from_text("a.yaml", "a: 1\n");
        let location = Location::new(Arc::new(file), Span::at(0));
        Finding::new("no-body", category, severity, "m", location, String::new())
    }

    fn gate(fail_on: FailOn, max_warnings: Option<usize>) -> GateArgs {
        GateArgs { fail_on, max_warnings }
    }

    #[test]
    fn exit_codes_follow_the_thresholds() {
        let warning = finding(Category::Rule, Severity::Warning);
        let error = finding(Category::Rule, Severity::Error);
        let input = finding(Category::Input, Severity::Error);
        let remote = finding(Category::Input, Severity::Warning);
        assert_eq!(exit_code(&[], &gate(FailOn::Hint, Some(0))), EXIT_OK);
        assert_eq!(exit_code(std::slice::from_ref(&warning), &gate(FailOn::Error, None)), EXIT_OK);
        assert_eq!(exit_code(std::slice::from_ref(&warning), &gate(FailOn::Warning, None)), EXIT_FINDINGS);
        assert_eq!(exit_code(std::slice::from_ref(&warning), &gate(FailOn::Error, Some(1))), EXIT_OK);
        assert_eq!(exit_code(&[warning.clone(), warning.clone()], &gate(FailOn::Error, Some(1))), EXIT_FINDINGS);
        assert_eq!(exit_code(std::slice::from_ref(&error), &gate(FailOn::Error, None)), EXIT_FINDINGS);
        assert_eq!(exit_code(&[error.clone(), input], &gate(FailOn::Error, None)), EXIT_ERROR);
        assert_eq!(exit_code(&[remote], &gate(FailOn::Error, None)), EXIT_OK);
        let mut suppressed = error;
        suppressed.suppression = Some(Suppression { kind: SuppressionKind::InSource, justification: None });
        assert_eq!(exit_code(&[suppressed], &gate(FailOn::Hint, None)), EXIT_OK);
    }
}
