#!/usr/bin/env bash
# `npm run test:quick`: the checks to run while working, in a few minutes once built: setup,
# native + wasm build, the C++ tests (their fixture writes the tokenizer goldens) and the package
# tests in Node. `npm test` runs these and more (ASan, Chromium, the distillation smoke run,
# fuzzing); CI runs `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s ==\n' "$*"; }

step "setup"
bash scripts/setup.sh
step "build (native, wasm, models)"
bash scripts/build.sh all
step "core tests (native, Catch2)"
ctest --preset native-release --output-on-failure
step "package tests (Node)"
node --test --test-concurrency=1 tests/web/
step "quick tests passed"
