use crate::model::{Api, CodeKind, Operation, Response, SpecVersion};

use super::ruleset::{CodeRow, Ruleset};
use super::{Check, CheckContext, CheckMeta, declare_check};

/// Headers that have a check of their own (`location-header`, `retry-after`).
const OWN_CHECKS: [&str; 2] = ["Location", "Retry-After"];

declare_check! {
    /// ## What it does
    /// Checks that a response declares the headers its row in the ruleset's table lists
    /// in `response_headers`, other than `Location` and `Retry-After` (which
    /// `location-header` and `retry-after` check): Azure's `Operation-Location` on a 202
    /// Accepted, and `x-ms-error-code` on its error rows (which a `default` response, standing
    /// for every error code, declares too). Header names compare ignoring case, and `$ref`'d
    /// headers are followed. A response defined once and shared through `$ref` is reported
    /// once, at its definition; a header that no response of the document declares, though
    /// three or more should, is the API's convention and is reported once, at `paths`, with
    /// every operation concerned in `used_by`.
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
                let headers: Vec<&str> = other_headers(row).into_iter().map(lead).collect();
                (!headers.is_empty()).then(|| format!("{} on {}", quoted(&headers), row.label()))
            })
            .collect();
        if notes.is_empty() {
            return vec!["no code requires a header besides `Location` and `Retry-After`".to_owned()];
        }
        notes
    }

    fn check_api(&self, cx: &mut CheckContext<'_>) {
        let api = cx.api;
        let misses = misses(cx.ruleset, api);
        // A header no response of the document declares, missing from several: the API's
        // convention (it sends its status monitor or error code some other way, or not at
        // all), said once rather than at every response.
        let mut conventions: Vec<&str> = Vec::new();
        for miss in &misses {
            for &name in &miss.missing {
                if conventions.iter().any(|seen| seen.eq_ignore_ascii_case(name)) {
                    continue;
                }
                let missing_from = misses.iter().filter(|other| other.lacks(name)).count();
                if missing_from >= CONVENTION_MIN_RESPONSES && !declared_anywhere(api, name) {
                    conventions.push(name);
                }
            }
        }
        for &name in &conventions {
            report_convention(cx, &misses, name);
        }
        for miss in &misses {
            let missing: Vec<&str> = miss
                .missing
                .iter()
                .copied()
                .filter(|name| !conventions.iter().any(|convention| convention.eq_ignore_ascii_case(name)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            cx.set_operation(Some(miss.operation));
            report_one(cx, miss, &missing);
        }
        cx.set_operation(None);
    }
}

/// How many responses lacking a header no response declares make the API's convention.
const CONVENTION_MIN_RESPONSES: usize = 3;

/// A response without headers its row asks for.
struct Miss<'a> {
    operation: &'a Operation,
    response: &'a Response,
    row: &'a CodeRow,
    missing: Vec<&'a str>,
}

impl Miss<'_> {
    fn lacks(&self, name: &str) -> bool {
        self.missing.iter().any(|missing| missing.eq_ignore_ascii_case(name))
    }
}

/// Every response of the document that lacks a header its row (or, for `default`, every
/// error range row) asks for.
fn misses<'a>(ruleset: &'a Ruleset, api: &'a Api) -> Vec<Miss<'a>> {
    let mut misses = Vec::new();
    for operation in &api.operations {
        let Some(responses) = &operation.responses else { continue };
        for response in &responses.entries {
            // A `$ref` that did not resolve leaves nothing to look at (it was reported).
            if !response.resolved {
                continue;
            }
            let (row, wanted) = match response.code.kind {
                CodeKind::Default => (default_row(ruleset), error_headers(ruleset)),
                _ => {
                    let row = ruleset.row(&response.code);
                    (row, row.map(other_headers).unwrap_or_default())
                }
            };
            let Some(row) = row else { continue };
            let missing: Vec<&str> = wanted
                .into_iter()
                .filter(|alternatives| alternatives.iter().all(|name| response.header(name).is_none()))
                .map(lead)
                .collect();
            if !missing.is_empty() {
                misses.push(Miss { operation, response, row, missing });
            }
        }
    }
    misses
}

/// Whether any response of the document declares the header.
fn declared_anywhere(api: &Api, name: &str) -> bool {
    api.operations
        .iter()
        .filter_map(|operation| operation.responses.as_ref())
        .flat_map(|responses| &responses.entries)
        .any(|response| response.header(name).is_some())
}

fn reason(row: &CodeRow) -> String {
    let note = if row.note.is_empty() { "the table asks for it" } else { row.note.as_str() };
    format!("{}: {note}", row.origin)
}

fn header_example(cx: &CheckContext<'_>, name: &str) -> String {
    if cx.api.version == SpecVersion::Swagger2 {
        format!("`{name}: {{type: string}}`")
    } else {
        format!("`{name}: {{schema: {{type: string}}}}`")
    }
}

fn report_one(cx: &mut CheckContext<'_>, miss: &Miss<'_>, missing: &[&str]) {
    let what = format!(
        "{} declares no {} header ({})",
        cx.ruleset.response_label(&miss.response.code),
        quoted(missing),
        reason(miss.row)
    );
    let example = header_example(cx, missing.first().copied().unwrap_or_default());
    cx.report_definition(miss.operation, miss.response, None, what)
        .help(format!("declare it under the response's `headers`: {example}"));
}

/// One finding, at `paths`, for a header no response of the document declares.
fn report_convention(cx: &mut CheckContext<'_>, misses: &[Miss<'_>], name: &str) {
    let lacking: Vec<&Miss<'_>> = misses.iter().filter(|miss| miss.lacks(name)).collect();
    let Some(first) = lacking.first() else { return };
    let mut codes: Vec<&str> = lacking.iter().map(|miss| miss.response.code.text.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut operations: Vec<&Operation> = Vec::new();
    for miss in &lacking {
        if !operations.iter().any(|seen| std::ptr::eq(*seen, miss.operation)) {
            operations.push(miss.operation);
        }
    }
    let message = format!(
        "no response of this document declares `{name}`, and {} responses ({}) should ({})",
        lacking.len(),
        codes.join(", "),
        reason(first.row)
    );
    let help = format!(
        "declare `{name}` under the `headers` of those responses (e.g. {}), or, if the API does not send it, turn `response-header` off in a ruleset that extends {}",
        header_example(cx, name),
        cx.ruleset.name()
    );
    let at = cx.workspace.get(cx.api.root, "paths").unwrap_or(cx.api.root);
    cx.set_operation(None);
    cx.report_document(at, message, &operations).help(help);
}

/// The row whose words a `default` response is held to: the 4XX row (it stands for every
/// error code), else the 5XX row.
fn default_row(ruleset: &Ruleset) -> Option<&CodeRow> {
    let range_row = |code: u16| ruleset.exact_row(code).filter(|row| row.key.is_range());
    range_row(499).or_else(|| range_row(599))
}

/// The headers `default` declares: those both error range rows (4XX and 5XX) ask for, since
/// it stands for any error code; none without both rows.
fn error_headers(ruleset: &Ruleset) -> Vec<&[String]> {
    let row_of = |code: u16| ruleset.exact_row(code).filter(|row| row.key.is_range());
    let (Some(client), Some(server)) = (row_of(499), row_of(599)) else { return Vec::new() };
    let server_headers = other_headers(server);
    other_headers(client)
        .into_iter()
        .filter(|wanted| server_headers.iter().any(|other| lead(other).eq_ignore_ascii_case(lead(wanted))))
        .collect()
}

/// The row's required headers that no other check reads: each requirement's alternatives.
fn other_headers(row: &CodeRow) -> Vec<&[String]> {
    row.response_headers
        .iter()
        .map(Vec::as_slice)
        .filter(|alternatives| !OWN_CHECKS.iter().any(|own| own.eq_ignore_ascii_case(lead(alternatives))))
        .collect()
}

/// The header a requirement is named by: its first alternative.
fn lead(alternatives: &[String]) -> &str {
    alternatives.first().map_or("", String::as_str)
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
    fn a_header_no_response_declares_is_the_documents_convention() {
        let mut text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n".to_owned();
        for path in ["a", "b", "c"] {
            text.push_str(&format!("  /{path}:\n    post:\n      responses:\n        '202': {{description: d}}\n"));
        }
        let findings = lint_text("response-header", "azure", &text);
        assert_eq!(findings, ["3:1 no response of this document declares `Operation-Location`, and 3 responses"]);
        // One response that declares it makes the others slips, reported one by one.
        let text = text.replacen(
            "'202': {description: d}",
            "'202': {description: d, headers: {Operation-Location: {type: string}}}",
            1,
        );
        assert_eq!(lint_text("response-header", "azure", &text).len(), 2);
    }

    #[test]
    fn default_declares_the_headers_of_every_error_row() {
        let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: d}\n        default: {description: d}\n";
        assert_eq!(
            lint_text("response-header", "azure", text),
            ["8:9 GET /a: `default` declares no `x-ms-error-code` header"]
        );
        let declared = text.replace(
            "default: {description: d}",
            "default: {description: d, headers: {x-ms-error-code: {type: string}}}",
        );
        assert!(lint_text("response-header", "azure", &declared).is_empty());
        assert!(lint_text("response-header", "recommended", text).is_empty());
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
