//! The reporters at the edges of their input: lines of tens of thousands of columns (a
//! minified spec), lone-CR line breaks, and control characters from the spec (which must
//! not reach a terminal or a CI log). Documents are built in memory and linted with the
//! library, as the CLI does, then rendered.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use oaslint::checks::ruleset::Ruleset;
use oaslint::checks::{lint, rule_metas};
use oaslint::finding::{Finding, sort_and_dedup};
use oaslint::report::{Format, Run};
use oaslint::resolve::{LoadOptions, Workspace};

/// Lint one in-memory document with the recommended ruleset; findings sorted as the CLI sorts them.
fn findings_of(name: &str, text: &str) -> Vec<Finding> {
    let workspace = Workspace::from_text(name, text, None, &LoadOptions::default());
    let ruleset = Ruleset::builtin("recommended").expect("the recommended ruleset");
    let mut findings = lint(&workspace, &ruleset);
    sort_and_dedup(&mut findings);
    findings
}

fn render(format: Format, findings: &[Finding], name: &str) -> String {
    let rules = rule_metas();
    let files = vec![name.to_owned()];
    let run = Run::new(findings, &rules, &files);
    let mut out = Vec::new();
    oaslint::report::write_run(format, &run, &mut out).expect("renders");
    String::from_utf8(out).expect("UTF-8 output")
}

/// `file:line:col` of each finding, as the compact format gives them.
fn compact_positions(output: &str) -> Vec<String> {
    output.lines().filter_map(|line| line.split(": ").next().map(str::to_owned)).collect()
}

/// `file:line:col` of each snippet header (`╭─[file:line:col]`) of the human format.
fn human_headers(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|line| line.split_once("╭─[").and_then(|(_, rest)| rest.strip_suffix(']')).map(str::to_owned))
        .collect()
}

/// A one-line (minified) spec: a DELETE whose 204 is a `$ref` to a response with a body,
/// defined `gap` columns after the `$ref`.
fn minified_spec(gap: usize) -> String {
    format!(
        concat!(
            r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"#,
            r#""paths":{{"/items/{{id}}":{{"delete":{{"parameters":[{{"name":"id","in":"path","required":true,"schema":{{"type":"string"}}}}],"#,
            r##""responses":{{"204":{{"$ref":"#/components/responses/Gone"}}}}}}}}}},"##,
            r#""x-padding":"{}","#,
            r#""components":{{"responses":{{"Gone":{{"description":"gone","content":{{"application/json":{{"schema":{{"type":"object"}}}}}}}}}}}}}}"#
        ),
        "x".repeat(gap)
    )
}

#[test]
fn human_output_windows_lines_longer_than_a_formatter_can_pad() {
    let text = minified_spec(90_000);
    let findings = findings_of("min.json", &text);
    assert!(findings.iter().any(|finding| finding.rule == "no-body"), "{findings:#?}");
    let no_body = findings.iter().find(|finding| finding.rule == "no-body").expect("no-body");
    assert!(no_body.primary.start().column > 90_000, "the finding sits past column 65,535");
    // Before windowing, this panicked in miette ("Formatting argument out of range").
    let output = catch_unwind(AssertUnwindSafe(|| render(Format::HUMAN, &findings, "min.json")))
        .unwrap_or_else(|_| panic!("the human output panicked"));
    let widest = output.lines().map(|line| line.chars().count()).max().unwrap_or(0);
    assert!(widest < 400, "a line of {widest} characters was printed");
    // The headers give the true positions, as the compact format does.
    let compact = compact_positions(&render(Format::COMPACT, &findings, "min.json"));
    let headers = human_headers(&output);
    for position in &compact {
        assert!(headers.contains(position), "{position} is not a header: {headers:?}");
    }
    insta::assert_snapshot!("human_long_line", output);
}

/// A span too wide to underline on a long line (a whole minified response) is underlined at
/// its start, and two labels far apart on one line get a window each.
#[test]
fn human_output_cuts_wide_spans_on_long_lines() {
    let text = minified_spec(70_000).replacen(r#""description":"gone","#, r#""description":"gone","x-note":"y","#, 1);
    let findings = findings_of("min.json", &text);
    let output = render(Format::HUMAN, &findings, "min.json");
    for line in output.lines() {
        assert!(line.chars().count() < 400, "a line of {} characters", line.chars().count());
    }
    assert!(output.contains('…'), "the cut is marked");
}

#[test]
fn human_output_counts_lone_cr_lines_as_the_compact_output_does() {
    let text = [
        "openapi: 3.0.3",
        "info: {title: t, version: '1'}",
        "paths:",
        "  /items/{id}:",
        "    delete:",
        "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]",
        "      responses:",
        "        '204':",
        "          description: gone",
        "          content: {application/json: {schema: {type: object}}}",
        "",
    ]
    .join("\r");
    let findings = findings_of("cr.yaml", &text);
    assert!(!findings.is_empty());
    let output = render(Format::HUMAN, &findings, "cr.yaml");
    assert!(!output.contains('\r'), "a lone CR reached the output");
    let compact = compact_positions(&render(Format::COMPACT, &findings, "cr.yaml"));
    assert_eq!(human_headers(&output), compact);
    // The gutter's line numbers agree too: line 10 shows line 10's text.
    assert!(output.contains("10 │           content: {application/json"), "{output}");
    insta::assert_snapshot!("human_lone_cr", output);
}

/// Escape sequences in the spec (a decoded `\u001b` or C1 `\u009b` in a path, a raw ESC in a
/// broken file) are shown escaped in every format: they must not drive the terminal or the
/// CI log a report is printed to (JSON and SARIF escape them as `\u001b`, `\u009b`).
#[test]
fn control_characters_from_the_spec_do_not_reach_the_output() {
    let decoded = concat!(
        r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a\u001b[2J\u0007\u009b31m,x:y\r\n%":"#,
        r#"{"delete":{"responses":{"204":{"description":"d\u001b]0;pwned\u0007","content":{"text/plain":{}}}}}}}}"#
    );
    let raw = "openapi: 3.0.3\ninfo: {title: \"t\u{1b}[31m\", version: '1'}\npaths: {}\n";
    let broken_json = "{\"openapi\": \"3.0.3\u{1b}[2J\u{7}\"}";
    for (name, text) in [("decoded.json", decoded), ("raw.yaml", raw), ("broken.json", broken_json)] {
        let findings = findings_of(name, text);
        assert!(!findings.is_empty(), "{name}: no findings");
        for format in Format::all() {
            let output = render(format, &findings, name);
            let control = output.chars().find(|&c| c.is_control() && c != '\n');
            assert_eq!(control, None, "{name}: -f {format} printed a control character:\n{output}");
        }
        let github = render(Format::GITHUB, &findings, name);
        assert_eq!(github.lines().count(), findings.len(), "{name}: one annotation a finding:\n{github}");
    }
    let github = render(Format::GITHUB, &findings_of("decoded.json", decoded), "decoded.json");
    assert!(github.contains(r"\u{1b}[2J\u{7}\u{9b}31m,x:y%0D%0A%25"), "{github}");
}

/// The corpus's minified and long-lined JSON specs render in the human format (the binary
/// over every `.json` of the corpus is `scripts/human-output-sweep.sh`). Skips without the corpus.
#[test]
fn human_output_renders_the_corpus_long_line_specs() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!("SKIPPED: corpus not found at {}", corpus.display());
        return;
    }
    let long_lined: Vec<PathBuf> = [
        "directory/v2/specs/probely.com/1.2.0/openapi.json",
        "directory/v2/specs/phantauth.net/1.0.0/openapi.json",
        "directory/v2/specs/taggun.io/1.5.74/swagger.json",
        "directory/v2/specs/azure.com/sql-databases/2017-03-01-preview/swagger.json",
    ]
    .iter()
    .map(|path| corpus.join(path))
    .filter(|path| path.is_file())
    .collect();
    let ruleset = Ruleset::builtin("recommended").expect("the recommended ruleset");
    let rules = rule_metas();
    for path in &long_lined {
        let workspace = Workspace::load(path, &LoadOptions::default());
        let mut findings = lint(&workspace, &ruleset);
        sort_and_dedup(&mut findings);
        let files: Vec<String> = workspace.files().iter().map(|file| file.name.clone()).collect();
        let run = Run::new(&findings, &rules, &files);
        let mut out = Vec::new();
        let rendered = catch_unwind(AssertUnwindSafe(|| oaslint::report::write_run(Format::HUMAN, &run, &mut out)));
        assert!(matches!(rendered, Ok(Ok(()))), "{}: the human output failed", path.display());
        let text = String::from_utf8_lossy(&out);
        let widest = text.lines().map(|line| line.chars().count()).max().unwrap_or(0);
        assert!(widest < 2_000, "{}: a line of {widest} characters", path.display());
    }
    println!("rendered {} long-lined corpus specs", long_lined.len());
}
