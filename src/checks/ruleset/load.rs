//! Loading: read a ruleset file, resolve its `extends`, and apply the file onto the
//! ruleset it extends. Everything is validated on the way, and every error points at the
//! node it is about.
//!
//! A file's `extends` may name a built-in, or a file under the extending file's own
//! directory or one of the roots the caller allows (the configuration's directory and
//! `refs.allowed_roots`), checked on the file actually opened: a ruleset from a pull
//! request cannot make oaslint read `/etc/passwd` or `/proc/self/environ`. Messages quote
//! a file's content only as a short excerpt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::resolve::{normalize, sandbox};
use crate::source::read::{self, MAX_SETTINGS_FILE_BYTES, OpenFile, ReadError};
use crate::source::{Limits, ParseError, ParseWarning, SourceFile, Span, shorten_quotes};

use super::de::{Spanned, from_tree};
use super::format::{CodeRowPatch, MethodSuccessPatch, Patch, RulesetFile, SettingsPatch, SuccessCodesPatch};
use super::status::{Method, TableKey, reason_phrase};
use super::{
    BUILTIN_NAMES, Body, CodeRow, Declare, InvalidRuleset, MethodSuccess, Ruleset, RulesetError, Settings,
    SuccessCodes, builtin_text,
};

/// Longer `extends` chains are refused: they are mistakes, and this bounds the recursion.
const MAX_EXTENDS_DEPTH: usize = 16;

/// Where a file's `extends` may point.
enum ExtendsBase {
    /// A built-in may extend only built-ins (it has no directory).
    BuiltinsOnly,
    /// Paths are resolved against this directory (empty: the current directory), and must
    /// lie under it or one of the allowed roots.
    Dir(PathBuf),
}

/// Where the files of one load may lie.
struct Scope<'a> {
    /// Directories every `extends` may name files under (besides the extending file's own).
    roots: &'a [PathBuf],
}

/// A ruleset on the `extends` chain being loaded: its identity (for cycles) and its name
/// as shown in messages.
struct Link {
    identity: String,
    shown: String,
}

/// Builds an error located in one file.
type Fail<'a> = &'a dyn Fn(Span, String) -> RulesetError;

pub(super) fn builtin(name: &str) -> Result<Ruleset, RulesetError> {
    let Some(text) = builtin_text(name) else {
        return Err(RulesetError::UnknownBuiltin { name: name.to_owned() });
    };
    load_builtin(name, text, &mut Vec::new())
}

/// A ruleset file; `within`: the roots the file itself must lie under (`None`: anywhere,
/// as the user named it), `roots`: where its `extends` may also point.
pub(super) fn file(path: &Path, within: Option<&[PathBuf]>, roots: &[PathBuf]) -> Result<Ruleset, RulesetError> {
    let read_error = |err: ReadError| RulesetError::Read { path: path.to_owned(), source: err.into() };
    let opened = read::open(path).map_err(read_error)?;
    if let Some(within) = within {
        let allowed = sandbox::roots_of(within);
        if !sandbox::allows(&allowed, &normalize(path)) || !sandbox::allows_opened(&allowed, path, &opened) {
            return Err(RulesetError::Outside { path: path.to_owned() });
        }
    }
    let link_identity = file_identity(path, &opened);
    let bytes = opened.read(MAX_SETTINGS_FILE_BYTES).map_err(read_error)?;
    load_path(path, bytes, link_identity, &Scope { roots }, &mut Vec::new())
}

pub(super) fn text(name: &str, text: &str) -> Result<Ruleset, RulesetError> {
    let (file, parsed) = SourceFile::from_text(name, text);
    let link = Link { identity: format!("text:{name}"), shown: name.to_owned() };
    load_parsed(file, parsed, link, name, &ExtendsBase::Dir(PathBuf::new()), &Scope { roots: &[] }, &mut Vec::new())
}

/// Apply a ruleset held in memory (which may not `extends`) onto `base`.
pub(super) fn patch(base: Ruleset, name: &str, text: &str) -> Result<Ruleset, RulesetError> {
    let (file, parsed) = SourceFile::from_text(name, text);
    let file = Arc::new(file);
    let patch = parse_patch(&file, parsed)?;
    if let Some(extends) = &patch.extends {
        return Err(invalid(&file, Some(extends.span), "a patch applies onto a ruleset; it cannot `extends` another"));
    }
    let default_name = base.name.clone();
    apply_file(Some(base), patch, &file, &default_name)
}

fn load_builtin(name: &str, text: &str, chain: &mut Vec<Link>) -> Result<Ruleset, RulesetError> {
    let (file, parsed) = SourceFile::from_text(&format!("rules/{name}.yaml"), text);
    let link = Link { identity: builtin_identity(name), shown: name.to_owned() };
    load_parsed(file, parsed, link, name, &ExtendsBase::BuiltinsOnly, &Scope { roots: &[] }, chain)
}

fn load_path(
    path: &Path,
    read: read::ReadFile,
    identity: String,
    scope: &Scope<'_>,
    chain: &mut Vec<Link>,
) -> Result<Ruleset, RulesetError> {
    let shown = path.display().to_string();
    let (mut file, parsed) = SourceFile::parse(path.to_owned(), shown.clone(), read.bytes, &Limits::default());
    file.identity = read.identity;
    let link = Link { identity, shown };
    let default_name = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or("ruleset");
    let dir = path.parent().map(Path::to_owned).unwrap_or_default();
    load_parsed(file, parsed, link, default_name, &ExtendsBase::Dir(dir), scope, chain)
}

fn builtin_identity(name: &str) -> String {
    format!("builtin:{name}")
}

/// The same file reached by two names (a symlink, a hardlink, `a/../b`) is one link of a
/// cycle: its device and inode, else its canonical path.
fn file_identity(path: &Path, opened: &OpenFile) -> String {
    match opened.identity() {
        Some(identity) => format!("file:{}:{}", identity.device, identity.inode),
        None => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()).display().to_string(),
    }
}

fn load_parsed(
    file: SourceFile,
    parsed: Result<Vec<ParseWarning>, ParseError>,
    link: Link,
    default_name: &str,
    base: &ExtendsBase,
    scope: &Scope<'_>,
    chain: &mut Vec<Link>,
) -> Result<Ruleset, RulesetError> {
    let file = Arc::new(file);
    let patch = parse_patch(&file, parsed)?;
    let extended = match &patch.extends {
        Some(extends) => {
            chain.push(link);
            let extended = load_extended(extends, &file, base, scope, chain);
            chain.pop();
            Some(extended?)
        }
        None => None,
    };
    apply_file(extended, patch, &file, default_name)
}

fn parse_patch(
    file: &Arc<SourceFile>,
    parsed: Result<Vec<ParseWarning>, ParseError>,
) -> Result<RulesetFile, RulesetError> {
    // A ruleset is configuration: a duplicate key is an error, not a warning.
    match parsed {
        Err(err) => return Err(invalid(file, Some(err.span), err.message)),
        Ok(warnings) => {
            if let Some(warning) = warnings.into_iter().next() {
                return Err(invalid(file, Some(warning.span), warning.message));
            }
        }
    }
    from_tree(&file.tree).map_err(|err| invalid(file, err.span, err.message))
}

/// `extends` names a built-in, or a file when it looks like a path.
fn is_path(target: &str) -> bool {
    target.contains(['/', '\\']) || [".yaml", ".yml", ".json"].iter().any(|extension| target.ends_with(extension))
}

fn load_extended(
    extends: &Spanned<String>,
    file: &Arc<SourceFile>,
    base: &ExtendsBase,
    scope: &Scope<'_>,
    chain: &mut Vec<Link>,
) -> Result<Ruleset, RulesetError> {
    let target = extends.value.as_str();
    let fail = |message: String| invalid(file, Some(extends.span), message);
    if chain.len() >= MAX_EXTENDS_DEPTH {
        return Err(fail(format!("`extends` chains may be at most {MAX_EXTENDS_DEPTH} rulesets long")));
    }
    let cycle_check = |identity: &str, shown: &str| {
        let Some(start) = chain.iter().position(|link| link.identity == identity) else {
            return Ok(());
        };
        let mut names: Vec<&str> = chain.iter().skip(start).map(|link| link.shown.as_str()).collect();
        names.push(shown);
        Err(fail(format!("`extends` makes a cycle: {}", names.join(" → "))))
    };
    if !is_path(target) {
        let Some(text) = builtin_text(target) else {
            return Err(fail(format!(
                "unknown built-in ruleset `{target}` (the built-ins are: {}); \
                 to extend a file, write its path, like ./{target}.yaml",
                BUILTIN_NAMES.join(", ")
            )));
        };
        cycle_check(&builtin_identity(target), target)?;
        return load_builtin(target, text, chain);
    }
    let ExtendsBase::Dir(dir) = base else {
        return Err(fail("a built-in ruleset can extend only built-in rulesets".to_owned()));
    };
    // `rules/./base.yaml` shown as `rules/base.yaml` (only `.` is dropped: `..` may cross a symlink).
    let path: PathBuf = dir.join(target).components().collect();
    let shown = path.display().to_string();
    let allowed = sandbox::roots(dir, scope.roots);
    let outside = || {
        fail(format!(
            "`{shown}` lies outside this ruleset's directory; `extends` may name a built-in ruleset, or a file \
             under the extending ruleset's directory, the configuration's directory or `refs.allowed_roots`"
        ))
    };
    // By name first, so that nothing outside is even opened; then on the file opened.
    if !sandbox::allows(&allowed, &normalize(&path)) {
        return Err(outside());
    }
    let opened = read::open(&path).map_err(|err| fail(err.describe(&shown)))?;
    if !sandbox::allows_opened(&allowed, &path, &opened) {
        return Err(outside());
    }
    let identity = file_identity(&path, &opened);
    cycle_check(&identity, &shown)?;
    let read = opened.read(MAX_SETTINGS_FILE_BYTES).map_err(|err| fail(err.describe(&shown)))?;
    load_path(&path, read, identity, scope, chain)
}

/// An error located in a ruleset file; whatever of the file's content the message quotes
/// (serde names the unexpected value) is cut to a short excerpt.
fn invalid(file: &Arc<SourceFile>, span: Option<Span>, message: impl Into<String>) -> RulesetError {
    let message = shorten_quotes(&message.into());
    RulesetError::Invalid(Box::new(InvalidRuleset { file: Arc::clone(file), span, message }))
}

/// Apply one file onto the ruleset it extends (or onto an empty one).
fn apply_file(
    extended: Option<Ruleset>,
    patch: RulesetFile,
    file: &Arc<SourceFile>,
    default_name: &str,
) -> Result<Ruleset, RulesetError> {
    let fail = |span: Span, message: String| invalid(file, Some(span), message);
    let name = match patch.name {
        Some(name) if name.value.trim().is_empty() => {
            return Err(fail(name.span, "the ruleset's `name` is empty".to_owned()));
        }
        Some(name) => name.value,
        None => default_name.to_owned(),
    };
    let mut ruleset = match extended {
        Some(base) => {
            let title = patch.title.unwrap_or_else(|| format!("{name} (extends {})", base.name));
            let mut lineage = vec![name.clone()];
            lineage.extend(base.lineage);
            let mut corrections = base.corrections;
            corrections.extend(patch.corrections);
            let mut files = base.files;
            files.extend(file.identity.map(|identity| (file.name.clone(), identity)));
            Ruleset { title, guideline: patch.guideline.or(base.guideline), corrections, lineage, name, files, ..base }
        }
        None => Ruleset {
            title: patch.title.unwrap_or_else(|| name.clone()),
            guideline: patch.guideline,
            corrections: patch.corrections,
            lineage: vec![name.clone()],
            name,
            files: file.identity.map(|identity| (file.name.clone(), identity)).into_iter().collect(),
            checks: BTreeMap::new(),
            citations: BTreeMap::new(),
            settings: Settings::default(),
            codes: BTreeMap::new(),
            method_success: BTreeMap::new(),
        },
    };
    for (check, level) in patch.checks.0 {
        ruleset.checks.insert(check.0, level);
    }
    for (check, citation) in patch.citations.0 {
        if citation.trim().is_empty() {
            ruleset.citations.remove(&check.0);
        } else {
            ruleset.citations.insert(check.0, citation);
        }
    }
    apply_settings(&mut ruleset.settings, patch.settings, &fail)?;
    for (key, entry) in patch.codes.0 {
        apply_code(&mut ruleset.codes, key, entry, &ruleset.name, &fail)?;
    }
    for (method, entry) in patch.method_success.0 {
        apply_method_success(&mut ruleset.method_success, method, entry, &ruleset.name, &fail)?;
    }
    Ok(ruleset)
}

fn apply_settings(settings: &mut Settings, patch: SettingsPatch, fail: Fail<'_>) -> Result<(), RulesetError> {
    if let Some(value) = patch.default_satisfies_required {
        settings.default_satisfies_required = value;
    }
    if let Some(value) = patch.ranges_satisfy_required {
        settings.ranges_satisfy_required = value;
    }
    if let Some(value) = patch.creation.sibling_item_path {
        settings.creation.sibling_item_path = value;
    }
    if let Some(value) = patch.creation.operation_id_verbs {
        settings.creation.operation_id_verbs = value;
    }
    if let Some(value) = patch.raw_error_properties {
        settings.raw_error_properties = value;
    }
    if let Some(value) = patch.specific_response.description {
        settings.specific_response.description = value;
    }
    let Some(Spanned { span, value: shape }) = patch.error_schema else {
        return Ok(());
    };
    let target = &mut settings.error_schema;
    match shape.any {
        Some(false) => {
            return Err(fail(
                span,
                "`any: false` prescribes nothing: give `problem_json` or `required_properties` instead".to_owned(),
            ));
        }
        Some(true) => {
            let shaped = shape.problem_json == Some(true)
                || shape.required_properties.as_ref().is_some_and(|properties| !properties.is_empty());
            if shaped {
                return Err(fail(
                    span,
                    "`any: true` accepts every error schema, so it cannot go with `problem_json` or `required_properties`"
                        .to_owned(),
                ));
            }
            target.problem_json = false;
            target.required_properties.clear();
        }
        None => {}
    }
    if let Some(value) = shape.problem_json {
        target.problem_json = value;
    }
    if let Some(value) = shape.required_properties {
        target.required_properties = value;
    }
    if let Some(value) = shape.consistent {
        target.consistent = value;
    }
    if let Some(value) = shape.require_body {
        target.require_body = value;
    }
    if let Some(value) = shape.description_suffices {
        target.description_suffices = value;
    }
    Ok(())
}

fn apply_code(
    codes: &mut BTreeMap<TableKey, CodeRow>,
    key: Spanned<TableKey>,
    entry: Spanned<Patch<CodeRowPatch>>,
    origin: &str,
    fail: Fail<'_>,
) -> Result<(), RulesetError> {
    let code = key.value;
    let patch = match entry.value {
        Patch::Off => {
            return match codes.remove(&code) {
                Some(_) => Ok(()),
                None => Err(fail(
                    entry.span,
                    format!("`off` removes an inherited row, but there is no row for {code} to remove"),
                )),
            };
        }
        Patch::Set(patch) => patch,
    };
    let row = match codes.remove(&code) {
        Some(row) => row,
        None => {
            let name = match patch.name.as_deref() {
                Some(name) => name,
                None => default_name(code).ok_or_else(|| {
                    fail(key.span, format!("{code} is not a registered status code, so its row needs a `name`"))
                })?,
            };
            new_row(code, name)
        }
    };
    let row = apply_row(row, patch, entry.span, origin, fail)?;
    codes.insert(code, row);
    Ok(())
}

/// The registered reason phrase, or for a range the RFC 9110 name of its class.
fn default_name(key: TableKey) -> Option<&'static str> {
    match key {
        TableKey::Code(code) => reason_phrase(code),
        TableKey::Range(class) => match class {
            1 => Some("Informational"),
            2 => Some("Successful"),
            3 => Some("Redirection"),
            4 => Some("Client Error"),
            5 => Some("Server Error"),
            _ => None,
        },
    }
}

fn new_row(key: TableKey, name: &str) -> CodeRow {
    CodeRow {
        key,
        name: name.to_owned(),
        success: key.class() == 2,
        methods: None,
        body: None,
        body_forbidden_when: Vec::new(),
        response_headers: Vec::new(),
        request_headers: Vec::new(),
        implied_by_request_headers: false,
        required_when: Vec::new(),
        forbidden_when: Vec::new(),
        declare: Declare::default(),
        specific_when: Vec::new(),
        note: String::new(),
        source: None,
        origin: String::new(),
    }
}

/// Apply a row's fields (each given field replaces the inherited one), then check the row
/// as a whole; the row was valid before, so any fault lies in this file's entry.
fn apply_row(
    mut row: CodeRow,
    patch: CodeRowPatch,
    row_span: Span,
    origin: &str,
    fail: Fail<'_>,
) -> Result<CodeRow, RulesetError> {
    let key = row.key;
    if let Some(name) = patch.name {
        if name.trim().is_empty() {
            return Err(fail(row_span, format!("the `name` of {key} is empty")));
        }
        row.name = name;
    }
    if let Some(success) = patch.success {
        if !matches!(key.class(), 2 | 3) {
            return Err(fail(success.span, format!("`success` applies to 2xx and 3xx codes, not to {key}")));
        }
        row.success = success.value;
    }
    if let Some(Spanned { span, value: mut methods }) = patch.methods {
        if methods.is_empty() {
            return Err(fail(
                span,
                "an empty `methods` list allows no method; leave `methods` out to allow every method".to_owned(),
            ));
        }
        methods.sort();
        methods.dedup();
        row.methods = Some(methods);
    }
    if let Some(body) = patch.body {
        row.body = Some(body);
    }
    if let Some(when) = patch.body_forbidden_when {
        row.body_forbidden_when = when.value.0;
    }
    if let Some(headers) = patch.response_headers {
        row.response_headers = headers
            .into_iter()
            .map(|alternatives| alternatives.0.into_iter().map(|header| header.0).collect())
            .collect();
    }
    if let Some(headers) = patch.request_headers {
        row.request_headers = headers.into_iter().map(|header| header.0).collect();
    }
    if let Some(implied) = patch.implied_by_request_headers {
        row.implied_by_request_headers = implied;
    }
    for (field, when, target) in [
        ("required_when", patch.required_when, &mut row.required_when),
        ("forbidden_when", patch.forbidden_when, &mut row.forbidden_when),
    ] {
        let Some(when) = when else { continue };
        if !key.is_error() {
            return Err(fail(
                when.span,
                format!(
                    "`{field}` applies to 4xx and 5xx rows, not to {key}; \
                     the success code a method expects is set in `method_success`"
                ),
            ));
        }
        *target = when.value.0;
    }
    if let Some(declare) = patch.declare {
        row.declare = declare;
    }
    if let Some(when) = patch.specific_when {
        row.specific_when = when.value.0;
    }
    if let Some(note) = patch.note {
        row.note = note;
    }
    if let Some(source) = patch.source {
        row.source = Some(source);
    }
    row.origin = origin.to_owned();

    if row.implied_by_request_headers && row.request_headers.is_empty() {
        return Err(fail(
            row_span,
            format!("{key}: `implied_by_request_headers` needs the `request_headers` that imply it"),
        ));
    }
    if !row.specific_when.is_empty() && row.declare != Declare::IfSpecific {
        return Err(fail(
            row_span,
            format!(
                "{key}: `specific_when` says where an `if_specific` code is worth declaring; the row needs `declare: if_specific`"
            ),
        ));
    }
    let never_has_content = matches!(key, TableKey::Code(204 | 205 | 304)) || key.class() == 1;
    if never_has_content && row.body == Some(Body::Required) {
        return Err(fail(
            row_span,
            format!("{key} responses never carry content (RFC 9110), so `body: required` cannot hold"),
        ));
    }
    Ok(row)
}

fn apply_method_success(
    table: &mut BTreeMap<Method, MethodSuccess>,
    method: Spanned<Method>,
    entry: Spanned<Patch<MethodSuccessPatch>>,
    origin: &str,
    fail: Fail<'_>,
) -> Result<(), RulesetError> {
    let name = method.value;
    let patch = match entry.value {
        Patch::Off => {
            return match table.remove(&name) {
                Some(_) => Ok(()),
                None => Err(fail(
                    entry.span,
                    format!("`off` removes an inherited entry, but there is none for {} to remove", name.key()),
                )),
            };
        }
        Patch::Set(patch) => patch,
    };
    let mut success = table.remove(&name).unwrap_or_else(|| MethodSuccess {
        method: name,
        default: SuccessCodes::default(),
        creating: None,
        long_running: None,
        note: String::new(),
        origin: String::new(),
    });
    apply_success_codes(
        &mut success.default,
        SuccessCodesPatch {
            expected: patch.expected,
            acceptable: patch.acceptable,
            exclusive: patch.exclusive,
            note: None,
        },
        fail,
    )?;
    apply_success_case(&mut success.creating, patch.creating, name, "creating", "an operation that creates", fail)?;
    apply_success_case(
        &mut success.long_running,
        patch.long_running,
        name,
        "long_running",
        "a long-running operation",
        fail,
    )?;
    if let Some(note) = patch.note {
        success.note = note;
    }
    success.origin = origin.to_owned();
    if success.default.expected.is_empty() {
        return Err(fail(
            entry.span,
            format!("`{}` needs `expected`: the success codes the guideline names for it", name.key()),
        ));
    }
    table.insert(name, success);
    Ok(())
}

/// Apply a `creating` or `long_running` entry: `off` removes the inherited one, a mapping
/// changes it (or adds it, which then needs `expected`).
fn apply_success_case(
    target: &mut Option<SuccessCodes>,
    patch: Option<Spanned<Patch<SuccessCodesPatch>>>,
    method: Method,
    field: &str,
    subject: &str,
    fail: Fail<'_>,
) -> Result<(), RulesetError> {
    let Some(patch) = patch else { return Ok(()) };
    match patch.value {
        Patch::Off => {
            if target.take().is_none() {
                return Err(fail(
                    patch.span,
                    format!("`off` removes inherited `{field}` codes, but {} has none", method.key()),
                ));
            }
        }
        Patch::Set(codes) => {
            let mut codes_now = target.take().unwrap_or_default();
            apply_success_codes(&mut codes_now, codes, fail)?;
            if codes_now.expected.is_empty() {
                return Err(fail(patch.span, format!("`{field}` needs `expected`: the success codes for {subject}")));
            }
            *target = Some(codes_now);
        }
    }
    Ok(())
}

fn apply_success_codes(
    target: &mut SuccessCodes,
    patch: SuccessCodesPatch,
    fail: Fail<'_>,
) -> Result<(), RulesetError> {
    if let Some(codes) = patch.expected {
        target.expected = success_codes(codes, fail)?;
    }
    if let Some(codes) = patch.acceptable {
        target.acceptable = success_codes(codes, fail)?;
    }
    if let Some(exclusive) = patch.exclusive {
        target.exclusive = exclusive;
    }
    if let Some(note) = patch.note {
        target.note = Some(note);
    }
    Ok(())
}

/// Exact 2xx or 3xx codes, duplicates dropped, order kept (the first is suggested).
fn success_codes(codes: Vec<Spanned<TableKey>>, fail: Fail<'_>) -> Result<Vec<u16>, RulesetError> {
    let mut result = Vec::with_capacity(codes.len());
    for code in codes {
        match code.value {
            TableKey::Code(value) if matches!(value / 100, 2 | 3) => {
                if !result.contains(&value) {
                    result.push(value);
                }
            }
            other => {
                return Err(fail(
                    code.span,
                    format!("{other} cannot be a success code: write an exact 2xx or 3xx code"),
                ));
            }
        }
    }
    Ok(result)
}
