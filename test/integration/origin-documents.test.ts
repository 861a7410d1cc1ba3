// The behaviour the origin documents (../shared/origin-docs/04-multi-mcp-integration.md) expect, through the real
// pipeline: deployment file → loader → planner → policy engine with every built-in policy.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseDeploymentText } from '../../src/model/load-deployment.js';
import type { Plan } from '../../src/model/plan.js';
import { planDeployment } from '../../src/plan/planner.js';
import { builtinPolicies } from '../../src/policy/builtin/index.js';
import { checkPlan, PolicyEngine } from '../../src/policy/engine.js';
import { MemoryState } from '../../src/state/memory-state.js';

const fixture = new URL('../fixtures/origin/load-balanced-web-app.json', import.meta.url);

async function planText(text: string, file: string, state?: MemoryState): Promise<Plan> {
  const loaded = parseDeploymentText(text, { file });
  expect(loaded.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  const plan = await planDeployment({ deployment: loaded.deployment!, ...(state ? { state } : {}) });
  return checkPlan(plan, new PolicyEngine(builtinPolicies));
}

function waveOf(plan: Plan, address: string): number {
  const step = plan.steps.find((candidate) => candidate.address === address);
  if (step?.wave === undefined) throw new Error(`${address} has no wave`);
  return step.wave;
}

describe('LoadBalancedWebAppPattern output (test-app, test.example.com, 2..10 instances)', () => {
  it('reports the reference to the target group it never defines', async () => {
    const plan = await planText(await readFile(fixture, 'utf8'), 'load-balanced-web-app.json');
    const errors = plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'unresolved-reference',
      address: 'aws:autoscaling:group:test-app-asg',
      path: 'properties.targetGroupArns[0]',
    });
    expect(errors[0]!.summary).toContain('${aws:elb:targetGroup:test-app-tg.arn}');
  });

  it('plans cleanly across opnsense, aws and docker once the target group exists', async () => {
    const document = JSON.parse(await readFile(fixture, 'utf8'));
    document.serverResources.aws.push({
      type: 'aws:elb:targetGroup',
      name: 'test-app-tg',
      properties: { port: 8080, protocol: 'HTTP' },
    });
    const plan = await planText(JSON.stringify(document), 'web-app.json');
    expect(plan.diagnostics).toEqual([]);
    expect(new Set(plan.steps.map((step) => step.server))).toEqual(new Set(['opnsense', 'aws', 'docker']));
    expect(plan.summary.create).toBe(11);
    // The certificate comes before the HAProxy frontend that uses it.
    expect(waveOf(plan, 'aws:acm:certificate:test-app-cert')).toBeLessThan(
      waveOf(plan, 'opnsense:service:haproxy:frontend:test-app-frontend'),
    );
    // `asg` is an alias of autoscaling:group; the push depends on the image by bare name.
    expect(plan.steps.find((step) => step.name === 'test-app-servers')!.dependsOn).toEqual([
      'aws:autoscaling:group:test-app-asg',
    ]);
    expect(plan.steps.find((step) => step.name === 'test-app-push')!.dependsOn).toEqual([
      'docker:image:build:test-app-image',
    ]);
    expect(plan.policies?.blocked).toBe(false);
    // The HTTPS rule's destination is only known after apply: a warning to check then, not a silent pass.
    expect(plan.policies?.results).toEqual([
      expect.objectContaining({
        policy: 'no-any-to-any',
        status: 'unverifiable',
        address: 'opnsense:firewall:rule:test-app-allow-https',
      }),
    ]);
  });
});

describe('cross-MCP references', () => {
  const document = {
    serverResources: {
      aws: [{ type: 'aws:ec2:instance', name: 'web-server', properties: { instanceType: 't3.micro' } }],
      opnsense: [
        {
          type: 'opnsense:firewall:rule',
          name: 'allow-web',
          properties: { destination: '${aws:ec2:web-server.privateIp}', action: 'pass' },
        },
      ],
    },
  };

  it('plans an edge from the instance to the rule', async () => {
    const plan = await planText(JSON.stringify(document), 'cross-reference.json');
    const rule = plan.steps.find((step) => step.address === 'opnsense:firewall:rule:allow-web')!;
    expect(rule.dependsOn).toEqual(['aws:ec2:instance:web-server']);
    expect(plan.waves).toEqual([['aws:ec2:instance:web-server'], ['opnsense:firewall:rule:allow-web']]);
    expect(rule.after?.destination).toEqual({ $unknown: '${aws:ec2:web-server.privateIp}' });
  });

  it('resolves the reference from the instance output once the instance exists', async () => {
    const state = new MemoryState([
      {
        address: 'aws:ec2:instance:web-server',
        server: 'aws',
        type: 'ec2:instance',
        name: 'web-server',
        deployment: 'cross-reference',
        id: 'i-0abc',
        properties: { instanceType: 't3.micro' },
        outputs: { privateIp: '10.0.1.100' },
        dependsOn: [],
      },
    ]);
    const plan = await planText(JSON.stringify(document), 'cross-reference.json', state);
    const rule = plan.steps.find((step) => step.address === 'opnsense:firewall:rule:allow-web')!;
    expect(rule.after?.destination).toBe('10.0.1.100');
  });
});

describe('policy enforcement', () => {
  it("gives exactly one violation for the document's bad rule, saying any-to-any", async () => {
    const document = {
      serverResources: {
        opnsense: [
          {
            type: 'opnsense:firewall:rule',
            name: 'bad-rule',
            properties: { source: 'any', destination: 'any', action: 'pass' },
          },
        ],
      },
    };
    const plan = await planText(JSON.stringify(document), 'bad-rule.json');
    const violations = plan.policies!.results.filter((result) => result.status === 'violation');
    expect(violations).toHaveLength(1);
    expect(violations[0]!.summary).toContain('any-to-any traffic');
    expect(plan.policies!.results).toHaveLength(1);
    expect(plan.policies!.blocked).toBe(true);
  });
});
