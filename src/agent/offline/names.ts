// Names a user gives things: quoted ("called \"shop\"", 'as "api"'), after naming words ("called blog",
// "named staging", "name it lab"), or the word before what is named ("my shop app", "a blog site").
import { type Finding, isStopword, sameWord, type Token, tokenize } from './text.js';

/** Text in double, single, curly or back quotes. Apostrophes inside words ("can't") are not quotes. */
export function extractQuoted(text: string): Array<Finding<string>> {
  const pattern = /"([^"\n]+)"|“([^”\n]+)”|‘([^’\n]+)’|`([^`\n]+)`|(?<![\w])'([^'\n]+)'(?![\w])/g;
  const findings: Array<Finding<string>> = [];
  for (const match of text.matchAll(pattern)) {
    const value = (match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5])!.trim();
    if (value === '') continue;
    findings.push({ value, start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  return findings;
}

const NAMING =
  /\b(?:called|named|name(?:d)?\s+it|call\s+it|name\s*[:=]|with\s+(?:the\s+)?name|by\s+the\s+name(?:\s+of)?)\s+["'“‘`]?([a-z0-9][a-z0-9._-]*)/gi;

/** "called blog", "named staging", "name it lab", "name: shop". The name only, quotes removed. */
export function extractCalledNames(text: string): Array<Finding<string>> {
  const findings: Array<Finding<string>> = [];
  for (const match of text.matchAll(NAMING)) {
    const value = match[1]!.replace(/[.]+$/, '');
    const start = match.index + match[0].length - match[1]!.length;
    findings.push({ value, start, end: start + value.length, text: value });
  }
  return findings;
}

/** Words too general to be a name even right before "app" or "server": "a web app", "my new service". */
const GENERIC = new Set(
  (
    'web new simple small little big large basic tiny default test sample demo custom ' +
    'load balanced load-balanced containerized docker dockerized node nodejs python django rails react static ' +
    'public private internal local home remote cloud main dedicated personal another ' +
    'single multiple few several first second other same existing current old different ' +
    'server servers service instance instances container containers cluster network app application site website'
  ).split(/\s+/),
);

/**
 * Names that stand right before one of the given nouns: "deploy my shop app" → shop (noun "app"). Words that only
 * describe ("web", "new", "my") and numbers are not names.
 */
export function extractNamesBefore(text: string, nouns: readonly string[]): Array<Finding<string>> {
  const tokens = tokenize(text);
  const findings: Array<Finding<string>> = [];
  tokens.forEach((token: Token, index) => {
    if (index === 0 || !isNoun(token.word, nouns)) return;
    const candidate = tokens[index - 1]!;
    if (!isNameLike(candidate.word)) return;
    // Only when nothing but a space or hyphen stands between: "shop app", not "shop, app".
    if (!/^[\s-]*$/.test(text.slice(candidate.end, token.start))) return;
    findings.push({
      value: candidate.word,
      start: candidate.start,
      end: candidate.end,
      text: candidate.word,
    });
  });
  return findings;
}

/**
 * Names that stand right after one of the given nouns, before a preposition or the end: "deploy app portal to ..." →
 * portal. Describing words and numbers are not names.
 */
export function extractNamesAfter(text: string, nouns: readonly string[]): Array<Finding<string>> {
  const tokens = tokenize(text);
  const findings: Array<Finding<string>> = [];
  tokens.forEach((token: Token, index) => {
    const candidate = tokens[index + 1];
    if (!candidate || !isNoun(token.word, nouns) || !isNameLike(candidate.word)) return;
    if (!/^\s+$/.test(text.slice(token.end, candidate.start))) return;
    const next = tokens[index + 2];
    const after = text.slice(candidate.end, next?.start ?? text.length);
    if (next && !/[,.;:!?]/.test(after) && !isStopword(next.word)) return;
    findings.push({
      value: candidate.word,
      start: candidate.start,
      end: candidate.end,
      text: candidate.word,
    });
  });
  return findings;
}

/** One of the nouns, in another form or with one typo ("apps", "aplication"). */
function isNoun(word: string, nouns: readonly string[]): boolean {
  return nouns.some((noun) => sameWord(word, noun));
}

export function isNameLike(word: string): boolean {
  return /^[a-z][a-z0-9_-]*$/i.test(word) && !isStopword(word) && !GENERIC.has(word.toLowerCase());
}
