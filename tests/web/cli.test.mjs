// The `localrec` command line, run as a user runs it (a child process), with the deterministic
// fake embedder of dev/fake-model.mjs standing in for the real model.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { init, Catalog } from 'localrec';
import { loadModel, embedText } from '../../dev/fake-model.mjs';

const CLI = fileURLToPath(new URL('../../web/cli.js', import.meta.url));
const FAKE = fileURLToPath(new URL('../../dev/fake-model.mjs', import.meta.url));
let model;

function run(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function topics(n) {
  const words = ['telescope astronomy stars', 'photo image editor', 'text editor programming',
                 'strategy game', 'music audio recording', 'web server network'];
  return Array.from({ length: n }, (_, i) => JSON.stringify({
    id: `item-${i}`, title: `Item ${i}`, text: `${words[i % words.length]} number ${i} ${'detail '.repeat(i % 5)}`,
    ...(i % 3 === 0 ? { tags: [`group::${i % 6}`] } : {}), ...(i % 4 === 0 ? { url: `https://example.org/${i}` } : {}),
  })).join('\n') + '\n';
}

before(async () => {
  await init();
  model = await loadModel();
});

test('build-catalog reports and skips bad lines, keeps the rest, and the result searches', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-cli-'));
  const input = join(dir, 'items.jsonl');
  const lines = [
    JSON.stringify({ id: 'a', title: 'Stargazer', text: 'Planetarium with telescope control and star charts', tags: ['astro', 'gui'], url: 'https://a.example' }),
    '{"id": "b", "text": "broken json',
    JSON.stringify({ text: 'no id here' }),
    JSON.stringify({ id: 'c' }),
    JSON.stringify({ id: 'a', text: 'duplicate of a' }),
    '',
    JSON.stringify({ id: 'd', text: 'Image editor for photos, layers and painting '.repeat(20) }),
    JSON.stringify({ id: 'e', text: 'tags are wrong', tags: 'astro' }),
    JSON.stringify({ id: 'f', text: 'lone \ud800 surrogate escape' }),
    '[1, 2, 3]',
    JSON.stringify({ id: 'g', text: 'Text editor for programmers' }),
  ];
  const bytes = Buffer.concat([
    Buffer.from(lines.slice(0, 8).join('\n') + '\n'),
    Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]),  // {"id":"\xff"}
    Buffer.from(lines.slice(8).join('\n') + '\n'),
  ]);
  writeFileSync(input, bytes);
  const output = join(dir, 'catalog.lrc');
  const r = await run(['build-catalog', input, '-o', output, '--model-module', FAKE, '--batch-size', '2', '--text-chars', '40']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /line 2: bad JSON/);
  assert.match(r.stderr, /line 3: missing or empty "id"/);
  assert.match(r.stderr, /line 4: missing or empty "text"/);
  assert.match(r.stderr, /line 5: duplicate id 'a' \(first on line 1\)/);
  assert.match(r.stderr, /line 8: "tags" must be an array/);
  assert.match(r.stderr, /line 9: invalid UTF-8/);
  assert.match(r.stderr, /line 10: .*surrogate/);
  assert.match(r.stderr, /line 11: not a JSON object/);
  assert.match(r.stderr, /3 items \(8 bad lines skipped\)/);
  assert.ok(!existsSync(`${output}.ckpt`), 'checkpoint removed after success');

  const catalog = Catalog.fromBytes(readFileSync(output));
  assert.equal(catalog.size, 3);
  assert.deepEqual([0, 1, 2].map((i) => catalog.id(i)), ['a', 'd', 'g']);
  assert.equal(catalog.modelFingerprint, model.fingerprint);
  assert.deepEqual(catalog.metadata('a'), {
    title: 'Stargazer', url: 'https://a.example', text: 'Planetarium with telescope control and…', tags: ['astro', 'gui'],
  });
  assert.ok(Array.from(catalog.metadata('d').text).length <= 41);
  // The vectors are the model's embeddings of `text`.
  const v = catalog.vector('g');
  const expected = embedText('Text editor for programmers', model.dims);
  for (let d = 0; d < v.length; d++) assert.ok(Math.abs(v[d] - expected[d]) < 0.01);
  // The lexical part covers title and text.
  assert.equal(catalog.search(null, { terms: [{ term: 'stargazer', weight: 1 }] })[0].id, 'a');
  assert.equal(catalog.search(embedText('photo image editor', model.dims), { k: 1 })[0].id, 'd');
  catalog.dispose();

  const inspect = await run(['inspect', output]);
  assert.equal(inspect.code, 0, inspect.stderr);
  assert.match(inspect.stdout, /valid localrec catalogue/);
  assert.match(inspect.stdout, /items 3, dims 64, precision int8, lexical part yes/);
  const json = JSON.parse((await run(['inspect', output, '--json', '-n', '1'])).stdout);
  assert.equal(json.items, 3);
  assert.equal(json.sample.length, 1);
  assert.equal(json.modelFingerprint, model.fingerprint);
});

test('an interrupted build resumes where it stopped and gives the same file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-resume-'));
  const input = join(dir, 'items.jsonl.gz');
  writeFileSync(input, gzipSync(topics(300)));
  const reference = join(dir, 'reference.lrc');
  const ref = await run(['build-catalog', input, '-o', reference, '--model-module', FAKE, '--batch-size', '10', '-q']);
  assert.equal(ref.code, 0, ref.stderr);

  const output = join(dir, 'catalog.lrc');
  const checkpoint = `${output}.ckpt`;
  const slow = spawn(process.execPath, [CLI, 'build-catalog', input, '-o', output, '--model-module', FAKE,
                                        '--batch-size', '10', '-q'],
                     { env: { ...process.env, FAKE_MODEL_DELAY_MS: '40' }, stdio: 'ignore' });
  const record = 4 + 4 * model.dims;
  // Kill it once a few batches are on disk, without warning (SIGKILL).
  await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(checkpoint) && statSync(checkpoint).size > 200 + 5 * 10 * record) {
        clearInterval(timer);
        slow.kill('SIGKILL');
        resolve();
      }
    }, 5);
    slow.on('exit', () => { clearInterval(timer); reject(new Error('the build finished before it could be interrupted')); });
  });
  await new Promise((r) => slow.on('close', r));
  assert.ok(!existsSync(output), 'no output after an interrupted build');
  // Simulate a cut-off write: half a record at the end of the checkpoint.
  appendFileSync(checkpoint, Buffer.alloc(record / 2, 7));

  const log = join(dir, 'embedded.log');
  const resumed = await run(['build-catalog', input, '-o', output, '--model-module', FAKE, '--batch-size', '10'],
                            { FAKE_MODEL_LOG: log });
  assert.equal(resumed.code, 0, resumed.stderr);
  const match = resumed.stderr.match(/(\d+) already embedded \(resuming\), (\d+) to go/);
  assert.ok(match, resumed.stderr);
  const [done, togo] = [Number(match[1]), Number(match[2])];
  assert.ok(done >= 50 && done < 300, `resumed after ${done} items`);
  assert.equal(done + togo, 300);
  const embeddedNow = readFileSync(log, 'utf8').trim().split('\n').length;
  assert.equal(embeddedNow, togo, 'only the missing items were embedded');
  assert.deepEqual(readFileSync(output), readFileSync(reference));
  assert.ok(!existsSync(checkpoint));
});

test('a checkpoint of another input is not used; --no-resume starts over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-stale-'));
  const input = join(dir, 'items.jsonl');
  writeFileSync(input, topics(20));
  const output = join(dir, 'out.lrc');
  writeFileSync(`${output}.ckpt`, `${JSON.stringify({ format: 'localrec-build-checkpoint', version: 1, input: 'ff'.repeat(32), model: model.fingerprint, dims: 64 })}\n`);
  const r = await run(['build-catalog', input, '-o', output, '--model-module', FAKE]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /checkpoint is for another input file, starting over/);
  const again = await run(['build-catalog', input, '-o', join(dir, 'b.lrc'), '--model-module', FAKE, '--no-resume', '--precision', 'float32']);
  assert.equal(again.code, 0, again.stderr);
  const c = Catalog.fromBytes(readFileSync(join(dir, 'b.lrc')));
  assert.equal(c.precision, 'float32');
  assert.equal(c.size, 20);
  c.dispose();
});

test('errors: a corrupt catalogue, a missing input, bad options', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-err-'));
  const bad = join(dir, 'bad.lrc');
  writeFileSync(bad, Buffer.from('not a catalogue at all, just some text that is long enough to pass the size check......'));
  const r = await run(['inspect', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /corrupt catalogue: not a localrec catalogue/);
  const missing = await run(['build-catalog', join(dir, 'none.jsonl'), '-o', join(dir, 'x.lrc'), '--model-module', FAKE]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /none\.jsonl: no such file/);
  const badOpt = await run(['build-catalog', bad, '-o', join(dir, 'x.lrc'), '--batch-size', '0']);
  assert.notEqual(badOpt.code, 0);
  assert.match(badOpt.stderr, /integer >= 1/);
});

test('the input is checked before the model loads: a missing file, no items, a bad --name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-input-'));
  // A model module that records being loaded: none of these may reach it.
  const marker = join(dir, 'model-loaded');
  const spy = join(dir, 'spy-model.mjs');
  writeFileSync(spy, `import { writeFileSync } from 'node:fs';\nexport async function loadModel() { writeFileSync(${JSON.stringify(marker)}, '1'); throw new Error('loaded'); }\n`);
  const missing = await run(['build-catalog', join(dir, 'none.jsonl'), '-o', join(dir, 'x.lrc'), '--model-module', spy]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /none\.jsonl: no such file/);
  writeFileSync(join(dir, 'empty.jsonl'), '');
  const empty = await run(['build-catalog', join(dir, 'empty.jsonl'), '-o', join(dir, 'x.lrc'), '--model-module', spy]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /has no items: the file is empty/);
  writeFileSync(join(dir, 'bad.jsonl'), '{"id":"a"}\nnot json\n');
  const bad = await run(['build-catalog', join(dir, 'bad.jsonl'), '-o', join(dir, 'x.lrc'), '--model-module', spy]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /has no items: all 2 lines are bad \(line 1: missing or empty "text"/);
  writeFileSync(join(dir, 'one.jsonl'), '{"id":"a","text":"a text"}\n');
  const name = await run(['build-catalog', join(dir, 'one.jsonl'), '-o', join(dir, 'x.lrc'), '--name', 'no-such-model']);
  assert.equal(name.code, 1);
  assert.match(name.stderr, /--name no-such-model: the package ships .*use-lite/);
  assert.equal(existsSync(marker), false, 'the model was loaded before the input was checked');
  assert.equal(existsSync(join(dir, 'x.lrc')), false);
});

test('--version, models, fetch-model --list, copy-assets', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.equal((await run(['--version'])).stdout.trim(), pkg.version);
  const models = (await run(['models'])).stdout.trim().split('\n');
  assert.ok(models.includes('use-lite') && models.includes('use-lite-bert-2x128'), models.join(','));
  const list = await run(['fetch-model', '--list']);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /all-MiniLM-L6-v2/);
  const dir = mkdtempSync(join(tmpdir(), 'localrec-assets-'));
  const copied = await run(['copy-assets', dir]);
  assert.equal(copied.code, 0, copied.stderr);
  for (const f of ['dist/localrec_core.wasm', 'models/use-lite/manifest.json', 'models/use-lite/model.onnx',
    'models/use-lite/vocab.json', 'ort-wasm-simd-threaded.wasm']) {
    assert.ok(statSync(join(dir, f)).size > 0, f);
  }
});

test('build-catalog --name uses a model the package ships', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-name-'));
  writeFileSync(join(dir, 'items.jsonl'), topics(3));
  const r = await run(['build-catalog', join(dir, 'items.jsonl'), '-o', join(dir, 'c.lrc'), '--name', 'use-lite-bert-2x128', '-q']);
  assert.equal(r.code, 0, r.stderr);
  const c = Catalog.fromBytes(readFileSync(join(dir, 'c.lrc')));
  const manifest = JSON.parse(readFileSync(new URL('../../web/models/use-lite-bert-2x128/manifest.json', import.meta.url), 'utf8'));
  assert.equal(c.dims, manifest.dims);
  assert.equal(c.size, 3);
  c.dispose();
});
