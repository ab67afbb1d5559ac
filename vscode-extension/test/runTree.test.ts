import * as assert from "node:assert/strict";
import { test } from "node:test";
import { RunResult } from "../src/model/lsp";
import { RunNode, buildRunTree, shortJson, stateOutcomes, takenTransitions } from "../src/model/runTree";

const r = (line: number) => ({ start: { line, character: 4 }, end: { line: line + 3, character: 0 } });

/** Check, Parallel with two branches (a Map with two iterations in the second), a caught failure. */
const RESULT: RunResult = {
  status: "Failed",
  output: null,
  error: { code: "Rejected", detail: "no stock" },
  virtualSeconds: 3.5,
  warnings: [{ code: "unmocked-task", message: "`查询` has no mock", state: "查询", range: r(20) }],
  events: [
    { type: "ExecutionStarted", state: null, path: [], input: { id: 1 } },
    { type: "StateEntered", state: "检查", path: [], range: r(5), input: { id: 1 } },
    { type: "ChoiceBranchTaken", state: "检查", path: [], range: r(5), condition: "$Input.id > 0", default: false, index: 0, next: "并行" },
    { type: "StateExited", state: "检查", path: [], range: r(5), output: { id: 1 } },
    { type: "StateEntered", state: "并行", path: [], range: r(10), input: { id: 1 } },
    { type: "StateEntered", state: "A", path: [{ state: "并行", branch: 0 }], range: r(14), input: {} },
    { type: "StateExited", state: "A", path: [{ state: "并行", branch: 0 }], range: r(14), output: "a" },
    { type: "StateEntered", state: "逐个", path: [{ state: "并行", branch: 1 }], range: r(18), input: [1, 2] },
    { type: "StateEntered", state: "查询", path: [{ state: "并行", branch: 1 }, { state: "逐个", iteration: 0 }], range: r(20), input: 1 },
    { type: "TaskScheduled", state: "查询", path: [{ state: "并行", branch: 1 }, { state: "逐个", iteration: 0 }], range: r(20), action: "FC:InvokeFunction", parameters: { x: 1 } },
    { type: "TaskFailed", state: "查询", path: [{ state: "并行", branch: 1 }, { state: "逐个", iteration: 0 }], range: r(20), error: { code: "FC.Unknown", detail: "boom" } },
    { type: "RetryScheduled", state: "查询", path: [{ state: "并行", branch: 1 }, { state: "逐个", iteration: 0 }], range: r(20), attempt: 1, delay: 2 },
    { type: "StateExited", state: "查询", path: [{ state: "并行", branch: 1 }, { state: "逐个", iteration: 0 }], range: r(20), output: 2 },
    { type: "StateEntered", state: "查询", path: [{ state: "并行", branch: 1 }, { state: "逐个", iteration: 1 }], range: r(20), input: 2 },
    { type: "StateExited", state: "查询", path: [{ state: "并行", branch: 1 }, { state: "逐个", iteration: 1 }], range: r(20), output: 3 },
    { type: "StateExited", state: "逐个", path: [{ state: "并行", branch: 1 }], range: r(18), output: [2, 3] },
    { type: "StateFailed", state: "并行", path: [], range: r(10), error: { code: "Rejected", detail: "no stock" } },
    { type: "ExecutionFailed", state: null, path: [], error: { code: "Rejected", detail: "no stock" } },
  ],
};

function render(nodes: RunNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [
    `${"  ".repeat(depth)}${n.label}${n.description ? ` — ${n.description}` : ""}${n.outcome ? ` [${n.outcome}]` : ""}${n.range ? ` @${n.range.start.line}` : ""}`,
    ...render(n.children, depth + 1),
  ]);
}

test("the run as a tree: states in order, branches and iterations nested", () => {
  assert.deepEqual(render(buildRunTree(RESULT)), [
    "Failed: Rejected · 3.5 s virtual [failed]",
    "  Rejected — no stock",
    "  warning — `查询` has no mock @20",
    "检查 — $Input.id > 0 → 并行 [ok] @5",
    '  input — {"id":1}',
    '  output — {"id":1}',
    "并行 — Rejected [failed] @10",
    '  input — {"id":1}',
    "  Branch 1",
    "    A [ok] @14",
    "      input — {}",
    '      output — "a"',
    "  Branch 2",
    "    逐个 [ok] @18",
    "      input — [1,2]",
    "      Iteration 0",
    "        查询 [ok] @20",
    "          input — 1",
    '          call FC:InvokeFunction — {"x":1}',
    "          error — FC.Unknown: boom",
    "          retry 1 — after 2 s",
    "          output — 2",
    "      Iteration 1",
    "        查询 [ok] @20",
    "          input — 2",
    "          output — 3",
    "      output — [2,3]",
    "  error — Rejected: no stock",
  ]);
});

test("outcomes per state and the transitions taken, per scope", () => {
  assert.deepEqual([...stateOutcomes(RESULT)], [["5:4", "ran"], ["10:4", "failed"], ["14:4", "ran"], ["18:4", "ran"], ["20:4", "ran"]]);
  assert.deepEqual([...takenTransitions(RESULT)], ["5:4>10:4"]);
});

test("a succeeded run shows its output; long values are shortened", () => {
  const ok: RunResult = { status: "Succeeded", output: { a: "x".repeat(200) }, error: null, virtualSeconds: 0, warnings: [], events: [] };
  const [head] = buildRunTree(ok);
  assert.equal(head.label, "Succeeded · 0 s virtual");
  assert.equal(head.children[0].description?.length, 80);
  assert.equal(shortJson(undefined), "null");
});
