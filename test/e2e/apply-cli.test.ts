// apply, destroy, deployments, state, unlock and recover as a user runs them: separate processes sharing a SQLite
// state file. The provider is a FakeGateway kept in a file (the MCP gateway is not built yet), wired in by a small
// script that runs the same CLI entry point with it.
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeGateway } from '../../src/execute/fake-gateway.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'conductor.js');
const withFake = join(root, 'test/fixtures/crash/cli-with-fake-gateway.mjs');
let work: string;
let stateFile: string;
let providerFile: string;

const lab = {
  name: 'lab',
  resources: [
    { server: 'net', type: 'vlan', name: 'v10', properties: { tag: 10 } },
    {
      server: 'app',
      type: 'container',
      name: 'web',
      properties: { image: 'web:1', network: '${net:vlan:v10.id}', env: { DB_PASSWORD: 'hunter2' } },
    },
    { server: 'net', type: 'rule', name: 'r1', properties: { port: 443, target: '${app:container:web.id}' } },
  ],
};

function result(run: SpawnSyncReturns<string>) {
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, output: run.stdout + run.stderr };
}

function conductor(args: string[], env: NodeJS.ProcessEnv = {}) {
  return result(
    spawnSync(process.execPath, [bin, ...args], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: join(work, 'home'), ...env },
    }),
  );
}

function conductorWithProvider(args: string[], env: NodeJS.ProcessEnv = {}) {
  return result(
    spawnSync(process.execPath, [withFake, providerFile, '2', ...args], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: join(work, 'home'), ...env },
    }),
  );
}

function providerNames(): string[] {
  return Object.entries(new FakeGateway({ file: providerFile }).snapshot())
    .flatMap(([server, resources]) =>
      resources.map((resource) => `${server}:${resource.type}:${resource.name}`),
    )
    .sort();
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'conductor-apply-'));
  stateFile = join(work, 'state.sqlite');
  providerFile = join(work, 'provider.json');
  writeFileSync(join(work, 'lab.json'), JSON.stringify(lab));
  writeFileSync(
    join(work, 'lab-v2.json'),
    JSON.stringify({
      ...lab,
      resources: [
        ...lab.resources,
        { server: 'app', type: 'volume', name: 'data', properties: { sizeGb: 5 } },
      ],
    }),
  );
});

describe('conductor apply with a server that cannot start', () => {
  it('shows the review, then names the server and its error; nothing is applied', () => {
    const project = mkdtempSync(join(work, 'broken-'));
    writeFileSync(
      join(project, 'conductor.config.json'),
      JSON.stringify({
        mcpServers: {
          net: {
            command: process.execPath,
            // The token comes from the environment, and the server even echoes it: neither may reach the output.
            args: [
              '-e',
              'console.error("boom: no licence for " + process.argv[1]); process.exit(3)',
              '${NET_TOKEN}',
            ],
          },
        },
      }),
    );
    writeFileSync(join(project, 'one.json'), JSON.stringify({ name: 'one', resources: [lab.resources[0]] }));
    const run = result(
      spawnSync(
        process.execPath,
        [bin, 'apply', '-f', 'one.json', '--yes', '--state', join(project, 'state.sqlite')],
        {
          cwd: project,
          encoding: 'utf8',
          env: {
            ...process.env,
            NO_COLOR: '1',
            CONDUCTOR_HOME: join(project, 'home'),
            NET_TOKEN: 'tok-7f3a9c',
          },
        },
      ),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('+ net:vlan:v10');
    expect(run.output).toContain('Server "net" could not be started');
    expect(run.output).toContain('boom: no licence for ***');
    expect(run.output).not.toContain('tok-7f3a9c');
    expect(run.output).toContain('rolled back');
    expect(run.output).not.toContain('    at ');
  });
});

describe('apply, inspect, change, destroy', () => {
  it('refuses without a terminal and without --yes, changing nothing', () => {
    const run = conductorWithProvider(['apply', '-f', 'lab.json', '--state', stateFile]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('approval is required and there is no terminal');
    expect(providerNames()).toEqual([]);
  });

  it('applies with --yes: plain progress lines, a summary, records in state', () => {
    const run = conductorWithProvider(['apply', '-f', 'lab.json', '--yes', '--state', stateFile]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toMatch(/✓ net:vlan:v10: created in \d+ ms \[id=net-1\]/);
    expect(run.stdout).toContain('Apply complete: 3 changed, 0 unchanged');
    expect(run.output).not.toContain('hunter2');
    expect(providerNames()).toEqual(['app:container:web', 'net:rule:r1', 'net:vlan:v10']);

    const deployments = conductor(['deployments', '--state', stateFile]);
    expect(deployments.code).toBe(0);
    expect(deployments.stdout).toMatch(/lab\s+applied\s+3\s+1/);

    const state = conductor(['state', '--json', '--state', stateFile]);
    const records = JSON.parse(state.stdout) as Array<{
      address: string;
      id: string;
      properties: Record<string, unknown>;
    }>;
    expect(records.map((record) => record.address)).toEqual([
      'app:container:web',
      'net:rule:r1',
      'net:vlan:v10',
    ]);
    const web = records.find((record) => record.address === 'app:container:web')!;
    // The reference was resolved just in time: the VLAN's id, not the template, was sent and recorded.
    expect(web.properties.network).toBe('net-1');
    expect(JSON.stringify(web)).not.toContain('hunter2');
  });

  it('plans against state: a second apply has nothing to do', () => {
    const plan = conductor(['plan', '-f', 'lab.json', '--state', stateFile]);
    expect(plan.stdout).toContain('no changes');
    const run = conductorWithProvider(['apply', '-f', 'lab.json', '--yes', '--state', stateFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Nothing to do');
  });

  it('rolls a failed apply back and says so', () => {
    const run = conductorWithProvider(['apply', '-f', 'lab-v2.json', '--yes', '--state', stateFile], {
      FAKE_FAIL: 'create:data',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('No room for data');
    expect(run.stdout).toContain('rolled back');
    expect(providerNames()).toEqual(['app:container:web', 'net:rule:r1', 'net:vlan:v10']);
    expect(conductor(['deployments', '--state', stateFile]).stdout).toMatch(/lab\s+rolled-back\s+3/);
  });

  it('reports a rollback that fails, and recover finishes it later', () => {
    // A second deployment whose rollback cannot delete what it created.
    writeFileSync(
      join(work, 'side.json'),
      JSON.stringify({
        name: 'side',
        resources: [
          { server: 'app', type: 'volume', name: 'data2', properties: { sizeGb: 1 } },
          { server: 'app', type: 'volume', name: 'data3', properties: { sizeGb: 1 }, dependsOn: ['data2'] },
        ],
      }),
    );
    const failed = conductorWithProvider(['apply', '-f', 'side.json', '--yes', '--state', stateFile], {
      FAKE_FAIL: 'create:data3,delete:data2',
    });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('the rollback did not finish: 1 resource was left behind');
    expect(failed.stdout).toMatch(
      /app:volume:data2 on app \[id=app-\d+\]: undoing its create failed: .*No room for data2/,
    );
    expect(providerNames()).toContain('app:volume:data2');
    // State records exactly what was left behind.
    const state = JSON.parse(
      conductor(['state', '--json', '--deployment', 'side', '--state', stateFile]).stdout,
    );
    expect(state.map((record: { address: string }) => record.address)).toEqual(['app:volume:data2']);

    const recovered = conductorWithProvider(['recover', '--yes', '--state', stateFile]);
    expect(recovered.code, recovered.output).toBe(0);
    expect(recovered.stdout).toContain('its rollback failed');
    expect(recovered.stdout).toContain('rolled back (1 provider change)');
    expect(providerNames()).toEqual(['app:container:web', 'net:rule:r1', 'net:vlan:v10']);
    expect(conductor(['state', '--deployment', 'side', '--state', stateFile]).stdout).toContain(
      'State holds no resources',
    );
  });

  it('answers "what did it look like at time T" from revisions', () => {
    const before = new Date(Date.now() - 3_600_000).toISOString();
    expect(conductor(['state', '--at', before, '--state', stateFile]).stdout).toContain(
      'State holds no resources',
    );
    const now = conductor(['state', '--at', new Date().toISOString(), '--state', stateFile]);
    expect(now.stdout).toContain('net:vlan:v10');
    const bad = conductor(['state', '--at', 'yesterday-ish', '--state', stateFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a time');
  });

  it('refuses while another process holds the lock, and unlock --force frees it', async () => {
    const holder = spawn(process.execPath, [join(root, 'test/state/fixtures/lock-holder.mjs'), stateFile], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const blocked = conductorWithProvider(['apply', '-f', 'lab.json', '--yes', '--state', stateFile]);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain(`locked by apply held-by-child (pid ${holder.pid}`);
      const unlock = conductor(['unlock', '--state', stateFile]);
      expect(unlock.code).toBe(1);
      expect(unlock.stderr).toContain('may still be running');
      const forced = conductor(['unlock', '--force', '--state', stateFile]);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('Unlocked');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('destroys in reverse dependency order', () => {
    const run = conductorWithProvider(['destroy', 'lab', '--yes', '--state', stateFile]);
    expect(run.code, run.output).toBe(0);
    const order = [...run.stdout.matchAll(/✓ (\S+): deleted/g)].map((match) => match[1]);
    expect(order).toEqual(['net:rule:r1', 'app:container:web', 'net:vlan:v10']);
    expect(providerNames()).toEqual([]);
    expect(conductor(['deployments', '--state', stateFile]).stdout).toMatch(/lab\s+destroyed\s+0/);
    const missing = conductorWithProvider(['destroy', 'nope', '--yes', '--state', stateFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Known deployments: lab');
  });

  it('recover with nothing to do says so', () => {
    const run = conductorWithProvider(['recover', '--state', stateFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Nothing to recover');
  });
});
