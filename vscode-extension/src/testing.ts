// The cases of dry-run test files (`*.fdltest.yaml`) in VS Code's Test Explorer. Cases are
// listed from the text the editor holds (the file on disk when it is not open) and run by
// the language server's `fdl.runTests` on the editor's texts too: an unsaved edit of the
// test file or of its flow counts. A failing case shows its unmet expectations at the case.
// Without a running server (or with an fdl too old for `fdl.runTests`) the cases run with
// `fdl test FILE --format json` on the files as saved, and the run's output says so.

import { execFile } from "node:child_process";
import * as vscode from "vscode";
import { ErrorCodes, ResponseError } from "vscode-languageclient/node";
import { Server } from "./client";
import { parseTestCases } from "./model/testCases";
import { parseTestReportFull, readTestReport, TestReport } from "./model/testReport";
import { RUN_TESTS_COMMAND, runTestsArguments, verdicts } from "./model/testRun";

const TEST_FILE = /\.fdltest\.ya?ml$/;

export function registerTesting(context: vscode.ExtensionContext, server: Server, output: vscode.LogOutputChannel): vscode.TestController {
  const controller = vscode.tests.createTestController("fdl", "FDL dry-run tests");
  context.subscriptions.push(controller);

  const fileItem = (uri: vscode.Uri): vscode.TestItem => {
    let item = controller.items.get(uri.toString());
    if (!item) {
      item = controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
      item.canResolveChildren = true;
      controller.items.add(item);
    }
    return item;
  };

  const diskText = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  /** The text the editor holds, else the file's. */
  const currentText = async (uri: vscode.Uri) => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ? open.getText() : diskText(uri);
  };

  const readCases = async (item: vscode.TestItem, text?: string) => {
    if (!item.uri) {
      return;
    }
    let content: string;
    try {
      content = text ?? (await currentText(item.uri));
    } catch (e) {
      item.error = `Cannot read ${item.uri.fsPath}: ${String(e)}`;
      return;
    }
    item.error = undefined;
    const found = parseTestCases(content);
    // Most edits and every save leave the cases as they are: keep the items (and the
    // results VS Code shows on them) instead of replacing them with equal ones.
    const current = [...iterate(item.children)];
    if (current.length === found.length && found.every((c, i) => current[i].label === c.name && current[i].range?.start.line === c.line)) {
      return;
    }
    const cases = found.map((c) => {
      const child = controller.createTestItem(`${item.id}#${c.name}`, c.name, item.uri);
      child.range = new vscode.Range(c.line, 0, c.line, 0);
      return child;
    });
    item.children.replace(cases);
  };

  controller.resolveHandler = async (item) => {
    if (item) {
      await readCases(item);
      return;
    }
    for (const uri of await vscode.workspace.findFiles("**/*.fdltest.{yaml,yml}", "**/node_modules/**")) {
      await readCases(fileItem(uri));
    }
  };
  const watcher = vscode.workspace.createFileSystemWatcher("**/*.fdltest.{yaml,yml}");
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate((uri) => void readCases(fileItem(uri))),
    watcher.onDidChange((uri) => void readCases(fileItem(uri))),
    watcher.onDidDelete((uri) => controller.items.delete(uri.toString())),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (TEST_FILE.test(e.document.uri.path)) {
        void readCases(fileItem(e.document.uri), e.document.getText());
      }
    }),
    // Closed without saving: the file's cases again.
    vscode.workspace.onDidCloseTextDocument((document) => {
      const item = controller.items.get(document.uri.toString());
      if (item && document.uri.scheme === "file") {
        void diskText(document.uri).then(
          (text) => readCases(item, text),
          () => controller.items.delete(item.id),
        );
      }
    }),
  );

  /** The report of the cases `names` of the test file `uri`. */
  const runFile = async (testRun: vscode.TestRun, uri: vscode.Uri, names: string[], token: vscode.CancellationToken): Promise<TestReport> => {
    const client = server.running();
    if (client) {
      const documents = vscode.workspace.textDocuments.map((d) => ({ uri: d.uri.toString(), scheme: d.uri.scheme, path: d.uri.path, isDirty: d.isDirty, text: d.getText() }));
      const args = runTestsArguments(uri.toString(), names, documents);
      try {
        const result: unknown = await client.sendRequest("workspace/executeCommand", { command: RUN_TESTS_COMMAND, arguments: [args] }, token);
        testRun.appendOutput(`${JSON.stringify(result, null, 2).replace(/\n/g, "\r\n")}\r\n`);
        return readTestReport(result);
      } catch (e) {
        if (!(e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound)) {
          throw e;
        }
        testRun.appendOutput(`This fdl has no ${RUN_TESTS_COMMAND}: running \`fdl test\` on the files as saved.\r\n`);
      }
    } else {
      testRun.appendOutput("The fdl language server is not running: running `fdl test` on the files as saved.\r\n");
    }
    const binary = server.discovery?.kind === "found" ? server.discovery.path : undefined;
    if (!binary) {
      throw new Error("The fdl executable was not found (see FDL: Show Server Output).");
    }
    const report = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      execFile(binary, ["test", uri.fsPath, "--format", "json"], { cwd: folder, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) => resolve({ stdout, stderr }));
    });
    try {
      const parsed = parseTestReportFull(report.stdout);
      testRun.appendOutput(report.stdout.replace(/\n/g, "\r\n"));
      return parsed;
    } catch {
      throw new Error(`fdl test did not report: ${report.stderr || report.stdout}`);
    }
  };

  const run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken) => {
    const testRun = controller.createTestRun(request);
    const files = new Map<vscode.TestItem, vscode.TestItem[]>();
    const queue: vscode.TestItem[] = [];
    (request.include ?? [...iterate(controller.items)]).forEach((i) => queue.push(i));
    for (const item of queue) {
      if (request.exclude?.includes(item)) {
        continue;
      }
      const file = item.parent ?? item;
      if (!item.parent) {
        await readCases(item);
      }
      const cases = item.parent ? [item] : [...iterate(item.children)];
      files.set(file, [...(files.get(file) ?? []), ...cases]);
    }
    for (const [file, cases] of files) {
      if (token.isCancellationRequested || !file.uri) {
        break;
      }
      cases.forEach((c) => testRun.started(c));
      const started = Date.now();
      let report: TestReport;
      try {
        report = await runFile(testRun, file.uri, cases.map((c) => c.label), token);
      } catch (e) {
        if (token.isCancellationRequested) {
          cases.forEach((c) => testRun.skipped(c));
          break;
        }
        const message = new vscode.TestMessage(e instanceof Error ? e.message : String(e));
        cases.forEach((c) => testRun.errored(c, message));
        continue;
      }
      const duration = Date.now() - started;
      verdicts(
        cases.map((c) => c.label),
        report,
      ).forEach((verdict, i) => {
        const c = cases[i];
        switch (verdict.kind) {
          case "passed":
            testRun.passed(c, duration);
            break;
          case "skipped":
            testRun.skipped(c);
            break;
          case "errored":
            testRun.errored(c, new vscode.TestMessage(verdict.message));
            break;
          case "failed":
            testRun.failed(
              c,
              verdict.messages.map((m) => {
                const message = new vscode.TestMessage(m);
                if (c.uri && c.range) {
                  message.location = new vscode.Location(c.uri, c.range);
                }
                return message;
              }),
              duration,
            );
            break;
        }
      });
    }
    output.info(`Test run finished (${[...files.values()].flat().length} cases)`);
    testRun.end();
  };
  controller.createRunProfile("Run", vscode.TestRunProfileKind.Run, run, true);
  // List the test files now, not only when the Test Explorer is first opened, so that
  // "Run All Tests" and the gutter buttons work from the start.
  void controller.resolveHandler(undefined);
  return controller;
}

function* iterate(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const items: vscode.TestItem[] = [];
  collection.forEach((i) => items.push(i));
  yield* items;
}
