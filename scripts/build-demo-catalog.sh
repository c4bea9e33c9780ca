#!/usr/bin/env bash
# Builds the demo catalogue web/demo/data/debian-apps.lrc (git-ignored) from the committed
# source web/demo/data/debian-apps.jsonl.gz with the CLI and the default model, and prints how
# long it took. Resumable: rerun after an interruption. Extra arguments go to build-catalog
# (e.g. --model DIR, --batch-size N, --backend web).
set -euo pipefail
cd "$(dirname "$0")/.."
src=web/demo/data/debian-apps.jsonl.gz
out=web/demo/data/debian-apps.lrc
[ -f "$src" ] || { echo "build-demo-catalog: $src missing (node scripts/make-demo-data.mjs)" >&2; exit 1; }
[ -f web/dist/localrec_core.wasm ] || bash scripts/build.sh wasm
start=$(date +%s%N)
node web/cli.js build-catalog "$src" -o "$out" "$@"
end=$(date +%s%N)
node web/cli.js inspect "$out" -n 2
echo "build-demo-catalog: $out built in $(( (end - start) / 1000000 )) ms"
