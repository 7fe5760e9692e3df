//! The edges of reading and writing files, as an attacker or a careless user would find
//! them (issue 8): only regular files are read, every read is capped as it arrives, `$ref`s
//! and rulesets stay inside their roots (also against a symlink swapped mid-load), errors
//! quote no more than a short excerpt, one file is loaded once whatever its names, reports
//! never replace an input, every write is atomic (also when the run is killed), and
//! concurrent baseline runs lose no entries.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use oaslint::resolve::{LoadOptions, Workspace};

const BIN: &str = env!("CARGO_BIN_EXE_oaslint");

/// Long enough for a debug build on a busy machine; a hang is far longer.
const PATIENCE: Duration = Duration::from_secs(60);

/// A spec with one `no-body` finding (a 204 that declares content), and whatever `extra`
/// adds under `paths`.
fn spec(extra: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets/{{id}}:\n    delete:\n      responses:\n        \
         '204':\n          description: Deleted.\n          content:\n            application/json:\n              \
         schema: {{type: object}}\n{extra}"
    )
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|err| panic!("{err}"));
    }
    std::fs::write(&path, text).unwrap_or_else(|err| panic!("{err}"));
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{err}"))
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn oaslint(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args(args).env_remove("NO_COLOR").env_remove("COLUMNS");
    command
}

#[derive(Debug)]
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn all(&self) -> String {
        format!("exit: {:?}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Run to the end, failing the test (and killing the process) if it takes longer than
/// [`PATIENCE`]: a read that blocks must fail the test, not hang it.
fn run(command: &mut Command) -> Ran {
    run_feeding(command, None)
}

/// Like [`run`], with `feed` writing standard input from another thread until it is done
/// or the pipe closes.
fn run_feeding(command: &mut Command, feed: Option<Box<dyn FnOnce(std::process::ChildStdin) + Send>>) -> Ran {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command.stdin(if feed.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = command.spawn().unwrap_or_else(|err| panic!("cannot run oaslint: {err}"));
    let feeder = match (feed, child.stdin.take()) {
        (Some(feed), Some(stdin)) => Some(std::thread::spawn(move || feed(stdin))),
        _ => None,
    };
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap_or_else(|err| panic!("{err}")) {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("oaslint did not finish within {PATIENCE:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    Ran { code: status.code(), stdout: out.join().unwrap_or_default(), stderr: err.join().unwrap_or_default() }
}

// ---- only regular files, never blocking ----

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap_or_else(|err| panic!("mkfifo: {err}"));
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn devices_fifos_and_sockets_named_as_input_are_refused_at_once() {
    let dir = temp_dir();
    mkfifo(&dir.path().join("fifo.yaml"));
    let _socket =
        std::os::unix::net::UnixListener::bind(dir.path().join("socket.yaml")).unwrap_or_else(|err| panic!("{err}"));
    let cases = [
        ("/dev/zero", "error [unreadable-file] `/dev/zero` is a character device, not a regular file"),
        ("fifo.yaml", "fifo.yaml:1:1: error [unreadable-file] `fifo.yaml` is a FIFO (named pipe), not a regular file"),
        ("socket.yaml", "socket.yaml:1:1: error [unreadable-file] `socket.yaml` is a socket, not a regular file"),
    ];
    for (input, expected) in cases {
        let ran = run(&mut oaslint(dir.path(), &["lint", "--no-config", "-f", "compact", input]));
        assert_eq!(ran.code, Some(2), "{input}: {}", ran.all());
        assert!(ran.stdout.contains(expected), "{input}: {}", ran.all());
    }
}

#[cfg(unix)]
#[test]
fn fifos_as_configuration_ruleset_or_baseline_are_refused_at_once() {
    let dir = temp_dir();
    write(dir.path(), "api.yaml", &spec(""));
    mkfifo(&dir.path().join("fifo.yaml"));
    mkfifo(&dir.path().join("fifo.json"));
    let cases: [(&[&str], &str); 4] = [
        (&["lint", "--config", "fifo.yaml", "api.yaml"], "it is a FIFO (named pipe), not a regular file"),
        (&["lint", "--no-config", "--ruleset", "./fifo.yaml", "api.yaml"], "it is a FIFO (named pipe)"),
        (&["lint", "--no-config", "--baseline=fifo.json", "api.yaml"], "it is a FIFO (named pipe)"),
        (&["baseline", "--no-config", "--baseline", "fifo.json", "api.yaml"], "it is a FIFO (named pipe)"),
    ];
    for (args, expected) in cases {
        let ran = run(&mut oaslint(dir.path(), args));
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.all());
        assert!(ran.stderr.contains(expected), "{args:?}: {}", ran.all());
    }
    // Named by a configuration, the mistake is pointed at.
    write(dir.path(), ".oaslint.yaml", "ruleset: ./fifo.yaml\n");
    let ran = run(&mut oaslint(dir.path(), &["lint", "api.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(
        ran.stderr.contains(".oaslint.yaml:1:10: `./fifo.yaml` is a FIFO (named pipe), not a regular file"),
        "{}",
        ran.all()
    );
}

#[cfg(unix)]
#[test]
fn non_regular_ref_targets_are_reported_at_the_ref() {
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("schemas")).unwrap_or_else(|err| panic!("{err}"));
    mkfifo(&dir.path().join("pipe.yaml"));
    let refs = "  /a:\n    get:\n      responses:\n        '200': {$ref: 'schemas#/Ok'}\n        \
                '201': {$ref: 'pipe.yaml#/Ok'}\n        '202': {$ref: '/dev/zero#/Ok'}\n";
    write(dir.path(), "api.yaml", &spec(refs));
    let ran = run(&mut oaslint(dir.path(), &["lint", "--no-config", "-f", "compact", "api.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    for expected in [
        "api.yaml:15:23: error [unreadable-file] `schemas` is a directory, not a regular file",
        "api.yaml:16:23: error [unreadable-file] `pipe.yaml` is a FIFO (named pipe), not a regular file",
        "api.yaml:17:23: error [ref-outside-root] `/dev/zero#/Ok` points outside",
    ] {
        assert!(ran.stdout.contains(expected), "{expected}\n{}", ran.all());
    }
    // Allowed by the configuration, a device is still never read.
    write(dir.path(), ".oaslint.yaml", "refs: {allowed_roots: [/dev]}\n");
    let ran = run(&mut oaslint(dir.path(), &["lint", "-f", "compact", "api.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(
        ran.stdout.contains("api.yaml:17:23: error [unreadable-file] `/dev/zero` is a character device"),
        "{}",
        ran.all()
    );
}

// ---- every read capped ----

#[test]
fn standard_input_is_capped_as_it_arrives() {
    let dir = temp_dir();
    write(dir.path(), ".oaslint.yaml", "max_file_size: 1000\n");
    // Like `yes 'a: b' | oaslint lint -`: an endless stream.
    let endless: Box<dyn FnOnce(std::process::ChildStdin) + Send> = Box::new(|mut stdin| {
        let line = b"a: b\n".repeat(1000);
        while stdin.write_all(&line).is_ok() {}
    });
    let ran = run_feeding(&mut oaslint(dir.path(), &["lint", "-"]), Some(endless));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(
        ran.stderr.contains("error: standard input is larger than the limit of 1000 bytes; it was not linted"),
        "{}",
        ran.all()
    );
    // At the limit exactly, it is read.
    let text = spec("");
    write(dir.path(), ".oaslint.yaml", &format!("max_file_size: {}\n", text.len()));
    let exact: Box<dyn FnOnce(std::process::ChildStdin) + Send> = Box::new(move |mut stdin| {
        let _ = stdin.write_all(text.as_bytes());
    });
    let ran = run_feeding(&mut oaslint(dir.path(), &["lint", "-f", "compact", "-"]), Some(exact));
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    assert!(ran.stdout.contains("<stdin>:9:11: error [no-body]"), "{}", ran.all());
}

#[test]
fn oversized_files_are_too_large_wherever_they_are_reached() {
    let dir = temp_dir();
    write(dir.path(), ".oaslint.yaml", "max_file_size: 400\n");
    let padding = format!("# {}\n", "x".repeat(500));
    write(dir.path(), "specs/big.yaml", &format!("{}{padding}", spec("")));
    write(
        dir.path(),
        "specs/refs.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'paths.yaml#/a'}\n",
    );
    write(dir.path(), "specs/paths.yaml", &padding);
    // Walked and not a root (it names no OpenAPI version early on): skipped, not reported.
    write(dir.path(), "specs/data.json", &format!("{{\"rows\": \"{}\"}}", "y".repeat(5000)));
    let ran = run(&mut oaslint(dir.path(), &["lint", "-f", "compact", "specs"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "specs/big.yaml:1:1: error [too-large] `specs/big.yaml` is larger than the limit of 400 bytes (`max_file_size`)",
            "specs/refs.yaml:4:14: error [too-large] `specs/paths.yaml` is larger than the limit of 400 bytes (`max_file_size`)",
        ],
        "{}",
        ran.all()
    );
}

// ---- nothing outside the roots ----

/// Point `link` at `target` atomically (a new symlink renamed over the old one).
#[cfg(unix)]
fn repoint(link: &Path, target: &Path, scratch: &Path) {
    let _ = std::fs::remove_file(scratch);
    if std::os::unix::fs::symlink(target, scratch).is_ok() {
        let _ = std::fs::rename(scratch, link);
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_swapped_during_loading_never_leads_outside_the_root() {
    let dir = temp_dir();
    // A deep root: the more components to walk, the wider the window between check and open.
    let root = dir.path().join("project/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p");
    write(&root, "inside.yaml", "Ok: {description: inside}\n");
    write(dir.path(), "outside/secret.yaml", "Ok: {description: OUTSIDE-SECRET}\n");
    let api =
        write(&root, "api.yaml", &spec("  /a:\n    get:\n      responses:\n        '200': {$ref: 'link.yaml#/Ok'}\n"));
    let link = root.join("link.yaml");
    let inside = root.join("inside.yaml");
    let outside = dir.path().join("outside/secret.yaml");
    repoint(&link, &inside, &root.join("scratch.yaml"));

    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let (stop, link, inside, outside, scratch) =
            (Arc::clone(&stop), link.clone(), inside.clone(), outside.clone(), dir.path().join("scratch.yaml"));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                repoint(&link, &outside, &scratch);
                repoint(&link, &inside, &scratch);
            }
        })
    };
    let options = LoadOptions::default();
    let (mut read_inside, mut refused, mut leaked) = (0, 0, 0);
    let started = Instant::now();
    // Until both outcomes were seen many times (the race is real), within bounds: on a
    // loaded machine the swapping thread may get few turns, so the bound is time, not runs.
    let mut runs = 0;
    while (runs < 2_000 || read_inside < 20 || refused < 20) && started.elapsed() < PATIENCE {
        runs += 1;
        let workspace = Workspace::load(&api, &options);
        if workspace.files().iter().any(|file| file.text().contains("OUTSIDE-SECRET")) {
            leaked += 1;
        }
        if workspace.files().iter().any(|file| file.text().contains("inside")) {
            read_inside += 1;
        }
        if workspace.findings().iter().any(|finding| finding.rule == "ref-outside-root") {
            refused += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let _ = swapper.join();
    assert_eq!(leaked, 0, "the outside file was read in {leaked} of {runs} loads");
    assert!(read_inside > 0 && refused > 0, "{runs} loads: {read_inside} inside, {refused} refused");
}

// Where `\` is not a separator (the backslash case differs on Windows).
#[cfg(unix)]
#[test]
fn uri_schemes_query_strings_and_backslashes_are_named() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let ran = run(&mut oaslint(&root, &["lint", "--no-config", "-f", "compact", "testdata/edges/schemes.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    let problems: Vec<&str> = ran.stdout.lines().filter(|line| line.contains("-ref]")).collect();
    insta::assert_snapshot!("schemes", problems.join("\n"));
}

#[cfg(unix)]
#[test]
fn one_file_under_several_names_is_loaded_once() {
    let dir = temp_dir();
    let shared = write(dir.path(), "shared.yaml", "Ok: {description: fine}\nGone: {description: gone}\n");
    std::fs::hard_link(&shared, dir.path().join("hardlink.yaml")).unwrap_or_else(|err| panic!("{err}"));
    std::os::unix::fs::symlink("shared.yaml", dir.path().join("symlink.yaml")).unwrap_or_else(|err| panic!("{err}"));
    std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|err| panic!("{err}"));
    let refs = "  /a:\n    get:\n      responses:\n        '200': {$ref: 'shared.yaml#/Ok'}\n        \
                '201': {$ref: 'hardlink.yaml#/Ok'}\n        '202': {$ref: 'symlink.yaml#/Ok'}\n        \
                '410': {$ref: './sub/../shared.yaml#/Gone'}\n";
    let api = write(dir.path(), "api.yaml", &spec(refs));
    let options = LoadOptions { display_base: Some(dir.path().to_owned()), ..LoadOptions::default() };
    let workspace = Workspace::load(&api, &options);
    assert!(workspace.findings().is_empty(), "{:?}", workspace.findings());
    let names: Vec<&str> = workspace.files().iter().map(|file| file.name.as_str()).collect();
    assert_eq!(names, ["api.yaml", "shared.yaml"]);
    let identities: Vec<_> = workspace.files().iter().map(|file| file.identity).collect();
    assert!(identities.iter().all(Option::is_some), "{identities:?}");
    // Every spelling resolves into the one file.
    let from_text = Workspace::from_text("api.yaml", &spec(refs), Some(dir.path()), &options);
    assert_eq!(from_text.files().len(), 2);
}

/// Across roots too: a root linted under one name is not linted again under another (a
/// hardlink, a symlink), and a fragment two roots reach by different names is reported once.
#[cfg(unix)]
#[test]
fn one_root_under_several_names_is_linted_once() {
    let dir = temp_dir();
    let api = write(dir.path(), "specs/api.yaml", &spec(""));
    std::fs::hard_link(&api, dir.path().join("specs/hardlink.yaml")).unwrap_or_else(|err| panic!("{err}"));
    std::os::unix::fs::symlink("api.yaml", dir.path().join("specs/symlink.yaml")).unwrap_or_else(|err| panic!("{err}"));
    write(
        dir.path(),
        "specs/shared/pet.yaml",
        "delete:\n  responses:\n    '204':\n      description: Deleted.\n      content: {application/json: {schema: {type: object}}}\n",
    );
    std::os::unix::fs::symlink("shared", dir.path().join("specs/alias")).unwrap_or_else(|err| panic!("{err}"));
    let root = |name: &str, dir_name: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets/{{id}}:\n    $ref: '{dir_name}/pet.yaml'\n"
        ) + &format!("# {name}\n")
    };
    write(dir.path(), "specs/one.yaml", &root("one", "shared"));
    write(dir.path(), "specs/two.yaml", &root("two", "alias"));
    let ran = run(&mut oaslint(
        dir.path(),
        &[
            "lint",
            "--no-config",
            "-f",
            "compact",
            "specs/api.yaml",
            "specs/hardlink.yaml",
            "specs/symlink.yaml",
            "specs/one.yaml",
            "specs/two.yaml",
        ],
    ));
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    let no_body: Vec<&str> = ran.stdout.lines().filter(|line| line.contains("[no-body]")).collect();
    assert_eq!(no_body.len(), 2, "one for api.yaml, one for the shared fragment: {}", ran.all());
    assert!(no_body.iter().any(|line| line.starts_with("specs/api.yaml:")), "{}", ran.all());
    assert!(no_body.iter().any(|line| line.starts_with("specs/shared/pet.yaml:")), "{}", ran.all());
}

// ---- configuration and rulesets ----

#[cfg(unix)]
const SECRET: &str = "TOKEN-d41d8cd98f00b204e9800998ecf8427e";

#[cfg(unix)]
/// Run with a secret in the environment, and fail if it shows anywhere in the output.
fn run_with_secret(dir: &Path, args: &[&str]) -> Ran {
    let ran = run(oaslint(dir, args).env("OASLINT_TEST_SECRET", SECRET));
    assert!(!ran.stdout.contains(SECRET) && !ran.stderr.contains(SECRET), "the secret leaked: {}", ran.all());
    ran
}

#[cfg(unix)]
#[test]
fn a_configuration_names_ruleset_files_only_under_its_directory() {
    let dir = temp_dir();
    let project = dir.path().join("project");
    write(&project, "api.yaml", &spec(""));
    write(dir.path(), "elsewhere/rules.yaml", &format!("extends: recommended\nname: x\n# {SECRET}\nchecks: {{x: [\n"));
    let cases = [
        ("ruleset: /proc/self/environ\n", ".oaslint.yaml:1:10: the ruleset file `/proc/self/environ` lies outside"),
        (
            "ruleset: ../elsewhere/rules.yaml\n",
            ".oaslint.yaml:1:10: the ruleset file `../elsewhere/rules.yaml` lies outside",
        ),
        ("ruleset: /etc/passwd\n", ".oaslint.yaml:1:10: the ruleset file `/etc/passwd` lies outside"),
    ];
    for (config, expected) in cases {
        write(&project, ".oaslint.yaml", config);
        let ran = run_with_secret(&project, &["lint", "api.yaml"]);
        assert_eq!(ran.code, Some(2), "{config}: {}", ran.all());
        assert!(ran.stderr.starts_with(&format!("error: {expected}")), "{config}: {}", ran.all());
        assert!(ran.stderr.lines().count() < 8, "{config}: {}", ran.all());
    }
    // A symlink inside the directory that leads outside is outside.
    std::os::unix::fs::symlink("/proc/self/environ", project.join("environ.yaml"))
        .unwrap_or_else(|err| panic!("{err}"));
    write(&project, ".oaslint.yaml", "ruleset: environ.yaml\n");
    let ran = run_with_secret(&project, &["lint", "api.yaml"]);
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(ran.stderr.contains("lies outside the configuration's directory"), "{}", ran.all());

    // `refs.allowed_roots` allows a shared directory (a broken ruleset there is reported,
    // with a one-line excerpt only).
    write(&project, ".oaslint.yaml", "ruleset: ../elsewhere/rules.yaml\nrefs: {allowed_roots: [../elsewhere]}\n");
    let ran = run_with_secret(&project, &["lint", "api.yaml"]);
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(ran.stderr.contains("rules.yaml:4:"), "{}", ran.all());
    write(dir.path(), "elsewhere/rules.yaml", "extends: recommended\nname: shared\n");
    let ran = run_with_secret(&project, &["rules"]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    assert!(ran.stdout.starts_with("Ruleset: shared ("), "{}", ran.all());

    // On the command line, the user's own choice may lie anywhere.
    write(&project, ".oaslint.yaml", "");
    let ran = run_with_secret(&project, &["rules", "--ruleset", "../elsewhere/rules.yaml"]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
}

#[cfg(unix)]
#[test]
fn a_ruleset_extends_only_files_under_its_directory() {
    let dir = temp_dir();
    let project = dir.path().join("project");
    write(&project, "api.yaml", &spec(""));
    write(dir.path(), "elsewhere/base.yaml", &format!("name: base\n{SECRET}: [\n"));
    let cases = [
        (
            "extends: /proc/self/environ\n",
            "rules/mine.yaml:1:10: `/proc/self/environ` lies outside this ruleset's directory",
        ),
        ("extends: /etc/passwd\n", "rules/mine.yaml:1:10: `/etc/passwd` lies outside this ruleset's directory"),
        (
            "extends: ../../elsewhere/base.yaml\n",
            "rules/mine.yaml:1:10: `rules/../../elsewhere/base.yaml` lies outside",
        ),
    ];
    write(&project, ".oaslint.yaml", "ruleset: rules/mine.yaml\n");
    for (ruleset, expected) in cases {
        write(&project, "rules/mine.yaml", ruleset);
        for args in [&["lint", "api.yaml"][..], &["lint", "--no-config", "--ruleset", "rules/mine.yaml", "api.yaml"]] {
            let ran = run_with_secret(&project, args);
            assert_eq!(ran.code, Some(2), "{ruleset}: {}", ran.all());
            assert!(ran.stderr.starts_with(&format!("error: {expected}")), "{ruleset} {args:?}: {}", ran.all());
        }
    }
    // The configuration's directory and `refs.allowed_roots` are allowed.
    write(&project, "base.yaml", "extends: recommended\nname: project-base\n");
    write(&project, "rules/mine.yaml", "extends: ../base.yaml\nname: mine\n");
    let ran = run_with_secret(&project, &["rules"]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    assert!(ran.stdout.starts_with("Ruleset: mine ("), "{}", ran.all());
    write(dir.path(), "elsewhere/base.yaml", "extends: recommended\nname: shared-base\n");
    write(&project, "rules/mine.yaml", "extends: ../../elsewhere/base.yaml\nname: mine\n");
    write(&project, ".oaslint.yaml", "ruleset: rules/mine.yaml\nrefs: {allowed_roots: [../elsewhere]}\n");
    let ran = run_with_secret(&project, &["rules"]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
}

#[test]
fn errors_quote_at_most_a_short_excerpt() {
    let dir = temp_dir();
    write(dir.path(), "api.yaml", &spec(""));
    let long = "z".repeat(20_000);
    // A value serde does not expect, an unknown key, an unknown rule: each quoted short.
    for config in [
        format!("ruleset: recommended\nrules: {{no-body: \"{long}\"}}\n"),
        format!("{long}: 1\n"),
        format!("rules: {{{long}: off}}\n"),
        format!("overrides:\n  - files: ['{long}']\n    rulez: {{}}\n"),
        format!("{{\"rules\": {{\"no-body\": \"warning\"}}, \"x\": \"{long}\"}}\n"),
    ] {
        write(dir.path(), ".oaslint.yaml", &config);
        let ran = run(&mut oaslint(dir.path(), &["lint", "api.yaml"]));
        assert_eq!(ran.code, Some(2), "{}", ran.all());
        assert!(ran.stderr.len() < 1_000, "{} bytes: {}", ran.stderr.len(), &ran.stderr[..ran.stderr.len().min(2000)]);
    }
    write(dir.path(), ".oaslint.yaml", "");
    write(dir.path(), "rules.yaml", &format!("name: \"{long}\"\nchecks: \"{long}\"\n"));
    let ran = run(&mut oaslint(dir.path(), &["lint", "--ruleset", "./rules.yaml", "api.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(ran.stderr.len() < 1_000, "{}", &ran.stderr[..ran.stderr.len().min(2000)]);
    write(dir.path(), "baseline.json", &format!("{{\"version\": 1, \"findings\": \"{long}\"}}"));
    let ran = run(&mut oaslint(dir.path(), &["lint", "--baseline=baseline.json", "api.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(ran.stderr.len() < 1_000, "{}", &ran.stderr[..ran.stderr.len().min(2000)]);
}

// ---- outputs ----

#[cfg(unix)]
#[test]
fn reports_never_replace_a_file_the_run_reads() {
    let dir = temp_dir();
    let original = spec("  /a:\n    get:\n      responses:\n        '200': {$ref: 'common.yaml#/Ok'}\n");
    write(dir.path(), "api.yaml", &original);
    write(dir.path(), "common.yaml", "Ok: {description: fine}\n");
    write(dir.path(), ".oaslint.yaml", "ruleset: rules/mine.yaml\n");
    write(dir.path(), "rules/mine.yaml", "extends: ./base.yaml\n");
    write(dir.path(), "rules/base.yaml", "extends: recommended\n");
    write(dir.path(), "baseline.json", "{\"version\": 1, \"findings\": []}\n");
    std::fs::hard_link(dir.path().join("api.yaml"), dir.path().join("hardlink.json"))
        .unwrap_or_else(|err| panic!("{err}"));
    std::os::unix::fs::symlink("common.yaml", dir.path().join("symlink.json")).unwrap_or_else(|err| panic!("{err}"));
    let cases = [
        ("api.yaml", "api.yaml"),
        ("./sub/../api.yaml", "api.yaml"),
        ("hardlink.json", "api.yaml"),
        ("common.yaml", "common.yaml"),
        ("symlink.json", "common.yaml"),
        (".oaslint.yaml", ".oaslint.yaml"),
        ("rules/mine.yaml", "rules/mine.yaml"),
        ("rules/base.yaml", "rules/base.yaml"),
        ("baseline.json", "baseline.json"),
    ];
    std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|err| panic!("{err}"));
    let before: Vec<(String, String)> = listing(dir.path())
        .into_iter()
        .filter(|name| name != "rules" && name != "sub")
        .map(|name| {
            let text = read(&dir.path().join(&name));
            (name, text)
        })
        .collect();
    for (output, input) in cases {
        for route in [format!("json={output}"), output.to_owned()] {
            let ran = run(&mut oaslint(
                dir.path(),
                &["lint", "-f", "json", "-o", &route, "--baseline=baseline.json", "api.yaml"],
            ));
            assert_eq!(ran.code, Some(2), "{route}: {}", ran.all());
            let expected = format!(
                "error: refusing to write the `json` report to `{output}`: that is `{input}`, which this run reads"
            );
            assert!(ran.stderr.starts_with(&expected), "{route}: {}", ran.all());
        }
    }
    let after: Vec<(String, String)> = listing(dir.path())
        .into_iter()
        .filter(|name| name != "rules" && name != "sub")
        .map(|name| {
            let text = read(&dir.path().join(&name));
            (name, text)
        })
        .collect();
    assert_eq!(before, after, "a file changed, or one was left behind");
    assert_eq!(read(&dir.path().join("rules/mine.yaml")), "extends: ./base.yaml\n");
    // A spec piped in under its name counts as read too.
    let ran = run(&mut oaslint(dir.path(), &["lint", "--stdin-filename", "api.yaml", "-o", "json=api.yaml", "-"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert_eq!(read(&dir.path().join("api.yaml")), original);
}

#[cfg(unix)]
#[test]
fn two_reports_never_share_a_file() {
    let dir = temp_dir();
    write(dir.path(), "api.yaml", &spec(""));
    write(dir.path(), "old.json", "old\n");
    std::fs::hard_link(dir.path().join("old.json"), dir.path().join("other.json"))
        .unwrap_or_else(|err| panic!("{err}"));
    std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|err| panic!("{err}"));
    for (first, second, named) in [
        ("b.json", "b.json", "`b.json`"),
        ("b.json", "./sub/../b.json", "`b.json` and `./sub/../b.json`, the same file"),
        ("old.json", "other.json", "`old.json` and `other.json`, the same file"),
    ] {
        let (json, compact) = (format!("json={first}"), format!("compact={second}"));
        let ran = run(&mut oaslint(dir.path(), &["lint", "--no-config", "-o", &json, "-o", &compact, "api.yaml"]));
        assert_eq!(ran.code, Some(2), "{}", ran.all());
        let expected = format!("error: the `json` and `compact` reports would both be written to {named}");
        assert!(ran.stderr.starts_with(&expected), "{}", ran.all());
    }
    assert_eq!(listing(dir.path()), ["api.yaml", "old.json", "other.json", "sub"]);
    assert_eq!(read(&dir.path().join("old.json")), "old\n");
}

#[test]
fn reports_are_replaced_whole_and_leave_nothing_behind() {
    let dir = temp_dir();
    write(dir.path(), "api.yaml", &spec(""));
    write(dir.path(), "reports/report.json", "previous report\n");
    let ran = run(&mut oaslint(
        dir.path(),
        &["lint", "--no-config", "-o", "json=reports/report.json", "-o", "sarif=reports/new/report.sarif", "api.yaml"],
    ));
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    let report: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("reports/report.json"))).unwrap_or_else(|err| panic!("{err}"));
    assert!(report.get("findings").is_some(), "{report}");
    assert_eq!(listing(&dir.path().join("reports")), ["new", "report.json"]);
    assert_eq!(listing(&dir.path().join("reports/new")), ["report.sarif"]);
    // A run that fails (a broken configuration) leaves the previous report as it was.
    write(dir.path(), "reports/report.json", "previous report\n");
    write(dir.path(), ".oaslint.yaml", "rulez: {}\n");
    let ran = run(&mut oaslint(dir.path(), &["lint", "-o", "json=reports/report.json", "api.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert_eq!(read(&dir.path().join("reports/report.json")), "previous report\n");
    assert_eq!(listing(&dir.path().join("reports")), ["new", "report.json"]);
    // A device is written in place, never replaced; a directory fails at once.
    write(dir.path(), ".oaslint.yaml", "");
    if Path::new("/dev/null").exists() {
        let ran = run(&mut oaslint(dir.path(), &["lint", "-o", "json=/dev/null", "api.yaml"]));
        assert_eq!(ran.code, Some(1), "{}", ran.all());
    }
    let ran = run(&mut oaslint(dir.path(), &["lint", "-o", "json=reports", "api.yaml"]));
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(ran.stderr.starts_with("error: cannot write `reports`"), "{}", ran.all());
    assert!(ran.stdout.is_empty(), "{}", ran.all());
}

#[test]
fn init_writes_whole_and_never_replaces() {
    let dir = temp_dir();
    let first = run(&mut oaslint(dir.path(), &["init"]));
    assert_eq!(first.code, Some(0), "{}", first.all());
    let written = read(&dir.path().join(".oaslint.yaml"));
    let second = run(&mut oaslint(dir.path(), &["init", "--ruleset", "ed-fi"]));
    assert_eq!(second.code, Some(2), "{}", second.all());
    assert_eq!(read(&dir.path().join(".oaslint.yaml")), written);
    assert_eq!(listing(dir.path()), [".oaslint.yaml"]);
}

#[cfg(unix)]
/// A spec with `operations` 204s that declare content: a run of a second or so in a debug
/// build, and a report of a few megabytes.
fn large_spec(operations: usize) -> String {
    let mut text =
        String::from("{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {");
    for index in 0..operations {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "\"/items{index}/{{id}}\": {{\"delete\": {{\"responses\": {{\"204\": {{\"description\": \"Deleted.\", \
             \"content\": {{\"application/json\": {{\"schema\": {{\"type\": \"object\"}}}}}}}}}}}}}}"
        ));
    }
    text.push_str("}}");
    text
}

#[cfg(unix)]
fn send(signal: &str, pid: u32) {
    let _ = Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status();
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_previous_report_whole_and_no_temporary_file() {
    let dir = temp_dir();
    write(dir.path(), "api.json", &large_spec(2_500));
    let report = dir.path().join("report.json");
    let args = ["lint", "--no-config", "-f", "json", "-o", "json=report.json", "api.json"];
    // How long a whole run takes, to aim signals at its start, middle and end (the write).
    let started = Instant::now();
    let ran = run(&mut oaslint(dir.path(), &args));
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let whole = started.elapsed();
    // The same findings (the timing in the report differs from run to run).
    let findings_of = |text: &str| {
        let report: serde_json::Value = serde_json::from_str(text).ok()?;
        report.get("findings").cloned()
    };
    let complete = findings_of(&read(&report));
    assert!(complete.is_some());
    let mut delays: Vec<Duration> = (0..=10).map(|tenth| whole.mul_f64(f64::from(tenth) / 10.0)).collect();
    delays.extend([0.85, 0.9, 0.95, 0.98, 1.02].map(|fraction| whole.mul_f64(fraction)));
    let mut outcomes = std::collections::BTreeMap::new();
    for (index, delay) in delays.iter().enumerate() {
        let signal = match index % 5 {
            3 => "INT",
            4 => "HUP",
            _ => "TERM",
        };
        std::fs::write(&report, "previous report\n").unwrap_or_else(|err| panic!("{err}"));
        let mut child = oaslint(dir.path(), &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| panic!("{err}"));
        std::thread::sleep(*delay);
        send(signal, child.id());
        let status = child.wait().unwrap_or_else(|err| panic!("{err}"));
        let text = read(&report);
        let kept = text == "previous report\n";
        assert!(
            kept || findings_of(&text) == complete,
            "after SIG{signal} at {delay:?}: neither the previous report nor a whole one ({} bytes)",
            text.len()
        );
        assert_eq!(listing(dir.path()), ["api.json", "report.json"], "after SIG{signal} at {delay:?}");
        // Killed: 128 + the signal, as documented; finished first: the run's own code.
        let number = match signal {
            "INT" => 2,
            "HUP" => 1,
            _ => 15,
        };
        // Before the handler is installed (the first milliseconds), the signal's default
        // action kills the process, which also leaves nothing behind.
        let code = status.code();
        let killed = std::os::unix::process::ExitStatusExt::signal(&status) == Some(number);
        assert!(killed || code == Some(128 + number) || code == Some(1), "SIG{signal} at {delay:?}: {status:?}");
        *outcomes.entry((kept, code)).or_insert(0) += 1;
    }
    // Some runs were stopped (else the test proves nothing).
    assert!(outcomes.keys().any(|(kept, _)| *kept), "{outcomes:?}");
}

// ---- concurrent baselines ----

#[cfg(unix)]
/// `count` specs, each with `findings` no-body findings of its own.
fn specs_with_findings(dir: &Path, count: usize, findings: usize) -> Vec<String> {
    (0..count)
        .map(|spec_index| {
            let mut paths = String::new();
            for finding in 0..findings {
                paths.push_str(&format!(
                    "  /s{spec_index}/r{finding}/{{id}}:\n    delete:\n      responses:\n        '204':\n          \
                     description: Deleted.\n          content:\n            application/json:\n              \
                     schema: {{type: object}}\n"
                ));
            }
            let name = format!("specs/api{spec_index}.yaml");
            write(dir, &name, &format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}"));
            name
        })
        .collect()
}

#[cfg(unix)]
fn baseline_entries(path: &Path) -> usize {
    let value: serde_json::Value = serde_json::from_str(&read(path)).unwrap_or_else(|err| panic!("{err}"));
    value.get("findings").and_then(serde_json::Value::as_array).map_or(0, Vec::len)
}

#[cfg(unix)]
/// Start one process per argument list at once, and wait for all.
fn run_together(dir: &Path, runs: &[Vec<String>]) -> Vec<Option<i32>> {
    let children: Vec<_> = runs
        .iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            oaslint(dir, &args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|err| panic!("{err}"))
        })
        .collect();
    children.into_iter().map(|mut child| child.wait().ok().and_then(|status| status.code())).collect()
}

// Locked with `flock`, which Unix has.
#[cfg(unix)]
#[test]
fn concurrent_baseline_runs_keep_every_entry() {
    let dir = temp_dir();
    let (count, findings) = (8, 40);
    let specs = specs_with_findings(dir.path(), count, findings);
    let baseline = dir.path().join(".oaslint-baseline.json");
    // One run after the other: what every concurrent round must give.
    for spec in &specs {
        assert_eq!(run(&mut oaslint(dir.path(), &["baseline", "--no-config", spec])).code, Some(0));
    }
    let expected = baseline_entries(&baseline);
    assert!(expected >= count * findings, "{expected}");
    for round in 0..3 {
        let _ = std::fs::remove_file(&baseline);
        let runs: Vec<Vec<String>> =
            specs.iter().map(|spec| vec!["baseline".to_owned(), "--no-config".to_owned(), spec.clone()]).collect();
        let codes = run_together(dir.path(), &runs);
        assert!(codes.iter().all(|code| *code == Some(0)), "round {round}: {codes:?}");
        assert_eq!(baseline_entries(&baseline), expected, "round {round}");
        assert_eq!(listing(dir.path()), [".oaslint-baseline.json", "specs"], "round {round}");
    }
    // `lint --update-baseline` runs that each drop their own stale entries keep the others'.
    for spec in &specs {
        write(dir.path(), spec, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
    }
    let half: Vec<Vec<String>> = specs
        .iter()
        .take(count / 2)
        .map(|spec| ["lint", "--no-config", "--baseline", "--update-baseline", spec].map(str::to_owned).to_vec())
        .collect();
    let codes = run_together(dir.path(), &half);
    assert!(codes.iter().all(|code| *code == Some(0)), "{codes:?}");
    assert_eq!(baseline_entries(&baseline), expected - expected / count * (count / 2));
}
