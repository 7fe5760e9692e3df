//! `$ref` chains and cycles of any length, and `$ref`s that are not strings: nothing is
//! dropped in silence. A chain is followed to its end however long it is (within one file
//! or through thousands of files), a cycle of any length is reported once, and a `$ref`
//! that names nothing says so where it is written. Documents are generated here.

use std::path::Path;

use oaslint::checks::lint;
use oaslint::checks::ruleset::Ruleset;
use oaslint::finding::{Finding, sort_and_dedup};
use oaslint::resolve::{LoadOptions, MAX_RECORDED_CHAIN, Workspace};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
/// A DELETE whose 204 is `$ref: <first>`: the response at the chain's end has a body, which
/// `no-body` reports (when the chain is followed to it).
fn delete_204(first: &str) -> String {
    format!("{HEAD}paths:\n  /a:\n    delete:\n      responses:\n        '204':\n          $ref: '{first}'\n")
}
const BODY: &str = "description: gone\ncontent: {application/json: {schema: {type: object}}}\n";

fn findings(workspace: &Workspace) -> Vec<Finding> {
    let ruleset = Ruleset::builtin("recommended").expect("ruleset");
    let mut findings = lint(workspace, &ruleset);
    sort_and_dedup(&mut findings);
    findings
}

fn rules(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|finding| finding.rule.as_str()).collect()
}

/// `hops` responses in one file, each a `$ref` to the next; the last has a body.
fn chain_in_one_file(hops: usize) -> String {
    let mut text = delete_204("#/components/responses/r0");
    text.push_str("components:\n  responses:\n");
    for hop in 0..hops {
        text.push_str(&format!("    r{hop}: {{$ref: '#/components/responses/r{}'}}\n", hop + 1));
    }
    text.push_str(&format!("    r{hops}:\n"));
    for line in BODY.lines() {
        text.push_str(&format!("      {line}\n"));
    }
    text
}

#[test]
fn a_long_chain_in_one_file_is_followed_to_its_end() {
    // 257 hops was one past the old limit, where the finding was dropped and the run passed.
    for hops in [1, 256, 257, 3_000] {
        let workspace = Workspace::from_text("chain.yaml", &chain_in_one_file(hops), None, &LoadOptions::default());
        let found = findings(&workspace);
        assert!(rules(&found).contains(&"no-body"), "{hops} hops: {:?}", rules(&found));
        let no_body = found.iter().find(|finding| finding.rule == "no-body").expect("no-body");
        // The finding sits at the response at the end of the chain.
        assert_eq!(no_body.pointer, format!("/components/responses/r{hops}/content"));
        // The notes list the first references of a long chain and say how many more there are.
        // The response is shared: one finding at the definition, used by DELETE /a.
        let users: Vec<String> = no_body.used_by.iter().map(|by| by.operation.to_string()).collect();
        assert_eq!(users, ["DELETE /a"]);
        let notes: Vec<&str> = no_body.related.iter().map(|related| related.label.as_str()).collect();
        assert!(notes.len() <= MAX_RECORDED_CHAIN + 2, "{hops} hops: {} notes", notes.len());
        assert!(notes.last().is_some_and(|note| note.starts_with("used by DELETE /a")), "{notes:#?}");
        if hops + 1 > MAX_RECORDED_CHAIN {
            let more = hops + 1 - MAX_RECORDED_CHAIN;
            assert!(
                notes.iter().any(|note| note.contains(&format!("the first of {more} more references"))),
                "{hops} hops: {notes:#?}"
            );
        }
    }
}

#[test]
fn a_chain_through_ten_thousand_files_is_followed_to_its_end() {
    const FILES: usize = 10_000;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("api.yaml"), delete_204("r0.yaml")).expect("write");
    for hop in 0..FILES {
        std::fs::write(dir.path().join(format!("r{hop}.yaml")), format!("$ref: 'r{}.yaml'\n", hop + 1)).expect("write");
    }
    std::fs::write(dir.path().join(format!("r{FILES}.yaml")), BODY).expect("write");
    let workspace = Workspace::load(&dir.path().join("api.yaml"), &LoadOptions::default());
    let found = findings(&workspace);
    assert_eq!(rules(&found), ["no-body"], "{found:#?}");
    assert_eq!(found[0].primary.file_name().rsplit('/').next(), Some(format!("r{FILES}.yaml").as_str()));
}

#[test]
fn a_cycle_of_seven_hundred_references_is_reported_once() {
    const HOPS: usize = 700;
    let mut text = delete_204("#/components/responses/r0");
    text.push_str("components:\n  responses:\n");
    for hop in 0..HOPS {
        text.push_str(&format!("    r{hop}: {{$ref: '#/components/responses/r{}'}}\n", (hop + 1) % HOPS));
    }
    let workspace = Workspace::from_text("cycle.yaml", &text, None, &LoadOptions::default());
    let found = findings(&workspace);
    assert_eq!(rules(&found), ["circular-ref"], "{found:#?}");
    let cycle = &found[0];
    assert_eq!(cycle.pointer, "/components/responses/r0");
    assert!(cycle.message.contains("(700 references in all)"), "{}", cycle.message);
    assert!(cycle.related.len() <= MAX_RECORDED_CHAIN + 1, "{} notes", cycle.related.len());
}

#[test]
fn a_cycle_through_five_thousand_files_is_reported_once() {
    const FILES: usize = 5_000;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("api.yaml"), delete_204("r0.yaml")).expect("write");
    for hop in 0..FILES {
        let next = (hop + 1) % FILES;
        std::fs::write(dir.path().join(format!("r{hop}.yaml")), format!("$ref: 'r{next}.yaml'\n")).expect("write");
    }
    let workspace = Workspace::load(&dir.path().join("api.yaml"), &LoadOptions::default());
    let found = findings(&workspace);
    assert_eq!(rules(&found), ["circular-ref"], "{found:#?}");
    assert!(found[0].message.contains("(5000 references in all)"), "{}", found[0].message);
}

#[test]
fn short_cycles_name_every_reference() {
    let text = format!(
        "{}components:\n  responses:\n    a: {{$ref: '#/components/responses/b'}}\n    b: {{$ref: '#/components/responses/a'}}\n    c: {{$ref: '#/components/responses/c'}}\n",
        delete_204("#/components/responses/a")
    );
    let workspace = Workspace::from_text("cycle.yaml", &text, None, &LoadOptions::default());
    let messages: Vec<String> = workspace.findings().iter().map(|finding| finding.message.clone()).collect();
    assert_eq!(
        messages,
        [
            "circular reference: `#/components/responses/b` → `#/components/responses/a` lead back to each other",
            "`#/components/responses/c` refers to itself",
        ]
    );
}

/// `$ref: 5` and the like name nothing: an input problem where it is written, and the
/// response it stands for is not checked as if it were empty.
#[test]
fn a_ref_that_is_not_a_string_is_reported_where_it_is_written() {
    for (value, kind) in
        [("5", "a number"), ("[a, b]", "a list"), ("null", "null"), ("{x: 1}", "a mapping"), ("true", "a boolean")]
    {
        let text =
            format!("{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: {value}\n");
        let workspace = Workspace::from_text("refs.yaml", &text, None, &LoadOptions::default());
        let found = findings(&workspace);
        assert_eq!(rules(&found), ["unresolved-ref"], "{value}: {found:#?}");
        let problem = &found[0];
        assert!(problem.message.contains(&format!("not {kind}")), "{}", problem.message);
        assert_eq!(problem.pointer, "/paths/~1a/get/responses/200");
        // Located at the value of `$ref`, line 8.
        let at = problem.primary.start();
        assert_eq!((at.line, at.column), (8, 17), "{value}");
    }
}

/// Where `$ref` is data, its value may be anything: an example's value, a default, or a
/// property that happens to be named `$ref`.
#[test]
fn a_ref_in_literal_data_is_left_alone() {
    let text = format!(
        "{HEAD}{}",
        concat!(
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n",
            "          content:\n            application/json:\n",
            "              schema:\n                type: object\n                properties:\n",
            "                  $ref: {type: integer, default: {$ref: 7}}\n",
            "                example: {$ref: [1, 2]}\n",
            "              examples:\n                one: {value: {$ref: null}}\n",
        )
    );
    let workspace = Workspace::from_text("literal.yaml", &text, None, &LoadOptions::default());
    assert!(workspace.findings().is_empty(), "{:#?}", workspace.findings());
}

/// The binary fails the run on a long chain's finding (it passed before: the finding was dropped).
#[test]
fn the_cli_fails_on_what_lies_at_the_end_of_a_long_chain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("chain.yaml");
    std::fs::write(&spec, chain_in_one_file(300)).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_oaslint"))
        .args(["lint", "-f", "compact"])
        .arg(&spec)
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("[no-body]"), "{stdout}");
    assert!(Path::new(&spec).exists());
}
