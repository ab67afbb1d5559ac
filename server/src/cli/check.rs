//! `fdl check`: find the files, run the analyser, hand the results to a renderer.
//!
//! Files are examined (read, parsed, analysed) on every core, in batches, and reported one
//! by one in the order they were found, so that the output does not depend on the thread
//! that finished first.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use crate::analysis::{self, CheckOptions, Diagnostic};
use crate::syntax::{SourceText, SyntaxTree};
use crate::templates;

use super::args::{CheckArgs, Format};
use super::console::{Console, Exit};
use super::files::{self, LoadError};
use super::tally::Tally;
use super::{render_human, render_json};

/// Files examined together before their results are reported: enough to keep every core
/// busy, few enough that the results waiting to be printed stay small.
const BATCH: usize = 256;

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
    // Files named one after the other on the command line (`fdl check flows/*.yaml`) are
    // examined together, like the files of a directory.
    let mut named: Vec<PathBuf> = Vec::new();
    for path in &args.paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                session.check_files(&std::mem::take(&mut named), true);
                session.check_dir(path);
            }
            Ok(_) => named.push(path.clone()),
            Err(e) => {
                session.check_files(&std::mem::take(&mut named), true);
                session.tally.unreadable += 1;
                session.fail(path, e.into());
            }
        }
    }
    session.check_files(&named, true);
    session.finish()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Checked,
    NotFdl,
    Unreadable,
}

/// What examining one file found, before anything is reported.
enum Examined {
    Unreadable(LoadError),
    /// Not a flow: why, for a file named on the command line.
    NotFdl(&'static str),
    /// Found by a directory search and not FDL: not ours, nothing to say.
    Skipped,
    Checked {
        text: SourceText,
        diagnostics: Vec<Diagnostic>,
        flow_files: Vec<templates::embedded::FlowFile>,
    },
}

/// Reads and analyses one file; no output, no shared state, so files can be examined in
/// parallel.
fn examine(path: &Path, explicit: bool, options: &CheckOptions) -> Examined {
    let content = match files::read_text(path) {
        Ok(content) => content,
        Err(error) => return Examined::Unreadable(error),
    };
    let text = SourceText::new(&content);
    let not_fdl = |what| if explicit { Examined::NotFdl(what) } else { Examined::Skipped };
    let (diagnostics, flow_files) = if files::is_terraform_name(path) {
        match templates::terraform_host(&content) {
            Some(host) => (analysis::embedded::check_host(&text, &host, options), host.files),
            None => return not_fdl("no `alicloud_fnf_flow` resource"),
        }
    } else {
        let tree = SyntaxTree::parse(&text);
        if analysis::looks_like_fdl(&tree) {
            (analysis::check(&text, &tree, options), Vec::new())
        } else if let Some(host) = templates::yaml_host(&text, &tree) {
            (analysis::embedded::check_host(&text, &host, options), host.files)
        } else if templates::embedded::is_deployment_file(&tree) {
            return not_fdl("a deployment file without flows");
        } else if explicit {
            (analysis::check(&text, &tree, options), Vec::new())
        } else {
            return Examined::Skipped;
        }
    };
    Examined::Checked { text, diagnostics, flow_files }
}

/// Examines `paths` on every available core; the results in the order of `paths`.
fn examine_all(paths: &[PathBuf], explicit: bool, options: &CheckOptions) -> Vec<Examined> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(paths.len());
    if workers <= 1 {
        return paths.iter().map(|p| examine(p, explicit, options)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut found: Vec<(usize, Examined)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        mine.push((i, examine(path, explicit, options)));
                    }
                    mine
                })
            })
            .collect();
        // A worker that panicked lost its files: they are examined again below, where a
        // panic is reported like any other.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    found.sort_by_key(|(i, _)| *i);
    let mut results = Vec::with_capacity(paths.len());
    let mut found = found.into_iter().peekable();
    for (i, path) in paths.iter().enumerate() {
        match found.next_if(|(j, _)| *j == i) {
            Some((_, examined)) => results.push(examined),
            None => results.push(examine(path, explicit, options)),
        }
    }
    results
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
        let mut failed = !walk.errors.is_empty();
        for (path, error) in walk.errors {
            self.fail(&path, error);
        }
        // Test and mocks files of the dry run sit beside flows but are not flows.
        let is_flow_candidate = |p: &&PathBuf| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !(super::test_cmd::is_test_file(p)
                || name.ends_with(".mocks.yaml")
                || name.ends_with(".mocks.yml"))
        };
        let candidates: Vec<PathBuf> = walk.files.iter().filter(is_flow_candidate).cloned().collect();
        let (found, unreadable) = self.check_files(&candidates, false);
        failed |= unreadable;
        // When some files could not be read, their messages already explain the empty result.
        if found == 0 && !failed {
            self.trouble = true;
            self.console.error_line(&format!("no flow definitions found under {}", dir.display()));
        }
    }

    /// Examines `paths` in parallel batches and reports each in order; how many were
    /// checked, and whether some could not be read.
    fn check_files(&mut self, paths: &[PathBuf], explicit: bool) -> (usize, bool) {
        let mut found = 0;
        let mut unreadable = false;
        for batch in paths.chunks(BATCH) {
            // Already reported (named twice, or named by a host checked before): not again.
            let todo: Vec<PathBuf> =
                batch.iter().filter(|p| !self.seen.contains(&identity(p))).cloned().collect();
            let mut examined: HashMap<PathBuf, Examined> =
                todo.iter().cloned().zip(examine_all(&todo, explicit, &self.options)).collect();
            for path in batch {
                match self.report_file(path, explicit, examined.remove(path)) {
                    Outcome::Checked => found += 1,
                    Outcome::NotFdl => {}
                    Outcome::Unreadable => unreadable = true,
                }
            }
        }
        (found, unreadable)
    }

    /// Reports one file, examining it now unless that was done already, then the flow
    /// files it names (a deployment file's), right after it.
    fn report_file(&mut self, path: &Path, explicit: bool, examined: Option<Examined>) -> Outcome {
        let identity = identity(path);
        if self.seen.contains(&identity) {
            return Outcome::Checked;
        }
        let examined = examined.unwrap_or_else(|| examine(path, explicit, &self.options));
        let (text, mut diagnostics, flow_files) = match examined {
            Examined::Unreadable(error) => {
                self.tally.unreadable += 1;
                self.fail(path, error);
                return Outcome::Unreadable;
            }
            Examined::NotFdl(what) => {
                // Named on the command line, a file without a flow is worth saying (and the
                // run cannot be clean); found by a directory search, it is simply not ours.
                self.trouble = true;
                self.console.error_line(&format!("{}: no flow definition found ({what})", path.display()));
                return Outcome::NotFdl;
            }
            Examined::Skipped => return Outcome::NotFdl,
            Examined::Checked { text, diagnostics, flow_files } => (text, diagnostics, flow_files),
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
            self.report_file(&file, true, None);
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

/// The path a file is known by, whichever way it was named.
fn identity(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
