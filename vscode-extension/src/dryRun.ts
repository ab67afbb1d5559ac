// FDL: Dry Run. Gathers the input (the setting, a JSON file or an input box) and the mocks
// file, runs the server's `fdl.dryRun` on the document as the editor holds it, and shows the
// result: a tree of events in the explorer and decorations on the states that ran, failed
// or were never reached. The decorations come from `fdl/lastRun`, so a run started by
// another way (a test case) shows the same.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { Server, SERVER_DRY_RUN } from "./client";
import { FlowGraph, Range, RunResult, rangeKey } from "./model/lsp";
import { RunNode, buildRunTree, stateOutcomes } from "./model/runTree";

export interface DryRunArgs {
  uri: string;
  input?: unknown;
  mocks?: string;
  mode?: string;
  case?: string;
}

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

class RunTreeProvider implements vscode.TreeDataProvider<RunNode> {
  private roots: RunNode[] = [];
  private uri: vscode.Uri | undefined;
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  show(uri: vscode.Uri, result: RunResult): void {
    this.uri = uri;
    this.roots = buildRunTree(result);
    this.changed.fire(undefined);
  }

  getChildren(node?: RunNode): RunNode[] {
    return node ? node.children : this.roots;
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const expand = node.kind === "summary" || node.kind === "scope" || (node.kind === "state" && node.outcome === "failed");
    const item = new vscode.TreeItem(
      node.label,
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : expand
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.kind;
    const icon =
      node.outcome === "failed" ? new vscode.ThemeIcon("error", new vscode.ThemeColor("testing.iconFailed"))
      : node.outcome === "ok" ? new vscode.ThemeIcon("pass", new vscode.ThemeColor("testing.iconPassed"))
      : node.kind === "scope" ? new vscode.ThemeIcon("symbol-namespace")
      : node.kind === "warning" ? new vscode.ThemeIcon("warning")
      : node.kind === "state" ? new vscode.ThemeIcon("circle-outline")
      : undefined;
    if (icon) {
      item.iconPath = icon;
    }
    if (node.range && this.uri) {
      item.command = { command: "fdl.revealEvent", title: "Reveal State", arguments: [this.uri, node.range] };
    }
    return item;
  }
}

/** Decorations of the states of the last run: ran, failed, never reached. */
class RunDecorations implements vscode.Disposable {
  readonly ran = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor("diffEditor.insertedLineBackground"),
    overviewRulerColor: new vscode.ThemeColor("testing.iconPassed"),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  readonly failed = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor("diffEditor.removedLineBackground"),
    overviewRulerColor: new vscode.ThemeColor("testing.iconFailed"),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  readonly notReached = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    opacity: "0.55",
    after: { contentText: "  not reached in the last dry run", color: new vscode.ThemeColor("editorCodeLens.foreground") },
  });
  /** Per document: the decorated ranges, until the document changes. */
  private readonly byDoc = new Map<string, { ran: vscode.Range[]; failed: vscode.Range[]; notReached: vscode.Range[] }>();

  set(uri: vscode.Uri, result: RunResult, graph: FlowGraph | null): void {
    const outcomes = stateOutcomes(result);
    const line = (r: Range) => new vscode.Range(r.start.line, 0, r.start.line, 0);
    const entry = { ran: [] as vscode.Range[], failed: [] as vscode.Range[], notReached: [] as vscode.Range[] };
    for (const node of graph?.nodes ?? []) {
      const outcome = outcomes.get(rangeKey(node.range));
      (outcome === "failed" ? entry.failed : outcome === "ran" ? entry.ran : entry.notReached).push(line(node.range));
    }
    this.byDoc.set(uri.toString(), entry);
    this.apply();
  }

  clear(uri: vscode.Uri): void {
    if (this.byDoc.delete(uri.toString())) {
      this.apply();
    }
  }

  apply(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const entry = this.byDoc.get(editor.document.uri.toString());
      editor.setDecorations(this.ran, entry?.ran ?? []);
      editor.setDecorations(this.failed, entry?.failed ?? []);
      editor.setDecorations(this.notReached, entry?.notReached ?? []);
    }
  }

  dispose(): void {
    this.ran.dispose();
    this.failed.dispose();
    this.notReached.dispose();
  }
}

export class DryRun {
  readonly tree = new RunTreeProvider();
  readonly decorations = new RunDecorations();
  /** Fires after a run, so the graph can show its path. */
  private readonly ran = new vscode.EventEmitter<{ uri: vscode.Uri; result: RunResult }>();
  readonly onDidRun = this.ran.event;

  constructor(
    private readonly server: Server,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      vscode.window.createTreeView("fdl.dryRunResult", { treeDataProvider: this.tree, showCollapseAll: true }),
      this.decorations,
      this.ran,
      vscode.commands.registerCommand("fdl.runDryRun", (arg?: unknown) => this.command(arg)),
      vscode.commands.registerCommand("fdl.revealEvent", (uri: vscode.Uri, range: Range) => reveal(uri, range)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorations.apply()),
      // An edit makes the last run's decorations stale; the server's hints follow edits
      // state by state, these are cleared as a whole.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.decorations.clear(e.document.uri);
        }
      }),
    );
  }

  /** The command: from the palette (no argument), the lens (the document's URI) or a test case. */
  async command(arg?: unknown): Promise<RunResult | undefined> {
    let args: DryRunArgs | undefined;
    if (arg && typeof arg === "object" && "uri" in arg) {
      args = arg as DryRunArgs;
    } else {
      const uri = typeof arg === "string" ? arg : vscode.window.activeTextEditor?.document.uri.toString();
      if (!uri) {
        void vscode.window.showErrorMessage("FDL: Dry Run needs an open flow.");
        return undefined;
      }
      const input = await chooseInput(vscode.Uri.parse(uri));
      if (input === undefined) {
        return undefined;
      }
      args = { uri, input };
      const mocks = defaultMocks();
      if (mocks) {
        args.mocks = mocks;
      }
    }
    return this.run(args);
  }

  async run(args: DryRunArgs): Promise<RunResult | undefined> {
    const client = this.server.running();
    if (!client) {
      void vscode.window.showErrorMessage("The fdl language server is not running (see FDL: Show Server Output).");
      return undefined;
    }
    const uri = vscode.Uri.parse(args.uri);
    let result: RunResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: "FDL dry run", cancellable: false },
        () => client.sendRequest("workspace/executeCommand", { command: SERVER_DRY_RUN, arguments: [args] }) as Promise<RunResult>,
      );
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.output.error(`Dry run: ${message}`);
      void vscode.window.showErrorMessage(`FDL dry run: ${message}`);
      return undefined;
    }
    await this.show(uri, result);
    return result;
  }

  /** Shows a result: the tree, then decorations from the server's copy of the last run. */
  async show(uri: vscode.Uri, result: RunResult): Promise<void> {
    this.tree.show(uri, result);
    await vscode.commands.executeCommand("setContext", "fdl.hasRun", true);
    await vscode.commands.executeCommand("fdl.dryRunResult.focus");
    const client = this.server.running();
    let last: RunResult | null = result;
    let graph: FlowGraph | null = null;
    if (client) {
      try {
        last = ((await client.sendRequest("fdl/lastRun", { uri: uri.toString() })) as RunResult | null) ?? result;
        graph = (await client.sendRequest("fdl/graph", { uri: uri.toString() })) as FlowGraph | null;
      } catch (e) {
        this.output.warn(`fdl/lastRun: ${String(e)}`);
      }
    }
    this.decorations.set(uri, last ?? result, graph);
    this.ran.fire({ uri, result: last ?? result });
  }
}

async function reveal(uri: vscode.Uri, range: Range): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri, { preserveFocus: false });
  const r = toRange(range);
  editor.selection = new vscode.Selection(r.start, r.start);
  editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function workspaceFile(file: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.isAbsolute(file) || !folder ? file : path.join(folder, file);
}

function defaultMocks(): string | undefined {
  const mocks = vscode.workspace.getConfiguration("fdl").get<string>("dryRun.mocks") ?? "";
  return mocks.trim() === "" ? undefined : workspaceFile(mocks.trim());
}

/** The input: the setting (JSON text or a JSON file), else the user's choice. */
async function chooseInput(uri: vscode.Uri): Promise<unknown> {
  const configured = (vscode.workspace.getConfiguration("fdl").get<string>("dryRun.input") ?? "").trim();
  if (configured !== "") {
    return parseInput(configured);
  }
  const pick = await vscode.window.showQuickPick(
    [
      { label: "$(json) Type JSON input", id: "box" },
      { label: "$(file) Choose a JSON file", id: "file" },
      { label: "$(circle-slash) Empty input {}", id: "empty" },
    ],
    { title: `FDL Dry Run: input for ${path.basename(uri.fsPath)}` },
  );
  if (!pick) {
    return undefined;
  }
  if (pick.id === "empty") {
    return {};
  }
  if (pick.id === "file") {
    const files = await vscode.window.showOpenDialog({ filters: { JSON: ["json"] }, canSelectMany: false });
    return files?.[0] ? readJson(files[0].fsPath) : undefined;
  }
  const text = await vscode.window.showInputBox({
    title: "FDL Dry Run: input (JSON)",
    value: "{}",
    validateInput: (v) => {
      try {
        JSON.parse(v);
        return undefined;
      } catch (e) {
        return `Not JSON: ${(e as Error).message}`;
      }
    },
  });
  return text === undefined ? undefined : JSON.parse(text);
}

function parseInput(configured: string): unknown {
  if (/^[[{"\d-]|^(true|false|null)$/.test(configured)) {
    try {
      return JSON.parse(configured);
    } catch {
      // not JSON text: try it as a file
    }
  }
  return readJson(workspaceFile(configured));
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    void vscode.window.showErrorMessage(`FDL dry run input ${file}: ${(e as Error).message}`);
    return undefined;
  }
}
