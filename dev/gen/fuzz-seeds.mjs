// Writes the committed seed corpus of fuzz_catalog_load: a few small valid catalogues covering
// every section kind (int8 + refinement bits / compact / residual / float32 vectors, metadata,
// tags, terms, empty). v1-int8-bare.lrc is a format version 1 file kept from an older writer.
// Usage: node dev/gen/fuzz-seeds.mjs   (needs the wasm build in web/dist)
import { mkdirSync, writeFileSync } from 'node:fs';
import { init, Catalog } from 'localrec';
import { embedText } from '../fake-model.mjs';

await init();
const out = new URL('../../tests/fuzz/corpus/fuzz_catalog_load/', import.meta.url);
mkdirSync(out, { recursive: true });
const fingerprint = 'ab'.repeat(32);
const texts = ['star charts and telescopes', 'image editor', 'text editor, editors', 'game'];
const seeds = {
  'int8-full': { dims: 8, precision: 'int8', meta: true, texts: true },
  'residual-tags': { dims: 5, precision: 'residual', meta: false, texts: false, tags: true },
  'float32-terms': { dims: 4, precision: 'float32', meta: false, texts: true },
  'int8-bare': { dims: 16, precision: 'int8' },
  'compact-terms': { dims: 12, precision: 'compact', meta: true, texts: true },
};
for (const [name, s] of Object.entries(seeds)) {
  const c = Catalog.fromVectors({
    ids: texts.map((_, i) => `item-${i}`),
    vectors: texts.map((t) => embedText(t, s.dims)),
    metadata: texts.map((t, i) => (s.meta || s.tags) && i % 2 === 0
      ? { ...(s.meta ? { title: t, url: `u${i}` } : {}), ...(s.tags ? { tags: ['a', `t${i}`] } : {}) }
      : null),
    texts: s.texts ? texts : undefined,
    modelFingerprint: fingerprint,
    precision: s.precision,
  });
  writeFileSync(new URL(`${name}.lrc`, out), c.toBytes());
  c.dispose();
}
const empty = Catalog.fromVectors({ ids: [], vectors: new Float32Array(0), dims: 3, modelFingerprint: fingerprint });
writeFileSync(new URL('empty.lrc', out), empty.toBytes());
