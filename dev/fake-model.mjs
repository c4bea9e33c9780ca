// The one stand-in for a sentence encoder in tests, benchmarks and seed generators. It follows the
// model contract (name, dims, fingerprint, maxLength, embed, dispose): a hashed bag of words,
// L2-normalised. Texts sharing words are similar, texts sharing none nearly orthogonal; no
// constant outputs, and a text's vector never depends on its batch. It counts what it embeds so
// tests can check that nothing is embedded twice.
//
// Also usable as `--model-module` for the CLI: it exports loadModel(). Environment knobs for the
// CLI tests: FAKE_MODEL_DELAY_MS (sleep per embed call, to interrupt a build mid-way) and
// FAKE_MODEL_LOG (a file that receives one line per embedded text: its length).
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';

function fnv1a(s, seed) {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// Words roughly as the core's analyser sees them: letters/digits, case-folded, a light plural
// stem ("charts" -> "chart") so a phrase and the post it came from share buckets. Words of fewer
// than four letters ("the", "and") carry no topic here, as they would not for a real encoder.
function words(text) {
  const out = [];
  for (const w of text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []) {
    out.push(w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
  }
  return out;
}

// One text's vector: each word picks two dimensions (two seeds of FNV-1a) and a sign.
export function embedText(text, dims) {
  const v = new Float32Array(dims);
  const ws = words(text);
  for (const w of ws.length ? ws : [text]) {
    for (let seed = 0; seed < 2; seed++) {
      const h = fnv1a(w, seed);
      v[h % dims] += (h & 0x80000000) ? 1 : -1;
    }
  }
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let d = 0; d < dims; d++) v[d] /= n;
  return v;
}

export function fakeModel({ dims = 128, fingerprint = 'f'.repeat(64), name = 'fake-bow', delayMs = 0, log } = {}) {
  const model = {
    name, dims, fingerprint, maxLength: 128,
    calls: 0,
    embedded: [],
    async embed(texts) {
      if (!Array.isArray(texts) || texts.length === 0) throw new RangeError('embed() needs texts');
      model.calls++;
      model.embedded.push(...texts);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (log) appendFileSync(log, texts.map((t) => `${t.length}\n`).join(''));
      return texts.map((text) => embedText(text, dims));
    },
    dispose() {},
  };
  return model;
}

// The CLI's `--model-module` entry point: 64 dimensions, a fingerprint of its own.
export async function loadModel({ dims = 64 } = {}) {
  return fakeModel({
    dims,
    fingerprint: createHash('sha256').update(`fake-bow-v1-${dims}`).digest('hex'),
    delayMs: Number(process.env.FAKE_MODEL_DELAY_MS ?? 0),
    log: process.env.FAKE_MODEL_LOG,
  });
}

export function cosine(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
