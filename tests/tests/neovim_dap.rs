//! README's nvim-dap configuration in a real Neovim: headless Neovim 0.11 with nvim-dap
//! starts `fdl dap`, stops at a breakpoint on a state in a Parallel branch, reads the stack
//! and `$Input`, and continues to the end (tests/nvim/dap.lua does the editor side).
//!
//! nvim-dap is a plugin in a git repository and in no package registry CI can reach, so
//! this test runs only where `FDL_NVIM_DAP` names a checkout of it (and Neovim 0.11 is
//! found as for tests/neovim.rs); elsewhere it passes with a note.

mod support;

use std::path::PathBuf;
use std::process::Command;

use expect_test::expect;
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

/// The Lua block after `<!-- nvim-dap -->` in README.md.
fn readme_config() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let after = readme.split("<!-- nvim-dap -->").nth(1).expect("README has the nvim-dap configuration");
    let block = after.split("```lua\n").nth(1).and_then(|b| b.split("```").next()).expect("a lua block");
    block.to_string()
}

const FLOW: &str = "\
Type: StateMachine
Name: order
SpecVersion: v1
StartAt: Check
States:
  - Type: Choice
    Name: Check
    Branches:
      - Condition: $Input.amount > 0
        Next: Both
    Default: Done
  - Type: Parallel
    Name: Both
    Branches:
      - StartAt: Notify
        States:
          - Type: Pass
            Name: Notify
            End: true
    Next: Done
  - Type: Succeed
    Name: Done
";

#[test]
fn readme_nvim_dap_configuration_stops_at_a_breakpoint() {
    let (Some(nvim), Some(plugin)) = (neovim(), std::env::var_os("FDL_NVIM_DAP")) else {
        eprintln!("note: set FDL_NVIM_DAP to an nvim-dap checkout (and have Neovim 0.11) to run this test");
        return;
    };
    let scratch = Scratch::new("nvim-dap");
    let flow = scratch.file("order.fdl.yaml", FLOW);
    let config = scratch.file("dap.lua", readme_config());
    // README's configuration runs `fdl` from the PATH.
    let bin = fdl_binary().parent().expect("a folder").to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");
    let line = FLOW.lines().position(|l| l.ends_with("Name: Notify")).expect("Notify");
    let output = Command::new(nvim)
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(repo_root().join("tests/nvim/dap.lua"))
        .env("PATH", path)
        .env("FDL_NVIM_DAP", plugin)
        .env("FDL_DAP_CONFIG", &config)
        .env("FDL_FLOW", &flow)
        .env("FDL_LINE", line.to_string())
        .current_dir(&scratch.path)
        .env("XDG_STATE_HOME", &scratch.path)
        .env("XDG_CONFIG_HOME", &scratch.path)
        .env("XDG_DATA_HOME", &scratch.path)
        .env("XDG_CACHE_HOME", &scratch.path)
        .output()
        .expect("run nvim");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line =
        stdout.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no result line in {stdout:?}"));
    let result: Value = serde_json::from_str(line).unwrap();
    assert!(output.status.success(), "{result}\n{}", String::from_utf8_lossy(&output.stderr));
    // Lua tables have no key order: read the fields one by one.
    let stops: Vec<String> = result["stops"]
        .as_array()
        .unwrap_or_else(|| panic!("no stops: {result}"))
        .iter()
        .map(|s| {
            let stack: Vec<&str> =
                s["stack"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            format!("{}: {} with $Input {}", s["reason"], stack.join(" | "), s["input"])
        })
        .collect();
    expect![[r#"
        "breakpoint": Notify@17 | Both › branch 0@12 | order@1 with $Input "{\"amount\":5}"
        exit code 0"#]]
    .assert_eq(&format!("{}\nexit code {}", stops.join("\n"), result["exitCode"]));
}
