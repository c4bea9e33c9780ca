import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, Catalog, CatalogBuilder } from 'localrec';
import { loadModel, embedText } from '../../dev/fake-model.mjs';

const DOCS = [
  ['stellarium', 'Stellarium', 'Planetarium showing a realistic sky: stars, planets and telescope control', ['field::astronomy', 'role::program']],
  ['kstars', 'KStars', 'Desktop planetarium with star charts and telescope control for astronomy', ['field::astronomy', 'role::program']],
  ['gimp', 'GIMP', 'Image editor for photo retouching, layers and painting', ['works-with::image', 'role::program']],
  ['inkscape', 'Inkscape', 'Vector graphics editor for drawings and illustrations', ['works-with::image', 'role::program']],
  ['vim', 'Vim', 'Text editor for programmers with syntax highlighting', ['works-with::text', 'role::program']],
  ['emacs', 'Emacs', 'Extensible text editor and programming environment', ['works-with::text', 'role::program']],
  ['0ad', '0 A.D.', 'Real-time strategy game of ancient warfare', ['game::strategy']],
  ['wesnoth', 'Wesnoth', 'Fantasy turn-based strategy game', ['game::strategy']],
  ['audacity', 'Audacity', 'Audio editor and recorder for music and sound', ['works-with::audio', 'role::program']],
  ['ardour', 'Ardour', 'Digital audio workstation for recording music', ['works-with::audio']],
  ['nginx', 'nginx', 'Small and fast web server and reverse proxy', ['role::program']],
  ['python3', 'Python 3', 'Interactive high-level object-oriented programming language', []],
];
const DIMS = 64;
let model;

function buildSmall(options = {}) {
  return Catalog.fromVectors({
    ids: DOCS.map((d) => d[0]),
    vectors: DOCS.map((d) => embedText(d[2], DIMS)),
    metadata: DOCS.map(([id, title, text, tags], i) =>
      (i === 11 ? null : { title, url: `https://example.org/${id}`, text, tags, rank: i })),
    texts: DOCS.map((d) => `${d[1]}\n${d[2]}`),
    modelFingerprint: model.fingerprint,
    ...options,
  });
}

function bruteForce(vectors, query, k, allowed = () => true) {
  return vectors
    .map((v, i) => {
      let s = 0;
      for (let d = 0; d < v.length; d++) s += v[d] * query[d];
      return { i, s };
    })
    .filter(({ i }) => allowed(i))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, k)
    .map(({ i }) => i);
}

function randomVectors(n, dims, seed) {
  let x = seed >>> 0;
  const next = () => {  // xorshift32, then Box-Muller
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return (x + 1) / 4294967297;
  };
  const out = [];
  for (let i = 0; i < n; i++) {
    const v = new Float32Array(dims);
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      v[d] = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
      norm += v[d] * v[d];
    }
    for (let d = 0; d < dims; d++) v[d] /= Math.sqrt(norm);
    out.push(v);
  }
  return out;
}

function expectCode(fn, code, pattern) {
  assert.throws(fn, (e) => {
    assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

before(async () => {
  await init();
  model = await loadModel({ dims: DIMS });
});

test('fromVectors: texts fill metadata.text (what rank() matches keyword reasons against) unless given', () => {
  const ids = ['a', 'b', 'c', 'd'];
  const texts = ['telescope and planets', 'photo editor', 'audio mixer', 'chess engine'];
  const c = Catalog.fromVectors({
    ids, vectors: texts.map((t) => embedText(t, DIMS)), texts, modelFingerprint: model.fingerprint,
    metadata: [undefined, { title: 'Editor' }, { text: 'own text' }, null],
  });
  assert.deepEqual(c.metadata('a'), { text: 'telescope and planets' });
  assert.deepEqual(c.metadata('b'), { title: 'Editor', text: 'photo editor' });
  assert.deepEqual(c.metadata('c'), { text: 'own text' });
  assert.equal(c.metadata('d'), null);
  const bare = Catalog.fromVectors({ ids: ['x'], vectors: [embedText('x y', DIMS)], texts: ['x y'], modelFingerprint: model.fingerprint });
  assert.deepEqual(bare.metadata('x'), { text: 'x y' });
  c.dispose();
  bare.dispose();
});

test('fromVectors -> toBytes -> fromBytes round-trips every field', () => {
  for (const precision of ['int8', 'compact', 'residual', 'float32']) {
    const a = buildSmall({ precision });
    const bytes = a.toBytes();
    const b = Catalog.fromBytes(bytes);
    assert.deepEqual(b.toBytes(), bytes);
    assert.equal(b.size, DOCS.length);
    assert.equal(b.dims, DIMS);
    assert.equal(b.modelFingerprint, model.fingerprint);
    assert.equal(b.precision, precision);
    assert.equal(b.hasTerms, true);
    assert.equal(b.byteLength, bytes.length);
    // Also from an ArrayBuffer and from an offset view.
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    assert.deepEqual(Catalog.fromBytes(padded.subarray(3)).toBytes(), bytes);
    assert.deepEqual(Catalog.fromBytes(bytes.slice().buffer).toBytes(), bytes);
    DOCS.forEach(([id, title, text, tags], i) => {
      assert.equal(b.id(i), id);
      assert.equal(b.indexOf(id), i);
      assert.ok(b.has(id));
      const meta = b.metadata(id);
      if (i === 11) {
        assert.equal(meta, null);
      } else {
        assert.deepEqual(meta, { title, url: `https://example.org/${id}`, text, rank: i,
                                 ...(tags.length ? { tags: [...tags].sort() } : {}) });
        assert.deepEqual(b.metadata(i), meta);
      }
      const v = b.vector(i);
      const original = embedText(text, DIMS);
      for (let d = 0; d < DIMS; d++) {
        if (precision === 'float32') assert.equal(v[d], original[d]);
        else assert.ok(Math.abs(v[d] - original[d]) < (precision === 'residual' ? 1e-4 : 0.01));
      }
    });
    assert.equal(b.indexOf('nope'), -1);
    assert.throws(() => b.metadata('nope'), (e) => e.code === 'NotFound');
    assert.throws(() => b.metadata(99), RangeError);
    a.dispose();
    b.dispose();
  }
});

test('search returns the brute-force top-k with ids, parts and metadata', () => {
  const catalog = buildSmall({ precision: 'float32' });
  const vectors = DOCS.map((d) => embedText(d[2], DIMS));
  const query = embedText('telescope for astronomy and stars', DIMS);
  const results = catalog.search(query, { k: 5 });
  assert.deepEqual(results.map((r) => r.index), bruteForce(vectors, query, 5));
  assert.equal(results[0].id, DOCS[results[0].index][0]);
  assert.ok(['stellarium', 'kstars'].includes(results[0].id));
  for (const r of results) {
    assert.equal(r.query, 0);
    assert.equal(r.lexical, 0);
    assert.equal(r.score, r.dense);
    assert.deepEqual(r.metadata, catalog.metadata(r.index));
  }
  // metadata: false leaves it out.
  assert.equal(catalog.search(query, { k: 1, metadata: false })[0].metadata, null);
  // The int8 default agrees on this easy query.
  const int8 = buildSmall();
  const easy = embedText('planetarium telescope control', DIMS);
  assert.deepEqual(int8.search(easy, { k: 2 }).map((r) => r.id).sort(), ['kstars', 'stellarium']);
});

test('int8 search recalls the exact top-10 on random vectors', () => {
  const n = 3000, dims = 96;
  const vectors = randomVectors(n, dims, 12345);
  const catalog = Catalog.fromVectors({ ids: vectors.map((_, i) => `r${i}`), vectors, modelFingerprint: model.fingerprint });
  const queries = randomVectors(30, dims, 999);
  let hits = 0;
  for (const q of queries) {
    const truth = new Set(bruteForce(vectors, q, 10));
    for (const r of catalog.search(q, { k: 10, metadata: false })) hits += truth.has(r.index) ? 1 : 0;
  }
  assert.ok(hits / 300 >= 0.97, `recall@10 ${hits / 300}`);
  // Flat vectors give the same catalogue.
  const flat = new Float32Array(n * dims);
  vectors.forEach((v, i) => flat.set(v, i * dims));
  const again = Catalog.fromVectors({ ids: vectors.map((_, i) => `r${i}`), vectors: flat, modelFingerprint: model.fingerprint });
  assert.deepEqual(again.toBytes(), catalog.toBytes());
});

test('several interests: weighted max and sum, and which query produced each result', () => {
  const catalog = buildSmall({ precision: 'float32' });
  const vectors = DOCS.map((d) => embedText(d[2], DIMS));
  const astro = embedText('planetarium telescope star charts', DIMS);
  const games = embedText('strategy game', DIMS);
  const results = catalog.search([astro, games], { k: 4 });
  const byId = Object.fromEntries(results.map((r) => [r.id, r]));
  assert.equal(byId.kstars?.query, 0);
  assert.equal(byId['0ad']?.query ?? byId.wesnoth?.query, 1);
  const onlyGames = catalog.search([astro, games], { k: 2, weights: [0, 1] });
  assert.deepEqual(onlyGames.map((r) => r.id).sort(), ['0ad', 'wesnoth']);
  const sum = catalog.search([astro, games], { k: 12, combine: 'sum', weights: [1, 0.5] });
  for (const r of sum) {
    let a = 0, g = 0;
    for (let d = 0; d < DIMS; d++) { a += vectors[r.index][d] * astro[d]; g += vectors[r.index][d] * games[d]; }
    assert.ok(Math.abs(r.dense - (a + 0.5 * g)) < 1e-5);
  }
});

test('filters: exclude ids, require and exclude tags', () => {
  const catalog = buildSmall();
  const query = embedText('editor', DIMS);
  const all = catalog.search(query, { k: 12 });
  assert.equal(all.length, 12);
  const excluded = catalog.search(query, { k: 12, exclude: ['vim', 'gimp', 'unknown'] });
  assert.equal(excluded.length, 10);
  assert.ok(!excluded.some((r) => r.id === 'vim' || r.id === 'gimp'));
  const text = catalog.search(query, { k: 12, requireTags: ['works-with::text', 'role::program'] });
  assert.deepEqual(text.map((r) => r.id).sort(), ['emacs', 'vim']);
  const noProgram = catalog.search(query, { k: 12, excludeTags: ['role::program'] });
  assert.deepEqual(noProgram.map((r) => r.id).sort(), ['0ad', 'ardour', 'python3', 'wesnoth']);
  assert.deepEqual(catalog.search(query, { requireTags: ['no-such-tag'] }), []);
});

test('lexical and hybrid search', () => {
  const catalog = buildSmall();
  // Terms only: items containing the (analysed) words, ranked by BM25.
  const lexical = catalog.search(null, { terms: [{ term: 'Editors', weight: 1 }], k: 10 });
  assert.deepEqual(lexical.map((r) => r.id).sort(), ['audacity', 'emacs', 'gimp', 'inkscape', 'vim']);
  for (const r of lexical) {
    assert.equal(r.query, null);
    assert.equal(r.dense, 0);
    assert.ok(r.lexical > 0);
    assert.equal(r.score, r.lexical);
  }
  const scores = catalog.bm25([{ term: 'Editors', weight: 1 }]);
  assert.equal(scores.length, DOCS.length);
  for (const r of lexical) assert.equal(scores[r.index], r.lexical);
  // Hybrid: the dense query is about music; the terms pull in 'text editor'.
  const query = embedText('music recording', DIMS);
  const terms = [{ term: 'text editor', weight: 1 }];
  for (const fusion of ['weighted', 'rrf']) {
    const dense = catalog.search(query, { k: 3 });
    const hybrid = catalog.search(query, { k: 3, terms, lexicalWeight: 0.7, fusion });
    assert.notDeepEqual(hybrid.map((r) => r.id), dense.map((r) => r.id));
    assert.ok(hybrid.some((r) => r.lexical > 0));
    assert.ok(hybrid.every((r) => r.query === 0));
    for (let j = 1; j < hybrid.length; j++) assert.ok(hybrid[j - 1].score >= hybrid[j].score);
  }
  assert.equal(catalog.search(query, { k: 3, terms, lexicalWeight: 0, normalization: 'zscore' })[0].id,
               catalog.search(query, { k: 1 })[0].id);
  // A catalogue without texts has no lexical part.
  const bare = Catalog.fromVectors({ ids: ['a'], vectors: [embedText('a b', DIMS)], modelFingerprint: model.fingerprint });
  assert.equal(bare.hasTerms, false);
  expectCode(() => bare.search(null, { terms }), 'InvalidArgument', /no lexical part/);
});

test('MMR diversity spreads results across topics', () => {
  const catalog = buildSmall();
  const query = embedText('editor for text and image', DIMS);
  const plain = catalog.search(query, { k: 4 });
  const diverse = catalog.search(query, { k: 4, diversity: 0.9 });
  assert.equal(diverse[0].id, plain[0].id);
  assert.notDeepEqual(diverse.map((r) => r.id), plain.map((r) => r.id));
});

test('a catalogue from another model is refused', () => {
  const catalog = buildSmall();
  const query = embedText('editor', DIMS);
  expectCode(() => catalog.search(query, { modelFingerprint: 'ab'.repeat(32) }), 'ModelMismatch', /built with model/);
  assert.equal(catalog.search(query, { k: 1, modelFingerprint: model.fingerprint.toUpperCase() }).length, 1);
});

test('arguments are validated before reaching wasm', () => {
  const catalog = buildSmall();
  const q = embedText('editor', DIMS);
  assert.throws(() => catalog.search(new Float32Array(3)), RangeError);
  assert.throws(() => catalog.search(q, { k: 0 }), RangeError);
  assert.throws(() => catalog.search(q, { k: 1.5 }), TypeError);
  assert.throws(() => catalog.search(q, { weights: [1, 2] }), RangeError);
  assert.throws(() => catalog.search(q, { weights: [-1] }), RangeError);
  assert.throws(() => catalog.search(q, { combine: 'avg' }), TypeError);
  assert.throws(() => catalog.search(q, { diversity: 2 }), RangeError);
  assert.throws(() => catalog.search(q, { exclude: 'vim' }), TypeError);
  assert.throws(() => catalog.search(q, { terms: ['vim'] }), TypeError);
  assert.throws(() => catalog.search(q, { fusion: 'max' }), TypeError);
  assert.throws(() => catalog.search(q, { modelFingerprint: 'xyz' }), TypeError);
  assert.throws(() => catalog.search(null, {}), TypeError);
  const nan = q.slice();
  nan[3] = NaN;
  assert.throws(() => catalog.search(nan), RangeError);
  assert.throws(() => Catalog.fromVectors({ ids: ['a'], vectors: [q], modelFingerprint: 'x' }), TypeError);
  assert.throws(() => Catalog.fromVectors({ ids: ['a', 'b'], vectors: [q], modelFingerprint: model.fingerprint }), RangeError);
  assert.throws(() => Catalog.fromBytes('not bytes'), TypeError);
  assert.throws(() => new Catalog(), TypeError);
  // Errors from the core carry a code and say what was wrong.
  expectCode(() => Catalog.fromVectors({ ids: ['a', 'a'], vectors: [q, q], modelFingerprint: model.fingerprint }),
             'InvalidArgument', /duplicate id 'a'/);
  const bad = q.slice();
  bad[0] = Infinity;
  expectCode(() => Catalog.fromVectors({ ids: ['a'], vectors: [bad], modelFingerprint: model.fingerprint }),
             'InvalidArgument', /NaN or infinite/);
});

test('every truncation and random byte flips are refused; the instance keeps working', () => {
  const small = Catalog.fromVectors({
    ids: ['a', 'b', 'c'],
    vectors: [embedText('one two', 16), embedText('two three', 16), embedText('four', 16)],
    metadata: [{ title: 'A', tags: ['x'] }, null, { url: 'u' }],
    texts: ['one two', 'two three', 'four'],
    modelFingerprint: model.fingerprint,
  });
  const bytes = small.toBytes();
  const good = buildSmall();
  const query = embedText('telescope', DIMS);
  const expected = good.search(query, { k: 3 }).map((r) => r.id);
  for (let len = 0; len < bytes.length; len++) {
    expectCode(() => Catalog.fromBytes(bytes.subarray(0, len)), 'CorruptData');
    if (len % 64 === 0) assert.deepEqual(good.search(query, { k: 3 }).map((r) => r.id), expected);
  }
  expectCode(() => Catalog.fromBytes(bytes.subarray(0, bytes.length - 1)), 'CorruptData', /truncated/);
  let seed = 7;
  for (let trial = 0; trial < 500; trial++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const pos = seed % bytes.length;
    const copy = bytes.slice();
    copy[pos] ^= 1 + ((seed >>> 8) % 255);
    assert.throws(() => Catalog.fromBytes(copy), (e) => {
      assert.ok(['CorruptData', 'Unsupported'].includes(e.code), `${pos}: ${e.code} ${e.message}`);
      return true;
    });
  }
  expectCode(() => Catalog.fromBytes(new Uint8Array(200)), 'CorruptData', /bad magic/);
  // Still fully usable afterwards, including loading and building.
  assert.deepEqual(good.search(query, { k: 3 }).map((r) => r.id), expected);
  assert.deepEqual(Catalog.fromBytes(bytes).toBytes(), bytes);
});

test('CatalogBuilder adds items one by one and survives bad items', () => {
  const builder = new CatalogBuilder({ dims: DIMS, modelFingerprint: model.fingerprint });
  builder.add({ id: 'x', vector: embedText('alpha beta', DIMS), metadata: { title: 'X', tags: ['t'] }, text: 'alpha beta' });
  assert.throws(() => builder.add({ id: 'x', vector: embedText('gamma', DIMS) }), /duplicate id/);
  assert.throws(() => builder.add({ id: 'y', vector: new Float32Array(3) }), RangeError);
  assert.throws(() => builder.add({ id: 'y', vector: embedText('g', DIMS), metadata: { title: 5 } }), TypeError);
  builder.add({ id: 'y', vector: Array.from(embedText('gamma', DIMS)), text: 'gamma' });
  assert.equal(builder.size, 2);
  const catalog = builder.finish();
  assert.equal(catalog.size, 2);
  assert.throws(() => builder.size, /finished or disposed/);
  assert.deepEqual(catalog.metadata('x'), { title: 'X', tags: ['t'] });
  assert.equal(catalog.search(null, { terms: [{ term: 'gamma', weight: 1 }] })[0].id, 'y');
  builder.dispose();  // idempotent
});

test('dispose frees the catalogue; later calls throw', () => {
  const catalog = buildSmall();
  catalog.dispose();
  catalog.dispose();
  assert.throws(() => catalog.size, /disposed/);
  assert.throws(() => catalog.search(embedText('x', DIMS)), /disposed/);
  const other = buildSmall();
  const dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');
  other[dispose]();
  assert.throws(() => other.toBytes(), /disposed/);
});

test('a format version 1 file (written by the version 1 writer) still loads, as precision compact', () => {
  // tests/fixtures/catalog-v1.lrc: the fuzz seed int8-full.lrc as the version 1 writer made it.
  const bytes = readFileSync(new URL('../fixtures/catalog-v1.lrc', import.meta.url));
  assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true), 1);
  const c = Catalog.fromBytes(bytes);
  assert.equal(c.precision, 'compact');
  assert.equal(c.size, 4);
  assert.equal(c.dims, 8);
  assert.deepEqual(c.metadata('item-0'), { title: 'star charts and telescopes', url: 'u0' });
  // item-1's stored vector ('image editor' under the fake model that wrote the seed).
  const query = new Float32Array([2, -1, -2, -1, 0, 0, 0, 0]).map((x) => x / Math.sqrt(10));
  const got = c.search(query, { k: 1, terms: [{ term: 'telescopes', weight: 1 }], lexicalWeight: 0 });
  assert.equal(got[0].id, 'item-1');
  assert.ok(Math.abs(got[0].dense - 1) < 0.02, String(got[0].dense));
  assert.deepEqual(Array.from(c.bm25([{ term: 'telescope', weight: 1 }]), (x) => x > 0), [true, false, false, false]);
  assert.deepEqual(c.toBytes(), new Uint8Array(bytes));
  c.dispose();
});
