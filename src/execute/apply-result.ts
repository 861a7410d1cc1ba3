// What an apply reports back: the outcome, every step's fate, the root-cause errors and what was left behind.
import type { StepAction } from '../model/plan.js';
import type { ApplyStatus, LeftBehind, Problem } from '../state/records.js';

/**
 * `done`: the step's change is in place. `failed`: it went wrong (see `error`). `skipped`: a step it needs failed.
 * `not-started`: the apply stopped first (a failure elsewhere, or a cancel). `unchanged`: nothing to do.
 * `rolled-back`: it was done, then undone by the rollback. `remains`: a delete the server cannot do; the resource is
 * still there and state keeps tracking it (`error` says why).
 */
export type StepStatus =
  | 'done'
  | 'failed'
  | 'skipped'
  | 'not-started'
  | 'unchanged'
  | 'rolled-back'
  | 'remains';

export interface StepResult {
  address: string;
  action: StepAction;
  status: StepStatus;
  /** The provider id the resource has after the step. */
  id?: string;
  error?: Problem;
  /** Milliseconds after the apply started. */
  startedAt?: number;
  finishedAt?: number;
}

export interface ApplyResult {
  applyId: string;
  deployment: string;
  status: ApplyStatus;
  durationMs: number;
  /** Every step of the plan, in plan order. */
  steps: StepResult[];
  /** Root causes only: failed steps (and a cancel), not the steps skipped because of them. */
  errors: Array<Problem & { address?: string }>;
  /** What the apply could not put back (rollback failed), or kept on purpose but could not record. */
  leftBehind: LeftBehind[];
  /** State writes this apply made: O(steps). */
  writes: number;
}
