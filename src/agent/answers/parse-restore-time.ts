// "As of yesterday", "2 hours ago", "last friday at 6pm", "2026-11-20 14:00": the moment a restore goes back to. The
// intent parsers already hand over ISO times; this is the fallback for words they left as words. Times without a zone
// are local; a bare date means the end of that day (the deployment as it stood when that day was over).

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
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
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  'forty-five': 45,
  'a couple of': 2,
  'a few': 3,
};

const UNIT_MS: Array<[RegExp, number]> = [
  [/^(s|secs?|seconds?)$/, 1000],
  [/^(m|mins?|minutes?)$/, 60_000],
  [/^(h|hrs?|hours?)$/, 3_600_000],
  [/^(d|days?)$/, 86_400_000],
  [/^(w|wks?|weeks?)$/, 7 * 86_400_000],
  [/^(months?)$/, 30 * 86_400_000],
];

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_MS = 86_400_000;

/** The moment `text` names, relative to `now`; undefined when it names none. */
export function parseRestoreTime(text: string, now: Date): Date | undefined {
  const spoken = text
    .trim()
    .toLowerCase()
    .replace(/[?!]+$/, '')
    .replace(/\s+/g, ' ');
  return (
    isoTime(spoken) ??
    looseDate(text, now) ??
    relativeTime(spoken, now) ??
    dayTime(spoken, now) ??
    bareTime(spoken, now)
  );
}

function isoTime(spoken: string): Date | undefined {
  const match =
    /\b(\d{4}-\d{2}-\d{2})(?:(?:t|\s+(?:at\s+)?)(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(z|[+-]\d{2}:?\d{2})?)?/i.exec(
      spoken,
    );
  if (!match) return undefined;
  const [, date, time, zone] = match;
  if (!time) {
    const end = new Date(`${date}T23:59:59.999`);
    return valid(end);
  }
  const [hours, minutes, rest] = time.split(':');
  const padded = `${hours!.padStart(2, '0')}:${minutes}${rest !== undefined ? `:${rest}` : ''}`;
  return valid(new Date(`${date}T${padded}${zone ? zone.toUpperCase() : ''}`));
}

function relativeTime(spoken: string, now: Date): Date | undefined {
  const count = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')}|half an?)`;
  const match = new RegExp(`\\b${count}\\s*([a-z]+)\\s+ago\\b`).exec(spoken);
  if (match) {
    const amount = /^half/.test(match[1]!) ? 0.5 : (NUMBER_WORDS[match[1]!] ?? Number(match[1]));
    const unit = UNIT_MS.find(([pattern]) => pattern.test(match[2]!));
    if (unit && Number.isFinite(amount)) return new Date(now.getTime() - amount * unit[1]);
  }
  if (/\b(an|a|one) hour and a half ago\b/.test(spoken)) return new Date(now.getTime() - 1.5 * 3_600_000);
  if (/\blast week\b/.test(spoken)) return new Date(now.getTime() - 7 * DAY_MS);
  if (/\blast month\b/.test(spoken)) return new Date(now.getTime() - 30 * DAY_MS);
  return undefined;
}

/** yesterday, today, this morning, last night, (last) friday: a day, at a time of day if one is given. */
function dayTime(spoken: string, now: Date): Date | undefined {
  let day: Date | undefined;
  let defaultTime: [number, number] | undefined;
  if (/\bthe day before yesterday\b/.test(spoken)) day = shiftDays(now, -2);
  else if (/\byesterday\b/.test(spoken)) {
    day = shiftDays(now, -1);
    if (/\byesterday (morning)\b/.test(spoken)) defaultTime = [9, 0];
    else if (/\byesterday (afternoon)\b/.test(spoken)) defaultTime = [15, 0];
    else if (/\byesterday (evening)\b/.test(spoken)) defaultTime = [19, 0];
  } else if (/\blast night\b/.test(spoken)) {
    day = shiftDays(now, -1);
    defaultTime = [23, 0];
  } else if (/\bthis morning\b/.test(spoken)) {
    day = new Date(now);
    defaultTime = [9, 0];
  } else if (/\bthis afternoon\b/.test(spoken)) {
    day = new Date(now);
    defaultTime = [15, 0];
  } else if (/\btoday\b/.test(spoken)) day = new Date(now);
  else {
    const weekday = WEEKDAYS.findIndex((name) => new RegExp(`\\b${name}\\b`).test(spoken));
    if (weekday === -1) return undefined;
    let back = (now.getDay() - weekday + 7) % 7;
    if (back === 0) back = 7;
    day = shiftDays(now, -back);
  }
  const time = timeOfDay(spoken) ?? defaultTime;
  if (time) day.setHours(time[0], time[1], 0, 0);
  return day.getTime() > now.getTime() ? undefined : day;
}

/** "at 14:00", "at 2pm": today, or yesterday when that time has not come yet today. */
function bareTime(spoken: string, now: Date): Date | undefined {
  const time = timeOfDay(spoken);
  if (!time) return undefined;
  const day = new Date(now);
  day.setHours(time[0], time[1], 0, 0);
  return day.getTime() > now.getTime() ? shiftDays(day, -1) : day;
}

function timeOfDay(spoken: string): [number, number] | undefined {
  if (/\bnoon\b|\bmidday\b/.test(spoken)) return [12, 0];
  if (/\bmidnight\b/.test(spoken)) return [0, 0];
  const match =
    /\b(\d{1,2}):(\d{2})\s*(am|pm)?\b/.exec(spoken) ??
    /\b(\d{1,2})()\s*(am|pm)\b/.exec(spoken) ??
    /\bat (\d{1,2})()()\b(?!\s*(?:minutes?|mins?|hours?|days?))/.exec(spoken);
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = match[2] ? Number(match[2]) : 0;
  if (match[3] === 'pm' && hours < 12) hours += 12;
  if (match[3] === 'am' && hours === 12) hours = 0;
  return hours < 24 && minutes < 60 ? [hours, minutes] : undefined;
}

/** Anything else Date understands that names a year ("Nov 20 2026 14:00"). */
function looseDate(text: string, now: Date): Date | undefined {
  if (!/\b\d{4}\b/.test(text)) return undefined;
  const parsed = valid(new Date(text.replace(/^\s*(as of|at|on|since|from|to)\s+/i, '')));
  return parsed && parsed.getTime() <= now.getTime() + DAY_MS ? parsed : undefined;
}

function shiftDays(date: Date, days: number): Date {
  const shifted = new Date(date);
  shifted.setDate(shifted.getDate() + days);
  return shifted;
}

function valid(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}
