//! Hover: on a response's status code, what the ruleset's table says of it; on a finding,
//! its rule's page (what `oaslint explain` prints).

use std::fmt::Write as _;

use crate::checks::docs;
use crate::checks::ruleset::{Body, CodeRow, Ruleset};
use crate::finding::Finding;
use crate::model::StatusKey;
use crate::source::{Span, Tree};

/// The status code key under `offset`, if the cursor is on a key of a `responses` mapping
/// (not `components/responses`, whose keys are names): its span and text.
pub fn status_key_at(tree: &Tree, offset: u32) -> Option<(Span, String)> {
    let mut node = tree.root()?;
    // Keys on the way down, innermost last.
    let mut keys: Vec<String> = Vec::new();
    for _ in 0..tree.node_count() {
        let entries = tree.entries(node);
        let items = tree.items(node);
        if let Some(entry) = entries.iter().find(|entry| contains(tree.span(entry.key), offset)) {
            let parent_key = keys.last().map(String::as_str);
            let grandparent_key = keys.len().checked_sub(2).and_then(|at| keys.get(at)).map(String::as_str);
            let text = tree.key_text(entry).to_owned();
            let is_code = StatusKey::parse(&text).exact().is_some() || is_range_or_default(&text);
            return (parent_key == Some("responses") && grandparent_key != Some("components") && is_code)
                .then(|| (tree.span(entry.key), text));
        }
        let next = entries
            .iter()
            .find(|entry| contains(tree.span(entry.value), offset))
            .map(|entry| {
                keys.push(tree.key_text(entry).to_owned());
                entry.value
            })
            .or_else(|| {
                items.iter().copied().find(|item| contains(tree.span(*item), offset)).inspect(|_| {
                    keys.push(String::new());
                })
            });
        node = next?;
    }
    None
}

fn is_range_or_default(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    upper == "DEFAULT" || (upper.len() == 3 && upper.ends_with("XX") && upper.starts_with(['1', '2', '3', '4', '5']))
}

fn contains(span: Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

/// The ruleset's row for a status code, as Markdown.
pub fn code_row(ruleset: &Ruleset, code: &str) -> String {
    let status = StatusKey::parse(code);
    let mut out = String::new();
    let Some(row) = ruleset.row(&status) else {
        let _ = write!(out, "**{code}**: the `{}` ruleset has no row for this code", ruleset.name());
        return out;
    };
    describe_row(&mut out, ruleset, row, code);
    out
}

fn describe_row(out: &mut String, ruleset: &Ruleset, row: &CodeRow, written: &str) {
    let _ = writeln!(out, "**{}** — `{}` ruleset ({})\n", row.label(), ruleset.name(), ruleset.title());
    if row.key.to_string() != written {
        let _ = writeln!(out, "`{written}` falls under the row `{}`.\n", row.key);
    }
    let methods = match &row.methods {
        Some(methods) => methods.iter().map(|method| method.as_str()).collect::<Vec<_>>().join(", "),
        None => "any".to_owned(),
    };
    let _ = writeln!(out, "- methods: {methods}");
    let body = match row.body {
        Some(Body::Required) => "required",
        Some(Body::Forbidden) => "none (must not declare content)",
        Some(Body::Optional) | None => "optional",
    };
    let _ = writeln!(out, "- body: {body}");
    if !row.body_forbidden_when.is_empty() {
        let conditions: Vec<String> = row.body_forbidden_when.iter().map(|condition| condition.describe()).collect();
        let _ = writeln!(out, "- no body when: {}", conditions.join("; "));
    }
    if !row.response_headers.is_empty() {
        // Each requirement is a list of alternatives, any one of which will do.
        let required: Vec<String> = row.response_headers.iter().map(|alternatives| alternatives.join(" or ")).collect();
        let _ = writeln!(out, "- response headers: {}", required.join(", "));
    }
    if !row.request_headers.is_empty() {
        let _ = writeln!(out, "- request headers: {}", row.request_headers.join(", "));
    }
    if !row.required_when.is_empty() {
        let conditions: Vec<String> = row.required_when.iter().map(|condition| condition.describe()).collect();
        let _ = writeln!(out, "- required when: {}", conditions.join("; "));
    }
    if !row.forbidden_when.is_empty() {
        let conditions: Vec<String> = row.forbidden_when.iter().map(|condition| condition.describe()).collect();
        let _ = writeln!(out, "- not allowed when: {}", conditions.join("; "));
    }
    if !row.note.is_empty() {
        let _ = writeln!(out, "\n> {}", row.note.replace('\n', "\n> "));
    }
    if let Some(source) = &row.source {
        let _ = writeln!(out, "\n— {source}");
    }
}

/// The pages of the rules of the findings under the cursor, each once.
pub fn explanations(findings: &[&Finding]) -> Option<String> {
    let mut rules: Vec<&str> = findings.iter().map(|finding| finding.rule.as_str()).collect();
    rules.dedup();
    let pages: Vec<String> = rules.iter().filter_map(|rule| docs::page(rule)).collect();
    (!pages.is_empty()).then(|| pages.join("\n\n---\n\n"))
}

#[cfg(test)]
mod tests {
    use super::{code_row, status_key_at};
    use crate::checks::ruleset::Ruleset;
    use crate::source::SourceFile;

    #[test]
    fn only_response_code_keys_are_recognised() {
        let text = "paths:\n  /ä:\n    get:\n      responses:\n        '404': {description: x}\n        4XX: {description: y}\ncomponents:\n  responses:\n    '404': {description: z}\n";
        let (file, _) = SourceFile::from_text("a.yaml", text);
        let at = |needle: &str, nth: usize| text.match_indices(needle).nth(nth).unwrap().0 as u32 + 1;
        assert_eq!(status_key_at(&file.tree, at("404", 0)).map(|(_, code)| code), Some("404".to_owned()));
        assert_eq!(status_key_at(&file.tree, at("4XX", 0)).map(|(_, code)| code), Some("4XX".to_owned()));
        assert_eq!(status_key_at(&file.tree, at("404", 1)), None, "a component's name");
        assert_eq!(status_key_at(&file.tree, at("description", 0)), None);
    }

    #[test]
    fn a_row_names_its_code_methods_body_and_guideline() {
        let ruleset = Ruleset::builtin("recommended").unwrap();
        let text = code_row(&ruleset, "204");
        assert!(text.starts_with("**204 No Content**"), "{text}");
        assert!(text.contains("- body: none"), "{text}");
        let text = code_row(&ruleset, "301");
        assert!(text.contains("- response headers: Location"), "{text}");
        let text = code_row(&ruleset, "201");
        assert!(text.contains("- methods: PUT, POST, PATCH"), "{text}");
        let text = code_row(&ruleset, "418");
        assert!(text.contains("falls under the row `4XX`") || text.contains("has no row"), "{text}");
    }
}
