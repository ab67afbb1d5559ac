//! `fdl fmt`: formats flow definitions in place, or with `--check` lists those that are not
//! formatted (for CI). Directories are searched like `fdl check` does.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::analysis;
use crate::ide::{FormatError, FormatOptions, format_text};
use crate::syntax::{SourceText, SyntaxTree};

use super::args::FmtArgs;
use super::console::{Console, Exit};
use super::files::{self, LoadError};

pub fn run(args: &FmtArgs, console: &mut Console) -> Exit {
    let mut session = Session {
        check: args.check,
        options: FormatOptions { indent: args.indent },
        console,
        seen: HashSet::new(),
        changed: 0,
        unchanged: 0,
        failed: false,
        trouble: false,
    };
    for path in &args.paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => session.dir(path),
            Ok(_) => session.file(path, true),
            Err(e) => session.unreadable(path, e.into()),
        }
    }
    session.finish()
}

struct Session<'c, 'a> {
    check: bool,
    options: FormatOptions,
    console: &'c mut Console<'a>,
    seen: HashSet<PathBuf>,
    changed: usize,
    unchanged: usize,
    /// A file could not be formatted (YAML errors).
    failed: bool,
    /// A path could not be read or written.
    trouble: bool,
}

impl Session<'_, '_> {
    fn unreadable(&mut self, path: &Path, error: LoadError) {
        self.trouble = true;
        self.console.error_line(&format!("{}: {error}", path.display()));
    }

    fn dir(&mut self, dir: &Path) {
        let walk = files::walk(dir);
        for (path, error) in walk.errors {
            self.unreadable(&path, error);
        }
        for path in &walk.files {
            self.file(path, false);
        }
    }

    /// Files found by a directory search are formatted only when they hold a flow.
    fn file(&mut self, path: &Path, explicit: bool) {
        let identity = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !self.seen.insert(identity) {
            return;
        }
        if files::is_terraform_name(path) {
            if explicit {
                self.failed = true;
                self.console.error_line(&format!("{}: {}", path.display(), FormatError::NotYaml));
            }
            return;
        }
        let text = match files::read_text(path) {
            Ok(text) => text,
            Err(e) => return self.unreadable(path, e),
        };
        if !explicit && !analysis::looks_like_fdl(&SyntaxTree::parse(&SourceText::new(&text))) {
            return;
        }
        let formatted = match format_text(&text, &self.options) {
            Ok(formatted) => formatted,
            Err(e) => {
                self.failed = true;
                self.console.error_line(&format!("{}: {e}", path.display()));
                return;
            }
        };
        if formatted == text {
            self.unchanged += 1;
            return;
        }
        self.changed += 1;
        if self.check {
            self.console.out(&format!("not formatted: {}\n", path.display()));
        } else if let Err(e) = fs::write(path, formatted) {
            self.trouble = true;
            self.console.error_line(&format!("{}: cannot write: {e}", path.display()));
        } else {
            self.console.out(&format!("formatted: {}\n", path.display()));
        }
    }

    fn finish(self) -> Exit {
        let noun = |n: usize| if n == 1 { "file" } else { "files" };
        let summary = if self.check {
            format!("{} {} not formatted, {} formatted\n", self.changed, noun(self.changed), self.unchanged)
        } else {
            format!(
                "{} {} formatted, {} already formatted\n",
                self.changed,
                noun(self.changed),
                self.unchanged
            )
        };
        self.console.out(&summary);
        if self.trouble {
            Exit::Trouble
        } else if self.failed || (self.check && self.changed > 0) {
            Exit::Errors
        } else {
            Exit::Clean
        }
    }
}
