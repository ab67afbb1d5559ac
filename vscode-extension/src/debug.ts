// The `fdl` debugger: VS Code starts `fdl dap` (found like the language server) for each
// debug session; F5 without a launch.json, the "Debug flow" code lens and the "Debug case"
// lenses of test files start one on the file at hand.

import * as vscode from "vscode";
import { discoverServer } from "./client";
import { DEBUG_TYPE, Defaults, FdlLaunchConfig, debugConfig, isTestFileName, resolveLaunch } from "./model/debugConfig";
import { detectDialect } from "./model/detect";
import { parseTestCases } from "./model/testCases";

export const DEBUG_FLOW = "fdl.debugFlow";

function defaults(uri?: vscode.Uri): Defaults {
  const config = vscode.workspace.getConfiguration("fdl");
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const active = vscode.window.activeTextEditor?.document;
  return {
    activeFile: active?.uri.scheme === "file" ? active.uri.fsPath : undefined,
    workspaceFolder: folder?.uri.fsPath,
    input: config.get<string>("dryRun.input") ?? "",
    mocks: config.get<string>("dryRun.mocks") ?? "",
    mode: config.get<string | null>("mode") ?? null,
  };
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    const found = discoverServer(this.context);
    if (found.kind === "missing") {
      throw new Error(found.message);
    }
    this.output.info(`Starting ${found.path} dap (${found.source})`);
    return new vscode.DebugAdapterExecutable(found.path, ["dap"]);
  }
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, given: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const resolved = resolveLaunch(given as Partial<FdlLaunchConfig>, defaults(folder?.uri));
    if ("error" in resolved) {
      void vscode.window.showErrorMessage(resolved.error);
      // `undefined` ends the launch without VS Code's own "missing configuration" dialog.
      return undefined;
    }
    return resolved.config;
  }
}

/** "Debug flow" on the first line of a flow, "Debug case" on each case of a test file. */
class DebugLenses implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    const top = new vscode.Range(0, 0, 0, 0);
    if (isTestFileName(document.uri.path)) {
      return parseTestCases(text).map(
        (c) =>
          new vscode.CodeLens(new vscode.Range(c.line, 0, c.line, 0), {
            title: "$(debug-alt) Debug case",
            command: DEBUG_FLOW,
            arguments: [document.uri, c.name],
          }),
      );
    }
    if (detectDialect(text) === undefined) {
      return [];
    }
    return [new vscode.CodeLens(top, { title: "$(debug-alt) Debug flow", command: DEBUG_FLOW, arguments: [document.uri] })];
  }
}

async function debugFlow(uri?: vscode.Uri, testCase?: string): Promise<boolean> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target || target.scheme !== "file") {
    void vscode.window.showErrorMessage("FDL: Debug Flow needs a flow file saved on disk.");
    return false;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  // The adapter reads the file from disk.
  if (document?.isDirty) {
    await document.save();
  }
  const folder = vscode.workspace.getWorkspaceFolder(target);
  return vscode.debug.startDebugging(folder, debugConfig(target.fsPath, defaults(target), testCase));
}

export function registerDebug(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new AdapterFactory(context, output)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
    vscode.languages.registerCodeLensProvider({ language: "fdl", scheme: "file" }, new DebugLenses()),
    vscode.commands.registerCommand(DEBUG_FLOW, debugFlow),
  );
}
