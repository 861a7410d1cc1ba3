// Exit codes, as DESIGN.md fixes them: scripts and CI depend on these numbers.
import { hasErrors } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  /** Invalid input or configuration. */
  usage: 2,
  /** Refused: a mandatory policy failed, or approval was not given. */
  refused: 3,
} as const;

export function exitCodeForPlan(plan: Plan): number {
  if (hasErrors(plan.diagnostics)) return EXIT.usage;
  if (plan.policies?.blocked) return EXIT.refused;
  return EXIT.ok;
}
