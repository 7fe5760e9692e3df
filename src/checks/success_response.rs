use crate::model::{CodeKind, Operation};

use super::ruleset::Ruleset;
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that every operation declares at least one success response: a 2xx code
    /// (or a `2XX` range), or a 3xx code the ruleset's table marks `success` (a redirect an
    /// operation may answer with alone, such as a download served from elsewhere), or 101
    /// Switching Protocols, the success of an upgrade handshake (a WebSocket endpoint
    /// answers `GET /v1/realtime` with 101 and nothing else). An operation with no
    /// `responses` at all, or with only errors and `default`, is reported.
    ///
    /// ## Why is this bad?
    /// "When the client sends a request to the server through an API, the client must know
    /// from the feedback the outcome of the request, whether it succeeded or failed"
    /// (APInf, Platform of Trust). Ed-Fi: "An API consumer should be able to inspect the
    /// HTTP response code and understand the status of its request". An operation that
    /// lists only its errors leaves the one outcome every client handles undocumented:
    /// generated clients get no return type, and readers must guess between 200 and 204.
    /// A lone `default` says what the body looks like, not which status means success.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         "400":
    ///           description: Bad request.
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
    ///           content:
    ///             application/json:
    ///               schema: {type: array, items: {type: object}}
    ///         "400":
    ///           description: Bad request.
    /// ```
    pub SuccessResponse, id: "success-response", severity: Error, summary: "Every operation declares a success response (2xx, or a 3xx the table counts as success)",
    reads: "rows' `success`"
}

impl Check for SuccessResponse {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let redirects: Vec<String> =
            ruleset.codes().filter(|row| row.success && row.key.class() == 3).map(|row| row.label()).collect();
        let not_success: Vec<String> =
            ruleset.codes().filter(|row| !row.success && row.key.class() == 2).map(|row| row.label()).collect();
        let mut success = "a success is any 2xx".to_owned();
        if !not_success.is_empty() {
            success = format!("{success} except {}", not_success.join(", "));
        }
        if !redirects.is_empty() {
            success = format!("{success}, or {}", redirects.join(", "));
        }
        vec![success]
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let suggestion = suggested_code(cx.ruleset, operation);
        let Some(responses) = &operation.responses else {
            let message = format!("{} declares no responses", operation.label());
            cx.report(operation.node, message)
                .help(format!("add `responses` with the success response, e.g. `{suggestion}`"));
            return;
        };
        // 101: the protocol switched as asked (RFC 9110 §15.2.2); what follows is no HTTP.
        let answered = |response: &crate::model::Response| {
            cx.ruleset.counts_as_success(&response.code) || response.code.kind == CodeKind::Exact(101)
        };
        if responses.entries.iter().any(answered) {
            return;
        }
        let declared: Vec<&str> = responses.entries.iter().map(|response| response.code.text.as_str()).collect();
        let only_default = responses.entries.iter().all(|response| response.code.kind == CodeKind::Default);
        let message = if declared.is_empty() {
            format!("{} declares no responses", operation.label())
        } else if only_default {
            format!("{} declares only `default`, no success response", operation.label())
        } else {
            format!(
                "{} declares no success response, only {} ({})",
                operation.label(),
                declared.join(", "),
                success_phrase(cx.ruleset)
            )
        };
        cx.report(responses.node, message)
            .help(format!("declare the response the operation answers with when it succeeds, e.g. `{suggestion}`"))
            .codes([suggestion.to_string()]);
    }
}

/// What counts as success under the ruleset, for messages: "recommended: a success is 2xx
/// or 301, 302".
fn success_phrase(ruleset: &Ruleset) -> String {
    let redirects: Vec<String> =
        ruleset.codes().filter(|row| row.success && row.key.class() == 3).map(|row| row.key.to_string()).collect();
    if redirects.is_empty() {
        format!("{}: a success is 2xx", ruleset.cited_name(SuccessResponse::META.id))
    } else {
        format!("{}: a success is 2xx or {}", ruleset.cited_name(SuccessResponse::META.id), redirects.join(", "))
    }
}

/// The code to suggest: the first the ruleset expects for the method, else 200.
fn suggested_code(ruleset: &Ruleset, operation: &Operation) -> u16 {
    ruleset
        .method_success(operation.method)
        .and_then(|success| success.default.expected.first().copied())
        .unwrap_or(200)
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n";

    #[test]
    fn only_errors_are_reported_at_the_responses_key() {
        let findings = lint_text(
            "success-response",
            "recommended",
            &format!(
                "{HEAD}    get:\n      responses:\n        '404': {{description: d}}\n        default: {{description: d}}\n"
            ),
        );
        assert_eq!(findings, ["6:7 GET /a declares no success response, only 404, default"]);
    }

    #[test]
    fn missing_responses_is_reported_at_the_method_key() {
        let findings = lint_text("success-response", "recommended", &format!("{HEAD}    delete:\n      summary: s\n"));
        assert_eq!(findings, ["5:5 DELETE /a declares no responses"]);
    }

    #[test]
    fn only_default_is_reported() {
        let findings = lint_text(
            "success-response",
            "recommended",
            &format!("{HEAD}    post:\n      responses:\n        default: {{description: d}}\n"),
        );
        assert_eq!(findings, ["6:7 POST /a declares only `default`, no success response"]);
    }

    #[test]
    fn a_2xx_a_range_or_a_marked_redirect_passes() {
        for code in ["'204'", "2XX", "'302'"] {
            let text = format!("{HEAD}    get:\n      responses:\n        {code}: {{description: d}}\n");
            let findings = lint_text("success-response", "recommended", &text);
            assert!(findings.is_empty(), "{code}: {findings:?}");
        }
    }

    #[test]
    fn switching_protocols_answers_an_upgrade() {
        let text = format!(
            "{HEAD}    get:\n      responses:\n        '101': {{description: d}}\n        '400': {{description: d}}\n"
        );
        for ruleset in ["recommended", "ed-fi", "rest-api-guide"] {
            assert!(lint_text("success-response", ruleset, &text).is_empty(), "{ruleset}");
        }
    }

    #[test]
    fn the_rest_api_guide_counts_no_redirect_as_success() {
        // "3xx: the client must take some additional action in order to complete their request".
        let text = format!("{HEAD}    post:\n      responses:\n        '302': {{description: d}}\n");
        assert_eq!(
            lint_text("success-response", "rest-api-guide", &text),
            ["6:7 POST /a declares no success response, only 302"]
        );
        assert!(lint_text("success-response", "recommended", &text).is_empty());
    }

    #[test]
    fn an_unmarked_redirect_is_not_a_success() {
        // Ed-Fi's table has no 302 row marked as a success.
        let text = format!("{HEAD}    get:\n      responses:\n        '302': {{description: d}}\n");
        assert_eq!(
            lint_text("success-response", "ed-fi", &text),
            ["6:7 GET /a declares no success response, only 302"]
        );
        assert!(lint_text("success-response", "codemify", &text).is_empty());
    }
}
