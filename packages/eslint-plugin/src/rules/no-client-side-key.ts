import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { allowedAt, createRule } from '../create-rule.js';
import { clientWords, fileRole } from '../file-role.js';
import { fileFacts, mayNameKey } from '../file-facts.js';
import { flowListener, isBuildConfig } from '../flows.js';
import { keyReads, withTemplates } from '../templates.js';
import { mergeListeners } from '../ast/listeners.js';
import {
  DEFAULT_PUBLIC_PREFIXES,
  denoEnvName,
  envVariableName,
  isEnvObject,
  isFlagName,
  isKeyName,
  isPresenceCheck,
  isPublicKeyName,
  propertyName,
  unwrap,
} from '../ast/names.js';
import { requestUrlArgument, requestUrlText } from '../ast/requests.js';
import { resolveSettings, SHARED_OPTION_SCHEMA, type SharedOptions } from '../plugin-settings.js';
import { isDirectStatalogRequest } from '../url-target.js';

export interface NoClientSideKeyOptions extends SharedOptions {
  /** Prefixes that make a bundler copy an environment variable into browser code. */
  publicEnvPrefixes?: string[];
}

type Options = [NoClientSideKeyOptions];
type MessageIds = 'publicEnv' | 'keyInBrowser' | 'directRequest' | 'flowToClient' | 'exposingPrefix';

const SERVER_ROUTE =
  "Call your own server route (for example /api/stats) instead; it calls Statalog with the key from the server's environment.";

export default createRule<Options, MessageIds>({
  name: 'no-client-side-key',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow the Statalog API key in browser and mobile app code: public env variables, key reads and direct API calls.',
      recommended: true,
    },
    messages: {
      publicEnv:
        '{{name}} is a public environment variable: the bundler copies its value into the code every user downloads, where anyone can read the key. Keep the Statalog API key in a server-only variable such as STATALOG_API_KEY. ' +
        SERVER_ROUTE,
      keyInBrowser: '{{name}} is read in {{place}}: {{exposure}}. Why {{place}}: {{reason}}. ' + SERVER_ROUTE,
      flowToClient: '{{what}} reaches {{target}}, where anyone can read it. The way there: {{route}}. ' + SERVER_ROUTE,
      exposingPrefix:
        "The envPrefix '{{prefix}}' makes Vite copy {{name}} into the browser bundle, where anyone can read the Statalog API key. Keep the key out of every exposed prefix. " +
        SERVER_ROUTE,
      directRequest:
        'A direct call to the Statalog API from {{place}} needs the API key there, where {{exposure}}. Why {{place}}: {{reason}}. ' +
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
    const settings = resolveSettings(context, options);
    const prefixes = options.publicEnvPrefixes ?? DEFAULT_PUBLIC_PREFIXES;
    const namesKey = mayNameKey(sourceCode, settings.envVarNames);
    // browser code can also call a Statalog host or a self-hosted API without naming the key
    const mayCallApi =
      fileFacts(sourceCode).namesStatalog ||
      settings.selfHostedHosts.some((host) => text.includes(host.split(':')[0]!));
    const buildConfig = isBuildConfig(context.filename);
    if (!namesKey && !mayCallApi && !buildConfig) return {};
    // only now the file's side: directives, then path patterns, then the project's conventions
    const role = fileRole(context, settings);
    const client = role.side === 'client' ? clientWords(role) : undefined;
    const allowed = allowedAt(sourceCode);

    const report = (node: TSESTree.Node, messageId: MessageIds, data: Record<string, string>): void => {
      if (!allowed(node.range[0])) context.report({ node, messageId, data });
    };

    /** `process.env.X`, `import.meta.env.X`, `Bun.env.X`, `Deno.env.get('X')`, `{ X } = process.env`, `env.X` from `$env/dynamic/public`. */
    const checkEnvName = (node: TSESTree.Node, name: string): void => {
      if (isPublicKeyName(name, prefixes, settings.envVarNames)) report(node, 'publicEnv', { name });
      // `Boolean(process.env.STATALOG_API_KEY)`: whether the key is set is no secret
      else if (client && isKeyName(name, settings.envVarNames) && !isPresenceCheck(node))
        report(node, 'keyInBrowser', { name, ...client });
    };

    const dynamicPublicEnv = new Set<string>();
    const envListener: TSESLint.RuleListener = namesKey
      ? {
          MemberExpression(node) {
            const name = envVariableName(node);
            if (name !== undefined) checkEnvName(node, name);
            else if (node.object.type === 'Identifier' && dynamicPublicEnv.has(node.object.name)) {
              const property = propertyName(node.property, node.computed);
              if (property !== undefined && isPublicKeyName(property, prefixes, settings.envVarNames))
                report(node, 'publicEnv', { name: property });
            }
          },
          CallExpression(node) {
            const name = denoEnvName(node);
            if (name !== undefined) checkEnvName(node, name);
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
                if (specifier.type === 'ImportSpecifier' && propertyName(specifier.imported, false) === 'env')
                  dynamicPublicEnv.add(specifier.local.name);
              }
            } else if (source === '$env/static/public') {
              for (const specifier of node.specifiers) {
                if (specifier.type !== 'ImportSpecifier') continue;
                const name = propertyName(specifier.imported, false);
                if (name !== undefined && isPublicKeyName(name, prefixes, settings.envVarNames))
                  report(specifier, 'publicEnv', { name });
              }
            }
          },
        }
      : {};

    // routes into the browser opened in server code (build configs, page data, client-component props); in
    // browser code the key read itself is reported, once
    const flows =
      (namesKey || buildConfig) && !client
        ? flowListener(context, settings.envVarNames, (flow) => {
            if (flow.kind === 'prefix') report(flow.node, 'exposingPrefix', { prefix: flow.prefix, name: flow.name });
            else report(flow.node, 'flowToClient', { what: flow.what, target: flow.target, route: flow.route });
          })
        : {};

    if (!client) return mergeListeners(envListener, flows);

    // hardcoded keys in browser code are no-hardcoded-key's (one report per key, in browser words there)
    const requestListener: TSESLint.RuleListener = mayCallApi
      ? {
          'CallExpression, NewExpression'(node: TSESTree.CallExpression | TSESTree.NewExpression) {
            const argument = requestUrlArgument(node);
            if (argument && isDirectStatalogRequest(requestUrlText(argument, sourceCode), settings.selfHostedHosts)) {
              report(node, 'directRequest', client);
            }
          },
        }
      : {};

    // a component's markup is browser code: any read of the key there (`{{ config.public.statalogApiKey }}`)
    const isKey = (name: string): boolean => isKeyName(name, settings.envVarNames) && !isFlagName(name);
    const markupReads = (expression: TSESTree.Node): void => {
      for (const read of keyReads(expression, isKey)) {
        if (isPresenceCheck(read)) continue;
        const name = read.type === 'Identifier' ? read.name : sourceCode.getText(read);
        report(read, 'keyInBrowser', { name, ...client });
      }
    };
    return withTemplates(
      context,
      mergeListeners(envListener, requestListener),
      namesKey ? { expression: markupReads } : {},
    );
  },
});
