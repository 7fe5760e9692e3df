//! Diagnostics for people: miette's graphical renderer with code snippets, fed from our
//! own line index ([`IndexedSource`]) so rendering stays linear in the number of
//! findings (stock miette rescans the whole file for every label), then a summary line.

use std::fmt;
use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents,
};

use crate::finding::{Finding, Location, Severity, rule_doc_url};
use crate::report::summary::{omitted_line, rule_table, summary_line};
use crate::report::text::{one_line, printable, suppression_note};
use crate::report::{Reporter, RunEnd, RunInfo};
use crate::source::{SourceFile, Span};

/// More findings than this do not fit on a screen: the output ends with the counts per rule.
const SCREENFUL: usize = 20;

#[derive(Default)]
pub struct HumanReporter {
    /// Findings listed so far.
    listed: usize,
}

impl Reporter for HumanReporter {
    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
        let handler = handler(run);
        let mut rendered = String::new();
        for finding in findings.iter().filter(|finding| run.shows(finding)) {
            self.listed += 1;
            rendered.clear();
            handler
                .render_report(&mut rendered, &FindingDiagnostic::new(run, finding))
                .map_err(|_| io::Error::other("could not render a diagnostic"))?;
            out.write_all(rendered.as_bytes())?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn end(&mut self, run: &RunInfo<'_>, end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        if end.omitted > 0 {
            writeln!(out, "{}\n", omitted_line(end.omitted))?;
        }
        if self.listed + end.omitted > SCREENFUL {
            writeln!(out, "Findings by rule:\n{}", rule_table(run, end))?;
        }
        writeln!(out, "{}", summary_line(run, end))
    }
}

fn handler(run: &RunInfo<'_>) -> GraphicalReportHandler {
    let theme = if run.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // Text links, not terminal hyperlinks: the URL is shown wherever the output goes.
    // Related notes are not nested: nesting would wrap their snippets' lines.
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false);
    match run.width {
        Some(width) => handler.with_width(width),
        None => handler.with_wrap_lines(false),
    }
}

/// How many of the operations that use a shared definition get a snippet of their own.
const USED_BY_SHOWN: usize = 3;

/// "used by 659 operations: GET /a, GET /b, GET /c, and 656 more", for a fault of a
/// shared definition.
fn used_by_line(finding: &Finding) -> Option<String> {
    let count = finding.used_by.len();
    if count == 0 {
        return None;
    }
    let named: Vec<String> =
        finding.used_by.iter().take(USED_BY_SHOWN).map(|by| one_line(&by.operation.to_string())).collect();
    let operations = if count == 1 { "operation" } else { "operations" };
    let more = if count > USED_BY_SHOWN { format!(", and {} more", count - USED_BY_SHOWN) } else { String::new() };
    Some(format!("used by {count} {operations}: {}{more}", named.join(", ")))
}

/// One finding as a miette diagnostic; related locations in other files become related
/// diagnostics with their own snippets.
struct FindingDiagnostic<'a> {
    message: String,
    code: Option<&'a str>,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    source: IndexedSource<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<FindingDiagnostic<'a>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(run: &RunInfo<'_>, finding: &'a Finding) -> FindingDiagnostic<'a> {
        let file = &*finding.primary.file;
        let mut labels = vec![LabeledSpan::new_primary_with_span(None, label_span(file, finding.primary.span))];
        let mut related = Vec::new();
        // A shared definition's users (the last related locations) are listed in the help
        // past the first few.
        let users_from = finding.related.len().saturating_sub(finding.used_by.len());
        let shown = finding.related.iter().enumerate().filter(|(index, _)| *index < users_from + USED_BY_SHOWN);
        for (_, link) in shown {
            let label = Some(one_line(&link.label));
            if same_file(&link.location, &finding.primary) {
                labels.push(LabeledSpan::new_with_span(label, label_span(file, link.location.span)));
            } else {
                related.push(FindingDiagnostic::note(&link.location, &link.label));
            }
        }
        let mut help = finding.help.as_deref().map(printable);
        if let Some(used_by) = used_by_line(finding) {
            help = Some(match help {
                Some(help) => format!("{help}\n{used_by}"),
                None => used_by,
            });
        }
        if let Some(suppression) = &finding.suppression {
            let note = printable(&suppression_note(suppression));
            help = Some(match help {
                Some(help) => format!("{help}\n{note}"),
                None => note,
            });
        }
        FindingDiagnostic {
            message: printable(&finding.message),
            code: Some(&finding.rule),
            severity: match (&finding.suppression, finding.severity) {
                // Shown for information only: it does not count.
                (Some(_), _) => miette::Severity::Advice,
                (None, Severity::Error) => miette::Severity::Error,
                (None, Severity::Warning) => miette::Severity::Warning,
                (None, Severity::Info | Severity::Hint) => miette::Severity::Advice,
            },
            help,
            url: run.rule(&finding.rule).map(|rule| rule_doc_url(rule.id)),
            source: IndexedSource::new(file, labels.len()),
            labels,
            related,
        }
    }

    /// A related location in another file: its label and a snippet.
    fn note(location: &'a Location, label: &str) -> FindingDiagnostic<'a> {
        let file = &*location.file;
        FindingDiagnostic {
            message: one_line(label),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            url: None,
            source: IndexedSource::new(file, 1),
            labels: vec![LabeledSpan::new_primary_with_span(None, label_span(file, location.span))],
            related: Vec::new(),
        }
    }
}

fn same_file(a: &Location, b: &Location) -> bool {
    std::sync::Arc::ptr_eq(&a.file, &b.file) || a.file.path == b.file.path
}

/// Spans longer than this many lines are underlined on their first line only, so one
/// finding on a whole document does not print the whole document.
const MAX_LABEL_LINES: usize = 8;

/// A span miette can read: within the text, on character boundaries, not too tall, and not
/// too wide on a long line (a minified JSON file is one line of megabytes; the header still
/// gives the span's true line and column).
fn label_span(file: &SourceFile, span: Span) -> SourceSpan {
    let text = file.text();
    let lines = LineView { file };
    let start = floor_char_boundary(text, span.start as usize);
    let mut end = ceil_char_boundary(text, (span.end as usize).max(start));
    let index = &file.line_index;
    let first_line = index.line_of(start as u32);
    let last_line = index.line_of(end as u32);
    let tall = last_line.saturating_sub(first_line) > MAX_LABEL_LINES;
    if last_line > first_line && (tall || lines.any_long_line(first_line, last_line)) {
        end = lines.content_end(first_line).max(start);
    }
    if lines.is_long(first_line) && end - start > CUT_LINE_WINDOW_BYTES {
        end = ceil_char_boundary(text, start + CUT_LINE_WINDOW_BYTES);
    }
    SourceSpan::from(start..end)
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("file", &self.source.file.name)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|code| Box::new(code) as Box<dyn fmt::Display + 'b>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_deref().map(|help| Box::new(help) as Box<dyn fmt::Display + 'b>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url.as_deref().map(|url| Box::new(url) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|note| note as &dyn Diagnostic)))
    }
}

/// A file as miette's [`SourceCode`], answering from the file's line index: reading a
/// span costs the size of the snippet, not of the file.
///
/// What it hands miette is what a terminal may be shown, with the same byte offsets as
/// the text: lines end where our line index says (a lone CR is shown as a line feed, as
/// miette counts lines its own way), other control characters are shown as `?`, and a
/// line cut to a window around the span shows `…` where it was cut.
struct IndexedSource<'a> {
    file: &'a SourceFile,
    /// Snippets that differ from the text (cut or cleaned), kept for as long as miette
    /// reads them; see [`IndexedSource::new`].
    shown: Vec<OnceLock<Box<[u8]>>>,
    next_shown: AtomicUsize,
    /// The file's name as shown, on one line.
    name: String,
}

/// Context lines longer than this are left out, and a longer span line is cut to a
/// window around the span: a minified JSON file is one line of megabytes.
const MAX_SNIPPET_LINE_BYTES: usize = 400;
/// How much of a cut line is kept on each side of the span.
const CUT_LINE_WINDOW_BYTES: usize = 80;
/// Marks where a line was cut. Three bytes of UTF-8, so it stands in for the three bytes
/// before (or after) the window without moving any offset miette computes.
const ELLIPSIS: &str = "…";

/// The spans of one snippet: what miette shows, and where in the text it says it is.
struct Snippet<'a> {
    data: &'a [u8],
    span: SourceSpan,
    line: usize,
    column: usize,
    line_count: usize,
    name: &'a str,
}

impl<'a> SpanContents<'a> for Snippet<'a> {
    fn data(&self) -> &'a [u8] {
        self.data
    }

    fn span(&self) -> &SourceSpan {
        &self.span
    }

    fn name(&self) -> Option<&str> {
        Some(self.name)
    }

    fn line(&self) -> usize {
        self.line
    }

    fn column(&self) -> usize {
        self.column
    }

    fn line_count(&self) -> usize {
        self.line_count
    }
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.file.text();
        let index = &self.file.line_index;
        let start = span.offset();
        let end = start.saturating_add(span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = index.line_of(start as u32);
        // The line holding the span's last byte (an empty span: the line it is on).
        let last_line = index.line_of(end.saturating_sub(1).max(start) as u32);
        let last_line_index = index.line_count().saturating_sub(1);
        let long = |bytes: usize| bytes > MAX_SNIPPET_LINE_BYTES;
        // Labels are never this wide on a long line (see `label_span`): miette asks for
        // the union of two labels far apart on one, to show them in one snippet. Refused,
        // it shows each in its own window instead of the megabytes between them.
        if long(end - start) && self.any_long_line(first_line, last_line) {
            return Err(MietteError::OutOfBounds);
        }

        let (data_start, first_shown_line, cut_before) = if context_lines_before == 0 {
            // As miette's own sources do: without context, the data starts at the span.
            (start, first_line, false)
        } else if long(start - self.line_start(first_line)) {
            let cut = floor_char_boundary(text, start - CUT_LINE_WINDOW_BYTES);
            (cut, first_line, true)
        } else {
            let mut line = first_line;
            while line > 0 && first_line - line < context_lines_before && !long(self.line_len(line - 1)) {
                line -= 1;
            }
            (self.line_start(line), line, false)
        };
        let (data_end, cut_after) = if context_lines_after == 0 {
            // As miette's own sources do: without context, the data ends with the span.
            (end, false)
        } else if long(self.content_end(last_line).saturating_sub(end)) {
            (ceil_char_boundary(text, end + CUT_LINE_WINDOW_BYTES), true)
        } else {
            let mut line = last_line;
            while line < last_line_index && line - last_line < context_lines_after && !long(self.line_len(line + 1)) {
                line += 1;
            }
            (self.line_end(line).max(end), false)
        };

        let raw = text.get(data_start..data_end).ok_or(MietteError::OutOfBounds)?;
        let last_shown_line = index.line_of(data_end.saturating_sub(1).max(data_start) as u32);
        let line_count = (last_shown_line + 1).saturating_sub(first_shown_line);
        // The ellipses stand in for the three bytes beyond each cut (the cut keeps more
        // than that between the window and the line's ends).
        let shown_start = if cut_before { data_start - ELLIPSIS.len() } else { data_start };
        let shown_end = if cut_after { data_end + ELLIPSIS.len() } else { data_end };
        let column = if shown_start == self.line_start(first_shown_line) {
            0
        } else {
            self.file.line_col(shown_start as u32).column.saturating_sub(1) as usize
        };
        let data = if cut_before || cut_after || needs_cleaning(raw, text.as_bytes().get(data_end)) {
            let mut shown = Vec::with_capacity(shown_end - shown_start);
            if cut_before {
                shown.extend_from_slice(ELLIPSIS.as_bytes());
            }
            push_cleaned(&mut shown, raw, text.as_bytes().get(data_end));
            if cut_after {
                shown.extend_from_slice(ELLIPSIS.as_bytes());
            }
            self.keep(shown).ok_or(MietteError::OutOfBounds)?
        } else {
            raw.as_bytes()
        };
        Ok(Box::new(Snippet {
            data,
            span: SourceSpan::from(shown_start..shown_end),
            line: first_shown_line,
            column,
            line_count,
            name: &self.name,
        }))
    }
}

/// Whether a snippet holds a byte the terminal must not get as it is: a control character
/// other than tab and line feed (ESC, BEL, C1 controls), or a CR that is not part of a CRLF
/// (`after` is the text's byte after the snippet).
fn needs_cleaning(raw: &str, after: Option<&u8>) -> bool {
    raw.char_indices().any(|(at, c)| match c {
        '\r' => raw.as_bytes().get(at + 1).or(after) != Some(&b'\n'),
        '\t' | '\n' => false,
        c => c.is_control(),
    })
}

/// Append the snippet's bytes as shown, byte for byte: a lone CR becomes a line feed (our
/// line index counts it as a line break; miette would not), another control character `?`
/// (one per byte, so offsets do not move).
fn push_cleaned(shown: &mut Vec<u8>, raw: &str, after: Option<&u8>) {
    for (at, c) in raw.char_indices() {
        match c {
            '\r' if raw.as_bytes().get(at + 1).or(after) != Some(&b'\n') => shown.push(b'\n'),
            '\r' | '\t' | '\n' => shown.push(c as u8),
            c if c.is_control() => shown.extend(std::iter::repeat_n(b'?', c.len_utf8())),
            c => shown.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes()),
        }
    }
}

impl<'f> IndexedSource<'f> {
    /// A source for a diagnostic with `labels` labels. miette reads at most four snippets
    /// a label (its context, a merge with the next label, the lines it renders, the
    /// header's position) and two more a diagnostic; that many can be kept cut or cleaned.
    fn new(file: &'f SourceFile, labels: usize) -> IndexedSource<'f> {
        let slots = labels.saturating_mul(4).saturating_add(8);
        IndexedSource {
            file,
            shown: (0..slots).map(|_| OnceLock::new()).collect(),
            next_shown: AtomicUsize::new(0),
            name: one_line(&file.name),
        }
    }

    /// Keep a snippet that differs from the text for as long as the source lives.
    fn keep(&self, shown: Vec<u8>) -> Option<&[u8]> {
        let slot = self.shown.get(self.next_shown.fetch_add(1, Ordering::Relaxed))?;
        Some(slot.get_or_init(|| shown.into_boxed_slice()))
    }

    fn lines(&self) -> LineView<'f> {
        LineView { file: self.file }
    }

    fn line_start(&self, line: usize) -> usize {
        self.lines().line_start(line)
    }

    fn line_end(&self, line: usize) -> usize {
        self.lines().line_end(line)
    }

    fn line_len(&self, line: usize) -> usize {
        self.lines().line_len(line)
    }

    fn content_end(&self, line: usize) -> usize {
        self.lines().content_end(line)
    }

    fn any_long_line(&self, first: usize, last: usize) -> bool {
        self.lines().any_long_line(first, last)
    }
}

/// A file's lines, by the file's line index.
#[derive(Clone, Copy)]
struct LineView<'f> {
    file: &'f SourceFile,
}

impl LineView<'_> {
    fn line_start(self, line: usize) -> usize {
        self.file.line_index.line_start(line).unwrap_or(0) as usize
    }

    /// Where the next line starts (the line's terminator included), or the text's end.
    fn line_end(self, line: usize) -> usize {
        self.file.line_index.line_start(line + 1).map_or(self.file.text().len(), |start| start as usize)
    }

    fn line_len(self, line: usize) -> usize {
        self.line_end(line).saturating_sub(self.line_start(line))
    }

    fn is_long(self, line: usize) -> bool {
        self.line_len(line) > MAX_SNIPPET_LINE_BYTES
    }

    fn any_long_line(self, first: usize, last: usize) -> bool {
        (first..=last).any(|line| self.is_long(line))
    }

    /// The end of a line's text, before its terminator.
    fn content_end(self, line: usize) -> usize {
        let start = self.line_start(line);
        let line_text = self.file.text().get(start..self.line_end(line)).unwrap_or("");
        start + line_text.trim_end_matches(['\n', '\r']).len()
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use miette::{SourceCode, SourceSpan};

    use super::IndexedSource;
    use crate::finding::{Category, Finding, Location, Severity};
    use crate::report::Format;
    use crate::report::Run;
    use crate::report::fixtures::{Fixture, RULES, clean_files, empty_run, render};
    use crate::source::{SourceFile, Span};

    #[test]
    fn human() {
        let fixture = Fixture::new();
        let output = render(Format::HUMAN, &fixture.run());
        assert!(!output.contains('\u{1b}'), "no colour when colour is off");
        // The summary line, then how many findings `--fix` resolves (the 204's body).
        assert!(output.ends_with(
            "Checked 3 files in 42ms: 2 errors, 1 warning, 1 info, 0 hints, 2 suppressed.\n1 fixable with `oaslint lint --fix`.\n"
        ));
        insta::assert_snapshot!(output);
    }

    #[test]
    fn human_color() {
        let fixture = Fixture::new();
        let run = Run { color: true, ..fixture.run() };
        let output = render(Format::HUMAN, &run);
        assert!(output.contains("\u{1b}[31m") || output.contains("\u{1b}[1;31m"));
    }

    #[test]
    fn human_narrow_width_wraps() {
        let fixture = Fixture::new();
        let run = Run { width: Some(40), ..fixture.run() };
        let output = render(Format::HUMAN, &run);
        // Messages and help wrap; snippets and the summary line do not.
        let prose = ["  ×", "  ⚠", "  ☞", "  │", "  help:", "        "];
        let wide = output
            .lines()
            .filter(|line| prose.iter().any(|start| line.starts_with(start)))
            .filter(|line| line.chars().count() > 40)
            .collect::<Vec<_>>();
        assert!(wide.is_empty(), "{wide:#?}");
        insta::assert_snapshot!(output);
    }

    #[test]
    fn human_empty() {
        let files = clean_files();
        let output = render(Format::HUMAN, &empty_run(&files));
        insta::assert_snapshot!(output);
    }

    /// What the stock `String` source would give for every span, our index gives too
    /// (where our columns are code points and theirs bytes, on ASCII text).
    #[test]
    fn indexed_source_reads_what_miette_reads() {
        let text = "a: 1\nbb:\n  - x\n  - yy\nc: 3\n";
        let file = SourceFile::from_text("t.yaml", text).0;
        let ours = IndexedSource::new(&file, 1);
        let theirs = text.to_owned();
        for start in 0..text.len() {
            for end in start..=text.len() {
                let span = SourceSpan::from(start..end);
                // Where miette differs, on purpose: a span ending in a line break ends on
                // that line (miette counts the next line as the span's too), and an
                // empty span at 0 reads nothing (miette reads one byte there).
                if text[..end].ends_with('\n') || end == 0 {
                    continue;
                }
                for context in [0, 1, 2] {
                    let a = ours.read_span(&span, context, context).unwrap();
                    let b = theirs.read_span(&span, context, context).unwrap();
                    let at = format!("{start}..{end} context {context}");
                    assert_eq!(
                        (a.data(), a.span(), a.line(), a.column()),
                        (b.data(), b.span(), b.line(), b.column()),
                        "{at}"
                    );
                }
            }
        }
    }

    #[test]
    fn indexed_source_cuts_long_lines() {
        let mut text = String::from("{\"a\": [");
        text.push_str(&"1, ".repeat(5_000));
        let needle_at = text.len();
        text.push_str("\"needle\"");
        text.push_str(&", 2".repeat(5_000));
        text.push_str("]}\n");
        let file = SourceFile::from_text("min.json", &text).0;
        let source = IndexedSource::new(&file, 1);
        let span = SourceSpan::from(needle_at..needle_at + 8);
        let contents = source.read_span(&span, 1, 1).unwrap();
        assert!(contents.data().len() < 200);
        let shown = std::str::from_utf8(contents.data()).unwrap();
        assert!(shown.contains("\"needle\""));
        // Cut on both sides, and marked so; the span still says where the bytes are.
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(contents.span().len(), contents.data().len());
        let after_ellipsis = contents.span().offset() + '…'.len_utf8();
        assert_eq!(&shown['…'.len_utf8()..40], &text[after_ellipsis..after_ellipsis + 40 - 3]);
        assert_eq!(contents.line(), 0);
        assert_eq!(contents.column(), contents.span().offset());
    }

    /// 2,000 findings on a 10 MB file render through the line index; the output names
    /// the right lines at the end of the file. (Only content is asserted: timings are
    /// not stable on shared machines. Before the index this took about half a minute.)
    #[test]
    fn human_renders_many_findings_on_a_large_file() {
        const LINES: usize = 400_000;
        let mut text = String::with_capacity(LINES * 26);
        text.push_str("openapi: 3.1.0\nx-keys:\n");
        for n in 0..LINES {
            text.push_str(&format!("  key{n:07}: value {n:07}\n"));
        }
        assert!(text.len() > 10_000_000);
        // The tree is not needed to render: a NUL byte stops parsing early and still
        // gives the text and its line index.
        text.push('\0');
        let file = Arc::new(SourceFile::from_text("big.yaml", &text).0);
        const HEADER_BYTES: usize = "openapi: 3.1.0\nx-keys:\n".len();
        const LINE_BYTES: usize = "  key0000000: value 0000000\n".len();
        let findings: Vec<Finding> = (0..2_000)
            .map(|i| {
                let n = i * (LINES / 2_000) + 7;
                let key = format!("key{n:07}");
                let start = HEADER_BYTES + n * LINE_BYTES + 2;
                assert_eq!(&text[start..start + key.len()], key);
                let span = Span::new(start as u32, (start + key.len()) as u32);
                Finding::new(
                    "no-body",
                    Category::Rule,
                    Severity::Warning,
                    format!("{key} is suspicious"),
                    Location::new(Arc::clone(&file), span),
                    format!("/x-keys/{key}"),
                )
            })
            .collect();
        let files = vec!["big.yaml".to_owned()];
        let run = Run { width: Some(100), ..Run::new(&findings, &RULES, &files) };
        let output = render(Format::HUMAN, &run);
        let last = LINES / 2_000 * 1_999 + 7;
        // Line numbers are 1-based and the keys start on line 3.
        assert!(output.contains(&format!("[big.yaml:{}:3]", last + 3)));
        assert!(output.contains(&format!("key{last:07} is suspicious")));
        assert_eq!(output.matches("no-body (https://").count(), 2_000);
        assert!(output.ends_with("0 errors, 2000 warnings, 0 infos, 0 hints, 0 suppressed.\n"));
    }
}
