// Which existing deployment a request is about: one named in it ("dev-env", "the shop app"), one whose parameters it
// mentions ("the minecraft server" → the deployment with game: minecraft), one of the pattern it describes ("the vpn"),
// or the one the conversation is about ("it", "that"). With no deployments to match, the words naming the object are
// the target ("tear down the minecraft server" → minecraft).
import type { KnownDeployment } from '../intent-model.js';
import type { Pattern } from '../pattern.js';
import { scorePatterns } from './choose-pattern.js';
import { extractCidrs, extractHostnames, extractIPv4s } from './network.js';
import { findPhrase, isStopword, overlaps, phraseWords, type Span, sameWord, tokenize } from './text.js';

export interface TargetMatch {
  name: string;
  /** Where the text names it; empty when it came from the conversation's focus. */
  spans: Span[];
  how: 'name' | 'param' | 'pattern' | 'focus' | 'text';
  /** Another deployment matched as well as this one. */
  ambiguous?: string[];
}

/** Nouns that say what kind of thing, not which one: "the shop app", "the minecraft server". */
const GENERIC_NOUNS = new Set(
  (
    'server servers service services app apps application deployment deployments instance instances stack environment env ' +
    'network net cluster site website thing one setup box vm machine container containers project system stuff'
  ).split(' '),
);
const PRONOUN = /\b(?:it|its|it's|that|this|them|those|these|same)\b/i;

/** Words in a deployment's parameters that identify it ("minecraft", "shop", "shop.example.com"). */
function paramWords(deployment: KnownDeployment): string[] {
  const words: string[] = [];
  for (const value of Object.values(deployment.params ?? {})) {
    if (typeof value === 'string' && value.length >= 3 && !/^\d/.test(value) && !value.includes('*'))
      words.push(value);
  }
  return words;
}

/**
 * The first label of a host name the deployment has, said on its own ("the nas" for nas.example.org) or spelled out
 * by its initials ("home assistant" for ha.example.com).
 */
function hostLabelMatches(
  text: string,
  tokens: ReturnType<typeof tokenize>,
  deployment: KnownDeployment,
  addresses: readonly Span[],
): Span[] {
  const spans: Span[] = [];
  for (const value of Object.values(deployment.params ?? {})) {
    if (typeof value !== 'string' || !/^[a-z][a-z0-9-]*\.[a-z0-9.-]+$/i.test(value)) continue;
    const label = value.split('.')[0]!.toLowerCase();
    if (label.length < 2 || isStopword(label) || GENERIC_NOUNS.has(label)) continue;
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index]!;
      if (addresses.some((address) => overlaps(address, token))) continue;
      if (label.length >= 3 && token.word === label) spans.push({ start: token.start, end: token.end });
      const run = tokens.slice(index, index + label.length);
      if (
        label.length >= 2 &&
        run.length === label.length &&
        run.every((word, offset) => word.word.length > 1 && word.word[0] === label[offset]) &&
        run.every(
          (word, offset) => offset === 0 || /^\s+$/.test(text.slice(run[offset - 1]!.end, word.start)),
        ) &&
        !run.some((word) => isStopword(word.word))
      ) {
        spans.push({ start: run[0]!.start, end: run.at(-1)!.end });
      }
    }
  }
  return spans;
}

export function findTarget(
  text: string,
  deployments: readonly KnownDeployment[],
  patterns: readonly Pattern[],
  focus?: KnownDeployment,
): TargetMatch | undefined {
  const tokens = tokenize(text);
  // Addresses and host names are matched whole, never by their pieces: the "0" of "203.0.113.0/24" is no part of
  // a deployment called "rule-...-10-0-0-5".
  const addresses: Span[] = [...extractCidrs(text), ...extractIPv4s(text), ...extractHostnames(text)];
  let choice: ReturnType<typeof scorePatterns> | undefined;
  const scored: Array<{
    deployment: KnownDeployment;
    score: number;
    spans: Span[];
    how: TargetMatch['how'];
  }> = [];
  for (const deployment of deployments) {
    let best = 0;
    let spans: Span[] = [];
    let how: TargetMatch['how'] = 'name';
    const nameMatches = findPhrase(tokens, deployment.name);
    const joined = deployment.name.replace(/[-_.]/g, '').toLowerCase();
    const joinedMatches = tokens.filter((token) => token.word === joined);
    if (nameMatches.length > 0 || joinedMatches.length > 0) {
      best = 20 + phraseWords(deployment.name).length;
      spans = [...nameMatches, ...joinedMatches].map((match) => ({ start: match.start, end: match.end }));
    } else {
      // Some of the name's own words: "the shop" for "shop-prod".
      const parts = phraseWords(deployment.name).filter(
        (word) => !isStopword(word) && !GENERIC_NOUNS.has(word),
      );
      const partMatches = parts
        .flatMap((word) => findPhrase(tokens, word))
        .filter((match) => !addresses.some((address) => overlaps(address, match)));
      if (partMatches.length > 0) {
        best = 8 + partMatches.length;
        spans = partMatches.map((match) => ({ start: match.start, end: match.end }));
      }
    }
    for (const word of paramWords(deployment)) {
      const matches = findPhrase(tokens, word);
      if (matches.length > 0 && best < 10) {
        best = 10;
        spans = matches.map((match) => ({ start: match.start, end: match.end }));
        how = 'param';
      }
    }
    if (best < 9.5) {
      // Above a single word of another deployment's name ("home" of home-vpn), below its whole name or a parameter.
      const label = hostLabelMatches(text, tokens, deployment, addresses);
      if (label.length > 0) {
        best = 9.5;
        spans = label;
        how = 'param';
      }
    }
    if (best === 0 && deployment.pattern) {
      const pattern = patterns.find((candidate) => candidate.name === deployment.pattern);
      if (pattern) {
        choice ??= scorePatterns(text, patterns);
        if (choice.best?.pattern === pattern) {
          best = 5;
          how = 'pattern';
        }
      }
    }
    if (best > 0) scored.push({ deployment, score: best, spans, how });
  }
  scored.sort((a, b) => b.score - a.score);
  const [first, second] = scored;
  if (first) {
    if (focus && first.how === 'pattern' && focus.pattern === first.deployment.pattern) {
      return { name: focus.name, spans: [], how: 'focus' };
    }
    const tied = scored.filter((entry) => entry.score === first.score && entry !== first);
    if (focus && tied.some((entry) => entry.deployment.name === focus.name)) {
      return { name: focus.name, spans: [], how: 'focus' };
    }
    return {
      name: first.deployment.name,
      spans: first.spans,
      how: first.how,
      ...(second && second.score === first.score
        ? { ambiguous: tied.map((entry) => entry.deployment.name) }
        : {}),
    };
  }
  if (focus) return { name: focus.name, spans: [], how: 'focus' };
  return undefined;
}

/**
 * The object of the request in its own words, for when no deployment is known: "delete dev-env" → dev-env, "tear down
 * the minecraft server" → minecraft, "my shop app is down" → shop. With `after` (the end of the verb), the first
 * content words after it; otherwise a word the patterns know ("jellyfin" in "why can't I connect to jellyfin"), then
 * the first content words. Undefined for "it" and "everything".
 */
export function targetFromText(
  text: string,
  options: {
    after?: number;
    vocabulary?: readonly string[];
    requireDeterminer?: boolean;
    /** Words that name parameters ("memory", "players"), which are never the target. */
    paramWords?: readonly string[];
  } = {},
): TargetMatch | undefined {
  const quoted = /["“'‘`]([\w.-]+)["”'’`]/.exec(text);
  if (quoted) {
    return {
      name: quoted[1]!,
      spans: [{ start: quoted.index, end: quoted.index + quoted[0].length }],
      how: 'text',
    };
  }
  const tokens = tokenize(text).filter(
    (token) => options.after === undefined || token.start >= options.after,
  );
  const joinedRun = (index: number) => {
    let last = index;
    while (last + 1 < tokens.length && /^[-_.]$/.test(text.slice(tokens[last]!.end, tokens[last + 1]!.start)))
      last += 1;
    return last;
  };
  const result = (first: number, last: number): TargetMatch => {
    const span = { start: tokens[first]!.start, end: tokens[last]!.end };
    return {
      name: text.slice(span.start, span.end).toLowerCase().replace(/\s+/g, '-'),
      spans: [span],
      how: 'text',
    };
  };
  const skip = (word: string) =>
    isStopword(word) ||
    (options.paramWords ?? []).some((known) => sameWord(word, known)) ||
    GENERIC_NOUNS.has(word) ||
    /^\d/.test(word) ||
    /^(?:everything|anything|whole|entire|old|previous|last|current|latest|recent|why|connect|reach|access|load|open|working|work|down|up|change|changes|update|updates|edit|edits|deploy|deployment|version|state|config|configuration)$/.test(
      word,
    );
  if (options.after === undefined && options.vocabulary) {
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index]!;
      if (isStopword(token.word) || GENERIC_NOUNS.has(token.word)) continue;
      if (options.vocabulary.some((word) => sameWord(token.word, word)))
        return result(index, joinedRun(index));
    }
  }
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (
      /^(?:to|from|as|because|since|so|but|with|is|are|was|keeps|has|had)$/.test(token.word) &&
      options.after !== undefined
    ) {
      return undefined;
    }
    if (skip(token.word)) continue;
    // "scale the shop app": with requireDeterminer, only a thing introduced as one we know ("the", "my") counts.
    if (options.requireDeterminer && !/^(?:the|my|our|your)$/.test(tokens[index - 1]?.word ?? ''))
      return undefined;
    let last = joinedRun(index);
    // Two content words in a row name one thing: "shop prod", "home lab".
    while (
      last + 1 < tokens.length &&
      last - index < 2 &&
      !skip(tokens[last + 1]!.word) &&
      /^\s+$/.test(text.slice(tokens[last]!.end, tokens[last + 1]!.start)) &&
      !/^(?:to|from|as|at|on|in|and|is|are|was)$/.test(tokens[last + 1]!.word)
    ) {
      last = joinedRun(last + 1);
    }
    return result(index, last);
  }
  return undefined;
}

/** Whether the text points back at something already there: "it", "that one", "the same". */
export function refersBack(text: string): boolean {
  return PRONOUN.test(text);
}
