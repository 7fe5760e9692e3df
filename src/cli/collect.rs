//! Linting many files at once: which files are OpenAPI roots, linting each root (and
//! through it every file it `$ref`s) in parallel, then one sorted, deduplicated list of
//! findings for the reporters.
//!
//! A file is linted through the roots that reach it, so a fragment shared by two roots is
//! reported once, at its own lines. A directory walk ignores files that no root reaches
//! (they may be anything: CI configs, package.json); a fragment named on the command line
//! that no root reaches is checked on its own for what can be checked without a root
//! (syntax, its `$ref`s), unless `--skip-non-openapi`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checks::adopt::{Overrides, reconcile_unused};
use crate::checks::lint;
use crate::checks::ruleset::Ruleset;
use crate::finding::{Category, Finding, Location, Severity, sort_and_dedup};
use crate::model::{DocumentKind, detect};
use crate::resolve::{LoadOptions, Workspace, normalize};
use crate::source::read::{self, ReadError};
use crate::source::{FileIdentity, SourceFile, Span};

use super::discover::{Selection, Target, WalkProblem, targets};
use super::error::CliError;

/// What linting needs, resolved from the configuration and the flags.
pub struct Settings {
    pub ruleset: Ruleset,
    pub load: LoadOptions,
    pub selection: Selection,
    /// The working directory: file names in reports are relative to it.
    pub cwd: PathBuf,
    /// The configuration file read, if any.
    pub config_file: Option<PathBuf>,
    /// The configuration's `overrides:`, applied to each root's findings.
    pub overrides: Overrides,
    /// The configuration's directory (else the working directory): what override globs
    /// are relative to.
    pub config_dir: PathBuf,
    /// The configuration and ruleset files read (shown name, identity): no report may
    /// replace them.
    pub read: Vec<(String, FileIdentity)>,
}

/// What to lint, as the command line says.
pub struct Inputs<'a> {
    pub paths: &'a [PathBuf],
    pub stdin_filename: Option<&'a Path>,
    pub skip_non_openapi: bool,
}

/// The findings of a run, sorted and deduplicated, and the files they come from.
pub struct Linted {
    pub findings: Vec<Finding>,
    /// The names of every file checked (roots and the files they reference), sorted.
    pub files: Vec<String>,
    /// The normalized path of every file checked, sorted: what a baseline may call stale.
    pub loaded: Vec<PathBuf>,
    /// The shown name and identity of every file read (first spelling of each), so that
    /// no report replaces one of them.
    pub identities: Vec<(String, FileIdentity)>,
}

/// What came of one target.
enum Outcome {
    Checked(Checked),
    /// A file named on the command line that is not an OpenAPI root: checked on its own
    /// unless a root reaches it.
    Fragment(PathBuf),
    Skipped,
}

struct Checked {
    findings: Vec<Finding>,
    /// (normalized path, shown name) of every file the workspace loaded.
    files: Vec<(PathBuf, String)>,
    /// (shown name, identity) of every file the workspace read from disk.
    identities: Vec<(String, FileIdentity)>,
}

/// Lint everything the inputs name: roots in parallel, then the named fragments no root
/// reached. Findings from a file two roots share are reported once (the first root's, in
/// path order, so the result does not depend on scheduling).
pub fn lint_inputs(inputs: &Inputs<'_>, settings: &Settings) -> Result<Linted, CliError> {
    let (targets, walk_problems) = targets(inputs.paths, &settings.cwd, &settings.selection)?;
    let stdin =
        if targets.contains(&Target::Stdin) { Some(read_stdin(settings.load.limits.max_file_bytes)?) } else { None };
    let outcomes: Vec<Outcome> = targets
        .par_iter()
        .map(|target| match target {
            Target::File { path, explicit } => examine_file(path, *explicit, inputs.skip_non_openapi, settings),
            Target::Stdin => examine_stdin(stdin.as_deref().unwrap_or(""), inputs, settings),
        })
        .collect();

    let mut checked = Vec::new();
    let mut fragments = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(result) => checked.push(result),
            Outcome::Fragment(path) => fragments.push(path),
            Outcome::Skipped => {}
        }
    }
    let reached: HashSet<&Path> =
        checked.iter().flat_map(|result| &result.files).map(|(path, _)| path.as_path()).collect();
    let alone: Vec<Checked> = fragments
        .par_iter()
        .filter(|path| !reached.contains(path.as_path()))
        .map(|path| check_alone(path, settings))
        .collect();
    checked.extend(alone);

    let mut findings: Vec<Finding> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut loaded: Vec<PathBuf> = Vec::new();
    let mut identities: Vec<(String, FileIdentity)> = Vec::new();
    for result in checked {
        findings.extend(result.findings);
        identities.extend(result.identities);
        for (path, name) in result.files {
            loaded.push(path);
            files.push(name);
        }
    }
    // Before deduplication: a file loaded by two roots is listed twice, and an ignore in it
    // is unused only if every root that loaded it says so.
    reconcile_unused(&mut findings, loaded.iter().map(PathBuf::as_path));
    for problem in walk_problems {
        let finding = unreadable(&problem, settings);
        files.push(finding.primary.file_name().to_owned());
        findings.push(finding);
    }
    sort_and_dedup(&mut findings);
    files.sort_unstable();
    files.dedup();
    loaded.sort_unstable();
    loaded.dedup();
    Ok(Linted { findings, files, loaded, identities })
}

fn examine_file(path: &Path, explicit: bool, skip_non_openapi: bool, settings: &Settings) -> Outcome {
    // Walked files are many and mostly not roots: a root spells out `openapi` or
    // `swagger`, so a file that does not is skipped without parsing it.
    if !explicit {
        // Up to the size limit: a larger file that mentions neither early is no root either.
        let head = read::open(path).and_then(|file| file.read_head(settings.load.limits.max_file_bytes));
        if let Ok((bytes, _)) = head {
            if !mentions_version_key(&bytes) {
                return Outcome::Skipped;
            }
        }
    }
    let workspace = Workspace::load(path, &settings.load);
    match classify(&workspace, explicit, skip_non_openapi) {
        Class::Check => Outcome::Checked(check(&workspace, settings)),
        Class::Fragment => Outcome::Fragment(normalize(path)),
        Class::Skip => Outcome::Skipped,
    }
}

fn examine_stdin(text: &str, inputs: &Inputs<'_>, settings: &Settings) -> Outcome {
    let (name, dir) = match inputs.stdin_filename {
        Some(name) => (display_name(&normalize(&settings.cwd.join(name)), &settings.cwd), Some(settings.cwd.as_path())),
        None => ("<stdin>".to_owned(), None),
    };
    let workspace = Workspace::from_text(&name, text, dir, &settings.load);
    match classify(&workspace, true, inputs.skip_non_openapi) {
        // Standard input is already sandboxed to the working directory: check it as it is.
        Class::Check | Class::Fragment => Outcome::Checked(check(&workspace, settings)),
        Class::Skip => Outcome::Skipped,
    }
}

enum Class {
    Check,
    Fragment,
    Skip,
}

fn classify(workspace: &Workspace, explicit: bool, skip_non_openapi: bool) -> Class {
    match detect(workspace) {
        DocumentKind::Root(_) | DocumentKind::Unsupported { .. } => Class::Check,
        DocumentKind::Fragment if workspace.root_failed() => {
            // Unreadable or unparsable: report it if it was named, or if its text shows it
            // is meant to be an OpenAPI document (a broken spec must fail a run).
            let meant_as_root = workspace.root_file().is_none_or(|file| looks_like_root(file.text()));
            if meant_as_root || (explicit && !skip_non_openapi) { Class::Check } else { Class::Skip }
        }
        DocumentKind::Fragment if explicit && !skip_non_openapi => Class::Fragment,
        DocumentKind::Fragment => Class::Skip,
    }
}

/// Lint one workspace (inline ignores are applied by [`lint`]), then apply the
/// configuration's overrides, which match the root document as well as each finding's file.
fn check(workspace: &Workspace, settings: &Settings) -> Checked {
    let mut findings = lint(workspace, &settings.ruleset);
    let root = workspace.root_file().map(|file| file.as_ref());
    settings.overrides.apply(&mut findings, root, &settings.config_dir);
    let files = workspace.files().iter().map(|file| (normalize(&file.path), file.name.clone())).collect();
    let identities = workspace.files().iter().filter_map(|file| Some((file.name.clone(), file.identity?))).collect();
    Checked { findings, files, identities }
}

/// Check a fragment that no root reaches. Its `$ref`s may climb to sibling directories
/// (`../schemas/pet.yaml`), as they would from the root, so the working directory is
/// allowed too.
fn check_alone(path: &Path, settings: &Settings) -> Checked {
    let mut options = settings.load.clone();
    options.refs.allowed_roots.push(settings.cwd.clone());
    check(&Workspace::load(path, &options), settings)
}

/// Standard input, read up to `max_file_size` as it arrives: past it, the run stops.
fn read_stdin(limit: u64) -> Result<String, CliError> {
    let bytes = read::read_capped(std::io::stdin().lock(), limit).map_err(|err| match err {
        ReadError::TooLarge { limit } => CliError::StdinTooLarge { limit },
        other => CliError::Stdin(other.into()),
    })?;
    String::from_utf8(bytes)
        .map_err(|err| CliError::Stdin(std::io::Error::new(std::io::ErrorKind::InvalidData, err.utf8_error())))
}

/// A file or directory the walk could not read, as an input problem.
fn unreadable(problem: &WalkProblem, settings: &Settings) -> Finding {
    let name = display_name(&problem.path, &settings.cwd);
    let (file, _) = SourceFile::parse(problem.path.clone(), name, Vec::new(), &settings.load.limits);
    let location = Location::new(Arc::new(file), Span::at(0));
    Finding::new("unreadable-file", Category::Input, Severity::Error, problem.message.clone(), location, String::new())
}

/// A path as reports show it: relative to the working directory where it is inside it.
fn display_name(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Whether the bytes contain `openapi` or `swagger` at all: a root must, as its version key.
fn mentions_version_key(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"openapi").is_some() || memchr::memmem::find(bytes, b"swagger").is_some()
}

/// Whether a text that failed to parse looks like an OpenAPI root: a line starting with
/// `openapi:` or `swagger:` (YAML), or an `"openapi":` / `"swagger":` member (JSON).
pub fn looks_like_root(text: &str) -> bool {
    let yaml = text.lines().any(|line| {
        let line = line.trim_start_matches('\u{feff}');
        ["openapi", "swagger", "\"openapi\"", "\"swagger\"", "'openapi'", "'swagger'"]
            .iter()
            .any(|key| line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
    });
    yaml || ["\"openapi\"", "\"swagger\""].iter().any(|key| {
        text.match_indices(key)
            .any(|(at, _)| text.get(at + key.len()..).is_some_and(|rest| rest.trim_start().starts_with(':')))
    })
}

#[cfg(test)]
mod tests {
    use super::{looks_like_root, mentions_version_key};

    #[test]
    fn roots_are_recognised_by_their_version_key() {
        assert!(looks_like_root("openapi: 3.1.0\ninfo: [\n"));
        assert!(looks_like_root("# comment\nswagger : '2.0'\n"));
        assert!(looks_like_root("{\"info\": {}, \"openapi\" : \"3.0.0\",,}"));
        assert!(!looks_like_root("name: ci\non: [push\n"));
        assert!(!looks_like_root("description: uses openapi: a lot\n"));
        assert!(mentions_version_key(b"x: 1\nopenapi: 3.0.0"));
        assert!(!mentions_version_key(b"name: ci\n"));
    }
}
