//! The JSON report: a versioned schema, documented in `docs/json-output.md` and described
//! by `docs/json-output.schema.json`. Bump [`JSON_SCHEMA_VERSION`] on any change that is
//! not a pure addition.

use std::io;

use serde::Serialize;

use crate::finding::{Category, Finding, Location, Severity, Suppression};
use crate::report::text::pretty_json;
use crate::report::{Reporter, RunEnd, RunInfo, Summary};

pub const JSON_SCHEMA_VERSION: u32 = 1;

/// Streams: the header, then each finding as it comes, then the files and the summary
/// (JSON objects are unordered, so readers see the same document as if written at once).
#[derive(Default)]
pub struct JsonReporter {
    /// How many findings were written so far (a comma goes before every one but the first).
    written: usize,
}

/// The indentation of a finding inside `"findings": [`.
const FINDING_INDENT: &[u8] = b"\n    ";

impl Reporter for JsonReporter {
    fn begin(&mut self, run: &RunInfo<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        let tool = pretty_json(&Tool { name: "oaslint", version: run.tool_version })?;
        write!(out, "{{\n  \"version\": {JSON_SCHEMA_VERSION},\n  \"tool\": ")?;
        write_indented(out, &tool, b"\n  ")?;
        out.write_all(b",\n  \"findings\": [")
    }

    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
        for finding in findings.iter().filter(|finding| run.shows(finding)) {
            out.write_all(if self.written == 0 { b"" } else { b"," })?;
            out.write_all(FINDING_INDENT)?;
            let text = pretty_json(&JsonFinding::new(finding))?;
            write_indented(out, &text, FINDING_INDENT)?;
            self.written += 1;
        }
        Ok(())
    }

    fn end(&mut self, _run: &RunInfo<'_>, end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"],\n  \"files\": " } else { b"\n  ],\n  \"files\": " })?;
        let files: Vec<&str> = end.files.iter().map(String::as_str).collect();
        write_indented(out, &pretty_json(&files)?, b"\n  ")?;
        out.write_all(b",\n  \"summary\": ")?;
        let summary = JsonSummary {
            counts: end.summary,
            exit_code: end.exit_code,
            elapsed_ms: u64::try_from(end.elapsed.as_millis()).unwrap_or(u64::MAX),
            omitted: end.omitted,
        };
        write_indented(out, &pretty_json(&summary)?, b"\n  ")?;
        out.write_all(b"\n}\n")
    }
}

/// Write pretty-printed JSON nested deeper: every line break is followed by `indent`.
/// JSON strings escape their line breaks, so every `\n` in the text is structure.
pub(crate) fn write_indented(out: &mut dyn io::Write, json: &str, indent: &[u8]) -> io::Result<()> {
    let mut lines = json.split('\n');
    if let Some(first) = lines.next() {
        out.write_all(first.as_bytes())?;
    }
    for line in lines {
        out.write_all(indent)?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    category: &'static str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    start: Position,
    end: Position,
    pointer: &'a str,
    ref_chain: Vec<RefLink<'a>>,
    fingerprint: &'a str,
    suppression: Option<&'a Suppression>,
    operation: Option<Operation<'a>>,
    /// A fault of a definition several operations share: each of them (one finding).
    used_by: Vec<Operation<'a>>,
    /// The change that resolves it, where the check knows one.
    fix: Option<JsonFix<'a>>,
}

/// A fix: text edits by file, as `oaslint lint --fix` would apply them.
#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    /// `safe` (documentation only) or `unsafe` (it changes the contract).
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

/// Replace the text from `start` to `end` (exclusive; equal: insert) of `file` with `text`.
#[derive(Serialize)]
struct JsonEdit<'a> {
    file: &'a str,
    start: Position,
    end: Position,
    text: &'a str,
}

impl<'a> JsonFinding<'a> {
    fn new(finding: &'a Finding) -> JsonFinding<'a> {
        JsonFinding {
            rule: &finding.rule,
            category: match finding.category {
                Category::Input => "input",
                Category::Rule => "rule",
            },
            severity: finding.severity,
            message: &finding.message,
            help: finding.help.as_deref(),
            file: finding.primary.file_name(),
            start: Position::start_of(&finding.primary),
            end: Position::end_of(&finding.primary),
            pointer: &finding.pointer,
            ref_chain: finding
                .related
                .iter()
                .map(|related| {
                    let start = related.location.start();
                    RefLink {
                        file: related.location.file_name(),
                        line: start.line,
                        column: start.column,
                        label: &related.label,
                    }
                })
                .collect(),
            fingerprint: &finding.fingerprint,
            suppression: finding.suppression.as_ref(),
            operation: finding
                .operation
                .as_ref()
                .map(|operation| Operation { method: &operation.method, path: &operation.path }),
            used_by: finding
                .used_by
                .iter()
                .map(|by| Operation { method: &by.operation.method, path: &by.operation.path })
                .collect(),
            fix: finding.fix.as_ref().map(|fix| JsonFix {
                title: &fix.title,
                applicability: match fix.applicability {
                    crate::finding::Applicability::Safe => "safe",
                    crate::finding::Applicability::Unsafe => "unsafe",
                },
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| JsonEdit {
                        file: edit.at.file_name(),
                        start: Position::start_of(&edit.at),
                        end: Position::end_of(&edit.at),
                        text: &edit.text,
                    })
                    .collect(),
            }),
        }
    }
}

/// The operation a finding is about: `GET` and `/pets` (or a webhook's name).
#[derive(Serialize)]
struct Operation<'a> {
    method: &'a str,
    path: &'a str,
}

/// 1-based line and column (in Unicode code points), and the 0-based byte offset.
#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
    offset: u32,
}

impl Position {
    fn start_of(location: &Location) -> Position {
        let at = location.start();
        Position { line: at.line, column: at.column, offset: location.span.start }
    }

    fn end_of(location: &Location) -> Position {
        let at = location.end();
        Position { line: at.line, column: at.column, offset: location.span.end }
    }
}

#[derive(Serialize)]
struct RefLink<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    label: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Summary,
    exit_code: i32,
    elapsed_ms: u64,
    /// Findings not listed because of `--max-problems` (counted above).
    omitted: usize,
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::report::Format;
    use crate::report::fixtures::{Fixture, clean_files, empty_run, render};

    const SCHEMA: &str = include_str!("../../docs/json-output.schema.json");
    const DOCS: &str = include_str!("../../docs/json-output.md");

    fn keys(value: &Value) -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn json() {
        let fixture = Fixture::new();
        let output = render(Format::JSON, &fixture.run());
        let report: Value = serde_json::from_str(&output).unwrap();
        assert_eq!(report["version"], 1);
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(findings.len(), fixture.findings.len());

        // Fields computed from text positions, not copied: the non-ASCII line's column
        // counts code points, and offsets address the text.
        let summary_style = findings.iter().find(|finding| finding["rule"] == "summary-style").unwrap();
        assert_eq!(summary_style["start"]["line"], 8);
        assert_eq!(summary_style["start"]["column"], 33);
        assert_eq!(summary_style["end"]["column"], 39);
        assert_eq!(summary_style["message"], crate::report::fixtures::AWKWARD_MESSAGE);
        let start = summary_style["start"]["offset"].as_u64().unwrap() as usize;
        let end = summary_style["end"]["offset"].as_u64().unwrap() as usize;
        assert_eq!(&crate::report::fixtures::OPENAPI_YAML[start..end], "größer");

        let described = findings.iter().find(|finding| finding["rule"] == "description-style").unwrap();
        assert_eq!(described["file"], "api/components.yaml");
        assert_eq!(described["ref_chain"][1]["file"], "api/openapi.yaml");
        assert_eq!(described["ref_chain"][1]["line"], 11);

        let suppressed: Vec<_> = findings
            .iter()
            .filter(|finding| !finding["suppression"].is_null())
            .map(|finding| finding["suppression"]["kind"].as_str().unwrap())
            .collect();
        assert_eq!(suppressed, ["inSource", "external"]);
        assert_eq!(report["summary"]["suppressed"], 2);
        assert_eq!(report["summary"]["errors"], 2);

        let fixed = findings.iter().find(|finding| finding["rule"] == "no-body").unwrap();
        assert_eq!(fixed["fix"]["applicability"], "safe");
        assert_eq!(fixed["fix"]["edits"][0]["start"], fixed["start"]);
        assert_eq!(fixed["fix"]["edits"][0]["text"], "");
        assert!(described["fix"].is_null());
        insta::assert_snapshot!(output);
    }

    #[test]
    fn json_empty() {
        let files = clean_files();
        let output = render(Format::JSON, &empty_run(&files));
        let report: Value = serde_json::from_str(&output).unwrap();
        assert_eq!(report["findings"], Value::Array(Vec::new()));
        assert_eq!(report["summary"]["files"], 1);
        insta::assert_snapshot!(output);
    }

    /// The documented schema's required keys are the keys the reporter writes, and the
    /// other way round: the docs cannot drift from the output unnoticed.
    #[test]
    fn json_schema_matches_output_keys() {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        let fixture = Fixture::new();
        let report: Value = serde_json::from_str(&render(Format::JSON, &fixture.run())).unwrap();

        let required = |schema: &Value| {
            let mut keys: Vec<String> =
                schema["required"].as_array().unwrap().iter().map(|key| key.as_str().unwrap().to_owned()).collect();
            keys.sort();
            keys
        };
        let definitions = &schema["$defs"];
        assert_eq!(required(&schema), keys(&report));
        assert_eq!(required(&definitions["summary"]), keys(&report["summary"]));
        let finding = &report["findings"][1];
        assert_eq!(required(&definitions["finding"]), keys(finding));
        assert_eq!(required(&definitions["position"]), keys(&finding["start"]));
        assert_eq!(required(&definitions["refLink"]), keys(&finding["ref_chain"][0]));
        assert_eq!(required(&definitions["tool"]), keys(&report["tool"]));
        assert_eq!(required(&definitions["operation"]), keys(&finding["operation"]));
    }

    /// The example in docs/json-output.md has the shape of real output.
    #[test]
    fn json_docs_example_matches_output_keys() {
        let example = DOCS.split("```json\n").nth(1).unwrap().split("\n```").next().unwrap();
        let example: Value = serde_json::from_str(example).unwrap();
        let fixture = Fixture::new();
        let report: Value = serde_json::from_str(&render(Format::JSON, &fixture.run())).unwrap();
        assert_eq!(keys(&example), keys(&report));
        assert_eq!(keys(&example["tool"]), keys(&report["tool"]));
        assert_eq!(keys(&example["summary"]), keys(&report["summary"]));
        let (documented, written) = (&example["findings"][0], &report["findings"][1]);
        assert_eq!(keys(documented), keys(written));
        assert_eq!(keys(&documented["start"]), keys(&written["start"]));
        assert_eq!(keys(&documented["ref_chain"][0]), keys(&written["ref_chain"][0]));
        assert_eq!(keys(&documented["operation"]), keys(&written["operation"]));
        assert_eq!(documented["fingerprint"], written["fingerprint"]);
    }
}
