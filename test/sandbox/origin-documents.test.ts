// The origin documents' deployments, created resource by resource through the engines with their literal property
// names, each reference replaced by the output the referenced resource really produced, in dependency order: what an
// apply on the sandbox does. Then destroyed in reverse order, leaving every inventory empty.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { SandboxEngine } from '../../src/sandbox/engine.js';
import { OPNSENSE_WAN_ADDRESS } from '../../src/sandbox/providers/opnsense.js';
import type { SandboxProviderName } from '../../src/sandbox/server-command.js';
import { openTestEngine, refusal } from './support.js';

interface DocumentResource {
  server: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
}

/** `${server:type...:name.output}` → the output of the resource of that name on that server. */
const REFERENCE = /^\$\{([^:}]+):(?:[^}]*:)?([^:.}]+)\.([^}]+)\}$/;

class Sandbox {
  readonly engines = new Map<string, SandboxEngine>();
  readonly outputs = new Map<string, Record<string, unknown>>();
  readonly created: { server: string; type: string; id: string }[] = [];
  variables: Record<string, unknown> = {};

  async open(providers: SandboxProviderName[]): Promise<void> {
    for (const provider of providers) this.engines.set(provider, (await openTestEngine(provider)).engine);
  }

  resolve(value: unknown): unknown {
    if (typeof value === 'string') {
      const variable = /^\$\{var\.(\w+)\}$/.exec(value);
      if (variable) return this.variables[variable[1]!];
      const match = REFERENCE.exec(value);
      if (!match) return value;
      const outputs = this.outputs.get(`${match[1]}:${match[2]}`);
      if (!outputs) throw new Error(`${value} is used before ${match[2]} exists`);
      return outputs[match[3]!];
    }
    if (Array.isArray(value)) return value.map((entry) => this.resolve(entry));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, this.resolve(entry)]));
    }
    return value;
  }

  async create(resource: DocumentResource): Promise<Record<string, unknown>> {
    const engine = this.engines.get(resource.server)!;
    const type = resource.type.startsWith(`${resource.server}:`)
      ? resource.type.slice(resource.server.length + 1)
      : resource.type;
    const properties = this.resolve(resource.properties) as Record<string, unknown>;
    const { id, outputs } = await engine.create({ type, name: resource.name, properties });
    this.outputs.set(`${resource.server}:${resource.name}`, outputs);
    this.created.push({ server: resource.server, type, id });
    return outputs;
  }

  async destroyAll(): Promise<void> {
    for (const { server, type, id } of [...this.created].reverse())
      await this.engines.get(server)!.delete({ type, id });
    for (const engine of this.engines.values()) expect(engine.list().resources).toEqual([]);
  }
}

function byName(resources: DocumentResource[], ...names: string[]): DocumentResource[] {
  return names.map((name) => {
    const found = resources.find((resource) => resource.name === name);
    if (!found) throw new Error(`the document has no ${name}`);
    return found;
  });
}

describe("the origin documents' load-balanced web app (test-app, with its target group)", () => {
  it('is created on opnsense, aws and docker with the property names the document uses, and destroyed again', async () => {
    const document = JSON.parse(
      await readFile(new URL('../fixtures/origin/load-balanced-web-app.json', import.meta.url), 'utf8'),
    );
    document.serverResources.aws.push({
      type: 'aws:elb:targetGroup',
      name: 'test-app-tg',
      properties: { port: 8080, protocol: 'HTTP' },
    });
    const resources: DocumentResource[] = Object.entries(
      document.serverResources as Record<string, DocumentResource[]>,
    ).flatMap(([server, list]) => list.map((resource) => ({ ...resource, server })));
    const sandbox = new Sandbox();
    await sandbox.open(['opnsense', 'aws', 'docker']);
    const order = byName(
      resources,
      'test-app-vlan',
      'test-app-cert',
      'test-app-template',
      'test-app-tg',
      'test-app-asg',
      'test-app-servers',
      'test-app-backend',
      'test-app-frontend',
      'test-app-allow-https',
      'test-app-image',
      'test-app-push',
    );
    expect(order).toHaveLength(resources.length);
    for (const resource of order) await sandbox.create(resource);

    const opnsense = sandbox.engines.get('opnsense')!;
    const aws = sandbox.engines.get('aws')!;
    const asg = sandbox.outputs.get('aws:test-app-asg')!;
    expect(asg.instanceIps).toHaveLength(2);
    expect(sandbox.outputs.get('opnsense:test-app-vlan')!.device).toBe('vlan01');
    expect(sandbox.outputs.get('opnsense:test-app-servers')!.entries).toEqual(asg.instanceIps);
    expect(sandbox.outputs.get('opnsense:test-app-frontend')!.bindAddress).toBe(OPNSENSE_WAN_ADDRESS);
    const rule = opnsense.list({ type: 'firewall:rule' }).resources[0]!;
    expect(rule.properties).toMatchObject({ destination: OPNSENSE_WAN_ADDRESS, destinationPort: '443' });
    const frontend = opnsense.list({ type: 'service:haproxy:frontend' }).resources[0]!;
    expect(frontend.properties.sslCertificate).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    expect(aws.list().resources).toHaveLength(4);

    // Out of order, the servers refuse: the backend while the frontend uses it, the target group while the group does.
    await refusal(
      () =>
        opnsense.delete({
          type: 'service:haproxy:backend',
          id: String(sandbox.outputs.get('opnsense:test-app-backend')!.id),
        }),
      'conflict',
    );
    await refusal(
      () => aws.delete({ type: 'elb:targetGroup', id: String(sandbox.outputs.get('aws:test-app-tg')!.id) }),
      'conflict',
    );
    await sandbox.destroyAll();
  });

  it('refuses the frontend while its backend does not exist yet', async () => {
    const sandbox = new Sandbox();
    await sandbox.open(['opnsense']);
    const error = await refusal(
      () =>
        sandbox.create({
          server: 'opnsense',
          type: 'opnsense:service:haproxy:frontend',
          name: 'test-app-frontend',
          properties: { bind: '0.0.0.0:443', mode: 'http', defaultBackend: 'test-app-backend' },
        }),
      'missing-dependency',
    );
    expect(error.message).toContain('Create the backend first');
  });
});

describe("the origin documents' cross-MCP reference", () => {
  it("puts the instance's real private IP into the firewall rule", async () => {
    const sandbox = new Sandbox();
    await sandbox.open(['aws', 'opnsense']);
    const instance = await sandbox.create({
      server: 'aws',
      type: 'aws:ec2:instance',
      name: 'web-server',
      properties: { instanceType: 't3.micro' },
    });
    await sandbox.create({
      server: 'opnsense',
      type: 'opnsense:firewall:rule',
      name: 'allow-web',
      properties: { destination: '${aws:ec2:web-server.privateIp}', action: 'pass' },
    });
    const rule = sandbox.engines.get('opnsense')!.list({ type: 'firewall:rule' }).resources[0]!;
    expect(rule.properties.destination).toBe(instance.privateIp);
    expect(instance.privateIp).toMatch(/^10\.0\.0\.\d+$/);
    await sandbox.destroyAll();
  });
});

describe('the Minecraft example (examples/game-server.yaml)', () => {
  it('is created on opnsense, docker and dns with its literal properties', async () => {
    const document = parseYaml(
      await readFile(new URL('../../examples/game-server.yaml', import.meta.url), 'utf8'),
    );
    const sandbox = new Sandbox();
    sandbox.variables = document.variables;
    await sandbox.open(['opnsense', 'docker', 'dns']);
    const resources = document.resources as DocumentResource[];
    for (const resource of byName(
      resources,
      'game-vlan',
      'game-dhcp',
      'game-net',
      'minecraft',
      'minecraft-forward',
      'minecraft-allow',
      'minecraft-dns',
    )) {
      await sandbox.create(resource);
    }
    expect(sandbox.outputs.get('docker:minecraft')!.ipAddress).toBe('10.20.0.10');
    expect(sandbox.outputs.get('opnsense:minecraft-forward')).toMatchObject({
      target: '10.20.0.10',
      externalPort: '25565',
    });
    expect(sandbox.outputs.get('dns:minecraft-dns')).toMatchObject({
      fqdn: 'minecraft.home.arpa',
      values: ['10.20.0.10'],
    });
    await sandbox.destroyAll();
  });
});
