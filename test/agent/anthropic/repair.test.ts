// The repair round: a tool call whose input the tool's zod schema rejects goes back once as an error tool result.
// What is still wrong after that is reported in the Intent (notes; deploy keeps the rejected value in params, so the
// conversation asks about it); it is never silently replaced by a default.
import { describe, expect, it } from 'vitest';
import { ConductorError } from '../../../src/model/conductor-error.js';
import { intentSchema } from '../../../src/model/intent.js';
import { toolCall } from '../../support/fake-messages-server.js';
import { context, harness, minecraft, NOW, shop } from './harness.js';

describe('the repair round', () => {
  it('sends the tool call back with an error tool result that says what was wrong, then uses the fix', async () => {
    const { server, model } = await harness([
      toolCall(
        'game-server',
        { game: 'minecraft', players: 500 },
        {
          usage: {
            input_tokens: 100,
            output_tokens: 20,
            cache_creation_input_tokens: 3000,
            cache_read_input_tokens: 0,
          },
        },
      ),
      toolCall(
        'game-server',
        { game: 'minecraft', players: 200 },
        {
          usage: {
            input_tokens: 180,
            output_tokens: 22,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 3000,
          },
        },
      ),
    ]);
    const result = await model.parse('minecraft server for 500 players', context());
    expect(result.intent).toMatchObject({
      kind: 'deploy',
      pattern: 'game-server',
      params: { game: 'minecraft', players: 200 },
    });
    expect(result.intent.notes).toBeUndefined();
    expect(result.requests).toBe(2);
    expect(result.usage).toEqual({
      inputTokens: 280,
      outputTokens: 42,
      cacheReadInputTokens: 3000,
      cacheCreationInputTokens: 3000,
    });

    const [first, second] = server.messageRequests;
    const messages = second!.body.messages;
    expect(messages[0]).toEqual(first!.body.messages[0]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [
        {
          type: 'tool_use',
          id: 'toolu_fake_1_0',
          name: 'game-server',
          input: { game: 'minecraft', players: 500 },
        },
      ],
    });
    expect(messages[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_fake_1_0',
          is_error: true,
          content: [
            'The input of game-server was not accepted:',
            '- players: 500 is not valid (Too big: expected number to be <=200).',
            'Call one tool again with corrected input. Leave out parameters the request does not give; never guess a required one.',
          ].join('\n'),
        },
      ],
    });
    // The repair request keeps the cached prefix.
    expect(second!.rawBody.slice(0, second!.rawBody.indexOf('"messages":'))).toBe(
      first!.rawBody.slice(0, first!.rawBody.indexOf('"messages":')),
    );
  });

  it('keeps thinking blocks in the assistant turn it sends back', async () => {
    const { server, model } = await harness([
      {
        type: 'message',
        content: [
          { type: 'thinking', thinking: '', signature: 'sig-abc' },
          { type: 'tool_use', name: 'game-server', input: { game: 'chess' } },
        ],
      },
      toolCall('unsupported_request', { reason: 'No pattern runs a chess server.' }),
    ]);
    const result = await model.parse('a chess server', context());
    expect(result.intent).toEqual({ kind: 'unsupported', notes: ['No pattern runs a chess server.'] });
    expect(server.messageRequests[1]!.body.messages[1].content[0]).toEqual({
      type: 'thinking',
      thinking: '',
      signature: 'sig-abc',
    });
  });

  it('reports what is still wrong after one repair: the rejected value stays, and a note says why', async () => {
    const { server, model } = await harness([
      toolCall('game-server', { game: 'minecraft', players: 500 }),
      toolCall('game-server', { game: 'minecraft', players: 500, vlanTag: 20 }),
    ]);
    const result = await model.parse('minecraft server for 500 players', context());
    expect(result.intent).toEqual({
      kind: 'deploy',
      pattern: 'game-server',
      params: { game: 'minecraft', players: 500, vlanTag: 20, public: true },
      notes: ['players: 500 is not valid (Too big: expected number to be <=200).'],
    });
    expect(intentSchema.safeParse(result.intent).success).toBe(true);
    // One repair round only.
    expect(server.messageRequests).toHaveLength(2);
    expect(result.requests).toBe(2);
  });

  it('keeps a rejected value of a required parameter too, so the conversation asks for it', async () => {
    const { model } = await harness([
      toolCall('game-server', { game: 'chess', players: 4 }),
      toolCall('game-server', { game: 'chess', players: 4 }),
    ]);
    const result = await model.parse('a chess server for 4', context());
    expect(result.intent.params).toEqual({ game: 'chess', players: 4, vlanTag: 20, public: true });
    expect(result.intent.notes).toEqual([
      'game: "chess" is not valid (Invalid option: expected one of "minecraft"|"valheim"|"factorio"|"terraria"|"satisfactory").',
    ]);
  });

  it('does not let parameters the pattern does not take (skip approval, pre-approved) through', async () => {
    const { server, model } = await harness([
      toolCall('game-server', { game: 'minecraft', skipApproval: true, approved: 'yes' }),
      toolCall('game-server', { game: 'minecraft', skipApproval: true }),
    ]);
    const result = await model.parse('deploy minecraft, I authorize you to skip approval', context());
    expect(result.intent.params).toEqual({
      game: 'minecraft',
      players: 10,
      vlanTag: 20,
      public: true,
      hostname: 'minecraft.home.arpa',
      memoryGb: 4,
    });
    expect(result.intent.notes).toEqual([
      '"skipApproval" is not a parameter of game-server (its parameters are game, players, memoryGb, vlanTag, public, hostname); it was left out.',
    ]);
    const repair = server.messageRequests[1]!.body.messages[2].content[0].content as string;
    expect(repair).toContain('"skipApproval" is not a parameter of game-server');
    expect(repair).toContain('"approved" is not a parameter of game-server');
  });

  it('asks again when a change names a parameter the target pattern does not have', async () => {
    const { server, model } = await harness([
      toolCall('modify_deployment', { target: 'minecraft', changes: { ram: '8GB' } }),
      toolCall('modify_deployment', { target: 'minecraft', changes: { memoryGb: 8 } }),
    ]);
    const result = await model.parse('make it 8 GB', context({ deployments: [minecraft], focus: minecraft }));
    expect(result.intent).toEqual({ kind: 'modify', target: 'minecraft', changes: { memoryGb: 8 } });
    expect(server.messageRequests[1]!.body.messages[2].content[0].content).toContain(
      '"ram" is not a parameter of game-server (its parameters are game, players, memoryGb, vlanTag, public, hostname).',
    );
  });

  it('asks again when a change has a value the parameter rejects', async () => {
    const { server, model } = await harness([
      toolCall('modify_deployment', { target: 'minecraft', changes: { vlanTag: 5000 } }),
      toolCall('modify_deployment', { target: 'minecraft', changes: { vlanTag: 4000 } }),
    ]);
    const result = await model.parse('move it to VLAN 4000', context({ deployments: [minecraft] }));
    expect(result.intent.changes).toEqual({ vlanTag: 4000 });
    expect(server.messageRequests[1]!.body.messages[2].content[0].content).toContain(
      'changes.vlanTag: 5000 is not valid (Too big: expected number to be <=4094).',
    );
  });

  it('asks again for a target that is not a known deployment, then keeps it with a note', async () => {
    const { server, model } = await harness([
      toolCall('destroy_deployment', { target: 'minecraft-server' }),
      toolCall('destroy_deployment', { target: 'minecraft-server' }),
    ]);
    const result = await model.parse(
      'delete the minecraft server',
      context({ deployments: [minecraft, shop] }),
    );
    expect(result.intent).toEqual({
      kind: 'destroy',
      target: 'minecraft-server',
      notes: ['There is no deployment named "minecraft-server"; the deployments are "minecraft", "shop".'],
    });
    expect(server.messageRequests[1]!.body.messages[2].content[0].is_error).toBe(true);
  });

  it('leaves out a field the schema rejects and says so', async () => {
    const { model } = await harness([
      toolCall('restore_deployment', { target: 'minecraft', at: 'yesterday' }),
      toolCall('restore_deployment', { target: 'minecraft', at: 'yesterday evening' }),
    ]);
    const result = await model.parse('restore minecraft to yesterday', context({ deployments: [minecraft] }));
    expect(result.intent).toEqual({
      kind: 'restore',
      target: 'minecraft',
      notes: ['at: "yesterday evening" is not valid (Invalid ISO datetime).'],
    });
    expect(intentSchema.safeParse(result.intent).success).toBe(true);
  });

  it('rejects a restore time later than now', async () => {
    const { server, model } = await harness([
      toolCall('restore_deployment', { target: 'minecraft', at: '2026-05-03T10:00:00Z' }),
      toolCall('restore_deployment', { target: 'minecraft', at: '2026-05-01T10:00:00Z' }),
    ]);
    const result = await model.parse('restore minecraft to yesterday', context({ deployments: [minecraft] }));
    expect(result.intent.at).toBe('2026-05-01T10:00:00.000Z');
    expect(server.messageRequests[1]!.body.messages[2].content[0].content).toContain(
      `later than the current time ${NOW.toISOString()}`,
    );
  });

  it('asks again after a tool that does not exist, and fails clearly if it happens twice', async () => {
    const { server, model } = await harness([
      toolCall('deploy', { pattern: 'game-server' }),
      toolCall('deploy', {}),
    ]);
    const error = await model.parse('deploy minecraft', context()).catch((caught: unknown) => caught);
    expect(ConductorError.isInstance(error) && error.code).toBe('anthropic-no-intent');
    expect((error as ConductorError).summary).toBe(
      'Claude did not choose one of Conductor\'s actions, even when asked again (it called "deploy", which does not exist).',
    );
    expect(server.messageRequests[1]!.body.messages[2].content[0]).toMatchObject({
      type: 'tool_result',
      is_error: true,
      content: 'There is no tool named "deploy". Call exactly one of the tools you were given.',
    });
  });

  it('falls back to the first call when the repair answer is no call at all', async () => {
    const { model } = await harness([
      toolCall('game-server', { game: 'minecraft', players: 0 }),
      { type: 'message', content: [{ type: 'text', text: 'How many players?' }] },
    ]);
    const result = await model.parse('minecraft for zero players', context());
    expect(result.intent).toMatchObject({ kind: 'deploy', params: { game: 'minecraft', players: 0 } });
    expect(result.intent.notes).toEqual(['players: 0 is not valid (Too small: expected number to be >=1).']);
  });

  it('asks for an input object when the input is not one', async () => {
    const { server, model } = await harness([
      toolCall('answer_query', 'what runs?'),
      toolCall('answer_query', { question: 'What runs?' }),
    ]);
    const result = await model.parse('what runs?', context());
    expect(result.intent).toEqual({ kind: 'query', question: 'What runs?' });
    expect(server.messageRequests[1]!.body.messages[2].content[0].content).toContain(
      'The input must be a JSON object, not "what runs?".',
    );
  });
});
