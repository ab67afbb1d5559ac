//! What the editor shows over the text: pull diagnostics, hover, semantic tokens, code
//! lenses, and the state graph (`fdl/graph`).

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::ide;
use crate::lsp::{convert, dry_run};

impl Backend {
    /// `fdl/graph`: the state graph of a document (scopes, states with their ranges,
    /// transitions with their kinds), for clients that draw it; `null` for other documents.
    pub(crate) async fn graph(&self, params: TextDocumentIdentifier) -> Result<Option<Value>> {
        self.with_doc("fdl/graph", &params.uri, |open, ctx| {
            ide::graph(&open.doc).map(|g| convert::graph(&open.doc.text, &g, ctx.encoding))
        })
        .await
    }
}

pub(super) async fn diagnostic(
    backend: &Backend,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let shared = Arc::clone(&backend.shared);
    let items = backend
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

pub(super) async fn hover(backend: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    backend
        .with_doc("textDocument/hover", &pos.text_document.uri, move |open, ctx| {
            let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
            let h = ide::hover(&open.doc, &ctx.config, offset)?;
            Some(Hover {
                contents: HoverContents::Markup(convert::markdown(h.markdown, ctx.caps.markdown)),
                range: Some(convert::range(&open.doc.text, h.range, ctx.encoding)),
            })
        })
        .await
}

pub(super) async fn code_lens(backend: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri.clone();
    backend
        .with_doc("textDocument/codeLens", &params.text_document.uri, move |open, ctx| {
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
