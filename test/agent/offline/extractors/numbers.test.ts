import { describe, expect, it } from 'vitest';
import {
  extractNumbers,
  normalizeNumberWords,
  parseNumberWords,
} from '../../../../src/agent/offline/numbers.js';

const values = (text: string) => extractNumbers(text).map((found) => found.value);

describe('number words', () => {
  it('reads single words, compounds and scales', () => {
    expect(parseNumberWords('ten')).toEqual([10]);
    expect(parseNumberWords('twenty-five')).toEqual([25]);
    expect(parseNumberWords('twenty five')).toEqual([25]);
    expect(parseNumberWords('two hundred and fifty')).toEqual([250]);
    expect(parseNumberWords('three thousand')).toEqual([3000]);
  });

  it('reads quantities', () => {
    expect(parseNumberWords('a dozen')).toEqual([12]);
    expect(parseNumberWords('half a dozen')).toEqual([6]);
    expect(parseNumberWords('a couple of')).toEqual([2]);
    expect(parseNumberWords('a pair of')).toEqual([2]);
    expect(parseNumberWords('two dozen')).toEqual([24]);
  });

  it('splits words that cannot be one number', () => {
    expect(parseNumberWords('one two')).toEqual([1, 2]);
    expect(parseNumberWords('twenty thirty')).toEqual([20, 30]);
  });

  it('rewrites them in a sentence, leaving quotes and other words alone', () => {
    expect(normalizeNumberWords('ten players on vlan twenty')).toBe('10 players on vlan 20');
    expect(normalizeNumberWords('for a couple of friends')).toBe('for 2 friends');
    expect(normalizeNumberWords('called "team one" with often tenants')).toBe(
      'called "team one" with often tenants',
    );
    expect(normalizeNumberWords(normalizeNumberWords('Twelve Slots'))).toBe('12 Slots');
  });
});

describe('extractNumbers', () => {
  it('finds digits and words', () => {
    expect(values('10 players and three replicas')).toEqual([10, 3]);
    expect(values('1.5 and 8GB')).toEqual([1.5, 8]);
  });

  it('skips pieces of addresses, dates, times and names', () => {
    expect(values('10.0.0.5 and 10.0.0.0/24')).toEqual([]);
    expect(values('on 2026-11-20 at 14:00')).toEqual([]);
    expect(values('web1 and v16')).toEqual([]);
  });
});
