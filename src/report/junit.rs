//! JUnit XML, for CI test report views: a `testsuite` per file, a `testcase` per rule and
//! file, a `failure` per finding at or above the `--fail-on` level (an `error` for an
//! input problem; the `type` attribute names the severity), so the report fails exactly
//! what fails the run. Findings below that level pass their test case and are listed in
//! its `system-out` (left out with `--quiet`). Rules that found nothing in a file are
//! passing test cases, or skipped ones when the file could not be read or parsed.
//! Suppressed findings never fail a test case; with `show_suppressed` they are listed in
//! its `system-out`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use crate::finding::{Category, Finding, Severity};
use crate::report::text::suppression_note;
use crate::report::{Reporter, RunEnd, RunInfo};

/// Keeps each finding's rendered element (text, not the finding: a batch's files are
/// freed as the run goes on) and writes the document at the end, when the counts its
/// first element carries are known.
#[derive(Default)]
pub struct JunitReporter {
    /// File name → its test cases.
    suites: BTreeMap<String, Suite>,
}

impl Reporter for JunitReporter {
    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], _out: &mut dyn io::Write) -> io::Result<()> {
        for finding in findings.iter().filter(|finding| run.passes_quiet(finding)) {
            let suite = self.suites.entry(finding.primary.file_name().to_owned()).or_default();
            let case = suite.cases.entry(finding.rule.clone()).or_default();
            if finding.is_suppressed() {
                if run.show_suppressed {
                    let note = finding.suppression.as_ref().map(suppression_note).unwrap_or_default();
                    case.listed.push(format!("{note}\n{}", details(run, finding)));
                }
                continue;
            }
            if !run.fails(finding) {
                let note = format!("below the --fail-on level ({})", run.fail_on);
                case.listed.push(format!("{note}\n{}", details(run, finding)));
                continue;
            }
            let element = match finding.category {
                Category::Input => "error",
                Category::Rule => "failure",
            };
            case.failures.push(format!(
                "      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n",
                attribute(&finding.message),
                finding.severity,
                text(&details(run, finding)),
            ));
            case.input_problem |= finding.category == Category::Input;
            suite.unchecked |= finding.category == Category::Input && finding.severity == Severity::Error;
        }
        Ok(())
    }

    fn end(&mut self, run: &RunInfo<'_>, end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        for file in end.files {
            self.suites.entry(file.clone()).or_default();
        }
        for suite in self.suites.values_mut() {
            for rule in run.rules {
                suite.cases.entry(rule.id.to_owned()).or_default();
            }
        }
        out.write_all(render(&self.suites, end).as_bytes())
    }
}

/// The findings of one rule in one file, rendered.
#[derive(Default)]
struct Case {
    /// `<failure>` and `<error>` elements.
    failures: Vec<String>,
    /// Whether one of the failures is an input problem (an `<error>`).
    input_problem: bool,
    /// Findings that do not fail the case (suppressed ones, when they are shown, and those
    /// below the `--fail-on` level), listed in `system-out`.
    listed: Vec<String>,
}

/// The test cases of one file.
#[derive(Default)]
struct Suite {
    cases: BTreeMap<String, Case>,
    /// The file could not be read or parsed, so its rules did not check it.
    unchecked: bool,
}

impl Suite {
    /// (failing test cases, erroring test cases, skipped test cases): a case with an input
    /// problem is an error, one with rule findings a failure.
    fn counts(&self) -> (usize, usize, usize) {
        let (mut failures, mut errors, mut skipped) = (0, 0, 0);
        for case in self.cases.values() {
            if case.input_problem {
                errors += 1;
            } else if !case.failures.is_empty() {
                failures += 1;
            } else if self.unchecked {
                skipped += 1;
            }
        }
        (failures, errors, skipped)
    }
}

fn render(suites: &BTreeMap<String, Suite>, end: &RunEnd<'_>) -> String {
    let mut totals = (0, 0, 0, 0);
    for suite in suites.values() {
        let (failures, errors, skipped) = suite.counts();
        totals.0 += suite.cases.len();
        totals.1 += failures;
        totals.2 += errors;
        totals.3 += skipped;
    }
    let (tests, failures, errors, skipped) = totals;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"oaslint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{:.3}\">",
        end.elapsed.as_secs_f64()
    );
    for (file, suite) in suites {
        let (failures, errors, skipped) = suite.counts();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
            attribute(file),
            suite.cases.len(),
        );
        for (rule, case) in &suite.cases {
            write_case(&mut xml, file, rule, case, suite.unchecked);
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn write_case(xml: &mut String, file: &str, rule: &str, case: &Case, unchecked: bool) {
    let _ = write!(
        xml,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
        attribute(rule),
        attribute(file),
        attribute(file)
    );
    let skipped = unchecked && case.failures.is_empty();
    if case.failures.is_empty() && case.listed.is_empty() && !skipped {
        xml.push_str("/>\n");
        return;
    }
    xml.push_str(">\n");
    if skipped {
        xml.push_str("      <skipped message=\"the file could not be read or parsed\"/>\n");
    }
    for failure in &case.failures {
        xml.push_str(failure);
    }
    if !case.listed.is_empty() {
        let _ = writeln!(xml, "      <system-out>{}</system-out>", text(&case.listed.join("\n\n")));
    }
    xml.push_str("    </testcase>\n");
}

/// The body of a failure: where, what, and what to do.
fn details(run: &RunInfo<'_>, finding: &Finding) -> String {
    let start = finding.primary.start();
    let mut text = format!(
        "{}:{}:{}: {} [{}] {}",
        finding.primary.file_name(),
        start.line,
        start.column,
        finding.severity,
        finding.rule,
        finding.message
    );
    // A shared definition's users: the first few by place, then how many more.
    const SHOWN: usize = 10;
    for related in finding.related.iter().take(SHOWN) {
        let at = related.location.start();
        let _ = write!(text, "\n  {}:{}:{}: {}", related.location.file_name(), at.line, at.column, related.label);
    }
    if finding.related.len() > SHOWN {
        let _ = write!(text, "\n  and {} more", finding.related.len() - SHOWN);
    }
    if let Some(help) = &finding.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    if run.rule(&finding.rule).is_some() {
        let _ = write!(text, "\ndocs: {}", crate::finding::rule_doc_url(&finding.rule));
    }
    text
}

/// Escape for an XML 1.0 attribute value: line breaks and tabs become character
/// references, or the parser would normalise them to spaces.
fn attribute(text: &str) -> String {
    escape(text, true)
}

/// Escape for XML 1.0 element text; line feeds stay as they are.
fn text(text: &str) -> String {
    escape(text, false)
}

/// Characters XML 1.0 cannot carry at all (control characters other than tab and line
/// breaks, U+FFFE, U+FFFF) are written as `\u{..}`. A carriage return is a character
/// reference everywhere, as parsers would otherwise drop it.
fn escape(text: &str, in_attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' if in_attribute => escaped.push_str("&quot;"),
            '\'' if in_attribute => escaped.push_str("&apos;"),
            '\n' if in_attribute => escaped.push_str("&#10;"),
            '\t' if in_attribute => escaped.push_str("&#9;"),
            '\r' => escaped.push_str("&#13;"),
            '\n' | '\t' => escaped.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
            }
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::attribute;
    use crate::report::Format;
    use crate::report::fixtures::{Fixture, RULES, clean_files, empty_run, render};

    fn number(node: roxmltree::Node<'_, '_>, name: &str) -> usize {
        node.attribute(name).unwrap().parse().unwrap()
    }

    #[test]
    fn junit() {
        let fixture = Fixture::new();
        let output = render(Format::JUNIT, &fixture.run());
        let document = roxmltree::Document::parse(&output).unwrap();
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        let names: Vec<_> = suites.iter().map(|s| s.attribute("name").unwrap()).collect();
        assert_eq!(names, ["api/broken.yaml", "api/clean.yaml", "api/components.yaml", "api/openapi.yaml"]);
        let mut total_tests = 0;
        let mut total_failures = 0;
        for suite in &suites {
            let cases: Vec<_> = suite.children().filter(|n| n.is_element()).collect();
            assert_eq!(number(*suite, "tests"), cases.len());
            let failing = cases.iter().filter(|case| case.children().any(|n| n.has_tag_name("failure"))).count();
            assert_eq!(number(*suite, "failures"), failing);
            total_tests += cases.len();
            total_failures += failing;
        }
        assert_eq!(number(root, "tests"), total_tests);
        assert_eq!(number(root, "failures"), total_failures);
        assert_eq!(number(root, "errors"), 1);
        // The file that does not parse was not checked by its rules.
        assert_eq!(number(suites[0], "skipped"), RULES.len());
        assert_eq!(number(root, "skipped"), RULES.len());

        // An info finding does not fail a run that fails on errors: it passes its test
        // case, listed in its output, its message intact.
        let openapi = suites[3];
        let summary_style = openapi.children().find(|n| n.attribute("name") == Some("summary-style")).unwrap();
        assert!(!summary_style.children().any(|n| n.has_tag_name("failure")));
        let listed = summary_style.children().find(|n| n.has_tag_name("system-out")).unwrap().text().unwrap();
        assert!(listed.contains(crate::report::fixtures::AWKWARD_MESSAGE), "{listed}");
        // Failing on infos, it is a failure; the awkward message survives escaping
        // unchanged, line break included.
        let run = crate::report::Run { fail_on: crate::finding::Severity::Info, ..fixture.run() };
        let strict = render(Format::JUNIT, &run);
        let strict = roxmltree::Document::parse(&strict).unwrap();
        let message = strict
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .find_map(|n| n.attribute("message").filter(|m| m.contains("größer")))
            .unwrap();
        assert_eq!(message, crate::report::fixtures::AWKWARD_MESSAGE);
        // With --quiet, below the level is left out altogether.
        let quiet = render(Format::JUNIT, &crate::report::Run { quiet: true, ..fixture.run() });
        assert!(!quiet.contains("größer"), "{quiet}");
        // Suppressed findings do not fail their test case.
        let operation_id = openapi.children().find(|n| n.attribute("name") == Some("operation-id")).unwrap();
        assert!(!operation_id.children().any(|n| n.has_tag_name("failure")));
        assert!(operation_id.children().any(|n| n.has_tag_name("system-out")));
        insta::assert_snapshot!(output);
    }

    #[test]
    fn junit_empty() {
        let files = clean_files();
        let output = render(Format::JUNIT, &empty_run(&files));
        let document = roxmltree::Document::parse(&output).unwrap();
        let cases = document.descendants().filter(|n| n.has_tag_name("testcase")).count();
        assert_eq!(cases, RULES.len());
        insta::assert_snapshot!(output);
    }

    #[test]
    fn junit_escapes_what_xml_cannot_carry() {
        let text = "a<b & \"c\" 'd'\u{1}\u{1b}\u{FFFF}\r\n";
        let xml = format!("<x y=\"{}\">{}</x>", attribute(text), super::text(text));
        let document = roxmltree::Document::parse(&xml).unwrap();
        let expected = "a<b & \"c\" 'd'\\u{1}\\u{1b}\\u{ffff}\r\n";
        assert_eq!(document.root_element().attribute("y"), Some(expected));
        assert_eq!(document.root_element().text(), Some(expected));
    }
}
