// Planning a pattern's deployment in-process as `conductor plan` does: resolve the parameters, generate, plan with
// the sandbox servers' own type catalog (schemas, replacement, references) and check the built-in policies.

import { builtinPatterns } from '../../patterns/index.js';
import { generateDeployment, type Pattern, resolveParams } from '../../src/agent/pattern.js';
import { planChecked } from '../../src/cli/plan-file.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Plan } from '../../src/model/plan.js';
import type { Deployment } from '../../src/model/resource.js';
import { ProviderTypeCatalog, type ProviderTypeInfo } from '../../src/providers/provider-type-catalog.js';
import { describeType, SANDBOX_PROVIDERS, sandboxProvider } from '../../src/sandbox/index.js';

/**
 * What every sandbox server says about its types, without starting one. The schemas lose their `$schema` line: zod
 * writes draft 2020-12 there, which the planner's Ajv (draft-07) cannot compile and then skips validation silently;
 * without it the planner checks every property, as these tests need.
 */
export const sandboxTypes = new ProviderTypeCatalog(
  SANDBOX_PROVIDERS.flatMap((server) =>
    sandboxProvider(server).types.map((spec): ProviderTypeInfo => {
      const { $schema: _dialect, ...schema } = describeType(spec).schema;
      return {
        ...describeType(spec),
        schema,
        server,
        source: 'native',
        operations: { create: true, read: true, update: true, delete: true, list: true, missing: {} },
      };
    }),
  ),
);

export function patternNamed(name: string): Pattern {
  const pattern = builtinPatterns.find((candidate) => candidate.name === name);
  if (!pattern) throw new Error(`no built-in pattern "${name}"`);
  return pattern;
}

/** Resolves and generates; fails the test with the reasons when either step does not succeed. */
export function generate(name: string, input: Record<string, unknown>): Deployment {
  const pattern = patternNamed(name);
  const resolved = resolveParams(pattern, input);
  if (!resolved.ok) {
    throw new Error(`${name} ${JSON.stringify(input)}: parameters not accepted: ${JSON.stringify(resolved)}`);
  }
  const generated = generateDeployment(pattern, resolved.params);
  const errors = generated.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (!generated.deployment || errors.length > 0) {
    throw new Error(`${name} ${JSON.stringify(input)}: ${formatDiagnostics(generated.diagnostics)}`);
  }
  return generated.deployment;
}

/** Plans against an empty state with an empty project directory (built-in policies, no config). */
export async function plan(deployment: Deployment, cwd: string): Promise<Plan> {
  return await planChecked(deployment, {
    cwd,
    env: { CONDUCTOR_HOME: cwd },
    typesFor: async () => ({ types: sandboxTypes, diagnostics: [] }),
  });
}

export function errorsOf(plan: Plan): Diagnostic[] {
  return plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
}

/** Mandatory policy violations: what blocks an apply. */
export function blockingViolations(plan: Plan) {
  return (plan.policies?.results ?? []).filter(
    (result) => result.status === 'violation' && result.enforcement === 'mandatory',
  );
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map(
      (diagnostic) => `${diagnostic.severity} ${diagnostic.code}: ${diagnostic.summary} ${diagnostic.detail}`,
    )
    .join('\n');
}

/** `server:type:name` of every resource, in order. */
export function addresses(deployment: Deployment): string[] {
  return deployment.resources.map((resource) => `${resource.server}:${resource.type}:${resource.name}`);
}

export function resource(deployment: Deployment, server: string, name: string) {
  const found = deployment.resources.find((entry) => entry.server === server && entry.name === name);
  if (!found)
    throw new Error(
      `${deployment.name} has no ${server} resource "${name}": ${addresses(deployment).join(', ')}`,
    );
  return found;
}

/**
 * Parameters per pattern: first its defaults (only the required parameters given; for firewall-rule, whose defaults
 * the policies refuse, a typical request), then parameters that change the deployment's shape.
 */
export const CASES: ReadonlyArray<{ pattern: string; params: Record<string, unknown> }> = [
  { pattern: 'game-server', params: { game: 'minecraft' } },
  { pattern: 'game-server', params: { game: 'minecraft', public: false } },
  { pattern: 'game-server', params: { game: 'valheim', players: 5 } },
  { pattern: 'game-server', params: { game: 'factorio', vlanTag: 300, hostname: 'factorio' } },
  { pattern: 'game-server', params: { game: 'terraria', memoryGb: 1.5 } },
  { pattern: 'game-server', params: { game: 'satisfactory', players: 4 } },
  { pattern: 'web-app', params: { appName: 'shop', domain: 'shop.example.com' } },
  { pattern: 'web-app', params: { appName: 'api', domain: 'api.example.com', minInstances: 5 } },
  { pattern: 'web-app', params: { appName: 'shop', domain: 'shop.example.com', platform: 'aws' } },
  {
    pattern: 'web-app',
    params: {
      appName: 'My Blog',
      domain: 'blog.example.org',
      platform: 'aws',
      minInstances: 3,
      maxInstances: 10,
    },
  },
  { pattern: 'dev-environment', params: {} },
  {
    pattern: 'dev-environment',
    params: { name: 'sandbox', databases: ['mysql', 'mongodb'], cache: false, vlanTag: 55 },
  },
  { pattern: 'database-cluster', params: { engine: 'postgres' } },
  {
    pattern: 'database-cluster',
    params: { engine: 'mysql', replicas: 5, version: '8.0', storageGb: 100, allowFrom: ['10.20.0.0/24'] },
  },
  { pattern: 'database-cluster', params: { engine: 'mongodb', replicas: 1 } },
  { pattern: 'database-cluster', params: { engine: 'redis', vlanTag: 45, backupSchedule: '0 3 * * *' } },
  { pattern: 'iot-network', params: {} },
  { pattern: 'iot-network', params: { vlanTag: 35, internetAccess: false } },
  { pattern: 'iot-network', params: { name: 'cameras', isolate: false, mqtt: true } },
  { pattern: 'vpn-access', params: {} },
  {
    pattern: 'vpn-access',
    params: { peers: 3, port: 51821, tunnelNetwork: '10.9.0.0/24', lanAccess: false },
  },
  { pattern: 'media-server', params: {} },
  { pattern: 'media-server', params: { app: 'plex', storageGb: 2000, vlanTag: 60 } },
  { pattern: 'media-server', params: { app: 'emby', remoteAccess: true, hostname: 'media.example.com' } },
  {
    pattern: 'expose-service',
    params: { hostname: 'ha.example.com', targetHost: '192.168.1.50', targetPort: 8123 },
  },
  {
    pattern: 'expose-service',
    params: {
      hostname: 'grafana.home.arpa',
      targetHost: '10.0.0.5',
      targetPort: 3000,
      tls: false,
      public: false,
    },
  },
  { pattern: 'firewall-rule', params: { port: 443, destination: '10.0.0.5' } },
  {
    pattern: 'firewall-rule',
    params: { action: 'block', protocol: 'udp', port: 53, source: '10.30.0.0/24', interface: 'lan' },
  },
];
