// Rollback: undoes what an apply did, so the providers hold what they held before. Deletes what it created, puts back
// the previous properties of what it updated, and re-creates what it deleted from the recorded properties. Runs
// through the same scheduler as the apply, in reverse dependency order, journaled like every other provider call.
// Rollback can fail too: what it could not undo is returned as left behind (resource, server, id, why), and state is
// written to match what the providers really hold, never what was hoped for.
import type { ResourceRecord } from '../model/resource-record.js';
import type { JournalOperation, LeftBehind, Problem } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { CompletedOperation } from './completed-operation.js';

export type { CompletedOperation } from './completed-operation.js';

import { createEventEmitter, type ExecutionEvent } from './events.js';
import type { JournalWriter } from './journal-writer.js';
import { runJournaledCall } from './journaled-call.js';
import { attemptCall } from './provider-call.js';
import { OPERATION_UNSUPPORTED } from './provider-error.js';
import type { CallOptions, Properties, ProviderGateway } from './provider-gateway.js';
import { ResourceStateWriter } from './resource-state-writer.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { type ScheduledTask, Scheduler } from './scheduler.js';

export interface RollbackContext {
  gateway: ProviderGateway;
  state: StateStore;
  /** The apply's journal writer: undo calls are journaled in the same apply, as phase `rollback`. */
  journal: JournalWriter;
  /** Why the apply is undone (the failure, or the cancellation), for the `rollback-start` event. */
  reason?: Problem;
  /** Calls at once, overall (default 16) and per server (default 4). */
  concurrency?: number;
  serverConcurrency?: (server: string) => number;
  /** Per call (default 60 s). */
  timeoutMs?: number;
  retry?: RetryOptions;
  onEvent?: (event: ExecutionEvent) => void;
  now?: () => number;
  random?: () => number;
  /** The apply's state writer, so its revision includes what rollback changed. A new one when absent. */
  writer?: ResourceStateWriter;
}

export interface RollbackResult {
  /** Per operation, in the order given: true when undone (or found never to have happened). */
  undone: boolean[];
  /** What could not be undone. Empty means the providers hold what they held before the apply. */
  leftBehind: LeftBehind[];
  durationMs: number;
}

interface UndoTask extends ScheduledTask {
  index: number;
}

/**
 * Undoes `operations` (in the order they completed, as `completedOperationsFromJournal` gives them) and returns what
 * could not be undone: empty when the providers hold what they held before.
 */
export async function rollback(
  operations: readonly CompletedOperation[],
  context: RollbackContext,
): Promise<LeftBehind[]> {
  return (await undoOperations(operations, context)).leftBehind;
}

/** `rollback`, also saying which operations were undone. */
export async function undoOperations(
  operations: readonly CompletedOperation[],
  context: RollbackContext,
): Promise<RollbackResult> {
  return new Rollback(operations, context).run();
}

class Rollback {
  private readonly emit: (event: ExecutionEvent) => void;
  private readonly now: () => number;
  private readonly writer: ResourceStateWriter;
  private readonly undone: boolean[];
  private readonly leftBehind: LeftBehind[] = [];
  /** Re-created resources by address: their new records. */
  private readonly recreated = new Map<string, ResourceRecord>();
  /** Per re-created address: old output values and the new values that replace them. */
  private readonly replacements = new Map<string, Map<string, string>>();
  /** The delete of each address this apply deleted (or replaced), by address. */
  private readonly destroyOf = new Map<string, number>();

  constructor(
    private readonly operations: readonly CompletedOperation[],
    private readonly context: RollbackContext,
  ) {
    this.emit = createEventEmitter(context.onEvent);
    this.now = context.now ?? Date.now;
    this.writer = context.writer ?? new ResourceStateWriter(context.state);
    this.undone = operations.map(() => false);
    operations.forEach((operation, index) => {
      if (operation.operation === 'delete') this.destroyOf.set(operation.address, index);
    });
  }

  async run(): Promise<RollbackResult> {
    const started = this.now();
    this.emit({
      type: 'rollback-start',
      operations: this.operations.length,
      reason: this.context.reason ?? {
        code: 'rollback',
        summary: 'Undoing an apply.',
        detail: 'Every change the apply made is undone in reverse order.',
      },
      at: started,
    });
    const tasks = undoTasks(this.operations);
    const options = {
      concurrency: this.context.concurrency ?? 16,
      groupConcurrency: this.context.serverConcurrency ?? (() => 4),
      run: (task: UndoTask) => this.undo(task.index),
      onBlocked: (task: UndoTask, cause: UndoTask) => {
        const operation = this.operations[task.index]!;
        const failed = this.operations[cause.index]!;
        this.leave(
          operation,
          `Not undone: its undo had to wait for the undo of ${failed.operation} ${failed.address}, which failed.`,
        );
      },
    };
    let scheduler: Scheduler<UndoTask>;
    try {
      scheduler = new Scheduler(tasks, options);
    } catch {
      // The dependency rules below cannot form a cycle for a plan the planner made; should a hand-made one manage
      // it, undoing strictly in reverse completion order is always possible, only slower.
      scheduler = new Scheduler(strictReverseTasks(this.operations), options);
    }
    await scheduler.run();
    const durationMs = this.now() - started;
    this.emit({ type: 'rollback-finish', leftBehind: this.leftBehind, durationMs, at: this.now() });
    return { undone: this.undone, leftBehind: this.leftBehind, durationMs };
  }

  private async undo(index: number): Promise<boolean> {
    const operation = this.operations[index]!;
    let done: boolean;
    try {
      if (operation.operation === 'create') done = await this.undoCreate(operation);
      else if (operation.operation === 'update') done = await this.undoUpdate(operation);
      else done = await this.undoDelete(operation);
    } catch (error) {
      // Only state reads and writes throw here (provider calls come back as results), so the provider side may well
      // be undone already; state is what is behind, and recover brings it in line with the provider.
      this.leave(
        operation,
        `State could not be brought up to date during the undo (${error instanceof Error ? error.message : String(error)}). Run \`conductor recover\` to compare state with the provider.`,
      );
      done = false;
    }
    this.undone[index] = done;
    return done;
  }

  /** Deletes what the apply created. A create that timed out is looked up by name first. */
  private async undoCreate(operation: CompletedOperation): Promise<boolean> {
    let id = operation.id;
    if (operation.uncertain) {
      const listed = await attemptCall(
        (options) => this.context.gateway.list({ server: operation.server, type: operation.type }, options),
        { operation: 'list', address: operation.address, server: operation.server },
        this.timeoutMs,
      );
      if (!listed.ok) {
        this.leave(
          operation,
          `The create's outcome is unknown, and the rollback could not check whether it happened: ${listed.failure.problem.summary}`,
        );
        return false;
      }
      // The resource being replaced may carry the same name: it is not the one to delete.
      const found = listed.value.find(
        (resource) =>
          resource.name === operation.name &&
          resource.type === operation.type &&
          resource.id !== operation.before?.id,
      );
      // Not there: the create never happened. (A call still running on the server could land later; its journal
      // entry says it timed out, so `conductor recover` looks again.)
      if (!found) return true;
      id = found.id;
    }
    if (id === undefined) {
      this.leave(
        operation,
        'The provider id of the created resource is not known, so it could not be deleted.',
      );
      return false;
    }
    const deleted = await this.call(
      operation,
      'delete',
      { id, ...(operation.after ? { before: { ...operation.after, id } } : {}) },
      (options) =>
        this.context.gateway.delete(
          { server: operation.server, type: operation.type, name: operation.name, id },
          options,
        ),
    );
    if (!deleted.ok) {
      this.leave(operation, `Rollback could not delete it: ${deleted.problem.summary}`, id);
      // A server that has no delete at all will never succeed: what waited for this undo goes ahead, so one resource
      // the server cannot remove does not keep everything else from being undone.
      return deleted.problem.code === OPERATION_UNSUPPORTED;
    }
    const current = await this.context.state.getResource(operation.server, operation.name);
    // A replacement's create: the resource it replaces is back in state unless its delete has happened and was not
    // (yet) undone.
    const destroy = this.destroyOf.get(operation.address);
    const replacedIsGone = destroy !== undefined && !this.undone[destroy];
    if (operation.before && !replacedIsGone) {
      await this.writer.put(
        this.recreated.get(operation.address) ?? operation.before,
        current?.address === operation.address ? current : undefined,
      );
    } else if (current && current.id === id) await this.writer.remove(current);
    return true;
  }

  /** Puts back the properties the resource had before the apply. */
  private async undoUpdate(operation: CompletedOperation): Promise<boolean> {
    const before = operation.before;
    const id = operation.id ?? before?.id;
    if (!before || id === undefined) {
      this.leave(operation, 'The record before the update is not known, so it could not be restored.');
      return false;
    }
    const properties = this.substitute(before);
    const updated = await this.call(
      operation,
      'update',
      { id, properties, before: operation.after ?? before },
      (options) =>
        this.context.gateway.update(
          { server: operation.server, type: operation.type, name: operation.name, id, properties },
          options,
        ),
    );
    if (!updated.ok) {
      this.leave(
        operation,
        `Rollback could not restore its previous properties: ${updated.problem.summary}`,
        id,
      );
      return false;
    }
    const current = await this.context.state.getResource(operation.server, operation.name);
    // The timestamps stay as they were: when nothing else differs, the record is exactly the one before the apply.
    await this.writer.put(
      { ...before, id, properties, outputs: updated.value.outputs },
      current?.address === operation.address ? current : undefined,
    );
    return true;
  }

  /** Creates again what the apply deleted, from the recorded properties. It gets a new id. */
  private async undoDelete(operation: CompletedOperation): Promise<boolean> {
    const before = operation.before;
    if (!before) {
      this.leave(operation, 'The record before the delete is not known, so it could not be re-created.');
      return false;
    }
    if (operation.uncertain && before.id !== undefined) {
      const oldId = before.id;
      const read = await attemptCall(
        (options) =>
          this.context.gateway.read({ server: operation.server, type: operation.type, id: oldId }, options),
        { operation: 'read', address: operation.address, server: operation.server },
        this.timeoutMs,
      );
      if (!read.ok) {
        this.leave(
          operation,
          `The delete's outcome is unknown, and the rollback could not check whether it happened: ${read.failure.problem.summary}`,
        );
        return false;
      }
      if (read.value) return true;
    }
    const properties = this.substitute(before);
    const created = await this.call(operation, 'create', { properties }, (options) =>
      this.context.gateway.create(
        { server: operation.server, type: operation.type, name: operation.name, properties },
        options,
      ),
    );
    if (!created.ok) {
      this.leave(operation, `Rollback could not re-create it: ${created.problem.summary}`, before.id);
      return false;
    }
    const at = new Date(this.now()).toISOString();
    const record: ResourceRecord = {
      ...before,
      id: created.value.id,
      properties,
      outputs: created.value.outputs,
      createdAt: at,
      updatedAt: at,
    };
    this.recreated.set(operation.address, record);
    this.replacements.set(operation.address, changedValues(before, record));
    const current = await this.context.state.getResource(operation.server, operation.name);
    await this.writer.put(record, current?.address === operation.address ? current : undefined);
    return true;
  }

  /** One journaled undo call with its events. `journaled` is what its begin entry records besides the resource. */
  private async call<T>(
    operation: CompletedOperation,
    undo: JournalOperation,
    journaled: { id?: string; properties?: Properties; before?: ResourceRecord },
    invoke: (options: CallOptions) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; problem: Problem }> {
    const started = this.now();
    const undoes = operation.operation;
    const { address, server } = operation;
    this.emit({ type: 'rollback-step-start', address, server, operation: undo, undoes, at: started });
    const result = await runJournaledCall(
      {
        phase: 'rollback',
        operation: undo,
        address,
        server,
        type: operation.type,
        name: operation.name,
        deployment: operation.deployment,
        ...journaled,
        dependsOn: operation.dependsOn,
      },
      invoke,
      endFieldsOf,
      {
        journal: this.context.journal,
        timeoutMs: this.timeoutMs,
        retry: this.context.retry ?? DEFAULT_RETRY,
        random: this.context.random ?? Math.random,
      },
    );
    // A call the provider carried out counts as done even if its end entry could not be written: the undo happened.
    if (!result.ok) {
      const error = result.failure.problem;
      this.emit({ type: 'rollback-step-fail', address, operation: undo, undoes, error, at: this.now() });
      return { ok: false, problem: error };
    }
    const id = endFieldsOf(result.value).id ?? (undo === 'update' ? journaled.id : undefined);
    this.emit({
      type: 'rollback-step-finish',
      address,
      operation: undo,
      undoes,
      ...(id !== undefined ? { id } : {}),
      durationMs: this.now() - started,
      at: this.now(),
    });
    return { ok: true, value: result.value };
  }

  /**
   * The recorded properties, with the old output values of resources this rollback re-created replaced by their new
   * ones. A re-created resource gets a new id (and maybe new outputs), and a resource that referred to it recorded the
   * old values, since references are resolved into plain values. The match is by exact string value, limited to the
   * resources the record says it depends on: a value that merely looks the same elsewhere is left alone.
   */
  private substitute(record: ResourceRecord): Properties {
    let replacements: Map<string, string> | undefined;
    for (const dependency of record.dependsOn) {
      const found = this.replacements.get(dependency);
      if (!found || found.size === 0) continue;
      replacements ??= new Map();
      for (const [old, value] of found) replacements.set(old, value);
    }
    return replacements ? (replaceValues(record.properties, replacements) as Properties) : record.properties;
  }

  private leave(
    operation: CompletedOperation,
    reason: string,
    id = operation.id ?? operation.before?.id,
  ): void {
    this.leftBehind.push({
      address: operation.address,
      server: operation.server,
      ...(id !== undefined ? { id } : {}),
      operation: operation.operation,
      reason,
    });
  }

  private get timeoutMs(): number {
    return this.context.timeoutMs ?? 60_000;
  }
}

/** The id and outputs a call returned, for its end entry; a delete returns neither. */
function endFieldsOf(value: unknown): { id?: string; outputs?: Properties } {
  if (typeof value !== 'object' || value === null) return {};
  const result = value as { id?: unknown; outputs?: unknown };
  return {
    ...(typeof result.id === 'string' ? { id: result.id } : {}),
    ...(typeof result.outputs === 'object' && result.outputs !== null
      ? { outputs: result.outputs as Properties }
      : {}),
  };
}

/**
 * The order undos must respect. Each rule says which undo has to wait for which:
 * - Calls on the same server and name are undone in reverse: a replacement's new resource is deleted before the old
 *   one is created again when names are unique (delete-then-create), and the other way round for create-before-destroy.
 * - A resource created (or updated to refer to one created) by this apply is deleted only after whatever refers to it
 *   has been undone, the reverse of the apply's order. Skipped where the name was freed first (delete-then-create):
 *   there the new resource must go before the old one can come back, as it went in the apply.
 * - Restoring a resource (re-creating it, or putting back its properties) waits for the resources its old record
 *   depends on to be re-created, so its references point at something that exists.
 */
function undoTasks(operations: readonly CompletedOperation[]): UndoTask[] {
  const waits: Array<Set<number>> = operations.map(() => new Set());
  const byName = new Map<string, number[]>();
  const createOf = new Map<string, number>();
  const destroyOf = new Map<string, number>();
  operations.forEach((operation, index) => {
    const key = `${operation.server}\u0000${operation.name}`;
    const list = byName.get(key);
    if (list) list.push(index);
    else byName.set(key, [index]);
    if (operation.operation === 'create') createOf.set(operation.address, index);
    if (operation.operation === 'delete') destroyOf.set(operation.address, index);
  });
  const nameFreedFirst = new Set<number>();
  for (const list of byName.values()) {
    for (let position = 0; position + 1 < list.length; position++)
      waits[list[position]!]!.add(list[position + 1]!);
    let deleted = false;
    for (const index of list) {
      if (operations[index]!.operation === 'delete') deleted = true;
      else if (operations[index]!.operation === 'create' && deleted) nameFreedFirst.add(index);
    }
  }
  operations.forEach((operation, index) => {
    for (const dependency of operation.after?.dependsOn ?? []) {
      const create = createOf.get(dependency);
      if (create !== undefined && create !== index && !nameFreedFirst.has(create)) waits[create]!.add(index);
    }
    if (operation.operation === 'create') return;
    for (const dependency of operation.before?.dependsOn ?? []) {
      const destroy = destroyOf.get(dependency);
      if (destroy !== undefined && destroy !== index) waits[index]!.add(destroy);
    }
  });
  return operations.map((operation, index) => ({
    id: taskId(operation, index),
    group: operation.server,
    dependsOn: [...waits[index]!].map((other) => taskId(operations[other]!, other)),
    index,
  }));
}

function strictReverseTasks(operations: readonly CompletedOperation[]): UndoTask[] {
  return operations.map((operation, index) => ({
    id: taskId(operation, index),
    group: operation.server,
    dependsOn: index + 1 < operations.length ? [taskId(operations[index + 1]!, index + 1)] : [],
    index,
  }));
}

function taskId(operation: CompletedOperation, index: number): string {
  return `${operation.address}#${index}`;
}

/** Old string values of a re-created resource (its id and outputs) mapped to the new ones, where they changed. */
function changedValues(before: ResourceRecord, after: ResourceRecord): Map<string, string> {
  const changed = new Map<string, string>();
  if (before.id !== undefined && after.id !== undefined && before.id !== after.id)
    changed.set(before.id, after.id);
  for (const [key, old] of Object.entries(before.outputs)) {
    const value = after.outputs[key];
    if (typeof old === 'string' && typeof value === 'string' && old !== value) changed.set(old, value);
  }
  return changed;
}

function replaceValues(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return replacements.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => replaceValues(item, replacements));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) copy[key] = replaceValues(inner, replacements);
    return copy;
  }
  return value;
}
