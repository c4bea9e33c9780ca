#!/usr/bin/env node
// Writes tests/fixtures/rank-goldens.json: what rank() returns in the fixed scenarios of
// dev/rank-scenarios.mjs (committed data, the deterministic fake model, real
// Catalogs). tests/web/rank-golden.test.mjs compares rank() against it, so a refactor of the
// ranking path that changes any id, score, reason or metadata fails. Rewrite it only for a
// change of results that is meant (and say so in the commit).
// Usage: node dev/gen/rank-goldens.mjs   (needs the wasm core: scripts/build.sh wasm)
import { writeFileSync } from 'node:fs';

import { init } from 'localrec';
import { runRankScenarios } from '../rank-scenarios.mjs';

await init();
const scenarios = await runRankScenarios();
const out = new URL('../../tests/fixtures/rank-goldens.json', import.meta.url);
// One result per line: a diff of the file shows which results moved.
const body = Object.entries(scenarios).map(([name, results]) => `  ${JSON.stringify(name)}: [` +
  (results.length ? `\n${results.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]` : ']')).join(',\n');
writeFileSync(out, `{\n${body}\n}\n`);
console.log(`wrote ${out.pathname}: ${Object.keys(scenarios).length} scenarios`);
