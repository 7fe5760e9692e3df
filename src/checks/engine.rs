//! The engine: one loop over the API's operations that dispatches to every enabled
//! check, and the context a check reports through.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use crate::finding::{Applicability, Category, Finding, Fix, Location, OperationKey, Related, Severity, UsedBy};
use crate::model::{Api, Operation, OperationKind, Response};
use crate::resolve::{NodeRef, Workspace};

use super::creation::{CreationIndex, CreationVerdict, judge_creation, path_action};
use super::ruleset::{OperationFacts, Ruleset};

/// What every check declares about itself: the single source of truth for
/// `oaslint rules`, `oaslint explain`, `docs/rules/<id>.md` and SARIF rule metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckMeta {
    /// The public, stable rule id (`no-body`).
    pub id: &'static str,
    pub default_severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// What of a ruleset it reads (for the checks table of docs/rulesets.md).
    pub reads: &'static str,
    /// The declaration's doc comment (Markdown with `## What it does`, `## Why is this bad?`, `## Example`).
    pub docs: &'static str,
    /// Whether its findings may come with a fix, and of which kind; `None`: never.
    pub fix: Option<FixKind>,
}

/// What a check's fixes are, as its declaration states (`oaslint rules`, `explain`, the docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixKind {
    pub applicability: Applicability,
    /// What the fix does, in a few words: "removes the body".
    pub does: &'static str,
}

impl FixKind {
    /// `safe` or `unsafe`, as `oaslint rules` shows it.
    pub fn label(&self) -> &'static str {
        match self.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

impl CheckMeta {
    /// The documentation with the one leading space of each `///` line removed.
    pub fn docs_markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Declare a check: a unit struct whose doc comment is its documentation.
///
/// ```ignore
/// declare_check! {
///     /// ## What it does
///     /// ...
///     pub NoBody, id: "no-body", severity: Error, summary: "204 and 304 responses declare no body",
///     reads: "rows with `body: forbidden`",
///     fix: Safe "removes the body"
/// }
/// ```
macro_rules! declare_check {
    (@fix) => { None };
    (@fix $fix:ident $does:literal) => {
        Some($crate::checks::FixKind { applicability: $crate::finding::Applicability::$fix, does: $does })
    };
    ($(#[doc = $doc:literal])* $vis:vis $name:ident, id: $id:literal, severity: $severity:ident, summary: $summary:literal, reads: $reads:literal $(, fix: $fix:ident $does:literal)? $(,)?) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::checks::CheckMeta = $crate::checks::CheckMeta {
                id: $id,
                default_severity: $crate::finding::Severity::$severity,
                summary: $summary,
                reads: $reads,
                docs: concat!($($doc, "\n"),*),
                fix: $crate::checks::declare_check!(@fix $($fix $does)?),
            };
        }
    };
}
pub(crate) use declare_check;

/// A check visits operations (most do) and may look at the whole API once.
pub trait Check: Sync + Send {
    fn meta(&self) -> &'static CheckMeta;

    fn check_operation(&self, _cx: &mut CheckContext<'_>, _operation: &Operation) {}

    /// Called once after every operation was visited (document-wide checks).
    fn check_api(&self, _cx: &mut CheckContext<'_>) {}

    /// What a ruleset's table asks of this check, for the rule's page (empty: nothing
    /// specific). One short phrase per item: "204 No Content, 304 Not Modified".
    fn ruleset_notes(&self, _ruleset: &Ruleset) -> Vec<String> {
        Vec::new()
    }
}

/// What a check sees, and where it reports.
pub struct CheckContext<'a> {
    pub workspace: &'a Workspace,
    pub api: &'a Api,
    pub ruleset: &'a Ruleset,
    meta: &'static CheckMeta,
    severity: Severity,
    /// The operation being visited, stamped on every finding reported meanwhile.
    operation: Option<OperationKey>,
    /// That operation's nodes (see [`operation_nodes`]), stamped on each finding's `about`.
    operation_nodes: Vec<NodeRef>,
    findings: &'a mut Vec<Finding>,
    /// Faults of definitions shared through `$ref`, by (definition, message): reported once
    /// when the check is done ([`CheckContext::report_definition`]).
    shared: BTreeMap<(NodeRef, String), SharedFault>,
    /// What judging creations needs of the whole API, gathered on first use.
    creation_index: OnceCell<CreationIndex<'a>>,
}

/// A finding just reported, to complete: `cx.report(at, message).help(...).related(...)`.
/// Each step does nothing where the finding could not be placed (a node without a location).
pub struct Report<'f>(Option<&'f mut Finding>);

impl Report<'_> {
    /// What to do about it, one sentence.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        if let Some(finding) = self.0.as_deref_mut() {
            finding.help = Some(help.into());
        }
        self
    }

    /// More places worth seeing, after those the report already gave.
    pub fn related(mut self, related: impl IntoIterator<Item = Related>) -> Self {
        if let Some(finding) = self.0.as_deref_mut() {
            finding.related.extend(related);
        }
        self
    }

    /// The status codes it says are missing or ruled out (see [`Finding::codes`]).
    pub fn codes<C: ToString>(mut self, codes: impl IntoIterator<Item = C>) -> Self {
        if let Some(finding) = self.0.as_deref_mut() {
            finding.codes.extend(codes.into_iter().map(|code| code.to_string()));
        }
        self
    }

    /// The change that resolves it (see [`crate::finding::Fix`]).
    pub fn fix(mut self, fix: Fix) -> Self {
        if let Some(finding) = self.0.as_deref_mut() {
            finding.fix = Some(fix);
        }
        self
    }

    /// No more severe than `severity`, whatever the ruleset sets (a milder form of the fault).
    pub fn at_most(mut self, severity: Severity) -> Self {
        if let Some(finding) = self.0.as_deref_mut() {
            finding.severity = finding.severity.min(severity);
        }
        self
    }
}

/// How many of the operations a document-wide finding concerns are shown as related
/// locations (all are in `used_by`).
const DOCUMENT_RELATED: usize = 5;

/// One fault of a shared definition, and the operations that reach it.
struct SharedFault {
    finding: Finding,
    /// Each operation reaching it: where its response refers to the definition, the code
    /// it gives it, and the places its own findings would be about.
    reached_by: Vec<(NodeRef, String, UsedBy)>,
}

impl<'a> CheckContext<'a> {
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Whether the operation creates a resource, and why (see `method-success-code`).
    pub(crate) fn creation(&self, operation: &Operation) -> CreationVerdict {
        let index = self.creation_index.get_or_init(|| CreationIndex::new(self.api));
        judge_creation(self.workspace, self.api, index, &self.ruleset.settings().creation, operation)
    }

    /// What the table's conditions can ask of an operation.
    pub(crate) fn facts(&self, operation: &Operation) -> OperationFacts {
        let api = self.api;
        // A document without security schemes says nothing about who may call it; the OAuth
        // token endpoint hands out the credentials, whatever the document's blanket
        // `security` says; credentials made optional (`[{}, {oauth: []}]`) leave a 401
        // possible but not demanded.
        let secured = if !api.declares_security_schemes || operation.is_token_endpoint(api) {
            None
        } else if operation.security.is_secured() {
            Some(true)
        } else if operation.security.is_public() {
            Some(false)
        } else {
            None
        };
        OperationFacts {
            method: operation.method,
            has_path_parameters: operation.names_resource,
            has_input: operation.has_input(),
            secured,
            creates: self.creation(operation).creates,
            action: path_action(&operation.path, &self.ruleset.settings().creation.operation_id_verbs).is_some(),
            long_running: operation.long_running,
        }
    }

    /// Attribute the findings reported from now on to `operation` (document-wide checks
    /// that report about one operation call this; `None` for none).
    pub fn set_operation(&mut self, operation: Option<&Operation>) {
        self.operation =
            operation.map(|op| OperationKey { method: op.method.as_str().to_owned(), path: op.path.clone() });
        self.operation_nodes = operation.map(|op| operation_nodes(self.workspace, self.api, op)).unwrap_or_default();
    }

    /// Report a finding at `at` (a key node or a value node: the location is the key,
    /// where a person looks); the [`Report`] adds help, related locations and codes.
    pub fn report(&mut self, at: NodeRef, message: impl Into<String>) -> Report<'_> {
        Report(self.push(at, message))
    }

    fn push(&mut self, at: NodeRef, message: impl Into<String>) -> Option<&mut Finding> {
        let location = self.workspace.key_location(at)?;
        let pointer = self.workspace.pointer(at);
        let mut finding = Finding::new(self.meta.id, Category::Rule, self.severity, message, location, pointer);
        finding.operation = self.operation.clone();
        finding.about = self.operation_nodes.iter().filter_map(|&node| self.workspace.location(node)).collect();
        self.findings.push(finding);
        self.findings.last_mut()
    }

    /// Report at a response's key, with the `$ref` chain to its definition as related locations.
    pub fn report_response(&mut self, response: &Response, message: impl Into<String>) -> Report<'_> {
        Report(self.push_response(response, message))
    }

    fn push_response(&mut self, response: &Response, message: impl Into<String>) -> Option<&mut Finding> {
        let related = self.response_related(response);
        let about = self.response_about(response);
        let finding = self.push(response.key, message)?;
        finding.related = related;
        finding.about.extend(about);
        Some(finding)
    }

    /// Report at a node inside a response's definition (its `content`, a header), with
    /// the response key and the `$ref` chain that lead there as related locations.
    pub fn report_in_response(&mut self, response: &Response, at: NodeRef, message: impl Into<String>) -> Report<'_> {
        Report(self.push_in_response(response, at, message))
    }

    fn push_in_response(
        &mut self,
        response: &Response,
        at: NodeRef,
        message: impl Into<String>,
    ) -> Option<&mut Finding> {
        let mut related = Vec::new();
        if at != response.key {
            if let Some(location) = self.workspace.location(response.key) {
                related.push(Related { location, label: format!("response `{}` declared here", response.code.text) });
            }
        }
        related.extend(self.workspace.chain_related(&response.chain));
        let about = self.response_about(response);
        let finding = self.push(at, message)?;
        finding.related = related;
        finding.about.extend(about);
        Some(finding)
    }

    /// Report a fault of a response's definition (what it declares, not which code the
    /// operation gives it): `what` says it without naming the operation. Written inline,
    /// it is reported at the operation, as [`CheckContext::report_in_response`] (at `at`)
    /// or [`CheckContext::report_response`] (at the key) would. Defined once and shared
    /// through `$ref`, it is one cause: reported once, at the definition (or `at` inside
    /// it), with every operation that reaches it as related locations and in `used_by`;
    /// the returned finding is that one, for help and severity.
    pub fn report_definition(
        &mut self,
        operation: &Operation,
        response: &Response,
        at: Option<NodeRef>,
        what: String,
    ) -> Report<'_> {
        Report(self.push_definition(operation, response, at, what))
    }

    fn push_definition(
        &mut self,
        operation: &Operation,
        response: &Response,
        at: Option<NodeRef>,
        what: String,
    ) -> Option<&mut Finding> {
        if response.chain.is_empty() {
            let message = format!("{}: {what}", operation.label());
            return match at {
                Some(at) => self.push_in_response(response, at, message),
                None => self.push_response(response, message),
            };
        }
        let key = (response.node, what);
        let about: Vec<Location> = self
            .operation_nodes
            .iter()
            .chain([&response.key])
            .chain(&response.chain)
            .filter_map(|&node| self.workspace.location(node))
            .collect();
        let reached = self.operation.clone().map(|operation| {
            let pointer = self.workspace.pointer(response.key);
            (response.key, response.code.text.clone(), UsedBy { operation, pointer, about })
        });
        if !self.shared.contains_key(&key) {
            let place = at.unwrap_or(response.node);
            let location = self.workspace.key_location(place)?;
            let mut finding = Finding::new(
                self.meta.id,
                Category::Rule,
                self.severity,
                key.1.clone(),
                location,
                self.workspace.pointer(place),
            );
            // An `x-oaslint-ignore` on the definition covers it; one on a single operation
            // that uses it does not (see `used_by`).
            finding.about = [self.workspace.key_location(response.node), self.workspace.location(response.node)]
                .into_iter()
                .flatten()
                .collect();
            // How the first operation reaches it; each one that does follows.
            finding.related = self.workspace.chain_related(&response.chain);
            self.shared.insert(key.clone(), SharedFault { finding, reached_by: Vec::new() });
        }
        let fault = self.shared.get_mut(&key)?;
        if let Some(reached) = reached {
            if !fault.reached_by.iter().any(|(node, _, by)| *node == reached.0 && by.operation == reached.2.operation) {
                fault.reached_by.push(reached);
            }
        }
        Some(&mut fault.finding)
    }

    /// Report one finding for a pattern that holds across the document (no operation
    /// declares an error response, say) instead of one per operation: at `at`, about no
    /// single operation, with `users` (the operations it concerns) in `used_by`, where
    /// their `responses` are. Suppressions and overrides treat it as a shared fault.
    pub fn report_document(&mut self, at: NodeRef, message: impl Into<String>, users: &[&Operation]) -> Report<'_> {
        Report(self.push_document(at, message, users))
    }

    fn push_document(&mut self, at: NodeRef, message: impl Into<String>, users: &[&Operation]) -> Option<&mut Finding> {
        let used_by: Vec<UsedBy> = users
            .iter()
            .map(|operation| {
                let nodes = operation_nodes(self.workspace, self.api, operation);
                let place = operation.responses.as_ref().map_or(operation.node, |responses| responses.node);
                UsedBy {
                    operation: OperationKey {
                        method: operation.method.as_str().to_owned(),
                        path: operation.path.clone(),
                    },
                    pointer: self.workspace.pointer(place),
                    about: nodes.iter().filter_map(|&node| self.workspace.location(node)).collect(),
                }
            })
            .collect();
        let related: Vec<Related> = users
            .iter()
            .take(DOCUMENT_RELATED)
            .filter_map(|operation| {
                let place = operation.responses.as_ref().map_or(operation.node, |responses| responses.node);
                Some(Related {
                    location: self.workspace.key_location(place)?,
                    label: format!("e.g. {}", operation.label()),
                })
            })
            .collect();
        let location = self.workspace.key_location(at)?;
        let pointer = self.workspace.pointer(at);
        let mut finding = Finding::new(self.meta.id, Category::Rule, self.severity, message, location, pointer);
        finding.used_by = used_by;
        finding.related = related;
        self.findings.push(finding);
        self.findings.last_mut()
    }

    /// Report the faults of shared definitions gathered while visiting operations.
    fn flush_shared(&mut self) {
        for (_, fault) in std::mem::take(&mut self.shared) {
            let SharedFault { mut finding, reached_by } = fault;
            for (key, code, by) in &reached_by {
                if let Some(location) = self.workspace.key_location(*key) {
                    finding.related.push(Related { location, label: format!("used by {} as `{code}`", by.operation) });
                }
            }
            finding.used_by = reached_by.into_iter().map(|(_, _, by)| by).collect();
            self.findings.push(finding);
        }
    }

    /// The response's key, the `$ref`s followed from it and its definition: suppressions
    /// around any of them apply to findings about the response.
    fn response_about(&self, response: &Response) -> Vec<Location> {
        let key = self.workspace.key_location(response.key);
        let chain = response.chain.iter().chain([&response.node]).filter_map(|&node| self.workspace.location(node));
        key.into_iter().chain(chain).collect()
    }

    fn response_related(&self, response: &Response) -> Vec<Related> {
        let mut related = self.workspace.chain_related(&response.chain);
        if !response.chain.is_empty() {
            if let Some(location) = self.workspace.key_location(response.node) {
                related.push(Related { location, label: "defined here".to_owned() });
            }
        }
        related
    }
}

/// Run `checks` over the API, each at the severity `severity` gives it (`None`: off).
/// Findings come back unsorted.
pub fn run_checks(
    workspace: &Workspace,
    api: &Api,
    ruleset: &Ruleset,
    checks: &[&dyn Check],
    severity: &dyn Fn(&CheckMeta) -> Option<Severity>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let nodes_per_operation: Vec<Vec<NodeRef>> =
        api.operations.iter().map(|operation| operation_nodes(workspace, api, operation)).collect();
    for &check in checks {
        let meta = check.meta();
        let Some(severity) = severity(meta) else { continue };
        let mut cx = CheckContext {
            workspace,
            api,
            ruleset,
            meta,
            severity,
            operation: None,
            operation_nodes: Vec::new(),
            findings: &mut findings,
            shared: BTreeMap::new(),
            creation_index: OnceCell::new(),
        };
        for (operation, nodes) in api.operations.iter().zip(&nodes_per_operation) {
            cx.operation =
                Some(OperationKey { method: operation.method.as_str().to_owned(), path: operation.path.clone() });
            cx.operation_nodes.clone_from(nodes);
            check.check_operation(&mut cx, operation);
        }
        cx.operation = None;
        cx.operation_nodes.clear();
        check.check_api(&mut cx);
        cx.flush_shared();
    }
    findings
}

/// The nodes an operation's findings are about besides their own: the path item and the
/// operation as written under `paths` (or `webhooks`), each `$ref` followed from there,
/// and what they resolve to.
fn operation_nodes(workspace: &Workspace, api: &Api, operation: &Operation) -> Vec<NodeRef> {
    let section = match operation.kind {
        OperationKind::Path => "paths",
        OperationKind::Webhook => "webhooks",
    };
    let written_item = workspace.get(api.root, section).and_then(|map| workspace.get(map, &operation.path));
    let written_operation = workspace.get(operation.path_item, operation.method.key());
    let mut nodes = Vec::new();
    for (written, resolved) in [(written_item, operation.path_item), (written_operation, operation.node)] {
        if let Some(written) = written {
            nodes.push(written);
            nodes.extend(workspace.resolve(written).map(|resolved| resolved.chain).unwrap_or_default());
        }
        nodes.push(resolved);
    }
    nodes.dedup();
    nodes
}
