// Property diffs between what state recorded and what the plan wants, leaf by leaf for objects.
import type { PropertyChange } from '../model/plan.js';
import { containsUnknown, isUnknown } from '../model/unknown.js';

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let index = 0; index < a.length; index++) if (!deepEqual(a[index], other[index])) return false;
    return true;
  }
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const aKeys = Object.keys(aRecord).filter((key) => aRecord[key] !== undefined);
  const bKeys = Object.keys(bRecord).filter((key) => bRecord[key] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  for (const key of aKeys) if (!deepEqual(aRecord[key], bRecord[key])) return false;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value);
}

/**
 * The changes from `before` to `after`. Objects are compared key by key so a review shows `healthCheck.uri`, not the
 * whole object; lists and scalars are compared as whole values. Keys come out sorted, so diffs are deterministic.
 */
export function diffProperties(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): PropertyChange[] {
  const changes: PropertyChange[] = [];
  diffValue(before, after, '', changes);
  return changes;
}

function diffValue(before: unknown, after: unknown, path: string, changes: PropertyChange[]): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
      diffValue(before[key], after[key], path ? `${path}.${key}` : key, changes);
    }
    return;
  }
  if (path === '') {
    // Top level: a missing side is an empty object (create and delete).
    diffValue(before ?? {}, after ?? {}, path, changes);
    return;
  }
  if (deepEqual(before, after)) return;
  if (before === undefined) {
    changes.push(withUnknown({ path, kind: 'add', after }));
  } else if (after === undefined) {
    changes.push({ path, kind: 'remove', before });
  } else {
    changes.push(withUnknown({ path, kind: 'change', before, after }));
  }
}

function withUnknown(change: PropertyChange): PropertyChange {
  return containsUnknown(change.after) ? { ...change, unknown: true } : change;
}

/** The top-level property a change path belongs to (`healthCheck.uri` → `healthCheck`). */
export function topLevelProperty(path: string): string {
  const end = path.search(/[.[]/);
  return end === -1 ? path : path.slice(0, end);
}
