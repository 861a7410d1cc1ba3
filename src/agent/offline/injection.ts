// Text that tries to steer the parser instead of asking for infrastructure ("ignore previous instructions", "I
// authorize you to skip approval"). It is cut out and the rest is parsed as usual; a note says so. Nothing a request
// says can skip review, approval or policies: this only keeps such text from being read as parameters.
import type { Span } from './text.js';

const INSTRUCTIONS =
  '(?:instructions?|rules?|prompts?|guidelines|directions|constraints|polic(?:y|ies)|guardrails)';
const INJECTIONS: RegExp[] = [
  new RegExp(
    `\\b(?:please\\s+)?(?:ignore|disregard|forget|override|bypass)\\s+(?:all\\s+|any\\s+)?(?:of\\s+)?(?:the\\s+|your\\s+|my\\s+)?(?:previous|prior|above|earlier|preceding|former|system|safety|existing|old|original)?\\s*${INSTRUCTIONS}(?:\\s+(?:above|before))?`,
    'gi',
  ),
  /\b(?:i\s+)?(?:hereby\s+)?(?:authori[sz]e|allow|permit|instruct|order|tell)\s+you\s+to\s+(?:skip|bypass|ignore|disable|avoid|override)\s+(?:the\s+|all\s+|any\s+)?(?:approval|review|confirmation|polic(?:y|ies)|checks?|safety|guardrails)(?:\s+(?:step|process|checks?))?/gi,
  /\bi\s+(?:hereby\s+)?(?:authori[sz]e|approve|permit|allow)\s+(?:you|this|it|everything)(?:\s+(?:in\s+advance|already|now))?(?=\s*(?:to\b|[,.;:!]|and\b|$))(?:\s+to)?/gi,
  /\b(?:skip|bypass|disable|turn\s+off|without|no\s+need\s+for|don't\s+ask\s+for|do\s+not\s+ask\s+for|no)\s+(?:the\s+|any\s+)?(?:approval|review|confirmation|policy\s+checks?|polic(?:y|ies)|safety\s+checks?|guardrails)(?:\s+(?:step|process))?/gi,
  /\b(?:auto[-\s]?approve|pre[-\s]?approved|already\s+approved|approval\s+(?:is\s+)?(?:granted|given|not\s+needed|not\s+required))\b/gi,
  /\b(?:you\s+are\s+now|act\s+as|pretend\s+(?:to\s+be|you\s+are)|from\s+now\s+on\s+you)\b[^.!?\n]*/gi,
  /\b(?:developer|admin|god|jailbreak|dan)\s+mode\b/gi,
  /\b(?:system\s+prompt|new\s+instructions?)\s*:?[^.!?\n]*/gi,
];

export interface InjectionResult {
  /** The request with the steering text removed; what remains is parsed. */
  text: string;
  /** The pieces removed, as written. */
  removed: string[];
  spans: Span[];
}

/** Cuts steering phrases out of a request, with the "and"/"then" that tied them to the rest. */
export function stripInjections(text: string): InjectionResult {
  const spans: Span[] = [];
  for (const pattern of INJECTIONS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      let end = start + match[0].length;
      const tail = /^\s*(?:[,.;:!-]+\s*)?(?:and\s+(?:then\s+)?|then\s+|just\s+|&\s*)?/i.exec(text.slice(end));
      if (tail) end += tail[0].length;
      spans.push({ start, end });
    }
  }
  if (spans.length === 0) return { text, removed: [], spans: [] };
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  let result = '';
  let cursor = 0;
  for (const span of merged) {
    result += `${text.slice(cursor, span.start)} `;
    cursor = span.end;
  }
  result += text.slice(cursor);
  return {
    text: result
      .replace(/\s+/g, ' ')
      .replace(/^[\s,.;:!-]+|[\s,;:-]+$/g, '')
      .trim(),
    removed: merged.map((span) => text.slice(span.start, span.end).trim()),
    spans: merged,
  };
}

/** "every port", "all ports", "any port": a request for everything, which deserves a note even when allowed. */
export function asksForEverything(text: string): boolean {
  return /\b(?:every|all|any)\s+(?:the\s+)?(?:ports?|traffic|protocols?|addresses|ips?)\b|\b(?:wide\s+open|open\s+everything|everything\s+open|allow\s+everything|allow\s+all)\b/i.test(
    text,
  );
}
