// What providers say about their types reaches the planner: properties that name other resources become edges, and
// properties are validated against the published schema (values known only after apply are left alone).
import { describe, expect, it } from 'vitest';
import type { TypeCatalog, TypeInfo } from '../../../src/model/type-catalog.js';
import { planDeployment } from '../../../src/plan/planner.js';

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
