//! The requests answered with JSON text written by fdl (see `output`): the outline and the
//! semantic tokens, asked for after every keystroke, at thousands of states. [`crate::lsp::ordered`] hands these requests to
//! methods of their own (`fdl/answer/…`), registered like any custom method, so that
//! tower-lsp-server still checks the server's state and cancels them as it does any request;
//! their handlers here answer the `Value` that names the prepared text.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Request, Result};
use tower_lsp_server::ls_types::{
    DocumentSymbolParams, SemanticTokensDeltaParams, SemanticTokensParams, Uri,
};

use super::outline::{self, OutlineCache};
use super::server::Backend;
use super::tokens::{self, TokenState};

pub(crate) const OUTLINE: &str = "fdl/answer/documentSymbol";
pub(crate) const TOKENS: &str = "fdl/answer/semanticTokens/full";
pub(crate) const TOKENS_DELTA: &str = "fdl/answer/semanticTokens/full/delta";

/// What is kept per open document to answer these requests.
#[derive(Default)]
pub(crate) struct DocAnswers {
    outline: Mutex<OutlineCache>,
    tokens: Mutex<TokenState>,
}

/// A poisoned lock only means an earlier request panicked: start afresh.
fn locked<T: Default>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| {
        let mut guard = e.into_inner();
        *guard = T::default();
        guard
    })
}

/// `req` handed to the method that answers it with prepared text, if it is one of those.
pub(crate) fn routed(req: Request) -> Request {
    let to = match req.method() {
        "textDocument/documentSymbol" => OUTLINE,
        "textDocument/semanticTokens/full" => TOKENS,
        "textDocument/semanticTokens/full/delta" => TOKENS_DELTA,
        _ => return req,
    };
    let (_, id, params) = req.into_parts();
    let mut built = Request::build(to);
    if let Some(id) = id {
        built = built.id(id);
    }
    if let Some(params) = params {
        built = built.params(params);
    }
    built.finish()
}

impl Backend {
    /// `textDocument/documentSymbol` (see `outline`).
    pub(crate) async fn outline_answer(&self, params: DocumentSymbolParams) -> Result<Option<Value>> {
        let shared = self.shared();
        let uri = params.text_document.uri;
        let key = uri.as_str().to_string();
        self.with_doc("textDocument/documentSymbol", &uri.clone(), move |open, ctx| {
            let answers = Arc::clone(&shared.answers.entry(key).or_default());
            let mut cache = locked(&answers.outline);
            let json =
                outline::answer(&open.doc, &uri, ctx.caps.hierarchical_symbols, ctx.encoding, &mut cache);
            Some(shared.prepared.answer(json))
        })
        .await
    }

    /// `textDocument/semanticTokens/full` (see `tokens`).
    pub(crate) async fn tokens_answer(&self, params: SemanticTokensParams) -> Result<Option<Value>> {
        self.tokens(params.text_document.uri, None).await
    }

    /// `textDocument/semanticTokens/full/delta` (see `tokens`).
    pub(crate) async fn tokens_delta_answer(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<Value>> {
        self.tokens(params.text_document.uri, Some(params.previous_result_id)).await
    }

    async fn tokens(&self, uri: Uri, previous: Option<String>) -> Result<Option<Value>> {
        let shared = self.shared();
        let key = uri.as_str().to_string();
        self.with_doc("textDocument/semanticTokens/full", &uri, move |open, ctx| {
            let answers = Arc::clone(&shared.answers.entry(key).or_default());
            let mut state = locked(&answers.tokens);
            let json = tokens::answer(&open.doc, ctx.encoding, &mut state, previous.as_deref());
            Some(shared.prepared.answer(json))
        })
        .await
    }
}
