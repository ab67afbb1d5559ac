//! End-to-end test in Emacs: `emacs --batch` with eglot and yaml-mode (Debian's emacs-nox,
//! elpa-eglot and elpa-yaml-mode) runs the setup README.md gives against the real `fdl lsp`:
//! diagnostics arrive through flymake, and completion after `TaskMode: ` offers the modes
//! the service supports (tests/emacs/eglot-test.el does the editor side).
//!
//! Without Emacs and eglot the test passes with a note, unless `FDL_REQUIRE_EMACS=1` (CI
//! sets it).

mod support;

use std::process::Command;

use serde_json::Value;
use support::{Scratch, fdl_binary, repo_root};

fn emacs_with_eglot() -> bool {
    Command::new("emacs")
        .args(["--batch", "--eval", "(progn (require 'eglot) (require 'yaml-mode))"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn emacs_eglot_shows_diagnostics_and_completes() {
    if !emacs_with_eglot() {
        assert!(
            std::env::var_os("FDL_REQUIRE_EMACS").is_none(),
            "FDL_REQUIRE_EMACS is set but emacs with eglot and yaml-mode was not found"
        );
        eprintln!(
            "note: no emacs with eglot and yaml-mode; skipping (apt-get install emacs-nox elpa-eglot elpa-yaml-mode)"
        );
        return;
    }
    let scratch = Scratch::new("emacs");
    let flow =
        scratch.file("flow.fdl.yaml", std::fs::read(repo_root().join("tests/nvim/flow.fdl.yaml")).unwrap());
    let output = Command::new("emacs")
        .args(["--batch", "-l"])
        .arg(repo_root().join("tests/emacs/eglot-test.el"))
        .env("FDL_BIN", fdl_binary())
        .env("FDL_FLOW", &flow)
        .env("HOME", &scratch.path)
        .output()
        .expect("run emacs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "emacs failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let line =
        stdout.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no result line in {stdout:?}"));
    let result: Value = serde_json::from_str(line).unwrap();
    assert_eq!(result["first"], serde_json::json!(["unsupported-task-mode"]), "{result}");
    assert_eq!(
        result["completion"],
        serde_json::json!(["RequestComplete", "WaitForCustomCallback"]),
        "{result}"
    );
}
