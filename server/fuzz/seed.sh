#!/usr/bin/env bash
# Seeds the fuzz corpora (corpus/<target>/, not committed) from the repository's example
# flows and templates, and from a few framed LSP messages, then runs each target for the
# given number of seconds (default 10): `server/fuzz/seed.sh 600` is the long run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:-10}"
root=../..

mkdir -p corpus/syntax corpus/analysis corpus/scalar_map corpus/lsp_input corpus/expr
i=0
while IFS= read -r -d '' file; do
    i=$((i + 1))
    for target in syntax analysis scalar_map; do
        cp "$file" "corpus/$target/example-$i"
    done
done < <(find "$root/examples" "$root/../shared/spec/examples" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.tf' \) -print0 2>/dev/null)

frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}' > corpus/lsp_input/initialize
frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.yaml","languageId":"yaml","version":1,"text":"Type: StateMachine\n"}}}' > corpus/lsp_input/didopen
printf 'Content-Length: 99\r\n\r\n{"jsonrpc":"2.0","id":2,"method":"shutdown"}' > corpus/lsp_input/too-long
printf '$Input.a == "x" && length($Input.b) > 2' > corpus/expr/condition
printf 'format("{} {}", $Input.name, uuid())' > corpus/expr/format

for target in syntax analysis expr scalar_map lsp_input; do
    echo "==> fuzz $target for ${seconds}s"
    (cd .. && cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1 2>&1 | tail -n 12)
done
