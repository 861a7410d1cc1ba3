// Amounts of memory and storage, always in GB. Binary units throughout, so the two rules people expect most hold
// together: "512 MB" is 0.5 GB and "2 TB" is 2048 GB (1 TB = 1024 GB, 1 GB = 1024 MB).
import { normalizeNumberWords } from './numbers.js';
import type { Finding } from './text.js';

const UNIT_TO_GB: Array<[RegExp, number]> = [
  [/^(?:t|tb|tib|tera|terabytes?|teras?)$/i, 1024],
  [/^(?:g|gb|gib|gigs?|giga|gigabytes?|gbs)$/i, 1],
  [/^(?:mb|mib|megs?|mega|megabytes?)$/i, 1 / 1024],
];

const SIZE =
  /(?<![\w.])(?:(\d+(?:\.\d+)?)\s*(?:(more|extra|additional)\s+)?|\b(half\s+an?|an?\s+(?:extra|additional)|an?|one(?:\s+more)?|another)\s+)(t|tb|tib|tera|terabytes?|teras?|g|gb|gib|gigs?|giga|gigabytes?|gbs|mb|mib|megs?|mega|megabytes?)\b(\s+(?:more|extra)\b)?/gi;

export interface SizeFinding extends Finding<number> {
  /** The unit as written: "GB", "gigs", "TB". */
  unit: string;
  /** On top of what there is: "another terabyte", "500 GB more", "2 extra gigs". */
  more?: boolean;
}

/**
 * "16 gigs", "8GB", "4 GB of RAM", "2TB", "1.5 TB", "512 MB", "a terabyte": each as GB. "another terabyte", "500 GB
 * more" and "2 extra gigs" are marked as amounts on top of what there is.
 */
export function extractSizes(input: string): SizeFinding[] {
  const text = normalizeNumberWords(input);
  const findings: SizeFinding[] = [];
  for (const match of text.matchAll(SIZE)) {
    const [whole, digits, between, article, unit, after] = match as unknown as [
      string,
      string | undefined,
      string | undefined,
      string | undefined,
      string,
      string | undefined,
    ];
    const factor = UNIT_TO_GB.find(([pattern]) => pattern.test(unit))?.[1];
    if (factor === undefined) continue;
    // "a g" is not an amount; "a terabyte", "half a tb" and "a gig" are.
    if (article !== undefined && unit.length < 3 && !/^(?:half|another)/i.test(article)) continue;
    const count = digits !== undefined ? Number(digits) : /^half/i.test(article!) ? 0.5 : 1;
    const more =
      between !== undefined ||
      after !== undefined ||
      /\b(?:another|extra|additional|more)\b/i.test(article ?? '');
    findings.push({
      value: roundGb(count * factor),
      unit,
      ...(more ? { more: true } : {}),
      start: match.index,
      end: match.index + whole.length,
      text: whole,
    });
  }
  return findings;
}

function roundGb(value: number): number {
  return Math.round(value * 1000) / 1000;
}
