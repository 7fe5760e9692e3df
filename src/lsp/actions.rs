//! Code actions: a finding's fix as a `quickfix` (the safe ones preferred), "Ignore
//! <rule> here" (an `x-oaslint-ignore` entry with a reason to fill in, on the response or
//! operation the finding is in), and every safe fix of a file as `source.fixAll.oaslint`.
//! Edits are computed on the text the findings were linted from; the server offers them
//! only while the editor's text is still that one. A quick fix is the check's own edits
//! (cheap: offered at every cursor move); fixing all goes through the fix engine, which
//! re-lints until every fix is confirmed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{CodeAction, CodeActionKind, Diagnostic, TextEdit, Url, WorkspaceEdit};

use super::diagnostics::{diagnostic, file_uri};
use super::position::{Encoding, Positions};
use crate::checks::adopt::{IGNORE_KEY, UNUSED_SUPPRESSION};
use crate::finding::{Applicability, Category, Edit, Finding, Fix};
use crate::model::Method;
use crate::pipeline::fix::{FixMode, fix_root};
use crate::pipeline::{BatchKind, Inputs, PipelineError, Settings, lint_each};
use crate::resolve::{normalize, unescape_token};
use crate::source::{LineIndex, NodeId, SourceFile, Span, Syntax, Tree, Value};

/// The kind of the "fix all" action: clients run it on save with
/// `"editor.codeActionsOnSave": {"source.fixAll.oaslint": "explicit"}`.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.oaslint")
}

/// What the reason placeholder of an inserted ignore says.
pub const REASON_PLACEHOLDER: &str = "TODO: say why this is accepted";

/// The quick fixes for the findings under the cursor: each one's fix, then an ignore.
pub fn quick_fixes(findings: &[&Finding], encoding: Encoding) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    for finding in findings {
        if let Some(fix) = &finding.fix {
            if let Some(edit) = workspace_edit(&fix.edits, encoding) {
                actions.push(CodeAction {
                    title: fix_title(fix),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic(finding, encoding)]),
                    edit: Some(edit),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..CodeAction::default()
                });
            }
        }
    }
    for finding in findings {
        if let Some(edit) = ignore_edit(finding) {
            if let Some(workspace) = workspace_edit(std::slice::from_ref(&edit.edit), encoding) {
                actions.push(CodeAction {
                    title: format!("Ignore {} here (on this {})", finding.rule, edit.node),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic(finding, encoding)]),
                    edit: Some(workspace),
                    is_preferred: Some(false),
                    ..CodeAction::default()
                });
            }
        }
    }
    actions
}

fn fix_title(fix: &Fix) -> String {
    match fix.applicability {
        Applicability::Safe => fix.title.clone(),
        Applicability::Unsafe => format!("{} (changes the API's contract)", fix.title),
    }
}

/// Every safe fix of a file at once, through the fix engine: applied in rounds, each
/// re-linted, keeping only fixes that parse, remove their finding and add none (as
/// `oaslint lint --fix` does); edits only this file. `None` when nothing changes.
pub fn fix_all(uri: &Url, path: &Path, current: &str, settings: &Settings, encoding: Encoding) -> Option<CodeAction> {
    let fixed = fixed_text(path, settings)?;
    if fixed.text == current {
        return None;
    }
    let edit = minimal_edit(current, &fixed.text, encoding);
    let changes = HashMap::from([(uri.clone(), vec![edit])]);
    let count = fixed.applied;
    Some(CodeAction {
        title: format!("Fix all safe fixes in this file ({count})"),
        kind: Some(fix_all_kind()),
        edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
        ..CodeAction::default()
    })
}

struct FixedText {
    text: String,
    applied: usize,
}

/// The file's text with every safe fix the engine confirms, through each root that
/// reaches it.
fn fixed_text(path: &Path, settings: &Settings) -> Option<FixedText> {
    let paths = [path.to_path_buf()];
    let inputs = Inputs { paths: &paths, stdin_filename: None, skip_non_openapi: true };
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    let mut applied = 0;
    let editable = [normalize(path)];
    let outcome = lint_each(&inputs, settings, |batch| {
        let Some(root) = batch.root.clone().filter(|_| batch.kind == BatchKind::Document) else {
            return Ok::<(), PipelineError>(());
        };
        let outcome = fix_root(&root, &batch.findings, &editable, &texts, settings, FixMode::default());
        applied += outcome.applied.len();
        for file in outcome.files {
            texts.insert(file.path, file.fixed);
        }
        Ok(())
    });
    outcome.ok()?;
    let text = texts.remove(&normalize(path))?;
    Some(FixedText { text, applied })
}

/// One edit turning `before` into `after`: what lies between their common start and end.
fn minimal_edit(before: &str, after: &str, encoding: Encoding) -> TextEdit {
    let mut prefix = before.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
    while !(before.is_char_boundary(prefix) && after.is_char_boundary(prefix)) {
        prefix -= 1;
    }
    let longest = before.len().min(after.len()) - prefix;
    let mut suffix = before.bytes().rev().zip(after.bytes().rev()).take(longest).take_while(|(a, b)| a == b).count();
    while !(before.is_char_boundary(before.len() - suffix) && after.is_char_boundary(after.len() - suffix)) {
        suffix -= 1;
    }
    let lines = LineIndex::new(before);
    let positions = Positions::new(before, &lines, encoding);
    let span = Span::new(prefix as u32, (before.len() - suffix) as u32);
    TextEdit {
        range: positions.range(span),
        new_text: after.get(prefix..after.len() - suffix).unwrap_or("").to_owned(),
    }
}

/// Edits as a workspace edit, file by file; `None` if a file has no `file:` URI.
fn workspace_edit(edits: &[Edit], encoding: Encoding) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for edit in edits {
        let uri = file_uri(&edit.at.file.path)?;
        let range = Positions::of_file(&edit.at.file, encoding).range(edit.at.span);
        changes.entry(uri).or_default().push(TextEdit { range, new_text: edit.text.clone() });
    }
    Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
}

/// An ignore to insert, and what it sits on.
pub struct IgnoreEdit {
    pub edit: Edit,
    /// "response" or "operation".
    pub node: &'static str,
}

/// The edit that adds `{rule: <id>, reason: ...}` to the `x-oaslint-ignore` of the
/// response the finding lies in, else of its operation, else of the component it lies in.
/// `None` for what cannot be suppressed inline (input problems, `unused-suppression`) or
/// a finding in no such node.
pub fn ignore_edit(finding: &Finding) -> Option<IgnoreEdit> {
    if finding.category == Category::Input || finding.rule == UNUSED_SUPPRESSION {
        return None;
    }
    let file = &finding.primary.file;
    let tree = &file.tree;
    let (target, node) = ignore_target(tree, &finding.pointer).or_else(|| about_target(finding))?;
    let (span, text) = insert_ignore(file, target, &finding.rule)?;
    let at = crate::finding::Location::new(std::sync::Arc::clone(file), span);
    Some(IgnoreEdit { edit: Edit { at, text }, node })
}

/// The innermost response (a mapping under `responses`) or operation (a mapping under an
/// HTTP method) on the pointer's way.
fn ignore_target(tree: &Tree, pointer: &str) -> Option<(NodeId, &'static str)> {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape_token).collect();
    for depth in (1..=tokens.len()).rev() {
        let prefix = tokens.get(..depth)?;
        let Some(node) = tree.lookup(prefix.iter().map(String::as_str)) else { continue };
        if !tree.is_mapping(node) || tree.get(node, "$ref").is_some() {
            continue;
        }
        let key = prefix.last().map_or("", String::as_str);
        let parent_key = depth.checked_sub(2).and_then(|at| tokens.get(at)).map_or("", String::as_str);
        if parent_key == "responses" {
            return Some((node, "response"));
        }
        if Method::ALL.iter().any(|method| method.key() == key) {
            return Some((node, "operation"));
        }
    }
    None
}

/// For a finding in a file that holds only part of the API (a shared response in
/// `responses.yaml`), the node it is about that lies in that file: the innermost of the
/// operations and responses it concerns, as the checks recorded them.
fn about_target(finding: &Finding) -> Option<(NodeId, &'static str)> {
    let file = &finding.primary.file;
    let primary = finding.primary.span;
    let about = finding.about.iter().chain(finding.used_by.iter().flat_map(|used| used.about.iter()));
    let innermost = about
        .filter(|location| location.file.path == file.path)
        .map(|location| location.span)
        .filter(|span| span.start <= primary.start && primary.end <= span.end)
        .min_by_key(|span| span.end - span.start)?;
    let node = node_with_span(&file.tree, innermost)?;
    (file.tree.is_mapping(node) && file.tree.get(node, "$ref").is_none()).then_some((node, "definition"))
}

/// The outermost node whose span is exactly `span`.
fn node_with_span(tree: &Tree, span: Span) -> Option<NodeId> {
    let mut node = tree.root()?;
    for _ in 0..tree.node_count() {
        if tree.span(node) == span {
            return Some(node);
        }
        let inside = |child: NodeId| {
            let child_span = tree.span(child);
            child_span.start <= span.start && span.end <= child_span.end
        };
        let entries = tree.entries(node).iter().map(|entry| entry.value);
        node = entries.chain(tree.items(node).iter().copied()).find(|&child| inside(child))?;
    }
    None
}

/// Where and what to insert into `mapping` so its `x-oaslint-ignore` names `rule`.
fn insert_ignore(file: &SourceFile, mapping: NodeId, rule: &str) -> Option<(Span, String)> {
    let tree = &file.tree;
    let text = file.text();
    let json = file.syntax == Syntax::Json;
    let item = if json {
        format!("{{\"rule\": \"{rule}\", \"reason\": \"{REASON_PLACEHOLDER}\"}}")
    } else {
        format!("{{rule: {rule}, reason: \"{REASON_PLACEHOLDER}\"}}")
    };
    if let Some(existing) = tree.get(mapping, IGNORE_KEY) {
        return append_item(file, existing, &item);
    }
    let key = if json { format!("\"{IGNORE_KEY}\"") } else { IGNORE_KEY.to_owned() };
    let entry = format!("{key}: [{item}]");
    let span = tree.span(mapping);
    let flow = text.as_bytes().get(span.start as usize) == Some(&b'{');
    let Some(first) = tree.entries(mapping).first() else {
        // `{}`: the only entry.
        return flow.then(|| (span, format!("{{{entry}}}")));
    };
    let first_key = tree.span(first.key).start;
    let separator = if flow { "," } else { "" };
    let on_own_line = text.get(..first_key as usize)?.rsplit(['\n', '\r']).next()?.trim_start().is_empty()
        || text.get(span.start as usize + 1..first_key as usize).is_some_and(|between| between.contains(['\n', '\r']));
    let text = if !flow || on_own_line {
        format!("{entry}{separator}{}{}", line_break(text), indentation(text, first_key))
    } else {
        format!("{entry}, ")
    };
    Some((Span::at(first_key), text))
}

/// Add `item` to an existing `x-oaslint-ignore` value: a list (flow or block) gets one
/// more item; a single id becomes a list of it and the item.
fn append_item(file: &SourceFile, value: NodeId, item: &str) -> Option<(Span, String)> {
    let tree = &file.tree;
    let text = file.text();
    let span = tree.span(value);
    match tree.value(value) {
        Value::Sequence(items) => {
            let flow = text.as_bytes().get(span.start as usize) == Some(&b'[');
            if flow {
                let close = span.end.checked_sub(1)?;
                (text.as_bytes().get(close as usize) == Some(&b']')).then_some(())?;
                let text = if items.is_empty() { item.to_owned() } else { format!(", {item}") };
                return Some((Span::at(close), text));
            }
            let first = tree.span(*items.first()?).start as usize;
            let last = tree.span(*items.last()?).end;
            // The `- ` of the first item sets the column of the new one.
            let line = text.get(..first)?.rsplit(['\n', '\r']).next()?;
            let dash = line.rfind('-')?;
            let indent = " ".repeat(line.get(..dash)?.chars().count());
            Some((Span::at(last), format!("{}{indent}- {item}", line_break(text))))
        }
        Value::String(_) => {
            let written = file.slice(span);
            Some((span, format!("[{written}, {item}]")))
        }
        _ => None,
    }
}

/// The file's line break: CRLF where its first line ends so, else LF.
fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// Spaces as wide as the text before `offset` on its line (a `- ` marker counts as
/// indentation: the next key lines up with the first).
fn indentation(text: &str, offset: u32) -> String {
    let line = text.get(..offset as usize).and_then(|before| before.rsplit(['\n', '\r']).next()).unwrap_or("");
    " ".repeat(line.chars().count())
}

/// Whether an action of `kind` is one the client asked for (`only`): the same kind or a
/// more specific one (`source.fixAll.oaslint` answers `source.fixAll` and `source`).
pub fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|asked| {
            let asked = asked.as_str();
            kind.as_str() == asked || kind.as_str().strip_prefix(asked).is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// Whether a finding's span touches the byte range `start..end` of its file.
pub fn touches(span: Span, start: usize, end: usize) -> bool {
    span.start as usize <= end && start <= span.end as usize
}

/// The findings of a diagnostic list the client sent back (same rule and range).
pub fn matches_diagnostic(finding: &Finding, diagnostic: &Diagnostic, encoding: Encoding) -> bool {
    let range = Positions::of_file(&finding.primary.file, encoding).range(finding.primary.span);
    let same_rule = matches!(&diagnostic.code, Some(lsp_types::NumberOrString::String(code)) if *code == finding.rule);
    same_rule && range == diagnostic.range
}

/// The path of a `file:` URI.
pub fn uri_path(uri: &Url) -> Option<std::path::PathBuf> {
    (uri.scheme() == "file").then(|| uri.to_file_path().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{REASON_PLACEHOLDER, ignore_edit};
    use crate::finding::{Category, Finding, Location, Severity};
    use crate::source::{SourceFile, Span};

    /// Apply edits of one file to its text.
    fn apply(text: &str, mut edits: Vec<(Span, String)>) -> String {
        edits.sort_by_key(|(span, _)| std::cmp::Reverse((span.start, span.end)));
        let mut out = text.to_owned();
        for (span, new_text) in edits {
            if out.is_char_boundary(span.start as usize) && out.is_char_boundary(span.end as usize) {
                out.replace_range(span.range(), &new_text);
            }
        }
        out
    }

    /// The text after the ignore for a finding at `pointer` is inserted.
    fn ignored(name: &str, text: &str, pointer: &str) -> Option<String> {
        let (file, parsed) = SourceFile::from_text(name, text);
        parsed.unwrap();
        let location = Location::new(Arc::new(file), Span::at(0));
        let finding = Finding::new("no-body", Category::Rule, Severity::Error, "m", location, pointer.into());
        let edit = ignore_edit(&finding)?;
        let out = apply(text, vec![(edit.edit.at.span, edit.edit.text)]);
        let (_, parsed) = SourceFile::from_text(name, &out);
        assert!(parsed.is_ok(), "does not parse:\n{out}");
        Some(out.replace(REASON_PLACEHOLDER, "R"))
    }

    #[test]
    fn block_yaml_gets_the_entry_at_the_response_indentation() {
        let text = "paths:\n  /a:\n    delete:\n      responses:\n        '204':\n          description: x\n          content: {}\n";
        let out = ignored("a.yaml", text, "/paths/~1a/delete/responses/204/content").unwrap();
        assert_eq!(
            out,
            "paths:\n  /a:\n    delete:\n      responses:\n        '204':\n          x-oaslint-ignore: [{rule: no-body, reason: \"R\"}]\n          description: x\n          content: {}\n"
        );
    }

    #[test]
    fn crlf_files_keep_their_line_breaks() {
        let text = "responses:\r\n  '204':\r\n    description: x\r\n    x-oaslint-ignore:\r\n      - error-schema\r\n";
        let out = ignored("a.yaml", text, "/responses/204").unwrap();
        assert_eq!(out, text.replace("error-schema\r\n", "error-schema\r\n      - {rule: no-body, reason: \"R\"}\r\n"));
        let text = "responses:\r\n  '204':\r\n    description: x\r\n";
        let out = ignored("a.yaml", text, "/responses/204").unwrap();
        assert!(
            out.contains("'204':\r\n    x-oaslint-ignore: [{rule: no-body, reason: \"R\"}]\r\n    description"),
            "{out:?}"
        );
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
    }

    #[test]
    fn the_operation_is_used_outside_any_response() {
        let text = "delete:\n  responses: {}\n";
        let out = ignored("a.yaml", text, "/delete/responses").unwrap();
        assert_eq!(out, "delete:\n  x-oaslint-ignore: [{rule: no-body, reason: \"R\"}]\n  responses: {}\n");
    }

    #[test]
    fn json_gets_a_quoted_entry_and_a_comma() {
        let text = "{\n  \"responses\": {\n    \"204\": {\n      \"description\": \"x\"\n    }\n  }\n}\n";
        let out = ignored("a.json", text, "/responses/204/description").unwrap();
        assert_eq!(
            out,
            "{\n  \"responses\": {\n    \"204\": {\n      \"x-oaslint-ignore\": [{\"rule\": \"no-body\", \"reason\": \"R\"}],\n      \"description\": \"x\"\n    }\n  }\n}\n"
        );
        let minified = "{\"responses\":{\"204\":{\"description\":\"x\"}}}";
        let out = ignored("a.json", minified, "/responses/204").unwrap();
        assert!(out.contains("{\"x-oaslint-ignore\": [{\"rule\": \"no-body\", \"reason\": \"R\"}], \"description\""));
    }

    #[test]
    fn an_existing_ignore_gets_one_more_entry() {
        let flow = "responses:\n  '204':\n    x-oaslint-ignore: [error-schema]\n    description: x\n";
        assert!(ignored("a.yaml", flow, "/responses/204").unwrap().contains("[error-schema, {rule: no-body"));
        let block = "responses:\n  '204':\n    x-oaslint-ignore:\n      - error-schema\n    description: x\n";
        assert!(
            ignored("a.yaml", block, "/responses/204")
                .unwrap()
                .contains("      - error-schema\n      - {rule: no-body, reason: \"R\"}\n    description")
        );
        let single = "responses:\n  '204':\n    x-oaslint-ignore: error-schema\n    description: x\n";
        assert!(ignored("a.yaml", single, "/responses/204").unwrap().contains("[error-schema, {rule: no-body"));
    }

    #[test]
    fn non_ascii_text_before_the_response_keeps_the_offsets_right() {
        let text = "paths:\n  /größe:\n    get:\n      description: Größe – ünïcödé\n      responses:\n        '200': {description: ok}\n";
        let out = ignored("a.yaml", text, "/paths/~1größe/get/responses/200").unwrap();
        assert!(out.contains("'200': {x-oaslint-ignore: [{rule: no-body, reason: \"R\"}], description: ok}"), "{out}");
    }

    #[test]
    fn the_minimal_edit_spans_only_what_changed() {
        use super::{Encoding, minimal_edit};
        let edit = minimal_edit("a: ä\nb: 1\nc: 2\n", "a: ä\nb: 22\nc: 2\n", Encoding::Utf16);
        assert_eq!((edit.range.start.line, edit.range.start.character), (1, 3));
        assert_eq!((edit.range.end.line, edit.range.end.character), (1, 4));
        assert_eq!(edit.new_text, "22");
        let edit = minimal_edit("x: é\n", "x: è\n", Encoding::Utf8);
        assert_eq!((edit.range.start.character, edit.range.end.character, edit.new_text.as_str()), (3, 5, "è"));
    }

    #[test]
    fn nothing_is_offered_outside_operations_and_responses() {
        assert_eq!(ignored("a.yaml", "info: {title: x}\n", "/info/title"), None);
    }
}
