import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from 'localrec';
import { runRankScenarios } from '../../dev/rank-scenarios.mjs';

await init();

// rank() returns exactly what the goldens recorded (dev/gen/rank-goldens.mjs): ids, scores,
// reasons and metadata, for every strategy, exclusions and feedback, tag filters, diversity,
// fusion options and explain: false.
test('rank() returns the recorded results in every scenario', async () => {
  const goldens = JSON.parse(readFileSync(new URL('../fixtures/rank-goldens.json', import.meta.url), 'utf8'));
  const now = await runRankScenarios();
  assert.deepEqual(Object.keys(now), Object.keys(goldens));
  for (const name of Object.keys(goldens)) assert.deepEqual(now[name], goldens[name], name);
});
