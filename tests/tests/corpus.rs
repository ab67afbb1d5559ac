//! Checks every flow of the shared example corpus (Alibaba's documentation examples) with the
//! real binary: the documentation's valid YAML must parse without `yaml-syntax` errors, and
//! every deliberately invalid file in `legacy/quirks/` must produce one.
//!
//! The corpus lives outside the repository; set `FDL_SPEC_EXAMPLES` to point elsewhere. When
//! it is absent (e.g. a fresh clone on CI) the test passes with a note.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use support::fdl;

const DEFAULT_CORPUS: &str = "/work/shared/spec/examples";

/// Quirk files that are valid YAML on purpose: Q3 is a reconstruction of a truncated page
/// (its own header says so), kept with the quirks because it is not verbatim.
const VALID_QUIRKS: &[&str] = &["Q3-overview-nested-parallel-reconstructed.yaml"];

#[test]
fn corpus_parses_except_the_quirks() {
    let root =
        std::env::var_os("FDL_SPEC_EXAMPLES").map(PathBuf::from).unwrap_or_else(|| DEFAULT_CORPUS.into());
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

    let mut syntax_errors: BTreeMap<String, usize> = BTreeMap::new();
    for d in run.json() {
        if d["code"] == "yaml-syntax" {
            *syntax_errors.entry(d["file"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
        }
    }
    let mut problems = Vec::new();
    for file in &files {
        let name = file.to_string_lossy().into_owned();
        let is_quirk = file.parent().is_some_and(|p| p.ends_with("legacy/quirks"));
        let valid_on_purpose = file.file_name().is_some_and(|n| VALID_QUIRKS.iter().any(|q| n == *q));
        let errors = syntax_errors.get(&name).copied().unwrap_or(0);
        if is_quirk && !valid_on_purpose && errors == 0 {
            problems.push(format!("{name}: invalid YAML on purpose, but no yaml-syntax error"));
        }
        if (!is_quirk || valid_on_purpose) && errors > 0 {
            problems.push(format!("{name}: {errors} yaml-syntax error(s) in valid YAML"));
        }
    }
    assert!(problems.is_empty(), "{}\n\nfull output:\n{}", problems.join("\n"), run.stdout);
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
