//! Inline suppressions: an `x-oaslint-ignore` on any node (the root, a path item, an
//! operation, a response, a component) suppresses the findings about that node's subtree,
//! in whichever file it lives. The peers' markers are honoured where their rules map to
//! ours: vacuum's `x-lint-ignore` and Zally's `x-zally-ignore`.
//!
//! A finding is about its primary node and the nodes in its `about` list (the operation
//! and response it concerns, as written and through each `$ref` followed), so an ignore
//! on an operation in the root document also covers a finding located in a response the
//! operation `$ref`s from another file. Suppressed findings are kept, marked
//! [`SuppressionKind::InSource`]. An `x-oaslint-ignore` entry that suppresses nothing is
//! reported as `unused-suppression`, so stale ones get cleaned up.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use memchr::memmem;

use crate::checks::rule_id::{ALL, Accept, adjustable_non_checks, is_adjustable, parse_rule_id};
use crate::checks::ruleset::CHECK_IDS;
use crate::finding::{Category, Finding, Location, RuleMeta, Severity, Suppression, SuppressionKind};
use crate::resolve::Workspace;
use crate::source::{NodeId, SourceFile, Span, Tree, Value};

/// The rule reporting an `x-oaslint-ignore` entry that suppresses nothing.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// oaslint's own marker.
pub const IGNORE_KEY: &str = "x-oaslint-ignore";
/// vacuum's marker: a rule id or a list of them.
pub const VACUUM_IGNORE_KEY: &str = "x-lint-ignore";
/// Zally's marker: a list of rule numbers (`[150, 151]`) or ids.
pub const ZALLY_IGNORE_KEY: &str = "x-zally-ignore";

/// vacuum's (and Spectral's) rules that correspond to ours. vacuum names one required
/// error code per OWASP rule; ours checks the set the ruleset asks for, so each maps to
/// the whole `error-responses` rule.
pub const VACUUM_RULES: &[(&str, &[&str])] = &[
    ("operation-4xx-response", &["error-responses"]),
    ("operation-success-response", &["success-response"]),
    ("owasp-define-error-responses-401", &["error-responses"]),
    ("owasp-define-error-responses-429", &["error-responses"]),
    ("owasp-define-error-responses-500", &["error-responses"]),
    ("owasp-define-error-validation", &["error-responses"]),
    ("owasp-rate-limit-responses-429", &["error-responses"]),
    ("owasp-rate-limit-retry-after", &["retry-after"]),
    ("post-response-success", &["method-success-code"]),
];

/// Zally's rules (Zalando guideline numbers) that correspond to ours.
pub const ZALLY_RULES: &[(&str, &[&str])] = &[
    // "Use Standard HTTP Status Codes": official codes, well-understood codes, the codes
    // each method may answer with, no content on 204, codes not to use and codes not to
    // document.
    (
        "150",
        &[
            "avoided-code",
            "code-allowed-for-method",
            "code-not-in-guideline",
            "needless-response",
            "no-body",
            "unknown-status-code",
        ],
    ),
    // "Specify Success and Error Responses".
    ("151", &["error-responses", "success-response"]),
    // "Use 429 With Header For Rate Limits".
    ("153", &["retry-after"]),
    // "Use Problem JSON".
    ("176", &["error-schema"]),
    // "Do Not Expose Stack Traces".
    ("177", &["no-raw-errors"]),
    // "Do Not Use Redirection Codes".
    ("251", &["avoided-code"]),
];

const UNUSED_SUMMARY: &str = "An `x-oaslint-ignore` entry suppresses no finding";

const UNUSED_DOCS: &str = r#"## What it does
Reports an `x-oaslint-ignore` entry that suppresses no finding: the rule it names finds
nothing in the node it sits on (nor in what that node's operation or response `$ref`s),
or it names a rule oaslint does not know, or it cannot be read.

An entry naming a rule the ruleset turns off is not reported, since that rule did not
run. vacuum's `x-lint-ignore` and Zally's `x-zally-ignore` are never reported: those
markers may be there for the other tool.

## Why is this bad?
A suppression outlives the finding it was written for: once the response is fixed, the
stale ignore would silently hide the same mistake when it comes back. Reporting it keeps
the list of accepted exceptions as short as the API allows.

## Example
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    delete:
      x-oaslint-ignore: [no-body]
      responses:
        "204":
          description: Deleted.
```
Use instead:
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    delete:
      responses:
        "204":
          description: Deleted.
```

## Configuration
Change its severity or turn it off in the `.oaslint.yaml` `overrides:` section
(`rules: {unused-suppression: off}`), or suppress it where it is reported by naming it:
`x-oaslint-ignore: [no-body, unused-suppression]` (`all` does not cover it).
"#;

/// What reporters, `oaslint rules` and `oaslint explain` say about `unused-suppression`.
pub fn unused_suppression_meta() -> RuleMeta {
    RuleMeta { id: UNUSED_SUPPRESSION, summary: UNUSED_SUMMARY, docs: UNUSED_DOCS, default_severity: Severity::Info }
}

/// The page `docs/rules/unused-suppression.md`.
pub fn render_unused_suppression_page() -> String {
    format!(
        "# `{UNUSED_SUPPRESSION}`\n\n{UNUSED_SUMMARY}.\n\n- Default severity: **info** (rulesets do not set it; the \
         configuration's `rules:` and `overrides:` do, `x-oaslint-ignore: [{UNUSED_SUPPRESSION}]` suppresses it)\n\n{UNUSED_DOCS}"
    )
}

/// Which marker an ignore was written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    Oaslint,
    Vacuum,
    Zally,
}

impl Marker {
    fn from_key(key: &str) -> Option<Marker> {
        match key {
            IGNORE_KEY => Some(Marker::Oaslint),
            VACUUM_IGNORE_KEY => Some(Marker::Vacuum),
            ZALLY_IGNORE_KEY => Some(Marker::Zally),
            _ => None,
        }
    }
}

/// The rules one ignore entry covers.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Rules {
    /// Every rule but `unused-suppression` (which must be named).
    All,
    Ids(Vec<&'static str>),
}

impl Rules {
    fn covers(&self, rule: &str) -> bool {
        match self {
            Rules::All => rule != UNUSED_SUPPRESSION,
            Rules::Ids(ids) => ids.contains(&rule),
        }
    }
}

/// One rule (or `all`) an ignore lists, with its reason.
#[derive(Debug)]
struct IgnoreEntry {
    rules: Rules,
    /// The suppressed findings' justification.
    justification: Option<String>,
    /// The list item (or the marker's value), where an unused entry is reported.
    at: Location,
    pointer: String,
    /// As written (`no-body`, `all`).
    label: String,
    used: bool,
    /// Only oaslint's own entries are reported unused (peers' may serve the other tool),
    /// and never one naming `unused-suppression`.
    report_unused: bool,
}

/// One marker found in a document.
#[derive(Debug)]
struct Ignore {
    /// The file and the span it covers: the mapping that holds the marker, from the key
    /// the mapping sits under. `None` on the root document's root: the whole API.
    region: Option<(Arc<SourceFile>, Span)>,
    entries: Vec<IgnoreEntry>,
}

impl Ignore {
    /// How narrowly the ignore covers the finding (the covering region's length; the
    /// nearest ignore gives the justification), or `None` when it does not.
    fn reach(&self, finding: &Finding) -> Option<u32> {
        self.reach_places(std::iter::once(&finding.primary).chain(&finding.about))
    }

    fn reach_places<'a>(&self, places: impl Iterator<Item = &'a Location>) -> Option<u32> {
        let Some((file, region)) = &self.region else {
            return Some(u32::MAX);
        };
        let mut inside = places.filter(|place| same_file(&place.file, file));
        inside.any(|place| region.start <= place.span.start && place.span.end <= region.end).then(|| region.len())
    }
}

fn same_file(a: &Arc<SourceFile>, b: &Arc<SourceFile>) -> bool {
    Arc::ptr_eq(a, b) || a.path == b.path
}

/// Mark the findings the workspace's ignore markers cover as suppressed in source, and
/// add an `unused-suppression` finding for each `x-oaslint-ignore` entry that covers
/// none. `ran` tells whether a rule ran (an entry for a rule that is off is not unused).
/// Input errors are never suppressed; the input warnings can be.
pub fn apply_inline(workspace: &Workspace, findings: &mut Vec<Finding>, ran: &dyn Fn(&str) -> bool) {
    let mut reports = Vec::new();
    let mut ignores = collect(workspace, &mut reports);
    if ignores.is_empty() && reports.is_empty() {
        return;
    }
    for finding in findings.iter_mut().filter(|finding| is_adjustable(&finding.rule)) {
        suppress(finding, &mut ignores);
    }
    for entry in ignores.iter().flat_map(|ignore| &ignore.entries) {
        if entry.report_unused && !entry.used && rules_ran(&entry.rules, ran) {
            let what = match entry.rules {
                Rules::All => "no finding".to_owned(),
                Rules::Ids(_) => format!("no `{}` finding", entry.label),
            };
            let message = format!(
                "`{IGNORE_KEY}` entry `{}` suppresses nothing: {what} is located under this node or in what it references",
                entry.label
            );
            reports.push(unused_finding(message, entry.at.clone(), entry.pointer.clone()).with_help(
                "remove the entry: the finding it was written for is gone (or the entry sits on the wrong node)",
            ));
        }
    }
    // `unused-suppression` reports can themselves be suppressed, by naming the rule.
    for report in &mut reports {
        suppress(report, &mut ignores);
    }
    findings.extend(reports);
}

fn rules_ran(rules: &Rules, ran: &dyn Fn(&str) -> bool) -> bool {
    match rules {
        Rules::All => CHECK_IDS.iter().any(|id| ran(id)),
        Rules::Ids(ids) => ids.iter().any(|id| ran(id)),
    }
}

/// Suppress one finding by the nearest ignore covering it; every covering entry counts as
/// used. A fault of a shared definition (`used_by`) is suppressed by an ignore on the
/// definition, or when every operation that reaches it has one; an ignore on some of them
/// only is used (the problem it was written for is still there) but suppresses nothing.
fn suppress(finding: &mut Finding, ignores: &mut [Ignore]) {
    let mut nearest = nearest_ignore(ignores, &finding.rule, |ignore| ignore.reach(finding));
    if nearest.is_none() && !finding.used_by.is_empty() {
        let mut justification = None;
        let mut all_covered = true;
        for by in &finding.used_by {
            match nearest_ignore(ignores, &finding.rule, |ignore| ignore.reach_places(by.about.iter())) {
                Some((_, why)) => justification = justification.or(Some(why)),
                None => all_covered = false,
            }
        }
        if all_covered {
            nearest = justification.map(|why| (0, why));
        }
    }
    if let Some((_, justification)) = nearest {
        if finding.suppression.is_none() {
            finding.suppression = Some(Suppression { kind: SuppressionKind::InSource, justification });
        }
    }
}

/// The nearest ignore for `rule` that `reach` says covers the places, with its
/// justification; marks every covering entry used.
fn nearest_ignore(
    ignores: &mut [Ignore],
    rule: &str,
    reach: impl Fn(&Ignore) -> Option<u32>,
) -> Option<(u32, Option<String>)> {
    let mut nearest: Option<(u32, Option<String>)> = None;
    for ignore in ignores.iter_mut() {
        let Some(reach) = reach(ignore) else { continue };
        for entry in ignore.entries.iter_mut().filter(|entry| entry.rules.covers(rule)) {
            entry.used = true;
            if nearest.as_ref().is_none_or(|(best, _)| reach < *best) {
                nearest = Some((reach, entry.justification.clone()));
            }
        }
    }
    nearest
}

fn unused_finding(message: String, at: Location, pointer: String) -> Finding {
    Finding::new(UNUSED_SUPPRESSION, Category::Rule, Severity::Info, message, at, pointer)
}

/// Every marker in the workspace's files. Malformed `x-oaslint-ignore` entries and unknown
/// rule ids are reported into `reports` at once.
fn collect(workspace: &Workspace, reports: &mut Vec<Finding>) -> Vec<Ignore> {
    let mut ignores = Vec::new();
    for (index, file) in workspace.files().iter().enumerate() {
        // Most files hold no marker: one byte search spares the walk over their trees.
        if mentions_marker(file.text().as_bytes()) {
            collect_in_file(file, index == 0, &mut ignores, reports);
        }
    }
    ignores
}

/// Whether a text contains one of the marker keys. The keys share their `-ignore` end,
/// so a large spec is scanned once rather than once per marker.
fn mentions_marker(text: &[u8]) -> bool {
    memmem::find_iter(text, b"-ignore").any(|at| {
        let before = text.get(..at).unwrap_or_default();
        [IGNORE_KEY, VACUUM_IGNORE_KEY, ZALLY_IGNORE_KEY]
            .iter()
            .filter_map(|key| key.strip_suffix("-ignore"))
            .any(|prefix| before.ends_with(prefix.as_bytes()))
    })
}

/// Walk one file's tree (each node once: YAML aliases share nodes) for markers.
fn collect_in_file(file: &Arc<SourceFile>, is_api_root: bool, ignores: &mut Vec<Ignore>, reports: &mut Vec<Finding>) {
    let tree = &file.tree;
    let Some(root) = tree.root() else { return };
    let mut visited = vec![false; tree.node_count()];
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match visited.get_mut(node.index()) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        match tree.value(node) {
            // Children are pushed in reverse so that they are visited in document order.
            Value::Mapping(entries) => {
                for entry in entries {
                    if let Some(marker) = Marker::from_key(tree.key_text(entry)) {
                        let region = (!(is_api_root && node == root)).then(|| (Arc::clone(file), region(tree, node)));
                        let entries = read_marker(file, marker, entry.value, reports);
                        ignores.push(Ignore { region, entries });
                    }
                }
                let children = entries.iter().filter(|entry| Marker::from_key(tree.key_text(entry)).is_none());
                stack.extend(children.rev().map(|entry| entry.value));
            }
            Value::Sequence(items) => stack.extend(items.iter().rev().copied()),
            _ => {}
        }
    }
}

/// The span an ignore in `mapping` covers: the mapping, from the key it sits under (a
/// finding about an operation is reported at the operation's key).
fn region(tree: &Tree, mapping: NodeId) -> Span {
    let span = tree.span(mapping);
    match tree.entry_of(mapping) {
        Some(entry) if entry.value == mapping => Span::new(tree.span(entry.key).start.min(span.start), span.end),
        _ => span,
    }
}

/// The entries of one marker's value: a single item or a list of them.
fn read_marker(file: &Arc<SourceFile>, marker: Marker, value: NodeId, reports: &mut Vec<Finding>) -> Vec<IgnoreEntry> {
    let tree = &file.tree;
    let items: Vec<NodeId> = match tree.value(value) {
        Value::Sequence(items) => items.to_vec(),
        _ => vec![value],
    };
    if items.is_empty() && marker == Marker::Oaslint {
        let message = format!("this `{IGNORE_KEY}` is empty: it suppresses nothing");
        reports.push(unused_finding(message, location(file, value), tree.pointer(value)).with_help("remove it"));
    }
    let mut entries = Vec::new();
    for item in items {
        match marker {
            Marker::Oaslint => match read_oaslint_item(tree, item) {
                Ok((rule, reason)) => match known_rule(&rule) {
                    Ok(rules) => entries.push(IgnoreEntry {
                        report_unused: rules != Rules::Ids(vec![UNUSED_SUPPRESSION]),
                        rules,
                        justification: reason,
                        at: location(file, item),
                        pointer: tree.pointer(item),
                        label: rule,
                        used: false,
                    }),
                    Err(problem) => {
                        let message = format!("`{IGNORE_KEY}` names a rule it cannot suppress: {problem}");
                        let help = format!(
                            "name one of: all, {}, {}",
                            CHECK_IDS.join(", "),
                            adjustable_non_checks().collect::<Vec<_>>().join(", ")
                        );
                        reports.push(unused_finding(message, location(file, item), tree.pointer(item)).with_help(help));
                    }
                },
                Err(problem) => {
                    let message = format!("`{IGNORE_KEY}` entry cannot be read: {problem}");
                    let help = "write a rule id, `all`, or `{rule: <id>, reason: <why>}`";
                    reports.push(unused_finding(message, location(file, item), tree.pointer(item)).with_help(help));
                }
            },
            Marker::Vacuum | Marker::Zally => {
                // Peers' ids that have no counterpart here are left alone, quietly.
                let Some(id) = tree.scalar_text(item) else { continue };
                let table = if marker == Marker::Vacuum { VACUUM_RULES } else { ZALLY_RULES };
                let Some(&(_, ours)) = table.iter().find(|(theirs, _)| *theirs == id.trim()) else { continue };
                let key = if marker == Marker::Vacuum { VACUUM_IGNORE_KEY } else { ZALLY_IGNORE_KEY };
                entries.push(IgnoreEntry {
                    rules: Rules::Ids(ours.to_vec()),
                    justification: Some(format!("`{key}: {}`", id.trim())),
                    at: location(file, item),
                    pointer: tree.pointer(item),
                    label: id.trim().to_owned(),
                    used: false,
                    report_unused: false,
                });
            }
        }
    }
    entries
}

/// A list item of `x-oaslint-ignore`: `no-body`, or `{rule: no-body, reason: "..."}`.
fn read_oaslint_item(tree: &Tree, item: NodeId) -> Result<(String, Option<String>), String> {
    match tree.value(item) {
        Value::String(rule) => Ok((rule.trim().to_owned(), None)),
        Value::Mapping(entries) => {
            if let Some(unknown) =
                entries.iter().map(|entry| tree.key_text(entry)).find(|key| !matches!(*key, "rule" | "reason"))
            {
                return Err(format!("unknown key `{unknown}` (an entry has `rule` and `reason`)"));
            }
            let rule = tree.get_str(item, "rule").ok_or("`rule` is missing or not a string")?;
            let reason =
                tree.get(item, "reason").and_then(|reason| tree.scalar_text(reason)).map(|text| text.trim().to_owned());
            Ok((rule.trim().to_owned(), reason.filter(|reason| !reason.is_empty())))
        }
        _ => Err("expected a rule id or a mapping with `rule` and `reason`".to_owned()),
    }
}

fn known_rule(id: &str) -> Result<Rules, String> {
    match parse_rule_id(id, Accept::RulesOrAll)? {
        ALL => Ok(Rules::All),
        known => Ok(Rules::Ids(vec![known])),
    }
}

fn location(file: &Arc<SourceFile>, node: NodeId) -> Location {
    Location::new(Arc::clone(file), file.tree.key_span(node))
}

/// Across several roots linted in one run: keep an `unused-suppression` finding only when
/// every workspace that loaded its file reported it. An ignore in a fragment that two
/// roots share may be used through one root and not the other. `loaded` lists the path
/// of every file of every workspace (a file loaded by two roots appears twice). Call it
/// before [`crate::finding::sort_and_dedup`]; one root needs no reconciling.
pub fn reconcile_unused<'a>(findings: &mut Vec<Finding>, loaded: impl IntoIterator<Item = &'a Path>) {
    let mut loads: HashMap<&Path, usize> = HashMap::new();
    for path in loaded {
        *loads.entry(path).or_default() += 1;
    }
    let key = |finding: &Finding| {
        (
            finding.primary.file.path.clone(),
            finding.primary.span.start,
            finding.primary.span.end,
            finding.message.clone(),
        )
    };
    let mut reported: HashMap<_, usize> = HashMap::new();
    for finding in findings.iter().filter(|finding| finding.rule == UNUSED_SUPPRESSION) {
        *reported.entry(key(finding)).or_default() += 1;
    }
    findings.retain(|finding| {
        if finding.rule != UNUSED_SUPPRESSION {
            return true;
        }
        let times_loaded = loads.get(finding.primary.file.path.as_path()).copied().unwrap_or(1);
        reported.get(&key(finding)).copied().unwrap_or(0) >= times_loaded
    });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{
        CHECK_IDS, UNUSED_SUPPRESSION, VACUUM_RULES, ZALLY_RULES, apply_inline, reconcile_unused,
        render_unused_suppression_page,
    };
    use crate::finding::{Category, Finding, Severity, SuppressionKind};
    use crate::resolve::{LoadOptions, NodeRef, Workspace, unescape_token};

    fn workspace(text: &str) -> Workspace {
        Workspace::from_text("test.yaml", text, None, &LoadOptions::default())
    }

    /// A finding of `rule` at the node `pointer` names in the root document.
    fn finding_at(workspace: &Workspace, pointer: &str, rule: &str) -> Finding {
        let root = workspace.root().unwrap();
        let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape_token).collect();
        let node = workspace.tree(root.file).lookup(tokens.iter().map(String::as_str)).unwrap();
        let node = NodeRef { file: root.file, node };
        let location = workspace.key_location(node).unwrap();
        Finding::new(rule, Category::Rule, Severity::Warning, format!("{rule} here"), location, workspace.pointer(node))
    }

    /// `rule pointer [justification]` of each finding, suppressed ones marked `-`.
    fn outcome(findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .map(|finding| match &finding.suppression {
                Some(suppression) => {
                    assert_eq!(suppression.kind, SuppressionKind::InSource);
                    let why = suppression.justification.as_deref().unwrap_or("");
                    format!("- {} {} {why}", finding.rule, finding.pointer).trim_end().to_owned()
                }
                None => format!("{} {}", finding.rule, finding.pointer),
            })
            .collect()
    }

    const PEERS: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      x-lint-ignore: [operation-success-response, operation-description]\n      responses: {}\n  /b:\n    get:\n      x-zally-ignore: [151, 'M008']\n      responses: {}\n  /c:\n    get:\n      responses: {}\n";

    #[test]
    fn peer_markers_suppress_the_rules_they_map_to_and_are_never_unused() {
        let workspace = workspace(PEERS);
        let mut findings = vec![
            finding_at(&workspace, "/paths/~1a/get", "success-response"),
            finding_at(&workspace, "/paths/~1a/get", "error-schema"),
            finding_at(&workspace, "/paths/~1b/get", "success-response"),
            finding_at(&workspace, "/paths/~1c/get", "success-response"),
        ];
        apply_inline(&workspace, &mut findings, &|_| true);
        assert_eq!(
            outcome(&findings),
            [
                "- success-response /paths/~1a/get `x-lint-ignore: operation-success-response`",
                "error-schema /paths/~1a/get",
                "- success-response /paths/~1b/get `x-zally-ignore: 151`",
                "success-response /paths/~1c/get",
            ]
        );
    }

    #[test]
    fn malformed_entries_and_unknown_rules_are_reported() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-oaslint-ignore: [42, {rule: no-body, why: x}, {reason: r}, nobody]\npaths:\n  /a:\n    x-oaslint-ignore: []\n";
        let workspace = workspace(text);
        let mut findings = Vec::new();
        apply_inline(&workspace, &mut findings, &|_| true);
        let messages: Vec<String> = findings.iter().map(|f| format!("{} {}", f.pointer, f.message)).collect();
        assert_eq!(
            messages,
            [
                "/x-oaslint-ignore/0 `x-oaslint-ignore` entry cannot be read: expected a rule id or a mapping with `rule` and `reason`",
                "/x-oaslint-ignore/1 `x-oaslint-ignore` entry cannot be read: unknown key `why` (an entry has `rule` and `reason`)",
                "/x-oaslint-ignore/2 `x-oaslint-ignore` entry cannot be read: `rule` is missing or not a string",
                "/x-oaslint-ignore/3 `x-oaslint-ignore` names a rule it cannot suppress: unknown rule `nobody` (did you mean `no-body`?); `oaslint rules` lists them",
                "/paths/~1a/x-oaslint-ignore this `x-oaslint-ignore` is empty: it suppresses nothing",
            ]
        );
        assert!(findings.iter().all(|f| f.rule == UNUSED_SUPPRESSION && f.severity == Severity::Info));
    }

    #[test]
    fn all_spares_unused_suppression_which_must_be_named() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    x-oaslint-ignore: [all]\n    get:\n      x-oaslint-ignore: [no-body]\n  /b:\n    x-oaslint-ignore: [unused-suppression]\n    get:\n      x-oaslint-ignore: [no-body]\n";
        let workspace = workspace(text);
        let mut findings = Vec::new();
        apply_inline(&workspace, &mut findings, &|_| true);
        // `all` on /a suppressed nothing either, and does not hide the report under it; the
        // entry naming `unused-suppression` on /b hides the report and is never reported.
        assert_eq!(
            outcome(&findings),
            [
                "unused-suppression /paths/~1a/x-oaslint-ignore/0",
                "unused-suppression /paths/~1a/get/x-oaslint-ignore/0",
                "- unused-suppression /paths/~1b/get/x-oaslint-ignore/0",
            ]
        );
    }

    #[test]
    fn an_ignore_covers_its_subtree_only_and_the_nearest_gives_the_reason() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-oaslint-ignore: [{rule: error-schema, reason: everywhere}]\npaths:\n  /a:\n    x-oaslint-ignore: [{rule: error-schema, reason: on /a}]\n    get:\n      responses: {}\n  /b:\n    get:\n      x-oaslint-ignore: [{rule: no-body, reason: on /b}]\n      responses: {}\n    put:\n      responses: {}\n";
        let workspace = workspace(text);
        let mut findings = vec![
            finding_at(&workspace, "/paths/~1a/get", "error-schema"),
            finding_at(&workspace, "/paths/~1b/get", "error-schema"),
            finding_at(&workspace, "/paths/~1b/get", "no-body"),
            finding_at(&workspace, "/paths/~1b/put", "no-body"),
        ];
        apply_inline(&workspace, &mut findings, &|_| true);
        assert_eq!(
            outcome(&findings),
            [
                "- error-schema /paths/~1a/get on /a",
                "- error-schema /paths/~1b/get everywhere",
                "- no-body /paths/~1b/get on /b",
                "no-body /paths/~1b/put",
            ]
        );
    }

    #[test]
    fn input_problems_are_never_suppressed() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-oaslint-ignore: [all]\npaths: {}\n";
        let workspace = workspace(text);
        let mut problem = finding_at(&workspace, "/paths", "unresolved-ref");
        problem.category = Category::Input;
        let mut findings = vec![problem];
        apply_inline(&workspace, &mut findings, &|_| true);
        assert_eq!(outcome(&findings), ["unresolved-ref /paths", "unused-suppression /x-oaslint-ignore/0"]);
    }

    #[test]
    fn only_files_that_mention_a_marker_are_walked() {
        assert!(super::mentions_marker(b"a: 1\nx-oaslint-ignore: [no-body]\n"));
        assert!(super::mentions_marker(b"{\"x-zally-ignore\": [150]}"));
        assert!(super::mentions_marker(b"x-lint-ignore: x"));
        assert!(!super::mentions_marker(b"x-other-ignore: x\ndescription: lint-ignore\n"));
        assert!(!super::mentions_marker(b"-ignore"));
    }

    #[test]
    fn peer_tables_name_real_checks() {
        for (theirs, ours) in VACUUM_RULES.iter().chain(ZALLY_RULES) {
            assert!(!ours.is_empty(), "{theirs}");
            for id in *ours {
                assert!(CHECK_IDS.contains(id), "{theirs} maps to unknown {id}");
            }
        }
    }

    #[test]
    fn an_unused_report_survives_reconciling_only_if_every_root_made_it() {
        let workspace = workspace("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-oaslint-ignore: [no-body]\n");
        let mut findings = Vec::new();
        apply_inline(&workspace, &mut findings, &|_| true);
        assert_eq!(findings.len(), 1);
        let path = findings.first().map(|f| f.primary.file.path.clone()).unwrap();
        // Loaded by two roots, reported by one: dropped.
        let mut once = findings.clone();
        reconcile_unused(&mut once, [path.as_path(), path.as_path(), Path::new("other.yaml")]);
        assert!(once.is_empty());
        // Reported by both: kept (deduplication makes it one).
        let mut twice: Vec<Finding> = findings.iter().chain(&findings).cloned().collect();
        reconcile_unused(&mut twice, [path.as_path(), path.as_path()]);
        assert_eq!(twice.len(), 2);
    }

    /// `docs/rules/unused-suppression.md` is generated; `OASLINT_BLESS=1` rewrites it.
    #[test]
    fn unused_suppression_page_is_fresh() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules/unused-suppression.md");
        let page = render_unused_suppression_page();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            if std::env::var_os("OASLINT_BLESS").is_some() {
                std::fs::write(&path, page).unwrap();
            } else {
                panic!("stale {} (run `OASLINT_BLESS=1 cargo test unused_suppression_page`)", path.display());
            }
        }
    }

    /// The page's bad example is reported and the good one is not.
    #[test]
    fn unused_suppression_examples_behave() {
        let (bad, good, _) = crate::checks::docs::examples(super::UNUSED_DOCS);
        for (example, expected) in [(bad, 1), (good, 0)] {
            let workspace = workspace(&example.unwrap());
            let ruleset = crate::checks::ruleset::Ruleset::builtin("recommended").unwrap();
            let findings = crate::checks::lint(&workspace, &ruleset);
            let unused = findings.iter().filter(|f| f.rule == UNUSED_SUPPRESSION).count();
            assert_eq!(unused, expected);
        }
    }
}
