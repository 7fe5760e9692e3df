//! The overlay of in-memory texts (unsaved editor buffers, a fix being checked before it
//! is written): a text stands in for its file wherever the pipeline reads one, for a
//! root document and for a `$ref`'d fragment, and the files on disk are never touched.

use std::path::{Path, PathBuf};

use oaslint::config::settings::{ConfigChoice, lint_settings};
use oaslint::pipeline::{Inputs, PipelineError, Settings, lint_each};
use oaslint::resolve::Overlay;

const ROOT: &str = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    $ref: paths/pet.yaml
";

const FRAGMENT_CLEAN: &str = "delete:
  responses:
    '204':
      description: Deleted.
    '404':
      description: No such pet.
    default:
      description: An error.
      content:
        application/problem+json:
          schema: {type: object}
";

/// The clean fragment with a body on the 204.
const FRAGMENT_BAD: &str = "delete:
  responses:
    '204':
      description: Deleted.
      content:
        application/json:
          schema: {type: object}
    '404':
      description: No such pet.
    default:
      description: An error.
      content:
        application/problem+json:
          schema: {type: object}
";

/// A project on disk: `.oaslint.yaml` (only `no-body` on, and it pins the project's
/// directory), `openapi.yaml` and `paths/pet.yaml`, both clean.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let mut config = String::from("rules:\n");
    for id in oaslint::checks::ruleset::CHECK_IDS.iter().filter(|id| **id != "no-body") {
        config.push_str(&format!("  {id}: off\n"));
    }
    std::fs::write(base.join(".oaslint.yaml"), config).unwrap();
    std::fs::create_dir(base.join("paths")).unwrap();
    std::fs::write(base.join("openapi.yaml"), ROOT).unwrap();
    std::fs::write(base.join("paths/pet.yaml"), FRAGMENT_CLEAN).unwrap();
    (dir, base)
}

fn settings(base: &Path, overlay: Overlay) -> Settings {
    let mut settings = lint_settings(&ConfigChoice::default(), base).unwrap();
    settings.load.overlay = overlay;
    settings
}

/// `file:line:col rule` for every finding of a run over `paths`.
fn lint(paths: &[PathBuf], settings: &Settings) -> Vec<String> {
    let inputs = Inputs { paths, stdin_filename: None, skip_non_openapi: false };
    let mut found = Vec::new();
    lint_each(&inputs, settings, |batch| {
        for finding in batch.findings {
            let at = finding.primary.start();
            found.push(format!("{}:{}:{} {}", finding.primary.file_name(), at.line, at.column, finding.rule));
        }
        Ok::<(), PipelineError>(())
    })
    .unwrap();
    found
}

#[test]
fn without_an_overlay_the_files_on_disk_are_linted() {
    let (_dir, base) = project();
    assert_eq!(lint(&[base.join("openapi.yaml")], &settings(&base, Overlay::default())), Vec::<String>::new());
}

#[test]
fn a_fragment_in_the_overlay_replaces_its_file_when_the_root_is_linted() {
    let (_dir, base) = project();
    let mut overlay = Overlay::default();
    overlay.insert(&base.join("paths/pet.yaml"), FRAGMENT_BAD);
    let found = lint(&[base.join("openapi.yaml")], &settings(&base, overlay));
    assert_eq!(found, ["paths/pet.yaml:5:7 no-body"]);
    assert_eq!(std::fs::read_to_string(base.join("paths/pet.yaml")).unwrap(), FRAGMENT_CLEAN, "disk untouched");
}

#[test]
fn a_fragment_in_the_overlay_named_alone_is_linted_through_the_root_on_disk() {
    let (_dir, base) = project();
    let mut overlay = Overlay::default();
    overlay.insert(&base.join("paths/pet.yaml"), FRAGMENT_BAD);
    let found = lint(&[base.join("paths/pet.yaml")], &settings(&base, overlay));
    assert_eq!(found, ["paths/pet.yaml:5:7 no-body"]);
}

#[test]
fn a_root_in_the_overlay_replaces_its_file() {
    let (_dir, base) = project();
    let mut overlay = Overlay::default();
    // The unsaved root points at a fragment that exists only in the overlay too.
    overlay.insert(&base.join("openapi.yaml"), ROOT.replace("paths/pet.yaml", "paths/unsaved.yaml"));
    overlay.insert(&base.join("paths/unsaved.yaml"), FRAGMENT_BAD);
    let found = lint(&[base.join("openapi.yaml")], &settings(&base, overlay));
    assert_eq!(found, ["paths/unsaved.yaml:5:7 no-body"]);
    assert!(!base.join("paths/unsaved.yaml").exists());
}

#[test]
fn a_root_in_the_overlay_that_no_longer_parses_is_reported_from_its_text() {
    let (_dir, base) = project();
    let mut overlay = Overlay::default();
    overlay.insert(&base.join("openapi.yaml"), format!("{ROOT}  bad: [\n"));
    let found = lint(&[base.join("openapi.yaml")], &settings(&base, overlay));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("openapi.yaml:") && found[0].ends_with("invalid-syntax"), "{found:?}");
}

#[test]
fn an_overlay_text_over_the_size_limit_is_refused_like_a_file() {
    let (_dir, base) = project();
    let mut overlay = Overlay::default();
    overlay.insert(&base.join("paths/pet.yaml"), FRAGMENT_BAD);
    let mut settings = settings(&base, overlay);
    settings.load.limits.max_file_bytes = 200;
    let found = lint(&[base.join("openapi.yaml")], &settings);
    assert_eq!(found, ["openapi.yaml:5:11 too-large"]);
}
