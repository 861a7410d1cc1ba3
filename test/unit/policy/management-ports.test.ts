import { describe, expect, it } from 'vitest';
import { MANAGEMENT_PORTS } from '../../../src/policy/builtin/management-ports.js';
import {
  evaluate,
  firewallRule,
  onlyResult,
  portForward,
  securityGroup,
  unverifiable,
  violations,
  WEB_PORT,
  WEB_PRIVATE_IP,
  webInstance,
  without,
} from './policy-helpers.js';

const POLICY = 'no-management-ports-from-wan';

/** SSH from the whole internet to one host: the rule every scanner hopes for. */
const sshFromWan = {
  interface: 'wan',
  action: 'pass',
  protocol: 'tcp',
  source: 'any',
  destination: '10.20.0.10',
  destinationPort: 22,
};

describe('no-management-ports-from-wan', () => {
  describe('firewall rules', () => {
    it('reports SSH on the WAN from any source as a critical, blocking violation naming SSH', async () => {
      const report = await evaluate([firewallRule('ssh-in', sshFromWan)]);

      const result = onlyResult(report);
      expect(result).toMatchObject({
        policy: POLICY,
        status: 'violation',
        code: 'management-port-exposed',
        severity: 'critical',
        enforcement: 'mandatory',
        address: 'opnsense:firewall:rule:ssh-in',
      });
      expect(result.summary).toContain('SSH (22)');
      expect(result.detail).toContain('opnsense:firewall:rule:ssh-in');
      expect(result.remediation).toMatch(/VPN|restrict the source/);
      expect(report.blocked).toBe(true);
    });

    it.each([
      ['a range', '20-30', ['SSH (22)', 'Telnet (23)']],
      ['a range written with a colon', '3300:3400', ['MySQL (3306)', 'RDP (3389)']],
      ['a comma list', '80,3389', ['RDP (3389)']],
      ['a list of texts and numbers', ['443', 5432], ['PostgreSQL (5432)']],
      ['the port as text', '22', ['SSH (22)']],
    ])('finds management ports in %s (%j)', async (_, destinationPort, services) => {
      const report = await evaluate([firewallRule('wide', { ...sshFromWan, destinationPort })]);

      const found = violations(report, POLICY);
      expect(found).toHaveLength(1);
      for (const service of services) expect(found[0]!.summary).toContain(service);
      expect(found[0]!.summary).not.toContain('every port');
    });

    it('does not name services outside the port value', async () => {
      const report = await evaluate([firewallRule('rdp', { ...sshFromWan, destinationPort: '80,3389' })]);

      expect(violations(report, POLICY)[0]!.summary).not.toContain('SSH');
    });

    it.each([
      ['a missing port', without(sshFromWan, 'destinationPort')],
      ['port "any"', { ...sshFromWan, destinationPort: 'any' }],
      ['port range 1-65535', { ...sshFromWan, destinationPort: '1-65535' }],
    ])('treats %s as every port', async (_, properties) => {
      const report = await evaluate([firewallRule('all-ports', properties)]);

      const found = violations(report, POLICY);
      expect(found).toHaveLength(1);
      expect(found[0]!.summary).toContain('every port');
    });

    it.each([
      ['another port key (port)', { ...without(sshFromWan, 'destinationPort'), port: 3389 }],
      ['protocol tcp/udp', { ...sshFromWan, protocol: 'TCP/UDP' }],
      ['a missing protocol', without(sshFromWan, 'protocol')],
      ['a missing action (pass by default)', without(sshFromWan, 'action')],
      ['a source of 0.0.0.0/0', { ...sshFromWan, source: '0.0.0.0/0' }],
      ['a missing source', without(sshFromWan, 'source')],
      ['an upper-case WAN interface', { ...sshFromWan, interface: 'WAN' }],
      ['an interface list that includes wan', { ...sshFromWan, interface: 'lan,wan' }],
    ])('still reports the exposure with %s', async (_, properties) => {
      const report = await evaluate([firewallRule('exposed', properties)]);

      expect(violations(report, POLICY)).toHaveLength(1);
    });

    it.each([
      ['on the LAN interface', { ...sshFromWan, interface: 'lan' }],
      ['with no interface (not a WAN rule)', without(sshFromWan, 'interface')],
      ['from a restricted source', { ...sshFromWan, source: '203.0.113.7/32' }],
      ['from an alias', { ...sshFromWan, source: 'admin_hosts' }],
      ['for UDP only', { ...sshFromWan, protocol: 'udp' }],
      ['when it blocks', { ...sshFromWan, action: 'block' }],
      ['to HTTPS', { ...sshFromWan, destinationPort: 443 }],
      ['to a range that misses every management port', { ...sshFromWan, destinationPort: '1000-1400' }],
    ])('passes a rule %s', async (_, properties) => {
      const report = await evaluate([firewallRule('fine', properties)]);

      expect(report.results).toEqual([]);
      expect(report.evaluated).toContain(POLICY);
    });

    it('reports each exposing rule, not only the first', async () => {
      const report = await evaluate([
        firewallRule('ssh-in', sshFromWan),
        firewallRule('rdp-in', { ...sshFromWan, destinationPort: 3389 }),
        firewallRule('https-in', { ...sshFromWan, destinationPort: 443 }),
      ]);

      expect(violations(report, POLICY).map((result) => result.address)).toEqual([
        'opnsense:firewall:rule:rdp-in',
        'opnsense:firewall:rule:ssh-in',
      ]);
    });
  });

  describe('port forwards', () => {
    it('reports forwarding WAN port 2222 to internal port 22', async () => {
      const report = await evaluate([
        portForward('ssh-forward', {
          interface: 'wan',
          protocol: 'tcp',
          destinationPort: 2222,
          target: '10.20.0.10',
          targetPort: 22,
        }),
      ]);

      const result = onlyResult(report);
      expect(result).toMatchObject({
        policy: POLICY,
        status: 'violation',
        address: 'opnsense:firewall:nat:ssh-forward',
      });
      expect(result.summary).toContain('SSH (22)');
      expect(result.summary.toLowerCase()).toContain('port forward');
    });

    it('treats a port forward with no interface as a WAN port forward', async () => {
      const report = await evaluate([
        portForward('rdp-forward', { destinationPort: 3389, target: '10.20.0.11' }),
      ]);

      expect(violations(report, POLICY)).toHaveLength(1);
      expect(violations(report, POLICY)[0]!.summary).toContain('RDP (3389)');
    });

    it.each([
      ['a game port', { interface: 'wan', protocol: 'tcp', destinationPort: 25565, targetPort: 25565 }],
      ['a LAN interface', { interface: 'lan', protocol: 'tcp', destinationPort: 2222, targetPort: 22 }],
      [
        'a restricted source',
        { interface: 'wan', source: '198.51.100.0/24', destinationPort: 2222, targetPort: 22 },
      ],
      ['UDP only', { interface: 'wan', protocol: 'udp', destinationPort: 2222, targetPort: 22 }],
    ])('passes a port forward with %s', async (_, properties) => {
      const report = await evaluate([portForward('forward', { target: '10.20.0.10', ...properties })]);

      expect(report.results).toEqual([]);
    });
  });

  describe('security groups', () => {
    it('reports ingress from 0.0.0.0/0 on PostgreSQL, pointing at the rule', async () => {
      const report = await evaluate([
        securityGroup('db', [
          { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['10.0.0.0/16'] },
          { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] },
          { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['0.0.0.0/0'] },
        ]),
      ]);

      const result = onlyResult(report);
      expect(result).toMatchObject({
        policy: POLICY,
        status: 'violation',
        address: 'aws:ec2:securityGroup:db',
        path: 'properties.ingress[2]',
      });
      expect(result.summary).toContain('PostgreSQL (5432)');
    });

    it.each([
      ['fromPort -1', { protocol: 'tcp', fromPort: -1, toPort: -1 }],
      ['ports 0-65535', { protocol: 'tcp', fromPort: 0, toPort: 65535 }],
    ])('treats %s as every port', async (_, ports) => {
      const report = await evaluate([securityGroup('wide', [{ ...ports, cidrBlocks: ['0.0.0.0/0'] }])]);

      expect(violations(report, POLICY)).toHaveLength(1);
      expect(violations(report, POLICY)[0]!.summary).toContain('every port');
    });

    it.each([
      ['a private CIDR', { cidrBlocks: ['10.0.0.0/16'] }],
      ['another security group', { sourceSecurityGroupId: 'sg-0123456789' }],
    ])('passes SSH from %s', async (_, source) => {
      const report = await evaluate([
        securityGroup('ssh', [{ protocol: 'tcp', fromPort: 22, toPort: 22, ...source }]),
      ]);

      expect(report.results).toEqual([]);
    });

    // Bug: inspect.ts portRange() ignores the protocol. With protocol "-1" AWS allows every port whatever the
    // ports say, and Terraform requires fromPort = toPort = 0 for it; portRange() turns that into "0-0" (port 0 only).
    it('treats protocol -1 with ports 0-0 (all traffic) as every port', async () => {
      const report = await evaluate([
        securityGroup('all-traffic', [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }]),
      ]);

      expect(violations(report, POLICY)).toHaveLength(1);
      expect(violations(report, POLICY)[0]!.summary).toContain('every port');
    });

    // Bug: network-exposure.ts takes `rule.cidrBlocks ?? ...`; an empty list is not nullish, so the security group
    // source is never looked at, and isAnyAddress([]) says "anywhere".
    it('passes SSH from another security group when cidrBlocks is an empty list', async () => {
      const report = await evaluate([
        securityGroup('ssh', [
          { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: [], securityGroups: ['sg-0123456789'] },
        ]),
      ]);

      expect(report.results).toEqual([]);
    });

    // Bug: network-exposure.ts never reads ipv6CidrBlocks, so SSH open to the whole IPv6 internet passes when the
    // rule also has a private IPv4 CIDR.
    it('reports SSH open to ::/0 through ipv6CidrBlocks', async () => {
      const report = await evaluate([
        securityGroup('ssh', [
          {
            protocol: 'tcp',
            fromPort: 22,
            toPort: 22,
            cidrBlocks: ['10.0.0.0/16'],
            ipv6CidrBlocks: ['::/0'],
          },
        ]),
      ]);

      expect(violations(report, POLICY)).toHaveLength(1);
    });
  });

  describe('options from settings', () => {
    it('uses custom WAN interface names instead of "wan"', async () => {
      const settings = { [POLICY]: { wanInterfaces: ['igc0'] } };
      const report = await evaluate(
        [firewallRule('on-igc0', { ...sshFromWan, interface: 'igc0' }), firewallRule('on-wan', sshFromWan)],
        settings,
      );

      expect(violations(report, POLICY).map((result) => result.address)).toEqual([
        'opnsense:firewall:rule:on-igc0',
      ]);
    });

    it('uses a custom port list instead of the built-in one', async () => {
      const settings = { [POLICY]: { ports: [8443] } };
      const report = await evaluate(
        [
          firewallRule('admin-ui', { ...sshFromWan, destinationPort: 8443 }),
          firewallRule('ssh-in', sshFromWan),
        ],
        settings,
      );

      const found = violations(report, POLICY);
      expect(found.map((result) => result.address)).toEqual(['opnsense:firewall:rule:admin-ui']);
      expect(found[0]!.summary).toContain('8443');
    });

    it('checks every built-in management port by default', async () => {
      const ports = Object.keys(MANAGEMENT_PORTS).map(Number);
      expect(ports).toEqual(expect.arrayContaining([22, 3389, 5432, 2375, 8006]));
      const report = await evaluate(
        ports.map((port) => firewallRule(`port-${port}`, { ...sshFromWan, destinationPort: port })),
      );

      expect(violations(report, POLICY)).toHaveLength(ports.length);
      for (const port of ports) {
        const result = violations(report, POLICY).find(
          (item) => item.address === `opnsense:firewall:rule:port-${port}`,
        );
        expect(result?.summary).toContain(`${MANAGEMENT_PORTS[port]} (${port})`);
      }
    });
  });

  describe('values only known after apply', () => {
    it('reports an unknown port as unverifiable, naming the field, without blocking', async () => {
      const report = await evaluate([
        webInstance,
        firewallRule('to-web', { ...sshFromWan, destinationPort: WEB_PORT }),
      ]);

      // The plain-HTTP policy cannot decide either (the port could be 80): each policy says so for its own check.
      expect(report.results.map((item) => item.policy).sort()).toEqual([
        POLICY,
        'no-plaintext-http-from-wan',
      ]);
      const [result] = unverifiable(report, POLICY);
      expect(result).toMatchObject({
        policy: POLICY,
        status: 'unverifiable',
        address: 'opnsense:firewall:rule:to-web',
      });
      expect(result!.summary).toContain('cannot be checked until apply');
      expect(result!.detail).toContain(`destinationPort is ${WEB_PORT} (known after apply)`);
      expect(report.blocked).toBe(false);
    });

    it('says a port alias cannot be expanded, instead of claiming it is known after apply', async () => {
      const report = await evaluate([
        firewallRule('aliased', { ...sshFromWan, destinationPort: 'ssh_ports' }),
      ]);

      const [result] = unverifiable(report, POLICY);
      expect(result!.summary).toContain('cannot be checked at plan time');
      expect(result!.detail).toContain('destinationPort names "ssh_ports", an alias Conductor cannot expand');
      expect(result!.detail).not.toContain('known after apply');
      expect(report.blocked).toBe(false);
    });

    it('reports an unknown interface as unverifiable', async () => {
      const report = await evaluate([
        {
          server: 'opnsense',
          type: 'network:vlan',
          name: 'uplink',
          properties: { tag: 30, interface: 'igc0' },
        },
        firewallRule('ssh-in', { ...sshFromWan, interface: '${opnsense:network:vlan:uplink.device}' }),
      ]);

      expect(unverifiable(report, POLICY)).toHaveLength(1);
      expect(unverifiable(report, POLICY)[0]!.detail).toContain(
        'interface is ${opnsense:network:vlan:uplink.device}',
      );
      expect(violations(report)).toEqual([]);
    });

    it('reports a security group CIDR only known after apply as unverifiable', async () => {
      const report = await evaluate([
        webInstance,
        securityGroup('db', [
          { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: [`${WEB_PRIVATE_IP}/32`] },
        ]),
      ]);

      const result = onlyResult(report);
      expect(result).toMatchObject({ status: 'unverifiable', path: 'properties.ingress[0]' });
    });

    it('needs no later check when a literal value already rules the rule out', async () => {
      const report = await evaluate([
        webInstance,
        firewallRule('udp-to-web', { ...sshFromWan, protocol: 'udp', destinationPort: WEB_PORT }),
        firewallRule('lan-to-web', { ...sshFromWan, interface: 'lan', destinationPort: WEB_PORT }),
      ]);

      expect(report.results).toEqual([]);
    });

    it('reports a literal exposure as a violation even when another field is unknown', async () => {
      const report = await evaluate([
        webInstance,
        firewallRule('ssh-to-web', { ...sshFromWan, destination: WEB_PRIVATE_IP }),
      ]);

      expect(violations(report, POLICY)).toHaveLength(1);
      expect(unverifiable(report, POLICY)).toEqual([]);
    });
  });
});
