use crate::model::{Operation, OperationKind};

use super::ruleset::{Declare, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that no operation declares a status code the ruleset's table marks
    /// `declare: never`: a code the guideline says not to use at all (Zalando's
    /// "do not use": 205, 206, the redirects, 408, 417, 422, 424, 505, 511). A range
    /// row so marked (`3XX`) covers the codes of its class without a row of their own, and
    /// the range key itself. The finding is placed at the response's key, with the `$ref`
    /// chain to a shared definition as related locations. Webhooks are skipped: their
    /// responses are the subscriber's. No built-in table but `zalando` marks a code so.
    ///
    /// ## Why is this bad?
    /// Zalando, rule 150: "We do not see a good use-case for returning this status code
    /// from a RESTful API ... Implicitly also means do not document, as status codes that
    /// are not returned by the API should also not be documented." 422 for instance: "We
    /// do not recommend this code to be used as 400 already covers most use-cases". A
    /// client written against the guideline handles the codes it lists; one it was told
    /// never to expect is one it will mishandle.
    ///
    /// ## Example
    /// With the `zalando` ruleset:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       responses:
    ///         "201":
    ///           description: Created.
    ///         "422":
    ///           description: The pet is invalid.
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       responses:
    ///         "201":
    ///           description: Created.
    ///         "400":
    ///           description: The pet is invalid.
    /// ```
    pub AvoidedCode, id: "avoided-code", severity: Warning, summary: "No operation declares a status code the table says not to use",
    reads: "rows with `declare: never`"
}

impl Check for AvoidedCode {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let rows: Vec<String> =
            ruleset.codes().filter(|row| row.declare == Declare::Never).map(|row| row.key.to_string()).collect();
        if rows.is_empty() {
            return vec!["no code is marked `declare: never`".to_owned()];
        }
        vec![format!("not to be used: {}", rows.join(", "))]
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        // A webhook's responses are sent by the subscriber, not by the API the table governs.
        if operation.kind == OperationKind::Webhook {
            return;
        }
        let Some(responses) = &operation.responses else { return };
        for response in &responses.entries {
            let Some(row) = cx.ruleset.row(&response.code) else { continue };
            if row.declare != Declare::Never {
                continue;
            }
            let reason = if row.note.is_empty() { "the guideline says not to use it" } else { row.note.as_str() };
            let message = format!(
                "{}: {} is a code not to use ({}: {reason})",
                operation.label(),
                cx.ruleset.response_label(&response.code),
                row.origin
            );
            cx.report_response(response, message).help(
                "answer with a code the guideline lists (400 or 500 where no other fits), and remove this response",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    fn document(code: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      responses:\n        '201':\n          description: d\n        '{code}':\n          description: d\n"
        )
    }

    #[test]
    fn a_code_not_to_use_is_reported_at_its_key() {
        let findings = lint_text("avoided-code", "zalando", &document("422"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].starts_with("9:9 POST /a: 422 Unprocessable Content is a code not to use"), "{findings:?}");
    }

    #[test]
    fn codes_to_use_and_other_tables_pass() {
        assert!(lint_text("avoided-code", "zalando", &document("400")).is_empty());
        assert!(lint_text("avoided-code", "zalando", &document("default")).is_empty());
        assert!(lint_text("avoided-code", "recommended", &document("422")).is_empty());
    }

    #[test]
    fn redirects_are_codes_not_to_use_but_304_is_not() {
        assert_eq!(lint_text("avoided-code", "zalando", &document("302")).len(), 1);
        assert!(lint_text("avoided-code", "zalando", &document("304")).is_empty());
    }
}
