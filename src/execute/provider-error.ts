// An error reported by a provider (or on the way to it). `retryable` says whether the same call may succeed later.

const marker = Symbol.for('conductor.provider-error');

/** The code for an operation the server has no tool for (a filesystem server that cannot delete). Never retried. */
export const OPERATION_UNSUPPORTED = 'operation-unsupported';

export interface ProviderErrorOptions {
  code: string;
  message: string;
  server: string;
  /** Transient (rate limit, busy, connection reset): the executor retries with backoff. */
  retryable?: boolean;
  /**
   * The request may have been carried out before the error (the server went away mid-call, or timed out): the
   * executor neither retries it blindly nor assumes nothing happened; rollback and recover look first.
   */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly server: string;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;

  constructor(options: ProviderErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'ProviderError';
    this.code = options.code;
    this.server = options.server;
    this.retryable = options.retryable ?? false;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }

  static isInstance(value: unknown): value is ProviderError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
