import { describe, expect, it } from 'vitest';
import type { ResourceInput } from './policy-helpers.js';
import { evaluate, firewallRule, onlyResult, portForward, violations, without } from './policy-helpers.js';

const POLICY = 'no-plaintext-http-from-wan';

const httpFromWan = {
  interface: 'wan',
  action: 'pass',
  protocol: 'tcp',
  source: 'any',
  destination: '10.20.0.20',
  destinationPort: 80,
};

function loadBalancer(properties: Record<string, unknown>): ResourceInput {
  return { server: 'aws', type: 'elb:loadBalancer', name: 'web-lb', properties };
}

describe('no-plaintext-http-from-wan', () => {
  it('reports HTTP on port 80 from any source on the WAN as an advisory violation that does not block', async () => {
    const report = await evaluate([firewallRule('http-in', httpFromWan)]);

    const result = onlyResult(report);
    expect(result).toMatchObject({
      policy: POLICY,
      status: 'violation',
      code: 'plaintext-http-exposed',
      severity: 'medium',
      enforcement: 'advisory',
      address: 'opnsense:firewall:rule:http-in',
    });
    expect(result.summary).toContain('port 80');
    expect(result.remediation).toContain('HTTPS');
    expect(report.blocked).toBe(false);
  });

  it('reports port 8080 as well', async () => {
    const report = await evaluate([firewallRule('alt-http', { ...httpFromWan, destinationPort: 8080 })]);

    expect(onlyResult(report).summary).toContain('port 8080');
  });

  it.each([
    ['HTTPS (443)', { ...httpFromWan, destinationPort: 443 }],
    ['a LAN rule', { ...httpFromWan, interface: 'lan' }],
    ['a restricted source', { ...httpFromWan, source: '198.51.100.0/24' }],
    ['a block rule', { ...httpFromWan, action: 'block' }],
  ])('passes %s', async (_, properties) => {
    const report = await evaluate([firewallRule('web', properties)]);

    expect(report.results).toEqual([]);
    expect(report.evaluated).toContain(POLICY);
  });

  it('leaves a rule open on every port to the management-port policy', async () => {
    const report = await evaluate([firewallRule('everything', without(httpFromWan, 'destinationPort'))]);

    expect(violations(report, POLICY)).toEqual([]);
    expect(violations(report, 'no-management-ports-from-wan')).toHaveLength(1);
  });

  it('reports a port forward from WAN 8080 to internal port 80, naming both ports', async () => {
    const report = await evaluate([
      portForward('web-forward', {
        interface: 'wan',
        destinationPort: 8080,
        target: '10.20.0.20',
        targetPort: 80,
      }),
    ]);

    const result = onlyResult(report);
    expect(result).toMatchObject({ policy: POLICY, address: 'opnsense:firewall:nat:web-forward' });
    expect(result.summary).toContain('80, 8080');
  });

  it('says when it cannot tell whether a port is plain HTTP, instead of passing silently', async () => {
    const report = await evaluate([
      { server: 'aws', type: 'ec2:instance', name: 'web', properties: {} },
      firewallRule('to-web', { ...httpFromWan, destinationPort: '${aws:ec2:web.port}' }),
    ]);

    const results = report.results.filter((result) => result.policy === POLICY);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'unverifiable' });
    expect(results[0]!.summary).toContain('cannot be checked until apply');
  });

  it('blocks once settings make it mandatory', async () => {
    const report = await evaluate([firewallRule('http-in', httpFromWan)], {
      [POLICY]: { enforcement: 'mandatory' },
    });

    expect(onlyResult(report).enforcement).toBe('mandatory');
    expect(report.blocked).toBe(true);
  });

  describe('load balancers', () => {
    it('reports an internet-facing HTTP listener, pointing at the listener', async () => {
      const report = await evaluate([
        loadBalancer({
          scheme: 'internet-facing',
          listeners: [
            { protocol: 'HTTPS', port: 443 },
            { protocol: 'http', port: 80 },
          ],
        }),
      ]);

      expect(onlyResult(report)).toMatchObject({
        policy: POLICY,
        address: 'aws:elb:loadBalancer:web-lb',
        path: 'properties.listeners[1]',
      });
    });

    it('treats a load balancer with no scheme as internet-facing', async () => {
      const report = await evaluate([loadBalancer({ listeners: [{ protocol: 'HTTP', port: 80 }] })]);

      expect(violations(report, POLICY)).toHaveLength(1);
    });

    it.each([
      [
        'an HTTPS-only listener',
        { scheme: 'internet-facing', listeners: [{ protocol: 'HTTPS', port: 443 }] },
      ],
      ['an internal load balancer', { scheme: 'internal', listeners: [{ protocol: 'HTTP', port: 80 }] }],
    ])('passes %s', async (_, properties) => {
      const report = await evaluate([loadBalancer(properties)]);

      expect(report.results).toEqual([]);
    });
  });
});
