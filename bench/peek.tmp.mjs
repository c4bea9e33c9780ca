import * as localrec from 'localrec';
import { cachingModel, catalogueEmbeddings, loadCatalogue, loadSplit } from './lib/eval-data.mjs';
import { loadUseLiteOrt } from './lib/use-lite-ort.mjs';
await localrec.init();
const base = await loadUseLiteOrt(new URL('file:///work/wt/profile/web/models/use-lite/'));
const items = await loadCatalogue(); const split = await loadSplit();
const vecs = await catalogueEmbeddings(base, items);
const model = await cachingModel(base, items.map((it, i) => [it.text, vecs[i]]));
const byId = new Map(items.map((it) => [it.id, it]));
for (const name of process.argv.slice(2)) {
  const u = split.users.find((x) => x.user === name);
  const p = new localrec.InterestProfile(model, JSON.parse(process.env.OPTS ?? '{}'));
  await p.addPosts(u.history.filter((id) => byId.has(id)).map((id) => ({ id, text: byId.get(id).text, time: 0 })));
  console.log(`== ${name}: ${p.size} posts`);
  for (const it of p.interests({ labelTerms: 5 })) console.log(` ${it.weight.toFixed(2)} [${it.keywords.map((k) => k.text).join(', ')}] ${it.postIds.slice(0, 6).join(' ')}`);
  console.log(' keywords:', p.keywords({ limit: 15 }).map((k) => `${k.text}:${k.weight.toFixed(3)}`).join(', '));
  console.log(' words:', p.query('lexical', { termSource: 'words', maxTerms: 15 }).terms.map((t) => t.term).join(', '));
  p.dispose();
}
await model.save();
