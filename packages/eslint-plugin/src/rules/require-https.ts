import { isSelfHostedHost, isStatalogCloudHost, parseUrl } from '@statalog/core';
import type { TSESTree } from '@typescript-eslint/utils';
import { allowedAt, createRule } from '../create-rule.js';
import { compose } from '../ast/compose.js';
import { concatTop, sourceOffset, textOf, type StringPiece } from '../ast/strings.js';
import { resolveSettings, SHARED_OPTION_SCHEMA, type SharedOptions } from '../plugin-settings.js';

type Options = [SharedOptions];
type MessageIds = 'plainHttp' | 'useHttps';

const HTTP = 'http://';
/** Loopback: a developer's own machine, where plain HTTP is normal and harmless. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Characters that end a URL inside a string. */
const URL_END = /[\s"'`<>()\\]/;

export default createRule<Options, MessageIds>({
  name: 'require-https',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require https:// for URLs of the Statalog API (Statalog Cloud and configured self-hosted hosts).',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      plainHttp:
        'This URL calls the Statalog API at {{host}} over plain http://, which would carry the API key and the analytics unencrypted. The API refuses plain HTTP. Use https://.',
      useHttps: 'Use https:// instead of http://.',
    },
    schema: [{ type: 'object', properties: { ...SHARED_OPTION_SCHEMA }, additionalProperties: false }],
    defaultOptions: [{}],
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    if (!sourceCode.text.includes(HTTP)) return {};
    const hosts = resolveSettings(context, options).selfHostedHosts;
    const allowed = allowedAt(sourceCode);

    const statalogHost = (url: string): string | undefined => {
      const parsed = parseUrl(url);
      if (parsed.host === '' || LOOPBACK.has(parsed.host) || parsed.host.includes('$')) return undefined;
      return isStatalogCloudHost(parsed.host) || isSelfHostedHost(parsed, hosts) ? parsed.hostWithPort : undefined;
    };

    const check = (node: TSESTree.StringLiteral | TSESTree.TemplateLiteral, pieces: StringPiece[]): void => {
      // the host may come from a constant: 'http://' + STATALOG_HOST, `http://${HOST}/api/v1/stats`
      let composed: ReturnType<typeof compose> | undefined;
      for (const piece of pieces) {
        const value = textOf(piece);
        for (let at = value.indexOf(HTTP); at !== -1; at = value.indexOf(HTTP, at + HTTP.length)) {
          if (at > 0 && /[A-Za-z0-9+.-]/.test(value[at - 1]!)) continue; // xhttp://, git+http://
          let host = statalogHost(urlFrom(value, at));
          if (host === undefined && endsUrlEarly(value, at)) {
            composed ??= compose(concatTop(node), sourceCode);
            const offset = composed.offsets.get(piece);
            if (offset !== undefined) host = statalogHost(urlFrom(composed.text, offset + at));
          }
          if (host === undefined) continue;
          const source = sourceOffset(piece, at);
          if (allowed(source ?? node.range[0])) continue;
          const loc =
            source === undefined
              ? node.loc
              : { start: sourceCode.getLocFromIndex(source), end: sourceCode.getLocFromIndex(source + HTTP.length) };
          context.report({
            node,
            loc,
            messageId: 'plainHttp',
            data: { host },
            suggest:
              source === undefined || node.parent.type === 'TaggedTemplateExpression'
                ? []
                : [
                    {
                      messageId: 'useHttps',
                      fix: (fixer) => fixer.replaceTextRange([source, source + HTTP.length], 'https://'),
                    },
                  ],
          });
        }
      }
    };

    return {
      Literal(node) {
        if (typeof node.value === 'string' && node.value.includes(HTTP)) check(node, [node]);
      },
      TemplateLiteral(node) {
        if (node.quasis.some((q) => textOf(q).includes(HTTP))) check(node, node.quasis);
      },
    };
  },
});

function urlFrom(text: string, at: number): string {
  const rest = text.slice(at);
  const end = rest.search(URL_END);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The host runs to the end of this piece, so an expression after it may continue it: `'http://' + host`. */
function endsUrlEarly(value: string, at: number): boolean {
  const rest = value.slice(at + HTTP.length);
  return /^[^\s"'`<>()\\/?#]*$/.test(rest);
}
