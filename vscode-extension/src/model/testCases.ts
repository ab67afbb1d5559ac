// The cases of a dry-run test file, read from its text without a YAML library: the keys
// one level under the top-level `Tests:` mapping. Enough for the Test Explorer's list;
// `fdl test` reads the file properly when the cases run.

export interface TestCaseEntry {
  name: string;
  /** Zero-based line of the case's key. */
  line: number;
}

function unquote(key: string): string {
  const m = /^"(.*)"$/.exec(key);
  if (m) {
    return m[1].replace(/\\"/g, '"').replace(/\\\\/g, "\\");
  }
  const s = /^'(.*)'$/.exec(key);
  return s ? s[1].replace(/''/g, "'") : key;
}

export function parseTestCases(text: string): TestCaseEntry[] {
  const lines = text.split(/\r?\n/);
  const out: TestCaseEntry[] = [];
  let inTests = false;
  let indent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#.*)?$/.test(line)) {
      continue;
    }
    const column = line.length - line.trimStart().length;
    if (column === 0) {
      inTests = /^Tests\s*:\s*(#.*)?$/.test(line);
      indent = -1;
      continue;
    }
    if (!inTests) {
      continue;
    }
    if (indent < 0) {
      indent = column;
    }
    if (column !== indent) {
      continue;
    }
    const m = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^#:][^:]*?)\s*:(\s|$)/.exec(line);
    if (m) {
      out.push({ name: unquote(m[1].trim()), line: i });
    }
  }
  return out;
}
