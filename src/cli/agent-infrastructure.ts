// The conversation's Infrastructure on the real engine: plans with the planner and policies against the state store,
// applies under the state lock through the provider gateway, answers from state and live inventory. Opened once per
// chat (or one-shot command); providers start on first use.
import type { ApplyOutcome, ChangeRequest, ExistingDeployment, Infrastructure } from '../agent/session.js';
import type { LoadedConfig } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import type { ExecutionEvent } from '../execute/events.js';
import { ConductorError } from '../model/conductor-error.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import type { Deployment } from '../model/resource.js';
import { applyPolicyOverrides, type PolicyOverride } from '../policy/overrides.js';
import { renderDeploymentSummary } from '../review/render-summary.js';
import { planHash } from '../state/audit-log.js';
import { createLockOwner } from '../state/lock-owner.js';
import type { StateStore } from '../state/state-store.js';
import { type ChangeCommandOptions, executeApproved, planDestroy } from './apply-command.js';
import { EXIT } from './exit-codes.js';
import type { CliIo, CliServices } from './main.js';
import { openCliState } from './open-state.js';
import { planChecked } from './plan-file.js';
import { type OpenedProviders, openProviders } from './providers.js';

export interface AgentInfrastructureOptions extends ChangeCommandOptions {
  overrides?: PolicyOverride[];
  /** Only plans: with no state yet, read an empty one instead of creating the file. */
  readOnly?: boolean;
}

export class AgentInfrastructure implements Infrastructure {
  private opened: Promise<OpenedProviders> | undefined;

  private constructor(
    readonly config: LoadedConfig,
    readonly state: StateStore,
    private readonly options: AgentInfrastructureOptions,
    private readonly io: CliIo,
    private readonly services: CliServices,
  ) {}

  /** Loads config (its errors end the command) and opens state. */
  static async open(
    options: AgentInfrastructureOptions,
    io: CliIo,
    services: CliServices,
  ): Promise<AgentInfrastructure> {
    const config = await loadConfig({ cwd: io.cwd, explicitPath: options.configPath, env: io.env });
    const errors = config.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    if (errors.length > 0) {
      throw new ConductorError({
        code: errors[0]!.code,
        summary: errors[0]!.summary,
        detail: errors.map((diagnostic) => diagnostic.detail).join('\n'),
        exitCode: EXIT.usage,
      });
    }
    const state = await openCliState({
      flag: options.state,
      config,
      cwd: io.cwd,
      env: io.env,
      ...(options.readOnly ? { create: false } : {}),
    });
    return new AgentInfrastructure(config, state, options, io, services);
  }

  providers(): Promise<OpenedProviders> {
    this.opened ??= openProviders(this.config, this.io, this.services);
    return this.opened;
  }

  async deployments(): Promise<ExistingDeployment[]> {
    // A destroyed deployment keeps its record (history, restore) but is not something to change or ask about.
    const records = (await this.state.listDeployments()).filter((record) => record.status !== 'destroyed');
    return records.map((record) => ({
      name: record.name,
      status: record.status,
      ...(record.pattern ? { pattern: record.pattern } : {}),
      ...(record.params ? { params: record.params } : {}),
      ...(record.request ? { request: record.request } : {}),
    }));
  }

  async plan(change: ChangeRequest): Promise<Plan> {
    const context = { config: this.config, state: this.state, providers: () => this.providers() };
    const plan =
      change.verb === 'destroy'
        ? await planDestroy(change.name, context, this.io)
        : await planChecked(change.deployment, {
            cwd: this.io.cwd,
            env: this.io.env,
            config: this.config,
            state: this.state,
            typesFor: (deployment) => this.providers().then((providers) => providers.typesFor(deployment)),
          });
    return applyPolicyOverrides(plan, this.options.overrides ?? []);
  }

  async apply(
    change: ChangeRequest,
    reviewed: Plan,
    signal?: AbortSignal,
    onEvent?: (event: ExecutionEvent) => void,
  ): Promise<ApplyOutcome> {
    const owner = createLockOwner(`${change.verb} ${change.name}`);
    const lock = await this.state.acquireLock(owner, { timeoutMs: this.options.lockTimeoutMs });
    try {
      // Under the lock, the plan is made again: only if it is the one the person saw is it applied.
      const fresh = await this.plan(change);
      if (planHash(fresh) !== planHash(reviewed)) return { status: 'stale', plan: fresh };
      const { gateway } = await this.providers();
      const { result } = await executeApproved(
        fresh,
        change.verb === 'apply' ? change.deployment : undefined,
        {
          gateway,
          state: this.state,
          owner,
          options: this.options,
          config: this.config,
          io: this.io,
          verb: change.verb,
          ...(change.request ? { request: change.request } : {}),
          ...(signal ? { signal } : {}),
          ...(onEvent ? { onEvent } : {}),
        },
      );
      const succeeded = result.status === 'succeeded';
      const summary =
        succeeded && change.verb === 'apply'
          ? renderDeploymentSummary(change.name, await this.state.resourcesOf(change.name))
          : undefined;
      return { status: succeeded ? 'succeeded' : 'failed', result, ...(summary ? { summary } : {}) };
    } finally {
      await lock.release();
    }
  }

  async query(question: string): Promise<string> {
    const { answerQuery } = await import('../agent/answers/query.js');
    const answer = await answerQuery(question, {
      state: this.state,
      inventory: async () => {
        const [{ inventory }, providers] = await Promise.all([
          import('../providers/inventory.js'),
          this.providers(),
        ]);
        if (!providers.mcp) return [];
        return inventory(providers.mcp, {});
      },
    });
    return answer.text;
  }

  async troubleshoot(target: string, symptom: string | undefined, signal?: AbortSignal): Promise<string> {
    const [{ troubleshoot, renderTroubleshootReport }, providers] = await Promise.all([
      import('../agent/answers/troubleshoot.js'),
      this.providers(),
    ]);
    const report = await troubleshoot({
      deployment: target,
      ...(symptom ? { symptom } : {}),
      state: this.state,
      gateway: providers.gateway,
      ...(signal ? { signal } : {}),
    });
    return renderTroubleshootReport(report);
  }

  async restore(target: string, at: Date): Promise<{ deployment?: Deployment; diagnostics: Diagnostic[] }> {
    const { restoreDeployment } = await import('../agent/answers/restore.js');
    return restoreDeployment({ state: this.state, deployment: target, at });
  }

  async close(): Promise<void> {
    try {
      if (this.opened) await (await this.opened).close();
    } finally {
      await this.state.close();
    }
  }
}
