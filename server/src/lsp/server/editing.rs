//! Writing a flow: completion, signature help, code actions (fixes and "Migrate to
//! CloudFlow"), rename and formatting.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::ide;
use crate::lsp::{convert, dry_run};

pub(super) async fn completion(
    backend: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let trigger = params.context.and_then(|c| c.trigger_character);
    let shared = Arc::clone(&backend.shared);
    backend
        .with_doc("textDocument/completion", &pos.text_document.uri, move |open, ctx| {
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

pub(super) async fn signature_help(
    backend: &Backend,
    params: SignatureHelpParams,
) -> Result<Option<SignatureHelp>> {
    let pos = params.text_document_position_params;
    backend
        .with_doc("textDocument/signatureHelp", &pos.text_document.uri, move |open, ctx| {
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

pub(super) async fn code_action(
    backend: &Backend,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri.clone();
    let range = params.range;
    let refactor = crate::lsp::migrate::wanted(params.context.only.as_deref());
    let quickfix =
        params.context.only.as_ref().is_none_or(|kinds| {
            kinds.iter().any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
        });
    backend
        .with_doc("textDocument/codeAction", &params.text_document.uri, move |open, ctx| {
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
                actions.extend(crate::lsp::migrate::code_actions(open, ctx.caps, ctx.encoding));
            }
            Some(actions)
        })
        .await
}

pub(super) async fn prepare_rename(
    backend: &Backend,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some(open) = backend.shared.snapshot(&params.text_document.uri) else { return Ok(None) };
    let ctx = backend.ctx();
    let offset = convert::offset(&open.doc.text, params.position, ctx.encoding);
    match ide::prepare_rename(&open.doc, offset) {
        Ok((range, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: convert::range(&open.doc.text, range, ctx.encoding),
            placeholder,
        })),
        Err(message) => Err(Error { code: ErrorCode::InvalidRequest, message: message.into(), data: None }),
    }
}

pub(super) async fn rename(backend: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let pos = params.text_document_position;
    let Some(open) = backend.shared.snapshot(&pos.text_document.uri) else { return Ok(None) };
    let ctx = backend.ctx();
    let offset = convert::offset(&open.doc.text, pos.position, ctx.encoding);
    match ide::rename(&open.doc, offset, &params.new_name) {
        Ok(edits) => {
            let edits = convert::edits(&open.doc.text, &edits, ctx.encoding);
            let changes = std::iter::once((pos.text_document.uri, edits)).collect();
            Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }))
        }
        Err(message) => Err(Error { code: ErrorCode::InvalidRequest, message: message.into(), data: None }),
    }
}

pub(super) async fn formatting(
    backend: &Backend,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let options = format_options(&params.options);
    let result = backend
        .with_doc("textDocument/formatting", &params.text_document.uri, move |open, ctx| {
            let edits = ide::formatting(&open.doc, &options);
            Some(edits.map(|e| convert::edits(&open.doc.text, &e, ctx.encoding)))
        })
        .await?;
    format_answer(result)
}

pub(super) async fn range_formatting(
    backend: &Backend,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let options = format_options(&params.options);
    let range = params.range;
    let result = backend
        .with_doc("textDocument/rangeFormatting", &params.text_document.uri, move |open, ctx| {
            let range = convert::text_range(&open.doc.text, range, ctx.encoding);
            let edits = ide::range_formatting(&open.doc, range, &options);
            Some(edits.map(|e| convert::edits(&open.doc.text, &e, ctx.encoding)))
        })
        .await?;
    format_answer(result)
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
