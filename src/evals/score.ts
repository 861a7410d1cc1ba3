// Scoring one Intent against a case's expectation: a list of checks, each with what was expected, what came back and
// whether it holds. A case is exact when every check holds. Only what the case states is checked: parameters it does
// not name (defaults, derived values) may be anything.
//
// Comparison rules: numbers equal; strings equal ignoring case and surrounding spaces; lists as sets (order and
// repeats do not matter, elements compared by these rules); booleans equal; objects key by key, with the same keys.
import type { Intent } from '../model/intent.js';
import type { EvalExpectation } from './cases.js';

export interface Check {
  /** `kind`, `pattern`, `target`, `missing`, `params.<name>`, `changes.<name>`. */
  field: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

export interface CaseScore {
  exact: boolean;
  checks: Check[];
}

export function scoreIntent(expected: EvalExpectation, intent: Intent): CaseScore {
  const checks: Check[] = [
    { field: 'kind', expected: expected.kind, actual: intent.kind, ok: intent.kind === expected.kind },
  ];
  if (expected.pattern !== undefined) {
    checks.push({
      field: 'pattern',
      expected: expected.pattern,
      actual: intent.pattern,
      ok: sameValue(expected.pattern, intent.pattern),
    });
  }
  if (expected.target !== undefined) {
    checks.push({
      field: 'target',
      expected: expected.target,
      actual: intent.target,
      ok: sameValue(expected.target, intent.target),
    });
  }
  for (const [name, value] of Object.entries(expected.params ?? {})) {
    const actual = intent.params?.[name];
    checks.push({ field: `params.${name}`, expected: value, actual, ok: sameValue(value, actual) });
  }
  for (const [name, value] of Object.entries(expected.changes ?? {})) {
    const actual = intent.changes?.[name];
    checks.push({ field: `changes.${name}`, expected: value, actual, ok: sameValue(value, actual) });
  }
  if (expected.missing !== undefined) {
    const actual = intent.missing ?? [];
    const ok =
      expected.missing.length === 0
        ? actual.length === 0
        : expected.missing.every((name) => actual.some((entry) => sameValue(name, entry)));
    checks.push({ field: 'missing', expected: expected.missing, actual: intent.missing ?? [], ok });
  }
  return { exact: checks.every((check) => check.ok), checks };
}

/** Equal by the eval's rules (see the top of this file). `null` expected means absent. */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (typeof expected === 'string') {
    return typeof actual === 'string' && normalizeText(expected) === normalizeText(actual);
  }
  if (typeof expected === 'number') return typeof actual === 'number' && expected === actual;
  if (typeof expected === 'boolean') return actual === expected;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const wanted = distinct(expected);
    const given = distinct(actual);
    return (
      wanted.length === given.length &&
      wanted.every((entry) => given.some((other) => sameValue(entry, other))) &&
      given.every((entry) => wanted.some((other) => sameValue(other, entry)))
    );
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const wanted = expected as Record<string, unknown>;
    const given = actual as Record<string, unknown>;
    const keys = new Set([...Object.keys(wanted), ...Object.keys(given)]);
    return [...keys].every((key) => sameValue(wanted[key], given[key]));
  }
  return Object.is(expected, actual);
}

function normalizeText(text: string): string {
  return text.trim().toLowerCase();
}

/** A list without entries equal (by these rules) to an earlier one. */
function distinct(values: readonly unknown[]): unknown[] {
  const kept: unknown[] = [];
  for (const value of values) if (!kept.some((other) => sameValue(other, value))) kept.push(value);
  return kept;
}
