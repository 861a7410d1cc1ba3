// `conductor serve` as Claude Desktop runs it: the compiled CLI started over stdio on a fresh CONDUCTOR_HOME (so the
// built-in sandbox), driven by the MCP SDK's real Client. The person's answers to approval prompts are scripted in
// the client's elicitation handler; what the sandbox servers hold is read back with `conductor inventory --json`.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  type CallToolResult,
  ElicitRequestSchema,
  type ElicitResult,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bin, CliProject } from '../support/cli-project.js';

interface Connected {
  client: Client;
  transport: StdioClientTransport;
  stderr: string[];
  /** The approval prompts the person saw. */
  prompts: string[];
  /** What the person answers next; each prompt takes the first. */
  answers: ElicitResult[];
}

async function connect(
  project: CliProject,
  options: { elicitation: boolean; env?: NodeJS.ProcessEnv },
): Promise<Connected> {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, 'serve'],
    cwd: project.directory,
    env: { PATH: process.env.PATH ?? '', CONDUCTOR_HOME: project.home, ...options.env } as Record<
      string,
      string
    >,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const client = new Client(
    { name: 'conductor-test', version: '1.0.0' },
    { capabilities: options.elicitation ? { elicitation: { form: {} } } : {} },
  );
  const connected: Connected = { client, transport, stderr, prompts: [], answers: [] };
  if (options.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      connected.prompts.push(String(request.params.message));
      return connected.answers.shift() ?? { action: 'cancel' };
    });
  }
  await client.connect(transport);
  return connected;
}

function text(result: CallToolResult): string {
  return result.content
    .filter((block) => block.type === 'text')
    .map((block) => (block as { text: string }).text)
    .join('\n');
}

async function call(connected: Connected, name: string, args: Record<string, unknown> = {}) {
  return (await connected.client.callTool({ name, arguments: args })) as CallToolResult;
}

function held(project: CliProject): string[] {
  return project
    .inventory()
    .servers.flatMap((server) =>
      server.resources.map((resource) => `${server.name}:${resource.type}:${resource.name}`),
    );
}

const opened: Connected[] = [];
afterEach(async () => {
  for (const connected of opened.splice(0)) await connected.client.close().catch(() => undefined);
});

describe('conductor serve over stdio, with a client that can ask the person (elicitation)', () => {
  let project: CliProject;
  let connected: Connected;
  beforeAll(async () => {
    project = new CliProject('conductor-serve');
  });
  afterAll(() => rmSync(project.directory, { recursive: true, force: true }));

  it('lists its tools with schemas and annotations', async () => {
    connected = await connect(project, { elicitation: true });
    opened.push(connected);
    const { tools } = await connected.client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'apply_plan',
        'destroy_deployment',
        'explain_plan',
        'get_state',
        'inventory',
        'list_deployments',
        'list_patterns',
        'plan_deployment',
        'plan_request',
        'recover',
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    expect(byName.get('apply_plan')?.annotations?.destructiveHint).toBe(true);
    expect(byName.get('destroy_deployment')?.annotations?.destructiveHint).toBe(true);
    expect(byName.get('plan_request')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('inventory')?.annotations?.readOnlyHint).toBe(true);
    expect(connected.stderr.join('')).toMatch(/Sandbox mode/);

    const { resources } = await connected.client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(
      expect.arrayContaining(['conductor://deployments', 'conductor://state']),
    );
    const { resourceTemplates } = await connected.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain(
      'conductor://deployments/{name}',
    );
    const state = await connected.client.readResource({ uri: 'conductor://state' });
    expect(JSON.parse((state.contents[0] as { text: string }).text)).toEqual([]);
    const prompt = await connected.client.getPrompt({
      name: 'use-conductor',
      arguments: { request: 'deploy jellyfin' },
    });
    const taught = (prompt.messages[0]!.content as { text: string }).text;
    expect(taught).toMatch(/plan_request/);
    expect(taught).toMatch(/apply_plan/);
    expect(taught).toMatch(/deploy jellyfin/);
  });

  it('plans a request, applies nothing when the person declines, applies when they accept, then destroys', async () => {
    connected = await connect(project, { elicitation: true });
    opened.push(connected);
    const planned = await call(connected, 'plan_request', {
      text: 'deploy a minecraft server for 10 players on VLAN 20',
    });
    expect(planned.isError).toBeFalsy();
    const view = planned.structuredContent as {
      status: string;
      planId: string;
      approval: string;
      canApply: boolean;
    };
    expect(view).toMatchObject({ status: 'planned', approval: 'elicitation', canApply: true });
    expect(view.planId).toMatch(/^plan-[0-9a-f]{8}$/);
    expect(text(planned)).toMatch(/opnsense:network:vlan/);
    // The review says nothing was applied, and no code is offered to a client that can ask.
    expect(text(planned)).toMatch(/nothing has been applied/);
    expect(text(planned)).not.toMatch(/Confirmation code/);
    expect(held(project)).toEqual([]);

    connected.answers.push({ action: 'decline' });
    const declined = await call(connected, 'apply_plan', { planId: view.planId });
    expect(declined.structuredContent).toMatchObject({ status: 'declined' });
    expect(connected.prompts).toHaveLength(1);
    expect(connected.prompts[0]).toMatch(/apply "minecraft"\?/);
    expect(connected.prompts[0]).toMatch(/create opnsense:network:vlan:/);
    expect(held(project)).toEqual([]);

    // Accepting the dialog without saying yes is not approval either.
    connected.answers.push({ action: 'accept', content: { approve: false } });
    const notApproved = await call(connected, 'apply_plan', { planId: view.planId });
    expect(notApproved.structuredContent).toMatchObject({ status: 'declined' });
    expect(held(project)).toEqual([]);

    connected.answers.push({ action: 'accept', content: { approve: true } });
    const progress: Progress[] = [];
    const applied = (await connected.client.callTool(
      { name: 'apply_plan', arguments: { planId: view.planId } },
      undefined,
      { onprogress: (update) => progress.push(update) },
    )) as CallToolResult;
    expect(text(applied)).not.toMatch(/at .*\.js:\d+/);
    expect(applied.isError).toBeFalsy();
    const result = applied.structuredContent as {
      status: string;
      steps: Array<{ status: string }>;
      summary: string;
    };
    expect(result.status).toBe('succeeded');
    expect(result.steps.every((step) => step.status === 'done')).toBe(true);
    expect(result.summary).toMatch(/minecraft/);
    // One progress notification per finished step, counting up to the total.
    expect(progress.length).toBe(result.steps.length);
    expect(progress.at(-1)).toMatchObject({ progress: result.steps.length, total: result.steps.length });
    const inventory = held(project);
    expect(inventory).toEqual(expect.arrayContaining([expect.stringMatching(/^opnsense:network:vlan:/)]));
    expect(inventory).toEqual(expect.arrayContaining([expect.stringMatching(/^docker:container:/)]));

    // A plan is used once.
    const again = await call(connected, 'apply_plan', { planId: view.planId });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/^plan-not-found:/);

    const deployments = await call(connected, 'list_deployments');
    expect(deployments.structuredContent).toMatchObject({
      deployments: [expect.objectContaining({ name: 'minecraft', status: 'applied' })],
    });
    const state = await call(connected, 'get_state', { deployment: 'minecraft' });
    expect((state.structuredContent as { resources: unknown[] }).resources.length).toBe(inventory.length);
    const resource = await connected.client.readResource({ uri: 'conductor://deployments/minecraft' });
    const described = JSON.parse((resource.contents[0] as { text: string }).text) as {
      name: string;
      resources: unknown[];
    };
    expect(described.name).toBe('minecraft');
    expect(described.resources).toHaveLength(inventory.length);

    connected.answers.push({ action: 'accept', content: { approve: true } });
    const destroyed = await call(connected, 'destroy_deployment', { name: 'minecraft' });
    expect(destroyed.structuredContent).toMatchObject({ status: 'succeeded' });
    expect(connected.prompts.at(-1)).toMatch(/destroy "minecraft"\?/);
    expect(held(project)).toEqual([]);
  }, 60_000);

  it('refuses a plan whose state changed after it was made, and offers the fresh plan', async () => {
    connected = await connect(project, { elicitation: true });
    opened.push(connected);
    const first = await call(connected, 'plan_request', { text: 'set up an iot network on vlan 31' });
    const firstId = (first.structuredContent as { planId: string }).planId;
    const second = await call(connected, 'plan_request', { text: 'set up an iot network on vlan 31' });
    const secondId = (second.structuredContent as { planId: string }).planId;
    connected.answers.push({ action: 'accept', content: { approve: true } });
    expect((await call(connected, 'apply_plan', { planId: secondId })).structuredContent).toMatchObject({
      status: 'succeeded',
    });
    const before = held(project);

    connected.answers.push({ action: 'accept', content: { approve: true } });
    const stale = await call(connected, 'apply_plan', { planId: firstId });
    expect(stale.isError).toBe(true);
    expect(text(stale)).toMatch(/state changed since plan/);
    expect(text(stale)).toMatch(/Nothing to do|0 to create/);
    expect(held(project)).toEqual(before);
  }, 60_000);

  it('plans a deployment document, explains it, applies it, and says when there is nothing left to do', async () => {
    connected = await connect(project, { elicitation: true });
    opened.push(connected);
    const deployment = {
      name: 'cache',
      resources: [
        { server: 'docker', type: 'volume', name: 'cache-data', properties: {} },
        {
          server: 'docker',
          type: 'container',
          name: 'cache',
          properties: { image: 'redis:7', volumes: ['${docker:volume:cache-data.id}:/data'] },
        },
      ],
    };
    const planned = await call(connected, 'plan_deployment', { deployment });
    const view = planned.structuredContent as { status: string; planId: string; steps: unknown[] };
    expect(view.status).toBe('planned');
    expect(view.steps).toHaveLength(2);
    const explained = await call(connected, 'explain_plan', { planId: view.planId });
    expect(text(explained)).toMatch(/wave 1: docker:volume:cache-data/);
    expect(text(explained)).toMatch(/```mermaid/);
    connected.answers.push({ action: 'accept', content: { approve: true } });
    expect((await call(connected, 'apply_plan', { planId: view.planId })).structuredContent).toMatchObject({
      status: 'succeeded',
    });
    const again = await call(connected, 'plan_deployment', { deployment });
    expect(again.structuredContent).toMatchObject({ status: 'nothing-to-do' });
    expect((again.structuredContent as { planId?: string }).planId).toBeUndefined();
  }, 60_000);

  it('reports bad input as tool errors with a code and a fix', async () => {
    connected = await connect(project, { elicitation: true });
    opened.push(connected);
    const unknownPlan = await call(connected, 'apply_plan', { planId: 'plan-00000000' });
    expect(unknownPlan.isError).toBe(true);
    expect(text(unknownPlan)).toMatch(/^plan-not-found: .*\n.*Plan the request again/);
    const unknownDeployment = await call(connected, 'destroy_deployment', { name: 'nope' });
    expect(text(unknownDeployment)).toMatch(/^deployment-not-found:/);
    const badDocument = await call(connected, 'plan_deployment', { deployment: { resources: 'x' } });
    expect(badDocument.isError).toBe(true);
    expect(text(badDocument)).toMatch(/^invalid-deployment:/);
    const incomplete = await call(connected, 'plan_request', { text: 'deploy a web app' });
    expect(incomplete.isError).toBeFalsy();
    expect(incomplete.structuredContent).toMatchObject({
      status: 'needs-input',
      missing: expect.arrayContaining(['appName', 'domain']),
    });
    expect(text(incomplete)).toMatch(/app name/i);
    const pizza = await call(connected, 'plan_request', { text: 'order me a pizza' });
    expect(pizza.structuredContent).toMatchObject({ status: 'unsupported' });
    expect(connected.prompts).toEqual([]);
  });
});

describe('conductor serve over stdio, with a client that cannot ask (no elicitation)', () => {
  let project: CliProject;
  beforeAll(() => {
    project = new CliProject('conductor-serve-code');
  });
  afterAll(() => rmSync(project.directory, { recursive: true, force: true }));

  it('refuses to apply without the confirmation code, applies with it once, and drops the plan after wrong guesses', async () => {
    const connected = await connect(project, { elicitation: false });
    opened.push(connected);
    const planned = await call(connected, 'plan_request', { text: 'deploy a dev environment with postgres' });
    const view = planned.structuredContent as { planId: string; approval: string };
    expect(view.approval).toBe('confirmation-code');
    // The code is addressed to the person, in its own block.
    const codeBlock = planned.content.find(
      (block) => block.type === 'text' && /Confirmation code/.test((block as { text: string }).text),
    ) as { text: string; annotations?: { audience?: string[] } };
    expect(codeBlock.annotations?.audience).toEqual(['user']);
    const code = /(\d{3}-\d{3})/.exec(codeBlock.text)?.[1];
    expect(code).toBeDefined();
    expect(text(planned)).not.toMatch(new RegExp(`${code}.*apply_plan`));

    const refused = await call(connected, 'apply_plan', { planId: view.planId });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/cannot ask for it/);
    expect(held(project)).toEqual([]);

    const wrong = code === '000-000' ? '111-111' : '000-000';
    const guessed = await call(connected, 'apply_plan', { planId: view.planId, confirmationCode: wrong });
    expect(text(guessed)).toMatch(/^wrong-confirmation-code:/);
    expect(held(project)).toEqual([]);

    const applied = await call(connected, 'apply_plan', { planId: view.planId, confirmationCode: code });
    expect(applied.structuredContent).toMatchObject({ status: 'succeeded' });
    expect(held(project).length).toBeGreaterThan(0);
    const reused = await call(connected, 'apply_plan', { planId: view.planId, confirmationCode: code });
    expect(text(reused)).toMatch(/^plan-not-found:/);

    // Destroy: the refusal carries the destroy plan and its code; three wrong codes discard it.
    const destroy = await call(connected, 'destroy_deployment', { name: 'dev' });
    expect(destroy.isError).toBe(true);
    const destroyId = /planId "(plan-[0-9a-f]{8})"/.exec(text(destroy))?.[1];
    expect(destroyId).toBeDefined();
    for (let attempt = 0; attempt < 3; attempt++)
      await call(connected, 'apply_plan', { planId: destroyId, confirmationCode: '999-99x' });
    const discarded = await call(connected, 'apply_plan', { planId: destroyId, confirmationCode: '999-99x' });
    expect(text(discarded)).toMatch(/^plan-not-found:/);
    expect(held(project).length).toBeGreaterThan(0);
  }, 60_000);
});

describe('conductor serve over stdio: cancelling an apply', () => {
  let project: CliProject;
  beforeAll(() => {
    project = new CliProject('conductor-serve-cancel');
  });
  afterAll(() => rmSync(project.directory, { recursive: true, force: true }));

  it('stops scheduling when the client cancels, and rolls back what was done', async () => {
    // Every provider call takes 300 ms, so the cancel lands while the apply is under way.
    const slow = { latencyMs: [300, 300] };
    const connected = await connect(project, {
      elicitation: true,
      env: { CONDUCTOR_SANDBOX_FAULTS: JSON.stringify({ opnsense: slow, docker: slow, dns: slow }) },
    });
    opened.push(connected);
    const planned = await call(connected, 'plan_request', {
      text: 'deploy a minecraft server for 10 players',
    });
    const planId = (planned.structuredContent as { planId: string }).planId;
    connected.answers.push({ action: 'accept', content: { approve: true } });
    const controller = new AbortController();
    const progress: Progress[] = [];
    const applying = connected.client.callTool({ name: 'apply_plan', arguments: { planId } }, undefined, {
      signal: controller.signal,
      onprogress: (update) => {
        progress.push(update);
        controller.abort('the person pressed stop');
      },
      timeout: 60_000,
    });
    await expect(applying).rejects.toThrow();
    expect(progress.length).toBeGreaterThan(0);

    // The server finishes the calls in flight, then undoes everything: the deployment ends rolled back, nothing held.
    let status = '';
    for (let attempt = 0; attempt < 100 && status !== 'rolled-back'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const listed = await call(connected, 'list_deployments');
      const deployments = (
        listed.structuredContent as { deployments: Array<{ name: string; status: string }> }
      ).deployments;
      status = deployments.find((deployment) => deployment.name === 'minecraft')?.status ?? '';
    }
    expect(status).toBe('rolled-back');
    expect(held(project)).toEqual([]);
  }, 60_000);
});

describe('conductor serve over stdio: recover', () => {
  let project: CliProject;
  beforeAll(() => {
    project = new CliProject('conductor-serve-recover');
  });
  afterAll(() => rmSync(project.directory, { recursive: true, force: true }));

  it('finds an apply killed mid-way, asks, and rolls it back so the providers hold nothing', async () => {
    const slow = JSON.stringify({ opnsense: { latencyMs: [250, 250] }, docker: { latencyMs: [250, 250] } });
    const apply = spawn(process.execPath, [bin, 'apply', 'deploy a dev environment with postgres', '--yes'], {
      cwd: project.directory,
      env: { PATH: process.env.PATH ?? '', CONDUCTOR_HOME: project.home, CONDUCTOR_SANDBOX_FAULTS: slow },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no step finished:\n${output}`)), 30_000);
      apply.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/✓ .*created/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const killed = new Promise((resolve) => apply.once('exit', resolve));
    apply.kill('SIGKILL');
    await killed;
    expect(held(project).length).toBeGreaterThan(0);

    const connected = await connect(project, { elicitation: true });
    opened.push(connected);
    connected.answers.push({ action: 'decline' });
    const declined = await call(connected, 'recover');
    expect(declined.structuredContent).toMatchObject({ status: 'declined' });
    expect(connected.prompts[0]).toMatch(/recover 1 interrupted apply/);
    expect(held(project).length).toBeGreaterThan(0);

    connected.answers.push({ action: 'accept', content: { approve: true } });
    const recovered = await call(connected, 'recover');
    expect(text(recovered)).toMatch(/rolled back; state matches the providers/);
    expect(recovered.structuredContent).toMatchObject({ status: 'succeeded' });
    expect(held(project)).toEqual([]);
    // Safe to run twice.
    const again = await call(connected, 'recover');
    expect(again.structuredContent).toMatchObject({ status: 'nothing-to-do' });
  }, 90_000);
});
