//! `oaslint lint --fix`, `--unsafe-fixes` and `--diff`, run as a process on copies of the
//! fixtures in `testdata/fix/`: Swagger 2.0 in JSON indented with tabs, OpenAPI 3.0 in
//! YAML with CRLF line breaks, comments and flow mappings, OpenAPI 3.1 with unsafe fixes,
//! and a multi-file document whose fixes land in the referenced file.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const BIN: &str = env!("CARGO_BIN_EXE_oaslint");

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/fix")
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn all(&self) -> String {
        format!("exit: {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// `oaslint lint --no-config ARGS` in `dir`, timings filtered out.
fn lint(dir: &Path, args: &[&str]) -> Ran {
    let output = Command::new(BIN)
        .current_dir(dir)
        .args(["lint", "--no-config", "--color", "never"])
        .args(args)
        .env_remove("COLUMNS")
        .output()
        .expect("oaslint runs");
    let timings = |text: String| {
        let ends_with_break = text.ends_with('\n');
        let lines = text
            .lines()
            .map(|line| match (line.find(" in "), line.find("ms:")) {
                (Some(start), Some(end)) if line.starts_with("Checked ") && start < end => {
                    format!("{} in [N]ms:{}", &line[..start], &line[end + 3..])
                }
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        if ends_with_break { lines + "\n" } else { lines }
    };
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: timings(String::from_utf8_lossy(&output.stdout).into_owned()),
        stderr: timings(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

/// A copy of the fixtures in a temporary directory.
fn copy_of_fixtures() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures(), temp.path());
    temp
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// `--diff` prints what `--fix` would write, writes nothing, and exits with 1.
#[test]
fn diff_of_each_version() {
    for (name, args) in [
        ("swagger-2.0", &["--diff", "swagger-2.0.json"][..]),
        ("openapi-3.0", &["--diff", "openapi-3.0.yaml"]),
        ("openapi-3.1", &["--diff", "openapi-3.1.yaml"]),
        ("openapi-3.1-unsafe", &["--diff", "--unsafe-fixes", "openapi-3.1.yaml"]),
        ("multi", &["--diff", "multi/openapi.yaml"]),
    ] {
        let before: Vec<String> =
            ["swagger-2.0.json", "openapi-3.0.yaml", "openapi-3.1.yaml", "multi/openapi.yaml", "multi/responses.yaml"]
                .iter()
                .map(|file| read(&fixtures(), file))
                .collect();
        let ran = lint(&fixtures(), args);
        assert_eq!(ran.code, 1, "{name}: {}", ran.all());
        insta::assert_snapshot!(format!("diff-{name}"), ran.all());
        let after: Vec<String> =
            ["swagger-2.0.json", "openapi-3.0.yaml", "openapi-3.1.yaml", "multi/openapi.yaml", "multi/responses.yaml"]
                .iter()
                .map(|file| read(&fixtures(), file))
                .collect();
        assert_eq!(before, after, "{name}: --diff wrote a file");
    }
}

/// `--fix` on each version: the findings with safe fixes are gone, the report counts what
/// remains, the file changed only where the diff said, and a second run changes nothing.
#[test]
fn fix_each_version_then_nothing_more() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    for file in ["swagger-2.0.json", "openapi-3.0.yaml", "openapi-3.1.yaml"] {
        let diff = lint(dir, &["--diff", file]);
        let ran = lint(dir, &["--fix", "--format", "compact", file]);
        let fixed = if file.ends_with("3.1.yaml") { "Fixed 1 finding in 1 file" } else { "Fixed 3 findings in 1 file" };
        assert!(ran.stderr.contains(fixed), "{file}: {}", ran.all());
        for rule in ["no-body", "location-header", "retry-after", "error-responses"] {
            assert!(!ran.stdout.contains(&format!("[{rule}]")), "{file}: {rule} remains: {}", ran.all());
        }
        let once = read(dir, file);
        assert_ne!(once, read(&fixtures(), file), "{file}: nothing was written");
        // What was written is what --diff showed.
        for line in diff.stdout.lines().filter(|line| line.starts_with('+') && !line.starts_with("+++")) {
            assert!(once.contains(&line[1..]), "{file}: {line:?} is not in the fixed file");
        }
        let again = lint(dir, &["--fix", file]);
        assert_eq!(read(dir, file), once, "{file}: the second --fix changed the file");
        assert!(
            again.stdout.contains("Fixed 0 findings in 0 files; the counts below are what remains."),
            "{file}: {}",
            again.all()
        );
        let diff = lint(dir, &["--diff", file]);
        assert_eq!((diff.code, diff.stdout.as_str()), (0, ""), "{file}: {}", diff.all());
    }
}

/// The tabs of the JSON file, the CRLF line breaks and comments of the YAML file stay.
#[test]
fn fix_keeps_the_files_own_formatting() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    lint(dir, &["--fix", "openapi-3.0.yaml", "swagger-2.0.json"]);
    let yaml = read(dir, "openapi-3.0.yaml");
    assert_eq!(yaml.matches('\n').count(), yaml.matches("\r\n").count(), "a bare LF was written:\n{yaml}");
    assert!(yaml.contains(
        "        \"307\":\r\n          description: Moved for now.   # no Location yet\r\n          headers:\r\n"
    ));
    assert!(yaml.contains("# a body by mistake"));
    let json = read(dir, "swagger-2.0.json");
    assert!(json.contains("\n\t\t\t\t\t\t\"headers\": {\n\t\t\t\t\t\t\t\"Retry-After\": {\n"), "{json}");
    assert!(!json.contains("\n "), "indented with spaces:\n{json}");
}

/// A suppressed finding is not fixed: the ignored DELETE keeps its body.
#[test]
fn suppressed_findings_are_not_fixed() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    lint(dir, &["--fix", "openapi-3.0.yaml"]);
    let yaml = read(dir, "openapi-3.0.yaml");
    assert!(yaml.contains(
        "          description: Deleted.\r\n          content: {application/json: {schema: {type: object}}}\r\n"
    ));
}

/// Unsafe fixes only with `--unsafe-fixes`.
#[test]
fn unsafe_fixes_need_asking() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    lint(dir, &["--fix", "openapi-3.1.yaml"]);
    let safe = read(dir, "openapi-3.1.yaml");
    assert!(!safe.contains("'201'") && !safe.contains("'204'"), "{safe}");
    let ran = lint(dir, &["--fix", "--unsafe-fixes", "--format", "compact", "openapi-3.1.yaml"]);
    let fixed = read(dir, "openapi-3.1.yaml");
    assert!(fixed.contains("        '201':\n          description: Created.\n"), "{fixed}");
    assert!(fixed.contains("        '204':\n          description: Updated.\n"), "{fixed}");
    assert!(ran.stderr.contains("Fixed 2 findings in 1 file; 1 remain."), "{}", ran.all());
    assert!(!ran.stdout.contains("[method-success-code]") && !ran.stdout.contains("[body-required]"), "{}", ran.all());
}

/// A multi-file document: the fixes land in the referenced file; the root is untouched.
#[test]
fn fixes_land_in_the_referenced_file() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    let ran = lint(dir, &["--fix", "multi/openapi.yaml"]);
    assert!(ran.stdout.contains("Fixed 2 findings in 1 file"), "{}", ran.all());
    assert_eq!(read(dir, "multi/openapi.yaml"), read(&fixtures(), "multi/openapi.yaml"));
    let fragment = read(dir, "multi/responses.yaml");
    assert!(fragment.starts_with("# Shared responses.\nDeleted:\n  description: Deleted.\nNotFound:\n"), "{fragment}");
    assert!(fragment.contains("TooMany:\n  description: Slow down.\n  headers:\n    Retry-After:\n"), "{fragment}");
}

/// A fix that would add a finding is dropped with a note and never written: under Ed-Fi,
/// 201 needs a `Location` header, so renaming 200 to 201 would trade one finding for another.
#[test]
fn a_fix_that_would_add_a_finding_is_dropped() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    let ran = lint(dir, &["--fix", "--unsafe-fixes", "--ruleset", "ed-fi", "--format", "compact", "openapi-3.1.yaml"]);
    assert!(
        ran.stderr.contains(
            "note: fix not applied: openapi-3.1.yaml:11:7: [method-success-code] Answer 201 Created instead of 200: it would add a finding: [location-header]"
        ),
        "{}",
        ran.all()
    );
    assert!(ran.stderr.contains("(1 fix dropped, see the notes)"), "{}", ran.all());
    let fixed = read(dir, "openapi-3.1.yaml");
    assert!(fixed.contains("        '200':\n          description: Created.\n"), "{fixed}");
    assert!(ran.stdout.contains("[method-success-code]"), "the finding remains: {}", ran.all());
}

#[test]
fn fix_flags_that_make_no_sense_are_usage_errors() {
    let ran = lint(&fixtures(), &["--unsafe-fixes", "openapi-3.1.yaml"]);
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("`--unsafe-fixes` goes with `--fix` or `--diff`"), "{}", ran.all());
    let ran = lint(&fixtures(), &["--fix", "-"]);
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("standard input cannot be fixed"), "{}", ran.all());
}

/// The engine as a library (what the language server calls): a fix whose text would not
/// parse is dropped with the parser's words, and no file is changed.
#[test]
fn a_fix_that_would_break_the_document_is_dropped() {
    use oaslint::config::settings::{ConfigChoice, lint_settings};
    use oaslint::finding::{Applicability, Edit, Fix, Location};
    use oaslint::pipeline::fix::{FixMode, fix_root};
    use oaslint::pipeline::{Inputs, lint_each};

    let temp = copy_of_fixtures();
    let dir = temp.path().canonicalize().unwrap();
    let choice = ConfigChoice { config: None, no_config: true, ruleset: None };
    let settings = lint_settings(&choice, &dir).unwrap();
    let paths = [dir.join("openapi-3.1.yaml")];
    let inputs = Inputs { paths: &paths, stdin_filename: None, skip_non_openapi: false };
    let mut batches = Vec::new();
    lint_each(&inputs, &settings, |batch| {
        batches.push(batch);
        Ok::<(), oaslint::pipeline::PipelineError>(())
    })
    .unwrap();
    let mut batch = batches.remove(0);
    let finding = batch.findings.iter_mut().find(|finding| finding.rule == "no-body").expect("the 304's body");
    // Replace the safe fix with one that leaves an unclosed flow mapping.
    let at = Location::new(finding.primary.file.clone(), finding.primary.span);
    finding.fix = Some(Fix {
        title: "Break it".to_owned(),
        applicability: Applicability::Safe,
        edits: vec![Edit { at, text: "content: {application/json: [".to_owned() }],
    });
    let files: Vec<_> = batch.files.iter().map(|file| file.path.clone()).collect();
    let root = batch.root.clone().unwrap();
    let outcome = fix_root(&root, &batch.findings, &files, &Default::default(), &settings, FixMode::default());
    assert!(outcome.applied.is_empty(), "{:?}", outcome.applied);
    assert_eq!(outcome.dropped.len(), 1);
    assert!(
        outcome.dropped[0].reason.starts_with("the fixed text would not be read: "),
        "{}",
        outcome.dropped[0].reason
    );
    assert!(outcome.files.is_empty());
    // With unsafe fixes the others apply around the dropped one; the next round's lint
    // offers the check's own fix for the 304, which works.
    let outcome =
        fix_root(&root, &batch.findings, &files, &Default::default(), &settings, FixMode { unsafe_fixes: true });
    let titles: Vec<&str> = outcome.applied.iter().map(|note| note.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Answer 201 Created instead of 200", "Answer 204 No Content instead of 200", "Remove the body of 304"]
    );
    assert_eq!(outcome.dropped.len(), 1);
    assert_eq!(outcome.files.len(), 1);
}

/// Fixing a spec named through a symlink fixes the file it points to; the link stays.
#[cfg(unix)]
#[test]
fn a_symlinked_spec_is_fixed_where_it_is() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    std::os::unix::fs::symlink(dir.join("openapi-3.1.yaml"), dir.join("link.yaml")).unwrap();
    let ran = lint(dir, &["--fix", "link.yaml"]);
    assert!(ran.stdout.contains("Fixed 1 finding in 1 file"), "{}", ran.all());
    assert!(std::fs::symlink_metadata(dir.join("link.yaml")).unwrap().file_type().is_symlink());
    assert!(!read(dir, "openapi-3.1.yaml").contains("Not modified.\n          content:"));
}

/// `--diff` on a document it cannot read exits with 2 (it must not pass CI) and says why;
/// a directory with no document is an error, as for `lint`.
#[test]
fn diff_fails_on_documents_it_cannot_read() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    std::fs::write(dir.join("broken.yaml"), "openapi: 3.0.0\ninfo: [\n").unwrap();
    let ran = lint(dir, &["--diff", "broken.yaml", "openapi-3.1.yaml"]);
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("broken.yaml:2:7: error [invalid-syntax]"), "{}", ran.all());
    assert!(ran.stdout.contains("+++ b/openapi-3.1.yaml"), "the other file's diff is still shown: {}", ran.all());
    std::fs::create_dir(dir.join("empty")).unwrap();
    let ran = lint(dir, &["--diff", "empty"]);
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("no OpenAPI documents found"), "{}", ran.all());
}

/// A fragment named alone (as a pre-commit hook names a staged file) is fixed through the
/// project's root that references it; the root and the project's other documents, read
/// to find it, are not written.
#[test]
fn a_named_fragment_is_fixed_through_its_root_and_nothing_else_is_written() {
    let temp = copy_of_fixtures();
    let dir = temp.path();
    let ran = lint(dir, &["--skip-non-openapi", "--fix", "multi/responses.yaml"]);
    assert!(ran.stdout.contains("Fixed 2 findings in 1 file"), "{}", ran.all());
    assert!(read(dir, "multi/responses.yaml").contains("    Retry-After:\n"));
    for untouched in ["multi/openapi.yaml", "openapi-3.0.yaml", "openapi-3.1.yaml", "swagger-2.0.json"] {
        assert_eq!(read(dir, untouched), read(&fixtures(), untouched), "{untouched} was written");
    }
}
