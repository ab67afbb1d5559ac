// The launch configurations of the `fdl` debugger: what "Debug flow" and F5 without a
// launch.json start, and what is filled into a configuration that leaves things out
// (the program: the active file; the input and mocks: the dry-run settings; the mode: the
// `fdl.mode` setting). Pure, so that it is tested without VS Code.

export const DEBUG_TYPE = "fdl";

export interface FdlLaunchConfig {
  type: string;
  request: string;
  name: string;
  program?: string;
  input?: unknown;
  mocks?: unknown;
  vars?: unknown;
  mode?: string;
  case?: string;
  stopOnEntry?: boolean;
  cwd?: string;
  [key: string]: unknown;
}

export interface Defaults {
  /** The file of the active editor, if any. */
  activeFile?: string;
  workspaceFolder?: string;
  /** `fdl.dryRun.input`: JSON text or a file (relative to the workspace folder); "" for none. */
  input: string;
  /** `fdl.dryRun.mocks`: a mocks file; "" for none. */
  mocks: string;
  /** `fdl.mode`, when set. */
  mode?: string | null;
}

export function isTestFileName(file: string): boolean {
  return /\.fdltest\.ya?ml$/.test(file);
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** The configuration of "Debug flow" (or "Debug case") on `program`. */
export function debugConfig(program: string, d: Defaults, testCase?: string): FdlLaunchConfig {
  const config: FdlLaunchConfig = {
    type: DEBUG_TYPE,
    request: "launch",
    name: testCase === undefined ? `Debug ${baseName(program)}` : `Debug ${testCase}`,
    program,
  };
  return fill(config, d, testCase);
}

/** Adds what a configuration leaves out, from the defaults. */
function fill(config: FdlLaunchConfig, d: Defaults, testCase?: string): FdlLaunchConfig {
  const out = { ...config };
  if (testCase !== undefined) {
    out.case = testCase;
  }
  const testFile = out.program !== undefined && isTestFileName(out.program);
  // A test case brings its own input and mocks.
  if (!testFile && out.input === undefined && d.input.trim() !== "") {
    out.input = d.input;
  }
  if (!testFile && out.mocks === undefined && d.mocks.trim() !== "") {
    out.mocks = d.mocks;
  }
  if (out.mode === undefined && d.mode) {
    out.mode = d.mode;
  }
  if (out.cwd === undefined && d.workspaceFolder !== undefined) {
    out.cwd = d.workspaceFolder;
  }
  return out;
}

export type Resolved = { config: FdlLaunchConfig } | { error: string };

/**
 * What F5 starts. An empty configuration (no launch.json) debugs the active file; a
 * configuration without `program` takes the active file too.
 */
export function resolveLaunch(given: Partial<FdlLaunchConfig>, d: Defaults): Resolved {
  const empty = given.type === undefined && given.request === undefined && given.name === undefined;
  const config: FdlLaunchConfig = empty
    ? { type: DEBUG_TYPE, request: "launch", name: "Debug flow" }
    : { type: DEBUG_TYPE, request: "launch", name: "Debug flow", ...given };
  if (config.request !== "launch") {
    return { error: "The fdl debugger runs flows itself: use a launch configuration (\"request\": \"launch\")." };
  }
  if (config.program === undefined || config.program === "") {
    if (d.activeFile === undefined) {
      return { error: "Nothing to debug: open a flow, or set \"program\" in the launch configuration." };
    }
    config.program = d.activeFile;
  }
  return { config: fill(config, d) };
}
