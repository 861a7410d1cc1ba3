// Shared pieces for the executor tests: small deployments planned by the real planner, applied by the real executor
// against the FakeGateway and the in-memory state store, and ways to compare what the fake holds with state.

import type { ApplyResult } from '../../src/execute/apply-result.js';
import { type ExecuteOptions, executePlan } from '../../src/execute/executor.js';
import type { FakeGateway } from '../../src/execute/fake-gateway.js';
import type { Plan } from '../../src/model/plan.js';
import type { Deployment, Resource } from '../../src/model/resource.js';
import type { TypeCatalog, TypeInfo } from '../../src/model/type-catalog.js';
import { planDeployment } from '../../src/plan/planner.js';
import type { LockOwner } from '../../src/state/records.js';
import type { StateStore } from '../../src/state/state-store.js';

export function resource(
  address: string,
  properties: Record<string, unknown> = {},
  dependsOn: string[] = [],
): Resource {
  const parts = address.split(':');
  return {
    server: parts[0]!,
    type: parts.slice(1, -1).join(':'),
    name: parts[parts.length - 1]!,
    properties,
    dependsOn,
  };
}

export function deployment(resources: Resource[], name = 'site'): Deployment {
  return { name, resources };
}

export const owner: LockOwner = {
  pid: 1,
  host: 'test',
  since: '2026-01-01T00:00:00.000Z',
  operation: 'apply site',
  token: 'token',
};

/** Types by `server:type`. */
export function catalog(types: Record<string, TypeInfo>): TypeCatalog {
  return { describe: (server, type) => types[`${server}:${type}`] };
}

let applies = 0;

export async function planFor(desired: Deployment, state: StateStore, types?: TypeCatalog): Promise<Plan> {
  const plan = await planDeployment({ deployment: desired, state, ...(types ? { types } : {}) });
  const errors = plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0)
    throw new Error(`the test plan has errors: ${errors.map((error) => error.summary).join('; ')}`);
  return plan;
}

export interface ApplyFixture {
  gateway: FakeGateway;
  state: StateStore;
  types?: TypeCatalog;
}

/** Plans `desired` against state and applies it; retries and timeouts are short so failing tests stay fast. */
export async function apply(
  desired: Deployment,
  fixture: ApplyFixture,
  options: Partial<ExecuteOptions> = {},
): Promise<{ plan: Plan; result: ApplyResult }> {
  const plan = await planFor(desired, fixture.state, fixture.types);
  const result = await executePlan(plan, {
    gateway: fixture.gateway,
    state: fixture.state,
    applyId: `apply-${++applies}`,
    owner,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    timeoutMs: 5_000,
    ...options,
  });
  return { plan, result };
}

export interface ComparableResource {
  server: string;
  type: string;
  name: string;
  properties: unknown;
}

/**
 * What the fake holds, with every provider id inside properties replaced by the server/type/name of the resource
 * that has it now. Re-created resources get new ids; this compares what matters: the same resources, pointing at the
 * same resources.
 */
export function comparableHoldings(gateway: FakeGateway): ComparableResource[] {
  const snapshot = gateway.snapshot();
  const names = new Map<string, string>();
  for (const [server, resources] of Object.entries(snapshot)) {
    for (const held of resources) names.set(held.id, `<${server}:${held.type}:${held.name}>`);
  }
  const replaceIds = (value: unknown): unknown => {
    if (typeof value === 'string') return names.get(value) ?? value;
    if (Array.isArray(value)) return value.map(replaceIds);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replaceIds(inner)]));
    }
    return value;
  };
  return Object.entries(snapshot).flatMap(([server, resources]) =>
    resources.map((held) => ({
      server,
      type: held.type,
      name: held.name,
      properties: replaceIds(held.properties),
    })),
  );
}

/** Differences between state's records and what the fake holds; empty when they agree exactly. */
export async function stateVersusProvider(state: StateStore, gateway: FakeGateway): Promise<string[]> {
  const problems: string[] = [];
  const held = new Map<
    string,
    { server: string; resource: ReturnType<FakeGateway['snapshot']>[string][number] }
  >();
  for (const [server, resources] of Object.entries(gateway.snapshot())) {
    for (const resource of resources) held.set(resource.id, { server, resource });
  }
  const recorded = await state.listResources();
  for (const record of recorded) {
    const found = record.id === undefined ? undefined : held.get(record.id);
    if (!found) {
      problems.push(`state has ${record.address} (id ${record.id}), the provider does not`);
      continue;
    }
    held.delete(record.id!);
    const { resource, server } = found;
    if (server !== record.server || resource.type !== record.type || resource.name !== record.name)
      problems.push(
        `${record.address}: id ${record.id} is ${server}:${resource.type}:${resource.name} on the provider`,
      );
    if (JSON.stringify(resource.properties) !== JSON.stringify(record.properties))
      problems.push(
        `${record.address}: properties differ: ${JSON.stringify(record.properties)} vs ${JSON.stringify(resource.properties)}`,
      );
    if (JSON.stringify(resource.outputs) !== JSON.stringify(record.outputs))
      problems.push(`${record.address}: outputs differ`);
  }
  for (const { server, resource } of held.values())
    problems.push(
      `the provider holds ${server}:${resource.type}:${resource.name} (${resource.id}), state does not`,
    );
  return problems;
}

/** A small seeded generator (mulberry32), so randomized tests fail the same way every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A promise with its resolve function outside, for driving tasks by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
