// Query, troubleshoot and restore against the real sandbox servers over MCP, as a user meets them: the game server is
// applied by the CLI as a process; the answers open the same state and servers (same CONDUCTOR_HOME). The port
// forward is deleted and the pass rule disabled directly on the firewall; troubleshooting reports both with the fix,
// and the fix it names (refresh, then apply again) puts everything right. Then v2 (8g) is applied, and the restore to
// the time before it plans and applies one update back to 4g.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerQuery } from '../../../src/agent/answers/query.js';
import { restoreDeployment } from '../../../src/agent/answers/restore.js';
import { troubleshoot } from '../../../src/agent/answers/troubleshoot.js';
import { loadConfig } from '../../../src/config/config.js';
import { executePlan } from '../../../src/execute/executor.js';
import { planDeployment } from '../../../src/plan/planner.js';
import { inventory } from '../../../src/providers/inventory.js';
import { createProviders, type Providers } from '../../../src/providers/registry.js';
import { openStateStore } from '../../../src/state/open-state-store.js';
import type { StateStore } from '../../../src/state/state-store.js';
import { CliProject, root } from '../../support/cli-project.js';
import { owner, signal } from './fixtures.js';

const example = readFileSync(join(root, 'examples', 'game-server.yaml'), 'utf8');
let project: CliProject;

interface Opened {
  state: StateStore;
  providers: Providers;
}
let opened: Opened | undefined;

/** The state and servers the CLI used. Closed before the CLI runs again: a sandbox server reads its file at start. */
async function open(configFile?: string): Promise<Opened> {
  const env = { CONDUCTOR_HOME: project.home };
  const config = await loadConfig({
    cwd: project.directory,
    env,
    ...(configFile ? { explicitPath: configFile } : {}),
  });
  const state = await openStateStore({ home: project.home });
  opened = { state, providers: createProviders({ config, home: project.home, env }) };
  return opened;
}

async function close(): Promise<void> {
  if (!opened) return;
  const { state, providers } = opened;
  opened = undefined;
  await providers.close();
  await state.close();
}

function conductor(args: string[]) {
  const run = project.run(args);
  expect(run.code, run.output).toBe(0);
  return run;
}

beforeAll(() => {
  project = new CliProject('conductor-answers');
  writeFileSync(join(project.directory, 'game-server.yaml'), example);
  conductor(['apply', '-f', 'game-server.yaml', '--yes']);
});

afterEach(close);

describe('on the sandbox servers', () => {
  it('answers what runs on VLAN 20 and what is exposed, including what the servers hold unmanaged', async () => {
    const { state, providers } = await open();
    await providers.gateway.create(
      {
        server: 'opnsense',
        type: 'firewall:nat',
        name: 'hand-made-ssh',
        properties: {
          interface: 'wan',
          protocol: 'tcp',
          destinationPort: 2222,
          target: '192.168.1.5',
          targetPort: 22,
        },
      },
      { signal: signal() },
    );
    const context = { state, inventory: () => inventory(providers.gateway) };

    const vlan = await answerQuery('what runs on VLAN 20?', context);
    expect(vlan.text).toMatch(
      /^VLAN 20 is opnsense network:vlan game-vlan, device vlan\d\d \(deployment minecraft\)\./,
    );
    expect(vlan.facts?.map((fact) => fact.subject)).toEqual([
      'opnsense:network:vlan:game-vlan',
      'opnsense:dhcp:range:game-dhcp',
      'docker:network:game-net',
      'docker:container:minecraft',
      'opnsense:firewall:nat:minecraft-forward',
      'opnsense:firewall:rule:minecraft-allow',
      'dns:record:minecraft-dns',
    ]);
    expect(vlan.facts?.every((fact) => fact.values.live === 'present')).toBe(true);

    const exposed = await answerQuery("what's exposed to the internet?", context);
    expect(exposed.text).toContain(
      '203.0.113.10:25565/tcp → 10.20.0.10:25565 (allowed by rule minecraft-allow)  [minecraft: opnsense firewall nat minecraft-forward]',
    );
    expect(exposed.text).toContain(
      '203.0.113.10:2222/tcp → 192.168.1.5:22 (its own associated filter rule lets it in)  [NOT MANAGED BY CONDUCTOR: opnsense firewall nat hand-made-ssh]',
    );

    const where = await answerQuery('where is minecraft?', context);
    expect(where.text).toContain('  minecraft.home.arpa → 10.20.0.10 (dns record minecraft-dns)');
    expect(where.text).not.toContain('change-me-please');

    const [held] = await providers.gateway
      .list({ server: 'opnsense', type: 'firewall:nat' }, { signal: signal() })
      .then((list) => list.filter((resource) => resource.name === 'hand-made-ssh'));
    await providers.gateway.delete(
      { server: 'opnsense', type: 'firewall:nat', id: held!.id, name: 'hand-made-ssh' },
      { signal: signal() },
    );
  });

  it('finds the deleted port forward and the disabled rule, and the fix it proposes works', async () => {
    const { state, providers } = await open();
    const forward = (await state.getResource('opnsense', 'minecraft-forward'))!;
    const rule = (await state.getResource('opnsense', 'minecraft-allow'))!;
    await providers.gateway.delete(
      { server: 'opnsense', type: 'firewall:nat', id: forward.id!, name: forward.name },
      { signal: signal() },
    );
    await providers.gateway.update(
      {
        server: 'opnsense',
        type: 'firewall:rule',
        id: rule.id!,
        name: rule.name,
        properties: { ...rule.properties, enabled: false },
      },
      { signal: signal() },
    );

    const report = await troubleshoot({
      deployment: 'minecraft',
      symptom: "my friends can't connect",
      state,
      gateway: providers.gateway,
    });
    const problems = report.findings.filter((finding) => finding.status === 'problem');
    expect(problems).toEqual([
      {
        check: 'port-forward',
        status: 'problem',
        address: 'opnsense:firewall:nat:minecraft-forward',
        summary:
          'The port forward minecraft-forward for 25565/tcp is gone from opnsense: nothing forwards it to minecraft any more.',
        fix: 'Re-apply minecraft: `conductor refresh --deployment minecraft` records what the servers hold, then applying minecraft again re-creates the port forward minecraft-forward (203.0.113.10:25565/tcp → 10.20.0.10:25565).',
        reapply: true,
      },
      {
        check: 'firewall-rule',
        status: 'problem',
        address: 'opnsense:firewall:rule:minecraft-allow',
        summary:
          'The pass rule minecraft-allow is disabled, so the firewall drops what minecraft-forward forwards to minecraft.',
        fix: 'Re-apply minecraft: `conductor refresh --deployment minecraft` records what the servers hold, then applying minecraft again enables the rule minecraft-allow again (enabled: true).',
        reapply: true,
      },
    ]);
    expect(report.counts).toEqual({ ok: 6, problem: 2, unknown: 0 });
    await close();

    // The fix, as proposed.
    conductor(['refresh', '--deployment', 'minecraft']);
    const apply = conductor(['apply', '-f', 'game-server.yaml', '--yes']);
    expect(apply.stdout).toContain('Plan: 1 to create, 1 to update');

    const after = await open();
    const again = await troubleshoot({
      deployment: 'minecraft',
      state: after.state,
      gateway: after.providers.gateway,
    });
    expect(again.counts).toEqual({ ok: 8, problem: 0, unknown: 0 });
  });

  it('reports a server it cannot reach as unknown and checks the rest', async () => {
    const sandboxMain = join(root, 'dist', 'src', 'sandbox', 'main.js');
    const sandbox = (provider: string) => ({
      command: process.execPath,
      args: [sandboxMain, provider],
      env: { CONDUCTOR_HOME: project.home },
    });
    project.write('broken-opnsense.json', {
      mcpServers: {
        opnsense: { command: process.execPath, args: ['-e', 'console.error("no licence"); process.exit(3)'] },
        docker: sandbox('docker'),
        dns: sandbox('dns'),
      },
    });
    const { state, providers } = await open(join(project.directory, 'broken-opnsense.json'));
    const report = await troubleshoot({
      deployment: 'minecraft',
      state,
      gateway: providers.gateway,
      timeoutMs: 10_000,
    });
    const unknown = report.findings.filter((finding) => finding.status === 'unknown');
    expect(unknown.map((finding) => finding.address)).toEqual([
      'opnsense:network:vlan:game-vlan',
      'opnsense:dhcp:range:game-dhcp',
      'opnsense:firewall:nat:minecraft-forward',
      'opnsense:firewall:rule:minecraft-allow',
    ]);
    expect(unknown[0]!.summary).toMatch(/^VLAN 20 \(game-vlan, vlan\d\d\): opnsense could not be reached: /);
    expect(report.counts).toEqual({ ok: 4, problem: 0, unknown: 4 });
  });

  it('restores the deployment as it was before v2: one update back to 4g, applied on the servers', async () => {
    // Revisions are stamped when an apply finishes; the moment between the two applies is taken from the clock.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(join(project.directory, 'game-server.yaml'), example.replace('memory: 4g', 'memory: 8g'));
    conductor(['apply', '-f', 'game-server.yaml', '--yes']);

    const { state, providers } = await open();
    const restored = await restoreDeployment({ state, deployment: 'minecraft', at: between });
    expect(restored.diagnostics.filter((diagnostic) => diagnostic.severity !== 'info')).toEqual([]);
    const container = restored.deployment!.resources.find((resource) => resource.name === 'minecraft')!;
    expect(container.properties.memory).toBe('4g');

    const servers = [...new Set(restored.deployment!.resources.map((resource) => resource.server))];
    const types = await providers.gateway.describeTypes({ servers });
    const plan = await planDeployment({ deployment: restored.deployment!, state, types });
    expect(plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(
      plan.steps
        .filter((step) => step.action !== 'same')
        .map((step) => [
          step.address,
          step.action,
          step.changes.map((change) => `${change.path}: ${String(change.before)} → ${String(change.after)}`),
        ]),
    ).toEqual([['docker:container:minecraft', 'update', ['memory: 8g → 4g']]]);

    const result = await executePlan(plan, {
      gateway: providers.gateway,
      state,
      applyId: 'restore-1',
      owner,
      source: restored.deployment!,
    });
    expect(result.status).toBe('succeeded');
    const record = (await state.getResource('docker', 'minecraft'))!;
    const live = await providers.gateway.read(
      { server: 'docker', type: 'container', id: record.id! },
      { signal: signal() },
    );
    expect(live?.properties.memory).toBe('4g');
  });
});
