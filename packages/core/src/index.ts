export * from './patterns.js';
export * from './placeholder.js';
export * from './mask.js';
export * from './fingerprint.js';
export * from './url.js';
export * from './rules.js';
export { findCloudKeys, isCloudKeyAt, isCloudKeyEnd } from './detect-cloud.js';
export { findUrlKeys, URL_SPAN, type UrlKeyHit } from './detect-url.js';
export { findCommunityKeys, type CommunityHit, type Syntax } from './detect-community.js';
export * from './detect.js';
export * from './finding.js';
export * from './position.js';
export * from './syntax.js';
export * from './json-file.js';
export * from './replace-file.js';
export * from './config.js';
export * from './baseline.js';
export * from './escape.js';
export * from './sarif.js';
export * from './scan-text.js';
export { sniff, BINARY_SNIFF, type Sniffed } from './content/sniff.js';
export { eachAnchor, hasCandidate, mayHoldSecret, prefilterBuffer, type AnchorKind, type Region } from './content/prefilter.js';
export {
  scanContent, mayContainSecret, contentViews, detectView, locate,
  type ContentOptions, type ContentScan, type ContentView, type LocatedMatch,
} from './content/scan-content.js';
export { addedSecrets } from './content/added.js';
export { mayNeedContext } from './content/context.js';
export { addedLines, lineStarts, splitLines } from './content/line-diff.js';
export { OriginIndex, shortSha, SHORT_SHA_LENGTH, type OriginCommit, type AddedHit } from './content/origin.js';
export { SECTION_SPAN } from './detect-section.js';
export { MAX_VALUE as MAX_COMMUNITY_VALUE } from './read-value.js';
export * from './decode.js';
export * from './suppress.js';
