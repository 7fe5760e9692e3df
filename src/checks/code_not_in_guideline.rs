use crate::model::{CodeKind, Operation, OperationKind, reason_phrase};

use super::ruleset::Ruleset;
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that every status code an operation declares is one the ruleset's table
    /// lists. A range row of the table (`4XX`) covers the codes of its class that have no
    /// row of their own; without one, each code needs its own row. Keys that are not
    /// registered status codes at all (`492`, `600`) are left to `unknown-status-code`.
    /// Webhooks are skipped: their responses are sent by the subscriber, not by the API.
    ///
    /// ## Why is this bad?
    /// Several guidelines give a closed list: "APInf APIs use the following HTTP codes in
    /// responses", and Platform of Trust likewise. Ed-Fi lists the codes that "must be
    /// used" and those that "could be used", and for anything else: "If an error with a
    /// response code not listed above occurs on the server, a 500 (Internal Server Error)
    /// code can be returned." A code outside the list is one the API's clients were never
    /// told to handle.
    ///
    /// ## Example
    /// With the `apinf` ruleset:
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
    pub CodeNotInGuideline, id: "code-not-in-guideline", severity: Hint, summary: "Every declared status code is one the ruleset's table lists",
    reads: "whether a declared code has a row (its own or its class range's)"
}

impl Check for CodeNotInGuideline {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let keys: Vec<String> = ruleset.codes().map(|row| row.key.to_string()).collect();
        if keys.is_empty() {
            return Vec::new();
        }
        let mut notes = vec![format!("lists {}", keys.join(", "))];
        let ranges: Vec<String> =
            ruleset.codes().filter(|row| row.key.is_range()).map(|row| row.key.to_string()).collect();
        if !ranges.is_empty() {
            notes.push(format!("{} cover the other codes of their class", ranges.join(" and ")));
        }
        notes
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        // A webhook's responses are sent by the subscriber, not by the API the table governs.
        if operation.kind == OperationKind::Webhook {
            return;
        }
        let Some(responses) = &operation.responses else { return };
        for response in &responses.entries {
            let CodeKind::Exact(code) = response.code.kind else { continue };
            // An unregistered code is `unknown-status-code`'s finding; one is enough.
            let Some(name) = reason_phrase(code) else { continue };
            if cx.ruleset.row(&response.code).is_some() {
                continue;
            }
            let class = code / 100;
            let listed = listed_in_class(cx.ruleset, class);
            let listed = if listed.is_empty() {
                format!("it lists no {class}xx code")
            } else {
                format!("its {class}xx codes: {}", listed.join(", "))
            };
            let ruleset = cx.ruleset.name().to_owned();
            let listed = match cx.ruleset.citation(CodeNotInGuideline::META.id) {
                Some(citation) => format!("{citation}: {listed}"),
                None => listed,
            };
            let message = format!("{}: {code} {name} is not in the {ruleset} table ({listed})", operation.label());
            let generic = generic_error_code(class).filter(|generic| cx.ruleset.exact_row(*generic).is_some());
            let help = match generic {
                Some(generic) => format!(
                    "answer with a listed code ({generic} if no other fits), or add a `{code}` row to a ruleset that extends {ruleset}"
                ),
                None => format!("answer with a listed code, or add a `{code}` row to a ruleset that extends {ruleset}"),
            };
            cx.report_response(response, message).help(help);
        }
    }
}

/// The table's keys of one class (`400`, `404`, `4XX`).
fn listed_in_class(ruleset: &Ruleset, class: u16) -> Vec<String> {
    ruleset.codes().filter(|row| u16::from(row.key.class()) == class).map(|row| row.key.to_string()).collect()
}

/// The error code a client treats an unknown one of its class as (RFC 9110 §15: "the x00
/// status code of that class"). Not offered for 2xx and 3xx, where 200 for 202 Accepted
/// or 206 Partial Content would change what the response means.
fn generic_error_code(class: u16) -> Option<u16> {
    match class {
        4 => Some(400),
        5 => Some(500),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    const UNPROCESSABLE: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      responses:\n        '200':\n          description: d\n        '422':\n          description: d\n";

    #[test]
    fn an_unlisted_code_is_reported_at_its_key() {
        let findings = lint_text("code-not-in-guideline", "ed-fi", UNPROCESSABLE);
        assert_eq!(findings, ["9:9 POST /a: 422 Unprocessable Content is not in the ed-fi table"]);
    }

    #[test]
    fn a_range_row_covers_its_class() {
        // 421 has no row of its own in recommended, only the 4XX range.
        let text = UNPROCESSABLE.replace("'422'", "'421'");
        assert!(lint_text("code-not-in-guideline", "recommended", &text).is_empty());
        assert_eq!(lint_text("code-not-in-guideline", "apinf", &text).len(), 1);
    }

    #[test]
    fn unregistered_codes_ranges_and_default_are_left_to_other_checks() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n        '492':\n          description: d\n        '4XX':\n          description: d\n        default:\n          description: d\n";
        assert!(lint_text("code-not-in-guideline", "apinf", text).is_empty());
    }

    #[test]
    fn webhooks_are_skipped() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post:\n      responses:\n        '202':\n          description: d\n";
        assert!(lint_text("code-not-in-guideline", "apinf", text).is_empty());
    }

    #[test]
    fn the_message_lists_the_codes_of_the_class() {
        let text = UNPROCESSABLE.replace("'422'", "'302'");
        let findings = lint_text("code-not-in-guideline", "apinf", &text);
        assert_eq!(findings, ["9:9 POST /a: 302 Found is not in the apinf table"]);
    }
}
