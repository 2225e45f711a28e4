/**
 * Names that come from scanned content — an archive entry's name, a URL a page points at — are printed in
 * every report, findings and skipped entries alike. A hostile archive can name an entry after a key, and a
 * page can load `/widget.js?api_key=…`: such a name must not print the key. Every secret core's `detect` sees
 * in the name is masked, and so is any `api_key=` value in a URL (whatever its host). The same name always
 * masks the same way, so fingerprints and baselines stay stable.
 */
import { detect, mask, redact } from '@statalog/core';

export function shownName(name: string): string {
  if (!/_|tatalog|TATALOG/.test(name)) return name; // every rule's anchor: most names have none
  const secrets = detect(name, { syntax: 'config', includeExamples: true }).map((m) => m.secret);
  const masked = secrets.length > 0 ? redact(name, secrets) : name;
  return masked.replace(/([?&;]api_key=)([^&#\s]{8,})/gi, (_, key: string, value: string) => `${key}${mask(value)}`);
}
