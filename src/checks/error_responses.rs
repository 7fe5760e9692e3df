use crate::model::{CodeKind, Operation, OperationKind, Responses};

use super::ruleset::{Condition, OperationFacts, Ruleset, TableKey};
use super::{Check, CheckContext, CheckMeta, declare_check, fixes};
use crate::finding::Fix;
use crate::resolve::{FileId, NodeRef};

declare_check! {
    /// ## What it does
    /// Checks that an operation declares the error codes its ruleset's table requires of
    /// it (the rows' `required_when`): 400 where the operation takes input, 401 where it
    /// is secured, 404 where the path has parameters, and in Ed-Fi also 403, 409 on
    /// writes and 500 everywhere. And that it does not declare a code where the table
    /// says the code cannot happen (`forbidden_when`): 401 on an operation that needs no
    /// credentials. Whether a `default` or a range key (`4XX`) counts as declaring a
    /// required code is a ruleset setting.
    ///
    /// An operation counts as secured when its effective `security` (its own, else the
    /// document's) needs credentials on every alternative, and as public when it is
    /// declared empty (`security: []`, or only `{}`). A document that declares no security
    /// schemes at all is neither: nothing is required or forbidden on that account. Nor is
    /// the OAuth token endpoint (a POST to the path of a security scheme's `tokenUrl` or
    /// `refreshUrl`, the server's base path allowed for): it hands out the credentials
    /// whatever the document's blanket `security` says. Webhooks are not checked: their
    /// responses are the receiver's.
    ///
    /// Conditions can tell a resource from an action (`action`): Ed-Fi asks 409 of writes
    /// to resources, not of `PUT /applications/{id}/reset-credential`.
    ///
    /// One finding per cause: an operation that misses several required codes gets one
    /// finding naming them all ("declares no 400, 401 or 404"). Where no operation of the
    /// document declares any error response at all (no 4xx or 5xx code, range or
    /// `default`), that is one decision, not one slip per operation: it is reported once,
    /// at the document's `paths`, with every operation concerned in `used_by` (suppressed
    /// or overridden when every one of them is).
    ///
    /// Input is a request body, or a query, form, cookie or header parameter; the
    /// `Authorization`, `Accept`, `Content-Type` and conditional `If-*` headers have codes
    /// of their own (401, 406, 415, 304 and 412) and do not count. A first path parameter
    /// that only selects the API version (`/calendars/{version}`), or one whose `enum` has a
    /// single value, names no resource that could be missing. Where the table lists 422
    /// Unprocessable Content, a declared 422 answers for a required 400.
    ///
    /// ## Why is this bad?
    /// A client generated from the document knows only the errors the document lists;
    /// the rest arrive as surprises. Ed-Fi's required codes "must be used when responding
    /// to requests": 400 "if the request is malformed", 401 "if the access token is
    /// invalid", 404 "if a resource is not found", 409 on "any type of referential
    /// integrity violation", 500 "if the server encountered an unexpected error". APInf:
    /// 400 "e.g. because of missing parameter". A 401 on an operation without security is
    /// the opposite mistake: a request that sends no credentials cannot fail to
    /// authenticate (RFC 9110, 15.5.2).
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
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
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
    ///         "404":
    ///           description: No pet has this id.
    /// ```
    pub ErrorResponses, id: "error-responses", severity: Info, summary: "Operations declare the error codes the table requires of them, and none it rules out",
    reads: "rows' `required_when` and `forbidden_when`, `default_satisfies_required`, `ranges_satisfy_required`",
    fix: Safe "declares the missing codes as `$ref`s to the document's shared error response, where it has exactly one"
}

impl Check for ErrorResponses {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let mut notes: Vec<String> = ruleset
            .codes()
            .flat_map(|row| {
                let required = (!row.required_when.is_empty())
                    .then(|| format!("{} {}", row.label(), describe_any(&row.required_when)));
                let forbidden = (!row.forbidden_when.is_empty())
                    .then(|| format!("no {} {}", row.key, describe_any(&row.forbidden_when)));
                required.into_iter().chain(forbidden)
            })
            .collect();
        if notes.is_empty() {
            return notes;
        }
        let settings = ruleset.settings();
        notes.push(
            match (settings.default_satisfies_required, settings.ranges_satisfy_required) {
                (true, true) => "`default` and range keys (`4XX`) count",
                (true, false) => "`default` counts, range keys do not",
                (false, true) => "range keys (`4XX`) count, `default` does not",
                (false, false) => "neither `default` nor range keys count",
            }
            .to_owned(),
        );
        notes
    }

    fn check_api(&self, cx: &mut CheckContext<'_>) {
        let api = cx.api;
        let operations: Vec<&Operation> =
            api.operations.iter().filter(|operation| operation.kind != OperationKind::Webhook).collect();
        // No error response anywhere: one decision, reported once (see the docs above).
        let none_declared = operations.len() >= 2
            && operations.iter().all(|operation| {
                operation.responses.as_ref().is_none_or(|responses| !responses.entries.iter().any(declares_error))
            });
        let shared = SharedErrorResponse::find(cx);
        let mut concerned: Vec<(&Operation, Vec<Missing>)> = Vec::new();
        for &operation in &operations {
            let Some(responses) = &operation.responses else { continue };
            cx.set_operation(Some(operation));
            let facts = cx.facts(operation);
            let missing = missing(cx, responses, &facts);
            if none_declared {
                if !missing.is_empty() {
                    concerned.push((operation, missing));
                }
            } else {
                let fix = shared.as_ref().and_then(|shared| shared.fix(cx, responses, &missing));
                report_missing(cx, operation, responses, &missing, fix);
            }
            report_ruled_out(cx, operation, responses, &facts);
        }
        cx.set_operation(None);
        report_none_declared(cx, &concerned);
    }
}

/// Whether a response is an error response: a 4xx or 5xx code or range, or `default`.
fn declares_error(response: &crate::model::Response) -> bool {
    match response.code.kind {
        CodeKind::Exact(code) => code >= 400,
        CodeKind::Range(class) => class >= 4,
        CodeKind::Default => true,
        _ => false,
    }
}

/// A required code an operation does not declare, and why it is required.
struct Missing {
    key: TableKey,
    /// The ruleset the row comes from.
    origin: String,
    /// "recommended: 404 Not Found is required where there are path parameters"
    reason: String,
    help: String,
}

/// The codes the table requires of the operation that it does not declare, in table order.
fn missing(cx: &CheckContext<'_>, responses: &Responses, facts: &OperationFacts) -> Vec<Missing> {
    let ruleset = cx.ruleset;
    let settings = ruleset.settings();
    let declared = |key: TableKey| responses.entries.iter().any(|response| settings.satisfies(key, &response.code));
    // Where the table knows 422, a declared 422 answers for 400: both tell the client its
    // input was wrong, and APIs such as GitHub's answer invalid input with 422.
    let answers_bad_request =
        ruleset.codes().any(|row| row.key == TableKey::Code(422)) && responses.exact(422).is_some();
    let mut missing = Vec::new();
    for row in ruleset.codes() {
        // A table that requires a code for a method it does not allow contradicts itself;
        // `code-allowed-for-method` has the last word.
        if !row.allows_method(facts.method) {
            continue;
        }
        let Some(condition) = row.required_when.iter().find(|condition| condition.holds(facts)) else { continue };
        if declared(row.key) || (row.key == TableKey::Code(400) && answers_bad_request) {
            continue;
        }
        let uncounted = responses.entries.iter().find(|response| {
            let range_of_row = response.code.kind == CodeKind::Range(row.key.class()) && !row.key.is_range();
            (response.code.kind == CodeKind::Default && !settings.default_satisfies_required)
                || (range_of_row && !settings.ranges_satisfy_required)
        });
        let mut help = String::new();
        if let Some(uncounted) = uncounted {
            help.push_str(&format!(
                "; `{}` does not count for {} under the `{}` ruleset",
                uncounted.code.text,
                row.key,
                ruleset.name()
            ));
        }
        if condition.secured == Some(true) {
            help.push_str("; if the operation needs no credentials, say so with `security: []`");
        }
        missing.push(Missing {
            key: row.key,
            origin: row.origin.to_string(),
            reason: format!("{} is required {}", row.label(), condition.describe()),
            help,
        });
    }
    missing
}

/// "recommended: 400 Bad Request is required where ...; 404 Not Found is required where
/// ...", each ruleset named once.
fn reasons(missing: &[Missing]) -> String {
    let mut out = String::new();
    let mut origin: Option<&str> = None;
    for (index, item) in missing.iter().enumerate() {
        if index > 0 {
            out.push_str("; ");
        }
        if origin != Some(item.origin.as_str()) {
            out.push_str(&item.origin);
            out.push_str(": ");
            origin = Some(&item.origin);
        }
        out.push_str(&item.reason);
    }
    out
}

/// "400, 401 or 404"
fn codes_or(missing: &[Missing]) -> String {
    let codes: Vec<String> = missing.iter().map(|missing| missing.key.to_string()).collect();
    match codes.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The required codes an operation misses, in one finding at its `responses` key.
fn report_missing(
    cx: &mut CheckContext<'_>,
    operation: &Operation,
    responses: &Responses,
    missing: &[Missing],
    fix: Option<Fix>,
) {
    if missing.is_empty() {
        return;
    }
    let message = format!("{} declares no {} ({})", operation.label(), codes_or(missing), reasons(missing));
    let codes: Vec<String> = missing.iter().map(|missing| format!("`{}`", missing.key)).collect();
    let (responses_word, codes) = match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => ("responses", format!("{} and {last}", rest.join(", "))),
        _ => ("response", codes.join("")),
    };
    let mut help = format!("declare the {codes} {responses_word}");
    for extra in missing.iter().map(|missing| missing.help.as_str()).filter(|help| !help.is_empty()) {
        if !help.contains(extra) {
            help.push_str(extra);
        }
    }
    let report = cx.report(responses.node, message).help(help).codes(missing.iter().map(|missing| missing.key));
    if let Some(fix) = fix {
        report.fix(fix);
    }
}

/// The one response definition every `$ref`'d error response of the document resolves
/// to (`#/components/responses/Error`), with the `$ref` as each file writes it.
struct SharedErrorResponse {
    target: NodeRef,
    /// The file of a `$ref` to it, and the reference as written there.
    written: Vec<(FileId, String)>,
}

impl SharedErrorResponse {
    /// `None` when the document's error responses refer to no shared definition, or to
    /// more than one (which one a missing code should use would be a guess).
    fn find(cx: &CheckContext<'_>) -> Option<SharedErrorResponse> {
        let mut found: Option<SharedErrorResponse> = None;
        for (_, response) in cx.api.error_responses() {
            let Some(&first_ref) = response.chain.first() else { continue };
            match &mut found {
                Some(shared) if shared.target != response.node => return None,
                Some(_) => {}
                None => found = Some(SharedErrorResponse { target: response.node, written: Vec::new() }),
            }
            let written = cx.workspace.get(first_ref, "$ref").and_then(|reference| cx.workspace.str(reference));
            if let (Some(shared), Some(reference)) = (&mut found, written) {
                if !shared.written.iter().any(|(file, _)| *file == first_ref.file) {
                    shared.written.push((first_ref.file, reference.to_owned()));
                }
            }
        }
        found
    }

    /// Declare the missing codes as `$ref`s to it, in the operation's `responses`.
    fn fix(&self, cx: &CheckContext<'_>, responses: &Responses, missing: &[Missing]) -> Option<Fix> {
        let codes: Vec<String> = missing
            .iter()
            .map(|missing| match missing.key {
                TableKey::Code(code) => Some(code.to_string()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let file = responses.node.file;
        let reference = match self.written.iter().find(|(written_in, _)| *written_in == file) {
            Some((_, reference)) => reference.clone(),
            None if self.target.file == file => format!("#{}", cx.workspace.pointer(self.target)),
            None => return None,
        };
        fixes::add_referenced_responses(cx.workspace, responses.node, &codes, &reference)
    }
}

/// Where no operation declares an error response: one finding at `paths`.
fn report_none_declared(cx: &mut CheckContext<'_>, concerned: &[(&Operation, Vec<Missing>)]) {
    let Some((first, first_missing)) = concerned.first() else { return };
    let mut codes: Vec<TableKey> = concerned.iter().flat_map(|(_, missing)| missing.iter().map(|m| m.key)).collect();
    codes.sort_unstable();
    codes.dedup();
    let codes: Vec<String> = codes.iter().map(ToString::to_string).collect();
    // The operations concerned are in `used_by`, not the message: a new one does not
    // change the finding's fingerprint.
    let message = match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!(
            "no operation declares an error response, though the table asks {} or {last} of them",
            rest.join(", ")
        ),
        _ => format!("no operation declares an error response, though the table asks {} of them", codes.join("")),
    };
    let example =
        format!("e.g. {} declares no {} ({})", first.label(), codes_or(first_missing), reasons(first_missing));
    let api = cx.api;
    let at = cx.workspace.get(api.root, "paths").unwrap_or(api.root);
    let users: Vec<&Operation> = concerned.iter().map(|(operation, _)| *operation).collect();
    cx.report_document(at, message, &users).help(format!(
        "{example}. Declare the error responses the table asks for; one shared response in \
             `components/responses` (or `responses` in Swagger 2.0), `$ref`'d from each operation, serves them all"
    ));
}

/// Declared codes the table rules out for this operation, reported at each response key.
fn report_ruled_out(cx: &mut CheckContext<'_>, operation: &Operation, responses: &Responses, facts: &OperationFacts) {
    for response in &responses.entries {
        if !matches!(response.code.kind, CodeKind::Exact(_) | CodeKind::Range(_)) {
            continue;
        }
        let Some(row) = cx.ruleset.row(&response.code) else { continue };
        let Some(condition) = row.forbidden_when.iter().find(|condition| condition.holds(facts)) else { continue };
        let note = if row.note.is_empty() { String::new() } else { format!("; {}", row.note) };
        let message = format!(
            "{} declares {} ({}: {} does not apply {}{note})",
            operation.label(),
            response.code.text,
            row.origin,
            row.label(),
            condition.describe()
        );
        let security = condition.secured.is_some().then_some(operation.security.node).flatten();
        let security_location = security.and_then(|node| cx.workspace.key_location(node));
        let help = match condition.secured {
            Some(false) => {
                format!(
                    "remove the {} response, or declare the `security` the operation really needs",
                    response.code.text
                )
            }
            _ => format!("remove the {} response", response.code.text),
        };
        let security = security_location
            .map(|location| crate::finding::Related { location, label: "the operation's `security`".to_owned() });
        cx.report_response(response, message).help(help).related(security).codes([&response.code.text]);
    }
}

/// A list of conditions, any of which holds.
fn describe_any(conditions: &[Condition]) -> String {
    let described: Vec<String> = conditions.iter().map(Condition::describe).collect();
    described.join(", or ")
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn missing_404_is_reported_at_the_responses_key() {
        let text = format!(
            "{HEAD}paths:\n  /pets/{{id}}:\n    get:\n      responses:\n        '200': {{description: d, content: {{application/json: {{}}}}}}\n"
        );
        assert_eq!(lint_text("error-responses", "recommended", &text), ["6:7 GET /pets/{id} declares no 404"]);
    }

    #[test]
    fn default_and_ranges_count_per_ruleset() {
        let text = format!(
            "{HEAD}paths:\n  /pets/{{id}}:\n    get:\n      responses:\n        '200': {{description: d}}\n        '4XX': {{description: d}}\n"
        );
        assert!(lint_text("error-responses", "recommended", &text).is_empty());
        assert_eq!(lint_text("error-responses", "apinf", &text), ["6:7 GET /pets/{id} declares no 404"]);
    }

    #[test]
    fn secured_operations_need_401_and_public_ones_must_not_declare_it() {
        let text = format!(
            "{HEAD}security: [{{key: []}}]\npaths:\n  /a:\n    get:\n      responses:\n        '200': {{description: d}}\n  /b:\n    get:\n      security: []\n      responses:\n        '200': {{description: d}}\n        '401': {{description: d}}\ncomponents:\n  securitySchemes:\n    key: {{type: apiKey, in: header, name: X-Key}}\n"
        );
        assert_eq!(
            lint_text("error-responses", "recommended", &text),
            ["7:7 GET /a declares no 401", "14:9 GET /b declares 401"]
        );
    }

    #[test]
    fn without_security_schemes_nothing_is_said_about_401() {
        let text = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200': {{description: d}}\n        '401': {{description: d}}\n"
        );
        assert!(lint_text("error-responses", "recommended", &text).is_empty());
    }

    #[test]
    fn ed_fi_requires_its_table_6_codes() {
        let text = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    put:\n      requestBody: {{content: {{application/json: {{}}}}}}\n      responses:\n        '204': {{description: d}}\n        default: {{description: d}}\n"
        );
        assert_eq!(
            lint_text("error-responses", "ed-fi", &text),
            // One finding per operation, naming every code it misses.
            ["7:7 PUT /a/{id} declares no 400, 404, 409 or 500"]
        );
    }

    #[test]
    fn the_token_endpoint_needs_no_401_or_403() {
        let text = format!(
            "{HEAD}security: [{{oauth: []}}]\npaths:\n  /oauth/token:\n    post:\n      responses:\n        '200': {{description: d}}\n        '500': {{description: d}}\n  /a:\n    get:\n      responses:\n        '200': {{description: d}}\n        '500': {{description: d}}\ncomponents:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials: {{tokenUrl: 'https://h/v1/oauth/token', scopes: {{}}}}\n"
        );
        assert_eq!(lint_text("error-responses", "ed-fi", &text), ["12:7 GET /a declares no 401 or 403"]);
    }

    #[test]
    fn ed_fi_asks_no_409_of_a_put_that_performs_an_action() {
        let put = |path: &str| {
            format!(
                "{HEAD}paths:\n  {path}:\n    put:\n      responses:\n        '200': {{description: d}}\n        '404': {{description: d}}\n        '500': {{description: d}}\n"
            )
        };
        assert!(lint_text("error-responses", "ed-fi", &put("/applications/{id}/reset-credential")).is_empty());
        assert_eq!(
            lint_text("error-responses", "ed-fi", &put("/applications/{id}")),
            ["6:7 PUT /applications/{id} declares no 409"]
        );
    }

    #[test]
    fn webhooks_are_not_checked() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  pet:\n    post:\n      requestBody: {content: {application/json: {}}}\n      responses:\n        '200': {description: d}\n";
        assert!(lint_text("error-responses", "ed-fi", text).is_empty());
    }

    #[test]
    fn a_leading_version_parameter_names_no_resource() {
        let text = format!(
            "{HEAD}paths:\n  /calendars/{{version}}:\n    get:\n      responses:\n        '200': {{description: d}}\n        '500': {{description: d}}\n  /apis/{{owner}}/{{version}}:\n    get:\n      responses:\n        '200': {{description: d}}\n"
        );
        assert_eq!(lint_text("error-responses", "apinf", &text), ["11:7 GET /apis/{owner}/{version} declares no 404"]);
    }

    /// No operation declares any error response: one finding for the document, at
    /// `paths`, standing for every operation concerned.
    #[test]
    fn no_error_response_anywhere_is_one_finding() {
        let text = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      responses:\n        '200': {{description: d}}\n  /b/{{id}}:\n    delete:\n      responses:\n        '204': {{description: d}}\n  /c:\n    get:\n      responses:\n        '200': {{description: d}}\n"
        );
        assert_eq!(
            lint_text("error-responses", "recommended", &text),
            ["3:1 no operation declares an error response, though the table asks 404 of them"]
        );
        let workspace = crate::resolve::Workspace::from_text("t.yaml", &text, None, &Default::default());
        let ruleset = crate::checks::ruleset::Ruleset::builtin("recommended").unwrap_or_else(|err| panic!("{err}"));
        let findings = crate::checks::lint(&workspace, &ruleset);
        let finding =
            findings.iter().find(|finding| finding.rule == "error-responses").unwrap_or_else(|| panic!("none"));
        let users: Vec<String> = finding.used_by.iter().map(|by| by.operation.to_string()).collect();
        assert_eq!(users, ["GET /a/{id}", "DELETE /b/{id}"]);
        assert!(finding.help.as_deref().is_some_and(|help| help.starts_with("e.g. GET /a/{id} declares no 404")));
        // One operation alone is no pattern: reported as itself.
        let one =
            format!("{HEAD}paths:\n  /a/{{id}}:\n    get:\n      responses:\n        '200': {{description: d}}\n");
        assert_eq!(lint_text("error-responses", "recommended", &one), ["6:7 GET /a/{id} declares no 404"]);
    }

    #[test]
    fn headers_with_codes_of_their_own_are_not_input_and_422_answers_for_400() {
        let text = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - {{name: If-None-Match, in: header, schema: {{type: string}}}}\n      responses:\n        '200': {{description: d}}\n  /b:\n    get:\n      parameters:\n        - {{name: q, in: query, schema: {{type: string}}}}\n      responses:\n        '200': {{description: d}}\n        '422': {{description: d}}\n"
        );
        assert!(lint_text("error-responses", "recommended", &text).is_empty());
        // A table without 422 does not take it for 400.
        assert_eq!(lint_text("error-responses", "apinf", &text), ["14:7 GET /b declares no 400"]);
    }

    /// The one shared error response serves a missing code, by `$ref` as the file writes
    /// it, in code order; with two shared ones there is no telling which: no fix.
    #[test]
    fn a_missing_code_is_declared_by_ref_to_the_one_shared_error_response() {
        let text = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      responses:\n        '200': {{description: d}}\n        '500':\n          $ref: '#/components/responses/Error'\ncomponents:\n  responses:\n    Error: {{description: e}}\n    Other: {{description: o}}\n"
        );
        let fixed = crate::checks::test_support::fixed_texts("error-responses", "recommended", &text);
        let expected = text.replace(
            "        '500':",
            "        '404':\n          $ref: '#/components/responses/Error'\n        '500':",
        );
        assert_eq!(fixed, [Some(expected)]);
        let two = text.replace(
            "'200': {description: d}",
            "'200': {description: d}\n        '400':\n          $ref: '#/components/responses/Other'",
        );
        assert_eq!(crate::checks::test_support::fixed_texts("error-responses", "recommended", &two), [None]);
    }
}
