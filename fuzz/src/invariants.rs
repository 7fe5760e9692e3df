//! What must hold of any loaded file, whatever its input: every span lies inside its file
//! on character boundaries, every location has a 1-based line and column inside the file,
//! and every node's JSON pointer leads back to that node. Each check says what is wrong
//! instead of panicking, so a sweep can name every file that fails.

use oaslint::finding::Location;
use oaslint::resolve::unescape_token;
use oaslint::source::{NodeId, SourceFile, Span};

/// Nodes checked per file (a pointer costs O(depth) to build and follow).
pub const MAX_CHECKED_NODES: usize = 4_000;

pub fn span_problem(text: &str, span: Span) -> Result<(), String> {
    if span.start > span.end {
        return Err(format!("span {span:?} is reversed"));
    }
    if span.end as usize > text.len() {
        return Err(format!("span {span:?} ends past the text ({} bytes)", text.len()));
    }
    if !text.is_char_boundary(span.start as usize) {
        return Err(format!("span {span:?} starts inside a character"));
    }
    if !text.is_char_boundary(span.end as usize) {
        return Err(format!("span {span:?} ends inside a character"));
    }
    Ok(())
}

/// A location must be somewhere a person can go: in the file, on a real line and column.
pub fn location_problem(location: &Location) -> Result<(), String> {
    let text = location.file.text();
    span_problem(text, location.span)?;
    let at = location.start();
    if at.line < 1 || at.column < 1 {
        return Err(format!("position {}:{} is not 1-based", at.line, at.column));
    }
    let Some(line) = lines(text).nth(at.line as usize - 1) else {
        return Err(format!("line {} is past the end of the file", at.line));
    };
    let width = line.chars().count() as u32;
    if at.column > width + 1 {
        return Err(format!("column {} is past the end of line {} ({width} characters)", at.column, at.line));
    }
    Ok(())
}

/// The lines of a text without their breaks; a break is `\n`, `\r\n` or a lone `\r` (as in
/// YAML). Written here rather than taken from the loader, so that it checks the loader.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\n', '\r']) {
            Some(at) => {
                let skip = if current[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&current[at + skip..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Walk the tree from its root (at most [`MAX_CHECKED_NODES`] nodes): spans in bounds, and
/// each node's pointer leads back to it.
pub fn tree_problem(file: &SourceFile) -> Result<(), String> {
    let tree = &file.tree;
    let text = file.text();
    let mut seen = vec![false; tree.node_count()];
    let mut pending: Vec<NodeId> = tree.root().into_iter().collect();
    let mut checked = 0;
    while let Some(node) = pending.pop() {
        // Aliases share nodes: visit each once.
        if std::mem::replace(&mut seen[node.index()], true) || checked >= MAX_CHECKED_NODES {
            continue;
        }
        checked += 1;
        span_problem(text, tree.span(node)).map_err(|problem| format!("node {}: {problem}", tree.pointer(node)))?;
        pointer_problem(file, node)?;
        for entry in tree.entries(node) {
            span_problem(text, tree.span(entry.key))
                .map_err(|problem| format!("key `{}`: {problem}", tree.key_text(entry)))?;
            pending.push(entry.value);
        }
        pending.extend(tree.items(node));
    }
    Ok(())
}

/// The node's JSON pointer, followed from the root, must find the node again.
pub fn pointer_problem(file: &SourceFile, node: NodeId) -> Result<(), String> {
    let pointer = file.tree.pointer(node);
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape_token).collect();
    match file.tree.lookup(tokens.iter().map(String::as_str)) {
        Some(found) if found == node => Ok(()),
        // Not a bug: a JSON pointer cannot address a node inside a mapping key (`? {…}`),
        // which the walk reaches when an alias names it.
        _ if inside_a_key(file, node) => Ok(()),
        // Nor one inside the value of a key written twice: the later value is dropped (with
        // a `duplicate-key` error), so it has no place in the document, yet an alias to an
        // anchor inside it (a merge key, say) still reaches it.
        _ if detached(file, node) => Ok(()),
        found => Err(format!("pointer `{pointer}` of {node:?} leads to {found:?}")),
    }
}

/// Whether `node`'s chain of parents ends somewhere other than the document's root.
fn detached(file: &SourceFile, node: NodeId) -> bool {
    let mut current = node;
    for _ in 0..file.tree.node_count() {
        match file.tree.parent(current) {
            Some(parent) => current = parent,
            None => return file.tree.root() != Some(current),
        }
    }
    false
}

/// Whether `node` sits (at any depth) inside a mapping key.
fn inside_a_key(file: &SourceFile, node: NodeId) -> bool {
    let mut current = node;
    for _ in 0..file.tree.node_count() {
        if file.tree.entry_of(current).is_some_and(|entry| entry.key == current) {
            return true;
        }
        match file.tree.parent(current) {
            Some(parent) => current = parent,
            None => return false,
        }
    }
    false
}
