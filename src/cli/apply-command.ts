// `conductor apply` and `conductor destroy`: lock the state, plan against it, show the review, ask, apply with live
// progress, report exactly what happened. The lock is held from planning to the end, so the approved plan is the one
// applied: no other run can change state in between.
import { basename } from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import type { ExecutionEvent } from '../execute/events.js';
import type { ProviderGateway } from '../execute/provider-gateway.js';
import { ConductorError } from '../model/conductor-error.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import type { Deployment } from '../model/resource.js';
import { renderPlan } from '../review/render-plan.js';
import { createApplyId, createLockOwner } from '../state/lock-owner.js';
import type { LockOwner } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import { askApproval } from './approval.js';
import { EXIT, exitCodeForPlan } from './exit-codes.js';
import type { CliIo, CliServices } from './main.js';
import { openCliState } from './open-state.js';
import { planChecked, planFileWithSource } from './plan-file.js';
import { ProgressView } from './progress-view.js';
import { type OpenedProviders, openProviders } from './providers.js';
import { renderApplyResult } from './render-apply-result.js';

export interface ChangeCommandOptions {
  configPath?: string;
  color: boolean;
  yes: boolean;
  /** --state URL. */
  state?: string;
  strategy: 'eager' | 'waves';
  /** False with --no-rollback. */
  rollback: boolean;
  lockTimeoutMs: number;
  concurrency?: number;
}

export async function applyCommand(
  options: ChangeCommandOptions & { file: string },
  io: CliIo,
  services: CliServices,
): Promise<number> {
  return withState(options, io, services, `apply ${basename(options.file)}`, async (context) => {
    const planned = await planFileWithSource({
      file: options.file,
      cwd: io.cwd,
      env: io.env,
      config: context.config,
      state: context.state,
      typesFor: (deployment) => context.providers().then((providers) => providers.typesFor(deployment)),
    });
    return { plan: planned.plan, ...(planned.deployment ? { source: planned.deployment } : {}) };
  });
}

export async function destroyCommand(
  options: ChangeCommandOptions & { name: string },
  io: CliIo,
  services: CliServices,
): Promise<number> {
  return withState(options, io, services, `destroy ${options.name}`, async (context) => {
    const [record, resources] = await Promise.all([
      context.state.getDeployment(options.name),
      context.state.resourcesOf(options.name),
    ]);
    if (!record && resources.length === 0) {
      const known = (await context.state.listDeployments()).map((deployment) => deployment.name);
      throw new ConductorError({
        code: 'deployment-not-found',
        summary: `No deployment named "${options.name}" in ${context.state.location}.`,
        detail:
          known.length > 0
            ? `Known deployments: ${known.join(', ')}. \`conductor deployments\` lists them.`
            : 'State holds no deployments yet.',
        exitCode: EXIT.usage,
      });
    }
    // Destroying is planning the deployment with nothing in it: every resource it owns becomes a delete, in reverse
    // dependency order, checked by the same planner and policies as any other change.
    const empty: Deployment = { name: options.name, resources: [] };
    // What the servers can do decides what the review warns about (a resource a server cannot delete remains).
    const owned: Deployment = {
      name: options.name,
      resources: resources.map((record) => ({
        server: record.server,
        type: record.type,
        name: record.name,
        properties: {},
        dependsOn: [],
      })),
    };
    return {
      plan: await planChecked(empty, {
        cwd: io.cwd,
        env: io.env,
        config: context.config,
        state: context.state,
        typesFor: () => context.providers().then((providers) => providers.typesFor(owned)),
      }),
    };
  });
}

export interface LockedContext {
  config: LoadedConfig;
  state: StateStore;
  owner: LockOwner;
  /** Opened on first use (a command that finds nothing to do starts no server), closed at the end. */
  providers: () => Promise<OpenedProviders>;
}

/** Loads config, opens state and holds its lock while `body` runs; always releases and closes. */
export async function withLockedState(
  options: Pick<ChangeCommandOptions, 'configPath' | 'state' | 'lockTimeoutMs'>,
  io: CliIo,
  services: CliServices,
  operation: string,
  body: (context: LockedContext) => Promise<number>,
): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, explicitPath: options.configPath, env: io.env });
  if (config.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) {
    io.stderr(renderDiagnostics(config.diagnostics));
    return EXIT.usage;
  }
  const state = await openCliState({ flag: options.state, config, cwd: io.cwd, env: io.env });
  try {
    const owner = createLockOwner(operation);
    const lock = await state.acquireLock(owner, { timeoutMs: options.lockTimeoutMs });
    let opened: Promise<OpenedProviders> | undefined;
    try {
      return await body({
        config,
        state,
        owner,
        providers: () => {
          opened ??= openProviders(config, io, services);
          return opened;
        },
      });
    } finally {
      await lock.release();
      if (opened) await (await opened).close();
    }
  } finally {
    await state.close();
  }
}

async function withState(
  options: ChangeCommandOptions,
  io: CliIo,
  services: CliServices,
  operation: string,
  makePlan: (context: LockedContext) => Promise<{ plan: Plan; source?: Deployment }>,
): Promise<number> {
  return withLockedState(options, io, services, operation, async (context) => {
    const { plan, source } = await makePlan(context);
    const verb = operation.startsWith('destroy') ? 'destroy' : 'apply';
    return reviewAndExecute(plan, source, { ...context, options, io, services, verb });
  });
}

export interface ReviewContext extends LockedContext {
  options: ChangeCommandOptions;
  io: CliIo;
  services: CliServices;
  verb: 'apply' | 'destroy';
}

/** Prints the review, stops on errors or a policy block, asks, and applies: shared by apply, destroy and recover. */
export async function reviewAndExecute(
  plan: Plan,
  source: Deployment | undefined,
  context: ReviewContext,
): Promise<number> {
  const { io, options, config, verb } = context;
  io.stdout(renderPlan(plan, { color: options.color }));
  const planExit = exitCodeForPlan(plan);
  if (planExit !== EXIT.ok) return planExit;
  if (plan.steps.every((step) => step.action === 'same')) {
    io.stdout('Nothing to do: state already records what the deployment describes.\n');
    return EXIT.ok;
  }
  // Before asking: a question whose "yes" cannot be carried out helps no one.
  const { gateway } = await context.providers();
  const approval = await askApproval({
    yes: options.yes,
    question: `\nDo you want to ${verb} these changes to "${plan.deployment}"?`,
  });
  if (approval !== 'approved') {
    io.stderr(
      approval === 'no-terminal'
        ? 'Refused: approval is required and there is no terminal to ask in. Review the plan above and re-run with --yes to approve it.\n'
        : 'Declined: nothing was changed.\n',
    );
    return EXIT.refused;
  }
  return execute(plan, source, {
    gateway,
    state: context.state,
    owner: context.owner,
    options,
    config,
    io,
    verb,
  });
}

interface ExecuteContext {
  gateway: ProviderGateway;
  state: StateStore;
  owner: LockOwner;
  options: ChangeCommandOptions;
  config: LoadedConfig;
  io: CliIo;
  verb: 'apply' | 'destroy';
}

async function execute(plan: Plan, source: Deployment | undefined, context: ExecuteContext): Promise<number> {
  const [{ executePlan }, { createResolvedCheck }, { loadPolicyEngine }] = await Promise.all([
    import('../execute/executor.js'),
    import('../policy/check-resolved.js'),
    import('./plan-file.js'),
  ]);
  // The same policies that checked the plan, to check at apply time what the plan could not know.
  const { engine } = await loadPolicyEngine({
    cwd: context.io.cwd,
    env: context.io.env,
    config: context.config,
  });
  const checkResolved = createResolvedCheck(engine, plan);
  const { io, options, config } = context;
  const view = new ProgressView({
    write: io.stdout,
    live: io.interactive ?? false,
    color: options.color,
  });
  const controller = new AbortController();
  const stopOnInterrupt = watchInterrupts(controller, io, options.rollback, (text) => view.note(text));
  const applyConfig = config.config.apply ?? {};
  const serverLimits = serverConcurrencyFromConfig(config);
  try {
    const result = await executePlan(plan, {
      gateway: context.gateway,
      state: context.state,
      applyId: createApplyId(),
      owner: context.owner,
      operation: context.verb,
      ...(source ? { source } : {}),
      concurrency: options.concurrency ?? applyConfig.concurrency ?? 16,
      serverConcurrency: (server) => serverLimits.get(server) ?? applyConfig.serverConcurrency ?? 4,
      strategy: options.strategy,
      onFailure: options.rollback ? 'rollback' : 'keep',
      ...(applyConfig.timeoutMs ? { timeoutMs: applyConfig.timeoutMs } : {}),
      ...(applyConfig.retries !== undefined
        ? { retry: { attempts: applyConfig.retries + 1, baseDelayMs: 250, maxDelayMs: 5000 } }
        : {}),
      signal: controller.signal,
      ...(checkResolved ? { checkResolved } : {}),
      onEvent: (event: ExecutionEvent) => view.update(event),
    });
    view.finish();
    io.stdout(renderApplyResult(result, { color: options.color, verb: context.verb }));
    return result.status === 'succeeded' ? EXIT.ok : EXIT.failure;
  } finally {
    stopOnInterrupt();
  }
}

function serverConcurrencyFromConfig(config: LoadedConfig): Map<string, number> {
  const limits = new Map<string, number>();
  for (const [name, entry] of Object.entries(config.config.mcpServers ?? {})) {
    const limit = (entry as { conductor?: { concurrency?: unknown } } | undefined)?.conductor?.concurrency;
    if (typeof limit === 'number' && Number.isInteger(limit) && limit > 0) limits.set(name, limit);
  }
  return limits;
}

/**
 * First Ctrl-C: stop starting steps, let running calls finish, then roll back (or keep, with --no-rollback).
 * Second Ctrl-C: exit at once; the journal shows what was in flight and `conductor recover` deals with it.
 */
function watchInterrupts(
  controller: AbortController,
  io: CliIo,
  rollback: boolean,
  say: (text: string) => void,
): () => void {
  if (!io.interruptible) return () => {};
  let count = 0;
  const onInterrupt = () => {
    count++;
    if (count === 1) {
      // Through the progress view (stdout), so live lines that are rewritten in place stay where they are.
      say(
        `\nStopping: no new steps start; running calls finish, then ${rollback ? 'the apply is rolled back' : 'what succeeded is kept'}.\nPress Ctrl-C again to exit at once (then run \`conductor recover\`).`,
      );
      controller.abort();
    } else {
      io.stderr('\nExiting now. Run `conductor recover` to finish or undo the interrupted apply.\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  return () => process.off('SIGINT', onInterrupt);
}

function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => `${diagnostic.severity}: ${diagnostic.summary}\n  ${diagnostic.detail}\n`)
    .join('');
}
