// The records an apply leaves besides resources and the journal: the apply itself (running, then how it ended), the
// deployment's record (applying, then its new status), and a revision with the net changes for history.
import type { Plan } from '../model/plan.js';
import type { Deployment } from '../model/resource.js';
import type {
  ApplyRecord,
  ApplyStatus,
  DeploymentRecord,
  DeploymentStatus,
  LeftBehind,
  LockOwner,
  Problem,
} from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { ResourceChange } from './resource-state-writer.js';

export interface ApplyRequest {
  /** The sentence the deployment came from. */
  text?: string;
  pattern?: string;
  params?: Record<string, unknown>;
}

export interface ApplyStart {
  applyId: string;
  owner: LockOwner;
  operation: 'apply' | 'destroy';
  /** The plan as recorded: secrets masked. */
  plan: Plan;
  rollback: boolean;
  startedAt: number;
  request?: ApplyRequest;
  source?: Deployment;
}

export interface ApplyRecords {
  apply: ApplyRecord;
  deployment: DeploymentRecord;
}

/** Marks the apply running and the deployment applying, before the first provider call. */
export async function recordApplyStart(state: StateStore, start: ApplyStart): Promise<ApplyRecords> {
  const at = new Date(start.startedAt).toISOString();
  const name = start.plan.deployment;
  const apply: ApplyRecord = {
    id: start.applyId,
    deployment: name,
    operation: start.operation,
    status: 'running',
    owner: start.owner,
    plan: start.plan,
    summary: start.plan.summary,
    rollback: start.rollback,
    startedAt: at,
    ...(start.source ? { source: start.source } : {}),
  };
  const [existing] = await Promise.all([state.getDeployment(name), state.putApply(apply)]);
  const request = start.request ?? {};
  const text = request.text ?? existing?.request;
  const pattern = request.pattern ?? existing?.pattern;
  const params = request.params ?? existing?.params;
  const deployment: DeploymentRecord = {
    name,
    status: 'applying',
    ...(text !== undefined ? { request: text } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    ...(params !== undefined ? { params } : {}),
    ...(existing?.plan ? { plan: existing.plan } : {}),
    revision: existing?.revision ?? 0,
    lastApply: start.applyId,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  await state.putDeployment(deployment);
  return { apply, deployment };
}

export interface ApplyFinish {
  status: ApplyStatus;
  finishedAt: number;
  error?: Problem;
  leftBehind: LeftBehind[];
  changes: ResourceChange[];
  /** Resources the servers could not delete: a destroy that leaves some is not `destroyed`. */
  remains?: boolean;
}

/** Records how the apply ended, the deployment's new status and, when anything changed, a revision. */
export async function recordApplyFinish(
  state: StateStore,
  records: ApplyRecords,
  start: ApplyStart,
  finish: ApplyFinish,
): Promise<void> {
  const at = new Date(finish.finishedAt).toISOString();
  const revision = records.deployment.revision + (finish.changes.length > 0 ? 1 : 0);
  // The revision and the apply's outcome are independent keys, written side by side; the deployment record, which
  // points at the revision, only once the revision is stored.
  await Promise.all([
    finish.changes.length > 0
      ? state.putRevision({
          deployment: records.deployment.name,
          revision,
          applyId: start.applyId,
          at,
          status: finish.status,
          changes: finish.changes,
        })
      : undefined,
    state.putApply({
      ...records.apply,
      status: finish.status,
      finishedAt: at,
      durationMs: finish.finishedAt - start.startedAt,
      ...(finish.error ? { error: finish.error } : {}),
      ...(finish.leftBehind.length > 0 ? { leftBehind: finish.leftBehind } : {}),
    }),
  ]);
  await state.putDeployment({
    ...records.deployment,
    status: deploymentStatus(finish.status, start.operation, finish.remains ?? false),
    // The deployment's plan is the last one applied in full; a failed or undone apply leaves the previous one.
    ...(finish.status === 'succeeded' ? { plan: start.plan } : {}),
    revision,
    updatedAt: at,
  });
}

function deploymentStatus(
  status: ApplyStatus,
  operation: 'apply' | 'destroy',
  remains: boolean,
): DeploymentStatus {
  // A destroy that had to leave resources the servers cannot delete still owns them: it is not gone yet.
  if (status === 'succeeded') return operation === 'destroy' && !remains ? 'destroyed' : 'applied';
  if (status === 'rolled-back') return 'rolled-back';
  return 'failed';
}
