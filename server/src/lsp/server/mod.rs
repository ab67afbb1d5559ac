//! The LSP handlers. Each request works on an immutable snapshot of its document on a
//! blocking thread: a panic there becomes an error answer to that request only, and a
//! cancelled request simply drops its result.
//!
//! Split by feature, as the handlers are read: `lifecycle` (capabilities), `settings`,
//! `navigation`, `editing`, `display` and `commands` (the dry run, tests, migration). This
//! module holds what they share (the snapshot on a blocking thread, `with_doc`) and the
//! `LanguageServer` impl, which must be one block, so each of its methods only names the
//! handler that answers it.

mod commands;
mod display;
mod editing;
mod lifecycle;
pub(super) mod navigation;
mod settings;

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::state::{ClientCaps, Open, Shared};
use crate::ide::Config;
use crate::syntax::PositionEncoding;

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

    /// A message that was not a valid JSON-RPC message (see `input`): answered with the
    /// error code the input layer chose, under the message's id or `null`.
    pub(crate) async fn invalid_request(&self, params: Value) -> Result<Option<Value>> {
        let reason = params.get("reason").and_then(Value::as_str).unwrap_or("not a JSON-RPC message");
        let code =
            params.get("code").and_then(Value::as_i64).map_or(ErrorCode::InvalidRequest, ErrorCode::from);
        Err(Error { code, message: format!("fdl could not read this message: {reason}").into(), data: None })
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

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        lifecycle::initialize(self, params)
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
        lifecycle::did_close(self, params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        settings::did_change_configuration(self, params).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        display::diagnostic(self, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        editing::completion(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        display::hover(self, params).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        navigation::goto_definition(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        navigation::references(self, params).await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        navigation::document_highlight(self, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        editing::prepare_rename(self, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        editing::rename(self, params).await
    }

    // `textDocument/documentSymbol` and `semanticTokens/full` never reach the typed
    // handlers: `ordered` hands them to `answers`, which writes their JSON itself.

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        navigation::symbol(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        navigation::folding_range(self, params).await
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        navigation::selection_range(self, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        editing::code_action(self, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        display::code_lens(self, params).await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        editing::signature_help(self, params).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        editing::formatting(self, params).await
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        editing::range_formatting(self, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        commands::execute_command(self, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        commands::inlay_hint(self, params).await
    }
}
