import { describe, expect, it } from 'vitest';
import { extractBoolean } from '../../../../src/agent/offline/booleans.js';

const PUBLIC = { whenTrue: ['public', 'from the internet'], whenFalse: ['private', 'lan only', 'internal'] };
const CACHE = { whenTrue: ['redis', 'cache'], whenFalse: ['no redis', 'without a cache'] };
const INTERNET = { whenTrue: ['internet access'], whenFalse: ['no internet', 'offline'] };

const read = (text: string, phrases: { whenTrue?: string[]; whenFalse?: string[] }) =>
  extractBoolean(text, phrases)?.value;

describe('extractBoolean', () => {
  it('reads phrases for true and false', () => {
    expect(read('make it public', PUBLIC)).toBe(true);
    expect(read('LAN only please', PUBLIC)).toBe(false);
    expect(read('reachable from the internet', PUBLIC)).toBe(true);
  });

  it('prefers the longer phrase that contains a shorter one', () => {
    expect(read('no redis', CACHE)).toBe(false);
    expect(read('with redis', CACHE)).toBe(true);
  });

  it('flips a phrase after a negation', () => {
    expect(read('it should not be public', PUBLIC)).toBe(false);
    expect(read("we don't need a cache", CACHE)).toBe(false);
    expect(read('without internet access', INTERNET)).toBe(false);
    expect(read('not private', PUBLIC)).toBe(true);
  });

  it('takes more negators from the caller', () => {
    expect(extractBoolean('remove redis', CACHE, { extraNegators: ['remove'] })?.value).toBe(false);
  });

  it('lets the last phrase win', () => {
    expect(read('public... actually no, make it private', PUBLIC)).toBe(false);
  });

  it('says nothing when no phrase is there', () => {
    expect(read('a minecraft server', PUBLIC)).toBeUndefined();
  });
});
