import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { allowedAt, createRule } from '../create-rule.js';
import { fileRole } from '../file-role.js';
import { hardcodedKeyListener } from '../hardcoded.js';
import { fileFacts, mayNameKey } from '../file-facts.js';
import { mergeListeners } from '../ast/listeners.js';
import { DEFAULT_PUBLIC_PREFIXES, envVariableName, isEnvObject, isKeyName, isPublicKeyName, propertyName, unwrap } from '../ast/names.js';
import { requestUrlArgument, requestUrlText } from '../ast/requests.js';
import { resolveShared, SHARED_OPTION_SCHEMA, type SharedOptions } from '../settings.js';
import { isDirectStatalogRequest } from '../url-target.js';

export interface NoClientSideKeyOptions extends SharedOptions {
  /** Prefixes that make a bundler copy an environment variable into browser code. */
  publicEnvPrefixes?: string[];
}

type Options = [NoClientSideKeyOptions];
type MessageIds = 'publicEnv' | 'keyInBrowser' | 'hardcodedInBrowser' | 'directRequest';

const SERVER_ROUTE =
  "Call your own server route (for example /api/stats) from the browser; it calls Statalog with the key from the server's environment.";

export default createRule<Options, MessageIds>({
  name: 'no-client-side-key',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow the Statalog API key in browser code: public env variables, key references, hardcoded keys and direct API calls.',
      recommended: true,
    },
    messages: {
      publicEnv:
        '{{name}} is a public environment variable: the bundler copies it into the JavaScript every visitor downloads, so anyone can read the Statalog API key from the page source. Keep the key in a server-only variable such as STATALOG_API_KEY. ' +
        SERVER_ROUTE,
      keyInBrowser:
        '{{name}} is read in browser code ({{reason}}): a key that reaches the browser can be read by anyone from the page source or the network panel. ' +
        SERVER_ROUTE,
      hardcodedInBrowser:
        'A Statalog API key ({{masked}}) is written in browser code ({{reason}}): anyone can read it from the page source or the network panel. Revoke it. ' +
        SERVER_ROUTE,
      directRequest:
        'Browser code ({{reason}}) calls the Statalog API directly: that needs the API key in the browser, where anyone can read it from the page source or the network panel. ' +
        SERVER_ROUTE,
    },
    schema: [
      {
        type: 'object',
        properties: {
          ...SHARED_OPTION_SCHEMA,
          publicEnvPrefixes: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: `Prefixes that make a bundler copy an environment variable into browser code. Default ${DEFAULT_PUBLIC_PREFIXES.join(', ')}.`,
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ publicEnvPrefixes: [...DEFAULT_PUBLIC_PREFIXES] }],
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const text = sourceCode.text;
    const shared = resolveShared(context, options);
    const prefixes = options.publicEnvPrefixes ?? DEFAULT_PUBLIC_PREFIXES;
    const namesKey = mayNameKey(sourceCode, shared.envVarNames);
    // browser code can also call a Statalog host or a self-hosted API without naming the key
    const mayCallApi = namesKey || shared.selfHostedHosts.length > 0 || text.includes('/api/v1');
    if (!namesKey && !mayCallApi && !fileFacts(sourceCode).cloudAnchor) return {};
    // only now the file's side: directives, then path patterns
    const role = fileRole(context, shared);
    const client = role.side === 'client' ? role : undefined;
    const allowed = allowedAt(sourceCode);

    const report = (node: TSESTree.Node, messageId: MessageIds, data: Record<string, string>): void => {
      if (!allowed(node.range[0])) context.report({ node, messageId, data });
    };

    /** `process.env.X`, `import.meta.env.X`, `{ X } = process.env`, `env.X` from `$env/dynamic/public`. */
    const checkEnvName = (node: TSESTree.Node, name: string): void => {
      if (isPublicKeyName(name, prefixes, shared.envVarNames)) report(node, 'publicEnv', { name });
      else if (client && isKeyName(name, shared.envVarNames)) report(node, 'keyInBrowser', { name, reason: client.reason });
    };

    const dynamicPublicEnv = new Set<string>();
    const envListener: TSESLint.RuleListener = namesKey
      ? {
          MemberExpression(node) {
            const name = envVariableName(node);
            if (name !== undefined) checkEnvName(node, name);
            else if (node.object.type === 'Identifier' && dynamicPublicEnv.has(node.object.name)) {
              const property = propertyName(node.property, node.computed);
              if (property !== undefined && isPublicKeyName(property, prefixes, shared.envVarNames)) report(node, 'publicEnv', { name: property });
            }
          },
          VariableDeclarator(node) {
            if (node.id.type !== 'ObjectPattern' || !node.init || !isEnvObject(unwrap(node.init))) return;
            for (const property of node.id.properties) {
              const name = property.type === 'Property' ? propertyName(property.key, property.computed) : undefined;
              if (name !== undefined) checkEnvName(property, name);
            }
          },
          ImportDeclaration(node) {
            const source = node.source.value;
            if (source === '$env/dynamic/public') {
              for (const specifier of node.specifiers) {
                if (specifier.type === 'ImportSpecifier' && propertyName(specifier.imported, false) === 'env') dynamicPublicEnv.add(specifier.local.name);
              }
            } else if (source === '$env/static/public') {
              for (const specifier of node.specifiers) {
                if (specifier.type !== 'ImportSpecifier') continue;
                const name = propertyName(specifier.imported, false);
                if (name !== undefined && isPublicKeyName(name, prefixes, shared.envVarNames)) report(specifier, 'publicEnv', { name });
              }
            }
          },
        }
      : {};

    if (!client) return envListener;

    const requestListener: TSESLint.RuleListener = mayCallApi
      ? {
          'CallExpression, NewExpression'(node: TSESTree.CallExpression | TSESTree.NewExpression) {
            const argument = requestUrlArgument(node);
            if (argument && isDirectStatalogRequest(requestUrlText(argument, sourceCode), shared.selfHostedHosts)) {
              report(node, 'directRequest', { reason: client.reason });
            }
          },
        }
      : {};

    const hardcoded = hardcodedKeyListener(context, shared, { comments: false }, (found) => {
      const node = found.kind === 'cloud' ? (found.node as TSESTree.Node) : found.value;
      const masked = found.kind === 'cloud' ? found.hit.masked : found.masked;
      context.report({ node, loc: found.kind === 'cloud' ? found.loc : node.loc, messageId: 'hardcodedInBrowser', data: { masked, reason: client.reason } });
    });

    return mergeListeners(envListener, requestListener, hardcoded);
  },
});
