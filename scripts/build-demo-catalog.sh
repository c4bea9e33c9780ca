#!/usr/bin/env bash
# Builds the demo catalogue web/demo/data/debian-apps.lrc (git-ignored) from the committed
# source web/demo/data/debian-apps.jsonl.gz with the CLI and the default model, and prints how
# long it took. Resumable: rerun after an interruption. Extra arguments go to build-catalog
# (e.g. --model DIR, --batch-size N, --backend web).
#   --if-stale  build only when the catalogue is missing or was built from other inputs: another
#               model, source file, lexical analyser or catalogue format (`npm run demo` and
#               `npm test` use it, so a second run starts in seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
src=web/demo/data/debian-apps.jsonl.gz
out=web/demo/data/debian-apps.lrc
stamp=$out.inputs-sha256
[ -f "$src" ] || { echo "build-demo-catalog: $src missing (node scripts/make-demo-data.mjs)" >&2; exit 1; }
[ -f web/dist/localrec_core.wasm ] || bash scripts/build.sh wasm
# The catalogue is embedded with loadModel()'s default, so that model's manifest is an input.
default=$(node --input-type=module -e "import { DEFAULT_MODEL } from './web/src/model.js'; console.log(DEFAULT_MODEL)")
[ -f "web/models/$default/manifest.json" ] || bash scripts/build.sh models

# What the file depends on: the model's weights (its fingerprint), the items, the analyser that
# turns their text into terms, and the code that writes the format.
inputs=$(cat "web/models/$default/manifest.json" "$src" src/core/text/analyzer.cc \
  src/core/text/zh_segmenter.cc scripts/build-zh-dict.py \
  src/core/catalog/*.cc src/core/catalog/*.h | sha256sum | cut -d' ' -f1)
if [ "${1:-}" = --if-stale ]; then
  shift
  if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
    echo "build-demo-catalog: $out is up to date"
    exit 0
  fi
  rm -f "$out" "$stamp"
fi
start=$(date +%s%N)
node web/cli.js build-catalog "$src" -o "$out" "$@"
end=$(date +%s%N)
echo "$inputs" > "$stamp"
node web/cli.js inspect "$out" -n 2
echo "build-demo-catalog: $out built in $(( (end - start) / 1000000 )) ms"
