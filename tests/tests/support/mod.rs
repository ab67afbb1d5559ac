//! Running the `fdl` executable and making scratch directories.

#![allow(dead_code)] // Each test crate uses a different part of this module.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The server's `main.rs`, built as this package's binary (see `tests/Cargo.toml`).
pub const FDL: &str = env!("CARGO_BIN_EXE_fdl-e2e");

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_path_buf()
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `--format json` output as values.
    pub fn json(&self) -> Vec<Value> {
        match serde_json::from_str(&self.stdout) {
            Ok(Value::Array(items)) => items,
            other => panic!("stdout is not a JSON array ({other:?}):\n{}", self.stdout),
        }
    }

    pub fn codes(&self) -> Vec<String> {
        self.json().iter().map(|d| d["code"].as_str().unwrap_or_default().to_owned()).collect()
    }
}

/// Runs `fdl` with `args` from the repository root, so that paths in the output are the
/// relative ones a developer would type.
pub fn fdl(args: &[&str]) -> Run {
    fdl_in(&repo_root(), args)
}

pub fn fdl_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(FDL)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {FDL}: {e}"));
    let run = Run {
        // A signal (e.g. an abort after a panic) has no code; -1 fails every assertion on it.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "fdl {args:?} panicked:\n{}", run.stderr);
    run
}

/// A fresh directory under the system temp dir, removed again when dropped.
pub struct Scratch {
    pub path: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique =
            format!("fdl-e2e-{}-{}-{name}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(unique);
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create scratch dir");
        Scratch { path }
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn file(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(relative);
        fs::create_dir_all(path.parent().expect("file in a directory")).expect("create parent");
        fs::write(&path, bytes).expect("write scratch file");
        path
    }

    pub fn dir(&self, relative: &str) -> PathBuf {
        let path = self.path.join(relative);
        fs::create_dir_all(&path).expect("create scratch subdir");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// `path` as a `&str` for an argument list (scratch paths are ASCII).
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}
