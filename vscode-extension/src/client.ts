// Starting, stopping and restarting the fdl language server over stdio.

import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from "vscode-languageclient/node";
import { Discovery, findServer } from "./model/discovery";

/** The server's dry-run command; its code lens is redirected to the extension's own. */
export const SERVER_DRY_RUN = "fdl.dryRun";
export const CLIENT_DRY_RUN = "fdl.runDryRun";

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function discoverServer(context: vscode.ExtensionContext): Discovery {
  const config = vscode.workspace.getConfiguration("fdl");
  return findServer({
    setting: config.get<string>("server.path") ?? "",
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
    pathEnv: process.env.PATH,
    platform: process.platform,
    isExecutable,
  });
}

export function settings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("fdl");
  return { mode: config.get<string | null>("mode") ?? null };
}

export class Server implements vscode.Disposable {
  client: LanguageClient | undefined;
  discovery: Discovery | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the client starts or stops. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  async start(): Promise<void> {
    this.discovery = discoverServer(this.context);
    if (this.discovery.kind === "missing") {
      this.output.error(this.discovery.message);
      this.changed.fire();
      const choice = await vscode.window.showErrorMessage(this.discovery.message, "Open Settings");
      if (choice === "Open Settings") {
        await vscode.commands.executeCommand("workbench.action.openSettings", "fdl.server.path");
      }
      return;
    }
    this.output.info(`Starting ${this.discovery.path} lsp (${this.discovery.source})`);
    const serverOptions: ServerOptions = {
      command: this.discovery.path,
      args: ["lsp"],
      transport: TransportKind.stdio,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: "fdl" }],
      outputChannel: this.output,
      initializationOptions: settings(),
      synchronize: { configurationSection: "fdl" },
      middleware: {
        // The server's "Dry run" lens runs the server command directly; in VS Code it opens
        // the extension's command instead, which asks for the input and shows the result.
        provideCodeLenses: async (document, token, next) => {
          const lenses = await next(document, token);
          for (const lens of lenses ?? []) {
            if (lens.command?.command === SERVER_DRY_RUN) {
              lens.command = { ...lens.command, command: CLIENT_DRY_RUN };
            }
          }
          return lenses;
        },
      },
    };
    this.client = new LanguageClient("fdl", "FDL Language Server", serverOptions, clientOptions);
    this.client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) {
        this.changed.fire();
      }
    });
    try {
      await this.client.start();
    } catch (e) {
      this.output.error(`The fdl language server did not start: ${String(e)}`);
      void vscode.window.showErrorMessage(`The fdl language server did not start: ${String(e)}`);
    }
    this.changed.fire();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(2000);
      } catch (e) {
        this.output.warn(`Stopping the server: ${String(e)}`);
      }
    }
    this.changed.fire();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  running(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
