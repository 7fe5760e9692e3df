use std::collections::BTreeSet;
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::finding::Related;
use crate::model::{Operation, Response, SpecVersion};
use crate::resolve::{NodeRef, Workspace};

use super::ruleset::{Body, ErrorSchemaSettings, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};
use crate::model::schema::{Kind, Shape, Shapes, body_schemas};

declare_check! {
    /// ## What it does
    /// Checks the bodies of error responses (4xx, 5xx and `default`) against the error
    /// shape the ruleset prescribes (`settings.error_schema`):
    /// - with `require_body`, every error response declares a body, unless its row states
    ///   otherwise (Ed-Fi's 401 and 404 carry none, its 400 "may"); with
    ///   `description_suffices` as well, a non-empty `description` will do (APInf and Platform
    ///   of Trust: "The reason of failure must also be specified");
    /// - with `required_properties`, the body's schema declares them (Ed-Fi: `message`, from
    ///   its example `{code, type, message}`);
    /// - with `problem_json`, the body is served as `application/problem+json` and its
    ///   schema declares the RFC 9457 members `type`, `title` and `status`; where no error
    ///   response of the API is served so, that is one cause, reported once for the API (at a
    ///   2.0 document's `produces`, where the media type comes from, else at the first error
    ///   response, the others listed as related places);
    /// - with `consistent`, all error responses of the document use one error schema: the
    ///   one most of them use, or one that agrees with it (it declares every property the
    ///   main one requires and at least half of its properties, as a validation error that
    ///   adds `errors` does). The odd ones out are reported; a tie names no main schema. Not
    ///   judged: a schema that declares no properties, and one that repeats the operation's
    ///   success schema (a health check answering 503 with its report).
    ///
    /// Schemas are read through `$ref`s and `allOf` (the members' properties add up), and
    /// through `oneOf` and `anyOf` (a property counts when every branch declares it). Only
    /// structured media types (JSON, XML, `*/*`) are read when a response has any. Each
    /// problem is reported once, where the schema is written (in its own file when it is
    /// `$ref`'d), with the response that uses it and the `$ref`s that lead there. HEAD
    /// operations and webhooks are not checked.
    ///
    /// ## Why is this bad?
    /// Clients handle errors in one place; that only works when every error has the same,
    /// documented shape. Ed-Fi: "A message in the body, containing the error details,
    /// should be provided", in the form `{"code": 500, "type": "Internal Server Error",
    /// "message": "Unable to communicate with database"}`. RFC 9457 defines problem
    /// details so that APIs need not invent error formats of their own.
    ///
    /// ## Example
    /// With the `ed-fi` ruleset:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema: {type: object}
    ///       responses:
    ///         "204":
    ///           description: Stored.
    ///         "400":
    ///           description: Invalid pet.
    ///           content:
    ///             application/json:
    ///               schema:
    ///                 type: object
    ///                 properties:
    ///                   error: {type: string}
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema: {type: object}
    ///       responses:
    ///         "204":
    ///           description: Stored.
    ///         "400":
    ///           description: Invalid pet.
    ///           content:
    ///             application/json:
    ///               schema:
    ///                 $ref: "#/components/schemas/Error"
    /// components:
    ///   schemas:
    ///     Error:
    ///       type: object
    ///       properties:
    ///         code: {type: integer}
    ///         type: {type: string}
    ///         message: {type: string}
    /// ```
    pub ErrorSchema, id: "error-schema", severity: Info, summary: "Error responses declare a body in the error shape the guideline prescribes, one shape per API",
    reads: "`settings.error_schema`"
}

/// The members RFC 9457 problem details are recognised by.
const PROBLEM_MEMBERS: [&str; 3] = ["type", "title", "status"];
const PROBLEM_JSON: &str = "application/problem+json";

impl Check for ErrorSchema {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let shape = &ruleset.settings().error_schema;
        let mut notes = Vec::new();
        if shape.require_body {
            let exempt: Vec<String> = ruleset
                .codes()
                .filter(|row| row.key.is_error() && matches!(row.body, Some(Body::Forbidden | Body::Optional)))
                .map(|row| row.key.to_string())
                .collect();
            let mut note = if exempt.is_empty() {
                "every error response declares a body".to_owned()
            } else {
                format!("every error response declares a body (except {}, whose rows say otherwise)", and_list(&exempt))
            };
            if shape.description_suffices {
                note.push_str(", or at least a description of the failure");
            }
            notes.push(note);
        }
        if shape.problem_json {
            notes.push(format!("errors are `{PROBLEM_JSON}` with `type`, `title`, `status`"));
        }
        if !shape.required_properties.is_empty() {
            notes.push(format!("error schemas declare {}", quoted(&shape.required_properties)));
        }
        if shape.consistent {
            notes.push("one error schema per API (or schemas that agree with it)".to_owned());
        }
        notes
    }

    fn check_api(&self, cx: &mut CheckContext<'_>) {
        let shape = &cx.ruleset.settings().error_schema;
        if shape.is_any() && !shape.consistent && !shape.require_body {
            return;
        }
        let mut shapes = Shapes::new(cx.workspace);
        let responses = cx.api.error_responses();
        let mut reported: FxHashSet<NodeRef> = FxHashSet::default();
        if shape.require_body {
            report_missing_bodies(cx, &responses, &mut reported);
        }
        let bodies: Vec<ErrorBody<'_>> = responses
            .iter()
            .filter_map(|(operation, response)| ErrorBody::of(cx.workspace, operation, response))
            .collect();
        if !shape.is_any() {
            report_schemaless_bodies(cx, &responses, &mut reported);
            report_wrong_shapes(cx, shape, &bodies, &mut shapes, &mut reported);
        }
        if shape.consistent {
            report_odd_ones_out(cx, &bodies, &mut shapes, &reported);
        }
        cx.set_operation(None);
    }
}

/// One error response's body schema, as written and as resolved.
pub(super) struct ErrorBody<'a> {
    pub operation: &'a Operation,
    pub response: &'a Response,
    /// The `schema` node as the response writes it (maybe a `$ref`).
    pub written: NodeRef,
    /// Where the `$ref`s end: the schema itself.
    pub target: NodeRef,
    /// The `$ref` mappings followed from `written` to `target`.
    pub chain: Vec<NodeRef>,
}

impl<'a> ErrorBody<'a> {
    /// The first readable schema of the response's body; `None` without one, or when its
    /// `$ref` is broken (reported while loading).
    pub fn of(workspace: &Workspace, operation: &'a Operation, response: &'a Response) -> Option<ErrorBody<'a>> {
        let (_, written) = body_schemas(response).into_iter().next()?;
        let resolved = workspace.resolve(written)?;
        Some(ErrorBody { operation, response, written, target: resolved.target, chain: resolved.chain })
    }

    /// "the error schema `Error`" for `$ref: '#/components/schemas/Error'`, else "an inline error schema".
    pub fn phrase(&self, workspace: &Workspace) -> String {
        match schema_name(workspace, self.written) {
            Some(name) => format!("the error schema {name}"),
            None => "an inline error schema".to_owned(),
        }
    }

    /// What to call the schema as the one others should use: "`Error`", "the schema of the
    /// `Error` response" (written inline in a shared response), or "the schema of GET /pets 500".
    pub fn name(&self, workspace: &Workspace, ruleset: &Ruleset) -> String {
        if let Some(name) = schema_name(workspace, self.written) {
            return name;
        }
        match self.response.chain.first().and_then(|&reference| schema_name(workspace, reference)) {
            Some(response) => format!("the schema of the {response} response"),
            None => format!("the schema of {} {}", self.operation.label(), self.label(ruleset)),
        }
    }

    /// "400 Bad Request", "`default`".
    pub fn label(&self, ruleset: &Ruleset) -> String {
        ruleset.response_label(&self.response.code)
    }

    /// The `$ref`s from the response's body to the schema (the engine adds the response's own).
    pub fn schema_related(&self, workspace: &Workspace) -> Vec<Related> {
        workspace.chain_related(&self.chain)
    }
}

/// "1 more error response uses it", "3 more error responses use it".
fn more_uses(count: usize, what: &str) -> String {
    if count == 1 {
        format!("1 more error response uses {what}")
    } else {
        format!("{count} more error responses use {what}")
    }
}

/// How a `$ref`'d schema is named in messages: the last token of its first `$ref`
/// (`` `Error` ``); `None` for a schema written inline.
pub(super) fn schema_name(workspace: &Workspace, written: NodeRef) -> Option<String> {
    let reference = workspace.get(written, "$ref").and_then(|reference| workspace.str(reference));
    let reference = reference?;
    let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
    let name = if !pointer.is_empty() {
        pointer.rsplit('/').next().unwrap_or(pointer)
    } else {
        // A whole file: its name without directories and extension.
        let file = file.rsplit('/').next().unwrap_or(file);
        file.rsplit_once('.').map_or(file, |(stem, _)| stem)
    };
    Some(format!("`{}`", crate::resolve::unescape_token(&crate::resolve::percent_decode(name))))
}

/// "`code`, `type` and `message`".
fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    and_list(&quoted)
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

/// Error responses without a body, where the ruleset wants one. A `$ref`'d response is
/// reported once, at its definition.
fn report_missing_bodies(
    cx: &mut CheckContext<'_>,
    responses: &[(&Operation, &Response)],
    reported: &mut FxHashSet<NodeRef>,
) {
    let ruleset = cx.ruleset;
    let mut uses: FxHashMap<NodeRef, usize> = FxHashMap::default();
    for (_, response) in responses {
        if !response.chain.is_empty() {
            *uses.entry(response.node).or_default() += 1;
        }
    }
    let description_suffices = ruleset.settings().error_schema.description_suffices;
    for &(operation, response) in responses {
        if response.has_body() {
            continue;
        }
        if description_suffices && response.description.as_deref().is_some_and(|text| !text.trim().is_empty()) {
            continue;
        }
        let row = ruleset.row(&response.code);
        // A row that states the body (Ed-Fi's 401 and 404 carry none, its 400 "may") is
        // exempt from the blanket requirement.
        if row.is_some_and(|row| matches!(row.body, Some(Body::Forbidden | Body::Optional))) {
            continue;
        }
        let shared = !response.chain.is_empty();
        let at = if shared { response.node } else { response.key };
        if !reported.insert(at) {
            continue;
        }
        let message = if description_suffices {
            format!(
                "{}: {} declares no error body and no description ({}: error responses state the reason of failure)",
                operation.label(),
                ruleset.response_label(&response.code),
                ruleset.cited_name(ErrorSchema::META.id),
            )
        } else {
            format!(
                "{}: {} declares no error body ({}: error responses carry one{})",
                operation.label(),
                ruleset.response_label(&response.code),
                ruleset.cited_name(ErrorSchema::META.id),
                shape_words(&ruleset.settings().error_schema)
            )
        };
        let declared = if cx.api.version == crate::model::SpecVersion::Swagger2 { "`schema`" } else { "`content`" };
        let others = uses.get(&response.node).copied().unwrap_or(1).saturating_sub(1);
        cx.set_operation(Some(operation));
        let mut help = format!("declare the error body under {declared}");
        if description_suffices {
            help.push_str(", or say in the response's `description` why the request failed");
        }
        if others > 0 {
            help.push_str(&format!(" ({})", more_uses(others, "this definition")));
        }
        cx.report_in_response(response, at, message).help(help);
    }
}

/// Error bodies declared without a schema, where the ruleset prescribes a shape: nothing
/// tells a client what the error looks like. Reported at the media type, once per definition.
fn report_schemaless_bodies(
    cx: &mut CheckContext<'_>,
    responses: &[(&Operation, &Response)],
    reported: &mut FxHashSet<NodeRef>,
) {
    let ruleset = cx.ruleset;
    for &(operation, response) in responses {
        if !response.has_body() || !body_schemas(response).is_empty() {
            continue;
        }
        let Some(media) = response.content.first() else { continue };
        if !reported.insert(media.node) {
            continue;
        }
        let message = format!(
            "{}: {} declares an error body without a schema ({}: error responses carry one{})",
            operation.label(),
            ruleset.response_label(&response.code),
            ruleset.cited_name(ErrorSchema::META.id),
            shape_words(&ruleset.settings().error_schema)
        );
        cx.set_operation(Some(operation));
        cx.report_in_response(response, media.node, message).help(format!("give `{}` the error schema", media.name));
    }
}

/// ": `{code, type, message}`" after "error responses carry one".
fn shape_words(shape: &ErrorSchemaSettings) -> String {
    if shape.problem_json {
        format!(", `{PROBLEM_JSON}`")
    } else if !shape.required_properties.is_empty() {
        format!(", `{{{}}}`", shape.required_properties.join(", "))
    } else {
        String::new()
    }
}

/// Error schemas that lack the prescribed properties or media type. Each schema once.
fn report_wrong_shapes(
    cx: &mut CheckContext<'_>,
    shape: &ErrorSchemaSettings,
    bodies: &[ErrorBody<'_>],
    shapes: &mut Shapes<'_>,
    reported: &mut FxHashSet<NodeRef>,
) {
    let ruleset_name = cx.ruleset.cited_name(ErrorSchema::META.id);
    let mut wanted: Vec<String> = shape.required_properties.clone();
    if shape.problem_json {
        for member in PROBLEM_MEMBERS {
            if !wanted.iter().any(|name| name == member) {
                wanted.push(member.to_owned());
            }
        }
    }
    let mut uses: FxHashMap<NodeRef, usize> = FxHashMap::default();
    for body in bodies {
        *uses.entry(body.target).or_default() += 1;
    }
    if shape.problem_json {
        report_missing_problem_media_type(cx, bodies);
    }
    for body in bodies {
        if reported.contains(&body.target) {
            continue;
        }
        let found = shapes.of(body.target);
        if !found.complete {
            continue;
        }
        let problem = match &found.kind {
            Kind::NotObject(kind) => Some(format!("is {} {kind}, not an object", article(kind))),
            Kind::Object => {
                let missing: Vec<String> =
                    wanted.iter().filter(|name| !found.properties.contains(name.as_str())).cloned().collect();
                (!missing.is_empty()).then(|| format!("lacks {}", quoted(&missing)))
            }
        };
        let Some(problem) = problem else { continue };
        reported.insert(body.target);
        let message = format!(
            "{}: {} declares {}, which {problem} ({ruleset_name}: errors are `{{{}}}`)",
            body.operation.label(),
            body.label(cx.ruleset),
            body.phrase(cx.workspace),
            wanted.join(", ")
        );
        let related = body.schema_related(cx.workspace);
        let others = uses.get(&body.target).copied().unwrap_or(1).saturating_sub(1);
        cx.set_operation(Some(body.operation));
        let mut help = format!("declare {} in the error schema", quoted(&wanted));
        if others > 0 {
            help.push_str(&format!(" ({})", more_uses(others, "it")));
        }
        cx.report_in_response(body.response, body.target, message).help(help).related(related);
    }
}

/// Error bodies not served as `application/problem+json`, reported at their `content`. Where
/// no error body of the API is served so, the cause is one convention (in 2.0 often the
/// document's `produces`): one finding for the API, with the others as related places.
fn report_missing_problem_media_type(cx: &mut CheckContext<'_>, bodies: &[ErrorBody<'_>]) {
    let mut seen: FxHashSet<NodeRef> = FxHashSet::default();
    let offending: Vec<(&ErrorBody<'_>, NodeRef)> = bodies
        .iter()
        .filter(|body| !served_as_problem(body.response))
        .map(|body| (body, body.response.content_node.unwrap_or(body.response.key)))
        .filter(|&(_, at)| seen.insert(at))
        .collect();
    let convention = offending.len() > 1 && !bodies.iter().any(|body| served_as_problem(body.response));
    if convention {
        report_problem_media_type_convention(cx, &offending);
        return;
    }
    for (body, at) in offending {
        let response = body.response;
        let message = format!(
            "{}: {} serves its error as {}, not `{PROBLEM_JSON}` ({}: errors are RFC 9457 problem details)",
            body.operation.label(),
            body.label(cx.ruleset),
            served(response),
            cx.ruleset.cited_name(ErrorSchema::META.id)
        );
        cx.set_operation(Some(body.operation));
        cx.report_in_response(response, at, message).help(format!("serve the error as `{PROBLEM_JSON}`"));
    }
}

/// At most this many other error responses are listed as related places of a convention.
const CONVENTION_RELATED: usize = 10;

/// One finding for an API none of whose error responses is served as problem details: at the
/// 2.0 document's `produces` when it has one (where the media type comes from), else at the
/// first error response's content.
fn report_problem_media_type_convention(cx: &mut CheckContext<'_>, offending: &[(&ErrorBody<'_>, NodeRef)]) {
    let Some(&(first, first_at)) = offending.first() else { return };
    let produces = cx.workspace.get(cx.api.root, "produces").filter(|_| cx.api.version == SpecVersion::Swagger2);
    let mut types: Vec<String> =
        offending.iter().flat_map(|(body, _)| body.response.content.iter()).map(|media| media.name.clone()).collect();
    types.sort_unstable();
    types.dedup();
    let message = format!(
        "no error response of this API is served as `{PROBLEM_JSON}`: {} error responses serve {} ({}: errors are RFC 9457 problem details)",
        offending.len(),
        quoted(&types).replace(" and ", " or "),
        cx.ruleset.cited_name(ErrorSchema::META.id)
    );
    let help = match produces {
        Some(_) => format!(
            "add `{PROBLEM_JSON}` to the document's `produces` (or to each error response's operation) and serve errors as problem details"
        ),
        None => format!("serve each error response as `{PROBLEM_JSON}`"),
    };
    let skip = usize::from(produces.is_none());
    let mut related: Vec<Related> = offending
        .iter()
        .skip(skip)
        .take(CONVENTION_RELATED)
        .filter_map(|(body, at)| {
            let location = cx.workspace.key_location(*at)?;
            Some(Related { location, label: format!("also {}: {}", body.operation.label(), body.label(cx.ruleset)) })
        })
        .collect();
    let more = offending.len().saturating_sub(skip + CONVENTION_RELATED);
    if let Some(last) = related.last_mut().filter(|_| more > 0) {
        last.label.push_str(&format!(" (and {more} more)"));
    }
    match produces {
        Some(produces) => {
            cx.set_operation(None);
            cx.report(produces, message).help(help).related(related);
        }
        None => {
            cx.set_operation(Some(first.operation));
            cx.report_in_response(first.response, first_at, message).help(help).related(related);
        }
    }
}

fn served_as_problem(response: &Response) -> bool {
    response.content.iter().any(|media| media.name.eq_ignore_ascii_case(PROBLEM_JSON))
}

/// The media types a response serves, quoted: "`application/json` or `text/plain`".
fn served(response: &Response) -> String {
    let names: Vec<String> = response.content.iter().map(|media| media.name.clone()).collect();
    quoted(&names).replace(" and ", " or ")
}

/// How error bodies are grouped when judging consistency: by their property names, or,
/// for a schema without properties, by the schema itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Identity {
    Properties(Rc<BTreeSet<String>>),
    Node(NodeRef),
}

/// Error schemas that differ from the one most error responses use (and do not extend it).
fn report_odd_ones_out(
    cx: &mut CheckContext<'_>,
    bodies: &[ErrorBody<'_>],
    shapes: &mut Shapes<'_>,
    reported: &FxHashSet<NodeRef>,
) {
    // A body that repeats the operation's success schema is a status document, not an
    // error format (a health check answering 503 with its report): it is not judged.
    // A schema that reaches itself through its parts has no definite shape: not judged either.
    let judged: Vec<&ErrorBody<'_>> = bodies
        .iter()
        .filter(|body| !repeats_success_schema(cx.workspace, body) && shapes.of(body.target).complete)
        .collect();
    let identities: Vec<(Identity, Rc<Shape>)> = judged
        .iter()
        .map(|body| {
            let shape = shapes.of(body.target);
            let identity = match shape.kind {
                Kind::Object if !shape.properties.is_empty() => Identity::Properties(Rc::clone(&shape.properties)),
                _ => Identity::Node(body.target),
            };
            (identity, shape)
        })
        .collect();
    // Uses per identity, and the first body of each in document order.
    let mut groups: FxHashMap<&Identity, (usize, usize)> = FxHashMap::default();
    for (index, (identity, _)) in identities.iter().enumerate() {
        groups.entry(identity).or_insert((0, index)).0 += 1;
    }
    let mut ranked: Vec<(&Identity, usize, usize)> =
        groups.iter().map(|(&identity, &(count, first))| (identity, count, first)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let (Some(&(majority, majority_count, majority_first)), Some(&(_, runner_up, _))) = (ranked.first(), ranked.get(1))
    else {
        return;
    };
    // A tie names no majority: nothing can be called the odd one out.
    if majority_count == runner_up {
        return;
    }
    let Some((_, main_shape)) = identities.get(majority_first) else { return };
    // Name the main schema after a use that `$ref`s it, where there is one.
    let main_body = judged
        .iter()
        .zip(&identities)
        .filter(|(_, (identity, _))| identity == majority)
        .map(|(body, _)| *body)
        .find(|body| schema_name(cx.workspace, body.written).is_some())
        .or_else(|| judged.get(majority_first).copied());
    let Some(main_body) = main_body else { return };
    let main_name = main_body.name(cx.workspace, cx.ruleset);
    let main_location = cx.workspace.key_location(main_body.target);
    let total = judged.len();
    let mut seen: FxHashSet<NodeRef> = FxHashSet::default();
    for (body, (identity, shape)) in judged.iter().zip(&identities) {
        if identity == majority || reported.contains(&body.target) || !seen.insert(body.target) {
            continue;
        }
        if matches!(shape.kind, Kind::Object) && shape.properties.is_empty() {
            // An empty or free-form object describes nothing to be inconsistent about.
            continue;
        }
        let extends = matches!(shape.kind, Kind::Object)
            && matches!(main_shape.kind, Kind::Object)
            && agrees_with(shape, main_shape);
        if extends {
            continue;
        }
        let message = format!(
            "{}: {} declares {}, which differs from {main_name}, the one most error responses use ({}: one error schema per API)",
            body.operation.label(),
            body.label(cx.ruleset),
            body.phrase(cx.workspace),
            cx.ruleset.cited_name(ErrorSchema::META.id)
        );
        let mut related = body.schema_related(cx.workspace);
        if let Some(location) = main_location.clone() {
            related.push(Related { location, label: format!("{main_name} defined here") });
        }
        cx.set_operation(Some(body.operation));
        cx.report_in_response(body.response, body.target, message).help(format!(
                "use {main_name} (or extend it with `allOf`) so clients read every error one way; {majority_count} of {total} error responses use it"
            )).related(related);
    }
}

/// Whether an error body's schema is also a success body's schema of the same operation.
fn repeats_success_schema(workspace: &Workspace, body: &ErrorBody<'_>) -> bool {
    let Some(responses) = &body.operation.responses else { return false };
    responses
        .entries
        .iter()
        .filter(|response| response.code.is_success())
        .flat_map(body_schemas)
        .any(|(_, schema)| workspace.deref(schema) == Some(body.target))
}

/// Whether an error schema reads like the main one: it declares every property the main
/// one requires, and at least half of the main one's properties. GitHub's
/// `{message, documentation_url, errors}` agrees with its `{message, documentation_url,
/// url, status}`; a `{status, details}` or an `{error: {...}}` envelope does not.
fn agrees_with(shape: &Shape, main: &Shape) -> bool {
    if main.properties.is_empty() || !main.required.is_subset(&shape.properties) {
        return false;
    }
    let shared = main.properties.intersection(&shape.properties).count();
    shared * 2 >= main.properties.len()
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    fn doc(paths: &str, schemas: &str) -> String {
        format!("{HEAD}paths:\n{paths}components:\n  schemas:\n{schemas}")
    }

    #[test]
    fn a_shared_schema_without_the_properties_is_reported_once_where_it_is_written() {
        let text = doc(
            concat!(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}\n",
                "        '500': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}\n",
            ),
            "    E:\n      type: object\n      properties:\n        error: {type: string}\n",
        );
        assert_eq!(
            lint_text("error-schema", "ed-fi", &text),
            ["12:5 GET /a: 400 Bad Request declares the error schema `E`, which lacks `message`"]
        );
    }

    /// `E0: allOf [E1]`, …, `E{depth}` declares what the previous levels do not: the
    /// properties add up to the end of the chain, however long (it used to stop at 17 levels
    /// and then claim the schema lacked `code`).
    fn all_of_chain(depth: usize, bottom: &str) -> String {
        let mut schemas = String::new();
        for level in 0..depth {
            schemas
                .push_str(&format!("    E{level}:\n      allOf: [{{$ref: '#/components/schemas/E{}'}}]\n", level + 1));
        }
        schemas.push_str(&format!("    E{depth}:\n      properties: {{{bottom}}}\n"));
        doc(
            concat!(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/E0'}}}}\n",
            ),
            &schemas,
        )
    }

    #[test]
    fn properties_add_up_through_all_of_chains_of_any_length() {
        for depth in [16, 17, 40, 5_000] {
            let complete = all_of_chain(depth, "message: {}");
            assert_eq!(lint_text("error-schema", "ed-fi", &complete), Vec::<String>::new(), "{depth} levels");
            let lacking = all_of_chain(depth, "detail: {}");
            let found = lint_text("error-schema", "ed-fi", &lacking);
            assert_eq!(found.len(), 1, "{depth} levels: {found:?}");
            assert!(found[0].contains("lacks `message`"), "{depth} levels: {found:?}");
        }
    }

    /// Schemas that reach each other through `allOf` add up what the whole cycle declares:
    /// neither is told it lacks what the other declares.
    #[test]
    fn a_cycle_through_all_of_adds_up_the_whole_cycle() {
        let text = doc(
            concat!(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}\n",
                "        '500': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}\n",
            ),
            concat!(
                "    A:\n      allOf: [{$ref: '#/components/schemas/B'}]\n      properties: {code: {}, type: {}}\n",
                "    B:\n      allOf: [{$ref: '#/components/schemas/A'}]\n      properties: {message: {}}\n",
            ),
        );
        assert_eq!(lint_text("error-schema", "ed-fi", &text), Vec::<String>::new());
    }

    #[test]
    fn properties_add_up_through_all_of_and_must_be_in_every_one_of_branch() {
        let text = doc(
            concat!(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}\n",
            ),
            concat!(
                "    Base:\n      properties: {code: {type: integer}, type: {type: string}}\n",
                "    E:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n",
                "        - oneOf:\n            - properties: {message: {type: string}, a: {}}\n            - properties: {message: {type: string}, b: {}}\n",
            ),
        );
        assert!(lint_text("error-schema", "ed-fi", &text).is_empty());
    }

    #[test]
    fn a_cycle_through_all_of_ends() {
        let text = doc(
            concat!(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}\n",
            ),
            "    E:\n      allOf:\n        - $ref: '#/components/schemas/F'\n    F:\n      allOf:\n        - $ref: '#/components/schemas/E'\n",
        );
        assert_eq!(lint_text("error-schema", "ed-fi", &text).len(), 1);
    }

    #[test]
    fn ed_fi_wants_error_bodies_except_on_401_and_404() {
        let text = doc(
            concat!(
                "  /a/{id}:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '401': {description: d}\n        '404': {description: d}\n        '500': {description: d}\n",
            ),
            "    E: {}\n",
        );
        assert_eq!(
            lint_text("error-schema", "ed-fi", &text),
            ["10:9 GET /a/{id}: 500 Internal Server Error declares no error body"]
        );
    }

    #[test]
    fn a_row_that_states_the_body_optional_is_exempt_and_a_description_may_suffice() {
        let text = doc(
            concat!(
                "  /a/{id}:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: ''}\n        '403': {description: Not yours.}\n",
            ),
            "    E: {}\n",
        );
        // Ed-Fi's 400 "may contain a descriptive error message"; its 403 says nothing.
        assert_eq!(
            lint_text("error-schema", "ed-fi", &text),
            ["9:9 GET /a/{id}: 403 Forbidden declares no error body"]
        );
        // APInf: "The reason of failure must also be specified": a description will do.
        assert_eq!(
            lint_text("error-schema", "apinf", &text),
            ["8:9 GET /a/{id}: 400 Bad Request declares no error body and no description"]
        );
    }

    #[test]
    fn the_odd_error_schema_out_is_reported_and_extensions_pass() {
        let error = "{description: d, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}";
        let text = doc(
            &format!(
                concat!(
                    "  /a:\n    get:\n      responses:\n        '200': {{description: d}}\n        '404': {e}\n        '500': {e}\n",
                    "    post:\n      responses:\n        '200': {{description: d}}\n        '500': {e}\n",
                    "        '422': {{description: d, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Validation'}}}}}}}}\n",
                    "        '400': {{description: d, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Other'}}}}}}}}\n",
                ),
                e = error
            ),
            concat!(
                "    Error:\n      properties: {message: {type: string}}\n",
                "    Validation:\n      allOf:\n        - $ref: '#/components/schemas/Error'\n        - properties: {errors: {type: array}}\n",
                "    Other:\n      properties: {detail: {type: string}}\n",
            ),
        );
        assert_eq!(
            lint_text("error-schema", "recommended", &text),
            [
                "24:5 POST /a: 400 Bad Request declares the error schema `Other`, which differs from `Error`, the one most error responses use"
            ]
        );
    }

    #[test]
    fn a_status_document_answered_with_503_is_not_an_odd_error() {
        let error = "{description: d, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}";
        let health = "{description: d, content: {application/json: {schema: {$ref: '#/components/schemas/Health'}}}}";
        let text = doc(
            &format!(
                "  /a:\n    get:\n      responses:\n        '200': {{description: d}}\n        '400': {error}\n        '500': {error}\n  /health:\n    get:\n      responses:\n        '200': {health}\n        '503': {health}\n"
            ),
            "    Error:\n      properties: {message: {}}\n    Health:\n      properties: {status: {}, checks: {}}\n",
        );
        assert!(lint_text("error-schema", "recommended", &text).is_empty());
    }

    #[test]
    fn a_tie_names_no_majority() {
        let text = doc(
            concat!(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}\n",
                "        '500': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}\n",
            ),
            "    A:\n      properties: {message: {}}\n    B:\n      properties: {detail: {}}\n",
        );
        assert!(lint_text("error-schema", "recommended", &text).is_empty());
    }

    #[test]
    fn problem_details_need_their_media_type_and_members() {
        use crate::checks::ruleset::Ruleset;

        let ruleset = Ruleset::from_str(
            "problems",
            "extends: recommended\nsettings:\n  error_schema:\n    problem_json: true\n    consistent: false\n",
        )
        .unwrap();
        let text = doc(
            concat!(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n",
                "        '400': {description: d, content: {application/problem+json: {schema: {$ref: '#/components/schemas/P'}}}}\n",
                "        '500': {description: d, content: {application/json: {schema: {$ref: '#/components/schemas/P'}}}}\n",
            ),
            "    P:\n      properties: {type: {}, title: {}, detail: {}}\n",
        );
        let findings = crate::checks::test_support::lint_under("error-schema", &ruleset, &text, None);
        let messages: Vec<&str> =
            findings.iter().map(|finding| finding.message.split(" (").next().unwrap_or("")).collect();
        assert_eq!(
            messages,
            [
                "GET /a: 500 Internal Server Error serves its error as `application/json`, not `application/problem+json`",
                "GET /a: 400 Bad Request declares the error schema `P`, which lacks `status`",
            ]
        );
    }

    #[test]
    fn a_string_error_is_not_an_object() {
        let text = doc(
            "  /a:\n    get:\n      responses:\n        '200': {description: d}\n        '400': {description: d, content: {application/json: {schema: {type: string}}}}\n",
            "    E: {}\n",
        );
        assert_eq!(
            lint_text("error-schema", "ed-fi", &text),
            ["8:62 GET /a: 400 Bad Request declares an inline error schema, which is a string, not an object"]
        );
    }
}
