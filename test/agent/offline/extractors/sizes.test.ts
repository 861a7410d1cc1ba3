import { describe, expect, it } from 'vitest';
import { extractSizes } from '../../../../src/agent/offline/sizes.js';

const gb = (text: string) => extractSizes(text).map((found) => found.value);

describe('extractSizes', () => {
  it('reads GB in its spellings', () => {
    expect(gb('16 gigs')).toEqual([16]);
    expect(gb('8GB')).toEqual([8]);
    expect(gb('4 GB of RAM')).toEqual([4]);
    expect(gb('12g heap')).toEqual([12]);
    expect(gb('32 gigabytes')).toEqual([32]);
    expect(gb('a gig of memory')).toEqual([1]);
  });

  it('converts TB and MB with 1024', () => {
    expect(gb('2TB')).toEqual([2048]);
    expect(gb('1.5 TB')).toEqual([1536]);
    expect(gb('a terabyte')).toEqual([1024]);
    expect(gb('half a terabyte')).toEqual([512]);
    expect(gb('512 MB')).toEqual([0.5]);
  });

  it('reads numbers in words', () => {
    expect(gb('sixteen gigs')).toEqual([16]);
    expect(gb('two terabytes')).toEqual([2048]);
  });

  it('does not read words that merely start like a unit', () => {
    expect(gb('at the gate, a game for 10 players')).toEqual([]);
    expect(gb('3 gateways')).toEqual([]);
  });
});
