// The declarative adapter format on its own terms: an adapter written here (as a user would write one) for the
// fixture server's tools, run through the gateway. Tool alternatives, skipped steps, results read from text JSON,
// error rules, read answered by a listing, and an operation declared unsupported.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAdapter } from '../../src/providers/adapter.js';
import { AdapterError } from '../../src/providers/adapter-error.js';
import { BUILTIN_ADAPTERS } from '../../src/providers/adapters/index.js';
import { McpConnection } from '../../src/providers/mcp-connection.js';
import { McpGateway } from '../../src/providers/mcp-gateway.js';
import { RestartPolicy } from '../../src/providers/restart-policy.js';
import { call, FIXTURE_SERVER, NODE, rejectionOf, temporaryDirectory } from './fixtures.js';

const gadgetAdapter = defineAdapter({
  name: 'gadgets',
  description: 'gadgets kept as widgets on the fixture server',
  detect: { tools: ['never-offered'] },
  errors: [{ pattern: /exists/, code: 'name-taken' }],
  types: {
    gadget: {
      description: 'A gadget.',
      schema: { type: 'object', properties: { size: { type: 'integer' } } },
      replaceOn: ['size'],
      create: {
        steps: [
          // Skipped unless asked for: proves the step list is followed, not just the last step.
          {
            tool: 'echo',
            when: ({ request }) => request.properties.announce === true,
            arguments: () => ({ text: 'hi' }),
          },
          {
            tool: ['resource_make', 'resource_create'],
            arguments: ({ request }) => {
              if (typeof request.properties.size !== 'number') {
                throw new AdapterError('invalid-properties', 'size must be a number.');
              }
              return { type: 'widget', name: request.name, properties: { size: request.properties.size } };
            },
          },
        ],
        result: ({ output, results }) => {
          const data = JSON.parse(output.text) as { id: string; outputs: Record<string, unknown> };
          return { id: data.id, outputs: { ...data.outputs, announced: results[0] !== undefined } };
        },
      },
      list: {
        steps: [{ tool: 'resource_list', arguments: () => ({ type: 'widget' }) }],
        result: ({ output }) =>
          (
            output.data as { resources: { id: string; name: string; properties: Record<string, unknown> }[] }
          ).resources.map((widget) => ({
            id: widget.id,
            name: widget.name,
            type: 'gadget',
            properties: widget.properties,
            outputs: {},
          })),
      },
      unsupported: { delete: 'Gadgets are forever.', update: 'Nobody changes a gadget.' },
    },
  },
});

let home: Awaited<ReturnType<typeof temporaryDirectory>>;
let gateway: McpGateway;

beforeAll(async () => {
  home = await temporaryDirectory();
  const connection = new McpConnection({
    server: {
      name: 'shop',
      transport: { type: 'stdio', command: NODE, args: [FIXTURE_SERVER, '--native'], env: {} },
      adapter: 'gadgets',
      timeoutMs: 5_000,
    },
    logDirectory: join(home.path, 'logs'),
  });
  gateway = new McpGateway([connection], { adapters: [...BUILTIN_ADAPTERS, gadgetAdapter] });
});
afterAll(async () => {
  await gateway.close();
  await home.remove();
});

describe('a declarative adapter', () => {
  it('declares what it can do, with the reasons for what it cannot', async () => {
    expect(await gateway.capabilities('shop', 'gadget')).toEqual({
      create: true,
      read: true,
      update: false,
      delete: false,
      list: true,
      missing: { update: 'Nobody changes a gadget.', delete: 'Gadgets are forever.' },
    });
    const catalog = await gateway.describeTypes();
    expect(catalog.describe('shop', 'gadget')).toMatchObject({ source: 'gadgets', replaceOn: ['size'] });
  });

  it('runs its steps, picks the tool alternative the server has, and reads the result from text JSON', async () => {
    const quiet = await gateway.create(
      { server: 'shop', type: 'gadget', name: 'g1', properties: { size: 1 } },
      call(),
    );
    expect(quiet).toEqual({ id: 'w-1', outputs: { serial: 'SN-w-1', announced: false } });
    const loud = await gateway.create(
      { server: 'shop', type: 'gadget', name: 'g2', properties: { size: 2, announce: true } },
      call(),
    );
    expect(loud.outputs.announced).toBe(true);
  });

  it('answers a read from its listing when it has no read tool', async () => {
    expect(await gateway.read({ server: 'shop', type: 'gadget', id: 'w-1' }, call())).toEqual({
      id: 'w-1',
      name: 'g1',
      type: 'gadget',
      properties: { size: 1 },
      outputs: {},
    });
    expect(await gateway.read({ server: 'shop', type: 'gadget', id: 'w-99' }, call())).toBeUndefined();
  });

  it('maps refusals: its own (AdapterError) and the server’s text (error rules)', async () => {
    expect(
      await rejectionOf(
        gateway.create({ server: 'shop', type: 'gadget', name: 'g3', properties: {} }, call()),
      ),
    ).toMatchObject({
      code: 'invalid-properties',
      message: 'Server "shop" (adapter gadgets): size must be a number.',
    });
    expect(
      await rejectionOf(
        gateway.create({ server: 'shop', type: 'gadget', name: 'g1', properties: { size: 1 } }, call()),
      ),
    ).toMatchObject({ code: 'name-taken', retryable: false });
  });

  it('refuses undeclared operations honestly, saying what is left as it was', async () => {
    const update = await rejectionOf(
      gateway.update(
        { server: 'shop', type: 'gadget', id: 'w-1', name: 'g1', properties: { size: 1 } },
        call(),
      ),
    );
    expect(update).toMatchObject({ code: 'operation-unsupported', retryable: false });
    expect(update.message).toBe(
      'Server "shop" cannot update gadget resources: Nobody changes a gadget. w-1 keeps its current properties.',
    );
    const remove = await rejectionOf(
      gateway.delete({ server: 'shop', type: 'gadget', id: 'w-1', name: 'g1' }, call()),
    );
    expect(remove.message).toContain('Gadgets are forever. w-1 remains');
    expect((await gateway.list({ server: 'shop' }, call())).map((gadget) => gadget.name)).toEqual([
      'g1',
      'g2',
    ]);
  });
});

describe('RestartPolicy', () => {
  it('starts at once, then after doubling delays up to the cap, and gives up after quick failures in a row', () => {
    let now = 0;
    const policy = new RestartPolicy({ initialDelayMs: 100, maxDelayMs: 300, maxFailures: 4 }, () => now);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      delays.push(policy.delayBeforeStart());
      policy.started();
      now += 50;
      policy.failed();
    }
    expect(delays).toEqual([0, 100, 200, 300]);
    expect(policy.exhausted).toBe(true);
  });

  it('starts the count afresh after a server ran for a while', () => {
    let now = 0;
    const policy = new RestartPolicy({ maxFailures: 2, quickFailureMs: 1_000 }, () => now);
    policy.started();
    policy.failed();
    policy.started();
    now += 5_000;
    policy.failed();
    expect(policy.failureCount).toBe(1);
    expect(policy.exhausted).toBe(false);
  });
});
