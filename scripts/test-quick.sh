#!/usr/bin/env bash
# `npm run test:quick`: the checks to run while working, a few minutes once built: setup, the
# native + wasm build, the C++ tests and the package tests in Node. It is `npm test` without the
# ASan run, the Chromium tests, the distillation smoke run and fuzzing (CI runs all of `npm test`).
exec env LOCALREC_QUICK=1 bash "$(dirname "$0")/test.sh"
