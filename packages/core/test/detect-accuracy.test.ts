/**
 * Detection accuracy: the value is exactly the key; config shapes teams really commit;
 * no noise. « and » mark where each secret must be found (rule, line, column, end column); every case of a
 * form has a silent counterpart. Keys are made at run time.
 */
import { describe, expect, it } from 'vitest';
import { detect, type RuleId } from '../src/index.js';
import { base64Key, cloudKey, hexKey, scan, unmark } from './support.js';

const H = hexKey();
const B = base64Key();
const C = cloudKey();
const lines = (...l: string[]) => l.join('\n');

type Case = [title: string, file: string, marked: string, rule?: RuleId];

/** Every « » span is a community-key (a cloud key: cloud-key; or the rule given) finding, nothing else is. */
function expectCases(cases: readonly Case[]) {
  it.each(cases)('%s (%s)', (_title, file, marked, rule) => {
    const spans = marked
      .split('«')
      .slice(1)
      .map((part) => part.slice(0, part.indexOf('»')));
    const rules: RuleId[] = spans.map((s) => rule ?? (s === C ? 'cloud-key' : 'community-key'));
    const { text, expected } = unmark(marked, rules);
    expect(scan(text, file)).toEqual(expected);
  });
}

describe('the value is exactly the key', () => {
  describe('shell and Compose defaults give their word', () => {
    expectCases([
      [
        'Compose :- default',
        'docker-compose.yml',
        `services:\n  web:\n    environment:\n      STATALOG_API_KEY: \${STATALOG_API_KEY:-«${H}»}`,
      ],
      ['- default', '.env', `STATALOG_API_KEY=\${STATALOG_API_KEY-«${H}»}`],
      [':? word', 'run.sh', `export STATALOG_API_KEY=\${STATALOG_API_KEY:?«${B}»}`],
      [':= default inside a quoted no-op', 'run.sh', `: "\${STATALOG_API_KEY:=«${H}»}"`],
      ['= default', 'run.sh', `echo \${STATALOG_API_KEY=«${H}»}`],
      [
        'quoted expansion',
        'docker-compose.yml',
        `    environment:\n      STATALOG_API_KEY: "\${STATALOG_API_KEY:-«${H}»}"`,
      ],
      ['another variable with a literal default', '.env', `STATALOG_API_KEY=\${STATALOG_KEY_FROM_VAULT:-«${H}»}`],
      [
        'Compose list entry',
        'compose.yaml',
        `    environment:\n      - "STATALOG_API_KEY=\${STATALOG_API_KEY:-«${H}»}"`,
      ],
      ['a quoted word inside the expansion', 'run.sh', `STATALOG_API_KEY="\${STATALOG_API_KEY:-'«${H}»'}"`],
      ['a cloud key as the default', 'docker-compose.yml', `      STATALOG_API_KEY: \${STATALOG_API_KEY:-«${C}»}`],
    ]);
  });

  describe('typographic quotes wrap the value', () => {
    expectCases([
      ['“…”', 'README.md', `Set STATALOG_API_KEY=“«${H}»” in .env.`],
      ['‘…’', 'notes.txt', `STATALOG_API_KEY=‘«${H}»’`],
      ['„…“', 'notes.md', `STATALOG_API_KEY: „«${B}»“`],
      ['unquoted, then a closing typographic quote', 'chat.txt', `“STATALOG_API_KEY=«${H}»”`],
      ['in a YAML value', 'config.yml', `statalog:\n  api_key: “«${H}»”`],
    ]);
  });

  describe('sentence punctuation and shell operators end an unquoted value', () => {
    expectCases([
      ['a period ends the sentence', 'README.md', `Then set STATALOG_API_KEY=«${H}». Restart the workers.`],
      ['an exclamation mark', 'notes.md', `Use STATALOG_API_KEY=«${B}»!`],
      ['a question mark', 'notes.md', `Was it STATALOG_API_KEY=«${H}»?`],
      ['&& (Windows cmd)', 'start.bat', `set STATALOG_API_KEY=«${H}»&& php artisan serve`],
      ['&& with blanks', 'run.sh', `STATALOG_API_KEY=«${H}» && php artisan queue:work`],
      ['; then a command', 'run.sh', `STATALOG_API_KEY=«${H}»; php artisan serve`],
      ['a pipe', 'run.sh', `echo STATALOG_API_KEY=«${H}»|tee -a .env`],
      ['||', 'run.sh', `STATALOG_API_KEY=«${H}»||true`],
      ['a redirect', 'setup.sh', `echo STATALOG_API_KEY=«${H}»>>.env`],
      ['a background &', 'run.sh', `STATALOG_API_KEY=«${H}»& wait`],
    ]);
  });

  it('the extracted secret is the key itself, character for character', () => {
    const text = `set STATALOG_API_KEY=${H}&& php artisan serve\nSTATALOG_API_KEY: \${STATALOG_API_KEY:-${B}}\nSTATALOG_API_KEY=“${H}”.`;
    expect(detect(text).map((m) => m.secret)).toEqual([H, B, H]);
  });

  describe('silent: references, empty defaults, messages, truncations', () => {
    expectCases([
      ['no default', '.env', 'STATALOG_API_KEY=${STATALOG_API_KEY}'],
      ['an empty default', 'docker-compose.yml', '      STATALOG_API_KEY: ${STATALOG_API_KEY:-}'],
      ['an error message', 'run.sh', 'STATALOG_API_KEY=${STATALOG_API_KEY:?STATALOG_API_KEY is required}'],
      [
        'a default that is another reference',
        '.env',
        'STATALOG_API_KEY=${STATALOG_API_KEY:-$FALLBACK_KEY}\nSTATALOG_API_KEY=${STATALOG_API_KEY:-${OTHER}}',
      ],
      ['a placeholder default', '.env.example', 'STATALOG_API_KEY=${STATALOG_API_KEY:-your-statalog-api-key}'],
      ['a sentence in typographic quotes', 'README.md', 'Set STATALOG_API_KEY to “your key from the Statalog .env”.'],
      ['a truncation keeps its dots', 'README.md', 'Set STATALOG_API_KEY=4f1c9a2b... and restart.'],
    ]);
  });
});

describe('no noise', () => {
  expectCases([
    [
      'Laravel validation rules',
      'app/Http/Requests/SettingsRequest.php',
      lines(
        "'statalog_api_key' => 'nullable|string|size:64',",
        "'statalog_api_key' => 'required|regex:/^[a-f0-9]{64}$/',",
        "'statalog_api_key' => ['nullable', 'string', 'size:64'],",
        "'statalogApiKey' => 'sometimes|required_with:statalog_site_id|alpha_num|min:32|max:128',",
      ),
    ],
    [
      'translations with non-ASCII labels',
      'lang/de.json',
      lines(
        '{"statalog_api_key": "Statalog-API-Schlüssel",',
        '"statalogApiKey": "Ключ-API-Statalog",',
        '"STATALOG_API_KEY": "StatalogのAPIキー"}',
      ),
    ],
    [
      'property paths with digits',
      'main.tf',
      lines(
        'statalog_api_key = module.app_secrets_v2.statalog_api_key',
        'statalog_api_key = data.vault2.secrets.statalogApiKey',
      ),
    ],
    ['property path in YAML', 'values.yaml', 'statalog_api_key: config2.secrets.statalog_key'],
    [
      'secret-manager references',
      'deploy.sh',
      lines(
        'gcloud run deploy web --set-secrets=STATALOG_API_KEY=statalog_api_key:latest',
        'gcloud run deploy web --update-secrets=STATALOG_API_KEY=statalog-api-key-2:3',
        'STATALOG_API_KEY=projects/my-project-123/secrets/statalog/versions/2',
      ),
    ],
    [
      'a regular expression describing the key in YAML',
      '.secret-rules.yml',
      lines(
        'rules:',
        '  - id: statalog-community-key',
        `    regex: 'STATALOG_API_KEY\\s*[:=]\\s*([0-9a-f]{64})'`,
        '  - id: statalog-env',
        '    pattern: "STATALOG_API_KEY=[0-9a-f]{64}"',
        'statalog_api_key: "^[a-f0-9]{64}$"',
        'statalog_api_key: (?i)[a-z0-9]{32,}',
      ),
    ],
    [
      'a sha256 fingerprint in a log',
      'deploy.log',
      lines(
        `2025-05-01T10:00:00Z rotated STATALOG_API_KEY=sha256:${H}`,
        `2025-05-01T10:00:01Z STATALOG_API_KEY: sha256:${hexKey()}`,
        `2025-05-01T10:00:02Z loaded statalog_api_key (sha256:${hexKey()})`,
      ),
    ],
  ]);

  it('a value with the same shape but no noise marker is still a key', () => {
    const text = `'statalog_api_key' => '${H}',\n"statalog_api_key": "${B}"`;
    expect(detect(text, { syntax: 'code' }).map((m) => m.secret)).toEqual([H, B]);
  });
});

describe('forms: compound assignments', () => {
  expectCases([
    ['PHP ??=', 'config.php', `$statalogApiKey ??= '«${H}»';`],
    ['JS ??=', 'setup.js', `config.statalogApiKey ??= "«${H}»";`],
    ['Ruby ||=', 'statalog.rb', `STATALOG_API_KEY ||= '«${H}»'`],
    ['JS ||=', 'setup.ts', `options.statalogApiKey ||= \`«${B}»\`;`],
    [
      'silent: a reference',
      'setup.js',
      'config.statalogApiKey ??= process.env.STATALOG_API_KEY;\nconfig.statalogApiKey ||= loadKey();',
    ],
  ]);
});

describe('forms: YAML block scalars, anchors and tags', () => {
  expectCases([
    ['folded >-', 'values.yaml', `env:\n  STATALOG_API_KEY: >-\n    «${H}»\n  APP_ENV: production`],
    ['literal |', 'values.yaml', `STATALOG_API_KEY: |\n  «${H}»\n`],
    ['literal |- at the end of the file', 'secret.yaml', `stringData:\n  STATALOG_API_KEY: |-\n    «${B}»`],
    ['with a comment and a blank line', 'values.yml', `STATALOG_API_KEY: > # the key\n\n   «${H}»\nnext: 1`],
    ['CRLF line ends', 'values.yaml', `STATALOG_API_KEY: |\r\n  «${H}»\r\nnext: 1\r\n`],
    ['in a statalog section', 'application.yml', `statalog:\n  api-key: >-\n    «${H}»\n  site-id: ST-A1B2C3`],
    ['an anchor', 'values.yaml', `STATALOG_API_KEY: &statalog «${H}»\nSTATALOG_API_KEY_COPY: *statalog`],
    ['the string tag', 'values.yaml', `STATALOG_API_KEY: !!str «${H}»`],
    ['an anchor and a quoted value', 'values.yaml', `STATALOG_API_KEY: &k "«${H}»"`],
    ['silent: a block of several lines', 'values.yaml', `STATALOG_API_KEY: |\n  ${H}\n  ${B}\n`],
    ['silent: an empty block', 'values.yaml', 'STATALOG_API_KEY: |\nnext: value-1234567890'],
    ['silent: a folded sentence', 'values.yaml', 'STATALOG_API_KEY: >-\n  Ask the platform team\n  for the key'],
    [
      'silent: aliases and other tags',
      'values.yaml',
      'STATALOG_API_KEY: *statalog\nSTATALOG_API_KEY: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162636465',
    ],
    ['silent: a reference in a block', 'values.yaml', 'STATALOG_API_KEY: >-\n  ${STATALOG_API_KEY}'],
  ]);
});

describe('forms: name and value in sibling fields', () => {
  expectCases([
    [
      'Postman environment',
      'prod.postman_environment.json',
      `{\n  "name": "prod",\n  "values": [\n    {\n      "key": "STATALOG_API_KEY",\n      "value": "«${H}»",\n      "type": "secret",\n      "enabled": true\n    }\n  ]\n}`,
    ],
    [
      'Postman collection variable',
      'api.postman_collection.json',
      `"variable": [{"key": "statalogApiKey", "value": "«${H}»", "type": "string"}]`,
    ],
    ['Insomnia environment', 'insomnia.json', `{"_type": "environment", "data": {"STATALOG_API_KEY": "«${H}»"}}`],
    [
      'Render and Vercel key/value lists',
      'render.yaml',
      `envVars:\n  - key: STATALOG_API_KEY\n    value: «${H}»\n  - key: APP_ENV\n    value: production`,
    ],
    [
      'Azure app settings',
      'appsettings.azure.json',
      `[{"name": "STATALOG_API_KEY", "value": "«${H}»", "slotSetting": false}]`,
    ],
    [
      'Elastic Beanstalk option_settings',
      '.ebextensions/env.config',
      `option_settings:\n  - namespace: aws:elasticbeanstalk:application:environment\n    option_name: STATALOG_API_KEY\n    value: «${H}»`,
    ],
    [
      'Heroku app.json',
      'app.json',
      `{"env": {"STATALOG_API_KEY": {"description": "Statalog key", "value": "«${H}»"}}}`,
    ],
    ['Terraform setting block', 'app.tf', `app_setting {\n  name  = "STATALOG_API_KEY"\n  value = "«${H}»"\n}`],
    [
      'silent: a template variable',
      'prod.postman_environment.json',
      '{"key": "STATALOG_API_KEY", "value": "{{statalog_key}}", "enabled": true}',
    ],
    [
      'silent: an empty value',
      'prod.postman_environment.json',
      '{"key": "STATALOG_API_KEY", "value": "", "type": "secret"}',
    ],
    [
      'silent: the value belongs to the next entry',
      'render.yaml',
      `envVars:\n  - key: STATALOG_API_KEY\n    fromGroup: statalog\n  - key: OTHER_TOKEN\n    value: ${H}`,
    ],
    [
      'silent: no value field',
      'app.json',
      '{"env": {"STATALOG_API_KEY": {"description": "Your Statalog key", "required": true}}}',
    ],
  ]);
});

describe('forms: the sibling value written before the name', () => {
  expectCases([
    [
      'Postman, value first',
      'prod.postman_environment.json',
      `{"values": [{"value": "«${H}»", "key": "STATALOG_API_KEY", "enabled": true}]}`,
    ],
    [
      'Postman, value first, one field a line',
      'prod.postman_environment.json',
      `[\n  {\n    "value": "«${H}»",\n    "key": "STATALOG_API_KEY",\n    "type": "secret"\n  }\n]`,
    ],
    [
      'Insomnia-style pair, value first',
      'insomnia.json',
      `{"data": {"x": 1}, "value": "«${B}»", "name": "STATALOG_API_KEY"}`,
    ],
    ['Kubernetes env, value first', 'deploy.yaml', `env:\n  - value: «${H}»\n    name: STATALOG_API_KEY`],
    ['XML attributes, value first', 'web.config', `<add value="«${H}»" key="Statalog:ApiKey" />`],
    [
      'silent: the value belongs to the previous entry',
      'deploy.yaml',
      `env:\n  - name: OTHER_TOKEN\n    value: ${H}\n  - name: STATALOG_API_KEY\n    valueFrom:\n      secretKeyRef: {name: statalog, key: api-key}`,
    ],
    [
      'silent: another entry between',
      'vars.json',
      `[{"value": "${H}", "key": "OTHER_TOKEN"}, {"key": "STATALOG_API_KEY", "value": "{{statalog}}"}]`,
    ],
    ['silent: the value is another object’s', 'vars.json', `[{"value": "${H}"}, {"key": "STATALOG_API_KEY"}]`],
  ]);
});

describe('forms: CSV rows', () => {
  expectCases([
    [
      'a secrets export, name,value',
      'secrets.csv',
      `name,value\nAPP_ENV,production\nSTATALOG_API_KEY,«${H}»\nSTATALOG_URL,https://stats.example.com\n`,
    ],
    ['quoted fields', 'export.csv', `"name","value"\n"STATALOG_API_KEY","«${B}»"\n`],
    [
      'more columns after the value',
      'secrets.csv',
      `name,value,environment\nSTATALOG_API_KEY_PROD,«${H}»,production\n`,
    ],
    ['silent: a list of names', 'vars.csv', 'STATALOG_API_KEY,STATALOG_SITE_ID,STATALOG_URL\n'],
    [
      'silent: an empty value and a reference',
      'secrets.csv',
      `STATALOG_API_KEY,\nSTATALOG_API_KEY,\${STATALOG_API_KEY}\n`,
    ],
    ['silent: not the first field', 'audit.csv', `2024-05-01,rotated,STATALOG_API_KEY,${H}\n`],
    ['silent: in code, a comma is an argument list', 'keys.ts', `const names = [STATALOG_API_KEY, '${H}'];`],
  ]);
});

describe('forms: .NET configuration spellings', () => {
  expectCases([
    ['environment, double underscore', '.env', `Statalog__ApiKey=«${H}»`],
    ['Compose environment', 'docker-compose.override.yml', `    environment:\n      Statalog__ApiKey: «${H}»`],
    ['user secrets JSON', 'secrets.json', `{\n  "Statalog:ApiKey": "«${H}»"\n}`],
    [
      'appSettings add key',
      'Web.config',
      `<appSettings>\n  <add key="Statalog:ApiKey" value="«${H}»" />\n</appSettings>`,
    ],
    ['dotnet user-secrets set', 'setup.sh', `dotnet user-secrets set "Statalog:ApiKey" "«${H}»"`],
    ['upper-case with a colon', 'launchSettings.ini', `STATALOG:APIKEY=«${H}»`],
    [
      'silent: reading the configuration',
      'Program.cs',
      'var key = builder.Configuration["Statalog:ApiKey"];\nvar k2 = config.GetValue<string>("Statalog:ApiKey");\nvar k3 = Environment.GetEnvironmentVariable("Statalog__ApiKey");',
    ],
    ['silent: a YAML statalog section with another key', 'config.yml', 'statalog: key-handling-is-documented'],
    [
      'silent: lower-case colon spellings are cache keys, not configuration',
      'redis.log',
      `GET statalog:api_key:${H}\nDEL statalog:key:${B}`,
    ],
  ]);
});

describe('forms: build-time defines', () => {
  expectCases([
    [
      'webpack DefinePlugin',
      'webpack.config.js',
      `new webpack.DefinePlugin({\n  'process.env.STATALOG_API_KEY': JSON.stringify('«${H}»'),\n});`,
    ],
    [
      'Vite define',
      'vite.config.ts',
      `export default defineConfig({ define: { __STATALOG_API_KEY__: JSON.stringify("«${H}»") } });`,
    ],
    [
      'a JSON string literal in a string',
      'vite.config.js',
      `define: { 'import.meta.env.VITE_STATALOG_API_KEY': '"«${H}»"' }`,
    ],
    [
      'silent: the environment stringified',
      'webpack.config.js',
      "'process.env.STATALOG_API_KEY': JSON.stringify(process.env.STATALOG_API_KEY),\n__STATALOG_API_KEY__: JSON.stringify(env.STATALOG_API_KEY)",
    ],
  ]);
});

describe('forms: keyword defaults and CLI setters', () => {
  expectCases([
    ['django-environ default', 'settings.py', `STATALOG_API_KEY = env("STATALOG_API_KEY", default="«${H}»")`],
    [
      'python-decouple default after a cast',
      'settings.py',
      `STATALOG_API_KEY = config("STATALOG_API_KEY", cast=str, default="«${H}»")`,
    ],
    [
      'argparse default',
      'cli.py',
      `parser.add_argument("--statalog-api-key", type=str, default="«${H}»", help="API key")`,
    ],
    [
      'argparse default, one argument a line',
      'cli.py',
      `parser.add_argument(\n    "--statalog-api-key",\n    default="«${H}»",\n)`,
    ],
    ['click option', 'cli.py', `@click.option("--statalog-api-key", envvar="STATALOG_API_KEY", default="«${H}»")`],
    ['Ruby keyword default', 'config.rb', `key = fetch_setting("STATALOG_API_KEY", default: "«${H}»")`],
    ['gh secret set --body', 'setup.sh', `gh secret set STATALOG_API_KEY --body "«${H}»"`],
    [
      'gh secret set -b',
      '.github/workflows/setup.yml',
      `      - run: gh secret set STATALOG_API_KEY -b «${H}» --repo acme/web`,
    ],
    ['gh variable set --body=', 'setup.sh', `gh variable set STATALOG_API_KEY --body=«${H}»`],
    [
      'aws ssm put-parameter',
      'setup.sh',
      `aws ssm put-parameter --name STATALOG_API_KEY --value «${H}» --type SecureString`,
    ],
    [
      'silent: defaults that are not literals',
      'settings.py',
      lines(
        'STATALOG_API_KEY = env("STATALOG_API_KEY", default=None)',
        'STATALOG_API_KEY = env("STATALOG_API_KEY", default="")',
        'parser.add_argument("--statalog-api-key", default=os.environ.get("STATALOG_API_KEY"))',
        'STATALOG_API_KEY = env("STATALOG_API_KEY"); other(default="abcdef0123456789abcdef")',
      ),
    ],
    [
      'silent: a default outside the call',
      'settings.py',
      'key = env("STATALOG_API_KEY", cast=str)\nmode = choice(default="abcdef0123456789abcdef")',
    ],
    [
      'silent: setters reading the environment or a file',
      'setup.sh',
      'gh secret set STATALOG_API_KEY --body "$STATALOG_API_KEY"\ngh secret set STATALOG_API_KEY < statalog.key',
    ],
  ]);
});

describe('forms: settings rows in SQL dumps', () => {
  expectCases([
    [
      'mysqldump row',
      'dump.sql',
      `INSERT INTO \`settings\` VALUES (1,'statalog_api_key','«${H}»','2025-01-01 00:00:00');`,
    ],
    [
      'seed with NULL id',
      'seed.sql',
      `INSERT INTO settings (id, name, value) VALUES (NULL, 'STATALOG_API_KEY', '«${H}»');`,
    ],
    ['name first', 'seed.sql', `INSERT INTO settings (name, value) VALUES ('statalog_api_key', '«${H}»');`],
    [
      'silent: an empty value and a label',
      'seed.sql',
      "INSERT INTO settings VALUES (2,'statalog_api_key','',NULL);\nINSERT INTO labels VALUES (3,'statalog_api_key','Statalog API key');",
    ],
  ]);
});

describe('forms: environment-suffixed names', () => {
  expectCases([
    ['_PROD', '.env', `STATALOG_API_KEY_PROD=«${H}»`],
    ['_STAGING in YAML', 'ci.yml', `STATALOG_API_KEY_STAGING: «${H}»`],
    ['_DEV quoted', '.env', `STATALOG_API_KEY_DEV="«${B}»"`],
    ['camelCase Production', 'config.js', `const statalogApiKeyProduction = '«${H}»';`],
    ['kebab-case', 'application.properties', `statalog-api-key-test=«${H}»`],
    [
      'silent: pointers to a key',
      '.env',
      lines(
        `STATALOG_API_KEY_FILE=statalog-${H.slice(0, 12)}.key`,
        `STATALOG_API_KEY_PATH=keys/${H.slice(0, 20)}`,
        'STATALOG_API_KEY_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:statalog-AbCdEf',
        `STATALOG_API_KEY_SECRET_ID=statalog/prod/${B}`,
        `STATALOG_API_KEY_ID=${H}`,
        `STATALOG_API_KEY_PRODUCER=${H}`,
      ),
    ],
  ]);
});

describe('keeps what works', () => {
  expectCases([
    ['NEXT_PUBLIC_', '.env.local', `NEXT_PUBLIC_STATALOG_API_KEY=«${H}»`],
    ['VITE_', '.env', `VITE_STATALOG_API_KEY="«${H}»"`],
    ['EXPO_PUBLIC_', '.env', `EXPO_PUBLIC_STATALOG_API_KEY=«${B}»`],
    ['STORYBOOK_', '.env', `STORYBOOK_STATALOG_API_KEY=«${H}»`],
    ['a browser-exposed name in code', 'app.ts', `const key = import.meta.env.VITE_STATALOG_API_KEY ?? '«${H}»';`],
    [
      'a URL-encoded key in a Statalog URL',
      'access.log',
      `GET /api/v1/stats?site_id=1&api_key=«${B}%2B${B}%3D» 200`,
      'url-key',
    ],
    ['a URL-encoded key assigned', '.env', `STATALOG_API_KEY=«${B}%2F${B}%3D»`],
    [
      'base64 under a Kubernetes Secret data:',
      'secret.yaml',
      `apiVersion: v1\nkind: Secret\ndata:\n  STATALOG_API_KEY: «${Buffer.from(H).toString('base64')}»`,
    ],
  ]);
});
