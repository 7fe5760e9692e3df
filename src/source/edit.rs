//! Format-preserving text edits computed from the span tree: insert an entry into a
//! mapping, remove an entry with its value, rename a key, add a header to a response.
//!
//! Each primitive returns one [`TextEdit`] on the original bytes, so nothing outside the
//! edited span changes: comments, quoting, key order, blank lines, line endings and the
//! file's indentation (tabs or spaces in JSON) are kept. New text follows the file's own
//! style: the siblings' indentation and key quoting, the file's line break (`\r\n` or
//! `\n`), block or flow YAML, pretty or inline JSON.
//!
//! A primitive returns `None` where it cannot edit without guessing (a key that shares its
//! line with another, a value that is not a mapping): no fix is better than a wrong one.

use super::{NodeId, SourceFile, Span, Syntax, tree::Entry};

/// Replace the text under `span` (an empty span: insert at its start) with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub text: String,
}

/// A small value to write: a string, or a mapping of them, rendered in the file's style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Snippet {
    /// A string scalar (quoted where the syntax needs it).
    Str(String),
    Map(Vec<(String, Snippet)>),
}

impl Snippet {
    /// A mapping from `(key, value)` pairs.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Snippet)>) -> Snippet {
        Snippet::Map(entries.into_iter().map(|(key, value)| (key.into(), value)).collect())
    }

    pub fn str(text: impl Into<String>) -> Snippet {
        Snippet::Str(text.into())
    }
}

/// Where a new entry goes among its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// After the last entry.
    Last,
    /// Before the first sibling whose status code is greater, where the siblings are sorted
    /// by code already (`responses`); else after the last.
    ByStatusCode,
}

/// How a mapping is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// Block YAML: one entry per line, at an indentation.
    Block,
    /// Flow YAML: `{a: 1, b: 2}`.
    Flow,
    /// JSON: `{"a": 1}`, inline or one member per line.
    Json,
}

/// Why edits could not be applied together.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("two edits overlap at byte {0}")]
    Overlap(u32),
    #[error("an edit reaches past the end of the text or splits a character at byte {0}")]
    OutOfRange(u32),
}

/// Apply non-overlapping edits to `text`. Two edits overlap when their spans share a byte,
/// or when both insert at the same offset (their order would be a guess).
pub fn apply(text: &str, edits: &[TextEdit]) -> Result<String, EditError> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(text.len() + edits.iter().map(|edit| edit.text.len()).sum::<usize>());
    let mut at = 0usize;
    let mut previous: Option<Span> = None;
    for edit in sorted {
        let (start, end) = (edit.span.start as usize, edit.span.end as usize);
        if let Some(previous) = previous {
            let same_insertion = previous.is_empty() && edit.span.is_empty() && previous.start == edit.span.start;
            if start < previous.end as usize || same_insertion {
                return Err(EditError::Overlap(edit.span.start));
            }
        }
        let (Some(kept), true) = (text.get(at..start), text.get(start..end).is_some() && start <= end) else {
            return Err(EditError::OutOfRange(edit.span.start));
        };
        out.push_str(kept);
        out.push_str(&edit.text);
        at = end;
        previous = Some(edit.span);
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Ok(out)
}

/// Whether two sets of edits to one file touch the same bytes (or insert at one place).
pub fn overlaps(a: &[TextEdit], b: &[TextEdit]) -> bool {
    a.iter().any(|x| {
        b.iter().any(|y| {
            let (x, y) = (x.span, y.span);
            if x.is_empty() && y.is_empty() {
                return x.start == y.start;
            }
            // A zero-width insertion at a span's edge does not overlap it; inside it does.
            x.start < y.end.max(y.start + u32::from(y.is_empty()))
                && y.start < x.end.max(x.start + u32::from(x.is_empty()))
        })
    })
}

/// Insert `key: value` into `mapping`. `None` when the node is no mapping, or is written
/// in a way the edit cannot follow.
pub fn insert_entry(file: &SourceFile, mapping: NodeId, key: &str, value: &Snippet, order: Order) -> Option<TextEdit> {
    let tree = &file.tree;
    if !tree.is_mapping(mapping) {
        return None;
    }
    let style = FileStyle::of(file);
    let entries = tree.entries(mapping);
    if !written_in_place(file, mapping) {
        return None;
    }
    let before = match order {
        Order::Last => None,
        Order::ByStatusCode => insertion_by_code(file, entries, key),
    };
    match layout(file, mapping) {
        Layout::Block => insert_block(file, &style, entries, key, value, before),
        Layout::Flow | Layout::Json => insert_flow(file, &style, mapping, entries, key, value, before),
    }
}

/// Remove the entry whose key node is `key` from `mapping`, with its whole value (and,
/// in JSON or flow YAML, its comma).
pub fn remove_entry(file: &SourceFile, mapping: NodeId, key: NodeId) -> Option<TextEdit> {
    remove_entries(file, mapping, &[key])?.into_iter().next()
}

/// Remove several entries of one mapping (by their key nodes) with their values: edits
/// that do not overlap, whichever entries sit side by side. Removing every entry leaves
/// an empty mapping (`{}`), not a null.
pub fn remove_entries(file: &SourceFile, mapping: NodeId, keys: &[NodeId]) -> Option<Vec<TextEdit>> {
    let tree = &file.tree;
    let entries = tree.entries(mapping);
    if !written_in_place(file, mapping) {
        return None;
    }
    let mut removed: Vec<usize> =
        keys.iter().map(|key| entries.iter().position(|entry| entry.key == *key)).collect::<Option<_>>()?;
    removed.sort_unstable();
    removed.dedup();
    let (&first, &last) = (removed.first()?, removed.last()?);
    let text = file.text();
    let key_start = |index: usize| entries.get(index).map(|entry| tree.span(entry.key).start);
    let entry_end = |index: usize| entries.get(index).map(|entry| value_end(file, entry));
    let block = layout(file, mapping) == Layout::Block;
    if removed.len() == entries.len() {
        // Inside braces nothing is left; a block mapping becomes `{}`.
        let text = if block { "{}" } else { "" }.to_owned();
        return Some(vec![TextEdit { span: Span::new(key_start(first)?, entry_end(last)?), text }]);
    }
    // Runs of neighbouring entries, each removed by one edit.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &index in &removed {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == index => *end = index,
            _ => runs.push((index, index)),
        }
    }
    let mut edits = Vec::with_capacity(runs.len());
    for (start, end) in runs {
        let span = if block {
            let first_line = line_start(text, key_start(start)?);
            if !text.get(first_line as usize..key_start(start)? as usize)?.chars().all(|c| c == ' ') {
                // `- key: value`: the key shares its line with a sequence dash.
                return None;
            }
            let last_entry = entries.get(end)?;
            // The rest of the value's last line (a comment) goes with it; a kept block
            // scalar's trailing blank lines too, as they are its text.
            let stop = if keeps_trailing_breaks(file, last_entry) {
                key_start(end + 1).map_or(text.len() as u32, |next| line_start(text, next))
            } else {
                line_end_after(text, entry_end(end)?)
            };
            Span::new(first_line, stop)
        } else if let Some(next) = key_start(end + 1) {
            Span::new(key_start(start)?, next)
        } else {
            // The last entries: from the end of the kept one before them, with its comma.
            Span::new(entry_end(start.checked_sub(1)?)?, entry_end(end)?)
        };
        edits.push(TextEdit { span, text: String::new() });
    }
    Some(edits)
}

/// Rename a key, keeping its quoting (`'200'` becomes `'201'`, `"200"` `"201"`).
pub fn rename_key(file: &SourceFile, key: NodeId, new_name: &str) -> Option<TextEdit> {
    let span = file.tree.span(key);
    let written = file.slice(span);
    let quote = written.chars().next().filter(|c| matches!(c, '\'' | '"'));
    let text = match quote {
        Some(quote) if written.len() >= 2 && written.ends_with(quote) => quote_with(new_name, quote),
        _ if file.syntax == Syntax::Json => json_string(new_name),
        _ => yaml_key(new_name, None),
    };
    Some(TextEdit { span, text })
}

/// Declare a header on a response: into its `headers` mapping, or a new `headers` entry
/// holding it. `header` is the Header Object as the document's version shapes it.
pub fn add_header(file: &SourceFile, response: NodeId, name: &str, header: Snippet) -> Option<TextEdit> {
    let tree = &file.tree;
    match tree.get(response, "headers") {
        Some(headers) => insert_entry(file, headers, name, &header, Order::Last),
        None => insert_entry(file, response, "headers", &Snippet::map([(name, header)]), Order::Last),
    }
}

/// Whether every entry of the mapping is written inside it: a YAML merge key (`<<: *base`)
/// brings in entries written elsewhere, and editing around those would edit the base,
/// which other mappings share.
fn written_in_place(file: &SourceFile, mapping: NodeId) -> bool {
    let tree = &file.tree;
    let span = tree.span(mapping);
    tree.entries(mapping).iter().all(|entry| {
        let key = tree.span(entry.key);
        span.start <= key.start && key.end <= span.end
    })
}

/// The file's line break and indentation unit.
struct FileStyle {
    newline: &'static str,
    /// One level of indentation: spaces, or a tab in JSON.
    unit: String,
    /// The quote YAML strings that need one are written with: the file's more frequent.
    quote: char,
}

impl FileStyle {
    fn of(file: &SourceFile) -> FileStyle {
        let text = file.text();
        let newline = match memchr::memchr(b'\n', text.as_bytes()) {
            Some(at) if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\r') => "\r\n",
            _ => "\n",
        };
        let head = text.as_bytes().get(..64 * 1024).unwrap_or(text.as_bytes());
        let doubles = memchr::memchr_iter(b'"', head).count();
        let singles = memchr::memchr_iter(b'\'', head).count();
        let quote = if doubles > singles { '"' } else { '\'' };
        FileStyle { newline, unit: indent_unit(text), quote }
    }
}

/// The smallest indentation of the file's first lines: its unit (a tab where JSON is
/// indented with tabs); two spaces where nothing is indented.
fn indent_unit(text: &str) -> String {
    let mut smallest: Option<usize> = None;
    for line in text.lines().take(2_000) {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = &line[..line.len() - trimmed.len()];
        if lead.starts_with('\t') {
            return "\t".to_owned();
        }
        if !lead.is_empty() && smallest.is_none_or(|smallest| lead.len() < smallest) {
            smallest = Some(lead.len());
        }
    }
    " ".repeat(smallest.unwrap_or(2).clamp(1, 8))
}

fn layout(file: &SourceFile, mapping: NodeId) -> Layout {
    if file.syntax == Syntax::Json {
        return Layout::Json;
    }
    let span = file.tree.span(mapping);
    if file.text().as_bytes().get(span.start as usize) == Some(&b'{') { Layout::Flow } else { Layout::Block }
}

/// Where the entry's value ends (the key's end for a value without text of its own): at
/// its last character that is not white space (a block scalar's span runs on into the
/// next line's indentation).
fn value_end(file: &SourceFile, entry: &Entry) -> u32 {
    let tree = &file.tree;
    let key_end = tree.span(entry.key).end;
    let value = tree.span(entry.value);
    let text = file.text().get(key_end as usize..value.end.max(key_end) as usize).unwrap_or("");
    // A YAML alias's target lies elsewhere, an empty value may sit before the key: past
    // the key is the least that is sure.
    key_end + text.trim_end_matches([' ', '\t', '\r', '\n']).len() as u32
}

/// Whether the entry's value is a block scalar that keeps its trailing line breaks
/// (`|+`, `>+`): text placed right after it would take them away from it.
fn keeps_trailing_breaks(file: &SourceFile, entry: &Entry) -> bool {
    // The indicators sit between the key and the scalar's text: `key: |+`.
    let after_key = file.text().get(file.tree.span(entry.key).end as usize..).unwrap_or("");
    let header = after_key.trim_start_matches([' ', '\t', ':']).lines().next().unwrap_or("");
    header.starts_with(['|', '>']) && header.split('#').next().is_some_and(|indicators| indicators.contains('+'))
}

/// The offset of the start of the line holding `offset`.
fn line_start(text: &str, offset: u32) -> u32 {
    let before = text.get(..offset as usize).unwrap_or("");
    before.rfind('\n').map_or(0, |at| at as u32 + 1)
}

/// The start of the line after the one where `offset` lies (`offset` itself when a line
/// break ends right before it); the end of the text on the last line.
fn line_end_after(text: &str, offset: u32) -> u32 {
    let offset = (offset as usize).min(text.len());
    if offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\n') {
        return offset as u32;
    }
    match memchr::memchr(b'\n', text.as_bytes().get(offset..).unwrap_or(&[])) {
        Some(at) => (offset + at + 1) as u32,
        None => text.len() as u32,
    }
}

/// The key before which `key` (a status code) goes, when the existing keys are in code order.
fn insertion_by_code<'e>(file: &SourceFile, entries: &'e [Entry], key: &str) -> Option<&'e Entry> {
    let rank = |text: &str| -> Option<u32> {
        let text = text.trim();
        if text == "default" {
            return Some(1_000);
        }
        let digits: String = text.chars().map(|c| if c.eq_ignore_ascii_case(&'x') { '0' } else { c }).collect();
        digits.parse::<u32>().ok().filter(|code| (100..600).contains(code))
    };
    let new_rank = rank(key)?;
    let ranks: Vec<u32> = entries.iter().map(|entry| rank(file.tree.key_text(entry))).collect::<Option<_>>()?;
    if !ranks.is_sorted() {
        return None;
    }
    let position = ranks.iter().position(|&existing| existing > new_rank)?;
    entries.get(position)
}

fn insert_block(
    file: &SourceFile,
    style: &FileStyle,
    entries: &[Entry],
    key: &str,
    value: &Snippet,
    before: Option<&Entry>,
) -> Option<TextEdit> {
    let text = file.text();
    let tree = &file.tree;
    let first = entries.first()?;
    let first_key = tree.span(first.key);
    let indent_width = first_key.start.checked_sub(line_start(text, first_key.start))? as usize;
    let indent = " ".repeat(indent_width);
    let quote = sibling_quote(file, first.key);
    let line =
        format!("{indent}{}:{}{}", yaml_key(key, quote), render_block(value, indent_width, style), style.newline);
    if let Some(before) = before {
        let key_span = tree.span(before.key);
        let start = line_start(text, key_span.start);
        let lead = text.get(start as usize..key_span.start as usize)?;
        if lead.chars().all(|c| c == ' ') {
            return Some(TextEdit { span: Span::at(start), text: line });
        }
    }
    let last = entries.last()?;
    if keeps_trailing_breaks(file, last) {
        return None;
    }
    let at = line_end_after(text, value_end(file, last));
    let ends_with_break = at > 0 && text.as_bytes().get(at as usize - 1) == Some(&b'\n');
    let text = if ends_with_break { line } else { format!("{}{line}", style.newline) };
    Some(TextEdit { span: Span::at(at), text })
}

#[allow(clippy::too_many_arguments)]
fn insert_flow(
    file: &SourceFile,
    style: &FileStyle,
    mapping: NodeId,
    entries: &[Entry],
    key: &str,
    value: &Snippet,
    before: Option<&Entry>,
) -> Option<TextEdit> {
    let text = file.text();
    let tree = &file.tree;
    let span = tree.span(mapping);
    let json = file.syntax == Syntax::Json;
    let quote = entries.first().and_then(|first| sibling_quote(file, first.key));
    // One member per line: a JSON object written so, or an empty one in a pretty file.
    let multiline = json && (file.slice(span).contains('\n') || (entries.is_empty() && text.contains('\n')));
    // The indentation of the entries (multi-line JSON): the first key's, else one unit
    // more than the line of the opening brace.
    let member_indent = match entries.first() {
        _ if !multiline => String::new(),
        Some(first) => leading_whitespace(text, tree.span(first.key).start)?.to_owned(),
        None => format!("{}{}", line_indent(text, span.start), style.unit),
    };
    let render_entry = |indent: &str| -> String {
        if json {
            let value = if multiline { render_json_pretty(value, indent, style) } else { render_json_inline(value) };
            format!("{}: {value}", json_string(key))
        } else {
            format!("{}: {}", yaml_key(key, quote), render_flow(value, style.quote))
        }
    };
    let entry = render_entry(&member_indent);
    if let Some(before) = before {
        let at = tree.span(before.key).start;
        let separator = if multiline { format!(",{}{member_indent}", style.newline) } else { ", ".to_owned() };
        return Some(TextEdit { span: Span::at(at), text: format!("{entry}{separator}") });
    }
    match entries.last() {
        Some(last) => {
            let at = value_end(file, last);
            let separator = if multiline { format!(",{}{member_indent}", style.newline) } else { ", ".to_owned() };
            Some(TextEdit { span: Span::at(at), text: format!("{separator}{entry}") })
        }
        None => {
            // `{}`: write inside the braces.
            let open = span.start;
            if text.as_bytes().get(open as usize) != Some(&b'{') {
                return None;
            }
            let inner = Span::new(open + 1, span.end.saturating_sub(1).max(open + 1));
            let body = if multiline {
                let parent = line_indent(text, open);
                format!("{}{member_indent}{entry}{}{parent}", style.newline, style.newline)
            } else {
                entry
            };
            Some(TextEdit { span: inner, text: body })
        }
    }
}

/// The whitespace from the start of `offset`'s line to `offset`, if that is all there is.
fn leading_whitespace(text: &str, offset: u32) -> Option<&str> {
    let start = line_start(text, offset);
    let lead = text.get(start as usize..offset as usize)?;
    lead.chars().all(|c| c == ' ' || c == '\t').then_some(lead)
}

/// The indentation of the line holding `offset`.
fn line_indent(text: &str, offset: u32) -> &str {
    let start = line_start(text, offset) as usize;
    let line = text.get(start..).unwrap_or("");
    let trimmed = line.trim_start_matches([' ', '\t']);
    &line[..line.len() - trimmed.len()]
}

/// The quote the sibling key is written with, if any.
fn sibling_quote(file: &SourceFile, key: NodeId) -> Option<char> {
    file.slice(file.tree.span(key)).chars().next().filter(|c| matches!(c, '\'' | '"'))
}

/// A YAML key: quoted like its siblings, else plain where plain reads as that string.
fn yaml_key(key: &str, quote: Option<char>) -> String {
    match quote {
        Some(quote) => quote_with(key, quote),
        None if is_plain_string(key) => key.to_owned(),
        // A status code written plain is a number to YAML: quote it, as OpenAPI asks.
        None => quote_with(key, '"'),
    }
}

fn quote_with(text: &str, quote: char) -> String {
    if quote == '\'' { format!("'{}'", text.replace('\'', "''")) } else { json_string(text) }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// Whether `text` written plain in YAML reads back as this string (in block and flow
/// context alike): letters, digits and a few punctuation marks, not a number, boolean or null.
fn is_plain_string(text: &str) -> bool {
    let mut chars = text.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$');
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "nan" | "inf"
    );
    starts_well
        && !reserved
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '$'))
}

/// A string value: plain where it reads back as itself (words, spaces, a final period),
/// else single-quoted.
fn yaml_scalar(text: &str, quote: char) -> String {
    let plain = is_plain_string(text.split(' ').next().unwrap_or(""))
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '/'));
    if plain { text.to_owned() } else { quote_with(text, quote) }
}

/// The value after `key:` in block YAML: ` scalar`, or nested entries on lines of their own.
fn render_block(value: &Snippet, indent: usize, style: &FileStyle) -> String {
    match value {
        Snippet::Str(text) => format!(" {}", yaml_scalar(text, style.quote)),
        Snippet::Map(entries) if entries.is_empty() => " {}".to_owned(),
        Snippet::Map(entries) => {
            let unit = if style.unit.starts_with('\t') { 2 } else { style.unit.len() };
            let inner = indent + unit;
            let mut out = String::new();
            for (key, value) in entries {
                out.push_str(style.newline);
                out.push_str(&" ".repeat(inner));
                out.push_str(&yaml_key(key, None));
                out.push(':');
                out.push_str(&render_block(value, inner, style));
            }
            out
        }
    }
}

fn render_flow(value: &Snippet, quote: char) -> String {
    match value {
        Snippet::Str(text) => yaml_scalar(text, quote),
        Snippet::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{}: {}", yaml_key(key, None), render_flow(value, quote)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

fn render_json_inline(value: &Snippet) -> String {
    match value {
        Snippet::Str(text) => json_string(text),
        Snippet::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{}: {}", json_string(key), render_json_inline(value)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// A JSON value whose first line continues a member at `indent`.
fn render_json_pretty(value: &Snippet, indent: &str, style: &FileStyle) -> String {
    match value {
        Snippet::Str(text) => json_string(text),
        Snippet::Map(entries) if entries.is_empty() => "{}".to_owned(),
        Snippet::Map(entries) => {
            let inner = format!("{indent}{}", style.unit);
            let members: Vec<String> = entries
                .iter()
                .map(|(key, value)| {
                    format!("{inner}{}: {}", json_string(key), render_json_pretty(value, &inner, style))
                })
                .collect();
            let separator = format!(",{}", style.newline);
            format!("{{{}{}{}{indent}}}", style.newline, members.join(&separator), style.newline)
        }
    }
}

#[cfg(test)]
mod tests;
