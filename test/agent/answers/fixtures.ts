// Deployments applied for real (planner + executor + in-memory state) against a FakeGateway whose outputs look like
// the sandbox servers' (VLAN devices, container addresses and status, forward and record details), so queries,
// troubleshooting and restores run on the same records a real apply leaves.
import { executePlan } from '../../../src/execute/executor.js';
import { FakeGateway, type FakeOutputsRequest } from '../../../src/execute/fake-gateway.js';
import type { Properties } from '../../../src/execute/provider-gateway.js';
import type { Plan } from '../../../src/model/plan.js';
import type { Deployment } from '../../../src/model/resource.js';
import { planDeployment } from '../../../src/plan/planner.js';
import type { ServerInventory } from '../../../src/providers/inventory.js';
import { createMemoryStateStore } from '../../../src/state/memory-backend.js';
import type { LockOwner } from '../../../src/state/records.js';
import type { StateStore } from '../../../src/state/state-store.js';

export const WAN_ADDRESS = '203.0.113.10';

/** What the sandbox would answer with, for the types these tests use. */
export function sandboxLikeOutputs(request: FakeOutputsRequest): Properties {
  const { type, name, properties } = request;
  switch (type) {
    case 'network:vlan':
      return { device: `vlan${properties.tag}`, tag: properties.tag, parent: properties.interface };
    case 'dhcp:range':
      return { interface: properties.interface, from: properties.from, to: properties.to };
    case 'network':
      return {
        name,
        driver: properties.driver ?? 'bridge',
        subnet: properties.subnet,
        gateway: properties.gateway,
        parent: properties.parent ?? null,
      };
    case 'container':
      return {
        name,
        ipAddress: properties.ipAddress,
        network: properties.network,
        status: properties.image === 'crashing:latest' ? 'exited' : 'running',
        image: properties.image,
      };
    case 'firewall:nat':
      return {
        externalAddress: WAN_ADDRESS,
        externalPort: String(properties.destinationPort),
        target: properties.target,
        targetPort: String(properties.targetPort ?? properties.destinationPort),
        protocol: properties.protocol ?? 'tcp',
      };
    case 'firewall:rule':
      return { interface: properties.interface ?? 'lan', enabled: properties.enabled ?? true };
    case 'record':
      return { fqdn: properties.name, type: properties.type, values: [properties.value] };
    default:
      return {};
  }
}

export function fakeGateway(options: ConstructorParameters<typeof FakeGateway>[0] = {}): FakeGateway {
  return new FakeGateway({ outputs: sandboxLikeOutputs, ...options });
}

export interface GameServerOptions {
  name?: string;
  tag?: number;
  memory?: string;
  address?: string;
  port?: number;
  public?: boolean;
  image?: string;
}

/** The shape of examples/game-server.yaml: VLAN, DHCP, macvlan network, container, forward, rule, DNS record. */
export function gameServer(options: GameServerOptions = {}): Deployment {
  const name = options.name ?? 'minecraft';
  const tag = options.tag ?? 20;
  const address = options.address ?? `10.${tag}.0.10`;
  const port = options.port ?? 25565;
  const vlan = `${name}-vlan`;
  const resources: Deployment['resources'] = [
    {
      server: 'opnsense',
      type: 'network:vlan',
      name: vlan,
      properties: { tag, interface: 'igc1', description: `${name} VLAN` },
      dependsOn: [],
    },
    {
      server: 'opnsense',
      type: 'dhcp:range',
      name: `${name}-dhcp`,
      properties: {
        interface: `\${opnsense:network:vlan:${vlan}.device}`,
        from: `10.${tag}.0.100`,
        to: `10.${tag}.0.200`,
      },
      dependsOn: [],
    },
    {
      server: 'docker',
      type: 'network',
      name: `${name}-net`,
      properties: {
        driver: 'macvlan',
        parent: `\${opnsense:network:vlan:${vlan}.device}`,
        subnet: `10.${tag}.0.0/24`,
        gateway: `10.${tag}.0.1`,
      },
      dependsOn: [],
    },
    {
      server: 'docker',
      type: 'container',
      name,
      properties: {
        image: options.image ?? 'itzg/minecraft-server:latest',
        memory: options.memory ?? '4g',
        network: `\${docker:network:${name}-net.name}`,
        ipAddress: address,
        ports: [`${port}:${port}/tcp`],
        env: { EULA: 'TRUE', RCON_PASSWORD: 'hunter2-rcon' },
      },
      dependsOn: [],
    },
    {
      server: 'dns',
      type: 'record',
      name: `${name}-dns`,
      properties: {
        name: `${name}.home.arpa`,
        type: 'A',
        value: `\${docker:container:${name}.ipAddress}`,
        ttl: 300,
      },
      dependsOn: [],
    },
  ];
  if (options.public ?? true)
    resources.push(
      {
        server: 'opnsense',
        type: 'firewall:nat',
        name: `${name}-forward`,
        properties: {
          interface: 'wan',
          protocol: 'tcp',
          destinationPort: port,
          target: `\${docker:container:${name}.ipAddress}`,
          targetPort: port,
        },
        dependsOn: [],
      },
      {
        server: 'opnsense',
        type: 'firewall:rule',
        name: `${name}-allow`,
        properties: {
          interface: 'wan',
          action: 'pass',
          protocol: 'tcp',
          source: 'any',
          destination: `\${docker:container:${name}.ipAddress}`,
          destinationPort: port,
        },
        dependsOn: [`${name}-forward`],
      },
    );
  return { name, resources };
}

export const owner: LockOwner = {
  pid: 1,
  host: 'test',
  since: '2026-11-20T00:00:00.000Z',
  operation: 'apply',
  token: 'token',
};

export interface Lab {
  gateway: FakeGateway;
  state: StateStore;
}

export function lab(gateway = fakeGateway()): Lab {
  return { gateway, state: createMemoryStateStore() };
}

let applies = 0;

export interface ApplyOptions {
  /** When the apply runs (epoch ms); revisions are stamped with it. */
  at?: number;
  /** Keep the document on the apply record, as the CLI does (default true). */
  keepSource?: boolean;
  pattern?: string;
  params?: Record<string, unknown>;
}

/** Plans `desired` against state and applies it; fails the test on plan errors or a failed apply. */
export async function applyDeployment(
  desired: Deployment,
  fixture: Lab,
  options: ApplyOptions = {},
): Promise<Plan> {
  const plan = await planDeployment({ deployment: desired, state: fixture.state });
  const errors = plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) throw new Error(`plan errors: ${errors.map((error) => error.summary).join('; ')}`);
  const at = options.at ?? Date.now();
  const result = await executePlan(plan, {
    gateway: fixture.gateway,
    state: fixture.state,
    applyId: `apply-${++applies}`,
    owner,
    now: () => at,
    ...(options.keepSource === false ? {} : { source: desired }),
    ...(options.pattern || options.params
      ? {
          request: {
            ...(options.pattern ? { pattern: options.pattern } : {}),
            ...(options.params ? { params: options.params } : {}),
          },
        }
      : {}),
  });
  if (result.status !== 'succeeded')
    throw new Error(`apply ${result.status}: ${JSON.stringify(result.errors)}`);
  return plan;
}

/** What `inventory()` would report for the fake's holdings; `unreachable` servers answer with a problem. */
export function inventoryOf(
  gateway: FakeGateway,
  unreachable: readonly string[] = [],
): () => Promise<ServerInventory[]> {
  return async () => {
    const snapshot = gateway.snapshot();
    const servers = [...new Set([...Object.keys(snapshot), ...unreachable])];
    return servers.map((server) =>
      unreachable.includes(server)
        ? {
            server,
            resources: [],
            unlisted: [],
            problem: {
              severity: 'error' as const,
              code: 'server-unavailable',
              summary: `Server "${server}" could not be started.`,
              detail: 'It exited with status 1.',
            },
          }
        : { server, resources: snapshot[server] ?? [], unlisted: [] },
    );
  };
}

export function signal(): AbortSignal {
  return new AbortController().signal;
}
