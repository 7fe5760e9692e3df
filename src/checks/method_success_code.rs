use crate::model::{Api, CodeKind, Method as HttpMethod, Operation, OperationKind};

use super::ruleset::{Creation, MethodSuccess, Ruleset, SuccessCodes};
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that an operation declares the success code its ruleset expects for its
    /// method: GET 200, DELETE 204, a POST that creates a resource 201 and any other POST
    /// 200 or 204, PUT and PATCH as the table says. Any code the table names as expected
    /// or acceptable for the method will do; a `2XX` range does where the ruleset lets
    /// ranges satisfy required codes. An operation with no success response at all is left
    /// to `success-response`.
    ///
    /// Whether a POST creates is judged, in this order (the first sign that applies wins):
    /// - it declares 201 Created: it creates;
    /// - its path names an action: a segment under `actions` (`/pets/{id}/actions/cancel`),
    ///   a custom method (`/v1/{name}:cancel`), or a last segment whose first word is a verb
    ///   (`/search`, `/resetAuthorizationStrategies`, `/auth/register`): it does not;
    /// - its path also takes PUT or PATCH: the path is a resource replaced whole, such as a
    ///   set of labels, and POSTing to it adds to it: it does not;
    /// - its `operationId` starts with a verb that creates nothing (`updatePet`,
    ///   `searchPets`): it does not; it names one of the ruleset's creation verbs
    ///   (`settings.creation.operation_id_verbs`: `createPet`, `pets.insert`) and returns
    ///   content: it creates;
    /// - it posts to a collection beside its item path (`POST /pets` beside
    ///   `/pets/{petId}`, where `settings.creation.sibling_item_path` is on): it creates;
    /// - otherwise (a POST that answers 200 with no item path beside it) it does not.
    ///
    /// PUT creates only when it declares 201 or its `operationId` says so; webhooks and other
    /// methods never do. The help of each finding says which sign decided. Where no
    /// operation of a method in the document declares the expected code (at least three of
    /// them: Stripe answers every creation with 200), the help says how to accept the API's
    /// own convention once in a ruleset.
    ///
    /// ## Why is this bad?
    /// APInf and Platform of Trust: 200 is the "successful response for GET, PUT and POST",
    /// 201 means "a new resource instance was successfully created with POST method", and
    /// for 204 "DELETE can be a good example of this". Ed-Fi: 201 is "Returned after a
    /// successful POST". RFC 9110 §9.3.3: when a POST creates resources, "the origin server
    /// SHOULD send a 201 (Created) response". A client that branches on the status code
    /// (to read a body, to follow `Location`) breaks when the documented code is not the
    /// one the guideline makes it expect.
    ///
    /// ## Example
    /// With the `ed-fi` ruleset:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       responses:
    ///         "200":
    ///           description: The new pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    ///   /pets/{petId}:
    ///     get:
    ///       parameters:
    ///         - {name: petId, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       responses:
    ///         "201":
    ///           description: Created.
    ///           headers:
    ///             Location: {schema: {type: string}}
    ///   /pets/{petId}:
    ///     get:
    ///       parameters:
    ///         - {name: petId, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    /// ```
    pub MethodSuccessCode, id: "method-success-code", severity: Warning, summary: "Each operation declares the success code the table expects for its method (201 for a POST that creates)"
}

impl Check for MethodSuccessCode {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let mut notes: Vec<String> = ruleset
            .method_successes()
            .map(|success| {
                let method = success.method.as_str().to_ascii_uppercase();
                match &success.creating {
                    Some(creating) => {
                        format!("{method} {}, creating {}", codes_phrase(&success.default), codes_phrase(creating))
                    }
                    None => format!("{method} {}", codes_phrase(&success.default)),
                }
            })
            .collect();
        if notes.is_empty() {
            return notes;
        }
        let creation = &ruleset.settings().creation;
        let mut signs = vec!["declares 201".to_owned()];
        if creation.sibling_item_path {
            signs.push("posts to a collection beside its item path".to_owned());
        }
        if !creation.operation_id_verbs.is_empty() {
            signs.push(format!(
                "has an operationId saying {} and returns content",
                creation.operation_id_verbs.join(", ")
            ));
        }
        notes.push(format!("a POST creates when it {} (never when its path names an action)", signs.join(", or ")));
        notes
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let method = operation.method;
        let Some(success) = cx.ruleset.method_success(method) else { return };
        let Some(responses) = &operation.responses else { return };
        // No success response at all is `success-response`'s finding.
        let declared: Vec<&str> = responses
            .entries
            .iter()
            .map(|response| response.code.text.as_str())
            .filter(|code| cx.ruleset.counts_as_success(code))
            .collect();
        if declared.is_empty() {
            return;
        }
        let verdict = judge_creation(cx.api, &cx.ruleset.settings().creation, operation);
        let codes = success.codes(verdict.creates);
        let ranges_count = cx.ruleset.settings().ranges_satisfy_required;
        let satisfied = responses.entries.iter().any(|response| match response.code.kind {
            CodeKind::Exact(code) => codes.allows(code),
            CodeKind::Range(class) => {
                ranges_count
                    && codes.expected.iter().chain(&codes.acceptable).any(|code| code / 100 == u16::from(class))
            }
            CodeKind::Default | CodeKind::Invalid => false,
        });
        if satisfied {
            return;
        }
        let expected: Vec<String> = codes.expected.iter().map(u16::to_string).collect();
        let message = format!(
            "{} declares no {}, only {} ({}: {} is required for {})",
            operation.label(),
            expected.join(" or "),
            declared.join(", "),
            success.origin,
            labels(cx.ruleset, &codes.expected).join(" or "),
            row_subject(success, verdict.creates),
        );
        let also: Vec<String> = codes.acceptable.iter().map(u16::to_string).collect();
        let quoted: Vec<String> = expected.iter().map(|code| format!("`{code}`")).collect();
        let mut help = format!("declare {}", quoted.join(" or "));
        if !also.is_empty() {
            help.push_str(&format!(" (also accepted: {})", also.join(", ")));
        }
        if success.creating.is_some() {
            if verdict.creates {
                help.push_str(&format!("; this {} creates a resource: {}", operation.method, verdict.reason));
            } else {
                help.push_str(&format!(
                    "; this {} is judged not to create a resource ({}): declare 201 if it does",
                    operation.method, verdict.reason
                ));
            }
        }
        if let Some(convention) =
            convention_hint(cx.api, operation, &codes.expected, success.creating.is_some() && verdict.creates)
        {
            help.push_str(&convention);
        }
        if let Some(finding) = cx.report(responses.node, message) {
            finding.help = Some(help);
        }
    }
}

/// How many operations with a method it takes before answering them all alike is a convention.
const CONVENTION_MIN_OPERATIONS: usize = 3;

/// When no operation of the document with this method declares an expected code, the
/// API follows a convention of its own (Stripe answers every creation with 200): say how
/// to accept it once rather than leave one finding per operation to silence.
fn convention_hint(api: &Api, operation: &Operation, expected: &[u16], creating: bool) -> Option<String> {
    let same_method = || api.operations.iter().filter(|other| other.method == operation.method);
    let used_anywhere = same_method().any(|other| {
        other.responses.as_ref().is_some_and(|responses| expected.iter().any(|&code| responses.exact(code).is_some()))
    });
    // A pattern needs a few operations to be one.
    if used_anywhere || same_method().count() < CONVENTION_MIN_OPERATIONS {
        return None;
    }
    let expected: Vec<String> = expected.iter().map(u16::to_string).collect();
    let key = if creating { "creating.acceptable" } else { "acceptable" };
    Some(format!(
        "; no {} in this API declares {}: if that is its convention, add the code it uses to `method_success.{}.{key}` in a ruleset that extends this one",
        operation.method,
        expected.join(" or "),
        operation.method.key(),
    ))
}

/// What a method-success row is about: "POST", "a POST that creates".
fn row_subject(success: &MethodSuccess, creates: bool) -> String {
    let method = success.method.as_str().to_ascii_uppercase();
    match (&success.creating, creates) {
        (Some(_), true) => format!("a {method} that creates"),
        (Some(_), false) => format!("a {method} that creates nothing"),
        (None, _) => method,
    }
}

/// `201 Created`, with the ruleset's name for the code (else the registry's).
fn labels(ruleset: &Ruleset, codes: &[u16]) -> Vec<String> {
    codes
        .iter()
        .map(|&code| match ruleset.code(&code.to_string()) {
            Some(row) => row.label(),
            None => format!("{code} {}", crate::model::reason_phrase(code).unwrap_or("")).trim_end().to_owned(),
        })
        .collect()
}

/// "200 or 204 (or 201, 202)".
fn codes_phrase(codes: &SuccessCodes) -> String {
    let expected: Vec<String> = codes.expected.iter().map(u16::to_string).collect();
    let acceptable: Vec<String> = codes.acceptable.iter().map(u16::to_string).collect();
    if acceptable.is_empty() {
        expected.join(" or ")
    } else {
        format!("{} (or {})", expected.join(" or "), acceptable.join(", "))
    }
}

/// Whether an operation creates a resource, and why it was judged so (for messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CreationVerdict {
    pub creates: bool,
    /// "it declares 201", "`/pets/{petId}` is its item path".
    pub reason: String,
}

impl CreationVerdict {
    fn new(creates: bool, reason: impl Into<String>) -> CreationVerdict {
        CreationVerdict { creates, reason: reason.into() }
    }
}

/// Judge whether an operation creates a resource (see the check's documentation for the
/// order of the signs). Other checks that need `OperationFacts::creates` call this too.
pub(crate) fn judge_creation(api: &Api, creation: &Creation, operation: &Operation) -> CreationVerdict {
    let declares_created = operation.responses.as_ref().is_some_and(|responses| responses.exact(201).is_some());
    if declares_created {
        return CreationVerdict::new(true, "it declares 201");
    }
    // Webhooks are answered by the receiver, which creates nothing the API knows of.
    if operation.kind == OperationKind::Webhook || !matches!(operation.method, HttpMethod::Post | HttpMethod::Put) {
        return CreationVerdict::new(false, format!("a {} does not create", operation.method));
    }
    if operation.method == HttpMethod::Post {
        if let Some(action) = path_action(&operation.path) {
            return CreationVerdict::new(false, format!("its path names the action `{action}`"));
        }
        // A path that is also replaced whole (PUT) or patched is a resource, not a
        // factory: POSTing to it adds to a set (GitHub's labels) or acts on it.
        let replaced = api.operations.iter().find(|other| {
            other.path == operation.path
                && other.kind == operation.kind
                && matches!(other.method, HttpMethod::Put | HttpMethod::Patch)
        });
        if let Some(replaced) = replaced {
            return CreationVerdict::new(
                false,
                format!("its path also takes {}, so it is a resource rather than a collection", replaced.method),
            );
        }
    }
    if let Some(id) = &operation.operation_id {
        let words = words(verb_phrase(id));
        if let Some(first) = words.first() {
            if NON_CREATING_VERBS.contains(&first.as_str()) {
                return CreationVerdict::new(false, format!("its operationId `{id}` says `{first}`"));
            }
        }
        let verb =
            words.iter().find(|word| creation.operation_id_verbs.iter().any(|verb| verb.eq_ignore_ascii_case(word)));
        // A creation verb is trusted when the operation returns what it made; one that
        // returns nothing and has no item path beside it made nothing a client can reach
        // (GitHub's `repos/create-dispatch-event` answers 204).
        if let Some(verb) = verb {
            if returns_content(operation) {
                return CreationVerdict::new(true, format!("its operationId `{id}` says `{verb}`"));
            }
        }
    }
    if operation.method == HttpMethod::Post && creation.sibling_item_path {
        if let Some(item) = sibling_item_path(&api.paths, &operation.path) {
            return CreationVerdict::new(true, format!("it posts to a collection beside its item path `{item}`"));
        }
    }
    CreationVerdict::new(false, "nothing says it does: no 201, no item path beside it, no creation verb")
}

/// Whether a success response of the operation declares content.
fn returns_content(operation: &Operation) -> bool {
    operation.responses.as_ref().is_some_and(|responses| {
        responses.entries.iter().any(|response| response.code.is_success() && response.has_body())
    })
}

/// Verbs that, first in an operationId, say it does something other than create.
#[rustfmt::skip]
const NON_CREATING_VERBS: &[&str] = &[
    "activate", "approve", "archive", "calculate", "cancel", "capture", "change", "check", "close", "confirm", "connect",
    "count", "deactivate", "delete", "disable", "download", "edit", "enable", "execute", "export", "fetch",
    "finalize", "find", "get", "list", "lock", "login", "logout", "mark", "merge", "modify", "move", "override",
    "patch", "pause", "preview", "publish", "query", "read", "refresh", "reject", "remove", "render", "reopen",
    "replace", "resend", "reset", "resume", "retrieve", "revoke", "run", "search", "send", "set", "start", "stop",
    "sync", "test", "trigger", "unarchive", "unlock", "unpublish", "update", "validate", "verify", "void",
];

/// Verbs that, as the last segment of a path (or its first word), name an action on a
/// resource rather than a collection: `/orders/{id}/cancel`, `/search`, `/resetPassword`.
/// Creation verbs are among them: `/auth/register` and `/memberships/add` are calls, not
/// collections a new member gets a URI in.
#[rustfmt::skip]
const ACTION_VERBS: &[&str] = &[
    "accept", "activate", "add", "apply", "approve", "archive", "assign", "attach", "authenticate", "authorize",
    "batch", "bulk", "calculate", "callback", "cancel", "capture", "check", "clear", "clone", "close", "complete",
    "confirm", "connect", "convert", "copy", "create", "deactivate", "decline", "decrypt", "deny", "detach",
    "disable", "disconnect", "dismiss", "download", "duplicate", "enable", "encrypt", "estimate", "evaluate",
    "execute", "expire", "export", "finalize", "flush", "grant", "import", "insert", "invalidate", "join", "leave",
    "link", "lock", "login", "logout", "mark", "merge", "move", "override", "pause", "preview", "publish", "purge",
    "query", "reactivate", "rebuild", "recalculate", "redeem", "refresh", "register", "reject", "release", "reload",
    "rename", "render", "reopen", "replay", "rerun", "resend", "reset", "resolve", "restart", "restore", "resume",
    "retry", "reverse", "revoke", "rollback", "rotate", "run", "scan", "search", "send", "share", "sign", "signup",
    "simulate", "start", "stop", "submit", "subscribe", "suspend", "sync", "test", "toggle", "transition", "trigger",
    "unarchive", "unassign", "unlink", "unlock", "unpublish", "unsubscribe", "upgrade", "validate", "verify", "void",
];

/// The action a POST path names, if its last segment is one: `{name}:cancel`, a segment
/// under `actions`, or a segment whose first word is an action verb.
fn path_action(path: &str) -> Option<String> {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let last = strip_extension(segments.next()?);
    let parent = segments.next().unwrap_or("");
    if let Some((_, custom)) = last.rsplit_once(':') {
        // Google's custom methods (`/v1/{name}:cancel`); a colon inside `{...}` is not one.
        if !custom.is_empty() && !custom.contains('}') {
            return Some(custom.to_owned());
        }
    }
    if is_template(last) || last.is_empty() {
        return None;
    }
    if matches!(parent.to_ascii_lowercase().as_str(), "actions" | "action" | "_actions") {
        return Some(last.to_owned());
    }
    let first = words(last).into_iter().next()?;
    ACTION_VERBS.contains(&first.as_str()).then(|| last.to_owned())
}

/// The item path beside a collection path: `/pets/{petId}` for `/pets` (also
/// `/Calls/{Sid}.json` for `/Calls.json`). `None` when the path is itself an item.
fn sibling_item_path<'p>(paths: &'p [String], collection: &str) -> Option<&'p str> {
    let collection = collection.trim_end_matches('/');
    let (parent, last) = collection.rsplit_once('/')?;
    let last = strip_extension(last);
    if last.is_empty() || is_template(last) {
        return None;
    }
    paths.iter().map(String::as_str).find(|candidate| {
        let Some(rest) = candidate.trim_end_matches('/').strip_prefix(parent) else { return false };
        let Some(rest) = rest.strip_prefix('/').and_then(|rest| rest.strip_prefix(last)) else { return false };
        rest.strip_prefix('/').is_some_and(|item| !item.contains('/') && is_template(strip_extension(item)))
    })
}

/// `{petId}`.
fn is_template(segment: &str) -> bool {
    segment.len() > 2 && segment.starts_with('{') && segment.ends_with('}')
}

/// `Calls` for `Calls.json` (Twilio writes its format into the path).
fn strip_extension(segment: &str) -> &str {
    match segment.rsplit_once('.') {
        Some((stem, "json" | "xml" | "csv")) => stem,
        _ => segment,
    }
}

/// The part of an operationId that names what it does: `create-fork` in
/// `repos/create-fork`, `insert` in `compute.instances.insert`.
fn verb_phrase(operation_id: &str) -> &str {
    match operation_id.rsplit_once(['/', '.']) {
        Some((_, tail)) if !tail.is_empty() => tail,
        _ => operation_id,
    }
}

/// Lower-case words, split at case changes and `_ - . / :` and spaces: `resetAuthorizationStrategies`
/// gives `reset`, `authorization`, `strategies`; `PostCustomers` gives `post`, `customers`.
fn words(text: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::{path_action, sibling_item_path, verb_phrase, words};
    use crate::checks::docs::lint_text;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n";

    /// A path with one operation declaring `codes`, and `extra` paths (no operations).
    fn doc(path: &str, method: &str, operation_id: Option<&str>, codes: &[&str], extra: &[&str]) -> String {
        let mut text = format!("{HEAD}  {path}:\n    {method}:\n");
        if let Some(id) = operation_id {
            text.push_str(&format!("      operationId: {id}\n"));
        }
        text.push_str("      responses:\n");
        for code in codes {
            text.push_str(&format!("        '{code}': {{description: d}}\n"));
        }
        for path in extra {
            text.push_str(&format!("  {path}: {{}}\n"));
        }
        text
    }

    #[test]
    fn a_post_beside_its_item_path_creates() {
        let text = doc("/pets", "post", None, &["200"], &["/pets/{petId}"]);
        assert_eq!(lint_text("method-success-code", "ed-fi", &text), ["6:7 POST /pets declares no 201, only 200"]);
        assert!(lint_text("method-success-code", "ed-fi", &doc("/pets", "post", None, &["201"], &[])).is_empty());
    }

    #[test]
    fn a_post_that_declares_200_without_an_item_path_does_not_create() {
        let text = doc("/connect/token", "post", None, &["200", "400"], &["/connect/token/x"]);
        for ruleset in ["recommended", "apinf", "ed-fi", "codemify", "platform-of-trust", "rest-api-guide"] {
            assert!(lint_text("method-success-code", ruleset, &text).is_empty(), "{ruleset}");
        }
    }

    #[test]
    fn an_action_path_does_not_create_even_beside_an_item_path() {
        for path in [
            "/pets/{id}/actions/cancel",
            "/search",
            "/v1/{name}:cancel",
            "/claims/{id}/resetStrategies",
            "/auth/register",
        ] {
            let text = doc(path, "post", Some("createThing"), &["200"], &[&format!("{path}/{{id}}")]);
            let findings = lint_text("method-success-code", "ed-fi", &text);
            assert!(findings.is_empty(), "{path}: {findings:?}");
        }
    }

    #[test]
    fn an_operation_id_verb_decides_either_way() {
        let body =
            "      responses:\n        '200':\n          description: d\n          content: {application/json: {}}\n";
        let creates = format!("{HEAD}  /pets:\n    post:\n      operationId: pets.insert\n{body}");
        assert_eq!(lint_text("method-success-code", "apinf", &creates), ["7:7 POST /pets declares no 201, only 200"]);
        let updates = doc("/pets", "post", Some("updatePets"), &["200"], &["/pets/{id}"]);
        assert!(lint_text("method-success-code", "apinf", &updates).is_empty());
    }

    #[test]
    fn a_creation_verb_that_returns_nothing_and_has_no_item_path_does_not_create() {
        // GitHub's `repos/create-dispatch-event` answers 204: an event, not a resource.
        let text = doc("/repos/{repo}/dispatches", "post", Some("repos/create-dispatch-event"), &["204"], &[]);
        assert!(lint_text("method-success-code", "recommended", &text).is_empty());
        // Beside an item path it creates, whatever it returns.
        let text = doc("/pets", "post", Some("createPet"), &["204"], &["/pets/{id}"]);
        assert_eq!(
            lint_text("method-success-code", "recommended", &text),
            ["7:7 POST /pets declares no 201, only 204"]
        );
    }

    #[test]
    fn a_post_to_a_path_that_is_also_put_adds_to_a_set() {
        // GitHub: POST adds labels, PUT replaces them, `/labels/{name}` removes one.
        let text = format!(
            "{HEAD}  /issues/{{n}}/labels:\n    put:\n      responses: {{'200': {{description: d}}}}\n    post:\n      operationId: issues/add-labels\n      responses:\n        '200':\n          description: d\n          content: {{application/json: {{}}}}\n  /issues/{{n}}/labels/{{name}}: {{}}\n"
        );
        assert!(lint_text("method-success-code", "recommended", &text).is_empty());
    }

    #[test]
    fn expected_acceptable_and_ranges() {
        // recommended: DELETE expects 204 and accepts 200 and 202.
        assert!(
            lint_text("method-success-code", "recommended", &doc("/a/{id}", "delete", None, &["202"], &[])).is_empty()
        );
        let only_200 = doc("/a/{id}", "delete", None, &["200"], &[]);
        assert_eq!(
            lint_text("method-success-code", "apinf", &only_200),
            ["6:7 DELETE /a/{id} declares no 204, only 200"]
        );
        // A range satisfies only where the ruleset says so.
        let range = doc("/a", "get", None, &["2XX"], &[]);
        assert!(lint_text("method-success-code", "recommended", &range).is_empty());
        assert_eq!(lint_text("method-success-code", "apinf", &range), ["6:7 GET /a declares no 200, only 2XX"]);
    }

    #[test]
    fn no_success_at_all_and_unlisted_methods_are_left_alone() {
        assert!(lint_text("method-success-code", "ed-fi", &doc("/a", "get", None, &["404"], &[])).is_empty());
        // ed-fi says nothing about PATCH.
        assert!(lint_text("method-success-code", "ed-fi", &doc("/a", "patch", None, &["202"], &[])).is_empty());
    }

    #[test]
    fn the_message_names_the_row_and_the_help_says_why() {
        let findings = |text: &str| {
            let ruleset = crate::checks::ruleset::Ruleset::builtin("ed-fi").unwrap();
            let workspace =
                crate::resolve::Workspace::from_text("t.yaml", text, None, &crate::resolve::LoadOptions::default());
            let api = crate::model::Api::build(&workspace, crate::model::SpecVersion::OpenApi30).unwrap();
            let check = crate::checks::check("method-success-code").unwrap();
            crate::checks::run_checks(&workspace, &api, &ruleset, &[check], &|meta| Some(meta.default_severity))
        };
        // Another POST declares 201, so answering 200 is no convention of this API.
        let text = doc("/pets", "post", None, &["200"], &["/pets/{petId}"])
            + "  /toys:\n    post:\n      responses: {'201': {description: d}}\n";
        let found = findings(&text);
        assert_eq!(
            found[0].message,
            "POST /pets declares no 201, only 200 (ed-fi: 201 Created is required for a POST that creates)"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "declare `201`; this POST creates a resource: it posts to a collection beside its item path `/pets/{petId}`"
            )
        );
        // No POST declares 201: the help says how to accept the API's convention once.
        let text = doc("/pets", "post", None, &["200"], &["/pets/{petId}"])
            + "  /toys:\n    post:\n      responses: {'200': {description: d}}\n"
            + "  /toys/{toyId}:\n    post:\n      responses: {'200': {description: d}}\n";
        let found = findings(&text);
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(help.ends_with("; no POST in this API declares 201: if that is its convention, add the code it uses to `method_success.post.creating.acceptable` in a ruleset that extends this one"), "{help}");
    }

    #[test]
    fn words_split_at_case_and_punctuation() {
        assert_eq!(words("resetAuthorizationStrategies"), ["reset", "authorization", "strategies"]);
        assert_eq!(words("create-fork"), ["create", "fork"]);
        assert_eq!(words("PostCustomers"), ["post", "customers"]);
        assert_eq!(verb_phrase("repos/create-fork"), "create-fork");
        assert_eq!(verb_phrase("compute.instances.insert"), "insert");
        assert_eq!(verb_phrase("createPet"), "createPet");
    }

    #[test]
    fn actions_in_paths() {
        assert_eq!(path_action("/orders/{id}/cancel").as_deref(), Some("cancel"));
        assert_eq!(path_action("/v1/{name=projects/*}:undelete").as_deref(), Some("undelete"));
        assert_eq!(path_action("/pets/{id}/actions/feed").as_deref(), Some("feed"));
        assert_eq!(path_action("/search").as_deref(), Some("search"));
        assert_eq!(path_action("/searches"), None);
        assert_eq!(path_action("/pets"), None);
        assert_eq!(path_action("/pets/{id}"), None);
        assert_eq!(path_action("/{a:b}"), None);
    }

    #[test]
    fn item_paths_beside_collections() {
        let paths: Vec<String> =
            ["/pets", "/pets/{petId}", "/pets/{petId}/toys", "/Calls.json", "/Calls/{Sid}.json", "/a/b/{c}/d"]
                .map(String::from)
                .to_vec();
        assert_eq!(sibling_item_path(&paths, "/pets"), Some("/pets/{petId}"));
        assert_eq!(sibling_item_path(&paths, "/pets/"), Some("/pets/{petId}"));
        assert_eq!(sibling_item_path(&paths, "/Calls.json"), Some("/Calls/{Sid}.json"));
        assert_eq!(sibling_item_path(&paths, "/pets/{petId}"), None);
        assert_eq!(sibling_item_path(&paths, "/pets/{petId}/toys"), None);
        assert_eq!(sibling_item_path(&paths, "/a/b"), None);
        assert_eq!(sibling_item_path(&paths, "/pe"), None);
    }
}
