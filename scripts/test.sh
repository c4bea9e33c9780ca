#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, builds, and runs every test
# suite. Fails when any test fails.
#   LOCALREC_FUZZ_SECONDS  seconds per fuzz target (default 60; 0 skips fuzzing)
#   LOCALREC_SKIP_ASAN=1   skip the ASan/UBSan run of the core tests
#   LOCALREC_QUICK=1       setup, build, C++ and Node tests only (`npm run test:quick`)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s ==\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "build (native, wasm, models)"
bash scripts/build.sh all

step "tokenizer goldens (from the reference implementations; cached in build/goldens)"
node dev/gen/token-goldens.mjs

step "core tests (native, Catch2)"
ctest --preset native-release --output-on-failure

if [ "${LOCALREC_SKIP_ASAN:-0}" != 1 ] && [ "${LOCALREC_QUICK:-0}" != 1 ]; then
  step "core tests under ASan + UBSan"
  [ -f build/native-asan/build.ninja ] || cmake --preset native-asan >/dev/null
  cmake --build --preset native-asan
  ctest --preset native-asan --output-on-failure
fi

step "package tests (Node)"
node --test --test-concurrency=1 tests/web/

if [ "${LOCALREC_QUICK:-0}" = 1 ]; then
  step "quick tests passed (npm test runs ASan, Chromium, the distillation smoke run and fuzzing too)"
  exit 0
fi

if compgen -G "tests/browser/*.test.mjs" >/dev/null; then
  step "demo catalogues (the browser tests load the demo page with both of its models)"
  bash scripts/build-demo-catalog.sh --if-stale
  bash scripts/build-demo-catalog.sh --if-stale --name use-lite-bert-zh-2x128
  step "browser tests (headless Chromium)"
  node --test --test-concurrency=1 tests/browser/
fi

step "distillation pipeline, smoke mode (models/distill)"
if [ -f web/models/use-lite/manifest.json ]; then
  nice -n 19 /usr/bin/python3 models/distill/distill.py --smoke all
  # The bilingual (English + Chinese) step: parallel pairs, extended vocabulary, cross-lingual
  # targets (models/distill/smoke-pairs.tsv).
  nice -n 19 /usr/bin/python3 models/distill/distill.py --smoke --bilingual all
else
  echo "FAILED: web/models/use-lite is missing (scripts/build-models.sh use-lite builds the teacher)" >&2
  exit 1
fi

fuzz_seconds=${LOCALREC_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" != 0 ] && compgen -G "tests/fuzz/*.cc" >/dev/null; then
  step "fuzzing (${fuzz_seconds}s per target)"
  bash scripts/fuzz.sh "$fuzz_seconds"
fi

step "all tests passed"
