// Seeded random deployments for the executor benchmark, shaped like infrastructure: resources are added in order and
// each builds on 0-3 resources added shortly before it (a container on its VLAN, a DNS record naming the container),
// mostly on its own server, sometimes on another one. Every resource gets a provider latency of 5-50 ms.
import type { Deployment, Resource } from '../src/model/resource.js';
import { Random } from './random.js';

export const DAG_SERVERS = ['opnsense', 'docker', 'aws', 'dns', 'proxmox'] as const;

export interface RandomDag {
  deployment: Deployment;
  /** Provider latency per resource name, in milliseconds. */
  latencyMs: Map<string, number>;
}

export interface RandomDagOptions {
  resources: number;
  seed: number;
  minLatencyMs?: number;
  maxLatencyMs?: number;
}

/** How many dependencies a resource has: 0 to 3, one or two most often. */
const DEPENDENCY_WEIGHTS = [15, 40, 30, 15];
/** Dependencies are picked among the last this many resources: chains stay local, as in real deployments. */
const WINDOW = 60;
/** The chance that a dependency is on the resource's own server rather than any server. */
const SAME_SERVER = 0.7;

export function generateRandomDag(options: RandomDagOptions): RandomDag {
  const random = new Random(options.seed);
  const minLatency = options.minLatencyMs ?? 5;
  const maxLatency = options.maxLatencyMs ?? 50;
  const resources: Resource[] = [];
  const latencyMs = new Map<string, number>();
  const byServer = new Map<string, number[]>(DAG_SERVERS.map((server) => [server, []]));
  for (let index = 0; index < options.resources; index++) {
    const server = random.pick(DAG_SERVERS);
    const name = `r${index}`;
    const dependencies = new Set<number>();
    const wanted = Math.min(random.weighted(DEPENDENCY_WEIGHTS), index);
    const sameServer = byServer.get(server)!.filter((earlier) => earlier >= index - WINDOW);
    for (let attempt = 0; dependencies.size < wanted && attempt < 10; attempt++) {
      const earlier =
        random.next() < SAME_SERVER && sameServer.length > 0
          ? random.pick(sameServer)
          : random.integer(Math.max(0, index - WINDOW), index - 1);
      dependencies.add(earlier);
    }
    resources.push({
      server,
      type: 'item',
      name,
      properties: { index },
      dependsOn: [...dependencies].map((earlier) => `${resources[earlier]!.server}:item:r${earlier}`),
    });
    byServer.get(server)!.push(index);
    latencyMs.set(name, random.integer(minLatency, maxLatency));
  }
  return { deployment: { name: 'bench', resources }, latencyMs };
}
