//! Positions are right on real specs: for a deterministic sample of mapping keys in
//! Stripe's and DocuSign's YAML and GitHub's JSON, the line and column the loader reports
//! land on the key's first character (and DocuSign's control-character warnings on the
//! character they name). Checked independently of the loader's line index: the text is
//! split into lines here and the column counted in characters.
//!
//! Skipped (with a message) when the shared corpus is absent.

use std::path::PathBuf;

use oaslint::source::{Limits, NodeId, SourceFile};

const SAMPLE_SIZE: usize = 2_000;

mod support;

fn corpus_file(relative: &str) -> Option<PathBuf> {
    let path = support::corpus_dir()?.join(relative);
    if path.is_file() {
        Some(path)
    } else {
        println!("SKIPPED: {} not found (the shared corpus is absent)", path.display());
        None
    }
}

/// Every mapping key of the tree, in document order (aliased subtrees visited once).
fn all_keys(file: &SourceFile) -> Vec<(NodeId, String)> {
    let tree = &file.tree;
    let mut keys = Vec::new();
    let mut seen = vec![false; tree.node_count()];
    let mut pending: Vec<NodeId> = tree.root().into_iter().collect();
    while let Some(node) = pending.pop() {
        if std::mem::replace(&mut seen[node.index()], true) {
            continue;
        }
        let entries = tree.entries(node);
        // Reversed, so popping visits children in document order.
        for entry in entries.iter().rev() {
            pending.push(entry.value);
        }
        for entry in entries {
            keys.push((entry.key, tree.key_text(entry).to_owned()));
        }
        pending.extend(tree.items(node).iter().rev());
    }
    keys
}

/// A deterministic spread of `count` indices below `len` (xorshift with a fixed seed).
fn sample_indices(len: usize, count: usize) -> Vec<usize> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut picked: Vec<usize> = (0..count.min(len))
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % len as u64) as usize
        })
        .collect();
    picked.sort_unstable();
    picked.dedup();
    picked
}

/// The ways a key may be written at its position: plain, quoted, or JSON-escaped.
fn key_spellings(key: &str) -> [String; 4] {
    let escaped = serde_json::to_string(key).unwrap_or_default();
    [key.to_owned(), format!("\"{key}\""), format!("'{key}'"), escaped]
}

/// `min_keys`: how many keys the file has at least, so a loader that lost most of them fails.
fn check_key_positions(relative: &str, min_keys: usize) {
    let Some(path) = corpus_file(relative) else { return };
    let bytes = std::fs::read(&path).expect("read corpus file");
    let (file, outcome) = SourceFile::parse(path.clone(), relative.to_owned(), bytes, &Limits::default());
    let warnings = outcome.unwrap_or_else(|error| panic!("{relative} did not parse: {error:?}"));
    let (control_characters, others): (Vec<_>, Vec<_>) =
        warnings.into_iter().partition(|warning| warning.code == oaslint::source::InputProblem::ControlCharacter);
    assert!(others.is_empty(), "{relative}: unexpected warnings {others:?}");

    // The reference: lines split here, not by the loader (these files use `\n` only).
    let lines: Vec<&str> = file.text().split('\n').collect();

    // Each unescaped C1 control character is reported once, on the character it names.
    let c1 = |c: char| ('\u{80}'..='\u{9f}').contains(&c) && c != '\u{85}';
    assert_eq!(control_characters.len(), file.text().chars().filter(|&c| c1(c)).count().min(100));
    for warning in &control_characters {
        let at = file.line_col(warning.span.start);
        let line = lines.get(at.line as usize - 1).copied().unwrap_or("");
        let found = line.chars().nth(at.column as usize - 1);
        let named = found.map(|c| format!("U+{:04X}", u32::from(c))).unwrap_or_default();
        assert!(found.is_some_and(c1) && warning.message.contains(&named), "{}:{}: {warning:?}", at.line, at.column);
        assert_eq!(file.slice(warning.span).chars().collect::<Vec<_>>(), [found.unwrap_or_default()]);
    }
    let keys = all_keys(&file);
    assert!(keys.len() > min_keys, "{relative}: only {} keys found", keys.len());
    let sample = sample_indices(keys.len(), SAMPLE_SIZE);
    assert!(sample.len() > SAMPLE_SIZE * 9 / 10, "sample too small: {}", sample.len());

    let mut failures = Vec::new();
    for &index in &sample {
        let (key_node, key) = &keys[index];
        let span = file.tree.span(*key_node);
        let at = file.line_col(span.start);
        let line = lines.get(at.line as usize - 1).copied().unwrap_or("");
        let from_column: String = line.chars().skip(at.column as usize - 1).collect();
        let spellings = key_spellings(key);
        if !spellings.iter().any(|spelling| from_column.starts_with(spelling.as_str())) {
            failures.push(format!(
                "key `{key}` reported at {}:{} but the text there is `{}`",
                at.line,
                at.column,
                from_column.chars().take(40).collect::<String>()
            ));
            continue;
        }
        // The span covers exactly the key as written, quotes included.
        let written = file.slice(span);
        if !spellings.iter().any(|spelling| spelling == written) {
            failures.push(format!("key `{key}` at {}:{}: its span covers `{written}`", at.line, at.column));
        }
    }
    println!("{relative}: checked {} of {} keys", sample.len(), keys.len());
    assert!(
        failures.is_empty(),
        "{relative}: {} of {} sampled keys misplaced:\n{}",
        failures.len(),
        sample.len(),
        failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn stripe_yaml_key_positions_land_on_the_key() {
    check_key_positions("large/stripe/spec3.yaml", 50_000);
}

#[test]
fn github_json_key_positions_land_on_the_key() {
    check_key_positions("large/github/api.github.com.json", 50_000);
}

/// DocuSign's spec holds C1 control characters (text decoded with the wrong encoding):
/// keys are still where they are said to be, and so is each control character.
#[test]
fn docusign_yaml_key_and_control_character_positions() {
    check_key_positions("large/openapi-directory/docusign.net_v2.1_openapi.yaml", 40_000);
}
