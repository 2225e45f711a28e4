/**
 * Which config, baseline and ignore rules judge a change — the policy — and what the change's own edits to
 * them would do. A required check must not be talked out of its verdict by the change it judges: a pull
 * request that adds its key's fingerprint to allowedFingerprints, ignores `**`, or commits a baseline
 * recording its key would otherwise pass. So by default the policy is read at the base of the change (the
 * pull request's base commit, the push's `before`, the merge group's base), and the change's edits are
 * reported — "this PR's config would accept 1 finding at src/pay.ts:3" — for reviewers to decide once it is
 * merged. `policy-from: head` restores reading them at the head.
 */
import { printable, suppress, UserFileError, type Finding, type Suppressed } from '@statalog/core';
import type { Coverage } from './coverage.js';
import type { Client } from './github.js';
import { createPathFilter } from './ignore-filter.js';
import type { Inputs } from './inputs.js';
import { short } from './plan.js';
import { missingFileError, readPolicyFiles, type PolicyFiles } from './repo-files.js';

export interface Policy {
  files: PolicyFiles;
  /** Where it was read: `base` (the change's base), `head`, or `tree` (an event with no base: the tree itself). */
  from: 'base' | 'head' | 'tree';
  ref: string;
  /** Said in the summary: which commit's policy judged the change. */
  description: string;
  /** Notes for the summary (a file the change adds, that applies once merged). */
  notes: string[];
}

/**
 * Reads the policy. `base` is undefined for events without one (tree scans): the tree's own policy is then
 * the only one there is. A file the inputs name that the base lacks is fine when the head has it (the
 * change adds it; it applies once merged), and an error when neither has it.
 */
export async function loadPolicy(
  client: Client,
  inputs: Inputs,
  base: string | undefined,
  head: string,
): Promise<Policy> {
  const paths = { config: inputs.config, configExplicit: inputs.configExplicit, baseline: inputs.baseline };
  if (base === undefined || inputs.policyFrom === 'head') {
    const files = await readPolicyFiles(client, head, paths);
    if (files.missing.length > 0) throw missingFileError(files.missing[0]!, head, 'head commit');
    const from = base === undefined ? 'tree' : 'head';
    return {
      files,
      from,
      ref: head,
      description:
        from === 'tree'
          ? `config and baseline read at ${short(head)}, the commit scanned`
          : `config and baseline read at the head ${short(head)} (policy-from: head)`,
      notes: [],
    };
  }
  const files = await readPolicyFiles(client, base, paths);
  const notes: string[] = [];
  if (files.missing.length > 0) {
    const atHead = await readPolicyFiles(client, head, { ...paths, config: inputs.config });
    for (const path of files.missing) {
      if (atHead.missing.includes(path)) throw missingFileError(path, base, 'base of the change');
      notes.push(`${path} is not at the base ${short(base)}: the change adds it, and it applies once merged`);
    }
  }
  return {
    files,
    from: 'base',
    ref: base,
    description: `config and baseline read at the base ${short(base)}, not from the change`,
    notes,
  };
}

export interface PolicyEdit {
  /** One line per effect, e.g. "this PR's config would accept 1 finding at src/pay.ts:3 (allowedFingerprints)". */
  effects: string[];
  /** The change's version of a policy file could not be read (invalid JSON…): said, never fatal. */
  problems: string[];
}

/**
 * What the change's own config, baseline and ignorePaths would do to the findings the base policy reports.
 * Read only when the change touches one of those files; never changes the verdict.
 */
async function describePolicyEdit(
  client: Client,
  inputs: Inputs,
  head: string,
  found: { all: readonly Finding[]; reported: readonly Finding[]; baseEntries: readonly string[] },
  whose: string,
): Promise<PolicyEdit> {
  const { reported } = found;
  const edit: PolicyEdit = { effects: [], problems: [] };
  let files: PolicyFiles;
  try {
    files = await readPolicyFiles(client, head, {
      config: inputs.config,
      configExplicit: false,
      baseline: inputs.baseline,
    });
  } catch (error) {
    if (!(error instanceof UserFileError)) throw error;
    edit.problems.push(
      `${whose} version of ${printable(error.message)}; once merged, the check would fail until it is fixed`,
    );
    return edit;
  }
  const ignored = createPathFilter(files.config.ignorePaths, files.configDir);
  const skipped = reported.filter((f) => ignored(f.file));
  if (skipped.length > 0)
    edit.effects.push(`${whose} ignorePaths in ${inputs.config} would skip ${count(skipped)} at ${places(skipped)}`);
  const rest = reported.filter((f) => !ignored(f.file));
  const result = suppress(rest, {
    config: files.config,
    configDir: files.configDir,
    cwd: '',
    ...(files.baseline ? { baseline: files.baseline } : {}),
  });
  const byFingerprint = result.allowed.filter((a) => a.how === 'fingerprint').map((a) => a.finding);
  const byBaseline = result.allowed.filter((a) => a.how === 'baseline').map((a) => a.finding);
  if (byFingerprint.length > 0)
    edit.effects.push(
      `${whose} config would accept ${count(byFingerprint)} at ${places(byFingerprint)} (allowedFingerprints)`,
    );
  if (byBaseline.length > 0)
    edit.effects.push(
      `${whose} baseline ${inputs.baseline ?? ''} would accept ${count(byBaseline)} at ${places(byBaseline)}`.replace(
        '  ',
        ' ',
      ),
    );
  // an entry the change adds that accepts none of the keys it adds: a typo, or a fingerprint copied wrong
  const everything = suppress(found.all, { config: files.config, configDir: files.configDir, cwd: '' });
  for (const entry of everything.unmatched.filter((e) => !found.baseEntries.includes(e)))
    edit.problems.push(
      `${whose} ${inputs.config}: allowedFingerprints[${files.config.allowedFingerprints.indexOf(entry)}] matches none of the keys found here; copy fingerprints exactly from the list below`,
    );
  for (const entry of result.malformed)
    edit.problems.push(
      `${whose} ${inputs.config}: allowedFingerprints[${files.config.allowedFingerprints.indexOf(entry)}] is neither rule:path:hash nor a 16-hex secret hash, so it accepts nothing`,
    );
  return edit;
}

function count(findings: readonly Finding[]): string {
  return `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'}`;
}

function places(findings: readonly Finding[]): string {
  const shown = findings.slice(0, 5).map((f) => `${f.file}:${f.line}`);
  return `${shown.join(', ')}${findings.length > 5 ? ` and ${findings.length - 5} more` : ''}`;
}

export interface PolicyReview {
  /** What the change's own policy edits would do (never applied). */
  effects: string[];
  /** allowedFingerprints entries that are malformed or match nothing; a change's broken policy file. */
  warnings: string[];
}

/**
 * Everything the reports say about the policy: malformed or unused allowedFingerprints entries, and — when the
 * change edits the config or baseline — what those edits would do (policy read at the base) or that they
 * were used (policy-from: head). Notes go to the coverage.
 */
export async function reviewPolicy(
  client: Client,
  inputs: Inputs,
  policy: Policy,
  scan: {
    label: string;
    head: string;
    whose: string;
    treeScan: boolean;
    touched: ReadonlySet<string>;
    all: readonly Finding[];
    suppressed: Suppressed;
    coverage: Coverage;
  },
): Promise<PolicyReview> {
  const { config } = policy.files;
  const position = (entry: string): number => config.allowedFingerprints.indexOf(entry);
  const warnings = scan.suppressed.malformed.map(
    (entry) =>
      `${inputs.config}: allowedFingerprints[${position(entry)}] is neither rule:path:hash nor a 16-hex secret hash, so it accepts nothing`,
  );
  // a tree scan read every file: an entry that accepted nothing there accepts nothing at all
  if (scan.treeScan)
    for (const entry of scan.suppressed.unmatched)
      warnings.push(
        `${inputs.config}: allowedFingerprints[${position(entry)}] matches no key in the tree at ${short(scan.head)}; remove it`,
      );

  const changed = [inputs.config, inputs.baseline].filter((p): p is string => p !== undefined && scan.touched.has(p));
  if (changed.length === 0) return { effects: [], warnings };
  if (policy.from === 'base') {
    const edit = await describePolicyEdit(
      client,
      inputs,
      scan.head,
      { all: scan.all, reported: scan.suppressed.findings, baseEntries: config.allowedFingerprints },
      scan.whose,
    );
    scan.coverage.notes.push(
      `${scan.label} changes ${changed.join(' and ')}: the ${policy.description}; the changed version applies once merged`,
    );
    return { effects: edit.effects, warnings: [...warnings, ...edit.problems] };
  }
  if (policy.from === 'head') {
    const note = `${scan.label} changes ${changed.join(' and ')}, and this scan used that changed version (policy-from: head): review the change, since a config or baseline can hide findings`;
    scan.coverage.notes.push(note);
    warnings.push(note);
  }
  return { effects: [], warnings };
}
