// Prints an apt deb822 stanza list that adds `deb-src` for every `deb` source this machine already
// uses (same URIs, suites, components and signing key), so setup.sh can fetch Debian source
// packages from whatever mirror the machine is configured for, without naming one.
// Reads /etc/apt/sources.list, /etc/apt/sources.list.d/*.list and *.sources (APT_DIR overrides
// /etc/apt for tests). Exits 1 when there is no deb source to derive from.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const aptDir = process.env.APT_DIR ?? '/etc/apt';
const OWN = 'localrec-src.sources';
const read = (f) => { try { return readFileSync(f, 'utf8'); } catch { return ''; } };
const listDir = path.join(aptDir, 'sources.list.d');
let names = [];
try { names = readdirSync(listDir).sort(); } catch { /* no sources.list.d */ }

const stanzas = [];
const seen = new Set();
function add({ uris, suites, components, signedBy }) {
  const key = [uris, suites, components].join('|');
  if (seen.has(key) || !uris || !suites) return;
  seen.add(key);
  stanzas.push(['Types: deb-src', `URIs: ${uris}`, `Suites: ${suites}`,
    ...(components ? [`Components: ${components}`] : []), ...(signedBy ? [`Signed-By: ${signedBy}`] : [])].join('\n'));
}

// One-line format: deb [opt=value ...] URI SUITE COMPONENT...
for (const file of [path.join(aptDir, 'sources.list'), ...names.filter((n) => n.endsWith('.list')).map((n) => path.join(listDir, n))]) {
  for (const raw of read(file).split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(m[1] ?? '')?.[1];
    add({ uris: m[2], suites: m[3], components: m[4].trim(), signedBy });
  }
}

// deb822 format: stanzas separated by blank lines.
for (const name of names.filter((n) => n.endsWith('.sources') && n !== OWN)) {
  for (const block of read(path.join(listDir, name)).split(/\n\s*\n/)) {
    const fields = {};
    let last = null;
    for (const raw of block.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (/^\s/.test(raw) && last) { fields[last] += `\n${raw}`; continue; }  // continuation line
      const m = /^([\w-]+):\s*(.*)$/.exec(raw);
      if (m) { last = m[1].toLowerCase(); fields[last] = m[2]; }
    }
    if (!(fields.types ?? '').split(/\s+/).includes('deb') || /^(no|false)$/i.test(fields.enabled ?? '')) continue;
    add({ uris: fields.uris, suites: fields.suites, components: fields.components, signedBy: fields['signed-by'] });
  }
}

if (stanzas.length === 0) {
  console.error('deb-src: no `deb` source in /etc/apt to derive a deb-src entry from');
  process.exit(1);
}
console.log(stanzas.join('\n\n'));
