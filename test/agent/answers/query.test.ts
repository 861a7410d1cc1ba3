// Queries answered from real state (deployments applied by the executor) and a live inventory from the fake's
// holdings: each recognised form, what the servers hold that state does not, and secrets that never show.
import { beforeEach, describe, expect, it } from 'vitest';
import { answerQuery } from '../../../src/agent/answers/query.js';
import { applyDeployment, gameServer, inventoryOf, type Lab, lab, signal, WAN_ADDRESS } from './fixtures.js';

let fixture: Lab;

beforeEach(async () => {
  fixture = lab();
  await applyDeployment(gameServer(), fixture, {
    pattern: 'game-server',
    params: { game: 'minecraft', players: 10, vlanTag: 20 },
  });
  await applyDeployment(
    {
      ...gameServer({ name: 'wiki', tag: 100, port: 8080, public: false }),
    },
    fixture,
  );
});

describe('what runs on VLAN n', () => {
  it('lists the VLAN and everything on it or pointing into it, by deployment, and nothing of other VLANs', async () => {
    const answer = await answerQuery('What runs on VLAN 20?', { state: fixture.state });
    expect(answer.form).toBe('vlan');
    expect(answer.text).toContain(
      'VLAN 20 is opnsense network:vlan minecraft-vlan, device vlan20 (deployment minecraft).',
    );
    expect(answer.facts?.map((fact) => fact.subject)).toEqual([
      'opnsense:network:vlan:minecraft-vlan',
      'opnsense:dhcp:range:minecraft-dhcp',
      'docker:network:minecraft-net',
      'docker:container:minecraft',
      'opnsense:firewall:nat:minecraft-forward',
      'opnsense:firewall:rule:minecraft-allow',
      'dns:record:minecraft-dns',
    ]);
    expect(answer.text).toContain(
      'docker container minecraft: 10.20.0.10, network minecraft-net, port 25565/tcp',
    );
    expect(answer.text).toContain(
      `opnsense firewall nat minecraft-forward: wan ${WAN_ADDRESS}:25565/tcp → 10.20.0.10:25565`,
    );
    expect(answer.text).toContain('dns record minecraft-dns: minecraft.home.arpa A 10.20.0.10');
    expect(answer.text).not.toContain('wiki');
    expect(answer.text).not.toContain('\u001b[');
  });

  it('says so when no VLAN has the tag, naming the ones that exist', async () => {
    const answer = await answerQuery('what is on vlan 30', { state: fixture.state });
    expect(answer).toMatchObject({ form: 'vlan', facts: [] });
    expect(answer.text).toBe('No VLAN with tag 30 is known. State knows VLANs 20, 100.\n');
  });

  it('shows what the servers hold on the VLAN that state does not know, and what state knows that is gone', async () => {
    const vlanNet = (await fixture.state.getResource('docker', 'minecraft-net'))!;
    // Someone started a container by hand on the game network, and deleted the DHCP range.
    fixture.gateway.seed('docker', [
      {
        name: 'hand-made',
        type: 'container',
        properties: { image: 'nginx', network: vlanNet.name, ipAddress: '10.20.0.77' },
        outputs: { ipAddress: '10.20.0.77', network: vlanNet.name, status: 'running' },
      },
    ]);
    const range = (await fixture.state.getResource('opnsense', 'minecraft-dhcp'))!;
    await fixture.gateway.delete(
      { server: 'opnsense', type: 'dhcp:range', id: range.id!, name: range.name },
      { signal: signal() },
    );
    const answer = await answerQuery('what runs on vlan 20', {
      state: fixture.state,
      inventory: inventoryOf(fixture.gateway),
    });
    expect(answer.text).toContain(
      'opnsense dhcp range minecraft-dhcp: 10.20.0.100-10.20.0.200 on vlan20 (state records it, but the server no longer has it)',
    );
    expect(answer.text).toContain(
      'Not managed by Conductor (the servers hold these; state does not know them):\n  docker container hand-made: 10.20.0.77',
    );
    expect(answer.facts?.find((fact) => fact.subject === 'docker:container:hand-made')).toMatchObject({
      managed: false,
    });
    expect(
      answer.facts?.find((fact) => fact.subject === 'opnsense:dhcp:range:minecraft-dhcp')?.values.live,
    ).toBe('missing');
  });

  it('lists every VLAN when asked about VLANs without a tag', async () => {
    const answer = await answerQuery('which VLANs do I have?', { state: fixture.state });
    expect(answer.form).toBe('vlans');
    expect(answer.facts?.map((fact) => fact.subject)).toEqual([
      'opnsense:network:vlan:minecraft-vlan',
      'opnsense:network:vlan:wiki-vlan',
    ]);
  });
});

describe('which deployments do I have', () => {
  it('gives name, pattern, status, resource count and last apply', async () => {
    const answer = await answerQuery('which deployments do I have?', { state: fixture.state });
    expect(answer.form).toBe('deployments');
    expect(answer.facts).toEqual([
      {
        subject: 'minecraft',
        deployment: 'minecraft',
        managed: true,
        values: expect.objectContaining({
          pattern: 'game-server',
          status: 'applied',
          resources: 7,
          revision: 1,
        }),
      },
      {
        subject: 'wiki',
        deployment: 'wiki',
        managed: true,
        values: expect.objectContaining({ pattern: null, status: 'applied', resources: 5 }),
      },
    ]);
    expect(answer.text).toMatch(
      /^You have 2 deployments:\nDEPLOYMENT +PATTERN +STATUS +RESOURCES +LAST APPLY\n/,
    );
    expect(answer.text).toMatch(/minecraft +game-server +applied +7 +\d{4}-\d\d-\d\d \d\d:\d\dZ/);
  });

  it('mentions resources no deployment manages when the inventory shows some', async () => {
    fixture.gateway.seed('opnsense', [{ name: 'old-forward', type: 'firewall:nat', properties: {} }]);
    const answer = await answerQuery("what's deployed?", {
      state: fixture.state,
      inventory: inventoryOf(fixture.gateway),
    });
    expect(answer.form).toBe('deployments');
    expect(answer.text).toContain('The servers also hold 1 resource no deployment manages (on opnsense)');
  });

  it('says when there are none', async () => {
    const answer = await answerQuery('list my deployments', { state: lab().state });
    expect(answer.text).toBe('You have no deployments yet.\n');
  });
});

describe('where is X', () => {
  it('gives the host name, the address with ports and the forward from the internet', async () => {
    for (const question of [
      'where is minecraft?',
      "what's the IP of minecraft",
      'how do I connect to minecraft',
    ]) {
      const answer = await answerQuery(question, { state: fixture.state });
      expect(answer.form, question).toBe('deployment');
      expect(answer.text).toContain(
        [
          'minecraft (game-server, applied, 7 resources):',
          'Reach it at:',
          '  minecraft.home.arpa → 10.20.0.10 (dns record minecraft-dns)',
          `  from the internet: ${WAN_ADDRESS}:25565/tcp → 10.20.0.10:25565 (opnsense firewall nat minecraft-forward)`,
          '  10.20.0.10 port 25565/tcp (docker container minecraft)',
          'Made of:',
        ].join('\n'),
      );
    }
  });

  it('finds a deployment by a parameter it was made from, and a single resource by its name', async () => {
    await fixture.state.putDeployment({
      ...(await fixture.state.getDeployment('wiki'))!,
      params: { appName: 'handbook' },
    });
    const byParameter = await answerQuery('where is the handbook?', { state: fixture.state });
    expect(byParameter.text).toMatch(/^wiki \(applied, 5 resources\):/);
    const byHost = await answerQuery('what address does wiki.home.arpa have', { state: fixture.state });
    expect(byHost.form).toBe('resource');
    expect(byHost.text).toContain(
      'dns record wiki-dns: wiki.home.arpa A 10.100.0.10 (part of deployment wiki)',
    );
    const byName = await answerQuery('where is minecraft-net', { state: fixture.state });
    expect(byName).toMatchObject({ form: 'resource' });
    expect(byName.text).toContain('docker network minecraft-net: macvlan 10.20.0.0/24 on vlan20');
  });
});

describe("what's on a server", () => {
  it('lists the server by deployment, with unmanaged resources last', async () => {
    fixture.gateway.seed('docker', [
      { name: 'portainer', type: 'container', properties: { image: 'portainer' } },
    ]);
    const answer = await answerQuery("what's on docker?", {
      state: fixture.state,
      inventory: inventoryOf(fixture.gateway),
    });
    expect(answer.form).toBe('server');
    expect(answer.text.split('\n').filter((line) => !line.startsWith('  '))).toEqual([
      'docker holds 5 resources (1 not managed by Conductor):',
      'minecraft:',
      'wiki:',
      'Not managed by Conductor (the servers hold these; state does not know them):',
      '',
    ]);
  });

  it('says which servers could not be reached', async () => {
    const answer = await answerQuery('what runs on opnsense', {
      state: fixture.state,
      inventory: inventoryOf(fixture.gateway, ['opnsense']),
    });
    expect(answer.text).toContain(
      'Server opnsense could not be reached (could not be started); its part is from state only.',
    );
    expect(answer.facts?.length).toBe(6);
  });
});

describe("what's exposed to the internet", () => {
  it('lists WAN forwards with the rules that let them in, and flags unmanaged ones', async () => {
    fixture.gateway.seed('opnsense', [
      {
        name: 'ssh-forward',
        type: 'firewall:nat',
        properties: {
          interface: 'wan',
          protocol: 'tcp',
          destinationPort: 2222,
          target: '192.168.1.5',
          targetPort: 22,
        },
        outputs: {
          externalAddress: WAN_ADDRESS,
          externalPort: '2222',
          target: '192.168.1.5',
          targetPort: '22',
        },
      },
    ]);
    const answer = await answerQuery('what is exposed to the internet?', {
      state: fixture.state,
      inventory: inventoryOf(fixture.gateway),
    });
    expect(answer.form).toBe('exposure');
    expect(answer.text).toBe(
      [
        '2 things are exposed to the internet:',
        `  ${WAN_ADDRESS}:25565/tcp → 10.20.0.10:25565 (allowed by rule minecraft-allow)  [minecraft: opnsense firewall nat minecraft-forward]`,
        `  ${WAN_ADDRESS}:2222/tcp → 192.168.1.5:22 (its own associated filter rule lets it in)  [NOT MANAGED BY CONDUCTOR: opnsense firewall nat ssh-forward]`,
        '',
      ].join('\n'),
    );
    expect(answer.facts?.map((fact) => fact.managed)).toEqual([true, false]);
  });

  it('answers for one deployment when the question names it', async () => {
    const wiki = await answerQuery('is wiki exposed to the internet?', { state: fixture.state });
    expect(wiki.text).toContain('Nothing of it is exposed to the internet');
    const minecraft = await answerQuery('is minecraft public?', { state: fixture.state });
    expect(minecraft.facts?.map((fact) => fact.subject)).toEqual(['opnsense:firewall:nat:minecraft-forward']);
  });
});

describe('telling the questions apart', () => {
  it.each([
    ['what runs on VLAN 20?', 'vlan'],
    ["what's on vlan #100", 'vlan'],
    ['show me my vlans', 'vlans'],
    ['which deployments do I have?', 'deployments'],
    ["what's running?", 'deployments'],
    ['what have I deployed', 'deployments'],
    ["what's running on docker?", 'server'],
    ['show everything on opnsense', 'server'],
    ['where is minecraft?', 'deployment'],
    ["what's the address of wiki", 'deployment'],
    ['which port does minecraft-forward use', 'resource'],
    ['what is exposed to the internet', 'exposure'],
    ['any port forwards?', 'exposure'],
    ['is anything wrong with my printer', 'unanswered'],
  ])('%s → %s', async (question, form) => {
    expect((await answerQuery(question, { state: fixture.state })).form).toBe(form);
  });
});

describe('anything else', () => {
  it('searches names for the words of the question', async () => {
    const answer = await answerQuery('anything about dhcp?', { state: fixture.state });
    expect(answer.form).toBe('search');
    expect(answer.facts?.map((fact) => fact.subject)).toEqual([
      'opnsense:dhcp:range:minecraft-dhcp',
      'opnsense:dhcp:range:wiki-dhcp',
    ]);
  });

  it('says honestly when it cannot answer', async () => {
    const answer = await answerQuery('what will the weather be tomorrow?', { state: fixture.state });
    expect(answer.form).toBe('unanswered');
    expect(answer.text).toContain("I can't answer that from what Conductor knows");
    expect(answer.text).toContain('Deployments I know: minecraft, wiki.');
    expect(answer.facts).toEqual([]);
  });

  it('answers from state and says so when the inventory fails', async () => {
    const answer = await answerQuery('what runs on vlan 20', {
      state: fixture.state,
      inventory: async () => {
        throw new Error('gateway closed');
      },
    });
    expect(answer.facts?.length).toBe(7);
    expect(answer.text).toContain(
      'The live inventory could not be read (gateway closed); this answer is from state only.',
    );
  });
});

describe('secrets', () => {
  it('never shows a secret, in text or facts, whichever form answers', async () => {
    await applyDeployment(
      {
        name: 'vault',
        resources: [
          {
            server: 'docker',
            type: 'container',
            name: 'vault',
            properties: {
              image: 'vault',
              ipAddress: '10.20.0.30',
              network: 'minecraft-net',
              unsealKey: 'uk-5150-secret',
            },
            dependsOn: [],
            sensitive: ['unsealKey'],
          },
        ],
      },
      fixture,
    );
    fixture.gateway.seed('docker', [
      {
        name: 'db',
        type: 'container',
        properties: { image: 'postgres', password: 'pg-hunter2', apiToken: 'tok-99' },
      },
    ]);
    const context = { state: fixture.state, inventory: inventoryOf(fixture.gateway) };
    for (const question of [
      'what runs on vlan 20',
      "what's on docker",
      'where is vault',
      'where is db',
      'tell me about the vault container',
      'what is the unsealKey of vault',
      'what is the password of db',
      'hunter2',
    ]) {
      const answer = await answerQuery(question, context);
      const shown = answer.text + JSON.stringify(answer.facts);
      for (const secret of ['uk-5150-secret', 'pg-hunter2', 'tok-99', 'hunter2-rcon'])
        expect(shown, `${question} shows ${secret}`).not.toContain(secret);
    }
  });
});
