import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { compose } from './compose.js';
import { propertyName, unwrap } from './names.js';
import { optionsUrlText, requestUrlText } from './requests.js';
import { concatTop } from './strings.js';

/**
 * Query parameters written as data rather than as URL text — `new URLSearchParams(…)`, request options such as
 * `{ params: { … } }` — and the URL they end up on, as far as the code says.
 */

/** Properties that send a URLSearchParams as a request body, not as a URL. */
const BODY_NAMES = new Set(['body', 'data', 'form', 'json']);
/** Calls that send one of their arguments as the request body: `xhr.send(b)`, `sendBeacon(url, b)`, `axios.post(url, b)`. */
const BODY_ARGUMENT: ReadonlyMap<string, number> = new Map([
  ['send', 0],
  ['sendBeacon', 1],
  ['post', 1],
  ['put', 1],
  ['patch', 1],
]);
/** Methods that fill a URLSearchParams without deciding where it goes. */
const FILL_METHODS = new Set(['set', 'append', 'delete', 'sort']);

export function isUrlSearchParams(node: TSESTree.Node): node is TSESTree.NewExpression {
  return node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'URLSearchParams';
}

/**
 * The URLSearchParams is a form body (`{ body: new URLSearchParams(…) }`), or is kept in a `const` whose every
 * use sends it as a body (`const form = new URLSearchParams(…); fetch(url, { method: 'POST', body: form })`).
 * A body is not a URL: it is not logged by proxies, and Statalog does not read a key from it.
 */
export function isBody(newExpression: TSESTree.NewExpression, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  if (isBodyPosition(newExpression)) return true;
  const declarator = newExpression.parent;
  if (
    declarator.type !== 'VariableDeclarator' ||
    declarator.init !== newExpression ||
    declarator.id.type !== 'Identifier'
  )
    return false;
  const variable = sourceCode.getDeclaredVariables(declarator)[0];
  const uses = (variable?.references ?? [])
    .filter((reference) => reference.isRead())
    .map((reference) => reference.identifier as TSESTree.Node)
    .filter((identifier) => !isFill(identifier));
  return uses.length > 0 && uses.every(isBodyPosition);
}

/** `params.set('a', b)`: filling the object in place. */
function isFill(identifier: TSESTree.Node): boolean {
  const member = identifier.parent;
  return (
    member?.type === 'MemberExpression' &&
    member.object === identifier &&
    FILL_METHODS.has(propertyName(member.property, member.computed) ?? '') &&
    member.parent.type === 'CallExpression'
  );
}

function isBodyPosition(node: TSESTree.Node): boolean {
  let value = node;
  const member = value.parent;
  // `params.toString()` is the same text
  if (
    member?.type === 'MemberExpression' &&
    member.object === value &&
    propertyName(member.property, member.computed) === 'toString' &&
    member.parent.type === 'CallExpression'
  ) {
    value = member.parent;
  }
  const parent = value.parent;
  if (parent?.type === 'Property' && parent.value === value)
    return BODY_NAMES.has(propertyName(parent.key, parent.computed) ?? '');
  if (parent?.type === 'CallExpression') {
    const callee = parent.callee;
    const name =
      callee.type === 'Identifier'
        ? callee.name
        : callee.type === 'MemberExpression'
          ? propertyName(callee.property, callee.computed)
          : undefined;
    const index = name === undefined ? undefined : BODY_ARGUMENT.get(name);
    return index !== undefined && parent.arguments[index] === value;
  }
  return false;
}

export function objectKeys(object: TSESTree.ObjectExpression): Set<string> {
  const names = new Set<string>();
  for (const property of object.properties) {
    if (property.type !== 'Property') continue;
    const name = propertyName(property.key, property.computed);
    if (name !== undefined) names.add(name);
  }
  return names;
}

/** Parameter names of a URLSearchParams initialiser: an object literal or a list of pairs. */
export function initNames(init: TSESTree.Node): Set<string> {
  const value = unwrap(init);
  if (value.type === 'ObjectExpression') return objectKeys(value);
  const names = new Set<string>();
  if (value.type === 'ArrayExpression') {
    for (const pair of value.elements) {
      const first = pair?.type === 'ArrayExpression' ? pair.elements[0] : undefined;
      if (first?.type === 'Literal' && typeof first.value === 'string') names.add(first.value);
    }
  }
  return names;
}

/** The object literal itself, and each read of the `const` it initialises (`const params = {…}`). */
export function usesOf(object: TSESTree.ObjectExpression, sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.Node[] {
  const uses: TSESTree.Node[] = [object];
  const declarator = object.parent;
  if (declarator.type === 'VariableDeclarator' && declarator.init === object && declarator.id.type === 'Identifier') {
    const variable = sourceCode.getDeclaredVariables(declarator)[0];
    for (const reference of variable?.references ?? []) {
      if (reference.isRead()) uses.push(reference.identifier);
    }
  }
  return uses;
}

/** The URL of a request whose options hold the query object: the call's first argument, or `baseURL` + `url`. */
export function requestOptionsUrl(
  requestOptions: TSESTree.ObjectExpression,
  sourceCode: Readonly<TSESLint.SourceCode>,
): string | undefined {
  const call = requestOptions.parent;
  if ((call.type === 'CallExpression' || call.type === 'NewExpression') && call.arguments.includes(requestOptions)) {
    const first = call.arguments[0];
    if (first && first !== requestOptions) return requestUrlText(first, sourceCode);
  }
  return optionsUrlText(requestOptions, sourceCode);
}

/** `` `https://app.statalog.com/api/v1/stats?${new URLSearchParams(…)}` ``: the URL the parameters are pasted into. */
export function embeddingUrl(
  newExpression: TSESTree.NewExpression,
  sourceCode: Readonly<TSESLint.SourceCode>,
): string | undefined {
  let node: TSESTree.Node = newExpression;
  const member = node.parent;
  if (
    member.type === 'MemberExpression' &&
    propertyName(member.property, member.computed) === 'toString' &&
    member.parent.type === 'CallExpression'
  ) {
    node = member.parent;
  }
  const parent = node.parent;
  if (parent.type === 'TemplateLiteral' || (parent.type === 'BinaryExpression' && parent.operator === '+')) {
    return compose(concatTop(parent), sourceCode).text;
  }
  return undefined;
}
