// The dry-run result as a tree for the result view: a summary, then every state the run
// entered, in order, with its input, output, error, retries and Choice decision; Parallel
// branches and Map iterations nest under their state. Pure data, no VS Code.

import { PathSegment, Range, RunEvent, RunResult, rangeKey } from "./lsp";

export type Outcome = "ok" | "failed" | "running";

export interface RunNode {
  label: string;
  description?: string;
  /** Shown on hover: the whole value when the description shortens it. */
  tooltip?: string;
  kind: "summary" | "state" | "scope" | "detail" | "warning";
  outcome?: Outcome;
  /** The state's source range: clicking reveals it. */
  range?: Range;
  children: RunNode[];
}

/** JSON on one line, cut to `max` characters. */
export function shortJson(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "null";
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function detail(label: string, value: unknown): RunNode {
  return {
    label,
    description: shortJson(value),
    tooltip: JSON.stringify(value, null, 2),
    kind: "detail",
    children: [],
  };
}

function scopeLabel(segment: PathSegment): string {
  if (segment.branch !== undefined) {
    return `Branch ${segment.branch + 1}`;
  }
  if (segment.iteration !== undefined) {
    return `Iteration ${segment.iteration}`;
  }
  if (segment.choice !== undefined) {
    return segment.choice === "default" ? "Default steps" : `Choice branch ${segment.choice + 1} steps`;
  }
  return segment.state;
}

function segmentKey(segment: PathSegment): string {
  return `${segment.state}|${segment.branch ?? ""}|${segment.iteration ?? ""}|${segment.choice ?? ""}`;
}

/** Where the events of one scope go, and the state visits made in it. */
interface Container {
  children: RunNode[];
  /** The latest visit of each state, by name. */
  visits: Map<string, RunNode>;
  /** The scopes under each visit, by segment. */
  scopes: Map<RunNode, Map<string, Container>>;
}

function newContainer(children: RunNode[]): Container {
  return { children, visits: new Map(), scopes: new Map() };
}

export function summary(result: RunResult): string {
  const time = `${result.virtualSeconds} s virtual`;
  if (result.status === "Succeeded") {
    return `Succeeded · ${time}`;
  }
  const error = result.error ? `: ${result.error.code}` : "";
  return `${result.status}${error} · ${time}`;
}

export function buildRunTree(result: RunResult): RunNode[] {
  const top: RunNode[] = [];
  const head: RunNode = {
    label: summary(result),
    kind: "summary",
    outcome: result.status === "Succeeded" ? "ok" : "failed",
    children: [],
  };
  if (result.status === "Succeeded") {
    head.children.push(detail("output", result.output));
  } else if (result.error) {
    head.children.push({ label: result.error.code, description: result.error.detail, tooltip: result.error.detail, kind: "detail", children: [] });
  }
  for (const w of result.warnings ?? []) {
    head.children.push({ label: "warning", description: w.message, tooltip: w.message, kind: "warning", range: w.range ?? undefined, children: [] });
  }
  top.push(head);
  const root = newContainer(top);

  const containerFor = (path: PathSegment[] | undefined): Container => {
    let container = root;
    for (const segment of path ?? []) {
      let visit = container.visits.get(segment.state);
      if (!visit) {
        // An event inside a scope whose state was not entered (should not happen): keep it visible.
        visit = { label: segment.state, kind: "state", children: [] };
        container.children.push(visit);
        container.visits.set(segment.state, visit);
      }
      let scopes = container.scopes.get(visit);
      if (!scopes) {
        scopes = new Map();
        container.scopes.set(visit, scopes);
      }
      const key = segmentKey(segment);
      let scope = scopes.get(key);
      if (!scope) {
        const node: RunNode = { label: scopeLabel(segment), kind: "scope", children: [] };
        visit.children.push(node);
        scope = newContainer(node.children);
        scopes.set(key, scope);
      }
      container = scope;
    }
    return container;
  };

  for (const event of result.events ?? []) {
    if (!event.state) {
      continue; // the execution's own events are in the summary
    }
    const container = containerFor(event.path);
    let visit = container.visits.get(event.state);
    if (event.type === "StateEntered" || !visit) {
      visit = { label: event.state, kind: "state", outcome: "running", range: event.range ?? undefined, children: [] };
      container.children.push(visit);
      container.visits.set(event.state, visit);
      container.scopes.delete(visit);
    }
    applyEvent(visit, event);
  }
  return top;
}

function applyEvent(visit: RunNode, event: RunEvent): void {
  switch (event.type) {
    case "StateEntered":
      visit.children.push(detail("input", event.input));
      break;
    case "TaskScheduled":
      visit.children.push(detail(`call ${event.action ?? ""}`.trim(), event.parameters));
      break;
    case "TaskFailed":
    case "StateFailed":
      if (event.error) {
        visit.children.push({ label: "error", description: `${event.error.code}: ${event.error.detail}`, tooltip: event.error.detail, kind: "detail", children: [] });
      }
      if (event.type === "StateFailed") {
        visit.outcome = "failed";
        visit.description = event.error?.code ?? "failed";
      }
      break;
    case "RetryScheduled":
      visit.children.push({ label: `retry ${event.attempt ?? ""}`.trim(), description: `after ${event.delay ?? 0} s`, kind: "detail", children: [] });
      break;
    case "CatchTaken":
      visit.outcome = "failed";
      visit.description = `caught ${event.error?.code ?? ""} → ${event.next ?? ""}`.trim();
      break;
    case "ChoiceBranchTaken":
      visit.description = event.default ? `default → ${event.next ?? "next"}` : `${event.condition ?? ""} → ${event.next ?? "next"}`;
      break;
    case "StateExited":
      visit.children.push(detail("output", event.output));
      if (visit.outcome === "running") {
        visit.outcome = "ok";
      }
      break;
    default:
      break;
  }
}

/** What became of each state (by range key): ran, or failed (its last visit failed). */
export function stateOutcomes(result: RunResult): Map<string, "ran" | "failed"> {
  const out = new Map<string, "ran" | "failed">();
  for (const event of result.events ?? []) {
    if (!event.range) {
      continue;
    }
    const key = rangeKey(event.range);
    if (event.type === "StateFailed" || event.type === "CatchTaken") {
      out.set(key, "failed");
    } else if (!out.has(key)) {
      out.set(key, "ran");
    }
  }
  return out;
}

/** The transitions the run took, as `from>to` pairs of range keys: consecutive states
 * entered in the same scope (the same branch, the same iteration). */
export function takenTransitions(result: RunResult): Set<string> {
  const last = new Map<string, string>();
  const out = new Set<string>();
  for (const event of result.events ?? []) {
    if (event.type !== "StateEntered" || !event.range) {
      continue;
    }
    const scope = (event.path ?? []).map(segmentKey).join("/");
    const key = rangeKey(event.range);
    const before = last.get(scope);
    if (before !== undefined) {
      out.add(`${before}>${key}`);
    }
    last.set(scope, key);
  }
  return out;
}
