import * as assert from "node:assert/strict";
import { test } from "node:test";
import { readTestReport } from "../src/model/testReport";
import { OpenDocument, runTestsArguments, verdicts } from "../src/model/testRun";

const TEST_FILE = "file:///w/%E8%AE%A2%E5%8D%95.fdltest.yaml";

function doc(uri: string, isDirty: boolean, text = `text of ${uri}`): OpenDocument {
  const parsed = new URL(uri);
  return { uri, scheme: parsed.protocol.replace(/:$/, ""), path: parsed.pathname, isDirty, text };
}

test("fdl.runTests gets the unsaved YAML files, whatever their language", () => {
  const documents = [
    doc(TEST_FILE, true, "Flow: 订单.fdl.yaml\nTests:\n  a: {}\n"),
    doc("file:///w/%E8%AE%A2%E5%8D%95.fdl.yaml", true, "Type: StateMachine\n"),
    // Saved: the server reads the file.
    doc("file:///w/saved.fdl.yaml", false),
    // A flow opened as plain YAML, unsaved: the server does not hold it.
    doc("file:///w/child.YML", true, "Type: StateMachine\nName: child\n"),
    // Not YAML, or not a file: no flow of a test file.
    doc("file:///w/notes.md", true),
    doc("untitled:Untitled-1", true),
  ];
  assert.deepEqual(runTestsArguments(TEST_FILE, ["a"], documents), {
    uri: TEST_FILE,
    cases: ["a"],
    texts: {
      [TEST_FILE]: "Flow: 订单.fdl.yaml\nTests:\n  a: {}\n",
      "file:///w/%E8%AE%A2%E5%8D%95.fdl.yaml": "Type: StateMachine\n",
      "file:///w/child.YML": "Type: StateMachine\nName: child\n",
    },
  });
  // Without case names the server runs every case; nothing unsaved, no texts.
  assert.deepEqual(runTestsArguments(TEST_FILE, undefined, [doc(TEST_FILE, false)]), { uri: TEST_FILE, texts: {} });
  assert.deepEqual(runTestsArguments(TEST_FILE, [], []), { uri: TEST_FILE, cases: [], texts: {} });
});

// The answer of fdl.runTests for the end-to-end fixture, the case 空订单被拒绝 edited to
// fail twice, and a case that is not in the report.
const REPORT = {
  files: [
    {
      file: "/w/订单流程.fdltest.yaml",
      flow: "/w/订单流程.fdl.yaml",
      problems: [],
      cases: [
        { name: "正常订单", range: { start: { line: 3, character: 2 }, end: { line: 3, character: 6 } }, passed: true, status: "Succeeded", failures: [] },
        {
          name: "空订单被拒绝",
          range: { start: { line: 10, character: 2 }, end: { line: 10, character: 8 } },
          passed: false,
          status: "Failed",
          failures: ["status: expected Succeeded, got Failed (Rejected: the amount is not positive)", "`完成` was expected to run, but it did not"],
        },
        { name: "no messages", passed: false, status: "Failed", failures: [] },
      ],
    },
  ],
  passed: 1,
  failed: 2,
};

test("each case's verdict comes from the report", () => {
  assert.deepEqual(verdicts(["空订单被拒绝", "正常订单", "no messages", "renamed meanwhile"], readTestReport(REPORT)), [
    { kind: "failed", messages: ["status: expected Succeeded, got Failed (Rejected: the amount is not positive)", "`完成` was expected to run, but it did not"] },
    { kind: "passed" },
    { kind: "failed", messages: ["failed"] },
    { kind: "skipped" },
  ]);
});

test("a file that could not run errs every case with its problems", () => {
  const report = readTestReport({
    files: [
      {
        file: "/w/订单流程.fdltest.yaml",
        flow: "/w/订单流程.fdl.yaml",
        problems: ["/w/订单流程.fdl.yaml has 1 error the service would reject, the first at 22:23: …; fix them to run its tests"],
        cases: [],
      },
    ],
    passed: 0,
    failed: 0,
  });
  const message = "/w/订单流程.fdl.yaml has 1 error the service would reject, the first at 22:23: …; fix them to run its tests";
  assert.deepEqual(verdicts(["正常订单", "空订单被拒绝"], report), [
    { kind: "errored", message },
    { kind: "errored", message },
  ]);
  assert.deepEqual(verdicts([], report), []);
});
