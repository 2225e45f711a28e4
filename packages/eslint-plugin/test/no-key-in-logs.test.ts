import { mask } from '@statalog/core';
import rule from '../src/rules/no-key-in-logs.js';
import { at, cloudKey, shortCommunityValue, maskedNames, ruleTester, withEspree } from './support.js';

const KEY = cloudKey();
const ENV = 'process.env.STATALOG_API_KEY';

const direct = `console.log('Statalog key:', ${ENV});`;
const template = `console.info(\`using \${${ENV}}\`);`;
const variable = `const key = ${ENV};\nlogger.info('calling Statalog', key);`;
const headers = `const key = ${ENV} ?? '';\nconst headers = { Authorization: \`Bearer \${key}\` };\nthis.logger.debug({ url, headers });`;
const destructured = 'const { STATALOG_API_KEY: statalog } = process.env;\npino.info(statalog);';
const named =
  'export function connect(statalogApiKey: string) {\n  req.log.warn(`connecting with ${statalogApiKey}`);\n}';
const literal = `console.error('bad key ${KEY}');`;
const stringified = `console.log(JSON.stringify({ key: ${ENV} }));`;
const viteEnv = 'console.debug(import.meta.env.STATALOG_API_KEY);';
const custom = `audit.write(${ENV});`;
const configured = 'logger.info(process.env.ANALYTICS_KEY);';
const bun = 'console.log(Bun.env.STATALOG_API_KEY);';
const COMMUNITY = shortCommunityValue();
const literalValue = `const STATALOG_KEY = '${COMMUNITY}';\nconsole.debug('using', STATALOG_KEY);`;
const deno = "console.log(Deno.env.get('STATALOG_API_KEY'));";

ruleTester.run(
  'no-key-in-logs',
  rule,
  withEspree(
    maskedNames(
      {
        valid: [
          "console.log('STATALOG_API_KEY is not set');",
          `console.log(Boolean(${ENV}));`,
          // a flag about the key, named like the key: its value says what it is (the docs advise logging it)
          `const hasStatalogKey = Boolean(${ENV});\nconsole.info('statalog key configured:', hasStatalogKey);`,
          `const statalogKey = ${ENV} !== undefined;\nconsole.info(statalogKey);`,
          'logger.info({ hasStatalogKey: config.hasStatalogKey });',
          "console.log('key from Deno', Deno.env.has('STATALOG_API_KEY'));",
          // a storage-key name under a key-like name
          "const STATALOG_KEY = 'statalog_consent_v1';\nconsole.debug('reading', STATALOG_KEY);", // statalog:allow (the scanner's community-key rule still reads this slug as a key)
          `console.log('key set:', !!${ENV});`,
          `const key = ${ENV};\nconsole.log('key length', key.length);`,
          `console.log(mask(${ENV}));`,
          `logger.info({ hasKey: ${ENV} !== undefined });`,
          `store.set('key', ${ENV});`,
          "console.log('site', 'ST-A1B2C3');",
          `console.log(${ENV}); // statalog:allow`,
          `const key = ${ENV};\nconst masked = key.slice(0, 7) + '…';\nconsole.log(masked);`,
          // the whole environment is another rule's business: this one follows the Statalog key
          'console.log(process.env);',
          `const config = { statalogApiKey: ${ENV} };\nconsole.log(Object.keys(config));`,
        ],
        invalid: [
          {
            code: literalValue,
            errors: [
              {
                messageId: 'keyInLog',
                data: { callee: 'console.debug', what: 'STATALOG_KEY' },
                ...at(literalValue, 'STATALOG_KEY', 1),
              },
            ],
          },
          {
            code: bun,
            errors: [
              {
                messageId: 'keyInLog',
                data: { callee: 'console.log', what: 'Bun.env.STATALOG_API_KEY' },
                ...at(bun, 'Bun.env.STATALOG_API_KEY'),
              },
            ],
          },
          {
            code: deno,
            errors: [
              { messageId: 'keyInLog', data: { callee: 'console.log', what: "Deno.env.get('STATALOG_API_KEY')" } },
            ],
          },
          {
            code: direct,
            errors: [{ messageId: 'keyInLog', data: { callee: 'console.log', what: ENV }, ...at(direct, ENV) }],
          },
          { code: template, errors: [{ messageId: 'keyInLog', data: { callee: 'console.info', what: ENV } }] },
          {
            code: variable,
            errors: [
              {
                messageId: 'keyInLog',
                data: { callee: 'logger.info', what: `key (from ${ENV})` },
                ...at(variable, 'key', 1),
              },
            ],
          },
          {
            code: headers,
            errors: [
              {
                messageId: 'keyInLog',
                data: { callee: 'this.logger.debug', what: `headers (from key (from ${ENV}))` },
                ...at(headers, '{ url, headers }'),
              },
            ],
          },
          {
            code: destructured,
            errors: [
              {
                messageId: 'keyInLog',
                data: { callee: 'pino.info', what: 'statalog (from process.env.STATALOG_API_KEY)' },
              },
            ],
          },
          {
            code: named,
            tsOnly: true,
            errors: [{ messageId: 'keyInLog', data: { callee: 'req.log.warn', what: 'statalogApiKey' } }],
          },
          {
            code: literal,
            errors: [
              {
                messageId: 'keyInLog',
                data: { callee: 'console.error', what: `the key ${mask(KEY)}` },
                ...at(literal, `'bad key ${KEY}'`),
              },
            ],
          },
          { code: stringified, errors: [{ messageId: 'keyInLog' }] },
          {
            code: viteEnv,
            errors: [
              { messageId: 'keyInLog', data: { callee: 'console.debug', what: 'import.meta.env.STATALOG_API_KEY' } },
            ],
          },
          {
            code: custom,
            options: [{ loggers: ['audit'], methods: ['write'] }],
            errors: [{ messageId: 'keyInLog', data: { callee: 'audit.write', what: ENV } }],
          },
          {
            code: configured,
            settings: { statalog: { envVarNames: ['ANALYTICS_KEY'] } },
            errors: [{ messageId: 'keyInLog', data: { callee: 'logger.info', what: 'process.env.ANALYTICS_KEY' } }],
          },
        ],
      },
      [KEY, COMMUNITY],
    ),
  ),
);
