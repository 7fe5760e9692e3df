//! Which files a run looks at: paths named on the command line, directories walked in
//! parallel (honouring `.gitignore`, `.ignore` and hidden files, as git and ripgrep do),
//! and glob patterns the shell did not expand; filtered by the configuration's
//! `include` and `exclude`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::resolve::normalize;

use super::PipelineError;

/// The extensions a directory walk picks up.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// One thing to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A file (absolute path). `explicit`: named on the command line rather than found by
    /// a walk, so it is checked even when it is not an OpenAPI root.
    File { path: PathBuf, explicit: bool },
    /// Standard input (`-`).
    Stdin,
}

/// A file or directory the walk could not read.
#[derive(Clone, Debug)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

/// The configuration's `include` and `exclude`, as globs relative to `base`.
#[derive(Clone, Debug)]
pub struct Selection {
    base: PathBuf,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Selection {
    pub fn new(base: &Path, include: &[String], exclude: &[String]) -> Result<Selection, PipelineError> {
        let compile = |patterns: &[String]| {
            if patterns.is_empty() { Ok(None) } else { compile_globs(patterns).map(Some) }
        };
        Ok(Selection { base: normalize(base), include: compile(include)?, exclude: compile(exclude)? })
    }

    /// Whether `path` (absolute) is excluded. Paths outside the base are never excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        match (&self.exclude, path.strip_prefix(&self.base)) {
            (Some(exclude), Ok(relative)) => exclude.is_match(relative),
            _ => false,
        }
    }

    /// Whether a walk picks up `path` (absolute): a YAML or JSON file matching `include`.
    fn includes(&self, path: &Path) -> bool {
        let extension = path.extension().and_then(|extension| extension.to_str()).map(str::to_ascii_lowercase);
        if !extension.is_some_and(|extension| EXTENSIONS.contains(&extension.as_str())) {
            return false;
        }
        match (&self.include, path.strip_prefix(&self.base)) {
            (Some(include), Ok(relative)) => include.is_match(relative),
            (Some(_), Err(_)) => false,
            (None, _) => true,
        }
    }
}

/// Compile configuration globs. `*` stays within a directory and `**` crosses them; a
/// pattern without `/` matches at any depth (`node_modules`, `*.gen.yaml`), and a pattern
/// naming a directory matches everything under it.
pub fn compile_globs(patterns: &[String]) -> Result<GlobSet, PipelineError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
        let mut variants = vec![trimmed.to_owned(), format!("{trimmed}/**")];
        if !trimmed.contains('/') {
            variants.extend([format!("**/{trimmed}"), format!("**/{trimmed}/**")]);
        }
        for variant in variants {
            builder.add(glob(&variant).map_err(|source| PipelineError::Glob { pattern: pattern.clone(), source })?);
        }
    }
    builder.build().map_err(|source| PipelineError::Glob { pattern: patterns.join(", "), source })
}

fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).backslash_escape(true).build()
}

/// Whether a command-line argument is a glob pattern rather than a path.
fn is_glob(argument: &str) -> bool {
    argument.contains(['*', '?', '[', '{'])
}

/// Turn command-line paths into targets, sorted and without duplicates. `-` is standard
/// input; nothing at all means the current directory.
pub fn targets(
    paths: &[PathBuf],
    cwd: &Path,
    selection: &Selection,
) -> Result<(Vec<Target>, Vec<WalkProblem>), PipelineError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut targets = Vec::new();
    let walked = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    for argument in paths {
        if argument.as_os_str() == "-" {
            targets.push(Target::Stdin);
            continue;
        }
        let path = normalize(&cwd.join(argument));
        let text = argument.to_string_lossy();
        if path.is_dir() {
            walk(&path, selection, None, &walked, &problems);
        } else if !path.exists() && is_glob(&text) {
            let found_before = lock(&walked).len();
            let pattern = normalize(&cwd.join(argument));
            let matcher = glob(&pattern.to_string_lossy())
                .map_err(|source| PipelineError::Glob { pattern: text.clone().into_owned(), source })?
                .compile_matcher();
            walk(&glob_base(&pattern), selection, Some(&matcher), &walked, &problems);
            if lock(&walked).len() == found_before {
                return Err(PipelineError::NoMatch(text.into_owned()));
            }
        } else if !selection.excludes(&path) {
            // A missing file stays a target: loading it reports it, and the run goes on.
            targets.push(Target::File { path, explicit: true });
        }
    }
    let walked = walked.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    targets.extend(walked.into_iter().map(|path| Target::File { path, explicit: false }));
    // Named and walked, a file counts as named (sorted first for the same path).
    targets.sort_by(|a, b| match (a, b) {
        (Target::File { path: p, explicit: x }, Target::File { path: q, explicit: y }) => p.cmp(q).then(y.cmp(x)),
        _ => a.cmp(b),
    });
    targets.dedup_by(|later, earlier| match (later, earlier) {
        (Target::File { path: p, .. }, Target::File { path: q, .. }) => p == q,
        (Target::Stdin, Target::Stdin) => true,
        _ => false,
    });
    let mut problems = problems.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((targets, problems))
}

/// The directory to walk for a glob: its leading components that hold no glob syntax.
fn glob_base(pattern: &Path) -> PathBuf {
    let mut base = PathBuf::new();
    for component in pattern.components() {
        if is_glob(&component.as_os_str().to_string_lossy()) {
            break;
        }
        base.push(component);
    }
    base
}

/// Walk `root` on several threads, collecting the files the selection (and `matcher`,
/// for a glob) picks. Excluded directories are not entered.
fn walk(
    root: &Path,
    selection: &Selection,
    matcher: Option<&globset::GlobMatcher>,
    found: &Mutex<Vec<PathBuf>>,
    problems: &Mutex<Vec<WalkProblem>>,
) {
    let mut builder = WalkBuilder::new(root);
    // `.gitignore` counts outside git repositories too: an unpacked archive or a fresh
    // checkout without `.git` should lint the same files.
    builder.require_git(false);
    let filter = selection.clone();
    builder.filter_entry(move |entry| entry.depth() == 0 || !filter.excludes(entry.path()));
    builder.build_parallel().run(|| {
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
                    if is_file && selection.includes(path) && matcher.is_none_or(|matcher| matcher.is_match(path)) {
                        lock(found).push(path.to_owned());
                    }
                }
                Err(err) => {
                    let path = error_path(&err).unwrap_or_else(|| root.to_owned());
                    lock(problems).push(WalkProblem { path, message: err.to_string() });
                }
            }
            WalkState::Continue
        })
    });
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        _ => None,
    }
}

/// A poisoned lock only means another walker thread panicked; its data is still sound.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Selection, glob_base};

    #[test]
    fn globs_follow_gitignore_conventions() {
        let selection = Selection::new(
            Path::new("/p"),
            &["specs/**".to_owned()],
            &["node_modules".to_owned(), "*.gen.yaml".to_owned(), "legacy/".to_owned()],
        )
        .unwrap_or_else(|err| panic!("{err}"));
        assert!(selection.excludes(Path::new("/p/node_modules")));
        assert!(selection.excludes(Path::new("/p/a/node_modules/x/api.yaml")));
        assert!(selection.excludes(Path::new("/p/specs/api.gen.yaml")));
        assert!(selection.excludes(Path::new("/p/legacy/v1/api.yaml")));
        assert!(!selection.excludes(Path::new("/p/specs/api.yaml")));
        assert!(!selection.excludes(Path::new("/elsewhere/node_modules")));
        assert!(selection.includes(Path::new("/p/specs/v1/api.YAML")));
        assert!(!selection.includes(Path::new("/p/specs/README.md")));
        assert!(!selection.includes(Path::new("/p/other/api.yaml")));
    }

    #[test]
    fn a_glob_is_walked_from_its_literal_prefix() {
        assert_eq!(glob_base(Path::new("/p/specs/**/*.yaml")), Path::new("/p/specs"));
        assert_eq!(glob_base(Path::new("/p/*.json")), Path::new("/p"));
    }
}
