/**
 * `statalog-scan --url https://example.com/`: what a deployed site serves to every visitor. For each named
 * page: the page, the same-origin scripts it loads (`<script src>`, `modulepreload`), the modules those
 * scripts import (one level), and every fetched script's source map (its `sourcesContent` searched source by
 * source). Each goes through core's `scanContent`; a finding's `file` is the URL (a source inside a map:
 * `map-url!webpack://app/src/config.ts`). Other origins are never contacted: their scripts are listed as not
 * fetched. Caps (size, count, time) are in fetch.ts; what they stop is reported.
 */
import { createFinding, findingInputOf, scanContent, type Finding } from '@statalog/core';
import { UsageError } from '../args.js';
import type { ModeContext } from '../modes.js';
import { shownName } from '../shown-name.js';
import { emptyStats, type ModeResult, type ScanStats } from '../report-model.js';
import { decodeDataUrl, importsOfScript, scriptsOfPage, sourceMapOf, sourcesOfMap } from './extract.js';
import { DEFAULT_SITE_LIMITS, isAllowedScheme, SiteFetcher, type Fetched, type SiteLimits } from './fetch.js';

/** Requests in flight at once (per run). */
const CONCURRENCY = 6;

export async function scanSites(ctx: ModeContext, limits: SiteLimits = DEFAULT_SITE_LIMITS): Promise<ModeResult> {
  const pages = ctx.args.urls.map(checkUrl);
  const origins = new Set(pages.map((p) => p.origin));
  const fetcher = new SiteFetcher(origins, limits, 'statalog-scan (+https://github.com/statalog/key-guard)');
  const run = new SiteRun(fetcher, {
    selfHostedHosts: ctx.detect.selfHostedHosts,
    includeExamples: ctx.detect.includeExamples,
  });

  const pageScripts = await run.all(
    pages.map((p) => p.href),
    (url) => run.page(url),
  );
  const modules = await run.all(pageScripts.flat(), (url) => run.script(url, true));
  await run.all(modules.flat(), (url) => run.script(url, false));
  const maps = run.takeMaps();
  await run.all(maps, (url) => run.sourceMap(url));

  const { stats, findings } = run;
  stats.skippedFiles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  stats.skipped = stats.skippedFiles.length;
  return { findings, stats, inScope: (file) => [...origins].some((o) => file.startsWith(`${o}/`)) };
}

/** A `--url` value: absolute, https (or loopback http), no credentials — else a usage error naming it. */
function checkUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `option --url needs an absolute URL such as https://example.com/ (got ${JSON.stringify(value.slice(0, 80))})`,
    );
  }
  if (!isAllowedScheme(url))
    throw new UsageError(
      `option --url: ${url.protocol}//${url.host} is not https:// (plain http:// is allowed only for localhost and 127.0.0.1)`,
    );
  if (url.username !== '' || url.password !== '')
    throw new UsageError('option --url must not carry a user name or password');
  url.hash = '';
  return url;
}

class SiteRun {
  readonly stats: ScanStats = emptyStats();
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private maps: string[] = [];
  private capNoted = false;

  constructor(
    private readonly fetcher: SiteFetcher,
    private readonly options: { selfHostedHosts: readonly string[]; includeExamples: boolean },
  ) {}

  /** Runs `task` for each URL not seen before, a few at a time; each task returns the URLs it found. */
  async all(urls: readonly string[], task: (url: string) => Promise<string[]>): Promise<string[][]> {
    const fresh = urls.filter((u) => !this.seen.has(u) && (this.seen.add(u), true));
    const out: string[][] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < fresh.length) {
        const url = fresh[next++]!;
        const cap = this.fetcher.exhausted;
        if (cap) {
          this.skip(url, `not fetched: the scan reached ${cap}`, true);
          continue;
        }
        out.push(await task(url));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, fresh.length) }, worker));
    return out;
  }

  takeMaps(): string[] {
    const maps = this.maps;
    this.maps = [];
    return maps;
  }

  async page(url: string): Promise<string[]> {
    const got = await this.fetcher.get(url);
    // an unreachable or failing page is an incomplete scan, whatever the status
    if (!got.ok) return (this.failed(got, true), []);
    this.search(got.url, got.body, htmlName(got.url, got.contentType));
    if (!/html/i.test(got.contentType) && !/^\s*</.test(got.body.subarray(0, 512).toString('latin1'))) return [];
    return this.sameOrigin(scriptsOfPage(got.body.toString('utf8'), got.url), got.url);
  }

  /** A script: searched; its source map queued; with `followImports`, the modules it imports returned. */
  async script(url: string, followImports: boolean): Promise<string[]> {
    const got = await this.fetcher.get(url);
    if (!got.ok) return (this.failed(got, !got.missing), []);
    this.search(got.url, got.body, pathName(got.url, 'script.js'));
    const js = got.body.toString('utf8');
    const map = sourceMapOf(js, got.url, got.sourceMap);
    if (map !== undefined) {
      if (map.startsWith('data:')) this.searchMap(`${got.url}!sourceMappingURL`, decodeDataUrl(map));
      else if (this.fetcher.allows(map)) this.maps.push(map);
      else this.skip(map, 'source map on another origin: not fetched (name that origin with --url to scan it)', false);
    }
    const imports = this.sameOrigin(importsOfScript(js, got.url), got.url);
    if (followImports) return imports;
    for (const u of imports) {
      if (this.seen.has(u)) continue;
      this.seen.add(u);
      this.skip(u, `imported by ${got.url}: not fetched (one level of imports is followed)`, false);
    }
    return [];
  }

  async sourceMap(url: string): Promise<string[]> {
    const got = await this.fetcher.get(url);
    // many sites do not publish their maps: a map that is not there holds nothing that is served
    if (!got.ok) return (this.failed(got, !got.missing), []);
    this.searchMap(got.url, got.body);
    return [];
  }

  /** A map's own JSON is not searched as a whole: each original source in it is, at its own lines. */
  private searchMap(url: string, body: Buffer | undefined): void {
    if (body === undefined) return;
    const sources = sourcesOfMap(body.toString('utf8'));
    if (sources === undefined) return this.search(url, body, 'map.json');
    for (const { name, content } of sources) this.search(`${url}!${name}`, Buffer.from(content, 'utf8'), name);
  }

  private sameOrigin(urls: string[], from: string): string[] {
    return urls.filter((u) => {
      if (this.fetcher.allows(u)) return true;
      if (!this.seen.has(u)) {
        this.seen.add(u);
        this.skip(u, `another origin (loaded by ${from}): not fetched — name it with --url to scan it`, false);
      }
      return false;
    });
  }

  private search(file: string, body: Buffer, name: string): void {
    const { binary, matches } = scanContent(body, name, this.options);
    this.stats.files++;
    this.stats.bytes += body.length;
    if (binary) this.stats.binary++;
    const shown = shownName(file); // a URL can carry a key (`/widget.js?api_key=…`)
    for (const m of matches) this.findings.push(createFinding(findingInputOf(m, shown)));
  }

  private failed(got: Extract<Fetched, { ok: false }>, error: boolean): void {
    this.skip(got.url, got.missing ? `${got.reason}: nothing served there` : got.reason, error);
  }

  private skip(file: string, reason: string, error: boolean): void {
    if (reason.startsWith('not fetched: the scan reached')) {
      if (this.capNoted)
        return void this.stats.skippedFiles.push({ file: shownName(file), reason: 'not fetched (cap reached)', error });
      this.capNoted = true;
    }
    this.stats.skippedFiles.push({ file: shownName(file), reason: shownName(reason), error });
  }
}

/** The name that picks the syntax: the URL's path, `index.html` for a page without an extension. */
function htmlName(url: string, contentType: string): string {
  return /html/i.test(contentType)
    ? pathName(url, 'index.html').replace(/(^|\/)([^./]*)$/, '$1$2/index.html')
    : pathName(url, 'index.html');
}

function pathName(url: string, fallback: string): string {
  const path = new URL(url).pathname;
  return path === '/' || path === '' ? fallback : path;
}
