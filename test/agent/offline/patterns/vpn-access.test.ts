import { describe, it } from 'vitest';
import { expectDeploy } from '../parse.js';

describe('vpn-access', () => {
  it('reads the catalog examples', () => {
    expectDeploy('set up a wireguard vpn for my phone and laptop', {
      pattern: 'vpn-access',
      params: { peers: 2 },
    });
    expectDeploy('I want remote access to my network with 3 devices', {
      pattern: 'vpn-access',
      params: { peers: 3 },
    });
    expectDeploy('vpn on port 51821 using 10.9.0.0/24, no LAN access', {
      pattern: 'vpn-access',
      params: { port: 51821, tunnelNetwork: '10.9.0.0/24', lanAccess: false },
    });
  });

  it('reads other phrasings', () => {
    expectDeploy('wireguard for six clients', { pattern: 'vpn-access', params: { peers: 6, port: 51820 } });
    expectDeploy('vpn so my phone, my tablet and 2 laptops can get in, internet only', {
      pattern: 'vpn-access',
      params: { peers: 4, lanAccess: false },
    });
    expectDeploy('a VPN tunnel listening on udp 51999', { pattern: 'vpn-access', params: { port: 51999 } });
  });
});
