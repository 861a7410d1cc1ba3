// Baseline only: the deployment shape of /work/shared/origin-docs/04-multi-mcp-integration.md §2
// (`MultiMCPDeployment.serverResources`, resources with `dependencies`), built from the benchmark's JSON input so the
// seed algorithm can run on it. Not used by Conductor.
import { CrossMCPReference } from './cross-mcp-reference.js';

export interface SeedResource {
  type: string;
  name: string;
  /** The doc's global node id is `${server}:${resource.id}`; names are unique per server, so the name is the id. */
  id: string;
  properties: Record<string, unknown>;
  dependencies: string[];
}

/**
 * The doc keeps `serverResources` in a Map, which `JSON.stringify` (used by its `resolveReferences`) writes as `{}`.
 * A plain object keeps the doc's round trip working, with the same iteration order.
 */
export interface MultiMCPDeployment {
  name: string;
  serverResources: Record<string, SeedResource[]>;
}

interface InputResource {
  server: string;
  type: string;
  name: string;
  properties?: Record<string, unknown>;
  dependsOn?: string[];
}

/**
 * Groups resources by server. The doc's graph reads only `resource.dependencies`, while references imply
 * dependencies too (a resource cannot read an output that does not exist yet), so each reference found with
 * `CrossMCPReference.parse` is declared as a dependency here: otherwise the seed would plan a different graph.
 */
export function toMultiMCPDeployment(input: {
  name: string;
  resources: InputResource[];
}): MultiMCPDeployment {
  const serverResources: Record<string, SeedResource[]> = {};
  for (const resource of input.resources) {
    const properties = resource.properties ?? {};
    const dependencies = [...(resource.dependsOn ?? [])];
    collectReferences(properties, dependencies);
    serverResources[resource.server] ??= [];
    serverResources[resource.server]!.push({
      type: resource.type,
      name: resource.name,
      id: resource.name,
      properties,
      dependencies,
    });
  }
  return { name: input.name, serverResources };
}

/** Adds `server:name` for every reference in the value, the form the doc treats as a cross-server dependency. */
function collectReferences(value: unknown, dependencies: string[]): void {
  if (typeof value === 'string') {
    const reference = CrossMCPReference.parse(value);
    if (reference) {
      // The regex's resourceId keeps the rest of a multi-segment type (`vlan:vlan-3`); the name is its last part.
      const name = `${reference.resourceType}:${reference.resourceId}`.split(':').pop()!;
      dependencies.push(`${reference.server}:${name}`);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, dependencies);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectReferences(item, dependencies);
  }
}
