// One provider call with a deadline, turned into a result instead of a rejection: whatever the gateway does (answers,
// refuses, throws a TypeError, never answers) the caller gets a value it can journal and report.
import type { Problem } from '../state/records.js';
import { ProviderError } from './provider-error.js';
import type { CallOptions } from './provider-gateway.js';

export interface CallFailure {
  problem: Problem;
  /** The provider said the same call may succeed later. */
  retryable: boolean;
  /** The call timed out: the provider may or may not have done it. */
  uncertain: boolean;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; failure: CallFailure };

/** Names the call in problems: `create opnsense:network:vlan:v20 on "opnsense"`. */
export interface CallDescription {
  operation: string;
  address: string;
  server: string;
}

export async function attemptCall<T>(
  call: (options: CallOptions) => Promise<T>,
  description: CallDescription,
  timeoutMs: number,
): Promise<CallResult<T>> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      // Rejected before aborting, so the deadline wins the race over a gateway that rejects as soon as it is aborted.
      reject(new Error('timeout'));
      controller.abort(new Error(`No answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    // `then` turns a gateway that throws synchronously into a rejection; the race also handles a late rejection
    // of the call after the deadline, so nothing is left unhandled.
    const value = await Promise.race([
      Promise.resolve().then(() => call({ signal: controller.signal })),
      deadline,
    ]);
    return { ok: true, value };
  } catch (error) {
    return {
      ok: false,
      failure: timedOut ? timeoutFailure(description, timeoutMs) : describeFailure(error, description),
    };
  } finally {
    clearTimeout(timer);
  }
}

function describeFailure(error: unknown, { operation, address, server }: CallDescription): CallFailure {
  if (ProviderError.isInstance(error) && error.outcomeUnknown) {
    // Retrying could do the change twice (a second create hits its own first one), so no retry: rollback and
    // recover ask the provider what exists instead.
    return {
      problem: {
        code: error.code,
        summary: `${operation} ${address} failed on "${server}": ${error.message}`,
        detail: `Whether server "${server}" made the change is unknown, so it was not retried. Rollback (or \`conductor recover\`) asks the server what exists before undoing anything.`,
        outcomeUnknown: true,
      },
      retryable: false,
      uncertain: true,
    };
  }
  if (ProviderError.isInstance(error)) {
    return {
      problem: {
        code: error.code,
        summary: `${operation} ${address} failed on "${server}": ${error.message}`,
        detail: error.retryable
          ? `Server "${server}" reported a transient error (${error.code}) and kept reporting it after the retries. Check that the server is healthy, then apply again.`
          : `Server "${server}" refused the ${operation} (${error.code}). Fix what it reports, then apply again.`,
      },
      retryable: error.retryable,
      uncertain: false,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Not an answer from the provider: the error may have come before the request was sent or after the change was
  // made, so the outcome counts as unknown and rollback looks before it undoes.
  return {
    problem: {
      code: 'provider-call-failed',
      summary: `${operation} ${address} failed on "${server}": ${message}`,
      detail: `The call to server "${server}" ended in an unexpected error rather than an answer from the provider, so whether the change was made is not known. This is most likely a bug in the gateway or the server's adapter; report it with this message. Nothing was retried; \`conductor recover\` checks what the server holds.`,
    },
    retryable: false,
    uncertain: true,
  };
}

/** Whether a failed call's problem leaves its outcome unknown (the provider may have made the change). */
export function isOutcomeUnknown(problem: Problem): boolean {
  return (
    problem.outcomeUnknown === true ||
    problem.code === 'provider-timeout' ||
    problem.code === 'provider-call-failed'
  );
}

function timeoutFailure({ operation, address, server }: CallDescription, timeoutMs: number): CallFailure {
  return {
    problem: {
      code: 'provider-timeout',
      summary: `${operation} ${address} on "${server}" did not answer within ${timeoutMs} ms.`,
      detail: `The outcome is unknown: the server may have made the change after Conductor stopped waiting. \`conductor recover\` asks the provider what exists and brings state in line. If the server is just slow, raise its timeout (\`conductor.timeoutMs\` in the config).`,
    },
    retryable: false,
    uncertain: true,
  };
}
