import { RULES } from '@statalog/core';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { clientWords, fileRole } from '../file-role.js';
import {
  hardcodedKeyInMarkup,
  hardcodedKeyListener,
  type CloudKeyFound,
  type CommunityKeyFound,
  type HardcodedFound,
} from '../hardcoded.js';
import { withTemplates } from '../templates.js';
import { cloudKeysIn } from '../keys.js';
import { resolveSettings, SHARED_OPTION_SCHEMA, type SharedOptions } from '../plugin-settings.js';
import { escapeForTemplate, isStringLiteral } from '../ast/strings.js';

export interface NoHardcodedKeyOptions extends SharedOptions {
  /** Look for cloud keys in comments too. */
  checkComments?: boolean;
  /** The expression the suggestion puts in place of the key. */
  replacement?: string;
}

type Options = [NoHardcodedKeyOptions];
type MessageIds =
  'cloudKey' | 'communityKey' | 'cloudKeyInClient' | 'communityKeyInClient' | 'useEnv' | 'removeFallback';

const DEFAULT_REPLACEMENT = 'process.env.STATALOG_API_KEY';

/**
 * Where a string literal may be swapped for an expression without changing the code's shape. Not here, because
 * TypeScript rejects an environment read there: `as const` and `satisfies` (checked apart), enum members (a
 * string enum's members must be literals), literal types.
 */
const EXPRESSION_PARENTS = new Set([
  'VariableDeclarator',
  'AssignmentExpression',
  'AssignmentPattern',
  'CallExpression',
  'NewExpression',
  'ArrayExpression',
  'ReturnStatement',
  'BinaryExpression',
  'LogicalExpression',
  'ConditionalExpression',
  'JSXExpressionContainer',
  'PropertyDefinition',
  'TSAsExpression',
  'ArrowFunctionExpression',
  'SpreadElement',
  'AwaitExpression',
  'TemplateLiteral',
]);

const IN_CLIENT =
  "Why {{place}}: {{reason}}. Revoke or rotate the key, and call your own server route (for example /api/stats) instead; it calls Statalog with the key from the server's environment.";

export default createRule<Options, MessageIds>({
  name: 'no-hardcoded-key',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow Statalog API keys written in source code: string literals, templates, JSX, comments and constants.',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      cloudKey: RULES['cloud-key'].message('{{masked}}'),
      communityKey:
        "{{name}} is set to a literal value ({{masked}}): a self-hosted Statalog API key, readable by anyone who can read this code. With it, anyone can read the installation's analytics. " +
        RULES['community-key'].remedy,
      cloudKeyInClient: 'Statalog Cloud API key {{masked}} is written in {{place}}: {{exposure}}. ' + IN_CLIENT,
      communityKeyInClient: '{{name}} is set to a literal value ({{masked}}) in {{place}}: {{exposure}}. ' + IN_CLIENT,
      useEnv: 'Read the key from {{replacement}} instead (set it in the server environment or a secrets manager).',
      removeFallback: 'Remove the literal fallback and rely on the environment variable alone.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          ...SHARED_OPTION_SCHEMA,
          checkComments: { type: 'boolean', description: 'Also report cloud keys written in comments. Default true.' },
          replacement: {
            type: 'string',
            minLength: 1,
            description:
              'The expression the suggestion puts in place of a hardcoded key. Default process.env.STATALOG_API_KEY.',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkComments: true, replacement: DEFAULT_REPLACEMENT }],
  },
  create(context, [options]) {
    const settings = resolveSettings(context, options);
    const replacement = options.replacement ?? DEFAULT_REPLACEMENT;
    // in browser code the environment is not the answer, and the message says where the key ends up instead
    let role: ReturnType<typeof fileRole> | undefined;
    const client = (): ReturnType<typeof clientWords> | undefined => {
      role ??= fileRole(context, settings);
      return role.side === 'client' ? clientWords(role) : undefined;
    };

    const reportCloud = (found: CloudKeyFound): void => {
      const words = client();
      if (words) {
        context.report({ loc: found.loc, messageId: 'cloudKeyInClient', data: { masked: found.hit.masked, ...words } });
        return;
      }
      const fix = cloudKeyFix(context.sourceCode, found, replacement);
      context.report({
        loc: found.loc,
        messageId: 'cloudKey',
        data: { masked: found.hit.masked },
        suggest: fix ? [{ messageId: 'useEnv', data: { replacement }, fix }] : [],
      });
    };

    const reportCommunity = (found: CommunityKeyFound): void => {
      const words = client();
      const data = { name: found.name, masked: found.masked };
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      if (found.fallbackOf) {
        const keep = context.sourceCode.getText(found.fallbackOf.left);
        const whole = found.fallbackOf;
        suggest.push({ messageId: 'removeFallback', fix: (fixer) => fixer.replaceText(whole, keep) });
      } else if (!found.writesEnv && !words && replaceable(found.value)) {
        suggest.push({
          messageId: 'useEnv',
          data: { replacement },
          fix: (fixer) => fixer.replaceText(found.value, replacement),
        });
      }
      if (words)
        context.report({ node: found.value, messageId: 'communityKeyInClient', data: { ...data, ...words }, suggest });
      else context.report({ node: found.value, messageId: 'communityKey', data, suggest });
    };

    const onFound = (found: HardcodedFound): void =>
      found.kind === 'cloud' ? reportCloud(found) : reportCommunity(found);
    const comments = options.checkComments !== false;
    const script = hardcodedKeyListener(context, settings, { comments }, onFound);
    return withTemplates(context, script, hardcodedKeyInMarkup(context, { comments }, script, onFound));
  },
});

/** The suggestion's edit: the key becomes `replacement`, inside a template when other text surrounds it. */
function cloudKeyFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  found: CloudKeyFound,
  replacement: string,
): TSESLint.ReportFixFunction | undefined {
  const node = found.node;
  if (node.type === 'Line' || node.type === 'Block') return undefined; // comments: delete them, nothing replaces them
  if (found.where === 'assembled') {
    return found.whole && replaceable(node) ? (fixer) => fixer.replaceText(node, replacement) : undefined;
  }
  if (found.where === 'template' && node.type === 'TemplateLiteral') {
    const chunk = found.chunk;
    if (!chunk || node.parent.type === 'TaggedTemplateExpression' || chunk.value.raw !== chunk.value.cooked)
      return undefined;
    const start = chunk.range[0] + 1 + found.hit.offset;
    return (fixer) => fixer.replaceTextRange([start, start + found.hit.length], `\${${replacement}}`);
  }
  // JSX text: delete it, nothing replaces it; Vue and Svelte markup gets no suggestion
  if (found.where !== 'literal' || !isStringLiteral(node)) return undefined;
  const literal = node;
  const parent = literal.parent;
  const expression = found.whole ? replacement : templateWith(literal.value, replacement);
  if (parent.type === 'JSXAttribute') return (fixer) => fixer.replaceText(literal, `{${expression}}`);
  if (!replaceable(literal) || (parent.type === 'CallExpression' && parent.callee === literal)) return undefined;
  return (fixer) => fixer.replaceText(literal, expression);
}

/**
 * A literal that an environment read may replace, and the result still compiles: a value position, not under
 * `as const` or `satisfies`, and not the initialiser of a binding with a type annotation (an environment read
 * is `string | undefined`, which `key: string` rejects under strict TypeScript).
 */
function replaceable(literal: TSESTree.Node): boolean {
  const parent = literal.parent;
  if (!parent) return false;
  if (parent.type === 'TSAsExpression') {
    const type = parent.typeAnnotation;
    if (type.type === 'TSTypeReference' && type.typeName.type === 'Identifier' && type.typeName.name === 'const')
      return false;
  }
  const isValue =
    EXPRESSION_PARENTS.has(parent.type) ||
    (parent.type === 'Property' && parent.value === literal && parent.parent.type === 'ObjectExpression');
  if (!isValue) return false;
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier' && parent.id.typeAnnotation)
    return acceptsUndefined(parent.id.typeAnnotation.typeAnnotation);
  if (parent.type === 'PropertyDefinition' && parent.typeAnnotation)
    return acceptsUndefined(parent.typeAnnotation.typeAnnotation);
  if (parent.type === 'AssignmentPattern' && parent.left.type === 'Identifier' && parent.left.typeAnnotation) {
    return acceptsUndefined(parent.left.typeAnnotation.typeAnnotation);
  }
  return true;
}

function acceptsUndefined(type: TSESTree.TypeNode): boolean {
  switch (type.type) {
    case 'TSAnyKeyword':
    case 'TSUnknownKeyword':
    case 'TSUndefinedKeyword':
      return true;
    case 'TSUnionType':
      return type.types.some(acceptsUndefined);
    default:
      return false;
  }
}

function templateWith(value: string, replacement: string): string {
  let out = '';
  let from = 0;
  for (const hit of cloudKeysIn(value)) {
    out += escapeForTemplate(value.slice(from, hit.offset)) + `\${${replacement}}`;
    from = hit.offset + hit.length;
  }
  return `\`${out}${escapeForTemplate(value.slice(from))}\``;
}
