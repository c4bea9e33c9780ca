// The catalogue in a real browser: fetched, loaded, built, searched; corrupt bytes refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from '../../dev/harness.mjs';

const env = useBrowser();

test('catalogues load, build, rank and refuse corrupt bytes in Chromium', async () => {
  const { page, errors } = await env.open();
  const result = await page.evaluate(async () => {
    const { init, Catalog } = await import('localrec');
    await init();
    const fetched = Catalog.fromBytes(await (await fetch('/tests/fuzz/corpus/fuzz_catalog_load/int8-full.lrc')).arrayBuffer());
    const lexical = fetched.search(null, { terms: [{ term: 'editors', weight: 1 }] }).map((r) => r.id);
    const dims = 8;
    const vec = (i) => Float32Array.from({ length: dims }, (_, d) => (d === i % dims ? 1 : 0.1 * d));
    const unit = (v) => v.map((x) => x / Math.hypot(...v));  // catalogue vectors are unit length
    const built = Catalog.fromVectors({
      ids: ['a', 'b', 'c'], vectors: [unit(vec(0)), unit(vec(1)), unit(vec(2))], modelFingerprint: 'cd'.repeat(32),
      metadata: [{ title: 'A', tags: ['x'] }, null, { title: 'C' }], texts: ['alpha', 'beta', 'gamma'],
    });
    const again = Catalog.fromBytes(built.toBytes());
    const dense = again.search(vec(1), { k: 2 }).map((r) => [r.id, r.query]);
    const filtered = again.search(vec(0), { k: 3, requireTags: ['x'] }).map((r) => r.id);
    const bytes = built.toBytes();
    const codes = [];
    for (const cut of [0, 10, 100, bytes.length - 1]) {
      try { Catalog.fromBytes(bytes.subarray(0, cut)); } catch (e) { codes.push(e.code); }
    }
    const flipped = bytes.slice();
    flipped[200] ^= 0x40;
    try { Catalog.fromBytes(flipped); } catch (e) { codes.push(e.code); }
    let mismatch = null;
    try { again.search(vec(0), { modelFingerprint: 'ef'.repeat(32) }); } catch (e) { mismatch = e.code; }
    const stillWorks = again.search(vec(2), { k: 1 })[0].id;
    return { size: fetched.size, lexical, dense, filtered, codes, mismatch, stillWorks, meta: again.metadata('a') };
  });
  assert.equal(result.size, 4);
  assert.deepEqual(result.lexical, ['item-2', 'item-1']);  // 'text editor, editors' before 'image editor'
  assert.deepEqual(result.dense[0], ['b', 0]);
  assert.deepEqual(result.filtered, ['a']);
  assert.deepEqual(result.codes, ['CorruptData', 'CorruptData', 'CorruptData', 'CorruptData', 'CorruptData']);
  assert.equal(result.mismatch, 'ModelMismatch');
  assert.equal(result.stillWorks, 'c');
  // The item's text fills metadata.text (what rank()'s keyword reasons read) when the metadata has none.
  assert.deepEqual(result.meta, { title: 'A', tags: ['x'], text: 'alpha' });
  assert.deepEqual(errors, []);
});
