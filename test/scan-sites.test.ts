/**
 * `--url`: a site served from a loopback server — an HTML page with an inline script, a module bundle
 * (minified), a modulepreloaded vendor chunk whose map is named by a `SourceMap` header, a lazily imported
 * chunk, source maps with `sourcesContent` — plus a third-party script on another origin that must never be
 * requested. Every key is found with the URL as its file; nothing else is contacted; no request carries a
 * cookie or credentials; an unreachable site is one line on stderr and exit 2.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { positionOf } from './helpers/archives.js';
import { cloudKey, communityValue, leakedSecrets } from './helpers/keys.js';
import { scan, scanJson } from './helpers/scan.js';
import { serveSite, type Site } from './helpers/site.js';

let sites: Site[] = [];
afterEach(async () => {
  await Promise.all(sites.map((s) => s.close()));
  sites = [];
});

async function serve(routes: Parameters<typeof serveSite>[0]): Promise<Site> {
  const site = await serveSite(routes);
  sites.push(site);
  return site;
}

const JS = 'text/javascript; charset=utf-8';

describe('a deployed site', () => {
  it('the page, its scripts, one level of imports and the source maps: each key under its URL; other origins untouched', async () => {
    const keys = { inline: cloudKey(), bundle: cloudKey(), lazy: cloudKey(), vendorSource: communityValue() };
    const thirdParty = await serve({ '/analytics.js': { body: 'console.log(1)', type: JS } });
    const html = [
      '<!doctype html><html><head><meta charset="utf-8">',
      '<link rel="modulepreload" crossorigin href="/assets/vendor-1a2b.js">',
      '<script type="module" crossorigin src="/assets/index-9f8e.js"></script>',
      `<script async src="${thirdParty.origin}/analytics.js"></script>`,
      '<!-- <script src="/assets/commented-out.js"></script> -->',
      `<script>window.__CFG={site:"ST-A1B2C3",key:"${keys.inline}"}</script>`,
      '</head><body><div id="app"></div></body></html>',
    ].join('\n');
    const bundle = `import{v as e}from"./vendor-1a2b.js";const t=()=>import("./lazy-77aa.js");const n={key:"${keys.bundle}"};e(n),t();\n//# sourceMappingURL=index-9f8e.js.map\n`;
    const main = `import { init } from './vendor';\n\nconst config = { key: "${keys.bundle}" };\ninit(config);\n`;
    const bundleMap = JSON.stringify({
      version: 3,
      file: 'index-9f8e.js',
      sources: ['../../src/main.ts'],
      sourcesContent: [main],
      names: [],
      mappings: 'AAAA',
    });
    const lazy = `import"./deeper-0000.js";export const k="${keys.lazy}";\n`;
    const vendorSource = `// settings\nexport const STATALOG_API_KEY = "${keys.vendorSource}";\n`;
    const vendorMap = JSON.stringify({
      version: 3,
      sources: ['webpack://app/src/settings.ts'],
      sourcesContent: [vendorSource],
      mappings: '',
    });
    const site = await serve({
      '/': { body: html, type: 'text/html; charset=utf-8' },
      '/assets/index-9f8e.js': { body: bundle, type: JS },
      '/assets/index-9f8e.js.map': { body: bundleMap, type: 'application/json' },
      '/assets/vendor-1a2b.js': {
        body: 'export function v(c){return c}\n',
        type: JS,
        headers: { SourceMap: '/maps/vendor.map' },
      },
      '/maps/vendor.map': { body: vendorMap, type: 'application/json' },
      '/assets/lazy-77aa.js': { body: lazy, type: JS },
      '/assets/deeper-0000.js': { body: `export const k="${cloudKey()}";`, type: JS },
      '/assets/commented-out.js': { body: `export const k="${cloudKey()}";`, type: JS },
    });
    const A = site.origin;

    const { code, report, stderr } = await scanJson(['--url', `${A}/`], {
      env: { HTTP_PROXY: undefined, HTTPS_PROXY: undefined },
    });
    expect(code, stderr).toBe(1);
    const found = report.findings.map((f) => ({ file: f.file, line: f.line, column: f.column }));
    const expected = [
      { file: `${A}/`, ...positionOf(html, keys.inline) },
      { file: `${A}/assets/index-9f8e.js`, ...positionOf(bundle, keys.bundle) },
      { file: `${A}/assets/index-9f8e.js.map!../../src/main.ts`, ...positionOf(main, keys.bundle) },
      { file: `${A}/assets/lazy-77aa.js`, ...positionOf(lazy, keys.lazy) },
      { file: `${A}/maps/vendor.map!webpack://app/src/settings.ts`, ...positionOf(vendorSource, keys.vendorSource) },
    ].sort((a, b) => (a.file < b.file ? -1 : 1));
    expect(found).toEqual(expected);

    // the third party got nothing; the commented-out script and the second level of imports were not fetched
    expect(thirdParty.requests).toEqual([]);
    expect(site.requests.map((r) => r.path).sort()).toEqual([
      '/',
      '/assets/index-9f8e.js',
      '/assets/index-9f8e.js.map',
      '/assets/lazy-77aa.js',
      '/assets/vendor-1a2b.js',
      '/maps/vendor.map',
    ]);
    for (const r of site.requests) {
      expect(r.headers.cookie).toBeUndefined();
      expect(r.headers.authorization).toBeUndefined();
    }
    // what was not fetched is said, by design (error: false), so the run still exits 1, not 2
    // (sorted by file: which of the two comes first depends on the random ports)
    expect(report.stats.skippedFiles).toEqual(
      [
        {
          file: `${A}/assets/deeper-0000.js`,
          reason: expect.stringContaining('one level of imports') as string,
          error: false,
        },
        {
          file: `${thirdParty.origin}/analytics.js`,
          reason: `another origin (loaded by ${A}/): not fetched — name it with --url to scan it`,
          error: false,
        },
      ].sort((a, b) => (a.file < b.file ? -1 : 1)),
    );

    // no key in any format
    for (const format of ['text', 'sarif', 'github']) {
      const result = await scan(['--format', format, '--url', `${A}/`]);
      expect(result.code, format).toBe(1);
      expect(leakedSecrets(result.stdout + result.stderr, Object.values(keys)), format).toEqual([]);
      // github's workflow commands escape ':' in a property; text and SARIF show the URL as it is
      expect(result.stdout, format).toContain(
        format === 'github' ? '/assets/lazy-77aa.js' : `${A}/assets/lazy-77aa.js`,
      );
      if (format === 'sarif') {
        // a URL is an absolute artifact location, not a path under the checkout
        const locations = (
          JSON.parse(result.stdout) as {
            runs: Array<{
              results: Array<{
                locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }>;
              }>;
            }>;
          }
        ).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
        expect(locations.every((l) => l.uri.startsWith(`${A}/`) && l.uriBaseId === undefined)).toBe(true);
      }
    }
  });

  it('a clean site exits 0; a missing source map is not an error, a failing script is (exit 2)', async () => {
    const site = await serve({
      '/app/': { body: '<script src="main.js"></script><script src="/broken.js"></script>', type: 'text/html' },
      '/app/main.js': { body: 'console.log("hi")\n//# sourceMappingURL=main.js.map', type: JS },
      '/broken.js': { status: 500, body: 'oops' },
    });
    const { code, report } = await scanJson(['--url', `${site.origin}/app/`]);
    expect(code).toBe(2);
    expect(report.findings).toEqual([]);
    expect(report.stats.skippedFiles).toEqual([
      { file: `${site.origin}/app/main.js.map`, reason: 'HTTP 404: nothing served there', error: false },
      { file: `${site.origin}/broken.js`, reason: 'HTTP 500', error: true },
    ]);
  });

  it('redirects are followed within the origin only', async () => {
    const key = cloudKey();
    const other = await serve({ '/': { body: `<script>k="${cloudKey()}"</script>`, type: 'text/html' } });
    const site = await serve({
      '/': { status: 302, headers: { location: '/home' } },
      '/home': { body: `<script src="/go.js"></script><script>var k="${key}"</script>`, type: 'text/html' },
      '/go.js': { status: 301, headers: { location: `${other.origin}/` } },
    });
    const { code, report } = await scanJson(['--url', `${site.origin}/`]);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual([`${site.origin}/home`]);
    expect(report.stats.skippedFiles).toEqual([
      {
        file: `${site.origin}/go.js`,
        reason: `redirects to ${other.origin} (another origin): not followed — name it with --url to scan it`,
        error: true,
      },
    ]);
    expect(other.requests).toEqual([]);
  });

  it('a key in a script URL (?api_key=…) is masked wherever the URL is printed', async () => {
    const keys = { query: communityValue(), inScript: cloudKey(), third: cloudKey() };
    const site = await serve({
      '/': {
        body: `<script src="/w.js?api_key=${keys.query}"></script><script src="https://cdn.example.net/t.js?k=${keys.third}"></script>`,
        type: 'text/html',
      },
      '/w.js': { body: `var k="${keys.inScript}";`, type: JS },
    });
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const result = await scan(['--format', format, '--url', `${site.origin}/`]);
      expect(result.code, format).toBe(1);
      expect(leakedSecrets(result.stdout + result.stderr, Object.values(keys)), format).toEqual([]);
    }
    const { report } = await scanJson(['--url', `${site.origin}/`]);
    expect(report.findings.map((f) => f.file)).toContain(
      `${site.origin}/w.js?api_key=${keys.query.slice(0, 2)}…(64 chars)`,
    );
  });

  it('an unreachable site: one line on stderr, exit 2', async () => {
    const gone = await serve({});
    const url = `${gone.origin}/`;
    await gone.close();
    sites = sites.filter((s) => s !== gone);
    const result = await scan(['--url', url]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `statalog-scan: ${url}: cannot be fetched (ECONNREFUSED); not scanned`,
    ]);
  });

  it('usage errors: plain http to a remote host, credentials in the URL, paths beside --url', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--url', 'http://example.com/'],
        'statalog-scan: option --url: http://example.com is not https:// (plain http:// is allowed only for localhost and 127.0.0.1)\n',
      ],
      [
        ['--url', 'https://user:pw@example.com/'],
        'statalog-scan: option --url must not carry a user name or password\n',
      ],
      [
        ['--url', 'example.com'],
        'statalog-scan: option --url needs an absolute URL such as https://example.com/ (got "example.com")\n',
      ],
      [
        ['--url', 'https://example.com/', 'src'],
        'statalog-scan: option --url scans sites and takes no paths (got "src")\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      const result = await scan(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(stderr);
    }
  });
});
