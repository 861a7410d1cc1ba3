// Fault injection for sandbox servers, so Conductor's retries, timeouts, rollback and recovery can be exercised against
// real processes. Configured by `CONDUCTOR_SANDBOX_FAULTS`, JSON keyed by server name:
//   {"aws": {"failRate": 0.1, "latencyMs": [5, 50], "crashAfterCalls": 20, "hangRate": 0.05, "seed": 7,
//            "failOn": ["create:elb:loadBalancer"]}}
// Decisions come from a seeded generator and are drawn the same way for every call, so the same seed and the same
// sequence of calls give the same faults.
import { z } from 'zod';
import { SandboxError } from './sandbox-error.js';
import { type Random, seededRandom } from './seeded-random.js';

export type FaultOperation = 'types' | 'create' | 'read' | 'update' | 'delete' | 'list';

const MUTATING: ReadonlySet<FaultOperation> = new Set(['create', 'update', 'delete']);

export const serverFaultsSchema = z.strictObject({
  /** Seed for every random decision (default 1). */
  seed: z.int().optional(),
  /** Share of calls (not resource_types) that fail before any effect. */
  failRate: z.number().min(0).max(1).optional(),
  /** Which failures failRate produces: retryable (throttled, unavailable), permanent (internal-error) or mixed. */
  failKind: z.enum(['retryable', 'permanent', 'mixed']).optional(),
  /** Delay before every answer: a fixed number of milliseconds or a [min, max] range. */
  latencyMs: z.union([z.number().min(0), z.tuple([z.number().min(0), z.number().min(0)])]).optional(),
  /** Share of calls (not resource_types) that never answer. */
  hangRate: z.number().min(0).max(1).optional(),
  /** Whether a hanging call first takes effect (saved, then never answered) or hangs before touching anything. */
  hangWhen: z.enum(['before-effect', 'after-effect']).optional(),
  /** Serve this many creates, updates and deletes, then exit with status 1 when the next one arrives. */
  crashAfterCalls: z.int().min(0).optional(),
  /**
   * Calls that always fail (not retryable): `operation`, `operation:type` or `operation:type:name`,
   * e.g. `create`, `create:elb:loadBalancer`, `delete:network:vlan:game-vlan`.
   */
  failOn: z
    .array(
      z
        .string()
        .regex(
          /^(create|read|update|delete|list)(:.+)?$/,
          'failOn entries are operation[:type[:name]], with operation create, read, update, delete or list',
        ),
    )
    .optional(),
});
export type ServerFaults = z.infer<typeof serverFaultsSchema>;

const faultsEnvSchema = z.record(z.string(), serverFaultsSchema);

/**
 * The faults for one server from the value of `CONDUCTOR_SANDBOX_FAULTS` (none when unset or when the server is not
 * named). Throws an Error that says what to fix when the value is not valid.
 */
export function parseFaultsEnv(text: string | undefined, server: string): ServerFaults | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `CONDUCTOR_SANDBOX_FAULTS is not valid JSON (${(error as Error).message}). ` +
        'Write it as {"<server>": {"failRate": 0.1, "latencyMs": [5, 50], "seed": 7}}.',
    );
  }
  const parsed = faultsEnvSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`)
      .join('; ');
    throw new Error(
      `CONDUCTOR_SANDBOX_FAULTS is not valid: ${problems}. Known settings per server: ${Object.keys(serverFaultsSchema.shape).join(', ')}.`,
    );
  }
  return parsed.data[server];
}

export interface FaultCall {
  operation: FaultOperation;
  type?: string;
  /** The resource's name when known (create; read, update and delete of an existing id). */
  name?: string;
}

export type FaultDecision =
  | { kind: 'proceed'; latencyMs: number }
  | { kind: 'fail'; latencyMs: number; error: SandboxError }
  | { kind: 'hang'; latencyMs: number; afterEffect: boolean }
  | { kind: 'crash'; latencyMs: number };

export class FaultInjector {
  readonly server: string;
  readonly faults: ServerFaults;
  readonly #random: Random;
  #mutatingCalls = 0;

  constructor(server: string, faults: ServerFaults = {}) {
    this.server = server;
    this.faults = faults;
    this.#random = seededRandom(faults.seed ?? 1);
  }

  /** Decides what happens to one call. Call it once per call, in the order calls arrive. */
  decide(call: FaultCall): FaultDecision {
    const latencyMs = this.#latency();
    if (call.operation === 'types') return { kind: 'proceed', latencyMs };
    // Draw every number every time, so one setting (say failOn) does not shift the others' decisions.
    const hangDraw = this.#random();
    const failDraw = this.#random();
    const kindDraw = this.#random();

    if (MUTATING.has(call.operation)) {
      this.#mutatingCalls++;
      const limit = this.faults.crashAfterCalls;
      if (limit !== undefined && this.#mutatingCalls > limit) return { kind: 'crash', latencyMs };
    }
    const matched = this.#failOnEntry(call);
    if (matched !== undefined) {
      const target = [call.type, call.name === undefined ? undefined : `"${call.name}"`]
        .filter(Boolean)
        .join(' ');
      return {
        kind: 'fail',
        latencyMs,
        error: new SandboxError(
          'injected-failure',
          `${call.operation}${target ? ` ${target}` : ''} failed on ${this.server}: injected by CONDUCTOR_SANDBOX_FAULTS ` +
            `failOn "${matched}". Remove that entry to let the call succeed.`,
        ),
      };
    }
    if (hangDraw < (this.faults.hangRate ?? 0)) {
      return { kind: 'hang', latencyMs, afterEffect: this.faults.hangWhen === 'after-effect' };
    }
    if (failDraw < (this.faults.failRate ?? 0))
      return { kind: 'fail', latencyMs, error: this.#failure(kindDraw) };
    return { kind: 'proceed', latencyMs };
  }

  #latency(): number {
    const latency = this.faults.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === 'number') return latency;
    const [low, high] = latency[0] <= latency[1] ? latency : [latency[1], latency[0]];
    return Math.round(low + this.#random() * (high - low));
  }

  #failOnEntry(call: FaultCall): string | undefined {
    const candidates = new Set<string>([call.operation]);
    if (call.type !== undefined) {
      candidates.add(`${call.operation}:${call.type}`);
      if (call.name !== undefined) candidates.add(`${call.operation}:${call.type}:${call.name}`);
    }
    return this.faults.failOn?.find((entry) => candidates.has(entry));
  }

  #failure(draw: number): SandboxError {
    const kind = this.faults.failKind ?? 'mixed';
    const pick = kind === 'retryable' ? draw * 0.75 : kind === 'permanent' ? 0.99 : draw;
    if (pick < 0.4) {
      return new SandboxError(
        'throttled',
        `Rate exceeded: ${this.server} is throttling requests. The call had no effect; retry after a short pause.`,
        { retryable: true },
      );
    }
    if (pick < 0.75) {
      return new SandboxError(
        'unavailable',
        `${this.server} is temporarily unavailable (503). The call had no effect; retry.`,
        { retryable: true },
      );
    }
    return new SandboxError(
      'internal-error',
      `${this.server} failed with an internal error (500). The call had no effect; retrying the same call is unlikely to help.`,
    );
  }
}
