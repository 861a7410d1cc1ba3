import { describe, expect, it } from 'vitest';
import { extractPorts } from '../../../../src/agent/offline/ports.js';

const ports = (text: string) => extractPorts(text).map((found) => [found.value, found.source]);

describe('extractPorts', () => {
  it('reads ports after the word', () => {
    expect(ports('port 8080')).toEqual([[8080, 'word']]);
    expect(ports('ports: 443')).toEqual([[443, 'word']]);
    expect(ports('on port eighty')).toEqual([[80, 'word']]);
    expect(ports('it listens on 3000')).toEqual([[3000, 'word']]);
  });

  it('reads host:port and protocol forms', () => {
    expect(ports('10.0.0.5:3000')).toEqual([[3000, 'host']]);
    expect(ports('nas.lan:5000')).toEqual([[5000, 'host']]);
    expect(ports('8080/tcp')).toEqual([[8080, 'protocol']]);
    expect(ports('udp 53')).toEqual([[53, 'protocol']]);
  });

  it('reads services named where traffic is meant', () => {
    expect(ports('open ssh to the nas')).toEqual([[22, 'service']]);
    expect(ports('block https traffic')).toEqual([[443, 'service']]);
    expect(ports('serve the site over https')).toEqual([]);
  });

  it('skips times, image tags and impossible ports', () => {
    expect(ports('at 14:00')).toEqual([]);
    expect(ports('ghcr.io/acme/api:2.1')).toEqual([]);
    expect(ports('port 70000')).toEqual([]);
  });
});
