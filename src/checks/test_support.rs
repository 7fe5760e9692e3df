//! What checks' unit tests share: lint an in-memory document with one check, the way the
//! pipeline would, and read the findings back as data or as `line:col message` lines.

use crate::finding::{Finding, Severity};
use crate::model::{Api, DocumentKind, detect};
use crate::resolve::{LoadOptions, Workspace};

use super::ruleset::Ruleset;

/// The findings of one check (forced on at `severity`, or its default severity) on `text`
/// under a built-in ruleset, sorted and deduplicated as reports get them. Panics on input
/// problems: a check's test is about the check, not the parser.
pub(crate) fn lint_findings_at(check_id: &str, ruleset: &str, text: &str, severity: Option<Severity>) -> Vec<Finding> {
    let ruleset = Ruleset::builtin(ruleset).unwrap_or_else(|err| panic!("{err}"));
    lint_under(check_id, &ruleset, text, severity)
}

/// [`lint_findings_at`] under any ruleset, e.g. one written in the test.
pub(crate) fn lint_under(check_id: &str, ruleset: &Ruleset, text: &str, severity: Option<Severity>) -> Vec<Finding> {
    let check = super::check(check_id).unwrap_or_else(|| panic!("no check {check_id}"));
    let workspace = Workspace::from_text("test.yaml", text, None, &LoadOptions::default());
    assert!(workspace.findings().is_empty(), "input problems: {:?}", workspace.findings());
    let DocumentKind::Root(version) = detect(&workspace) else { panic!("not an OpenAPI root") };
    let api = Api::build(&workspace, version).unwrap_or_else(|| panic!("no API view"));
    let mut findings =
        super::run_checks(&workspace, &api, ruleset, &[check], &|meta| Some(severity.unwrap_or(meta.default_severity)));
    crate::finding::sort_and_dedup(&mut findings);
    findings
}

/// [`lint_findings_at`] at the check's default severity.
pub(crate) fn lint_findings(check_id: &str, ruleset: &str, text: &str) -> Vec<Finding> {
    lint_findings_at(check_id, ruleset, text, None)
}

/// [`lint_findings`] as `line:col message` lines, the message's parenthetical source cut off.
pub(crate) fn lint_text(check_id: &str, ruleset: &str, text: &str) -> Vec<String> {
    lint_findings(check_id, ruleset, text)
        .iter()
        .map(|finding| {
            let at = finding.primary.start();
            let message = finding.message.split(" (").next().unwrap_or("");
            format!("{}:{} {message}", at.line, at.column)
        })
        .collect()
}

/// Each finding's fix applied to `text` (a single-file document): `None` for a finding
/// without a fix.
pub(crate) fn fixed_texts(check_id: &str, ruleset: &str, text: &str) -> Vec<Option<String>> {
    lint_findings(check_id, ruleset, text)
        .iter()
        .map(|finding| {
            let fix = finding.fix.as_ref()?;
            let edits: Vec<crate::source::edit::TextEdit> = fix
                .edits
                .iter()
                .map(|edit| crate::source::edit::TextEdit { span: edit.at.span, text: edit.text.clone() })
                .collect();
            Some(crate::source::edit::apply(text, &edits).unwrap_or_else(|err| panic!("{err}")))
        })
        .collect()
}
