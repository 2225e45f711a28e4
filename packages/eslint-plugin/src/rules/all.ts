import noClientSideKey from './no-client-side-key.js';
import noHardcodedKey from './no-hardcoded-key.js';
import noKeyInLogs from './no-key-in-logs.js';
import noKeyInUrl from './no-key-in-url.js';
import requireHttps from './require-https.js';

/** Every rule, by the name users type after `@statalog/`. */
export const rules = {
  'no-hardcoded-key': noHardcodedKey,
  'no-key-in-url': noKeyInUrl,
  'no-client-side-key': noClientSideKey,
  'require-https': requireHttps,
  'no-key-in-logs': noKeyInLogs,
};

export type RuleName = keyof typeof rules;
