import { ANCHORS, CLOUD_KEY_LENGTH, findCloudKeys, isLiteralSecret, isReportableCloudKey, mask } from '@statalog/core';

/** A key found in a piece of text: where it starts, its masked form, and the raw value (never shown). */
export interface KeyHit {
  offset: number;
  length: number;
  masked: string;
  secret: string;
}

/**
 * Reportable cloud keys in a string, by the core's rules (no doc example, no synthetic run, no `test_…`).
 * The `st_` check first: almost every string in a code base has none, and then this costs one `indexOf`.
 */
export function cloudKeysIn(value: string): KeyHit[] {
  if (value.length < CLOUD_KEY_LENGTH || !value.includes(ANCHORS.cloud)) return [];
  // the text boundaries: a string literal is text (core's `cloudOnly` means binary content)
  const hits: KeyHit[] = [];
  for (const start of findCloudKeys(value)) {
    const secret = value.slice(start, start + CLOUD_KEY_LENGTH);
    if (isReportableCloudKey(secret))
      hits.push({ offset: start, length: CLOUD_KEY_LENGTH, masked: mask(secret), secret });
  }
  return hits;
}

/**
 * A literal that is a Community key when assigned to STATALOG_API_KEY: a literal secret by the core's
 * rules, and not a cloud key (those are the cloud-key check's, reported or deliberately not).
 */
export function isCommunityKeyValue(value: string): boolean {
  return isLiteralSecret(value) && !isNameLike(value) && findCloudKeys(value).length === 0;
}

/** A word, a version (`v1`, `2024`) or a short number: the segments a storage-key name or slug is built of. */
const NAME_SEGMENT = /^(?:[a-z]+|v?\d{1,4})$/i;

/**
 * `'statalog_consent_v1'`, `'statalog-api-key'`, `'app.statalog.key'`: a name for something (a storage key, a
 * cookie, a setting), written in words and separators. A key is random: it has no word boundaries like these.
 */
function isNameLike(value: string): boolean {
  const segments = value.split(/[._:\-/]/);
  if (segments.length < 2 || segments.some((s) => !NAME_SEGMENT.test(s))) return false;
  return segments.some((s) => /^[a-z]{3,}$/i.test(s));
}
