import { createWorker, loadModel, Catalog, InterestProfile } from 'localrec';

const items = [
  { id: 'stellarium', text: 'Planetarium: a realistic night sky with stars, planets and telescopes' },
  { id: 'gimp', text: 'Image editor for photo retouching, painting and drawing' },
  { id: 'kstars', text: 'Desktop planetarium and astronomy tool for observing planets and comets' },
  { id: 'audacity', text: 'Audio editor for recording, cutting and mixing sound' },
];
const posts = [
  { id: 'p1', text: 'Saw the rings of Saturn through my new telescope', time: Date.now() },
  { id: 'p2', text: "Which planetarium software shows tonight's sky?", time: Date.now() },
];
const show = (where, top) => {
  document.querySelector(where).textContent = top.map((r) => `${r.id} ${r.reasons.keywords.join(' ')}`).join('\n');
};

// Off the main thread: the worker, the wasm core, ONNX Runtime and the embedded default model
// are emitted by the bundler and served from the page's own origin.
const lr = await createWorker();
const model = await lr.loadModel({ onProgress: ({ file, loaded, total }) => console.log(file, loaded, total) });
const vectors = await model.embed(items.map((it) => it.text));
const catalog = await lr.callStatic('Catalog', 'fromVectors', {
  ids: items.map((it) => it.id), vectors, texts: items.map((it) => it.text),
  modelFingerprint: model.fingerprint,
});
const profile = await lr.construct('InterestProfile', model, { halfLifeDays: 30 });
await profile.addPosts(posts);
show('#worker', await profile.rank(catalog, { k: 2 }));

// The same on the main thread.
const model2 = await loadModel();
const catalog2 = Catalog.fromVectors({
  ids: items.map((it) => it.id), vectors: await model2.embed(items.map((it) => it.text)),
  texts: items.map((it) => it.text), modelFingerprint: model2.fingerprint,
});
const profile2 = new InterestProfile(model2, { halfLifeDays: 30 });
await profile2.addPosts(posts);
show('#main', profile2.rank(catalog2, { k: 2 }));
