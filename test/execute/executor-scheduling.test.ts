// The executor's order and limits, observed from the provider side: the fake's call log with start and end times.
import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../src/execute/events.js';
import { type FakeCallRecord, FakeGateway } from '../../src/execute/fake-gateway.js';
import { isUnknown } from '../../src/model/unknown.js';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import { apply, catalog, deployment, resource, seededRandom } from './fixtures.js';

const vlanOutputs = (request: { type: string; properties: Record<string, unknown> }) =>
  request.type === 'network:vlan' ? { device: `vlan0.${String(request.properties.tag)}` } : {};

function callOf(gateway: FakeGateway, name: string, operation = 'create'): FakeCallRecord {
  const call = gateway.calls.find(
    (candidate) => candidate.name === name && candidate.operation === operation,
  );
  if (!call) throw new Error(`no ${operation} call for ${name}`);
  return call;
}

describe('executor: ordering', () => {
  it('starts dependents only after their dependencies finish, and overlaps independent chains', async () => {
    const gateway = new FakeGateway({ latencyMs: 5, outputs: vlanOutputs });
    const state = createMemoryStateStore();
    const { result } = await apply(
      deployment([
        resource('opnsense:network:vlan:game-vlan', { tag: 20 }),
        resource('docker:container:game', { network: '${opnsense:network:vlan:game-vlan.device}' }),
        resource('dns:record:game', { target: '${docker:container:game.id}' }),
        resource('aws:bucket:logs', { region: 'eu' }),
        resource('aws:bucket:logs-archive', {}, ['aws:bucket:logs']),
        resource('aws:bucket:logs-replica', {}, ['aws:bucket:logs-archive']),
      ]),
      { gateway, state },
      { serverConcurrency: () => 4 },
    );
    expect(result.status).toBe('succeeded');
    const pairs: Array<[string, string]> = [
      ['game-vlan', 'game'],
      ['logs', 'logs-archive'],
      ['logs-archive', 'logs-replica'],
    ];
    for (const [dependency, dependent] of pairs) {
      const before = gateway.calls.find((call) => call.name === dependency)!;
      const after = gateway.calls.filter((call) => call.name === dependent && call.operation === 'create');
      for (const call of after) expect(call.startedAt).toBeGreaterThanOrEqual(before.endedAt!);
    }
    const dnsGame = gateway.calls.find((call) => call.server === 'dns')!;
    expect(dnsGame.startedAt).toBeGreaterThanOrEqual(
      gateway.calls.find((call) => call.server === 'docker')!.endedAt!,
    );
    // The two chains run side by side: the VLAN's call and the first bucket's call overlap in time.
    const vlan = callOf(gateway, 'game-vlan');
    const bucket = callOf(gateway, 'logs');
    expect(vlan.startedAt < bucket.endedAt! && bucket.startedAt < vlan.endedAt!).toBe(true);
  });

  it('never exceeds the per-server or the global limit under load (200 steps, random latency)', async () => {
    const random = seededRandom(42);
    const servers = ['alpha', 'beta', 'gamma', 'delta'];
    const resources = [];
    for (let index = 0; index < 200; index++) {
      const dependsOn: string[] = [];
      if (index > 0 && random() < 0.6) {
        const earlier = Math.floor(random() * index);
        dependsOn.push(`${servers[earlier % servers.length]}:item:r${earlier}`);
      }
      resources.push(resource(`${servers[index % servers.length]}:item:r${index}`, { index }, dependsOn));
    }
    const latencyRandom = seededRandom(3);
    const latencies = new Map<string, number>();
    // serverLimit makes the fake refuse a fourth call at once: a breach would fail the apply, not just a counter.
    const gateway = new FakeGateway({
      serverLimit: 3,
      latencyMs: (call) => {
        const key = call.name ?? '';
        if (!latencies.has(key)) latencies.set(key, 1 + Math.floor(latencyRandom() * 4));
        return latencies.get(key)!;
      },
    });
    const state = createMemoryStateStore();
    const { result } = await apply(
      deployment(resources),
      { gateway, state },
      { concurrency: 10, serverConcurrency: () => 3 },
    );
    expect(result.status).toBe('succeeded');
    expect(gateway.calls).toHaveLength(200);
    for (const server of servers) expect(gateway.maxInFlight(server)).toBe(3);
    expect(gateway.maxInFlight()).toBeLessThanOrEqual(10);

    const limited = new FakeGateway({ latencyMs: 2 });
    await apply(
      deployment(resources),
      { gateway: limited, state: createMemoryStateStore() },
      {
        concurrency: 5,
        serverConcurrency: () => 4,
      },
    );
    expect(limited.maxInFlight()).toBe(5);
  });

  it('starts the head of the critical path first when slots are short', async () => {
    const resources = [
      ...Array.from({ length: 6 }, (_, index) => resource(`svc:item:a-leaf-${index}`)),
      resource('svc:item:z-chain-1'),
      resource('svc:item:z-chain-2', {}, ['z-chain-1']),
      resource('svc:item:z-chain-3', {}, ['z-chain-2']),
    ];
    const gateway = new FakeGateway();
    await apply(deployment(resources), { gateway, state: createMemoryStateStore() }, { concurrency: 1 });
    expect(gateway.calls[0]!.name).toBe('z-chain-1');

    const naive = new FakeGateway();
    await apply(
      deployment(resources),
      { gateway: naive, state: createMemoryStateStore() },
      {
        concurrency: 1,
        priority: 'fifo',
      },
    );
    expect(naive.calls[0]!.name).toBe('a-leaf-0');
  });

  it('with waves, starts no step of wave n+1 before every step of wave n has finished', async () => {
    const gateway = new FakeGateway({ latencyMs: (call) => (call.name === 'slow' ? 25 : 2) });
    const { plan, result } = await apply(
      deployment([
        resource('svc:item:slow'),
        resource('svc:item:fast'),
        resource('svc:item:after-fast', {}, ['fast']),
        resource('svc:item:last', {}, ['after-fast', 'slow']),
      ]),
      { gateway, state: createMemoryStateStore() },
      { strategy: 'waves' },
    );
    expect(result.status).toBe('succeeded');
    const callFor = (address: string) => callOf(gateway, address.slice(address.lastIndexOf(':') + 1));
    for (let wave = 1; wave < plan.waves.length; wave++) {
      const previousEnd = Math.max(...plan.waves[wave - 1]!.map((address) => callFor(address).endedAt!));
      for (const address of plan.waves[wave]!)
        expect(callFor(address).startedAt).toBeGreaterThanOrEqual(previousEnd);
    }
    // Eager does not wait: after-fast runs while slow is still going.
    const eager = new FakeGateway({ latencyMs: (call) => (call.name === 'slow' ? 25 : 2) });
    await apply(
      deployment([
        resource('svc:item:slow'),
        resource('svc:item:fast'),
        resource('svc:item:after-fast', {}, ['fast']),
      ]),
      { gateway: eager, state: createMemoryStateStore() },
    );
    expect(callOf(eager, 'after-fast').startedAt).toBeLessThan(callOf(eager, 'slow').endedAt!);
  });
});

describe('executor: references resolved just in time', () => {
  it('sends and records an output only known after apply', async () => {
    const gateway = new FakeGateway({ outputs: vlanOutputs });
    const state = createMemoryStateStore();
    const { plan, result } = await apply(
      deployment([
        resource('opnsense:network:vlan:game-vlan', { tag: 20 }),
        resource('docker:container:game', {
          network: '${opnsense:network:vlan:game-vlan.device}',
          label: 'on ${opnsense:game-vlan.device} (tag ${opnsense:game-vlan.tag})',
          ports: [{ interface: '${opnsense:game-vlan.device}' }],
        }),
      ]),
      { gateway, state },
    );
    const planned = plan.steps.find((step) => step.name === 'game')!;
    expect(isUnknown(planned.after!.network)).toBe(true);
    expect(planned.after!.label).toEqual({ $unknown: 'on ${opnsense:game-vlan.device} (tag 20)' });
    expect(result.status).toBe('succeeded');

    const expected = {
      network: 'vlan0.20',
      label: 'on vlan0.20 (tag 20)',
      ports: [{ interface: 'vlan0.20' }],
    };
    expect(callOf(gateway, 'game').properties).toEqual(expected);
    expect((await state.getResource('docker', 'game'))!.properties).toEqual(expected);
  });

  it('fails the step with a clear problem when the finished target did not return the output', async () => {
    const gateway = new FakeGateway({ outputs: vlanOutputs });
    const state = createMemoryStateStore();
    const { result } = await apply(
      deployment([
        resource('opnsense:network:vlan:game-vlan', { tag: 20 }),
        resource('docker:container:game', { network: '${opnsense:game-vlan.devcie}' }),
      ]),
      { gateway, state },
    );
    expect(result.status).toBe('rolled-back');
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error).toMatchObject({ code: 'unresolved-reference', address: 'docker:container:game' });
    expect(error!.summary).toContain('devcie');
    expect(error!.detail).toContain('outputs device, id');
    // The container was never sent; the VLAN was created and then removed again.
    expect(gateway.calls.filter((call) => call.name === 'game')).toEqual([]);
    expect(gateway.snapshot()).toEqual({ opnsense: [] });
  });
});

describe('executor: replacements', () => {
  const types = catalog({
    'app:container': { replaceOn: ['image'], createBeforeDestroy: false },
    'dns:record': { replaceOn: ['zone'], createBeforeDestroy: true },
  });

  it('create-before-destroy deletes the old resource only after the steps using it have moved to the new one', async () => {
    const gateway = new FakeGateway({ uniqueNames: (_server, type) => type !== 'record' });
    const state = createMemoryStateStore();
    const fixture = { gateway, state, types };
    const first = [
      resource('dns:record:www', { zone: 'a.test' }),
      resource('app:proxy:edge', { upstream: '${dns:www.id}' }),
    ];
    await apply(deployment(first), fixture);
    const oldId = (await state.getResource('dns', 'www'))!.id;
    const events: ExecutionEvent[] = [];
    const { result } = await apply(
      deployment([resource('dns:record:www', { zone: 'b.test' }), first[1]!]),
      fixture,
      { onEvent: (event) => events.push(event) },
    );
    expect(result.status).toBe('succeeded');
    const second = gateway.calls.slice(2);
    expect(second.map((call) => `${call.operation} ${call.name}`)).toEqual([
      'create www',
      'update edge',
      'delete www',
    ]);
    expect(second[2]!.id).toBe(oldId);
    const newId = (await state.getResource('dns', 'www'))!.id;
    expect(second[1]!.properties).toEqual({ upstream: newId });
    expect(gateway.snapshot().dns!.map((held) => held.id)).toEqual([newId]);
    const finishes = events.filter(
      (event) => event.type === 'step-finish' && event.address === 'dns:record:www',
    );
    expect(finishes.map((event) => (event as { complete: boolean }).complete)).toEqual([false, true]);
  });

  it('delete-then-create deletes the old resource first when the type says so', async () => {
    const gateway = new FakeGateway();
    const state = createMemoryStateStore();
    await apply(deployment([resource('app:container:web', { image: 'nginx:1' })]), { gateway, state, types });
    const { result } = await apply(deployment([resource('app:container:web', { image: 'nginx:2' })]), {
      gateway,
      state,
      types,
    });
    expect(result.status).toBe('succeeded');
    expect(gateway.calls.slice(1).map((call) => `${call.operation} ${call.name}`)).toEqual([
      'delete web',
      'create web',
    ]);
    expect(gateway.snapshot().app).toEqual([
      {
        id: 'app-2',
        name: 'web',
        type: 'container',
        properties: { image: 'nginx:2' },
        outputs: { id: 'app-2' },
      },
    ]);
    expect((await state.getResource('app', 'web'))!.id).toBe('app-2');
  });

  it('deletes dependents before what they depend on', async () => {
    const gateway = new FakeGateway({ latencyMs: 1 });
    const state = createMemoryStateStore();
    await apply(
      deployment([
        resource('net:vlan:v1', { tag: 1 }),
        resource('app:container:c1', { vlan: '${net:v1.id}' }),
        resource('dns:record:r1', { target: '${app:c1.id}' }),
      ]),
      { gateway, state },
    );
    const { result } = await apply(deployment([]), { gateway, state }, { operation: 'destroy' });
    expect(result.status).toBe('succeeded');
    const deletes = gateway.calls.filter((call) => call.operation === 'delete');
    expect(deletes.map((call) => call.name)).toEqual(['r1', 'c1', 'v1']);
    for (let index = 1; index < deletes.length; index++)
      expect(deletes[index]!.startedAt).toBeGreaterThanOrEqual(deletes[index - 1]!.endedAt!);
    expect(await state.listResources()).toEqual([]);
    expect((await state.getDeployment('site'))!.status).toBe('destroyed');
  });
});
