// Real Chinese text for the segmenter's checks: Debian's DDTP zh_CN package descriptions
// (scripts/fetch-zh-corpus.sh) minus the packages kept for the independent check
// (../shared/data/zh-holdout-packages.txt, never used here), and the fortunes-zh files.

import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DDTP_PATH = path.join(root, '.cache/zh/Translation-zh_CN');
const HOLDOUT_PATH = path.join(root, '../shared/data/zh-holdout-packages.txt');
const FORTUNES = ['chinese', 'tang300', 'song100'].map((f) => `/usr/share/games/fortunes/${f}`);

export function holdoutPackages() {
  return new Set(readFileSync(HOLDOUT_PATH, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean));
}

/**
 * Parses Translation-zh_CN into { package, short, long } (long: paragraphs as one string each).
 * @param {string} text
 */
export function parseTranslations(text) {
  const out = [];
  for (const stanza of text.split(/\n\n+/)) {
    const pkg = /^Package: (.+)$/m.exec(stanza)?.[1]?.trim();
    const m = /^Description-zh_CN: (.*)$/m.exec(stanza);
    if (!pkg || !m) continue;
    const after = stanza.slice(m.index + m[0].length).split('\n').filter((l) => l.startsWith(' '));
    const paragraphs = [];
    let cur = [];
    for (const line of after) {
      if (line.trim() === '.') {
        if (cur.length) paragraphs.push(cur.join(''));
        cur = [];
      } else {
        cur.push(line.trim());
      }
    }
    if (cur.length) paragraphs.push(cur.join(''));
    out.push({ package: pkg, short: m[1].trim(), long: paragraphs });
  }
  return out;
}

/** DDTP descriptions outside the holdout list (throws with a hint when not fetched yet). */
export function ddtpDescriptions() {
  if (!existsSync(DDTP_PATH)) throw new Error(`${DDTP_PATH} is missing: run scripts/fetch-zh-corpus.sh`);
  const holdout = holdoutPackages();
  return parseTranslations(readFileSync(DDTP_PATH, 'utf8')).filter((d) => !holdout.has(d.package));
}

/** Lines of text (one text per line, no line breaks inside) for the F1 and speed comparison. */
export function corpora() {
  const ddtp = ddtpDescriptions().flatMap((d) => [d.short, ...d.long]).filter((s) => s.trim());
  const fortunes = FORTUNES.filter(existsSync).flatMap((f) => readFileSync(f, 'utf8')
    .replace(/\x1b\[[0-9;]*m/g, '')  // the files colour their attributions
    .split('\n').map((s) => s.trim()).filter((s) => s && s !== '%'));
  return { ddtp, fortunes };
}
