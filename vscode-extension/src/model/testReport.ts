// Reads `fdl test --format json`, which the server's `fdl.runTests` answers too: `{"files":
// [{"file", "flow", "problems", "cases": [{"name", "passed", "status", "failures"}]}],
// "passed", "failed"}`. Also takes a bare list of cases. Extra fields are ignored, so that
// the report can grow.

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

export interface TestReport {
  cases: CaseOutcome[];
  /** Problems of whole files (no `Flow:`, a flow with errors, ...). */
  problems: string[];
}

export function parseTestReport(text: string): CaseOutcome[] {
  return parseTestReportFull(text).cases;
}

export function parseTestReportFull(text: string): TestReport {
  return readTestReport(JSON.parse(text));
}

/** A report already parsed (as `fdl.runTests` answers it). */
export function readTestReport(data: unknown): TestReport {
  const report: TestReport = { cases: [], problems: [] };
  if (data && typeof data === "object" && Array.isArray((data as Json).files)) {
    for (const f of (data as Json).files as Json[]) {
      const file = typeof f.file === "string" ? f.file : undefined;
      if (Array.isArray(f.problems)) {
        report.problems.push(...f.problems.map(String));
      }
      report.cases.push(...readCases(Array.isArray(f.cases) ? f.cases : [], file));
    }
    return report;
  }
  const list: unknown[] = Array.isArray(data) ? data : data && typeof data === "object" && Array.isArray((data as Json).cases) ? ((data as Json).cases as unknown[]) : [];
  report.cases = readCases(list, undefined);
  return report;
}

function readCases(list: unknown[], file: string | undefined): CaseOutcome[] {
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
    const passed = typeof entry.passed === "boolean" ? entry.passed : entry.outcome === "passed";
    const range = entry.range as { start?: { line?: number } } | undefined;
    out.push({
      file: typeof entry.file === "string" ? entry.file : file,
      name,
      passed,
      messages: messagesOf(entry),
      line: typeof range?.start?.line === "number" ? range.start.line : undefined,
    });
  }
  return out;
}
