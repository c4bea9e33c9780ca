#!/usr/bin/env bash
# Builds what the package, the tests and the demo need, skipping what is up to date:
#   native  - the C++ core, Catch2 tests and native benchmarks (build/native-release)
#   wasm    - the Emscripten build of the core into web/dist/
#   models  - generated model bundles (embedded default, test fixtures) into web/models/
# Usage: scripts/build.sh [native|wasm|models|all ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # Debian's em++ finds its acorn module only there

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)

build_preset() {
  local preset=$1
  [ -f "build/$preset/build.ninja" ] || cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
}

for t in "${targets[@]}"; do
  case "$t" in
    native) build_preset native-release ;;
    wasm) build_preset wasm-release ;;
    models) [ -x scripts/build-models.sh ] && bash scripts/build-models.sh ;;
    all)
      build_preset native-release
      build_preset wasm-release
      [ -x scripts/build-models.sh ] && bash scripts/build-models.sh
      ;;
    *) echo "build.sh: unknown target '$t'" >&2; exit 2 ;;
  esac
done
