//! The JSON report: a versioned schema, documented in `docs/json-output.md` and described
//! by `docs/json-output.schema.json`. Bump [`JSON_SCHEMA_VERSION`] on any change that is
//! not a pure addition.

use std::io;

use serde::Serialize;

use crate::finding::{Category, Finding, Location, Severity, Suppression};
use crate::report::text::write_json_pretty;
use crate::report::{Reporter, Run, Summary};

pub const JSON_SCHEMA_VERSION: u32 = 1;

pub struct JsonReporter;

impl Reporter for JsonReporter {
    fn report(&self, run: &Run<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        let report = JsonReport {
            version: JSON_SCHEMA_VERSION,
            tool: Tool { name: "oaslint", version: run.tool_version },
            files: run.files.iter().map(String::as_str).collect(),
            findings: run.shown_findings().map(JsonFinding::new).collect(),
            summary: JsonSummary {
                counts: run.summary(),
                exit_code: run.exit_code,
                elapsed_ms: u64::try_from(run.elapsed.as_millis()).unwrap_or(u64::MAX),
            },
        };
        write_json_pretty(&mut *out, &report)?;
        writeln!(out)
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool<'a>,
    files: Vec<&'a str>,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
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
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::JsonReporter;
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
        let output = render(&JsonReporter, &fixture.run());
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
        insta::assert_snapshot!(output);
    }

    #[test]
    fn json_empty() {
        let files = clean_files();
        let output = render(&JsonReporter, &empty_run(&files));
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
        let report: Value = serde_json::from_str(&render(&JsonReporter, &fixture.run())).unwrap();

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
        let report: Value = serde_json::from_str(&render(&JsonReporter, &fixture.run())).unwrap();
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
