//! `oaslint lsp`: the language server, over standard input and output.
//!
//! A synchronous loop (`lsp-server`, the transport of rust-analyzer) owns the state: the
//! open documents, their text as an [`Overlay`] over the disk, and each project's
//! settings. Linting is CPU-bound and may take a large spec a few hundred milliseconds, so
//! it runs on one worker thread: the loop hands it a snapshot (the overlay and the
//! settings), keeps answering hovers and code actions meanwhile, and lints again once the
//! edits since have settled ([`DEBOUNCE`]). Results for a text the editor no longer has
//! are dropped; the next run brings the current ones.
//!
//! - Every open YAML or JSON document with a `file:` URI is linted as the command line
//!   would lint it named alone (with `--skip-non-openapi`): a root with what it
//!   references, a fragment through the roots of its project that reach it; a file that
//!   is neither gets no diagnostics. Open buffers override the disk, also for fragments.
//! - A project is the directory of the nearest `.oaslint.yaml` above the document (else
//!   the workspace folder holding it, else its directory); its configuration, ruleset,
//!   overrides and inline ignores apply as in the command line, reloaded when a watched
//!   `.oaslint.yaml` or ruleset file changes or is saved.

mod actions;
mod diagnostics;
mod hover;
mod position;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    CodeActionTriggerKind, Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, MarkupContent, MarkupKind, MessageType,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};

pub use position::{Encoding, Positions};

use crate::config::settings::{ConfigChoice, lint_settings};
use crate::config::{FILE_NAME, SettingsError, discover};
use crate::finding::{Applicability, Finding};
use crate::pipeline::{Inputs, PipelineError, Settings, lint_each};
use crate::resolve::{Overlay, normalize};
use crate::source::{LineIndex, SourceFile};

/// How long edits must pause before the documents are linted again. Short: a lint of a
/// large spec takes longer than this, and edits made while one runs are gathered anyway.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// Why the server stopped other than by the client's `shutdown` and `exit`.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    #[error("language server protocol error: {0}")]
    Protocol(#[from] ProtocolError),
    #[error("invalid message from the client")]
    Json(#[from] serde_json::Error),
    #[error("cannot read from or write to the client")]
    Io(#[from] std::io::Error),
}

/// How the session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `shutdown`, then `exit`, as the protocol asks.
    Shutdown,
    /// `exit` without `shutdown`, or the client went away: the protocol asks for exit code 1.
    Abrupt,
}

/// Serve one client over standard input and output.
pub fn run_stdio(choice: ConfigChoice) -> Result<Ending, LspError> {
    let (connection, threads) = Connection::stdio();
    let ending = serve(&connection, choice)?;
    drop(connection);
    threads.join()?;
    Ok(ending)
}

/// What the client may pass as `initializationOptions`: the command line's `--config` and
/// `--ruleset`, which win over flags given to `oaslint lsp`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct InitializationOptions {
    config: Option<PathBuf>,
    ruleset: Option<String>,
}

/// Serve one client over `connection` until it exits.
pub fn serve(connection: &Connection, mut choice: ConfigChoice) -> Result<Ending, LspError> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let encoding =
        Encoding::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
    let options: InitializationOptions =
        params.initialization_options.clone().and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default();
    let folders = workspace_folders(&params);
    if let Some(config) = options.config {
        let base = folders.first().cloned().unwrap_or_default();
        choice.config = Some(normalize(&base.join(config)));
    }
    if options.ruleset.is_some() {
        choice.ruleset = options.ruleset;
    }
    let result = InitializeResult { capabilities: capabilities(encoding), server_info: Some(server_info()) };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;

    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.did_change_watched_files)
        .and_then(|watched| watched.dynamic_registration)
        .unwrap_or(false);
    let mut server = Server::new(connection.sender.clone(), encoding, folders, choice);
    if watch {
        server.register_watchers();
    }
    server.run(connection)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::fix_all_kind()]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn server_info() -> ServerInfo {
    ServerInfo { name: "oaslint".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) }
}

/// The workspace folders' paths (the deprecated `rootUri` where a client sends no folders).
fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| actions::uri_path(&folder.uri))
        .map(|path| normalize(&path))
        .collect();
    #[allow(deprecated)]
    if folders.is_empty() {
        folders.extend(params.root_uri.as_ref().and_then(actions::uri_path).map(|path| normalize(&path)));
    }
    folders
}

/// An open document.
struct Document {
    uri: Url,
    text: Arc<str>,
    version: i32,
}

/// What was last published for a document: the findings located in it, from its text at
/// `version`.
struct Published {
    version: i32,
    findings: Vec<Finding>,
}

/// Where a document's configuration comes from: its file (none: defaults) and the
/// directory the project's globs and fragment searches start from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ProjectKey {
    config: Option<PathBuf>,
    dir: PathBuf,
}

/// A configuration that could not be loaded, as the editor shows it.
struct ConfigProblem {
    message: String,
    /// The file and its diagnostic, where the error has a place.
    located: Option<(Url, Diagnostic)>,
}

/// One lint run's input: the overlay and settings of each project, and which text of
/// each document it lints.
struct Job {
    projects: Vec<(Settings, Vec<PathBuf>)>,
    versions: HashMap<PathBuf, i32>,
}

/// What a lint run found: by file, the findings not suppressed.
struct JobResult {
    versions: HashMap<PathBuf, i32>,
    findings: HashMap<PathBuf, Vec<Finding>>,
    /// Runs that failed (a bad glob, a panic): said to the user.
    failures: Vec<String>,
}

struct Server {
    sender: Sender<Message>,
    encoding: Encoding,
    folders: Vec<PathBuf>,
    choice: ConfigChoice,
    /// By normalized path.
    documents: HashMap<PathBuf, Document>,
    overlay: Overlay,
    projects: HashMap<ProjectKey, Result<Settings, Arc<ConfigProblem>>>,
    published: HashMap<PathBuf, Published>,
    /// Configuration files showing an error now.
    config_diagnostics: HashSet<Url>,
    /// Messages shown already (each once, not at every keystroke).
    shown: HashSet<String>,
    /// When the next lint is due.
    due: Option<Instant>,
    jobs: Sender<Job>,
    results: Receiver<JobResult>,
    busy: bool,
    next_request: i32,
    /// The last document parsed for a hover, by path and version.
    hover_cache: Option<(PathBuf, i32, Arc<SourceFile>)>,
    /// `shutdown` came: only `exit` is expected now.
    shut_down: bool,
}

impl Server {
    fn new(sender: Sender<Message>, encoding: Encoding, folders: Vec<PathBuf>, choice: ConfigChoice) -> Server {
        let (jobs, job_receiver) = crossbeam_channel::unbounded::<Job>();
        let (result_sender, results) = crossbeam_channel::unbounded::<JobResult>();
        std::thread::Builder::new()
            .name("oaslint-lint".to_owned())
            .spawn(move || {
                for job in job_receiver {
                    if result_sender.send(lint_job(job)).is_err() {
                        break;
                    }
                }
            })
            .ok();
        Server {
            sender,
            encoding,
            folders,
            choice,
            documents: HashMap::new(),
            overlay: Overlay::default(),
            projects: HashMap::new(),
            published: HashMap::new(),
            config_diagnostics: HashSet::new(),
            shown: HashSet::new(),
            due: None,
            jobs,
            results,
            busy: false,
            next_request: 0,
            hover_cache: None,
            shut_down: false,
        }
    }

    fn run(&mut self, connection: &Connection) -> Result<Ending, LspError> {
        loop {
            let wait = match (self.due, self.busy) {
                (Some(due), false) => due.saturating_duration_since(Instant::now()),
                _ => Duration::from_secs(3600),
            };
            select! {
                recv(connection.receiver) -> message => {
                    let Ok(message) = message else { return Ok(Ending::Abrupt) };
                    match message {
                        Message::Request(request) => {
                            if self.shut_down {
                                let message = "the server is shutting down".to_owned();
                                self.send(Response::new_err(request.id, ErrorCode::InvalidRequest as i32, message));
                            } else if request.method == lsp_types::request::Shutdown::METHOD {
                                self.shut_down = true;
                                self.send(Response::new_ok(request.id, ()));
                            } else {
                                self.request(request);
                            }
                        }
                        Message::Notification(notification) => {
                            if notification.method == lsp_types::notification::Exit::METHOD {
                                return Ok(if self.shut_down { Ending::Shutdown } else { Ending::Abrupt });
                            }
                            self.notification(notification);
                        }
                        // Answers to our own requests (registering watchers): nothing to do.
                        Message::Response(_) => {}
                    }
                }
                recv(self.results) -> result => {
                    self.busy = false;
                    if let Ok(result) = result {
                        self.finish_lint(result);
                    }
                }
                default(wait) => {
                    if self.due.is_some() && !self.busy {
                        self.start_lint();
                    }
                }
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // A closed channel means the client is gone: the loop ends on its next receive.
        let _ = self.sender.send(message.into());
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params));
    }

    fn show_once(&mut self, kind: MessageType, message: String) {
        if self.shown.insert(message.clone()) {
            self.notify::<ShowMessage>(ShowMessageParams { typ: kind, message });
        }
    }

    fn register_watchers(&mut self) {
        let watchers = ["**/.oaslint.yaml", "**/*.{yaml,yml,json}"]
            .into_iter()
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_owned()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "oaslint-watched-files".to_owned(),
            method: DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.next_request += 1;
        let id = RequestId::from(format!("oaslint-{}", self.next_request));
        let params = RegistrationParams { registrations: vec![registration] };
        self.send(Request::new(id, RegisterCapability::METHOD.to_owned(), params));
    }

    // ---- requests ----

    /// Answer a request. A bug that panics while answering costs that answer (an internal
    /// error), not the session: the state is only read there, or replaced whole.
    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(request)));
        let response = answered.unwrap_or_else(|_| {
            let message = "oaslint failed to answer this request; please report it".to_owned();
            Response::new_err(id, ErrorCode::InternalError as i32, message)
        });
        self.send(response);
    }

    fn answer(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match request.method.as_str() {
            CodeActionRequest::METHOD => match serde_json::from_value::<CodeActionParams>(request.params) {
                Ok(params) => Response::new_ok(id, self.code_actions(&params)),
                Err(err) => invalid_params(id, &err),
            },
            HoverRequest::METHOD => match serde_json::from_value::<HoverParams>(request.params) {
                Ok(params) => Response::new_ok(id, self.hover(&params)),
                Err(err) => invalid_params(id, &err),
            },
            other => Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unknown request `{other}`")),
        }
    }

    /// The published findings of a document, while the editor still has the text they
    /// were found in.
    fn current_findings(&self, uri: &Url) -> Option<&[Finding]> {
        let path = normalize(&actions::uri_path(uri)?);
        let document = self.documents.get(&path)?;
        let published = self.published.get(&path)?;
        (published.version == document.version).then_some(published.findings.as_slice())
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(findings) = self.current_findings(&params.text_document.uri) else { return Vec::new() };
        let Some(file) = findings.first().map(|finding| &finding.primary.file) else { return Vec::new() };
        let positions = Positions::of_file(file, self.encoding);
        let start = positions.offset(params.range.start);
        let end = positions.offset(params.range.end);
        let only = params.context.only.as_deref();
        let mut result = Vec::new();
        if actions::wanted(&CodeActionKind::QUICKFIX, only) {
            let here: Vec<&Finding> = findings
                .iter()
                .filter(|finding| {
                    actions::touches(finding.primary.span, start, end)
                        || params
                            .context
                            .diagnostics
                            .iter()
                            .any(|diagnostic| actions::matches_diagnostic(finding, diagnostic, self.encoding))
                })
                .collect();
            result.extend(actions::quick_fixes(&here, self.encoding));
        }
        // Fixing all re-lints until each fix is confirmed: only when asked for by kind, or
        // when the user opened the menu (not for the light bulb at every cursor move).
        let automatic = params.context.trigger_kind == Some(CodeActionTriggerKind::AUTOMATIC);
        let asked = match only {
            Some(_) => actions::wanted(&actions::fix_all_kind(), only),
            None => !automatic,
        };
        let fixable = findings
            .iter()
            .any(|finding| finding.fix.as_ref().is_some_and(|fix| fix.applicability == Applicability::Safe));
        if asked && fixable {
            result.extend(self.fix_all(&params.text_document.uri));
        }
        result.into_iter().map(CodeActionOrCommand::CodeAction).collect()
    }

    fn fix_all(&mut self, uri: &Url) -> Option<CodeAction> {
        let path = normalize(&actions::uri_path(uri)?);
        let current = Arc::clone(&self.documents.get(&path)?.text);
        let overlay = self.overlay.clone();
        let mut settings = self.settings_for(&path).ok()?.clone();
        settings.load.overlay = overlay;
        actions::fix_all(uri, &path, &current, &settings, self.encoding)
    }

    fn hover(&mut self, params: &HoverParams) -> Option<Hover> {
        let uri = &params.text_document_position_params.text_document.uri;
        let position = params.text_document_position_params.position;
        let path = normalize(&actions::uri_path(uri)?);
        // Read as linting reads it (the configuration's size limit and YAML strictness).
        let limits = self.settings_for(&path).map(|settings| settings.load.limits).unwrap_or_default();
        let document = self.documents.get(&path)?;
        let file = match &self.hover_cache {
            Some((cached, version, file)) if *cached == path && *version == document.version => Arc::clone(file),
            _ => {
                let (file, _) =
                    SourceFile::parse(path.clone(), String::new(), document.text.as_bytes().to_vec(), &limits);
                let file = Arc::new(file);
                self.hover_cache = Some((path.clone(), document.version, Arc::clone(&file)));
                file
            }
        };
        let offset = Positions::of_file(&file, self.encoding).offset(position) as u32;
        let mut sections = Vec::new();
        let mut range = None;
        if let Some((span, code)) = hover::status_key_at(&file.tree, offset) {
            if let Ok(settings) = self.settings_for(&path) {
                sections.push(hover::code_row(&settings.ruleset, &code));
                range = Some(Positions::of_file(&file, self.encoding).range(span));
            }
        }
        if let Some(findings) = self.current_findings(uri) {
            let here: Vec<&Finding> = findings
                .iter()
                .filter(|finding| actions::touches(finding.primary.span, offset as usize, offset as usize))
                .collect();
            sections.extend(hover::explanations(&here));
        }
        (!sections.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: sections.join("\n\n---\n\n"),
            }),
            range,
        })
    }

    // ---- notifications ----

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(notification.params) {
                    let document = params.text_document;
                    if let Some(path) = lintable(&document.uri, &document.language_id) {
                        let text = Arc::<str>::from(document.text);
                        self.overlay.insert(&path, Arc::clone(&text));
                        self.documents.insert(path, Document { uri: document.uri, text, version: document.version });
                        self.lint_now();
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(notification.params) {
                    self.change(params);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidSaveTextDocumentParams>(notification.params) {
                    if let Some(path) = actions::uri_path(&params.text_document.uri) {
                        if self.is_settings_file(&path) {
                            self.projects.clear();
                        }
                    }
                    self.lint_now();
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(notification.params) {
                    let uri = params.text_document.uri;
                    if let Some(path) = actions::uri_path(&uri).map(|path| normalize(&path)) {
                        if self.documents.remove(&path).is_some() {
                            self.overlay.remove(&path);
                            self.published.remove(&path);
                            self.publish(uri, Vec::new(), None);
                            // Other documents may read the closed one: from disk now.
                            self.lint_soon();
                        }
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidChangeWatchedFilesParams>(notification.params) {
                    let paths: Vec<PathBuf> =
                        params.changes.iter().filter_map(|change| actions::uri_path(&change.uri)).collect();
                    if paths.iter().any(|path| self.is_settings_file(path)) {
                        self.projects.clear();
                    }
                    if !paths.is_empty() {
                        self.lint_soon();
                    }
                }
            }
            _ => {}
        }
    }

    fn change(&mut self, params: DidChangeTextDocumentParams) {
        let Some(path) = actions::uri_path(&params.text_document.uri).map(|path| normalize(&path)) else { return };
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(&path) else { return };
        let mut text = String::from(&*document.text);
        for change in params.content_changes {
            match change.range {
                Some(range) => {
                    let lines = LineIndex::new(&text);
                    let positions = Positions::new(&text, &lines, encoding);
                    let start = positions.offset(range.start);
                    let end = positions.offset(range.end).max(start);
                    text.replace_range(start..end, &change.text);
                }
                None => text = change.text,
            }
        }
        document.text = Arc::from(text);
        document.version = params.text_document.version;
        let text = Arc::clone(&document.text);
        self.overlay.insert(&path, text);
        self.lint_soon();
    }

    /// Whether a file is a configuration or a ruleset file some project read.
    fn is_settings_file(&self, path: &Path) -> bool {
        let path = normalize(path);
        path.file_name().is_some_and(|name| name == FILE_NAME)
            || self
                .projects
                .values()
                .flatten()
                .any(|settings| settings.read.iter().any(|(name, _)| normalize(&settings.cwd.join(name)) == path))
    }

    // ---- linting ----

    fn lint_now(&mut self) {
        self.due = Some(Instant::now());
    }

    fn lint_soon(&mut self) {
        self.due = Some(Instant::now() + DEBOUNCE);
    }

    /// The project a document belongs to.
    fn project_key(&self, path: &Path) -> ProjectKey {
        let config = match &self.choice.config {
            Some(config) => Some(config.clone()),
            None if self.choice.no_config => None,
            None => path.parent().and_then(discover).map(|config| normalize(&config)),
        };
        let dir = match &config {
            Some(config) => config.parent().map(Path::to_path_buf).unwrap_or_default(),
            None => self
                .folders
                .iter()
                .filter(|folder| path.starts_with(folder))
                .max_by_key(|folder| folder.as_os_str().len())
                .cloned()
                .unwrap_or_else(|| path.parent().map(Path::to_path_buf).unwrap_or_default()),
        };
        ProjectKey { config, dir }
    }

    fn settings_for(&mut self, path: &Path) -> Result<&Settings, Arc<ConfigProblem>> {
        let key = self.project_key(path);
        let choice = ConfigChoice {
            config: key.config.clone(),
            no_config: key.config.is_none(),
            ruleset: self.choice.ruleset.clone(),
        };
        let dir = key.dir.clone();
        self.projects
            .entry(key)
            .or_insert_with(|| lint_settings(&choice, &dir).map_err(|err| Arc::new(config_problem(&err))))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn start_lint(&mut self) {
        self.due = None;
        let mut groups: HashMap<ProjectKey, (Settings, Vec<PathBuf>)> = HashMap::new();
        let mut versions = HashMap::new();
        let mut problems: Vec<Arc<ConfigProblem>> = Vec::new();
        let paths: Vec<PathBuf> = self.documents.keys().cloned().collect();
        for path in paths {
            let key = self.project_key(&path);
            let overlay = self.overlay.clone();
            match self.settings_for(&path) {
                Ok(settings) => {
                    let group = groups.entry(key).or_insert_with(|| {
                        let mut settings = settings.clone();
                        settings.load.overlay = overlay;
                        (settings, Vec::new())
                    });
                    group.1.push(path.clone());
                }
                Err(problem) => problems.push(problem),
            }
            if let Some(document) = self.documents.get(&path) {
                versions.insert(path, document.version);
            }
        }
        self.show_config_problems(problems);
        let mut projects: Vec<(Settings, Vec<PathBuf>)> = groups.into_values().collect();
        for (_, paths) in &mut projects {
            paths.sort();
        }
        if self.jobs.send(Job { projects, versions }).is_ok() {
            self.busy = true;
        }
    }

    fn show_config_problems(&mut self, problems: Vec<Arc<ConfigProblem>>) {
        let mut located: HashMap<Url, Vec<Diagnostic>> = HashMap::new();
        for problem in problems {
            if let Some((uri, diagnostic)) = &problem.located {
                let diagnostics = located.entry(uri.clone()).or_default();
                if !diagnostics.contains(diagnostic) {
                    diagnostics.push(diagnostic.clone());
                }
            }
            self.show_once(MessageType::ERROR, format!("oaslint: {}", problem.message));
        }
        let stale: Vec<Url> =
            self.config_diagnostics.iter().filter(|uri| !located.contains_key(*uri)).cloned().collect();
        for uri in stale {
            self.config_diagnostics.remove(&uri);
            self.publish(uri, Vec::new(), None);
        }
        for (uri, diagnostics) in located {
            self.config_diagnostics.insert(uri.clone());
            self.publish(uri, diagnostics, None);
        }
    }

    fn finish_lint(&mut self, result: JobResult) {
        for failure in result.failures {
            self.show_once(MessageType::ERROR, format!("oaslint: {failure}"));
        }
        let mut findings = result.findings;
        for (path, version) in result.versions {
            let Some(document) = self.documents.get(&path) else { continue };
            if document.version != version {
                // Edited meanwhile: the next run publishes for the current text.
                continue;
            }
            let found = findings.remove(&path).unwrap_or_default();
            let diagnostics = found.iter().map(|finding| diagnostics::diagnostic(finding, self.encoding)).collect();
            let uri = document.uri.clone();
            self.publish(uri, diagnostics, Some(version));
            self.published.insert(path, Published { version, findings: found });
        }
    }

    fn publish(&self, uri: Url, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams { uri, diagnostics, version });
    }
}

/// The path of a document oaslint lints: a `file:` URI of a YAML or JSON document.
fn lintable(uri: &Url, language: &str) -> Option<PathBuf> {
    let path = normalize(&actions::uri_path(uri)?);
    let extension = path.extension().and_then(|extension| extension.to_str()).map(str::to_ascii_lowercase);
    let by_extension = extension.is_some_and(|extension| ["yaml", "yml", "json"].contains(&extension.as_str()));
    let by_language = ["yaml", "json", "jsonc", "openapi", "openapi-yaml", "openapi-json"].contains(&language);
    (by_extension || by_language).then_some(path)
}

fn invalid_params(id: RequestId, err: &serde_json::Error) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, err.to_string())
}

/// A settings error as a diagnostic on the configuration or ruleset file, where located.
fn config_problem(err: &SettingsError) -> ConfigProblem {
    let located = err.location().and_then(|location| {
        let uri = diagnostics::file_uri(&normalize(&location.file.path))?;
        let range = Positions::of_file(&location.file, Encoding::Utf16).range(location.span);
        let diagnostic = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(diagnostics::SOURCE.to_owned()),
            message: err.to_string(),
            ..Diagnostic::default()
        };
        Some((uri, diagnostic))
    });
    ConfigProblem { message: err.to_string(), located }
}

/// Lint every project's documents; a panic in a check is caught and reported, so the
/// server keeps serving.
fn lint_job(job: Job) -> JobResult {
    let mut findings: HashMap<PathBuf, Vec<Finding>> = HashMap::new();
    let mut failures = Vec::new();
    for (settings, paths) in &job.projects {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let inputs = Inputs { paths, stdin_filename: None, skip_non_openapi: true };
            let mut found: Vec<Finding> = Vec::new();
            let outcome = lint_each(&inputs, settings, |batch| {
                found.extend(batch.findings.into_iter().filter(|finding| !finding.is_suppressed()));
                Ok::<(), PipelineError>(())
            });
            (found, outcome)
        }));
        match run {
            Ok((found, outcome)) => {
                if let Err(err) = outcome {
                    failures.push(err.to_string());
                }
                for finding in found {
                    findings.entry(normalize(&finding.primary.file.path)).or_default().push(finding);
                }
            }
            Err(_) => failures.push("linting stopped on an internal error; please report it".to_owned()),
        }
    }
    JobResult { versions: job.versions, findings, failures }
}
