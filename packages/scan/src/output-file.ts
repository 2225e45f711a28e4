/** `--output FILE`: the report goes to a file (no colour), errors name the file. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserFileError } from '@statalog/core';
import { displayPath } from './settings.js';

export function writeOutputFile(cwd: string, target: string, text: string): void {
  const file = resolve(cwd, target);
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UserFileError(displayPath(cwd, file), `cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
