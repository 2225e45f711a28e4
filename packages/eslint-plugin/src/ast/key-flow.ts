import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { findVariable } from './scope.js';
import { cloudKeysIn, isCommunityKeyValue } from '../keys.js';
import { denoEnvName, envVariableName, isEnvObject, isFlagName, isKeyName, propertyName, unwrap } from './names.js';

/** How far `const a = b; const b = process.env…` chains are followed. */
const MAX_DEPTH = 3;
/** Calls whose result still is the key, spelled differently. */
const PASS_THROUGH_FUNCTIONS = new Set(['String', 'encodeURIComponent', 'encodeURI', 'btoa', 'unescape', 'escape']);
const PASS_THROUGH_METHODS = new Set([
  'toString',
  'trim',
  'trimStart',
  'trimEnd',
  'concat',
  'stringify',
  'from',
  'padStart',
  'padEnd',
]);

/**
 * What makes an expression's value contain the key, said in words for a message (never the key itself):
 * `process.env.STATALOG_API_KEY`, `statalogApiKey`, `headers (from process.env.STATALOG_API_KEY)`,
 * `the key st_a3f8…f6a8`. Follows only value-preserving shapes — concatenation, templates, `||`/`??`, object
 * and array literals, `String(x)`, `const` initialisers — so `key.length`, `!!key` and `mask(key)` are not it.
 */
export function keyCarrier(
  node: TSESTree.Node,
  sourceCode: Readonly<TSESLint.SourceCode>,
  envVarNames: ReadonlySet<string>,
  depth = 0,
): string | undefined {
  const visit = (n: TSESTree.Node | null | undefined): string | undefined =>
    n ? keyCarrier(n, sourceCode, envVarNames, depth) : undefined;
  const value = unwrap(node);
  switch (value.type) {
    case 'Literal': {
      const hit = typeof value.value === 'string' ? cloudKeysIn(value.value)[0] : undefined;
      return hit ? `the key ${hit.masked}` : undefined;
    }
    case 'TemplateLiteral': {
      for (const quasi of value.quasis) {
        const hit = cloudKeysIn(quasi.value.cooked ?? quasi.value.raw)[0];
        if (hit) return `the key ${hit.masked}`;
      }
      return firstOf(value.expressions, visit);
    }
    case 'BinaryExpression':
      return value.operator === '+' ? (visit(value.left) ?? visit(value.right)) : undefined;
    case 'LogicalExpression':
      return value.operator === '&&' ? visit(value.right) : (visit(value.left) ?? visit(value.right));
    case 'ConditionalExpression':
      return visit(value.consequent) ?? visit(value.alternate);
    case 'ObjectExpression':
      return firstOf(value.properties, (p) => (p.type === 'Property' ? visit(p.value) : visit(p.argument)));
    case 'ArrayExpression':
      return firstOf(value.elements, visit);
    case 'SpreadElement':
    case 'AwaitExpression':
      return visit(value.argument);
    case 'CallExpression': {
      const deno = denoEnvName(value);
      if (deno !== undefined) return isKeyName(deno, envVarNames) ? sourceCode.getText(value) : undefined;
      return passThroughArgument(value)
        .map(visit)
        .find((w) => w !== undefined);
    }
    case 'MemberExpression': {
      const name = envVariableName(value) ?? propertyName(value.property, value.computed);
      return name !== undefined && isKeyName(name, envVarNames) && !isFlagName(name)
        ? sourceCode.getText(value)
        : undefined;
    }
    case 'Identifier': {
      const variable = findVariable(sourceCode.getScope(value), value);
      const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      // `const hasStatalogKey = Boolean(process.env.STATALOG_API_KEY)`: the value says what it is, not the name
      if (def?.type === 'Variable' && def.node.init && holdsNoString(def.node.init)) return undefined;
      if (isKeyName(value.name, envVarNames) && !isFlagName(value.name)) return value.name;
      return depth < MAX_DEPTH ? fromInitialiser(value, sourceCode, envVarNames, depth) : undefined;
    }
    default:
      return undefined;
  }
}

/** Expressions whose value is a boolean, a number, a type name or a string that is no key: never the key itself. */
function holdsNoString(init: TSESTree.Node): boolean {
  const value = unwrap(init);
  switch (value.type) {
    case 'UnaryExpression':
      return true; // !x, typeof x, -x, void x
    case 'BinaryExpression':
      return value.operator !== '+';
    case 'CallExpression':
      return value.callee.type === 'Identifier' && (value.callee.name === 'Boolean' || value.callee.name === 'Number');
    case 'Literal':
      // a storage-key name such as statalog_consent_v1 under a key-like name is a name, not the key (a key
      // literal is still the key)
      return (
        typeof value.value !== 'string' || (cloudKeysIn(value.value).length === 0 && !isCommunityKeyValue(value.value))
      );
    case 'MemberExpression':
      return propertyName(value.property, value.computed) === 'length';
    default:
      return false;
  }
}

function firstOf<T>(items: readonly T[], visit: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const found = visit(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `String(x)`, `JSON.stringify(x)`, `x.trim()`: the expressions whose value the call passes on. */
function passThroughArgument(call: TSESTree.CallExpression): TSESTree.Node[] {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') return PASS_THROUGH_FUNCTIONS.has(callee.name) ? call.arguments.slice(0, 1) : [];
  if (callee.type !== 'MemberExpression') return [];
  const method = propertyName(callee.property, callee.computed);
  if (method === undefined || !PASS_THROUGH_METHODS.has(method)) return [];
  // JSON.stringify(x) and Buffer.from(x) pass their argument; x.trim() and x.concat(y) their receiver too
  if (method === 'stringify' || method === 'from') return call.arguments.slice(0, 1);
  return [callee.object, ...call.arguments];
}

/** `const key = process.env.STATALOG_API_KEY` and `const { STATALOG_API_KEY: key } = process.env`. */
function fromInitialiser(
  identifier: TSESTree.Identifier,
  sourceCode: Readonly<TSESLint.SourceCode>,
  envVarNames: ReadonlySet<string>,
  depth: number,
): string | undefined {
  const variable = findVariable(sourceCode.getScope(identifier), identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable' || !def.node.init) return undefined;
  const declarator = def.node;
  const init = declarator.init!;
  let source: string | undefined;
  if (declarator.id.type === 'Identifier') {
    source = keyCarrier(init, sourceCode, envVarNames, depth + 1);
  } else if (declarator.id.type === 'ObjectPattern' && isEnvObject(unwrap(init))) {
    const property = declarator.id.properties.find(
      (p) =>
        p.type === 'Property' &&
        (p.value === def.name || (p.value.type === 'AssignmentPattern' && p.value.left === def.name)),
    );
    const name = property?.type === 'Property' ? propertyName(property.key, property.computed) : undefined;
    if (name !== undefined && isKeyName(name, envVarNames)) source = `${sourceCode.getText(init)}.${name}`;
  }
  return source === undefined ? undefined : `${identifier.name} (from ${source})`;
}
