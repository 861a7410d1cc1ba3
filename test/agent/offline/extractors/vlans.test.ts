import { describe, expect, it } from 'vitest';
import { extractVlanTags } from '../../../../src/agent/offline/vlans.js';

const tags = (text: string) => extractVlanTags(text).map((found) => found.value);

describe('extractVlanTags', () => {
  it('reads the ways a tag is written', () => {
    expect(tags('on vlan 20')).toEqual([20]);
    expect(tags('VLAN20')).toEqual([20]);
    expect(tags('vlan-30')).toEqual([30]);
    expect(tags('vlan tag 40')).toEqual([40]);
    expect(tags('VLAN ID: 41')).toEqual([41]);
    expect(tags('the 55 vlan')).toEqual([55]);
  });

  it('reads tags in words', () => {
    expect(tags('on vlan twenty')).toEqual([20]);
    expect(tags('vlan thirty-five')).toEqual([35]);
  });

  it('finds several and skips impossible tags', () => {
    expect(tags('from vlan 20 to vlan 30')).toEqual([20, 30]);
    expect(tags('vlan 0 or vlan 5000')).toEqual([]);
  });

  it('leaves numbers near other words alone', () => {
    expect(tags('20 players')).toEqual([]);
  });
});
