// The bundle's entry point: everything lives in main.ts, so tests can import run() without running it.
import { run } from './main.js';

await run();
