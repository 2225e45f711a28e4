import rule from '../src/rules/no-client-side-key.js';
import {
  at,
  browserData,
  cloudKey,
  shortCommunityValue,
  inProject,
  maskedNames,
  ruleTester,
  startOf,
  tsx,
  withEspree,
} from './support.js';

const KEY = cloudKey();
const COMMUNITY = shortCommunityValue();
const ENV = 'process.env.STATALOG_API_KEY';
const USE_CLIENT = "'use client';\n";
const DIRECTIVE_REASON = "the module starts with 'use client'";
const NEXT = (path: string): string => inProject('nextjs', path);
const CLIENT_FOLDER = 'src/client/stats.ts is in a client/ folder, which holds browser code';
const serverRoute = `const res = await fetch('https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3', {\n  headers: { Authorization: \`Bearer \${${ENV}}\` },\n});`;

const nextPublic = 'const key = process.env.NEXT_PUBLIC_STATALOG_API_KEY;';
const vite = 'const key = import.meta.env.VITE_STATALOG_KEY;';
const destructured = 'const { REACT_APP_STATALOG_TOKEN, REACT_APP_SITE_ID } = process.env;';
const svelteStatic = "import { PUBLIC_STATALOG_API_KEY, PUBLIC_SITE_ID } from '$env/static/public';";
const svelteDynamic = "import { env } from '$env/dynamic/public';\nconst key = env.PUBLIC_STATALOG_API_KEY;";
const envInClient = `${USE_CLIENT}export function Stats() {\n  const key = ${ENV};\n  return null;\n}`;
const viteInClient = 'const key = import.meta.env.STATALOG_API_KEY;';
const directFetch = `${USE_CLIENT}const res = await fetch('https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3');`;
const directConst =
  "const STATALOG = 'https://app.statalog.com';\nexport const load = () => axios.get(STATALOG + '/api/v1/pages', { params: { site_id } });";
const directUrl =
  "const url = new URL('/api/v1/stats', 'https://app.statalog.com');\nurl.searchParams.set('site_id', site);\nconst res = await fetch(url);";
const directXhr =
  "const xhr = new XMLHttpRequest();\nxhr.open('GET', 'https://app.statalog.com/api/v1/live?site_id=ST-A1B2C3');";
const directSelfHosted = "const res = await fetch('https://stats.example.com/api/v1/stats?site_id=ST-A1B2C3');";
const jsxClient = `${USE_CLIENT}export const Stats = () => <Chart apiKey={${ENV}} />;`;

ruleTester.run(
  'no-client-side-key',
  rule,
  withEspree(
    maskedNames(
      {
        valid: [
          { code: serverRoute, filename: 'app/api/stats/route.ts' },
          {
            code: `'use server';\nexport async function stats() {\n  return fetch(url, { headers: { Authorization: \`Bearer \${${ENV}}\` } });\n}`,
            filename: 'app/actions.ts',
          },
          { code: `'use server';\nconst key = ${ENV};`, filename: 'src/client/actions.ts' },
          { code: `${USE_CLIENT}const res = await fetch('/api/stats');` },
          { code: `${USE_CLIENT}const res = await fetch('/api/v1/stats?site_id=ST-A1B2C3');` },
          { code: `${USE_CLIENT}const site = process.env.NEXT_PUBLIC_STATALOG_SITE_ID;` },
          { code: `const key = ${ENV};`, filename: inProject('plain', 'src/lib/statalog.ts') },
          { code: `const key = ${ENV};`, filename: 'src/stats.server.ts' },
          { code: `const key = ${ENV};`, filename: 'src/client/stats.server.ts' },
          { code: `const key = ${ENV};`, filename: 'src/lib/server/statalog.ts' },
          {
            code: "const res = await fetch('https://stats.example.com/collect', { method: 'POST' });",
            filename: NEXT('src/client/track.ts'),
            settings: { statalog: { selfHostedHosts: ['stats.example.com'] } },
          },
          { code: `const key = ${ENV};`, languageOptions: { globals: { window: 'readonly', document: 'readonly' } } },
          { code: `${USE_CLIENT}const key = '${KEY}'; // statalog:allow` },
          { code: `${USE_CLIENT}const sdk = '<script src="https://cdn.example.com/sdk.js">';` },
        ],
        invalid: [
          {
            code: nextPublic,
            filename: 'app/api/route.ts',
            errors: [
              {
                messageId: 'publicEnv',
                data: { name: 'NEXT_PUBLIC_STATALOG_API_KEY' },
                ...at(nextPublic, 'process.env.NEXT_PUBLIC_STATALOG_API_KEY'),
              },
            ],
          },
          {
            code: 'const key = import.meta.env.PUBLIC_STATALOG_API_KEY;',
            filename: 'src/pages/index.astro.ts',
            errors: [{ messageId: 'publicEnv', data: { name: 'PUBLIC_STATALOG_API_KEY' } }],
          },
          {
            code: "const key = process.env['EXPO_PUBLIC_STATALOG_KEY'];",
            errors: [{ messageId: 'publicEnv', data: { name: 'EXPO_PUBLIC_STATALOG_KEY' } }],
          },
          {
            code: vite,
            errors: [
              {
                messageId: 'publicEnv',
                data: { name: 'VITE_STATALOG_KEY' },
                ...at(vite, 'import.meta.env.VITE_STATALOG_KEY'),
              },
            ],
          },
          {
            code: destructured,
            errors: [
              {
                messageId: 'publicEnv',
                data: { name: 'REACT_APP_STATALOG_TOKEN' },
                ...at(destructured, 'REACT_APP_STATALOG_TOKEN'),
              },
            ],
          },
          {
            code: svelteStatic,
            errors: [
              {
                messageId: 'publicEnv',
                data: { name: 'PUBLIC_STATALOG_API_KEY' },
                ...at(svelteStatic, 'PUBLIC_STATALOG_API_KEY'),
              },
            ],
          },
          {
            code: svelteDynamic,
            errors: [
              {
                messageId: 'publicEnv',
                data: { name: 'PUBLIC_STATALOG_API_KEY' },
                ...at(svelteDynamic, 'env.PUBLIC_STATALOG_API_KEY'),
              },
            ],
          },
          {
            code: 'const key = process.env.NEXT_PUBLIC_ANALYTICS_KEY;',
            settings: { statalog: { envVarNames: ['ANALYTICS_KEY'] } },
            errors: [{ messageId: 'publicEnv', data: { name: 'NEXT_PUBLIC_ANALYTICS_KEY' } }],
          },
          {
            code: 'const key = process.env.PUBLIC_STATALOG_API_KEY;',
            options: [{ publicEnvPrefixes: ['PUBLIC_'] }],
            errors: [{ messageId: 'publicEnv' }],
          },
          {
            code: envInClient,
            filename: 'app/components/Stats.tsx',
            errors: [
              {
                messageId: 'keyInBrowser',
                data: { name: 'STATALOG_API_KEY', ...browserData(DIRECTIVE_REASON) },
                ...at(envInClient, ENV),
              },
            ],
          },
          {
            code: jsxClient,
            languageOptions: tsx,
            filename: 'app/components/Stats.tsx',
            errors: [{ messageId: 'keyInBrowser', ...at(jsxClient, ENV) }],
          },
          {
            code: viteInClient,
            filename: NEXT('src/client/stats.ts'),
            errors: [
              {
                messageId: 'keyInBrowser',
                data: { name: 'STATALOG_API_KEY', ...browserData(CLIENT_FOLDER) },
                ...at(viteInClient, 'import.meta.env.STATALOG_API_KEY'),
              },
            ],
          },
          { code: viteInClient, filename: 'src/stats.client.ts', errors: [{ messageId: 'keyInBrowser' }] },
          { code: viteInClient, filename: 'public/widget.js', errors: [{ messageId: 'keyInBrowser' }] },
          {
            code: viteInClient,
            filename: 'web/widget.ts',
            options: [{ clientFiles: ['web/**'] }],
            errors: [{ messageId: 'keyInBrowser' }],
          },
          {
            code: viteInClient,
            filename: 'web/widget.ts',
            settings: { statalog: { clientFiles: ['web/**'] } },
            errors: [{ messageId: 'keyInBrowser' }],
          },
          {
            code: viteInClient,
            settings: { statalog: { browserGlobals: true } },
            languageOptions: { globals: { window: 'readonly' } },
            errors: [
              {
                messageId: 'keyInBrowser',
                data: { name: 'STATALOG_API_KEY', ...browserData('its ESLint config declares browser globals') },
              },
            ],
          },
          {
            code: `${USE_CLIENT}const key = ${ENV};`,
            filename: 'src/server/widget.tsx',
            errors: [
              { messageId: 'keyInBrowser', data: { name: 'STATALOG_API_KEY', ...browserData(DIRECTIVE_REASON) } },
            ],
          },
          {
            code: directFetch,
            errors: [
              { messageId: 'directRequest', data: browserData(DIRECTIVE_REASON), ...startOf(directFetch, 'fetch(') },
            ],
          },
          {
            code: directConst,
            filename: 'src/routes/+page.client.ts',
            errors: [{ messageId: 'directRequest', ...startOf(directConst, 'axios.get(') }],
          },
          {
            code: directUrl,
            filename: NEXT('src/client/stats.ts'),
            errors: [{ messageId: 'directRequest', ...startOf(directUrl, 'fetch(url)') }],
          },
          {
            code: directXhr,
            filename: 'src/live.client.ts',
            errors: [{ messageId: 'directRequest', ...startOf(directXhr, 'xhr.open(') }],
          },
          {
            code: directSelfHosted,
            filename: NEXT('src/client/stats.ts'),
            settings: { statalog: { selfHostedHosts: ['stats.example.com'] } },
            errors: [{ messageId: 'directRequest', ...startOf(directSelfHosted, 'fetch(') }],
          },
        ],
      },
      [KEY, COMMUNITY],
    ),
  ),
);
