// State remembers what a resource needs from other deployments, so deleting that later is refused, not silent.
import { describe, expect, it } from 'vitest';
import { FakeGateway } from '../../src/execute/fake-gateway.js';
import { planDeployment } from '../../src/plan/planner.js';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import { apply, deployment, resource } from './fixtures.js';

describe('dependencies recorded in state', () => {
  it('include resources of other deployments that a reference reads, and block their deletion', async () => {
    const gateway = new FakeGateway();
    const state = createMemoryStateStore();
    await apply(deployment([resource('net:vlan:shared', { tag: 30 })], 'network'), { gateway, state });
    await apply(deployment([resource('app:container:web', { network: '${net:vlan:shared.id}' })], 'apps'), {
      gateway,
      state,
    });
    const web = await state.getResource('app', 'web');
    expect(web!.dependsOn).toEqual(['net:vlan:shared']);

    const destroyNetwork = await planDeployment({ deployment: { name: 'network', resources: [] }, state });
    expect(destroyNetwork.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['still-referenced']);
  });
});
