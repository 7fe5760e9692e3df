//! The shared synthetic findings every reporter's snapshot is taken on: two files linked by
//! a `$ref` (a related location in another file), a file that does not parse (an input
//! problem), a file with no findings, a non-ASCII line, a message that needs escaping in
//! every format, and two suppressed findings (one inline, one external).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::finding::{
    Category, Finding, Location, OperationKey, Related, RuleMeta, Severity, Suppression, SuppressionKind,
    sort_and_dedup,
};
use crate::report::Run;
use crate::source::{SourceFile, Span};

pub(crate) const OPENAPI_YAML: &str = "\
openapi: 3.1.0
info:
  title: Pets API
  version: 1.0.0
paths:
  /pets:
    get:
      summary: Liste der Tiere, größer als 10 kg
      responses:
        '200':
          $ref: 'components.yaml#/components/responses/PetList'
    delete:
      responses:
        '204':
          description: Deleted
          content:
            application/json: {}
";

pub(crate) const COMPONENTS_YAML: &str = "\
components:
  responses:
    PetList:
      description: A list of pets
";

pub(crate) const BROKEN_YAML: &str = "openapi: 3.0.0\ninfo: [title\n";

/// A message with every character some format must escape: quotes, `<>&`, `%`, `:` and
/// `,` (GitHub properties), a line break, and non-ASCII text.
pub(crate) const AWKWARD_MESSAGE: &str = "GET /pets: the summary uses non-English words (\"größer\"); \
    100% <English> & 'plain', please:\nsee the style guide";

pub(crate) static RULES: [RuleMeta; 5] = [
    RuleMeta {
        id: "description-style",
        summary: "Descriptions are sentences",
        docs: "## What it does\nChecks that descriptions are full sentences.\n\n## Why is this bad?\nFragments read badly in generated docs.\n",
        default_severity: Severity::Warning,
    },
    RuleMeta {
        id: "no-body",
        summary: "204 and 304 responses have no body.",
        docs: "## What it does\nReports a body on a `204` or `304` response.\n\n## Why is this bad?\nClients never read it: RFC 9110 says these responses end after the headers.\n",
        default_severity: Severity::Error,
    },
    RuleMeta {
        id: "operation-id",
        summary: "Every operation has an operationId",
        docs: "## What it does\nRequires an `operationId` on every operation.\n",
        default_severity: Severity::Warning,
    },
    RuleMeta {
        id: "path-kebab-case",
        summary: "Path segments are kebab-case",
        docs: "## What it does\nRequires kebab-case path segments.\n",
        default_severity: Severity::Hint,
    },
    RuleMeta {
        id: "summary-style",
        summary: "Summaries are short English phrases",
        docs: "## What it does\nChecks operation summaries.\n",
        default_severity: Severity::Info,
    },
];

pub(crate) struct Fixture {
    pub findings: Vec<Finding>,
    pub files: Vec<String>,
}

impl Fixture {
    pub fn new() -> Fixture {
        let openapi = load("api/openapi.yaml", OPENAPI_YAML);
        let components = load("api/components.yaml", COMPONENTS_YAML);
        let broken = Arc::new(SourceFile::from_text("api/broken.yaml", BROKEN_YAML).0);
        let parse_error =
            SourceFile::from_text("api/broken.yaml", BROKEN_YAML).1.expect_err("the broken fixture does not parse");

        let at = |file: &Arc<SourceFile>, needle: &str| Location::new(Arc::clone(file), span_of(file.text(), needle));
        let suppressed = |mut finding: Finding, kind, justification: Option<&str>| {
            finding.suppression = Some(Suppression { kind, justification: justification.map(str::to_owned) });
            finding
        };
        let about = |mut finding: Finding, method: &str, path: &str| {
            finding.operation = Some(OperationKey { method: method.to_owned(), path: path.to_owned() });
            finding
        };

        let mut findings = vec![
            Finding::new(
                "no-body",
                Category::Rule,
                Severity::Error,
                "DELETE /pets 204 declares a body, but a 204 response has none",
                at(&openapi, "content"),
                "/paths/~1pets/delete/responses/204/content".to_owned(),
            )
            .with_help("Remove `content` from the 204 response.")
            .with_fix(crate::finding::Fix {
                title: "Remove the body of 204".to_owned(),
                applicability: crate::finding::Applicability::Safe,
                edits: vec![crate::finding::Edit { at: at(&openapi, "content"), text: String::new() }],
            }),
            about(
                Finding::new(
                    "description-style",
                    Category::Rule,
                    Severity::Warning,
                    "GET /pets 200: the description \"A list of pets\" is not a sentence",
                    at(&components, "description"),
                    "/components/responses/PetList/description".to_owned(),
                )
                .with_help("End the description with a period.")
                .with_related(vec![
                    Related { location: at(&components, "PetList"), label: "the response is defined here".to_owned() },
                    Related { location: at(&openapi, "$ref"), label: "referenced from GET /pets 200".to_owned() },
                ]),
                "GET",
                "/pets",
            ),
            Finding::new(
                "summary-style",
                Category::Rule,
                Severity::Info,
                AWKWARD_MESSAGE,
                at(&openapi, "größer"),
                "/paths/~1pets/get/summary".to_owned(),
            )
            .with_help("Write the summary in English."),
            suppressed(
                Finding::new(
                    "operation-id",
                    Category::Rule,
                    Severity::Warning,
                    "GET /pets has no operationId",
                    at(&openapi, "get"),
                    "/paths/~1pets/get".to_owned(),
                ),
                SuppressionKind::InSource,
                Some("legacy clients: keep it, for now"),
            ),
            suppressed(
                Finding::new(
                    "operation-id",
                    Category::Rule,
                    Severity::Warning,
                    "DELETE /pets has no operationId",
                    at(&openapi, "delete"),
                    "/paths/~1pets/delete".to_owned(),
                ),
                SuppressionKind::External,
                None,
            ),
            Finding::new(
                parse_error.code,
                Category::Input,
                Severity::Error,
                parse_error.message,
                Location::new(broken, parse_error.span),
                String::new(),
            ),
        ];
        sort_and_dedup(&mut findings);
        Fixture {
            findings,
            files: vec!["api/broken.yaml".to_owned(), "api/clean.yaml".to_owned(), "api/openapi.yaml".to_owned()],
        }
    }

    /// The run every snapshot is taken on: fixed version and time, suppressed shown.
    pub fn run(&self) -> Run<'_> {
        Run {
            elapsed: Duration::from_millis(42),
            exit_code: 2,
            tool_version: "0.0.0-test",
            show_suppressed: true,
            source_root: Some(Path::new("/work/project")),
            width: Some(80),
            ..Run::new(&self.findings, &RULES, &self.files)
        }
    }
}

/// A run with nothing found in one clean file.
pub(crate) fn empty_run(files: &[String]) -> Run<'_> {
    Run {
        elapsed: Duration::from_millis(7),
        tool_version: "0.0.0-test",
        source_root: Some(Path::new("/work/project")),
        width: Some(80),
        ..Run::new(&[], &RULES, files)
    }
}

pub(crate) fn clean_files() -> Vec<String> {
    vec!["api/clean.yaml".to_owned()]
}

/// Render `run` with `reporter` into a string.
pub(crate) fn render(format: crate::report::Format, run: &Run<'_>) -> String {
    let mut out = Vec::new();
    crate::report::write_run(format, run, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn load(name: &str, text: &str) -> Arc<SourceFile> {
    let (file, parsed) = SourceFile::from_text(name, text);
    parsed.unwrap();
    Arc::new(file)
}

/// The span of the first occurrence of `needle` in `text`.
fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap();
    Span::new(start as u32, (start + needle.len()) as u32)
}
