use crate::model::{Method, Operation, OperationKind, Response, SpecVersion};

use super::ruleset::{Body, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check, fixes};

declare_check! {
    /// ## What it does
    /// Checks that a response whose row in the ruleset's table says `body: required` (200
    /// OK in most tables) declares a body: `content` in OpenAPI 3.x, a `schema` in Swagger
    /// 2.0. HEAD and OPTIONS operations are skipped: a HEAD response never carries content,
    /// and an OPTIONS response (a CORS preflight, say) is answered in headers. So are
    /// webhooks: their responses are the subscriber's acknowledgement, whose body the
    /// provider ignores (GitHub: "Return a 200 status to indicate that the data was received
    /// successfully"). A row may rule the body out for some operations
    /// (`body_forbidden_when`): Ed-Fi's 200 carries no body when it answers a POST that
    /// creates (an upsert: "A POST response will not contain a body").
    ///
    /// Platform idioms: an empty 200 that the operation's other codes tell apart from the
    /// other outcomes is not reported. Azure Resource Manager documents DELETE as 200 (deleted)
    /// and 204 (there was nothing to delete), both empty, and an operation marked
    /// `x-ms-long-running-operation` as 200 when done and 202 when accepted: there the 200 says
    /// which outcome it was, not that content comes back. An empty 200 beside an empty 202
    /// on an operation not so marked is still reported.
    ///
    /// ## Why is this bad?
    /// Codemify: "Unlike the 204 status code, a 200 response includes a response body."
    /// Ed-Fi: 200 is "Returned after a successful operation when a response contains a
    /// body", and 204 "when the server has fulfilled the request, but does not return an
    /// entity body". A 200 declared without a body leaves clients and generated code
    /// guessing what comes back; if nothing does, 204 No Content says so.
    ///
    /// ## Example
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
    /// ```
    pub BodyRequired, id: "body-required", severity: Warning, summary: "Responses the table says carry content (200 in most tables) declare a body",
    reads: "rows with `body: required`",
    fix: Unsafe "renames a bodiless 200 to 204 where the operation declares no 204"
}

impl Check for BodyRequired {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let rows: Vec<String> = ruleset
            .codes()
            .filter(|row| row.stated_body() == Body::Required)
            .map(|row| {
                let exceptions: Vec<String> = row.body_forbidden_when.iter().map(|when| when.describe()).collect();
                if exceptions.is_empty() {
                    row.label()
                } else {
                    format!("{} (none {})", row.label(), exceptions.join(", or "))
                }
            })
            .collect();
        if rows.is_empty() {
            return vec!["no code requires a body".to_owned()];
        }
        vec![format!("a body on {}", rows.join(", "))]
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        // HEAD never has content; OPTIONS answers in headers; a webhook's responses are
        // what the subscriber answers, and providers read only the status.
        if matches!(operation.method, Method::Head | Method::Options) || operation.kind == OperationKind::Webhook {
            return;
        }
        let Some(responses) = &operation.responses else { return };
        let mut facts = None;
        for response in &responses.entries {
            // A `$ref` that did not resolve leaves nothing to look at (it was reported).
            if response.has_body() || !response.resolved {
                continue;
            }
            let Some(row) = cx.ruleset.row(&response.code) else { continue };
            let body = if row.body_forbidden_when.is_empty() {
                row.stated_body()
            } else {
                row.body_for(facts.get_or_insert_with(|| cx.facts(operation)))
            };
            if body != Body::Required || tells_outcomes_apart(operation, response) {
                continue;
            }
            let reason = if row.note.is_empty() { "the table says it carries a body" } else { row.note.as_str() };
            let what = format!("{} {} declares no body ({}: {reason})", response.code.text, row.name, row.origin);
            let declare = if cx.api.version == SpecVersion::Swagger2 { "a `schema`" } else { "its `content`" };
            let no_content_declared = responses.exact(204).is_some();
            let help = if no_content_declared {
                format!("declare {declare}: the operation already answers 204 when there is nothing to return")
            } else {
                format!("declare {declare}, or answer 204 No Content if nothing is returned")
            };
            // An empty 200 said plainly: 204. Clients checking for 200 break, so unsafe; only
            // for a response of this operation alone, and where no 204 is declared yet.
            let no_content = (response.code.exact() == Some(200) && !no_content_declared && response.chain.is_empty())
                .then(|| {
                    fixes::rename_code(cx.workspace, response, "204", "Answer 204 No Content instead of 200".to_owned())
                })
                .flatten();
            let report = cx.report_definition(operation, response, None, what).help(help);
            if let Some(fix) = no_content {
                report.fix(fix);
            }
        }
    }
}

/// Whether an empty 200 is one of several empty codes that tell the outcomes apart (Azure
/// Resource Manager): a DELETE beside 204 (there was nothing to delete), or a long-running
/// operation beside 202 (accepted, not done).
fn tells_outcomes_apart(operation: &Operation, response: &Response) -> bool {
    let Some(responses) = &operation.responses else { return false };
    if response.code.exact() != Some(200) {
        return false;
    }
    let empty = |code: u16| responses.exact(code).is_some_and(|other| !other.has_body());
    (operation.method == Method::Delete && empty(204)) || (operation.long_running && empty(202))
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    fn document(method: &str, responses: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    {method}:\n      responses:\n{responses}"
        )
    }

    const EMPTY_200: &str = "        '200':\n          description: d\n";

    #[test]
    fn an_empty_200_is_reported_at_its_key() {
        let findings = lint_text("body-required", "recommended", &document("delete", EMPTY_200));
        assert_eq!(findings, ["7:9 DELETE /a: 200 OK declares no body"]);
    }

    #[test]
    fn azure_resource_manager_tells_outcomes_apart_by_code() {
        let delete = "        '200': {description: Deleted.}\n        '204': {description: Nothing to delete.}\n";
        assert!(lint_text("body-required", "recommended", &document("delete", delete)).is_empty());
        let long_running =
            document("post", "        '200': {description: Done.}\n        '202': {description: Accepted.}\n")
                .replace("      responses:", "      x-ms-long-running-operation: true\n      responses:");
        assert!(lint_text("body-required", "recommended", &long_running).is_empty());
        // Not so marked, an empty 200 beside 202 is still reported.
        let unmarked =
            document("post", "        '200': {description: Done.}\n        '202': {description: Accepted.}\n");
        assert_eq!(lint_text("body-required", "recommended", &unmarked), ["7:9 POST /a: 200 OK declares no body"]);
    }

    #[test]
    fn ed_fi_asks_no_body_of_an_upserts_200() {
        let upsert =
            document("post", "        '200': {description: Updated.}\n        '201': {description: Created.}\n");
        assert!(lint_text("body-required", "ed-fi", &upsert).is_empty());
        assert_eq!(lint_text("body-required", "codemify", &upsert), ["7:9 POST /a: 200 OK declares no body"]);
    }

    #[test]
    fn head_and_options_are_skipped() {
        for method in ["head", "options"] {
            assert!(lint_text("body-required", "ed-fi", &document(method, EMPTY_200)).is_empty(), "{method}");
        }
    }

    #[test]
    fn webhooks_are_skipped() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post:\n      responses:\n        '200':\n          description: d\n";
        assert!(lint_text("body-required", "ed-fi", text).is_empty());
    }

    #[test]
    fn a_body_or_a_table_without_the_requirement_passes() {
        let with_body = "        '200':\n          description: d\n          content:\n            text/plain: {}\n";
        assert!(lint_text("body-required", "codemify", &document("get", with_body)).is_empty());
        assert!(lint_text("body-required", "apinf", &document("get", EMPTY_200)).is_empty());
    }

    #[test]
    fn swagger_2_reads_the_schema() {
        let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n          schema: {type: string}\n        '201':\n          description: d\n";
        assert!(lint_text("body-required", "ed-fi", text).is_empty());
        let text = text.replace("          schema: {type: string}\n", "");
        assert_eq!(lint_text("body-required", "ed-fi", &text), ["7:9 GET /a: 200 OK declares no body"]);
    }
}
