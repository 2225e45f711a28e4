import { ANCHORS } from './patterns.js';
import { parseUrl, isStatalogApiUrl } from './url.js';

export interface UrlKeyHit {
  /** Offset of the value after `api_key=`. */
  start: number;
  end: number;
  value: string;
}

const MAX_URL = 2048;

/** Characters that end a URL written in code, config, logs or prose. */
function isUrlDelimiter(code: number): boolean {
  return (
    code <= 0x20 || // whitespace and control characters
    code === 0x22 || code === 0x27 || code === 0x60 || // " ' `
    code === 0x3c || code === 0x3e || // < >
    code === 0x28 || code === 0x29 || // ( )
    code === 0x5c || // \ (escaped quote in JSON or source strings)
    code === 0x7f
  );
}

/** Additionally ends a query value. */
function isValueDelimiter(code: number): boolean {
  return isUrlDelimiter(code) || code === 0x26 /* & */ || code === 0x23 /* # */ || code === 0x2c /* , */ || code === 0x3b /* ; */;
}

/**
 * Every `api_key=<value>` query parameter in `text` whose URL targets the Statalog API (see
 * `isStatalogApiUrl`), whatever the value; the caller decides whether the value is a literal secret.
 */
export function findUrlKeys(text: string, selfHostedHosts: readonly string[]): UrlKeyHit[] {
  const hits: UrlKeyHit[] = [];
  const anchor = ANCHORS.url;
  for (let i = text.indexOf(anchor); i !== -1; i = text.indexOf(anchor, i + anchor.length)) {
    if (!isQueryParamStart(text, i)) continue;
    const start = i + anchor.length;
    let end = start;
    while (end < text.length && end - start < MAX_URL && !isValueDelimiter(text.charCodeAt(end))) end++;
    let urlStart = i;
    while (urlStart > 0 && i - urlStart < MAX_URL && !isUrlDelimiter(text.charCodeAt(urlStart - 1))) urlStart--;
    let urlEnd = end;
    while (urlEnd < text.length && urlEnd - i < MAX_URL && !isUrlDelimiter(text.charCodeAt(urlEnd))) urlEnd++;
    if (!isStatalogApiUrl(parseUrl(text.slice(urlStart, urlEnd)), selfHostedHosts)) continue;
    hits.push({ start, end, value: text.slice(start, end) });
  }
  return hits;
}

function isQueryParamStart(text: string, i: number): boolean {
  const before = text.charCodeAt(i - 1);
  if (before === 0x3f /* ? */ || before === 0x26 /* & */) return true;
  return before === 0x3b /* ; */ && text.startsWith('&amp;', i - 5);
}
