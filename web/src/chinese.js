// The Chinese dictionary of the shared analyser (src/core/text/zh_segmenter.h): jieba's word
// list and HMM with OpenCC's Traditional -> Simplified table, 1.5 MB gzipped. It is a separate
// asset, fetched only when Han text is first analysed, so users who never write Chinese never
// download it. Loading is explicit for the synchronous paths (see docs/chinese.md).

import { getCore } from './core.js';
import { zhDictionaryUrl } from '../assets.js';
import { readRuntimeFile } from './bundle.js';

// The same ranges as IsHan() in the core.
const HAN = /[\u3007\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3134F}]/u;

let loading = null;

/**
 * True when `text` has a Han character (the analyser then needs the dictionary), also one that
 * only NFKC (the analyser's first step) makes Han: ⼈ (a Kangxi radical) or ㊥.
 */
export function hasHan(text) {
  return typeof text === 'string' && (HAN.test(text) || (!isAscii(text) && HAN.test(text.normalize('NFKC'))));
}

function isAscii(text) {
  return !/[^\x00-\x7f]/.test(text);
}

/** True once the Chinese dictionary is installed in the core. */
export function chineseLoaded() {
  return getCore().chineseDictionaryLoaded();
}

async function inflate(bytes) {
  // gzip magic: the asset as built. A server that already decoded it (Content-Encoding) hands
  // over the raw dictionary, which starts with "LRZHDIC".
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Loads the Chinese dictionary into the core (idempotent; the first call's options win).
 * By default from `localrec-zh.dict.gz` next to the wasm core; `url` or `bytes` override that.
 * Needs `await init()` first.
 * @param {{ url?: string | URL, bytes?: ArrayBuffer | Uint8Array }} [options]
 * @returns {Promise<void>}
 */
export function loadChinese(options = {}) {
  getCore();  // throws a clear error before init()
  if (loading) return loading;
  loading = (async () => {
    let bytes;
    if (options.bytes) {
      bytes = options.bytes instanceof Uint8Array ? options.bytes : new Uint8Array(options.bytes);
    } else {
      // web/assets.js names the file with a static URL, so Vite and webpack emit it and
      // `localrec copy-assets` copies it (docs/bundlers.md).
      const url = new URL(String(options.url ?? zhDictionaryUrl()), globalThis.location?.href);
      bytes = await readRuntimeFile(url,
        { what: 'the Chinese dictionary (localrec-zh.dict.gz)', option: 'loadChinese({ url })' });
    }
    getCore().loadChineseDictionary(await inflate(bytes));
  })();
  loading.catch(() => { loading = null; });  // a failed load may be retried
  return loading;
}

/** Loads the dictionary if any of `texts` has Han characters and it is not loaded yet. */
export async function ensureChinese(texts) {
  if (loading) return loading;
  if (texts.some(hasHan)) return loadChinese();
  return undefined;
}

/** The shared analyser's terms for `text` (what BM25 indexes and queries); for tests and tools. */
export function analyzeTerms(text) {
  if (typeof text !== 'string') throw new TypeError('localrec: analyzeTerms takes a string');
  return getCore().analyzeTerms(text);
}
