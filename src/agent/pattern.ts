// Deployment patterns: a named, parameterised recipe that turns validated parameters into a Deployment. The zod
// `params` object is the single source of truth: it validates input, becomes the JSON Schema the model sees, and drives
// the offline parser (with the optional hints below).
import { z } from 'zod';
import { ConductorError } from '../model/conductor-error.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { normalizeDeployment } from '../model/load-deployment.js';
import type { Deployment, Resource } from '../model/resource.js';

/** How the offline parser finds a parameter in a sentence. Everything here is optional; the schema comes first. */
export interface ParamHint {
  /** Words that name the parameter in a request: players → "players", "slots", "people". */
  words?: string[];
  /** Enums (and lists of enums): other ways to say each value, e.g. { postgres: ['postgresql', 'pg'] }. */
  synonyms?: Record<string, string[]>;
  /** Booleans: phrases that mean true, and phrases that mean false ("LAN only" → public: false). */
  whenTrue?: string[];
  whenFalse?: string[];
  /** What a string or number holds, so the right extractor reads it. */
  format?: ParamFormat;
}

export type ParamFormat =
  | 'vlan'
  | 'port'
  | 'count'
  | 'memory-gb'
  | 'storage-gb'
  | 'hostname'
  | 'domain'
  | 'ip'
  | 'cidr'
  | 'cron'
  | 'name'
  | 'image'
  | 'version'
  | 'text';

/** What generate returns: a Deployment whose resources may leave out `dependsOn`. */
export interface PatternDeployment {
  name: string;
  description?: string;
  variables?: Record<string, unknown>;
  resources: Array<Omit<Resource, 'dependsOn'> & { dependsOn?: string[] }>;
}

export interface PatternDefinition<S extends z.ZodObject = z.ZodObject> {
  /** Lower-case, hyphenated: `game-server`. Also the tool name the model calls. */
  name: string;
  /** One or two sentences: what it deploys and when to choose it. Shown to the model and in `/help`. */
  description: string;
  /** Requests a user would type for this pattern. */
  examples: string[];
  /** Words and phrases that point at this pattern ("minecraft", "game server"), for the offline parser. */
  keywords?: string[];
  params: S;
  hints?: Partial<Record<keyof z.output<S> & string, ParamHint>>;
  /** Defaults that depend on other parameters (memory from game and players), applied after validation. */
  derive?: (params: z.output<S>) => z.output<S>;
  generate: (params: z.output<S>) => PatternDeployment;
}

export interface Pattern<S extends z.ZodObject = z.ZodObject> extends PatternDefinition<S> {
  /** The file it came from, for user patterns; undefined for built-in ones. */
  source?: string;
}

export function definePattern<S extends z.ZodObject>(definition: PatternDefinition<S>): Pattern<S> {
  const problems = patternProblems(definition as unknown as Record<string, unknown>);
  if (problems.length > 0) {
    throw new ConductorError({
      code: 'invalid-pattern',
      summary: `Pattern ${typeof definition?.name === 'string' ? `"${definition.name}"` : '(unnamed)'} is not valid: ${problems.join('; ')}.`,
      detail: 'A pattern needs name, description, examples, params (a zod object) and generate(params).',
    });
  }
  return { ...definition };
}

function patternProblems(definition: Record<string, unknown>): string[] {
  if (typeof definition !== 'object' || definition === null) return ['it is not an object'];
  const problems: string[] = [];
  if (typeof definition.name !== 'string' || !/^[a-z][a-z0-9-]{0,63}$/.test(definition.name)) {
    problems.push('name must be lower-case letters, digits and hyphens');
  }
  if (typeof definition.description !== 'string' || definition.description.trim() === '') {
    problems.push('description is missing');
  }
  if (!Array.isArray(definition.examples) || definition.examples.some((entry) => typeof entry !== 'string')) {
    problems.push('examples must be a list of strings');
  }
  if (!isZodObject(definition.params)) problems.push('params must be a zod object (z.object({...}))');
  if (typeof definition.generate !== 'function') problems.push('generate must be a function');
  if (definition.derive !== undefined && typeof definition.derive !== 'function') {
    problems.push('derive must be a function');
  }
  return problems;
}

/** A zod 4 object schema, also one made by another copy of zod (a user's pattern may bring its own). */
function isZodObject(value: unknown): value is z.ZodObject {
  if (value instanceof z.ZodObject) return true;
  const internals = (value as { _zod?: { def?: { type?: unknown } } } | null)?._zod;
  return (
    internals?.def?.type === 'object' && typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** The parameter names a request must give: neither optional nor defaulted. */
export function requiredParams(pattern: Pattern): string[] {
  return Object.entries(pattern.params.shape)
    .filter(([, schema]) => !(schema as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

export interface ParamIssue {
  /** The parameter, or '' for the whole object. */
  param: string;
  message: string;
}

export type ResolvedParams =
  | { ok: true; params: Record<string, unknown> }
  | { ok: false; missing: string[]; issues: ParamIssue[] };

/**
 * Validates parameters against the pattern's schema, applies defaults and derived values. `missing` lists required
 * parameters that were not given; `issues` every other problem, by parameter.
 */
export function resolveParams(pattern: Pattern, input: Record<string, unknown>): ResolvedParams {
  const given = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined && value !== null),
  );
  const missing = requiredParams(pattern).filter((name) => !(name in given));
  const parsed = pattern.params.safeParse(given);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => ({ param: String(issue.path[0] ?? ''), message: issue.message }))
      .filter((issue) => !missing.includes(issue.param));
    return { ok: false, missing, issues };
  }
  if (missing.length > 0) return { ok: false, missing, issues: [] };
  const params = pattern.derive ? pattern.derive(parsed.data) : parsed.data;
  return { ok: true, params: params as Record<string, unknown> };
}

export interface GeneratedDeployment {
  deployment?: Deployment;
  diagnostics: Diagnostic[];
}

/** Runs generate on resolved parameters and checks the result like a deployment file. */
export function generateDeployment(pattern: Pattern, params: Record<string, unknown>): GeneratedDeployment {
  let generated: PatternDeployment;
  try {
    generated = pattern.generate(params as never);
  } catch (error) {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'pattern-failed',
          summary: `Pattern "${pattern.name}" could not generate a deployment: ${error instanceof Error ? error.message : String(error)}`,
          detail: pattern.source
            ? `The pattern comes from ${pattern.source}; fix its generate function.`
            : 'This is a bug in a built-in pattern; please report it with the request.',
        },
      ],
    };
  }
  const normalized = normalizeDeployment(generated);
  return {
    ...(normalized.deployment ? { deployment: normalized.deployment } : {}),
    diagnostics: normalized.diagnostics,
  };
}
