import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/**
 * Component markup: Vue `<template>` (vue-eslint-parser) and Svelte markup (svelte-eslint-parser). Neither parser
 * is a dependency: this module only reads the node shapes they produce, and a project without them never gets
 * here (its `.vue` / `.svelte` files are not linted as JavaScript at all).
 */

/** A piece of markup text: an attribute value, a text node or a comment. */
export interface MarkupText {
  kind: 'attribute' | 'text' | 'comment';
  /** The text as the browser sees it (entities decoded). */
  value: string;
  /** The attribute's name, for attribute values. */
  attribute?: string;
  /** Source offset of `value`'s first character when the source spells it out as it is; else undefined. */
  start: number | undefined;
  /** The whole node's position, used when `start` is undefined. */
  range: [number, number];
  loc: TSESTree.SourceLocation;
}

export interface TemplateHandlers {
  /** Attribute values, text and comments of the markup. */
  markup?: (piece: MarkupText) => void;
  /** Each expression written in the markup (`{{ … }}`, `:prop="…"`, Svelte `{…}`). */
  expression?: (node: TSESTree.Node) => void;
  /**
   * Listeners for the JavaScript nodes inside Vue template expressions (ESLint's own traversal never reaches
   * them). Svelte puts markup expressions in the main tree, where the rule's own listeners see them.
   */
  templateScript?: TSESLint.RuleListener;
}

interface MarkupNode {
  type: string;
  value?: unknown;
  range: [number, number];
  loc: TSESTree.SourceLocation;
  parent?: MarkupNode & { key?: { name?: unknown; rawName?: unknown; type?: string } };
  expression?: TSESTree.Node | null;
}

type DefineTemplateBodyVisitor = (
  template: Record<string, (node: never) => void>,
  script?: TSESLint.RuleListener,
) => TSESLint.RuleListener;

/**
 * The rule's script listener, extended to the markup of a Vue or Svelte component. For any other file it is
 * returned as it is.
 */
export function withTemplates(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  script: TSESLint.RuleListener,
  handlers: TemplateHandlers,
): TSESLint.RuleListener {
  const sourceCode = context.sourceCode;
  const text = sourceCode.text;
  if (!handlers.markup && !handlers.expression && !handlers.templateScript) return script;

  const piece = (node: MarkupNode, kind: MarkupText['kind'], value: string, attribute?: string): MarkupText => {
    const at = text.slice(node.range[0], node.range[1]).indexOf(value);
    const result: MarkupText = {
      kind,
      value,
      start: at === -1 || value === '' ? undefined : node.range[0] + at,
      range: node.range,
      loc: node.loc,
    };
    if (attribute !== undefined) result.attribute = attribute;
    return result;
  };
  const attributeName = (node: MarkupNode): string | undefined => {
    const key = node.parent?.key;
    const name = key?.rawName ?? key?.name;
    return typeof name === 'string' ? name : undefined;
  };

  // Vue: the parser hands the template to a visitor of its own, run when the script's traversal ends
  const services = sourceCode.parserServices as { defineTemplateBodyVisitor?: DefineTemplateBodyVisitor } | undefined;
  const templateBody = (sourceCode.ast as { templateBody?: { comments?: MarkupNode[] } }).templateBody;
  if (services?.defineTemplateBodyVisitor && templateBody) {
    const markup = handlers.markup;
    const template: Record<string, (node: never) => void> = {
      ...(handlers.templateScript as Record<string, (node: never) => void>),
    };
    if (markup) {
      template.VText = (node: MarkupNode) => markup(piece(node, 'text', String(node.value)));
      template.VLiteral = (node: MarkupNode) => {
        if (node.parent?.type === 'VAttribute')
          markup(piece(node, 'attribute', String(node.value), attributeName(node)));
      };
    }
    const expression = handlers.expression;
    if (expression) {
      template.VExpressionContainer = (node: MarkupNode) => {
        if (node.expression) expression(node.expression);
      };
    }
    const withComments: TSESLint.RuleListener = markup
      ? {
          ...script,
          // the template's comments are not in the script's comment list
          Program: (node) => {
            script.Program?.(node);
            for (const comment of templateBody.comments ?? []) {
              if (comment.type === 'HTMLComment') markup(piece(comment, 'comment', String(comment.value)));
            }
          },
        }
      : script;
    return services.defineTemplateBodyVisitor(template, withComments);
  }

  // Svelte: markup nodes are in the main tree, described by the parser's visitor keys
  if (sourceCode.visitorKeys['SvelteElement'] === undefined) return script;
  const svelte: Record<string, (node: never) => void> = {};
  const markup = handlers.markup;
  if (markup) {
    svelte.SvelteText = (node: MarkupNode) => markup(piece(node, 'text', String(node.value)));
    svelte.SvelteHTMLComment = (node: MarkupNode) => markup(piece(node, 'comment', String(node.value)));
    svelte.SvelteLiteral = (node: MarkupNode) => {
      if (node.parent?.type === 'SvelteAttribute')
        markup(piece(node, 'attribute', String(node.value), attributeName(node)));
    };
  }
  const expression = handlers.expression;
  if (expression) {
    svelte.SvelteMustacheTag = (node: MarkupNode) => {
      if (node.expression) expression(node.expression);
    };
    // `bind:value={statalogApiKey}`, `<Chart {statalogApiKey} />`
    svelte.SvelteDirective = (node: MarkupNode) => {
      if (node.expression) expression(node.expression);
    };
    svelte.SvelteShorthandAttribute = (node: MarkupNode) => {
      if (node.value && typeof node.value === 'object') expression(node.value as TSESTree.Node);
    };
  }
  const merged: Record<string, (node: never) => void> = { ...(script as Record<string, (node: never) => void>) };
  for (const [selector, handler] of Object.entries(svelte)) {
    const previous = merged[selector];
    merged[selector] = previous
      ? (node: never) => {
          previous(node);
          handler(node);
        }
      : handler;
  }
  return merged;
}

/**
 * The reads of the key in a markup expression: identifiers and member accesses named like the key
 * (`statalogApiKey`, `config.public.statalogApiKey`), not flags or presence checks. Shallow on purpose: the
 * expressions of a template are short.
 */
export function keyReads(
  node: TSESTree.Node,
  isKey: (name: string) => boolean,
  found: TSESTree.Node[] = [],
): TSESTree.Node[] {
  switch (node.type) {
    case 'Identifier':
      if (isKey(node.name)) found.push(node);
      break;
    case 'MemberExpression': {
      const property = !node.computed && node.property.type === 'Identifier' ? node.property.name : undefined;
      if (property !== undefined && isKey(property)) found.push(node);
      else keyReads(node.object, isKey, found);
      if (node.computed) keyReads(node.property, isKey, found);
      break;
    }
    case 'ChainExpression':
      keyReads(node.expression, isKey, found);
      break;
    case 'CallExpression':
      keyReads(node.callee, isKey, found);
      for (const argument of node.arguments) keyReads(argument, isKey, found);
      break;
    case 'TemplateLiteral':
      for (const expression of node.expressions) keyReads(expression, isKey, found);
      break;
    case 'BinaryExpression':
      keyReads(node.left, isKey, found);
      keyReads(node.right, isKey, found);
      break;
    case 'LogicalExpression':
      keyReads(node.left, isKey, found);
      keyReads(node.right, isKey, found);
      break;
    case 'ConditionalExpression':
      // the test only decides; the branches are the value
      keyReads(node.consequent, isKey, found);
      keyReads(node.alternate, isKey, found);
      break;
    case 'ObjectExpression':
      for (const property of node.properties)
        keyReads(property.type === 'Property' ? property.value : property.argument, isKey, found);
      break;
    case 'ArrayExpression':
      for (const element of node.elements) if (element) keyReads(element, isKey, found);
      break;
    case 'SpreadElement':
    case 'AwaitExpression':
      keyReads(node.argument, isKey, found);
      break;
    default: {
      // Vue's `@click="send(statalogApiKey)"` body
      const body =
        (node as { type: string; body?: unknown }).type === 'VOnExpression'
          ? (node as unknown as { body: TSESTree.Node[] }).body
          : undefined;
      for (const statement of body ?? []) {
        if (statement.type === 'ExpressionStatement') keyReads(statement.expression, isKey, found);
      }
    }
  }
  return found;
}
