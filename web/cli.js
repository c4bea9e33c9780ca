#!/usr/bin/env node
// The localrec command line (Node): `localrec build-catalog` and `localrec inspect`.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { buildCatalogFile, inspectCatalogFile } from './src/build-catalog.js';

function integer(min) {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return n;
  };
}

// The model: localrec's loadModel (web/src/model.js), or loadModel() of a module the user
// names (any embedder with the same interface).
async function loadEmbedder({ model, modelModule, backend, threads }) {
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
  if (model) options.dir = resolve(model);
  if (backend) options.backend = backend;
  if (threads) options.numThreads = threads;
  return loadModel(options);
}

const program = new Command();
program.name('localrec').description('On-device recommendations: catalogue tools');

program
  .command('build-catalog')
  .description('embed the items of a JSONL file (id, text, optional title, url, tags) into a catalogue file')
  .argument('<items>', 'JSONL file, optionally gzipped (.gz)')
  .requiredOption('-o, --output <file>', 'catalogue file to write (e.g. catalog.lrc)')
  .option('--model <dir>', 'model folder (default: the embedded default model)')
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

program.parseAsync(process.argv).catch((e) => {
  console.error(`localrec: ${e.message}`);
  process.exitCode = 1;
});
