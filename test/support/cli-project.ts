// A temporary project directory where the compiled `conductor` CLI runs as a user runs it: its own CONDUCTOR_HOME,
// files written as JSON, and readers for what `inventory --json`, `state --json` and `deployments --json` print.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(root, 'bin', 'conductor.js');

export interface InventoryResource {
  id: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
  outputs: Record<string, unknown>;
}
export interface Inventory {
  sandbox: boolean;
  servers: Array<{ name: string; status: string; error?: string; resources: InventoryResource[] }>;
}
export interface StateRecord {
  address: string;
  server: string;
  type: string;
  name: string;
  id: string;
  deployment: string;
  properties: Record<string, unknown>;
  outputs: Record<string, unknown>;
}
export interface DeploymentSummary {
  name: string;
  status: string;
  resources: number;
}

export class CliProject {
  readonly directory: string;
  readonly home: string;
  readonly stateFile: string;

  constructor(prefix: string) {
    this.directory = realpathSync(mkdtempSync(join(tmpdir(), `${prefix}-`)));
    this.home = join(this.directory, 'home');
    // The default place, so runs with and without --state read the same file.
    this.stateFile = join(this.home, 'state.sqlite');
    mkdirSync(this.home);
  }

  write(name: string, document: unknown): void {
    writeFileSync(join(this.directory, name), JSON.stringify(document, null, 2));
  }

  /** Runs the CLI; faults come only from `env` (an inherited CONDUCTOR_SANDBOX_FAULTS is cleared). */
  run(args: string[], env: NodeJS.ProcessEnv = {}) {
    const result = spawnSync(process.execPath, [bin, ...args], {
      cwd: this.directory,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: this.home, CONDUCTOR_SANDBOX_FAULTS: '', ...env },
      timeout: 60_000,
    });
    return {
      code: result.status,
      stdout: result.stdout,
      output: `${result.stdout}${result.stderr}${result.error ? `\n${result.error.message}` : ''}`,
    };
  }

  /** What every server holds; each server must answer. */
  inventory(): Inventory {
    const run = this.run(['inventory', '--json']);
    expect(run.code, run.output).toBe(0);
    const inventory = JSON.parse(run.stdout) as Inventory;
    for (const server of inventory.servers) expect(server.status, JSON.stringify(server)).toBe('ok');
    return inventory;
  }

  state(): StateRecord[] {
    const run = this.run(['state', '--json', '--state', this.stateFile]);
    expect(run.code, run.output).toBe(0);
    return JSON.parse(run.stdout) as StateRecord[];
  }

  deployment(name: string): DeploymentSummary | undefined {
    const run = this.run(['deployments', '--json', '--state', this.stateFile]);
    expect(run.code, run.output).toBe(0);
    return (JSON.parse(run.stdout) as DeploymentSummary[]).find((deployment) => deployment.name === name);
  }
}

/** `server:type:name → id` of everything the servers hold. */
export function held(inventory: Inventory): Record<string, string> {
  return Object.fromEntries(
    inventory.servers.flatMap((server) =>
      server.resources.map((resource) => [`${server.name}:${resource.type}:${resource.name}`, resource.id]),
    ),
  );
}
