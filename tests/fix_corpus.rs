//! The fix round trip on real documents: every safe fix applied, in memory, to the
//! specs of `../shared/corpus/large/` and `../shared/corpus/directory/` (763 specs: 33 s
//! in a debug build on two cores; `OASLINT_FIX_SAMPLE=N` takes every N-th of `directory/`
//! instead). For each spec:
//!
//! - every fixed file parses, as the syntax it was;
//! - its findings lose exactly the fixed ones and gain none;
//! - it differs from the original only inside the edits: the text between the edited
//!   regions (mapped back to the original through every round) is found unchanged, in
//!   order, in the fixed text;
//! - a second pass over the fixed texts finds nothing more to fix (idempotence).
//!
//! `OASLINT_FIX_UNSAFE=1` applies the unsafe fixes too. The corpus is not part of the
//! repository; without it the test says so and passes.
//! `cargo test --test fix_corpus -- --nocapture` prints the counts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use oaslint::config::settings::{ConfigChoice, lint_settings};
use oaslint::finding::Finding;
use oaslint::pipeline::fix::{FixMode, FixOutcome, FixedFile, fix_root};
use oaslint::pipeline::{BatchKind, Inputs, Settings, lint_each};
use oaslint::resolve::normalize;
use oaslint::source::SourceFile;
use oaslint::source::edit::TextEdit;

mod support;
use support::corpus_dir;

/// The specs to fix: all of `large/`, every `step`-th of `directory/` in path order.
fn specs(corpus: &Path, step: usize) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json") {
                out.push(path);
            }
        }
    }
    let mut large = Vec::new();
    walk(&corpus.join("large"), &mut large);
    let mut directory = Vec::new();
    walk(&corpus.join("directory"), &mut directory);
    large.sort();
    directory.sort();
    large.extend(directory.into_iter().step_by(step.max(1)));
    large
}

type Key = (String, PathBuf, String, String);

fn key(finding: &Finding) -> Key {
    (finding.rule.clone(), normalize(&finding.primary.file.path), finding.pointer.clone(), finding.message.clone())
}

/// What one spec's round trip came to.
#[derive(Default)]
struct Tally {
    specs: usize,
    fixed_specs: usize,
    files_changed: usize,
    applied: BTreeMap<String, usize>,
    dropped: BTreeMap<String, usize>,
    /// Findings that went away beside the fixed ones (unsafe fixes only).
    also_resolved: usize,
    /// Where each dropped fix's finding is, and why it was dropped.
    dropped_at: Vec<String>,
    failures: Vec<String>,
}

/// Each spec's root batch: the root, its findings, its files.
fn lint(spec: &Path, settings: &Settings) -> Vec<(PathBuf, Vec<Finding>, Vec<PathBuf>)> {
    let paths = [spec.to_path_buf()];
    let inputs = Inputs { paths: &paths, stdin_filename: None, skip_non_openapi: false };
    let mut batches = Vec::new();
    let _ = lint_each(&inputs, settings, |batch| {
        if let (BatchKind::Document, Some(root)) = (batch.kind, batch.root.clone()) {
            let files = batch.files.iter().map(|file| file.path.clone()).collect();
            batches.push((root, batch.findings, files));
        }
        Ok::<(), oaslint::pipeline::PipelineError>(())
    });
    batches
}

/// An offset in the text after `edits` (sorted, on the text before) mapped to the text
/// before: inside inserted text, to the edit's start (`end`: its end).
fn map_back(offset: u32, edits: &[TextEdit], end: bool) -> u32 {
    let mut delta: i64 = 0;
    for edit in edits {
        let start = (i64::from(edit.span.start) + delta) as u32;
        let inserted_end = start + edit.text.len() as u32;
        if offset < start {
            break;
        }
        if offset <= inserted_end {
            return if end { edit.span.end } else { edit.span.start };
        }
        delta += edit.text.len() as i64 - i64::from(edit.span.len());
    }
    (i64::from(offset) - delta) as u32
}

/// Why the fixed file differs from its original outside its edits, if it does.
fn outside_the_edits(file: &FixedFile) -> Option<String> {
    // Replaying the rounds gives the fixed text.
    let mut replayed = file.original.clone();
    for edits in &file.rounds {
        replayed = oaslint::source::edit::apply(&replayed, edits).ok()?;
    }
    if replayed != file.fixed {
        return Some("the rounds' edits do not give the fixed text".to_owned());
    }
    // Every region an edit touched, in the original's offsets.
    let mut regions: Vec<(u32, u32)> = Vec::new();
    for (index, edits) in file.rounds.iter().enumerate() {
        for edit in edits {
            let (mut start, mut end) = (edit.span.start, edit.span.end);
            for earlier in file.rounds.get(..index).unwrap_or(&[]).iter().rev() {
                start = map_back(start, earlier, false);
                end = map_back(end, earlier, true);
            }
            regions.push((start, end.max(start)));
        }
    }
    regions.sort_unstable();
    // The original between the regions must appear in the fixed text, in order: then the
    // fixed text is that text with only the regions replaced.
    let original = file.original.as_str();
    let mut cursor_original = 0usize;
    let mut cursor_fixed = 0usize;
    let mut gaps: Vec<&str> = Vec::new();
    for &(start, end) in &regions {
        let start = (start as usize).max(cursor_original);
        gaps.push(original.get(cursor_original..start).unwrap_or(""));
        cursor_original = cursor_original.max(end as usize);
    }
    let tail = original.get(cursor_original..).unwrap_or("");
    let fixed = file.fixed.as_str();
    for (index, gap) in gaps.iter().enumerate() {
        let found = if index == 0 {
            fixed.starts_with(gap).then_some(0)
        } else {
            fixed.get(cursor_fixed..).and_then(|rest| rest.find(gap)).map(|at| cursor_fixed + at)
        };
        match found {
            Some(at) => cursor_fixed = at + gap.len(),
            None => return Some(format!("the original text before edit {index} is not in the fixed text")),
        }
    }
    if !fixed.get(cursor_fixed..).is_some_and(|rest| rest.ends_with(tail)) || fixed.len() < cursor_fixed + tail.len() {
        return Some("the original text after the last edit is not the fixed text's end".to_owned());
    }
    None
}

fn round_trip(spec: &Path, corpus: &Path, settings: &Settings, mode: FixMode, tally: &Mutex<Tally>) {
    let name = spec.strip_prefix(corpus).unwrap_or(spec).display().to_string();
    let mut failures = Vec::new();
    let mut outcomes: Vec<FixOutcome> = Vec::new();
    let mut also_resolved = 0;
    for (root, findings, files) in lint(spec, settings) {
        let outcome = fix_root(&root, &findings, &files, &HashMap::new(), settings, mode);
        let editable: HashSet<PathBuf> = files.iter().map(|path| normalize(path)).collect();
        let before: Vec<Key> = findings
            .iter()
            .filter(|finding| editable.contains(&normalize(&finding.primary.file.path)))
            .map(key)
            .collect();
        let after: Vec<Key> = outcome.findings.iter().map(key).collect();
        let before_set: HashSet<&Key> = before.iter().collect();
        let after_set: HashSet<&Key> = after.iter().collect();
        let gained: Vec<&&Key> = after_set.difference(&before_set).collect();
        if !gained.is_empty() {
            failures.push(format!("{name}: gained {gained:?}"));
        }
        let lost: HashSet<&Key> = before_set.difference(&after_set).copied().collect();
        let applied: Vec<Key> = outcome
            .applied
            .iter()
            .map(|note| {
                (note.rule.clone(), normalize(&note.location.file.path), note.pointer.clone(), note.message.clone())
            })
            .collect();
        let applied_set: HashSet<&Key> = applied.iter().collect();
        let extra: Vec<&&Key> = lost.difference(&applied_set).collect();
        let kept: Vec<&&Key> = applied_set.difference(&lost).collect();
        // An unsafe fix may resolve more than its finding (a 200 renamed 201 needs no body
        // any more): counted; a safe one changes documentation only, so exactly its own.
        if !kept.is_empty() || (!extra.is_empty() && !mode.unsafe_fixes) {
            failures.push(format!("{name}: lost other than the fixed findings: extra {extra:?}, kept {kept:?}"));
        }
        also_resolved += extra.len();
        for file in &outcome.files {
            let (parsed, result) = SourceFile::from_text(&file.name, &file.fixed);
            let original = SourceFile::from_text(&file.name, &file.original).0;
            if let Err(err) = result {
                failures.push(format!("{}: the fixed text does not parse: {}", file.name, err.message));
            } else if parsed.syntax != original.syntax {
                failures.push(format!("{}: the fixed text reads as another syntax", file.name));
            }
            if let Some(problem) = outside_the_edits(file) {
                failures.push(format!("{}: {problem}", file.name));
            }
        }
        // A second pass over the fixed texts has nothing left to apply.
        if !outcome.files.is_empty() {
            let texts: HashMap<PathBuf, String> =
                outcome.files.iter().map(|file| (file.path.clone(), file.fixed.clone())).collect();
            let again = fix_root(&root, &outcome.findings, &files, &texts, settings, mode);
            if !again.applied.is_empty() {
                failures.push(format!("{name}: a second pass applied {} more fixes", again.applied.len()));
            }
        }
        outcomes.push(outcome);
    }
    let mut tally = tally.lock().unwrap();
    tally.specs += 1;
    let changed: usize = outcomes.iter().map(|outcome| outcome.files.len()).sum();
    tally.fixed_specs += usize::from(changed > 0);
    tally.files_changed += changed;
    for outcome in &outcomes {
        for note in &outcome.applied {
            *tally.applied.entry(note.rule.clone()).or_default() += 1;
        }
        for note in &outcome.dropped {
            // The reason without the finding's own words: "it would add a finding: [rule]".
            let reason = note.reason.split(']').next().unwrap_or("").to_owned();
            let reason = if reason.contains('[') { format!("{reason}]") } else { note.reason.clone() };
            *tally.dropped.entry(format!("{}: {reason}", note.rule)).or_default() += 1;
            let at = note.location.start();
            tally.dropped_at.push(format!(
                "{}:{}:{} [{}] {}",
                note.location.file_name(),
                at.line,
                at.column,
                note.rule,
                note.reason
            ));
        }
    }
    tally.also_resolved += also_resolved;
    tally.failures.extend(failures);
}

#[test]
fn every_safe_fix_round_trips_on_the_corpus() {
    let Some(corpus) = corpus_dir() else { return };
    let step = std::env::var("OASLINT_FIX_SAMPLE").ok().and_then(|step| step.parse().ok()).unwrap_or(1);
    let specs = specs(&corpus, step);
    // `OASLINT_FIX_UNSAFE=1`: the unsafe fixes too (for their counts; CI runs the safe ones).
    let mode = FixMode { unsafe_fixes: std::env::var_os("OASLINT_FIX_UNSAFE").is_some_and(|value| value == "1") };
    let tally = Mutex::new(Tally::default());
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(4);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let choice = ConfigChoice { config: None, no_config: true, ruleset: None };
                let settings = lint_settings(&choice, &corpus).expect("the default settings");
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(spec) = specs.get(index) else { break };
                    round_trip(spec, &corpus, &settings, mode, &tally);
                }
            });
        }
    });
    let tally = tally.into_inner().unwrap();
    let applied: usize = tally.applied.values().sum();
    let dropped: usize = tally.dropped.values().sum();
    println!(
        "fix round trip ({}): {} specs, {} fixed ({} files changed), {applied} fixes applied, {dropped} dropped",
        if mode.unsafe_fixes { "safe and unsafe fixes" } else { "safe fixes" },
        tally.specs,
        tally.fixed_specs,
        tally.files_changed
    );
    for (rule, count) in &tally.applied {
        println!("  applied {rule}: {count}");
    }
    if tally.also_resolved > 0 {
        println!("  other findings resolved by the fixes: {}", tally.also_resolved);
    }
    for (reason, count) in &tally.dropped {
        println!("  dropped {reason}: {count}");
    }
    for at in tally.dropped_at.iter().take(10) {
        println!("    e.g. {at}");
    }
    assert!(tally.failures.is_empty(), "{} failures:\n{}", tally.failures.len(), tally.failures.join("\n"));
    assert!(applied > 0, "no fix applied anywhere: the round trip tested nothing");
}
