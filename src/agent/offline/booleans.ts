// Yes/no settings from phrases: each boolean parameter lists phrases that mean true ("isolated", "remote access")
// and phrases that mean false ("LAN only", "no redis"). A negation before a phrase flips it ("not isolated" when only
// "isolated" is listed, "without internet", "don't make it public"). The last phrase said wins ("public... actually
// private").
import { isNegated } from './choices.js';
import { type Finding, findPhrase, tokenize } from './text.js';

export interface BooleanPhrases {
  whenTrue?: readonly string[];
  whenFalse?: readonly string[];
}

export interface BooleanOptions {
  /** More words that negate a phrase after them (a modify request's "remove", "turn off"). */
  extraNegators?: readonly string[];
}

const NEGATORS = [
  'no',
  'not',
  'without',
  'never',
  'nor',
  'disable',
  'disabled',
  'skip',
  'minus',
  "don't",
  'dont',
  'do not',
  "doesn't",
  'does not',
  "shouldn't",
  'should not',
  "won't",
  'will not',
  "isn't",
  'is not',
  "aren't",
  'no need for',
  "don't need",
  "don't want",
  'turn off',
  'switch off',
  'instead of',
  'rather than',
];

/** Phrases kept apart from negation: "not be public" is caught by "not" with "be" allowed between. */
const BETWEEN =
  /^(?:a|an|the|any|be|it|need|want|have|give|make|with|use|using|run|enable|allow|expose|too|so|that|this|really|want|to)$/;

export function extractBoolean(
  text: string,
  phrases: BooleanPhrases,
  options: BooleanOptions = {},
): Finding<boolean> | undefined {
  const tokens = tokenize(text);
  const negators = [...NEGATORS, ...(options.extraNegators ?? [])];
  const candidates: Array<Finding<boolean> & { words: number; first: number }> = [];
  for (const [value, list] of [
    [true, phrases.whenTrue ?? []],
    [false, phrases.whenFalse ?? []],
  ] as const) {
    for (const phrase of list) {
      for (const match of findPhrase(tokens, phrase, { exact: phrase.length < 4, fillers: true })) {
        candidates.push({
          value,
          start: match.start,
          end: match.end,
          text: text.slice(match.start, match.end),
          words: match.last - match.first,
          first: match.first,
        });
      }
    }
  }
  // Longest phrase first, so "no redis" hides the "redis" inside it.
  candidates.sort((a, b) => b.words - a.words || b.end - b.start - (a.end - a.start));
  const kept: typeof candidates = [];
  for (const candidate of candidates) {
    if (kept.some((other) => other.start < candidate.end && candidate.start < other.end)) continue;
    kept.push(candidate);
  }
  if (kept.length === 0) return undefined;
  kept.sort((a, b) => a.start - b.start);
  const last = kept[kept.length - 1]!;
  const negated = negatedWithin(text, tokens, last.first, negators);
  const { words: _words, first: _first, ...finding } = last;
  return negated ? { ...finding, value: !finding.value } : finding;
}

function negatedWithin(
  text: string,
  tokens: ReturnType<typeof tokenize>,
  index: number,
  negators: readonly string[],
): boolean {
  if (isNegated(tokens, index, negators, text)) return true;
  // "should not be public", "don't want it to be public": a negator a few filler words back, in the same clause.
  for (let back = 1; back <= 5 && index - back >= 0; back += 1) {
    if (/[,.;:!?]/.test(text.slice(tokens[index - back]!.end, tokens[index - back + 1]!.start))) return false;
    const word = tokens[index - back]!.word;
    if (
      negators.some(
        (negator) => negator.split(/\s+/).at(-1) === word && endsWithNegator(tokens, index - back, negator),
      )
    ) {
      return tokens.slice(index - back + 1, index).every((token) => BETWEEN.test(token.word));
    }
    if (!BETWEEN.test(word)) return false;
  }
  return false;
}

function endsWithNegator(tokens: ReturnType<typeof tokenize>, last: number, negator: string): boolean {
  const words = negator.split(/\s+/);
  const first = last - words.length + 1;
  if (first < 0) return false;
  return (
    tokens
      .slice(first, last + 1)
      .map((token) => token.word)
      .join(' ') === negator
  );
}
