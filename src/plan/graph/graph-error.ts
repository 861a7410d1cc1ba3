// The one error type the graph package throws, with a stable code so callers can turn it into a diagnostic.

const marker = Symbol.for('conductor.graph.error');

export type GraphErrorCode = 'duplicate-node' | 'unknown-node' | 'cycle' | 'invalid-argument';

export interface GraphErrorOptions {
  code: GraphErrorCode;
  message: string;
  /** The node ids the problem is about, in the order they were named. */
  ids?: readonly string[];
  /** For code 'cycle': every cycle found, as returned by `findCycles`. */
  cycles?: readonly string[][];
}

export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly code: GraphErrorCode;
  readonly ids: readonly string[];
  readonly cycles: readonly string[][];

  constructor(options: GraphErrorOptions) {
    super(options.message);
    this.code = options.code;
    this.ids = options.ids ?? [];
    this.cycles = options.cycles ?? [];
    // A symbol rather than `instanceof`, so the check survives two copies of this module being loaded.
    Object.defineProperty(this, marker, { value: true });
  }

  static isInstance(error: unknown): error is GraphError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
