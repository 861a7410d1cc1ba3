// The simulated Docker host: address pools, addresses from networks, exclusive host ports, memory against the host.
import { describe, expect, it } from 'vitest';
import { openTestEngine, refusal } from './support.js';

describe('network', () => {
  it('takes subnets from the default pools, refuses overlaps and misaligned blocks', async () => {
    const { engine, create } = await openTestEngine('docker');
    const first = await create('network', 'a', {});
    const second = await create('network', 'b', {});
    expect(first).toMatchObject({ subnet: '172.18.0.0/16', gateway: '172.18.0.1', driver: 'bridge' });
    expect(second.subnet).toBe('172.19.0.0/16');
    expect(String(first.id)).toMatch(/^[0-9a-f]{64}$/);
    const overlap = await refusal(
      () => engine.create({ type: 'network', name: 'c', properties: { subnet: '172.17.5.0/24' } }),
      'conflict',
    );
    expect(overlap.message).toContain('overlaps network "bridge" (172.17.0.0/16)');
    const misaligned = await refusal(
      () => engine.create({ type: 'network', name: 'c', properties: { subnet: '10.20.0.5/24' } }),
      'invalid-properties',
    );
    expect(misaligned.message).toContain('the network is 10.20.0.0/24');
    await refusal(() => engine.create({ type: 'network', name: 'bridge', properties: {} }), 'name-taken');
  });

  it('allows one macvlan network per parent', async () => {
    const { engine, create } = await openTestEngine('docker');
    await create('network', 'game-net', {
      driver: 'macvlan',
      parent: 'vlan01',
      subnet: '10.20.0.0/24',
      gateway: '10.20.0.1',
    });
    await refusal(
      () =>
        engine.create({
          type: 'network',
          name: 'other',
          properties: { driver: 'macvlan', parent: 'vlan01', subnet: '10.21.0.0/24' },
        }),
      'conflict',
    );
    await refusal(
      () => engine.create({ type: 'network', name: 'other', properties: { parent: 'eth0' } }),
      'invalid-properties',
    );
  });
});

describe('container', () => {
  it("gets the next free address of its network's subnet, skipping the gateway", async () => {
    const { create } = await openTestEngine('docker');
    await create('network', 'app', { subnet: '10.30.0.0/24' });
    const one = await create('container', 'one', { image: 'nginx:1.27', network: 'app' });
    const two = await create('container', 'two', { image: 'nginx:1.27', network: 'app' });
    const onBridge = await create('container', 'three', { image: 'redis:7' });
    expect([one.ipAddress, two.ipAddress, onBridge.ipAddress]).toEqual([
      '10.30.0.2',
      '10.30.0.3',
      '172.17.0.2',
    ]);
    expect(String(one.hostname)).toBe(String(one.id).slice(0, 12));
  });

  it('takes a static address only on a user-defined network, inside its subnet and free', async () => {
    const { engine, create } = await openTestEngine('docker');
    await create('network', 'game-net', {
      driver: 'macvlan',
      parent: 'vlan01',
      subnet: '10.20.0.0/24',
      gateway: '10.20.0.1',
    });
    const minecraft = await create('container', 'minecraft', {
      image: 'itzg/minecraft-server:latest',
      memory: '4g',
      network: 'game-net',
      ipAddress: '10.20.0.10',
      ports: ['25565:25565/tcp'],
      volumes: ['minecraft-data:/data'],
      env: { EULA: 'TRUE', MAX_PLAYERS: 10 },
    });
    // On macvlan the container has its own address: nothing is bound on the host.
    expect(minecraft).toMatchObject({
      ipAddress: '10.20.0.10',
      hostPorts: [],
      exposedPort: 25565,
      ports: ['25565/tcp'],
    });
    await refusal(
      () =>
        engine.create({
          type: 'container',
          name: 'b',
          properties: { image: 'nginx', network: 'game-net', ipAddress: '10.20.0.10' },
        }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'container',
          name: 'c',
          properties: { image: 'nginx', network: 'game-net', ipAddress: '10.21.0.10' },
        }),
      'invalid-properties',
    );
    const bridge = await refusal(
      () =>
        engine.create({
          type: 'container',
          name: 'd',
          properties: { image: 'nginx', ipAddress: '172.17.0.50' },
        }),
      'invalid-properties',
    );
    expect(bridge.message).toContain('user defined networks only');
    await refusal(
      () => engine.create({ type: 'container', name: 'e', properties: { image: 'nginx', network: 'nope' } }),
      'missing-dependency',
    );
  });

  it('refuses a host port another container publishes, and picks a free one when none is given', async () => {
    const { engine, create } = await openTestEngine('docker');
    const web = await create('container', 'web', { image: 'nginx', ports: ['8080:80', '53:53/udp', '8443'] });
    expect(web.ports).toEqual(['0.0.0.0:8080->80/tcp', '0.0.0.0:53->53/udp', '0.0.0.0:32768->8443/tcp']);
    expect(web.exposedPort).toBe(8080);
    const clash = await refusal(
      () =>
        engine.create({
          type: 'container',
          name: 'api',
          properties: { image: 'nginx', ports: ['8080:3000'] },
        }),
      'conflict',
    );
    expect(clash.message).toContain(
      'Bind for 0.0.0.0:8080 failed: port is already allocated (by container "web")',
    );
    await refusal(
      () =>
        engine.create({
          type: 'container',
          name: 'api',
          properties: {
            image: 'nginx',
            ports: [{ containerPort: 3000, hostPort: 8080, hostIp: '127.0.0.1' }],
          },
        }),
      'conflict',
    );
    // Same number, other protocol: no clash.
    await create('container', 'dns', { image: 'coredns/coredns', ports: ['53:53/tcp'] });
    await refusal(
      () =>
        engine.create({
          type: 'container',
          name: 'x',
          properties: { image: 'nginx', ports: ['80:80', '80:81'] },
        }),
      'conflict',
    );
    await refusal(
      () => engine.create({ type: 'container', name: 'x', properties: { image: 'nginx', ports: ['http'] } }),
      'invalid-properties',
    );
  });

  it("checks memory limits against the host's 16 GiB", async () => {
    const { engine, create } = await openTestEngine('docker');
    await create('container', 'big', { image: 'postgres:16', memory: '12g' });
    const full = await refusal(
      () =>
        engine.create({ type: 'container', name: 'more', properties: { image: 'redis:7', memory: '6g' } }),
      'capacity',
    );
    expect(full.message).toContain('big (12 GiB) already hold 12 GiB');
    await create('container', 'fits', { image: 'redis:7', memory: '4g' });
    await refusal(
      () =>
        engine.create({ type: 'container', name: 'huge', properties: { image: 'redis:7', memory: '32g' } }),
      'capacity',
    );
    await refusal(
      () =>
        engine.create({ type: 'container', name: 'tiny', properties: { image: 'redis:7', memory: '1m' } }),
      'invalid-properties',
    );
    await refusal(
      () =>
        engine.create({ type: 'container', name: 'odd', properties: { image: 'redis:7', memory: 'lots' } }),
      'invalid-properties',
    );
    await refusal(
      () => engine.create({ type: 'container', name: 'cpus', properties: { image: 'redis:7', cpus: 12 } }),
      'capacity',
    );
  });

  it('keeps networks, volumes and images that containers use', async () => {
    const { engine, create } = await openTestEngine('docker');
    const network = await create('network', 'app', {});
    const volume = await create('volume', 'data', {});
    const image = await create('image:build', 'app', { context: './app', tags: ['app:1.0'] });
    const container = await create('container', 'app', {
      image: 'app:1.0',
      network: 'app',
      volumes: ['data:/var/lib/app'],
    });
    for (const [type, id] of [
      ['network', network.id],
      ['volume', volume.id],
      ['image:build', image.id],
    ] as const) {
      const error = await refusal(() => engine.delete({ type, id: String(id) }), 'conflict');
      expect(error.message).toContain('container "app"');
    }
    await engine.delete({ type: 'container', id: String(container.id) });
    await engine.delete({ type: 'network', id: String(network.id) });
  });
});

describe('images', () => {
  it('builds with a sha256 id and tags, and pushes only images that exist here', async () => {
    const { engine, create } = await openTestEngine('docker');
    const image = await create('image:build', 'test-app-image', {
      context: './app',
      dockerfile: 'Dockerfile',
      tags: ['test-app:latest'],
    });
    expect(String(image.id)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image.tags).toEqual(['test-app:latest']);
    const push = await create('registry:push', 'test-app-push', {
      image: String(image.id),
      registry: 'ecr.amazonaws.com/mycompany',
    });
    expect(push).toMatchObject({
      imageUri: 'ecr.amazonaws.com/mycompany/test-app:latest',
      repository: 'test-app',
      tag: 'latest',
    });
    expect(String(push.digest)).toMatch(/^sha256:[0-9a-f]{64}$/);
    await create('registry:push', 'by-tag', { image: 'test-app', registry: 'ghcr.io/acme', tag: 'v1' });
    await refusal(
      () =>
        engine.create({
          type: 'registry:push',
          name: 'p',
          properties: { image: 'sha256:0000', registry: 'ghcr.io' },
        }),
      'missing-dependency',
    );
    await refusal(
      () =>
        engine.create({
          type: 'image:build',
          name: 'again',
          properties: { context: '.', tag: 'test-app:latest' },
        }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'registry:push',
          name: 'p',
          properties: { image: 'test-app', registry: 'not a registry' },
        }),
      'invalid-properties',
    );
  });
});
