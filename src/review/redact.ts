// Secrets never reach review output: values under sensitive paths, or under keys that name a secret, are masked.
import type { Plan, Step } from '../model/plan.js';

export const REDACTED = '(sensitive)';

const SECRET_KEY =
  /(password|passphrase|passwd|secret|private[_-]?key|presharedkey|pre[_-]?shared[_-]?key|token|api[_-]?key|credential)/i;

/** Whether a property path (`db.password`, `peers[0].privateKey`) holds a secret for this step. */
export function isSensitivePath(path: string, declared: readonly string[] = []): boolean {
  for (const sensitive of declared) {
    const bare = sensitive.replace(/^properties\./, '');
    if (path === bare || path.startsWith(`${bare}.`) || path.startsWith(`${bare}[`)) return true;
  }
  return path.split(/[.[\]]/).some((segment) => segment !== '' && SECRET_KEY.test(segment));
}

/** A copy of `value` with every secret leaf replaced by REDACTED. `path` is where `value` sits. */
export function redactValue(value: unknown, declared: readonly string[] = [], path = ''): unknown {
  if (path !== '' && isSensitivePath(path, declared)) return value === undefined ? undefined : REDACTED;
  if (Array.isArray(value))
    return value.map((item, index) => redactValue(item, declared, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      copy[key] = redactValue(inner, declared, path ? `${path}.${key}` : key);
    }
    return copy;
  }
  return value;
}

/** The plan as it may be shown or written out: every secret masked in properties, before, after and changes. */
export function redactPlan(plan: Plan): Plan {
  return { ...plan, steps: plan.steps.map(redactStep) };
}

function redactStep(step: Step): Step {
  const declared = step.sensitive ?? [];
  const redactProperties = (properties: Record<string, unknown> | undefined) =>
    properties === undefined ? undefined : (redactValue(properties, declared) as Record<string, unknown>);
  return {
    ...step,
    ...(step.properties ? { properties: redactProperties(step.properties) } : {}),
    ...(step.before ? { before: redactProperties(step.before) } : {}),
    ...(step.after ? { after: redactProperties(step.after) } : {}),
    changes: step.changes.map((change) => ({
      ...change,
      ...(change.before !== undefined ? { before: redactValue(change.before, declared, change.path) } : {}),
      ...(change.after !== undefined ? { after: redactValue(change.after, declared, change.path) } : {}),
    })),
  };
}
