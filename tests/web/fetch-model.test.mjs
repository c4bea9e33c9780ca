// web/fetch-model.mjs against a local HTTP server (node:http) that serves the generated tiny BERT
// (web/models/tiny-bert, scripts/build-models.sh) in the Hub's URL layout: download,
// verification, resume with HTTP Range after a dropped connection (within a run and across
// runs), corrupt bytes, servers without Range support, missing files, unpinned entries, and
// that no half-downloaded model folder ever appears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchModel, listModels, registry, FetchError } from '../../web/fetch-model.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = path.join(ROOT, 'web/models/tiny-bert');
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json',
  'vocab.txt', 'onnx/model_quantized.onnx'];
const REPO = 'localrec-test/tiny-bert';
const REV_A = 'a'.repeat(40);
const REV_B = 'b'.repeat(40);
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

let content; // file -> Buffer
let tmp;
const quiet = () => {};
const MODEL = 'onnx/model_quantized.onnx';
const tiny = (e = entry()) => ({ name: 'tiny', entry: e });

before(() => {
  assert.ok(existsSync(path.join(SOURCE, 'config.json')),
    'web/models/tiny-bert is missing: run scripts/build-models.sh');
  content = new Map(FILES.map((f) => [f, readFileSync(path.join(SOURCE, f))]));
  tmp = mkdtempSync(path.join(os.tmpdir(), 'localrec-fetch-'));
});

after(() => rmSync(tmp, { recursive: true, force: true }));

function entry({ revision = REV_A, pin = true, files = content, extra = {} } = {}) {
  return {
    repo: REPO,
    revision,
    description: 'tiny random BERT served by the test',
    license: 'Apache-2.0',
    dims: 128,
    maxLength: 512,
    pooling: 'mean',
    normalize: true,
    model: 'onnx/model_quantized.onnx',
    tokenizer: { kind: 'wordpiece', format: 'tokenizer.json', file: 'tokenizer.json' },
    files: Object.fromEntries([...files].map(([f, buf]) => [f, { sha256: pin ? sha256(buf) : null }])),
    ...extra,
  };
}

/**
 * Serves `files` under /<repo>/resolve/<revision>/<file>. `behave(file, req, res, buf, n)` may
 * take over a request (n = how many times that file was asked for) by returning true.
 */
async function serve(files, { ranges = true, behave } = {}) {
  const requests = [];
  const counts = new Map();
  const server = http.createServer((req, res) => {
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(req.url));
    const file = m?.[3];
    const buf = m && m[1] === REPO ? files.get(file) : undefined;
    requests.push({ file, revision: m?.[2], range: req.headers.range ?? null });
    if (!buf) {
      res.writeHead(404).end('not found');
      return;
    }
    const n = (counts.get(file) ?? 0) + 1;
    counts.set(file, n);
    if (behave?.(file, req, res, buf, n)) return;
    const range = ranges && /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      if (start >= buf.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${buf.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'Content-Length': buf.length - start,
        'Content-Range': `bytes ${start}-${buf.length - 1}/${buf.length}`,
      });
      res.end(buf.subarray(start));
      return;
    }
    res.writeHead(200, { 'Content-Length': buf.length });
    res.end(buf);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

/**
 * Sends the headers of the whole file and half of its bytes, then closes the connection. How
 * many of those bytes reach the client's disk depends on timing (a fetch body stream that errors
 * drops the chunks it still had queued), so the tests check that the download resumes exactly
 * where the bytes on disk end, not at a fixed offset.
 */
function dropHalfWay(res, buf) {
  res.writeHead(200, { 'Content-Length': buf.length });
  res.write(buf.subarray(0, buf.length >> 1), () => setTimeout(() => res.socket.end(), 100));
  return true;
}

function rangeStart(request) {
  const m = /^bytes=(\d+)-$/.exec(request.range ?? '');
  return m ? Number(m[1]) : null;
}

function assertSameFiles(dir, files = content) {
  for (const [f, buf] of files) {
    assert.ok(readFileSync(path.join(dir, f)).equals(buf), `${f} differs from the served file`);
  }
}

function freshDest(name) {
  return mkdtempSync(path.join(tmp, `${name}-`));
}

test('downloads, verifies every file and writes a localrec manifest beside the HF files', async () => {
  const server = await serve(content);
  const dest = freshDest('ok');
  try {
    const res = await fetchModel(tiny(), { dest, baseUrl: server.url, log: quiet });
    assert.equal(res.cached, false);
    assert.equal(res.dir, path.join(dest, 'tiny'));
    assertSameFiles(res.dir);
    assert.deepEqual(res.files.map((f) => f.status), FILES.map(() => 'verified'));
    const manifest = JSON.parse(readFileSync(path.join(res.dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.format, 'localrec-model');
    assert.equal(manifest.formatVersion, 1);
    assert.equal(manifest.name, 'tiny');
    assert.equal(manifest.model.file, 'onnx/model_quantized.onnx');
    assert.equal(manifest.model.sha256, sha256(content.get(MODEL)));
    assert.equal(manifest.model.bytes, content.get(MODEL).length);
    assert.deepEqual(manifest.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
    assert.equal(manifest.output, 'last_hidden_state');
    assert.equal(manifest.pooling, 'mean');
    assert.equal(manifest.vocabSize, 30522);  // read from the downloaded config.json
    assert.equal(manifest.tokenizer.sha256, sha256(content.get('tokenizer.json')));
    assert.equal(manifest.fetched.revision, REV_A);
    assert.ok(server.requests.every((r) => r.revision === REV_A && r.range === null));
    // Only the model folder is left: no staging folder, no part files.
    assert.deepEqual(readdirSync(dest), ['tiny']);

    // A second call finds the verified folder and downloads nothing.
    const before = server.requests.length;
    const again = await fetchModel(tiny(), { dest, baseUrl: server.url, log: quiet });
    assert.equal(again.cached, true);
    assert.equal(server.requests.length, before);
  } finally {
    await server.close();
  }
});

test('a connection dropped half-way is resumed with a Range request, not restarted', async () => {
  const model = content.get(MODEL);
  const server = await serve(content, {
    behave: (file, req, res, buf, n) => file === MODEL && n === 1 && dropHalfWay(res, buf),
  });
  const dest = freshDest('drop');
  const logs = [];
  try {
    const res = await fetchModel({ name: 'tiny', entry: entry() },
      { dest, baseUrl: server.url, log: (m) => logs.push(m) });
    assertSameFiles(res.dir);
    const asked = server.requests.filter((r) => r.file === MODEL);
    assert.equal(asked.length, 2);
    const start = rangeStart(asked[1]);
    assert.ok(start > 0 && start <= model.length >> 1, `resumed with ${asked[1].range}`);
    assert.ok(logs.some((m) => /resuming/.test(m)), logs.join('\n'));
  } finally {
    await server.close();
  }
});

test('resume across runs: a failed run leaves no model folder, the next run continues the bytes', async () => {
  const model = content.get(MODEL);
  let drop = true;
  const server = await serve(content, {
    behave: (file, req, res, buf) => file === MODEL && drop && dropHalfWay(res, buf),
  });
  const dest = freshDest('runs');
  try {
    await assert.rejects(
      fetchModel(tiny(), { dest, baseUrl: server.url, retries: 0, log: quiet }),
      (err) => err instanceof FetchError && /model_quantized\.onnx/.test(err.message) && /resume/.test(err.message));
    assert.ok(!existsSync(path.join(dest, 'tiny')), 'a model folder appeared after a failed download');
    const part = path.join(dest, '.tiny.partial', 'onnx', 'model_quantized.onnx.part');
    const kept = statSync(part).size;
    assert.ok(kept > 0 && kept <= model.length >> 1, `kept ${kept} bytes`);

    drop = false;
    const res = await fetchModel(tiny(), { dest, baseUrl: server.url, log: quiet });
    assertSameFiles(res.dir);
    const asked = server.requests.filter((r) => r.file === MODEL);
    assert.equal(asked.at(-1).range, `bytes=${kept}-`);
    // Files completed by the first run were not downloaded again.
    assert.equal(server.requests.filter((r) => r.file === 'config.json').length, 1);
    assert.deepEqual(readdirSync(dest), ['tiny']);
  } finally {
    await server.close();
  }
});

test('corrupt bytes fail verification, are deleted, and no model folder appears', async () => {
  const bad = Buffer.from(content.get(MODEL));
  bad[bad.length >> 2] ^= 0x40;
  const server = await serve(new Map([...content, ['onnx/model_quantized.onnx', bad]]));
  const dest = freshDest('corrupt');
  try {
    await assert.rejects(
      fetchModel(tiny(), { dest, baseUrl: server.url, log: quiet }),
      (err) => err.code === 'verification_failed' && /model_quantized\.onnx/.test(err.message)
        && err.message.includes(sha256(bad)));
    assert.ok(!existsSync(path.join(dest, 'tiny')));
    const staged = path.join(dest, '.tiny.partial', 'onnx');
    assert.deepEqual(existsSync(staged) ? readdirSync(staged) : [], [], 'the corrupt bytes were kept');
  } finally {
    await server.close();
  }
  // The same destination then fetches cleanly from a good server.
  const good = await serve(content);
  try {
    const res = await fetchModel(tiny(), { dest, baseUrl: good.url, log: quiet });
    assertSameFiles(res.dir);
  } finally {
    await good.close();
  }
});

test('a server without Range support: the download restarts from byte 0 and still verifies', async () => {
  const server = await serve(content, {
    ranges: false,
    behave: (file, req, res, buf, n) => file === MODEL && n === 1 && dropHalfWay(res, buf),
  });
  const dest = freshDest('norange');
  try {
    const res = await fetchModel(tiny(), { dest, baseUrl: server.url, log: quiet });
    assertSameFiles(res.dir);
  } finally {
    await server.close();
  }
});

test('missing files: a required one fails with the URL and status, an optional one is skipped', async () => {
  const without = (f) => new Map([...content].filter(([k]) => k !== f));
  const dest = freshDest('missing');
  let server = await serve(without('tokenizer.json'));
  try {
    await assert.rejects(
      fetchModel(tiny(), { dest, baseUrl: server.url, log: quiet }),
      (err) => err.code === 'not_found' && err.message.includes(`${server.url}/${REPO}/resolve/${REV_A}/tokenizer.json`)
        && /HTTP 404/.test(err.message));
    assert.ok(!existsSync(path.join(dest, 'tiny')));
  } finally {
    await server.close();
  }
  server = await serve(without('vocab.txt'));
  try {
    const e = entry();
    e.files['vocab.txt'] = { sha256: null, optional: true };
    const res = await fetchModel(tiny(e), { dest, baseUrl: server.url, log: quiet });
    assert.equal(res.files.find((f) => f.file === 'vocab.txt').status, 'absent');
    assert.ok(!existsSync(path.join(res.dir, 'vocab.txt')));
    assert.ok(!('vocab.txt' in res.manifest.fetched.files));
  } finally {
    await server.close();
  }
});

test('unpinned files and revisions are reported loudly; strict mode refuses them', async () => {
  const server = await serve(content);
  const dest = freshDest('unpinned');
  const logs = [];
  try {
    const e = entry({ revision: 'main', pin: false });
    await assert.rejects(
      fetchModel(tiny(e), { dest, baseUrl: server.url, strict: true, log: quiet }),
      (err) => err.code === 'unpinned');
    assert.equal(server.requests.length, 0, 'strict mode downloaded before refusing');
    const res = await fetchModel({ name: 'tiny', entry: e },
      { dest, baseUrl: server.url, log: (m) => logs.push(m) });
    assert.deepEqual(res.files.map((f) => f.status), FILES.map(() => 'unpinned'));
    assert.deepEqual(res.files.map((f) => f.sha256), FILES.map((f) => sha256(content.get(f))));
    assert.ok(logs.some((m) => /revision "main".*UNPINNED/.test(m)), logs.join('\n'));
    for (const f of FILES) assert.ok(logs.some((m) => m.includes(`${f} is UNPINNED`)), f);
    assert.equal(res.manifest.fetched.revisionPinned, false);
  } finally {
    await server.close();
  }
});

test('a new revision replaces the folder atomically; stale partial files are not mixed in', async () => {
  const changed = new Map(content);
  changed.set('config.json', Buffer.from(content.get('config.json').toString().replace('"tiny"', '"tiny-b"')));
  const dest = freshDest('revisions');
  let server = await serve(content);
  try {
    await fetchModel(tiny(), { dest, baseUrl: server.url, log: quiet });
  } finally {
    await server.close();
  }
  server = await serve(changed);
  try {
    const res = await fetchModel({ name: 'tiny', entry: entry({ revision: REV_B, files: changed }) },
      { dest, baseUrl: server.url, log: quiet });
    assert.equal(res.cached, false);
    assertSameFiles(res.dir, changed);
    assert.equal(res.manifest.fetched.revision, REV_B);
    assert.deepEqual(readdirSync(dest), ['tiny']);
  } finally {
    await server.close();
  }
});

test('the registry: every entry is well formed, pins what it claims, and unknown names fail clearly', async () => {
  const models = registry();
  for (const name of ['all-MiniLM-L6-v2', 'bge-small-en-v1.5', 'e5-small-v2', 'paraphrase-multilingual-MiniLM-L12-v2']) {
    const e = models[name];
    assert.ok(e, name);
    assert.ok(e.files[e.model] && e.files[e.tokenizer.file], name);
    assert.ok([384].includes(e.dims) && ['mean', 'cls'].includes(e.pooling), name);
    for (const spec of Object.values(e.files)) {
      assert.ok(spec.sha256 === null || /^[0-9a-f]{64}$/.test(spec.sha256), name);
    }
  }
  const minilm = models['all-MiniLM-L6-v2'];
  assert.match(minilm.revision, /^[0-9a-f]{40}$/);
  assert.match(minilm.files[minilm.model].sha256, /^[0-9a-f]{64}$/);
  assert.equal(listModels().length, Object.keys(models).length);
  await assert.rejects(fetchModel('no-such-model', { dest: freshDest('x'), log: quiet }),
    (err) => err.code === 'unknown_model' && /all-MiniLM-L6-v2/.test(err.message));
  const out = execFileSync(process.execPath, [path.join(ROOT, 'web/fetch-model.mjs'), '--list'], { encoding: 'utf8' });
  for (const name of Object.keys(models)) assert.match(out, new RegExp(name.replace(/[.]/g, '\\.')));
});
