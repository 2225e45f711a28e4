/** `--output FILE`: the report goes to a file (no colour), errors name the file. Never through a symbolic link. */
import { resolve } from 'node:path';
import { displayPath } from './paths.js';
import { replaceFile } from './replace-file.js';

export function writeOutputFile(cwd: string, target: string, text: string | Iterable<string>): void {
  const file = resolve(cwd, target);
  replaceFile(file, text, { shown: displayPath(cwd, file) });
}
