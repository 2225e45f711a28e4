/** What the site scan follows in a page and a script: tags a browser would load, and nothing else. */
import { describe, expect, it } from 'vitest';
import { decodeDataUrl, importsOfScript, scriptsOfPage, sourceMapOf, sourcesOfMap } from '../../src/sites/extract.js';

const PAGE = 'https://example.com/app/page.html';

describe('scriptsOfPage', () => {
  it('script src in every quoting, modulepreload and preload-as-script, resolved, each once, in page order', () => {
    const html = `
      <SCRIPT SRC="/a.js"></SCRIPT>
      <script type=module src=b.js></script>
      <script data-x='>' src='../c.js?v=1&amp;t=2#frag'></script>
      <link rel="modulepreload" href="/d.js"><link rel="preload" as="script" href="/e.js">
      <link rel="preload" as="style" href="/f.css"><link rel="stylesheet" href="/g.css">
      <script data-src="/lazy.js"></script><script>var inline = 1;</script>
      <!-- <script src="/commented.js"></script> -->
      <script src="/a.js"></script><script src="https://cdn.example.net/x.js"></script>
      <script src="data:text/javascript,1"></script>`;
    expect(scriptsOfPage(html, PAGE)).toEqual([
      'https://example.com/a.js',
      'https://example.com/app/b.js',
      'https://example.com/c.js?v=1&t=2',
      'https://example.com/d.js',
      'https://example.com/e.js',
      'https://cdn.example.net/x.js',
    ]);
  });

  it('a <base href> changes what relative URLs resolve against', () => {
    expect(scriptsOfPage('<base href="/static/"><script src="main.js"></script>', PAGE)).toEqual([
      'https://example.com/static/main.js',
    ]);
  });
});

describe('importsOfScript', () => {
  it('static, re-export, side-effect and dynamic imports of paths and URLs; bare names are not URLs', () => {
    const js = `import{a as b}from"./chunk-1.js";export*from"../lib/x.js";import"/polyfill.js";import React from "react";const l=()=>import('./lazy.js');import(\`./tpl.js\`);`;
    expect(importsOfScript(js, 'https://example.com/assets/main.js')).toEqual([
      'https://example.com/assets/chunk-1.js',
      'https://example.com/lib/x.js',
      'https://example.com/polyfill.js',
      'https://example.com/assets/lazy.js',
      'https://example.com/assets/tpl.js',
    ]);
  });
});

describe('source maps', () => {
  it('the last sourceMappingURL comment, or the SourceMap header first; inline data: maps decoded', () => {
    const url = 'https://example.com/assets/main.js';
    expect(sourceMapOf('x\n//# sourceMappingURL=old.map\n//# sourceMappingURL=main.js.map\n', url, null)).toBe(
      'https://example.com/assets/main.js.map',
    );
    expect(sourceMapOf('x\n//@ sourceMappingURL=legacy.map', url, null)).toBe('https://example.com/assets/legacy.map');
    expect(sourceMapOf('x\n//# sourceMappingURL=main.js.map', url, '/maps/main.map')).toBe(
      'https://example.com/maps/main.map',
    );
    expect(sourceMapOf('no comment', url, null)).toBeUndefined();
    const inline = `data:application/json;charset=utf-8;base64,${Buffer.from('{"version":3}').toString('base64')}`;
    expect(sourceMapOf(`x\n//# sourceMappingURL=${inline}`, url, null)).toBe(inline);
    expect(decodeDataUrl(inline)?.toString()).toBe('{"version":3}');
  });

  it('sourcesContent with the source names; index maps by section; not a map: undefined', () => {
    expect(
      sourcesOfMap(JSON.stringify({ version: 3, sources: ['a.ts', 'b.ts'], sourcesContent: ['A', null] })),
    ).toEqual([{ name: 'a.ts', content: 'A' }]);
    expect(
      sourcesOfMap(
        JSON.stringify({
          version: 3,
          sections: [{ offset: { line: 0, column: 0 }, map: { sources: ['s.ts'], sourcesContent: ['S'] } }],
        }),
      ),
    ).toEqual([{ name: 's.ts', content: 'S' }]);
    expect(sourcesOfMap('not json')).toBeUndefined();
  });
});
