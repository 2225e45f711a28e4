import type { Syntax } from './detect-community.js';

/**
 * Source files in which an unquoted value after `=` is an identifier (a reference), not a literal. Anything
 * else — .env, shell, YAML, JSON, TOML, INI, properties, Dockerfile, Markdown, logs — reads unquoted
 * values as literals.
 */
const CODE_EXTENSIONS = new Set([
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'mts',
  'cts',
  'tsx',
  'vue',
  'svelte',
  'astro',
  'py',
  'rb',
  'php',
  'go',
  'java',
  'kt',
  'kts',
  'scala',
  'groovy',
  'cs',
  'fs',
  'vb',
  'swift',
  'rs',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'm',
  'mm',
  'dart',
  'lua',
  'pl',
  'pm',
  'r',
  'jl',
  'ex',
  'exs',
  'erl',
  'clj',
  'cljs',
  'elm',
  'hs',
  'ml',
  'coffee',
  'gradle',
  'rake',
  'gemspec',
  'cls',
  'sc',
]);

/** Source files known by name alone (Ruby and Groovy build files). */
const CODE_FILE_NAMES = new Set([
  'Jenkinsfile',
  'Rakefile',
  'Gemfile',
  'Vagrantfile',
  'Podfile',
  'Fastfile',
  'Appfile',
  'Brewfile',
  'Guardfile',
  'Dangerfile',
  'Capfile',
  'Berksfile',
]);

export function syntaxForPath(path: string): Syntax {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (CODE_FILE_NAMES.has(base)) return 'code';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return 'config';
  return CODE_EXTENSIONS.has(base.slice(dot + 1).toLowerCase()) ? 'code' : 'config';
}
