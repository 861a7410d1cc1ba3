import { describe, expect, it } from 'vitest';
import { extractCounts, extractListedCount, extractRanges } from '../../../../src/agent/offline/counts.js';

const counts = (text: string) => extractCounts(text).map((found) => [found.value, found.noun]);

describe('extractCounts', () => {
  it('pairs numbers with what they count', () => {
    expect(counts('3 replicas')).toEqual([[3, 'replicas']]);
    expect(counts('ten players')).toEqual([[10, 'players']]);
    expect(counts('a 3-node cluster')).toEqual([[3, 'node']]);
    expect(counts('12 concurrent users')).toEqual([[12, 'users']]);
  });

  it('counts the speaker in', () => {
    expect(counts('for me and 4 friends')).toEqual([[5, 'friends']]);
    expect(counts('me and a friend')).toEqual([[2, 'friend']]);
    expect(counts('my 3 buddies and me')).toEqual([[4, 'buddies']]);
    expect(counts('the four of us')).toEqual([[4, 'people']]);
  });

  it('marks relative counts', () => {
    expect(extractCounts('add 2 more players')[0]).toMatchObject({ value: 2, noun: 'players', more: true });
  });

  it('does not count units or little words', () => {
    expect(counts('8 GB and 3 or 4')).toEqual([]);
  });
});

describe('extractListedCount', () => {
  const devices = ['phone', 'laptop', 'tablet', 'device'];

  it('counts things listed one by one', () => {
    expect(extractListedCount('for my phone and laptop', devices)?.value).toBe(2);
    expect(extractListedCount('my phone, my tablet and 2 laptops', devices)?.value).toBe(4);
    expect(extractListedCount('phone, work laptop, tablet', devices)?.value).toBe(3);
  });

  it('needs at least two items of the nouns given', () => {
    expect(extractListedCount('for my phone', devices)).toBeUndefined();
    expect(extractListedCount('my phone and my car', devices)).toBeUndefined();
  });
});

describe('extractRanges', () => {
  it('reads ranges with their noun', () => {
    expect(extractRanges('between 2 and 10 instances')[0]).toMatchObject({
      value: [2, 10],
      noun: 'instances',
    });
    expect(extractRanges('2-6 replicas')[0]).toMatchObject({ value: [2, 6], noun: 'replicas' });
    expect(extractRanges('from three to six nodes')[0]).toMatchObject({ value: [3, 6], noun: 'nodes' });
  });

  it('skips addresses, dates and falling ranges', () => {
    expect(extractRanges('from 10.0.0.1 to 10.0.0.9')).toEqual([]);
    expect(extractRanges('on 2026-11-20')).toEqual([]);
    expect(extractRanges('10 to 2')).toEqual([]);
  });
});
