//! `.oaslint.yaml`: found by walking up from the working directory, or named with
//! `--config`. It is read into the project's span tree, so every mistake (bad YAML, an
//! unknown key, an unknown rule id, a ruleset that does not exist) is reported at its
//! line and column.
//!
//! ```yaml
//! ruleset: recommended            # a built-in name or a ruleset file
//! rules: {no-body: warning, async-202: off}
//! include: ["specs/**"]
//! exclude: ["**/generated/**"]
//! refs: {allowed_roots: [../shared-schemas]}
//! max_file_size: 64MiB
//! yaml: {strict: true}            # refuse C1 control characters, as YAML 1.2 does
//! overrides:                      # by file, API path or operation (README: "Adopting oaslint on an existing API")
//!   - files: ["legacy/**"]
//!     rules: {no-body: warning}
//! ```
//!
//! Relative paths and globs are relative to the configuration file's directory. A
//! ruleset file must lie under that directory or one of `refs.allowed_roots`: a
//! configuration from a pull request cannot make oaslint read files elsewhere. Messages
//! quote the file's text only as short excerpts.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::checks::adopt::Overrides;
pub(crate) use crate::checks::rule_id::closest;
use crate::checks::rule_id::{Accept, parse_rule_id};
use crate::checks::ruleset::de;
use crate::checks::ruleset::{BUILTIN_NAMES, Level};
use crate::finding::Location;
use crate::resolve::{normalize, sandbox};
use crate::source::read::{self, MAX_SETTINGS_FILE_BYTES, ReadError};
use crate::source::{
    EXCERPT_CHARS, Entry, FileIdentity, Limits, MAX_ADDRESSABLE_BYTES, NodeId, SourceFile, Tree, Value, excerpt,
    shorten_quotes,
};

use crate::pipeline::{PipelineError, compile_globs};

mod error;
pub mod settings;

pub use error::SettingsError;
pub(crate) use error::did_you_mean;

/// The configuration file's name.
pub const FILE_NAME: &str = ".oaslint.yaml";

/// The keys a configuration may set, in the order the docs list them.
const KEYS: &[&str] = &["ruleset", "rules", "include", "exclude", "refs", "max_file_size", "yaml", "overrides"];

/// A configuration as read: defaults where the file says nothing.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file read, if any.
    pub file: Option<PathBuf>,
    /// Its device and inode.
    pub file_identity: Option<FileIdentity>,
    /// The directory relative paths and globs are relative to.
    pub base_dir: PathBuf,
    pub ruleset: Option<RulesetRef>,
    /// Severity per rule id, in the file's order.
    pub rules: Vec<(String, Level)>,
    /// Globs a directory walk picks files by (none: every YAML and JSON file).
    pub include: Vec<String>,
    /// Globs of files and directories never linted.
    pub exclude: Vec<String>,
    /// Directories `$ref`s may read besides the root document's own.
    pub allowed_roots: Vec<PathBuf>,
    /// Files larger than this many bytes are refused.
    pub max_file_size: Option<u64>,
    /// `yaml: {strict: true}`: refuse unescaped C1 control characters and comments glued
    /// to a value instead of reading them with a `control-character` or `glued-comment` warning.
    pub strict_yaml: bool,
    /// Severities and `off` by file, API path or operation; globs relative to `base_dir`.
    pub overrides: Overrides,
}

/// A ruleset as configuration names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesetRef {
    Builtin(String),
    File(PathBuf),
}

impl RulesetRef {
    /// A built-in name, or a path (relative ones joined onto `base`).
    pub fn new(text: &str, base: &Path) -> RulesetRef {
        if BUILTIN_NAMES.contains(&text) {
            RulesetRef::Builtin(text.to_owned())
        } else {
            RulesetRef::File(base.join(text))
        }
    }

    /// Whether `text` can only mean a file (a bare word is taken for a misspelled built-in).
    pub fn looks_like_path(text: &str) -> bool {
        text.contains(['/', '\\']) || [".yaml", ".yml", ".json"].iter().any(|extension| text.ends_with(extension))
    }
}

/// A mistake in a configuration file, at the node it is about.
#[derive(Debug)]
pub struct ConfigError {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.location.start();
        write!(f, "{}:{}:{}: {}", self.location.file_name(), at.line, at.column, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The nearest `.oaslint.yaml` in `start` or one of its parents. Whatever has that name
/// counts (loading refuses a directory or a FIFO by name, rather than passing it over).
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|candidate| candidate.metadata().is_ok())
}

/// Read a configuration file (a regular file, of at most 16 MiB); `shown` is its name in
/// messages.
pub fn load(path: &Path, shown: String) -> Result<Config, SettingsError> {
    let fail = |err: ReadError| SettingsError::ReadConfig { path: PathBuf::from(&shown), source: err.into() };
    let read = read::read_file(path, MAX_SETTINGS_FILE_BYTES).map_err(fail)?;
    let mut config = parse(path, shown, read.bytes)?;
    config.file_identity = read.identity;
    Ok(config)
}

/// Read a configuration from its bytes.
pub fn parse(path: &Path, shown: String, bytes: Vec<u8>) -> Result<Config, ConfigError> {
    let base_dir = path.parent().map(Path::to_owned).unwrap_or_default();
    // Read strictly: a C1 control character is an error here, not a warning.
    let strict = Limits { strict_yaml: true, ..Limits::default() };
    let (file, parsed) = SourceFile::parse(path.to_owned(), shown, bytes, &strict);
    let file = Arc::new(file);
    let mut config = Config { file: Some(path.to_owned()), base_dir, ..Config::default() };
    match parsed {
        // An empty file is an empty configuration.
        Err(err) if err.code == crate::source::InputProblem::EmptyDocument => return Ok(config),
        Err(err) => {
            let message = shorten_quotes(&err.message);
            return Err(ConfigError { location: Location::new(Arc::clone(&file), err.span), message });
        }
        // Configuration is read strictly: a duplicate key is an error, not a warning.
        Ok(warnings) => {
            if let Some(warning) = warnings.into_iter().next() {
                let location = Location::new(Arc::clone(&file), warning.span);
                return Err(ConfigError { location, message: shorten_quotes(&warning.message) });
            }
        }
    }
    let reader = Reader { file: &file, tree: &file.tree };
    if let Some(root) = file.tree.root() {
        reader.read(root, &mut config)?;
    }
    Ok(config)
}

/// Reads the tree into a [`Config`], failing at the first mistake.
struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    tree: &'a Tree,
}

impl Reader<'_> {
    fn read(&self, root: NodeId, config: &mut Config) -> Result<(), ConfigError> {
        if self.tree.value(root) == Value::Null {
            return Ok(());
        }
        let mut ruleset_node = None;
        for entry in self.mapping(root, "the configuration")? {
            let value = entry.value;
            match self.tree.key_text(entry) {
                "ruleset" => {
                    config.ruleset = Some(self.ruleset(value, &config.base_dir)?);
                    ruleset_node = Some(value);
                }
                "rules" => config.rules = self.rules(value)?,
                "include" => config.include = self.globs(value, "include")?,
                "exclude" => config.exclude = self.globs(value, "exclude")?,
                "refs" => config.allowed_roots = self.refs(value, &config.base_dir)?,
                "max_file_size" => config.max_file_size = Some(self.size(value)?),
                "yaml" => config.strict_yaml = self.yaml(value)?,
                "overrides" => config.overrides = self.overrides(value)?,
                key => {
                    let message = format!(
                        "unknown key `{}`{} (the keys are: {})",
                        quoted(key),
                        did_you_mean(closest(key, KEYS)),
                        KEYS.join(", ")
                    );
                    return Err(self.error(entry.key, message));
                }
            }
        }
        // Once `refs` is read too, wherever it stands in the file.
        if let (Some(RulesetRef::File(path)), Some(node)) = (&config.ruleset, ruleset_node) {
            self.check_ruleset_file(node, path, &config.ruleset_roots())?;
        }
        Ok(())
    }

    /// A ruleset file must be a regular file under the configuration's directory or one of
    /// `refs.allowed_roots` (checked by name here, where the mistake can be pointed at, and
    /// again on the file opened when it is loaded).
    fn check_ruleset_file(&self, node: NodeId, path: &Path, roots: &[PathBuf]) -> Result<(), ConfigError> {
        let text = self.tree.str(node).unwrap_or("");
        if !sandbox::allows(&sandbox::roots_of(roots), &normalize(path)) {
            return Err(self.error(
                node,
                format!(
                    "the ruleset file `{}` lies outside the configuration's directory; a configuration may name a \
                     built-in ruleset or a file under its own directory (or under `refs.allowed_roots`)",
                    quoted(text)
                ),
            ));
        }
        match read::open(path) {
            Ok(_) => Ok(()),
            Err(err) if err.is_not_found() => Err(self.error(
                node,
                format!(
                    "there is no ruleset file `{}` (paths are relative to the configuration's directory)",
                    quoted(text)
                ),
            )),
            Err(err) => Err(self.error(node, err.describe(&quoted(text)))),
        }
    }

    fn ruleset(&self, node: NodeId, base: &Path) -> Result<RulesetRef, ConfigError> {
        let text = self.string(node, "`ruleset`")?;
        let ruleset = RulesetRef::new(text, base);
        match &ruleset {
            RulesetRef::Builtin(_) => Ok(ruleset),
            // Checked once the whole file is read (`refs` may widen where it may lie).
            RulesetRef::File(path) if RulesetRef::looks_like_path(text) || path.symlink_metadata().is_ok() => {
                Ok(ruleset)
            }
            RulesetRef::File(_) => Err(self.error(
                node,
                format!(
                    "unknown built-in ruleset `{}`{} (the built-ins are: {}; a file name ends in .yaml, .yml or .json)",
                    quoted(text),
                    did_you_mean(closest(text, BUILTIN_NAMES)),
                    BUILTIN_NAMES.join(", ")
                ),
            )),
        }
    }

    fn rules(&self, node: NodeId) -> Result<Vec<(String, Level)>, ConfigError> {
        let mut rules = Vec::new();
        for entry in self.mapping(node, "`rules`")? {
            let id = parse_rule_id(self.tree.key_text(entry), Accept::Rules)
                .map_err(|message| self.error(entry.key, message))?;
            rules.push((id.to_owned(), self.level(entry.value)?));
        }
        Ok(rules)
    }

    fn level(&self, node: NodeId) -> Result<Level, ConfigError> {
        let level = match self.tree.scalar_text(node) {
            Some("error") => Level::Error,
            Some("warning") => Level::Warning,
            Some("info") => Level::Info,
            Some("hint") => Level::Hint,
            // YAML 1.1 reads a bare `off` as false; accept that spelling too.
            Some("off") => Level::Off,
            _ if self.tree.as_bool(node) == Some(false) => Level::Off,
            _ => return Err(self.error(node, "expected a severity: error, warning, info, hint or off")),
        };
        Ok(level)
    }

    fn globs(&self, node: NodeId, key: &str) -> Result<Vec<String>, ConfigError> {
        let mut globs = Vec::new();
        for item in self.list(node)? {
            let pattern = self.string(item, &format!("a glob pattern in `{key}`"))?;
            if let Err(err) = compile_globs(&[pattern.to_owned()]) {
                let reason = match err {
                    PipelineError::Glob { source, .. } => source.kind().to_string(),
                    other => other.to_string(),
                };
                return Err(self.error(item, format!("invalid glob pattern: {reason}")));
            }
            globs.push(pattern.to_owned());
        }
        Ok(globs)
    }

    fn refs(&self, node: NodeId, base: &Path) -> Result<Vec<PathBuf>, ConfigError> {
        let mut roots = Vec::new();
        for entry in self.mapping(node, "`refs`")? {
            match self.tree.key_text(entry) {
                "allowed_roots" => {
                    for item in self.list(entry.value)? {
                        roots.push(base.join(self.string(item, "a directory in `allowed_roots`")?));
                    }
                }
                key => {
                    let message = format!("unknown key `{}` in `refs` (the only key is `allowed_roots`)", quoted(key));
                    return Err(self.error(entry.key, message));
                }
            }
        }
        Ok(roots)
    }

    /// `yaml: {strict: BOOL}`: whether YAML is held to the letter of YAML 1.2.
    fn yaml(&self, node: NodeId) -> Result<bool, ConfigError> {
        let mut strict = false;
        for entry in self.mapping(node, "`yaml`")? {
            match self.tree.key_text(entry) {
                "strict" => {
                    strict = self
                        .tree
                        .as_bool(entry.value)
                        .ok_or_else(|| self.error(entry.value, "`yaml.strict` must be true or false"))?;
                }
                key => {
                    let message = format!("unknown key `{key}` in `yaml` (the only key is `strict`)");
                    return Err(self.error(entry.key, message));
                }
            }
        }
        Ok(strict)
    }

    /// The `overrides:` list, read by serde over the tree so that a mistake is located.
    fn overrides(&self, node: NodeId) -> Result<Overrides, ConfigError> {
        if self.tree.value(node) == Value::Null {
            return Ok(Overrides::default());
        }
        de::from_node(self.tree, node).map_err(|err| {
            let span = err.span.unwrap_or_else(|| self.tree.span(node));
            ConfigError {
                location: Location::new(Arc::clone(self.file), span),
                message: format!("in `overrides`: {}", shorten_quotes(&err.message)),
            }
        })
    }

    /// A number of bytes, or a number with a unit: `500KB`, `64MiB`, `1GB`.
    fn size(&self, node: NodeId) -> Result<u64, ConfigError> {
        let text = match self.tree.value(node) {
            Value::Number(text) | Value::String(text) => text.trim(),
            _ => "",
        };
        let size = parse_size(text).ok_or_else(|| {
            self.error(node, "expected a size: a number of bytes, or a number with a unit (KB, MB, GB, KiB, MiB, GiB)")
        })?;
        if size > MAX_ADDRESSABLE_BYTES {
            return Err(self.error(
                node,
                format!(
                    "a size of at most {MAX_ADDRESSABLE_BYTES} bytes (4 GiB − 1): findings locate text by 32-bit byte offsets"
                ),
            ));
        }
        Ok(size)
    }

    fn mapping(&self, node: NodeId, what: &str) -> Result<&[Entry], ConfigError> {
        match self.tree.value(node) {
            Value::Mapping(entries) => Ok(entries),
            Value::Null => Ok(&[]),
            _ => Err(self.error(node, format!("{what} must be a mapping"))),
        }
    }

    /// A list of nodes; a single scalar counts as a list of one.
    fn list(&self, node: NodeId) -> Result<Vec<NodeId>, ConfigError> {
        match self.tree.value(node) {
            Value::Sequence(items) => Ok(items.to_vec()),
            Value::Null => Ok(Vec::new()),
            Value::String(_) => Ok(vec![node]),
            _ => Err(self.error(node, "expected a list")),
        }
    }

    fn string(&self, node: NodeId, what: &str) -> Result<&str, ConfigError> {
        match self.tree.value(node) {
            Value::String(text) if !text.trim().is_empty() => Ok(text),
            _ => Err(self.error(node, format!("{what} must be a non-empty string"))),
        }
    }

    fn error(&self, node: NodeId, message: impl Into<String>) -> ConfigError {
        let location = Location::new(Arc::clone(self.file), self.tree.span(node));
        ConfigError { location, message: message.into() }
    }
}

impl Config {
    /// Where a ruleset file the configuration names (and the files it extends) may lie:
    /// the configuration's directory and `refs.allowed_roots`.
    pub fn ruleset_roots(&self) -> Vec<PathBuf> {
        std::iter::once(self.base_dir.clone()).chain(self.allowed_roots.iter().cloned()).collect()
    }
}

/// The user's text as a message quotes it: one line, cut short.
fn quoted(text: &str) -> String {
    excerpt(text, EXCERPT_CHARS)
}

fn parse_size(text: &str) -> Option<u64> {
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: u64 = digits.parse().ok()?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(multiplier)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Config, RulesetRef, closest, parse, parse_size};
    use crate::checks::ruleset::Level;

    fn read(text: &str) -> Result<Config, String> {
        parse(Path::new("/project/.oaslint.yaml"), ".oaslint.yaml".to_owned(), text.as_bytes().to_vec())
            .map_err(|err| err.to_string())
    }

    #[test]
    fn reads_every_key() {
        let config = read(
            "ruleset: ed-fi\nrules: {no-body: warning, async-202: off}\ninclude: specs/**\n\
             exclude: ['**/generated/**']\nrefs: {allowed_roots: [../common]}\nmax_file_size: 64MiB\n\
             yaml: {strict: true}\n",
        )
        .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(config.ruleset, Some(RulesetRef::Builtin("ed-fi".to_owned())));
        assert_eq!(config.rules, [("no-body".to_owned(), Level::Warning), ("async-202".to_owned(), Level::Off)]);
        assert_eq!(config.include, ["specs/**"]);
        assert_eq!(config.exclude, ["**/generated/**"]);
        assert_eq!(config.allowed_roots, [Path::new("/project/../common")]);
        assert_eq!(config.max_file_size, Some(64 << 20));
        assert!(config.strict_yaml);
        assert!(!read("ruleset: ed-fi\n").map(|config| config.strict_yaml).unwrap_or(true));
        assert!(!read("yaml: {strict: false}\n").map(|config| config.strict_yaml).unwrap_or(true));
    }

    /// The example of the README's "Configuration" section is a valid configuration.
    #[test]
    fn the_readme_example_is_read() {
        let readme = include_str!("../../README.md");
        let section = readme.split("\n## Configuration\n").nth(1).unwrap_or("");
        let example = section.split("```yaml\n").nth(1).and_then(|rest| rest.split("```").next()).unwrap_or("");
        let config = read(example).unwrap_or_else(|err| panic!("{err}\n{example}"));
        assert!(config.strict_yaml && config.max_file_size.is_some() && !config.rules.is_empty(), "{example}");
    }

    #[test]
    fn empty_files_are_empty_configurations() {
        for text in ["", "# nothing yet\n", "~\n"] {
            let config = read(text).unwrap_or_else(|err| panic!("{text:?}: {err}"));
            assert_eq!(config.ruleset, None);
        }
    }

    #[test]
    fn mistakes_are_located() {
        let cases = [
            ("rulez: {}\n", ".oaslint.yaml:1:1: unknown key `rulez` (did you mean `rules`?)"),
            ("rules:\n  no-bdy: warning\n", ".oaslint.yaml:2:3: unknown rule `no-bdy` (did you mean `no-body`?)"),
            ("rules:\n  no-body: loud\n", ".oaslint.yaml:2:12: expected a severity"),
            ("rules:\n  invalid-syntax: off\n", ".oaslint.yaml:2:3: `invalid-syntax` is a problem with the input"),
            ("ruleset: edfi\n", ".oaslint.yaml:1:10: unknown built-in ruleset `edfi` (did you mean `ed-fi`?)"),
            ("ruleset: ./missing.yaml\n", ".oaslint.yaml:1:10: there is no ruleset file `./missing.yaml`"),
            ("exclude: ['a/[b']\n", ".oaslint.yaml:1:11: invalid glob pattern"),
            ("max_file_size: 4GiB\n", ".oaslint.yaml:1:16: a size of at most 4294967295 bytes"),
            ("refs: {roots: []}\n", ".oaslint.yaml:1:8: unknown key `roots` in `refs`"),
            ("max_file_size: lots\n", ".oaslint.yaml:1:16: expected a size"),
            ("yaml: strict\n", ".oaslint.yaml:1:7: `yaml` must be a mapping"),
            ("yaml: {strict: yes}\n", ".oaslint.yaml:1:16: `yaml.strict` must be true or false"),
            ("yaml: {lenient: true}\n", ".oaslint.yaml:1:8: unknown key `lenient` in `yaml`"),
            ("ruleset: ed-fi\u{83}\n", ".oaslint.yaml:1:15: unescaped control character U+0083"),
            ("rules: {a: 1, a: 2}\n", ".oaslint.yaml:1:15: "),
            ("rules: [\n", ".oaslint.yaml:"),
            ("- just a list\n", ".oaslint.yaml:1:1: the configuration must be a mapping"),
        ];
        for (text, expected) in cases {
            let err = read(text).err().unwrap_or_else(|| panic!("{text:?} was accepted"));
            assert!(err.starts_with(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn sizes_take_units() {
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("2KB"), Some(2000));
        assert_eq!(parse_size("2 KiB"), Some(2048));
        assert_eq!(parse_size("1GiB"), Some(1 << 30));
        assert_eq!(parse_size("1TB"), None);
        assert_eq!(parse_size("MB"), None);
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        assert_eq!(closest("no-bdy", &["no-body", "async-202"]), Some("no-body"));
        assert_eq!(closest("zzzzzz", &["no-body", "async-202"]), None);
    }
}
