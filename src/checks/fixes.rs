//! The fixes checks attach to their findings, built from [`crate::source::edit`]'s
//! primitives on the files where the nodes are written (a `$ref`'d file's edit goes to
//! that file).
//!
//! A fix of a definition shared through `$ref` is offered only when every response that
//! uses it gives it the same code: removing the body of a response that one operation
//! answers 204 and another 200 would change the second's contract.

use crate::finding::{Applicability, Edit, Fix, Location};
use crate::model::{Api, Response, SpecVersion};
use crate::resolve::{NodeRef, Workspace};
use crate::source::edit::{self, Order, Snippet, TextEdit};

/// A fix of one or more edits; `None` when any edit could not be made.
pub(crate) fn fix(
    workspace: &Workspace,
    title: impl Into<String>,
    applicability: Applicability,
    edits: impl IntoIterator<Item = Option<(NodeRef, TextEdit)>>,
) -> Option<Fix> {
    let edits = edits
        .into_iter()
        .map(|edit| {
            let (node, edit) = edit?;
            let file = workspace.file(node.file)?.clone();
            Some(Edit { at: Location::new(file, edit.span), text: edit.text })
        })
        .collect::<Option<Vec<Edit>>>()?;
    (!edits.is_empty()).then(|| Fix { title: title.into(), applicability, edits })
}

/// Whether every response of the API that is the definition `response` resolves to is
/// declared under the same code (an inline response always is).
pub(crate) fn used_only_as_its_code(api: &Api, response: &Response) -> bool {
    response.chain.is_empty()
        || api
            .operations
            .iter()
            .filter_map(|operation| operation.responses.as_ref())
            .flat_map(|responses| &responses.entries)
            .filter(|other| other.node == response.node)
            .all(|other| other.code.text == response.code.text)
}

/// Remove a response's body: `content` in 3.x; `schema` and `examples` in Swagger 2.0.
pub(crate) fn remove_body(workspace: &Workspace, api: &Api, response: &Response) -> Option<Fix> {
    if !used_only_as_its_code(api, response) {
        return None;
    }
    let node = response.node;
    let file = workspace.file(node.file)?;
    let keys: &[&str] = if api.version == SpecVersion::Swagger2 { &["schema", "examples"] } else { &["content"] };
    let body_keys: Vec<_> =
        keys.iter().filter_map(|key| file.tree.entry(node.node, key)).map(|entry| entry.key).collect();
    let edits = edit::remove_entries(file, node.node, &body_keys)?;
    let edits = edits.into_iter().map(|edit| Some((node, edit)));
    let title = format!("Remove the body of {}", response.code.text);
    fix(workspace, title, Applicability::Safe, edits)
}

/// Declare a header on a response: `{description, type}` in Swagger 2.0, `{description,
/// schema: {type}}` in 3.x; `format` where given.
pub(crate) fn add_header(
    workspace: &Workspace,
    api: &Api,
    response: &Response,
    name: &str,
    description: &str,
    schema: &[(&str, &str)],
) -> Option<Fix> {
    if !used_only_as_its_code(api, response) {
        return None;
    }
    let node = response.node;
    let file = workspace.file(node.file)?;
    let schema_entries = schema.iter().map(|(key, value)| (*key, Snippet::str(*value)));
    let header = if api.version == SpecVersion::Swagger2 {
        Snippet::map(std::iter::once(("description", Snippet::str(description))).chain(schema_entries))
    } else {
        Snippet::map([("description", Snippet::str(description)), ("schema", Snippet::map(schema_entries))])
    };
    let edit = edit::add_header(file, node.node, name, header).map(|edit| (node, edit));
    let title = format!("Declare the `{name}` header on {}", response.code.text);
    fix(workspace, title, Applicability::Safe, [edit])
}

/// Rename a response's code in the operation's `responses` (its key, wherever the response
/// itself is defined).
pub(crate) fn rename_code(workspace: &Workspace, response: &Response, to: &str, title: String) -> Option<Fix> {
    let key = response.key;
    let file = workspace.file(key.file)?;
    let edit = edit::rename_key(file, key.node, to).map(|edit| (key, edit));
    fix(workspace, title, Applicability::Unsafe, [edit])
}

/// Add responses to a `responses` mapping, each a `$ref` to `reference`, in code order
/// where the codes are sorted already. Codes that land at one place are written together.
pub(crate) fn add_referenced_responses(
    workspace: &Workspace,
    responses: NodeRef,
    codes: &[String],
    reference: &str,
) -> Option<Fix> {
    let file = workspace.file(responses.file)?;
    let value = Snippet::map([("$ref", Snippet::str(reference))]);
    let mut edits: Vec<TextEdit> = Vec::new();
    for code in codes {
        let edit = edit::insert_entry(file, responses.node, code, &value, Order::ByStatusCode)?;
        match edits.iter_mut().find(|earlier| earlier.span == edit.span) {
            // Both insert at one place: one after the other (codes come in order). A
            // replacement (an empty `{}` filled) cannot take two: the rest is left.
            Some(earlier) if edit.span.is_empty() => earlier.text.push_str(&edit.text),
            Some(_) => {}
            None => edits.push(edit),
        }
    }
    let title = match codes {
        [code] => format!("Declare {code} as `$ref: '{reference}'`"),
        _ => format!("Declare {} as `$ref: '{reference}'`", codes.join(", ")),
    };
    fix(workspace, title, Applicability::Safe, edits.into_iter().map(|edit| Some((responses, edit))))
}
