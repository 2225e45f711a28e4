import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { readInputs, type Inputs } from '../src/inputs.js';

const ACTION_YML = readFileSync(fileURLToPath(new URL('../action.yml', import.meta.url)), 'utf8');
const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';

/** The `inputs:` block of action.yml: name → default (the file's structure is flat and fixed). */
function declaredInputs(): Map<string, string> {
  const block = /^inputs:\n([\s\S]*?)^\S/m.exec(ACTION_YML)![1]!;
  const inputs = new Map<string, string>();
  let current = '';
  for (const line of block.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line);
    if (name) current = name[1]!;
    const value = /^ {4}default:\s*(.*)$/.exec(line);
    if (value) inputs.set(current, value[1]!.replace(/^'(.*)'$/, '$1'));
  }
  return inputs;
}

describe('action.yml', () => {
  test('runs the committed bundle on node24', () => {
    expect(ACTION_YML).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js\n?$/m);
  });

  test('declares every input the code reads, with the defaults the code falls back to', () => {
    const declared = declaredInputs();
    expect([...declared.keys()].sort()).toEqual([
      'allow-incomplete',
      'api-url',
      'baseline',
      'comment',
      'config',
      'fail',
      'github-token',
      'policy-from',
      'sarif-file',
      'verify',
      'verify-limit',
    ]);
    expect(declared.get('github-token')).toBe('${{ github.token }}');
    // the runner passes these defaults; a local run passes nothing: both must mean the same
    const withDefaults = readInputs((name) => (name === 'github-token' ? 't' : (declared.get(name) ?? '')));
    const withNothing = readInputs(read({ 'github-token': 't' }));
    expect(withDefaults).toEqual(withNothing);
  });

  test('declares the outputs findings and sarif-file, a name, a description and branding', () => {
    expect(ACTION_YML).toMatch(/^outputs:\n {2}findings:\n[\s\S]* {2}sarif-file:\n/m);
    expect(ACTION_YML).toMatch(/^name: \S/m);
    expect(ACTION_YML).toMatch(/^description: \S/m);
    expect(ACTION_YML).toMatch(/^branding:\n {2}icon: \S+\n {2}color: \S+/m);
  });
});

describe('readInputs', () => {
  test('empty inputs mean the defaults', () => {
    expect(readInputs(read({ 'github-token': 'tok' }))).toEqual<Inputs>({
      token: 'tok',
      config: '.statalog-scan.json',
      configExplicit: false,
      baseline: undefined,
      comment: false,
      sarifFile: undefined,
      fail: true,
      verify: false,
      apiUrl: undefined,
      policyFrom: 'base',
      allowIncomplete: false,
      verifyLimit: 100,
    });
  });

  test('policy-from is base (default) or head; allow-incomplete is a boolean', () => {
    expect(readInputs(read({ 'github-token': 't', 'policy-from': 'HEAD', 'allow-incomplete': 'true' }))).toMatchObject({
      policyFrom: 'head',
      allowIncomplete: true,
    });
    expect(() => readInputs(read({ 'github-token': 't', 'policy-from': 'pr' }))).toThrow(
      'input policy-from must be base or head, not "pr"',
    );
  });

  test('booleans: true/false/yes/no/on/off/1/0 in any case; anything else names the input', () => {
    expect(readInputs(read({ 'github-token': 't', comment: 'YES', fail: 'Off' }))).toMatchObject({
      comment: true,
      fail: false,
    });
    expect(() => readInputs(read({ 'github-token': 't', comment: 'sometimes' }))).toThrow(
      'input comment must be true or false, not "sometimes"',
    );
  });

  test('paths are repository paths: ./ is dropped, absolute or .. paths are refused', () => {
    expect(
      readInputs(read({ 'github-token': 't', config: './ci/statalog.json', baseline: 'ci/baseline.json' })),
    ).toMatchObject({
      config: 'ci/statalog.json',
      configExplicit: true,
      baseline: 'ci/baseline.json',
    });
    for (const bad of ['/etc/passwd', '../other/x.json', 'a/../../b', 'C:\\x.json'])
      expect(() => readInputs(read({ 'github-token': 't', config: bad }))).toThrow(
        /^input config must be a path inside the repository/,
      );
  });

  test('an empty token is refused with what to pass', () => {
    expect(() => readInputs(read({}))).toThrow('input github-token is empty');
  });
});

describe('verify-limit', () => {
  test('a whole number from 1, default 100; anything else names the input', () => {
    expect(readInputs(read({ 'github-token': 't', verify: 'true', 'verify-limit': '7' })).verifyLimit).toBe(7);
    for (const bad of ['0', '-3', 'many', '2.5']) {
      expect(() => readInputs(read({ 'github-token': 't', verify: 'true', 'verify-limit': bad }))).toThrow(
        /^input verify-limit must be a whole number/,
      );
    }
  });
});
