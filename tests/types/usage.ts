// Compiled by tests/web/types.test.mjs with `tsc --noEmit --strict` (the locked TypeScript and the
// current major): the README's calls must type-check, and wrong ones must not (@ts-expect-error).
import {
  Catalog, createWorker, DEFAULT_STRATEGY, init, InterestProfile, loadModel, ModelLoadError,
  type ItemMetadata, type ModelProgress, type RankedItem, type Remote, type Model,
  loadChinese, chineseLoaded, analyzeTerms, defaults, type RankOptions,
} from 'localrec';
import { defaultModelFiles, zhDictionaryUrl } from 'localrec/assets';

export const modelUrl: URL = defaultModelFiles()['model.onnx'];

export async function mainThread(): Promise<string[]> {
  await init();
  const model = await loadModel({ onProgress: (p: ModelProgress) => console.log(p.file, p.loaded, p.total, p.status) });
  const texts = ['Planetarium software', 'Photo editor'];
  const catalog = Catalog.fromVectors({ ids: ['a', 'b'], vectors: await model.embed(texts), texts, modelFingerprint: model.fingerprint });
  using profile = new InterestProfile(model, { halfLifeDays: 30 });
  await profile.addPosts([{ id: 'p1', text: 'Saturn through my telescope', time: Date.now() }]);
  const ranked: RankedItem[] = profile.rank(catalog, {
    k: 10, strategy: DEFAULT_STRATEGY, normalization: 'zscore', candidates: 400, bm25: { k1: 1.2, b: 0.75 },
  });
  const meta: ItemMetadata | null = ranked[0]?.metadata ?? null;
  // @ts-expect-error not a normalisation
  profile.rank(catalog, { normalization: 'l2' });
  // @ts-expect-error an option rank() does not take
  profile.rank(catalog, { combine: 'sum' });
  // @ts-expect-error a Catalog, not a look-alike with a search method
  profile.rank({ search: () => [] }, { k: 1 });
  const every: Required<RankOptions> = {
    k: 10, strategy: 'lexical', diversity: 0, exclude: [], requireTags: [], excludeTags: [], lexicalWeight: 0.7,
    fusion: 'rrf', maxTerms: 64, maxInterests: 16, interestWeightPower: 0, termSource: 'both', explain: false,
    normalization: 'minmax', bm25: { k1: 1.2 }, candidates: 400,
  };
  profile.rank(catalog, every);
  const d = defaults();
  const lexical: number = d.rank.lexicalWeight;
  const strategies: readonly string[] = d.names.strategy;
  const maxDims: number = d.limits.maxDims;
  const halfLife: number = d.profile.halfLifeDays;
  console.log(lexical, strategies, maxDims, halfLife, profile.query('hybrid', { maxTerms: 8 }).lexicalWeight);
  const shares: Float32Array = (await model.embed(['我喜欢电影'])).unknownShares;
  const join: number = model.calibration.joinThreshold;
  const measured: boolean = model.calibration.measured;
  using strict = new InterestProfile(model, { maxUnknownShare: 0.3, joinThreshold: join });
  console.log(shares[0], measured, strict.size);
  catalog.dispose();
  await model.dispose();
  return ranked.map((r) => `${r.id} ${r.reasons.keywords.join(' ')} ${meta?.title ?? ''}`);
}

export async function inWorker(): Promise<number> {
  const lr = await createWorker();
  const model: Remote<Model> = await lr.loadModel();
  const dims: number = model.dims;
  const vectors: Float32Array[] = await model.embed(['a text']);
  const catalog = await lr.callStatic('Catalog', 'fromVectors', { ids: ['a'], vectors, modelFingerprint: model.fingerprint });
  const size: number = catalog.size;
  const profile = await lr.construct('InterestProfile', model, { halfLifeDays: 30 });
  await profile.addPosts([{ id: 'p1', text: 'hello' }]);
  const top = await profile.rank(catalog, { k: 5 });
  const first: string | undefined = top[0]?.id;
  const version: string = await lr.call('version');
  const remoteDefaults: number = (await lr.call('defaults')).rank.k;
  // A returning user: rank from the stored profile before the encoder is ready.
  const pending = await lr.call('openModel', { defer: true });
  const fingerprint: string = pending.fingerprint;
  const stored = await lr.call('loadProfileBytes', 'me');
  if (stored) {
    const restored = await lr.callStatic('InterestProfile', 'fromBytes', pending, stored);
    await restored.rank(catalog, { k: 5 });
  }
  const ready: Remote<Model> = await pending.whenReady();
  const phases: number = (await lr.call('loadTimings')).entries.length;
  // @ts-expect-error no such class in the worker
  await lr.construct('Nope');
  // @ts-expect-error embed takes strings
  await model.embed([1]);
  // @ts-expect-error a remote method is async
  const sync: number = profile.has('p1');
  await profile.dispose();
  try {
    await loadModel({ url: '/models/x/' });
  } catch (e) {
    if (e instanceof ModelLoadError && e.code === 'NotAFile') console.log(e.url);
  }
  lr.terminate();
  return dims + size + remoteDefaults + (first ? 1 : 0) + version.length + (sync ? 0 : 0) + fingerprint.length + ready.dims + phases;
}

export async function chinese(): Promise<string[]> {
  await init();
  await loadChinese();
  await loadChinese({ url: new URL('/assets/localrec-zh.dict.gz', 'https://example.org/') });
  const loaded: boolean = chineseLoaded();
  const dict: URL = zhDictionaryUrl();
  // @ts-expect-error bytes, not a string
  await loadChinese({ bytes: 'dict' });
  const catalog = Catalog.fromVectors({ ids: ['a'], vectors: [new Float32Array(2)], texts: ['电影'], modelFingerprint: 'f' });
  catalog.search(null, { terms: [{ term: '研究 旅游', weight: 1, analyzed: true }] });
  catalog.dispose();
  return loaded ? analyzeTerms(`我喜欢AI和电影 ${dict.href}`) : [];
}
