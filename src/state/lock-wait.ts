// Waiting for a held lock across processes, where no one can wake the waiter: try, pause, try again until the deadline.
// Pauses start short (a quick apply ends soon) and grow to a second, with jitter so waiters do not retry in lockstep.
import { stateLockedError } from './lock-error.js';
import type { LockOwner } from './records.js';
import type { AcquireLockOptions } from './state-store.js';

/** One try: the lock, or who holds it (undefined when that cannot be told). */
export type LockAttempt<T> = { acquired: T } | { heldBy: LockOwner | undefined };

const FIRST_PAUSE_MS = 50;
const LONGEST_PAUSE_MS = 1000;

export async function waitForLock<T>(
  attempt: () => Promise<LockAttempt<T>>,
  options: AcquireLockOptions,
  location: string,
): Promise<T> {
  const started = Date.now();
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    const result = await attempt();
    if ('acquired' in result) return result.acquired;
    const waited = Date.now() - started;
    const remaining = (options.timeoutMs ?? 0) - waited;
    if (remaining <= 0 || options.signal?.aborted) throw stateLockedError(result.heldBy, location, waited);
    const jittered = pause * (0.75 + Math.random() * 0.5);
    await sleep(Math.min(jittered, remaining), options.signal);
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
}

/** Resolves after `ms`, or at once when the signal aborts (the caller then gives up with who holds the lock). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
