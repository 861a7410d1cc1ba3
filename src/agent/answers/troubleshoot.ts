// Read-only troubleshooting of one deployment: each resource still exists on its server and matches what state
// recorded; each published container port has an enabled port forward to the container's current address and a pass
// rule that lets it in; containers run; DNS records point at the container; the VLAN is there. Only `read` is called:
// nothing is changed. A server that cannot be reached makes its checks "unknown", never a crash.
import { ProviderError } from '../../execute/provider-error.js';
import type { ProviderGateway, ProviderResource } from '../../execute/provider-gateway.js';
import { parseAddress } from '../../model/address.js';
import type { ResourceRecord } from '../../model/resource-record.js';
import { diffProperties } from '../../plan/diff.js';
import type { StateStore } from '../../state/state-store.js';
import { shownValue } from './describe-resource.js';
import {
  type CheckContext,
  checkDns,
  checkPublishedPorts,
  kindName,
  type LiveRead,
  reapplyFix,
} from './troubleshoot-checks.js';
import { countFindings, type Finding, sortFindings, type TroubleshootReport } from './troubleshoot-report.js';

export type {
  Finding,
  FindingStatus,
  TroubleshootCheck,
  TroubleshootReport,
} from './troubleshoot-report.js';
export { renderTroubleshootReport } from './troubleshoot-report.js';

export interface TroubleshootOptions {
  deployment: string;
  /** What is wrong, in the user's words ("my friends can't connect"). */
  symptom?: string;
  state: StateStore;
  gateway: ProviderGateway;
  /** Cancels the checks (Ctrl-C): the call rejects with the abort reason. */
  signal?: AbortSignal;
  /** Per read (default 15 s): a server that takes longer is "unknown". */
  timeoutMs?: number;
  now?: () => Date;
}

/** Errors that say the server, not the resource, is the problem: its other reads are not attempted. */
const SERVER_DOWN = new Set([
  'server-unavailable',
  'server-crashed',
  'connection-lost',
  'connection-closed',
  'timeout',
  'unknown-server',
  'no-adapter',
]);

const RUNNING = new Set(['running', 'active', 'available', 'up', 'healthy', 'online']);
const STOPPED = new Set(['stopped', 'exited', 'dead', 'paused', 'terminated', 'failed', 'error', 'crashed']);

export async function troubleshoot(options: TroubleshootOptions): Promise<TroubleshootReport> {
  const { deployment, state } = options;
  const checkedAt = (options.now ?? (() => new Date()))().toISOString();
  const report = (findings: Finding[]): TroubleshootReport => {
    const sorted = sortFindings(findings);
    return {
      deployment,
      ...(options.symptom ? { symptom: options.symptom } : {}),
      checkedAt,
      findings: sorted,
      counts: countFindings(sorted),
    };
  };
  const [record, records] = await Promise.all([
    state.getDeployment(deployment),
    state.resourcesOf(deployment),
  ]);
  if (records.length === 0) {
    const known = (await state.listDeployments())
      .filter((other) => other.status !== 'destroyed')
      .map((other) => other.name);
    return report([
      {
        check: 'deployment',
        status: 'problem',
        summary:
          record?.status === 'destroyed'
            ? `${deployment} was destroyed: nothing of it is left to check.`
            : record
              ? `State holds no resources for ${deployment} (status ${record.status}).`
              : `There is no deployment named ${deployment}.`,
        fix:
          record?.status === 'destroyed'
            ? `Deploy it again, or restore it to a time before it was destroyed.`
            : known.length > 0
              ? `Troubleshoot one of the deployments state knows: ${known.join(', ')}.`
              : 'Nothing is deployed yet.',
      },
    ]);
  }

  // What this deployment needs from other deployments (a VLAN it runs on) is checked too.
  const own = new Set(records.map((item) => item.address));
  const external = await externalDependencies(state, records, own);
  const live = await readAll([...records, ...external], options);
  options.signal?.throwIfAborted();

  const context: CheckContext = {
    deployment,
    records,
    live,
    ...(options.symptom ? { symptom: options.symptom } : {}),
    ...(record?.params ? { params: record.params } : {}),
    explained: new Map(),
    covered: new Set(),
  };
  const findings: Finding[] = [];
  findings.push(...checkPublishedPorts(context));
  findings.push(...checkDns(context));
  for (const item of [...records, ...external]) {
    const read = live.get(item.address)!;
    if (!context.covered.has(item.address)) findings.push(existence(item, read, deployment, own));
    if (read.kind !== 'present') continue;
    const drift = driftFinding(item, read.resource, deployment, context.explained.get(item.address));
    if (drift) findings.push(drift);
    const running = runningFinding(item, read.resource);
    if (running) findings.push(running);
  }
  return report(findings);
}

async function externalDependencies(
  state: StateStore,
  records: readonly ResourceRecord[],
  own: ReadonlySet<string>,
): Promise<ResourceRecord[]> {
  const keys = [
    ...new Set(records.flatMap((item) => item.dependsOn).filter((address) => !own.has(address))),
  ].flatMap((address) => {
    const parsed = parseAddress(address);
    return parsed ? [{ server: parsed.server, name: parsed.name }] : [];
  });
  if (keys.length === 0) return [];
  const found = await state.findByName(keys);
  return found.filter((item): item is ResourceRecord => item !== undefined);
}

async function readAll(
  records: readonly ResourceRecord[],
  options: TroubleshootOptions,
): Promise<Map<string, LiveRead>> {
  const results = new Map<string, LiveRead>();
  const byServer = new Map<string, ResourceRecord[]>();
  for (const item of records) byServer.set(item.server, [...(byServer.get(item.server) ?? []), item]);
  await Promise.all(
    [...byServer.entries()].map(async ([server, items]) => {
      let down: string | undefined;
      for (const item of items) {
        options.signal?.throwIfAborted();
        if (down) {
          results.set(item.address, { kind: 'unknown', reason: down });
          continue;
        }
        if (!item.id) {
          results.set(item.address, { kind: 'unknown', reason: 'state has no provider id for it' });
          continue;
        }
        const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
        const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
        try {
          const resource = await options.gateway.read(
            { server: item.server, type: item.type, id: item.id },
            { signal },
          );
          results.set(item.address, resource ? { kind: 'present', resource } : { kind: 'missing' });
        } catch (error) {
          options.signal?.throwIfAborted();
          const reason = describeError(error, server);
          if (!ProviderError.isInstance(error) || SERVER_DOWN.has(error.code) || timeout.aborted)
            down = `${server} could not be reached: ${reason}`;
          results.set(item.address, { kind: 'unknown', reason: down ?? reason });
        }
      }
    }),
  );
  return results;
}

function describeError(error: unknown, server: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0] ?? message;
  return first.replace(new RegExp(`^${server}: `), '');
}

function existence(
  item: ResourceRecord,
  read: LiveRead,
  deployment: string,
  own: ReadonlySet<string>,
): Finding {
  const check = item.type === 'network:vlan' ? 'vlan' : 'exists';
  const what =
    item.type === 'network:vlan'
      ? `VLAN ${String(item.properties.tag ?? '?')} (${item.name}${typeof item.outputs.device === 'string' ? `, ${item.outputs.device}` : ''})`
      : `${kindName(item.type)} ${item.name}`;
  const from = own.has(item.address) ? '' : ` (from deployment ${item.deployment})`;
  if (read.kind === 'unknown')
    return { check, status: 'unknown', address: item.address, summary: `${what}${from}: ${read.reason}.` };
  if (read.kind === 'present')
    return {
      check,
      status: 'ok',
      address: item.address,
      summary: `${what}${from} exists on ${item.server}.`,
    };
  return {
    check,
    status: 'problem',
    address: item.address,
    summary: `${what}${from} is gone: ${item.server} no longer has it (state still records id ${item.id}).`,
    fix: own.has(item.address)
      ? reapplyFix(deployment, `re-creates the ${kindName(item.type)} ${item.name}`)
      : reapplyFix(
          item.deployment,
          `re-creates the ${kindName(item.type)} ${item.name} that ${deployment} runs on`,
        ),
    reapply: true,
  };
}

function driftFinding(
  item: ResourceRecord,
  actual: ProviderResource,
  deployment: string,
  explained: ReadonlySet<string> | undefined,
): Finding | undefined {
  const sensitive = item.sensitive ?? [];
  const changes = diffProperties(item.properties, actual.properties).filter(
    (change) => !explained?.has(change.path.split(/[.[]/)[0]!),
  );
  if (changes.length === 0) return undefined;
  const described = changes.map((change) => {
    const before =
      change.before === undefined ? '(unset)' : shownValue(change.before, change.path, sensitive);
    const after = change.after === undefined ? '(unset)' : shownValue(change.after, change.path, sensitive);
    return { path: change.path, before, after };
  });
  return {
    check: 'drift',
    status: 'problem',
    address: item.address,
    summary: `${kindName(item.type)} ${item.name} was changed outside Conductor: ${described.map((change) => `${change.path} ${change.before} → ${change.after}`).join('; ')}.`,
    fix: `${reapplyFix(
      item.deployment === deployment ? deployment : item.deployment,
      described
        .map((change) =>
          change.before === '(unset)'
            ? `removes ${change.path} (now ${change.after})`
            : `sets ${change.path} back to ${change.before}`,
        )
        .join(', '),
    )} To keep the change instead, make it in the deployment.`,
    reapply: true,
  };
}

function runningFinding(item: ResourceRecord, actual: ProviderResource): Finding | undefined {
  const value = actual.outputs.status ?? actual.outputs.state;
  if (typeof value !== 'string' || value === 'template') return undefined;
  const status = value.toLowerCase();
  const what = `${kindName(item.type)} ${item.name}`;
  if (RUNNING.has(status))
    return { check: 'running', status: 'ok', address: item.address, summary: `${what} is ${status}.` };
  if (STOPPED.has(status))
    return {
      check: 'running',
      status: 'problem',
      address: item.address,
      summary: `${what} is ${status}, not running.`,
      fix:
        item.type === 'container'
          ? `Start it on ${item.server} (docker start ${item.name}) and read its logs for why it stopped; if it will not stay up, re-applying ${item.deployment} replaces it.`
          : `Start it on ${item.server}, then look at its console or logs for why it stopped.`,
    };
  return {
    check: 'running',
    status: 'unknown',
    address: item.address,
    summary: `${what} reports status "${value}"; check again in a moment.`,
  };
}
