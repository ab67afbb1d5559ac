// The status bar item of FDL documents: the dialect and the workflow mode, or why the server
// is not running. A click shows the server's output.

import * as vscode from "vscode";
import { detectDialect } from "./model/detect";
import { Server } from "./client";

export function registerStatusBar(context: vscode.ExtensionContext, server: Server): void {
  const item = vscode.window.createStatusBarItem("fdl.status", vscode.StatusBarAlignment.Right, 100);
  item.name = "FDL";
  item.command = "fdl.showOutput";
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== "fdl") {
      item.hide();
      return;
    }
    const text = editor.document.getText();
    const dialect = detectDialect(text);
    const dialectLabel = dialect === "cloudflow" ? "CloudFlow" : dialect === "legacy" ? "Legacy flow" : "FDL";
    const configured = vscode.workspace.getConfiguration("fdl").get<string | null>("mode");
    const comment = /^#\s*fdl:\s*mode\s*=\s*(standard|express)\b/im.exec(text.split(/\r?\n/, 200).join("\n"));
    const mode = configured ?? comment?.[1]?.toLowerCase() ?? "standard";
    const modeLabel = mode === "express" ? "Express" : "Standard";
    if (server.discovery?.kind === "missing") {
      item.text = `$(error) ${dialectLabel} · no fdl server`;
      item.tooltip = server.discovery.message;
    } else if (!server.running()) {
      item.text = `$(sync~spin) ${dialectLabel} · ${modeLabel}`;
      item.tooltip = "The fdl language server is starting";
    } else {
      item.text = `$(check) ${dialectLabel} · ${modeLabel}`;
      item.tooltip = `fdl language server (${server.discovery?.kind === "found" ? server.discovery.path : ""}); click for its output`;
    }
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) {
        update();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("fdl")) {
        update();
      }
    }),
    server.onDidChange(update),
  );
  update();
}
