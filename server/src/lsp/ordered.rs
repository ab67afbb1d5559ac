//! Document changes applied strictly in arrival order.
//!
//! tower-lsp-server runs handlers concurrently, so two `didChange` notifications can run in
//! either order. Its transport, however, calls the service once per message, sequentially,
//! in the order messages were read. This wrapper applies `didOpen`/`didChange`/`didClose` to
//! the document store right there, synchronously, before handing the message on: the order
//! of edits is the order of the stream by construction. It also hands the requests fdl
//! answers with JSON text to their own methods (`answers::routed`).

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
use crate::syntax::{SourceText, TextRange};

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
                        self.shared.answers.remove(p.text_document.uri.as_str());
                        self.shared.settling.remove(p.text_document.uri.as_str());
                    }
                }
                _ => {}
            }
        }
        self.inner.call(super::answers::routed(req))
    }
}

fn open(shared: &Arc<Shared>, p: DidOpenTextDocumentParams) {
    let doc = p.text_document;
    let language = Language::guess(&doc.language_id, doc.uri.as_str());
    // Parsed by whoever first needs the tree, on a blocking thread: a big file must not
    // hold up the messages behind it.
    let mut open = Open::new(doc.uri.clone(), doc.version, Document::with_language("", language));
    open.pending = Some(Pending::whole(SourceText::new(&doc.text)));
    shared.answers.remove(doc.uri.as_str());
    shared.settling.remove(doc.uri.as_str());
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
                    // The whole text (clients that do not send ranges): as the edit of the
                    // part that differs, so that the rest keeps its parse and analysis.
                    let entry = &mut *entry;
                    let pending = entry.pending.get_or_insert_with(|| Pending::new(&entry.doc));
                    let (range, replacement) = difference(&pending.text, &change.text);
                    pending.apply(range, replacement);
                }
            }
        }
        entry.version = p.text_document.version;
    }
    shared.schedule_diagnostics(&uri);
}

/// The range of `old` that differs from `new`, and what replaces it: the text between their
/// common prefix and common suffix.
fn difference<'n>(old: &SourceText, new: &'n str) -> (TextRange, &'n str) {
    let old = old.to_string_lossless();
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let mut suffix = a.iter().rev().zip(b.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    // Whole characters only.
    while !new.is_char_boundary(prefix) || !old.is_char_boundary(prefix) {
        prefix -= 1;
    }
    while !new.is_char_boundary(b.len() - suffix) || !old.is_char_boundary(a.len() - suffix) {
        suffix -= 1;
    }
    (TextRange::new(prefix as u32, (a.len() - suffix) as u32), &new[prefix..b.len() - suffix])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old: &str, new: &str) -> (u32, u32, String) {
        let (range, with) = difference(&SourceText::new(old), new);
        let mut applied = old.to_string();
        applied.replace_range(range.start as usize..range.end as usize, with);
        assert_eq!(applied, new, "the edit must turn the old text into the new one");
        (range.start, range.end, with.to_string())
    }

    #[test]
    fn a_whole_text_change_becomes_the_edit_of_what_differs() {
        assert_eq!(check("Name: A\nNext: B\n", "Name: A\nNext: BC\n"), (15, 15, "C".into()));
        assert_eq!(check("abc", "abc"), (3, 3, String::new()));
        assert_eq!(check("", "x: 1\n"), (0, 0, "x: 1\n".into()));
        assert_eq!(check("x: 1\n", ""), (0, 5, String::new()));
        // Repeated text: prefix and suffix never overlap.
        assert_eq!(check("aaaa", "aa"), (2, 4, String::new()));
        // A change inside a character takes the whole character (视 and 觉 share bytes).
        assert_eq!(check("Name: 视频", "Name: 觉频"), (6, 9, "觉".into()));
        assert_eq!(check("😀b", "😁b"), (0, 4, "😁".into()));
    }
}
