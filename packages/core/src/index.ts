/**
 * `@statalog/core`: what the CLI, the ESLint plugin and the GitHub Action share. Three groups: detection (is
 * there a key in this text?), the finding and report model (what a found key becomes, and how it is accepted,
 * recorded and written out), and the content pipeline (bytes to findings, the same for every door). Pure: no
 * file system, no processes, no network.
 */

// ── Detection ────────────────────────────────────────────────────────────────────────────────────────────────
export {
  detect,
  isAllowedAt,
  isLiteralSecret,
  isReportableCloudKey,
  ALLOW_MARKER,
  type DetectOptions,
  type Match,
} from './detect.js';
export { scanText } from './scan-text.js';
export { RULES, type RuleId, type RuleMeta } from './rules.js';
export { syntaxForPath } from './syntax.js';
export type { Syntax, ValueSpan } from './read-value.js';
export { findCloudKeys } from './detect-cloud.js';
export { findCommunityKeys } from './detect-community.js';
export { findUrlKeys, URL_SPAN } from './detect-url.js';
export { ANCHORS, CLOUD_KEY_EXACT, CLOUD_KEY_LENGTH, STATALOG_CLOUD_API, URL_KEY_PARAM } from './patterns.js';
export { DOC_EXAMPLE_KEY, isPlaceholderCloudKey } from './placeholder.js';
export {
  hasQueryParam,
  isSelfHostedHost,
  isStatalogApiUrl,
  isStatalogCloudHost,
  isStatalogEndpointPath,
  normaliseHost,
  parseUrl,
  type ParsedUrl,
} from './url.js';
export { createLineIndex, lineAt, type LineIndex } from './position.js';

// ── Findings and reports ─────────────────────────────────────────────────────────────────────────────────────
export {
  compareFindings,
  createFinding,
  secretOf,
  withFields,
  type Finding,
  type FindingInput,
  type GitOrigin,
  type Verification,
} from './finding.js';
export { mask, redact } from './mask.js';
export { fingerprint, secretHash } from './fingerprint.js';
export { shortSha } from './content/origin.js';
export { CONFIG_FILE_NAME, EMPTY_CONFIG, isAllowedByConfig, parseConfig, type Config } from './config.js';
export {
  applyBaseline,
  createBaseline,
  parseBaseline,
  serializeBaseline,
  type Baseline,
  type BaselineEntry,
  type BaselineResult,
} from './baseline.js';
export { suppress, type AllowedFinding, type AllowedHow, type Suppressed, type SuppressOptions } from './suppress.js';
export { MAX_USER_FILE_BYTES } from './json-file.js';
export { UserError, UserFileError } from './user-error.js';
export { toArtifactUri, toSarif, type SarifOptions } from './sarif.js';
export { escapeMarkdown, printable, workflowCommand, type AnnotationProperties } from './escape.js';

// ── The content pipeline ─────────────────────────────────────────────────────────────────────────────────────
export { sniff, type Sniffed } from './content/sniff.js';
export { eachAnchor, prefilterBuffer, type AnchorKind, type Region } from './content/prefilter.js';
export {
  contentViews,
  encodedFields,
  findingInputOf,
  firstLineLength,
  mayContainSecret,
  scanContent,
  type ContentOptions,
  type ContentScan,
  type ContentView,
  type LocatedMatch,
} from './content/scan-content.js';
export {
  eachEncodedAnchor,
  encodedAnchorsIn,
  mayHoldEncodedSecret,
  ENCODED_NEEDLES,
  stableBase64,
} from './content/encoded-prefilter.js';
export { addedSecrets } from './content/added.js';
export { mayCutWrappedBase64, mayNeedContext } from './content/context.js';
export { OriginIndex, type OriginCommit } from './content/origin.js';
export type { Encoding } from './decode.js';
