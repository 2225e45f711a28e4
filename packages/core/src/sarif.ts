import type { Finding } from './finding.js';
import { RULE_IDS, RULES } from './rules.js';

export interface SarifOptions {
  toolName?: string;
  version: string;
  informationUri?: string;
}

/** A relative, `/`-separated path as a URI reference: each segment percent-encoded. */
export function toArtifactUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** A deployed site's finding names an absolute URL (`--url`; `…map!source` inside a source map). */
const ABSOLUTE_URL = /^https?:\/\/[^\s/]+\//;

function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  // kept as written (no dot-segment resolution: a map's `!../../src/a.ts` must stay what the report says)
  if (ABSOLUTE_URL.test(file)) return { uri: encodeURI(file) };
  return { uri: toArtifactUri(file), uriBaseId: '%SRCROOT%' };
}

/**
 * A key found only in history is not in the file at this location any more: code scanning would show an
 * alert on a line that no longer holds it, so the message says where it lives and that it still counts.
 */
function historyOnly(f: Finding): string {
  const commit = f.commit !== undefined ? ` (added in commit ${f.commit.slice(0, 7)}, removed by a later one)` : '';
  return `Only in the git history${commit}: the current version of this file no longer holds it, but every clone does — revoke it anyway.`;
}

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: every rule with help text, relative artifact URIs against
 * %SRCROOT%, and `partialFingerprints` built from rule + path + secret hash so alerts track the secret,
 * not the line.
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions): object {
  const rules = RULE_IDS.map((id) => {
    const r = RULES[id];
    return {
      id,
      name: r.name,
      shortDescription: { text: r.title },
      fullDescription: { text: r.description },
      help: { text: `${r.description} ${r.remedy}`, markdown: `${r.description}\n\n**What to do:** ${r.remedy}` },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'secrets', 'statalog'], precision: 'very-high', 'security-severity': '9.0' },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: RULE_IDS.indexOf(f.ruleId),
    level: 'error',
    message: { text: f.presentAtHead === false ? `${f.message} ${historyOnly(f)}` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file),
          region: { startLine: f.line, startColumn: f.column, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { 'statalogSecret/v1': f.fingerprint },
    properties: {
      masked: f.masked,
      ...(f.encoding !== undefined ? { encoding: f.encoding } : {}),
      ...(f.commit !== undefined
        ? {
            commit: f.commit,
            author: f.author,
            date: f.date,
            presentAtHead: f.presentAtHead,
            occurrences: f.occurrences,
          }
        : {}),
      ...(f.verification ? { verification: f.verification.status } : {}),
    },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName ?? 'statalog-scan',
            version: options.version,
            semanticVersion: options.version,
            informationUri: options.informationUri ?? 'https://github.com/statalog/key-guard',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
