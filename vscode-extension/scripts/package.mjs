// `npm run package`: builds the fdl binary for this machine with cargo (release), puts it
// in server/, bundles the extension and packs everything into fdl-<version>.vsix with vsce,
// offline (--no-dependencies: the bundle needs no node_modules).
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = dirname(here);
const run = (cmd, args, cwd = here) => execFileSync(cmd, args, { cwd, stdio: "inherit" });

const exe = process.platform === "win32" ? "fdl.exe" : "fdl";
if (process.env.FDL_SERVER_BINARY) {
  // A binary built elsewhere (CI builds it once for every step).
  mkdirSync(join(here, "server"), { recursive: true });
  copyFileSync(process.env.FDL_SERVER_BINARY, join(here, "server", exe));
} else {
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
  run("cargo", ["build", "--release", "--locked", "-p", "fdl", "--bin", "fdl"], repo);
  mkdirSync(join(here, "server"), { recursive: true });
  copyFileSync(join(targetDir, "release", exe), join(here, "server", exe));
}
chmodSync(join(here, "server", exe), 0o755);
// The release build keeps line tables for readable backtraces; users need none of that
// (50 MB → 10 MB). Without a `strip` on this machine the binary ships as built.
if (process.platform !== "win32") {
  try {
    execFileSync("strip", [join(here, "server", exe)], { stdio: "inherit" });
  } catch {
    console.warn("strip not available: the server binary is shipped unstripped");
  }
}
run(process.execPath, [join(here, "scripts", "build.mjs"), "--production"]);
const { version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
run(process.execPath, [
  join(here, "node_modules", "@vscode", "vsce", "vsce"),
  "package",
  "--no-dependencies",
  "--skip-license",
  "--out",
  join(here, `fdl-${version}.vsix`),
]);
