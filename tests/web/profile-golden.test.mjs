// Profiles are the same bytes whatever the ingestion path does inside: the committed golden
// (dev/gen/profile-golden.mjs) against the profiles built now, per model (the default model,
// the bilingual BERT with Chinese posts, and the embed()-only fake model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from 'localrec';
import { GOLDEN_MODELS, goldenProfile } from '../../dev/profile-golden.mjs';

await init();
const golden = JSON.parse(readFileSync(new URL('../fixtures/profile-golden.json', import.meta.url), 'utf8'));

test('the golden covers every model', () => {
  assert.deepEqual(Object.keys(golden), [...GOLDEN_MODELS]);
});

for (const name of GOLDEN_MODELS) {
  test(`${name}: the profile built from the golden's posts is the committed one`, async () => {
    const now = await goldenProfile(name);
    const want = golden[name];
    // The readable parts first, so a failure shows what moved; then every byte.
    assert.equal(now.posts, want.posts);
    assert.deepEqual(now.keywords, want.keywords);
    assert.deepEqual(now.interests, want.interests);
    assert.equal(now.bytes, want.bytes);
    assert.equal(now.sha256, want.sha256);
  });
}
