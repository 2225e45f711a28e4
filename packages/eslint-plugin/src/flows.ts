import { closeSync, openSync, readSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { keyCarrier } from './ast/key-flow.js';
import { isEnvObject, isKeyName, propertyName, unwrap } from './ast/names.js';

/**
 * Routes by which server code hands the key to the browser, found syntactically in the file that opens them:
 * build configs that inline values into the bundle (next.config `env`, Vite `define` and `envPrefix`, Nuxt
 * `runtimeConfig.public`, Expo `extra`), data that frameworks serialise into the page (getServerSideProps /
 * getStaticProps props, a SvelteKit server `load`'s return value) and props passed from a server component to a
 * `'use client'` component imported by a relative path. Local on purpose: what one file writes, no inference.
 */

export type FlowReport =
  | { kind: 'flow'; node: TSESTree.Node; what: string; route: string; target: 'the browser' | 'the app bundle' }
  | { kind: 'prefix'; node: TSESTree.Node; prefix: string; name: string };

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

const CONFIG = /^(next|vite|nuxt|app)\.config\.[cm]?[jt]s$/;
/** Build configs: they may expose the whole environment without naming the key (`define: { 'process.env': process.env }`). */
const BUILD_CONFIG = /^(?:next|vite|nuxt|app|webpack|rspack)\.config\.[cm]?[jt]s$/;

export function isBuildConfig(filename: string): boolean {
  return BUILD_CONFIG.test(basename(filename));
}
const SVELTEKIT_SERVER_LOAD = /^\+(?:page|layout)\.server\.[cm]?[jt]s$/;
const NEXT_DATA_FUNCTIONS = new Set(['getServerSideProps', 'getStaticProps']);

export function flowListener(
  context: AnyContext,
  envVarNames: ReadonlySet<string>,
  onFlow: (report: FlowReport) => void,
): TSESLint.RuleListener {
  const sourceCode = context.sourceCode;
  const carrier = (node: TSESTree.Node): string | undefined => keyCarrier(node, sourceCode, envVarNames);
  const file = basename(context.filename);
  const config = CONFIG.exec(file)?.[1];
  const listener: TSESLint.RuleListener = {};

  /** Every property of an object literal (nested ones too) that names the key or carries it. */
  const checkObject = (
    object: TSESTree.Node,
    route: string,
    target: 'the browser' | 'the app bundle',
    byName: boolean,
  ): void => {
    const value = unwrap(object);
    if (value.type !== 'ObjectExpression') return;
    for (const property of value.properties) {
      if (property.type !== 'Property') continue;
      const inner = unwrap(property.value);
      if (inner.type === 'ObjectExpression') {
        checkObject(inner, route, target, byName);
        continue;
      }
      const name = propertyName(property.key, property.computed);
      const what =
        carrier(property.value) ?? (byName && name !== undefined && isKeyName(name, envVarNames) ? name : undefined);
      if (what !== undefined) onFlow({ kind: 'flow', node: property, what, route, target });
    }
  };

  if (config !== undefined) {
    listener.Property = (node) => {
      if (node.parent.type !== 'ObjectExpression') return;
      const name = propertyName(node.key, node.computed);
      if (config === 'next' && name === 'env') {
        checkObject(
          node.value,
          'next.config env, whose values Next.js inlines into the JavaScript of every page',
          'the browser',
          false,
        );
      } else if (config === 'next' && name === 'publicRuntimeConfig') {
        checkObject(
          node.value,
          'next.config publicRuntimeConfig, which Next.js sends to the browser',
          'the browser',
          true,
        );
      } else if (config === 'vite' && name === 'define') {
        checkDefine(node.value, 'Vite define, which writes the value into the bundled code');
      } else if (config === 'vite' && name === 'envPrefix') {
        checkPrefixes(node.value, envVarNames, onFlow);
      } else if (config === 'nuxt' && name === 'public' && isRuntimeConfig(node.parent)) {
        // by name too: NUXT_PUBLIC_STATALOG_API_KEY fills an empty `statalogApiKey: ''` at run time
        checkObject(
          node.value,
          'Nuxt runtimeConfig.public, which is sent to the browser with every page',
          'the browser',
          true,
        );
      } else if (config === 'app' && name === 'extra') {
        checkObject(node.value, 'Expo extra, which is embedded in the app manifest', 'the app bundle', false);
      }
    };
  }

  /** `define: { … }`: each value, and `'process.env': process.env` (every variable at once). */
  const checkDefine = (value: TSESTree.Node, route: string): void => {
    const object = unwrap(value);
    if (object.type !== 'ObjectExpression') return;
    for (const property of object.properties) {
      if (property.type !== 'Property') continue;
      const whole = wholeEnvironment(property.value);
      if (whole !== undefined)
        onFlow({
          kind: 'flow',
          node: property,
          what: `${whole} (every variable, the key's included)`,
          route,
          target: 'the browser',
        });
    }
    checkObject(object, route, 'the browser', false);
  };

  // webpack (and rspack): `new DefinePlugin({ … })`, `new EnvironmentPlugin(['STATALOG_API_KEY'])`, in any file
  listener.NewExpression = (node) => {
    const callee = unwrap(node.callee);
    const name =
      callee.type === 'Identifier'
        ? callee.name
        : callee.type === 'MemberExpression'
          ? propertyName(callee.property, callee.computed)
          : undefined;
    const first = node.arguments[0];
    if (!first) return;
    if (name === 'DefinePlugin') checkDefine(first, 'DefinePlugin, which writes the value into the bundled code');
    else if (name === 'EnvironmentPlugin') {
      const value = unwrap(first);
      const entries =
        value.type === 'ArrayExpression'
          ? value.elements.map((e) =>
              e?.type === 'Literal' && typeof e.value === 'string' ? ([e, e.value] as const) : undefined,
            )
          : value.type === 'ObjectExpression'
            ? value.properties.map((p) =>
                p.type === 'Property' ? ([p, propertyName(p.key, p.computed)] as const) : undefined,
              )
            : value.type === 'Literal' && typeof value.value === 'string'
              ? [[value, value.value] as const]
              : [];
      for (const entry of entries) {
        if (entry && entry[1] !== undefined && isKeyName(entry[1], envVarNames)) {
          onFlow({
            kind: 'flow',
            node: entry[0],
            what: entry[1],
            route: 'EnvironmentPlugin, which writes the variable into the bundled code',
            target: 'the browser',
          });
        }
      }
    }
  };

  /** The value a function hands to the framework: its `return` arguments, or an arrow's expression body. */
  const returned = (fn: TSESTree.Node, check: (value: TSESTree.Node) => void): void => {
    if (fn.type === 'ArrowFunctionExpression' && fn.body.type !== 'BlockStatement') check(fn.body);
  };
  const returnChecks: Array<{ fn: TSESTree.Node; check: (value: TSESTree.Node) => void }> = [];

  const nextDataCheck = (value: TSESTree.Node): void => {
    const object = unwrap(value);
    if (object.type !== 'ObjectExpression') return;
    for (const property of object.properties) {
      if (property.type === 'Property' && propertyName(property.key, property.computed) === 'props') {
        const what = carrier(property.value);
        if (what !== undefined) {
          onFlow({
            kind: 'flow',
            node: property.value,
            what,
            route: "page props, which Next.js sends to the browser in the page's data",
            target: 'the browser',
          });
        }
      }
    }
  };
  const loadCheck = (value: TSESTree.Node): void => {
    const what = carrier(value);
    if (what !== undefined) {
      onFlow({
        kind: 'flow',
        node: value,
        what,
        route: 'the return value of a server load, which SvelteKit sends to the browser',
        target: 'the browser',
      });
    }
  };

  const watch = (name: string | undefined, fn: TSESTree.Node | null | undefined): void => {
    if (
      !fn ||
      (fn.type !== 'FunctionDeclaration' && fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression')
    )
      return;
    let check: ((value: TSESTree.Node) => void) | undefined;
    if (name !== undefined && NEXT_DATA_FUNCTIONS.has(name)) check = nextDataCheck;
    else if (name === 'load' && SVELTEKIT_SERVER_LOAD.test(file)) check = loadCheck;
    if (!check) return;
    returnChecks.push({ fn, check });
    returned(fn, check);
  };

  listener.FunctionDeclaration = (node) => watch(node.id?.name, node);
  listener.VariableDeclarator = (node) => {
    if (node.id.type === 'Identifier' && node.init) watch(node.id.name, unwrap(node.init));
  };
  listener.ReturnStatement = (node) => {
    if (!node.argument || returnChecks.length === 0) return;
    const fn = enclosingFunction(node);
    const watched = returnChecks.find((r) => r.fn === fn);
    if (watched) watched.check(node.argument);
  };

  // server component → 'use client' component: its props are serialised into the page
  const clientComponents = new Map<string, string>();
  listener.ImportDeclaration = (node) => {
    const source = node.source.value;
    if (typeof source !== 'string' || !source.startsWith('.')) return;
    let resolved: boolean | undefined;
    for (const specifier of node.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier') continue;
      resolved ??= isClientModule(context, source);
      if (resolved) clientComponents.set(specifier.local.name, source);
    }
  };
  listener.JSXAttribute = (node) => {
    if (clientComponents.size === 0 || node.value?.type !== 'JSXExpressionContainer') return;
    const element = node.parent.name;
    if (element.type !== 'JSXIdentifier' || !clientComponents.has(element.name)) return;
    const expression = node.value.expression;
    if (expression.type === 'JSXEmptyExpression') return;
    const what = carrier(expression);
    if (what === undefined) return;
    onFlow({
      kind: 'flow',
      node: expression,
      what,
      route: `a prop of <${element.name}>, a 'use client' component (${clientComponents.get(element.name)!}) whose props are sent to the browser`,
      target: 'the browser',
    });
  };

  return listener;
}

/** `process.env`, `import.meta.env`, `JSON.stringify(process.env)`, or a `loadEnv(…)` result named `env`. */
function wholeEnvironment(value: TSESTree.Node): string | undefined {
  let node = unwrap(value);
  if (
    node.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    propertyName(node.callee.property, node.callee.computed) === 'stringify' &&
    node.arguments[0]
  ) {
    node = unwrap(node.arguments[0]);
  }
  if (isEnvObject(node))
    return node.type === 'MemberExpression' && node.object.type === 'Identifier'
      ? `${node.object.name}.env`
      : 'import.meta.env';
  return undefined;
}

function isRuntimeConfig(object: TSESTree.ObjectExpression): boolean {
  const parent = object.parent;
  return parent.type === 'Property' && propertyName(parent.key, parent.computed) === 'runtimeConfig';
}

/** `envPrefix: 'STATALOG_'`, `envPrefix: ['VITE_', '']`: a prefix that the key's variable name starts with. */
function checkPrefixes(
  value: TSESTree.Node,
  envVarNames: ReadonlySet<string>,
  onFlow: (report: FlowReport) => void,
): void {
  const node = unwrap(value);
  const literals = node.type === 'ArrayExpression' ? node.elements : [node];
  const names = ['STATALOG_API_KEY', ...envVarNames];
  for (const literal of literals) {
    if (literal?.type !== 'Literal' || typeof literal.value !== 'string') continue;
    const prefix = literal.value;
    const name = names.find((n) => n.startsWith(prefix));
    if (name !== undefined) onFlow({ kind: 'prefix', node: literal, prefix, name });
  }
}

function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (
      current.type === 'FunctionDeclaration' ||
      current.type === 'FunctionExpression' ||
      current.type === 'ArrowFunctionExpression'
    )
      return current;
  }
  return undefined;
}

const EXTENSIONS = ['', '.tsx', '.ts', '.jsx', '.js', '.mjs', '/index.tsx', '/index.ts', '/index.jsx', '/index.js'];
const DIRECTIVE = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(['"])use client\1/;
/** Per resolved module path: starts with 'use client'. Read once per lint process. */
const clientModules = new Map<string, boolean>();

/** The relative import resolves to a module whose first statement is `'use client'` (its first 512 bytes read). */
function isClientModule(context: AnyContext, source: string): boolean {
  const filename = context.physicalFilename || context.filename;
  if (!isAbsolute(filename) && !context.cwd) return false;
  const base = resolve(dirname(isAbsolute(filename) ? filename : resolve(context.cwd, filename)), source);
  for (const extension of EXTENSIONS) {
    const path = base + extension;
    let known = clientModules.get(path);
    if (known === undefined) {
      const head = readHead(path);
      if (head === undefined) continue;
      known = DIRECTIVE.test(head);
      clientModules.set(path, known);
    }
    return known;
  }
  return false;
}

function readHead(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(512);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, length);
  } catch {
    return undefined; // missing, or a directory
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
