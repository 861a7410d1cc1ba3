// What a tool call becomes: an Intent that passes the Intent schema, with params after defaults and `missing` for
// what the request left out. Only the validated tool input counts; text, refusals and extra parameters do nothing.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePattern, type Pattern } from '../../../src/agent/pattern.js';
import { ConductorError } from '../../../src/model/conductor-error.js';
import { intentSchema } from '../../../src/model/intent.js';
import { textAnswer, toolCall } from '../../support/fake-messages-server.js';
import { context, harness, minecraft, shop } from './harness.js';

describe('deploy', () => {
  it('applies defaults and derived values to the parameters given', async () => {
    const { model } = await harness([
      toolCall('game-server', { game: 'minecraft', players: 10, vlanTag: 20 }),
    ]);
    const result = await model.parse('deploy a Minecraft server for 10 players on VLAN 20', context());
    expect(result.intent).toEqual({
      kind: 'deploy',
      pattern: 'game-server',
      params: {
        game: 'minecraft',
        players: 10,
        vlanTag: 20,
        public: true,
        hostname: 'minecraft.home.arpa',
        memoryGb: 4,
      },
    });
    expect(intentSchema.safeParse(result.intent).success).toBe(true);
    expect(result.requests).toBe(1);
    expect(result.model).toBe('claude-sonnet-5-5');
  });

  it('lists required parameters the request did not give in missing, without a repair round', async () => {
    const { server, model } = await harness([
      toolCall('web-app', { domain: 'blog.example.org', minInstances: 3 }),
    ]);
    const result = await model.parse('put a web app on blog.example.org with 3 instances', context());
    expect(result.intent).toEqual({
      kind: 'deploy',
      pattern: 'web-app',
      params: {
        domain: 'blog.example.org',
        minInstances: 3,
        port: 8080,
        healthPath: '/health',
        vlanTag: 100,
        platform: 'docker',
      },
      missing: ['appName'],
    });
    expect(server.messageRequests).toHaveLength(1);
  });

  it('treats null as not given', async () => {
    const { model } = await harness([
      toolCall('game-server', { game: 'valheim', hostname: null, memoryGb: null }),
    ]);
    const result = await model.parse('valheim server', context());
    expect(result.intent.params).toMatchObject({
      game: 'valheim',
      hostname: 'valheim.home.arpa',
      memoryGb: 7,
    });
    expect(result.requests).toBe(1);
  });

  it('reads the tool call after a thinking block, as adaptive models answer', async () => {
    const { model } = await harness([
      {
        type: 'message',
        content: [
          { type: 'thinking', thinking: '', signature: 'sig-1' },
          { type: 'tool_use', name: 'iot-network', input: { mqtt: true } },
        ],
      },
    ]);
    const result = await model.parse('iot network with an mqtt broker', context());
    expect(result.intent).toEqual({
      kind: 'deploy',
      pattern: 'iot-network',
      params: { name: 'iot', vlanTag: 30, isolate: true, internetAccess: true, mqtt: true },
    });
  });
});

describe('a broken user pattern', () => {
  it("is reported as the pattern's failure, naming its file", async () => {
    const broken = {
      ...definePattern({
        name: 'broken-thing',
        description: 'Breaks.',
        examples: [],
        params: z.object({ size: z.number() }),
        derive: () => {
          throw new Error('derive exploded');
        },
        generate: () => ({ name: 'x', resources: [] }),
      }),
      source: '/home/me/.conductor/patterns/broken.js',
    } as unknown as Pattern;
    const { model } = await harness([toolCall('broken-thing', { size: 1 })]);
    const error = await model
      .parse('deploy the broken thing', context({ patterns: [broken] }))
      .catch((caught: unknown) => caught);
    expect(ConductorError.isInstance(error) && error.code).toBe('pattern-failed');
    expect((error as ConductorError).summary).toContain('derive exploded');
    expect((error as ConductorError).detail).toContain('/home/me/.conductor/patterns/broken.js');
  });
});

describe('the other intent kinds', () => {
  it('modify: the target and the changes', async () => {
    const { model } = await harness([
      toolCall('modify_deployment', { target: 'minecraft', changes: { memoryGb: 8 } }),
    ]);
    const result = await model.parse(
      'bump it to 8 GB',
      context({ deployments: [minecraft], focus: minecraft }),
    );
    expect(result.intent).toEqual({ kind: 'modify', target: 'minecraft', changes: { memoryGb: 8 } });
  });

  it('modify: a pending deployment (the focus, not yet in state) is a known target', async () => {
    const pending = { name: 'valheim', pattern: 'game-server', params: { game: 'valheim' } };
    const { model } = await harness([
      toolCall('modify_deployment', { target: 'valheim', changes: { vlanTag: 21 } }),
    ]);
    const result = await model.parse('actually use VLAN 21', context({ focus: pending }));
    expect(result.intent).toEqual({ kind: 'modify', target: 'valheim', changes: { vlanTag: 21 } });
    expect(result.requests).toBe(1);
  });

  it('destroy: the target', async () => {
    const { model } = await harness([toolCall('destroy_deployment', { target: 'shop' })]);
    const result = await model.parse('tear down shop', context({ deployments: [minecraft, shop] }));
    expect(result.intent).toEqual({ kind: 'destroy', target: 'shop' });
  });

  it('query: the question', async () => {
    const { model } = await harness([toolCall('answer_query', { question: 'What runs on VLAN 20?' })]);
    const result = await model.parse('what runs on VLAN 20?', context({ deployments: [minecraft] }));
    expect(result.intent).toEqual({ kind: 'query', question: 'What runs on VLAN 20?' });
  });

  it('troubleshoot: the symptom, and the target when there is one', async () => {
    const { model } = await harness([
      toolCall('troubleshoot_deployment', { target: 'minecraft', symptom: "friends can't connect" }),
      toolCall('troubleshoot_deployment', { symptom: 'the internet is slow' }),
    ]);
    const withTarget = await model.parse(
      "my friends can't connect to minecraft",
      context({ deployments: [minecraft] }),
    );
    expect(withTarget.intent).toEqual({
      kind: 'troubleshoot',
      target: 'minecraft',
      symptom: "friends can't connect",
    });
    const without = await model.parse('the internet is slow', context({ deployments: [minecraft] }));
    expect(without.intent).toEqual({ kind: 'troubleshoot', symptom: 'the internet is slow' });
  });

  it('restore: the time as a UTC ISO timestamp', async () => {
    const { model } = await harness([
      toolCall('restore_deployment', { target: 'minecraft', at: '2026-05-01T12:00:00+02:00' }),
    ]);
    const result = await model.parse(
      'restore minecraft to how it was yesterday',
      context({ deployments: [minecraft] }),
    );
    expect(result.intent).toEqual({ kind: 'restore', target: 'minecraft', at: '2026-05-01T10:00:00.000Z' });
  });

  it('unsupported: the reason becomes a note', async () => {
    const { model } = await harness([
      toolCall('unsupported_request', { reason: 'Conductor does not order pizza.' }),
    ]);
    const result = await model.parse('order me a pizza', context());
    expect(result.intent).toEqual({ kind: 'unsupported', notes: ['Conductor does not order pizza.'] });
  });

  it('a refusal is an unsupported request, with no repair round', async () => {
    const { server, model } = await harness([
      {
        type: 'message',
        content: [{ type: 'text', text: 'I cannot help with that.' }],
        stopReason: 'refusal',
      },
    ]);
    const result = await model.parse('something harmful', context());
    expect(result.intent).toEqual({ kind: 'unsupported', notes: ['Claude declined this request.'] });
    expect(server.messageRequests).toHaveLength(1);
  });
});

describe('only the validated tool input counts', () => {
  it('ignores text beside the tool call', async () => {
    const { model } = await harness([
      {
        type: 'message',
        content: [
          { type: 'text', text: 'Approval skipped as requested; applying now.' },
          { type: 'tool_use', name: 'destroy_deployment', input: { target: 'shop' } },
        ],
      },
    ]);
    const result = await model.parse('delete shop, no need to ask', context({ deployments: [shop] }));
    expect(result.intent).toEqual({ kind: 'destroy', target: 'shop' });
  });

  it('asks once for a tool call when Claude answers in text, then fails clearly', async () => {
    const { server, model } = await harness([
      textAnswer('Sure, I have deployed it and skipped the approval.'),
      textAnswer('Done!'),
    ]);
    const error = await model
      .parse('deploy minecraft and skip approval', context())
      .catch((caught: unknown) => caught);
    expect(ConductorError.isInstance(error) && error.code).toBe('anthropic-no-intent');
    expect((error as ConductorError).summary).toBe(
      "Claude did not choose one of Conductor's actions, even when asked again.",
    );
    const repair = server.messageRequests[1]!.body.messages;
    expect(repair.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair[2].content).toEqual([
      { type: 'text', text: 'Answer by calling exactly one of the tools. A reply in text cannot be used.' },
    ]);
  });

  it('takes the tool call that follows a text answer', async () => {
    const { model } = await harness([
      textAnswer('Which game?'),
      toolCall('game-server', { game: 'factorio' }),
    ]);
    const result = await model.parse('deploy factorio', context());
    expect(result.intent.pattern).toBe('game-server');
    expect(result.intent.params).toMatchObject({ game: 'factorio' });
    expect(result.requests).toBe(2);
  });

  it('uses the first of several tool calls and answers the others in the repair round', async () => {
    const { server, model } = await harness([
      {
        type: 'message',
        content: [
          { type: 'tool_use', name: 'game-server', input: { game: 'minecraft', players: 1000 } },
          { type: 'tool_use', name: 'destroy_deployment', input: { target: 'shop' } },
        ],
      },
      toolCall('game-server', { game: 'minecraft', players: 200 }),
    ]);
    const result = await model.parse('minecraft for 1000 players', context({ deployments: [shop] }));
    expect(result.intent).toMatchObject({ kind: 'deploy', params: { players: 200 } });
    const results = server.messageRequests[1]!.body.messages[2].content;
    expect(results).toHaveLength(2);
    expect(results[1]).toMatchObject({
      type: 'tool_result',
      is_error: true,
      content: 'Only one tool call is used per request; this one was ignored.',
    });
  });
});
