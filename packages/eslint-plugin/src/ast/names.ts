import type { TSESTree } from '@typescript-eslint/utils';

/**
 * The Community key's name and its spellings, as the core's community-key rule reads them:
 * STATALOG_API_KEY, statalog_api_key, statalogApiKey, STATALOG_KEY, with any prefix (NEXT_PUBLIC_…).
 * Anchored at the end, so STATALOG_API_KEY_FILE and statalogApiKeyId are other names.
 */
const KEY_NAME = /statalog[_.-]?(?:api[_.-]?)?key$/i;

/**
 * `hasStatalogKey`, `isStatalogKeySet`, `HAS_STATALOG_KEY`: a flag about the key, not the key. The name test
 * alone would read these as the key (they end in StatalogKey); logging such a flag is the docs' own advice.
 */
const FLAG_NAME =
  /^(?:(?:is|has|should|can|needs?|with|use|enable|show)[A-Z_]|(?:IS|HAS|SHOULD|CAN|NEEDS?|WITH|USE|ENABLE|SHOW)_)/;

export function isFlagName(name: string): boolean {
  return FLAG_NAME.test(name);
}

/** True when an identifier, property or environment variable of this name holds the key. */
export function isKeyName(name: string, envVarNames: ReadonlySet<string>): boolean {
  return KEY_NAME.test(name) || envVarNames.has(name);
}

/** The prefixes bundlers use to copy an environment variable into browser code. */
export const DEFAULT_PUBLIC_PREFIXES: readonly string[] = [
  'NEXT_PUBLIC_',
  'VITE_',
  'REACT_APP_',
  'PUBLIC_',
  'NUXT_PUBLIC_',
  'EXPO_PUBLIC_',
  'GATSBY_',
];

const SECRET_WORD = /(?:^|_)(?:API_?)?(?:KEY|TOKEN|SECRET)(?:_|$)/;

/**
 * A public environment variable that names the key: a public prefix, then a name holding STATALOG and
 * KEY/TOKEN/SECRET (`VITE_STATALOG_API_KEY`, `NEXT_PUBLIC_STATALOG_TOKEN`), or a configured key name.
 * `NEXT_PUBLIC_STATALOG_SITE_ID` is not one: site IDs are public.
 */
export function isPublicKeyName(name: string, prefixes: readonly string[], envVarNames: ReadonlySet<string>): boolean {
  const upper = name.toUpperCase();
  const prefix = prefixes.find((p) => upper.startsWith(p.toUpperCase()));
  if (prefix === undefined) return false;
  const rest = upper.slice(prefix.length);
  if (envVarNames.has(name.slice(prefix.length))) return true;
  return rest.includes('STATALOG') && SECRET_WORD.test(rest);
}

/** The name of a non-computed or string-keyed property (`a.b`, `a['b']`, `{ b: … }`, `{ 'b': … }`). */
export function propertyName(
  key: TSESTree.Expression | TSESTree.PrivateIdentifier | TSESTree.Node,
  computed: boolean,
): string | undefined {
  if (!computed && (key.type === 'Identifier' || key.type === 'PrivateIdentifier')) return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `process.env`, `import.meta.env`, `Bun.env`: the objects environment variables are read from. */
export function isEnvObject(node: TSESTree.Node): boolean {
  if (node.type !== 'MemberExpression' || propertyName(node.property, node.computed) !== 'env') return false;
  const object = node.object;
  if (object.type === 'Identifier') return object.name === 'process' || object.name === 'Bun';
  return object.type === 'MetaProperty' && object.meta.name === 'import' && object.property.name === 'meta';
}

/** The variable name of `process.env.NAME`, `process.env['NAME']`, `import.meta.env.NAME` or `Bun.env.NAME`. */
export function envVariableName(node: TSESTree.MemberExpression): string | undefined {
  if (!isEnvObject(node.object)) return undefined;
  return propertyName(node.property, node.computed);
}

/** The variable name of `Deno.env.get('NAME')`. */
export function denoEnvName(node: TSESTree.CallExpression): string | undefined {
  const callee = node.callee;
  if (callee.type !== 'MemberExpression' || propertyName(callee.property, callee.computed) !== 'get') return undefined;
  const env = callee.object;
  if (env.type !== 'MemberExpression' || propertyName(env.property, env.computed) !== 'env') return undefined;
  if (env.object.type !== 'Identifier' || env.object.name !== 'Deno') return undefined;
  const first = node.arguments[0];
  return first?.type === 'Literal' && typeof first.value === 'string' ? first.value : undefined;
}

/**
 * The expression only asks whether the key is set — `Boolean(key)`, `!key`, `typeof key`, `key === undefined`,
 * `if (key)`, `key ? … : …` — so its value does not carry the key anywhere.
 */
export function isPresenceCheck(node: TSESTree.Node): boolean {
  let current = node;
  while (
    current.parent &&
    (current.parent.type === 'ChainExpression' ||
      current.parent.type === 'TSNonNullExpression' ||
      current.parent.type === 'TSAsExpression')
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'CallExpression':
      return parent.callee.type === 'Identifier' && parent.callee.name === 'Boolean' && parent.arguments[0] === current;
    case 'UnaryExpression':
      return parent.operator === '!' || parent.operator === 'typeof';
    case 'BinaryExpression': {
      if (!['===', '!==', '==', '!='].includes(parent.operator)) return false;
      const other = parent.left === current ? parent.right : parent.left;
      return (
        (other.type === 'Identifier' && other.name === 'undefined') ||
        (other.type === 'Literal' && (other.value === null || other.value === ''))
      );
    }
    case 'IfStatement':
    case 'ConditionalExpression':
    case 'WhileStatement':
      return parent.test === current;
    case 'LogicalExpression':
      // `key && start()`: the key only decides; `a || key` passes it on (handled by the caller)
      return parent.operator === '&&' && parent.left === current;
    default:
      return false;
  }
}

/** Strips the wrappers that do not change a value: TS casts, non-null assertions, parentheses, `?.`. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'ChainExpression':
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}
