import type { TSESLint } from '@typescript-eslint/utils';

type Handler = (node: never) => void;

/** One listener from several: a rule built from detection parts registers each selector once. */
export function mergeListeners(...listeners: TSESLint.RuleListener[]): TSESLint.RuleListener {
  const merged: Record<string, Handler[]> = {};
  for (const listener of listeners) {
    for (const [selector, handler] of Object.entries(listener)) {
      if (handler) (merged[selector] ??= []).push(handler);
    }
  }
  const result: Record<string, Handler> = {};
  for (const [selector, handlers] of Object.entries(merged)) {
    result[selector] =
      handlers.length === 1
        ? handlers[0]!
        : (node: never) => {
            for (const handler of handlers) handler(node);
          };
  }
  return result;
}
