/**
 * The action: read the inputs and the event, collect what the commits the event brings added (through the
 * REST API, or with local git on a full checkout: collect.ts), resolve the findings with the policy read at
 * the base of the change (resolve-findings.ts), and publish them — annotations, job summary, optional PR
 * comment and SARIF, outputs (publish.ts). Nothing from the pull request is run: files are read as data.
 */
import * as core from '@actions/core';
import { printable } from '@statalog/core';
import { collect } from './collect.js';
import { readRunContext, type RunContext } from './context.js';
import { Coverage } from './coverage.js';
import { budgetFromEnv, createClient, type Client } from './github.js';
import { readInputs, type Inputs } from './inputs.js';
import { planScan } from './plan.js';
import { publish, publishFailure, publishNothing } from './publish.js';
import { resolveFindings } from './resolve-findings.js';
import { verifier as defaultVerifier, type Verifier } from './verification.js';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Live-key verification, when wired (see verification.ts). */
  verifier?: Verifier;
}

export async function run(options: RunOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  // the token and every key found: redacted from any error message
  const known: string[] = [];
  try {
    const inputs = readInputs((name) => core.getInput(name));
    known.push(inputs.token);
    const ctx = readRunContext(env);
    const plan = planScan({
      eventName: ctx.eventName,
      payload: ctx.payload,
      sha: ctx.sha,
      ref: ctx.ref,
      repository: `${ctx.owner}/${ctx.repo}`,
    });
    if (plan.kind === 'nothing') {
      publishNothing(inputs, ctx, plan.reason);
      return;
    }
    const client = clientFor(inputs, ctx, env);
    const coverage = new Coverage();
    const collected = await collect(client, plan, inputs, ctx, coverage);
    const resolved = await resolveFindings(client, plan, inputs, ctx, collected, coverage, {
      verifier: options.verifier ?? defaultVerifier,
      known,
    });
    await publish(client, plan, inputs, ctx, resolved);
  } catch (error) {
    await publishFailure(error, known);
  }
}

function clientFor(inputs: Inputs, ctx: RunContext, env: NodeJS.ProcessEnv): Client {
  return createClient({
    token: inputs.token,
    baseUrl: ctx.apiUrl,
    owner: ctx.owner,
    repo: ctx.repo,
    warn: (m) => core.warning(printable(m)),
    info: (m) => core.info(printable(m)),
    ...budgetFromEnv(env),
  });
}
