// Test helpers: plans built the real way (a deployment through the planner) and the policy engine run over them,
// so each test reads as the resources it is about and the findings it expects.
import { hasErrors } from '../../../src/model/diagnostic.js';
import type { Plan, PolicyReport, PolicyResult } from '../../../src/model/plan.js';
import type { Resource } from '../../../src/model/resource.js';
import type { StateReader } from '../../../src/model/resource-record.js';
import type { TypeCatalog } from '../../../src/model/type-catalog.js';
import { planDeployment } from '../../../src/plan/planner.js';
import { builtinPolicies } from '../../../src/policy/builtin/index.js';
import { PolicyEngine, type PolicySettings } from '../../../src/policy/engine.js';

export const DEPLOYMENT = 'policy-test';

export type ResourceInput = Omit<Resource, 'dependsOn'> & { dependsOn?: string[] };
export type Settings = Record<string, PolicySettings>;
type Properties = Record<string, unknown>;

export function firewallRule(name: string, properties: Properties): ResourceInput {
  return { server: 'opnsense', type: 'firewall:rule', name, properties };
}

export function portForward(name: string, properties: Properties): ResourceInput {
  return { server: 'opnsense', type: 'firewall:nat', name, properties };
}

export function securityGroup(name: string, ingress: unknown): ResourceInput {
  return { server: 'aws', type: 'ec2:securityGroup', name, properties: { ingress } };
}

export function dockerContainer(name: string, properties: Properties): ResourceInput {
  return { server: 'docker', type: 'container', name, properties: { image: 'nginx:1.27', ...properties } };
}

export function lxcContainer(name: string, properties: Properties): ResourceInput {
  return { server: 'proxmox', type: 'lxc', name, properties: { ostemplate: 'debian-12', ...properties } };
}

/** An instance that does not exist yet: any of its outputs, e.g. {@link WEB_PRIVATE_IP}, is unknown at plan time. */
export const webInstance: ResourceInput = {
  server: 'aws',
  type: 'ec2:instance',
  name: 'web',
  properties: { instanceType: 't3.micro' },
};
export const WEB_PRIVATE_IP = '${aws:ec2:web.privateIp}';
export const WEB_PORT = '${aws:ec2:web.port}';

export interface PlanOptions {
  state?: StateReader;
  types?: TypeCatalog;
}

/**
 * Plans the resources as one deployment. Fails the test on planner errors: a plan with errors has no steps, and every
 * policy would then pass without having looked at anything.
 */
export async function planOf(resources: readonly ResourceInput[], options: PlanOptions = {}): Promise<Plan> {
  const plan = await planDeployment({
    deployment: {
      name: DEPLOYMENT,
      resources: resources.map((resource) => ({ ...resource, dependsOn: resource.dependsOn ?? [] })),
    },
    ...(options.state ? { state: options.state } : {}),
    ...(options.types ? { types: options.types } : {}),
  });
  if (hasErrors(plan.diagnostics)) {
    throw new Error(
      `The test deployment does not plan: ${plan.diagnostics.map((item) => item.summary).join(' ')}`,
    );
  }
  const planned = new Set(plan.steps.map((step) => `${step.server}:${step.type}:${step.name}`));
  for (const resource of resources) {
    const address = `${resource.server}:${resource.type}:${resource.name}`;
    if (!planned.has(address)) throw new Error(`The plan has no step for ${address}.`);
  }
  return plan;
}

/** Plans the resources and runs every built-in policy over them. */
export async function evaluate(
  resources: readonly ResourceInput[],
  settings: Settings = {},
): Promise<PolicyReport> {
  const engine = new PolicyEngine(builtinPolicies, settings);
  if (engine.diagnostics.length > 0) {
    throw new Error(
      `Bad policy settings in the test: ${engine.diagnostics.map((item) => item.summary).join(' ')}`,
    );
  }
  return engine.evaluate(await planOf(resources));
}

export function violations(report: PolicyReport, policy?: string): PolicyResult[] {
  return report.results.filter(
    (result) => result.status === 'violation' && (!policy || result.policy === policy),
  );
}

export function unverifiable(report: PolicyReport, policy?: string): PolicyResult[] {
  return report.results.filter(
    (result) => result.status === 'unverifiable' && (!policy || result.policy === policy),
  );
}

/** The only result of the report; fails when there are none or several, listing them. */
export function onlyResult(report: PolicyReport): PolicyResult {
  if (report.results.length !== 1) {
    const found = report.results.map((result) => `${result.policy} ${result.status}: ${result.summary}`);
    throw new Error(`Expected exactly one policy result, got ${report.results.length}:\n${found.join('\n')}`);
  }
  return report.results[0]!;
}

/** A copy of an object without some keys: "the same rule, but with no interface". */
export function without<T extends object>(value: T, ...keys: string[]): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const key of keys) delete copy[key];
  return copy as T;
}
