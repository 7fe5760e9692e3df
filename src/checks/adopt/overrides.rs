//! Overrides: the `overrides:` section of `.oaslint.yaml`. Each entry selects findings by
//! the file they are located in (or the root document that reached that file), by API
//! path or by operation, and changes the severity of rules there or turns them off.
//!
//! ```yaml
//! overrides:
//!   - files: ["legacy/**"]
//!     rules: {no-body: warning}
//!   - paths: ["/v1/**"]
//!     operations: ["DELETE /v1/*"]
//!     rules: {all: off}
//! ```
//!
//! Selectors of different kinds must all match (`paths` and `operations` above: DELETE
//! operations directly under `/v1/`); the patterns of one kind are alternatives. An entry
//! without selectors applies everywhere. Later entries win. A rule turned `off` keeps its
//! findings, suppressed ([`SuppressionKind::External`]) with a justification naming the
//! entry, so `--show-suppressed` and SARIF still show them.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, SeqAccess, Visitor};

use crate::checks::rule_id::{Accept, is_adjustable, parse_rule_id};
use crate::checks::ruleset::Level;
use crate::finding::{Finding, OperationKey, Suppression, SuppressionKind};
use crate::model::Method;
use crate::resolve::normalize;
use crate::source::SourceFile;

use super::baseline::relative_key;
use super::suppress::UNUSED_SUPPRESSION;

/// The whole `overrides:` list, in order (later entries win).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Overrides {
    entries: Vec<Override>,
}

/// One entry of `overrides:`.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs over file names, relative to the configuration file's directory.
    #[serde(default, deserialize_with = "one_or_many")]
    files: Vec<FilePattern>,
    /// Globs over path templates (`/legacy/**`); `{` and `}` are literal.
    #[serde(default, deserialize_with = "one_or_many")]
    paths: Vec<PathPattern>,
    /// `METHOD path-glob` (`DELETE /v1/*`, `* /admin/**`), or a method alone.
    #[serde(default, deserialize_with = "one_or_many")]
    operations: Vec<OperationPattern>,
    /// Rule id (or `all`) to its level there: `error`, `warning`, `info`, `hint` or `off`.
    rules: BTreeMap<RuleName, Level>,
}

impl Overrides {
    pub fn new(entries: Vec<Override>) -> Overrides {
        Overrides { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[Override] {
        &self.entries
    }

    /// Apply to the findings of one workspace: `root` is its root document (matched by
    /// `files` as well as each finding's own file, so an override for `legacy/**` covers
    /// what a legacy root `$ref`s from a shared folder) and `base` the directory of the
    /// configuration file. Input problems are left alone; a finding already suppressed
    /// keeps its suppression but takes the new severity.
    pub fn apply(&self, findings: &mut [Finding], root: Option<&SourceFile>, base: &Path) {
        if self.entries.is_empty() {
            return;
        }
        let base = normalize(base);
        let wants_files = self.entries.iter().any(|entry| !entry.files.is_empty());
        let root_names = match root {
            Some(root) if wants_files => file_names(root, &base),
            _ => Vec::new(),
        };
        for finding in findings.iter_mut().filter(|finding| is_adjustable(&finding.rule)) {
            let names = if wants_files { file_names(&finding.primary.file, &base) } else { Vec::new() };
            let decide = |operation: Option<&OperationKey>| {
                self.entries
                    .iter()
                    .enumerate()
                    .rev()
                    .filter_map(|(index, entry)| Some((index, entry, entry.level(&finding.rule)?)))
                    .find(|(_, entry, _)| entry.selects(&names, &root_names, operation))
            };
            // A fault of a shared definition follows the overrides of every operation that
            // reaches it: off only if off for all, else at the most severe level they give;
            // with one operation no override selects, only what selects the file applies.
            let decision = if finding.used_by.is_empty() {
                decide(finding.operation.as_ref())
            } else {
                let per_operation: Option<Vec<_>> =
                    finding.used_by.iter().map(|by| decide(Some(&by.operation))).collect();
                match per_operation {
                    Some(decisions) => {
                        decisions.iter().copied().max_by_key(|(_, _, level)| level.severity()).or_else(|| decide(None))
                    }
                    None => decide(None),
                }
            };
            let Some((index, entry, level)) = decision else { continue };
            match level.severity() {
                Some(severity) => finding.severity = severity,
                None => {
                    if finding.suppression.is_none() {
                        let justification =
                            format!("turned off by override #{} in the configuration ({entry})", index + 1);
                        finding.suppression =
                            Some(Suppression { kind: SuppressionKind::External, justification: Some(justification) });
                    }
                }
            }
        }
    }
}

impl Override {
    /// The level this entry gives `rule`: its own line, else `all`.
    fn level(&self, rule: &str) -> Option<Level> {
        self.rules
            .iter()
            .find(|(name, _)| name.0 == rule)
            .or_else(|| self.rules.iter().find(|(name, _)| name.0 == "all" && rule != UNUSED_SUPPRESSION))
            .map(|(_, level)| *level)
    }

    fn selects(&self, file_names: &[String], root_names: &[String], operation: Option<&OperationKey>) -> bool {
        let file_ok = self.files.is_empty()
            || self.files.iter().any(|pattern| file_names.iter().chain(root_names).any(|name| pattern.matches(name)));
        let path_ok = self.paths.is_empty()
            || operation.is_some_and(|operation| self.paths.iter().any(|pattern| pattern.matches(&operation.path)));
        let operation_ok = self.operations.is_empty()
            || operation.is_some_and(|operation| self.operations.iter().any(|pattern| pattern.matches(operation)));
        file_ok && path_ok && operation_ok
    }
}

/// "files legacy/**; operations DELETE /v1/*", for justifications.
impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut list = |kind: &str, texts: Vec<&str>| {
            if !texts.is_empty() {
                parts.push(format!("{kind} {}", texts.join(", ")));
            }
        };
        list("files", self.files.iter().map(|pattern| pattern.text.as_str()).collect());
        list("paths", self.paths.iter().map(|pattern| pattern.text.as_str()).collect());
        list("operations", self.operations.iter().map(|pattern| pattern.text.as_str()).collect());
        if parts.is_empty() { f.write_str("everywhere") } else { f.write_str(&parts.join("; ")) }
    }
}

/// The names `files` globs are matched against: the path relative to the configuration
/// file's directory, and the name reports show.
fn file_names(file: &SourceFile, base: &Path) -> Vec<String> {
    let relative = relative_key(&file.path, base);
    let shown = file.name.strip_prefix("./").unwrap_or(&file.name).to_owned();
    if relative == shown { vec![relative] } else { vec![relative, shown] }
}

/// A rule id an override may name: a check, `unused-suppression`, an input warning, or `all`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleName(String);

impl<'de> Deserialize<'de> for RuleName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RuleName, D::Error> {
        let id = String::deserialize(deserializer)?;
        parse_rule_id(&id, Accept::RulesOrAll).map(|id| RuleName(id.to_owned())).map_err(de::Error::custom)
    }
}

/// A glob over file names (`legacy/**`, `**/*.yaml`); `*` does not cross `/`.
#[derive(Clone, Debug)]
pub struct FilePattern {
    text: String,
    matcher: GlobMatcher,
}

impl FilePattern {
    fn matches(&self, name: &str) -> bool {
        self.matcher.is_match(name)
    }
}

impl<'de> Deserialize<'de> for FilePattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FilePattern, D::Error> {
        let text = String::deserialize(deserializer)?;
        let pattern = text.strip_prefix("./").unwrap_or(&text);
        let matcher = glob(pattern).map_err(de::Error::custom)?;
        Ok(FilePattern { text, matcher })
    }
}

/// A glob over path templates: `/legacy/**` (which also matches `/legacy` itself),
/// `/v1/*/items`. Braces are literal, so `/pets/{id}` names that template.
#[derive(Clone, Debug)]
pub struct PathPattern {
    text: String,
    matcher: GlobMatcher,
    /// For `prefix/**`: `prefix` itself.
    prefix: Option<String>,
}

impl PathPattern {
    fn parse(text: &str) -> Result<PathPattern, String> {
        let escaped: String = text
            .chars()
            .map(|c| match c {
                '{' => "[{]".to_owned(),
                '}' => "[}]".to_owned(),
                other => other.to_string(),
            })
            .collect();
        let matcher = glob(&escaped)?;
        let prefix = text.strip_suffix("/**").filter(|prefix| !prefix.contains(['*', '?', '['])).map(str::to_owned);
        Ok(PathPattern { text: text.to_owned(), matcher, prefix })
    }

    fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path) || self.prefix.as_deref() == Some(path)
    }
}

impl<'de> Deserialize<'de> for PathPattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PathPattern, D::Error> {
        let text = String::deserialize(deserializer)?;
        PathPattern::parse(&text).map_err(de::Error::custom)
    }
}

/// `DELETE /v1/*`: a method (or `*`) and a path glob; a method alone covers every path.
#[derive(Clone, Debug)]
pub struct OperationPattern {
    text: String,
    /// Upper case; `None` for `*`.
    method: Option<String>,
    path: Option<PathPattern>,
}

impl OperationPattern {
    fn parse(text: &str) -> Result<OperationPattern, String> {
        let trimmed = text.trim();
        let (method, path) = match trimmed.split_once(char::is_whitespace) {
            Some((method, path)) => (method, Some(path.trim())),
            None => (trimmed, None),
        };
        let method = match method {
            "*" => None,
            name => Some(
                Method::parse(name)
                    .ok_or_else(|| {
                        format!("`{text}`: `{name}` is not an HTTP method (write `METHOD /path-glob`, or `*` for any method)")
                    })?
                    .as_str()
                    .to_owned(),
            ),
        };
        let path = path.map(PathPattern::parse).transpose()?;
        Ok(OperationPattern { text: text.to_owned(), method, path })
    }

    fn matches(&self, operation: &OperationKey) -> bool {
        self.method.as_deref().is_none_or(|method| method.eq_ignore_ascii_case(&operation.method))
            && self.path.as_ref().is_none_or(|path| path.matches(&operation.path))
    }
}

impl<'de> Deserialize<'de> for OperationPattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<OperationPattern, D::Error> {
        let text = String::deserialize(deserializer)?;
        OperationPattern::parse(&text).map_err(de::Error::custom)
    }
}

fn glob(pattern: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|glob| glob.compile_matcher())
        .map_err(|err| format!("`{pattern}` is not a valid glob: {}", err.kind()))
}

/// A single pattern or a list of them.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a pattern or a list of patterns")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<T>, E> {
            T::deserialize(text.into_deserializer()).map(|item| vec![item])
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }
    }
    deserializer.deserialize_any(OneOrMany(PhantomData))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{OperationPattern, Overrides, PathPattern};
    use crate::finding::{Category, Finding, Location, OperationKey, Severity, SuppressionKind};
    use crate::source::{SourceFile, Span};

    fn overrides(json: &str) -> Result<Overrides, String> {
        serde_json::from_str(json).map_err(|err| err.to_string())
    }

    fn finding(file: &str, rule: &str, operation: Option<(&str, &str)>) -> Finding {
        let (source, _) = SourceFile::from_text(file, "a: 1\n");
        let location = Location::new(std::sync::Arc::new(source), Span::new(0, 1));
        let mut finding = Finding::new(rule, Category::Rule, Severity::Error, "m", location, "/a".to_owned());
        finding.operation =
            operation.map(|(method, path)| OperationKey { method: method.to_owned(), path: path.to_owned() });
        finding
    }

    fn path(pattern: &str) -> PathPattern {
        PathPattern::parse(pattern).unwrap()
    }

    #[test]
    fn path_patterns_take_braces_literally_and_cover_their_prefix() {
        assert!(path("/pets/{id}").matches("/pets/{id}"));
        assert!(!path("/pets/{id}").matches("/pets/id"));
        assert!(path("/v1/*").matches("/v1/pets"));
        assert!(!path("/v1/*").matches("/v1/pets/{id}"));
        assert!(path("/legacy/**").matches("/legacy/pets/{id}"));
        assert!(path("/legacy/**").matches("/legacy"));
        assert!(!path("/legacy/**").matches("/legacy-v2"));
        assert!(path("/*/items").matches("/orders/items"));
    }

    #[test]
    fn operation_patterns() {
        let key = |method: &str, path: &str| OperationKey { method: method.to_owned(), path: path.to_owned() };
        let delete = OperationPattern::parse("DELETE /v1/*").unwrap();
        assert!(delete.matches(&key("DELETE", "/v1/pets")));
        assert!(!delete.matches(&key("GET", "/v1/pets")));
        assert!(!delete.matches(&key("DELETE", "/v2/pets")));
        let any = OperationPattern::parse("* /admin/**").unwrap();
        assert!(any.matches(&key("PATCH", "/admin/users/{id}")));
        let method_only = OperationPattern::parse("post").unwrap();
        assert!(method_only.matches(&key("POST", "/anything")));
        let error = OperationPattern::parse("REMOVE /a").err().unwrap_or_default();
        assert!(error.contains("`REMOVE` is not an HTTP method"), "{error}");
    }

    #[test]
    fn the_format_is_checked_as_it_is_read() {
        let cases = [
            (r#"[{"files": "a", "rules": {"no-body": "loud"}}]"#, "unknown variant `loud`"),
            (r#"[{"files": "a", "rules": {"no-such": "off"}}]"#, "unknown rule `no-such`"),
            (r#"[{"file": "a", "rules": {}}]"#, "unknown field `file`"),
            (r#"[{"files": "a"}]"#, "missing field `rules`"),
            (r#"[{"files": "a[", "rules": {}}]"#, "`a[` is not a valid glob"),
            (r#"[{"operations": ["FETCH /a"], "rules": {}}]"#, "`FETCH` is not an HTTP method"),
        ];
        for (json, expected) in cases {
            let error = overrides(json).err().unwrap_or_default();
            assert!(error.contains(expected), "{json}: {error}");
        }
        let fine = r#"[{"files": ["a/**", "./b.yaml"], "paths": "/x", "operations": "GET /x", "rules": {"all": "off", "unused-suppression": "hint"}}]"#;
        assert!(overrides(fine).is_ok());
    }

    #[test]
    fn later_entries_win_and_a_rule_beats_all() {
        let config = overrides(
            r#"[{"rules": {"all": "warning"}},
                {"files": "legacy/**", "rules": {"all": "off", "no-body": "info"}},
                {"operations": "DELETE /v1/*", "rules": {"no-body": "off"}}]"#,
        )
        .unwrap();
        let base = Path::new("/project");
        let mut findings = vec![
            finding("/project/new/a.yaml", "no-body", Some(("GET", "/v1/a"))),
            finding("/project/legacy/a.yaml", "no-body", Some(("GET", "/v1/a"))),
            finding("/project/legacy/a.yaml", "error-schema", None),
            finding("/project/new/a.yaml", "no-body", Some(("DELETE", "/v1/a"))),
        ];
        config.apply(&mut findings, None, base);
        let outcome: Vec<String> = findings
            .iter()
            .map(|finding| match &finding.suppression {
                Some(suppression) => {
                    assert_eq!(suppression.kind, SuppressionKind::External);
                    suppression.justification.clone().unwrap_or_default()
                }
                None => finding.severity.to_string(),
            })
            .collect();
        assert_eq!(
            outcome,
            [
                "warning",
                "info",
                "turned off by override #2 in the configuration (files legacy/**)",
                "turned off by override #3 in the configuration (operations DELETE /v1/*)",
            ]
        );
    }

    #[test]
    fn files_match_the_root_document_too_and_input_problems_are_left_alone() {
        let config = overrides(r#"[{"files": "legacy/*.yaml", "rules": {"all": "off"}}]"#).unwrap();
        let (root, _) = SourceFile::from_text("/project/legacy/api.yaml", "a: 1\n");
        let mut findings = vec![finding("/project/shared/errors.yaml", "error-schema", None)];
        let mut problem = finding("/project/legacy/api.yaml", "unresolved-ref", None);
        problem.category = Category::Input;
        findings.push(problem);
        config.apply(&mut findings, Some(&root), Path::new("/project"));
        let suppressed: Vec<bool> = findings.iter().map(Finding::is_suppressed).collect();
        assert_eq!(suppressed, [true, false]);
    }
}
