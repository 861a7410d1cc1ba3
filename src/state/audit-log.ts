// The audit log: one JSON line per decision, appended to `$CONDUCTOR_HOME/audit.log` and never rewritten. Who asked
// for what, how it was understood, which plan was shown (by hash), whether and how it was approved, and how it ended.
import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Intent } from '../model/intent.js';
import type { Plan } from '../model/plan.js';
import { redactPlan } from '../review/redact.js';

export type AuditApproval =
  | 'approved'
  | 'approved-by-flag'
  | 'approved-by-code'
  | 'declined'
  | 'no-terminal'
  | 'blocked'
  | 'not-asked';

export interface AuditEntry {
  /** `chat`, `apply`, `destroy`, `plan`, `serve`... */
  command: string;
  request?: string;
  intent?: Intent;
  /** Which model understood the request. */
  model?: string;
  /** Tokens the request cost with Claude (input, output, cache reads and writes), summed over its API requests. */
  usage?: {
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens: number;
    cacheCreationInputTokens: number;
  };
  deployment?: string;
  planHash?: string;
  approval: AuditApproval;
  /** Policies overridden for this plan, with the reasons given. */
  overrides?: Array<{ policy: string; reason: string }>;
  /** `succeeded`, `failed`, `rolled-back`, `refused`, `planned`, `cancelled`... */
  result: string;
  detail?: string;
}

export interface AuditRecord extends AuditEntry {
  at: string;
  who: { user: string; host: string; pid: number };
}

export function auditLogFile(home: string): string {
  return join(home, 'audit.log');
}

/** Appends one line (O_APPEND: concurrent writers never interleave within a line of this size). */
export async function appendAudit(
  home: string,
  entry: AuditEntry,
  now: Date = new Date(),
): Promise<AuditRecord> {
  const record: AuditRecord = { at: now.toISOString(), who: currentUser(), ...entry };
  const file = auditLogFile(home);
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(record)}\n`, { encoding: 'utf8', flag: 'a', mode: 0o600 });
  return record;
}

function currentUser(): AuditRecord['who'] {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? 'unknown';
  }
  return { user, host: hostname(), pid: process.pid };
}

/**
 * A short, stable fingerprint of what a plan would do: the steps (address, action, property changes, the values known
 * before and after) and the policy outcome. Two plans with one hash make the same changes from the same recorded state;
 * an apply re-plans under the lock and goes ahead only if the hash is the one approved.
 */
export function planHash(plan: Plan): string {
  // Masked first: the hash is printed and logged, and must not be a way to test guesses of a secret.
  const masked = redactPlan(plan);
  const essence = {
    deployment: masked.deployment,
    steps: masked.steps
      .filter((step) => step.action !== 'same')
      .map((step) => ({
        address: step.address,
        action: step.action,
        properties: step.properties ?? null,
        changes: step.changes,
        // What the review showed as known: values read from state (another deployment's IP) and what is replaced.
        after: step.after ?? null,
        before: step.before ?? null,
      })),
    blocked: plan.policies?.blocked ?? false,
  };
  return createHash('sha256').update(JSON.stringify(essence)).digest('hex').slice(0, 16);
}
