//! Loading, resolving and viewing whole documents from `testdata/load`.

use std::path::{Path, PathBuf};

use oaslint::model::{Api, CodeKind, DocumentKind, Method, ParamIn, SpecVersion, detect};
use oaslint::resolve::{LoadOptions, Workspace};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(relative: &str) -> Workspace {
    let options = LoadOptions { display_base: Some(root()), ..LoadOptions::default() };
    Workspace::load(&root().join("testdata/load").join(relative), &options)
}

/// Findings as `file:line:col rule`, in report order.
fn problems(workspace: &Workspace) -> Vec<String> {
    let mut findings = workspace.findings().to_vec();
    oaslint::finding::sort_and_dedup(&mut findings);
    findings
        .iter()
        .map(|finding| {
            let at = finding.primary.start();
            format!("{}:{}:{} {}", finding.primary.file_name(), at.line, at.column, finding.rule)
        })
        .collect()
}

fn api(workspace: &Workspace) -> Api {
    match detect(workspace) {
        DocumentKind::Root(version) => Api::build(workspace, version).expect("api"),
        other => panic!("not a root: {other:?}"),
    }
}

#[test]
fn swagger_2_view() {
    let workspace = load("petstore-2.0.yaml");
    assert_eq!(problems(&workspace), Vec::<String>::new());
    let api = api(&workspace);
    assert_eq!(api.version, SpecVersion::Swagger2);
    let labels: Vec<String> = api.operations.iter().map(|op| op.label()).collect();
    assert_eq!(labels, ["GET /pets", "POST /pets", "DELETE /pets/{petId}"]);

    let list = &api.operations[0];
    assert_eq!(list.operation_id.as_deref(), Some("listPets"));
    // The path-level `$ref`'d parameter is merged in.
    assert_eq!(list.parameters.len(), 1);
    assert_eq!(list.parameters[0].name, "limit");
    assert_eq!(list.parameters[0].chain.len(), 1);
    assert!(list.security.is_secured());
    let responses = list.responses.as_ref().expect("responses");
    let ok = responses.exact(200).expect("200");
    assert_eq!(ok.code.text, "200");
    assert!(ok.has_body());
    assert_eq!(ok.content[0].name, "application/json");
    let default = responses.default().expect("default");
    assert_eq!(default.chain.len(), 1);
    assert_eq!(workspace.pointer(default.node), "/responses/Error");
    assert!(default.has_body());
    // The response key's location is the key itself, on its first character.
    let key = workspace.location(ok.key).expect("key");
    assert_eq!((key.start().line, key.start().column), (21, 9));

    let create = &api.operations[1];
    assert!(create.security.is_public());
    let body = create.request_body.as_ref().expect("body parameter");
    assert!(body.required);
    let created = create.responses.as_ref().and_then(|r| r.exact(201)).expect("201");
    assert!(created.header("location").is_some());
    assert!(!created.has_body());

    let delete = &api.operations[2];
    assert!(delete.has_path_parameters());
    assert!(!delete.has_input());
}

#[test]
fn openapi_3_0_json_view() {
    let workspace = load("petstore-3.0.json");
    assert_eq!(problems(&workspace), Vec::<String>::new());
    let api = api(&workspace);
    assert_eq!(api.version, SpecVersion::OpenApi30);
    let show = &api.operations[0];
    assert_eq!(show.label(), "GET /pets/{petId}");
    assert_eq!(show.parameters.iter().map(|p| p.location).collect::<Vec<_>>(), [ParamIn::Path, ParamIn::Header]);
    assert!(show.accepts_header("if-none-match"));
    assert_eq!(show.security.source, oaslint::model::SecuritySource::None);
    let responses = show.responses.as_ref().expect("responses");
    let kinds: Vec<CodeKind> = responses.entries.iter().map(|r| r.code.kind).collect();
    assert_eq!(kinds, [CodeKind::Exact(200), CodeKind::Exact(304), CodeKind::Range(4)]);
    assert!(!responses.exact(304).expect("304").has_body());
    let problem = responses.range_for(404).expect("4XX");
    assert_eq!(problem.content[0].name, "application/problem+json");
    let at = workspace.location(problem.key).expect("key").start();
    assert_eq!((at.line, at.column), (18, 11));
}

#[test]
fn openapi_3_1_view_with_webhooks() {
    let workspace = load("petstore-3.1.yaml");
    assert_eq!(problems(&workspace), Vec::<String>::new());
    let api = api(&workspace);
    assert_eq!(api.version, SpecVersion::OpenApi31);
    let labels: Vec<String> = api.operations.iter().map(|op| op.label()).collect();
    assert_eq!(labels, ["PUT /pets", "POST webhook `newPet`"]);
    assert_eq!(api.operations[1].method, Method::Post);
    assert!(api.operations[0].has_input());
}

#[test]
fn multi_file_refs_resolve_to_their_own_files() {
    let workspace = load("multi/openapi.yaml");
    // The only problem is the deliberately dangling pointer inside common.json.
    assert_eq!(problems(&workspace), ["testdata/load/multi/common.json:12:62 unresolved-ref"]);
    let mut names: Vec<&str> = workspace.files().iter().map(|file| file.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "testdata/load/multi/common.json",
            "testdata/load/multi/openapi.yaml",
            "testdata/load/multi/paths/pet by id.yaml",
            "testdata/load/multi/paths/pets.yaml",
            "testdata/load/multi/schemas/pet.yaml",
        ]
    );
    let api = api(&workspace);
    let list = api.operations.iter().find(|op| op.path == "/pets").expect("/pets");
    let responses = list.responses.as_ref().expect("responses");
    // The response key is in paths/pets.yaml; the response object in common.json, two hops away.
    let not_found = responses.exact(404).expect("404");
    let key = workspace.location(not_found.key).expect("key");
    assert_eq!(key.file_name(), "testdata/load/multi/paths/pets.yaml");
    assert_eq!((key.start().line, key.start().column), (5, 5));
    assert_eq!(not_found.chain.len(), 2);
    let body = workspace.location(not_found.node).expect("node");
    assert_eq!(body.file_name(), "testdata/load/multi/common.json");
    assert_eq!(workspace.pointer(not_found.node), "/responses/Missing");
    let related = workspace.chain_related(&not_found.chain);
    assert_eq!(related.len(), 2);
    assert_eq!(related[1].location.file_name(), "testdata/load/multi/common.json");
    // A percent-encoded file name.
    let one = api.operations.iter().find(|op| op.path == "/pets/{id}").expect("/pets/{id}");
    assert!(one.responses.as_ref().and_then(|r| r.exact(200)).is_some_and(|r| r.has_body()));
}

#[test]
fn cycles_are_reported_once_and_recursion_is_fine() {
    let workspace = load("cycles/refs.yaml");
    assert_eq!(
        problems(&workspace),
        ["testdata/load/cycles/refs.yaml:9:13 circular-ref", "testdata/load/cycles/refs.yaml:11:13 circular-ref"]
    );
}

#[test]
fn broken_refs_are_located_at_the_ref() {
    let workspace = load("broken/refs.yaml");
    assert_eq!(
        problems(&workspace),
        [
            "testdata/load/broken/refs.yaml:10:17 unresolved-ref",
            "testdata/load/broken/refs.yaml:12:17 unresolved-ref",
            "testdata/load/broken/refs.yaml:14:17 ref-outside-root",
            "testdata/load/broken/refs.yaml:16:17 remote-ref",
        ]
    );
    // The codes are still declared.
    let api = api(&workspace);
    assert_eq!(api.operations[0].responses.as_ref().map(|r| r.entries.len()), Some(4));
}

#[test]
fn bad_input_gets_located_diagnostics() {
    let cases = [
        ("bad/malformed.yaml", "testdata/load/bad/malformed.yaml:6:7 invalid-syntax"),
        ("bad/malformed.json", "testdata/load/bad/malformed.json:3:13 invalid-syntax"),
        ("bad/duplicate-keys.yaml", "testdata/load/bad/duplicate-keys.yaml:6:1 duplicate-key"),
        ("bad/tabs.yaml", "testdata/load/bad/tabs.yaml:3:1 invalid-syntax"),
        ("bad/empty.yaml", "testdata/load/bad/empty.yaml:1:1 empty-document"),
        ("bad/alias-bomb.yaml", "testdata/load/bad/alias-bomb.yaml:7:9 alias-bomb"),
        ("no-such-file.yaml", "testdata/load/no-such-file.yaml:1:1 unreadable-file"),
    ];
    for (file, expected) in cases {
        let workspace = load(file);
        assert_eq!(problems(&workspace), [expected], "{file}");
    }
}

#[test]
fn byte_order_mark_is_accepted() {
    let workspace = load("bad/bom.yaml");
    assert_eq!(problems(&workspace), Vec::<String>::new());
    assert_eq!(detect(&workspace), DocumentKind::Root(SpecVersion::OpenApi30));
}

#[test]
fn versions_and_fragments() {
    let workspace = load("bad/unsupported-version.yaml");
    assert!(matches!(detect(&workspace), DocumentKind::Unsupported { ref version, .. } if version == "4.0.0"));
    assert_eq!(detect(&load("bad/fragment.yaml")), DocumentKind::Fragment);
}

#[test]
fn encodings_and_nesting_from_memory() {
    let options = LoadOptions::default();
    let cases: [(&[u8], &str, (u32, u32)); 5] = [
        (b"openapi: 3.0.3\ninfo: \xff\n", "invalid-encoding", (2, 7)),
        (b"openapi: 3.0.3\n\0", "invalid-encoding", (2, 1)),
        (b"{\"a\": 1,,}", "invalid-syntax", (1, 9)),
        (b"{\"a\": 1,}", "trailing-comma", (1, 8)),
        (b"   \n\n", "empty-document", (1, 1)),
    ];
    for (bytes, rule, (line, column)) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("spec.json");
        std::fs::write(&path, bytes).expect("write");
        let workspace = Workspace::load(&path, &options);
        let finding = workspace.findings().first().unwrap_or_else(|| panic!("no finding for {rule}"));
        assert_eq!(finding.rule, rule);
        assert_eq!((finding.primary.start().line, finding.primary.start().column), (line, column), "{rule}");
    }
    for deep in ["[".repeat(100_000), "a:\n".to_owned() + &"  - ".repeat(50_000)] {
        let workspace = Workspace::from_text("deep.yaml", &deep, None, &options);
        assert!(workspace.root_failed());
        assert!(!workspace.findings().is_empty());
    }
    let big = LoadOptions {
        limits: oaslint::source::Limits { max_file_bytes: 10, ..Default::default() },
        ..LoadOptions::default()
    };
    let workspace = Workspace::load(Path::new(&root().join("testdata/load/petstore-2.0.yaml")), &big);
    // Oversized files are `too-large` (checked as the bytes arrive), not `unreadable-file`.
    assert_eq!(workspace.findings().first().map(|f| f.rule.as_str()), Some("too-large"));
}

/// Where each of `characters` is in `text`, as 1-based line and column in characters, with
/// lines split here on `\r\n` (independently of the loader's line index).
fn expected_positions(text: &str, characters: &[char]) -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    for (line, content) in text.split("\r\n").enumerate() {
        for (column, character) in content.chars().enumerate() {
            if characters.contains(&character) {
                found.push((line as u32 + 1, column as u32 + 1));
            }
        }
    }
    found
}

/// C1 control characters with CRLF line ends: each is one `control-character` warning,
/// located on the character, and the rule findings on the same lines stay exact.
#[test]
fn c1_control_characters_with_crlf() {
    let text = "openapi: 3.0.3\r\ninfo: {title: \"t\u{83}\", version: \"1\"}\r\npaths:\r\n  /a\u{84}:\r\n    delete:\r\n      \
                description: |\r\n        x\u{85}y \u{86}\r\n      \
                responses: {\"204\": {description: \"d\u{87}\", content: {application/json: {}}}}\r\n";
    let workspace = Workspace::from_text("crlf.yaml", text, None, &LoadOptions::default());
    assert!(!workspace.root_failed());
    let warnings: Vec<(u32, u32)> = workspace
        .findings()
        .iter()
        .map(|finding| {
            assert_eq!(finding.rule, "control-character");
            assert_eq!(finding.severity, oaslint::finding::Severity::Warning);
            let (start, end) = (finding.primary.start(), finding.primary.end());
            assert_eq!((end.line, end.column), (start.line, start.column + 1), "one character wide");
            (start.line, start.column)
        })
        .collect();
    // NEL (U+0085) is an ordinary character in YAML 1.2: not reported.
    assert_eq!(warnings, expected_positions(text, &['\u{83}', '\u{84}', '\u{86}', '\u{87}']));

    let api = api(&workspace);
    assert_eq!(api.operations.iter().map(|op| op.label()).collect::<Vec<_>>(), ["DELETE /a\u{84}"]);
    let ruleset = oaslint::checks::ruleset::Ruleset::builtin("recommended").expect("recommended");
    let findings = oaslint::checks::lint(&workspace, &ruleset);
    let no_body = findings.iter().find(|finding| finding.rule == "no-body").expect("no-body");
    let at = no_body.primary.start();
    let line = text.split("\r\n").nth(at.line as usize - 1).unwrap_or("");
    let from_column: String = line.chars().skip(at.column as usize - 1).collect();
    assert!(from_column.starts_with("content"), "no-body at {}:{}: `{from_column}`", at.line, at.column);
}
