#!/usr/bin/env node
// The localrec command line (Node): `localrec build-catalog`, `inspect`, `fetch-model` and
// `copy-assets`.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import './src/platform-node.js';
import { buildCatalogFile, inspectCatalogFile, parseItems } from './src/build-catalog.js';

const pkg = createRequire(import.meta.url)('../package.json');

function integer(min) {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return n;
  };
}

// The model: localrec's loadModel (web/src/model.js), or loadModel() of a module the user
// names (any embedder with the same interface).
async function loadEmbedder({ model, name, modelModule, backend, threads }) {
  let loadModel;
  if (modelModule) {
    ({ loadModel } = await import(pathToFileURL(resolve(modelModule)).href));
    if (typeof loadModel !== 'function') throw new Error(`${modelModule} does not export loadModel()`);
  } else {
    try {
      ({ loadModel } = await import('./src/model.js'));
    } catch (e) {
      throw new Error('localrec: this build has no model loader (web/src/model.js); use --model-module', { cause: e });
    }
  }
  const options = {};
  if (model && name) throw new InvalidArgumentError('pass --model DIR or --name NAME, not both');
  if (model) options.dir = resolve(model);
  if (name) options.name = name;
  if (backend) options.backend = backend;
  if (threads) options.numThreads = threads;
  return loadModel(options);
}

// The input is read and checked before the model loads (seconds), so a wrong path or an empty
// file fails at once.
async function checkItems(file) {
  let raw;
  try {
    raw = await readFile(file);
  } catch (e) {
    throw new Error(e.code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${e.message}`);
  }
  let bytes = raw;
  if (file.endsWith('.gz')) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new Error(`${file} is not a valid gzip file: ${e.message}`);
    }
  }
  const { items, errors } = parseItems(bytes);
  if (items.length === 0) {
    const why = errors.length ? `all ${errors.length} lines are bad (line ${errors[0].line}: ${errors[0].message})` : 'the file is empty';
    throw new Error(`${file} has no items: ${why}; each line must be a JSON object with "id" and "text"`);
  }
}

// The bundled models by folder name (those with a manifest.json), for --name.
async function shippedModels() {
  const { readdir } = await import('node:fs/promises');
  const dir = new URL('./models/', import.meta.url);
  const names = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory() && await readFile(new URL(`${e.name}/manifest.json`, dir)).then(() => true, () => false)) names.push(e.name);
  }
  return names.sort();
}

const program = new Command();
program.name('localrec').description('On-device recommendations: catalogue tools').version(pkg.version, '-V, --version');

program
  .command('build-catalog')
  .description('embed the items of a JSONL file (id, text, optional title, url, tags) into a catalogue file')
  .argument('<items>', 'JSONL file, optionally gzipped (.gz)')
  .requiredOption('-o, --output <file>', 'catalogue file to write (e.g. catalog.lrc)')
  .option('--model <dir>', 'model folder (default: the embedded default model)')
  .option('--name <model>', 'a model the package ships, by name (see `localrec models`)')
  .option('--model-module <file>', 'ES module exporting loadModel(options), used instead of localrec\'s')
  .option('--backend <name>', "ONNX Runtime: 'auto' (onnxruntime-node when installed), 'node' or 'web'")
  .option('--threads <n>', 'ONNX Runtime threads', integer(1))
  .option('--batch-size <n>', 'texts per embedding call', integer(1), 32)
  .option('--precision <kind>', "stored vectors: 'int8' (1.125 B/dim), 'compact' (1 B/dim), 'residual' (2 B/dim) or 'float32' (5 B/dim)", 'int8')
  .option('--text-chars <n>', 'characters of each text kept in the metadata (0: none, -1: all)', integer(-1), 200)
  .option('--no-resume', 'ignore the checkpoint of an interrupted build and start over')
  .option('-q, --quiet', 'no progress bar')
  .action(async (items, opts) => {
    if (!['int8', 'compact', 'residual', 'float32'].includes(opts.precision)) {
      throw new InvalidArgumentError("--precision must be 'int8', 'compact', 'residual' or 'float32'");
    }
    const started = performance.now();
    await checkItems(items);
    if (opts.name && !(await shippedModels()).includes(opts.name)) {
      throw new InvalidArgumentError(`--name ${opts.name}: the package ships ${(await shippedModels()).join(', ')}`);
    }
    const model = await loadEmbedder(opts);
    const showBar = !opts.quiet && process.stderr.isTTY;
    let bar = null;
    let sessionStart = 0;
    let firstDone = 0;
    const badLines = [];
    try {
      const result = await buildCatalogFile({
        input: items,
        output: opts.output,
        model,
        batchSize: opts.batchSize,
        precision: opts.precision,
        textChars: opts.textChars,
        resume: opts.resume,
        onBadLine: (e) => {
          if (e.line === 0) console.error(`note: ${e.message}`);
          else badLines.push(e);
        },
        onStart: ({ total, resumed, pending, skipped }) => {
          for (const e of badLines.slice(0, 50)) console.error(`line ${e.line}: ${e.message} (skipped)`);
          if (badLines.length > 50) console.error(`... and ${badLines.length - 50} more bad lines`);
          if (!opts.quiet) {
            console.error(`${total} items (${skipped} bad lines skipped)` +
              (resumed ? `, ${resumed} already embedded (resuming), ${pending} to go` : ''));
          }
          if (showBar) {
            bar = new cliProgress.SingleBar({
              format: 'embedding |{bar}| {percentage}% | {value}/{total} items | {rate} items/s | ETA {eta_formatted}',
              hideCursor: true, etaBuffer: 20,
            }, cliProgress.Presets.shades_classic);
            bar.start(total, resumed, { rate: '-' });
          }
        },
        onProgress: (done, total) => {
          if (!sessionStart) {
            sessionStart = performance.now();
            firstDone = done;
            return;
          }
          const seconds = (performance.now() - sessionStart) / 1000;
          const rate = seconds > 0 ? ((done - firstDone) / seconds).toFixed(1) : '-';
          bar?.update(done, { rate });
          if (!showBar && !opts.quiet && (done === total || done % 1000 < opts.batchSize)) {
            console.error(`embedded ${done}/${total} items (${rate} items/s)`);
          }
        },
      });
      bar?.stop();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.error(`wrote ${opts.output}: ${result.items} items, ${(result.bytes / 1e6).toFixed(2)} MB, ` +
        `${result.embedded} embedded now, ${result.resumed} resumed, ${result.skipped} bad lines skipped, ${seconds} s`);
    } finally {
      bar?.stop();
      model.dispose?.();
    }
  });

program
  .command('inspect')
  .description('validate a catalogue file and print what it holds')
  .argument('<catalog>', 'catalogue file (.lrc)')
  .option('-n, --items <n>', 'items to show', integer(0), 5)
  .option('--json', 'print JSON')
  .action(async (file, opts) => {
    const info = await inspectCatalogFile(file, { items: opts.items });
    if (opts.json) {
      console.log(JSON.stringify(info, null, 2));
      return;
    }
    console.log(`${info.file}: valid localrec catalogue, ${info.bytes} bytes (${info.bytesPerItem} per item), loaded in ${info.loadMs} ms`);
    console.log(`  items ${info.items}, dims ${info.dims}, precision ${info.precision}, lexical part ${info.lexical ? 'yes' : 'no'}`);
    console.log(`  model ${info.modelFingerprint}`);
    for (const s of info.sample) console.log(`  [${s.index}] ${s.id}  ${JSON.stringify(s.metadata)}`);
  });

program
  .command('models')
  .description('list the models this package ships (for --name and loadModel({ name }))')
  .action(async () => {
    for (const name of await shippedModels()) console.log(name);
  });

program
  .command('fetch-model')
  .description('download a model from the Hugging Face Hub (pinned revision, sha256-verified) into a folder')
  .argument('[names...]', 'model names from web/model-registry.json (none: list them)')
  .option('--out <dir>', 'parent folder: each model lands in <dir>/<name>/', 'models')
  .option('--strict', 'refuse files without a pinned sha256')
  .option('--force', 'download again even when present')
  .option('--retries <n>', 'retries per file', integer(0))
  .option('--base-url <url>', 'mirror of the Hub (default https://huggingface.co)')
  .option('--list', 'list the known models')
  .action(async (names, opts) => {
    const { main } = await import('./fetch-model.mjs');
    const argv = [...names, '--dest', resolve(opts.out)];
    if (opts.strict) argv.push('--strict');
    if (opts.force) argv.push('--force');
    if (opts.retries !== undefined) argv.push('--retries', String(opts.retries));
    if (opts.baseUrl) argv.push('--base-url', opts.baseUrl);
    if (opts.list) argv.push('--list');
    process.exitCode = await main(argv);
  });

// Every runtime file web/assets.js names (and ONNX Runtime Web's .wasm), copied to the same
// relative place next to a bundle made by a tool that does not emit `new URL(..., import.meta.url)`
// files itself (esbuild; docs/bundlers.md).
program
  .command('copy-assets')
  .description("copy the files localrec loads at run time (wasm, default model) into a bundler's output folder")
  .argument('<outdir>', 'the folder that holds your bundle (e.g. dist)')
  .action(async (outdir) => {
    const web = new URL('./', import.meta.url);
    const assets = await readFile(new URL('assets.js', web), 'utf8');
    const rels = [...assets.matchAll(/new URL\('(\.\/[^']+)', import\.meta\.url\)/g)].map((m) => m[1])
      .filter((rel) => rel !== './worker.js');  // the worker is bundled as an entry point, not copied
    const require = createRequire(import.meta.url);
    const ortDir = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
    const copies = rels.map((rel) => [fileURLToPath(new URL(rel, web)), join(outdir, rel)]);
    copies.push([join(ortDir, 'ort-wasm-simd-threaded.wasm'), join(outdir, 'ort-wasm-simd-threaded.wasm')]);
    for (const [from, to] of copies) {
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
      console.error(`copied ${to}`);
    }
  });

program.parseAsync(process.argv).catch((e) => {
  console.error(`localrec: ${e.message}`);
  process.exitCode = 1;
});
