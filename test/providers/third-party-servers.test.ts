// The shipped adapters against the real reference servers (@modelcontextprotocol/server-memory and
// server-filesystem), started from node_modules over stdio. What the servers hold is checked on their own storage
// (the memory file, the directory), not only through the gateway.
import { existsSync } from 'node:fs';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpGateway } from '../../src/providers/mcp-gateway.js';
import {
  call,
  FILESYSTEM_SERVER,
  gatewayFor,
  MEMORY_SERVER,
  NODE,
  rejectionOf,
  temporaryDirectory,
} from './fixtures.js';

describe('server-memory through McpGateway (memory adapter, detected from its tools)', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let gateway: McpGateway;
  let memoryFile: string;

  beforeAll(async () => {
    directory = await temporaryDirectory();
    memoryFile = join(directory.path, 'memory.jsonl');
    gateway = gatewayFor(
      { knowledge: { command: NODE, args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: memoryFile } } },
      directory.path,
    );
  });
  afterAll(async () => {
    await gateway.close();
    await directory.remove();
  });

  /** The entities the server has written to its file. */
  async function heldEntities(): Promise<Record<string, unknown>[]> {
    if (!existsSync(memoryFile)) return [];
    return (await readFile(memoryFile, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line))
      .filter((item) => item.type === 'entity');
  }

  it('describes the entity type for the planner', async () => {
    const catalog = await gateway.describeTypes();
    expect(catalog.diagnostics).toEqual([]);
    expect(catalog.describe('knowledge', 'entity')).toMatchObject({
      server: 'knowledge',
      type: 'entity',
      source: 'memory',
      replaceOn: ['entityType'],
      schema: { required: ['entityType'] },
      operations: { create: true, read: true, update: true, delete: true, list: true, missing: {} },
    });
    expect(await gateway.capabilities('knowledge', 'entity')).toMatchObject({ delete: true });
  });

  it('creates, reads, updates, lists and deletes entities', async () => {
    const created = await gateway.create(
      {
        server: 'knowledge',
        type: 'entity',
        name: 'web-1',
        properties: { entityType: 'service', observations: ['runs nginx', 'listens on 80'] },
      },
      call(),
    );
    expect(created).toEqual({
      id: 'web-1',
      outputs: { name: 'web-1', entityType: 'service', observations: ['runs nginx', 'listens on 80'] },
    });
    await gateway.create(
      { server: 'knowledge', type: 'entity', name: 'db-1', properties: { entityType: 'database' } },
      call(),
    );
    expect(await heldEntities()).toEqual([
      { type: 'entity', name: 'web-1', entityType: 'service', observations: ['runs nginx', 'listens on 80'] },
      { type: 'entity', name: 'db-1', entityType: 'database', observations: [] },
    ]);

    expect(await gateway.read({ server: 'knowledge', type: 'entity', id: 'web-1' }, call())).toEqual({
      id: 'web-1',
      name: 'web-1',
      type: 'entity',
      properties: { entityType: 'service', observations: ['runs nginx', 'listens on 80'] },
      outputs: { name: 'web-1', entityType: 'service', observations: ['runs nginx', 'listens on 80'] },
    });

    const updated = await gateway.update(
      {
        server: 'knowledge',
        type: 'entity',
        id: 'web-1',
        name: 'web-1',
        properties: { entityType: 'service', observations: ['listens on 443', 'runs nginx'] },
      },
      call(),
    );
    expect(updated.outputs.observations).toEqual(['listens on 443', 'runs nginx']);
    expect((await heldEntities())[0]).toMatchObject({
      name: 'web-1',
      observations: ['listens on 443', 'runs nginx'],
    });

    const listed = await gateway.list({ server: 'knowledge', type: 'entity' }, call());
    expect(listed.map((resource) => [resource.name, resource.properties.entityType])).toEqual([
      ['web-1', 'service'],
      ['db-1', 'database'],
    ]);
    expect(await gateway.list({ server: 'knowledge' }, call())).toHaveLength(2);

    await gateway.delete({ server: 'knowledge', type: 'entity', id: 'web-1', name: 'web-1' }, call());
    expect((await heldEntities()).map((entity) => entity.name)).toEqual(['db-1']);
    expect(await gateway.read({ server: 'knowledge', type: 'entity', id: 'web-1' }, call())).toBeUndefined();
    // Deleting what is gone succeeds.
    await gateway.delete({ server: 'knowledge', type: 'entity', id: 'web-1', name: 'web-1' }, call());
  });

  it('refuses a taken name, a missing entity and properties the server cannot hold, with codes', async () => {
    await gateway.create(
      {
        server: 'knowledge',
        type: 'entity',
        name: 'taken',
        properties: { entityType: 'thing', observations: ['a'] },
      },
      call(),
    );
    const taken = await rejectionOf(
      gateway.create(
        { server: 'knowledge', type: 'entity', name: 'taken', properties: { entityType: 'other' } },
        call(),
      ),
    );
    expect(taken).toMatchObject({ code: 'name-taken', server: 'knowledge', retryable: false });
    // The refused create left the existing entity as it was.
    expect((await heldEntities()).find((entity) => entity.name === 'taken')).toMatchObject({
      entityType: 'thing',
      observations: ['a'],
    });

    const missing = await rejectionOf(
      gateway.update(
        {
          server: 'knowledge',
          type: 'entity',
          id: 'nobody',
          name: 'nobody',
          properties: { entityType: 'x' },
        },
        call(),
      ),
    );
    expect(missing).toMatchObject({ code: 'not-found', message: expect.stringContaining('nobody') });

    const invalid = await rejectionOf(
      gateway.create(
        { server: 'knowledge', type: 'entity', name: 'bad', properties: { entityType: 'x', colour: 'red' } },
        call(),
      ),
    );
    expect(invalid).toMatchObject({ code: 'invalid-properties', message: expect.stringContaining('colour') });

    const unknownType = await rejectionOf(
      gateway.create({ server: 'knowledge', type: 'relation', name: 'r', properties: {} }, call()),
    );
    expect(unknownType).toMatchObject({ code: 'unknown-type', message: expect.stringContaining('entity') });
  });
});

describe('server-filesystem through McpGateway (filesystem adapter, named in config)', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let data: string;
  let gateway: McpGateway;

  beforeAll(async () => {
    directory = await temporaryDirectory();
    data = await realpath(directory.path);
    gateway = gatewayFor(
      {
        files: {
          command: NODE,
          args: [FILESYSTEM_SERVER, data],
          conductor: { adapter: 'filesystem', timeoutMs: 10_000 },
        },
      },
      join(data, '.home'),
    );
  });
  afterAll(async () => {
    await gateway.close();
    await directory.remove();
  });

  it('declares that files cannot be deleted before anything runs', async () => {
    const support = await gateway.capabilities('files', 'file');
    expect(support).toMatchObject({ create: true, read: true, update: true, list: true, delete: false });
    expect(support?.missing.delete).toBe('The filesystem server has no tool that deletes a file.');
    expect((await gateway.describeTypes()).describe('files', 'file')).toMatchObject({
      source: 'filesystem',
      replaceOn: ['path'],
    });
  });

  it('creates, reads, updates and lists files, and a delete fails saying the file remains', async () => {
    const site = join(data, 'site', 'index.html');
    const created = await gateway.create(
      {
        server: 'files',
        type: 'file',
        name: 'index',
        properties: { path: 'site/index.html', content: '<h1>hi</h1>' },
      },
      call(),
    );
    expect(created).toEqual({ id: site, outputs: { path: site, size: 11 } });
    expect(await readFile(site, 'utf8')).toBe('<h1>hi</h1>');

    expect(await gateway.read({ server: 'files', type: 'file', id: site }, call())).toEqual({
      id: site,
      name: 'site-index-html',
      type: 'file',
      properties: { path: 'site/index.html', content: '<h1>hi</h1>' },
      outputs: { path: site, size: 11 },
    });

    await gateway.update(
      {
        server: 'files',
        type: 'file',
        id: site,
        name: 'index',
        properties: { path: 'site/index.html', content: '<h1>hello</h1>' },
      },
      call(),
    );
    expect(await readFile(site, 'utf8')).toBe('<h1>hello</h1>');

    await writeFile(join(data, 'notes.txt'), 'not managed');
    const listed = await gateway.list({ server: 'files', type: 'file' }, call());
    expect(
      listed.filter((file) => !file.id.includes('.home')).map((file) => [file.name, file.properties.path]),
    ).toEqual(
      expect.arrayContaining([
        ['site-index-html', 'site/index.html'],
        ['notes-txt', 'notes.txt'],
      ]),
    );

    const refused = await rejectionOf(
      gateway.delete({ server: 'files', type: 'file', id: site, name: 'index' }, call()),
    );
    expect(refused).toMatchObject({ code: 'operation-unsupported', retryable: false, server: 'files' });
    expect(refused.message).toBe(
      `Server "files" cannot delete file resources: The filesystem server has no tool that deletes a file. ${site} remains; remove it by hand if it should go.`,
    );
    expect(await readFile(site, 'utf8')).toBe('<h1>hello</h1>');
  });

  it('reads a missing file as undefined and refuses paths outside the allowed directory', async () => {
    expect(
      await gateway.read({ server: 'files', type: 'file', id: join(data, 'nope.txt') }, call()),
    ).toBeUndefined();
    expect(
      await gateway.read({ server: 'files', type: 'file', id: join(data, 'no-dir', 'nope.txt') }, call()),
    ).toBeUndefined();
    const outside = await rejectionOf(
      gateway.create(
        {
          server: 'files',
          type: 'file',
          name: 'escape',
          properties: { path: '/etc/conductor-escape', content: 'x' },
        },
        call(),
      ),
    );
    expect(outside).toMatchObject({
      code: 'access-denied',
      message: expect.stringContaining('outside allowed'),
    });
  });
});
