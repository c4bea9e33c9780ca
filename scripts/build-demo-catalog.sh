#!/usr/bin/env bash
# Builds a demo catalogue from the committed source web/demo/data/debian-apps.jsonl.gz with the
# CLI, and prints how long it took. Resumable: rerun after an interruption.
#   (no --name)   the default model: web/demo/data/debian-apps.lrc (git-ignored)
#   --name NAME   a model the package ships, by name: web/demo/data/debian-apps.NAME.lrc (the demo
#                 offers use-lite-bert-zh-2x128, the bilingual student, beside the default)
#   --if-stale    build only when the catalogue is missing or was built from other inputs: another
#                 model, source file, lexical analyser or catalogue format (`npm run demo` and
#                 `npm test` use it, so a second run starts in seconds)
# Further arguments go to build-catalog (e.g. --batch-size N, --backend web).
set -euo pipefail
cd "$(dirname "$0")/.."
if_stale=0 name=""
while [ $# -gt 0 ]; do
  case $1 in
    --if-stale) if_stale=1; shift ;;
    --name) name=${2:?build-demo-catalog: --name needs a model name}; shift 2 ;;
    *) break ;;
  esac
done
src=web/demo/data/debian-apps.jsonl.gz
[ -f "$src" ] || { echo "build-demo-catalog: $src missing (node scripts/make-demo-data.mjs)" >&2; exit 1; }
[ -f web/dist/localrec_core.wasm ] || bash scripts/build.sh wasm
default=$(node --input-type=module -e "import { DEFAULT_MODEL } from './web/src/model.js'; console.log(DEFAULT_MODEL)")
if [ -z "$name" ] || [ "$name" = "$default" ]; then
  # Embedded with loadModel()'s default.
  model=$default out=web/demo/data/debian-apps.lrc model_args=()
else
  [[ $name =~ ^[a-z0-9][a-z0-9._-]*$ ]] || { echo "build-demo-catalog: invalid model name '$name'" >&2; exit 1; }
  model=$name out=web/demo/data/debian-apps.$name.lrc model_args=(--name "$name")
fi
stamp=$out.inputs-sha256
[ -f "web/models/$model/manifest.json" ] || bash scripts/build.sh models
[ -f "web/models/$model/manifest.json" ] || { echo "build-demo-catalog: no model web/models/$model" >&2; exit 1; }

# What the file depends on: the model's weights (its manifest holds their sha256, the
# fingerprint), the items, the analyser that turns their text into terms, and the code that
# writes the format.
inputs=$(cat "web/models/$model/manifest.json" "$src" src/core/text/analyzer.cc \
  src/core/text/zh_segmenter.cc scripts/build-zh-dict.py \
  src/core/catalog/*.cc src/core/catalog/*.h | sha256sum | cut -d' ' -f1)
if [ "$if_stale" = 1 ]; then
  if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
    echo "build-demo-catalog: $out is up to date"
    exit 0
  fi
  rm -f "$out" "$stamp"
fi
start=$(date +%s%N)
node web/cli.js build-catalog "$src" -o "$out" "${model_args[@]}" "$@"
end=$(date +%s%N)
echo "$inputs" > "$stamp"
node web/cli.js inspect "$out" -n 2
echo "build-demo-catalog: $out ($model) built in $(( (end - start) / 1000000 )) ms"
