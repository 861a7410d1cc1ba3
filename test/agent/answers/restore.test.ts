// Restore: the deployment as state recorded it at a time, planned against now by the real planner. v1 (4g) then v2
// (8g): restoring to a time between plans an update back to 4g; references come back so re-created resources carry
// their dependents along; times before or after the deployment's life are refused with a diagnostic, not a destroy.
import { describe, expect, it } from 'vitest';
import { restoreDeployment } from '../../../src/agent/answers/restore.js';
import { executePlan } from '../../../src/execute/executor.js';
import type { Plan } from '../../../src/model/plan.js';
import type { Deployment } from '../../../src/model/resource.js';
import { planDeployment } from '../../../src/plan/planner.js';
import { applyDeployment, gameServer, type Lab, lab, owner, signal } from './fixtures.js';

const T1 = Date.parse('2026-11-20T10:00:00Z');
const BETWEEN = new Date('2026-11-20T12:00:00Z');
const T2 = Date.parse('2026-11-20T14:00:00Z');

async function twoVersions(options: { keepSource?: boolean } = {}): Promise<Lab> {
  const fixture = lab();
  await applyDeployment(gameServer({ memory: '4g' }), fixture, { at: T1, ...options });
  await applyDeployment(gameServer({ memory: '8g' }), fixture, { at: T2, ...options });
  return fixture;
}

async function planRestore(fixture: Lab, deployment: Deployment): Promise<Plan> {
  const plan = await planDeployment({ deployment, state: fixture.state });
  expect(plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  return plan;
}

function changed(plan: Plan) {
  return plan.steps
    .filter((step) => step.action !== 'same')
    .map((step) => ({
      address: step.address,
      action: step.action,
      changes: step.changes.map((change) => [change.path, change.before, change.after]),
    }));
}

describe('restoreDeployment', () => {
  it('goes back to the revision of that time: planned against now it is one update, memory 8g → 4g', async () => {
    const fixture = await twoVersions();
    const restored = await restoreDeployment({ state: fixture.state, deployment: 'minecraft', at: BETWEEN });
    expect(restored.revision).toBe(1);
    expect(restored.revisionAt).toBe(new Date(T1).toISOString());
    expect(restored.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'info',
        code: 'restore-revision',
        summary:
          'minecraft as of 2026-11-20T12:00:00.000Z is revision 1 (applied 2026-11-20T10:00:00.000Z), with 7 resources.',
      }),
    ]);
    const container = restored.deployment!.resources.find((resource) => resource.name === 'minecraft')!;
    expect(container.properties.memory).toBe('4g');
    // The references the document had are back; the secret keeps its real value for the provider.
    expect(container.properties.network).toBe('${docker:network:minecraft-net.name}');
    expect(container.properties.env).toEqual({ EULA: 'TRUE', RCON_PASSWORD: 'hunter2-rcon' });
    expect(container.dependsOn).toEqual(['docker:network:minecraft-net']);

    const plan = await planRestore(fixture, restored.deployment!);
    expect(changed(plan)).toEqual([
      { address: 'docker:container:minecraft', action: 'update', changes: [['memory', '8g', '4g']] },
    ]);
  });

  it('re-creates what was deleted since, and what depended on its outputs follows the new one', async () => {
    const fixture = await twoVersions();
    // Since then, the VLAN went away outside Conductor and state was refreshed.
    const vlan = (await fixture.state.getResource('opnsense', 'minecraft-vlan'))!;
    await fixture.gateway.delete(
      { server: 'opnsense', type: 'network:vlan', id: vlan.id!, name: vlan.name },
      { signal: signal() },
    );
    await fixture.state.removeResource('opnsense', 'minecraft-vlan');
    const restored = await restoreDeployment({ state: fixture.state, deployment: 'minecraft', at: BETWEEN });
    const range = restored.deployment!.resources.find((resource) => resource.name === 'minecraft-dhcp')!;
    expect(range.properties.interface).toBe('${opnsense:network:vlan:minecraft-vlan.device}');
    const plan = await planRestore(fixture, restored.deployment!);
    const steps = Object.fromEntries(plan.steps.map((step) => [step.address, step.action]));
    expect(steps['opnsense:network:vlan:minecraft-vlan']).toBe('create');
    expect(steps['docker:container:minecraft']).toBe('update');
    // Known only once the VLAN exists again: the plan waits for it instead of reusing the old device.
    const rangeStep = plan.steps.find((step) => step.address === 'opnsense:dhcp:range:minecraft-dhcp')!;
    expect(rangeStep.references.map((reference) => reference.target)).toEqual([
      'opnsense:network:vlan:minecraft-vlan',
    ]);
  });

  it('without the apply documents, references are inferred from outputs of what each resource depended on', async () => {
    const fixture = await twoVersions({ keepSource: false });
    const restored = await restoreDeployment({ state: fixture.state, deployment: 'minecraft', at: BETWEEN });
    const byName = Object.fromEntries(
      restored.deployment!.resources.map((resource) => [resource.name, resource]),
    );
    expect(byName['minecraft-dhcp']!.properties.interface).toBe(
      '${opnsense:network:vlan:minecraft-vlan.device}',
    );
    expect(byName.minecraft!.properties.network).toBe('${docker:network:minecraft-net.name}');
    // A value the container was given (its static address) proves nothing: it stays as recorded.
    expect(byName['minecraft-forward']!.properties.target).toBe('10.20.0.10');
    expect(byName['minecraft-allow']!.dependsOn).toEqual([
      'docker:container:minecraft',
      'opnsense:firewall:nat:minecraft-forward',
    ]);
    const plan = await planRestore(fixture, restored.deployment!);
    expect(changed(plan)).toEqual([
      { address: 'docker:container:minecraft', action: 'update', changes: [['memory', '8g', '4g']] },
    ]);
  });

  it('keeps recorded text that looks like a reference as text, with or without the documents', async () => {
    for (const keepSource of [true, false]) {
      const fixture = lab();
      const withCommand = (memory: string): Deployment => {
        const deployment = gameServer({ memory });
        const container = deployment.resources.find((resource) => resource.type === 'container')!;
        container.properties.command = 'echo $${HOME} and $${var.not_a_reference}';
        return deployment;
      };
      await applyDeployment(withCommand('4g'), fixture, { at: T1, keepSource });
      await applyDeployment(withCommand('8g'), fixture, { at: T2, keepSource });
      const recorded = (await fixture.state.getResource('docker', 'minecraft'))!;
      expect(recorded.properties.command).toBe('echo ${HOME} and ${var.not_a_reference}');
      const restored = await restoreDeployment({
        state: fixture.state,
        deployment: 'minecraft',
        at: BETWEEN,
      });
      const container = restored.deployment!.resources.find((resource) => resource.name === 'minecraft')!;
      expect(container.properties.command).toBe('echo $${HOME} and $${var.not_a_reference}');
      expect(changed(await planRestore(fixture, restored.deployment!))).toEqual([
        { address: 'docker:container:minecraft', action: 'update', changes: [['memory', '8g', '4g']] },
      ]);
    }
  });

  it('removes what was added since: the plan deletes it', async () => {
    const fixture = lab();
    await applyDeployment(gameServer({ public: false }), fixture, { at: T1 });
    await applyDeployment(gameServer({ public: true }), fixture, { at: T2 });
    const restored = await restoreDeployment({ state: fixture.state, deployment: 'minecraft', at: BETWEEN });
    const plan = await planRestore(fixture, restored.deployment!);
    expect(changed(plan).map((step) => [step.address, step.action])).toEqual([
      ['opnsense:firewall:rule:minecraft-allow', 'delete'],
      ['opnsense:firewall:nat:minecraft-forward', 'delete'],
    ]);
  });

  it('after a destroy, brings the whole deployment back', async () => {
    const fixture = lab();
    await applyDeployment(gameServer(), fixture, { at: T1 });
    const destroy = await planDeployment({
      deployment: { name: 'minecraft', resources: [] },
      state: fixture.state,
    });
    await executePlan(destroy, {
      gateway: fixture.gateway,
      state: fixture.state,
      applyId: 'destroy-1',
      owner,
      operation: 'destroy',
      now: () => T2,
    });
    expect(await fixture.state.resourcesOf('minecraft')).toEqual([]);
    const restored = await restoreDeployment({ state: fixture.state, deployment: 'minecraft', at: BETWEEN });
    expect(restored.diagnostics[0]!.detail).toBe(
      'minecraft has been destroyed since; the plan re-creates it with the properties it had then.',
    );
    const plan = await planRestore(fixture, restored.deployment!);
    expect(plan.summary.create).toBe(7);
  });

  it('refuses to restore to a time before the deployment existed or after it was destroyed: that would be a destroy', async () => {
    const fixture = await twoVersions();
    const before = await restoreDeployment({
      state: fixture.state,
      deployment: 'minecraft',
      at: new Date('2026-11-19T00:00:00Z'),
    });
    expect(before.deployment).toBeUndefined();
    expect(before.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'restore-to-nothing',
        summary:
          'minecraft did not exist yet at 2026-11-19T00:00:00.000Z: its first apply finished at 2026-11-20T10:00:00.000Z.',
        detail:
          'Going back to that time would mean removing minecraft entirely, which a restore does not do. To remove it, destroy it (`conductor destroy minecraft`, or say "destroy minecraft"); to restore it, choose a time when it existed (after 2026-11-20T10:00:00.000Z).',
      },
    ]);

    const destroyed = lab();
    await applyDeployment(gameServer(), destroyed, { at: T1 });
    const plan = await planDeployment({
      deployment: { name: 'minecraft', resources: [] },
      state: destroyed.state,
    });
    await executePlan(plan, {
      gateway: destroyed.gateway,
      state: destroyed.state,
      applyId: 'destroy-2',
      owner,
      operation: 'destroy',
      now: () => T2,
    });
    const after = await restoreDeployment({
      state: destroyed.state,
      deployment: 'minecraft',
      at: new Date(T2 + 60_000),
    });
    expect(after.deployment).toBeUndefined();
    expect(after.diagnostics[0]).toMatchObject({ code: 'restore-to-nothing', severity: 'error' });
    expect(after.diagnostics[0]!.summary).toContain('it had been destroyed (revision 2');
  });

  it('names the deployments it knows when the name is wrong', async () => {
    const fixture = await twoVersions();
    const result = await restoreDeployment({ state: fixture.state, deployment: 'valheim', at: BETWEEN });
    expect(result).toEqual({
      diagnostics: [
        expect.objectContaining({
          code: 'deployment-not-found',
          detail: 'Restore one of the deployments state knows: minecraft.',
        }),
      ],
    });
  });

  it('at a time after the last apply, plans nothing', async () => {
    const fixture = await twoVersions();
    const restored = await restoreDeployment({
      state: fixture.state,
      deployment: 'minecraft',
      at: new Date(T2 + 1),
    });
    expect(restored.revision).toBe(2);
    expect(restored.diagnostics[0]!.detail).toContain('has not been applied since then');
    expect(changed(await planRestore(fixture, restored.deployment!))).toEqual([]);
  });
});
