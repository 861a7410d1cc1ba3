// Drift detection reads each managed resource back: changed properties and vanished resources are reported, and the
// refreshed records are what the provider holds now.
import { describe, expect, it } from 'vitest';
import { FakeGateway } from '../../src/execute/fake-gateway.js';
import { detectDrift } from '../../src/execute/refresh.js';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import { apply, deployment, resource } from './fixtures.js';

describe('detectDrift', () => {
  it('reports changed and vanished resources and refreshes the rest', async () => {
    const gateway = new FakeGateway();
    const state = createMemoryStateStore();
    await apply(
      deployment([
        resource('net:vlan:a', { tag: 10 }),
        resource('net:vlan:b', { tag: 20 }),
        resource('net:vlan:c', { tag: 30 }),
      ]),
      { gateway, state },
    );
    const records = await state.listResources();
    const byName = Object.fromEntries(records.map((record) => [record.name, record]));
    // Someone edits b by hand and deletes c behind Conductor's back.
    const signal = new AbortController().signal;
    await gateway.update(
      { server: 'net', type: 'vlan', id: byName.b!.id!, name: 'b', properties: { tag: 21 } },
      { signal },
    );
    await gateway.delete({ server: 'net', type: 'vlan', id: byName.c!.id!, name: 'c' }, { signal });

    const report = await detectDrift(records, gateway);
    expect(report.unreadable).toEqual([]);
    expect(report.drift.map((item) => [item.address, item.kind]).sort()).toEqual([
      ['net:vlan:b', 'changed'],
      ['net:vlan:c', 'vanished'],
    ]);
    const changed = report.drift.find((item) => item.kind === 'changed')!;
    expect(changed.changes).toEqual([{ path: 'tag', kind: 'change', before: 20, after: 21 }]);
    expect(report.refreshed.map((record) => [record.name, record.properties.tag])).toEqual([
      ['a', 10],
      ['b', 21],
    ]);
  });

  it('keeps a record it cannot read and says why', async () => {
    const gateway = new FakeGateway({
      fail: (call) => (call.operation === 'read' ? new Error('server down') : undefined),
    });
    const state = createMemoryStateStore();
    await state.putResource({
      address: 'net:vlan:a',
      server: 'net',
      type: 'vlan',
      name: 'a',
      deployment: 'site',
      id: 'net-1',
      properties: { tag: 1 },
      outputs: {},
      dependsOn: [],
    });
    const report = await detectDrift(await state.listResources(), gateway);
    expect(report.drift).toEqual([]);
    expect(report.unreadable).toEqual([
      { address: 'net:vlan:a', server: 'net', reason: expect.stringContaining('server down') },
    ]);
    expect(report.refreshed).toHaveLength(1);
  });
});
