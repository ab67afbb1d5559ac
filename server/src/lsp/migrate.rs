//! "Migrate to CloudFlow" as code actions (`refactor.rewrite`) on a legacy flow, from
//! [`crate::ide::migration_offer`]. The client lists both and the user picks:
//!
//! - "Migrate to CloudFlow: new file x.fdl.yaml": a `WorkspaceEdit` that creates the file
//!   next to the legacy one and fills it, offered to clients that can create files
//!   (`workspaceEdit.resourceOperations` has `create`); its command, `fdl.openMigrated`,
//!   then opens the new file (`window/showDocument`), where its diagnostics show;
//! - "Migrate to CloudFlow: replace this document": one edit of the whole text (undo
//!   brings the legacy flow back).

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::convert;
use super::state::{ClientCaps, Open};
use crate::ide::{self, MigrationOffer, OPEN_MIGRATED_COMMAND};
use crate::syntax::{PositionEncoding, TextRange};

/// Whether a code action request that asks only for `only` kinds wants refactorings.
pub(super) fn wanted(only: Option<&[CodeActionKind]>) -> bool {
    only.is_none_or(|kinds| {
        kinds.iter().any(|k| CodeActionKind::REFACTOR_REWRITE.as_str().starts_with(k.as_str()))
    })
}

pub(super) fn code_actions(
    open: &Open,
    caps: ClientCaps,
    encoding: PositionEncoding,
) -> Vec<CodeActionOrCommand> {
    let path = open.uri.to_file_path().map(|p| p.into_owned());
    let file_name = path.as_ref().and_then(|p| p.file_name()).and_then(|n| n.to_str());
    let Some(offer) = ide::migration_offer(&open.doc, file_name) else { return Vec::new() };
    let MigrationOffer { migration, new_file } = &*offer;
    let notes = match migration.notes.len() {
        0 => String::new(),
        1 => " (1 note)".to_string(),
        n => format!(" ({n} notes)"),
    };
    let mut actions = Vec::new();
    let target = path.as_ref().map(|p| crate::migrate::migrated_path(p)).filter(|_| new_file.is_some());
    if caps.create_files
        && let Some(target) = target
        && let Some(uri) = Uri::from_file_path(&target)
    {
        let exists = target.exists();
        let name = new_file.clone().unwrap_or_default();
        let title = if exists {
            format!("Migrate to CloudFlow: replace {name}{notes}")
        } else {
            format!("Migrate to CloudFlow: new file {name}{notes}")
        };
        let create = ResourceOp::Create(CreateFile {
            uri: uri.clone(),
            options: Some(CreateFileOptions { overwrite: Some(exists), ignore_if_exists: Some(false) }),
            annotation_id: None,
        });
        let fill = TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version: None },
            edits: vec![OneOf::Left(TextEdit { range: Range::default(), new_text: migration.text.clone() })],
        };
        let command = caps.show_document.then(|| Command {
            title: "Open the migrated flow".to_string(),
            command: OPEN_MIGRATED_COMMAND.to_string(),
            arguments: Some(vec![Value::String(uri.as_str().to_string())]),
        });
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::REFACTOR_REWRITE),
            edit: Some(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Operations(vec![
                    DocumentChangeOperation::Op(create),
                    DocumentChangeOperation::Edit(fill),
                ])),
                ..Default::default()
            }),
            command,
            ..Default::default()
        }));
    }
    let whole = TextRange::new(0, open.doc.text.len());
    let edits = convert::edits(&open.doc.text, &[(whole, migration.text.clone())], encoding);
    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Migrate to CloudFlow: replace this document{notes}"),
        kind: Some(CodeActionKind::REFACTOR_REWRITE),
        edit: Some(WorkspaceEdit {
            changes: Some(std::iter::once((open.uri.clone(), edits)).collect()),
            ..Default::default()
        }),
        ..Default::default()
    }));
    actions
}

/// `fdl.openMigrated URI`: the parameters of `window/showDocument` for the new file.
pub(super) fn show_params(arguments: &[Value]) -> Option<ShowDocumentParams> {
    let uri: Uri = arguments.first()?.as_str()?.parse().ok()?;
    Some(ShowDocumentParams { uri, external: Some(false), take_focus: Some(true), selection: None })
}
