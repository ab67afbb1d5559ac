// The JSON shapes the fdl server sends (fdl.dryRun, fdl/lastRun, fdl/graph), as the
// extension reads them. Only the fields used here are typed; the rest passes through.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface ErrorInfo {
  code: string;
  detail: string;
}

/** One enclosing scope of an event: a Parallel branch, a Map (or foreach) iteration, the
 * steps of a legacy choice branch. */
export interface PathSegment {
  state: string;
  branch?: number;
  iteration?: number;
  choice?: number | "default";
}

export interface RunEvent {
  type: string;
  state?: string | null;
  path?: PathSegment[];
  range?: Range | null;
  time?: number;
  input?: unknown;
  output?: unknown;
  error?: ErrorInfo;
  action?: string;
  parameters?: unknown;
  attempt?: number;
  delay?: number;
  condition?: string | null;
  default?: boolean;
  next?: string | null;
  index?: number;
  message?: string;
}

export interface RunWarning {
  code: string;
  message: string;
  state?: string | null;
  range?: Range | null;
}

export type RunStatus = "Succeeded" | "Failed" | "TimedOut" | "StepLimit";

export interface RunResult {
  status: RunStatus;
  output: unknown;
  error: ErrorInfo | null;
  virtualSeconds: number;
  warnings: RunWarning[];
  events: RunEvent[];
}

export interface GraphScope {
  id: string;
  kind: "flow" | "parallelBranch" | "mapProcessor" | "steps";
  label: string;
  parent: string | null;
  start: string | null;
}

export interface GraphNode {
  id: string;
  name: string;
  type: string;
  scope: string;
  range: Range;
  selectionRange: Range;
  terminal: boolean;
}

export type EdgeKind = "next" | "branch" | "default" | "catch";

export interface GraphEdge {
  from: string;
  to: string | null;
  target: string;
  kind: EdgeKind;
  label: string | null;
}

export interface FlowGraph {
  dialect: "cloudflow" | "legacy";
  scopes: GraphScope[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A state is keyed by where it starts: the same in graphs and in run events. */
export function rangeKey(range: Range): string {
  return `${range.start.line}:${range.start.character}`;
}
