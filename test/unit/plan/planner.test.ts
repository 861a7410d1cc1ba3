import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import type { Deployment, Resource } from '../../../src/model/resource.js';
import type { ResourceRecord } from '../../../src/model/resource-record.js';
import type { TypeCatalog } from '../../../src/model/type-catalog.js';
import { planDeployment } from '../../../src/plan/planner.js';
import { MemoryState } from '../../../src/state/memory-state.js';

function resource(
  server: string,
  type: string,
  name: string,
  properties: Record<string, unknown> = {},
  dependsOn: string[] = [],
): Resource {
  return { server, type, name, properties, dependsOn };
}

function deployment(resources: Resource[], extra: Partial<Deployment> = {}): Deployment {
  return { name: 'test', resources, ...extra };
}

function record(
  server: string,
  type: string,
  name: string,
  properties: Record<string, unknown>,
  outputs: Record<string, unknown> = {},
  extra: Partial<ResourceRecord> = {},
): ResourceRecord {
  return {
    address: `${server}:${type}:${name}`,
    server,
    type,
    name,
    deployment: 'test',
    id: `${name}-id`,
    properties,
    outputs,
    dependsOn: [],
    ...extra,
  };
}

function step(plan: Plan, address: string) {
  const found = plan.steps.find((candidate) => candidate.address === address);
  if (!found) throw new Error(`no step ${address} in ${plan.steps.map((s) => s.address).join(', ')}`);
  return found;
}

function codes(plan: Plan) {
  return plan.diagnostics.map((diagnostic) => `${diagnostic.severity}:${diagnostic.code}`);
}

describe('reference resolution', () => {
  it('resolves abbreviated types and aliases by server and name, without warnings', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('aws', 'ec2:instance', 'web-server'),
        resource('aws', 'autoscaling:group', 'web-asg'),
        resource('opnsense', 'service:haproxy:backend', 'pool'),
        resource('opnsense', 'firewall:rule', 'allow', {
          destination: '${aws:ec2:web-server.privateIp}',
          backend: '${opnsense:haproxy:backend:pool.id}',
          members: '${aws:asg:web-asg.instanceIps}',
          any: '${aws:web-server.id}',
        }),
      ]),
    });
    expect(plan.diagnostics).toEqual([]);
    expect(step(plan, 'opnsense:firewall:rule:allow').dependsOn).toEqual([
      'aws:autoscaling:group:web-asg',
      'aws:ec2:instance:web-server',
      'opnsense:service:haproxy:backend:pool',
    ]);
  });

  it('warns when the type hint fits neither the type, a part of it nor an alias, and still resolves', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('aws', 'ec2:instance', 'web'),
        resource('opnsense', 'firewall:rule', 'allow', { destination: '${aws:rds:web.privateIp}' }),
      ]),
    });
    expect(codes(plan)).toEqual(['warning:reference-type-mismatch']);
    expect(plan.diagnostics[0]!.summary).toContain('ec2:instance');
    expect(step(plan, 'opnsense:firewall:rule:allow').dependsOn).toEqual(['aws:ec2:instance:web']);
  });

  it('names the reference, the resource, the property and the closest names when a name is unknown', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('aws', 'ec2:instance', 'web-server'),
        resource('opnsense', 'firewall:rule', 'allow', { destination: '${aws:ec2:web-srever.privateIp}' }),
      ]),
    });
    expect(codes(plan)).toEqual(['error:unresolved-reference']);
    const [diagnostic] = plan.diagnostics;
    expect(diagnostic!.summary).toContain('${aws:ec2:web-srever.privateIp}');
    expect(diagnostic!.address).toBe('opnsense:firewall:rule:allow');
    expect(diagnostic!.path).toBe('properties.destination');
    expect(diagnostic!.detail).toContain('Did you mean aws:ec2:instance:web-server?');
    expect(plan.steps).toEqual([]);
  });

  it('suggests the closest server when the server is unknown', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('opnsense', 'network:vlan', 'lan'),
        resource('docker', 'container', 'app', { network: '${opnsens:network:vlan:lan.device}' }),
      ]),
    });
    expect(codes(plan)).toEqual(['error:unresolved-reference']);
    expect(plan.diagnostics[0]!.detail).toContain('Did you mean "opnsense"?');
  });

  it('reports every unresolved reference, not only the first', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('docker', 'container', 'app', { a: '${x:y.z}', b: ['${docker:missing.id}'] }, ['nothing']),
      ]),
    });
    expect(codes(plan)).toEqual([
      'error:unresolved-dependency',
      'error:unresolved-reference',
      'error:unresolved-reference',
    ]);
  });

  it('rejects malformed references with the property that holds them', async () => {
    const plan = await planDeployment({
      deployment: deployment([resource('docker', 'image:build', 'app', { tags: ['myapp:${version}'] })]),
    });
    expect(codes(plan)).toEqual(['error:invalid-reference']);
    expect(plan.diagnostics[0]).toMatchObject({ path: 'properties.tags[0]' });
    expect(plan.diagnostics[0]!.detail).toContain('${var.version}');
  });

  it('reads deployment variables and reports unknown ones with a suggestion', async () => {
    const ok = await planDeployment({
      deployment: deployment(
        [resource('docker', 'image:build', 'app', { tag: 'myapp:${var.version}', n: '${var.n}' })],
        {
          variables: { version: '1.2.0', n: 3 },
        },
      ),
    });
    expect(step(ok, 'docker:image:build:app').after).toEqual({ tag: 'myapp:1.2.0', n: 3 });
    const bad = await planDeployment({
      deployment: deployment([resource('docker', 'image:build', 'app', { tag: '${var.verison}' })], {
        variables: { version: '1.2.0' },
      }),
    });
    expect(codes(bad)).toEqual(['error:unknown-variable']);
    expect(bad.diagnostics[0]!.detail).toContain('var.version');
  });

  it('treats dependsOn by bare name as the same server and by address across servers', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('docker', 'image:build', 'image'),
        resource('docker', 'registry:push', 'push', {}, ['image', 'aws:acm:certificate:cert', 'aws:cert']),
        resource('aws', 'acm:certificate', 'cert'),
      ]),
    });
    expect(plan.diagnostics).toEqual([]);
    expect(step(plan, 'docker:registry:push:push').dependsOn).toEqual([
      'aws:acm:certificate:cert',
      'docker:image:build:image',
    ]);
  });

  it('rejects duplicate names on one server but allows the same name on two servers', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('docker', 'container', 'web'),
        resource('docker', 'volume', 'web'),
        resource('aws', 'ec2:instance', 'web'),
      ]),
    });
    expect(codes(plan)).toEqual(['error:duplicate-name']);
    expect(plan.diagnostics[0]!.detail).toContain('docker:container:web');
  });
});

describe('graph', () => {
  it('prints a cycle as a path and plans nothing', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('x', 't', 'a', { v: '${x:t:b.id}' }),
        resource('x', 't', 'b', {}, ['c']),
        resource('x', 't', 'c', { v: '${x:a.id}' }),
        resource('x', 't', 'd'),
      ]),
    });
    expect(codes(plan)).toEqual(['error:dependency-cycle']);
    expect(plan.diagnostics[0]!.summary).toBe('Dependency cycle: x:t:a → x:t:b → x:t:c → x:t:a.');
    expect(plan.steps).toEqual([]);
  });

  it('groups steps in waves and finds the critical path', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('net', 'vlan', 'v'),
        resource('net', 'dhcp', 'd', { on: '${net:v.device}' }),
        resource('app', 'container', 'c', { net: '${net:vlan:v.device}' }),
        resource('dns', 'record', 'r', { ip: '${app:c.ip}' }),
        resource('certs', 'certificate', 'cert'),
      ]),
    });
    expect(plan.waves).toEqual([
      ['certs:certificate:cert', 'net:vlan:v'],
      ['app:container:c', 'net:dhcp:d'],
      ['dns:record:r'],
    ]);
    expect(plan.criticalPath).toEqual(['net:vlan:v', 'app:container:c', 'dns:record:r']);
    expect(plan.steps.map((s) => s.wave)).toEqual([0, 0, 1, 1, 2]);
  });

  it('is deterministic for the same input', async () => {
    const input = deployment([
      resource('b', 't', 'one', { x: '${a:t:two.id}' }),
      resource('a', 't', 'two'),
      resource('c', 't', 'three', { y: 'http://${b:one.ip}/' }),
    ]);
    const first = JSON.stringify(await planDeployment({ deployment: input }));
    const second = JSON.stringify(await planDeployment({ deployment: structuredClone(input) }));
    expect(second).toBe(first);
  });
});

describe('planning against state', () => {
  it('creates what is new, updates what changed, keeps what is the same and deletes what was removed', async () => {
    const state = new MemoryState([
      record('docker', 'container', 'web', { image: 'nginx:1.25', memory: '1g' }, { ip: '10.0.0.5' }),
      record('docker', 'container', 'same', { image: 'redis:7' }),
      record('docker', 'volume', 'old', { size: 10 }),
    ]);
    const plan = await planDeployment({
      state,
      deployment: deployment([
        resource('docker', 'container', 'web', { image: 'nginx:1.27', memory: '1g' }),
        resource('docker', 'container', 'same', { image: 'redis:7' }),
        resource('docker', 'container', 'new', { upstream: '${docker:web.ip}' }),
      ]),
    });
    expect(plan.summary).toEqual({ create: 1, update: 1, replace: 0, delete: 1, same: 1 });
    expect(step(plan, 'docker:container:web').changes).toEqual([
      { path: 'image', kind: 'change', before: 'nginx:1.25', after: 'nginx:1.27' },
    ]);
    expect(step(plan, 'docker:container:web').id).toBe('web-id');
    // The output of an existing resource that is only updated is known at plan time.
    expect(step(plan, 'docker:container:new').after).toEqual({ upstream: '10.0.0.5' });
    expect(step(plan, 'docker:volume:old')).toMatchObject({
      action: 'delete',
      id: 'old-id',
      before: { size: 10 },
    });
    expect(plan.steps.at(-1)!.action).toBe('same');
  });

  it('replaces when a property that cannot change in place changes, and marks the dependents unknown', async () => {
    const types: TypeCatalog = {
      describe: (_server, type) => (type === 'network:vlan' ? { replaceOn: ['tag'] } : undefined),
    };
    const state = new MemoryState([
      record('opnsense', 'network:vlan', 'v', { tag: 20 }, { device: 'vlan01' }),
      record('docker', 'network', 'n', { parent: 'vlan01' }),
    ]);
    const plan = await planDeployment({
      state,
      types,
      deployment: deployment([
        resource('opnsense', 'network:vlan', 'v', { tag: 30 }),
        resource('docker', 'network', 'n', { parent: '${opnsense:v.device}' }),
      ]),
    });
    const vlan = step(plan, 'opnsense:network:vlan:v');
    expect(vlan).toMatchObject({ action: 'replace', replaceBecause: ['tag'], createBeforeDestroy: true });
    expect(vlan.changes[0]).toMatchObject({ path: 'tag', forcesReplacement: true });
    expect(step(plan, 'docker:network:n')).toMatchObject({
      action: 'update',
      changes: [
        {
          path: 'parent',
          kind: 'change',
          before: 'vlan01',
          after: { $unknown: '${opnsense:v.device}' },
          unknown: true,
        },
      ],
    });
  });

  it('keeps a dependent unchanged when its target is unchanged', async () => {
    const state = new MemoryState([
      record('opnsense', 'network:vlan', 'v', { tag: 20 }, { device: 'vlan01' }),
      record('docker', 'network', 'n', { parent: 'vlan01' }),
    ]);
    const plan = await planDeployment({
      state,
      deployment: deployment([
        resource('opnsense', 'network:vlan', 'v', { tag: 20 }),
        resource('docker', 'network', 'n', { parent: '${opnsense:v.device}' }),
      ]),
    });
    expect(plan.summary).toMatchObject({ same: 2, create: 0, update: 0 });
    expect(plan.waves).toEqual([]);
  });

  it('deletes in reverse dependency order, after resources that drop the dependency', async () => {
    const state = new MemoryState([
      record('opnsense', 'network:vlan', 'v', { tag: 20 }, { device: 'vlan01' }),
      record(
        'opnsense',
        'dhcp:range',
        'd',
        { interface: 'vlan01' },
        {},
        { dependsOn: ['opnsense:network:vlan:v'] },
      ),
      record('docker', 'network', 'n', { parent: 'vlan01' }, {}, { dependsOn: ['opnsense:network:vlan:v'] }),
    ]);
    const plan = await planDeployment({
      state,
      deployment: deployment([resource('docker', 'network', 'n', { parent: 'eth0' })]),
    });
    expect(step(plan, 'opnsense:network:vlan:v').dependsOn).toEqual([
      'docker:network:n',
      'opnsense:dhcp:range:d',
    ]);
    expect(plan.waves).toEqual([['docker:network:n', 'opnsense:dhcp:range:d'], ['opnsense:network:vlan:v']]);
  });

  it('deletes a same-named resource of another type before creating the new one', async () => {
    const state = new MemoryState([record('docker', 'volume', 'data', { size: 5 })]);
    const plan = await planDeployment({
      state,
      deployment: deployment([resource('docker', 'container', 'data', { image: 'x' })]),
    });
    expect(plan.waves).toEqual([['docker:volume:data'], ['docker:container:data']]);
  });

  it('reads resources of other deployments from state without managing them', async () => {
    const state = new MemoryState([
      record(
        'opnsense',
        'network:vlan',
        'shared',
        { tag: 20 },
        { device: 'vlan07' },
        { deployment: 'network' },
      ),
    ]);
    const plan = await planDeployment({
      state,
      deployment: deployment([
        resource('docker', 'network', 'n', { parent: '${opnsense:network:vlan:shared.device}' }),
      ]),
    });
    expect(plan.diagnostics).toEqual([]);
    const network = step(plan, 'docker:network:n');
    expect(network.after).toEqual({ parent: 'vlan07' });
    expect(network.dependsOn).toEqual([]);
    expect(network.references).toEqual([
      {
        path: 'properties.parent',
        expression: '${opnsense:network:vlan:shared.device}',
        target: 'opnsense:network:vlan:shared',
        external: true,
      },
    ]);
    expect(plan.steps.map((s) => s.address)).toEqual(['docker:network:n']);
  });

  it('refuses a reference to a resource the plan deletes', async () => {
    const state = new MemoryState([
      record('opnsense', 'network:vlan', 'v', { tag: 20 }, { device: 'vlan01' }),
      record('docker', 'network', 'n', { parent: 'vlan01' }),
    ]);
    const plan = await planDeployment({
      state,
      deployment: deployment([resource('docker', 'network', 'n', { parent: '${opnsense:v.device}' })]),
    });
    expect(codes(plan)).toEqual(['error:unresolved-reference']);
    expect(plan.diagnostics[0]!.summary).toContain('names opnsense:network:vlan:v, which this plan deletes');
  });

  it('refuses a name another deployment owns', async () => {
    const state = new MemoryState([record('docker', 'container', 'web', {}, {}, { deployment: 'other' })]);
    const plan = await planDeployment({
      state,
      deployment: deployment([resource('docker', 'container', 'web')]),
    });
    expect(codes(plan)).toEqual(['error:name-taken']);
    expect(plan.diagnostics[0]!.summary).toContain('deployment "other"');
  });

  it('reports an output that an existing external resource does not have', async () => {
    const state = new MemoryState([
      record(
        'opnsense',
        'network:vlan',
        'shared',
        { tag: 20 },
        { device: 'vlan07' },
        { deployment: 'network' },
      ),
    ]);
    const plan = await planDeployment({
      state,
      deployment: deployment([resource('docker', 'network', 'n', { parent: '${opnsense:shared.devise}' })]),
    });
    expect(codes(plan)).toEqual(['error:unknown-output']);
    expect(plan.diagnostics[0]!.detail).toContain('Did you mean device?');
  });
});

describe('values at plan time', () => {
  it('knows the properties of a resource being created, but not its outputs', async () => {
    const plan = await planDeployment({
      deployment: deployment([
        resource('docker', 'container', 'app', { ipAddress: '10.20.0.10', ports: [25565] }),
        resource('dns', 'record', 'r', {
          value: '${docker:container:app.ipAddress}',
          port: '${docker:app.ports[0]}',
          id: 'x-${docker:app.id}',
        }),
      ]),
    });
    expect(step(plan, 'dns:record:r').after).toEqual({
      value: '10.20.0.10',
      port: 25565,
      id: { $unknown: 'x-${docker:app.id}' },
    });
    // A create's properties are its `after`; changes are listed for updates and replacements only.
    expect(step(plan, 'dns:record:r').changes).toEqual([]);
  });
});
