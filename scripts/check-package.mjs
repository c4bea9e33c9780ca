// prepack: refuses to pack a package that would not work once installed: the wasm core and every
// file web/assets.js names (the embedded default model, the worker) must exist. npm pack and
// npm publish run it; the bundler integration test packs through it too.
import { existsSync, readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const assets = readFileSync(new URL('web/assets.js', root), 'utf8');
const named = [...assets.matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)].map((m) => m[1]);
const missing = [];
for (const rel of ['dist/localrec_core.mjs', ...named]) {
  const url = new URL(rel, new URL('web/', root));
  if (!existsSync(url) || statSync(url).size === 0) missing.push(`web/${rel.replace(/^\.\//, '')}`);
}
for (const f of ['LICENSE', 'README.md']) if (!existsSync(new URL(f, root))) missing.push(f);
if (missing.length) {
  console.error(`prepack: missing ${missing.join(', ')}; run \`npm run build\` (scripts/build.sh wasm models) first`);
  process.exit(1);
}
console.error(`prepack: ${named.length} runtime files named in web/assets.js are present`);
