// End-to-end test of the extension in a real VS Code: installs the built .vsix into
// code-server, opens a flow with Chinese state names in headless Chromium (playwright-core)
// and checks what a user sees:
//   (a) error squiggles from the server,
//   (b) the completion list after `TaskMode: `,
//   (c) the dry-run result view and the decorations of the states that ran,
//   (d) the flow graph webview, drawn offline, and a click that reveals a state,
//   (e) a test case run from the Test Explorer, its failure shown at the case, on the texts
//       the editor holds (the flow's fix and then a case's expectation, both unsaved),
//   (f) the debugger: a breakpoint on a state in a Parallel branch, "Debug flow" from the
//       code lens, the stop there with `$Input` in the Variables view, continue to the end,
//   (g) the grammar: a Condition's `$Input` has the expression scopes in VS Code's token
//       inspector, and the YAML grammar the unit tests use is this VS Code's.
// (c) and (e) need an fdl with the dry run (`fdl test`); without it they are reported as
// not run, unless FDL_E2E_REQUIRE_DRY_RUN=1. Screenshots go to e2e/artifacts/ (git-ignored).
//
// Run with Node 24 (code-server needs it): `node run.mjs` after `npm run package` in the
// extension folder and `npm ci` here (.ci/run does all of it).

import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const extension = dirname(here);
const artifacts = join(here, "artifacts");
const { version } = JSON.parse(readFileSync(join(extension, "package.json"), "utf8"));
const vsix = process.env.FDL_VSIX ?? join(extension, `fdl-${version}.vsix`);
const codeServer = join(here, "node_modules", ".bin", "code-server");
const browserPath = process.env.FDL_CHROMIUM ?? "/usr/bin/chromium";
const FLOW = "订单流程.fdl.yaml";
const TESTS = "订单流程.fdltest.yaml";

const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok });
  log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
  if (!ok) {
    throw new Error(`${name} failed${detail ? `: ${detail}` : ""}`);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitFor(what, predicate, timeout = 30000, every = 200) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await predicate();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, every));
  }
}

if (!existsSync(vsix)) {
  throw new Error(`${vsix} not found: run \`npm run package\` in ${extension} first`);
}
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

// Does this fdl have the dry run? `fdl test` for the Test Explorer (e), and the language
// server's `fdl.dryRun` for the result view (c): asked directly over stdio. The server
// binary inside the .vsix is the one `npm run package` put in ../server.
const serverBinary = join(extension, "server", "fdl");
let hasTestCommand = false;
try {
  execFileSync(serverBinary, ["test", "--help"], { stdio: "ignore" });
  hasTestCommand = true;
} catch {
  hasTestCommand = false;
}

/** Sends `initialize`, a document and `fdl.dryRun` to `fdl lsp`; true when it answers a run. */
async function serverRunsDryRuns() {
  const child = spawn(serverBinary, ["lsp"], { stdio: ["pipe", "pipe", "ignore"] });
  const send = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  let buffer = Buffer.alloc(0);
  let initialized;
  const ready = new Promise((resolve) => {
    initialized = resolve;
  });
  const answer = new Promise((resolve) => {
    child.stdout.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const header = buffer.indexOf("\r\n\r\n");
        if (header < 0) {
          return;
        }
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, header).toString())?.[1] ?? 0);
        if (buffer.length < header + 4 + length) {
          return;
        }
        const message = JSON.parse(buffer.subarray(header + 4, header + 4 + length).toString());
        buffer = buffer.subarray(header + 4 + length);
        if (message.id === 1) {
          initialized();
        } else if (message.id === 2) {
          resolve(typeof message.result?.status === "string");
        }
      }
    });
    child.on("exit", () => resolve(false));
    setTimeout(() => resolve(false), 10000);
  });
  const uri = "file:///probe/probe.fdl.yaml";
  send({ id: 1, method: "initialize", params: { capabilities: {}, processId: null, rootUri: null } });
  // Requests before the answer to `initialize` are refused.
  await Promise.race([ready, answer]);
  send({ method: "initialized", params: {} });
  send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "fdl", version: 1, text: "Type: StateMachine\nSpecVersion: v1\nStartAt: a\nStates:\n  - Type: Pass\n    Name: a\n    End: true\n" } } });
  send({ id: 2, method: "workspace/executeCommand", params: { command: "fdl.dryRun", arguments: [{ uri, input: {} }] } });
  const runs = await answer;
  child.kill();
  return runs;
}
const hasDryRunView = await serverRunsDryRuns();
if (process.env.FDL_E2E_REQUIRE_DRY_RUN === "1" && !(hasTestCommand && hasDryRunView)) {
  throw new Error("FDL_E2E_REQUIRE_DRY_RUN=1 but this fdl has no dry run (fdl test, or fdl.dryRun in the server)");
}

const root = mkdtempSync(join(tmpdir(), "fdl-e2e-"));
const userData = join(root, "user-data");
const extensions = join(root, "extensions");
const workspace = join(root, "workspace");
mkdirSync(join(userData, "User"), { recursive: true });
mkdirSync(workspace, { recursive: true });
cpSync(join(here, "fixtures"), workspace, { recursive: true });
writeFileSync(
  join(userData, "User", "settings.json"),
  JSON.stringify(
    {
      "security.workspace.trust.enabled": false,
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
      "editor.minimap.enabled": false,
      // (e) needs unsaved edits: VS Code for the web saves after a delay by default, and
      // every VS Code saves all editors before a Test Explorer run unless this is off.
      "files.autoSave": "off",
      "testing.saveBeforeTest": false,
      "fdl.dryRun.input": '{"amount": 5}',
      "chat.disableAIFeatures": true,
    },
    null,
    2,
  ),
);

const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
log(`installing ${vsix}`);
execFileSync(codeServer, ["--install-extension", vsix, "--extensions-dir", extensions, "--user-data-dir", userData], { env, stdio: "inherit" });

const port = await freePort();
const serverLog = [];
const cs = spawn(
  codeServer,
  [
    "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--user-data-dir", userData, "--extensions-dir", extensions,
    "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
    workspace,
  ],
  { env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
);
cs.stdout.on("data", (d) => serverLog.push(String(d)));
cs.stderr.on("data", (d) => serverLog.push(String(d)));

let browser;
const foreign = [];
const webviewLoads = [];
try {
  await waitFor("code-server", async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  log("code-server is up");
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  // What the graph webview loads: only local addresses, or the extension's own files, which
  // VS Code's webview service worker serves under *.vscode-resource.vscode-cdn.net without
  // any network. (The workbench itself may query the extension gallery; that is not ours.)
  page.on("requestfinished", async (request) => {
    if (!request.frame().url().includes("/webview/")) {
      return;
    }
    const url = new URL(request.url());
    if (["127.0.0.1", "localhost"].includes(url.hostname) || ["data:", "blob:"].includes(url.protocol)) {
      return;
    }
    const response = await request.response();
    const fromWorker = response?.fromServiceWorker() ?? false;
    if (fromWorker && url.hostname.endsWith(".vscode-resource.vscode-cdn.net") && url.pathname.includes("/fdl.fdl-")) {
      webviewLoads.push(url.pathname.split("/").pop());
    } else {
      foreign.push(request.url());
    }
  });
  const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`) });
  const palette = async (command) => {
    await page.keyboard.press("F1");
    await page.waitForSelector(".quick-input-widget:not([style*='display: none']) input");
    await page.keyboard.type(command);
    await page.waitForTimeout(400);
    await page.keyboard.press("Enter");
  };
  const goToLine = async (line) => {
    await page.keyboard.press("Control+G");
    await page.waitForSelector(".quick-input-widget:not([style*='display: none']) input");
    await page.keyboard.type(String(line));
    await page.keyboard.press("Enter");
  };
  const cursorLine = async () => {
    const text = (await page.textContent("[id='status.editor.selection']")) ?? "";
    return Number(/Ln (\d+)/.exec(text)?.[1] ?? -1);
  };

  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  log("workbench loaded");

  // Open the flow through Quick Open.
  await page.keyboard.press("Control+P");
  await page.waitForSelector(".quick-input-widget:not([style*='display: none']) input");
  await page.keyboard.type(FLOW);
  await page.waitForSelector(".quick-input-list .monaco-list-row");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".monaco-editor .view-lines");
  log("flow opened");

  // (a) Error squiggles from the server.
  await waitFor("error squiggles", () => page.$(".monaco-editor .squiggly-error"), 60000);
  const language = await waitFor("language mode", async () => ((await page.textContent("[id='status.editor.mode']")) ?? "").trim());
  check("(a) error squiggles", true, `language mode: ${language}`);
  check("(a) the file opens as FDL", /FDL/.test(language), language);
  await shot("a-squiggles");

  // (g) The grammar as this VS Code applies it: the scopes under the cursor in a Choice's
  // Condition, from "Developer: Inspect Editor Tokens and Scopes". The unit tests tokenize
  // with VS Code's YAML grammar as an npm package packs it: it must be this VS Code's.
  const shippedYaml = join(here, "node_modules", "code-server", "lib", "vscode", "extensions", "yaml", "syntaxes");
  const testedYaml = join(extension, "node_modules", "@codingame", "monaco-vscode-yaml-default-extension", "resources");
  const yamlFiles = readdirSync(shippedYaml).filter((f) => f.endsWith(".tmLanguage.json")).sort();
  const differing = yamlFiles.filter((f) => {
    const tested = join(testedYaml, f);
    return !existsSync(tested) || JSON.stringify(JSON.parse(readFileSync(join(shippedYaml, f), "utf8"))) !== JSON.stringify(JSON.parse(readFileSync(tested, "utf8")));
  });
  check("(g) the unit tests' YAML grammar is this VS Code's", yamlFiles.length > 0 && differing.length === 0, `${yamlFiles.join(", ")}; differing: ${differing.join(", ") || "none"}`);
  const flowLines = readFileSync(join(here, "fixtures", FLOW), "utf8").split("\n");
  const conditionLine = flowLines.findIndex((l) => l.includes("Condition: $Input")) + 1;
  // Inside `$Input`: its `I`, 1-based.
  await goToLine(`${conditionLine}:${flowLines[conditionLine - 1].indexOf("$Input") + 2}`);
  await palette("Developer: Inspect Editor Tokens and Scopes");
  const inspected = await waitFor("the token inspector", async () => {
    const text = await page.textContent(".token-inspect-widget").catch(() => null);
    return text && text.includes("textmate scopes") ? text : undefined;
  }, 15000);
  await shot("g-grammar");
  check("(g) the Condition's `$Input` is an expression variable", inspected.includes("variable.language.fdl") && inspected.includes("meta.embedded.expression.fdl"), inspected.replace(/\s+/g, " ").slice(0, 400));
  await page.keyboard.press("Escape");

  // (b) Completion after `TaskMode: `: delete the value and ask for suggestions.
  const lines = readFileSync(join(here, "fixtures", FLOW), "utf8").split("\n");
  const modeLine = lines.findIndex((l) => l.includes("TaskMode: WaitForSystemCallback")) + 1;
  await goToLine(modeLine);
  await page.keyboard.press("End");
  await page.keyboard.press("Control+Shift+ArrowLeft");
  await page.keyboard.press("Delete");
  // The first request can race the edit reaching the server: ask again until it shows.
  await waitFor("the suggest widget", async () => {
    await page.keyboard.press("Control+Space");
    try {
      await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout: 4000 });
      return true;
    } catch {
      await page.keyboard.press("Escape");
      return false;
    }
  }, 30000, 0);
  const labels = await page.$$eval(".suggest-widget.visible .monaco-list-row", (rows) => rows.map((r) => r.getAttribute("aria-label") ?? ""));
  await shot("b-completion");
  check("(b) completion after TaskMode:", labels.some((l) => l.startsWith("RequestComplete")) && labels.some((l) => l.startsWith("WaitForCustomCallback")) && !labels.some((l) => l.startsWith("WaitForSystemCallback")), JSON.stringify(labels));
  // Take RequestComplete: the flow is now correct and the squiggle goes away.
  await page.keyboard.press("Escape");
  await page.keyboard.type("RequestComplete");
  await waitFor("squiggles to clear", async () => (await page.$(".monaco-editor .squiggly-error")) === null, 30000);
  check("(b) the fix clears the error", true);

  // (d) The flow graph: nodes drawn by the bundled script in the webview, offline.
  await palette("FDL: Show Flow Graph");
  const frame = await waitFor("the graph webview", async () => {
    for (const f of page.frames()) {
      try {
        if (await f.$("#graph svg g.node")) {
          return f;
        }
      } catch {
        // a frame that went away
      }
    }
    return undefined;
  }, 30000);
  const names = await frame.$$eval("#graph g.node text.name", (ts) => ts.map((t) => t.textContent));
  await shot("d-graph");
  const expected = ["检查订单", "并行处理", "通知仓库", "记录", "完成", "拒绝订单"];
  check("(d) graph nodes", expected.every((n) => names.includes(n)), JSON.stringify(names));
  const frames = await frame.$$eval("#graph g.scope text", (ts) => ts.map((t) => t.textContent));
  check("(d) Parallel branches drawn as nested scopes", frames.join() === "Branch 1,Branch 2", JSON.stringify(frames));
  const edges = await frame.$$eval("#graph g.edge", (es) => es.map((e) => e.getAttribute("class")));
  check("(d) edge kinds", edges.some((c) => c.includes("branch")) && edges.some((c) => c.includes("default")), JSON.stringify(edges));
  // Click 拒绝订单: the editor's cursor goes to its name.
  const failLine = lines.findIndex((l) => l.includes("Name: 拒绝订单")) + 1;
  await frame.click("#graph g.node:has(text.name:text-is('拒绝订单'))");
  await waitFor("the click to reveal the state", async () => (await cursorLine()) === failLine, 10000);
  check("(d) click reveals the state", true, `line ${failLine}`);
  // Live: rename a state in the editor, the graph follows.
  await goToLine(failLine);
  await page.keyboard.press("End");
  await page.keyboard.type("了");
  await waitFor("the graph to follow the edit", async () => (await frame.$$eval("#graph g.node text.name", (ts) => ts.map((t) => t.textContent))).includes("拒绝订单了"), 10000);
  check("(d) the graph follows edits", true);
  await page.keyboard.press("Backspace");
  check("(d) the webview loaded the bundled script and style", ["graph.js", "graph.css"].every((f) => webviewLoads.includes(f)), JSON.stringify(webviewLoads));
  check("(d) nothing was fetched from outside", foreign.length === 0, foreign.join(", "));

  if (hasDryRunView) {
    // (c) Dry run: the input comes from the fdl.dryRun.input setting.
    await page.keyboard.press("Escape");
    await palette("FDL: Dry Run");
    const view = await waitFor("the dry-run view", async () => {
      const rows = await page.$$eval("[id='workbench.view.explorer'] .monaco-list-row, .pane-body .monaco-list-row", (rs) => rs.map((r) => r.textContent ?? ""));
      return rows.some((r) => r.includes("Succeeded")) ? rows : undefined;
    }, 30000);
    await shot("c-dry-run");
    check("(c) result view", ["检查订单", "并行处理"].every((n) => view.some((r) => r.includes(n))), JSON.stringify(view));
    // The whole flow in view: every state's first line is decorated.
    await goToLine(1);
    const stateLine = (re) => lines.findIndex((l) => re.test(l)) + 1;
    const ranLines = [/Type: Choice/, /Type: Parallel/, /Type: Task/, /Type: Pass/, /Type: Succeed/].map(stateLine);
    const decoratedLines = () =>
      page.evaluate(() => {
        const tops = [...document.querySelectorAll(".monaco-editor .view-overlays div[class*='ced-']")].map((d) => d.getBoundingClientRect().top);
        return [...document.querySelectorAll(".monaco-editor .line-numbers")]
          .filter((n) => tops.some((t) => Math.abs(t - n.getBoundingClientRect().top) < 4))
          .map((n) => Number(n.textContent?.trim()));
      });
    const decorated = await waitFor("decorations", async () => {
      const found = await decoratedLines();
      return ranLines.every((l) => found.includes(l)) ? found : undefined;
    }, 10000);
    check("(c) the states that ran are decorated", !decorated.includes(stateLine(/Type: Fail/)), `lines ${decorated.join(", ")}`);
    // The `after` text of a decoration is CSS content on a span of the line.
    const notReached = await page.evaluate(() =>
      [...document.querySelectorAll(".monaco-editor .view-line")]
        .filter((l) => [...l.querySelectorAll("span")].some((s) => getComputedStyle(s, "::after").content.includes("not reached")))
        // The editor draws spaces as no-break spaces.
        .map((l) => (l.textContent ?? "").replace(/\u00a0/g, " ")),
    );
    check("(c) the state never reached is marked", notReached.length === 1 && notReached[0].includes("Type: Fail"), JSON.stringify(notReached));
  } else {
    log("not run: (c) dry-run view and decorations: this fdl's language server has no dry run yet");
  }
  if (hasTestCommand) {
    // (e) Test Explorer: run every case, one passes and one fails at its case. The flow's
    // fix above is not saved: on disk the flow still has its error, which `fdl test` would
    // refuse to run, so the cases pass or fail only if the run takes the editor's text.
    await page.keyboard.press("Escape");
    const tabs = () => page.$$eval(".tabs-container .tab", (ts) => ts.map((t) => `${t.getAttribute("aria-label")} [${t.className}]`));
    const dirtyFlow = await page.$(`.tabs-container .tab.dirty[aria-label^='${FLOW}']`);
    check("(e) the flow's fix is not saved", dirtyFlow !== null, JSON.stringify(await tabs()));
    await palette("Testing: Focus on Test Explorer View");
    await page.waitForSelector(".test-explorer .monaco-list-row", { timeout: 20000 });
    await palette("Test: Run All Tests");
    const rowsOf = () =>
      page.$$eval(".test-explorer .monaco-list-row", (rs) =>
        rs.map((r) => `${r.textContent ?? ""} ${[...r.querySelectorAll(".codicon")].map((c) => c.className).join(" ")}`),
      );
    await waitFor("the run to finish", async () => (await rowsOf()).some((r) => /testing-(passed|failed)-icon/.test(r)), 30000);
    // Expand the file to see its cases.
    await page.click(".test-explorer .monaco-list-row .monaco-tl-twistie.collapsible");
    const tests = await waitFor("the cases", async () => {
      const rows = await rowsOf();
      return rows.length >= 3 ? rows : undefined;
    }, 10000);
    const row = (name) => tests.find((r) => r.includes(name)) ?? "";
    check("(e) the passing case passed", /testing-passed-icon/.test(row("正常订单")), row("正常订单"));
    check("(e) the failing case failed", /testing-failed-icon/.test(row("空订单被拒绝")), row("空订单被拒绝"));
    // The failure at the case: open the test file, the message shows on the case's line.
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget:not([style*='display: none']) input");
    await page.keyboard.type(TESTS);
    await page.waitForSelector(".quick-input-list .monaco-list-row.focused[aria-label*='fdltest']");
    await page.keyboard.press("Enter");
    await waitFor("the test file in front", async () => ((await page.getAttribute(".tabs-container .tab.active", "aria-label")) ?? "").startsWith(TESTS), 10000);
    const message = await waitFor("the failure message in the test file", async () => {
      // VS Code draws a failure as a content widget at the end of the case's line.
      const texts = await page.$$eval(".monaco-editor .test-error-content-widget", (es) => es.map((e) => e.textContent ?? ""));
      return texts.find((t) => t.includes("expected Succeeded"));
    }, 15000);
    await shot("e-tests");
    check("(e) the failure is shown in the editor", true, message);
    // At the case: the failed icon is in the gutter of the case's line.
    const caseLine = readFileSync(join(here, "fixtures", TESTS), "utf8").split("\n").findIndex((l) => l.includes("空订单被拒绝:")) + 1;
    const glyph = await page.evaluate((line) => {
      const number = [...document.querySelectorAll(".monaco-editor .line-numbers")].find((n) => n.textContent?.trim() === String(line));
      const top = number?.getBoundingClientRect().top ?? -100;
      return [...document.querySelectorAll(".monaco-editor .codicon-testing-failed-icon")].some((g) => Math.abs(g.getBoundingClientRect().top - top) < 4);
    }, caseLine);
    check("(e) the failure is at the case's line", glyph, `a failed icon in the gutter of line ${caseLine}`);
    // An unsaved change to the case's expectation changes its outcome: it now expects the
    // failure it gets.
    const expectLine = readFileSync(join(here, "fixtures", TESTS), "utf8").split("\n").findLastIndex((l) => l.includes("Status: Succeeded")) + 1;
    await goToLine(expectLine);
    await page.keyboard.press("End");
    await page.keyboard.press("Control+Shift+ArrowLeft");
    await page.keyboard.type("Failed");
    const dirtyTests = await waitFor("the test file to be dirty", () => page.$(`.tabs-container .tab.dirty[aria-label^='${TESTS}']`), 10000);
    check("(e) the expectation is edited, not saved", dirtyTests !== null);
    await palette("Test: Run All Tests");
    const rerun = await waitFor("the edited case to pass", async () => {
      const rows = await rowsOf();
      const edited = rows.find((r) => r.includes("空订单被拒绝")) ?? "";
      return /testing-passed-icon/.test(edited) ? rows : undefined;
    }, 30000);
    await shot("e-tests-unsaved");
    const rerunRow = (name) => rerun.find((r) => r.includes(name)) ?? "";
    check("(e) with the unsaved expectation the case passes", /testing-passed-icon/.test(rerunRow("空订单被拒绝")), rerunRow("空订单被拒绝"));
    check("(e) the other case still passes", /testing-passed-icon/.test(rerunRow("正常订单")), rerunRow("正常订单"));
    // Nothing was saved on the way: on disk the flow still has its error and the case
    // still expects success.
    const stillDirty = await tabs();
    check("(e) both files are still unsaved", [FLOW, TESTS].every((f) => stillDirty.some((t) => t.startsWith(f) && /\bdirty\b/.test(t))), JSON.stringify(stillDirty));
  } else {
    log("not run: (e) Test Explorer: this fdl has no `fdl test` yet");
  }
  // (f) The debugger. The flow was fixed above (and is saved below); its input comes from the
  // fdl.dryRun.input setting ({"amount": 5}), so the Choice leads into the Parallel.
  // Back to the flow's tab (the test file is in front).
  await page.keyboard.press("Escape");
  await page.click(`.tabs-container .tab[aria-label^='${FLOW}']`);
  await waitFor("the flow in front", async () => ((await page.getAttribute(".tabs-container .tab.active", "aria-label")) ?? "").startsWith(FLOW), 10000);
  // The debugger reads the files: save the fix.
  await page.keyboard.press("Control+S");
  await waitFor("the flow to be saved", async () => (await page.$(`.tabs-container .tab.dirty[aria-label^='${FLOW}']`)) === null, 10000);
  // The state's first line (`- Type: Task`) is the line above its name: the index of the
  // name's line is that line's 1-based number.
  const taskLine = lines.findIndex((l) => l.includes("Name: 通知仓库"));
  await goToLine(taskLine);
  await page.keyboard.press("F9");
  await waitFor("the breakpoint glyph", () => page.$(".monaco-editor [class*='codicon-debug-breakpoint']"), 10000);
  check("(f) a breakpoint is set on the state", true, `line ${taskLine}`);
  await goToLine(1);
  // The lenses are drawn again after the save: a lens found just before may be gone when
  // clicked, so look again until a click lands.
  await waitFor("a click on the Debug flow code lens", async () => {
    for (const a of await page.$$(".monaco-editor .codelens-decoration a")) {
      if (((await a.textContent().catch(() => null)) ?? "").includes("Debug flow")) {
        return a.click({ timeout: 2000 }).then(
          () => true,
          () => false,
        );
      }
    }
    return false;
  }, 20000);
  const rowsIn = (selector) => page.$$eval(selector, (rs) => rs.map((r) => (r.textContent ?? "").replace(/\u00a0/g, " ")));
  const stack = await waitFor("the stop at the state", async () => {
    const rows = await rowsIn(".debug-pane .monaco-list-row");
    return rows.some((r) => r.includes("通知仓库")) ? rows : undefined;
  }, 30000);
  // The Variables view lists the scopes; open the State scope as a user would.
  const stateScope = await waitFor("the State scope", async () => {
    for (const row of await page.$$(".debug-pane .monaco-list-row")) {
      if (((await row.textContent()) ?? "").trim() === "State") {
        return row;
      }
    }
    return undefined;
  }, 10000);
  if ((await stateScope.getAttribute("aria-expanded")) !== "true") {
    await stateScope.click();
  }
  const variables = await waitFor("$Input in the Variables view", async () => {
    const rows = await rowsIn(".debug-pane .monaco-list-row");
    return rows.some((r) => r.includes("$Input") && r.includes("amount")) ? rows : undefined;
  }, 10000);
  await shot("f-debug-stopped");
  check("(f) stopped with $Input in the Variables view", variables.some((r) => r.includes("$Input") && r.includes('"amount":5')), JSON.stringify(variables));
  // VS Code asks for the top frame first and for the rest of the stack after.
  const callStack = await waitFor("the whole call stack", async () => {
    const rows = await rowsIn(".debug-pane .monaco-list-row");
    return rows.some((r) => r.includes("并行处理 › branch 0")) ? rows : undefined;
  }, 10000);
  check("(f) the call stack shows the state in its branch", stack.some((r) => r.includes("通知仓库")) && callStack.some((r) => r.startsWith("order")), JSON.stringify(callStack));
  const stoppedLine = await waitFor("the editor at the stop", () => page.$(".monaco-editor .debug-top-stack-frame-line"), 10000);
  check("(f) the editor shows where it stopped", stoppedLine !== null);
  // Continue to the end: the debug console gets the outcome and the session ends.
  await page.keyboard.press("F5");
  const repl = await waitFor("the outcome in the debug console", async () => {
    const rows = await rowsIn(".repl .monaco-list-row");
    return rows.some((r) => r.includes("Succeeded")) ? rows : undefined;
  }, 30000);
  await waitFor("the session to end", async () => (await page.$(".debug-toolbar:not([style*='display: none'])")) === null, 15000);
  await shot("f-debug-done");
  check("(f) continued to the end", repl.some((r) => r.includes("✓ Succeeded")), JSON.stringify(repl.slice(-5)));
  await shot("final");
} catch (e) {
  log(String(e?.stack ?? e));
  writeFileSync(join(artifacts, "code-server.log"), serverLog.join(""));
  try {
    const pages = browser?.contexts()[0]?.pages() ?? [];
    if (pages[0]) {
      await pages[0].screenshot({ path: join(artifacts, "failure.png") });
    }
  } catch {
    // the screenshot is a bonus
  }
  process.exitCode = 1;
} finally {
  await browser?.close();
  try {
    process.kill(-cs.pid, "SIGTERM");
  } catch {
    // already gone
  }
  rmSync(root, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
// A failed check throws; an error outside any check counts as one failure too.
const failed = Math.max(results.length - passed, process.exitCode ? 1 : 0);
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
// The summary line CI reads, alone on its line.
console.log(`e2e: ${passed} passed, ${failed} failed`);
