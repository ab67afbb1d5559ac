//! The commands the server executes (`fdl.dryRun`, `fdl.runTests`, `fdl.openMigrated`) and
//! what a dry run leaves behind: inlay hints, `fdl/lastRun`, and its progress to cancel.

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::ide;
use crate::lsp::{convert, dry_run};

impl Backend {
    /// `fdl/lastRun`: the full result of the last dry run of a flow document (`null` when it
    /// has not run), for clients that draw more than inlay hints.
    pub(crate) async fn last_run(&self, params: TextDocumentIdentifier) -> Result<Option<Value>> {
        Ok(dry_run::last_run(&self.shared, &params.uri))
    }

    /// `window/workDoneProgress/cancel`: the user stopped a dry run from its progress report.
    pub(crate) async fn progress_cancel(&self, params: Value) {
        dry_run::cancel_progress(&self.shared, &params);
    }
}

pub(super) async fn execute_command(
    backend: &Backend,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    if params.command == ide::DRY_RUN_COMMAND {
        return dry_run::execute(Arc::clone(&backend.shared), params).await;
    }
    if params.command == crate::lsp::test_run::RUN_TESTS_COMMAND {
        return crate::lsp::test_run::execute(Arc::clone(&backend.shared), params).await;
    }
    if params.command == ide::OPEN_MIGRATED_COMMAND {
        let Some(show) = crate::lsp::migrate::show_params(&params.arguments) else {
            return Err(Error::invalid_params("fdl.openMigrated takes the URI of the migrated file"));
        };
        let shown = backend.shared.client.show_document(show).await.unwrap_or(false);
        return Ok(Some(Value::Bool(shown)));
    }
    Err(Error::method_not_found())
}

pub(super) async fn inlay_hint(backend: &Backend, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let Some(run) = backend.shared.runs.get(params.text_document.uri.as_str()).map(|r| r.clone()) else {
        return Ok(None);
    };
    let range = params.range;
    backend
        .with_doc("textDocument/inlayHint", &params.text_document.uri, move |open, ctx| {
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
