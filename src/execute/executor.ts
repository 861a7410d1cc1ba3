// The executor: applies a Plan through a ProviderGateway. Each step starts the moment the steps it needs are done
// (critical path first when slots are short), within a global and a per-server limit. References are resolved just
// in time from the outputs of finished steps. Every provider call is journaled before it is made and completed after,
// then the resource's record is written. On failure the failure policy decides; by default the apply stops starting
// steps and rolls back what it did, and reports exactly what happened, including anything it could not undo.

import { ConductorError } from '../model/conductor-error.js';
import { hasErrors } from '../model/diagnostic.js';
import type { Plan, Step } from '../model/plan.js';
import type { Deployment } from '../model/resource.js';
import type { ResourceRecord } from '../model/resource-record.js';
import { GraphError } from '../plan/graph/index.js';
import { NameIndex } from '../plan/name-index.js';
import { redactPlan } from '../review/redact.js';
import type { JournalOperation, LeftBehind, LockOwner, Problem } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import { type ApplyRequest, type ApplyStart, recordApplyFinish, recordApplyStart } from './apply-records.js';
import type { ApplyResult, StepResult } from './apply-result.js';
import type { CompletedOperation } from './completed-operation.js';
import { createEventEmitter, type ExecutionEvent } from './events.js';
import { decideOnFailure, type FailureEvent, type FailureMode } from './failure-policy.js';
import { JournalWriter } from './journal-writer.js';
import { type JournaledCallResult, runJournaledCall } from './journaled-call.js';
import { OPERATION_UNSUPPORTED } from './provider-error.js';
import type { CallOptions, CreateResult, Properties, ProviderGateway } from './provider-gateway.js';
import { type KnownResource, resolveProperties } from './resolve-references.js';
import { ResourceStateWriter } from './resource-state-writer.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { undoOperations } from './rollback.js';
import {
  type ScheduledTask,
  Scheduler,
  type SchedulingPriority,
  type SchedulingStrategy,
  type TaskOutcome,
} from './scheduler.js';

export interface ExecuteOptions {
  gateway: ProviderGateway;
  state: StateStore;
  /** Recorded with the apply; the caller holds the state lock for this owner. */
  applyId: string;
  owner: LockOwner;
  operation?: 'apply' | 'destroy';
  /** Where the deployment came from, kept on its record. */
  request?: ApplyRequest;
  /** The deployment document applied, kept on the apply record so recover can plan it again. */
  source?: Deployment;
  /** Provider calls in flight at once, overall (default 16). */
  concurrency?: number;
  /** Provider calls in flight at once per server (default 4). */
  serverConcurrency?: (server: string) => number;
  /** `eager` (default) starts each step as soon as it can; `waves` waits for each whole wave (a barrier). */
  strategy?: SchedulingStrategy;
  /** `critical-path` (default); `fifo` models a naive executor, for comparison. */
  priority?: SchedulingPriority;
  /** `rollback` (default) undoes the apply on failure; `keep` (--no-rollback) keeps what succeeded. */
  onFailure?: FailureMode;
  /** Per provider call (default 60 s). */
  timeoutMs?: number;
  /** Retries of errors the provider marks retryable (default: 3 attempts, 250 ms base, 5 s cap). */
  retry?: RetryOptions;
  /** Cancel (Ctrl-C): start no more steps, let running calls finish, then roll back (or keep, per onFailure). */
  signal?: AbortSignal;
  onEvent?: (event: ExecutionEvent) => void;
  /**
   * Checks a step's resolved properties just before they are sent: mandatory policies that could not be verified at
   * plan time (see policy/check-resolved.ts). A problem fails the step.
   */
  checkResolved?: (step: Step, properties: Properties) => Promise<Problem | undefined>;
  /** Clock in epoch milliseconds (default Date.now). */
  now?: () => number;
  /** For retry jitter (default Math.random). */
  random?: () => number;
}

/** One provider call of a step: a replacement has two, the create of the new resource and the delete of the old. */
interface OperationTask extends ScheduledTask {
  step: Step;
  stepIndex: number;
  operation: JournalOperation;
  /** The delete of the resource a replacement replaces. */
  replaced: boolean;
}

/** Applies `plan`. Refuses (ConductorError) a plan with errors, a blocked plan, or one state no longer matches. */
export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ApplyResult> {
  checkApplicable(plan);
  return new Execution(plan, options).run();
}

class Execution {
  private readonly emit: (event: ExecutionEvent) => void;
  private readonly now: () => number;
  private readonly mode: FailureMode;
  private readonly journal: JournalWriter;
  private readonly writer: ResourceStateWriter;
  private readonly results: StepResult[];
  /** State records of the resources the plan changes, as they were when the apply started, by address. */
  private readonly before = new Map<string, ResourceRecord>();
  /** What finished steps produced, for references. */
  private readonly finished = new NameIndex<KnownResource>();
  /** Provider calls that took effect (or may have), in the order they ended: what rollback undoes. */
  private readonly operations: CompletedOperation[] = [];
  private readonly operationStep: number[] = [];
  private readonly errors: ApplyResult['errors'] = [];
  private scheduler: Scheduler<OperationTask> | undefined;
  private startedAt = 0;
  private failed = false;
  private cancelled = false;
  private rollbackAtEnd = false;

  constructor(
    private readonly plan: Plan,
    private readonly options: ExecuteOptions,
  ) {
    this.emit = createEventEmitter(options.onEvent);
    this.now = options.now ?? Date.now;
    this.mode = options.onFailure ?? 'rollback';
    this.journal = new JournalWriter(options.state, options.applyId, { now: this.now });
    this.writer = new ResourceStateWriter(options.state);
    this.results = plan.steps.map((step) => ({
      address: step.address,
      action: step.action,
      status: step.action === 'same' ? 'unchanged' : 'not-started',
      ...(step.action === 'same' && step.id !== undefined ? { id: step.id } : {}),
    }));
  }

  async run(): Promise<ApplyResult> {
    const { state } = this.options;
    const writesBefore = state.writes;
    await this.loadRecords();
    const tasks = this.buildTasks();
    this.startedAt = this.now();
    const start: ApplyStart = {
      applyId: this.options.applyId,
      owner: this.options.owner,
      operation: this.options.operation ?? 'apply',
      plan: redactPlan(this.plan),
      rollback: this.mode === 'rollback',
      startedAt: this.startedAt,
      ...(this.options.request ? { request: this.options.request } : {}),
      ...(this.options.source ? { source: this.options.source } : {}),
    };
    const records = await recordApplyStart(state, start);
    this.emit({
      type: 'apply-start',
      applyId: this.options.applyId,
      deployment: this.plan.deployment,
      operation: start.operation,
      steps: this.results.filter((result) => result.status !== 'unchanged').length,
      at: this.startedAt,
    });

    const signal = this.options.signal;
    const onAbort = () => this.handle({ kind: 'cancelled' });
    signal?.addEventListener('abort', onAbort, { once: true });
    let outcomes: TaskOutcome[];
    try {
      if (signal?.aborted) this.handle({ kind: 'cancelled' });
      outcomes = await this.scheduler!.run();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const leftBehind = this.settleSteps(tasks, outcomes);

    // A cancel while steps were still running stops the apply even if nothing was left to start: the user asked to
    // stop, and all-or-nothing means undoing what was done (or keeping it with --no-rollback). A cancel after the
    // last call finished is not seen here (the listener is gone) and changes nothing.
    const interrupted = this.cancelled;
    if (interrupted) {
      this.errors.push({
        code: 'cancelled',
        summary: 'The apply was cancelled.',
        detail: `Steps already running were finished and no new ones started; ${this.mode === 'rollback' ? 'what was done has been rolled back' : 'what was done is kept (--no-rollback)'}.`,
      });
    }
    let status: ApplyResult['status'] = 'succeeded';
    if (this.failed || interrupted) {
      if (this.rollbackAtEnd) {
        const undone = await this.rollBack();
        leftBehind.push(...undone);
        status = undone.length > 0 ? 'rollback-failed' : 'rolled-back';
      } else status = 'failed';
    }
    const finishedAt = this.now();
    const error = this.summaryError(status);
    await recordApplyFinish(state, records, start, {
      status,
      finishedAt,
      ...(error ? { error } : {}),
      leftBehind,
      changes: this.writer.netChanges(),
      remains: this.results.some((result) => result.status === 'remains'),
    });
    const durationMs = finishedAt - this.startedAt;
    this.emit({
      type: 'apply-finish',
      applyId: this.options.applyId,
      status,
      errors: this.errors.length,
      durationMs,
      at: finishedAt,
    });
    return {
      applyId: this.options.applyId,
      deployment: this.plan.deployment,
      status,
      durationMs,
      steps: this.results,
      errors: this.errors,
      leftBehind,
      writes: state.writes - writesBefore,
    };
  }

  /** One batch read of the records the plan updates, replaces and deletes, checked against the plan. */
  private async loadRecords(): Promise<void> {
    const changing = this.plan.steps.filter((step) => step.action !== 'same');
    const records = await this.options.state.findByName(
      changing.map(({ server, name }) => ({ server, name })),
    );
    const deleted = new Set(changing.filter((step) => step.action === 'delete').map((step) => step.address));
    const stale: string[] = [];
    changing.forEach((step, index) => {
      const record = records[index];
      if (step.action === 'create') {
        // A record under the name is only expected when the plan deletes it first (the type changed).
        if (record && !deleted.has(record.address)) stale.push(`${step.address} already exists in state`);
        return;
      }
      if (!record || record.address !== step.address) stale.push(`${step.address} is no longer in state`);
      else if (step.id !== undefined && record.id !== step.id)
        stale.push(`${step.address} now has id ${record.id ?? '(none)'}, not ${step.id}`);
      else this.before.set(step.address, record);
    });
    if (stale.length > 0) {
      throw new ConductorError({
        code: 'plan-stale',
        summary: `State changed since the plan was made: ${stale.slice(0, 3).join('; ')}${stale.length > 3 ? `; and ${stale.length - 3} more` : ''}.`,
        detail:
          'Applying it could act on the wrong resources. Nothing was changed. Plan again and review the new plan.',
      });
    }
  }

  /**
   * Steps become provider calls. A replacement's delete of the old resource is its own task: with create-before-
   * destroy it waits until the steps that use the resource have moved to the new one; with delete-then-create it
   * runs right before the create. Deletes that wait for a replaced resource wait for the old one to be gone.
   */
  private buildTasks(delayReplacedDeletes = true): OperationTask[] {
    const acting = new Map<string, Step>();
    for (const step of this.plan.steps) if (step.action !== 'same') acting.set(step.address, step);
    const deleteTaskOf = (address: string) =>
      acting.get(address)?.action === 'replace' ? `${address}#replaced` : address;
    const usersOf = new Map<string, string[]>();
    for (const step of acting.values()) {
      if (step.action === 'delete') continue;
      for (const dependency of step.dependsOn) {
        if (acting.get(dependency)?.action !== 'replace') continue;
        const users = usersOf.get(dependency);
        if (users) users.push(step.address);
        else usersOf.set(dependency, [step.address]);
      }
    }
    const tasks: OperationTask[] = [];
    this.plan.steps.forEach((step, stepIndex) => {
      if (step.action === 'same') return;
      const waits = step.dependsOn
        .filter((address) => acting.has(address))
        .map((address) => (step.action === 'delete' ? deleteTaskOf(address) : address));
      const task = (id: string, operation: JournalOperation, dependsOn: string[], replaced = false) =>
        tasks.push({ id, group: step.server, dependsOn, step, stepIndex, operation, replaced });
      if (step.action !== 'replace') {
        task(step.address, step.action, waits);
        return;
      }
      const replacedId = `${step.address}#replaced`;
      if (step.createBeforeDestroy) {
        task(step.address, 'create', waits);
        const users = delayReplacedDeletes ? (usersOf.get(step.address) ?? []) : [];
        task(replacedId, 'delete', [step.address, ...users], true);
      } else {
        task(replacedId, 'delete', waits, true);
        task(step.address, 'create', [...waits, replacedId]);
      }
    });
    try {
      this.scheduler = new Scheduler(tasks, {
        concurrency: this.options.concurrency ?? 16,
        groupConcurrency: this.options.serverConcurrency ?? (() => 4),
        strategy: this.options.strategy ?? 'eager',
        priority: this.options.priority ?? 'critical-path',
        run: (task) => this.runTask(task),
        onBlocked: (task, cause) => this.skip(task, cause),
      });
    } catch (error) {
      // Waiting for the users of a replaced resource can close a loop through a rename of a resource's type; the
      // old resource is then deleted right after its replacement exists, which is always possible.
      const cycle = GraphError.isInstance(error) && error.code === 'cycle';
      if (cycle && delayReplacedDeletes) return this.buildTasks(false);
      if (cycle) {
        throw new ConductorError({
          code: 'plan-not-applicable',
          summary: `The plan's steps wait for each other in a cycle: ${(error as Error).message}`,
          detail:
            'A plan made by `conductor plan` never has one; this plan was edited or made elsewhere. Plan again.',
          cause: error,
        });
      }
      throw error;
    }
    return tasks;
  }

  private handle(event: FailureEvent): void {
    if (event.kind === 'cancelled') this.cancelled = true;
    else this.failed = true;
    const decision = decideOnFailure(this.mode, event);
    if (decision.stopScheduling) this.scheduler?.stop();
    if (decision.rollbackAtEnd) this.rollbackAtEnd = true;
  }

  private async runTask(task: OperationTask): Promise<boolean> {
    const { step } = task;
    const result = this.results[task.stepIndex]!;
    const started = this.now();
    result.startedAt ??= started - this.startedAt;
    this.emit({
      type: 'step-start',
      address: step.address,
      server: step.server,
      action: step.action,
      operation: task.operation,
      at: started,
    });
    try {
      if (task.operation === 'delete') return await this.delete(task, started);
      return await this.createOrUpdate(task, started);
    } catch (error) {
      // Only state reads and writes throw here (provider calls come back as results): the step cannot be recorded.
      const message = error instanceof Error ? error.message : String(error);
      this.fail(task, started, 0, {
        code: 'state-write-failed',
        summary: `${step.address}: state could not be read or written: ${message}`,
        detail:
          'The provider call may have taken effect without being recorded. Check that the state store is reachable and writable, then run `conductor recover`.',
      });
      return false;
    }
  }

  private async createOrUpdate(task: OperationTask, started: number): Promise<boolean> {
    const { step } = task;
    const resolved = await resolveProperties(step, {
      finished: (server, name) => this.finished.get(server, name),
      state: this.options.state,
    });
    if (!resolved.ok) {
      this.fail(task, started, 0, resolved.problem);
      return false;
    }
    const { properties } = resolved;
    const refused = await this.options.checkResolved?.(step, properties);
    if (refused) {
      this.fail(task, started, 0, refused);
      return false;
    }
    const before = this.before.get(step.address);
    const isCreate = task.operation === 'create';
    const id = before?.id;
    const result = await this.call(
      task,
      {
        ...(isCreate ? {} : { id }),
        properties,
        ...(before ? { before } : {}),
      },
      (options) =>
        isCreate
          ? this.options.gateway
              .create({ server: step.server, type: step.type, name: step.name, properties }, options)
              .then(checkCreateResult)
          : this.options.gateway
              .update({ server: step.server, type: step.type, name: step.name, id: id!, properties }, options)
              .then((updated) => ({ id: id!, outputs: updated?.outputs ?? {} })),
    );
    const at = new Date(this.now()).toISOString();
    const record: ResourceRecord = {
      address: step.address,
      server: step.server,
      type: step.type,
      name: step.name,
      deployment: this.plan.deployment,
      properties,
      outputs: result.ok ? result.value.outputs : {},
      dependsOn: recordedDependencies(step),
      ...(step.sensitive ? { sensitive: step.sensitive } : {}),
      createdAt: isCreate ? at : (before?.createdAt ?? at),
      updatedAt: at,
    };
    if (!result.ok) {
      if (result.failure.uncertain)
        this.remember(task, { after: record, uncertain: true, ...(isCreate ? {} : { id }) });
      this.fail(task, started, result.attempts, result.failure.problem);
      return false;
    }
    record.id = result.value.id;
    this.remember(task, { id: result.value.id, after: record });
    this.finished.set(step.server, step.name, { address: step.address, properties, outputs: record.outputs });
    await this.writer.put(record, before);
    return this.succeed(task, started, result, result.value.id);
  }

  private async delete(task: OperationTask, started: number): Promise<boolean> {
    const { step } = task;
    const before = this.before.get(step.address)!;
    const id = before.id ?? step.id;
    const result = await this.call(task, { ...(id !== undefined ? { id } : {}), before }, (options) =>
      this.options.gateway.delete(
        { server: step.server, type: step.type, name: step.name, id: id ?? '' },
        options,
      ),
    );
    if (!result.ok) {
      if (result.failure.problem.code === OPERATION_UNSUPPORTED && step.action === 'delete') {
        // The server has no way to delete it (the review said so): it remains, state keeps tracking it, and the
        // steps after it go on. Not a failure: nothing to roll back for a call that changed nothing.
        this.remains(task, result.failure.problem);
        return true;
      }
      if (result.failure.uncertain) this.remember(task, { uncertain: true });
      this.fail(task, started, result.attempts, result.failure.problem);
      return false;
    }
    this.remember(task, {});
    // After create-before-destroy, state already holds the new resource under this name.
    const replacementExists = task.replaced && step.createBeforeDestroy;
    if (!replacementExists) await this.writer.remove(before);
    return this.succeed(task, started, result, undefined);
  }

  private call<T>(
    task: OperationTask,
    journaled: { id?: string; properties?: Properties; before?: ResourceRecord },
    invoke: (options: CallOptions) => Promise<T>,
  ): Promise<JournaledCallResult<T>> {
    const { step } = task;
    return runJournaledCall(
      {
        phase: 'apply',
        operation: task.operation,
        address: step.address,
        server: step.server,
        type: step.type,
        name: step.name,
        deployment: this.plan.deployment,
        ...journaled,
        dependsOn: step.dependsOn,
      },
      invoke,
      (value) => {
        const { id, outputs } = (value ?? {}) as { id?: string; outputs?: Properties };
        return {
          ...(task.operation === 'create' && id !== undefined ? { id } : {}),
          ...(outputs ? { outputs } : {}),
        };
      },
      {
        journal: this.journal,
        timeoutMs: this.options.timeoutMs ?? 60_000,
        retry: this.options.retry ?? DEFAULT_RETRY,
        random: this.options.random ?? Math.random,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        onRetry: (attempt, delayMs, failure) =>
          this.emit({
            type: 'step-retry',
            address: step.address,
            action: step.action,
            operation: task.operation,
            attempt,
            delayMs,
            error: failure.problem,
            at: this.now(),
          }),
      },
    );
  }

  /** Keeps what a call did (or may have done) for rollback, in the order calls end. */
  private remember(
    task: OperationTask,
    fields: Pick<CompletedOperation, 'id' | 'after' | 'uncertain'>,
  ): void {
    const { step } = task;
    const before = this.before.get(step.address);
    const operation: CompletedOperation = {
      operation: task.operation,
      address: step.address,
      server: step.server,
      type: step.type,
      name: step.name,
      deployment: this.plan.deployment,
      dependsOn: step.dependsOn,
      ...(before ? { before } : {}),
      ...(task.operation !== 'create' && before?.id !== undefined ? { id: before.id } : {}),
      ...fields,
    };
    this.operations.push(operation);
    this.operationStep.push(task.stepIndex);
  }

  private succeed(
    task: OperationTask,
    started: number,
    result: JournaledCallResult<unknown> & { ok: true },
    id: string | undefined,
  ): boolean {
    const { step } = task;
    if (result.recordingProblem) {
      this.fail(task, started, result.attempts, result.recordingProblem);
      return false;
    }
    const stepResult = this.results[task.stepIndex]!;
    const finished = this.now();
    stepResult.finishedAt = finished - this.startedAt;
    if (id !== undefined) stepResult.id = id;
    else if (task.operation === 'delete' && step.action === 'delete') delete stepResult.id;
    // A replacement is complete when both its calls are: the create, and the delete of what it replaces.
    const complete = step.action !== 'replace' || task.replaced === Boolean(step.createBeforeDestroy);
    this.emit({
      type: 'step-finish',
      address: step.address,
      action: step.action,
      operation: task.operation,
      ...(id !== undefined ? { id } : {}),
      complete,
      attempts: result.attempts,
      durationMs: finished - started,
      at: finished,
    });
    return true;
  }

  private remains(task: OperationTask, problem: Problem): void {
    const { step } = task;
    const result = this.results[task.stepIndex]!;
    const finished = this.now();
    result.status = 'remains';
    result.error = problem;
    result.finishedAt = finished - this.startedAt;
    this.emit({ type: 'step-remains', address: step.address, reason: problem.summary, at: finished });
  }

  private fail(task: OperationTask, started: number, attempts: number, problem: Problem): void {
    const { step } = task;
    const result = this.results[task.stepIndex]!;
    const finished = this.now();
    result.status = 'failed';
    result.error = problem;
    result.finishedAt = finished - this.startedAt;
    this.errors.push({ ...problem, address: step.address });
    this.emit({
      type: 'step-fail',
      address: step.address,
      action: step.action,
      operation: task.operation,
      error: problem,
      attempts,
      durationMs: finished - started,
      at: finished,
    });
    this.handle({ kind: 'step-failed', address: step.address });
  }

  private skip(task: OperationTask, cause: OperationTask): void {
    const result = this.results[task.stepIndex]!;
    // A replacement has two tasks; its step is reported once.
    if (result.status === 'skipped' || result.startedAt !== undefined) return;
    result.status = 'skipped';
    this.emit({
      type: 'step-skip',
      address: task.step.address,
      action: task.step.action,
      because: cause.step.address,
      at: this.now(),
    });
  }

  /**
   * Final status of each step from its tasks' outcomes. Returns what keep mode leaves on purpose but state cannot
   * hold: the old resource of a create-before-destroy replacement whose delete never ran.
   */
  private settleSteps(tasks: readonly OperationTask[], outcomes: readonly TaskOutcome[]): LeftBehind[] {
    const byStep = new Map<number, TaskOutcome[]>();
    tasks.forEach((task, index) => {
      const list = byStep.get(task.stepIndex);
      if (list) list.push(outcomes[index]!);
      else byStep.set(task.stepIndex, [outcomes[index]!]);
    });
    const leftBehind: LeftBehind[] = [];
    for (const [stepIndex, list] of byStep) {
      const result = this.results[stepIndex]!;
      if (result.status === 'failed' || result.status === 'remains') continue;
      if (list.every((outcome) => outcome === 'succeeded')) result.status = 'done';
      else if (list.some((outcome) => outcome === 'succeeded')) {
        // Half a replacement: rollback will undo the half that happened; otherwise say what is left.
        result.status = 'done';
        if (this.rollbackAtEnd) continue;
        const step = this.plan.steps[stepIndex]!;
        if (step.createBeforeDestroy) {
          // The new resource is in place; the old one still exists and state (one record per name) cannot say so.
          const old = this.before.get(step.address);
          leftBehind.push({
            address: step.address,
            server: step.server,
            ...(old?.id !== undefined ? { id: old.id } : {}),
            operation: 'delete',
            reason:
              'The resource this one replaced was not deleted because the apply stopped first. Delete it on the server, or apply again.',
          });
        } else {
          const problem: Problem = {
            code: 'replace-interrupted',
            summary: `${step.address}: the old resource was deleted, and the apply stopped before creating its replacement.`,
            detail: 'Apply again to create it.',
          };
          result.status = 'failed';
          result.error = problem;
          this.errors.push({ ...problem, address: step.address });
        }
      } else if (list.some((outcome) => outcome === 'blocked')) result.status = 'skipped';
    }
    return leftBehind;
  }

  private async rollBack(): Promise<LeftBehind[]> {
    const reason: Problem = this.errors[0] ?? {
      code: 'cancelled',
      summary: 'The apply was cancelled.',
      detail: '',
    };
    const { undone, leftBehind } = await undoOperations(this.operations, {
      gateway: this.options.gateway,
      state: this.options.state,
      journal: this.journal,
      reason,
      writer: this.writer,
      ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
      ...(this.options.serverConcurrency ? { serverConcurrency: this.options.serverConcurrency } : {}),
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
      ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
      now: this.now,
      ...(this.options.random ? { random: this.options.random } : {}),
    });
    // A step is rolled back when every call it made that took effect was undone.
    const stillApplied = new Set<number>();
    const touched = new Set<number>();
    undone.forEach((done, index) => {
      const step = this.operationStep[index]!;
      touched.add(step);
      if (!done) stillApplied.add(step);
    });
    for (const step of touched) {
      const result = this.results[step]!;
      if (result.status === 'done' && !stillApplied.has(step)) {
        result.status = 'rolled-back';
        // The id the resource has again: its old one, or a new one when it had to be created again.
        const id = this.writer.current(this.plan.steps[step]!.address)?.id;
        if (id !== undefined) result.id = id;
        else delete result.id;
      }
    }
    return leftBehind;
  }

  private summaryError(status: ApplyResult['status']): Problem | undefined {
    if (status === 'succeeded' || this.errors.length === 0) return undefined;
    if (this.errors.length === 1) {
      const { address: _address, ...problem } = this.errors[0]!;
      return problem;
    }
    return {
      code: 'apply-failed',
      summary: `${this.errors.length} problems stopped the apply; the first: ${this.errors[0]!.summary}`,
      detail: this.errors.map((error) => error.summary).join('\n'),
    };
  }
}

/** A create must say which id it made; without one the change cannot be tracked, and counts as of unknown outcome. */
function checkCreateResult(result: CreateResult | undefined): CreateResult {
  if (typeof result?.id !== 'string' || result.id === '') {
    throw new TypeError(`The create returned no resource id (got ${JSON.stringify(result)}).`);
  }
  return { id: result.id, outputs: result.outputs ?? {} };
}

function checkApplicable(plan: Plan): void {
  const errors = plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (hasErrors(plan.diagnostics)) {
    throw new ConductorError({
      code: 'plan-not-applicable',
      summary: `The plan has ${errors.length} error${errors.length === 1 ? '' : 's'}; it cannot be applied.`,
      detail: `${errors[0]!.summary} Fix the deployment and plan again; \`conductor plan\` lists every problem.`,
    });
  }
  if (plan.policies?.blocked) {
    const violations = plan.policies.results.filter(
      (result) => result.enforcement === 'mandatory' && result.status === 'violation',
    );
    throw new ConductorError({
      code: 'plan-not-applicable',
      summary: 'A mandatory policy blocks this plan; it cannot be applied.',
      detail: `${violations.map((violation) => violation.summary).join(' ') || 'See the policy report.'} Change the deployment so the policy passes, or change the policy's enforcement.`,
      exitCode: 3,
    });
  }
}

/**
 * What the resource depends on, as state keeps it: the plan's edges plus resources of other deployments it refers to,
 * so that deleting one of those later can tell that this resource still needs it.
 */
function recordedDependencies(step: Step): string[] {
  const external = step.references
    .filter((reference) => reference.external)
    .map((reference) => reference.target);
  if (external.length === 0) return step.dependsOn;
  return [...new Set([...step.dependsOn, ...external])].sort();
}
