import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGateway } from '../../src/execute/fake-gateway.js';
import { ProviderError } from '../../src/execute/provider-error.js';

const options = () => ({ signal: new AbortController().signal });

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (ProviderError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('FakeGateway', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('creates with deterministic ids and outputs, reads, updates, lists and deletes', async () => {
    const gateway = new FakeGateway({
      outputs: ({ properties }) => ({ device: `vlan0.${String(properties.tag)}` }),
    });
    const created = await gateway.create(
      { server: 'net', type: 'vlan', name: 'v1', properties: { tag: 1 } },
      options(),
    );
    expect(created).toEqual({ id: 'net-1', outputs: { id: 'net-1', device: 'vlan0.1' } });
    const updated = await gateway.update(
      { server: 'net', type: 'vlan', name: 'v1', id: 'net-1', properties: { tag: 2 } },
      options(),
    );
    expect(updated.outputs).toEqual({ id: 'net-1', device: 'vlan0.2' });
    expect(await gateway.read({ server: 'net', type: 'vlan', id: 'net-1' }, options())).toMatchObject({
      properties: { tag: 2 },
    });
    expect(await gateway.list({ server: 'net' }, options())).toHaveLength(1);
    await gateway.delete({ server: 'net', type: 'vlan', name: 'v1', id: 'net-1' }, options());
    await gateway.delete({ server: 'net', type: 'vlan', name: 'v1', id: 'net-1' }, options());
    expect(await gateway.read({ server: 'net', type: 'vlan', id: 'net-1' }, options())).toBeUndefined();
    expect(
      (
        await rejection(
          gateway.update({ server: 'net', type: 'vlan', name: 'v1', id: 'net-1', properties: {} }, options()),
        )
      ).code,
    ).toBe('not-found');
  });

  it('refuses a taken name per server and type, unless names may repeat', async () => {
    const gateway = new FakeGateway();
    await gateway.create({ server: 'net', type: 'vlan', name: 'v1', properties: {} }, options());
    await gateway.create({ server: 'net', type: 'rule', name: 'v1', properties: {} }, options());
    await gateway.create({ server: 'other', type: 'vlan', name: 'v1', properties: {} }, options());
    const error = await rejection(
      gateway.create({ server: 'net', type: 'vlan', name: 'v1', properties: {} }, options()),
    );
    expect(error).toMatchObject({ code: 'name-taken', server: 'net', retryable: false });
    const relaxed = new FakeGateway({ uniqueNames: false });
    await relaxed.create({ server: 'net', type: 'vlan', name: 'v1', properties: {} }, options());
    await relaxed.create({ server: 'net', type: 'vlan', name: 'v1', properties: {} }, options());
    expect(relaxed.snapshot().net).toHaveLength(2);
  });

  it('logs calls with attempts and times, and tracks calls in flight', async () => {
    const gateway = new FakeGateway({ latencyMs: 5 });
    await Promise.all([
      gateway.create({ server: 'a', type: 't', name: 'x', properties: {} }, options()),
      gateway.create({ server: 'a', type: 't', name: 'y', properties: {} }, options()),
      gateway.create({ server: 'b', type: 't', name: 'x', properties: {} }, options()),
    ]);
    await rejection(gateway.create({ server: 'a', type: 't', name: 'x', properties: {} }, options()));
    expect(gateway.maxInFlight('a')).toBe(2);
    expect(gateway.maxInFlight('b')).toBe(1);
    expect(gateway.maxInFlight()).toBe(3);
    expect(gateway.inFlight()).toBe(0);
    expect(
      gateway.calls.map((call) => `${call.server}/${call.name} #${call.attempt} ${call.outcome}`),
    ).toEqual(['a/x #1 ok', 'a/y #1 ok', 'b/x #1 ok', 'a/x #2 failed']);
    for (const call of gateway.calls) expect(call.endedAt! - call.startedAt).toBeGreaterThanOrEqual(4);
  });

  it('stops waiting when the caller aborts, unless told to finish abandoned calls', async () => {
    const gateway = new FakeGateway({ latencyMs: 1000 });
    const controller = new AbortController();
    const call = gateway.create(
      { server: 'a', type: 't', name: 'x', properties: {} },
      { signal: controller.signal },
    );
    controller.abort(new Error('gave up'));
    await expect(call).rejects.toThrow('gave up');
    expect(gateway.snapshot()).toEqual({});
    expect(gateway.calls[0]!.outcome).toBe('aborted');
  });

  it('snapshots sorted holdings and takes seeds', () => {
    const gateway = new FakeGateway();
    gateway.seed('b', [{ name: 'z', type: 't', properties: {} }]);
    gateway.seed('a', [
      { name: 'y', type: 't', properties: { n: 1 } },
      { name: 'x', type: 't', properties: {}, id: 'fixed' },
    ]);
    expect(gateway.snapshot()).toEqual({
      a: [
        { id: 'fixed', name: 'x', type: 't', properties: {}, outputs: { id: 'fixed' } },
        { id: 'a-1', name: 'y', type: 't', properties: { n: 1 }, outputs: { id: 'a-1' } },
      ],
      b: [{ id: 'b-1', name: 'z', type: 't', properties: {}, outputs: { id: 'b-1' } }],
    });
  });

  it('keeps its holdings in a file across instances, written whole', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fake-gateway-'));
    directories.push(directory);
    const file = join(directory, 'holdings.json');
    const first = new FakeGateway({ file });
    await first.create({ server: 'a', type: 't', name: 'x', properties: { n: 1 } }, options());
    expect(JSON.parse(readFileSync(file, 'utf8')).servers.a.resources).toHaveLength(1);
    const second = new FakeGateway({ file });
    expect(second.snapshot()).toEqual(first.snapshot());
    const next = await second.create({ server: 'a', type: 't', name: 'y', properties: {} }, options());
    expect(next.id).toBe('a-2');
  });
});
