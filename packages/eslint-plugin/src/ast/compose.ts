import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { findVariable } from './scope.js';
import { parseUrl } from '@statalog/core';
import { propertyName, unwrap } from './names.js';

/**
 * Stands for a part whose value is unknown (a parameter, a call, an environment variable). It reads as a
 * template to the core's URL parser: `${…}/api/v1/stats` has no host, `https://${…}/x` no known host.
 */
const UNKNOWN = '${…}';

/** How deep `const` references are followed (`const BASE = …; const URL = BASE + …`). */
const MAX_DEPTH = 4;

/** The text of a string expression with unknown parts replaced by UNKNOWN, and where each piece landed. */
export interface Composed {
  text: string;
  /** Offset in `text` of each string literal and template chunk written directly in the expression. */
  offsets: Map<TSESTree.Node, number>;
}

/**
 * Spells out a string expression — literals, templates, `+` chains, `const` references, `new URL(path, base)`,
 * `url.href`, `String(x)` — so the core's URL tests can read it. Cheap: it follows only what is written.
 */
export function compose(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): Composed {
  const offsets = new Map<TSESTree.Node, number>();
  let text = '';
  const visit = (n: TSESTree.Node, depth: number, track: boolean): void => {
    const node = unwrap(n);
    switch (node.type) {
      case 'Literal':
        if (track) offsets.set(node, text.length);
        text += typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : UNKNOWN;
        return;
      case 'TemplateLiteral':
        node.quasis.forEach((quasi, i) => {
          if (track) offsets.set(quasi, text.length);
          text += quasi.value.cooked ?? quasi.value.raw;
          const expression = node.expressions[i];
          if (expression) visit(expression, depth, track);
        });
        return;
      case 'BinaryExpression':
        if (node.operator !== '+') break;
        visit(node.left, depth, track);
        visit(node.right, depth, track);
        return;
      case 'Identifier': {
        const init = depth < MAX_DEPTH ? constInit(node, sourceCode) : undefined;
        if (init) {
          visit(init, depth + 1, false);
          return;
        }
        break;
      }
      case 'NewExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'URL' && node.arguments[0]) {
          text += resolveUrl(
            composeUntracked(node.arguments[0], sourceCode, depth),
            node.arguments[1] ? composeUntracked(node.arguments[1], sourceCode, depth) : undefined,
          );
          return;
        }
        break;
      case 'MemberExpression':
        // url.href, url.toString — the URL object's text
        if (propertyName(node.property, node.computed) === 'href') {
          visit(node.object, depth, false);
          return;
        }
        break;
      case 'CallExpression': {
        const callee = node.callee;
        if (callee.type === 'Identifier' && callee.name === 'String' && node.arguments[0]) {
          visit(node.arguments[0], depth, track);
          return;
        }
        if (
          callee.type === 'MemberExpression' &&
          propertyName(callee.property, callee.computed) === 'toString' &&
          node.arguments.length === 0
        ) {
          visit(callee.object, depth, false);
          return;
        }
        break;
      }
      default:
        break;
    }
    text += UNKNOWN;
  };
  visit(node, 0, true);
  return { text, offsets };
}

function composeUntracked(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>, depth: number): string {
  return depth >= MAX_DEPTH ? UNKNOWN : compose(node, sourceCode).text;
}

/** `new URL(path, base)`, approximately: enough to know the host and the path. */
function resolveUrl(path: string, base: string | undefined): string {
  if (base === undefined || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) return path;
  if (path.startsWith('/')) {
    const parsed = parseUrl(base);
    return parsed.scheme !== ''
      ? `${parsed.scheme}://${parsed.hostWithPort}${path}`
      : `${base.replace(/\/+$/, '')}${path}`;
  }
  return base.endsWith('/') ? base + path : base.replace(/[^/]*$/, '') + path;
}

/** The initialiser of a `const` binding the identifier refers to, when there is exactly one. */
export function constInit(
  identifier: TSESTree.Identifier,
  sourceCode: Readonly<TSESLint.SourceCode>,
): TSESTree.Expression | undefined {
  const variable = findVariable(sourceCode.getScope(identifier), identifier);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== 'Variable' || def.parent.kind !== 'const') return undefined;
  const declarator = def.node;
  return declarator.id.type === 'Identifier' && declarator.init ? declarator.init : undefined;
}
