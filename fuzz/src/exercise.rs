//! One fuzz input through load + resolve + view, as a YAML file and as a JSON file.
//! Besides "no panic" (and "no hang, no runaway memory", which libFuzzer watches), it
//! panics when an [invariant](crate::invariants) is broken.

use std::sync::Arc;

use oaslint::finding::Location;
use oaslint::model::{Api, DocumentKind, detect};
use oaslint::resolve::{LoadOptions, NodeRef, Workspace};
use oaslint::source::{Limits, SourceFile};

use crate::invariants::{location_problem, pointer_problem, tree_problem};

/// Run one input through everything. Panics on a broken invariant.
pub fn exercise(data: &[u8]) {
    for name in ["fuzz.yaml", "fuzz.json"] {
        match std::str::from_utf8(data) {
            Ok(text) => check_workspace(name, text),
            // The workspace takes text; raw bytes (invalid UTF-8) go through the file reader.
            Err(_) => check_raw_file(name, data),
        }
    }
}

fn ok(result: Result<(), String>, context: &str) {
    if let Err(problem) = result {
        panic!("{context}: {problem}");
    }
}

fn check_raw_file(name: &str, data: &[u8]) {
    let (file, outcome) = SourceFile::parse(name.into(), name.to_owned(), data.to_vec(), &Limits::default());
    let Err(error) = outcome else { panic!("{name}: invalid UTF-8 was accepted") };
    ok(location_problem(&Location::new(Arc::new(file), error.span)), error.code.id());
}

fn check_workspace(name: &str, text: &str) {
    // No directory: file references are refused, so nothing is read from disk.
    let workspace = Workspace::from_text(name, text, None, &LoadOptions::default());
    if workspace.root_failed() {
        assert!(!workspace.findings().is_empty(), "{name}: did not load and nothing says why");
    }
    for finding in workspace.findings() {
        ok(location_problem(&finding.primary), &finding.rule);
        for related in &finding.related {
            ok(location_problem(&related.location), &finding.rule);
        }
    }
    for file in workspace.files() {
        ok(tree_problem(file), name);
    }
    // Every reference resolves, or is known broken, in bounded time. (From text with no
    // directory, the root is the only file.)
    if let (Some(root), Some(file)) = (workspace.root(), workspace.root_file()) {
        for &node in file.tree.refs() {
            let _ = workspace.resolve(NodeRef { file: root.file, node });
        }
    }
    if let DocumentKind::Root(version) = detect(&workspace) {
        let api = Api::build(&workspace, version).expect("a supported root has an API view");
        check_api(&workspace, &api);
    }
}

/// Every element of the view has a valid location, and (keys aside) a pointer that finds it again.
fn check_api(workspace: &Workspace, api: &Api) {
    let locate = |node: NodeRef| {
        let location = workspace.location(node).expect("a view node has a location");
        ok(location_problem(&location), "API view");
    };
    let check = |node: NodeRef| {
        locate(node);
        let file = workspace.file(node.file).expect("a view node's file");
        ok(pointer_problem(file, node.node), "API view");
    };
    for operation in &api.operations {
        check(operation.node);
        check(operation.path_item);
        operation.parameters.iter().for_each(|parameter| check(parameter.node));
        if let Some(body) = &operation.request_body {
            check(body.node);
        }
        for response in operation.responses.iter().flat_map(|responses| &responses.entries) {
            check(response.node);
            // A key's pointer is its entry's, which leads to the value: only locate it.
            locate(response.key);
            response.headers.iter().for_each(|header| check(header.node));
            response.content.iter().for_each(|media| check(media.node));
        }
    }
}
