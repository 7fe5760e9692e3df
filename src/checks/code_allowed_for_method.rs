use crate::model::Operation;

use super::ruleset::{Method, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that every declared status code may answer the operation's method, as the
    /// `methods` of its row in the ruleset's table say: 201 Created only where a method can
    /// create (never on GET), 304 Not Modified only on GET and HEAD (never on POST), 412
    /// Precondition Failed only on writes where the table says so. Codes whose row names
    /// no methods, codes the table does not list, and `default` are not checked.
    ///
    /// A table's methods are the usual case; the conditional headers an operation declares
    /// widen them as HTTP does: a failed `If-Match` or `If-Unmodified-Since` is answered
    /// with 412 whatever the method (RFC 9110, 13.1.1 and 13.1.4), so an operation that
    /// accepts one may declare 412, GET included (Mozilla's Kinto declares `If-Match` on its
    /// GETs).
    ///
    /// ## Why is this bad?
    /// A status code means something about the request that produced it. APInf: 201 says
    /// "a new resource instance was successfully created with POST method"; Ed-Fi: 201 is
    /// "Returned after a successful POST", 406 is for an Accept header that "cannot be
    /// supported on a GET request" and 415 for a content type "not supported on a PUT or
    /// POST". RFC 9110 §15.4.5 sends 304 only for a conditional GET or HEAD. A code that
    /// cannot occur for the method is a copy-paste slip or a misunderstanding, and clients
    /// generated from it carry dead branches.
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
    ///           content:
    ///             application/json:
    ///               schema: {type: array, items: {type: object}}
    ///         "201":
    ///           description: Created.
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
    /// ```
    pub CodeAllowedForMethod, id: "code-allowed-for-method", severity: Warning, summary: "Each declared code may answer the operation's method (no 201 on GET, no 304 on POST)",
    reads: "rows' `methods`"
}

impl Check for CodeAllowedForMethod {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        ruleset
            .codes()
            .filter_map(|row| {
                let methods = row.methods.as_ref()?;
                Some(format!("{} only on {}", row.label(), method_list(methods)))
            })
            .collect()
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let method = operation.method;
        let Some(responses) = &operation.responses else { return };
        for response in &responses.entries {
            let Some(row) = cx.ruleset.row(&response.code) else { continue };
            let Some(methods) = &row.methods else { continue };
            if row.allows_method(method) || widened_by_conditional_headers(operation, response.code.exact()) {
                continue;
            }
            let reason = if row.note.is_empty() { row.origin.clone() } else { format!("{}: {}", row.origin, row.note) };
            let message = format!(
                "{}: {} {} answers only {} ({reason})",
                operation.label(),
                response.code.text,
                row.name,
                method_list(methods)
            );
            let help = format!(
                "remove the `{}` response; if {} really answers it, add `{}` to the `methods` of the `{}` row in a ruleset that extends this one",
                response.code.text,
                method.as_str(),
                method.key(),
                row.key
            );
            cx.report_response(response, message).help(help).codes([response.code.text.clone()]);
        }
    }
}

/// Request headers whose failed precondition HTTP answers with a code on any method
/// (RFC 9110, 13.1.1 and 13.1.4; `If-None-Match` fails with 304 on GET and HEAD).
const ANY_METHOD_PRECONDITIONS: [(u16, [&str; 2]); 1] = [(412, ["If-Match", "If-Unmodified-Since"])];

/// Whether the operation accepts a conditional header that makes `code` possible on any method.
fn widened_by_conditional_headers(operation: &Operation, code: Option<u16>) -> bool {
    ANY_METHOD_PRECONDITIONS.iter().any(|(answered, headers)| {
        code == Some(*answered) && headers.iter().any(|header| operation.accepts_header(header))
    })
}

/// "POST, PUT and PATCH".
fn method_list(methods: &[Method]) -> String {
    let names: Vec<String> = methods.iter().map(|method| method.as_str().to_ascii_uppercase()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "no method".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    fn doc(method: &str, codes: &[&str]) -> String {
        let mut text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    {method}:\n      responses:\n"
        );
        for code in codes {
            text.push_str(&format!("        '{code}': {{description: d}}\n"));
        }
        text
    }

    #[test]
    fn created_on_get_is_reported_at_its_key() {
        let findings = lint_text("code-allowed-for-method", "recommended", &doc("get", &["200", "201"]));
        assert_eq!(findings, ["8:9 GET /a: 201 Created answers only PUT, POST and PATCH"]);
    }

    #[test]
    fn not_modified_on_post_is_reported() {
        let findings = lint_text("code-allowed-for-method", "codemify", &doc("post", &["200", "304"]));
        assert_eq!(findings, ["8:9 POST /a: 304 Not Modified answers only GET and HEAD"]);
    }

    #[test]
    fn precondition_failed_on_get_follows_the_table() {
        // recommended limits 412 to writes; ed-fi ties it to If-Match only.
        let text = doc("get", &["200", "412"]);
        assert_eq!(
            lint_text("code-allowed-for-method", "recommended", &text),
            ["8:9 GET /a: 412 Precondition Failed answers only PUT, POST, DELETE and PATCH"]
        );
        assert!(lint_text("code-allowed-for-method", "ed-fi", &text).is_empty());
    }

    #[test]
    fn a_conditional_header_widens_the_methods_of_412() {
        // RFC 9110 §13.1.1: a failed If-Match is 412 whatever the method (Kinto's GETs).
        for header in ["If-Match", "if-unmodified-since"] {
            let text = doc("get", &["200", "412"]).replace(
                "      responses:\n",
                &format!("      parameters:\n        - {{name: {header}, in: header, schema: {{type: string}}}}\n      responses:\n"),
            );
            assert!(lint_text("code-allowed-for-method", "recommended", &text).is_empty(), "{header}");
        }
        // A failed If-None-Match on a GET is 304, not 412.
        let text = doc("get", &["200", "412"]).replace(
            "      responses:\n",
            "      parameters:\n        - {name: If-None-Match, in: header, schema: {type: string}}\n      responses:\n",
        );
        assert_eq!(lint_text("code-allowed-for-method", "recommended", &text).len(), 1);
    }

    #[test]
    fn unlisted_codes_default_and_ranges_pass() {
        let findings =
            lint_text("code-allowed-for-method", "recommended", &doc("get", &["200", "418", "4XX", "default"]));
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn created_on_put_depends_on_the_ruleset() {
        let text = doc("put", &["201"]);
        assert!(lint_text("code-allowed-for-method", "recommended", &text).is_empty());
        assert_eq!(lint_text("code-allowed-for-method", "ed-fi", &text), ["7:9 PUT /a: 201 Created answers only POST"]);
    }
}
