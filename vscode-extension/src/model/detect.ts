// Which YAML files are flows, by content: a top-level `Type: StateMachine` with `States`
// (CloudFlow) or `type: flow` with `steps` (legacy). Both markers are required, so ordinary
// YAML (CI files, Kubernetes manifests, an unrelated `type:` key) is never taken over.

export type Dialect = "cloudflow" | "legacy";

/** How far into a file the markers are looked for: flows start with them. */
const MAX_LINES = 400;

/** The top-level keys of a YAML text and their plain values (first document only). */
function topLevel(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  const lines = text.split(/\r?\n/, MAX_LINES);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^\uFEFF/, "");
    if (line.startsWith("---") && i > 0 && keys.size > 0) {
      break; // a second document
    }
    const m = /^(["']?)([A-Za-z][\w.-]*)\1\s*:(?:\s+(.*?))?\s*$/.exec(line);
    if (m && !keys.has(m[2])) {
      keys.set(m[2], unquote(stripComment(m[3] ?? "")));
    }
  }
  return keys;
}

function stripComment(value: string): string {
  const at = value.search(/\s#/);
  return (at >= 0 ? value.slice(0, at) : value).trim();
}

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2] : value;
}

/** The dialect of a flow definition, or undefined for other YAML. */
export function detectDialect(text: string): Dialect | undefined {
  const keys = topLevel(text);
  if (keys.get("Type") === "StateMachine" && keys.has("States")) {
    return "cloudflow";
  }
  if (keys.get("type") === "flow" && keys.has("steps")) {
    return "legacy";
  }
  return undefined;
}

/** A dry-run test file: a top-level `Tests:` mapping and the `Flow:` it runs. */
export function isTestFile(text: string): boolean {
  const keys = topLevel(text);
  return keys.has("Tests") && keys.has("Flow");
}

/** Whether a file name is one the extension's language contributes by name. */
export function isFdlFileName(path: string): boolean {
  return /\.(fdl|flow|fdltest)\.ya?ml$/i.test(path);
}
