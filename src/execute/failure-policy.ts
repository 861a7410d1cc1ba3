// The whole failure policy in one place: what the executor does when a step fails or the user cancels. Everything
// else in the executor asks this function instead of deciding on its own.

/** `rollback` (the default) undoes the apply on failure; `keep` (--no-rollback) keeps what succeeded. */
export type FailureMode = 'rollback' | 'keep';

/** What went wrong: one step failed, or the user asked to stop (Ctrl-C, an aborted signal). */
export type FailureEvent = { kind: 'step-failed'; address: string } | { kind: 'cancelled' };

export interface FailureDecision {
  /** Start no further steps; steps already running finish. */
  stopScheduling: boolean;
  /**
   * Steps that depend on the failed one are skipped. Always true: a step never runs without what it needs. Only the
   * failed step is reported as an error; its dependents are reported as skipped, so the root cause stands out.
   */
  skipDependents: boolean;
  /** Undo everything this apply did once the running steps have finished. */
  rollbackAtEnd: boolean;
}

export function decideOnFailure(mode: FailureMode, event: FailureEvent): FailureDecision {
  if (mode === 'rollback') {
    // Everything is going to be undone, so each further step would only be work to undo.
    return { stopScheduling: true, skipDependents: true, rollbackAtEnd: true };
  }
  if (event.kind === 'cancelled') {
    // The user asked to stop: start nothing more, and keep what is done.
    return { stopScheduling: true, skipDependents: true, rollbackAtEnd: false };
  }
  // Keep mode: chains that do not depend on the failed step still finish, so as much as possible is in place.
  return { stopScheduling: false, skipDependents: true, rollbackAtEnd: false };
}
