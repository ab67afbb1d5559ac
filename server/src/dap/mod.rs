//! `fdl dap`: a Debug Adapter Protocol server over stdin/stdout that steps through a dry
//! run state by state. It sits on the dry run (`dryrun`'s hook and paused-execution
//! views), reads flows with `syntax` and `analysis` and evaluates with `expr`; nothing
//! below it knows it exists, and it knows no LSP.
//!
//! - [`transport`]: framing (shared with the language server, [`crate::wire`]) and the
//!   writer both threads use;
//! - [`protocol`]: the DAP messages it speaks, as serde types;
//! - [`adapter`]: the session on the adapter thread;
//! - [`launch`]: the launch configuration, read into a run ready to start;
//! - [`debugger`]: the run thread, its hook and its stops;
//! - [`source`], [`breakpoints`], [`stepping`], [`variables`]: lines to states, the
//!   breakpoint table, when a step ends, expandable JSON.

mod adapter;
mod breakpoints;
mod debugger;
mod launch;
mod protocol;
mod source;
mod stepping;
mod transport;
mod variables;

use std::process::ExitCode;
use std::sync::mpsc::channel;

use adapter::{Adapter, Flow};
use transport::{Writer, spawn_reader};

/// Runs the adapter on stdin/stdout until the client disconnects or goes away.
pub fn run() -> ExitCode {
    let (to_adapter, inbox) = channel();
    spawn_reader(tokio::io::stdin, to_adapter);
    let mut adapter = Adapter::new(Writer::new(Box::new(std::io::stdout())));
    while let Ok(incoming) = inbox.recv() {
        if adapter.handle(incoming) == Flow::Exit {
            break;
        }
    }
    ExitCode::SUCCESS
}
