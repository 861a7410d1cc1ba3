// What an apply leaves in state: the write-ahead journal around every call, resource records, the apply and
// deployment records, revisions, and a number of writes that grows with the steps, not with the state.
import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../src/execute/events.js';
import { executePlan } from '../../src/execute/executor.js';
import { FakeGateway } from '../../src/execute/fake-gateway.js';
import { ProviderError } from '../../src/execute/provider-error.js';
import { ConductorError } from '../../src/model/conductor-error.js';
import type { Plan } from '../../src/model/plan.js';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import type { StateStore } from '../../src/state/state-store.js';
import { apply, deployment, owner, planFor, resource } from './fixtures.js';

/** Logs journal writes and provider calls into one timeline. */
function recordTimeline(state: StateStore, gateway: FakeGateway): string[] {
  const timeline: string[] = [];
  const append = state.appendJournal.bind(state);
  state.appendJournal = async (entry) => {
    await append(entry);
    timeline.push(
      `${entry.kind} ${entry.operation} ${entry.server}/${entry.name} #${entry.seq}${entry.begins ? ` of #${entry.begins}` : ''}`,
    );
  };
  for (const operation of ['create', 'update', 'delete'] as const) {
    const original = gateway[operation].bind(gateway) as (request: never, options: never) => Promise<unknown>;
    (gateway as unknown as Record<string, unknown>)[operation] = async (
      request: { server: string; name: string },
      options: never,
    ) => {
      timeline.push(`call ${operation} ${request.server}/${request.name}`);
      try {
        return await original(request as never, options);
      } finally {
        timeline.push(`return ${operation} ${request.server}/${request.name}`);
      }
    };
  }
  return timeline;
}

async function rejection(promise: Promise<unknown>): Promise<ConductorError> {
  try {
    await promise;
  } catch (error) {
    if (ConductorError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConductorError');
}

describe('executor: write-ahead journal', () => {
  it('writes a begin entry before every provider call and its end entry after it, rollback included', async () => {
    const gateway = new FakeGateway({
      latencyMs: 1,
      fail: (call) =>
        call.name === 'c'
          ? new ProviderError({ code: 'refused', message: 'no', server: call.server })
          : undefined,
    });
    const state = createMemoryStateStore();
    await apply(deployment([resource('svc:item:a'), resource('svc:item:gone')]), { gateway, state });
    const timeline = recordTimeline(state, gateway);
    const { result } = await apply(
      deployment([
        resource('svc:item:a', { size: 2 }),
        resource('svc:item:b', {}, ['a']),
        resource('svc:item:c', {}, ['b']),
      ]),
      { gateway, state },
    );
    expect(result.status).toBe('rolled-back');
    const calls = timeline.filter((line) => line.startsWith('call '));
    // update a, delete gone, create b, create c (fails); undo: delete b, re-create gone, update a back.
    expect(calls).toHaveLength(7);
    for (const call of calls) {
      const [, operation, target] = call.split(' ');
      const at = timeline.indexOf(call);
      const begin = timeline
        .slice(0, at)
        .reverse()
        .find((line) => line.startsWith(`begin ${operation} ${target} `));
      expect(begin, call).toBeDefined();
      const seq = begin!.slice(begin!.indexOf('#') + 1);
      const end = timeline.findIndex(
        (line) => line.startsWith(`end ${operation} ${target} `) && line.endsWith(`of #${seq}`),
      );
      expect(end, call).toBeGreaterThan(timeline.indexOf(`return ${operation} ${target}`, at));
    }
    const journal = await state.readJournal(result.applyId);
    expect(journal.map((entry) => entry.seq)).toEqual(journal.map((_, index) => index + 1));
    const deleteBegin = journal.find(
      (entry) => entry.kind === 'begin' && entry.name === 'gone' && entry.phase === 'apply',
    )!;
    expect(deleteBegin.before).toMatchObject({ address: 'svc:item:gone', id: 'svc-2' });
    const updateBegin = journal.find((entry) => entry.kind === 'begin' && entry.operation === 'update')!;
    expect(updateBegin).toMatchObject({ properties: { size: 2 }, before: { properties: {} }, id: 'svc-1' });
    const createBegin = journal.find((entry) => entry.kind === 'begin' && entry.name === 'b')!;
    expect(createBegin.dependsOn).toEqual(['svc:item:a']);
  });
});

describe('executor: state records', () => {
  it('records the apply, the deployment and a revision with the net changes', async () => {
    const gateway = new FakeGateway();
    const state = createMemoryStateStore();
    let clock = Date.parse('2026-03-01T10:00:00.000Z');
    const now = () => (clock += 1000);
    const first = await apply(
      deployment([resource('svc:item:a', { size: 1 }), resource('svc:item:b')]),
      { gateway, state },
      {
        now,
        request: { text: 'two items please', pattern: 'items', params: { count: 2 } },
      },
    );
    expect(first.result.status).toBe('succeeded');
    const createdAt = (await state.getDeployment('site'))!.createdAt;
    const second = await apply(
      deployment([resource('svc:item:a', { size: 2 })]),
      { gateway, state },
      { now },
    );
    expect(second.result.status).toBe('succeeded');

    const record = (await state.getDeployment('site'))!;
    expect(record).toMatchObject({
      name: 'site',
      status: 'applied',
      request: 'two items please',
      pattern: 'items',
      params: { count: 2 },
      revision: 2,
      lastApply: second.result.applyId,
      createdAt,
    });
    expect(record.plan?.summary).toEqual(second.plan.summary);
    const applyRecord = (await state.getApply(second.result.applyId))!;
    expect(applyRecord).toMatchObject({ status: 'succeeded', operation: 'apply', rollback: true, owner });
    expect(applyRecord.durationMs).toBeGreaterThan(0);
    const revisions = await state.readRevisions('site');
    const changes = revisions.map((revision) =>
      revision.changes
        .map((change) => [change.address, change.record?.properties ?? null])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(changes).toEqual([
      [
        ['svc:item:a', { size: 1 }],
        ['svc:item:b', {}],
      ],
      [
        ['svc:item:a', { size: 2 }],
        ['svc:item:b', null],
      ],
    ]);
  });

  it('masks secrets in the recorded plan, but sends and records the real value', async () => {
    const gateway = new FakeGateway();
    const state = createMemoryStateStore();
    const { result } = await apply(deployment([resource('db:user:app', { password: 'hunter2' })]), {
      gateway,
      state,
    });
    expect(gateway.calls[0]!.properties).toEqual({ password: 'hunter2' });
    const recorded = JSON.stringify(await state.getApply(result.applyId));
    expect(recorded).not.toContain('hunter2');
    expect((await state.getResource('db', 'app'))!.properties.password).toBe('hunter2');
  });

  it('makes a number of state writes that grows linearly with the steps', async () => {
    const perStep: number[] = [];
    for (const size of [100, 1000]) {
      const resources = Array.from({ length: size }, (_, index) =>
        resource(
          `s${index % 5}:item:r${index}`,
          { index },
          index > 0 && index % 3 !== 0 ? [`s${(index - 1) % 5}:r${index - 1}`] : [],
        ),
      );
      const state = createMemoryStateStore();
      // Pre-existing state of another deployment must not add writes.
      await apply(deployment([resource('other:item:x')], 'other'), { gateway: new FakeGateway(), state });
      const { result } = await apply(
        deployment(resources),
        { gateway: new FakeGateway(), state },
        { concurrency: 50, serverConcurrency: () => 10 },
      );
      expect(result.status).toBe('succeeded');
      perStep.push(result.writes / size);
    }
    // Three per create (journal begin and end, the record) plus a constant few (apply, deployment, revision).
    expect(perStep[0]).toBeCloseTo(3.05, 5);
    expect(perStep[1]).toBeCloseTo(3.005, 5);
  });
});

describe('executor: refusals', () => {
  it('refuses a plan with error diagnostics or a blocking policy, before writing anything', async () => {
    const state = createMemoryStateStore();
    const plan = await planFor(deployment([resource('svc:item:a')]), state);
    const options = { gateway: new FakeGateway(), state, applyId: 'x', owner };
    const withError: Plan = {
      ...plan,
      diagnostics: [
        {
          severity: 'error',
          code: 'unresolved-reference',
          summary: 'svc:item:a: ${svc:b.id} names nothing.',
          detail: '',
        },
      ],
    };
    const error = await rejection(executePlan(withError, options));
    expect(error.code).toBe('plan-not-applicable');
    expect(error.detail).toContain('names nothing');
    const blocked: Plan = { ...plan, policies: { evaluated: ['p'], results: [], blocked: true } };
    const policyError = await rejection(executePlan(blocked, options));
    expect(policyError).toMatchObject({ code: 'plan-not-applicable', exitCode: 3 });
    expect(state.writes).toBe(0);
  });

  it('refuses a plan that state no longer matches', async () => {
    const gateway = new FakeGateway();
    const state = createMemoryStateStore();
    await apply(deployment([resource('svc:item:a', { size: 1 })]), { gateway, state });
    const stalePlan = await planFor(deployment([resource('svc:item:a', { size: 2 })]), state);
    await apply(deployment([]), { gateway, state });
    const writes = state.writes;
    const error = await rejection(executePlan(stalePlan, { gateway, state, applyId: 'late', owner }));
    expect(error.code).toBe('plan-stale');
    expect(error.summary).toContain('svc:item:a is no longer in state');
    expect(state.writes).toBe(writes);
  });
});

describe('executor: events', () => {
  it('reports progress in order, with addresses, operations and timings', async () => {
    let clock = 0;
    const events: ExecutionEvent[] = [];
    await apply(
      deployment([resource('svc:item:a'), resource('svc:item:b', {}, ['a'])]),
      { gateway: new FakeGateway(), state: createMemoryStateStore() },
      { now: () => (clock += 5), applyId: 'events', onEvent: (event) => events.push(event) },
    );
    expect(events.map((event) => `${event.type}${'address' in event ? ` ${event.address}` : ''}`)).toEqual([
      'apply-start',
      'step-start svc:item:a',
      'step-finish svc:item:a',
      'step-start svc:item:b',
      'step-finish svc:item:b',
      'apply-finish',
    ]);
    expect(events[0]).toEqual({
      type: 'apply-start',
      applyId: 'events',
      deployment: 'site',
      operation: 'apply',
      steps: 2,
      at: expect.any(Number),
    });
    expect(events[2]).toMatchObject({
      type: 'step-finish',
      action: 'create',
      operation: 'create',
      id: 'svc-1',
      complete: true,
      attempts: 1,
    });
    expect((events[2] as { durationMs: number }).durationMs).toBeGreaterThan(0);
    expect(events[5]).toMatchObject({ type: 'apply-finish', status: 'succeeded', errors: 0 });
  });

  it('a listener that throws does not break the apply', async () => {
    const { result } = await apply(
      deployment([resource('svc:item:a')]),
      { gateway: new FakeGateway(), state: createMemoryStateStore() },
      {
        onEvent: () => {
          throw new Error('listener bug');
        },
      },
    );
    expect(result.status).toBe('succeeded');
  });
});
