import rule from '../src/rules/no-key-in-url.js';
import { at, cloudKey, maskedNames, ruleTester, startOf, withEspree } from './support.js';

const KEY = cloudKey();
const API = 'https://app.statalog.com/api/v1';
const bearerArg = (key: string): string => `{ headers: { Authorization: \`Bearer \${${key}}\` } }`;

const template = `fetch(\`${API}/stats?site_id=\${siteId}&api_key=\${key}\`);`;
const templateFirst = `fetch(\`${API}/stats?api_key=\${key}&site_id=\${siteId}\`);`;
const templateWithInit = `fetch(\`${API}/stats?site_id=\${siteId}&api_key=\${key}\`, { cache: 'no-store' });`;
const concat = `fetch('${API}/stats?site_id=ST-A1B2C3&api_key=' + key);`;
const concatBase = `const BASE = 'https://app.statalog.com';\nfetch(BASE + '/api/v1/pages?site_id=' + site + '&api_key=' + key);`;
const literalKey = `const url = '${API}/stats?site_id=ST-A1B2C3&api_key=${KEY}';`;
const relative = "fetch('/api/v1/live?site_id=ST-A1B2C3&api_key=' + key);";
const selfHosted = "fetch('https://stats.example.com/api/v1/stats?api_key=' + key);";
const axiosParams = `axios.get('${API}/stats', { params: { site_id: site, api_key: key } });`;
const axiosHeaders = `axios.get('${API}/stats', { params: { api_key: key, site_id }, headers: { Accept: 'application/json' } });`;
const kySearchParams = `ky.get('${API}/stats', { searchParams: { api_key } });`;
const axiosConfig = "axios({ baseURL: 'https://app.statalog.com', url: '/api/v1/stats', params: { api_key: key } });";
const paramsConst = 'const params = { api_key: key, site_id: site };\naxios.get(url, { params });';
const searchParamsSet = `const url = new URL('/api/v1/stats', 'https://app.statalog.com');\nurl.searchParams.set('api_key', key);`;
const searchParamsSibling = "u.searchParams.set('site_id', site);\nu.searchParams.append('api_key', key);";
const paramsObject = 'const query = new URLSearchParams({ site_id: site, api_key: key });';
const paramsPairs = "const query = new URLSearchParams([['site_id', site], ['api_key', key]]);";
const paramsEmbedded = `fetch(\`${API}/stats?\${new URLSearchParams({ api_key: key })}\`);`;
const paramsVariable =
  "const params = new URLSearchParams();\nparams.set('site_id', site);\nparams.set('api_key', key);";
const spreadOptions = `fetch(\`${API}/stats?site_id=\${siteId}&api_key=\${key}\`, { cache: 'no-store', ...opts });`;
const spreadHeaders = `fetch(\`${API}/stats?site_id=\${siteId}&api_key=\${key}\`, { headers: { ...base, Accept: 'application/json' } });`;
const jquery = `$.get(\`${API}/stats?site_id=\${siteId}&api_key=\${key}\`, { limit: 10 });`;

ruleTester.run(
  'no-key-in-url',
  rule,
  withEspree(
    maskedNames(
      {
        valid: [
          `fetch('${API}/stats?site_id=ST-A1B2C3', { headers: { Authorization: \`Bearer \${process.env.STATALOG_API_KEY}\` } });`,
          "fetch('https://api.weather.example/v1/forecast?api_key=' + key);",
          "fetch('/api/v1/stats?api_key=' + key);",
          "axios.get('https://api.maps.example/v2/tiles', { params: { api_key: key, site_id: site } });",
          'const { api_key } = req.query;',
          "const url = new URL('https://maps.example.com/tiles');\nurl.searchParams.set('api_key', key);",
          'const query = new URLSearchParams({ api_key: key });',
          `fetch('${API}/stats', { method: 'POST', body: new URLSearchParams({ api_key: key, site_id: site }) });`,
          "const config = { api_key: process.env.STATALOG_API_KEY, site_id: 'ST-A1B2C3' };",
          `fetch('${API}/stats?site_id=ST-A1B2C3&api_key=' + key); // statalog:allow`,
          "const docs = 'Pass api_key= only in quick tests';",
          // a form body is not a URL: kept in a const and sent as the body of a POST
          "const form = new URLSearchParams({ site_id: site, api_key: key });\nfetch(url, { method: 'POST', body: form });",
          "const form = new URLSearchParams();\nform.set('site_id', site);\nform.set('api_key', key);\nnavigator.sendBeacon(url, form);",
          "const form = new URLSearchParams([['site_id', site], ['api_key', key]]);\naxios.post(url, form.toString());",
        ],
        invalid: [
          {
            // a later ...opts may bring its own headers and drop the Bearer header: reported, no suggestion
            code: spreadOptions,
            errors: [{ messageId: 'keyInUrl', ...at(spreadOptions, 'api_key='), suggestions: [] }],
          },
          {
            // after the spread, so base's Authorization (if any) cannot override it
            code: spreadHeaders,
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `fetch(\`${API}/stats?site_id=\${siteId}\`, { headers: { ...base, Accept: 'application/json', Authorization: \`Bearer \${key}\` } });`,
                  },
                ],
              },
            ],
          },
          {
            // jQuery's second argument is query data, not fetch options: no header can go there
            code: jquery,
            errors: [{ messageId: 'keyInUrl', ...at(jquery, 'api_key='), suggestions: [] }],
          },
          {
            // a URLSearchParams used both as a body and in a URL is still in a URL
            code: `const q = new URLSearchParams({ site_id: site, api_key: key });\nfetch(url, { method: 'POST', body: q });\nfetch(\`${API}/stats?\${q}\`);`,
            errors: [{ messageId: 'keyInUrl', suggestions: [] }],
          },
          {
            code: template,
            errors: [
              {
                messageId: 'keyInUrl',
                ...at(template, 'api_key='),
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `fetch(\`${API}/stats?site_id=\${siteId}\`, ${bearerArg('key')});`,
                  },
                ],
              },
            ],
          },
          {
            code: templateFirst,
            errors: [
              {
                messageId: 'keyInUrl',
                ...at(templateFirst, 'api_key='),
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `fetch(\`${API}/stats?site_id=\${siteId}\`, ${bearerArg('key')});`,
                  },
                ],
              },
            ],
          },
          {
            code: templateWithInit,
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `fetch(\`${API}/stats?site_id=\${siteId}\`, { headers: { Authorization: \`Bearer \${key}\` }, cache: 'no-store' });`,
                  },
                ],
              },
            ],
          },
          {
            code: concat,
            errors: [
              {
                messageId: 'keyInUrl',
                ...at(concat, 'api_key='),
                suggestions: [
                  { messageId: 'useBearer', output: `fetch('${API}/stats?site_id=ST-A1B2C3', ${bearerArg('key')});` },
                ],
              },
            ],
          },
          {
            code: concatBase,
            errors: [
              {
                messageId: 'keyInUrl',
                ...at(concatBase, 'api_key='),
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `const BASE = 'https://app.statalog.com';\nfetch(BASE + '/api/v1/pages?site_id=' + site, ${bearerArg('key')});`,
                  },
                ],
              },
            ],
          },
          { code: literalKey, errors: [{ messageId: 'keyInUrl', ...at(literalKey, 'api_key='), suggestions: [] }] },
          {
            code: relative,
            errors: [
              {
                messageId: 'keyInUrl',
                ...at(relative, 'api_key='),
                suggestions: [
                  { messageId: 'useBearer', output: `fetch('/api/v1/live?site_id=ST-A1B2C3', ${bearerArg('key')});` },
                ],
              },
            ],
          },
          {
            code: selfHosted,
            settings: { statalog: { selfHostedHosts: ['https://stats.example.com/'] } },
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `fetch('https://stats.example.com/api/v1/stats', ${bearerArg('key')});`,
                  },
                ],
              },
            ],
          },
          {
            code: selfHosted,
            options: [{ selfHostedHosts: ['stats.example.com'] }],
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `fetch('https://stats.example.com/api/v1/stats', ${bearerArg('key')});`,
                  },
                ],
              },
            ],
          },
          {
            code: axiosParams,
            errors: [
              {
                messageId: 'keyInUrl',
                ...at(axiosParams, 'api_key: key'),
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `axios.get('${API}/stats', { params: { site_id: site }, headers: { Authorization: \`Bearer \${key}\` } });`,
                  },
                ],
              },
            ],
          },
          {
            code: axiosHeaders,
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `axios.get('${API}/stats', { params: { site_id }, headers: { Accept: 'application/json', Authorization: \`Bearer \${key}\` } });`,
                  },
                ],
              },
            ],
          },
          {
            code: kySearchParams,
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output: `ky.get('${API}/stats', { searchParams: {}, headers: { Authorization: \`Bearer \${api_key}\` } });`,
                  },
                ],
              },
            ],
          },
          {
            code: axiosConfig,
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output:
                      "axios({ baseURL: 'https://app.statalog.com', url: '/api/v1/stats', params: {}, headers: { Authorization: `Bearer ${key}` } });",
                  },
                ],
              },
            ],
          },
          {
            code: paramsConst,
            errors: [{ messageId: 'keyInUrl', ...at(paramsConst, 'api_key: key'), suggestions: [] }],
          },
          {
            code: searchParamsSet,
            errors: [
              {
                messageId: 'keyInUrl',
                ...at(searchParamsSet, "url.searchParams.set('api_key', key)"),
                suggestions: [],
              },
            ],
          },
          {
            code: searchParamsSibling,
            errors: [
              { messageId: 'keyInUrl', ...startOf(searchParamsSibling, 'u.searchParams.append'), suggestions: [] },
            ],
          },
          {
            code: paramsObject,
            errors: [{ messageId: 'keyInUrl', ...at(paramsObject, 'api_key: key'), suggestions: [] }],
          },
          {
            code: paramsPairs,
            errors: [{ messageId: 'keyInUrl', ...at(paramsPairs, "['api_key', key]"), suggestions: [] }],
          },
          {
            code: paramsEmbedded,
            errors: [{ messageId: 'keyInUrl', ...at(paramsEmbedded, 'api_key: key'), suggestions: [] }],
          },
          {
            code: paramsVariable,
            errors: [{ messageId: 'keyInUrl', ...startOf(paramsVariable, "params.set('api_key'"), suggestions: [] }],
          },
          {
            code: "const data = await $fetch('/api/v1/stats', { query: { site_id: site, api_key: key } });",
            errors: [
              {
                messageId: 'keyInUrl',
                suggestions: [
                  {
                    messageId: 'useBearer',
                    output:
                      "const data = await $fetch('/api/v1/stats', { query: { site_id: site }, headers: { Authorization: `Bearer ${key}` } });",
                  },
                ],
              },
            ],
          },
        ],
      },
      [KEY],
    ),
  ),
);
