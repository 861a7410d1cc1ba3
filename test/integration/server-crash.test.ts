import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliProject, held, type Inventory, root, type StateRecord } from '../support/cli-project.js';

const sandboxMain = join(root, 'dist', 'src', 'sandbox', 'main.js');
const breakableSandbox = join(root, 'test', 'fixtures', 'mixed', 'breakable-sandbox.mjs');

const CRASH_ON_THIRD_DOCKER_CHANGE = JSON.stringify({ docker: { crashAfterCalls: 2 } });
/**
 * Wave by wave, every answer of the first wave (two docker creates) is in before the third docker create is sent, so
 * the crash always lands on a container create and never cuts off an answer already on its way.
 */
const WAVE_BY_WAVE = ['--strategy', 'waves'];

function recorded(records: StateRecord[]): Record<string, string> {
  return Object.fromEntries(records.map((record) => [record.address, record.id]));
}

/** Already there before the crashing apply, and must stay as it is. */
const base = {
  name: 'base',
  resources: [
    {
      server: 'opnsense',
      type: 'network:vlan',
      name: 'mgmt-vlan',
      properties: { tag: 10, interface: 'igc1' },
    },
    { server: 'docker', type: 'network', name: 'shared', properties: { subnet: '10.50.0.0/24' } },
    { server: 'docker', type: 'volume', name: 'backups', properties: {} },
  ],
};

/** Four docker resources (the third docker create crashes the server) and resources on opnsense and dns. */
const app = {
  name: 'app',
  resources: [
    {
      server: 'opnsense',
      type: 'network:vlan',
      name: 'app-vlan',
      properties: { tag: 30, interface: 'igc1' },
    },
    { server: 'docker', type: 'network', name: 'appnet', properties: { subnet: '10.55.0.0/24' } },
    { server: 'docker', type: 'volume', name: 'pgdata', properties: {} },
    {
      server: 'docker',
      type: 'container',
      name: 'db',
      properties: { image: 'postgres:16', network: 'appnet', volumes: ['pgdata:/var/lib/postgresql/data'] },
    },
    {
      server: 'docker',
      type: 'container',
      name: 'web',
      properties: { image: 'nginx:1.27', network: 'appnet', ports: ['8080:80'] },
    },
    {
      server: 'dns',
      type: 'record',
      name: 'web-a',
      properties: { name: 'web.example.com', type: 'A', value: '${docker:container:web.ipAddress}' },
    },
  ],
};

describe('a sandbox server crashes mid-apply', () => {
  const project = new CliProject('conductor-crash-sandbox');
  let before: Inventory;

  beforeAll(() => {
    project.write('base.json', base);
    project.write('app.json', app);
  });

  it('starts from a deployment that is already there', () => {
    const run = project.run(['apply', '-f', 'base.json', '--yes']);
    expect(run.code, run.output).toBe(0);
    before = project.inventory();
    expect(Object.keys(held(before)).sort()).toEqual([
      'docker:network:shared',
      'docker:volume:backups',
      'opnsense:network:vlan:mgmt-vlan',
    ]);
  }, 60_000);

  it('fails the apply, rolls it back, and leaves every server as it was', () => {
    const run = project.run(['apply', '-f', 'app.json', '--yes', ...WAVE_BY_WAVE], {
      CONDUCTOR_SANDBOX_FAULTS: CRASH_ON_THIRD_DOCKER_CHANGE,
    });
    expect(run.code, run.output).toBe(1);
    expect(run.stdout).toMatch(/Server "docker" (went away|stopped unexpectedly)/);
    expect(run.stdout).toContain('Rolling back');
    expect(run.stdout).toContain('rolled back');
    expect(run.stdout).not.toContain('left behind');

    // Everything, ids, properties and outputs included: nothing new, nothing of `base` touched.
    expect(project.inventory()).toEqual(before);
    expect(project.deployment('app')).toMatchObject({ status: 'rolled-back', resources: 0 });
  }, 60_000);

  it('keeps state equal to the inventory', () => {
    const records = project.state();
    expect(recorded(records)).toEqual(held(project.inventory()));
    expect(new Set(records.map((record) => record.deployment))).toEqual(new Set(['base']));
  }, 60_000);

  it('applies cleanly once the server behaves: no half-made resource is in the way', () => {
    const run = project.run(['apply', '-f', 'app.json', '--yes']);
    expect(run.code, run.output).toBe(0);
    const inventory = project.inventory();
    expect(Object.keys(held(inventory))).toHaveLength(base.resources.length + app.resources.length);
    expect(recorded(project.state())).toEqual(held(inventory));
  }, 60_000);
});

describe('a server crashes mid-apply and stays down, so rollback cannot reach it', () => {
  const project = new CliProject('conductor-crash-down');
  const marker = join(project.directory, 'docker-down');
  let before: Inventory;

  beforeAll(() => {
    const sandbox = (provider: string) => ({
      command: process.execPath,
      args: [sandboxMain, provider],
      env: { CONDUCTOR_HOME: project.home },
    });
    const config = {
      mcpServers: {
        opnsense: sandbox('opnsense'),
        docker: {
          command: process.execPath,
          args: [breakableSandbox, 'docker', marker],
          env: { CONDUCTOR_HOME: project.home, CONDUCTOR_SANDBOX_FAULTS: '${CONDUCTOR_SANDBOX_FAULTS:-}' },
        },
        dns: sandbox('dns'),
      },
    };
    writeFileSync(join(project.directory, 'conductor.config.json'), JSON.stringify(config, null, 2));
    project.write('base.json', base);
    project.write('app.json', app);
    const run = project.run(['apply', '-f', 'base.json', '--yes']);
    expect(run.code, run.output).toBe(0);
    before = project.inventory();
  }, 60_000);

  it('fails, says what was left behind and that `conductor recover` finishes the job', () => {
    const run = project.run(['apply', '-f', 'app.json', '--yes', ...WAVE_BY_WAVE], {
      CONDUCTOR_SANDBOX_FAULTS: CRASH_ON_THIRD_DOCKER_CHANGE,
    });
    expect(run.code, run.output).toBe(1);
    expect(existsSync(marker), run.output).toBe(true);
    expect(run.stdout).toContain('left behind');
    // The two docker resources created before the crash could not be deleted: named, with their ids.
    expect(run.stdout).toMatch(/docker:network:appnet on docker \[id=[0-9a-f]{64}\]/);
    expect(run.stdout).toContain('docker:volume:pgdata on docker [id=pgdata]');
    expect(run.stdout).toContain('conductor recover');

    // While docker is down, inventory says so instead of pretending it is empty.
    const down = project.run(['inventory', '--json']);
    const docker = (JSON.parse(down.stdout) as Inventory).servers.find((server) => server.name === 'docker')!;
    expect(docker.status).not.toBe('ok');
    expect(docker.error).toContain('could not be started');
  }, 60_000);

  it('records in state exactly what the servers hold once docker is back', () => {
    rmSync(marker);
    const inventory = project.inventory();
    // opnsense was rolled back; docker holds what it created before the crash, next to what was there before.
    expect(held(inventory)).toEqual({
      ...held(before),
      'docker:network:appnet': expect.stringMatching(/^[0-9a-f]{64}$/),
      'docker:volume:pgdata': 'pgdata',
    });
    expect(recorded(project.state())).toEqual(held(inventory));
    expect(project.deployment('app')).toMatchObject({ status: 'failed', resources: 2 });
  }, 60_000);

  it('`conductor recover` finishes the rollback: the servers hold what they held before', () => {
    const run = project.run(['recover', '--yes']);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('rolled back');
    expect(project.inventory()).toEqual(before);
    expect(recorded(project.state())).toEqual(held(before));
    expect(project.deployment('app')).toMatchObject({ status: 'rolled-back', resources: 0 });
  }, 60_000);
});
