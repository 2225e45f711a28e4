/**
 * End to end, per framework layout: the real ESLint CLI (9 and 10) on small projects under
 * fixtures/eslint-frameworks, each with only a package.json naming its framework and the README's setup (the
 * recommended config, no settings). Each project is copied to a temp dir with one more file holding a key made
 * at run time, so the report for a hardcoded key in that layout's browser (or server) code is checked too. The
 * Nuxt and SvelteKit projects lint their components through vue-eslint-parser and svelte-eslint-parser.
 */
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESLINT_MAJORS,
  type EslintMajor,
  type Finding,
  parseJsonFindings,
  requirePluginBuilt,
  runEslint,
} from './helpers/eslint.js';
import { cloudKey } from './helpers/keys.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDir } from './helpers/tmp.js';

const majors = Object.keys(ESLINT_MAJORS).map(Number) as EslintMajor[];
const KEY = cloudKey();
const MASKED = `${KEY.slice(0, 7)}…${KEY.slice(-4)}`;

interface Layout {
  /** A file written at run time: `const key = '<KEY>';`. */
  keyFile: string;
  /** file line:column rule messageId, in ESLint's order. */
  expected: string[];
  /** A phrase the browser/app messages of this layout must hold (why the file is browser code). */
  why?: string;
}

const LAYOUTS: Record<string, Layout> = {
  'vite-react': {
    keyFile: 'src/widget.ts',
    why: 'under src/, which the bundler ships to the browser (a Vite project: vite is in its package.json)',
    expected: [
      'src/api/statalog.ts 3:21 no-client-side-key directRequest',
      'src/api/statalog.ts 4:41 no-client-side-key keyInBrowser',
      'src/widget.ts 1:14 no-hardcoded-key cloudKeyInClient',
      'vite.config.ts 9:15 no-client-side-key flowToClient',
    ],
  },
  'node-backend': {
    // a backend's client/ folder is server code: the key is reported as hardcoded, with the environment as the fix
    keyFile: 'src/client/config.js',
    expected: [
      'public/widget.js 2:1 no-client-side-key directRequest',
      'src/client/config.js 1:14 no-hardcoded-key cloudKey',
    ],
  },
  nextjs: {
    keyFile: 'app/components/Key.client.tsx',
    expected: [
      'app/components/Chart.tsx 4:15 no-client-side-key keyInBrowser',
      'app/components/Key.client.tsx 1:14 no-hardcoded-key cloudKeyInClient',
      'app/page.tsx 5:25 no-client-side-key flowToClient',
      'src/client/track.ts 1:28 no-client-side-key directRequest',
    ],
  },
  nuxt: {
    keyFile: 'components/key.ts',
    why: 'Nuxt app code, which ships to the browser (a Nuxt project: nuxt is in its package.json)',
    expected: [
      // the template: a key read bound to a prop, and an api_key= URL (with a second read in it)
      'components/Stats.vue 4:57 no-client-side-key keyInBrowser',
      'components/Stats.vue 5:85 no-key-in-url keyInUrl',
      'components/Stats.vue 5:95 no-client-side-key keyInBrowser',
      'components/key.ts 1:14 no-hardcoded-key cloudKeyInClient',
      'composables/useLive.ts 1:30 no-client-side-key directRequest',
      'nuxt.config.ts 4:27 no-client-side-key flowToClient',
    ],
  },
  sveltekit: {
    keyFile: 'src/routes/+layout.ts',
    why: 'a SvelteKit page, layout or universal load, which runs in the browser',
    expected: [
      'src/routes/+layout.ts 1:14 no-hardcoded-key cloudKeyInClient',
      // the markup: a key read passed as a prop, and an api_key= URL in an href
      'src/routes/+page.svelte 6:21 no-client-side-key keyInBrowser',
      'src/routes/+page.svelte 7:66 no-key-in-url keyInUrl',
      'src/routes/live/+page.ts 3:21 no-client-side-key directRequest',
    ],
  },
  expo: {
    keyFile: 'app/key.ts',
    why: 'app code, which ships in the app bundle to every device (an Expo project: expo is in its package.json)',
    expected: [
      'app.config.ts 2:71 no-client-side-key flowToClient',
      'app/index.tsx 4:15 no-client-side-key keyInBrowser',
      'app/key.ts 1:14 no-hardcoded-key cloudKeyInClient',
    ],
  },
  angular: {
    keyFile: 'src/app/key.ts',
    why: 'Angular app code, which ships to the browser',
    expected: [
      'src/app/key.ts 1:14 no-hardcoded-key cloudKeyInClient',
      'src/app/stats.service.ts 3:12 no-client-side-key directRequest',
    ],
  },
};

const summary = (f: Finding): string =>
  `${f.file} ${f.line}:${f.column} ${f.ruleId?.replace('@statalog/', '')} ${f.messageId}`;

let base: string;
beforeAll(() => {
  requirePluginBuilt();
  base = tempDir('statalog-eslint-frameworks-');
  for (const [name, layout] of Object.entries(LAYOUTS)) {
    const dir = join(base, name);
    cpSync(join(REPO_ROOT, 'fixtures/eslint-frameworks', name), dir, { recursive: true });
    // resolve eslint, the parser and @statalog/eslint-plugin from the workspace, as an installed project would
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    mkdirSync(dirname(join(dir, layout.keyFile)), { recursive: true });
    writeFileSync(join(dir, layout.keyFile), `const key = '${KEY}';\nexport default key;\n`);
  }
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe.each(majors)('ESLint %i, recommended config, no settings', (major) => {
  it.each(Object.keys(LAYOUTS))('%s: browser and server code told apart by the project layout', (name) => {
    const layout = LAYOUTS[name]!;
    const dir = join(base, name);
    const run = runEslint(major, dir, ['--format', 'json', '.']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const findings = parseJsonFindings(run.stdout, dir);
    expect(findings.map(summary)).toEqual(layout.expected);
    for (const finding of findings) {
      expect(finding.message.includes(KEY)).toBe(false);
      expect(finding.message).not.toMatch(/page source/);
      if (finding.messageId?.startsWith('cloudKey')) expect(finding.message).toContain(MASKED);
      const component = /\.(?:vue|svelte)$/.test(finding.file);
      if (component && finding.messageId === 'keyInBrowser')
        expect(finding.message).toContain('is a Vue or Svelte component, which ships to the browser');
      const aboutTheFile =
        !component && ['keyInBrowser', 'directRequest', 'cloudKeyInClient'].includes(finding.messageId ?? '');
      if (layout.why && aboutTheFile) expect(finding.message).toContain(layout.why);
      if (name === 'expo') expect(finding.message).toMatch(/the app bundle/);
    }
  });
});
