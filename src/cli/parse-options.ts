// Option values a person types: durations like 30s or 2m, positive counts. Bad values are usage errors (exit 2).
import { ConductorError } from '../model/conductor-error.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "0", "500ms", "30s", "2m", "1h" → milliseconds. A bare number is seconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new ConductorError({
      code: 'invalid-option',
      summary: `${option} ${text} is not a duration.`,
      detail: 'Write a number with a unit: 500ms, 30s, 2m or 1h (a bare number means seconds).',
      exitCode: 2,
    });
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
}

export function parsePositiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new ConductorError({
      code: 'invalid-option',
      summary: `${option} ${text} is not a positive whole number.`,
      detail: `Give ${option} a number such as 8.`,
      exitCode: 2,
    });
  return value;
}
