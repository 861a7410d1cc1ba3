// One tool per pattern: the tool is named like the pattern, described by its description and example requests, and
// takes the pattern's parameters, with the JSON Schema zod makes from `params`. A call becomes a deploy Intent whose
// params are what Claude gave after defaults (and derived values, once nothing is missing); `missing` lists the
// required parameters it left out, which the conversation then asks for.
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { ConductorError } from '../../model/conductor-error.js';
import type { Intent } from '../../model/intent.js';
import { type Pattern, type ResolvedParams, requiredParams, resolveParams } from '../pattern.js';
import {
  describeValue,
  type InputProblem,
  type Interpretation,
  invalidValue,
  isRecord,
  notAnObject,
  unknownField,
} from './interpretation.js';

/** A zod object as a tool input schema: `$schema` left out (the API takes the schema object itself). */
export function inputSchemaOf(schema: z.ZodObject, owner: string): Anthropic.Tool.InputSchema {
  let converted: Record<string, unknown>;
  try {
    converted = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  } catch (error) {
    throw new ConductorError({
      code: 'pattern-schema-invalid',
      summary: `The parameters of ${owner} cannot be described as JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
      detail:
        'Claude sees each pattern as a tool whose input is its params schema. Use plain zod types (objects, strings, numbers, enums, arrays, booleans) in params.',
      exitCode: 2,
    });
  }
  const { $schema: _dialect, ...inputSchema } = converted;
  return inputSchema as unknown as Anthropic.Tool.InputSchema;
}

export function patternToolDescription(pattern: Pattern): string {
  const examples = pattern.examples.map((example) => `- ${example}`).join('\n');
  return examples
    ? `${pattern.description.trim()}\n\nRequests this pattern fits:\n${examples}`
    : pattern.description.trim();
}

export function patternTool(pattern: Pattern): Anthropic.Tool {
  return {
    name: pattern.name,
    description: patternToolDescription(pattern),
    input_schema: inputSchemaOf(pattern.params, `pattern ${pattern.name}`),
  };
}

export function interpretPatternCall(pattern: Pattern, input: unknown): Interpretation {
  if (!isRecord(input)) {
    return { intent: deployIntent(pattern, {}, {}, requiredParams(pattern)), problems: [notAnObject(input)] };
  }
  const shape = pattern.params.shape as Record<string, z.ZodType>;
  const names = Object.keys(shape);
  const problems: InputProblem[] = [];
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!Object.hasOwn(shape, name)) problems.push(unknownField(name, pattern.name, names));
    else if (value !== null && value !== undefined) given[name] = value;
  }
  const resolved = resolveWithPattern(pattern, given);
  if (resolved.ok) {
    return { intent: { kind: 'deploy', pattern: pattern.name, params: resolved.params }, problems };
  }

  const invalid: Record<string, unknown> = {};
  for (const name of names) {
    if (!(name in given)) continue;
    const checked = shape[name]!.safeParse(given[name]);
    if (!checked.success) {
      invalid[name] = given[name];
      problems.push(invalidValue(name, given[name], checked.error));
    }
  }
  // Problems of the parameters together (a refinement over several of them) name no single parameter.
  for (const issue of resolved.issues) {
    if (issue.param in invalid || problems.some((problem) => problem.field === issue.param)) continue;
    problems.push({ field: issue.param, message: `${issue.param || 'The parameters'}: ${issue.message}.` });
  }
  return { intent: deployIntent(pattern, given, invalid, resolved.missing), problems };
}

/**
 * A deploy Intent that cannot be resolved yet: the valid parameters as the schema outputs them, defaults for the rest,
 * and invalid values as given, so the conversation shows them and asks again. Derived values wait until nothing is
 * missing or invalid.
 */
function deployIntent(
  pattern: Pattern,
  given: Record<string, unknown>,
  invalid: Record<string, unknown>,
  missing: readonly string[] = [],
): Intent {
  const params: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(pattern.params.shape as Record<string, z.ZodType>)) {
    if (name in invalid) {
      params[name] = invalid[name];
      continue;
    }
    const result = field.safeParse(given[name]);
    if (result.success && result.data !== undefined) params[name] = result.data;
  }
  return {
    kind: 'deploy',
    pattern: pattern.name,
    params,
    ...(missing.length > 0 ? { missing: [...missing] } : {}),
  };
}

/** resolveParams, with a pattern's own failure (a throwing derive) reported as the pattern's, not Claude's. */
function resolveWithPattern(pattern: Pattern, given: Record<string, unknown>): ResolvedParams {
  try {
    return resolveParams(pattern, given);
  } catch (error) {
    throw new ConductorError({
      code: 'pattern-failed',
      summary: `Pattern "${pattern.name}" failed on the parameters ${describeValue(given)}: ${error instanceof Error ? error.message : String(error)}`,
      detail: pattern.source
        ? `The pattern comes from ${pattern.source}; fix its derive function.`
        : 'This is a bug in a built-in pattern; please report it with the request.',
      cause: error,
    });
  }
}
