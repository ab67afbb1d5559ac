// FDL: Show Flow Graph. A webview draws the server's `fdl/graph` (every script and style
// is bundled with the extension, the content security policy allows nothing else), follows
// edits of the document, shows the last dry run's path, and reveals a state on click.

import * as vscode from "vscode";
import { Server } from "./client";
import { DryRun } from "./dryRun";
import { FlowGraph, Range, RunResult } from "./model/lsp";
import { stateOutcomes, takenTransitions } from "./model/runTree";

export interface GraphMessage {
  type: "graph";
  graph: FlowGraph | null;
  outcomes: [string, "ran" | "failed"][] | null;
  taken: string[] | null;
  title: string;
}

function nonce(): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < 32; i++) {
    out += chars.charAt(Math.floor(Math.random() * chars.length));
  }
  return out;
}

class GraphPanel {
  private graph: FlowGraph | null = null;
  private run: RunResult | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly server: Server,
    private readonly extensionUri: vscode.Uri,
    private readonly onDispose: () => void,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: { type: string; id?: string }) => {
        if (m.type === "reveal" && m.id) {
          void this.reveal(m.id);
        } else if (m.type === "ready") {
          void this.refresh();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString()) {
          // A run's path is about the text it ran on.
          this.run = null;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => void this.refresh(), 250);
        }
      }),
    );
    panel.onDidDispose(() => this.dispose());
  }

  private html(): string {
    const webview = this.panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview", "graph.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "graph.css"));
    const n = nonce();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${n}'; img-src ${webview.cspSource} data:; font-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>Flow graph</title>
</head>
<body>
<div id="toolbar"><span id="title"></span><span id="legend"></span></div>
<div id="graph" role="img" aria-label="flow graph"></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  showRun(result: RunResult): void {
    this.run = result;
    void this.post();
  }

  async refresh(): Promise<void> {
    const client = this.server.running();
    if (!client) {
      return;
    }
    try {
      this.graph = (await client.sendRequest("fdl/graph", { uri: this.uri.toString() })) as FlowGraph | null;
    } catch {
      return; // keep the last graph while the server is busy or restarting
    }
    await this.post();
  }

  private async post(): Promise<void> {
    const message: GraphMessage = {
      type: "graph",
      graph: this.graph,
      outcomes: this.run ? [...stateOutcomes(this.run)] : null,
      taken: this.run ? [...takenTransitions(this.run)] : null,
      title: vscode.workspace.asRelativePath(this.uri),
    };
    await this.panel.webview.postMessage(message);
  }

  private async reveal(id: string): Promise<void> {
    const node = this.graph?.nodes.find((n) => n.id === id);
    if (!node) {
      return;
    }
    const r: Range = node.selectionRange;
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One });
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
    this.onDispose();
  }
}

export function registerGraph(context: vscode.ExtensionContext, server: Server, dryRun: DryRun): void {
  const panels = new Map<string, GraphPanel>();
  context.subscriptions.push(
    vscode.commands.registerCommand("fdl.showGraph", (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showErrorMessage("FDL: Show Flow Graph needs an open flow.");
        return;
      }
      const existing = panels.get(uri.toString());
      if (existing) {
        existing.panel.reveal(vscode.ViewColumn.Beside);
        return;
      }
      const panel = vscode.window.createWebviewPanel("fdl.graph", `Graph: ${uri.path.split("/").pop() ?? ""}`, vscode.ViewColumn.Beside, {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, "dist"), vscode.Uri.joinPath(context.extensionUri, "media")],
      });
      panels.set(uri.toString(), new GraphPanel(panel, uri, server, context.extensionUri, () => panels.delete(uri.toString())));
    }),
    dryRun.onDidRun(({ uri, result }) => panels.get(uri.toString())?.showRun(result)),
    server.onDidChange(() => panels.forEach((p) => void p.refresh())),
  );
}
