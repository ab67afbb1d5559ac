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
// --skip-license: the repository has no LICENSE file. The manifests carry an SPDX id
// (`"license": "Apache-2.0"`, as Cargo.toml does) but no licence text has been added, and
// choosing and adding one is the project owner's decision, not the packaging script's.
// Without a LICENSE file vsce (3.9) warns and, when its output is a terminal (a developer
// running `npm run package`), stops to ask "Do you want to continue? [y/N]"; Enter aborts
// the build. (Without a terminal, as in CI, it answers yes itself.) Once a LICENSE file
// exists, drop the flag: vsce then packs the file into the .vsix.
run(process.execPath, [
  join(here, "node_modules", "@vscode", "vsce", "vsce"),
  "package",
  "--no-dependencies",
  "--skip-license",
  "--out",
  join(here, `fdl-${version}.vsix`),
]);
