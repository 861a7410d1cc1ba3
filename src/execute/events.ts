// Progress events of an apply, in the order they happen: what the CLI turns into live output. `at` is the time of the
// event (epoch milliseconds, from the executor's clock); durations are milliseconds.
import type { StepAction } from '../model/plan.js';
import type { ApplyStatus, JournalOperation, LeftBehind, Problem } from '../state/records.js';

export type ExecutionEvent =
  | {
      type: 'apply-start';
      applyId: string;
      deployment: string;
      operation: 'apply' | 'destroy';
      /** Steps that change something (unchanged resources are not counted). */
      steps: number;
      at: number;
    }
  | {
      /** A provider call of a step begins. A replacement makes two: `create` and `delete`. */
      type: 'step-start';
      address: string;
      server: string;
      action: StepAction;
      operation: JournalOperation;
      at: number;
    }
  | {
      type: 'step-retry';
      address: string;
      action: StepAction;
      operation: JournalOperation;
      /** The attempt about to be made: 2 for the first retry. */
      attempt: number;
      delayMs: number;
      error: Problem;
      at: number;
    }
  | {
      type: 'step-finish';
      address: string;
      action: StepAction;
      operation: JournalOperation;
      /** The provider id the resource has now (absent after a delete). */
      id?: string;
      /** True when this call finished the whole step (a replacement's first call leaves it unfinished). */
      complete: boolean;
      attempts: number;
      durationMs: number;
      at: number;
    }
  | {
      type: 'step-fail';
      address: string;
      action: StepAction;
      operation: JournalOperation;
      error: Problem;
      attempts: number;
      durationMs: number;
      at: number;
    }
  | {
      /** The step will not run: a step it needs failed. Not an error of its own. */
      type: 'step-skip';
      address: string;
      action: StepAction;
      /** The failed (or itself skipped) step it waited for. */
      because: string;
      at: number;
    }
  | {
      /** A delete the server has no tool for: the resource stays, state keeps it, and the apply goes on. */
      type: 'step-remains';
      address: string;
      reason: string;
      at: number;
    }
  | {
      type: 'rollback-start';
      /** Provider calls of this apply to undo. */
      operations: number;
      reason: Problem;
      at: number;
    }
  | {
      /** Undoing one call: `delete` undoes a create, `update` an update, `create` a delete (re-creates it). */
      type: 'rollback-step-start';
      address: string;
      server: string;
      operation: JournalOperation;
      undoes: JournalOperation;
      at: number;
    }
  | {
      type: 'rollback-step-finish';
      address: string;
      operation: JournalOperation;
      undoes: JournalOperation;
      /** The id after the undo: the re-created resource's new id, or absent after a delete. */
      id?: string;
      durationMs: number;
      at: number;
    }
  | {
      type: 'rollback-step-fail';
      address: string;
      operation: JournalOperation;
      undoes: JournalOperation;
      error: Problem;
      at: number;
    }
  | { type: 'rollback-finish'; leftBehind: LeftBehind[]; durationMs: number; at: number }
  | {
      type: 'apply-finish';
      applyId: string;
      status: ApplyStatus;
      /** Root causes only: failed steps, not the steps skipped because of them. */
      errors: number;
      durationMs: number;
      at: number;
    };

export type ExecutionEventType = ExecutionEvent['type'];

/** Calls a listener without letting its mistakes break the apply. */
export function createEventEmitter(
  listener: ((event: ExecutionEvent) => void) | undefined,
): (event: ExecutionEvent) => void {
  if (!listener) return () => {};
  return (event) => {
    try {
      listener(event);
    } catch {
      // Progress output is a convenience; the apply and its records matter more.
    }
  };
}
