//! `oaslint lint --fix` and `--diff`: a pass over the inputs that fixes each root's
//! findings through the fix engine ([`crate::pipeline::fix`]), then writes the files
//! (atomically, and only files the lint read) or prints a unified diff.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;

use crate::checks::adopt::Baseline;
use crate::finding::Finding;
use crate::pipeline::fix::{FixMode, FixNote, fix_root_suppressing};
use crate::pipeline::{Batch, BatchKind, Inputs, Settings, lint_each};
use crate::report::FixCounts;
use crate::source::read::{ReadError, read_file};
use crate::source::write::write_atomic;

use super::args::FixArgs;
use super::error::CliError;
use super::lint::is_input_error;

/// What the fix pass changed, before anything is written.
#[derive(Default)]
pub struct FixPass {
    /// Every file changed: its name, its text as read, and as fixed (by normalized path).
    files: Vec<(PathBuf, String, String, String)>,
    applied: usize,
    dropped: Vec<FixNote>,
    /// Root documents linted, and input problems at error severity found on the way.
    pub documents: usize,
    pub input_errors: Vec<Finding>,
}

impl FixPass {
    pub fn counts(&self) -> FixCounts {
        FixCounts { applied: self.applied, files: self.files.len(), dropped: self.dropped.len() }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Refuse what cannot work before anything is read.
pub fn check_args(args: &FixArgs, paths: &[PathBuf]) -> Result<(), CliError> {
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err(CliError::Usage("`--unsafe-fixes` goes with `--fix` or `--diff`".to_owned()));
    }
    if (args.fix || args.diff) && paths.iter().any(|path| path.as_os_str() == "-") {
        return Err(CliError::Usage(
            "`--fix` and `--diff` work on files; standard input cannot be fixed (name the file instead)".to_owned(),
        ));
    }
    Ok(())
}

/// Lint the inputs and fix each root's findings (those a baseline accepts are left alone),
/// each root's fixes on the texts earlier roots' fixes left. Nothing is written.
pub fn fix_pass(
    inputs: &Inputs<'_>,
    settings: &Settings,
    baseline: Option<&Baseline>,
    mode: FixMode,
) -> Result<FixPass, CliError> {
    let mut pass = FixPass::default();
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    let mut originals: HashMap<PathBuf, (String, String)> = HashMap::new();
    let mut matcher = baseline.map(Baseline::matcher);
    lint_each(inputs, settings, |mut batch: Batch| {
        pass.documents += usize::from(batch.kind == BatchKind::Document);
        pass.input_errors.extend(batch.findings.iter().filter(|finding| is_input_error(finding)).cloned());
        let Some(root) = batch.root.clone().filter(|_| batch.kind == BatchKind::Document) else {
            return Ok::<(), CliError>(());
        };
        if let Some(matcher) = &mut matcher {
            matcher.apply(&mut batch.findings);
        }
        let editable: Vec<PathBuf> = batch.files.iter().map(|file| file.path.clone()).collect();
        let stale = editable.iter().any(|path| texts.contains_key(path));
        if !stale && !batch.findings.iter().any(|finding| fixable(finding, mode)) {
            return Ok(());
        }
        // The baseline marks every lint the engine runs, so an accepted finding is never
        // fixed, not even after another fix moved it.
        let accept = |findings: &mut [Finding]| {
            if let Some(baseline) = baseline {
                baseline.matcher().apply(findings);
            }
        };
        let outcome = fix_root_suppressing(&root, &batch.findings, &editable, &texts, settings, mode, &accept);
        pass.applied += outcome.applied.len();
        // A fragment two roots share is fixed through the first; a fix dropped there is
        // dropped again through the second: said once.
        for note in outcome.dropped {
            let said = pass.dropped.iter().any(|earlier| {
                (&earlier.rule, &earlier.pointer, &earlier.message, &earlier.reason)
                    == (&note.rule, &note.pointer, &note.message, &note.reason)
                    && earlier.location.file.path == note.location.file.path
            });
            if !said {
                pass.dropped.push(note);
            }
        }
        for file in outcome.files {
            originals.entry(file.path.clone()).or_insert((file.name, file.original));
            texts.insert(file.path, file.fixed);
        }
        Ok(())
    })?;
    let mut files: Vec<(PathBuf, String, String, String)> = texts
        .into_iter()
        .filter_map(|(path, fixed)| {
            let (name, original) = originals.remove(&path)?;
            (fixed != original).then_some((path, name, original, fixed))
        })
        .collect();
    files.sort_by(|a, b| a.1.cmp(&b.1));
    pass.files = files;
    Ok(pass)
}

fn fixable(finding: &Finding, mode: FixMode) -> bool {
    !finding.is_suppressed()
        && finding
            .fix
            .as_ref()
            .is_some_and(|fix| fix.applicability == crate::finding::Applicability::Safe || mode.unsafe_fixes)
}

/// Say on standard error which fixes were dropped, and why.
pub fn print_dropped(pass: &FixPass) {
    let mut stderr = std::io::stderr().lock();
    for note in &pass.dropped {
        let at = note.location.start();
        let _ = writeln!(
            stderr,
            "note: fix not applied: {}:{}:{}: [{}] {}: {}",
            note.location.file_name(),
            at.line,
            at.column,
            note.rule,
            note.title,
            note.reason
        );
    }
}

/// Write the fixed files, each atomically, provided it still holds the text that was
/// fixed (an editor may have saved it meanwhile: then it is left alone, and said so).
pub fn write(pass: &FixPass) -> Result<(), CliError> {
    for (path, name, original, fixed) in &pass.files {
        // Read again as every input is read: a regular file only, and no more than the
        // text that was fixed (a file now larger has changed anyway).
        let now = match read_file(path, original.len() as u64) {
            Ok(read) => Some(read.bytes),
            Err(ReadError::TooLarge { .. }) => None,
            Err(err) => return Err(CliError::Write { path: path.clone(), source: err.into() }),
        };
        if now.as_deref() != Some(original.as_bytes()) {
            eprintln!("note: `{name}` changed while it was being fixed; it was left as it is");
            continue;
        }
        // Through a symlink, the file it points to is fixed; the link stays a link.
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        write_atomic(&target, fixed.as_bytes()).map_err(|source| CliError::Write { path: path.clone(), source })?;
    }
    Ok(())
}

/// The fixes as a unified diff, file by file, paths as reports show them.
pub fn unified_diff(pass: &FixPass) -> String {
    let mut out = String::new();
    for (_, name, original, fixed) in &pass.files {
        let diff = similar::TextDiff::from_lines(original.as_str(), fixed.as_str());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", name.trim_start_matches('/')), &format!("b/{}", name.trim_start_matches('/')))
            .to_string();
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
