#!/usr/bin/env node
// Writes tests/fixtures/profile-golden.json: the profiles dev/profile-golden.mjs
// builds (one per model), which tests/web/profile-golden.test.mjs compares against. Regenerate
// only when a profile is meant to change, and say why in the commit.
// Usage: node dev/gen/profile-golden.mjs
import { writeFileSync } from 'node:fs';
import { init } from '../../web/index.js';
import { GOLDEN_MODELS, goldenProfile } from '../profile-golden.mjs';

await init();
const out = {};
for (const name of GOLDEN_MODELS) out[name] = await goldenProfile(name);
const file = new URL('../../tests/fixtures/profile-golden.json', import.meta.url);
writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${file.pathname}: ${GOLDEN_MODELS.map((n) => `${n} ${out[n].sha256.slice(0, 12)}`).join(', ')}`);
