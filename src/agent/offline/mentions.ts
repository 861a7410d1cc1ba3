// Every value a request contains, found once by the extractors and kept with its place in the text: numbers (with
// units, VLAN or port roles, counted nouns), addresses, names, images, versions, schedules, paths. Where two readings
// claim the same digits, the more specific one stays ("vlan 20" is a VLAN tag, not also a bare 20).
import { extractCounts, extractRanges } from './counts.js';
import { extractCron } from './cron.js';
import { extractImages } from './images.js';
import { extractCalledNames, extractQuoted } from './names.js';
import { extractCidrs, extractHostnames, extractHostPorts, extractIPv4s } from './network.js';
import { extractNumbers } from './numbers.js';
import { extractPorts, type PortSource } from './ports.js';
import { extractSizes } from './sizes.js';
import { overlaps, type Span } from './text.js';
import { extractVersions } from './versions.js';
import { extractVlanTags } from './vlans.js';

export type MentionKind =
  | 'number'
  | 'ip'
  | 'cidr'
  | 'hostname'
  | 'cron'
  | 'quoted'
  | 'called'
  | 'image'
  | 'version'
  | 'path';

export interface Mention extends Span {
  id: number;
  kind: MentionKind;
  value: string | number;
  text: string;
  /** Numbers: where the digits themselves are (the rest of the span is the words that gave it its role). */
  valueSpan?: Span;
  /** Numbers: an amount of memory or storage, already in GB. */
  size?: boolean;
  /** Numbers: read as a VLAN tag or a port by the words around them. */
  role?: 'vlan' | 'port';
  portSource?: PortSource;
  /** Numbers: the nouns they count ("replicas"; "people" for "me and 4 friends"). */
  nouns?: string[];
  /** Numbers: "3 more", "2 extra", "another terabyte". */
  more?: boolean;
  /** Numbers: one end of a range ("2 to 10 instances"). */
  rangeEnd?: 'min' | 'max';
  /** Addresses: the host of a host:port pair. */
  withPort?: boolean;
  /** Schedules: the separate phrases it was read from ("nightly ... at 3am"). */
  parts?: Span[];
}

export interface MentionOptions {
  /** Words after which a number is a version ("mysql 8.0"): the pattern's enum values and synonyms. */
  products?: readonly string[];
  /** Read schedules (only when some parameter holds one), with this time for ones that name none. */
  cron?: { defaultTime?: { hour: number; minute: number } };
}

const PEOPLE_NOUNS = ['people', 'players', 'users', 'friends', 'persons', 'members'];

export function collectMentions(text: string, options: MentionOptions = {}): Mention[] {
  const mentions: Mention[] = [];
  let nextId = 0;
  const add = (mention: Omit<Mention, 'id'>) => {
    const created = { ...mention, id: nextId++ };
    mentions.push(created);
    return created;
  };
  /** Spans no number may come from: inside addresses, images, quotes, schedules. */
  const opaque: Span[] = [];
  /** Digits already given a role. */
  const claimedDigits: Span[] = [];
  const digitsFree = (span: Span) =>
    !claimedDigits.some((claimed) => overlaps(claimed, span)) &&
    !opaque.some((other) => overlaps(other, span));

  /** Spans taken by addresses and images, which no other address may overlap (quotes may). */
  const structural: Span[] = [];
  for (const found of extractQuoted(text)) {
    add({ kind: 'quoted', value: found.value, start: found.start, end: found.end, text: found.text });
    opaque.push(found);
  }
  for (const found of extractCalledNames(text)) {
    if (opaque.some((span) => span.start < found.start && found.end < span.end)) continue;
    add({ kind: 'called', value: found.value, start: found.start, end: found.end, text: found.text });
  }
  const images = extractImages(text);
  const cidrs = extractCidrs(text);
  const hostPorts = extractHostPorts(text);
  for (const found of images) {
    add({ kind: 'image', value: found.value, start: found.start, end: found.end, text: found.text });
    opaque.push(found);
    structural.push(found);
  }
  for (const found of cidrs) {
    add({ kind: 'cidr', value: found.value, start: found.start, end: found.end, text: found.text });
    opaque.push(found);
    structural.push(found);
  }
  for (const found of hostPorts) {
    if (images.some((image) => overlaps(image, found))) continue;
    const hostEnd = found.portStart - 1;
    add({
      kind: found.hostIsAddress ? 'ip' : 'hostname',
      value: found.value.host,
      start: found.start,
      end: hostEnd,
      text: text.slice(found.start, hostEnd),
      withPort: true,
    });
    const portSpan = { start: found.portStart, end: found.end };
    add({
      kind: 'number',
      value: found.value.port,
      ...portSpan,
      text: text.slice(portSpan.start, portSpan.end),
      valueSpan: portSpan,
      role: 'port',
      portSource: 'host',
    });
    opaque.push({ start: found.start, end: hostEnd });
    structural.push(found);
    claimedDigits.push(portSpan);
  }
  for (const found of extractIPv4s(text)) {
    if (structural.some((span) => overlaps(span, found))) continue;
    add({ kind: 'ip', value: found.value, start: found.start, end: found.end, text: found.text });
    opaque.push(found);
    structural.push(found);
  }
  for (const found of extractHostnames(text)) {
    if (structural.some((span) => overlaps(span, found))) continue;
    add({ kind: 'hostname', value: found.value, start: found.start, end: found.end, text: found.text });
    opaque.push(found);
    structural.push(found);
  }
  if (options.cron) {
    const schedule = extractCron(text, options.cron);
    if (schedule && !schedule.parts.some((part) => structural.some((span) => overlaps(span, part)))) {
      add({
        kind: 'cron',
        value: schedule.value,
        start: schedule.start,
        end: schedule.end,
        text: schedule.text,
        parts: schedule.parts,
      });
      opaque.push(...schedule.parts);
    }
  }
  for (const found of text.matchAll(/(?<=^|[\s(,:=])(\/[\w./-]*)(?=$|[\s),.;!?])/g)) {
    const span = { start: found.index, end: found.index + found[1]!.length };
    if (opaque.some((other) => overlaps(other, span))) continue;
    add({ kind: 'path', value: found[1]!.replace(/[.]+$/, ''), ...span, text: found[1]! });
    opaque.push(span);
  }

  // Numbers, most specific reading first.
  const numberSpan = (found: Span & { text: string }, digits: RegExp) => {
    const match = digits.exec(found.text);
    if (!match) return { start: found.start, end: found.end };
    const start = found.start + match.index;
    return { start, end: start + match[0].length };
  };
  for (const found of extractVlanTags(text)) {
    const valueSpan = numberSpan(found, /\d+/);
    if (!digitsFree(valueSpan)) continue;
    add({
      kind: 'number',
      value: found.value,
      start: found.start,
      end: found.end,
      text: found.text,
      valueSpan,
      role: 'vlan',
    });
    claimedDigits.push(valueSpan);
  }
  for (const found of extractPorts(text)) {
    const valueSpan = found.source === 'service' ? found : numberSpan(found, /\d+/);
    if (!digitsFree(valueSpan)) continue;
    add({
      kind: 'number',
      value: found.value,
      start: found.start,
      end: found.end,
      text: found.text,
      valueSpan: { start: valueSpan.start, end: valueSpan.end },
      role: 'port',
      portSource: found.source,
    });
    claimedDigits.push(valueSpan);
  }
  for (const found of extractSizes(text)) {
    const valueSpan = numberSpan(found, /\d+(?:\.\d+)?|\ban?\b/i);
    if (!digitsFree(valueSpan)) continue;
    add({
      kind: 'number',
      value: found.value,
      start: found.start,
      end: found.end,
      text: found.text,
      valueSpan,
      size: true,
      ...(found.more ? { more: true } : {}),
    });
    claimedDigits.push({ start: found.start, end: found.end });
  }
  for (const found of extractRanges(text)) {
    const [low, high] = found.value;
    const lowMatch = /\d+/.exec(found.text)!;
    const highMatch = /(\d+)\D*$/.exec(found.text)!;
    const lowSpan = {
      start: found.start + lowMatch.index,
      end: found.start + lowMatch.index + lowMatch[0].length,
    };
    const highStart = found.start + highMatch.index;
    const highSpan = { start: highStart, end: highStart + highMatch[1]!.length };
    if (!digitsFree(lowSpan) || !digitsFree(highSpan)) continue;
    const nouns = found.noun ? [found.noun] : undefined;
    const shared = { kind: 'number' as const, start: found.start, end: found.end, text: found.text };
    add({ ...shared, value: low, valueSpan: lowSpan, rangeEnd: 'min', ...(nouns ? { nouns } : {}) });
    add({ ...shared, value: high, valueSpan: highSpan, rangeEnd: 'max', ...(nouns ? { nouns } : {}) });
    claimedDigits.push(lowSpan, highSpan);
  }
  if (options.products && options.products.length > 0) {
    // A version does not claim its digits: "postgres 3 replicas" is decided by the words around it.
    for (const found of extractVersions(text, options.products)) {
      if (!digitsFree(found)) continue;
      add({ kind: 'version', value: found.value, start: found.start, end: found.end, text: found.text });
    }
  }
  for (const found of extractCounts(text)) {
    const digits = /\d+/.exec(found.text);
    const valueSpan = digits
      ? { start: found.start + digits.index, end: found.start + digits.index + digits[0].length }
      : { start: found.start, end: found.end };
    if (!digitsFree(valueSpan)) continue;
    const people = /^(?:people|ppl|folks|persons)$/i.test(found.noun) || found.value !== Number(digits?.[0]);
    add({
      kind: 'number',
      value: found.value,
      start: found.start,
      end: found.end,
      text: found.text,
      valueSpan,
      nouns: people ? [found.noun, ...PEOPLE_NOUNS] : [found.noun],
      ...(found.more ? { more: true } : {}),
    });
    claimedDigits.push(valueSpan);
  }
  for (const found of extractNumbers(text)) {
    if (!digitsFree(found)) continue;
    add({
      kind: 'number',
      value: found.value,
      start: found.start,
      end: found.end,
      text: found.text,
      valueSpan: found,
    });
    claimedDigits.push(found);
  }
  return mentions.sort((a, b) => a.start - b.start || a.id - b.id);
}
