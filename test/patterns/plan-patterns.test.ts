// Every built-in pattern, with its defaults and with the parameters that change its shape, generates a deployment
// that the real planner accepts against the sandbox servers' type schemas and that the built-in policies let through;
// the same parameters always give the same deployment, under a name a later change can find again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPatterns } from '../../patterns/index.js';
import { generateDeployment, resolveParams } from '../../src/agent/pattern.js';
import { SEGMENT_PATTERN } from '../../src/model/address.js';
import {
  addresses,
  blockingViolations,
  CASES,
  errorsOf,
  formatDiagnostics,
  generate,
  patternNamed,
  plan,
  sandboxTypes,
} from './support.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'conductor-patterns-'));
});

const label = (entry: { pattern: string; params: Record<string, unknown> }) =>
  `${entry.pattern} ${JSON.stringify(entry.params)}`;

describe('every case', () => {
  it('covers every built-in pattern', () => {
    expect(new Set(CASES.map((entry) => entry.pattern))).toEqual(
      new Set(builtinPatterns.map((pattern) => pattern.name)),
    );
  });

  it.each(CASES.map((entry) => [label(entry), entry] as const))(
    '%s plans without errors and passes the mandatory policies',
    async (_label, entry) => {
      const deployment = generate(entry.pattern, entry.params);
      const planned = await plan(deployment, cwd);
      expect(errorsOf(planned), formatDiagnostics(planned.diagnostics)).toEqual([]);
      expect(planned.policies, 'policies were evaluated').toBeDefined();
      expect(blockingViolations(planned)).toEqual([]);
      // Literal addresses, ports and interfaces where policies look: nothing left to check at apply time.
      expect(planned.policies!.results.filter((result) => result.status === 'unverifiable')).toEqual([]);
      expect(planned.summary.create).toBe(deployment.resources.length);
      expect(planned.steps.every((step) => step.action === 'create')).toBe(true);
    },
  );

  it.each(CASES.map((entry) => [label(entry), entry] as const))(
    '%s is the same deployment every time, with valid and unique names',
    (_label, entry) => {
      const first = generate(entry.pattern, entry.params);
      const second = generate(entry.pattern, structuredClone(entry.params));
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      expect(first.name).toMatch(SEGMENT_PATTERN);
      for (const resource of first.resources) expect(resource.name).toMatch(SEGMENT_PATTERN);
      const keys = first.resources.map((resource) => `${resource.server}/${resource.name}`);
      expect(new Set(keys).size).toBe(keys.length);
    },
  );

  it.each(CASES.map((entry) => [label(entry), entry] as const))(
    '%s marks every placeholder secret as sensitive',
    (_label, entry) => {
      for (const resource of generate(entry.pattern, entry.params).resources) {
        const env = (resource.properties.env ?? {}) as Record<string, unknown>;
        for (const [key, value] of Object.entries(env)) {
          if (typeof value === 'string' && value.startsWith('change-me-')) {
            expect(resource.sensitive ?? [], `${resource.name} env.${key}`).toContain(`env.${key}`);
          }
        }
      }
    },
  );
});

describe('deployment names', () => {
  it('stay the same when a parameter changes, so a follow-up re-plans the same deployment', () => {
    expect(generate('game-server', { game: 'minecraft' }).name).toBe('minecraft');
    expect(generate('game-server', { game: 'minecraft', memoryGb: 8, players: 20 }).name).toBe('minecraft');
    expect(generate('web-app', { appName: 'shop', domain: 'shop.example.com' }).name).toBe('web-shop');
    expect(generate('web-app', { appName: 'Shop', domain: 'shop.example.com', platform: 'aws' }).name).toBe(
      'web-shop',
    );
    expect(generate('dev-environment', {}).name).toBe('dev');
    expect(generate('dev-environment', { name: 'sandbox' }).name).toBe('dev-sandbox');
    expect(generate('database-cluster', { engine: 'mysql', replicas: 5 }).name).toBe('mysql-cluster');
    expect(generate('iot-network', {}).name).toBe('iot');
    expect(generate('iot-network', { name: 'cameras' }).name).toBe('iot-cameras');
    expect(generate('vpn-access', { peers: 4 }).name).toBe('vpn');
    expect(generate('media-server', { storageGb: 2000 }).name).toBe('jellyfin');
    expect(
      generate('expose-service', { hostname: 'ha.example.com', targetHost: '192.168.1.50', targetPort: 8123 })
        .name,
    ).toBe('expose-ha-example-com');
    expect(generate('firewall-rule', { port: 443, destination: '10.0.0.5' }).name).toBe(
      'rule-pass-tcp-443-wan-to-10-0-0-5',
    );
  });

  it('differ for firewall rules that differ', () => {
    const names = [
      generate('firewall-rule', { port: 443, destination: '10.0.0.5' }).name,
      generate('firewall-rule', { port: 443, destination: '10.0.0.6' }).name,
      generate('firewall-rule', { port: 443, destination: '10.0.0.5', action: 'block' }).name,
      generate('firewall-rule', { port: 443, destination: '10.0.0.5', source: '192.168.1.0/24' }).name,
      generate('firewall-rule', { port: 443, destination: '10.0.0.5', interface: 'lan' }).name,
    ];
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('game-server', () => {
  it('is a VLAN, DHCP, a Docker network, a volume, the container, a forward, a rule and a DNS record', () => {
    const deployment = generate('game-server', { game: 'minecraft' });
    expect(addresses(deployment)).toEqual([
      'opnsense:network:vlan:minecraft-vlan',
      'opnsense:dhcp:range:minecraft-dhcp',
      'docker:network:minecraft-net',
      'docker:volume:minecraft-data',
      'docker:container:minecraft',
      'opnsense:firewall:nat:minecraft-forward',
      'opnsense:firewall:rule:minecraft-allow',
      'dns:record:minecraft-dns',
    ]);
    const [vlan, dhcp, network, , container, forward, rule, record] = deployment.resources;
    expect(vlan!.properties).toMatchObject({ tag: 20, address: '10.20.0.1/24' });
    expect(dhcp!.properties).toMatchObject({
      interface: '${opnsense:network:vlan:minecraft-vlan.device}',
      from: '10.20.0.100',
      to: '10.20.0.200',
    });
    expect(network!.properties).toMatchObject({
      driver: 'macvlan',
      parent: '${opnsense:network:vlan:minecraft-vlan.device}',
      subnet: '10.20.0.0/24',
      gateway: '10.20.0.1',
    });
    expect(container!.properties).toMatchObject({
      image: 'itzg/minecraft-server:latest',
      memory: '4g',
      network: 'minecraft-net',
      ipAddress: '10.20.0.10',
      ports: ['25565:25565/tcp'],
      volumes: ['minecraft-data:/data'],
      env: { EULA: 'TRUE', MAX_PLAYERS: 10 },
    });
    expect(container!.properties.privileged).toBeUndefined();
    expect(forward!.properties).toMatchObject({
      interface: 'wan',
      protocol: 'tcp',
      destinationPort: 25565,
      target: '${docker:container:minecraft.ipAddress}',
    });
    expect(rule!.properties).toMatchObject({
      interface: 'wan',
      action: 'pass',
      destination: '${docker:container:minecraft.ipAddress}',
      destinationPort: 25565,
    });
    expect(record!.properties).toMatchObject({
      name: 'minecraft.home.arpa',
      type: 'A',
      value: '${docker:container:minecraft.ipAddress}',
    });
  });

  it('sizes memory from the players, or takes it as given', () => {
    const memory = (params: Record<string, unknown>) =>
      generate('game-server', params).resources.find((entry) => entry.type === 'container')!.properties
        .memory;
    expect(memory({ game: 'minecraft', players: 30 })).toBe('8g');
    expect(memory({ game: 'satisfactory' })).toBe('13g');
    expect(memory({ game: 'minecraft', memoryGb: 8 })).toBe('8g');
    expect(memory({ game: 'terraria', memoryGb: 1.5 })).toBe('1536m');
  });

  it('"bump it to 8 GB" changes only the container\'s memory, which updates in place', () => {
    const before = generate('game-server', { game: 'minecraft' });
    const after = generate('game-server', { game: 'minecraft', memoryGb: 8 });
    const changed = after.resources.filter(
      (entry, index) => JSON.stringify(entry) !== JSON.stringify(before.resources[index]),
    );
    expect(changed.map((entry) => entry.name)).toEqual(['minecraft']);
    expect(changed[0]!.properties.memory).toBe('8g');
    expect(sandboxTypes.describe('docker', 'container')?.replaceOn).not.toContain('memory');
  });

  it('is LAN only without a forward or WAN rule when not public', () => {
    const types = generate('game-server', { game: 'minecraft', public: false }).resources.map(
      (entry) => entry.type,
    );
    expect(types).not.toContain('firewall:nat');
    expect(types).not.toContain('firewall:rule');
    expect(types).toContain('record');
  });

  it("uses each game's image and ports: a UDP range for Valheim, TCP and UDP for Satisfactory", () => {
    const valheim = generate('game-server', { game: 'valheim' });
    const container = valheim.resources.find((entry) => entry.type === 'container')!;
    expect(container.properties).toMatchObject({
      image: 'lloesche/valheim-server:latest',
      ports: ['2456:2456/udp', '2457:2457/udp'],
    });
    expect(container.sensitive).toEqual(['env.SERVER_PASS']);
    expect(valheim.resources.find((entry) => entry.type === 'firewall:nat')!.properties).toMatchObject({
      protocol: 'udp',
      destinationPort: '2456-2457',
    });

    const satisfactory = generate('game-server', { game: 'satisfactory' });
    const forwards = satisfactory.resources.filter((entry) => entry.type === 'firewall:nat');
    expect(
      forwards.map((entry) => [entry.name, entry.properties.protocol, entry.properties.destinationPort]),
    ).toEqual([
      ['satisfactory-forward-7777', 'tcp/udp', 7777],
      ['satisfactory-forward-8888', 'tcp', 8888],
    ]);
    expect(
      generate('game-server', { game: 'factorio' }).resources.find((entry) => entry.type === 'container')!
        .properties,
    ).toMatchObject({ image: 'factoriotools/factorio:stable', ports: ['34197:34197/udp'] });
    expect(
      generate('game-server', { game: 'terraria' }).resources.find((entry) => entry.type === 'container')!
        .properties,
    ).toMatchObject({ ports: ['7777:7777/tcp'] });
  });

  it('derives the subnet from the VLAN tag, also above 255, and qualifies a bare hostname', () => {
    const deployment = generate('game-server', { game: 'factorio', vlanTag: 300, hostname: 'factorio' });
    expect(deployment.resources[0]!.properties).toMatchObject({ tag: 300, address: '10.44.1.1/24' });
    expect(deployment.resources.find((entry) => entry.type === 'record')!.properties.name).toBe(
      'factorio.home.arpa',
    );
  });
});

describe('web-app', () => {
  it('on Docker: a VLAN, containers, HAProxy with a certificate, the WAN rule for 443 and DNS', () => {
    const deployment = generate('web-app', { appName: 'shop', domain: 'shop.example.com' });
    expect(addresses(deployment)).toEqual([
      'opnsense:network:vlan:web-shop-vlan',
      'docker:network:web-shop-net',
      'docker:container:web-shop-1',
      'docker:container:web-shop-2',
      'opnsense:service:haproxy:backend:web-shop-backend',
      'certs:certificate:web-shop-cert',
      'opnsense:service:haproxy:frontend:web-shop-frontend',
      'opnsense:firewall:rule:web-shop-https',
      'dns:record:web-shop-dns',
    ]);
    const byName = Object.fromEntries(deployment.resources.map((entry) => [entry.name, entry.properties]));
    expect(byName['web-shop-vlan']).toMatchObject({ tag: 100, address: '10.100.0.1/24' });
    expect(byName['web-shop-1']).toMatchObject({ image: 'shop:latest', ipAddress: '10.100.0.11' });
    expect(byName['web-shop-backend']).toMatchObject({
      servers: [
        '${docker:container:web-shop-1.ipAddress}:8080',
        '${docker:container:web-shop-2.ipAddress}:8080',
      ],
      httpCheck: { uri: '/health' },
    });
    expect(byName['web-shop-cert']).toMatchObject({ domains: ['shop.example.com'], issuer: 'letsencrypt' });
    expect(byName['web-shop-frontend']).toMatchObject({
      bind: '0.0.0.0:443',
      defaultBackend: 'web-shop-backend',
      sslCertificate: '${certs:certificate:web-shop-cert.id}',
    });
    expect(byName['web-shop-https']).toMatchObject({
      interface: 'wan',
      destinationPort: 443,
      protocol: 'tcp',
    });
    expect(byName['web-shop-dns']).toMatchObject({ name: 'shop.example.com', type: 'A' });
  });

  it('runs minInstances containers', () => {
    const containers = generate('web-app', {
      appName: 'api',
      domain: 'api.example.com',
      minInstances: 5,
    }).resources.filter((entry) => entry.type === 'container');
    expect(containers.map((entry) => entry.properties.ipAddress)).toEqual([
      '10.100.0.11',
      '10.100.0.12',
      '10.100.0.13',
      '10.100.0.14',
      '10.100.0.15',
    ]);
  });

  it('on AWS: subnets, security groups, a launch template, an autoscaling group, an HTTPS load balancer and DNS', () => {
    const deployment = generate('web-app', {
      appName: 'shop',
      domain: 'shop.example.com',
      platform: 'aws',
      minInstances: 3,
      maxInstances: 10,
      healthPath: '/ready',
    });
    expect(deployment.resources.map((entry) => `${entry.server}:${entry.type}`).sort()).toEqual(
      [
        'aws:vpc:subnet',
        'aws:vpc:subnet',
        'aws:ec2:securityGroup',
        'aws:ec2:securityGroup',
        'aws:acm:certificate',
        'aws:ec2:launchTemplate',
        'aws:elb:targetGroup',
        'aws:autoscaling:group',
        'aws:elb:loadBalancer',
        'dns:record',
      ].sort(),
    );
    const byType = (type: string) => deployment.resources.find((entry) => entry.type === type)!.properties;
    expect(byType('autoscaling:group')).toMatchObject({ minSize: 3, maxSize: 10, desiredCapacity: 3 });
    expect(byType('elb:targetGroup')).toMatchObject({
      port: 8080,
      protocol: 'HTTP',
      healthCheck: { path: '/ready' },
    });
    expect(byType('elb:loadBalancer')).toMatchObject({
      scheme: 'internet-facing',
      listeners: [
        { port: 443, protocol: 'HTTPS', certificateArn: '${aws:acm:certificate:web-shop-cert.arn}' },
      ],
    });
    expect(byType('acm:certificate')).toMatchObject({ domainName: 'shop.example.com' });
    expect(byType('record')).toMatchObject({
      type: 'CNAME',
      value: '${aws:elb:loadBalancer:web-shop-lb.dnsName}',
    });
    const userData = Buffer.from(String(byType('ec2:launchTemplate').userData), 'base64').toString();
    expect(userData).toContain('-p 8080:8080 -e PORT=8080 shop:latest');
  });

  it('makes a usable image name of an app name with spaces, and keeps ELB names within 32 characters', () => {
    const deployment = generate('web-app', {
      appName: 'My Rather Long Application Name',
      domain: 'app.example.com',
      platform: 'aws',
    });
    expect(deployment.name).toBe('web-my-rather-long-application-name');
    const template = deployment.resources.find((entry) => entry.type === 'ec2:launchTemplate')!;
    expect(Buffer.from(String(template.properties.userData), 'base64').toString()).toContain(
      'my-rather-long-application-name:latest',
    );
    for (const entry of deployment.resources.filter((item) => item.type.startsWith('elb:'))) {
      expect(entry.name.length).toBeLessThanOrEqual(32);
    }
  });
});

describe('dev-environment', () => {
  it('runs PostgreSQL and Redis by default, each with a DNS name; the database keeps its data in a volume', () => {
    const deployment = generate('dev-environment', {});
    expect(addresses(deployment)).toEqual([
      'opnsense:network:vlan:dev-vlan',
      'opnsense:dhcp:range:dev-dhcp',
      'docker:network:dev-net',
      'docker:volume:dev-postgres-data',
      'docker:container:dev-postgres',
      'dns:record:dev-postgres-dns',
      'docker:container:dev-redis',
      'dns:record:dev-redis-dns',
    ]);
    const postgres = deployment.resources.find((entry) => entry.name === 'dev-postgres')!;
    expect(postgres.properties).toMatchObject({ image: 'postgres:17', ipAddress: '10.50.0.10' });
    expect(postgres.sensitive).toEqual(['env.POSTGRES_PASSWORD']);
    expect(deployment.resources.find((entry) => entry.name === 'dev-postgres-dns')!.properties.name).toBe(
      'postgres.dev.home.arpa',
    );
  });

  it('runs the databases asked for, in a fixed order, without Redis when cache is false', () => {
    const one = generate('dev-environment', { databases: ['mongodb', 'mysql'], cache: false });
    const other = generate('dev-environment', { databases: ['mysql', 'mongodb'], cache: false });
    expect(one).toEqual(other);
    expect(one.resources.filter((entry) => entry.type === 'container').map((entry) => entry.name)).toEqual([
      'dev-mysql',
      'dev-mongodb',
    ]);
  });
});

describe('database-cluster', () => {
  it('runs the replicas with a volume each, a backup job on the schedule, and admits only its own VLAN', () => {
    const deployment = generate('database-cluster', { engine: 'postgres' });
    const containers = deployment.resources.filter((entry) => entry.type === 'container');
    expect(containers.map((entry) => entry.name)).toEqual([
      'postgres-cluster-1',
      'postgres-cluster-2',
      'postgres-cluster-3',
      'postgres-cluster-backup',
    ]);
    expect(containers[0]!.properties.env).toMatchObject({ POSTGRESQL_REPLICATION_MODE: 'master' });
    expect(containers[1]!.properties.env).toMatchObject({
      POSTGRESQL_REPLICATION_MODE: 'slave',
      POSTGRESQL_MASTER_HOST: '${docker:container:postgres-cluster-1.ipAddress}',
    });
    expect(containers[3]!.properties.env).toMatchObject({
      DEFAULT_BACKUP_BEGIN: '0 2 * * *',
      DB01_TYPE: 'pgsql',
    });
    const volumes = deployment.resources.filter((entry) => entry.type === 'volume');
    expect(volumes.map((entry) => entry.properties.labels)).toContainEqual(
      expect.objectContaining({ size: '20G' }),
    );
    const rules = deployment.resources.filter((entry) => entry.type === 'firewall:rule');
    expect(rules.map((entry) => [entry.name, entry.properties.action, entry.properties.source])).toEqual([
      ['postgres-cluster-allow-1', 'pass', '10.40.0.0/24'],
      ['postgres-cluster-block', 'block', 'any'],
    ]);
    expect(rules[1]!.dependsOn).toEqual(['postgres-cluster-allow-1']);
    for (const rule of rules) {
      expect(rule.properties).toMatchObject({ destination: '10.40.0.0/24', destinationPort: 5432 });
    }
  });

  it('takes replicas, version, storage and the allowed networks', () => {
    const deployment = generate('database-cluster', {
      engine: 'mysql',
      replicas: 5,
      version: '8.0',
      storageGb: 100,
      allowFrom: ['10.20.0.0/24', '192.168.1.0/24'],
    });
    const nodes = deployment.resources.filter(
      (entry) =>
        entry.type === 'container' &&
        entry.properties.labels &&
        (entry.properties.labels as Record<string, string>).role !== 'backup',
    );
    expect(nodes).toHaveLength(5);
    expect(nodes.every((entry) => entry.properties.image === 'bitnami/mysql:8.0')).toBe(true);
    expect(
      deployment.resources.filter(
        (entry) =>
          entry.type === 'volume' && (entry.properties.labels as Record<string, string>).size === '100G',
      ),
    ).toHaveLength(5);
    const allowed = deployment.resources
      .filter((entry) => entry.type === 'firewall:rule' && entry.properties.action === 'pass')
      .map((entry) => entry.properties.source);
    expect(allowed).toEqual(['10.20.0.0/24', '192.168.1.0/24']);
  });
});

describe('iot-network', () => {
  const shape = (params: Record<string, unknown>) =>
    generate('iot-network', params).resources.map((entry) =>
      entry.type === 'firewall:rule' ? `${entry.name}:${entry.properties.action}` : entry.type,
    );

  it('is isolated from the private networks and reaches the internet by default', () => {
    expect(shape({})).toEqual([
      'network:vlan',
      'dhcp:range',
      'iot-allow-dns:pass',
      'firewall:alias',
      'iot-block-lan:block',
      'iot-allow-internet:pass',
    ]);
  });

  it('reaches the LAN but not the internet when asked, and runs a broker with mqtt', () => {
    expect(shape({ isolate: false, internetAccess: false, mqtt: true })).toEqual([
      'network:vlan',
      'dhcp:range',
      'network',
      'iot-allow-dns:pass',
      'iot-allow-lan:pass',
      'iot-block-internet:block',
      'volume',
      'container',
      'record',
    ]);
  });
});

describe('vpn-access', () => {
  it('is a WireGuard server, a peer per device, the WAN rule for the UDP port and the LAN rule', () => {
    const deployment = generate('vpn-access', { peers: 3, port: 51821, tunnelNetwork: '10.9.0.0/24' });
    expect(addresses(deployment)).toEqual([
      'opnsense:service:wireguard:server:vpn-server',
      'opnsense:service:wireguard:peer:vpn-peer-1',
      'opnsense:service:wireguard:peer:vpn-peer-2',
      'opnsense:service:wireguard:peer:vpn-peer-3',
      'opnsense:firewall:rule:vpn-wan',
      'opnsense:firewall:rule:vpn-lan',
    ]);
    expect(deployment.resources[0]!.properties).toMatchObject({
      listenPort: 51821,
      tunnelAddress: '10.9.0.1/24',
    });
    expect(deployment.resources.slice(1, 4).map((entry) => entry.properties.tunnelAddress)).toEqual([
      '10.9.0.2/32',
      '10.9.0.3/32',
      '10.9.0.4/32',
    ]);
    expect(deployment.resources[4]!.properties).toMatchObject({
      interface: 'wan',
      protocol: 'udp',
      destinationPort: 51821,
    });
    expect(deployment.resources[5]!.properties).toMatchObject({ action: 'pass', source: '10.9.0.0/24' });
    expect(
      generate('vpn-access', { lanAccess: false }).resources.find((entry) => entry.name === 'vpn-lan')!
        .properties.action,
    ).toBe('block');
  });

  it('says so when the tunnel network has no room for the peers', () => {
    const pattern = patternNamed('vpn-access');
    const resolved = resolveParams(pattern, { peers: 20, tunnelNetwork: '10.9.0.0/28' });
    expect(resolved.ok).toBe(true);
    const generated = generateDeployment(pattern, (resolved as { params: Record<string, unknown> }).params);
    expect(generated.deployment).toBeUndefined();
    expect(generated.diagnostics[0]).toMatchObject({ code: 'pattern-failed' });
    expect(generated.diagnostics[0]!.summary).toContain('room for 13 peers');
  });
});

describe('media-server', () => {
  it('runs on the host network with library and config volumes and a DNS name by default', () => {
    const deployment = generate('media-server', {});
    expect(addresses(deployment)).toEqual([
      'docker:volume:jellyfin-media',
      'docker:volume:jellyfin-config',
      'docker:container:jellyfin',
      'dns:record:jellyfin-dns',
    ]);
    expect(deployment.resources[0]!.properties).toMatchObject({ labels: { size: '500G' } });
    expect(deployment.resources[2]!.properties).toMatchObject({
      image: 'jellyfin/jellyfin:latest',
      network: 'host',
    });
  });

  it('gets a VLAN of its own with vlanTag, and HAProxy, TLS, a WAN rule and split DNS with remoteAccess', () => {
    const onVlan = generate('media-server', { app: 'plex', vlanTag: 60 });
    expect(onVlan.resources.find((entry) => entry.type === 'container')!.properties).toMatchObject({
      network: 'plex-net',
      ipAddress: '10.60.0.10',
    });
    const remote = generate('media-server', {
      app: 'emby',
      remoteAccess: true,
      hostname: 'media.example.com',
    });
    expect(remote.resources.map((entry) => entry.type)).toEqual([
      'volume',
      'volume',
      'container',
      'service:haproxy:backend',
      'certificate',
      'service:haproxy:frontend',
      'firewall:rule',
      'record',
      'dns:host-override',
    ]);
    expect(remote.resources.find((entry) => entry.type === 'dns:host-override')!.properties).toMatchObject({
      hostname: 'media',
      domain: 'example.com',
      address: '${docker:container:emby.ipAddress}',
    });
  });
});

describe('expose-service', () => {
  it('puts HAProxy with a certificate in front of the target, opens 443 and names it', () => {
    const deployment = generate('expose-service', {
      hostname: 'ha.example.com',
      targetHost: '192.168.1.50',
      targetPort: 8123,
    });
    expect(deployment.resources.map((entry) => entry.type)).toEqual([
      'service:haproxy:backend',
      'certificate',
      'service:haproxy:frontend',
      'firewall:rule',
      'record',
    ]);
    expect(deployment.resources[0]!.properties.servers).toEqual(['192.168.1.50:8123']);
  });

  it('serves plain HTTP without TLS, and opens nothing on the WAN when internal', () => {
    const deployment = generate('expose-service', {
      hostname: 'grafana.home.arpa',
      targetHost: '10.0.0.5',
      targetPort: 3000,
      tls: false,
      public: false,
    });
    expect(deployment.resources.map((entry) => entry.type)).toEqual([
      'service:haproxy:backend',
      'service:haproxy:frontend',
      'record',
    ]);
    expect(deployment.resources[1]!.properties.bind).toBe('0.0.0.0:80');
  });

  it("asks the internal CA for names Let's Encrypt cannot issue", () => {
    const deployment = generate('expose-service', {
      hostname: 'nas.home.arpa',
      targetHost: '10.0.0.20',
      targetPort: 5000,
    });
    expect(deployment.resources.find((entry) => entry.type === 'certificate')!.properties.issuer).toBe(
      'internal',
    );
  });
});

describe('firewall-rule', () => {
  it('is the rule asked for', () => {
    const deployment = generate('firewall-rule', {
      action: 'block',
      protocol: 'udp',
      port: 53,
      source: '10.30.0.0/24',
      interface: 'LAN',
    });
    expect(deployment.resources).toHaveLength(1);
    expect(deployment.resources[0]).toMatchObject({
      server: 'opnsense',
      type: 'firewall:rule',
      properties: {
        interface: 'lan',
        action: 'block',
        protocol: 'udp',
        source: '10.30.0.0/24',
        destination: 'any',
        destinationPort: 53,
      },
    });
  });

  it('with its defaults (pass anything from the internet) is generated as asked and refused by the policies', async () => {
    const deployment = generate('firewall-rule', {});
    expect(deployment.resources[0]!.properties).toMatchObject({
      action: 'pass',
      source: 'any',
      destination: 'any',
    });
    const planned = await plan(deployment, cwd);
    expect(errorsOf(planned)).toEqual([]);
    expect(
      blockingViolations(planned)
        .map((result) => result.policy)
        .sort(),
    ).toEqual(['no-any-to-any', 'no-management-ports-from-wan']);
  });

  it('turns protocol "any" with a port into tcp/udp, since ports exist only for those', () => {
    const deployment = generate('firewall-rule', { protocol: 'any', port: 8080, destination: '10.0.0.10' });
    expect(deployment.resources[0]!.properties).toMatchObject({ protocol: 'tcp/udp', destinationPort: 8080 });
  });
});
