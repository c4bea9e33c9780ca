// localrec: private, on-device recommendations. The public entry point of the npm package.
export { init, version } from './src/core.js';
export { InterestProfile, DEFAULT_STRATEGY, STRATEGIES } from './src/profile.js';
