import { describe, expect, it } from 'vitest';
import type { ResourceInput } from './policy-helpers.js';
import { dockerContainer, evaluate, lxcContainer, onlyResult, violations } from './policy-helpers.js';

const POLICY = 'no-privileged-containers';

/** A template the container copies its settings from; it is created in the same plan, so its outputs are unknown. */
const template: ResourceInput = {
  server: 'proxmox',
  type: 'template',
  name: 'base',
  properties: { storage: 'local' },
};

describe('no-privileged-containers', () => {
  it.each([
    ['a Docker container with privileged: true', dockerContainer('app', { privileged: true }), 'privileged'],
    ['privileged written as text', dockerContainer('app', { privileged: 'true' }), 'privileged'],
    ['capAdd SYS_ADMIN', dockerContainer('app', { capAdd: ['NET_ADMIN', 'SYS_ADMIN'] }), 'capAdd'],
    ['cap_add all in lower case', dockerContainer('app', { cap_add: ['all'] }), 'cap_add'],
    [
      'capabilities CAP_SYS_ADMIN',
      dockerContainer('app', { capabilities: ['CAP_SYS_ADMIN'] }),
      'capabilities',
    ],
    [
      'a Proxmox LXC container with unprivileged: false',
      lxcContainer('app', { unprivileged: false }),
      'unprivileged',
    ],
    [
      'a Proxmox LXC container with unprivileged: 0',
      lxcContainer('app', { unprivileged: 0 }),
      'unprivileged',
    ],
  ])('reports %s as a blocking violation at that property', async (_, resource, key) => {
    const report = await evaluate([resource]);

    const result = onlyResult(report);
    expect(result).toMatchObject({
      policy: POLICY,
      status: 'violation',
      code: 'privileged-container',
      severity: 'high',
      enforcement: 'mandatory',
      address: `${resource.server}:${resource.type}:app`,
      path: `properties.${key}`,
    });
    expect(result.remediation).not.toBe('');
    expect(report.blocked).toBe(true);
  });

  it('checks the container:run type too', async () => {
    const report = await evaluate([
      {
        server: 'docker',
        type: 'container:run',
        name: 'app',
        properties: { image: 'app:1', privileged: true },
      },
    ]);

    expect(violations(report, POLICY)).toHaveLength(1);
  });

  it('reports each dangerous setting of one container separately', async () => {
    const report = await evaluate([dockerContainer('app', { privileged: true, capAdd: ['SYS_ADMIN'] })]);

    // The engine orders results of one address by path.
    expect(violations(report, POLICY).map((result) => result.path)).toEqual([
      'properties.capAdd',
      'properties.privileged',
    ]);
  });

  it('reports an LXC container that does not say unprivileged: Proxmox makes it privileged', async () => {
    const report = await evaluate([lxcContainer('app', {})]);

    expect(onlyResult(report).summary).toContain('unless unprivileged: true');
    expect(report.blocked).toBe(true);
  });

  it('names what is wrong in the summary', async () => {
    const privileged = await evaluate([dockerContainer('app', { privileged: true })]);
    const lxc = await evaluate([lxcContainer('app', { unprivileged: false })]);

    expect(onlyResult(privileged).summary).toContain('privileged');
    expect(onlyResult(lxc).summary).toContain('unprivileged: false');
  });

  it.each([
    ['a normal Docker container', dockerContainer('app', { ports: ['8080:80'] })],
    ['privileged: false', dockerContainer('app', { privileged: false })],
    ['harmless capabilities', dockerContainer('app', { capAdd: ['NET_BIND_SERVICE', 'NET_ADMIN'] })],
    ['devices instead of privileged mode', dockerContainer('app', { devices: ['/dev/dri'] })],
    ['an unprivileged LXC container', lxcContainer('app', { unprivileged: true })],
    // unprivileged is an LXC setting: on a Docker container it means nothing.
    ['unprivileged: false on a Docker container', dockerContainer('app', { unprivileged: false })],
  ])('passes %s', async (_, resource) => {
    const report = await evaluate([resource]);

    expect(report.results).toEqual([]);
    expect(report.evaluated).toContain(POLICY);
  });

  it('reports privileged mode only known after apply as unverifiable, naming the property', async () => {
    const report = await evaluate([
      template,
      lxcContainer('app', { unprivileged: '${proxmox:template:base.unprivileged}' }),
    ]);

    const result = onlyResult(report);
    expect(result).toMatchObject({ policy: POLICY, status: 'unverifiable', address: 'proxmox:lxc:app' });
    expect(result.summary).toContain('cannot be checked until apply');
    expect(result.detail).toContain('unprivileged is only known after apply');
    expect(report.blocked).toBe(false);
  });

  it('reports unknown capabilities on a Docker container as unverifiable', async () => {
    const report = await evaluate([
      template,
      dockerContainer('app', { capAdd: ['${proxmox:template:base.capability}'] }),
    ]);

    expect(onlyResult(report)).toMatchObject({ status: 'unverifiable', address: 'docker:container:app' });
  });

  it('reports a literal violation even when another setting is unknown', async () => {
    const report = await evaluate([
      template,
      dockerContainer('app', { privileged: true, capAdd: ['${proxmox:template:base.capability}'] }),
    ]);

    expect(onlyResult(report)).toMatchObject({ status: 'violation', path: 'properties.privileged' });
  });
});
