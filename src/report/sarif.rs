//! SARIF 2.1.0, shaped for GitHub code scanning and validated with Microsoft's SARIF
//! multitool (`scripts/validate-sarif.sh`).
//!
//! Choices the format leaves open:
//! - Every rule of the ruleset is a `tool.driver.rules` descriptor, in id order, whether
//!   it found anything or not. Input problems (a file that does not parse, a broken
//!   `$ref`) are results like rule violations, under a descriptor synthesized for their
//!   problem id (`invalid-syntax`) after the rules; GitHub shows only results, not
//!   notifications, so this keeps them visible.
//! - URIs are relative to `%SRCROOT%` (the run's source root, the working directory) and
//!   percent-encoded; absolute file names become `file://` URIs.
//! - Suppressed findings are results with `suppressions` (never dropped).
//! - `executionSuccessful` is false only for exit code 2 (usage, configuration or input
//!   errors); findings alone (exit code 1) are a successful run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::checks::adopt::is_baseline_suppression;
use crate::finding::{Category, Finding, Location, RuleMeta, Severity, SuppressionKind, rule_doc_url};
use crate::report::json::write_indented;
use crate::report::text::pretty_json;
use crate::report::{Absent, Reporter, RunEnd, RunInfo};
use crate::source::Syntax;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SOURCE_ROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "oaslintFingerprint/v1";
/// SARIF requires message text; a finding should never have none, but stays valid if so.
const NO_MESSAGE: &str = "(no message)";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// Streams: the results as they come, then the run's other members (the tool and its
/// rule descriptors, the artifacts, the invocation), which depend on every result. Rule
/// and artifact indexes are given in order of first use: the ruleset's rules first.
#[derive(Default)]
pub struct SarifReporter {
    rules: Descriptors,
    artifacts: Artifacts,
    /// How many results were written so far (a comma goes before every one but the first).
    written: usize,
}

/// The indentation of the members of `runs[0]`, and of its results.
const RUN_INDENT: &[u8] = b"\n      ";
const RESULT_INDENT: &[u8] = b"\n        ";

impl Reporter for SarifReporter {
    fn begin(&mut self, run: &RunInfo<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        self.rules = Descriptors::new(run.rules);
        write!(
            out,
            "{{\n  \"$schema\": \"{SARIF_SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"results\": ["
        )
    }

    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
        for finding in findings.iter().filter(|finding| run.passes_quiet(finding)) {
            let mut result = sarif_result(finding, &mut self.rules, &mut self.artifacts);
            if run.baseline {
                let accepted = finding.suppression.as_ref().is_some_and(is_baseline_suppression);
                result.baseline_state = Some(if accepted { "unchanged" } else { "new" });
            }
            out.write_all(if self.written == 0 { b"" } else { b"," })?;
            out.write_all(RESULT_INDENT)?;
            write_indented(out, &pretty_json(&result)?, RESULT_INDENT)?;
            self.written += 1;
        }
        Ok(())
    }

    fn end(&mut self, run: &RunInfo<'_>, end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        // Baseline entries nothing matches any more: the problems they accepted are gone.
        for absent in &end.absent {
            let result = absent_result(absent, &mut self.rules, &mut self.artifacts);
            out.write_all(if self.written == 0 { b"" } else { b"," })?;
            out.write_all(RESULT_INDENT)?;
            write_indented(out, &pretty_json(&result)?, RESULT_INDENT)?;
            self.written += 1;
        }
        out.write_all(if self.written == 0 { b"]," } else { b"\n      ]," })?;
        for name in end.files {
            self.artifacts.index_of(name, None);
        }
        let tool = Tool {
            driver: Driver {
                name: "oaslint",
                version: run.tool_version,
                semantic_version: run.tool_version,
                information_uri: INFORMATION_URI,
                rules: self.rules.descriptors(run.rules),
            },
        };
        let invocations = [Invocation { execution_successful: end.exit_code != 2, exit_code: end.exit_code }];
        let mut original_uri_base_ids = BTreeMap::new();
        original_uri_base_ids.insert(
            SOURCE_ROOT,
            BaseLocation {
                uri: run.source_root.and_then(directory_uri),
                description: Text::new("The directory oaslint was run in; file names are relative to it."),
            },
        );
        let checked: HashSet<&str> = end.files.iter().map(String::as_str).collect();
        let members = [
            ("tool", pretty_json(&tool)?),
            ("invocations", pretty_json(&invocations)?),
            ("originalUriBaseIds", pretty_json(&original_uri_base_ids)?),
            ("artifacts", pretty_json(&self.artifacts.artifacts(&checked))?),
        ];
        for (name, value) in members {
            out.write_all(RUN_INDENT)?;
            write!(out, "\"{name}\": ")?;
            write_indented(out, &value, RUN_INDENT)?;
            out.write_all(b",")?;
        }
        out.write_all(RUN_INDENT)?;
        out.write_all(b"\"columnKind\": \"unicodeCodePoints\"\n    }\n  ]\n}\n")
    }
}

fn sarif_result<'a>(finding: &'a Finding, rules: &mut Descriptors, artifacts: &mut Artifacts) -> SarifResult<'a> {
    let mut physical = |location: &Location| PhysicalLocation {
        artifact_location: artifact_location(
            location.file_name(),
            Some(artifacts.index_of(location.file_name(), Some(location.file.syntax))),
        ),
        region: Some(Region::of(location)),
    };
    let primary = physical(&finding.primary);
    let related_locations = finding
        .related
        .iter()
        .zip(1..)
        .map(|(related, id)| SarifLocation {
            id: Some(id),
            physical_location: physical(&related.location),
            message: Some(Text::new(non_empty(&related.label))),
        })
        .collect();
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(FINGERPRINT_KEY, finding.fingerprint.as_str());
    SarifResult {
        rule_id: &finding.rule,
        rule_index: Some(rules.index_of(&finding.rule, finding.category, finding.severity)),
        level: level(finding.severity),
        message: Text::new(sentence(&finding.message)),
        locations: [SarifLocation { id: None, physical_location: primary, message: None }],
        related_locations,
        partial_fingerprints,
        suppressions: finding.suppression.as_ref().map(|suppression| {
            vec![SarifSuppression {
                kind: match suppression.kind {
                    SuppressionKind::InSource => "inSource",
                    SuppressionKind::External => "external",
                },
                justification: suppression.justification.as_deref(),
            }]
        }),
        baseline_state: None,
    }
}

/// A baseline entry that matched no finding: an `absent` result at its file (its line is
/// not known: the baseline keeps none), at `note` level, for reviewers to see what was fixed.
fn absent_result<'a>(absent: &'a Absent, rules: &mut Descriptors, artifacts: &mut Artifacts) -> SarifResult<'a> {
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(FINGERPRINT_KEY, absent.fingerprint.as_str());
    let index = artifacts.index_of(&absent.file, None);
    SarifResult {
        rule_id: &absent.rule,
        rule_index: Some(rules.index_of(&absent.rule, Category::Rule, Severity::Info)),
        level: "note",
        message: Text::new(sentence(&format!("No longer found: {}", absent.message))),
        locations: [SarifLocation {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact_location(&absent.file, Some(index)),
                region: None,
            },
            message: None,
        }],
        related_locations: Vec::new(),
        partial_fingerprints,
        suppressions: None,
        baseline_state: Some("absent"),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The rule descriptors: the ruleset's rules by id, then one per other id found (input
/// problems), in order of first use, so every result has a `ruleIndex`.
#[derive(Default)]
struct Descriptors {
    index: HashMap<String, usize>,
    /// How many of the indexes are the ruleset's rules (sorted by id, deduplicated).
    rules: usize,
    /// Ids that are not rules of the ruleset, with what their descriptor is made from.
    others: Vec<(String, Category, Severity)>,
}

impl Descriptors {
    fn new(rules: &[RuleMeta]) -> Descriptors {
        let mut ids: Vec<&str> = rules.iter().map(|rule| rule.id).collect();
        ids.sort_unstable();
        ids.dedup();
        let index: HashMap<String, usize> =
            ids.iter().enumerate().map(|(position, id)| ((*id).to_owned(), position)).collect();
        Descriptors { rules: index.len(), index, others: Vec::new() }
    }

    fn index_of(&mut self, rule: &str, category: Category, severity: Severity) -> usize {
        if let Some(&index) = self.index.get(rule) {
            return index;
        }
        let index = self.rules + self.others.len();
        self.index.insert(rule.to_owned(), index);
        self.others.push((rule.to_owned(), category, severity));
        index
    }

    fn descriptors<'a>(&'a self, rules: &'a [RuleMeta]) -> Vec<ReportingDescriptor<'a>> {
        let mut sorted: Vec<&'a RuleMeta> = rules.iter().collect();
        sorted.sort_by_key(|rule| rule.id);
        sorted.dedup_by_key(|rule| rule.id);
        let mut descriptors: Vec<ReportingDescriptor<'a>> =
            sorted.into_iter().map(ReportingDescriptor::for_rule).collect();
        descriptors.extend(
            self.others
                .iter()
                .map(|(id, category, severity)| ReportingDescriptor::synthesized(id, *category, *severity)),
        );
        descriptors
    }
}

/// Every file named in the run: those findings point into, in order of first use, then
/// the files checked that nothing was found in.
#[derive(Default)]
struct Artifacts {
    index: HashMap<String, usize>,
    /// Name and syntax, by index.
    files: Vec<(String, Option<Syntax>)>,
}

impl Artifacts {
    fn index_of(&mut self, name: &str, format: Option<Syntax>) -> usize {
        if let Some(&index) = self.index.get(name) {
            return index;
        }
        let index = self.files.len();
        self.index.insert(name.to_owned(), index);
        self.files.push((name.to_owned(), format.or_else(|| syntax_by_extension(name))));
        index
    }

    /// `checked`: the files given (not only reached through a `$ref`): analysis targets.
    fn artifacts(&self, checked: &HashSet<&str>) -> Vec<Artifact> {
        self.files
            .iter()
            .map(|(name, format)| Artifact {
                location: artifact_location(name, None),
                roles: if checked.contains(name.as_str()) { vec!["analysisTarget"] } else { Vec::new() },
                source_language: format.map(|format| match format {
                    Syntax::Json => "json",
                    Syntax::Yaml => "yaml",
                }),
            })
            .collect()
    }
}

fn syntax_by_extension(name: &str) -> Option<Syntax> {
    let extension = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "json" => Some(Syntax::Json),
        "yaml" | "yml" => Some(Syntax::Yaml),
        _ => None,
    }
}

fn artifact_location(name: &str, index: Option<usize>) -> ArtifactLocation {
    match absolute_file_uri(name) {
        Some(uri) => ArtifactLocation { uri, uri_base_id: None, index },
        None => ArtifactLocation {
            uri: encode_path(name.strip_prefix("./").unwrap_or(name)),
            uri_base_id: Some(SOURCE_ROOT),
            index,
        },
    }
}

/// `file:///…` for an absolute file name; `None` for a relative one.
fn absolute_file_uri(name: &str) -> Option<String> {
    let name = native_separators_to_slash(name);
    if name.starts_with('/') {
        return Some(format!("file://{}", encode_path(&name)));
    }
    // A Windows drive path, `C:/…`.
    let mut chars = name.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(drive), Some(':'), Some('/')) if drive.is_ascii_alphabetic() => {
            let rest = name.get(2..).unwrap_or("");
            Some(format!("file:///{drive}:{}", encode_path(rest)))
        }
        _ => None,
    }
}

/// The `%SRCROOT%` URI: absolute, ending in `/` as SARIF requires of a base.
fn directory_uri(root: &Path) -> Option<String> {
    let root = root.to_str()?;
    let mut uri = absolute_file_uri(root)?;
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

fn native_separators_to_slash(name: &str) -> String {
    if cfg!(windows) { name.replace('\\', "/") } else { name.to_owned() }
}

/// Percent-encode a path for a URI: everything but unreserved characters and `/` (a `:`
/// in a relative path would otherwise read as a scheme).
fn encode_path(path: &str) -> String {
    let path = native_separators_to_slash(path);
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// SARIF asks for messages that are complete sentences, ending with a period; oaslint's
/// messages are written without one.
fn sentence(text: &str) -> String {
    match text.trim_end() {
        "" => NO_MESSAGE.to_owned(),
        text if text.ends_with(['.', '!', '?']) => text.to_owned(),
        text => format!("{text}."),
    }
}

/// Related locations' labels stay labels; SARIF only requires non-empty message text.
fn non_empty(text: &str) -> String {
    match text.trim_end() {
        "" => NO_MESSAGE.to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// The first paragraph of the docs' "What it does" section, as plain text.
fn what_it_does(docs: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|line| line.trim() != "## What it does");
    lines.next()?;
    let paragraph: Vec<&str> = lines
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(str::trim)
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

/// `no-body` → `NoBody`: SARIF's `name` is an identifier-like friendly name.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    semantic_version: &'a str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

impl<'a> ReportingDescriptor<'a> {
    fn for_rule(rule: &'a RuleMeta) -> ReportingDescriptor<'a> {
        let full = what_it_does(rule.docs).unwrap_or_else(|| rule.summary.to_owned());
        let docs = if rule.docs.trim().is_empty() { rule.summary } else { rule.docs };
        ReportingDescriptor {
            id: rule.id,
            name: pascal_case(rule.id),
            short_description: Text::new(sentence(rule.summary)),
            full_description: Text::new(sentence(&full)),
            help: Help { text: docs.to_owned(), markdown: docs.to_owned() },
            help_uri: Some(rule_doc_url(rule.id)),
            default_configuration: Configuration { level: level(rule.default_severity) },
        }
    }

    /// A descriptor for an id that is not a rule of the ruleset: an input problem.
    fn synthesized(id: &'a str, category: Category, severity: Severity) -> ReportingDescriptor<'a> {
        let (short, full, help) = match category {
            Category::Input => (
                format!("The input could not be read, parsed or resolved ({id})."),
                "oaslint reports a file that cannot be read, parsed as YAML or JSON, or whose \
                 references cannot be resolved; the file is not linted further."
                    .to_owned(),
                "Fix the file at the reported location so that it can be read, parsed and \
                 resolved, then run oaslint again."
                    .to_owned(),
            ),
            Category::Rule => (
                format!("oaslint rule {id}."),
                format!("Findings of the oaslint rule {id}."),
                format!("See the documentation of the oaslint rule {id}."),
            ),
        };
        ReportingDescriptor {
            id,
            name: pascal_case(id),
            short_description: Text::new(short),
            full_description: Text::new(full),
            help: Help { markdown: help.clone(), text: help },
            help_uri: None,
            default_configuration: Configuration { level: level(severity) },
        }
    }
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Text {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    exit_code: i32,
}

#[derive(Serialize)]
struct BaseLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_language: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<SarifSuppression<'a>>>,
    /// With a baseline: `new`, `unchanged` (the baseline accepts it) or `absent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

/// 1-based lines and columns (code points); the end column is exclusive, as in SARIF.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

impl Region {
    fn of(location: &Location) -> Region {
        let start = location.start();
        let end = location.end();
        Region { start_line: start.line, start_column: start.column, end_line: end.line, end_column: end.column }
    }
}

#[derive(Serialize)]
struct SarifSuppression<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use std::sync::Arc;

    use super::{absolute_file_uri, artifact_location, pascal_case, sentence};
    use crate::finding::{Category, Finding, Location, Severity};
    use crate::report::Format;
    use crate::report::Run;
    use crate::report::fixtures::{Fixture, RULES, clean_files, empty_run, render};
    use crate::source::{SourceFile, Span};

    #[test]
    fn sarif() {
        let fixture = Fixture::new();
        let output = render(Format::SARIF, &fixture.run());
        let log: Value = serde_json::from_str(&output).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        // Every finding is a result, suppressed ones included.
        assert_eq!(results.len(), fixture.findings.len());
        // Every rule of the ruleset has a descriptor, plus one for the input problem.
        assert_eq!(rules.len(), RULES.len() + 1);
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
            let text = result["message"]["text"].as_str().unwrap();
            assert!(text.ends_with('.'), "{text}");
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
            assert!(region["startColumn"].as_u64().unwrap() >= 1);
            let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            let artifact_index = artifact["index"].as_u64().unwrap() as usize;
            assert_eq!(run["artifacts"][artifact_index]["location"]["uri"], artifact["uri"]);
        }
        let input = results.iter().find(|result| result["ruleId"] == "invalid-syntax").unwrap();
        assert_eq!(input["level"], "error");
        let summary_style = results.iter().find(|result| result["ruleId"] == "summary-style").unwrap();
        assert_eq!(summary_style["level"], "note");
        let region = &summary_style["locations"][0]["physicalLocation"]["region"];
        assert_eq!((region["startColumn"].as_u64(), region["endColumn"].as_u64()), (Some(33), Some(39)));
        let suppressions: Vec<&Value> = results.iter().filter_map(|result| result.get("suppressions")).collect();
        assert_eq!(suppressions.len(), 2);
        assert_eq!(suppressions[0][0]["kind"], "inSource");
        assert_eq!(suppressions[0][0]["justification"], "legacy clients: keep it, for now");
        // The files checked are analysis targets; a file reached only through a `$ref` is not.
        let mut targets: Vec<&str> = run["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|artifact| artifact["roles"][0] == "analysisTarget")
            .map(|artifact| artifact["location"]["uri"].as_str().unwrap())
            .collect();
        targets.sort_unstable();
        assert_eq!(targets, ["api/broken.yaml", "api/clean.yaml", "api/openapi.yaml"]);
        assert_eq!(run["invocations"][0]["exitCode"], 2);
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///work/project/");
        insta::assert_snapshot!(output);
    }

    #[test]
    fn sarif_empty() {
        let files = clean_files();
        let output = render(Format::SARIF, &empty_run(&files));
        let log: Value = serde_json::from_str(&output).unwrap();
        let run = &log["runs"][0];
        assert_eq!(run["results"], Value::Array(Vec::new()));
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), RULES.len());
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
        insta::assert_snapshot!(output);
    }

    /// Writes the fixture and empty-run SARIF for `scripts/validate-sarif.sh` (which runs
    /// this with `--ignored`) into `$OASLINT_SARIF_OUT`, by default `target/sarif/`.
    #[test]
    #[ignore = "writes files for scripts/validate-sarif.sh"]
    fn write_fixture_sarif() {
        let dir = std::env::var_os("OASLINT_SARIF_OUT").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sarif"),
            std::path::PathBuf::from,
        );
        std::fs::create_dir_all(&dir).unwrap();
        let fixture = Fixture::new();
        std::fs::write(dir.join("fixture.sarif"), render(Format::SARIF, &fixture.run())).unwrap();
        let files = clean_files();
        std::fs::write(dir.join("empty.sarif"), render(Format::SARIF, &empty_run(&files))).unwrap();

        // Variants: no known source root, and a file outside it (an absolute name).
        let no_root = Run { source_root: None, ..fixture.run() };
        std::fs::write(dir.join("no-root.sarif"), render(Format::SARIF, &no_root)).unwrap();
        let (outside, _) = SourceFile::from_text("/tmp/specs/outside.yaml", "openapi: 3.1.0\n");
        let outside = Arc::new(outside);
        let mut findings = fixture.findings.clone();
        findings.push(Finding::new(
            "no-body",
            Category::Rule,
            Severity::Error,
            "a finding in a file outside the source root",
            Location::new(outside, Span::new(0, 7)),
            "/openapi".to_owned(),
        ));
        let absolute = Run { findings: &findings, ..fixture.run() };
        std::fs::write(dir.join("absolute.sarif"), render(Format::SARIF, &absolute)).unwrap();
    }

    #[test]
    fn sarif_uris() {
        let relative = artifact_location("./specs/my api:v1.yaml", None);
        assert_eq!(relative.uri, "specs/my%20api%3Av1.yaml");
        assert_eq!(relative.uri_base_id, Some("%SRCROOT%"));
        assert_eq!(absolute_file_uri("/tmp/größe.yaml").as_deref(), Some("file:///tmp/gr%C3%B6%C3%9Fe.yaml"));
        assert_eq!(absolute_file_uri("specs/a.yaml"), None);
    }

    #[test]
    fn sarif_text_helpers() {
        assert_eq!(sentence("no body"), "no body.");
        assert_eq!(sentence("Done. "), "Done.");
        assert_eq!(sentence(""), "(no message)");
        assert_eq!(pascal_case("no-body"), "NoBody");
        assert_eq!(pascal_case("invalid-syntax"), "InvalidSyntax");
    }
}
