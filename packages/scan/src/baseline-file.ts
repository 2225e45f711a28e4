/** `--write-baseline FILE`: records today's findings so that `--baseline FILE` reports only new ones. */
import { resolve } from 'node:path';
import { createBaseline, serializeBaseline, type BaselineEntry, type Finding } from '@statalog/core';
import { displayPath } from './paths.js';
import { replaceFile } from './replace-file.js';
import { dropAllowed, type Settings } from './settings.js';

/**
 * Writes a baseline of `findings` (minus what the config allows; the old baseline is not applied) to
 * `target`. When a baseline was read too (`--baseline B --write-baseline B` refreshes it), its entries for
 * files this scan did not reach are kept, so a scan of one directory does not forget the rest.
 */
export function writeBaseline(
  target: string,
  findings: readonly Finding[],
  settings: Settings,
  inScope: (file: string) => boolean,
): { entries: number; file: string } {
  const file = resolve(settings.cwd, target);
  const baseline = createBaseline(dropAllowed(findings, settings));
  if (settings.baseline) {
    for (const e of settings.baseline.entries) if (!inScope(e.file)) baseline.entries.push(e);
    baseline.entries.sort(compareEntries);
  }
  // never through a symbolic link or into a FIFO: see replace-file.ts
  replaceFile(file, serializeBaseline(baseline), { shown: displayPath(settings.cwd, file) });
  return { entries: baseline.entries.length, file };
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const ka = [a.file, a.ruleId, a.secretHash];
  const kb = [b.file, b.ruleId, b.secretHash];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}
