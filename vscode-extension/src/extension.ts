// The FDL extension: the fdl language server as a client over stdio, plus what a generic
// client lacks: content detection of flows, a status bar item, the dry run with its result
// view and decorations, the Test Explorer, the flow graph, and the debugger (`fdl dap`).

import * as vscode from "vscode";
import { Server } from "./client";
import { registerDebug } from "./debug";
import { DryRun } from "./dryRun";
import { registerGraph } from "./graphPanel";
import { registerDetection } from "./languageDetection";
import { registerStatusBar } from "./statusBar";
import { registerTesting } from "./testing";

let server: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // A log channel: vscode-languageclient 11 writes its own log and the server's stderr there.
  const output = vscode.window.createOutputChannel("FDL", { log: true });
  server = new Server(context, output);
  const dryRun = new DryRun(server, output);
  context.subscriptions.push(
    output,
    server,
    vscode.commands.registerCommand("fdl.restartServer", async () => {
      output.info("Restarting the server");
      await server?.restart();
    }),
    vscode.commands.registerCommand("fdl.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("fdl.server.path")) {
        await server?.restart();
      }
    }),
  );
  registerDetection(context);
  registerStatusBar(context, server);
  dryRun.register(context);
  registerGraph(context, server, dryRun);
  registerTesting(context, server, output);
  registerDebug(context, output);
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
