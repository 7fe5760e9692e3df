//! Lint documents with one ruleset and print findings one per line, for calibrating
//! rules on real specs until the CLI covers it:
//! `cargo run --release --example lint -- RULESET FILE...` (RULESET: a built-in name or a file).

use std::path::Path;

use oaslint::checks::lint;
use oaslint::checks::ruleset::Ruleset;
use oaslint::resolve::{LoadOptions, Workspace};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(ruleset) = args.next() else {
        eprintln!("usage: lint RULESET FILE...");
        std::process::exit(2);
    };
    let ruleset = match Ruleset::builtin(&ruleset).or_else(|_| Ruleset::from_file(&ruleset)) {
        Ok(ruleset) => ruleset,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(2);
        }
    };
    for file in args {
        let workspace = Workspace::load(Path::new(&file), &LoadOptions::default());
        let mut findings = lint(&workspace, &ruleset);
        oaslint::finding::sort_and_dedup(&mut findings);
        for finding in &findings {
            let at = finding.primary.start();
            println!(
                "{}:{}:{}: {} [{}] {}",
                finding.primary.file_name(),
                at.line,
                at.column,
                finding.severity,
                finding.rule,
                finding.message
            );
        }
    }
}
