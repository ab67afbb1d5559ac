#!/usr/bin/env bash
# Seeds the fuzz corpora (corpus/<target>/, not committed) from the repository's example
# flows, test files and templates, the shared spec's examples, and a few framed LSP
# messages, then runs each target for the given number of seconds (default 10), one at a
# time: `server/fuzz/seed.sh 600` is the long run, `seed.sh 0` only seeds. Further
# arguments name the targets to run (all by default). Extra libFuzzer options go in
# FUZZ_ARGS; options of `cargo fuzz run` in CARGO_FUZZ_FLAGS (CI's smoke run builds with
# `--dev --sanitizer none`, which compiles in half the time).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:-10}"
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(syntax analysis expr scalar_map lsp_input dryrun edit)
fi
root=../..

mkdir -p corpus/syntax corpus/analysis corpus/scalar_map corpus/lsp_input corpus/expr corpus/dryrun corpus/edit
i=0
while IFS= read -r -d '' file; do
    i=$((i + 1))
    for target in syntax analysis scalar_map dryrun; do
        cp "$file" "corpus/$target/example-$i"
    done
    # The edit target: the text, then an edit script (bytes read as offsets and text).
    { cat "$file"; printf '\n#~edits\n\x10\x00\x02\x01x\x40\x00\x00\x00: \x00\x01\x05\x01#'; } > "corpus/edit/example-$i"
done < <(find "$root/examples" "$root/../shared/spec/examples" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.tf' \) -print0 2>/dev/null)

# The dry run: each example flow with its test file's cases as mocks, when it has one.
while IFS= read -r -d '' tests; do
    flow="${tests%.fdltest.yaml}.fdl.yaml"
    [[ -f "$flow" ]] || flow="${tests%.fdltest.yaml}.flow.yaml"
    [[ -f "$flow" ]] || continue
    i=$((i + 1))
    { cat "$flow"; printf '\n#~mocks\n'; cat "$tests"; printf '\n#~input\n{"orderId": "o-1", "items": [1, 2]}'; } > "corpus/dryrun/suite-$i"
done < <(find "$root/examples" -type f -name '*.fdltest.yaml' -print0 2>/dev/null)

# Expressions: the `.$` values and conditions of the example flows.
n=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" > "corpus/expr/example-$n"
done < <(find "$root/examples" "$root/../shared/spec/examples" -type f -name '*.yaml' -print0 2>/dev/null |
    xargs -0 grep -hoE '(\.\$|[Cc]ondition|source): .+' | sed -E 's/^[^:]*: //; s/^["'"'"']//; s/["'"'"']$//' | sort -u | head -n 300)

# Flow documents (one flow mapping, on one line or as JSON), split by syntax/flow.rs.
flow_docs=(
    '{Type: StateMachine, Name: demo, StartAt: 甲, States: [{Type: Pass, Name: 甲, InputConstructor: {a.$: $Input.a}, Next: 乙}, {Type: Choice, Name: 乙, Branches: [{Condition: '"'"'$Input.a == "x, y"'"'"', Next: 丙}], Default: 丙}, {Type: Succeed, Name: 丙}]}'
    '{"Type": "StateMachine", "Name": "j", "StartAt": "A",
  "States": [
    {"Type": "Task", "Name": "A", "Action": "FC:InvokeFunction", "Parameters": {"resourceArn": "acs:fc:cn-hangzhou:1:functions/f", "body.$": "$Input"}, "Next": "B"},
    {"Type": "Wait", "Name": "B", "Seconds": 3, "End": true}
  ]
}'
)
for k in "${!flow_docs[@]}"; do
    printf '%s\n' "${flow_docs[$k]}" > "corpus/syntax/flow-$k"
    { printf '%s\n' "${flow_docs[$k]}"; printf '\n#~edits\n\x30\x00\x01\x01"\x50\x00\x00\x01[\x10\x00\x01\x00'; } > "corpus/edit/flow-$k"
done

frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}' > corpus/lsp_input/initialize
frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.yaml","languageId":"yaml","version":1,"text":"Type: StateMachine\n"}}}' > corpus/lsp_input/didopen
printf 'Content-Length: 99\r\n\r\n{"jsonrpc":"2.0","id":2,"method":"shutdown"}' > corpus/lsp_input/too-long
printf '$Input.a == "x" && length($Input.b) > 2' > corpus/expr/condition
printf 'format("{} {}", $Input.name, uuid())' > corpus/expr/format

[[ "$seconds" -gt 0 ]] || exit 0
for target in "${targets[@]}"; do
    echo "==> fuzz $target for ${seconds}s"
    # shellcheck disable=SC2086
    (cd .. && cargo +nightly fuzz run ${CARGO_FUZZ_FLAGS:-} "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_ARGS:-} 2>&1 |
        grep -vE '^ +(Compiling|Checking)|# Uses: ' | grep -A 40 -E 'panicked|ERROR|Done [0-9]+ runs' | tail -n 60)
done
