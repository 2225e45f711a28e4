/** package.json's version, written in at build time by build.mjs (and by vitest.config.ts for tests of the sources). */
declare const STATALOG_ACTION_VERSION: string;

/** The action's version, as SARIF and the User-Agent report it. */
export const ACTION_VERSION: string = STATALOG_ACTION_VERSION;
