// Start-up: a returning user's stored profile ranks before the encoder is loaded (openModel ->
// PendingModel), the early fingerprint is the one the load verifies, and every load phase leaves a
// performance measure (loadTimings). Uses the embedded default bundle on ONNX Runtime Web.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Catalog, createWorker, InterestProfile, init, loadModel, loadTimings, ModelLoadError, openModel } from 'localrec';
import * as ort from 'onnxruntime-web/wasm';
import { tinyModel } from '../../web/src/runtime.js';

const BUNDLE = new URL('../../web/models/use-lite/', import.meta.url);
const readBundle = () => Object.fromEntries(['manifest.json', 'model.onnx', 'vocab.json']
  .map((f) => [f, new Uint8Array(readFileSync(new URL(f, BUNDLE)))]));

const POSTS = [
  { id: 'p1', text: 'Saw the rings of Saturn through my new telescope tonight', time: Date.UTC(2026, 10, 1) },
  { id: 'p2', text: 'Which planetarium program shows the night sky for my town?', time: Date.UTC(2026, 10, 2) },
  { id: 'p3', text: 'Mixed a drum track in my home studio with a new synthesizer', time: Date.UTC(2026, 10, 3) },
];
const ITEMS = [
  ['stellarium', 'Stellarium', 'realistic planetarium showing the sky in 3D, stars, planets and telescopes'],
  ['kstars', 'KStars', 'desktop planetarium and observation planner for amateur astronomers'],
  ['ardour', 'Ardour', 'digital audio workstation for recording, mixing and mastering music'],
  ['hydrogen', 'Hydrogen', 'advanced drum machine and sequencer for music production'],
  ['gimp', 'GIMP', 'raster graphics editor for photo retouching and image composition'],
  ['gnucash', 'GnuCash', 'personal and small business double-entry accounting'],
];

let model, catalog, stored, expected;
before(async () => {
  await init();
  model = await loadModel({ name: 'use-lite', backend: 'web' });
  const vectors = await model.embed(ITEMS.map(([, title, text]) => `${title}\n${text}`));
  catalog = Catalog.fromVectors({
    ids: ITEMS.map(([id]) => id), vectors, modelFingerprint: model.fingerprint,
    metadata: ITEMS.map(([, title]) => ({ title })), texts: ITEMS.map(([, title, text]) => `${title}\n${text}`),
  });
  const profile = new InterestProfile(model, { halfLifeDays: 30 });
  await profile.addPosts(POSTS);
  stored = profile.toBytes();
  expected = profile.rank(catalog, { k: 4, now: Date.UTC(2026, 10, 4) });
  profile.dispose();
});
after(async () => { catalog?.dispose(); await model?.dispose(); });

test('openModel({ defer }) knows the model from its manifest: a stored profile ranks before the encoder loads', async () => {
  const pending = await openModel({ name: 'use-lite', backend: 'web', defer: true });
  assert.equal(pending.loaded, false);
  assert.equal(pending.fingerprint, model.fingerprint);
  assert.equal(pending.dims, model.dims);
  assert.equal(pending.name, model.name);
  const profile = InterestProfile.fromBytes(pending, stored);
  try {
    const got = profile.rank(catalog, { k: 4, now: Date.UTC(2026, 10, 4) });
    assert.deepEqual(got.map((r) => [r.id, r.score]), expected.map((r) => [r.id, r.score]));
    assert.equal(pending.loaded, false, 'ranking must not need (or start) the encoder');
    // A new post needs the encoder: it starts the deferred load and waits for it.
    await profile.addPosts([{ id: 'p4', text: 'Tracked Jupiter and its moons with the telescope', time: Date.UTC(2026, 10, 4) }]);
    assert.equal(pending.loaded, true);
    const loaded = await pending.whenReady();
    assert.equal(loaded.fingerprint, pending.fingerprint);
    const [a] = await pending.embed(['a comet in the evening sky']);
    const [b] = await model.embed(['a comet in the evening sky']);
    assert.deepEqual(Array.from(a), Array.from(b));
  } finally {
    profile.dispose();
    await pending.dispose();
  }
});

test('openModel() without defer loads at once; a model file that does not match its manifest is refused', async () => {
  const eager = await openModel({ name: 'use-lite', backend: 'web' });
  assert.equal((await eager.whenReady()).fingerprint, model.fingerprint);
  await eager.dispose();

  const files = readBundle();
  files['model.onnx'][files['model.onnx'].length - 10] ^= 0xff;  // one changed byte
  const broken = await openModel({ files, backend: 'web', defer: true });
  // The early fingerprint is the manifest's; the load checks the file against it.
  assert.equal(broken.fingerprint, model.fingerprint);
  await assert.rejects(broken.whenReady(), (e) => e instanceof ModelLoadError && /does not match its manifest/.test(e.message));
  await assert.rejects(broken.embed(['text']), /does not match its manifest/);
  assert.equal(broken.loaded, false);
  // A profile of this fingerprint still restores and ranks (ranking needs no encoder)...
  const profile = InterestProfile.fromBytes(broken, stored);
  assert.equal(profile.rank(catalog, { k: 2, now: Date.UTC(2026, 10, 4) }).length, 2);
  // ...but not one of another model.
  const other = { ...broken, fingerprint: 'ab'.repeat(32), dims: broken.dims, embed: broken.embed.bind(broken) };
  assert.throws(() => InterestProfile.fromBytes(other, stored), (e) => e.code === 'ModelMismatch');
  profile.dispose();
  await broken.dispose();
  await assert.rejects(openModel({ files: { 'manifest.json': '{"format":"x"}' }, backend: 'web' }), /manifest\.json/);
});

test('every load phase leaves a performance measure, listed by loadTimings()', async () => {
  const before = loadTimings().entries.length;
  const m = await loadModel({ name: 'use-lite', backend: 'web' });
  const bytes = catalog.toBytes();
  Catalog.fromBytes(bytes).dispose();
  await m.dispose();
  const { timeOrigin, entries } = loadTimings();
  assert.ok(timeOrigin > 0);
  const fresh = entries.slice(before);
  const names = new Set(fresh.map((e) => e.name));
  for (const n of ['model-files', 'ort-import', 'tokenizer', 'ort-session', 'model-probe', 'catalog-copy', 'catalog-validate']) {
    assert.ok(names.has(n), `no '${n}' phase in ${[...names].join(', ')}`);
  }
  for (const e of fresh) assert.ok(e.start >= 0 && e.duration >= 0, JSON.stringify(e));
  assert.equal(fresh.find((e) => e.name === 'catalog-copy').detail.bytes, bytes.byteLength);
  assert.ok(loadTimings().entries.some((e) => e.name === 'init'), 'the core load is recorded');
});

test('the one-node model that starts ONNX Runtime early is a valid ONNX model (y = x)', async () => {
  const session = await ort.InferenceSession.create(tinyModel());
  try {
    assert.deepEqual(session.inputNames, ['x']);
    assert.deepEqual(session.outputNames, ['y']);
    const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array([2.5]), [1]) });
    assert.deepEqual(Array.from(y.data), [2.5]);
  } finally {
    await session.release();
  }
});

test('through the worker: a PendingModel handle restores and ranks a stored profile, then loads', async () => {
  const w = await createWorker();
  try {
    const pending = await w.call('openModel', { name: 'use-lite', backend: 'web', defer: true });
    assert.equal(pending.className, 'PendingModel');
    assert.equal(pending.fingerprint, model.fingerprint);
    assert.equal(pending.loaded, false);
    const remoteCatalog = await w.callStatic('Catalog', 'fromBytes', catalog.toBytes());
    const profile = await w.callStatic('InterestProfile', 'fromBytes', pending, stored);
    const got = await profile.rank(remoteCatalog, { k: 4, now: Date.UTC(2026, 10, 4) });
    assert.deepEqual(got.map((r) => r.id), expected.map((r) => r.id));
    const loaded = await pending.whenReady();
    assert.equal(loaded.className, 'Model');
    assert.equal(loaded.fingerprint, model.fingerprint);
    await profile.addPosts([{ id: 'p5', text: 'Photographed the Moon through the telescope', time: Date.UTC(2026, 10, 4) }]);
    assert.equal(profile.size, POSTS.length + 1);
  } finally {
    await w.terminate();
  }
});

test("a PendingModel carries its manifest's calibration, so a profile made with it gets the model's thresholds", async () => {
  const dir = new URL('../../models/distilled/use-lite-bert-zh-2x128/', import.meta.url);
  const { calibration } = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8'));
  assert.ok(calibration && calibration.joinThreshold !== 0.4, 'the bilingual bundle has its own calibration');
  const pending = await openModel({ dir, backend: 'web', defer: true });
  try {
    assert.equal(pending.calibration.measured, true);
    assert.equal(pending.calibration.joinThreshold, calibration.joinThreshold);
    const profile = new InterestProfile(pending, { halfLifeDays: 30 });
    assert.equal(profile.options.joinThreshold, calibration.joinThreshold);
    profile.dispose();
    assert.deepEqual(pending.calibration, (await pending.whenReady()).calibration);
  } finally {
    await pending.dispose();
  }
});
