// The cases of dry-run test files (`*.fdltest.yaml`) in VS Code's Test Explorer. Cases
// are listed from the files' text and run with `fdl test FILE --format json`; a failing
// case shows its unmet expectations at the case.

import { execFile } from "node:child_process";
import * as vscode from "vscode";
import { Server } from "./client";
import { parseTestCases } from "./model/testCases";
import { parseTestReportFull } from "./model/testReport";

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

  const readCases = async (item: vscode.TestItem, text?: string) => {
    if (!item.uri) {
      return;
    }
    const content = text ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(item.uri));
    const cases = parseTestCases(content).map((c) => {
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
      if (/\.fdltest\.ya?ml$/.test(e.document.uri.path)) {
        void readCases(fileItem(e.document.uri), e.document.getText());
      }
    }),
  );

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
      const binary = server.discovery?.kind === "found" ? server.discovery.path : undefined;
      if (!binary) {
        cases.forEach((c) => testRun.errored(c, new vscode.TestMessage("The fdl executable was not found (see FDL: Show Server Output).")));
        continue;
      }
      const started = Date.now();
      const report = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
        const folder = vscode.workspace.getWorkspaceFolder(file.uri as vscode.Uri)?.uri.fsPath;
        execFile(binary, ["test", (file.uri as vscode.Uri).fsPath, "--format", "json"], { cwd: folder, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) => resolve({ stdout, stderr }));
      });
      let outcomes;
      let problems: string[] = [];
      try {
        const parsed = parseTestReportFull(report.stdout);
        outcomes = parsed.cases;
        problems = parsed.problems;
      } catch {
        const message = new vscode.TestMessage(`fdl test did not report: ${report.stderr || report.stdout}`);
        cases.forEach((c) => testRun.errored(c, message));
        continue;
      }
      testRun.appendOutput(report.stdout.replace(/\n/g, "\r\n"));
      for (const c of cases) {
        const outcome = outcomes.find((o) => o.name === c.label);
        if (!outcome && problems.length > 0) {
          testRun.errored(c, new vscode.TestMessage(problems.join("\n")));
        } else if (!outcome) {
          testRun.skipped(c);
        } else if (outcome.passed) {
          testRun.passed(c, Date.now() - started);
        } else {
          const messages = (outcome.messages.length > 0 ? outcome.messages : ["failed"]).map((m) => {
            const message = new vscode.TestMessage(m);
            if (c.uri && c.range) {
              message.location = new vscode.Location(c.uri, c.range);
            }
            return message;
          });
          testRun.failed(c, messages, Date.now() - started);
        }
      }
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
