// The scorer's rules, one by one: what counts as the same value, what a check records, and when a case is exact.
import { describe, expect, it } from 'vitest';
import { sameValue, scoreIntent } from '../../src/evals/score.js';

describe('sameValue', () => {
  it('compares numbers by value, never a number with its text', () => {
    expect(sameValue(10, 10)).toBe(true);
    expect(sameValue(10, 11)).toBe(false);
    expect(sameValue(0.5, 0.5)).toBe(true);
    expect(sameValue(20, '20')).toBe(false);
  });

  it('compares strings ignoring case and surrounding spaces', () => {
    expect(sameValue('Minecraft', 'minecraft')).toBe(true);
    expect(sameValue(' shop.example.com ', 'SHOP.example.com')).toBe(true);
    expect(sameValue('minecraft', 'valheim')).toBe(false);
    expect(sameValue('8', 8)).toBe(false);
  });

  it('compares lists as sets: order and repeats do not matter, strings ignore case', () => {
    expect(sameValue(['postgres', 'mongodb'], ['mongodb', 'postgres'])).toBe(true);
    expect(sameValue(['Postgres'], ['postgres', 'postgres'])).toBe(true);
    expect(sameValue(['postgres', 'mongodb'], ['postgres'])).toBe(false);
    expect(sameValue(['postgres'], ['postgres', 'mysql'])).toBe(false);
    expect(sameValue([], [])).toBe(true);
    expect(sameValue(['postgres'], 'postgres')).toBe(false);
  });

  it('compares booleans strictly', () => {
    expect(sameValue(false, false)).toBe(true);
    expect(sameValue(false, true)).toBe(false);
    expect(sameValue(false, undefined)).toBe(false);
    expect(sameValue(true, 'true')).toBe(false);
  });

  it('compares objects key by key, with the same keys', () => {
    expect(sameValue({ a: 1, b: ['x', 'Y'] }, { b: ['y', 'x'], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameValue({ a: { b: 'X' } }, { a: { b: 'x' } })).toBe(true);
    expect(sameValue({ a: 1 }, [1])).toBe(false);
  });

  it('takes an expected null as "not set"', () => {
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue(null, 'x')).toBe(false);
  });
});

describe('scoreIntent', () => {
  it('checks kind, pattern and each expected parameter, and nothing it does not expect', () => {
    const score = scoreIntent(
      { kind: 'deploy', pattern: 'game-server', params: { game: 'minecraft', players: 10 } },
      {
        kind: 'deploy',
        pattern: 'GAME-SERVER',
        params: { game: 'Minecraft', players: 10, vlanTag: 20, public: true, memoryGb: 4 },
      },
    );
    expect(score.exact).toBe(true);
    expect(score.checks).toEqual([
      { field: 'kind', expected: 'deploy', actual: 'deploy', ok: true },
      { field: 'pattern', expected: 'game-server', actual: 'GAME-SERVER', ok: true },
      { field: 'params.game', expected: 'minecraft', actual: 'Minecraft', ok: true },
      { field: 'params.players', expected: 10, actual: 10, ok: true },
    ]);
  });

  it('records each check that fails with what was expected and what came back', () => {
    const score = scoreIntent(
      { kind: 'deploy', pattern: 'game-server', params: { players: 12, public: false } },
      { kind: 'deploy', pattern: 'game-server', params: { players: 10, public: true } },
    );
    expect(score.exact).toBe(false);
    expect(score.checks.filter((check) => !check.ok)).toEqual([
      { field: 'params.players', expected: 12, actual: 10, ok: false },
      { field: 'params.public', expected: false, actual: true, ok: false },
    ]);
  });

  it('a wrong kind fails the case even when nothing else is expected', () => {
    const score = scoreIntent(
      { kind: 'unsupported' },
      { kind: 'deploy', pattern: 'firewall-rule', params: {} },
    );
    expect(score.exact).toBe(false);
    expect(score.checks).toEqual([{ field: 'kind', expected: 'unsupported', actual: 'deploy', ok: false }]);
  });

  it('a parameter the intent lacks is a failed check', () => {
    const score = scoreIntent(
      { kind: 'deploy', pattern: 'firewall-rule', params: { port: 443 } },
      { kind: 'deploy', pattern: 'firewall-rule', params: { action: 'pass' } },
    );
    expect(score.checks.at(-1)).toEqual({
      field: 'params.port',
      expected: 443,
      actual: undefined,
      ok: false,
    });
  });

  it('checks target case-insensitively and each change by the same rules', () => {
    const expected = {
      kind: 'modify' as const,
      target: 'web-shop',
      changes: { minInstances: 4, databases: ['postgres', 'mongodb'] },
    };
    expect(
      scoreIntent(expected, {
        kind: 'modify',
        target: 'Web-Shop',
        changes: { minInstances: 4, databases: ['mongodb', 'postgres'], extra: true },
      }).exact,
    ).toBe(true);
    const wrong = scoreIntent(expected, { kind: 'modify', target: 'shop', changes: { minInstances: 5 } });
    expect(wrong.checks.filter((check) => !check.ok).map((check) => check.field)).toEqual([
      'target',
      'changes.minInstances',
      'changes.databases',
    ]);
  });

  it('missing must contain the expected names (more is fine); [] means nothing may be missing', () => {
    const intent = {
      kind: 'deploy' as const,
      pattern: 'expose-service',
      missing: ['targetHost', 'targetPort'],
    };
    expect(scoreIntent({ kind: 'deploy', missing: ['targetPort'] }, intent).exact).toBe(true);
    expect(scoreIntent({ kind: 'deploy', missing: ['hostname'] }, intent).checks.at(-1)).toEqual({
      field: 'missing',
      expected: ['hostname'],
      actual: ['targetHost', 'targetPort'],
      ok: false,
    });
    expect(scoreIntent({ kind: 'deploy', missing: [] }, intent).exact).toBe(false);
    expect(scoreIntent({ kind: 'deploy', missing: [] }, { kind: 'deploy' }).exact).toBe(true);
    expect(scoreIntent({ kind: 'deploy', missing: ['game'] }, { kind: 'deploy' }).exact).toBe(false);
  });
});
