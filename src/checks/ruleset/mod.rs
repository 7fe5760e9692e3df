//! Rulesets: the response-code guideline tables the checks read.
//!
//! A ruleset is a YAML (or JSON) file: which status codes its guideline knows and, per
//! code, the methods it belongs to, whether it carries a body, the headers it needs and
//! when an operation must (or must not) declare it; which success code each method is
//! expected to answer with; the error-body shape; and the severity of each check. The
//! format is documented for users in `docs/rulesets.md` and described for editors by
//! `rules/ruleset.schema.json`.
//!
//! Eight rulesets are built in ([`BUILTIN_NAMES`], files under `rules/`); a user's file may
//! `extends` one of them (or another file) and change what it needs. Loading resolves the
//! whole `extends` chain into one plain [`Ruleset`].
//!
//! ```
//! use oaslint::checks::ruleset::{Method, Ruleset};
//!
//! let ruleset = Ruleset::builtin("ed-fi").unwrap();
//! let created = ruleset.code("201").unwrap();
//! assert_eq!(created.name, "Created");
//! assert!(created.requires_response_header("location"));
//! let post = ruleset.method_success(Method::Post).unwrap();
//! assert_eq!(post.codes(true).expected, [201]);
//! ```

pub(crate) mod de;
mod format;
mod load;
mod status;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::{Location, Severity};
use crate::model::{CodeKind, StatusKey};
use crate::source::{FileIdentity, LineCol, SourceFile, Span};

pub use status::{Method, TableKey, is_header_name, reason_phrase};

pub use crate::checks::CHECK_IDS;

/// The severity a check has when its ruleset (and every ruleset it extends) does not set
/// one: its declaration's, which is `recommended`'s; `None` for an unknown id.
pub fn default_severity(check_id: &str) -> Option<Severity> {
    crate::checks::check(check_id).map(|check| check.meta().default_severity)
}

/// The ruleset used when nothing is configured.
pub const DEFAULT_RULESET: &str = "recommended";

/// The built-in rulesets, the default first.
pub const BUILTIN_NAMES: &[&str] =
    &["recommended", "apinf", "azure", "codemify", "ed-fi", "platform-of-trust", "rest-api-guide", "zalando"];

const BUILTINS: &[(&str, &str)] = &[
    ("recommended", include_str!("../../../rules/recommended.yaml")),
    ("apinf", include_str!("../../../rules/apinf.yaml")),
    ("azure", include_str!("../../../rules/azure.yaml")),
    ("codemify", include_str!("../../../rules/codemify.yaml")),
    ("ed-fi", include_str!("../../../rules/ed-fi.yaml")),
    ("platform-of-trust", include_str!("../../../rules/platform-of-trust.yaml")),
    ("rest-api-guide", include_str!("../../../rules/rest-api-guide.yaml")),
    ("zalando", include_str!("../../../rules/zalando.yaml")),
];

/// The JSON Schema of the ruleset format (`rules/ruleset.schema.json`), for `oaslint init`
/// and editors.
pub const SCHEMA: &str = include_str!("../../../rules/ruleset.schema.json");

/// The YAML text of a built-in ruleset (to show it, or to start a user's file from it).
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|(builtin, _)| *builtin == name).map(|&(_, text)| text)
}

/// The severity a ruleset gives a check: one of the four [`Severity`] levels, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

impl Level {
    /// The severity findings get, or `None` when the check is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Hint => Some(Severity::Hint),
            Level::Off => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self.severity() {
            Some(severity) => severity.as_str(),
            None => "off",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The document a ruleset encodes.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guideline {
    /// The organisation's published title.
    pub title: String,
    /// The file it was read from (for the built-ins, the name under `shared/guidelines/`).
    pub file: Option<String>,
    /// Where it is published.
    pub url: Option<String>,
}

/// Whether a response with a code carries content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    /// The response must declare content (`body-required`).
    Required,
    /// The response must not declare content (`no-body`).
    Forbidden,
    /// Either; nothing is checked.
    #[default]
    Optional,
}

/// Whether operations declare a code, beyond whether they can answer with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Declare {
    /// Declared where the operation can answer with it (what `required_when` asks).
    #[default]
    WhenReturned,
    /// Well understood: declared only where the response adds something of its own (a
    /// header, a body `default` does not describe, with `settings.specific_response.description`
    /// a description of its own), else left to `default` (`needless-response`). Zalando's
    /// "do not document", Azure's "do not document specific error status codes".
    IfSpecific,
    /// Not to be used at all, so never declared (`avoided-code`): Zalando's "do not use".
    Never,
}

/// A test on an operation. Every field that is set must hold; an empty condition holds
/// for every operation. In `required_when` / `forbidden_when`, a list of conditions holds
/// when any one of them does.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The operation's method is one of these.
    pub methods: Option<Vec<Method>>,
    /// The path has template parameters (`/pets/{id}`).
    pub has_path_parameters: Option<bool>,
    /// The operation takes a request body or a required parameter.
    pub has_input: Option<bool>,
    /// The operation needs credentials (see [`OperationFacts::secured`]).
    pub secured: Option<bool>,
    /// The operation creates a resource (see [`Creation`]).
    pub creates: Option<bool>,
    /// The operation's path names an action rather than a resource (see [`OperationFacts::action`]).
    pub action: Option<bool>,
    /// The operation is marked long-running (`x-ms-long-running-operation: true`).
    pub long_running: Option<bool>,
}

impl Condition {
    /// Whether the condition holds for an operation. A condition on `secured` never holds
    /// when security is unknown.
    pub fn holds(&self, facts: &OperationFacts) -> bool {
        let method_matches = self.methods.as_ref().is_none_or(|methods| methods.contains(&facts.method));
        let flag_matches = |wanted: Option<bool>, actual: bool| wanted.is_none_or(|w| w == actual);
        let secured_matches = match self.secured {
            None => true,
            Some(wanted) => facts.secured == Some(wanted),
        };
        method_matches
            && flag_matches(self.has_path_parameters, facts.has_path_parameters)
            && flag_matches(self.has_input, facts.has_input)
            && flag_matches(self.creates, facts.creates)
            && flag_matches(self.action, facts.action)
            && flag_matches(self.long_running, facts.long_running)
            && secured_matches
    }

    /// The condition in words, for messages: "for POST where the operation creates a
    /// resource", "on every operation".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(methods) = &self.methods {
            let names: Vec<String> = methods.iter().map(|method| method.as_str().to_ascii_uppercase()).collect();
            parts.push(format!("for {}", and_list(&names)));
        }
        let flags = [
            (self.has_path_parameters, "there are path parameters", "there are no path parameters"),
            (self.has_input, "the operation takes input", "the operation takes no input"),
            (self.secured, "the operation is secured", "the operation is public"),
            (self.creates, "the operation creates a resource", "the operation creates nothing"),
            (self.action, "the path names an action", "the path names a resource"),
            (self.long_running, "the operation is long-running", "the operation is not long-running"),
        ];
        let clauses: Vec<&str> =
            flags.iter().filter_map(|&(flag, yes, no)| flag.map(|flag| if flag { yes } else { no })).collect();
        if !clauses.is_empty() {
            parts.push(format!("where {}", clauses.join(" and ")));
        }
        if parts.is_empty() { "on every operation".to_owned() } else { parts.join(" ") }
    }

    /// Whether the condition sets nothing, and so holds for every operation.
    pub fn is_always(&self) -> bool {
        *self == Condition::default()
    }
}

/// What the engine knows of an operation, for evaluating [`Condition`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationFacts {
    pub method: Method,
    pub has_path_parameters: bool,
    pub has_input: bool,
    /// `Some(true)` when the effective security requirement (the operation's `security`,
    /// else the document's) is non-empty and has no empty alternative `{}`; `Some(false)`
    /// when it is empty or has an empty alternative; `None` when the document declares no
    /// security schemes, so nothing can be said (such a document is not taken to be public).
    pub secured: Option<bool>,
    pub creates: bool,
    /// The path names an action on a resource rather than a resource: a custom method
    /// (`/{name}:cancel`), a segment under `actions`, or a last segment that starts with a
    /// verb (`/applications/{id}/reset-credential`).
    pub action: bool,
    /// `x-ms-long-running-operation: true` (see [`crate::model::Operation::long_running`]).
    pub long_running: bool,
}

/// "GET, PUT and POST".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

/// One row of a ruleset's table: what the guideline says about a status code (or, for a
/// range key like `4XX`, about every code of the class without a row of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRow {
    pub key: TableKey,
    /// The reason phrase (`Not Found`); defaults to the IANA registry's.
    pub name: String,
    /// Whether declaring this code answers the operation (`success-response`): true for
    /// 2xx by default, and for the 3xx codes a table marks.
    pub success: bool,
    /// The methods the code may answer (`code-allowed-for-method`); `None` = any.
    pub methods: Option<Vec<Method>>,
    /// Whether the response carries content, as the row states it; `None` when the row
    /// says nothing (nothing is checked, but `error_schema.require_body` applies to it).
    pub body: Option<Body>,
    /// When the response carries no content whatever `body` says (Ed-Fi: "A POST response
    /// will not contain a body"): any condition holding suffices; empty = never.
    pub body_forbidden_when: Vec<Condition>,
    /// Headers the response must declare: `Location` (`location-header`), `Retry-After`
    /// (`retry-after`). Compared case-insensitively.
    ///
    /// Each requirement is a list of alternatives, any one of which will do (Zalando's 429:
    /// Retry-After, or the X-RateLimit headers); the check named for its first header reads
    /// it.
    pub response_headers: Vec<Vec<String>>,
    /// Request headers of which the operation must accept at least one for the code to
    /// make sense (`conditional-request`): 304 → If-None-Match / If-Modified-Since.
    pub request_headers: Vec<String>,
    /// The converse: an operation accepting one of `request_headers` (with a method the row
    /// allows) must declare the code (`conditional-request`).
    pub implied_by_request_headers: bool,
    /// When an operation must declare the code (`error-responses`; error rows only): any
    /// condition holding suffices; empty = never.
    pub required_when: Vec<Condition>,
    /// When an operation must not declare the code (`error-responses`; error rows only).
    pub forbidden_when: Vec<Condition>,
    /// The guideline's words for this row, quoted briefly.
    pub note: String,
    /// Where in the guideline the row comes from (a section or table).
    pub source: Option<String>,
    /// Whether operations declare the code: where it occurs (the default), only where the
    /// response adds something (`needless-response`), or never (`avoided-code`).
    pub declare: Declare,
    /// With `declare: if_specific`: where the guideline itself names the code as worth
    /// declaring (Zalando's 404 "for endpoints with parameters"): any condition holding
    /// suffices; empty = nowhere.
    pub specific_when: Vec<Condition>,
    /// The ruleset that last set this row (for messages: "ed-fi: 201 Created ...").
    pub origin: String,
}

impl CodeRow {
    /// `404 Not Found`.
    pub fn label(&self) -> String {
        format!("{} {}", self.key, self.name)
    }

    pub fn allows_method(&self, method: Method) -> bool {
        self.methods.as_ref().is_none_or(|methods| methods.contains(&method))
    }

    /// The body the row asks of a response to this operation: none where a
    /// `body_forbidden_when` condition holds, else the stated `body` (optional when unstated).
    pub fn body_for(&self, facts: &OperationFacts) -> Body {
        if self.body_forbidden_when.iter().any(|condition| condition.holds(facts)) {
            return Body::Forbidden;
        }
        self.stated_body()
    }

    /// The `body` the row states, whatever the operation (optional when unstated).
    pub fn stated_body(&self) -> Body {
        self.body.unwrap_or_default()
    }

    pub fn is_required(&self, facts: &OperationFacts) -> bool {
        self.required_when.iter().any(|c| c.holds(facts))
    }

    /// Whether a `specific_when` condition holds for the operation.
    pub fn is_specific_for(&self, facts: &OperationFacts) -> bool {
        self.specific_when.iter().any(|c| c.holds(facts))
    }

    pub fn is_forbidden(&self, facts: &OperationFacts) -> bool {
        self.forbidden_when.iter().any(|c| c.holds(facts))
    }

    /// Whether the row asks for `name` (as the first of a requirement's alternatives).
    pub fn requires_response_header(&self, name: &str) -> bool {
        self.response_header_alternatives(name).is_some()
    }

    /// The alternatives of the requirement `name` leads, where the row has one: declaring
    /// any of them meets it.
    pub fn response_header_alternatives(&self, name: &str) -> Option<&[String]> {
        self.response_headers
            .iter()
            .find(|alternatives| alternatives.first().is_some_and(|first| first.eq_ignore_ascii_case(name)))
            .map(Vec::as_slice)
    }

    /// Whether `name` is one of the request headers the row presupposes.
    pub fn presupposes_request_header(&self, name: &str) -> bool {
        self.request_headers.iter().any(|header| header.eq_ignore_ascii_case(name))
    }
}

/// Success codes for a method: declaring any `expected` or `acceptable` code satisfies
/// `method-success-code`; messages suggest the first expected one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuccessCodes {
    /// What the guideline names for the method.
    pub expected: Vec<u16>,
    /// What it also tolerates.
    pub acceptable: Vec<u16>,
    /// No other 2xx may be declared beside these (Azure: a long-running operation answers
    /// 202 only).
    pub exclusive: bool,
    /// The guideline's words for a `creating` or `long_running` entry (the method's note
    /// stands for the method's own codes).
    pub note: Option<String>,
}

impl SuccessCodes {
    pub fn allows(&self, code: u16) -> bool {
        self.expected.contains(&code) || self.acceptable.contains(&code)
    }
}

/// Which of a method's success-code entries applies to an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SuccessCase {
    /// The method's own `expected` / `acceptable`.
    Plain,
    /// `creating`: the operation creates a resource.
    Creating,
    /// `long_running`: the operation is long-running (this wins over `creating`).
    LongRunning,
}

/// What `method-success-code` expects of one method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodSuccess {
    pub method: Method,
    /// For operations that do not create a resource (or all, without `creating`).
    pub default: SuccessCodes,
    /// For operations that create a resource (see [`Creation`]).
    pub creating: Option<SuccessCodes>,
    /// For long-running operations (`x-ms-long-running-operation: true`); wins over `creating`.
    pub long_running: Option<SuccessCodes>,
    /// The guideline's words, quoted briefly.
    pub note: String,
    /// The ruleset that last set this entry.
    pub origin: String,
}

impl MethodSuccess {
    /// The codes for an operation that creates (or does not create) a resource, and is
    /// not long-running.
    pub fn codes(&self, creates: bool) -> &SuccessCodes {
        self.codes_for(self.case(creates, false))
    }

    /// Which entry applies to an operation: `long_running` where it has one and the
    /// operation is long-running, else `creating` where it has one and the operation
    /// creates, else the method's own.
    pub fn case(&self, creates: bool, long_running: bool) -> SuccessCase {
        if long_running && self.long_running.is_some() {
            SuccessCase::LongRunning
        } else if creates && self.creating.is_some() {
            SuccessCase::Creating
        } else {
            SuccessCase::Plain
        }
    }

    /// The codes of one entry (the method's own where it has no such entry).
    /// The guideline's words for one entry: its own note, else the method's.
    pub fn note_for(&self, case: SuccessCase) -> &str {
        self.codes_for(case).note.as_deref().unwrap_or(&self.note)
    }

    pub fn codes_for(&self, case: SuccessCase) -> &SuccessCodes {
        let entry = match case {
            SuccessCase::Plain => None,
            SuccessCase::Creating => self.creating.as_ref(),
            SuccessCase::LongRunning => self.long_running.as_ref(),
        };
        entry.unwrap_or(&self.default)
    }
}

/// Settings that change how checks read the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// A `default` response counts as declaring a required error code.
    pub default_satisfies_required: bool,
    /// A range key (`4XX`) counts as declaring a required code of its class.
    pub ranges_satisfy_required: bool,
    pub creation: Creation,
    pub error_schema: ErrorSchemaSettings,
    /// Property names of an error schema that expose internals (`no-raw-errors`), matched
    /// as words (see [`Settings::raw_error_match`]).
    pub raw_error_properties: Vec<String>,
    /// What makes a response to a `declare: if_specific` row worth declaring.
    pub specific_response: SpecificResponse,
}

/// What a response to a well-understood code (`declare: if_specific`) must add to be
/// worth declaring (`needless-response`). A header `default` lacks, or a body `default`
/// does not describe, always counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecificResponse {
    /// A description that says more than the code's name ("The order was already
    /// shipped" on a 409, not "Conflict") counts too (Zalando: "only document it if there
    /// are operation specific details you want to add").
    pub description: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            default_satisfies_required: true,
            ranges_satisfy_required: true,
            creation: Creation::default(),
            error_schema: ErrorSchemaSettings::default(),
            raw_error_properties: [
                "stackTrace",
                "stacktrace",
                "stack",
                "trace",
                "traceback",
                "backtrace",
                "exception",
                "sql",
                "debug",
                "internal",
            ]
            .map(String::from)
            .to_vec(),
            specific_response: SpecificResponse::default(),
        }
    }
}

impl Settings {
    /// Whether a declared response key (`404`, `4XX`, `default`) satisfies a required code.
    pub fn satisfies(&self, required: TableKey, declared: &StatusKey) -> bool {
        if declared.kind == CodeKind::Default {
            return self.default_satisfies_required;
        }
        let Some(declared) = TableKey::of(declared) else {
            return false;
        };
        match (required, declared) {
            (TableKey::Code(want), TableKey::Code(have)) => want == have,
            (TableKey::Code(want), TableKey::Range(_)) => self.ranges_satisfy_required && declared.covers(want),
            // A required range (`5XX`) is met by any code of its class.
            (TableKey::Range(_), TableKey::Code(have)) => required.covers(have),
            (TableKey::Range(want), TableKey::Range(have)) => want == have,
        }
    }

    /// The raw error property a property name matches, if any. Names are compared as
    /// words (split at case changes, `_`, `-` and `.`, ignoring case): `StackTraceString`
    /// and `stack_trace` match `stackTrace`, `exceptionMessage` and `innerException` match
    /// `exception`, `sqlQuery` matches `sql`. A name that ends in a word naming an
    /// identifier or a setting (`traceId`, `stackName`, `internalId`, Azure's
    /// `debugSetting`) points at something or configures it; it exposes nothing.
    pub fn raw_error_match(&self, name: &str) -> Option<&str> {
        let words = identifier_words(name);
        if words.last().is_some_and(|last| IDENTIFIER_WORDS.contains(&last.as_str())) {
            return None;
        }
        self.raw_error_properties.iter().map(String::as_str).find(|raw| {
            let wanted = identifier_words(raw);
            !wanted.is_empty() && words.windows(wanted.len()).any(|window| window == wanted.as_slice())
        })
    }
}

/// Last words of a property name that make it a reference or a setting rather than content.
#[rustfmt::skip]
const IDENTIFIER_WORDS: [&str; 19] = [
    "id", "ids", "identifier", "key", "name", "names", "url", "uri", "link", "href", "context", "parent",
    "setting", "settings", "level", "mode", "enabled", "option", "options",
];

/// Lower-case words of an identifier, split at case changes and at anything not a letter
/// or digit: `StackTraceString` gives `stack`, `trace`, `string`; `resetAuthorizationStrategies`
/// gives `reset`, `authorization`, `strategies`; `create-fork` gives `create`, `fork`.
pub(crate) fn identifier_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for ch in text.chars() {
        if !ch.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if ch.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = ch.is_lowercase() || ch.is_ascii_digit();
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// How `method-success-code` decides that an operation creates a resource. Declaring 201
/// always counts as creating; these add heuristics for operations that do not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Creation {
    /// A POST on a collection path with a sibling item path (`POST /pets` beside
    /// `/pets/{id}`) creates.
    pub sibling_item_path: bool,
    /// A POST or PUT whose `operationId` has one of these words (split at case changes
    /// and `_ - . /`, compared ignoring case) creates: `createPet`, `pets.insert`.
    pub operation_id_verbs: Vec<String>,
}

impl Default for Creation {
    fn default() -> Creation {
        Creation {
            sibling_item_path: true,
            operation_id_verbs: ["create", "add", "insert", "register", "new"].map(String::from).to_vec(),
        }
    }
}

/// The shape the guideline prescribes for error bodies (`error-schema`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorSchemaSettings {
    /// Error bodies are RFC 9457 problem details, served as `application/problem+json`.
    pub problem_json: bool,
    /// Properties every error schema must declare (after `$ref` and `allOf`).
    pub required_properties: Vec<String>,
    /// All error responses of a document use one schema; the odd ones out are reported.
    pub consistent: bool,
    /// Every error response (4xx, 5xx, `default`) declares a body, unless its row states
    /// `body: forbidden` or `body: optional`.
    pub require_body: bool,
    /// With `require_body`, a non-empty `description` on an error response without a body
    /// states the reason of failure well enough (APInf: "The reason of failure must also be
    /// specified").
    pub description_suffices: bool,
}

impl ErrorSchemaSettings {
    /// No shape is prescribed: any schema will do.
    pub fn is_any(&self) -> bool {
        !self.problem_json && self.required_properties.is_empty()
    }
}

/// A ruleset with its `extends` chain resolved: plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ruleset {
    name: String,
    title: String,
    guideline: Option<Guideline>,
    corrections: Vec<String>,
    lineage: Vec<String>,
    /// The files it was read from (shown name, identity), extended ones first.
    files: Vec<(String, FileIdentity)>,
    checks: BTreeMap<String, Level>,
    /// The guideline clause each check enforces where no table row says it (a rule number,
    /// an anchor), for the messages of checks that read settings rather than rows.
    citations: BTreeMap<String, String>,
    settings: Settings,
    codes: BTreeMap<TableKey, CodeRow>,
    method_success: BTreeMap<Method, MethodSuccess>,
}

impl Ruleset {
    /// A built-in ruleset by name (see [`BUILTIN_NAMES`]).
    pub fn builtin(name: &str) -> Result<Ruleset, RulesetError> {
        load::builtin(name)
    }

    /// A ruleset file (YAML, or JSON by extension), as the user names it (it may lie
    /// anywhere); `extends` paths are resolved relative to the file's directory and may
    /// name files under it. The ruleset's name defaults to the file stem.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Ruleset, RulesetError> {
        load::file(path.as_ref(), None, &[])
    }

    /// Like [`Ruleset::from_file`], with `roots` where every `extends` in the chain may
    /// name files too (besides the extending file's directory).
    pub fn from_file_with_roots(path: impl AsRef<Path>, roots: &[PathBuf]) -> Result<Ruleset, RulesetError> {
        load::file(path.as_ref(), None, roots)
    }

    /// A ruleset file a configuration names: it must lie under one of `roots` (checked on
    /// the file opened, so a symlink cannot lead elsewhere), and so must the files it
    /// extends, or under the extending file's directory.
    pub fn from_file_within(path: impl AsRef<Path>, roots: &[PathBuf]) -> Result<Ruleset, RulesetError> {
        load::file(path.as_ref(), Some(roots), roots)
    }

    /// A ruleset held in memory under `name`; `extends` paths are resolved relative to
    /// the current directory.
    pub fn from_str(name: &str, text: &str) -> Result<Ruleset, RulesetError> {
        load::text(name, text)
    }

    /// This ruleset with a ruleset text applied on top, as if that text extended it
    /// (without reading anything again); the text may not `extends`.
    pub fn patched(self, name: &str, text: &str) -> Result<Ruleset, RulesetError> {
        load::patch(self, name, text)
    }

    /// The files the ruleset was read from (shown name, device and inode), extended ones
    /// first: what no report may overwrite.
    pub fn files(&self) -> &[(String, FileIdentity)] {
        &self.files
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn guideline(&self) -> Option<&Guideline> {
        self.guideline.as_ref()
    }

    /// What the guideline got wrong or left ambiguous, and how the table encodes it
    /// (inherited corrections first).
    pub fn corrections(&self) -> &[String] {
        &self.corrections
    }

    /// This ruleset's name, then the names of those it extends, nearest first.
    pub fn lineage(&self) -> &[String] {
        &self.lineage
    }

    /// What the ruleset says about a check, or `None` when it says nothing.
    pub fn level(&self, check_id: &str) -> Option<Level> {
        self.checks.get(check_id).copied()
    }

    /// The severity of a check's findings: the ruleset's level, else the check's default
    /// ([`default_severity`]). `None` when the check is off or unknown.
    pub fn severity(&self, check_id: &str) -> Option<Severity> {
        match self.level(check_id) {
            Some(level) => level.severity(),
            None => default_severity(check_id),
        }
    }

    /// The guideline clause the ruleset cites for a check (`rule 176`), if any.
    pub fn citation(&self, check_id: &str) -> Option<&str> {
        self.citations.get(check_id).map(String::as_str)
    }

    /// Who says so, for a message's parenthesis: the ruleset's name, with the clause it
    /// cites for the check ("zalando, rule 176"), else the name alone.
    pub fn cited_name(&self, check_id: &str) -> String {
        match self.citation(check_id) {
            Some(citation) => format!("{}, {citation}", self.name),
            None => self.name.clone(),
        }
    }

    /// Every check with its resolved severity, in id order.
    pub fn checks(&self) -> impl Iterator<Item = (&'static str, Option<Severity>)> + '_ {
        CHECK_IDS.iter().map(|&id| (id, self.severity(id)))
    }

    /// The row for a response key as a document writes it (`404`, `4XX`): its own row,
    /// else the row of its class range. `None` for `default`, unlisted codes and keys that
    /// are not status codes.
    pub fn row(&self, status: &StatusKey) -> Option<&CodeRow> {
        self.table_row(TableKey::of(status)?)
    }

    /// The row for an exact code: its own, else its class range's.
    pub fn exact_row(&self, code: u16) -> Option<&CodeRow> {
        self.table_row(TableKey::Code(code))
    }

    /// [`Ruleset::row`] of a key given as text (`"201"`), for callers that have no parsed key.
    pub fn code(&self, key: &str) -> Option<&CodeRow> {
        self.row(&StatusKey::parse(key))
    }

    fn table_row(&self, key: TableKey) -> Option<&CodeRow> {
        self.codes.get(&key).or_else(|| self.codes.get(&TableKey::Range(key.class())))
    }

    /// "400 Bad Request" (the row's name, else the registry's), "`default`", "`4XX`".
    pub fn response_label(&self, status: &StatusKey) -> String {
        let name = match status.kind {
            CodeKind::Exact(code) => self
                .row(status)
                .filter(|row| row.key.code() == Some(code))
                .map(|row| row.name.clone())
                .or_else(|| crate::model::reason_phrase(code).map(str::to_owned)),
            _ => None,
        };
        match name {
            Some(name) => format!("{} {name}", status.text),
            None => format!("`{}`", status.text),
        }
    }

    /// The table, ordered by code (`400`, `404`, `4XX`, `500`).
    pub fn codes(&self) -> impl Iterator<Item = &CodeRow> + '_ {
        self.codes.values()
    }

    /// Whether declaring `key` gives an operation a success response: the row's `success`,
    /// or for an unlisted key, whether it is 2xx.
    pub fn counts_as_success(&self, status: &StatusKey) -> bool {
        match (self.row(status), TableKey::of(status)) {
            (Some(row), _) => row.success,
            (None, Some(key)) => key.class() == 2,
            (None, None) => false,
        }
    }

    /// What `method-success-code` expects of a method; `None` where the guideline is silent.
    pub fn method_success(&self, method: Method) -> Option<&MethodSuccess> {
        self.method_success.get(&method)
    }

    /// Every method the ruleset has success codes for, in [`Method`] order.
    pub fn method_successes(&self) -> impl Iterator<Item = &MethodSuccess> + '_ {
        self.method_success.values()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

/// Why a ruleset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesetError {
    #[error("unknown built-in ruleset `{name}` (the built-ins are: {})", BUILTIN_NAMES.join(", "))]
    UnknownBuiltin { name: String },
    #[error("cannot read ruleset file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "ruleset file {} lies outside the configuration's directory and `refs.allowed_roots`",
        path.display()
    )]
    Outside { path: PathBuf },
    /// The file is not a valid ruleset; the error says where.
    #[error("{0}")]
    Invalid(Box<InvalidRuleset>),
}

impl RulesetError {
    /// Where in which file the problem is, when it is in a file.
    pub fn location(&self) -> Option<Location> {
        match self {
            RulesetError::Invalid(invalid) => invalid.location(),
            _ => None,
        }
    }
}

/// A ruleset file with a problem: which file, where in it, and what.
pub struct InvalidRuleset {
    pub file: Arc<SourceFile>,
    /// The offending node (a key, a value, a whole mapping), when known.
    pub span: Option<Span>,
    pub message: String,
}

impl InvalidRuleset {
    pub fn line_col(&self) -> Option<LineCol> {
        self.span.map(|span| self.file.line_col(span.start))
    }

    pub fn location(&self) -> Option<Location> {
        self.span.map(|span| Location::new(Arc::clone(&self.file), span))
    }
}

impl fmt::Display for InvalidRuleset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col() {
            Some(at) => write!(f, "{}:{}:{}: {}", self.file.name, at.line, at.column, self.message),
            None => write!(f, "{}: {}", self.file.name, self.message),
        }
    }
}

// The file's tree is large and says nothing a reader of the error needs.
impl fmt::Debug for InvalidRuleset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvalidRuleset")
            .field("file", &self.file.name)
            .field("span", &self.span)
            .field("message", &self.message)
            .finish()
    }
}
