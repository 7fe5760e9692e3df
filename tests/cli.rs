//! The command line, run as a process on the fixtures in `testdata/cli/` (and a few of
//! `testdata/load/`): every command, every format, exit codes, configuration discovery and
//! errors, standard input, directory walks. Snapshots have versions, the repository's and
//! temporary directories' paths, and timings filtered out.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const BIN: &str = env!("CARGO_BIN_EXE_oaslint");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `oaslint ARGS` in the repository root, with no colour or width hints from the caller's
/// environment.
fn oaslint(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(root()).args(args).env_remove("NO_COLOR").env_remove("COLUMNS").env("TERM", "xterm");
    command
}

/// What a run gave, with machine-specific text filtered out.
#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// Exit code and both streams, for a snapshot.
    fn all(&self) -> String {
        format!("exit: {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

fn run(command: &mut Command) -> Ran {
    run_in(command, None)
}

/// Run, and filter `temp` (a temporary directory) out of the output too.
fn run_in(command: &mut Command, temp: Option<&Path>) -> Ran {
    let output = command.output().unwrap_or_else(|err| panic!("cannot run oaslint: {err}"));
    let filter = |bytes: &[u8]| filtered(&String::from_utf8_lossy(bytes), temp);
    Ran { code: output.status.code().unwrap_or(-1), stdout: filter(&output.stdout), stderr: filter(&output.stderr) }
}

fn filtered(text: &str, temp: Option<&Path>) -> String {
    let mut text = text.to_owned();
    if let Some(temp) = temp {
        // Temporary directories may sit under a symlink (`/tmp` on macOS): filter both spellings.
        for spelling in [temp.to_path_buf(), temp.canonicalize().unwrap_or_else(|_| temp.to_path_buf())] {
            text = text.replace(&spelling.display().to_string(), "[TEMP]");
        }
    }
    text = text.replace(&root().display().to_string(), "[ROOT]");
    text = text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    for (before, after, by) in [(" in ", "ms", "[N]"), (" in ", "s:", "[N]"), (" time=\"", "\"", "[N]")] {
        text = replace_numbers(&text, before, after, by);
    }
    // Kept a number, so that the JSON still parses.
    replace_numbers(&text, "\"elapsed_ms\": ", "", "0")
}

/// Replace each number that follows `before` (and is followed by `after`) with `by`.
fn replace_numbers(text: &str, before: &str, after: &str, by: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(before) {
        let (head, tail) = rest.split_at(at + before.len());
        out.push_str(head);
        let digits = tail.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(tail.len());
        if digits > 0 && tail.get(digits..).is_some_and(|after_number| after_number.starts_with(after)) {
            out.push_str(by);
            rest = tail.get(digits..).unwrap_or("");
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

const GOOD: &str = "testdata/cli/good.yaml";
const BAD: &str = "testdata/cli/bad.yaml";
const WARNINGS: &str = "testdata/cli/warnings.json";
const BROKEN: &str = "testdata/cli/broken.yaml";

// ---- commands ----

#[test]
fn version() {
    let ran = run(&mut oaslint(&["--version"]));
    assert_eq!(ran.code, 0, "{}", ran.all());
    // Scripts read the first two words: the name and the version (build.rs adds the commit).
    let words: Vec<&str> = ran.stdout.split_whitespace().collect();
    assert_eq!(words.get(..2), Some(&["oaslint", "[VERSION]"][..]), "{}", ran.stdout);
    assert_eq!(run(&mut oaslint(&["-V"])).stdout, ran.stdout);
    // Built from this git checkout (as CI and `cargo test` in a clone are): HEAD's commit.
    let expected = std::env::var("OASLINT_COMMIT").ok().filter(|commit| !commit.is_empty()).or_else(|| {
        let head = std::process::Command::new("git").current_dir(root()).args(["rev-parse", "HEAD"]).output().ok()?;
        let head = String::from_utf8(head.stdout).ok()?;
        head.get(..12).map(str::to_owned)
    });
    match expected {
        Some(commit) => assert!(
            words.get(2).is_some_and(|word| word.trim_start_matches('(').starts_with(commit.as_str())),
            "--version does not name commit {commit}: {}",
            ran.stdout
        ),
        None => eprintln!("not a git checkout: the commit in --version is not checked"),
    }
}

#[test]
fn help_documents_exit_codes() {
    let ran = run(&mut oaslint(&["--help"]));
    insta::assert_snapshot!("help", ran.all());
    let lint = run(&mut oaslint(&["lint", "--help"]));
    assert_eq!(lint.code, 0);
    for needle in ["Exit codes:", "--fail-on", "--max-warnings", "--output <[FORMAT=]FILE>", "--stdin-filename"] {
        assert!(lint.stdout.contains(needle), "lint --help lacks {needle}:\n{}", lint.stdout);
    }
}

#[test]
fn rules_lists_every_check_with_its_severity() {
    let ran = run(&mut oaslint(&["rules", "--no-config"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(ran.stdout.starts_with("Ruleset: recommended ("), "{}", ran.stdout);
    for check in oaslint::checks::CHECKS {
        let meta = check.meta();
        assert!(ran.stdout.contains(meta.id), "{} is not listed", meta.id);
    }
    assert!(ran.stdout.lines().any(|line| line.starts_with("no-body ") && line.contains(" error ")));
    // The FIX column: what each check's declaration says.
    for check in oaslint::checks::CHECKS {
        let meta = check.meta();
        let line = ran.stdout.lines().find(|line| line.starts_with(&format!("{} ", meta.id))).unwrap_or_default();
        let fix = meta.fix.map_or("", |fix| fix.label());
        let columns: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(columns.get(2).copied() == Some(fix), !fix.is_empty(), "{line}");
    }
    assert!(ran.stdout.lines().any(|line| line.starts_with("method-success-code ") && line.contains(" unsafe ")));
    assert!(ran.stdout.contains("unresolved-ref"));
    assert!(ran.stdout.lines().any(|line| line.starts_with("unused-suppression ") && line.contains(" info ")));
}

#[test]
fn rules_follows_ruleset_and_configured_severities() {
    let ran = run(&mut oaslint(&["rules", "--no-config", "--ruleset", "testdata/cli/ruleset.yaml"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(ran.stdout.starts_with("Ruleset: team ("), "{}", ran.stdout);
    assert!(ran.stdout.lines().any(|line| line.starts_with("no-body ") && line.contains(" warning ")));
    let configured = run(oaslint(&["rules"]).current_dir(root().join("testdata/cli/project")));
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    assert!(configured.stdout.contains("Configuration: .oaslint.yaml"), "{}", configured.stdout);
    assert!(configured.stdout.lines().any(|line| line.starts_with("body-required ") && line.contains(" off ")));
}

#[test]
fn explain_prints_the_rule_page() {
    let ran = run(&mut oaslint(&["explain", "no-body"]));
    assert_eq!(ran.code, 0);
    let check = oaslint::checks::check("no-body").unwrap_or_else(|| panic!("no-body is registered"));
    assert_eq!(ran.stdout, oaslint::checks::docs::render(check));
    assert!(ran.stdout.contains("- Fix: **safe**: removes the body"), "{}", ran.stdout);
    let input = run(&mut oaslint(&["explain", "unresolved-ref"]));
    assert_eq!(input.code, 0);
    assert!(input.stdout.starts_with("# `unresolved-ref`\n"), "{}", input.stdout);
    let unused = run(&mut oaslint(&["explain", "unused-suppression"]));
    assert_eq!(unused.code, 0);
    assert_eq!(unused.stdout, oaslint::checks::adopt::render_unused_suppression_page());
}

#[test]
fn explain_suggests_a_rule_for_a_typo() {
    let ran = run(&mut oaslint(&["explain", "no-bdy"]));
    insta::assert_snapshot!("explain_unknown", ran.all());
}

#[test]
fn init_writes_a_working_configuration_once() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let first = run_in(oaslint(&["init", "--ruleset", "ed-fi"]).current_dir(temp.path()), Some(temp.path()));
    assert_eq!((first.code, first.stdout.as_str()), (0, "Wrote .oaslint.yaml: edit it, then run `oaslint lint`.\n"));
    let written = std::fs::read_to_string(temp.path().join(".oaslint.yaml")).unwrap_or_default();
    assert!(written.contains("\nruleset: ed-fi\n"), "{written}");
    // The file it wrote is found and read without complaint.
    let rules = run(oaslint(&["rules"]).current_dir(temp.path()));
    assert_eq!(rules.code, 0, "{}", rules.stderr);
    assert!(rules.stdout.starts_with("Ruleset: ed-fi ("), "{}", rules.stdout);
    let second = run_in(oaslint(&["init"]).current_dir(temp.path()), Some(temp.path()));
    insta::assert_snapshot!("init_refuses_to_overwrite", second.all());
    assert_eq!(std::fs::read_to_string(temp.path().join(".oaslint.yaml")).unwrap_or_default(), written);
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let ran = run(&mut oaslint(&["completions", shell]));
        assert_eq!(ran.code, 0, "{shell}: {}", ran.stderr);
        assert!(ran.stdout.contains("oaslint") && ran.stdout.contains("lint"), "{shell}");
    }
}

// ---- formats ----

fn format(name: &str) -> Ran {
    run(&mut oaslint(&["lint", "--no-config", "--color", "never", "--width", "100", "-f", name, BAD, GOOD, WARNINGS]))
}

#[test]
fn format_human() {
    let ran = format("human");
    assert_eq!(ran.code, 1);
    insta::assert_snapshot!("human", ran.stdout);
}

#[test]
fn format_compact() {
    insta::assert_snapshot!("compact", format("compact").stdout);
}

#[test]
fn format_json() {
    let ran = format("json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(json["summary"]["exit_code"], 1);
    insta::assert_snapshot!("json", ran.stdout);
}

#[test]
fn format_github() {
    insta::assert_snapshot!("github", format("github").stdout);
}

/// SARIF's rule descriptors follow the rules' own docs, which change apart from the CLI:
/// they are checked for consistency here, and the rest of the log is snapshotted.
#[test]
fn format_sarif() {
    let ran = format("sarif");
    let mut log: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap_or_else(|err| panic!("{err}"));
    let run = &mut log["runs"][0];
    let rule_ids: Vec<String> = run["tool"]["driver"]["rules"]
        .as_array()
        .map(|rules| rules.iter().filter_map(|rule| rule["id"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    assert!(rule_ids.iter().any(|id| id == "no-body") && rule_ids.iter().any(|id| id == "invalid-syntax"));
    for result in run["results"].as_array_mut().map(Vec::as_mut_slice).unwrap_or_default() {
        let index = result["ruleIndex"].as_u64().and_then(|index| usize::try_from(index).ok());
        assert_eq!(index.and_then(|index| rule_ids.get(index)).map(String::as_str), result["ruleId"].as_str());
        result["ruleIndex"] = serde_json::Value::from("[checked]");
    }
    run["tool"]["driver"]["rules"] = serde_json::Value::from(format!("[{} rules]", "checked"));
    let text = serde_json::to_string_pretty(&log).unwrap_or_default();
    insta::assert_snapshot!("sarif", text);
}

/// JUnit has a test case per rule and file: passing cases are dropped from the snapshot.
#[test]
fn format_junit() {
    let ran = format("junit");
    let document = roxmltree::Document::parse(&ran.stdout).unwrap_or_else(|err| panic!("not XML: {err}"));
    assert_eq!(document.root_element().tag_name().name(), "testsuites");
    let kept: Vec<&str> =
        ran.stdout.lines().filter(|line| !(line.contains("<testcase ") && line.ends_with("/>"))).collect();
    let kept = kept.join("\n");
    let kept = replace_numbers(&kept, " tests=\"", "\"", "[N]");
    insta::assert_snapshot!("junit", kept);
}

#[test]
fn human_wraps_at_columns_and_colours_only_when_asked() {
    let narrow = run(oaslint(&["lint", "--no-config", "--color", "never", BAD]).env("COLUMNS", "60"));
    insta::assert_snapshot!("human_columns_60", narrow.stdout);
    // The message wraps; the rule's link and the summary line are left whole.
    let message = narrow.stdout.lines().filter(|line| line.starts_with("  ×") || line.starts_with("  │"));
    assert!(message.clone().count() > 1 && message.into_iter().all(|line| line.chars().count() <= 60));
    // Not a terminal: no colour by default, colour when forced, even with NO_COLOR set.
    let plain = run(&mut oaslint(&["lint", "--no-config", BAD]));
    assert!(!plain.stdout.contains('\u{1b}'));
    let forced = run(oaslint(&["lint", "--no-config", "--color", "always", BAD]).env("NO_COLOR", "1"));
    assert!(forced.stdout.contains("\u{1b}["), "{}", forced.stdout);
}

/// In a real terminal (a pty from util-linux's `script`, where there is one): colour is on
/// unless NO_COLOR or `--color never` says otherwise, and lines wrap at the terminal's width.
#[test]
fn human_in_a_terminal() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` command to give oaslint a terminal");
        return;
    }
    let in_terminal = |flags: &str, env: &str| {
        let command = format!("stty cols 70 rows 50; {env} {BIN} lint --no-config {flags} {BAD}");
        let ran =
            run(Command::new("script").args(["-qec", &command, "/dev/null"]).current_dir(root()).env_remove("COLUMNS"));
        (ran.code, ran.stdout.replace("\r\n", "\n"))
    };
    let (code, coloured) = in_terminal("", "");
    assert_eq!(code, 1);
    assert!(coloured.contains("\u{1b}[31m"), "{coloured}");
    let (_, plain) = in_terminal("--color never", "");
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let message = plain.lines().filter(|line| line.starts_with("  ×") || line.starts_with("  │"));
    assert!(message.clone().count() > 1 && message.into_iter().all(|line| line.chars().count() <= 70), "{plain}");
    let (_, no_color) = in_terminal("", "NO_COLOR=1");
    assert!(!no_color.contains('\u{1b}'), "{no_color}");
}

#[test]
fn formats_are_routed_to_files() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let sarif = temp.path().join("reports/out.sarif");
    let junit = temp.path().join("out.xml");
    let sarif_arg = format!("sarif={}", sarif.display());
    let junit_arg = format!("junit={}", junit.display());
    let args = ["lint", "--no-config", "--color", "never", "-f", "compact", "-o", &sarif_arg, "-o", &junit_arg, BAD];
    let ran = run_in(&mut oaslint(&args), Some(temp.path()));
    assert_eq!(ran.code, 1);
    assert!(ran.stdout.starts_with("testdata/cli/bad.yaml:13:11: error [no-body]"), "{}", ran.stdout);
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap_or_default())
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 1);
    assert!(std::fs::read_to_string(&junit).unwrap_or_default().contains("<failure"));
    // A bare --output takes the one --format.
    let json = temp.path().join("out.json");
    let json_arg = json.display().to_string();
    let bare = run(&mut oaslint(&["lint", "--no-config", "-f", "json", "-o", &json_arg, BAD]));
    assert_eq!((bare.code, bare.stdout.as_str()), (1, ""));
    assert!(std::fs::read_to_string(&json).unwrap_or_default().contains("\"no-body\""));
}

/// The JSON blobs of an HTML report: each document's, then the run's.
fn html_blobs(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/json\"")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</script>")?;
            serde_json::from_str(rest.get(start..end)?).ok()
        })
        .collect()
}

#[test]
fn html_report_maps_each_document() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let report = temp.path().join("reports/map.html");
    let output = format!("html={}", report.display());
    let ran = run_in(
        &mut oaslint(&["lint", "--no-config", "-f", "summary", "-o", &output, "testdata/html"]),
        Some(temp.path()),
    );
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert!(ran.stdout.contains("1 suppressed"), "{}", ran.stdout);
    let html = std::fs::read_to_string(&report).unwrap_or_default();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    let blobs = html_blobs(&html);
    let files: Vec<&str> = blobs.iter().filter_map(|blob| blob["file"].as_str()).collect();
    assert_eq!(files, ["testdata/html/orders.yaml", "testdata/html/petstore.yaml"], "one section per root document");
    let petstore = &blobs[1];
    let label = |index: &serde_json::Value| {
        let op = &petstore["ops"][index.as_u64().map_or(usize::MAX, |index| index as usize)];
        format!("{} {}", op["m"].as_str().unwrap_or("-"), op["p"].as_str().unwrap_or("-"))
    };
    let mut cells: Vec<String> = petstore["findings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .flat_map(|finding| {
            let rule = finding["r"].as_str().unwrap_or("-");
            let cells = finding["a"].as_array().cloned().unwrap_or_default();
            if cells.is_empty() {
                return vec![format!("{rule} - - - -")];
            }
            cells
                .iter()
                .map(|cell| {
                    let text = |value: &serde_json::Value| value.as_str().unwrap_or("-").to_owned();
                    format!("{rule} {} {} {}", label(&cell[0]), text(&cell[1]), text(&cell[2]))
                })
                .collect()
        })
        .collect();
    cells.sort();
    assert_eq!(
        cells,
        [
            "code-allowed-for-method POST /pets 304 disallowed",
            "error-responses DELETE /pets/{petId} 404 missing",
            "method-success-code POST /pets 201 missing",
            "no-body DELETE /pets/{petId} 204 -",
            // Written in components.yaml, reached through the 204's `$ref`.
            "no-body GET /health 204 -",
            // Of no operation: the document's header lists it.
            "remote-ref - - - -",
        ]
    );
    assert_eq!(blobs[2]["summary"]["suppressed"], 1);
    // A bare `-o FILE.html` picks the format; the suppressed finding is listed on request.
    let bare = temp.path().join("bare.html");
    let args = ["lint", "--no-config", "--show-suppressed", "-o", bare.to_str().unwrap_or(""), "testdata/html"];
    let ran = run_in(&mut oaslint(&args), Some(temp.path()));
    assert_eq!(ran.code, 1, "{}", ran.all());
    let html = std::fs::read_to_string(&bare).unwrap_or_default();
    let suppressed: Vec<String> = html_blobs(&html)
        .iter()
        .flat_map(|blob| blob["findings"].as_array().cloned().unwrap_or_default())
        .filter_map(|finding| finding["sup"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(suppressed, ["suppressed in the document: the CDN answers If-None-Match for us"]);
    // To standard output, like any format.
    let output = oaslint(&["lint", "--no-config", "-f", "html", "testdata/html/orders.yaml"])
        .output()
        .unwrap_or_else(|err| panic!("cannot run oaslint: {err}"));
    assert_eq!(output.status.code(), Some(0), "warnings only");
    assert_eq!(html_blobs(&String::from_utf8_lossy(&output.stdout)).len(), 2);
}

#[test]
fn ambiguous_output_routing_is_a_usage_error() {
    let two = run(&mut oaslint(&["lint", "--no-config", "-f", "json", "-f", "compact", BAD]));
    let bare = run(&mut oaslint(&["lint", "--no-config", "-o", "out.report", BAD]));
    let unwritable = run(&mut oaslint(&["lint", "--no-config", "-o", "sarif=Cargo.toml/out.sarif", BAD]));
    insta::assert_snapshot!("output_usage_errors", format!("{}\n{}\n{}", two.all(), bare.all(), unwritable.all()));
}

// ---- exit codes ----

fn exit_code(args: &[&str]) -> i32 {
    let mut all = vec!["lint", "--no-config", "-f", "compact"];
    all.extend_from_slice(args);
    run(&mut oaslint(&all)).code
}

#[test]
fn exit_codes_follow_fail_on_and_max_warnings() {
    assert_eq!(exit_code(&[GOOD]), 0);
    assert_eq!(exit_code(&[BAD]), 1);
    assert_eq!(exit_code(&[WARNINGS]), 0);
    assert_eq!(exit_code(&["--fail-on", "warning", WARNINGS]), 1);
    assert_eq!(exit_code(&["--fail-on", "hint", GOOD]), 0);
    assert_eq!(exit_code(&["--max-warnings", "0", WARNINGS]), 1);
    assert_eq!(exit_code(&["--max-warnings", "1", WARNINGS]), 0);
}

#[test]
fn input_errors_exit_with_2_whatever_else_was_found() {
    let ran = run(&mut oaslint(&["lint", "--no-config", "-f", "compact", BAD, BROKEN, "testdata/cli/missing.yaml"]));
    insta::assert_snapshot!("input_errors", ran.all());
    assert_eq!(exit_code(&["testdata/load/broken/refs.yaml"]), 2);
    assert_eq!(run(&mut oaslint(&["lint", "--fail-on", "loud"])).code, 2);
}

// ---- configuration ----

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|err| panic!("{err}"));
    }
    std::fs::write(path, text).unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn configuration_is_found_from_a_subdirectory() {
    // From `paths/`, the project's `.oaslint.yaml` turns body-required off; without it,
    // openapi.yaml's bodiless 200 is reported.
    let project = root().join("testdata/cli/project");
    let found = run(oaslint(&["lint", "-f", "compact", "../openapi.yaml"]).current_dir(project.join("paths")));
    let ignored =
        run(oaslint(&["lint", "--no-config", "-f", "compact", "../openapi.yaml"]).current_dir(project.join("paths")));
    insta::assert_snapshot!("config_discovery", format!("{}\n{}", found.all(), ignored.all()));
}

#[test]
fn ruleset_flag_wins_over_the_configuration() {
    let project = root().join("testdata/cli/project");
    let ran =
        run(oaslint(&["lint", "-f", "compact", "--ruleset", "../ruleset.yaml", "paths/pet.yaml", "openapi.yaml"])
            .current_dir(&project));
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert!(ran.stdout.contains("warning [no-body]"), "{}", ran.stdout);
}

#[test]
fn explicit_config_file() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    write(temp.path(), "ci/oaslint.yaml", "rules: {no-body: info}\n");
    let config = temp.path().join("ci/oaslint.yaml");
    let config = config.to_string_lossy();
    let ran = run(&mut oaslint(&["lint", "-f", "compact", "--config", &config, BAD]));
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert!(ran.stdout.contains("info [no-body]"), "{}", ran.stdout);
    let missing = run_in(&mut oaslint(&["lint", "--config", "nowhere.yaml", BAD]), Some(temp.path()));
    insta::assert_snapshot!("config_missing", missing.all());
}

#[test]
fn broken_configurations_are_located() {
    let cases = [
        ("bad-yaml", "rules: {no-body: warning\n"),
        ("unknown-key", "ruleset: recommended\nexclued: [generated]\n"),
        ("unknown-rule", "rules:\n  no-bdy: warning\n"),
        ("input-problem", "rules:\n  unresolved-ref: off\n"),
        ("bad-level", "rules:\n  no-body: loud\n"),
        ("unknown-ruleset", "ruleset: edfi\n"),
        ("missing-ruleset-file", "ruleset: rules/team.yaml\n"),
        ("broken-ruleset-file", "ruleset: team.yaml\n"),
        ("bad-glob", "exclude: ['specs/[v1']\n"),
        ("override-unknown-field", "overrides:\n  - paths: ['/legacy/**']\n    rulez: {no-body: off}\n"),
        ("override-unknown-rule", "overrides:\n  - rules: {no-bdy: off}\n"),
        ("override-bad-operation", "overrides:\n  - operations: ['FETCH /x']\n    rules: {no-body: off}\n"),
    ];
    let mut report = String::new();
    for (name, text) in cases {
        let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        write(temp.path(), ".oaslint.yaml", text);
        write(temp.path(), "team.yaml", "extends: recommended\nchecks:\n  no-body: sometimes\n");
        let ran = run_in(oaslint(&["lint"]).current_dir(temp.path()), Some(temp.path()));
        assert_eq!(ran.code, 2, "{name}: {}", ran.all());
        report.push_str(&format!("== {name}\n{}", ran.stderr));
    }
    insta::assert_snapshot!("config_errors", report);
}

// ---- inputs ----

#[test]
fn standard_input() {
    let text = std::fs::read_to_string(root().join(BAD)).unwrap_or_default();
    let named = run(oaslint(&["lint", "--no-config", "-f", "compact", "-", "--stdin-filename", "specs/api.yaml"])
        .write_stdin(text.clone()));
    let anonymous = run(oaslint(&["lint", "--no-config", "-f", "compact", "-"]).write_stdin(text));
    let fragment =
        run(oaslint(&["lint", "--no-config", "-f", "compact", "--skip-non-openapi", "-"])
            .write_stdin("name: not an API\n"));
    insta::assert_snapshot!("stdin", format!("{}\n{}\n{}", named.all(), anonymous.all(), fragment.all()));
    // `--stdin-filename` alone reads standard input, as editors call linters.
    let implied = run(oaslint(&["lint", "--no-config", "-f", "compact", "--stdin-filename", "api.yaml"])
        .write_stdin(std::fs::read_to_string(root().join(BAD)).unwrap_or_default()));
    assert!(implied.stdout.starts_with("api.yaml:13:11: error [no-body]"), "{}", implied.all());
    let contradictory = run(&mut oaslint(&["lint", "--no-config", "--stdin-filename", "api.yaml", GOOD]));
    assert_eq!(contradictory.code, 2);
    assert!(contradictory.stderr.contains("`-` is not among the paths"), "{}", contradictory.stderr);
}

/// Roots are linted, the fragment they share is reported once, `.gitignore`d and excluded
/// directories are not entered, unrelated YAML is passed over.
#[test]
fn directory_walk() {
    let project = root().join("testdata/cli/project");
    let ran = run(oaslint(&["lint", "-f", "json"]).current_dir(&project));
    let json: serde_json::Value =
        serde_json::from_str(&ran.stdout).unwrap_or_else(|err| panic!("{err}: {}", ran.all()));
    assert_eq!(json["files"], serde_json::json!(["admin.yaml", "openapi.yaml", "paths/pet.yaml"]));
    let findings: Vec<String> = json["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .map(|finding| format!("{}:{} {}", finding["file"], finding["start"]["line"], finding["rule"]))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(findings, ["\"paths/pet.yaml\":7 \"no-body\""]);
    assert_eq!(ran.code, 1);
    // The same run from the repository root, naming the directory.
    let named = run(&mut oaslint(&[
        "lint",
        "--config",
        "testdata/cli/project/.oaslint.yaml",
        "-f",
        "compact",
        "testdata/cli/project",
    ]));
    insta::assert_snapshot!("directory_walk", named.all());
}

#[test]
fn output_is_deterministic() {
    let args = ["lint", "--no-config", "-f", "compact", "testdata"];
    let first = run(&mut oaslint(&args));
    let second = run(&mut oaslint(&args));
    assert_eq!(first.stdout, second.stdout);
    let keys: Vec<(String, u32, u32)> = first
        .stdout
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ':');
            let file = parts.next()?.to_owned();
            Some((file, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        })
        .collect();
    assert!(!keys.is_empty());
    // Root by root, in path order, each root's findings by file and position: within a
    // file, positions never go back.
    for pair in keys.windows(2) {
        if let [(file, line, column), (next_file, next_line, next_column)] = pair {
            if file == next_file {
                assert!((line, column) <= (next_line, next_column), "{pair:?}");
            }
        }
    }
    let mut roots: Vec<&str> = first.stdout.lines().filter_map(|line| line.split(':').next()).collect();
    roots.dedup();
    let mut files_seen = std::collections::HashSet::new();
    for file in &roots {
        assert!(files_seen.insert(*file), "{file}'s findings are not together: {roots:?}");
    }
}

#[test]
fn quoted_globs_are_expanded() {
    let ran = run(&mut oaslint(&["lint", "--no-config", "-f", "compact", "testdata/cli/*.yaml"]));
    insta::assert_snapshot!("glob", ran.all());
    let none = run(&mut oaslint(&["lint", "--no-config", "testdata/cli/*.nothing"]));
    assert_eq!((none.code, none.stderr.as_str()), (2, "error: no files match `testdata/cli/*.nothing`\n"));
}

/// Named files that are not OpenAPI roots: checked on their own for what can be checked,
/// or skipped with --skip-non-openapi (a broken file that says `openapi:` is never skipped).
#[test]
fn named_files_that_are_not_roots() {
    let files = ["testdata/cli/project/paths/pet.yaml", "testdata/cli/unrelated.yaml", "testdata/cli/not-yaml.yaml"];
    let mut checked = vec!["lint", "--no-config", "-f", "compact"];
    checked.extend(files);
    let mut skipped = checked.clone();
    skipped.push("--skip-non-openapi");
    let mut broken_root = skipped.clone();
    broken_root.push(BROKEN);
    let report = [run(&mut oaslint(&checked)), run(&mut oaslint(&skipped)), run(&mut oaslint(&broken_root))]
        .iter()
        .map(Ran::all)
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("named_non_roots", report);
}

// ---- adopting: suppressions, overrides, the baseline ----

/// A configuration with every check but `no-body` off, so that these tests follow one
/// rule however the others evolve; `extra` is appended (an `overrides:` section, say).
fn only_no_body(extra: &str) -> String {
    let mut text = String::from("rules:\n");
    for id in oaslint::checks::ruleset::CHECK_IDS.iter().filter(|id| **id != "no-body") {
        text.push_str(&format!("  {id}: off\n"));
    }
    text.push_str(extra);
    text
}

/// Two DELETEs answering 204 with a body: two `no-body` findings.
const TWO_BAD_DELETES: &str = r#"openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    delete:
      responses:
        "204":
          description: Deleted.
          content:
            application/json:
              schema: {type: object}
  /cats/{id}:
    delete:
      responses:
        "204":
          description: Deleted.
          content:
            application/json:
              schema: {type: object}
"#;

#[test]
fn show_suppressed_lists_inline_ignores() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let spec = std::fs::read_to_string(root().join(BAD)).unwrap_or_default().replace(
        "        \"204\":\n          description: Deleted.\n",
        "        \"204\":\n          description: Deleted.\n          x-oaslint-ignore:\n            - {rule: no-body, reason: legacy clients read this body}\n",
    );
    assert!(spec.contains("x-oaslint-ignore"), "{spec}");
    write(temp.path(), "api.yaml", &spec);
    let quiet = run_in(oaslint(&["lint", "--no-config", "-f", "compact", "api.yaml"]).current_dir(temp.path()), None);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""), "{}", quiet.all());
    let shown = run_in(
        oaslint(&["lint", "--no-config", "-f", "compact", "--show-suppressed", "api.yaml"]).current_dir(temp.path()),
        None,
    );
    assert_eq!(shown.code, 0, "{}", shown.all());
    let lines: Vec<&str> = shown.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", shown.all());
    assert!(lines[0].starts_with("api.yaml:15:11: error [no-body]"), "{}", shown.stdout);
    assert!(lines[0].contains("legacy clients read this body"), "{}", shown.stdout);
    // The human summary counts it.
    let human =
        run_in(oaslint(&["lint", "--no-config", "--color", "never", "api.yaml"]).current_dir(temp.path()), None);
    assert!(human.stdout.contains("0 errors") && human.stdout.contains("1 suppressed"), "{}", human.stdout);
}

#[test]
fn overrides_turn_rules_off_or_change_severities_by_path() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    write(temp.path(), "api.yaml", TWO_BAD_DELETES);
    let lint = |config: &str, extra: &[&str]| {
        write(temp.path(), ".oaslint.yaml", config);
        let mut args = vec!["lint", "-f", "compact"];
        args.extend_from_slice(extra);
        run_in(oaslint(&args).current_dir(temp.path()), Some(temp.path()))
    };
    let plain = lint(&only_no_body(""), &[]);
    assert_eq!((plain.code, plain.stdout.lines().count()), (1, 2), "{}", plain.all());
    // Off under /pets: that finding is suppressed, the other still fails the run.
    let pets_off = only_no_body("overrides:\n  - paths: [\"/pets/**\"]\n    rules: {no-body: off}\n");
    let ran = lint(&pets_off, &[]);
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert_eq!(ran.stdout.lines().count(), 1, "{}", ran.all());
    assert!(ran.stdout.contains("DELETE /cats/{id}"), "{}", ran.all());
    // Off for every DELETE: nothing left, exit 0; --show-suppressed names the override.
    let deletes_off = only_no_body("overrides:\n  - operations: [DELETE]\n    rules: {no-body: off}\n");
    let ran = lint(&deletes_off, &[]);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{}", ran.all());
    let shown = lint(&deletes_off, &["--show-suppressed"]);
    assert_eq!(shown.stdout.lines().count(), 2, "{}", shown.all());
    assert!(
        shown.stdout.contains("turned off by override #1 in the configuration (operations DELETE)"),
        "{}",
        shown.all()
    );
    // A severity instead: warnings, which do not fail the run.
    let warning = only_no_body("overrides:\n  - files: [api.yaml]\n    rules: {no-body: warning}\n");
    let ran = lint(&warning, &[]);
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert_eq!(ran.stdout.matches("warning [no-body]").count(), 2, "{}", ran.all());
}

#[test]
fn baseline_round_trip() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let dir = temp.path();
    write(dir, ".oaslint.yaml", &only_no_body(""));
    write(dir, "api.yaml", TWO_BAD_DELETES);
    let oaslint_in = |args: &[&str]| run_in(oaslint(args).current_dir(dir), Some(dir));

    // Without a baseline file, `lint --baseline` is an error.
    let missing = oaslint_in(&["lint", "--baseline"]);
    assert_eq!(missing.code, 2, "{}", missing.all());
    assert!(missing.stderr.contains("cannot read baseline .oaslint-baseline.json"), "{}", missing.all());

    let written = oaslint_in(&["baseline"]);
    assert_eq!((written.code, written.stdout.as_str()), (0, "Wrote 2 entries to .oaslint-baseline.json.\n"));
    let file = std::fs::read_to_string(dir.join(".oaslint-baseline.json")).unwrap_or_default();
    assert_eq!(file.matches("\"rule\":\"no-body\"").count(), 2, "{file}");
    assert!(file.contains("\"file\":\"api.yaml\""), "{file}");

    let accepted = oaslint_in(&["lint", "--baseline", "-f", "compact"]);
    assert_eq!((accepted.code, accepted.stdout.as_str(), accepted.stderr.as_str()), (0, "", ""));

    // Move an operation (cats first, so every line shifts) and add one bad response.
    let cats = TWO_BAD_DELETES.split("  /cats/{id}:\n").nth(1).unwrap_or_default();
    let pets = TWO_BAD_DELETES.split("  /cats/{id}:\n").next().unwrap_or_default();
    let (head, pets) = pets.split_once("  /pets/{id}:\n").unwrap_or_default();
    let edited = format!(
        "{head}  /cats/{{id}}:\n{cats}  /pets/{{id}}:\n{pets}    get:\n      responses:\n        \"200\":\n          \
         description: The pet.\n        \"304\":\n          description: Not modified.\n          content:\n            \
         application/json:\n              schema: {{type: object}}\n"
    );
    write(dir, "api.yaml", &edited);
    let changed = oaslint_in(&["lint", "--baseline", "-f", "compact"]);
    assert_eq!(changed.code, 1, "{}", changed.all());
    let lines: Vec<&str> = changed.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}\n{edited}", changed.all());
    assert!(lines[0].contains("error [no-body] GET /pets/{id}: 304 Not Modified declares a body"), "{}", lines[0]);
    assert_eq!(changed.stderr, "", "{}", changed.all());
    // The accepted ones are still there, suppressed by the baseline.
    let shown = oaslint_in(&["lint", "--baseline", "--show-suppressed", "-f", "compact"]);
    assert_eq!(shown.stdout.matches("suppressed by baseline or configuration: baseline").count(), 2, "{}", shown.all());

    // Fix the DELETE /pets body: its entry is stale, reported, and still in the file...
    let fixed = edited.replacen(
        "  /pets/{id}:\n    delete:\n      responses:\n        \"204\":\n          description: Deleted.\n          \
         content:\n            application/json:\n              schema: {type: object}\n",
        "  /pets/{id}:\n    delete:\n      responses:\n        \"204\":\n          description: Deleted.\n",
        1,
    );
    assert_ne!(fixed, edited);
    write(dir, "api.yaml", &fixed);
    let stale = oaslint_in(&["lint", "--baseline", "-f", "compact"]);
    assert_eq!(stale.code, 1, "{}", stale.all());
    assert!(
        stale.stderr.contains("note: baseline entry no longer matches: api.yaml [no-body] DELETE /pets/{id}: 204"),
        "{}",
        stale.all()
    );
    assert!(stale.stderr.contains("1 stale baseline entry; `--update-baseline` removes them"), "{}", stale.all());
    assert_eq!(std::fs::read_to_string(dir.join(".oaslint-baseline.json")).unwrap_or_default(), file);

    // ...until --update-baseline drops it (and does not add the new finding).
    let updated = oaslint_in(&["lint", "--update-baseline", "-f", "compact"]);
    assert_eq!(updated.code, 1, "{}", updated.all());
    assert!(updated.stderr.contains("removed 1 stale baseline entry"), "{}", updated.all());
    let after = std::fs::read_to_string(dir.join(".oaslint-baseline.json")).unwrap_or_default();
    assert_eq!(after.matches("\"rule\":").count(), 1, "{after}");
    assert!(after.contains("DELETE /cats/{id}"), "{after}");
    let clean = oaslint_in(&["lint", "--baseline=.oaslint-baseline.json", "-f", "compact"]);
    assert_eq!((clean.code, clean.stderr.as_str()), (1, ""), "{}", clean.all());

    // `oaslint baseline` again accepts the new finding too; another file name works.
    let again = oaslint_in(&["baseline", "--baseline", "accepted.json", "api.yaml"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, "Wrote 2 entries to accepted.json.\n"), "{}", again.all());
    let none = oaslint_in(&["lint", "--baseline", "accepted.json", "api.yaml"]);
    assert_eq!(none.code, 0, "{}", none.all());
    // The optional value does not silently swallow the spec to lint.
    let swallowed = oaslint_in(&["lint", "--baseline", "api.yaml"]);
    assert_eq!(swallowed.code, 2, "{}", swallowed.all());
    assert!(
        swallowed.stderr.contains("put the paths first or write `--baseline=.oaslint-baseline.json`"),
        "{}",
        swallowed.all()
    );
    assert_eq!(oaslint_in(&["lint", "api.yaml", "--baseline=accepted.json"]).code, 0);
}

#[test]
fn baseline_refuses_to_write_over_input_problems() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    get:\n      responses:\n        \
                \"200\": {$ref: \"missing.yaml#/x\"}\n";
    write(temp.path(), "api.yaml", spec);
    let ran = run_in(oaslint(&["baseline", "--no-config", "api.yaml"]).current_dir(temp.path()), Some(temp.path()));
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("api.yaml:7:23: error [unresolved-ref]"), "{}", ran.all());
    assert!(ran.stderr.contains("1 input problem (listed above): fix it first"), "{}", ran.all());
    assert!(!temp.path().join(".oaslint-baseline.json").exists());
}

/// SARIF carries both kinds of suppression: `inSource` for an inline ignore, `external`
/// (justified `baseline`) for the baseline; with a baseline, each result's
/// `baselineState` says whether it is new, and stale entries are `absent` results. `scripts/validate-sarif.sh` validates this
/// file when OASLINT_SARIF_OUT names a directory to keep it in.
#[test]
fn sarif_carries_suppressions() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let dir = temp.path();
    write(dir, ".oaslint.yaml", &only_no_body(""));
    write(dir, "api.yaml", TWO_BAD_DELETES);
    let oaslint_in = |args: &[&str]| run_in(oaslint(args).current_dir(dir), Some(dir));
    assert_eq!(oaslint_in(&["baseline"]).code, 0);
    // An inline ignore on /cats, which the baseline already lists; and a new /dogs.
    let spec = TWO_BAD_DELETES.replace(
        "  /cats/{id}:\n    delete:\n",
        "  /cats/{id}:\n    delete:\n      x-oaslint-ignore: [{rule: no-body, reason: cats are legacy}]\n",
    ) + "  /dogs/{id}:\n    delete:\n      responses:\n        \"204\":\n          description: Deleted.\n          \
         content:\n            application/json:\n              schema: {type: object}\n";
    write(dir, "api.yaml", &spec);
    let ran = oaslint_in(&["lint", "--baseline", "-f", "sarif", "-o", "out.sarif"]);
    assert_eq!(ran.code, 1, "{}", ran.all());
    let text = std::fs::read_to_string(dir.join("out.sarif")).unwrap_or_default();
    let log: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|err| panic!("{err}"));
    let run = &log["runs"][0];
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .map(|rules| rules.iter().filter_map(|rule| rule["id"].as_str()).collect())
        .unwrap_or_default();
    assert!(rule_ids.contains(&"unused-suppression"), "{rule_ids:?}");
    let mut seen: Vec<String> = run["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|result| {
                    let suppressions = result["suppressions"]
                        .as_array()
                        .map(|list| {
                            list.iter()
                                .map(|s| format!("{}:{}", s["kind"].as_str().unwrap_or(""), s["justification"]))
                                .collect::<Vec<_>>()
                                .join(",")
                        })
                        .unwrap_or_default();
                    let uri = result["locations"][0]["physicalLocation"]["region"]["startLine"].clone();
                    let state = result["baselineState"].as_str().unwrap_or("");
                    format!("{} line {uri} [{suppressions}] {state}", result["ruleId"].as_str().unwrap_or(""))
                })
                .collect()
        })
        .unwrap_or_default();
    seen.sort();
    assert_eq!(
        seen,
        [
            // The baseline's entry for /cats matches nothing now (the inline ignore took it):
            // absent, at its file, without a line.
            "no-body line 18 [inSource:\"cats are legacy\"] new",
            "no-body line 26 [] new",
            "no-body line 9 [external:\"baseline\"] unchanged",
            "no-body line null [] absent",
        ],
        "{text}"
    );
    if let Some(out) = std::env::var_os("OASLINT_SARIF_OUT") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out).unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(out.join("suppressions.sarif"), &text).unwrap_or_else(|err| panic!("{err}"));
    }
}

// ---- what a run is given: fragments, and no documents at all ----

/// A repository whose root `$ref`s a path item in another file, with a bad 204 there.
fn repository_with_fragment(dir: &Path) {
    std::fs::create_dir_all(dir.join(".git")).unwrap_or_else(|err| panic!("{err}"));
    std::fs::create_dir_all(dir.join("specs/paths")).unwrap_or_else(|err| panic!("{err}"));
    write(
        dir,
        "specs/openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: Pets, version: \"1\"}\npaths:\n  /pets/{id}:\n    $ref: paths/pet.yaml\n",
    );
    write(
        dir,
        "specs/paths/pet.yaml",
        "delete:\n  responses:\n    \"204\":\n      description: Deleted.\n      content:\n        application/json:\n          schema: {type: object}\n",
    );
    write(dir, "notes.yaml", "title: not an API\n");
}

/// pre-commit passes only the staged files: a staged fragment is linted through the
/// project's root that references it, and only its own findings are reported.
#[test]
fn a_named_fragment_is_linted_through_its_root() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    repository_with_fragment(temp.path());
    for extra in [&["--skip-non-openapi"][..], &[]] {
        let mut args = vec!["lint", "--no-config", "-f", "compact", "specs/paths/pet.yaml"];
        args.extend_from_slice(extra);
        let ran = run_in(oaslint(&args).current_dir(temp.path()), Some(temp.path()));
        assert_eq!(ran.code, 1, "{}", ran.all());
        assert!(ran.stdout.contains("specs/paths/pet.yaml:5:7: error [no-body] DELETE /pets/{id}"), "{}", ran.all());
        assert!(ran.stdout.lines().all(|line| line.starts_with("specs/paths/pet.yaml:")), "{}", ran.all());
    }
    // From a subdirectory of the repository too, and with the root itself named: once.
    let ran = run_in(
        oaslint(&["lint", "--no-config", "-f", "compact", "paths/pet.yaml", "openapi.yaml"])
            .current_dir(temp.path().join("specs")),
        Some(temp.path()),
    );
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert_eq!(ran.stdout.matches("[no-body]").count(), 1, "{}", ran.all());
    // A fragment nothing references is checked on its own, or skipped for pre-commit.
    write(temp.path(), "specs/paths/orphan.yaml", "get:\n  responses: {}\n");
    let alone = run_in(
        oaslint(&[
            "lint",
            "--no-config",
            "-f",
            "compact",
            "--skip-non-openapi",
            "specs/paths/orphan.yaml",
            "notes.yaml",
        ])
        .current_dir(temp.path()),
        Some(temp.path()),
    );
    assert_eq!((alone.code, alone.stdout.as_str()), (0, ""), "{}", alone.all());
}

/// A moved spec or a mistyped path must not pass CI: no OpenAPI document is an error,
/// unless `--allow-empty` (or `--skip-non-openapi`, for pre-commit) says it is fine.
#[test]
fn finding_no_openapi_document_fails_the_run() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    write(temp.path(), "notes.yaml", "title: not an API\n");
    std::fs::create_dir_all(temp.path().join("empty")).unwrap_or_else(|err| panic!("{err}"));
    let lint = |args: &[&str]| {
        let mut all = vec!["lint", "--no-config", "-f", "compact"];
        all.extend_from_slice(args);
        run_in(oaslint(&all).current_dir(temp.path()), Some(temp.path()))
    };
    let empty = lint(&["empty"]);
    assert_eq!(empty.code, 2, "{}", empty.all());
    assert!(empty.stderr.starts_with("error: no OpenAPI documents found in `empty`"), "{}", empty.all());
    let walked = lint(&[]);
    assert_eq!(walked.code, 2, "{}", walked.all());
    assert!(walked.stderr.contains("in the current directory"), "{}", walked.all());
    // A named non-OpenAPI file is checked on its own, but it is no document either.
    assert_eq!(lint(&["notes.yaml"]).code, 2);
    for allowed in [&["--allow-empty", "empty"][..], &["--skip-non-openapi", "notes.yaml"], &["--allow-empty"]] {
        let ran = lint(allowed);
        assert_eq!((ran.code, ran.stderr.as_str()), (0, ""), "{allowed:?}: {}", ran.all());
    }
    // The reports are complete, and say how the run ended.
    let json =
        run_in(oaslint(&["lint", "--no-config", "-f", "json", "empty"]).current_dir(temp.path()), Some(temp.path()));
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(report["summary"]["exit_code"], 2);
}

// ---- C1 control characters in YAML ----

const CONTROL_CHARACTERS: &str = "testdata/cli/c1/control-characters.yaml";

/// Each unescaped C1 character (in keys, plain, quoted and block scalars, comments, at a
/// line's end) is one located warning; the document is linted as usual, and the warnings
/// leave the exit code to the rule findings.
#[test]
fn control_characters_are_warnings_and_the_document_is_linted() {
    let ran = run(&mut oaslint(&["lint", "--no-config", "-f", "compact", CONTROL_CHARACTERS]));
    assert_eq!(ran.code, 1, "the no-body error, not an input error: {}", ran.all());
    insta::assert_snapshot!("control_characters", ran.all());

    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    write(temp.path(), "lenient.yaml", "rules: {no-body: off, body-required: off}\n");
    let config = temp.path().join("lenient.yaml");
    let config = config.to_str().unwrap_or_default();
    let ran =
        run_in(&mut oaslint(&["lint", "--config", config, "-f", "compact", CONTROL_CHARACTERS]), Some(temp.path()));
    assert_eq!(ran.code, 0, "only control-character warnings: {}", ran.all());
    assert!(ran.stdout.contains("warning [control-character]"), "{}", ran.all());
    assert_eq!(run(&mut oaslint(&["lint", "--no-config", "--max-warnings", "5", CONTROL_CHARACTERS])).code, 1);

    // The JSON report carries the help, and the human one shows the code point.
    let json = run(&mut oaslint(&["lint", "--no-config", "-f", "json", CONTROL_CHARACTERS]));
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    let first = report["findings"]
        .as_array()
        .and_then(|findings| findings.iter().find(|finding| finding["rule"] == "control-character"))
        .cloned()
        .unwrap_or_default();
    assert_eq!((&first["severity"], &first["category"]), (&"warning".into(), &"input".into()), "{first}");
    assert_eq!((&first["start"]["line"], &first["start"]["column"]), (&3.into(), &28.into()), "{first}");
    assert_eq!(first["end"]["column"], 29, "the span covers the one character: {first}");
    assert!(first["help"].as_str().is_some_and(|help| help.contains("`\\u0083`")), "{first}");
}

/// `yaml: {strict: true}` restores YAML 1.2's refusal: an input error at the first C1 character.
#[test]
fn strict_yaml_refuses_control_characters() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    write(temp.path(), "strict.yaml", "yaml: {strict: true}\n");
    let config = temp.path().join("strict.yaml");
    let config = config.to_str().unwrap_or_default();
    let ran =
        run_in(&mut oaslint(&["lint", "--config", config, "-f", "compact", CONTROL_CHARACTERS]), Some(temp.path()));
    assert_eq!(ran.code, 2, "{}", ran.all());
    insta::assert_snapshot!("control_characters_strict", ran.all());
    // Documents without one are not affected.
    let ran = run_in(&mut oaslint(&["lint", "--config", config, GOOD]), Some(temp.path()));
    assert_eq!(ran.code, 0, "{}", ran.all());
}

#[test]
fn explain_prints_the_control_character_page() {
    let ran = run(&mut oaslint(&["explain", "control-character"]));
    assert_eq!(ran.code, 0);
    let page = std::fs::read_to_string(root().join("docs/rules/control-character.md")).unwrap_or_default();
    assert_eq!(ran.stdout, page);
    assert!(page.contains("yaml: {strict: true}"), "{page}");
    let rules = run(&mut oaslint(&["rules", "--no-config"]));
    let line = rules.stdout.lines().find(|line| line.starts_with("control-character ")).unwrap_or_default();
    assert!(line.contains(" warning "), "{}", rules.stdout);
}

// ---- failures first: --quiet, --max-problems, the summary ----

/// `--quiet` lists only what fails the run, in every format; the counts still count all.
#[test]
fn quiet_lists_only_failures_in_every_format() {
    let files = [BAD, "testdata/cli/warnings.json"];
    let lint = |args: &[&str]| {
        let mut all = vec!["lint", "--no-config", "--color", "never"];
        all.extend_from_slice(args);
        all.extend(files);
        run(&mut oaslint(&all))
    };
    let compact = lint(&["-f", "compact", "--quiet"]);
    assert_eq!(compact.code, 1, "{}", compact.all());
    assert_eq!(compact.stdout.lines().count(), 1, "{}", compact.all());
    assert!(compact.stdout.contains("error [no-body]"), "{}", compact.all());
    // The alias, and --fail-on moving the line.
    let warnings = lint(&["-f", "compact", "--display-only-failures", "--fail-on", "warning"]);
    assert_eq!(warnings.stdout.lines().count(), 2, "{}", warnings.all());
    let human = lint(&["--quiet"]);
    assert!(human.stdout.contains("1 error, 1 warning"), "the summary counts everything: {}", human.all());
    assert!(!human.stdout.contains("body-required"), "{}", human.all());
    let github = lint(&["-f", "github", "-q"]);
    assert_eq!(github.stdout.lines().filter(|line| line.starts_with("::")).count(), 1, "{}", github.all());
    for format in ["json", "gitlab"] {
        let ran = lint(&["-f", format, "--quiet"]);
        assert!(!ran.stdout.contains("body-required"), "{format}: {}", ran.all());
        assert!(ran.stdout.contains("no-body"), "{format}: {}", ran.all());
    }
    // SARIF describes every rule, but lists only the failing results.
    let sarif = lint(&["-f", "sarif", "--quiet"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap_or_else(|err| panic!("{err}"));
    let results: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .map(|results| results.iter().filter_map(|result| result["ruleId"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(results, ["no-body"], "{}", sarif.all());
}

/// `--max-problems` caps what is listed and says how many were left out; the exit code and
/// the counts take them all into account.
#[test]
fn max_problems_caps_the_listing_not_the_counts() {
    let lint = |args: &[&str]| {
        let mut all = vec!["lint", "--no-config", "--color", "never"];
        all.extend_from_slice(args);
        all.push("testdata/rules/no-body");
        run(&mut oaslint(&all))
    };
    let all = lint(&["-f", "compact"]);
    let total = all.stdout.lines().count();
    assert!(total > 3, "{}", all.all());
    let capped = lint(&["-f", "compact", "--max-problems", "2"]);
    assert_eq!(capped.code, all.code);
    assert_eq!(capped.stdout.lines().collect::<Vec<_>>(), all.stdout.lines().take(2).collect::<Vec<_>>());
    assert!(
        capped.stderr.contains(&format!("note: {} more findings not listed (`--max-problems 2`)", total - 2)),
        "{}",
        capped.all()
    );
    let human = lint(&["--max-problems", "1"]);
    assert!(human.stdout.contains(&format!("... and {} more findings not listed", total - 1)), "{}", human.all());
    let json = lint(&["-f", "json", "--max-problems", "2"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(2));
    assert_eq!(report["summary"]["omitted"], total - 2);
    let counted: u64 =
        ["errors", "warnings", "infos", "hints"].iter().map(|key| report["summary"][key].as_u64().unwrap_or(0)).sum();
    assert_eq!(counted, total as u64);
}

/// `--format summary` counts per rule and severity, most severe first; the human output
/// ends with the same table when it lists more than a screenful.
#[test]
fn the_summary_counts_per_rule() {
    let summary = run(&mut oaslint(&["lint", "--no-config", "--color", "never", "-f", "summary", "testdata/rules"]));
    assert_eq!(summary.code, 1, "{}", summary.all());
    let severities: Vec<&str> = summary
        .stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .take_while(|word| *word != "Checked")
        .collect();
    let rank = |severity: &str| ["hint", "info", "warning", "error"].iter().position(|name| *name == severity);
    assert!(severities.windows(2).all(|pair| rank(pair[0]) >= rank(pair[1])), "{}", summary.stdout);
    assert!(summary.stdout.contains("no-body "), "{}", summary.stdout);
    let last = summary.stdout.lines().last().unwrap_or_default();
    let human = run(&mut oaslint(&["lint", "--no-config", "--color", "never", "testdata/rules"]));
    assert!(human.stdout.contains("Findings by rule:\n"), "{}", human.stdout);
    let table = summary.stdout.rsplit_once("\n\n").map(|(table, _)| table).unwrap_or_default();
    assert!(human.stdout.contains(table), "the same table: {table}");
    let filter = |line: &str| line.split(" in ").next().unwrap_or_default().to_owned();
    assert_eq!(filter(human.stdout.lines().last().unwrap_or_default()), filter(last));
    // A short run has no table.
    let short = run(&mut oaslint(&["lint", "--no-config", "--color", "never", BAD]));
    assert!(!short.stdout.contains("Findings by rule"), "{}", short.stdout);
}

/// The input warnings and `unused-suppression` are set like any rule: in `rules:`, by
/// overrides, and by `x-oaslint-ignore`; input errors are not.
#[test]
fn input_warnings_and_unused_suppressions_can_be_set_like_rules() {
    let temp = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
                x-oaslint-ignore: [no-body]\n      responses:\n        '200': {$ref: 'https://example.com/r.yaml#/Ok'}\n";
    write(temp.path(), "api.yaml", spec);
    let lint = |config: &str| {
        write(temp.path(), ".oaslint.yaml", config);
        run_in(oaslint(&["lint", "-f", "compact", "api.yaml"]).current_dir(temp.path()), Some(temp.path()))
    };
    let plain = lint("{}\n");
    assert_eq!(plain.code, 0, "{}", plain.all());
    assert!(plain.stdout.contains("warning [remote-ref]"), "{}", plain.all());
    assert!(plain.stdout.contains("info [unused-suppression]"), "{}", plain.all());
    let off = lint("rules: {remote-ref: off, unused-suppression: off}\n");
    assert_eq!((off.code, off.stdout.as_str()), (0, ""), "{}", off.all());
    // Raised to an error, a remote reference fails the run like a rule (1), not like a
    // document that could not be read (2).
    let raised = lint("rules: {remote-ref: error}\n");
    assert_eq!(raised.code, 1, "{}", raised.all());
    assert!(raised.stdout.contains("error [remote-ref]"), "{}", raised.all());
    let overridden =
        lint("overrides:\n  - files: [api.yaml]\n    rules: {unused-suppression: warning, remote-ref: off}\n");
    assert!(overridden.stdout.contains("warning [unused-suppression]"), "{}", overridden.all());
    assert!(!overridden.stdout.contains("[remote-ref]"), "{}", overridden.all());
    // Ignored inline, at the operation.
    write(temp.path(), "api.yaml", &spec.replace("[no-body]", "[remote-ref]"));
    let ignored = lint("{}\n");
    assert_eq!((ignored.code, ignored.stdout.as_str()), (0, ""), "{}", ignored.all());
    let refused = lint("rules: {unresolved-ref: off}\n");
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(refused.stderr.contains("not a rule"), "{}", refused.all());
}

/// The supported versions are stated the same way wherever a user reads them.
#[test]
fn supported_versions_are_stated_the_same_everywhere() {
    const VERSIONS: &str = "Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2";
    let help = run(&mut oaslint(&["--help"]));
    assert!(help.stdout.contains(VERSIONS), "{}", help.stdout);
    for file in ["README.md", ".pre-commit-hooks.yaml", "src/lib.rs"] {
        let text = std::fs::read_to_string(root().join(file)).unwrap_or_default();
        assert!(text.contains(VERSIONS), "{file} does not say {VERSIONS:?}");
        assert!(!text.contains("3.0 and 3.1"), "{file} names fewer versions somewhere");
    }
}
