//! Moving around a flow: definition (states, and sub-flows by their ARN), references,
//! highlights, document and workspace symbols, folding and selection ranges.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::ide;
use crate::lsp::state::Open;
use crate::lsp::{convert, dry_run};
use crate::syntax::{PositionEncoding, TextRange};

/// The most selection ranges sent for one position (see `selection_range`).
const MAX_SELECTION_CHAIN: usize = 100;

pub(super) async fn goto_definition(
    backend: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let pos = params.text_document_position_params;
    let uri = pos.text_document.uri.clone();
    let shared = Arc::clone(&backend.shared);
    backend
        .with_doc("textDocument/definition", &pos.text_document.uri, move |open, ctx| {
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

pub(super) async fn references(backend: &Backend, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position;
    let uri = pos.text_document.uri.clone();
    let include = params.context.include_declaration;
    backend
        .with_doc("textDocument/references", &pos.text_document.uri, move |open, ctx| {
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

pub(super) async fn document_highlight(
    backend: &Backend,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let pos = params.text_document_position_params;
    backend
        .with_doc("textDocument/documentHighlight", &pos.text_document.uri, move |open, ctx| {
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

pub(super) async fn symbol(
    backend: &Backend,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let query = params.query.to_lowercase();
    let encoding = backend.shared.encoding();
    let uris: Vec<Uri> = backend.shared.docs.iter().map(|o| o.uri.clone()).collect();
    let docs: Vec<Open> = uris.iter().filter_map(|u| backend.shared.snapshot(u)).collect();
    let found = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for open in docs {
            open.doc.text.index_lines();
            let mut flat = Vec::new();
            flatten(&open.doc.text, &open.uri, ide::document_symbols(&open.doc), None, encoding, &mut flat);
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

pub(super) async fn folding_range(
    backend: &Backend,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    backend
        .with_doc("textDocument/foldingRange", &params.text_document.uri, |open, _| {
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

pub(super) async fn selection_range(
    backend: &Backend,
    params: SelectionRangeParams,
) -> Result<Option<Vec<SelectionRange>>> {
    let positions = params.positions;
    backend
        .with_doc("textDocument/selectionRange", &params.text_document.uri, move |open, ctx| {
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

#[allow(deprecated)] // `deprecated` is a required field of SymbolInformation
pub(in crate::lsp) fn flatten(
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
