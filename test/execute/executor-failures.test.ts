// Failures the executor must handle cleanly: transient errors, refusals, bugs in a gateway, timeouts, cancellation,
// and --no-rollback. No unhandled rejection may escape (vitest fails the run on one).
import { describe, expect, it } from 'vitest';
import { unfinishedOperationsFromJournal } from '../../src/execute/completed-operation.js';
import type { ExecutionEvent } from '../../src/execute/events.js';
import { FakeGateway } from '../../src/execute/fake-gateway.js';
import { ProviderError } from '../../src/execute/provider-error.js';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import { apply, deployment, resource, stateVersusProvider } from './fixtures.js';

const busy = (server: string) =>
  new ProviderError({ code: 'rate-limited', message: 'slow down', server, retryable: true });

describe('executor: provider errors and retries', () => {
  it('retries a retryable error with backoff and succeeds on the third attempt', async () => {
    const gateway = new FakeGateway({ fail: (call) => (call.attempt <= 2 ? busy(call.server) : undefined) });
    const state = createMemoryStateStore();
    const events: ExecutionEvent[] = [];
    const { result } = await apply(
      deployment([resource('svc:item:flaky')]),
      { gateway, state },
      {
        onEvent: (event) => events.push(event),
      },
    );
    expect(result.status).toBe('succeeded');
    expect(result.steps[0]).toMatchObject({ status: 'done', id: 'svc-1' });
    expect(gateway.calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
    const retries = events.filter((event) => event.type === 'step-retry');
    expect(retries.map((event) => event.attempt)).toEqual([2, 3]);
    for (const retry of retries) expect(retry.delayMs).toBeLessThan(2);
    const journal = await state.readJournal(result.applyId);
    expect(journal.map((entry) => `${entry.kind}${entry.outcome ? ` ${entry.outcome}` : ''}`)).toEqual([
      'begin',
      'end failed',
      'begin',
      'end failed',
      'begin',
      'end ok',
    ]);
  });

  it('gives up after the configured attempts', async () => {
    const gateway = new FakeGateway({ fail: (call) => busy(call.server) });
    const { result } = await apply(deployment([resource('svc:item:flaky')]), {
      gateway,
      state: createMemoryStateStore(),
    });
    expect(gateway.calls).toHaveLength(3);
    expect(result.status).toBe('rolled-back');
    expect(result.errors[0]).toMatchObject({ code: 'rate-limited', address: 'svc:item:flaky' });
  });

  it('does not retry an error that is not retryable', async () => {
    const gateway = new FakeGateway({
      fail: () =>
        new ProviderError({ code: 'invalid-tag', message: 'tag 5000 is out of range', server: 'svc' }),
    });
    const { result } = await apply(deployment([resource('svc:item:bad', { tag: 5000 })]), {
      gateway,
      state: createMemoryStateStore(),
    });
    expect(gateway.calls).toHaveLength(1);
    expect(result.status).toBe('rolled-back');
    expect(result.steps[0]).toMatchObject({ status: 'failed', error: { code: 'invalid-tag' } });
    expect(result.errors[0]!.summary).toContain('tag 5000 is out of range');
  });

  it('fails a step cleanly when the gateway throws something that is not a provider error', async () => {
    const gateway = new FakeGateway();
    gateway.create = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    };
    const { result } = await apply(deployment([resource('svc:item:a')]), {
      gateway,
      state: createMemoryStateStore(),
    });
    expect(result.status).toBe('rolled-back');
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'provider-call-failed',
        address: 'svc:item:a',
        summary: expect.stringContaining('TypeError'),
      }),
    ]);
    // The outcome of such a call is unknown, so rollback looked for the resource before calling it undone.
    expect(gateway.calls.map((call) => call.operation)).toEqual(['list']);
  });
  it('treats a create that returns no id as a call of unknown outcome, and finds what it made', async () => {
    const gateway = new FakeGateway();
    const create = gateway.create.bind(gateway);
    gateway.create = async (request, options) => {
      await create(request, options);
      return undefined as never;
    };
    const { result } = await apply(deployment([resource('svc:item:a')]), {
      gateway,
      state: createMemoryStateStore(),
    });
    expect(result.status).toBe('rolled-back');
    expect(result.errors[0]).toMatchObject({
      code: 'provider-call-failed',
      summary: expect.stringContaining('no resource id'),
    });
    expect(gateway.calls.map((call) => `${call.operation} ${call.outcome}`)).toEqual([
      'create ok',
      'list ok',
      'delete ok',
    ]);
    expect(gateway.snapshot()).toEqual({ svc: [] });
  });
});

describe('executor: timeouts', () => {
  it('fails a call that does not answer in time, says the outcome is unknown, and finds nothing to undo', async () => {
    const gateway = new FakeGateway({ latencyMs: (call) => (call.name === 'slow' ? 500 : 1) });
    const state = createMemoryStateStore();
    const started = performance.now();
    const { result } = await apply(
      deployment([resource('svc:item:slow'), resource('svc:item:quick')]),
      { gateway, state },
      {
        timeoutMs: 30,
      },
    );
    expect(performance.now() - started).toBeLessThan(400);
    expect(result.status).toBe('rolled-back');
    const error = result.errors[0]!;
    expect(error).toMatchObject({ code: 'provider-timeout', address: 'svc:item:slow' });
    expect(error.detail).toContain('outcome is unknown');
    expect(error.detail).toContain('conductor recover');
    expect(gateway.snapshot()).toEqual({ svc: [] });
    const journal = await state.readJournal(result.applyId);
    const slowEnd = journal.find((entry) => entry.kind === 'end' && entry.name === 'slow')!;
    expect(slowEnd).toMatchObject({ outcome: 'failed', error: { code: 'provider-timeout' } });
  });

  it('finds and deletes a resource whose create timed out but happened anyway', async () => {
    // The slow create times out at 15 ms and lands at 40 ms; a flaky step elsewhere keeps the apply going until about
    // 58 ms (two retries 29 ms apart), so the rollback looks after the create has landed.
    const gateway = new FakeGateway({
      completeAbandonedCalls: true,
      latencyMs: (call) => (call.name === 'slow' && call.operation === 'create' ? 40 : 0),
      fail: (call) => (call.name === 'flaky' && call.attempt <= 2 ? busy(call.server) : undefined),
    });
    const state = createMemoryStateStore();
    const { result } = await apply(
      deployment([resource('svc:item:slow'), resource('other:item:flaky')]),
      { gateway, state },
      {
        timeoutMs: 15,
        retry: { attempts: 3, baseDelayMs: 30, maxDelayMs: 30 },
        random: () => 0.99,
      },
    );
    expect(result.status).toBe('rolled-back');
    expect(result.errors.map((error) => error.code)).toEqual(['provider-timeout']);
    const svcCalls = gateway.calls.filter((call) => call.server === 'svc');
    expect(svcCalls.map((call) => `${call.operation} ${call.outcome}`)).toEqual([
      'create ok',
      'list ok',
      'delete ok',
    ]);
    expect(svcCalls[2]!.id).toBe('svc-1');
    expect(gateway.snapshot()).toEqual({ other: [], svc: [] });
    expect(await stateVersusProvider(state, gateway)).toEqual([]);
  });

  it('re-creates a resource whose delete timed out but happened anyway', async () => {
    const gateway = new FakeGateway({
      completeAbandonedCalls: true,
      latencyMs: (call) => (call.name === 'doomed' && call.operation === 'delete' ? 40 : 0),
      fail: (call) => (call.name === 'flaky' && call.attempt <= 2 ? busy(call.server) : undefined),
    });
    const state = createMemoryStateStore();
    await apply(deployment([resource('svc:item:doomed', { size: 1 }), resource('svc:item:kept')]), {
      gateway,
      state,
    });
    const before = gateway.snapshot().svc!.map(({ name, properties }) => ({ name, properties }));
    const { result } = await apply(
      deployment([resource('svc:item:kept'), resource('other:item:flaky')]),
      { gateway, state },
      {
        timeoutMs: 15,
        retry: { attempts: 3, baseDelayMs: 30, maxDelayMs: 30 },
        random: () => 0.99,
      },
    );
    expect(result.status).toBe('rolled-back');
    const journal = await state.readJournal(result.applyId);
    expect(unfinishedOperationsFromJournal(journal)).toEqual([
      expect.objectContaining({
        operation: 'delete',
        address: 'svc:item:doomed',
        id: 'svc-1',
        uncertain: true,
      }),
    ]);
    const svcCalls = gateway.calls.filter((call) => call.server === 'svc').slice(2);
    expect(svcCalls.map((call) => `${call.operation} ${call.name ?? call.id} ${call.outcome}`)).toEqual([
      'delete doomed ok',
      'read svc-1 ok',
      'create doomed ok',
    ]);
    expect(gateway.snapshot().svc!.map(({ name, properties }) => ({ name, properties }))).toEqual(before);
    expect(await stateVersusProvider(state, gateway)).toEqual([]);
  });
});

describe('executor: cancellation', () => {
  it('lets running calls finish, starts nothing new, then rolls back', async () => {
    const gateway = new FakeGateway({ latencyMs: 10 });
    const state = createMemoryStateStore();
    const controller = new AbortController();
    let starts = 0;
    let startsAfterCancel = 0;
    const resources = ['a', 'b'].flatMap((chain) => [
      resource(`svc:item:${chain}1`),
      resource(`svc:item:${chain}2`, {}, [`${chain}1`]),
      resource(`svc:item:${chain}3`, {}, [`${chain}2`]),
    ]);
    const { result } = await apply(
      deployment(resources),
      { gateway, state },
      {
        signal: controller.signal,
        onEvent: (event) => {
          // The fourth start is the second of a2 and b2: both are running when the cancel comes.
          if (event.type !== 'step-start') return;
          if (controller.signal.aborted) startsAfterCancel++;
          if (++starts === 4) controller.abort();
        },
      },
    );
    expect(result.status).toBe('rolled-back');
    expect(result.errors.map((error) => error.code)).toEqual(['cancelled']);
    const creates = gateway.calls.filter((call) => call.operation === 'create');
    // The running steps (a2 and b2) finished their calls; none started after the cancel.
    expect(creates.map((call) => call.name).sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
    for (const call of creates) expect(call.outcome).toBe('ok');
    expect(startsAfterCancel).toBe(0);
    expect(
      result.steps
        .filter((step) => step.status === 'not-started')
        .map((step) => step.address)
        .sort(),
    ).toEqual(['svc:item:a3', 'svc:item:b3']);
    expect(result.steps.filter((step) => step.status === 'rolled-back')).toHaveLength(4);
    expect(gateway.snapshot()).toEqual({ svc: [] });
    expect(await state.listResources()).toEqual([]);
  });

  it('a cancel while the last step runs still rolls the apply back', async () => {
    const gateway = new FakeGateway({ latencyMs: 2 });
    const controller = new AbortController();
    const state = createMemoryStateStore();
    const { result } = await apply(
      deployment([resource('svc:item:one'), resource('svc:item:two', {}, ['one'])]),
      { gateway, state },
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'step-start' && event.address === 'svc:item:two') controller.abort();
        },
      },
    );
    expect(result.status).toBe('rolled-back');
    expect(result.errors.map((error) => error.code)).toEqual(['cancelled']);
    // Both creates ran to the end (nothing is cut off mid-call), then both were undone.
    expect(gateway.calls.filter((call) => call.operation === 'create' && call.outcome === 'ok')).toHaveLength(
      2,
    );
    expect(gateway.snapshot()).toEqual({ svc: [] });
    expect(await state.listResources()).toEqual([]);
  });

  it('a cancel after the apply finished changes nothing', async () => {
    const gateway = new FakeGateway({ latencyMs: 1 });
    const controller = new AbortController();
    const { result } = await apply(
      deployment([resource('svc:item:one')]),
      { gateway, state: createMemoryStateStore() },
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'apply-finish') controller.abort();
        },
      },
    );
    expect(result.status).toBe('succeeded');
    expect(gateway.snapshot().svc).toHaveLength(1);
  });

  it('with keep, a cancel keeps what was done', async () => {
    const gateway = new FakeGateway({ latencyMs: 2 });
    const state = createMemoryStateStore();
    const controller = new AbortController();
    const { result } = await apply(
      deployment([resource('svc:item:one'), resource('svc:item:two', {}, ['one'])]),
      { gateway, state },
      {
        onFailure: 'keep',
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'step-finish') controller.abort();
        },
      },
    );
    expect(result.status).toBe('failed');
    expect(result.steps.map((step) => step.status)).toEqual(['done', 'not-started']);
    expect(await stateVersusProvider(state, gateway)).toEqual([]);
    expect(gateway.snapshot().svc).toHaveLength(1);
  });
});

describe('executor: keep mode (--no-rollback)', () => {
  it('finishes independent chains, skips dependents of the failure, reports only the root cause, rolls nothing back', async () => {
    const gateway = new FakeGateway({
      latencyMs: 1,
      fail: (call) =>
        call.name === 'a2'
          ? new ProviderError({ code: 'disk-full', message: 'disk full', server: call.server })
          : undefined,
    });
    const state = createMemoryStateStore();
    const events: ExecutionEvent[] = [];
    const { result } = await apply(
      deployment([
        resource('svc:item:a1'),
        resource('svc:item:a2', {}, ['a1']),
        resource('svc:item:a3', {}, ['a2']),
        resource('svc:item:a4', {}, ['a3']),
        resource('svc:item:b1'),
        resource('svc:item:b2', {}, ['b1']),
        resource('svc:item:b3', {}, ['b2']),
      ]),
      { gateway, state },
      { onFailure: 'keep', onEvent: (event) => events.push(event) },
    );
    expect(result.status).toBe('failed');
    const status = Object.fromEntries(result.steps.map((step) => [step.address.slice(9), step.status]));
    expect(status).toEqual({
      a1: 'done',
      a2: 'failed',
      a3: 'skipped',
      a4: 'skipped',
      b1: 'done',
      b2: 'done',
      b3: 'done',
    });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'disk-full', address: 'svc:item:a2' })]);
    expect(events.filter((event) => event.type === 'step-skip')).toEqual([
      expect.objectContaining({ address: 'svc:item:a3', because: 'svc:item:a2' }),
      expect.objectContaining({ address: 'svc:item:a4', because: 'svc:item:a2' }),
    ]);
    expect(events.some((event) => event.type.startsWith('rollback'))).toBe(false);
    const journal = await state.readJournal(result.applyId);
    expect(journal.every((entry) => entry.phase === 'apply')).toBe(true);
    expect(gateway.snapshot().svc!.map((held) => held.name)).toEqual(['a1', 'b1', 'b2', 'b3']);
    expect(await stateVersusProvider(state, gateway)).toEqual([]);
    expect((await state.getDeployment('site'))!.status).toBe('failed');
  });
});
