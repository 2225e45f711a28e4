// Every anchor-bearing construct the detection rules read, for the linear-time test
// (packages/core/test/linear-time.test.ts) and the hardening benchmark (bench/hardening.bench.mjs), which repeat
// each `unit` to n and 4n characters and compare the times. Plain JavaScript so the benchmark can import it
// without a build step.
//
// `unit` is the construct as a hostile file would repeat it: an anchor with whatever the rule reads after it,
// but without the literal that would end the read early. `hit(value)` is the same construct completed with a
// literal: the test checks that a rule really reports it, so no entry measures a path no rule takes.
// `syntax` pins the syntax the form is read in (`code` forms are assignments in source code; `config` forms
// are read only in config files); without it the construct is timed in both.

/** @typedef {{ unit: string, hit?: (value: string) => string, syntax?: 'code' | 'config' }} Construct */

/**
 * `unit` repeated (and cut) to exactly `length` characters.
 * @param {string} unit
 * @param {number} length
 * @returns {string}
 */
export function repeatTo(unit, length) {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** @type {Record<string, Construct>} */
export const CONSTRUCTS = {
  // --- cloud keys (anchor `st_`)
  st_: { unit: 'st_', hit: (v) => `st_${v}${v}` },
  'st_ after a string escape': { unit: '"\\nst_', hit: (v) => `"\\nst_${v}${v}"` },
  'st_ after a percent escape': { unit: 'api_key%3Dst_', hit: (v) => `x%3Dst_${v}${v}` },
  'st_ + 63 hex + a letter': { unit: `st_${'a1'.repeat(31)}bx ` },

  // --- `api_key=` in URLs: each URL form the rule reads
  'api_key=': { unit: 'api_key=' },
  '?api_key=': { unit: '?api_key=' },
  '&api_key=': { unit: '&api_key=' },
  'absolute Statalog URL': {
    unit: 'https://app.statalog.com/api/v1/stats?api_key=',
    hit: (v) => `https://app.statalog.com/api/v1/stats?api_key=${v} `,
  },
  'protocol-relative URL': {
    unit: '//app.statalog.com/api/v1/stats?api_key=',
    hit: (v) => `"//app.statalog.com/api/v1/stats?api_key=${v}"`,
  },
  'bare host': {
    unit: 'app.statalog.com/api/v1/stats?api_key=',
    hit: (v) => ` app.statalog.com/api/v1/stats?api_key=${v} `,
  },
  'relative URL with site_id': {
    unit: '/api/v1/stats?site_id=ST-A1B2C3&api_key=',
    hit: (v) => `GET /api/v1/stats?site_id=ST-A1B2C3&api_key=${v} `,
  },
  'escaped JSON slashes': {
    unit: 'https:\\/\\/app.statalog.com\\/api\\/v1\\/stats?api_key=',
    hit: (v) => `"https:\\/\\/app.statalog.com\\/api\\/v1\\/stats?api_key=${v}"`,
  },
  '\\u0026 separator': {
    unit: 'https://app.statalog.com/api/v1/stats?site_id=1\\u0026api_key=',
    hit: (v) => `"https://app.statalog.com/api/v1/stats?site_id=1\\u0026api_key=${v}"`,
  },
  '&amp; separator': {
    unit: 'https://app.statalog.com/api/v1/stats?site_id=1&amp;api_key=',
    hit: (v) => `<a href="https://app.statalog.com/api/v1/stats?site_id=1&amp;api_key=${v}">`,
  },
  'SPA fragment route': {
    unit: 'https://app.statalog.com/#/stats?api_key=',
    hit: (v) => `https://app.statalog.com/#/stats?api_key=${v} `,
  },
  'fragment after the query': {
    unit: 'https://app.statalog.com/api/v1/stats?api_key=x#',
    hit: (v) => `https://app.statalog.com/api/v1/stats?api_key=${v}#top `,
  },
  'URL assigned to a name': {
    unit: 'STATALOG_URL=app.statalog.com/api/v1/stats?api_key=',
    hit: (v) => `STATALOG_URL=app.statalog.com/api/v1/stats?api_key=${v}\n`,
  },
  'nested URLs': {
    unit: 'https://proxy.example.com/?u=https://app.statalog.com/api/v1/stats?api_key=',
    hit: (v) => `https://proxy.example.com/?u=https://app.statalog.com/api/v1/stats?api_key=${v} `,
  },
  'self-hosted endpoint path': {
    unit: 'https://stats.example.com/api/v1/stats/timeseries?site_id=1&api_key=',
    hit: (v) => `https://stats.example.com/api/v1/stats/timeseries?site_id=1&api_key=${v} `,
  },
  'scheme separators': { unit: 'a://' },
  'query without a delimiter': { unit: '?a=b&c' },

  // --- `STATALOG_API_KEY` and its spellings: each assignment form and quote style
  'NAME= (unquoted)': { unit: 'STATALOG_API_KEY=', hit: (v) => `STATALOG_API_KEY=${v}\n`, syntax: 'config' },
  'NAME=" (double quote)': { unit: 'STATALOG_API_KEY="', hit: (v) => `STATALOG_API_KEY="${v}"\n` },
  "NAME=' (single quote)": { unit: "STATALOG_API_KEY='", hit: (v) => `STATALOG_API_KEY='${v}'\n` },
  'NAME=` (backtick)': { unit: 'STATALOG_API_KEY=`', hit: (v) => `STATALOG_API_KEY=\`${v}\`\n` },
  'name: (YAML)': { unit: 'statalog_api_key: ', hit: (v) => `statalog_api_key: ${v}\n`, syntax: 'config' },
  '"name": "… (JSON)': { unit: '"statalogApiKey": "', hit: (v) => `{"statalogApiKey": "${v}"}` },
  "'name' => '… (PHP)": { unit: "'statalog.api.key' => '", hit: (v) => `['statalog.api.key' => '${v}']` },
  'escaped JSON in a string': {
    unit: '\\"STATALOG_API_KEY\\":\\"',
    hit: (v) => `"{\\"STATALOG_API_KEY\\":\\"${v}\\"}"`,
  },
  'typed name (TypeScript)': {
    unit: 'statalogApiKey: string = "',
    hit: (v) => `const statalogApiKey: string = "${v}";`,
    syntax: 'code',
  },
  'typed name (Go)': {
    unit: 'var statalogAPIKey string = "',
    hit: (v) => `var statalogAPIKey string = "${v}"`,
    syntax: 'code',
  },
  ':= (Go)': { unit: 'statalogApiKey := "', hit: (v) => `statalogApiKey := "${v}"`, syntax: 'code' },
  '?= (Makefile)': { unit: 'STATALOG_API_KEY ?= ', hit: (v) => `STATALOG_API_KEY ?= ${v}\n`, syntax: 'config' },
  '?? default': {
    unit: 'process.env.STATALOG_API_KEY ?? "',
    hit: (v) => `process.env.STATALOG_API_KEY ?? "${v}"`,
    syntax: 'code',
  },
  '|| default': {
    unit: 'process.env.STATALOG_API_KEY || "',
    hit: (v) => `process.env.STATALOG_API_KEY || "${v}"`,
    syntax: 'code',
  },
  'or default (Python)': {
    unit: 'statalog_api_key or "',
    hit: (v) => `key = statalog_api_key or "${v}"`,
    syntax: 'code',
  },
  'call with a default': { unit: "env('STATALOG_API_KEY', '", hit: (v) => `env('STATALOG_API_KEY', '${v}')` },
  'raw string prefix (Python)': { unit: 'STATALOG_KEY = r"', hit: (v) => `STATALOG_KEY = r"${v}"` },
  'verbatim string (C#)': { unit: 'StatalogApiKey = @"', hit: (v) => `StatalogApiKey = @"${v}";` },
  'indexed name': { unit: 'os.environ["STATALOG_API_KEY"] = "', hit: (v) => `os.environ["STATALOG_API_KEY"] = "${v}"` },
  'assignment inside a string (putenv)': {
    unit: 'putenv("STATALOG_API_KEY=',
    hit: (v) => `putenv("STATALOG_API_KEY=${v}");`,
  },
  'ENV NAME value (Dockerfile)': {
    unit: 'ENV STATALOG_API_KEY ',
    hit: (v) => `ENV STATALOG_API_KEY ${v}\n`,
    syntax: 'config',
  },
  '--name value (CLI flag)': {
    unit: '--statalog-api-key ',
    hit: (v) => `run --statalog-api-key ${v}\n`,
    syntax: 'config',
  },
  'name then blanks': { unit: 'STATALOG_API_KEY      ' },
  'name then closing brackets': { unit: 'STATALOG_API_KEY])]' },
  '- name: / value: (Kubernetes)': {
    unit: '- name: STATALOG_API_KEY\n  value: ',
    hit: (v) => `- name: STATALOG_API_KEY\n  value: ${v}\n`,
    syntax: 'config',
  },
  '<env name= value=> (XML)': {
    unit: '<env name="STATALOG_API_KEY" value="',
    hit: (v) => `<env name="STATALOG_API_KEY" value="${v}"/>`,
  },
  '<add key= value=> (.NET)': {
    unit: '<add key="StatalogApiKey" value="',
    hit: (v) => `<add key="StatalogApiKey" value="${v}" />`,
  },
  '<Name>value</Name> (XML element)': { unit: '<StatalogApiKey>', hit: (v) => `<StatalogApiKey>${v}</StatalogApiKey>` },
  'HCL variable block': {
    unit: 'variable "statalog_api_key" {',
    hit: (v) => `variable "statalog_api_key" {\n  default = "${v}"\n}\n`,
    syntax: 'config',
  },
  'HCL variable block with a default': {
    unit: 'variable "statalog_api_key" { default = ',
    hit: (v) => `variable "statalog_api_key" { default = "${v}" }`,
    syntax: 'config',
  },
  'HCL block, braces inside': { unit: 'variable "statalog_api_key" {{' },

  // --- `statalog` sections: each section form
  '[statalog] (INI/TOML)': {
    unit: '[statalog]\napi_key = ',
    hit: (v) => `[statalog]\napi_key = "${v}"\n`,
    syntax: 'config',
  },
  '[[statalog]] (TOML array)': {
    unit: '[[statalog]]\nkey = ',
    hit: (v) => `[[statalog]]\nkey = "${v}"\n`,
    syntax: 'config',
  },
  'statalog: (YAML)': { unit: 'statalog:\n  api_key: ', hit: (v) => `statalog:\n  api_key: ${v}\n`, syntax: 'config' },
  'statalog: (YAML, deeper entries)': { unit: 'statalog:\n  other:\n    key: ', syntax: 'config' },
  '"statalog": { (JSON)': { unit: '"Statalog": { "ApiKey": "', hit: (v) => `{"Statalog": { "ApiKey": "${v}" }}` },
  "'statalog' => [ (PHP)": { unit: "'statalog' => [ 'key' => '", hit: (v) => `['statalog' => [ 'key' => '${v}' ]]` },
  'statalog: { (object literal)': {
    unit: 'statalog: { apiKey: ',
    hit: (v) => `const c = { statalog: { apiKey: '${v}' } }`,
  },
  'statalog = { (assignment)': { unit: 'statalog = { key = ', hit: (v) => `statalog = { key = "${v}" }` },
  'statalog { (HCL block)': { unit: 'statalog { api_key = ', hit: (v) => `statalog {\n  api_key = "${v}"\n}\n` },
  'Statalog({ (SDK call)': { unit: 'Statalog({ apiKey: ', hit: (v) => `new Statalog({ apiKey: '${v}' })` },
  'Statalog(api_key= (keyword argument)': { unit: 'Statalog(api_key=', hit: (v) => `Statalog(api_key="${v}")` },
  'statalog: [ (array)': { unit: 'statalog: [ ' },
  'a section opened, never closed': { unit: 'statalog: {' },
  'a section with a comment': { unit: 'statalog: { // ' },
  'a section with an open string': { unit: 'statalog: { "' },
  'a section with nested braces': { unit: 'statalog: { a: { b: [ ( ' },
  '\\"statalog\\": { (escaped JSON)': { unit: '\\"statalog\\": {\\"apiKey\\":\\"' },

  // --- line-level checks
  'statalog:allow with keys': { unit: 'statalog:allow st_' },
  'allow marker alone': { unit: 'statalog:allow ' },
};
