// Enum values by their names and synonyms ("postgresql", "pg" → postgres; "mongo" → mongodb), one or a list
// ("postgres and mongo"), with negation ("no mysql", "without mongo", "instead of plex") and typos ("postgress").
import { type Finding, findPhrase, type Token, tokenize } from './text.js';

export interface ChoiceFinding extends Finding<string> {
  /** Said as unwanted: "no mongo", "not mysql", "instead of plex", "remove redis". */
  negated: boolean;
  /** Matched the option's own name rather than a synonym. */
  exact: boolean;
}

export interface ChoiceOptions {
  /** Also read these words before a value as negation (a modify request's "remove", "drop"). */
  extraNegators?: readonly string[];
}

/** Words that, just before a value, mean the user does not want it. */
const NEGATORS = [
  'no',
  'not',
  'without',
  'except',
  'minus',
  'instead of',
  'rather than',
  'other than',
  "don't",
  'dont',
  "don't need",
  "don't want",
  'do not',
  'never',
  'nor',
  'skip',
  'exclude',
  'excluding',
  'disable',
  'no need for',
];

/** Every mention of an option, longest phrase first where two overlap, in text order. */
export function extractChoices(
  text: string,
  options: readonly string[],
  synonyms: Readonly<Record<string, readonly string[]>> = {},
  choiceOptions: ChoiceOptions = {},
): ChoiceFinding[] {
  const tokens = tokenize(text);
  const candidates: Array<ChoiceFinding & { words: number }> = [];
  for (const option of options) {
    const phrases = new Set([option, option.replace(/[-_]/g, ' '), ...(synonyms[option] ?? [])]);
    for (const phrase of phrases) {
      const exact = phrase === option || phrase === option.replace(/[-_]/g, ' ');
      // Short names must be written exactly: "pg" is not "pc", "any" is not "an".
      for (const match of findPhrase(tokens, phrase, { exact: phrase.length < 4 })) {
        candidates.push({
          value: option,
          start: match.start,
          end: match.end,
          text: text.slice(match.start, match.end),
          negated: isNegated(
            tokens,
            match.first,
            [...NEGATORS, ...(choiceOptions.extraNegators ?? [])],
            text,
          ),
          exact,
          words: match.last - match.first,
        });
      }
    }
  }
  candidates.sort((a, b) => b.words - a.words || b.end - b.start - (a.end - a.start));
  const kept: ChoiceFinding[] = [];
  for (const { words: _words, ...candidate } of candidates) {
    if (kept.some((other) => other.start < candidate.end && candidate.start < other.end)) continue;
    kept.push(candidate);
  }
  kept.sort((a, b) => a.start - b.start);
  // "no mysql or mongo": a value joined by "or" / "nor" to a negated one is negated too.
  for (let index = 1; index < kept.length; index += 1) {
    const between = text.slice(kept[index - 1]!.end, kept[index]!.start);
    if (kept[index - 1]!.negated && /^\s*,?\s*(?:or|nor)\s*$/i.test(between)) kept[index]!.negated = true;
  }
  return kept;
}

/**
 * The one option a request means: wanted mentions only; a value after "to" or "instead" wins over one after "from"
 * ("switch from plex to jellyfin"); then the option's own name over a synonym; then the first said.
 */
export function chooseOne(text: string, findings: readonly ChoiceFinding[]): ChoiceFinding | undefined {
  const wanted = findings.filter((finding) => !finding.negated);
  if (wanted.length === 0) return undefined;
  const before = (finding: ChoiceFinding) =>
    text.slice(Math.max(0, finding.start - 8), finding.start).toLowerCase();
  const after = (finding: ChoiceFinding) => text.slice(finding.end, finding.end + 10).toLowerCase();
  const rank = (finding: ChoiceFinding) =>
    (/\b(?:to|into|for)\s+$/.test(before(finding)) || /^\s+instead\b/.test(after(finding)) ? 4 : 0) +
    (/\bfrom\s+$/.test(before(finding)) && wanted.length > 1 ? -4 : 0) +
    (finding.exact ? 2 : 0);
  return [...wanted].sort((a, b) => rank(b) - rank(a) || a.start - b.start)[0];
}

/** The options a request lists as wanted, once each, in the order said: "postgres and mongo" → postgres, mongodb. */
export function chooseMany(findings: readonly ChoiceFinding[]): string[] {
  const values: string[] = [];
  for (const finding of findings) {
    if (!finding.negated && !values.includes(finding.value)) values.push(finding.value);
  }
  return values;
}

/**
 * Whether one of the negators stands just before the token at `index`: directly, or with up to two filler words
 * between ("without a", "don't need any"). Any other word, or punctuation when `text` is given, ends the reach.
 */
export function isNegated(
  tokens: readonly Token[],
  index: number,
  negators: readonly string[],
  text?: string,
): boolean {
  for (const negator of negators) {
    const words = negator.split(/\s+/).length;
    for (let gap = 0; gap <= 2; gap += 1) {
      const first = index - words - gap;
      if (first < 0) continue;
      const phrase = tokens
        .slice(first, first + words)
        .map((token) => token.word)
        .join(' ');
      if (phrase !== negator) continue;
      const between = tokens.slice(first + words, index).map((token) => token.word);
      // A comma or full stop ends the reach: "no, postgres".
      if (
        text !== undefined &&
        /[,.;:!?]/.test(text.slice(tokens[first + words - 1]!.end, tokens[index]!.start))
      )
        continue;
      if (
        between.every((word) =>
          /^(?:a|an|the|any|need|want|use|using|run|with|more|or|nor|either|my)$/.test(word),
        )
      ) {
        return true;
      }
    }
  }
  return false;
}
