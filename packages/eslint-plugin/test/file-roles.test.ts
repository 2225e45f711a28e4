import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../src/rules/no-client-side-key.js';
import { projectOf } from '../src/project.js';
import { appData, browserData, inProject, ruleTester, withEspree } from './support.js';

/**
 * Which files are browser code, per framework layout, with nothing configured: each fixture project under
 * fixtures/eslint-frameworks has only a package.json naming its framework. A key read reports in browser code
 * and says why; anywhere else it is fine.
 */
const READ = 'const key = process.env.STATALOG_API_KEY;';
const data = (reason: string) => ({ name: 'STATALOG_API_KEY', ...browserData(reason) });
const project = (name: string, dependency: string): string =>
  `(${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} project: ${dependency} is in its package.json)`;
const VITE = project('Vite', 'vite');

const browser = (fixture: string, path: string, reason: string, mobile = false) => ({
  code: READ,
  filename: inProject(fixture, path),
  errors: [
    {
      messageId: 'keyInBrowser' as const,
      data: { name: 'STATALOG_API_KEY', ...(mobile ? appData(reason) : browserData(reason)) },
    },
  ],
});
const notBrowser = (fixture: string, path: string) => ({
  code: READ,
  filename: inProject(fixture, path),
  name: `${fixture}/${path}`,
});

ruleTester.run(
  'file roles from the project',
  rule,
  withEspree({
    valid: [
      // Vite SPA: server folders, root-level functions, tests and configs are not browser code
      notBrowser('vite-react', 'api/stats.ts'),
      notBrowser('vite-react', 'server/index.ts'),
      notBrowser('vite-react', 'src/server/render.ts'),
      notBrowser('vite-react', 'src/App.test.tsx'),
      notBrowser('vite-react', 'vite.config.ts'),
      notBrowser('vite-react', 'src/entry-server.tsx'),
      notBrowser('vite-react', 'e2e/stats.ts'),
      notBrowser('expo', 'plugins/withStatalog.js'),
      // a Node backend: client/ and api/ are just folder names there
      notBrowser('node-backend', 'src/client/statalog.js'),
      notBrowser('node-backend', 'src/api/routes.js'),
      notBrowser('node-backend', 'lib/stats.js'),
      // Next.js: server components and route handlers are server code unless a directive says otherwise
      notBrowser('nextjs', 'app/page.tsx'),
      notBrowser('nextjs', 'app/api/stats/route.ts'),
      notBrowser('nextjs', 'pages/api/live.ts'),
      // Nuxt, SvelteKit, Angular, Expo server sides
      notBrowser('nuxt', 'server/api/stats.ts'),
      notBrowser('nuxt', 'plugins/stats.server.ts'),
      notBrowser('sveltekit', 'src/routes/+page.server.ts'),
      notBrowser('sveltekit', 'src/routes/api/+server.ts'),
      notBrowser('sveltekit', 'src/lib/server/statalog.ts'),
      notBrowser('sveltekit', 'src/hooks.server.ts'),
      notBrowser('angular', 'src/server.ts'),
      notBrowser('angular', 'src/main.server.ts'),
      notBrowser('expo', 'app/api/stats+api.ts'),
      notBrowser('expo', 'app.config.ts'),
      notBrowser('react-native', 'android/app/src/main/index.js'),
      // Astro: frontmatter and endpoints run on the server, even with React islands in the project
      notBrowser('astro', 'src/pages/index.astro'),
      notBrowser('astro', 'src/pages/api/stats.ts'),
      notBrowser('astro', 'src/middleware.ts'),
      notBrowser('gatsby', 'src/api/stats.js'),
      notBrowser('gatsby', 'gatsby-node.js'),
      notBrowser('plain', 'src/client/statalog.js'),
      // a presence check is no secret, even in browser code
      {
        code: 'const hasStatalogKey = Boolean(process.env.STATALOG_API_KEY);',
        filename: inProject('vite-react', 'src/App.tsx'),
      },
      {
        code: 'if (!import.meta.env.STATALOG_API_KEY) console.warn("not configured");',
        filename: inProject('vite-react', 'src/App.tsx'),
      },
      // the user's serverFiles beat the built-in src/** default
      {
        code: READ,
        filename: inProject('vite-react', 'src/legacy/ssr.ts'),
        settings: { statalog: { serverFiles: ['**/src/legacy/**'] } },
      },
    ],
    invalid: [
      browser('vite-react', 'src/App.tsx', `src/App.tsx is under src/, which the bundler ships to the browser ${VITE}`),
      browser(
        'vite-react',
        'src/api/statalog.ts',
        `src/api/statalog.ts is under src/, which the bundler ships to the browser ${VITE}`,
      ),
      browser('nextjs', 'src/client/stats.ts', 'src/client/stats.ts is in a client/ folder, which holds browser code'),
      browser('nextjs', 'app/stats.client.tsx', 'app/stats.client.tsx is named .client., which marks browser code'),
      browser(
        'node-backend',
        'public/widget.js',
        'public/widget.js is in public/, which is served to browsers as it is',
      ),
      browser(
        'nuxt',
        'composables/useLive.ts',
        `composables/useLive.ts is Nuxt app code, which ships to the browser ${project('Nuxt', 'nuxt')}`,
      ),
      browser(
        'nuxt',
        'app.config.ts',
        `app.config.ts is the Nuxt app config, which is bundled for the browser ${project('Nuxt', 'nuxt')}`,
      ),
      browser(
        'nuxt',
        'app/pages/index.ts',
        `app/pages/index.ts is Nuxt app code, which ships to the browser ${project('Nuxt', 'nuxt')}`,
      ),
      browser(
        'sveltekit',
        'src/routes/live/+page.ts',
        `src/routes/live/+page.ts is a SvelteKit page, layout or universal load, which runs in the browser ${project('SvelteKit', '@sveltejs/kit')}`,
      ),
      browser('sveltekit', 'src/hooks.client.ts', 'src/hooks.client.ts is named .client., which marks browser code'),
      browser(
        'angular',
        'src/app/stats.service.ts',
        `src/app/stats.service.ts is Angular app code, which ships to the browser ${project('Angular', '@angular/core')}`,
      ),
      browser(
        'expo',
        'app/index.tsx',
        `app/index.tsx is app code, which ships in the app bundle to every device ${project('Expo', 'expo')}`,
        true,
      ),
      browser(
        'expo',
        'components/Stats.tsx',
        `components/Stats.tsx is app code, which ships in the app bundle to every device ${project('Expo', 'expo')}`,
        true,
      ),
      browser(
        'react-native',
        'index.js',
        `index.js is app code, which ships in the app bundle to every device ${project('React Native', 'react-native')}`,
        true,
      ),
      browser(
        'astro',
        'src/components/Chart.astro/0_0.ts',
        `src/components/Chart.astro/0_0.ts is a <script> of an Astro component, which runs in the browser ${project('Astro', 'astro')}`,
      ),
      browser(
        'gatsby',
        'src/pages/index.js',
        `src/pages/index.js is under src/, which Gatsby ships to the browser ${project('Gatsby', 'gatsby')}`,
      ),
      {
        // the user's clientFiles beat the built-in api/ server default
        code: READ,
        filename: inProject('nextjs', 'src/api/stats.ts'),
        settings: { statalog: { clientFiles: ['**/src/api/**'] } },
        // (RuleTester lints with the file system root as its working directory)
        errors: [
          {
            messageId: 'keyInBrowser',
            data: data(
              `${inProject('nextjs', 'src/api/stats.ts').slice(1)} matches your clientFiles pattern **/src/api/**`,
            ),
          },
        ],
      },
      {
        // Bun and Deno read the environment too
        code: "const a = Bun.env.STATALOG_API_KEY;\nconst b = Deno.env.get('STATALOG_API_KEY');",
        filename: inProject('vite-react', 'src/App.tsx'),
        errors: [
          { messageId: 'keyInBrowser', line: 1 },
          { messageId: 'keyInBrowser', line: 2 },
        ],
      },
    ],
  }),
);

describe('projectOf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statalog-project-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the framework from the nearest package.json, most specific first', () => {
    mkdirSync(join(dir, 'app/src/deep'), { recursive: true });
    writeFileSync(
      join(dir, 'app/package.json'),
      JSON.stringify({ dependencies: { nuxt: '4', vue: '3' }, devDependencies: { vite: '7' } }),
    );
    const found = projectOf(join(dir, 'app/src/deep/x.ts'));
    expect(found).toEqual({ root: join(dir, 'app'), framework: 'nuxt', dependency: 'nuxt' });
  });

  it('reads each package.json once: later files of the same tree use the cached answer', () => {
    mkdirSync(join(dir, 'cached/a/b'), { recursive: true });
    writeFileSync(join(dir, 'cached/package.json'), JSON.stringify({ devDependencies: { vite: '7' } }));
    expect(projectOf(join(dir, 'cached/a/b/one.ts'))?.framework).toBe('vite');
    // changing the file does not change the answer for any directory the first lookup walked through
    writeFileSync(join(dir, 'cached/package.json'), JSON.stringify({ dependencies: { express: '5' } }));
    expect(projectOf(join(dir, 'cached/a/b/two.ts'))?.framework).toBe('vite');
    expect(projectOf(join(dir, 'cached/a/three.ts'))?.framework).toBe('vite');
  });

  it('React or Vite beside a server framework is a server-rendering project: src/ is not browser code by default', () => {
    mkdirSync(join(dir, 'ssr'), { recursive: true });
    writeFileSync(
      join(dir, 'ssr/package.json'),
      JSON.stringify({ dependencies: { express: '5', react: '19', 'react-dom': '19' } }),
    );
    expect(projectOf(join(dir, 'ssr/src/render.tsx'))).toEqual({
      root: join(dir, 'ssr'),
      framework: 'ssr',
      dependency: 'react',
    });
  });

  it('a project without a framework, and a broken package.json, have none', () => {
    mkdirSync(join(dir, 'plain'), { recursive: true });
    writeFileSync(join(dir, 'plain/package.json'), JSON.stringify({ dependencies: { express: '5' } }));
    expect(projectOf(join(dir, 'plain/x.js'))).toEqual({ root: join(dir, 'plain') });
    mkdirSync(join(dir, 'broken'), { recursive: true });
    writeFileSync(join(dir, 'broken/package.json'), '{ not json');
    expect(projectOf(join(dir, 'broken/x.js'))).toEqual({ root: join(dir, 'broken') });
  });
});
