import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getStaticValue } from './ast/scope.js';
import { mask } from '@statalog/core';
import { allowedAt } from './create-rule.js';
import { envVariableName, isKeyName, propertyName, unwrap } from './ast/names.js';
import { concatTop, isStringLiteral, sourceOffset, staticString, textOf, type TextNode } from './ast/strings.js';
import { cloudKeysIn, isCommunityKeyValue, type KeyHit } from './keys.js';
import { fileFacts, mayNameKey } from './file-facts.js';
import type { PluginSettings } from './plugin-settings.js';
import type { MarkupText, TemplateHandlers } from './templates.js';

/** A cloud key written in the source, whole or assembled from constant parts. */
export interface CloudKeyFound {
  kind: 'cloud';
  /** `assembled`: `'st_' + HEX`, `` `st_${HEX}` ``, where no single literal holds the key; `markup`: Vue / Svelte markup. */
  where: 'literal' | 'template' | 'jsx-text' | 'comment' | 'assembled' | 'markup';
  /** The literal, template literal, JSX text, comment or assembled expression. */
  node: TSESTree.Node | TSESTree.Comment;
  /** The template chunk holding the key (for `template`). */
  chunk?: TSESTree.TemplateElement;
  hit: KeyHit;
  /** The key's own position when the source spells it out, else the node's. */
  loc: TSESTree.SourceLocation;
  /** Source offset of the key (or of the node), for `statalog:allow`. */
  index: number;
  /** The key is the node's whole value. */
  whole: boolean;
}

/** A literal assigned to a STATALOG_API_KEY-named variable or property: the Community key. */
export interface CommunityKeyFound {
  kind: 'community';
  /** The name it is assigned to (`STATALOG_API_KEY`, `statalogApiKey`). */
  name: string;
  value: TSESTree.StringLiteral | TSESTree.TemplateLiteral;
  masked: string;
  /** `process.env.STATALOG_API_KEY = '…'`: the environment itself is being written. */
  writesEnv: boolean;
  /** `process.env.STATALOG_API_KEY || '…'`: the literal is a fallback of this expression. */
  fallbackOf?: TSESTree.LogicalExpression;
}

export type HardcodedFound = CloudKeyFound | CommunityKeyFound;

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
type SourceCode = Readonly<TSESLint.SourceCode>;
/** Reports a key unless `statalog:allow` silences the line of `index`. */
type Report = (found: HardcodedFound, index: number) => void;

/**
 * The detection behind `no-hardcoded-key` (and the hardcoded-key part of `no-client-side-key`): cloud keys in
 * the source text (cloudKeyListener) and literals assigned to key-named bindings (communityKeyListener). Calls
 * `onFound` for each key not silenced by `statalog:allow`.
 */
export function hardcodedKeyListener(
  context: AnyContext,
  settings: PluginSettings,
  options: { comments: boolean },
  onFound: (found: HardcodedFound) => void,
): TSESLint.RuleListener {
  const sourceCode = context.sourceCode;
  const mayHoldCloudKey = fileFacts(sourceCode).cloudAnchor;
  const mayName = mayNameKey(sourceCode, settings.envVarNames);
  if (!mayHoldCloudKey && !mayName) return {};
  const allowed = allowedAt(sourceCode);
  const report: Report = (found, index) => {
    if (!allowed(index)) onFound(found);
  };
  return {
    ...(mayHoldCloudKey ? cloudKeyListener(sourceCode, options, report) : {}),
    ...(mayName ? communityKeyListener(settings.envVarNames, report) : {}),
  };
}

/**
 * Cloud keys in string literals, template chunks, JSX text and comments that contain `st_`, and in constant
 * expressions that evaluate to a key (`'st_' + HEX`, `` `st_${HEX}` ``): those are reported at Program:exit,
 * once every literal has been seen, and only when no literal holds the key whole.
 */
function cloudKeyListener(
  sourceCode: SourceCode,
  options: { comments: boolean },
  report: Report,
): TSESLint.RuleListener {
  const writtenWhole = new Set<string>();
  const assembled: Array<{ node: TSESTree.Node; value: string }> = [];

  const checkText = (
    textNode: TextNode,
    node: TSESTree.Node | TSESTree.Comment,
    where: CloudKeyFound['where'],
  ): void => {
    for (const found of cloudKeysInText(sourceCode, textNode, node, where)) {
      writtenWhole.add(found.hit.secret);
      report(found, found.index);
    }
  };
  const maybeAssembled = (node: TSESTree.Node): void => {
    const result = getStaticValue(node, sourceCode.getScope(node));
    if (result && typeof result.value === 'string' && result.value.includes('st_')) {
      assembled.push({ node, value: result.value });
    }
  };

  return {
    Literal(node) {
      if (typeof node.value === 'string' && node.value.includes('st_')) checkText(node, node, 'literal');
    },
    TemplateLiteral(node) {
      for (const quasi of node.quasis) {
        if ((quasi.value.cooked ?? quasi.value.raw).includes('st_')) checkText(quasi, node, 'template');
      }
      if (node.expressions.length > 0 && concatTop(node) === node) maybeAssembled(node);
    },
    'BinaryExpression[operator="+"]'(node: TSESTree.BinaryExpression) {
      if (concatTop(node) === node) maybeAssembled(node);
    },
    JSXText(node) {
      if (node.value.includes('st_')) checkText(node, node, 'jsx-text');
    },
    Program() {
      if (!options.comments) return;
      for (const comment of sourceCode.getAllComments()) {
        if (comment.value.includes('st_')) checkText(comment, comment, 'comment');
      }
    },
    'Program:exit'() {
      for (const { node, value } of assembled) {
        for (const hit of cloudKeysIn(value)) {
          if (writtenWhole.has(hit.secret)) continue; // reported where it is written
          const whole = value === hit.secret;
          report(
            { kind: 'cloud', where: 'assembled', node, hit, loc: node.loc, index: node.range[0], whole },
            node.range[0],
          );
        }
      }
    },
  };
}

/** The cloud keys in one piece of source text, located at the key itself when the source spells it out. */
function cloudKeysInText(
  sourceCode: SourceCode,
  textNode: TextNode,
  node: TSESTree.Node | TSESTree.Comment,
  where: CloudKeyFound['where'],
): CloudKeyFound[] {
  const value = textOf(textNode);
  return cloudKeysIn(value).map((hit) => {
    const start = sourceOffset(textNode, hit.offset);
    const loc =
      start === undefined
        ? node.loc
        : { start: sourceCode.getLocFromIndex(start), end: sourceCode.getLocFromIndex(start + hit.length) };
    const found: CloudKeyFound = {
      kind: 'cloud',
      where,
      node,
      hit,
      loc,
      index: start ?? node.range[0],
      whole: value === hit.secret,
    };
    if (textNode.type === 'TemplateElement') found.chunk = textNode;
    return found;
  });
}

/**
 * Literals that look like a Community key, assigned to a binding whose name says it holds the key: variables,
 * properties, class fields, assignments (`process.env.STATALOG_API_KEY = '…'` writes the environment),
 * parameter defaults, enum members, and fallbacks (`process.env.STATALOG_API_KEY || '…'`).
 */
function communityKeyListener(envVarNames: ReadonlySet<string>, report: Report): TSESLint.RuleListener {
  const seen = new Set<TSESTree.Node>();
  const keyName = (name: string | undefined): name is string => name !== undefined && isKeyName(name, envVarNames);
  const check = (
    expression: TSESTree.Node | null | undefined,
    name: string,
    writesEnv: boolean,
    fallbackOf?: TSESTree.LogicalExpression,
  ): void => {
    for (const candidate of literalOutcomes(expression, fallbackOf)) {
      const { value } = candidate;
      if (seen.has(value)) continue;
      const literal = staticString(value);
      if (literal === undefined || !isCommunityKeyValue(literal)) continue;
      seen.add(value);
      const found: CommunityKeyFound = { kind: 'community', name, value, masked: mask(literal), writesEnv };
      if (candidate.fallbackOf) found.fallbackOf = candidate.fallbackOf;
      report(found, value.range[0]);
    }
  };

  return {
    VariableDeclarator(node) {
      if (node.id.type === 'Identifier' && keyName(node.id.name)) check(node.init, node.id.name, false);
    },
    Property(node) {
      if (node.parent.type !== 'ObjectExpression') return; // destructuring patterns read, they do not write
      const name = propertyName(node.key, node.computed);
      if (keyName(name)) check(node.value, name, false);
    },
    PropertyDefinition(node) {
      const name = propertyName(node.key, node.computed);
      if (keyName(name)) check(node.value, name, false);
    },
    AssignmentExpression(node) {
      if (node.operator !== '=' && node.operator !== '||=' && node.operator !== '??=') return;
      const left = node.left;
      if (left.type === 'Identifier' && keyName(left.name)) check(node.right, left.name, false);
      else if (left.type === 'MemberExpression') {
        const name = propertyName(left.property, left.computed);
        if (keyName(name)) check(node.right, name, envVariableName(left) !== undefined);
      }
    },
    AssignmentPattern(node) {
      if (node.left.type === 'Identifier' && keyName(node.left.name)) check(node.right, node.left.name, false);
    },
    TSEnumMember(node) {
      const name = propertyName(node.id, false);
      if (keyName(name)) check(node.initializer, name, false);
    },
    LogicalExpression(node) {
      if (node.operator !== '||' && node.operator !== '??') return;
      const name = keyReferenceName(unwrap(node.left));
      if (keyName(name)) check(node.right, name, false, node);
    },
  };
}

/**
 * The string and template literals an expression may evaluate to: both branches of `a ? b : c`, the right side of
 * `a || b` and `a ?? b` (with that expression, so a suggestion can drop the fallback).
 */
function literalOutcomes(
  expression: TSESTree.Node | null | undefined,
  fallbackOf?: TSESTree.LogicalExpression,
): Array<{ value: TSESTree.StringLiteral | TSESTree.TemplateLiteral; fallbackOf?: TSESTree.LogicalExpression }> {
  if (!expression) return [];
  const value = unwrap(expression);
  if (value.type === 'LogicalExpression' && (value.operator === '||' || value.operator === '??')) {
    return literalOutcomes(value.right, value);
  }
  if (value.type === 'ConditionalExpression') {
    return [...literalOutcomes(value.consequent), ...literalOutcomes(value.alternate)];
  }
  if (isStringLiteral(value) || value.type === 'TemplateLiteral')
    return [fallbackOf ? { value, fallbackOf } : { value }];
  return [];
}

/** The name a key reference reads: `process.env.STATALOG_API_KEY`, `config.statalogApiKey`, `statalogApiKey`. */
function keyReferenceName(node: TSESTree.Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression') return propertyName(node.property, node.computed);
  return undefined;
}

/**
 * The same detection in component markup (Vue templates, Svelte markup): cloud keys in attribute values, text
 * and comments, and — through the script listener's own handlers — in string literals of template expressions.
 */
export function hardcodedKeyInMarkup(
  context: AnyContext,
  options: { comments: boolean },
  script: TSESLint.RuleListener,
  onFound: (found: HardcodedFound) => void,
): TemplateHandlers {
  const sourceCode = context.sourceCode;
  if (!fileFacts(sourceCode).cloudAnchor) return {};
  const allowed = allowedAt(sourceCode);
  const markup = (piece: MarkupText): void => {
    if (piece.kind === 'comment' && !options.comments) return;
    for (const hit of cloudKeysIn(piece.value)) {
      const start = piece.start === undefined ? undefined : piece.start + hit.offset;
      const loc =
        start === undefined
          ? piece.loc
          : { start: sourceCode.getLocFromIndex(start), end: sourceCode.getLocFromIndex(start + hit.length) };
      const index = start ?? piece.range[0];
      if (allowed(index)) continue;
      // the markup node is not an ESTree node: reports use `loc`, and markup gets no suggestion
      const node = { type: 'Markup', range: piece.range, loc: piece.loc } as unknown as TSESTree.Node;
      onFound({ kind: 'cloud', where: 'markup', node, hit, loc, index, whole: piece.value === hit.secret });
    }
  };
  const templateScript: TSESLint.RuleListener = {};
  if (script.Literal) templateScript.Literal = script.Literal;
  if (script.TemplateLiteral) templateScript.TemplateLiteral = script.TemplateLiteral;
  return { markup, templateScript };
}
