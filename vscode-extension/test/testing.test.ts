import * as assert from "node:assert/strict";
import { test } from "node:test";
import { parseTestCases } from "../src/model/testCases";
import { parseTestReport, parseTestReportFull } from "../src/model/testReport";

test("cases are the keys under the top-level Tests", () => {
  const text = [
    "Flow: order.fdl.yaml",
    "Actions:",
    '  "FC:InvokeFunction": {Return: {Body: {}}}',
    "Tests:",
    "  # a comment",
    "  accepts a valid order:",
    "    Input: {orderId: A-1}",
    "    Expect:",
    "      Status: Succeeded",
    '  "拒绝: 缺货":',
    "    Expect: {Status: Failed}",
    "  'it''s late': {}",
    "Mode: express",
    "  not: a case",
  ].join("\n");
  assert.deepEqual(parseTestCases(text), [
    { name: "accepts a valid order", line: 5 },
    { name: "拒绝: 缺货", line: 9 },
    { name: "it's late", line: 11 },
  ]);
  assert.deepEqual(parseTestCases("Flow: x\n"), []);
});

test("test reports: passes, failures with their messages", () => {
  const report = JSON.stringify([
    { file: "o.fdltest.yaml", name: "ok", passed: true },
    { file: "o.fdltest.yaml", name: "bad", passed: false, failures: ["Status: expected Succeeded, got Failed", { message: "Ran: 发货 did not run" }], range: { start: { line: 7, character: 2 } } },
    { nonsense: true },
  ]);
  assert.deepEqual(parseTestReport(report), [
    { file: "o.fdltest.yaml", name: "ok", passed: true, messages: [], line: undefined },
    { file: "o.fdltest.yaml", name: "bad", passed: false, messages: ["Status: expected Succeeded, got Failed", "Ran: 发货 did not run"], line: 7 },
  ]);
  assert.deepEqual(parseTestReport('{"cases": [{"case": "x", "outcome": "passed"}]}').map((c) => c.passed), [true]);
  assert.throws(() => parseTestReport("not json"));
});

test("the report of fdl test --format json: files with cases and problems", () => {
  const report = parseTestReportFull(
    JSON.stringify({
      files: [
        {
          file: "examples/order.fdltest.yaml",
          flow: "examples/order.fdl.yaml",
          problems: [],
          cases: [
            { name: "正常订单", passed: true, status: "Succeeded", failures: [] },
            { name: "空订单被拒绝", passed: false, status: "Failed", failures: ["Status: expected Succeeded, got Failed"] },
          ],
        },
        { file: "broken.fdltest.yaml", flow: null, problems: ["broken.fdltest.yaml: no `Flow:`"], cases: [] },
      ],
      passed: 1,
      failed: 1,
    }),
  );
  assert.deepEqual(report.problems, ["broken.fdltest.yaml: no `Flow:`"]);
  assert.deepEqual(
    report.cases.map((c) => [c.file, c.name, c.passed, c.messages]),
    [
      ["examples/order.fdltest.yaml", "正常订单", true, []],
      ["examples/order.fdltest.yaml", "空订单被拒绝", false, ["Status: expected Succeeded, got Failed"]],
    ],
  );
});
