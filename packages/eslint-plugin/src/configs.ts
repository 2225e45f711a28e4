import { rules, type RuleName } from './rules/all.js';

export const NAMESPACE = '@statalog' as const;

type RuleLevels = Partial<Record<`${typeof NAMESPACE}/${RuleName}`, 'error'>>;

/** `recommended`: the rules whose docs say so; `strict`: every rule. Both as errors: each finding is a leak. */
export function ruleLevels(config: 'recommended' | 'strict'): RuleLevels {
  const levels: RuleLevels = {};
  for (const [name, rule] of Object.entries(rules) as Array<[RuleName, (typeof rules)[RuleName]]>) {
    if (config === 'strict' || rule.meta.docs?.recommended) levels[`${NAMESPACE}/${name}`] = 'error';
  }
  return levels;
}
