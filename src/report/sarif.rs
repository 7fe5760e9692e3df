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

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::finding::{Category, Finding, Location, RuleMeta, Severity, SuppressionKind, rule_doc_url};
use crate::report::text::write_json_pretty;
use crate::report::{Reporter, Run};
use crate::source::Format as SourceFormat;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SOURCE_ROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "oaslintFingerprint/v1";
/// SARIF requires message text; a finding should never have none, but stays valid if so.
const NO_MESSAGE: &str = "(no message)";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

pub struct SarifReporter;

impl Reporter for SarifReporter {
    fn report(&self, run: &Run<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        write_json_pretty(&mut *out, &sarif_log(run))?;
        writeln!(out)
    }
}

fn sarif_log<'a>(run: &Run<'a>) -> SarifLog<'a> {
    let rules = Descriptors::new(run);
    let artifacts = Artifacts::new(run);
    let results = run.findings.iter().map(|finding| sarif_result(finding, &rules, &artifacts)).collect();
    let mut original_uri_base_ids = BTreeMap::new();
    original_uri_base_ids.insert(
        SOURCE_ROOT,
        BaseLocation {
            uri: run.source_root.and_then(directory_uri),
            description: Text::new("The directory oaslint was run in; file names are relative to it."),
        },
    );
    SarifLog {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "oaslint",
                    version: run.tool_version,
                    semantic_version: run.tool_version,
                    information_uri: INFORMATION_URI,
                    rules: rules.descriptors,
                },
            },
            invocations: [Invocation { execution_successful: run.exit_code != 2, exit_code: run.exit_code }],
            original_uri_base_ids,
            artifacts: artifacts.artifacts(),
            results,
            column_kind: "unicodeCodePoints",
        }],
    }
}

fn sarif_result<'a>(finding: &'a Finding, rules: &Descriptors<'_>, artifacts: &Artifacts<'_>) -> SarifResult<'a> {
    let physical = |location: &Location| PhysicalLocation {
        artifact_location: artifact_location(location.file_name(), artifacts.index_of(location.file_name())),
        region: Region::of(location),
    };
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
        rule_index: rules.index_of(&finding.rule),
        level: level(finding.severity),
        message: Text::new(sentence(&finding.message)),
        locations: [SarifLocation { id: None, physical_location: physical(&finding.primary), message: None }],
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
/// problems), so every result has a `ruleIndex`.
struct Descriptors<'a> {
    descriptors: Vec<ReportingDescriptor<'a>>,
    index: BTreeMap<&'a str, usize>,
}

impl<'a> Descriptors<'a> {
    fn new(run: &Run<'a>) -> Descriptors<'a> {
        let mut rules: Vec<&'a RuleMeta> = run.rules.iter().collect();
        rules.sort_by_key(|rule| rule.id);
        rules.dedup_by_key(|rule| rule.id);
        let mut descriptors: Vec<ReportingDescriptor<'a>> =
            rules.into_iter().map(ReportingDescriptor::for_rule).collect();
        let mut index: BTreeMap<&'a str, usize> =
            descriptors.iter().enumerate().map(|(position, descriptor)| (descriptor.id, position)).collect();
        let mut others: Vec<&'a Finding> =
            run.findings.iter().filter(|finding| !index.contains_key(finding.rule.as_str())).collect();
        others.sort_by_key(|finding| finding.rule.as_str());
        others.dedup_by_key(|finding| finding.rule.as_str());
        for finding in others {
            index.insert(&finding.rule, descriptors.len());
            descriptors.push(ReportingDescriptor::synthesized(finding));
        }
        Descriptors { descriptors, index }
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
}

/// Every file named in the run, sorted: the files checked and those findings point into.
struct Artifacts<'a> {
    /// Name, whether it was checked (given, not only reached through a `$ref`), its syntax.
    files: Vec<(&'a str, bool, Option<SourceFormat>)>,
}

impl<'a> Artifacts<'a> {
    fn new(run: &Run<'a>) -> Artifacts<'a> {
        let mut formats: BTreeMap<&'a str, SourceFormat> = BTreeMap::new();
        for finding in run.findings {
            let locations =
                std::iter::once(&finding.primary).chain(finding.related.iter().map(|related| &related.location));
            for location in locations {
                formats.insert(location.file_name(), location.file.format);
            }
        }
        let mut names: Vec<&'a str> = run.files.iter().map(String::as_str).collect();
        names.extend(formats.keys().copied());
        names.sort_unstable();
        names.dedup();
        let files = names
            .into_iter()
            .map(|name| {
                let checked = run.files.iter().any(|file| file == name);
                (name, checked, formats.get(name).copied().or_else(|| format_by_extension(name)))
            })
            .collect();
        Artifacts { files }
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.files.binary_search_by(|(file, _, _)| (*file).cmp(name)).ok()
    }

    fn artifacts(&self) -> Vec<Artifact> {
        self.files
            .iter()
            .map(|&(name, checked, format)| Artifact {
                location: artifact_location(name, None),
                roles: if checked { vec!["analysisTarget"] } else { Vec::new() },
                source_language: format.map(|format| match format {
                    SourceFormat::Json => "json",
                    SourceFormat::Yaml => "yaml",
                }),
            })
            .collect()
    }
}

fn format_by_extension(name: &str) -> Option<SourceFormat> {
    let extension = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "json" => Some(SourceFormat::Json),
        "yaml" | "yml" => Some(SourceFormat::Yaml),
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
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: Tool<'a>,
    invocations: [Invocation; 1],
    original_uri_base_ids: BTreeMap<&'static str, BaseLocation>,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
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
    fn synthesized(finding: &'a Finding) -> ReportingDescriptor<'a> {
        let (short, full, help) = match finding.category {
            Category::Input => (
                format!("The input could not be read, parsed or resolved ({}).", finding.rule),
                "oaslint reports a file that cannot be read, parsed as YAML or JSON, or whose \
                 references cannot be resolved; the file is not linted further."
                    .to_owned(),
                "Fix the file at the reported location so that it can be read, parsed and \
                 resolved, then run oaslint again."
                    .to_owned(),
            ),
            Category::Rule => (
                format!("oaslint rule {}.", finding.rule),
                format!("Findings of the oaslint rule {}.", finding.rule),
                format!("See the documentation of the oaslint rule {}.", finding.rule),
            ),
        };
        ReportingDescriptor {
            id: &finding.rule,
            name: pascal_case(&finding.rule),
            short_description: Text::new(short),
            full_description: Text::new(full),
            help: Help { markdown: help.clone(), text: help },
            help_uri: None,
            default_configuration: Configuration { level: level(finding.severity) },
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
    region: Region,
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

    use super::{SarifReporter, absolute_file_uri, artifact_location, pascal_case, sentence};
    use crate::finding::{Category, Finding, Location, Severity};
    use crate::report::Run;
    use crate::report::fixtures::{Fixture, RULES, clean_files, empty_run, render};
    use crate::source::{SourceFile, Span};

    #[test]
    fn sarif() {
        let fixture = Fixture::new();
        let output = render(&SarifReporter, &fixture.run());
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
        let targets: Vec<&str> = run["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|artifact| artifact["roles"][0] == "analysisTarget")
            .map(|artifact| artifact["location"]["uri"].as_str().unwrap())
            .collect();
        assert_eq!(targets, ["api/broken.yaml", "api/clean.yaml", "api/openapi.yaml"]);
        assert_eq!(run["invocations"][0]["exitCode"], 2);
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///work/project/");
        insta::assert_snapshot!(output);
    }

    #[test]
    fn sarif_empty() {
        let files = clean_files();
        let output = render(&SarifReporter, &empty_run(&files));
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
        std::fs::write(dir.join("fixture.sarif"), render(&SarifReporter, &fixture.run())).unwrap();
        let files = clean_files();
        std::fs::write(dir.join("empty.sarif"), render(&SarifReporter, &empty_run(&files))).unwrap();

        // Variants: no known source root, and a file outside it (an absolute name).
        let no_root = Run { source_root: None, ..fixture.run() };
        std::fs::write(dir.join("no-root.sarif"), render(&SarifReporter, &no_root)).unwrap();
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
        std::fs::write(dir.join("absolute.sarif"), render(&SarifReporter, &absolute)).unwrap();
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
