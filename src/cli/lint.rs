//! `oaslint lint`: run the pipeline, apply the baseline, write every report as the
//! findings stream in, decide the exit code. `oaslint baseline`: run the pipeline the same
//! way and write its findings to a baseline.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

use crate::checks::adopt::{Baseline, BaselineEntry, UNUSED_SUPPRESSION};
use crate::checks::ruleset::{Level, Ruleset};
use crate::checks::{InputProblem, rule_metas};
use crate::finding::{Category, Finding, RuleMeta, Severity};
use crate::pipeline::{Batch, BatchKind, Inputs, lint_each};
use crate::report::{Absent, Counts, RunEnd, RunInfo};
use crate::source::FileIdentity;

use super::args::{BaselineArgs, GateArgs, InputArgs, LintArgs};
use super::error::CliError;
use super::fix;
use super::output;
use super::output::Reports;
use crate::config::settings;
use crate::pipeline::fix::FixMode;

/// Exit codes, as `--help` and the README document them.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// What decides the exit code and what the reports count, as the findings stream past.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Unsuppressed findings by severity and by rule, and the suppressed ones.
    pub counts: Counts,
    /// Unsuppressed input problems at error severity: the run could not check everything.
    pub input_errors: usize,
}

impl Tally {
    pub fn count(&mut self, findings: &[Finding]) {
        self.counts.count(findings);
        self.input_errors += findings.iter().filter(|finding| is_input_error(finding)).count();
    }
}

pub fn run(args: &LintArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let cwd = settings::current_dir()?;
    let plan = output::plan(&args.output)?;
    // Where no human or summary report goes to standard output, what --fix did is said on
    // standard error (those two say it in their summary line).
    let says_fixes = plan.iter().any(|sink| {
        sink.destination == output::Destination::Stdout && ["human", "summary"].contains(&sink.format.name())
    });
    let mut settings = settings::lint_settings(&args.input.config.choice(), &cwd)?;
    // The documents' response maps are built only for a report that draws them (html).
    settings.response_map = plan.iter().any(|sink| sink.format.wants_response_maps());
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
        Some(file) => Some((load_baseline(&file, update, settings.load.limits.file_bytes())?, file)),
        None => None,
    };
    // Every file read so far (configuration, rulesets, baseline, a spec piped in under its
    // name); the batches add theirs. No report may replace one of them.
    let mut read = settings.read.clone();
    read.extend(
        baseline.as_ref().and_then(|(baseline, file)| Some((file.display().to_string(), baseline.identity()?))),
    );
    if let Some(name) = &args.input.stdin_filename {
        read.extend(FileIdentity::of_path(&cwd.join(name)).map(|identity| (name.display().to_string(), identity)));
    }
    output::check_inputs(&plan, &read)?;
    let paths = input_paths(&args.input)?;
    let inputs = Inputs {
        paths: &paths,
        stdin_filename: args.input.stdin_filename.as_deref(),
        skip_non_openapi: args.input.skip_non_openapi,
    };
    fix::check_args(&args.fix, &paths)?;
    let mut fixes = None;
    if args.fix.fix || args.fix.diff {
        let mode = FixMode { unsafe_fixes: args.fix.unsafe_fixes };
        let pass = fix::fix_pass(&inputs, &settings, baseline.as_ref().map(|(baseline, _)| baseline), mode)?;
        fix::print_dropped(&pass);
        if args.fix.diff {
            // A document that could not be read has nothing to diff, but must not pass.
            if let Some(err) = no_documents(pass.documents, &args.input, &paths) {
                return Err(err);
            }
            for finding in &pass.input_errors {
                let at = finding.primary.start();
                let (file, rule, message) = (finding.primary.file_name(), &finding.rule, &finding.message);
                eprintln!("{file}:{}:{}: error [{rule}] {message}", at.line, at.column);
            }
            // Like ruff's `--diff`: the diff alone, nothing written, 1 when there is something to fix.
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(fix::unified_diff(&pass).as_bytes()).map_err(CliError::Stdout)?;
            let counts = pass.counts();
            let findings = if counts.applied == 1 { "finding" } else { "findings" };
            let files = if counts.files == 1 { "file" } else { "files" };
            eprintln!("Would fix {} {findings} in {} {files}.", counts.applied, counts.files);
            let code = match (pass.input_errors.is_empty(), pass.is_empty()) {
                (false, _) => EXIT_ERROR,
                (true, true) => EXIT_OK,
                (true, false) => EXIT_FINDINGS,
            };
            return Ok(ExitCode::from(code));
        }
        fix::write(&pass)?;
        fixes = Some(pass.counts());
    }
    let mut matcher = baseline.as_ref().map(|(baseline, _)| baseline.matcher());
    let rules = run_rules(&settings.ruleset, &settings.levels);
    let info = RunInfo {
        show_suppressed: args.suppress.show_suppressed,
        source_root: Some(&cwd),
        fail_on: args.gate.fail_on.severity(),
        quiet: args.output.quiet,
        baseline: baseline.is_some(),
        ruleset: Some(settings.ruleset.name()),
        ..RunInfo::new(&rules)
    };
    // Temporary files created before linting so that a bad path fails fast, after the
    // configuration so that a broken one leaves nothing behind; nothing is put in place
    // before every report is written.
    let mut reports = Reports::open(plan, &info, &args.output)?;
    let sinks = reports.sinks();
    let mut tally = Tally::default();
    let mut files: Vec<String> = Vec::new();
    let mut loaded: Vec<PathBuf> = Vec::new();
    let mut documents = 0;
    let freer = Freer::start();
    lint_each(&inputs, &settings, |mut batch: Batch| {
        documents += usize::from(batch.kind == BatchKind::Document);
        if let Some(matcher) = &mut matcher {
            matcher.apply(&mut batch.findings);
        }
        tally.count(&batch.findings);
        for file in &batch.files {
            files.push(file.name.clone());
            loaded.push(file.path.clone());
            read.extend(file.identity.map(|identity| (file.name.clone(), identity)));
        }
        if let Some(map) = &batch.map {
            reports.document(map)?;
        }
        reports.findings(&batch.findings)?;
        freer.free(batch);
        Ok::<(), CliError>(())
    })?;
    let mut absent = Vec::new();
    if let (Some(matcher), Some((baseline, file))) = (matcher, &baseline) {
        loaded.sort_unstable();
        loaded.dedup();
        let outcome = matcher.finish(loaded.iter().map(PathBuf::as_path));
        report_stale(&outcome.stale, file, update);
        absent = outcome
            .stale
            .iter()
            .map(|entry| Absent {
                rule: entry.rule.clone(),
                file: display_name(&baseline.path_of(entry), &cwd),
                message: entry.message.clone(),
                fingerprint: entry.fingerprint.clone(),
            })
            .collect();
        if update && !outcome.stale.is_empty() {
            // Against the file as it is now: another run may have changed it meanwhile.
            let limit = settings.load.limits.file_bytes();
            Baseline::update_locked(file, limit, |current| current.without(&outcome.stale))?;
        }
    }
    files.sort_unstable();
    files.dedup();
    let empty = no_documents(documents, &args.input, &paths);
    let code = if empty.is_some() { EXIT_ERROR } else { exit_code(&tally, &args.gate) };
    let omitted = reports.omitted();
    if omitted > 0 {
        let findings = if omitted == 1 { "finding" } else { "findings" };
        let max = args.output.max_problems.unwrap_or(0);
        eprintln!("note: {omitted} more {findings} not listed (`--max-problems {max}`); the counts include them");
    }
    let end = RunEnd {
        files: &files,
        summary: crate::report::Summary { files: files.len(), ..tally.counts.summary },
        by_rule: tally.counts.by_rule(),
        elapsed: started.elapsed(),
        exit_code: i32::from(code),
        omitted,
        absent,
        fixes,
        fixable: tally.counts.fixable,
    };
    let written = reports.end(&end)?;
    if let Some(fixes) = fixes.filter(|_| !says_fixes) {
        let findings = if fixes.applied == 1 { "finding" } else { "findings" };
        let files = if fixes.files == 1 { "file" } else { "files" };
        let dropped = match fixes.dropped {
            0 => String::new(),
            1 => " (1 fix dropped, see the notes)".to_owned(),
            n => format!(" ({n} fixes dropped, see the notes)"),
        };
        let remain = tally.counts.summary;
        let remaining = remain.errors + remain.warnings + remain.infos + remain.hints;
        eprintln!("Fixed {} {findings} in {} {files}{dropped}; {remaining} remain.", fixes.applied, fixes.files);
    }
    // Only now are the reports put in place, unless one of them would replace an input.
    output::check_inputs(&sinks, &read)?;
    written.commit()?;
    match empty {
        Some(err) => Err(err),
        None => Ok(ExitCode::from(code)),
    }
}

/// The error of a run that found no OpenAPI document, unless that is allowed: with
/// `--allow-empty`, or `--skip-non-openapi` (a pre-commit hook given only other files).
fn no_documents(documents: usize, input: &InputArgs, paths: &[PathBuf]) -> Option<CliError> {
    if documents > 0 || input.allow_empty || input.skip_non_openapi {
        return None;
    }
    let where_ = match paths {
        [] => "the current directory".to_owned(),
        [path] if path.as_os_str() == "-" => "standard input".to_owned(),
        paths => paths.iter().map(|path| format!("`{}`", path.display())).collect::<Vec<_>>().join(", "),
    };
    Some(CliError::NoDocuments { where_ })
}

/// Frees batches on a thread of its own: a large spec's trees take a tenth of its run to
/// free (GitHub's 13 MB spec: ~14 ms), and the process does not wait for the last ones
/// at exit.
struct Freer {
    batches: Option<mpsc::Sender<Batch>>,
}

impl Freer {
    fn start() -> Freer {
        let (sender, receiver) = mpsc::channel::<Batch>();
        let spawned =
            std::thread::Builder::new().name("free".to_owned()).spawn(move || receiver.into_iter().for_each(drop));
        Freer { batches: spawned.is_ok().then_some(sender) }
    }

    fn free(&self, batch: Batch) {
        if let Some(sender) = &self.batches {
            // The thread is gone only if it panicked: then the batch is freed here.
            let _ = sender.send(batch);
        }
    }
}

/// `oaslint baseline`: lint as `lint` does, then write every finding not suppressed
/// inline or by an override to the baseline file (entries of files not checked are kept).
/// Input problems cannot be baselined: with one, nothing is written.
pub fn baseline(args: &BaselineArgs) -> Result<ExitCode, CliError> {
    let cwd = settings::current_dir()?;
    let settings = settings::lint_settings(&args.input.config.choice(), &cwd)?;
    let file = &args.baseline;
    let limit = settings.load.limits.file_bytes();
    // Read first so that a broken baseline fails fast; rewritten from the file as it is
    // at the end, under a lock, so that runs sharing it keep each other's entries.
    match Baseline::load_limited(file, limit) {
        Err(err) if err.is_not_found() => {}
        result => drop(result?),
    }
    // Entries name files relative to the baseline's directory.
    let entry_maker = Baseline::empty(file.parent().unwrap_or(Path::new("")));
    let paths = input_paths(&args.input)?;
    let inputs = Inputs {
        paths: &paths,
        stdin_filename: args.input.stdin_filename.as_deref(),
        skip_non_openapi: args.input.skip_non_openapi,
    };
    let mut entries: Vec<BaselineEntry> = Vec::new();
    let mut loaded: Vec<PathBuf> = Vec::new();
    let mut problems = 0;
    let mut documents = 0;
    lint_each(&inputs, &settings, |batch: Batch| {
        documents += usize::from(batch.kind == BatchKind::Document);
        let mut stderr = std::io::stderr().lock();
        for finding in batch.findings.iter().filter(|finding| is_input_error(finding)) {
            problems += 1;
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
        entries.extend(entry_maker.entries_for(&batch.findings));
        loaded.extend(batch.files.into_iter().map(|file| file.path));
        Ok::<(), CliError>(())
    })?;
    if problems > 0 {
        return Err(CliError::InputProblems { count: problems, path: file.clone() });
    }
    if let Some(err) = no_documents(documents, &args.input, &paths) {
        return Err(err);
    }
    loaded.sort_unstable();
    loaded.dedup();
    let new = Baseline::update_locked(file, limit, |current| {
        current.replace_checked_entries(entries.clone(), loaded.iter().map(PathBuf::as_path))
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

/// An unsuppressed input problem at error severity: the run could not check everything.
/// An input warning raised to an error by the configuration fails the run like a rule.
pub(super) fn is_input_error(finding: &Finding) -> bool {
    !finding.is_suppressed()
        && finding.category == Category::Input
        && finding.severity == Severity::Error
        && !crate::source::is_input_warning(&finding.rule)
}

/// A path as reports show it: relative to the working directory where it is inside it.
fn display_name(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).to_string_lossy().into_owned()
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
pub fn exit_code(tally: &Tally, gate: &GateArgs) -> u8 {
    if tally.input_errors > 0 {
        return EXIT_ERROR;
    }
    let summary = &tally.counts.summary;
    let at_or_above = |severity: Severity| match severity {
        Severity::Error => summary.errors,
        Severity::Warning => summary.errors + summary.warnings,
        Severity::Info => summary.errors + summary.warnings + summary.infos,
        Severity::Hint => summary.errors + summary.warnings + summary.infos + summary.hints,
    };
    if at_or_above(gate.fail_on.severity()) > 0 || gate.max_warnings.is_some_and(|max| summary.warnings > max) {
        return EXIT_FINDINGS;
    }
    EXIT_OK
}

/// The rules reports describe: every check the ruleset enables, at the severity it gives
/// them, `unused-suppression`, then the input problems.
pub fn run_rules(ruleset: &Ruleset, levels: &[(String, Level)]) -> Vec<RuleMeta> {
    rule_metas()
        .into_iter()
        .filter_map(|meta| {
            if let Some((_, level)) = levels.iter().find(|(id, _)| id == meta.id) {
                return Some(RuleMeta { default_severity: level.severity()?, ..meta });
            }
            if meta.id == UNUSED_SUPPRESSION || InputProblem::from_id(meta.id).is_some() {
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

    use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Tally};
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

    fn exit_code(findings: &[Finding], gate: &GateArgs) -> u8 {
        let mut tally = Tally::default();
        tally.count(findings);
        super::exit_code(&tally, gate)
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
