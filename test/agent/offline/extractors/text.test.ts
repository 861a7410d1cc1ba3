import { describe, expect, it } from 'vitest';
import {
  editDistance,
  findPhrase,
  nameWords,
  sameWord,
  stem,
  tokenize,
} from '../../../../src/agent/offline/text.js';

describe('text', () => {
  it('stems plurals, -ing, -ed and a final e alike', () => {
    expect(stem('players')).toBe(stem('player'));
    expect(stem('isolated')).toBe(stem('isolate'));
    expect(stem('gaming')).toBe(stem('game'));
    expect(stem('replicas')).toBe(stem('replica'));
    expect(stem('access')).toBe('access');
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('minecraft', 'minecarft')).toBe(1);
    expect(editDistance('valheim', 'valhiem')).toBe(1);
    expect(editDistance('plex', 'emby')).toBe(4);
  });

  it('forgives one typo only in longer words', () => {
    expect(sameWord('postgress', 'postgres')).toBe(true);
    expect(sameWord('plx', 'plex')).toBe(false);
    expect(sameWord('pc', 'pg')).toBe(false);
    expect(sameWord('20', '21')).toBe(false);
  });

  it('finds phrases across hyphens', () => {
    const tokens = tokenize('set up a dev-env now');
    expect(findPhrase(tokens, 'dev env').map((match) => match.first)).toEqual([3]);
  });

  it('splits parameter names into words', () => {
    expect(nameWords('vlanTag')).toEqual(['vlan', 'tag']);
    expect(nameWords('max_instances')).toEqual(['max', 'instances']);
    expect(nameWords('HTTPPort')).toEqual(['http', 'port']);
  });
});
