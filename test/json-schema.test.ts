/**
 * docs/schema/report.schema.json against what `statalog-scan --format json` really writes: a files scan of the
 * sample, a files scan with a skipped entry, a baseline (accepted and stale entries) and --verify (live, revoked
 * and unknown keys), and the git modes (--history, --range, --staged, --allow-partial). The schema is closed, so
 * a field the CLI writes but the schema does not document fails here — and so do a missing field or a full key
 * where only a masked one belongs (checked on mutated copies of a real report, so the schema cannot be vacuous).
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { cloudKey, communityValue } from './helpers/keys.js';
import { REPO_ROOT, SAMPLE_APP } from './helpers/paths.js';
import { scanJson } from './helpers/scan.js';
import { startStatalogApi, type StatalogApi } from './helpers/statalog-api.js';
import { TempTree } from './helpers/tmp.js';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/schema/report.schema.json'), 'utf8')) as object;
// formats (date-time) are annotations here: ajv-formats is not a dependency; the date is checked by hand below
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);

function expectValid(report: unknown): void {
  const ok = validate(report);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
}

type Report = Record<string, unknown> & {
  findings: Array<Record<string, unknown>>;
  stats: Record<string, unknown>;
  baseline?: { baselined: number; stale: unknown[] };
};

describe('files mode', () => {
  it('the sample app: findings of every rule, a binary file', async () => {
    const { code, report } = await scanJson([SAMPLE_APP]);
    expect(code).toBe(1);
    expectValid(report);
    expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(new Set(['cloud-key', 'community-key', 'url-key']));
    expect(report.stats.binary).toBeGreaterThan(0);
  });

  it('a clean tree with a skipped symlink', async () => {
    const tree = new TempTree();
    try {
      tree.write('src/app.ts', 'export const x = 1;\n');
      symlinkSync('app.ts', tree.path('src/link.ts'));
      const { code, report } = await scanJson(['.'], { cwd: tree.dir });
      expect(code).toBe(0);
      expectValid(report);
      expect(report.findings).toEqual([]);
      expect(report.stats.skippedFiles).toEqual([expect.objectContaining({ file: 'src/link.ts', error: false })]);
    } finally {
      tree.cleanup();
    }
  });

  describe('with --baseline and --verify', () => {
    let api: StatalogApi;
    const tree = new TempTree();
    const live = cloudKey();
    const revoked = cloudKey();
    beforeAll(async () => {
      api = await startStatalogApi();
      api.behave(live, 'live');
      api.behave(revoked, 'revoked');
    });
    afterAll(async () => {
      await api.close();
      tree.cleanup();
    });

    it('reports baselined counts, stale entries and every verification status', async () => {
      tree.write('kept.ts', `export const k = '${cloudKey()}';\n`);
      tree.write('gone.ts', `export const g = '${cloudKey()}';\n`);
      const written = await scanJson(['--write-baseline', 'baseline.json', '.'], { cwd: tree.dir });
      expect(written.code).toBe(0);
      expectValid(written.report);

      tree.write('gone.ts', 'export const g = process.env.STATALOG_API_KEY;\n');
      tree.write('live.ts', `export const l = '${live}';\n`);
      tree.write('revoked.ts', `export const r = '${revoked}';\n`);
      tree.write('.env', `STATALOG_API_KEY=${communityValue()}\n`);
      const { code, report } = await scanJson(['--baseline', 'baseline.json', '--verify', '.'], {
        cwd: tree.dir,
        env: { STATALOG_CLOUD_API_URL: api.url },
      });
      expect(code).toBe(1);
      expectValid(report);
      const r = report as unknown as Report;
      expect(r.baseline).toEqual({
        baselined: 1,
        stale: [expect.objectContaining({ file: 'gone.ts', ruleId: 'cloud-key' })],
      });
      const statuses = r.findings.map((f) => (f.verification as { status: string }).status).sort();
      expect(statuses).toEqual(['live', 'revoked', 'unknown']);
    });
  });
});

describe('git modes', () => {
  let repo: TempRepo;
  let first: string;
  beforeAll(() => {
    repo = TempRepo.create();
    repo.write('README.md', '# app\n');
    first = repo.commit('initial');
    repo.write('config/app.env', `STATALOG_API_KEY=${communityValue()}\n`);
    repo.commit('add a key');
    repo.write('config/app.env', 'STATALOG_API_KEY=\n');
    repo.write('src/client.ts', `export const key = '${cloudKey()}';\n`);
    repo.commit('remove it, add another');
  });
  afterAll(() => repo.cleanup());

  const json = async (args: string[]): Promise<{ code: number; report: Report }> => {
    const result = await repo.scan(['--format', 'json', ...args]);
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  };

  it('--history: origin fields, presentAtHead both ways', async () => {
    const { code, report } = await json(['--history']);
    expect(code).toBe(1);
    expectValid(report);
    expect(report.stats.gitMode).toBe('history');
    expect(report.findings.map((f) => f.presentAtHead).sort()).toEqual([false, true]);
    for (const f of report.findings) expect(Number.isNaN(Date.parse(f.date as string))).toBe(false);
  });

  it('--range', async () => {
    const { code, report } = await json(['--range', `${first}..HEAD`]);
    expect(code).toBe(1);
    expectValid(report);
    expect(report.stats.gitMode).toBe('range');
  });

  it('--range with an unknown base and --allow-partial: stats.partial', async () => {
    const { report } = await json(['--range', `${'0123456789abcdef'.repeat(2)}01234567..HEAD`, '--allow-partial']);
    expectValid(report);
    expect((report.stats.partial as string[]).length).toBeGreaterThan(0);
  });

  it('--staged', async () => {
    repo.write('src/staged.ts', `export const s = '${cloudKey()}';\n`);
    repo.git('add', 'src/staged.ts');
    try {
      const { code, report } = await json(['--staged']);
      expect(code).toBe(1);
      expectValid(report);
      expect(report.stats.gitMode).toBe('staged');
      expect(report.findings).toHaveLength(1);
    } finally {
      repo.git('reset', '-q', '--', 'src/staged.ts');
    }
  });
});

describe('the schema rejects what the report must never hold', () => {
  let real: Report;
  beforeAll(async () => {
    real = (await scanJson([SAMPLE_APP])).report as unknown as Report;
  });
  const copy = (): Report => structuredClone(real);

  it.each([
    ['an undocumented field on a finding', (r: Report) => void (r.findings[0]!.secret = 'x')],
    ['a full key as the masked form', (r: Report) => void (r.findings[0]!.masked = cloudKey())],
    [
      'a fingerprint holding a key instead of its hash',
      (r: Report) => void (r.findings[0]!.fingerprint = `cloud-key:a.ts:${cloudKey()}`),
    ],
    ['an unknown rule', (r: Report) => void (r.findings[0]!.ruleId = 'aws-key')],
    [
      'a missing stats field',
      (r: Report) => {
        delete r.stats.files;
      },
    ],
    ['another schemaVersion', (r: Report) => void (r.schemaVersion = 2)],
    ['a commit without the rest of its origin', (r: Report) => void (r.findings[0]!.commit = 'a'.repeat(40))],
  ])('%s', (_name, mutate) => {
    expectValid(real);
    const report = copy();
    mutate(report);
    expect(validate(report)).toBe(false);
  });
});
