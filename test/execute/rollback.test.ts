// Rollback, observed from the provider side: after a failure anywhere in a mixed plan, the fake holds exactly what it
// held before, and state agrees with it. When rollback itself fails, the result says exactly what was left.
import { describe, expect, it } from 'vitest';
import { completedOperationsFromJournal } from '../../src/execute/completed-operation.js';
import { FakeGateway, type FakeOutputsRequest } from '../../src/execute/fake-gateway.js';
import { JournalWriter } from '../../src/execute/journal-writer.js';
import { ProviderError } from '../../src/execute/provider-error.js';
import { rollback } from '../../src/execute/rollback.js';
import type { Resource } from '../../src/model/resource.js';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import {
  apply,
  catalog,
  comparableHoldings,
  deployment,
  resource,
  seededRandom,
  stateVersusProvider,
} from './fixtures.js';

const types = catalog({
  'app:container': { replaceOn: ['image'], createBeforeDestroy: false },
  'dns:record': { replaceOn: ['zone'], createBeforeDestroy: true },
});

function outputs(request: FakeOutputsRequest): Record<string, unknown> {
  if (request.type === 'vlan') return { device: `vlan0.${String(request.properties.tag)}` };
  if (request.type === 'container') return { ip: `10.0.${request.name.length}.1` };
  return {};
}

const initial: Resource[] = [
  resource('net:vlan:v10', { tag: 10 }),
  resource('net:vlan:v20', { tag: 20 }),
  resource('net:vlan:v30', { tag: 30 }),
  resource('net:fw:rule:r1', { vlan: '${net:v10.device}', port: 80 }),
  resource('net:fw:rule:r2', { vlan: '${net:v30.device}', port: 443 }),
  resource('net:fw:rule:r5', { port: 5 }),
  resource('app:container:web', { image: 'nginx:1', network: '${net:v10.device}' }),
  resource('app:container:db', { image: 'pg:15', vlanId: '${net:v20.id}' }),
  resource('app:container:old', { image: 'x:1', vlanId: '${net:v30.id}' }),
  resource('app:container:worker', { image: 'w:1', network: '${net:v20.device}' }),
  resource('app:container:batch', { image: 'b:1' }),
  resource('dns:record:www', { zone: 'a.test', target: '${app:web.ip}' }),
  resource('dns:record:api', { zone: 'a.test', target: '${app:db.ip}' }),
  resource('dns:record:legacy', { zone: 'a.test', target: '${app:old.ip}', owner: '${app:old.id}' }),
  resource('dns:record:mail', { zone: 'a.test', target: 'static' }),
];

/** 20 steps over the initial state: 7 creates, 5 updates, 3 replaces (both kinds), 5 deletes, plus unchanged ones. */
const changed: Resource[] = [
  resource('net:vlan:v10', { tag: 10 }),
  resource('net:vlan:v20', { tag: 20 }),
  resource('net:vlan:v40', { tag: 40 }),
  resource('net:vlan:v50', { tag: 50 }),
  resource('net:fw:rule:r1', { vlan: '${net:v10.device}', port: 8080 }),
  resource('net:fw:rule:r3', { vlan: '${net:v40.device}', port: 22 }),
  resource('net:fw:rule:r4', { vlan: '${net:v50.device}', port: 23 }),
  resource('net:fw:rule:r5', { port: 55 }),
  resource('app:container:web', { image: 'nginx:2', network: '${net:v10.device}' }),
  resource('app:container:db', { image: 'pg:15', vlanId: '${net:v20.id}', env: { A: '1' } }),
  resource('app:container:worker', { image: 'w:2', network: '${net:v20.device}' }),
  resource('app:container:batch', { image: 'b:1', env: { B: '2' } }),
  resource('app:container:cache', { image: 'redis', vlanId: '${net:v40.id}' }),
  resource('dns:record:www', { zone: 'b.test', target: '${app:web.ip}' }),
  resource('dns:record:api', { zone: 'a.test', target: '${app:db.ip}', ttl: 60 }),
  resource('dns:record:cache', { zone: 'a.test', target: '${app:cache.ip}' }),
  resource('dns:record:worker-dns', { zone: 'a.test', target: '${app:worker.ip}' }),
];

const MUTATING = new Set(['create', 'update', 'delete']);

/** A fresh fake and state holding the initial deployment; `failAt` fails the n-th mutating call made after that. */
async function seeded(
  options: { failAt?: number; failUndo?: (call: { operation: string; name?: string }) => boolean } = {},
) {
  let counting = false;
  let mutatingCalls = 0;
  let rollingBack = false;
  const latencyRandom = seededRandom(11);
  const gateway = new FakeGateway({
    outputs,
    uniqueNames: (_server, type) => type !== 'record',
    // While rolling back, creates answer at once and deletes slowly: an undo order that lets a re-create race the
    // delete of the resource holding its name fails here every time instead of by chance.
    latencyMs: (call) =>
      rollingBack ? (call.operation === 'create' ? 0 : 2) : Math.floor(latencyRandom() * 3),
    fail: (call) => {
      if (!counting || !MUTATING.has(call.operation)) return undefined;
      if (rollingBack && options.failUndo?.(call)) {
        return new ProviderError({ code: 'locked', message: `${call.name} is locked`, server: call.server });
      }
      if (rollingBack) return undefined;
      if (++mutatingCalls === options.failAt) {
        return new ProviderError({ code: 'quota-exceeded', message: 'quota exceeded', server: call.server });
      }
      return undefined;
    },
  });
  const state = createMemoryStateStore();
  const first = await apply(deployment(initial), { gateway, state, types });
  expect(first.result.status).toBe('succeeded');
  counting = true;
  return {
    gateway,
    state,
    get mutatingCalls() {
      return mutatingCalls;
    },
    startRollingBack: () => {
      rollingBack = true;
    },
  };
}

describe('rollback', () => {
  it('the change plan really is 20 mixed steps, and applies cleanly without a failure', async () => {
    const fixture = await seeded();
    const { plan, result } = await apply(deployment(changed), { ...fixture, types });
    expect(plan.summary).toEqual({ create: 7, update: 5, replace: 3, delete: 5, same: 2 });
    expect(plan.steps.filter((step) => step.action !== 'same')).toHaveLength(20);
    expect(result.status).toBe('succeeded');
    expect(fixture.mutatingCalls).toBe(23);
    expect(await stateVersusProvider(fixture.state, fixture.gateway)).toEqual([]);
    const cache = await fixture.state.getResource('app', 'cache');
    const v40 = await fixture.state.getResource('net', 'v40');
    expect(cache!.properties.vlanId).toBe(v40!.id);
  });

  it('after a failure at every position of the plan, the provider holds what it held before and state agrees', async () => {
    for (let position = 1; position <= 23; position++) {
      const fixture = await seeded({ failAt: position });
      const before = comparableHoldings(fixture.gateway);
      const { result } = await apply(
        deployment(changed),
        { ...fixture, types },
        {
          onEvent: (event) => {
            if (event.type === 'rollback-start') fixture.startRollingBack();
          },
        },
      );
      const context = `failure at call ${position}`;
      expect(result.status, context).toBe('rolled-back');
      expect(result.leftBehind, context).toEqual([]);
      expect(result.errors, context).toHaveLength(1);
      expect(result.errors[0]!.code, context).toBe('quota-exceeded');
      expect(comparableHoldings(fixture.gateway), context).toEqual(before);
      expect(await stateVersusProvider(fixture.state, fixture.gateway), context).toEqual([]);
      expect((await fixture.state.getDeployment('site'))!.status, context).toBe('rolled-back');
      expect(
        result.steps.some((step) => step.status === 'done'),
        context,
      ).toBe(false);
      // A rolled-back step reports the id its resource has again (a new one when it was created again).
      for (const step of result.steps.filter((candidate) => candidate.status === 'rolled-back')) {
        const server = step.address.slice(0, step.address.indexOf(':'));
        const name = step.address.slice(step.address.lastIndexOf(':') + 1);
        const record = await fixture.state.getResource(server, name);
        expect(step.id, `${context}: ${step.address}`).toBe(
          record?.address === step.address ? record.id : undefined,
        );
      }
    }
  });

  it('reports a failed undo exactly: the resource, its server and id, and state records it', async () => {
    const fixture = await seeded({ failUndo: (call) => call.operation === 'delete' && call.name === 'v40' });
    const failDnsCache = (call: { operation: string; server: string; name?: string }) =>
      call.operation === 'create' && call.name === 'cache' && call.server === 'dns';
    const gateway = fixture.gateway;
    const originalCreate = gateway.create.bind(gateway);
    gateway.create = (request, options) =>
      failDnsCache({ operation: 'create', ...request })
        ? Promise.reject(new ProviderError({ code: 'zone-frozen', message: 'zone is frozen', server: 'dns' }))
        : originalCreate(request, options);
    const { result } = await apply(
      deployment(changed),
      { ...fixture, types },
      {
        onEvent: (event) => {
          if (event.type === 'rollback-start') fixture.startRollingBack();
        },
      },
    );
    const v40 = gateway.snapshot().net!.find((held) => held.name === 'v40');
    expect(v40).toBeDefined();
    expect(result.status).toBe('rollback-failed');
    expect(result.leftBehind).toEqual([
      {
        address: 'net:vlan:v40',
        server: 'net',
        id: v40!.id,
        operation: 'create',
        reason: expect.stringContaining('v40 is locked'),
      },
    ]);
    expect(result.steps.find((step) => step.address === 'net:vlan:v40')!.status).toBe('done');
    expect(await stateVersusProvider(fixture.state, gateway)).toEqual([]);
    expect((await fixture.state.getResource('net', 'v40'))!.id).toBe(v40!.id);
    const record = await fixture.state.getApply(result.applyId);
    expect(record).toMatchObject({ status: 'rollback-failed', leftBehind: result.leftBehind });
    expect((await fixture.state.getDeployment('site'))!.status).toBe('failed');
  });

  it('rolls back from the journal alone, as recover would', async () => {
    const fixture = await seeded();
    const before = comparableHoldings(fixture.gateway);
    const { result } = await apply(deployment(changed), { ...fixture, types });
    expect(result.status).toBe('succeeded');
    const entries = await fixture.state.readJournal(result.applyId);
    const operations = completedOperationsFromJournal(entries);
    expect(operations).toHaveLength(23);
    const count = (kind: string) => operations.filter((operation) => operation.operation === kind).length;
    expect([count('create'), count('update'), count('delete')]).toEqual([10, 5, 8]);
    for (const operation of operations.filter((candidate) => candidate.operation !== 'delete')) {
      const record = await fixture.state.getResource(operation.server, operation.name);
      expect(operation.after?.properties, operation.address).toEqual(record?.properties);
      expect(operation.id, operation.address).toBe(record?.id);
    }
    fixture.startRollingBack();
    const leftBehind = await rollback(operations, {
      gateway: fixture.gateway,
      state: fixture.state,
      journal: await JournalWriter.continuing(fixture.state, result.applyId),
    });
    expect(leftBehind).toEqual([]);
    expect(comparableHoldings(fixture.gateway)).toEqual(before);
    expect(await stateVersusProvider(fixture.state, fixture.gateway)).toEqual([]);
    const rollbackEntries = (await fixture.state.readJournal(result.applyId)).filter(
      (entry) => entry.phase === 'rollback',
    );
    expect(completedOperationsFromJournal(rollbackEntries, { phase: 'rollback' })).toHaveLength(23);
  });
});
