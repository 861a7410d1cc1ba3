// The CLI as a user runs it: a separate process, its stdout, stderr and exit code.
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'conductor.js');
let work: string;

function conductor(args: string[], cwd = root, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: join(work, 'home'), ...env },
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.stdout + result.stderr,
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'conductor-cli-'));
});

describe('conductor plan', () => {
  it('prints the review of the bundled example and exits 0', () => {
    const { code, stdout } = conductor(['plan', '-f', 'examples/game-server.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('Wave 1');
    expect(stdout).toContain('+ opnsense:network:vlan:game-vlan');
    expect(stdout).toContain('${opnsense:network:vlan:game-vlan.device} (known after apply)');
    expect(stdout).toMatch(/Plan: 7 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged\./);
    // The RCON password is a secret: masked in the review.
    expect(stdout).toContain('RCON_PASSWORD: (sensitive)');
    expect(stdout).not.toContain('change-me-please');
  });

  it('prints the plan as JSON with secrets masked', () => {
    const { code, stdout } = conductor(['plan', '-f', 'examples/game-server.yaml', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.formatVersion).toBe(1);
    expect(plan.summary.create).toBe(7);
    expect(plan.waves[0]).toEqual(['opnsense:network:vlan:game-vlan']);
    expect(stdout).not.toContain('change-me-please');
  });

  it('exits 3 and lists every mandatory violation', () => {
    const { code, stdout } = conductor(['plan', '-f', 'examples/insecure.yaml']);
    expect(code).toBe(3);
    expect(stdout).toContain('exposes SSH (22)');
    expect(stdout).toContain('any-to-any');
    expect(stdout).toContain('runs privileged');
    expect(stdout).toContain('Blocked by 3 mandatory policy violations.');
  });

  it('names the file and line of malformed JSON, without a stack trace, and exits 2', async () => {
    const file = join(work, 'broken.json');
    await writeFile(
      file,
      '{\n  "name": "x",\n  "resources": [\n    { "server": "a" }\n    { "server": "b" }\n  ]\n}\n',
    );
    const { code, output } = conductor(['plan', '-f', file]);
    expect(code).toBe(2);
    expect(output).toContain(`${file}:5:`);
    expect(output).toContain('[invalid-json]');
    expect(output).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('reports a cycle as a path and an unresolved reference with its location, exit 2', async () => {
    const file = join(work, 'cycle.yaml');
    await writeFile(
      file,
      [
        'name: loop',
        'resources:',
        '  - { server: a, type: t, name: one, properties: { x: "${a:two.id}" } }',
        '  - { server: a, type: t, name: two, properties: { x: "${a:one.id}" } }',
      ].join('\n'),
    );
    const cycle = conductor(['plan', '-f', file]);
    expect(cycle.code).toBe(2);
    expect(cycle.stdout).toContain('Dependency cycle: a:t:one → a:t:two → a:t:one.');
    const missing = conductor(['plan', '-f', 'test/fixtures/origin/load-balanced-web-app.json']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('${aws:elb:targetGroup:test-app-tg.arn}');
    expect(missing.stdout).toContain('load-balanced-web-app.json:83:13');
  });

  it('exits 2 for a missing file and for a missing -f', () => {
    const missing = conductor(['plan', '-f', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('Deployment file nope.yaml does not exist.');
    const usage = conductor(['plan']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('plan needs a request in words or -f FILE');
  });

  it('applies policy settings and custom policies from the config file', async () => {
    const project = await mkdtemp(join(work, 'project-'));
    await writeFile(
      join(project, 'no-latest.mjs'),
      `export default {
        id: 'no-latest-tag',
        description: 'Images must be pinned',
        severity: 'medium',
        enforcement: 'mandatory',
        evaluate(plan) {
          return plan.steps
            .filter((step) => typeof step.after?.image === 'string' && step.after.image.endsWith(':latest'))
            .map((step) => ({ address: step.address, summary: 'Image tag is latest.', remediation: 'Pin a version.' }));
        },
      };\n`,
    );
    await writeFile(
      join(project, 'conductor.config.yaml'),
      ['policyFiles: [./no-latest.mjs]', 'policies:', '  required-tags:', '    tags: [Owner]'].join('\n'),
    );
    const { code, stdout } = conductor(['plan', '-f', join(root, 'examples/game-server.yaml')], project);
    expect(code).toBe(3);
    expect(stdout).toContain('no-latest-tag (blocks apply)  docker:container:minecraft');
    expect(stdout).toContain('required-tags (advisory)');
    expect(stdout).toContain('Missing required tag: Owner.');
  });

  it('reports a broken config file by name', async () => {
    const project = await mkdtemp(join(work, 'project-'));
    await writeFile(
      join(project, 'conductor.config.json'),
      '{ "policies": { "no-any-to-any": { "enforcement": "sometimes" } } }',
    );
    const { code, output } = conductor(['plan', '-f', join(root, 'examples/game-server.yaml')], project);
    expect(code).toBe(2);
    expect(output).toContain('conductor.config.json: policies.no-any-to-any.enforcement');
    expect(output).not.toContain('    at ');
  });
});

describe('conductor graph', () => {
  it('prints Mermaid by default and DOT on request', () => {
    const mermaid = conductor(['graph', '-f', 'examples/game-server.yaml']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR/);
    expect(mermaid.stdout).toContain('+ opnsense:network:vlan:game-vlan');
    const dot = conductor(['graph', '-f', 'examples/game-server.yaml', '--format', 'dot']);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "minecraft" \{/);
    expect(dot.stdout).toContain('"opnsense:network:vlan:game-vlan" -> "opnsense:dhcp:range:game-dhcp"');
  });

  it('rejects an unknown format', () => {
    const { code, stderr } = conductor(['graph', '-f', 'examples/game-server.yaml', '--format', 'svg']);
    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices are mermaid, dot');
  });
});

describe('conductor', () => {
  it('shows help and version', () => {
    const help = conductor(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('plan [options]');
    const version = conductor(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
