import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { PLAN_TTL_MS, PlanStore } from '../../src/serve/plans.js';

const plan = { deployment: 'web' } as Plan;
const change = { verb: 'apply' as const, name: 'web', deployment: { name: 'web', resources: [] } };

describe('PlanStore', () => {
  it('gives each plan its own id and a six-digit code, and accepts the code typed with or without the dash', () => {
    const store = new PlanStore();
    const first = store.add(change, plan, 'deploy web');
    const second = store.add(change, plan);
    expect(first.id).not.toBe(second.id);
    expect(first.code).toMatch(/^\d{3}-\d{3}$/);
    expect(store.checkCode(first, first.code.replace('-', ' '))).toBe('ok');
    expect(store.checkCode(first, first.code.replace('-', ''))).toBe('ok');
  });

  it('drops a plan after three wrong codes, so a code cannot be guessed', () => {
    const store = new PlanStore();
    const stored = store.add(change, plan);
    const wrong = stored.code === '000-000' ? '000-001' : '000-000';
    expect(store.checkCode(stored, wrong)).toBe('wrong');
    expect(store.checkCode(stored, wrong)).toBe('wrong');
    expect(store.checkCode(stored, wrong)).toBe('exhausted');
    expect(store.get(stored.id)).toBeUndefined();
  });

  it('forgets plans older than an hour, and keeps at most 50', () => {
    let now = 0;
    const store = new PlanStore(() => now);
    const old = store.add(change, plan);
    now = PLAN_TTL_MS + 1;
    expect(store.get(old.id)).toBeUndefined();
    const ids = Array.from({ length: 60 }, () => store.add(change, plan).id);
    expect(store.ids()).toHaveLength(50);
    expect(store.get(ids[0]!)).toBeUndefined();
    expect(store.get(ids[59]!)).toBeDefined();
  });
});
