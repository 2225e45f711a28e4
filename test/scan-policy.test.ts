/**
 * The CLI's git modes judge commits with a policy the commits did not write: `--range A..B` reads
 * the config and baseline at A, `--history` at HEAD's commit (never the work tree's uncommitted edits);
 * `--policy-from head` reads the work tree as before. Allows are listed in text and JSON.
 */
import { createBaseline, createFinding, secretHash, serializeBaseline } from '@statalog/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { cloudKey, communityValue, expectNoSecrets, masked } from './helpers/keys.js';

let repo: TempRepo;
beforeEach(() => {
  repo = TempRepo.create();
  repo.write('README.md', '# app\n');
  repo.commit('init');
});
afterEach(() => repo.cleanup());

interface Json {
  findings: Array<{ file: string }>;
  stats: { allowed: number; allowedBy: Record<string, number>; policy?: string };
  allowed: Array<{ how: string; file: string; line: number; masked: string }>;
}

describe('--range reads the policy at its base', () => {
  it('a branch that allows its own key (allowedFingerprints, ignorePaths, baseline) still fails; --policy-from head accepts it', async () => {
    const [a, b, c] = [cloudKey(), cloudKey(), cloudKey()];
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/a.env', `STATALOG_API_KEY=${a}\n`);
    repo.write('vendor/b.env', `STATALOG_API_KEY=${b}\n`);
    repo.write('legacy/c.env', `STATALOG_API_KEY=${c}\n`);
    repo.write(
      '.statalog-scan.json',
      JSON.stringify({ allowedFingerprints: [secretHash(a)], ignorePaths: ['vendor/**'] }),
    );
    repo.write(
      'baseline.json',
      serializeBaseline(
        createBaseline([createFinding({ ruleId: 'cloud-key', file: 'legacy/c.env', line: 1, column: 1, secret: c })]),
      ),
    );
    repo.commit('add keys and allow them');

    const base = await repo.scan(['--range', 'main..feature', '--baseline', 'baseline.json', '--format', 'json']);
    expect(base.code).toBe(1);
    const report = JSON.parse(base.stdout) as Json;
    expect(report.findings.map((f) => f.file).sort()).toEqual(['legacy/c.env', 'src/a.env', 'vendor/b.env']);
    expect(report.stats.policy).toMatch(
      /^policy read at the range's base main \([0-9a-f]{12}\), not from the work tree$/,
    );
    // the baseline the branch adds: said, applies once merged
    expect(base.stderr).toContain("baseline.json is not at the range's base main");

    const head = await repo.scan([
      '--range',
      'main..feature',
      '--baseline',
      'baseline.json',
      '--policy-from',
      'head',
      '--format',
      'json',
    ]);
    expect(head.code).toBe(0);
    const accepted = JSON.parse(head.stdout) as Json;
    expect(accepted.stats.allowed).toBe(2);
    expect(accepted.stats.allowedBy).toEqual({ inline: 0, fingerprint: 1, baseline: 1 });
    expect(accepted.allowed).toEqual([
      expect.objectContaining({ how: 'fingerprint', file: 'src/a.env', line: 1, masked: masked(a) }),
      expect.objectContaining({ how: 'baseline', file: 'legacy/c.env', line: 1, masked: masked(c) }),
    ]);
    expectNoSecrets(base, [a, b, c]);
    expectNoSecrets(head, [a, b, c]);
  });

  it("the base's own allow is honoured and listed in the text summary", async () => {
    const key = cloudKey();
    repo.write('.statalog-scan.json', JSON.stringify({ allowedFingerprints: [secretHash(key), 'not-a-fingerprint'] }));
    repo.commit('policy');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('test/e2e.env', `STATALOG_API_KEY=${key}\n`);
    repo.commit('test key');
    const result = await repo.scan(['--range', 'main..feature']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Accepted, not reported:');
    expect(result.stdout).toContain(`test/e2e.env:1  cloud-key  ${masked(key)}  (allowedFingerprints)`);
    expect(result.stdout).toMatch(
      /1 finding accepted \(1 by allowedFingerprints\); policy read at the range's base main/,
    );
    expect(result.stderr).toContain('allowedFingerprints[1] is neither rule:path:hash nor a 16-hex secret hash');
    expectNoSecrets(result, [key]);
  });
});

describe('--verify never takes hosts from a config the range wrote', () => {
  it("base policy: the branch's selfHostedHosts are not read; head policy: they are read but not used", async () => {
    const key = communityValue();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('.env', `STATALOG_API_KEY=${key}\n`);
    repo.write('.statalog-scan.json', JSON.stringify({ selfHostedHosts: ['stats.attacker.example'] }));
    repo.commit('key and a host');
    for (const from of ['base', 'head']) {
      const result = await repo.scan([
        '--range',
        'main..feature',
        '--verify',
        '--policy-from',
        from,
        '--format',
        'json',
      ]);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as {
        findings: Array<{ verification?: { status: string; reason?: string } }>;
      };
      expect(report.findings[0]!.verification).toMatchObject({
        status: 'unknown',
        reason: expect.stringMatching(/no self-hosted Statalog API was named/),
      });
      if (from === 'head')
        expect(result.stderr).toContain(
          "--verify: the config's selfHostedHosts were not used, since the scanned commits change the config",
        );
      expectNoSecrets(result, [key]);
    }
  });
});

describe('--history reads the committed policy', () => {
  it('an uncommitted edit to the config cannot silence it; --policy-from head reads the work tree', async () => {
    const key = cloudKey();
    repo.write('a.env', `STATALOG_API_KEY=${key}\n`);
    repo.commit('key');
    repo.write('.statalog-scan.json', JSON.stringify({ allowedFingerprints: [secretHash(key)] }));
    const committed = await repo.scan(['--history']);
    expect(committed.code).toBe(1);
    expect(committed.stdout).toContain("policy read at HEAD's commit");
    const worktree = await repo.scan(['--history', '--policy-from', 'head']);
    expect(worktree.code).toBe(0);
    expect(worktree.stdout).toContain('1 finding accepted (1 by allowedFingerprints)');
    expectNoSecrets(committed, [key]);
  });

  it('--policy-from is refused outside --range and --history', async () => {
    const result = await repo.scan(['--policy-from', 'base']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'statalog-scan: option --policy-from only applies to --range and --history (other scans read the work tree)\n',
    );
  });
});
