// `conductor apply` and `conductor destroy`: lock the state, plan against it, show the review, ask, apply with live
// progress, report exactly what happened. The lock is held from planning to the end, so the approved plan is the one
// applied: no other run can change state in between.
import { basename } from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import { conductorHome, loadConfig } from '../config/config.js';
import type { ApplyRequest } from '../execute/apply-records.js';
import type { ApplyResult } from '../execute/apply-result.js';
import type { ExecutionEvent } from '../execute/events.js';
import type { ProviderGateway } from '../execute/provider-gateway.js';
import { ConductorError } from '../model/conductor-error.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import type { Deployment } from '../model/resource.js';
import { applyPolicyOverrides, type PolicyOverride } from '../policy/overrides.js';
import { renderPlan } from '../review/render-plan.js';
import { type AuditApproval, appendAudit, planHash } from '../state/audit-log.js';
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
  /** `--override-policy ID --reason TEXT`: accepted mandatory violations, recorded in the audit log. */
  overrides?: PolicyOverride[];
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
  return withState(options, io, services, `destroy ${options.name}`, async (context) => ({
    plan: await planDestroy(options.name, context, io),
  }));
}

/**
 * Destroying is planning the deployment with nothing in it: every resource it owns becomes a delete, in reverse
 * dependency order, checked by the same planner and policies as any other change. Unknown names are a usage error.
 */
export async function planDestroy(
  name: string,
  context: Pick<LockedContext, 'config' | 'state' | 'providers'>,
  io: Pick<CliIo, 'cwd' | 'env'>,
): Promise<Plan> {
  const [record, resources] = await Promise.all([
    context.state.getDeployment(name),
    context.state.resourcesOf(name),
  ]);
  if (!record && resources.length === 0) {
    const known = (await context.state.listDeployments()).map((deployment) => deployment.name);
    throw new ConductorError({
      code: 'deployment-not-found',
      summary: `No deployment named "${name}" in ${context.state.location}.`,
      detail:
        known.length > 0
          ? `Known deployments: ${known.join(', ')}. \`conductor deployments\` lists them.`
          : 'State holds no deployments yet.',
      exitCode: EXIT.usage,
    });
  }
  const empty: Deployment = { name, resources: [] };
  // What the servers can do decides what the review warns about (a resource a server cannot delete remains).
  const owned: Deployment = {
    name,
    resources: resources.map((resource) => ({
      server: resource.server,
      type: resource.type,
      name: resource.name,
      properties: {},
      dependsOn: [],
    })),
  };
  return planChecked(empty, {
    cwd: io.cwd,
    env: io.env,
    config: context.config,
    state: context.state,
    typesFor: () => context.providers().then((providers) => providers.typesFor(owned)),
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
    const made = await makePlan(context);
    const plan = applyPolicyOverrides(made.plan, options.overrides ?? []);
    const verb = operation.startsWith('destroy') ? 'destroy' : 'apply';
    return reviewAndExecute(plan, made.source, { ...context, options, io, services, verb });
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
  const audit = (approval: AuditApproval, result: string) =>
    appendAudit(conductorHome(io.env), {
      command: verb,
      deployment: plan.deployment,
      planHash: planHash(plan),
      approval,
      ...(options.overrides?.length ? { overrides: options.overrides } : {}),
      result,
    });
  io.stdout(renderPlan(plan, { color: options.color }));
  const planExit = exitCodeForPlan(plan);
  if (planExit !== EXIT.ok) {
    if (planExit === EXIT.refused) await audit('blocked', 'refused');
    return planExit;
  }
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
    await audit(approval, 'refused');
    io.stderr(
      approval === 'no-terminal'
        ? 'Refused: approval is required and there is no terminal to ask in. Review the plan above and re-run with --yes to approve it.\n'
        : 'Declined: nothing was changed.\n',
    );
    return EXIT.refused;
  }
  const { result } = await executeApproved(plan, source, {
    gateway,
    state: context.state,
    owner: context.owner,
    options,
    config,
    io,
    verb,
  });
  await audit(options.yes ? 'approved-by-flag' : 'approved', result.status);
  return result.status === 'succeeded' ? EXIT.ok : EXIT.failure;
}

export interface ExecuteContext {
  gateway: ProviderGateway;
  state: StateStore;
  owner: LockOwner;
  options: ChangeCommandOptions;
  config: LoadedConfig;
  io: CliIo;
  verb: 'apply' | 'destroy';
  /** The sentence, pattern and parameters the deployment came from: recorded with it. */
  request?: ApplyRequest;
  /** Stops the apply like Ctrl-C does (the chat's own Ctrl-C handling passes it). */
  signal?: AbortSignal;
  /** Sees every progress event too (`conductor serve` turns them into MCP progress notifications). */
  onEvent?: (event: ExecutionEvent) => void;
}

/** Applies an approved plan with live progress, prints what happened and returns it. The caller holds the lock. */
export async function executeApproved(
  plan: Plan,
  source: Deployment | undefined,
  context: ExecuteContext,
): Promise<{ result: ApplyResult }> {
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
  const stopOnInterrupt = context.signal
    ? followSignal(context.signal, controller, options.rollback, (text) => view.note(text))
    : watchInterrupts(controller, io, options.rollback, (text) => view.note(text));
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
      ...(context.request ? { request: context.request } : {}),
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
      onEvent: (event: ExecutionEvent) => {
        view.update(event);
        context.onEvent?.(event);
      },
    });
    view.finish();
    io.stdout(renderApplyResult(result, { color: options.color, verb: context.verb }));
    return { result };
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

/** A caller's signal (the chat's Ctrl-C) stops the apply the same way a first Ctrl-C does. */
function followSignal(
  signal: AbortSignal,
  controller: AbortController,
  rollback: boolean,
  say: (text: string) => void,
): () => void {
  const onAbort = () => {
    say(
      `\nStopping: no new steps start; running calls finish, then ${rollback ? 'the apply is rolled back' : 'what succeeded is kept'}.`,
    );
    controller.abort();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
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
