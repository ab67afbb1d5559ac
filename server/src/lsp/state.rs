//! What the server knows between messages: the open documents, the settings and what the
//! client can do.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use dashmap::DashMap;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use crate::ide::{Config, Document, Pending};
use crate::syntax::PositionEncoding;

/// One open document.
#[derive(Clone)]
pub(crate) struct Open {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    /// The document as last parsed; edits since are in `pending`.
    pub(crate) doc: Document,
    /// Edits applied to the text but not parsed yet: the input loop only edits the rope,
    /// and whoever needs a snapshot re-parses once for the whole burst.
    pub(crate) pending: Option<Pending>,
}

impl Open {
    pub(crate) fn new(uri: Uri, version: i32, doc: Document) -> Open {
        Open { uri, version, doc, pending: None }
    }

    /// The current text (with the edits not parsed yet).
    pub(crate) fn text(&self) -> &crate::syntax::SourceText {
        self.pending.as_ref().map_or(&self.doc.text, |p| &p.text)
    }

    /// Brings the parsed document up to date with the text.
    pub(crate) fn settle(&mut self) {
        if let Some(pending) = self.pending.take() {
            self.doc = pending.into_document(&self.doc);
        }
    }
}

/// What the client declared in `initialize`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ClientCaps {
    pub(crate) configuration: bool,
    pub(crate) pull_diagnostics: bool,
    pub(crate) diagnostic_refresh: bool,
    pub(crate) snippets: bool,
    pub(crate) hierarchical_symbols: bool,
    pub(crate) markdown: bool,
    /// `workspace/inlayHint/refresh` after a dry run.
    pub(crate) inlay_hint_refresh: bool,
    /// `$/progress` for long dry runs.
    pub(crate) work_done_progress: bool,
    /// Workspace edits that create files ("Migrate to CloudFlow" into a new file).
    pub(crate) create_files: bool,
    /// `window/showDocument`, to open the migrated file.
    pub(crate) show_document: bool,
}

pub(crate) struct Shared {
    pub(crate) client: Client,
    pub(crate) docs: DashMap<String, Open>,
    /// Documents whose diagnostics are being computed; a change while that runs makes the
    /// task go round again instead of starting another one.
    pub(crate) analysing: DashMap<String, Arc<AtomicBool>>,
    pub(crate) encoding: RwLock<PositionEncoding>,
    pub(crate) config: RwLock<Config>,
    /// Bumped whenever the settings change, so that a diagnostics task that started before
    /// knows to go round again.
    pub(crate) config_epoch: AtomicU64,
    pub(crate) caps: RwLock<ClientCaps>,
    pub(crate) shutdown: AtomicBool,
    /// The last dry run of each flow document (by URI), for inlay hints and `fdl/lastRun`.
    pub(crate) runs: DashMap<String, super::dry_run::LastRun>,
    /// Cancellation flags of running dry runs, by progress token.
    pub(crate) cancels: DashMap<String, Arc<AtomicBool>>,
    /// The workspace folders (where sub-flows and tested flows are looked for).
    pub(crate) roots: RwLock<Vec<std::path::PathBuf>>,
    /// Numbers the progress tokens the server creates.
    pub(crate) next_token: AtomicU64,
    /// Answers written as JSON text, waiting for their message (see `output`).
    pub(crate) prepared: Arc<super::output::Prepared>,
    /// What answering with JSON text keeps per open document (by URI; see `answers`).
    pub(crate) answers: DashMap<String, Arc<super::answers::DocAnswers>>,
    /// The parse of each document's newest version being made (see [`Shared::settled`]).
    pub(crate) settling: DashMap<String, Arc<Settling>>,
}

/// One version's parse, made once for everyone who needs it: after a keystroke the
/// diagnostics and the requests that follow it (an editor asks for the outline and the
/// tokens) all need the same snapshot.
pub(crate) struct Settling {
    version: i32,
    doc: OnceLock<Document>,
}

impl Shared {
    pub(crate) fn new(client: Client) -> Shared {
        Shared {
            client,
            docs: DashMap::new(),
            analysing: DashMap::new(),
            encoding: RwLock::new(PositionEncoding::Utf16),
            config: RwLock::new(Config::default()),
            config_epoch: AtomicU64::new(0),
            caps: RwLock::new(ClientCaps::default()),
            shutdown: AtomicBool::new(false),
            runs: DashMap::new(),
            cancels: DashMap::new(),
            roots: RwLock::new(Vec::new()),
            next_token: AtomicU64::new(1),
            prepared: Arc::default(),
            answers: DashMap::new(),
            settling: DashMap::new(),
        }
    }

    pub(crate) fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::Acquire)
    }

    pub(crate) fn encoding(&self) -> PositionEncoding {
        *self.encoding.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn config(&self) -> Config {
        self.config.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn caps(&self) -> ClientCaps {
        *self.caps.read().unwrap_or_else(|e| e.into_inner())
    }

    /// A snapshot of a document, if it is open, parsed up to date. Parsing a burst of edits
    /// can take milliseconds on a big file: handlers on the input path use [`Self::current`]
    /// and settle on a blocking thread instead.
    pub(crate) fn snapshot(&self, uri: &Uri) -> Option<Open> {
        self.current(uri).map(|open| self.settled(open))
    }

    /// The document as it is now, edits not parsed yet: a clone of ropes and `Arc`s, so
    /// cheap enough to take on the input path, which fixes the version a request sees.
    pub(crate) fn current(&self, uri: &Uri) -> Option<Open> {
        self.current_by_key(uri.as_str())
    }

    fn current_by_key(&self, key: &str) -> Option<Open> {
        self.docs.get(key).map(|o| o.clone())
    }

    /// `open` parsed up to date. The parse is kept in the store (unless newer edits came in
    /// meanwhile), so the next snapshot does not parse the same burst again.
    pub(crate) fn settled(&self, mut open: Open) -> Open {
        if open.pending.is_some() {
            // Snapshots of one version hold the same base and edits: the first to get here
            // parses, the others wait for it instead of parsing the same again beside it.
            let key = open.uri.as_str().to_string();
            let slot = match self.settling.entry(key.clone()) {
                dashmap::Entry::Occupied(mut e) => {
                    if e.get().version < open.version {
                        e.insert(Arc::new(Settling { version: open.version, doc: OnceLock::new() }));
                    }
                    Some(Arc::clone(e.get())).filter(|s| s.version == open.version)
                }
                dashmap::Entry::Vacant(e) => Some(Arc::clone(
                    &e.insert(Arc::new(Settling { version: open.version, doc: OnceLock::new() })),
                )),
            };
            match slot {
                Some(slot) => {
                    open.doc = slot
                        .doc
                        .get_or_init(|| {
                            let mut open = open.clone();
                            open.settle();
                            open.doc
                        })
                        .clone();
                    open.pending = None;
                }
                // An older version than one being parsed: on its own.
                None => open.settle(),
            }
            if let Some(mut entry) = self.docs.get_mut(&key)
                && entry.version == open.version
                && entry.pending.is_some()
            {
                entry.doc = open.doc.clone();
                entry.pending = None;
            }
        }
        open
    }

    /// Publishes the diagnostics of `uri` (push mode), coalescing bursts of changes: while
    /// one computation runs, later changes only ask it to run once more on the newest text.
    pub(crate) fn schedule_diagnostics(self: &Arc<Self>, uri: &Uri) {
        if self.caps().pull_diagnostics {
            return;
        }
        let key = uri.as_str().to_string();
        let busy =
            self.analysing.entry(key.clone()).or_insert_with(|| Arc::new(AtomicBool::new(false))).clone();
        if busy.swap(true, Ordering::AcqRel) {
            return; // the running task will see the new version
        }
        let shared = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                let Some(open) = shared.current_by_key(&key) else { break };
                let epoch = shared.config_epoch.load(Ordering::Acquire);
                let config = shared.config();
                let encoding = shared.encoding();
                let version = open.version;
                let uri = open.uri.clone();
                let worker = Arc::clone(&shared);
                let computed = tokio::task::spawn_blocking(move || {
                    let open = worker.settled(open);
                    let tested = super::dry_run::tested_flow(&worker, &open);
                    super::dry_run::diagnostics(&open.uri, &open.doc, &config, encoding, tested.as_ref())
                })
                .await;
                let Ok(diagnostics) = computed else { break };
                let current = shared.docs.get(&key).map(|o| o.version);
                if current == Some(version) {
                    shared.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
                }
                busy.store(false, Ordering::Release);
                // A change of the text or of the settings after the snapshot was taken needs
                // one more round (unless another task has started meanwhile).
                let now = shared.docs.get(&key).map(|o| o.version);
                let unchanged = now == Some(version) && shared.config_epoch.load(Ordering::Acquire) == epoch;
                if now.is_none() || unchanged || busy.swap(true, Ordering::AcqRel) {
                    break;
                }
            }
        });
    }
}
