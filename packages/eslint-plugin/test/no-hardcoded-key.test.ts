import { DOC_EXAMPLE_KEY, mask } from '@statalog/core';
import rule from '../src/rules/no-hardcoded-key.js';
import {
  appData,
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
const HEX = KEY.slice(3);
const M = mask(KEY);
const COMMUNITY = shortCommunityValue();
const CM = mask(COMMUNITY);
const ENV = 'process.env.STATALOG_API_KEY';

const literal = `const key = '${KEY}';`;
const bearer = `const auth = 'Bearer ${KEY}';`;
const template = `const url = \`https://example.com/\${path}?token=${KEY}\`;`;
const jsxAttribute = `const el = <Stats apiKey="${KEY}" />;`;
const jsxText = `const el = <code>${KEY}</code>;`;
const comment = `// old key: ${KEY}\nconst key = ${ENV};`;
const assembled = `const HEX = '${HEX}';\nconst key = 'st_' + HEX;`;
const assembledTemplate = `const HEX = '${HEX}';\nconst key = \`st_\${HEX}\`;`;
const escaped = `const key = "\\n${KEY}";`;
const community = `const STATALOG_API_KEY = '${COMMUNITY}';`;
const communityProperty = `const config = { statalogApiKey: '${COMMUNITY}', siteId: 'ST-A1B2C3' };`;
const communityEnvWrite = `process.env.STATALOG_API_KEY = '${COMMUNITY}';`;
const communityFallback = `const key = ${ENV} ?? '${COMMUNITY}';`;
const communityClassField = `class Client { statalogKey = '${COMMUNITY}'; }`;
const communityDefault = `function connect(statalogApiKey = '${COMMUNITY}') {}`;
const SECOND = cloudKey();
const pair = `const pair = '${KEY} ${SECOND}';`;
const pairFixed = `const pair = \`\${${ENV}} \${${ENV}}\`;`;
const useClient = `'use client';\nconst key = '${KEY}';`;

ruleTester.run(
  'no-hardcoded-key',
  rule,
  withEspree(
    maskedNames(
      {
        valid: [
          `const key = ${ENV};`,
          `const headers = { Authorization: \`Bearer \${${ENV}}\` };`,
          'const KEY_FORMAT = /^st_[0-9a-f]{64}$/;',
          "const pattern = new RegExp('st_[0-9a-f]{64}');",
          "const siteId = 'ST-A1B2C3';",
          "const STATALOG_API_KEY = 'ST-A1B2C3D4E5F6G';",
          `const fixture = 'test_${HEX}';`,
          "const STATALOG_API_KEY = 'your-api-key-here';",
          "const STATALOG_API_KEY = '<STATALOG_API_KEY>';",
          `const zeros = 'st_${'0'.repeat(64)}';`,
          `const example = '${DOC_EXAMPLE_KEY}';`,
          `const STATALOG_API_KEY = '${DOC_EXAMPLE_KEY}';`,
          "const shown = 'st_a3f8c2d1e4b7...';",
          `const tooLong = '${KEY}a';`,
          "const STATALOG_API_KEY_FILE = '/run/secrets/statalog_api_key';",
          'const { STATALOG_API_KEY } = process.env;',
          `const key = '${KEY}'; // statalog:allow`,
          `/* statalog:allow */ const STATALOG_API_KEY = '${COMMUNITY}';`,
          { code: `// ${KEY}`, options: [{ checkComments: false }] },
          { code: `const ANALYTICS_KEY = '${COMMUNITY}';` },
          // a storage-key name or slug is a name, not the key
          "export const STATALOG_KEY = 'statalog_consent_v1';", // statalog:allow (the scanner's community-key rule still reads this slug as a key)
          "const statalogKey = 'statalog-api-key';",
          "localStorage.setItem(STATALOG_KEY = 'app.statalog.key', '1');",
        ],
        invalid: [
          {
            code: literal,
            errors: [
              {
                messageId: 'cloudKey',
                data: { masked: M },
                ...at(literal, KEY),
                suggestions: [{ messageId: 'useEnv', data: { replacement: ENV }, output: `const key = ${ENV};` }],
              },
            ],
          },
          {
            code: bearer,
            errors: [
              {
                messageId: 'cloudKey',
                ...at(bearer, KEY),
                suggestions: [{ messageId: 'useEnv', output: `const auth = \`Bearer \${${ENV}}\`;` }],
              },
            ],
          },
          {
            code: template,
            errors: [
              {
                messageId: 'cloudKey',
                ...at(template, KEY),
                suggestions: [{ messageId: 'useEnv', output: template.replace(KEY, `\${${ENV}}`) }],
              },
            ],
          },
          {
            code: jsxAttribute,
            languageOptions: tsx,
            filename: 'components/Stats.tsx',
            errors: [
              {
                messageId: 'cloudKey',
                ...at(jsxAttribute, KEY),
                suggestions: [{ messageId: 'useEnv', output: `const el = <Stats apiKey={${ENV}} />;` }],
              },
            ],
          },
          {
            code: jsxText,
            languageOptions: tsx,
            filename: 'components/Docs.tsx',
            errors: [{ messageId: 'cloudKey', ...at(jsxText, KEY), suggestions: [] }],
          },
          { code: comment, errors: [{ messageId: 'cloudKey', ...at(comment, KEY), suggestions: [] }] },
          {
            code: assembled,
            errors: [
              {
                messageId: 'cloudKey',
                data: { masked: M },
                ...startOf(assembled, "'st_' + HEX"),
                suggestions: [{ messageId: 'useEnv', output: `const HEX = '${HEX}';\nconst key = ${ENV};` }],
              },
            ],
          },
          {
            code: assembledTemplate,
            errors: [
              {
                messageId: 'cloudKey',
                ...startOf(assembledTemplate, '`st_'),
                suggestions: [{ messageId: 'useEnv', output: `const HEX = '${HEX}';\nconst key = ${ENV};` }],
              },
            ],
          },
          {
            // the source spells the value with an escape: the whole literal is reported
            code: escaped,
            errors: [
              {
                messageId: 'cloudKey',
                ...startOf(escaped, '"'),
                suggestions: [{ messageId: 'useEnv', output: `const key = \`\\n\${${ENV}}\`;` }],
              },
            ],
          },
          {
            code: community,
            errors: [
              {
                messageId: 'communityKey',
                data: { name: 'STATALOG_API_KEY', masked: CM },
                ...startOf(community, `'${COMMUNITY}'`),
                suggestions: [{ messageId: 'useEnv', output: `const STATALOG_API_KEY = ${ENV};` }],
              },
            ],
          },
          {
            code: communityProperty,
            errors: [
              {
                messageId: 'communityKey',
                data: { name: 'statalogApiKey', masked: CM },
                suggestions: [{ messageId: 'useEnv', output: communityProperty.replace(`'${COMMUNITY}'`, ENV) }],
              },
            ],
          },
          { code: communityEnvWrite, errors: [{ messageId: 'communityKey', suggestions: [] }] },
          {
            code: communityFallback,
            errors: [
              {
                messageId: 'communityKey',
                ...startOf(communityFallback, `'${COMMUNITY}'`),
                suggestions: [{ messageId: 'removeFallback', output: `const key = ${ENV};` }],
              },
            ],
          },
          {
            code: communityClassField,
            errors: [
              {
                messageId: 'communityKey',
                data: { name: 'statalogKey', masked: CM },
                suggestions: [{ messageId: 'useEnv', output: `class Client { statalogKey = ${ENV}; }` }],
              },
            ],
          },
          {
            code: communityDefault,
            errors: [
              {
                messageId: 'communityKey',
                suggestions: [{ messageId: 'useEnv', output: `function connect(statalogApiKey = ${ENV}) {}` }],
              },
            ],
          },
          {
            // browser code: one report, in browser words; the environment is not the fix there, so no suggestion
            code: useClient,
            filename: 'app/Stats.tsx',
            errors: [
              {
                messageId: 'cloudKeyInClient',
                data: { masked: M, ...browserData("the module starts with 'use client'") },
                ...at(useClient, KEY),
                suggestions: [],
              },
            ],
          },
          {
            code: literal,
            filename: inProject('vite-react', 'src/widget.ts'),
            errors: [
              {
                messageId: 'cloudKeyInClient',
                data: {
                  masked: M,
                  ...browserData(
                    'src/widget.ts is under src/, which the bundler ships to the browser (a Vite project: vite is in its package.json)',
                  ),
                },
                suggestions: [],
              },
            ],
          },
          {
            // a mobile app: the key ships in the app bundle
            code: `const statalogApiKey = '${COMMUNITY}';`,
            filename: inProject('expo', 'app/stats.ts'),
            errors: [
              {
                messageId: 'communityKeyInClient',
                data: {
                  name: 'statalogApiKey',
                  masked: CM,
                  ...appData(
                    'app/stats.ts is app code, which ships in the app bundle to every device (an Expo project: expo is in its package.json)',
                  ),
                },
                suggestions: [],
              },
            ],
          },
          {
            // a Node backend's client/ folder is server code: the environment is the fix
            code: literal,
            filename: inProject('node-backend', 'src/client/statalog.js'),
            errors: [{ messageId: 'cloudKey', suggestions: [{ messageId: 'useEnv', output: `const key = ${ENV};` }] }],
          },
          {
            // TypeScript rejects an environment read (string | undefined) here: reported, no suggestion
            code: `const key = '${KEY}' as const;
const typed: string = '${KEY}';
enum Keys { Statalog = '${KEY}' }
const checked = '${KEY}' satisfies string;`,
            tsOnly: true,
            errors: [
              { messageId: 'cloudKey', line: 1, suggestions: [] },
              { messageId: 'cloudKey', line: 2, suggestions: [] },
              { messageId: 'cloudKey', line: 3, suggestions: [] },
              { messageId: 'cloudKey', line: 4, suggestions: [] },
            ],
          },
          {
            code: `enum Config { STATALOG_API_KEY = '${COMMUNITY}' }`,
            tsOnly: true,
            errors: [{ messageId: 'communityKey', suggestions: [] }],
          },
          {
            // a type that takes undefined takes the environment read
            code: `const typed: string | undefined = '${KEY}';`,
            tsOnly: true,
            errors: [
              {
                messageId: 'cloudKey',
                suggestions: [{ messageId: 'useEnv', output: `const typed: string | undefined = ${ENV};` }],
              },
            ],
          },
          {
            code: literal,
            options: [{ replacement: 'import.meta.env.STATALOG_API_KEY' }],
            errors: [
              {
                messageId: 'cloudKey',
                suggestions: [
                  {
                    messageId: 'useEnv',
                    data: { replacement: 'import.meta.env.STATALOG_API_KEY' },
                    output: 'const key = import.meta.env.STATALOG_API_KEY;',
                  },
                ],
              },
            ],
          },
          {
            code: `const ANALYTICS_KEY = '${COMMUNITY}';`,
            settings: { statalog: { envVarNames: ['ANALYTICS_KEY'] } },
            errors: [
              {
                messageId: 'communityKey',
                data: { name: 'ANALYTICS_KEY', masked: CM },
                suggestions: [{ messageId: 'useEnv', output: `const ANALYTICS_KEY = ${ENV};` }],
              },
            ],
          },
          {
            code: `const ANALYTICS_KEY = '${COMMUNITY}';`,
            options: [{ envVarNames: ['ANALYTICS_KEY'] }],
            errors: [
              {
                messageId: 'communityKey',
                suggestions: [{ messageId: 'useEnv', output: `const ANALYTICS_KEY = ${ENV};` }],
              },
            ],
          },
          {
            // two keys in one literal: each reported where it is; either suggestion replaces both
            code: pair,
            errors: [
              {
                messageId: 'cloudKey',
                data: { masked: M },
                ...at(pair, KEY),
                suggestions: [{ messageId: 'useEnv', output: pairFixed }],
              },
              {
                messageId: 'cloudKey',
                data: { masked: mask(SECOND) },
                ...at(pair, SECOND),
                suggestions: [{ messageId: 'useEnv', output: pairFixed }],
              },
            ],
          },
          {
            // a server action: the environment is the answer there
            code: `'use server';\nexport async function stats() {\n  return fetch(url, { headers: { Authorization: 'Bearer ${KEY}' } });\n}`,
            filename: 'src/client/actions.ts',
            errors: [
              {
                messageId: 'cloudKey',
                suggestions: [
                  {
                    messageId: 'useEnv',
                    output: `'use server';\nexport async function stats() {\n  return fetch(url, { headers: { Authorization: \`Bearer \${${ENV}}\` } });\n}`,
                  },
                ],
              },
            ],
          },
          {
            code: `const el = <Stats apiKey={'${KEY}'} />;`,
            languageOptions: tsx,
            filename: 'components/Stats.tsx',
            errors: [
              {
                messageId: 'cloudKey',
                suggestions: [{ messageId: 'useEnv', output: `const el = <Stats apiKey={${ENV}} />;` }],
              },
            ],
          },
          {
            // a type or an object key cannot hold an expression: reported, no suggestion
            code: `type Key = '${KEY}';\nconst byKey = { '${KEY}': 1 };`,
            tsOnly: true,
            errors: [
              { messageId: 'cloudKey', line: 1, suggestions: [] },
              { messageId: 'cloudKey', line: 2, suggestions: [] },
            ],
          },
        ],
      },
      [KEY, SECOND, COMMUNITY, HEX],
    ),
  ),
);
