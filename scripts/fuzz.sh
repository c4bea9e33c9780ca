#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*.cc) with clang + ASan + UBSan and runs each for a
# bounded time on its committed seed corpus (tests/fuzz/corpus/<target>/). A crash or sanitizer
# report fails the run and leaves the reproducer in artifacts/fuzz/.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p artifacts/fuzz
for src in tests/fuzz/*.cc; do
  name=$(basename "$src" .cc)
  seeds="tests/fuzz/corpus/$name"
  work="build/fuzz/corpus-$name"
  mkdir -p "$work"
  echo "fuzz: $name for ${seconds}s"
  args=("$work")
  [ -d "$seeds" ] && args+=("$seeds")
  "build/fuzz/$name" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/fuzz/$name-" "${args[@]}" 2>&1 | tail -n 4
done
