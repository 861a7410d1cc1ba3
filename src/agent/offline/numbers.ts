// Numbers as people write them: digits, words ("ten", "twenty-five", "two hundred"), and quantities ("a dozen",
// "a couple of", "a pair of"). Number words are rewritten as digits first, so every other extractor only reads digits.
import type { Finding } from './text.js';

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, dozen: 12 };

/** Fixed phrases for small quantities, longest first. */
const QUANTITIES: Array<[RegExp, number]> = [
  [/^half\s+a\s+dozen$/i, 6],
  [/^a\s+dozen$/i, 12],
  [/^a\s+couple(?:\s+of)?$/i, 2],
  [/^couple\s+of$/i, 2],
  [/^a\s+pair\s+of$/i, 2],
  [/^a\s+single$/i, 1],
  [/^a\s+hundred$/i, 100],
  [/^a\s+thousand$/i, 1000],
];

const NUMBER_WORD = `(?:${[...Object.keys(UNITS), ...Object.keys(TENS), ...Object.keys(SCALES)].join('|')})`;
const NUMBER_WORDS = new RegExp(
  `\\b(?:half\\s+a\\s+dozen|a\\s+dozen|a\\s+couple(?:\\s+of)?|couple\\s+of|a\\s+pair\\s+of|a\\s+single|a\\s+hundred|a\\s+thousand|${NUMBER_WORD}(?:(?:\\s+|-)(?:and\\s+)?${NUMBER_WORD})*)\\b`,
  'gi',
);

/**
 * Reads a run of number words as one or more numbers: "twenty five" → [25], "two hundred and fifty" → [250],
 * "one two" → [1, 2] (a sequence that cannot be one number is several).
 */
export function parseNumberWords(phrase: string): number[] {
  const trimmed = phrase.trim();
  for (const [pattern, value] of QUANTITIES) if (pattern.test(trimmed)) return [value];
  const words = trimmed
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((word) => word !== 'and');
  const numbers: number[] = [];
  let total = 0;
  let current = 0;
  let started = false;
  let previous: 'unit' | 'teen' | 'ten' | 'hundred' | 'thousand' | undefined;
  const flush = () => {
    if (started) numbers.push(total + current);
    total = 0;
    current = 0;
    started = false;
    previous = undefined;
  };
  for (const word of words) {
    if (word in UNITS) {
      const value = UNITS[word]!;
      const kind = value < 10 ? 'unit' : 'teen';
      const follows = previous === undefined || previous === 'hundred' || previous === 'thousand';
      const afterTen = previous === 'ten' && kind === 'unit';
      if (!follows && !afterTen) flush();
      current += value;
      previous = kind;
    } else if (word in TENS) {
      if (!(previous === undefined || previous === 'hundred' || previous === 'thousand')) flush();
      current += TENS[word]!;
      previous = 'ten';
    } else if (word === 'hundred' || word === 'dozen') {
      if (previous === 'hundred' || previous === 'thousand') flush();
      current = (current || 1) * SCALES[word]!;
      previous = 'hundred';
    } else if (word === 'thousand') {
      if (previous === 'thousand') flush();
      total += (current || 1) * 1000;
      current = 0;
      previous = 'thousand';
    } else {
      continue;
    }
    started = true;
  }
  flush();
  return numbers;
}

/**
 * Rewrites number words as digits, leaving quoted text alone: "ten players on vlan twenty" → "10 players on vlan 20".
 * Idempotent, so every extractor may call it on text that was already rewritten.
 */
export function normalizeNumberWords(text: string): string {
  const quoted = quotedSpans(text);
  return text.replace(NUMBER_WORDS, (match, offset: number) => {
    if (quoted.some((span) => offset >= span.start && offset < span.end)) return match;
    const numbers = parseNumberWords(match);
    return numbers.length > 0 ? numbers.join(' ') : match;
  });
}

function quotedSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const match of text.matchAll(/"[^"]*"|“[^”]*”|(?<![\w])'[^']*'(?![\w])/g)) {
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/**
 * Every number in the text, in digits or words ("ten", "a dozen"). Parts of dotted addresses and versions are not
 * numbers of their own ("10.0.0.5" gives none, "8.0" gives 8); a number glued to a unit ("8GB") still counts.
 */
export function extractNumbers(input: string): Array<Finding<number>> {
  const text = normalizeNumberWords(input);
  const findings: Array<Finding<number>> = [];
  for (const match of text.matchAll(/(?<![\w.:/-])\d+(?:\.\d+)?(?![\d.]*\.\d)(?![\d])/g)) {
    // Not a piece of a dotted quad, a date or a time of day.
    const after = text.slice(match.index + match[0].length);
    if (/^[-/]\d/.test(after) || /^:\d/.test(after)) continue;
    findings.push({
      value: Number(match[0]),
      start: match.index,
      end: match.index + match[0].length,
      text: match[0],
    });
  }
  return findings;
}
