import { findUrlKeys, URL_KEY_PARAM } from '@statalog/core';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { allowedAt, createRule } from '../create-rule.js';
import { compose, constInit } from '../ast/compose.js';
import { propertyName, unwrap } from '../ast/names.js';
import {
  embeddingUrl,
  initNames,
  isBody,
  isUrlSearchParams,
  objectKeys,
  requestOptionsUrl,
  usesOf,
} from '../ast/query-params.js';
import { concatTop, sourceOffset, textOf, type StringPiece } from '../ast/strings.js';
import { bearerFixForOptions, bearerFixForUrl } from '../bearer-fix.js';
import { resolveSettings, SHARED_OPTION_SCHEMA, type SharedOptions } from '../plugin-settings.js';
import { isStatalogTarget } from '../url-target.js';
import { withTemplates, type MarkupText } from '../templates.js';

export interface NoKeyInUrlOptions extends SharedOptions {
  /** Request-option properties whose object becomes the query string (`params` for axios, `searchParams` for ky). */
  queryOptionNames?: string[];
}

type Options = [NoKeyInUrlOptions];
type MessageIds = 'keyInUrl' | 'useBearer';

const KEY_ASSIGN = `${URL_KEY_PARAM}=`;

export default createRule<Options, MessageIds>({
  name: 'no-key-in-url',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow sending the Statalog API key as the api_key= query parameter; use the Authorization: Bearer header.',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      keyInUrl:
        'The Statalog API key is sent as the api_key= query parameter: URLs are kept in access logs, proxy logs and browser history, so the key leaks with them. Send it in the Authorization: Bearer header instead.',
      useBearer: 'Send the key in an Authorization: Bearer header instead of the URL.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          ...SHARED_OPTION_SCHEMA,
          queryOptionNames: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Request-option properties whose object is sent as the query string. Default params (axios), searchParams (ky, got), query (ofetch, $fetch).',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ queryOptionNames: ['params', 'searchParams', 'query'] }],
  },
  create(context, [options]) {
    if (!context.sourceCode.text.includes(URL_KEY_PARAM)) return {};
    const check = urlCheck(context, options);
    const setCalls = searchParamsSetCalls(check);
    const script: TSESLint.RuleListener = {
      Literal(node) {
        if (typeof node.value !== 'string') return;
        if (node.value.includes(KEY_ASSIGN)) checkUrlText(check, node);
        else if (node.value === URL_KEY_PARAM) checkPairElement(check, node);
      },
      TemplateLiteral(node) {
        if (node.quasis.some((q) => (q.value.cooked ?? q.value.raw).includes(KEY_ASSIGN))) checkUrlText(check, node);
      },
      Property(node) {
        if (node.parent.type === 'ObjectExpression' && propertyName(node.key, node.computed) === URL_KEY_PARAM) {
          checkParamsObject(check, node);
        }
      },
      CallExpression: setCalls.CallExpression,
      'Program:exit': setCalls['Program:exit'],
    };
    return withTemplates(context, script, {
      markup: (piece) => checkMarkup(check, piece),
      templateScript: { Literal: script.Literal!, TemplateLiteral: script.TemplateLiteral! },
    });
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

/** What every check of one file needs: the file, the resolved options, and the one way to report. */
interface UrlCheck {
  context: Context;
  sourceCode: Context['sourceCode'];
  hosts: readonly string[];
  queryOptionNames: ReadonlySet<string>;
  allowed: (index: number) => boolean;
  report(node: TSESTree.Node, loc: TSESTree.SourceLocation, index: number, fix?: TSESLint.ReportFixFunction): void;
}

function urlCheck(context: Context, options: NoKeyInUrlOptions): UrlCheck {
  const sourceCode = context.sourceCode;
  const allowed = allowedAt(sourceCode);
  return {
    context,
    sourceCode,
    hosts: resolveSettings(context, options).selfHostedHosts,
    queryOptionNames: new Set(options.queryOptionNames ?? []),
    allowed,
    report(node, loc, index, fix) {
      if (allowed(index)) return;
      context.report({ node, loc, messageId: 'keyInUrl', suggest: fix ? [{ messageId: 'useBearer', fix }] : [] });
    },
  };
}

/** A string literal or template holding `api_key=`: spell out its whole `+` chain and ask the core. */
function checkUrlText(check: UrlCheck, node: TSESTree.StringLiteral | TSESTree.TemplateLiteral): void {
  const { sourceCode } = check;
  const top = concatTop(node);
  const composed = compose(top, sourceCode);
  const pieces: StringPiece[] = node.type === 'Literal' ? [node] : node.quasis;
  for (const hit of findUrlKeys(composed.text, check.hosts)) {
    const at = hit.start - KEY_ASSIGN.length;
    for (const piece of pieces) {
      const start = composed.offsets.get(piece);
      const length = textOf(piece).length;
      if (start === undefined || at < start || at >= start + length) continue;
      const source = sourceOffset(piece, at - start);
      const loc =
        source === undefined
          ? node.loc
          : { start: sourceCode.getLocFromIndex(source), end: sourceCode.getLocFromIndex(source + KEY_ASSIGN.length) };
      check.report(node, loc, source ?? node.range[0], bearerFixForUrl(sourceCode, top, node, piece));
    }
  }
}

/** `{ api_key: … }` in an object that becomes a query string. */
function checkParamsObject(check: UrlCheck, property: TSESTree.Property): void {
  const { sourceCode } = check;
  const object = property.parent as TSESTree.ObjectExpression;
  const names = objectKeys(object);
  for (const use of usesOf(object, sourceCode)) {
    const parent = use.parent;
    if (!parent) continue;
    let url: string | undefined;
    let fix: TSESLint.ReportFixFunction | undefined;
    if (isUrlSearchParams(parent) && parent.arguments[0] === use) {
      if (isBody(parent, sourceCode)) continue;
      url = embeddingUrl(parent, sourceCode);
    } else if (isQueryOption(check, parent, use)) {
      const requestOptions = parent.parent;
      if (requestOptions.type !== 'ObjectExpression') continue;
      url = requestOptionsUrl(requestOptions, sourceCode);
      if (use === object) fix = bearerFixForOptions(sourceCode, requestOptions, parent, property);
    } else {
      continue;
    }
    if (isStatalogTarget(url, names, check.hosts)) {
      check.report(property, property.loc, property.range[0], fix);
      return;
    }
  }
}

/** `{ params: use }`: a request option whose object is sent as the query string. */
function isQueryOption(check: UrlCheck, parent: TSESTree.Node, use: TSESTree.Node): parent is TSESTree.Property {
  return (
    parent.type === 'Property' &&
    parent.value === use &&
    check.queryOptionNames.has(propertyName(parent.key, parent.computed) ?? '')
  );
}

/** `new URLSearchParams([['api_key', key], ['site_id', id]])`. */
function checkPairElement(check: UrlCheck, node: TSESTree.StringLiteral): void {
  const { sourceCode } = check;
  const pair = node.parent;
  if (pair.type !== 'ArrayExpression' || pair.elements[0] !== node) return;
  const list = pair.parent;
  if (list.type !== 'ArrayExpression' || !isUrlSearchParams(list.parent) || isBody(list.parent, sourceCode)) return;
  if (isStatalogTarget(embeddingUrl(list.parent, sourceCode), initNames(list), check.hosts)) {
    check.report(pair, pair.loc, pair.range[0]);
  }
}

/**
 * `url.searchParams.set('api_key', key)` (or `append`, or on a `URLSearchParams` binding): judged at Program:exit,
 * with every parameter name set on the same receiver (`site_id` next to `api_key` marks a Statalog call).
 */
function searchParamsSetCalls(
  check: UrlCheck,
): Required<Pick<TSESLint.RuleListener, 'CallExpression' | 'Program:exit'>> {
  const { sourceCode } = check;
  /** `receiver text → parameter names set on it`. */
  const namesSetOn = new Map<string, Set<string>>();
  const setCalls: Array<{ call: TSESTree.CallExpression; receiver: TSESTree.Node }> = [];
  return {
    CallExpression(node) {
      const callee = node.callee;
      if (callee.type !== 'MemberExpression') return;
      const method = propertyName(callee.property, callee.computed);
      if (method !== 'set' && method !== 'append') return;
      const first = node.arguments[0];
      if (first?.type !== 'Literal' || typeof first.value !== 'string') return;
      const receiver = sourceCode.getText(callee.object);
      let names = namesSetOn.get(receiver);
      if (!names) namesSetOn.set(receiver, (names = new Set()));
      names.add(first.value);
      if (first.value === URL_KEY_PARAM) setCalls.push({ call: node, receiver: callee.object });
    },
    'Program:exit'() {
      for (const { call, receiver } of setCalls) {
        const names = new Set(namesSetOn.get(sourceCode.getText(receiver)));
        const target = unwrap(receiver);
        let url: string | undefined;
        if (target.type === 'MemberExpression' && propertyName(target.property, target.computed) === 'searchParams') {
          url = compose(target.object, sourceCode).text;
        } else if (target.type === 'Identifier') {
          const init = constInit(target, sourceCode);
          if (init && isUrlSearchParams(init) && isBody(init, sourceCode)) continue;
          if (init && isUrlSearchParams(init) && init.arguments[0]) {
            for (const name of initNames(init.arguments[0])) names.add(name);
          }
        }
        if (isStatalogTarget(url, names, check.hosts)) check.report(call, call.loc, call.range[0]);
      }
    },
  };
}

/** `<img src="https://app.statalog.com/api/v1/stats?…&api_key=…">` in Vue or Svelte markup. */
function checkMarkup(check: UrlCheck, piece: MarkupText): void {
  if (piece.kind !== 'attribute' || !piece.value.includes(KEY_ASSIGN)) return;
  const { sourceCode } = check;
  for (const hit of findUrlKeys(piece.value, check.hosts)) {
    const at = piece.start === undefined ? undefined : piece.start + hit.start - KEY_ASSIGN.length;
    if (check.allowed(at ?? piece.range[0])) continue;
    const loc =
      at === undefined
        ? piece.loc
        : { start: sourceCode.getLocFromIndex(at), end: sourceCode.getLocFromIndex(at + KEY_ASSIGN.length) };
    check.context.report({ loc, messageId: 'keyInUrl', suggest: [] });
  }
}
