// Everything a question can be answered from: the resources state records (what Conductor deployed), and, when a live
// inventory is given, what the servers hold that state does not know (unmanaged) and what state knows that the
// servers no longer hold (missing). State comes first: it says which deployment owns what.
import type { ProviderResource } from '../../execute/provider-gateway.js';
import { compareText } from '../../model/compare-text.js';
import type { ResourceRecord } from '../../model/resource-record.js';
import type { ServerInventory } from '../../providers/inventory.js';
import type { DeploymentRecord } from '../../state/records.js';
import type { StateStore } from '../../state/state-store.js';

export interface KnownResource {
  address: string;
  server: string;
  type: string;
  name: string;
  id?: string;
  /** The owning deployment; absent for resources only the live inventory shows. */
  deployment?: string;
  properties: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Property paths holding secrets (declared by the deployment). */
  sensitive: readonly string[];
  /** `state`: Conductor manages it. `live`: a server holds it and state does not know it. */
  origin: 'state' | 'live';
  /** State records, when the inventory was read: does the server still hold it? */
  live?: 'present' | 'missing' | 'unknown';
}

export interface KnownWorld {
  resources: KnownResource[];
  deployments: DeploymentRecord[];
  /** Every server named by state or the inventory. */
  servers: string[];
  /** Whether a live inventory was read (even if some servers could not be). */
  inventoryRead: boolean;
  /** Servers the inventory could not read, with why. */
  unreachable: Array<{ server: string; reason: string }>;
  /** Why the inventory as a whole could not be read. */
  inventoryProblem?: string;
}

export interface KnownWorldSources {
  state: StateStore;
  inventory?: () => Promise<ServerInventory[]>;
}

export async function loadKnownWorld(sources: KnownWorldSources): Promise<KnownWorld> {
  const [records, deployments] = await Promise.all([
    sources.state.listResources(),
    sources.state.listDeployments(),
  ]);
  const resources = records.map(fromRecord);
  const world: KnownWorld = {
    resources,
    deployments,
    servers: [...new Set(resources.map((resource) => resource.server))],
    inventoryRead: false,
    unreachable: [],
  };
  if (!sources.inventory) return sortWorld(world);
  let servers: ServerInventory[];
  try {
    servers = await sources.inventory();
  } catch (error) {
    world.inventoryProblem = error instanceof Error ? error.message : String(error);
    return sortWorld(world);
  }
  world.inventoryRead = true;
  world.servers = [...new Set([...world.servers, ...servers.map((server) => server.server)])];
  const byServer = new Map(servers.map((server) => [server.server, server]));
  for (const server of servers) {
    if (server.problem)
      world.unreachable.push({
        server: server.server,
        reason: server.problem.summary.replace(/\.$/, '').replace(`Server "${server.server}" `, ''),
      });
  }
  for (const resource of resources) {
    const server = byServer.get(resource.server);
    if (!server || server.problem || server.unlisted.some((type) => type.type === resource.type)) {
      resource.live = 'unknown';
      continue;
    }
    resource.live = server.resources.some((held) => sameResource(resource, held)) ? 'present' : 'missing';
  }
  for (const server of servers) {
    for (const held of server.resources) {
      const managed = resources.some(
        (resource) => resource.server === server.server && sameResource(resource, held),
      );
      if (!managed) world.resources.push(fromLive(server.server, held));
    }
  }
  return sortWorld(world);
}

function sameResource(resource: KnownResource, held: ProviderResource): boolean {
  if (resource.type !== held.type) return false;
  return resource.id !== undefined && held.id !== '' ? resource.id === held.id : resource.name === held.name;
}

function fromRecord(record: ResourceRecord): KnownResource {
  return {
    address: record.address,
    server: record.server,
    type: record.type,
    name: record.name,
    ...(record.id !== undefined ? { id: record.id } : {}),
    deployment: record.deployment,
    properties: record.properties,
    outputs: record.outputs,
    sensitive: record.sensitive ?? [],
    origin: 'state',
  };
}

function fromLive(server: string, held: ProviderResource): KnownResource {
  return {
    address: `${server}:${held.type}:${held.name}`,
    server,
    type: held.type,
    name: held.name,
    id: held.id,
    properties: held.properties,
    outputs: held.outputs,
    sensitive: [],
    origin: 'live',
  };
}

/** Resources read from the network up: VLANs, addressing, networks, machines, the firewall, then names. */
const LAYERS: ReadonlyArray<(type: string) => boolean> = [
  (type) => type === 'network:vlan' || type === 'vpc:subnet',
  (type) => type.startsWith('dhcp:'),
  (type) => type === 'network' || type === 'volume',
  (type) => ['container', 'vm', 'lxc', 'ec2:instance'].includes(type),
  (type) => type === 'firewall:nat',
  (type) => type.startsWith('firewall:') || type === 'ec2:securityGroup',
  (type) => type === 'record' || type.startsWith('dns:'),
];

function layerOf(type: string): number {
  const index = LAYERS.findIndex((test) => test(type));
  return index === -1 ? LAYERS.length : index;
}

function sortWorld(world: KnownWorld): KnownWorld {
  world.resources.sort(
    (a, b) =>
      compareText(a.deployment ?? '\uffff', b.deployment ?? '\uffff') ||
      layerOf(a.type) - layerOf(b.type) ||
      compareText(a.address, b.address),
  );
  return world;
}

/** Resources grouped by owning deployment (unmanaged last, under `undefined`), order kept. */
export function groupByDeployment(
  resources: readonly KnownResource[],
): Array<[deployment: string | undefined, resources: KnownResource[]]> {
  const groups = new Map<string | undefined, KnownResource[]>();
  for (const resource of resources) {
    const group = groups.get(resource.deployment) ?? [];
    group.push(resource);
    groups.set(resource.deployment, group);
  }
  return [...groups.entries()].sort(([a], [b]) => compareText(a ?? '\uffff', b ?? '\uffff'));
}
