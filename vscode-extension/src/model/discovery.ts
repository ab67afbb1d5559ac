// Finding the fdl executable: the `fdl.server.path` setting, else the binary shipped in the
// extension, else `fdl` on the PATH, else a message that says what to do. Pure, so that it
// is tested without VS Code; the caller passes the file system in.

import * as path from "node:path";

export interface DiscoveryInput {
  /** `fdl.server.path` as written (may be empty, relative, `~/...` or use `${workspaceFolder}`). */
  setting: string;
  /** The extension's folder (the packaged binary is `server/fdl` inside it). */
  extensionPath: string;
  workspaceFolder?: string;
  home?: string;
  /** The PATH environment variable. */
  pathEnv?: string;
  platform: NodeJS.Platform;
  /** Whether a file exists and can be executed. */
  isExecutable: (file: string) => boolean;
}

export type Discovery =
  | { kind: "found"; path: string; source: "setting" | "bundled" | "path" }
  | { kind: "missing"; message: string };

export function executableName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "fdl.exe" : "fdl";
}

export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, "server", executableName(platform));
}

function expandSetting(setting: string, input: DiscoveryInput): string {
  let value = setting.trim();
  if (input.workspaceFolder) {
    value = value.replace(/\$\{workspaceFolder\}/g, input.workspaceFolder);
  }
  if (input.home && (value === "~" || value.startsWith("~/"))) {
    value = path.join(input.home, value.slice(1));
  }
  if (!path.isAbsolute(value) && input.workspaceFolder) {
    value = path.join(input.workspaceFolder, value);
  }
  return value;
}

export function findServer(input: DiscoveryInput): Discovery {
  if (input.setting.trim() !== "") {
    const configured = expandSetting(input.setting, input);
    if (input.isExecutable(configured)) {
      return { kind: "found", path: configured, source: "setting" };
    }
    // A setting that points nowhere is a mistake to report, not a reason to run another fdl.
    return {
      kind: "missing",
      message: `The setting fdl.server.path is "${input.setting}", but ${configured} is not an executable file. Fix the setting or clear it to use the bundled server.`,
    };
  }
  const bundled = bundledServerPath(input.extensionPath, input.platform);
  if (input.isExecutable(bundled)) {
    return { kind: "found", path: bundled, source: "bundled" };
  }
  const separator = input.platform === "win32" ? ";" : ":";
  for (const dir of (input.pathEnv ?? "").split(separator)) {
    if (dir === "") {
      continue;
    }
    const candidate = path.join(dir, executableName(input.platform));
    if (input.isExecutable(candidate)) {
      return { kind: "found", path: candidate, source: "path" };
    }
  }
  return {
    kind: "missing",
    message:
      "The fdl language server was not found: this build of the extension has no bundled server and there is no fdl on the PATH. " +
      "Install it (cargo install --path server, from the fdl repository) or set fdl.server.path to the fdl executable, then run FDL: Restart Server.",
  };
}
