//! Command line: `fdl check`, `fdl schema`, `fdl eval`, `fdl run`, `fdl test` (and the
//! servers `fdl lsp` and `fdl dap`).
//!
//! - [`args`]: the clap grammar;
//! - [`check`]: `fdl check`, on top of [`files`] (finding and reading files),
//!   [`render_human`] and [`render_json`];
//! - [`schema_cmd`]: `fdl schema`;
//! - [`eval_cmd`]: `fdl eval`, one expression against JSON data;
//! - [`fmt_cmd`]: `fdl fmt`, formatting in place or checking;
//! - [`graph_cmd`]: `fdl graph`, the state graph as Mermaid or dot;
//! - [`run_cmd`]: `fdl run`, a dry run of one flow;
//! - [`test_cmd`]: `fdl test`, the workflow tests of `*.fdltest.yaml` files;
//! - [`migrate_cmd`]: `fdl migrate`, a legacy flow as a CloudFlow flow, checked by dry runs;
//! - [`console`]: output handles and exit status.

mod args;
mod check;
mod console;
mod eval_cmd;
mod files;
mod fmt_cmd;
mod graph_cmd;
mod migrate_cmd;
mod render_human;
mod render_json;
mod run_cmd;
mod schema_cmd;
mod tally;
mod test_cmd;

use std::ffi::OsString;
use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::Parser;

pub use console::{Console, Exit};

use args::{Cli, Command};

/// The `fdl` executable.
pub fn main() -> ExitCode {
    // The language server owns stdout for the protocol: start it before anything locks it.
    match Cli::try_parse_from(std::env::args_os()) {
        Ok(Cli { command: Command::Lsp(_) }) => return crate::lsp::run(),
        // The debug adapter owns stdout too.
        Ok(Cli { command: Command::Dap(_) }) => return crate::dap::run(),
        _ => {}
    }
    let stdout = io::stdout();
    let stderr = io::stderr();
    let color = console::color_allowed(stdout.is_terminal());
    let err_color = console::color_allowed(stderr.is_terminal());
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let console = Console::new(&mut out, &mut err, color, err_color);
    run(std::env::args_os(), console).into()
}

/// Runs one command line (including the program name) against the given console.
pub fn run<I, T>(args: I, mut console: Console) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap's own `exit()` would end the process; the status must come from here.
            let to_stderr = e.use_stderr();
            let styled = e.render();
            let use_color = if to_stderr { console.err_color } else { console.color };
            let text = if use_color { styled.ansi().to_string() } else { styled.to_string() };
            let exit = if to_stderr {
                console.err(&text);
                Exit::Trouble
            } else {
                console.out(&text);
                Exit::Clean
            };
            return console.finish(exit);
        }
    };
    let exit = match &cli.command {
        Command::Check(args) => check::run(args, &mut console),
        Command::Schema(args) => schema_cmd::run(args, &mut console),
        Command::Eval(args) => eval_cmd::run(args, &mut console),
        Command::Fmt(args) => fmt_cmd::run(args, &mut console),
        Command::Graph(args) => graph_cmd::run(args, &mut console),
        Command::Run(args) => run_cmd::run(args, &mut console),
        Command::Test(args) => test_cmd::run(args, &mut console),
        Command::Migrate(args) => migrate_cmd::run(args, &mut console),
        Command::Lsp(_) => {
            console.err(
                "fdl lsp speaks the Language Server Protocol on stdin/stdout: start it from an editor\n",
            );
            Exit::Trouble
        }
        Command::Dap(_) => {
            console
                .err("fdl dap speaks the Debug Adapter Protocol on stdin/stdout: start it from an editor\n");
            Exit::Trouble
        }
    };
    console.finish(exit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_captured(args: &[&str]) -> (Exit, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let exit = run(
            std::iter::once("fdl").chain(args.iter().copied()),
            Console::new(&mut out, &mut err, false, false),
        );
        (exit, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn bare_fdl_prints_help_and_fails() {
        let (exit, out, err) = run_captured(&[]);
        assert_eq!(exit, Exit::Trouble);
        assert!(out.is_empty());
        assert!(err.contains("Usage: fdl <COMMAND>"), "{err}");
        assert!(err.contains("check"), "{err}");
    }

    #[test]
    fn help_and_version_succeed_on_stdout() {
        let (exit, out, _) = run_captured(&["--version"]);
        assert_eq!((exit, out.trim()), (Exit::Clean, concat!("fdl ", env!("CARGO_PKG_VERSION"))));
        let (exit, out, _) = run_captured(&["--help"]);
        assert_eq!(exit, Exit::Clean);
        assert!(out.contains("CloudFlow"), "{out}");
    }

    #[test]
    fn missing_path_is_trouble_with_one_line() {
        let (exit, out, err) = run_captured(&["check", "/definitely/not/here.yaml"]);
        assert_eq!(exit, Exit::Trouble);
        assert_eq!(out, "");
        assert_eq!(err, "error: /definitely/not/here.yaml: no such file or directory\n");
    }
}
