//! The one lint pipeline every front end runs: which files are OpenAPI roots, linting
//! each root (and through it every file it `$ref`s) in parallel, inline suppressions and
//! overrides, and the findings of each root handed on as soon as its turn in a fixed
//! order comes, so that its documents can be freed.
//!
//! - Order: the targets sorted by path (standard input last), then the fragments named
//!   on the command line that no root reached. The same inputs give the same batches,
//!   whatever the scheduling.
//! - Memory: at most a few roots are in flight ([`WINDOW_PER_THREAD`] per worker); a
//!   batch's documents are freed once the front end is done with it. What the pipeline
//!   keeps across batches is small: the paths of the files loaded and a hash per finding.
//! - A file two roots share is reported once: a finding a later root gives again (same
//!   file, place, rule and message) is dropped, unless the earlier copy was suppressed
//!   and this one is not. An `unused-suppression` in a shared fragment is held back to
//!   the end and kept only if every root that loaded the fragment found the ignore
//!   unused (an ignore in a root document is judged by its own root).
//! - A directory walk ignores files that no root reaches (they may be anything: CI
//!   configs, package.json). A fragment named on the command line (a pre-commit hook
//!   passes only the files staged) is linted through the roots that reference it: the
//!   named and walked roots first, else every OpenAPI document of the project (the
//!   configuration's directory, else the git work tree, else the working directory, as
//!   its `include` and `exclude` select), read afresh on every run; only the fragment's
//!   findings are reported. A named fragment no root reaches is checked on its own for
//!   what can be checked without a root (syntax, its `$ref`s), unless `skip_non_openapi`.
//! - Response maps: with [`Settings::response_map`], each root document's batch carries
//!   its [`ResponseMap`] (plain data, built from the API the checks ran on), for the
//!   HTML report; without it, no time is spent on them.

mod discover;
pub mod fix;
mod map;
mod ordered;

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHasher;

pub use discover::{Selection, Target, WalkProblem, compile_globs, targets};
pub use map::{MappedOperation, MappedResponse, Place, ResponseMap};

use crate::checks::adopt::{Overrides, UNUSED_SUPPRESSION, reconcile_unused};
use crate::checks::lint_api;
use crate::checks::ruleset::{Level, Ruleset};
use crate::finding::{Category, Finding, Location, Severity, sort_and_dedup};
use crate::model::{DocumentKind, detect};
use crate::resolve::{LoadOptions, Workspace, normalize};
use crate::source::read::{self, ReadError, ReadFile};
use crate::source::{FileIdentity, InputProblem, SourceFile, Span};

/// How many roots each worker may run ahead of the front end: enough to keep the workers
/// busy while a large report is written, few enough to bound memory.
pub const WINDOW_PER_THREAD: usize = 2;

/// Why the pipeline could not start: the inputs named make no sense.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("no files match `{0}`")]
    NoMatch(String),
    #[error("invalid glob pattern `{pattern}`")]
    Glob {
        pattern: String,
        #[source]
        source: globset::Error,
    },
    #[error("cannot read standard input")]
    Stdin(#[source] std::io::Error),
    #[error(
        "standard input is larger than the limit of {limit} bytes; it was not linted (raise `max_file_size` in the configuration)"
    )]
    StdinTooLarge { limit: u64 },
}

/// What linting needs, resolved from the configuration and the flags.
#[derive(Clone)]
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
    /// The configuration's severities for what is not a check (`unused-suppression`,
    /// `remote-ref`, `control-character`): `off` drops their findings.
    pub levels: Vec<(String, Level)>,
    /// Give each root document's batch its [`ResponseMap`] (a report draws it); off, no
    /// time is spent on it.
    pub response_map: bool,
}

/// What to lint, as the command line says.
pub struct Inputs<'a> {
    pub paths: &'a [PathBuf],
    pub stdin_filename: Option<&'a Path>,
    pub skip_non_openapi: bool,
}

/// The findings of one root document (or of a fragment, or of files the walk could not
/// read), sorted, with the files they come from.
pub struct Batch {
    pub kind: BatchKind,
    /// Sorted; findings an earlier batch gave already are left out.
    pub findings: Vec<Finding>,
    /// Every file this batch loaded (the root and the files it references); for a
    /// fragment linted through a root, the fragment alone.
    pub files: Vec<CheckedFile>,
    /// The root document's operations and the codes they declare, for a document batch
    /// when [`Settings::response_map`] asks for it.
    pub map: Option<ResponseMap>,
    /// The root document linted (for a named fragment linted through a root: that root,
    /// which is not among `files`); `None` where no root was linted.
    pub root: Option<PathBuf>,
}

/// What a batch is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchKind {
    /// An OpenAPI document (or a file meant as one that could not be read or parsed), or
    /// a named fragment linted through a root that references it.
    Document,
    /// A named fragment no root references, checked on its own.
    Fragment,
    /// Files or directories the walk could not read.
    Unreadable,
    /// `unused-suppression` findings held back until every root had its say.
    HeldBack,
}

/// A file a batch loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedFile {
    /// Absolute and normalized: what a baseline may call stale.
    pub path: PathBuf,
    /// As reports show it.
    pub name: String,
    /// Device and inode, where the file was read from disk: no report may replace it.
    pub identity: Option<FileIdentity>,
}

impl CheckedFile {
    fn of(file: &SourceFile) -> CheckedFile {
        CheckedFile { path: normalize(&file.path), name: file.name.clone(), identity: file.identity }
    }
}

/// Lint everything the inputs name, handing each batch to `each` in a fixed order.
/// `each` may stop the run early by returning an error, which is returned.
pub fn lint_each<E: From<PipelineError>>(
    inputs: &Inputs<'_>,
    settings: &Settings,
    mut each: impl FnMut(Batch) -> Result<(), E>,
) -> Result<(), E> {
    let (targets, walk_problems) = targets(inputs.paths, &settings.cwd, &settings.selection)?;
    if !walk_problems.is_empty() {
        let findings = walk_problems.iter().map(|problem| unreadable(problem, settings)).collect::<Vec<_>>();
        let files = findings
            .iter()
            .map(|finding: &Finding| CheckedFile {
                path: finding.primary.file.path.clone(),
                name: finding.primary.file_name().to_owned(),
                identity: None,
            })
            .collect();
        each(Batch { kind: BatchKind::Unreadable, findings, files, map: None, root: None })?;
    }
    let limit = settings.load.limits.file_bytes();
    let stdin = if targets.contains(&Target::Stdin) { Some(read_stdin(limit)?) } else { None };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let window = threads * WINDOW_PER_THREAD;
    let mut merger = Merger::default();
    let mut fragments = Vec::new();

    let examine = |target: &Target| match target {
        Target::File { path, explicit } => examine_file(path, *explicit, inputs.skip_non_openapi, settings),
        Target::Stdin => examine_stdin(stdin.as_deref().unwrap_or(""), inputs, settings),
    };
    let stopped = ordered::map_in_order(&targets, threads, window, examine, |outcome| match outcome {
        Outcome::Checked(batch) => match each(merger.merge(batch)) {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => ControlFlow::Break(err),
        },
        Outcome::Fragment(path) => {
            fragments.push(path);
            ControlFlow::Continue(())
        }
        Outcome::Skipped => ControlFlow::Continue(()),
    });
    if let Some(err) = stopped {
        return Err(err);
    }

    let unreached: Vec<PathBuf> = fragments.into_iter().filter(|path| !merger.loaded.contains_key(path)).collect();
    if !unreached.is_empty() {
        // The project's roots not linted yet, each linted for the named fragments it reaches.
        let linted: HashSet<&Path> = targets
            .iter()
            .filter_map(|target| match target {
                Target::File { path, .. } => Some(path.as_path()),
                Target::Stdin => None,
            })
            .collect();
        let base = project_dir(settings);
        let (candidates, _) = discover::targets(&[base], &settings.cwd, &settings.selection)?;
        let candidates: Vec<PathBuf> = candidates
            .into_iter()
            .filter_map(|target| match target {
                Target::File { path, .. } if !linted.contains(path.as_path()) => Some(path),
                _ => None,
            })
            .collect();
        let wanted: HashSet<&Path> = unreached.iter().map(PathBuf::as_path).collect();
        let stopped = ordered::map_in_order(
            &candidates,
            threads,
            window,
            |root| lint_for_fragments(root, &wanted, settings),
            |batch| match batch.map(|batch| each(merger.merge(batch))) {
                Some(Err(err)) => ControlFlow::Break(err),
                _ => ControlFlow::Continue(()),
            },
        );
        if let Some(err) = stopped {
            return Err(err);
        }
    }
    let alone: Vec<PathBuf> = if inputs.skip_non_openapi {
        Vec::new()
    } else {
        unreached.into_iter().filter(|path| !merger.loaded.contains_key(path)).collect()
    };
    let stopped = ordered::map_in_order(
        &alone,
        threads,
        window,
        |path| check_alone(path, settings),
        |batch| match each(merger.merge(batch)) {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => ControlFlow::Break(err),
        },
    );
    if let Some(err) = stopped {
        return Err(err);
    }
    match merger.finish() {
        Some(batch) => each(batch),
        None => Ok(()),
    }
}

/// What came of one target.
enum Outcome {
    Checked(Batch),
    /// A file named on the command line that is not an OpenAPI root: checked on its own
    /// unless a root reaches it.
    Fragment(PathBuf),
    Skipped,
}

/// What the pipeline remembers across batches to report a shared file once.
#[derive(Default)]
struct Merger {
    /// Every file loaded so far, and by how many batches.
    loaded: HashMap<PathBuf, usize>,
    /// A hash of every finding handed on, and whether that copy was suppressed.
    given: HashMap<u64, bool>,
    /// `unused-suppression` findings in shared fragments, judged at the end.
    held_back: Vec<Finding>,
    /// The root documents linted, by device and inode: a hardlink or another path to one
    /// of them is not linted again.
    roots: HashSet<FileIdentity>,
}

impl Merger {
    fn merge(&mut self, mut batch: Batch) -> Batch {
        let root_identity = batch.files.first().and_then(|file| file.identity);
        if let Some(identity) = root_identity.filter(|_| batch.kind == BatchKind::Document) {
            if !self.roots.insert(identity) {
                // The same file under another name (a hardlink, a symlink): linted already.
                return Batch { kind: batch.kind, findings: Vec::new(), files: Vec::new(), map: None, root: None };
            }
        }
        for file in &batch.files {
            *self.loaded.entry(file.path.clone()).or_default() += 1;
        }
        let root = batch.files.first().map(|file| file.path.clone());
        let mut kept = Vec::with_capacity(batch.findings.len());
        for finding in std::mem::take(&mut batch.findings) {
            if finding.rule == UNUSED_SUPPRESSION && root.as_ref() != Some(&finding.primary.file.path) {
                self.held_back.push(finding);
                continue;
            }
            let hash = finding_hash(&finding);
            let suppressed = finding.is_suppressed();
            match self.given.get_mut(&hash) {
                // Given already, but suppressed: the unsuppressed copy counts.
                Some(earlier_suppressed) if *earlier_suppressed && !suppressed => {
                    *earlier_suppressed = false;
                    kept.push(finding);
                }
                Some(_) => {}
                None => {
                    self.given.insert(hash, suppressed);
                    kept.push(finding);
                }
            }
        }
        batch.findings = kept;
        batch
    }

    /// The held-back `unused-suppression` findings every loading root agreed on.
    fn finish(&mut self) -> Option<Batch> {
        let mut findings = std::mem::take(&mut self.held_back);
        if findings.is_empty() {
            return None;
        }
        let loads = self.loaded.iter().flat_map(|(path, &count)| std::iter::repeat_n(path.as_path(), count));
        reconcile_unused(&mut findings, loads);
        sort_and_dedup(&mut findings);
        findings.retain(|finding| !self.given.contains_key(&finding_hash(finding)));
        Some(Batch { kind: BatchKind::HeldBack, findings, files: Vec::new(), map: None, root: None })
    }
}

/// What makes two findings the same: file (by device and inode where it was read from
/// disk, so two names of one file are one file), place, rule and message.
fn finding_hash(finding: &Finding) -> u64 {
    let mut hasher = FxHasher::default();
    match finding.primary.file.identity {
        Some(identity) => identity.hash(&mut hasher),
        None => finding.primary.file_name().hash(&mut hasher),
    }
    let (_, start, end, rule, message) = finding.sort_key();
    (start, end, rule, message).hash(&mut hasher);
    hasher.finish()
}

fn examine_file(path: &Path, explicit: bool, skip_non_openapi: bool, settings: &Settings) -> Outcome {
    // Walked files are many and mostly not roots: a root spells out `openapi` or
    // `swagger`, so a file that does not is skipped without parsing it. The bytes read
    // to tell are the bytes parsed.
    let workspace = match read_head(path, settings) {
        Some((head, _)) if !explicit && !mentions_version_key(&head.bytes) => return Outcome::Skipped,
        Some((read, true)) => Workspace::load_read(path, read, &settings.load),
        // Too large, not a regular file or unreadable: the load says so.
        _ => Workspace::load(path, &settings.load),
    };
    match classify(&workspace, explicit, skip_non_openapi) {
        Class::Check => Outcome::Checked(check(workspace, settings, BatchKind::Document)),
        Class::Fragment => Outcome::Fragment(normalize(path)),
        Class::Skip => Outcome::Skipped,
    }
}

/// Lint a project root if it reaches one of the `wanted` fragments, keeping only the
/// findings located in them.
fn lint_for_fragments(root: &Path, wanted: &HashSet<&Path>, settings: &Settings) -> Option<Batch> {
    let (read, whole) = read_head(root, settings)?;
    if !whole || !mentions_version_key(&read.bytes) {
        return None;
    }
    let workspace = Workspace::load_read(root, read, &settings.load);
    if !matches!(detect(&workspace), DocumentKind::Root(_)) {
        return None;
    }
    let reached: Vec<CheckedFile> = workspace
        .files()
        .iter()
        .map(|file| CheckedFile::of(file))
        .filter(|file| wanted.contains(file.path.as_path()))
        .collect();
    if reached.is_empty() {
        return None;
    }
    let mut batch = check(workspace, settings, BatchKind::Document);
    batch.findings.retain(|finding| reached.iter().any(|file| file.path == normalize(&finding.primary.file.path)));
    batch.files = reached;
    // Only the fragments' findings are reported: the root is no document of this run.
    batch.map = None;
    Some(batch)
}

/// A regular file's first `max_file_size` bytes, and whether that is all of it (a file
/// larger than that and naming no OpenAPI version in them is no root either); `None` for
/// anything else (loading it reports why).
fn read_head(path: &Path, settings: &Settings) -> Option<(ReadFile, bool)> {
    // An unsaved buffer is read whole (a text over the limit: the load reports it).
    if let Some(read) = settings.load.overlay.read(path, settings.load.limits.file_bytes()) {
        return read.ok().map(|read| (read, true));
    }
    let opened = read::open(path).ok()?;
    let identity = opened.identity();
    let (bytes, whole) = opened.read_head(settings.load.limits.file_bytes()).ok()?;
    Some((ReadFile { bytes, identity }, whole))
}

/// Where the roots of a named fragment are looked for: the configuration's directory,
/// else the git work tree around the working directory, else the working directory.
fn project_dir(settings: &Settings) -> PathBuf {
    if settings.config_file.is_some() {
        return settings.config_dir.clone();
    }
    settings
        .cwd
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map_or_else(|| settings.cwd.clone(), Path::to_path_buf)
}

fn examine_stdin(text: &str, inputs: &Inputs<'_>, settings: &Settings) -> Outcome {
    let (name, dir) = match inputs.stdin_filename {
        Some(name) => (display_name(&normalize(&settings.cwd.join(name)), &settings.cwd), Some(settings.cwd.as_path())),
        None => ("<stdin>".to_owned(), None),
    };
    let workspace = Workspace::from_text(&name, text, dir, &settings.load);
    // Standard input is already sandboxed to the working directory: check it as it is.
    match classify(&workspace, true, inputs.skip_non_openapi) {
        Class::Check => Outcome::Checked(check(workspace, settings, BatchKind::Document)),
        Class::Fragment if inputs.skip_non_openapi => Outcome::Skipped,
        Class::Fragment => Outcome::Checked(check(workspace, settings, BatchKind::Fragment)),
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
        // Named: linted through the roots that reach it (on its own only without
        // `skip_non_openapi`, see `lint_each`).
        DocumentKind::Fragment if explicit => Class::Fragment,
        DocumentKind::Fragment => Class::Skip,
    }
}

/// Lint one workspace (inline ignores are applied by [`lint`]), then apply the
/// configuration's overrides, which match the root document as well as each finding's
/// file. The workspace is dropped here: only the files findings point into live on.
fn check(workspace: Workspace, settings: &Settings, kind: BatchKind) -> Batch {
    let (mut findings, api) = lint_api(&workspace, &settings.ruleset);
    let map =
        (settings.response_map && kind == BatchKind::Document).then(|| ResponseMap::build(&workspace, api.as_ref()));
    if !settings.levels.is_empty() {
        findings.retain_mut(|finding| match settings.levels.iter().find(|(id, _)| *id == finding.rule) {
            Some((_, level)) => level.severity().map(|severity| finding.severity = severity).is_some(),
            None => true,
        });
    }
    let root = workspace.root_file().map(|file| file.as_ref());
    settings.overrides.apply(&mut findings, root, &settings.config_dir);
    sort_and_dedup(&mut findings);
    let files = workspace.files().iter().map(|file| CheckedFile::of(file)).collect();
    let root = (kind == BatchKind::Document).then(|| workspace.root_file().map(|file| normalize(&file.path))).flatten();
    Batch { kind, findings, files, map, root }
}

/// Check a fragment that no root reaches. Its `$ref`s may climb to sibling directories
/// (`../schemas/pet.yaml`), as they would from the root, so the working directory is
/// allowed too.
fn check_alone(path: &Path, settings: &Settings) -> Batch {
    let mut options = settings.load.clone();
    options.refs.allowed_roots.push(settings.cwd.clone());
    check(Workspace::load(path, &options), settings, BatchKind::Fragment)
}

/// Standard input, read up to `max_file_size` as it arrives: past it, the run stops.
fn read_stdin(limit: u64) -> Result<String, PipelineError> {
    let bytes = read::read_capped(std::io::stdin().lock(), limit).map_err(|err| match err {
        ReadError::TooLarge { limit } => PipelineError::StdinTooLarge { limit },
        other => PipelineError::Stdin(other.into()),
    })?;
    String::from_utf8(bytes)
        .map_err(|err| PipelineError::Stdin(std::io::Error::new(std::io::ErrorKind::InvalidData, err.utf8_error())))
}

/// A file or directory the walk could not read, as an input problem.
fn unreadable(problem: &WalkProblem, settings: &Settings) -> Finding {
    let name = display_name(&problem.path, &settings.cwd);
    let (file, _) = SourceFile::parse(problem.path.clone(), name, Vec::new(), &settings.load.limits);
    let location = Location::new(Arc::new(file), Span::at(0));
    let id = InputProblem::UnreadableFile;
    Finding::new(id, Category::Input, Severity::Error, problem.message.clone(), location, String::new())
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
