//! Precision on real APIs, kept measured (issue 10).
//!
//! - `tests/precision/*.yaml`: minimised real-world cases, one file per idiom. Each names
//!   in its leading comments the findings it must produce and must not produce:
//!
//!   ```text
//!   # expect: recommended method-success-code /paths/~1pets/post/responses
//!   # reject: recommended method-success-code /paths/~1tasks~1{id}~1notify/post/responses
//!   # reject: ed-fi body-required *
//!   ```
//!
//!   `expect` needs a finding of the rule at the pointer under the ruleset; `reject` needs
//!   none there (`*`: none anywhere in the file). A case lints the file alone, with every
//!   check at its ruleset's severity (`off` checks do not run).
//!
//! - `tests/precision/judged.tsv`: findings on the shared corpus judged by hand (spec,
//!   pointer, rule, verdict, reason, ruleset). Every finding judged `false` must not come
//!   back, and every one judged `true` must still be produced; `noise` is recorded, not
//!   enforced. Without `../shared/corpus` (or `OASLINT_CORPUS`) this part says so and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use oaslint::checks::lint;
use oaslint::checks::ruleset::Ruleset;
use oaslint::resolve::{LoadOptions, Workspace};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

mod support;
use support::corpus_dir;

/// (pointer, rule) of every rule finding on a document under a ruleset, in the file given.
fn findings(path: &Path, base: &Path, ruleset: &Ruleset) -> BTreeSet<(String, String)> {
    let options = LoadOptions { display_base: Some(base.to_path_buf()), ..LoadOptions::default() };
    let workspace = Workspace::load(path, &options);
    lint(&workspace, ruleset)
        .into_iter()
        .filter(|finding| finding.suppression.is_none())
        // A fault of a shared definition is one finding, at the definition; it stands for
        // the response of every operation that uses it.
        .flat_map(|finding| {
            std::iter::once(finding.pointer.clone())
                .chain(finding.used_by.iter().map(|by| by.pointer.clone()))
                .map(|pointer| (pointer, finding.rule.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn ruleset(name: &str, cache: &mut BTreeMap<String, Ruleset>) -> Ruleset {
    cache
        .entry(name.to_owned())
        .or_insert_with(|| Ruleset::builtin(name).unwrap_or_else(|err| panic!("ruleset {name}: {err}")))
        .clone()
}

/// One expectation of a case file.
#[derive(Debug)]
struct Expectation {
    produce: bool,
    ruleset: String,
    rule: String,
    /// `None` for `*`: anywhere in the file.
    pointer: Option<String>,
}

fn expectations(text: &str) -> Vec<Expectation> {
    text.lines()
        .map_while(|line| line.strip_prefix('#'))
        .filter_map(|line| {
            let line = line.trim();
            let (produce, rest) = if let Some(rest) = line.strip_prefix("expect:") {
                (true, rest)
            } else {
                (false, line.strip_prefix("reject:")?)
            };
            let mut fields = rest.split_whitespace();
            let ruleset = fields.next()?.to_owned();
            let rule = fields.next()?.to_owned();
            let pointer = fields.next().filter(|pointer| *pointer != "*").map(str::to_owned);
            Some(Expectation { produce, ruleset, rule, pointer })
        })
        .collect()
}

#[test]
fn every_idiom_case_produces_what_it_must_and_nothing_it_must_not() {
    let dir = manifest_dir().join("tests/precision");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    assert!(cases.len() >= 10, "expected the idiom cases in {}", dir.display());
    let mut cache = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case).unwrap_or_default();
        let expected = expectations(&text);
        let name = case.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        assert!(
            expected.iter().any(|e| e.produce) && expected.iter().any(|e| !e.produce),
            "{name}: a case says what it must produce and what it must not"
        );
        let mut produced: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for expectation in &expected {
            let found = produced
                .entry(expectation.ruleset.clone())
                .or_insert_with(|| findings(case, &dir, &ruleset(&expectation.ruleset, &mut cache)));
            let hit = found.iter().any(|(pointer, rule)| {
                *rule == expectation.rule && expectation.pointer.as_ref().is_none_or(|wanted| wanted == pointer)
            });
            if hit != expectation.produce {
                failures.push(format!(
                    "{name}: {} {} {} {} (found: {found:?})",
                    if expectation.produce { "missing" } else { "unwanted" },
                    expectation.ruleset,
                    expectation.rule,
                    expectation.pointer.as_deref().unwrap_or("*"),
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One row of `judged.tsv`.
struct Verdict {
    spec: String,
    pointer: String,
    rule: String,
    verdict: String,
    ruleset: String,
}

fn verdicts() -> Vec<Verdict> {
    let text = std::fs::read_to_string(manifest_dir().join("tests/precision/judged.tsv")).unwrap_or_default();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1) // the header
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let column = |at: usize| columns.get(at).copied().unwrap_or("").to_owned();
            let ruleset = column(5);
            Verdict {
                spec: column(0),
                pointer: column(1),
                rule: column(2),
                verdict: column(3),
                ruleset: if ruleset.is_empty() { "recommended".to_owned() } else { ruleset },
            }
        })
        .collect()
}

#[test]
fn judged_tsv_is_well_formed() {
    let rows = verdicts();
    assert!(rows.len() >= 100, "at least 100 judged findings, found {}", rows.len());
    let mut keys = BTreeSet::new();
    for row in &rows {
        assert!(matches!(row.verdict.as_str(), "true" | "false" | "noise"), "{}: verdict {}", row.spec, row.verdict);
        assert!(oaslint::checks::check(&row.rule).is_some(), "{}: unknown rule {}", row.spec, row.rule);
        assert!(row.pointer.starts_with('/'), "{}: pointer {}", row.spec, row.pointer);
        assert!(
            keys.insert((row.spec.clone(), row.pointer.clone(), row.rule.clone(), row.ruleset.clone())),
            "{} {} {}: judged twice",
            row.spec,
            row.pointer,
            row.rule
        );
    }
}

#[test]
fn judged_findings_keep_their_verdicts() {
    let Some(corpus) = corpus_dir() else {
        println!("SKIPPED: no corpus at ../shared/corpus (set OASLINT_CORPUS): judged findings were not checked");
        return;
    };
    let rows = verdicts();
    let mut by_spec: BTreeMap<(String, String), Vec<&Verdict>> = BTreeMap::new();
    for row in &rows {
        by_spec.entry((row.spec.clone(), row.ruleset.clone())).or_default().push(row);
    }
    let mut cache = BTreeMap::new();
    let mut failures = Vec::new();
    let mut missing_specs = Vec::new();
    for ((spec, ruleset_name), rows) in &by_spec {
        let path = corpus.join(spec);
        if !path.is_file() {
            missing_specs.push(spec.clone());
            continue;
        }
        let base = path.parent().unwrap_or(&corpus).to_path_buf();
        let found = findings(&path, &base, &ruleset(ruleset_name, &mut cache));
        for row in rows {
            let produced = found.contains(&(row.pointer.clone(), row.rule.clone()));
            match (row.verdict.as_str(), produced) {
                ("false", true) => {
                    failures.push(format!("judged false, came back: {spec} {} {}", row.pointer, row.rule))
                }
                ("true", false) => failures.push(format!("judged true, gone: {spec} {} {}", row.pointer, row.rule)),
                _ => {}
            }
        }
    }
    assert!(missing_specs.is_empty(), "judged specs missing from the corpus: {missing_specs:?}");
    assert!(failures.is_empty(), "{} verdicts broken:\n{}", failures.len(), failures.join("\n"));
}
