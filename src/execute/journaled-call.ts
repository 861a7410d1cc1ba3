// A provider call the way the executor and rollback make every one: a journal `begin` entry stored first, the call
// with its deadline, the `end` entry after it, and retries with backoff for transient errors (each retry is a call of
// its own, journaled the same way).
import type { JournalEntry, Problem } from '../state/records.js';
import type { BeginFields, EndFields, JournalWriter } from './journal-writer.js';
import { attemptCall, type CallFailure } from './provider-call.js';
import type { CallOptions } from './provider-gateway.js';
import { type RetryOptions, retryDelay, waitFor } from './retry.js';

export interface JournaledCallContext {
  journal: JournalWriter;
  timeoutMs: number;
  retry: RetryOptions;
  random: () => number;
  /** Aborting stops the wait before a retry; a call in progress is never interrupted by it. */
  signal?: AbortSignal;
  /** Before each retry: the attempt about to be made (2, 3, ...), the wait before it and why. */
  onRetry?: (attempt: number, delayMs: number, failure: CallFailure) => void;
}

export type JournaledCallResult<T> =
  | {
      ok: true;
      value: T;
      attempts: number;
      /** The provider did it, but recording that failed: the change is real and must still be accounted for. */
      recordingProblem?: Problem;
    }
  | { ok: false; failure: CallFailure; attempts: number };

export async function runJournaledCall<T>(
  begin: BeginFields,
  call: (options: CallOptions) => Promise<T>,
  endFields: (value: T) => Omit<EndFields, 'outcome'>,
  context: JournaledCallContext,
): Promise<JournaledCallResult<T>> {
  const description = { operation: begin.operation, address: begin.address, server: begin.server };
  for (let attempt = 1; ; attempt++) {
    let entry: JournalEntry;
    try {
      entry = await context.journal.begin(begin);
    } catch (error) {
      // Without the begin entry a crash could leave a change nobody knows of: the call is not made.
      return { ok: false, failure: recordingFailure(error, begin, 'before'), attempts: attempt - 1 };
    }
    const result = await attemptCall(call, description, context.timeoutMs);
    if (result.ok) {
      try {
        await context.journal.end(entry, { outcome: 'ok', ...endFields(result.value) });
        return { ok: true, value: result.value, attempts: attempt };
      } catch (error) {
        return {
          ok: true,
          value: result.value,
          attempts: attempt,
          recordingProblem: recordingFailure(error, begin, 'after').problem,
        };
      }
    }
    const { failure } = result;
    try {
      await context.journal.end(entry, { outcome: 'failed', error: failure.problem });
    } catch {
      // The call failed anyway; a begin without an end only makes recover look again, which is harmless.
    }
    if (!failure.retryable || attempt >= context.retry.attempts || context.signal?.aborted) {
      return { ok: false, failure, attempts: attempt };
    }
    const delay = retryDelay(attempt, context.retry, context.random);
    context.onRetry?.(attempt + 1, delay, failure);
    if (!(await waitFor(delay, context.signal))) return { ok: false, failure, attempts: attempt };
  }
}

function recordingFailure(error: unknown, begin: BeginFields, when: 'before' | 'after'): CallFailure {
  const message = error instanceof Error ? error.message : String(error);
  return {
    problem: {
      code: 'state-write-failed',
      summary: `Could not write the journal ${when} ${begin.operation} ${begin.address}: ${message}`,
      detail:
        when === 'before'
          ? 'Conductor writes a journal entry before every provider call and makes no call it could not record. Check that the state store is reachable and writable, then apply again.'
          : 'The provider made the change, but state could not record it. Check that the state store is reachable and writable, then run `conductor recover`.',
    },
    retryable: false,
    uncertain: false,
  };
}
