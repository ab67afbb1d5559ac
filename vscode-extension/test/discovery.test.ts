import * as assert from "node:assert/strict";
import { test } from "node:test";
import { DiscoveryInput, findServer } from "../src/model/discovery";

function input(executables: string[], overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return {
    setting: "",
    extensionPath: "/ext",
    workspaceFolder: "/work",
    home: "/home/me",
    pathEnv: "/usr/local/bin:/usr/bin",
    platform: "linux",
    isExecutable: (f) => executables.includes(f),
    ...overrides,
  };
}

test("the setting comes first, then the bundled binary, then PATH", () => {
  const all = ["/opt/fdl", "/ext/server/fdl", "/usr/bin/fdl"];
  assert.deepEqual(findServer(input(all, { setting: "/opt/fdl" })), { kind: "found", path: "/opt/fdl", source: "setting" });
  assert.deepEqual(findServer(input(all)), { kind: "found", path: "/ext/server/fdl", source: "bundled" });
  assert.deepEqual(findServer(input(["/usr/bin/fdl"])), { kind: "found", path: "/usr/bin/fdl", source: "path" });
});

test("settings may be relative, use ~ or ${workspaceFolder}", () => {
  const found = (setting: string, file: string) =>
    assert.deepEqual(findServer(input([file], { setting })), { kind: "found", path: file, source: "setting" });
  found("target/release/fdl", "/work/target/release/fdl");
  found("${workspaceFolder}/bin/fdl", "/work/bin/fdl");
  found("~/.cargo/bin/fdl", "/home/me/.cargo/bin/fdl");
});

test("a wrong setting is reported, not replaced by another fdl", () => {
  const result = findServer(input(["/ext/server/fdl"], { setting: "/nowhere/fdl" }));
  assert.equal(result.kind, "missing");
  assert.match(result.kind === "missing" ? result.message : "", /fdl\.server\.path.*\/nowhere\/fdl/);
});

test("nothing found says what to do", () => {
  const result = findServer(input([]));
  assert.equal(result.kind, "missing");
  assert.match(result.kind === "missing" ? result.message : "", /cargo install.*fdl\.server\.path/s);
});

test("Windows: fdl.exe and ; in PATH", () => {
  const result = findServer(input(["C:\\tools/fdl.exe"], { platform: "win32", pathEnv: "C:\\x;C:\\tools", extensionPath: "C:\\ext" }));
  assert.equal(result.kind, "found");
});
