// The committed catalogue and profile files of tests/fixtures/formats (written by an earlier
// build, see generate.mjs there) still load with the content they were made from, and writing the
// same content again gives the same bytes: the file formats stay byte-compatible.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, Catalog, CatalogBuilder, InterestProfile } from 'localrec';

const fixture = (name) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url));
const input = JSON.parse(fixture('catalog-items.json'));
const spec = JSON.parse(fixture('profile-posts.json'));
const PRECISIONS = ['int8', 'compact', 'residual', 'float32'];
// Largest |stored - given| per precision for these 12-dimensional unit vectors.
const TOLERANCE = { int8: 0.004, compact: 0.006, residual: 0.00005, float32: 0 };

before(async () => { await init(); });

// What metadata() gives back: the object without its tags, then the tags sorted and unique.
function expectedMetadata(metadata) {
  if (metadata === null) return null;
  const { tags = [], ...rest } = metadata;
  const unique = [...new Set(tags)].sort();
  const out = unique.length ? { ...rest, tags: unique } : rest;
  return Object.keys(out).length ? out : null;
}

for (const precision of PRECISIONS) {
  test(`catalog-${precision}.lrc loads with its items, metadata, tags and terms`, () => {
    const bytes = fixture(`catalog-${precision}.lrc`);
    const c = Catalog.fromBytes(bytes);
    try {
      assert.equal(c.precision, precision);
      assert.equal(c.size, input.items.length);
      assert.equal(c.dims, input.dims);
      assert.equal(c.modelFingerprint, input.fingerprint);
      assert.equal(c.hasTerms, true);
      input.items.forEach((item, i) => {
        assert.equal(c.id(i), item.id);
        assert.equal(c.indexOf(item.id), i);
        assert.deepEqual(c.metadata(item.id), expectedMetadata(item.metadata), item.id);
        const v = c.vector(item.id);
        for (let d = 0; d < input.dims; d++) {
          assert.ok(Math.abs(v[d] - item.vector[d]) <= TOLERANCE[precision], `${item.id}[${d}]: ${v[d]} vs ${item.vector[d]}`);
        }
      });
      // Terms of the texts: "telescope" is in two items, "image" only in gimp's.
      const hits = c.search(null, { terms: [{ term: 'telescope', weight: 1 }], k: 7 }).map((r) => r.id);
      assert.deepEqual(hits.sort(), ['kstars', 'stellarium']);
      const image = Array.from(c.bm25([{ term: 'image', weight: 1 }]));
      assert.ok(image[2] > 0 && image.every((s, i) => i === 2 || s === 0), String(image));
      assert.equal(c.search(null, { terms: [{ term: 'brulee', weight: 1 }], k: 1 })[0].id, 'café-crème');
      assert.deepEqual(c.toBytes(), new Uint8Array(bytes));
    } finally {
      c.dispose();
    }
  });

  test(`building catalog-${precision}.lrc's items again gives the same bytes`, () => {
    const builder = new CatalogBuilder({ dims: input.dims, modelFingerprint: input.fingerprint, precision });
    for (const item of input.items) {
      builder.add({ id: item.id, vector: Float32Array.from(item.vector), metadata: item.metadata, text: item.text });
    }
    const c = builder.finish();
    try {
      assert.ok(Buffer.from(c.toBytes()).equals(fixture(`catalog-${precision}.lrc`)));
    } finally {
      c.dispose();
    }
  });
}

test('profile.lrp loads with its posts, feedback and interests, and saves to the same bytes', () => {
  const bytes = fixture('profile.lrp');
  const model = { dims: spec.dims, fingerprint: spec.fingerprint, embed() { throw new Error('nothing is embedded here'); } };
  const profile = InterestProfile.fromBytes(model, bytes);
  try {
    // maxPosts 6 of 8 posts: the two oldest are folded into the aggregates.
    assert.equal(profile.size, 6);
    const ids = spec.batches.flat().map((p) => p.id);
    assert.deepEqual(ids.filter((id) => profile.has(id)), ['b1', 'b2', 'a3', 'c1', 'b3', 'a4']);
    assert.deepEqual(profile.feedbackItems(), spec.feedback.map(({ id, kind }) => ({ id, kind })));
    const interests = profile.interests({ now: spec.now, labelTerms: 2 });
    assert.deepEqual(interests.map((it) => [...it.postIds].sort()), [['a3', 'a4'], ['b1', 'b2', 'b3'], ['c1']]);
    assert.deepEqual(interests.map((it) => it.foldedPosts), [2, 0, 0]);
    assert.equal(interests[0].keywords[0].text, 'telescope');
    assert.equal(interests[1].keywords[0].text, 'bread');
    assert.ok(Buffer.from(profile.toBytes()).equals(bytes));
  } finally {
    profile.dispose();
  }
});
