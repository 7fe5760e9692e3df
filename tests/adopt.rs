//! Adopting oaslint on an existing API: inline suppressions, overrides and the baseline,
//! on Swagger 2.0, OpenAPI 3.0 and 3.1 and across files (`testdata/suppress/`).
//!
//! The checks run under a ruleset with only `no-body` on, so these tests do not move when
//! other checks land.

use std::path::{Path, PathBuf};

use oaslint::checks::adopt::{Baseline, DEFAULT_BASELINE_FILE, Overrides, UNUSED_SUPPRESSION};
use oaslint::checks::lint;
use oaslint::checks::ruleset::{CHECK_IDS, Ruleset};
use oaslint::finding::{Finding, Severity, SuppressionKind, sort_and_dedup};
use oaslint::resolve::{LoadOptions, Workspace};

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/suppress")
}

/// The recommended ruleset with every check but `no-body` off.
fn only_no_body() -> Ruleset {
    let mut text = String::from("extends: recommended\nchecks:\n");
    for id in CHECK_IDS.iter().filter(|id| **id != "no-body") {
        text.push_str(&format!("  {id}: off\n"));
    }
    Ruleset::from_str("only-no-body", &text).unwrap_or_else(|err| panic!("{err}"))
}

fn lint_file(root: &Path) -> (Workspace, Vec<Finding>) {
    let options = LoadOptions { display_base: Some(testdata()), ..LoadOptions::default() };
    let workspace = Workspace::load(root, &options);
    assert!(workspace.findings().is_empty(), "{}: input problems {:?}", root.display(), workspace.findings());
    let mut findings = lint(&workspace, &only_no_body());
    sort_and_dedup(&mut findings);
    (workspace, findings)
}

/// `rule subject [kind: justification]`, one per finding, sorted; the subject is the
/// operation, or the pointer of a finding about none.
fn describe(findings: &[Finding]) -> Vec<String> {
    let mut lines: Vec<String> = findings
        .iter()
        .map(|finding| {
            let subject = match &finding.operation {
                Some(operation) => format!("{} {}", operation.method, operation.path),
                None if !finding.used_by.is_empty() => {
                    let users: Vec<String> = finding.used_by.iter().map(|by| by.operation.to_string()).collect();
                    format!("shared, used by {}", users.join(", "))
                }
                None => finding.pointer.clone(),
            };
            let suppression = match &finding.suppression {
                None => String::new(),
                Some(suppression) => {
                    let kind = match suppression.kind {
                        SuppressionKind::InSource => "inSource",
                        SuppressionKind::External => "external",
                    };
                    match &suppression.justification {
                        Some(justification) => format!(" [{kind}: {justification}]"),
                        None => format!(" [{kind}]"),
                    }
                }
            };
            format!("{} {subject}{suppression}", finding.rule)
        })
        .collect();
    lines.sort();
    lines
}

const VERSIONS: [&str; 4] = ["inline-2.0.yaml", "inline-3.0.yaml", "inline-3.0.json", "inline-3.1.yaml"];

#[test]
fn inline_suppressions_on_every_version() {
    let expected = [
        "no-body DELETE /a [inSource: legacy clients read this body]",
        "no-body DELETE /b [inSource]",
        "no-body DELETE /c [inSource]",
        "no-body DELETE /d",
        "no-body DELETE /f [inSource: `x-zally-ignore: 150`]",
        "no-body DELETE /g",
        // One cause, one finding: the shared response's body, reported at the component;
        // /h's ignore covers only /h, so it stands for /i.
        "no-body shared, used by DELETE /h, DELETE /i",
        "unused-suppression /paths/~1e/get/x-oaslint-ignore/0",
        "unused-suppression /paths/~1j/x-oaslint-ignore/0",
    ];
    for fixture in VERSIONS {
        let (_, findings) = lint_file(&testdata().join(fixture));
        assert_eq!(describe(&findings), expected, "{fixture}");
        let unused: Vec<&Finding> = findings.iter().filter(|finding| finding.rule == UNUSED_SUPPRESSION).collect();
        assert!(unused.iter().all(|finding| finding.severity == Severity::Info), "{fixture}");
        assert!(unused.iter().any(|finding| finding.message.contains("`no-such-rule`")), "{fixture}");
    }
}

#[test]
fn unused_suppression_is_reported_at_the_entry() {
    let (_, findings) = lint_file(&testdata().join("inline-3.0.yaml"));
    let unused = findings
        .iter()
        .find(|finding| finding.pointer == "/paths/~1e/get/x-oaslint-ignore/0")
        .unwrap_or_else(|| panic!("no unused-suppression on /e"));
    let at = unused.primary.start();
    assert_eq!((at.line, at.column), (48, 26), "{}", unused.message);
    assert_eq!(unused.primary.file.slice(unused.primary.span), "no-body");
}

#[test]
fn an_ignore_for_a_rule_that_is_off_is_not_unused() {
    let everything_off = Ruleset::from_str(
        "off",
        &format!(
            "extends: recommended\nchecks:\n{}",
            CHECK_IDS.iter().map(|id| format!("  {id}: off\n")).collect::<String>()
        ),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let workspace = Workspace::load(&testdata().join("inline-3.1.yaml"), &LoadOptions::default());
    let findings = lint(&workspace, &everything_off);
    let rules: Vec<&str> = findings.iter().map(|finding| finding.rule.as_str()).collect();
    // Only the unknown rule id is still worth a report.
    assert_eq!(rules, [UNUSED_SUPPRESSION]);
}

#[test]
fn inline_suppressions_across_files() {
    for version in ["2.0", "3.0", "3.1"] {
        let root = testdata().join(format!("multi-{version}/openapi.yaml"));
        let (_, findings) = lint_file(&root);
        assert_eq!(
            describe(&findings),
            [
                "no-body DELETE /cats [inSource]",
                "no-body DELETE /pets [inSource]",
                // /owners ignores it, /vets does not: reported once, where the body is.
                "no-body shared, used by DELETE /owners/{id}, DELETE /vets/{id}",
                // The component ignores it itself.
                "no-body shared, used by DELETE /shops/{id} [inSource: documented quirk]",
            ],
            "{version}"
        );
        let shared = findings.iter().find(|f| f.used_by.len() == 2);
        let shared = shared.unwrap_or_else(|| panic!("{version}: no shared finding"));
        assert_eq!(shared.primary.file_name(), format!("multi-{version}/components/responses.yaml"));
        // Each operation that uses it is a related location, at its `$ref`'d response.
        let labels: Vec<&str> = shared
            .related
            .iter()
            .map(|related| related.label.as_str())
            .filter(|label| label.starts_with("used by"))
            .collect();
        assert_eq!(labels, ["used by DELETE /owners/{id} as `204`", "used by DELETE /vets/{id} as `204`"]);
    }
}

fn overrides(json: &str) -> Overrides {
    serde_json::from_str(json).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn overrides_by_operation_on_every_version() {
    let config = overrides(
        r#"[{"operations": ["DELETE /d", "DELETE /i"], "rules": {"no-body": "off"}},
                                {"paths": "/g", "rules": {"all": "warning"}}]"#,
    );
    for fixture in VERSIONS {
        let (workspace, mut findings) = lint_file(&testdata().join(fixture));
        config.apply(&mut findings, workspace.root_file().map(|file| file.as_ref()), &testdata());
        let lines = describe(&findings);
        let off = "[external: turned off by override #1 in the configuration (operations DELETE /d, DELETE /i)]";
        assert!(lines.contains(&format!("no-body DELETE /d {off}")), "{fixture}: {lines:#?}");
        // /i shares its response with /h, which the override does not name: it stays.
        assert!(lines.contains(&"no-body shared, used by DELETE /h, DELETE /i".to_owned()), "{fixture}: {lines:#?}");
        let g = findings.iter().find(|f| f.operation.as_ref().is_some_and(|op| op.path == "/g"));
        assert_eq!(g.map(|finding| finding.severity), Some(Severity::Warning), "{fixture}");
        // Inline suppressions stay as they were.
        assert!(lines.contains(&"no-body DELETE /b [inSource]".to_owned()), "{fixture}");
    }
}

#[test]
fn overrides_by_file_reach_referenced_files_and_whole_roots() {
    let root = testdata().join("multi-3.0/openapi.yaml");
    // A glob on the fragment: only findings located there.
    let (workspace, mut findings) = lint_file(&root);
    overrides(r#"[{"files": "**/components/*.yaml", "rules": {"no-body": "warning"}}]"#).apply(
        &mut findings,
        workspace.root_file().map(|file| file.as_ref()),
        &testdata(),
    );
    let warned: Vec<String> =
        describe(&findings.iter().filter(|f| f.severity == Severity::Warning).cloned().collect::<Vec<_>>());
    assert_eq!(
        warned,
        [
            "no-body shared, used by DELETE /owners/{id}, DELETE /vets/{id}",
            "no-body shared, used by DELETE /shops/{id} [inSource: documented quirk]"
        ]
    );
    // A glob on the root document: everything it reaches, in whichever file.
    let (workspace, mut findings) = lint_file(&root);
    overrides(r#"[{"files": ["multi-3.0/openapi.yaml"], "rules": {"no-body": "off"}}]"#).apply(
        &mut findings,
        workspace.root_file().map(|file| file.as_ref()),
        &testdata(),
    );
    assert!(findings.iter().all(|finding| finding.is_suppressed()), "{:#?}", describe(&findings));
    // Paths: `/vets/**` covers `/vets/{id}`; the shared response /owners uses too stays.
    let (workspace, mut findings) = lint_file(&root);
    overrides(r#"[{"paths": ["/vets/**"], "rules": {"no-body": "off"}}]"#).apply(
        &mut findings,
        workspace.root_file().map(|file| file.as_ref()),
        &testdata(),
    );
    let shared = |findings: &[Finding]| findings.iter().find(|f| f.used_by.len() == 2).cloned();
    assert!(shared(&findings).is_some_and(|finding| !finding.is_suppressed()), "{:#?}", describe(&findings));
    // Off for every operation that uses it: off.
    let (workspace, mut findings) = lint_file(&root);
    overrides(r#"[{"paths": ["/vets/**", "/owners/**"], "rules": {"no-body": "off"}}]"#).apply(
        &mut findings,
        workspace.root_file().map(|file| file.as_ref()),
        &testdata(),
    );
    assert!(shared(&findings).is_some_and(|finding| finding.is_suppressed()), "{:#?}", describe(&findings));
    // Different levels: the most severe.
    let (workspace, mut findings) = lint_file(&root);
    overrides(
        r#"[{"paths": ["/vets/**"], "rules": {"no-body": "info"}}, {"paths": ["/owners/**"], "rules": {"no-body": "warning"}}]"#,
    )
    .apply(&mut findings, workspace.root_file().map(|file| file.as_ref()), &testdata());
    assert_eq!(shared(&findings).map(|finding| finding.severity), Some(Severity::Warning));
}

#[test]
fn a_baseline_accepts_every_finding_on_every_version() {
    for fixture in VERSIONS.iter().copied().chain(["multi-2.0/openapi.yaml", "multi-3.1/openapi.yaml"]) {
        let (workspace, findings) = lint_file(&testdata().join(fixture));
        let baseline = Baseline::from_findings(&testdata(), &findings);
        let open = findings.iter().filter(|finding| !finding.is_suppressed()).count();
        assert_eq!(baseline.len(), open, "{fixture}");
        let (_, mut again) = lint_file(&testdata().join(fixture));
        let checked: Vec<&Path> = workspace.files().iter().map(|file| file.path.as_path()).collect();
        let outcome = baseline.apply(&mut again, checked);
        assert_eq!(outcome.matched, open, "{fixture}");
        assert!(outcome.stale.is_empty(), "{fixture}: {:?}", outcome.stale);
        assert!(again.iter().all(Finding::is_suppressed), "{fixture}: {:#?}", describe(&again));
    }
}

const ROUND_TRIP: &str = r#"openapi: 3.0.3
info: {title: Round trip, version: "1"}
paths:
  /a:
    delete:
      responses:
        "204":
          description: Deleted.
          content:
            application/json:
              schema: {type: object}
  /b:
    put:
      responses:
        "200":
          description: Updated.
        "204":
          description: Nothing.
          content:
            application/json:
              schema: {type: object}
  /c:
    get:
      responses:
        "304":
          description: Not modified.
          content:
            application/json:
              schema: {type: object}
"#;

/// ROUND_TRIP after an edit: lines added at the top, `/a` moved to the end, and a new bad
/// response (a 304 with a body) on `/b`.
const ROUND_TRIP_EDITED: &str = r#"openapi: 3.0.3
# A new comment,
# over several lines,
# shifts every line below.
info: {title: Round trip, version: "1"}
paths:
  /b:
    put:
      responses:
        "200":
          description: Updated.
        "204":
          description: Nothing.
          content:
            application/json:
              schema: {type: object}
        "304":
          description: Not modified.
          content:
            application/json:
              schema: {type: object}
  /c:
    get:
      responses:
        "304":
          description: Not modified.
          content:
            application/json:
              schema: {type: object}
  /a:
    delete:
      responses:
        "204":
          description: Deleted.
          content:
            application/json:
              schema: {type: object}
"#;

fn lint_dir(dir: &Path) -> (Vec<PathBuf>, Vec<Finding>) {
    let options = LoadOptions { display_base: Some(dir.to_path_buf()), ..LoadOptions::default() };
    let workspace = Workspace::load(&dir.join("openapi.yaml"), &options);
    let mut findings = lint(&workspace, &only_no_body());
    sort_and_dedup(&mut findings);
    let files = workspace.files().iter().map(|file| file.path.clone()).collect();
    (files, findings)
}

#[test]
fn baseline_round_trip_reports_exactly_the_new_finding() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let spec = dir.path().join("openapi.yaml");
    std::fs::write(&spec, ROUND_TRIP).unwrap_or_else(|err| panic!("{err}"));

    // `oaslint baseline`
    let (_, findings) = lint_dir(dir.path());
    assert_eq!(findings.len(), 3, "{:#?}", describe(&findings));
    let baseline_path = dir.path().join(DEFAULT_BASELINE_FILE);
    Baseline::from_findings(dir.path(), &findings).save(&baseline_path).unwrap_or_else(|err| panic!("{err}"));
    let text = std::fs::read_to_string(&baseline_path).unwrap_or_else(|err| panic!("{err}"));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"{"));
    assert_eq!(lines.get(1), Some(&"  \"version\": 1,"));
    assert_eq!(lines.len(), 3 + 3 + 2, "one line per entry:\n{text}");
    assert!(lines.iter().filter(|line| line.contains("\"rule\":\"no-body\"")).count() == 3, "{text}");

    // Edit: lines above, an operation moved, one new bad response.
    std::fs::write(&spec, ROUND_TRIP_EDITED).unwrap_or_else(|err| panic!("{err}"));
    let (files, mut edited) = lint_dir(dir.path());
    let old_prints: Vec<&str> = findings.iter().map(|finding| finding.fingerprint.as_str()).collect();
    let kept = edited.iter().filter(|finding| old_prints.contains(&finding.fingerprint.as_str())).count();
    assert_eq!(kept, 3, "fingerprints survive moved operations and shifted lines");

    // `oaslint lint --baseline`
    let baseline = Baseline::load(&baseline_path).unwrap_or_else(|err| panic!("{err}"));
    let outcome = baseline.apply(&mut edited, files.iter().map(PathBuf::as_path));
    assert_eq!(outcome.matched, 3);
    assert!(outcome.stale.is_empty(), "{:?}", outcome.stale);
    let new: Vec<String> =
        edited.iter().filter(|finding| !finding.is_suppressed()).map(|f| f.message.clone()).collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert!(new.iter().all(|message| message.starts_with("PUT /b: 304 Not Modified declares a body")), "{new:#?}");
    for finding in edited.iter().filter(|finding| finding.is_suppressed()) {
        let suppression = finding.suppression.as_ref();
        assert_eq!(suppression.map(|s| s.kind), Some(SuppressionKind::External));
        assert_eq!(suppression.and_then(|s| s.justification.as_deref()), Some("baseline"));
    }

    // Fixing `/a` leaves its entry stale; `--update-baseline` drops it and adds nothing.
    let fixed = ROUND_TRIP_EDITED.replace(
        "          description: Deleted.\n          content:\n            application/json:\n              schema: {type: object}\n",
        "          description: Deleted.\n",
    );
    std::fs::write(&spec, fixed).unwrap_or_else(|err| panic!("{err}"));
    let (files, mut after_fix) = lint_dir(dir.path());
    let outcome = baseline.apply(&mut after_fix, files.iter().map(PathBuf::as_path));
    assert_eq!(outcome.stale.len(), 1, "{:?}", outcome.stale);
    assert!(outcome.stale.iter().all(|entry| entry.message.starts_with("DELETE /a:")), "{:?}", outcome.stale);
    let updated = baseline.without(&outcome.stale);
    assert_eq!(updated.len(), 2);
    updated.save(&baseline_path).unwrap_or_else(|err| panic!("{err}"));
    let reloaded = Baseline::load(&baseline_path).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(reloaded, updated);
}

/// A YAML or JSON text as a `serde_json` value, read by oaslint's own parser.
fn to_json(text: &str) -> serde_json::Value {
    use oaslint::source::{NodeId, SourceFile, Tree, Value};
    fn convert(tree: &Tree, node: NodeId) -> serde_json::Value {
        match tree.value(node) {
            Value::Null => serde_json::Value::Null,
            Value::Bool(value) => serde_json::Value::Bool(value),
            Value::Number(text) => serde_json::from_str(text).unwrap_or(serde_json::Value::Null),
            Value::String(text) => serde_json::Value::String(text.to_owned()),
            Value::Sequence(items) => items.iter().map(|&item| convert(tree, item)).collect(),
            Value::Mapping(entries) => entries
                .iter()
                .map(|entry| (tree.key_text(entry).to_owned(), convert(tree, entry.value)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
    let (file, outcome) = SourceFile::from_text("doc.yaml", text);
    assert!(outcome.is_ok(), "{outcome:?}\n{text}");
    let root = file.tree.root().unwrap_or_else(|| panic!("empty"));
    convert(&file.tree, root)
}

/// The `overrides:` example of the README's "Adopting oaslint on an existing API" section
/// is valid, and means what the text says.
#[test]
fn the_documented_overrides_example_reads() {
    let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_else(|err| panic!("{err}"));
    let section = readme
        .split("\n## Adopting oaslint on an existing API\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or_else(|| panic!("no adopting section in the README"));
    let example = section
        .split("```yaml")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("overrides:"))
        .unwrap_or_else(|| panic!("no overrides example"));
    let value = to_json(example);
    let config: Overrides = serde_json::from_value(value["overrides"].clone()).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(config.entries().len(), 4);
    assert_eq!(
        config.entries().iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["files legacy/**", "operations DELETE /v1/*", "paths /internal/**", "files generated/**"]
    );
}

/// A fault of a shared response is suppressed inline when every operation that uses it
/// ignores it (or the response itself does), and the ignores count as used either way.
#[test]
fn a_shared_fault_is_suppressed_when_every_user_ignores_it() {
    let spec = |ignore_b: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    delete:\n      x-oaslint-ignore: [no-body]\n      \
             responses:\n        '204': {{$ref: '#/components/responses/Gone'}}\n  /b:\n    delete:\n{ignore_b}      \
             responses:\n        '204': {{$ref: '#/components/responses/Gone'}}\ncomponents:\n  responses:\n    Gone:\n      \
             description: d\n      content: {{application/json: {{schema: {{type: object}}}}}}\n"
        )
    };
    for (ignore_b, suppressed) in [("", false), ("      x-oaslint-ignore: [no-body]\n", true)] {
        let workspace = Workspace::from_text("api.yaml", &spec(ignore_b), None, &LoadOptions::default());
        let findings = lint(&workspace, &only_no_body());
        let lines = describe(&findings);
        let expected = if suppressed {
            "no-body shared, used by DELETE /a, DELETE /b [inSource]"
        } else {
            "no-body shared, used by DELETE /a, DELETE /b"
        };
        assert_eq!(lines, [expected], "neither ignore is unused");
    }
}
