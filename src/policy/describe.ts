// Wording shared by policies for values that are only known after apply.
import type { Step } from '../model/plan.js';
import { containsUnknown, isUnknown } from '../model/unknown.js';

/** "destination is ${...} (known after apply)" for each field whose value is not known yet. */
export function formatUnknownFields(
  step: Step,
  fields: ReadonlyArray<{ key: string; value: unknown }>,
): string {
  const parts = fields
    .filter((field) => containsUnknown(field.value))
    .map((field) => `${field.key} is ${describeValue(field.value)} (known after apply)`);
  return parts.length > 0 ? parts.join(', ') : `${step.address} has values only known after apply`;
}

export function describeValue(value: unknown): string {
  if (isUnknown(value)) return value.$unknown;
  return JSON.stringify(value, (_, inner) => (isUnknown(inner) ? inner.$unknown : inner));
}
