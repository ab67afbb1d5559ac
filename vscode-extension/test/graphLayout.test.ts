import * as assert from "node:assert/strict";
import { test } from "node:test";
import { layoutGraph, textWidth } from "../src/model/graphLayout";
import { FlowGraph } from "../src/model/lsp";

const range = (line: number) => ({ start: { line, character: 4 }, end: { line: line + 2, character: 0 } });

/** 检查 → (branch) 并行 [Parallel: two branches] → 完成; 检查 → (default) 失败; A catch → B. */
const GRAPH: FlowGraph = {
  dialect: "cloudflow",
  scopes: [
    { id: "c0", kind: "flow", label: "Flow", parent: null, start: "n0" },
    { id: "c1", kind: "parallelBranch", label: "Branch 1", parent: "n1", start: "n4" },
    { id: "c2", kind: "parallelBranch", label: "Branch 2", parent: "n1", start: "n6" },
  ],
  nodes: [
    { id: "n0", name: "检查", type: "Choice", scope: "c0", range: range(4), selectionRange: range(5), terminal: false },
    { id: "n1", name: "并行", type: "Parallel", scope: "c0", range: range(10), selectionRange: range(11), terminal: false },
    { id: "n2", name: "完成", type: "Succeed", scope: "c0", range: range(30), selectionRange: range(31), terminal: true },
    { id: "n3", name: "失败", type: "Fail", scope: "c0", range: range(33), selectionRange: range(34), terminal: true },
    { id: "n4", name: "A", type: "Task", scope: "c1", range: range(14), selectionRange: range(15), terminal: false },
    { id: "n5", name: "B", type: "Pass", scope: "c1", range: range(18), selectionRange: range(19), terminal: true },
    { id: "n6", name: "C", type: "Pass", scope: "c2", range: range(22), selectionRange: range(23), terminal: true },
  ],
  edges: [
    { from: "n0", to: "n1", target: "并行", kind: "branch", label: "$Input.ok" },
    { from: "n0", to: "n3", target: "失败", kind: "default", label: "Default" },
    { from: "n1", to: "n2", target: "完成", kind: "next", label: null },
    { from: "n4", to: "n5", target: "B", kind: "catch", label: "FnF.ALL" },
    { from: "n2", to: "n0", target: "检查", kind: "next", label: null },
    { from: "n6", to: null, target: "完城", kind: "next", label: null },
  ],
};

const inside = (inner: { x: number; y: number; width: number; height: number }, outer: { x: number; y: number; width: number; height: number }) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

test("rows follow the distance from the start; scopes nest inside their state", () => {
  const layout = layoutGraph(GRAPH);
  const box = (id: string) => layout.nodes.find((n) => n.id === id)!;
  assert.ok(box("n0").start);
  assert.ok(box("n1").compound && !box("n0").compound);
  // 检查 on top, 并行 and 失败 one row down side by side, 完成 below 并行.
  assert.ok(box("n1").y > box("n0").y);
  assert.equal(box("n1").y, box("n3").y);
  assert.ok(box("n2").y >= box("n1").y + box("n1").height);
  // The branches are inside the Parallel frame, side by side, their states inside them.
  const [b1, b2] = layout.scopes;
  assert.deepEqual([b1.label, b2.label], ["Branch 1", "Branch 2"]);
  assert.ok(inside(b1, box("n1")) && inside(b2, box("n1")));
  assert.ok(b1.x + b1.width <= b2.x);
  assert.ok(inside(box("n4"), b1) && inside(box("n5"), b1) && inside(box("n6"), b2));
  // No two states of a row overlap.
  for (const a of layout.nodes) {
    for (const b of layout.nodes) {
      if (a !== b && !a.compound && !b.compound) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        assert.ok(!overlap, `${a.name} overlaps ${b.name}`);
      }
    }
  }
});

test("edges: forward ones go down, loops go around, missing targets get a stub", () => {
  const layout = layoutGraph(GRAPH);
  const edge = (from: string, to: string | null) => layout.edges.find((e) => e.from === from && e.to === to)!;
  assert.equal(edge("n0", "n1").label, "$Input.ok");
  assert.equal(edge("n1", "n2").label, null);
  assert.ok(!edge("n0", "n1").back && edge("n2", "n0").back);
  assert.equal(edge("n2", "n0").points.length, 4);
  assert.equal(edge("n6", null).label, "完城?");
  assert.ok(layout.width > 0 && layout.height > 0);
});

test("CJK names are measured wider; an empty graph lays out to nothing", () => {
  assert.equal(textWidth("完成"), 2 * textWidth("ab"));
  assert.deepEqual(layoutGraph({ dialect: "legacy", scopes: [], nodes: [], edges: [] }).nodes, []);
});
