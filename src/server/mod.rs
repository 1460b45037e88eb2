//! `spec-check server`: a Language Server Protocol server over stdin/stdout, for findings
//! while you type.
//!
//! Built on `lsp-server` (the synchronous scaffold rust-analyzer uses) and `lsp-types`, not on
//! `tower-lsp`: checking a document is CPU work of a few milliseconds with nothing to await,
//! so an async runtime (tokio and its dependencies) would add build time and binary size and
//! buy nothing. One thread runs the server loop; a second only reads and frames input
//! (`transport`, which, unlike lsp-server's own stdio transport, survives a malformed
//! message).
//!
//! What it does:
//! - **Diagnostics** on open and save at once, on change after a short debounce (100 ms, or
//!   `initializationOptions.debounceMs`), for the documents the configured packs apply to,
//!   with the CLI's configuration discovery, rule selection, severities and suppression
//!   comments (`project`). Cross-document rules read the workspace: open buffers first, then
//!   the disk; opening, saving or closing a document (or a watched file changing) re-checks
//!   every open document.
//! - Each diagnostic has the rule code, a `codeDescription` link to the rule's anchor in
//!   `docs/rules.md`, its help, and its related locations.
//! - **Code actions:** a finding's safe fix (preferred) and unsafe fix (titled as such), a
//!   "disable for this line" suppression comment written as `spec-check suppress` writes
//!   them, and a `source.fixAll.spec-check` action that applies every safe fix as `--fix`
//!   does.
//! - **Hover** over a finding shows its rule's documentation.
//! - A changed configuration (`spec-check.toml`, pack files) is noticed without a restart
//!   (file watching when the client offers it, and a stamp check every second); a broken one
//!   is one diagnostic on the file at fault, and the documents show nothing until it loads.
//! - **Positions** are in the encoding negotiated with the client: UTF-8 when it offers
//!   that, else UTF-16 (`position`).

mod position;
mod project;
pub mod transport;
mod uri;

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde_json::Value;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;
use crate::source::{Origin, SourceFile, Workspace};
use crate::{EngineOptions, check_file};

pub use position::{Encoding, LineIndex};
use project::{ConfigProblem, Project, Projects};
pub use transport::Incoming;

/// The kind of the "apply every safe fix" action (`source.fixAll` selects it).
pub const FIX_ALL_KIND: &str = "source.fixAll.spec-check";

/// How long a change waits for the next keystroke before the document is checked.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(100);

/// How often the configuration's files are looked at for changes.
const POLL: Duration = Duration::from_secs(1);

/// Serve one client on `input` / `output` until it says `exit` or the input ends. Returns
/// the process exit status: 0 after `shutdown` then `exit`, 1 otherwise (as LSP specifies).
pub fn serve(input: impl BufRead + Send + 'static, output: impl Write) -> io::Result<u8> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("spec-check-lsp-reader".into())
        .spawn(move || transport::read_loop(input, |m| tx.send(m).is_ok()))?;
    let mut server = Server::new(output);
    loop {
        let incoming = match server.next_wakeup(Instant::now()) {
            Some(wait) => match rx.recv_timeout(wait) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => Some(Incoming::Closed),
            },
            None => Some(rx.recv().unwrap_or(Incoming::Closed)),
        };
        let exit = match incoming {
            Some(m) => server.handle(m)?,
            None => None,
        };
        if let Some(code) = exit {
            return Ok(code);
        }
        server.tick(Instant::now())?;
    }
}

/// A document the editor has open.
struct OpenDocument {
    uri: lsp::Uri,
    path: PathBuf,
    version: i32,
    text: String,
    lines: LineIndex,
    /// The last check's findings on `text` (empty when stale or not checked).
    diagnostics: Vec<Diagnostic>,
    /// The project of the last check.
    project: Option<Arc<Project>>,
    /// The document's path as checked (relative to the project root).
    checked_as: PathBuf,
}

/// The server's state; [`serve`] drives it, benchmarks drive it directly.
pub struct Server<W: Write> {
    out: W,
    initialized: bool,
    shutdown: bool,
    encoding: Encoding,
    debounce: Duration,
    folders: Vec<PathBuf>,
    documents: HashMap<String, OpenDocument>,
    /// Documents to check and when.
    due: HashMap<String, Instant>,
    projects: Projects,
    /// Configuration files with a problem published on them.
    broken: HashMap<PathBuf, (lsp::Uri, ConfigProblem)>,
    last_poll: Instant,
    watch_files: bool,
    supports_create: bool,
    next_request: u32,
}

impl<W: Write> Server<W> {
    pub fn new(out: W) -> Self {
        Server {
            out,
            initialized: false,
            shutdown: false,
            encoding: Encoding::Utf16,
            debounce: DEFAULT_DEBOUNCE,
            folders: Vec::new(),
            documents: HashMap::new(),
            due: HashMap::new(),
            projects: Projects::default(),
            broken: HashMap::new(),
            last_poll: Instant::now(),
            watch_files: false,
            supports_create: false,
            next_request: 0,
        }
    }

    /// How long the loop may wait for input before [`Server::tick`] has work.
    pub fn next_wakeup(&self, now: Instant) -> Option<Duration> {
        let poll = (!self.documents.is_empty()).then(|| self.last_poll + POLL);
        self.due
            .values()
            .copied()
            .chain(poll)
            .min()
            .map(|t| t.saturating_duration_since(now))
    }

    /// Check the documents whose debounce ran out, and reload changed configuration.
    pub fn tick(&mut self, now: Instant) -> io::Result<()> {
        if now >= self.last_poll + POLL {
            self.last_poll = now;
            if self.projects.stale() {
                self.projects.clear();
                self.schedule_all(now);
            }
        }
        let mut ready: Vec<String> = self
            .due
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(u, _)| u.clone())
            .collect();
        ready.sort();
        for uri in ready {
            self.due.remove(&uri);
            self.check(&uri)?;
        }
        Ok(())
    }

    /// Handle one incoming message. `Some(status)` when the server should exit.
    pub fn handle(&mut self, incoming: Incoming) -> io::Result<Option<u8>> {
        match incoming {
            Incoming::Closed => Ok(Some(if self.shutdown { 0 } else { 1 })),
            Incoming::Malformed { code, id, error } => {
                self.log(lsp::MessageType::ERROR, &format!("spec-check: {error}"))?;
                transport::write_error(&mut self.out, id, code, &error)?;
                Ok(None)
            }
            Incoming::Message { message, lossy } => {
                if lossy {
                    self.log(
                        lsp::MessageType::WARNING,
                        "spec-check: a message from the editor held bytes that are not UTF-8; they were replaced with U+FFFD (check the editor's file encoding)",
                    )?;
                }
                match message {
                    Message::Request(r) => {
                        self.request(r)?;
                        Ok(None)
                    }
                    Message::Notification(n) => self.notification(n),
                    Message::Response(_) => Ok(None),
                }
            }
        }
    }

    fn send(&mut self, message: Message) -> io::Result<()> {
        transport::write(&mut self.out, &message)
    }

    fn notify<N: lsp::notification::Notification>(&mut self, params: N::Params) -> io::Result<()> {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )))
    }

    fn log(&mut self, typ: lsp::MessageType, message: &str) -> io::Result<()> {
        self.notify::<lsp::notification::LogMessage>(lsp::LogMessageParams {
            typ,
            message: message.to_string(),
        })
    }

    fn reply(
        &mut self,
        id: RequestId,
        result: Result<Value, (ErrorCode, String)>,
    ) -> io::Result<()> {
        let response = match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response))
    }

    fn request(&mut self, r: Request) -> io::Result<()> {
        let id = r.id.clone();
        if !self.initialized && r.method != lsp::request::Initialize::METHOD {
            return self.reply(
                id,
                Err((
                    ErrorCode::ServerNotInitialized,
                    format!("`{}` before `initialize`", r.method),
                )),
            );
        }
        if self.shutdown {
            return self.reply(
                id,
                Err((
                    ErrorCode::InvalidRequest,
                    format!("`{}` after `shutdown`; send `exit`", r.method),
                )),
            );
        }
        let result = match r.method.as_str() {
            lsp::request::Initialize::METHOD if self.initialized => Err((
                ErrorCode::InvalidRequest,
                "`initialize` was already received".to_string(),
            )),
            lsp::request::Initialize::METHOD => params(r.params)
                .map(|p| serde_json::to_value(self.initialize(p)).unwrap_or_default()),
            lsp::request::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            lsp::request::CodeActionRequest::METHOD => match params(r.params) {
                Ok(p) => self
                    .code_actions(p)
                    .map(|a| serde_json::to_value(a).unwrap_or_default()),
                Err(e) => Err(e),
            },
            lsp::request::HoverRequest::METHOD => match params(r.params) {
                Ok(p) => self
                    .hover(p)
                    .map(|h| serde_json::to_value(h).unwrap_or_default()),
                Err(e) => Err(e),
            },
            other => Err((
                ErrorCode::MethodNotFound,
                format!("spec-check's language server does not handle `{other}`"),
            )),
        };
        self.reply(id, result)
    }

    fn notification(&mut self, n: Notification) -> io::Result<Option<u8>> {
        use lsp::notification as note;
        if n.method == note::Exit::METHOD {
            return Ok(Some(if self.shutdown { 0 } else { 1 }));
        }
        if !self.initialized {
            return Ok(None);
        }
        let now = Instant::now();
        let method = n.method.clone();
        let result: Result<(), (ErrorCode, String)> = match method.as_str() {
            note::Initialized::METHOD => self.register_watchers().map_err(io_error),
            note::DidOpenTextDocument::METHOD => params(n.params).and_then(|p| {
                let uri = self.did_open(p);
                self.check(&uri).map_err(io_error)?;
                // the others may read the new buffer (a prerequisite, the status file)
                self.schedule_all(now);
                self.due.remove(&uri);
                Ok(())
            }),
            note::DidChangeTextDocument::METHOD => {
                params(n.params).map(|p| self.did_change(p, now))
            }
            note::DidSaveTextDocument::METHOD => {
                params::<lsp::DidSaveTextDocumentParams>(n.params).map(|_| {
                    // other documents may read this one (prerequisites, the status file)
                    self.schedule_all(now);
                })
            }
            note::DidCloseTextDocument::METHOD => params(n.params).and_then(|p| self.did_close(p)),
            note::DidChangeWatchedFiles::METHOD => {
                params::<lsp::DidChangeWatchedFilesParams>(n.params).map(|_| {
                    self.projects.clear();
                    self.schedule_all(now);
                })
            }
            note::DidChangeConfiguration::METHOD => {
                self.projects.clear();
                self.schedule_all(now);
                Ok(())
            }
            note::DidChangeWorkspaceFolders::METHOD => {
                params::<lsp::DidChangeWorkspaceFoldersParams>(n.params).map(|p| {
                    for f in p.event.removed {
                        if let Some(path) = uri::to_path(f.uri.as_str()).map(|p| canonical(&p)) {
                            self.folders.retain(|x| *x != path);
                        }
                    }
                    for f in p.event.added {
                        self.folders
                            .extend(uri::to_path(f.uri.as_str()).map(|p| canonical(&p)));
                    }
                    self.projects.clear();
                    self.schedule_all(now);
                })
            }
            _ => Ok(()), // `$/cancelRequest`, `$/setTrace`, and what we do not handle
        };
        if let Err((_, message)) = result {
            self.log(
                lsp::MessageType::ERROR,
                &format!("spec-check: `{method}`: {message}"),
            )?;
        }
        Ok(None)
    }
}

/// Requests and notifications, one method each.
impl<W: Write> Server<W> {
    fn initialize(&mut self, p: lsp::InitializeParams) -> lsp::InitializeResult {
        self.initialized = true;
        self.encoding = Encoding::negotiate(
            p.capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        if let Some(ms) = p
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("debounceMs"))
            .and_then(Value::as_u64)
        {
            self.debounce = Duration::from_millis(ms);
        }
        let workspace = p.capabilities.workspace.as_ref();
        self.watch_files = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.supports_create = workspace
            .and_then(|w| w.workspace_edit.as_ref())
            .is_some_and(|e| {
                e.document_changes == Some(true)
                    && e.resource_operations
                        .as_ref()
                        .is_some_and(|ops| ops.contains(&lsp::ResourceOperationKind::Create))
            });
        #[allow(deprecated)] // rootUri: older clients send only this
        let root = p.root_uri.as_ref().and_then(|u| uri::to_path(u.as_str()));
        self.folders = match &p.workspace_folders {
            Some(f) if !f.is_empty() => f
                .iter()
                .filter_map(|f| uri::to_path(f.uri.as_str()))
                .collect(),
            _ => root.into_iter().collect(),
        };
        self.folders = self.folders.iter().map(|f| canonical(f)).collect();
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp::CodeActionKind::QUICKFIX,
                        lsp::CodeActionKind::new(FIX_ALL_KIND),
                    ]),
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                },
            )),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            ..Default::default()
        };
        lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: "spec-check".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        }
    }

    /// Ask the client to tell us when configuration, pack or markdown files change.
    fn register_watchers(&mut self) -> io::Result<()> {
        if !self.watch_files {
            return Ok(());
        }
        let watchers: Vec<Value> = ["**/*.toml", "**/*.md", "**/.vibe-status.md"]
            .iter()
            .map(|g| serde_json::json!({ "globPattern": g }))
            .collect();
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "spec-check-watched-files".to_string(),
                method: lsp::notification::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: Some(serde_json::json!({ "watchers": watchers })),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("spec-check-{}", self.next_request));
        self.send(Message::Request(Request::new(
            id,
            lsp::request::RegisterCapability::METHOD.to_string(),
            params,
        )))
    }

    fn did_open(&mut self, p: lsp::DidOpenTextDocumentParams) -> String {
        let d = p.text_document;
        let key = d.uri.as_str().to_string();
        // an `untitled:` buffer has no path, and is never checked
        let path = uri::to_path(d.uri.as_str())
            .map(|p| canonical(&p))
            .unwrap_or_default();
        self.documents.insert(
            key.clone(),
            OpenDocument {
                uri: d.uri,
                path,
                version: d.version,
                lines: LineIndex::new(&d.text),
                text: d.text,
                diagnostics: Vec::new(),
                project: None,
                checked_as: PathBuf::new(),
            },
        );
        key
    }

    fn did_change(&mut self, p: lsp::DidChangeTextDocumentParams, now: Instant) {
        let key = p.text_document.uri.as_str().to_string();
        let enc = self.encoding;
        let Some(doc) = self.documents.get_mut(&key) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let start = doc.lines.offset(&doc.text, range.start, enc);
                    let end = doc.lines.offset(&doc.text, range.end, enc).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
            doc.lines = LineIndex::new(&doc.text);
        }
        doc.version = p.text_document.version;
        // findings of the old text no longer line up
        doc.diagnostics.clear();
        self.due.insert(key, now + self.debounce);
    }

    fn did_close(&mut self, p: lsp::DidCloseTextDocumentParams) -> Result<(), (ErrorCode, String)> {
        let key = p.text_document.uri.as_str().to_string();
        self.due.remove(&key);
        if let Some(doc) = self.documents.remove(&key) {
            self.publish(doc.uri, None, Vec::new()).map_err(io_error)?;
            // a document others read may be gone from the buffers
            self.schedule_all(Instant::now());
        }
        Ok(())
    }

    fn schedule_all(&mut self, now: Instant) {
        for key in self.documents.keys() {
            let at = self.due.get(key).copied().unwrap_or(now).min(now);
            self.due.insert(key.clone(), at);
        }
    }

    /// Check one open document now and publish its findings.
    fn check(&mut self, key: &str) -> io::Result<()> {
        let Some(doc) = self.documents.get(key) else {
            return Ok(());
        };
        if doc.path.as_os_str().is_empty() {
            let (uri, version) = (doc.uri.clone(), doc.version);
            return self.publish(uri, Some(version), Vec::new());
        }
        let path = doc.path.clone();
        let project = self.projects.for_document(&path, &self.folders);
        let outcome = match &project {
            Ok(p) => self.run_checks(key, p),
            Err(_) => None,
        };
        self.sync_config_problems()?;
        let enc = self.encoding;
        let Some(doc) = self.documents.get_mut(key) else {
            return Ok(());
        };
        let (diagnostics, checked_as) = outcome.unwrap_or_default();
        doc.diagnostics = diagnostics;
        doc.project = project.ok();
        doc.checked_as = checked_as;
        let lsp_diagnostics: Vec<lsp::Diagnostic> = match &doc.project {
            Some(p) => doc
                .diagnostics
                .iter()
                .map(|d| to_lsp(d, doc, p, enc))
                .collect(),
            None => Vec::new(),
        };
        let (uri, version) = (doc.uri.clone(), doc.version);
        self.publish(uri, Some(version), lsp_diagnostics)
    }

    /// The open document as the engine reads it (under `path`), and the workspace it sees:
    /// the project's files, with the editor's unsaved buffers in front of them.
    fn editor_input<'a>(
        &'a self,
        path: PathBuf,
        doc: &OpenDocument,
        project: &'a Project,
    ) -> (SourceFile, EditorWorkspace<'a>) {
        let source = SourceFile {
            path,
            text: doc.text.clone(),
            origin: Origin::Editor,
            explicit: false,
        };
        let workspace = EditorWorkspace {
            root: &project.root,
            documents: &self.documents,
        };
        (source, workspace)
    }

    /// The findings of the open document `key` under `project` (`None`: not checked — no pack
    /// applies, or the configuration excludes it), with the path it was checked under.
    fn run_checks(&self, key: &str, project: &Project) -> Option<(Vec<Diagnostic>, PathBuf)> {
        let doc = self.documents.get(key)?;
        let filter = project.settings.filter();
        if filter.excludes(&doc.path) || !filter.includes(&doc.path) {
            return None;
        }
        let rel = doc
            .path
            .strip_prefix(&project.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| doc.path.clone());
        let (source, workspace) = self.editor_input(rel.clone(), doc, project);
        let opts = EngineOptions {
            threads: 1,
            suppression: project.settings.suppression(),
            language: project.settings.language.value,
            ..EngineOptions::default()
        };
        // a checker's bug must not take the editor's linter down with it
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_file(&project.packs, &source, &workspace, &opts)
        }));
        match result {
            Ok((report, diagnostics)) if report.checked => Some((diagnostics, rel)),
            _ => None,
        }
    }

    fn publish(
        &mut self,
        uri: lsp::Uri,
        version: Option<i32>,
        diagnostics: Vec<lsp::Diagnostic>,
    ) -> io::Result<()> {
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        })
    }

    /// One diagnostic on each configuration or pack file that failed to load (published
    /// when it appears or changes); cleared once it loads.
    fn sync_config_problems(&mut self) -> io::Result<()> {
        let mut problems: Vec<ConfigProblem> = self.projects.problems().cloned().collect();
        problems.dedup_by(|a, b| a.path == b.path);
        let fixed: Vec<PathBuf> = self
            .broken
            .keys()
            .filter(|p| !problems.iter().any(|x| &x.path == *p))
            .cloned()
            .collect();
        for path in fixed {
            if let Some((uri, _)) = self.broken.remove(&path) {
                self.publish(uri, None, Vec::new())?;
            }
        }
        for problem in problems {
            if self
                .broken
                .get(&problem.path)
                .is_some_and(|(_, p)| *p == problem)
            {
                continue;
            }
            let Some(uri) = self.uri_of(&problem.path) else {
                continue;
            };
            let range = match &problem.span {
                Some(span) if !problem.text.is_empty() => {
                    LineIndex::new(&problem.text).range(&problem.text, span.clone(), self.encoding)
                }
                _ => lsp::Range::default(),
            };
            let diagnostic = lsp::Diagnostic {
                range,
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                source: Some("spec-check".to_string()),
                message: format!(
                    "{}\nspec-check checks no document until this loads",
                    problem.message
                ),
                ..Default::default()
            };
            self.log(
                lsp::MessageType::ERROR,
                &format!("spec-check: {}", problem.message),
            )?;
            self.broken
                .insert(problem.path.clone(), (uri.clone(), problem));
            self.publish(uri, None, vec![diagnostic])?;
        }
        Ok(())
    }

    /// Run a pending check of `key` now, so a request sees findings of the current text.
    fn settle(&mut self, key: &str) -> io::Result<()> {
        if self.due.remove(key).is_some() {
            self.check(key)?;
        }
        Ok(())
    }

    fn code_actions(
        &mut self,
        p: lsp::CodeActionParams,
    ) -> Result<Vec<lsp::CodeActionOrCommand>, (ErrorCode, String)> {
        let key = p.text_document.uri.as_str().to_string();
        self.settle(&key).map_err(io_error)?;
        let enc = self.encoding;
        let Some(doc) = self.documents.get(&key) else {
            return Ok(Vec::new());
        };
        let Some(project) = doc.project.clone() else {
            return Ok(Vec::new());
        };
        let wanted = |kind: &str| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    let o = o.as_str();
                    kind == o
                        || kind
                            .strip_prefix(o)
                            .is_some_and(|rest| rest.starts_with('.'))
                })
            })
        };
        let start = doc.lines.offset(&doc.text, p.range.start, enc);
        let end = doc.lines.offset(&doc.text, p.range.end, enc);
        let here: Vec<&Diagnostic> = doc
            .diagnostics
            .iter()
            .filter(|d| d.start.byte <= end && start <= d.end.byte)
            .collect();
        let mut actions = Vec::new();
        if wanted(lsp::CodeActionKind::QUICKFIX.as_str()) {
            for d in &here {
                let Some(fix) = d.fix() else { continue };
                let title = match fix.applicability {
                    Applicability::Safe => format!("{} ({})", fix.title, d.code),
                    Applicability::Unsafe => {
                        format!("{} ({}, unsafe fix: review the change)", fix.title, d.code)
                    }
                    Applicability::DisplayOnly => continue,
                };
                let Some(edit) = self.fix_edit(doc, &project, fix) else {
                    continue;
                };
                actions.push(lsp::CodeAction {
                    title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(d, doc, &project, enc)]),
                    edit: Some(edit),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..Default::default()
                });
            }
            // suppression comments cannot silence the engine's findings about them
            let engine = |code: &str| crate::suppress::RULES.iter().any(|r| r.code == code);
            let silenceable: Vec<&Diagnostic> =
                here.iter().copied().filter(|d| !engine(&d.code)).collect();
            let parsed = (!silenceable.is_empty())
                .then(|| Document::parse(doc.checked_as.clone(), doc.text.clone()));
            let reason = project
                .settings
                .require_suppression_reason
                .value
                .then_some("why this finding does not apply");
            for (d, parsed) in silenceable.iter().zip(std::iter::repeat(parsed.as_ref())) {
                let Some(parsed) = parsed else { break };
                let new = crate::suppress::insert_comments_with(parsed, &[d], reason);
                let edit = minimal_edit(&doc.text, &new, &doc.lines, enc);
                let scope = if edit.new_text.contains("spec-check-disable-file") {
                    "this file"
                } else if edit.new_text.contains("spec-check-enable") {
                    "this block"
                } else {
                    "this line"
                };
                actions.push(lsp::CodeAction {
                    title: format!("Disable {} ({}) for {scope}", d.code, d.rule),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(d, doc, &project, enc)]),
                    edit: Some(changes(doc.uri.clone(), vec![edit])),
                    ..Default::default()
                });
            }
        }
        let any_safe = doc.diagnostics.iter().any(|d| {
            d.fix()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        });
        if any_safe && wanted(FIX_ALL_KIND) {
            if let Some(action) = self.fix_all(doc, &project) {
                actions.push(action);
            }
        }
        Ok(actions
            .into_iter()
            .map(lsp::CodeActionOrCommand::CodeAction)
            .collect())
    }

    /// The workspace edit of one fix: edits to the document, or to the other file it names.
    fn fix_edit(
        &self,
        doc: &OpenDocument,
        project: &Project,
        fix: &crate::diagnostic::Fix,
    ) -> Option<lsp::WorkspaceEdit> {
        let enc = self.encoding;
        match &fix.path {
            None => {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| lsp::TextEdit {
                        range: doc.lines.range(&doc.text, e.range.clone(), enc),
                        new_text: e.replacement.clone(),
                    })
                    .collect();
                Some(changes(doc.uri.clone(), edits))
            }
            Some(other) => {
                let workspace = EditorWorkspace {
                    root: &project.root,
                    documents: &self.documents,
                };
                let abs = project.root.join(other);
                let uri = self.uri_of(&abs)?;
                let text = workspace.read(other);
                let exists = text.is_some();
                let text = text.unwrap_or_default();
                let lines = LineIndex::new(&text);
                let edits: Vec<lsp::TextEdit> = fix
                    .edits
                    .iter()
                    .map(|e| lsp::TextEdit {
                        range: lines.range(&text, e.range.clone(), enc),
                        new_text: e.replacement.clone(),
                    })
                    .collect();
                if exists {
                    Some(changes(uri, edits))
                } else if self.supports_create {
                    Some(create_and_edit(uri, edits))
                } else {
                    None
                }
            }
        }
    }

    /// Every safe fix of the document, applied as `--fix` applies them (to a fixed point).
    // lsp-types keys edits by `Uri`, whose hash and equality use its string only (the
    // interior mutability clippy sees is a parse cache)
    #[allow(clippy::mutable_key_type)]
    fn fix_all(&self, doc: &OpenDocument, project: &Project) -> Option<lsp::CodeAction> {
        let enc = self.encoding;
        let (source, workspace) = self.editor_input(doc.checked_as.clone(), doc, project);
        let settings = crate::fix::FixSettings {
            suppression: project.settings.suppression(),
            language: project.settings.language.value,
            ..Default::default()
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::fix::fix_files(&project.packs, &[source], &workspace, &settings)
        }))
        .ok()?
        .ok()?;
        let mut edit = lsp::WorkspaceEdit::default();
        let mut map = HashMap::new();
        for change in &run.changes {
            let (uri, original) = if change.path == doc.checked_as {
                (doc.uri.clone(), doc.text.as_str())
            } else {
                let abs = project.root.join(&change.path);
                if !abs.exists() && !self.documents.values().any(|d| d.path == abs) {
                    continue; // creating files is left to the single fixes
                }
                (self.uri_of(&abs)?, change.original.as_str())
            };
            let lines = LineIndex::new(original);
            map.insert(
                uri,
                vec![minimal_edit(original, &change.fixed, &lines, enc)],
            );
        }
        if map.is_empty() {
            return None;
        }
        edit.changes = Some(map);
        Some(lsp::CodeAction {
            title: format!(
                "Fix all safe spec-check findings ({})",
                crate::render::plural(run.fixed(), "finding")
            ),
            kind: Some(lsp::CodeActionKind::new(FIX_ALL_KIND)),
            edit: Some(edit),
            ..Default::default()
        })
    }

    /// The URI to use for a file: the client's own spelling when it has the file open.
    fn uri_of(&self, path: &Path) -> Option<lsp::Uri> {
        let path = canonical(&crate::source::normalize_path(path));
        if let Some(d) = self.documents.values().find(|d| d.path == path) {
            return Some(d.uri.clone());
        }
        lsp::Uri::from_str(&uri::from_path(&path)).ok()
    }

    fn hover(&mut self, p: lsp::HoverParams) -> Result<Option<lsp::Hover>, (ErrorCode, String)> {
        let key = p
            .text_document_position_params
            .text_document
            .uri
            .as_str()
            .to_string();
        self.settle(&key).map_err(io_error)?;
        let enc = self.encoding;
        let Some(doc) = self.documents.get(&key) else {
            return Ok(None);
        };
        let Some(project) = &doc.project else {
            return Ok(None);
        };
        let at = doc
            .lines
            .offset(&doc.text, p.text_document_position_params.position, enc);
        let here: Vec<&Diagnostic> = doc
            .diagnostics
            .iter()
            .filter(|d| d.start.byte <= at && at <= d.end.byte)
            .collect();
        let Some(first) = here.first() else {
            return Ok(None);
        };
        let mut seen = Vec::new();
        let mut parts = Vec::new();
        for d in &here {
            if seen.contains(&d.code) {
                continue;
            }
            seen.push(d.code.clone());
            parts.extend(rule_markdown(&project.packs, &d.code));
        }
        Ok(Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: Some(
                doc.lines
                    .range(&doc.text, first.start.byte..first.end.byte, enc),
            ),
        }))
    }
}

/// Cross-document rules read open buffers first, then the disk, under the project root.
struct EditorWorkspace<'a> {
    root: &'a Path,
    documents: &'a HashMap<String, OpenDocument>,
}

impl EditorWorkspace<'_> {
    fn open(&self, path: &Path) -> Option<&OpenDocument> {
        let abs = crate::source::normalize_path(&self.root.join(path));
        self.documents.values().find(|d| d.path == abs)
    }
}

impl Workspace for EditorWorkspace<'_> {
    fn read(&self, path: &Path) -> Option<String> {
        match self.open(path) {
            Some(d) => Some(d.text.clone()),
            None => crate::source::fs::FsWorkspace.read(&self.root.join(path)),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        self.open(path).is_some() || self.root.join(path).exists()
    }

    fn list_dir(&self, dir: &Path) -> Vec<String> {
        let abs = crate::source::normalize_path(&self.root.join(dir));
        let mut names = crate::source::fs::FsWorkspace.list_dir(&abs);
        // buffers not yet saved
        for d in self.documents.values() {
            if d.path.parent() == Some(abs.as_path())
                && let Some(name) = d.path.file_name()
            {
                let name = name.to_string_lossy().into_owned();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names.sort();
        names
    }
}

/// `path` with symbolic links resolved (its directory's, for a file not saved yet), so it
/// compares with the canonical repository root.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent().map(Path::canonicalize), path.file_name()) {
        (Some(Ok(dir)), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// A spec-check diagnostic as LSP has it.
fn to_lsp(d: &Diagnostic, doc: &OpenDocument, project: &Project, enc: Encoding) -> lsp::Diagnostic {
    let range = doc.lines.range(&doc.text, d.start.byte..d.end.byte, enc);
    let mut message = d.message().to_string();
    if let Some(help) = d.help() {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location {
                uri: doc.uri.clone(),
                range: doc.lines.range(&doc.text, r.start.byte..r.end.byte, enc),
            },
            message: r.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.clone())),
        code_description: help_link(&project.packs, &d.code)
            .map(|href| lsp::CodeDescription { href }),
        source: Some("spec-check".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The rule's anchor on the reference page (built-in packs and the engine's rules).
fn help_link(packs: &[crate::pack::RulePack], code: &str) -> Option<lsp::Uri> {
    let rule = crate::pack::every_rule(packs).find(|r| r.code == code)?;
    lsp::Uri::from_str(&crate::render::help_uri(&rule)?).ok()
}

/// A rule's documentation for a hover.
fn rule_markdown(packs: &[crate::pack::RulePack], code: &str) -> Option<String> {
    use crate::render::rules_page::fenced;
    let r = crate::pack::every_rule(packs).find(|r| r.code == code)?;
    let head = match r.pack {
        Some(pack) => format!(
            "**{}** `{}` · {} · checklist: {} · fixable: {} · pack `{}`",
            r.code,
            r.name,
            r.severity,
            r.checklist.unwrap_or("none"),
            if r.fixable { "yes" } else { "no" },
            pack.id
        ),
        None => format!(
            "**{}** `{}` · {} · suppression comments",
            r.code, r.name, r.severity
        ),
    };
    let (summary, what, why, bad, good) = (
        &r.docs.summary,
        &r.docs.what,
        &r.docs.why,
        &r.docs.bad,
        &r.docs.good,
    );
    let mut s = format!(
        "{head}\n\n{}\n\n**What it does.** {}\n\n**Why.** {}\n\n**Example (bad):**\n\n{}\n\n**Example (good):**\n\n{}",
        summary.trim(),
        what.trim(),
        why.trim(),
        fenced(bad),
        fenced(good)
    );
    if let Some(link) = help_link(packs, code) {
        s.push_str(&format!(
            "\n\n[{code} in the rule reference]({})",
            link.as_str()
        ));
    }
    Some(s)
}

/// One edit that turns `old` into `new`: the differing middle, on character boundaries.
fn minimal_edit(old: &str, new: &str, lines: &LineIndex, enc: Encoding) -> lsp::TextEdit {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (a.len() - prefix).min(b.len() - prefix);
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    lsp::TextEdit {
        range: lines.range(old, prefix..a.len() - suffix, enc),
        new_text: new[prefix..b.len() - suffix].to_string(),
    }
}

fn changes(uri: lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri, edits)])),
        ..Default::default()
    }
}

/// Create a file, then edit it (a fix that writes the status file when there is none).
fn create_and_edit(uri: lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    let create = lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(lsp::CreateFile {
        uri: uri.clone(),
        options: Some(lsp::CreateFileOptions {
            overwrite: Some(false),
            ignore_if_exists: Some(true),
        }),
        annotation_id: None,
    }));
    let edit = lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
        text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version: None },
        edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
    });
    lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Operations(vec![create, edit])),
        ..Default::default()
    }
}

fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(v)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

fn io_error(e: io::Error) -> (ErrorCode, String) {
    (ErrorCode::InternalError, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimal_edit_is_the_changed_middle() {
        let old = "héllo wörld\n";
        let new = "héllo, wörld\n";
        let lines = LineIndex::new(old);
        let e = minimal_edit(old, new, &lines, Encoding::Utf16);
        assert_eq!(e.new_text, ",");
        assert_eq!(e.range.start, lsp::Position::new(0, 5));
        assert_eq!(e.range.end, lsp::Position::new(0, 5));
        // a change inside a multi-byte character takes the whole character
        let e = minimal_edit("aé", "aè", &LineIndex::new("aé"), Encoding::Utf8);
        assert_eq!((e.range.start.character, e.new_text.as_str()), (1, "è"));
    }
}
