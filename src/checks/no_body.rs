use crate::model::{CodeKind, Operation};

use super::ruleset::{Body, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that a response whose status code carries no content declares no body:
    /// 204 No Content and 304 Not Modified always, and every code the ruleset's table
    /// marks `body: forbidden` (Ed-Fi's 201, 401 and 404, for instance).
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
    pub NoBody, id: "no-body", severity: Error, summary: "Responses that carry no content (204, 304, and codes the table marks) declare no body"
}

impl Check for NoBody {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let rows: Vec<String> =
            ruleset.codes().filter(|row| row.body == Body::Forbidden).map(|row| row.label()).collect();
        vec![format!("no body on {}", if rows.is_empty() { "204 and 304".to_owned() } else { rows.join(", ") })]
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let Some(responses) = &operation.responses else { return };
        for response in &responses.entries {
            if !response.has_body() {
                continue;
            }
            let row = cx.ruleset.code(&response.code.text);
            // HTTP forbids content on 204 and 304 whatever a table says; other codes only
            // where the table marks them.
            let always_empty = matches!(response.code.kind, CodeKind::Exact(204 | 304));
            let forbidden = match row {
                Some(row) => row.body == Body::Forbidden || (always_empty && row.body != Body::Required),
                None => always_empty,
            };
            if !forbidden {
                continue;
            }
            let name = row.map_or_else(
                || crate::model::reason_phrase(response.code.exact().unwrap_or(0)).unwrap_or("").to_owned(),
                |row| row.name.clone(),
            );
            let reason = match row {
                Some(row) if !row.note.is_empty() => format!("{}: {}", row.origin, row.note),
                _ => "HTTP: this status carries no content".to_owned(),
            };
            let message =
                format!("{}: {} {} declares a body ({reason})", operation.label(), response.code.text, name.trim());
            let at = response.content_node.unwrap_or(response.key);
            let declared = if cx.api.version == crate::model::SpecVersion::Swagger2 { "`schema`" } else { "`content`" };
            if let Some(finding) = cx.report_in_response(response, at, message) {
                finding.help = Some(format!("remove the {declared} from this response"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::docs::lint_text;

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
    fn empty_204_and_body_on_200_pass() {
        let findings = lint_text(
            "no-body",
            "recommended",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n          content:\n            application/json: {}\n        '204':\n          description: d\n",
        );
        assert!(findings.is_empty(), "{findings:?}");
    }
}
