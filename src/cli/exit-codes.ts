// Exit codes, as DESIGN.md fixes them: scripts and CI depend on these numbers.
// Only type imports here: this module loads on every start, and the schemas (zod) would slow `--help`.
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
  if (plan.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return EXIT.usage;
  if (plan.policies?.blocked) return EXIT.refused;
  return EXIT.ok;
}
