import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { builtinPolicies } from '../../../src/policy/builtin/index.js';
import { createResolvedCheck } from '../../../src/policy/check-resolved.js';
import { checkPlan, PolicyEngine } from '../../../src/policy/engine.js';
import { applyPolicyOverrides } from '../../../src/policy/overrides.js';
import { renderPlan } from '../../../src/review/render-plan.js';
import { firewallRule, planOf, WEB_PRIVATE_IP, webInstance } from './policy-helpers.js';

const sshFromWan = firewallRule('ssh-in', {
  interface: 'wan',
  action: 'pass',
  protocol: 'tcp',
  source: 'any',
  destination: '10.20.0.10',
  destinationPort: 22,
});

async function checked(resources: Parameters<typeof planOf>[0]): Promise<Plan> {
  return checkPlan(await planOf(resources), new PolicyEngine(builtinPolicies, {}));
}

describe('policy overrides', () => {
  it('lifts the block of the named policy, keeps its findings and shows the reason in the review', async () => {
    const plan = await checked([sshFromWan]);
    expect(plan.policies?.blocked).toBe(true);
    const overridden = applyPolicyOverrides(plan, [
      { policy: 'no-management-ports-from-wan', reason: 'temporary: ticket OPS-42' },
    ]);
    expect(overridden.policies?.blocked).toBe(false);
    const results = overridden.policies!.results.filter(
      (result) => result.policy === 'no-management-ports-from-wan',
    );
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.overridden).toEqual({ reason: 'temporary: ticket OPS-42' });
    const review = renderPlan(overridden);
    expect(review).toContain('overridden: temporary: ticket OPS-42');
    expect(review).not.toContain('Blocked by');
    // The original is untouched.
    expect(plan.policies?.blocked).toBe(true);
  });

  it('keeps blocking when another mandatory policy is violated too', async () => {
    const plan = await checked([
      sshFromWan,
      firewallRule('wide-open', { interface: 'lan', action: 'pass', source: 'any', destination: 'any' }),
    ]);
    const overridden = applyPolicyOverrides(plan, [
      { policy: 'no-management-ports-from-wan', reason: 'lab' },
    ]);
    expect(overridden.policies?.blocked).toBe(true);
  });

  it('refuses to override a policy that does not exist or blocks nothing', async () => {
    const plan = await checked([sshFromWan]);
    expect(() => applyPolicyOverrides(plan, [{ policy: 'no-such-policy', reason: 'x' }])).toThrow(
      expect.objectContaining({ code: 'override-unknown-policy', exitCode: 2 }),
    );
    expect(() => applyPolicyOverrides(plan, [{ policy: 'no-privileged-containers', reason: 'x' }])).toThrow(
      expect.objectContaining({ code: 'override-not-needed' }),
    );
  });

  it('is honoured at apply time for values the plan could not know', async () => {
    const rule = firewallRule('to-web', {
      interface: 'wan',
      action: 'pass',
      protocol: 'tcp',
      source: 'any',
      destination: WEB_PRIVATE_IP,
      destinationPort: 22,
    });
    const plan = await checked([webInstance, rule]);
    const step = plan.steps.find((candidate) => candidate.name === 'to-web')!;
    const resolved = { ...(step.properties as Record<string, unknown>), destination: '10.0.1.5' };
    const strict = createResolvedCheck(new PolicyEngine(builtinPolicies, {}), plan);
    expect(await strict!(step, resolved)).toMatchObject({ code: 'policy-violation' });
    const overridden = applyPolicyOverrides(plan, [
      { policy: 'no-management-ports-from-wan', reason: 'lab' },
    ]);
    const lenient = createResolvedCheck(new PolicyEngine(builtinPolicies, {}), overridden);
    expect(await lenient!(step, resolved)).toBeUndefined();
  });
});
