//! The dry run over LSP: `workspace/executeCommand` `fdl.dryRun` with `$/progress` and
//! cancellation, the last run per flow document (inlay hints, `fdl/lastRun`), test files
//! (diagnostics against the flow they name) and the workspace's flows for sub-flows.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

use super::convert;
use super::state::{Open, Shared};
use crate::analysis::WorkflowMode;
use crate::dryrun::workspace::Workspace;
use crate::dryrun::{Hook, Mocks, Options, RunResult, suite};
use crate::ide::{self, Config, Document, FlowFacts, RunRequest, RunSnapshot, TestedFlow};
use crate::syntax::PositionEncoding;

/// The last dry run of a flow document.
#[derive(Clone)]
pub(crate) struct LastRun {
    pub(crate) result: Arc<RunResult>,
    pub(crate) snapshot: Arc<RunSnapshot>,
}

/// `fdl.dryRun`'s arguments: a URI (as the code lens sends it), or
/// `{uri, input?, mocks?, mode?, case?, seed?, maxSteps?}`.
struct Args {
    uri: Uri,
    input: Option<Value>,
    /// Inline mocks (`{States, Actions}`) or the path of a mocks file.
    mocks: Option<Value>,
    mode: Option<WorkflowMode>,
    case: Option<String>,
    seed: Option<u64>,
    max_steps: Option<u64>,
    /// Values for deploy-time placeholders: `{"vars.region": "cn-hangzhou", ...}`.
    vars: Option<Value>,
}

fn invalid(message: impl Into<String>) -> Error {
    Error { code: ErrorCode::InvalidParams, message: message.into().into(), data: None }
}

fn failed(message: impl Into<String>) -> Error {
    Error { code: ErrorCode::InternalError, message: message.into().into(), data: None }
}

fn parse_args(arguments: &[Value]) -> Result<Args> {
    let usage =
        "fdl.dryRun takes a document URI, or {uri, input?, mocks?, mode?, case?, seed?, maxSteps?, vars?}";
    let uri_of = |v: &Value| v.as_str().and_then(|s| s.parse::<Uri>().ok());
    match arguments.first() {
        Some(Value::String(_)) => {
            let uri = uri_of(&arguments[0]).ok_or_else(|| invalid(usage))?;
            Ok(Args {
                uri,
                input: None,
                mocks: None,
                mode: None,
                case: None,
                seed: None,
                max_steps: None,
                vars: None,
            })
        }
        Some(Value::Object(o)) => {
            let uri = o
                .get("uri")
                .and_then(uri_of)
                .ok_or_else(|| invalid(format!("{usage}: `uri` is missing or not a URI")))?;
            let mode = match o.get("mode").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                None => None,
                Some("standard") => Some(WorkflowMode::Standard),
                Some("express") => Some(WorkflowMode::Express),
                Some(other) => return Err(invalid(format!("`mode` is standard or express, not `{other}`"))),
            };
            let input = o.get("input").filter(|v| !v.is_null()).cloned();
            if input.as_ref().is_some_and(|i| !i.is_object()) {
                return Err(invalid("`input` must be a JSON object (an execution's input)"));
            }
            Ok(Args {
                uri,
                input,
                mocks: o.get("mocks").filter(|v| !v.is_null()).cloned(),
                mode,
                case: o.get("case").and_then(Value::as_str).map(str::to_string),
                seed: o.get("seed").and_then(Value::as_u64),
                max_steps: o.get("maxSteps").and_then(Value::as_u64),
                vars: o.get("vars").filter(|v| !v.is_null()).cloned(),
            })
        }
        _ => Err(invalid(usage)),
    }
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// A document as the editor holds it, else as the file is on disk.
fn document(shared: &Shared, uri: &Uri) -> Option<Document> {
    if let Some(open) = shared.snapshot(uri) {
        return Some(open.doc);
    }
    let text = std::fs::read_to_string(path_of(uri)?).ok()?;
    Some(Document::new(text.trim_start_matches('\u{feff}')))
}

/// The workspace's flows, with the open documents over the files.
pub(crate) fn workspace(shared: &Shared, near: &Uri) -> Workspace {
    let folder = path_of(near).and_then(|p| p.parent().map(Path::to_path_buf));
    let roots = shared.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
    let root =
        roots.iter().find(|r| folder.as_ref().is_some_and(|f| f.starts_with(r))).or(roots.first()).cloned();
    let overlay: Vec<(PathBuf, String)> =
        shared.docs.iter().filter_map(|o| Some((path_of(&o.uri)?, o.text().to_string_lossless()))).collect();
    Workspace::new(folder.as_deref(), root.as_deref()).with_overlay(overlay)
}

/// The flow a test file names: its URI, its text, and what a test file may refer to.
pub(crate) struct Tested {
    uri: Option<Uri>,
    doc: Option<Document>,
    pub(crate) flow: TestedFlow,
}

pub(crate) fn tested_flow(shared: &Shared, open: &Open) -> Option<Tested> {
    if !ide::is_test_file(open.uri.as_str()) {
        return None;
    }
    let (file, _) = suite::parse(&open.doc.text.to_string_lossless());
    let (name, _) = file.flow?;
    let problem = |why: String| Some(Tested { uri: None, doc: None, flow: TestedFlow::Problem(why) });
    let Some(dir) = path_of(&open.uri).and_then(|p| p.parent().map(Path::to_path_buf)) else {
        return problem("the test file is not a file on disk, so its `Flow` cannot be found".into());
    };
    let path = dir.join(&name);
    let Some(uri) = Uri::from_file_path(&path) else {
        return problem(format!("`{name}` is not a usable path"));
    };
    let Some(doc) = document(shared, &uri) else {
        return problem(format!("`{name}` cannot be read (looked for {})", path.display()));
    };
    match ide::flow_facts(&doc.text.to_string_lossless()) {
        Some(facts) => Some(Tested { uri: Some(uri), doc: Some(doc), flow: TestedFlow::Found(facts) }),
        None => problem(format!("`{name}` is not a flow definition")),
    }
}

/// A document's diagnostics: a flow's, or a test file's against the flow it names.
pub(crate) fn diagnostics(
    uri: &Uri,
    doc: &Document,
    config: &Config,
    encoding: PositionEncoding,
    tested: Option<&Tested>,
) -> Vec<Diagnostic> {
    if ide::is_test_file(uri.as_str()) {
        let found = ide::test_files::diagnostics(&doc.text, tested.map(|t| &t.flow));
        return found.iter().map(|d| convert::diagnostic(&doc.text, d, encoding)).collect();
    }
    convert::diagnostics(doc, config, encoding)
}

pub(crate) fn facts(tested: Option<&Tested>) -> Option<FlowFacts> {
    match tested.map(|t| &t.flow) {
        Some(TestedFlow::Found(f)) => Some(f.clone()),
        _ => None,
    }
}

/// Sets a flag when dropped: the request's future was dropped (cancelled) or finished.
pub(crate) struct CancelOnDrop(pub(crate) Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Sends the interpreter's progress to the async side.
struct ProgressHook(tokio::sync::mpsc::UnboundedSender<(u64, f64)>);

impl Hook for ProgressHook {
    fn progress(&mut self, steps: u64, virtual_seconds: f64) {
        let _ = self.0.send((steps, virtual_seconds));
    }
}

/// What a run produced, and where its hints go.
struct Ran {
    result: RunResult,
    target: Option<(Uri, Document)>,
}

pub(crate) async fn execute(shared: Arc<Shared>, params: ExecuteCommandParams) -> Result<Option<Value>> {
    let args = parse_args(&params.arguments)?;
    let Some(doc) = document(&shared, &args.uri) else {
        return Err(invalid(format!("{} is neither open nor a readable file", args.uri.as_str())));
    };
    let config = shared.config();
    let encoding = shared.encoding();
    let mocks = match &args.mocks {
        None => Mocks::default(),
        Some(value) => read_mocks(value, &args.uri)?,
    };
    let loader = workspace(&shared, &args.uri);
    let test_file = ide::is_test_file(args.uri.as_str());
    let tested = if test_file {
        let open = Open::new(args.uri.clone(), 0, doc.clone());
        match tested_flow(&shared, &open) {
            Some(Tested { uri: Some(uri), doc: Some(flow_doc), .. }) => Some((uri, flow_doc)),
            Some(Tested { flow: TestedFlow::Problem(why), .. }) => return Err(invalid(why)),
            _ => return Err(invalid("the test file has no `Flow:`")),
        }
    } else {
        None
    };
    let case = match (&args.case, test_file) {
        (Some(c), true) => Some(c.clone()),
        (None, true) => {
            let names = ide::test_files::case_names(&doc.text);
            match names.into_iter().next() {
                Some(first) => Some(first),
                None => return Err(invalid("the test file has no tests")),
            }
        }
        _ => None,
    };

    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(Arc::clone(&cancel));
    let mut options =
        Options { cancel: Some(Arc::clone(&cancel)), start_time_ms: now_ms(), ..Options::default() };
    if let Some(max) = args.max_steps {
        options.limits.max_steps = max;
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let vars = match args.vars.clone() {
        Some(v) => crate::dryrun::DeployVars::from_value(v).map_err(invalid)?,
        None => crate::dryrun::DeployVars::default(),
    };
    let request = RunRequest { input: args.input.clone(), mocks, mode: args.mode, seed: args.seed, vars };
    let uri = args.uri.clone();
    let work = tokio::task::spawn_blocking(move || -> std::result::Result<Ran, String> {
        let mut hook = ProgressHook(tx);
        match (case, tested) {
            (Some(case), Some((flow_uri, flow_doc))) => {
                let flow_text = flow_doc.text.to_string_lossless();
                let test_text = doc.text.to_string_lossless();
                let result =
                    ide::run_case(&test_text, &case, &flow_text, options, &loader, &mut hook, encoding)?;
                Ok(Ran { result, target: Some((flow_uri, flow_doc)) })
            }
            _ => {
                let result = ide::run_flow(&doc, &config, &request, options, &loader, &mut hook, encoding)?;
                Ok(Ran { result, target: Some((uri, doc)) })
            }
        }
    });
    tokio::pin!(work);
    let mut progress = None;
    let joined = loop {
        tokio::select! {
            // Reports first: the run's end must not overtake the reports it sent before it
            // (under load the worker can finish while they still wait in the channel).
            biased;
            Some((steps, seconds)) = rx.recv() => {
                if progress.is_none() {
                    progress = begin_progress(&shared, &params.work_done_progress_params, &cancel).await;
                }
                if let Some((p, _)) = &progress {
                    let message = format!("{steps} steps, {}s of virtual time", crate::dryrun::render::seconds(seconds));
                    p.report_with_message(message, Some(true)).await;
                }
            }
            joined = &mut work => break joined,
        }
    };
    if let Some((p, token)) = progress {
        shared.cancels.remove(&token);
        p.finish_with_message("done").await;
    }
    let ran = match joined {
        Ok(Ok(ran)) => ran,
        Ok(Err(message)) => return Err(invalid(message)),
        Err(e) if e.is_panic() => return Err(failed("fdl failed to run the flow (an internal error)")),
        Err(_) => return Err(failed("the dry run was cancelled")),
    };
    let result = Arc::new(ran.result);
    if let Some((target, flow_doc)) = ran.target {
        let snapshot = Arc::new(ide::snapshot(&flow_doc, &result, encoding));
        shared.runs.insert(target.as_str().to_string(), LastRun { result: Arc::clone(&result), snapshot });
        if shared.caps().inlay_hint_refresh {
            let _ = shared.client.inlay_hint_refresh().await;
        }
    }
    serde_json::to_value(&*result)
        .map(Some)
        .map_err(|e| failed(format!("the result could not be written: {e}")))
}

type Ongoing = tower_lsp_server::OngoingProgress<tower_lsp_server::Unbounded, tower_lsp_server::Cancellable>;

/// Starts reporting progress: on the client's token, else on one the server creates
/// (when the client supports `window/workDoneProgress/create`).
async fn begin_progress(
    shared: &Arc<Shared>,
    params: &WorkDoneProgressParams,
    cancel: &Arc<AtomicBool>,
) -> Option<(Ongoing, String)> {
    let token = match &params.work_done_token {
        Some(t) => t.clone(),
        None if shared.caps().work_done_progress => {
            let n = shared.next_token.fetch_add(1, Ordering::Relaxed);
            let token = ProgressToken::String(format!("fdl-dry-run-{n}"));
            let create = WorkDoneProgressCreateParams { token: token.clone() };
            shared.client.send_request::<request::WorkDoneProgressCreate>(create).await.ok()?;
            token
        }
        None => return None,
    };
    let key = token_key(&token);
    shared.cancels.insert(key.clone(), Arc::clone(cancel));
    let progress = shared.client.progress(token, "fdl dry run").with_cancel_button();
    Some((progress.begin().await, key))
}

pub(crate) fn token_key(token: &ProgressToken) -> String {
    match token {
        ProgressToken::Number(n) => n.to_string(),
        ProgressToken::String(s) => s.clone(),
    }
}

/// `window/workDoneProgress/cancel`: stops the dry run that reports on the token.
pub(crate) fn cancel_progress(shared: &Shared, params: &Value) {
    let token = match params.get("token") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return,
    };
    if let Some(flag) = shared.cancels.get(&token) {
        flag.store(true, Ordering::Relaxed);
    }
}

/// Mocks given inline (`{States, Actions}`) or as the path of a file (relative to the
/// document's folder).
fn read_mocks(value: &Value, near: &Uri) -> Result<Mocks> {
    let (text, name) = match value {
        Value::Object(_) => (value.to_string(), "the inline mocks".to_string()),
        Value::String(path) => {
            let base = path_of(near).and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
            let full = match path.parse::<Uri>().ok().and_then(|u| path_of(&u)) {
                Some(p) => p,
                None => base.join(path),
            };
            let text = std::fs::read_to_string(&full)
                .map_err(|e| invalid(format!("the mocks file {} cannot be read: {e}", full.display())))?;
            (text, full.display().to_string())
        }
        _ => return Err(invalid("`mocks` is an object ({States, Actions}) or the path of a mocks file")),
    };
    let (file, errors) = suite::parse(&text);
    match errors.first() {
        Some(e) => Err(invalid(format!("{name}:{e}"))),
        None => Ok(file.mocks),
    }
}

/// `fdl/lastRun`: the result of the last dry run of a flow document, or `null`.
pub(crate) fn last_run(shared: &Shared, uri: &Uri) -> Option<Value> {
    let run = shared.runs.get(uri.as_str())?;
    serde_json::to_value(&*run.result).ok()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
