// Points in the past for restore requests: "yesterday", "2 hours ago", "an hour ago", "last week", "this morning",
// "yesterday at 3pm", "on monday", "as of 2026-11-20 14:00", "2026-11-20T14:00:00Z", "20 Nov 2026". Clock times are
// read in the local time zone of the machine; the result is an ISO timestamp (UTC).
import { normalizeNumberWords } from './numbers.js';
import type { Finding } from './text.js';

const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The time the text points back to, measured from `now`; undefined when it names none. */
export function parseTimeReference(input: string, now: Date = new Date()): Finding<string> | undefined {
  const text = normalizeNumberWords(input);
  const found = (date: Date, match: RegExpExecArray, extra?: RegExpExecArray | null): Finding<string> => {
    const start = Math.min(match.index, extra?.index ?? match.index);
    const end = Math.max(match.index + match[0].length, extra ? extra.index + extra[0].length : 0);
    return { value: date.toISOString(), start, end, text: text.slice(start, end) };
  };

  // Absolute: 2026-11-20, 2026-11-20 14:00, 2026-11-20T14:00:00Z.
  const iso =
    /\b(\d{4})-(\d{2})-(\d{2})(?:[t\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(z|[+-]\d{2}:?\d{2})?)?\b/i.exec(
      text,
    );
  if (iso) {
    const [, year, month, day, hour, minute, second, zone] = iso;
    const local = `${year}-${month}-${day}T${(hour ?? '0').padStart(2, '0')}:${minute ?? '00'}:${second ?? '00'}`;
    const date = zone
      ? new Date(`${local}${zone.toUpperCase() === 'Z' ? 'Z' : normalizeZone(zone)}`)
      : new Date(local);
    if (!Number.isNaN(date.getTime())) return found(date, iso);
  }
  // "20 Nov 2026", "Nov 20, 2026", "november 20" (this year), with an optional clock time.
  const month =
    '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
  const named = new RegExp(
    `\\b(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${month}(?:,?\\s+(\\d{4}))?|${month}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?)\\b`,
    'i',
  ).exec(text);
  if (named) {
    const day = Number(named[1] ?? named[5]);
    const monthIndex = MONTHS.indexOf((named[2] ?? named[4])!.slice(0, 3).toLowerCase());
    const yearText = named[3] ?? named[6];
    const clock = clockTime(text);
    const date = new Date(now);
    date.setFullYear(yearText ? Number(yearText) : now.getFullYear(), monthIndex, day);
    date.setHours(clock?.hour ?? 0, clock?.minute ?? 0, 0, 0);
    if (!yearText && date > now) date.setFullYear(date.getFullYear() - 1);
    return found(date, named, clock?.match);
  }

  // Relative: "2 hours ago", "an hour ago", "half an hour ago", "3 days back".
  const ago =
    /\b(\d+(?:\.\d+)?|an?|half\s+an?)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|months?)\s+(?:ago|back|before|earlier)\b/i.exec(
      text,
    );
  if (ago) {
    const amount = /^half/i.test(ago[1]!) ? 0.5 : /^an?$/i.test(ago[1]!) ? 1 : Number(ago[1]);
    return found(new Date(now.getTime() - amount * unitMs(ago[2]!)), ago);
  }
  const lastUnit = /\b(?:the\s+)?(?:last|past|previous)\s+(hour|day|week|month)\b/i.exec(text);
  const dayWords =
    /\b(yesterday|today|this\s+morning|last\s+night|tonight|the\s+day\s+before\s+yesterday)\b/i.exec(text);
  if (dayWords) {
    const clock = clockTime(text);
    const word = dayWords[1]!.toLowerCase().replace(/\s+/g, ' ');
    const date = new Date(now);
    if (word === 'the day before yesterday') date.setDate(date.getDate() - 2);
    else if (word === 'yesterday' || word === 'last night') date.setDate(date.getDate() - 1);
    if (clock) date.setHours(clock.hour, clock.minute, 0, 0);
    else if (word === 'this morning') date.setHours(8, 0, 0, 0);
    else if (word === 'last night') date.setHours(22, 0, 0, 0);
    return found(date, dayWords, clock?.match);
  }
  const weekday = new RegExp(`\\b(?:on\\s+|last\\s+)?(${WEEKDAYS.join('|')})\\b`, 'i').exec(text);
  if (weekday) {
    const target = WEEKDAYS.indexOf(weekday[1]!.toLowerCase());
    const clock = clockTime(text);
    const date = new Date(now);
    let back = (date.getDay() - target + 7) % 7;
    if (back === 0) back = 7;
    date.setDate(date.getDate() - back);
    date.setHours(clock?.hour ?? 0, clock?.minute ?? 0, 0, 0);
    return found(date, weekday, clock?.match);
  }
  if (lastUnit) {
    // "as it was last week": one unit back.
    return found(new Date(now.getTime() - unitMs(lastUnit[1]!)), lastUnit);
  }
  const clock = clockTime(text);
  if (clock) {
    // "at 3pm" alone: the latest such time that has passed.
    const date = new Date(now);
    date.setHours(clock.hour, clock.minute, 0, 0);
    if (date > now) date.setDate(date.getDate() - 1);
    return found(date, clock.match);
  }
  return undefined;
}

function unitMs(unit: string): number {
  const word = unit.toLowerCase();
  if (/^(?:s|sec)/.test(word)) return UNIT_MS.second!;
  if (/^(?:mi)/.test(word)) return UNIT_MS.minute!;
  if (/^(?:h)/.test(word)) return UNIT_MS.hour!;
  if (/^(?:d)/.test(word)) return UNIT_MS.day!;
  if (/^(?:w)/.test(word)) return UNIT_MS.week!;
  return UNIT_MS.month!;
}

function clockTime(text: string): { hour: number; minute: number; match: RegExpExecArray } | undefined {
  const match =
    /\b(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am\b|pm\b|a\.m\.|p\.m\.)|\b(?:at\s+)?(\d{1,2}):(\d{2})\b|\b(?:at\s+)(noon|midnight)\b/i.exec(
      text,
    );
  if (!match) return undefined;
  if (match[6]) return { hour: /noon/i.test(match[6]) ? 12 : 0, minute: 0, match };
  if (match[1] !== undefined) {
    let hour = Number(match[1]) % 12;
    if (/^p/i.test(match[3]!)) hour += 12;
    return { hour, minute: Number(match[2] ?? 0), match };
  }
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute, match };
}

function normalizeZone(zone: string): string {
  return zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
}
