// One source of truth for option names, defaults and limits (issue 15): the core's option structs
// own them and the binding exports them (defaults(), src/wasm/bind_options.cc). The JS layer's
// own constants, web/index.d.ts (hand-written) and docs/profile.md are held to that object here,
// so a name or a default changed in one place and not the others fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  Catalog, CatalogBuilder, DEFAULT_STRATEGY, defaults, init, InterestProfile, STRATEGIES,
} from 'localrec';
import { MAX_ID_BYTES } from '../../web/src/profile.js';
import { fakeModel } from '../../dev/fake-model.mjs';

await init();
const core = defaults();
const dts = readFileSync(new URL('../../web/index.d.ts', import.meta.url), 'utf8');

// The string literals of `export type NAME = 'a' | 'b';`.
function union(name) {
  const m = dts.match(new RegExp(`export type ${name} = ([^;]+);`));
  assert.ok(m, `index.d.ts has no type ${name}`);
  return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]);
}

// The members of `export interface NAME { ... }` with the doc comment before each.
function members(name) {
  const start = dts.indexOf(`export interface ${name} {`);
  assert.ok(start >= 0, `index.d.ts has no interface ${name}`);
  let depth = 0, i = dts.indexOf('{', start), body = '';
  for (; i < dts.length; i++) {
    if (dts[i] === '{') depth++;
    if (dts[i] === '}' && --depth === 0) break;
    if (depth >= 1) body += dts[i];
  }
  const out = new Map();
  let comment = '';
  for (const line of body.slice(1).split('\n')) {
    if (/^\s*(\/\*\*|\*)/.test(line)) { comment += line; continue; }
    const m = line.match(/^ {2}(\w+)\??:/);
    if (m) out.set(m[1], comment);
    if (line.trim()) comment = '';
  }
  return out;
}

// "(default 0.7)", "(default 'words')" in a doc comment; undefined when there is none.
function documentedDefault(comment) {
  const m = comment.match(/\(default:? (-?[\d.]+\b|'[^']*'|true\b|false\b)/);
  if (!m) return undefined;
  if (m[1].startsWith("'")) return m[1].slice(1, -1);
  if (m[1] === 'true' || m[1] === 'false') return m[1] === 'true';
  return Number(m[1]);
}

test('the JS constants are the core\'s', () => {
  assert.deepEqual([...STRATEGIES], [...core.names.strategy]);
  assert.equal(DEFAULT_STRATEGY, core.rank.strategy);
  assert.equal(MAX_ID_BYTES, core.limits.maxIdBytes);
  assert.ok(Object.isFrozen(core) && Object.isFrozen(core.rank.bm25), 'defaults() is frozen');
});

test('index.d.ts spells the core\'s names', () => {
  assert.deepEqual(union('RankStrategy'), [...core.names.strategy]);
  assert.deepEqual(union('RankTermSource'), [...core.names.termSource]);
  assert.deepEqual(union('SearchCombine'), [...core.names.combine]);
  assert.deepEqual(union('Fusion'), [...core.names.fusion]);
  assert.deepEqual(union('Normalization'), [...core.names.normalization]);
  assert.deepEqual(union('CatalogPrecision'), [...core.names.precision]);
  // The profile's options: the core's plus maxUnknownShare (applied by the JS layer).
  assert.deepEqual([...members('InterestProfileOptions').keys()].toSorted(),
    [...Object.keys(core.profile), 'maxUnknownShare'].toSorted());
});

test('index.d.ts documents the core\'s defaults', () => {
  const check = (iface, values) => {
    let documented = 0;
    for (const [key, comment] of members(iface)) {
      const d = documentedDefault(comment);
      if (d === undefined || !(key in values)) continue;
      documented++;
      assert.equal(d, values[key], `${iface}.${key}: index.d.ts says ${d}, the core ${values[key]}`);
    }
    return documented;
  };
  assert.ok(check('RankOptions', core.rank) >= 10);
  assert.ok(check('SearchOptions', core.search) >= 4);
  assert.ok(check('InterestProfileOptions', core.profile) >= 8);
  const rank = members('RankOptions');
  assert.match(rank.get('bm25'), new RegExp(`k1 ${core.rank.bm25.k1}, b ${core.rank.bm25.b}`));
  assert.match(rank.get('candidates'), new RegExp(`max\\(4k, ${core.rank.minCandidates}\\)`));
  assert.match(members('SearchOptions').get('candidates'), new RegExp(`max\\(4k, ${core.search.minCandidates}\\)`));
});

test('rank() takes every option RankOptions declares, and checks each', async (t) => {
  const model = fakeModel();
  const profile = new InterestProfile(model);
  t.after(() => profile.dispose());
  await profile.addPosts([{ id: 'p', text: 'telescope and planets at night', time: 0 }], { now: 0 });
  const catalog = Catalog.fromVectors({
    ids: ['a', 'b'], vectors: await model.embed(['telescope stars', 'bread oven']), texts: ['telescope stars', 'bread oven'],
    modelFingerprint: model.fingerprint,
  });
  t.after(() => catalog.dispose());
  for (const key of members('RankOptions').keys()) {
    // A value of no option's type: refused, naming the option, so rank() reads it.
    assert.throws(() => profile.rank(catalog, { [key]: Symbol('bad') }),
      (e) => e.code === 'InvalidArgument' && e.message.includes(key), key);
  }
});

test('the limits are the core\'s, in the JS checks and the core\'s own', () => {
  const fingerprint = 'f'.repeat(64);
  assert.throws(() => new CatalogBuilder({ dims: core.limits.maxDims + 1, modelFingerprint: fingerprint }),
    new RegExp(`\\[1, ${core.limits.maxDims}\\]`));
  new CatalogBuilder({ dims: core.limits.maxDims, modelFingerprint: fingerprint }).dispose();
  assert.throws(() => new InterestProfile({ ...fakeModel(), dims: core.limits.maxDims + 1 }),
    (e) => e.code === 'InvalidArgument' && e.message.includes(String(core.limits.maxDims)));
  for (const precision of core.names.precision) {
    const b = new CatalogBuilder({ dims: 2, modelFingerprint: fingerprint, precision });
    b.add({ id: 'x', vector: [0.6, 0.8] });
    const c = b.finish();
    assert.equal(c.precision, precision);
    c.dispose();
  }
  assert.throws(() => new CatalogBuilder({ dims: 2, modelFingerprint: fingerprint, precision: 'int4' }),
    (e) => e instanceof TypeError && core.names.precision.every((p) => e.message.includes(`'${p}'`)));
});

test('docs/profile.md names every profile option and rank()\'s defaults', () => {
  const doc = readFileSync(new URL('../../docs/profile.md', import.meta.url), 'utf8');
  for (const key of [...Object.keys(core.profile), 'maxUnknownShare']) assert.ok(doc.includes(`\`${key}\``), key);
  const r = core.rank;
  for (const phrase of [`strategy: '${r.strategy}'`, `termSource: '${r.termSource}'`, `lexicalWeight: ${r.lexicalWeight}`,
    `maxInterests: ${r.maxInterests}`, `maxTerms: ${r.maxTerms}`, `max(4k, ${r.minCandidates})`]) {
    assert.ok(doc.includes(phrase), phrase);
  }
});
