/**
 * What is not a leak: placeholders, references to the environment, truncations, the documentation's
 * example key and obviously synthetic values. Shared by every rule and every tool.
 */

/** The key Statalog's own documentation shows; users copy it, it is public, it is not a leak. */
export const DOC_EXAMPLE_KEY = 'st_a3f8c2d1e4b7c9f0a2b4d6e8f1c3a5b7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8';

export function isDocExampleKey(value: string): boolean {
  return value === DOC_EXAMPLE_KEY;
}

/**
 * True for a string made of one repeated block of at most 16 characters (`0000…`, `abab…`,
 * `0123456789abcdef0123…`) or of at most two simple runs (`abcd1234`, `aaaa1111`, `abcdef123456`):
 * nobody's random key looks like that, every template does.
 */
export function isSyntheticSequence(value: string): boolean {
  if (value.length < 4) return false;
  const max = Math.min(16, value.length >> 1);
  for (let period = 1; period <= max; period++) {
    let periodic = true;
    for (let i = period; i < value.length; i++) {
      if (value.charCodeAt(i) !== value.charCodeAt(i - period)) {
        periodic = false;
        break;
      }
    }
    if (periodic) return true;
  }
  return isFewSimpleRuns(value);
}

/**
 * At most two runs, each of 3+ characters stepping by the same -1, 0 or +1 code point (`0123…9abc…` counts
 * the jump from `9` to `a` as one step): `0123456789abcdef`, `fedcba98`, `abcd1234`, `xxxx9999`.
 */
function isFewSimpleRuns(value: string): boolean {
  if (value.length < 8) return false;
  let runs = 0;
  let i = 0;
  while (i < value.length) {
    if (++runs > 2) return false;
    const step = stepAt(value, i + 1);
    let j = i + 1;
    if (step >= -1 && step <= 1) while (j < value.length && stepAt(value, j) === step) j++;
    if (j - i < 3) return false;
    i = j;
  }
  return true;
}

/** value[i] − value[i−1], with the hex jumps `9`→`a` and `a`→`9` counted as ±1. */
function stepAt(value: string, i: number): number {
  const d = value.charCodeAt(i) - value.charCodeAt(i - 1);
  if (d === 0x61 - 0x39) return 1;
  if (d === 0x39 - 0x61) return -1;
  return d;
}

/** Words that placeholder values are made of (`your-api-key-here`, `test_key`, `fakeStatalogToken`). */
const PLACEHOLDER_WORDS = new Set([
  'a',
  'abc',
  'access',
  'add',
  'an',
  'api',
  'apikey',
  'bar',
  'baz',
  'change',
  'changeme',
  'cloud',
  'community',
  'default',
  'demo',
  'dev',
  'development',
  'dummy',
  'enter',
  'example',
  'fake',
  'foo',
  'foobar',
  'for',
  'fill',
  'generated',
  'goes',
  'here',
  'in',
  'insert',
  'invalid',
  'key',
  'local',
  'me',
  'mock',
  'my',
  'new',
  'none',
  'not',
  'null',
  'of',
  'paste',
  'placeholder',
  'put',
  'real',
  'redacted',
  'replace',
  'sample',
  'secret',
  'set',
  'some',
  'statalog',
  'stub',
  'test',
  'testing',
  'the',
  'this',
  'to',
  'todo',
  'token',
  'undefined',
  'value',
  'with',
  'x',
  'xxx',
  'xxxx',
  'xyz',
  'you',
  'your',
  'yours',
  'st',
  'tbd',
  'fixme',
  'dummykey',
  'testkey',
  'apikeyhere',
  'false',
  'true',
  'nil',
  'empty',
  'sk',
  'pk',
  'string',
  'str',
  'secretkey',
  'password',
  'pass',
  'sandbox',
  'qwerty',
  'asdf',
  'lorem',
  'ipsum',
]);

const REFERENCE_PREFIXES = [
  'process.env',
  'import.meta.env',
  'os.environ',
  'os.getenv',
  'env(',
  'env[',
  'env.',
  'getenv(',
  'ENV[',
  'ENV.fetch',
  'System.getenv',
  'Environment.GetEnvironmentVariable',
  'config(',
  'secrets.',
  'vars.',
  '$_ENV',
  '$_SERVER',
  'Deno.env',
  'ENC[',
  'AGE-ENC[',
  '!vault',
  '!Ref',
  '!Sub',
  '!secret',
];

/** `op://vault/item/field`, `vault:secret/data/statalog#key`, `arn:aws:secretsmanager:…`, `ssm:/…`, `https://…`. */
const SECRET_REFERENCE = /^[a-z][a-z0-9+.-]{1,24}:(?:\/\/|[a-z/])/i;
/** `STATALOG_API_KEY`, `NEXT_PUBLIC_STATALOG_API_KEY`: the name of a variable, not its value. */
const ENV_NAME = /^[A-Z][A-Z0-9]{0,23}(?:_[A-Z0-9]{1,24})+$/;
/**
 * `config.statalog.apiKey`, `settings.STATALOG_API_KEY`, `module.app_secrets_v2.statalog_api_key`: a property
 * path, read at run time. Dots never occur in hex or base64 keys.
 */
const PROPERTY_PATH = /^[A-Za-z_$][\w$]{0,40}(?:\.[A-Za-z_$][\w$]{0,40})+$/;
/** The last segment of a property path that names a thing: letters and separators, no digit. */
const NAMING_SEGMENT = /\.[A-Za-z_$][A-Za-z_$]{2,40}$/;
/**
 * A secret manager's name and version (`statalog_api_key:latest`, `statalog-key:3` in
 * `gcloud run deploy --set-secrets=STATALOG_API_KEY=statalog_api_key:latest`) or a resource path
 * (`projects/p/secrets/statalog/versions/2`).
 */
const SECRET_VERSION = /^[A-Za-z][\w.-]{0,80}:(?:latest|\d{1,6})$|^projects\/[\w.-]{1,64}\/secrets\//;
/**
 * Laravel validation rules (`nullable|string|size:64`, `required|regex:/^[a-f0-9]+$/`): every Laravel app
 * that stores a team's key validates it so. Keys never hold `|`.
 */
const VALIDATION_RULES = /^[a-z][a-z_]{1,30}(?::[^|]{0,80})?(?:\|[a-z][a-z_]{1,30}(?::[^|]{0,80})?)+$/;
/**
 * A regular expression describing the key (`[0-9a-f]{64}`, `\s*=\s*`, `(?i)`, `[:=]`): a rule in a
 * scanner's config or a validator, not a key. Hex and base64 keys hold none of these.
 */
const REGEX_SOURCE = /\[\^?\w-\w|\\[dswbDSWB]|\(\?|\{\d{1,4}(?:,\d{0,4})?\}|\[[:=_-]{2,4}\]/;
/** A digest printed with its algorithm (`sha256:9f86…`, `md5:…`): a fingerprint, not the key. */
const DIGEST = /^(?:sha(?:1|224|256|384|512)|sha3-\d{3}|md5|blake2[bs]?|xxh(?:32|64|3)?)[:=-][0-9a-fA-F+/=_-]{16,}$/i;
/**
 * `/run/secrets/statalog_api_key`, `./secrets/statalog.key`, `~/.statalog/key`: a file that holds the key.
 * Rooted paths must start in a usual directory: a base64 key may start with `/` and hold another `/`.
 */
const FILE_PATH =
  /^(?:~|\.{1,2}|\/(?:run|var|etc|home|opt|secrets?|mnt|tmp|usr|srv|app|data|config|root|Users|workspace|vault|keys?))\/[\w.-]{1,64}(?:\/[\w.-]{1,64})*$/;

/**
 * True when `raw` (a value as written, quotes removed) is not a secret: empty, a reference or template,
 * a placeholder, a truncation, or a synthetic run.
 */
export function isPlaceholderValue(raw: string): boolean {
  const value = raw.trim();
  if (value.length === 0) return true;
  if (value.includes('${') || value.includes('{{') || value.includes('#{') || value.includes('<%')) return true;
  const first = value[0]!;
  if (first === '$' || first === '%' || first === '@') return true; // $VAR, $(cmd), %s, %(x)s, %VAR%, @secret
  if (first === '<' && value.endsWith('>')) return true;
  if (first === '[' && value.endsWith(']')) return true;
  if (first === '{' && value.endsWith('}')) return true;
  // truncations and elisions: `st_a3f8c2d1e4b7...`, `st_...`, and our own masked form `st_a3f8…f6a8`
  if (value.includes('...') || value.includes('…')) return true;
  // masked forms: `****abcd`, `st_a3f8********f6a8`, `••••f6a8`
  if (value.includes('***') || /[•●]{3}/.test(value)) return true;
  if (/^[x*.\-_#?]+$/i.test(value)) return true;
  if (/^(?:your|insert|enter|put|paste|replace)[-_ .]/i.test(value)) return true;
  for (const prefix of REFERENCE_PREFIXES) if (value.startsWith(prefix)) return true;
  if (/%(?:\(\w+\))?[sd]/.test(value)) return true;
  if (SECRET_REFERENCE.test(value) || ENV_NAME.test(value) || FILE_PATH.test(value)) return true;
  if (PROPERTY_PATH.test(value) && (!/\d/.test(value) || NAMING_SEGMENT.test(value))) return true;
  if (SECRET_VERSION.test(value) || VALIDATION_RULES.test(value) || REGEX_SOURCE.test(value) || DIGEST.test(value))
    return true;
  // a label or sentence in another language (`Statalog-API-Schlüssel`): keys are ASCII, as HTTP headers are
  if (/[^\x00-\x7f]/.test(value)) return true;
  const bare = value.startsWith('st_') ? value.slice(3) : value;
  if (isSyntheticSequence(bare.toLowerCase())) return true;
  return isMadeOfPlaceholderWords(value) || isWordyName(value);
}

/**
 * `your_api_key_here`, `test-key-1`, `<YOUR-KEY>`: every word a placeholder word (a short number may tag
 * along), and at least one of them a word rather than a number.
 */
function isMadeOfPlaceholderWords(value: string): boolean {
  if (value.length > 80) return false;
  const words = value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return true; // punctuation only
  let named = false;
  for (const w of words) {
    if (/^\d{1,6}$/.test(w)) continue;
    if (PLACEHOLDER_WORDS.has(w.replace(/\d{1,4}$/, '')) || /^x+$/.test(w)) named = true;
    else return false;
  }
  return named;
}

/**
 * Words joined by `-`, `_` or `.` (or camelCase humps) without a digit: `statalog-production-api-key`,
 * `NEXT_PUBLIC_STATALOG_KEY`, `myStatalogKey` — the name of a secret in some store, not the secret. Random
 * keys carry digits, or at least break the word shape.
 */
function isWordyName(value: string): boolean {
  if (value.length > 80 || /\d/.test(value)) return false;
  const parts = value.split(/[-_.]/);
  for (const part of parts)
    if (!/^(?:[a-z]{1,20}|[A-Z][a-z]{0,19}|[A-Z]{1,20})(?:[A-Z][a-z]{1,19}){0,8}$/.test(part)) return false;
  return true;
}

/** A well-formed cloud key that is nevertheless not a leak: the doc example or a synthetic run. */
export function isPlaceholderCloudKey(key: string): boolean {
  return isSyntheticSequence(key.slice(3));
}
