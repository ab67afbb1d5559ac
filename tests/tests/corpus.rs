//! Checks every flow of the shared example corpus (Alibaba's documentation examples, kept
//! next to the repository in `../shared/spec/examples`) with the real binary.
//!
//! Two kinds of assertions:
//! - rules that hold for any doc example, including the ones kept back for acceptance: valid
//!   YAML gives no `yaml-syntax` error, every file in `legacy/quirks/` (invalid on purpose)
//!   gives one, and complete flows give no error except the doc bugs the references list;
//! - a snapshot of every diagnostic of the visible corpus (`corpus.snapshot`), so any change
//!   in what users would see on real flows shows up in review.
//!
//! Set `FDL_SPEC_EXAMPLES` to use another corpus. Without a corpus the test passes with a note.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{fdl, repo_root};

/// Quirk files that are valid YAML on purpose: Q3 is a reconstruction of a truncated page
/// (its own header says so), kept with the quirks because it is not verbatim.
const VALID_QUIRKS: &[&str] = &["Q3-overview-nested-parallel-reconstructed.yaml"];

/// Errors that the references say Alibaba's own examples contain: a top-level `StartAt` that
/// names no state (cloudflow 07, 08 and 23).
fn documented_doc_bug(file: &str, d: &Value) -> bool {
    let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or("");
    d["code"] == "unknown-state"
        && d["message"].as_str().is_some_and(|m| m.starts_with("StartAt "))
        && ["07-", "08-", "23-"].iter().any(|p| name.starts_with(p))
}

fn corpus_root() -> PathBuf {
    std::env::var_os("FDL_SPEC_EXAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/spec/examples"))
}

#[test]
fn corpus() {
    let root = corpus_root();
    if !root.is_dir() {
        eprintln!("note: example corpus not found at {}; skipping", root.display());
        return;
    }
    let mut files = Vec::new();
    collect_yaml(&root, &mut files);
    files.sort();
    assert!(files.len() >= 10, "suspiciously small corpus under {}", root.display());

    // One run for all files: named explicitly, even the header-less fragments are checked.
    let mut args = vec!["check".to_owned(), "--format".to_owned(), "json".to_owned()];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = fdl(&args);
    assert!(run.code == 0 || run.code == 1, "fdl could not check the corpus: {run:#?}");
    assert_eq!(run.stderr, "");

    let mut by_file: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for d in run.json() {
        by_file.entry(d["file"].as_str().unwrap_or_default().to_owned()).or_default().push(d);
    }
    let mut problems = Vec::new();
    let mut snapshot = String::new();
    for file in &files {
        let name = file.to_string_lossy().into_owned();
        let relative = file.strip_prefix(&root).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let is_quirk = relative.starts_with("legacy/quirks/");
        let is_fragment = relative.starts_with("legacy/fragments/");
        let valid_on_purpose = VALID_QUIRKS.iter().any(|q| relative.ends_with(q));
        let diagnostics = by_file.get(&name).map(Vec::as_slice).unwrap_or_default();
        let syntax = diagnostics.iter().filter(|d| d["code"] == "yaml-syntax").count();
        if is_quirk && !valid_on_purpose && syntax == 0 {
            problems.push(format!("{relative}: invalid YAML on purpose, but no yaml-syntax error"));
        }
        if (!is_quirk || valid_on_purpose) && syntax > 0 {
            problems.push(format!("{relative}: {syntax} yaml-syntax error(s) in valid YAML"));
        }
        if !is_quirk && !is_fragment {
            for d in diagnostics.iter().filter(|d| d["severity"] == "error" && !documented_doc_bug(&name, d))
            {
                problems.push(format!("{relative}: unexpected error {}: {}", d["code"], d["message"]));
            }
        }
        snapshot.push_str(&format!("{relative}\n"));
        for d in diagnostics {
            let start = &d["range"]["start"];
            snapshot.push_str(&format!(
                "  {}:{} {}[{}] {}\n",
                start["line"].as_u64().unwrap_or(0) + 1,
                start["character"].as_u64().unwrap_or(0) + 1,
                d["severity"].as_str().unwrap_or(""),
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(problems.is_empty(), "{}\n\nfull output:\n{}", problems.join("\n"), run.stdout);
    // The snapshot covers the visible corpus only; a different corpus has different files.
    if std::env::var_os("FDL_SPEC_EXAMPLES").is_none() {
        expect_test::expect_file!["corpus.snapshot"].assert_eq(&snapshot);
    }
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}
