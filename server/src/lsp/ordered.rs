//! Document changes applied strictly in arrival order.
//!
//! tower-lsp-server runs handlers concurrently, so two `didChange` notifications can run in
//! either order. Its transport, however, calls the service once per message, sequentially,
//! in the order messages were read. This wrapper applies `didOpen`/`didChange`/`didClose` to
//! the document store right there, synchronously, before handing the message on: the order
//! of edits is the order of the stream by construction.

use std::sync::Arc;
use std::task::{Context, Poll};

use tower::Service;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};

use super::convert;
use super::state::{Open, Shared};
use crate::ide::{Document, Language, Pending};

pub(crate) struct Ordered<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> Ordered<S> {
    pub(crate) fn new(inner: S, shared: Arc<Shared>) -> Self {
        Ordered { inner, shared }
    }
}

impl<S> Service<Request> for Ordered<S>
where
    S: Service<Request, Response = Option<Response>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if let Some(params) = req.params() {
            match req.method() {
                "textDocument/didOpen" => {
                    if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params.clone()) {
                        open(&self.shared, p);
                    }
                }
                "textDocument/didChange" => {
                    if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params.clone()) {
                        change(&self.shared, p);
                    }
                }
                "textDocument/didClose" => {
                    if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params.clone()) {
                        self.shared.docs.remove(p.text_document.uri.as_str());
                    }
                }
                _ => {}
            }
        }
        self.inner.call(req)
    }
}

fn open(shared: &Arc<Shared>, p: DidOpenTextDocumentParams) {
    let doc = p.text_document;
    let language = Language::guess(&doc.language_id, doc.uri.as_str());
    let open = Open::new(doc.uri.clone(), doc.version, Document::with_language(&doc.text, language));
    shared.docs.insert(doc.uri.as_str().to_string(), open);
    shared.schedule_diagnostics(&doc.uri);
}

fn change(shared: &Arc<Shared>, p: DidChangeTextDocumentParams) {
    let uri = p.text_document.uri;
    let encoding = shared.encoding();
    {
        let Some(mut entry) = shared.docs.get_mut(uri.as_str()) else { return };
        // A version that does not move forward is a stale or repeated message.
        if p.text_document.version <= entry.version {
            return;
        }
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    let entry = &mut *entry;
                    let pending = entry.pending.get_or_insert_with(|| Pending::new(&entry.doc));
                    let range = convert::text_range(&pending.text, range, encoding);
                    pending.apply(range, &change.text);
                }
                None => {
                    entry.doc = Document::with_language(&change.text, entry.doc.language);
                    entry.pending = None;
                }
            }
        }
        entry.version = p.text_document.version;
    }
    shared.schedule_diagnostics(&uri);
}
