/**
 * Encoded content through the CLI: a Kubernetes Secret whose `data:` holds a whole base64 `.env`, a base64
 * `.env` in a CI variables file (one line, and wrapped at 76 columns as `base64` writes it), a redirect URL
 * encoded twice, a Cloud key base64-encoded on its own. Each finding points at its encoded run, names the
 * encoding in every format, and carries the DECODED key (its mask and fingerprint are the plain key's) — also
 * in a file larger than the read buffer (streamed windows) and in history (`presentAtHead`). Decoys a code
 * base is full of stay silent. Keys are made at run time.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudKey, communityValue } from './helpers/keys.js';
import { scan, scanJson, textAt } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';
import { parseSarif } from './helpers/report.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const pct = (text: string): string => encodeURIComponent(text);
const dotenv = (line: string): string =>
  `APP_NAME=shop\nAPP_ENV=production\nAPP_KEY=base64:${randomBytes(32).toString('base64')}\n${line}\nDB_HOST=127.0.0.1\n`;
const wrap76 = (text: string, indent: string): string =>
  b64(text)
    .replace(/.{76}/g, '$&\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => indent + l)
    .join('\n');

let tree: TempTree;
beforeAll(() => {
  tree = new TempTree('statalog-encoded-');
});
afterAll(() => tree.cleanup());

describe('encoded keys in a tree scan', () => {
  const keys = {
    secret: communityValue(),
    ci: communityValue(),
    block: communityValue(),
    url: communityValue(),
    cloud: cloudKey(),
  };

  beforeAll(() => {
    tree.write(
      'enc/deploy/secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop\ndata:\n  .env: ${b64(dotenv(`STATALOG_API_KEY=${keys.secret}`))}\n  token: ${b64(keys.cloud)}\n`,
    );
    tree.write(
      'enc/.gitlab-ci.yml',
      `variables:\n  ENV_FILE_B64: "${b64(dotenv(`STATALOG_API_KEY=${keys.ci}`))}"\n  ENV_BLOCK: |\n${wrap76(dotenv(`STATALOG_API_KEY=${keys.block}`), '    ')}\n`,
    );
    tree.write(
      'enc/logs/access.log',
      `10.0.0.1 - - "GET /login?next=${pct(pct(`https://stats.example.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${keys.url}`))} HTTP/1.1" 302 0\n`,
    );
    // the same Community key written plainly elsewhere: one key, one hash
    tree.write('enc/plain.env', `STATALOG_API_KEY=${keys.secret}\n`);
  });

  it('each points at its run, names the encoding, and carries the decoded key', async () => {
    const { report, code } = await scanJson(['--no-ignore', 'enc'], { cwd: tree.dir });
    expect(code).toBe(1);
    const got = report.findings.map((f) => ({
      file: f.file,
      rule: f.ruleId,
      line: f.line,
      encoding: f.encoding,
      at: textAt(tree.path(f.file), f.line, f.column, f.endColumn),
      hash: f.fingerprint.split(':').at(-1),
      masked: f.masked,
    }));
    const hashOf = (file: string, line: number) => got.find((g) => g.file === file && g.line === line)!.hash;
    expect(got.map((g) => [g.file, g.rule, g.line, g.encoding])).toEqual([
      ['enc/.gitlab-ci.yml', 'community-key', 2, 'base64'],
      ['enc/.gitlab-ci.yml', 'community-key', 4, 'base64'],
      ['enc/deploy/secret.yaml', 'community-key', 6, 'base64'],
      ['enc/deploy/secret.yaml', 'cloud-key', 7, 'base64'],
      ['enc/logs/access.log', 'url-key', 1, 'percent'],
      ['enc/plain.env', 'community-key', 1, undefined],
    ]);
    // the position covers the encoded run on its (first) line, never the key itself
    expect(got[0]!.at).toBe(tree.read('enc/.gitlab-ci.yml').split('\n')[1]!.split('"')[1]);
    expect(got[1]!.at).toBe(tree.read('enc/.gitlab-ci.yml').split('\n')[3]!.trim());
    expect(got[2]!.at).toBe(tree.read('enc/deploy/secret.yaml').split('\n')[5]!.replace('  .env: ', ''));
    expect(got[3]!.at).toBe(b64(keys.cloud));
    // the decoded key: the same hash as the plain one, masks of the decoded keys
    expect(hashOf('enc/deploy/secret.yaml', 6)).toBe(hashOf('enc/plain.env', 1));
    expect(got[3]!.masked).toBe(`st_${keys.cloud.slice(3, 7)}…${keys.cloud.slice(-4)}`);
    expect(got[4]!.at.startsWith('/login?next=https%253A%252F%252F')).toBe(true);
  });

  it('text, SARIF and GitHub output name the encoding', async () => {
    const text = await scan(['--no-ignore', 'enc/deploy'], { cwd: tree.dir, env: { NO_COLOR: '1' } });
    expect(text.stdout).toContain('Statalog Community API key (base64)');
    expect(text.stdout).toContain('Statalog Cloud API key (base64)');
    const sarif = parseSarif((await scan(['--no-ignore', '--format', 'sarif', 'enc/logs'], { cwd: tree.dir })).stdout);
    expect(sarif.runs[0]!.results.map((r) => (r.properties as { encoding?: string } | undefined)?.encoding)).toEqual([
      'percent',
    ]);
    const github = await scan(['--no-ignore', '--format', 'github', 'enc/logs'], { cwd: tree.dir });
    expect(github.stdout).toContain('title=Statalog API key in a URL (percent)');
  });

  it('a file larger than the read buffer (streamed in windows) gives the same findings', async () => {
    const small = tree.read('enc/.gitlab-ci.yml');
    const filler = '# generated\n'.repeat(450_000); // 5.4 MB: past the 4 MiB buffer
    tree.write('big/.gitlab-ci.yml', filler + small);
    const lines = filler.split('\n').length - 1;
    const [bigScan, smallScan] = await Promise.all([
      scanJson(['--no-ignore', 'big'], { cwd: tree.dir }),
      scanJson(['--no-ignore', 'enc/.gitlab-ci.yml'], { cwd: tree.dir }),
    ]);
    const strip = (
      f: { line: number; column: number; endColumn: number; encoding?: string; masked: string; fingerprint: string },
      shift: number,
    ) => [f.line - shift, f.column, f.endColumn, f.encoding, f.masked, f.fingerprint.split(':').at(-1)];
    expect(bigScan.report.findings.map((f) => strip(f, lines))).toEqual(
      smallScan.report.findings.map((f) => strip(f, 0)),
    );
    expect(bigScan.report.findings).toHaveLength(2);
  });
});

describe('encoded keys in history', () => {
  it('presentAtHead: true while the encoded key is there, false once it is gone', async () => {
    const repo = new TempTree('statalog-encoded-git-');
    try {
      const keep = communityValue();
      const gone = communityValue();
      repo.git('init', '-q', '-b', 'main');
      repo.write('k8s/keep.yaml', `kind: Secret\ndata:\n  .env: ${b64(dotenv(`STATALOG_API_KEY=${keep}`))}\n`);
      repo.write('ci/gone.yml', `ENV_BLOCK: |\n${wrap76(dotenv(`STATALOG_API_KEY=${gone}`), '  ')}\n`);
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'secrets');
      repo.write('ci/gone.yml', 'ENV_BLOCK: ""\n');
      repo.git('commit', '-q', '-am', 'remove the block');
      const { report } = await scanJson(['--history'], { cwd: repo.dir });
      expect(report.findings.map((f) => [f.file, f.encoding, f.presentAtHead])).toEqual([
        ['ci/gone.yml', 'base64', false],
        ['k8s/keep.yaml', 'base64', true],
      ]);
    } finally {
      repo.cleanup();
    }
  });
});

describe('the sibling value before the name, CSV rows', () => {
  it('a Postman export with the value first and a secrets CSV: exactly the keys', async () => {
    const [a, b] = [communityValue(), communityValue()];
    tree.write(
      'forms/prod.postman_environment.json',
      JSON.stringify(
        { name: 'prod', values: [{ value: a, key: 'STATALOG_API_KEY', type: 'secret', enabled: true }] },
        null,
        2,
      ),
    );
    tree.write('forms/secrets.csv', `name,value\nAPP_ENV,production\nSTATALOG_API_KEY,${b}\n`);
    const { report } = await scanJson(['--no-ignore', 'forms'], { cwd: tree.dir });
    expect(report.findings.map((f) => [f.file, textAt(tree.path(f.file), f.line, f.column, f.endColumn)])).toEqual([
      ['forms/prod.postman_environment.json', a],
      ['forms/secrets.csv', b],
    ]);
  });
});

describe('decoys stay silent', () => {
  it('lockfile integrity hashes, an image, a certificate, JWTs, a source map', async () => {
    const jwt = (payload: object) =>
      [
        b64('{"alg":"HS256","typ":"JWT"}'),
        Buffer.from(JSON.stringify(payload)).toString('base64url'),
        randomBytes(32).toString('base64url'),
      ].join('.');
    tree.write(
      'decoys/package-lock.json',
      JSON.stringify(
        {
          packages: Object.fromEntries(
            Array.from({ length: 200 }, (_, i) => [
              `node_modules/pkg-${i}`,
              { version: '1.0.0', integrity: `sha512-${randomBytes(64).toString('base64')}` },
            ]),
          ),
        },
        null,
        2,
      ),
    );
    tree.write('decoys/index.html', `<img src="data:image/png;base64,${randomBytes(30_000).toString('base64')}">\n`);
    tree.write(
      'decoys/tls.yaml',
      `kind: Secret\ndata:\n  tls.crt: ${b64(`-----BEGIN CERTIFICATE-----\n${randomBytes(600).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`)}\n`,
    );
    tree.write('decoys/auth.log', `${jwt({ sub: 'u1', iss: 'https://app.statalog.com', scope: 'stats:read' })}\n`);
    tree.write(
      'decoys/app.js.map',
      JSON.stringify({
        version: 3,
        sources: ['statalog.ts'],
        mappings: 'AAAA,SAASA,EAAE;AACZ'.repeat(500),
        sourcesContent: ['export const key = process.env.STATALOG_API_KEY;'],
      }),
    );
    const { report, code } = await scanJson(['--no-ignore', 'decoys'], { cwd: tree.dir });
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });
});
