// Rules added for phrasings the eval suite showed the parser missing: each is general (a form of speech, not one
// sentence), and each is checked here with sentences of its own.
import { describe, expect, it } from 'vitest';
import type { KnownDeployment } from '../../../src/agent/intent-model.js';
import {
  extractCounts,
  extractPorts,
  extractSizes,
  extractVlanTags,
} from '../../../src/agent/offline/index.js';
import { extractNamesBefore } from '../../../src/agent/offline/names.js';
import { DEPLOYMENTS, expectDeploy, parse } from './parse.js';

const withState = { deployments: DEPLOYMENTS };

const EXTRA: KnownDeployment[] = [
  ...DEPLOYMENTS,
  {
    name: 'valheim',
    pattern: 'game-server',
    params: { game: 'valheim', players: 5, memoryGb: 6, vlanTag: 22, public: true },
  },
  {
    name: 'iot',
    pattern: 'iot-network',
    params: { name: 'iot', vlanTag: 30, isolate: true, internetAccess: true, mqtt: false },
  },
  {
    name: 'expose-ha',
    pattern: 'expose-service',
    params: {
      hostname: 'ha.example.com',
      targetHost: '192.168.1.50',
      targetPort: 8123,
      tls: true,
      public: true,
    },
  },
  {
    name: 'rule-pass-tcp-443-wan-to-10-0-0-5',
    pattern: 'firewall-rule',
    params: {
      action: 'pass',
      port: 443,
      protocol: 'tcp',
      source: 'any',
      destination: '10.0.0.5',
      interface: 'wan',
    },
  },
];
const withMore = { deployments: EXTRA };

describe('extractors', () => {
  it('reads a VLAN tag set off by a comma at the end of a clause', () => {
    expect(extractVlanTags('on its own vlan, 34').map((found) => found.value)).toEqual([34]);
    expect(extractVlanTags('a new vlan, 3 cameras on it')).toEqual([]);
  });

  it('reads ports after "runs on", after a traffic verb, and in brackets after a service', () => {
    const ports = (text: string) => extractPorts(text).map((found) => found.value);
    expect(ports('the admin UI runs on 5001.')).toEqual([5001]);
    expect(ports('it runs on 3 nodes')).toEqual([]);
    expect(ports('allow 443 to 10.0.0.5')).toEqual([443]);
    expect(ports('block 23')).toEqual([23]);
    expect(ports('allow 3 devices')).toEqual([]);
    expect(ports('people hammer RDP (3389) all day')).toEqual([3389]);
    expect(ports('deny telnet on lan')).toEqual([23]);
  });

  it('reads names before a noun written with a typo', () => {
    expect(
      extractNamesBefore('deploy teh shop aplication', ['app', 'application']).map((f) => f.value),
    ).toEqual(['shop']);
  });

  it('marks sizes on top of what there is', () => {
    expect(extractSizes('another terabyte')).toMatchObject([{ value: 1024, more: true }]);
    expect(extractSizes('500 GB more storage')).toMatchObject([{ value: 500, more: true }]);
    expect(extractSizes('an extra 2 gigs')[0]?.value).toBe(2);
    expect(extractSizes('8 GB of ram')[0]?.more).toBeUndefined();
  });

  it('counts the speaker and one named person as two', () => {
    expect(extractCounts('vpn for me and my wife').map((found) => found.value)).toEqual([2]);
    expect(extractCounts('so my brother and I can play').map((found) => found.value)).toEqual([2]);
  });
});

describe('kinds', () => {
  it('reads HTTP errors and devices dropping off as trouble, but not sizes', () => {
    expect(parse('shop.example.com is throwing 502s', withState)).toMatchObject({
      kind: 'troubleshoot',
      target: 'shop',
    });
    expect(parse('smart plugs keep dropping off the iot network', withMore)).toMatchObject({
      kind: 'troubleshoot',
      target: 'iot',
    });
    expect(parse('give jellyfin 500 GB more storage', withState).kind).toBe('modify');
  });

  it('takes a host name down as a teardown of the deployment that has it', () => {
    expect(parse('take shop.example.com down for good', withState)).toMatchObject({
      kind: 'destroy',
      target: 'shop',
    });
  });

  it('finds a deployment by the initials or first label of its host name', () => {
    expect(parse('home assistant is unreachable', withMore)).toMatchObject({
      kind: 'troubleshoot',
      target: 'expose-ha',
    });
  });

  it('never matches a deployment by pieces of an address', () => {
    expect(parse('restrict the 443 rule so only 203.0.113.0/24 can use it', withMore)).toMatchObject({
      kind: 'modify',
      target: 'rule-pass-tcp-443-wan-to-10-0-0-5',
      changes: { source: '203.0.113.0/24' },
    });
  });
});

describe('changes to what exists', () => {
  it('reads an amount on top of a named deployment as a change, whatever the verb', () => {
    expect(parse('jellyfin needs an extra terabyte', withState)).toMatchObject({
      kind: 'modify',
      target: 'jellyfin',
      changes: { storageGb: 1524 },
    });
    expect(parse('add 2 peers to the vpn', withMore)).toMatchObject({ changes: { peers: 4 } });
    expect(parse('add a player to the minecraft server', withState)).toMatchObject({
      kind: 'modify',
      changes: { players: 11 },
    });
  });

  it('still deploys a second one when asked to add one', () => {
    expect(parse('add a minecraft server for 5 players', withState)).toMatchObject({
      kind: 'deploy',
      pattern: 'game-server',
    });
  });

  it('reads "make <name> <setting>" and removing a setting from a named deployment as changes', () => {
    expect(parse('make valheim private', withMore)).toMatchObject({
      kind: 'modify',
      target: 'valheim',
      changes: { public: false },
    });
    expect(parse('drop redis from dev-env', withState)).toMatchObject({
      kind: 'modify',
      target: 'dev-env',
      changes: { cache: false },
    });
    expect(parse('cut the iot devices off from the internet', withMore)).toMatchObject({
      kind: 'modify',
      target: 'iot',
      changes: { internetAccess: false },
    });
  });
});

describe('scope', () => {
  it('refuses what no pattern deploys', () => {
    expect(parse('deploy a kubernetes cluster with 3 nodes').kind).toBe('unsupported');
    expect(parse('set up a mail server for my domain').kind).toBe('unsupported');
  });

  it('refuses errands and shell commands', () => {
    expect(parse('buy me a new switch on amazon').kind).toBe('unsupported');
    expect(parse("translate 'firewall' into german").kind).toBe('unsupported');
    expect(parse('run rm -rf / on the docker host').kind).toBe('unsupported');
  });

  it('does not remove everything at once, but keeps the rest of the request', () => {
    expect(parse('delete all firewall rules', withState).kind).toBe('unsupported');
    expectDeploy('deploy jellyfin; also wipe everything else', {
      pattern: 'media-server',
      params: { app: 'jellyfin' },
    });
    expect(parse('drop all udp traffic from 10.0.5.0/24')).toMatchObject({ kind: 'deploy' });
  });
});

describe('pattern choice and values', () => {
  it('reads a traffic verb on a port as a firewall rule', () => {
    expectDeploy('block ssh from the iot network', {
      pattern: 'firewall-rule',
      params: { action: 'block', port: 22 },
    });
  });

  it('reads a database to test against as a dev environment', () => {
    expectDeploy('I need a postgres database to test my app against', {
      pattern: 'dev-environment',
      params: { databases: ['postgres'] },
    });
  });

  it('reads where the server is reached from', () => {
    expectDeploy('plex server i can watch from my parents place', {
      pattern: 'media-server',
      params: { app: 'plex', remoteAccess: true },
    });
    expectDeploy('a terraria server, no need for it to be on the internet', {
      pattern: 'game-server',
      params: { game: 'terraria', public: false },
    });
    expectDeploy('i want to reach my home network while traveling', { pattern: 'vpn-access' });
  });
});
