// What the offline parser knows about each parameter of a pattern, read from the zod schema itself (type, enum
// options, bounds, default, description) and the pattern's optional hints. A user's pattern without hints still gets
// words and a format from its parameter names and descriptions.
import type { z } from 'zod';
import type { ParamFormat, ParamHint, Pattern } from '../pattern.js';
import { nameWords } from './text.js';

export type ParamKind = 'number' | 'boolean' | 'enum' | 'enum-list' | 'string' | 'string-list' | 'other';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  /** Enum options (for enum and enum-list). */
  options: string[];
  integer: boolean;
  min?: number;
  max?: number;
  required: boolean;
  /** The schema's default, when it has one. */
  defaultValue?: unknown;
  description: string;
  format?: ParamFormat | 'path' | 'size-gb';
  /** Words that name the parameter in a request (hints first, then words of its name). */
  words: string[];
  synonyms: Record<string, string[]>;
  whenTrue: string[];
  whenFalse: string[];
  /** For a pair minX/maxX: which end this parameter is, and its partner. */
  bound?: { end: 'min' | 'max'; partner: string };
}

interface ZodInternals {
  _zod: { def: { type: string; innerType?: unknown; element?: unknown; entries?: Record<string, unknown> } };
  description?: string;
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  options?: unknown[];
}

/** Peels optional, default, nullable and similar wrappers, keeping the first description and default met. */
function unwrap(schema: unknown): { inner: ZodInternals; description?: string; defaultValue?: unknown } {
  let current = schema as ZodInternals;
  let description: string | undefined;
  let defaultValue: unknown;
  for (let depth = 0; depth < 10; depth += 1) {
    description ??= current.description;
    const def = current._zod.def as { type: string; innerType?: unknown; defaultValue?: unknown };
    if (def.type === 'default' || def.type === 'prefault') {
      defaultValue ??=
        typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
    }
    if (
      ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(
        def.type,
      ) &&
      def.innerType
    ) {
      current = def.innerType as ZodInternals;
      continue;
    }
    break;
  }
  description ??= current.description;
  return {
    inner: current,
    ...(description ? { description } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
  };
}

function enumOptions(schema: ZodInternals): string[] {
  if (Array.isArray(schema.options)) return schema.options.map(String);
  const entries = schema._zod.def.entries;
  return entries ? Object.values(entries).map(String) : [];
}

const described = new WeakMap<Pattern, ParamSpec[]>();

/** The parameters of a pattern as the parser sees them (computed once per pattern). */
export function describeParams(pattern: Pattern): ParamSpec[] {
  const cached = described.get(pattern);
  if (cached) return cached;
  const specs = readParams(pattern);
  described.set(pattern, specs);
  return specs;
}

function readParams(pattern: Pattern): ParamSpec[] {
  const shape = pattern.params.shape as Record<string, z.ZodType>;
  const hints = (pattern.hints ?? {}) as Record<string, ParamHint | undefined>;
  const names = Object.keys(shape);
  return names.map((name) => {
    const schema = shape[name]!;
    const { inner, description = '', defaultValue } = unwrap(schema);
    const hint = hints[name] ?? {};
    const type = inner._zod.def.type;
    let kind: ParamKind = 'other';
    let options: string[] = [];
    let integer = false;
    let min: number | undefined;
    let max: number | undefined;
    if (type === 'number' || type === 'int') {
      kind = 'number';
      integer = Boolean(inner.isInt) || type === 'int';
      min = finite(inner.minValue);
      max = finite(inner.maxValue);
    } else if (type === 'boolean') kind = 'boolean';
    else if (type === 'enum' || type === 'literal') {
      kind = 'enum';
      options = type === 'literal' ? literalValues(inner) : enumOptions(inner);
    } else if (type === 'string') kind = 'string';
    else if (type === 'array') {
      const element = unwrap(inner._zod.def.element).inner;
      const elementType = element._zod.def.type;
      if (elementType === 'enum') {
        kind = 'enum-list';
        options = enumOptions(element);
      } else if (elementType === 'string') kind = 'string-list';
    }
    const required = !(schema as z.ZodType).safeParse(undefined).success;
    const words = uniq([...(hint.words ?? []), ...derivedWords(name, hint)]);
    const spec: ParamSpec = {
      name,
      kind,
      options,
      integer,
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      required,
      ...(defaultValue !== undefined ? { defaultValue } : {}),
      description,
      words,
      synonyms: Object.fromEntries(
        Object.entries(hint.synonyms ?? {}).map(([key, list]) => [key, [...list]]),
      ),
      whenTrue: [...(hint.whenTrue ?? [])],
      whenFalse: [...(hint.whenFalse ?? [])],
    };
    const format = hint.format ?? inferFormat(spec);
    if (format) spec.format = format;
    if (kind === 'boolean' && spec.whenTrue.length === 0) spec.whenTrue = [nameWords(name).join(' ')];
    const bound = boundOf(name, names);
    if (bound) spec.bound = bound;
    return spec;
  });
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function literalValues(schema: ZodInternals): string[] {
  const values = (schema._zod.def as { values?: unknown[] }).values ?? [];
  return values.filter((value) => typeof value === 'string') as string[];
}

/** Words of the name that say what it is ("storage" of storageGb); units and min/max prefixes are left out. */
function derivedWords(name: string, hint: ParamHint): string[] {
  const words = nameWords(name);
  const content = words.filter(
    (word) => !/^(?:gb|mb|tb|min|max|is|has|enable|enabled|num|count|number|of)$/.test(word),
  );
  // Hinted parameters keep their own words; the name is added only as a whole phrase.
  if (hint.words && hint.words.length > 0) return words.length > 1 ? [words.join(' ')] : [];
  const result = content.length > 0 ? [...content] : [...words];
  if (words.length > 1) result.unshift(words.join(' '));
  return result;
}

/** A format from the name, type and description, for parameters without a hint. */
function inferFormat(spec: ParamSpec): ParamSpec['format'] {
  const name = nameWords(spec.name);
  const has = (...words: string[]) => words.some((word) => name.includes(word));
  const described = spec.description.toLowerCase();
  if (spec.kind === 'number') {
    if (has('vlan')) return 'vlan';
    if (has('port')) return 'port';
    if (has('memory', 'ram', 'mem')) return 'memory-gb';
    if (has('storage', 'disk', 'volume', 'capacity')) return 'storage-gb';
    if (has('gb', 'size') || /\bin gb\b|\bgigabytes?\b/.test(described)) return 'size-gb';
    if (spec.integer && (/^(?:number of|how many|count of)\b/.test(described) || /s$/.test(spec.name)))
      return 'count';
    return undefined;
  }
  if (spec.kind === 'string' || spec.kind === 'string-list') {
    if (has('cidr', 'subnet', 'network', 'range') || /\bcidrs?\b/.test(described)) return 'cidr';
    if (has('domain', 'fqdn')) return 'domain';
    if (has('hostname', 'dns')) return 'hostname';
    if (has('host', 'ip', 'address', 'server')) return 'ip';
    if (has('schedule', 'cron') || /\bcron\b/.test(described)) return 'cron';
    if (has('image')) return 'image';
    if (has('version')) return 'version';
    if (typeof spec.defaultValue === 'string' && spec.defaultValue.startsWith('/')) return 'path';
    if (has('path', 'url')) return 'path';
    if (has('name')) return 'name';
    if (has('description', 'comment', 'note', 'notes', 'label')) return 'text';
  }
  return undefined;
}

/** minInstances / maxInstances: two ends of one range, told apart by "up to", "at least" and the like. */
function boundOf(name: string, names: readonly string[]): ParamSpec['bound'] {
  const match = /^(min|max)(.+)$/i.exec(name) ?? /^(.+?)(Min|Max)$/.exec(name);
  if (!match) return undefined;
  const prefixed = /^(min|max)$/i.test(match[1]!);
  const end = (prefixed ? match[1]! : match[2]!).toLowerCase() as 'min' | 'max';
  const other = end === 'min' ? 'max' : 'min';
  const partner = prefixed
    ? names.find((candidate) => candidate.toLowerCase() === `${other}${match[2]!}`.toLowerCase())
    : names.find((candidate) => candidate.toLowerCase() === `${match[1]!}${other}`.toLowerCase());
  return partner ? { end, partner } : undefined;
}

function uniq(values: string[]): string[] {
  return [...new Set(values.map((value) => value.toLowerCase()))];
}
