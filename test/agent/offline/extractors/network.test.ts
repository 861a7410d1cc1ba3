import { describe, expect, it } from 'vitest';
import {
  extractCidrs,
  extractHostnames,
  extractHostPorts,
  extractIPv4s,
} from '../../../../src/agent/offline/network.js';

const texts = (found: Array<{ value: unknown }>) => found.map((entry) => entry.value);

describe('extractIPv4s', () => {
  it('finds addresses, not ranges or longer dotted numbers', () => {
    expect(texts(extractIPv4s('to 10.0.0.5, from 192.168.1.50.'))).toEqual(['10.0.0.5', '192.168.1.50']);
    expect(texts(extractIPv4s('10.0.0.0/24'))).toEqual([]);
    expect(texts(extractIPv4s('1.2.3.4.5 and 300.1.1.1'))).toEqual([]);
  });
});

describe('extractCidrs', () => {
  it('finds ranges with a valid prefix', () => {
    expect(texts(extractCidrs('from 10.20.0.0/24 and 172.16.0.0/12'))).toEqual([
      '10.20.0.0/24',
      '172.16.0.0/12',
    ]);
    expect(texts(extractCidrs('10.0.0.0/33'))).toEqual([]);
  });
});

describe('extractHostnames', () => {
  it('finds domains and host names, lower-cased', () => {
    expect(texts(extractHostnames('at Shop.Example.com and minecraft.home.arpa'))).toEqual([
      'shop.example.com',
      'minecraft.home.arpa',
    ]);
    expect(texts(extractHostnames('nas.lan.'))).toEqual(['nas.lan']);
  });

  it('skips file names, versions, addresses and e-mail', () => {
    expect(texts(extractHostnames('node.js config.yaml 8.0 10.0.0.1 admin@example.com'))).toEqual([]);
  });
});

describe('extractHostPorts', () => {
  it('splits host and port', () => {
    expect(extractHostPorts('expose 192.168.1.50:8123 now')[0]).toMatchObject({
      value: { host: '192.168.1.50', port: 8123 },
      hostIsAddress: true,
    });
    expect(extractHostPorts('nas.lan:5000')[0]).toMatchObject({
      value: { host: 'nas.lan', port: 5000 },
      hostIsAddress: false,
    });
  });

  it('skips image tags and times', () => {
    expect(extractHostPorts('ghcr.io/acme/api:2.1 at 14:00')).toEqual([]);
  });
});
