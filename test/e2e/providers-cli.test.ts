// Servers, import, inventory and drift as a user runs them, on the built-in sandbox.
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

function conductor(args: string[], cwd = work) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: home, CONDUCTOR_SANDBOX_FAULTS: '' },
    timeout: 120_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.stdout + result.stderr,
  };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'conductor-providers-'));
  home = join(work, 'home');
  writeFileSync(
    join(work, 'names.json'),
    JSON.stringify({
      name: 'names',
      resources: [
        {
          server: 'dns',
          type: 'record',
          name: 'www',
          properties: { name: 'www.home.arpa', type: 'A', value: '192.168.1.10', ttl: 300 },
        },
        {
          server: 'dns',
          type: 'record',
          name: 'api',
          properties: { name: 'api.home.arpa', type: 'A', value: '192.168.1.11', ttl: 300 },
        },
      ],
    }),
  );
});

describe('conductor servers', () => {
  it('lists the sandbox servers as connected native servers with their types', () => {
    const run = conductor(['servers', '--json']);
    expect(run.code, run.output).toBe(0);
    const document = JSON.parse(run.stdout) as {
      sandbox: boolean;
      servers: Array<{ name: string; state: string; driver: string; types: string[] }>;
    };
    expect(document.sandbox).toBe(true);
    expect(document.servers.map((server) => server.name)).toEqual([
      'opnsense',
      'docker',
      'dns',
      'certs',
      'proxmox',
      'aws',
    ]);
    for (const server of document.servers) {
      expect(server.state).toBe('connected');
      expect(server.driver).toBe('native');
    }
    expect(document.servers.find((server) => server.name === 'aws')!.types).toContain('elb:loadBalancer');
  });

  it('imports servers from a Claude Desktop config', () => {
    const project = mkdtempSync(join(work, 'import-'));
    writeFileSync(
      join(project, 'claude_desktop_config.json'),
      JSON.stringify({
        mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } },
      }),
    );
    const run = conductor(
      ['servers', 'import', '--from-claude-desktop', 'claude_desktop_config.json'],
      project,
    );
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('Added memory');
    const written = JSON.parse(readFileSync(join(project, 'conductor.config.json'), 'utf8'));
    expect(written.mcpServers.memory.args).toEqual(['-y', '@modelcontextprotocol/server-memory']);
  });
});

describe('drift', () => {
  it('refresh reports what changed outside Conductor, and plan puts it back', () => {
    expect(conductor(['apply', '-f', 'names.json', '--yes']).code).toBe(0);
    // Someone edits the DNS server by hand: one record's TTL changes, the other is deleted.
    const file = join(home, 'sandbox', 'dns.json');
    const inventory = JSON.parse(readFileSync(file, 'utf8'));
    inventory.resources = inventory.resources.filter((resource: { name: string }) => resource.name !== 'api');
    inventory.resources[0].properties.ttl = 60;
    writeFileSync(file, JSON.stringify(inventory));

    const preview = conductor(['plan', '-f', 'names.json', '--refresh']);
    expect(preview.stdout).toContain('! dns:record:api: gone from dns');
    expect(preview.stdout).toMatch(/ttl\s+300 → 60/);
    expect(preview.stdout).toContain('Plan: 1 to create, 1 to update');

    const refresh = conductor(['refresh']);
    expect(refresh.code, refresh.output).toBe(0);
    expect(refresh.stdout).toContain('Drift: 2 resource(s)');
    const state = JSON.parse(conductor(['state', '--json']).stdout) as Array<{
      name: string;
      properties: { ttl: number };
    }>;
    expect(state.map((record) => [record.name, record.properties.ttl])).toEqual([['www', 60]]);

    expect(conductor(['apply', '-f', 'names.json', '--yes']).code).toBe(0);
    expect(conductor(['refresh']).stdout).toContain('No drift');
  });
});

describe('sandbox faults from config', () => {
  it('fails the named call and rolls the apply back', () => {
    const project = mkdtempSync(join(work, 'faults-'));
    writeFileSync(
      join(project, 'conductor.config.yaml'),
      'sandbox:\n  faults:\n    dns: { failOn: ["create:record"] }\n',
    );
    writeFileSync(join(project, 'names.json'), readFileSync(join(work, 'names.json')));
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: join(project, 'home') };
    delete env.CONDUCTOR_SANDBOX_FAULTS;
    const run = spawnSync(process.execPath, [bin, 'apply', '-f', 'names.json', '--yes'], {
      cwd: project,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('injected');
    expect(run.stdout).toContain('rolled back');
  });
});
