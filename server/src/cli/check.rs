//! `fdl check`: find the files, run the analyser, hand the results to a renderer.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::analysis::{self, CheckOptions};
use crate::syntax::{SourceText, SyntaxTree};

use super::args::{CheckArgs, Format};
use super::console::{Console, Exit};
use super::files::{self, LoadError};
use super::tally::Tally;
use super::{render_human, render_json};

pub fn run(args: &CheckArgs, console: &mut Console) -> Exit {
    let mut session = Session {
        options: CheckOptions { mode: args.mode.map(Into::into), ..CheckOptions::default() },
        format: args.format,
        console,
        tally: Tally::default(),
        json: Vec::new(),
        seen: HashSet::new(),
        trouble: false,
    };
    for path in &args.paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => session.check_dir(path),
            Ok(_) => {
                session.check_file(path, true);
            }
            Err(e) => {
                session.tally.unreadable += 1;
                session.fail(path, e.into());
            }
        }
    }
    session.finish()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Checked,
    NotFdl,
    Unreadable,
}

struct Session<'c, 'a> {
    options: CheckOptions,
    format: Format,
    console: &'c mut Console<'a>,
    tally: Tally,
    json: Vec<Value>,
    /// Canonical paths already checked, so that `fdl check dir dir/flow.yaml` reports once.
    seen: HashSet<PathBuf>,
    trouble: bool,
}

impl Session<'_, '_> {
    fn fail(&mut self, path: &Path, error: LoadError) {
        self.trouble = true;
        self.console.error_line(&format!("{}: {error}", path.display()));
    }

    fn check_dir(&mut self, dir: &Path) {
        let walk = files::walk(dir);
        let mut found = 0;
        let mut failed = !walk.errors.is_empty();
        for (path, error) in walk.errors {
            self.fail(&path, error);
        }
        for path in &walk.files {
            match self.check_file(path, false) {
                Outcome::Checked => found += 1,
                Outcome::NotFdl => {}
                Outcome::Unreadable => failed = true,
            }
        }
        // When some files could not be read, their messages already explain the empty result.
        if found == 0 && !failed {
            self.trouble = true;
            self.console.error_line(&format!("no flow definitions found under {}", dir.display()));
        }
    }

    /// Checks one file; files found by a directory search are skipped unless they hold FDL,
    /// files named on the command line are always checked.
    fn check_file(&mut self, path: &Path, explicit: bool) -> Outcome {
        let identity = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.seen.contains(&identity) {
            return Outcome::Checked;
        }
        let content = match files::read_text(path) {
            Ok(content) => content,
            Err(error) => {
                self.tally.unreadable += 1;
                self.fail(path, error);
                return Outcome::Unreadable;
            }
        };
        let text = SourceText::new(&content);
        let tree = SyntaxTree::parse(&text);
        if !explicit && !analysis::looks_like_fdl(&tree) {
            return Outcome::NotFdl;
        }
        self.seen.insert(identity);
        let diagnostics = analysis::check(&text, &tree, &self.options);
        self.tally.files += 1;
        self.tally.add(&diagnostics);
        let name = path.display().to_string();
        match self.format {
            Format::Human => {
                for d in &diagnostics {
                    let rendered = render_human::render_diagnostic(&name, &text, d, self.console.color);
                    self.console.out(&rendered);
                }
            }
            Format::Json => self.json.extend(render_json::file_diagnostics(&name, &text, &diagnostics)),
        }
        Outcome::Checked
    }

    fn finish(self) -> Exit {
        match self.format {
            Format::Human if self.tally.files > 0 => {
                self.console.out(&format!("{}\n", render_human::summary(&self.tally)));
            }
            Format::Human => {}
            Format::Json => self.console.out(&render_json::document(self.json)),
        }
        if self.trouble {
            Exit::Trouble
        } else if self.tally.errors > 0 {
            Exit::Errors
        } else {
            Exit::Clean
        }
    }
}
