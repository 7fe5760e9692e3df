//! Findings: plain data with byte ranges, produced by every layer (load errors,
//! broken `$ref`s, rule violations) and consumed by the reporters.

use std::fmt;
use std::sync::Arc;

use crate::source::{InputProblem, LineCol, SourceFile, Span};

/// How serious a finding is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a loaded file.
#[derive(Clone)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Span,
}

impl Location {
    pub fn new(file: Arc<SourceFile>, span: Span) -> Location {
        Location { file, span }
    }

    pub fn start(&self) -> LineCol {
        self.file.line_col(self.span.start)
    }

    pub fn end(&self) -> LineCol {
        self.file.line_col(self.span.end)
    }

    /// The file's name as reports show it.
    pub fn file_name(&self) -> &str {
        &self.file.name
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = self.start();
        write!(f, "{}:{}:{}", self.file.name, start.line, start.column)
    }
}

impl PartialEq for Location {
    fn eq(&self, other: &Location) -> bool {
        self.span == other.span && (Arc::ptr_eq(&self.file, &other.file) || self.file.path == other.file.path)
    }
}

/// A secondary place that explains a finding (a `$ref` on the way to it, say).
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub location: Location,
    pub label: String,
}

/// Why a finding is not counted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub justification: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    /// An `x-oaslint-ignore` (or a peer's marker) in the document itself.
    InSource,
    /// A baseline file or a configuration override.
    External,
}

/// Whether a finding reports a problem with the input itself (it could not be read or
/// resolved: exit code 2) or a rule violation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Input,
    Rule,
}

/// The severity of an input problem.
pub fn input_severity(problem: InputProblem) -> Severity {
    if problem.is_warning() { Severity::Warning } else { Severity::Error }
}

impl From<InputProblem> for String {
    fn from(problem: InputProblem) -> String {
        problem.id().to_owned()
    }
}

/// One problem found.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule id (`no-body`) or, for input problems, the problem id (`invalid-syntax`).
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    /// What is wrong, naming method, path and code where there are ones.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    pub primary: Location,
    pub related: Vec<Related>,
    /// JSON pointer of the primary node within its file.
    pub pointer: String,
    /// Stable across unrelated edits: rule, file, pointer and message, never line numbers.
    pub fingerprint: String,
    pub suppression: Option<Suppression>,
    /// The operation the finding is about (`GET /pets`), for path and operation overrides.
    pub operation: Option<OperationKey>,
    /// For a fault in a definition several operations share through `$ref` (reported once,
    /// at the definition): every operation that reaches it. Inline ignores and overrides
    /// apply to such a finding when they cover the definition, or every one of these.
    pub used_by: Vec<UsedBy>,
    /// Other nodes the finding is about (whole-node spans): the path item, operation and
    /// response it concerns, as written and through every `$ref` followed to them. An
    /// `x-oaslint-ignore` around any of them suppresses the finding, so an ignore on an
    /// operation also covers a finding located in a response it `$ref`s from another file.
    pub about: Vec<Location>,
    /// The status codes the finding says are missing (a required `201`; `400`, `401` and
    /// `404`) or declared where the ruleset rules them out (`304` on a POST), as the table
    /// names them; empty for findings about anything else. The HTML report marks those
    /// cells of its response map.
    pub codes: Vec<String>,
    /// The change that resolves it, where the check knows one.
    pub fix: Option<Fix>,
}

/// Text edits that resolve a finding: computed by the check from the span tree, applied
/// to the original bytes of each file they name (a `$ref`'d file's edits go to that file).
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// What it does, as an editor's code action names it: "Remove the body of 204".
    pub title: String,
    pub applicability: Applicability,
    /// Non-overlapping edits, in any order.
    pub edits: Vec<Edit>,
}

/// Whether a fix leaves the API's contract as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Documentation only: what clients may send and receive is unchanged (`--fix`).
    Safe,
    /// It changes the contract (200 becomes 201): applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the text under `at` (an empty span: insert at its start) with `text`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub at: Location,
    pub text: String,
}

/// An operation that reaches a shared definition, and the places that make it up (as
/// [`Finding::about`] has them for a finding of its own).
#[derive(Clone, Debug)]
pub struct UsedBy {
    pub operation: OperationKey,
    /// JSON pointer of the operation's response that refers to the definition, in its file.
    pub pointer: String,
    pub about: Vec<Location>,
}

/// An operation as configuration names it: method and path (or webhook name).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperationKey {
    /// Upper case: `GET`.
    pub method: String,
    pub path: String,
}

impl fmt::Display for OperationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

impl Finding {
    /// A finding whose fingerprint is derived from its rule, file, pointer and message.
    pub fn new(
        rule: impl Into<String>,
        category: Category,
        severity: Severity,
        message: impl Into<String>,
        primary: Location,
        pointer: String,
    ) -> Finding {
        let rule = rule.into();
        let message = message.into();
        let fingerprint = fingerprint(&rule, &primary.file.name, &pointer, &message);
        Finding {
            rule,
            category,
            severity,
            message,
            help: None,
            primary,
            related: Vec::new(),
            pointer,
            fingerprint,
            suppression: None,
            operation: None,
            used_by: Vec::new(),
            about: Vec::new(),
            codes: Vec::new(),
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    pub fn with_related(mut self, related: Vec<Related>) -> Finding {
        self.related = related;
        self
    }

    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }

    /// The order every reporter sees: file, position, rule, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (&self.primary.file.name, self.primary.span.start, self.primary.span.end, &self.rule, &self.message)
    }
}

/// A short stable hash (hex) of the parts that identify a finding.
pub fn fingerprint(rule: &str, file: &str, pointer: &str, message: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in [rule, file, pointer, message] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect()
}

/// Sort findings into report order and drop exact duplicates (a file reached from two roots).
/// When two roots give the same finding and only one suppresses it (an ignore or an
/// override that applies through one root), the unsuppressed one is kept.
pub fn sort_and_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then(a.is_suppressed().cmp(&b.is_suppressed())));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// What reporters need to know of a rule (SARIF `tool.driver.rules`, doc links).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: &'static str,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The full documentation page (Markdown).
    pub docs: &'static str,
    pub default_severity: Severity,
}

/// Where a rule's page is published.
pub fn rule_doc_url(id: &str) -> String {
    format!("https://github.com/oaslint/oaslint/blob/main/docs/rules/{id}.md")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{Category, Finding, Location, Severity, Suppression, SuppressionKind, sort_and_dedup};
    use crate::source::{SourceFile, Span};

    /// The same finding through two roots, suppressed through one only: the unsuppressed
    /// copy is kept, whichever root came first.
    #[test]
    fn dedup_keeps_the_unsuppressed_copy() {
        let (file, _) = SourceFile::from_text("a.yaml", "a: 1\n");
        let location = Location::new(Arc::new(file), Span::at(0));
        let plain = Finding::new("no-body", Category::Rule, Severity::Error, "m", location, String::new());
        let mut suppressed = plain.clone();
        suppressed.suppression = Some(Suppression { kind: SuppressionKind::InSource, justification: None });
        for mut findings in [vec![suppressed.clone(), plain.clone()], vec![plain.clone(), suppressed.clone()]] {
            sort_and_dedup(&mut findings);
            assert_eq!(findings.len(), 1);
            assert!(!findings[0].is_suppressed());
        }
    }
}
