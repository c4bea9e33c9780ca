// How the package finds its runtime files, and what it says when they are not there: an HTML page
// in place of a file (a single-page app's fallback) or a 404 fails with the URL and what to do,
// never with "Unexpected token '<'" or "expected magic word 00 61 73 6d"; progress events carry
// { file, loaded, total, status } with total known; a worker that cannot start says where and why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createWorker, loadModel, ModelLoadError } from 'localrec';
import { defaultModelFiles, coreWasmUrl } from 'localrec/assets';

const ROOT = new URL('../../', import.meta.url);
const USE_LITE = new URL('web/models/use-lite/', ROOT);
const HTML = '<!doctype html><html><body>my app</body></html>';

let server;
let base;
before(async () => {
  // /spa/*: every path answers index.html (status 200), like a dev server's fallback.
  // /real/*: the default model's files; /real-missing/*: the manifest only.
  server = http.createServer((req, res) => {
    const [, where, file] = /^\/([^/]+)\/(.*)$/.exec(req.url) ?? [];
    if (where === 'spa') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
    } else if (where === 'real' || (where === 'real-missing' && file === 'manifest.json')) {
      const bytes = readFileSync(new URL(file, USE_LITE));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));

test('web/assets.js names the default model file by file, and the files are the bundle', () => {
  const files = defaultModelFiles();
  const manifest = JSON.parse(readFileSync(files['manifest.json'], 'utf8'));
  assert.deepEqual(Object.keys(files).sort(), ['manifest.json', manifest.model.file, manifest.tokenizer.file].sort());
  for (const url of Object.values(files)) assert.equal(url.href.startsWith(USE_LITE.href), true, url.href);
  assert.equal(readFileSync(coreWasmUrl()).subarray(0, 4).toString('hex'), '0061736d');
});

test('an HTML page served in place of a model file: NotAFile with the URL and what to do', async () => {
  await assert.rejects(loadModel({ url: `${base}/spa/`, cache: false }), (e) => {
    assert.ok(e instanceof ModelLoadError);
    assert.equal(e.code, 'NotAFile');
    assert.equal(e.url, `${base}/spa/manifest.json`);
    assert.match(e.message, /served an HTML page instead of the model file manifest\.json/);
    assert.match(e.message, /copy-assets/);
    assert.doesNotMatch(e.message, /Unexpected token/);
    return true;
  });
});

test('a missing model file: NotFound naming the file and where it was looked for', async () => {
  await assert.rejects(loadModel({ url: `${base}/real-missing/`, cache: false }), (e) => {
    assert.equal(e.code, 'NotFound');
    assert.match(e.message, /model\.onnx is missing from http:\/\/127\.0\.0\.1:\d+\/real-missing\//);
    return true;
  });
});

test('progress events: { file, url, loaded, total, status } per file, total known, a final done', async () => {
  const events = [];
  const model = await loadModel({ url: `${base}/real/`, cache: false, onProgress: (p) => events.push(p) });
  try {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', USE_LITE), 'utf8'));
    const onnx = events.filter((e) => e.file === manifest.model.file);
    assert.ok(onnx.length >= 2, `model.onnx events: ${JSON.stringify(onnx)}`);
    for (const e of onnx) {
      assert.deepEqual(Object.keys(e).sort(), e.status === 'done' ? ['file', 'loaded', 'status', 'total'] : ['file', 'loaded', 'status', 'total', 'url']);
      assert.equal(e.total, manifest.model.bytes);
      assert.ok(e.loaded <= e.total);
    }
    assert.equal(onnx.at(-1).status, 'done');
    assert.equal(onnx.at(-1).loaded, manifest.model.bytes);
    assert.ok(onnx.slice(0, -1).every((e) => e.status === 'download'));
    for (let i = 1; i < onnx.length - 1; ++i) assert.ok(onnx[i].loaded >= onnx[i - 1].loaded);
    assert.ok(events.some((e) => e.file === manifest.tokenizer.file && e.status === 'done'));
  } finally {
    await model.dispose();
  }
});

// init() loads the core once per process: each case runs in its own process (asynchronously: this
// process serves the files).
async function initIn(wasmUrl) {
  const code = `import { init } from 'localrec';
    init({ wasmUrl: ${JSON.stringify(wasmUrl)} }).then(() => console.log('ok'),
      (e) => console.log(JSON.stringify({ code: e.code, url: e.url, message: e.message })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  return stdout.trim();
}

test('the wasm core served as HTML or missing: the URL and the remedy, not a magic-word abort', async () => {
  const html = JSON.parse(await initIn(`${base}/spa/localrec_core.wasm`));
  assert.equal(html.code, 'NotAFile');
  assert.equal(html.url, `${base}/spa/localrec_core.wasm`);
  assert.match(html.message, /served an HTML page instead of the wasm core/);
  assert.doesNotMatch(html.message, /magic word/);
  const missing = JSON.parse(await initIn(`${base}/nowhere/localrec_core.wasm`));
  assert.equal(missing.code, 'NotFound');
  assert.match(missing.message, /init\(\{ wasmUrl \}\)/);
});

test('a worker whose script cannot load: createWorker() rejects naming the URL and the reason', async () => {
  const url = new URL('web/no-such-worker.js', ROOT);
  await assert.rejects(createWorker({ url }), (e) => {
    assert.equal(e.code, 'WorkerFailed');
    assert.ok(e.message.includes(url.href) || e.message.includes(url.pathname), e.message);
    assert.match(e.message, /Cannot find module/);
    return true;
  });
});
