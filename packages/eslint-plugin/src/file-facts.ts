import { ANCHORS } from '@statalog/core';
import type { TSESLint } from '@typescript-eslint/utils';

/**
 * Cheap questions about a file's text, asked by several rules and answered once per file: every rule's
 * first move is to bail out of a file that cannot hold what it looks for, and almost every file can't.
 */
export interface FileFacts {
  /** `st_` occurs: a cloud key may be written here. */
  readonly cloudAnchor: boolean;
  /** `statalog` / `Statalog` / `STATALOG` occurs: the key may be named here. */
  readonly namesStatalog: boolean;
}

const cache = new WeakMap<object, FileFacts>();

export function fileFacts(sourceCode: Readonly<TSESLint.SourceCode>): FileFacts {
  let facts = cache.get(sourceCode);
  if (!facts) {
    const text = sourceCode.text;
    facts = {
      cloudAnchor: text.includes(ANCHORS.cloud),
      namesStatalog: ANCHORS.community.some((anchor) => text.includes(anchor)),
    };
    cache.set(sourceCode, facts);
  }
  return facts;
}

/** The file may name the key: `statalog` in any common case, or one of the configured variable names. */
export function mayNameKey(sourceCode: Readonly<TSESLint.SourceCode>, envVarNames: ReadonlySet<string>): boolean {
  if (fileFacts(sourceCode).namesStatalog) return true;
  for (const name of envVarNames) if (sourceCode.text.includes(name)) return true;
  return false;
}
