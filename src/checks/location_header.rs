use crate::model::{CodeKind, Operation, Response, SpecVersion, reason_phrase};

use super::ruleset::{CodeRow, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check, fixes};

const LOCATION: &str = "Location";

/// The redirects whose target HTTP puts in Location ("the server SHOULD generate a
/// Location header field", RFC 9110 §15.4). 300 only SHOULD when it has a preferred
/// choice, so it is not here.
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

declare_check! {
    /// ## What it does
    /// Checks that a response which points somewhere declares the `Location` header: the
    /// redirects 301, 302, 303, 307 and 308, and every code whose row in the ruleset's
    /// table lists `Location` in `response_headers` (Ed-Fi's 201 Created, for instance).
    /// A redirect's own row decides when the table has one; without a row, HTTP's rule
    /// applies. Header names compare ignoring case, and `$ref`'d headers are followed.
    ///
    /// A download served elsewhere (GitHub's archives answer only 302) is a redirect like
    /// any other: its `Location` is the answer, and it is reported when not declared.
    ///
    /// ## Why is this bad?
    /// A redirect without its target is useless: for 301, 302, 303, 307 and 308, "the
    /// server SHOULD generate a Location header field in the response containing" the
    /// target URI (RFC 9110 §15.4). Codemify: 301 points to "the URL given by the Location
    /// headers"; the REST API guide: for 302 "The new URL is given by the Location field in
    /// the response." Ed-Fi: "The response from a POST will also include a location in the
    /// header pointing to the newly added resource." Declared, the header reaches the
    /// generated clients and the documentation.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}/photo:
    ///     get:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "302":
    ///           description: The photo is served from the CDN.
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}/photo:
    ///     get:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "302":
    ///           description: The photo is served from the CDN.
    ///           headers:
    ///             Location:
    ///               description: Where the photo is.
    ///               schema: {type: string, format: uri}
    /// ```
    pub LocationHeader, id: "location-header", severity: Warning, summary: "Redirects (301, 302, 303, 307, 308) and the codes the table marks (201 in Ed-Fi) declare a `Location` header",
    reads: "rows' `response_headers` containing `Location`",
    fix: Safe "declares `Location` (a string, `format: uri`) under the response's `headers`"
}

impl Check for LocationHeader {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let mut notes = Vec::new();
        let rows: Vec<String> =
            ruleset.codes().filter(|row| row.requires_response_header(LOCATION)).map(|row| row.label()).collect();
        if !rows.is_empty() {
            notes.push(format!("`Location` on {}", rows.join(", ")));
        }
        let by_http: Vec<String> =
            REDIRECTS.iter().filter(|&&code| exact_row(ruleset, code).is_none()).map(|code| code.to_string()).collect();
        if !by_http.is_empty() {
            notes.push(format!("`Location` by HTTP on {} (no row of their own)", by_http.join(", ")));
        }
        notes
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let Some(responses) = &operation.responses else { return };
        for response in &responses.entries {
            // A `$ref` that did not resolve leaves nothing to look at (it was reported).
            if !response.resolved || response.header(LOCATION).is_some() {
                continue;
            }
            let alternatives =
                cx.ruleset.row(&response.code).and_then(|row| row.response_header_alternatives(LOCATION));
            if alternatives.is_some_and(|names| names.iter().any(|name| response.header(name).is_some())) {
                continue;
            }
            let Some(reason) = location_reason(cx.ruleset, response) else { continue };
            let what = format!("{} declares no `Location` header ({reason})", label(response));
            let header = if cx.api.version == SpecVersion::Swagger2 {
                "`Location: {type: string, format: uri}`"
            } else {
                "`Location: {schema: {type: string, format: uri}}`"
            };
            let description = if response.code.class() == Some(3) {
                "Where the target resource is."
            } else {
                "Where the created resource is."
            };
            let fix = fixes::add_header(
                cx.workspace,
                cx.api,
                response,
                "Location",
                description,
                &[("type", "string"), ("format", "uri")],
            );
            let report = cx
                .report_definition(operation, response, None, what)
                .help(format!("add it under the response's `headers`: {header}"));
            if let Some(fix) = fix {
                report.fix(fix);
            }
        }
    }
}

/// Why the response needs Location (the row's words, or HTTP's), or `None` when it does not.
fn location_reason(ruleset: &Ruleset, response: &Response) -> Option<String> {
    let row = ruleset.row(&response.code);
    if let Some(row) = row.filter(|row| row.requires_response_header(LOCATION)) {
        let note = if row.note.is_empty() { "the table asks for it" } else { row.note.as_str() };
        return Some(format!("{}: {note}", row.origin));
    }
    let CodeKind::Exact(code) = response.code.kind else { return None };
    // A redirect's own row decides; a range row or none leaves it to HTTP.
    let redirect_without_row = REDIRECTS.contains(&code) && exact_row(ruleset, code).is_none();
    redirect_without_row.then(|| "HTTP: a redirect gives its target in Location, RFC 9110 §15.4".to_owned())
}

/// The table's row for exactly this code (not its class range).
fn exact_row(ruleset: &Ruleset, code: u16) -> Option<&CodeRow> {
    ruleset.exact_row(code).filter(|row| row.key.code() == Some(code))
}

/// `201 Created`, or the key alone when HTTP has no name for it.
fn label(response: &Response) -> String {
    match response.code.exact().and_then(reason_phrase) {
        Some(name) => format!("{} {name}", response.code.text),
        None => response.code.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    fn document(code: &str, headers: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      responses:\n        '{code}':\n          description: d\n{headers}"
        )
    }

    const LOCATION: &str = "          headers:\n            location:\n              schema: {type: string}\n";

    #[test]
    fn a_redirect_without_location_is_reported_under_every_table() {
        for ruleset in ["recommended", "apinf", "ed-fi", "rest-api-guide"] {
            let findings = lint_text("location-header", ruleset, &document("303", ""));
            assert_eq!(findings, ["7:9 POST /a: 303 See Other declares no `Location` header"], "{ruleset}");
        }
    }

    #[test]
    fn created_needs_location_where_the_table_says() {
        assert_eq!(lint_text("location-header", "ed-fi", &document("201", "")).len(), 1);
        assert!(lint_text("location-header", "recommended", &document("201", "")).is_empty());
    }

    #[test]
    fn the_header_name_ignores_case() {
        assert!(lint_text("location-header", "ed-fi", &document("201", LOCATION)).is_empty());
        assert!(lint_text("location-header", "codemify", &document("301", LOCATION)).is_empty());
    }

    #[test]
    fn a_referenced_header_counts() {
        let text = format!(
            "{}          headers:\n            Location:\n              $ref: '#/components/headers/Location'\ncomponents:\n  headers:\n    Location:\n      schema: {{type: string}}\n",
            document("308", "")
        );
        assert!(lint_text("location-header", "recommended", &text).is_empty());
    }
}
