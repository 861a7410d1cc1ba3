// Reads a pattern's parameters out of a request, driven by the parameters themselves (type, bounds, format, words).
// Enums and booleans come from their phrases; every other value is a mention (a number with its role, an address, a
// name...) given to the parameter whose words stand nearest to it and whose format fits, best pairing first. Each
// mention goes to at most one parameter: the 20 of "vlan 20" is never also a player count.
import type { Pattern } from '../pattern.js';
import { extractBoolean } from './booleans.js';
import { chooseMany, chooseOne, extractChoices } from './choices.js';
import { extractListedCount } from './counts.js';
import { collectMentions, type Mention } from './mentions.js';
import { extractNamesAfter, extractNamesBefore, isNameLike } from './names.js';
import { normalizeNumberWords } from './numbers.js';
import { describeParams, type ParamSpec } from './param-spec.js';
import {
  findPhrase,
  isStopword,
  overlaps,
  type PhraseMatch,
  type Span,
  sameWord,
  type Token,
  tokenize,
  tokenRange,
} from './text.js';

export interface ExtractParamsOptions {
  /** The deployment's parameters now, so "2 more players", "add mysql" and "double the memory" can be read. */
  current?: Record<string, unknown>;
  /** A change to something that exists: "remove", "disable", "turn off" negate what follows them. */
  modifying?: boolean;
}

export interface ParamExtraction {
  /** Only what the text states or implies; no defaults. */
  values: Record<string, unknown>;
  /** Where each value was read. */
  spans: Record<string, Span[]>;
  notes: string[];
}

/** Verbs that, in a change request, take something away: "remove redis", "turn off mqtt", "drop mongo". */
export const REMOVING_WORDS = [
  'remove',
  'drop',
  'delete',
  'disable',
  'turn off',
  'switch off',
  'get rid of',
  'kill',
  'stop',
  'no longer',
  'take away',
  'take out',
];
const ADDING = /\b(?:add|also|plus|as\s+well|too|additionally|another|enable|include)\b/i;

/** A value a parameter could take, with how well it fits. */
interface Candidate {
  spec: ParamSpec;
  mention: Mention | Synthetic;
  score: number;
  /** Out of the parameter's bounds: consumed (so it goes nowhere else) and noted, never used. */
  invalid?: string;
}

/** A value made from plain words: "on lan" (interface), "my shop app" (name), "for the printer" (description). */
interface Synthetic extends Span {
  id: number;
  kind: 'word';
  value: string;
  text: string;
  valueSpan?: Span;
  parts?: Span[];
}

const MIN_SCORE = 6;
const MIN_QUALIFIERS = [
  'min',
  'minimum',
  'at least',
  'no fewer than',
  'no less than',
  'always',
  'start with',
  'starting with',
];
const MAX_QUALIFIERS = [
  'max',
  'maximum',
  'up to',
  'at most',
  'no more than',
  'scale to',
  'scale up to',
  'scaling to',
  'scale out to',
  'limit',
  'peak',
  'burst to',
];
const NAMING_WORDS = new Set(['called', 'named', 'name', 'call']);
const ANYWHERE = /^(?:anywhere|everywhere|anything|any|all|everyone|everybody|internet|world)$/;

export function extractParams(
  input: string,
  pattern: Pattern,
  options: ExtractParamsOptions = {},
): ParamExtraction {
  const text = normalizeNumberWords(input);
  const specs = describeParams(pattern);
  const tokens = tokenize(text);
  const values: Record<string, unknown> = {};
  const spans: Record<string, Span[]> = {};
  const notes: string[] = [];
  const claimed: Span[] = [];
  const extraNegators = options.modifying ? REMOVING_WORDS : [];

  const cronSpec = specs.find((spec) => spec.format === 'cron');
  const mentions = collectMentions(text, {
    products: specs.flatMap((spec) => [...spec.options, ...Object.values(spec.synonyms).flat()]),
    ...(cronSpec ? { cron: cronDefault(cronSpec.defaultValue) } : {}),
  });
  const structured = mentions.filter((mention) => ['image', 'hostname', 'ip', 'cidr'].includes(mention.kind));

  // Enums: by their names and synonyms.
  for (const spec of specs.filter(
    (candidate) => candidate.kind === 'enum' || candidate.kind === 'enum-list',
  )) {
    const findings = extractChoices(text, spec.options, spec.synonyms, { extraNegators }).filter(
      (finding) =>
        !structured.some((mention) => mention.start <= finding.start && finding.end <= mention.end),
    );
    if (findings.length === 0) continue;
    if (spec.kind === 'enum') {
      const chosen = chooseOne(text, findings);
      if (!chosen) continue;
      values[spec.name] = chosen.value;
      spans[spec.name] = [chosen];
    } else {
      const wanted = chooseMany(findings);
      const unwanted = findings.filter((finding) => finding.negated).map((finding) => finding.value);
      const current = Array.isArray(options.current?.[spec.name])
        ? (options.current[spec.name] as string[])
        : undefined;
      let list = wanted;
      if (current && (ADDING.test(text) || wanted.length === 0)) {
        list = [...new Set([...current, ...wanted])].filter((value) => !unwanted.includes(value));
      }
      if (list.length === 0 && wanted.length === 0 && !current) continue;
      values[spec.name] = list;
      spans[spec.name] = findings;
    }
    claimed.push(...findings);
  }

  // Booleans: from their phrases, negation flipping them.
  for (const spec of specs.filter((candidate) => candidate.kind === 'boolean')) {
    const found = extractBoolean(
      text,
      { whenTrue: spec.whenTrue, whenFalse: spec.whenFalse },
      { extraNegators },
    );
    if (!found) continue;
    values[spec.name] = found.value;
    spans[spec.name] = [found];
    claimed.push(found);
  }

  // Everything else: mentions given to parameters, best pairing first.
  const valueSpecs = specs.filter((spec) => ['number', 'string', 'string-list'].includes(spec.kind));
  const occurrences = new Map(valueSpecs.map((spec) => [spec.name, wordOccurrences(tokens, spec, specs)]));
  const synthetic = syntheticMentions(text, tokens, valueSpecs, mentions, claimed, mentions.length);
  const pool: Array<Mention | Synthetic> = [
    ...mentions.filter((mention) => !claimed.some((span) => overlaps(span, mention.valueSpan ?? mention))),
    ...synthetic,
  ];
  const candidates: Candidate[] = [];
  for (const spec of valueSpecs) {
    for (const mention of pool) {
      const candidate = score(spec, mention, text, tokens, pool, occurrences, specs);
      if (candidate) candidates.push(candidate);
    }
  }
  // Listed things counted one by one: "for my phone and laptop" → 2 peers.
  for (const spec of valueSpecs.filter((candidate) => candidate.format === 'count')) {
    const listed = extractListedCount(
      text,
      spec.words.filter((word) => !isStopword(word)),
    );
    if (!listed) continue;
    // The list wins over a count inside it ("my phone and 2 laptops" is 3), so it scores above any single count.
    const inside = mentions.filter((mention) => mention.kind === 'number' && overlaps(mention, listed));
    if (inside.every((mention) => Number(mention.value) < listed.value)) {
      const mention: Synthetic = {
        id: -1 - candidates.length,
        kind: 'word',
        value: String(listed.value),
        ...spanOf(listed),
        text: listed.text,
      };
      const invalid = outOfBounds(spec, listed.value, listed.text);
      candidates.push({ spec, mention, score: inside.length > 0 ? 14 : 9, ...(invalid ? { invalid } : {}) });
    }
  }
  candidates.sort(
    (a, b) =>
      b.score - a.score || specs.indexOf(a.spec) - specs.indexOf(b.spec) || a.mention.start - b.mention.start,
  );
  const used = new Set<number>();
  const consumed: Span[] = [];
  const assigned = new Set<string>();
  for (const candidate of candidates) {
    const { spec, mention } = candidate;
    const list = spec.kind === 'string-list';
    if (!list && assigned.has(spec.name)) continue;
    if (used.has(mention.id)) continue;
    const own = mention.parts ?? [mention.valueSpan ?? mention];
    if (own.some((span) => consumed.some((other) => overlaps(other, span)))) continue;
    used.add(mention.id);
    consumed.push(...own);
    if (candidate.invalid) {
      notes.push(candidate.invalid);
      continue;
    }
    const value = toValue(spec, mention);
    if (list) {
      const existing = (values[spec.name] as unknown[] | undefined) ?? [];
      if (!existing.includes(value)) values[spec.name] = [...existing, value];
    } else {
      values[spec.name] = value;
      assigned.add(spec.name);
    }
    spans[spec.name] = [...(spans[spec.name] ?? []), spanOf(mention)];
  }

  if (options.current) applyRelativeChanges(text, tokens, specs, values, spans, options.current, mentions);

  const unused = mentions.filter(
    (mention) =>
      ['ip', 'cidr', 'hostname', 'image', 'number'].includes(mention.kind) &&
      !used.has(mention.id) &&
      !consumed.some((span) => overlaps(span, mention.valueSpan ?? mention)) &&
      !claimed.some((span) => overlaps(span, mention)),
  );
  if (unused.length > 0) notes.push(`Not used: ${unused.map((mention) => `"${mention.text}"`).join(', ')}.`);
  return { values, spans, notes };
}

function spanOf(span: Span): Span {
  return { start: span.start, end: span.end };
}

function cronDefault(value: unknown): { defaultTime?: { hour: number; minute: number } } {
  const match = typeof value === 'string' ? /^(\d{1,2})\s+(\d{1,2})\s/.exec(value) : null;
  return match ? { defaultTime: { minute: Number(match[1]), hour: Number(match[2]) } } : {};
}

interface Occurrence extends PhraseMatch {
  /** A preposition ("at", "on", "from"): counts only right before a value. */
  preposition: boolean;
  /** Qualifier of the other end of a min/max pair: counts against this parameter. */
  against?: boolean;
}

/** Where the parameter's words stand in the text. For a min/max pair, the shared nouns and each end's qualifiers. */
function wordOccurrences(
  tokens: readonly Token[],
  spec: ParamSpec,
  specs: readonly ParamSpec[],
): Occurrence[] {
  let words = spec.words;
  let against: string[] = [];
  if (spec.bound) {
    const partner = specs.find((other) => other.name === spec.bound!.partner);
    const qualifiers = new Set([...MIN_QUALIFIERS, ...MAX_QUALIFIERS]);
    const own = spec.bound.end === 'min' ? MIN_QUALIFIERS : MAX_QUALIFIERS;
    const other = spec.bound.end === 'min' ? MAX_QUALIFIERS : MIN_QUALIFIERS;
    const isQualifier = (word: string) => qualifiers.has(word) || /^(?:min|max)\b/.test(word);
    const nouns = [...spec.words, ...(partner?.words ?? [])].filter((word) => !isQualifier(word));
    const ownQualifiers = spec.words.filter(isQualifier);
    const partnerQualifiers = (partner?.words ?? []).filter(isQualifier);
    words = [...new Set([...nouns, ...own, ...ownQualifiers])];
    against = [...new Set([...other, ...partnerQualifiers])].filter((word) => !words.includes(word));
  }
  const result: Occurrence[] = [];
  for (const [list, isAgainst] of [
    [words, false],
    [against, true],
  ] as const) {
    for (const word of list) {
      const preposition = !/\s/.test(word) && isStopword(word);
      for (const match of findPhrase(tokens, word, { exact: word.length < 4 })) {
        result.push({ ...match, preposition, ...(isAgainst ? { against: true } : {}) });
      }
    }
  }
  return result;
}

const BEFORE_SCORES = [9, 6, 4, 2, 1, 1];
const AFTER_SCORES = [10, 6, 3, 1.5, 1];

/** How strongly the parameter's words point at a mention: 10 inside it or right after it, less with distance. */
function proximity(
  occurrences: readonly Occurrence[],
  mention: Mention | Synthetic,
  text: string,
  tokens: readonly Token[],
  pool: ReadonlyArray<Mention | Synthetic>,
): { score: number; against: number } {
  const range = tokenRange(tokens, mention);
  let best = 0;
  let supporting = 0;
  let against = 0;
  for (const occurrence of occurrences) {
    let value = 0;
    if (occurrence.start < mention.end && mention.start < occurrence.end) {
      value = 10;
    } else if (occurrence.end <= mention.start) {
      const gap = range.first - occurrence.last;
      if (blocked(pool, mention, occurrence.end, mention.start)) continue;
      if (occurrence.preposition) {
        const between = tokens.slice(occurrence.last, range.first).map((token) => token.word);
        value = gap === 0 ? 7 : gap === 1 && /^(?:the|a|an|my|our)$/.test(between[0]!) ? 6 : 0;
      } else {
        value = BEFORE_SCORES[gap] ?? 0;
      }
      if (/[,;.!?]\s/.test(`${text.slice(occurrence.end, mention.start)} `)) value /= 2;
    } else {
      if (occurrence.preposition) continue;
      const gap = occurrence.first - range.last;
      if (blocked(pool, mention, mention.end, occurrence.start)) continue;
      // A qualifier of the other end counts only before a value: in "min 2 max 6" the max belongs to the 6.
      if (occurrence.against) continue;
      value = AFTER_SCORES[gap] ?? 0;
      if (/[,;.!?]\s/.test(`${text.slice(mention.end, occurrence.start)} `)) value /= 2;
    }
    if (occurrence.against) {
      against = Math.max(against, value);
      continue;
    }
    if (value >= 4 && best >= 4) supporting += 1;
    best = Math.max(best, value);
  }
  return { score: best + Math.min(2, supporting * 0.5), against };
}

/** A word belongs to the nearest value: another value standing between them takes it. */
function blocked(
  pool: ReadonlyArray<Mention | Synthetic>,
  self: Mention | Synthetic,
  from: number,
  to: number,
): boolean {
  return pool.some(
    (other) =>
      other.id !== self.id &&
      other.kind !== 'word' &&
      !overlaps(other, self) &&
      other.start >= from &&
      other.end <= to &&
      sameFamily(other, self),
  );
}

function sameFamily(a: Mention | Synthetic, b: Mention | Synthetic): boolean {
  const numeric = (mention: Mention | Synthetic) => mention.kind === 'number';
  return numeric(a) === numeric(b);
}

/** How well a mention fits a parameter, or nothing when it cannot be its value. */
function score(
  spec: ParamSpec,
  mention: Mention | Synthetic,
  text: string,
  tokens: readonly Token[],
  pool: ReadonlyArray<Mention | Synthetic>,
  occurrences: Map<string, Occurrence[]>,
  specs: readonly ParamSpec[],
): Candidate | undefined {
  const near = proximity(occurrences.get(spec.name) ?? [], mention, text, tokens, pool);
  let words = near.score;
  if (
    mention.kind === 'number' &&
    mention.nouns?.some((noun) => spec.words.some((word) => sameWord(noun, word)))
  ) {
    words = Math.max(words, 10);
  }
  if (
    spec.bound &&
    mention.kind === 'number' &&
    mention.nouns &&
    !spec.words.some((word) => mention.nouns!.some((noun) => sameWord(noun, word)))
  ) {
    // The partner's nouns are this parameter's nouns too ("2 to 10 instances").
    const partner = specs.find((other) => other.name === spec.bound!.partner);
    if (partner?.words.some((word) => mention.nouns!.some((noun) => sameWord(noun, word))))
      words = Math.max(words, 10);
  }
  const base = formatFit(spec, mention, words, text);
  if (base === undefined) return undefined;
  let total = base + words - near.against;
  if (spec.bound?.end === 'min') total += 0.5;
  if (mention.kind === 'number' && mention.rangeEnd && spec.bound)
    total += mention.rangeEnd === spec.bound.end ? 6 : -20;
  if (total < MIN_SCORE) return undefined;
  const invalid =
    mention.kind === 'number' ? outOfBounds(spec, Number(mention.value), mention.text) : undefined;
  return { spec, mention, score: total, ...(invalid ? { invalid } : {}) };
}

/** The part of the score that comes from the kind of value and the parameter's format. */
function formatFit(
  spec: ParamSpec,
  mention: Mention | Synthetic,
  words: number,
  text: string,
): number | undefined {
  if (spec.kind === 'number') {
    if (mention.kind !== 'number') return undefined;
    const sizeFormat =
      spec.format === 'memory-gb' || spec.format === 'storage-gb' || spec.format === 'size-gb';
    if (mention.role === 'vlan')
      return spec.format === 'vlan' ? 10 : spec.words.includes('vlan') ? 6 : undefined;
    if (mention.role === 'port')
      return spec.format === 'port' ? (mention.portSource === 'service' ? 7 : 10) : undefined;
    if (mention.size) return sizeFormat ? 6 : undefined;
    if (mention.rangeEnd && !spec.bound) return undefined;
    if (spec.format === 'vlan' || spec.format === 'port' || sizeFormat) return words >= 6 ? 0 : undefined;
    if (spec.format === 'count') {
      if (words > 0) return 2;
      // "a server for 10": a bare number after "for" is the one count the pattern has.
      return /\bfor\s+$/i.test(text.slice(Math.max(0, mention.start - 5), mention.start)) ? 6 : undefined;
    }
    return words >= 4 ? 0 : undefined;
  }
  if (spec.kind !== 'string' && spec.kind !== 'string-list') return undefined;
  if (mention.kind === 'number') return undefined;
  const acceptsPath =
    spec.format === 'path' || (typeof spec.defaultValue === 'string' && spec.defaultValue.startsWith('/'));
  if (mention.kind === 'path') return acceptsPath ? 10 : undefined;
  if (acceptsPath) return undefined;
  const quoted = mention.kind === 'quoted' ? String(mention.value) : undefined;
  switch (spec.format) {
    case 'ip':
      if (mention.kind === 'ip') return mention.withPort ? 12 : 8;
      if (mention.kind === 'hostname') return mention.withPort ? 10 : 3;
      if (mention.kind === 'cidr') return 2;
      return undefined;
    case 'cidr':
      if (mention.kind === 'cidr') return 10;
      if (mention.kind === 'ip') return 6;
      if (mention.kind === 'word' && (mention as Synthetic).text.startsWith('alias:')) return 1;
      return undefined;
    case 'hostname':
    case 'domain':
      if (mention.kind === 'hostname') return mention.withPort ? 3 : 8;
      if (quoted && /^[\w-]+(?:\.[\w-]+)+$/.test(quoted)) return 7;
      return undefined;
    case 'cron':
      return mention.kind === 'cron' ? 12 : undefined;
    case 'image':
      if (mention.kind === 'image') return 12;
      if (quoted && /[/:]/.test(quoted)) return 10;
      return undefined;
    case 'version':
      return mention.kind === 'version' ? 10 : undefined;
    case 'name':
      if (mention.kind === 'called') return 12;
      if (quoted && !/\s/.test(quoted)) return 10;
      if (mention.kind === 'word' && !(mention as Synthetic).text.startsWith('text:')) return 1;
      return undefined;
    case 'text':
      if (quoted) return 6;
      if (mention.kind === 'word' && (mention as Synthetic).text.startsWith('text:')) return 1;
      return undefined;
    default:
      if (quoted) return 5;
      if (mention.kind === 'called' && /name/i.test(spec.name)) return 5;
      return undefined;
  }
}

function outOfBounds(spec: ParamSpec, value: number, written: string): string | undefined {
  if (spec.integer && !Number.isInteger(value)) {
    return `"${written.trim()}" is not a whole number, which ${spec.name} must be; it was not used.`;
  }
  if (spec.min !== undefined && value < spec.min) {
    return `"${written.trim()}" is below the smallest ${spec.name} (${spec.min}); it was not used.`;
  }
  if (spec.max !== undefined && value > spec.max) {
    return `"${written.trim()}" is above the largest ${spec.name} (${spec.max}); it was not used.`;
  }
  return undefined;
}

function toValue(spec: ParamSpec, mention: Mention | Synthetic): unknown {
  if (spec.kind === 'number') return Number(mention.value);
  return String(mention.value);
}

/**
 * Values read from plain words for name, text and address parameters: the word after a preposition the parameter
 * lists ("on lan", "from the iot network" → iot, "to anywhere" → any), the name before a noun it lists ("my shop
 * app" → shop), and for free text the few words after its word ("for the printer" → printer).
 */
function syntheticMentions(
  text: string,
  tokens: readonly Token[],
  specs: readonly ParamSpec[],
  mentions: readonly Mention[],
  claimed: readonly Span[],
  firstId: number,
): Synthetic[] {
  const result: Synthetic[] = [];
  const free = (span: Span) =>
    !mentions.some((mention) => overlaps(mention, span)) && !claimed.some((other) => overlaps(other, span));
  let id = firstId + 1000;
  const push = (value: string, span: Span, tag: string) => {
    if (
      result.some(
        (other) => other.start === span.start && other.end === span.end && other.text.startsWith(tag),
      )
    )
      return;
    result.push({
      id: id++,
      kind: 'word',
      value,
      start: span.start,
      end: span.end,
      text: `${tag}${text.slice(span.start, span.end)}`,
    });
  };
  for (const spec of specs) {
    if (spec.kind !== 'string' && spec.kind !== 'string-list') continue;
    const prepositions = spec.words.filter((word) => !/\s/.test(word) && isStopword(word));
    const nouns = spec.words.filter(
      (word) => !isStopword(word) && !NAMING_WORDS.has(word) && !/\s/.test(word),
    );
    if (spec.format === 'name') {
      for (const found of extractNamesBefore(text, nouns)) if (free(found)) push(found.value, found, 'name:');
      for (const found of extractNamesAfter(text, nouns)) if (free(found)) push(found.value, found, 'name:');
      for (const word of prepositions) {
        for (const match of findPhrase(tokens, word, { exact: true })) {
          const next = skipArticles(tokens, match.last);
          const token = tokens[next];
          if (!token || !isNameLike(token.word) || !free(token)) continue;
          push(token.word, token, 'name:');
        }
      }
    }
    if (spec.format === 'cidr' && spec.kind === 'string') {
      const aliases = /\balias/i.test(spec.description);
      for (const word of prepositions) {
        for (const match of findPhrase(tokens, word, { exact: true })) {
          const next = skipArticles(tokens, match.last);
          const token = tokens[next];
          if (!token || !free(token)) continue;
          if (ANYWHERE.test(token.word)) push('any', token, 'alias:');
          else if (aliases && isNameLike(token.word)) push(token.word, token, 'alias:');
        }
      }
    }
    if (spec.format === 'text') {
      for (const word of spec.words) {
        for (const match of findPhrase(tokens, word, { exact: true })) {
          const first = skipArticles(tokens, match.last);
          let last = first;
          while (
            last < tokens.length &&
            last - first < 6 &&
            !/^(?:on|to|from|at|with|in|and|but|via|using|port)$/.test(tokens[last]!.word) &&
            !/[,;.!?]/.test(text.slice(tokens[last - 1]?.end ?? tokens[last]!.start, tokens[last]!.start))
          ) {
            last += 1;
          }
          if (last === first) continue;
          const span = { start: tokens[first]!.start, end: tokens[last - 1]!.end };
          if (!free(span)) continue;
          push(text.slice(span.start, span.end), span, 'text:');
        }
      }
    }
  }
  return result;
}

function skipArticles(tokens: readonly Token[], index: number): number {
  let next = index;
  while (next < tokens.length && /^(?:the|a|an|my|our|your)$/.test(tokens[next]!.word)) next += 1;
  return next;
}

/**
 * "2 more players", "another terabyte", "add 2 peers", "increase storage by 500 GB", "double the memory": relative to
 * the deployment's values.
 */
function applyRelativeChanges(
  text: string,
  tokens: readonly Token[],
  specs: readonly ParamSpec[],
  values: Record<string, unknown>,
  spans: Record<string, Span[]>,
  current: Record<string, unknown>,
  mentions: readonly Mention[],
): void {
  const decreasing = /\b(?:decrease|reduce|lower|shrink|cut|drop|fewer|less|remove|minus|down)\b/i.test(text);
  for (const spec of specs.filter((candidate) => candidate.kind === 'number')) {
    const now = current[spec.name];
    if (typeof now !== 'number') continue;
    const given = values[spec.name];
    const span = spans[spec.name]?.[0];
    if (typeof given === 'number' && span) {
      const mention = mentions.find(
        (candidate) => candidate.start === span.start && candidate.end === span.end,
      );
      const before = text.slice(Math.max(0, span.start - 16), span.start);
      if (
        mention?.more ||
        // "increase it by 2", "add 2 players", "add another 2 nodes", "plus 4 gigs"
        /\b(?:by|add(?:ing)?(?:\s+(?:another|an?\s+(?:extra|additional)))?|another|plus)\s+$/i.test(before) ||
        /\b(?:fewer|less)\b/i.test(text.slice(span.start, span.end + 12))
      ) {
        values[spec.name] = decreasing ? now - given : now + given;
      }
      continue;
    }
    // "add a player", "another peer", "an extra node": one more of what the parameter counts.
    if (spec.format === 'count' && typeof given !== 'number') {
      for (const match of text.matchAll(
        /\b(?:add(?:ing)?\s+(?:an?|one|another)|another|an?\s+(?:extra|additional))\s+([a-z]+)\b/gi,
      )) {
        if (!spec.words.some((word) => !isStopword(word) && sameWord(match[1]!, word))) continue;
        values[spec.name] = now + 1;
        spans[spec.name] = [{ start: match.index, end: match.index + match[0].length }];
        break;
      }
    }
    for (const match of text.matchAll(/\b(double|twice|triple|quadruple|halve|half)\b/gi)) {
      const factor = { double: 2, twice: 2, triple: 3, quadruple: 4, halve: 0.5, half: 0.5 }[
        match[1]!.toLowerCase()
      ]!;
      const after = tokens
        .filter((token) => token.start > match.index && token.start - match.index < 40)
        .slice(0, 4);
      const named = after.some((token) => spec.words.some((word) => sameWord(token.word, word)));
      if (!named) continue;
      const next = now * factor;
      values[spec.name] = spec.integer ? Math.round(next) : next;
      spans[spec.name] = [{ start: match.index, end: match.index + match[0].length }];
    }
  }
}
