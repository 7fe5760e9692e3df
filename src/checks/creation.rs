//! Whether an operation creates a resource, judged from the whole API: what several checks
//! ask (`method-success-code`, and the tables' `creates` and `action` conditions through the
//! engine), so it lives beside them, not in one of them.

use rustc_hash::FxHashMap;

use crate::model::{Api, Method, Operation, OperationKind};
use crate::resolve::Workspace;

use super::ruleset::{Creation, identifier_words};

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

/// What judging creations needs to know of the whole API, gathered once.
pub(crate) struct CreationIndex<'a> {
    /// The methods each path takes (paths and webhooks apart).
    methods: FxHashMap<(&'a str, OperationKind), Vec<Method>>,
    /// The first POST that declares 201, if any: the API answers its creations with 201.
    created_with_201: Option<&'a Operation>,
}

impl<'a> CreationIndex<'a> {
    pub(crate) fn new(api: &'a Api) -> CreationIndex<'a> {
        let methods = api
            .path_items()
            .filter_map(|item| {
                let first = item.first()?;
                Some(((first.path.as_str(), first.kind), item.iter().map(|operation| operation.method).collect()))
            })
            .collect();
        let created_with_201 = api.operations.iter().find(|operation| {
            operation.method == Method::Post
                && operation.kind == OperationKind::Path
                && operation.responses.as_ref().is_some_and(|responses| responses.exact(201).is_some())
        });
        CreationIndex { methods, created_with_201 }
    }

    /// The first of `wanted` that the operation's path also takes.
    fn also_takes(&self, operation: &Operation, wanted: &[Method]) -> Option<Method> {
        let methods = self.methods.get(&(operation.path.as_str(), operation.kind))?;
        wanted.iter().copied().find(|method| methods.contains(method))
    }
}

/// Judge whether an operation creates a resource (see the check's documentation for the
/// order of the signs). Other checks that need `OperationFacts::creates` call this too,
/// through [`CheckContext::creation`].
pub(crate) fn judge_creation(
    workspace: &Workspace,
    api: &Api,
    index: &CreationIndex<'_>,
    creation: &Creation,
    operation: &Operation,
) -> CreationVerdict {
    let declares_created = operation.responses.as_ref().is_some_and(|responses| responses.exact(201).is_some());
    if declares_created {
        return CreationVerdict::new(true, "it declares 201");
    }
    // Webhooks are answered by the receiver, which creates nothing the API knows of.
    if operation.kind == OperationKind::Webhook || !matches!(operation.method, Method::Post | Method::Put) {
        return CreationVerdict::new(false, format!("a {} does not create", operation.method));
    }
    let item_path = sibling_item_path(&api.paths, &operation.path);
    if operation.method == Method::Post {
        if let Some(verdict) = judge_post_path(workspace, index, creation, operation, item_path) {
            return verdict;
        }
    }
    let returns = returns_content(workspace, operation);
    let beside_item = operation.method == Method::Post && item_path.is_some();
    if let Some(id) = &operation.operation_id {
        if let Some(verb) = identifier_words(verb_phrase(id)).into_iter().next() {
            if ACTION_VERBS.contains(&verb.as_str()) {
                return CreationVerdict::new(false, format!("its operationId `{id}` says `{verb}`"));
            }
            let creating = creation.operation_id_verbs.iter().any(|wanted| wanted.eq_ignore_ascii_case(&verb));
            // A creation verb is trusted when the operation returns what it made or has an
            // item path beside it; one that does neither made nothing a client can reach
            // (GitHub's `repos/create-dispatch-event` answers 204).
            if creating && (returns || beside_item) {
                return CreationVerdict::new(true, format!("its operationId `{id}` says `{verb}`"));
            }
        }
    }
    if operation.method == Method::Post && (returns || beside_item) {
        if let Some(words) = says_it_creates(workspace, operation) {
            return CreationVerdict::new(true, format!("its summary says \"{words}\""));
        }
    }
    if let (Some(item), true) = (item_path, operation.method == Method::Post && creation.sibling_item_path) {
        // An API that answers its creations with 201 and this POST without it: more likely
        // an action on the collection (a search, a bulk update) than a creation.
        if let Some(created) = index.created_with_201 {
            return CreationVerdict::new(
                false,
                format!(
                    "the API answers its creations with 201 (`{}`), so a POST beside `{item}` that does not is taken for an action",
                    created.label()
                ),
            );
        }
        return CreationVerdict::new(true, format!("it posts to a collection beside its item path `{item}`"));
    }
    CreationVerdict::new(false, "nothing says it does: no 201, no item path beside it, no creation verb")
}

/// The signs a POST's path gives against creation, if any.
fn judge_post_path(
    workspace: &Workspace,
    index: &CreationIndex<'_>,
    creation: &Creation,
    operation: &Operation,
    item_path: Option<&str>,
) -> Option<CreationVerdict> {
    if let Some(action) = path_action(&operation.path, &creation.operation_id_verbs) {
        return Some(CreationVerdict::new(false, format!("its path names the action `{action}`")));
    }
    if item_path.is_none() {
        if let Some(word) = word_under_item(&operation.path) {
            return Some(CreationVerdict::new(
                false,
                format!("it posts to `{word}` under an item, with no `{word}/{{id}}` item path: an action on the item"),
            ));
        }
    }
    // A path that is also replaced whole (PUT) or patched is a resource, not a factory:
    // POSTing to it adds to a set (GitHub's labels) or acts on it.
    if let Some(replaced) = index.also_takes(operation, &[Method::Put, Method::Patch]) {
        return Some(CreationVerdict::new(
            false,
            format!("its path also takes {replaced}, so it is a resource rather than a collection"),
        ));
    }
    if item_path.is_none() && index.also_takes(operation, &[Method::Delete]).is_some() {
        return Some(CreationVerdict::new(
            false,
            "its path also takes DELETE and has no item path: a setting of a singleton resource, which POST switches on",
        ));
    }
    if takes_a_list(workspace, operation) {
        return Some(CreationVerdict::new(false, "it takes a list: a batch, answered item by item"));
    }
    None
}

/// Whether a success response of the operation declares content a client reads (Google's
/// `Empty` answer to a report declares none).
fn returns_content(workspace: &Workspace, operation: &Operation) -> bool {
    operation.responses.as_ref().is_some_and(|responses| {
        responses.entries.iter().any(|response| {
            response.code.is_success() && response.has_body() && !response.declares_empty_body(workspace)
        })
    })
}

/// Whether the request body's schema is an array.
fn takes_a_list(workspace: &Workspace, operation: &Operation) -> bool {
    let Some(body) = &operation.request_body else { return false };
    body.content.iter().filter_map(|media| media.schema).any(|schema| {
        workspace.deref(schema).and_then(|schema| workspace.get(schema, "type")).and_then(|kind| workspace.str(kind))
            == Some("array")
    })
}

/// "creates a new" when the summary (else the description's first sentence) says the
/// operation creates something new: "Creates a new organization", "Add new pet". A plain
/// "Creates a payment" is not enough: RPC-style APIs (Adyen's `/authorise`) say so of calls
/// that leave nothing a client addresses.
fn says_it_creates(workspace: &Workspace, operation: &Operation) -> Option<String> {
    let tree = workspace.tree(operation.node.file);
    let text =
        tree.get_str(operation.node.node, "summary").or_else(|| tree.get_str(operation.node.node, "description"))?;
    let first_sentence = text.split(['.', '\n']).next().unwrap_or("");
    let words: Vec<String> = first_sentence.split_whitespace().map(str::to_lowercase).collect();
    words.windows(3).find_map(|window| {
        let [verb, next, after] = window else { return None };
        let verb_creates = matches!(
            verb.as_str(),
            "create" | "creates" | "add" | "adds" | "register" | "registers" | "insert" | "inserts"
        );
        if !verb_creates {
            return None;
        }
        if next == "new" {
            Some(format!("{verb} new"))
        } else if matches!(next.as_str(), "a" | "an") && after == "new" {
            Some(format!("{verb} {next} new"))
        } else {
            None
        }
    })
}

/// Verbs that, first in an operationId's action part or as a path's last segment, say the
/// operation does something other than create: `updatePet`, `/orders/{id}/cancel`,
/// `/search`, `batchReadTags`. One list for both places; the ruleset's creation verbs are
/// added for paths, where `/auth/register` and `/memberships/add` are calls, not
/// collections a new member gets a URI in.
#[rustfmt::skip]
const ACTION_VERBS: &[&str] = &[
    "accept", "activate", "apply", "approve", "archive", "assign", "attach", "authenticate", "authorize", "batch",
    "bulk", "calculate", "callback", "cancel", "capture", "change", "check", "clear", "clone", "close", "complete",
    "confirm", "connect", "convert", "copy", "count", "deactivate", "decline", "decrypt", "delete", "deny", "detach",
    "disable", "disconnect", "dismiss", "download", "duplicate", "edit", "enable", "encrypt", "estimate",
    "evaluate", "execute", "expire", "export", "fetch", "finalize", "find", "flush", "generate", "get", "grant",
    "import", "invalidate", "join", "leave", "link", "list", "lock", "log", "login", "logout", "mark", "merge", "modify",
    "move", "override", "patch", "pause", "preview", "publish", "purge", "query", "reactivate", "read", "rebuild",
    "recalculate", "redeem", "refresh", "reject", "release", "reload", "remove", "rename", "render", "reopen",
    "replace", "replay", "rerun", "resend", "reset", "resolve", "restart", "restore", "resume", "retrieve", "retry",
    "reverse", "revoke", "rollback", "rotate", "run", "scan", "search", "send", "set", "share", "sign", "signup",
    "simulate", "start", "stop", "submit", "subscribe", "suspend", "sync", "test", "toggle", "transition",
    "trigger", "unarchive", "unassign", "unlink", "unlock", "unpublish", "unsubscribe", "update", "upgrade",
    "validate", "verify", "void",
];

/// Whether a word, first in a path segment, makes the segment an action.
fn is_action_word(word: &str, creation_verbs: &[String]) -> bool {
    ACTION_VERBS.contains(&word) || creation_verbs.iter().any(|verb| verb.eq_ignore_ascii_case(word))
}

/// The action a path names, if it names one: a custom method (`{name}:cancel`), a segment
/// under `actions`, a last segment whose first word is an action verb (`/search`,
/// `/reset-credential`), or such a segment right before a last parameter
/// (`/orders/CreateDeliveryNote/{id}`).
pub(crate) fn path_action(path: &str, creation_verbs: &[String]) -> Option<String> {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let last = strip_extension(segments.next()?);
    let parent = segments.next().unwrap_or("");
    if let Some((_, custom)) = last.rsplit_once(':') {
        // Google's custom methods (`/v1/{name}:cancel`); a colon inside `{...}` is not one.
        if !custom.is_empty() && !custom.contains('}') {
            return Some(custom.to_owned());
        }
    }
    if last.is_empty() {
        return None;
    }
    if is_template(last) {
        let first = identifier_words(parent).into_iter().next()?;
        return is_action_word(&first, creation_verbs).then(|| parent.to_owned());
    }
    if matches!(parent.to_ascii_lowercase().as_str(), "actions" | "action" | "_actions") {
        return Some(last.to_owned());
    }
    let first = identifier_words(last).into_iter().next()?;
    is_action_word(&first, creation_verbs).then(|| last.to_owned())
}

/// The last segment of `/{collection}/{id}/{word}`: a word right under an item. Google's
/// `{parent}` is no item: `/v1/{parent}/instances` is the collection of the parent's
/// instances (AIP-133).
fn word_under_item(path: &str) -> Option<&str> {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let last = strip_extension(segments.next()?);
    let parent = segments.next()?;
    let names_owner = matches!(parent.trim_matches(['{', '}', '+']), "parent");
    (!last.is_empty() && !is_template(last) && is_template(parent) && !names_owner).then_some(last)
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
/// `repos/create-fork`, `insert` in `compute.instances.insert`, `List` in
/// `Configurations_List` (the `Controller_Action` of .NET and Azure). A snake-case id keeps
/// its whole: Django REST framework's `tasks_notify_create` starts with its resource.
fn verb_phrase(operation_id: &str) -> &str {
    let tail = match operation_id.rsplit_once(['/', '.']) {
        Some((_, tail)) if !tail.is_empty() => tail,
        _ => operation_id,
    };
    match tail.rsplit_once('_') {
        Some((_, action)) if action.starts_with(|c: char| c.is_ascii_uppercase()) => action,
        _ => tail,
    }
}

#[cfg(test)]
mod tests {
    use super::{identifier_words, path_action, sibling_item_path, verb_phrase, word_under_item};

    #[test]
    fn words_split_at_case_and_punctuation() {
        assert_eq!(identifier_words("resetAuthorizationStrategies"), ["reset", "authorization", "strategies"]);
        assert_eq!(identifier_words("create-fork"), ["create", "fork"]);
        assert_eq!(identifier_words("PostCustomers"), ["post", "customers"]);
        assert_eq!(verb_phrase("repos/create-fork"), "create-fork");
        assert_eq!(verb_phrase("compute.instances.insert"), "insert");
        assert_eq!(verb_phrase("createPet"), "createPet");
        assert_eq!(verb_phrase("Configurations_List"), "List");
        assert_eq!(verb_phrase("tasks_notify_create"), "tasks_notify_create");
    }

    #[test]
    fn actions_in_paths() {
        let verbs = ["create".to_owned()];
        assert_eq!(path_action("/orders/{id}/cancel", &verbs).as_deref(), Some("cancel"));
        assert_eq!(path_action("/v1/{name=projects/*}:undelete", &verbs).as_deref(), Some("undelete"));
        assert_eq!(path_action("/pets/{id}/actions/feed", &verbs).as_deref(), Some("feed"));
        assert_eq!(path_action("/search", &verbs).as_deref(), Some("search"));
        assert_eq!(path_action("/orders/CreateInvoice/{id}", &verbs).as_deref(), Some("CreateInvoice"));
        assert_eq!(path_action("/applications/{id}/reset-credential", &verbs).as_deref(), Some("reset-credential"));
        assert_eq!(path_action("/searches", &verbs), None);
        assert_eq!(path_action("/pets", &verbs), None);
        assert_eq!(path_action("/pets/{id}", &verbs), None);
        assert_eq!(path_action("/{a:b}", &verbs), None);
        assert_eq!(word_under_item("/tasks/{id}/notify"), Some("notify"));
        assert_eq!(word_under_item("/v1/{+parent}/instances"), None);
        assert_eq!(word_under_item("/tasks/notify"), None);
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
