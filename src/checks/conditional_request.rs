use crate::model::{CodeKind, Operation, ParamIn};
use crate::resolve::NodeRef;

use super::ruleset::{CodeRow, Ruleset, TableKey};
use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that the conditional responses match the request headers an operation
    /// accepts: a 304 Not Modified only where the operation accepts `If-None-Match` or
    /// `If-Modified-Since`, a 412 Precondition Failed only where it accepts `If-Match` or
    /// `If-Unmodified-Since` (the headers are the table's `request_headers` for the code;
    /// a code the method cannot answer at all is left to `code-allowed-for-method`).
    /// Where the table says a header implies its code (`implied_by_request_headers`), an
    /// operation that accepts the header must also declare the code: Ed-Fi's `If-None-Match`
    /// → 304 and `If-Match` → 412.
    ///
    /// Header parameters are matched ignoring case, through `$ref`s and from the path item.
    /// `Accept`, `Content-Type` and `Authorization` count as always accepted: OpenAPI 3
    /// ignores header parameters with those names.
    ///
    /// Platform idioms: GitHub answers 304 on most GETs without declaring `If-None-Match`,
    /// since it honours conditional requests everywhere; `recommended` keeps the finding at
    /// info for that reason. Where no operation that declares a conditional code accepts
    /// its headers (none of the operations declaring 304 takes `If-None-Match` or
    /// `If-Modified-Since`), that is the document's convention, not a slip per operation:
    /// it is reported once, at `paths`, with every operation concerned in `used_by`.
    ///
    /// ## Why is this bad?
    /// A server sends 304 only to a conditional GET or HEAD whose validator still matches,
    /// and 412 only when a precondition the client sent fails (RFC 9110, 15.4.5 and
    /// 15.5.13). Codemify: 304 "is used when the resource has not been modified since the
    /// version specified by the request headers If-Modified-Since or If-None-Match". Ed-Fi:
    /// 304 is "Returned when the client includes the "If-None-Match" header", 412 "if an
    /// "If-Match" header pre-condition fails". A 304 on an operation that takes no
    /// validator can never be sent, and a client generated from the document does not
    /// know which header to send; an `If-None-Match` without a declared 304 leaves the
    /// client unprepared for the empty answer.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}:
    ///     get:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    ///         "304":
    ///           description: Not modified.
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}:
    ///     get:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    ///         - {name: If-None-Match, in: header, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    ///         "304":
    ///           description: Not modified.
    /// ```
    pub ConditionalRequest, id: "conditional-request", severity: Info, summary: "304 and 412 go with the conditional request headers that cause them",
    reads: "rows' `request_headers` and `implied_by_request_headers`"
}

/// Headers OpenAPI 3 ignores as parameters ("the parameter definition SHALL be ignored"),
/// so no document can declare them: every operation counts as accepting them.
const UNDECLARABLE_HEADERS: [&str; 3] = ["Accept", "Content-Type", "Authorization"];

impl Check for ConditionalRequest {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        ruleset
            .codes()
            // A row that only names undeclarable headers (406 with `Accept`) never reports.
            .filter(|row| row.request_headers.iter().any(|header| !is_undeclarable(header)))
            .map(|row| {
                let headers = or_list(&row.request_headers);
                if row.implied_by_request_headers {
                    let one = if row.request_headers.len() == 1 { "it" } else { "one" };
                    format!("{} only with {headers}, and declared wherever {one} is accepted", row.label())
                } else {
                    format!("{} only with {headers}", row.label())
                }
            })
            .collect()
    }

    fn check_api(&self, cx: &mut CheckContext<'_>) {
        let api = cx.api;
        // Per code: the operations declaring it, and those of them that accept none of its headers.
        let mut declaring: std::collections::BTreeMap<String, (usize, Vec<&Operation>)> = Default::default();
        for operation in &api.operations {
            for (code, accepted) in conditional_codes(cx, operation) {
                let (count, without) = declaring.entry(code).or_default();
                *count += 1;
                if !accepted {
                    without.push(operation);
                }
            }
        }
        let convention: Vec<String> = declaring
            .iter()
            .filter(|(_, (count, without))| *count >= 2 && without.len() == *count)
            .map(|(code, _)| code.clone())
            .collect();
        for operation in &api.operations {
            cx.set_operation(Some(operation));
            check_operation(cx, operation, &convention);
        }
        cx.set_operation(None);
        for code in &convention {
            let Some((_, without)) = declaring.get(code) else { continue };
            let Some(row) = cx.ruleset.code(code) else { continue };
            let headers = quoted_list(&row.request_headers);
            let message = format!(
                "{code} {} is declared by operations none of which accepts {headers} ({})",
                row.name,
                reason(row)
            );
            let first = row.request_headers.first().map_or("", String::as_str);
            let at = cx.workspace.get(api.root, "paths").unwrap_or(api.root);
            cx.report_document(at, message, without).help(format!(
                "declare the `{first}` header parameter the server honours (a shared parameter in \
                     `components/parameters` serves every operation), or remove the {code} responses"
            ));
        }
    }
}

/// The conditional codes an operation declares that its method can answer, and whether
/// it accepts one of each one's request headers.
fn conditional_codes(cx: &CheckContext<'_>, operation: &Operation) -> Vec<(String, bool)> {
    let Some(responses) = &operation.responses else { return Vec::new() };
    responses
        .entries
        .iter()
        .filter(|response| matches!(response.code.kind, CodeKind::Exact(_)))
        .filter_map(|response| {
            let row = cx.ruleset.row(&response.code)?;
            (!row.request_headers.is_empty() && row.allows_method(operation.method))
                .then(|| (response.code.text.clone(), accepts_any(operation, row)))
        })
        .collect()
}

/// One operation's findings; the codes in `convention` are reported for the document.
fn check_operation(cx: &mut CheckContext<'_>, operation: &Operation, convention: &[String]) {
    {
        let Some(responses) = &operation.responses else { return };
        let method = operation.method;
        // A declared code whose row presupposes request headers the operation does not accept.
        for response in &responses.entries {
            if !matches!(response.code.kind, CodeKind::Exact(_)) || convention.contains(&response.code.text) {
                continue;
            }
            let Some(row) = cx.ruleset.row(&response.code) else { continue };
            // A code the method cannot answer (304 on POST) is `code-allowed-for-method`'s to report.
            if row.request_headers.is_empty() || !row.allows_method(method) || accepts_any(operation, row) {
                continue;
            }
            let headers = quoted_list(&row.request_headers);
            let message = format!(
                "{} declares {} {}, but accepts no {headers} header ({})",
                operation.label(),
                response.code.text,
                row.name,
                reason(row)
            );
            let first = row.request_headers.first().map_or("", String::as_str);
            cx.report_response(response, message).help(format!(
                "declare the `{first}` header parameter the server honours, or remove the {} response",
                response.code.text
            ));
        }
        // The converse: an accepted header whose row says the operation then declares its code.
        for row in cx.ruleset.codes() {
            if !row.implied_by_request_headers || !row.allows_method(method) {
                continue;
            }
            let TableKey::Code(code) = row.key else { continue };
            let Some(header) = declared_header(operation, row) else { continue };
            let declared = responses.entries.iter().any(|response| {
                // `default` describes errors in practice: it stands for a 304 nowhere.
                (response.code.kind != CodeKind::Default || row.key.is_error())
                    && cx.ruleset.settings().satisfies(row.key, &response.code)
            });
            if declared {
                continue;
            }
            let message =
                format!("{} accepts `{}` but declares no {code} ({})", operation.label(), header.name, reason(row));
            let related = header_related(cx, header.at, &header.chain, &header.name);
            let when = match code {
                304 => format!("when `{}` finds the resource unchanged", header.name),
                412 => format!("when the `{}` precondition fails", header.name),
                _ => format!("in answer to `{}`", header.name),
            };
            cx.report(responses.node, message)
                .help(format!("declare the {} response: the server sends it {when}", row.label()))
                .related(related)
                .codes([code.to_string()]);
        }
    }
}

/// A header parameter an operation declares, where it is written.
struct DeclaredHeader {
    name: String,
    at: NodeRef,
    chain: Vec<NodeRef>,
}

/// The first of a row's request headers that the operation declares as a parameter.
fn declared_header(operation: &Operation, row: &CodeRow) -> Option<DeclaredHeader> {
    row.request_headers.iter().find_map(|wanted| {
        let parameter = operation
            .parameters
            .iter()
            .find(|p| p.location == ParamIn::Header && p.name.eq_ignore_ascii_case(wanted))?;
        Some(DeclaredHeader { name: parameter.name.clone(), at: parameter.node, chain: parameter.chain.clone() })
    })
}

/// Whether the operation accepts one of a row's request headers: declares it, or it is
/// one no document can declare.
fn accepts_any(operation: &Operation, row: &CodeRow) -> bool {
    row.request_headers.iter().any(|wanted| {
        is_undeclarable(wanted)
            || operation.parameters.iter().any(|p| p.location == ParamIn::Header && p.name.eq_ignore_ascii_case(wanted))
    })
}

fn is_undeclarable(header: &str) -> bool {
    UNDECLARABLE_HEADERS.iter().any(|name| name.eq_ignore_ascii_case(header))
}

fn header_related(
    cx: &CheckContext<'_>,
    parameter: NodeRef,
    chain: &[NodeRef],
    name: &str,
) -> Vec<crate::finding::Related> {
    let mut related = Vec::new();
    let at = cx.workspace.get(parameter, "name").unwrap_or(parameter);
    if let Some(location) = cx.workspace.location(at) {
        related.push(crate::finding::Related { location, label: format!("`{name}` accepted here") });
    }
    related.extend(cx.workspace.chain_related(chain));
    related
}

/// "`If-None-Match` or `If-Modified-Since`".
fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    or_list(&quoted)
}

/// "a, b or c".
fn or_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

fn reason(row: &CodeRow) -> String {
    if row.note.is_empty() {
        format!("{}: {} goes with {}", row.origin, row.label(), or_list(&row.request_headers))
    } else {
        format!("{}: {}", row.origin, row.note)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n";

    fn doc(body: &str) -> String {
        format!("{HEAD}{body}")
    }

    /// Where no operation declaring 304 accepts a validator, that is the document's way:
    /// one finding at `paths`; where one does, the others are slips, reported each.
    #[test]
    fn a_convention_across_the_document_is_one_finding() {
        let op = |path: &str, parameters: &str| {
            format!(
                "  {path}:\n    get:\n{parameters}      responses:\n        '200': {{description: d}}\n        '304': {{description: d}}\n"
            )
        };
        let validator = "      parameters:\n        - {name: If-None-Match, in: header, schema: {type: string}}\n";
        let none = doc(&(op("/a", "") + &op("/b", "") + &op("/c", "")));
        assert_eq!(
            lint_text("conditional-request", "recommended", &none),
            [
                "3:1 304 Not Modified is declared by operations none of which accepts `If-None-Match` or `If-Modified-Since`"
            ]
        );
        let some = doc(&(op("/a", validator) + &op("/b", "") + &op("/c", "")));
        let findings = lint_text("conditional-request", "recommended", &some);
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(
            findings.iter().all(|finding| finding.contains("GET /b") || finding.contains("GET /c")),
            "{findings:?}"
        );
    }

    #[test]
    fn not_modified_without_a_validator_is_reported_at_the_response() {
        let findings = lint_text(
            "conditional-request",
            "recommended",
            &doc(
                "  /a:\n    get:\n      responses:\n        '200': {description: d}\n        '304': {description: d}\n",
            ),
        );
        assert_eq!(
            findings,
            ["8:9 GET /a declares 304 Not Modified, but accepts no `If-None-Match` or `If-Modified-Since` header"]
        );
    }

    #[test]
    fn header_names_match_ignoring_case_and_through_refs() {
        let text = doc(concat!(
            "  /a:\n    parameters:\n      - $ref: '#/components/parameters/etag'\n",
            "    get:\n      responses:\n        '200': {description: d}\n        '304': {description: d}\n",
            "components:\n  parameters:\n    etag: {name: if-none-match, in: header, schema: {type: string}}\n",
        ));
        assert!(lint_text("conditional-request", "recommended", &text).is_empty());
    }

    #[test]
    fn an_accepted_if_none_match_implies_304_under_ed_fi() {
        let text = doc(concat!(
            "  /a:\n    get:\n      parameters:\n        - {name: If-None-Match, in: header, schema: {type: string}}\n",
            "      responses:\n        '200': {description: d, content: {application/json: {}}}\n",
        ));
        assert_eq!(
            lint_text("conditional-request", "ed-fi", &text),
            ["8:7 GET /a accepts `If-None-Match` but declares no 304"]
        );
        // The recommended table does not make the header imply the code.
        assert!(lint_text("conditional-request", "recommended", &text).is_empty());
    }

    #[test]
    fn precondition_failed_needs_if_match_and_an_accepted_if_match_implies_it() {
        let without = doc(
            "  /a:\n    put:\n      responses:\n        '204': {description: d}\n        '412': {description: d}\n",
        );
        assert_eq!(
            lint_text("conditional-request", "ed-fi", &without),
            ["8:9 PUT /a declares 412 Precondition Failed, but accepts no `If-Match` header"]
        );
        let with = doc(concat!(
            "  /a:\n    put:\n      parameters:\n        - {name: If-Match, in: header, schema: {type: string}}\n",
            "      responses:\n        '204': {description: d}\n        '412': {description: d}\n",
        ));
        assert!(lint_text("conditional-request", "ed-fi", &with).is_empty());
    }

    #[test]
    fn accept_counts_as_accepted_for_406() {
        let text = doc(
            "  /a:\n    get:\n      responses:\n        '200': {description: d}\n        '406': {description: d}\n",
        );
        assert!(lint_text("conditional-request", "rest-api-guide", &text).is_empty());
    }
}
