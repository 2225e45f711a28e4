import { mask } from '@statalog/core';
import * as svelteParser from 'svelte-eslint-parser';
import * as vueParser from 'vue-eslint-parser';
import noClientSideKey from '../src/rules/no-client-side-key.js';
import noHardcodedKey from '../src/rules/no-hardcoded-key.js';
import noKeyInUrl from '../src/rules/no-key-in-url.js';
import { at, browserData, cloudKey, maskedNames, ruleTester } from './support.js';

/**
 * Component markup: Vue templates through vue-eslint-parser, Svelte markup through svelte-eslint-parser. Keys in
 * attribute values, text, comments and template expressions; api_key= URLs in src/href; key reads in markup
 * expressions. A component is browser code in any project.
 */
const KEY = cloudKey();
const M = mask(KEY);
const vue = { parser: vueParser, ecmaVersion: 'latest', sourceType: 'module' } as const;
const svelte = { parser: svelteParser, ecmaVersion: 'latest', sourceType: 'module' } as const;
const VUE_FILE = 'src/components/Stats.vue';
const SVELTE_FILE = 'src/lib/Stats.svelte';
const vueReason = browserData(`${VUE_FILE} is a Vue or Svelte component, which ships to the browser`);
const svelteReason = browserData(`${SVELTE_FILE} is a Vue or Svelte component, which ships to the browser`);
const API = 'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3';

const inVue = (markup: string, script = ''): { code: string; filename: string; languageOptions: typeof vue } => ({
  code: `<template>\n  ${markup}\n</template>\n${script ? `<script setup>\n${script}\n</script>\n` : ''}`,
  filename: VUE_FILE,
  languageOptions: vue,
});
const inSvelte = (markup: string, script = ''): { code: string; filename: string; languageOptions: typeof svelte } => ({
  code: `${script ? `<script>\n${script}\n</script>\n` : ''}${markup}\n`,
  filename: SVELTE_FILE,
  languageOptions: svelte,
});

const hardcoded = (test: { code: string }, data: Record<string, string>, nth = 0) => ({
  ...test,
  errors: [
    {
      messageId: 'cloudKeyInClient' as const,
      data: { masked: M, ...data },
      ...at(test.code, KEY, nth),
      suggestions: [],
    },
  ],
});

ruleTester.run(
  'no-hardcoded-key in markup',
  noHardcodedKey,
  maskedNames(
    {
      valid: [
        inVue('<Chart site-id="ST-A1B2C3" />'),
        inVue(`<!-- statalog:allow ${KEY} -->\n  <p>ok</p>`),
        { ...inVue(`<!-- ${KEY} -->\n  <p>ok</p>`), options: [{ checkComments: false }] },
        inSvelte('<Chart siteId="ST-A1B2C3" />'),
      ],
      invalid: [
        hardcoded(inVue(`<Chart api-key="${KEY}" />`), vueReason),
        hardcoded(inVue(`<code>key: ${KEY}</code>`), vueReason),
        hardcoded(inVue(`<!-- old key ${KEY} -->\n  <p>ok</p>`), vueReason),
        hardcoded(inVue(`<Chart :api-key="'${KEY}'" />`), vueReason),
        hardcoded(inVue(`<p>{{ \`Bearer ${KEY}\` }}</p>`), vueReason),
        hardcoded(inSvelte(`<Chart apiKey="${KEY}" />`), svelteReason),
        hardcoded(inSvelte(`<Chart apiKey="Bearer ${KEY}" />`), svelteReason),
        hardcoded(inSvelte(`<code>{'${KEY}'}</code>`), svelteReason),
        hardcoded(inSvelte(`<p>key: ${KEY}</p>`), svelteReason),
        hardcoded(inSvelte(`<!-- old key ${KEY} -->`), svelteReason),
        {
          // the script of a component is browser code too: one report per key, script and markup alike
          ...inSvelte(`<Chart apiKey={key} title="${KEY}" />`, `const key = '${KEY}';`),
          errors: [
            {
              messageId: 'cloudKeyInClient',
              ...at(inSvelte(`<Chart apiKey={key} title="${KEY}" />`, `const key = '${KEY}';`).code, KEY, 0),
            },
            {
              messageId: 'cloudKeyInClient',
              ...at(inSvelte(`<Chart apiKey={key} title="${KEY}" />`, `const key = '${KEY}';`).code, KEY, 1),
            },
          ],
        },
      ],
    },
    [KEY],
  ),
);

ruleTester.run(
  'no-key-in-url in markup',
  noKeyInUrl,
  maskedNames(
    {
      valid: [
        inVue(`<img :src="\`${API}\`" />`),
        inVue('<a href="https://maps.example/tiles?api_key=abc">map</a>'),
        inSvelte(`<img src="${API}" alt="" />`),
      ],
      invalid: [
        {
          ...inVue(`<img src="${API}&api_key={{ key }}" />`),
          errors: [{ messageId: 'keyInUrl', ...at(inVue(`<img src="${API}&api_key={{ key }}" />`).code, 'api_key=') }],
        },
        {
          ...inVue(`<img :src="\`${API}&api_key=\${key}\`" />`),
          errors: [
            { messageId: 'keyInUrl', ...at(inVue(`<img :src="\`${API}&api_key=\${key}\`" />`).code, 'api_key=') },
          ],
        },
        {
          ...inSvelte(`<img src="${API}&api_key={key}" alt="" />`),
          errors: [
            { messageId: 'keyInUrl', ...at(inSvelte(`<img src="${API}&api_key={key}" alt="" />`).code, 'api_key=') },
          ],
        },
        { ...inSvelte(`<a href={\`${API}&api_key=\${key}\`}>stats</a>`), errors: [{ messageId: 'keyInUrl' }] },
      ],
    },
    [KEY],
  ),
);

const reads = (test: { code: string }, name: string, needle: string, data: Record<string, string>) => ({
  ...test,
  errors: [{ messageId: 'keyInBrowser' as const, data: { name, ...data }, ...at(test.code, needle) }],
});

ruleTester.run(
  'no-client-side-key in markup',
  noClientSideKey,
  maskedNames(
    {
      valid: [
        inVue('<p v-if="hasStatalogKey">ready</p>\n  <p v-if="!statalogApiKey">not configured</p>'),
        inVue('<p>{{ statalogApiKey ? "set" : "not set" }}</p>'),
        inVue('<Chart :site-id="config.public.statalogSiteId" />'),
        inSvelte('{#if statalogApiKey}<p>ready</p>{/if}\n<p>{Boolean(statalogApiKey)}</p>'),
      ],
      invalid: [
        reads(
          inVue('<Chart :api-key="config.public.statalogApiKey" />'),
          'config.public.statalogApiKey',
          'config.public.statalogApiKey',
          vueReason,
        ),
        reads(inVue('<p>{{ statalogApiKey }}</p>'), 'statalogApiKey', 'statalogApiKey', vueReason),
        reads(inVue('<button @click="send(statalogKey)">send</button>'), 'statalogKey', 'statalogKey', vueReason),
        reads(
          inSvelte('<Chart apiKey={data.statalogApiKey} />'),
          'data.statalogApiKey',
          'data.statalogApiKey',
          svelteReason,
        ),
        reads(inSvelte('<p>{statalogApiKey}</p>'), 'statalogApiKey', 'statalogApiKey', svelteReason),
        reads(inSvelte('<Chart {statalogApiKey} />'), 'statalogApiKey', 'statalogApiKey', svelteReason),
        reads(inSvelte('<input bind:value={statalogKey} />'), 'statalogKey', 'statalogKey', svelteReason),
        {
          // the component's script: the environment read is browser code
          ...inVue('<p>{{ key }}</p>', 'const key = import.meta.env.STATALOG_API_KEY;'),
          errors: [{ messageId: 'keyInBrowser', data: { name: 'STATALOG_API_KEY', ...vueReason } }],
        },
        {
          ...inSvelte('<p>stats</p>', `fetch('${API}');`),
          errors: [{ messageId: 'directRequest', data: svelteReason }],
        },
      ],
    },
    [KEY],
  ),
);
