// Layout of a flow graph for the webview: each scope is laid out in rows by distance from
// its start state (breadth first), states that hold scopes (Parallel, Map) become frames
// that contain their scopes side by side, and sizes are computed bottom-up. Deterministic
// and dependency-free, so the webview ships no layout library and the tests need no DOM.

import { FlowGraph, GraphEdge, GraphNode } from "./lsp";

export const NODE_HEIGHT = 44;
export const MIN_NODE_WIDTH = 110;
const GAP_X = 28;
const GAP_Y = 44;
const PAD = 14;
const HEADER = 50;
const SCOPE_HEADER = 22;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NodeBox extends Box {
  id: string;
  name: string;
  type: string;
  /** Holds scopes: drawn as a frame. */
  compound: boolean;
  start: boolean;
  terminal: boolean;
}

export interface ScopeBox extends Box {
  id: string;
  label: string;
  kind: string;
}

export interface EdgeLine {
  from: string;
  to: string | null;
  kind: GraphEdge["kind"];
  label: string | null;
  /** Points of the line, from the source to the target. */
  points: { x: number; y: number }[];
  /** The target is at the same row or above: drawn around the side. */
  back: boolean;
}

export interface Layout {
  width: number;
  height: number;
  nodes: NodeBox[];
  scopes: ScopeBox[];
  edges: EdgeLine[];
}

/** Approximate text width: CJK characters are twice as wide as Latin ones. */
export function textWidth(text: string, charWidth = 7.2): number {
  let units = 0;
  for (const ch of text) {
    units += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  }
  return units * charWidth;
}

interface Sized {
  width: number;
  height: number;
  /** Positions relative to the scope's top left. */
  place: (x: number, y: number) => void;
}

export function layoutGraph(graph: FlowGraph): Layout {
  const nodesOf = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = nodesOf.get(n.scope) ?? [];
    list.push(n);
    nodesOf.set(n.scope, list);
  }
  const scopesOf = new Map<string, string[]>();
  for (const s of graph.scopes) {
    if (s.parent) {
      const list = scopesOf.get(s.parent) ?? [];
      list.push(s.id);
      scopesOf.set(s.parent, list);
    }
  }
  const scopeById = new Map(graph.scopes.map((s) => [s.id, s]));
  const out: Layout = { width: 0, height: 0, nodes: [], scopes: [], edges: [] };
  const boxes = new Map<string, NodeBox>();
  const rowOf = new Map<string, number>();

  const sizeNode = (node: GraphNode, start: boolean): Sized => {
    const children = (scopesOf.get(node.id) ?? []).map((id) => sizeScope(id));
    const label = Math.max(textWidth(node.name), textWidth(node.type)) + 2 * PAD;
    const box: NodeBox = {
      id: node.id, name: node.name, type: node.type, compound: children.length > 0,
      start, terminal: node.terminal, x: 0, y: 0, width: Math.max(MIN_NODE_WIDTH, label), height: NODE_HEIGHT,
    };
    if (children.length > 0) {
      const inner = children.reduce((w, c) => w + c.width, 0) + GAP_X * (children.length - 1);
      box.width = Math.max(box.width, inner + 2 * PAD);
      box.height = HEADER + Math.max(...children.map((c) => c.height)) + PAD;
    }
    boxes.set(node.id, box);
    out.nodes.push(box);
    return {
      width: box.width,
      height: box.height,
      place: (x, y) => {
        box.x = x;
        box.y = y;
        const inner = children.reduce((w, c) => w + c.width, 0) + GAP_X * (children.length - 1);
        let cx = x + (box.width - inner) / 2;
        for (const c of children) {
          c.place(cx, y + HEADER);
          cx += c.width + GAP_X;
        }
      },
    };
  };

  const sizeScope = (scopeId: string): Sized => {
    const scope = scopeById.get(scopeId);
    const nodes = nodesOf.get(scopeId) ?? [];
    const ids = new Set(nodes.map((n) => n.id));
    // Rows: breadth-first distance from the start; states no path reaches go last.
    const next = new Map<string, string[]>();
    for (const e of graph.edges) {
      if (e.to && ids.has(e.from) && ids.has(e.to)) {
        next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
      }
    }
    const rank = new Map<string, number>();
    const startId = scope?.start ?? nodes[0]?.id;
    if (startId && ids.has(startId)) {
      rank.set(startId, 0);
      const queue = [startId];
      while (queue.length > 0) {
        const id = queue.shift() as string;
        for (const to of next.get(id) ?? []) {
          if (!rank.has(to)) {
            rank.set(to, (rank.get(id) ?? 0) + 1);
            queue.push(to);
          }
        }
      }
    }
    let last = Math.max(-1, ...rank.values());
    for (const n of nodes) {
      if (!rank.has(n.id)) {
        rank.set(n.id, ++last);
      }
    }
    const rows: Sized[][] = [];
    for (const n of nodes) {
      const r = rank.get(n.id) ?? 0;
      rowOf.set(n.id, r);
      (rows[r] ??= []).push(sizeNode(n, n.id === startId));
    }
    const dense = rows.filter((r) => r !== undefined);
    const rowWidth = (row: Sized[]) => row.reduce((w, s) => w + s.width, 0) + GAP_X * (row.length - 1);
    const rowHeight = (row: Sized[]) => Math.max(...row.map((s) => s.height));
    const header = scope?.parent ? SCOPE_HEADER : 0;
    const width = Math.max(MIN_NODE_WIDTH, ...dense.map(rowWidth)) + 2 * PAD;
    const height = header + dense.reduce((h, r) => h + rowHeight(r), 0) + GAP_Y * Math.max(0, dense.length - 1) + 2 * PAD;
    const frame: ScopeBox = { id: scopeId, label: scope?.label ?? "", kind: scope?.kind ?? "flow", x: 0, y: 0, width, height };
    if (scope?.parent) {
      out.scopes.push(frame);
    }
    return {
      width,
      height,
      place: (x, y) => {
        frame.x = x;
        frame.y = y;
        let cy = y + header + PAD;
        for (const row of dense) {
          let cx = x + (width - rowWidth(row)) / 2;
          const h = rowHeight(row);
          for (const s of row) {
            s.place(cx, cy);
            cx += s.width + GAP_X;
          }
          cy += h + GAP_Y;
        }
      },
    };
  };

  const top = graph.scopes[0];
  if (!top) {
    return out;
  }
  const sized = sizeScope(top.id);
  sized.place(0, 0);
  out.width = sized.width;
  out.height = sized.height;

  let missing = 0;
  for (const e of graph.edges) {
    const from = boxes.get(e.from);
    if (!from) {
      continue;
    }
    const to = e.to ? boxes.get(e.to) : undefined;
    if (!to) {
      missing++;
      // A transition to a missing state: a short stub to the right, labelled with the name.
      const y = from.y + from.height / 2 + missing * 2;
      out.edges.push({ from: e.from, to: null, kind: e.kind, label: `${e.target}?`, back: false, points: [{ x: from.x + from.width, y }, { x: from.x + from.width + 36, y }] });
      continue;
    }
    const back = (rowOf.get(e.to ?? "") ?? 0) <= (rowOf.get(e.from) ?? 0) || to.y <= from.y;
    const points = back
      ? [
          { x: from.x + from.width, y: from.y + from.height / 2 },
          { x: Math.max(from.x + from.width, to.x + to.width) + 20, y: from.y + from.height / 2 },
          { x: Math.max(from.x + from.width, to.x + to.width) + 20, y: to.y + to.height / 2 },
          { x: to.x + to.width, y: to.y + to.height / 2 },
        ]
      : [
          { x: from.x + from.width / 2, y: from.y + from.height },
          { x: to.x + to.width / 2, y: to.y },
        ];
    out.edges.push({ from: e.from, to: e.to, kind: e.kind, label: e.kind === "next" ? null : e.label, back, points });
  }
  out.width += 60; // room for back edges and stubs on the right
  return out;
}
