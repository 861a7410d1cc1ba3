// Which pattern a request is about. Each pattern gets a vocabulary from what it says about itself (keywords, enum
// values and their synonyms, its name, parameter words, description, examples), each source with a weight; words that
// many patterns share count less (inverse document frequency). A request scores the sum over its words of the best
// match in each vocabulary, by stem or with one typo.
import type { Pattern } from '../pattern.js';
import { collectMentions, type MentionKind } from './mentions.js';
import { describeParams } from './param-spec.js';
import {
  blank,
  findPhrase,
  isStopword,
  nameWords,
  phraseWords,
  sameWord,
  stem,
  type Token,
  tokenize,
} from './text.js';

export interface PatternScore {
  pattern: Pattern;
  score: number;
  /** The request words that counted, for notes and debugging. */
  matched: string[];
}

export interface PatternChoice {
  /** Best first; only patterns that scored above zero. */
  ranking: PatternScore[];
  best?: PatternScore;
  /** 0–1: how sure the choice is, from the best score and its lead over the next. */
  confidence: number;
}

/** Below this, no pattern is chosen: the request is not about anything the catalog deploys. */
export const MIN_PATTERN_SCORE = 3.6;

const WEIGHTS = {
  keyword: 3,
  keywordPart: 1.5,
  value: 3,
  optionalValue: 2,
  name: 2.5,
  paramWord: 1,
  description: 1,
  example: 0.6,
  shape: 2,
  /** One of the pattern's choices used as the verb acting on a port ("block ssh"). */
  action: 4,
  /** A multi-word keyword said as a whole adds this share of its weight on top of its words. */
  wholePhrase: 0.5,
} as const;

interface Vocabulary {
  /** stem → weight */
  words: Map<string, number>;
  /** Stems a typo may reach: from keywords, values, names and parameter words, not from prose. */
  typoTargets: Set<string>;
  /** The raw word kept for typo matching: stem → a written form. */
  written: Map<string, string>;
  /** Multi-word keywords, matched as a whole for a bonus. */
  phrases: Array<{ phrase: string; weight: number }>;
}

const vocabularies = new WeakMap<Pattern, Vocabulary>();

/** Words that say nothing about which pattern is meant even though descriptions use them. */
const NEUTRAL = new Set(
  'own its with when and from the for one more or optionally through per each name names when given not'.split(
    ' ',
  ),
);

export function vocabularyOf(pattern: Pattern): Vocabulary {
  const cached = vocabularies.get(pattern);
  if (cached) return cached;
  const vocabulary: Vocabulary = {
    words: new Map(),
    written: new Map(),
    phrases: [],
    typoTargets: new Set(),
  };
  const add = (word: string, weight: number, typos = true) => {
    const lower = word.toLowerCase();
    if (lower.length < 2 || isStopword(lower) || NEUTRAL.has(lower) || /^\d+$/.test(lower)) return;
    const key = stem(lower);
    if ((vocabulary.words.get(key) ?? 0) < weight) vocabulary.words.set(key, weight);
    if (!vocabulary.written.has(key)) vocabulary.written.set(key, lower);
    if (typos) vocabulary.typoTargets.add(key);
  };
  const addPhrase = (phrase: string, weight: number, partWeight: number) => {
    const words = phraseWords(phrase);
    if (words.length > 1) {
      vocabulary.phrases.push({ phrase, weight });
      for (const word of words) add(word, partWeight);
    } else if (words.length === 1) add(words[0]!, weight);
  };
  for (const keyword of pattern.keywords ?? []) addPhrase(keyword, WEIGHTS.keyword, WEIGHTS.keywordPart);
  for (const word of nameWords(pattern.name)) add(word, WEIGHTS.name);
  for (const spec of describeParams(pattern)) {
    const valueWeight = spec.required ? WEIGHTS.value : WEIGHTS.optionalValue;
    for (const option of spec.options) {
      addPhrase(option.replace(/[-_]/g, ' '), valueWeight, valueWeight / 2);
      for (const synonym of spec.synonyms[option] ?? []) addPhrase(synonym, valueWeight, valueWeight / 2);
    }
    for (const word of spec.words) addPhrase(word, WEIGHTS.paramWord, WEIGHTS.paramWord);
    for (const phrase of [...spec.whenTrue, ...spec.whenFalse]) {
      for (const word of phraseWords(phrase)) add(word, WEIGHTS.paramWord);
    }
  }
  for (const word of phraseWords(pattern.description)) add(word, WEIGHTS.description, false);
  for (const example of pattern.examples)
    for (const word of phraseWords(example)) add(word, WEIGHTS.example, false);
  vocabularies.set(pattern, vocabulary);
  return vocabulary;
}

/**
 * How much a vocabulary word tells patterns apart: log(1 + patterns / patterns that use it). A word counts as used by
 * the patterns that name it in keywords, values, names or parameter words; only a word no pattern names that way is
 * counted over the prose too ("firewall" in one pattern's keywords stays distinctive though descriptions mention it).
 */
function inverseFrequency(patterns: readonly Pattern[]): (key: string) => number {
  const strong = new Map<string, number>();
  const any = new Map<string, number>();
  for (const pattern of patterns) {
    const vocabulary = vocabularyOf(pattern);
    for (const key of vocabulary.words.keys()) {
      any.set(key, (any.get(key) ?? 0) + 1);
      if (vocabulary.typoTargets.has(key)) strong.set(key, (strong.get(key) ?? 0) + 1);
    }
  }
  const total = Math.max(patterns.length, 2);
  return (key) => Math.log(1 + total / (strong.get(key) ?? any.get(key) ?? total));
}

function bestMatch(token: Token, vocabulary: Vocabulary): { key: string; weight: number } | undefined {
  const exact = vocabulary.words.get(token.stem);
  if (exact !== undefined) return { key: token.stem, weight: exact };
  if (token.word.length < 5) return undefined;
  let best: { key: string; weight: number } | undefined;
  for (const [key, weight] of vocabulary.words) {
    if (!vocabulary.typoTargets.has(key)) continue;
    const written = vocabulary.written.get(key)!;
    if (written.length < 5) continue;
    if (sameWord(token.word, written) && (best === undefined || weight > best.weight)) {
      // A typo counts a little less than the word itself.
      best = { key, weight: weight * 0.8 };
    }
  }
  return best;
}

/**
 * Kinds of value a request may hold, and the parameter formats that take them. Times of day are left out: "at 3pm"
 * is everyday language, not a sign of a schedule parameter.
 */
const SHAPES: Array<{ kind: MentionKind; role?: 'port' | 'size'; formats: readonly string[] }> = [
  { kind: 'image', formats: ['image'] },
  { kind: 'hostname', formats: ['hostname', 'domain'] },
  { kind: 'ip', formats: ['ip', 'cidr'] },
  { kind: 'cidr', formats: ['cidr'] },
  { kind: 'number', role: 'port', formats: ['port'] },
  { kind: 'number', role: 'size', formats: ['memory-gb', 'storage-gb', 'size-gb'] },
];

/**
 * Points for the kinds of value in the request that a pattern has a parameter for: an image reference points at the
 * patterns that take an image, a host:port at those that take an address and a port. Rarer shapes count more. One
 * shape alone counts half ("at 3pm" is not enough to mean a backup schedule); the caller gives full weight when the
 * words agree.
 */
function shapeScores(
  text: string,
  patterns: readonly Pattern[],
): Map<Pattern, { score: number; shapes: number }> {
  const mentions = collectMentions(text);
  const scores = new Map<Pattern, { score: number; shapes: number }>();
  const total = Math.max(patterns.length, 2);
  for (const shape of SHAPES) {
    const present = mentions.some(
      (mention) =>
        mention.kind === shape.kind &&
        (shape.role === undefined ||
          (shape.role === 'size' ? mention.size === true : mention.role === shape.role)),
    );
    if (!present) continue;
    const takers = patterns.filter((pattern) =>
      describeParams(pattern).some(
        (spec) => spec.format !== undefined && shape.formats.includes(spec.format),
      ),
    );
    if (takers.length === 0) continue;
    const weight = WEIGHTS.shape * Math.log(1 + total / takers.length);
    for (const pattern of takers) {
      const entry = scores.get(pattern) ?? { score: 0, shapes: 0 };
      scores.set(pattern, { score: entry.score + weight, shapes: entry.shapes + 1 });
    }
  }
  return scores;
}

/**
 * "block ssh from the iot network", "allow 443 to ...": a port right after a verb that is one of a pattern's own
 * choices (a firewall rule's action "block", "allow") says what the request does, whatever the other words describe.
 */
function actionOnPort(request: string, pattern: Pattern): number {
  const specs = describeParams(pattern);
  if (!specs.some((spec) => spec.format === 'port')) return 0;
  const verbs = specs
    .filter((spec) => spec.kind === 'enum')
    .flatMap((spec) => [...spec.options, ...Object.values(spec.synonyms).flat()])
    .filter((phrase) => !/\s/.test(phrase));
  if (verbs.length === 0) return 0;
  for (const mention of collectMentions(request)) {
    if (mention.kind !== 'number' || mention.role !== 'port') continue;
    const before = tokenize(request.slice(0, mention.start)).slice(-3);
    if (before.some((token) => verbs.some((verb) => token.word === verb.toLowerCase())))
      return WEIGHTS.action;
  }
  return 0;
}

/** Addresses, host names and images are values, not words: "example" in "shop.example.com" says nothing. */
function withoutValues(text: string): string {
  const values = collectMentions(text).filter((mention) =>
    ['image', 'hostname', 'ip', 'cidr', 'path'].includes(mention.kind),
  );
  return blank(text, values);
}

export function scorePatterns(request: string, patterns: readonly Pattern[]): PatternChoice {
  const text = withoutValues(request);
  const tokens = tokenize(text).filter((token) => !isStopword(token.word) && !/^\d/.test(token.word));
  const allTokens = tokenize(text);
  const idf = inverseFrequency(patterns);
  const shapes = shapeScores(request, patterns);
  const ranking: PatternScore[] = [];
  for (const pattern of patterns) {
    const vocabulary = vocabularyOf(pattern);
    let score = 0;
    const matched: string[] = [];
    const seen = new Set<string>();
    for (const token of tokens) {
      const match = bestMatch(token, vocabulary);
      if (!match || seen.has(match.key)) continue;
      seen.add(match.key);
      score += match.weight * idf(match.key);
      matched.push(token.word);
    }
    for (const { phrase, weight } of vocabulary.phrases) {
      if (findPhrase(allTokens, phrase).length > 0) {
        score +=
          WEIGHTS.wholePhrase * weight * Math.max(...phraseWords(phrase).map((word) => idf(stem(word))));
      }
    }
    const shape = shapes.get(pattern);
    if (shape) score += score > 0 || shape.shapes > 1 ? shape.score : shape.score / 2;
    score += actionOnPort(request, pattern);
    if (score > 0) ranking.push({ pattern, score: round(score), matched });
  }
  ranking.sort((a, b) => b.score - a.score);
  const [first, second] = ranking;
  if (!first || first.score < MIN_PATTERN_SCORE) return { ranking, confidence: 0 };
  const lead = second ? (first.score - second.score) / first.score : 1;
  const strength = 1 - Math.exp(-first.score / 6);
  const confidence = round(Math.min(0.99, strength * (0.55 + 0.45 * lead)));
  return { ranking, best: first, confidence };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
