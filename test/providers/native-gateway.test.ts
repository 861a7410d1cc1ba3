// The gateway with a server that speaks the native resource protocol (the fixture server with --native): routing,
// the type catalog, error codes and `retryable` as the server reports them, and servers the gateway cannot work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpGateway } from '../../src/providers/mcp-gateway.js';
import { call, FIXTURE_SERVER, gatewayFor, NODE, rejectionOf, temporaryDirectory } from './fixtures.js';

let home: Awaited<ReturnType<typeof temporaryDirectory>>;
let gateway: McpGateway;

beforeAll(async () => {
  home = await temporaryDirectory();
  gateway = gatewayFor(
    {
      widgets: { command: NODE, args: [FIXTURE_SERVER, '--native'] },
      plain: { command: NODE, args: [FIXTURE_SERVER] },
      misnamed: { command: NODE, args: [FIXTURE_SERVER], conductor: { adapter: 'memory' } },
    },
    home.path,
  );
});
afterAll(async () => {
  await gateway.close();
  await home.remove();
});

describe('McpGateway with a native server', () => {
  it('creates, reads, updates, lists and deletes through the resource_* tools', async () => {
    const created = await gateway.create(
      { server: 'widgets', type: 'widget', name: 'alpha', properties: { size: 3 } },
      call(),
    );
    expect(created).toEqual({ id: 'w-1', outputs: { serial: 'SN-w-1' } });
    expect(
      await gateway.update(
        {
          server: 'widgets',
          type: 'widget',
          id: 'w-1',
          name: 'alpha',
          properties: { size: 3, partner: 'beta' },
        },
        call(),
      ),
    ).toEqual({ outputs: { serial: 'SN-w-1' } });
    expect(await gateway.read({ server: 'widgets', type: 'widget', id: 'w-1' }, call())).toEqual({
      id: 'w-1',
      type: 'widget',
      name: 'alpha',
      properties: { size: 3, partner: 'beta' },
      outputs: { serial: 'SN-w-1' },
    });
    expect(
      (await gateway.list({ server: 'widgets', type: 'widget' }, call())).map((widget) => widget.name),
    ).toEqual(['alpha']);
    await gateway.delete({ server: 'widgets', type: 'widget', id: 'w-1', name: 'alpha' }, call());
    expect(await gateway.list({ server: 'widgets' }, call())).toEqual([]);
    // Gone already: read is undefined, delete succeeds (the server says not-found both times).
    expect(await gateway.read({ server: 'widgets', type: 'widget', id: 'w-1' }, call())).toBeUndefined();
    await gateway.delete({ server: 'widgets', type: 'widget', id: 'w-1', name: 'alpha' }, call());
  });

  it('passes the server’s error codes and retryable flags through', async () => {
    await gateway.create({ server: 'widgets', type: 'widget', name: 'taken', properties: {} }, call());
    expect(
      await rejectionOf(
        gateway.create({ server: 'widgets', type: 'widget', name: 'taken', properties: {} }, call()),
      ),
    ).toMatchObject({
      name: 'ProviderError',
      code: 'name-taken',
      server: 'widgets',
      retryable: false,
      message: 'A widget named taken exists; choose another name.',
    });
    expect(
      await rejectionOf(
        gateway.create(
          { server: 'widgets', type: 'widget', name: 'later', properties: { busy: true } },
          call(),
        ),
      ),
    ).toMatchObject({ code: 'busy', retryable: true });
    expect(
      await rejectionOf(
        gateway.update({ server: 'widgets', type: 'widget', id: 'w-404', name: 'x', properties: {} }, call()),
      ),
    ).toMatchObject({ code: 'not-found' });
  });

  it('describes the server’s types for the planner, references and schemas included', async () => {
    const catalog = await gateway.describeTypes({ servers: ['widgets'] });
    expect(catalog.diagnostics).toEqual([]);
    expect(catalog.describe('widgets', 'widget')).toEqual({
      server: 'widgets',
      type: 'widget',
      source: 'native',
      description: 'A widget of some size.',
      schema: { type: 'object', properties: { size: { type: 'integer' }, partner: { type: 'string' } } },
      outputs: ['serial'],
      replaceOn: ['size'],
      sensitive: ['secret'],
      references: [{ property: 'partner', type: 'widget' }],
      operations: { create: true, read: true, update: true, delete: true, list: true, missing: {} },
    });
    expect(catalog.describe('widgets', 'widgets:widget')?.type).toBe('widget');
    expect(catalog.describe('widgets', 'gadget')).toBeUndefined();
  });

  it('refuses an unknown server, listing the configured ones', async () => {
    const failure = await rejectionOf(gateway.list({ server: 'opnsense' }, call()));
    expect(failure).toMatchObject({ code: 'unknown-server', server: 'opnsense', retryable: false });
    expect(failure.message).toContain('Configured servers: widgets, plain, misnamed.');
  });

  it('says so when a server speaks neither the native protocol nor a known kind, with the fix', async () => {
    const failure = await rejectionOf(gateway.list({ server: 'plain' }, call()));
    expect(failure).toMatchObject({ code: 'no-adapter', server: 'plain' });
    expect(failure.message).toContain(
      'its tools: echo, request_header, environment, pid, hang, progress, fail, crash',
    );
    expect(failure.message).toContain(
      'mcpServers.plain.conductor.adapter to one of: native, memory, filesystem',
    );
    const [status] = await gateway.listServers({ servers: ['plain'] });
    expect(status).toMatchObject({ state: 'connected', toolCount: 8, types: [], driver: undefined });
  });

  it('shows what an adapter named for the wrong server cannot do, before anything runs', async () => {
    const support = await gateway.capabilities('misnamed', 'entity');
    expect(support).toMatchObject({ create: false, read: false, update: false, delete: false, list: false });
    expect(support?.missing.create).toBe('Server "misnamed" does not offer tool create_entities.');
    const failure = await rejectionOf(
      gateway.create(
        { server: 'misnamed', type: 'entity', name: 'e', properties: { entityType: 't' } },
        call(),
      ),
    );
    expect(failure).toMatchObject({ code: 'operation-unsupported' });
  });

  it('passes the caller’s signal through: an aborted call is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    const failure = await rejectionOf(
      gateway.create(
        { server: 'widgets', type: 'widget', name: 'never', properties: {} },
        { signal: controller.signal },
      ),
    );
    expect(failure).toMatchObject({ code: 'cancelled', server: 'widgets' });
    expect((await gateway.list({ server: 'widgets' }, call())).map((widget) => widget.name)).not.toContain(
      'never',
    );
  });
});
