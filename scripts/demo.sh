#!/usr/bin/env bash
# The README's first command (`npm run demo`): installs what is missing, builds the wasm core,
# the model bundles and the demo catalogues (one per model the page offers) when they are
# missing or stale, then serves the demo on 127.0.0.1 with cross-origin isolation. A second run
# starts in seconds.
# Arguments go to scripts/serve-demo.mjs (e.g. --port 0, --no-isolation).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh wasm models

bash scripts/build-demo-catalog.sh --if-stale
# The page's other model, the bilingual student (English + Chinese): its own catalogue.
bash scripts/build-demo-catalog.sh --if-stale --name use-lite-bert-zh-2x128

exec node scripts/serve-demo.mjs "$@"
