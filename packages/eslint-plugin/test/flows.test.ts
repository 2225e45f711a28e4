import rule from '../src/rules/no-client-side-key.js';
import { at, inProject, ruleTester, tsx, withEspree } from './support.js';

/**
 * Routes from server code into the browser, reported where they are opened: build configs that inline values,
 * page data the framework serialises, props of a 'use client' component. Each with a quiet counterpart.
 */
const ENV = 'process.env.STATALOG_API_KEY';

const nextConfig = `export default {\n  env: { STATALOG_API_KEY: ${ENV}, SITE_ID: process.env.SITE_ID },\n};`;
const viteConfig = [
  "import { defineConfig, loadEnv } from 'vite';",
  'export default defineConfig(({ mode }) => {',
  "  const env = loadEnv(mode, process.cwd(), '');",
  "  return { define: { __STATALOG_KEY__: JSON.stringify(env.STATALOG_API_KEY) }, envPrefix: ['VITE_', 'STATALOG_'] };",
  '});',
].join('\n');
const nuxtConfig =
  "export default defineNuxtConfig({\n  runtimeConfig: { statalogApiKey: '', public: { statalogApiKey: '', siteId: '' } },\n});";
const expoConfig = `export default {\n  expo: { name: 'stats', extra: { statalogApiKey: ${ENV}, siteId: 'ST-A1B2C3' } },\n};`;
const ssp = `export async function getServerSideProps() {\n  return { props: { apiKey: ${ENV} } };\n}`;
const ssg = `export const getStaticProps = async () => ({ props: { config: { key: ${ENV} } } });`;
const load =
  "import { STATALOG_API_KEY } from '$env/static/private';\nexport const load = () => ({ key: STATALOG_API_KEY });";
const prop = `import { Chart } from './components/Chart';\nexport default function Page() {\n  return <Chart apiKey={${ENV}} />;\n}`;

ruleTester.run(
  'flows into client code',
  rule,
  withEspree({
    valid: [
      {
        code: 'export default { env: { SITE_ID: process.env.SITE_ID } };',
        filename: inProject('nextjs', 'next.config.mjs'),
      },
      {
        code: "export default { envPrefix: ['VITE_', 'PUBLIC_'] };",
        filename: inProject('vite-react', 'vite.config.ts'),
      },
      // the private runtime config is the right place
      {
        code: "export default defineNuxtConfig({ runtimeConfig: { statalogApiKey: '' } });",
        filename: inProject('nuxt', 'nuxt.config.ts'),
      },
      // the key used on the server, only its result handed on
      {
        code: `export async function getServerSideProps() {\n  const stats = await fetch(url, { headers: { Authorization: \`Bearer \${${ENV}}\` } });\n  return { props: { stats: await stats.json() } };\n}`,
        filename: inProject('nextjs', 'pages/index.jsx'),
      },
      {
        code: "import { STATALOG_API_KEY } from '$env/static/private';\nexport const load = async () => ({ stats: await getStats(STATALOG_API_KEY) });",
        filename: inProject('sveltekit', 'src/routes/+page.server.ts'),
      },
      // a component that is not 'use client' renders on the server only
      {
        code: `import { Table } from './components/Table';\nexport const Page = () => <Table apiKey={${ENV}} />;`,
        filename: inProject('nextjs', 'app/page.jsx'),
      },
      {
        code: `import { Chart } from './components/Chart';\nexport const Page = () => <Chart siteId={process.env.SITE_ID} />;`,
        filename: inProject('nextjs', 'app/page.jsx'),
      },
      {
        code: "new webpack.DefinePlugin({ 'process.env.SITE_ID': JSON.stringify(process.env.SITE_ID) });",
        filename: inProject('plain', 'webpack.config.js'),
      },
      { code: "new EnvironmentPlugin(['NODE_ENV', 'SITE_ID']);", filename: inProject('plain', 'webpack.config.js') },
      // "define" outside a Vite config is someone else's
      {
        code: `const options = { define: { KEY: JSON.stringify(${ENV}) } };`,
        filename: inProject('vite-react', 'scripts/build.ts'),
      },
    ],
    invalid: [
      {
        code: nextConfig,
        filename: inProject('nextjs', 'next.config.mjs'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: ENV,
              target: 'the browser',
              route: 'next.config env, whose values Next.js inlines into the JavaScript of every page',
            },
            ...at(nextConfig, `STATALOG_API_KEY: ${ENV}`),
          },
        ],
      },
      {
        code: viteConfig,
        filename: inProject('vite-react', 'vite.config.ts'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: 'env.STATALOG_API_KEY',
              target: 'the browser',
              route: 'Vite define, which writes the value into the bundled code',
            },
          },
          {
            messageId: 'exposingPrefix',
            data: { prefix: 'STATALOG_', name: 'STATALOG_API_KEY' },
            ...at(viteConfig, "'STATALOG_'"),
          },
        ],
      },
      {
        code: "export default { define: { 'process.env': process.env } };",
        filename: inProject('vite-react', 'vite.config.js'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: "process.env (every variable, the key's included)",
              target: 'the browser',
              route: 'Vite define, which writes the value into the bundled code',
            },
          },
        ],
      },
      {
        code: `export default { publicRuntimeConfig: { statalogApiKey: ${ENV} } };`,
        filename: inProject('nextjs', 'next.config.js'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: ENV,
              target: 'the browser',
              route: 'next.config publicRuntimeConfig, which Next.js sends to the browser',
            },
          },
        ],
      },
      {
        code: `plugins.push(new webpack.DefinePlugin({ 'process.env.STATALOG_API_KEY': JSON.stringify(${ENV}) }));`,
        filename: inProject('plain', 'webpack.config.js'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: ENV,
              target: 'the browser',
              route: 'DefinePlugin, which writes the value into the bundled code',
            },
          },
        ],
      },
      {
        code: "new EnvironmentPlugin(['NODE_ENV', 'STATALOG_API_KEY']);",
        filename: inProject('plain', 'webpack.config.js'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: 'STATALOG_API_KEY',
              target: 'the browser',
              route: 'EnvironmentPlugin, which writes the variable into the bundled code',
            },
            ...at("new EnvironmentPlugin(['NODE_ENV', 'STATALOG_API_KEY']);", "'STATALOG_API_KEY'"),
          },
        ],
      },
      {
        code: nuxtConfig,
        filename: inProject('nuxt', 'nuxt.config.ts'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: 'statalogApiKey',
              target: 'the browser',
              route: 'Nuxt runtimeConfig.public, which is sent to the browser with every page',
            },
            ...at(nuxtConfig, "statalogApiKey: ''", 1),
          },
        ],
      },
      {
        code: expoConfig,
        filename: inProject('expo', 'app.config.ts'),
        errors: [
          {
            messageId: 'flowToClient',
            data: { what: ENV, target: 'the app bundle', route: 'Expo extra, which is embedded in the app manifest' },
          },
        ],
      },
      {
        code: ssp,
        filename: inProject('nextjs', 'pages/index.jsx'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: ENV,
              target: 'the browser',
              route: "page props, which Next.js sends to the browser in the page's data",
            },
            ...at(ssp, `{ apiKey: ${ENV} }`),
          },
        ],
      },
      {
        code: ssg,
        filename: inProject('nextjs', 'pages/about.jsx'),
        errors: [{ messageId: 'flowToClient', ...at(ssg, `{ config: { key: ${ENV} } }`) }],
      },
      {
        code: load,
        filename: inProject('sveltekit', 'src/routes/+page.server.ts'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: 'STATALOG_API_KEY',
              target: 'the browser',
              route: 'the return value of a server load, which SvelteKit sends to the browser',
            },
          },
        ],
      },
      {
        code: prop,
        filename: inProject('nextjs', 'app/page.jsx'),
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: ENV,
              target: 'the browser',
              route:
                "a prop of <Chart>, a 'use client' component (./components/Chart) whose props are sent to the browser",
            },
            ...at(prop, ENV),
          },
        ],
      },
      {
        // TypeScript: the same, with types around it
        code: `import Chart from './components/Chart';\nexport default function Page(): JSX.Element {\n  const config = { key: ${ENV} as string };\n  return <Chart config={config} />;\n}`,
        filename: inProject('nextjs', 'app/page.tsx'),
        languageOptions: tsx,
        errors: [
          {
            messageId: 'flowToClient',
            data: {
              what: `config (from ${ENV})`,
              target: 'the browser',
              route:
                "a prop of <Chart>, a 'use client' component (./components/Chart) whose props are sent to the browser",
            },
          },
        ],
      },
    ],
  }),
);
