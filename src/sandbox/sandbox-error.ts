// An error a sandbox provider reports to its caller, the way a real API would: a stable code, a message that says
// what to change, and whether the same call may succeed later. It becomes an `isError` tool result.
import type { NativeError } from '../providers/native-protocol.js';

const marker = Symbol.for('conductor.sandbox-error');

/** The codes sandbox servers answer with. Callers may rely on them; messages may change. */
export const SANDBOX_ERROR_CODES = [
  /** The properties fail the type's schema or rules (a bad CIDR, a tag out of range, an unknown property). */
  'invalid-properties',
  /** Another resource of the same type already has this name. */
  'name-taken',
  /** The resource collides with another one (a VLAN tag, a port, an address, a subnet) or is still in use. */
  'conflict',
  /** A resource this one names (a backend, a network, a subnet) does not exist on the server. */
  'missing-dependency',
  /** No resource of this type has the id. */
  'not-found',
  /** The type is not one this server manages. */
  'unknown-type',
  /** A property that cannot change in place changed: delete and create instead. */
  'requires-replacement',
  /** The host or account has no room: memory, CPUs, disk, addresses. */
  'capacity',
  /** Rate limited: retry after a pause. */
  'throttled',
  /** The service is briefly unavailable: retry. */
  'unavailable',
  /** The service failed internally; the call had no effect. */
  'internal-error',
  /** A failure requested by `CONDUCTOR_SANDBOX_FAULTS.failOn`. */
  'injected-failure',
] as const;
export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[number];

export class SandboxError extends Error {
  readonly [marker] = true;
  readonly code: SandboxErrorCode;
  readonly retryable: boolean;

  constructor(code: SandboxErrorCode, message: string, options: { retryable?: boolean } = {}) {
    super(message);
    this.name = 'SandboxError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  static isInstance(value: unknown): value is SandboxError {
    return typeof value === 'object' && value !== null && marker in value;
  }

  toNative(): NativeError {
    return this.retryable
      ? { code: this.code, message: this.message, retryable: true }
      : { code: this.code, message: this.message };
  }
}
