//! Running the `fdl` executable and making scratch directories.

#![allow(dead_code)] // Each test crate uses a different part of this module.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_path_buf()
}

/// The `fdl` executable of the profile these tests were built with, (re)built on first use.
///
/// Cargo does not build another package's binary before our tests (see `tests/Cargo.toml`),
/// and a leftover `target/debug/fdl` may be stale, so ask cargo for it: the test executable
/// lives in `<target-dir>/<profile>/deps/`, and cargo passes its own path in `CARGO`.
/// `cargo test` does not hold the build-directory lock while tests run, so this cannot
/// deadlock; when the binary is current it costs a few milliseconds.
pub fn fdl_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let test_exe = std::env::current_exe().expect("path of the test executable");
        let profile_dir =
            test_exe.parent().and_then(Path::parent).expect("<target-dir>/<profile>/deps layout");
        let target_dir = profile_dir.parent().expect("<target-dir>/<profile> layout");
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_owned(),
            Some(other) => other.to_owned(),
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let output = Command::new(&cargo)
            .args(["build", "--quiet", "--package", "fdl", "--bin", "fdl", "--profile", &profile])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(repo_root())
            .output();
        let binary = profile_dir.join(format!("fdl{}", std::env::consts::EXE_SUFFIX));
        match output {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!("building fdl failed:\n{}", String::from_utf8_lossy(&out.stderr)),
            // Without cargo (a test executable run by hand) an existing build is better than none.
            Err(e) if binary.is_file() => {
                eprintln!("note: cannot run {cargo:?} ({e}); using {}", binary.display())
            }
            Err(e) => panic!("cannot run {cargo:?} to build fdl: {e}"),
        }
        binary
    })
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
    let binary = fdl_binary();
    let output = Command::new(binary)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
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
