// A Test Explorer run of one test file through the server's `fdl.runTests`: the command's
// arguments (with the unsaved texts the server may not hold), and the verdict of each case
// from the report, which has the shape of `fdl test --format json`.

import { TestReport } from "./testReport";

/** The server's command: runs a test file's cases on the texts the editor holds. */
export const RUN_TESTS_COMMAND = "fdl.runTests";

/** An open document, as much of it as the run needs. */
export interface OpenDocument {
  uri: string;
  /** The URI's scheme: only files can be a test file's flow. */
  scheme: string;
  path: string;
  isDirty: boolean;
  text: string;
}

export interface RunTestsArguments {
  uri: string;
  /** The cases to run; all when absent. */
  cases?: string[];
  /** `{URI: text}` of the unsaved YAML documents. */
  texts: Record<string, string>;
}

/**
 * The arguments of `fdl.runTests` for the test file `uri`. The server reads the documents
 * opened as FDL itself; a flow open in another language (plain YAML) it does not see, so
 * every unsaved YAML file goes along. Saved documents are what is on disk already.
 */
export function runTestsArguments(uri: string, cases: string[] | undefined, documents: OpenDocument[]): RunTestsArguments {
  const texts: Record<string, string> = {};
  for (const d of documents) {
    if (d.isDirty && d.scheme === "file" && /\.ya?ml$/i.test(d.path)) {
      texts[d.uri] = d.text;
    }
  }
  return cases === undefined ? { uri, texts } : { uri, cases, texts };
}

export type Verdict =
  | { kind: "passed" }
  | { kind: "failed"; messages: string[] }
  | { kind: "errored"; message: string }
  | { kind: "skipped" };

/**
 * What the Test Explorer shows for each case named in `names`: its outcome in the report;
 * a case the report lacks errs with the file's problems (the flow has errors, no `Flow:`,
 * ...), else it was skipped (renamed or removed meanwhile).
 */
export function verdicts(names: string[], report: TestReport): Verdict[] {
  return names.map((name): Verdict => {
    const outcome = report.cases.find((o) => o.name === name);
    if (!outcome) {
      return report.problems.length > 0 ? { kind: "errored", message: report.problems.join("\n") } : { kind: "skipped" };
    }
    if (outcome.passed) {
      return { kind: "passed" };
    }
    return { kind: "failed", messages: outcome.messages.length > 0 ? outcome.messages : ["failed"] };
  });
}
