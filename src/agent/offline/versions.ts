// Versions: "version 16", "v8.0", "ver. 7.2", and a number right after a product name ("mysql 8.0", "postgres16",
// "redis 7").
import type { Finding } from './text.js';

const VERSION_WORD =
  /\b(?:version|ver\.?|release)\s*[:=]?\s*v?(\d+(?:\.\d+){0,3}(?:[-+][\w.]+)?)(?![\w.])|(?<![\w.])v(\d+(?:\.\d+){0,3})(?![\w.])/gi;

/**
 * Versions after "version"/"v", and after any of `products` (the enum values and synonyms a pattern knows). A number
 * after a product followed by a unit or a counted noun is not a version ("postgres 3 replicas" is decided by the
 * caller, which sees both readings).
 */
export function extractVersions(text: string, products: readonly string[] = []): Array<Finding<string>> {
  const findings: Array<Finding<string>> = [];
  const add = (value: string, start: number, end: number) => {
    if (findings.some((other) => other.start < end && start < other.end)) return;
    findings.push({ value, start, end, text: text.slice(start, end) });
  };
  for (const match of text.matchAll(VERSION_WORD)) {
    const value = (match[1] ?? match[2])!;
    add(value, match.index, match.index + match[0].length);
  }
  const names = [...new Set(products)]
    .filter(Boolean)
    .map(escapeRegExp)
    .sort((a, b) => b.length - a.length);
  if (names.length > 0) {
    const pattern = new RegExp(
      `\\b(?:${names.join('|')})[\\s-]?v?(\\d+(?:\\.\\d+){0,3})(?![\\w.%:/])(?!\\s*(?:gb|tb|mb|gigs?|g)\\b)`,
      'gi',
    );
    for (const match of text.matchAll(pattern)) {
      const value = match[1]!;
      const start = match.index + match[0].length - value.length;
      add(value, start, start + value.length);
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
