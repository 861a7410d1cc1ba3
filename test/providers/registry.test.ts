// The registry: configured servers (exactly those, problems as diagnostics), sandbox mode when none are configured
// (lazy: a server process starts only when a call needs it), and the inventory of what every server holds.
import { existsSync } from 'node:fs';
import { realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../src/config/config.js';
import { inventory } from '../../src/providers/inventory.js';
import { createProviders, type Providers, type SandboxSource } from '../../src/providers/registry.js';
import {
  call,
  FILESYSTEM_SERVER,
  FIXTURE_SERVER,
  MEMORY_SERVER,
  NODE,
  ROOT,
  rejectionOf,
  temporaryDirectory,
} from './fixtures.js';

let home: Awaited<ReturnType<typeof temporaryDirectory>>;
let providers: Providers | undefined;

beforeEach(async () => {
  home = await temporaryDirectory();
});
afterEach(async () => {
  await providers?.close();
  providers = undefined;
  await home.remove();
});

function loaded(mcpServers: Record<string, unknown> | undefined): LoadedConfig {
  return {
    config: mcpServers === undefined ? {} : { mcpServers },
    file: join(home.path, 'conductor.config.json'),
    directory: home.path,
    diagnostics: [],
  };
}

describe('createProviders with configured servers', () => {
  it('uses exactly the configured servers, leaves out the ones with problems and says why', async () => {
    const data = await realpath(home.path);
    providers = createProviders({
      config: loaded({
        knowledge: {
          command: NODE,
          args: [MEMORY_SERVER],
          env: { MEMORY_FILE_PATH: join(data, 'memory.jsonl') },
        },
        files: { command: NODE, args: [FILESYSTEM_SERVER, data], conductor: { concurrency: 2 } },
        secret: { command: NODE, args: ['${SECRET_SERVER_PATH}'] },
      }),
      home: home.path,
      env: {},
    });
    expect(providers.sandbox).toBe(false);
    expect(providers.servers.map((server) => [server.name, server.concurrency])).toEqual([
      ['knowledge', undefined],
      ['files', 2],
    ]);
    expect(providers.gateway.serverNames).toEqual(['knowledge', 'files']);
    expect(providers.diagnostics).toEqual([
      expect.objectContaining({
        code: 'config-variable-unset',
        path: 'mcpServers.secret.args[0]',
        summary: expect.stringContaining(join(home.path, 'conductor.config.json')),
      }),
    ]);
    // Lazy: nothing has started yet.
    expect((await providers.gateway.listServers({ connect: false })).map((status) => status.state)).toEqual([
      'idle',
      'idle',
    ]);

    await providers.gateway.create(
      { server: 'knowledge', type: 'entity', name: 'web', properties: { entityType: 'service' } },
      call(),
    );
    await writeFile(join(data, 'readme.txt'), 'hello');

    const held = await inventory(providers.gateway);
    expect(held.map((server) => server.server)).toEqual(['knowledge', 'files']);
    expect(held[0]).toMatchObject({ unlisted: [], resources: [{ type: 'entity', name: 'web', id: 'web' }] });
    expect(held[1]!.resources.map((resource) => resource.name)).toContain('readme-txt');
    expect(held[1]!.problem).toBeUndefined();
  });

  it('reports an unreachable server in the inventory without losing the others', async () => {
    providers = createProviders({
      config: loaded({
        broken: { command: NODE, args: ['-e', "console.error('no licence key'); process.exit(2)"] },
        widgets: { command: NODE, args: [FIXTURE_SERVER, '--native'] },
      }),
      home: home.path,
      env: {},
    });
    await providers.gateway.create(
      { server: 'widgets', type: 'widget', name: 'one', properties: {} },
      call(),
    );
    const held = await inventory(providers.gateway);
    expect(held[0]).toMatchObject({
      server: 'broken',
      resources: [],
      problem: { code: 'server-unavailable', detail: expect.stringContaining('no licence key') },
    });
    expect(held[1]!.resources.map((resource) => resource.name)).toEqual(['one']);
    expect(await inventory(providers.gateway, { servers: ['widgets'] })).toHaveLength(1);
  });
});

describe('createProviders in sandbox mode', () => {
  it('serves one server per sandbox provider, started only when a call needs it, with fault settings passed on', async () => {
    const described: string[] = [];
    const sandbox: SandboxSource = {
      providers: ['alpha', 'beta'],
      command: (provider, sandboxHome) => {
        described.push(provider);
        return { command: NODE, args: [FIXTURE_SERVER, '--native'], env: { SANDBOX_HOME: sandboxHome } };
      },
    };
    providers = createProviders({
      config: loaded(undefined),
      home: home.path,
      env: { CONDUCTOR_SANDBOX_FAULTS: '{"beta":{"failRate":0.5}}' },
      sandbox,
    });
    expect(providers.sandbox).toBe(true);
    expect(providers.diagnostics).toEqual([]);
    expect(providers.gateway.serverNames).toEqual(['alpha', 'beta']);

    await providers.gateway.create({ server: 'beta', type: 'widget', name: 'b', properties: {} }, call());
    const statuses = await providers.gateway.listServers({ connect: false });
    expect(statuses.map((status) => [status.name, status.state])).toEqual([
      ['alpha', 'idle'],
      ['beta', 'connected'],
    ]);
    const beta = providers.gateway.connection('beta')!;
    expect(
      (await beta.callTool('environment', { name: 'CONDUCTOR_SANDBOX_FAULTS' })).structuredContent,
    ).toEqual({
      value: '{"beta":{"failRate":0.5}}',
    });
    expect((await beta.callTool('environment', { name: 'SANDBOX_HOME' })).structuredContent).toEqual({
      value: home.path,
    });
    // Commands are worked out up front; processes start on demand (the states above).
    expect(described).toEqual(['alpha', 'beta']);
  });

  it('treats an empty mcpServers as no configuration', () => {
    providers = createProviders({
      config: loaded({}),
      home: home.path,
      sandbox: { providers: ['only'], command: () => ({ command: NODE, args: [], env: {} }) },
    });
    expect(providers.sandbox).toBe(true);
    expect(providers.servers.map((server) => server.name)).toEqual(['only']);
  });

  const compiledSandbox = join(ROOT, 'dist', 'src', 'sandbox', 'main.js');
  it('runs the built-in sandbox servers: lists them and creates and lists a resource on one', async () => {
    // The global setup builds dist/; without it there is no sandbox to start.
    expect(existsSync(compiledSandbox), `${compiledSandbox} is missing: run npm run build`).toBe(true);
    // The compiled registry, as users run it: the sandbox command points at dist/src/sandbox/main.js next to it.
    const registry = (await import(
      pathToFileURL(join(ROOT, 'dist', 'src', 'providers', 'registry.js')).href
    )) as {
      createProviders: typeof createProviders;
    };
    const sandboxProviders = registry.createProviders({
      config: loaded(undefined),
      home: home.path,
      env: {},
    });
    providers = sandboxProviders;
    expect(sandboxProviders.sandbox).toBe(true);
    expect(sandboxProviders.gateway.serverNames).toEqual([
      'opnsense',
      'docker',
      'dns',
      'certs',
      'proxmox',
      'aws',
    ]);

    const catalog = await sandboxProviders.gateway.describeTypes({ servers: ['docker'] });
    expect(catalog.diagnostics).toEqual([]);
    expect(catalog.describe('docker', 'network')).toMatchObject({ source: 'native', server: 'docker' });

    const created = await sandboxProviders.gateway.create(
      { server: 'docker', type: 'network', name: 'game-net', properties: {} },
      call(),
    );
    expect(created.id).not.toBe('');
    const listed = await sandboxProviders.gateway.list({ server: 'docker', type: 'network' }, call());
    expect(listed.map((resource) => resource.name)).toContain('game-net');
    const statuses = await sandboxProviders.gateway.listServers({ connect: false });
    expect(statuses.filter((status) => status.state === 'connected').map((status) => status.name)).toEqual([
      'docker',
    ]);
    expect(await rejectionOf(sandboxProviders.gateway.list({ server: 'kubernetes' }, call()))).toMatchObject({
      code: 'unknown-server',
    });
    const [docker] = await inventory(sandboxProviders.gateway, { servers: ['docker'] });
    expect(docker!.resources.map((resource) => `${resource.type}:${resource.name}`)).toContain(
      'network:game-net',
    );
  });
});
