import { describe, expect, it } from 'vitest';
import {
  evaluate,
  firewallRule,
  onlyResult,
  securityGroup,
  unverifiable,
  violations,
  WEB_PRIVATE_IP,
  webInstance,
  without,
} from './policy-helpers.js';

const anyToAny = { source: 'any', destination: 'any', action: 'pass' };

describe('no-any-to-any', () => {
  it('gives exactly one violation across all built-in policies for a pass rule from any to any', async () => {
    // The origin document's test: no interface and no port, so only this policy has something to say.
    const report = await evaluate([firewallRule('bad-rule', anyToAny)]);

    const result = onlyResult(report);
    expect(result).toMatchObject({
      policy: 'no-any-to-any',
      status: 'violation',
      code: 'any-to-any-rule',
      severity: 'high',
      enforcement: 'mandatory',
      address: 'opnsense:firewall:rule:bad-rule',
    });
    expect(result.summary).toContain('any-to-any');
    expect(result.remediation).not.toBe('');
    expect(report.blocked).toBe(true);
  });

  it.each([
    ['a source of 0.0.0.0/0', { ...anyToAny, source: '0.0.0.0/0' }],
    ['a missing source', without(anyToAny, 'source')],
    ['a missing destination', without(anyToAny, 'destination')],
    ['a missing action (OPNsense rules pass by default)', without(anyToAny, 'action')],
    ['IPv6 ::/0 to "*" with action allow', { source: '::/0', destination: '*', action: 'allow' }],
    ['upper-case ANY and PASS', { source: 'ANY', destination: 'Any', action: 'PASS' }],
    ['a source list that includes any', { ...anyToAny, source: ['10.0.0.0/8', 'any'] }],
    [
      'an address object that says any',
      { ...anyToAny, source: { any: true }, destination: { network: '0.0.0.0/0' } },
    ],
  ])('counts %s as any', async (_, properties) => {
    const report = await evaluate([firewallRule('open', properties)]);

    expect(violations(report, 'no-any-to-any')).toHaveLength(1);
    expect(violations(report, 'no-any-to-any')[0]!.summary).toContain('any-to-any');
  });

  it.each([
    ['a block rule', { ...anyToAny, action: 'block' }],
    ['a reject rule', { ...anyToAny, action: 'reject' }],
    ['a specific source network', { ...anyToAny, source: '192.168.10.0/24' }],
    ['a specific destination host', { ...anyToAny, destination: '10.20.0.10' }],
    ['a firewall alias as the source', { ...anyToAny, source: 'trusted_admins' }],
  ])('passes %s', async (_, properties) => {
    const report = await evaluate([firewallRule('narrow', properties)]);

    expect(report.results).toEqual([]);
    expect(report.evaluated).toContain('no-any-to-any');
    expect(report.blocked).toBe(false);
  });

  it('reports a destination only known after apply as unverifiable: not a pass, not a violation', async () => {
    const report = await evaluate([
      webInstance,
      firewallRule('to-web', { source: 'any', destination: WEB_PRIVATE_IP, action: 'pass' }),
    ]);

    const result = onlyResult(report);
    expect(result).toMatchObject({
      policy: 'no-any-to-any',
      status: 'unverifiable',
      address: 'opnsense:firewall:rule:to-web',
    });
    expect(result.summary).toContain('cannot be checked until apply');
    expect(result.detail).toContain(`destination is ${WEB_PRIVATE_IP} (known after apply)`);
    expect(report.blocked).toBe(false);
  });

  it('names the unknown source when the source is the value not known yet', async () => {
    const report = await evaluate([
      webInstance,
      firewallRule('from-web', { source: WEB_PRIVATE_IP, destination: 'any', action: 'pass' }),
    ]);

    const result = onlyResult(report);
    expect(result.status).toBe('unverifiable');
    expect(result.detail).toContain(`source is ${WEB_PRIVATE_IP} (known after apply)`);
    expect(result.detail).not.toContain('destination is');
  });

  it.each([
    ['a block rule', { source: 'any', destination: WEB_PRIVATE_IP, action: 'block' }],
    ['a specific source', { source: '192.168.10.0/24', destination: WEB_PRIVATE_IP, action: 'pass' }],
  ])(
    'needs no later check for %s to an unknown destination: it cannot be any-to-any',
    async (_, properties) => {
      const report = await evaluate([webInstance, firewallRule('to-web', properties)]);

      expect(report.results).toEqual([]);
    },
  );

  it('reports every any-to-any rule, each at its own address', async () => {
    const report = await evaluate([
      firewallRule('open-a', anyToAny),
      firewallRule('open-b', { ...anyToAny, source: '0.0.0.0/0' }),
      firewallRule('fine', { ...anyToAny, source: '10.0.0.0/8' }),
    ]);

    expect(violations(report, 'no-any-to-any').map((result) => result.address)).toEqual([
      'opnsense:firewall:rule:open-a',
      'opnsense:firewall:rule:open-b',
    ]);
  });

  describe('security groups', () => {
    it('reports ingress of every protocol from 0.0.0.0/0, with the rule index', async () => {
      const report = await evaluate([
        securityGroup('open', [
          { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] },
          { protocol: '-1', cidrBlocks: ['0.0.0.0/0'] },
        ]),
      ]);

      const found = violations(report, 'no-any-to-any');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        address: 'aws:ec2:securityGroup:open',
        path: 'properties.ingress[1]',
      });
      expect(found[0]!.summary).toContain('any-to-any');
    });

    it('passes a single protocol and port from anywhere (that is a published service, not any-to-any)', async () => {
      const report = await evaluate([
        securityGroup('https', [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] }]),
      ]);

      expect(report.results.filter((result) => result.policy === 'no-any-to-any')).toEqual([]);
    });

    // Bug: no-any-to-any.ts reads only cidrBlocks/cidr/cidrIp, so a rule whose source is another security group has
    // no CIDR, which isAnyAddress() takes as "anywhere". network-exposure.ts handles this case; this policy does not.
    it('passes every protocol from another security group (not from anywhere)', async () => {
      const report = await evaluate([
        securityGroup('from-lb', [
          { protocol: '-1', fromPort: 0, toPort: 0, securityGroups: ['sg-0123456789'] },
        ]),
      ]);

      expect(violations(report, 'no-any-to-any')).toEqual([]);
    });

    // Bug: no-any-to-any.ts only reports when isAnyAddress(...) === true, so 'unknown' is a silent pass.
    it('reports every protocol from a CIDR only known after apply as unverifiable', async () => {
      const report = await evaluate([
        webInstance,
        securityGroup('from-web', [
          { protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: [`${WEB_PRIVATE_IP}/32`] },
        ]),
      ]);

      expect(unverifiable(report, 'no-any-to-any')).toHaveLength(1);
    });
  });
});
