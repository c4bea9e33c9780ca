// Ranking benchmark in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
// `npm run bench:rank:browser [-- --sizes 100000,1000000 --queries 30 --hnswlib-max 1000000]`.
// The same code as bench/rank.mjs (bench/rank-core.mjs) runs in a page that imports the
// package the way an application does; the table is printed here.
import { parseArgs } from 'node:util';
import os from 'node:os';
import { launchBrowser, openModulePage, startServer } from '../dev/harness.mjs';
import { formatRows } from './rank-core.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    dims: { type: 'string', default: '384' },
    queries: { type: 'string', default: '30' },
    hnsw: { type: 'string', default: '0' },
    'no-hnswlib': { type: 'boolean', default: false },
  },
});

const server = await startServer({ isolated: true });
const browser = await launchBrowser();
try {
  const { page, errors } = await openModulePage(browser, server);
  page.on('console', (m) => { if (m.type() === 'log') console.error(`  [page] ${m.text()}`); });
  const { rows, userAgent } = await page.evaluate(async (o) => {
    const localrec = await import('localrec');
    const { runRankBench } = await import('/bench/rank-core.mjs');
    await localrec.init();
    let hnswlib = null;
    if (o.withHnswlib) {
      const { loadHnswlib } = await import('/node_modules/hnswlib-wasm/dist/hnswlib.js');
      hnswlib = await loadHnswlib();
    }
    const result = await runRankBench({ localrec, hnswlib, sizes: o.sizes, dims: o.dims, queries: o.queries,
                                        hnswMax: o.hnsw, log: (s) => console.log(s) });
    return { rows: result, userAgent: navigator.userAgent };
  }, {
    sizes: values.sizes.split(',').map(Number), dims: Number(values.dims), queries: Number(values.queries),
    hnsw: Number(values.hnsw), withHnswlib: !values['no-hnswlib'],
  });
  if (errors.length) console.error(errors.join('\n'));
  const chrome = userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? userAgent;
  console.log(formatRows(rows, { environment: `headless ${chrome}, ${os.cpus()[0]?.model}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}` }));
} finally {
  await browser.close();
  await server.close();
}
