//! The rule engine, one file per check, and the rulesets they read.
//!
//! A check is declared once (`declare_check!`, in its own file) and registered once
//! (its `mod` line and a line in [`CHECKS`]); its declaration is the single source of truth for
//! `oaslint rules`, `oaslint explain`, `docs/rules/<id>.md` and SARIF rule metadata.

/// Inline suppressions, the baseline and configuration overrides.
pub mod adopt;
mod creation;
pub mod docs;
mod engine;
mod fixes;
/// Rule ids as configuration and inline ignores name them.
pub mod rule_id;
/// The response-code guideline tables (`rules/*.yaml`) the checks read.
pub mod ruleset;
#[cfg(test)]
mod test_support;

mod async_202;
mod avoided_code;
mod body_required;
mod code_allowed_for_method;
mod code_not_in_guideline;
mod conditional_request;
mod error_responses;
mod error_schema;
mod location_header;
mod method_success_code;
mod needless_response;
mod no_body;
mod no_raw_errors;
mod response_header;
mod retry_after;
mod success_response;
mod unknown_status_code;

use crate::finding::{Category, Finding, RuleMeta, Severity, input_severity};
use crate::model::{Api, DocumentKind, detect};
use crate::resolve::Workspace;
pub use crate::source::InputProblem;

pub(crate) use engine::declare_check;
pub use engine::{Check, CheckContext, CheckMeta, FixKind, Report, run_checks};
use ruleset::Ruleset;

/// Every check, sorted by id (a test keeps it so). Registering a check is its `mod` line
/// above and one line here.
pub const CHECKS: &[&dyn Check] = &[
    &async_202::Async202,
    &avoided_code::AvoidedCode,
    &body_required::BodyRequired,
    &code_allowed_for_method::CodeAllowedForMethod,
    &code_not_in_guideline::CodeNotInGuideline,
    &conditional_request::ConditionalRequest,
    &error_responses::ErrorResponses,
    &error_schema::ErrorSchema,
    &location_header::LocationHeader,
    &method_success_code::MethodSuccessCode,
    &needless_response::NeedlessResponse,
    &no_body::NoBody,
    &no_raw_errors::NoRawErrors,
    &response_header::ResponseHeader,
    &retry_after::RetryAfter,
    &success_response::SuccessResponse,
    &unknown_status_code::UnknownStatusCode,
];

/// Every check id, sorted: the ids of [`CHECKS`]. These ids are a public contract:
/// rulesets, suppressions and baselines name them.
pub static CHECK_IDS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| CHECKS.iter().map(|check| check.meta().id).collect());

/// The check with this id.
pub fn check(id: &str) -> Option<&'static dyn Check> {
    CHECKS.iter().copied().find(|check| check.meta().id == id)
}

/// More to say about an input problem than its summary (Markdown): its section of
/// `docs/rules/input-problems.md` and its `oaslint explain` page.
pub fn input_problem_details(problem: InputProblem) -> Option<&'static str> {
    match problem {
        InputProblem::ControlCharacter => Some(CONTROL_CHARACTER_DETAILS),
        InputProblem::GluedComment => Some(GLUED_COMMENT_DETAILS),
        InputProblem::TrailingComma => Some(TRAILING_COMMA_DETAILS),
        _ => None,
    }
}

const CONTROL_CHARACTER_DETAILS: &str = r#"YAML 1.2 allows the C1 control characters (U+0080 to U+009F) only escaped; NEL (U+0085)
is the exception, printable since YAML 1.2 and read as an ordinary character. Yet published
specs hold stray ones, mostly from text decoded with the wrong encoding (DocuSign's and
SendGrid's do), and the YAML readers behind Redocly CLI and Spectral read them as they are.

So does oaslint: a C1 character written unescaped in a key or a value (plain, quoted or
block scalar) or in a comment is read as the character it is, and reported as a warning on
the character, with its code point; the rest of the document is linted as usual, and the
warning does not make the run exit with 2. A file holding more than 100 of them gets one
warning for each of the first 100 and one more counting the rest. Everything else YAML 1.2
refuses is still `invalid-syntax`, and JSON files are not concerned (JSON allows these
characters in strings).

Fix it by removing the character, or by writing it escaped in a double-quoted string:

```yaml
description: "before\u0083after"
```

To refuse such files instead, set `yaml: {strict: true}` in `.oaslint.yaml`: a file holding
one is then refused with `invalid-syntax` (an error, exit code 2) at its first C1 character.
"#;

const GLUED_COMMENT_DETAILS: &str = r##"YAML wants white space before the `#` that starts a comment, so a comment glued to the
quoted value before it is not valid YAML:

```yaml
- $ref: ""#/components/parameters/offset""
```

Yet the YAML reader behind Redocly CLI and Spectral (js-yaml) reads it as a comment, and
published specs hold such lines (Ed-Fi's resource specs, over a hundred each). So does
oaslint: the rest of the line from the `#` is read as a comment (the value above is the
empty string, as js-yaml reads it), each place is reported as a warning on the `#`, and the
rest of the document is linted as usual; the warning does not make the run exit with 2. A file holding more than 100 gets one warning for
each of the first 100 and one more counting the rest; one holding more than 1,000 is refused.
Only a `#` right after a closing quote is read this way; anything else YAML refuses is still
`invalid-syntax`.

Fix it by putting a space before the `#`, or, when the `#` belongs to the value, by writing
it inside the quotes:

```yaml
- $ref: "#/components/parameters/offset"
```

To refuse such files instead, set `yaml: {strict: true}` in `.oaslint.yaml`: a file holding
one is then refused with `invalid-syntax` (an error, exit code 2) at its first glued comment.
"##;

const TRAILING_COMMA_DETAILS: &str = r#"JSON allows no comma before a closing `]` or `}`, yet JavaScript and JSON5 do, and so
does YAML's flow style, in which the peers (Redocly CLI, Spectral) read JSON files: a spec
written by hand or by a template often has one.

```json
"responses": {
  "204": {"description": "Deleted"},
}
```

oaslint reads such a comma as if it were not there and reports it as a warning on the comma;
the rest of the document is linted as usual, and the warning does not make the run exit with
2. A file holding more than 100 gets one warning for each of the first 100 and one more
counting the rest. Any other misplaced comma (`[,]`, `[1,,2]`, a comma after the document)
is still `invalid-syntax`. To fail the run on it, set `rules: {trailing-comma: error}` in
`.oaslint.yaml`.
"#;

/// Rule metadata for reporters: every check, `unused-suppression`, then every input problem.
pub fn rule_metas() -> Vec<RuleMeta> {
    let checks = CHECKS.iter().map(|check| {
        let meta = check.meta();
        RuleMeta { id: meta.id, summary: meta.summary, docs: meta.docs, default_severity: meta.default_severity }
    });
    let inputs = InputProblem::ALL.iter().map(|&problem| RuleMeta {
        id: problem.id(),
        summary: problem.summary(),
        docs: input_problem_details(problem)
            .unwrap_or("A problem with the input document itself: see docs/rules/input-problems.md."),
        default_severity: input_severity(problem),
    });
    checks.chain([adopt::unused_suppression_meta()]).chain(inputs).collect()
}

/// Lint one loaded workspace: its input problems, then every check the ruleset enables.
/// The documents' `x-oaslint-ignore` markers are applied: covered findings come back
/// suppressed (kept, marked), and entries that suppress nothing are reported.
/// Findings come back unsorted. A fragment (no `openapi`/`swagger` key) gets only its
/// input problems: it is checked through the roots that reference it.
pub fn lint(workspace: &Workspace, ruleset: &Ruleset) -> Vec<Finding> {
    lint_api(workspace, ruleset).0
}

/// [`lint`], and the view of the API the checks ran on (`None` when the workspace is no
/// supported root), for what else a front end draws of it (the HTML report's map).
pub fn lint_api(workspace: &Workspace, ruleset: &Ruleset) -> (Vec<Finding>, Option<Api>) {
    let mut findings = workspace.findings().to_vec();
    let mut built = None;
    match detect(workspace) {
        DocumentKind::Root(version) => {
            if let Some(api) = Api::build(workspace, version) {
                findings.extend(run_checks(workspace, &api, ruleset, CHECKS, &|meta| ruleset.severity(meta.id)));
                // Input warnings come from loading, which always runs.
                let ran = |id: &str| {
                    (check(id).is_some() && ruleset.severity(id).is_some()) || crate::source::is_input_warning(id)
                };
                adopt::apply_inline(workspace, &mut findings, &ran);
                built = Some(api);
            }
        }
        DocumentKind::Unsupported { version, node } => {
            if let Some(location) = workspace.location(node) {
                let message = format!(
                    "unsupported version `{version}`: oaslint reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2 documents"
                );
                findings.push(Finding::new(
                    InputProblem::UnsupportedVersion,
                    Category::Input,
                    Severity::Error,
                    message,
                    location,
                    workspace.pointer(node),
                ));
            }
        }
        DocumentKind::Fragment => {}
    }
    (findings, built)
}

#[cfg(test)]
mod tests {
    use super::{CHECKS, ruleset};

    #[test]
    fn registry_is_sorted_and_unique() {
        let ids: Vec<&str> = CHECKS.iter().map(|check| check.meta().id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }

    /// `scripts/new-check.sh` marks what is left to write with a `TODO` tagged `new-check`: none
    /// may stay in a check's file or its fixtures.
    #[test]
    fn no_scaffold_placeholder_is_left() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pending = Vec::new();
        let mut dirs = vec![root.join("src/checks"), root.join("testdata/rules")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if std::fs::read_to_string(&path)
                    .is_ok_and(|text| text.contains(&["TODO", "(new-check)"].concat()))
                {
                    pending.push(path.strip_prefix(root).unwrap_or(&path).display().to_string());
                }
            }
        }
        pending.sort();
        assert!(pending.is_empty(), "scaffolded but not written yet: {pending:?}");
    }

    /// Every `src/checks/<name>.rs` that declares a check is registered, and every
    /// registered check is a known id with the default severity the ruleset layer assumes.
    #[test]
    fn every_check_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks");
        let declares = |path: &std::path::Path| {
            std::fs::read_to_string(path).is_ok_and(|text| text.contains("\ndeclare_check! {"))
        };
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                    .filter(|path| path.extension().is_some_and(|ext| ext == "rs") && declares(path))
                    .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        files.sort_unstable();
        let mut registered: Vec<String> = CHECKS.iter().map(|check| check.meta().id.replace('-', "_")).collect();
        registered.sort_unstable();
        assert_eq!(files, registered);
        for check in CHECKS {
            let meta = check.meta();
            assert!(ruleset::CHECK_IDS.contains(&meta.id), "{} is not in CHECK_IDS", meta.id);
            assert_eq!(ruleset::default_severity(meta.id), Some(meta.default_severity), "{}", meta.id);
        }
    }
}
