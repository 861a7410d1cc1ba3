// What every MCP session of `conductor serve` shares: config, state and providers (through the agent's
// infrastructure), the pattern catalog, the intent model, the plans waiting for approval, and one queue for the work
// that plans or changes things. Approval is not here: it is asked per session (server.ts), before the work is queued,
// so a person taking their time does not hold up anyone else.

import type { ApplyOutcome } from '../agent/session.js';
import type { OpenedAgent } from '../cli/open-agent.js';
import { conductorHome } from '../config/config.js';
import type { ExecutionEvent } from '../execute/events.js';
import { findApplyToRecover } from '../execute/reconcile.js';
import type { RecoverMode, RecoverReport } from '../execute/recover.js';
import { type AuditApproval, appendAudit, planHash } from '../state/audit-log.js';
import { createLockOwner } from '../state/lock-owner.js';
import type { ApplyRecord } from '../state/records.js';
import { PlanStore, type StoredPlan } from './plans.js';

/** Collects what the engine prints (progress lines, the apply report) for the tool result instead of stdout. */
export class OutputCapture {
  private sink: string[] | undefined;

  constructor(private readonly fallback: (text: string) => void) {}

  readonly write = (text: string): void => {
    if (this.sink) this.sink.push(text);
    else this.fallback(text);
  };

  async during<T>(work: () => Promise<T>): Promise<{ value: T; text: string }> {
    const sink: string[] = [];
    this.sink = sink;
    try {
      const value = await work();
      return { value, text: sink.join('') };
    } finally {
      this.sink = undefined;
    }
  }
}

export interface ServeBackendOptions {
  agent: OpenedAgent;
  capture: OutputCapture;
  env: NodeJS.ProcessEnv;
  lockTimeoutMs: number;
  log: (line: string) => void;
}

export type AppliedOutcome =
  | { status: 'stale'; fresh: StoredPlan }
  | { status: 'succeeded' | 'failed'; outcome: ApplyOutcome; report: string };

export class ServeBackend {
  readonly plans = new PlanStore();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly options: ServeBackendOptions) {}

  get agent(): OpenedAgent {
    return this.options.agent;
  }

  get state() {
    return this.options.agent.infrastructure.state;
  }

  log(line: string): void {
    this.options.log(line);
  }

  /** Runs planning and changes one at a time, in arrival order (a session's conversation state is not shared). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies an approved plan. The infrastructure takes the state lock and plans again: only the plan the person
   * approved is applied; if state changed since, the fresh plan is stored and returned instead, to be approved anew.
   */
  applyApproved(
    stored: StoredPlan,
    approval: AuditApproval,
    signal: AbortSignal | undefined,
    onEvent: (event: ExecutionEvent) => void,
  ): Promise<AppliedOutcome> {
    return this.exclusive(async () => {
      this.plans.remove(stored.id);
      const { value: outcome, text } = await this.options.capture.during(() =>
        this.agent.infrastructure.apply(stored.change, stored.plan, signal, onEvent),
      );
      if (outcome.status === 'stale' && outcome.plan) {
        await this.audit(stored, approval, 'stale');
        return { status: 'stale', fresh: this.plans.add(stored.change, outcome.plan, stored.request) };
      }
      await this.audit(stored, approval, outcome.result?.status ?? outcome.status);
      return { status: outcome.status === 'succeeded' ? 'succeeded' : 'failed', outcome, report: text };
    });
  }

  /** Applies that crashed or whose rollback failed: what `recover` would work on. */
  interruptedApplies(): Promise<ApplyRecord[]> {
    return findApplyToRecover(this.state);
  }

  recover(mode: RecoverMode | undefined, onEvent: (event: ExecutionEvent) => void): Promise<RecoverReport> {
    return this.exclusive(async () => {
      const owner = createLockOwner('recover (serve)');
      const lock = await this.state.acquireLock(owner, { timeoutMs: this.options.lockTimeoutMs });
      try {
        const [{ recover }, providers] = await Promise.all([
          import('../execute/recover.js'),
          this.agent.infrastructure.providers(),
        ]);
        const timeoutMs = this.agent.infrastructure.config.config.apply?.timeoutMs;
        return await recover({
          state: this.state,
          gateway: providers.gateway,
          ...(mode ? { mode } : {}),
          ...(timeoutMs ? { timeoutMs } : {}),
          onEvent,
        });
      } finally {
        await lock.release();
      }
    });
  }

  /** A refusal or approval that did not reach the infrastructure is recorded too. */
  async audit(stored: StoredPlan, approval: AuditApproval, result: string): Promise<void> {
    await appendAudit(conductorHome(this.options.env), {
      command: 'serve',
      ...(stored.request ? { request: stored.request } : {}),
      deployment: stored.plan.deployment,
      planHash: planHash(stored.plan),
      approval,
      result,
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
