import { describe, expect, it } from 'vitest';
import { extractCron } from '../../../../src/agent/offline/cron.js';

const cron = (text: string, defaultTime?: { hour: number; minute: number }) =>
  extractCron(text, defaultTime ? { defaultTime } : {})?.value;

describe('extractCron', () => {
  it('reads daily schedules with a time', () => {
    expect(cron('nightly at 3am')).toBe('0 3 * * *');
    expect(cron('every day at 2')).toBe('0 2 * * *');
    expect(cron('daily at 14:30')).toBe('30 14 * * *');
    expect(cron('every night at 11pm')).toBe('0 23 * * *');
    expect(cron('backups at 1:15 a.m.')).toBe('15 1 * * *');
    expect(cron('every evening at 7')).toBe('0 7 * * *');
    expect(cron('at midnight every day')).toBe('0 0 * * *');
  });

  it('reads intervals', () => {
    expect(cron('hourly')).toBe('0 * * * *');
    expect(cron('every 6 hours')).toBe('0 */6 * * *');
    expect(cron('every fifteen minutes')).toBe('*/15 * * * *');
    expect(cron('twice a day')).toBe('0 0,12 * * *');
  });

  it('reads days of the week and month', () => {
    expect(cron('weekly on sunday')).toBe('0 0 * * 0');
    expect(cron('every monday at 4am')).toBe('0 4 * * 1');
    expect(cron('on weekdays at 6pm')).toBe('0 18 * * 1-5');
    expect(cron('monthly')).toBe('0 0 1 * *');
    expect(cron('on the 15th of every month at 2am')).toBe('0 2 15 * *');
  });

  it('uses the given time when the phrase names none', () => {
    expect(cron('nightly', { hour: 2, minute: 0 })).toBe('0 2 * * *');
    expect(cron('weekly on saturday', { hour: 2, minute: 30 })).toBe('30 2 * * 6');
  });

  it('passes a written cron expression through', () => {
    expect(cron('schedule 15 4 * * 1-5 please')).toBe('15 4 * * 1-5');
  });

  it('finds nothing in text without a schedule', () => {
    expect(cron('a postgres cluster with 3 replicas')).toBeUndefined();
  });
});
