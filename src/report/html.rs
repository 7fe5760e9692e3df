//! `--format html`: one self-contained page, the response map. Per root document, a matrix
//! of its operations (rows, grouped by tag) against every status code it declares or is
//! told to (columns), each cell saying whether the code is declared and whether a finding
//! concerns it; a click shows the findings with their help, `$ref` chain and a source
//! excerpt. A header gives the counts of `--format summary`; filters narrow the matrix.
//!
//! The page is data and a script: each document is one JSON blob in a
//! `<script type="application/json">`, written as soon as its findings stream past (its
//! excerpts cut from the source then, so nothing keeps a document alive), and the page's
//! own script draws everything on load. Nothing from the spec is ever parsed as markup:
//! the blobs escape `<`, `>` and `&`, and the script inserts text only as text. A
//! Content-Security-Policy allows only the page's own style and script (by hash) and no
//! network at all, so the page works the same opened from disk.
//!
//! Which cell a finding concerns: its operation's row, and the column of the response
//! whose key the finding is at or inside, or is about (a finding inside a `$ref`'d
//! response is about the key that references it). A finding that names a code
//! ([`Finding::code`]) marks that code's cell: "not allowed" where the operation declares
//! it, "required but missing" where it does not. Other findings of an operation belong to
//! its row; findings of no operation to the document's header.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::finding::{Finding, Location, Severity, SuppressionKind, rule_doc_url};
use crate::model::{CodeKind, StatusKey, reason_phrase};
use crate::pipeline::ResponseMap;
use crate::report::text::duration;
use crate::report::{Reporter, RunEnd, RunInfo};

const STYLE: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");

/// Lines of source shown before and after a finding's line.
const CONTEXT_BEFORE: u32 = 2;
const CONTEXT_AFTER: u32 = 3;
/// Characters of a source line shown at most (a minified JSON file is one line).
const LINE_CHARS: usize = 160;
/// Characters shown before a finding's column when its line is cut.
const LINE_LEAD: usize = 40;

/// Streams: the page's head at the start, each document's blob once its findings are in,
/// then the findings of no document, the run's counts and the script at the end.
#[derive(Default)]
pub struct HtmlReporter {
    /// The document whose findings come next (set by [`Reporter::document`]).
    pending: Option<Document>,
    /// Findings of no document: fragments checked alone, unreadable paths, held back
    /// `unused-suppression`s. Written at the end.
    loose: Option<Document>,
    /// How many documents were written.
    written: usize,
}

impl Reporter for HtmlReporter {
    fn wants_response_maps(&self) -> bool {
        true
    }

    fn begin(&mut self, run: &RunInfo<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '{}'; script-src '{}'; img-src data:; form-action 'none'; base-uri 'none'\">\n\
             <meta name=\"generator\" content=\"oaslint {}\">\n<title>oaslint report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <noscript><p class=\"noscript\">This report is drawn by the script inside it: allow scripts for this file to see it.</p></noscript>\n\
             <div id=\"app\"></div>\n",
            csp_hash(STYLE),
            csp_hash(SCRIPT),
            attribute_text(run.tool_version),
        )
    }

    fn document(&mut self, run: &RunInfo<'_>, map: &ResponseMap, out: &mut dyn io::Write) -> io::Result<()> {
        if let Some(document) = self.pending.take() {
            self.write_document(document, out)?;
        }
        self.pending = Some(Document::new(run, Some(map)));
        Ok(())
    }

    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
        let shown = findings.iter().filter(|finding| run.shows(finding));
        match self.pending.take() {
            Some(mut document) => {
                shown.for_each(|finding| document.add(run, finding));
                self.write_document(document, out)
            }
            None => {
                let loose = self.loose.get_or_insert_with(|| Document::new(run, None));
                shown.for_each(|finding| loose.add(run, finding));
                Ok(())
            }
        }
    }

    fn end(&mut self, run: &RunInfo<'_>, end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        if let Some(document) = self.pending.take() {
            self.write_document(document, out)?;
        }
        if let Some(loose) = self.loose.take().filter(|loose| !loose.data.findings.is_empty()) {
            self.write_document(loose, out)?;
        }
        let data = RunData {
            tool: run.tool_version,
            ruleset: run.ruleset,
            files: end.files,
            summary: end.summary,
            by_rule: &end.by_rule,
            // The rules the findings name (every one is counted in `by_rule`): the page
            // links and describes those, and stays the same when oaslint gains a check.
            rules: run
                .rules
                .iter()
                .filter(|rule| end.by_rule.iter().any(|count| count.rule == rule.id))
                .map(|rule| RuleData { id: rule.id, summary: rule.summary, url: rule_doc_url(rule.id) })
                .collect(),
            elapsed: duration(end.elapsed),
            exit_code: end.exit_code,
            omitted: end.omitted,
            fail_on: run.fail_on,
            quiet: run.quiet,
            show_suppressed: run.show_suppressed,
            documents: self.written,
        };
        out.write_all(b"<script type=\"application/json\" id=\"oaslint-run\">")?;
        out.write_all(script_json(&data)?.as_bytes())?;
        write!(out, "</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")
    }
}

impl HtmlReporter {
    fn write_document(&mut self, document: Document, out: &mut dyn io::Write) -> io::Result<()> {
        let mut data = document.data;
        data.reasons = data
            .columns()
            .into_iter()
            .filter_map(|code| Some((code.clone(), reason_phrase(StatusKey::parse(&code).exact()?)?)))
            .collect();
        out.write_all(b"<script type=\"application/json\" class=\"oaslint-document\">")?;
        out.write_all(script_json(&data)?.as_bytes())?;
        out.write_all(b"</script>\n")?;
        self.written += 1;
        Ok(())
    }
}

/// One document as the page reads it, being filled as its findings stream past.
struct Document {
    data: DocumentData,
    /// The map's operations by method and path, as findings name them.
    operations: HashMap<(String, String), Vec<usize>>,
    /// The response keys of each operation: (column, place).
    keys: Vec<Vec<(String, crate::pipeline::Place)>>,
    files: HashMap<String, usize>,
    excerpts: HashMap<(usize, u32, usize), usize>,
    source_root: Option<std::path::PathBuf>,
}

impl Document {
    fn new(run: &RunInfo<'_>, map: Option<&ResponseMap>) -> Document {
        let mut document = Document {
            data: DocumentData::default(),
            operations: HashMap::new(),
            keys: Vec::new(),
            files: HashMap::new(),
            excerpts: HashMap::new(),
            source_root: run.source_root.map(Path::to_path_buf),
        };
        let Some(map) = map else {
            document.data.other = true;
            return document;
        };
        document.data.file = Some(map.file.clone());
        document.file_index(&map.file);
        document.data.spec = (!map.spec.is_empty()).then(|| map.spec.clone());
        document.data.title.clone_from(&map.title);
        document.data.version.clone_from(&map.version);
        document.data.tags.clone_from(&map.tags);
        for (index, operation) in map.operations.iter().enumerate() {
            document.operations.entry((operation.method.clone(), operation.path.clone())).or_default().push(index);
            let file = document.file_index(&operation.at.file);
            let responses = operation
                .responses
                .iter()
                .map(|response| ResponseData {
                    code: column(&response.code),
                    written: (column(&response.code) != response.code).then(|| response.code.clone()),
                    file: document.file_index(&response.key.file),
                    line: response.key.line,
                    description: response.description.clone(),
                })
                .collect();
            document.keys.push(
                operation.responses.iter().map(|response| (column(&response.code), response.key.clone())).collect(),
            );
            document.data.operations.push(OperationData {
                method: operation.method.clone(),
                path: operation.path.clone(),
                operation_id: operation.operation_id.clone(),
                summary: operation.summary.clone(),
                tags: operation.tags.clone(),
                webhook: operation.webhook,
                deprecated: operation.deprecated,
                file,
                line: operation.at.line,
                responses,
            });
        }
        document
    }

    fn file_index(&mut self, name: &str) -> usize {
        if let Some(&index) = self.files.get(name) {
            return index;
        }
        let index = self.data.files.len();
        self.data.files.push(name.to_owned());
        self.data.hrefs.push(file_href(self.source_root.as_deref(), name));
        self.files.insert(name.to_owned(), index);
        index
    }

    /// The finding as plain data: its cell, its places, its excerpt.
    fn add(&mut self, run: &RunInfo<'_>, finding: &Finding) {
        let cells = self.cells_of(finding);
        let start = finding.primary.start();
        let file = self.file_index(finding.primary.file_name());
        let related = finding
            .related
            .iter()
            .map(|related| {
                let at = related.location.start();
                RelatedData(related.label.clone(), self.file_index(related.location.file_name()), at.line, at.column)
            })
            .collect();
        let (excerpt, mark) = self.excerpt(file, &finding.primary);
        let suppressed = finding.suppression.as_ref().map(|suppression| {
            let kind = match suppression.kind {
                SuppressionKind::InSource => "in the document",
                SuppressionKind::External => "by the configuration or baseline",
            };
            match &suppression.justification {
                Some(reason) => format!("suppressed {kind}: {reason}"),
                None => format!("suppressed {kind}"),
            }
        });
        self.data.findings.push(FindingData {
            rule: finding.rule.clone(),
            severity: finding.severity,
            fails: run.fails(finding),
            message: finding.message.clone(),
            help: finding.help.clone(),
            file,
            line: start.line,
            column: start.column,
            cells,
            related,
            excerpt,
            mark,
            suppressed,
        });
    }

    /// The cells a finding marks: on the operation it is about, or on each operation that
    /// uses the shared definition it is about ([`Finding::used_by`]).
    fn cells_of(&self, finding: &Finding) -> Vec<CellData> {
        let own = finding.operation.iter().map(|key| (key, &finding.about, true));
        let users = finding.used_by.iter().map(|by| (&by.operation, &by.about, false));
        let mut cells = Vec::new();
        for (key, about, own) in own.chain(users) {
            let Some(candidates) = self.operations.get(&(key.method.clone(), key.path.clone())) else { continue };
            let at = |place: &crate::pipeline::Place| {
                (own && place.contains(&finding.primary)) || about.iter().any(|about| place.contains(about))
            };
            // Where two operations share method and path (a webhook named like a path), the
            // one whose response the finding is at.
            let operation = candidates
                .iter()
                .copied()
                .find(|&index| self.keys.get(index).is_some_and(|keys| keys.iter().any(|(_, place)| at(place))))
                .or_else(|| candidates.first().copied());
            let Some(operation) = operation else { continue };
            let keys = self.keys.get(operation).map(Vec::as_slice).unwrap_or_default();
            let before = cells.len();
            for code in &finding.codes {
                let code = column(code);
                let declared = keys.iter().any(|(column, _)| *column == code);
                cells.push(CellData(operation, Some(code), Some(if declared { "disallowed" } else { "missing" })));
            }
            if cells.len() == before {
                let code = keys.iter().find(|(_, place)| at(place)).map(|(code, _)| code.clone());
                cells.push(CellData(operation, code, None));
            }
        }
        cells.dedup();
        cells
    }

    /// The source around a finding's line, cut from its file as the finding streams past,
    /// and where the finding's own span is on its line (in characters of the cut line).
    fn excerpt(&mut self, file: usize, location: &Location) -> (Option<usize>, Option<(usize, usize)>) {
        let text = location.file.text();
        if text.is_empty() {
            return (None, None);
        }
        let start = location.start();
        let end = location.end();
        let column = usize::try_from(start.column.saturating_sub(1)).unwrap_or(0);
        let lead = if column > LINE_CHARS - LINE_LEAD { column - LINE_LEAD } else { 0 };
        let mark_end = if end.line == start.line {
            usize::try_from(end.column.saturating_sub(1)).unwrap_or(column)
        } else {
            usize::MAX
        };
        let shift = usize::from(lead > 0);
        let mark = (column - lead + shift, mark_end.saturating_sub(lead).saturating_add(shift).min(LINE_CHARS + shift));
        let key = (file, start.line, lead);
        if let Some(&index) = self.excerpts.get(&key) {
            return (Some(index), Some(mark));
        }
        let first = start.line.saturating_sub(CONTEXT_BEFORE).max(1);
        let index = &location.file.line_index;
        let lines = (first..=start.line.saturating_add(CONTEXT_AFTER))
            .map_while(|line| {
                // The line index is 0-based; a line runs to the next one's start.
                let zero_based = usize::try_from(line - 1).ok()?;
                let from = usize::try_from(index.line_start(zero_based)?).ok().filter(|&from| from < text.len())?;
                let to = index.line_start(zero_based + 1).and_then(|to| usize::try_from(to).ok()).unwrap_or(text.len());
                let text = text.get(from..to)?.trim_end_matches(['\n', '\r']);
                Some(cut_line(text, if line == start.line { lead } else { 0 }))
            })
            .collect();
        let index = self.data.excerpts.len();
        self.data.excerpts.push(ExcerptData(first, lines));
        self.excerpts.insert(key, index);
        (Some(index), Some(mark))
    }
}

/// `line` from character `lead` on, at most [`LINE_CHARS`] characters, `…` where cut;
/// control characters other than tabs as `U+FFFD`.
fn cut_line(line: &str, lead: usize) -> String {
    let mut out = String::new();
    if lead > 0 {
        out.push('…');
    }
    let mut chars = line.chars().skip(lead);
    for c in chars.by_ref().take(LINE_CHARS) {
        // One character for one: the finding's mark keeps its place.
        out.push(if c.is_control() && c != '\t' { '\u{FFFD}' } else { c });
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// A response key as a column: ranges in upper case (`4xx` is `4XX`), the rest as written.
fn column(code: &str) -> String {
    match StatusKey::parse(code).kind {
        CodeKind::Range(class) => format!("{class}XX"),
        _ => code.to_owned(),
    }
}

/// A link to a file: `file://` and absolute where the run's directory is known, else
/// relative (`./` first, so that no name reads as a scheme); `None` for standard input.
fn file_href(root: Option<&Path>, name: &str) -> Option<String> {
    if name.starts_with('<') {
        return None;
    }
    let name = name.replace('\\', "/");
    let absolute = if name.starts_with('/') || name.get(1..3) == Some(":/") {
        name
    } else {
        match root.and_then(Path::to_str) {
            Some(root) => format!("{}/{name}", root.replace('\\', "/").trim_end_matches('/')),
            None => return Some(format!("./{}", encode_path(&name))),
        }
    };
    let slash = if absolute.starts_with('/') { "" } else { "/" };
    Some(format!("file://{slash}{}", encode_path(&absolute)))
}

/// Percent-encode a path for a URL: everything but unreserved characters, `/` and a drive's `:`.
fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for (at, byte) in path.bytes().enumerate() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') || (byte == b':' && at == 1)
        {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

/// JSON that can sit inside a `<script>` element: no `<`, `>` or `&` that could end it
/// or open a comment (they are written as `\u003c` escapes, which JSON reads back), and
/// no raw control character.
fn script_json<T: Serialize>(value: &T) -> io::Result<String> {
    let json = serde_json::to_string(value)?;
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            // DEL and C1 controls (serde_json escapes only those below U+0020): a page
            // saved or viewed as text must not carry a raw CSI from a spec.
            c @ '\u{7f}'..='\u{9f}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Text for an HTML attribute value in double quotes.
fn attribute_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The Content-Security-Policy source of an inline element: `sha256-` and its base64 hash.
fn csp_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256-{}", base64(&Sha256::digest(text.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |index: u32| ALPHABET.get((index & 63) as usize).map_or('=', |&byte| char::from(byte));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|at| chunk.get(at).copied().map_or(0, u32::from));
        let triple = (a << 16) | (b << 8) | c;
        out.push(symbol(triple >> 18));
        out.push(symbol(triple >> 12));
        out.push(if chunk.len() > 1 { symbol(triple >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { symbol(triple) } else { '=' });
    }
    out
}

/// What the page reads of one document. Short keys: GitHub's spec has a thousand
/// operations and findings.
#[derive(Default, Serialize)]
struct DocumentData {
    /// The root document; `None` for the findings of no document.
    file: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    other: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    spec: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    /// The files places refer to by index, and a link to each.
    files: Vec<String>,
    hrefs: Vec<Option<String>>,
    tags: Vec<String>,
    /// The reason phrase of each column's code.
    reasons: std::collections::BTreeMap<String, &'static str>,
    #[serde(rename = "ops")]
    operations: Vec<OperationData>,
    findings: Vec<FindingData>,
    excerpts: Vec<ExcerptData>,
}

impl DocumentData {
    /// Every column the matrix has: the codes declared and the codes findings name.
    fn columns(&self) -> Vec<String> {
        let declared = self.operations.iter().flat_map(|operation| operation.responses.iter().map(|r| &r.code));
        let named = self.findings.iter().flat_map(|finding| finding.cells.iter().filter_map(|cell| cell.1.as_ref()));
        let mut columns: Vec<String> = declared.chain(named).cloned().collect();
        columns.sort_unstable();
        columns.dedup();
        columns
    }
}

#[derive(Serialize)]
struct OperationData {
    #[serde(rename = "m")]
    method: String,
    #[serde(rename = "p")]
    path: String,
    #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
    operation_id: Option<String>,
    #[serde(rename = "s", skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(rename = "t", skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(rename = "w", skip_serializing_if = "std::ops::Not::not")]
    webhook: bool,
    #[serde(rename = "d", skip_serializing_if = "std::ops::Not::not")]
    deprecated: bool,
    #[serde(rename = "f")]
    file: usize,
    #[serde(rename = "l")]
    line: u32,
    #[serde(rename = "r")]
    responses: Vec<ResponseData>,
}

#[derive(Serialize)]
struct ResponseData {
    /// The column: the key, ranges in upper case.
    #[serde(rename = "c")]
    code: String,
    /// The key as written, where it differs from the column (`4xx`).
    #[serde(rename = "k", skip_serializing_if = "Option::is_none")]
    written: Option<String>,
    #[serde(rename = "f")]
    file: usize,
    #[serde(rename = "l")]
    line: u32,
    #[serde(rename = "d", skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

#[derive(Serialize)]
struct FindingData {
    #[serde(rename = "r")]
    rule: String,
    #[serde(rename = "s")]
    severity: Severity,
    /// At or above `--fail-on`.
    #[serde(rename = "x", skip_serializing_if = "std::ops::Not::not")]
    fails: bool,
    #[serde(rename = "m")]
    message: String,
    #[serde(rename = "h", skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(rename = "f")]
    file: usize,
    #[serde(rename = "l")]
    line: u32,
    #[serde(rename = "c")]
    column: u32,
    /// The operations it concerns (a shared definition's fault concerns each that uses
    /// it), and on each the cells: none for a document-wide finding about no operation.
    #[serde(rename = "a", skip_serializing_if = "Vec::is_empty")]
    cells: Vec<CellData>,
    #[serde(rename = "rel", skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedData>,
    /// The excerpt's index in `excerpts`.
    #[serde(rename = "e", skip_serializing_if = "Option::is_none")]
    excerpt: Option<usize>,
    /// The finding's characters on its line of the excerpt (from, to).
    #[serde(rename = "mk", skip_serializing_if = "Option::is_none")]
    mark: Option<(usize, usize)>,
    #[serde(rename = "sup", skip_serializing_if = "Option::is_none")]
    suppressed: Option<String>,
}

/// Label, file index, line, column.
#[derive(Serialize)]
struct RelatedData(String, usize, u32, u32);

/// Where a finding marks the map: the operation's index in `ops`, the cell's column
/// (`null`: the operation, no one cell) and, for a code the finding names, `missing` (not
/// declared) or `disallowed` (declared where the ruleset rules it out).
#[derive(Debug, PartialEq, Eq, Serialize)]
struct CellData(usize, Option<String>, Option<&'static str>);

/// The first line's number, then the lines.
#[derive(Serialize)]
struct ExcerptData(u32, Vec<String>);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunData<'a> {
    tool: &'a str,
    ruleset: Option<&'a str>,
    files: &'a [String],
    summary: crate::report::Summary,
    by_rule: &'a [crate::report::RuleCount],
    rules: Vec<RuleData>,
    elapsed: String,
    exit_code: i32,
    omitted: usize,
    fail_on: Severity,
    quiet: bool,
    show_suppressed: bool,
    documents: usize,
}

#[derive(Serialize)]
struct RuleData {
    id: &'static str,
    summary: &'static str,
    url: String,
}

#[cfg(test)]
mod tests;
