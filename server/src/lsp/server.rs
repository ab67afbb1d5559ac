//! The LSP handlers. Each request works on an immutable snapshot of its document on a
//! blocking thread: a panic there becomes an error answer to that request only, and a
//! cancelled request simply drops its result.

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert;
use super::dry_run;
use super::state::{ClientCaps, Open, Shared};
use crate::analysis::WorkflowMode;
use crate::ide::{self, Config};
use crate::syntax::{PositionEncoding, TextRange};
use crate::templates::Syntaxes;

/// The most selection ranges sent for one position (see `selection_range`).
const MAX_SELECTION_CHAIN: usize = 100;

pub(crate) struct Backend {
    shared: Arc<Shared>,
}

/// What a handler needs besides its document.
#[derive(Clone)]
pub(super) struct Ctx {
    pub(super) config: Config,
    pub(super) encoding: PositionEncoding,
    pub(super) caps: ClientCaps,
}

impl Backend {
    pub(crate) fn new(client: Client) -> Backend {
        Backend { shared: Arc::new(Shared::new(client)) }
    }

    pub(crate) fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// `fdl/documentText`: the server's copy of a document, with its version. A debugging aid
    /// (and how the tests check that the server's text always equals the client's).
    pub(crate) async fn document_text(&self, params: TextDocumentIdentifier) -> Result<Option<Value>> {
        Ok(self.shared.current(&params.uri).map(
            |open| serde_json::json!({ "version": open.version, "text": open.text().to_string_lossless() }),
        ))
    }

    /// `fdl/graph`: the state graph of a document (scopes, states with their ranges,
    /// transitions with their kinds), for clients that draw it; `null` for other documents.
    pub(crate) async fn graph(&self, params: TextDocumentIdentifier) -> Result<Option<Value>> {
        self.with_doc("fdl/graph", &params.uri, |open, ctx| {
            ide::graph(&open.doc).map(|g| convert::graph(&open.doc.text, &g, ctx.encoding))
        })
        .await
    }

    /// A message that was not a valid JSON-RPC message (see `input`): answered with the
    /// error code the input layer chose, under the message's id or `null`.
    pub(crate) async fn invalid_request(&self, params: Value) -> Result<Option<Value>> {
        let reason = params.get("reason").and_then(Value::as_str).unwrap_or("not a JSON-RPC message");
        let code =
            params.get("code").and_then(Value::as_i64).map_or(ErrorCode::InvalidRequest, ErrorCode::from);
        Err(Error { code, message: format!("fdl could not read this message: {reason}").into(), data: None })
    }

    /// `fdl/lastRun`: the full result of the last dry run of a flow document (`null` when it
    /// has not run), for clients that draw more than inlay hints.
    pub(crate) async fn last_run(&self, params: TextDocumentIdentifier) -> Result<Option<Value>> {
        Ok(dry_run::last_run(&self.shared, &params.uri))
    }

    /// `window/workDoneProgress/cancel`: the user stopped a dry run from its progress report.
    pub(crate) async fn progress_cancel(&self, params: Value) {
        dry_run::cancel_progress(&self.shared, &params);
    }

    /// `fdl/test/panic`: panics inside a request, like a bug would.
    pub(crate) async fn test_panic(&self, params: TextDocumentIdentifier) -> Result<Option<Value>> {
        self.with_doc("fdl/test/panic", &params.uri, |_, _| -> Option<Value> {
            panic!("a test asked for it")
        })
        .await
    }

    pub(super) fn ctx(&self) -> Ctx {
        Ctx { config: self.shared.config(), encoding: self.shared.encoding(), caps: self.shared.caps() }
    }

    /// Runs `f` on a snapshot of `uri` on a blocking thread. Unknown documents answer
    /// `None`; a panic answers an internal error naming the request.
    pub(super) async fn with_doc<T, F>(&self, what: &'static str, uri: &Uri, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Open, &Ctx) -> Option<T> + Send + 'static,
    {
        // The version is fixed here, in arrival order; parsing the edits since the last
        // snapshot is left to the blocking thread, so the input loop never waits on it.
        let Some(open) = self.shared.current(uri) else { return Ok(None) };
        let ctx = self.ctx();
        let shared = Arc::clone(&self.shared);
        match tokio::task::spawn_blocking(move || f(&shared.settled(open), &ctx)).await {
            Ok(result) => Ok(result),
            Err(e) => {
                let detail =
                    if e.is_panic() { panic_message(e.into_panic()) } else { "cancelled".to_string() };
                Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("fdl failed to answer {what}: {detail}").into(),
                    data: None,
                })
            }
        }
    }

    /// Re-publishes (push) or asks the client to re-pull diagnostics after a settings change.
    async fn refresh_diagnostics(&self) {
        let caps = self.shared.caps();
        if caps.pull_diagnostics {
            if caps.diagnostic_refresh {
                let _ = self.shared.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        let uris: Vec<Uri> = self.shared.docs.iter().map(|o| o.uri.clone()).collect();
        for uri in uris {
            self.shared.schedule_diagnostics(&uri);
        }
    }

    /// Asks the client for the `fdl` settings, without ever waiting on the reply in a way
    /// that could block other messages (some clients never answer).
    fn fetch_configuration(&self) {
        if !self.shared.caps().configuration {
            return;
        }
        let shared = Arc::clone(&self.shared);
        tokio::spawn(async move {
            let items = vec![ConfigurationItem { scope_uri: None, section: Some("fdl".to_string()) }];
            let reply =
                tokio::time::timeout(std::time::Duration::from_secs(10), shared.client.configuration(items))
                    .await;
            if let Ok(Ok(values)) = reply
                && let Some(value) = values.into_iter().next()
                && apply_settings(&shared, &value)
            {
                let backend = Backend { shared };
                backend.refresh_diagnostics().await;
            }
        });
    }
}

/// Applies `{"mode": "express", "placeholders": [...]}` (or the same under an `fdl` key).
/// Returns whether anything changed.
fn apply_settings(shared: &Shared, value: &Value) -> bool {
    let settings = value.get("fdl").unwrap_or(value);
    let Some(obj) = settings.as_object() else { return false };
    let mode = match obj.get("mode").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
        Some("express") => Some(WorkflowMode::Express),
        Some("standard") => Some(WorkflowMode::Standard),
        _ => None,
    };
    let placeholders = placeholder_setting(obj.get("placeholders"));
    let mut config = shared.config.write().unwrap_or_else(|e| e.into_inner());
    let changed = config.mode != mode || config.placeholders != placeholders;
    config.mode = mode;
    config.placeholders = placeholders;
    if changed {
        shared.config_epoch.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
    changed
}

/// `fdl.placeholders`: a list of tool names or edits (`["serverless-devs", "ros"]`,
/// `["-terraform"]`) or the same as one string; absent or invalid means every tool.
fn placeholder_setting(value: Option<&Value>) -> Syntaxes {
    let spec = match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
        _ => return Syntaxes::ALL,
    };
    Syntaxes::ALL.edit(&spec).unwrap_or(Syntaxes::ALL)
}

/// The editor's tab size is the indent (YAML indents with spaces whatever `insertSpaces` says).
fn format_options(options: &FormattingOptions) -> ide::FormatOptions {
    ide::FormatOptions { indent: options.tab_size }
}

/// A document that cannot be formatted answers an error that says why (the editor shows it),
/// not an empty list that would look like success.
fn format_answer(
    result: Option<std::result::Result<Vec<TextEdit>, ide::FormatError>>,
) -> Result<Option<Vec<TextEdit>>> {
    match result {
        None => Ok(None),
        Some(Ok(edits)) => Ok(Some(edits)),
        // -32803 is LSP's RequestFailed: the request was valid but could not be carried out.
        Some(Err(e)) => {
            Err(Error { code: ErrorCode::ServerError(-32803), message: e.to_string().into(), data: None })
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "internal error".to_string()
    }
}

fn client_caps(params: &InitializeParams) -> (ClientCaps, PositionEncoding) {
    let c = &params.capabilities;
    let td = c.text_document.as_ref();
    let ws = c.workspace.as_ref();
    let utf8 = c
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    let caps = ClientCaps {
        configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
        pull_diagnostics: td.and_then(|t| t.diagnostic.as_ref()).is_some(),
        diagnostic_refresh: ws
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        snippets: td
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
        hierarchical_symbols: td
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|s| s.hierarchical_document_symbol_support)
            .unwrap_or(false),
        markdown: td
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|f| f.contains(&MarkupKind::Markdown)),
        inlay_hint_refresh: ws
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|i| i.refresh_support)
            .unwrap_or(false),
        work_done_progress: c.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
        create_files: ws.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|e| {
            e.document_changes == Some(true)
                && e.resource_operations
                    .as_ref()
                    .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
        }),
        show_document: c.window.as_ref().and_then(|w| w.show_document.as_ref()).is_some_and(|s| s.support),
    };
    (caps, if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 })
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let (caps, encoding) = client_caps(&params);
        *self.shared.caps.write().unwrap_or_else(|e| e.into_inner()) = caps;
        *self.shared.encoding.write().unwrap_or_else(|e| e.into_inner()) = encoding;
        if let Some(options) = &params.initialization_options {
            apply_settings(&self.shared, options);
        }
        // Where sub-flows and the flows of test files are looked for.
        #[allow(deprecated)] // `root_uri`, for clients without workspace folders
        let roots: Vec<std::path::PathBuf> = match &params.workspace_folders {
            Some(folders) => {
                folders.iter().filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned())).collect()
            }
            None => params.root_uri.iter().filter_map(|u| u.to_file_path().map(|p| p.into_owned())).collect(),
        };
        *self.shared.roots.write().unwrap_or_else(|e| e.into_inner()) = roots;
        let capabilities = ServerCapabilities {
            position_encoding: Some(match encoding {
                PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
                _ => PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            })),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![
                    ":".to_string(),
                    " ".to_string(),
                    "-".to_string(),
                    ",".to_string(),
                    "[".to_string(),
                ]),
                ..Default::default()
            }),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_highlight_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR_REWRITE]),
                ..Default::default()
            })),
            code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
            document_formatting_provider: Some(OneOf::Left(true)),
            document_range_formatting_provider: Some(OneOf::Left(true)),
            inlay_hint_provider: Some(OneOf::Left(true)),
            signature_help_provider: Some(SignatureHelpOptions {
                trigger_characters: Some(vec!["(".to_string(), ",".to_string()]),
                ..Default::default()
            }),
            semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                SemanticTokensOptions {
                    legend: SemanticTokensLegend {
                        token_types: convert::token_legend(),
                        token_modifiers: Vec::new(),
                    },
                    full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                    range: None,
                    ..Default::default()
                },
            )),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![
                    ide::DRY_RUN_COMMAND.to_string(),
                    super::test_run::RUN_TESTS_COMMAND.to_string(),
                    ide::OPEN_MIGRATED_COMMAND.to_string(),
                ],
                ..Default::default()
            }),
            diagnostic_provider: caps.pull_diagnostics.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("fdl".to_string()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    work_done_progress_options: Default::default(),
                })
            }),
            ..Default::default()
        };
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "fdl".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.fetch_configuration();
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.shutdown.store(true, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    // didOpen/didChange/didClose are applied in arrival order by `Ordered` before they get
    // here; closing still clears the document's diagnostics in the editor.
    async fn did_open(&self, _: DidOpenTextDocumentParams) {}

    async fn did_change(&self, _: DidChangeTextDocumentParams) {}

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.shared.runs.remove(params.text_document.uri.as_str());
        if !self.shared.caps().pull_diagnostics {
            self.shared.client.publish_diagnostics(params.text_document.uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let has_settings = params.settings.get("fdl").is_some();
        if has_settings {
            if apply_settings(&self.shared, &params.settings) {
                self.refresh_diagnostics().await;
            }
        } else {
            self.fetch_configuration();
        }
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let shared = Arc::clone(&self.shared);
        let items = self
            .with_doc("textDocument/diagnostic", &uri, move |open, ctx| {
                let tested = dry_run::tested_flow(&shared, open);
                Some(dry_run::diagnostics(&open.uri, &open.doc, &ctx.config, ctx.encoding, tested.as_ref()))
            })
            .await?
            .unwrap_or_default();
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
            },
        )))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let trigger = params.context.and_then(|c| c.trigger_character);
        let shared = Arc::clone(&self.shared);
        self.with_doc("textDocument/completion", &pos.text_document.uri, move |open, ctx| {
            let text = &open.doc.text;
            let offset = convert::offset(text, pos.position, ctx.encoding);
            if ide::is_test_file(open.uri.as_str()) {
                let tested = dry_run::tested_flow(&shared, open);
                let facts = dry_run::facts(tested.as_ref());
                let items = ide::test_files::completions(text, offset, facts.as_ref())
                    .into_iter()
                    .filter_map(|i| {
                        convert::completion_item(text, i, ctx.encoding, ctx.caps.snippets, ctx.caps.markdown)
                    })
                    .collect();
                return Some(CompletionResponse::Array(items));
            }
            // A space typed for indentation is not a request for suggestions.
            if trigger.as_deref() == Some(" ") {
                let line_start = text.line_start(text.line_of(offset));
                let before = text.slice(crate::syntax::TextRange::new(line_start, offset));
                if !before.trim_end().ends_with(':') && !before.trim_end().ends_with('-') {
                    return Some(CompletionResponse::Array(Vec::new()));
                }
            }
            let list = ide::completion_list(&open.doc, &ctx.config, offset);
            let items = list
                .items
                .into_iter()
                .filter_map(|i| {
                    convert::completion_item(text, i, ctx.encoding, ctx.caps.snippets, ctx.caps.markdown)
                })
                .collect();
            Some(match list.incomplete {
                true => CompletionResponse::List(CompletionList { is_incomplete: true, items }),
                false => CompletionResponse::Array(items),
            })
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        self.with_doc("textDocument/hover", &pos.text_document.uri, move |open, ctx| {
            let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
            let h = ide::hover(&open.doc, &ctx.config, offset)?;
            Some(Hover {
                contents: HoverContents::Markup(convert::markdown(h.markdown, ctx.caps.markdown)),
                range: Some(convert::range(&open.doc.text, h.range, ctx.encoding)),
            })
        })
        .await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        let uri = pos.text_document.uri.clone();
        let shared = Arc::clone(&self.shared);
        self.with_doc("textDocument/definition", &pos.text_document.uri, move |open, ctx| {
            let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
            if let Some(target) = ide::definition(&open.doc, offset) {
                return Some(GotoDefinitionResponse::Scalar(Location {
                    uri,
                    range: convert::range(&open.doc.text, target.focus_range, ctx.encoding),
                }));
            }
            // A sub-flow's ARN opens the flow file of that name.
            let (name, _) = ide::subflow_at(&open.doc, offset)?;
            let path = dry_run::workspace(&shared, &uri).find(&name)?;
            Some(GotoDefinitionResponse::Scalar(Location {
                uri: Uri::from_file_path(path)?,
                range: Range::default(),
            }))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let uri = pos.text_document.uri.clone();
        let include = params.context.include_declaration;
        self.with_doc("textDocument/references", &pos.text_document.uri, move |open, ctx| {
            let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
            let refs = ide::references(&open.doc, offset, include);
            Some(
                refs.into_iter()
                    .map(|r| Location {
                        uri: uri.clone(),
                        range: convert::range(&open.doc.text, r, ctx.encoding),
                    })
                    .collect(),
            )
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let pos = params.text_document_position_params;
        self.with_doc("textDocument/documentHighlight", &pos.text_document.uri, move |open, ctx| {
            let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
            let highlights = ide::highlights(&open.doc, offset);
            Some(
                highlights
                    .into_iter()
                    .map(|(r, kind)| DocumentHighlight {
                        range: convert::range(&open.doc.text, r, ctx.encoding),
                        kind: Some(match kind {
                            ide::HighlightKind::Write => DocumentHighlightKind::WRITE,
                            ide::HighlightKind::Read => DocumentHighlightKind::READ,
                        }),
                    })
                    .collect(),
            )
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some(open) = self.shared.snapshot(&params.text_document.uri) else { return Ok(None) };
        let ctx = self.ctx();
        let offset = convert::offset(&open.doc.text, params.position, ctx.encoding);
        match ide::prepare_rename(&open.doc, offset) {
            Ok((range, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: convert::range(&open.doc.text, range, ctx.encoding),
                placeholder,
            })),
            Err(message) => {
                Err(Error { code: ErrorCode::InvalidRequest, message: message.into(), data: None })
            }
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        let Some(open) = self.shared.snapshot(&pos.text_document.uri) else { return Ok(None) };
        let ctx = self.ctx();
        let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
        match ide::rename(&open.doc, offset, &params.new_name) {
            Ok(edits) => {
                let edits = convert::edits(&open.doc.text, &edits, ctx.encoding);
                let changes = std::iter::once((pos.text_document.uri, edits)).collect();
                Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }))
            }
            Err(message) => {
                Err(Error { code: ErrorCode::InvalidRequest, message: message.into(), data: None })
            }
        }
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_doc("textDocument/documentSymbol", &params.text_document.uri, move |open, ctx| {
            let symbols = ide::document_symbols(&open.doc);
            // Four positions a state: worth the line index.
            open.doc.text.index_lines();
            if ctx.caps.hierarchical_symbols {
                let nested =
                    symbols.into_iter().map(|s| convert::document_symbol(&open.doc.text, s, ctx.encoding));
                Some(DocumentSymbolResponse::Nested(nested.collect()))
            } else {
                let mut flat = Vec::new();
                flatten(&open.doc.text, &uri, symbols, None, ctx.encoding, &mut flat);
                Some(DocumentSymbolResponse::Flat(flat))
            }
        })
        .await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.to_lowercase();
        let encoding = self.shared.encoding();
        let uris: Vec<Uri> = self.shared.docs.iter().map(|o| o.uri.clone()).collect();
        let docs: Vec<Open> = uris.iter().filter_map(|u| self.shared.snapshot(u)).collect();
        let found = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            for open in docs {
                open.doc.text.index_lines();
                let mut flat = Vec::new();
                flatten(
                    &open.doc.text,
                    &open.uri,
                    ide::document_symbols(&open.doc),
                    None,
                    encoding,
                    &mut flat,
                );
                out.extend(
                    flat.into_iter().filter(|s| query.is_empty() || s.name.to_lowercase().contains(&query)),
                );
            }
            out
        })
        .await
        .unwrap_or_default();
        Ok(Some(WorkspaceSymbolResponse::Flat(found)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.with_doc("textDocument/foldingRange", &params.text_document.uri, |open, _| {
            let text = &open.doc.text;
            text.index_lines();
            let folds = ide::folding_ranges(&open.doc).into_iter().map(|f| {
                let start = text.line_of(f.range.start);
                let end = text.line_of(f.range.end);
                FoldingRange {
                    start_line: start,
                    end_line: end,
                    kind: Some(FoldingRangeKind::Region),
                    ..Default::default()
                }
            });
            Some(folds.collect())
        })
        .await
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        let positions = params.positions;
        self.with_doc("textDocument/selectionRange", &params.text_document.uri, move |open, ctx| {
            let text = &open.doc.text;
            let ranges = positions.into_iter().map(|p| {
                let offset = convert::offset(text, p, ctx.encoding);
                let mut chain = ide::selection_ranges(&open.doc, offset);
                // Each range is a JSON object inside the next: clients that read JSON with
                // serde_json (Helix, Zed) refuse more than 128 levels. The middle of a longer
                // chain goes; every range still contains the one before.
                if chain.len() > MAX_SELECTION_CHAIN {
                    chain.drain(MAX_SELECTION_CHAIN / 2..chain.len() - MAX_SELECTION_CHAIN / 2);
                }
                let mut parent: Option<Box<SelectionRange>> = None;
                for r in chain.iter().rev() {
                    parent = Some(Box::new(SelectionRange {
                        range: convert::range(text, *r, ctx.encoding),
                        parent,
                    }));
                }
                // Nothing to select (an empty file, only comments): the cursor itself, as a
                // position of this text (the client's may lie past its end).
                parent.map(|b| *b).unwrap_or_else(|| SelectionRange {
                    range: convert::range(text, TextRange::empty(offset), ctx.encoding),
                    parent: None,
                })
            });
            Some(ranges.collect())
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let range = params.range;
        let refactor = super::migrate::wanted(params.context.only.as_deref());
        let quickfix = params.context.only.as_ref().is_none_or(|kinds| {
            kinds.iter().any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
        });
        self.with_doc("textDocument/codeAction", &params.text_document.uri, move |open, ctx| {
            let text = &open.doc.text;
            let range = convert::text_range(text, range, ctx.encoding);
            let fixes = if quickfix { ide::code_actions(&open.doc, &ctx.config, range) } else { Vec::new() };
            let actions = fixes.into_iter().map(|a| {
                let edits = convert::edits(text, &a.edits, ctx.encoding);
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: a.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![convert::diagnostic(text, &a.diagnostic, ctx.encoding)]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(std::iter::once((uri.clone(), edits)).collect()),
                        ..Default::default()
                    }),
                    is_preferred: Some(a.preferred),
                    ..Default::default()
                })
            });
            let mut actions: Vec<CodeActionOrCommand> = actions.collect();
            if refactor {
                actions.extend(super::migrate::code_actions(open, ctx.caps, ctx.encoding));
            }
            Some(actions)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri.clone();
        self.with_doc("textDocument/codeLens", &params.text_document.uri, move |open, ctx| {
            if ide::is_test_file(uri.as_str()) {
                let names = ide::test_files::case_names(&open.doc.text);
                let lenses =
                    ide::test_files::code_lenses(&open.doc.text).into_iter().zip(names).map(|(l, case)| {
                        CodeLens {
                            range: convert::range(&open.doc.text, l.range, ctx.encoding),
                            command: Some(Command {
                                title: l.title,
                                command: l.command.unwrap_or_default(),
                                arguments: Some(vec![
                                    serde_json::json!({ "uri": uri.as_str(), "case": case }),
                                ]),
                            }),
                            data: None,
                        }
                    });
                return Some(lenses.collect());
            }
            let lenses = ide::code_lenses(&open.doc).into_iter().map(|l| CodeLens {
                range: convert::range(&open.doc.text, l.range, ctx.encoding),
                command: Some(Command {
                    title: l.title,
                    command: l.command.unwrap_or_default(),
                    arguments: Some(vec![Value::String(uri.as_str().to_string())]),
                }),
                data: None,
            });
            Some(lenses.collect())
        })
        .await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let pos = params.text_document_position_params;
        self.with_doc("textDocument/signatureHelp", &pos.text_document.uri, move |open, ctx| {
            let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
            let help = ide::signature_help(&open.doc, offset)?;
            Some(SignatureHelp {
                signatures: vec![SignatureInformation {
                    label: help.label,
                    documentation: Some(Documentation::MarkupContent(convert::markdown(
                        help.documentation,
                        ctx.caps.markdown,
                    ))),
                    parameters: Some(
                        help.parameters
                            .into_iter()
                            .map(|p| ParameterInformation {
                                label: ParameterLabel::Simple(p.label),
                                documentation: Some(Documentation::MarkupContent(convert::markdown(
                                    p.documentation,
                                    ctx.caps.markdown,
                                ))),
                            })
                            .collect(),
                    ),
                    active_parameter: help.active_parameter,
                }],
                active_signature: Some(0),
                active_parameter: help.active_parameter,
            })
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.with_doc("textDocument/semanticTokens/full", &params.text_document.uri, |open, ctx| {
            let tokens = ide::semantic_tokens(&open.doc);
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: convert::semantic_tokens(&open.doc.text, &tokens, ctx.encoding),
            }))
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let options = format_options(&params.options);
        let result = self
            .with_doc("textDocument/formatting", &params.text_document.uri, move |open, ctx| {
                let edits = ide::formatting(&open.doc, &options);
                Some(edits.map(|e| convert::edits(&open.doc.text, &e, ctx.encoding)))
            })
            .await?;
        format_answer(result)
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let options = format_options(&params.options);
        let range = params.range;
        let result = self
            .with_doc("textDocument/rangeFormatting", &params.text_document.uri, move |open, ctx| {
                let range = convert::text_range(&open.doc.text, range, ctx.encoding);
                let edits = ide::range_formatting(&open.doc, range, &options);
                Some(edits.map(|e| convert::edits(&open.doc.text, &e, ctx.encoding)))
            })
            .await?;
        format_answer(result)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command == ide::DRY_RUN_COMMAND {
            return dry_run::execute(Arc::clone(&self.shared), params).await;
        }
        if params.command == super::test_run::RUN_TESTS_COMMAND {
            return super::test_run::execute(Arc::clone(&self.shared), params).await;
        }
        if params.command == ide::OPEN_MIGRATED_COMMAND {
            let Some(show) = super::migrate::show_params(&params.arguments) else {
                return Err(Error::invalid_params("fdl.openMigrated takes the URI of the migrated file"));
            };
            let shown = self.shared.client.show_document(show).await.unwrap_or(false);
            return Ok(Some(Value::Bool(shown)));
        }
        Err(Error::method_not_found())
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some(run) = self.shared.runs.get(params.text_document.uri.as_str()).map(|r| r.clone()) else {
            return Ok(None);
        };
        let range = params.range;
        self.with_doc("textDocument/inlayHint", &params.text_document.uri, move |open, ctx| {
            let text = &open.doc.text;
            let range = convert::text_range(text, range, ctx.encoding);
            let hints = ide::inlay_hints(&open.doc, &run.snapshot, range).into_iter().map(|h| InlayHint {
                position: convert::position(text, h.offset, ctx.encoding),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            });
            Some(hints.collect())
        })
        .await
    }
}

#[allow(deprecated)] // `deprecated` is a required field of SymbolInformation
pub(super) fn flatten(
    text: &crate::syntax::SourceText,
    uri: &Uri,
    symbols: Vec<ide::Symbol>,
    container: Option<&str>,
    encoding: PositionEncoding,
    out: &mut Vec<SymbolInformation>,
) {
    for s in symbols {
        let kind = convert::symbol_kind(&s);
        out.push(SymbolInformation {
            name: s.name.clone(),
            kind,
            tags: None,
            deprecated: None,
            location: Location { uri: uri.clone(), range: convert::range(text, s.range, encoding) },
            container_name: container.map(str::to_string),
        });
        flatten(text, uri, s.children, Some(&s.name), encoding, out);
    }
}
