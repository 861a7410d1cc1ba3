// Retries of transient provider errors: exponential backoff with full jitter, so many steps that hit a rate limit at
// the same moment spread their retries out instead of hitting it again together.

export interface RetryOptions {
  /** Calls in all, the first included (3: the first call and two retries). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 250, maxDelayMs: 5000 };

/** The wait before retry number `retry` (1 for the first retry): uniform in [0, min(max, base × 2^(retry-1))). */
export function retryDelay(retry: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Waits `milliseconds`; resolves false early when `signal` aborts. */
export function waitFor(milliseconds: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (milliseconds <= 0) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
