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
 * `0123456789abcdef0123…`): nobody's random key looks like that, every template does.
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
  return isMonotonicRun(value);
}

/** `0123456789abcdef…` or `fedcba98…` across the whole value, stepping by one code point. */
function isMonotonicRun(value: string): boolean {
  if (value.length < 8) return false;
  const step = value.charCodeAt(1) - value.charCodeAt(0);
  if (step !== 1 && step !== -1) return false;
  for (let i = 2; i < value.length; i++) {
    const d = value.charCodeAt(i) - value.charCodeAt(i - 1);
    // hex sequences jump from '9' to 'a' (and back); treat that as one step
    if (d !== step && !(step === 1 && d === 0x61 - 0x39) && !(step === -1 && d === 0x39 - 0x61)) return false;
  }
  return true;
}

/** Words that placeholder values are made of (`your-api-key-here`, `test_key`, `fakeStatalogToken`). */
const PLACEHOLDER_WORDS = new Set([
  'a', 'access', 'add', 'an', 'api', 'apikey', 'bar', 'baz', 'change', 'changeme', 'cloud', 'community',
  'default', 'demo', 'dev', 'development', 'dummy', 'enter', 'example', 'fake', 'foo', 'for', 'fill', 'generated',
  'goes', 'here', 'in', 'insert', 'invalid', 'key', 'local', 'me', 'mock', 'my', 'new', 'none', 'not', 'null',
  'of', 'paste', 'placeholder', 'put', 'real', 'redacted', 'replace', 'sample', 'secret', 'set', 'some',
  'statalog', 'stub', 'test', 'testing', 'the', 'this', 'to', 'todo', 'token', 'undefined', 'value', 'with',
  'x', 'xxx', 'xxxx', 'you', 'your', 'yours', 'st', 'tbd', 'fixme', 'dummykey', 'testkey', 'apikeyhere',
  'false', 'true', 'nil', 'empty', 'sk', 'pk', 'string', 'str', 'secretkey', 'password', 'pass', 'sandbox',
]);

const REFERENCE_PREFIXES = [
  'process.env', 'import.meta.env', 'os.environ', 'os.getenv', 'env(', 'env[', 'env.', 'getenv(', 'ENV[',
  'ENV.fetch', 'System.getenv', 'Environment.GetEnvironmentVariable', 'config(', 'secrets.', 'vars.',
  '$_ENV', '$_SERVER', 'Deno.env',
];

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
  if (value.endsWith('...') || value.endsWith('…')) return true;
  if (/^[x*.\-_#?]+$/i.test(value)) return true;
  if (/^(?:your|insert|enter|put|paste|replace)[-_ .]/i.test(value)) return true;
  for (const prefix of REFERENCE_PREFIXES) if (value.startsWith(prefix)) return true;
  if (/%(?:\(\w+\))?[sd]/.test(value)) return true;
  const bare = value.startsWith('st_') ? value.slice(3) : value;
  if (isSyntheticSequence(bare.toLowerCase())) return true;
  return isMadeOfPlaceholderWords(value);
}

function isMadeOfPlaceholderWords(value: string): boolean {
  if (value.length > 80 || /\d{3,}/.test(value)) return false;
  const words = value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[-_ .:/]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return true;
  return words.every((w) => PLACEHOLDER_WORDS.has(w.replace(/\d+$/, '')) || /^x+$/.test(w));
}

/** A well-formed cloud key that is nevertheless not a leak: the doc example or a synthetic run. */
export function isPlaceholderCloudKey(key: string): boolean {
  return isSyntheticSequence(key.slice(3));
}
