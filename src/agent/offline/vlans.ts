// VLAN tags: "vlan 20", "VLAN20", "vlan-20", "vlan tag 20", "vlan id: 20", "on vlan twenty", "the 20 vlan", and a
// number set off after a comma at the end of a clause ("on its own vlan, thirty four").
import { normalizeNumberWords } from './numbers.js';
import type { Finding } from './text.js';

const AFTER_WORD =
  /\bvlans?\s*(?:(?:tag|id|number|no\.?)\s*)?(?:[:=#-]?\s*(\d{1,4})(?![\d.])|,\s*(\d{1,4})(?=\s*(?:[.!?;]|$)))/gi;
const BEFORE_WORD =
  /(?<![\w.])(\d{1,4})\s*(?:as\s+(?:the\s+)?)?vlan\b(?!\s*(?:tag|id|number|no\.?)?\s*[:=#-]?\s*\d)/gi;

/** Tags in 1–4094, each with the span of the whole phrase. */
export function extractVlanTags(input: string): Array<Finding<number>> {
  const text = normalizeNumberWords(input);
  const findings: Array<Finding<number>> = [];
  for (const pattern of [AFTER_WORD, BEFORE_WORD]) {
    for (const match of text.matchAll(pattern)) {
      const value = Number(match[1] ?? match[2]);
      if (value < 1 || value > 4094) continue;
      findings.push({ value, start: match.index, end: match.index + match[0].length, text: match[0] });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}
