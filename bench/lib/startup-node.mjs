// One library user's start-up in a fresh Node process (run by bench/demo.mjs, which gives it a
// stored profile): init(), openModel({ defer: true }) and the demo catalogue read at once,
// Catalog.fromBytes, InterestProfile.fromBytes, the first rank (recommendations from the stored
// profile), then the encoder (whenReady) and one new post -> recommendations. Then the same again
// in this process (core and ONNX Runtime started: what a second page of an app would see). Prints
// one JSON line: times in ms from the process's start (performance.now() in Node), and the
// package's phases (loadTimings) of the first round.
// Usage: node bench/lib/startup-node.mjs <catalog.lrc> <profile.bin> <backend web|node>
import { readFile } from 'node:fs/promises';

const [catalogPath, profilePath, backend = 'web'] = process.argv.slice(2);
const POST = { id: 'bench-post', text: 'Looking for a program to plan observing sessions with my telescope' };

async function round(lr, stored) {
  const t0 = performance.now();
  await lr.init();
  const [pending, bytes] = await Promise.all([
    lr.openModel({ backend, defer: true }),
    readFile(catalogPath),
  ]);
  const catalog = lr.Catalog.fromBytes(bytes);
  const profile = lr.InterestProfile.fromBytes(pending, stored);
  const recs = profile.rank(catalog, { k: 10, diversity: 0.2 });
  if (recs.length !== 10) throw new Error(`startup-node: ${recs.length} recommendations`);
  const recsAt = performance.now();
  await pending.whenReady();
  const readyAt = performance.now();
  await profile.addPosts([{ ...POST, time: Date.now() }]);
  profile.rank(catalog, { k: 10, diversity: 0.2 });
  const postAt = performance.now();
  profile.dispose();
  catalog.dispose();
  await pending.dispose();
  return { start: t0, recs: recsAt - t0, ready: readyAt - t0, post: postAt - readyAt, recsAt, readyAt };
}

const lr = await import('localrec');
const stored = new Uint8Array(await readFile(profilePath));
const cold = await round(lr, stored);
const phases = lr.loadTimings().entries;
const warm = await round(lr, stored);
console.log(JSON.stringify({ cold, warm, phases }));
