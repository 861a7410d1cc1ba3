// Waiting for shared work (a server starting, its tool list) on behalf of one caller: the caller may give up when its
// signal aborts, while the work carries on for the others.
import { ProviderError } from '../execute/provider-error.js';

/** The promise's outcome, or a `cancelled` ProviderError as soon as the signal aborts. */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  server: string,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled(signal, server));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(signal, server));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function cancelled(signal: AbortSignal, server: string): ProviderError {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  return new ProviderError({
    code: 'cancelled',
    server,
    message: `Cancelled while waiting for server "${server}" (${reason}).`,
  });
}
