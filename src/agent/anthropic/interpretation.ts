// What a tool call means: the best Intent the input supports, and what is wrong with the input. Problems go back to
// Claude once as an error tool result (the repair round); what is still wrong after that becomes notes on the Intent.
import type { z } from 'zod';
import type { Intent } from '../../model/intent.js';

export interface InputProblem {
  /** The field or parameter the problem is about; '' for the input as a whole. */
  field: string;
  /** One sentence, read by Claude in the repair round and by the person in the Intent's notes. */
  message: string;
}

export interface Interpretation {
  /**
   * Fields that fail their schema are left out. Values only the context or the pattern rejects stay (deploy params,
   * modify changes, an unknown target): the conversation shows them and asks, instead of a default taking their place.
   */
  intent: Intent;
  /** Empty when the input is valid. */
  problems: InputProblem[];
}

export interface CheckedFields {
  /** The fields that passed their schema, as the schema outputs them. */
  values: Record<string, unknown>;
  problems: InputProblem[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it appears in a message: JSON, shortened. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function notAnObject(input: unknown): InputProblem {
  return { field: '', message: `The input must be a JSON object, not ${describeValue(input)}.` };
}

export function unknownField(name: string, owner: string, known: readonly string[]): InputProblem {
  return {
    field: name,
    message: `"${name}" is not a parameter of ${owner} (its parameters are ${known.join(', ')}); it was left out.`,
  };
}

export function invalidValue(name: string, value: unknown, error: z.ZodError): InputProblem {
  const reason = error.issues[0]?.message ?? 'invalid';
  return { field: name, message: `${name}: ${describeValue(value)} is not valid (${reason}).` };
}

/**
 * Validates each field of an object schema on its own, so one bad field does not hide the good ones. `null` counts
 * as absent (models write it for "not given").
 */
export function checkFields(schema: z.ZodObject, input: unknown, owner: string): CheckedFields {
  if (!isRecord(input)) return { values: {}, problems: [notAnObject(input)] };
  const shape = schema.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  const problems: InputProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(input)) {
    if (!Object.hasOwn(shape, name)) problems.push(unknownField(name, owner, known));
  }
  for (const [name, field] of Object.entries(shape)) {
    const value = input[name] === null ? undefined : input[name];
    const result = field.safeParse(value);
    if (result.success) {
      if (result.data !== undefined) values[name] = result.data;
    } else if (value === undefined) {
      problems.push({ field: name, message: `${name} is required.` });
    } else {
      problems.push(invalidValue(name, value, result.error));
    }
  }
  return { values, problems };
}
