#!/usr/bin/env bash
# The README's first command (`npm run demo`): installs what is missing, builds the wasm core,
# the default model bundle and the demo catalogue when they are missing or stale, then serves the
# demo on 127.0.0.1 with cross-origin isolation. A second run starts in seconds.
# Arguments go to scripts/serve-demo.mjs (e.g. --port 0, --no-isolation).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh wasm models

# The catalogue must be built with the model the page loads: rebuild when the model changed.
catalog=web/demo/data/debian-apps.lrc
default=$(node --input-type=module -e "import { DEFAULT_MODEL } from './web/src/model.js'; console.log(DEFAULT_MODEL)")
want=$(node -e "console.log(JSON.parse(require('fs').readFileSync('web/models/$default/manifest.json')).model.sha256)")
have=$(cat "$catalog.model-sha256" 2>/dev/null || true)
if [ ! -f "$catalog" ] || [ "$want" != "$have" ]; then
  rm -f "$catalog"
  bash scripts/build-demo-catalog.sh
  echo "$want" > "$catalog.model-sha256"
fi

exec node scripts/serve-demo.mjs "$@"
