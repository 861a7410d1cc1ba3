// Schedules in words, as cron expressions: "nightly at 3am" → "0 3 * * *", "every day at 2" → "0 2 * * *",
// "hourly" → "0 * * * *", "weekly on sunday" → "0 0 * * 0", "every 6 hours" → "0 */6 * * *". A cron expression
// written out ("0 3 * * *") is taken as it is.
import { normalizeNumberWords } from './numbers.js';
import type { Finding } from './text.js';

export interface CronOptions {
  /**
   * The time of day for a schedule that names none ("nightly", "weekly on sunday"). Midnight when absent, as cron's
   * own @daily and @weekly; the parser passes the parameter's default time so "nightly backups" keep theirs.
   */
  defaultTime?: { hour: number; minute: number };
}

const DAYS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  sundays: 0,
  mon: 1,
  monday: 1,
  mondays: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  tuesdays: 2,
  wed: 3,
  wednesday: 3,
  wednesdays: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  thursdays: 4,
  fri: 5,
  friday: 5,
  fridays: 5,
  sat: 6,
  saturday: 6,
  saturdays: 6,
};
const DAY = `(?:${Object.keys(DAYS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

const RAW_CRON = /(?<![\w*/])((?:[\d*/,-]+\s+){4}[\d*/,-]+)(?![\w*/])/;
const TIME_OF_DAY =
  /\b(?:at\s+)?(?:(\d{1,2})(?::(\d{2}))?\s*((?:am|pm)\b|a\.m\.|p\.m\.)|(\d{1,2}):(\d{2})(?!\d)|(noon|midday|midnight))|\bat\s+(\d{1,2})(?![\d.:])(?:\s*(?:o'?clock|in\s+the\s+(morning|evening|afternoon|night)|at\s+night))?/i;

export interface CronFinding extends Finding<string> {
  /** The phrases it was read from ("nightly", "at 3am"), which need not stand together. */
  parts: Array<{ start: number; end: number }>;
}

/** The first schedule in the text, or undefined. The span runs from the first word it was read from to the last. */
export function extractCron(input: string, options: CronOptions = {}): CronFinding | undefined {
  const text = normalizeNumberWords(input);
  const raw = RAW_CRON.exec(text);
  // Five plain numbers are a cron expression only with a star or a slash, or when called one.
  if (raw && (/[*/]/.test(raw[1]!) || /\b(?:cron|schedule)\b/i.test(text))) {
    const span = { start: raw.index, end: raw.index + raw[1]!.length };
    return { value: raw[1]!.trim().replace(/\s+/g, ' '), ...span, text: raw[1]!, parts: [span] };
  }

  const spans: Array<{ start: number; end: number }> = [];
  /** Finds a phrase and counts it as part of the schedule. */
  const find = (pattern: RegExp) => use(pattern.exec(text));
  const use = (match: RegExpExecArray | null) => {
    if (match) spans.push({ start: match.index, end: match.index + match[0].length });
    return match;
  };

  const everyMinutes = find(/\bevery\s+(\d+)\s*(?:minutes?|mins?)\b/i);
  if (everyMinutes) return result(`*/${everyMinutes[1]} * * * *`, spans, text);
  const everyHours = find(/\bevery\s+(\d+)\s*(?:hours?|hrs?|h)\b/i);
  if (everyHours) return result(`0 */${everyHours[1]} * * *`, spans, text);
  if (find(/\b(?:hourly|every\s+hour|each\s+hour|once\s+an\s+hour)\b/i))
    return result('0 * * * *', spans, text);
  const twice = find(/\btwice\s+(?:a|per)\s+day\b|\btwice\s+daily\b|\bevery\s+12\s+hours\b/i);

  const time = find(TIME_OF_DAY);
  const clock = time ? readTime(time) : undefined;
  const at = clock ?? options.defaultTime ?? { hour: 0, minute: 0 };
  if (twice) return result(`${at.minute} ${at.hour % 12},${(at.hour % 12) + 12} * * *`, spans, text);

  const weekdays = find(/\b(?:every\s+|on\s+)?(?:weekdays?|work\s*days?)\b/i);
  if (weekdays) return result(`${at.minute} ${at.hour} * * 1-5`, spans, text);
  const weekends = find(/\b(?:every\s+|on\s+)?(?:the\s+)?weekends?\b/i);
  if (weekends) return result(`${at.minute} ${at.hour} * * 0,6`, spans, text);
  const day = find(
    new RegExp(`\\b(?:every|on|each)\\s+(${DAY})\\b|\\b(${DAY})s?\\s+(?:nights?|mornings?)\\b`, 'i'),
  );
  const weekly = find(/\b(?:weekly|every\s+week|once\s+a\s+week|each\s+week)\b/i);
  if (day) {
    const name = (day[1] ?? day[2])!.toLowerCase();
    return result(`${at.minute} ${at.hour} * * ${DAYS[name]}`, spans, text);
  }
  if (weekly) {
    const named = find(new RegExp(`\\b(${DAY})\\b`, 'i'));
    return result(`${at.minute} ${at.hour} * * ${named ? DAYS[named[1]!.toLowerCase()] : 0}`, spans, text);
  }
  const monthly = find(/\b(?:monthly|every\s+month|once\s+a\s+month|each\s+month)\b/i);
  const dayOfMonth =
    /\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s+(?:day\s+)?of\s+(?:every|each|the)\s+month)?\b/i.exec(
      text,
    );
  if (monthly || (dayOfMonth && /\bmonth\b/i.test(dayOfMonth[0]))) {
    if (dayOfMonth && (monthly === null || Math.abs(dayOfMonth.index - monthly.index) < 30)) use(dayOfMonth);
    const dom =
      dayOfMonth && spans.some((span) => span.start === dayOfMonth.index) ? Number(dayOfMonth[1]) : 1;
    return result(`${at.minute} ${at.hour} ${dom >= 1 && dom <= 31 ? dom : 1} * *`, spans, text);
  }
  const daily = find(
    /\b(?:nightly|daily|every\s+(?:day|night|morning|evening)|each\s+(?:day|night)|once\s+a\s+day|per\s+day|a\s+day|at\s+night|every\s+24\s+hours)\b/i,
  );
  if (daily || clock) return result(`${at.minute} ${at.hour} * * *`, spans, text);
  return undefined;
}

function readTime(match: RegExpExecArray): { hour: number; minute: number } | undefined {
  const [, hour12, minute12, meridiem, hour24, minute24, named, bareHour, partOfDay] = match;
  if (named) return { hour: /^midnight$/i.test(named) ? 0 : 12, minute: 0 };
  if (hour12 !== undefined) {
    let hour = Number(hour12) % 12;
    if (/^p/i.test(meridiem!)) hour += 12;
    return valid(hour, Number(minute12 ?? 0));
  }
  if (hour24 !== undefined) return valid(Number(hour24), Number(minute24));
  if (bareHour !== undefined) {
    let hour = Number(bareHour);
    if (partOfDay && /evening|afternoon|night/i.test(partOfDay) && hour < 12) hour += 12;
    if (/at\s+night/i.test(match[0]) && hour < 12 && hour >= 6) hour += 12;
    return valid(hour, 0);
  }
  return undefined;
}

function valid(hour: number, minute: number): { hour: number; minute: number } | undefined {
  return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 ? { hour, minute } : undefined;
}

function result(value: string, spans: Array<{ start: number; end: number }>, text: string): CronFinding {
  const start = Math.min(...spans.map((span) => span.start));
  const end = Math.max(...spans.map((span) => span.end));
  return { value, start, end, text: text.slice(start, end), parts: spans };
}
