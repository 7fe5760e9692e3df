//! The fix engine: apply the fixes checks attach to their findings, and keep only those
//! that verifiably work. Front ends (the command line's `--fix` and `--diff`, the
//! language server's code actions) hand it a root's findings and get edited texts back;
//! it writes nothing.
//!
//! - A fix's edits are applied to the bytes its findings were computed from; fixes whose
//!   edits overlap one chosen before wait for the next round (as ruff does), up to
//!   [`MAX_ROUNDS`] rounds, each on the texts the previous one left.
//! - After each round the edited texts are parsed and linted again, in memory (through
//!   the load options' overlay): every fix must leave texts that parse, make its own
//!   finding go away, and add none. When a round fails that, the failing fixes are found
//!   by halving it (a few lints, not one per fix) and dropped, with the reason, and never
//!   applied; fixes that work alone but not together are applied over several rounds.
//! - Suppressed findings are not fixed; unsafe fixes only when asked for.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BatchKind, Settings, check};
use crate::finding::{Applicability, Category, Finding, Fix, Location};
use crate::resolve::{Workspace, normalize};
use crate::source::edit::{TextEdit, apply, overlaps};

/// Rounds of fixing at most: each applies the fixes that do not overlap one another.
pub const MAX_ROUNDS: usize = 8;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixMode {
    /// Also the fixes that change the API's contract.
    pub unsafe_fixes: bool,
}

impl FixMode {
    fn allows(self, fix: &Fix) -> bool {
        fix.applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// A file the fixes changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedFile {
    /// Absolute and normalized.
    pub path: PathBuf,
    /// As reports show it.
    pub name: String,
    /// The text before this engine's edits.
    pub original: String,
    pub fixed: String,
    /// The edits of each round that changed the file, each on the text the round before
    /// left: applied in order to `original`, they give `fixed`.
    pub rounds: Vec<Vec<TextEdit>>,
}

/// A fix applied or dropped, for the front end to tell.
#[derive(Clone, Debug)]
pub struct FixNote {
    pub rule: String,
    pub title: String,
    /// Where the finding it resolves is.
    pub location: Location,
    /// The finding's JSON pointer and message: with the rule and file, what identifies it
    /// across edits.
    pub pointer: String,
    pub message: String,
    /// Why it was dropped (empty for an applied fix).
    pub reason: String,
}

/// What fixing a root's findings came to.
#[derive(Debug, Default)]
pub struct FixOutcome {
    /// The files whose text changed, in path order.
    pub files: Vec<FixedFile>,
    pub applied: Vec<FixNote>,
    pub dropped: Vec<FixNote>,
    /// The findings in the editable files after fixing (those given when nothing changed).
    pub findings: Vec<Finding>,
}

/// Identifies a finding across edits: its line may move, its rule, file, pointer and
/// message do not.
type FindingKey = (String, PathBuf, String, String);

fn key_of(finding: &Finding) -> FindingKey {
    (finding.rule.clone(), normalize(&finding.primary.file.path), finding.pointer.clone(), finding.message.clone())
}

/// Fix the findings of the root document `root` (as a [`super::Batch`] gives them).
/// Only files in `editable` are edited (the batch's files: never a file the lint did not
/// read). `texts` holds files edited already by fixes of other roots in this run (by
/// normalized path): they are linted as edited, and where one of `editable` is among them,
/// the findings are computed afresh first.
pub fn fix_root(
    root: &Path,
    findings: &[Finding],
    editable: &[PathBuf],
    texts: &HashMap<PathBuf, String>,
    settings: &Settings,
    mode: FixMode,
) -> FixOutcome {
    let editable: HashSet<PathBuf> = editable.iter().map(|path| normalize(path)).collect();
    let in_editable = |finding: &Finding| editable.contains(&normalize(&finding.primary.file.path));
    let mut current_texts = texts.clone();
    let mut current: Vec<Finding> = if editable.iter().any(|path| texts.contains_key(path)) {
        relint(root, &current_texts, settings)
    } else {
        findings.to_vec()
    };
    current.retain(|finding| in_editable(finding));
    // The text of each file before this engine's edits, as its findings read it.
    let mut originals: HashMap<PathBuf, (String, String)> = HashMap::new();
    let mut outcome = FixOutcome::default();
    let mut blocked: HashSet<(FindingKey, String)> = HashSet::new();
    let mut rounds: HashMap<PathBuf, Vec<Vec<TextEdit>>> = HashMap::new();
    for _ in 0..MAX_ROUNDS {
        let round = choose(&current, &editable, &current_texts, &blocked, mode);
        if round.is_empty() {
            break;
        }
        for fix in &round {
            for edit in &fix.fix.edits {
                let file = &edit.at.file;
                originals.entry(normalize(&file.path)).or_insert_with(|| (file.name.clone(), file.text().to_owned()));
            }
        }
        let verifier = Verifier { root, before: &current, texts: &current_texts, editable: &editable, settings };
        let trial = verifier.verify(&round);
        let mut dropped_now = false;
        let accepted = if trial.passes() {
            Some((trial, 0..round.len()))
        } else {
            // Some fix of the round fails: find which by halving (a few lints, not one
            // per fix), and drop those that fail alone.
            let (culprits, passing) = verifier.bisect(&round, 0..round.len(), trial);
            for (index, reason) in &culprits {
                if let Some(fix) = round.get(*index) {
                    blocked.insert((key_of(fix.finding), fix.fix.title.clone()));
                    outcome.dropped.push(fix.note(reason.clone()));
                    dropped_now = true;
                }
            }
            // None fails alone, only together: apply a part that works now, the rest
            // in later rounds.
            if culprits.is_empty() { passing } else { None }
        };
        let Some((trial, range)) = accepted else {
            if dropped_now {
                continue;
            }
            break;
        };
        let applied = round.get(range).unwrap_or(&[]);
        outcome.applied.extend(applied.iter().map(|fix| fix.note(String::new())));
        for (path, edits) in trial.edits {
            rounds.entry(path).or_default().push(edits);
        }
        current_texts = trial.texts;
        current = trial.after.into_iter().filter(|finding| in_editable(finding)).collect();
    }
    let mut files: Vec<FixedFile> = originals
        .into_iter()
        .filter_map(|(path, (name, original))| {
            let fixed = current_texts.get(&path)?.clone();
            let rounds = rounds.remove(&path).unwrap_or_default();
            (fixed != original).then_some(FixedFile { path, name, original, fixed, rounds })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    outcome.files = files;
    outcome.findings = current;
    outcome
}

/// A fix chosen for a round, with its finding.
struct Chosen<'f> {
    finding: &'f Finding,
    fix: &'f Fix,
}

impl Chosen<'_> {
    fn note(&self, reason: String) -> FixNote {
        FixNote {
            rule: self.finding.rule.clone(),
            title: self.fix.title.clone(),
            location: self.finding.primary.clone(),
            pointer: self.finding.pointer.clone(),
            message: self.finding.message.clone(),
            reason,
        }
    }

    /// The fix's edits by file (normalized path).
    fn edits(&self) -> HashMap<PathBuf, Vec<TextEdit>> {
        let mut by_file: HashMap<PathBuf, Vec<TextEdit>> = HashMap::new();
        for edit in &self.fix.edits {
            by_file
                .entry(normalize(&edit.at.file.path))
                .or_default()
                .push(TextEdit { span: edit.at.span, text: edit.text.clone() });
        }
        by_file
    }
}

/// The fixes to apply together this round: allowed, not suppressed, not dropped before,
/// editing only editable files whose text is the one the fix was computed on, and not
/// overlapping a fix chosen before them.
fn choose<'f>(
    findings: &'f [Finding],
    editable: &HashSet<PathBuf>,
    texts: &HashMap<PathBuf, String>,
    blocked: &HashSet<(FindingKey, String)>,
    mode: FixMode,
) -> Vec<Chosen<'f>> {
    let mut chosen: Vec<Chosen<'f>> = Vec::new();
    let mut taken: HashMap<PathBuf, Vec<TextEdit>> = HashMap::new();
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        if finding.is_suppressed() || !mode.allows(fix) || fix.edits.is_empty() {
            continue;
        }
        if blocked.contains(&(key_of(finding), fix.title.clone())) {
            continue;
        }
        // The findings come from the last lint of the current texts; the length is a cheap
        // guard that an edit was computed on the text it will be applied to.
        let current = fix.edits.iter().all(|edit| {
            let path = normalize(&edit.at.file.path);
            editable.contains(&path) && texts.get(&path).is_none_or(|text| text.len() == edit.at.file.text().len())
        });
        if !current {
            continue;
        }
        let candidate = Chosen { finding, fix };
        let edits = candidate.edits();
        if edits.iter().any(|(path, edits)| taken.get(path).is_some_and(|taken| overlaps(taken, edits))) {
            continue;
        }
        for (path, edits) in edits {
            taken.entry(path).or_default().extend(edits);
        }
        chosen.push(candidate);
    }
    chosen
}

/// Each file's edits, for fixes applied together.
type EditsByFile = Vec<(PathBuf, Vec<TextEdit>)>;

/// The texts with the fixes' edits applied (files the fixes do not touch are as given),
/// and the edits by file.
fn edited(
    fixes: &[Chosen<'_>],
    texts: &HashMap<PathBuf, String>,
) -> Result<(HashMap<PathBuf, String>, EditsByFile), String> {
    let mut by_file: HashMap<PathBuf, (Arc<crate::source::SourceFile>, Vec<TextEdit>)> = HashMap::new();
    for fix in fixes {
        for edit in &fix.fix.edits {
            let path = normalize(&edit.at.file.path);
            by_file
                .entry(path)
                .or_insert_with(|| (edit.at.file.clone(), Vec::new()))
                .1
                .push(TextEdit { span: edit.at.span, text: edit.text.clone() });
        }
    }
    let mut out = texts.clone();
    let mut applied = Vec::with_capacity(by_file.len());
    for (path, (file, mut edits)) in by_file {
        let text = apply(file.text(), &edits).map_err(|err| err.to_string())?;
        out.insert(path.clone(), text);
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        applied.push((path, edits));
    }
    Ok((out, applied))
}

/// Fixes applied together on trial: the texts, their edits, their findings, and for
/// each fix why it fails (`None`: it works).
struct Trial {
    texts: HashMap<PathBuf, String>,
    edits: EditsByFile,
    after: Vec<Finding>,
    verdicts: Vec<Option<String>>,
}

impl Trial {
    fn passes(&self) -> bool {
        self.verdicts.iter().all(Option::is_none)
    }
}

/// Fixes of a round (by their indices) that work together, and their trial.
type Passing = (Trial, std::ops::Range<usize>);

/// What a round's trials are judged against: the texts and findings before it.
struct Verifier<'a> {
    root: &'a Path,
    before: &'a [Finding],
    texts: &'a HashMap<PathBuf, String>,
    editable: &'a HashSet<PathBuf>,
    settings: &'a Settings,
}

impl Verifier<'_> {
    /// Apply `fixes` together and lint the result: the texts must parse, each fix's
    /// finding must be gone, and no finding may appear.
    fn verify(&self, fixes: &[Chosen<'_>]) -> Trial {
        let (texts, edits) = match edited(fixes, self.texts) {
            Ok(edited) => edited,
            Err(err) => {
                let verdicts = fixes.iter().map(|_| Some(format!("its edits cannot be applied: {err}"))).collect();
                return Trial { texts: self.texts.clone(), edits: Vec::new(), after: Vec::new(), verdicts };
            }
        };
        let all_after = relint(self.root, &texts, self.settings);
        let after: Vec<&Finding> =
            all_after.iter().filter(|finding| self.editable.contains(&normalize(&finding.primary.file.path))).collect();
        let mut counts: HashMap<FindingKey, isize> = HashMap::new();
        for finding in self.before {
            *counts.entry(key_of(finding)).or_default() -= 1;
        }
        let mut added: Vec<&Finding> = Vec::new();
        for finding in &after {
            let count = counts.entry(key_of(finding)).or_default();
            *count += 1;
            if *count > 0 {
                added.push(finding);
            }
        }
        let broken = added.iter().find(|finding| finding.category == Category::Input);
        let remaining: HashSet<FindingKey> = after.iter().map(|finding| key_of(finding)).collect();
        let verdicts = fixes
            .iter()
            .map(|fix| {
                if let Some(problem) = broken {
                    let at = problem.primary.start();
                    return Some(format!(
                        "the fixed text would not be read: {}:{}:{}: {}",
                        problem.primary.file_name(),
                        at.line,
                        at.column,
                        problem.message
                    ));
                }
                if let Some(new) = added.first() {
                    return Some(format!("it would add a finding: [{}] {}", new.rule, new.message));
                }
                remaining.contains(&key_of(fix.finding)).then(|| "it would not resolve its finding".to_owned())
            })
            .collect();
        drop(after);
        Trial { texts, edits, after: all_after, verdicts }
    }

    /// The fixes of `range` (whose trial `failed`) that fail alone, with why, found by
    /// halving; and, where each part works but not the whole, a part that works.
    fn bisect(
        &self,
        round: &[Chosen<'_>],
        range: std::ops::Range<usize>,
        failed: Trial,
    ) -> (Vec<(usize, String)>, Option<Passing>) {
        if range.len() <= 1 {
            let reason = failed.verdicts.into_iter().flatten().next().unwrap_or_default();
            return (vec![(range.start, reason)], None);
        }
        let middle = range.start + range.len() / 2;
        let mut culprits = Vec::new();
        let mut passing = None;
        for part in [range.start..middle, middle..range.end] {
            let trial = self.verify(round.get(part.clone()).unwrap_or(&[]));
            if trial.passes() {
                passing = passing.or(Some((trial, part)));
            } else {
                let (found, part_passing) = self.bisect(round, part, trial);
                culprits.extend(found);
                passing = passing.or(part_passing);
            }
        }
        (culprits, passing)
    }
}

/// Lint `root` with `texts` standing in for the files they name.
fn relint(root: &Path, texts: &HashMap<PathBuf, String>, settings: &Settings) -> Vec<Finding> {
    let mut load = settings.load.clone();
    for (path, text) in texts {
        load.overlay.insert(path, text.as_str());
    }
    let workspace = Workspace::load(root, &load);
    check(workspace, settings, BatchKind::Document).findings
}
