//! The requests answered with JSON text written by fdl (see `output`): the outline after
//! every keystroke, at thousands of states. [`crate::lsp::ordered`] hands these requests to
//! methods of their own (`fdl/answer/…`), registered like any custom method, so that
//! tower-lsp-server still checks the server's state and cancels them as it does any request;
//! their handlers here answer the `Value` that names the prepared text.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Request, Result};
use tower_lsp_server::ls_types::DocumentSymbolParams;

use super::outline::{self, OutlineCache};
use super::server::Backend;

pub(crate) const OUTLINE: &str = "fdl/answer/documentSymbol";

/// What is kept per open document to answer these requests.
#[derive(Default)]
pub(crate) struct DocAnswers {
    outline: Mutex<OutlineCache>,
}

/// `req` handed to the method that answers it with prepared text, if it is one of those.
pub(crate) fn routed(req: Request) -> Request {
    let to = match req.method() {
        "textDocument/documentSymbol" => OUTLINE,
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
            // A poisoned cache only means an earlier request panicked: start it afresh.
            let mut cache = answers.outline.lock().unwrap_or_else(|e| {
                let mut guard = e.into_inner();
                *guard = OutlineCache::default();
                guard
            });
            let json =
                outline::answer(&open.doc, &uri, ctx.caps.hierarchical_symbols, ctx.encoding, &mut cache);
            Some(shared.prepared.answer(json))
        })
        .await
    }
}
