import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CliProject,
  held,
  type Inventory,
  type InventoryResource,
  root,
  type StateRecord,
} from '../support/cli-project.js';

const sandboxMain = join(root, 'dist', 'src', 'sandbox', 'main.js');
const memoryServer = join(root, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
const filesystemServer = join(
  root,
  'node_modules',
  '@modelcontextprotocol',
  'server-filesystem',
  'dist',
  'index.js',
);

/** A project whose config mixes sandbox servers with the real memory and filesystem servers. */
class Project extends CliProject {
  readonly files: string;
  readonly memoryFile: string;

  constructor(label: string) {
    // realpath (in CliProject): the filesystem server resolves its allowed directories, and ids are resolved paths.
    super(`conductor-mixed-${label}`);
    this.files = join(this.directory, 'files');
    this.memoryFile = join(this.directory, 'memory.jsonl');
    mkdirSync(this.files);
    const sandbox = (provider: string) => ({
      command: process.execPath,
      args: [sandboxMain, provider],
      // The SDK passes only a few safe variables to a stdio server: the sandbox's home (and its faults, expanded from
      // the CLI's environment) are given explicitly.
      env: { CONDUCTOR_HOME: this.home, CONDUCTOR_SANDBOX_FAULTS: '${CONDUCTOR_SANDBOX_FAULTS:-}' },
    });
    const config = {
      mcpServers: {
        docker: sandbox('docker'),
        dns: sandbox('dns'),
        memory: {
          command: process.execPath,
          args: [memoryServer],
          env: { MEMORY_FILE_PATH: this.memoryFile },
        },
        files: { command: process.execPath, args: [filesystemServer, this.files] },
      },
    };
    writeFileSync(join(this.directory, 'conductor.config.json'), JSON.stringify(config, null, 2));
  }

  /** The entities in the memory server's own file (one JSON object a line). */
  entities(): Array<{ name: string; entityType: string; observations: string[] }> {
    if (!existsSync(this.memoryFile)) return [];
    return readFileSync(this.memoryFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; name: string; entityType: string; observations: string[] },
      )
      .filter((item) => item.type === 'entity');
  }
}

/** `address → id` of everything state records. */
function recorded(records: StateRecord[]): Record<string, string> {
  return Object.fromEntries(records.map((record) => [record.address, record.id]));
}

function resourceOn(inventory: Inventory, server: string, name: string): InventoryResource | undefined {
  return inventory.servers
    .find((entry) => entry.name === server)
    ?.resources.find((item) => item.name === name);
}

const upstreamContent = (ip: string) => `upstream web { server ${ip}:80; }\n`;

const webStack = {
  name: 'web-stack',
  resources: [
    { server: 'docker', type: 'network', name: 'appnet', properties: { subnet: '10.44.0.0/24' } },
    {
      server: 'docker',
      type: 'container',
      name: 'web',
      properties: { image: 'nginx:1.27', network: 'appnet' },
    },
    {
      server: 'dns',
      type: 'record',
      name: 'web-a',
      properties: { name: 'web.example.com', type: 'A', value: '${docker:container:web.ipAddress}' },
    },
    {
      server: 'memory',
      type: 'entity',
      name: 'web-service',
      properties: {
        entityType: 'service',
        observations: ['runs nginx', 'ip ${docker:container:web.ipAddress}'],
      },
    },
    {
      server: 'files',
      type: 'file',
      // The name the filesystem adapter gives a listed `upstream.conf`, so inventory and state match.
      name: 'upstream-conf',
      properties: {
        path: 'upstream.conf',
        content: 'upstream web { server ${docker:container:web.ipAddress}:80; }\n',
      },
    },
  ],
};

describe('one deployment across sandbox, memory and filesystem servers', () => {
  let project: Project;
  let ip: string;
  let destroyRun: ReturnType<Project['run']>;
  const upstreamFile = () => join(project.files, 'upstream.conf');

  beforeAll(() => {
    project = new Project('apply');
    project.write('web-stack.json', webStack);
  });

  it('starts with every server reachable and empty', () => {
    const inventory = project.inventory();
    expect(inventory.sandbox).toBe(false);
    expect(inventory.servers.map((server) => server.name).sort()).toEqual([
      'dns',
      'docker',
      'files',
      'memory',
    ]);
    expect(held(inventory)).toEqual({});
  }, 60_000);

  it('applies it, and each server holds its part with the container address filled in', () => {
    const run = project.run(['apply', '-f', 'web-stack.json', '--yes', '--state', project.stateFile]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('Apply complete: 5 changed');

    const inventory = project.inventory();
    expect(Object.keys(held(inventory)).sort()).toEqual([
      'dns:record:web-a',
      'docker:container:web',
      'docker:network:appnet',
      'files:file:upstream-conf',
      'memory:entity:web-service',
    ]);
    const container = resourceOn(inventory, 'docker', 'web')!;
    ip = String(container.outputs.ipAddress);
    expect(ip).toMatch(/^10\.44\.0\.\d+$/);
    expect(resourceOn(inventory, 'dns', 'web-a')!.properties.value).toBe(ip);
    expect(resourceOn(inventory, 'memory', 'web-service')!.properties).toEqual({
      entityType: 'service',
      observations: ['runs nginx', `ip ${ip}`],
    });
    const file = resourceOn(inventory, 'files', 'upstream-conf')!;
    expect(file.id).toBe(upstreamFile());
    expect(file.properties.path).toBe('upstream.conf');
  }, 60_000);

  it('wrote the real address into the file and into the memory server’s graph', () => {
    expect(readFileSync(upstreamFile(), 'utf8')).toBe(upstreamContent(ip));
    expect(project.entities()).toEqual([
      {
        type: 'entity',
        name: 'web-service',
        entityType: 'service',
        observations: ['runs nginx', `ip ${ip}`],
      },
    ]);
  });

  it('records in state exactly what the servers hold', () => {
    const records = project.state();
    expect(recorded(records)).toEqual(held(project.inventory()));
    expect(new Set(records.map((record) => record.deployment))).toEqual(new Set(['web-stack']));
    const byAddress = new Map(records.map((record) => [record.address, record]));
    expect(byAddress.get('files:file:upstream-conf')!.properties).toEqual({
      path: 'upstream.conf',
      content: upstreamContent(ip),
    });
    expect(byAddress.get('memory:entity:web-service')!.properties.observations).toEqual([
      'runs nginx',
      `ip ${ip}`,
    ]);
    expect(byAddress.get('dns:record:web-a')!.properties.value).toBe(ip);
  }, 60_000);

  it('destroy says honestly that the file remains, and state agrees with the servers', () => {
    destroyRun = project.run(['destroy', 'web-stack', '--yes', '--state', project.stateFile]);
    const run = destroyRun;
    // Whether a destroy that leaves something behind exits 0 or 1 is the CLI's call; a crash or usage error is not.
    expect([0, 1], run.output).toContain(run.code);
    expect(run.stdout).toContain('files:file:upstream-conf');
    expect(run.stdout).toContain(`${upstreamFile()} remains`);
    expect(readFileSync(upstreamFile(), 'utf8')).toBe(upstreamContent(ip));
    const inventory = project.inventory();
    expect(held(inventory)).toHaveProperty(['files:file:upstream-conf'], upstreamFile());
    // Whatever remains, state records it (the file among it), and nothing that is gone.
    expect(recorded(project.state())).toEqual(held(inventory));
  }, 60_000);

  it('destroy removes everything the servers can delete: only the file remains', () => {
    const inventory = project.inventory();
    expect(held(inventory), destroyRun.output).toEqual({ 'files:file:upstream-conf': upstreamFile() });
    expect(project.entities()).toEqual([]);
    expect(destroyRun.stdout).not.toContain('the providers hold what they held before');
    // State keeps tracking the file while it exists, and nothing else.
    expect(recorded(project.state())).toEqual(held(inventory));
  }, 60_000);

  it('once the file is removed by hand, destroy finishes and state forgets the deployment', () => {
    rmSync(upstreamFile());
    const run = project.run(['destroy', 'web-stack', '--yes', '--state', project.stateFile]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).not.toContain(`${upstreamFile()} remains`);
    expect(held(project.inventory())).toEqual({});
    expect(project.state()).toEqual([]);
  }, 60_000);
});

describe('a failed apply that created a file', () => {
  let project: Project;

  beforeAll(() => {
    project = new Project('rollback');
    project.write('web-stack.json', {
      name: 'web-stack',
      resources: [
        ...webStack.resources.filter((resource) => resource.server !== 'dns'),
        // Needs the file, so it is created after it; the injected failure makes the apply roll back.
        {
          server: 'dns',
          type: 'record',
          name: 'conf-size',
          properties: {
            name: 'conf.example.com',
            type: 'TXT',
            value: 'bytes ${files:file:upstream-conf.size}',
          },
        },
      ],
    });
  });

  let file: string;
  let applyRun: ReturnType<Project['run']>;

  it('fails, says the file remains, and state agrees with what the servers hold', () => {
    applyRun = project.run(['apply', '-f', 'web-stack.json', '--yes', '--state', project.stateFile], {
      CONDUCTOR_SANDBOX_FAULTS: JSON.stringify({ dns: { failOn: ['create:record'] } }),
    });
    const run = applyRun;
    expect(run.code, run.output).toBe(1);
    expect(run.stdout, run.output).toContain('injected by CONDUCTOR_SANDBOX_FAULTS');
    file = join(project.files, 'upstream.conf');
    expect(run.stdout).toContain(`${file} remains`);
    expect(existsSync(file)).toBe(true);
    const inventory = project.inventory();
    expect(held(inventory)).toHaveProperty(['files:file:upstream-conf'], file);
    expect(project.entities()).toEqual([]);
    expect(recorded(project.state())).toEqual(held(inventory));
  }, 60_000);

  it('rolls back everything but the file: nothing else depends on the file being gone', () => {
    const inventory = project.inventory();
    expect(held(inventory), applyRun.output).toEqual({ 'files:file:upstream-conf': file });
    expect(recorded(project.state())).toEqual(held(inventory));
  }, 60_000);
});
