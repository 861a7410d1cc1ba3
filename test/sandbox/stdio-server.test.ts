// The sandbox servers as a user runs them: `node dist/src/sandbox/main.js <provider>` over stdio, driven by the MCP SDK's
// client. Every result is checked against the native protocol's schemas.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createResultSchema,
  deleteResultSchema,
  errorResultSchema,
  listResultSchema,
  NATIVE_TOOL_NAMES,
  readResultSchema,
  typesResultSchema,
  updateResultSchema,
} from '../../src/providers/native-protocol.js';
import { sandboxServerCommand } from '../../src/sandbox/server-command.js';

interface Started {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
}

let home: string;
const running: Client[] = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'conductor-sandbox-stdio-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((client) => client.close()));
  await rm(home, { recursive: true, force: true });
});

async function start(provider: string, faults?: unknown): Promise<Started> {
  const command = sandboxServerCommand(provider, home);
  const env = { ...command.env, ...(faults ? { CONDUCTOR_SANDBOX_FAULTS: JSON.stringify(faults) } : {}) };
  const transport = new StdioClientTransport({
    command: command.command,
    args: command.args,
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'sandbox-test', version: '1.0.0' });
  await client.connect(transport);
  running.push(client);
  return { client, transport, stderr: () => stderr };
}

interface CallResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string }[];
}

/** Calls a tool, checks that the text content holds the same JSON as structuredContent, and parses the latter. */
async function call<T>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  schema: z.ZodType<T>,
): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallResult;
  const expectsError = (schema as unknown) === errorResultSchema;
  expect(result.isError ?? false, JSON.stringify(result.structuredContent)).toBe(expectsError);
  expect(JSON.parse(result.content[0]!.text!)).toEqual(result.structuredContent);
  return schema.parse(result.structuredContent);
}

describe('the opnsense server over stdio', () => {
  it('speaks the native protocol: types, create, read, update, list, delete and coded errors', async () => {
    const { client } = await start('opnsense');
    expect(client.getServerVersion()?.name).toBe('conductor-sandbox-opnsense');
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual([...NATIVE_TOOL_NAMES].sort());

    const { types } = await call(client, 'resource_types', {}, typesResultSchema);
    expect(types.map((type) => type.type)).toContain('network:vlan');

    const created = await call(
      client,
      'resource_create',
      {
        type: 'network:vlan',
        name: 'game-vlan',
        properties: { tag: 20, interface: 'igc1', description: 'Gaming VLAN' },
      },
      createResultSchema,
    );
    expect(created.outputs).toMatchObject({ device: 'vlan01', tag: 20 });
    const read = await call(
      client,
      'resource_read',
      { type: 'network:vlan', id: created.id },
      readResultSchema,
    );
    expect(read).toEqual({
      id: created.id,
      type: 'network:vlan',
      name: 'game-vlan',
      properties: { tag: 20, interface: 'igc1', description: 'Gaming VLAN' },
      outputs: created.outputs,
    });
    const updated = await call(
      client,
      'resource_update',
      { type: 'network:vlan', id: created.id, properties: { tag: 21, interface: 'igc1' } },
      updateResultSchema,
    );
    expect(updated.outputs).toMatchObject({ device: 'vlan01', tag: 21 });
    const listed = await call(client, 'resource_list', {}, listResultSchema);
    expect(listed.resources.map((resource) => resource.properties.tag)).toEqual([21]);

    const taken = await call(
      client,
      'resource_create',
      { type: 'network:vlan', name: 'other', properties: { tag: 21, interface: 'igc1' } },
      errorResultSchema,
    );
    expect(taken.error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Choose another tag'),
    });
    const missing = await call(
      client,
      'resource_read',
      { type: 'network:vlan', id: 'nope' },
      errorResultSchema,
    );
    expect(missing.error.code).toBe('not-found');

    expect(
      await call(client, 'resource_delete', { type: 'network:vlan', id: created.id }, deleteResultSchema),
    ).toEqual({ deleted: true });
    expect(
      (await call(client, 'resource_list', { type: 'network:vlan' }, listResultSchema)).resources,
    ).toEqual([]);
  });

  it('keeps its inventory when the process is restarted', async () => {
    const first = await start('opnsense');
    const created = await call(
      first.client,
      'resource_create',
      { type: 'firewall:alias', name: 'servers', properties: { type: 'host', content: ['10.0.0.4'] } },
      createResultSchema,
    );
    await first.client.close();
    const second = await start('opnsense');
    const { resources } = await call(second.client, 'resource_list', {}, listResultSchema);
    expect(resources).toEqual([
      expect.objectContaining({ id: created.id, name: 'servers', type: 'firewall:alias' }),
    ]);
    const file = JSON.parse(await readFile(join(home, 'sandbox', 'opnsense.json'), 'utf8'));
    expect(file.resources).toHaveLength(1);
  });
});

describe('fault injection over stdio', () => {
  it('fails exactly the call failOn names, before any effect', async () => {
    const { client, stderr } = await start('aws', {
      aws: { failOn: ['create:elb:loadBalancer'] },
      opnsense: { failRate: 1 },
    });
    const group = await call(
      client,
      'resource_create',
      { type: 'elb:targetGroup', name: 'web-tg', properties: { port: 8080, protocol: 'HTTP' } },
      createResultSchema,
    );
    const failed = await call(
      client,
      'resource_create',
      { type: 'elb:loadBalancer', name: 'web', properties: { targetGroupArn: group.id } },
      errorResultSchema,
    );
    expect(failed.error).toEqual({
      code: 'injected-failure',
      message: expect.stringContaining('failOn "create:elb:loadBalancer"'),
    });
    const { resources } = await call(client, 'resource_list', {}, listResultSchema);
    expect(resources.map((resource) => resource.type)).toEqual(['elb:targetGroup']);
    expect(stderr()).toContain('fault injection on');
  });

  it('exits when crashAfterCalls is used up, having applied exactly the calls before', async () => {
    const { client, transport, stderr } = await start('dns', { dns: { crashAfterCalls: 1 } });
    let closed = false;
    const previousOnClose = transport.onclose;
    transport.onclose = () => {
      closed = true;
      previousOnClose?.();
    };
    const record = { type: 'record', properties: { name: 'a.example.com', type: 'A', value: '192.0.2.1' } };
    await call(client, 'resource_create', { ...record, name: 'first' }, createResultSchema);
    await expect(
      client.callTool({ name: 'resource_create', arguments: { ...record, name: 'second' } }),
    ).rejects.toThrow(/closed/i);
    await expect.poll(() => closed).toBe(true);
    expect(stderr()).toContain('crashAfterCalls');
    const restarted = await start('dns');
    const { resources } = await call(restarted.client, 'resource_list', {}, listResultSchema);
    expect(resources.map((resource) => resource.name)).toEqual(['first']);
  });

  it('exits with status 1 on a crash, and with status 2 for an unknown provider', () => {
    const command = sandboxServerCommand('dns', home);
    const messages = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'resource_create',
          arguments: {
            type: 'record',
            name: 'x',
            properties: { name: 'x.example.com', type: 'A', value: '192.0.2.1' },
          },
        },
      },
    ];
    const crashed = spawnSync(command.command, command.args, {
      input: `${messages.map((message) => JSON.stringify(message)).join('\n')}\n`,
      env: { ...command.env, CONDUCTOR_SANDBOX_FAULTS: JSON.stringify({ dns: { crashAfterCalls: 0 } }) },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(crashed.status).toBe(1);
    // stdout carried the initialize answer and nothing else: no create result.
    expect(
      crashed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([1]);

    const unknown = spawnSync(command.command, [command.args[0]!, 'kubernetes'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(
      'Unknown provider "kubernetes". Choose one of: opnsense, docker, dns, certs, proxmox, aws.',
    );
    expect(unknown.stdout).toBe('');

    const badFaults = spawnSync(command.command, command.args, {
      env: { ...command.env, CONDUCTOR_SANDBOX_FAULTS: '{"dns": {"failrate": 1}}' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(badFaults.status).toBe(2);
    expect(badFaults.stderr).toContain('CONDUCTOR_SANDBOX_FAULTS is not valid');
  });

  it('hangs past the timeout, before the effect or after it as configured, leaving a consistent inventory', async () => {
    const record = (name: string) => ({
      type: 'record',
      name,
      properties: { name: `${name}.example.com`, type: 'A', value: '192.0.2.1' },
    });
    const before = await start('dns', { dns: { hangRate: 1 } });
    await call(before.client, 'resource_types', {}, typesResultSchema);
    await expect(
      before.client.callTool({ name: 'resource_create', arguments: record('before') }, undefined, {
        timeout: 300,
      }),
    ).rejects.toThrow(/timed out/i);
    await before.client.close();
    const after = await start('dns', { dns: { hangRate: 1, hangWhen: 'after-effect' } });
    await expect(
      after.client.callTool({ name: 'resource_create', arguments: record('after') }, undefined, {
        timeout: 300,
      }),
    ).rejects.toThrow(/timed out/i);
    await after.client.close();
    const calm = await start('dns');
    const { resources } = await call(calm.client, 'resource_list', {}, listResultSchema);
    expect(resources.map((resource) => resource.name)).toEqual(['after']);
  });
});
