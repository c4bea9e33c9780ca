// localrec: private, on-device recommendations. The public entry point of the npm package.
export { init, version, coreOptions as defaults } from './src/core.js';
export { Tokenizer } from './src/tokenizer.js';
export { loadModel, openModel, Model, PendingModel, DEFAULT_MODEL } from './src/model.js';
export { ModelLoadError } from './src/bundle.js';
export { createWorker } from './src/worker-client.js';
export { saveProfileBytes, loadProfileBytes, deleteProfileBytes, deleteAllStoredData } from './src/storage.js';
export { Catalog, CatalogBuilder } from './src/catalog.js';
export { InterestProfile, DEFAULT_STRATEGY, STRATEGIES } from './src/profile.js';
export { loadChinese, chineseLoaded, analyzeTerms } from './src/chinese.js';
export { loadTimings } from './src/timing.js';
