import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The app frameworks whose file layout the plugin knows (see conventions.ts). */
export type Framework =
  | 'expo'
  | 'react-native'
  | 'next'
  | 'nuxt'
  | 'sveltekit'
  | 'astro'
  | 'angular'
  | 'gatsby'
  | 'ssr'
  | 'vite'
  | 'vue'
  | 'svelte'
  | 'react';

/** The nearest package.json of a file: its directory and the framework its dependencies name. */
export type Project = {
  /** Absolute directory of the package.json; conventions are matched against paths relative to it. */
  root: string;
} & (
  | { framework?: undefined; dependency?: undefined }
  /** `dependency`: the one that decided the framework (`vite`, `@sveltejs/kit`), quoted in messages. */
  | { framework: Framework; dependency: string }
);

/**
 * Dependency → framework, most specific first: a Nuxt app also lists vue, a SvelteKit app svelte and vite,
 * an Expo app react and react-native, an Astro site often react or vue for its islands.
 */
const DETECTION: ReadonlyArray<readonly [string, Framework]> = [
  ['expo', 'expo'],
  ['react-native', 'react-native'],
  ['next', 'next'],
  ['nuxt', 'nuxt'],
  ['@sveltejs/kit', 'sveltekit'],
  ['astro', 'astro'],
  ['@angular/core', 'angular'],
  ['gatsby', 'gatsby'],
  // server-rendering frameworks whose route modules mix server and browser code: a browser framework, but no
  // folder is browser code by default (their `.server.` / `.client.` naming still applies)
  ['@remix-run/react', 'ssr'],
  ['@react-router/dev', 'ssr'],
  ['@tanstack/react-start', 'ssr'],
  ['@solidjs/start', 'ssr'],
  ['@builder.io/qwik-city', 'ssr'],
  ['vike', 'ssr'],
  ['waku', 'ssr'],
  ['vite', 'vite'],
  ['vue', 'vue'],
  ['svelte', 'svelte'],
  ['react', 'react'],
];

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies'] as const;

/** Single-page-app libraries: their `src/**` default assumes the package is the app, not a server that uses them. */
const SPA: ReadonlySet<Framework> = new Set(['vite', 'vue', 'svelte', 'react']);
/**
 * Server frameworks: a package that lists one of them beside React or Vue renders on the server (SSR, e-mail
 * templates) or is a full-stack app whose `src/` holds both sides — no folder is browser code by default there.
 */
const SERVER_FRAMEWORKS = ['express', 'fastify', 'koa', '@nestjs/core', 'hono', '@hapi/hapi', 'h3', 'elysia'];

/**
 * Per directory: the project its files belong to (null: no package.json up to the file system root).
 * Filled for every directory a lookup walks through, so a lint of a thousand files reads each package.json
 * once and most files cost one map lookup. Kept for the process: an editor's ESLint server picks up a changed
 * package.json when it restarts.
 */
const byDirectory = new Map<string, Project | null>();

/** The project of an absolute file path, or undefined when no package.json is found above it. */
export function projectOf(file: string): Project | undefined {
  const walked: string[] = [];
  let dir = dirname(file);
  let found: Project | null = null;
  for (;;) {
    const known = byDirectory.get(dir);
    if (known !== undefined) {
      found = known;
      break;
    }
    walked.push(dir);
    const project = readProject(dir);
    if (project) {
      found = project;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of walked) byDirectory.set(d, found);
  return found ?? undefined;
}

function readProject(dir: string): Project | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return { root: dir }; // a broken package.json still marks the project root; ESLint's own config loading reports it
  }
  const names = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = (manifest as Record<string, unknown> | null)?.[field];
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name);
  }
  const hit = DETECTION.find(([dependency]) => names.has(dependency));
  if (!hit) return { root: dir };
  const [dependency, framework] = hit;
  const serverRendered = SPA.has(framework) && SERVER_FRAMEWORKS.some((name) => names.has(name));
  return { root: dir, framework: serverRendered ? 'ssr' : framework, dependency };
}
