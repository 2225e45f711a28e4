/** Where the tests find this repository's parts: the built CLI, the sample app, the bundles. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `statalog-scan` program as users run it (it starts the bundle, or the tsc output when newer). */
export const SCAN_BIN = join(REPO_ROOT, 'packages/scan/bin/statalog-scan.js');
/** The sample project with known leaks; its EXPECTED.json lists them. */
export const SAMPLE_APP = join(REPO_ROOT, 'fixtures/sample-app');
