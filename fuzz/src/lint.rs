//! One fuzz input through the whole path a user's run takes: load + resolve, the checks
//! under every built-in ruleset, and every output format. Besides "no panic", it panics
//! when an output breaks its contract: a location outside its file, SARIF or JSON that
//! does not parse, a fix whose edits do not apply, JUnit that is not well-formed XML, a GitHub annotation whose message
//! can end the command early, or a control character from the input reaching any format
//! unescaped (it could drive the terminal or the CI log the report is printed to).

use std::sync::OnceLock;

use oaslint::checks::ruleset::{BUILTIN_NAMES, Ruleset};
use oaslint::checks::{lint, rule_metas};
use oaslint::finding::{Category, Finding, RuleMeta, sort_and_dedup};
use oaslint::report::{Format, Run, write_run};
use oaslint::resolve::{LoadOptions, Workspace};

use crate::invariants::location_problem;

/// Every built-in ruleset, parsed once.
fn rulesets() -> &'static [Ruleset] {
    static RULESETS: OnceLock<Vec<Ruleset>> = OnceLock::new();
    RULESETS.get_or_init(|| {
        BUILTIN_NAMES
            .iter()
            .map(|name| Ruleset::builtin(name).unwrap_or_else(|err| panic!("built-in ruleset {name}: {err}")))
            .collect()
    })
}

fn rules() -> &'static [RuleMeta] {
    static RULES: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    RULES.get_or_init(rule_metas)
}

/// Run one input through everything, as YAML and as JSON. Panics on a broken contract.
pub fn exercise_lint(data: &[u8]) {
    // Invalid UTF-8 is the loader's business (the `load` target); here it is read as the CLI
    // would show it.
    let text = String::from_utf8_lossy(data);
    for name in ["fuzz.yaml", "fuzz.json"] {
        // No directory: file references are refused, so nothing is read from disk.
        let workspace = Workspace::from_text(name, &text, None, &LoadOptions::default());
        let files: Vec<String> = workspace.files().iter().map(|file| file.name.clone()).collect();
        // The input problems are the same under every ruleset: check them once.
        check_findings(workspace.findings(), "loading");
        for ruleset in rulesets() {
            let mut findings = lint(&workspace, ruleset);
            sort_and_dedup(&mut findings);
            let from_checks: Vec<Finding> =
                findings.iter().filter(|finding| finding.category != Category::Input).cloned().collect();
            check_findings(&from_checks, ruleset.name());
            render_all(&findings, &files, ruleset.name());
        }
    }
}

fn fail(context: &str, problem: impl std::fmt::Display) -> ! {
    panic!("{context}: {problem}")
}

fn check_findings(findings: &[Finding], ruleset: &str) {
    for finding in findings {
        let context = format!("{ruleset}: {} at {}", finding.rule, finding.pointer);
        if finding.message.trim().is_empty() {
            fail(&context, "empty message");
        }
        let locations =
            std::iter::once(&finding.primary).chain(finding.related.iter().map(|related| &related.location));
        for location in locations {
            if let Err(problem) = location_problem(location) {
                fail(&context, problem);
            }
        }
        // A fix's edits lie in their files and apply together (the engine may still drop
        // a fix whose result does not parse or does not work; applying is the contract).
        if let Some(fix) = &finding.fix {
            for edit in &fix.edits {
                if let Err(problem) = location_problem(&edit.at) {
                    fail(&context, format!("fix `{}`: {problem}", fix.title));
                }
                let same_file: Vec<oaslint::source::edit::TextEdit> = fix
                    .edits
                    .iter()
                    .filter(|other| std::sync::Arc::ptr_eq(&other.at.file, &edit.at.file))
                    .map(|other| oaslint::source::edit::TextEdit { span: other.at.span, text: other.text.clone() })
                    .collect();
                if let Err(problem) = oaslint::source::edit::apply(edit.at.file.text(), &same_file) {
                    fail(&context, format!("fix `{}` does not apply: {problem}", fix.title));
                }
            }
        }
    }
}

/// Every format, with suppressed findings shown; the human format also in colour and narrow.
/// Only the rules the findings name are described (SARIF's and JUnit's rule lists): each
/// rule's documentation is pages long, and rendering it on every input would halve the
/// fuzzer's speed without reaching anything new.
fn render_all(findings: &[Finding], files: &[String], ruleset: &str) {
    let named: Vec<RuleMeta> =
        rules().iter().filter(|rule| findings.iter().any(|finding| finding.rule == rule.id)).cloned().collect();
    let run = Run { show_suppressed: true, exit_code: 1, ..Run::new(findings, &named, files) };
    for format in Format::all() {
        let output = render(format, &run, ruleset);
        let context = format!("{ruleset}: -f {format}");
        uncontrolled(&output, &context);
        if [Format::JSON, Format::SARIF, Format::GITLAB].contains(&format) {
            if let Err(err) = serde_json::from_str::<serde_json::Value>(&output) {
                fail(&context, format!("does not parse: {err}"));
            }
        } else if format == Format::JUNIT {
            if let Err(err) = roxmltree::Document::parse(&output) {
                fail(&context, format!("is not well-formed XML: {err}"));
            }
        } else if format == Format::GITHUB {
            github_problem(&output, findings.len()).unwrap_or_else(|problem| fail(&context, problem));
        }
    }
    for variant in [Run { color: true, ..run.clone() }, Run { width: Some(40), ..run.clone() }] {
        let output = render(Format::HUMAN, &variant, ruleset);
        if !variant.color {
            uncontrolled(&output, &format!("{ruleset}: -f human, width 40"));
        }
    }
}

fn render(format: Format, run: &Run<'_>, ruleset: &str) -> String {
    let mut out = Vec::new();
    if let Err(err) = write_run(format, run, &mut out) {
        fail(&format!("{ruleset}: -f {format}"), format!("could not render: {err}"));
    }
    String::from_utf8(out).unwrap_or_else(|err| fail(&format!("{ruleset}: -f {format}"), format!("not UTF-8: {err}")))
}

/// Output holds no control character but line feeds (and tabs): an ESC, BEL, CR or C1
/// CSI from the input could recolour, hide or rewrite what a terminal or CI log shows.
fn uncontrolled(output: &str, context: &str) {
    if let Some(control) = output.chars().find(|&c| c.is_control() && c != '\n' && c != '\t') {
        fail(context, format!("control character U+{:04X} in the output", u32::from(control)));
    }
}

/// One workflow command per finding, each `::name properties::message` on one line, with
/// no raw delimiter in a property value.
fn github_problem(output: &str, findings: usize) -> Result<(), String> {
    let lines = output.lines().count();
    if lines != findings {
        return Err(format!("{lines} lines for {findings} findings"));
    }
    for line in output.lines() {
        let rest = line.strip_prefix("::").ok_or_else(|| format!("not a command: {line}"))?;
        let (command, rest) = rest.split_once(' ').ok_or_else(|| format!("no properties: {line}"))?;
        if !["error", "warning", "notice"].contains(&command) {
            return Err(format!("unknown command `{command}`"));
        }
        let (properties, _message) = rest.split_once("::").ok_or_else(|| format!("no message: {line}"))?;
        for property in properties.split(',') {
            let (key, value) = property.split_once('=').ok_or_else(|| format!("bad property `{property}`"))?;
            if key.is_empty() || value.contains(':') {
                return Err(format!("bad property `{property}`"));
            }
        }
    }
    Ok(())
}
