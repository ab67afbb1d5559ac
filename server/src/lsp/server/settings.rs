//! The `fdl` settings: read from `initializationOptions`, `workspace/configuration` and
//! `didChangeConfiguration`, and the diagnostics they change refreshed.

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::analysis::WorkflowMode;
use crate::lsp::state::Shared;
use crate::templates::Syntaxes;

pub(super) async fn did_change_configuration(backend: &Backend, params: DidChangeConfigurationParams) {
    let has_settings = params.settings.get("fdl").is_some();
    if has_settings {
        if apply_settings(&backend.shared, &params.settings) {
            backend.refresh_diagnostics().await;
        }
    } else {
        backend.fetch_configuration();
    }
}

impl Backend {
    /// Re-publishes (push) or asks the client to re-pull diagnostics after a settings change.
    async fn refresh_diagnostics(&self) {
        let caps = self.shared.caps();
        if caps.pull_diagnostics {
            if caps.diagnostic_refresh {
                let _ = self.shared.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        let uris: Vec<Uri> = self.shared.docs.iter().map(|o| o.uri.clone()).collect();
        for uri in uris {
            self.shared.schedule_diagnostics(&uri);
        }
    }

    /// Asks the client for the `fdl` settings, without ever waiting on the reply in a way
    /// that could block other messages (some clients never answer).
    pub(super) fn fetch_configuration(&self) {
        if !self.shared.caps().configuration {
            return;
        }
        let shared = Arc::clone(&self.shared);
        tokio::spawn(async move {
            let items = vec![ConfigurationItem { scope_uri: None, section: Some("fdl".to_string()) }];
            let reply =
                tokio::time::timeout(std::time::Duration::from_secs(10), shared.client.configuration(items))
                    .await;
            if let Ok(Ok(values)) = reply
                && let Some(value) = values.into_iter().next()
                && apply_settings(&shared, &value)
            {
                let backend = Backend { shared };
                backend.refresh_diagnostics().await;
            }
        });
    }
}

/// Applies `{"mode": "express", "placeholders": [...]}` (or the same under an `fdl` key).
/// Returns whether anything changed.
pub(super) fn apply_settings(shared: &Shared, value: &Value) -> bool {
    let settings = value.get("fdl").unwrap_or(value);
    let Some(obj) = settings.as_object() else { return false };
    let mode = match obj.get("mode").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
        Some("express") => Some(WorkflowMode::Express),
        Some("standard") => Some(WorkflowMode::Standard),
        _ => None,
    };
    let placeholders = placeholder_setting(obj.get("placeholders"));
    let mut config = shared.config.write().unwrap_or_else(|e| e.into_inner());
    let changed = config.mode != mode || config.placeholders != placeholders;
    config.mode = mode;
    config.placeholders = placeholders;
    if changed {
        shared.config_epoch.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
    changed
}

/// `fdl.placeholders`: a list of tool names or edits (`["serverless-devs", "ros"]`,
/// `["-terraform"]`) or the same as one string; absent or invalid means every tool.
fn placeholder_setting(value: Option<&Value>) -> Syntaxes {
    let spec = match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
        _ => return Syntaxes::ALL,
    };
    Syntaxes::ALL.edit(&spec).unwrap_or(Syntaxes::ALL)
}
