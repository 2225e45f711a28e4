/**
 * `@statalog/scan` as a library: the pieces of the CLI that the GitHub Action bundles. Not a stable API while
 * the version is 0.x; to build on the detection rules, use `@statalog/core`.
 */
// --verify: the network client, and what its results mean for a report
export { verifyFindings, type VerifyOptions } from './verify/verify-findings.js';
export { parseApiBase } from './verify/api-base.js';
export { liveKeys, sortLiveFirst, type LiveKey } from './verification.js';
// --range with local git, for a workspace that holds a full checkout
export { localRangeAvailable, scanLocalRange, type LocalRange } from './git/local-range.js';
export type { Settings } from './settings.js';
// report files written where a checkout may have planted a link, and a bounded Promise pool
export { checkReportPath, replaceFile, type ReplaceFileOptions } from './replace-file.js';
export { mapBounded } from './map-bounded.js';
