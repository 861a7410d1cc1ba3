// The plans `conductor serve` has made and not yet applied, by id. Each has a one-time confirmation code: the way a
// person approves it through a client that cannot ask them (no MCP elicitation). A code works once; wrong codes are
// counted and, after a few, the plan is dropped so codes cannot be guessed.
import { randomBytes, randomInt } from 'node:crypto';
import type { ChangeRequest } from '../agent/session.js';
import type { Plan } from '../model/plan.js';

export interface StoredPlan {
  id: string;
  change: ChangeRequest;
  plan: Plan;
  /** The code a person types to approve, when their client cannot be asked. */
  code: string;
  /** The request it was planned from, for the audit log. */
  request?: string;
  createdAt: number;
  wrongCodes: number;
}

export type CodeCheck = 'ok' | 'wrong' | 'exhausted';

const MAX_PLANS = 50;
const MAX_WRONG_CODES = 3;
/** A plan older than this is re-planned rather than applied. */
export const PLAN_TTL_MS = 60 * 60 * 1000;

export class PlanStore {
  private readonly plans = new Map<string, StoredPlan>();

  constructor(private readonly now: () => number = Date.now) {}

  add(change: ChangeRequest, plan: Plan, request?: string): StoredPlan {
    this.prune();
    const stored: StoredPlan = {
      id: `plan-${randomBytes(4).toString('hex')}`,
      change,
      plan,
      code: newCode(),
      ...(request ? { request } : {}),
      createdAt: this.now(),
      wrongCodes: 0,
    };
    this.plans.set(stored.id, stored);
    return stored;
  }

  get(id: string): StoredPlan | undefined {
    const stored = this.plans.get(id);
    if (stored && this.now() - stored.createdAt > PLAN_TTL_MS) {
      this.plans.delete(id);
      return undefined;
    }
    return stored;
  }

  ids(): string[] {
    return [...this.plans.keys()];
  }

  /** Compares a typed code (spaces and dashes ignored); a wrong one counts, and too many drop the plan. */
  checkCode(stored: StoredPlan, typed: string): CodeCheck {
    if (normalizeCode(typed) === normalizeCode(stored.code)) return 'ok';
    stored.wrongCodes++;
    if (stored.wrongCodes >= MAX_WRONG_CODES) {
      this.plans.delete(stored.id);
      return 'exhausted';
    }
    return 'wrong';
  }

  /** A plan is used once: applied, declined by its apply, or replaced by a fresh one. */
  remove(id: string): void {
    this.plans.delete(id);
  }

  private prune(): void {
    for (const [id, stored] of this.plans)
      if (this.now() - stored.createdAt > PLAN_TTL_MS) this.plans.delete(id);
    while (this.plans.size >= MAX_PLANS) {
      const oldest = this.plans.keys().next().value;
      if (oldest === undefined) break;
      this.plans.delete(oldest);
    }
  }
}

/** Six digits shown as `123-456`: easy to read aloud and type. */
function newCode(): string {
  const digits = randomInt(0, 1_000_000).toString().padStart(6, '0');
  return `${digits.slice(0, 3)}-${digits.slice(3)}`;
}

function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '');
}
