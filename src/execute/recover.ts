// `conductor recover`: finishes what a crashed or half-rolled-back apply left. For each such apply it asks the
// providers what really exists under the names the journal touched, then either rolls the apply back (the default
// when the apply was all-or-nothing), or makes state match the providers and keeps what was done (`reconcile`, the
// default after --no-rollback). Running it twice is safe: targets come from the original journal and fresh reads,
// so a second run finds nothing left to do.

import type { ResourceRecord } from '../model/resource-record.js';
import { deepEqual } from '../plan/diff.js';
import type { ApplyRecord, LeftBehind } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { ExecutionEvent } from './events.js';
import { JournalWriter } from './journal-writer.js';
import type { ProviderGateway, ProviderResource } from './provider-gateway.js';
import type { TouchedResource } from './reconcile.js';
import { findApplyToRecover, readActual, touchedResources } from './reconcile.js';
import type { CompletedOperation } from './rollback.js';
import { rollback } from './rollback.js';

export type RecoverMode = 'rollback' | 'reconcile';

export interface RecoverOptions {
  state: StateStore;
  gateway: ProviderGateway;
  /** Default: roll back an apply that would have rolled back on failure, reconcile one run with --no-rollback. */
  mode?: RecoverMode;
  timeoutMs?: number;
  concurrency?: number;
  serverConcurrency?: (server: string) => number;
  onEvent?: (event: ExecutionEvent) => void;
  now?: () => Date;
}

export interface RecoveredApply {
  applyId: string;
  deployment: string;
  mode: RecoverMode;
  /** Provider calls made to put things right. */
  fixed: number;
  /** State records rewritten to match what the providers hold. */
  stateFixes: number;
  leftBehind: LeftBehind[];
}

export interface RecoverReport {
  recovered: RecoveredApply[];
}

export async function recover(options: RecoverOptions): Promise<RecoverReport> {
  const recovered: RecoveredApply[] = [];
  for (const apply of await findApplyToRecover(options.state))
    recovered.push(await recoverApply(apply, options));
  return { recovered };
}

async function recoverApply(apply: ApplyRecord, options: RecoverOptions): Promise<RecoveredApply> {
  const { state, gateway } = options;
  const now = options.now ?? (() => new Date());
  const mode = options.mode ?? (apply.rollback ? 'rollback' : 'reconcile');
  const entries = await state.readJournal(apply.id);
  const touched = touchedResources(entries);
  const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const actual = await readActual(gateway, touched, { signal });

  let fixed = 0;
  let stateFixes = 0;
  let leftBehind: LeftBehind[] = [];
  if (mode === 'rollback') {
    const operations = touched.flatMap((resource) =>
      operationsToUndo(resource, actual.get(resource.key) ?? [], apply.deployment),
    );
    fixed = operations.length;
    if (operations.length > 0) {
      leftBehind = await rollback(operations, {
        gateway,
        state,
        // Undo calls continue the crashed apply's own journal, so a recover that crashes in turn is recovered from it.
        journal: await JournalWriter.continuing(state, apply.id),
        reason: {
          code: 'recover',
          summary: `recovering apply ${apply.id}`,
          detail: 'The apply was interrupted or its rollback did not finish.',
        },
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.serverConcurrency ? { serverConcurrency: options.serverConcurrency } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      });
    }
    const stuck = new Set(leftBehind.map((item) => item.address));
    // Where the providers already held the original (or the rollback just restored it), state must say so too.
    const afterRollback = await readActual(gateway, touched, { signal });
    for (const resource of touched) {
      if (stuck.has(resource.address)) continue;
      stateFixes += await writeState(
        state,
        resource,
        pickCurrent(resource, afterRollback.get(resource.key) ?? []),
        now,
      );
    }
  } else {
    for (const resource of touched)
      stateFixes += await writeState(
        state,
        resource,
        pickCurrent(resource, actual.get(resource.key) ?? []),
        now,
      );
  }

  const finishedAt = now();
  await state.putApply({
    ...apply,
    status: 'recovered',
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - Date.parse(apply.startedAt),
    ...(leftBehind.length > 0 ? { leftBehind } : {}),
  });
  const deployment = await state.getDeployment(apply.deployment);
  if (deployment) {
    const remaining = await state.resourcesOf(apply.deployment);
    await state.putDeployment({
      ...deployment,
      status:
        leftBehind.length > 0
          ? 'failed'
          : mode === 'rollback'
            ? 'rolled-back'
            : remaining.length === 0 && apply.operation === 'destroy'
              ? 'destroyed'
              : 'failed',
      updatedAt: finishedAt.toISOString(),
    });
  }
  return { applyId: apply.id, deployment: apply.deployment, mode, fixed, stateFixes, leftBehind };
}

/**
 * The operations that, undone, bring one name back to its original: a resource that should not be there counts as
 * created (undo: delete), a missing original as deleted (undo: re-create), a changed original as updated (undo:
 * update back). A resource with the original's properties under a new id (re-created by an earlier recover) is kept.
 */
function operationsToUndo(
  resource: TouchedResource,
  actual: readonly ProviderResource[],
  deployment: string,
): CompletedOperation[] {
  const base = {
    address: resource.address,
    server: resource.server,
    type: resource.type,
    name: resource.name,
    deployment,
    dependsOn: resource.dependsOn,
  };
  const { original } = resource;
  const keep = original ? matchOriginal(original, actual) : undefined;
  const operations: CompletedOperation[] = [];
  for (const candidate of actual) {
    if (candidate === keep) continue;
    operations.push({
      ...base,
      operation: 'create',
      id: candidate.id,
      after: recordFrom(resource, candidate, deployment),
    });
  }
  if (original && !keep)
    operations.push({ ...base, operation: 'delete', id: original.id ?? '', before: original });
  else if (original && keep && !deepEqual(keep.properties, original.properties))
    operations.push({
      ...base,
      operation: 'update',
      id: keep.id,
      before: { ...original, id: keep.id },
      after: recordFrom(resource, keep, deployment),
    });
  return operations;
}

function matchOriginal(
  original: ResourceRecord,
  actual: readonly ProviderResource[],
): ProviderResource | undefined {
  return (
    actual.find((candidate) => candidate.id === original.id) ??
    actual.find((candidate) => deepEqual(candidate.properties, original.properties))
  );
}

/** The resource the providers hold for a name now: the original's id if present, else the newest one. */
function pickCurrent(
  resource: TouchedResource,
  actual: readonly ProviderResource[],
): ProviderResource | undefined {
  if (actual.length <= 1) return actual[0];
  const original = resource.original && matchOriginal(resource.original, actual);
  return original ?? actual[actual.length - 1];
}

async function writeState(
  state: StateStore,
  resource: TouchedResource,
  current: ProviderResource | undefined,
  now: () => Date,
): Promise<number> {
  const recorded = await state.getResource(resource.server, resource.name);
  if (!current) {
    if (!recorded) return 0;
    await state.removeResource(resource.server, resource.name);
    return 1;
  }
  const deployment = recorded?.deployment ?? resource.original?.deployment ?? resource.deployment;
  const wanted = recordFrom(resource, current, deployment, recorded ?? resource.original, now);
  if (
    recorded &&
    recorded.id === wanted.id &&
    deepEqual(recorded.properties, wanted.properties) &&
    deepEqual(recorded.outputs, wanted.outputs)
  )
    return 0;
  await state.putResource(wanted);
  return 1;
}

function recordFrom(
  resource: TouchedResource,
  actual: ProviderResource,
  deployment: string,
  previous?: ResourceRecord,
  now: () => Date = () => new Date(),
): ResourceRecord {
  const time = now().toISOString();
  return {
    address: resource.address,
    server: resource.server,
    type: resource.type,
    name: resource.name,
    deployment,
    id: actual.id,
    properties: actual.properties,
    outputs: actual.outputs,
    dependsOn: previous?.id === actual.id ? previous.dependsOn : resource.dependsOn,
    ...(previous?.sensitive ? { sensitive: previous.sensitive } : {}),
    createdAt: previous?.id === actual.id && previous.createdAt ? previous.createdAt : time,
    updatedAt: time,
  };
}
