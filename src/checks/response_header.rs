use crate::model::{CodeKind, Operation, SpecVersion};

use super::ruleset::{CodeRow, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};

/// Headers that have a check of their own (`location-header`, `retry-after`).
const OWN_CHECKS: [&str; 2] = ["Location", "Retry-After"];

declare_check! {
    /// ## What it does
    /// Checks that a response declares the headers its row in the ruleset's table lists
    /// in `response_headers`, other than `Location` and `Retry-After` (which
    /// `location-header` and `retry-after` check): Azure's `Operation-Location` on a 202
    /// Accepted. Header names compare ignoring case, and `$ref`'d headers are followed. A
    /// response defined once and shared through `$ref` is reported once, at its definition.
    ///
    /// ## Why is this bad?
    /// Azure (`lro-returns-operation-location`): "YOU SHOULD include an
    /// `Operation-Location` header in the response with the absolute URL of the status
    /// monitor for the operation." A header the guideline makes part of a response is part
    /// of the contract: undeclared, generated clients do not read it, and a client of a
    /// long-running operation cannot find its status monitor.
    ///
    /// ## Example
    /// With the `azure` ruleset:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Jobs, version: "1"}
    /// paths:
    ///   /jobs/{id}:cancel:
    ///     post:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "202":
    ///           description: The cancellation was accepted.
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Jobs, version: "1"}
    /// paths:
    ///   /jobs/{id}:cancel:
    ///     post:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "202":
    ///           description: The cancellation was accepted.
    ///           headers:
    ///             Operation-Location:
    ///               description: The status monitor.
    ///               schema: {type: string, format: uri}
    /// ```
    pub ResponseHeader, id: "response-header", severity: Info, summary: "Responses declare the headers their row lists (other than `Location` and `Retry-After`): Azure's `Operation-Location` on 202",
    reads: "rows' `response_headers` other than `Location` and `Retry-After`"
}

impl Check for ResponseHeader {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let notes: Vec<String> = ruleset
            .codes()
            .filter_map(|row| {
                let headers = other_headers(row);
                (!headers.is_empty()).then(|| format!("{} on {}", quoted(&headers), row.label()))
            })
            .collect();
        if notes.is_empty() {
            return vec!["no code requires a header besides `Location` and `Retry-After`".to_owned()];
        }
        notes
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let Some(responses) = &operation.responses else { return };
        for response in &responses.entries {
            // A `$ref` that did not resolve leaves nothing to look at (it was reported).
            if !response.resolved {
                continue;
            }
            let row = match response.code.kind {
                CodeKind::Default => default_row(cx.ruleset),
                _ => cx.ruleset.row(&response.code),
            };
            let Some(row) = row else { continue };
            let wanted = match response.code.kind {
                CodeKind::Default => error_headers(cx.ruleset),
                _ => other_headers(row),
            };
            let missing: Vec<&str> = wanted.into_iter().filter(|name| response.header(name).is_none()).collect();
            if missing.is_empty() {
                continue;
            }
            let reason = if row.note.is_empty() { "the table asks for it" } else { row.note.as_str() };
            let what = format!(
                "{} declares no {} header ({}: {reason})",
                cx.ruleset.response_label(&response.code),
                quoted(&missing),
                row.origin
            );
            let example = missing.first().copied().unwrap_or_default();
            let header = if cx.api.version == SpecVersion::Swagger2 {
                format!("`{example}: {{type: string}}`")
            } else {
                format!("`{example}: {{schema: {{type: string}}}}`")
            };
            cx.report_definition(operation, response, None, what)
                .help(format!("declare it under the response's `headers`: {header}"));
        }
    }
}

/// The row whose words a `default` response is held to: the 4XX row (it stands for every
/// error code), else the 5XX row.
fn default_row(ruleset: &Ruleset) -> Option<&CodeRow> {
    let range_row = |code: u16| ruleset.exact_row(code).filter(|row| row.key.is_range());
    range_row(499).or_else(|| range_row(599))
}

/// The headers `default` declares: those both error range rows (4XX and 5XX) ask for, since
/// it stands for any error code; none without both rows.
fn error_headers(ruleset: &Ruleset) -> Vec<&str> {
    let row_of = |code: u16| ruleset.exact_row(code).filter(|row| row.key.is_range());
    let (Some(client), Some(server)) = (row_of(499), row_of(599)) else { return Vec::new() };
    let server_headers = other_headers(server);
    other_headers(client)
        .into_iter()
        .filter(|name| server_headers.iter().any(|other| other.eq_ignore_ascii_case(name)))
        .collect()
}

/// The row's required headers that no other check reads.
fn other_headers(row: &CodeRow) -> Vec<&str> {
    row.response_headers
        .iter()
        .map(String::as_str)
        .filter(|name| !OWN_CHECKS.iter().any(|own| own.eq_ignore_ascii_case(name)))
        .collect()
}

/// "`Operation-Location`", "`A` and `B`".
fn quoted(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    fn document(headers: &str) -> String {
        format!(
            "swagger: '2.0'\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      responses:\n        '202':\n          description: d\n{headers}"
        )
    }

    #[test]
    fn an_accepted_without_its_status_monitor_is_reported() {
        let findings = lint_text("response-header", "azure", &document(""));
        assert_eq!(findings, ["7:9 POST /a: 202 Accepted declares no `Operation-Location` header"]);
    }

    #[test]
    fn the_header_in_any_case_passes() {
        let headers = "          headers:\n            operation-location: {type: string}\n";
        assert!(lint_text("response-header", "azure", &document(headers)).is_empty());
    }

    #[test]
    fn location_and_retry_after_are_left_to_their_checks() {
        assert!(lint_text("response-header", "ed-fi", &document("").replace("'202'", "'201'")).is_empty());
        assert!(lint_text("response-header", "recommended", &document("").replace("'202'", "'429'")).is_empty());
    }
}
