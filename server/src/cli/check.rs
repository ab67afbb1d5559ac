//! `fdl check`: find the files, run the analyser, hand the results to a renderer.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::analysis::{self, CheckOptions, Diagnostic};
use crate::syntax::{SourceText, SyntaxTree};
use crate::templates;

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
        // Test and mocks files of the dry run sit beside flows but are not flows.
        let not_flows = |p: &PathBuf| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            super::test_cmd::is_test_file(p) || name.ends_with(".mocks.yaml") || name.ends_with(".mocks.yml")
        };
        for path in walk.files.iter().filter(|p| !not_flows(p)) {
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

    /// Checks one file; files found by a directory search are skipped unless they hold FDL
    /// (a flow, or a deployment file with flows in it or naming flow files), files named on
    /// the command line are always checked.
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
        let (mut diagnostics, flow_files) = if files::is_terraform_name(path) {
            match templates::terraform_host(&content) {
                Some(host) => (analysis::embedded::check_host(&text, &host, &self.options), host.files),
                None => return self.not_fdl(path, explicit, "no `alicloud_fnf_flow` resource"),
            }
        } else {
            let tree = SyntaxTree::parse(&text);
            if analysis::looks_like_fdl(&tree) {
                (analysis::check(&text, &tree, &self.options), Vec::new())
            } else if let Some(host) = templates::yaml_host(&text, &tree) {
                (analysis::embedded::check_host(&text, &host, &self.options), host.files)
            } else if templates::embedded::is_deployment_file(&tree) {
                return self.not_fdl(path, explicit, "a deployment file without flows");
            } else if explicit {
                (analysis::check(&text, &tree, &self.options), Vec::new())
            } else {
                return Outcome::NotFdl;
            }
        };
        self.seen.insert(identity);
        // Flow files named by the host: checked in turn, reported where named when missing.
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut named = Vec::new();
        for file in &flow_files {
            // `./flows/x.yaml` next to `app/s.yaml` is reported as `app/flows/x.yaml`.
            let resolved: PathBuf =
                folder.join(&file.path).components().filter(|c| *c != Component::CurDir).collect();
            if resolved.is_file() {
                named.push(resolved);
            } else {
                diagnostics
                    .push(analysis::embedded::missing_flow_file(file, &resolved.display().to_string()));
            }
        }
        diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
        self.report(path, &text, &diagnostics);
        for file in named {
            self.check_file(&file, true);
        }
        Outcome::Checked
    }

    fn report(&mut self, path: &Path, text: &SourceText, diagnostics: &[Diagnostic]) {
        self.tally.files += 1;
        self.tally.add(diagnostics);
        let name = path.display().to_string();
        match self.format {
            Format::Human => {
                for d in diagnostics {
                    let rendered = render_human::render_diagnostic(&name, text, d, self.console.color);
                    self.console.out(&rendered);
                }
            }
            Format::Json => self.json.extend(render_json::file_diagnostics(&name, text, diagnostics)),
        }
    }

    /// A file that holds no flow. Named on the command line, that is worth saying (and the
    /// run cannot be clean); found by a directory search, it is simply not ours.
    fn not_fdl(&mut self, path: &Path, explicit: bool, what: &str) -> Outcome {
        if explicit {
            self.trouble = true;
            self.console.error_line(&format!("{}: no flow definition found ({what})", path.display()));
        }
        Outcome::NotFdl
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
