// The simulated OPNsense firewall refuses what the real one refuses and answers as it does.
import { describe, expect, it } from 'vitest';
import { OPNSENSE_WAN_ADDRESS } from '../../src/sandbox/providers/opnsense.js';
import { isWireguardKey } from '../../src/sandbox/wireguard-keys.js';
import { openTestEngine, refusal } from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('network:vlan', () => {
  it('names devices vlan01, vlan02, ... and reuses the lowest free number', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    const first = await create('network:vlan', 'a', { tag: 10, interface: 'igc1' });
    const second = await create('network:vlan', 'b', { tag: 20, interface: 'igc1' });
    expect(first.id).toMatch(UUID);
    expect([first.device, second.device]).toEqual(['vlan01', 'vlan02']);
    await engine.delete({ type: 'network:vlan', id: String(first.id) });
    expect((await create('network:vlan', 'c', { tag: 30, interface: 'igc1' })).device).toBe('vlan01');
  });

  it('keeps tags unique per parent interface, not across interfaces', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    await create('network:vlan', 'a', { tag: 20, interface: 'igc1' });
    await create('network:vlan', 'b', { tag: 20, interface: 'igc2' });
    const error = await refusal(
      () => engine.create({ type: 'network:vlan', name: 'c', properties: { tag: 20, interface: 'igc1' } }),
      'conflict',
    );
    expect(error.message).toContain('VLAN tag 20 is already used on igc1 by "a" (vlan01)');
  });

  it('accepts tags 1-4094 only, and physical parents only', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    await create('network:vlan', 'low', { tag: 1, interface: 'igc3' });
    await create('network:vlan', 'high', { tag: 4094, interface: 'igc3' });
    for (const tag of [0, 4095, 20.5]) {
      await refusal(
        () => engine.create({ type: 'network:vlan', name: 'x', properties: { tag, interface: 'igc3' } }),
        'invalid-properties',
      );
    }
    const error = await refusal(
      () => engine.create({ type: 'network:vlan', name: 'x', properties: { tag: 5, interface: 'lan' } }),
      'invalid-properties',
    );
    expect(error.message).toContain('"lan" is assigned to igc1; use igc1');
  });
});

describe('dhcp', () => {
  it('puts ranges on existing interfaces only, inside their network, without overlaps', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    const missing = await refusal(
      () =>
        engine.create({
          type: 'dhcp:range',
          name: 'r',
          properties: { interface: 'vlan01', from: '10.20.0.100', to: '10.20.0.200' },
        }),
      'missing-dependency',
    );
    expect(missing.message).toContain('no interface "vlan01"');
    await create('network:vlan', 'game', { tag: 20, interface: 'igc1', address: '10.20.0.1/24' });
    const named = await refusal(
      () =>
        engine.create({
          type: 'dhcp:range',
          name: 'r',
          properties: { interface: 'game', from: '10.20.0.100', to: '10.20.0.200' },
        }),
      'missing-dependency',
    );
    expect(named.message).toContain('use its device, vlan01');
    const outside = await refusal(
      () =>
        engine.create({
          type: 'dhcp:range',
          name: 'r',
          properties: { interface: 'vlan01', from: '10.30.0.100', to: '10.30.0.200' },
        }),
      'invalid-properties',
    );
    expect(outside.message).toContain('10.20.0.0/24');
    await refusal(
      () =>
        engine.create({
          type: 'dhcp:range',
          name: 'r',
          properties: { interface: 'vlan01', from: '10.20.0.200', to: '10.20.0.100' },
        }),
      'invalid-properties',
    );
    const range = await create('dhcp:range', 'r', {
      interface: 'vlan01',
      from: '10.20.0.100',
      to: '10.20.0.200',
    });
    expect(range.size).toBe(101);
    await refusal(
      () =>
        engine.create({
          type: 'dhcp:range',
          name: 'r2',
          properties: { interface: 'vlan01', from: '10.20.0.150', to: '10.20.0.250' },
        }),
      'conflict',
    );
    await create('dhcp:range', 'lan-pool', { interface: 'lan', from: '192.168.1.100', to: '192.168.1.200' });
  });

  it('keeps static mappings outside the dynamic range, one per MAC and address', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    await create('dhcp:range', 'pool', { interface: 'lan', from: '192.168.1.100', to: '192.168.1.200' });
    const inside = await refusal(
      () =>
        engine.create({
          type: 'dhcp:static',
          name: 'nas',
          properties: { interface: 'lan', mac: '00:11:22:33:44:55', ipAddress: '192.168.1.150' },
        }),
      'conflict',
    );
    expect(inside.message).toContain('inside the dynamic range "pool"');
    await create('dhcp:static', 'nas', {
      interface: 'lan',
      mac: '00:11:22:33:44:55',
      ipAddress: '192.168.1.10',
    });
    await refusal(
      () =>
        engine.create({
          type: 'dhcp:static',
          name: 'nas2',
          properties: { interface: 'lan', mac: '00-11-22-33-44-55', ipAddress: '192.168.1.11' },
        }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'dhcp:static',
          name: 'printer',
          properties: { interface: 'lan', mac: '00:11:22:33:44:66', ipAddress: '192.168.1.10' },
        }),
      'conflict',
    );
  });
});

describe('firewall', () => {
  it('takes alias entries of the alias type and refuses deleting an alias a rule uses', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    const servers = await create('firewall:alias', 'servers', {
      type: 'host',
      content: ['10.0.0.4', '10.0.128.4'],
    });
    expect(servers.entries).toEqual(['10.0.0.4', '10.0.128.4']);
    expect(
      (await create('firewall:alias', 'web-ports', { type: 'port', content: '80, 443 8000-8080' })).entries,
    ).toEqual(['80', '443', '8000-8080']);
    await refusal(
      () =>
        engine.create({
          type: 'firewall:alias',
          name: 'bad',
          properties: { type: 'network', content: ['not a network'] },
        }),
      'invalid-properties',
    );
    await create('firewall:rule', 'to-servers', {
      interface: 'wan',
      action: 'pass',
      protocol: 'tcp',
      destination: 'servers',
      destinationPort: 'web-ports',
    });
    const error = await refusal(
      () => engine.delete({ type: 'firewall:alias', id: String(servers.id) }),
      'conflict',
    );
    expect(error.message).toContain('firewall:rule "to-servers"');
  });

  it('checks rule addresses and ports: unknown names, ports without tcp/udp', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    const rule = await create('firewall:rule', 'allow-web', { destination: '10.0.0.4', action: 'pass' });
    expect(rule).toMatchObject({ interface: 'lan', sequence: 1, enabled: true });
    await create('firewall:rule', 'lan-out', {
      source: 'lannet',
      destination: 'any',
      action: 'pass',
      protocol: 'tcp',
      port: 443,
    });
    const unknown = await refusal(
      () =>
        engine.create({
          type: 'firewall:rule',
          name: 'r',
          properties: { destination: 'webservers', action: 'pass' },
        }),
      'missing-dependency',
    );
    expect(unknown.message).toContain('no alias has that name');
    const portless = await refusal(
      () =>
        engine.create({
          type: 'firewall:rule',
          name: 'r',
          properties: { destination: '10.0.0.4', destinationPort: '443', action: 'pass' },
        }),
      'invalid-properties',
    );
    expect(portless.message).toContain('Add protocol: tcp');
  });

  it('refuses a second forward of the same external port and protocol', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    const forward = await create('firewall:nat', 'minecraft', {
      interface: 'wan',
      protocol: 'tcp',
      destinationPort: 25565,
      target: '10.20.0.10',
      targetPort: 25565,
    });
    expect(forward).toMatchObject({
      externalAddress: OPNSENSE_WAN_ADDRESS,
      externalPort: '25565',
      targetPort: '25565',
    });
    const clash = await refusal(
      () =>
        engine.create({
          type: 'firewall:nat',
          name: 'other',
          properties: { protocol: 'tcp/udp', destinationPort: '25000-26000', target: '10.20.0.11' },
        }),
      'conflict',
    );
    expect(clash.message).toContain('already forwarded by "minecraft" to 10.20.0.10');
    // The same port over UDP is a different forward.
    await create('firewall:nat', 'minecraft-bedrock', {
      protocol: 'udp',
      destinationPort: 25565,
      target: '10.20.0.12',
    });
  });
});

describe('haproxy', () => {
  it('reports a concrete bindAddress for a wildcard bind, and refuses a second bind of the port', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    await create('service:haproxy:backend', 'web', {
      mode: 'http',
      servers: ['10.0.0.4:8080', { address: '10.0.0.5', port: 8080 }],
    });
    const frontend = await create('service:haproxy:frontend', 'web', {
      bind: '0.0.0.0:443',
      defaultBackend: 'web',
      sslCertificate: 'arn:x',
    });
    expect(frontend).toMatchObject({
      bindAddress: OPNSENSE_WAN_ADDRESS,
      bindPort: 443,
      url: `https://${OPNSENSE_WAN_ADDRESS}:443`,
    });
    await refusal(
      () =>
        engine.create({
          type: 'service:haproxy:frontend',
          name: 'other',
          properties: { bind: `${OPNSENSE_WAN_ADDRESS}:443` },
        }),
      'conflict',
    );
    await create('service:haproxy:frontend', 'plain', { bind: ':80', defaultBackend: 'web' });
  });

  it('needs the backend to exist and share the mode, and keeps it while a frontend uses it', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    await refusal(
      () =>
        engine.create({
          type: 'service:haproxy:frontend',
          name: 'f',
          properties: { bind: ':443', defaultBackend: 'web' },
        }),
      'missing-dependency',
    );
    const backend = await create('service:haproxy:backend', 'web', { mode: 'tcp' });
    await refusal(
      () =>
        engine.create({
          type: 'service:haproxy:frontend',
          name: 'f',
          properties: { bind: ':443', defaultBackend: 'web' },
        }),
      'conflict',
    );
    await create('service:haproxy:frontend', 'f', { bind: ':443', mode: 'tcp', backend: String(backend.id) });
    const error = await refusal(
      () => engine.delete({ type: 'service:haproxy:backend', id: String(backend.id) }),
      'conflict',
    );
    expect(error.message).toContain('service:haproxy:frontend "f"');
  });
});

describe('wireguard', () => {
  it('derives the public key, hands peers the next tunnel address and a working config', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    const server = await create('service:wireguard:server', 'home', { tunnelAddress: '10.10.0.1/24' });
    expect(server).toMatchObject({
      interface: 'wg0',
      listenPort: 51820,
      endpoint: `${OPNSENSE_WAN_ADDRESS}:51820`,
    });
    expect(isWireguardKey(String(server.publicKey))).toBe(true);
    const phone = await create('service:wireguard:peer', 'phone', { server: 'home' });
    const laptop = await create('service:wireguard:peer', 'laptop', { server: 'home' });
    expect([phone.tunnelAddress, laptop.tunnelAddress]).toEqual(['10.10.0.2/32', '10.10.0.3/32']);
    expect(String(phone.config)).toContain(`PublicKey = ${String(server.publicKey)}`);
    await refusal(
      () =>
        engine.create({
          type: 'service:wireguard:peer',
          name: 'tablet',
          properties: { server: 'home', tunnelAddress: '10.10.0.3' },
        }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'service:wireguard:server',
          name: 'second',
          properties: { tunnelAddress: '10.11.0.1/24' },
        }),
      'conflict',
    );
    await refusal(
      () => engine.delete({ type: 'service:wireguard:server', id: String(server.id) }),
      'conflict',
    );
  });
});

describe('dns:host-override', () => {
  it('answers with the FQDN and refuses a second override of the same name and type', async () => {
    const { engine, create } = await openTestEngine('opnsense');
    expect(
      await create('dns:host-override', 'nas', {
        hostname: 'nas',
        domain: 'home.arpa',
        address: '192.168.1.10',
      }),
    ).toMatchObject({
      fqdn: 'nas.home.arpa',
    });
    await refusal(
      () =>
        engine.create({
          type: 'dns:host-override',
          name: 'nas2',
          properties: { hostname: 'NAS', domain: 'home.arpa', address: '192.168.1.11' },
        }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'dns:host-override',
          name: 'v6',
          properties: { hostname: 'v6', domain: 'home.arpa', type: 'AAAA', address: '10.0.0.1' },
        }),
      'invalid-properties',
    );
  });
});
