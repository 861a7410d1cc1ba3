// The error for a state that cannot be opened or reached: which state (password masked), why, and what to check.
import { ConductorError } from '../model/conductor-error.js';

export interface StateUnavailableOptions {
  /** Where the state lives, safe to print. */
  location: string;
  /** Why it cannot be used, in a few words (from the driver's message). */
  reason: string;
  /** Full sentences: what to check and how to fix it. */
  fix: string;
  cause?: unknown;
}

export function stateUnavailableError(options: StateUnavailableOptions): ConductorError {
  return new ConductorError({
    code: 'state-unavailable',
    summary: `Cannot use the state at ${options.location}: ${options.reason}.`,
    detail: options.fix,
    cause: options.cause,
    exitCode: 1,
  });
}

/** The driver's message without a trailing period, for use inside a summary. */
export function reasonOf(error: unknown): string {
  // Connecting to a name with several addresses (localhost: ::1 and 127.0.0.1) fails with an AggregateError whose own
  // message is empty; the first attempt's message says what happened.
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return message.replace(/[.\s]+$/, '') || (typeof code === 'string' ? code : 'unknown error');
}
