import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { unwrap } from './ast/names.js';
import { findProperty, isFetchShaped } from './ast/requests.js';
import type { StringPiece } from './ast/strings.js';

/**
 * Suggestions that move the key from the URL into an `Authorization: Bearer` header, for the shapes where the
 * edit is mechanical: `fetch(\`…&api_key=${key}\`)`, `fetch(url + '&api_key=' + key)` and request options
 * `{ params: { api_key } }`. Everything else gets the message alone.
 */

type Fixer = TSESLint.RuleFixer;
type Fix = TSESLint.RuleFix;

const PARAM = 'api_key=';

function bearer(keyText: string): string {
  return `Authorization: \`Bearer \${${keyText}}\``;
}

/** `{ params: { api_key: key, site_id } }` → `{ params: { site_id }, headers: { Authorization: … } }`. */
export function bearerFixForOptions(
  sourceCode: Readonly<TSESLint.SourceCode>,
  requestOptions: TSESTree.ObjectExpression,
  queryProperty: TSESTree.Property,
  keyProperty: TSESTree.Property,
): TSESLint.ReportFixFunction | undefined {
  const header = addHeader(requestOptions, sourceCode.getText(keyProperty.value), (fixer, text) =>
    fixer.insertTextAfter(queryProperty, `, headers: { ${text} }`),
  );
  if (!header) return undefined;
  const query = keyProperty.parent as TSESTree.ObjectExpression;
  return (fixer) => [removeProperty(fixer, query, keyProperty), header(fixer)];
}

/**
 * `fetch(url-with-api_key)`: drops `api_key=<key>` from the URL and passes the key as a header in the
 * second argument. `top` is the URL argument, `node` the literal or template holding `api_key=`.
 */
export function bearerFixForUrl(
  sourceCode: Readonly<TSESLint.SourceCode>,
  top: TSESTree.Node,
  node: TSESTree.StringLiteral | TSESTree.TemplateLiteral,
  piece: StringPiece,
): TSESLint.ReportFixFunction | undefined {
  const call = top.parent;
  if (call?.type !== 'CallExpression' || call.arguments[0] !== top || !isFetchShaped(call)) return undefined;
  const edit =
    node.type === 'TemplateLiteral' && top === node
      ? templateEdit(sourceCode, node, piece)
      : concatEdit(sourceCode, top, node);
  if (!edit) return undefined;
  const init = call.arguments[1];
  let header: ((fixer: Fixer) => Fix) | undefined;
  if (!init) {
    header = (fixer) => fixer.insertTextAfter(top, `, { headers: { ${bearer(edit.keyText)} } }`);
  } else if (unwrap(init).type === 'ObjectExpression') {
    const options = unwrap(init) as TSESTree.ObjectExpression;
    header = addHeader(options, edit.keyText, (fixer, text) =>
      insertFirstProperty(fixer, options, `headers: { ${text} }`),
    );
  }
  if (!header) return undefined;
  const addHeaderFix = header;
  return (fixer) => [edit.fix(fixer), addHeaderFix(fixer)];
}

interface UrlEdit {
  keyText: string;
  fix: (fixer: Fixer) => Fix;
}

/** `` `…?site_id=${id}&api_key=${key}` `` → `` `…?site_id=${id}` ``. */
function templateEdit(
  sourceCode: Readonly<TSESLint.SourceCode>,
  template: TSESTree.TemplateLiteral,
  piece: StringPiece,
): UrlEdit | undefined {
  if (piece.type !== 'TemplateElement' || template.parent.type === 'TaggedTemplateExpression') return undefined;
  const i = template.quasis.indexOf(piece);
  const expression = template.expressions[i];
  const next = template.quasis[i + 1];
  const cooked = piece.value.cooked;
  if (
    !expression ||
    !next ||
    cooked !== piece.value.raw ||
    next.value.cooked !== next.value.raw ||
    !cooked.endsWith(PARAM)
  )
    return undefined;
  const separator = cooked[cooked.length - PARAM.length - 1];
  const rest = next.value.raw;
  if ((separator !== '?' && separator !== '&') || !(rest === '' || rest.startsWith('&') || rest.startsWith('#')))
    return undefined;
  const paramStart = piece.range[0] + 1 + cooked.length - PARAM.length;
  const afterExpression = next.range[0] + 1; // after the `}` closing the expression
  const range: [number, number] =
    separator === '?' && rest.startsWith('&') ? [paramStart, afterExpression + 1] : [paramStart - 1, afterExpression];
  return { keyText: sourceCode.getText(expression), fix: (fixer) => fixer.removeRange(range) };
}

/** `base + '&api_key=' + key` → `base`; `'https://…?site_id=1&api_key=' + key` → `'https://…?site_id=1'`. */
function concatEdit(
  sourceCode: Readonly<TSESLint.SourceCode>,
  top: TSESTree.Node,
  literal: TSESTree.StringLiteral | TSESTree.TemplateLiteral,
): UrlEdit | undefined {
  if (top.type !== 'BinaryExpression' || literal.type !== 'Literal' || literal.raw.slice(1, -1) !== literal.value)
    return undefined;
  const value = literal.value;
  if (!value.endsWith(PARAM)) return undefined;
  const separator = value[value.length - PARAM.length - 1];
  if (separator !== '?' && separator !== '&') return undefined;
  const before = top.left;
  let prefix: string | undefined;
  if (before === literal) prefix = '';
  else if (before.type === 'BinaryExpression' && before.operator === '+' && before.right === literal)
    prefix = sourceCode.getText(before.left);
  else return undefined;
  // the key is the chain's last operand, so nothing follows it: drop its separator too
  const remainder = value.slice(0, value.length - PARAM.length - 1);
  const quote = literal.raw[0]!;
  const rebuilt =
    remainder === ''
      ? prefix
      : prefix === ''
        ? `${quote}${remainder}${quote}`
        : `${prefix} + ${quote}${remainder}${quote}`;
  if (rebuilt === '') return undefined;
  return { keyText: sourceCode.getText(top.right), fix: (fixer) => fixer.replaceText(top, rebuilt) };
}

/**
 * Adds `Authorization: Bearer …` to `options.headers` (an object literal without its own Authorization), as its
 * last property so a spread before it (`{ ...base, … }`) cannot override it; or creates `headers` with `create`
 * when there is none. Undefined when the header might not end up in the request: headers is not an object
 * literal, or a spread in the options (`{ headers, ...opts }`) may replace the headers wholesale.
 */
function addHeader(
  options: TSESTree.ObjectExpression,
  keyText: string,
  create: (fixer: Fixer, header: string) => Fix,
): ((fixer: Fixer) => Fix) | undefined {
  const text = bearer(keyText);
  if (options.properties.some((p) => p.type === 'SpreadElement')) return undefined;
  const headers = findProperty(options, 'headers');
  if (!headers) return (fixer) => create(fixer, text);
  const value = unwrap(headers.value);
  if (value.type !== 'ObjectExpression') return undefined;
  if (findProperty(value, 'Authorization') || findProperty(value, 'authorization')) return undefined;
  return (fixer) => insertLastProperty(fixer, value, text);
}

function insertFirstProperty(fixer: Fixer, object: TSESTree.ObjectExpression, text: string): Fix {
  const first = object.properties[0];
  return first ? fixer.insertTextBefore(first, `${text}, `) : fixer.replaceText(object, `{ ${text} }`);
}

function insertLastProperty(fixer: Fixer, object: TSESTree.ObjectExpression, text: string): Fix {
  const last = object.properties[object.properties.length - 1];
  return last ? fixer.insertTextAfter(last, `, ${text}`) : fixer.replaceText(object, `{ ${text} }`);
}

function removeProperty(fixer: Fixer, object: TSESTree.ObjectExpression, property: TSESTree.Property): Fix {
  const i = object.properties.indexOf(property as TSESTree.ObjectLiteralElement);
  const next = object.properties[i + 1];
  const previous = object.properties[i - 1];
  if (next) return fixer.removeRange([property.range[0], next.range[0]]);
  if (previous) return fixer.removeRange([previous.range[1], property.range[1]]);
  return fixer.replaceText(object, '{}');
}
