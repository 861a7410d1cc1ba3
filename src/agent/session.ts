// The conversation: one request at a time becomes an intent, then (for changes) a plan the person reviews and
// approves, then an apply. The model only chooses a pattern and its parameters; everything after that is the same
// plan → policies → review → approval → apply path every other change takes. Nothing a request says can skip it.
//
// The session knows nothing about terminals or MCP: what it shows and asks goes through ConversationUi, what it
// plans and applies goes through Infrastructure. The REPL, the one-shot commands and the tests each provide both.
import type { ApplyResult } from '../execute/apply-result.js';
import type { ExecutionEvent } from '../execute/events.js';
import { ConductorError } from '../model/conductor-error.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Intent } from '../model/intent.js';
import type { Plan } from '../model/plan.js';
import type { Deployment } from '../model/resource.js';
import type { AuditEntry } from '../state/audit-log.js';
import { planHash } from '../state/audit-log.js';
import { coerceAnswer, describeParam } from './clarify.js';
import type { IntentModel, IntentResult, KnownDeployment } from './intent-model.js';
import { generateDeployment, type Pattern, requiredParams, resolveParams } from './pattern.js';
import type { PatternCatalog } from './pattern-catalog.js';

/** A change the person may approve: apply a desired deployment, or destroy one. */
export interface ChangeRequest {
  verb: 'apply' | 'destroy';
  /** The deployment's name. */
  name: string;
  /** What to converge to; for destroy, the name with no resources. */
  deployment: Deployment;
  /** Recorded with the deployment, so later requests can change it by pattern parameters. */
  request?: { text: string; pattern?: string; params?: Record<string, unknown> };
}

export interface ApplyOutcome {
  /** `stale`: state changed after the review; `plan` is the new plan, to be reviewed again. */
  status: 'succeeded' | 'failed' | 'stale';
  plan?: Plan;
  result?: ApplyResult;
  /** What now exists (addresses, IPs, hostnames), as the person reads it. */
  summary?: string;
}

export interface ExistingDeployment extends KnownDeployment {
  status: string;
  request?: string;
}

/** What the session plans, applies and asks about. */
export interface Infrastructure {
  deployments(): Promise<ExistingDeployment[]>;
  plan(change: ChangeRequest): Promise<Plan>;
  /** Takes the state lock, plans again, and applies only if that plan is the one reviewed. */
  apply(
    change: ChangeRequest,
    reviewed: Plan,
    signal?: AbortSignal,
    onEvent?: (event: ExecutionEvent) => void,
  ): Promise<ApplyOutcome>;
  query(question: string): Promise<string>;
  troubleshoot(target: string, symptom: string | undefined, signal?: AbortSignal): Promise<string>;
  /** The deployment as it was at `at`, to plan a return to. */
  restore(target: string, at: Date): Promise<{ deployment?: Deployment; diagnostics: Diagnostic[] }>;
}

export type ApprovalChoice = 'apply' | 'change' | 'later' | 'cancel' | 'no-terminal';

export interface ConversationUi {
  /** Text for the person (answers, notes, summaries). */
  say(text: string): void;
  /** The review of a plan. */
  review(plan: Plan): void;
  /** A free-text question; undefined when the person cancels or nobody can answer. */
  ask(question: string): Promise<string | undefined>;
  /** Apply, change something, keep for later, or cancel. `canApply` is false when policies block the plan. */
  approve(plan: Plan, options: { verb: 'apply' | 'destroy'; canApply: boolean }): Promise<ApprovalChoice>;
}

export type TurnStatus =
  | 'applied'
  | 'failed'
  | 'planned'
  | 'pending'
  | 'cancelled'
  | 'refused'
  | 'blocked'
  | 'answered'
  | 'needs-input'
  | 'invalid'
  | 'nothing-to-do'
  | 'unsupported';

export interface TurnOutcome {
  status: TurnStatus;
  intent?: Intent;
  plan?: Plan;
  result?: ApplyResult;
}

export interface SessionOptions {
  model: IntentModel;
  catalog: PatternCatalog;
  infrastructure: Infrastructure;
  ui: ConversationUi;
  /** Records each decision; failures to write are reported, never swallowed. */
  audit?: (entry: AuditEntry) => Promise<void>;
  /** `chat`, `plan`, `apply`: recorded in the audit log. */
  command: string;
  /** Policies overridden by flag for this run, recorded with each plan they apply to. */
  overrides?: Array<{ policy: string; reason: string }>;
  /** Approval comes from `--yes`, not from a person answering: the audit log says so. */
  approvedByFlag?: boolean;
  /** How many times a missing parameter is asked for before giving up. */
  clarifyAttempts?: number;
  now?: () => Date;
}

interface Pending {
  change: ChangeRequest;
  plan: Plan;
  pattern?: Pattern;
  params?: Record<string, unknown>;
  /** The request the pending change started from. */
  text: string;
  intent: Intent;
}

export class ConversationSession {
  private pending: Pending | undefined;
  private focus: KnownDeployment | undefined;
  private lastModel = '';
  private lastUsage: IntentResult['usage'];

  constructor(private readonly options: SessionOptions) {}

  /** The plan waiting for approval, if any. */
  get pendingPlan(): Plan | undefined {
    return this.pending?.plan;
  }

  /** The change waiting for approval and its plan: what `conductor serve` keeps to apply once a person approves. */
  get pendingChange(): { change: ChangeRequest; plan: Plan } | undefined {
    return this.pending ? { change: this.pending.change, plan: this.pending.plan } : undefined;
  }

  /** Forgets the waiting plan (it was applied or discarded elsewhere); the deployment stays in focus. */
  settlePending(applied: boolean): void {
    if (this.pending && applied) this.focus = this.knownFrom(this.pending);
    this.pending = undefined;
  }

  /** One request, from text to its end: an answer, a plan kept for later, an apply, or a refusal. */
  async handle(text: string, signal?: AbortSignal): Promise<TurnOutcome> {
    const request = text.trim();
    if (request === '') return { status: 'invalid' };
    const understood = await this.understand(request, signal);
    const { intent } = understood;
    // What the model noticed (an instruction in the request it did not follow, a value it could not use) is said,
    // except for out-of-scope requests, whose answer includes the notes.
    if (intent.kind !== 'unsupported')
      for (const note of intent.notes ?? []) this.options.ui.say(`Note: ${note}`);
    switch (intent.kind) {
      case 'deploy':
        return this.deploy(request, intent, signal);
      case 'modify':
        return this.modify(request, intent, signal);
      case 'destroy':
        return this.destroy(request, intent, signal);
      case 'query':
        return this.answer(request, intent, () =>
          this.options.infrastructure.query(intent.question ?? request),
        );
      case 'troubleshoot':
        return this.troubleshoot(request, intent, signal);
      case 'restore':
        return this.restore(request, intent, signal);
      default:
        return this.unsupported(request, intent);
    }
  }

  /** `/plan`: the pending plan's review again. */
  showPending(): TurnOutcome {
    if (!this.pending) {
      this.options.ui.say(
        'No plan is waiting. Describe what you want, e.g. "deploy a minecraft server for 10 players".',
      );
      return { status: 'nothing-to-do' };
    }
    this.options.ui.review(this.pending.plan);
    return { status: 'pending', plan: this.pending.plan };
  }

  /** `/apply`: asks for approval of the pending plan (the same question as after a review). */
  async applyPending(signal?: AbortSignal): Promise<TurnOutcome> {
    if (!this.pending) {
      this.options.ui.say('No plan is waiting to be applied.');
      return { status: 'nothing-to-do' };
    }
    const pending = this.pending;
    return this.decide(pending, signal);
  }

  private async understand(text: string, signal?: AbortSignal): Promise<IntentResult> {
    const deployments = await this.options.infrastructure.deployments();
    const focus = this.pending
      ? {
          name: this.pending.change.name,
          ...(this.pending.pattern ? { pattern: this.pending.pattern.name } : {}),
          ...(this.pending.params ? { params: this.pending.params } : {}),
        }
      : this.focus;
    const result = await this.options.model.parse(text, {
      patterns: this.options.catalog.patterns,
      deployments: deployments.map(({ name, pattern, params }) => ({
        name,
        ...(pattern ? { pattern } : {}),
        ...(params ? { params } : {}),
      })),
      ...(focus ? { focus } : {}),
      now: this.now(),
      ...(signal ? { signal } : {}),
    });
    this.lastModel = result.model;
    this.lastUsage = result.usage;
    return result;
  }

  private async deploy(text: string, intent: Intent, signal?: AbortSignal): Promise<TurnOutcome> {
    const pattern = intent.pattern ? this.options.catalog.get(intent.pattern) : undefined;
    if (!pattern) {
      this.options.ui.say(
        intent.pattern
          ? `There is no pattern named "${intent.pattern}". Patterns: ${this.patternNames()}.`
          : `I could not tell what to deploy. Patterns: ${this.patternNames()}.`,
      );
      await this.record({ request: text, intent, approval: 'not-asked', result: 'invalid' });
      return { status: 'invalid', intent };
    }
    const params = await this.complete(pattern, { ...(intent.params ?? {}) }, intent.missing ?? []);
    if (!params) {
      await this.record({ request: text, intent, approval: 'not-asked', result: 'needs-input' });
      return { status: 'needs-input', intent };
    }
    return this.propose(text, intent, pattern, params, signal);
  }

  /**
   * Asks for each required parameter the request left out, and once more for any value the schema rejects.
   * Returns the resolved parameters, or undefined when the person does not answer.
   */
  private async complete(
    pattern: Pattern,
    given: Record<string, unknown>,
    missing: readonly string[],
  ): Promise<Record<string, unknown> | undefined> {
    const params = { ...given };
    for (const name of missing) if (params[name] === undefined || params[name] === null) delete params[name];
    const attempts = this.options.clarifyAttempts ?? 3;
    for (let round = 0; round < attempts * Math.max(1, requiredParams(pattern).length) + attempts; round++) {
      const resolved = resolveParams(pattern, params);
      if (resolved.ok) return resolved.params;
      const next = resolved.missing[0] ?? resolved.issues[0]?.param;
      if (next === undefined || next === '') {
        this.options.ui.say(
          `The parameters for ${pattern.name} are not valid: ${resolved.issues.map((issue) => issue.message).join('; ')}`,
        );
        return undefined;
      }
      const issue = resolved.issues.find((entry) => entry.param === next);
      const question = issue
        ? `${next} ${JSON.stringify(params[next])} is not valid (${issue.message}). ${describeParam(pattern, next)}`
        : describeParam(pattern, next);
      const answer = await this.options.ui.ask(question);
      if (answer === undefined || answer.trim() === '') {
        this.options.ui.say(
          `Without ${next} there is nothing to plan. Ask again with it, e.g. "${pattern.examples[0] ?? pattern.name}".`,
        );
        return undefined;
      }
      const coerced = coerceAnswer(pattern, next, answer);
      if (coerced.ok) params[next] = coerced.value;
      else this.options.ui.say(coerced.message);
    }
    this.options.ui.say('Too many tries; nothing was planned.');
    return undefined;
  }

  /** Generates, plans and reviews a pattern's deployment, then asks. */
  private async propose(
    text: string,
    intent: Intent,
    pattern: Pattern,
    params: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<TurnOutcome> {
    const generated = generateDeployment(pattern, params);
    if (!generated.deployment) {
      this.options.ui.say(
        generated.diagnostics.map((diagnostic) => `${diagnostic.summary} ${diagnostic.detail}`).join('\n'),
      );
      await this.record({ request: text, intent, approval: 'not-asked', result: 'invalid' });
      return { status: 'invalid', intent };
    }
    const change: ChangeRequest = {
      verb: 'apply',
      name: generated.deployment.name,
      deployment: generated.deployment,
      request: { text, pattern: pattern.name, params },
    };
    this.options.ui.say(
      `Pattern ${pattern.name}: ${Object.entries(params)
        .map(([name, value]) => `${name} ${formatValue(value)}`)
        .join(', ')}.`,
    );
    const plan = await this.options.infrastructure.plan(change);
    const pending: Pending = { change, plan, pattern, params, text, intent };
    return this.reviewAndDecide(pending, signal);
  }

  private async modify(text: string, intent: Intent, signal?: AbortSignal): Promise<TurnOutcome> {
    const changes = intent.changes ?? {};
    const targetName = intent.target ?? this.pending?.change.name ?? this.focus?.name;
    if (!targetName) {
      this.options.ui.say('Which deployment should change? Name it, e.g. "make minecraft 8 GB".');
      await this.record({ request: text, intent, approval: 'not-asked', result: 'needs-input' });
      return { status: 'needs-input', intent };
    }
    let base: { pattern: Pattern; params: Record<string, unknown>; text: string } | undefined;
    if (
      this.pending &&
      this.pending.change.name === targetName &&
      this.pending.pattern &&
      this.pending.params
    ) {
      base = { pattern: this.pending.pattern, params: this.pending.params, text: this.pending.text };
    } else {
      const existing = (await this.options.infrastructure.deployments()).find(
        (deployment) => deployment.name === targetName,
      );
      if (!existing) {
        return this.unknownTarget(text, intent, targetName);
      }
      const pattern = existing.pattern ? this.options.catalog.get(existing.pattern) : undefined;
      if (!pattern || !existing.params) {
        this.options.ui.say(
          existing.pattern
            ? `"${targetName}" was made with the pattern "${existing.pattern}", which is not available now; change it with a deployment file and \`conductor apply -f\`.`
            : `"${targetName}" was deployed from a file, not a pattern: edit the file and run \`conductor apply -f FILE\`.`,
        );
        await this.record({ request: text, intent, approval: 'not-asked', result: 'invalid' });
        return { status: 'invalid', intent };
      }
      base = { pattern, params: existing.params, text: existing.request ?? text };
    }
    const known = new Set(Object.keys(base.pattern.params.shape));
    const unknown = Object.keys(changes).filter((name) => !known.has(name));
    const applicable = Object.fromEntries(Object.entries(changes).filter(([name]) => known.has(name)));
    if (Object.keys(applicable).length === 0) {
      this.options.ui.say(
        unknown.length > 0
          ? `${base.pattern.name} has no parameter ${unknown.join(', ')}. It has: ${[...known].join(', ')}.`
          : `I understood that ${targetName} should change, but not what. ${base.pattern.name} has: ${[...known].join(', ')}.`,
      );
      await this.record({ request: text, intent, approval: 'not-asked', result: 'needs-input' });
      return { status: 'needs-input', intent };
    }
    // Values that were derived from others (memory from players) are derived again unless this change sets them.
    const stated = this.statedParams(base.pattern, base.params, applicable);
    const resolved = resolveParams(base.pattern, stated);
    if (!resolved.ok) {
      this.options.ui.say(
        `That change does not fit ${base.pattern.name}: ${[
          ...resolved.missing.map((name) => `${name} is required`),
          ...resolved.issues.map((issue) => `${issue.param}: ${issue.message}`),
        ].join('; ')}.`,
      );
      await this.record({ request: text, intent, approval: 'not-asked', result: 'invalid' });
      return { status: 'invalid', intent };
    }
    const described = Object.keys(applicable)
      .map((name) => `${name} ${formatValue(base.params[name])} → ${formatValue(resolved.params[name])}`)
      .join(', ');
    this.options.ui.say(`Changing ${targetName}: ${described}.`);
    return this.propose(base.text, intent, base.pattern, resolved.params, signal);
  }

  /**
   * The parameters to resolve again after a change: the new values, plus the earlier ones minus those a pattern's
   * `derive` filled in (detected by deriving from the earlier values without them and getting the same value).
   */
  private statedParams(
    pattern: Pattern,
    earlier: Record<string, unknown>,
    changes: Record<string, unknown>,
  ): Record<string, unknown> {
    const stated: Record<string, unknown> = { ...earlier };
    if (pattern.derive) {
      for (const name of Object.keys(earlier)) {
        if (name in changes) continue;
        const without = { ...earlier };
        delete without[name];
        const parsed = pattern.params.safeParse(without);
        if (!parsed.success) continue;
        const derived = pattern.derive(parsed.data) as Record<string, unknown>;
        if (JSON.stringify(derived[name]) === JSON.stringify(earlier[name])) delete stated[name];
      }
    }
    return { ...stated, ...changes };
  }

  private async destroy(text: string, intent: Intent, signal?: AbortSignal): Promise<TurnOutcome> {
    const deployments = await this.options.infrastructure.deployments();
    const targetName = intent.target ?? this.focus?.name;
    const existing = deployments.find((deployment) => deployment.name === targetName);
    if (!targetName || !existing) return this.unknownTarget(text, intent, targetName);
    if (this.pending?.change.name === targetName) this.pending = undefined;
    const change: ChangeRequest = {
      verb: 'destroy',
      name: targetName,
      deployment: { name: targetName, resources: [] },
    };
    const plan = await this.options.infrastructure.plan(change);
    return this.reviewAndDecide({ change, plan, text, intent }, signal);
  }

  private async restore(text: string, intent: Intent, signal?: AbortSignal): Promise<TurnOutcome> {
    const deployments = await this.options.infrastructure.deployments();
    const targetName =
      intent.target ?? this.focus?.name ?? (deployments.length === 1 ? deployments[0]!.name : undefined);
    if (!targetName) return this.unknownTarget(text, intent, undefined);
    const at = intent.at ? new Date(intent.at) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
      this.options.ui.say(
        'To which time? Say e.g. "restore minecraft to yesterday" or "as of 2026-11-20 14:00".',
      );
      await this.record({ request: text, intent, approval: 'not-asked', result: 'needs-input' });
      return { status: 'needs-input', intent };
    }
    const restored = await this.options.infrastructure.restore(targetName, at);
    if (!restored.deployment) {
      this.options.ui.say(
        restored.diagnostics.map((diagnostic) => `${diagnostic.summary} ${diagnostic.detail}`).join('\n'),
      );
      await this.record({ request: text, intent, approval: 'not-asked', result: 'invalid' });
      return { status: 'invalid', intent };
    }
    this.options.ui.say(`Planning the return of ${targetName} to how it was at ${at.toISOString()}.`);
    const existing = deployments.find((deployment) => deployment.name === targetName);
    const change: ChangeRequest = {
      verb: 'apply',
      name: targetName,
      deployment: restored.deployment,
      request: { text, ...(existing?.pattern ? { pattern: existing.pattern } : {}) },
    };
    const plan = await this.options.infrastructure.plan(change);
    return this.reviewAndDecide({ change, plan, text, intent }, signal);
  }

  private async troubleshoot(text: string, intent: Intent, signal?: AbortSignal): Promise<TurnOutcome> {
    const deployments = await this.options.infrastructure.deployments();
    const targetName =
      intent.target ?? this.focus?.name ?? (deployments.length === 1 ? deployments[0]!.name : undefined);
    if (!targetName || !deployments.some((deployment) => deployment.name === targetName)) {
      return this.unknownTarget(text, intent, targetName);
    }
    return this.answer(text, intent, () =>
      this.options.infrastructure.troubleshoot(targetName, intent.symptom ?? text, signal),
    );
  }

  private async answer(text: string, intent: Intent, produce: () => Promise<string>): Promise<TurnOutcome> {
    const answer = await produce();
    this.options.ui.say(answer);
    await this.record({ request: text, intent, approval: 'not-asked', result: 'answered' });
    return { status: 'answered', intent };
  }

  private async unsupported(text: string, intent: Intent): Promise<TurnOutcome> {
    const notes = intent.notes?.length ? `${intent.notes.join(' ')}\n` : '';
    this.options.ui.say(
      `${notes}That is not something Conductor can do. It can deploy (${this.patternNames()}), change or destroy what it deployed, answer questions about it ("what runs on VLAN 20?"), check it ("why can't I reach minecraft?") and restore it to an earlier time. /help lists the commands.`,
    );
    await this.record({ request: text, intent, approval: 'not-asked', result: 'unsupported' });
    return { status: 'unsupported', intent };
  }

  private async unknownTarget(
    text: string,
    intent: Intent,
    target: string | undefined,
  ): Promise<TurnOutcome> {
    const names = (await this.options.infrastructure.deployments()).map((deployment) => deployment.name);
    this.options.ui.say(
      `${target ? `There is no deployment named "${target}".` : 'Which deployment do you mean?'} ${
        names.length > 0 ? `Deployments: ${names.join(', ')}.` : 'Nothing is deployed yet.'
      }`,
    );
    await this.record({ request: text, intent, approval: 'not-asked', result: 'needs-input' });
    return { status: 'needs-input', intent };
  }

  private async reviewAndDecide(pending: Pending, signal?: AbortSignal): Promise<TurnOutcome> {
    this.options.ui.review(pending.plan);
    return this.decide(pending, signal);
  }

  /** After a review: refuse what cannot be applied, else ask and act on the answer. */
  private async decide(pending: Pending, signal?: AbortSignal): Promise<TurnOutcome> {
    const { plan, change, intent, text } = pending;
    const base = { request: text, intent, deployment: change.name, planHash: planHash(plan) };
    if (plan.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) {
      this.pending = undefined;
      await this.record({ ...base, approval: 'not-asked', result: 'invalid' });
      return { status: 'invalid', intent, plan };
    }
    if (plan.steps.every((step) => step.action === 'same')) {
      this.pending = undefined;
      this.focus = this.knownFrom(pending);
      this.options.ui.say(`Nothing to do: ${change.name} already looks like this.`);
      await this.record({ ...base, approval: 'not-asked', result: 'nothing-to-do' });
      return { status: 'nothing-to-do', intent, plan };
    }
    const blocked = plan.policies?.blocked ?? false;
    this.pending = pending;
    const choice = await this.options.ui.approve(plan, { verb: change.verb, canApply: !blocked });
    switch (choice) {
      case 'apply': {
        if (blocked) {
          // The UI should not have offered it; refuse anyway.
          await this.record({ ...base, approval: 'blocked', result: 'refused' });
          return { status: 'blocked', intent, plan };
        }
        return this.apply(pending, signal);
      }
      case 'change': {
        const answer = await this.options.ui.ask('What should change?');
        if (answer === undefined || answer.trim() === '') {
          this.options.ui.say(
            'Nothing changed; the plan is still waiting (/apply, /plan, or describe a change).',
          );
          return { status: 'pending', intent, plan };
        }
        return this.handle(answer, signal);
      }
      case 'later':
        await this.record({ ...base, approval: blocked ? 'blocked' : 'not-asked', result: 'planned' });
        return { status: blocked ? 'blocked' : 'planned', intent, plan };
      case 'no-terminal':
        await this.record({ ...base, approval: 'no-terminal', result: 'refused' });
        return { status: blocked ? 'blocked' : 'refused', intent, plan };
      default:
        this.pending = undefined;
        this.options.ui.say('Cancelled: nothing was changed.');
        await this.record({ ...base, approval: 'declined', result: 'cancelled' });
        return { status: 'cancelled', intent, plan };
    }
  }

  private async apply(pending: Pending, signal?: AbortSignal): Promise<TurnOutcome> {
    const { change, intent, text } = pending;
    const outcome = await this.options.infrastructure.apply(change, pending.plan, signal);
    if (outcome.status === 'stale' && outcome.plan) {
      this.options.ui.say(
        'State changed since this plan was shown. Here is the plan against the current state:',
      );
      return this.reviewAndDecide({ ...pending, plan: outcome.plan }, signal);
    }
    this.pending = undefined;
    const succeeded = outcome.status === 'succeeded';
    await this.record({
      request: text,
      intent,
      deployment: change.name,
      planHash: planHash(pending.plan),
      approval: this.options.approvedByFlag ? 'approved-by-flag' : 'approved',
      result: outcome.result?.status ?? outcome.status,
    });
    if (succeeded) {
      this.focus = change.verb === 'destroy' ? undefined : this.knownFrom(pending);
      if (outcome.summary) this.options.ui.say(outcome.summary);
    }
    return {
      status: succeeded ? 'applied' : 'failed',
      intent,
      plan: pending.plan,
      ...(outcome.result ? { result: outcome.result } : {}),
    };
  }

  private knownFrom(pending: Pending): KnownDeployment {
    return {
      name: pending.change.name,
      ...(pending.pattern ? { pattern: pending.pattern.name } : {}),
      ...(pending.params ? { params: pending.params } : {}),
    };
  }

  private patternNames(): string {
    return this.options.catalog.patterns.map((pattern) => pattern.name).join(', ');
  }

  private async record(entry: Omit<AuditEntry, 'command' | 'model' | 'overrides' | 'usage'>): Promise<void> {
    if (!this.options.audit) return;
    const overrides = this.options.overrides ?? [];
    try {
      await this.options.audit({
        command: this.options.command,
        ...(this.lastModel ? { model: this.lastModel } : {}),
        ...(this.lastUsage ? { usage: this.lastUsage } : {}),
        ...entry,
        ...(overrides.length > 0 ? { overrides } : {}),
      });
    } catch (error) {
      throw new ConductorError({
        code: 'audit-write-failed',
        summary: 'The audit log could not be written.',
        detail: `${error instanceof Error ? error.message : String(error)}. Check that $CONDUCTOR_HOME is writable.`,
        cause: error,
      });
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function formatValue(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}
