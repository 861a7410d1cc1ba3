// Conductor as an MCP server: the tools a client such as Claude Desktop or Claude Code uses to plan, review, approve
// and apply deployments. The client's model never changes infrastructure by itself: a request becomes a plan (the same
// planner, policies and review as the CLI), and only a person's approval applies it — asked through MCP elicitation,
// or, for a client that cannot ask, given by typing the plan's one-time confirmation code. A plan is applied only if
// planning it again against current state gives the same plan.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  type CallToolResult,
  ElicitResultSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ConversationSession, type ConversationUi, type TurnOutcome } from '../agent/session.js';
import { inventoryDocument, readInventory } from '../cli/provider-commands.js';
import { deploymentSummaries, stateRecords } from '../cli/state-commands.js';
import { readVersion } from '../cli/version.js';
import type { ExecutionEvent } from '../execute/events.js';
import { ConductorError } from '../model/conductor-error.js';
import { normalizeDeployment } from '../model/load-deployment.js';
import type { Plan } from '../model/plan.js';
import { redactPlan } from '../review/redact.js';
import { renderGraph } from '../review/render-graph.js';
import { renderPlan, renderSummary } from '../review/render-plan.js';
import { redactRecords } from '../review/render-state.js';
import type { AuditApproval } from '../state/audit-log.js';
import { applyStatusSchema } from '../state/records.js';
import type { ServeBackend } from './backend.js';
import type { StoredPlan } from './plans.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const INSTRUCTIONS = `Conductor plans and applies infrastructure changes (firewall, VLANs, containers, DNS, certificates, VMs) across the user's MCP servers.
Workflow: call plan_request with the person's words (or plan_deployment with a deployment document). Show the person the review it returns. Only when they want it applied, call apply_plan with the plan id: Conductor asks the person to approve it itself. Never invent or guess a confirmation code: only pass one the person typed. If apply_plan says the state changed, show the new plan and ask again.
Read-only tools: list_patterns, list_deployments, get_state, inventory, explain_plan.`;

const planView = z.object({
  status: z
    .string()
    .describe('planned, blocked, invalid, answered, needs-input, nothing-to-do, unsupported...'),
  planId: z.string().optional().describe('Pass to apply_plan or explain_plan.'),
  deployment: z.string().optional(),
  verb: z.enum(['apply', 'destroy']).optional(),
  summary: z.string().optional().describe('One line: what changes and the policy verdict.'),
  canApply: z.boolean().optional().describe('False when a mandatory policy or an error blocks the plan.'),
  approval: z
    .enum(['elicitation', 'confirmation-code'])
    .optional()
    .describe('How the person approves: asked by Conductor, or by typing the code shown to them.'),
  steps: z.array(z.object({ address: z.string(), action: z.string() })).optional(),
  policies: z
    .array(
      z.object({
        policy: z.string(),
        enforcement: z.string(),
        severity: z.string(),
        status: z.string(),
        summary: z.string(),
        address: z.string().optional(),
      }),
    )
    .optional(),
  messages: z
    .array(z.string())
    .describe('What Conductor said about the request (answers, questions, notes).'),
  missing: z
    .array(z.string())
    .optional()
    .describe('Required parameters the request left out: ask the person, then plan the fuller request.'),
});
type PlanView = z.infer<typeof planView>;

const applyView = z.object({
  /** How the apply ended, or that it did not start: the person declined, or there was nothing to do. */
  status: z.union([applyStatusSchema, z.enum(['declined', 'nothing-to-do'])]),
  deployment: z.string(),
  applyId: z.string().optional(),
  steps: z
    .array(
      z.object({ address: z.string(), action: z.string(), status: z.string(), id: z.string().optional() }),
    )
    .optional(),
  errors: z
    .array(z.object({ address: z.string().optional(), code: z.string(), message: z.string() }))
    .optional(),
  summary: z.string().optional().describe('What now exists: addresses, IPs, hostnames.'),
});

const jsonObject = z.record(z.string(), z.unknown());

export function createConductorServer(backend: ServeBackend): McpServer {
  const server = new McpServer({ name: 'conductor', version: readVersion() }, { instructions: INSTRUCTIONS });

  const guard = (work: () => Promise<CallToolResult>) => guarded(work, (line) => backend.log(line));

  // One conversation per MCP session: "make it 8 GB" after a plan refers to that plan.
  let turn: { messages: string[]; reviewed?: Plan } = { messages: [] };
  const ui: ConversationUi = {
    say: (text) => turn.messages.push(text.replace(/\n$/, '')),
    review: (plan) => {
      turn.reviewed = plan;
    },
    // Nobody to answer mid-call: the question is returned, and the person's answer comes as the next request.
    ask: async (question) => {
      turn.messages.push(question);
      return undefined;
    },
    approve: async () => 'later',
  };
  const session = new ConversationSession({
    model: backend.agent.model,
    catalog: backend.agent.catalog,
    infrastructure: backend.agent.infrastructure,
    ui,
    audit: backend.agent.audit,
    command: 'serve',
  });

  const canElicit = (): boolean => {
    const elicitation = server.server.getClientCapabilities()?.elicitation as
      | { form?: unknown; url?: unknown }
      | undefined;
    if (!elicitation) return false;
    // An empty object is form mode (the capability's first version).
    return elicitation.form !== undefined || elicitation.url === undefined;
  };

  function describePlan(
    stored: StoredPlan | undefined,
    plan: Plan,
    messages: string[],
    status: string,
  ): PlanView {
    const blocked = plan.policies?.blocked === true || hasErrors(plan);
    return {
      status,
      ...(stored ? { planId: stored.id, verb: stored.change.verb } : {}),
      deployment: plan.deployment,
      summary: renderSummary(plan),
      canApply: !blocked,
      ...(stored && !blocked ? { approval: canElicit() ? 'elicitation' : 'confirmation-code' } : {}),
      steps: plan.steps
        .filter((step) => step.action !== 'same')
        .map(({ address, action }) => ({ address, action })),
      policies: (plan.policies?.results ?? []).map((result) => ({
        policy: result.policy,
        enforcement: result.enforcement,
        severity: result.severity,
        status: result.overridden ? 'overridden' : result.status,
        summary: result.summary,
        ...(result.address ? { address: result.address } : {}),
      })),
      messages,
    };
  }

  /** The review as text, how to go on, and (for a client that cannot ask) the code, addressed to the person. */
  function planResult(stored: StoredPlan | undefined, plan: Plan, messages: string[], status: string) {
    const view = describePlan(stored, plan, messages, status);
    const lines = [...messages, renderPlan(plan, { color: false }).trimEnd()];
    const content: CallToolResult['content'] = [];
    if (stored && view.canApply) {
      lines.push(
        `\nPlan ${stored.id}: nothing has been applied. To apply it, call apply_plan with planId "${stored.id}"; ${
          view.approval === 'elicitation'
            ? 'Conductor then asks the person to approve.'
            : 'this client cannot be asked for approval, so the person approves by typing the confirmation code shown to them. Do not supply a code yourself.'
        }`,
      );
    } else if (stored)
      lines.push(
        `\nPlan ${stored.id} cannot be applied: ${
          plan.policies?.blocked
            ? 'a mandatory policy blocks it (see the policy results above). Change the request so it passes.'
            : 'the plan has errors (see above).'
        }`,
      );
    content.push({ type: 'text', text: lines.join('\n') });
    if (stored && view.canApply && view.approval === 'confirmation-code') content.push(codeBlock(stored));
    return { content, structuredContent: view };
  }

  server.registerTool(
    'list_patterns',
    {
      title: 'List deployment patterns',
      description:
        'The deployment patterns Conductor can plan (game server, web app, dev environment, ...): each with a description, example requests and its parameters as JSON Schema.',
      inputSchema: {},
      outputSchema: {
        patterns: z.array(
          z.object({
            name: z.string(),
            description: z.string(),
            examples: z.array(z.string()),
            parameters: jsonObject,
          }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () =>
      guard(async () => {
        const patterns = backend.agent.catalog.patterns.map((pattern) => ({
          name: pattern.name,
          description: pattern.description.trim(),
          examples: [...pattern.examples],
          parameters: parametersOf(pattern.params),
        }));
        const text = patterns
          .map(
            (pattern) =>
              `${pattern.name}: ${pattern.description}\n  e.g. ${pattern.examples.slice(0, 2).join(' | ')}`,
          )
          .join('\n');
        return { content: [{ type: 'text', text }], structuredContent: { patterns } };
      }),
  );

  server.registerTool(
    'plan_request',
    {
      title: 'Plan a request in words',
      description:
        'Turns a request in plain words ("deploy a minecraft server for 10 players on VLAN 20", "make it 8 GB", "tear down minecraft", "what runs on VLAN 20?") into a reviewed plan, or answers a question. Nothing is applied: a plan gets an id for apply_plan. If something required is missing, the result asks for it; call again with the fuller request.',
      inputSchema: { text: z.string().min(1).describe('The request, in the person’s words.') },
      outputSchema: planView.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ text }, extra) =>
      guard(() =>
        backend.exclusive(async () => {
          turn = { messages: [] };
          const outcome = await session.handle(text, extra.signal);
          return turnResult(outcome, text);
        }),
      ),
  );

  function turnResult(outcome: TurnOutcome, text: string): CallToolResult {
    const messages = turn.messages;
    const pending = session.pendingChange;
    const plan = outcome.plan ?? turn.reviewed;
    if ((outcome.status === 'planned' || outcome.status === 'blocked') && pending) {
      const stored = backend.plans.add(pending.change, pending.plan, text);
      return planResult(stored, pending.plan, messages, outcome.status);
    }
    if (plan) return planResult(undefined, plan, messages, outcome.status);
    const missing = outcome.status === 'needs-input' ? (outcome.intent?.missing ?? []) : [];
    return {
      content: [{ type: 'text', text: messages.join('\n') || `(${outcome.status})` }],
      structuredContent: {
        status: outcome.status,
        messages,
        ...(missing.length > 0 ? { missing } : {}),
      } satisfies PlanView,
    };
  }

  server.registerTool(
    'plan_deployment',
    {
      title: 'Plan a deployment document',
      description:
        'Plans a deployment written as a document: { name, resources: [{ server, type, name, properties, dependsOn? }] }, resources linked by references such as ${opnsense:network:vlan:game.device}. Returns the review and a plan id for apply_plan. Nothing is applied.',
      inputSchema: {
        deployment: jsonObject.describe(
          'The deployment: { name, resources: [...] } (or serverResources by server).',
        ),
      },
      outputSchema: planView.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ deployment }) =>
      guard(() =>
        backend.exclusive(async () => {
          const loaded = normalizeDeployment(deployment);
          const problems = loaded.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
          if (!loaded.deployment || problems.length > 0)
            return failure(
              'invalid-deployment',
              'The deployment document is not valid.',
              problems
                .map(
                  (problem) =>
                    `${problem.path ? `${problem.path}: ` : ''}${problem.summary} ${problem.detail}`,
                )
                .join('\n'),
            );
          const change = {
            verb: 'apply' as const,
            name: loaded.deployment.name,
            deployment: loaded.deployment,
          };
          const plan = await backend.agent.infrastructure.plan(change);
          const notes = loaded.diagnostics
            .filter((diagnostic) => diagnostic.severity !== 'error')
            .map((diagnostic) => `${diagnostic.severity}: ${diagnostic.summary}`);
          const unchanged = plan.steps.every((step) => step.action === 'same');
          const status = hasErrors(plan)
            ? 'invalid'
            : unchanged
              ? 'nothing-to-do'
              : plan.policies?.blocked
                ? 'blocked'
                : 'planned';
          const stored =
            status === 'planned' || status === 'blocked' ? backend.plans.add(change, plan) : undefined;
          return planResult(stored, plan, notes, status);
        }),
      ),
  );

  /** Asks the person (or checks the code they typed), then applies, with progress notifications. */
  async function approveAndApply(
    stored: StoredPlan,
    code: string | undefined,
    extra: Extra,
  ): Promise<CallToolResult> {
    const { plan } = stored;
    if (hasErrors(plan) || plan.policies?.blocked) {
      await backend.audit(stored, 'blocked', 'refused');
      return failure(
        'plan-blocked',
        `Plan ${stored.id} cannot be applied: ${renderSummary(plan)}`,
        'Change the request so the plan passes its policies (explain_plan shows each violation and how to fix it).',
      );
    }
    if (plan.steps.every((step) => step.action === 'same')) {
      backend.plans.remove(stored.id);
      return {
        content: [{ type: 'text', text: `Nothing to do: ${plan.deployment} already looks like this.` }],
        structuredContent: { status: 'nothing-to-do', deployment: plan.deployment },
      };
    }
    let approval: AuditApproval;
    if (canElicit()) {
      const answer = await askApproval(stored, extra);
      if (!answer) {
        await backend.audit(stored, 'declined', 'cancelled');
        return {
          content: [
            {
              type: 'text',
              text: `Declined: nothing was changed. Plan ${stored.id} stays available if the person changes their mind.`,
            },
          ],
          structuredContent: { status: 'declined', deployment: plan.deployment },
        };
      }
      approval = 'approved';
    } else {
      if (code === undefined || code.trim() === '') {
        await backend.audit(stored, 'no-terminal', 'refused');
        return {
          isError: true,
          content: [
            {
              type: 'text',
              text: `Refused: applying needs the person's approval, and this client cannot ask for it (it does not support MCP elicitation). Ask the person to read the review of plan ${stored.id} and, if they approve, to type the confirmation code shown to them with the plan; then call apply_plan with planId "${stored.id}" and confirmationCode set to what they typed. Never supply a code yourself.`,
            },
            codeBlock(stored),
          ],
        };
      }
      const checked = backend.plans.checkCode(stored, code);
      if (checked !== 'ok') {
        await backend.audit(stored, 'declined', 'wrong-code');
        return failure(
          'wrong-confirmation-code',
          checked === 'exhausted'
            ? `Too many wrong confirmation codes: plan ${stored.id} is discarded.`
            : `That is not the confirmation code of plan ${stored.id}. Nothing was changed.`,
          checked === 'exhausted'
            ? 'Plan the request again (plan_request) for a new plan and code.'
            : 'Ask the person to type the code exactly as shown with the plan.',
        );
      }
      approval = 'approved-by-code';
    }

    const applied = await backend.applyApproved(stored, approval, extra.signal, progressReporter(extra));
    if (applied.status === 'stale') {
      const fresh = planResult(applied.fresh, applied.fresh.plan, [], 'planned');
      return {
        isError: true,
        content: [
          {
            type: 'text',
            text: `Not applied: state changed since plan ${stored.id} was made, so it would no longer do what was approved. Here is the plan against the current state, as ${applied.fresh.id}; review it and approve it again.`,
          },
          ...fresh.content,
        ],
      };
    }
    if (session.pendingChange?.plan === stored.plan) session.settlePending(applied.status === 'succeeded');
    const { outcome, report } = applied;
    const result = outcome.result;
    const lines = [report.trim(), ...(outcome.summary ? [outcome.summary] : [])].filter(
      (line) => line !== '',
    );
    return {
      ...(applied.status === 'succeeded' ? {} : { isError: true }),
      content: [{ type: 'text', text: lines.join('\n\n') }],
      structuredContent: {
        status: result?.status ?? applied.status,
        deployment: plan.deployment,
        ...(result
          ? {
              applyId: result.applyId,
              steps: result.steps.map((step) => ({
                address: step.address,
                action: step.action,
                status: step.status,
                ...(step.id ? { id: step.id } : {}),
              })),
              errors: result.errors.map((error) => ({
                ...(error.address ? { address: error.address } : {}),
                code: error.code,
                message: error.summary,
              })),
            }
          : {}),
        ...(outcome.summary ? { summary: outcome.summary } : {}),
      },
    };
  }

  async function askApproval(stored: StoredPlan, extra: Extra): Promise<boolean> {
    const { plan } = stored;
    const verb = stored.change.verb;
    const changes = plan.steps
      .filter((step) => step.action !== 'same')
      .map((step) => `  ${step.action} ${step.address}`);
    const policies = (plan.policies?.results ?? []).map(
      (result) =>
        `  ${result.overridden ? 'overridden' : result.status} ${result.policy} (${result.enforcement}): ${result.summary}`,
    );
    const message = [
      `Conductor: ${verb} "${plan.deployment}"?`,
      renderSummary(plan),
      ...(changes.length > 20 ? [...changes.slice(0, 20), `  ... and ${changes.length - 20} more`] : changes),
      ...(policies.length > 0 ? ['Policies:', ...policies] : []),
      `Plan ${stored.id}${stored.request ? `, from: "${stored.request}"` : ''}`,
    ].join('\n');
    return elicitApproval(
      message,
      `${verb === 'destroy' ? 'Destroy' : 'Apply'} these changes`,
      'Yes applies the plan exactly as shown; no changes nothing.',
      extra,
    );
  }

  /**
   * One yes/no question to the person, through the client (MCP elicitation). Sent as part of the tool call, so over
   * HTTP it travels on that call's stream. Only an explicit yes is approval: declining, cancelling or closing is not.
   */
  async function elicitApproval(
    message: string,
    title: string,
    description: string,
    extra: Extra,
  ): Promise<boolean> {
    const result = await extra.sendRequest(
      {
        method: 'elicitation/create',
        params: {
          message,
          requestedSchema: {
            type: 'object',
            properties: { approve: { type: 'boolean', title, description } },
            required: ['approve'],
          },
        },
      },
      ElicitResultSchema,
      { signal: extra.signal },
    );
    return result.action === 'accept' && result.content?.approve === true;
  }

  function progressReporter(extra: Extra): (event: ExecutionEvent) => void {
    const token = extra._meta?.progressToken;
    if (token === undefined) return () => {};
    let progress = 0;
    let total: number | undefined;
    const send = (message: string) => {
      progress++;
      extra
        .sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress, ...(total ? { total } : {}), message },
        })
        .catch(() => undefined);
    };
    return (event) => {
      switch (event.type) {
        case 'apply-start':
          total = event.steps;
          return;
        case 'step-finish':
          if (event.complete) send(`${event.action} ${event.address}: done`);
          return;
        case 'step-fail':
          send(`${event.action} ${event.address}: failed (${event.error.summary})`);
          return;
        case 'step-skip':
          send(`${event.action} ${event.address}: skipped (needs ${event.because})`);
          return;
        case 'rollback-start':
          total = undefined;
          send(`rolling back ${event.operations} change(s): ${event.reason.summary}`);
          return;
        case 'rollback-step-finish':
          send(`undid ${event.undoes} of ${event.address}`);
          return;
        case 'rollback-step-fail':
          send(`could not undo ${event.undoes} of ${event.address}: ${event.error.summary}`);
          return;
        default:
          return;
      }
    };
  }

  server.registerTool(
    'apply_plan',
    {
      title: 'Apply a plan (asks the person first)',
      description:
        'Applies a plan made by plan_request, plan_deployment or destroy_deployment, after the person approves it: Conductor asks them itself (MCP elicitation). A client that cannot ask gets a refusal, and the person approves by typing the one-time confirmation code shown with the plan. Applies only if state has not changed since the plan was made; otherwise returns the new plan to approve. Rolls everything back if a step fails.',
      inputSchema: {
        planId: z.string().describe('The id a planning tool returned, e.g. plan-1a2b3c4d.'),
        confirmationCode: z
          .string()
          .optional()
          .describe(
            'Only for clients without elicitation: the code exactly as the person typed it. Never guess it.',
          ),
      },
      outputSchema: applyView.shape,
      annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async ({ planId, confirmationCode }, extra) =>
      guard(async () => {
        const stored = backend.plans.get(planId);
        if (!stored)
          return failure(
            'plan-not-found',
            `There is no plan ${planId} waiting to be applied.`,
            `Plans are kept for an hour and applied once. Plan the request again (plan_request or plan_deployment).${
              backend.plans.ids().length > 0 ? ` Waiting plans: ${backend.plans.ids().join(', ')}.` : ''
            }`,
          );
        return approveAndApply(stored, confirmationCode, extra);
      }),
  );

  server.registerTool(
    'destroy_deployment',
    {
      title: 'Destroy a deployment (asks the person first)',
      description:
        'Deletes every resource of a deployment, in reverse dependency order, after the person approves the plan (asked through MCP elicitation; without it, the result carries a plan id and the person approves with its confirmation code through apply_plan).',
      inputSchema: { name: z.string().min(1).describe('The deployment name (list_deployments lists them).') },
      outputSchema: applyView.shape,
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ name }, extra) =>
      guard(async () => {
        const change = { verb: 'destroy' as const, name, deployment: { name, resources: [] } };
        const stored = await backend.exclusive(async () =>
          backend.plans.add(change, await backend.agent.infrastructure.plan(change), `destroy ${name}`),
        );
        if (!canElicit()) {
          const shown = planResult(stored, stored.plan, [], 'planned');
          return {
            isError: true,
            content: [
              {
                type: 'text',
                text: `Refused for now: destroying needs the person's approval, and this client cannot ask for it. Show them the plan below; if they approve, they type the confirmation code, and you call apply_plan with planId "${stored.id}" and that code.`,
              },
              ...shown.content,
            ],
          };
        }
        return approveAndApply(stored, undefined, extra);
      }),
  );

  server.registerTool(
    'explain_plan',
    {
      title: 'Explain a plan',
      description:
        'The full review of a waiting plan: every change with its properties, the order (waves, critical path), each policy result with its remediation, and the dependency graph as Mermaid.',
      inputSchema: { planId: z.string() },
      outputSchema: { plan: jsonObject, review: z.string(), mermaid: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ planId }) =>
      guard(async () => {
        const stored = backend.plans.get(planId);
        if (!stored)
          return failure(
            'plan-not-found',
            `There is no plan ${planId}.`,
            'Plan the request again to get one.',
          );
        const { plan } = stored;
        const review = renderPlan(plan, { color: false, showUnchanged: true });
        const remediation = (plan.policies?.results ?? []).map(
          (result) =>
            `- ${result.policy} on ${result.address ?? plan.deployment}: ${result.detail} Fix: ${result.remediation}`,
        );
        const order = plan.waves.map((wave, index) => `wave ${index + 1}: ${wave.join(', ')}`);
        const mermaid = renderGraph(plan, 'mermaid');
        const text = [
          review.trimEnd(),
          'Order (each step starts as soon as what it needs is done):',
          ...order,
          `Critical path: ${plan.criticalPath.join(' → ') || '(none)'}`,
          ...(remediation.length > 0 ? ['Policy results:', ...remediation] : []),
          '```mermaid',
          mermaid.trimEnd(),
          '```',
        ].join('\n');
        return {
          content: [{ type: 'text', text }],
          structuredContent: {
            plan: redactPlan(plan) as unknown as Record<string, unknown>,
            review,
            mermaid,
          },
        };
      }),
  );

  server.registerTool(
    'list_deployments',
    {
      title: 'List deployments',
      description:
        'What Conductor has deployed: each deployment with its status, pattern, request and resource count.',
      inputSchema: {},
      outputSchema: { deployments: z.array(jsonObject) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () =>
      guard(async () => {
        const deployments = await deploymentSummaries(backend.state);
        const text =
          deployments.length === 0
            ? 'Nothing is deployed yet.'
            : deployments
                .map(
                  (deployment) =>
                    `${deployment.name}: ${deployment.status}, ${deployment.resources} resource(s)${deployment.pattern ? `, pattern ${deployment.pattern}` : ''}`,
                )
                .join('\n');
        return {
          content: [{ type: 'text', text }],
          structuredContent: { deployments: deployments as unknown as Array<Record<string, unknown>> },
        };
      }),
  );

  server.registerTool(
    'get_state',
    {
      title: 'Read state',
      description:
        'The resources Conductor manages as state records them (secrets masked): all, or one deployment’s, optionally as they were at an earlier time.',
      inputSchema: {
        deployment: z.string().optional(),
        at: z.string().optional().describe('An ISO time such as 2026-11-22T10:00:00Z: state as it was then.'),
      },
      outputSchema: { resources: z.array(jsonObject) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ deployment, at }) =>
      guard(async () => {
        const records = redactRecords(
          await stateRecords(backend.state, { ...(deployment ? { deployment } : {}), ...(at ? { at } : {}) }),
        );
        return {
          content: [{ type: 'text', text: JSON.stringify(records, null, 2) }],
          structuredContent: { resources: records as unknown as Array<Record<string, unknown>> },
        };
      }),
  );

  server.registerTool(
    'inventory',
    {
      title: 'Inventory of the servers',
      description:
        'What each MCP server Conductor manages really holds now, read through its list tools (secrets masked): the ground truth to compare state with.',
      inputSchema: { server: z.string().optional().describe('One server, e.g. opnsense; default all.') },
      outputSchema: { sandbox: z.boolean(), servers: z.array(jsonObject) },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ server: only }) =>
      guard(async () => {
        const providers = await backend.agent.infrastructure.providers();
        const document = inventoryDocument(await readInventory(providers, only), providers.sandbox);
        const text = document.servers
          .map(
            (entry) =>
              `${entry.name}${document.sandbox ? ' (sandbox)' : ''}: ${
                entry.status === 'error'
                  ? `unreachable: ${entry.error}`
                  : entry.resources.length === 0
                    ? 'nothing'
                    : entry.resources.map((resource) => `${resource.type}:${resource.name}`).join(', ')
              }`,
          )
          .join('\n');
        return {
          content: [{ type: 'text', text }],
          structuredContent: document as unknown as Record<string, unknown>,
        };
      }),
  );

  server.registerTool(
    'recover',
    {
      title: 'Recover interrupted applies',
      description:
        'Finds applies that crashed or whose rollback failed, asks the providers what really exists, and (after the person approves) rolls them back or makes state match the providers. Safe to run twice.',
      inputSchema: {
        mode: z
          .enum(['rollback', 'reconcile'])
          .optional()
          .describe(
            'rollback undoes the interrupted apply; reconcile keeps what it did. Default: what the apply would have done.',
          ),
      },
      outputSchema: {
        status: z.string(),
        recovered: z.array(jsonObject),
      },
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ mode }, extra) =>
      guard(async () => {
        const applies = await backend.interruptedApplies();
        if (applies.length === 0)
          return {
            content: [{ type: 'text', text: `Nothing to recover in ${backend.state.location}.` }],
            structuredContent: { status: 'nothing-to-do', recovered: [] },
          };
        const found = applies.map(
          (apply) =>
            `${apply.id}: ${apply.operation} ${apply.deployment} (${apply.status === 'running' ? 'interrupted' : 'its rollback failed'}) → ${mode ?? (apply.rollback ? 'rollback' : 'reconcile')}`,
        );
        if (!canElicit())
          return failure(
            'approval-unavailable',
            `Recovering changes resources, and this client cannot ask the person to approve it. Found:\n${found.join('\n')}`,
            'Run `conductor recover` in a terminal, where it shows the same and asks.',
          );
        const approved = await elicitApproval(
          `Conductor: recover ${applies.length} interrupted apply(s)?\n${found.join('\n')}`,
          'Recover as shown',
          'Yes asks the providers what exists and rolls back or reconciles as listed; no changes nothing.',
          extra,
        );
        if (!approved)
          return {
            content: [{ type: 'text', text: 'Declined: nothing was changed.' }],
            structuredContent: { status: 'declined', recovered: [] },
          };
        const report = await backend.recover(mode, progressReporter(extra));
        const left = report.recovered.filter((item) => item.leftBehind.length > 0);
        const text = report.recovered
          .map((item) =>
            item.leftBehind.length > 0
              ? `${item.applyId} (${item.deployment}): ${item.leftBehind.length} resource(s) still left behind: ${item.leftBehind.map((entry) => `${entry.address} (${entry.reason})`).join('; ')}`
              : `${item.applyId} (${item.deployment}): ${item.mode === 'rollback' ? 'rolled back' : 'reconciled'}; state matches the providers.`,
          )
          .join('\n');
        return {
          ...(left.length > 0 ? { isError: true } : {}),
          content: [{ type: 'text', text }],
          structuredContent: {
            status: left.length > 0 ? 'failed' : 'succeeded',
            recovered: report.recovered as unknown as Array<Record<string, unknown>>,
          },
        };
      }),
  );

  server.registerResource(
    'deployments',
    'conductor://deployments',
    {
      title: 'Deployments',
      description: 'Every deployment Conductor manages, with status and resource count.',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(await deploymentSummaries(backend.state), null, 2),
        },
      ],
    }),
  );

  server.registerResource(
    'deployment',
    new ResourceTemplate('conductor://deployments/{name}', {
      list: async () => ({
        resources: (await deploymentSummaries(backend.state)).map((deployment) => ({
          uri: `conductor://deployments/${encodeURIComponent(deployment.name)}`,
          name: deployment.name,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'A deployment',
      description: 'One deployment: its record and the resources state holds for it (secrets masked).',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const name = decodeURIComponent(String(variables.name));
      const record = await backend.state.getDeployment(name);
      const resources = redactRecords(await stateRecords(backend.state, { deployment: name }));
      const { plan: _plan, ...summary } = record ?? { name };
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            text: JSON.stringify({ ...summary, resources }, null, 2),
          },
        ],
      };
    },
  );

  server.registerResource(
    'state',
    'conductor://state',
    {
      title: 'State',
      description: 'Every resource Conductor manages, as state records it (secrets masked).',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(redactRecords(await backend.state.listResources()), null, 2),
        },
      ],
    }),
  );

  server.registerPrompt(
    'use-conductor',
    {
      title: 'Change infrastructure with Conductor',
      description: 'How to plan, review and apply a change with Conductor’s tools, safely.',
      argsSchema: { request: z.string().optional().describe('What the person wants, if already known.') },
    },
    ({ request }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `${INSTRUCTIONS}
Steps:
1. If unsure what is possible, call list_patterns; to see what exists, list_deployments or inventory.
2. Call plan_request with the request in the person's words. If it asks for something missing, ask the person and call it again with the fuller request.
3. Show the person the review (explain_plan gives the details, policy results and the order).
4. Only if they want it, call apply_plan with the plan id. Conductor asks them to approve; if it reports that state changed, show the new plan.
5. Report what now exists from the result's summary.
${request ? `\nThe request: ${request}` : ''}`,
          },
        },
      ],
    }),
  );

  return server;
}

function parametersOf(schema: z.ZodObject): Record<string, unknown> {
  try {
    const { $schema: _dialect, ...converted } = z.toJSONSchema(schema, { io: 'input' }) as Record<
      string,
      unknown
    >;
    return converted;
  } catch {
    return { type: 'object', description: 'These parameters cannot be described as JSON Schema.' };
  }
}

function hasErrors(plan: Plan): boolean {
  return plan.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/** Addressed to the person (MCP content annotations): the code they type to approve, and only they should. */
function codeBlock(stored: StoredPlan): CallToolResult['content'][number] {
  return {
    type: 'text',
    text: `Confirmation code for plan ${stored.id} (${stored.change.verb} ${stored.plan.deployment}): ${stored.code}\nType it into the chat only if you approve this plan. It works once.`,
    annotations: { audience: ['user'], priority: 1 },
  };
}

function failure(code: string, summary: string, detail: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${summary}\n${detail}` }] };
}

/** A mistake (unknown name, bad input, a locked state) is a tool error with a code and a fix, never a crash. */
async function guarded(
  work: () => Promise<CallToolResult>,
  log: (line: string) => void,
): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    if (ConductorError.isInstance(error)) return failure(error.code, error.summary, error.detail);
    log(`conductor serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const message = error instanceof Error ? error.message : String(error);
    return failure(
      'internal-error',
      `Conductor failed: ${message}`,
      'The server log (stderr) has the details.',
    );
  }
}
