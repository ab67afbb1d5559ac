// The TextMate grammar (syntaxes/fdl.tmLanguage.json), tokenized as VS Code tokenizes it:
// vscode-textmate and vscode-oniguruma at the versions VS Code 1.139 ships, and VS Code's
// own YAML grammar (source.yaml and the grammars it includes) from its built-in YAML
// extension, which @codingame/monaco-vscode-yaml-default-extension packs unchanged (the
// end-to-end test checks the files are code-server's).
//
// Each fixture flow in test/fixtures/grammar/ has a snapshot beside it (`.tokens`): every
// line, then each of its tokens with its scopes, outer first. Whitespace-only tokens and
// YAML's structural scopes (meta.stream, meta.mapping, meta.map.value, ...) are left out:
// they say where a token sits, not how it is coloured. `UPDATE_SNAPSHOTS=1 npm test`
// rewrites the snapshots; a missing snapshot fails. The checks after the snapshots pin down
// what must and must not be an expression, so that a snapshot rewritten in haste cannot
// hide a regression there.

import * as assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

const extensionRoot = join(__dirname, "..", "..");
const fixtures = join(extensionRoot, "test", "fixtures", "grammar");
const yamlGrammars = join(extensionRoot, "node_modules", "@codingame", "monaco-vscode-yaml-default-extension", "resources");

// Where each scope's grammar is, as the two extensions' package.json contribute them.
const grammarFiles: Record<string, string> = {
  "source.fdl": join(extensionRoot, "syntaxes", "fdl.tmLanguage.json"),
  "source.yaml": join(yamlGrammars, "yaml.tmLanguage.json"),
  "source.yaml.1.3": join(yamlGrammars, "yaml-1.3.tmLanguage.json"),
  "source.yaml.1.2": join(yamlGrammars, "yaml-1.2.tmLanguage.json"),
  "source.yaml.1.1": join(yamlGrammars, "yaml-1.1.tmLanguage.json"),
  "source.yaml.1.0": join(yamlGrammars, "yaml-1.0.tmLanguage.json"),
  "source.yaml.embedded": join(yamlGrammars, "yaml-embedded.tmLanguage.json"),
};

interface Token {
  text: string;
  scopes: string[];
}

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(join(extensionRoot, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = grammarFiles[scopeName];
      return file ? textmate.parseRawGrammar(readFileSync(file, "utf8"), file) : null;
    },
  });
  const loaded = await registry.loadGrammar("source.fdl");
  assert.ok(loaded, "source.fdl did not load");
  grammar = loaded;
});

/** The tokens of each line of `text`, as VS Code's editor gets them. */
function tokenize(text: string): Token[][] {
  let stack = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

const structural = /^meta\.(stream|document|mapping|map\.(key|value)|block\.sequence|flow\.(mapping|sequence|map\.(implicit|key)|pair\.value))\.yaml$/;

function render(text: string): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  tokenize(text).forEach((tokens, i) => {
    if (i === lines.length - 1 && lines[i] === "") {
      return;
    }
    out.push(`${i + 1}: ${lines[i]}`);
    for (const t of tokens) {
      if (t.text.trim() === "") {
        continue;
      }
      const scopes = t.scopes.filter((s) => s !== "source.fdl" && !structural.test(s));
      out.push(`    ${JSON.stringify(t.text)} ${scopes.join(" ")}`.trimEnd());
    }
  });
  return `${out.join("\n")}\n`;
}

const flows = readdirSync(fixtures).filter((f) => /\.ya?ml$/.test(f));

test("there are fixture flows", () => {
  assert.deepEqual(flows.sort(), ["cloudflow.fdl.yaml", "legacy.flow.yaml"]);
});

for (const flow of flows) {
  test(`scopes of ${flow} equal its snapshot`, () => {
    const actual = render(readFileSync(join(fixtures, flow), "utf8"));
    const snapshot = join(fixtures, `${flow}.tokens`);
    if (process.env.UPDATE_SNAPSHOTS === "1") {
      writeFileSync(snapshot, actual);
    }
    assert.equal(actual, readFileSync(snapshot, "utf8"));
  });
}

/** The tokens of the line of fixture `flow` that is `line` (trimmed), else the first that contains it. */
function tokensOf(flow: string, line: string): Token[] {
  const text = readFileSync(join(fixtures, flow), "utf8");
  const lines = text.split(/\r?\n/);
  const exact = lines.findIndex((l) => l.trim() === line);
  const index = exact >= 0 ? exact : lines.findIndex((l) => l.includes(line));
  assert.ok(index >= 0, `no line of ${flow} contains ${JSON.stringify(line)}`);
  return tokenize(text)[index];
}

function scopesOf(flow: string, line: string, token: string): string[] {
  const found = tokensOf(flow, line).find((t) => t.text.trim() === token);
  assert.ok(found, `no token ${JSON.stringify(token)} on the line with ${JSON.stringify(line)}: ${JSON.stringify(tokensOf(flow, line).map((t) => t.text))}`);
  return found.scopes;
}

const EXPRESSION = "meta.embedded.expression.fdl";
/** A scope of this grammar's own (not the root scope, not YAML's). */
const isFdl = (scope: string) => scope !== "source.fdl" && (scope.endsWith(".fdl") || scope.endsWith(".fdl-expression"));

// [fixture, a piece of the line, the token, a scope it must have]
const expressions: [string, string, string, string][] = [
  ["cloudflow.fdl.yaml", "- Condition: $Input.amount > 100", "$Input", "variable.language.fdl"],
  ["cloudflow.fdl.yaml", "- Condition: $Input.amount > 100", "amount", "variable.other.property.fdl"],
  ["cloudflow.fdl.yaml", "- Condition: $Input.amount > 100", "&&", "keyword.operator.fdl"],
  ["cloudflow.fdl.yaml", "- Condition: $Input.amount > 100", "big and known", "comment.line.number-sign.yaml"],
  ["cloudflow.fdl.yaml", "Condition: \"$Input.channel", "'app'", "string.quoted.single.fdl-expression"],
  ["cloudflow.fdl.yaml", "Condition: \"$Input.channel", "length", "support.function.fdl"],
  ["cloudflow.fdl.yaml", "Condition: \"$Input.channel", '"', "punctuation.definition.string.begin.yaml"],
  ["cloudflow.fdl.yaml", "Condition: '$Input.note", "''急''", "string.quoted.single.fdl-expression"],
  ["cloudflow.fdl.yaml", "Condition: '$Input.note", "&&", "keyword.operator.fdl"],
  ["cloudflow.fdl.yaml", "$Input.amount > 0", "$Input", "variable.language.fdl"],
  ["cloudflow.fdl.yaml", "&& $Input.currency in", '"CNY"', "string.quoted.double.fdl-expression"],
  ["cloudflow.fdl.yaml", "&& $Input.currency in", "`USD`", "string.quoted.other.fdl-expression"],
  ["cloudflow.fdl.yaml", "&& $Input.currency in", "in", "keyword.operator.word.fdl"],
  ["cloudflow.fdl.yaml", '$Input.tag == "#1"', '"#1"', "string.quoted.double.fdl-expression"],
  ["cloudflow.fdl.yaml", "|| $Input.retry", "retry", "variable.other.property.fdl"],
  ["cloudflow.fdl.yaml", "Condition: \"$Input.code == '#7'\"", "'#7'", "string.quoted.single.fdl-expression"],
  ["cloudflow.fdl.yaml", "Condition: \"$Input.code == '#7'\"", "not a comment inside the quotes", "comment.line.number-sign.yaml"],
  ["cloudflow.fdl.yaml", "body.$: $Input", "$Input", "variable.language.fdl"],
  ["cloudflow.fdl.yaml", '"quoted.$": $Context', "$Context", "variable.language.fdl"],
  ["cloudflow.fdl.yaml", "订单号.$: $Input.orderId", "$Input", "variable.language.fdl"],
  ["cloudflow.fdl.yaml", "订单号.$: $Input.orderId", "订单号.$", "entity.name.tag.yaml"],
  ["cloudflow.fdl.yaml", "{trace.$: uuid(), fixed: $1}", "uuid", "support.function.fdl"],
  ["cloudflow.fdl.yaml", "approved.$: '{status", '"done"', "string.quoted.double.fdl-expression"],
  ["cloudflow.fdl.yaml", "approved.$: '{status", "{", "punctuation.section.braces.fdl"],
  ["cloudflow.fdl.yaml", "approved.$: '{status", "approved", "variable.other.property.fdl"],
  ["cloudflow.fdl.yaml", "total.$: intAdd(", "-3e2", "constant.numeric.fdl"],
  ["cloudflow.fdl.yaml", "total.$: intAdd(", "length", "support.function.fdl"],
  ["cloudflow.fdl.yaml", "total.$: intAdd(", "%", "keyword.operator.fdl"],
  ["cloudflow.fdl.yaml", "Seconds.$: $Input.delay", "$Input", "variable.language.fdl"],
  ["cloudflow.fdl.yaml", "Seconds.$: $Input.delay", "seconds", "comment.line.number-sign.yaml"],
  ["cloudflow.fdl.yaml", "ItemsPath: $Input.items", "items", "variable.other.property.fdl"],
  ["legacy.flow.yaml", "source: $input.bucket", "$input", "variable.language.fdl"],
  ["legacy.flow.yaml", "source: $input.bucket", "from the execution input", "comment.line.number-sign.yaml"],
  ["legacy.flow.yaml", 'source: "$input.prefix"', "$input", "variable.language.fdl"],
  ["legacy.flow.yaml", "source: $local.count", "$local", "variable.language.fdl"],
  ["legacy.flow.yaml", "condition: $.count == 0", "==", "keyword.operator.fdl"],
  ["legacy.flow.yaml", "collection: $.batches", "batches", "variable.other.property.fdl"],
  ["legacy.flow.yaml", "duration: $.cooldown", "$", "variable.language.fdl"],
];

for (const [flow, line, token, scope] of expressions) {
  test(`${flow}: ${JSON.stringify(token)} in ${JSON.stringify(line)} is ${scope}`, () => {
    const scopes = scopesOf(flow, line, token);
    assert.ok(scopes.includes(scope), scopes.join(" "));
    if (isFdl(scope)) {
      assert.ok(scopes.includes(EXPRESSION), scopes.join(" "));
    }
  });
}

// Lines whose `$` is plain YAML text, as the grammar's rules say (keys without `.$` take
// their value as written; legacy constants; block scalars of other keys; comments).
const plain: [string, string][] = [
  ["cloudflow.fdl.yaml", "Plain text: costs $5, and Condition: $Input.x"],
  ["cloudflow.fdl.yaml", "body.$: $Input neither."],
  ["cloudflow.fdl.yaml", "literal: $Input.amount is sent as written"],
  ["cloudflow.fdl.yaml", "Detail: 'the amount $ is too small'"],
  ["legacy.flow.yaml", "source: 0"],
  ["legacy.flow.yaml", "source: costs $5 each"],
  ["legacy.flow.yaml", "# 批处理 (legacy Serverless Workflow): paths start with `$`"],
];

for (const [flow, line] of plain) {
  test(`${flow}: nothing in ${JSON.stringify(line)} is an expression`, () => {
    const tokens = tokensOf(flow, line);
    const marked = tokens.filter((t) => t.scopes.some(isFdl));
    assert.deepEqual(marked.map((t) => t.text), []);
  });
}

test("a plain value with `$` under a key without `.$` is a YAML string", () => {
  const scopes = scopesOf("cloudflow.fdl.yaml", "literal: $Input.amount", "$Input.amount is sent as written");
  assert.ok(scopes.includes("string.unquoted.plain.out.yaml"), scopes.join(" "));
  const inFlow = scopesOf("cloudflow.fdl.yaml", "{trace.$: uuid(), fixed: $1}", "$1");
  assert.ok(!inFlow.includes(EXPRESSION), inFlow.join(" "));
});

test("the lines after an expression keep their YAML scopes", () => {
  // `Next:` after `- Condition: ...`, and the state after the block scalar.
  assert.ok(scopesOf("cloudflow.fdl.yaml", "Next: 人工审核", "Next").includes("entity.name.tag.yaml"));
  assert.ok(scopesOf("cloudflow.fdl.yaml", "Next: 人工审核", "人工审核").includes("string.unquoted.plain.out.yaml"));
  const afterBlock = tokensOf("cloudflow.fdl.yaml", "Next: 自动通过").flatMap((t) => t.scopes);
  assert.ok(!afterBlock.includes(EXPRESSION), afterBlock.join(" "));
  assert.ok(scopesOf("cloudflow.fdl.yaml", "Default: 拒绝", "Default").includes("entity.name.tag.yaml"));
});

test("a tab-free CJK state name is one YAML string token", () => {
  assert.ok(scopesOf("cloudflow.fdl.yaml", "Name: 检查金额", "检查金额").includes("string.unquoted.plain.out.yaml"));
  assert.ok(scopesOf("legacy.flow.yaml", "name: 列出批次", "列出批次").includes("string.unquoted.plain.out.yaml"));
});
