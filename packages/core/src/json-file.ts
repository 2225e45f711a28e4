/** Parsing of the small JSON files users write (config, baseline), with one-line errors that name the file. */
import { UserFileError } from './user-error.js';

export const MAX_USER_FILE_BYTES = 16 * 1024 * 1024;

/**
 * JSON.parse with an error that never quotes the file's content (the engine's own message may include a
 * snippet, and a config or baseline can sit next to a secret).
 */
export function parseJsonFile(file: string, text: string): unknown {
  if (text.length > MAX_USER_FILE_BYTES)
    throw new UserFileError(file, `too large (${text.length} bytes; the limit is ${MAX_USER_FILE_BYTES})`);
  if (text.trim() === '') throw new UserFileError(file, 'is empty; expected a JSON object');
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    const where = at ? ` (${lineColumnOf(json, Number(at[1]))})` : '';
    throw new UserFileError(file, `is not valid JSON${where}`);
  }
}

function lineColumnOf(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function expectStringArray(file: string, key: string, value: unknown): string[] {
  if (!Array.isArray(value))
    throw new UserFileError(file, `"${key}" must be an array of strings, not ${describeType(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item.trim() === '')
      throw new UserFileError(file, `"${key}"[${i}] must be a non-empty string, not ${describeType(item)}`);
  });
  return value as string[];
}
