// Parsing and rendering of strings with references: `${server:type:name.output}`, `${var.name}`, `$${` escapes.
import type { OutputPath, Reference, Template } from '../model/reference.js';
import { isUnknown, type UnknownValue, unknownValue } from '../model/unknown.js';

export type TemplateParseResult =
  | { ok: true; template: Template }
  | { ok: false; message: string; fix: string };

/** True when the string needs parsing at all: the cheap test that keeps large plans fast. */
export function mayContainReference(text: string): boolean {
  return text.includes('${');
}

export function parseTemplate(text: string): TemplateParseResult {
  const parts: Template['parts'] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      literal += text.slice(index);
      break;
    }
    literal += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      literal += '${';
      index = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== '{') {
      literal += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      return {
        ok: false,
        message: `"${text}" opens a reference with "\${" that is never closed.`,
        fix: 'Close it with "}", or write "$${" for a literal "${".',
      };
    }
    const body = text.slice(dollar + 2, close);
    const expression = text.slice(dollar, close + 1);
    const reference = parseReferenceBody(body, expression);
    if ('message' in reference) return { ok: false, ...reference };
    if (literal) parts.push(literal);
    literal = '';
    parts.push(reference);
    index = close + 1;
  }
  if (literal) parts.push(literal);
  return { ok: true, template: { parts } };
}

// The parser scans character codes instead of splitting and matching: plans hold hundreds of thousands of references.
const COLON = 58;
const DOT = 46;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isWordCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95
  );
}

function isSegmentCharacter(code: number): boolean {
  return isWordCharacter(code) || code === 45;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function parseReferenceBody(body: string, expression: string): Reference | { message: string; fix: string } {
  const text =
    body.length > 0 && (isBlank(body.charCodeAt(0)) || isBlank(body.charCodeAt(body.length - 1)))
      ? body.trim()
      : body;
  if (text.startsWith('var.')) {
    const path = parseOutputPath(text, 3);
    const name = path?.[0];
    if (typeof name !== 'string') {
      return {
        message: `${expression} is not a valid variable reference.`,
        fix: 'Write ${var.name}, where name is a key of the deployment\'s "variables".',
      };
    }
    return { kind: 'variable', expression, name, output: path!.slice(1) };
  }

  // The head: segments separated by colons, up to the first "." or "[".
  let firstColon = -1;
  let lastColon = -1;
  let segmentStart = 0;
  let valid = true;
  let headEnd = 0;
  for (; headEnd < text.length; headEnd++) {
    const code = text.charCodeAt(headEnd);
    if (code === DOT || code === OPEN_BRACKET) break;
    if (code === COLON) {
      if (headEnd === segmentStart) valid = false;
      if (firstColon === -1) firstColon = headEnd;
      lastColon = headEnd;
      segmentStart = headEnd + 1;
    } else if (headEnd === segmentStart ? !isWordCharacter(code) : !isSegmentCharacter(code)) valid = false;
  }
  if (segmentStart === headEnd) valid = false;
  const head = text.slice(0, headEnd);
  if (!valid || firstColon === -1) {
    const looksLikeVariable = valid && firstColon === -1;
    return {
      message: `${expression} is not a valid reference.`,
      fix: looksLikeVariable
        ? `References name a server and a resource: \${server:type:name.output}. For a deployment variable write \${var.${head}}; for a literal "\${" write "$\${".`
        : 'Write ${server:type:name.output} (type optional, e.g. ${aws:ec2:web.privateIp}) or ${var.name}; for a literal "${" write "$${".',
    };
  }
  if (headEnd === text.length) {
    return {
      message: `${expression} does not say which output it reads.`,
      fix: `Add the output after a dot, e.g. \${${head}.id}.`,
    };
  }
  const output = parseOutputPath(text, headEnd);
  if (!output || output.length === 0) {
    return {
      message: `${expression} has an invalid output path.`,
      fix: 'Output paths are names separated by dots with optional list indexes, e.g. .outputs.ips[0].',
    };
  }
  const server = text.slice(0, firstColon);
  const name = text.slice(lastColon + 1, headEnd);
  return firstColon === lastColon
    ? { kind: 'resource', expression, server, name, output }
    : { kind: 'resource', expression, server, typeHint: text.slice(firstColon + 1, lastColon), name, output };
}

/** Parses `.a.b[0].c` starting at `start`; undefined when malformed. */
function parseOutputPath(text: string, start: number): OutputPath | undefined {
  const path: OutputPath = [];
  let index = start;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === DOT) {
      let end = index + 1;
      while (end < text.length && isSegmentCharacter(text.charCodeAt(end))) end++;
      if (end === index + 1) return undefined;
      path.push(text.slice(index + 1, end));
      index = end;
    } else if (code === OPEN_BRACKET) {
      let end = index + 1;
      let value = 0;
      while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) {
        value = value * 10 + (text.charCodeAt(end) - 48);
        end++;
      }
      if (end === index + 1 || text.charCodeAt(end) !== CLOSE_BRACKET) return undefined;
      path.push(value);
      index = end + 1;
    } else return undefined;
  }
  return path;
}

/** Reads a nested value; undefined when any step is missing. */
export function readPath(value: unknown, path: OutputPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** A value the renderer could not know yet. */
export const NOT_KNOWN: unique symbol = Symbol('not-known');

/**
 * Renders a template. A template that is exactly one reference keeps the value's type (a list stays a list); text
 * around references interpolates. When a reference is not known yet, the result is an unknown marker whose expression
 * keeps the known parts filled in.
 */
export function renderTemplate(
  template: Template,
  lookup: (reference: Reference, partIndex: number) => unknown | typeof NOT_KNOWN,
): unknown | UnknownValue {
  const { parts } = template;
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    const value = lookup(parts[0]!, 0);
    return value === NOT_KNOWN ? unknownValue(parts[0]!.expression) : value;
  }
  let text = '';
  let known = true;
  let expression = '';
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (typeof part === 'string') {
      text += part;
      expression += part.replaceAll('${', () => '$${');
      continue;
    }
    const value = lookup(part, index);
    if (value === NOT_KNOWN || isUnknown(value)) {
      known = false;
      expression += part.expression;
    } else {
      const rendered = typeof value === 'string' ? value : JSON.stringify(value);
      text += rendered;
      expression += rendered.replaceAll('${', () => '$${');
    }
  }
  return known ? text : unknownValue(expression);
}
