// The error a second apply gets while the state is locked: who holds it, since when, and what to do.
import { ConductorError } from '../model/conductor-error.js';
import type { LockOwner } from './records.js';

export function stateLockedError(
  owner: LockOwner | undefined,
  location: string,
  waitedMs = 0,
): ConductorError {
  const holder = owner
    ? `${owner.operation} (pid ${owner.pid} on ${owner.host}, since ${owner.since})`
    : 'another process';
  const waited = waitedMs > 0 ? ` after waiting ${Math.round(waitedMs / 1000)} s` : '';
  return new ConductorError({
    code: 'state-locked',
    summary: `The state at ${location} is locked by ${holder}${waited}.`,
    detail:
      'Only one apply, destroy or recover runs at a time. Wait for it to finish, or pass --lock-timeout to wait. ' +
      'If that process is gone (crashed, or its machine is down), run `conductor unlock --force`, then `conductor recover`.',
    exitCode: 1,
  });
}

/** Whether a lock's holder is certainly gone: same host and no such process. Other hosts cannot be checked. */
export function ownerIsGone(owner: LockOwner, host: string): boolean {
  if (owner.host !== host) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
