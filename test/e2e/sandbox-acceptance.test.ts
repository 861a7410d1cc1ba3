// Acceptance, as a user sees it: with an empty CONDUCTOR_HOME and no config, Conductor runs on the built-in sandbox
// servers. The origin documents' load-balanced web app (with its target group) is applied across opnsense, aws and
// docker, shows up in the inventory, and is destroyed again; the cross-reference example's firewall rule holds the
// instance's real private IP; a failing call rolls everything back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'conductor.js');
let work: string;
let home: string;

interface InventoryResource {
  type: string;
  name: string;
  id: string;
  properties: Record<string, unknown>;
  outputs: Record<string, unknown>;
}
interface Inventory {
  servers: Array<{ name: string; status: string; error?: string; resources: InventoryResource[] }>;
}

function conductor(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: home, CONDUCTOR_SANDBOX_FAULTS: '', ...env },
    timeout: 120_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.stdout + result.stderr,
  };
}

function inventory(): Inventory {
  const run = conductor(['inventory', '--json']);
  expect(run.code, run.output).toBe(0);
  return JSON.parse(run.stdout) as Inventory;
}

function held(snapshot: Inventory): string[] {
  return snapshot.servers
    .flatMap((server) =>
      server.resources.map((resource) => `${server.name}:${resource.type}:${resource.name}`),
    )
    .sort();
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'conductor-sandbox-'));
  home = join(work, 'home');
  const document = JSON.parse(
    readFileSync(join(root, 'test/fixtures/origin/load-balanced-web-app.json'), 'utf8'),
  );
  document.serverResources.aws.push({
    type: 'aws:elb:targetGroup',
    name: 'test-app-tg',
    properties: { port: 8080, protocol: 'HTTP' },
  });
  writeFileSync(join(work, 'test-app.json'), JSON.stringify(document));
  writeFileSync(
    join(work, 'cross-reference.json'),
    JSON.stringify({
      name: 'cross-reference',
      serverResources: {
        aws: [{ type: 'aws:ec2:instance', name: 'web-server', properties: { instanceType: 't3.micro' } }],
        opnsense: [
          {
            type: 'opnsense:firewall:rule',
            name: 'allow-web',
            properties: { destination: '${aws:ec2:web-server.privateIp}', action: 'pass' },
          },
        ],
      },
    }),
  );
});

describe('sandbox acceptance', () => {
  it('starts empty, says it is in sandbox mode', () => {
    const run = conductor(['inventory']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('sandbox');
    expect(held(inventory())).toEqual([]);
  });

  it('a failing call rolls the whole apply back: the inventory is what it was', () => {
    const run = conductor(['apply', '-f', 'test-app.json', '--yes'], {
      CONDUCTOR_SANDBOX_FAULTS: JSON.stringify({ aws: { failOn: ['create:autoscaling:group'] } }),
    });
    expect(run.code, run.output).toBe(1);
    expect(run.stdout).toContain('rolled back');
    expect(held(inventory())).toEqual([]);
  });

  it('applies the load-balanced web app across opnsense, aws and docker', () => {
    const run = conductor(['apply', '-f', 'test-app.json', '--yes']);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('Apply complete: 11 changed');
    const names = held(inventory());
    expect(names).toHaveLength(11);
    expect(new Set(names.map((name) => name.split(':')[0]))).toEqual(new Set(['opnsense', 'aws', 'docker']));
  });

  it("puts the instance's real private IP into the cross-server firewall rule", () => {
    const run = conductor(['apply', '-f', 'cross-reference.json', '--yes']);
    expect(run.code, run.output).toBe(0);
    const snapshot = inventory();
    const instance = snapshot.servers
      .find((server) => server.name === 'aws')!
      .resources.find((resource) => resource.name === 'web-server')!;
    const rule = snapshot.servers
      .find((server) => server.name === 'opnsense')!
      .resources.find((resource) => resource.name === 'allow-web')!;
    expect(instance.outputs.privateIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(rule.properties.destination).toBe(instance.outputs.privateIp);
  });

  it('destroys both deployments and leaves the inventory empty', () => {
    for (const name of ['cross-reference', 'test-app']) {
      const run = conductor(['destroy', name, '--yes']);
      expect(run.code, run.output).toBe(0);
    }
    expect(held(inventory())).toEqual([]);
  });
});
