/**
 * Detection accuracy through the CLI: keys compiled into `.pyc`, `.class` and SQLite files made by
 * the real tools, and a handful of config shapes, scanned by `statalog-scan` as a user would. Each finding's
 * position is read back from the file (`textAt`) and must be exactly the key — the value that feeds the
 * fingerprint, the baseline and `--verify`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudKey, communityValue } from './helpers/keys.js';
import { scanJson, textAt } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeAll(() => {
  tree = new TempTree('statalog-accuracy-');
});
afterAll(() => tree.cleanup());

/** Scans `files` (relative to the tree) and returns, per finding, its file, rule and the exact text it points at. */
async function findings(files: string[]): Promise<Array<[string, string, string]>> {
  const { report, code, stderr } = await scanJson(['--no-ignore', ...files], { cwd: tree.dir });
  expect(code, stderr).toBe(report.findings.length > 0 ? 1 : 0);
  return report.findings.map((f) => [f.file, f.ruleId, textAt(tree.path(f.file), f.line, f.column, f.endColumn)]);
}

const hasTool = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const PYTHON = hasTool('python3', ['--version']);
const JAVAC = hasTool('javac', ['-version']);

describe('keys compiled into binary files are found', () => {
  it.skipIf(!PYTHON)(
    `a .pyc from python3 -m py_compile${PYTHON ? '' : ' (skipped: python3 is not installed)'}`,
    async () => {
      const key = cloudKey();
      tree.write(
        'py/settings.py',
        `STATALOG_API_KEY = "${key}"\n\ndef headers():\n    return {"Authorization": "Bearer " + STATALOG_API_KEY}\n`,
      );
      const r = spawnSync('python3', ['-m', 'py_compile', tree.path('py/settings.py')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const pyc = `py/__pycache__/${readdirSync(tree.path('py/__pycache__'))[0]}`;
      expect(await findings([pyc])).toEqual([[pyc, 'cloud-key', key]]);
    },
  );

  it.skipIf(!JAVAC)(`a .class from javac${JAVAC ? '' : ' (skipped: javac is not installed)'}`, async () => {
    const key = cloudKey();
    tree.write('java/Config.java', `public class Config {\n  public static final String STATALOG_KEY = "${key}";\n}\n`);
    const r = spawnSync('javac', ['-d', tree.path('java'), tree.path('java/Config.java')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(await findings(['java/Config.class'])).toEqual([['java/Config.class', 'cloud-key', key]]);
  });

  it.skipIf(!PYTHON)(`a SQLite database${PYTHON ? '' : ' (skipped: python3 is not installed)'}`, async () => {
    const key = cloudKey();
    const script =
      'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("create table settings (name text, value text)")\nc.execute("insert into settings values (?, ?)", ("statalog", sys.argv[2]))\nc.commit()';
    tree.write('db/README', 'the database of the app\n'); // makes the directory
    const r = spawnSync('python3', ['-c', script, tree.path('db/app.sqlite'), key], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(await findings(['db/app.sqlite'])).toEqual([['db/app.sqlite', 'cloud-key', key]]);
  });

  it('a binary file where the key runs into more hex is not reported (the right boundary stays exact)', async () => {
    tree.write('blob.bin', Buffer.concat([Buffer.from([0, 1, 0x43]), Buffer.from(`${cloudKey()}0\0`, 'latin1')]));
    expect(await findings(['blob.bin'])).toEqual([]);
  });
});

describe('config shapes: the finding is exactly the key', () => {
  it('Compose default, typographic quotes, a sentence, shell operators, Postman, .NET, a YAML block scalar', async () => {
    const v = Array.from({ length: 7 }, () => communityValue());
    const files: Record<string, string> = {
      'docker-compose.yml': `services:\n  web:\n    environment:\n      STATALOG_API_KEY: \${STATALOG_API_KEY:-${v[0]}}\n`,
      'docs/setup.md': `Paste it: STATALOG_API_KEY=“${v[1]}”.\n\nOr run \`set STATALOG_API_KEY=${v[2]}&& php artisan serve\`.\n`,
      'prod.postman_environment.json': JSON.stringify(
        { name: 'prod', values: [{ key: 'STATALOG_API_KEY', value: v[3], type: 'secret', enabled: true }] },
        null,
        2,
      ),
      'secrets.json': `{\n  "Statalog:ApiKey": "${v[4]}"\n}\n`,
      'values.yaml': `env:\n  STATALOG_API_KEY: >-\n    ${v[5]}\n`,
      '.env': `STATALOG_API_KEY_PROD=${v[6]}\nSTATALOG_API_KEY_FILE=/run/secrets/statalog\n`,
    };
    for (const [name, content] of Object.entries(files)) tree.write(`shapes/${name}`, content);
    const got = await findings(['shapes']);
    expect(got.map(([, rule, text]) => [rule, text]).sort()).toEqual(v.map((x) => ['community-key', x]).sort());
  });

  it('noise stays silent: validation rules, a translation, a secret-manager reference, a digest in a log', async () => {
    tree.write('noise/SettingsRequest.php', "<?php\nreturn ['statalog_api_key' => 'nullable|string|size:64'];\n");
    tree.write('noise/de.json', '{"statalog_api_key": "Statalog-API-Schlüssel"}\n');
    tree.write('noise/deploy.sh', 'gcloud run deploy web --set-secrets=STATALOG_API_KEY=statalog_api_key:latest\n');
    tree.write('noise/deploy.log', `rotated STATALOG_API_KEY=sha256:${communityValue()}\n`);
    expect(await findings(['noise'])).toEqual([]);
  });
});
