//! The start of a session: what the client can do (`client_caps`), what the server offers
//! (`initialize`), and the end of a document's life (`did_close`).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, settings};
use crate::ide;
use crate::lsp::convert;
use crate::lsp::state::ClientCaps;
use crate::syntax::PositionEncoding;

pub(super) fn initialize(backend: &Backend, params: InitializeParams) -> Result<InitializeResult> {
    let (caps, encoding) = client_caps(&params);
    *backend.shared.caps.write().unwrap_or_else(|e| e.into_inner()) = caps;
    *backend.shared.encoding.write().unwrap_or_else(|e| e.into_inner()) = encoding;
    if let Some(options) = &params.initialization_options {
        settings::apply_settings(&backend.shared, options);
    }
    // Where sub-flows and the flows of test files are looked for.
    #[allow(deprecated)] // `root_uri`, for clients without workspace folders
    let roots: Vec<std::path::PathBuf> = match &params.workspace_folders {
        Some(folders) => {
            folders.iter().filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned())).collect()
        }
        None => params.root_uri.iter().filter_map(|u| u.to_file_path().map(|p| p.into_owned())).collect(),
    };
    *backend.shared.roots.write().unwrap_or_else(|e| e.into_inner()) = roots;
    // The first document need not wait for what the first analysis in a process builds.
    tokio::task::spawn_blocking(ide::warm_up);
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
                crate::lsp::test_run::RUN_TESTS_COMMAND.to_string(),
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

pub(super) async fn did_close(backend: &Backend, params: DidCloseTextDocumentParams) {
    backend.shared.runs.remove(params.text_document.uri.as_str());
    if !backend.shared.caps().pull_diagnostics {
        backend.shared.client.publish_diagnostics(params.text_document.uri, Vec::new(), None).await;
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
