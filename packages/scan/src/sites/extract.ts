/**
 * What a page and its scripts point at: `<script src>`, `<link rel=modulepreload>` (and `rel=preload
 * as=script`), module imports in a script, and a script's source map. A small tag scanner, not a DOM: the
 * scan needs URLs, and a regular expression over tags (comments removed first) finds them in any page a
 * browser would load scripts from. Every URL is resolved against the page's `<base href>` or the script.
 */

const COMMENT = /<!--[\s\S]*?-->/g;
const TAG = /<(script|link|base)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;

/** The value of attribute `name` in a tag's attribute text (quoted or not), entities `&amp;` decoded. */
function attribute(attrs: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');
  const m = re.exec(attrs);
  const value = m?.[1] ?? m?.[2] ?? m?.[3];
  return value === undefined ? undefined : decodeEntities(value.trim());
}

function decodeEntities(value: string): string {
  return value
    .replace(/&(?:amp|#38|#x26);/gi, '&')
    .replace(/&(?:quot|#34);/gi, '"')
    .replace(/&(?:#39|apos);/gi, "'");
}

function resolveUrl(ref: string, base: string): string | undefined {
  if (ref === '' || /^(?:data|javascript|blob):/i.test(ref)) return undefined;
  try {
    const url = new URL(ref, base);
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

/** The scripts a page loads: classic, module and preloaded, in page order, each once. */
export function scriptsOfPage(html: string, pageUrl: string): string[] {
  const text = html.replace(COMMENT, '');
  let base = pageUrl;
  const found: string[] = [];
  for (const m of text.matchAll(TAG)) {
    const tag = m[1]!.toLowerCase();
    const attrs = m[2]!;
    if (tag === 'base') {
      const href = attribute(attrs, 'href');
      const resolved = href === undefined ? undefined : resolveUrl(href, pageUrl);
      if (resolved && base === pageUrl) base = resolved; // the first <base> counts
      continue;
    }
    let ref: string | undefined;
    if (tag === 'script') ref = attribute(attrs, 'src');
    else {
      const rel = (attribute(attrs, 'rel') ?? '').toLowerCase().split(/\s+/);
      const as = (attribute(attrs, 'as') ?? '').toLowerCase();
      if (rel.includes('modulepreload') || (rel.includes('preload') && as === 'script')) ref = attribute(attrs, 'href');
    }
    const url = ref === undefined ? undefined : resolveUrl(ref, base);
    if (url && !found.includes(url)) found.push(url);
  }
  return found;
}

const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w*${}\s,]+?\s*from\s*)?["']([^"'\n]+)["']/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["'`]([^"'`\n]+)["'`]\s*\)/g;

/**
 * Module specifiers a script imports that are URLs or paths (`./chunk.js`, `/assets/x.js`,
 * `https://…`); bare names (`react`) resolve through an import map or a bundler, not to a URL here.
 */
export function importsOfScript(js: string, scriptUrl: string): string[] {
  const found: string[] = [];
  for (const re of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
    for (const m of js.matchAll(re)) {
      const spec = m[1]!;
      if (!/^(?:\.{0,2}\/|https?:\/\/)/i.test(spec)) continue;
      const url = resolveUrl(spec, scriptUrl);
      if (url && !found.includes(url)) found.push(url);
    }
  }
  return found;
}

/** The last `//# sourceMappingURL=` (or `//@`) comment of a script, resolved; data: URLs are returned as they are. */
export function sourceMapOf(js: string, scriptUrl: string, header: string | null): string | undefined {
  if (header) return resolveUrl(header.trim(), scriptUrl);
  const tail = js.slice(-4096); // the comment ends the file; a bundle's body can be megabytes
  const matches = [...tail.matchAll(/(?:\/\/|\/\*)[#@]\s*sourceMappingURL\s*=\s*([^\s*'"]+)/g)];
  const ref = matches.at(-1)?.[1];
  if (ref === undefined) return undefined;
  if (/^data:/i.test(ref)) return ref;
  return resolveUrl(ref, scriptUrl);
}

/** An inline (data: URL) source map's JSON text. */
export function decodeDataUrl(url: string): Buffer | undefined {
  const m = /^data:([^,]*?)(;base64)?,(.*)$/is.exec(url);
  if (!m) return undefined;
  return m[2] ? Buffer.from(m[3]!, 'base64') : Buffer.from(decodeURIComponent(m[3]!), 'utf8');
}

/**
 * The original sources a source map carries (`sourcesContent`), with their names. Undefined when the text
 * is not a source map.
 */
export function sourcesOfMap(text: string): Array<{ name: string; content: string }> | undefined {
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof map !== 'object' || map === null) return undefined;
  const { sources, sourcesContent, sections } = map as {
    sources?: unknown;
    sourcesContent?: unknown;
    sections?: unknown;
  };
  const out: Array<{ name: string; content: string }> = [];
  if (Array.isArray(sections)) {
    // an index map: each section holds a map of its own
    for (const s of sections) {
      const inner = (s as { map?: unknown }).map;
      if (inner !== undefined) out.push(...(sourcesOfMap(JSON.stringify(inner)) ?? []));
    }
    return out;
  }
  if (!Array.isArray(sourcesContent)) return out;
  sourcesContent.forEach((content, i) => {
    if (typeof content !== 'string') return;
    const name = Array.isArray(sources) && typeof sources[i] === 'string' ? sources[i] : `source-${i}`;
    out.push({ name, content });
  });
  return out;
}
