//! Every rule id the tool prints or links has its page, and every link in the README and
//! the docs leads somewhere: relative links to files that exist, `#anchors` to headings
//! that exist (GitHub's slugs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use oaslint::checks::rule_metas;
use oaslint::finding::rule_doc_url;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every id a report can carry (checks, `unused-suppression`, input problems) links to
/// `docs/rules/<id>.md`, which must exist.
#[test]
fn every_rule_id_has_its_page() {
    let prefix = "https://github.com/oaslint/oaslint/blob/main/";
    for meta in rule_metas() {
        let url = rule_doc_url(meta.id);
        let path = url.strip_prefix(prefix).unwrap_or_else(|| panic!("{url} is not in the repository"));
        assert!(root().join(path).is_file(), "{} links to {path}, which does not exist", meta.id);
    }
}

/// The Markdown files people read.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut pending = vec![root().join("docs")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                files.push(path);
            }
        }
    }
    let contributing = root().join("CONTRIBUTING.md");
    if contributing.is_file() {
        files.push(contributing);
    }
    files.sort();
    files
}

/// `[text](target)` links outside code blocks and code spans.
fn links(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_code_block = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code_block = !in_code_block;
            continue;
        }
        if in_code_block {
            continue;
        }
        // Code spans hold examples, not links.
        let mut outside = String::new();
        for (index, part) in line.split('`').enumerate() {
            if index % 2 == 0 {
                outside.push_str(part);
            }
        }
        let mut rest = outside.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].trim().to_owned());
            rest = &after[end..];
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, spaces to `-`, punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut in_code_block = false;
    let mut anchors = BTreeSet::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code_block = !in_code_block;
            continue;
        }
        if !in_code_block && line.starts_with('#') {
            anchors.insert(slug(line.trim_start_matches('#')));
        }
    }
    anchors
}

fn check_link(from: &Path, target: &str, problems: &mut Vec<String>) {
    if target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") {
        return;
    }
    let (file, anchor) = match target.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (target, None),
    };
    let path = if file.is_empty() { from.to_path_buf() } else { from.parent().unwrap_or(Path::new("")).join(file) };
    if !path.exists() {
        problems.push(format!("{}: `{target}`: {} does not exist", from.display(), path.display()));
        return;
    }
    if let Some(anchor) = anchor.filter(|_| path.extension().is_some_and(|extension| extension == "md")) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if !anchors(&text).contains(anchor) {
            problems.push(format!("{}: `{target}`: no heading `#{anchor}` in {}", from.display(), path.display()));
        }
    }
}

#[test]
fn every_link_in_the_docs_leads_somewhere() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for document in documents() {
        let text = std::fs::read_to_string(&document).unwrap_or_default();
        for target in links(&text) {
            check_link(&document, &target, &mut problems);
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links found: is the parser right?");
    assert!(problems.is_empty(), "{} broken links:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn slugs_follow_github() {
    assert_eq!(slug(" Adopting oaslint on an existing API"), "adopting-oaslint-on-an-existing-api");
    assert_eq!(slug("Overrides in `.oaslint.yaml`"), "overrides-in-oaslintyaml");
    assert_eq!(slug("GitHub Actions, with code scanning"), "github-actions-with-code-scanning");
}
