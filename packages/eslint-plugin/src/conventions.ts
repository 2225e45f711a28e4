import picomatch from 'picomatch';
import type { Framework, Project } from './project.js';

/**
 * Built-in file roles: where each framework puts browser code and server-only code, matched against the path
 * relative to the nearest package.json. A user's `clientFiles` / `serverFiles` are checked before any of this
 * (file-role.ts), so every line here is a default the user can overrule.
 */

type Side = 'client' | 'server' | 'neither';

interface Convention {
  side: Side;
  globs: readonly string[];
  /** Completes "<path> is …" in a message: what the convention says about such files. */
  what: string;
}

/** Display names, for messages. */
const NAMES: Record<Framework, string> = {
  expo: 'Expo',
  'react-native': 'React Native',
  next: 'Next.js',
  nuxt: 'Nuxt',
  sveltekit: 'SvelteKit',
  astro: 'Astro',
  angular: 'Angular',
  gatsby: 'Gatsby',
  ssr: 'server-rendering',
  vite: 'Vite',
  vue: 'Vue',
  svelte: 'Svelte',
  react: 'React',
};

/** Apps that run on a phone: their code ships in the app bundle, not in a web page. */
const MOBILE: ReadonlySet<Framework> = new Set(['expo', 'react-native']);

const server = (what: string, ...globs: string[]): Convention => ({ side: 'server', globs, what });
const client = (what: string, ...globs: string[]): Convention => ({ side: 'client', globs, what });
const neither = (what: string, ...globs: string[]): Convention => ({ side: 'neither', globs, what });

/** Naming conventions every bundler honours (Next, Nuxt, SvelteKit, Remix, Vite plugins): in any project. */
const NAMING: readonly Convention[] = [
  server('named .server., which keeps it out of the browser bundle', '**/*.server.*'),
  client('named .client., which marks browser code', '**/*.client.*'),
  client('a Vue or Svelte component, which ships to the browser', '**/*.vue', '**/*.svelte'),
];

/** Tests, stories and tool configs are not shipped, whatever folder they sit in. */
const NOT_SHIPPED = neither(
  'a test or tool file',
  '**/*.{test,spec}.*',
  '**/__tests__/**',
  '**/__mocks__/**',
  '*.config.*',
  'scripts/**',
  'e2e/**',
);

/** The folders of a plain single-page app (Vite, React, Vue, Svelte without a meta-framework). */
const SPA: readonly Convention[] = [
  server('in a server folder', '**/server/**', 'api/**', 'functions/**', 'netlify/**'),
  // Vite's server-rendering entry (`src/entry-server.tsx`) renders on the server
  server('a server-rendering entry, which runs on the server', '**/entry-server.*'),
  NOT_SHIPPED,
  client('under src/, which the bundler ships to the browser', 'src/**'),
];

const FRAMEWORKS: Record<Framework, readonly Convention[]> = {
  vite: SPA,
  vue: SPA,
  svelte: SPA,
  react: SPA,
  next: [
    server(
      'a Next.js API route or route handler, which runs on the server',
      'pages/api/**',
      'src/pages/api/**',
      '{src/,}app/**/route.*',
    ),
    server(
      'Next.js middleware or instrumentation, which runs on the server',
      '{src/,}middleware.*',
      '{src/,}instrumentation.*',
    ),
  ],
  nuxt: [
    server('under server/, which Nuxt runs on the server only', 'server/**'),
    // Nuxt's app.config is bundled into the app, unlike nuxt.config
    client('the Nuxt app config, which is bundled for the browser', '{app/,}app.config.*'),
    NOT_SHIPPED,
    client(
      'Nuxt app code, which ships to the browser',
      '{app/,}pages/**',
      '{app/,}components/**',
      '{app/,}composables/**',
      '{app/,}layouts/**',
      '{app/,}plugins/**',
      '{app/,}middleware/**',
      '{app/,}utils/**',
      '{app/,}app.vue',
      '{app/,}error.vue',
      'app/**',
      '**/*.vue',
    ),
  ],
  sveltekit: [
    server(
      'a SvelteKit server module, which runs on the server only',
      '**/+page.server.*',
      '**/+layout.server.*',
      '**/+server.*',
      'src/lib/server/**',
      'src/hooks.server.*',
    ),
    NOT_SHIPPED,
    client(
      'a SvelteKit page, layout or universal load, which runs in the browser',
      '**/*.svelte',
      '**/+page.*',
      '**/+layout.*',
      'src/hooks.client.*',
      'src/service-worker.*',
      'src/service-worker/**',
    ),
  ],
  astro: [
    // eslint-plugin-astro lints a component's <script> tags as virtual files under the .astro path
    client('a <script> of an Astro component, which runs in the browser', '**/*.astro/*'),
    server(
      'Astro page, endpoint or middleware code, which runs on the server',
      'src/pages/**',
      'src/middleware.*',
      'src/middleware/**',
      'src/actions/**',
      '**/*.astro',
    ),
  ],
  angular: [
    server('Angular server-side rendering code', '{src/,}server.*', 'src/main.server.*'),
    NOT_SHIPPED,
    client('Angular app code, which ships to the browser', 'src/app/**', 'src/main.*', 'src/environments/**'),
  ],
  gatsby: [
    server(
      'a Gatsby Function or build script, which runs on the server',
      'src/api/**',
      'gatsby-node.*',
      'gatsby-ssr.*',
      'gatsby-config.*',
    ),
    NOT_SHIPPED,
    client('under src/, which Gatsby ships to the browser', 'src/**', 'gatsby-browser.*'),
  ],
  ssr: [],
  expo: mobile(),
  'react-native': mobile(),
};

function mobile(): readonly Convention[] {
  return [
    server('an Expo Router API route or server code, which runs on a server', '**/*+api.*', 'server/**', 'backend/**'),
    NOT_SHIPPED,
    neither('native project code or a config plugin', 'android/**', 'ios/**', 'plugins/**'),
    client('app code, which ships in the app bundle to every device', '**'),
  ];
}

/** Generic folder names: only where the project has a browser framework, else a backend's client/ is flagged. */
const FOLDERS_WITH_FRAMEWORK: readonly Convention[] = [
  server('in an api/ or server/ folder, which runs on the server', '**/api/**', '**/server/**'),
  client('in a client/ folder, which holds browser code', '**/client/**'),
];
/** Any project: server/ is server code, and public/ is served to browsers as it is. */
const FOLDERS_ALWAYS: readonly Convention[] = [
  server('in a server/ folder, which runs on the server', '**/server/**'),
  client('in public/, which is served to browsers as it is', '**/public/**'),
];

interface Compiled {
  side: Side;
  match: (path: string) => boolean;
  what: string;
}

const compiledCache = new Map<string, Compiled[]>();

function compiled(key: string, conventions: readonly Convention[]): Compiled[] {
  let list = compiledCache.get(key);
  if (!list) {
    list = conventions.map((c) => ({ side: c.side, what: c.what, match: picomatch([...c.globs], { dot: true }) }));
    compiledCache.set(key, list);
  }
  return list;
}

export interface DefaultRole {
  side: Side;
  /** "src/App.tsx is under src/, which the bundler ships to the browser (vite in package.json)". */
  reason: string;
  mobile: boolean;
}

/** The built-in role of a file, from its path relative to its project's root; undefined when none applies. */
export function defaultRole(relativePath: string, project: Project | undefined): DefaultRole | undefined {
  const framework = project?.framework;
  const lists: Array<[string, readonly Convention[], string]> = [['naming', NAMING, '']];
  if (project?.framework) {
    const name = NAMES[project.framework];
    const why = ` (${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} project: ${project.dependency} is in its package.json)`;
    lists.push([project.framework, FRAMEWORKS[project.framework], why], ['folders', FOLDERS_WITH_FRAMEWORK, '']);
  } else {
    lists.push(['plain', FOLDERS_ALWAYS, '']);
  }
  if (framework) lists.push(['always', FOLDERS_ALWAYS, '']);
  for (const [key, conventions, why] of lists) {
    for (const convention of compiled(key, conventions)) {
      if (convention.match(relativePath)) {
        return {
          side: convention.side,
          reason: `${relativePath} is ${convention.what}${why}`,
          mobile: framework !== undefined && MOBILE.has(framework),
        };
      }
    }
  }
  return undefined;
}
