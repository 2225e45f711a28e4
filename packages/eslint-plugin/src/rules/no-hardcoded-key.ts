import { RULES } from '@statalog/core';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { fileRole } from '../file-role.js';
import { hardcodedKeyListener, type CloudKeyFound, type CommunityKeyFound } from '../hardcoded.js';
import { cloudKeysIn } from '../keys.js';
import { resolveShared, SHARED_OPTION_SCHEMA, type SharedOptions } from '../settings.js';
import { escapeForTemplate } from '../ast/strings.js';

export interface NoHardcodedKeyOptions extends SharedOptions {
  /** Look for cloud keys in comments too. */
  checkComments?: boolean;
  /** The expression the suggestion puts in place of the key. */
  replacement?: string;
}

type Options = [NoHardcodedKeyOptions];
type MessageIds = 'cloudKey' | 'communityKey' | 'useEnv' | 'removeFallback';

export const DEFAULT_REPLACEMENT = 'process.env.STATALOG_API_KEY';

/** Where a string literal may be swapped for an expression without changing the code's shape. */
const EXPRESSION_PARENTS = new Set([
  'VariableDeclarator', 'AssignmentExpression', 'AssignmentPattern', 'CallExpression', 'NewExpression',
  'ArrayExpression', 'ReturnStatement', 'BinaryExpression', 'LogicalExpression', 'ConditionalExpression',
  'JSXExpressionContainer', 'PropertyDefinition', 'TSAsExpression', 'TSSatisfiesExpression', 'ArrowFunctionExpression',
  'SpreadElement', 'AwaitExpression', 'TemplateLiteral',
]);

export default createRule<Options, MessageIds>({
  name: 'no-hardcoded-key',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow Statalog API keys written in source code: string literals, templates, JSX, comments and constants.',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      cloudKey: RULES['cloud-key'].message('{{masked}}'),
      communityKey:
        '{{name}} is set to a literal value ({{masked}}): that is the Statalog API key of a self-hosted installation, and anyone who can read this code can read its analytics. ' +
        RULES['community-key'].remedy,
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
            description: 'The expression the suggestion puts in place of a hardcoded key. Default process.env.STATALOG_API_KEY.',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkComments: true, replacement: DEFAULT_REPLACEMENT }],
  },
  create(context, [options]) {
    const shared = resolveShared(context, options);
    const replacement = options.replacement ?? DEFAULT_REPLACEMENT;
    // in browser code the environment is not the answer (no-client-side-key says what is): no suggestion there
    let browser: boolean | undefined;
    const inBrowser = (): boolean => (browser ??= fileRole(context, shared).side === 'client');

    const reportCloud = (found: CloudKeyFound): void => {
      const fix = inBrowser() ? undefined : cloudKeyFix(context.sourceCode, found, replacement);
      context.report({
        loc: found.loc,
        messageId: 'cloudKey',
        data: { masked: found.hit.masked },
        suggest: fix ? [{ messageId: 'useEnv', data: { replacement }, fix }] : [],
      });
    };

    const reportCommunity = (found: CommunityKeyFound): void => {
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      if (found.fallbackOf) {
        const keep = context.sourceCode.getText(found.fallbackOf.left);
        const whole = found.fallbackOf;
        suggest.push({ messageId: 'removeFallback', fix: (fixer) => fixer.replaceText(whole, keep) });
      } else if (!found.writesEnv && !inBrowser()) {
        suggest.push({ messageId: 'useEnv', data: { replacement }, fix: (fixer) => fixer.replaceText(found.value, replacement) });
      }
      context.report({ node: found.value, messageId: 'communityKey', data: { name: found.name, masked: found.masked }, suggest });
    };

    return hardcodedKeyListener(context, shared, { comments: options.checkComments !== false }, (found) =>
      found.kind === 'cloud' ? reportCloud(found) : reportCommunity(found),
    );
  },
});

/** The suggestion's edit: the key becomes `replacement`, inside a template when other text surrounds it. */
function cloudKeyFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  found: CloudKeyFound,
  replacement: string,
): TSESLint.ReportFixFunction | undefined {
  const node = found.node;
  if (found.where === 'assembled') {
    return found.whole ? (fixer) => fixer.replaceText(node as TSESTree.Node, replacement) : undefined;
  }
  if (found.where === 'template') {
    const chunk = found.chunk;
    const template = node as TSESTree.TemplateLiteral;
    if (!chunk || template.parent.type === 'TaggedTemplateExpression' || chunk.value.raw !== chunk.value.cooked) return undefined;
    const start = chunk.range[0] + 1 + found.hit.offset;
    return (fixer) => fixer.replaceTextRange([start, start + found.hit.length], `\${${replacement}}`);
  }
  if (found.where !== 'literal') return undefined; // JSX text and comments: delete them, nothing replaces them
  const literal = node as TSESTree.StringLiteral;
  const parent = literal.parent;
  const expression = found.whole ? replacement : templateWith(literal.value, replacement);
  if (parent.type === 'JSXAttribute') return (fixer) => fixer.replaceText(literal, `{${expression}}`);
  const isValue =
    EXPRESSION_PARENTS.has(parent.type) ||
    (parent.type === 'Property' && parent.value === literal && parent.parent.type === 'ObjectExpression');
  if (!isValue || (parent.type === 'CallExpression' && parent.callee === literal)) return undefined;
  return (fixer) => fixer.replaceText(literal, expression);
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
