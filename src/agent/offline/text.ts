// Word-level tools the offline parser is built on: tokens with their place in the text, a small stemmer, typo-tolerant
// word comparison, and phrase search. Everything else in src/agent/offline reads requests through these.

export interface Token {
  /** The word as written, lower-cased, apostrophes kept ("can't"). */
  word: string;
  /** The word reduced to its stem, for comparing "players" with "player" and "isolated" with "isolate". */
  stem: string;
  /** Character offsets in the text the token came from. */
  start: number;
  end: number;
}

/** A stretch of the text: character offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A value found in the text, and where. */
export interface Finding<T> extends Span {
  value: T;
  /** The text it was read from. */
  text: string;
}

const TOKEN = /[a-z0-9]+(?:['’][a-z]+)*/gi;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const word = match[0].toLowerCase().replace(/’/g, "'");
    tokens.push({ word, stem: stem(word), start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

/**
 * A light suffix-stripping stemmer: enough that plurals, -ing, -ed and a final e meet ("nodes"/"node",
 * "isolated"/"isolate", "gaming"/"game"), applied the same way to both sides of every comparison.
 */
export function stem(input: string): string {
  let word = input
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/['’]/g, '');
  if (/^\d/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) word = `${word.slice(0, -3)}y`;
  else if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
  if (word.length > 5 && word.endsWith('ing')) word = word.slice(0, -3);
  else if (word.length > 4 && word.endsWith('ed')) word = word.slice(0, -2);
  if (word.length > 3 && /([^aeioulsz])\1$/.test(word)) word = word.slice(0, -1);
  if (word.length > 3 && word.endsWith('e')) word = word.slice(0, -1);
  return word;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each count 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row += 1) {
    for (let column = 1; column < columns; column += 1) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(
        table[row - 1]![column]! + 1,
        table[row]![column - 1]! + 1,
        table[row - 1]![column - 1]! + cost,
      );
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        best = Math.min(best, table[row - 2]![column - 2]! + 1);
      }
      table[row]![column] = best;
    }
  }
  return table[rows - 1]![columns - 1]!;
}

/** Words this long or longer may carry one typo and still match ("minecarft", "valhiem", "replcias"). */
export const TYPO_MIN_LENGTH = 5;

/** Whether a written word means a known word: same stem, or one typo away when both are long enough. */
export function sameWord(written: string, known: string): boolean {
  const a = written.toLowerCase();
  const b = known.toLowerCase();
  if (a === b) return true;
  if (/\d/.test(a) || /\d/.test(b)) return false;
  const stemA = stem(a);
  const stemB = stem(b);
  if (stemA === stemB) return true;
  if (a.length >= TYPO_MIN_LENGTH && b.length >= TYPO_MIN_LENGTH) {
    const close = (x: string, y: string) => Math.abs(x.length - y.length) <= 1 && editDistance(x, y) <= 1;
    return close(a, b) || (stemA.length >= TYPO_MIN_LENGTH && close(stemA, stemB));
  }
  return false;
}

/** The words of a phrase, as tokens would hold them ("dev-env" → dev, env). */
export function phraseWords(phrase: string): string[] {
  return tokenize(phrase).map((token) => token.word);
}

export interface PhraseMatch extends Span {
  /** Index of the first token of the match, and one past the last. */
  first: number;
  last: number;
}

/**
 * Every place the phrase occurs in the tokens, word by word (stem and typo tolerant). A one-word phrase also matches
 * the same letters written together with hyphens removed ("devenv" matches "dev env" only as a two-word phrase).
 */
export function findPhrase(
  tokens: readonly Token[],
  phrase: string,
  options: { exact?: boolean; fillers?: boolean } = {},
): PhraseMatch[] {
  const words = phraseWords(phrase);
  if (words.length === 0) return [];
  const matches: PhraseMatch[] = [];
  const equal = options.exact ? (a: string, b: string) => a === b : sameWord;
  for (let first = 0; first + words.length <= tokens.length; first += 1) {
    let cursor = first;
    let ok = true;
    for (let offset = 0; offset < words.length; offset += 1) {
      // With fillers, one article or possessive may stand between two words: "block its internet".
      if (offset > 0 && options.fillers && cursor < tokens.length && FILLERS.has(tokens[cursor]!.word)) {
        if (!equal(tokens[cursor]!.word, words[offset]!)) cursor += 1;
      }
      if (cursor >= tokens.length || !equal(tokens[cursor]!.word, words[offset]!)) {
        ok = false;
        break;
      }
      cursor += 1;
    }
    if (ok) matches.push({ first, last: cursor, start: tokens[first]!.start, end: tokens[cursor - 1]!.end });
  }
  return matches;
}

const FILLERS = new Set(['the', 'its', 'their', 'my', 'our', 'your', 'a', 'an', 'all', 'any', 'his', 'her']);

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The index of the first token that starts at or after a character offset (tokens.length when none does). */
export function tokenIndexAt(tokens: readonly Token[], offset: number): number {
  const index = tokens.findIndex((token) => token.end > offset);
  return index === -1 ? tokens.length : index;
}

/** Token indices covered by a span: [first, last). */
export function tokenRange(tokens: readonly Token[], span: Span): { first: number; last: number } {
  const first = tokenIndexAt(tokens, span.start);
  let last = first;
  while (last < tokens.length && tokens[last]!.start < span.end) last += 1;
  return { first, last };
}

/** Replaces a span with spaces, so offsets of everything else stay where they were. */
export function blank(text: string, spans: readonly Span[]): string {
  let result = text;
  for (const span of spans) {
    result = result.slice(0, span.start) + ' '.repeat(span.end - span.start) + result.slice(span.end);
  }
  return result;
}

/** Splits camelCase, snake_case and kebab-case names into lower-case words: vlanTag → vlan, tag. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/**
 * Words that carry no meaning for choosing a pattern or naming a parameter: articles, pronouns, prepositions,
 * auxiliaries and the verbs every request uses ("deploy", "set up", "need").
 */
export const STOPWORDS = new Set(
  (
    'a an the and or but if then so to of in on at by for with from as into onto over under about via per ' +
    'i me my mine we us our you your it its this that these those there here he she they them their ' +
    'is are was were be been being am do does did done have has had having will would can could should shall may might must ' +
    'please pls thanks thank hey hi hello ok okay just also too very really some any all each every ' +
    'not no yes up down out off new own one two more most less much many lot lots ' +
    'deploy deployed deploying set setup create make made give get got put run running start spin build launch provision ' +
    'want wanted need needed like would love let lets go going use using add adding install configure bring stand ' +
    'which what when where who how why whatever something thing things stuff kind sort ' +
    "i'm i'd i'll i've it's that's what's let's don't doesn't can't won't isn't aren't " +
    'e g eg etc when not given default'
  ).split(/\s+/),
);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}
