use crate::model::{CodeKind, Method, Operation};

use super::ruleset::Ruleset;
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that an operation which declares 202 Accepted declares no other 2xx code
    /// (200, 201, 204, ...): either it does its work before answering, or it queues it and
    /// answers 202. The finding is at the 202 key and names the other codes.
    ///
    /// Platform idioms that are not such hybrids are left alone:
    /// - an operation marked `x-ms-long-running-operation: true`, Azure's documented
    ///   convention: 200 (or 201, 204) when the work finished at once, 202 when it was
    ///   accepted and goes on, to be polled;
    /// - a GET or HEAD: it queues nothing, and its 202 says the answer is still being
    ///   computed, to be asked for again (GitHub's repository statistics answer 202 until
    ///   they are cached, then 200).
    ///
    /// ## Why is this bad?
    /// Codemify: "A 202 success response is typically used for actions that take a long
    /// while to process. It indicates that request has been accepted for processing, but
    /// the processing has not been completed." RFC 9110 §15.3.3: the request "might or
    /// might not eventually be acted upon". An operation that may answer either 202 or 200
    /// leaves the client unable to know, from the contract, whether the work is done; it
    /// must handle both outcomes on every call. One asynchronous operation (202, then a
    /// status resource to poll) and one synchronous one are easier to use than a hybrid.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Reports, version: "1"}
    /// paths:
    ///   /reports:
    ///     post:
    ///       responses:
    ///         "201":
    ///           description: The report was built.
    ///         "202":
    ///           description: The report is being built.
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Reports, version: "1"}
    /// paths:
    ///   /reports:
    ///     post:
    ///       responses:
    ///         "202":
    ///           description: The report is being built; poll the Location for it.
    ///           headers:
    ///             Location: {schema: {type: string}}
    /// ```
    pub Async202, id: "async-202", severity: Hint, summary: "An operation that answers 202 Accepted declares no other 2xx code",
    reads: "202 mixed with other 2xx on one operation"
}

impl Check for Async202 {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        match ruleset.exact_row(202) {
            Some(row) if row.key.code() == Some(202) => vec![format!("{} is in the table", row.label())],
            _ => vec!["202 is not in the table".to_owned()],
        }
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let Some(responses) = &operation.responses else { return };
        if operation.long_running || matches!(operation.method, Method::Get | Method::Head) {
            return;
        }
        let Some(accepted) = responses.exact(202) else { return };
        let others: Vec<&str> = responses
            .entries
            .iter()
            .filter(|response| matches!(response.code.kind, CodeKind::Exact(code) if code / 100 == 2 && code != 202))
            .map(|response| response.code.text.as_str())
            .collect();
        if others.is_empty() {
            return;
        }
        let reason = match cx.ruleset.exact_row(202) {
            Some(row) if row.key.code() == Some(202) && !row.note.is_empty() => format!("{}: {}", row.origin, row.note),
            _ => "RFC 9110: the processing has not been completed".to_owned(),
        };
        let message =
            format!("{}: 202 Accepted is declared beside {} ({reason})", operation.label(), others.join(", "));
        let help = format!(
            "answer either when the work is done ({}) or when it is queued (202), not both; or split the operation",
            others.join(", ")
        );
        cx.report_response(accepted, message).help(help);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    fn doc(codes: &[&str]) -> String {
        let mut text =
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      responses:\n".to_owned();
        for code in codes {
            text.push_str(&format!("        '{code}': {{description: d}}\n"));
        }
        text
    }

    #[test]
    fn mixed_202_is_reported_at_the_202_key() {
        let findings = lint_text("async-202", "recommended", &doc(&["200", "202", "204", "400"]));
        assert_eq!(findings, ["8:9 POST /a: 202 Accepted is declared beside 200, 204"]);
    }

    #[test]
    fn long_running_operations_and_safe_methods_are_not_hybrids() {
        // Azure's documented convention: 200 when done at once, 202 when accepted.
        let azure = doc(&["200", "202"])
            .replace("      responses:", "      x-ms-long-running-operation: true\n      responses:");
        assert!(lint_text("async-202", "recommended", &azure).is_empty());
        // GitHub's statistics: a GET's 202 says the answer is still being computed.
        let stats = doc(&["200", "202", "204"]).replace("    post:", "    get:");
        assert!(lint_text("async-202", "recommended", &stats).is_empty());
    }

    #[test]
    fn lone_202_and_202_with_errors_or_ranges_pass() {
        for codes in [&["202", "400", "default"][..], &["202", "2XX"], &["200", "201"]] {
            let findings = lint_text("async-202", "recommended", &doc(codes));
            assert!(findings.is_empty(), "{codes:?}: {findings:?}");
        }
    }
}
