//! The flows of a workspace, found by name: the file-system [`Loader`] of the dry run (the
//! one module of this layer that reads files) and the index behind the language server's
//! "go to definition" on a sub-flow's ARN.
//!
//! A flow's name is its `Name:` (legacy `name:`), else its file name without
//! `.fdl.yaml`, `.flow.yaml` or `.yaml`. The flow's own folder is searched before the rest
//! of the workspace; the search is bounded (depth, file count, file size) and skips hidden
//! folders, `target` and `node_modules`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::options::{LoadedFlow, Loader};

const MAX_DEPTH: usize = 8;
const MAX_FILES: usize = 5_000;
const MAX_BYTES: u64 = 2 * 1024 * 1024;
const SKIPPED: &[&str] = &["target", "node_modules"];

pub struct Workspace {
    /// Searched in order: the flow's folder, then the workspace root.
    roots: Vec<PathBuf>,
    /// Texts that win over the files (documents open in an editor).
    overlay: HashMap<PathBuf, String>,
    index: OnceLock<Vec<(String, PathBuf)>>,
}

impl Workspace {
    /// `folder` first (not recursively), then everything under `root`.
    pub fn new(folder: Option<&Path>, root: Option<&Path>) -> Workspace {
        let roots = folder.into_iter().chain(root).map(Path::to_path_buf).collect();
        Workspace { roots, overlay: HashMap::new(), index: OnceLock::new() }
    }

    pub fn with_overlay(mut self, overlay: impl IntoIterator<Item = (PathBuf, String)>) -> Workspace {
        self.overlay.extend(overlay);
        self
    }

    /// The file of the flow named `name`.
    pub fn find(&self, name: &str) -> Option<PathBuf> {
        let index = self.index.get_or_init(|| self.build());
        index.iter().find(|(n, _)| n == name).map(|(_, p)| p.clone())
    }

    fn read(&self, path: &Path) -> Option<String> {
        if let Some(text) = self.overlay.get(path) {
            return Some(text.clone());
        }
        let meta = fs::metadata(path).ok()?;
        if meta.len() > MAX_BYTES {
            return None;
        }
        let text = fs::read_to_string(path).ok()?;
        Some(text.trim_start_matches('\u{feff}').to_string())
    }

    /// Names and files, in search order: for each root, names written in files first,
    /// then file names, so that a `Name:` wins over a file that happens to be called so.
    fn build(&self) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        let mut budget = MAX_FILES;
        for (i, root) in self.roots.iter().enumerate() {
            let mut files = Vec::new();
            collect(
                root,
                if i == 0 && self.roots.len() > 1 { 0 } else { MAX_DEPTH },
                &mut files,
                &mut budget,
            );
            let mut overlay: Vec<&PathBuf> = self.overlay.keys().filter(|p| p.starts_with(root)).collect();
            overlay.sort();
            for p in overlay {
                if !files.contains(p) {
                    files.push(p.clone());
                }
            }
            let mut by_stem = Vec::new();
            for path in files {
                let Some(text) = self.read(&path) else { continue };
                let Some(name) = flow_name(&text) else { continue };
                if let Some(n) = name {
                    out.push((n, path.clone()));
                }
                if let Some(stem) = stem(&path) {
                    by_stem.push((stem, path));
                }
            }
            out.extend(by_stem);
        }
        out
    }
}

impl Loader for Workspace {
    fn flow(&self, name: &str) -> Option<LoadedFlow> {
        let path = self.find(name)?;
        let text = self.read(&path)?;
        Some(LoadedFlow { path: path.display().to_string(), text })
    }
}

/// `Some(name)` for a flow definition (the inner `None`: it has no name), `None` for
/// other YAML. A line scan of the top level, which is all a name needs.
fn flow_name(text: &str) -> Option<Option<String>> {
    let mut is_flow = false;
    let mut name = None;
    for line in text.lines().take(2_000) {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.split(" #").next().unwrap_or("").trim().trim_matches(|c| c == '"' || c == '\'');
        match key.trim() {
            "Type" if value == "StateMachine" => is_flow = true,
            "type" if value == "flow" => is_flow = true,
            "States" | "steps" => is_flow = true,
            "Name" | "name" if !value.is_empty() => name = Some(value.to_string()),
            _ => {}
        }
    }
    is_flow.then_some(name)
}

/// The name a flow file gives a flow that has no `Name:`: the file name without its YAML
/// extensions.
pub fn name_from_file(path: &Path) -> Option<String> {
    stem(path).or_else(|| path.file_name()?.to_str().map(str::to_string))
}

fn stem(path: &Path) -> Option<String> {
    let file = path.file_name()?.to_str()?;
    [".fdl.yaml", ".fdl.yml", ".flow.yaml", ".flow.yml", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))
        .map(str::to_string)
}

/// YAML files under `dir`, sorted, `depth` folders deep at most.
fn collect(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, budget: &mut usize) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut dirs = Vec::new();
    for path in entries {
        if *budget == 0 {
            return;
        }
        let hidden = path.file_name().and_then(|n| n.to_str()).is_none_or(|n| n.starts_with('.'));
        if path.is_dir() {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if depth > 0 && !hidden && !SKIPPED.contains(&name) {
                dirs.push(path);
            }
        } else if !hidden && path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let name = path.to_string_lossy();
            // Test and mocks files are not flows.
            if !name.ends_with(".fdltest.yaml") && !name.ends_with(".fdltest.yml") {
                *budget -= 1;
                out.push(path);
            }
        }
    }
    for d in dirs {
        collect(&d, depth - 1, out, budget);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_definition_or_the_file() {
        assert_eq!(
            flow_name("Type: StateMachine\nName: \"video\"\nStates: []\n"),
            Some(Some("video".into()))
        );
        assert_eq!(flow_name("version: v1\ntype: flow\nsteps:\n  - name: inner\n"), Some(None));
        assert_eq!(flow_name("Name: x\nother: yes\n"), None);
        assert_eq!(stem(Path::new("a/b/order.fdl.yaml")).as_deref(), Some("order"));
        assert_eq!(stem(Path::new("child.yml")).as_deref(), Some("child"));
    }

    #[test]
    fn the_flows_folder_wins_and_open_documents_overlay_files() {
        let root = PathBuf::from("/nonexistent-fdl-root");
        let ws = Workspace::new(Some(&root.join("app")), Some(&root)).with_overlay([
            (root.join("app/child.fdl.yaml"), "Type: StateMachine\nName: child\nStates: []\n".to_string()),
            (root.join("other/child.fdl.yaml"), "Type: StateMachine\nName: child\nStates: []\n".to_string()),
            (root.join("other/legacy.flow.yaml"), "version: v1\ntype: flow\nsteps: []\n".to_string()),
        ]);
        assert_eq!(ws.find("child"), Some(root.join("app/child.fdl.yaml")));
        assert_eq!(ws.find("legacy"), Some(root.join("other/legacy.flow.yaml")));
        assert_eq!(ws.find("nothing"), None);
        assert!(ws.flow("child").is_some_and(|f| f.text.contains("Name: child")));
    }
}
