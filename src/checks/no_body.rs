use crate::finding::Severity;
use crate::model::{CodeKind, Operation, SpecVersion};

use super::ruleset::{Body, CodeRow, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that a response whose status code carries no content declares no body:
    /// 204 No Content and 304 Not Modified always, and every code the ruleset's table
    /// marks `body: forbidden` (Ed-Fi's 201, 401 and 404, for instance), or rules out for the
    /// operation (`body_forbidden_when`: Ed-Fi's 200 on a POST that creates).
    ///
    /// A schema that declares nothing (`schema: {}`, one with only an `example` or a
    /// `description`, or an object with no properties) is still a body as written: a client
    /// generated from it expects one. Converters leave such schemas under 204 (Platform of
    /// Trust's `schema: {example: {}}`, AWS's empty output shapes), so the finding says the
    /// schema is empty and is reported at warning at most.
    ///
    /// ## Why is this bad?
    /// HTTP itself forbids the content: "A 204 response is terminated by the end of the
    /// header section; it cannot contain content" and likewise for 304 (RFC 9110, 15.3.5
    /// and 15.4.5). Codemify: "The 204 response will NOT include a message-body"; a 304
    /// "is similar to 204 in that the response body must be empty". Ed-Fi: a 201 "response
    /// from a POST will not contain a body", and 401 and 404 "will not contain a body".
    /// A declared body there misleads client generators into reading one.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}:
    ///     delete:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "204":
    ///           description: Deleted.
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
    ///     delete:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "204":
    ///           description: Deleted.
    /// ```
    pub NoBody, id: "no-body", severity: Error, summary: "Responses that carry no content (204, 304, and codes the table marks) declare no body",
    reads: "rows with `body: forbidden`",
    fix: Safe "removes the body: `content` (`schema` and `examples` in Swagger 2.0)"
}

impl Check for NoBody {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let rows: Vec<String> =
            ruleset.codes().filter(|row| row.stated_body() == Body::Forbidden).map(|row| row.label()).collect();
        let mut notes =
            vec![format!("no body on {}", if rows.is_empty() { "204 and 304".to_owned() } else { rows.join(", ") })];
        for row in ruleset.codes().filter(|row| !row.body_forbidden_when.is_empty()) {
            let when: Vec<String> = row.body_forbidden_when.iter().map(|when| when.describe()).collect();
            notes.push(format!("no body on {} {}", row.label(), when.join(", or ")));
        }
        notes
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let Some(responses) = &operation.responses else { return };
        let mut facts = None;
        for response in &responses.entries {
            if !response.has_body() {
                continue;
            }
            let row = cx.ruleset.row(&response.code);
            // HTTP forbids content on 204 and 304 whatever a table says; other codes only
            // where the table marks them, or rules them out for this operation.
            let always_empty = matches!(response.code.kind, CodeKind::Exact(204 | 304));
            let ruled_out = row.and_then(|row| {
                if row.body_forbidden_when.is_empty() {
                    return None;
                }
                let facts = facts.get_or_insert_with(|| cx.facts(operation));
                row.body_forbidden_when.iter().find(|when| when.holds(facts)).map(|when| when.describe())
            });
            let forbidden = match row {
                Some(row) => {
                    row.stated_body() == Body::Forbidden
                        || ruled_out.is_some()
                        || (always_empty && row.stated_body() != Body::Required)
                }
                None => always_empty,
            };
            if !forbidden {
                continue;
            }
            let name = row.map_or_else(
                || crate::model::reason_phrase(response.code.exact().unwrap_or(0)).unwrap_or("").to_owned(),
                |row| row.name.clone(),
            );
            let reason = reason(row, ruled_out.as_deref());
            let empty = response.declares_empty_body(cx.workspace);
            let what = if empty { "an empty schema, which still makes a body" } else { "a body" };
            let what = format!("{} {} declares {what} ({reason})", response.code.text, name.trim());
            let at = response.content_node.unwrap_or(response.key);
            let declared = if cx.api.version == SpecVersion::Swagger2 { "`schema`" } else { "`content`" };
            let fix = super::fixes::remove_body(cx.workspace, cx.api, response);
            let mut report = cx.report_definition(operation, response, Some(at), what);
            if let Some(fix) = fix {
                report = report.fix(fix);
            }
            if empty {
                // A converter's artifact, not a body anyone designed: worth a warning at most.
                report
                    .help(format!(
                        "remove the {declared}: it declares nothing, yet a client generated from it expects a body"
                    ))
                    .at_most(Severity::Warning);
            } else {
                report.help(format!("remove the {declared} from this response"));
            }
        }
    }
}

/// Why the code carries no body: the row's note, or the condition that rules it out here.
fn reason(row: Option<&CodeRow>, ruled_out: Option<&str>) -> String {
    match (row, ruled_out) {
        (Some(row), Some(when)) => format!("{}: {} carries no body {when}", row.origin, row.label()),
        (Some(row), None) if !row.note.is_empty() => format!("{}: {}", row.origin, row.note),
        _ => "HTTP: this status carries no content".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{lint_findings_at, lint_text};

    #[test]
    fn body_on_204_is_reported_at_the_content_key() {
        let findings = lint_text(
            "no-body",
            "recommended",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    delete:\n      responses:\n        '204':\n          description: d\n          content:\n            application/json: {}\n",
        );
        assert_eq!(findings, ["9:11 DELETE /a: 204 No Content declares a body"]);
    }

    #[test]
    fn an_empty_schema_is_a_body_reported_at_warning_at_most() {
        let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    delete:\n      responses:\n        '204':\n          description: ''\n          schema: {example: {}}\n";
        let found = lint_findings_at("no-body", "platform-of-trust", text, Some(crate::finding::Severity::Error));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, crate::finding::Severity::Warning);
        assert!(found[0].message.contains("declares an empty schema"), "{}", found[0].message);
    }

    #[test]
    fn ed_fi_rules_out_a_body_on_the_200_of_an_upsert_only() {
        let upsert = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /students:\n    post:\n      responses:\n        '200':\n          description: d\n          content: {application/json: {}}\n        '201': {description: d}\n";
        assert_eq!(lint_text("no-body", "ed-fi", upsert), ["9:11 POST /students: 200 OK declares a body"]);
        // A POST that performs an action returns what it did.
        let action = upsert.replace("        '201': {description: d}\n", "").replace("/students", "/students/search");
        assert!(lint_text("no-body", "ed-fi", &action).is_empty());
    }

    #[test]
    fn empty_204_and_body_on_200_pass() {
        let findings = lint_text(
            "no-body",
            "recommended",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n          content:\n            application/json: {}\n        '204':\n          description: d\n",
        );
        assert!(findings.is_empty(), "{findings:?}");
    }

    /// A shared definition is fixed only where every use gives it the code that forbids
    /// the body: one also used as a 200 keeps its body.
    #[test]
    fn a_shared_body_is_removed_only_where_every_use_forbids_it() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    delete:\n      responses:\n        '204': {$ref: '#/components/responses/R'}\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/R'}\ncomponents:\n  responses:\n    R:\n      description: d\n      content: {application/json: {}}\n";
        assert_eq!(crate::checks::test_support::fixed_texts("no-body", "recommended", text), [None]);
        let only_204 = text.replace("'200': {$ref: '#/components/responses/R'}", "'200': {description: d}");
        let fixed = crate::checks::test_support::fixed_texts("no-body", "recommended", &only_204);
        assert_eq!(fixed, [Some(only_204.replace("      content: {application/json: {}}\n", ""))]);
    }
}
