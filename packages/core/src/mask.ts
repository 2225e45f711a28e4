import { CLOUD_KEY_EXACT } from './patterns.js';

/**
 * The only form in which a secret is ever shown. A cloud key shows what Statalog's own key list shows:
 * `st_` + the first and last four hex characters. Any other secret shows less: its first two characters
 * when it is long enough that they give nothing away, otherwise nothing but its length.
 */
export function mask(secret: string): string {
  if (CLOUD_KEY_EXACT.test(secret)) return `st_${secret.slice(3, 7)}…${secret.slice(-4)}`;
  // the two characters only when they are plain printable ASCII: never half of a surrogate pair or an escape
  if (secret.length >= 16 && /^[\x21-\x7e]{2}/.test(secret)) return `${secret.slice(0, 2)}…(${secret.length} chars)`;
  return `…(${secret.length} chars)`;
}

/**
 * Replaces every occurrence of each secret in `text` by its masked form. Last line of defence for text
 * that may quote scanned content (error messages, git output) before it is printed.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(mask(secret));
  }
  return out;
}
