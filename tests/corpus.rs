//! Sweep over every document of the shared corpus (`../shared/corpus`): each file
//! loads, or yields at least one finding with a valid location; nothing panics or
//! hangs (a watchdog ends a file still running after two minutes; per-file times are only
//! printed, the slowest five, since speed is for the benchmarks to judge, not a timed test on
//! a shared machine); every supported root gets its API view; every file refused (an input error)
//! is one whose reason [`KNOWN_REFUSALS`] gives. DigitalOcean's multi-file spec must
//! resolve fully; the specs with C1 control characters are linted.
//!
//! The corpus is not part of the repository; without it these tests print a
//! message and pass. Set `OASLINT_CORPUS` to sweep a corpus elsewhere.
//!
//! Build profile: CI runs the sweep in plain `cargo test` (debug), where it takes 25 s on two
//! quiet cores (a minute when other builds share them). In release it takes 3 s, but a release build of every dependency
//! costs CI three more minutes than it saves. Cargo.toml optimises only the YAML parser in
//! debug builds, which cuts the sweep by a third (see the comment there).
//! `cargo test --release --test corpus -- --nocapture` prints the summary fastest.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use oaslint::checks::ruleset::Ruleset;
use oaslint::finding::{Category, Finding, Severity};
use oaslint::model::{Api, DocumentKind, detect};
use oaslint::resolve::{LoadOptions, Workspace};
use oaslint::source::Limits;

// The fuzz target's invariants (spans in bounds, locations inside the file, pointers that
// lead back to their node), applied here to real documents.
#[path = "../fuzz/src/invariants.rs"]
mod invariants;
use invariants::{location_problem, tree_problem};

/// A file still running after this long is a hang: the watchdog names it and ends the process
/// rather than letting CI sit until its own time limit.
const HANG_LIMIT: Duration = Duration::from_secs(120);
/// How many findings of each rule a file has their locations checked.
const LOCATIONS_CHECKED_PER_RULE: usize = 5;
/// The rules that mean a `$ref` did not resolve.
const REF_RULES: [&str; 3] = ["unresolved-ref", "circular-ref", "ref-outside-root"];
const DIGITALOCEAN_ROOT: &str = "ugly/multifile/digitalocean/specification/DigitalOcean-public.v2.yaml";
/// Specs whose YAML 1.2 refuses but the peers read, as oaslint does with a warning: the
/// spec, the warning, and how strict YAML's refusal begins.
const READ_DESPITE_A_FLAW: [(&str, &str, &str); 4] = [
    ("large/openapi-directory/docusign.net_v2.1_openapi.yaml", "control-character", "unescaped control character U+"),
    (
        "ugly/real-world/yaml-c1-control-chars/sendgrid.com/1.0.0/openapi.yaml",
        "control-character",
        "unescaped control character U+",
    ),
    ("other/ed-fi/resources/3.3/resources-ds-3.3.yml", "glued-comment", "comments must be separated"),
    ("other/ed-fi/resources/4.0/resources-ds-4.0.yml", "glued-comment", "comments must be separated"),
];

/// Every file of the shared corpus that oaslint refuses (input errors: exit code 2), and
/// why. The sweep fails on a refusal this list does not explain, and on an entry that no
/// longer happens. A path ending in `/` covers the files under it. Peers: Redocly CLI 2
/// (js-yaml) and Spectral 6 (@stoplight/yaml), run on each file.
const KNOWN_REFUSALS: &[(&str, &str, &str)] = &[
    // Every peer refuses these too.
    ("ugly/invalid/ibm-bad-json.json", "invalid-syntax", "neither JSON nor YAML; every peer refuses it"),
    ("ugly/invalid/ibm-oas3-clean-with-tabs.yml", "invalid-syntax", "tabs in indentation; every peer refuses it"),
    (
        "ugly/invalid/ibm-oas3-duplicate-keys.json",
        "duplicate-key",
        "a key set twice; Redocly refuses the file, Spectral reports it as an error",
    ),
    // Read and linted, with references to files or nodes that do not exist; the peers report them too.
    ("directory/APIs/azure.com/", "unresolved-ref", MISSING_FILES),
    ("directory/v2/specs/azure.com/", "unresolved-ref", MISSING_FILES),
    ("ugly/real-world/unresolvable-external-refs/", "unresolved-ref", MISSING_FILES),
    (
        "ugly/multifile/digitalocean/specification/resources/",
        "unresolved-ref",
        "fragments the root does not reach, referring to files the spec does not have (apps_tier.yml, ...)",
    ),
    ("ugly/refs/", "unresolved-ref", "peers' fixtures of broken references"),
    (
        "ugly/invalid/spectral-petstore.invalid-schema.oas3.json",
        "unresolved-ref",
        "a peer's fixture of a broken reference",
    ),
    (
        "versions/oai-schema-tests/v3.2/fail/",
        "unresolved-ref",
        "the OAI's failing test documents: references to missing components",
    ),
];
const MISSING_FILES: &str = "references to files the APIs.guru snapshot does not hold";

/// Whether an entry of [`KNOWN_REFUSALS`] explains `file` being refused with `rule`.
fn explains((path, known_rule, _): &(&str, &str, &str), file: &str, rule: &str) -> bool {
    *known_rule == rule && (file == *path || (path.ends_with('/') && file.starts_with(path)))
}

/// What the sweep refused that [`KNOWN_REFUSALS`] does not explain, and the entries that
/// explained nothing.
fn unexplained_refusals(refused: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, rules) in refused {
        for rule in rules {
            if !KNOWN_REFUSALS.iter().any(|known| explains(known, file, rule)) {
                problems.push(format!("{file}: refused ({rule}), and KNOWN_REFUSALS does not say why"));
            }
        }
    }
    for known in KNOWN_REFUSALS {
        let used = refused.iter().any(|(file, rules)| rules.iter().any(|rule| explains(known, file, rule)));
        if !used {
            problems.push(format!("{} ({}) is no longer refused: remove it from KNOWN_REFUSALS", known.0, known.1));
        }
    }
    problems
}

mod support;
use support::corpus_dir;

/// How the CLI would load a file given on the command line (references stay under its folder).
fn default_options(corpus: &Path) -> LoadOptions {
    LoadOptions { display_base: Some(corpus.to_path_buf()), ..LoadOptions::default() }
}

/// For the sweep, references may read anywhere in the corpus: a fragment of a multi-file spec
/// loaded as its own root reaches up into sibling folders (DigitalOcean's `../../shared/…`), and
/// refusing those would leave most of its references unresolved, hence untested.
fn sweep_options(corpus: &Path) -> LoadOptions {
    let mut options = default_options(corpus);
    options.refs.allowed_roots.push(corpus.to_path_buf());
    options
}

/// Every `.yaml`, `.yml` and `.json` file under `dir`, sorted so runs are comparable.
fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(listing) = std::fs::read_dir(&dir) else { continue };
        for entry in listing.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn check_finding(finding: &Finding) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(problem) = location_problem(&finding.primary) {
        problems.push(format!("{} ({}): {problem}", finding.rule, finding.message));
    }
    for related in &finding.related {
        if let Err(problem) = location_problem(&related.location) {
            problems.push(format!("{} related `{}`: {problem}", finding.rule, related.label));
        }
    }
    problems
}

/// What sweeping one file found.
struct Outcome {
    kind: String,
    /// Rules of the input problems reported, each once.
    rules: Vec<String>,
    /// Input errors (severity error), as (file it is in, rule): what makes oaslint exit with 2.
    refusals: Vec<(PathBuf, String)>,
    failures: Vec<String>,
}

fn sweep_file(path: &Path, options: &LoadOptions) -> Outcome {
    let workspace = Workspace::load(path, options);
    let mut failures = Vec::new();
    if workspace.root_failed() && workspace.findings().is_empty() {
        failures.push("did not load and reported nothing".to_owned());
    }
    // Checking a location walks the file's lines up to it, so a file with many findings deep
    // in it (DocuSign's 37 control characters, 2 MB down) would cost seconds each sweep:
    // a few of each rule per file exercise the same code (tests/positions.rs checks all of
    // DocuSign's).
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in workspace.findings() {
        let count = checked.entry(finding.rule.as_str()).or_default();
        *count += 1;
        if *count <= LOCATIONS_CHECKED_PER_RULE {
            failures.extend(check_finding(finding));
        }
    }
    // The root file only: the files it references are swept as roots of their own.
    if let Some(Err(problem)) = workspace.root_file().map(|file| tree_problem(file)) {
        failures.push(problem);
    }
    let kind = match detect(&workspace) {
        DocumentKind::Root(version) => {
            if Api::build(&workspace, version).is_none() {
                failures.push(format!("{version:?} root but no API view"));
            }
            version.label().to_owned()
        }
        DocumentKind::Unsupported { version, .. } => format!("unsupported version `{version}`"),
        DocumentKind::Fragment if workspace.root_failed() => "did not parse".to_owned(),
        DocumentKind::Fragment => "fragment".to_owned(),
    };
    let mut rules: Vec<String> = workspace.findings().iter().map(|finding| finding.rule.clone()).collect();
    rules.sort();
    rules.dedup();
    let refusals = workspace
        .findings()
        .iter()
        .filter(|finding| finding.category == Category::Input && finding.severity == Severity::Error)
        .map(|finding| (finding.primary.file.path.clone(), finding.rule.clone()))
        .collect();
    Outcome { kind, rules, refusals, failures }
}

/// One file's result: its outcome, or the message it panicked with.
struct Swept {
    path: PathBuf,
    elapsed: Duration,
    outcome: Result<Outcome, String>,
}

/// Which file each worker is on and since when, for the watchdog.
type Busy = Mutex<Vec<Option<(PathBuf, Instant)>>>;

fn watchdog(busy: &Busy, done: &AtomicUsize, workers: usize) {
    while done.load(Ordering::Relaxed) < workers {
        std::thread::sleep(Duration::from_millis(500));
        let slots = busy.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for (path, since) in slots.iter().flatten() {
            if since.elapsed() > HANG_LIMIT {
                eprintln!("HANG: {} has been loading for over {HANG_LIMIT:?}; giving up", path.display());
                std::process::exit(101);
            }
        }
    }
}

#[test]
fn every_corpus_document_loads_or_reports_a_located_problem() {
    let Some(corpus) = corpus_dir() else { return };
    let files = documents(&corpus);
    assert!(files.len() > 100, "expected the corpus to hold documents, found {}", files.len());
    let options = sweep_options(&corpus);
    let started = Instant::now();

    // Two workers: the machine (and CI) has two cores.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(2);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let busy: Busy = Mutex::new(vec![None; workers]);
    let results: Mutex<Vec<Swept>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (files, options, next, done, busy, results) = (&files, &options, &next, &done, &busy, &results);
            scope.spawn(move || {
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    busy.lock().unwrap_or_else(|p| p.into_inner())[worker] = Some((path.clone(), Instant::now()));
                    let start = Instant::now();
                    let outcome = catch_unwind(AssertUnwindSafe(|| sweep_file(path, options))).map_err(|panic| {
                        panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                            .unwrap_or_default()
                    });
                    let elapsed = start.elapsed();
                    results.lock().unwrap_or_else(|p| p.into_inner()).push(Swept {
                        path: path.clone(),
                        elapsed,
                        outcome,
                    });
                }
                done.fetch_add(1, Ordering::Relaxed);
            });
        }
        scope.spawn(|| watchdog(&busy, &done, workers));
    });

    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by(|a, b| a.path.cmp(&b.path));
    let mut refused: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut files_by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    for Swept { path, outcome, .. } in &results {
        let name = path.strip_prefix(&corpus).unwrap_or(path).display().to_string();
        match outcome {
            Err(panic) => failures.push(format!("{name}: PANIC: {panic}")),
            Ok(outcome) => {
                *kinds.entry(outcome.kind.clone()).or_default() += 1;
                for rule in &outcome.rules {
                    *files_by_rule.entry(rule.clone()).or_default() += 1;
                }
                failures.extend(outcome.failures.iter().map(|failure| format!("{name}: {failure}")));
                for (file, rule) in &outcome.refusals {
                    let file = file.strip_prefix(&corpus).unwrap_or(file).display().to_string();
                    refused.entry(file).or_default().insert(rule.clone());
                }
            }
        }
    }

    let mut slowest: Vec<&Swept> = results.iter().collect();
    slowest.sort_by_key(|swept| std::cmp::Reverse(swept.elapsed));
    println!("corpus sweep: {} files in {:?} ({workers} workers)", results.len(), started.elapsed());
    println!("documents by kind:");
    for (kind, count) in &kinds {
        println!("  {count:>6}  {kind}");
    }
    println!("files with input problems, by rule:");
    for (rule, count) in &files_by_rule {
        println!("  {count:>6}  {rule}");
    }
    println!("files refused (input errors), by reason:");
    let mut by_reason: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (file, rules) in &refused {
        for rule in rules {
            let why = KNOWN_REFUSALS
                .iter()
                .find(|known| explains(known, file, rule))
                .map_or("NOT EXPLAINED", |(_, _, why)| why);
            by_reason.entry(why).or_default().push(format!("{file} ({rule})"));
        }
    }
    for (why, files) in &by_reason {
        println!("  {} file{}: {why}", files.len(), if files.len() == 1 { "" } else { "s" });
        for file in files {
            println!("      {file}");
        }
    }
    // The list is of the shared corpus: another one (OASLINT_CORPUS) is only summarised.
    if std::env::var_os("OASLINT_CORPUS").is_none() {
        failures.extend(unexplained_refusals(&refused));
    }
    println!("slowest files:");
    for Swept { path, elapsed, .. } in slowest.iter().take(5) {
        println!("  {elapsed:>10.1?}  {}", path.strip_prefix(&corpus).unwrap_or(path).display());
    }
    assert!(failures.is_empty(), "{} corpus failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn digitalocean_multi_file_spec_resolves_fully() {
    let Some(corpus) = corpus_dir() else { return };
    let root = corpus.join(DIGITALOCEAN_ROOT);
    let workspace = Workspace::load(&root, &default_options(&corpus));
    let unresolved: Vec<String> = workspace
        .findings()
        .iter()
        .filter(|finding| REF_RULES.contains(&finding.rule.as_str()))
        .map(|finding| format!("{:?} {}: {}", finding.primary, finding.rule, finding.message))
        .collect();
    assert!(unresolved.is_empty(), "{} unresolved references:\n{}", unresolved.len(), unresolved.join("\n"));
    assert!(workspace.files().len() > 1000, "only {} files were loaded", workspace.files().len());
    let DocumentKind::Root(version) = detect(&workspace) else {
        panic!("{DIGITALOCEAN_ROOT} is not detected as an OpenAPI root")
    };
    let api = Api::build(&workspace, version).expect("API view");
    assert!(api.operations.len() > 600, "only {} operations", api.operations.len());
    // Operations written as `$ref`s to other files still know their responses.
    let without_responses = api.operations.iter().filter(|op| op.responses.is_none()).count();
    assert_eq!(without_responses, 0, "operations without responses");
    println!(
        "DigitalOcean: {} files, {} operations, {} findings",
        workspace.files().len(),
        api.operations.len(),
        workspace.findings().len()
    );
}

/// DocuSign's and SendGrid's specs hold C1 control characters, Ed-Fi's comments glued to
/// quoted values: they are read (one warning a place, no input error) and linted like any
/// spec; with `yaml: {strict: true}` they are refused at the first such place.
#[test]
fn specs_yaml_refuses_but_peers_read_are_linted() {
    let Some(corpus) = corpus_dir() else { return };
    let ruleset = Ruleset::builtin("recommended").unwrap_or_else(|err| panic!("{err}"));
    for (relative, warning_rule, strict_refusal) in READ_DESPITE_A_FLAW {
        let path = corpus.join(relative);
        if !path.is_file() {
            println!("SKIPPED: {relative} is not in this corpus");
            continue;
        }
        let workspace = Workspace::load(&path, &default_options(&corpus));
        assert!(!workspace.root_failed(), "{relative} was refused: {:?}", workspace.findings());
        let input = workspace.findings();
        let warnings = input.iter().filter(|finding| finding.rule == warning_rule).count();
        assert!(warnings > 0, "{relative}: no {warning_rule} warning");
        let errors: Vec<&Finding> = input.iter().filter(|finding| finding.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{relative}: input errors {errors:?}");
        let DocumentKind::Root(version) = detect(&workspace) else { panic!("{relative} is not an OpenAPI root") };
        let api = Api::build(&workspace, version).unwrap_or_else(|| panic!("{relative}: no API view"));
        assert!(api.operations.len() > 100, "{relative}: only {} operations", api.operations.len());
        let findings = oaslint::checks::lint(&workspace, &ruleset);
        let rule_findings = findings.iter().filter(|finding| finding.category == Category::Rule).count();
        assert!(rule_findings > 0, "{relative}: no rule findings");
        println!(
            "{relative}: {} operations, {warnings} {warning_rule} warnings, {rule_findings} rule findings",
            api.operations.len()
        );

        let mut strict = default_options(&corpus);
        strict.limits = Limits { strict_yaml: true, ..Limits::default() };
        let workspace = Workspace::load(&path, &strict);
        assert!(workspace.root_failed(), "{relative}: strict YAML read it");
        let refusal = workspace.findings().first().map(|finding| (finding.rule.as_str(), finding.message.as_str()));
        assert!(
            refusal.is_some_and(|(rule, message)| rule == "invalid-syntax" && message.starts_with(strict_refusal)),
            "{relative}: {refusal:?}"
        );
    }
}
