// Bundles the extension (Node, CommonJS, `vscode` left to the host) and the graph
// webview's script (browser) with esbuild, so the .vsix needs no node_modules.
import * as esbuild from "esbuild";

const production = process.argv.includes("--production");
const common = { bundle: true, minify: production, sourcemap: !production, logLevel: "warning" };

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
  }),
  esbuild.build({
    ...common,
    entryPoints: ["src/webview/graph.ts"],
    outfile: "dist/webview/graph.js",
    platform: "browser",
    format: "iife",
    target: "es2022",
  }),
]);
