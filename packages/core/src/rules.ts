/** The three detection rules: ids, descriptions and the messages that say why and what to do. */

export type RuleId = 'cloud-key' | 'community-key' | 'url-key';

export interface RuleMeta {
  id: RuleId;
  /** PascalCase name, as SARIF wants it. */
  name: string;
  title: string;
  description: string;
  /** What to do, in plain text; the same words end every message of the rule. */
  remedy: string;
  message(masked: string): string;
}

const CLOUD_REMEDY =
  'Revoke it in Statalog under Account → API Keys → Revoke, issue a new key, and read it from the STATALOG_API_KEY environment variable or a secrets manager.';
const COMMUNITY_REMEDY =
  "Rotate it: put a new STATALOG_API_KEY in the server's .env, restart PHP and the queue workers, update every script that uses it, and read it from the environment instead of writing it here.";
const URL_REMEDY =
  'Revoke or rotate the key, and send it in the Authorization: Bearer header instead of the api_key= query parameter.';

export const RULES: Readonly<Record<RuleId, RuleMeta>> = {
  'cloud-key': {
    id: 'cloud-key',
    name: 'StatalogCloudKey',
    title: 'Statalog Cloud API key',
    description:
      'A Statalog Cloud API key (st_ + 64 hex characters) is written in plain text. Anyone who can read this file, a clone, a fork or a build artifact can read the analytics of every site of the account.',
    remedy: CLOUD_REMEDY,
    message: (masked) =>
      `Statalog Cloud API key ${masked} is written in plain text: anyone who can read it can read every site's analytics. ${CLOUD_REMEDY}`,
  },
  'community-key': {
    id: 'community-key',
    name: 'StatalogCommunityKey',
    title: 'Statalog Community API key',
    description:
      "A literal value is assigned to the self-hosted Statalog Community key (STATALOG_API_KEY). It unlocks the installation's whole analytics API.",
    remedy: COMMUNITY_REMEDY,
    message: (masked) =>
      `STATALOG_API_KEY is set to a literal value (${masked}): anyone who can read it can read the installation's analytics. ${COMMUNITY_REMEDY}`,
  },
  'url-key': {
    id: 'url-key',
    name: 'StatalogKeyInUrl',
    title: 'Statalog API key in a URL',
    description:
      'A Statalog API key is sent as the api_key= query parameter. URLs land in the access logs of every proxy on the way, in browser history and in referrer headers.',
    remedy: URL_REMEDY,
    message: (masked) =>
      `Statalog API key ${masked} is sent as ?api_key= in a URL, where access logs, proxies and browser history keep it. ${URL_REMEDY}`,
  },
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];
