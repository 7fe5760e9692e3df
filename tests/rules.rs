//! Every check against its fixtures in `testdata/rules/<check-id>/`, under every
//! built-in ruleset.
//!
//! A check's folder holds `good-<version>` and `bad-<version>` fixtures for Swagger 2.0,
//! OpenAPI 3.0 and 3.1 (`good-3.0.yaml`, `bad-2.0.json`, `bad-3.1-ed-fi.yaml`, …); a
//! fixture may be a folder whose root is `openapi.yaml` or `openapi.json`, for `$ref`s
//! into other files (every check has at least one such bad fixture, and it must yield a
//! finding located in, or related to, a file other than its root). The check runs
//! forced on at its default severity, so each ruleset's table is exercised even where
//! the ruleset turns the check off. A good fixture yields nothing under any ruleset; a
//! bad one yields at least one finding; the exact findings (positions, messages, related
//! locations) of every fixture under every ruleset are snapshots in `tests/snapshots/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oaslint::checks::ruleset::{BUILTIN_NAMES, CHECK_IDS, Ruleset};
use oaslint::checks::{check, run_checks};
use oaslint::model::{Api, DocumentKind, detect};
use oaslint::resolve::{LoadOptions, Workspace};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures of one check: (name, path of the root document).
fn fixtures(check_id: &str) -> Vec<(String, PathBuf)> {
    let dir = manifest_dir().join("testdata/rules").join(check_id);
    let mut fixtures: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .filter_map(|entry| {
                    let name = entry.file_name().into_string().ok()?;
                    let path = entry.path();
                    if path.is_dir() {
                        let root =
                            ["openapi.yaml", "openapi.json"].iter().map(|root| path.join(root)).find(|p| p.exists())?;
                        Some((name, root))
                    } else {
                        let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem).to_owned();
                        Some((stem, path))
                    }
                })
                .filter(|(name, _)| name.starts_with("good-") || name.starts_with("bad-"))
                .collect()
        })
        .unwrap_or_default();
    fixtures.sort();
    fixtures
}

/// What one check found on one fixture under one ruleset.
struct Linted {
    count: usize,
    /// One line each (plus help and related lines): the snapshot's text.
    text: String,
    /// How many findings are located in, or point to, a file other than the root: what a
    /// multi-file fixture is for.
    beyond_root: usize,
}

/// The findings of one check on one fixture under one ruleset.
fn lint_fixture(check_id: &str, root: &Path, ruleset: &Ruleset) -> Linted {
    let options = LoadOptions { display_base: Some(manifest_dir()), ..LoadOptions::default() };
    let workspace = Workspace::load(root, &options);
    let problems: Vec<String> = workspace.findings().iter().map(|f| format!("{:?} {}", f.primary, f.message)).collect();
    assert!(problems.is_empty(), "{}: input problems: {problems:?}", root.display());
    let DocumentKind::Root(version) = detect(&workspace) else { panic!("{}: not an OpenAPI root", root.display()) };
    let api = Api::build(&workspace, version).unwrap_or_else(|| panic!("{}: no API view", root.display()));
    let check = check(check_id).unwrap_or_else(|| panic!("no check {check_id}"));
    let mut findings = run_checks(&workspace, &api, ruleset, &[check], &|meta| Some(meta.default_severity));
    oaslint::finding::sort_and_dedup(&mut findings);
    let root_name = root.strip_prefix(manifest_dir()).unwrap_or(root).to_string_lossy().into_owned();
    let beyond_root = findings
        .iter()
        .filter(|finding| {
            std::iter::once(&finding.primary)
                .chain(finding.related.iter().map(|related| &related.location))
                .any(|location| location.file_name() != root_name)
        })
        .count();
    let mut out = String::new();
    for finding in &findings {
        assert_eq!(finding.rule, check_id);
        let at = finding.primary.start();
        let _ = writeln!(out, "{}:{}:{} {}", finding.primary.file_name(), at.line, at.column, finding.message);
        if let Some(help) = &finding.help {
            let _ = writeln!(out, "  help: {help}");
        }
        for related in &finding.related {
            let at = related.location.start();
            let _ =
                writeln!(out, "  related {}:{}:{} {}", related.location.file_name(), at.line, at.column, related.label);
        }
    }
    Linted { count: findings.len(), text: out, beyond_root }
}

#[test]
fn every_check_has_fixtures_for_every_version() {
    let mut missing = Vec::new();
    for &id in CHECK_IDS.iter() {
        if check(id).is_none() {
            continue; // Not written yet: `every_check_id_is_implemented` says so.
        }
        let names: Vec<String> = fixtures(id).into_iter().map(|(name, _)| name).collect();
        for kind in ["good", "bad"] {
            for version in ["2.0", "3.0", "3.1"] {
                let prefix = format!("{kind}-{version}");
                if !names.iter().any(|name| name.starts_with(&prefix)) {
                    missing.push(format!("{id}/{prefix}"));
                }
            }
        }
        let multi_file = manifest_dir().join("testdata/rules").join(id);
        let has_multi_file = std::fs::read_dir(multi_file)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .any(|e| e.path().is_dir() && e.file_name().to_string_lossy().starts_with("bad-"))
            })
            .unwrap_or(false);
        if !has_multi_file {
            missing.push(format!("{id}/bad-*/ (a multi-file fixture)"));
        }
    }
    assert!(missing.is_empty(), "missing fixtures: {missing:?}");
}

#[test]
fn every_check_id_is_implemented() {
    let missing: Vec<&str> = CHECK_IDS.iter().copied().filter(|id| check(id).is_none()).collect();
    assert!(missing.is_empty(), "checks not implemented yet: {missing:?}");
}

#[test]
fn fixtures_under_every_builtin_ruleset() {
    let rulesets: Vec<Ruleset> =
        BUILTIN_NAMES.iter().map(|name| Ruleset::builtin(name).unwrap_or_else(|err| panic!("{name}: {err}"))).collect();
    let mut failures = Vec::new();
    for &id in CHECK_IDS.iter() {
        if check(id).is_none() {
            continue;
        }
        for (name, root) in fixtures(id) {
            let multi_file = root.parent().is_some_and(|dir| dir.file_name() == Some(name.as_ref()));
            let mut snapshot = String::new();
            let (mut total, mut beyond_root) = (0, 0);
            for ruleset in &rulesets {
                let linted = lint_fixture(id, &root, ruleset);
                total += linted.count;
                beyond_root += linted.beyond_root;
                if name.starts_with("good-") && linted.count > 0 {
                    failures.push(format!(
                        "{id}/{name} under {}: expected no finding, got:\n{}",
                        ruleset.name(),
                        linted.text
                    ));
                }
                let _ = writeln!(snapshot, "[{}]\n{}", ruleset.name(), linted.text);
            }
            if name.starts_with("bad-") && total == 0 {
                failures.push(format!("{id}/{name}: expected findings under some ruleset, got none"));
            }
            if name.starts_with("bad-") && multi_file && beyond_root == 0 {
                failures.push(format!(
                    "{id}/{name}: a multi-file fixture must yield a finding located in, or related to, a file \
                     other than its root"
                ));
            }
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(format!("{id}__{name}"), snapshot);
            });
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A check's declaration says whether it fixes, and how safely: on the bad fixtures under
/// every built-in ruleset, a check that declares a fix gives one at least once, every fix
/// given is of the declared kind, and its edits apply and leave files that parse.
#[test]
fn declared_fixes_are_the_fixes_given() {
    use std::collections::BTreeMap;
    let rulesets: Vec<Ruleset> =
        BUILTIN_NAMES.iter().map(|name| Ruleset::builtin(name).unwrap_or_else(|err| panic!("{name}: {err}"))).collect();
    let mut problems = Vec::new();
    for &id in CHECK_IDS.iter() {
        let Some(check) = check(id) else { continue };
        let declared = check.meta().fix.map(|fix| fix.applicability);
        let mut given = 0;
        for (name, root) in fixtures(id).into_iter().filter(|(name, _)| name.starts_with("bad-")) {
            for ruleset in &rulesets {
                let options = LoadOptions { display_base: Some(manifest_dir()), ..LoadOptions::default() };
                let workspace = Workspace::load(&root, &options);
                let DocumentKind::Root(version) = detect(&workspace) else { continue };
                let Some(api) = Api::build(&workspace, version) else { continue };
                let findings = run_checks(&workspace, &api, ruleset, &[check], &|meta| Some(meta.default_severity));
                for fix in findings.iter().filter_map(|finding| finding.fix.as_ref()) {
                    given += 1;
                    if Some(fix.applicability) != declared {
                        problems.push(format!(
                            "{id}/{name} ({}): a {:?} fix, declared {declared:?}",
                            ruleset.name(),
                            fix.applicability
                        ));
                    }
                    let mut by_file: BTreeMap<String, (String, Vec<oaslint::source::edit::TextEdit>)> = BTreeMap::new();
                    for edit in &fix.edits {
                        by_file
                            .entry(edit.at.file.name.clone())
                            .or_insert_with(|| (edit.at.file.text().to_owned(), Vec::new()))
                            .1
                            .push(oaslint::source::edit::TextEdit { span: edit.at.span, text: edit.text.clone() });
                    }
                    for (file, (text, edits)) in by_file {
                        match oaslint::source::edit::apply(&text, &edits) {
                            Ok(fixed) => {
                                if let Err(err) = oaslint::source::SourceFile::from_text(&file, &fixed).1 {
                                    problems.push(format!(
                                        "{id}/{name}: `{}` leaves {file} unparsable: {}",
                                        fix.title, err.message
                                    ));
                                }
                            }
                            Err(err) => problems.push(format!("{id}/{name}: `{}` does not apply: {err}", fix.title)),
                        }
                    }
                }
            }
        }
        if declared.is_some() && given == 0 {
            problems.push(format!("{id} declares a fix but gives none on its bad fixtures"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
