// The generic engine: what every simulated provider does the same way (names, schemas, replacement, not-found,
// dependents, persistence), whatever its types.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { typesResultSchema } from '../../src/providers/native-protocol.js';
import { SandboxEngine } from '../../src/sandbox/engine.js';
import { FileInventoryStore, sandboxInventoryFile } from '../../src/sandbox/inventory-store.js';
import { sandboxProvider } from '../../src/sandbox/providers/index.js';
import { SANDBOX_PROVIDERS } from '../../src/sandbox/server-command.js';
import { openTestEngine, refusal } from './support.js';

describe('resource types', () => {
  it.each(SANDBOX_PROVIDERS)(
    '%s publishes types that match the protocol, with JSON Schemas of their properties',
    async (provider) => {
      const { engine } = await openTestEngine(provider);
      const { types } = typesResultSchema.parse({ types: engine.types() });
      expect(types.length).toBeGreaterThan(0);
      for (const type of types) {
        expect(type.schema).toMatchObject({ type: 'object' });
        expect(type.outputs).toEqual(expect.arrayContaining(['id', 'name']));
        expect(type.createBeforeDestroy).toBe(false);
        for (const property of type.replaceOn ?? []) {
          expect(
            Object.keys(type.schema.properties as object),
            `${type.type} replaceOn ${property}`,
          ).toContain(property);
        }
      }
    },
  );

  it('declares the properties that name another resource on the same server', async () => {
    const { engine } = await openTestEngine('opnsense');
    const frontend = engine.types().find((type) => type.type === 'service:haproxy:frontend')!;
    expect(frontend.references).toContainEqual({
      property: 'defaultBackend',
      type: 'service:haproxy:backend',
      by: 'name',
    });
    const peer = engine.types().find((type) => type.type === 'service:wireguard:peer')!;
    expect(peer.sensitive).toEqual(expect.arrayContaining(['privateKey', 'presharedKey']));
  });

  it('offers exactly the types of the issue', () => {
    const typesOf = (provider: (typeof SANDBOX_PROVIDERS)[number]) =>
      sandboxProvider(provider).types.map((spec) => spec.type);
    expect(typesOf('opnsense')).toEqual([
      'network:vlan',
      'dhcp:range',
      'dhcp:static',
      'firewall:alias',
      'firewall:rule',
      'firewall:nat',
      'service:haproxy:backend',
      'service:haproxy:frontend',
      'service:wireguard:server',
      'service:wireguard:peer',
      'dns:host-override',
    ]);
    expect(typesOf('docker')).toEqual(['network', 'volume', 'container', 'image:build', 'registry:push']);
    expect(typesOf('dns')).toEqual(['record']);
    expect(typesOf('certs')).toEqual(['certificate']);
    expect(typesOf('proxmox')).toEqual(['vm', 'lxc']);
    expect(typesOf('aws')).toEqual([
      'ec2:instance',
      'ec2:launchTemplate',
      'ec2:securityGroup',
      'vpc:subnet',
      'autoscaling:group',
      'elb:targetGroup',
      'elb:loadBalancer',
      'acm:certificate',
    ]);
  });
});

describe('operations', () => {
  it('refuses an unknown type, naming the types there are', async () => {
    const { engine } = await openTestEngine('dns');
    const error = await refusal(
      () => engine.create({ type: 'zone', name: 'z', properties: {} }),
      'unknown-type',
    );
    expect(error.message).toContain('record');
    await refusal(() => engine.list({ type: 'zone' }), 'unknown-type');
  });

  it('keeps names unique per type and says what to do', async () => {
    const { engine, create } = await openTestEngine('dns');
    await create('record', 'www', { name: 'www.example.com', type: 'A', value: '192.0.2.10' });
    const error = await refusal(
      () =>
        engine.create({
          type: 'record',
          name: 'www',
          properties: { name: 'w2.example.com', type: 'A', value: '192.0.2.11' },
        }),
      'name-taken',
    );
    expect(error.message).toMatch(/Choose another name/);
  });

  it('explains invalid properties: the path, the problem, and the known properties for a misspelling', async () => {
    const { engine } = await openTestEngine('opnsense');
    const error = await refusal(
      () =>
        engine.create({
          type: 'network:vlan',
          name: 'v',
          properties: { tga: 20, tag: 5000, interface: 'igc1' },
        }),
      'invalid-properties',
    );
    expect(error.message).toContain('tag: VLAN tags are 1-4094');
    expect(error.message).toContain(
      'unknown property "tga" (known: tag, interface, description, priority, address)',
    );
  });

  it('reads, updates and lists, keeping the properties exactly as given and the outputs stable', async () => {
    const { engine } = await openTestEngine('opnsense');
    const properties = { tag: 30, interface: 'igc2', description: 'IoT' };
    const { id, outputs } = await engine.create({ type: 'network:vlan', name: 'iot', properties });
    expect(engine.read({ type: 'network:vlan', id })).toEqual({
      id,
      type: 'network:vlan',
      name: 'iot',
      properties,
      outputs,
    });
    const updated = await engine.update({
      type: 'network:vlan',
      id,
      properties: { ...properties, description: 'Things' },
    });
    expect(updated.outputs.device).toBe(outputs.device);
    expect(engine.read({ type: 'network:vlan', id }).properties.description).toBe('Things');
    expect(engine.list().resources.map((resource) => resource.name)).toEqual(['iot']);
    expect(engine.list({ type: 'dhcp:range' }).resources).toEqual([]);
  });

  it('refuses to change a replaceOn property in place', async () => {
    const { engine } = await openTestEngine('opnsense');
    const { id } = await engine.create({
      type: 'network:vlan',
      name: 'iot',
      properties: { tag: 30, interface: 'igc2' },
    });
    const error = await refusal(
      () => engine.update({ type: 'network:vlan', id, properties: { tag: 30, interface: 'igc3' } }),
      'requires-replacement',
    );
    expect(error.message).toContain('cannot change interface in place');
  });

  it('answers not-found for an unknown id, and for an id of another type', async () => {
    const { engine } = await openTestEngine('opnsense');
    const { id } = await engine.create({
      type: 'network:vlan',
      name: 'iot',
      properties: { tag: 30, interface: 'igc2' },
    });
    await refusal(() => engine.read({ type: 'network:vlan', id: 'nope' }), 'not-found');
    await refusal(() => engine.delete({ type: 'network:vlan', id: 'nope' }), 'not-found');
    await refusal(() => engine.update({ type: 'network:vlan', id: 'nope', properties: {} }), 'not-found');
    const error = await refusal(() => engine.read({ type: 'dhcp:range', id }), 'not-found');
    expect(error.message).toContain('that id is a network:vlan');
  });

  it('refuses to delete what another resource uses, naming the dependents, and deletes once they are gone', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    const vlan = await create('network:vlan', 'game-vlan', { tag: 20, interface: 'igc1' });
    const range = await create('dhcp:range', 'game-dhcp', {
      interface: vlan.device,
      from: '10.20.0.100',
      to: '10.20.0.200',
    });
    const error = await refusal(
      () => engine.delete({ type: 'network:vlan', id: String(vlan.id) }),
      'conflict',
    );
    expect(error.message).toContain('still used by dhcp:range "game-dhcp"');
    await engine.delete({ type: 'dhcp:range', id: String(range.id) });
    expect(await engine.delete({ type: 'network:vlan', id: String(vlan.id) })).toEqual({ deleted: true });
    expect(engine.list().resources).toEqual([]);
  });

  it('saves nothing when a call is refused', async () => {
    const { engine, store, create } = await openTestEngine('opnsense');
    await create('network:vlan', 'a', { tag: 20, interface: 'igc1' });
    expect(store.saves).toBe(1);
    await refusal(
      () => engine.create({ type: 'network:vlan', name: 'b', properties: { tag: 20, interface: 'igc1' } }),
      'conflict',
    );
    expect(store.saves).toBe(1);
  });

  it('checks concurrent changes one after another, so two racing creates cannot both take a tag', async () => {
    const { engine } = await openTestEngine('opnsense');
    const results = await Promise.allSettled([
      engine.create({ type: 'network:vlan', name: 'a', properties: { tag: 20, interface: 'igc1' } }),
      engine.create({ type: 'network:vlan', name: 'b', properties: { tag: 20, interface: 'igc1' } }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
  });
});

describe('persistence', () => {
  let home: string | undefined;
  afterEach(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('round-trips the inventory through $CONDUCTOR_HOME/sandbox/<provider>.json, leaving no temporary files', async () => {
    home = await mkdtemp(join(tmpdir(), 'conductor-sandbox-'));
    const file = sandboxInventoryFile(home, 'opnsense');
    expect(file).toBe(join(home, 'sandbox', 'opnsense.json'));
    const first = await SandboxEngine.open({
      provider: sandboxProvider('opnsense'),
      store: new FileInventoryStore(file, 'opnsense'),
    });
    const { id } = await first.create({
      type: 'network:vlan',
      name: 'a',
      properties: { tag: 20, interface: 'igc1' },
    });
    await first.create({ type: 'network:vlan', name: 'b', properties: { tag: 21, interface: 'igc1' } });

    const second = await SandboxEngine.open({
      provider: sandboxProvider('opnsense'),
      store: new FileInventoryStore(file, 'opnsense'),
    });
    expect(second.list()).toEqual(first.list());
    // The restarted server goes on from what it holds: the next device number, the same conflicts.
    await refusal(
      () => second.create({ type: 'network:vlan', name: 'c', properties: { tag: 20, interface: 'igc1' } }),
      'conflict',
    );
    await second.delete({ type: 'network:vlan', id });
    const third = await second.create({
      type: 'network:vlan',
      name: 'c',
      properties: { tag: 22, interface: 'igc1' },
    });
    expect(third.outputs.device).toBe('vlan01');
    expect(await readdir(join(home, 'sandbox'))).toEqual(['opnsense.json']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      format: 'conductor-sandbox-inventory',
      provider: 'opnsense',
    });
  });

  it('refuses to start on an unreadable inventory instead of losing it', async () => {
    home = await mkdtemp(join(tmpdir(), 'conductor-sandbox-'));
    const file = sandboxInventoryFile(home, 'dns');
    await new FileInventoryStore(file, 'dns').save([]);
    await writeFile(file, '{"format": "something else"}');
    await expect(
      SandboxEngine.open({ provider: sandboxProvider('dns'), store: new FileInventoryStore(file, 'dns') }),
    ).rejects.toThrow(/is not a valid dns inventory.*Move it aside/);
  });
});
