//! `fdl.runTests`: the cases of a test file run as `fdl test` runs them, on the texts the
//! editor holds. The test file, the flow it names and the sub-flows that flow starts are
//! read from the texts sent with the command, else from the open documents, else from the
//! files, so that unsaved edits count. The answer is `fdl test --format json` for that one
//! file.
//!
//! Arguments: a test file's URI, or `{uri, cases?, texts?}`: `cases`, the names of the
//! cases to run (all when absent); `texts`, `{URI: text}` of documents the client holds that
//! the server may not (files open in another language, unsaved).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, Uri};

use super::dry_run::CancelOnDrop;
use super::state::Shared;
use crate::dryrun::suite::{self, RunFile, SuiteFiles};
use crate::dryrun::workspace::Workspace;
use crate::dryrun::{Loader, Options};
use crate::syntax::{PositionEncoding, SourceText};

pub(crate) const RUN_TESTS_COMMAND: &str = "fdl.runTests";

const USAGE: &str = "fdl.runTests takes a test file's URI, or {uri, cases?, texts?}";

fn invalid(message: impl Into<String>) -> Error {
    Error { code: ErrorCode::InvalidParams, message: message.into().into(), data: None }
}

struct Args {
    uri: Uri,
    /// The cases to run, by name; all when `None`.
    cases: Option<Vec<String>>,
    /// Texts the client sent, by path.
    texts: Vec<(PathBuf, String)>,
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

fn parse_args(arguments: &[Value]) -> Result<Args> {
    let uri_of = |v: &Value| v.as_str().and_then(|s| s.parse::<Uri>().ok());
    match arguments.first() {
        Some(v @ Value::String(_)) => {
            Ok(Args { uri: uri_of(v).ok_or_else(|| invalid(USAGE))?, cases: None, texts: Vec::new() })
        }
        Some(Value::Object(o)) => {
            let uri = o
                .get("uri")
                .and_then(uri_of)
                .ok_or_else(|| invalid(format!("{USAGE}: `uri` is missing or not a URI")))?;
            let cases = match o.get("cases") {
                None | Some(Value::Null) => None,
                Some(Value::Array(names)) => Some(
                    names
                        .iter()
                        .map(|n| n.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| invalid("`cases` is a list of case names"))?,
                ),
                Some(_) => return Err(invalid("`cases` is a list of case names")),
            };
            let mut texts = Vec::new();
            match o.get("texts") {
                None | Some(Value::Null) => {}
                Some(Value::Object(map)) => {
                    for (key, text) in map {
                        let path = key
                            .parse::<Uri>()
                            .ok()
                            .and_then(|u| path_of(&u))
                            .ok_or_else(|| invalid(format!("`texts`: `{key}` is not a file URI")))?;
                        let text = text.as_str().ok_or_else(|| {
                            invalid(format!("`texts`: the text of `{key}` is not a string"))
                        })?;
                        texts.push((path, text.trim_start_matches('\u{feff}').to_string()));
                    }
                }
                Some(_) => return Err(invalid("`texts` maps document URIs to their texts")),
            }
            Ok(Args { uri, cases, texts })
        }
        _ => Err(invalid(USAGE)),
    }
}

/// The editor's texts over the files.
struct EditorFiles {
    texts: HashMap<PathBuf, String>,
    roots: Vec<PathBuf>,
}

impl SuiteFiles for EditorFiles {
    fn read(&self, path: &Path) -> std::result::Result<String, String> {
        if let Some(text) = self.texts.get(path) {
            return Ok(text.clone());
        }
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(text.trim_start_matches('\u{feff}').to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("no such file or directory".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    fn loader(&self, flow: &Path) -> Box<dyn Loader + '_> {
        let folder = flow.parent();
        let root =
            self.roots.iter().find(|r| folder.is_some_and(|f| f.starts_with(r))).or(self.roots.first());
        let overlay = self.texts.iter().map(|(p, t)| (p.clone(), t.clone()));
        Box::new(Workspace::new(folder, root.map(PathBuf::as_path)).with_overlay(overlay))
    }
}

pub(crate) async fn execute(shared: Arc<Shared>, params: ExecuteCommandParams) -> Result<Option<Value>> {
    let args = parse_args(&params.arguments)?;
    let Some(path) = path_of(&args.uri) else {
        return Err(invalid(format!(
            "{} is not a file: a test file names its flow relative to itself",
            args.uri.as_str()
        )));
    };
    // The texts as they are when the command arrives: the open documents, then what the
    // client sent.
    let mut texts: HashMap<PathBuf, String> =
        shared.docs.iter().filter_map(|o| Some((path_of(&o.uri)?, o.text().to_string_lossless()))).collect();
    texts.extend(args.texts);
    let roots = shared.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
    let files = EditorFiles { texts, roots };
    let text = files
        .read(&path)
        .map_err(|e| invalid(format!("{} is neither open nor a readable file: {e}", args.uri.as_str())))?;
    let encoding = shared.encoding();
    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(Arc::clone(&cancel));
    let work = tokio::task::spawn_blocking(move || run(&path, &text, &files, args.cases, cancel, encoding));
    match work.await {
        Ok(report) => Ok(Some(report)),
        Err(e) if e.is_panic() => Err(Error {
            code: ErrorCode::InternalError,
            message: "fdl failed to run the tests (an internal error)".into(),
            data: None,
        }),
        Err(_) => Err(Error {
            code: ErrorCode::InternalError,
            message: "the tests were cancelled".into(),
            data: None,
        }),
    }
}

fn run(
    path: &Path,
    text: &str,
    files: &EditorFiles,
    cases: Option<Vec<String>>,
    cancel: Arc<AtomicBool>,
    encoding: PositionEncoding,
) -> Value {
    let select = |name: &str| cases.as_ref().is_none_or(|c| c.iter().any(|n| n == name));
    let base = Options { cancel: Some(cancel), ..Options::default() };
    let how = RunFile { select: &select, force: false, base, encoding };
    let mut run = suite::run_file(path, text, files, &how);
    if let (Some(flow), Some(errors)) = (&run.flow, &run.flow_errors)
        && errors.refused
    {
        let n = errors.errors.len();
        let s = if n == 1 { "" } else { "s" };
        let first = errors.errors.first().map(|d| {
            let at = errors.text.position(d.range.start, PositionEncoding::Chars);
            format!(", the first at {}:{}: {}", at.line + 1, at.character + 1, d.message)
        });
        run.problems.push(format!(
            "{} has {n} error{s} the service would reject{}; fix them to run its tests",
            flow.display(),
            first.unwrap_or_default()
        ));
    }
    let file = path.display().to_string();
    let entry = run.to_json(&file, &SourceText::new(text), encoding);
    let passed = run.cases.iter().filter(|c| c.failures.is_empty()).count();
    let failed = run.cases.len() - passed;
    json!({ "files": [entry], "passed": passed, "failed": failed })
}
