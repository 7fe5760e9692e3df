//! Tests of the built-in rulesets, loading, `extends`, merging and errors.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::status::{Method, TableKey, reason_phrase};
use crate::model::StatusKey;

use super::{
    BUILTIN_NAMES, Body, CHECK_IDS, Condition, DEFAULT_RULESET, OperationFacts, Ruleset, RulesetError, SCHEMA,
    builtin_text, default_severity,
};
use crate::finding::Severity;

fn load(text: &str) -> Result<Ruleset, RulesetError> {
    Ruleset::from_str("user.yaml", text)
}

/// The message of a loading error, with the file, line and column it names.
fn error(text: &str) -> String {
    match load(text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(err) => err.to_string(),
    }
}

fn facts(method: Method) -> OperationFacts {
    OperationFacts {
        method,
        has_path_parameters: false,
        has_input: false,
        secured: None,
        creates: false,
        action: false,
        long_running: false,
    }
}

#[test]
fn declare_and_long_running_entries_load_and_merge() {
    let ruleset = load(
        "extends: azure
codes:
  \"409\": {declare: never}
  \"404\": {declare: when_returned}
method_success:
  post: {long_running: {acceptable: [200]}}
  delete: {long_running: off}
settings: {specific_response: {description: true}}
",
    )
    .unwrap();
    assert_eq!(ruleset.code("409").unwrap().declare, super::Declare::Never);
    assert_eq!(ruleset.code("404").unwrap().declare, super::Declare::WhenReturned);
    assert_eq!(ruleset.code("418").unwrap().declare, super::Declare::IfSpecific);
    let post = ruleset.method_success(Method::Post).unwrap();
    let case = post.case(true, true);
    assert_eq!(case, super::SuccessCase::LongRunning);
    assert_eq!(post.codes_for(case).expected, [202]);
    assert_eq!(post.codes_for(case).acceptable, [200]);
    assert!(post.codes_for(case).exclusive);
    assert_eq!(post.case(true, false), super::SuccessCase::Creating);
    let delete = ruleset.method_success(Method::Delete).unwrap();
    assert_eq!(delete.case(false, true), super::SuccessCase::Plain);
    assert!(ruleset.settings().specific_response.description);
    let facts = OperationFacts { long_running: true, ..facts(Method::Put) };
    let condition = Condition { long_running: Some(true), ..Condition::default() };
    assert!(condition.holds(&facts));
    assert!(!condition.holds(&OperationFacts { long_running: false, ..facts }));
    assert_eq!(condition.describe(), "where the operation is long-running");
}

#[test]
fn citations_are_inherited_per_check_and_name_real_checks() {
    let zalando = Ruleset::builtin("zalando").unwrap();
    assert_eq!(zalando.citation("error-schema"), Some("rule 176"));
    assert_eq!(zalando.cited_name("error-schema"), "zalando, rule 176");
    assert_eq!(zalando.cited_name("no-body"), "zalando");
    let child = load("extends: zalando\nname: acme\ncitations:\n  error-schema: \"\"\n  no-body: \"§4\"\n").unwrap();
    assert_eq!(child.citation("error-schema"), None);
    assert_eq!(child.citation("no-raw-errors"), Some("rule 177"));
    assert_eq!(child.cited_name("no-body"), "acme, §4");
    assert!(error("citations: {no-bdy: x}\n").contains("no-bdy"));
}

#[test]
fn response_headers_take_alternatives() {
    let ruleset = load("codes:\n  \"429\":\n    response_headers: [[Retry-After, X-RateLimit-Reset], Link]\n").unwrap();
    let row = ruleset.code("429").unwrap();
    assert_eq!(row.response_header_alternatives("retry-after").unwrap(), ["Retry-After", "X-RateLimit-Reset"]);
    assert!(row.requires_response_header("Link"));
    // Only the first alternative names the requirement.
    assert!(!row.requires_response_header("X-RateLimit-Reset"));
    assert!(error("codes: {\"429\": {response_headers: [[]]}}\n").contains("empty list of alternatives"));
    assert!(error("codes: {\"429\": {response_headers: [[\"Retry After\"]]}}\n").contains("not an HTTP header name"));
}

#[test]
fn specific_when_needs_if_specific() {
    assert!(
        error("codes: {\"404\": {specific_when: {has_path_parameters: true}}}\n")
            .contains("needs `declare: if_specific`")
    );
}

#[test]
fn a_new_long_running_entry_needs_expected_and_off_needs_one_to_remove() {
    assert!(
        error("method_success: {post: {expected: [200], long_running: {acceptable: [202]}}}\n")
            .contains("`long_running` needs `expected`")
    );
    assert!(
        error("method_success: {get: {expected: [200], long_running: off}}\n")
            .contains("`off` removes inherited `long_running` codes")
    );
    assert!(error("codes: {\"409\": {declare: sometimes}}\n").contains("sometimes"));
}

#[test]
fn check_ids_are_sorted_and_have_defaults() {
    assert!(CHECK_IDS.windows(2).all(|pair| pair[0] < pair[1]));
    assert_eq!(default_severity("no-body"), Some(Severity::Error));
    assert_eq!(default_severity("no-such-check"), None);
}

/// A check's declared severity is what `recommended` gives it: the one default the docs,
/// `explain` and a ruleset that leaves the check out all agree on.
#[test]
fn declared_defaults_are_recommended_severities() {
    let recommended = Ruleset::builtin("recommended").unwrap_or_else(|err| panic!("{err}"));
    for &id in CHECK_IDS.iter() {
        assert_eq!(recommended.severity(id), default_severity(id), "{id}");
    }
}

#[test]
fn every_builtin_loads_and_is_complete() {
    assert_eq!(BUILTIN_NAMES.first(), Some(&super::DEFAULT_RULESET));
    for &name in BUILTIN_NAMES {
        let ruleset = Ruleset::builtin(name).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(ruleset.name(), name);
        assert_eq!(ruleset.lineage(), [name]);
        assert!(!ruleset.title().is_empty(), "{name}: title");
        let guideline = ruleset.guideline().unwrap_or_else(|| panic!("{name}: guideline"));
        assert!(!guideline.title.is_empty(), "{name}: guideline title");
        if name != "recommended" {
            let file = guideline.file.as_deref().unwrap_or_default();
            // The seed guidelines are `shared/guidelines/*.txt`, the others under `more/`.
            assert!(file.ends_with(".txt") || file.starts_with("more/"), "{name}: guideline file {file:?}");
        }
        assert!(!ruleset.corrections().is_empty(), "{name}: corrections");
        let text = builtin_text(name).unwrap_or_default();
        assert!(text.starts_with("# yaml-language-server: $schema=./ruleset.schema.json"));
    }
}

#[test]
fn every_builtin_row_cites_its_guideline_and_uses_registered_names() {
    for &name in BUILTIN_NAMES {
        let ruleset = Ruleset::builtin(name).unwrap();
        assert!(ruleset.codes().count() >= 10, "{name}: a short table");
        for row in ruleset.codes() {
            let label = format!("{name} {}", row.key);
            assert!(!row.note.is_empty(), "{label}: note");
            assert!(row.source.is_some(), "{label}: source");
            assert_eq!(row.origin, name);
            if let Some(code) = row.key.code() {
                assert_eq!(Some(row.name.as_str()), reason_phrase(code), "{label}");
            }
        }
        for success in ruleset.method_successes() {
            assert!(!success.note.is_empty(), "{name} {}: note", success.method);
            assert!(!success.default.expected.is_empty());
        }
    }
}

#[test]
fn builtins_encode_their_guidelines() {
    let ed_fi = Ruleset::builtin("ed-fi").unwrap();
    assert!(ed_fi.code("492").is_none());
    assert_eq!(ed_fi.code("429").unwrap().name, "Too Many Requests");
    assert!(ed_fi.corrections().iter().any(|c| c.contains("492")));
    let created = ed_fi.code("201").unwrap();
    assert_eq!(created.body, Some(Body::Forbidden));
    assert!(created.requires_response_header("LOCATION"));
    assert!(!created.allows_method(Method::Put));
    assert_eq!(ed_fi.settings().error_schema.required_properties, ["message"]);
    assert_eq!(ed_fi.settings().raw_error_match("stack_trace"), Some("stackTrace"));
    assert_eq!(ed_fi.settings().raw_error_match("StackTraceString"), Some("stackTrace"));
    assert_eq!(ed_fi.settings().raw_error_match("exceptionMessage"), Some("exception"));
    assert_eq!(ed_fi.settings().raw_error_match("innerException"), Some("exception"));
    assert_eq!(ed_fi.settings().raw_error_match("sqlQuery"), Some("sql"));
    assert_eq!(ed_fi.settings().raw_error_match("traceId"), None);
    assert_eq!(ed_fi.settings().raw_error_match("stackName"), None);
    assert_eq!(ed_fi.settings().raw_error_match("debugSetting"), None);
    assert_eq!(ed_fi.settings().raw_error_match("message"), None);
    // Ed-Fi's 400 "may" carry a body; its 200 carries none on a POST that creates.
    assert_eq!(ed_fi.code("400").unwrap().body, Some(Body::Optional));
    assert_eq!(ed_fi.code("403").unwrap().body, None);
    let post = |creates| OperationFacts { creates, ..facts(Method::Post) };
    assert_eq!(ed_fi.code("200").unwrap().body_for(&post(true)), Body::Forbidden);
    assert_eq!(ed_fi.code("200").unwrap().body_for(&post(false)), Body::Required);
    assert_eq!(ed_fi.severity("retry-after"), None);

    let guide = Ruleset::builtin("rest-api-guide").unwrap();
    assert_eq!(guide.code("404").unwrap().name, "Not Found");
    // 3xx: "the client must take some additional action in order to complete their request".
    assert!(!guide.counts_as_success(&StatusKey::parse("302")));
    assert!(!guide.counts_as_success(&StatusKey::parse("300")));
    assert!(guide.corrections().iter().any(|c| c.contains("No Content")));
    assert!(guide.code("302").unwrap().requires_response_header("Location"));

    let apinf = Ruleset::builtin("apinf").unwrap();
    let delete = apinf.method_success(Method::Delete).unwrap();
    assert_eq!(delete.codes(false).expected, [204]);
    // A DELETE that returns content answers 200.
    assert!(delete.codes(false).allows(200));
    assert!(apinf.settings().error_schema.require_body && apinf.settings().error_schema.description_suffices);
    let post = apinf.method_success(Method::Post).unwrap();
    assert_eq!(post.codes(true).expected, [201]);
    assert_eq!(post.codes(false).expected, [200]);
    assert!(apinf.method_success(Method::Patch).is_none());

    let codemify = Ruleset::builtin("codemify").unwrap();
    assert_eq!(codemify.code("200").unwrap().body, Some(Body::Required));
    assert!(codemify.counts_as_success(&StatusKey::parse("303")));
    assert!(!codemify.counts_as_success(&StatusKey::parse("304")));
}

#[test]
fn recommended_is_lenient_where_real_apis_differ() {
    let recommended = Ruleset::builtin("recommended").unwrap();
    let settings = recommended.settings();
    // Stripe declares only `default`; Kubernetes and GitHub use explicit codes.
    assert!(settings.satisfies(TableKey::Code(404), &StatusKey::parse("default")));
    assert!(settings.satisfies(TableKey::Code(404), &StatusKey::parse("4XX")));
    assert!(!settings.satisfies(TableKey::Code(404), &StatusKey::parse("5XX")));
    assert!(settings.satisfies(TableKey::Code(404), &StatusKey::parse("404")));
    assert_eq!(recommended.severity("error-responses"), Some(Severity::Info));
    // A range row stands for the codes of its class without a row of their own.
    assert_eq!(recommended.code("418").unwrap().key, TableKey::Range(4));
    assert_eq!(recommended.code("404").unwrap().key, TableKey::Code(404));
    assert!(recommended.code("default").is_none());
    assert!(recommended.code("102").is_none());
    // GitHub's redirects for downloads answer a GET.
    assert!(recommended.counts_as_success(&StatusKey::parse("302")));
    let delete = recommended.method_success(Method::Delete).unwrap();
    assert!(delete.codes(false).allows(200));
    assert!(delete.codes(false).allows(202));
}

#[test]
fn conditions_follow_the_documented_semantics() {
    let ruleset = Ruleset::builtin("ed-fi").unwrap();
    let unauthorized = ruleset.code("401").unwrap();
    let mut get = facts(Method::Get);
    // Security unknown: neither required nor forbidden.
    assert!(!unauthorized.is_required(&get));
    assert!(!unauthorized.is_forbidden(&get));
    get.secured = Some(true);
    assert!(unauthorized.is_required(&get));
    get.secured = Some(false);
    assert!(unauthorized.is_forbidden(&get));

    let server_error = ruleset.code("500").unwrap();
    assert!(server_error.required_when.iter().all(Condition::is_always));
    assert!(server_error.is_required(&facts(Method::Options)));

    let conflict = ruleset.code("409").unwrap();
    assert!(conflict.is_required(&facts(Method::Put)));
    assert!(!conflict.is_required(&facts(Method::Get)));
}

#[test]
fn a_user_ruleset_extends_overrides_and_adds() {
    let ruleset = load(
        "extends: recommended
name: mine
corrections: [\"We use 422 for validation errors.\"]
checks:
  async-202: off
  error-responses: warning
settings:
  default_satisfies_required: false
  error_schema:
    problem_json: true
codes:
  \"404\":
    required_when: never
  \"422\":
    required_when: {has_input: true}
    note: our validation errors
  \"206\": off
  \"599\":
    name: Network Connect Timeout
    note: our proxy
method_success:
  delete:
    acceptable: [200]
",
    )
    .unwrap();
    assert_eq!(ruleset.name(), "mine");
    assert_eq!(ruleset.title(), "mine (extends recommended)");
    assert_eq!(ruleset.lineage(), ["mine", "recommended"]);
    assert_eq!(ruleset.guideline(), Ruleset::builtin("recommended").unwrap().guideline());
    assert_eq!(ruleset.corrections().last().unwrap(), "We use 422 for validation errors.");
    assert_eq!(ruleset.severity("async-202"), None);
    assert_eq!(ruleset.severity("error-responses"), Some(Severity::Warning));
    assert_eq!(ruleset.severity("no-body"), Some(Severity::Error));
    let settings = ruleset.settings();
    assert!(!settings.default_satisfies_required);
    assert!(settings.ranges_satisfy_required, "inherited");
    assert!(settings.error_schema.problem_json);
    assert!(settings.error_schema.consistent, "inherited");

    // A changed row keeps the fields it does not set.
    let not_found = ruleset.code("404").unwrap();
    assert!(not_found.required_when.is_empty());
    assert!(not_found.note.contains("APInf"));
    assert_eq!(not_found.origin, "mine");
    assert_eq!(ruleset.code("401").unwrap().origin, "recommended");
    // A new row is named from the registry.
    let unprocessable = ruleset.code("422").unwrap();
    assert_eq!(unprocessable.name, "Unprocessable Content");
    let mut post = facts(Method::Post);
    post.has_input = true;
    assert!(unprocessable.is_required(&post));
    // Removed rows fall back to nothing (206 has no class range in recommended).
    assert!(ruleset.code("206").is_none());
    assert_eq!(ruleset.code("599").unwrap().name, "Network Connect Timeout");
    let delete = ruleset.method_success(Method::Delete).unwrap();
    assert_eq!(delete.codes(false).expected, [204], "inherited");
    assert_eq!(delete.codes(false).acceptable, [200]);
}

#[test]
fn a_ruleset_without_extends_uses_the_defaults() {
    let ruleset = load("codes:\n  \"200\": {note: ok}\n").unwrap();
    assert_eq!(ruleset.name(), "user.yaml");
    assert_eq!(ruleset.severity("no-body"), Some(Severity::Error));
    assert_eq!(ruleset.level("no-body"), None);
    assert_eq!(ruleset.checks().count(), CHECK_IDS.len());
    assert!(ruleset.code("201").is_none());
    assert!(ruleset.code("200").unwrap().success);
}

#[test]
fn errors_name_the_file_line_and_column() {
    let message = error("extends: recommended\ncodes:\n  \"404\":\n    nmae: Not Found\n");
    assert!(message.starts_with("user.yaml:4:5: unknown field `nmae`"), "{message}");

    let message = error("checks:\n  no-bdy: error\n");
    assert!(message.starts_with("user.yaml:2:3: unknown check `no-bdy`"), "{message}");

    let message = error("checks:\n  no-body: fatal\n");
    assert!(message.starts_with("user.yaml:2:12: unknown variant `fatal`"), "{message}");

    let message = error("codes:\n  \"4xx\": {note: x}\n");
    assert!(message.starts_with("user.yaml:2:3: write the range `4xx` in upper case"), "{message}");

    let message = error("codes:\n  600: {note: x}\n");
    assert!(message.starts_with("user.yaml:2:3: `600` is not an HTTP status code"), "{message}");

    let message = error("codes:\n  \"201\":\n    methods: [post, GET]\n");
    assert!(message.starts_with("user.yaml:3:21: write the method `GET` in lower case"), "{message}");

    let message = error("codes:\n  \"201\":\n    response_headers: [\"Loca tion\"]\n");
    assert!(message.starts_with("user.yaml:3:24: `Loca tion` is not an HTTP header name"), "{message}");

    let message = error("codes:\n  \"492\": {note: typo}\n");
    assert!(message.starts_with("user.yaml:2:3: 492 is not a registered status code"), "{message}");

    let message = error("codes:\n  \"200\":\n    required_when: always\n");
    assert!(message.starts_with("user.yaml:3:20: `required_when` applies to 4xx and 5xx rows"), "{message}");

    let message = error("codes:\n  \"404\":\n    required_when: {has_body: true}\n");
    assert!(message.starts_with("user.yaml:3:21: unknown field `has_body`"), "{message}");

    let message = error("codes:\n  \"404\":\n    success: true\n");
    assert!(message.starts_with("user.yaml:3:14: `success` applies to 2xx and 3xx"), "{message}");

    let message = error("codes:\n  \"204\":\n    body: required\n");
    assert!(message.contains("204 responses never carry content"), "{message}");

    let message = error("codes:\n  \"304\":\n    implied_by_request_headers: true\n");
    assert!(message.contains("needs the `request_headers`"), "{message}");

    let message = error("method_success:\n  post:\n    expected: [201, 4XX]\n");
    assert!(message.starts_with("user.yaml:3:21: 4XX cannot be a success code"), "{message}");

    let message = error("method_success:\n  post:\n    acceptable: [201]\n");
    assert!(message.starts_with("user.yaml:3:5: `post` needs `expected`"), "{message}");

    let message = error("settings:\n  error_schema: {any: true, problem_json: true}\n");
    assert!(message.starts_with("user.yaml:2:17: `any: true`"), "{message}");

    let message = error("codes:\n  \"302\": off\n");
    assert!(message.contains("no row for 302 to remove"), "{message}");

    let message = error("extends: recomended\n");
    assert!(message.starts_with("user.yaml:1:10: unknown built-in ruleset `recomended`"), "{message}");

    let message = error("checks:\n  no-body: error\n  no-body: off\n");
    assert!(message.starts_with("user.yaml:3:3: duplicate key `no-body`"), "{message}");

    let message = error("codes: [200]\n");
    assert!(message.starts_with("user.yaml:1:8: invalid type: sequence"), "{message}");
}

#[test]
fn unknown_keys_are_rejected_everywhere() {
    for (text, key) in [
        ("colour: red\n", "colour"),
        ("guideline: {title: t, year: 2020}\n", "year"),
        ("settings: {strict: true}\n", "strict"),
        ("settings: {creation: {verbs: [make]}}\n", "verbs"),
        ("settings: {error_schema: {shape: any}}\n", "shape"),
        ("method_success: {get: {expected: [200], preferred: [200]}}\n", "preferred"),
        ("method_success: {post: {expected: [200], creating: {expected: [201], x: 1}}}\n", "x"),
    ] {
        let message = error(text);
        assert!(message.contains(&format!("unknown field `{key}`")), "{text}: {message}");
    }
}

#[test]
fn errors_carry_the_span_and_location() {
    let err = load("checks:\n  no-bdy: error\n").unwrap_err();
    let location = err.location().unwrap();
    assert_eq!(location.file.slice(location.span), "no-bdy");
    assert_eq!(location.start().line, 2);
    let RulesetError::Invalid(invalid) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(invalid.file.name, "user.yaml");
    // Debug names the file; it does not dump the file's tree.
    let debug = format!("{err:?}");
    assert!(debug.contains("\"user.yaml\"") && !debug.contains("nodes"), "{debug}");
}

#[test]
fn unknown_builtin_and_missing_file_are_typed_errors() {
    assert!(matches!(Ruleset::builtin("nope"), Err(RulesetError::UnknownBuiltin { .. })));
    let err = Ruleset::from_file("/nonexistent/oaslint/ruleset.yaml").unwrap_err();
    assert!(matches!(err, RulesetError::Read { .. }), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/oaslint/ruleset.yaml"));
}

#[test]
fn files_extend_files_relative_to_themselves() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("team")).unwrap();
    fs::write(
        dir.path().join("team/base.yaml"),
        "extends: ed-fi\nname: team-base\nchecks: {code-not-in-guideline: info}\n",
    )
    .unwrap();
    fs::write(dir.path().join("project.yml"), "extends: team/base.yaml\ncodes:\n  \"410\": {note: snapshots}\n")
        .unwrap();
    let ruleset = Ruleset::from_file(dir.path().join("project.yml")).unwrap();
    assert_eq!(ruleset.name(), "project");
    assert_eq!(ruleset.lineage(), ["project", "team-base", "ed-fi"]);
    assert_eq!(ruleset.severity("code-not-in-guideline"), Some(Severity::Info));
    assert_eq!(ruleset.code("410").unwrap().name, "Gone");
    assert_eq!(ruleset.code("201").unwrap().origin, "ed-fi");

    // A JSON ruleset works the same way.
    fs::write(
        dir.path().join("strict.json"),
        r#"{"$schema": "../rules/ruleset.schema.json", "extends": "./project.yml", "checks": {"no-body": "warning"}}"#,
    )
    .unwrap();
    let strict = Ruleset::from_file(dir.path().join("strict.json")).unwrap();
    assert_eq!(strict.severity("no-body"), Some(Severity::Warning));
    assert_eq!(strict.lineage().len(), 4);
}

#[test]
fn extends_cycles_and_bad_targets_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), "extends: ./b.yaml\n").unwrap();
    fs::write(dir.path().join("b.yaml"), "extends: ./a.yaml\n").unwrap();
    let message = Ruleset::from_file(dir.path().join("a.yaml")).unwrap_err().to_string();
    assert!(message.contains("b.yaml:1:10: `extends` makes a cycle"), "{message}");
    assert!(message.contains("a.yaml → "), "{message}");

    fs::write(dir.path().join("self.yaml"), "extends: self.yaml\n").unwrap();
    let message = Ruleset::from_file(dir.path().join("self.yaml")).unwrap_err().to_string();
    assert!(message.contains("makes a cycle"), "{message}");

    fs::write(dir.path().join("lost.yaml"), "name: lost\nextends: ./missing.yaml\n").unwrap();
    let message = Ruleset::from_file(dir.path().join("lost.yaml")).unwrap_err().to_string();
    assert!(message.contains("lost.yaml:2:10: cannot read"), "{message}");

    // The error is reported in the file where it is, not in the one that extends it.
    fs::write(dir.path().join("broken.yaml"), "checks:\n  no-body: loud\n").unwrap();
    fs::write(dir.path().join("top.yaml"), "extends: ./broken.yaml\n").unwrap();
    let message = Ruleset::from_file(dir.path().join("top.yaml")).unwrap_err().to_string();
    assert!(message.contains("broken.yaml:2:12: unknown variant `loud`"), "{message}");
}

#[test]
fn yaml_syntax_errors_are_located() {
    let message = error("codes:\n  \"200\": {note: [unclosed\n");
    assert!(message.starts_with("user.yaml:"), "{message}");
    assert!(error("").contains("empty"));
}

/// The field names serde accepts for a struct, captured from its derived `Deserialize`.
fn serde_fields<'de, T: serde::Deserialize<'de>>() -> Vec<&'static str> {
    use serde::de::{self, Deserializer, Visitor};

    #[derive(Debug)]
    struct Captured(Vec<&'static str>);
    impl std::fmt::Display for Captured {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self.0)
        }
    }
    impl std::error::Error for Captured {}
    impl de::Error for Captured {
        fn custom<M: std::fmt::Display>(_: M) -> Captured {
            Captured(Vec::new())
        }
    }

    struct FieldNames;
    impl<'de> Deserializer<'de> for FieldNames {
        type Error = Captured;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Captured> {
            Err(Captured(Vec::new()))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Captured> {
            Err(Captured(fields.to_vec()))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    match T::deserialize(FieldNames) {
        Ok(_) => Vec::new(),
        Err(Captured(fields)) => fields,
    }
}

fn schema_properties(schema: &serde_json::Value, pointer: &str) -> BTreeSet<String> {
    schema
        .pointer(pointer)
        .and_then(|properties| properties.as_object())
        .unwrap_or_else(|| panic!("no properties at {pointer}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn the_schema_describes_exactly_what_the_loader_accepts() {
    use super::Guideline;
    use super::format::{
        CodeRowPatch, CreationPatch, ErrorSchemaPatch, MethodSuccessPatch, RulesetFile, SettingsPatch,
        SuccessCodesPatch,
    };

    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let fields = |names: Vec<&str>| names.into_iter().map(String::from).collect::<BTreeSet<_>>();
    for (pointer, accepted) in [
        ("/properties", fields(serde_fields::<RulesetFile>())),
        ("/$defs/guideline/properties", fields(serde_fields::<Guideline>())),
        ("/$defs/settings/properties", fields(serde_fields::<SettingsPatch>())),
        ("/$defs/creation/properties", fields(serde_fields::<CreationPatch>())),
        ("/$defs/errorSchema/properties", fields(serde_fields::<ErrorSchemaPatch>())),
        ("/$defs/codeRow/properties", fields(serde_fields::<CodeRowPatch>())),
        ("/$defs/condition/properties", fields(serde_fields::<Condition>())),
        ("/$defs/methodSuccess/properties", fields(serde_fields::<MethodSuccessPatch>())),
        ("/$defs/successCodes/properties", fields(serde_fields::<SuccessCodesPatch>())),
    ] {
        assert!(!accepted.is_empty(), "{pointer}");
        assert_eq!(schema_properties(&schema, pointer), accepted, "{pointer}");
    }
    let checks = schema_properties(&schema, "/properties/checks/properties");
    assert_eq!(checks, CHECK_IDS.iter().map(|id| id.to_string()).collect());
    let methods: Vec<&str> =
        schema["$defs"]["method"]["enum"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
    let known: Vec<&str> = Method::ALL.iter().map(|m| m.key()).collect();
    assert_eq!(methods, known);
    let builtins = schema["properties"]["extends"]["description"].as_str().unwrap();
    for name in BUILTIN_NAMES {
        assert!(builtins.contains(name), "extends description lacks {name}");
    }
}

#[test]
fn the_format_reference_mentions_every_key() {
    const DOCS: &str = include_str!("../../../docs/rulesets.md");
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    let mut keys = schema_properties(&schema, "/properties");
    for definition in schema["$defs"].as_object().unwrap().keys() {
        if let Some(properties) = schema["$defs"][definition]["properties"].as_object() {
            keys.extend(properties.keys().cloned());
        }
    }
    keys.extend(CHECK_IDS.iter().map(|id| id.to_string()));
    keys.extend(BUILTIN_NAMES.iter().map(|name| name.to_string()));
    for key in keys {
        assert!(
            DOCS.contains(&format!("`{key}`")) || DOCS.contains(&format!(".{key}`")),
            "docs/rulesets.md lacks `{key}`"
        );
    }
}

/// docs/rulesets.md takes each guideline ruleset statement by statement: a section per
/// ruleset whose rows are all faithful or corrected, a summary that counts them, every
/// code of the ruleset's table named, and no more corrected rows than `corrections`.
#[test]
fn the_fidelity_tables_cover_every_guideline_ruleset() {
    let docs = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rulesets.md")).unwrap();
    let fidelity = docs.split("## Fidelity to each guideline").nth(1).unwrap().split("\n## ").next().unwrap();
    for name in BUILTIN_NAMES.iter().filter(|name| **name != DEFAULT_RULESET) {
        let ruleset = Ruleset::builtin(name).unwrap();
        let heading = format!("\n### `{name}`\n");
        let section = fidelity.split(&heading).nth(1).unwrap_or_else(|| panic!("no fidelity table for {name}"));
        let section = section.split("\n### ").next().unwrap();
        let verdicts: Vec<&str> = section
            .lines()
            .filter(|line| line.starts_with("| ") && !line.starts_with("| the guideline"))
            .map(|line| line.trim_end_matches([' ', '|']).rsplit("| ").next().unwrap_or(""))
            .collect();
        let faithful = verdicts.iter().filter(|verdict| verdict.starts_with("faithful")).count();
        let corrected = verdicts.iter().filter(|verdict| verdict.starts_with("corrected")).count();
        assert_eq!(faithful + corrected, verdicts.len(), "{name}: a statement neither faithful nor corrected");
        let summary = format!("| `{name}` | {} | {faithful} | {corrected} | 0 |", verdicts.len());
        assert!(fidelity.contains(&summary), "{name}: the summary should read {summary}");
        assert!(corrected <= ruleset.corrections().len(), "{name}: a corrected statement missing from `corrections`");
        for row in ruleset.codes() {
            let code = row.key.to_string();
            assert!(section.contains(&code), "{name}: the fidelity table never names {code}");
        }
    }
}
