// Clarifying questions: when a request leaves out a required parameter, the session asks for it in words built from
// the pattern's schema, and reads the answer as a value of that parameter's type.
import { z } from 'zod';
import type { Pattern } from './pattern.js';

/** "What domain should web-app use? The domain the app is served on, e.g. shop.example.com." */
export function describeParam(pattern: Pattern, name: string): string {
  const schema = pattern.params.shape[name] as z.ZodType | undefined;
  const description = schema?.description ?? innerSchema(schema)?.description;
  const choices = enumValues(innerSchema(schema));
  const parts = [`What ${humanName(name)} should ${pattern.name} use?`];
  if (description) parts.push(description);
  if (choices) parts.push(`One of: ${choices.join(', ')}.`);
  return parts.join(' ');
}

export type CoercedAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/** Reads a typed answer as the parameter's type and checks it against the schema. */
export function coerceAnswer(pattern: Pattern, name: string, answer: string): CoercedAnswer {
  const schema = pattern.params.shape[name] as z.ZodType | undefined;
  if (!schema) return { ok: false, message: `${pattern.name} has no parameter ${name}.` };
  const text = answer.trim().replace(/^["'](.*)["']$/, '$1');
  const value = readAs(
    innerSchema(schema),
    text,
    pattern.hints?.[name as never] as { synonyms?: Record<string, string[]> } | undefined,
  );
  const checked = schema.safeParse(value);
  if (checked.success) return { ok: true, value: checked.data };
  return {
    ok: false,
    message: `"${text}" is not a valid ${humanName(name)}: ${checked.error.issues[0]?.message ?? 'invalid'}.`,
  };
}

function readAs(
  schema: z.ZodType | undefined,
  text: string,
  hint: { synonyms?: Record<string, string[]> } | undefined,
): unknown {
  if (schema instanceof z.ZodNumber) {
    const match = /-?\d+(?:\.\d+)?/.exec(text.replace(/,/g, ''));
    return match ? Number(match[0]) : text;
  }
  if (schema instanceof z.ZodBoolean) {
    if (/^(y|yes|true|on|sure|please|yeah|yep)\b/i.test(text)) return true;
    if (/^(n|no|false|off|nope|don'?t)\b/i.test(text)) return false;
    return text;
  }
  const choices = enumValues(schema);
  if (choices) return matchChoice(choices, text, hint) ?? text;
  if (schema instanceof z.ZodArray) {
    const items = text
      .split(/\s*(?:,|\band\b|\+|&)\s*/i)
      .map((item) => item.trim())
      .filter((item) => item !== '');
    return items.map((item) => readAs(innerSchema(schema.element as z.ZodType), item, hint));
  }
  return text;
}

function matchChoice(
  choices: readonly string[],
  text: string,
  hint: { synonyms?: Record<string, string[]> } | undefined,
): string | undefined {
  const lower = text.toLowerCase();
  const exact = choices.find((choice) => choice.toLowerCase() === lower);
  if (exact) return exact;
  for (const choice of choices) {
    if ((hint?.synonyms?.[choice] ?? []).some((synonym) => synonym.toLowerCase() === lower)) return choice;
  }
  return choices.find((choice) => lower.includes(choice.toLowerCase()));
}

/** The schema under optional, default and nullable wrappers. */
export function innerSchema(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; depth < 10 && current; depth++) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault
    ) {
      current = current.unwrap() as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}

function enumValues(schema: z.ZodType | undefined): string[] | undefined {
  if (schema instanceof z.ZodEnum) return schema.options.map(String);
  return undefined;
}

/** `targetPort` → "target port". */
function humanName(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
