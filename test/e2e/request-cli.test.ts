// Requests in words through the compiled CLI, as a user runs it, on the built-in sandbox with the offline model:
// `conductor intent`, `conductor plan "TEXT"`, `conductor apply "TEXT"`, overrides and the audit log.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, CliProject, held } from '../support/cli-project.js';

const MINECRAFT = 'deploy a minecraft server for 10 players on VLAN 20';

function audit(project: CliProject): Array<Record<string, unknown>> {
  const file = join(project.home, 'audit.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('conductor intent', () => {
  it('prints the Intent for a request, and one JSON line per stdin line, without side effects', () => {
    const project = new CliProject('conductor-intent');
    const run = project.run(['intent', '--json', MINECRAFT]);
    expect(run.code, run.output).toBe(0);
    const intent = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(intent).toMatchObject({
      kind: 'deploy',
      pattern: 'game-server',
      params: { game: 'minecraft', players: 10, vlanTag: 20 },
    });
    expect(run.output).toContain('offline parser');

    const lines = spawnSync(process.execPath, [bin, 'intent', '--json'], {
      cwd: project.directory,
      input: `${MINECRAFT}\n\nwhat runs on VLAN 20?\norder a pizza\n`,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: project.home, ANTHROPIC_API_KEY: '' },
    });
    expect(lines.status, lines.stderr).toBe(0);
    const intents = lines.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string });
    expect(intents.map((entry) => entry.kind)).toEqual(['deploy', 'query', 'unsupported']);
    // Nothing was written: no state, no audit log.
    expect(existsSync(project.stateFile)).toBe(false);
    expect(audit(project)).toEqual([]);
  });

  it('refuses an unknown --model and a missing API key with a code and a fix', () => {
    const project = new CliProject('conductor-intent-model');
    const bad = project.run(['intent', '--model', 'gpt', 'hello']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('anthropic, offline');
    const keyless = project.run(['intent', '--model', 'anthropic', 'hello'], { ANTHROPIC_API_KEY: '' });
    expect(keyless.code).toBe(2);
    expect(keyless.output).toContain('ANTHROPIC_API_KEY');
    expect(keyless.output).not.toContain('    at ');
  });
});

describe('one-shot requests on the sandbox', () => {
  let project: CliProject;
  beforeAll(() => {
    project = new CliProject('conductor-request');
  });

  it('plans a request and says how to apply it; planning creates no state', () => {
    const run = project.run(['plan', MINECRAFT]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('opnsense:network:vlan:');
    expect(run.stdout).toContain('docker:container:minecraft');
    expect(run.stdout).toContain(`To apply it: conductor apply "${MINECRAFT}"`);
    expect(existsSync(project.stateFile)).toBe(false);
    // --json: stdout is the plan alone, as JSON.
    const json = project.run(['plan', MINECRAFT, '--json']);
    expect(json.code, json.output).toBe(0);
    const plan = JSON.parse(json.stdout) as { deployment: string; steps: unknown[] };
    expect(plan).toMatchObject({ deployment: 'minecraft' });
    expect(plan.steps).toHaveLength(8);
  });

  it('applies nothing without a terminal and without --yes (exit 3), and the audit log says why', () => {
    const run = project.run(['apply', MINECRAFT]);
    expect(run.code, run.output).toBe(3);
    expect(run.output).toContain('no terminal');
    expect(held(project.inventory())).toEqual({});
    expect(audit(project).at(-1)).toMatchObject({
      command: 'apply',
      approval: 'no-terminal',
      result: 'refused',
    });
  });

  it('applies with --yes, records the pattern and parameters, and says what now exists', () => {
    const run = project.run(['apply', MINECRAFT, '--yes']);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('minecraft now has');
    const inventory = held(project.inventory());
    expect(Object.keys(inventory)).toContain('docker:container:minecraft');
    expect(project.deployment('minecraft')).toMatchObject({ status: 'applied' });
    const entry = audit(project).at(-1)!;
    expect(entry).toMatchObject({
      command: 'apply',
      request: MINECRAFT,
      approval: 'approved-by-flag',
      result: 'succeeded',
      intent: { kind: 'deploy', pattern: 'game-server' },
    });
    expect(entry.who).toMatchObject({ pid: expect.any(Number) });
  });

  it('says what is missing instead of guessing (exit 2)', () => {
    const run = project.run(['plan', 'deploy a web app']);
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(/app ?name|domain/i);
    expect(run.output).not.toContain('    at ');
  });

  it('answers out-of-scope requests with what it can do (exit 2)', () => {
    const run = project.run(['plan', 'order a pizza']);
    expect(run.code, run.output).toBe(2);
    expect(run.stdout).toContain('not something Conductor can do');
  });

  it('blocks a mandatory policy violation even with --yes, unless overridden with a reason', () => {
    const request = 'open port 22 from the internet to 10.0.0.5';
    const blocked = project.run(['apply', request, '--yes']);
    expect(blocked.code, blocked.output).toBe(3);
    expect(blocked.stdout).toContain('no-management-ports-from-wan');
    const reasonless = project.run([
      'apply',
      request,
      '--yes',
      '--override-policy',
      'no-management-ports-from-wan',
    ]);
    expect(reasonless.code).toBe(2);
    expect(reasonless.output).toContain('--reason');
    const overridden = project.run([
      'apply',
      request,
      '--yes',
      '--override-policy',
      'no-management-ports-from-wan',
      '--reason',
      'lab box, ticket OPS-7',
    ]);
    expect(overridden.code, overridden.output).toBe(0);
    expect(overridden.stdout).toContain('overridden: lab box, ticket OPS-7');
    expect(audit(project).at(-1)).toMatchObject({
      overrides: [{ policy: 'no-management-ports-from-wan', reason: 'lab box, ticket OPS-7' }],
      result: 'succeeded',
    });
  });

  it('plan -f and a request together is a usage error', () => {
    const run = project.run(['plan', MINECRAFT, '-f', 'x.yaml']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('not both');
  });
});
