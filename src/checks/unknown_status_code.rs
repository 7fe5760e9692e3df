use crate::model::{CodeKind, Operation, Response, StatusKey, reason_phrase};

use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// Checks that every response key is a status code HTTP registers (IANA's HTTP Status
    /// Code Registry: RFC 9110 and the RFCs it cites), or a key the specification version
    /// allows instead: `default` always, and the ranges `1XX` to `5XX` from OpenAPI 3.0 on,
    /// written with an upper-case `X`. Where the intended code is plain (the description
    /// names it, or the key is a code with a stray suffix or a letter O for a zero), the
    /// help suggests it.
    ///
    /// Platform idioms get no exception: the AWS specs APIs.guru converts give each
    /// exception shape an invented code (480 to 494), and each is reported, since a client
    /// can never receive it.
    ///
    /// ## Why is this bad?
    /// A client cannot receive a status HTTP does not define, so a response declared under
    /// one is dead documentation, and the code the server really sends is undocumented.
    /// Ed-Fi's own table shows how easily it happens: it lists "492 Too Many Requests",
    /// which is 429 (RFC 6585). Swagger 2.0 allows "any HTTP status code" as a key and no
    /// ranges; OpenAPI 3.x allows ranges with "the uppercase wildcard character X" only.
    /// Tools reject or silently drop the other keys.
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
    ///         "492":
    ///           description: Too Many Requests.
    ///         "5xx":
    ///           description: A server error.
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
    ///           description: Too Many Requests.
    ///         "5XX":
    ///           description: A server error.
    /// ```
    pub UnknownStatusCode, id: "unknown-status-code", severity: Error, summary: "Response keys are registered HTTP status codes, `default`, or ranges the spec version allows",
    reads: "the IANA registry (not the ruleset)"
}

impl Check for UnknownStatusCode {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        let Some(responses) = &operation.responses else { return };
        let version = cx.api.version;
        for response in &responses.entries {
            let key = &response.code.text;
            let (problem, help) = match response.code.kind {
                CodeKind::Default => continue,
                CodeKind::Exact(code) => {
                    if reason_phrase(code).is_some() {
                        continue;
                    }
                    let problem = format!("{code} is not a registered HTTP status code");
                    let help = match intended_code(response, Some(code)) {
                        Some(suggestion) => did_you_mean(suggestion),
                        None => "use a registered code (RFC 9110 §15 and the IANA registry), or `default`".to_owned(),
                    };
                    (problem, help)
                }
                CodeKind::Range(_) if !version.allows_ranges() => (
                    format!(
                        "`{key}` is a range, which {} does not allow (ranges came with OpenAPI 3.0)",
                        version.label()
                    ),
                    "declare the codes the operation answers one by one, or use `default`".to_owned(),
                ),
                CodeKind::Range(_) if key.contains('x') => (
                    format!("`{key}` is not a valid range: {} writes ranges with an upper-case X", version.label()),
                    format!("write `{}`", key.to_ascii_uppercase()),
                ),
                CodeKind::Range(_) => continue,
                CodeKind::Invalid => {
                    let allowed = if version.allows_ranges() {
                        "a code from 100 to 599, a range such as `4XX`, or `default`"
                    } else {
                        "a code from 100 to 599, or `default`"
                    };
                    let problem = format!("`{key}` is not an HTTP status code");
                    let help = match intended_code(response, None) {
                        Some(suggestion) => did_you_mean(suggestion),
                        None => format!("a response key is {allowed}"),
                    };
                    (problem, help)
                }
            };
            let message = match cx.ruleset.citation(UnknownStatusCode::META.id) {
                Some(citation) => format!("{}: {problem} ({}, {citation})", operation.label(), cx.ruleset.name()),
                None => format!("{}: {problem}", operation.label()),
            };
            cx.report_response(response, message).help(help);
        }
    }
}

fn did_you_mean(code: u16) -> String {
    match reason_phrase(code) {
        Some(name) => format!("did you mean {code} ({name})?"),
        None => format!("did you mean {code}?"),
    }
}

/// The registered code a key was plainly meant to be: the key with a stray suffix or a
/// letter O for a zero fixed (`200 OK`, `2OO`), or the code whose reason phrase the
/// response's description starts with ("492: Too Many Requests" → 429), of the written
/// code's class. `None` when unclear.
fn intended_code(response: &Response, written: Option<u16>) -> Option<u16> {
    if written.is_none() {
        if let Some(code) = repaired_key(&response.code.text) {
            return Some(code);
        }
    }
    let named = named_code(response.description.as_deref()?)?;
    match written {
        Some(written) => (named / 100 == written / 100 && named != written).then_some(named),
        None => Some(named),
    }
}

/// A key that is a registered code once trimmed, cut at a space, or with `O`/`o` read as
/// a zero.
fn repaired_key(text: &str) -> Option<u16> {
    let head = text.trim().split(|c: char| c.is_whitespace() || c == '-' || c == ':').next().unwrap_or("");
    let digits: String = head.chars().map(|c| if matches!(c, 'O' | 'o') { '0' } else { c }).collect();
    match StatusKey::parse(&digits).kind {
        CodeKind::Exact(code) if reason_phrase(code).is_some() && digits != text => Some(code),
        _ => None,
    }
}

/// The code whose reason phrase a description starts with, as whole words ("Not Found."
/// is 404, not 302 Found); the longest phrase wins.
fn named_code(description: &str) -> Option<u16> {
    let description = description.trim_start().to_ascii_lowercase();
    (100..=599)
        .filter_map(|code| Some((code, reason_phrase(code)?.to_ascii_lowercase())))
        .filter(|(_, name)| {
            description.strip_prefix(name.as_str()).is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        })
        .max_by_key(|(_, name)| name.len())
        .map(|(code, _)| code)
}

#[cfg(test)]
mod tests {
    use super::{named_code, repaired_key};
    use crate::checks::test_support::lint_text;

    fn document(version: &str, key: &str, description: &str) -> String {
        format!(
            "{version}\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n        '{key}':\n          description: {description}\n"
        )
    }

    #[test]
    fn unregistered_codes_are_reported_with_a_suggestion_from_the_description() {
        let findings =
            lint_text("unknown-status-code", "recommended", &document("openapi: 3.0.3", "492", "Too Many Requests"));
        assert_eq!(findings, ["9:9 GET /a: 492 is not a registered HTTP status code"]);
    }

    #[test]
    fn keys_outside_the_codes_are_reported() {
        for key in ["600", "20", "2xx0", "ok"] {
            let findings = lint_text("unknown-status-code", "recommended", &document("openapi: 3.1.0", key, "d"));
            assert_eq!(findings, [format!("9:9 GET /a: `{key}` is not an HTTP status code")], "{key}");
        }
    }

    #[test]
    fn ranges_depend_on_the_version_and_case() {
        let findings = lint_text("unknown-status-code", "recommended", &document("swagger: '2.0'", "4XX", "d"));
        assert_eq!(findings, ["9:9 GET /a: `4XX` is a range, which Swagger 2.0 does not allow"]);
        let findings = lint_text("unknown-status-code", "recommended", &document("openapi: 3.0.3", "4xx", "d"));
        assert_eq!(
            findings,
            ["9:9 GET /a: `4xx` is not a valid range: OpenAPI 3.0 writes ranges with an upper-case X"]
        );
        assert!(lint_text("unknown-status-code", "recommended", &document("openapi: 3.1.0", "4XX", "d")).is_empty());
    }

    #[test]
    fn registered_codes_and_default_pass() {
        for key in ["100", "103", "226", "308", "451", "511", "default"] {
            let findings = lint_text("unknown-status-code", "recommended", &document("swagger: '2.0'", key, "d"));
            assert!(findings.is_empty(), "{key}: {findings:?}");
        }
    }

    #[test]
    fn suggestions_are_made_only_where_plain() {
        assert_eq!(repaired_key("2OO"), Some(200));
        assert_eq!(repaired_key("200 OK"), Some(200));
        assert_eq!(repaired_key("ok"), None);
        assert_eq!(repaired_key("2xx0"), None);
        assert_eq!(named_code("Too many requests: slow down."), Some(429));
        assert_eq!(named_code("Not Found."), Some(404));
        assert_eq!(named_code("Foundation missing"), None);
        assert_eq!(named_code("Error processing the request"), None);
    }
}
