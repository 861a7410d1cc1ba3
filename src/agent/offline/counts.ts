// How many of something: "3 replicas", "ten players", "a 3-node cluster", "for me and 4 friends" (5), "the four of us",
// "me and my wife" (2), "my phone and laptop" (2, when the caller says phones and laptops are what is counted), and
// ranges ("2 to 10").
import { normalizeNumberWords } from './numbers.js';
import { type Finding, isStopword, sameWord, tokenize } from './text.js';

export interface CountFinding extends Finding<number> {
  /** The word counted, as written ("replicas", "friends"); "people" for "of us". */
  noun: string;
  /** "2 more players", "3 extra nodes": relative to what there is. */
  more?: boolean;
}

/** Words that may stand between a number and what it counts: "10 concurrent players", "3 more nodes". */
const FILLERS =
  'concurrent|simultaneous|more|extra|additional|total|separate|different|other|active|online|max|maximum|min|minimum|small|big|large|worker|web|app|database|db';
const MORE = /^(?:more|extra|additional)$/i;
const PEOPLE =
  'friends?|buddies|buddy|mates?|pals?|others?|people|ppl|players?|persons?|guys|kids|colleagues|users?';

const NUMBER_THEN_NOUN = new RegExp(`(?<![\\w.:/-])(\\d+)(?:\\s+|-)((?:(?:${FILLERS})\\s+)?)([a-z]+)`, 'gi');
const ME_AND = new RegExp(
  `\\b(?:me|myself|i)\\s*(?:and|&|\\+|plus)\\s*(?:my\\s+|another\\s+)?(\\d+|an?|one)(?:\\s+(?:other\\s+)?(${PEOPLE})\\b|(?=\\s*(?:[,.;!?)]|$)))`,
  'gi',
);
const AND_ME = new RegExp(
  `(?<![\\w.])(\\d+)\\s+(?:of\\s+)?(?:my\\s+)?(${PEOPLE})\\s+(?:and|&|\\+|plus)\\s+(?:me|myself|i)\\b`,
  'gi',
);
/** "my son and his 3 friends", "Anna and her 2 sisters": one person and the people they bring. */
const ONE_AND_THEIRS = new RegExp(
  `\\b(?:my\\s+)?[a-z]+\\s+(?:and|&|\\+|plus)\\s+(?:his|her|their)\\s+(\\d+)\\s+(?:other\\s+)?(${PEOPLE}|[a-z]+s)\\b`,
  'gi',
);
/** One named person besides the speaker: "me and my wife", "my brother and I" (2). */
const RELATIVE =
  'wife|husband|partner|spouse|girlfriend|boyfriend|fianc[eé]e?|son|daughter|kid|child|brother|sister|mom|mum|mother|dad|father|roommate|flatmate|housemate|friend|buddy|colleague|coworker|cousin';
const ME_AND_ONE = new RegExp(
  `\\b(?:me|myself|i)\\s*(?:and|&|\\+|plus)\\s*my\\s+(?:${RELATIVE})\\b(?!\\s*(?:and|&|,))|\\bmy\\s+(?:${RELATIVE})\\s+(?:and|&)\\s+(?:me|i|myself)\\b`,
  'gi',
);
const OF_US =
  /\b(?:the\s+)?(\d+)\s+of\s+(?:us|them)\b|\bwe\s+are\s+(\d+)\b|\bthere\s+are\s+(\d+)\s+of\s+(?:us|them)\b/gi;

export function extractCounts(input: string): CountFinding[] {
  const text = normalizeNumberWords(input);
  const findings: CountFinding[] = [];
  const add = (finding: CountFinding) => {
    if (findings.some((other) => other.start < finding.end && finding.start < other.end)) return;
    findings.push(finding);
  };
  for (const match of text.matchAll(ME_AND)) {
    const others = /^\d+$/.test(match[1]!) ? Number(match[1]) : 1;
    add(counted(match, others + 1, match[2] ?? 'people'));
  }
  for (const match of text.matchAll(AND_ME)) add(counted(match, Number(match[1]) + 1, match[2]!));
  for (const match of text.matchAll(ME_AND_ONE)) add(counted(match, 2, 'people'));
  for (const match of text.matchAll(ONE_AND_THEIRS)) add(counted(match, Number(match[1]) + 1, match[2]!));
  for (const match of text.matchAll(OF_US)) {
    add(counted(match, Number(match[1] ?? match[2] ?? match[3]), 'people'));
  }
  for (const match of text.matchAll(NUMBER_THEN_NOUN)) {
    const filler = match[2]!.trim();
    const noun = match[3]!;
    if (/^(?:gb|tb|mb|gigs?|g|t|x|am|pm|min|max|minimum|maximum)$/i.test(noun) || isStopword(noun)) continue;
    add({
      ...counted(match, Number(match[1]), noun),
      ...(MORE.test(filler) ? { more: true } : {}),
    });
  }
  return findings.sort((a, b) => a.start - b.start);
}

function counted(match: RegExpMatchArray, value: number, noun: string): CountFinding {
  return { value, noun, start: match.index!, end: match.index! + match[0].length, text: match[0] };
}

/**
 * Things listed one by one, each one of the given nouns: "my phone, laptop and tablet" → 3, "2 phones and a laptop"
 * → 3. Only runs of at least two items, so a lone "my phone" is left to the ordinary count rules.
 */
export function extractListedCount(input: string, nouns: readonly string[]): CountFinding | undefined {
  if (nouns.length === 0) return undefined;
  const text = normalizeNumberWords(input);
  const tokens = tokenize(text);
  const isNoun = (word: string) => nouns.some((noun) => sameWord(word, noun));
  const determiners = /^(?:a|an|my|our|the|his|her|their|one|another|\d+)$/;
  const joiners = /^(?:and|plus)$/;
  let best: CountFinding | undefined;
  for (let first = 0; first < tokens.length; first += 1) {
    let index = first;
    let total = 0;
    let items = 0;
    let end = -1;
    while (index < tokens.length) {
      let amount = 1;
      let cursor = index;
      if (determiners.test(tokens[cursor]!.word)) {
        if (/^\d+$/.test(tokens[cursor]!.word)) amount = Number(tokens[cursor]!.word);
        cursor += 1;
      }
      if (cursor < tokens.length && !isNoun(tokens[cursor]!.word) && cursor + 1 < tokens.length) {
        // One describing word is fine: "my work laptop".
        if (isNoun(tokens[cursor + 1]!.word)) cursor += 1;
      }
      if (cursor >= tokens.length || !isNoun(tokens[cursor]!.word)) break;
      total += amount;
      items += 1;
      end = tokens[cursor]!.end;
      index = cursor + 1;
      const between = text.slice(tokens[cursor]!.end, tokens[index]?.start ?? text.length);
      if (index < tokens.length && joiners.test(tokens[index]!.word)) index += 1;
      else if (!/^\s*[,&+/]\s*$/.test(between)) break;
    }
    if (items >= 2 && (best === undefined || total > best.value)) {
      const start = tokens[first]!.start;
      best = { value: total, noun: nouns[0]!, start, end, text: text.slice(start, end) };
    }
  }
  return best;
}

export interface RangeFinding extends Finding<[number, number]> {
  /** The word after the range, if any: "2 to 10 instances" → "instances". */
  noun?: string;
}

/** "between 2 and 10 instances", "2-10 replicas", "from 3 to 6 nodes". */
export function extractRanges(input: string): RangeFinding[] {
  const text = normalizeNumberWords(input);
  const pattern =
    /(?<![\w.:/-])(?:between\s+(\d+)\s+and\s+(\d+)|(?:from\s+)?(\d+)\s*(?:-|–|to)\s*(\d+))(?![\d.:/])(?:\s+([a-z]+))?/gi;
  const findings: RangeFinding[] = [];
  for (const match of text.matchAll(pattern)) {
    const low = Number(match[1] ?? match[3]);
    const high = Number(match[2] ?? match[4]);
    if (!(low < high)) continue;
    // "from 10.0.0.1 to ..." is not a range; neither are dates.
    if (/^\d+-\d+-\d/.test(text.slice(match.index))) continue;
    const noun = match[5];
    const end = noun ? match.index + match[0].length - noun.length : match.index + match[0].length;
    findings.push({
      value: [low, high],
      start: match.index,
      end: end,
      text: text.slice(match.index, end).trim(),
      ...(noun ? { noun } : {}),
    });
  }
  return findings;
}
