// The readers queries and troubleshooting share: published ports in every form Docker takes, addresses and blocks
// written anywhere, port forwards, rules and DNS values from properties and outputs.
import { describe, expect, it } from 'vitest';
import {
  addressFieldCovers,
  blockOf,
  dnsEntryOf,
  ipv4Mentions,
  isEnabled,
  portCovers,
  publishedPorts,
  type ResourceShape,
} from '../../../src/agent/answers/network-facts.js';

const shape = (
  type: string,
  properties: Record<string, unknown>,
  outputs: Record<string, unknown> = {},
): ResourceShape => ({
  server: 's',
  type,
  name: 'n',
  properties,
  outputs,
});

describe('network facts', () => {
  it('reads published ports as strings, numbers and objects', () => {
    expect(
      publishedPorts(
        shape('container', {
          ports: [
            '25565:25565/tcp',
            '8080',
            '127.0.0.1:80:8080',
            '53/UDP',
            9000,
            { containerPort: 443, hostPort: 8443 },
          ],
        }),
      ),
    ).toEqual([
      { port: 25565, containerPort: 25565, hostPort: 25565, protocol: 'tcp' },
      { port: 8080, containerPort: 8080, protocol: 'tcp' },
      { port: 80, containerPort: 8080, hostPort: 80, protocol: 'tcp' },
      { port: 53, containerPort: 53, protocol: 'udp' },
      { port: 9000, containerPort: 9000, protocol: 'tcp' },
      { port: 8443, containerPort: 443, hostPort: 8443, protocol: 'tcp' },
    ]);
  });

  it('finds addresses and blocks anywhere in a value, ports stripped', () => {
    expect(
      ipv4Mentions({ servers: ['10.0.1.10:8080', { address: '10.0.1.11' }], allow: '10.20.0.0/24, any' }).map(
        (block) => block.text,
      ),
    ).toEqual(['10.0.1.10', '10.0.1.11', '10.20.0.0/24']);
    expect(blockOf('10.20.0.1/24')).toMatchObject({ text: '10.20.0.1/24', to: blockOf('10.20.0.0/24')!.to });
  });

  it('decides whether a rule field covers an address or port', () => {
    expect(addressFieldCovers('any', '10.0.0.1')).toBe(true);
    expect(addressFieldCovers('10.0.0.0/8', '10.20.0.1')).toBe(true);
    expect(addressFieldCovers('!10.0.0.0/8', '10.20.0.1')).toBe(false);
    expect(addressFieldCovers('lannet', '10.20.0.1')).toBe(false);
    expect(portCovers('8000-8080', 8080)).toBe(true);
    expect(portCovers(25565, 25566)).toBe(false);
  });

  it('reads enabled from outputs first, then properties', () => {
    expect(isEnabled(shape('firewall:rule', { enabled: true }, { enabled: false }))).toBe(false);
    expect(isEnabled(shape('firewall:rule', { disabled: true }))).toBe(false);
    expect(isEnabled(shape('firewall:nat', {}))).toBe(true);
  });

  it('reads DNS records and OPNsense host overrides alike', () => {
    expect(
      dnsEntryOf(shape('record', { name: 'a.example.com', type: 'A', values: ['1.2.3.4', '1.2.3.5'] })),
    ).toEqual({
      fqdn: 'a.example.com',
      recordType: 'A',
      values: ['1.2.3.4', '1.2.3.5'],
    });
    expect(
      dnsEntryOf(
        shape('dns:host-override', { hostname: 'nas', domain: 'home.arpa', address: '192.168.1.5' }),
      ),
    ).toEqual({
      fqdn: 'nas.home.arpa',
      recordType: 'A',
      values: ['192.168.1.5'],
    });
    expect(dnsEntryOf(shape('container', {}))).toBeUndefined();
  });
});
