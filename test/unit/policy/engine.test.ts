import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import type { ResourceRecord } from '../../../src/model/resource-record.js';
import { builtinPolicies } from '../../../src/policy/builtin/index.js';
import { checkPlan, PolicyEngine } from '../../../src/policy/engine.js';
import { definePolicy, type PolicyDefinition, type PolicyFinding } from '../../../src/policy/policy.js';
import { MemoryState } from '../../../src/state/memory-state.js';
import { DEPLOYMENT, evaluate, firewallRule, planOf, WEB_PRIVATE_IP, webInstance } from './policy-helpers.js';

const anyToAny = { source: 'any', destination: 'any', action: 'pass' };
const sshFromWan = {
  interface: 'wan',
  source: 'any',
  destination: '10.20.0.10',
  destinationPort: 22,
  action: 'pass',
};
const httpFromWan = { ...sshFromWan, destinationPort: 80 };

/** A custom policy that reports one finding per firewall rule step it is shown. */
function perRulePolicy(overrides: Partial<PolicyDefinition> = {}) {
  return definePolicy({
    id: 'flag-rules',
    description: 'Flags every firewall rule (test policy).',
    severity: 'low',
    evaluate: (plan) =>
      plan.steps
        .filter((step) => step.type === 'firewall:rule')
        .map(
          (step): PolicyFinding => ({
            address: step.address,
            summary: `${step.action} ${step.name}`,
            remediation: '',
          }),
        ),
    ...overrides,
  });
}

function record(name: string, properties: Record<string, unknown>): ResourceRecord {
  return {
    address: `opnsense:firewall:rule:${name}`,
    server: 'opnsense',
    type: 'firewall:rule',
    name,
    deployment: DEPLOYMENT,
    id: `rule-${name}`,
    properties,
    outputs: {},
    dependsOn: [],
  };
}

describe('PolicyEngine', () => {
  describe('reporting', () => {
    it('reports every violation of every rule, not only the first', async () => {
      const report = await evaluate([
        firewallRule('open-1', anyToAny),
        firewallRule('open-2', anyToAny),
        firewallRule('open-3', anyToAny),
        firewallRule('ssh-in', sshFromWan),
      ]);

      expect(report.results.map((result) => [result.policy, result.address])).toEqual([
        ['no-management-ports-from-wan', 'opnsense:firewall:rule:ssh-in'],
        ['no-any-to-any', 'opnsense:firewall:rule:open-1'],
        ['no-any-to-any', 'opnsense:firewall:rule:open-2'],
        ['no-any-to-any', 'opnsense:firewall:rule:open-3'],
      ]);
    });

    it('lists violations before unverifiable results, and more severe ones first', async () => {
      const report = await evaluate([
        webInstance,
        firewallRule('a-unknown', { ...anyToAny, destination: WEB_PRIVATE_IP }),
        firewallRule('b-http', httpFromWan),
        firewallRule('c-open', anyToAny),
        firewallRule('d-ssh', sshFromWan),
      ]);

      expect(report.results.map((result) => [result.status, result.severity, result.address])).toEqual([
        ['violation', 'critical', 'opnsense:firewall:rule:d-ssh'],
        ['violation', 'high', 'opnsense:firewall:rule:c-open'],
        ['violation', 'medium', 'opnsense:firewall:rule:b-http'],
        ['unverifiable', 'high', 'opnsense:firewall:rule:a-unknown'],
      ]);
    });

    it('lists every enabled policy as evaluated, in order, even when it finds nothing', async () => {
      const report = await evaluate([firewallRule('fine', { ...anyToAny, source: '10.0.0.0/8' })]);

      expect(report.evaluated).toEqual(builtinPolicies.map((policy) => policy.id));
      expect(report.results).toEqual([]);
      expect(report.blocked).toBe(false);
    });

    it('fills what a custom finding leaves out: the code is the policy id, detail and remediation are empty', async () => {
      const engine = new PolicyEngine([
        definePolicy({
          id: 'terse',
          description: 'Says little.',
          severity: 'low',
          evaluate: () => [{ summary: 'Something.' } as PolicyFinding],
        }),
      ]);

      const report = await engine.evaluate(await planOf([firewallRule('r', anyToAny)]));

      expect(report.results).toEqual([
        {
          policy: 'terse',
          severity: 'low',
          enforcement: 'advisory',
          status: 'violation',
          code: 'terse',
          summary: 'Something.',
          detail: '',
          remediation: '',
        },
      ]);
    });
  });

  describe('blocking', () => {
    it('blocks for a mandatory violation', async () => {
      expect((await evaluate([firewallRule('open', anyToAny)])).blocked).toBe(true);
    });

    it('does not block for an advisory violation alone', async () => {
      const report = await evaluate([firewallRule('http-in', httpFromWan)]);

      expect(report.results).toHaveLength(1);
      expect(report.results[0]).toMatchObject({ enforcement: 'advisory', status: 'violation' });
      expect(report.blocked).toBe(false);
    });

    it('does not block for a mandatory policy that cannot check a value until apply', async () => {
      const report = await evaluate([
        webInstance,
        firewallRule('to-web', { ...anyToAny, destination: WEB_PRIVATE_IP }),
      ]);

      expect(report.results).toHaveLength(1);
      expect(report.results[0]).toMatchObject({ enforcement: 'mandatory', status: 'unverifiable' });
      expect(report.blocked).toBe(false);
    });
  });

  describe('settings', () => {
    it('disables a policy: it does not run and is not listed as evaluated', async () => {
      const report = await evaluate([firewallRule('open', anyToAny)], {
        'no-any-to-any': { enforcement: 'disabled' },
      });

      expect(report.evaluated).not.toContain('no-any-to-any');
      expect(report.evaluated).toContain('no-management-ports-from-wan');
      expect(report.results).toEqual([]);
      expect(report.blocked).toBe(false);
    });

    it('turns a mandatory policy advisory, which unblocks the plan but still reports', async () => {
      const report = await evaluate([firewallRule('open', anyToAny)], {
        'no-any-to-any': { enforcement: 'advisory' },
      });

      expect(report.results).toHaveLength(1);
      expect(report.results[0]).toMatchObject({
        policy: 'no-any-to-any',
        enforcement: 'advisory',
        status: 'violation',
      });
      expect(report.blocked).toBe(false);
    });

    it('changes the severity a policy reports with', async () => {
      const report = await evaluate([firewallRule('open', anyToAny)], {
        'no-any-to-any': { severity: 'low' },
      });

      expect(report.results[0]).toMatchObject({
        policy: 'no-any-to-any',
        severity: 'low',
        enforcement: 'mandatory',
      });
    });

    it('enables a policy that is disabled by default', async () => {
      const flag = perRulePolicy({ enforcement: 'disabled' });
      const plan = await planOf([firewallRule('r', { ...anyToAny, source: '10.0.0.0/8' })]);

      expect((await new PolicyEngine([flag]).evaluate(plan)).evaluated).toEqual([]);
      const enabled = await new PolicyEngine([flag], { 'flag-rules': { enforcement: 'mandatory' } }).evaluate(
        plan,
      );
      expect(enabled.evaluated).toEqual(['flag-rules']);
      expect(enabled.blocked).toBe(true);
    });

    it('passes options to the policy: its defaults merged with the settings', async () => {
      const seen: Array<Readonly<Record<string, unknown>>> = [];
      const policy = definePolicy({
        id: 'records-options',
        description: 'Records the options it is given.',
        severity: 'low',
        options: { limit: 1, label: 'default' },
        evaluate: (_, context) => {
          seen.push(context.options);
          return [];
        },
      });
      const engine = new PolicyEngine([policy], {
        'records-options': { enforcement: 'mandatory', severity: 'high', limit: 5 },
      });

      await engine.evaluate(await planOf([]));

      expect(seen).toEqual([{ limit: 5, label: 'default' }]);
    });

    it('reports settings for a policy that does not exist, listing the known ones', () => {
      const engine = new PolicyEngine(builtinPolicies, { 'no-any-2-any': { enforcement: 'advisory' } });

      expect(engine.diagnostics).toHaveLength(1);
      expect(engine.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'unknown-policy' });
      expect(engine.diagnostics[0]!.summary).toContain('"no-any-2-any"');
      expect(engine.diagnostics[0]!.detail).toContain('no-any-to-any');
    });

    it('reports a bad enforcement value and keeps the policy at its default', async () => {
      const engine = new PolicyEngine(builtinPolicies, {
        // Config is user input: the type does not protect it.
        'no-any-to-any': { enforcement: 'strict' as 'mandatory' },
      });

      expect(engine.diagnostics).toHaveLength(1);
      expect(engine.diagnostics[0]).toMatchObject({ severity: 'error', code: 'invalid-policy-setting' });
      expect(engine.diagnostics[0]!.summary).toBe('policies.no-any-to-any.enforcement is "strict".');
      expect(engine.diagnostics[0]!.detail).toContain('advisory, mandatory or disabled');
      const report = await engine.evaluate(await planOf([firewallRule('open', anyToAny)]));
      expect(report.results[0]!.enforcement).toBe('mandatory');
      expect(report.blocked).toBe(true);
    });

    it('reports a bad severity value and keeps the default severity', async () => {
      const engine = new PolicyEngine(builtinPolicies, { 'no-any-to-any': { severity: 'urgent' as 'high' } });

      expect(engine.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['invalid-policy-setting']);
      expect(engine.diagnostics[0]!.summary).toContain('severity');
      const report = await engine.evaluate(await planOf([firewallRule('open', anyToAny)]));
      expect(report.results[0]!.severity).toBe('high');
    });

    it('reports two policies with one id and keeps the first', async () => {
      const first = perRulePolicy();
      const second = perRulePolicy({ severity: 'critical', evaluate: () => [] });
      const engine = new PolicyEngine([first, second]);

      expect(engine.diagnostics).toEqual([
        expect.objectContaining({ code: 'duplicate-policy', severity: 'error' }),
      ]);
      const report = await engine.evaluate(await planOf([firewallRule('r', anyToAny)]));
      expect(report.evaluated).toEqual(['flag-rules']);
      expect(report.results).toHaveLength(1);
      expect(report.results[0]!.severity).toBe('low');
    });
  });

  describe('a broken policy fails closed', () => {
    const throwing = (enforcement: 'mandatory' | 'advisory') =>
      definePolicy({
        id: 'explodes',
        description: 'Throws (test policy).',
        severity: 'high',
        enforcement,
        evaluate: () => {
          throw new Error('cannot read properties of undefined (reading "ingress")');
        },
      });

    it('turns a throw in a mandatory policy into a blocking policy-failed violation; the others still run', async () => {
      const engine = new PolicyEngine([throwing('mandatory'), ...builtinPolicies]);

      const report = await engine.evaluate(await planOf([firewallRule('open', anyToAny)]));

      const failed = report.results.find((result) => result.policy === 'explodes');
      expect(failed).toMatchObject({
        status: 'violation',
        code: 'policy-failed',
        enforcement: 'mandatory',
        severity: 'high',
      });
      expect(failed!.summary).toContain('"explodes"');
      expect(failed!.detail).toContain('reading "ingress"');
      expect(report.results.some((result) => result.policy === 'no-any-to-any')).toBe(true);
      expect(report.evaluated).toContain('explodes');
      expect(report.blocked).toBe(true);
    });

    it('blocks on a failed mandatory policy even when the plan is otherwise clean', async () => {
      const report = await new PolicyEngine([throwing('mandatory')]).evaluate(await planOf([]));

      expect(report.results.map((result) => result.code)).toEqual(['policy-failed']);
      expect(report.blocked).toBe(true);
    });

    it('reports a failed advisory policy without blocking', async () => {
      const report = await new PolicyEngine([throwing('advisory')]).evaluate(await planOf([]));

      expect(report.results.map((result) => result.code)).toEqual(['policy-failed']);
      expect(report.blocked).toBe(false);
    });

    it.each([
      ['rejects', () => Promise.reject(new Error('lookup timed out'))],
      [
        'returns something that is not a list',
        () => ({ summary: 'not a list' }) as unknown as PolicyFinding[],
      ],
      [
        'throws something that is not an Error',
        () => {
          throw 'plain text';
        },
      ],
    ])('treats a policy that %s as failed', async (_, evaluate) => {
      const policy = definePolicy({
        id: 'odd',
        description: 'Misbehaves (test policy).',
        severity: 'medium',
        enforcement: 'mandatory',
        evaluate,
      });

      const report = await new PolicyEngine([policy]).evaluate(await planOf([]));

      expect(report.results).toHaveLength(1);
      expect(report.results[0]).toMatchObject({ code: 'policy-failed', status: 'violation' });
      expect(report.results[0]!.detail).not.toBe('');
      expect(report.blocked).toBe(true);
    });
  });

  describe('which steps are evaluated', () => {
    async function planWithEveryAction(): Promise<Plan> {
      // Every rule is any-to-any; only the planned action differs.
      const state = new MemoryState([
        record('kept', anyToAny),
        record('changed', { ...anyToAny, description: 'old' }),
        record('moved', { ...anyToAny, interface: 'lan' }),
        record('gone', anyToAny),
      ]);
      const plan = await planOf(
        [
          firewallRule('kept', anyToAny),
          firewallRule('changed', { ...anyToAny, description: 'new' }),
          firewallRule('moved', { ...anyToAny, interface: 'opt1' }),
          firewallRule('new', anyToAny),
        ],
        { state, types: { describe: () => ({ replaceOn: ['interface'] }) } },
      );
      const actions = Object.fromEntries(plan.steps.map((step) => [step.name, step.action]));
      expect(actions).toEqual({
        kept: 'same',
        changed: 'update',
        moved: 'replace',
        new: 'create',
        gone: 'delete',
      });
      return plan;
    }

    it('checks creates, updates and replaces, never unchanged or deleted resources', async () => {
      const report = await new PolicyEngine(builtinPolicies).evaluate(await planWithEveryAction());

      expect(report.results.map((result) => result.address)).toEqual([
        'opnsense:firewall:rule:changed',
        'opnsense:firewall:rule:moved',
        'opnsense:firewall:rule:new',
      ]);
    });

    it('still shows custom policies the whole plan', async () => {
      const report = await new PolicyEngine([perRulePolicy()]).evaluate(await planWithEveryAction());

      expect(report.results.map((result) => result.summary).sort()).toEqual([
        'create new',
        'delete gone',
        'replace moved',
        'same kept',
        'update changed',
      ]);
    });
  });

  describe('checkPlan', () => {
    it('returns the plan with its report attached and leaves the input alone', async () => {
      const plan = await planOf([firewallRule('open', anyToAny)]);
      const engine = new PolicyEngine(builtinPolicies);

      const checked = await checkPlan(plan, engine);

      expect(checked.policies).toEqual(await engine.evaluate(plan));
      expect(checked.policies?.blocked).toBe(true);
      expect(checked.steps).toBe(plan.steps);
      expect(plan.policies).toBeUndefined();
    });
  });
});
