import { describe, expect, it } from 'vitest';
import { parseTimeReference } from '../../../../src/agent/offline/times.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const at = (text: string) => parseTimeReference(text, NOW)?.value;
const local = (text: string) => new Date(text).toISOString();

describe('parseTimeReference', () => {
  it('reads relative times', () => {
    expect(at('2 hours ago')).toBe('2026-11-21T10:00:00.000Z');
    expect(at('an hour ago')).toBe('2026-11-21T11:00:00.000Z');
    expect(at('half an hour ago')).toBe('2026-11-21T11:30:00.000Z');
    expect(at('three days ago')).toBe('2026-11-18T12:00:00.000Z');
    expect(at('how it was yesterday')).toBe('2026-11-20T12:00:00.000Z');
    expect(at('last week')).toBe('2026-11-14T12:00:00.000Z');
  });

  it('reads absolute times as local time', () => {
    expect(at('as of 2026-11-20 14:00')).toBe(local('2026-11-20T14:00:00'));
    expect(at('2026-11-20T14:00:00Z')).toBe('2026-11-20T14:00:00.000Z');
    expect(at('on 20 Nov 2026')).toBe(local('2026-11-20T00:00:00'));
    expect(at('November 3rd at 9am')).toBe(local('2026-11-03T09:00:00'));
  });

  it('reads a day with a clock time', () => {
    const yesterdayAt3 = new Date(NOW);
    yesterdayAt3.setDate(yesterdayAt3.getDate() - 1);
    yesterdayAt3.setHours(15, 0, 0, 0);
    expect(at('yesterday at 3pm')).toBe(yesterdayAt3.toISOString());
  });

  it('finds nothing without a time', () => {
    expect(at('restore the web app')).toBeUndefined();
  });
});
