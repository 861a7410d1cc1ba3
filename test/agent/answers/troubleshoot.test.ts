// Troubleshooting against the in-process FakeGateway: what a healthy deployment reports, each kind of breakage
// (made directly on the "servers") with the fix it proposes, servers that cannot be reached, and that nothing is
// ever changed by looking.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Finding,
  renderTroubleshootReport,
  troubleshoot,
} from '../../../src/agent/answers/troubleshoot.js';
import { ProviderError } from '../../../src/execute/provider-error.js';
import {
  applyDeployment,
  fakeGateway,
  gameServer,
  type Lab,
  lab,
  sandboxLikeOutputs,
  signal,
} from './fixtures.js';

let fixture: Lab;

beforeEach(async () => {
  fixture = lab();
  await applyDeployment(gameServer(), fixture);
});

async function check(symptom?: string) {
  return troubleshoot({
    deployment: 'minecraft',
    ...(symptom ? { symptom } : {}),
    state: fixture.state,
    gateway: fixture.gateway,
    now: () => new Date('2026-11-22T10:00:00Z'),
  });
}

function problems(findings: readonly Finding[]) {
  return findings.filter((finding) => finding.status === 'problem');
}

async function held(server: string, name: string) {
  const record = (await fixture.state.getResource(server, name))!;
  return { record, id: record.id! };
}

describe('a healthy deployment', () => {
  it('passes every check, with one finding per resource and per port', async () => {
    const report = await check();
    expect(report.counts).toEqual({ ok: 8, problem: 0, unknown: 0 });
    expect(report.findings.map((finding) => [finding.check, finding.address])).toEqual([
      ['vlan', 'opnsense:network:vlan:minecraft-vlan'],
      ['exists', 'docker:container:minecraft'],
      ['exists', 'docker:network:minecraft-net'],
      ['exists', 'opnsense:dhcp:range:minecraft-dhcp'],
      ['running', 'docker:container:minecraft'],
      ['port-forward', 'opnsense:firewall:nat:minecraft-forward'],
      ['firewall-rule', 'opnsense:firewall:rule:minecraft-allow'],
      ['dns', 'dns:record:minecraft-dns'],
    ]);
    expect(renderTroubleshootReport(report)).toBe(
      [
        'Troubleshooting minecraft: 0 problems, 8 fine.',
        '',
        'Fine:',
        '  ✓ [VLAN] VLAN 20 (minecraft-vlan, vlan20) exists on opnsense.',
        '  ✓ [resource] container minecraft exists on docker.',
        '  ✓ [resource] Docker network minecraft-net exists on docker.',
        '  ✓ [resource] DHCP range minecraft-dhcp exists on opnsense.',
        '  ✓ [running] container minecraft is running.',
        '  ✓ [port forward] Port forward minecraft-forward: 203.0.113.10:25565/tcp → 10.20.0.10:25565, enabled.',
        '  ✓ [firewall rule] Pass rule minecraft-allow: tcp from any to 10.20.0.10:25565 on wan, enabled.',
        '  ✓ [DNS] minecraft.home.arpa points at 10.20.0.10 (container minecraft).',
        '',
        'Every check passed. If it still misbehaves, the cause is inside the service itself.',
        '',
      ].join('\n'),
    );
  });

  it('only reads: no create, update or delete reaches a server', async () => {
    const before = fixture.gateway.calls.length;
    await check("friends can't connect");
    const calls = fixture.gateway.calls.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls.map((call) => call.operation))).toEqual(new Set(['read']));
  });
});

describe('what breaks, and the fix it proposes', () => {
  it('a deleted port forward: reported with the re-apply that re-creates it', async () => {
    const { id } = await held('opnsense', 'minecraft-forward');
    await fixture.gateway.delete(
      { server: 'opnsense', type: 'firewall:nat', id, name: 'minecraft-forward' },
      { signal: signal() },
    );
    const report = await check("my friends can't connect");
    expect(report.symptom).toBe("my friends can't connect");
    expect(problems(report.findings)).toEqual([
      {
        check: 'port-forward',
        status: 'problem',
        address: 'opnsense:firewall:nat:minecraft-forward',
        summary:
          'The port forward minecraft-forward for 25565/tcp is gone from opnsense: nothing forwards it to minecraft any more.',
        fix: 'Re-apply minecraft: `conductor refresh --deployment minecraft` records what the servers hold, then applying minecraft again re-creates the port forward minecraft-forward (203.0.113.10:25565/tcp → 10.20.0.10:25565).',
        reapply: true,
      },
    ]);
    // The forward is reported once, as a port forward, not again as a missing resource.
    expect(
      report.findings.filter((finding) => finding.address === 'opnsense:firewall:nat:minecraft-forward'),
    ).toHaveLength(1);
    expect(renderTroubleshootReport(report)).toContain(
      'Troubleshooting minecraft ("my friends can\'t connect"): 1 problem, 7 fine.\n\nProblems:\n  ✗ [port forward] The port forward minecraft-forward',
    );
  });

  it('a disabled pass rule: reported once, not again as drift', async () => {
    const { id, record } = await held('opnsense', 'minecraft-allow');
    await fixture.gateway.update(
      {
        server: 'opnsense',
        type: 'firewall:rule',
        id,
        name: record.name,
        properties: { ...record.properties, enabled: false },
      },
      { signal: signal() },
    );
    const found = problems((await check()).findings);
    expect(found).toEqual([
      expect.objectContaining({
        check: 'firewall-rule',
        address: 'opnsense:firewall:rule:minecraft-allow',
        summary:
          'The pass rule minecraft-allow is disabled, so the firewall drops what minecraft-forward forwards to minecraft.',
        fix: expect.stringContaining('enables the rule minecraft-allow again (enabled: true)'),
      }),
    ]);
  });

  it('a container that moved: the forward, the rule and the DNS record still point at the old address', async () => {
    const { id, record } = await held('docker', 'minecraft');
    await fixture.gateway.update(
      {
        server: 'docker',
        type: 'container',
        id,
        name: 'minecraft',
        properties: { ...record.properties, ipAddress: '10.20.0.11' },
      },
      { signal: signal() },
    );
    const found = problems((await check()).findings);
    expect(found.map((finding) => [finding.check, finding.summary])).toEqual([
      ['drift', 'container minecraft was changed outside Conductor: ipAddress 10.20.0.10 → 10.20.0.11.'],
      [
        'port-forward',
        'The port forward minecraft-forward sends 25565/tcp to 10.20.0.10, but container minecraft is at 10.20.0.11.',
      ],
      [
        'firewall-rule',
        'The pass rule minecraft-allow lets traffic in to 10.20.0.10, but container minecraft is at 10.20.0.11.',
      ],
      ['dns', 'minecraft.home.arpa points at 10.20.0.10, but container minecraft is at 10.20.0.11.'],
    ]);
    // The deployment gives the container a fixed address: re-applying moves it back rather than moving the rest.
    for (const finding of found.slice(1))
      expect(finding.fix).toContain(
        'puts container minecraft back at its fixed address 10.20.0.10, where the rest points',
      );
  });

  it('a container whose address the server chose: re-applying moves the forward and the record to it', async () => {
    const deployment = gameServer();
    const container = deployment.resources.find((resource) => resource.type === 'container')!;
    delete container.properties.ipAddress;
    let next = 10;
    fixture = lab(
      fakeGateway({
        outputs: (request) => {
          const outputs = sandboxLikeOutputs(request);
          return request.type === 'container' ? { ...outputs, ipAddress: `10.20.0.${next++}` } : outputs;
        },
      }),
    );
    await applyDeployment(deployment, fixture);
    const { id, record } = await held('docker', 'minecraft');
    // Restarted by hand: same properties, a new address from the network.
    await fixture.gateway.update(
      { server: 'docker', type: 'container', id, name: 'minecraft', properties: record.properties },
      { signal: signal() },
    );
    const found = problems((await check()).findings);
    expect(found.map((finding) => [finding.check, finding.fix?.replace(/^.* again /, '')])).toEqual([
      ['port-forward', "updates the port forward's target from 10.20.0.10 to 10.20.0.11."],
      ['firewall-rule', "updates the rule's destination to 10.20.0.11."],
      ['dns', 'updates the record to 10.20.0.11.'],
    ]);
  });

  it('a DNS record changed by hand: the wrong address, and other drift with the secret masked', async () => {
    const { id, record } = await held('dns', 'minecraft-dns');
    await fixture.gateway.update(
      {
        server: 'dns',
        type: 'record',
        id,
        name: record.name,
        properties: { ...record.properties, value: '10.20.0.99', ttl: 60 },
      },
      { signal: signal() },
    );
    const container = await held('docker', 'minecraft');
    await fixture.gateway.update(
      {
        server: 'docker',
        type: 'container',
        id: container.id,
        name: 'minecraft',
        properties: {
          ...container.record.properties,
          env: { EULA: 'TRUE', RCON_PASSWORD: 'changed-by-hand' },
        },
      },
      { signal: signal() },
    );
    const report = await check();
    expect(problems(report.findings).map((finding) => [finding.check, finding.address])).toEqual([
      ['drift', 'dns:record:minecraft-dns'],
      ['drift', 'docker:container:minecraft'],
      ['dns', 'dns:record:minecraft-dns'],
    ]);
    const text = renderTroubleshootReport(report);
    expect(text).toContain('DNS record minecraft-dns was changed outside Conductor: ttl 300 → 60.');
    expect(text).toContain(
      'container minecraft was changed outside Conductor: env.RCON_PASSWORD (sensitive) → (sensitive).',
    );
    expect(text).not.toContain('changed-by-hand');
    expect(text).not.toContain('hunter2-rcon');
  });

  it('a container that stopped, a VLAN that is gone', async () => {
    const { id } = await held('opnsense', 'minecraft-vlan');
    await fixture.gateway.delete(
      { server: 'opnsense', type: 'network:vlan', id, name: 'minecraft-vlan' },
      { signal: signal() },
    );
    const container = await held('docker', 'minecraft');
    await fixture.gateway.update(
      {
        server: 'docker',
        type: 'container',
        id: container.id,
        name: 'minecraft',
        properties: { ...container.record.properties, image: 'crashing:latest' },
      },
      { signal: signal() },
    );
    const found = problems((await check()).findings);
    expect(found.find((finding) => finding.check === 'vlan')).toMatchObject({
      summary: expect.stringMatching(
        /^VLAN 20 \(minecraft-vlan, vlan20\) is gone: opnsense no longer has it/,
      ),
      fix: expect.stringContaining('re-creates the VLAN minecraft-vlan'),
      reapply: true,
    });
    expect(found.find((finding) => finding.check === 'running')).toMatchObject({
      summary: 'container minecraft is exited, not running.',
      fix: expect.stringContaining('docker start minecraft'),
    });
  });

  it('no port forward at all: fine for a LAN-only deployment, a problem when the symptom is about the internet', async () => {
    fixture = lab();
    await applyDeployment(gameServer({ public: false }), fixture, { params: { public: false } });
    const quiet = await check();
    expect(quiet.counts.problem).toBe(0);
    expect(quiet.findings.find((finding) => finding.check === 'port-forward')).toMatchObject({
      status: 'ok',
      summary:
        '25565/tcp of container minecraft (10.20.0.10) is not forwarded from the internet (local network only, as the deployment asks).',
    });
    const outside = await check('my friends outside cannot join');
    expect(problems(outside.findings)).toEqual([
      expect.objectContaining({
        check: 'port-forward',
        summary:
          'Nothing forwards 25565/tcp of container minecraft (10.20.0.10) from the internet: it is reachable from the local network only.',
        fix: expect.stringContaining('Make minecraft public'),
      }),
    ]);
  });

  it('checks the VLAN another deployment owns when this one runs on it', async () => {
    await applyDeployment(
      {
        name: 'extra',
        resources: [
          {
            server: 'docker',
            type: 'container',
            name: 'extra',
            properties: {
              image: 'nginx',
              network: '${docker:network:minecraft-net.name}',
              ipAddress: '10.20.0.40',
            },
            dependsOn: [],
          },
        ],
      },
      fixture,
    );
    const report = await troubleshoot({
      deployment: 'extra',
      state: fixture.state,
      gateway: fixture.gateway,
    });
    expect(report.findings.map((finding) => finding.summary)).toContain(
      'Docker network minecraft-net (from deployment minecraft) exists on docker.',
    );
  });
});

describe('what cannot be checked', () => {
  it('a server that cannot be reached makes its checks unknown, read once, and the rest still runs', async () => {
    const gateway = fakeGateway({
      fail: (call) =>
        call.server === 'opnsense' && call.operation === 'read'
          ? new ProviderError({
              code: 'server-unavailable',
              message: 'opnsense: connection refused',
              server: 'opnsense',
            })
          : undefined,
    });
    fixture = lab(gateway);
    await applyDeployment(gameServer(), fixture);
    const before = gateway.calls.length;
    const report = await check();
    expect(gateway.calls.slice(before).filter((call) => call.server === 'opnsense')).toHaveLength(1);
    expect(report.counts).toEqual({ ok: 4, problem: 0, unknown: 4 });
    expect(
      report.findings.filter((finding) => finding.status === 'unknown').map((finding) => finding.summary),
    ).toEqual([
      'VLAN 20 (minecraft-vlan, vlan20): opnsense could not be reached: connection refused.',
      'DHCP range minecraft-dhcp: opnsense could not be reached: connection refused.',
      'Port forward minecraft-forward: opnsense could not be reached: connection refused.',
      'Firewall rule minecraft-allow: opnsense could not be reached: connection refused.',
    ]);
    expect(renderTroubleshootReport(report)).toContain('0 problems, 4 not checked, 4 fine.');
  });

  it('a deployment that does not exist', async () => {
    const report = await troubleshoot({
      deployment: 'valheim',
      state: fixture.state,
      gateway: fixture.gateway,
    });
    expect(report.findings).toEqual([
      {
        check: 'deployment',
        status: 'problem',
        summary: 'There is no deployment named valheim.',
        fix: 'Troubleshoot one of the deployments state knows: minecraft.',
      },
    ]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await expect(
      troubleshoot({
        deployment: 'minecraft',
        state: fixture.state,
        gateway: fixture.gateway,
        signal: controller.signal,
      }),
    ).rejects.toThrow('cancelled by the user');
  });
});
