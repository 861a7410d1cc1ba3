// `conductor deployments`, `conductor state` and `conductor unlock`: reading state and freeing a stuck lock.
import { hostname } from 'node:os';
import { ConductorError } from '../model/conductor-error.js';
import type { ResourceRecord } from '../model/resource-record.js';
import { redactRecords, renderDeployments, renderResources } from '../review/render-state.js';
import { resourcesAt } from '../state/history.js';
import { ownerIsGone } from '../state/lock-error.js';
import type { DeploymentRecord } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { CliIo } from './main.js';

export async function deploymentsCommand(
  state: StateStore,
  io: CliIo,
  options: { json?: boolean },
): Promise<void> {
  if (options.json) io.stdout(`${JSON.stringify(await deploymentSummaries(state), null, 2)}\n`);
  else {
    const deployments = await state.listDeployments();
    io.stdout(renderDeployments(deployments, await resourceCounts(state)));
  }
}

/** Each deployment's record without its plan, with how many resources it owns (`deployments --json`, `serve`). */
export async function deploymentSummaries(
  state: StateStore,
): Promise<Array<Omit<DeploymentRecord, 'plan'> & { resources: number }>> {
  const [deployments, counts] = await Promise.all([state.listDeployments(), resourceCounts(state)]);
  return deployments.map(({ plan: _plan, ...record }) => ({
    ...record,
    resources: counts.get(record.name) ?? 0,
  }));
}

async function resourceCounts(state: StateStore): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const record of await state.listResources())
    counts.set(record.deployment, (counts.get(record.deployment) ?? 0) + 1);
  return counts;
}

export interface StateCommandOptions {
  json?: boolean;
  deployment?: string;
  /** ISO time or anything Date.parse reads: show state as it was then. */
  at?: string;
  verbose?: boolean;
}

export async function stateCommand(
  state: StateStore,
  io: CliIo,
  options: StateCommandOptions,
): Promise<void> {
  const records = await stateRecords(state, options);
  if (options.json) io.stdout(`${JSON.stringify(redactRecords(records), null, 2)}\n`);
  else io.stdout(renderResources(records, { verbose: options.verbose ?? false }));
}

/** The resource records state holds (of one deployment, as of a time); unknown names and bad times are errors. */
export async function stateRecords(
  state: StateStore,
  options: Pick<StateCommandOptions, 'deployment' | 'at'>,
): Promise<ResourceRecord[]> {
  let records: ResourceRecord[];
  if (options.at) {
    const at = new Date(options.at);
    if (Number.isNaN(at.getTime()))
      throw new ConductorError({
        code: 'invalid-time',
        summary: `--at ${options.at} is not a time.`,
        detail: 'Give an ISO time such as 2026-11-22T10:00:00Z, or a date such as 2026-11-22.',
        exitCode: 2,
      });
    records = await resourcesAt(state, at, options.deployment);
  } else {
    records = options.deployment ? await state.resourcesOf(options.deployment) : await state.listResources();
  }
  if (options.deployment && records.length === 0 && !(await state.getDeployment(options.deployment))) {
    const known = (await state.listDeployments()).map((record) => record.name);
    throw new ConductorError({
      code: 'deployment-not-found',
      summary: `No deployment named "${options.deployment}" in ${state.location}.`,
      detail:
        known.length > 0 ? `Known deployments: ${known.join(', ')}.` : 'State holds no deployments yet.',
      exitCode: 2,
    });
  }
  return records;
}

export async function unlockCommand(
  state: StateStore,
  io: CliIo,
  options: { force?: boolean },
): Promise<number> {
  const owner = await state.readLock();
  if (!owner) {
    io.stdout(`The state at ${state.location} is not locked.\n`);
    return 0;
  }
  const holder = `${owner.operation} (pid ${owner.pid} on ${owner.host}, since ${owner.since})`;
  if (!options.force && !ownerIsGone(owner, hostname())) {
    throw new ConductorError({
      code: 'lock-in-use',
      summary: `The state is locked by ${holder}, which may still be running.`,
      detail:
        owner.host === hostname()
          ? `Process ${owner.pid} is alive. Let it finish, or stop it, then run \`conductor unlock\` again.`
          : `It runs on another machine (${owner.host}), so Conductor cannot tell whether it is alive. If you are sure it is gone, run \`conductor unlock --force\`, then \`conductor recover\`.`,
      exitCode: 1,
    });
  }
  await state.forceUnlock();
  io.stdout(
    `Unlocked the state at ${state.location} (was held by ${holder}).\nRun \`conductor recover\` to finish or undo what that run left.\n`,
  );
  return 0;
}
