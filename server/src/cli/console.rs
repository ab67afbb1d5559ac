//! Where the commands write, and how the process ends.
//!
//! Commands write through a [`Console`] instead of `println!`, which panics when stdout is a
//! closed pipe (`fdl check . | head`); here a write error is remembered and dealt with
//! once, at the end. It also lets the unit tests capture the output.

use std::io::{self, Write};
use std::process::ExitCode;

/// The process exit status, as documented in `fdl --help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Nothing of severity error was found.
    Clean = 0,
    /// At least one diagnostic of severity error.
    Errors = 1,
    /// Bad usage, or a path that could not be read: the result is incomplete.
    Trouble = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

pub struct Console<'a> {
    out: Sink<'a>,
    err: Sink<'a>,
    /// Whether stdout may carry ANSI colours.
    pub color: bool,
    /// Whether stderr may carry ANSI colours.
    pub err_color: bool,
}

struct Sink<'a> {
    writer: &'a mut dyn Write,
    failure: Option<io::Error>,
}

impl Sink<'_> {
    fn write(&mut self, text: &str) {
        if self.failure.is_none()
            && let Err(e) = self.writer.write_all(text.as_bytes())
        {
            self.failure = Some(e);
        }
    }

    fn flush(&mut self) {
        if self.failure.is_none()
            && let Err(e) = self.writer.flush()
        {
            self.failure = Some(e);
        }
    }
}

impl<'a> Console<'a> {
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write, color: bool, err_color: bool) -> Console<'a> {
        Console {
            out: Sink { writer: out, failure: None },
            err: Sink { writer: err, failure: None },
            color,
            err_color,
        }
    }

    pub fn out(&mut self, text: &str) {
        self.out.write(text);
    }

    pub fn err(&mut self, text: &str) {
        self.err.write(text);
    }

    /// Reports a problem that is not a diagnostic (unreadable path, ...) on one line.
    pub fn error_line(&mut self, message: &str) {
        let label = if self.err_color { "\x1b[1;91merror\x1b[0m" } else { "error" };
        self.err(&format!("{label}: {message}\n"));
    }

    /// Flushes and turns a failed write into the exit status. A closed stdout pipe is not an
    /// error of ours: the reader has seen all it wanted, so the status of the check stands.
    pub fn finish(mut self, exit: Exit) -> Exit {
        self.out.flush();
        match self.out.failure.take() {
            Some(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                self.error_line(&format!("cannot write the output: {e}"));
                self.err.flush();
                Exit::Trouble
            }
            _ => {
                self.err.flush();
                exit
            }
        }
    }
}

/// Whether colour is allowed on a stream: only terminals, and never when `NO_COLOR` is set
/// to anything non-empty (<https://no-color.org>).
pub fn color_allowed(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Broken(io::ErrorKind);

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(self.0.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn closed_pipe_keeps_the_status() {
        let mut out = Broken(io::ErrorKind::BrokenPipe);
        let mut err = Vec::new();
        let mut console = Console::new(&mut out, &mut err, false, false);
        console.out("a lot of output");
        assert_eq!(console.finish(Exit::Errors), Exit::Errors);
        assert!(err.is_empty());
    }

    #[test]
    fn other_write_errors_are_trouble() {
        let mut out = Broken(io::ErrorKind::StorageFull);
        let mut err = Vec::new();
        let mut console = Console::new(&mut out, &mut err, false, false);
        console.out("x");
        assert_eq!(console.finish(Exit::Clean), Exit::Trouble);
        assert!(String::from_utf8(err).unwrap().starts_with("error: cannot write the output: "));
    }
}
