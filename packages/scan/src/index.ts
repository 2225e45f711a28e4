/**
 * `@statalog/scan` as a library: the pieces the CLI is made of, for tools that want the same behaviour
 * (the GitHub Action bundles the settings and formatters from here).
 */
export type { ScanReport, ScanStats, SkippedFile, BaselineSummary, ModeResult } from './report-model.js';
export { emptyStats, isIncomplete } from './report-model.js';
export { loadSettings, findConfigFile, findGitTopLevel, applySuppressions, dropAllowed, displayPath, type Settings } from './settings.js';
export { createConfigFilter, type ConfigFilter } from './config-filter.js';
export { parseCliArgs, UsageError, FORMATS, type CliArgs, type Format } from './args.js';
export type { ModeContext } from './modes.js';
export { render, type RenderOptions, type Rendered } from './report/index.js';
export { toJsonReport, JSON_SCHEMA_VERSION } from './report/json.js';
export { FileScanner, type FileOutcome, type FileHit } from './files/scan-file.js';
export { scanFiles } from './files/index.js';
export { verifyFindings, parseApiBase, ApiBaseError, CLOUD_API_ENV, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type VerifyOptions } from './verify/index.js';
export { failingFindings, liveKeys, sortLiveFirst, verificationAdvice, describeVerifications, type FailOn } from './verify/status.js';
export { localRangeAvailable, scanLocalRange, type LocalRange } from './git/local-range.js';
