// Real texts for the benchmarks: Debian package descriptions from ../shared/data (mixed lengths,
// as posts are), or the committed test sentences when that folder is absent (said loudly).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

// ../shared/data beside the checkout, or wherever LOCALREC_SHARED_DATA points.
const SHARED = process.env.LOCALREC_SHARED_DATA
  ? new URL(`file://${process.env.LOCALREC_SHARED_DATA.replace(/\/?$/, '/')}debian-apps.jsonl.gz`)
  : new URL('../../shared/data/debian-apps.jsonl.gz', import.meta.url);
const FALLBACK = new URL('../tests/fixtures/sentences.jsonl', import.meta.url);

/** `n` real texts and where they came from. */
export function benchTexts(n) {
  if (existsSync(SHARED)) {
    const lines = gunzipSync(readFileSync(SHARED)).toString('utf8').trim().split('\n');
    return { source: `${lines.length} Debian descriptions (../shared/data)`,
      texts: lines.slice(0, n).map((l) => JSON.parse(l).text) };
  }
  console.warn('bench: ../shared/data is absent; using the committed test sentences instead');
  const lines = readFileSync(FALLBACK, 'utf8').trim().split('\n').map((l) => JSON.parse(l).text);
  const texts = [];
  while (texts.length < n) texts.push(...lines);
  return { source: 'tests/fixtures/sentences.jsonl (repeated)', texts: texts.slice(0, n) };
}
