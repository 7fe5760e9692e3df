use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::{HtmlReporter, SCRIPT, STYLE, base64, csp_hash, cut_line, file_href, script_json};
use crate::checks::lint_api;
use crate::checks::ruleset::Ruleset;
use crate::finding::sort_and_dedup;
use crate::pipeline::ResponseMap;
use crate::report::fixtures::{AWKWARD_MESSAGE, Fixture, render};
use crate::report::{Counts, Format, Reporter, RunEnd, RunInfo, Summary};
use crate::resolve::{LoadOptions, Workspace};

/// Every state a cell can be in, a finding inside a `$ref`'d response, a finding of no
/// operation, and text that would run as script if it were ever read as markup.
const SPEC: &str = "\
openapi: 3.0.3
info: {title: '</script><script>document.title = \"pwned\"</script>', version: '1'}
tags: [{name: pets}]
paths:
  /pets:
    post:
      tags: [pets]
      operationId: createPet
      summary: <img src=x onerror=alert(1)>
      responses:
        '200': {description: '<script>alert(1)</script>'}
        '304': {description: Not modified}
  /pets/{id}:
    delete:
      tags: [pets]
      responses:
        '204': {$ref: '#/components/responses/Deleted'}
        '404': {description: No such pet}
  /health:
    get:
      responses:
        '200': {description: OK}
components:
  responses:
    Deleted:
      description: Deleted
      content:
        application/json: {schema: {type: object}}
";

/// The report of one document, as the command line streams it.
fn report(name: &str, spec: &str) -> String {
    let workspace = Workspace::from_text(name, spec, None, &LoadOptions::default());
    let ruleset = Ruleset::builtin("recommended").unwrap_or_else(|err| panic!("{err}"));
    let (mut findings, api) = lint_api(&workspace, &ruleset);
    sort_and_dedup(&mut findings);
    let map = ResponseMap::build(&workspace, api.as_ref());
    let rules = crate::checks::rule_metas();
    let info = RunInfo {
        tool_version: "0.0.0-test",
        source_root: Some(Path::new("/work/project")),
        ruleset: Some("recommended"),
        ..RunInfo::new(&rules)
    };
    let mut counts = Counts::default();
    counts.count(&findings);
    let files = vec![name.to_owned()];
    let end = RunEnd {
        files: &files,
        summary: Summary { files: 1, ..counts.summary },
        by_rule: counts.by_rule(),
        elapsed: Duration::from_millis(5),
        exit_code: 1,
        omitted: 0,
        absent: Vec::new(),
        fixes: None,
        fixable: counts.fixable,
    };
    let mut reporter = HtmlReporter::default();
    let mut out = Vec::new();
    reporter.begin(&info, &mut out).unwrap();
    reporter.document(&info, &map, &mut out).unwrap();
    reporter.findings(&info, &findings, &mut out).unwrap();
    reporter.end(&info, &end, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The JSON of each `<script type="application/json">` of a report.
fn blobs(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/json\"")
        .skip(1)
        .map(|rest| {
            let start = rest.find('>').unwrap() + 1;
            let end = rest.find("</script>").unwrap();
            serde_json::from_str(&rest[start..end]).unwrap()
        })
        .collect()
}

/// The report without its style and script (their own files), its JSON indented, for
/// snapshots.
fn skeleton(html: &str) -> String {
    let html = html
        .replace(STYLE, "/* page.css */")
        .replace(SCRIPT, "/* page.js */")
        .replace(&csp_hash(STYLE), "sha256-STYLE")
        .replace(&csp_hash(SCRIPT), "sha256-SCRIPT");
    let mut parts = html.split("<script type=\"application/json\"");
    let mut out = parts.next().unwrap().to_owned();
    for part in parts {
        let start = part.find('>').unwrap() + 1;
        let end = part.find("</script>").unwrap();
        let value: Value = serde_json::from_str(&part[start..end]).unwrap();
        out.push_str("<script type=\"application/json\"");
        out.push_str(&part[..start]);
        out.push_str(&serde_json::to_string_pretty(&value).unwrap());
        out.push_str(&part[end..]);
    }
    out
}

#[test]
fn each_finding_marks_the_cell_it_concerns() {
    let html = report("api.yaml", SPEC);
    let blobs = blobs(&html);
    assert_eq!(blobs.len(), 2, "one document, then the run");
    let document = &blobs[0];
    let operations: Vec<String> = document["ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| format!("{} {}", op["m"].as_str().unwrap(), op["p"].as_str().unwrap()))
        .collect();
    assert_eq!(operations, ["POST /pets", "DELETE /pets/{id}", "GET /health"]);
    // Rule, operation, cell and state of each finding.
    let mut cells: Vec<String> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|finding| {
            let rule = finding["r"].as_str().unwrap_or("-").to_owned();
            let cells = finding["a"].as_array().cloned().unwrap_or_default();
            if cells.is_empty() {
                return vec![format!("{rule} - - -")];
            }
            cells
                .iter()
                .map(|cell| {
                    let text = |value: &Value| value.as_str().map_or("-".to_owned(), str::to_owned);
                    let operation = cell[0].as_u64().map_or("-".to_owned(), |index| index.to_string());
                    format!("{rule} {operation} {} {}", text(&cell[1]), text(&cell[2]))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    cells.sort();
    // A creating POST without 201: missing; 304 on a POST: declared but not allowed; a
    // body on a 204 written under `components` but `$ref`'d from the DELETE's 204; a 200
    // without a body on each operation that declares one.
    assert_eq!(
        cells,
        [
            "body-required 0 200 -",
            "body-required 2 200 -",
            "code-allowed-for-method 0 304 disallowed",
            "method-success-code 0 201 missing",
            "no-body 1 204 -",
        ]
    );
    // The no-body finding's excerpt is its own file's text around its line.
    let no_body = document["findings"].as_array().unwrap().iter().find(|finding| finding["r"] == "no-body").unwrap();
    let excerpt = &document["excerpts"][no_body["e"].as_u64().unwrap() as usize];
    let line = no_body["l"].as_u64().unwrap();
    let first = excerpt[0].as_u64().unwrap();
    assert_eq!(excerpt[1][(line - first) as usize], "      content:");
    assert_eq!(no_body["mk"], serde_json::json!([6, 13]));
    assert_eq!(document["reasons"]["304"], "Not Modified");
    assert_eq!(document["hrefs"][0], "file:///work/project/api.yaml");
    let run = &blobs[1];
    assert_eq!(run["ruleset"], "recommended");
    assert_eq!(run["documents"], 1);
}

#[test]
fn nothing_from_the_spec_is_markup() {
    let html = report("api.yaml", SPEC);
    // The page's own elements only: two blobs and one script.
    assert_eq!(html.matches("<script").count(), 3, "{html}");
    assert_eq!(html.matches("</script>").count(), 3);
    assert!(!html.contains("<img"));
    assert!(html.contains(r#"\u003c/script\u003e\u003cscript\u003edocument.title = \"pwned\"\u003c/script\u003e"#));
    // The text is intact once the page reads it.
    let blobs = blobs(&html);
    assert_eq!(blobs[0]["title"], "</script><script>document.title = \"pwned\"</script>");
    assert_eq!(blobs[0]["ops"][0]["s"], "<img src=x onerror=alert(1)>");
    assert_eq!(blobs[0]["ops"][0]["r"][0]["d"], "<script>alert(1)</script>");
}

#[test]
fn the_policy_allows_exactly_the_page_s_own_style_and_script() {
    let html = report("api.yaml", SPEC);
    let inline = |open: &str, close: &str| {
        let start = html.find(open).unwrap() + open.len();
        let end = start + html[start..].find(close).unwrap();
        html[start..end].to_owned()
    };
    let style = inline("<style>", "</style>");
    let script = inline("<script>", "</script>");
    let policy = inline("Content-Security-Policy\" content=\"", "\"");
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    assert!(policy.contains(&format!("style-src '{}'", csp_hash(&style))), "{policy}");
    assert!(policy.contains(&format!("script-src '{}'", csp_hash(&script))), "{policy}");
}

#[test]
fn html() {
    insta::assert_snapshot!(skeleton(&report("api.yaml", SPEC)));
}

/// The shared findings, streamed without response maps (as `write_run` does): every
/// finding is listed with the files of no document, escaped.
#[test]
fn html_without_maps() {
    let fixture = Fixture::new();
    let html = render(Format::HTML, &fixture.run());
    let blobs = blobs(&html);
    assert_eq!(blobs.len(), 2);
    assert_eq!(blobs[0]["other"], true);
    let messages: Vec<&str> =
        blobs[0]["findings"].as_array().unwrap().iter().map(|f| f["m"].as_str().unwrap()).collect();
    assert!(messages.contains(&AWKWARD_MESSAGE));
    assert_eq!(blobs[0]["findings"].as_array().unwrap().len(), fixture.findings.len());
    assert!(!html.contains("<English>"));
    insta::assert_snapshot!(skeleton(&html));
}

#[test]
fn an_empty_run_is_a_page_with_nothing_found() {
    let html = render(Format::HTML, &crate::report::fixtures::empty_run(&crate::report::fixtures::clean_files()));
    let blobs = blobs(&html);
    assert_eq!(blobs.len(), 1, "the run alone");
    assert_eq!(blobs[0]["summary"]["files"], 1);
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn helpers() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(
        script_json(&"</script><!-- & \u{2028}").ok().as_deref(),
        Some(r#""\u003c/script\u003e\u003c!-- \u0026 \u2028""#)
    );
    assert_eq!(file_href(Some(Path::new("/w/p")), "api/a b.yaml").as_deref(), Some("file:///w/p/api/a%20b.yaml"));
    assert_eq!(file_href(Some(Path::new("/w/p")), "/abs/x.yaml").as_deref(), Some("file:///abs/x.yaml"));
    assert_eq!(file_href(None, "javascript:x").as_deref(), Some("./javascript%3Ax"));
    assert_eq!(file_href(None, "<stdin>"), None);
    assert_eq!(cut_line("ab\u{1b}c", 0), "ab\u{FFFD}c");
    let long = "x".repeat(300);
    let cut = cut_line(&long, 100);
    assert!(cut.starts_with('…') && cut.ends_with('…'));
    assert_eq!(cut.chars().count(), 162);
}

/// A finding far along a long line (a minified spec) shows the text around it, marked.
#[test]
fn a_long_line_is_cut_around_the_finding() {
    let padding = "x".repeat(400);
    let spec = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"{padding}\", \"version\": \"1\"}}, \"paths\": {{\"/a\": {{\"delete\": {{\"responses\": {{\"204\": {{\"description\": \"d\", \"content\": {{\"application/json\": {{}}}}}}}}}}}}}}}}"
    );
    let html = report("min.json", &spec);
    let blobs = blobs(&html);
    let finding = blobs[0]["findings"].as_array().unwrap().iter().find(|f| f["r"] == "no-body").unwrap().clone();
    let excerpt = &blobs[0]["excerpts"][finding["e"].as_u64().unwrap() as usize];
    let line: Vec<char> = excerpt[1][0].as_str().unwrap().chars().collect();
    assert!(line.len() <= 162, "{}", line.len());
    let mark = (finding["mk"][0].as_u64().unwrap() as usize, finding["mk"][1].as_u64().unwrap() as usize);
    let marked: String = line[mark.0..mark.1].iter().collect();
    assert_eq!(marked, "\"content\"");
}
