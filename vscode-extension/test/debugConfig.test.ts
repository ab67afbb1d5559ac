import * as assert from "node:assert/strict";
import { test } from "node:test";
import { Defaults, debugConfig, resolveLaunch } from "../src/model/debugConfig";

const defaults: Defaults = {
  activeFile: "/work/order.fdl.yaml",
  workspaceFolder: "/work",
  input: '{"amount": 5}',
  mocks: "order.mocks.yaml",
  mode: null,
};

test("Debug flow runs the file with the dry-run settings", () => {
  assert.deepEqual(debugConfig("/work/order.fdl.yaml", defaults), {
    type: "fdl",
    request: "launch",
    name: "Debug order.fdl.yaml",
    program: "/work/order.fdl.yaml",
    input: '{"amount": 5}',
    mocks: "order.mocks.yaml",
    cwd: "/work",
  });
});

test("Debug case runs a case of a test file with its own input and mocks", () => {
  assert.deepEqual(debugConfig("/work/order.fdltest.yaml", { ...defaults, mode: "express" }, "big order"), {
    type: "fdl",
    request: "launch",
    name: "Debug big order",
    program: "/work/order.fdltest.yaml",
    case: "big order",
    mode: "express",
    cwd: "/work",
  });
});

test("F5 without a launch.json debugs the active file", () => {
  const resolved = resolveLaunch({}, { ...defaults, input: "", mocks: "" });
  assert.deepEqual(resolved, {
    config: { type: "fdl", request: "launch", name: "Debug flow", program: "/work/order.fdl.yaml", cwd: "/work" },
  });
});

test("a configuration keeps what it says and gets what it leaves out", () => {
  const resolved = resolveLaunch(
    { type: "fdl", request: "launch", name: "mine", input: { amount: 1 }, cwd: "/elsewhere", stopOnEntry: true },
    defaults,
  );
  assert.deepEqual(resolved, {
    config: {
      type: "fdl",
      request: "launch",
      name: "mine",
      program: "/work/order.fdl.yaml",
      input: { amount: 1 },
      mocks: "order.mocks.yaml",
      cwd: "/elsewhere",
      stopOnEntry: true,
    },
  });
});

test("nothing to debug, or an attach, is said plainly", () => {
  assert.deepEqual(resolveLaunch({}, { ...defaults, activeFile: undefined }), {
    error: 'Nothing to debug: open a flow, or set "program" in the launch configuration.',
  });
  assert.match(JSON.stringify(resolveLaunch({ type: "fdl", request: "attach", name: "x" }, defaults)), /use a launch configuration/);
});
