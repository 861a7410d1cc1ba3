// The marker for values that only exist after apply (Terraform's "(known after apply)").
export const UNKNOWN_KEY = '$unknown';

/** `expression` is the value as it will be computed, with the not-yet-known references still in it. */
export type UnknownValue = { [UNKNOWN_KEY]: string };

export function unknownValue(expression: string): UnknownValue {
  return { [UNKNOWN_KEY]: expression };
}

export function isUnknown(value: unknown): value is UnknownValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[UNKNOWN_KEY] === 'string' &&
    Object.keys(value).length === 1
  );
}

/** True when the value is unknown or contains an unknown anywhere inside it. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}
