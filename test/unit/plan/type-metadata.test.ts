// What providers say about their types reaches the planner: properties that name other resources become edges, and
// properties are validated against the published schema (values known only after apply are left alone).
import { describe, expect, it } from 'vitest';
import type { TypeCatalog, TypeInfo } from '../../../src/model/type-catalog.js';
import { planDeployment } from '../../../src/plan/planner.js';
import { MemoryState } from '../../../src/state/memory-state.js';

const types: Record<string, TypeInfo> = {
  'opnsense:service:haproxy:frontend': {
    references: [{ property: 'defaultBackend', type: 'service:haproxy:backend' }],
    schema: {
      type: 'object',
      required: ['bind', 'defaultBackend'],
      properties: {
        bind: { type: 'string' },
        defaultBackend: { type: 'string' },
        mode: { enum: ['http', 'tcp'] },
      },
    },
  },
  'opnsense:service:haproxy:backend': {
    schema: { type: 'object', properties: { servers: { type: 'array', items: { type: 'string' } } } },
  },
};
const catalog: TypeCatalog = { describe: (server, type) => types[`${server}:${type}`] };

describe('type metadata in the planner', () => {
  it('a property that names another resource is a dependency edge', async () => {
    const plan = await planDeployment({
      deployment: {
        name: 'lb',
        resources: [
          {
            server: 'opnsense',
            type: 'service:haproxy:frontend',
            name: 'web',
            properties: { bind: '0.0.0.0:443', defaultBackend: 'pool' },
            dependsOn: [],
          },
          {
            server: 'opnsense',
            type: 'service:haproxy:backend',
            name: 'pool',
            properties: { servers: [] },
            dependsOn: [],
          },
        ],
      },
      types: catalog,
    });
    expect(plan.diagnostics).toEqual([]);
    const frontend = plan.steps.find((step) => step.name === 'web')!;
    expect(frontend.dependsOn).toEqual(['opnsense:service:haproxy:backend:pool']);
    expect(plan.waves).toEqual([
      ['opnsense:service:haproxy:backend:pool'],
      ['opnsense:service:haproxy:frontend:web'],
    ]);
  });

  it('a named resource nobody manages is a warning, not an error', async () => {
    const plan = await planDeployment({
      deployment: {
        name: 'lb',
        resources: [
          {
            server: 'opnsense',
            type: 'service:haproxy:frontend',
            name: 'web',
            properties: { bind: '0.0.0.0:443', defaultBackend: 'legacy' },
            dependsOn: [],
          },
        ],
      },
      types: catalog,
    });
    expect(plan.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code])).toEqual([
      ['warning', 'unknown-named-resource'],
    ]);
  });

  it('validates against the schema and names the property path', async () => {
    const plan = await planDeployment({
      deployment: {
        name: 'lb',
        resources: [
          {
            server: 'opnsense',
            type: 'service:haproxy:frontend',
            name: 'web',
            properties: { bind: 443, mode: 'udp' },
            dependsOn: [],
          },
        ],
      },
      types: catalog,
    });
    const errors = plan.diagnostics.filter((diagnostic) => diagnostic.code === 'invalid-properties');
    expect(errors.map((error) => error.path).sort()).toEqual([
      'properties.bind',
      'properties.defaultBackend',
      'properties.mode',
    ]);
    expect(errors.find((error) => error.path === 'properties.mode')!.detail).toContain('"http", "tcp"');
  });

  it('does not judge values only known after apply', async () => {
    const plan = await planDeployment({
      deployment: {
        name: 'lb',
        resources: [
          { server: 'aws', type: 'ec2:instance', name: 'app', properties: {}, dependsOn: [] },
          {
            server: 'opnsense',
            type: 'service:haproxy:backend',
            name: 'pool',
            properties: { servers: ['${aws:ec2:instance:app.privateIp}'] },
            dependsOn: [],
          },
        ],
      },
      types: catalog,
    });
    expect(plan.diagnostics).toEqual([]);
  });
});

describe('operations a provider cannot do', () => {
  const files: TypeCatalog = {
    describe: (server, type) =>
      server === 'files' && type === 'file'
        ? {
            operations: {
              create: true,
              update: true,
              delete: false,
              missing: { delete: 'The filesystem server has no tool that deletes a file.' },
            },
          }
        : undefined,
  };
  const file = (name: string) => ({
    server: 'files',
    type: 'file',
    name,
    properties: { content: 'x' },
    dependsOn: [],
  });

  it('warns before a create that a failed apply could not undo it', async () => {
    const plan = await planDeployment({
      deployment: { name: 'site', resources: [file('index')] },
      types: files,
    });
    expect(plan.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'rollback-limited', address: 'files:file:index' }),
    ]);
    expect(plan.diagnostics[0]!.detail).toContain('no tool that deletes a file');
  });

  it('warns that a delete leaves the resource where it is', async () => {
    const state = new MemoryState([
      {
        address: 'files:file:index',
        server: 'files',
        type: 'file',
        name: 'index',
        deployment: 'site',
        id: 'index',
        properties: { content: 'x' },
        outputs: {},
        dependsOn: [],
      },
    ]);
    const plan = await planDeployment({ deployment: { name: 'site', resources: [] }, state, types: files });
    expect(plan.steps.map((step) => step.action)).toEqual(['delete']);
    expect(plan.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'delete-unsupported',
        address: 'files:file:index',
      }),
    ]);
  });
});

describe('built-in names', () => {
  it('a value the provider declares built in is neither an edge nor a warning', async () => {
    const docker: TypeCatalog = {
      describe: (server, type) =>
        server === 'docker' && type === 'container'
          ? { references: [{ property: 'network', type: 'network', builtins: ['bridge', 'host', 'none'] }] }
          : undefined,
    };
    const plan = await planDeployment({
      deployment: {
        name: 'apps',
        resources: [
          {
            server: 'docker',
            type: 'container',
            name: 'web',
            properties: { network: 'bridge' },
            dependsOn: [],
          },
          {
            server: 'docker',
            type: 'container',
            name: 'db',
            properties: { network: 'backend' },
            dependsOn: [],
          },
        ],
      },
      types: docker,
    });
    expect(plan.diagnostics.map((diagnostic) => [diagnostic.address, diagnostic.code])).toEqual([
      ['docker:container:db', 'unknown-named-resource'],
    ]);
  });
});

describe('deleting what another deployment needs', () => {
  it('is an error that names the deployment depending on it', async () => {
    const record = (deployment: string, address: string, dependsOn: string[] = []) => {
      const [server, ...rest] = address.split(':');
      return {
        address,
        server: server!,
        type: rest.slice(0, -1).join(':'),
        name: rest[rest.length - 1]!,
        deployment,
        id: `${address}-id`,
        properties: {},
        outputs: {},
        dependsOn,
      };
    };
    const state = new MemoryState([
      record('network', 'opnsense:network:vlan:shared'),
      record('game', 'opnsense:firewall:rule:game-in', ['opnsense:network:vlan:shared']),
    ]);
    const plan = await planDeployment({ deployment: { name: 'network', resources: [] }, state });
    expect(plan.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'still-referenced',
        address: 'opnsense:network:vlan:shared',
        summary: expect.stringContaining('deployment "game"'),
      }),
    ]);
    // Once nothing else needs it, the same plan is fine.
    state.remove('opnsense', 'game-in');
    const clean = await planDeployment({ deployment: { name: 'network', resources: [] }, state });
    expect(clean.diagnostics).toEqual([]);
    expect(clean.steps.map((step) => step.action)).toEqual(['delete']);
  });
});
