import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { compose } from './compose.js';
import { propertyName, unwrap } from './names.js';

/**
 * Request calls and where their URL is. Covers fetch and the clients that copy its shape (ky, ofetch, $fetch,
 * useFetch), axios and got style `client.get(url)`, XMLHttpRequest `open(method, url)`, `navigator.sendBeacon`,
 * `new Request`, `new EventSource`, `new WebSocket`, and `axios({ url, baseURL })`-style option objects.
 */
const URL_FIRST = new Set([
  'fetch',
  '$fetch',
  'ofetch',
  'ky',
  'axios',
  'got',
  'request',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'head',
  'options',
  'sendBeacon',
  'useFetch',
  'useLazyFetch',
  'useSWR',
  'getJSON',
  'ajax',
]);
const URL_FIRST_NEW = new Set(['Request', 'EventSource', 'WebSocket']);
/** Calls whose single options object may carry the URL (`axios({ url })`, `axios.create({ baseURL })`). */
const OPTION_BASE_KEYS = ['baseURL', 'baseUrl', 'prefixUrl'];
/** fetch-shaped calls: `(url, { headers })`, where a Bearer header can be added to the second argument. */
const FETCH_SHAPED = new Set(['fetch', '$fetch', 'ofetch', 'ky', 'get', 'delete', 'head', 'useFetch', 'useLazyFetch']);

function calleeName(node: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = unwrap(node.callee);
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') return propertyName(callee.property, callee.computed);
  return undefined;
}

/** The argument of a request call that holds its URL, or undefined when the call is not a request. */
export function requestUrlArgument(node: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.Node | undefined {
  const name = calleeName(node);
  if (name === undefined) return undefined;
  if (node.type === 'NewExpression') return URL_FIRST_NEW.has(name) ? node.arguments[0] : undefined;
  if (name === 'open') return isXhrOpen(node) ? node.arguments[1] : undefined;
  if (name === 'create' && node.callee.type === 'MemberExpression') return node.arguments[0]; // axios.create / ky.create
  return URL_FIRST.has(name) ? node.arguments[0] : undefined;
}

/** `xhr.open('GET', url)`: a method name first, so `window.open(url)` is not mistaken for a request. */
function isXhrOpen(node: TSESTree.CallExpression): boolean {
  const method = node.arguments[0];
  return (
    method?.type === 'Literal' &&
    typeof method.value === 'string' &&
    /^[A-Za-z]+$/.test(method.value) &&
    node.arguments.length >= 2
  );
}

/** True for `fetch(url, init)`-shaped calls, whose second argument takes `headers`. */
export function isFetchShaped(node: TSESTree.CallExpression): boolean {
  const name = calleeName(node);
  if (name === undefined || !FETCH_SHAPED.has(name) || node.arguments.length > 2) return false;
  // jQuery's $.get(url, data) takes query data second, not request options
  const callee = unwrap(node.callee);
  return !(callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && JQUERY.has(callee.object.name));
}

const JQUERY = new Set(['$', 'jQuery']);

/** The URL a request goes to, spelled out; for an options object, its base URL + `url`. */
export function requestUrlText(argument: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const value = unwrap(argument);
  if (value.type === 'ObjectExpression') return optionsUrlText(value, sourceCode) ?? '';
  return compose(value, sourceCode).text;
}

/** `{ baseURL: 'https://…', url: '/api/v1/stats' }` → `https://…/api/v1/stats`; undefined without either. */
export function optionsUrlText(
  options: TSESTree.ObjectExpression,
  sourceCode: Readonly<TSESLint.SourceCode>,
): string | undefined {
  let base: string | undefined;
  let url: string | undefined;
  for (const property of options.properties) {
    if (property.type !== 'Property') continue;
    const name = propertyName(property.key, property.computed);
    if (name !== undefined && OPTION_BASE_KEYS.includes(name)) base = compose(property.value, sourceCode).text;
    else if (name === 'url') url = compose(property.value, sourceCode).text;
  }
  if (base === undefined) return url;
  if (url === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url ?? base;
  return `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** The property `name` of an object literal. */
export function findProperty(object: TSESTree.ObjectExpression, name: string): TSESTree.Property | undefined {
  for (const property of object.properties) {
    if (property.type === 'Property' && propertyName(property.key, property.computed) === name) return property;
  }
  return undefined;
}
