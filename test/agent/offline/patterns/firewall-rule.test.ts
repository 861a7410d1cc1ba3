import { describe, expect, it } from 'vitest';
import { expectDeploy, parse } from '../parse.js';

describe('firewall-rule', () => {
  it('reads the catalog examples', () => {
    expectDeploy('open port 443 to 10.0.0.5', {
      pattern: 'firewall-rule',
      params: { action: 'pass', port: 443, destination: '10.0.0.5', source: 'any', protocol: 'tcp' },
    });
    expectDeploy('block udp 53 from the iot network to anywhere', {
      pattern: 'firewall-rule',
      params: { action: 'block', protocol: 'udp', port: 53, destination: 'any' },
    });
    expectDeploy('allow tcp 8080 from 192.168.1.0/24 to 10.0.0.10 on lan', {
      pattern: 'firewall-rule',
      params: {
        action: 'pass',
        protocol: 'tcp',
        port: 8080,
        source: '192.168.1.0/24',
        destination: '10.0.0.10',
        interface: 'lan',
      },
    });
  });

  it('reads services by name and other verbs', () => {
    expectDeploy('allow ssh from 192.168.1.0/24 to 10.0.0.5', {
      pattern: 'firewall-rule',
      params: { action: 'pass', port: 22, source: '192.168.1.0/24' },
    });
    expectDeploy('reject udp port 1900 on the lan interface', {
      pattern: 'firewall-rule',
      params: { action: 'reject', protocol: 'udp', port: 1900, interface: 'lan' },
    });
    expectDeploy('deny telnet, port twenty three, from anywhere', {
      pattern: 'firewall-rule',
      params: { action: 'block', port: 23, source: 'any' },
    });
  });

  it('may write a rule for every port, but says so', () => {
    const intent = parse('open every port');
    expect(intent.kind).toBe('deploy');
    expect(intent.pattern).toBe('firewall-rule');
    expect(intent.params?.port).toBeUndefined();
    expect(intent.notes?.join(' ')).toMatch(/every port|all traffic/i);
  });
});
