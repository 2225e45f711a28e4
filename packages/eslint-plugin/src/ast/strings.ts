import type { TSESTree } from '@typescript-eslint/utils';

/** A piece of source whose text the plugin reads: a string literal, a template chunk, JSX text or a comment. */
export type TextNode = TSESTree.StringLiteral | TSESTree.TemplateElement | TSESTree.JSXText | TSESTree.Comment;

/** The pieces a string expression is written in. */
export type StringPiece = TSESTree.StringLiteral | TSESTree.TemplateElement;

/** The value of a string literal, or of a template literal without expressions. */
export function staticString(node: TSESTree.Node): string | undefined {
  if (node.type === 'Literal') return typeof node.value === 'string' ? node.value : undefined;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export function isStringLiteral(node: TSESTree.Node): node is TSESTree.StringLiteral {
  return node.type === 'Literal' && typeof node.value === 'string';
}

/** The text a node holds: cooked for templates, decoded for JSX text. */
export function textOf(node: TextNode): string {
  if (node.type === 'TemplateElement') return node.value.cooked ?? node.value.raw;
  return node.value;
}

/**
 * The source offset of character `offset` of a node's text, when the source spells that text out
 * character for character (no escapes, entities or line continuations before it); otherwise undefined.
 */
export function sourceOffset(node: TextNode, offset: number): number | undefined {
  switch (node.type) {
    case 'Literal':
      return node.raw.slice(1, -1) === node.value ? node.range[0] + 1 + offset : undefined;
    case 'TemplateElement':
      return node.value.raw === node.value.cooked ? node.range[0] + 1 + offset : undefined;
    case 'JSXText':
      return node.raw === node.value ? node.range[0] + offset : undefined;
    default:
      return node.range[0] + 2 + offset; // after `//` or `/*`
  }
}

/** Escapes a cooked string for the inside of a template literal. */
export function escapeForTemplate(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/`/g, '\\`')
    .replace(/\$\{/g, '\\${')
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n');
}

/** The outermost `a + b + …` chain a node is a direct operand of (the node itself when it is none). */
export function concatTop(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.parent?.type === 'BinaryExpression' && current.parent.operator === '+') current = current.parent;
  return current;
}
