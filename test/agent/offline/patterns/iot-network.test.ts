import { describe, it } from 'vitest';
import { expectDeploy } from '../parse.js';

describe('iot-network', () => {
  it('reads the catalog examples', () => {
    expectDeploy('create an isolated network for my smart home devices', {
      pattern: 'iot-network',
      params: { isolate: true, internetAccess: true, mqtt: false, vlanTag: 30, name: 'iot' },
    });
    expectDeploy('set up an IoT VLAN 35 with no internet access', {
      pattern: 'iot-network',
      params: { vlanTag: 35, internetAccess: false },
    });
    expectDeploy('iot network with an mqtt broker', { pattern: 'iot-network', params: { mqtt: true } });
  });

  it('reads other ways to say it', () => {
    expectDeploy('a separate vlan for my cameras and sensors, vlan thirty-six, keep them offline', {
      pattern: 'iot-network',
      params: { vlanTag: 36, internetAccess: false, isolate: true },
    });
    expectDeploy('smart home network called house with mosquitto that can talk to the lan', {
      pattern: 'iot-network',
      params: { name: 'house', mqtt: true, isolate: false },
    });
  });
});
