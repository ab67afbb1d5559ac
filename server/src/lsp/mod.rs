//! The language server: LSP over stdio on tower-lsp-server. The only layer that knows
//! JSON-RPC and LSP types; everything it answers comes from [`crate::ide`].
//!
//! - [`input`]: frames stdin and checks each message, so that no malformed message can stop
//!   the server (each gets a JSON-RPC error answer instead);
//! - [`ordered`]: applies document changes in the order they arrive (an invariant, not luck);
//! - [`state`]: open documents, settings and negotiated capabilities;
//! - [`convert`]: positions and ide results to LSP types;
//! - [`output`]: big answers written as JSON text and spliced into the outgoing messages;
//! - [`sweep`]: positions of many offsets in one pass over the text;
//! - [`pieces`], [`outline`]: answers assembled from per-state pieces kept between
//!   snapshots, written as JSON text (`textDocument/documentSymbol`); [`tokens`]: the same
//!   for semantic tokens, whole and as deltas; [`answers`] routes those requests;
//! - [`dry_run`]: `fdl.dryRun` (progress, cancellation), the last run's inlay hints and
//!   `fdl/lastRun`, test files and the workspace's flows;
//! - [`test_run`]: `fdl.runTests`, the cases of a test file run on the texts the editor
//!   holds, reported as `fdl test --format json` reports them;
//! - [`migrate`]: "Migrate to CloudFlow" code actions on legacy flows;
//! - [`server`]: the request handlers, each isolated so that a failure answers that request
//!   with an error and the server keeps serving.

mod answers;
mod convert;
mod dry_run;
mod input;
mod migrate;
mod ordered;
mod outline;
mod output;
mod pieces;
mod server;
mod state;
mod sweep;
mod test_run;
mod tokens;

use std::process::ExitCode;

use tower_lsp_server::{LspService, Server};

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run() -> ExitCode {
    // stdout carries the protocol; a failing request is answered with an error, so one line
    // on stderr (the editor's log) is all a panic needs to say.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("fdl lsp: internal error, request answered with an error: {info}")
    }));
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("fdl lsp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let clean = runtime.block_on(async {
        let mut builder = LspService::build(server::Backend::new)
            .custom_method("fdl/documentText", server::Backend::document_text)
            .custom_method("fdl/graph", server::Backend::graph)
            .custom_method("fdl/lastRun", server::Backend::last_run)
            .custom_method(answers::OUTLINE, server::Backend::outline_answer)
            .custom_method(answers::TOKENS, server::Backend::tokens_answer)
            .custom_method(answers::TOKENS_DELTA, server::Backend::tokens_delta_answer)
            .custom_method("window/workDoneProgress/cancel", server::Backend::progress_cancel)
            .custom_method(input::INVALID_REQUEST, server::Backend::invalid_request);
        // Lets the end-to-end tests prove that a failing request does not take the server
        // down; never registered otherwise.
        if std::env::var_os("FDL_LSP_TEST_HOOKS").is_some() {
            builder = builder.custom_method("fdl/test/panic", server::Backend::test_panic);
        }
        let (service, socket) = builder.finish();
        let shared = service.inner().shared();
        let shared_after = std::sync::Arc::clone(&shared);
        let service = ordered::Ordered::new(service, shared);
        let stdin = input::sanitized(tokio::io::stdin());
        let stdout = output::Splice::new(tokio::io::stdout(), std::sync::Arc::clone(&shared_after.prepared));
        Server::new(stdin, stdout, socket).serve(service).await;
        shared_after.shutdown_requested()
    });
    // The stdin reader sits in a blocking read that only the client can end: do not wait
    // for it.
    runtime.shutdown_background();
    // LSP: exit code 0 when `exit` followed `shutdown`, 1 otherwise.
    if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// The input pump over a whole byte stream, for the fuzzer: the message bodies it would
/// hand to the server. Not part of the API.
#[doc(hidden)]
pub fn pumped_bodies(bytes: &[u8]) -> Vec<String> {
    use tokio::io::AsyncReadExt;
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        return Vec::new();
    };
    let out = runtime.block_on(async {
        let mut reader = input::sanitized(std::io::Cursor::new(bytes.to_vec()));
        let mut out = Vec::new();
        let _ = reader.read_to_end(&mut out).await;
        out
    });
    // The pump writes `Content-Length: N\r\n\r\n` and N bytes, nothing else.
    let mut bodies = Vec::new();
    let mut rest = &out[..];
    while let Some(end) = rest.windows(4).position(|w| w == b"\r\n\r\n") {
        let header = String::from_utf8_lossy(&rest[..end]);
        let Some(length) = header.strip_prefix("Content-Length: ").and_then(|n| n.parse::<usize>().ok())
        else {
            break;
        };
        let body = &rest[end + 4..];
        let Some(body) = body.get(..length) else { break };
        bodies.push(String::from_utf8_lossy(body).into_owned());
        rest = &rest[end + 4 + length..];
    }
    bodies
}
