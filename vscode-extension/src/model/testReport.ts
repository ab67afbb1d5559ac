// Reads `fdl test --format json`: one entry per case with whether it passed and, when it
// failed, why. Tolerant of extra fields, so that the report can grow.

export interface CaseOutcome {
  file?: string;
  name: string;
  passed: boolean;
  /** One message per unmet expectation. */
  messages: string[];
  /** Zero-based line of the case in its file, when the report gives it. */
  line?: number;
}

type Json = Record<string, unknown>;

function messagesOf(entry: Json): string[] {
  const out: string[] = [];
  for (const key of ["failures", "errors", "mismatches"]) {
    const list = entry[key];
    if (Array.isArray(list)) {
      for (const item of list) {
        out.push(typeof item === "string" ? item : typeof item === "object" && item && "message" in item ? String((item as Json).message) : JSON.stringify(item));
      }
    }
  }
  if (typeof entry.message === "string") {
    out.push(entry.message);
  }
  return out;
}

export function parseTestReport(text: string): CaseOutcome[] {
  const data: unknown = JSON.parse(text);
  const list: unknown[] = Array.isArray(data)
    ? data
    : data && typeof data === "object"
      ? ((data as Json).cases as unknown[]) ?? ((data as Json).results as unknown[]) ?? ((data as Json).tests as unknown[]) ?? []
      : [];
  const out: CaseOutcome[] = [];
  for (const item of list) {
    if (!item || typeof item !== "object") {
      continue;
    }
    const entry = item as Json;
    const name = entry.name ?? entry.case;
    if (typeof name !== "string") {
      continue;
    }
    const status = typeof entry.status === "string" ? entry.status.toLowerCase() : undefined;
    const passed = typeof entry.passed === "boolean" ? entry.passed : status === "passed" || status === "ok";
    const range = entry.range as { start?: { line?: number } } | undefined;
    out.push({
      file: typeof entry.file === "string" ? entry.file : undefined,
      name,
      passed,
      messages: messagesOf(entry),
      line: typeof range?.start?.line === "number" ? range.start.line : undefined,
    });
  }
  return out;
}
