#!/usr/bin/env node
// Serves the demo page (web/demo/) and what it loads (the package, the model bundle, the demo
// catalogue, onnxruntime-web) from this checkout on 127.0.0.1, with the cross-origin isolation
// headers that let ONNX Runtime use threads. Files are served with ETags, so a second visit
// revalidates instead of downloading again.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import sirv from 'sirv';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const program = new Command()
  .name('serve-demo')
  .description('Serve the localrec demo on 127.0.0.1')
  .option('-p, --port <port>', 'port to listen on (0 = any free port)', (v) => Number.parseInt(v, 10), 8080)
  .option('--no-isolation', 'omit the COOP/COEP headers (ONNX Runtime then runs on one thread)')
  .parse();
const { port, isolation } = program.opts();

const serve = sirv(root, {
  etag: true,
  dotfiles: false,
  setHeaders(res) {
    res.setHeader('Cache-Control', 'no-cache');  // revalidate (304) rather than re-download
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (isolation) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
  },
});

const server = http.createServer((req, res) => {
  if (req.url === '/' || req.url === '/index.html') {
    res.writeHead(302, { Location: '/web/demo/' });
    res.end();
    return;
  }
  serve(req, res, () => { res.statusCode = 404; res.end('not found'); });
});
server.on('error', (e) => {
  console.error(`serve-demo: ${e.code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0)` : e.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}/web/demo/`;
  console.log(`localrec demo: ${url}${isolation ? '' : '  (without cross-origin isolation)'}`);
  console.log('Everything runs in your browser; press Ctrl+C to stop.');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
