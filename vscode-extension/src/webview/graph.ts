// The flow graph webview: lays out the graph the extension posts and draws it as SVG.
// Runs in the webview (no Node, no VS Code API but acquireVsCodeApi); bundled by esbuild.

import { layoutGraph, EdgeLine, NodeBox } from "../model/graphLayout";
import { FlowGraph, rangeKey } from "../model/lsp";

interface GraphMessage {
  type: "graph";
  graph: FlowGraph | null;
  outcomes: [string, "ran" | "failed"][] | null;
  taken: string[] | null;
  title: string;
}

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const SVG = "http://www.w3.org/2000/svg";

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, String(v));
  }
  parent?.appendChild(e);
  return e;
}

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
}

function draw(message: GraphMessage): void {
  const host = document.getElementById("graph") as HTMLElement;
  const title = document.getElementById("title") as HTMLElement;
  const legend = document.getElementById("legend") as HTMLElement;
  title.textContent = message.title;
  host.replaceChildren();
  const graph = message.graph;
  if (!graph || graph.nodes.length === 0) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = "No flow to draw: the document is not a flow definition (yet).";
    host.appendChild(p);
    return;
  }
  const layout = layoutGraph(graph);
  const outcomes = new Map(message.outcomes ?? []);
  const taken = new Set(message.taken ?? []);
  const keyOf = new Map(graph.nodes.map((n) => [n.id, rangeKey(n.range)]));
  legend.textContent = message.outcomes ? "last dry run: green ran, red failed, grey not reached" : "";

  const svg = el("svg", { width: layout.width + 20, height: layout.height + 20, viewBox: `-10 -10 ${layout.width + 20} ${layout.height + 20}` });
  const defs = el("defs", {}, svg);
  for (const kind of ["next", "branch", "default", "catch", "taken"]) {
    const marker = el("marker", { id: `arrow-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", class: `arrowhead ${kind}` }, marker);
  }
  for (const s of layout.scopes) {
    const g = el("g", { class: `scope ${s.kind}` }, svg);
    el("rect", { x: s.x, y: s.y, width: s.width, height: s.height, rx: 6 }, g);
    el("text", { x: s.x + 8, y: s.y + 15, class: "scope-label" }, g).textContent = s.label;
  }
  const drawNode = (n: NodeBox) => {
    const outcome = outcomes.get(keyOf.get(n.id) ?? "");
    const state = message.outcomes ? (outcome ?? "not-reached") : "";
    const g = el("g", { class: `node ${n.compound ? "compound" : ""} ${n.type.toLowerCase()} ${state} ${n.start ? "start" : ""} ${n.terminal ? "terminal" : ""}`, "data-id": n.id, tabindex: 0 }, svg);
    el("rect", { x: n.x, y: n.y, width: n.width, height: n.height, rx: n.compound ? 8 : 6 }, g);
    const cx = n.x + n.width / 2;
    el("text", { x: cx, y: n.y + 18, class: "name" }, g).textContent = n.name;
    el("text", { x: cx, y: n.y + 34, class: "type" }, g).textContent = n.type;
    el("title", {}, g).textContent = `${n.name} (${n.type}): click to show it in the editor`;
    g.addEventListener("click", (e) => {
      e.stopPropagation();
      vscode.postMessage({ type: "reveal", id: n.id });
    });
    g.addEventListener("keydown", (e) => {
      if ((e as KeyboardEvent).key === "Enter") {
        vscode.postMessage({ type: "reveal", id: n.id });
      }
    });
  };
  // Frames first, so that the states inside them are drawn (and clicked) on top.
  layout.nodes.filter((n) => n.compound).forEach(drawNode);
  layout.nodes.filter((n) => !n.compound).forEach(drawNode);
  const drawEdge = (e: EdgeLine) => {
    const isTaken = e.to !== null && taken.has(`${keyOf.get(e.from)}>${keyOf.get(e.to)}`);
    const g = el("g", { class: `edge ${e.kind} ${isTaken ? "taken" : ""} ${e.to ? "" : "missing"}` }, svg);
    el("path", { d: path(e.points), "marker-end": `url(#arrow-${isTaken ? "taken" : e.kind})` }, g);
    if (e.label) {
      const a = e.points[0];
      const b = e.points[e.points.length - 1];
      const at = e.back ? e.points[1] : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      el("text", { x: at.x + 4, y: at.y - 3, class: "edge-label" }, g).textContent = e.label;
    }
  };
  layout.edges.forEach(drawEdge);
  host.appendChild(svg);
}

window.addEventListener("message", (event: MessageEvent<GraphMessage>) => {
  if (event.data?.type === "graph") {
    draw(event.data);
  }
});
vscode.postMessage({ type: "ready" });
