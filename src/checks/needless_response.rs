use std::collections::{BTreeMap, BTreeSet};

use crate::model::schema::{Shapes, body_schemas};
use crate::model::{CodeKind, Method, Operation, OperationKind, Response, Responses};
use crate::resolve::{NodeRef, Workspace};

use super::ruleset::{CodeRow, Declare, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks the responses to codes the ruleset's table marks `declare: if_specific`: codes
    /// whose meaning is well understood, to be declared only where the response adds
    /// something to it. A response adds something when it declares
    ///
    /// - a header the operation's `default` response does not declare (`Retry-After` on a
    ///   429, say), or a vendor extension (eBay's `x-response-codes` listing the errors a
    ///   500 carries; not `x-ms-error-response`, which only marks the code an error);
    /// - a body other than `default`'s: a different schema, or none where `default` has one
    ///   (Azure's `404` of an existence check, which is no error); without a `default`, a
    ///   body that is neither in the error shape of `settings.error_schema` (problem details
    ///   under `problem_json`, the `required_properties`) nor the body of an error response
    ///   of another code anywhere in the document (then it is the API's error shape);
    /// - with `settings.specific_response.description`, a description that says more than
    ///   the code's name: words other than the reason phrase's, the path's and stock words
    ///   such as "the", "resource", "request", "error", "missing", "invalid".
    ///
    /// Nor is a response where the row's `specific_when` holds: where the guideline itself
    /// names the code as worth declaring (Zalando's 404 "for endpoints with parameters when
    /// those parameters cannot be map to an existing entity"); nor one its `forbidden_when`
    /// rules out, which `error-responses` reports (Azure's 404 on a DELETE).
    ///
    /// Any other such response is reported: at its key, or once at its definition when it
    /// is shared through `$ref`. Range keys (`4XX`), `default`, webhooks and the 404 of a
    /// HEAD (the answer to an existence check, not an error) are left alone.
    /// Zalando marks 401, 403, 404, 406, 410, 412, 415, 428, 429, 431 and 500 to 507 so;
    /// Azure every error code.
    ///
    /// ## Why is this bad?
    /// Zalando, rule 150: "As long as your HTTP status code usage is well covered by the
    /// semantic defined here, you should not describe it to avoid an overload with common
    /// sense information and the risk of inconsistent definitions"; rule 151: standard
    /// errors "need no individual definition. Instead these can be included by applying
    /// the `default` shown pattern". Azure (`rest-error-use-default-response`): "YOU SHOULD
    /// NOT document specific error status codes in your OpenAPI/Swagger spec unless the
    /// "default" response cannot properly describe the specific error response (e.g. body
    /// schema is different)". Code generators also turn every declared error code into a
    /// type or a branch of their own.
    ///
    /// ## Example
    /// With the `azure` ruleset:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}:
    ///     get:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    ///         "404":
    ///           description: No such pet.
    ///           content:
    ///             application/json:
    ///               schema: {$ref: "#/components/schemas/Error"}
    ///         default:
    ///           description: An error.
    ///           content:
    ///             application/json:
    ///               schema: {$ref: "#/components/schemas/Error"}
    /// components:
    ///   schemas:
    ///     Error:
    ///       type: object
    ///       properties:
    ///         error: {type: object}
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}:
    ///     get:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    ///         default:
    ///           description: An error.
    ///           content:
    ///             application/json:
    ///               schema: {$ref: "#/components/schemas/Error"}
    /// components:
    ///   schemas:
    ///     Error:
    ///       type: object
    ///       properties:
    ///         error: {type: object}
    /// ```
    pub NeedlessResponse, id: "needless-response", severity: Info, summary: "Well-understood codes (the table's `declare: if_specific`) are declared only where the response adds something `default` does not say",
    reads: "rows with `declare: if_specific` and their `specific_when`, `settings.specific_response`, `settings.error_schema`"
}

impl Check for NeedlessResponse {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let rows: Vec<String> =
            ruleset.codes().filter(|row| row.declare == Declare::IfSpecific).map(|row| row.key.to_string()).collect();
        if rows.is_empty() {
            return vec!["no code is marked `declare: if_specific`".to_owned()];
        }
        let mut notes = vec![format!("declared only with something specific: {}", rows.join(", "))];
        if ruleset.settings().specific_response.description {
            notes.push("a description that says more than the code's name is specific".to_owned());
        }
        notes
    }

    fn check_api(&self, cx: &mut CheckContext<'_>) {
        let api = cx.api;
        if !cx.ruleset.codes().any(|row| row.declare == Declare::IfSpecific) {
            return;
        }
        let error_bodies = error_bodies(cx.workspace, api);
        let mut shapes = Shapes::new(cx.workspace);
        for operation in &api.operations {
            // A webhook's responses are sent by the subscriber, not by the API the table governs.
            if operation.kind == OperationKind::Webhook {
                continue;
            }
            let Some(responses) = &operation.responses else { continue };
            for response in &responses.entries {
                // A `$ref` that did not resolve leaves nothing to compare (it was reported).
                if !response.resolved || !matches!(response.code.kind, CodeKind::Exact(_)) {
                    continue;
                }
                let Some(row) = cx.ruleset.row(&response.code) else { continue };
                // A HEAD's 404 is the answer to an existence check (Azure's `CheckExistence`),
                // no error `default` could stand for.
                let existence_check = operation.method == Method::Head && response.code.exact() == Some(404);
                if row.declare != Declare::IfSpecific || existence_check {
                    continue;
                }
                let context = Context { workspace: cx.workspace, ruleset: cx.ruleset, error_bodies: &error_bodies };
                if adds_something(&context, &mut shapes, operation, responses, response) {
                    continue;
                }
                // Where the guideline itself names the code as worth declaring; where it rules
                // the code out, `error-responses` says so (Azure's 404 on DELETE).
                let ruled = !row.specific_when.is_empty() || !row.forbidden_when.is_empty();
                if ruled {
                    let facts = cx.facts(operation);
                    if row.is_specific_for(&facts) || row.is_forbidden(&facts) {
                        continue;
                    }
                }
                cx.set_operation(Some(operation));
                report(cx, operation, responses, response, row);
            }
        }
        cx.set_operation(None);
    }
}

/// What judging a response needs besides the response.
struct Context<'a> {
    workspace: &'a Workspace,
    ruleset: &'a Ruleset,
    /// Each error body of the document (its schema targets) with the codes that declare it.
    error_bodies: &'a BTreeMap<BTreeSet<NodeRef>, BTreeSet<String>>,
}

/// The bodies of the document's error responses, each with the codes that declare it.
fn error_bodies(workspace: &Workspace, api: &crate::model::Api) -> BTreeMap<BTreeSet<NodeRef>, BTreeSet<String>> {
    let mut bodies: BTreeMap<BTreeSet<NodeRef>, BTreeSet<String>> = BTreeMap::new();
    for (_, response) in api.error_responses() {
        let targets = body_targets(workspace, response);
        if !targets.is_empty() {
            bodies.entry(targets).or_default().insert(response.code.text.clone());
        }
    }
    bodies
}

fn report(cx: &mut CheckContext<'_>, operation: &Operation, responses: &Responses, response: &Response, row: &CodeRow) {
    let label = cx.ruleset.response_label(&response.code);
    let reason = if row.note.is_empty() { "a well-understood code".to_owned() } else { row.note.clone() };
    let what = match responses.default() {
        Some(_) => format!("{label} adds nothing to what `default` says ({}: {reason})", row.origin),
        None => format!("{label} adds nothing to the code's standard meaning ({}: {reason})", row.origin),
    };
    let help = match responses.default() {
        Some(_) => format!(
            "remove `{}` and let `default` cover it; declare it only with something of its own (a header, a body `default` does not describe{})",
            response.code.text,
            description_clause(cx.ruleset)
        ),
        None => format!(
            "describe the standard errors once with a `default` response and remove `{}`; declare it only with something of its own (a header, a body of its own{})",
            response.code.text,
            description_clause(cx.ruleset)
        ),
    };
    cx.report_definition(operation, response, None, what).help(help);
}

fn description_clause(ruleset: &Ruleset) -> &'static str {
    if ruleset.settings().specific_response.description {
        ", a description of when this operation answers with it"
    } else {
        ""
    }
}

/// Whether the response says something the code's standard meaning (and `default`) does not.
fn adds_something(
    context: &Context<'_>,
    shapes: &mut Shapes<'_>,
    operation: &Operation,
    responses: &Responses,
    response: &Response,
) -> bool {
    let (workspace, ruleset) = (context.workspace, context.ruleset);
    let default = responses.default();
    let new_header =
        response.headers.iter().any(|header| default.is_none_or(|default| default.header(&header.name).is_none()));
    if new_header || has_own_extension(workspace, response) {
        return true;
    }
    let own_body = match default {
        Some(default) => body_targets(workspace, response) != body_targets(workspace, default),
        None => {
            response.has_body()
                && !in_error_shape(workspace, ruleset, shapes, response)
                && !shares_body_with_other_errors(context, response)
        }
    };
    if own_body {
        return true;
    }
    ruleset.settings().specific_response.description
        && response.description.as_deref().is_some_and(|text| says_more_than_its_name(text, response, operation))
}

/// Extensions that only classify a response (AutoRest's "this code is an error"), saying
/// nothing of when the operation answers with it.
const CLASSIFYING_EXTENSIONS: [&str; 1] = ["x-ms-error-response"];

/// Whether the response carries a vendor extension of its own: eBay lists the error codes
/// a 500 may carry in `x-response-codes`, something `default` does not say.
fn has_own_extension(workspace: &Workspace, response: &Response) -> bool {
    let tree = workspace.tree(response.node.file);
    tree.entries(response.node.node).iter().any(|entry| {
        let key = tree.key_text(entry);
        key.starts_with("x-") && !CLASSIFYING_EXTENSIONS.iter().any(|classifying| key.eq_ignore_ascii_case(classifying))
    })
}

/// The schemas a response's body resolves to (empty for no body): two responses with the
/// same targets describe the same body.
fn body_targets(workspace: &Workspace, response: &Response) -> BTreeSet<NodeRef> {
    body_schemas(response).into_iter().filter_map(|(_, schema)| workspace.deref(schema)).collect()
}

/// Whether an error response of another code, anywhere in the document, declares the
/// same body: then the body is the API's error shape, and says nothing of this code.
fn shares_body_with_other_errors(context: &Context<'_>, response: &Response) -> bool {
    let targets = body_targets(context.workspace, response);
    context.error_bodies.get(&targets).is_some_and(|codes| codes.iter().any(|code| *code != response.code.text))
}

/// Whether every schema of the body is in the ruleset's error shape; `false` where the
/// ruleset prescribes none (any body then is the operation's own).
fn in_error_shape(workspace: &Workspace, ruleset: &Ruleset, shapes: &mut Shapes<'_>, response: &Response) -> bool {
    let shape = &ruleset.settings().error_schema;
    if shape.is_any() {
        return false;
    }
    let schemas = body_schemas(response);
    if schemas.is_empty() {
        // A body without a schema says nothing of its own.
        return true;
    }
    schemas.iter().all(|(media, schema)| {
        let Some(target) = workspace.deref(*schema) else { return true };
        let read = shapes.of(target);
        let problem = shape.problem_json
            && (media.name.to_ascii_lowercase().contains("problem+json")
                || ["type", "title", "status"].iter().all(|name| read.properties.contains(*name)));
        let required = !shape.required_properties.is_empty()
            && shape.required_properties.iter().all(|name| read.properties.contains(name));
        problem || required
    })
}

/// Words a description of a standard error may hold without saying anything specific.
#[rustfmt::skip]
const STOCK_WORDS: &[&str] = &[
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "has", "have", "had", "not", "no", "or", "and",
    "of", "for", "to", "in", "on", "by", "with", "this", "that", "it", "its", "if", "when", "does", "do", "did",
    "can", "could", "cannot", "request", "requested", "requests", "resource", "resources", "entity", "object",
    "error", "errors", "response", "returned", "occurred", "occurs", "status", "code", "http", "client", "server",
    "user", "caller", "operation", "endpoint", "api", "service", "problem", "details", "see", "more", "information",
    "missing", "invalid", "valid", "failed", "failure", "unexpected", "internal", "unknown", "generic", "general",
    "exist", "exists", "found", "access", "denied", "allowed", "permission", "permissions", "token", "credentials",
    "authentication", "authenticated", "unauthenticated", "authorization", "authorized", "unauthorized", "forbidden",
    "temporarily", "unavailable", "available", "too", "many", "rate", "limit", "limits", "exceeded", "bad",
    "malformed", "input", "parameter", "parameters", "given", "provided", "supplied", "id", "identifier",
    "precondition", "conflict", "gone", "timeout", "gateway", "implemented", "supported", "unsupported", "media",
    "type", "content", "acceptable", "json", "please", "try", "again", "later", "e", "g", "etc",
];

/// Whether a description says more than the code's reason phrase and stock words: "Order
/// already shipped" on a 409 does, "Not found" or "Resource not found" on a 404 does not.
/// Words of the path count as stock: "Order not found" on `/orders/{id}` says nothing new.
fn says_more_than_its_name(description: &str, response: &Response, operation: &Operation) -> bool {
    let name = response.code.exact().and_then(crate::model::reason_phrase).unwrap_or("");
    let known: BTreeSet<String> = words(name).into_iter().chain(words(&operation.path)).collect();
    words(description).into_iter().any(|word| {
        let singular = word.strip_suffix('s').unwrap_or(&word);
        !word.chars().all(|ch| ch.is_ascii_digit())
            && !STOCK_WORDS.contains(&word.as_str())
            && !known.contains(&word)
            && !known.contains(singular)
            && !known.iter().any(|known| known.strip_suffix('s') == Some(word.as_str()))
    })
}

/// Lower-case words: runs of letters and digits, split at case changes too (`orderId`).
fn words(text: &str) -> Vec<String> {
    super::ruleset::identifier_words(text)
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    const ERROR: &str = "components:\n  schemas:\n    Error:\n      type: object\n      properties:\n        error: {type: object}\n    Other:\n      type: object\n      properties:\n        reason: {type: string}\n";

    fn document(extra: &str, default: bool) -> String {
        let default = if default {
            "        default:\n          description: An error.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Error'}\n"
        } else {
            ""
        };
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /orders/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: d\n{extra}{default}{ERROR}"
        )
    }

    fn error_response(code: &str, description: &str, schema: &str) -> String {
        format!(
            "        '{code}':\n          description: {description}\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}\n"
        )
    }

    #[test]
    fn an_error_default_describes_is_reported() {
        let text = document(&error_response("404", "Not found.", "Error"), true);
        assert_eq!(
            lint_text("needless-response", "azure", &text),
            ["11:9 GET /orders/{id}: 404 Not Found adds nothing to what `default` says"]
        );
    }

    #[test]
    fn another_body_or_a_header_is_specific() {
        let other = document(&error_response("404", "Not found.", "Other"), true);
        assert!(lint_text("needless-response", "azure", &other).is_empty());
        let no_body = document("        '404':\n          description: The order does not exist.\n", true);
        assert!(lint_text("needless-response", "azure", &no_body).is_empty());
        let header = document(
            &format!(
                "{}          headers:\n            Retry-After: {{schema: {{type: integer}}}}\n",
                error_response("429", "Slow down.", "Error")
            ),
            true,
        );
        assert!(lint_text("needless-response", "azure", &header).is_empty());
    }

    #[test]
    fn a_description_counts_where_the_ruleset_says() {
        let stock = document(&error_response("403", "Order access denied", "Error"), true);
        assert_eq!(lint_text("needless-response", "zalando", &stock).len(), 1);
        let specific = document(&error_response("403", "Only the buyer may read an order", "Error"), true);
        assert!(lint_text("needless-response", "zalando", &specific).is_empty());
        assert_eq!(lint_text("needless-response", "azure", &specific).len(), 1);
    }

    #[test]
    fn without_default_the_error_shape_is_standard() {
        let stock = document(&error_response("404", "Not found", "Error"), false);
        assert_eq!(lint_text("needless-response", "azure", &stock).len(), 1);
        let own = document(&error_response("404", "Not found", "Other"), false);
        assert!(lint_text("needless-response", "azure", &own).is_empty());
    }

    #[test]
    fn where_the_guideline_names_the_code_it_is_not_reported() {
        // Zalando's 404 "for endpoints with parameters": `specific_when` on the row.
        let with_parameter = document(&error_response("404", "Not found", "Error"), true);
        assert_eq!(lint_text("needless-response", "azure", &with_parameter).len(), 1);
        assert!(lint_text("needless-response", "zalando", &with_parameter).is_empty());
        let collection = with_parameter
            .replace("/orders/{id}", "/orders")
            .replace("      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n", "");
        assert_eq!(
            lint_text("needless-response", "zalando", &collection),
            ["9:9 GET /orders: 404 Not Found adds nothing to what `default` says"]
        );
    }

    #[test]
    fn a_vendor_extension_is_specific_but_an_error_marker_is_not() {
        let listed = document(
            &format!(
                "{}          x-response-codes: {{errors: [54000]}}\n",
                error_response("500", "Internal error", "Error")
            ),
            true,
        );
        assert!(lint_text("needless-response", "azure", &listed).is_empty());
        let marked = document(
            &format!("{}          x-ms-error-response: true\n", error_response("500", "Internal error", "Error")),
            true,
        );
        assert_eq!(lint_text("needless-response", "azure", &marked).len(), 1);
    }

    #[test]
    fn a_code_the_row_rules_out_is_left_to_error_responses() {
        let delete = document(&error_response("404", "Not found.", "Error"), true).replace("    get:", "    delete:");
        assert!(lint_text("needless-response", "azure", &delete).is_empty());
        assert_eq!(lint_text("error-responses", "azure", &delete).len(), 1);
    }

    #[test]
    fn a_head_404_is_an_existence_check() {
        let head =
            document("        '404':\n          description: Not found.\n", false).replace("    get:", "    head:");
        assert!(lint_text("needless-response", "azure", &head).is_empty());
    }

    #[test]
    fn codes_to_document_and_other_tables_pass() {
        let conflict = document(&error_response("409", "Conflict", "Error"), true);
        assert!(lint_text("needless-response", "zalando", &conflict).is_empty());
        let text = document(&error_response("404", "Not found.", "Error"), true);
        assert!(lint_text("needless-response", "recommended", &text).is_empty());
    }
}
