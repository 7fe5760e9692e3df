//! `$ref` resolution without inlining.
//!
//! A [`Workspace`] holds the root document and every file its references reach.
//! Each reference resolves to a (file, node) pair, so anything found inside a
//! referenced file is reported at that file's own line and column, with the
//! chain of references that led there. References are resolved once, eagerly,
//! by a walk over what the root reaches; afterwards the workspace is read-only
//! and shared by the model and the checks.

mod overlay;
mod pointer;
pub mod sandbox;

use crate::source::InputProblem;
use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use overlay::Overlay;
pub use pointer::{RefTarget, percent_decode, unescape_token};
pub use sandbox::normalize;

use crate::finding::{Category, Finding, Location, Related, Severity, input_severity};
use crate::source::read::{self, ReadError, ReadFile};
use crate::source::{FileIdentity, Limits, NodeId, ParseError, SourceFile, Span, Tree, Value};

/// The index of a file in its [`Workspace`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A node in one of the workspace's files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeRef {
    pub file: FileId,
    pub node: NodeId,
}

/// How far references may reach.
#[derive(Clone, Debug, Default)]
pub struct RefPolicy {
    /// Directories (besides the root document's own) that references may read files from.
    pub allowed_roots: Vec<PathBuf>,
}

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub limits: Limits,
    pub refs: RefPolicy,
    /// File names in reports are shown relative to this directory where possible.
    pub display_base: Option<PathBuf>,
    /// At most this many files are loaded through references (0: a default of 20,000).
    pub max_files: usize,
    /// Texts read instead of the files at their paths (unsaved editor buffers).
    pub overlay: Overlay,
}

/// Where a followed reference chain ends, and the `$ref` nodes it passed through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub target: NodeRef,
    /// The mappings holding each `$ref` on the way, in order; empty when nothing was followed.
    pub chain: Vec<NodeRef>,
}

/// The outcome of resolving one `$ref` node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefState {
    /// While loading: the node its `$ref` names (which may be another reference).
    Next(NodeRef),
    /// After loading: where the whole chain from this reference ends. `next` is the node its
    /// own `$ref` names; `hops` counts the references from this one to `target`
    /// (1: `next` is the target).
    Resolved { next: NodeRef, target: NodeRef, hops: u32 },
    /// Reported already (missing file or pointer, refused, remote, not a string), circular,
    /// or leading into one of those.
    Broken,
}

/// The loaded documents and their resolved references.
pub struct Workspace {
    files: Vec<Arc<SourceFile>>,
    by_path: HashMap<PathBuf, FileId>,
    /// Files by device and inode: one file reached by several names is loaded once.
    by_identity: HashMap<FileIdentity, FileId>,
    /// Paths that failed to load (the problem's id and message), so a broken file is
    /// reported once.
    failed: HashMap<PathBuf, (InputProblem, String)>,
    /// Every reached `$ref` mapping and what it resolves to.
    refs: FxHashMap<NodeRef, RefState>,
    /// Problems with the input: parse errors, broken references.
    findings: Vec<Finding>,
    /// Directories references may read from (canonical).
    sandbox: Vec<PathBuf>,
    options: LoadOptions,
}

/// Where a node sits, so that literal data is not mistaken for references:
/// a `$ref` inside an example value is data (GitHub's SCIM examples hold
/// `$ref: https://…` members), while under `properties` the same names are schema names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    /// Ordinary document structure.
    Document,
    /// A mapping whose keys are names (`properties`, `schemas`, …): every value is structure.
    NameMap,
    /// A map of Example Objects (3.x `examples`).
    ExamplesMap,
    /// One Example Object: its `value` is literal.
    Example,
}

impl Context {
    /// The context of the value under `key`, or `None` when that value is literal data.
    fn child(self, key: &str, value_is_mapping: bool) -> Option<Context> {
        match self {
            Context::NameMap => Some(Context::Document),
            Context::ExamplesMap => {
                // Swagger 2.0 `examples` map media types to literal values.
                if key.contains('/') { None } else { Some(Context::Example) }
            }
            Context::Example if key == "value" => None,
            Context::Document | Context::Example => match key {
                "example" | "default" | "enum" | "const" => None,
                "examples" if value_is_mapping => Some(Context::ExamplesMap),
                // 3.1 schema `examples` is a list of literal values.
                "examples" => None,
                "properties" | "patternProperties" | "definitions" | "$defs" | "schemas" | "responses"
                | "parameters" | "paths" | "webhooks" | "callbacks" | "headers" | "securitySchemes"
                | "requestBodies" | "links" | "pathItems" | "content" | "encoding" | "dependentSchemas" => {
                    Some(Context::NameMap)
                }
                _ => Some(Context::Document),
            },
        }
    }
}

/// Chains of references are followed to their end, however long; a resolution records
/// the first this many `$ref`s it passed through (for "referenced here" notes and inline
/// suppressions along the way), and the notes say how many more there were. This keeps a
/// resolution's cost bounded: a 10,000-hop chain is not copied into every response that uses it.
pub const MAX_RECORDED_CHAIN: usize = 32;
/// How many references of a cycle its `circular-ref` message names (the related notes
/// list up to [`MAX_RECORDED_CHAIN`]).
const MAX_NAMED_IN_CYCLE: usize = 8;

impl Workspace {
    /// Load a root document (from disk, or from the overlay) and everything its
    /// references reach.
    pub fn load(path: &Path, options: &LoadOptions) -> Workspace {
        let mut workspace = Workspace::empty(options);
        let root_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        workspace.sandbox = sandbox::roots(&root_dir, &options.refs.allowed_roots);
        if let Some(root) = workspace.load_file(path, None) {
            workspace.resolve_from(root);
        }
        workspace
    }

    /// Like [`Workspace::load`], for a root read already (a directory
    /// walk reads each file to see whether it is an OpenAPI document at all).
    pub fn load_read(path: &Path, read: ReadFile, options: &LoadOptions) -> Workspace {
        let mut workspace = Workspace::empty(options);
        let root_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        workspace.sandbox = sandbox::roots(&root_dir, &options.refs.allowed_roots);
        let root = workspace.add_read(normalize(path), read, None);
        workspace.resolve_from(root);
        workspace
    }

    /// A workspace over one in-memory document (standard input, tests, fuzzing).
    /// Relative file references are resolved against `dir` when given, else refused.
    pub fn from_text(name: &str, text: &str, dir: Option<&Path>, options: &LoadOptions) -> Workspace {
        let mut workspace = Workspace::empty(options);
        if let Some(dir) = dir {
            workspace.sandbox = sandbox::roots(dir, &options.refs.allowed_roots);
        }
        let path = dir.map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
        let (file, outcome) = SourceFile::parse(path, name.to_owned(), text.as_bytes().to_vec(), &options.limits);
        let id = workspace.add_file(file, outcome);
        if workspace.tree(id).root().is_some() {
            workspace.resolve_from(id);
        }
        workspace
    }

    fn empty(options: &LoadOptions) -> Workspace {
        Workspace {
            files: Vec::new(),
            by_path: HashMap::new(),
            by_identity: HashMap::new(),
            failed: HashMap::new(),
            refs: FxHashMap::default(),
            findings: Vec::new(),
            sandbox: Vec::new(),
            options: options.clone(),
        }
    }

    /// The root document (the first file loaded), if it parsed.
    pub fn root(&self) -> Option<NodeRef> {
        let file = FileId(0);
        let node = self.files.first()?.tree.root()?;
        Some(NodeRef { file, node })
    }

    pub fn root_file(&self) -> Option<&Arc<SourceFile>> {
        self.files.first()
    }

    pub fn file(&self, id: FileId) -> Option<&Arc<SourceFile>> {
        self.files.get(id.index())
    }

    pub fn files(&self) -> &[Arc<SourceFile>] {
        &self.files
    }

    /// The tree of a file (an empty tree for an unknown id).
    pub fn tree(&self, id: FileId) -> &Tree {
        static EMPTY: std::sync::OnceLock<Tree> = std::sync::OnceLock::new();
        match self.files.get(id.index()) {
            Some(file) => &file.tree,
            None => EMPTY.get_or_init(Tree::default),
        }
    }

    /// Problems with the input found while loading and resolving.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    pub fn take_findings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.findings)
    }

    /// Whether the root document failed to load or parse.
    pub fn root_failed(&self) -> bool {
        self.root().is_none()
    }

    /// The node's whole span as a location.
    pub fn location(&self, node: NodeRef) -> Option<Location> {
        let file = self.file(node.file)?;
        Some(Location::new(Arc::clone(file), file.tree.span(node.node)))
    }

    /// The location of the key a node sits under (what a person looks for), or the node itself.
    pub fn key_location(&self, node: NodeRef) -> Option<Location> {
        let file = self.file(node.file)?;
        Some(Location::new(Arc::clone(file), file.tree.key_span(node.node)))
    }

    /// The JSON pointer of a node within its own file.
    pub fn pointer(&self, node: NodeRef) -> String {
        self.tree(node.file).pointer(node.node)
    }

    /// A child of a mapping node, in the same file.
    pub fn get(&self, node: NodeRef, key: &str) -> Option<NodeRef> {
        let child = self.tree(node.file).get(node.node, key)?;
        Some(NodeRef { file: node.file, node: child })
    }

    pub fn value(&self, node: NodeRef) -> Value<'_> {
        self.tree(node.file).value(node.node)
    }

    pub fn str(&self, node: NodeRef) -> Option<&str> {
        self.tree(node.file).str(node.node)
    }

    /// Whether the node is a `$ref` mapping.
    pub fn is_ref(&self, node: NodeRef) -> bool {
        self.tree(node.file).get_str(node.node, "$ref").is_some()
    }

    /// Follow `$ref`s from `node` to the node they end at. A node that is not a followed
    /// reference (no `$ref`, or a `$ref` in literal data such as an example) resolves to
    /// itself with an empty chain; a broken or circular chain gives `None` (it was reported
    /// while loading). Chains were resolved once while loading, so this costs at most
    /// [`MAX_RECORDED_CHAIN`] steps.
    pub fn resolve(&self, node: NodeRef) -> Option<Resolved> {
        let (mut next, target) = match self.refs.get(&node) {
            None => return Some(Resolved { target: node, chain: Vec::new() }),
            Some(RefState::Resolved { next, target, .. }) => (*next, *target),
            Some(RefState::Next(_) | RefState::Broken) => return None,
        };
        let mut chain = vec![node];
        while next != target && chain.len() < MAX_RECORDED_CHAIN {
            chain.push(next);
            next = match self.refs.get(&next) {
                Some(RefState::Resolved { next, .. }) => *next,
                _ => break,
            };
        }
        Some(Resolved { target, chain })
    }

    /// Like [`Workspace::resolve`], giving only the target.
    pub fn deref(&self, node: NodeRef) -> Option<NodeRef> {
        match self.refs.get(&node) {
            None => Some(node),
            Some(RefState::Resolved { target, .. }) => Some(*target),
            Some(RefState::Next(_) | RefState::Broken) => None,
        }
    }

    /// The related locations for a reference chain ("referenced from here"). A chain cut at
    /// [`MAX_RECORDED_CHAIN`] ends with a note saying how many references it left out.
    pub fn chain_related(&self, chain: &[NodeRef]) -> Vec<Related> {
        let mut related: Vec<Related> = chain.iter().filter_map(|&hop| self.reference_note(hop)).collect();
        if let Some(RefState::Resolved { next, target, hops }) = chain.last().and_then(|last| self.refs.get(last)) {
            if next != target {
                let more = hops.saturating_sub(1);
                if let Some(mut note) = self.reference_note(*next) {
                    note.label = if more == 1 {
                        format!("{} (the last reference before the definition)", note.label)
                    } else {
                        format!("{} (the first of {more} more references before the definition)", note.label)
                    };
                    related.push(note);
                }
            }
        }
        related
    }

    /// "referenced here (`#/…`)", at the `$ref` string of a reference mapping.
    fn reference_note(&self, hop: NodeRef) -> Option<Related> {
        let reference = self.get(hop, "$ref")?;
        let location = self.location(reference)?;
        let label = format!("referenced here (`{}`)", self.str(reference).unwrap_or(""));
        Some(Related { location, label })
    }

    // ---- loading ----

    fn display_name(&self, path: &Path) -> String {
        let shown = match &self.options.display_base {
            Some(base) => path.strip_prefix(base).unwrap_or(path),
            None => path,
        };
        let shown = shown.strip_prefix(".").unwrap_or(shown);
        let shown = shown.to_string_lossy();
        // Only where `\\` separates; elsewhere it is part of a name, shown as it is.
        if std::path::MAIN_SEPARATOR == '\\' { shown.replace('\\', "/") } else { shown.into_owned() }
    }

    fn add_file(&mut self, file: SourceFile, outcome: Result<Vec<ParseError>, ParseError>) -> FileId {
        let id = FileId(self.files.len() as u32);
        let path = file.path.clone();
        let file = Arc::new(file);
        let problems = match outcome {
            Ok(warnings) => warnings,
            Err(error) => vec![error],
        };
        for problem in problems {
            let location = Location::new(Arc::clone(&file), problem.span);
            let severity = input_severity(problem.code);
            let mut finding =
                Finding::new(problem.code, Category::Input, severity, problem.message, location, String::new());
            finding.help = problem.help;
            self.findings.push(finding);
        }
        if let Some(identity) = file.identity {
            self.by_identity.insert(identity, id);
        }
        self.files.push(file);
        self.by_path.insert(path, id);
        id
    }

    /// Load a file (once, however many names reach it). `from` is the `$ref` that asked
    /// for it, where a failure is reported; a file a reference reaches must lie inside the
    /// sandbox, checked on the file actually opened.
    fn load_file(&mut self, path: &Path, from: Option<NodeRef>) -> Option<FileId> {
        let key = normalize(path);
        if let Some(&id) = self.by_path.get(&key) {
            return Some(id);
        }
        if let Some((code, reason)) = self.failed.get(&key) {
            let (code, reason) = (*code, reason.clone());
            if let Some(from) = from {
                self.report_ref(from, code, reason);
            }
            return None;
        }
        let max_files = if self.options.max_files == 0 { 20_000 } else { self.options.max_files };
        if self.files.len() >= max_files {
            let reason =
                format!("more than {max_files} files are referenced; `{}` was not loaded", self.display_name(&key));
            self.fail(key, from, InputProblem::UnresolvedRef, reason);
            return None;
        }
        let shown = self.display_name(&key);
        if let Some(read) = self.options.overlay.read(&key, self.options.limits.file_bytes()) {
            // An unsaved buffer: its text is the file's. `find_target` checked its name
            // against the sandbox; nothing on disk is opened.
            let read = match read {
                Ok(read) => read,
                Err(err) => {
                    self.fail(key, from, read_problem(&err, from.is_some()), err.describe(&shown));
                    return None;
                }
            };
            if let Some(&id) = read.identity.and_then(|identity| self.by_identity.get(&identity)) {
                self.by_path.insert(key, id);
                return Some(id);
            }
            return Some(self.add_read(key, read, from));
        }
        let opened = match read::open(&key) {
            Ok(opened) => opened,
            Err(err) => {
                self.fail(key, from, read_problem(&err, from.is_some()), err.describe(&shown));
                return None;
            }
        };
        if from.is_some() && !sandbox::allows_opened(&self.sandbox, &key, &opened) {
            let reason = format!(
                "`{shown}` lies outside the directories references may read (allow it with `refs.allowed_roots` in the configuration)"
            );
            self.fail(key, from, InputProblem::RefOutsideRoot, reason);
            return None;
        }
        if let Some(&id) = opened.identity().and_then(|identity| self.by_identity.get(&identity)) {
            self.by_path.insert(key, id);
            return Some(id);
        }
        let read = match opened.read(self.options.limits.file_bytes()) {
            Ok(read) => read,
            Err(err) => {
                self.fail(key, from, read_problem(&err, from.is_some()), err.describe(&shown));
                return None;
            }
        };
        Some(self.add_read(key, read, from))
    }

    /// Parse and add a file read from `key` (normalized); a parse failure is also reported
    /// at the `$ref` that asked for it.
    fn add_read(&mut self, key: PathBuf, read: ReadFile, from: Option<NodeRef>) -> FileId {
        let name = self.display_name(&key);
        let (mut file, outcome) = SourceFile::parse(key, name, read.bytes, &self.options.limits);
        file.identity = read.identity;
        let failed_to_parse = outcome.is_err();
        let id = self.add_file(file, outcome);
        if failed_to_parse {
            if let Some(from) = from {
                let name = self.file(id).map(|file| file.name.clone()).unwrap_or_default();
                self.report_ref(from, InputProblem::UnresolvedRef, format!("`{name}` could not be parsed"));
            }
        }
        id
    }

    /// Report a file that could not be loaded: at the `$ref` that asked for it, else (the
    /// root) at the start of the file.
    fn fail(&mut self, key: PathBuf, from: Option<NodeRef>, code: InputProblem, reason: String) {
        match from {
            Some(from) => self.report_ref(from, code, reason.clone()),
            None => {
                // The root itself: report it against an empty stand-in file so it has a location.
                let name = self.display_name(&key);
                let (file, _) = SourceFile::parse(key.clone(), name, Vec::new(), &self.options.limits);
                let location = Location::new(Arc::new(file), Span::at(0));
                self.findings.push(Finding::new(
                    code,
                    Category::Input,
                    Severity::Error,
                    reason.clone(),
                    location,
                    String::new(),
                ));
            }
        }
        self.failed.insert(key, (code, reason));
    }

    /// Report a problem at the `$ref` string of a reference mapping.
    fn report_ref(&mut self, reference: NodeRef, code: InputProblem, message: String) {
        let value = self.get(reference, "$ref").unwrap_or(reference);
        let Some(location) = self.location(value) else {
            return;
        };
        let pointer = self.pointer(reference);
        let severity = input_severity(code);
        self.findings.push(Finding::new(code, Category::Input, severity, message, location, pointer));
    }

    /// Resolve every reference of `file` and of each file those references load,
    /// in load order. The parser listed each file's `$ref` mappings, so nothing is
    /// walked twice; a reference inside literal data (an example) is left alone.
    fn resolve_from(&mut self, file: FileId) {
        let mut next = file.index();
        while next < self.files.len() {
            let file = FileId(next as u32);
            next += 1;
            let references: Vec<NodeId> = self.tree(file).refs().to_vec();
            for node in references {
                let node = NodeRef { file, node };
                if self.is_literal(node) {
                    continue;
                }
                match self.tree(file).get_str(node.node, "$ref").map(str::to_owned) {
                    Some(reference) => {
                        self.resolve_reference(node, &reference);
                    }
                    None => self.report_not_a_string(node),
                }
            }
        }
        self.resolve_chains();
    }

    /// A `$ref` whose value is a number, a list, null or a mapping names nothing.
    fn report_not_a_string(&mut self, node: NodeRef) {
        let found = match self.get(node, "$ref").map(|value| self.value(value)) {
            Some(Value::Null) => "null",
            Some(Value::Bool(_)) => "a boolean",
            Some(Value::Number(_)) => "a number",
            Some(Value::Mapping(_)) => "a mapping",
            Some(Value::Sequence(_)) => "a list",
            Some(Value::String(_)) | None => return,
        };
        self.refs.insert(node, RefState::Broken);
        self.report_ref(
            node,
            InputProblem::UnresolvedRef,
            format!("`$ref` must be a string (a URI reference such as `#/components/schemas/Pet`), not {found}"),
        );
    }

    /// Whether a mapping sits in literal data (an example value, a default) where a
    /// `$ref` key is data, or is itself a map of names (a property called `$ref`).
    fn is_literal(&self, node: NodeRef) -> bool {
        let tree = self.tree(node.file);
        let mut path: Vec<(Option<&str>, bool)> = Vec::new();
        let mut current = node.node;
        while let Some(parent) = tree.parent(current) {
            if path.len() > 10_000 {
                break;
            }
            let key = tree.entry_of(current).map(|entry| tree.key_text(entry));
            path.push((key, tree.is_mapping(current)));
            current = parent;
        }
        let mut context = Context::Document;
        for (key, is_mapping) in path.iter().rev() {
            context = match key {
                Some(key) => match context.child(key, *is_mapping) {
                    Some(child) => child,
                    None => return true,
                },
                None => Context::Document,
            };
        }
        context == Context::NameMap
    }

    /// Resolve one `$ref` string found in mapping `from`; records and returns the target.
    fn resolve_reference(&mut self, from: NodeRef, reference: &str) -> Option<NodeRef> {
        if let Some(state) = self.refs.get(&from) {
            return match state {
                RefState::Next(next) | RefState::Resolved { next, .. } => Some(*next),
                RefState::Broken => None,
            };
        }
        let target = self.find_target(from, reference);
        self.refs.insert(from, target.map_or(RefState::Broken, RefState::Next));
        target
    }

    fn find_target(&mut self, from: NodeRef, reference: &str) -> Option<NodeRef> {
        let parsed = RefTarget::parse(reference);
        if parsed.is_remote() {
            self.report_ref(
                from,
                InputProblem::RemoteRef,
                format!("`{reference}` is a remote reference; remote references are not fetched"),
            );
            return None;
        }
        if let Some(message) = unfollowed(reference, &parsed) {
            self.report_ref(from, InputProblem::UnresolvedRef, message);
            return None;
        }
        let file = if parsed.document.is_empty() {
            from.file
        } else {
            let base = self.file(from.file).map(|file| file.path.clone()).unwrap_or_default();
            let path = normalize(&base.parent().unwrap_or(Path::new("")).join(&parsed.document));
            if parsed.document.contains('\\') && std::path::MAIN_SEPARATOR != '\\' && path.symlink_metadata().is_err() {
                let message = format!(
                    "`{reference}`: there is no file `{}`; `\\` is not a path separator in a `$ref`: write `{}`",
                    self.display_name(&path),
                    parsed.document.replace('\\', "/")
                );
                self.report_ref(from, InputProblem::UnresolvedRef, message);
                return None;
            }
            if !sandbox::allows(&self.sandbox, &path) {
                self.report_ref(
                    from,
                    InputProblem::RefOutsideRoot,
                    format!("`{reference}` points outside the directories references may read (allow it with `refs.allowed_roots` in the configuration)"),
                );
                return None;
            }
            self.load_file(&path, Some(from))?
        };
        let Some(tokens) = parsed.pointer_tokens() else {
            self.report_ref(
                from,
                InputProblem::UnresolvedRef,
                format!("`{reference}`: plain-name fragments (`$anchor`) are not supported; use a JSON pointer"),
            );
            return None;
        };
        let tree = self.tree(file);
        // A file that failed to parse was reported where it failed.
        tree.root()?;
        match tree.lookup(tokens.iter().map(String::as_str)) {
            Some(node) => Some(NodeRef { file, node }),
            None => {
                let name = self.file(file).map(|file| file.name.clone()).unwrap_or_default();
                let message = if file == from.file {
                    format!("`{reference}` does not exist in this document")
                } else {
                    format!("`{reference}`: `#{}` does not exist in `{name}`", parsed.fragment)
                };
                self.report_ref(from, InputProblem::UnresolvedRef, message);
                None
            }
        }
    }

    /// Resolve every reference to where its chain ends, once, iteratively: each reference
    /// is visited once, however long the chains (a chain through 10,000 files costs 10,000
    /// steps, not 10,000² ones). A chain that leads back to itself resolves to nothing:
    /// each cycle is reported once, at its first reference in document order; the
    /// references that lead into a cycle or a broken reference resolve to nothing too.
    fn resolve_chains(&mut self) {
        let mut starts: Vec<NodeRef> = self.refs.keys().copied().collect();
        starts.sort_unstable();
        // The references of the chain being followed, and where each sits in it.
        let mut path: Vec<NodeRef> = Vec::new();
        let mut on_path: FxHashMap<NodeRef, usize> = FxHashMap::default();
        let mut cycles: Vec<Vec<NodeRef>> = Vec::new();
        for start in starts {
            path.clear();
            on_path.clear();
            let mut current = start;
            // Where the chain from `current` ends: (target, hops from `current`), or broken.
            let end: Option<(NodeRef, u32)> = loop {
                let next = match self.refs.get(&current) {
                    None => break Some((current, 0)),
                    Some(RefState::Broken) => break None,
                    Some(RefState::Resolved { target, hops, .. }) => break Some((*target, *hops)),
                    Some(RefState::Next(next)) => *next,
                };
                if let Some(&at) = on_path.get(&current) {
                    cycles.push(path.get(at..).unwrap_or(&[]).to_vec());
                    break None;
                }
                on_path.insert(current, path.len());
                path.push(current);
                current = next;
            };
            // Record the chain back to front: each reference is one hop further from the end.
            let mut hops_after = end.map(|(_, hops)| hops);
            let mut next_in_chain = current;
            for &hop in path.iter().rev() {
                let state = match (end, hops_after) {
                    (Some((target, _)), Some(hops)) => {
                        let hops = hops.saturating_add(1);
                        hops_after = Some(hops);
                        RefState::Resolved { next: next_in_chain, target, hops }
                    }
                    _ => RefState::Broken,
                };
                self.refs.insert(hop, state);
                next_in_chain = hop;
            }
        }
        for cycle in cycles {
            self.report_cycle(&cycle);
        }
    }

    /// One `circular-ref` finding for a cycle (its references in the order they lead).
    fn report_cycle(&mut self, cycle: &[NodeRef]) {
        // Start from the first reference in document order, keeping the cycle's order.
        let Some(first_at) = cycle.iter().enumerate().min_by_key(|(_, hop)| **hop).map(|(at, _)| at) else {
            return;
        };
        let ordered: Vec<NodeRef> = cycle.iter().cycle().skip(first_at).take(cycle.len()).copied().collect();
        let Some(&first) = ordered.first() else { return };
        let name =
            |hop: NodeRef| self.get(hop, "$ref").and_then(|value| self.str(value)).map(|text| format!("`{text}`"));
        let message = if ordered.len() == 1 {
            format!("{} refers to itself", name(first).unwrap_or_default())
        } else {
            let names: Vec<String> = ordered.iter().take(MAX_NAMED_IN_CYCLE).filter_map(|&hop| name(hop)).collect();
            if ordered.len() > MAX_NAMED_IN_CYCLE {
                format!(
                    "circular reference: {} → … ({} references in all) lead back to each other",
                    names.join(" → "),
                    ordered.len()
                )
            } else {
                format!("circular reference: {} lead back to each other", names.join(" → "))
            }
        };
        let rest = ordered.get(1..).unwrap_or(&[]);
        let mut related: Vec<Related> =
            rest.iter().take(MAX_RECORDED_CHAIN).filter_map(|&hop| self.reference_note(hop)).collect();
        if rest.len() > MAX_RECORDED_CHAIN {
            if let Some(mut note) = rest.last().and_then(|&hop| self.reference_note(hop)) {
                note.label = format!(
                    "{} (the last of the cycle; {} more references are not listed)",
                    note.label,
                    rest.len() - MAX_RECORDED_CHAIN - 1
                );
                related.push(note);
            }
        }
        self.report_ref(first, InputProblem::CircularRef, message);
        if let Some(last) = self.findings.last_mut() {
            last.related = related;
        }
    }
}

/// The problem id for a file that could not be read: `too-large` for an oversized one; a
/// missing `$ref` target is `unresolved-ref`; anything else `unreadable-file`.
fn read_problem(err: &ReadError, is_reference: bool) -> InputProblem {
    if is_reference && err.is_not_found() { InputProblem::UnresolvedRef } else { err.code() }
}

/// Why a reference is not followed at all, if it is one oaslint does not read: a URI
/// scheme other than http(s) (those are `remote-ref`), or a query string.
fn unfollowed(reference: &str, parsed: &RefTarget) -> Option<String> {
    if let Some(scheme) = parsed.scheme() {
        let hint = if scheme.eq_ignore_ascii_case("file") {
            "write the file as a path relative to this document"
        } else {
            "oaslint follows relative file paths and `#/` pointers only"
        };
        return Some(format!("`{reference}`: `{scheme}:` references are not followed; {hint}"));
    }
    if let Some(query) = parsed.query() {
        return Some(format!(
            "`{reference}`: a query string (`?{query}`) cannot be part of a file reference; oaslint reads files, not URLs"
        ));
    }
    None
}
