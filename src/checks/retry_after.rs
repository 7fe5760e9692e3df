use crate::model::{Operation, SpecVersion};

use super::ruleset::Ruleset;
use super::{Check, CheckContext, CheckMeta, declare_check, fixes};

const RETRY_AFTER: &str = "Retry-After";

declare_check! {
    /// ## What it does
    /// Checks that a response whose row in the ruleset's table lists `Retry-After` in
    /// `response_headers` declares that header: 429 Too Many Requests in the `recommended`
    /// table. Header names compare ignoring case, and `$ref`'d headers are followed. Codes
    /// without such a row are not checked: HTTP lets a server send Retry-After, it does not
    /// make it.
    ///
    /// `recommended` asks it of 429 only: a rate limiter knows when the window reopens, an
    /// outage (503) rarely knows its end, and RFC 9110 makes the header a MAY there. A
    /// ruleset that wants it on 503 lists it in that row's `response_headers`.
    ///
    /// ## Why is this bad?
    /// A client told to slow down needs to know for how long. RFC 6585 §4: a 429 "MAY
    /// include a Retry-After header indicating how long to wait before making a new
    /// request"; RFC 9110 §15.6.4: for 503 "The server MAY send a Retry-After header field
    /// to suggest an appropriate amount of time for the client to wait". Without the
    /// header every client guesses, and the guesses hammer the server as it recovers;
    /// declared, it reaches generated clients and their back-off logic.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: The pets.
    ///         "429":
    ///           description: Too many requests.
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: The pets.
    ///         "429":
    ///           description: Too many requests.
    ///           headers:
    ///             Retry-After:
    ///               description: Seconds to wait before retrying.
    ///               schema: {type: integer}
    /// ```
    pub RetryAfter, id: "retry-after", severity: Info, summary: "Responses the table marks (429 in `recommended`) declare a `Retry-After` header",
    reads: "rows' `response_headers` containing `Retry-After`",
    fix: Safe "declares `Retry-After` (an integer: seconds) under the response's `headers`"
}

impl Check for RetryAfter {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let rows: Vec<String> =
            ruleset.codes().filter(|row| row.requires_response_header(RETRY_AFTER)).map(|row| row.label()).collect();
        if rows.is_empty() {
            return vec!["no code requires `Retry-After`".to_owned()];
        }
        vec![format!("`Retry-After` on {}", rows.join(", "))]
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let Some(responses) = &operation.responses else { return };
        for response in &responses.entries {
            // A `$ref` that did not resolve leaves nothing to look at (it was reported).
            if !response.resolved || response.header(RETRY_AFTER).is_some() {
                continue;
            }
            let Some(row) = cx.ruleset.row(&response.code) else { continue };
            let Some(alternatives) = row.response_header_alternatives(RETRY_AFTER) else { continue };
            if alternatives.iter().any(|name| response.header(name).is_some()) {
                continue;
            }
            let others: Vec<String> = alternatives.iter().skip(1).map(|name| format!("`{name}`")).collect();
            let nor = if others.is_empty() { String::new() } else { format!(" nor {}", others.join(", ")) };
            let reason = if row.note.is_empty() { "the table asks for it" } else { row.note.as_str() };
            let what = format!(
                "{} {} declares no `Retry-After` header{nor} ({}: {reason})",
                response.code.text, row.name, row.origin
            );
            let header = if cx.api.version == SpecVersion::Swagger2 {
                "`Retry-After: {type: integer}`"
            } else {
                "`Retry-After: {schema: {type: integer}}`"
            };
            let fix = fixes::add_header(
                cx.workspace,
                cx.api,
                response,
                RETRY_AFTER,
                "How many seconds to wait before retrying.",
                &[("type", "integer")],
            );
            let report = cx.report_definition(operation, response, None, what).help(format!(
                "declare how long to wait under the response's `headers`: {header} (seconds, or an HTTP date)"
            ));
            if let Some(fix) = fix {
                report.fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    fn document(code: &str, headers: &str) -> String {
        format!(
            "swagger: '2.0'\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n        '{code}':\n          description: d\n{headers}"
        )
    }

    #[test]
    fn a_rate_limit_without_the_header_is_reported() {
        let findings = lint_text("retry-after", "recommended", &document("429", ""));
        assert_eq!(findings, ["9:9 GET /a: 429 Too Many Requests declares no `Retry-After` header"]);
    }

    #[test]
    fn an_outage_without_the_header_is_not_reported_by_recommended() {
        // RFC 9110 §15.6.4: a server MAY send Retry-After with 503; an outage rarely knows its end.
        assert!(lint_text("retry-after", "recommended", &document("503", "")).is_empty());
    }

    #[test]
    fn the_header_in_any_case_passes() {
        let headers = "          headers:\n            retry-after: {type: integer}\n";
        assert!(lint_text("retry-after", "recommended", &document("429", headers)).is_empty());
    }

    #[test]
    fn an_alternative_the_row_lists_passes() {
        // Zalando's rule 153: Retry-After, or the X-RateLimit headers.
        let rate_limit = "          headers:\n            X-RateLimit-Reset: {type: integer}\n";
        assert!(lint_text("retry-after", "zalando", &document("429", rate_limit)).is_empty());
        assert_eq!(
            lint_text("retry-after", "zalando", &document("429", "")),
            [
                "9:9 GET /a: 429 Too Many Requests declares no `Retry-After` header nor `X-RateLimit-Reset`, `X-RateLimit-Limit`, `X-RateLimit-Remaining`"
            ]
        );
        // recommended asks for Retry-After alone.
        assert_eq!(lint_text("retry-after", "recommended", &document("429", rate_limit)).len(), 1);
    }

    #[test]
    fn tables_that_do_not_ask_pass() {
        assert!(lint_text("retry-after", "ed-fi", &document("429", "")).is_empty());
        assert!(lint_text("retry-after", "apinf", &document("503", "")).is_empty());
        assert!(lint_text("retry-after", "recommended", &document("502", "")).is_empty());
    }
}
