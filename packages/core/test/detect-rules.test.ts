/**
 * The three detection rules, case by case: every syntax the issue names, each with the exact rule id, line,
 * column and end column (« and » mark where the secret must be found), then look-alikes and placeholders
 * that must stay silent. Keys are made at run time.
 */
import { describe, expect, it } from 'vitest';
import { DOC_EXAMPLE_KEY, type RuleId } from '../src/index.js';
import { base64Key, cloudKey, hexKey, scan, unmark } from './support.js';

const C = cloudKey();
const C2 = cloudKey();
const H = hexKey();
const B = base64Key();
const D = DOC_EXAMPLE_KEY;
const HEX = H; // 64 hex without prefix: a sha256 when not assigned to the key's name
const hex = (n: number) => hexKey().repeat(2).slice(0, n);

type Case = [title: string, file: string, marked: string, rules: RuleId[]];
type Options = Parameters<typeof scan>[2];

function expectCases(cases: readonly Case[], options?: Options) {
  it.each(cases)('%s (%s)', (_title, file, marked, rules) => {
    const { text, expected } = unmark(marked, rules);
    expect(scan(text, file, options)).toEqual(expected);
  });
}

const cloud = (n = 1): RuleId[] => Array<RuleId>(n).fill('cloud-key');
const url: RuleId[] = ['url-key'];
const community: RuleId[] = ['community-key'];

describe('cloud-key: st_ + 64 lower-case hex, not touching a word character', () => {
  expectCases([
    ['alone in a file', 'notes.txt', `«${C}»`, cloud()],
    ['after text, no final newline', 'notes.txt', `the key is «${C}»`, cloud()],
    ['double-quoted string', 'app.js', `const key = "«${C}»";`, cloud()],
    ['single-quoted string', 'app.py', `key = '«${C}»'`, cloud()],
    ['template literal', 'app.ts', `const h = { Authorization: \`Bearer «${C}»\` };`, cloud()],
    ['JSON value under another name', 'settings.json', `{\n  "apiKey": "«${C}»"\n}`, cloud()],
    [
      'assigned to STATALOG_API_KEY: one cloud-key, not also a community-key',
      '.env',
      `STATALOG_API_KEY=«${C}»`,
      cloud(),
    ],
    [
      'quoted and assigned in YAML',
      'docker-compose.yml',
      `services:\n  web:\n    environment:\n      STATALOG_API_KEY: "«${C}»"`,
      cloud(),
    ],
    [
      'Authorization header in a shell script',
      'fetch.sh',
      `curl -H "Authorization: Bearer «${C}»" https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3`,
      cloud(),
    ],
    ['after a \\n escape in a string', 'dump.json', `{"log":"token:\\n«${C}»"}`, cloud()],
    ['after a \\u003d escape', 'dump.json', `{"q":"key\\u003d«${C}»"}`, cloud()],
    ['after a \\x3d escape', 'dump.c', `char *q = "key\\x3d«${C}»";`, cloud()],
    [
      'after %3D (URL-encoded =)',
      'access.log',
      `GET /proxy?target=https%3A%2F%2Fexample.com%3Fk%3D«${C}»%26x%3D1 200`,
      cloud(),
    ],
    ['followed by punctuation', 'README.md', `Use «${C}». Or «${C2}», then stop.`, cloud(2)],
    ['followed by a hyphen', 'notes.txt', `«${C}»-backup`, cloud()],
    ['two on a line, one on the next', 'keys.txt', `«${C}» «${C2}»\n  «${C}»`, cloud(3)],
    ['CRLF line ends', 'keys.txt', `one\r\ntwo\r\n\t«${C}»\r\n`, cloud()],
    ['CR-only line ends', 'keys.txt', `one\rtwo\r  «${C}»\r`, cloud()],
    ['columns count UTF-16 code units (emoji before the key)', 'notes.md', `🔑 é «${C}»`, cloud()],
    [
      'minified bundle',
      'app.min.js',
      `!function(){var e={k:"«${C}»",u:"https://app.statalog.com"};fetch(e.u)}();`,
      cloud(),
    ],
    ['HTML attribute', 'index.html', `<div data-key="«${C}»"></div>`, cloud()],
    ['Markdown inline code', 'README.md', 'Set `«' + C + '»` as your key.', cloud()],
    ['PHP array', 'config/statalog.php', `<?php return ['api_key' => '«${C}»'];`, cloud()],
    ['Go raw string', 'main.go', 'const key = `«' + C + '»`', cloud()],
    ['XML text', 'app.config', `<key>«${C}»</key>`, cloud()],
    ['SQL', 'seed.sql', `INSERT INTO keys VALUES (1, '«${C}»');`, cloud()],
    ['after = in an INI file', 'app.ini', `token=«${C}»`, cloud()],
    ['after a non-ASCII letter (only ASCII word characters glue)', 'notes.txt', `é«${C}»`, cloud()],
  ]);

  it('reports the documentation example only when asked', () => {
    const { text, expected } = unmark(`key = "«${D}»"`, cloud());
    expect(scan(text, 'app.py')).toEqual([]);
    expect(scan(text, 'app.py', { includeExamples: true })).toEqual(expected);
  });
});

describe('cloud-key look-alikes are silent', () => {
  expectCases([
    ['test_ + 64 hex', 'fixture.py', `TOKEN = "test_${hex(64)}"`, []],
    ['first_/list_ + 64 hex', 'a.txt', `first_${hex(64)} list_${hex(64)}`, []],
    ['_st_, xst_, 1st_ + 64 hex', 'a.txt', `_st_${hex(64)} xst_${hex(64)} 1st_${hex(64)}`, []],
    ['63 hex', 'a.txt', `st_${hex(63)}`, []],
    ['65 hex', 'a.txt', `st_${hex(65)}`, []],
    ['followed by a letter or _', 'a.txt', `${C}g ${C2}_x`, []],
    ['upper-case prefix ST_', 'a.txt', `ST_${hex(64)}`, []],
    ['mixed-case prefix St_', 'a.txt', `St_${hex(64)}`, []],
    ['upper-case hex', 'a.txt', `st_${hex(64).toUpperCase()}`, []],
    [
      'regex source describing the format',
      'rules.js',
      'const re = /st_[0-9a-f]{64}/; const s = "st_[a-f0-9]{64}";',
      [],
    ],
    ['regex source with a class', 'rules.py', 'PATTERN = r"\\bst_[0-9a-f]{64}\\b"', []],
    [
      'the documentation example key',
      'README.md',
      `curl -H "Authorization: Bearer ${D}" https://app.statalog.com/api/v1/stats`,
      [],
    ],
    ['all zeros', '.env', `KEY=st_${'0'.repeat(64)}`, []],
    ['one repeated letter', 'a.txt', `st_${'a'.repeat(64)} st_${'f'.repeat(64)}`, []],
    ['repeated block', 'a.txt', `st_${'deadbeef'.repeat(8)} st_${'0123456789abcdef'.repeat(4)}`, []],
    ['truncated with ...', 'README.md', 'Keys look like `st_a3f8c2d1e4b7...` or `st_...`', []],
    ['our own masked form', 'README.md', 'Found st_a3f8…f6a8 in .env', []],
    ['a sha256 without the prefix', 'SHA256SUMS', `${HEX}  statalog-scan.tgz`, []],
    ['sha256: digest', 'Dockerfile', `FROM node:20@sha256:${HEX}`, []],
    ['UUIDs', 'a.json', '{"id": "3f2b8c1e-9d4a-4e6b-8f1c-2a7d9e0b5c43"}', []],
    ['site IDs', 'a.md', 'site_id=ST-A1B2C3 and ST-A1B2C3D4E5F6G', []],
    ['a git commit sha', 'CHANGELOG.md', `fixed in ${hex(40)}`, []],
  ]);
});

describe('url-key: api_key= in a URL that targets the Statalog API', () => {
  expectCases([
    ['Cloud host, hex key', 'README.md', `https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=«${H}»`, url],
    [
      'a cloud key in the URL is one url-key',
      'README.md',
      `https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=«${C}»`,
      url,
    ],
    ['any statalog.com subdomain, any path', 'notes.txt', `https://eu.api.statalog.com/export?api_key=«${H}»`, url],
    ['the apex domain', 'notes.txt', `https://statalog.com/?api_key=«${B}»`, url],
    [
      'api_key before site_id',
      'a.sh',
      `curl "https://app.statalog.com/api/v1/pages?api_key=«${H}»&site_id=ST-A1B2C3&period=7d"`,
      url,
    ],
    [
      'relative URL in an nginx access log',
      'access.log',
      `203.0.113.9 - - [10/May/2025:10:00:00 +0000] "GET /api/v1/stats?site_id=ST-A1B2C3&period=30d&api_key=«${H}» HTTP/1.1" 200 512 "-" "curl/8.5"`,
      url,
    ],
    [
      'relative URL in an Apache log, timeseries endpoint',
      'access_log',
      `10.0.0.1 - - [01/Jan/2025:00:00:01 +0100] "GET /api/v1/stats/timeseries?site_id=ST-ABCDEFGHJKLMN&api_key=«${H}»&from=2025-01-01 HTTP/2" 200 -`,
      url,
    ],
    [
      'every endpoint of the list',
      'a.log',
      [
        'stats',
        'stats/timeseries',
        'pages',
        'referrers',
        'channels',
        'locations',
        'devices',
        'events',
        'campaigns',
        'live',
      ]
        .map((e) => `GET /api/v1/${e}?site_id=1&api_key=«${H}»`)
        .join('\n'),
      Array<RuleId>(10).fill('url-key'),
    ],
    [
      'a self-hosted install under a sub-path',
      'a.log',
      `GET https://example.org/statalog/api/v1/live?site_id=7&api_key=«${H}»`,
      url,
    ],
    [
      'HTML with &amp;',
      'index.html',
      `<a href="https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&amp;api_key=«${H}»">stats</a>`,
      url,
    ],
    ['relative URL with &amp;', 'page.html', `<img src="/api/v1/stats?site_id=1&amp;api_key=«${H}»">`, url],
    [
      'JSON with escaped slashes (PHP json_encode)',
      'storage/logs/laravel.log',
      `{"url":"https:\\/\\/app.statalog.com\\/api\\/v1\\/stats?site_id=ST-A1B2C3&api_key=«${H}»"}`,
      url,
    ],
    [
      'JSON with \\u0026 (Go encoding/json)',
      'events.json',
      `{"url":"https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3\\u0026api_key=«${H}»"}`,
      url,
    ],
    ['relative URL with \\u0026', 'events.json', `{"path":"/api/v1/stats?site_id=1\\u0026api_key=«${H}»"}`, url],
    [
      'after NAME= in a .env file, no site_id',
      '.env',
      `STATALOG_URL=https://app.statalog.com/api/v1/live?api_key=«${H}»`,
      url,
    ],
    ['after --url=', 'run.sh', `./check --url=https://app.statalog.com/api/v1/stats?api_key=«${H}»`, url],
    ['bare host in prose', 'notes.md', `Open app.statalog.com/api/v1/stats?api_key=«${H}» in a browser.`, url],
    [
      'protocol-relative',
      'page.html',
      `<script src=//app.statalog.com/api/v1/live?site_id=1&api_key=«${H}»></script>`,
      url,
    ],
    [
      'the period that ends a sentence is not part of the key',
      'notes.md',
      `Call https://app.statalog.com/api/v1/stats?site_id=1&api_key=«${C}».`,
      url,
    ],
    [
      'Markdown link',
      'README.md',
      `[live](https://app.statalog.com/api/v1/live?site_id=ST-A1B2C3&api_key=«${H}»)`,
      url,
    ],
    [
      'spreadsheet formula',
      'report.csv',
      `=IMPORTDATA("https://app.statalog.com/api/v1/pages?site_id=ST-A1B2C3&api_key=«${C}»&period=30d")`,
      url,
    ],
    [
      'template literal with interpolated site',
      'client.ts',
      `fetch(\`https://app.statalog.com/api/v1/stats?site_id=\${siteId}&api_key=«${B}»\`)`,
      url,
    ],
    ['SPA route after #', 'notes.txt', `https://app.statalog.com/#/stats?api_key=«${H}»`, url],
    [
      'a URL nested in another URL',
      'a.log',
      `GET /redirect?to=https://app.statalog.com/api/v1/stats?site_id=1&api_key=«${H}» 302`,
      url,
    ],
    [
      'two URLs on one line',
      'a.md',
      `https://app.statalog.com/api/v1/live?api_key=«${H}» and /api/v1/pages?site_id=2&api_key=«${B}»`,
      ['url-key', 'url-key'],
    ],
    ['URL-encoded value', 'a.log', `GET /api/v1/stats?site_id=1&api_key=«${B}%2B${B}%3D» 200`, url],
  ]);

  it('reports self-hosted hosts from the config, with or without a port', () => {
    const { text, expected } = unmark(
      `https://stats.example.com/dashboard?api_key=«${H}»\nhttps://stats.example.com:8443/x?api_key=«${B}»`,
      ['url-key', 'url-key'],
    );
    expect(scan(text, 'notes.txt')).toEqual([]);
    expect(scan(text, 'notes.txt', { selfHostedHosts: ['stats.example.com', 'stats.example.com:8443'] })).toEqual(
      expected,
    );
  });
});

describe('url-key look-alikes are silent', () => {
  expectCases([
    ["another vendor's api_key=", 'a.md', `https://api.openweathermap.org/data/2.5/weather?q=Paris&api_key=${H}`, []],
    [
      '/api/v1/stats?api_key= without site_id (other products serve it too)',
      'a.log',
      `GET /api/v1/stats?api_key=${H} 200`,
      [],
    ],
    [
      'a self-hosted-looking host that is not configured',
      'a.md',
      `https://stats.example.com/api/v1/stats?api_key=${H}`,
      [],
    ],
    [
      'a host that only contains statalog.com',
      'a.md',
      `https://statalog.com.evil.io/?api_key=${H} https://notstatalog.com/?api_key=${H}`,
      [],
    ],
    [
      'a parameter that only ends in api_key',
      'a.md',
      `https://app.statalog.com/api/v1/stats?site_id=1&x_api_key=${H}`,
      [],
    ],
    ['api_key= in the path, not the query', 'a.md', `https://app.statalog.com/api_key=${H}`, []],
    ['a form body without a URL', 'a.sh', `curl -d "site_id=1&api_key=${H}" https://app.statalog.com/api/v1/stats`, []],
    ['a non-endpoint path with site_id on another host', 'a.log', `GET /api/v2/stats?site_id=1&api_key=${H} 200`, []],
    [
      'placeholders',
      'README.md',
      [
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=YOUR_API_KEY',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${STATALOG_API_KEY}',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=<your-key>',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key={{ statalog_key }}',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=%s',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=xxxxxxxxxxxxxxxx',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=st_a3f8c2d1e4b7...',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=st_...',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=st_a3f8…f6a8',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=$KEY',
        'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=STATALOG_API_KEY',
        `https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${D}`,
        `https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=st_${'0'.repeat(64)}`,
      ].join('\n'),
      [],
    ],
  ]);
});

describe('community-key: a literal assigned to STATALOG_API_KEY, by file syntax', () => {
  describe('.env and shell', () => {
    expectCases([
      ['plain', '.env', `APP_ENV=production\nSTATALOG_API_KEY=«${H}»\n`, community],
      ['export', '.env', `export STATALOG_API_KEY=«${H}»`, community],
      ['double quotes', '.env.production', `STATALOG_API_KEY="«${H}»"`, community],
      ['single quotes', '.env.local', `STATALOG_API_KEY='«${H}»'`, community],
      ['trailing comment', '.env', `STATALOG_API_KEY=«${H}» # prod key, rotate yearly`, community],
      ['spaces around =', '.env', `STATALOG_API_KEY = «${H}»`, community],
      ['lower case, base64 value', 'settings.env', `statalog_api_key=«${B}»`, community],
      ['STATALOG_KEY spelling', '.envrc', `export STATALOG_KEY="«${H}»"`, community],
      ['a prefixed name (NEXT_PUBLIC_)', '.env', `NEXT_PUBLIC_STATALOG_API_KEY=«${H}»`, community],
      ['CRLF', '.env', `A=1\r\nSTATALOG_API_KEY=«${H}»\r\nB=2\r\n`, community],
      ['inline before a command', 'deploy.sh', `STATALOG_API_KEY=«${H}» php artisan statalog:sync`, community],
      ['docker run -e', 'run.sh', `docker run --rm -e STATALOG_API_KEY=«${H}» -p 80:80 statalog/analytics`, community],
      [
        'docker run -e with the whole pair quoted',
        'run.sh',
        `docker run -e "STATALOG_API_KEY=«${H}»" statalog/analytics`,
        community,
      ],
      ['fish set -gx', 'config.fish', `set -gx STATALOG_API_KEY «${H}»`, community],
      ['csh setenv', '.cshrc', `setenv STATALOG_API_KEY «${H}»`, community],
      [
        'Windows set and setx',
        'setup.bat',
        `set STATALOG_API_KEY=«${H}»\r\nsetx STATALOG_API_KEY «${B}»`,
        ['community-key', 'community-key'],
      ],
      ['PowerShell', 'setup.ps1', `$env:STATALOG_API_KEY = "«${H}»"`, community],
      ['a CLI flag with a space', 'cron.sh', `statalog-export --statalog-api-key «${H}» --out /tmp/x`, community],
      ['a CLI flag with =', 'cron.sh', `statalog-export --statalog-api-key=«${H}»`, community],
      ['Makefile ?=', 'Makefile', `STATALOG_API_KEY ?= «${H}»`, community],
      [
        'a log line that dumps the environment',
        'worker.log',
        `[2025-05-01 10:00:00] boot: APP_ENV=prod STATALOG_API_KEY=«${H}» QUEUE=redis`,
        community,
      ],
    ]);
  });

  describe('YAML', () => {
    expectCases([
      [
        'docker-compose environment map',
        'docker-compose.yml',
        `services:\n  app:\n    image: statalog/analytics\n    environment:\n      APP_URL: https://stats.example.com\n      STATALOG_API_KEY: «${H}»\n`,
        community,
      ],
      ['docker-compose map, quoted', 'compose.yaml', `    environment:\n      STATALOG_API_KEY: "«${H}»"`, community],
      [
        'docker-compose environment list',
        'docker-compose.yml',
        `    environment:\n      - APP_ENV=production\n      - STATALOG_API_KEY=«${H}»\n`,
        community,
      ],
      [
        'docker-compose list, quoted pair',
        'docker-compose.yml',
        `    environment:\n      - "STATALOG_API_KEY=«${H}»"`,
        community,
      ],
      [
        'Kubernetes name/value',
        'deployment.yaml',
        `        env:\n          - name: STATALOG_API_KEY\n            value: "«${H}»"\n          - name: APP_ENV\n            value: production`,
        community,
      ],
      [
        'Kubernetes name/value, unquoted',
        'k8s/deploy.yml',
        `      - name: STATALOG_API_KEY\n        value: «${H}»`,
        community,
      ],
      [
        'GitHub Actions env with a literal',
        '.github/workflows/ci.yml',
        `    env:\n      STATALOG_API_KEY: «${H}»`,
        community,
      ],
      [
        'Spring-style nested section',
        'application.yml',
        `statalog:\n  url: https://stats.example.com\n  api-key: «${H}»\n`,
        community,
      ],
      [
        'nested section with apiKey, deeper',
        'values.yaml',
        `analytics:\n  statalog:\n    siteId: ST-A1B2C3\n    apiKey: "«${H}»"\n`,
        community,
      ],
      ['list item section', 'config.yml', `- statalog:\n    key: «${H}»`, community],
    ]);
  });

  describe('JSON, TOML, INI, properties, XML, HCL, Dockerfile, nginx, Apache', () => {
    expectCases([
      ['JSON', 'config.json', `{\n  "STATALOG_API_KEY": "«${H}»"\n}`, community],
      ['JSON camelCase', 'settings.json', `{"statalogApiKey":"«${H}»","siteId":"ST-A1B2C3"}`, community],
      [
        'appsettings.json section',
        'appsettings.json',
        `{\n  "Statalog": {\n    "BaseUrl": "https://stats.example.com",\n    "ApiKey": "«${H}»"\n  }\n}`,
        community,
      ],
      [
        'ECS task definition',
        'task-def.json',
        `"environment": [{"name": "STATALOG_API_KEY", "value": "«${H}»"}]`,
        community,
      ],
      [
        'JSON inside a JSON string (a log line)',
        'app.log',
        `{"msg":"env","data":"{\\"STATALOG_API_KEY\\":\\"«${H}»\\"}"}`,
        community,
      ],
      ['TOML', 'config.toml', `statalog_api_key = "«${H}»"`, community],
      ['TOML section', 'pyproject.toml', `[tool.statalog]\nsite_id = "ST-A1B2C3"\napi_key = "«${H}»"\n`, community],
      ['INI section', 'settings.ini', `[statalog]\nkey = «${H}»\n\n[other]\nkey = nothing`, community],
      ['properties, dots', 'application.properties', `statalog.api.key=«${H}»`, community],
      ['properties, colon and kebab-case', 'app.properties', `statalog.api-key: «${H}»`, community],
      ['phpunit.xml env', 'phpunit.xml', `<php>\n    <env name="STATALOG_API_KEY" value="«${H}»"/>\n</php>`, community],
      [
        '.NET appSettings',
        'Web.config',
        `<appSettings>\n  <add key="StatalogApiKey" value="«${H}»" />\n</appSettings>`,
        community,
      ],
      ['XML element', 'settings.xml', `<StatalogApiKey>«${H}»</StatalogApiKey>`, community],
      ['Terraform tfvars', 'prod.tfvars', `statalog_api_key = "«${H}»"`, community],
      [
        'Terraform variable default',
        'variables.tf',
        `variable "statalog_api_key" {\n  type    = string\n  default = "«${H}»"\n}`,
        community,
      ],
      ['Dockerfile ENV with =', 'Dockerfile', `FROM php:8.3-fpm\nENV STATALOG_API_KEY=«${H}»`, community],
      ['Dockerfile ENV with a space', 'Dockerfile.prod', `ENV STATALOG_API_KEY «${H}»`, community],
      ['Dockerfile ARG default', 'Dockerfile', `ARG STATALOG_API_KEY=«${H}»`, community],
      ['nginx fastcgi_param', 'nginx.conf', `    fastcgi_param STATALOG_API_KEY «${H}»;`, community],
      ['Apache SetEnv', '.htaccess', `SetEnv STATALOG_API_KEY «${H}»`, community],
      ['systemd Environment=', 'statalog.service', `Environment="STATALOG_API_KEY=«${H}»"`, community],
      ['Markdown inline code', 'README.md', 'Then set `STATALOG_API_KEY=«' + H + '»` and restart.', community],
    ]);
  });

  describe('source code', () => {
    expectCases([
      ['PHP env() default', 'config/statalog.php', `'api_key' => env('STATALOG_API_KEY', '«${H}»'),`, community],
      ['PHP define', 'wp-config.php', `define('STATALOG_API_KEY', '«${H}»');`, community],
      ['PHP variable', 'report.php', `$statalogApiKey = '«${H}»';`, community],
      ['PHP putenv', 'bootstrap.php', `putenv('STATALOG_API_KEY=«${H}»');`, community],
      [
        'PHP services array section',
        'config/services.php',
        `'statalog' => [\n    'url' => 'https://stats.example.com',\n    'key' => '«${H}»',\n],`,
        community,
      ],
      ['Python assignment', 'settings.py', `STATALOG_API_KEY = "«${H}»"`, community],
      ['Python type hint', 'config.py', `statalog_api_key: str = "«${H}»"`, community],
      ['Python os.environ assignment', 'conftest.py', `os.environ["STATALOG_API_KEY"] = "«${H}»"`, community],
      ['Python getenv default', 'app.py', `key = os.environ.get("STATALOG_API_KEY", "«${H}»")`, community],
      ['Python getenv or literal', 'app.py', `key = os.getenv("STATALOG_API_KEY") or "«${H}»"`, community],
      ['Python keyword argument', 'client.py', `client = Client(statalog_api_key=r"«${H}»")`, community],
      ['Python SDK call', 'report.py', `client = Statalog(api_key="«${H}»", site_id="ST-A1B2C3")`, community],
      ['Ruby constant', 'statalog.rb', `STATALOG_API_KEY = '«${H}»'.freeze`, community],
      ['Ruby ENV assignment', 'spec_helper.rb', `ENV["STATALOG_API_KEY"] = "«${H}»"`, community],
      [
        'Ruby ENV.fetch default',
        'config/initializers/statalog.rb',
        `Statalog.key = ENV.fetch("STATALOG_API_KEY", "«${H}»")`,
        community,
      ],
      ['Ruby hash', 'config.rb', `{ statalog_api_key: "«${H}»" }`, community],
      ['Go constant', 'main.go', `const statalogAPIKey = "«${H}»"`, community],
      ['Go short declaration', 'main.go', `statalogAPIKey := "«${H}»"`, community],
      ['Go typed var', 'main.go', `var statalogAPIKey string = "«${H}»"`, community],
      ['Go os.Setenv', 'main_test.go', `os.Setenv("STATALOG_API_KEY", "«${H}»")`, community],
      ['Go struct literal', 'config.go', `cfg := Config{StatalogAPIKey: "«${H}»", SiteID: "ST-A1B2C3"}`, community],
      ['Java constant', 'Statalog.java', `private static final String STATALOG_API_KEY = "«${H}»";`, community],
      ['Java system property', 'App.java', `System.setProperty("statalog.api.key", "«${H}»");`, community],
      ['Kotlin typed val', 'App.kt', `val statalogApiKey: String = "«${H}»"`, community],
      ['C# const', 'Statalog.cs', `public const string StatalogApiKey = "«${H}»";`, community],
      ['C# verbatim string', 'Program.cs', `var statalogApiKey = @"«${H}»";`, community],
      [
        'C# SetEnvironmentVariable',
        'Program.cs',
        `Environment.SetEnvironmentVariable("STATALOG_API_KEY", "«${H}»");`,
        community,
      ],
      ['Rust const', 'main.rs', `const STATALOG_API_KEY: &str = "«${H}»";`, community],
      ['C array', 'key.c', `static const char statalog_api_key[] = "«${H}»";`, community],
      ['JS constant', 'server.js', `const STATALOG_API_KEY = '«${H}»';`, community],
      ['TS typed constant', 'server.ts', `export const statalogApiKey: string = "«${H}»";`, community],
      ['object property', 'config.mjs', `export default { statalogApiKey: '«${H}»', siteId: 'ST-A1B2C3' };`, community],
      ['quoted object property', 'config.js', `module.exports = { "statalog_api_key": "«${H}»" };`, community],
      ['process.env assignment', 'setup.ts', `process.env.STATALOG_API_KEY = '«${H}»';`, community],
      ["process.env.X || 'literal'", 'server.js', `const key = process.env.STATALOG_API_KEY || '«${H}»';`, community],
      ["process.env.X ?? 'literal'", 'server.ts', `const key = process.env.STATALOG_API_KEY ?? "«${H}»";`, community],
      ['destructuring default', 'server.js', `const { statalogApiKey = '«${H}»' } = options;`, community],
      [
        'SDK options object',
        'client.ts',
        `const statalog = new Statalog({ siteId: 'ST-A1B2C3', apiKey: '«${H}»' });`,
        community,
      ],
      [
        'nested config object',
        'config.ts',
        `export const config = {\n  statalog: {\n    url: 'https://stats.example.com',\n    apiKey: "«${H}»",\n  },\n};`,
        community,
      ],
      ['minified bundle', 'app.min.js', `var n={statalog:{siteId:"ST-A1B2C3",apiKey:"«${H}»"}},r=1;`, community],
      ['Docker SDK env array', 'deploy.js', `Env: ["APP_ENV=prod", "STATALOG_API_KEY=«${H}»"],`, community],
    ]);
  });
});

describe('community-key: references and placeholders are silent', () => {
  const lines = (...l: string[]) => l.join('\n');
  expectCases([
    [
      'shell and .env references',
      '.env',
      lines(
        'STATALOG_API_KEY=${STATALOG_API_KEY}',
        'STATALOG_API_KEY=$STATALOG_KEY',
        'STATALOG_API_KEY=$(cat /run/secrets/statalog)',
        'STATALOG_API_KEY=`vault kv get -field=api_key secret/statalog/prod`',
        'STATALOG_API_KEY=%STATALOG_KEY%',
        'STATALOG_API_KEY=${{ secrets.STATALOG_API_KEY }}',
        'STATALOG_API_KEY={{ .Values.statalog.apiKey }}',
        'STATALOG_API_KEY=op://Production/statalog/api-key',
        'STATALOG_API_KEY=vault:secret/data/statalog#api_key',
        'STATALOG_API_KEY=arn:aws:secretsmanager:eu-west-1:123456789012:secret:statalog-AbCdEf',
        'STATALOG_API_KEY=ENC[AES256_GCM,data:Tr7o1x3m,iv:1Xb3,tag:9Gh2,type:str]',
        'STATALOG_API_KEY=/run/secrets/statalog_api_key',
        'STATALOG_API_KEY=NEXT_PUBLIC_STATALOG_API_KEY',
      ),
      [],
    ],
    [
      '*_FILE pointers',
      '.env',
      'STATALOG_API_KEY_FILE=/run/secrets/statalog_api_key\nSTATALOG_API_KEY_FILE=/var/run/secrets/key-2024',
      [],
    ],
    [
      'placeholders',
      '.env.example',
      lines(
        'STATALOG_API_KEY=',
        'STATALOG_API_KEY=""',
        "STATALOG_API_KEY=''",
        'STATALOG_API_KEY=your-api-key',
        'STATALOG_API_KEY=YOUR_STATALOG_API_KEY',
        'STATALOG_API_KEY=your_key_here_123',
        'STATALOG_API_KEY=changeme',
        'STATALOG_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxx',
        'STATALOG_API_KEY=XXXX-XXXX-XXXX',
        'STATALOG_API_KEY=<your key>',
        'STATALOG_API_KEY="<paste the key from .env>"',
        'STATALOG_API_KEY=%s',
        'STATALOG_API_KEY=%(statalog_key)s',
        'STATALOG_API_KEY=st_a3f8c2d1e4b7...',
        'STATALOG_API_KEY=st_...',
        'STATALOG_API_KEY=a3f8c2d1e4b7…',
        'STATALOG_API_KEY="paste your key here"',
        `STATALOG_API_KEY=${'0'.repeat(64)}`,
        `STATALOG_API_KEY=${'ab'.repeat(32)}`,
        'STATALOG_API_KEY=0123456789abcdef0123456789abcdef',
        'STATALOG_API_KEY=fedcba9876543210',
        'STATALOG_API_KEY=TODO',
        'STATALOG_API_KEY=REDACTED',
        'STATALOG_API_KEY=[REDACTED]',
        'STATALOG_API_KEY=********',
        'STATALOG_API_KEY=null',
        'STATALOG_API_KEY=test-key-1',
        'STATALOG_API_KEY=fake_statalog_token',
        'STATALOG_API_KEY=dummy-key-12345',
        'STATALOG_API_KEY=statalog-production-api-key',
        `STATALOG_API_KEY=test_${hex(64)}`,
        'STATALOG_API_KEY=ST-A1B2C3',
        'STATALOG_API_KEY=ST-ABCDEFGHJKLMN',
        'STATALOG_API_KEY=short1',
        'STATALOG_API_KEY=abcd1234',
        'STATALOG_API_KEY=aaaa1111',
        'STATALOG_API_KEY=abcdef123456',
        'STATALOG_API_KEY=****1a2b',
        'STATALOG_API_KEY=st_a3f8********f6a8',
        'STATALOG_API_KEY=••••f6a8c0d2',
      ),
      [],
    ],
    ['the documentation example assigned', '.env', `STATALOG_API_KEY=${D}\nSTATALOG_API_KEY="${D}"`, []],
    ['a synthetic cloud key assigned', '.env', `STATALOG_API_KEY=st_${'0'.repeat(64)}`, []],
    [
      'cloud-key look-alikes assigned or in a URL (the cloud rule rejects them, so do the others)',
      '.env',
      lines(
        `STATALOG_API_KEY=st_${hex(63)}`,
        `STATALOG_API_KEY="st_${hex(65)}"`,
        `STATALOG_API_KEY=ST_${hex(64)}`,
        `STATALOG_API_KEY=st_${hex(64).toUpperCase().replace(/^./, 'A')}`,
        `STATALOG_URL=https://app.statalog.com/api/v1/stats?api_key=st_${hex(63)}`,
      ),
      [],
    ],
    [
      'Laravel config reads the environment',
      'config/statalog.php',
      "<?php\nreturn [\n    'api_key' => env('STATALOG_API_KEY', ''),\n    'url' => env('STATALOG_URL', 'https://app.statalog.com'),\n];",
      [],
    ],
    ['Laravel config without a default', 'config/statalog.php', "'api_key' => env('STATALOG_API_KEY'),", []],
    [
      'code references',
      'server.ts',
      lines(
        'const key = process.env.STATALOG_API_KEY;',
        'const statalogApiKey = process.env.STATALOG_API_KEY;',
        "const statalogApiKey = process.env.STATALOG_API_KEY || '';",
        'const statalogApiKey: string = getKey();',
        'const statalogApiKey = config.statalog.apiKey;',
        'statalogApiKey: options.key,',
        'interface O { statalogApiKey?: string; statalogKey: string }',
        'if (statalogApiKey === "abcdef1234567890abcd") {}',
        'const STATALOG_API_KEY_HEADER = "x-statalog-key";',
        'const statalog = new Statalog({ apiKey: process.env.STATALOG_API_KEY! });',
        "const label = { statalogApiKey: 'Enter the API key from your Statalog account settings' };",
      ),
      [],
    ],
    [
      'Python references',
      'settings.py',
      lines(
        'STATALOG_API_KEY = os.environ["STATALOG_API_KEY"]',
        'STATALOG_API_KEY = os.getenv("STATALOG_API_KEY")',
        'statalog_api_key: str = os.environ.get("STATALOG_API_KEY", "")',
        'STATALOG_API_KEY = get_secret("statalog")',
        'client = Statalog(api_key=os.environ["STATALOG_API_KEY"])',
      ),
      [],
    ],
    ['Go reference', 'main.go', 'var statalogAPIKey string = os.Getenv("STATALOG_API_KEY")', []],
    [
      'Ruby reference',
      'app.rb',
      'STATALOG_API_KEY = ENV["STATALOG_API_KEY"]\nStatalog.key = ENV.fetch("STATALOG_API_KEY")',
      [],
    ],
    [
      'Kubernetes secretKeyRef (and the next entry is not ours)',
      'deployment.yaml',
      lines(
        '        env:',
        '          - name: STATALOG_API_KEY',
        '            valueFrom:',
        '              secretKeyRef:',
        '                name: statalog',
        '                key: api-key',
        '          - name: APP_KEY',
        `            value: "base64:${B}"`,
      ),
      [],
    ],
    [
      'GitHub Actions secret',
      '.github/workflows/report.yml',
      '    env:\n      STATALOG_API_KEY: ${{ secrets.STATALOG_API_KEY }}',
      [],
    ],
    [
      'a statalog section whose key is a reference',
      'application.yml',
      'statalog:\n  api-key: ${STATALOG_API_KEY}\n  site-id: ST-A1B2C3',
      [],
    ],
    [
      'a key entry outside the statalog section',
      'application.yml',
      `statalog:\n  site-id: ST-A1B2C3\nother:\n  api-key: ${H}`,
      [],
    ],
    [
      'a key entry in a later INI section',
      'settings.ini',
      `[statalog]\nsite_id = ST-A1B2C3\n[mailer]\napi_key = ${H}`,
      [],
    ],
    ['a key deeper inside the statalog section', 'config.json', `{"statalog": {"sites": [{"key": "${H}"}]}}`, []],
    [
      'prose and tables',
      'README.md',
      lines(
        'Set STATALOG_API_KEY: your Statalog API key.',
        'STATALOG_API_KEY is required.',
        'ENV STATALOG_API_KEY in the Dockerfile',
        '| STATALOG_API_KEY | The API key | required |',
        'Run `export STATALOG_API_KEY=...` first.',
        'STATALOG_API_KEY: Your Statalog Community API key (find it in .env)',
        'Pass --statalog-api-key YOUR_KEY.',
      ),
      [],
    ],
    [
      'code in a Markdown code block (config syntax): calls and indexes are expressions',
      'README.md',
      lines(
        '```python',
        'statalog_api_key = get_secret("statalog")',
        'STATALOG_API_KEY = os.environ["STATALOG_API_KEY"]',
        'STATALOG_API_KEY = secrets[2]',
        'statalogApiKey = vault.read(path2)',
        '```',
      ),
      [],
    ],
    [
      'Terraform references',
      'main.tf',
      'statalog_api_key = var.statalog_api_key\nstatalog_api_key = data.vault_generic_secret.statalog.data["key"]',
      [],
    ],
    [
      'Jenkinsfile credentials',
      'Jenkinsfile',
      "environment {\n  STATALOG_API_KEY = credentials('statalog-api-key')\n}",
      [],
    ],
    [
      'a tracking call whose key names an event',
      'track.js',
      "statalog({ key: 'signup-button-2024' });\nStatalog.track('x', { key: 'hero-banner-v2' });",
      [],
    ],
    [
      'i18n labels',
      'en.json',
      '{"statalogApiKey": "Statalog API key", "statalogApiKeyHelp": "Paste the key from Account settings"}',
      [],
    ],
    [
      'other names',
      '.env',
      `STATALOG_SITE_ID=ST-A1B2C3\nSTATALOG_URL=https://stats.example.com\nSTATALOG_VISITOR_SALT=${H}\nAPP_KEY=base64:${B}\nSTATALOG_API_KEY_ID=${H}`,
      [],
    ],
  ]);
});

describe('statalog:allow', () => {
  it('silences the line it is on, in any comment syntax, and nothing else', () => {
    const marked = [
      `STATALOG_API_KEY=${H} # statalog:allow`,
      `const k = "${C}"; // statalog:allow (test fixture)`,
      `<!-- statalog:allow --> https://app.statalog.com/api/v1/live?api_key=${B}`,
      `«${C2}»`,
    ].join('\n');
    const { text, expected } = unmark(marked, cloud());
    expect(scan(text, 'mixed.txt')).toEqual(expected);
    expect(scan(text, 'mixed.txt', { honourAllowComments: false })).toHaveLength(4);
  });

  it('applies per line on a CRLF file with many keys on one line', () => {
    const text = `${C} ${C2} statalog:allow\r\n${C}\r\n`;
    expect(scan(text, 'a.txt')).toEqual([{ ruleId: 'cloud-key', line: 2, column: 1, endColumn: 68 }]);
  });
});
