// Thrown by an adapter's argument builders and result readers when a request or a result does not fit (a property
// missing, a name already taken): the adapter driver turns it into a ProviderError about the server.

const marker = Symbol.for('conductor.adapter-error');

export class AdapterError extends Error {
  readonly [marker] = true;
  /** Stable, like a native error's: `not-found`, `name-taken`, `invalid-properties`, `unexpected-result`. */
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AdapterError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  static isInstance(value: unknown): value is AdapterError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
