import * as assert from "node:assert/strict";
import { test } from "node:test";
import { detectDialect, isFdlFileName, isTestFile } from "../src/model/detect";

test("CloudFlow and legacy flows are recognised by their two top-level markers", () => {
  assert.equal(detectDialect("# a flow\nType: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n  - Name: 开始\n"), "cloudflow");
  assert.equal(detectDialect("Type: 'StateMachine'   # quoted\nStates: []\n"), "cloudflow");
  assert.equal(detectDialect("\uFEFFversion: v1\ntype: flow\nsteps:\n  - type: pass\n"), "legacy");
});

test("ordinary YAML is not taken over", () => {
  // One marker only, nested markers, other values, later documents.
  assert.equal(detectDialect("Type: StateMachine\nName: x\n"), undefined);
  assert.equal(detectDialect("States:\n  - a\n"), undefined);
  assert.equal(detectDialect("spec:\n  Type: StateMachine\n  States: []\n"), undefined);
  assert.equal(detectDialect("type: flowchart\nsteps: []\n"), undefined);
  assert.equal(detectDialect("jobs:\n  build:\n    steps:\n      - run: make\n    type: flow\n"), undefined);
  assert.equal(detectDialect("a: 1\n---\nType: StateMachine\nStates: []\n"), undefined);
  assert.equal(detectDialect(""), undefined);
});

test("test files and file names", () => {
  assert.ok(isTestFile("Flow: order.fdl.yaml\nTests:\n  works:\n    Input: {}\n"));
  assert.ok(!isTestFile("Tests:\n  a: {}\n"));
  assert.ok(isFdlFileName("/w/订单.fdl.yaml"));
  assert.ok(isFdlFileName("x.FLOW.yml"));
  assert.ok(isFdlFileName("x.fdltest.yaml"));
  assert.ok(!isFdlFileName("x.yaml"));
});
