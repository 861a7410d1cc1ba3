// Mandatory policies that could not be checked at plan time (a port that comes from another resource's output) are
// checked at apply time on the resolved values; a violation fails the step before anything is sent for it.
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/execute/executor.js';
import { FakeGateway } from '../../src/execute/fake-gateway.js';
import { planDeployment } from '../../src/plan/planner.js';
import { builtinPolicies } from '../../src/policy/builtin/index.js';
import { createResolvedCheck } from '../../src/policy/check-resolved.js';
import { checkPlan, PolicyEngine } from '../../src/policy/engine.js';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import { deployment, owner, resource } from './fixtures.js';

/** A rule on WAN whose port is the output `port` of a container, which the fake reports as `listenPort`. */
async function applyExposure(listenPort: number) {
  const gateway = new FakeGateway({
    outputs: (request) => (request.type === 'container' ? { port: listenPort } : {}),
  });
  const state = createMemoryStateStore();
  const engine = new PolicyEngine(builtinPolicies);
  const desired = deployment([
    resource('docker:container:box', { image: 'box:1' }),
    resource('opnsense:firewall:rule:open-box', {
      action: 'pass',
      interface: 'wan',
      protocol: 'tcp',
      source: 'any',
      destination: '192.0.2.10',
      destination_port: '${docker:container:box.port}',
    }),
  ]);
  const plan = await checkPlan(await planDeployment({ deployment: desired, state }), engine);
  const checkResolved = createResolvedCheck(engine, plan);
  const result = await executePlan(plan, {
    gateway,
    state,
    applyId: `policy-${listenPort}`,
    owner,
    ...(checkResolved ? { checkResolved } : {}),
  });
  return { plan, result, gateway, checkResolved };
}

describe('policies at apply time', () => {
  it('plan time reports the rule as unverifiable, not as passing', async () => {
    const { plan, checkResolved } = await applyExposure(8080);
    const results = plan.policies!.results.filter(
      (result) => result.address === 'opnsense:firewall:rule:open-box',
    );
    expect(results.map((result) => [result.policy, result.status])).toContainEqual([
      'no-management-ports-from-wan',
      'unverifiable',
    ]);
    expect(plan.policies!.blocked).toBe(false);
    expect(checkResolved).toBeDefined();
  });

  it('lets the rule through when the resolved port is harmless', async () => {
    const { result, gateway } = await applyExposure(8080);
    expect(result.status).toBe('succeeded');
    expect(gateway.snapshot().opnsense?.[0]?.properties.destination_port).toBe(8080);
  });

  it('refuses the rule when the resolved port is SSH, and rolls the apply back', async () => {
    const { result, gateway } = await applyExposure(22);
    expect(result.status).toBe('rolled-back');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.code).toBe('policy-violation');
    expect(result.errors[0]!.summary).toContain('SSH (22)');
    expect(gateway.calls.filter((call) => call.server === 'opnsense')).toEqual([]);
    expect(gateway.snapshot()).toEqual({ docker: [] });
  });
});
