use super::{Order, Snippet, TextEdit, add_header, apply, insert_entry, remove_entry, rename_key};
use crate::source::{NodeId, SourceFile};

fn parse(name: &str, text: &str) -> SourceFile {
    let (file, outcome) = SourceFile::from_text(name, text);
    outcome.expect("the fixture parses");
    file
}

/// The node at a JSON pointer's tokens.
fn node(file: &SourceFile, path: &[&str]) -> NodeId {
    file.tree.lookup(path.iter().copied()).expect("the node exists")
}

/// The key node of the last token of `path`.
fn key(file: &SourceFile, path: &[&str]) -> NodeId {
    let (last, parent) = path.split_last().expect("a path");
    let mapping = node(file, parent);
    file.tree.entry(mapping, last).expect("the entry exists").key
}

/// Apply one edit, and check the result parses and differs from the original only there.
fn edited(file: &SourceFile, edit: Option<TextEdit>) -> String {
    let edit = edit.expect("an edit");
    let text = apply(file.text(), std::slice::from_ref(&edit)).expect("applies");
    let original = file.text();
    let (start, end) = (edit.span.start as usize, edit.span.end as usize);
    assert_eq!(&text[..start], &original[..start]);
    assert_eq!(&text[text.len() - (original.len() - end)..], &original[end..]);
    let (reparsed, outcome) = SourceFile::from_text(&file.name, &text);
    assert!(outcome.is_ok(), "the edited text parses: {outcome:?}\n{text}");
    assert_eq!(reparsed.syntax, file.syntax);
    text
}

fn location() -> Snippet {
    Snippet::map([
        ("description", Snippet::str("Where it is.")),
        ("schema", Snippet::map([("type", Snippet::str("string"))])),
    ])
}

const BLOCK: &str =
    "# pets\nresponses:\n  '200':\n    description: OK   # fine\n\n  '404':\n    description: Not found\nx: 1\n";

#[test]
fn block_yaml_insert_after_the_last_sibling_at_its_indentation() {
    let file = parse("a.yaml", BLOCK);
    let text =
        edited(&file, insert_entry(&file, node(&file, &["responses", "404"]), "x-a", &Snippet::str("b"), Order::Last));
    assert_eq!(text, BLOCK.replace("Not found\n", "Not found\n    x-a: b\n"));
}

#[test]
fn block_yaml_insert_in_code_order_with_the_siblings_quotes() {
    let file = parse("a.yaml", BLOCK);
    let value = Snippet::map([("description", Snippet::str("Bad request"))]);
    let text = edited(&file, insert_entry(&file, node(&file, &["responses"]), "400", &value, Order::ByStatusCode));
    assert_eq!(text, BLOCK.replace("\n  '404':", "\n  '400':\n    description: Bad request\n  '404':"));
    // After every code: at the end, before the next key of the parent.
    let text = edited(&file, insert_entry(&file, node(&file, &["responses"]), "500", &value, Order::ByStatusCode));
    assert_eq!(text, BLOCK.replace("Not found\n", "Not found\n  '500':\n    description: Bad request\n"));
}

#[test]
fn unsorted_codes_get_the_new_one_last() {
    let text = "responses:\n  \"404\": {description: n}\n  \"200\": {description: o}\n";
    let file = parse("a.yaml", text);
    let value = Snippet::map([("description", Snippet::str("b"))]);
    let out = edited(&file, insert_entry(&file, node(&file, &["responses"]), "400", &value, Order::ByStatusCode));
    assert_eq!(out, format!("{text}  \"400\":\n    description: b\n"));
}

#[test]
fn block_yaml_keeps_crlf_and_a_missing_final_line_break() {
    let text = "a:\r\n    b: 1\r\n    c: 2";
    let file = parse("a.yaml", text);
    let out = edited(&file, insert_entry(&file, node(&file, &["a"]), "d", &location(), Order::Last));
    assert_eq!(
        out,
        "a:\r\n    b: 1\r\n    c: 2\r\n    d:\r\n        description: Where it is.\r\n        schema:\r\n            type: string\r\n"
    );
}

#[test]
fn flow_yaml_insert_and_remove() {
    let text = "r: {description: d, content: {a: 1}}  # c\n";
    let file = parse("a.yaml", text);
    let out = edited(
        &file,
        insert_entry(&file, node(&file, &["r"]), "headers", &Snippet::map([("Location", location())]), Order::Last),
    );
    assert_eq!(
        out,
        "r: {description: d, content: {a: 1}, headers: {Location: {description: Where it is., schema: {type: string}}}}  # c\n"
    );
    let out = edited(&file, remove_entry(&file, node(&file, &["r"]), key(&file, &["r", "content"])));
    assert_eq!(out, "r: {description: d}  # c\n");
    let out = edited(&file, remove_entry(&file, node(&file, &["r"]), key(&file, &["r", "description"])));
    assert_eq!(out, "r: {content: {a: 1}}  # c\n");
    let file = parse("a.yaml", "r: {}\n");
    let out = edited(&file, insert_entry(&file, node(&file, &["r"]), "a", &Snippet::str("#/x"), Order::Last));
    assert_eq!(out, "r: {a: '#/x'}\n");
}

#[test]
fn block_yaml_remove_takes_the_whole_value_and_keeps_the_rest() {
    let text = "r:\n  '204':\n    description: d # keep\n    content:\n      application/json:\n        schema: {type: object}\n    x-b: 1\n";
    let file = parse("a.yaml", text);
    let out = edited(&file, remove_entry(&file, node(&file, &["r", "204"]), key(&file, &["r", "204", "content"])));
    assert_eq!(out, "r:\n  '204':\n    description: d # keep\n    x-b: 1\n");
    // The only entry: an empty mapping is left, not a null.
    let file = parse("a.yaml", "r:\n  '204':\n    content:\n      a: 1\n");
    let out = edited(&file, remove_entry(&file, node(&file, &["r", "204"]), key(&file, &["r", "204", "content"])));
    assert_eq!(out, "r:\n  '204':\n    {}\n");
}

#[test]
fn json_insert_keeps_the_files_indentation_and_commas() {
    let text = "{\n\t\"r\": {\n\t\t\"description\": \"d\"\n\t},\n\t\"e\": {}\n}\n";
    let file = parse("a.json", text);
    let out = edited(
        &file,
        insert_entry(&file, node(&file, &["r"]), "headers", &Snippet::map([("Location", location())]), Order::Last),
    );
    assert_eq!(
        out,
        "{\n\t\"r\": {\n\t\t\"description\": \"d\",\n\t\t\"headers\": {\n\t\t\t\"Location\": {\n\t\t\t\t\"description\": \"Where it is.\",\n\t\t\t\t\"schema\": {\n\t\t\t\t\t\"type\": \"string\"\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t},\n\t\"e\": {}\n}\n"
    );
    let out = edited(&file, insert_entry(&file, node(&file, &["e"]), "a", &Snippet::str("b"), Order::Last));
    assert_eq!(out, "{\n\t\"r\": {\n\t\t\"description\": \"d\"\n\t},\n\t\"e\": {\n\t\t\"a\": \"b\"\n\t}\n}\n");
}

#[test]
fn json_insert_in_code_order_and_inline() {
    let text = "{\"responses\": {\n    \"200\": {\"description\": \"o\"},\n    \"404\": {\"description\": \"n\"}\n}}";
    let file = parse("a.json", text);
    let value = Snippet::map([("$ref", Snippet::str("#/components/responses/E"))]);
    let out = edited(&file, insert_entry(&file, node(&file, &["responses"]), "400", &value, Order::ByStatusCode));
    assert_eq!(
        out,
        "{\"responses\": {\n    \"200\": {\"description\": \"o\"},\n    \"400\": {\n        \"$ref\": \"#/components/responses/E\"\n    },\n    \"404\": {\"description\": \"n\"}\n}}"
    );
    let out = edited(&file, insert_entry(&file, node(&file, &["responses", "200"]), "x", &location(), Order::Last));
    assert!(
        out.contains(
            "{\"description\": \"o\", \"x\": {\"description\": \"Where it is.\", \"schema\": {\"type\": \"string\"}}}"
        ),
        "{out}"
    );
}

#[test]
fn json_remove_takes_its_comma() {
    let text = "{\r\n  \"a\": 1,\r\n  \"b\": [1, 2],\r\n  \"c\": {\"d\": 2}\r\n}";
    let file = parse("a.json", text);
    let root = node(&file, &[]);
    assert_eq!(
        edited(&file, remove_entry(&file, root, key(&file, &["b"]))),
        "{\r\n  \"a\": 1,\r\n  \"c\": {\"d\": 2}\r\n}"
    );
    assert_eq!(
        edited(&file, remove_entry(&file, root, key(&file, &["c"]))),
        "{\r\n  \"a\": 1,\r\n  \"b\": [1, 2]\r\n}"
    );
    assert_eq!(
        edited(&file, remove_entry(&file, root, key(&file, &["a"]))),
        "{\r\n  \"b\": [1, 2],\r\n  \"c\": {\"d\": 2}\r\n}"
    );
}

#[test]
fn rename_keeps_the_quoting() {
    for (name, text, expected) in [
        ("a.yaml", "r:\n  '200': {description: d}\n", "r:\n  '201': {description: d}\n"),
        ("a.yaml", "r:\n  \"200\": {description: d}\n", "r:\n  \"201\": {description: d}\n"),
        ("a.yaml", "r:\n  200: {description: d}\n", "r:\n  \"201\": {description: d}\n"),
        ("a.json", "{\"r\": {\"200\": {}}}", "{\"r\": {\"201\": {}}}"),
    ] {
        let file = parse(name, text);
        assert_eq!(edited(&file, rename_key(&file, key(&file, &["r", "200"]), "201")), expected);
    }
}

#[test]
fn add_header_creates_headers_or_joins_them() {
    let text = "r:\n  description: d\n";
    let file = parse("a.yaml", text);
    let header = Snippet::map([("type", Snippet::str("integer"))]);
    let out = edited(&file, add_header(&file, node(&file, &["r"]), "Retry-After", header.clone()));
    assert_eq!(out, "r:\n  description: d\n  headers:\n    Retry-After:\n      type: integer\n");
    let text = "r:\n  description: d\n  headers:\n    X-A: {type: string}\n  x-z: 1\n";
    let file = parse("a.yaml", text);
    let out = edited(&file, add_header(&file, node(&file, &["r"]), "Retry-After", header));
    assert_eq!(
        out,
        "r:\n  description: d\n  headers:\n    X-A: {type: string}\n    Retry-After:\n      type: integer\n  x-z: 1\n"
    );
}

#[test]
fn overlapping_edits_are_refused() {
    use crate::source::Span;
    let edit = |start, end| TextEdit { span: Span::new(start, end), text: "x".to_owned() };
    assert!(apply("abcdef", &[edit(0, 2), edit(1, 3)]).is_err());
    assert!(apply("abcdef", &[edit(1, 1), edit(1, 1)]).is_err());
    assert_eq!(apply("abcdef", &[edit(2, 4), edit(0, 1), edit(4, 4)]).as_deref(), Ok("xbxxef"));
    assert!(apply("abc", &[edit(2, 9)]).is_err());
}

#[test]
fn block_scalars_end_where_their_text_does() {
    let text = "r:\n  '302':\n    description: |\n      Moved.\n\n  '400':\n    description: Bad.\n";
    let file = parse("a.yaml", text);
    let out = edited(&file, insert_entry(&file, node(&file, &["r", "302"]), "x-a", &Snippet::str("b"), Order::Last));
    assert_eq!(out, "r:\n  '302':\n    description: |\n      Moved.\n    x-a: b\n\n  '400':\n    description: Bad.\n");
    let out = edited(&file, remove_entry(&file, node(&file, &["r"]), key(&file, &["r", "302"])));
    assert_eq!(out, "r:\n\n  '400':\n    description: Bad.\n");
    // A block scalar that keeps its trailing line breaks would lose them: no edit.
    let file = parse("a.yaml", "r:\n  d: |+\n    Moved.\n\n  e: 1\n");
    assert!(insert_entry(&file, node(&file, &["r"]), "x", &Snippet::str("b"), Order::ByStatusCode).is_some());
    let file = parse("a.yaml", "r:\n  d: |+\n    Moved.\n\n");
    assert_eq!(insert_entry(&file, node(&file, &["r"]), "x", &Snippet::str("b"), Order::Last), None);
}

#[test]
fn neighbouring_entries_are_removed_together() {
    use super::remove_entries;
    let text = "{\n  \"description\": \"d\",\n  \"schema\": {\"type\": \"object\"},\n  \"examples\": {\"application/json\": {}}\n}";
    let file = parse("a.json", text);
    let root = node(&file, &[]);
    let keys = [key(&file, &["schema"]), key(&file, &["examples"])];
    let edits = remove_entries(&file, root, &keys).expect("edits");
    let out = apply(text, &edits).expect("applies");
    assert_eq!(out, "{\n  \"description\": \"d\"\n}");
    let yaml = "r:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n";
    let file = parse("a.yaml", yaml);
    let keys = [key(&file, &["r", "a"]), key(&file, &["r", "c"]), key(&file, &["r", "d"])];
    let out = apply(yaml, &remove_entries(&file, node(&file, &["r"]), &keys).expect("edits")).expect("applies");
    assert_eq!(out, "r:\n  b: 2\n");
    let flow = "r: {a: 1, b: 2, c: 3}\n";
    let file = parse("a.yaml", flow);
    let keys = [key(&file, &["r", "a"]), key(&file, &["r", "c"])];
    let out = apply(flow, &remove_entries(&file, node(&file, &["r"]), &keys).expect("edits")).expect("applies");
    assert_eq!(out, "r: {b: 2}\n");
    let all = [key(&file, &["r", "a"]), key(&file, &["r", "b"]), key(&file, &["r", "c"])];
    let out = apply(flow, &remove_entries(&file, node(&file, &["r"]), &all).expect("edits")).expect("applies");
    assert_eq!(out, "r: {}\n");
    let file = parse("a.json", "{\"a\": {\"b\": 1}}");
    let edit = remove_entry(&file, node(&file, &["a"]), key(&file, &["a", "b"]));
    assert_eq!(edited(&file, edit), "{\"a\": {}}");
}

/// Every primitive on a CRLF file writes CRLF line breaks and keeps the others.
#[test]
fn every_primitive_keeps_crlf() {
    let text = "r:\r\n  '200':\r\n    description: d\r\n  '404': {description: n}\r\n";
    let file = parse("a.yaml", text);
    let header = Snippet::map([("schema", Snippet::map([("type", Snippet::str("integer"))]))]);
    let outs = [
        edited(&file, add_header(&file, node(&file, &["r", "200"]), "Retry-After", header.clone())),
        edited(&file, add_header(&file, node(&file, &["r", "404"]), "Retry-After", header)),
        edited(&file, rename_key(&file, key(&file, &["r", "200"]), "204")),
        edited(&file, remove_entry(&file, node(&file, &["r"]), key(&file, &["r", "404"]))),
        edited(&file, insert_entry(&file, node(&file, &["r"]), "400", &location(), Order::ByStatusCode)),
    ];
    for out in outs {
        assert_eq!(out.matches('\n').count(), out.matches("\r\n").count(), "{out:?}");
    }
    let json = "{\r\n  \"r\": {\r\n    \"200\": {\"description\": \"d\"}\r\n  }\r\n}\r\n";
    let file = parse("a.json", json);
    let out = edited(&file, add_header(&file, node(&file, &["r", "200"]), "X", location()));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count(), "{out:?}");
    let out = edited(&file, insert_entry(&file, node(&file, &["r"]), "404", &location(), Order::ByStatusCode));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count(), "{out:?}");
    assert!(out.contains("\"404\": {\r\n      \"description\": \"Where it is.\",\r\n"), "{out:?}");
}

/// Entries a merge key brings in are written elsewhere: no edit around them.
#[test]
fn merged_mappings_are_not_edited() {
    let text = "base: &base\n  description: d\nr:\n  <<: *base\n  x-a: 1\n";
    let file = parse("a.yaml", text);
    let r = node(&file, &["r"]);
    assert!(file.tree.entries(r).iter().any(|entry| file.tree.key_text(entry) == "description"), "merged");
    assert_eq!(insert_entry(&file, r, "x-b", &Snippet::str("c"), Order::Last), None);
    let base = node(&file, &["base"]);
    assert!(insert_entry(&file, base, "x-b", &Snippet::str("c"), Order::Last).is_some());
}
