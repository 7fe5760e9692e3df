//! Load, resolve and build the API view of one document, printing counts and timings.
//! `cargo run --release --example load -- path/to/openapi.yaml`

use std::path::Path;
use std::time::Instant;

use oaslint::model::{Api, DocumentKind, detect};
use oaslint::resolve::{LoadOptions, Workspace};

fn main() {
    for arg in std::env::args().skip(1) {
        if let Ok(bytes) = std::fs::read(&arg) {
            let start = Instant::now();
            let (file, _) =
                oaslint::source::SourceFile::parse(arg.clone().into(), arg.clone(), bytes, &Default::default());
            println!("parse only: {:?} ({} nodes)", start.elapsed(), file.tree.node_count());
        }
        let start = Instant::now();
        let workspace = Workspace::load(Path::new(&arg), &LoadOptions::default());
        let loaded = start.elapsed();
        let kind = detect(&workspace);
        let api = match &kind {
            DocumentKind::Root(version) => Api::build(&workspace, *version),
            _ => None,
        };
        let total = start.elapsed();
        let operations = api.as_ref().map_or(0, |api| api.operations.len());
        let responses: usize = api.as_ref().map_or(0, |api| {
            api.operations.iter().filter_map(|op| op.responses.as_ref()).map(|r| r.entries.len()).sum()
        });
        println!(
            "{arg}: {kind:?} files={} operations={operations} responses={responses} problems={} load+resolve={loaded:?} total={total:?}",
            workspace.files().len(),
            workspace.findings().len()
        );
        for finding in workspace.findings().iter().take(5) {
            println!("  {:?} {} {}", finding.primary, finding.rule, finding.message);
        }
    }
}
