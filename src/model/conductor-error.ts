// The one base error: a stable code, a one-line summary and a detail that says how to fix it.

const marker = Symbol.for('conductor.error');

export interface ConductorErrorOptions {
  code: string;
  summary: string;
  detail: string;
  cause?: unknown;
  /** Exit code a CLI should use when this error ends a command (DESIGN.md: 1 failure, 2 usage/config, 3 refused). */
  exitCode?: number;
}

export class ConductorError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly summary: string;
  readonly detail: string;
  readonly exitCode: number;

  constructor(options: ConductorErrorOptions) {
    super(`${options.summary}\n${options.detail}`, { cause: options.cause });
    this.name = 'ConductorError';
    this.code = options.code;
    this.summary = options.summary;
    this.detail = options.detail;
    this.exitCode = options.exitCode ?? 1;
  }

  /** Works across module copies, unlike instanceof. */
  static isInstance(value: unknown): value is ConductorError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
