import type { TSESTree } from '@typescript-eslint/utils';
import { allowedAt, createRule } from '../create-rule.js';
import { keyCarrier } from '../ast/key-flow.js';
import { propertyName, unwrap } from '../ast/names.js';
import { fileFacts, mayNameKey } from '../file-facts.js';
import { resolveSettings, SHARED_OPTION_SCHEMA, type SharedOptions } from '../plugin-settings.js';

export interface NoKeyInLogsOptions extends SharedOptions {
  /** Names of logger objects: `console`, `logger` (also `this.logger`, `req.log`). */
  loggers?: string[];
  /** Their methods that write a record. */
  methods?: string[];
}

type Options = [NoKeyInLogsOptions];
type MessageIds = 'keyInLog';

const DEFAULT_LOGGERS = ['console', 'logger', 'log', 'winston', 'pino', 'bunyan', 'consola', 'signale'];
const DEFAULT_METHODS = [
  'log',
  'info',
  'warn',
  'warning',
  'error',
  'debug',
  'trace',
  'fatal',
  'verbose',
  'silly',
  'notice',
  'critical',
  'alert',
  'emerg',
  'success',
  'fail',
  'dir',
  'dirxml',
  'table',
  'group',
  'groupCollapsed',
  'assert',
];

export default createRule<Options, MessageIds>({
  name: 'no-key-in-logs',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow passing the Statalog API key to console.* and logger calls.',
      recommended: false,
    },
    messages: {
      keyInLog:
        '{{callee}}() writes {{what}} to the logs, which are kept and read far more widely than a secret store. The Statalog API key leaks with them. Log whether the key is set, or its masked form, instead.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          ...SHARED_OPTION_SCHEMA,
          loggers: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: `Logger object names; a call on one of them or on a property of that name (this.logger, req.log) is a log call. Default ${DEFAULT_LOGGERS.join(', ')}.`,
          },
          methods: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: `Logger methods that write a record. Default ${DEFAULT_METHODS.join(', ')}.`,
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ loggers: DEFAULT_LOGGERS, methods: DEFAULT_METHODS }],
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const settings = resolveSettings(context, options);
    if (!fileFacts(sourceCode).cloudAnchor && !mayNameKey(sourceCode, settings.envVarNames)) return {};
    const loggers = new Set(options.loggers ?? DEFAULT_LOGGERS);
    const methods = new Set(options.methods ?? DEFAULT_METHODS);
    const allowed = allowedAt(sourceCode);

    const isLogger = (node: TSESTree.Node): boolean => {
      const object = unwrap(node);
      if (object.type === 'Identifier') return loggers.has(object.name);
      if (object.type === 'MemberExpression') return loggers.has(propertyName(object.property, object.computed) ?? '');
      return false;
    };

    return {
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (callee.type !== 'MemberExpression' || !methods.has(propertyName(callee.property, callee.computed) ?? ''))
          return;
        if (!isLogger(callee.object)) return;
        for (const argument of node.arguments) {
          const what = keyCarrier(argument, sourceCode, settings.envVarNames);
          if (what === undefined || allowed(argument.range[0])) continue;
          context.report({ node: argument, messageId: 'keyInLog', data: { callee: sourceCode.getText(callee), what } });
        }
      },
    };
  },
});
